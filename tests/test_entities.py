"""Mentions → canonical entities: aliases, defined aliases, descriptions, scoping, stable keys."""
from __future__ import annotations

import pytest

from helpers import facts_of
from kg.keys import slug
from kg.rdf import entity_iri

VOICE = {"publisher": "Ruritania Ministry of Interior"}


def entities_of(nlp, text: str, **meta: str) -> dict[str, str]:
    """label → key of every entity the facts of ``text`` use."""
    out = {}
    for f in facts_of(nlp, text, **meta):
        for e in (f.subject, f.obj):
            if hasattr(e, "key"):
                out[e.label] = e.key
    return out


ALIASES = [
    ("gazetteer alias", "Macau implements the Law No. 6/2008.", "Macao SAR", "macao-sar"),
    ("long form alias", "The Macao Special Administrative Region implements Law 6/2008.", "Macao SAR", "macao-sar"),
    ("abbreviation alias", "MSAR implements Law No. 6/2008.", "Macao SAR", "macao-sar"),
    ("state department", "The U.S. State Department released the 2031 TIP Report.", "U.S. Department of State", "us-dos"),
    ("report family", "The US Department of State released the TIP Report 2031.", "2031 Trafficking in Persons Report",
     "tip-report-2031"),
    ("any country", "The 2031 TIP Report placed Myanmar on Tier 3.", "Burma", "burma"),
    ("a country's government by its demonym", "The Royal Thai Government cooperates with the Malaysian Government.",
     "Government of Malaysia", "malaysia-government"),
    ("a government by a special name", "The Royal Thai Government cooperates with NGOs.", "Government of Thailand",
     "thailand-government"),
    ("a country's side", "The Indonesian side will cooperate with NGOs.", "Indonesia", "indonesia"),
]


@pytest.mark.parametrize("text, meta, who", [
    ('A spokesman for the Harbour Bureau said, "We firmly reject the 2031 TIP Report."', {}, "Harbour Bureau"),
    ("We firmly reject the 2031 TIP Report.", VOICE, "Ruritania Ministry of Interior"),
    ("We firmly reject the 2031 TIP Report.", {}, None),
], ids=["we in a quotation is the speaker", "we outside quotations is the voice", "we with no voice is nobody"])
def test_we_is_who_speaks(nlp, text, meta, who):
    got = [f.subject.label for f in facts_of(nlp, text, **meta) if f.prop == "rejects"]
    assert got == ([who] if who else []), got


@pytest.mark.parametrize("date, label", [
    ("2031-07-02", "2031 Trafficking in Persons Report"), ("2031-02-10", "2030 Trafficking in Persons Report"),
    ("2031", "2031 Trafficking in Persons Report"), (None, "Trafficking in Persons Report"),
], ids=["after mid-year: that year's", "early in the year: last year's", "year only", "no date: year-less"])
def test_a_yearless_tip_report_is_the_one_a_dated_statement_answers(nlp, date, label):
    meta = {"date": date} if date else {}
    facts = facts_of(nlp, "The Ministry of Interior firmly rejects the TIP Report. The Report is biased.", **meta, **VOICE)
    assert {f.obj.label for f in facts if f.prop in ("rejects", "assesses")} == {label}, facts


@pytest.mark.parametrize("text, triple", [
    ("The Ministry of Labour trained 40 officers when it launched the Harbour Plan.",
     ("Ministry of Labour", "launches", "Harbour Plan")),
    ("The 2031 TIP Report ignores the facts. The Ministry of Labour refuses to accept and strongly disagrees with it.",
     ("Ministry of Labour", "strongly disagrees with", "2031 Trafficking in Persons Report")),
], ids=["it in a subordinate clause is the main subject", "it is never its own clause's subject"])
def test_it_within_a_sentence(nlp, text, triple):
    got = {(s.split(" (")[0], p, o) for f in facts_of(nlp, text, **VOICE)
           for s, p, o in [(f.subject.label, f.label, f.obj.label)]}
    assert triple in got, got


@pytest.mark.parametrize("text, label", [
    ("The Ministry of Labour abolished the No Objection Certificate (NOC) in May.", "No Objection Certificate"),
    ("The Ministry of Labour signed the Coastal Cooperation Agreement (CCA) in May.", "Coastal Cooperation Agreement"),
], ids=["an acronym's open bracket is not part of a name", "a bracketed acronym of an agreement"])
def test_no_name_ends_in_an_open_bracket(nlp, text, label):
    labels = {getattr(f.obj, "label", "") for f in facts_of(nlp, text)} | {f.subject.label for f in facts_of(nlp, text)}
    assert label in labels and not any(lab.count("(") != lab.count(")") for lab in labels), labels


@pytest.mark.parametrize("title, text, subject, prop, obj", [
    ("Statement by the Ministry of Foreign Affairs of China", "The Ministry of Foreign Affairs said that Japan should stop the raids.",
     "Ministry of Foreign Affairs (People's Republic of China)", "urges", "Japan"),
    ("China's Ministry of Commerce responds to the listing", "The Ministry of Commerce said that the United States must stop the listing.",
     "Ministry of Commerce (People's Republic of China)", "urges", "United States"),
], ids=["a title's 'of China' scopes its ministry", "a title's possessive country scopes its ministry"])
def test_the_title_scopes_the_voice(nlp, title, text, subject, prop, obj):
    got = [(f.subject.label, f.obj.label) for f in facts_of(nlp, text, title=title) if f.prop == prop]
    assert any(subject in s and obj in o for s, o in got), got


