"""The frame layer: one reading of a sentence's parse as predications.

A :class:`Frame` is one predication — its predicate (lemma, particle, the text's own words), its
kind, voice, polarity, modality, attribution and embedding — and its arguments by semantic role
(agent, patient, recipient, oblique:PREP, time, basis), each the head token of a phrase. Roles
are voice-independent: "X chairs Y", "Y is chaired by X" and "Y, chaired by X" give the same
agent and patient, so one mapping row (ontology/frames.tsv) serves all of them.

Subjects are shared once, here, through control, coordination, participles, relative and purpose
clauses (kg/arguments.py finds them); objects are shared across coordinated verbs ("arrested and
investigated officials": both verbs take "officials"). A reporting verb's subject is never handed
to the clause it reports: that clause keeps its own subject and the reporter becomes its source.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Token

from .. import resources
from ..arguments import misread_participle, OBJ_DEPS, Arguments
from ..phrases import coordination
from .scope import Scope, own_scope, read_scope

# Verbs that stand for a thing in these texts ("trafficking crimes"): not predicates.
SKIP_DEPS = {"amod", "aux", "auxpass", "compound"}
# Links through which a predication sits inside another's argument ("signed an MoU to support
# capacity-building in preventing corruption": "preventing" is inside what "support" is about);
# adjunct clauses (advcl) and verb coordination keep their own scope (kg/extraction/scope.py).
INSIDE_DEPS = {"pcomp", "pobj", "prep", "acl", "relcl", "dobj", "obj", "xcomp", "ccomp", "attr", "oprd",
               "appos", "compound", "amod", "nmod", "poss", "agent", "dative"}
# Prepositions that open a circumstance of the verb, not its argument ("did not address the
# allegations, with the government owning a third of the firm": the owning is stated).
ADJUNCT_PREPS = {"with", "without", "despite", "after", "before", "since", "besides", "while", "amid",
                 "following", "although", "because"}
# Prepositions that anchor a predication in time when their object is a date.
TIME_PREPS = {"since", "in", "during", "until", "by", "on", "from", "before", "after"}
# Prepositions that anchor a time relative to an event when a duration measures them ("30 days after").
RELATIVE_TIME_PREPS = {"after", "before", "from", "following", "within"}


@dataclass(frozen=True)
class Arg:
    """One argument: its role ("agent", "patient", "recipient", "oblique", "time", "basis"),
    the preposition that marks it ("" for core roles), and the head token of its phrase."""

    role: str
    prep: str
    head: Token


@dataclass
class Frame:
    """One predication of a sentence (see the module docstring)."""

    predicate: Token
    lemma: str                   # "take part", "set up": the verb's lemma and its particle
    kind: str                    # verbal | participle | nominal | support | copular
    voice: str                   # active | passive
    scope: Scope
    args: list[Arg] = field(default_factory=list)

    def role(self, role: str, prep: str | None = None) -> list[Token]:
        """Heads of the arguments in one role (and with one preposition, if given)."""
        return [a.head for a in self.args if a.role == role and (prep is None or a.prep == prep)]

    def obliques(self) -> list[Arg]:
        return [a for a in self.args if a.role == "oblique"]

    @property
    def negated(self) -> bool:
        return self.scope.negated

    @property
    def modality(self) -> str:
        return self.scope.modality


def verbal_frames(tokens: list[Token], args: Arguments) -> list[Frame]:
    """Every verbal predication of a sentence's tokens, in text order."""
    gerunds = resources.word_set("noun_gerund")
    frames = []
    for verb in tokens:
        if verb.pos_ != "VERB" or verb.dep_ in SKIP_DEPS or verb.i in args.blocked:
            continue
        if verb.tag_ == "VBG" and verb.lower_ in gerunds or args.resolver.entity(verb) is not None:
            continue           # a gerund that names a thing, or a name the tagger took for a verb
        if " " in verb.text and verb.text[:1].isupper():
            continue           # a merged capitalised name ("Partially Amend" inside an order's title)
        if fixed_part(verb, args):
            continue
        frames.append(verbal_frame(verb, args))
    return inherit_scope(frames)


