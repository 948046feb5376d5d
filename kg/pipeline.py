"""``kg build`` as a library call: documents → nlp → entities/facts → RDF → files or a store.

A build streams: documents are parsed in batches (here, in worker processes or on a Dask
cluster), each one's records go to the build cache at once, and the outputs are then written
document by document from the cache, so memory stays flat as the corpus grows. Documents whose
bytes (and kg, its ontology data and the model) did not change are not parsed again; when
nothing changed at all, nothing is written.
"""
from __future__ import annotations

import contextlib
import gc
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox
from spacy.language import Language

from . import nlp as nlp_mod
from .documents import Document, Source, collect_sources, read_document
from .errors import DataError, InputError, KgError
from .executors import dask_address, map_local, run_dask, run_local
from .export import GraphFiles, Rendered, ox_pairs, render_document, staging
from .incremental import Cache, Record, engine, fingerprint, model_id, record_key
from .lock import build_lock
from .rdf import build_triples, document_triples, graph_iri
from .records import Entity, Fact
from .stores import OxigraphStore, SparqlStore, open_target, parse_store
from .view import page_bytes, plain_triples
from .work import BATCH_SIZE, Outcome  # noqa: F401  (BATCH_SIZE: the benchmarks' batch size)

VIEW_LIMIT = 200_000   # triples drawn in graph.html; a larger build's view shows its first documents
VIEW_DOCUMENTS = 500   # statements drawn in graph.html at most (the view's layout grows faster than linearly)
# allocations between two young-generation collections while building (Python's default: 700);
# parsing allocates millions of short-lived objects, freed by reference counting anyway
GC_THRESHOLD = 50_000
PUT_BATCH = 64         # graphs written to a store between two cache commits
COMMIT_EVERY = 64      # parsed documents between two cache commits (what an interruption can lose)
Progress = Callable[[str, int, int], None]


@dataclass
class BuildResult:
    """What a build did: its documents and facts (when kept), files written, inputs skipped."""

    documents: list[Document] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    problems: list[KgError] = field(default_factory=list)
    document_count: int = 0
    fact_count: int = 0
    parsed: int = 0          # documents parsed in this run
    reused: int = 0          # documents whose records came from the cache
    dropped: int = 0         # documents dropped from the build (--prune)
    graphs_written: int = 0  # named graphs (re)written into a store
    unchanged: bool = False  # the outputs were already up to date: nothing was written
    view_documents: int = 0  # documents drawn in graph.html


def process(documents: list[Document], nlp: Language) -> tuple[list[tuple[Document, Entity | None, list[Fact]]], list[KgError]]:
    """Parse and extract every document in this process; failures are reported, not raised."""
    out, problems = [], []
    for o in run_local(documents, nlp):
        if o.error is not None:
            problems.append(o.error)
        else:
            out.append((o.document, o.publisher, o.facts or []))
    return out, problems


def best_labels(records: Iterable[Record]) -> dict[str, Entity]:
    """One label per entity across the whole build: the gazetteer's, else the fullest one seen."""
    best: dict[str, Entity] = {}
    for _, publisher, facts in records:
        for ent in [publisher, *(f.subject for f in facts), *(f.obj for f in facts), *(f.attributed_to for f in facts)]:
            if isinstance(ent, Entity):
                old = best.get(ent.key)
                if old is None or (not old.known and (len(ent.label), ent.label) > (len(old.label), old.label)):
                    best[ent.key] = ent
    return best


def relabel(best: dict[str, Entity], publisher: Entity | None, facts: list[Fact]) -> tuple[Entity | None, list[Fact]]:
    fix = lambda e: best.get(e.key, e) if isinstance(e, Entity) else e  # noqa: E731
    return fix(publisher), [replace(f, subject=fix(f.subject), obj=fix(f.obj), attributed_to=fix(f.attributed_to))
                            for f in facts]


def build(inputs: Iterable[str | Path], out_dir: str | Path, model: str | None = None,
          nlp: Language | None = None, *, workers: int = 1, store: str = "memory", prune: bool = False,
          executor: str = "local", progress: Progress | None = None, keep: bool = True,
          follow_links: bool = False, wait: bool = True,
          on_wait: Callable[[Path], None] | None = None) -> BuildResult:
    """Build (or bring up to date) the knowledge graph of the inputs: files in out_dir, or a store.

    Bad inputs are reported in the result, not fatal. ``keep`` keeps every document and fact in
    the result (tests); the command line does not, so its memory stays flat. ``follow_links``
    follows links in a folder to files outside it (skipped and reported otherwise). One build at
    a time writes out_dir (kg/lock.py): a second one waits (``on_wait`` is told), or with
    ``wait`` false raises BusyError at once."""
    kind, where = parse_store(store)
    address = dask_address(executor) if executor != "local" else None
    result = BuildResult()
    sources, problems = collect_sources(inputs, follow_links)
    scanned, bad, sizes = _scan(sources)     # doc_id → (hash, path); path → characters; no text kept
    result.problems = problems + bad
    if not scanned:
        raise _nothing("no statements to build", result.problems)   # out_dir untouched
    nlp = nlp or nlp_mod.load(model)
    target = open_target(kind, where) if kind != "memory" else None   # an unreachable store fails before parsing
    try:
        with build_lock(out_dir, wait, on_wait):
            return _build(scanned, sizes, result, out_dir, model, nlp, workers, kind, where, prune, address,
                          progress or (lambda stage, done, total: None), keep, target)
    finally:
        if target is not None:
            target.close()