def test_when_offered_is_passive(nlp):
    got = {(f.subject.label, f.label, f.obj.label) for f in facts_of(
        nlp, "The Ministry of Labour did not provide details when offered the opportunity.")}
    assert not any(o == "opportunity" for _, _, o in got), got


def test_gazetteers_are_consistent():
    # every id is unique, every parent exists, every alias names one entity
    from kg import resources
    ents = resources.gazetteer()
    ids = {e.id for e in ents}
    assert len(ids) == len(ents)
    assert {e.part_of for e in ents if e.part_of} <= ids
    owner: dict[str, str] = {}
    clashes = [(a, owner[a], e.id) for e in ents for a in (e.label, *e.aliases)
               if owner.setdefault(a, e.id) != e.id and not (e.cls == "Tier")]
    assert not clashes, clashes[:5]
    assert len([e for e in ents if e.cls == "Jurisdiction"]) > 240


@pytest.mark.parametrize("text, label, key", [(t, lab, k) for _, t, lab, k in ALIASES], ids=[i for i, *_ in ALIASES])
def test_aliases_resolve_to_one_entity(nlp, text, label, key):
    assert entities_of(nlp, text).get(label) == key


DESCRIPTIONS = [
    ("hereinafter alias", "The U.S. Department of State published the 2031 Trafficking in Persons Report "
     "(hereinafter referred to as the report). The Ruritania Police Force rejects the report.",
     "rejects", "2031 Trafficking in Persons Report"),
    ("quoted alias", "The U.S. Department of State released the 2031 Trafficking in Persons Report (“the Report”). "
     "The Ruritania Police Force rejects the Report.", "rejects", "2031 Trafficking in Persons Report"),
    ("the Committee", "The Harbour Safety Concern Committee met. The Committee coordinates NGOs.",
     "coordinates", None),
    ("acronym defined in brackets", "The Labour Department (LD) met. The LD trained the inspectors.",
     "trains", None),
    ("acronym of a name in a list", "The Harbour Police (HP), the Coast Guard Authority (CGA) and the Fisheries "
     "Bureau (FB) met. The CGA trained the inspectors.", "trains", None),
]


@pytest.mark.parametrize("text, prop_label, obj", [(t, p, o) for _, t, p, o in DESCRIPTIONS],
                         ids=[i for i, *_ in DESCRIPTIONS])
def test_descriptions_point_back(nlp, text, prop_label, obj):
    facts = [f for f in facts_of(nlp, text) if f.label == prop_label]
    assert facts, facts_of(nlp, text)
    if obj:
        assert facts[0].obj.label == obj
    else:   # the subject is the named body introduced in the first sentence, not a new node
        assert facts[0].subject.key != "concept/committee" and "(" not in facts[0].subject.key
        assert len(facts[0].subject.label.split()) > 1, facts[0].subject


def test_generic_bodies_are_scoped_to_the_jurisdiction(nlp):
    sg = entities_of(nlp, "In Singapore, the Ministry of Health trained the nurses.", place="Singapore")
    vn = entities_of(nlp, "In Viet Nam, the Ministry of Health trained the nurses.", place="Viet Nam")
    assert "Ministry of Health (Singapore)" in sg and "Ministry of Health (Viet Nam)" in vn
    assert sg["Ministry of Health (Singapore)"] != vn["Ministry of Health (Viet Nam)"]


def test_same_entity_same_iri_across_documents(nlp):
    a = entities_of(nlp, "Macau implements Law No. 6/2008.")
    b = entities_of(nlp, "The Macao Special Administrative Region has implemented Law 6/2008.")
    assert entity_iri(a["Macao SAR"]) == entity_iri(b["Macao SAR"])
    assert entity_iri(a["Law No. 6/2008"]) == entity_iri(b["Law No. 6/2008"])


def test_the_sar_is_the_place_an_earlier_body_belongs_to(nlp):
    got = triples_of(nlp, "The Macao SAR Government enacted Law No. 6/2008. The SAR implements international conventions.")
    assert ("Macao SAR", "implements", "international conventions") in got, got


def triples_of(nlp, text):
    return {(f.subject.label, f.label, f.obj.label) for f in facts_of(nlp, text)}


def test_pronoun_never_resolves_to_a_wrong_kind(nlp):
    # "it" after a sentence whose subject is a tier or topic finds no antecedent, so no fact
    facts = facts_of(nlp, "Human trafficking is rare. It rejects the claims.")
    assert not [f for f in facts if f.label == "rejects"]


@pytest.mark.parametrize("text, expected", [
    ("Macao SAR", "macao-sar"), ("Ministry of Foreign Affairs (Viet Nam)", "ministry-of-foreign-affairs-viet-nam"),
    ('quote " and <tag>', "quote-and-tag"), ("", "x")], ids=["plain", "brackets", "markup", "empty"])
def test_slug_is_iri_safe(text, expected):
    assert slug(text) == expected


@pytest.mark.parametrize("text, prop_label, subject", [
    ("The U.S. Department of State released the 2031 TIP Report. A spokesman for the Harbour Department said "
     "that the department had prosecuted 25 agencies.", "prosecutes", "Harbour Department"),
    ("The U.S. Department of State released the 2031 TIP Report. The Harbour Department said that the "
     "department had prosecuted 25 agencies.", "prosecutes", "Harbour Department"),
], ids=["named in the description's own sentence, after a spokesman",
        "named in the description's own sentence, a guessed name over an earlier known one"])
def test_a_description_means_the_name_in_its_own_sentence_first(nlp, text, prop_label, subject):
    facts = [f for f in facts_of(nlp, text) if f.label == prop_label]
    assert facts and facts[0].subject.label.startswith(subject), facts_of(nlp, text)
