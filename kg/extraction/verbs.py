"""A sentence's verbal frames → facts: the one path from predicates to facts.

Frames come from kg/extraction/frames.py, facts from the mapping (kg/extraction/mapping.py).
Verbs a claim already accounts for (``skip``) state nothing here; a verb inside a quotation or a
"said" complement carries its speaker (``attributed``). A support verb with a verb turned noun
("made accusations against X", "takes note of") is read as that noun's verb.
"""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Token

from .. import resources
from ..arguments import Arguments
from ..nouns import nominal_targets
from ..phrases import third_person
from ..records import ORG_CLASSES, Entity, Evidence, Fact
from .frames import verbal_frames
from .nominal import nominal_frames
from .mapping import frame_facts

RANKING_CLASSES = {"Tier"}          # a ranking verb with a tier is kg/rankings.py's


def verb_facts(tokens: list[Token], args: Arguments, ev: Evidence, skip: set[int],
               attributed: dict[int, Entity], owner: Entity | None = None) -> Iterator[Fact]:
    """Facts of one sentence's verbs (``owner``: the subject a list item's bare verbs share)."""
    light, carriers = resources.word_set("light_verb"), resources.word_set("carrier_verb")
    ranking = resources.word_set("rank_verb")
    for frame in verbal_frames(tokens, args):
        verb = frame.predicate
        if verb.i in skip:
            continue
        if frame.lemma in ranking and any(_is(args, t, RANKING_CLASSES) for t in verb.subtree):
            continue
        speaker = attributed.get(verb.i)
        if frame.lemma in light or frame.lemma in carriers:
            supported = list(_support(frame, args, ev, speaker))
            yield from supported
            if supported or frame.lemma in light:
                continue           # a carrier with no event noun is an ordinary verb: "imposed duties on steel"
        first = next((t for t in tokens if not (t.is_punct or t.is_space or t.i in args.blocked)), None)
        bare_item = owner is not None and not frame.role("agent") and (
            verb.tag_ == "VB" and verb.dep_ in ("ROOT", "conj", "dep") or first is not None and verb.i == first.i)
        yield from frame_facts(frame, args, ev, speaker, owner if bare_item else None)
        yield from _urging(frame, args, ev, speaker)
    for frame in nominal_frames(tokens, args):
        yield from frame_facts(frame, args, ev, attributed.get(frame.predicate.i))


def _support(frame, args: Arguments, ev: Evidence, speaker: Entity | None) -> Iterator[Fact]:
    """"made groundless accusations against China" → accuses China (the noun's verb)."""
    for prop, base, obj in nominal_targets(frame.predicate, args):
        label = f"does not {base}" if frame.negated else third_person(base)
        for agent in filter(None, map(args.agent, frame.role("agent"))):
            if not (isinstance(obj, Entity) and obj.key == agent.key):
                yield Fact(agent, prop, label, obj, ev, frame.negated, frame.modality, speaker)


URGED = ORG_CLASSES | {"Jurisdiction", "Person"}


def _urging(frame, args: Arguments, ev: Evidence, speaker: Entity | None) -> Iterator[Fact]:
    """"The United States should stop …" said in a statement's own voice (or by a speaker) is
    that voice urging the United States (words.tsv ``urging_modal``: "should", "must" — never
    an instrument's "shall"). What is urged is not stated as done: only the urging is a fact."""
    voice = speaker or args.resolver.voice
    if voice is None or frame.modality != "obligation" or frame.scope.modal_word not in resources.word_set("urging_modal"):
        return
    if frame.voice != "active" or frame.scope.embedding not in ("main", "reported" if speaker else "main"):
        return
    for tok in frame.role("agent"):
        agent = args.agent(tok)
        named = agent is not None and (agent.cls in URGED or agent.cls == "Concept" and tok.pos_ == "PROPN")
        if agent is not None and named and agent.key != voice.key:
            yield Fact(voice, "urges", "urges", agent, ev, False, "asserted", speaker, (("to", frame.lemma),))


def _is(args: Arguments, token: Token, classes: set[str]) -> bool:
    ent = args.resolver.entity(token)
    return ent is not None and ent.cls in classes
