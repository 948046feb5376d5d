"""kg: build an RDF knowledge graph, with provenance, from official statements."""

__version__ = "0.1.0"
