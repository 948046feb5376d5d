"""Validate a built graph against ontology/shapes.ttl with pySHACL."""
from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from .errors import UsageError
from .resources import ontology_dir


def load_graph(path: str | Path) -> Graph:
    """A build folder (its graph.ttl), a Turtle file or a TriG file, as one graph."""
    p = Path(path)
    if p.is_dir():
        p = p / "graph.ttl"
    if not p.is_file():
        raise UsageError(f"{p}: no such graph file (give a build folder or a .ttl/.trig file)")
    if not p.read_bytes().strip():
        raise UsageError(f"{p}: empty graph file")
    try:
        if p.suffix == ".trig":
            ds = Dataset()
            ds.parse(p, format="trig")
            g = Graph()
            for s, pr, o, _ in ds.quads((None, None, None, None)):
                g.add((s, pr, o))
            return g
        return Graph().parse(p)
    except Exception as exc:  # rdflib raises many parser error types
        raise UsageError(f"{p}: cannot parse ({type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''})") from None


def validate(path: str | Path) -> tuple[bool, str]:
    """(conforms, report text) for the graph at path."""
    from pyshacl import validate as shacl

    data = load_graph(path)
    shapes = Graph().parse(ontology_dir() / "shapes.ttl")
    ontology = Graph().parse(ontology_dir() / "kg.ttl")
    conforms, _, text = shacl(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                              allow_warnings=True)
    return bool(conforms), str(text)
