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
from .entities import Resolver, claim_entity, slug
from .nlp import TITLED
from .records import Entity, Evidence, Fact, Value
from .phrases import phrase, third_person
from .relations import Arguments

ORG_CLASSES = {"Organization", "GovernmentBody", "Government", "Committee"}


@dataclass
class Discourse:
    """What earlier sentences said that later ones answer: the last claim, the statement's voice."""

    voice: Entity | None
    last_claim: tuple[Entity, Entity] | None = None      # (author, claim)
    quoting: Entity | None = None                         # speaker of a quotation still open
    seen: set = field(default_factory=set)


def content_text(clauses: list[Token], skip: frozenset[int] = frozenset(),
                 resolver: "Resolver | None" = None) -> str:
    """The words of the reported clauses, without the complementiser ("that"); names the
    resolver knows are written with their canonical labels, so a claim reads like the facts."""
    idx = sorted({t.i for c in clauses for t in c.subtree})
    doc = clauses[0].doc
    return tokens_text([doc[i] for i in range(idx[0], idx[-1] + 1) if doc[i].i not in skip], resolver)


def tokens_text(words: list[Token], resolver: "Resolver | None" = None) -> str:
    while words and (words[0].dep_ == "mark" or words[0].is_punct):
        words.pop(0)
    text = "".join(_canonical(t, resolver) + t.whitespace_ for t in words).strip()
    return re.sub(r"\s+", " ", text).strip(" ,.;:“”\"'")


def _canonical(token: Token, resolver: "Resolver | None") -> str:
    ent = resolver.entity(token) if resolver is not None else None
    return ent.label if ent is not None and ent.known and ent.cls not in ("Claim", "Concept") else token.text


def reported_facts(sent: Span, args: Arguments, ev: Evidence, talk: Discourse) -> tuple[list[Fact], set[int], dict[int, Entity]]:
    """Claims of a sentence; returns (facts, verbs to leave out, verbs attributed to a speaker)."""
    alleging, denying = resources.word_set("allegation_verb"), resources.word_set("denial_verb")
    reporting = resources.word_set("reporting_verb") | alleging | denying
    facts, skip, attributed = [], set(), {}
    for verb in sent:
        if verb.lemma_.lower() not in reporting or verb.pos_ != "VERB":
            continue
        clauses = [c for c in verb.children if c.dep_ == "ccomp"]
        content = clauses[0] if clauses else None
        before = sent.doc[verb.i - 1] if verb.i > sent.start else None
        if (content is None and verb.dep_ in ("ccomp", "parataxis") and verb.head.pos_ in ("VERB", "AUX")
                and verb.i > verb.head.i and before is not None and before.text in (",", "”", '"', "’")):
            content = verb.head     # "The report is wrong, said the spokesperson."
            clauses = [content]
        speakers = [args.resolver.speaker(s) or args.agent(s) for s in args.subjects(verb)]   # "NGOs reported …"
        speakers = [s for s in speakers if isinstance(s, Entity)]
        if content is None or not speakers:
            continue
        inner = {t.i for t in content.subtree} - {t.i for t in verb.subtree if t.i != content.i} \
            if content.i == verb.head.i else {t.i for c in clauses for t in c.subtree}
        outside = frozenset(t.i for t in sent if args.thing(t) is None and t.idx < args.resolver.document.dateline_end)
        text = content_text(clauses, outside, args.resolver) if content.i != verb.head.i else \
            tokens_text([sent.doc[i] for i in sorted(inner - outside)], args.resolver)
        claim = claim_entity(ev.doc_id, text)
        is_allegation = verb.lemma_.lower() in alleging
        if verb.lemma_.lower() in denying:      # "denied that workers were subjected to forced labour"
            facts += [Fact(s, "denies", "denies", claim, ev, args.negated(verb), args.modality(verb)) for s in speakers]
            skip |= inner | {verb.i}
            continue
        negative = resources.word_set("negative_eval")
        about = [args.thing(s) for c in clauses for s in args.subjects(c)]
        reports = [a for a in about if isinstance(a, Entity) and a.cls == "Report"]
        if reports and any(sent.doc[i].lower_ in negative or sent.doc[i].lemma_.lower() in negative for i in inner):
            facts += [Fact(s, "criticizes", "criticizes", reports[0], ev) for s in speakers]
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


