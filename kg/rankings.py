"""Rankings: a tier named with an area gives ``area ranks at tier`` and ``report ranks area``,
with the report and its year; the area is read from the parse ("Macau was downgraded to Tier 3",
"the rating of Hong Kong at Tier 2"); negated rankings and the tier moved from are not rankings,
and a ranking that is only possible, hoped for, conditional or reported keeps that modality
(kg/extraction/scope.py: "may be downgraded", "if the Report ranks", "NGOs claimed that …").
"""
from __future__ import annotations

import re
from typing import Iterator

from spacy.tokens import Doc, Span, Token

from . import resources
from .arguments import Arguments
from .extraction.scope import read_scope
from .phrases import coordination
from .records import Entity, Evidence, Fact


def ranking_facts(sent: Span, args: Arguments, ev: Evidence, report: Entity | None) -> Iterator[Fact]:
    """A tier and the area it is given, with the report and its year."""
    resolver = args.resolver
    ents = [(t, resolver.entity(t)) for t in sent]
    tiers = [(t, e) for t, e in ents if e is not None and e.cls == "Tier"]
    areas = [(t, e) for t, e in ents if e is not None and e.cls == "Jurisdiction"
             and t.dep_ not in ("compound", "amod", "poss", "nmod")]    # "US assistance" names no ranked area
    reports = [e for t, e in ents if e is not None and e.cls == "Report"]
    for t_tok, tier in tiers:
        negated, modality = _scope_up(t_tok, args)
        if negated or _feared(t_tok) or t_tok.dep_ == "pobj" and t_tok.head.lower_ == "from":
            continue      # "not downgraded", "the risk of being downgraded", "upgraded from Tier 2 Watch List"
        ranked = _ranked_areas(t_tok, args)
        if not ranked and areas:
            ranked = [min(areas, key=lambda a: (abs(a[0].i - t_tok.i), a[0].i > t_tok.i))[1]]
        if not ranked:
            continue
        source = next((r for r in reports if r.key != "tip-report"), None) or report
        year = _year(source)
        if not year:       # "was upgraded to Tier 1 in 2020"
            dates = [t for t in sent if t.ent_type_ == "DATE" and re.fullmatch(r"(?:19|20)\d\d", t.text)]
            year = min(dates, key=lambda t: abs(t.i - t_tok.i)).text if dates else ""
        for area in ranked:          # "placed Freedonia and Ruritania on Tier 2": each of them
            yield from _ranking(area, tier, source, year, ev, modality)


def heading_facts(doc: Doc, args: Arguments, report: Entity | None) -> Iterator[Fact]:
    """A heading line that is an area and a tier and nothing else — "MACAU: Tier 3", "MALAYSIA
    (Tier 2 Watch List)", as report narratives open — ranks the area in the statement's report.
    Read by line, because the parser may cut such a line in two."""
    document = args.resolver.document
    for m in re.finditer(r"[^\n]+", doc.text):
        if len(m.group(0).strip()) > 80 or not re.search(r"(?i)\btier\b", m.group(0)):
            continue
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        words = [t for t in span if not (t.is_punct or t.is_space)] if span is not None else []
        ents = [args.resolver.entity(t) for t in words]
        if len(ents) != 2 or None in ents or {e.cls for e in ents} != {"Jurisdiction", "Tier"}:
            continue
        area, tier = sorted(ents, key=lambda e: e.cls != "Jurisdiction")
        line = m.group(0).strip()
        start = document.offset + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        ev = Evidence(document.doc_id, start, start + len(line), line)
        yield from _ranking(area, tier, report, _year(report), ev)


def _year(report: Entity | None) -> str:
    found = re.search(r"\d{4}", report.label) if report is not None else None
    return found.group(0) if found else ""


def _ranking(area: Entity, tier: Entity, source: Entity | None, year: str, ev: Evidence,
             modality: str = "asserted") -> Iterator[Fact]:
    quals = tuple(q for q in (("report", source.key if source else ""), ("year", year)) if q[1])
    yield Fact(area, "ranksAt", "ranks at", tier, ev, modality=modality, qualifiers=quals)
    if source is not None:
        yield Fact(source, "ranks", "ranks", area, ev, modality=modality,
                   qualifiers=tuple(q for q in (("tier", tier.key), ("year", year)) if q[1]))


AREA_DEPS = {"nsubj", "nsubjpass", "dobj", "obj", "compound", "nmod", "poss", "dative"}


def _as_area(entity: Entity | None, args: Arguments) -> Entity | None:
    """A jurisdiction, or the jurisdiction a government governs ("the HKSAR Government was upgraded")."""
    if entity is None:
        return None
    if entity.cls == "Jurisdiction":
        return entity
    if entity.cls == "Government" and entity.part_of in resources.gazetteer_by_id():
        parent = args.resolver.known(entity.part_of)
        return parent if parent.cls == "Jurisdiction" else None
    return None


def _ranked_areas(tier: Token, args: Arguments) -> list[Entity]:
    """The areas a tier is given to: the one the parse names and the areas coordinated with it."""
    found = _ranked_area(tier, args)
    if found is None:
        return []
    area, token = found
    more = [_as_area(args.resolver.entity(c), args) for c in coordination(token) if c.i != token.i]
    return [area, *(a for a in more if a is not None and a.key != area.key)]


def _ranked_area(tier: Token, args: Arguments) -> tuple[Entity, Token] | None:
    """The area a tier is given to, read from the parse: the subject or object of the verb the tier
    hangs from ("Macau was downgraded to Tier 3"), or the "of" of a noun ("the rating of Hong Kong
    at Tier 2")."""
    node, seen = tier, 0
    while seen < 5:
        candidates = [c for c in node.children if c.dep_ in AREA_DEPS and c.i != tier.i]
        candidates += [p for c in node.children if c.dep_ == "prep" and c.lower_ == "of"
                       for p in c.children if p.dep_ == "pobj"]
        for c in sorted(candidates, key=lambda c: abs(c.i - tier.i)):
            area = _as_area(args.resolver.entity(c), args)
            if area is None and c.pos_ == "PROPN" and node.pos_ == "VERB" and \
                    node.lemma_.lower() in resources.word_set("rank_verb") and args.resolver.entity(c) is None:
                area = args.resolver.new_entity(c.text, "Jurisdiction")   # a place the gazetteer does not know
            if area is not None:
                return area, c
        if node.head.i == node.i or node.pos_ in ("VERB", "AUX") and node.i != tier.i:
            return None
        node, seen = node.head, seen + 1
    return None


def _feared(tier: Token) -> bool:
    """"concerns about / the risk of being downgraded to Tier 3" (words.tsv ``prospect_noun``):
    a prospect, no ranking at all."""
    verb = next((t for t in tier.ancestors if t.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return False
    top = verb.head if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") else verb
    return top.dep_ == "pcomp" and top.head.head.lemma_.lower() in resources.word_set("prospect_noun")


def _scope_up(token: Token, args: Arguments) -> tuple[bool, str]:
    """Negation and modality of the verb a token hangs from ("was not placed on Tier 3": negated;
    "may be downgraded to Tier 3": possible)."""
    node = token
    for _ in range(5):
        if node.pos_ in ("VERB", "AUX"):
            scope = read_scope(node, args)
            return scope.negated, scope.modality
        if node.head.i == node.i:
            break
        node = node.head
    return False, "possible" if token.sent.text.rstrip().endswith("?") else "asserted"
