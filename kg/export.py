"""Write a build's outputs: graph.ttl, graph.trig, facts.tsv — atomically and byte-stably.

Every file is written to a staging folder beside DIR and moved into place only when all are
written, so a failed run never leaves DIR half-written.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from .errors import UsageError
from .rdf import PREFIXES
from .records import Fact

TSV_HEADER = ("subject", "predicate", "object", "evidence", "document", "start", "end")


def tsv_cell(text: str) -> str:
    """Escape what would break a TSV row: backslash, tab, newline, carriage return."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def facts_tsv(facts: Iterable[Fact]) -> str:
    rows = ["\t".join(TSV_HEADER)]
    for f in facts:
        cells = (f.subject.label, f.label, f.obj.label, f.evidence.text, f.evidence.doc_id,
                 str(f.evidence.start), str(f.evidence.end))
        rows.append("\t".join(tsv_cell(c) for c in cells))
    return "\n".join(rows) + "\n"


def _ox_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot write RDF term {term!r}")


def _quads(ds: Dataset) -> list[ox.Quad]:
    """Every quad of the dataset as Oxigraph terms, in one fixed (sorted) order."""
    default = ds.default_graph.identifier
    out = []
    for s, p, o, g in ds.quads((None, None, None, None)):
        graph = ox.DefaultGraph() if g is None or g == default else ox.NamedNode(str(g))
        out.append(ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), graph))
    out.sort(key=str)
    return out


def render(ds: Dataset, facts: list[Fact]) -> dict[str, bytes]:
    """The output files' bytes, by name. Oxigraph's writers serialise (rdflib's take most of a
    build's time on large corpora); sorted input makes the bytes the same on every run."""
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES}
    quads = _quads(ds)
    triples, seen = [], set()
    for q in quads:
        if q.triple not in seen:
            seen.add(q.triple)
            triples.append(q.triple)
    triples.sort(key=str)
    return {"graph.ttl": ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes),
            "graph.trig": ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes),
            "facts.tsv": facts_tsv(facts).encode("utf-8")}


def write_outputs(out_dir: str | Path, files: dict[str, bytes]) -> list[Path]:
    """Write all files into out_dir, replacing old ones only once every new one is complete."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, data in files.items():
            with open(stage / name, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        out.mkdir(exist_ok=True)
        written = []
        for name in files:
            os.replace(stage / name, out / name)
            written.append(out / name)
        return written
    finally:
        shutil.rmtree(stage, ignore_errors=True)
