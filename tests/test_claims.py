"""Claims, stance, rankings, posts and noun-phrase relations, each on a sentence written here."""
from __future__ import annotations

import pytest

from helpers import facts_of, triples

VOICE = {"publisher": "Ruritania Ministry of Interior"}


def test_allegation_is_a_claim_not_a_fact(nlp):
    facts = facts_of(nlp, "The 2031 Trafficking in Persons Report alleges that migrant workers may be deported.")
    claims = [f for f in facts if f.prop == "alleges"]
    assert claims and claims[0].obj.cls == "Claim"
    assert "migrant workers may be deported" in claims[0].obj.label
    assert not any("deport" in f.label for f in facts), "the alleged content must not become a fact"


def test_claim_content_uses_canonical_names(nlp):
    # the claim reads like the facts: known names in their preferred labels
    facts = facts_of(nlp, "The U.S. State Department said that the Macau SAR fails to meet the standards.")
    said = [f.obj.label for f in facts if f.prop == "states"]
    assert said == ["the Macao SAR fails to meet the standards"], said


def test_denied_clause_is_a_denied_claim_not_a_fact(nlp):
    facts = facts_of(nlp, "The Ministry of Interior denied that migrant workers were subjected to forced labour.")
    denials = [f for f in facts if f.prop == "denies"]
    assert denials and denials[0].obj.cls == "Claim" and "forced labour" in denials[0].obj.label
    assert all(f.prop == "denies" for f in facts), [(f.subject.label, f.label, f.obj.label) for f in facts]


@pytest.mark.parametrize("text, speaker", [
    ("Critics claimed that the Harbour Police ignored the victims.", "Critics"),
    ("Rights groups said that the Harbour Police ignored the victims.", "Rights groups"),
    ("Several journalists reported that the Harbour Police ignored the victims.", "journalists"),
], ids=["critics", "rights groups", "journalists"])
def test_unnamed_speakers_speak_and_what_they_say_is_theirs(nlp, text, speaker):
    # what critics, rights groups or journalists say is their claim, never kg's own fact
    facts = facts_of(nlp, text)
    said = [f for f in facts if f.prop in ("alleges", "states")]
    assert said and said[0].subject.label.endswith(speaker) and "ignored the victims" in said[0].obj.label, facts
    assert all(f.prop in ("alleges", "states") or f.attributed_to is not None for f in facts), facts


def test_speech_is_attributed_to_the_speaker(nlp):
    facts = facts_of(nlp, "Ruritania closely cooperates with Freedonia, said Spokesperson of the Ministry of "
                          "Foreign Affairs Tran Van Minh.")
    said = [f for f in facts if f.prop == "states"]
    assert said and said[0].subject.label == "Tran Van Minh"
    inner = [f for f in facts if f.prop == "cooperatesWith"]
    assert inner and inner[0].attributed_to is not None and inner[0].attributed_to.label == "Tran Van Minh"


def test_a_government_spokesman_speaks_for_the_government(nlp):
    text = ("The Ruritania Government rejected the 2031 TIP Report. A Government spokesman said that the Report's "
            "ranking is unfounded. The spokesman said that the Report ignored the facts.")
    facts = facts_of(nlp, text)
    speakers = {f.subject.label for f in facts if f.prop == "states"}
    assert speakers == {"Ruritania Government"}, speakers
    assert any(f.prop == "criticizes" and f.obj.cls == "Report" for f in facts)


def test_dateline_is_never_the_speaker(nlp, tmp_path):
    from kg.documents import read_document
    from kg.extract import extract
    path = tmp_path / "s.txt"
    path.write_text("KUALA LUMPUR, July 2 - Minister of Home Affairs Jan Kowalski said the 2031 TIP Report is biased.\n")
    document = read_document(path)
    assert document.dateline_end > 0
    facts, _ = extract(nlp(document.text), document)
    speakers = {f.subject.label for f in facts if f.prop == "states"}
    assert speakers == {"Jan Kowalski"}, speakers


def test_a_governments_country_is_the_statements_place(nlp):
    got = triples(nlp, "The Government of Malaysia thanked the police. The police rescued 500 victims.")
    assert ("Police (Malaysia)", "rescues", "500 victims") in got, got


def test_regret_that_the_report_ranked_opposes_it(nlp):
    facts = facts_of(nlp, "The Ministry of Interior regrets that the 2031 TIP Report has once again placed Thailand "
                          "on Tier 3.")
    assert any(f.prop == "opposes" and f.obj.cls == "Report" for f in facts), facts


