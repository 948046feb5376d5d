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

from io import BytesIO

from rdflib import Dataset
from rdflib.plugins.serializers.trig import TrigSerializer

from .errors import UsageError
from .rdf import union_graph
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


class SortedTrigSerializer(TrigSerializer):
    """rdflib's TriG writer with its graphs in a fixed order (default graph first, then by IRI):
    rdflib keeps graphs in a set, whose order changes with PYTHONHASHSEED."""

    def __init__(self, store: Dataset) -> None:
        super().__init__(store)
        default = self.default_context
        self.contexts.sort(key=lambda g: (g.identifier != default, str(g.identifier)))


def trig_bytes(ds: Dataset) -> bytes:
    out = BytesIO()
    SortedTrigSerializer(ds).serialize(out, encoding="utf-8")
    return out.getvalue()


def render(ds: Dataset, facts: list[Fact]) -> dict[str, bytes]:
    """The output files' bytes, by name."""
    ttl = union_graph(ds).serialize(format="turtle")
    return {"graph.ttl": ttl.encode("utf-8"), "graph.trig": trig_bytes(ds),
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
