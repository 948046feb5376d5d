"""Noun phrases and clauses of a parsed sentence: the words that name a thing, its conjuncts,
what a relative pronoun stands for, the sentence a fact is read from.

Pure functions over spaCy tokens, shared by the extractors in kg/relations.py and kg/claims.py.
"""
from __future__ import annotations

import re

from spacy.tokens import Span, Token

from .records import Evidence

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


def gerund(lemma: str) -> str:
    """increase → increasing, screen → screening, stop → stopping, set up → setting up."""
    head, _, rest = lemma.partition(" ")
    if head.endswith("ie"):
        head = head[:-2] + "y"
    elif head.endswith("e") and not head.endswith(("ee", "ye", "oe")) and len(head) > 2:
        head = head[:-1]
    elif re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", head):
        head += head[-1]
    return f"{head}ing {rest}".strip()


def conjuncts(token: Token) -> list[Token]:
    """A token and the tokens conjoined to it ("departments and NGOs")."""
    out = [token]
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ == token.pos_ or child.dep_ == "conj" and token.pos_ in ("NOUN", "PROPN"):
            if not _taken_by_bracketed(token, child) and not _opens_bracket(child):
                out.extend(conjuncts(child))
        elif child.dep_ == "appos" and _list_item(child):
            out.extend(conjuncts(child))
    return out + _after_brackets(token)


def _list_item(appos: Token) -> bool:
    """"The Security Bureau, the Labour Department, the Police and the Customs Department": the
    parser makes the second an apposition of the first; with conjuncts of its own it is a list item."""
    doc = appos.doc
    return (appos.pos_ in ("NOUN", "PROPN") and appos.head.pos_ in ("NOUN", "PROPN")
            and doc[appos.left_edge.i - 1].text == "," and any(
                c.dep_ == "conj" and any(d.dep_ == "cc" for d in list(appos.children) + list(c.children))
                for c in appos.children))


def _opens_bracket(conj: Token) -> bool:
    """"the 3R approach (rescue, rehabilitation and reintegration)": the bracket explains the
    noun, its items are not more objects of the verb."""
    i = conj.left_edge.i
    return i > 0 and conj.doc[i - 1].text == "(" and conj.head.i < i - 1


def _taken_by_bracketed(token: Token, conj: Token) -> bool:
    """Whether conj belongs to a bracketed noun inside token's phrase (see _after_brackets)."""
    return any(conj in _after_brackets(n) for n in token.subtree
               if n.i != token.i and n.i < conj.i and n.pos_ in ("NOUN", "PROPN") and n.right_edge.i < conj.i)


def _after_brackets(token: Token) -> list[Token]:
    """Conjuncts the parser hung on an outer noun because of a bracket: in "chaired by the
    Ministry of A (MA) and the Ministry of B (MB), and …" the small model makes "Ministry of B" a
    conjunct of the chaired body. An "and" right after the bracket (no comma) joins the two."""
    doc, end = token.doc, token.right_edge.i
    if token.pos_ not in ("NOUN", "PROPN") or doc[end].text != ")" or end + 1 >= len(doc):
        return []
    cc = doc[end + 1]
    if cc.dep_ != "cc" or cc.head.i == token.i or cc.head not in token.ancestors:
        return []
    out: list[Token] = []
    for conj in sorted((c for c in cc.head.children if c.dep_ == "conj" and c.i > cc.i), key=lambda c: c.i):
        if conj.pos_ not in ("NOUN", "PROPN"):
            break
        out.append(conj)
        nxt = doc[conj.right_edge.i + 1] if conj.right_edge.i + 1 < len(doc) else None
        if nxt is None or nxt.dep_ != "cc":
            break
    return out


# Dependents never part of a noun phrase's name, at any depth.
NP_NEVER = {"relcl", "acl", "advcl", "appos", "punct", "det", "mark", "parataxis"}


