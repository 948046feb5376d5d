"""Doc → plain fact records, from the dependency parse.

Pure generators over a parsed, entity-merged Doc (textacy-style): subject/verb/object with
conjunctions, passives, relative clauses, control verbs and prepositional verbs, mapped to
ontology properties through ontology/lexicon.tsv. Arguments (subjects, objects, voice,
negation, modality) are found by kg/arguments.py; claims and stance live in kg/claims.py.
"""
from __future__ import annotations

import re
from typing import Iterator

from spacy.tokens import Span, Token

from . import resources
from .arguments import OBJ_DEPS, Arguments, lemma_in, prop_label
from .keys import claim_entity
from .nouns import nominal_targets
from .phrases import coordination, phrase, third_person
from .records import ORG_CLASSES, Entity, Evidence, Fact, Value

# Prepositions that anchor a fact in time: "has not convicted a trafficker since 2021".
TIME_PREPS = {"since", "in", "during", "until", "by", "on", "from"}
# Prepositions that usually frame circumstances (time, place, means), not a verb's object.
CIRCUMSTANTIAL = {"in", "through", "during", "since", "for", "on", "at", "by", "under", "throughout",
                  "upon", "after", "before", "within", "via", "as", "despite", "regarding", "amid",
                  "including", "like", "from", "among", "across", "over", "until", "besides"}
CLAIM_PROPS = {"alleges", "states"}   # their objects are kg:Claim nodes


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


