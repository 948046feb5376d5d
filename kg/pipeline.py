"""``kg build`` as a library call: documents → nlp → entities/facts → RDF → files or a store.

A build streams: documents are parsed in batches (here, in worker processes or on a Dask
cluster), each one's records go to the build cache at once, and the outputs are then written
document by document from the cache, so memory stays flat as the corpus grows. Documents whose
bytes (and kg, its ontology data and the model) did not change are not parsed again; when
nothing changed at all, nothing is written.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox
from spacy.language import Language

from . import executors, nlp as nlp_mod
from .documents import Document, collect_paths, read_documents
from .errors import DataError, InputError, KgError
from .executors import dask_address, map_local, run_dask, run_local
from .export import GraphFiles, Rendered, ox_pairs, render_document, staging
from .incremental import Cache, Record, engine, fingerprint, model_id, record_key
from .rdf import build_triples, document_triples, graph_iri
from .records import Entity, Fact
from .stores import OxigraphStore, SparqlStore, open_target, parse_store
from .view import page_bytes
from .work import BATCH_SIZE, Outcome  # noqa: F401  (BATCH_SIZE: the benchmarks' batch size)

VIEW_LIMIT = 200_000   # triples drawn in graph.html; a larger build's view shows its first documents
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
          executor: str = "local", progress: Progress | None = None, keep: bool = True) -> BuildResult:
    """Build (or bring up to date) the knowledge graph of the inputs: files in out_dir, or a store.

    Bad inputs are reported in the result, not fatal. ``keep`` keeps every document and fact in
    the result (tests); the command line does not, so its memory stays flat."""
    kind, where = parse_store(store)
    address = dask_address(executor) if executor != "local" else None
    say = progress or (lambda stage, done, total: None)
    result = BuildResult()
    paths, problems = collect_paths(inputs)
    documents, bad = read_documents(paths)
    documents, twins = _unique(documents)
    result.problems = problems + bad + twins
    if not documents:
        raise _nothing("no statements to build", result.problems)
    nlp = nlp or nlp_mod.load(model)
    engine_id = engine(model_id(nlp))
    target = open_target(kind, where) if kind != "memory" else None   # an unreachable store fails before parsing
    cache = Cache(out_dir)
    try:
        previous = cache.members()
        current = {d.doc_id: (record_key(engine_id, d), d.path) for d in documents}
        known = cache.known(k for k, _ in current.values())
        todo = [d for d in documents if current[d.doc_id][0] not in known]
        result.parsed, result.reused = len(todo), len(documents) - len(todo)
        outcomes = run_dask(todo, model or nlp_mod.default_model(), address) if address else run_local(todo, nlp, workers)
        failed = set()
        for o in _store_outcomes(cache, outcomes, current, len(todo), say):
            result.problems.append(o.error)  # type: ignore[arg-type]
            failed.add(o.document.doc_id)
            del current[o.document.doc_id]
        # a statement that fails keeps its last good graph, if it had one
        members = ({} if prune else dict(previous)) | current | {d: previous[d] for d in failed if d in previous}
        result.dropped = len(set(previous) - set(members))
        if not members:
            raise _nothing("no statement could be built", result.problems)
        store_key = "memory" if kind == "memory" else f"{kind}:{where}"
        fp = fingerprint(store_key, members, f"view {VIEW_LIMIT}")
        outputs = ("graph.trig", "graph.ttl", "facts.tsv", "graph.html") if kind == "memory" else ("facts.tsv", "graph.html")
        result.document_count = len(members)
        if cache.fingerprint(store_key) == fp and all((Path(out_dir) / n).is_file() for n in outputs):
            result.unchanged = True
            return result
        _write(cache, members, target, store_key, out_dir, result, keep, say, workers if not address else 1)
        cache.finish(store_key, fp, members)
    finally:
        cache.close()
        if target is not None:
            target.close()
    result.written = [Path(out_dir) / n for n in outputs]
    return result


def _store_outcomes(cache: Cache, outcomes: Iterator[Outcome], current: dict[str, tuple[str, str]],
                    total: int, say: Progress) -> Iterator[Outcome]:
    """Put each good outcome's records into the cache (a batch at a time); yield the failures."""
    batch: list[tuple[str, Record]] = []
    done = 0
    say("parse", 0, total)
    for o in outcomes:
        done += 1
        if o.error is not None:
            yield o
        else:
            batch.append((current[o.document.doc_id][0], (o.document, o.publisher, o.facts or [])))
        if len(batch) >= COMMIT_EVERY or done == total:
            cache.put(batch)
            batch = []
            say("parse", done, total)
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
    inline = workers <= 1 or len(items) <= executors.CHUNK
    caches = {os.getpid(): cache}

    def render(item: tuple[str, str, str]) -> tuple[Rendered, list[tuple] | None, Record | None]:
        doc_id, key, path = item
        here = caches.get(os.getpid()) or caches.setdefault(os.getpid(), Cache(out_dir))  # one per process
        document, publisher, facts = here.get(key)
        document = replace(document, path=path)
        publisher, facts = relabel(best, publisher, facts)
        rendered, triples = render_document(document_triples(document, publisher, facts), str(graph_iri(doc_id)), facts)
        return rendered, triples if inline else None, (document, publisher, facts) if keep else None

    view: dict[tuple, None] = {}
    drawn = 0
    with staging(out_dir) as stage:
        files = GraphFiles(stage, rdf=target is None)
        changed: list[tuple[str, str | None]] = []
        for i, (item, (rendered, triples, kept)) in enumerate(zip(items, map_local(render, items, workers)), 1):
            doc_id = item[0]
            files.document(rendered)
            if target is not None and written.get(doc_id) != rendered.digest:
                target.put(str(graph_iri(doc_id)), rendered.nt)
                changed.append((doc_id, rendered.digest))
                result.graphs_written += 1
                if len(changed) >= PUT_BATCH:
                    cache.set_digests(store_key, changed)
                    changed = []
            if drawn == i - 1:
                triples = triples if triples is not None else _view_triples(cache, best, item)
                if len(view) + len(triples) <= VIEW_LIMIT:
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
        view.update(dict.fromkeys(build))
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


