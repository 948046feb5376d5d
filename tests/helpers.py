"""Small helpers for rule tests: run extraction over a sentence and list facts as label triples."""
from __future__ import annotations

from kg.documents import Document
from kg.extract import extract


def facts_of(nlp, text: str, **meta: str):
    """Facts of a one-off statement written in the test (no file needed)."""
    document = Document(path="<test>", text=text, doc_id="test", meta=dict(meta),
                        date=meta.get("date"), place=meta.get("place"))
    facts, _ = extract(nlp(text), document)
    return facts


def triples(nlp, text: str, **meta: str) -> set[tuple[str, str, str]]:
    return {(f.subject.label, f.label, f.obj.label) for f in facts_of(nlp, text, **meta)}
