"""Shared by the benchmark scripts: which code a figure was measured on."""
from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def code_version() -> str:
    """The commit measured, plus "+dirty(files)" when kg/ or ontology/ have uncommitted changes."""
    try:
        run = lambda *a: subprocess.run(["git", "-C", str(REPO), *a], capture_output=True, text=True,
                                        timeout=10).stdout.rstrip()
        head = run("rev-parse", "--short", "HEAD").strip() or "unknown"
        dirty = [line[3:] for line in run("status", "--porcelain", "--", "kg", "ontology").splitlines() if line]
        return head + (f"+dirty({', '.join(dirty)})" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
