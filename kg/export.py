"""Write a build's outputs: graph.ttl, graph.trig, facts.tsv — atomically and byte-stably.

Every file is written to a staging folder beside DIR and moved into place only when all are
written, so a failed (or interrupted) run never leaves DIR half-written. ``GraphFiles`` writes
the graph document by document (memory stays flat however large the corpus): graph.trig holds
the default graph, then each document's named graph, each sorted; graph.ttl the triples that
belong to one document as they come, then the sorted set of the rest (entities, rankings,
asserted facts), which several documents may share, each once.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
import hashlib
import os
import shutil
import sqlite3
import tempfile
from operator import itemgetter
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from .errors import UsageError
from .escapes import tsv_cell
from .rdf import LOCAL_NT, PREFIXES
from .records import Fact

TSV_HEADER = ("subject", "predicate", "object", "evidence", "document", "start", "end")


def facts_tsv(facts: Iterable[Fact]) -> str:
    rows = ["\t".join(TSV_HEADER)]
    for f in facts:
        cells = (f.subject.label, f.label, f.obj.label, f.evidence.text, f.evidence.doc_id,
                 str(f.evidence.start), str(f.evidence.end))
        rows.append("\t".join(tsv_cell(c) for c in cells))
    return "\n".join(rows) + "\n"


def write_outputs(out_dir: str | Path, files: dict[str, bytes]) -> list[Path]:
    """Write all files into out_dir, replacing old ones only once every new one is complete."""
    with staging(out_dir) as stage:
        for name, data in files.items():
            (stage / name).write_bytes(data)
    return [Path(out_dir) / name for name in files]


def _sweep(out: Path) -> None:
    """Remove the staging folders a killed build left beside out: their name holds the id of the
    process that made them (``.OUT.PID.random``), and that process is gone."""
    prefix = f".{out.name}."
    for stale in out.parent.iterdir():
        pid = stale.name[len(prefix):].split(".", 1)[0] if stale.name.startswith(prefix) else ""
        if not pid.isdigit() or not stale.is_dir():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(stale, ignore_errors=True)
        except OSError:
            continue   # alive, but not ours to signal


@contextlib.contextmanager
def staging(out_dir: str | Path) -> Iterator[Path]:
    """A staging folder beside out_dir; its files replace out_dir's when the block ends without
    an error (each fsynced first), and are thrown away otherwise."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    _sweep(out)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.{os.getpid()}.", dir=out.parent))
    try:
        yield stage
        names = sorted(p.name for p in stage.iterdir())
        for name in names:
            with open(stage / name, "rb+") as fh:
                os.fsync(fh.fileno())
        out.mkdir(exist_ok=True)
        for name in names:
            os.replace(stage / name, out / name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _rows(triples: Iterable[tuple]) -> list[tuple[str, ox.Triple, tuple]]:
    """(N-Triples line without its " .", Oxigraph triple, triple) of each triple, sorted by that
    line: the order every output uses. Each term's text is made once, by Oxigraph (reading a
    term's attributes back is slow)."""
    rows = []
    for t in triples:
        triple = ox.Triple(*t)
        rows.append((str(triple), triple, t))
    rows.sort(key=itemgetter(0))
    return rows


def ox_pairs(triples: Iterable[tuple], graph: ox.NamedNode | ox.DefaultGraph) -> tuple[list[ox.Quad], list[tuple]]:
    """Triples (Oxigraph terms) as quads in graph, sorted (the order every output uses), and the
    same triples in the same order."""
    rows = _rows(triples)
    return [ox.Quad(*t, graph) for _, _, t in rows], [t for _, _, t in rows]


PREFIX_MAP = {prefix: str(ns) for prefix, ns in PREFIXES}
SHARED_CHUNK = 20_000    # shared triples serialised at a time (a subject cut by a chunk is repeated)


@dataclass
class Rendered:
    """One document's share of every output, as bytes (made where it was parsed or here)."""

    trig: bytes          # its named graph, TriG
    ttl: bytes           # the triples only it has (its document, facts, evidence), Turtle
    shared: str          # N-Triples lines (no " .") of the triples other documents may state too (entities, …)
    tsv: bytes           # its facts.tsv rows
    nt: bytes            # its graph's triples as sorted N-Triples (a store's copy of the graph; empty unless asked)
    digest: str          # hash of nt: the same graph, the same digest (empty without nt)
    facts: int


def render_document(triples: Iterable[tuple], graph: str, facts: list[Fact], nt: bool = True) -> tuple[Rendered, list[tuple]]:
    """A document's outputs from its triples (Oxigraph terms), and those triples in output order;
    ``nt``: make the N-Triples and their digest (only a store needs them; they are as large as
    the rest together)."""
    rows = _rows(triples)
    local = [triple for line, triple, _ in rows if line.startswith(LOCAL_NT)]
    shared = "\n".join(line for line, _, _ in rows if not line.startswith(LOCAL_NT))
    lines = "".join(line + " .\n" for line, _, _ in rows).encode("utf-8") if nt else b""
    tsv = facts_tsv(facts).split("\n", 1)[1].encode("utf-8") if facts else b""
    return Rendered(named_trig([triple for _, triple, _ in rows], ox.NamedNode(graph)),
                    ox.serialize(local, format=ox.RdfFormat.TURTLE, prefixes=PREFIX_MAP),
                    shared, tsv, lines, hashlib.sha256(lines).hexdigest() if nt else "", len(facts)), [t for _, _, t in rows]


def named_trig(triples: list[ox.Triple], graph: ox.NamedNode) -> bytes:
    """TriG of one named graph, byte for byte as Oxigraph writes it from quads, made from the
    Turtle of its triples: its prefixes, the graph's opening line, each Turtle line indented by a
    tab (Oxigraph's Turtle keeps every statement's literals on one line), the closing brace.
    Making a quad per triple cost more than the rest of a document's outputs together."""
    if not triples:
        return b""
    turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIX_MAP)
    body = _strip_prefixes(turtle)
    head = turtle[:len(turtle) - len(body)]
    # the graph's name as Oxigraph writes it (a prefixed name, escaped), from a one-quad graph
    one = ox.serialize([ox.Quad(graph, graph, graph, graph)], format=ox.RdfFormat.TRIG, prefixes=PREFIX_MAP)
    opening = _strip_prefixes(one).split(b"\n", 1)[0]
    return head + opening + b"\n" + b"".join(b"\t" + line + b"\n" for line in body.split(b"\n") if line) + b"}\n"