def inherit_scope(frames: list[Frame]) -> list[Frame]:
    """A predication inside the argument of one that is not asserted is not asserted either:
    under "will sign an MoU to build roads", "build" is intended; under "did not sign an
    agreement to build roads", nothing says the roads are or are not built, so the inner
    predication is dropped (a wrong fact costs more than a missing one)."""
    by_verb = {f.predicate.i: f for f in frames}
    out, dropped = [], set()
    for frame in frames:
        verb = frame.predicate
        lead = by_verb.get(verb.head.i) if verb.dep_ == "conj" and not own_scope(verb) else None
        if lead is not None:        # "a framework to seek redress and to hold officials to account"
            if verb.head.i in dropped:
                dropped.add(verb.i)
                continue
            if frame.modality == "asserted" and not frame.negated and lead.modality != "asserted":
                frame.scope = replace(frame.scope, modality=lead.modality, modal_word=lead.scope.modal_word,
                                      embedding=lead.scope.embedding)
        # control is kg/extraction/scope.py's; a past tense of its own ("a treaty the Senate
        # ratified") says the thing happened, whatever the outer clause does
        own = frame.predicate.dep_ == "xcomp" or frame.predicate.tag_ == "VBD"
        outer = None if own else _enclosing(frame.predicate, by_verb)
        if frame.modality == "asserted" and not frame.negated and _aimed_at(frame.predicate):
            frame.scope = replace(frame.scope, modality="intended", modal_word="to", embedding="purpose")
        prev = out[-1] if out else None
        if prev is not None and frame.modality == "asserted" and not frame.negated and prev.scope.embedding == "purpose" \
                and _continues(frame.predicate, prev.predicate):
            frame.scope = replace(frame.scope, modality=prev.modality, modal_word=prev.scope.modal_word, embedding="purpose")
        if outer is not None and frame.modality == "asserted" and not frame.negated:
            if outer.negated:
                dropped.add(verb.i)
                continue
            if outer.modality != "asserted":
                frame.scope = replace(frame.scope, modality=outer.modality, modal_word=outer.scope.modal_word,
                                      embedding=outer.scope.embedding)
        out.append(frame)
    return out


def _continues(verb: Token, prev: Token) -> bool:
    """"For the purpose of preventing X, preventing Y, and executing Z": the model hangs the later
    gerunds of a fronted list on the main verb; one that follows the previous item's phrase after
    a comma, with no subject or marker of its own, is the next item of the same list."""
    if verb.tag_ != "VBG" or verb.dep_ not in ("advcl", "conj") or any(
            c.dep_ in ("nsubj", "nsubjpass", "mark", "aux") for c in verb.children):
        return False
    end = max(t.i for t in prev.subtree)
    between = verb.doc[end + 1:verb.i]
    return 0 < len(between) <= 2 and all(t.is_punct or t.lower_ in ("and", "or") for t in between)


def _aimed_at(verb: Token) -> bool:
    """"with the goal of stimulating action", "with a view to ending", "for the purpose of
    training": a deed a purpose noun (words.tsv ``purpose_noun``) names is aimed at, not done."""
    purpose = resources.word_set("purpose_noun")
    if verb.dep_ == "conj" and verb.head.pos_ == "VERB":
        verb = verb.head
    prep = verb.head if verb.dep_ == "pcomp" else None
    return prep is not None and prep.dep_ == "prep" and prep.head.lemma_.lower() in purpose


def _enclosing(verb: Token, by_verb: dict[int, Frame]) -> Frame | None:
    """The nearest predication whose argument ``verb`` is inside (through INSIDE_DEPS only)."""
    tok = verb
    for _ in range(12):
        if tok.dep_ not in INSIDE_DEPS and not (tok.dep_ == "conj" and tok.head.pos_ != "VERB"):
            return None
        if tok.head.i == tok.i:
            return None
        if tok.dep_ == "prep" and tok.lower_ in ADJUNCT_PREPS:
            return None
        tok = tok.head
        if tok.i in by_verb:
            return by_verb[tok.i]
    return None


