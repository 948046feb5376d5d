"""Organisations and roles, and relations carried by noun phrases: posts and their holders,
members ("consisting of representatives from the Police"), "the Department’s Report"
(publishes), "X of the PRC" (part of), a law's quoted or bracketed title (has title), a noun and
the bracketed list of its parts (comprises).
"""
from __future__ import annotations

import re
from typing import Iterator

from spacy.tokens import Span, Token

from . import resources
from .arguments import Arguments, prop_label
from .phrases import coordination, third_person
from .nlp import TITLED
from .records import ORG_CLASSES, Entity, Evidence, Fact, Value



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


def apposed_post_facts(sent: Span, args: Arguments, ev: Evidence) -> Iterator[Fact]:
    """A person followed by their post: "Maria Lopez, Regional Director of the Refugee Council" →
    Maria Lopez holds position Regional Director of the Refugee Council (posts before the name,
    "Director Maria Lopez", are split by kg/names.py)."""
    titles = resources.word_set("post_title")
    resolver = args.resolver
    for token in sent:
        person = resolver.entity(token)
        if person is None or person.cls != "Person":
            continue
        for appos in _post_phrases(token):
            named = resolver.entity(appos)
            if named is not None and named.cls == "Post":
                yield Fact(person, "holdsPosition", "holds position", named, ev)
                continue
            words = [w.lower_ for w in appos.subtree if not w.is_punct]
            if not any(w in titles for w in words[: words.index(appos.lower_) + 1] if appos.lower_ in words):
                continue
            label = " ".join(w.text for w in _post_words(appos)).strip(" ,")
            post = resolver.new_entity(" ".join(label.split()), "Post")
            yield Fact(person, "holdsPosition", "holds position", post, ev)


def _post_words(post: Token) -> list[Token]:
    """A post phrase's words without its leading article and a parenthesised acronym ("Head of
    the Commission (COI)": the acronym names the body, not the post)."""
    acronyms = [a for a in post.children if a.dep_ == "appos" and a.i > 0 and post.doc[a.i - 1].text == "("]
    inside = {t.i for a in acronyms for t in a.subtree}
    brackets = {i + d for i in inside for d in (-1, 1)} & {t.i for t in post.subtree if t.text in "()"}
    return [w for w in post.subtree if not (w.dep_ == "det" and w.i < post.i) and w.i not in inside | brackets]


