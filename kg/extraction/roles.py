"""A body in a role of another body: "the Ministry, as the Chair of the Task Force, …", "the
Police, the lead agency of the Taskforce, …", "the Ministry is the chair of the Taskforce".

The role's title word (words.tsv ``role_verb``: chair → chair, head → head, coordinator →
coordinate) is read as that verb in ontology/frames.tsv, so "X, as the Chair of Y" is one row
with "X chairs Y" and "Y is chaired by X". People's posts are kg/nouns.py's (holds position).
"""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Span, Token

from .. import resources
from ..arguments import Arguments, prop_label
from ..records import ORG_CLASSES, Entity, Evidence, Fact
from ..phrases import third_person

BODIES = ORG_CLASSES | {"Jurisdiction"}


def role_facts(sent: Span, args: Arguments, ev: Evidence) -> Iterator[Fact]:
    """Facts of bodies named in a role of another body (see the module docstring)."""
    for token in sent:
        body = args.resolver.entity(token)
        if body is None or body.cls not in BODIES:
            continue
        for role in _roles(token):
            yield from _role_fact(body, role, args, ev)


def _roles(token: Token) -> list[Token]:
    """Where a body's role is said: "X, as the Chair of Y", "X, the Chair of Y,", "X is the Chair of Y"."""
    out = [p for c in token.children if c.dep_ == "prep" and c.lower_ == "as" for p in c.children if p.dep_ == "pobj"]
    out += [c for c in token.children if c.dep_ == "appos"]
    verb = token.head
    if token.dep_ == "nsubj" and verb.pos_ in ("VERB", "AUX"):
        out += [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" and c.i < verb.i
                for p in c.children if p.dep_ == "pobj"]          # "X, as the Chair of Y, is pleased …"
        out += [c for c in verb.children if c.dep_ == "nsubj" and c.i > token.i and verb.doc[c.i - 1].is_punct or
                c.dep_ == "nsubj" and c.i > token.i and c.i >= 2 and verb.doc[c.i - 2].is_punct
                and verb.doc[c.i - 1].dep_ == "det"]         # "X, the chair of Y, …" read as two subjects
        if verb.lemma_.lower() in ("be", "remain", "serve") and not any(c.dep_ == "neg" for c in verb.children):
            out += [c for c in verb.children if c.dep_ == "attr"]
    return out


def _role_fact(body: Entity, role: Token, args: Arguments, ev: Evidence) -> Iterator[Fact]:
    words = [c.lower_ for c in role.lefts if c.dep_ in ("amod", "compound")] + role.text.lower().split()
    verbs = resources.word_map("role_verb")
    title = " ".join(words[:2]) if " ".join(words[:2]) in verbs else (words[0] if words else "")
    verb = verbs.get(title) or verbs.get(role.lemma_.lower())
    if verb is None:
        return
    other = _of_body(role, args)
    if other is None or other.key == body.key:
        return
    row = resources.frame_index().get((verb, ""))
    if row is None:
        return
    if row.subject == "patient":        # an inverse row: "Y is chaired by X"
        yield Fact(other, row.prop, prop_label(row.prop), body, ev)
    else:
        yield Fact(body, row.prop, third_person(verb), other, ev)


def _of_body(role: Token, args: Arguments) -> Entity | None:
    """The body a role is of: its "of/for" object, or the name inside a merged post token."""
    for p in (p for c in role.children if c.dep_ == "prep" and c.lower_ in ("of", "for") for p in c.children
              if p.dep_ == "pobj"):
        found = args.thing(p)
        if isinstance(found, Entity) and found.cls in BODIES | {"Plan"}:
            return found
    parts = role.text.split(" of ", 1)
    if len(parts) < 2:
        return None
    name = parts[1].removeprefix("the ")
    found = args.resolver.named(name)
    if found is None and name[:1].isupper() and set(name.lower().split()) & resources.word_set("org_head"):
        found = args.resolver.new_entity(name, "Organization")
    return found
