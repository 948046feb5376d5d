"""How a predication is said: polarity, modality, attribution and embedding.

Only asserted, unnegated content is stated as done. Besides kg/arguments.py's negators and
possibility words, this reads (word lists in ontology/words.tsv):
- obligation ("should", "must", "shall"): what ought to be done is not done;
- future and purpose ("will sign", "signed an MoU to support …"): intended, not done;
- attempts ("is making efforts to meet", "tried to stop"): attempted, not achieved;
- multiword negators: "has yet to meet", "no longer funds", "by no means";
- conditions ("if the report is revised"): possible;
- attribution: a clause a reporting verb governs is reported, its source that verb;
- the constructions of kg/extraction/hedges.py ("neither … nor", "is said to have", "plans to",
  "according to X", questions, the main clause of an "if"-clause).
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from .. import resources
from ..arguments import Arguments, lemma_in
from . import hedges

# Clause links along which a clause's modality is inherited by the clauses it governs.
INHERIT = {"conj", "xcomp"}
CONDITION_MARKS = {"if", "unless", "provided", "whether"}


@dataclass(frozen=True)
class Scope:
    """Polarity and modality of one predication, the word that says it, and its attribution."""

    negated: bool
    neg_word: str              # "not", "never", "no", "yet" … ("" when not negated)
    modality: str              # asserted | possible | obligation | intended | desired | attempted
    modal_word: str            # "may", "should", "will", "ready", "hope", "seek" … ("" when asserted)
    source: Token | None       # the reporting verb whose clause this is, if any
    embedding: str             # main | reported | purpose | condition


def read_scope(verb: Token, args: Arguments) -> Scope:
    """The scope of one verb (see the module docstring)."""
    negated, neg_word = _polarity(verb, args)
    if not negated and (hedge := hedges.negation(verb)):
        negated, neg_word = True, hedge
    modality, word = _modality(verb, args)
    if modality == "asserted":
        modality, word = hedges.modality(verb)
    source = reporting_head(verb)
    embedding = "reported" if source is not None else _embedding(verb)
    if embedding == "purpose" and modality == "asserted":
        modality, word = "intended", "to"
    if embedding == "condition" and modality == "asserted":
        modality, word = "possible", "if"
    return Scope(negated, neg_word if negated else "", modality, word, source, embedding)


def _polarity(verb: Token, args: Arguments) -> tuple[bool, str]:
    if args.negated(verb):
        return True, args.negation_word(verb) or "not"
    for subject in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
        if any(d.lower_ in ("all", "every") and any(n.lower_ == "not" for n in d.children) or
               d.lower_ == "not" for d in subject.children if d.dep_ in ("det", "predet", "neg", "advmod")):
            return True, "not"           # "not all officials used them": not done as a rule
    for top in _up(verb):
        kids = list(top.children)
        if any(c.lower_ == "yet" for c in kids) and top.dep_ == "xcomp":       # "has yet to meet"
            return True, "yet"
        if any(c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children) for c in kids):
            return True, "no longer"                                       # "no longer funds"
        if any(c.lower_ == "means" and any(g.lower_ == "no" for g in c.children)
               for p in kids if p.dep_ == "prep" for c in p.children):
            return True, "by no means"
        if top.dep_ == "xcomp" and any(c.lower_ == "yet" for c in top.head.children):
            return True, "yet"
    return False, ""


def _modality(verb: Token, args: Arguments) -> tuple[str, str]:
    obligation = resources.word_set("obligation")
    future = resources.word_set("future")
    attempt_verbs, attempt_nouns = resources.word_set("attempt_verb"), resources.word_set("attempt_noun")
    base = args.modality(verb)
    if base == "possible":
        return base, args.modal_word(verb) or "may"
    if base == "intended":
        intention = args.intention(verb)
        return base, intention.lower_ if intention is not None else "ready"
    if base == "desired":
        wisher = args.wisher(verb)
        word = next((w for w in sorted(args.desire) if wisher is not None and lemma_in(wisher, frozenset([w]))), "hope")
        return base, word
    for top in _up(verb):
        auxes = [c.lower_ for c in top.children if c.dep_ in ("aux", "auxpass")]
        if any(a in obligation for a in auxes):
            return "obligation", next(a for a in auxes if a in obligation)
        if any(a in future for a in auxes):
            return "intended", next(a for a in auxes if a in future)
        head = top.head
        if top.dep_ == "xcomp" and lemma_in(head, attempt_verbs):
            return "attempted", head.lemma_.lower()                        # "tried to stop"
        if top.dep_ == "acl" and head.lemma_.lower() in attempt_nouns and any(c.lower_ == "to" for c in top.children):
            light = head.head.lemma_.lower() if head.dep_ in ("dobj", "obj") and head.head.lemma_.lower() in \
                resources.word_set("light_verb") else "make"
            return "attempted", f"{light} {head.lower_}"                   # "efforts to meet"
        effort = next((c for c in head.children if c.dep_ in ("dobj", "obj") and c.lemma_.lower() in attempt_nouns), None)
        if top.dep_ in ("advcl", "xcomp") and effort is not None and any(c.lower_ == "to" for c in top.children):
            return "attempted", f"{head.lemma_.lower()} {effort.lower_}"   # "took steps to protect"
    return "asserted", ""


def _embedding(verb: Token) -> str:
    for top in _up(verb):
        marks = {c.lower_ for c in top.children if c.dep_ in ("mark", "advmod")}
        if top.dep_ == "advcl" and marks & CONDITION_MARKS:
            return "condition"
        if top.dep_ == "advcl" and any(c.lower_ == "to" and c.dep_ == "aux" for c in top.children):
            return "purpose"                                               # "signed it to support …"
    return "main"


def reporting_head(verb: Token) -> Token | None:
    """The reporting verb ("said", "stressed", "alleged") whose complement this verb is in."""
    reporting = resources.word_set("reporting_verb") | resources.word_set("allegation_verb")
    top = verb
    for _ in range(8):
        if top.dep_ in ("ccomp", "parataxis") and top.head.pos_ == "VERB" and lemma_in(top.head, reporting):
            return top.head
        if top.dep_ not in ("conj", "xcomp", "ccomp", "advcl", "relcl") or top.head.i == top.i:
            return None
        top = top.head
    return None


def _up(verb: Token) -> list[Token]:
    """The verb and the verbs it inherits scope from through coordination and control."""
    out = [verb]
    while out[-1].dep_ in INHERIT and out[-1].head.pos_ in ("VERB", "AUX") and len(out) < 6:
        head = out[-1].head
        if out[-1].dep_ == "conj" and own_scope(out[-1]):
            break
        out.append(head)
    return out


def own_scope(verb: Token) -> bool:
    """A conjunct with an auxiliary of its own ("did not X but will Y") or a finite tense of its
    own ("will hold officials to account and incorporates the principle") keeps its own scope; an
    infinitive's "to" is no such auxiliary ("to train judges and to support victims")."""
    return verb.tag_ in ("VBZ", "VBD") or any(c.dep_ in ("aux", "auxpass", "neg") and c.tag_ != "TO"
                                               for c in verb.children)
