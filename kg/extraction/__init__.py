"""Extraction over one parsed statement: frames (the one reading of the parse) → facts by data."""
