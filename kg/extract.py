"""One parsed statement → its facts and entities: runs the extractors sentence by sentence."""
from __future__ import annotations

import re
from typing import Iterator

from spacy.tokens import Doc, Span, Token

from . import resources
from .claims import (Discourse, accusation_facts, evaluation_facts, recommendation_facts, reported_facts,
                     stance_facts)
from .nouns import (action_facts, apposed_post_facts, component_facts, membership_facts, noun_facts,
                    oversight_facts, post_facts)
from .rankings import heading_facts, ranking_facts
from .dates import iso_date
from .documents import Document
from .entities import Resolver
from .records import Entity, Evidence, Fact, Value
from .phrases import evidence_for
from .arguments import Arguments
from .relations import item_verb_facts, joint_facts
from .extraction.stance import charge_facts, hearsay_facts
from .extraction.lists import Lead, content_lead, item_facts
from .extraction.verbs import verb_facts
from .extraction.roles import role_facts

VOICE_PROPS = {"respondsTo", "opposes", "rejects", "denies"}
# "(a) extend …", "b. appoint …", "- launch …", "1) set up …": an item of an enumerated list.
LIST_ITEM = re.compile(r"^\s*(?:\(?[a-z0-9]{1,4}[.)]|[-•*–])\s+")


def extract(doc: Doc, document: Document) -> tuple[list[Fact], Entity | None]:
    """All facts of one statement, deduplicated, in text order, and its publisher (if named)."""
    resolver = Resolver(doc, document)
    args = Arguments(resolver)
    talk = Discourse(voice=resolver.publisher or first_opponent(doc, args))
    facts: list[Fact] = list(meta_facts(document, resolver.publisher))
    facts += heading_facts(doc, args, resolver.report)
    owner: Token | None = None      # the subject of a sentence that opens a list ("… includes:")
    lead: Lead | None = None        # what a list's items are, when they are content ("charges of:")
    after_marker = False
    tokens = list(doc)
    for span in doc.sents:
        sent = Sentence(span, tokens[span.start:span.end])
        if not sent.text.strip():
            continue
        if LIST_ITEM.fullmatch(sent.text.strip() + " "):
            after_marker = True     # a bare "(c)": the next sentence is the item
            continue
        marker = LIST_ITEM.match(sent.text)
        is_item, after_marker = bool(marker) or after_marker, False
        args.blocked = {t.i for t in sent if marker and t.idx < sent.start_char + marker.end()}
        args.misread = {}
        if not is_item:
            owner, lead = list_owner(sent, args), content_lead(sent.tokens, args)
        ev = evidence_for(sent, document.doc_id, document.offset)
        claims, skip, attributed = reported_facts(sent, args, ev, talk)
        if is_item and lead is not None:     # an item that is content: its verbs state nothing as done
            skip |= {t.i for t in sent}
            claims += item_facts(lead, sent.tokens, sent.start_char + (marker.end() if marker else 0), ev, args)
        if talk.quoting is not None:     # inside a quotation opened by an earlier sentence
            attributed = {t.i: talk.quoting for t in sent} | attributed
        talk.quoting = quote_state(sent.text, talk.quoting, attributed)
        resolver.voice, resolver.quoted = talk.voice, attributed
        found = claims + list(stance_facts(sent, args, ev, talk, resolver.report))
        if talk.voice is None:       # who answers: the first to oppose or reject, when no publisher is named
            talk.voice = next((f.subject for f in found if f.prop in VOICE_PROPS), None)
        advice = recommendation_facts(sent, args, ev, talk, resolver.report)
        if advice:                # a report's recommendation asserts nothing it names
            found += advice
            skip |= {t.i for t in sent}
        accusations, accounted = accusation_facts(sent, args, ev, talk)
        found += accusations
        skip |= accounted
        found += charge_facts(sent.tokens, args, ev, talk.voice, attributed, skip)
        found += hearsay_facts(sent.tokens, args, ev, talk.voice or resolver.report, attributed)
        found += ranking_facts(sent, args, ev, resolver.report)
        found += noun_facts(sent, args, ev)
        found += component_facts(sent, args, ev)
        found += oversight_facts(sent, args, ev)
        found += action_facts(sent, args, ev)
        found += membership_facts(sent, args, ev)
        found += post_facts(sent, args, ev)
        found += apposed_post_facts(sent, args, ev)
        found += role_facts(sent, args, ev)
        if is_item and lead is None:
            found += item_verb_facts(sent, args, ev, owner)
        list_owner_ = args.agent(owner) if is_item and owner is not None else None
        found += verb_facts(sent.tokens, args, ev, skip, attributed, list_owner_)
        found += joint_facts(sent, args, ev)
        found += evaluation_facts(sent, args, ev, talk, resolver.report)
        if talk.voice is None:
            talk.voice = next((f.subject for f in found if f.prop in VOICE_PROPS), None)
        facts += found
    facts = [_relabel(_iso(f, document.date), resolver.entities) for f in dedupe(facts)]   # the fullest label seen
    return facts, resolver.publisher