def verbal_frame(verb: Token, args: Arguments) -> Frame:
    """The frame of one verb: roles from its dependents, by voice."""
    passive = args.is_passive(verb) or reduced_relative(verb)
    prt = [c.lower_ for c in verb.children if c.dep_ == "prt"]
    lemma = " ".join([verb.lemma_.lower(), *prt])
    lemma, fixed = _fixed(verb, lemma, args)
    kind = "participle" if verb.dep_ in ("acl", "relcl") and verb.tag_ in ("VBN", "VBG") else "verbal"
    frame = Frame(verb, lemma, kind, "passive" if passive else "active", read_scope(verb, args))
    subject_role = "patient" if passive else "agent"
    frame.args += [Arg(subject_role, "", s) for s in args.subjects(verb) or implied_doer(verb, args)]
    objects = [o for o in _objects(verb) if o.i not in fixed] + [
        s for c in verb.children if c.i in fixed and c.dep_ == "ccomp"     # "holds [officials to account]"
        for s in c.children if s.dep_ == "nsubj"]
    datives = [c for c in verb.children if c.dep_ == "dative"]
    if datives and objects != datives:
        frame.args += [Arg("recipient", "", d) for d in datives]
        objects = [o for o in objects if o not in datives]
    frame.args += [Arg("patient", "", o) for o in objects + (_additions(verb) if objects else [])]
    basis = resources.word_set("legal_basis_prep")
    idioms = resources.word_set("idiom_phrase")
    for prep, head in args.preps(verb):
        if f"{prep} {head.lower_}" in idioms or head.i in fixed:
            continue               # "in fact", "in particular": a discourse marker, not an argument
        if prep == "by" and passive:
            frame.args.append(Arg("agent", "", head))
        elif prep in TIME_PREPS and head.ent_type_ == "DATE" and any(ch.isdigit() for ch in head.text):
            frame.args.append(Arg("time", prep, head))
        elif prep in RELATIVE_TIME_PREPS and _offset(head.head):
            frame.args.append(Arg("time", "", head.head))     # "120 days after its publication": the whole phrase
        elif prep in basis:
            frame.args.append(Arg("basis", prep, head))
        else:
            frame.args.append(Arg("oblique", prep, head))
    frame.args += [Arg("time", "on", c) for c in verb.children if c.dep_ in ("npadvmod", "tmod")
                   and c.ent_type_ == "DATE" and (any(ch.isdigit() for ch in c.text) or c.lower_ in ("today", "yesterday"))]
    frame.args += [Arg("basis", phrase, head) for phrase, head in _complex_preps(verb) if phrase in basis]
    if verb.dep_ == "relcl" and verb.head.ent_type_ == "DATE" and any(c.lower_ == "when" for c in verb.children):
        frame.args.append(Arg("time", "in", verb.head))      # "since 2021, when the Government issued …"
    if passive and not frame.role("agent"):
        frame.args += [Arg("agent", "", a) for a in _stray_agent(verb, args)]
    return frame


def _offset(prep: Token) -> bool:
    """"120 days after", "six months from": a preposition measured by a duration."""
    return any(c.dep_ == "npadvmod" and c.ent_type_ == "DATE" and any(ch.isdigit() or ch.isalpha() for ch in c.text)
               for c in prep.children)


def _complex_preps(verb: Token) -> list[tuple[str, Token]]:
    """Prepositions of several words on a verb: "pursuant to X" (an adjective or adverb with its
    "to"), "in accordance with X", "on the basis of X" (a preposition, its noun and the noun's own
    preposition)."""
    out = []
    for c in verb.children:
        inner = [p for p in c.children if p.dep_ == "prep"]
        if c.dep_ != "prep" and c.pos_ in ("ADJ", "ADV", "VERB"):
            out += [(f"{c.lower_} {p.lower_}", o) for p in inner for o in p.children if o.dep_ == "pobj"]
        elif c.dep_ == "prep":
            for noun in (n for n in c.children if n.dep_ == "pobj"):
                out += [(f"{c.lower_} {' '.join(w.lower_ for w in noun.lefts if w.dep_ == 'det')} {noun.lower_} {p.lower_}"
                         .replace("  ", " "), o)
                        for p in noun.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]
    return out


def _fixed(verb: Token, lemma: str, args: Arguments) -> tuple[str, set[int]]:
    """"enter into force", "take effect": a verb with a fixed preposition + noun or object
    (words.tsv ``fixed_predicate``) is one predicate; the noun is part of it, not an argument."""
    fixed = resources.word_set("fixed_predicate")
    for prep, head in args.preps(verb):
        if f"{lemma} {prep} {head.lower_}" in fixed:
            return f"{lemma} {prep} {head.lower_}", {head.i}
    for obj in (c for c in verb.children if c.dep_ in OBJ_DEPS):
        if f"{lemma} {obj.lower_}" in fixed:
            return f"{lemma} {obj.lower_}", {obj.i}
    for part in _to_noun(verb):     # "hold officials to account": the model reads "to account" as a verb
        if f"{lemma} to {part.lower_}" in fixed:
            return f"{lemma} to {part.lower_}", {part.i}
    return lemma, set()


def _to_noun(verb: Token) -> list[Token]:
    """Infinitive-looking complements ("to account", "to justice") the small model hangs on a verb."""
    return [c for c in verb.children if c.dep_ in ("advcl", "xcomp", "ccomp") and c.pos_ == "VERB"
            and any(a.tag_ == "TO" for a in c.children) and not any(a.dep_ in OBJ_DEPS for a in c.children)
            and sum(a.dep_ == "nsubj" for a in c.children) <= 1]