def verb_facts(sent: Span, args: Arguments, ev: Evidence, skip: set[int],
               attributed: dict[int, Entity] | None = None, owner: Token | None = None) -> Iterator[Fact]:
    """Subject–verb–object facts of one sentence; verbs whose index is in ``skip`` are left out.
    ``owner`` is the subject of a list this sentence is an item of: its bare imperative verbs
    ("(a) extend the screening to …") take it as their subject."""
    index = resources.lexicon_index()
    dative = resources.word_set("dative_verb")
    light = resources.word_set("light_verb")
    ranking = resources.word_set("rank_verb")
    coop = resources.word_set("cooperation_noun")
    relational = resources.word_set("relational_noun")
    dating = resources.word_set("dating_verb")
    legal_basis = resources.word_set("legal_basis_prep")
    gerunds = resources.word_set("noun_gerund")
    implicit = resources.word_set("implicit_agent_verb")
    for verb in sent:
        if verb.i in skip or verb.pos_ not in ("VERB",) or verb.dep_ in ("amod", "aux", "auxpass") or (
                verb.tag_ == "VBG" and verb.lower_ in gerunds):
            continue
        passive = args.is_passive(verb)
        found = args.subjects(verb)
        first = next((t for t in sent if not (t.is_punct or t.is_space or t.i in args.blocked)), None)
        if not found and owner is not None and (verb.tag_ == "VB" and verb.dep_ in ("ROOT", "conj", "dep") or first is not None and verb.i == first.i):
            found = [owner]
        subjects = [t for t in found if (args.thing(t) if passive else args.agent(t)) is not None]
        if not subjects:
            continue
        prt = [c.lower_ for c in verb.children if c.dep_ == "prt"]
        lemma = " ".join([verb.lemma_.lower(), *prt])
        negated, modality = args.negated(verb), args.modality(verb)
        neg_word = args.negation_word(verb) or "not"
        speaker = (attributed or {}).get(verb.i)
        make = lambda s, prop, label, o: Fact(s, prop, label, o, ev, negated, modality, speaker)
        preps = args.preps(verb)
        if lemma in light and not any((lemma, p, "active") in index for p, _ in preps):
            # "made groundless accusations against China" → accuses China
            for prop, base, o in nominal_targets(verb, args):
                for s in filter(None, map(args.agent, subjects)):
                    if not (isinstance(o, Entity) and o.key == s.key):
                        yield make(s, prop, _label(prop, verb, base, "", negated and neg_word), o)
            continue
        if passive:
            agents = [p for prep, p in preps if prep == "by" and args.agent(p) is not None]
            prop = index.get((lemma, "by", "passive"))
            if not agents and lemma in implicit:
                yield from _implicit_agent_facts(verb, lemma, subjects, args, ev, negated, neg_word, modality, speaker)
            for s_tok in subjects:
                s = args.thing(s_tok)
                for a_tok in agents:
                    a = args.thing(a_tok)
                    if not isinstance(a, Entity) or not isinstance(s, Entity):
                        continue
                    if prop:
                        yield make(s, prop, _label(prop, verb, lemma, "by", negated and neg_word, passive=True), a)
                    else:
                        active = index.get((lemma, "", "active"), "relatedTo")
                        yield make(a, active, _label(active, verb, lemma, "", negated and neg_word), s)
                owner = next((args.thing(c) for c in s_tok.children if c.dep_ == "poss" and c.pos_ != "PRON"), None)
                for prep, o_tok in preps:
                    p2 = index.get((lemma, prep, "passive"))
                    o = args.thing(o_tok)
                    if p2 and o is not None and isinstance(s, Entity):
                        # "Singapore's response is based on the 4 Ps strategy": Singapore adopts it
                        who = owner if isinstance(owner, Entity) and s.cls == "Concept" and owner.cls != "Concept" else s
                        yield make(who, p2, _label(p2, verb, lemma, prep, negated and neg_word), o)
            continue
        objects = [o for c in verb.children if c.dep_ in OBJ_DEPS for o in coordination(c)]
        if objects:
            objects += [o for extra in _additions(verb) for o in coordination(extra)]
        if lemma in ranking and any(isinstance(args.resolver.entity(t), Entity) and args.resolver.entity(t).cls == "Tier"
                                    for t in verb.subtree):
            continue   # rankings are read by kg/claims.py
        targets: list[tuple[str, str, Token]] = []       # (prop, label, object token)
        to_objs = [p for prep, p in preps if prep == "to"]
        if objects and lemma in dative and to_objs:
            prop = index.get((lemma, "", "active"), "relatedTo")
            what = " and ".join(phrase(o) for o in objects)
            label = f"{_negate(neg_word, lemma) if negated else third_person(lemma)} {what} to"
            targets = [(prop, label, p) for p in to_objs]
        elif objects and any(o.lemma_.lower() in coop for o in objects) and any(
                p.lower_ == "with" for o in objects for p in o.children if p.dep_ == "prep"):
            targets = [("cooperatesWith", "cooperates with", pobj) for o in objects if o.lemma_.lower() in coop
                       for p in o.children if p.dep_ == "prep" and p.lower_ == "with"
                       for c in p.children if c.dep_ == "pobj" for pobj in coordination(c)]
        elif objects and any(o.lemma_.lower() in relational for o in objects):
            # "ensure the victims' safe return" → ensures safe return of | victims
            for o in objects:
                inner = _complement(o) if o.lemma_.lower() in relational else None
                if inner is None:
                    prop = index.get((lemma, "", "active"), "relatedTo")
                    targets.append((prop, _label(prop, verb, lemma, "", negated and neg_word), o))
                    continue
                noun = " ".join([c.text for c in o.lefts if c.dep_ in ("amod", "compound")] + [o.text])
                verb_part = _negate(neg_word, lemma) if negated else third_person(lemma)
                prop = index.get((lemma, "", "active"), "relatedTo")
                targets += [(prop, f"{verb_part} {noun} of", t) for t in coordination(inner)]
        elif objects and any(_named_complement(o, args) for o in objects):
            # "notes some inaccuracies in the report" → notes inaccuracies in | report
            verb_part = _negate(neg_word, lemma) if negated else third_person(lemma)
            prop = index.get((lemma, "", "active"), "relatedTo")
            for o in objects:
                found_ = _named_complement(o, args)
                if found_:
                    prep, target = found_      # prep may be "of understanding with"
                    targets += [(prop, f"{verb_part} {o.lemma_.lower()} {prep}", t) for t in coordination(target)]
                else:
                    targets.append((prop, _label(prop, verb, lemma, "", negated and neg_word), o))
        elif objects:
            prop = index.get((lemma, "", "active")) or next(
                (index[(lemma, p, "active")] for p, _ in preps if (lemma, p, "active") in index), "relatedTo")
            targets = [(prop, _label(prop, verb, lemma, "", negated and neg_word), o) for o in objects]
        elif preps:
            chosen = next(((p, t) for p, t in preps if (lemma, p.split()[0], "active") in index), None) or next(
                ((p, t) for p, t in preps if p.split()[0] not in CIRCUMSTANTIAL), None)
            if chosen:
                prop = index.get((lemma, chosen[0].split()[0], "active"), "relatedTo")
                label = _label(prop, verb, lemma, chosen[0], negated and neg_word)
                if " " in chosen[0] and not negated:
                    label = f"{third_person(lemma)} {chosen[0]}"   # "commits to eliminating"
                targets = [(prop, label, t) for p, t in preps if p == chosen[0]]
        targets = [_as_complement(t, preps, args) for t in targets]
        # "coordinates 15 agencies, including the Police and the Labour Department": each named one too
        targets += [(prop, label, q) for prop, label, t in targets if not isinstance(t, Entity)
                    for inc in t.children if inc.dep_ == "prep" and inc.lower_ == "including"
                    for pobj in inc.children if pobj.dep_ == "pobj" for q in coordination(pobj)
                    if isinstance(e := args.thing(q), Entity) and e.cls in NAMED]
        if modality == "intended":        # "stands ready to discuss with" → ready to discuss with
            adj = args.intention(verb).lower_
            targets = [(p, f"{adj} to {lemma}{_rest(label, lemma)}", t) for p, label, t in targets]
        elif modality == "possible":     # "may prosecute", "may not detain", "allegedly detains"
            word = args.modal_word(verb) or "may"
            neg = " not" if negated else ""
            targets = [(p, f"{word}{neg} {lemma}{_rest(label, lemma)}" if word in MODAL_VERBS else f"{word} {label}", t)
                       for p, label, t in targets]
        wisher = args.wisher(verb) if modality == "desired" else None
        hopers = {e.key for e in map(args.agent, args.subjects(wisher)) if e is not None} if wisher is not None else set()
        wish = next((w for w in sorted(args.desire) if lemma_in(wisher, frozenset([w]))), "hope") if wisher is not None else ""
        # "launch campaigns through the Economic and Trade Offices": the offices do it too
        through = [p for prep, p in preps if prep in ("through", "via")
                   and isinstance(org := args.thing(p), Entity) and org.cls in ORG_CLASSES]
        for s_tok in subjects + through:
            s = args.agent(s_tok)
            if s is None:
                continue
            dated = False
            # dates stay attached: "has not convicted a trafficker since 2021"
            dates = [(prep, when) for prep, when in preps if prep in TIME_PREPS and when.ent_type_ == "DATE"
                     and any(ch.isdigit() for ch in when.text)]
            if verb.dep_ == "relcl" and verb.head.ent_type_ == "DATE" and any(c.lower_ == "when" for c in verb.children):
                dates.append(("in", verb.head))       # "since 2021, when the Government issued …"
            quals = tuple(("date", f"{prep} {when.text}") for prep, when in dates)
            for prop, label, o_tok in targets:
                o = o_tok if isinstance(o_tok, Entity) else args.thing(o_tok)
                if prop in CLAIM_PROPS and o is not None and not isinstance(o_tok, Entity):
                    o = claim_entity(ev.doc_id, phrase(o_tok))    # what is alleged is a claim, not a thing
                if o is None or isinstance(o, Entity) and o.key == s.key:
                    continue
                if prop == "cooperatesWith" and modality == "desired" and isinstance(o, Entity):
                    # "we hope the U.S. will work with us": the hoping side seeks cooperation
                    # ("hopes to work with C"); else the one worked with ("hopes that B will work with us")
                    seeker, partner = (s, o) if s.key in hopers else (o, s)
                    yield Fact(seeker, prop, "seeks cooperation with", partner, ev, negated, modality, speaker, quals)
                    continue
                if modality == "desired":    # "hopes to open", "should provide", "should not publish"
                    lead = (f"{third_person(wish)} not to" if negated else f"{third_person(wish)} to") \
                        if s.key in hopers else ("should not" if negated else "should")
                    label = f"{lead} {lemma}{_rest(label, lemma)}"
                yield Fact(s, prop, label, o, ev, negated, modality, speaker, quals)
                if dates and isinstance(o, Entity) and o.cls in DATED and lemma in dating and not negated:
                    # "issued Decision No. 5/2029 in 2029": the instrument's own date
                    done = verb.lower_ if verb.tag_ in ("VBD", "VBN") else "issued"
                    for prep, when in dates:
                        yield Fact(o, "issuedOn", f"{done} {prep}", Value(when.text, "date"), ev,
                                   negated, modality, speaker)
                    dated = True
            if not negated and modality == "asserted":
                # "prosecuted 301 suspects under the Anti-Trafficking Act": the doer applies that law
                for prep, basis in preps:
                    law = args.thing(basis) if prep in legal_basis else None
                    if isinstance(law, Entity) and law.cls in LEGAL_BASES:
                        yield Fact(s, "implements", "implements", law, ev, negated, modality, speaker,
                                   (("by", targets[0][1] if targets else third_person(lemma)),))
            if targets and not dated:
                for prep, when in dates:
                    base = re.sub(r" (?:to|with|of|for|on|in|from|at)$", "", targets[0][1])   # "provides … to"
                    yield Fact(s, targets[0][0], f"{base} {prep}", Value(when.text, "date"), ev,
                               negated, modality, speaker, (("qualifies", targets[0][1]),))


