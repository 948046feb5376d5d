"""An argument's phrase: the whole noun phrase, as an analyst would write it down.

A named thing is its entity; anything else is a concept named by its whole phrase — its
determiners of quantity ("some traffickers", "three provisions"), modifiers and complements
at any depth ("results of a survey on the prevalence of forced labour"), participles
("officials allegedly complicit in …") — without its own conjuncts, appositions, relative
clauses, examples ("including …") or articles.
"""
from __future__ import annotations

from spacy.tokens import Token

from ..arguments import Arguments
from ..phrases import _misparsed_conjunct, balanced
from ..records import Entity, Value

# Dependents left out of an argument's phrase, at any depth / at its top only.
NEVER = {"relcl", "appos", "parataxis", "advcl"}
TOP_NEVER = {"conj", "cc", "preconj", "punct"}
# Prepositions that, right on the head, usually say where, when or how the clause happens ("work
# with judicial authorities in law enforcement"), not which thing is meant; deeper they stay.
TOP_ADVERBIAL = {"in", "at", "during", "through", "throughout", "since", "under", "within", "via", "by",
                 "among", "across", "amid", "upon", "after", "before", "until", "despite"}
LEADING = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "his", "her"}
MAX_WORDS = 24      # a longer phrase is a clause in disguise: its head's short name is kept instead


def argument(token: Token, args: Arguments, predicate: Token | None = None) -> Entity | Value | None:
    """The entity or value an argument's head stands for; concepts get their whole phrase
    (without ``predicate``, the frame's own verb when it modifies its argument: "a committee
    chaired by X" is "committee")."""
    thing = args.thing(token)
    counted = isinstance(thing, Value) and thing.kind == "quantity" and any(
        c.dep_ == "prep" and c.lower_ == "of" for c in token.children)      # "dozens of migrants"
    if not counted and (not isinstance(thing, Entity) or thing.cls != "Concept"):
        return thing
    words = phrase_tokens(token, args.blocked | ({predicate.i} if predicate is not None else set()))
    if not words or len(words) > MAX_WORDS or [t.i for t in words] == [token.i]:
        return thing           # nothing beyond the head: the resolver's reading of it stands
    text = _join(words)
    return args.resolver.concept(" ".join(text.split())) if text else thing


def phrase_tokens(token: Token, blocked: set[int]) -> list[Token]:
    """The tokens of a noun phrase's whole span (see the module docstring), in order."""
    keep: set[int] = set()

    def walk(tok: Token, top: bool) -> None:
        keep.add(tok.i)
        for child in tok.children:
            if child.i in blocked or child.dep_ in NEVER and not (top and _age(child)):
                continue
            if top and child.dep_ in TOP_NEVER and not _misparsed(tok, child):
                continue
            if top and child.dep_ == "acl" and child.tag_ in ("VBN", "VBD") and any(
                    g.dep_ in ("agent", "prep") and g.lower_ == "by" for g in child.children):
                continue           # "a committee chaired by X": a fact of its own, not the name
            if top and child.dep_ == "amod" and child.i > tok.i:
                continue           # "conventions applicable to X": a predication, not the name
            if top and child.dep_ == "prep" and child.lower_ == "as" and not any(
                    g.pos_ in ("NOUN", "PROPN") for g in child.children):
                continue       # "rejected the allegations as groundless": a judgement, not the name
            if child.dep_ == "prep" and (child.lower_ == "including" or top and child.lower_ in TOP_ADVERBIAL
                                         or child.lower_ == "as" and child.doc[child.i - 1].lower_ == "such"):
                continue       # examples ("including …", "such as …") and circumstances are not the name
            walk(child, False)

    walk(token, True)
    words = [t for t in token.doc[min(keep):max(keep) + 1] if t.i in keep]
    while words and (words[0].is_punct or words[0].lower_ in LEADING):
        words.pop(0)
    while words and words[-1].is_punct and words[-1].text not in (")", "”", '"'):
        words.pop()
    return words


def _age(child: Token) -> bool:
    """"a man, 31, …": a bare number in apposition to a person is part of how the text names them."""
    return child.dep_ == "appos" and child.like_num and not list(child.children)


def _misparsed(head: Token, child: Token) -> bool:
    """A conjunct (or its "and") that is no noun: a tagging slip inside one name ("crime
    prevention and control campaigns"), kept in the phrase as kg/phrases.py keeps it."""
    conj = child if child.dep_ == "conj" else next((c for c in head.children if c.dep_ == "conj"), None)
    return conj is not None and child.dep_ in ("conj", "cc") and _misparsed_conjunct(conj)


def _join(words: list[Token]) -> str:
    """The words as the text spells them; a gap left by a dropped word is one space; an emptied
    bracket ("FDHs ()" once its acronym is an alias) goes."""
    out = "".join(t.text + (t.whitespace_ or (" " if n + 1 < len(words) and words[n + 1].i != t.i + 1 else ""))
                  for n, t in enumerate(words))
    out = out.replace("()", "").replace("( )", "")
    return balanced(" ".join(out.split()).strip(",;: "))