def test_publisher_named_shorter_than_in_the_text_is_that_body(nlp):
    facts = facts_of(nlp, "The Ministry of Fisheries of the Kingdom of Ruritania rejects the 2031 TIP Report.",
                     publisher="Ministry of Fisheries of Ruritania")
    assert {f.subject.label for f in facts if f.prop == "rejects"} == {
        "Ministry of Fisheries of the Kingdom of Ruritania"}, facts


def test_post_holder_and_organisation(nlp):
    got = triples(nlp, "The report is wrong, said Spokesperson of the Ministry of Foreign Affairs Tran Van Minh.")
    assert ("Tran Van Minh", "spokesperson of", "Ministry of Foreign Affairs") in {
        (s, p, o.split(" (")[0]) for s, p, o in got}, got


def test_rebuttal_marker_denies_the_last_claim(nlp):
    text = ("The 2031 Trafficking in Persons Report alleges that fishermen are trafficked. "
            "In fact, the fishermen returned home safely.")
    facts = facts_of(nlp, text, **VOICE)
    denial = [f for f in facts if f.prop == "denies"]
    assert denial and denial[0].obj.cls == "Claim" and denial[0].subject.label.startswith("Ruritania")


STANCE = [
    ("stance noun against the statement's report",
     "Regarding the 2031 Trafficking in Persons Report, the Ministry of Interior expresses firm opposition.", "opposes"),
    ("stance verb with a pronoun object",
     "The 2031 Trafficking in Persons Report ignores the facts. The Ministry of Interior strongly disagrees with it.", "rejects"),
    ("stance verb with 'this' means the matter, not the last subject",
     "Freedonia has published the 2031 Trafficking in Persons Report again. The Ministry of Interior firmly opposes this.",
     "opposes"),
    ("scare quotes reject the report", 'The so-called "report" is full of bias.', "rejects"),
    ("criticism verb on the report", "The 2031 Trafficking in Persons Report ignored objective facts.", "criticizes"),
]


@pytest.mark.parametrize("text, prop", [(t, p) for _, t, p in STANCE], ids=[i for i, _, _ in STANCE])
def test_stance(nlp, text, prop):
    facts = facts_of(nlp, text, title="Response to the 2031 Trafficking in Persons Report", **VOICE)
    hits = [f for f in facts if f.prop == prop]
    assert hits and hits[0].obj.label == "2031 Trafficking in Persons Report", [(f.subject.label, f.label, f.obj.label) for f in facts]


JUDGEMENTS = [
    ("predicate noun tells what 'it' is", "The Ministry of Interior notes errors in the 2031 Trafficking in Persons "
     "Report. However, it is a fair report.", {"assesses as fair"}),
    ("coordinated adjectives", "The 2031 Trafficking in Persons Report is biased and unfounded.",
     {"assesses as biased", "assesses as unfounded"}),
    ("negated copula", "The 2031 Trafficking in Persons Report is not accurate.", {"assesses as not accurate"}),
    ("'it' naming something else is no judgement", "The Ministry of Interior runs a shelter. It is a safe place.", set()),
    ("an adjective's complement is part of the verdict", "The 2031 Trafficking in Persons Report is full of errors.",
     {"assesses as full of errors"}),
]


@pytest.mark.parametrize("text, labels", [(t, e) for _, t, e in JUDGEMENTS], ids=[i for i, _, _ in JUDGEMENTS])
def test_copula_judgement_of_the_report(nlp, text, labels):
    facts = facts_of(nlp, text, **VOICE)
    got = {f.label for f in facts if f.prop == "assesses"}
    assert got == labels, [(f.subject.label, f.label, f.obj.label) for f in facts]
    assert all(f.subject.label.startswith("Ruritania") and f.obj.cls == "Report" for f in facts if f.prop == "assesses")


@pytest.mark.parametrize("title, speaker", [
    ("The Fisheries Taskforce's official statement on the 2031 TIP Report", "Fisheries Taskforce of Ruritania"),
    ("Statement on the 2031 TIP Report", None),
    ("The Harbour Board's response to the 2031 TIP Report", None),     # names no body of the text
], ids=["possessive title names the speaker", "title without a possessor", "possessor not in the text"])
def test_title_names_whose_statement_it_is(nlp, title, speaker):
    facts = facts_of(nlp, "The Fisheries Taskforce of Ruritania met. The 2031 TIP Report is balanced.", title=title)
    judges = [f.subject.label for f in facts if f.prop == "assesses"]
    assert judges == ([speaker] if speaker else []), judges


