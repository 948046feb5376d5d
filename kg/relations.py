"""Doc → plain fact records, from the dependency parse.

Pure generators over a parsed, entity-merged Doc (textacy-style): subject/verb/object with
conjunctions, passives, relative clauses, control verbs and prepositional verbs, mapped to
ontology properties through ontology/lexicon.tsv. Claims, stance and rankings live in
kg/claims.py; this module supplies the argument-finding they share.
"""
from __future__ import annotations

import re
from typing import Iterator

from spacy.tokens import Span, Token

from . import resources
from .entities import Resolver
from .records import Entity, Evidence, Fact, Value

SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj"}
OBJ_DEPS = {"dobj", "obj", "dative"}
# Dependents that hand their subject down: "continues to intensify", "and participates in".
INHERIT_DEPS = {"conj", "xcomp"}
RELATIVE = {"which", "that", "who", "whom"}
# Prepositions that usually frame circumstances (time, place, means), not a verb's object.
CIRCUMSTANTIAL = {"in", "through", "during", "since", "for", "on", "at", "by", "under", "throughout",
                  "upon", "after", "before", "within", "via", "as", "despite", "regarding", "amid",
                  "including", "like", "from", "among", "across", "over", "until", "besides"}
# Left and right dependents kept when a noun phrase names an object ("crime prevention campaigns").
NP_LEFT = {"compound", "amod", "nummod", "quantmod", "nmod", "npadvmod", "advmod", "poss"}
NP_RIGHT_PREPS = {"of", "for", "against", "on", "to"}
VALUE_CLASSES = {"DATE", "CARDINAL", "MONEY", "QUANTITY", "PERCENT", "TIME"}


def third_person(lemma: str) -> str:
    """collaborate → collaborates, commit → commits, set up → sets up."""
    head, _, rest = lemma.partition(" ")
    if re.search(r"(s|sh|ch|x|z|o)$", head):
        head += "es"
    elif re.search(r"[^aeiou]y$", head):
        head = head[:-1] + "ies"
    else:
        head += "s"
    return f"{head} {rest}".strip()


def prop_label(prop: str) -> str:
    """collaboratesWith → "collaborates with" (the ontology's labels are made the same way)."""
    return re.sub(r"(?<=[a-z])([A-Z])", lambda m: " " + m.group(1).lower(), prop)


def conjuncts(token: Token) -> list[Token]:
    """A token and the tokens conjoined to it ("departments and NGOs")."""
    out = [token]
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ == token.pos_ or child.dep_ == "conj" and token.pos_ in ("NOUN", "PROPN"):
            out.extend(conjuncts(child))
    return out


def phrase(token: Token) -> str:
    """The words naming a noun phrase, without determiners, relative clauses or conjuncts."""
    keep = {token.i}

    def add(tok: Token) -> None:
        for t in tok.subtree:
            if t.dep_ in ("relcl", "acl", "cc", "conj", "appos", "punct", "det", "advcl") and t.head.i in keep and t is not tok:
                continue
            if t.head.i in keep or t is tok:
                keep.add(t.i)

    for child in token.lefts:
        if child.dep_ in NP_LEFT and not (child.dep_ == "poss" and child.pos_ == "PRON"):
            add(child)
    for child in token.rights:
        if child.dep_ in ("compound", "nummod") or child.dep_ == "prep" and child.lower_ in NP_RIGHT_PREPS:
            add(child)
    words = [t for t in token.doc[min(keep):max(keep) + 1] if t.i in keep]
    while words and (words[0].is_punct or words[0].lower_ in ("the", "a", "an")):
        words.pop(0)
    text = "".join(t.text_with_ws for t in words).strip()
    return re.sub(r"\s+", " ", text.strip("“”\"' ,"))


def evidence_for(sent: Span, doc_id: str, offset: int) -> Evidence:
    text = sent.text.strip()
    start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
    return Evidence(doc_id, offset + start, offset + start + len(text), text)


