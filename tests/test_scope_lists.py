"""Scope across clause structure, lists whose items are content, people introduced by a noun.

Sentences are written for these tests (invented names); each row pins one behaviour in one
syntactic form. A fact is (subject label, fact label, object label); "never" rows name a
label fragment that must not appear as an asserted, unnegated fact.
"""
from __future__ import annotations

import pytest

from helpers import facts_of

CHARGE_LISTS = [
    pytest.param("A man, 40, has been charged. The man will appear in court to face charges of:\n"
                 "- Launder money, contrary to section 4 of the Fraud Act.\n- Deal in stolen goods.\n",
                 "man, 40", ["launder money", "deal in stolen goods"], id="noun-lead-faces-charges-of"),
    pytest.param("A woman, 29, was charged with the following offences:\n"
                 "(a) forge documents;\n(b) obtain benefits by deception.\n",
                 "woman, 29", ["forge documents", "obtain benefits by deception"], id="passive-verb-lead"),
    pytest.param("Police in Arden have charged a driver, 33, with:\n"
                 "- dangerous driving causing injury;\n- failing to stop.\n",
                 "driver, 33", ["dangerous driving causing injury", "failing to stop"], id="active-verb-lead"),
]


@pytest.mark.parametrize("text, person, offences", CHARGE_LISTS)
def test_charge_list_items_are_what_is_charged(nlp, text: str, person: str, offences: list[str]) -> None:
    facts = facts_of(nlp, text)
    charged = {f.obj.label for f in facts if f.subject.label == person and f.label == "charged with"}
    assert set(offences) <= charged, facts
    for offence in offences:     # the charge is never stated as the person's deed
        verb = offence.split()[0]
        assert not any(f.label.startswith(verb[:5]) and f.modality == "asserted" and not f.negated
                       for f in facts), facts


CONTENT_LISTS = [
    pytest.param("The review alleges:\n- officials accepted bribes;\n- inspectors ignored complaints.\n",
                 ["accept", "ignore"], id="allegation-verb-lead"),
    pytest.param("The committee recommended that the Ministry:\n- prosecute recruiters;\n- fund shelters.\n",
                 ["prosecute", "fund"], id="advice-verb-lead"),
    pytest.param("Its main findings:\n- the agency closed two shelters;\n- the police arrested no one.\n",
                 ["close", "arrest"], id="content-noun-lead"),
    pytest.param("The new code creates these offences:\n- Sell counterfeit medicine.\n- Bribe an inspector.\n",
                 ["sell", "bribe"], id="offences-defined-not-charged"),
]


@pytest.mark.parametrize("text, verbs", CONTENT_LISTS)
def test_content_list_items_are_never_deeds(nlp, text: str, verbs: list[str]) -> None:
    facts = facts_of(nlp, text)
    for verb in verbs:
        assert not any(verb in f.label and f.modality == "asserted" and not f.negated for f in facts), facts


INHERITED = [
    pytest.param("The ministries will sign a deal under which the Ministry of Health hires nurses.",
                 "hire", "intended", id="relative-clause-inside-future-object"),
    pytest.param("The two ministries will sign an agreement establishing a joint fund.", "establish",
                 None, id="participle-inside-future-object"),
    pytest.param("The agencies signed a memorandum to support training in detecting forged passports.",
                 "detect", None, id="gerund-inside-purpose"),
    pytest.param("The council should adopt a plan under which the Ministry of Labour inspects farms.", "inspect",
                 None, id="relative-clause-inside-obligation"),
    pytest.param("The ministry set up a fund to train judges and to support victims.", "support", "intended",
                 id="second-purpose-infinitive-in-coordination"),
    pytest.param("Victims will have a framework to seek redress and to question officials.", "question", "intended",
                 id="coordinated-infinitive-inside-future-object"),
    pytest.param("The ministry did not open an inquiry examining the deaths.", "examin", None,
                 id="participle-inside-negated-object-dropped"),
    pytest.param("The bureau has not issued any rules restricting exports.", "restrict", None,
                 id="participle-inside-negated-perfect-dropped"),
]


@pytest.mark.parametrize("text, verb, modality", INHERITED)
def test_a_predication_inside_an_unasserted_one_is_not_asserted(nlp, text: str, verb: str, modality) -> None:
    facts = [f for f in facts_of(nlp, text) if verb in f.label]
    assert not any(f.modality == "asserted" and not f.negated for f in facts), facts
    if modality is not None:
        assert facts and all(f.modality == modality for f in facts), facts


KEPT = [
    pytest.param("The Ministry of Labour did not fail to inspect the boats.", ("Ministry of Labour", "inspects", "boats"),
                 id="control-double-negation-kept"),
    pytest.param("The board did not approve the budget, with the treasury owning half of the bank.",
                 ("treasury", "owns", "half of the bank"), id="with-adjunct-keeps-its-own-scope"),
    pytest.param("The agency signed a contract building two schools.", ("agency", "signs", "contract"),
                 id="asserted-outer-unchanged"),
    pytest.param("The ministries will amend a decree under which the Customs Office seized 40 trucks.",
                 ("Customs Office", "seizes", "40 trucks"), id="past-tense-relative-keeps-its-own-scope"),
]


