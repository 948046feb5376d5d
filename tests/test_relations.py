"""Subject–verb–object rules, each pinned by a sentence written for the test."""
from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.phrases import antecedent, conjuncts, phrase, third_person
from helpers import facts_of, triples


# -- rules that need no model: hand-built parses ---------------------------------------------
def hand_doc(words, heads, deps, pos=None, ents=None) -> Doc:
    return Doc(Vocab(), words=words, heads=heads, deps=deps, pos=pos or ["NOUN"] * len(words), ents=ents)


@pytest.mark.parametrize("lemma, expected", [
    ("collaborate", "collaborates"), ("approach", "approaches"), ("identify", "identifies"),
    ("set up", "sets up"), ("stay", "stays"), ("go", "goes")], ids=lambda v: str(v))
def test_third_person(lemma, expected):
    assert third_person(lemma) == expected


def test_phrase_drops_determiner_and_relative_clause():
    # "the international conventions which apply" → "international conventions"
    doc = hand_doc(["the", "international", "conventions", "which", "apply"], [2, 2, 2, 4, 2],
                   ["det", "amod", "ROOT", "nsubj", "relcl"], ["DET", "ADJ", "NOUN", "PRON", "VERB"])
    assert phrase(doc[2]) == "international conventions"


def test_phrase_keeps_coordinated_modifiers_but_not_own_conjuncts():
    # "international and regional cooperation and exchanges" → head keeps "international and regional"
    doc = hand_doc(["international", "and", "regional", "cooperation", "and", "exchanges"],
                   [3, 0, 0, 3, 3, 3], ["amod", "cc", "conj", "ROOT", "cc", "conj"],
                   ["ADJ", "CCONJ", "ADJ", "NOUN", "CCONJ", "NOUN"])
    assert phrase(doc[3]) == "international and regional cooperation"
    assert [t.text for t in conjuncts(doc[3])] == ["cooperation", "exchanges"]


def test_relative_pronoun_takes_nearest_entity_outside_brackets():
    # "the Report ( the report ) , which ranked" → "which" is the first "Report", an entity
    words = ["the", "Report", "(", "the", "note", ")", ",", "which", "ranked"]
    doc = hand_doc(words, [1, 8, 4, 4, 1, 4, 8, 8, 8],
                   ["det", "nsubj", "punct", "det", "appos", "punct", "punct", "nsubj", "ROOT"],
                   ["DET", "PROPN", "PUNCT", "DET", "NOUN", "PUNCT", "PUNCT", "PRON", "VERB"],
                   ents=["O", "B-ORG", "O", "O", "O", "O", "O", "O", "O"])
    assert antecedent(doc[7]).text == "Report"