DATED = {"Law", "Decision", "Report", "Plan", "Agreement"}     # things a verb's date can date
LEGAL_BASES = {"Law", "Decision", "Plan", "Agreement"}          # what one can act "under"
NAMED = {"Report", "Law", "Decision", "Agreement", "Plan", "Organization", "GovernmentBody", "Government",
         "Committee", "Jurisdiction"}


# Patients an implied government never acts on: a report is the U.S.'s, a claim someone's.
NOT_PATIENTS = {"Report", "Claim", "Tier", "Jurisdiction", "Person", "Post", "Ranking"}


def _implicit_agent_facts(verb: Token, lemma: str, subjects: list[Token], args: Arguments, ev: Evidence,
                          negated: bool, neg_word: str, modality: str, speaker: Entity | None) -> Iterator[Fact]:
    """An agentless passive of a government's deed ("12 victims were identified", "a series of
    guiding documents have been issued") in a statement about one jurisdiction: its government
    did it. The fact says so (qualifier agent=implied)."""
    government = args.resolver.government()
    prop = resources.lexicon_index().get((lemma, "", "active"))
    if government is None or prop is None:
        return
    dates = tuple(("date", f"{prep} {when.text}") for prep, when in args.preps(verb)
                  if prep in TIME_PREPS and when.ent_type_ == "DATE")
    for s_tok in subjects:
        patient = args.thing(s_tok)
        if isinstance(patient, Entity) and patient.cls not in NOT_PATIENTS and patient.key != government.key:
            yield Fact(government, prop, _label(prop, verb, lemma, "", negated and neg_word), patient, ev,
                       negated, modality, speaker, (("agent", "implied"), *dates))