def test_accusation_in_the_voice_is_an_allegation(nlp):
    facts = facts_of(nlp, "Freedonia has fabricated false reports year after year.", **VOICE)
    assert not any(f.prop == "fabricates" for f in facts)
    assert any(f.prop == "alleges" and "Freedonia" in f.obj.label for f in facts)


RANKINGS = [
    ("relative clause", "The 2031 Trafficking in Persons Report, which ranked the Macao SAR Tier 3, was released.",
     "Macao SAR", "Tier 3"),
    ("rating at watch list", "The Government disagrees with the rating of Hong Kong at Tier 2 (Watch List).",
     "Hong Kong SAR", "Tier 2 Watch List"),
    ("upgraded", "Singapore was upgraded to Tier 1 in the 2031 Trafficking in Persons Report.", "Singapore", "Tier 1"),
    ("remained on", "Therefore Macau remained on Tier 3.", "Macao SAR", "Tier 3"),
    ("area the gazetteer lacks", "The 2031 Trafficking in Persons Report, which downgraded Ruritania to Tier 3, "
     "was released.", "Ruritania", "Tier 3"),
]


@pytest.mark.parametrize("text, area, tier", [(t, a, r) for _, t, a, r in RANKINGS], ids=[i for i, *_ in RANKINGS])
def test_rankings(nlp, text, area, tier):
    facts = facts_of(nlp, text, title="2031 Trafficking in Persons Report: narrative")
    ranks_at = {(f.subject.label, f.obj.label) for f in facts if f.prop == "ranksAt"}
    assert (area, tier) in ranks_at, ranks_at
    ranking = next(f for f in facts if f.prop == "ranksAt")
    assert dict(ranking.qualifiers).get("year") == "2031"
    assert any(f.prop == "ranks" and f.obj.label == area for f in facts)


def test_each_tier_goes_to_the_area_its_verb_names(nlp):
    facts = facts_of(nlp, "The HKSAR Government was upgraded to Tier 1 in 2029, but Macau was downgraded to Tier 3.")
    got = {(f.subject.label, f.obj.label, dict(f.qualifiers).get("year")) for f in facts if f.prop == "ranksAt"}
    assert got == {("Hong Kong SAR", "Tier 1", "2029"), ("Macao SAR", "Tier 3", "2029")}, got


def test_the_tier_moved_from_is_not_this_reports_tier(nlp):
    got = triples(nlp, "The 2031 TIP Report upgraded Ruritania from Tier 2 Watch List to Tier 2.")
    tiers = {o for s, p, o in got if p == "ranks at"}
    assert tiers == {"Tier 2"}, got


@pytest.mark.parametrize("heading, tier", [
    ("THAILAND: Tier 3", "Tier 3"), ("THAILAND (Tier 2 Watch List)", "Tier 2 Watch List"),
    ("THAILAND: TIER 2 WATCH LIST", "Tier 2 Watch List"), ("Thailand – Tier 1", "Tier 1"),
], ids=["colon", "brackets", "all capitals", "dash"])
def test_narrative_heading_is_a_ranking(nlp, heading, tier):
    text = f"{heading}\n\nThe Government of Thailand fully meets the minimum standards.\n"
    facts = facts_of(nlp, text, title="2031 Trafficking in Persons Report: Thailand")
    ranks = [(f.subject.label, f.obj.label, f.evidence.text) for f in facts if f.prop == "ranksAt"]
    assert ranks == [("Thailand", tier, heading)], ranks
    assert any(f.prop == "ranks" and f.subject.label == "2031 Trafficking in Persons Report" for f in facts)


RECOMMENDATIONS = [
    ("imperative", "Significantly increase proactive victim identification.",
     ("recommends increasing", "proactive victim identification")),
    ("the object keeps its purpose", "Increase efforts to investigate and prosecute smuggling crimes.",
     ("recommends increasing", "efforts to investigate and prosecute smuggling crimes")),
    ("verb misread as a noun", "Screen migrant fishermen for smuggling indicators.",
     ("recommends screening", "migrant fishermen for smuggling indicators")),
    ("bullet before the verb", "* Amend the Fisheries Act to criminalize bottom trawling.",
     ("recommends amending", "Fisheries Act")),
]


@pytest.mark.parametrize("text, expected", [(t, e) for _, t, e in RECOMMENDATIONS], ids=[i for i, *_ in RECOMMENDATIONS])
def test_report_imperative_is_a_recommendation_not_a_fact(nlp, text, expected):
    facts = facts_of(nlp, "RURITANIA: Tier 2\n\n" + text, title="2031 Trafficking in Persons Report: Ruritania")
    advice = [(f.label, f.obj.label) for f in facts if f.prop == "recommends"]
    assert advice == [expected], [(f.subject.label, f.label, f.obj.label) for f in facts]
    assert {f.prop for f in facts} <= {"recommends", "ranksAt", "ranks"}, "what is recommended is not a fact"


