"""Where names are in a text, before tagging: gazetteer aliases, entity patterns, capitalised names
built on a head word, posts and their holders, short quoted phrases.

Each finder yields candidate spans ``(start_char, end_char, id or None, class, label or None,
source)``; kg/nlp.py's ``kg_names`` component picks among them and merges the winners into one
token each. Reads words only (no tags yet), so everything here is driven by ontology/ data.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from . import resources

PRIORITY = {"gazetteer": 3, "pattern": 3, "name": 2, "quote": 1, "ner": 1}


def candidates(doc: Doc, text: str) -> list[tuple]:
    """Every candidate name span, known names first, longer before shorter, then in text order."""
    cands = [*_gazetteer_spans(doc, text), *_pattern_spans(doc, text), *_name_spans(doc, text),
             *_quoted_spans(doc, text)]
    return sorted(cands, key=lambda c: (-PRIORITY[c[5]], -(c[1] - c[0]), c[0]))


def extends_known(text: str, start: int, end: int, known: list[tuple[int, int]]) -> bool:
    """Is a guessed name a known name plus a complement ("Government of the Macau SAR" + " of the
    People’s Republic of China")? Then the known name and its complement stay apart."""
    for k_start, k_end in known:
        if k_start == start and k_end < end and re.match(r"\s*(?:,|of|for|on|in|the|to)\b", text[k_end:end]):
            return True
    return False


@lru_cache(maxsize=None)
def _alias_regex() -> tuple[re.Pattern[str], dict[str, resources.KnownEntity]]:
    table: dict[str, resources.KnownEntity] = {}
    for ent in resources.gazetteer():
        for alias in (ent.label, *ent.aliases):
            for form in sorted({alias, alias.replace("'", "’")}):
                table.setdefault(form, ent)
    for ent in resources.gazetteer():     # headings write names in capitals: "MACAU: Tier 3"
        for alias in (ent.label, *ent.aliases):
            if len(alias) > 3:
                for form in sorted({alias.upper(), alias.upper().replace("'", "’")}):
                    table.setdefault(form, ent)
    return re.compile(rf"(?<![\w.])(?:{trie_pattern(table)})(?![\w])"), table


def trie_pattern(words: Iterable[str]) -> str:
    """One regular expression for many literal words, shaped as a character trie: the engine
    then tries one branch per next character instead of every word at every position (a
    gazetteer of every country costs ~1 ms per 20k characters, not 20). Longer words win."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body   # greedy: the longer word is tried first

    return build(trie)


def _gazetteer_spans(doc: Doc, text: str) -> Iterable[tuple]:
    rx, table = _alias_regex()
    for m in rx.finditer(text):
        ent = table[m.group(0)]
        yield (m.start(), m.end(), ent.id, ent.cls, ent.label, "gazetteer")


def _pattern_spans(doc: Doc, text: str) -> Iterable[tuple]:
    for pat in resources.patterns():
        for m in pat.regex.finditer(text):
            groups = {k: " ".join(v.split()) for k, v in m.groupdict().items() if v is not None}
            try:
                ent_id = re.sub(r"[\s/]+", "-", pat.id_template.format(**groups).lower())
                label = pat.label_template.format(**groups)
            except KeyError:
                continue
            yield (m.start(), m.end(), ent_id, pat.cls, label, "pattern")


_CAP = r"(?:[A-Z][\w’'&.-]*|&)"
_NAME = re.compile(rf"{_CAP}(?:(?:,?[ \t]+(?:(?:of|for|on|and|in|the|to|against|without|&)[ \t]+)*){_CAP})*")
NAME_HEADS = (("org_head", "Organization"), ("plan_head", "Plan"), ("law_head", "Law"), ("report_name_head", "Report"))
CONNECTORS = {"of", "for", "on", "and", "in", "the", "to", "against", "without", "&", ","}


def _name_spans(doc: Doc, text: str) -> Iterable[tuple]:
    """Capitalised names built on a head word from words.tsv: "Singapore Police Force",
    "Ministry of Health", "Action Plan to Tackle TIP". Runs before tagging, so it reads words only:
    leading function words go ("The Labour Department"), and a name ending in its head holds no
    lower-case "the" ("Extend the Labour Department" → "Labour Department")."""
    heads = [(resources.word_set(cat), cls) for cat, cls in NAME_HEADS]
    honorifics = resources.word_set("honorific")
    abbreviations = {a.rstrip(".") for a in resources.word_set("abbreviation")}
    for m in _NAME.finditer(text):
        words = [(w.group(0), w.start()) for w in re.finditer(r"[\w’'&.-]+|,", m.group(0))]
        for i, (w, at) in enumerate(words[:-1]):
            if w.endswith(".") and w.count(".") == 1 and w[:-1].lower() not in abbreviations | honorifics:
                words = words[:i] + [(w[:-1], at)]      # "… TIP Report. A Government …": a sentence ends
                break
        for i, (w, _) in enumerate(words):
            if w.lower().rstrip(".") in honorifics:
                words = words[:i]
                break
        while words and (words[0][0].lower() in STOP_WORDS or words[0][0] == ","):
            words.pop(0)
        all_heads = set().union(*(ws for ws, _ in heads))
        for i, (w, at) in enumerate(words):
            if re.search(r"['’]s$", w):
                # "Department of State’s TIP Report": two names, cut after "State"; but
                # "Attorney-General’s Chambers" is one: only the words after it hold a head
                before = {x.lower() for x, _ in words[:i]} | {w[:-2].lower()}
                if before & all_heads or not {x.lower() for x, _ in words[i + 1:]} & all_heads:
                    words = words[:i] + [(w[:-2], at)]
                break
        if words and words[-1][0].endswith(".") and words[-1][0].count(".") == 1:
            words[-1] = (words[-1][0][:-1], words[-1][1])     # sentence full stop, not "U.S."
        calendar = resources.word_set("calendar_word")
        cut = next((i for i, (w, _) in enumerate(words) if i and (w.lower().rstrip(".,") in calendar or (
            w == "May" and words[i - 1][0].lower() in CONNECTORS))), len(words))
        words = words[:cut]             # "… Practices on May 24": a date is never part of a name
        while words and words[-1][0].lower() in CONNECTORS:
            words.pop()
        if len(words) < 2:
            continue
        for part in _split_at_and(words, heads):
            yield from _name_span(part, heads, m.start())


def _name_span(words: list[tuple[str, int]], heads: list, base: int) -> Iterable[tuple]:
    """The span(s) one name of a capitalised run stands for: a post/organisation/person split,
    or a name with a head word (leading words up to a lower-case "the" dropped)."""
    cut = _person_then_post(words)
    if cut:
        yield (base + words[0][1], base + words[cut - 1][1] + len(words[cut - 1][0]), None, "Person", None, "name")
        yield from _name_span(words[cut + 1:], heads, base)
        return
    post = _post_split(words)
    if post:
        yield from (((base + a, base + b, None, c, None, "name")) for a, b, c in post)
        return
    lowers = [w.lower() for w, _ in words]
    cls = _head_class(lowers, heads)
    if cls is None:
        return
    first_is_head = any(lowers[0] in ws for ws, _ in heads)
    cut = len(lowers) - lowers[::-1].index("the") if "the" in lowers else 0
    # "Royal Ordinance on the Management of …": a head word, then "on/of/for the": one name
    joined = cut >= 2 and lowers[cut - 2] in ("on", "of", "for", "against") and any(
        ws & set(lowers[:cut - 2]) for ws, _ in heads)
    if not first_is_head and cut and not joined:
        words, lowers = words[cut:], lowers[cut:]
        if len(words) < 2 or not any(ws & set(lowers) for ws, _ in heads):
            return
    if len(words) < 2:
        return
    yield (base + words[0][1], base + words[-1][1] + len(words[-1][0]), None, cls, None, "name")


PREPOSITIONS = {"of", "for", "on", "in", "to", "against", "without"}


def _head_class(lowers: list[str], heads: list) -> str | None:
    """The class of a name by its head word: the last word before its first preposition ("Country
    Reports on Human Rights Practices" → Report, "Report of the Committee" → Report, "Ministry of
    Health" → Organization); when that word is no head, the first head word anywhere."""
    before = next((i for i, w in enumerate(lowers) if w in PREPOSITIONS), len(lowers))
    last = lowers[before - 1] if before else ""
    return next((c for ws, c in heads if last in ws), None) or next((c for ws, c in heads if ws & set(lowers)), None)


# A short quoted phrase: “One country, two systems”, "confirmed TIP case" — a name, not a clause.
_QUOTED = re.compile(r"[“\"](?P<q>[^“”\".!?;:\n]{3,80})[”\"]")


def _quoted_spans(doc: Doc, text: str) -> Iterable[tuple]:
    for m in _QUOTED.finditer(text):
        words = m.group("q").split()
        if 2 <= len(words) <= 8:
            yield (m.start("q"), m.end("q"), None, "Concept", m.group("q"), "quote")


def _split_at_and(words: list[tuple[str, int]], heads: list) -> list[list[tuple[str, int]]]:
    """"International Organization for Migration and NGOs", "the Police and the Immigration
    Department", "the Ministry of Labour, NGOs" are two names each: cut at an "and" or a comma
    between two whole names (each holds a head
    word, or the right one is an acronym) — "Economic and Trade Offices" and "Ministry of Tides and
    Harbours" stay whole."""
    all_heads = set().union(*(ws for ws, _ in heads))
    for i, (w, _) in enumerate(words):
        right = [x for x, _ in words[i + 1:] if x.lower() != "the"]
        if (w in ("and", ",") and i >= 1 and right and any(x.lower() in all_heads for x, _ in words[:i])
                and (any(x.lower() in all_heads for x in right) or re.fullmatch(r"[A-Z]{2,}s?", right[0]))):
            rest = words[i + 1:]
            while rest and rest[0][0].lower() == "the":
                rest = rest[1:]
            return [words[:i], *_split_at_and(rest, heads)]
    return [words]


def _post_lead(words: list[tuple[str, int]]) -> int:
    """How many words before a post's title still belong to the post: an acronym or a country
    ("AFP Acting Assistant Commissioner", "U.S. Secretary of State") and ranks (words.tsv post_rank)."""
    ranks = resources.word_set("post_rank")
    k = 0
    while k < min(len(words) - 1, 4):
        w = words[k][0]
        if w.lower() in ranks or re.fullmatch(r"[A-Z]{2,6}|(?:[A-Z]\.){2,3}", w):
            k += 1
        else:
            break
    return k


def _person_then_post(words: list[tuple[str, int]]) -> int:
    """Where a person's name ends before ", TITLE …" ("Maria Lopez, Regional Director of …"): the
    comma's index, or 0 when the run does not open with a name followed by a post."""
    if "," not in [w for w, _ in words]:
        return 0
    cut = [w for w, _ in words].index(",")
    name, rest = words[:cut], words[cut + 1:]
    heads = set().union(*(resources.word_set(c) for c, _ in NAME_HEADS)) | resources.word_set("post_title")
    if not (2 <= len(name) <= 4 and all(w[:1].isupper() and w.lower() not in heads for w, _ in name)):
        return 0
    return cut if rest and _post_split(rest) else 0


def _post_split(words: list[tuple[str, int]]) -> list[tuple[int, int, str]]:
    """"Spokesperson of the Ministry of Foreign Affairs Le Thi Thu Hang" → a post, an organisation
    and a person (character offsets within the match). Empty when the name opens with no post."""
    titles = resources.word_set("post_title")
    lowers = [w.lower() for w, _ in words]
    lead = _post_lead(words)
    n = next((k for k in range(min(lead + 5, len(lowers)), lead, -1) if " ".join(lowers[lead:k]) in titles), 0)
    if not n:
        return []
    span = lambda a, b: (words[a][1], words[b - 1][1] + len(words[b - 1][0]))
    if "," in lowers:       # "Minister of Home Affairs, Saifuddin Nasution": a post, then its holder
        cut = lowers.index(",")
        holder = words[cut + 1:]
        heads = set().union(*(resources.word_set(c) for c, _ in NAME_HEADS))
        if 1 <= len(holder) <= 4 and all(w[:1].isupper() and w.lower() not in heads for w, _ in holder):
            return [(*span(0, cut), "Post"), (*span(cut + 1, len(words)), "Person")]
    out = []
    rest = n
    if rest < len(words) and lowers[rest] in ("of", "for"):
        org_start = rest + 1 + (lowers[rest + 1:rest + 2] == ["the"])
        heads = resources.word_set("org_head")
        if org_start < len(words) and lowers[org_start] in heads:
            ends = resources.word_set("portfolio_end")
            org_end = max((k + 1 for k in range(org_start, len(words)) if lowers[k] in ends), default=len(words))
            out.append((*span(0, n), "Post"))
            out.append((*span(org_start, org_end), "Organization"))
            rest = org_end
        else:
            # "Minister of Home Affairs Saifuddin Nasution": the portfolio ends at its last word
            ends = resources.word_set("portfolio_end")
            post_end = max((k + 1 for k in range(org_start, len(words)) if lowers[k] in ends), default=0)
            holder = words[post_end:]
            if post_end and 1 <= len(holder) <= 4 and all(w[:1].isupper() for w, _ in holder):
                return [(*span(0, post_end), "Post"), (*span(post_end, len(words)), "Person")]
            return [(*span(0, len(words)), "Post")] if len(words) > n else [(*span(0, n), "Post")]
    else:
        out.append((*span(0, n), "Post"))
    if len(words) - rest >= 1 and all(w[:1].isupper() for w, _ in words[rest:]):
        out.append((*span(rest, len(words)), "Person"))
    return out
