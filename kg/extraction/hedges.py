"""Hedges: the ways a clause says its deed is not done, read off the parse for any verb.

kg/extraction/scope.py asks these after its own negators and modal words. Each rule looks at the
verb and the clauses above it (coordination, control, complements, ``of``-gerunds, clauses on a
noun), never at one verb's name; the words are data (ontology/words.tsv):
- negation: "neither … nor", "rejected rather than welcomed", "denied signing", "refusal to sign";
- possibility: questions, "is likely to", "is said to have", "is accused of detaining", "it is
  unclear whether", "according to X", what a hearsay verb reports ("NGOs reported that …");
- obligation: "has to", "needs to", "is required to", "ought to";
- intention: "plans to", "agreed to", "is going to", "is due to", "is considering signing";
- desire: what an advice verb's clause proposes ("recommended that the Assembly amend …");
- event nouns: "the planned enactment of", "the alleged arrest of", "the lack of implementation";
- condition: "once", "unless", "as long as", "in the event that", "in case", and the main clause
  an "if"-clause conditions ("If the court agrees, the police arrest …").
"""
from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from .. import resources
from ..phrases import third_person

UP = {"conj", "xcomp", "ccomp", "pcomp", "advcl", "acl", "relcl"}
THROUGH = {"conj", "xcomp", "ccomp", "pcomp", "advcl"}    # links a hedge above reaches down through
CONDITION_MARKS = {"if", "unless", "provided", "providing", "once", "lest", "whether"}


def _words(category: str) -> frozenset[str]:
    return resources.word_set(category)


def _said(token: Token, category: str) -> bool:
    words = _words(category)
    return token.lower_ in words or token.lemma_.lower() in words


def chain(verb: Token) -> Iterator[tuple[Token, Token | None]]:
    """(clause, the word it hangs from) up from the verb: "signing" ← "denied", "detaining" ←
    "accused" (through "of"), "enact" ← "refusal". Stops at a relative clause's noun."""
    top = verb
    for _ in range(8):
        head = top.head
        if top.dep_ == "pcomp" and head.dep_ == "prep":
            head = head.head                               # "accused of detaining"
        if head.i == top.i or top.dep_ not in UP:
            yield top, None
            return
        yield top, head
        if top.dep_ not in THROUGH or head.pos_ not in ("VERB", "AUX"):
            return
        top = head


def negation(verb: Token) -> str:
    """The word that negates the verb through a construction, or ""."""
    for top, head in chain(verb):
        kids = list(top.children)
        if any(c.dep_ == "preconj" and c.lower_ == "neither" for c in kids):
            return "not"                                   # "neither signed nor ratified"
        for arg in (c for c in kids if c.dep_ in ("nsubj", "nsubjpass", "dobj", "obj")):
            if any(d.dep_ == "preconj" and d.lower_ == "neither" for d in arg.children):
                return "not"                               # "Neither X nor Y signed", "arrested neither X nor Y"
        if head is None:
            return ""
        if top.dep_ == "conj" and any(c.dep_ == "cc" and c.lower_ == "nor" for c in head.children):
            return "not"
        if top.dep_ == "conj" and any(c.dep_ == "cc" and c.lower_ == "than" and c.i > 0 and
                                      c.doc[c.i - 1].lower_ == "rather" for c in head.children):
            return "not"                                   # "rejected rather than welcomed"
        if top.dep_ in ("xcomp", "pcomp") and top.tag_ in ("VBG", "VBN") and _said(head, "denial_verb"):
            return "denies"                                # "denied signing", "denied having arrested"
        if top.dep_ == "acl" and _said(head, "failing_noun") and any(c.lower_ == "to" for c in kids):
            return "not"                                   # "refusal to enact", "failure to arrest"
        if top.dep_ in ("acl", "relcl"):
            return ""
    return ""


def modality(verb: Token) -> tuple[str, str]:
    """(modality, word) a construction gives the verb, or ("asserted", "")."""
    if verb.sent.text.rstrip().endswith("?"):
        return "possible", "?"                             # "Did X sign …?"
    for top, head in chain(verb):
        found = _on_clause(top) or (_from_head(top, head) if head is not None else None)
        if found:
            return found
        if top.dep_ in ("acl", "relcl"):
            break
    return "asserted", ""