def _post_phrases(person: Token) -> list[Token]:
    """Where a person's post is said of them: in apposition ("X, Director of Y") or as the
    complement of a copula whose subject they are ("X is the Director of Y", "X remains Y")."""
    out = [c for c in person.children if c.dep_ == "appos"]
    verb = person.head
    if person.dep_ == "nsubj" and verb.lemma_.lower() in ("be", "remain", "serve") and verb.tag_ != "VBD" and not any(
            c.dep_ in ("neg", "aux") for c in verb.children):      # present and plain: not "was", "will be", "is not"
        out += [c for c in verb.children if c.dep_ == "attr"]
        out += [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" for p in c.children if p.dep_ == "pobj"]
    return out


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
                    parts = _all_conjuncts(pobj)
                    named = [q for p in parts for inc in p.children if inc.dep_ == "prep" and inc.lower_ == "including"
                             for q_obj in inc.children if q_obj.dep_ == "pobj" for q in _all_conjuncts(q_obj)]
                    for part in named or parts:      # "14 departments, including the Police, …": the Police
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


def oversight_facts(sent: Span, args: Arguments, ev: Evidence) -> Iterator[Fact]:
    """"Investigations were carried out under the supervision of the judicial authorities" →
    judicial authorities supervises investigations; "the Committee, under the leadership of the
    Chief Secretary" → Committee chaired by Chief Secretary."""
    verbs = resources.word_map("oversight_noun")
    index = resources.lexicon_index()
    for under in (t for t in sent if t.dep_ == "prep" and t.lower_ == "under"):
        for noun in (c for c in under.children if c.dep_ == "pobj" and c.lemma_.lower() in verbs):
            overseers = [args.thing(p) for of in noun.children if of.dep_ == "prep" and of.lower_ == "of"
                         for pobj in of.children if pobj.dep_ == "pobj" for p in _all_conjuncts(pobj)]
            head = under.head
            patients = [head] if head.pos_ in ("NOUN", "PROPN") else [
                s for s in args.subjects(head) if head.pos_ in ("VERB", "AUX")]
            verb = verbs[noun.lemma_.lower()]
            for who in (o for o in overseers if isinstance(o, Entity)):
                for what in (args.thing(p) for p in patients):
                    if not isinstance(what, Entity) or what.key == who.key:
                        continue
                    if (verb, "by", "passive") in index:
                        prop = index[(verb, "by", "passive")]
                        yield Fact(what, prop, prop_label(prop), who, ev)
                    else:
                        prop = index.get((verb, "", "active"), "relatedTo")
                        yield Fact(who, prop, prop_label(prop) if prop != "relatedTo" else third_person(verb), what, ev)


# Circumstantial prepositions an action noun may stand in: "since/through/after the implementation of X".
ACTION_PREPS = {"since", "after", "through", "with", "by", "following", "upon", "via", "in"}


def action_facts(sent: Span, args: Arguments, ev: Evidence) -> Iterator[Fact]:
    """An action noun framing a clause is its subject's deed: "Since the implementation of Law
    No. 6/2008, the Macao SAR has combated trafficking" → Macao SAR implements Law No. 6/2008."""
    verbs = resources.word_map("action_noun")
    index = resources.lexicon_index()
    for noun in sent:
        lemma = verbs.get(noun.lemma_.lower()) or verbs.get(noun.lower_)
        if lemma is None or noun.dep_ != "pobj" or noun.head.lower_ not in ACTION_PREPS:
            continue
        verb = noun.head.head
        if verb.pos_ not in ("VERB", "AUX") or any(c.dep_ == "poss" for c in noun.children):
            continue          # "its implementation of", "the Council's adoption of": someone else's deed
        objects = [args.thing(p) for of in noun.children if of.dep_ == "prep" and of.lower_ == "of"
                   for pobj in of.children if pobj.dep_ == "pobj" for p in _all_conjuncts(pobj)]
        prop = index.get((lemma, "", "active"), "relatedTo")
        label = prop_label(prop) if prop != "relatedTo" else third_person(lemma)
        for s in (args.agent(t) for t in args.subjects(verb)):
            for o in objects:
                if s is not None and isinstance(o, Entity) and o.key != s.key:
                    yield Fact(s, prop, label, o, ev, args.negated(verb), args.modality(verb))


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
                    # "the report by the United States", "the TIP Report of the Department of State"
                    by = child.lower_ in ("from", "by") and (o.cls in ORG_CLASSES or o.cls == "Jurisdiction" and ent.cls == "Report")
                    if ent.cls in TITLED and (by or child.lower_ == "of" and ent.cls == "Report" and o.cls in ORG_CLASSES):
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


NOMINAL_PREPS = {"of", "against", "to", "at", "on", "over", "about", "for", "with"}


def nominal_targets(verb: Token, args: Arguments) -> Iterator[tuple[str, str, Entity | Value]]:
    """(property, verb, object) of a light verb's object that is a verb turned noun (words.tsv
    nominal_verb): "made groundless accusations against China" → accuses, China; "takes note of
    the report" → notes, the report; "expressed opposition to" → opposes."""
    nominal = resources.word_map("nominal_verb")
    index = resources.lexicon_index()
    for noun in (c for c in verb.children if c.dep_ in ("dobj", "obj") and c.lemma_.lower() in nominal):
        base = nominal[noun.lemma_.lower()]
        lemma, _, own = base.partition(" ")          # "response=respond to"
        prop = index.get((lemma, own, "active"))
        if prop is None:
            continue
        # the noun's own preposition, else one the parser hung on the verb right after the noun
        preps = [p for p in noun.children if p.dep_ == "prep" and p.lower_ in NOMINAL_PREPS] or [
            p for p in verb.children if p.dep_ == "prep" and p.lower_ in NOMINAL_PREPS and p.i == noun.i + 1]
        for pobj in (c for prep in preps for c in prep.children if c.dep_ == "pobj"):
            for t in coordination(pobj):
                o = args.thing(t)
                if o is not None:
                    yield prop, base, o