# -- rules on the model's parse ------------------------------------------------------------
SVO = [
    ("coordination splits objects", "The Ministry of Labour supervises government departments and NGOs.",
     {("Ministry of Labour", "supervises", "government departments"), ("Ministry of Labour", "supervises", "NGOs")}),
    ("prepositional verb", "The Ministry of Labour closely collaborates with judicial authorities in investigations.",
     {("Ministry of Labour", "closely collaborates with", "judicial authorities")}),
    ("subject shared by conjoined verbs", "The Ministry of Labour trains officers and participates in regional exchanges.",
     {("Ministry of Labour", "trains", "officers"), ("Ministry of Labour", "participates in", "regional exchanges")}),
    ("passive with agent turned active", "The 2031 Trafficking in Persons Report was released by the U.S. Department of State.",
     {("U.S. Department of State", "releases", "2031 Trafficking in Persons Report")}),
    ("lexicon passive keeps its direction", "The taskforce is chaired by the Ministry of Home Affairs.",
     {("taskforce", "chaired by", "Ministry of Home Affairs")}),
    ("dative verb keeps the recipient", "The Ministry of Labour provides shelter and counselling to victims.",
     {("Ministry of Labour", "provides shelter and counselling to", "victims")}),
    ("gerund after instrument preposition shares the subject",
     "By setting up a hotline, the Ministry of Labour protects migrant workers.",
     {("Ministry of Labour", "sets up", "hotline")}),
    ("in addition to is another object", "In addition to 12 shelters, the Ministry of Labour runs two hotlines.",
     {("Ministry of Labour", "runs", "12 shelters"), ("Ministry of Labour", "runs", "two hotlines")}),
    ("and after a bracketed acronym joins the two agents",
     "The Ruritania Fisheries Taskforce, co-chaired by the Ministry of Tides (MOT) and the Ministry of Nets (MON), "
     "and consisting of representatives from the Harbour Police, has stepped up patrols.",
     {("Ruritania Fisheries Taskforce", "co-chaired by", "Ministry of Tides"),
      ("Ruritania Fisheries Taskforce", "co-chaired by", "Ministry of Nets")}),
    ("list item's first verb takes the list's subject, however tagged",
     "The Ruritania Action Plan includes new initiatives:\n\n(f) set up a dedicated hotline for fishermen; and",
     {("Ruritania Action Plan", "sets up", "dedicated hotline for fishermen")}),
    ("as-phrase completes a plain object", "The Taskforce recognises Ruritania's appeal as a transit point for smugglers.",
     {("Taskforce", "recognises", "Ruritania's appeal as a transit point for smugglers")}),
    ("as-phrase goes to the label of a named object", "The Ministry of Labour designated the Harbour Police as the lead agency.",
     {("Ministry of Labour", "designates as lead agency", "Harbour Police")}),
    ("bracketed list explains its noun", "Ruritania follows the 3R approach (rescue, rehabilitation and reintegration) in all cases.",
     {("Ruritania", "follows", "3R approach"), ("3R approach", "comprises", "rescue, rehabilitation and reintegration")}),
    ("past-tense verb read as a participle after a long name",
     "The Ministry of Labour partnered with the International Organization for Migration to train 200 officials.",
     {("Ministry of Labour", "partners with", "International Organization for Migration")}),
    ("participle with a by-agent on a name the tagger calls a number",
     "The 2031 TIP Report, released by the U.S. Department of State, ranked Malaysia Tier 2.",
     {("U.S. Department of State", "releases", "2031 Trafficking in Persons Report"), ("Malaysia", "ranks at", "Tier 2")}),
    ("named partners through an of-phrase", "The Ministry of Interior signed memoranda of understanding with "
     "Thailand and Viet Nam.", {("Ministry of Interior", "signs memoranda of understanding with", "Thailand"),
                                ("Ministry of Interior", "signs memoranda of understanding with", "Viet Nam")}),
    ("named partner through an of-phrase", "The Ministry of Labour signed a memorandum of understanding with the "
     "Government of Nepal on labor migration.",
     {("Ministry of Labour", "signs memorandum of understanding with", "Government of Nepal")}),
    ("together with a partner", "The Ministry of Labour ran two shelters together with NGOs and churches.",
     {("Ministry of Labour", "cooperates with", "NGOs"), ("Ministry of Labour", "cooperates with", "churches")}),
    ("in cooperation with a partner", "The Ministry of Labour trained 300 inspectors in cooperation with the "
     "International Labour Organization.", {("Ministry of Labour", "cooperates with", "International Labour Organization")}),
    ("under the supervision of: the overseer supervises", "Investigations of smuggling cases have been carried out "
     "under the supervision of the judicial authorities.",
     {("judicial authorities", "supervises", "Investigations of smuggling cases")}),
    ("under the leadership of: led by", "The Anti-Smuggling Committee, under the leadership of the Secretary for Fisheries, "
     "met twice.", {("Secretary for Fisheries", "coordinates", "Anti-Smuggling Committee")}),
    ("a list the parser reads as an apposition", "The Harbour Bureau, the Labour Department, the Police and the "
     "Customs Department have been working closely with consulates.",
     {("Harbour Bureau", "works with", "consulates"), ("Labour Department", "works with", "consulates"),
      ("Police", "works with", "consulates"), ("Customs Department", "works with", "consulates")}),
    ("a second predicate the parser took for a complement", "The Ministry of Labour expresses regret over the unfair "
     "ranking and strongly rejects the groundless accusations.",
     {("Ministry of Labour", "rejects", "groundless accusations")}),
    ("an action noun framing the clause is the subject's deed", "Since the implementation of Law No. 6/2030, the "
     "Ministry of Labour has been combating forced labour.", {("Ministry of Labour", "implements", "Law No. 6/2030")}),
    ("a date on a dative fact reads cleanly", "In 2030, the Social Welfare Bureau provided shelter, counselling and "
     "legal assistance to 3 victims.",
     {("Social Welfare Bureau", "provides in", "2030"),
      ("Social Welfare Bureau", "provides shelter and counselling and legal assistance to", "3 victims")}),
    ("a law is a doer", "Ruritanian law did not criminalize all forms of smuggling.",
     {("Ruritanian law", "does not criminalize", "all forms of smuggling")}),
    ("agentless passive of a government's deed: the government's, marked implied",
     "Thailand is a source country. In 2030, 120 victims were identified.",
     {("Government of Thailand", "identifies", "120 victims")}),
    ("control verb passes its subject", "The Macao SAR Government continues to cooperate with NGOs.",
     {("Macao SAR Government", "cooperates with", "NGOs")}),
    ("acting under a law applies it", "The Harbour Police prosecuted 31 smugglers under Law No. 7/2031.",
     {("Harbour Police", "prosecutes", "31 smugglers"), ("Harbour Police", "implements", "Law No. 7/2031")}),
    ("named members of an object's 'including' list", "The Council coordinates 15 agencies, including the Harbour "
     "Police and the Fisheries Bureau.", {("Council", "coordinates", "15 agencies"), ("Council", "coordinates", "Harbour Police"),
                                          ("Council", "coordinates", "Fisheries Bureau")}),
    ("a light verb and a verb turned noun", "The Harbour Bureau made groundless accusations against Freedonia and "
     "Ruritania.", {("Harbour Bureau", "accuses", "Freedonia"), ("Harbour Bureau", "accuses", "Ruritania")}),
    ("takes note of", "The Harbour Bureau takes note of the 2031 Trafficking in Persons Report.",
     {("Harbour Bureau", "notes", "2031 Trafficking in Persons Report")}),
    ("expressed opposition to", "The Harbour Bureau expressed strong opposition to the 2031 TIP Report.",
     {("Harbour Bureau", "opposes", "2031 Trafficking in Persons Report")}),
    ("a negated light verb", "The Harbour Bureau did not make any accusation against Freedonia.",
     {("Harbour Bureau", "does not accuse", "Freedonia")}),
    ("a fronted legal basis too", "Under Republic Act No. 20455, the Coast Guard inspected 40 boats.",
     {("Coast Guard", "implements", "Republic Act No. 20455")}),
]


