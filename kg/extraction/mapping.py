"""Facts from frames, by data: ontology/frames.tsv maps (lemma, preposition) to a property and
the roles its subject and object come from. A frame no row maps still yields a fact
(kg:relatedTo) between its agent and its patient or first oblique.

The fact's label is the text's own verb phrase in the third person with its negation and
modality shown ("does not fully meet", "will chair", "should correct", "charged with"); the
canonical property goes to the RDF.
"""
from __future__ import annotations

import re
from typing import Iterator

from spacy.tokens import Token

from .. import resources
from ..arguments import Arguments
from ..phrases import coordination, third_person
from ..records import ORG_CLASSES, Entity, Evidence, Fact, Value
from .frames import Frame
from .labels import verb_label
from .parties import group, note_meeting
from .phrases import argument

# Prepositions that frame circumstances (place, means, manner) rather than the verb's object.
CIRCUMSTANTIAL = {"in", "through", "during", "since", "for", "on", "at", "by", "under", "throughout",
                  "upon", "after", "before", "within", "via", "as", "despite", "regarding", "amid",
                  "including", "like", "among", "across", "over", "until", "besides", "following"}
DATED = {"Law", "Decision", "Report", "Plan", "Agreement"}     # things a verb's date can date
LEGAL_BASES = {"Law", "Decision", "Plan", "Agreement"}          # what one can act "under"
NOT_PATIENTS = {"Report", "Claim", "Tier", "Jurisdiction", "Person", "Post", "Ranking"}


def frame_facts(frame: Frame, args: Arguments, ev: Evidence, speaker: Entity | None,
                owner: Entity | None = None) -> Iterator[Fact]:
    """The facts one frame states (or, negated or not asserted, reports as not done)."""
    agents = [a for t in frame.role("agent") for a in (group(t, args) or [doer(t, args, frame.predicate)])
              if a is not None]
    dated = resources.frame_index().get((frame.lemma, ""))
    if dated is not None and dated.object == "time":     # "the new rules came into force": any thing
        agents = [a for a in (argument(t, args, frame.predicate) for t in frame.role("agent")) if isinstance(a, Entity)]
    if not agents and owner is not None and frame.voice == "active":
        agents = [owner]
    implied = False
    efforts = resources.word_set("attempt_noun") | resources.word_set("deed_noun")
    if not agents and any(t.lemma_.lower() in efforts for t in frame.role("agent")):
        government = args.resolver.government()      # "These efforts included establishing …"
        agents, implied = ([government], True) if government is not None else ([], False)
    elif not agents and frame.voice == "passive" and frame.lemma in resources.word_set("implicit_agent_verb"):
        government = args.resolver.government()
        if government is not None and _patients_fit(frame, args, government):
            agents, implied = [government], True
    quals = tuple(("date", f"{prep} {time_text(tok)}".lstrip()) for prep, tok in _times(frame))
    if implied:
        quals = (("agent", "implied"), *quals)
    note_meeting(frame, args)
    make = lambda s, prop, label, o: Fact(s, prop, label, o, ev, frame.negated, frame.modality, speaker, quals)
    index = resources.frame_index()
    for subject in agents:
        targets = _targets(frame, args)
        for prop, label, obj in targets:
            if isinstance(obj, Entity) and obj.key == subject.key:
                continue
            row = index.get((frame.lemma, ""))
            if row is not None and row.prop == prop and row.subject == "patient":
                # an inverse row ("X is chaired by Y"): the patient is the fact's subject
                if isinstance(obj, Entity):
                    yield make(obj, prop, verb_label(frame, "by", passive=True), subject)
                continue
            yield make(subject, prop, label, obj)
            yield from _dated(frame, obj, ev, speaker)
        if not (targets and isinstance(targets[0][2], Value) and targets[0][2].kind == "date"):
            yield from _when(frame, subject, ev, speaker, targets)
        yield from _basis(frame, subject, args, ev, speaker)
    if frame.voice == "passive" and not implied:
        yield from _patient_facts(frame, args, ev, speaker, quals)


