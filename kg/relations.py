"""Verb readings the frame layer (kg/extraction) leaves to this module: joint action ("together
with NGOs", "in cooperation with the ILO") and list items whose opening verb the tagger misread.
Properties come from ontology/frames.tsv (resources.lexicon_index)."""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Span, Token

from . import resources
from .arguments import Arguments, prop_label
from .phrases import coordination, third_person
from .records import Entity, Evidence, Fact

JOINT_ADVERBS = {"together", "jointly", "along"}


def joint_facts(sent: Span, args: Arguments, ev: Evidence) -> Iterator[Fact]:
    """Doing something with a partner: "furnishing support together with NGOs", "trained 300
    inspectors in cooperation with the ILO" → the clause's subject cooperates with the partner."""
    coop = resources.word_set("cooperation_noun")
    index = resources.lexicon_index()
    for prep in sent:
        if prep.dep_ != "prep" or prep.lower_ != "with":
            continue
        before = prep.doc[prep.i - 1] if prep.i > sent.start else None
        joint = before is not None and before.lower_ in JOINT_ADVERBS
        nominal = (prep.head.lemma_.lower() in coop and prep.head.dep_ == "pobj"
                   and prep.head.head.lower_ in ("in", "through"))
        if not (joint or nominal):
            continue
        verb = prep.head
        for _ in range(6):
            if verb.pos_ == "VERB" or verb.head.i == verb.i:
                break
            verb = verb.head
        if verb.pos_ != "VERB" or prep.head.i == verb.i and (verb.lemma_.lower(), "with", "active") in index:
            continue       # "worked together with NGOs": the verb's own fact says it
        partners = [args.thing(p) for pobj in prep.children if pobj.dep_ == "pobj" for p in coordination(pobj)]
        negated = args.negated(verb)
        for s in (args.agent(t) for t in args.subjects(verb)):
            for partner in partners:
                if s is not None and isinstance(partner, Entity) and partner.key != s.key:
                    yield Fact(s, "cooperatesWith", "does not cooperate with" if negated else "cooperates with",
                               partner, ev, negated, args.modality(verb))


def item_verb_facts(sent: Span, args: Arguments, ev: Evidence, owner: Token | None) -> Iterator[Fact]:
    """A list item whose opening verb the tagger read as a modifier of its object ("(c) appoint
    dedicated teams …": "appoint" an adjective of "teams"): the verb is the item's, its object
    the noun it hangs on, its subject the list's. The verb is then blocked from the object's name."""
    found = args.misread_verb(sent) if owner is not None else None
    if found is None or not found[0].is_lower:
        return
    first, obj = found
    index = resources.lexicon_index()
    s = args.agent(owner)
    args.blocked.add(first.i)
    args.misread[obj.i] = owner
    prop = index[(first.lower_, "", "active")]
    for o_tok in coordination(obj):
        o = args.thing(o_tok)
        if s is not None and o is not None:
            yield Fact(s, prop, _label(prop, first, first.lower_, "", False), o, ev)






def _negate(word: str, lemma: str) -> str:
    """"does not meet", "never identifies", "reports no"."""
    if word == "no":
        return f"{third_person(lemma)} no"
    if word == "not":
        return f"does not {lemma}"
    return f"{word} {third_person(lemma)}"


def _label(prop: str, verb: Token, lemma: str, prep: str, negated: str | bool, passive: bool = False) -> str:
    if prop != "relatedTo" and not negated:
        return prop_label(prop)
    if negated:
        word = negated if isinstance(negated, str) else "not"
        base = f"{word} {verb.text.lower()}" if passive else _negate(word, lemma)
    else:
        base = third_person(lemma)
    return f"{base} {prep}".strip()
