"""Claims, stance, rankings and noun-phrase relations of one parsed statement.

- Reporting verbs make claim nodes with an author and a content; what is *alleged* is kept out of
  the facts of the world, what a speaker *says* stays as facts attributed to the speaker.
- Stance: "expresses firm opposition" links the speaker to what it answers; a sentence opening
  with a rebuttal marker ("In fact, …") right after a claim denies that claim; a scare marker
  ("the so-called report") rejects the report.
- Rankings: a tier named with an area gives ``area ranks at tier`` and ``report ranks area``.
- Noun relations: "the Department’s Report" (publishes), "X of the PRC" (part of), a law's
  quoted or bracketed title (has title).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from spacy.tokens import Span, Token

from . import resources
from .entities import slug
from .records import Entity, Evidence, Fact, Value
from .relations import Arguments, evidence_for, phrase

ORG_CLASSES = {"Organization", "GovernmentBody", "Government", "Committee"}
TITLED = {"Law", "Decision", "Report", "Plan", "Agreement"}
TITLE_AFTER = re.compile(r"^\s*(?:[“\"](?P<q>[^”\"\n]{8,160})[”\"]|\((?P<p>[A-Z][^()\n]{8,160})\))")


@dataclass
class Discourse:
    """What earlier sentences said that later ones answer: the last claim, the statement's voice."""

    voice: Entity | None
    last_claim: tuple[Entity, Entity] | None = None      # (author, claim)
    seen: set = field(default_factory=set)


def claim_entity(doc_id: str, content: str) -> Entity:
    return Entity(f"claim/{slug(doc_id)}/{slug(content)[:60]}", "Claim", content)


def content_text(verb: Token) -> str:
    words = [t for t in verb.subtree if not (t.dep_ == "mark" and t.head is verb)]
    text = "".join(t.text_with_ws for t in words).strip()
    return re.sub(r"\s+", " ", text).strip(" ,.;:“”\"'")


def reported_facts(sent: Span, args: Arguments, ev: Evidence, talk: Discourse) -> tuple[list[Fact], set[int], dict[int, Entity]]:
    """Claims of a sentence; returns (facts, verbs to leave out, verbs attributed to a speaker)."""
    reporting = resources.word_set("reporting_verb") | resources.word_set("allegation_verb")
    alleging = resources.word_set("allegation_verb")
    facts, skip, attributed = [], set(), {}
    for verb in sent:
        if verb.lemma_.lower() not in reporting or verb.pos_ != "VERB":
            continue
        content = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if content is None and verb.dep_ in ("ccomp", "parataxis") and verb.head.pos_ in ("VERB", "AUX"):
            content = verb.head     # "The report is wrong, said the spokesperson."
        speakers = [args.thing(s) for s in args.subjects(verb)]
        speakers = [s for s in speakers if isinstance(s, Entity)]
        if content is None or not speakers:
            continue
        inner = {t.i for t in content.subtree} - {t.i for t in verb.subtree if t.i != content.i} \
            if content is verb.head else {t.i for t in content.subtree}
        text = content_text(content) if content is not verb.head else re.sub(
            r"\s+", " ", "".join(sent.doc[i].text_with_ws for i in sorted(inner))).strip(" ,.;:“”\"'")
        claim = claim_entity(ev.doc_id, text)
        is_allegation = verb.lemma_.lower() in alleging
        for speaker in speakers:
            label = "alleges" if is_allegation else "states"
            facts.append(Fact(speaker, "alleges" if is_allegation else "states", label, claim, ev,
                              args.negated(verb), args.modality(verb)))
            talk.last_claim = (speaker, claim)
        if is_allegation:
            skip |= inner
        else:
            attributed.update({i: speakers[0] for i in inner})
        skip.add(verb.i)
    return facts, skip, attributed