def _build(scanned: dict[str, tuple[str, str]], sizes: dict[str, int], result: BuildResult, out_dir: str | Path,
           model: str | None, nlp: Language, workers: int, kind: str, where: str, prune: bool,
           address: str | None, say: Progress, keep: bool, target: OxigraphStore | SparqlStore | None) -> BuildResult:
    """The build itself, under out_dir's lock."""
    engine_id = engine(model_id(nlp))
    current = {doc_id: (record_key(engine_id, doc_id, sha), path) for doc_id, (sha, path) in scanned.items()}
    cache = Cache(out_dir)
    with fewer_collections():
        try:
            previous = cache.members()
            known = cache.known(k for k, _ in current.values())
            todo = [Source(Path(path), doc_id) for doc_id, (key, path) in current.items() if key not in known]
            names = {str(s.path): s.name for s in todo}
            result.parsed, result.reused = len(todo), len(current) - len(todo)
            vanished: list[KgError] = []
            documents = _reread(todo, vanished)     # read again one at a time, as the parsers want them
            parsing = ParseProgress(sum(sizes[str(s.path)] for s in todo), say)
            outcomes = run_dask(documents, model or nlp_mod.default_model(), address) if address else \
                run_local(documents, nlp, workers, on_piece=parsing.piece)
            failed = set()
            for o in _store_outcomes(cache, outcomes, current, engine_id, len(todo), parsing):
                result.problems.append(o.error)  # type: ignore[arg-type]
                failed.add(o.document.doc_id)
                del current[o.document.doc_id]
            for err in vanished:
                result.problems.append(err)
                failed.add(names[err.path])  # type: ignore[attr-defined]
                current.pop(names[err.path], None)  # type: ignore[attr-defined]
            # a statement that fails keeps its last good graph, if it had one
            members = ({} if prune else dict(previous)) | current | {d: previous[d] for d in failed if d in previous}
            result.dropped = len(set(previous) - set(members))
            if not members:
                raise _nothing("no statement could be built", result.problems)
            store_key = "memory" if kind == "memory" else f"{kind}:{where}"
            fp = fingerprint(store_key, members, f"view {VIEW_LIMIT} {VIEW_DOCUMENTS}")
            outputs = ("graph.trig", "graph.ttl", "facts.tsv", "graph.html") if kind == "memory" else ("facts.tsv", "graph.html")
            result.document_count = len(members)
            if cache.fingerprint(store_key) == fp and all((Path(out_dir) / n).is_file() for n in outputs):
                result.unchanged = True
                return result
            _write(cache, members, target, store_key, out_dir, result, keep, say, workers if not address else 1)
            cache.finish(store_key, fp, members)
        finally:
            cache.close()
    result.written = [Path(out_dir) / n for n in outputs]
    return result


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """While building: the loaded model frozen out of the garbage collector's passes (it is never
    garbage, and every collection walked it), the young generation collected every GC_THRESHOLD
    allocations; the collector's settings are restored afterwards."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _scan(sources: list[Source]) -> tuple[dict[str, tuple[str, str]], list[KgError], dict[str, int]]:
    """Read every input once for its hash: doc_id → (sha256, path), in path order; one file per
    statement name (a second file with the same name is reported); path → characters of text."""
    found: dict[str, tuple[str, str]] = {}
    problems: list[KgError] = []
    sizes: dict[str, int] = {}
    for path, name in sources:
        try:
            d = read_document(path, name)
        except InputError as exc:
            problems.append(exc)
            continue
        if d.doc_id in found:
            problems.append(InputError(d.path, f"same statement name {d.doc_id!r} as {found[d.doc_id][1]} "
                                               "(a named graph per statement name): rename one"))
        else:
            found[d.doc_id] = (d.sha256, d.path)
            sizes[d.path] = len(d.text)
    return found, problems, sizes


class ParseProgress:
    """The parse stage's progress in characters of text: piece by piece when parsed in this
    process (a long statement shows progress within it), statement by statement otherwise."""

    def __init__(self, total: int, say: Progress) -> None:
        self.total, self.say = total, say
        self.pieces = self.documents = 0

    def piece(self, characters: int) -> None:
        self.pieces += characters
        self.report()

    def document(self, characters: int) -> None:
        self.documents += characters

    def report(self, final: bool = False) -> None:
        done = self.total if final else min(self.total, max(self.pieces, self.documents))
        self.say("parse", done, self.total)


def _reread(sources: list[Source], problems: list[KgError]) -> Iterator[Document]:
    """The documents to parse, read when the parsers get to them (memory holds a few at a time);
    a file that became unreadable since the scan is reported in problems."""
    for path, name in sources:
        try:
            yield read_document(path, name)
        except InputError as exc:
            problems.append(exc)


def _store_outcomes(cache: Cache, outcomes: Iterator[Outcome], current: dict[str, tuple[str, str]],
                    engine_id: str, total: int, parsing: ParseProgress) -> Iterator[Outcome]:
    """Put each good outcome's records into the cache (a batch at a time); yield the failures."""
    batch: list[tuple[str, Record]] = []
    done = 0
    parsing.report()
    for o in outcomes:
        done += 1
        parsing.document(len(o.document.text))
        if o.error is not None:
            yield o
        else:
            key = record_key(engine_id, o.document.doc_id, o.document.sha256)    # the bytes parsed (the file may have changed since the scan)
            current[o.document.doc_id] = (key, o.document.path)
            batch.append((key, (o.document, o.publisher, o.facts or [])))
        if len(batch) >= COMMIT_EVERY or done == total:
            cache.put(batch)
            batch = []
            parsing.report(final=done == total)
    if batch:
        cache.put(batch)