class Arguments:
    """Finds a verb's subjects, objects and how it is said (voice, negation, modality)."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.negation = resources.word_set("negation")
        self.possible = resources.word_set("possible")

    def subjects(self, verb: Token, depth: int = 0) -> list[Token]:
        subs = [c for c in verb.children if c.dep_ in SUBJ_DEPS]
        if subs:
            out = []
            for s in subs:
                if s.lower_ in RELATIVE and verb.dep_ == "relcl":
                    out.append(verb.head)
                else:
                    out.extend(conjuncts(s))
            return out
        if depth < 6 and verb.dep_ in INHERIT_DEPS and verb.head.pos_ in ("VERB", "AUX"):
            return self.subjects(verb.head, depth + 1)
        if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN"):
            return [verb.head]
        return []

    def is_passive(self, verb: Token) -> bool:
        return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
            verb.dep_ == "acl" and verb.tag_ == "VBN")

    def negated(self, verb: Token) -> bool:
        own = any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in self.negation) for c in verb.children)
        if own:
            return True
        has_aux = any(c.dep_ in ("aux", "auxpass") for c in verb.children)
        return verb.dep_ in ("conj", "xcomp") and not has_aux and verb.head.pos_ == "VERB" and self.negated(verb.head)

    def modality(self, verb: Token) -> str:
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "advmod")]
        if any(a.lower_ in self.possible for a in auxes):
            return "possible"
        if verb.dep_ in ("conj", "xcomp") and verb.head.pos_ == "VERB":
            return self.modality(verb.head)
        return "asserted"

    def thing(self, token: Token) -> Entity | Value | None:
        """The entity or value a noun-phrase head stands for."""
        if token.ent_type_ in VALUE_CLASSES:
            return Value(token.text, "date" if token.ent_type_ == "DATE" else "quantity")
        if token.pos_ in ("VERB", "AUX", "ADP", "DET", "CCONJ", "SCONJ", "PUNCT", "ADV", "ADJ", "PART"):
            return None
        return self.resolver.noun(token, phrase(token))

    def preps(self, verb: Token) -> list[tuple[str, Token]]:
        """(preposition, object head) pairs, in order; "to Tier 2 and 3" gives two."""
        out = []
        for child in verb.children:
            if child.dep_ in ("prep", "agent"):
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    out.extend((child.lower_, p) for p in conjuncts(pobj))
        return out


def verb_facts(sent: Span, args: Arguments, ev: Evidence, skip: set[int],
               attributed: dict[int, Entity] | None = None) -> Iterator[Fact]:
    """Subject–verb–object facts of one sentence; verbs whose index is in ``skip`` are left out."""
    index = resources.lexicon_index()
    dative = resources.word_set("dative_verb")
    for verb in sent:
        if verb.i in skip or verb.pos_ not in ("VERB",) or verb.dep_ in ("amod", "aux", "auxpass"):
            continue
        subjects = [t for s in args.subjects(verb) for t in [s] if args.thing(t) is not None]
        if not subjects:
            continue
        prt = [c.lower_ for c in verb.children if c.dep_ == "prt"]
        lemma = " ".join([verb.lemma_.lower(), *prt])
        negated, modality = args.negated(verb), args.modality(verb)
        speaker = (attributed or {}).get(verb.i)
        make = lambda s, prop, label, o: Fact(s, prop, label, o, ev, negated, modality, speaker)
        preps = args.preps(verb)
        if args.is_passive(verb):
            agents = [p for prep, p in preps if prep == "by"]
            prop = index.get((lemma, "by", "passive"))
            for s_tok in subjects:
                s = args.thing(s_tok)
                for a_tok in agents:
                    a = args.thing(a_tok)
                    if not isinstance(a, Entity) or not isinstance(s, Entity):
                        continue
                    if prop:
                        yield make(s, prop, _label(prop, verb, lemma, "by", negated, passive=True), a)
                    else:
                        active = index.get((lemma, "", "active"), "relatedTo")
                        yield make(a, active, _label(active, verb, lemma, "", negated), s)
                for prep, o_tok in preps:
                    p2 = index.get((lemma, prep, "passive"))
                    o = args.thing(o_tok)
                    if p2 and o is not None and isinstance(s, Entity):
                        yield make(s, p2, _label(p2, verb, lemma, prep, negated), o)
            continue
        objects = [o for c in verb.children if c.dep_ in OBJ_DEPS for o in conjuncts(c)]
        targets: list[tuple[str, str, Token]] = []       # (prop, label, object token)
        to_objs = [p for prep, p in preps if prep == "to"]
        if objects and lemma in dative and to_objs:
            prop = index.get((lemma, "", "active"), "relatedTo")
            what = " and ".join(phrase(o) for o in objects)
            label = f"{'does not ' + lemma if negated else third_person(lemma)} {what} to"
            targets = [(prop, label, p) for p in to_objs]
        elif objects:
            prop = index.get((lemma, "", "active")) or next(
                (index[(lemma, p, "active")] for p, _ in preps if (lemma, p, "active") in index), "relatedTo")
            targets = [(prop, _label(prop, verb, lemma, "", negated), o) for o in objects]
        elif preps:
            chosen = next(((p, t) for p, t in preps if (lemma, p, "active") in index), None) or next(
                ((p, t) for p, t in preps if p not in CIRCUMSTANTIAL), None)
            if chosen:
                prop = index.get((lemma, chosen[0], "active"), "relatedTo")
                label = _label(prop, verb, lemma, chosen[0], negated)
                targets = [(prop, label, t) for p, t in preps if p == chosen[0]]
        for s_tok in subjects:
            s = args.thing(s_tok)
            if not isinstance(s, Entity):
                continue
            for prop, label, o_tok in targets:
                o = args.thing(o_tok)
                if o is not None and (not isinstance(o, Entity) or o.key != s.key):
                    yield make(s, prop, label, o)


def _label(prop: str, verb: Token, lemma: str, prep: str, negated: bool, passive: bool = False) -> str:
    if prop != "relatedTo" and not negated:
        return prop_label(prop)
    if negated:
        base = f"not {verb.text.lower()}" if passive else f"does not {lemma}"
    else:
        base = third_person(lemma)
    return f"{base} {prep}".strip()