def stance_facts(sent: Span, args: Arguments, ev: Evidence, talk: Discourse, report: Entity | None) -> Iterator[Fact]:
    """Stance nouns, rebuttal markers and scare quotes → opposes / denies / rejects."""
    carriers, nouns = resources.word_set("stance_carrier"), resources.word_set("stance_noun")
    for verb in sent:
        if verb.lemma_.lower() not in carriers:
            continue
        objs = [o for c in verb.children if c.dep_ in ("dobj", "obj") for o in [c, *c.conjuncts]]
        if not any(o.lemma_.lower() in nouns for o in objs):
            continue
        target = None
        if verb.dep_ == "relcl" and any(c.dep_ == "prep" and any(p.lower_ in ("which", "whom") for p in c.children) for c in verb.children):
            target = args.thing(verb.head)
        for prep, pobj in args.preps(verb) + [p for o in objs for p in args.preps(o)]:
            if prep in ("to", "against", "over", "towards") and target is None:
                target = args.thing(pobj)
        target = target or report
        for s in (args.thing(t) for t in args.subjects(verb)):
            if isinstance(s, Entity) and isinstance(target, Entity):
                yield Fact(s, "opposes", "opposes", target, ev)
    lowered = sent.text.strip().lower()
    if talk.voice and talk.last_claim and any(lowered.startswith(m) for m in resources.word_set("rebuttal_marker")):
        author, claim = talk.last_claim
        if author.key != talk.voice.key:
            yield Fact(talk.voice, "denies", "denies", claim, ev)
    scare = resources.word_set("scare_marker")
    for token in sent:
        ent = args.resolver.entity(token) or (args.thing(token) if token.lemma_.lower() in resources.word_set("report_head") else None)
        if isinstance(ent, Entity) and ent.cls == "Report" and talk.voice:
            before = sent.doc[max(token.left_edge.i, token.i - 6):token.i].text.lower()
            if any(m in before for m in scare):
                yield Fact(talk.voice, "rejects", "rejects", ent, ev)


def ranking_facts(sent: Span, args: Arguments, ev: Evidence, report: Entity | None) -> Iterator[Fact]:
    """A tier and the area it is given, with the report and its year."""
    resolver = args.resolver
    ents = [(t, resolver.entity(t)) for t in sent]
    tiers = [(t, e) for t, e in ents if e is not None and e.cls == "Tier"]
    areas = [(t, e) for t, e in ents if e is not None and e.cls == "Jurisdiction"]
    reports = [e for t, e in ents if e is not None and e.cls == "Report"]
    for t_tok, tier in tiers:
        if not areas or args.negated(t_tok.head):
            continue
        a_tok, area = min(areas, key=lambda a: (abs(a[0].i - t_tok.i), a[0].i > t_tok.i))
        source = next((r for r in reports if r.key != "tip-report"), None) or report
        year = re.search(r"\d{4}", source.label).group(0) if source and re.search(r"\d{4}", source.label) else ""
        quals = tuple(q for q in (("report", source.key if source else ""), ("year", year)) if q[1])
        yield Fact(area, "ranksAt", "ranks at", tier, ev, qualifiers=quals)
        if source is not None:
            yield Fact(source, "ranks", "ranks", area, ev, qualifiers=(("tier", tier.key), ("year", year)))


def noun_facts(sent: Span, args: Arguments, ev: Evidence) -> Iterator[Fact]:
    """Relations carried by noun phrases: possessives, "from", "of", titles."""
    resolver, doc = args.resolver, sent.doc
    for token in sent:
        ent = resolver.entity(token)
        if ent is None:
            continue
        for child in token.children:
            other = resolver.entity(child) if child.dep_ == "poss" else None
            if other is not None and ent.cls in TITLED and other.cls in ORG_CLASSES:
                yield Fact(other, "publishes", "publishes", ent, ev)
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    o = resolver.entity(pobj)
                    if o is None:
                        continue
                    if ent.cls in TITLED and o.cls in ORG_CLASSES and child.lower_ in ("from", "by"):
                        yield Fact(o, "publishes", "publishes", ent, ev)
                    elif child.lower_ == "of" and o.cls == "Jurisdiction" and ent.cls in ORG_CLASSES | {"Jurisdiction"} and o.key != ent.key:
                        yield Fact(ent, "partOf", "part of", o, ev)
        if ent.cls in TITLED:
            m = TITLE_AFTER.match(doc.text[token.idx + len(token.text):][:200])
            title = m and (m.group("q") or m.group("p"))
            if title and len(title.split()) >= 3 and not title.lower().startswith(("hereinafter", "the ")):
                yield Fact(ent, "hasTitle", "has title", Value(title.strip()), ev)
