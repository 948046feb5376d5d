"""The per-document work of a build: cut long texts, parse in batches, extract facts.

Every executor (one process, a pool of processes, a Dask cluster) runs ``process`` over its share
of the documents; the result of a document never depends on which batch or worker it was in, so
every executor gives the same output.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Iterator

from spacy.language import Language

from .documents import Document
from .errors import DataError, KgError
from .extract import dedupe, extract
from .records import Entity, Fact

BATCH_SIZE = 16
BATCH_CHARS = 200_000     # characters parsed at once, at most (a longer text is a few pieces at a time)
# a longer text is parsed (and its names resolved) in pieces of at most this many characters: the
# work per piece is bounded, so a long text's time grows linearly, and progress shows piece by piece
PIECE_CHARS = 100_000
# where a long text may be cut, best first: a blank line, a line break, after a sentence, a space
CUTS = (re.compile(r"\n[ \t]*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?…;])[\"”’')\]]*\s+"), re.compile(r"\s+"))


@dataclass
class Outcome:
    """One document's result: its records, or the error that stopped it."""

    document: Document
    publisher: Entity | None = None
    facts: list[Fact] | None = None
    error: KgError | None = None


def cut(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) pieces of text, each shorter than limit, cut at the best boundary available
    (paragraph, line, sentence, space; a hard cut only inside a limit-long word)."""
    pieces, start = [], 0
    while len(text) - start >= limit:
        window = text[start:start + limit - 1]
        found = [[m.end() for m in pattern.finditer(window) if m.end() > 0] for pattern in CUTS]
        # the best kind of boundary in the window's second half, else any boundary, else a hard cut
        end = next((ends[-1] for ends in found if ends and ends[-1] >= len(window) // 2), 0) \
            or max((ends[-1] for ends in found if ends), default=0) or len(window)
        pieces.append((start, start + end))
        start += end
    if start < len(text):
        pieces.append((start, len(text)))
    return pieces


def pieces(document: Document, limit: int) -> list[Document]:
    """The document itself, or its pieces (each a Document whose offset maps back into the file)."""
    if len(document.text) < limit:
        return [document]
    out = []
    for start, end in cut(document.text, limit):
        first = start == 0
        out.append(replace(document, text=document.text[start:end], offset=document.offset + start,
                           dateline_end=document.dateline_end if first else 0))
    return out


def process(documents: Iterable[Document], nlp: Language, batch_size: int = BATCH_SIZE,
            on_piece: Callable[[int], None] | None = None) -> Iterator[Outcome]:
    """Parse and extract every document, in order; one that fails is reported, the others go on.
    ``on_piece(characters)`` is told as each piece of text has been read."""
    docs = list(documents)
    limit = min(nlp.max_length, PIECE_CHARS)
    parts = [(i, piece) for i, d in enumerate(docs) for piece in pieces(d, limit)]
    parsed = _parse([p.text for _, p in parts], nlp, batch_size)
    current: list[tuple[list[Fact], Entity | None] | Exception] = []   # a piece's Doc is dropped once read
    index = 0
    for (i, piece), doc in zip(parts, parsed):
        if i != index and current:
            yield _extract(docs[index], current)
            current = []
        index = i
        current.append(_read(piece, doc))
        if on_piece is not None:
            on_piece(len(piece.text))
    if current:
        yield _extract(docs[index], current)


def _parse(texts: list[str], nlp: Language, batch_size: int) -> Iterator[object]:
    """nlp.pipe over texts in batches of at most batch_size texts and BATCH_CHARS characters: the
    parser's memory grows with the characters of a batch (~2.4 GB for one million), so the pieces
    of a long text are parsed a few at a time, never sixteen million characters at once."""
    group: list[str] = []
    size = 0
    for text in texts:
        if group and (len(group) >= batch_size or size + len(text) > BATCH_CHARS):
            yield from nlp.pipe(group, batch_size=len(group))
            group, size = [], 0
        group.append(text)
        size += len(text)
    if group:
        yield from nlp.pipe(group, batch_size=len(group))


def _read(piece: Document, doc: object) -> tuple[list[Fact], Entity | None] | Exception:
    """One parsed piece's facts and voice, or what stopped its extraction."""
    try:
        return extract(doc, piece)  # type: ignore[arg-type]
    except Exception as exc:  # one statement the extractors cannot handle must not sink the build
        return exc


def _extract(document: Document, read: list[tuple[list[Fact], Entity | None] | Exception]) -> Outcome:
    facts: list[Fact] = []
    publisher = None
    for result in read:
        if isinstance(result, Exception):
            return Outcome(document, error=DataError(f"{document.path}: facts could not be extracted "
                                                     f"({type(result).__name__}: {str(result)[:160]}); please report this"))
        found, who = result
        facts += found
        publisher = publisher or who
    return Outcome(document, publisher, dedupe(facts) if len(read) > 1 else facts)