def _view_triples(cache: Cache, best: dict[str, Entity], item: tuple[str, str, str]) -> list[tuple]:
    """A document's triples in output order, for the view (when it was rendered elsewhere)."""
    doc_id, key, path = item
    document, publisher, facts = cache.get(key)
    publisher, facts = relabel(best, publisher, facts)
    return ox_pairs(document_triples(replace(document, path=path), publisher, facts), ox.NamedNode(str(graph_iri(doc_id))))[1]


class _Triples:
    """What the view reads of a graph (``triples``), over a plain list: no rdflib store to fill."""

    def __init__(self, triples: list[tuple]) -> None:
        self._triples = triples

    def triples(self, pattern: tuple) -> Iterator[tuple]:
        return iter(self._triples)


def _unique(documents: list[Document]) -> tuple[list[Document], list[KgError]]:
    """One document per graph name (the file stem): a second file with the same stem is reported."""
    seen: dict[str, Document] = {}
    problems: list[KgError] = []
    for d in documents:
        if d.doc_id in seen:
            problems.append(InputError(d.path, f"same statement name {d.doc_id!r} as {seen[d.doc_id].path} "
                                               "(a named graph per file name): rename one"))
        else:
            seen[d.doc_id] = d
    return list(seen.values()), problems


def _nothing(message: str, problems: list[KgError]) -> DataError:
    err = DataError(message + (f"; {len(problems)} input(s) skipped" if problems else ""))
    err.problems = problems  # type: ignore[attr-defined]
    err.exit_code = 2 if problems else 1
    return err
