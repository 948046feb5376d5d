"""The voice's charges: in a statement's own words, a clause about another party that carries a
negative evaluation is the voice's allegation, not a fact of the world.

"The United States abuses export controls and wantonly imposes sanctions" in a ministry's
statement → the ministry alleges "United States abuses export controls", alleges "United States
imposes sanctions", and criticizes the United States. The negative words are data (words.tsv
``negative_eval``, ``criticism_verb``, ``accusation_noun``, ``accusatory_word``).
"""
from __future__ import annotations

from spacy.tokens import Token

from .. import resources
from ..arguments import Arguments
from ..claims import tokens_text
from ..keys import claim_entity
from ..records import Entity, Evidence, Fact
from .frames import verbal_frames
from .mapping import doer

PARTIES = {"Organization", "GovernmentBody", "Government", "Committee", "Jurisdiction", "Report", "Person"}


def charge_facts(tokens: list[Token], args: Arguments, ev: Evidence, voice: Entity | None,
                 attributed: dict[int, Entity], skip: set[int]) -> list[Fact]:
    """The voice's allegations in one sentence; the verbs they account for are added to ``skip``."""
    if voice is None or not _negative(tokens):
        return []
    facts: list[Fact] = []
    criticized: set[str] = set()
    home = args.resolver.jurisdiction
    own = {voice.key, voice.part_of or "", home.key if home is not None else ""}   # the voice and its country
    for frame in verbal_frames(tokens, args):
        verb = frame.predicate
        if verb.i in skip or verb.i in attributed or frame.scope.source is not None:
            continue
        parties = [p for p in (doer(t, args) for t in frame.role("agent")) if p is not None
                   and p.cls in PARTIES and p.key not in own]
        if not parties or frame.modality not in ("asserted", "possible"):
            continue
        for party in parties:
            what = _clause(verb, party, args)
            facts.append(Fact(voice, "alleges", "alleges", claim_entity(ev.doc_id, what), ev))
            if party.key not in criticized:
                criticized.add(party.key)
                facts.append(Fact(voice, "criticizes", "criticizes", party, ev))
        skip.add(verb.i)
    return facts


def _negative(tokens: list[Token]) -> bool:
    words = (resources.word_set("negative_eval") | resources.word_set("criticism_verb")
             | resources.word_set("accusation_noun") | resources.word_set("accusatory_word"))
    return any(t.lower_ in words or t.lemma_.lower() in words for t in tokens)


def _clause(verb: Token, party: Entity, args: Arguments, whole: bool = False) -> str:
    """The charge in words: the clause of the verb (its own conjuncts left out unless ``whole``),
    led by the party."""
    skip = set() if whole else {t.i for c in verb.children if c.dep_ in ("conj", "cc") for t in c.subtree}
    words = [t for t in verb.subtree if t.i not in skip and t.dep_ not in ("nsubj", "nsubjpass") or t.i == verb.i]
    own_subject = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    inner = {t.i for s in own_subject for t in s.subtree}
    words = [t for t in words if t.i not in inner]
    return f"{party.label} {tokens_text(words, args.resolver)}".strip()


HEARSAY = {"reportedly", "allegedly", "purportedly", "apparently"}
CONCERN = {"concern", "concerns", "allegation", "allegations", "reports", "fears", "claims", "suspicion", "suspicions"}


def hearsay_facts(tokens: list[Token], args: Arguments, ev: Evidence, author: Entity | None,
                  attributed: dict[int, Entity]) -> list[Fact]:
    """What a statement passes on without vouching for it is its allegation: "authorities
    reportedly detained victims", "concerns that corruption facilitated trafficking" → the
    statement's author (its voice, else the report it is) alleges the clause."""
    if author is None:
        return []
    facts, seen = [], set()
    for frame in verbal_frames(tokens, args):
        verb = frame.predicate
        if verb.i in attributed or frame.scope.modal_word not in HEARSAY:
            continue
        while verb.dep_ == "conj" and verb.head.pos_ == "VERB":
            verb = verb.head          # "reportedly arrested, detained and deported X": one claim
        parties = [p for p in (doer(t, args) for t in frame.role("agent")) if p is not None]
        for party in parties:
            if (verb.i, party.key) not in seen:
                seen.add((verb.i, party.key))
                what = _clause(verb, party, args, whole=True)
                facts.append(Fact(author, "alleges", "alleges", claim_entity(ev.doc_id, what), ev))
    for noun in tokens:
        if noun.lower_ not in CONCERN or noun.i in attributed:
            continue
        for clause in (c for c in noun.children if c.dep_ in ("acl", "ccomp") and c.pos_ in ("VERB", "AUX")
                       and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)):
            text = tokens_text([t for t in clause.subtree if not (t.dep_ == "mark" and t.head.i == clause.i)], args.resolver)
            facts.append(Fact(author, "alleges", "alleges", claim_entity(ev.doc_id, text), ev))
    return facts