def _named_complement(noun: Token, args: "Arguments", depth: int = 0) -> tuple[str, Token] | None:
    """A concept object's preposition leading to a named entity ("inaccuracies in the report"),
    also through an "of" ("a memorandum of understanding with the Government of Nepal" →
    ("of understanding with", Government of Nepal))."""
    if args.resolver.entity(noun) is not None:
        return None
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "of", "to", "with", "against", "about", "on"):
            for p in (p for p in c.children if p.dep_ == "pobj"):
                thing = args.thing(p)
                if isinstance(thing, Entity) and thing.cls in NAMED:
                    return c.lower_, p
                if c.lower_ == "of" and depth == 0 and (not isinstance(thing, Entity) or thing.cls == "Concept"):
                    inner = _named_complement(p, args, 1)
                    if inner is not None:
                        return f"of {p.lower_} {inner[0]}", inner[1]
    return None


MODAL_VERBS = {"may", "might", "could", "can", "would", "should", "must"}
AS_IDIOMS = {"following", "follows", "such", "well", "usual", "before", "appropriate"}   # "as following"


def _as_complement(target: tuple[str, str, Token], preps: list[tuple[str, Token]],
                   args: Arguments) -> tuple[str, str, Token | Entity]:
    """"recognises Singapore's allure as a destination": the "as" phrase completes the object.
    A named object keeps its entity and the label takes the "as" ("designates X as partner")."""
    prop, label, obj = target
    if isinstance(obj, Entity):
        return target
    on_noun = [p for c in obj.children if c.dep_ == "prep" and c.lower_ == "as" for p in c.children if p.dep_ == "pobj"]
    what = next((p for p in [*(p for prep, p in preps if prep == "as"), *on_noun]
                 if p.i > obj.i and p.pos_ in ("NOUN", "PROPN") and p.lower_ not in AS_IDIOMS
                 and p.doc[p.head.i - 1].lower_ != "such"), None)     # "such as": examples
    if what is None:
        return target
    if args.resolver.entity(obj) is not None or obj.pos_ == "PRON":
        return prop, f"{label} as {phrase(what)}", obj
    return prop, label, args.resolver.concept(f"{phrase(obj)} as {phrase(what)}")


def _additions(verb: Token) -> list[Token]:
    """"In addition to X, the Plan includes Y" / "besides X": X is another object of the verb."""
    out = []
    for c in verb.children:
        if c.dep_ != "prep":
            continue
        if c.lower_ == "besides":
            out += [p for p in c.children if p.dep_ == "pobj"]
        elif c.lower_ == "in":
            for addition in (p for p in c.children if p.dep_ == "pobj" and p.lower_ == "addition"):
                out += [q for to in addition.children if to.dep_ == "prep" and to.lower_ == "to"
                        for q in to.children if q.dep_ == "pobj"]
    return out


def _complement(noun: Token) -> Token | None:
    """Whose/what a relational noun is about: its possessor or its "of"/"for" complement."""
    for c in noun.children:
        if c.dep_ == "poss" and c.pos_ != "PRON":
            return c
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "for"):
            return next((p for p in c.children if p.dep_ == "pobj"), None)
    return None


def _rest(label: str, lemma: str) -> str:
    """A label's words after its verb ("discusses with" → " with"), for rewording it."""
    for lead in (f"does not {lemma}", f"never {third_person(lemma)}", third_person(lemma), lemma):
        if label.startswith(lead):
            return label[len(lead):]
    return " " + label.split(" ", 1)[1] if " " in label else ""


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