def doer(token: Token, args: Arguments, predicate: Token | None = None) -> Entity | None:
    """Who acts: a post's known holder ("the Foreign Minister appealed" → the minister named
    earlier), else the agent; a concept agent keeps its whole phrase ("inadequate victim services")."""
    whole = _whole(token, args)
    if whole is not None:
        return whole
    agent = args.agent(token)
    if agent is not None and agent.cls == "Post":
        holder = args.resolver.speaker(token)
        return holder if holder is not None else agent
    if agent is not None and agent.cls == "Concept":
        whole = argument(token, args, predicate)     # without the predication itself ("rules governing X")
        return whole if isinstance(whole, Entity) else agent
    return agent


WHOLES = {"Law", "Decision", "Plan", "Agreement", "Report"}      # what has provisions, articles, sections


def _whole(token: Token, args: Arguments) -> Entity | None:
    """A part of an instrument acts for the instrument (words.tsv ``part_noun``): "its provisions
    prohibit …", "Article 5 of the Act requires …", "the law includes provisions that protect …"
    → the law prohibits, requires, protects."""
    if token.lemma_.lower().split(" ")[0] not in resources.word_set("part_noun"):
        return None             # (a numbered part is one merged token: "Section 9")
    owners = [c for c in token.children if c.dep_ == "poss"] + [
        p for c in token.children if c.dep_ == "prep" and c.lower_ in ("of", "in")
        for p in c.children if p.dep_ == "pobj"]
    if not owners and token.dep_ in ("dobj", "obj") and token.head.lemma_.lower() in resources.word_set("containing_verb"):
        owners = [c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    for tok in owners:
        whole = args.resolver.latest(WHOLES, tok.idx) if tok.pos_ == "PRON" else args.thing(tok)
        if isinstance(whole, Entity) and whole.cls in WHOLES:
            return whole
    return None


def _targets(frame: Frame, args: Arguments) -> list[tuple[str, str, Entity | Value]]:
    """(property, label, object) of an agent-subject fact: a mapped row first, else the patient,
    else the first oblique that is not a circumstance."""
    index = resources.frame_index()
    out: list[tuple[str, str, Entity | Value]] = []
    row = index.get((frame.lemma, ""))
    if row is not None and row.object == "time":       # "enters into force on 1 May" → in force on
        return [(row.prop, f"{verb_label(frame)} {prep}".rstrip(), Value(time_text(tok), "date")) for prep, tok in _times(frame)]
    patients = [p for p in map(lambda t: argument(t, args, frame.predicate), frame.role("patient")) if p is not None]
    as_words = _as_phrase(frame, args)
    for p in patients:
        named = isinstance(p, Entity) and p.cls != "Concept"
        label = f"{verb_label(frame)} as {as_words}" if named and as_words else verb_label(frame)
        out.append((row.prop if row else "relatedTo", label, p))
    prop = row.prop if row else "relatedTo"
    out += _relational(frame, args, prop)
    out += _named_inside(frame, args, prop)
    out += _standing_for(frame, args, row.prop if row else "relatedTo")
    if patients and frame.lemma in resources.word_set("dative_verb"):
        what = " and ".join(p.label for p in patients)
        for tok in frame.role("oblique", "to") + frame.role("recipient"):
            obj = argument(tok, args, frame.predicate)
            if obj is not None:
                out.append((row.prop if row else "relatedTo", f"{verb_label(frame)} {what} to", obj))
    for arg in frame.obliques():
        mapped = index.get((frame.lemma, arg.prep))
        if mapped is None and (patients or arg.prep.split()[0] in CIRCUMSTANTIAL):
            continue
        obj = argument(arg.head, args, frame.predicate)
        if obj is not None:
            out.append((mapped.prop if mapped else "relatedTo", verb_label(frame, arg.prep), obj))
        if mapped is None:
            break       # one unmapped oblique: the verb's nearest complement
    return out


def _as_phrase(frame: Frame, args: Arguments) -> str:
    """"designated the Harbour Police as the lead agency": the role a named object is given."""
    for tok in frame.role("oblique", "as"):
        if tok.pos_ in ("NOUN", "PROPN"):
            thing = argument(tok, args, frame.predicate)
            return thing.label if thing is not None else tok.text
    return ""


def _relational(frame: Frame, args: Arguments, prop: str) -> list[tuple[str, str, Entity | Value]]:
    """A relational noun relates the verb to its complement (words.tsv relational_noun): "ensure
    the victims' safe return" → ensures safe return of | victims; "enhance the protection of
    workers" → enhances protection of | workers."""
    relational = resources.word_set("relational_noun")
    out: list[tuple[str, str, Entity | Value]] = []
    for noun in frame.role("patient"):
        if noun.lemma_.lower() not in relational:
            continue
        inner = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ != "PRON"), None) or next(
            (p for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "for")
             for p in c.children if p.dep_ == "pobj"), None)
        if inner is None:
            continue
        name = " ".join([c.text for c in noun.lefts if c.dep_ in ("amod", "compound")] + [noun.text])
        for tok in coordination(inner):
            obj = argument(tok, args, frame.predicate)
            if obj is not None:
                out.append((prop, f"{verb_label(frame)} {name} of", obj))
    return out