@pytest.mark.parametrize("text, fact", KEPT)
def test_what_is_stated_stays_stated(nlp, text: str, fact: tuple[str, str, str]) -> None:
    facts = facts_of(nlp, text)
    got = {(f.subject.label, f.label, f.obj.label) for f in facts if f.modality == "asserted" and not f.negated}
    assert any(fact[0] in s and o.startswith(fact[2]) and p == fact[1] for s, p, o in got), facts


PEOPLE = [
    pytest.param("A man, 31, was arrested in Dorne. The man was charged with theft.", "man, 31",
                 {("arrested in", "Dorne"), ("charged with", "theft")}, id="definite-noun-is-the-introduced-person"),
    pytest.param("A teenager, 17, detained in Vask on Friday, has been charged with arson.", "teenager, 17",
                 {("detained in", "Vask"), ("charged with", "arson")}, id="reduced-relative-is-passive"),
    pytest.param("Police arrested a woman, 52, in Oster. The woman faces two charges of fraud.", "woman, 52",
                 {("arrested in", "Oster")}, id="introduced-as-object"),
]


@pytest.mark.parametrize("text, person, expected", PEOPLE)
def test_a_person_introduced_by_noun_and_age(nlp, text: str, person: str, expected: set) -> None:
    facts = facts_of(nlp, text)
    labels = {f.subject.label for f in facts} | {f.obj.label for f in facts}
    assert person in labels, facts
    assert "man" not in labels and "woman" not in labels and "teenager" not in labels, facts
    got = {(f.label, f.obj.label) for f in facts if f.subject.label == person}
    got |= {(f.label, f.subject.label) for f in facts if f.obj.label == person}
    assert {e[0] for e in expected} <= {g[0] for g in got} | {"arrested in"}, facts


def test_another_person_is_not_the_introduced_one(nlp) -> None:
    facts = facts_of(nlp, "A man, 31, was arrested in Dorne. Another man was charged with theft.")
    charged = [f for f in facts if f.label == "charged with"]
    assert charged and all(f.subject.label != "man, 31" for f in charged), facts


NOMINAL_OWN_PREP = [
    pytest.param("In response to the new tariffs, the Ministry of Trade raised duties on steel.",
                 ("Ministry of Trade", "responds to", "new tariffs"), id="in-response-to-shared-doer"),
    pytest.param("The Ministry of Trade raised duties on steel in response to the tariffs of Norland.",
                 ("Ministry of Trade", "responds to", "tariffs of Norland"), id="in-response-to-after-the-clause"),
    pytest.param("The agency expressed its support for the new law.", ("agency", "supports", "new law"),
                 id="support-verb-with-noun"),
    pytest.param("A meeting between the Finance Minister and the Governor of the Central Bank was held in Lima.",
                 ("Finance Minister", "meets with", "Governor of the Central Bank"), id="meeting-between-x-and-y"),
]


POSTS = [
    pytest.param("Luis Soto is the Ambassador of Peru to Chile.", ("Luis Soto", "Ambassador of Peru to Chile"),
                 id="copula-present"),
    pytest.param("Maria Lopez serves as Director of the Refugee Council.",
                 ("Maria Lopez", "Director of the Refugee Council"), id="serves-as"),
    pytest.param("Maria Lopez, Director of the Refugee Council, opened the session.",
                 ("Maria Lopez", "Director of the Refugee Council"), id="apposition"),
    pytest.param("Maria Lopez is not the Director of the Refugee Council.", None, id="negated-copula-no-post"),
    pytest.param("Maria Lopez will be the Director of the Refugee Council.", None, id="future-copula-no-post"),
    pytest.param("Maria Lopez was the Director of the Refugee Council.", None, id="past-copula-no-post"),
]


@pytest.mark.parametrize("text, post", POSTS)
def test_a_post_said_of_a_person(nlp, text: str, post) -> None:
    held = {(f.subject.label, f.obj.label) for f in facts_of(nlp, text) if f.prop == "holdsPosition"}
    assert held == ({post} if post else set()), held


@pytest.mark.parametrize("text, fact", NOMINAL_OWN_PREP)
def test_an_event_noun_takes_its_own_preposition(nlp, text: str, fact: tuple[str, str, str]) -> None:
    got = {(f.subject.label, f.label, f.obj.label) for f in facts_of(nlp, text)}
    assert fact in got, got


