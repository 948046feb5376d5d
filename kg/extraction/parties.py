"""The parties of a meeting or signing, for a later "the two sides" / "both parties".

"The Minister of A met the Head of B … The two sides signed an MoU": a frame whose predicate is
a meeting verb (words.tsv ``meeting_verb``) with an agent and a "with" oblique (or a direct
object) records its two parties — each a person's organisation when the text gives one ("X,
Chairman of the Authority", "X, Head of the Commission"), else the party itself. A later group
noun with "two"/"both" (words.tsv ``party_noun``) stands for those parties.
"""
from __future__ import annotations

from spacy.tokens import Token

from .. import resources
from ..arguments import Arguments
from ..records import ORG_CLASSES, Entity
from .frames import Frame

PARTY_CLASSES = ORG_CLASSES | {"Person", "Jurisdiction"}


def note_meeting(frame: Frame, args: Arguments) -> None:
    """Remember the two parties of a meeting frame on the resolver (see the module docstring)."""
    if frame.negated or frame.modality != "asserted":
        return
    talks = [p for p in frame.role("patient") if p.lemma_.lower() in resources.word_set("meeting_noun")]
    if talks:            # "held talks with X", "had a meeting with X"
        others = [o for c in talks[0].children if c.dep_ == "prep" and c.lower_ == "with"
                  for o in c.children if o.dep_ == "pobj"]
    elif frame.lemma in resources.word_set("meeting_verb"):
        others = frame.role("oblique", "with") or frame.role("patient")
    else:
        return
    agents = [p for p in map(lambda t: party(t, args), frame.role("agent")) if p is not None]
    met = [p for p in map(lambda t: party(t, args), others) if p is not None]
    if agents and met and agents[0].key != met[0].key:
        args.resolver.parties = [agents[0], met[0]]


def party(token: Token, args: Arguments) -> Entity | None:
    """A meeting's party: a person's organisation when an apposed post names it, else the person or body."""
    ent = args.agent(token)
    if ent is None or ent.cls not in PARTY_CLASSES:
        return None
    if ent.cls != "Person":
        return ent
    for appos in (c for c in token.children if c.dep_ == "appos"):
        org = next((args.thing(p) for c in appos.children if c.dep_ == "prep" and c.lower_ in ("of", "for")
                    for p in c.children if p.dep_ == "pobj"), None) or _inside_post(appos, args)
        if isinstance(org, Entity) and org.cls in ORG_CLASSES:
            return org
    return ent


def _inside_post(post: Token, args: Arguments) -> Entity | None:
    """"Head of the Iraqi Commission of Integrity" merged as one post token: the body it names."""
    words = post.text.split(" of ", 1)
    if len(words) < 2:
        return None
    name = words[1].removeprefix("the ")
    found = args.resolver.named(name)
    if found is None and name[:1].isupper() and set(name.lower().split()) & resources.word_set("org_head"):
        found = args.resolver.new_entity(name, "Organization")
    return found


def group(token: Token, args: Arguments) -> list[Entity]:
    """"the two sides", "both parties" → the parties of the last meeting; [] for any other noun."""
    if token.lemma_.lower() not in resources.word_set("party_noun"):
        return []
    marked = any(c.lower_ in ("two", "both") for c in token.children if c.dep_ in ("nummod", "det", "predet", "amod"))
    return list(args.resolver.parties) if marked else []