def phrase(token: Token, drop: frozenset[int] | set[int] = frozenset()) -> str:
    """The words naming a noun phrase: its modifiers and "of"-complements, without determiners,
    relative clauses or its own conjuncts ("departments" of "departments and NGOs"); tokens in
    ``drop`` are left out (a list marker, a verb the tagger read as a modifier)."""
    keep = {token.i}

    def walk(tok: Token, top: bool) -> None:
        for child in tok.children:
            if child.dep_ in NP_NEVER and not (child.dep_ == "punct" and child.text in "-–/" and not top):
                continue
            if top:
                if child.dep_ == "conj" and _misparsed_conjunct(child):
                    pass          # a conjunct the parser got wrong stays in the phrase (see coordination)
                elif child.dep_ == "cc" and any(c.dep_ == "conj" and _misparsed_conjunct(c) for c in tok.children):
                    pass
                elif child.dep_ in ("conj", "cc", "preconj") or child.i > tok.i and not (
                        child.dep_ in ("compound", "nummod") or child.dep_ == "prep" and child.lower_ in NP_RIGHT_PREPS):
                    continue
                if child.i < tok.i and child.dep_ not in NP_LEFT:
                    continue
                if child.dep_ == "poss" and child.pos_ == "PRON":
                    continue
            if child.i in drop or child.dep_ == "prep" and child.lower_ == "including":
                continue      # "departments, including the Police, …": examples, not the name
            keep.add(child.i)
            walk(child, False)

    walk(token, True)
    words = [t for t in token.doc[min(keep):max(keep) + 1] if t.i in keep]
    while words and (words[0].is_punct or words[0].lower_ in ("the", "a", "an")):
        words.pop(0)
    text = "".join(t.text + (" " if t.whitespace_ or (n + 1 < len(words) and words[n + 1].i != t.i + 1) else "")
                   for n, t in enumerate(words)).strip()
    return balanced(re.sub(r"\s+", " ", text.strip("“”\"' ,")))


def balanced(text: str) -> str:
    """"No Objection Certificate (NOC": a bracket the phrase opens and does not close is closed
    when its content is there, else dropped with what follows it."""
    if text.count("(") == text.count(")") + 1:
        head, _, inside = text.rpartition("(")
        return f"{head}({inside})" if inside.strip() else head.rstrip()
    return text


def _misparsed_conjunct(token: Token) -> bool:
    """A non-noun conjunct of a noun that heads no clause of its own ("crime prevention and
    control campaigns": "control" tagged a verb) — a tagging slip, not a second object."""
    return token.pos_ not in ("NOUN", "PROPN") and token.tag_ not in ("VBD", "VBZ", "VBG", "VBN") and not any(
        c.dep_ in ("nsubj", "nsubjpass", "aux", "prt") or c.dep_ in ("dobj", "obj") and c.pos_ != "NOUN"
        for c in token.children)


def coordination(token: Token) -> list[Token]:
    """The conjuncts of an object, or the head alone when a conjunct is not a noun (a bad parse
    of "crime prevention and control campaigns" is better kept whole than cut)."""
    parts = conjuncts(token)
    if all(p.pos_ in ("NOUN", "PROPN", "NUM", "X") or p.ent_type_ for p in parts):
        return parts
    return [token]


def antecedent(relative: Token) -> Token | None:
    """What "which"/"who" stands for: the nearest noun to its left outside brackets, an entity first."""
    doc, depth, fallback = relative.doc, 0, None
    for tok in reversed(doc[relative.sent.start:relative.i]):
        if tok.text in (")", "]"):
            depth += 1
        elif tok.text in ("(", "["):
            depth = max(depth - 1, 0)
        elif depth == 0 and tok.ent_type_ and tok.ent_type_ not in VALUE_CLASSES:
            return tok
        elif depth == 0 and fallback is None and tok.pos_ in ("NOUN", "PROPN"):
            fallback = tok
    return fallback


def evidence_for(sent: Span, doc_id: str, offset: int) -> Evidence:
    text = sent.text.strip()
    start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
    return Evidence(doc_id, offset + start, offset + start + len(text), text)
