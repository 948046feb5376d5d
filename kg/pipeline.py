"""``kg build`` as a library call: documents → nlp → entities/facts → RDF → files."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from spacy.language import Language

from . import nlp as nlp_mod
from .documents import Document, collect_paths, read_documents
from .errors import DataError, InputError, KgError
from .export import render, write_outputs
from .extract import extract
from .rdf import build_dataset
from .records import Entity, Fact
from .view import page_bytes

BATCH_SIZE = 16


@dataclass
class BuildResult:
    """What a build did: documents built, facts, files written, and every input it skipped."""

    documents: list[Document] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    problems: list[KgError] = field(default_factory=list)


def process(documents: list[Document], nlp: Language) -> tuple[list[tuple[Document, Entity | None, list[Fact]]], list[KgError]]:
    """Parse and extract every document; one that fails is reported, the others go on."""
    out, problems = [], []
    ok = []
    for document in documents:
        if len(document.text) >= nlp.max_length:
            problems.append(InputError(document.path, f"text longer than the model's max_length ({nlp.max_length} characters)"))
        else:
            ok.append(document)
    for document, doc in zip(ok, nlp.pipe((d.text for d in ok), batch_size=BATCH_SIZE)):
        try:
            facts, publisher = extract(doc, document)
        except Exception as exc:  # one statement the extractors cannot handle must not sink the build
            problems.append(DataError(f"{document.path}: facts could not be extracted "
                                      f"({type(exc).__name__}: {str(exc)[:160]}); please report this"))
            continue
        out.append((document, publisher, facts))
    return out, problems


def canonical_labels(results: list[tuple[Document, Entity | None, list[Fact]]]) -> list[tuple[Document, Entity | None, list[Fact]]]:
    """One label per entity across the whole build: the gazetteer's, else the fullest one seen."""
    best: dict[str, Entity] = {}
    for _, publisher, facts in results:
        for ent in [publisher, *(f.subject for f in facts), *(f.obj for f in facts), *(f.attributed_to for f in facts)]:
            if isinstance(ent, Entity):
                old = best.get(ent.key)
                if old is None or (not old.known and (len(ent.label), ent.label) > (len(old.label), old.label)):
                    best[ent.key] = ent
    fix = lambda e: best.get(e.key, e) if isinstance(e, Entity) else e
    return [(d, fix(p), [replace(f, subject=fix(f.subject), obj=fix(f.obj), attributed_to=fix(f.attributed_to))
                         for f in facts]) for d, p, facts in results]


def build(inputs: Iterable[str | Path], out_dir: str | Path, model: str | None = None,
          nlp: Language | None = None) -> BuildResult:
    """Build the knowledge graph of the inputs into out_dir; bad inputs are reported, not fatal."""
    result = BuildResult()
    paths, problems = collect_paths(inputs)
    documents, bad = read_documents(paths)
    result.problems = problems + bad
    if not documents:
        raise _nothing("no statements to build", result.problems)
    nlp = nlp or nlp_mod.load(model)
    results, skipped = process(documents, nlp)
    result.problems += skipped
    if not results:
        raise _nothing("no statement could be built", result.problems)
    results = canonical_labels(results)
    ds = build_dataset(results)
    result.documents = [d for d, _, _ in results]
    result.facts = [f for _, _, facts in results for f in facts]
    files = render(ds, result.facts)
    ds.default_union = True     # the view reads all named graphs as one, without copying them
    try:
        files["graph.html"] = page_bytes(ds)
    finally:
        ds.default_union = False
    result.written = write_outputs(out_dir, files)
    return result


def _nothing(message: str, problems: list[KgError]) -> DataError:
    err = DataError(message + (f"; {len(problems)} input(s) skipped" if problems else ""))
    err.problems = problems  # type: ignore[attr-defined]
    err.exit_code = 2 if problems else 1
    return err