@pytest.mark.parametrize("text", [
    "The Harbour Police did not prosecute anyone under Law No. 7/2031.",
    "The smugglers under the control of the gang were arrested by the Harbour Police.",
    "The Harbour Police may prosecute smugglers under Law No. 7/2031.",
], ids=["not when negated", "not a person under someone's control", "not when only possible"])
def test_under_a_law_asserts_nothing_else(nlp, text):
    assert not [t for t in triples(nlp, text) if t[1] == "implements"], triples(nlp, text)


@pytest.mark.parametrize("text, expected", [(t, e) for _, t, e in SVO], ids=[n for n, _, _ in SVO])
def test_svo(nlp, text, expected):
    got = triples(nlp, text)
    assert expected <= {(s.split(" (")[0], p, o.split(" (")[0]) for s, p, o in got}, got


NEGATION = [
    ("never is not asserted", "Forced labour has never been identified by the Macao SAR Government.", "never"),
    ("not on the verb", "The Macao SAR Government did not convict any trafficker.", "does not convict"),
    ("no on the object", "The Macao SAR Government reported no prosecutions.", "reports no"),
    ("failed to", "The Macao SAR Government failed to convict the recruiters.", "does not convict"),
    ("refused to", "The Ministry of Labour refused to register the recruitment agencies.", "does not register"),
    ("no efforts made to do", "The Ministry of Labour did not make efforts to reduce the demand for forced labour.",
     "does not make efforts to reduce"),
    ("no steps taken to do", "The Harbour Police did not take steps to protect the fishermen.",
     "does not take steps to protect"),
]