NAMED = {"Report", "Law", "Decision", "Agreement", "Plan", "Organization", "GovernmentBody", "Government",
         "Committee", "Jurisdiction"}
INSIDE_PREPS = {"with", "against", "to", "on", "in", "of", "including", "between"}


def _named_inside(frame: Frame, args: Arguments, prop: str) -> list[tuple[str, str, Entity | Value]]:
    """A concept object's phrase that names a party: "signed a memorandum of understanding with
    Nepal" → signs memorandum of understanding with | Nepal; "coordinates 15 agencies, including
    the Police" → coordinates | Police (named members of an including-list share the verb)."""
    out: list[tuple[str, str, Entity | Value]] = []
    for noun in frame.role("patient"):
        if args.resolver.entity(noun) is not None:
            continue
        for prep, target, words in _inside(noun):
            for tok in coordination(target):
                obj = args.thing(tok)
                if isinstance(obj, Entity) and obj.cls in NAMED:
                    label = verb_label(frame) if prep == "including" else f"{verb_label(frame)} {words} {prep}"
                    out.append((prop, label, obj))
    return out


def _inside(noun: Token) -> list[tuple[str, Token, str]]:
    """(preposition, its object, the words before it) of a noun's complements, one "of" deep."""
    out = []
    for c in noun.children:
        if c.dep_ != "prep" or c.lower_ not in INSIDE_PREPS:
            continue
        for p in (p for p in c.children if p.dep_ == "pobj"):
            out.append((c.lower_, p, noun.lemma_.lower()))
            if c.lower_ == "of":
                out += [(c2.lower_, p2, f"{noun.lemma_.lower()} of {p.lower_}") for c2 in p.children
                        if c2.dep_ == "prep" and c2.lower_ in INSIDE_PREPS - {"of"}
                        for p2 in c2.children if p2.dep_ == "pobj"]
    return out


def _standing_for(frame: Frame, args: Arguments, prop: str) -> list[tuple[str, str, Entity | Value]]:
    """A stance taken on a deed or a document's part is taken on the thing itself: "welcomes the
    enactment of the Act" → welcomes the Act; "rejects the report's findings" → rejects the report."""
    stance = resources.word_set("stance_verb") | resources.word_set("support_verb")
    if frame.lemma not in stance:
        return []
    nouns = resources.word_set("content_noun") | set(resources.word_map("action_noun"))
    out: list[tuple[str, str, Entity | Value]] = []
    for noun in frame.role("patient"):
        if noun.lemma_.lower() not in nouns and noun.lower_ not in nouns:
            continue
        inner = [c for c in noun.children if c.dep_ == "poss" and c.pos_ != "PRON"] + [
            p for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "by")
            for q in c.children if q.dep_ == "pobj" for p in [q, *(r for o in q.children if o.dep_ == "prep"
                                                                and o.lower_ == "of" for r in o.children if r.dep_ == "pobj")]]
        for tok in inner:
            obj = args.thing(tok)
            if isinstance(obj, Entity) and obj.cls not in ("Concept", "Jurisdiction", "Person"):
                out.append((prop, verb_label(frame), obj))
    return out