def _strip_prefixes(data: bytes) -> bytes:
    lines = data.split(b"\n")
    skip = 0
    while skip < len(lines) and lines[skip].startswith(b"@prefix "):
        skip += 1
    return b"\n".join(lines[skip:])


class GraphFiles:
    """graph.trig, graph.ttl and facts.tsv written into a folder document by document; the
    prefix lines of Oxigraph's serialiser are kept from each file's first piece only."""

    def __init__(self, folder: Path, rdf: bool = True) -> None:
        self.rdf = rdf
        names = ("facts.tsv", "graph.trig", "graph.ttl") if rdf else ("facts.tsv",)
        self._files = {name: open(folder / name, "wb") for name in names}
        self._started: set[str] = set()
        self._files["facts.tsv"].write(("\t".join(TSV_HEADER) + "\n").encode("utf-8"))
        # the triples several documents may share, deduplicated and sorted on disk (not in memory)
        self._shared_db = folder / ".shared.sqlite"
        self.shared = sqlite3.connect(self._shared_db)
        self.shared.execute("PRAGMA journal_mode = OFF")
        self.shared.execute("CREATE TABLE t (nt TEXT PRIMARY KEY) WITHOUT ROWID")

    def _rdf(self, name: str, data: bytes) -> None:
        if data:
            self._files[name].write(_strip_prefixes(data) if name in self._started else data)
            self._started.add(name)

    def default(self, quads: list[ox.Quad]) -> None:
        if self.rdf:
            self._rdf("graph.trig", ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIX_MAP))
            self._share([str(q.triple) for q in quads])

    def document(self, rendered: Rendered) -> None:
        """One document's named graph and its facts."""
        self._files["facts.tsv"].write(rendered.tsv)
        if self.rdf:
            self._rdf("graph.trig", rendered.trig)
            self._rdf("graph.ttl", rendered.ttl)
            self._share(rendered.shared.split("\n") if rendered.shared else [])

    def _share(self, triples: list[str]) -> None:
        self.shared.executemany("INSERT OR IGNORE INTO t VALUES (?)", ((t,) for t in triples))

    def close(self) -> None:
        if self.rdf:
            rows = self.shared.execute("SELECT nt FROM t ORDER BY nt")   # byte order of UTF-8: code point order
            while chunk := rows.fetchmany(SHARED_CHUNK):
                text = "".join(f"{t} .\n" for (t,) in chunk)
                triples = [q.triple for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]
                self._rdf("graph.ttl", ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIX_MAP))
        self.shared.close()
        self._shared_db.unlink()
        for fh in self._files.values():
            fh.close()
