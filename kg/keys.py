"""Keys and words of names: stable IRI-safe keys, claim keys, the words a name is made of and
the word it is headed by. Shared by entity resolution and the extractors."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from . import resources
from .records import Entity


def slug(text: str) -> str:
    """ASCII, lower case, hyphenated: a stable IRI-safe key from a label."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "x"


def claim_entity(doc_id: str, content: str) -> Entity:
    """A claim node: keyed by its document and a digest of its full content, labelled by it."""
    digest = hashlib.sha1(content.encode("utf-8")).hexdigest()[:12]
    return Entity(f"claim/{doc_key(doc_id)}/{slug(content)[:40]}-{digest}", "Claim", content)


def doc_key(doc_id: str) -> str:
    """A statement name as a key part: its slug, with a digest of the name when the slug loses
    what tells names apart (other scripts, folders: "报告" and "отчет" both slug to "x")."""
    key = slug(doc_id)
    if doc_id.isascii() and "/" not in doc_id:
        return key
    return f"{key}-{hashlib.sha1(doc_id.encode('utf-8')).hexdigest()[:8]}"


@lru_cache(maxsize=65536)
def word_set(text: str) -> frozenset[str]:
    """The lower-case words of a name, as a set (cached: names recur across a corpus)."""
    return frozenset(words_of(text))


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


@lru_cache(maxsize=4096)
def head_of(label: str) -> str:
    """The word a name is headed by: its last head word (organisation, plan, law, report, post)
    before any complement ("Ministry of Health" → ministry, "Inter-agency Taskforce on TIP" →
    taskforce), else its last head word, else its last word ("Macao SAR" → sar)."""
    words = words_of(re.sub(r"\s*\([^)]*\)", "", label))
    heads = (resources.word_set("org_head") | resources.word_set("plan_head") | resources.word_set("law_head")
             | resources.word_set("report_head") | resources.word_set("post_title"))
    cut = next((i for i, w in enumerate(words) if w in ("of", "on", "for", "to", "in") and i > 0), len(words))
    for part in (words[:cut], words):
        found = [w for w in part if w in heads]
        if found:
            return found[-1]
    return words[-1] if words else ""