def _on_clause(top: Token) -> tuple[str, str] | None:
    """What the clause itself carries: a citation, a condition on it or of it, a whether."""
    kids = list(top.children)
    for c in kids:
        if c.lower_ in _words("citation_head") and c.dep_ in ("prep", "advcl", "advmod", "dep"):
            return "possible", "is reported to"            # "according to X", "citing X"
        if _condition_prep(c, top):
            return "possible", "if"                        # "in the event that", "in case""
        if c.dep_ == "advcl" and _condition(c):
            return "possible", "if"                        # the main clause an "if"-clause conditions
        if c.dep_ == "advmod" and c.lower_ == "long" and any(g.dep_ == "advcl" for g in c.children):
            return "possible", "if"                        # "as long as""
    marks = {c.lower_ for c in kids if c.dep_ == "mark"}
    if top.dep_ in ("advcl", "ccomp", "xcomp") and marks & CONDITION_MARKS:
        return "possible", "whether" if "whether" in marks else "if"
    return None


def _condition(clause: Token) -> bool:
    kids = list(clause.children)
    return any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKS - {"whether"} for c in kids) or any(
        _condition_prep(c, clause) for c in kids)


def _condition_prep(prep: Token, clause: Token) -> bool:
    """"in the event that …", "in case the court agrees" — but not "in this case", "in the case of X"."""
    if prep.dep_ != "prep" or prep.lower_ != "in":
        return False
    for noun in (p for p in prep.children if p.dep_ == "pobj" and _said(p, "condition_noun")):
        kids = list(noun.children)
        if any(k.dep_ in ("acl", "relcl", "ccomp") for k in kids):
            return True                                    # "in the event that the court agrees"
        if not kids and clause.dep_ == "advcl":
            return True                                    # "In case the court agrees, …"
    return False


def _from_head(top: Token, head: Token) -> tuple[str, str] | None:
    """What the word the clause hangs from makes of it: likely, said, planned, needed, advised."""
    to = any(c.lower_ == "to" and c.dep_ == "aux" for c in top.children) or top.dep_ == "pcomp"
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in head.children)
    word = head.lemma_.lower()
    if top.dep_ == "xcomp" and to and _said(head, "possible_head"):
        return "possible", f"{_verb_phrase(head)} to"      # "is likely to", "seems to"
    if top.dep_ in ("xcomp", "pcomp") and (passive or top.dep_ == "pcomp") and (
            _said(head, "hearsay_verb") or passive and _said(head, "reporting_verb")):
        return "possible", f"{_verb_phrase(head)} {'of' if top.dep_ == 'pcomp' else 'to'}"   # "is said to", "is accused of"
    if top.dep_ == "ccomp" and _said(head, "hearsay_verb"):
        return "possible", f"is {'alleged' if _said(head, 'allegation_verb') else 'reported'} to"   # "NGOs reported that"
    if top.dep_ == "xcomp" and to and _said(head, "obligation_head") and not any(c.lower_ == "yet" for c in head.children):
        return "obligation", f"{_verb_phrase(head)} to"    # "has to", "needs to", "is required to"
    if top.dep_ == "xcomp" and (to or top.tag_ == "VBG") and _said(head, "intention_head"):
        return "intended", _verb_phrase(head)              # "plans to", "agreed to", "is considering"
    if top.dep_ == "ccomp" and word in _words("advice_verb"):
        return "desired", word                             # "recommended that the Assembly amend"
    return None


def _verb_phrase(head: Token) -> str:
    """The hedge as the label shows it, in the present: "is likely", "has", "is said", "plans", "agreed"."""
    if head.dep_ == "acomp" and head.head.pos_ == "AUX":
        return f"{_present(head.head)} {head.lower_}"       # "is likely", "is due"
    aux = next((c for c in head.children if c.dep_ in ("aux", "auxpass") and c.lemma_.lower() == "be"), None)
    if aux is not None:
        return f"{_present(aux)} {head.lower_}"             # "is said", "is going", "is considering"
    if head.tag_ == "VBD":
        return head.lower_                                  # "agreed", "pledged": the text's own past
    lemma = head.lemma_.lower()
    if lemma == "have":
        return "has"
    return third_person(lemma) if head.pos_ == "VERB" else head.lower_     # "needs", "plans", "ought"


def _present(be: Token) -> str:
    return "are" if be.lower_ in ("are", "were") else "is"


def noun_hedge(noun: Token) -> tuple[bool, str, str] | None:
    """(negated, modality, word) an event noun's own words give it: "the planned enactment of",
    "the alleged arrest of", "no designation of", "the lack of implementation of"; None if none."""
    for mod in (c for c in noun.children if c.dep_ in ("amod", "compound", "det")):
        if mod.dep_ == "det" and mod.lower_ == "no":
            return True, "asserted", "no"
        if _said(mod, "possible_modifier"):
            return False, "possible", mod.lower_
        if _said(mod, "intended_modifier"):
            return False, "intended", mod.lower_
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and _said(noun.head.head, "absence_noun"):
        return True, "asserted", "no"
    return None
