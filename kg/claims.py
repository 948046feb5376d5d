"""Claims and stance of one parsed statement (rankings: kg/rankings.py; roles and noun-phrase
relations: kg/nouns.py).

- Reporting verbs make claim nodes with an author and a content; what is *alleged* is kept out of
  the facts of the world, what a speaker *says* stays as facts attributed to the speaker.
- Stance: "expresses firm opposition" links the speaker to what it answers; a sentence opening
  with a rebuttal marker ("In fact, …") right after a claim denies that claim; a scare marker
  ("the so-called report") rejects the report.
- Denials: "denied that …" makes a claim the speaker denies; judgements: "it is a balanced
  report" is the voice's assessment of the report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from spacy.tokens import Span, Token

from . import resources
from .entities import Resolver
from .keys import claim_entity
from .records import Entity, Evidence, Fact
from .phrases import gerund, phrase, third_person
from .arguments import Arguments, lemma_in



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


QUOTE_MARKS = {"“", '"', "‘", "'"}


def quoted_child(verb: Token) -> Token | None:
    """A reporting verb's dependent that is a whole quotation merged into one token (kg_names
    merges short quotations): the token right after an opening quotation mark."""
    for child in verb.children:
        if child.i > 0 and child.doc[child.i - 1].text in QUOTE_MARKS and " " in child.text \
                and child.dep_ in ("nsubj", "dobj", "ccomp", "dep", "npadvmod", "attr"):
            return child
    return None


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
        quote = quoted_child(verb)
        subjects = [s for s in args.subjects(verb) if quote is None or s.i != quote.i]
        speakers = [args.resolver.speaker(s) or args.agent(s) for s in subjects]   # "NGOs reported …"
        speakers = [s for s in speakers if isinstance(s, Entity)]
        if content is None and quote is not None and speakers:
            # "“The law is a step forward,” said X": the quotation (one merged token) is the content
            claim = claim_entity(ev.doc_id, tokens_text([quote], args.resolver))
            facts += [Fact(s, "states", "states", claim, ev, args.negated(verb), args.modality(verb)) for s in speakers]
            skip |= {verb.i, quote.i}
            continue
        if content is None or not speakers:
            continue
        inner = {t.i for t in content.subtree} - {t.i for t in verb.subtree if t.i != content.i} \
            if content.i == verb.head.i else {t.i for c in clauses for t in c.subtree}
        outside = frozenset(t.i for t in sent if args.thing(t) is None and t.idx < args.resolver.document.dateline_end)
        rebuttal = _rebuttal(sent, inner)      # "…, which is not true": the voice's answer, not the claim
        outside |= rebuttal
        text = content_text(clauses, outside, args.resolver) if content.i != verb.head.i else \
            tokens_text([sent.doc[i] for i in sorted(inner - outside)], args.resolver)
        claim = claim_entity(ev.doc_id, text)
        is_allegation = verb.lemma_.lower() in alleging
        if verb.lemma_.lower() in denying:      # "denied that workers were subjected to forced labour"
            facts += [Fact(s, "denies", "denies", claim, ev, args.negated(verb), args.modality(verb)) for s in speakers]
            skip |= inner | {verb.i}
            continue
        negative = resources.word_set("negative_eval")
        about = [args.thing(t) for c in clauses for s in args.subjects(c)       # "the Report's ranking"
                 for t in [s, *(p for p in s.children if p.dep_ == "poss")]]
        reports = [a for a in about if isinstance(a, Entity) and a.cls == "Report"]
        if reports and any(sent.doc[i].lower_ in negative or sent.doc[i].lemma_.lower() in negative for i in inner):
            facts += [Fact(s, "criticizes", "criticizes", reports[0], ev) for s in speakers]
        if rebuttal and talk.voice is not None and all(s.key != talk.voice.key for s in speakers):
            facts.append(Fact(talk.voice, "denies", "denies", claim, ev))
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


FALSE_WORDS = {"true", "correct", "accurate", "right", "factual"}   # "which is not true"


def _rebuttal(sent: Span, inner: set[int]) -> frozenset[int]:
    """Tokens of a trailing ", which is not true" / ", which is groundless" inside a reported
    clause: the statement's own rebuttal of what it reports."""
    negative = resources.word_set("negative_eval")
    for be in sent:
        if be.i not in inner or be.lemma_ != "be" or be.dep_ not in ("relcl", "advcl", "ccomp", "conj"):
            continue
        if not any(c.dep_ == "nsubj" and c.lower_ == "which" for c in be.children):
            continue
        says = [c for c in be.children if c.dep_ in ("acomp", "attr")]
        denied = any(c.dep_ == "neg" for c in be.children) and any(c.lower_ in FALSE_WORDS for c in says)
        if denied or any(c.lower_ in negative for c in says):
            cut = {t.i for t in be.subtree}
            start = min(cut)
            if start > sent.start and sent.doc[start - 1].text == ",":
                cut.add(start - 1)
            return frozenset(cut)
    return frozenset()


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
        said = [(t, _accused(t, args)) for t in args.subjects(verb)]
        said = [(t, a) for t, a in said if a is not None and a.key != talk.voice.key]
        subjects = [a for _, a in said]
        objs = [phrase(o) for o in verb.children if o.dep_ in ("dobj", "obj")]
        negative = any(t.lower_ in resources.word_set("negative_eval") for o in verb.children
                       if o.dep_ in ("dobj", "obj", "acomp", "prep") for t in o.subtree)
        if subjects and (lemma in critic or negative and any(a.cls == "Report" for a in subjects)):
            # "the Report ignored objective facts": the voice's charge, not a fact of the world
            for tok, who in said:
                name = phrase(tok) if who.cls == "Report" and args.resolver.entity(tok) is None else who.label
                what = _charge_text(name, verb, objs)
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