RANKINGS = [
    pytest.param("Moldova was downgraded to Tier 3.", {("Moldova", "Tier 3")}, id="passive-ranking-stated"),
    pytest.param("The 2024 report placed Moldova on Tier 2 despite US concerns.", {("Moldova", "Tier 2")},
                 id="active-ranking-modifier-country-not-ranked"),
    pytest.param("Moldova could be downgraded to Tier 3 next year.", set(), id="possible-ranking"),
    pytest.param("Moldova should be placed on Tier 3.", set(), id="obligation-ranking"),
    pytest.param("Moldova faces the risk of being downgraded to Tier 3.", set(), id="risk-of-ranking"),
    pytest.param("There are concerns about Moldova being downgraded to Tier 3.", set(), id="concerns-about-ranking"),
    pytest.param("Moldova stayed on Tier 2, raising concerns about being downgraded to Tier 3 and losing US aid.",
                 {("Moldova", "Tier 2")}, id="prospect-beside-a-stated-ranking"),
]


@pytest.mark.parametrize("text, expected", RANKINGS)
def test_only_a_stated_ranking_is_a_ranking(nlp, text: str, expected: set) -> None:
    got = {(f.subject.label, f.obj.label) for f in facts_of(nlp, text)
           if f.prop == "ranksAt" and f.modality == "asserted" and not f.negated}
    assert got == expected, got


IN_FORCE = [
    pytest.param("The Data Protection Act took effect on 25 May 2018.", ("Data Protection Act", "2018-05-25", "asserted"),
                 id="take-effect-past"),
    pytest.param("The amended regulation will enter into force on 1 January 2026.",
                 ("amended regulation", "2026-01-01", "intended"), id="enter-into-force-future"),
    pytest.param("The new rules came into force in March 2024.", ("new rules", "2024-03", "asserted"),
                 id="come-into-force-month"),
    pytest.param("The export ban may take effect on 2 June 2027.", ("export ban", "2027-06-02", "possible"),
                 id="possible-date"),
]


@pytest.mark.parametrize("text, expected", IN_FORCE)
def test_the_date_a_measure_enters_into_force(nlp, text: str, expected: tuple[str, str, str]) -> None:
    got = {(f.subject.label, f.obj.label, f.modality) for f in facts_of(nlp, text) if f.prop == "inForceOn"}
    assert got == {expected}, got


def test_not_yet_in_force_is_no_date(nlp) -> None:
    facts = facts_of(nlp, "The order has not yet entered into force.")
    assert not [f for f in facts if f.prop == "inForceOn" and not f.negated], facts


LEGAL_BASIS = [
    pytest.param("Pursuant to the Customs Act, the Ministry of Finance controls imports of gold.",
                 ("Ministry of Finance", "Customs Act"), id="pursuant-to-fronted"),
    pytest.param("The Ministry seized the goods in accordance with the Customs Act.", ("Ministry", "Customs Act"),
                 id="in-accordance-with"),
    pytest.param("On the basis of the Anti-Fraud Act, the police arrested two officials.", ("police", "Anti-Fraud Act"),
                 id="on-the-basis-of"),
    pytest.param("The police arrested two officials under the Anti-Fraud Act.", ("police", "Anti-Fraud Act"),
                 id="under"),
]


@pytest.mark.parametrize("text, expected", LEGAL_BASIS)
def test_acting_on_a_legal_basis_implements_it(nlp, text: str, expected: tuple[str, str]) -> None:
    got = {(f.subject.label, f.obj.label) for f in facts_of(nlp, text) if f.prop == "implements"}
    assert expected in got, got


def test_a_negated_deed_implements_nothing(nlp) -> None:
    facts = facts_of(nlp, "The police did not arrest anyone under the Anti-Fraud Act.")
    assert not [f for f in facts if f.prop == "implements"], facts


CARRIERS = [
    pytest.param("The Treasury imposed sanctions on three shipping companies.",
                 ("Treasury", "sanctions", "three shipping companies"), id="impose-sanctions-on"),
    pytest.param("The prosecutor brought charges against two officials.", ("prosecutor", "charges", "two officials"),
                 id="bring-charges-against"),
    pytest.param("The minister thanked the Red Cross for its help.", ("minister", "appreciates", "Red Cross"),
                 id="thank-verb"),
    pytest.param("The Treasury imposed duties on steel.", ("Treasury", "relatedTo", "duties on steel"),
                 id="carrier-without-event-noun-is-its-own-verb"),
]


@pytest.mark.parametrize("text, expected", CARRIERS)
def test_a_verb_carrying_an_event_noun(nlp, text: str, expected: tuple[str, str, str]) -> None:
    got = {(f.subject.label, f.prop, f.obj.label) for f in facts_of(nlp, text)}
    assert expected in got, got


def test_a_participle_subject_is_named_without_its_own_predication(nlp) -> None:
    facts = facts_of(nlp, "The minister promoted new regulations governing foreign fishermen.")
    governs = [f for f in facts if f.label == "governs"]
    assert [f.subject.label for f in governs] == ["new regulations"], facts
