"""A frame's label in the text's own words: third person, negation and modality shown.

"does not fully meet", "never identifies", "has yet to amend", "may prosecute", "should correct",
"will chair", "hopes to work with", "tries to stop", "charged with" (a passive's patient), and the
hedges of kg/extraction/hedges.py ("is likely to sign", "is accused of detaining", "signs?").
"""
from __future__ import annotations

from spacy.tokens import Token

from ..phrases import gerund, third_person
from .frames import Frame

MODAL_VERBS = {"may", "might", "could", "can", "would", "should", "must", "shall", "will", "ought"}


def verb_label(frame: Frame, prep: str = "", passive: bool = False) -> str:
    """The label of a fact read from ``frame`` (with ``prep`` for an oblique object); ``passive``:
    the fact's subject is the patient ("charged with")."""
    words = _passive_words(frame) if passive else _active_words(frame)
    return f"{words} {prep}".strip()


def _manner(verb: Token) -> str:
    """Adverbs of manner or degree before the verb ("fully meets", "adequately address")."""
    return " ".join(c.lower_ for c in verb.children
                    if c.dep_ == "advmod" and c.i < verb.i and c.lower_.endswith("ly") and c.lower_ != "only")


def _active_words(frame: Frame) -> str:
    lemma, scope = frame.lemma, frame.scope
    manner = _manner(frame.predicate)
    bare = f"{manner} {lemma}".strip()
    if scope.modality == "possible":
        word = scope.modal_word
        if word in MODAL_VERBS or word.endswith(" to"):        # "may sign", "is likely to sign"
            return f"{word} not {bare}" if scope.negated else f"{word} {bare}"
        if word.endswith(" of"):                               # "is accused of detaining"
            return f"{word} {'not ' if scope.negated else ''}{gerund(bare)}"
        if word == "?":                                        # a question: "signs?"
            return f"{_negated(scope.neg_word, bare, lemma, manner) if scope.negated else third_person(lemma)}?"
        return f"{word} {_negated(scope.neg_word, bare, lemma, manner) if scope.negated else third_person(lemma)}"
    if scope.modality == "obligation":
        return f"{scope.modal_word} not {bare}" if scope.negated else f"{scope.modal_word} {bare}"
    if scope.modality == "intended":
        word = scope.modal_word
        lead = {"will": "will", "'ll": "will", "wo": "will", "to": "aims to"}.get(word, f"{word} to")
        if word in ("will", "'ll", "wo"):
            return f"will not {bare}" if scope.negated else f"will {bare}"
        if frame.predicate.tag_ == "VBG" and frame.predicate.dep_ == "xcomp":   # "is considering signing"
            return f"{word} {'not ' if scope.negated else ''}{gerund(bare)}"
        return f"{lead} not {bare}" if scope.negated and lead.endswith("to") else f"{lead} {bare}"
    if scope.modality == "desired":
        head = frame.predicate.head
        own = (frame.predicate.dep_ == "xcomp" and head.i != frame.predicate.i and scope.modal_word in head.lower_
               and not any(c.dep_ in ("dobj", "obj") and c.i < frame.predicate.i for c in head.children))
        if own:                       # "hopes to work with": the subject wishes it for itself
            return f"{third_person(scope.modal_word)} {'not ' if scope.negated else ''}to {bare}"
        return f"should not {bare}" if scope.negated else f"should {bare}"
    if scope.modality == "attempted":       # "tries to stop", "makes efforts to meet", "took steps to"
        word = scope.modal_word
        return f"does not {word} to {bare}" if scope.negated else f"{third_person(word)} to {bare}"
    if scope.negated:
        return _negated(scope.neg_word, bare, lemma, manner)
    return f"{manner} {third_person(lemma)}".strip()


def _negated(word: str, bare: str, lemma: str, manner: str) -> str:
    """"does not fully meet", "never identifies", "identifies no", "has yet to", "no longer funds"."""
    if word in ("not", "n't", ""):
        return f"does not {bare}"
    if word == "no":
        return f"{third_person(lemma)} no"
    if word == "yet":
        return f"has yet to {bare}"
    if word == "denies":                                       # "denied signing": denies signing
        return f"denies {gerund(bare)}"
    return f"{word} {manner + ' ' if manner else ''}{third_person(lemma)}"


def _passive_words(frame: Frame) -> str:
    verb, scope = frame.predicate, frame.scope
    prt = " ".join(c.lower_ for c in verb.children if c.dep_ == "prt")
    done = f"{verb.lower_} {prt}".strip()
    if scope.modality in ("possible", "obligation") and scope.modal_word in MODAL_VERBS:
        return f"{scope.modal_word} {'not ' if scope.negated else ''}be {done}"
    if scope.modality == "intended" and scope.modal_word in ("will", "'ll", "wo"):
        return f"will {'not ' if scope.negated else ''}be {done}"
    if scope.negated:
        return f"not {done}" if scope.neg_word in ("not", "n't", "no", "") else f"{scope.neg_word} {done}"
    return done