class Sentence:
    """A sentence (its Span's attributes) whose tokens are made once: a dozen extractors walk
    each sentence, and iterating a Span makes a new Token object at every step."""

    __slots__ = ("span", "tokens", "text", "start", "end", "start_char", "doc")

    def __init__(self, span: Span, tokens: list[Token]) -> None:
        self.span, self.tokens = span, tokens
        # read by every extractor; spaCy joins a span's text anew at each reading
        self.text, self.start, self.end, self.start_char, self.doc = span.text, span.start, span.end, span.start_char, span.doc

    def __iter__(self) -> Iterator[Token]:
        return iter(self.tokens)

    def __len__(self) -> int:
        return len(self.tokens)

    def __getitem__(self, index: int | slice) -> Token | Span:
        return self.span[index]

    def __getattr__(self, name: str) -> object:
        return getattr(self.span, name)


def first_opponent(doc: Doc, args: Arguments) -> Entity | None:
    """A statement with no named publisher speaks through whoever first opposes or rejects
    something in it ("The HKSAR Government strongly disagreed with …")."""
    stance = resources.word_set("stance_verb") | resources.word_set("stance_carrier")
    nouns = resources.word_set("stance_noun")
    for token in doc:
        if token.pos_ != "VERB" or token.lemma_.lower() not in stance:
            continue
        if token.lemma_.lower() in resources.word_set("stance_carrier") and not any(
                c.lemma_.lower() in nouns for c in token.children if c.dep_ in ("dobj", "obj")):
            continue
        for subject in args.subjects(token):
            agent = args.agent(subject)
            if agent is not None and agent.cls not in ("Concept", "Report"):
                return agent
    return None


def quote_state(text: str, speaker: Entity | None, attributed: dict[int, Entity]) -> Entity | None:
    """Who is still speaking after this sentence: a quotation left open ("… said, “S1. S2 …")
    keeps its speaker until the closing quotation mark."""
    curly = "“" in text or "”" in text
    straight_odd = text.count('"') % 2 == 1
    if speaker is not None:            # inside a quotation: does this sentence close it?
        closes = text.count("”") > text.count("“") if curly else straight_odd
        return None if closes else speaker
    opens = text.count("“") > text.count("”") if curly else straight_odd
    return next(iter(attributed.values())) if opens and attributed else None


def list_owner(sent: Span, args: Arguments) -> Token | None:
    """The subject of a sentence ending in a colon, which the list items after it share."""
    if not sent.text.rstrip().endswith(":"):
        return None
    root = sent.root
    subjects = args.subjects(root)
    return subjects[0] if subjects and args.agent(subjects[0]) is not None else None


def meta_facts(document: Document, publisher: Entity | None) -> list[Fact]:
    """``publisher issued on date`` from the front matter or the dateline."""
    if publisher is None or not document.date or not document.date_evidence:
        return []
    start, end, text = document.date_evidence
    return [Fact(publisher, "issuedOn", "issued on", Value(document.date, "date"),
                 Evidence(document.doc_id, start, end, text))]


def dedupe(facts: list[Fact]) -> list[Fact]:
    seen, out = set(), []
    for f in facts:
        key = (f.subject.key, f.label, f.obj.key if isinstance(f.obj, Entity) else f.obj.text, f.negated, f.modality)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _iso(fact: Fact, statement_date: str | None) -> Fact:
    """A date object in ISO 8601 where its year is known ("June 30" in a 2016 statement)."""
    if not isinstance(fact.obj, Value) or fact.obj.kind != "date":
        return fact
    iso = iso_date(fact.obj.text, statement_date)
    from dataclasses import replace
    return replace(fact, obj=Value(iso, "date")) if iso else fact


def _relabel(fact: Fact, entities: dict[str, Entity]) -> Fact:
    from dataclasses import replace
    subject = entities.get(fact.subject.key, fact.subject)
    obj = entities.get(fact.obj.key, fact.obj) if isinstance(fact.obj, Entity) else fact.obj
    return replace(fact, subject=subject, obj=obj)