def test_list_item_verb_read_as_a_modifier_is_the_items_verb(nlp):
    text = ("The Ruritania Harbour Plan includes several new initiatives:\n\n"
            "(c) appoint dedicated inspectors or officers in the relevant port authorities to handle complaints;\n\n"
            "(d) appoint dedicated teams in the relevant harbour divisions, and setting up a new dedicated Fisheries "
            "Division in the bureau to ensure effective patrols;")
    got = triples(nlp, text)
    assert {("Ruritania Harbour Plan", "appoints", "dedicated inspectors"), ("Ruritania Harbour Plan", "appoints", "officers"),
            ("Ruritania Harbour Plan", "appoints", "dedicated teams"),
            ("Ruritania Harbour Plan", "sets up", "Fisheries Division")} <= got, got
    assert not any("appoint" in s or "appoint" in o for s, _, o in got), got


def test_not_failing_to_do_is_doing(nlp):
    facts = facts_of(nlp, "The Ministry of Labour did not fail to inspect the boats.")
    assert [(f.label, f.negated) for f in facts] == [("inspects", False)], facts


@pytest.mark.parametrize("text, word", [(t, w) for _, t, w in NEGATION], ids=[n for n, _, _ in NEGATION])
def test_negation_is_kept_on_the_fact(nlp, text, word):
    facts = facts_of(nlp, text)
    assert facts and all(f.negated for f in facts), facts
    assert any(word in f.label for f in facts), [f.label for f in facts]


def test_copula_with_negation_makes_no_positive_fact(nlp):
    got = triples(nlp, "Human trafficking has never been a prevalent problem in the Macao SAR.")
    assert not any("prevalent problem" in o and "not" not in p and "never" not in p for _, p, o in got), got


def test_modal_marks_fact_possible(nlp):
    facts = facts_of(nlp, "The Macao SAR Government may prosecute the recruiters.")
    assert facts and facts[0].modality == "possible"


