"""Lists whose items are content, not deeds: what a lead sentence ending in a colon says the
items are ("… to face charges of:", "The report alleges:", "It recommended that the Government:").

An item under such a lead is never stated as done ("- Obtain property by deception" under
"charges of:" says the person is charged with it, not that they did it). A charge lead gives
one fact per item (the person | charged with | the item's words); any other content lead leaves
its items' verbs unstated.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from .. import resources
from ..arguments import Arguments
from ..records import Entity, Evidence, Fact


@dataclass(frozen=True)
class Lead:
    """A list's lead: whether its items are charges or other content, and who is charged."""

    kind: str                     # charge | content
    charged: Entity | None


def content_lead(tokens: list[Token], args: Arguments) -> Lead | None:
    """The lead's reading, when the sentence ends in a colon and says its items are content."""
    words = [t for t in tokens if not t.is_space]
    if not words or words[-1].text != ":":
        return None
    charge_words = resources.word_set("charge_word")
    for tok in words:
        if tok.lemma_.lower() in charge_words or tok.lower_ in charge_words:
            return Lead("charge", _charged(tok, args))
    content = resources.word_set("content_noun") | resources.word_set("allegation_noun")
    talk = resources.word_set("reporting_verb") | resources.word_set("allegation_verb") | \
        resources.word_set("advice_verb") | resources.word_set("denial_verb")
    last = next((t for t in reversed(words) if t.pos_ in ("NOUN", "VERB")), None)
    if last is not None and (last.lower_ in content or last.pos_ == "VERB" and last.lemma_.lower() in talk):
        return Lead("content", None)
    return None


def _charged(word: Token, args: Arguments) -> Entity | None:
    """Who the charges are against: "charges against X", "X faces charges of", "charged X with",
    "X was charged with"."""
    if word.pos_ == "VERB":
        if args.is_passive(word):
            people = args.subjects(word)
        else:
            people = [c for c in word.children if c.dep_ in ("dobj", "obj")]
    else:
        against = [p for c in word.children if c.dep_ == "prep" and c.lower_ == "against"
                   for p in c.children if p.dep_ == "pobj"]
        verb = word.head if word.dep_ in ("dobj", "obj") else None
        undergo = verb is not None and verb.lemma_.lower() in resources.word_set("undergo_verb")
        people = against or (args.subjects(verb) if undergo and verb is not None else [])
    return next((e for e in map(args.thing, people) if isinstance(e, Entity)), None)


def item_facts(lead: Lead, tokens: list[Token], marker_end: int, ev: Evidence, args: Arguments) -> list[Fact]:
    """One "charged with" fact per charge item (its words up to the first comma or semicolon)."""
    if lead.kind != "charge" or lead.charged is None:
        return []
    words = [t for t in tokens if t.idx >= marker_end and not t.is_space]
    cut = next((n for n, t in enumerate(words) if t.text in (",", ";", ":")), len(words))
    text = "".join(t.text_with_ws for t in words[:cut]).strip().rstrip(".").strip()
    if not text:
        return []
    offence = args.resolver.concept(text[:1].lower() + text[1:])
    return [Fact(lead.charged, "relatedTo", "charged with", offence, ev)]