def _write(cache: Cache, members: dict[str, tuple[str, str]], target: OxigraphStore | SparqlStore | None,
           store_key: str, out_dir: str | Path, result: BuildResult, keep: bool, say: Progress, workers: int) -> None:
    """Write every output from the cached records, one document at a time (rendered in
    ``workers`` processes; this one writes them in order and draws the view)."""
    order = sorted(members)
    items = [(d, *members[d]) for d in order]
    best = best_labels(cache.records([k for _, k, _ in items]))
    written = cache.digests(store_key) if target else {}
    caches = {os.getpid(): cache}

    def render(item: tuple[int, str, str, str]) -> tuple[Rendered, list[tuple] | None, Record | None]:
        i, doc_id, key, path = item
        here = caches.get(os.getpid()) or caches.setdefault(os.getpid(), Cache(out_dir))  # one per process
        document, publisher, facts = here.get(key)
        document = replace(document, path=path)
        publisher, facts = relabel(best, publisher, facts)
        rendered, triples = render_document(document_triples(document, publisher, facts), str(graph_iri(doc_id)), facts,
                                            nt=target is not None)
        drawn = plain_triples(triples) if i <= VIEW_DOCUMENTS else None     # what the view may draw of it
        return rendered, drawn, (document, publisher, facts) if keep else None

    view: dict[tuple, None] = {}
    drawn = 0
    with staging(out_dir) as stage:
        files = GraphFiles(stage, rdf=target is None)
        changed: list[tuple[str, str | None]] = []
        numbered = [(i, *item) for i, item in enumerate(items, 1)]
        for i, (item, (rendered, triples, kept)) in enumerate(zip(items, map_local(render, numbered, workers)), 1):
            doc_id = item[0]
            files.document(rendered)
            if target is not None and written.get(doc_id) != rendered.digest:
                target.put(str(graph_iri(doc_id)), rendered.nt)
                changed.append((doc_id, rendered.digest))
                result.graphs_written += 1
                if len(changed) >= PUT_BATCH:
                    cache.set_digests(store_key, changed)
                    changed = []
            if drawn == i - 1 and triples is not None and len(view) + len(triples) <= VIEW_LIMIT:
                view.update(dict.fromkeys(triples))
                drawn = i
            result.fact_count += rendered.facts
            if kept is not None:
                result.documents.append(kept[0])
                result.facts += kept[2]
            if i % 256 == 0 or i == len(order):
                say("write", i, len(order))
        default, build = ox_pairs(build_triples(), ox.DefaultGraph())
        files.default(default)
        view.update(dict.fromkeys(plain_triples(build)))
        if target is not None:
            for doc_id in sorted(set(written) - set(members)):
                target.drop(str(graph_iri(doc_id)))
                changed.append((doc_id, None))
            cache.set_digests(store_key, changed)
            target.refresh_default(default)
        files.close()
        result.view_documents = drawn
        title = None if drawn == len(order) else f"Knowledge graph of {len(order)} statements (the first {drawn} drawn)"
        (stage / "graph.html").write_bytes(page_bytes(_Triples(list(view)), title))  # type: ignore[arg-type]


class _Triples:
    """What the view reads of a graph (``triples``), over a plain list: no rdflib store to fill."""

    def __init__(self, triples: list[tuple]) -> None:
        self._triples = triples

    def triples(self, pattern: tuple) -> Iterator[tuple]:
        return iter(self._triples)


def _nothing(message: str, problems: list[KgError]) -> DataError:
    err = DataError(message + (f"; {len(problems)} input(s) skipped" if problems else ""))
    err.problems = problems  # type: ignore[attr-defined]
    err.exit_code = 2 if problems else 1
    return err