MODALITY = [
    ("ready to is an intention, labelled so", "Ruritania stands ready to discuss with Freedonia on the issue.",
     ("Ruritania", "ready to discuss with", "Freedonia"), "intended"),
    ("willing to keeps the object", "The Ministry of Labour is willing to sign the agreement with Freedonia.",
     ("Ministry of Labour", "willing to sign agreement with", "Freedonia"), "intended"),
    ("hoping to work with: the hoper seeks cooperation", "The Ministry of Labour hopes to cooperate with NGOs.",
     ("Ministry of Labour", "hopes to cooperate with", "NGOs"), "desired"),
    ("hoping another works with us: the other should", "Ruritania hoped that Freedonia will closely work with Ruritania.",
     ("Freedonia", "should closely work with", "Ruritania"), "desired"),
    ("a hoped-for deed is not done", "The Ministry of Labour expects that NGOs will provide shelters.",
     ("NGOs", "should provide", "shelters"), "desired"),
    ("hoping to do it oneself", "The Ministry of Labour hopes to open two shelters.",
     ("Ministry of Labour", "hopes to open", "two shelters"), "desired"),
    ("may reads as may", "The Ministry of Justice may prosecute the recruiters.",
     ("Ministry of Justice", "may prosecute", "recruiters"), "possible"),
    ("object control: the one urged is the doer", "Ruritania urges Freedonia to stop publishing such reports.",
     ("Freedonia", "should not publish", "such reports"), "desired"),
    ("asked to: a request, not a deed", "The Ministry of Labour asked the recruitment agencies to register their workers.",
     ("recruitment agencies", "should register", "workers"), "desired"),
    ("may not", "The Ministry of Justice may not detain the victims.", ("Ministry of Justice", "may not detain", "victims"),
     "possible"),
    ("intention reaches a purpose clause", "Ruritania stands ready to talk with Freedonia and work with each other "
     "to prevent smuggling.", ("Ruritania", "ready to prevent", "smuggling"), "intended"),
    ("a possessor's efforts to do: attempted, the possessor's", "The Ministry of Labour praised the Harbour Bureau's "
     "efforts to protect fishermen.", ("Harbour Bureau", "makes efforts to protect", "fishermen"), "attempted"),
    ("its efforts to do: attempted, the subject's", "Ruritania is continuing its efforts to implement the Palermo Protocol.",
     ("Ruritania", "continues efforts to implement", "Palermo Protocol"), "attempted"),
    ("efforts made to do: attempted, not done", "The Ministry of Labour made efforts to reduce the demand for forced labour.",
     ("Ministry of Labour", "makes efforts to reduce", "demand for forced labour"), "attempted"),
    ("tried to: attempted", "The Harbour Police tried to stop the smugglers.", ("Harbour Police", "tries to stop", "smugglers"),
     "attempted"),
    ("should: an obligation, not a deed", "Freedonia should amend the Labour Code.", ("Freedonia", "should amend", "Labour Code"),
     "obligation"),
    ("must not: an obligation", "The Harbour Police must not detain the fishermen.",
     ("Harbour Police", "must not detain", "fishermen"), "obligation"),
    ("will: intended, not yet done", "The Ministry of Labour will sign the agreement next year.",
     ("Ministry of Labour", "will sign", "agreement"), "intended"),
    ("allegedly reads as allegedly", "The Ministry of Justice allegedly detained the victims.",
     ("Ministry of Justice", "allegedly detains", "victims"), "possible"),
]


@pytest.mark.parametrize("text, triple, modality", [r[1:] for r in MODALITY], ids=[r[0] for r in MODALITY])
def test_intentions_and_wishes_are_not_deeds(nlp, text, triple, modality):
    facts = facts_of(nlp, text)
    hits = [f for f in facts if (f.subject.label.split(" (")[0], f.label, f.obj.label.split(" (")[0]) == triple]
    assert hits and all(f.modality == modality for f in hits), [(f.subject.label, f.label, f.obj.label, f.modality) for f in facts]
    assert not any(f.modality == "asserted" and f.label.startswith(("discusses", "cooperates", "provides", "signs",
                                                                    "opens", "prosecutes", "detains"))
                   for f in facts)


def test_date_stays_attached_to_its_fact(nlp):
    got = triples(nlp, "The Macao SAR Government has not convicted a trafficker since 2029.")
    assert ("Macao SAR Government", "does not convict since", "2029") in got, got
    main = [f for f in facts_of(nlp, "The Labour Affairs Bureau conducted around 11 300 screenings in 2029.")
            if f.obj.label.endswith("screenings")]
    assert main and main[0].obj.label == "around 11 300 screenings"
    assert ("date", "in 2029") in main[0].qualifiers


@pytest.mark.parametrize("text, triple", [
    ("In 2029, the Ruritanian Government issued Decree No. 12/2029 on labour brokers.",
     ("Decree No. 12/2029", "issued in", "2029")),
    ("Since 2028, when the Government issued Resolution No. 5/NQ-CP, the ministries have intensified patrols.",
     ("Resolution No. 5/NQ-CP", "issued in", "2028")),
    ("The Legislative Assembly passed Administrative Regulation No. 25/2030 in March 2030.",
     ("Administrative Regulation No. 25/2030", "passed in", "2030-03")),
], ids=["date preposition", "when-clause on a date", "passed in a month"])
def test_issuing_date_dates_the_instrument(nlp, text, triple):
    assert triple in triples(nlp, text)


