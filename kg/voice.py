"""Whose statement it is, without front matter naming a publisher: the title or the opening line.

- "Statement by the Ministry of X: …", "Declaration of the Ministry of X", "Remarks from …";
- "X responds to …", "X welcomes …", "The Ministry responded that …" (a title whose subject is a
  body and whose verb is one a statement's author uses, words.tsv ``title_verb``);
- "X's official statement on …" (words.tsv ``statement_noun``).
The name must be a body the text itself names (its words a subset of that body's name), so a
title never invents an author.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit
from typing import Iterable

from . import resources
from .keys import word_set
from .phrases import third_person
from .records import ORG_CLASSES, Entity

BY_LINE = r"(?:press\s+)?(?:{nouns})\s+(?:issued\s+)?(?:by|of|from)\s+(?:the\s+)?(?P<who>[^:;,.\n]+)"


def title_author(lines: Iterable[str], bodies: list[Entity]) -> Entity | None:
    """The body a title (the first of ``lines``; the others: opening lines) names as the statement's author, among ``bodies``."""
    for n, line in enumerate(lines):
        for who in _candidates(line.strip(), heading=n == 0):
            found = _match(who, bodies)
            if found is not None:
                return found
    return None


def title_authors(title: str) -> list[str]:
    """The names a title offers as its author, most likely first."""
    return _candidates(title.strip(), heading=True)


def _candidates(line: str, heading: bool = True) -> list[str]:
    """Names a line offers as its author; an opening line that is not a heading (a sentence)
    offers only "Statement by X" forms."""
    nouns = "|".join(re.escape(w) for w in sorted(resources.word_set("statement_noun"), key=len, reverse=True))
    out = []
    m = re.match(BY_LINE.format(nouns=nouns), line, flags=re.I)
    if m:
        out.append(m.group("who"))
    m = re.match(rf"\s*(?:the\s+)?(?P<who>[^,:;]+?)['’]s?\s+(?:[\w-]+\s+){{0,2}}?(?:{nouns})\b", line, flags=re.I)
    if m:
        out.append(m.group("who"))
    if not heading:
        return out
    verbs = _title_verbs()
    words = line.split()
    for n, word in enumerate(words[1:8], start=1):
        if word.lower().strip(",:") in verbs:
            out.append(" ".join(words[:n]))
            break
        if not word[:1].isalpha() or word.lower() in ("to", "on", "in", "at", "by", "with", "as", "from"):
            break              # the subject ended without a statement verb
    return out


def _title_verbs() -> frozenset[str]:
    base = resources.word_set("title_verb")
    return frozenset({third_person(w) for w in base} | {w + "d" if w.endswith("e") else w + "ed" for w in base})


def _match(who: str, bodies: list[Entity]) -> Entity | None:
    words = word_set(re.sub(r"^(?:the|a|an)\s+", "", who.strip(), flags=re.I))
    if not words:
        return None
    fits = [e for e in bodies if e.cls in ORG_CLASSES and words <= word_set(e.label)]
    return fits[0] if fits else None


GOV_LABELS = {"gov", "go", "gob", "gouv", "govt", "government", "mil", "gv", "admin"}


def source_jurisdiction(source: str) -> str | None:
    """The jurisdiction whose government publishes at a source URL: a host under a country's
    government domain ("www.mfa.gov.tr", "www.meti.go.jp", "en.dl.gov.cn") → that country's id.
    Other hosts (embassies abroad, news sites, ".gov" of the U.S.) say nothing."""
    try:
        host = (urlsplit(source.strip()).hostname or "").lower()
    except ValueError:
        return None
    labels = host.split(".")
    if len(labels) < 3 or not GOV_LABELS & set(labels[:-1]):
        return None
    return resources.country_domains().get(labels[-1])