def accusation_facts(sent: Span, args: Arguments, ev: Evidence, talk: Discourse) -> tuple[list[Fact], set[int]]:
    """What a statement's voice accuses others of is its allegation, not a fact of the world.

    "The U.S. has fabricated false reports" in a response → voice alleges "United States
    fabricates false reports"; "This constitutes interference" → voice accuses of interference
    whoever "this" points back to. Returns the facts and the verbs now accounted for.
    """
    facts, skip = [], set()
    if talk.voice is None:
        return facts, skip
    critic, nouns = resources.word_set("criticism_verb"), resources.word_set("accusation_noun")
    for verb in sent:
        if verb.pos_ != "VERB":
            continue
        lemma = verb.lemma_.lower()
        subjects = [a for a in (args.agent(t) for t in args.subjects(verb)) if a is not None]
        subjects = [a for a in subjects if a.key != talk.voice.key]
        objs = [phrase(o) for o in verb.children if o.dep_ in ("dobj", "obj")]
        negative = any(t.lower_ in resources.word_set("negative_eval")
                       for o in verb.children if o.dep_ in ("dobj", "obj", "acomp") for t in o.subtree)
        if subjects and (lemma in critic or negative and any(a.cls == "Report" for a in subjects)):
            # "the Report ignored objective facts": the voice's charge, not a fact of the world
            for who in subjects:
                what = f"{who.label} {third_person(lemma)} {' and '.join(objs)}".strip()
                facts.append(Fact(talk.voice, "alleges", "alleges", claim_entity(ev.doc_id, what), ev))
            skip.add(verb.i)
        accused = [o for o in verb.children if o.dep_ in ("dobj", "attr") and o.lemma_.lower() in nouns]
        if accused:
            targets = [args.thing(t) for t in args.subjects(verb)]
            for target in (t for t in targets if isinstance(t, Entity) and t.key != talk.voice.key):
                for noun in accused:
                    facts.append(Fact(talk.voice, "accuses", f"accuses of {noun.lemma_.lower()}", target, ev))
                skip.add(verb.i)
    return facts, skip


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
        for prep, pobj in args.preps(verb) + [p for o in objs for p in args.preps(o)]:
            if prep in ("to", "against", "over", "towards") and target is None:
                target = args.thing(pobj)
        target = target or report
        for s in (args.thing(t) for t in args.subjects(verb)):
            if isinstance(s, Entity) and isinstance(target, Entity):
                yield Fact(s, "opposes", "opposes", target, ev)
    stance = resources.word_set("stance_verb")
    for verb in sent:
        if verb.lemma_.lower() not in stance or report is None or verb.pos_ != "VERB":
            continue
        objs = [c for c in verb.children if c.dep_ in ("dobj", "obj")] + [
            p for c in verb.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
        if any(o.pos_ == "PRON" and args.thing(o) is None for o in objs):
            prop = resources.lexicon_index().get((verb.lemma_.lower(), "", "active")) or resources.lexicon_index().get(
                (verb.lemma_.lower(), "with", "active"), "opposes")
            for s in (args.agent(t) for t in args.subjects(verb)):
                if s is not None:
                    yield Fact(s, prop, prop, report, ev)
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


def evaluation_facts(sent: Span, args: Arguments, ev: Evidence, talk: Discourse,
                     report: Entity | None) -> Iterator[Fact]:
    """What a response says of the report it answers, without a reporting verb.

    - the report as subject of a criticism verb ("the Report ignored objective facts") →
      the statement's voice criticizes the report;
    - an allegation noun ("false accusations about labour exploitation and child sex tourism") →
      the report (or the noun's possessor) alleges each thing named;
    - "according to X" → the report (or voice) cites X;
    - a sentence that is a bare imperative ("Increase victim identification.") in a report →
      the report recommends its object.
    """
    resolver = args.resolver
    critic = resources.word_set("criticism_verb")
    accusations = resources.word_set("allegation_noun")
    author_default = report if talk.voice is None else None
    for token in sent:
        lemma = token.lemma_.lower()
        if token.pos_ == "VERB" and lemma in critic and talk.voice is not None:
            for subj in args.subjects(token):
                target = args.thing(subj)
                if isinstance(target, Entity) and target.cls == "Report":
                    yield Fact(talk.voice, "criticizes", "criticizes", target, ev)
        if token.pos_ == "NOUN" and token.lower_ in accusations:
            owner = next((resolver.entity(c) for c in token.children if c.dep_ == "poss"), None) or report
            for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ in ("about", "of", "on", "regarding")):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    for part in pobj.conjuncts + (pobj,):
                        what = phrase(part)
                        if owner is not None and what:
                            yield Fact(owner, "alleges", "alleges", claim_entity(ev.doc_id, what), ev)
    if talk.voice is not None:
        yield from _judgements(sent, args, ev, talk.voice)
    text = sent.text.lower()
    for marker in resources.word_set("citation_marker"):
        at = text.find(marker)
        if at < 0:
            continue
        span = sent.doc.char_span(sent.start_char + at, sent.start_char + at + len(marker), alignment_mode="expand")
        last = span[-1] if span is not None else None
        cited = [c for c in last.children if c.dep_ == "pobj"] if last is not None else []
        author = talk.voice or report
        for c in cited:
            thing = args.thing(c)
            if author is not None and isinstance(thing, Entity) and thing.key != author.key:
                yield Fact(author, "cites", "cites", thing, ev)
    root = sent.root
    if (author_default is not None and root.tag_ == "VB" and root.i == sent.start + _lead(sent)
            and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in root.children)):
        for obj in (c for c in root.children if c.dep_ in ("dobj", "obj")):
            yield Fact(author_default, "recommends", "recommends", Entity(f"concept/{slug(phrase(obj))}", "Concept", phrase(obj)), ev)


