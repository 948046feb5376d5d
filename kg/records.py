"""Plain records passed between pipeline stages: entities, values, evidence, facts.

Extraction yields these; only kg/rdf.py turns them into IRIs and triples.
"""
from __future__ import annotations

from dataclasses import dataclass, field


# Entity classes that are organisations (bodies that act, speak, chair, publish).
ORG_CLASSES = frozenset({"Organization", "GovernmentBody", "Government", "Committee"})


@dataclass(frozen=True)
class Entity:
    """One real thing: a stable key (→ IRI), its ontology class and preferred label."""

    key: str
    cls: str
    label: str
    aliases: tuple[str, ...] = ()
    part_of: str | None = None
    known: bool = False          # from the gazetteer or an entity pattern


@dataclass(frozen=True)
class Value:
    """A literal object: a date (ISO), a quantity or a title."""

    text: str
    kind: str = "string"         # string | date | quantity

    @property
    def label(self) -> str:
        return self.text


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the document, the sentence text and its offsets in the file."""

    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Fact:
    """subject –property→ object, with its evidence and how it was said.

    ``negated`` and ``modality`` keep "has never been" and "may be" apart from plain facts;
    ``attributed_to`` is the speaker a reported fact comes from; ``qualifiers`` keep dates,
    quantities, the report and year of a ranking attached to the fact they qualify.
    """

    subject: Entity
    prop: str
    label: str
    obj: Entity | Value
    evidence: Evidence
    negated: bool = False
    modality: str = "asserted"   # asserted | possible | intended | desired | obligation | attempted
    attributed_to: Entity | None = None
    qualifiers: tuple[tuple[str, str], ...] = field(default=())

    def sort_key(self) -> tuple:
        return (self.evidence.start, self.subject.label, self.label, self.obj.label)