def test_a_date_does_not_date_what_is_not_issued(nlp):
    got = triples(nlp, "In 2029, the Ruritanian Government trained 300 officers.")
    assert not any(p.startswith("issued") for _, p, _ in got), got


def test_quantity_stays_in_the_object(nlp):
    got = triples(nlp, "The Macao SAR Government allocated 5.5 million patacas to victim support.")
    assert any(o == "5.5 million patacas" for _, _, o in got), got


def test_someone_elses_action_noun_is_not_the_subjects_deed(nlp):
    got = triples(nlp, "After the Council's adoption of the Harbour Plan, the Ministry of Labour hired inspectors.")
    assert not any(p == "adopts" and s.startswith("Ministry") for s, p, _ in got), got
    assert ("Council", "adopts", "Harbour Plan") in got, got      # the noun's own agent does it


def test_bracketed_items_are_not_more_objects(nlp):
    got = triples(nlp, "Ruritania follows the 3R approach (rescue, rehabilitation and reintegration) in all cases.")
    assert not any(p == "follows" and o in ("rescue", "rehabilitation", "reintegration") for _, p, o in got), got


@pytest.mark.parametrize("text", [
    "The Ministry of Community Development, Youth and Sports (MCYS) met.",
    "The Bureau (set up in 2001, 2002 and 2003) met.",
], ids=["acronym is no list", "clause in brackets is no list"])
def test_bracket_that_is_no_list_makes_no_parts(nlp, text):
    assert not any(p == "comprises" for _, p, _ in triples(nlp, text))


def test_bracketed_conjunct_is_not_a_second_subject(nlp):
    got = triples(nlp, "The Ruritania Fisheries Taskforce, co-chaired by the Ministry of Tides (MOT) and the "
                       "Ministry of Nets (MON), has stepped up patrols.")
    assert not any(s.startswith("Ministry of Nets") and p == "strengthens" for s, p, _ in got), got


def test_trafficking_is_a_thing_not_a_deed(nlp):
    got = triples(nlp, "The government did not report any investigations, prosecutions, or convictions of government "
                       "employees complicit in trafficking crimes.")
    assert not any(p.startswith("traffic") for _, p, _ in got), got


@pytest.mark.parametrize("text", [
    "Thailand is a source country. The 2031 TIP Report was released in June.",
    "Thailand is a source country. Thailand was downgraded to Tier 3.",
    "The victims were identified in 2030.",
], ids=["a report is not the government's", "a ranking is not the government's", "no jurisdiction, no implied agent"])
def test_agentless_passive_without_a_government_deed(nlp, text):
    assert not any(("agent", "implied") in f.qualifiers for f in facts_of(nlp, text))


def test_implied_agent_is_marked_and_negation_kept(nlp):
    facts = [f for f in facts_of(nlp, "Thailand is a source country. No victims were identified among fishermen.")
             if f.prop == "identifies"]
    assert facts and all(f.negated and ("agent", "implied") in f.qualifiers for f in facts), facts


@pytest.mark.parametrize("text", ["The government screened vulnerable populations, such as individuals in commercial sex."])
def test_such_as_gives_examples_not_a_role(nlp, text):
    assert not any(" as " in o for _, _, o in triples(nlp, text))


def test_abstract_subjects_make_no_facts(nlp):
    assert triples(nlp, "The aim to smear the Macao SAR proves its lack of credibility.") == set()


@pytest.mark.parametrize("text", ["The Harbour Bureau has made great efforts.", "The Harbour Bureau made accusations in 2031."],
                         ids=["a noun that is no verb", "no one accused"])
def test_a_light_verb_alone_says_nothing(nlp, text):
    assert triples(nlp, text) == set() or all(p not in ("accuses", "makes") for _, p, _ in triples(nlp, text))