@pytest.mark.parametrize("text", ["Support services are provided to victims.", "Report findings show progress."])
def test_sentence_opening_with_a_noun_is_no_recommendation(nlp, text):
    facts = facts_of(nlp, text, title="2031 Trafficking in Persons Report: Ruritania")
    assert not any(f.prop == "recommends" for f in facts)


def test_negated_ranking_is_not_a_ranking(nlp):
    facts = facts_of(nlp, "Ruritania was not placed on Tier 3.")
    assert not any(f.prop == "ranksAt" for f in facts)


def test_trailing_which_is_not_true_denies_the_reported_claim(nlp):
    facts = facts_of(nlp, "The 2031 TIP Report alleges that fishermen in Ruritania are subjected to debt bondage, "
                          "which is not true.", **VOICE)
    claims = {f.prop: f.obj for f in facts if f.prop in ("alleges", "denies")}
    assert claims.keys() == {"alleges", "denies"} and claims["alleges"].key == claims["denies"].key, facts
    assert "not true" not in claims["alleges"].label


NOUN_RELATIONS = [
    ("possessive publisher", "the U.S. Department of State’s 2031 Trafficking in Persons Report was wrong.",
     ("U.S. Department of State", "publishes", "2031 Trafficking in Persons Report")),
    ("report from", 'The so-called "report" from the U.S. State Department is biased.',
     ("U.S. Department of State", "publishes", "2031 Trafficking in Persons Report")),
    ("report by a country", "Ruritania notes the 2031 Trafficking in Persons Report by the United States.",
     ("United States", "publishes", "2031 Trafficking in Persons Report")),
    ("report of a body", "Ruritania rejects the 2031 TIP Report of the U.S. Department of State.",
     ("U.S. Department of State", "publishes", "2031 Trafficking in Persons Report")),
    ("quoted law title", 'The Macao SAR implemented Law No. 9/2031 "Protection of Migrant Fishermen" fully.',
     ("Law No. 9/2031", "has title", "Protection of Migrant Fishermen")),
    ("part of", "The Government of the Macau Special Administrative Region of the People’s Republic of China acts.",
     ("Macao SAR", "part of", "People's Republic of China")),
    ("members named after including", "The Fisheries Committee comprises representatives of 9 departments, including "
     "the Harbour Police and the Coast Guard Authority.", ("Harbour Police", "member of", "Fisheries Committee")),
    ("membership", "The taskforce, consisting of representatives from the Ruritania Police Force and the Ruritania "
                   "Coast Guard Authority, met.", ("Ruritania Police Force", "member of", "taskforce")),
    ("publisher issued on date", "RURITANIA, March 3 - The Ruritania Ministry of Interior works.",
     ("Ruritania Ministry of Interior", "issued on", "2031-03-03")),
]


@pytest.mark.parametrize("text, triple", [(t, x) for _, t, x in NOUN_RELATIONS], ids=[i for i, *_ in NOUN_RELATIONS])
def test_noun_relations(nlp, text, triple):
    from kg.documents import DATELINE
    meta = dict(VOICE, title="Response to the 2031 Trafficking in Persons Report")
    got = triples(nlp, text, **meta)
    if triple[1] == "issued on":
        from kg.documents import Document
        from kg.extract import extract
        doc = Document(path="<t>", text=text, doc_id="t", meta=meta, date="2031-03-03",
                       date_evidence=(0, 14, text[:14]), dateline_end=DATELINE.match(text).end())
        got = {(f.subject.label, f.label, f.obj.label) for f in extract(nlp(text), doc)[0]}
    assert triple in got, got


def test_spokesman_for_an_organisation_speaks_for_it_across_a_quotation(nlp):
    text = ('A spokesman for the Ruritania Ministry of Interior said, "The Ministry strongly rejects the claims. '
            'The Ruritania Police Force trains border officers."\n\nThe spokesman added that the Ministry '
            "would cooperate with NGOs.")
    facts = facts_of(nlp, text)
    said = [f for f in facts if f.prop == "states"]
    assert said and all(f.subject.label == "Ruritania Ministry of Interior" for f in said), said
    trains = [f for f in facts if f.label == "trains"]
    assert trains and trains[0].attributed_to is not None
    assert trains[0].attributed_to.label == "Ruritania Ministry of Interior"
