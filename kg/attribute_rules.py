"""The model's rule-based components made cheap: the attribute ruler matched by dictionary
lookups instead of spaCy's Matcher, and the lemmatizer's answers remembered.

A trained English pipeline's ``attribute_ruler`` maps tags to parts of speech and fixes lemmas
with ~180 one- or two-token patterns ({"TAG": "NNS"}, {"LOWER": "gon"}, {"DEP": "expl"}, …).
spaCy's general Matcher tries every pattern at every token: on kg's statements it took a tenth of
the whole parse. ``kg_attribute_rules`` holds the same patterns, indexed by the exact TAG, LOWER
or DEP value they need, and sets the same attributes in the same order (later rules win, as in
spaCy: rules sorted by their number, then by position). A pattern it cannot index or evaluate
(an operator, another attribute) leaves the model's own ruler in place: the annotations never
differ, only their cost. ``kg_cached_lemmas`` (below) does the same for the lemmatizer.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Callable

from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

# pattern key → the Token attribute it reads (the ones the English models' rulers use)
READS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "IS_SPACE": "is_space", "ORTH": "orth_",
         "TEXT": "text", "POS": "pos_", "NORM": "norm_"}
INDEXED = ("LOWER", "TAG", "DEP", "IS_SPACE")   # a rule's first token is looked up by one of these, in this order
Check = Callable[[Token], bool]


def _check(key: str, value: Any) -> Check | None:
    """A test of one token attribute, as spaCy's Matcher reads the pattern; None if unsupported."""
    attr = READS.get(key)
    if attr is None:
        return None
    if not isinstance(value, dict):
        return lambda t: getattr(t, attr) == value
    if len(value) != 1:
        return None
    (op, arg), = value.items()
    if op == "IN":
        allowed = frozenset(arg)
        return lambda t: getattr(t, attr) in allowed
    if op == "NOT_IN":
        refused = frozenset(arg)
        return lambda t: getattr(t, attr) not in refused
    if op == "REGEX":
        pattern = re.compile(arg)
        return lambda t: bool(pattern.search(getattr(t, attr)))
    return None


def _keys(token: dict) -> tuple[str, list] | None:
    """The attribute and values a pattern token can be looked up by (LOWER, TAG, DEP, IS_SPACE)."""
    for key in INDEXED:
        value = token.get(key)
        if isinstance(value, (str, bool)):
            return key, [value]
        if isinstance(value, dict) and list(value) == ["IN"] and all(isinstance(v, str) for v in value["IN"]):
            return key, list(value["IN"])
    return None


class AttributeRules:
    """The patterns of an AttributeRuler, compiled (``compile`` gives None if any cannot be).

    A rule is (number, index, first, rest, attrs): ``first`` tests its first token beyond the
    value it was looked up by (None: nothing more to test), ``rest`` the tokens after it."""

    def __init__(self) -> None:
        self.by: dict[str, dict[Any, list[tuple]]] = {key: defaultdict(list) for key in INDEXED}
        self.unindexed: list[tuple] = []   # rules whose first token has no exact value to look up

    @classmethod
    def compile(cls, ruler: AttributeRuler) -> AttributeRules | None:
        rules = cls()
        for number, (entry, attrs, index) in enumerate(zip(ruler.patterns, ruler.attrs, ruler.indices)):
            for pattern in entry["patterns"]:
                if not pattern or any(not isinstance(tok, dict) or not tok for tok in pattern):
                    return None
                checks = [[_check(k, v) for k, v in tok.items()] for tok in pattern]
                if any(c is None for cs in checks for c in cs):
                    return None            # an operator ("OP") or attribute this cannot evaluate
                found = _keys(pattern[0])
                first = [_check(k, v) for k, v in pattern[0].items() if found is None or k != found[0]]
                rule = (number, index, _all(first) if first else None, [_all(cs) for cs in checks[1:]], attrs)  # type: ignore[arg-type]
                if found is None:
                    rules.unindexed.append(rule)
                else:
                    for value in found[1]:
                        rules.by[found[0]][value].append(rule)
        return rules

    def __call__(self, doc: Doc) -> Doc:
        tokens = list(doc)
        n = len(tokens)
        lower, tag, dep, space = (self.by[key] for key in INDEXED)
        none: list[tuple] = []
        matches = []
        for i, token in enumerate(tokens):
            for rules in (lower.get(token.lower_, none), tag.get(token.tag_, none), dep.get(token.dep_, none),
                          space.get(token.is_space, none), self.unindexed):
                for number, index, first, rest, attrs in rules:
                    if first is not None and not first(token):
                        continue
                    end = i + 1 + len(rest)
                    if rest and (end > n or not all(check(tokens[i + 1 + k]) for k, check in enumerate(rest))):
                        continue
                    matches.append((number, i, end, index, attrs))
        matches.sort(key=lambda m: m[:3])   # spaCy's order: by rule, then position; later rules win
        for _, start, end, index, attrs in matches:
            target = (start if index >= 0 else end) + index
            if not start <= target < end:
                raise ValueError(f"attribute rule index {index} is outside its match {tokens[start:end]}")
            set_token_attrs(tokens[target], attrs)
        return doc