def _judgements(sent: Span, args: Arguments, ev: Evidence, judge: Entity) -> Iterator[Fact]:
    """"It is a balanced report", "the Report is biased and unfounded": the voice assesses the
    report as each adjective says ("it" is read through the predicate noun: a report)."""
    reports = resources.word_set("report_head")
    for be in sent:
        if be.lemma_ != "be" or be.dep_ not in ("ROOT", "ccomp", "conj"):
            continue
        subj = next((c for c in be.children if c.dep_ == "nsubj"), None)
        preds = [c for c in be.children if c.dep_ in ("attr", "acomp")]
        if subj is None or not preds:
            continue
        target = args.thing(subj) if subj.pos_ != "PRON" else None
        if subj.pos_ == "PRON" and subj.lower_ in ("it", "this"):
            noun = next((p for p in preds if p.pos_ == "NOUN" and p.lower_ in reports), None)
            target = args.resolver.describe([noun.lower_], noun.idx) if noun is not None else None
        if not isinstance(target, Entity) or target.cls != "Report":
            continue
        adjective = lambda t: t.pos_ == "ADJ" or t.tag_ == "VBN"      # "balanced", "biased"
        words = [w for p in preds for w in ([p] if adjective(p) else
                                            [c for c in p.children if c.dep_ == "amod" and adjective(c)])]
        words += [c for w in words for c in w.children if c.dep_ == "conj" and adjective(c)]
        negated = "not " if any(c.dep_ == "neg" for c in be.children) else ""
        for w in sorted(set(words), key=lambda t: t.i):
            yield Fact(judge, "assesses", f"assesses as {negated}{w.lower_}", target, ev)