def _patient_facts(frame: Frame, args: Arguments, ev: Evidence, speaker: Entity | None,
                   quals: tuple) -> Iterator[Fact]:
    """A passive's patient and its obliques: "the man was extradited to Victoria" → man |
    extradited to | Victoria; "charged with six offences under the Act" → charged with, charged under."""
    for tok in frame.role("patient"):
        patient = args.thing(tok)
        if not isinstance(patient, Entity):
            continue
        for arg in frame.args:
            if arg.role not in ("oblique", "basis") or arg.prep in ("by", "as"):
                continue
            obj = argument(arg.head, args, frame.predicate)
            if obj is not None and not (isinstance(obj, Entity) and obj.key == patient.key):
                yield Fact(patient, "relatedTo", verb_label(frame, arg.prep, passive=True), obj, ev,
                           frame.negated, frame.modality, speaker, quals)


def time_text(tok: Token) -> str:
    """A date's text; a relative time ("120 days after its publication") is its whole phrase."""
    if tok.pos_ != "ADP":
        return tok.text
    words = list(tok.subtree)
    return tok.doc[words[0].i:words[-1].i + 1].text


def _times(frame: Frame) -> list[tuple[str, Token]]:
    return [(a.prep, a.head) for a in frame.args if a.role == "time"]


def _when(frame: Frame, subject: Entity, ev: Evidence, speaker: Entity | None,
          targets: list[tuple[str, str, Entity | Value]]) -> Iterator[Fact]:
    """The date a deed is anchored to, as a fact of its own: "has charged the man on 4 May 2031"
    → charged on | 4 May 2031 (qualified by the fact it dates)."""
    if not targets:
        return
    prop, label, _ = targets[0]
    base = re.sub(r" (?:to|with|of|for|on|in|from|at)$", "", label)
    for prep, when in _times(frame):
        yield Fact(subject, prop, f"{base} {prep}".rstrip(), Value(time_text(when), "date"), ev, frame.negated, frame.modality,
                   speaker, (("qualifies", label),))


def _dated(frame: Frame, obj: Entity | Value, ev: Evidence, speaker: Entity | None) -> Iterator[Fact]:
    """"issued Decision No. 5/2029 in 2029": a dating verb's date is its instrument's date."""
    if not (isinstance(obj, Entity) and obj.cls in DATED and frame.lemma in resources.word_set("dating_verb")):
        return
    if frame.negated or frame.modality != "asserted":
        return
    verb = frame.predicate
    done = verb.lower_ if verb.tag_ in ("VBD", "VBN") else "issued"
    for prep, when in _times(frame):
        yield Fact(obj, "issuedOn", f"{done} {prep}".rstrip(), Value(time_text(when), "date"), ev, False, "asserted", speaker)


def _basis(frame: Frame, subject: Entity, args: Arguments, ev: Evidence, speaker: Entity | None) -> Iterator[Fact]:
    """"prosecuted 301 suspects under the Anti-Trafficking Act": the doer applies that law."""
    if frame.negated or frame.modality != "asserted":
        return
    for tok in frame.role("basis"):
        law = args.thing(tok)
        if isinstance(law, Entity) and law.cls in LEGAL_BASES:
            yield Fact(subject, "implements", "implements", law, ev, False, "asserted", speaker,
                       (("by", third_person(frame.lemma)),))


def _patients_fit(frame: Frame, args: Arguments, government: Entity) -> bool:
    """An implied government acts on victims, laws, plans — never on a report or a claim."""
    things = [args.thing(t) for t in frame.role("patient")]
    return any(isinstance(t, Entity) and t.cls not in NOT_PATIENTS and t.key != government.key
               and t.cls not in ORG_CLASSES for t in things)