def _all(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]
    return lambda t: all(c(t) for c in checks)


@Language.factory("kg_attribute_rules", assigns=["token.pos", "token.tag", "token.lemma", "token.morph"])
def make_attribute_rules(nlp: Language, name: str) -> AttributeRules:
    """Empty until ``use_attribute_rules`` fills it from the model's ruler."""
    return AttributeRules()


def use_attribute_rules(nlp: Language) -> bool:
    """Replace the pipeline's ``attribute_ruler`` by the same rules, compiled; False (and
    nothing changed) when there is none or a pattern is beyond what the compiled form reads."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    if not isinstance(ruler, AttributeRuler):
        return False
    rules = AttributeRules.compile(ruler)
    if rules is None:
        return False
    nlp.replace_pipe("attribute_ruler", "kg_attribute_rules")
    compiled = nlp.get_pipe("attribute_ruler")
    compiled.by, compiled.unindexed = rules.by, rules.unindexed
    return True


# --------------------------------------------------------------------------- lemmas, remembered

class CachedLemmas:
    """The model's rule lemmatizer, each (word, part of speech, morphology) lemmatised once.

    spaCy's English lemmatizer caches only some paths (a base form is worked out anew at each
    token); its rules read nothing else of a token, so the lemma of a (word, POS, morphology)
    triple never changes and can be remembered for the whole run."""

    def __init__(self) -> None:
        self.lemmatizer: Lemmatizer | None = None
        self.cache: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: Doc) -> Doc:
        lemmatizer = self.lemmatizer
        if lemmatizer is None:
            return doc
        if not lemmatizer._validated:
            lemmatizer._validate_tables()
        overwrite, cache = lemmatizer.overwrite, self.cache
        for token in doc:
            if overwrite or token.lemma == 0:
                key = (token.orth, token.pos, token.morph.key)
                lemma = cache.get(key)
                if lemma is None:
                    lemma = cache[key] = lemmatizer.lemmatize(token)[0]
                token.lemma_ = lemma
        return doc


@Language.factory("kg_cached_lemmas", assigns=["token.lemma"])
def make_cached_lemmas(nlp: Language, name: str) -> CachedLemmas:
    """Empty until ``use_cached_lemmas`` gives it the model's lemmatizer."""
    return CachedLemmas()


LEMMA_MODES = ("rule", "lookup", "pos_lookup")   # modes whose lemma depends on the token's word, POS and morphology only


def use_cached_lemmas(nlp: Language) -> bool:
    """Put the pipeline's ``lemmatizer`` behind a cache; False (nothing changed) when it is not
    spaCy's own lemmatizer in one of LEMMA_MODES."""
    if "lemmatizer" not in nlp.pipe_names:
        return False
    lemmatizer = nlp.get_pipe("lemmatizer")
    if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode not in LEMMA_MODES:
        return False
    nlp.replace_pipe("lemmatizer", "kg_cached_lemmas")
    nlp.get_pipe("lemmatizer").lemmatizer = lemmatizer
    return True