def _lead(sent: Span) -> int:
    """How many leading adverbs/spaces precede a sentence's first verb ("Significantly increase …")."""
    n = 0
    for tok in sent:
        if tok.is_space or tok.pos_ in ("ADV", "PUNCT"):
            n += 1
        else:
            break
    return n


def ranking_facts(sent: Span, args: Arguments, ev: Evidence, report: Entity | None) -> Iterator[Fact]:
    """A tier and the area it is given, with the report and its year."""
    resolver = args.resolver
    ents = [(t, resolver.entity(t)) for t in sent]
    tiers = [(t, e) for t, e in ents if e is not None and e.cls == "Tier"]
    areas = [(t, e) for t, e in ents if e is not None and e.cls == "Jurisdiction"]
    reports = [e for t, e in ents if e is not None and e.cls == "Report"]
    for t_tok, tier in tiers:
        if _negated_up(t_tok, args) or t_tok.dep_ == "pobj" and t_tok.head.lower_ == "from":
            continue      # "not downgraded", "upgraded from Tier 2 Watch List": not this report's tier
        area = _ranked_area(t_tok, args)
        if area is None and areas:
            area = min(areas, key=lambda a: (abs(a[0].i - t_tok.i), a[0].i > t_tok.i))[1]
        if area is None:
            continue
        source = next((r for r in reports if r.key != "tip-report"), None) or report
        year = re.search(r"\d{4}", source.label).group(0) if source and re.search(r"\d{4}", source.label) else ""
        if not year:       # "was upgraded to Tier 1 in 2020"
            dates = [t for t in sent if t.ent_type_ == "DATE" and re.fullmatch(r"(?:19|20)\d\d", t.text)]
            year = min(dates, key=lambda t: abs(t.i - t_tok.i)).text if dates else ""
        quals = tuple(q for q in (("report", source.key if source else ""), ("year", year)) if q[1])
        yield Fact(area, "ranksAt", "ranks at", tier, ev, qualifiers=quals)
        if source is not None:
            yield Fact(source, "ranks", "ranks", area, ev,
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


def _ranked_area(tier: Token, args: Arguments) -> Entity | None:
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
                return area
        if node.head.i == node.i or node.pos_ in ("VERB", "AUX") and node.i != tier.i:
            return None
        node, seen = node.head, seen + 1
    return None


def _negated_up(token: Token, args: Arguments) -> bool:
    """Is the verb a token hangs from negated ("was not placed on Tier 3")?"""
    node = token
    for _ in range(5):
        if node.pos_ in ("VERB", "AUX"):
            return args.negated(node)
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def post_facts(sent: Span, args: Arguments, ev: Evidence) -> Iterator[Fact]:
    """Who holds which post, and in which organisation ("spokesperson of | Ministry …")."""
    resolver = args.resolver
    for token in sent:
        if token.i not in resolver.holders:
            continue
        post = resolver.entity(token)
        person, org = resolver.holders[token.i]
        yield Fact(person, "holdsPosition", "holds position", post, ev)
        if org is not None:
            title = token.text.lower()
            prop = "spokespersonOf" if title in resources.word_set("spokesperson_title") else "memberOf"
            yield Fact(person, prop, f"{title} of", org, ev)


def membership_facts(sent: Span, args: Arguments, ev: Evidence) -> Iterator[Fact]:
    """"consisting of representatives from A, B and C" → A, B, C member of the subject."""
    members = resources.word_set("member_noun")
    for verb in sent:
        if verb.pos_ != "VERB" or resources.lexicon_index().get((verb.lemma_.lower(), "of", "active"),
                                                                resources.lexicon_index().get((verb.lemma_.lower(), "", "active"))) not in ("comprises", "includes"):
            continue
        whole = [a for a in (args.agent(t) for t in args.subjects(verb)) if a is not None]
        nouns = [o for c in verb.children if c.dep_ in ("dobj", "obj") for o in [c, *c.conjuncts]]
        nouns += [p for c in verb.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
        for noun in (n for n in nouns if n.lemma_.lower() in members):
            for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("from", "of")):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    for part in _all_conjuncts(pobj):
                        member = args.thing(part)
                        for w in whole:
                            if isinstance(member, Entity) and member.key != w.key:
                                yield Fact(member, "memberOf", "member of", w, ev)


def _all_conjuncts(token: Token) -> list[Token]:
    """A token and everything coordinated with it, however the parser chained the conjuncts."""
    out, todo = [], [token]
    while todo:
        t = todo.pop()
        if t not in out:
            out.append(t)
            todo += [c for c in t.children if c.dep_ in ("conj", "appos") and c.pos_ in ("PROPN", "NOUN")]
    return sorted(out, key=lambda t: t.i)


# "(Prevention, Prosecution, Protection and Partnership)": three or more short items in brackets.
BRACKET_LIST = re.compile(r"^\(\s*([^()]{2,60}?(?:,\s*[^(),]{2,60}?){1,}(?:,?\s+and\s+)[^(),]{2,60})\s*\)$")


def component_facts(sent: Span, args: Arguments, ev: Evidence) -> Iterator[Fact]:
    """"our 4 Ps strategy (Prevention, Prosecution, Protection and Partnership)": a noun followed by
    a bracketed list of its parts comprises them."""
    doc = sent.doc
    for token in sent:
        if token.pos_ not in ("NOUN", "PROPN"):
            continue
        for child in token.children:
            if child.dep_ not in ("appos", "conj") or child.i <= token.i:
                continue
            left, right = child.left_edge.i - 1, child.right_edge.i + 1
            if left < 0 or right >= len(doc) or doc[left].text != "(" or doc[right].text != ")":
                continue
            m = BRACKET_LIST.match(doc[left:right + 1].text)
            whole = args.thing(token)
            if m and isinstance(whole, Entity) and all(len(part.split()) <= 4 for part in re.split(r",|\band\b", m.group(1))):
                yield Fact(whole, "comprises", "comprises", args.resolver.concept(" ".join(m.group(1).split())), ev)


def noun_facts(sent: Span, args: Arguments, ev: Evidence) -> Iterator[Fact]:
    """Relations carried by noun phrases: possessives, "from", "of", titles."""
    resolver = args.resolver
    reportish = resources.word_set("report_head")
    for token in sent:
        ent = resolver.entity(token)
        if ent is None and token.lower_ in reportish:
            ent = args.thing(token)           # "the so-called report from the State Department"
            ent = ent if isinstance(ent, Entity) and ent.cls == "Report" else None
        if ent is None:
            continue
        for child in token.children:
            other = resolver.entity(child) if child.dep_ == "poss" else None
            if other is not None and ent.cls == "Agreement" and other.cls in ORG_CLASSES:
                yield Fact(ent, "partOf", "part of", other, ev)     # "the United Nations' Global Compact"
            elif other is not None and ent.cls in TITLED and other.cls in ORG_CLASSES:
                yield Fact(other, "publishes", "publishes", ent, ev)
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    o = resolver.entity(pobj)
                    if o is None:
                        continue
                    if ent.cls in TITLED and o.cls in ORG_CLASSES and child.lower_ in ("from", "by"):
                        yield Fact(o, "publishes", "publishes", ent, ev)
                    elif child.lower_ == "of" and o.cls == "Jurisdiction" and ent.cls in ORG_CLASSES | {"Jurisdiction"} and o.key != ent.key:
                        whole = ent
                        if ent.cls == "Government" and ent.part_of:   # "the Government of X of Y": X is part of Y
                            whole = resolver.known(ent.part_of) if ent.part_of in resources.gazetteer_by_id() else ent
                        if whole.key != o.key:
                            yield Fact(whole, "partOf", "part of", o, ev)
        title = resolver.title(token)
        if title:
            yield Fact(ent, "hasTitle", "has title", Value(title.strip()), ev)