def fixed_part(verb: Token, args: Arguments) -> bool:
    """Whether ``verb`` is the noun of its head's fixed predicate ("account" in "hold X to account")."""
    return verb.dep_ in ("advcl", "xcomp", "ccomp") and verb.head.pos_ == "VERB" and \
        verb.i in _fixed(verb.head, verb.head.lemma_.lower(), args)[1]


def reduced_relative(verb: Token) -> bool:
    """"A man, 31, extradited to Victoria on Sunday, has been charged …": the small model reads
    the participle as the main verb (VBD, no object) and the real main verb as its conjunct
    with no "and" before it; the participle is then passive, its "subject" the patient."""
    if verb.dep_ != "ROOT" or misread_participle(verb) is not None:
        return misread_participle(verb) is not None
    if verb.tag_ != "VBD" or any(c.dep_ in OBJ_DEPS for c in verb.children):
        return False
    has_cc = any(c.dep_ == "cc" for c in verb.children)
    return not has_cc and any(
        c.dep_ == "conj" and c.pos_ == "VERB" and c.tag_ == "VBN" and any(a.dep_ in ("aux", "auxpass") for a in c.children)
        for c in verb.children) or misread_participle(verb) is not None


def _stray_agent(verb: Token, args: Arguments) -> list[Token]:
    """"charged with six offences by the Police": the small model hangs the passive's "by"
    phrase on the oblique's noun; a named body or person there is the verb's agent."""
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ != "by"):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            for by in (c for c in pobj.children if c.dep_ == "prep" and c.lower_ == "by"):
                heads = [h for c in by.children if c.dep_ == "pobj" for h in coordination(c)]
                if heads and all(_named_agent(h, args) for h in heads):
                    return heads
    return []


def _named_agent(token: Token, args: Arguments) -> bool:
    ent = args.agent(token)
    return ent is not None and ent.cls in ("Organization", "GovernmentBody", "Government", "Committee", "Person")


def _objects(verb: Token) -> list[Token]:
    """A verb's direct objects with their conjuncts; a verb coordinated before others that have
    the object ("arrested, detained and deported victims") shares it (right-node raising)."""
    own = [o for c in verb.children if c.dep_ in OBJ_DEPS for o in coordination(c)]
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
        # an object gap: "the report, which the Commission published" — the Commission publishes the report
        own = [verb.head if o.lower_ in ("which", "that", "whom") else o for o in own]
    if own:
        return own
    conj = next((c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"), None)
    for _ in range(6):
        if conj is None or any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children):
            return []                # a clause of its own: "X arrested Y and Z convicted W"
        shared = [o for c in conj.children if c.dep_ in OBJ_DEPS for o in coordination(c)]
        if shared:
            return shared
        conj = next((c for c in conj.children if c.dep_ == "conj" and c.pos_ == "VERB"), None)
    return []


def _additions(verb: Token) -> list[Token]:
    """"In addition to X, the plan includes Y" / "besides X": X is another object of the verb."""
    out = []
    for c in (c for c in verb.children if c.dep_ == "prep"):
        if c.lower_ == "besides":
            out += [q for p in c.children if p.dep_ == "pobj" for q in coordination(p)]
        elif c.lower_ == "in":
            out += [q for a in c.children if a.dep_ == "pobj" and a.lower_ == "addition"
                    for to in a.children if to.dep_ == "prep" and to.lower_ == "to"
                    for p in to.children if p.dep_ == "pobj" for q in coordination(p)]
    return out


def implied_doer(verb: Token, args: Arguments) -> list[Token]:
    """"These efforts included establishing task forces": a subjectless gerund that an effort
    noun's verb takes as its object is the deed of whoever made the efforts — the effort noun's
    possessor, else the statement's government (the caller decides); [] when no effort noun."""
    efforts = resources.word_set("attempt_noun") | resources.word_set("deed_noun")
    top = verb
    while top.dep_ == "conj" and top.head.pos_ == "VERB" and top.head.tag_ == "VBG":
        top = top.head
    if top.tag_ != "VBG" or top.dep_ not in ("dobj", "pcomp", "xcomp", "attr", "pobj"):
        return []
    gov = top.head if top.dep_ != "pcomp" else top.head.head
    subjects = [c for c in gov.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects or subjects[0].lemma_.lower() not in efforts and subjects[0].lower_ not in efforts:
        return []
    return [c for c in subjects[0].children if c.dep_ == "poss"] or [subjects[0]]