def _charge_text(name: str, verb: Token, objs: list[str]) -> str:
    """"X disregards facts", "X is filled with prejudice": the charge in the voice's words, in the present."""
    if verb.tag_ == "VBN":          # a passive: "is filled with prejudice"
        head = f"is {verb.text}"
    else:
        head = third_person(verb.lemma_.lower())
    rest = objs or [f"{c.text} {phrase(p)}" for c in verb.children if c.dep_ == "prep"
                    for p in c.children if p.dep_ == "pobj"][:1]
    return " ".join(f"{name} {head} {' and '.join(rest)}".split())


def _accused(token: Token, args: Arguments) -> Entity | None:
    """Whom a charge is against: the subject's party, or the report a content noun of it stands
    for ("the China-related content disregards facts": the statement's report)."""
    agent = args.agent(token)
    if agent is not None:
        return agent
    nouns = resources.word_set("content_noun") | {"content", "part", "parts", "chapter", "section"}
    if token.lemma_.lower() in nouns or token.lower_ in nouns:
        return args.resolver.report
    return None


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
    regret = resources.word_set("regret_verb")
    for verb in sent:      # "regrets that the Report has once again placed Cambodia on Tier 3"
        if verb.pos_ != "VERB" or not lemma_in(verb, regret):
            continue
        for clause in (c for c in verb.children if c.dep_ == "ccomp"):
            answered = [r for r in (args.thing(s) for s in args.subjects(clause)) if isinstance(r, Entity) and r.cls == "Report"]
            for s in (args.agent(t) for t in args.subjects(verb)):
                if s is not None and answered:
                    yield Fact(s, "opposes", "opposes", answered[0], ev)
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
    """
    resolver = args.resolver
    critic = resources.word_set("criticism_verb")
    accusations = resources.word_set("allegation_noun")
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


def recommendation_facts(sent: Span, args: Arguments, ev: Evidence, talk: Discourse,
                         report: Entity | None) -> list[Fact]:
    """A bare imperative in a report ("Significantly increase victim identification.", "Screen
    migrant workers for …", the verb misread as a noun) is the report's recommendation:
    recommends increasing | victim identification. What it recommends is not a fact of the world."""
    if talk.voice is not None or report is None:
        return []
    root = sent.root
    found = args.misread_verb(sent, strict=True)
    if found is not None:
        verb, objs = found[0], [found[1]]
        args.blocked.add(verb.i)
    elif ((root.tag_ in ("VB", "VBP") or any(c.dep_ == "dobj" for c in root.children))   # "Amend" tagged a name
          and root.i == sent.start + _lead(sent)
          and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in root.children)):
        verb, objs = root, [c for c in root.children if c.dep_ in ("dobj", "obj")]
    else:
        return []
    out = []
    for obj in objs:      # the whole object, with its purpose: "efforts to investigate and prosecute …"
        words = [t for t in obj.subtree if t.i not in args.blocked]
        while words and (words[0].dep_ in ("det", "punct") or words[0].is_space):
            words.pop(0)
        what = tokens_text(words, args.resolver)
        if what:
            out.append(Fact(report, "recommends", f"recommends {gerund(verb.lower_)}", args.resolver.concept(what), ev))
    return out


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
            # "full of lies", "devoid of facts": the adjective's complement is part of the verdict
            rest = next((f"{c.lower_} {phrase(o)}" for c in w.children if c.dep_ == "prep" and c.i == w.i + 1
                         for o in c.children if o.dep_ == "pobj"), "")
            yield Fact(judge, "assesses", f"assesses as {negated}{w.lower_}{' ' + rest if rest else ''}", target, ev)


def _lead(sent: Span) -> int:
    """How many leading adverbs/spaces precede a sentence's first verb ("Significantly increase …")."""
    n = 0
    for tok in sent:
        if tok.is_space or tok.pos_ in ("ADV", "PUNCT"):
            n += 1
        else:
            break
    return n
