"""Eventive nouns as frames: "the enactment of the Act by Parliament", "Thailand's adoption of
the plan", "calls for the repeal of the law" — the noun's verb (words.tsv ``action_noun`` and
``nominal_verb``) with its agent (a possessor or a "by" phrase) and patient (its "of" phrase).

A noun's event is as real as its governing verb says: under a verb of wishing or advising
("calls for the repeal of") it is desired; under "may"/"should" it keeps that modality; a
negated governing verb ("did not welcome the adoption") does not deny the event.
"""
from __future__ import annotations

from spacy.tokens import Token

from .. import resources
from ..arguments import Arguments
from ..phrases import coordination
from . import hedges
from .frames import Arg, Frame
from .scope import Scope, read_scope

# Prepositions whose event noun is a deed of the clause's subject: "implemented reforms, including
# the removal of the certificate", "fought corruption through the adoption of a law".
SHARED_DOER = {"including", "through", "via", "by", "with", "in"}
ASSERTED = Scope(False, "", "asserted", "", None, "main")


def nominal_frames(tokens: list[Token], args: Arguments) -> list[Frame]:
    """Frames of a sentence's eventive nouns that have a patient."""
    verbs = resources.word_map("action_noun") | resources.word_map("nominal_verb")
    out = []
    for noun in tokens:
        base = verbs.get(noun.lemma_.lower()) or verbs.get(noun.lower_)
        if base is None or noun.pos_ not in ("NOUN", "PROPN") or args.resolver.entity(noun) is not None:
            continue
        lemma, _, prep = base.partition(" ")           # "response=respond to": its "to" phrase
        agents, patients = _roles(noun, args, prep)
        if not patients:
            continue
        if not agents and noun.head.dep_ == "prep" and noun.head.lower_ in SHARED_DOER:
            agents = _clause_subjects(noun, args)     # "reforms, including the removal of X"
        frame = Frame(noun, lemma, "nominal", "active", _scope(noun, args))
        role = "oblique" if prep else "patient"
        frame.args += [Arg("agent", "", a) for a in agents] + [Arg(role, prep, p) for p in patients]
        out.append(frame)
    return out


def _roles(noun: Token, args: Arguments, own_prep: str = "") -> tuple[list[Token], list[Token]]:
    """(agents, patients): a possessor or "by" phrase; the "of" phrase, or the noun's own
    preposition's phrase ("response to X", "support for X")."""
    agents = [c for c in noun.children if c.dep_ == "poss" and (c.pos_ != "PRON" or args.thing(c) is not None)]
    patients: list[Token] = []
    for prep in (c for c in noun.children if c.dep_ == "prep"):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            if prep.lower_ == "by":
                agents += coordination(pobj)
                # "the enactment by Kenya of the Act": the parser hangs "of the Act" on the agent
                patients += [q for of in pobj.children if of.dep_ == "prep" and of.lower_ == "of"
                             for c in of.children if c.dep_ == "pobj" for q in coordination(c)]
            elif prep.lower_ == (own_prep or "of"):
                patients += coordination(pobj)
            elif prep.lower_ == "between" and own_prep:      # "a meeting between X and Y": X with Y
                pair = coordination(pobj)
                agents, patients = agents + pair[:1], patients + pair[1:]
    return agents, patients


def _clause_subjects(noun: Token, args: Arguments) -> list[Token]:
    gov = next((t for t in noun.ancestors if t.pos_ == "VERB" and t.dep_ != "prep"), None)
    return args.subjects(gov) if gov is not None else []


def _scope(noun: Token, args: Arguments) -> Scope:
    hedge = hedges.noun_hedge(noun)
    if hedge is not None:           # "the planned enactment of", "the alleged arrest of"
        negated, modality, word = hedge
        return Scope(negated, word if negated else "", modality, "" if negated else word, None, "main")
    gov = next((t for t in noun.ancestors if t.pos_ in ("VERB", "AUX") and t.dep_ != "prep"), None)
    if gov is None:
        return ASSERTED
    wishing = resources.word_set("desire_verb") | resources.word_set("advice_verb")
    if gov.lemma_.lower() in wishing:
        return Scope(False, "", "desired", gov.lemma_.lower(), None, "main")
    scope = read_scope(gov, args)
    return Scope(False, "", scope.modality, scope.modal_word, scope.source, scope.embedding)
