"""Paraphrases of each relation kg extracts, and the ways of saying it is *not* done.

Each positive row is one syntactic form (active, passive, nominalisation, support verb, relative
clause, participle, coordination, control, apposition) of one relation and names a fact that must
be stated as done. Each negative row wraps a deed in negation, modality, a condition or a report
and names a fact that must never be stated as done: no unnegated, asserted fact (the kind kg/rdf.py
states as a plain triple) with that subject and property. Sentences are written for the test.
"""
from __future__ import annotations

import pytest
from helpers import facts_of


def xf(reason: str):
    """A positive row the extraction does not yet read (strict: a fix makes it pass, then unmark)."""
    return pytest.mark.xfail(strict=True, reason=reason)


# (id, text, subject fragment, property, object fragment[, marks])
POSITIVE = [
    # publishes a report
    ("publish active", "The Harbour Bureau published the 2031 Fisheries Report.", "Harbour Bureau", "publishes", "Fisheries Report"),
    ("publish passive", "The 2031 Fisheries Report was published by the Harbour Bureau.", "Harbour Bureau", "publishes", "Fisheries Report"),
    ("release active", "The Ministry of Tides released the 2031 Coastal Report in June.", "Ministry of Tides", "publishes", "Coastal Report"),
    ("release passive", "The 2031 Coastal Report was released by the Ministry of Tides.", "Ministry of Tides", "publishes", "Coastal Report"),
    ("publish participle", "The 2031 Fisheries Report, published by the Harbour Bureau, covers twelve ports.", "Harbour Bureau", "publishes", "Fisheries Report"),
    ("publish fronted participle", "Published by the Harbour Bureau in May, the 2031 Fisheries Report covers twelve ports.", "Harbour Bureau", "publishes", "Fisheries Report",
     xf("a fronted participle with a by-agent ('Published by X, the report …') is not read as a passive of the main subject")),
    ("publish relative clause", "The Harbour Bureau, which published the 2031 Fisheries Report, met on Monday.", "Harbour Bureau", "publishes", "Fisheries Report"),
    ("publish nominalisation", "The publication of the 2031 Fisheries Report by the Harbour Bureau drew attention.", "Harbour Bureau", "publishes", "Fisheries Report"),
    ("publish coordinated verbs", "The Harbour Bureau compiled and published the 2031 Fisheries Report.", "Harbour Bureau", "publishes", "Fisheries Report"),
    ("publish coordinated objects first", "The Harbour Bureau published the 2031 Fisheries Report and the 2031 Ports Report.", "Harbour Bureau", "publishes", "Fisheries Report"),
    ("publish coordinated objects second", "The Harbour Bureau published the 2031 Fisheries Report and the 2031 Ports Report.", "Harbour Bureau", "publishes", "Ports Report"),
    ("publish control", "The Harbour Bureau continued to publish the 2031 Fisheries Report.", "Harbour Bureau", "publishes", "Fisheries Report"),
    ("publish apposition", "The Harbour Bureau, the regulator of the ports, published the 2031 Fisheries Report.", "Harbour Bureau", "publishes", "Fisheries Report"),
    ("publish coordinated subjects", "The Harbour Bureau and the Ministry of Tides published the 2031 Fisheries Report.", "Ministry of Tides", "publishes", "Fisheries Report"),
    ("issue active", "The Ministry of Tides issued the 2031 Coastal Report.", "Ministry of Tides", "issues", "Coastal Report"),
    # ranks / places at tier
    ("place on tier", "The 2031 Trafficking in Persons Report placed Freedonia on Tier 2.", "Freedonia", "ranksAt", "Tier 2"),
    ("rank at tier", "The 2031 Trafficking in Persons Report ranked Freedonia at Tier 3.", "Freedonia", "ranksAt", "Tier 3"),
    ("placed passive", "Freedonia was placed on Tier 2 in the 2031 Trafficking in Persons Report.", "Freedonia", "ranksAt", "Tier 2"),
    ("downgraded passive", "Freedonia was downgraded to Tier 3 in the 2031 Trafficking in Persons Report.", "Freedonia", "ranksAt", "Tier 3"),
    ("upgraded active", "The 2031 Trafficking in Persons Report upgraded Ruritania to Tier 1.", "Ruritania", "ranksAt", "Tier 1"),
    ("rank relative clause", "The 2031 Trafficking in Persons Report, which placed Freedonia on Tier 2, was released in June.", "Freedonia", "ranksAt", "Tier 2"),
    ("rank coordinated objects", "The 2031 Trafficking in Persons Report placed Freedonia and Ruritania on Tier 2.", "Ruritania", "ranksAt", "Tier 2"),
    ("rank fronted participle", "Ranked on Tier 2 in the 2031 Trafficking in Persons Report, Freedonia expanded its shelters.", "Freedonia", "ranksAt", "Tier 2"),
    ("remain on tier", "Freedonia remained on Tier 2 in the 2031 Trafficking in Persons Report.", "Freedonia", "ranksAt", "Tier 2"),
    ("report ranks area", "The 2031 Trafficking in Persons Report ranked Freedonia at Tier 3.", "Trafficking in Persons Report", "ranks", "Freedonia"),
    # enacts / amends a law
    ("enact active", "The National Assembly enacted the Fisheries Act 2031.", "National Assembly", "enacts", "Fisheries Act"),
    ("enact passive", "The Fisheries Act 2031 was enacted by the National Assembly.", "National Assembly", "enacts", "Fisheries Act"),
    ("pass active", "The National Assembly passed Law No. 7/2031 in March.", "National Assembly", "enacts", "Law No. 7/2031"),
    ("pass passive", "Law No. 7/2031 was passed by the National Assembly in March.", "National Assembly", "enacts", "Law No. 7/2031"),
    ("amend active", "The National Assembly amended the Labour Code in 2031.", "National Assembly", "amends", "Labour Code"),
    ("amend passive", "The Labour Code was amended by the National Assembly in 2031.", "National Assembly", "amends", "Labour Code"),
    ("enact nominalisation", "The enactment of the Fisheries Act 2031 by the National Assembly closed a loophole.", "National Assembly", "enacts", "Fisheries Act"),
    ("amend nominalisation", "The amendment of the Labour Code by the National Assembly raised penalties.", "National Assembly", "amends", "Labour Code"),
    ("enact relative clause", "The National Assembly, which enacted the Fisheries Act 2031, meets monthly.", "National Assembly", "enacts", "Fisheries Act"),
    ("enact fronted participle", "Enacted by the National Assembly in 2031, the Fisheries Act protects crews.", "National Assembly", "enacts", "Fisheries Act",
     xf("a fronted participle with a by-agent ('Published by X, the report …') is not read as a passive of the main subject")),
    ("enact participle", "The Fisheries Act 2031, enacted by the National Assembly, protects crews.", "National Assembly", "enacts", "Fisheries Act"),
    ("enact coordinated verbs", "The National Assembly drafted and enacted the Fisheries Act 2031.", "National Assembly", "enacts", "Fisheries Act"),
    ("amend coordinated objects", "The National Assembly amended the Labour Code and the Penal Code.", "National Assembly", "amends", "Penal Code"),
    ("pass control", "The National Assembly managed to pass Law No. 7/2031.", "National Assembly", "enacts", "Law No. 7/2031"),
    ("promulgate active", "The National Assembly promulgated Decree No. 4/2031.", "National Assembly", "enacts", "Decree No. 4/2031",
     xf("the tagger reads 'promulgated' before a merged law name as its modifier: the sentence has no verb")),
    ("pass apposition", "The National Assembly, the country's legislature, passed Law No. 7/2031.", "National Assembly", "enacts", "Law No. 7/2031"),
    ("enact coordinated subjects", "The National Assembly and the Senate of Ruritania enacted the Fisheries Act 2031.", "Senate", "enacts", "Fisheries Act"),
    # signs an agreement / MoU with
    ("sign MoU with", "The Ministry of Tides signed a memorandum of understanding with the Government of Freedonia.", "Ministry of Tides", "signs", "Government of Freedonia"),
    ("sign named agreement", "The Ministry of Tides signed the Coastal Cooperation Agreement.", "Ministry of Tides", "signs", "Coastal Cooperation Agreement"),
    ("sign passive", "The Coastal Cooperation Agreement was signed by the Ministry of Tides.", "Ministry of Tides", "signs", "Coastal Cooperation Agreement"),
    ("sign coordinated subjects", "Ruritania and Freedonia signed the Coastal Cooperation Agreement in May.", "Freedonia", "signs", "Coastal Cooperation Agreement"),
    ("sign relative clause", "The Ministry of Tides, which signed the Coastal Cooperation Agreement, met on Monday.", "Ministry of Tides", "signs", "Coastal Cooperation Agreement"),
    ("sign nominalisation", "The signing of the Coastal Cooperation Agreement by Ruritania was welcomed.", "Ruritania", "signs", "Coastal Cooperation Agreement",
     xf("entity merging swallows 'by Ruritania' into the agreement's name, so the noun has no agent")),
    ("sign coordinated verbs", "Ruritania signed and ratified the Coastal Cooperation Agreement.", "Ruritania", "signs", "Coastal Cooperation Agreement"),
    ("sign with coordinated partners", "The Ministry of Tides signed memoranda of understanding with Freedonia and Valdoria.", "Ministry of Tides", "signs", "Valdoria"),
    ("sign participle", "The Coastal Cooperation Agreement, signed by Ruritania in 2030, took effect in 2031.", "Ruritania", "signs", "Coastal Cooperation Agreement"),
    ("sign fronted participle", "Signed by Ruritania in 2030, the Coastal Cooperation Agreement took effect in 2031.", "Ruritania", "signs", "Coastal Cooperation Agreement",
     xf("a fronted participle with a by-agent ('Published by X, the report …') is not read as a passive of the main subject")),
    ("sign control", "The Ministry of Tides went on to sign the Coastal Cooperation Agreement.", "Ministry of Tides", "signs", "Coastal Cooperation Agreement"),
    ("sign apposition", "The Ministry of Tides, the lead agency on fisheries, signed the Coastal Cooperation Agreement.", "Ministry of Tides", "signs", "Coastal Cooperation Agreement"),
    ("sign MoU passive with", "A memorandum of understanding with Valdoria was signed by the Ministry of Tides.", "Ministry of Tides", "signs", "Valdoria"),
    # sanctions / designates
    ("sanction active", "The Ministry of Finance sanctioned the Blue Tide Shipping Company.", "Ministry of Finance", "sanctions", "Blue Tide Shipping Company"),
    ("sanction passive", "The Blue Tide Shipping Company was sanctioned by the Ministry of Finance.", "Ministry of Finance", "sanctions", "Blue Tide Shipping Company"),
    ("sanction coordinated objects", "The Ministry of Finance sanctioned the Blue Tide Shipping Company and the Red Harbour Association.", "Ministry of Finance", "sanctions", "Red Harbour Association"),
    ("sanction relative clause", "The Ministry of Finance, which sanctioned the Blue Tide Shipping Company, met on Monday.", "Ministry of Finance", "sanctions", "Blue Tide Shipping Company"),
    ("sanction participle", "The Blue Tide Shipping Company, sanctioned by the Ministry of Finance, lost its licence.", "Ministry of Finance", "sanctions", "Blue Tide Shipping Company"),
    ("sanction support verb", "The Ministry of Finance imposed sanctions on the Blue Tide Shipping Company.", "Ministry of Finance", "sanctions", "Blue Tide Shipping Company"),
    ("sanction coordinated verbs", "The Ministry of Finance investigated and sanctioned the Blue Tide Shipping Company.", "Ministry of Finance", "sanctions", "Blue Tide Shipping Company"),
    ("sanction apposition", "The Ministry of Finance, the country's treasury, sanctioned the Blue Tide Shipping Company.", "Ministry of Finance", "sanctions", "Blue Tide Shipping Company"),
    ("designate active", "The Ministry of Finance designated the Red Harbour Association as a terrorist group.", "Ministry of Finance", "designates", "Red Harbour Association"),
    ("designate passive", "The Red Harbour Association was designated by the Ministry of Finance as a terrorist group.", "Ministry of Finance", "designates", "Red Harbour Association"),
    ("designate nominalisation", "The designation of the Red Harbour Association by the Ministry of Finance froze its assets.", "Ministry of Finance", "designates", "Red Harbour Association"),
    ("designate participle", "The Red Harbour Association, designated by the Ministry of Finance in May, closed its offices.", "Ministry of Finance", "designates", "Red Harbour Association"),
    ("list active", "The Ministry of Finance listed the Red Harbour Association.", "Ministry of Finance", "designates", "Red Harbour Association"),
    ("sanction control", "The Ministry of Finance went on to sanction the Blue Tide Shipping Company.", "Ministry of Finance", "sanctions", "Blue Tide Shipping Company",
     xf("the tagger reads 'sanction' after 'went on to' as a noun")),
    # charges / arrests
    ("arrest active", "The Harbour Police arrested three smugglers.", "Harbour Police", "detains", "three smugglers"),
    ("arrest passive", "Three smugglers were arrested by the Harbour Police.", "Harbour Police", "detains", "smugglers"),
    ("detain active", "The Harbour Police detained five recruiters in May.", "Harbour Police", "detains", "five recruiters"),
    ("arrest coordinated verbs", "The Harbour Police arrested and charged two captains.", "Harbour Police", "detains", "two captains"),
    ("charge coordinated verbs", "The Harbour Police arrested and charged two captains.", "Harbour Police", "charges", "two captains"),
    ("charge active", "The Harbour Police charged two captains with forced labour.", "Harbour Police", "charges", "two captains"),
    ("charge passive", "Two captains were charged by the Harbour Police with forced labour.", "Harbour Police", "charges", "captains"),
    ("arrest relative clause", "The Harbour Police, which arrested three smugglers, is based in Port Vell.", "Harbour Police", "detains", "three smugglers"),
    ("arrest nominalisation", "The arrest of three smugglers by the Harbour Police made the news.", "Harbour Police", "detains", "three smugglers"),
    ("arrest participle", "The smugglers, arrested by the Harbour Police in May, face trial.", "Harbour Police", "detains", "smugglers"),
    ("arrest coordinated objects", "The Harbour Police arrested three smugglers and two recruiters.", "Harbour Police", "detains", "two recruiters"),
    ("arrest control", "The Harbour Police continued to arrest smugglers.", "Harbour Police", "detains", "smugglers"),
    ("arrest apposition", "The Harbour Police, the port's law enforcement arm, arrested three smugglers.", "Harbour Police", "detains", "three smugglers"),
    ("charge relative clause", "The Harbour Police, which charged two captains, is based in Port Vell.", "Harbour Police", "charges", "two captains"),
    # alleges
    ("allege that", "The Lumen Foundation alleged that the Harbour Police detained fishermen.", "Lumen Foundation", "alleges", "detained fishermen"),
    ("claim that", "The Lumen Foundation claimed that the Harbour Police detained fishermen.", "Lumen Foundation", "alleges", "detained fishermen"),
    ("allege coordinated subjects", "The Lumen Foundation and the Tidewatch Institute alleged that the Harbour Police detained fishermen.", "Tidewatch Institute", "alleges", "detained fishermen"),
    ("allege apposition", "The Lumen Foundation, a fishermen's charity, alleged that the Harbour Police detained fishermen.", "Lumen Foundation", "alleges", "detained fishermen"),
    ("allege relative clause", "The Lumen Foundation, which alleged that the Harbour Police detained fishermen, met on Monday.", "Lumen Foundation", "alleges", "detained fishermen"),
    ("accuse active", "The Lumen Foundation accused the Harbour Police of abuses.", "Lumen Foundation", "accuses", "Harbour Police"),
    ("accuse support verb", "The Lumen Foundation made accusations against the Harbour Police.", "Lumen Foundation", "accuses", "Harbour Police"),
    ("allege nominalisation", "The Lumen Foundation made allegations against the Harbour Police.", "Lumen Foundation", "accuses", "Harbour Police"),
    # denies
    ("deny object", "The Ministry of Tides denied the allegations.", "Ministry of Tides", "denies", "allegations"),
    ("deny that", "The Ministry of Tides denied that fishermen were detained.", "Ministry of Tides", "denies", "fishermen were detained"),
    ("refute object", "The Ministry of Tides refuted the allegations of the Lumen Foundation.", "Ministry of Tides", "denies", "allegations"),
    ("deny passive", "The allegations were denied by the Ministry of Tides.", "Ministry of Tides", "denies", "allegations"),
    ("deny coordinated verbs", "The Ministry of Tides rejected and denied the allegations.", "Ministry of Tides", "denies", "allegations"),
    ("deny apposition", "The Ministry of Tides, the regulator of fisheries, denied the allegations.", "Ministry of Tides", "denies", "allegations"),
    ("deny relative clause", "The Ministry of Tides, which denied the allegations, met on Monday.", "Ministry of Tides", "denies", "allegations"),
    ("rebut object", "The Ministry of Tides rebutted the claims of the Lumen Foundation.", "Ministry of Tides", "denies", "claims"),
    # rejects / opposes
    ("reject active", "Ruritania rejects the 2031 Trafficking in Persons Report.", "Ruritania", "rejects", "Trafficking in Persons Report"),
    ("reject passive", "The 2031 Trafficking in Persons Report is rejected by Ruritania.", "Ruritania", "rejects", "Trafficking in Persons Report"),
    ("oppose active", "Ruritania firmly opposes the 2031 Trafficking in Persons Report.", "Ruritania", "opposes", "Trafficking in Persons Report"),
    ("opposition support verb", "Ruritania expressed strong opposition to the 2031 Trafficking in Persons Report.", "Ruritania", "opposes", "Trafficking in Persons Report"),
    ("object to", "Ruritania objected to the 2031 Trafficking in Persons Report.", "Ruritania", "opposes", "Trafficking in Persons Report"),
    ("reject coordinated verbs", "Ruritania rejects and condemns the 2031 Trafficking in Persons Report.", "Ruritania", "rejects", "Trafficking in Persons Report"),
    ("condemn coordinated verbs", "Ruritania rejects and condemns the 2031 Trafficking in Persons Report.", "Ruritania", "opposes", "Trafficking in Persons Report"),
    ("dismiss active", "Ruritania dismissed the 2031 Trafficking in Persons Report.", "Ruritania", "rejects", "Trafficking in Persons Report"),
    ("rejection support verb", "Ruritania voiced its firm rejection of the 2031 Trafficking in Persons Report.", "Ruritania", "rejects", "Trafficking in Persons Report"),
    ("reject apposition", "Ruritania, a coastal state, rejects the 2031 Trafficking in Persons Report.", "Ruritania", "rejects", "Trafficking in Persons Report"),
    ("reject coordinated objects", "Ruritania rejects the 2031 Trafficking in Persons Report and the 2031 Ports Report.", "Ruritania", "rejects", "Ports Report"),
    ("condemn passive", "The 2031 Trafficking in Persons Report was condemned by Ruritania.", "Ruritania", "opposes", "Trafficking in Persons Report"),
    # welcomes
    ("welcome active", "The Lumen Foundation welcomes the Fisheries Act 2031.", "Lumen Foundation", "supports", "Fisheries Act"),
    ("welcome passive", "The Fisheries Act 2031 was welcomed by the Lumen Foundation.", "Lumen Foundation", "supports", "Fisheries Act"),
    ("welcome coordinated verbs", "The Lumen Foundation welcomed and endorsed the Fisheries Act 2031.", "Lumen Foundation", "supports", "Fisheries Act"),
    ("support support verb", "The Lumen Foundation expressed support for the Fisheries Act 2031.", "Lumen Foundation", "supports", "Fisheries Act"),
    ("gave support to", "The Lumen Foundation gave its full support to the Fisheries Act 2031.", "Lumen Foundation", "supports", "Fisheries Act",
     xf("'gave support to' is read as the dative 'provides support', not as the support verb of 'support'")),
    ("took note of", "The Lumen Foundation took note of the 2031 Fisheries Report.", "Lumen Foundation", "notes", "Fisheries Report"),
    ("welcome coordinated objects", "The Lumen Foundation welcomes the Fisheries Act 2031 and the Labour Code.", "Lumen Foundation", "supports", "Labour Code"),
    ("welcome relative clause", "The Lumen Foundation, which welcomed the Fisheries Act 2031, met on Monday.", "Lumen Foundation", "supports", "Fisheries Act"),
    ("welcome apposition", "The Lumen Foundation, a fishermen's charity, welcomed the Fisheries Act 2031.", "Lumen Foundation", "supports", "Fisheries Act"),
    ("appreciation support verb", "The Lumen Foundation expressed appreciation for the Harbour Bureau.", "Lumen Foundation", "appreciates", "Harbour Bureau"),
    # urges / calls on
    ("call on", "Ruritania calls on Freedonia to release the fishermen.", "Ruritania", "urges", "Freedonia"),
    ("urge", "Ruritania urged Freedonia to free the fishermen.", "Ruritania", "urges", "Freedonia"),
    ("appeal to", "Ruritania appealed to Freedonia to free the fishermen.", "Ruritania", "urges", "Freedonia"),
    ("ask to", "Ruritania asked Freedonia to free the fishermen.", "Ruritania", "urges", "Freedonia"),
    ("call on coordinated objects", "Ruritania calls on Freedonia and Valdoria to free the fishermen.", "Ruritania", "urges", "Valdoria"),
    ("call on apposition", "Ruritania, a coastal state, calls on Freedonia to free the fishermen.", "Ruritania", "urges", "Freedonia"),
    ("urge passive", "Freedonia was urged by Ruritania to free the fishermen.", "Ruritania", "urges", "Freedonia"),
    ("call on relative clause", "Ruritania, which called on Freedonia to free the fishermen, met on Monday.", "Ruritania", "urges", "Freedonia"),
    # cooperates with
    ("cooperate with", "The Harbour Police cooperates with the Valdorian Border Police.", "Harbour Police", "cooperatesWith", "Valdorian Border Police"),
    ("work closely with", "The Harbour Police works closely with the Lumen Foundation.", "Harbour Police", "cooperatesWith", "Lumen Foundation"),
    ("partner with", "The Harbour Police partnered with the Lumen Foundation.", "Harbour Police", "cooperatesWith", "Lumen Foundation"),
    ("in cooperation with", "The Harbour Police trained 300 officers in cooperation with the Lumen Foundation.", "Harbour Police", "cooperatesWith", "Lumen Foundation"),
    ("together with", "The Harbour Police ran two shelters together with the Lumen Foundation.", "Harbour Police", "cooperatesWith", "Lumen Foundation"),
    ("cooperate control", "The Harbour Police continues to cooperate with the Lumen Foundation.", "Harbour Police", "cooperatesWith", "Lumen Foundation"),
    ("cooperate coordinated objects", "The Harbour Police cooperates with the Lumen Foundation and the Tidewatch Institute.", "Harbour Police", "cooperatesWith", "Tidewatch Institute"),
    ("cooperate relative clause", "The Harbour Police, which cooperates with the Lumen Foundation, is based in Port Vell.", "Harbour Police", "cooperatesWith", "Lumen Foundation"),
    ("cooperate apposition", "The Harbour Police, the port's law enforcement arm, cooperates with the Lumen Foundation.", "Harbour Police", "cooperatesWith", "Lumen Foundation"),
    ("liaise with", "The Harbour Police liaises with the Lumen Foundation.", "Harbour Police", "cooperatesWith", "Lumen Foundation",
     xf("the tagger reads 'liaises' as a noun")),
    ("cooperate coordinated subjects", "The Harbour Police and the Customs Department cooperate with the Lumen Foundation.", "Customs Department", "cooperatesWith", "Lumen Foundation"),
    # implements a law
    ("implement active", "The Harbour Police implements the Fisheries Act 2031.", "Harbour Police", "implements", "Fisheries Act"),
    ("implement passive", "The Fisheries Act 2031 is implemented by the Harbour Police.", "Harbour Police", "implements", "Fisheries Act"),
    ("enforce active", "The Harbour Police enforces the Fisheries Act 2031.", "Harbour Police", "implements", "Fisheries Act"),
    ("under a law", "Under the Fisheries Act 2031, the Harbour Police inspected 40 boats.", "Harbour Police", "implements", "Fisheries Act"),
    ("implementation framing", "Since the implementation of the Fisheries Act 2031, the Harbour Police has inspected 40 boats.", "Harbour Police", "implements", "Fisheries Act"),
    ("implementation by", "The implementation of the Fisheries Act 2031 by the Harbour Police has reduced abuses.", "Harbour Police", "implements", "Fisheries Act"),
    ("implement coordinated objects", "The Harbour Police implements the Fisheries Act 2031 and the Labour Code.", "Harbour Police", "implements", "Labour Code"),
    ("implement control", "The Harbour Police continues to implement the Fisheries Act 2031.", "Harbour Police", "implements", "Fisheries Act"),
    ("enforce relative clause", "The Harbour Police, which enforces the Fisheries Act 2031, is based in Port Vell.", "Harbour Police", "implements", "Fisheries Act"),
    ("implement participle", "The Fisheries Act 2031, implemented by the Harbour Police, protects crews.", "Harbour Police", "implements", "Fisheries Act"),
    ("enforce law number", "The Harbour Police enforces Law No. 7/2031.", "Harbour Police", "implements", "Law No. 7/2031",
     xf("the tagger reads 'enforces' before a merged law name as a noun: the sentence has no verb")),
    # chairs / leads a committee
    ("chair active", "The Minister of Tides chairs the Anti-Smuggling Committee.", "Anti-Smuggling Committee", "chairedBy", "Minister of Tides"),
    ("chair passive", "The Anti-Smuggling Committee is chaired by the Ministry of Tides.", "Anti-Smuggling Committee", "chairedBy", "Ministry of Tides"),
    ("chair participle", "The Anti-Smuggling Committee, chaired by the Ministry of Tides, meets monthly.", "Anti-Smuggling Committee", "chairedBy", "Ministry of Tides"),
    ("head active", "The Ministry of Tides heads the Anti-Smuggling Committee.", "Anti-Smuggling Committee", "chairedBy", "Ministry of Tides"),
    ("chair relative clause", "The Ministry of Tides, which chairs the Anti-Smuggling Committee, met on Monday.", "Anti-Smuggling Committee", "chairedBy", "Ministry of Tides"),
    ("co-chair participle", "The Anti-Smuggling Committee, co-chaired by the Ministry of Tides and the Harbour Bureau, meets monthly.", "Anti-Smuggling Committee", "coChairedBy", "Harbour Bureau"),
    ("lead passive", "The Anti-Smuggling Committee is led by the Ministry of Tides.", "Ministry of Tides", "coordinates", "Anti-Smuggling Committee"),
    ("under the leadership of", "The Anti-Smuggling Committee, under the leadership of the Ministry of Tides, met twice.", "Ministry of Tides", "coordinates", "Anti-Smuggling Committee"),
    ("chair apposition", "The Ministry of Tides, the lead agency on fisheries, chairs the Anti-Smuggling Committee.", "Anti-Smuggling Committee", "chairedBy", "Ministry of Tides"),
    ("chair coordinated objects", "The Ministry of Tides chairs the Anti-Smuggling Committee and the Fisheries Council.", "Fisheries Council", "chairedBy", "Ministry of Tides"),
    ("chair control", "The Ministry of Tides continues to chair the Anti-Smuggling Committee.", "Anti-Smuggling Committee", "chairedBy", "Ministry of Tides"),
    ("lead active", "The Ministry of Tides leads the Anti-Smuggling Committee.", "Ministry of Tides", "coordinates", "Anti-Smuggling Committee"),
    ("chair as a role", "The Ministry of Tides, as the Chair of the Anti-Smuggling Committee, welcomed the plan.", "Anti-Smuggling Committee", "chairedBy", "Ministry of Tides"),
    ("chair role apposition", "The Ministry of Tides, the chair of the Anti-Smuggling Committee, welcomed the plan.", "Anti-Smuggling Committee", "chairedBy", "Ministry of Tides"),
    ("chair role copular", "The Ministry of Tides is the chair of the Anti-Smuggling Committee.", "Anti-Smuggling Committee", "chairedBy", "Ministry of Tides"),
    ("lead agency role", "The Harbour Police, the lead agency of the Fisheries Taskforce, arrested five men.", "Harbour Police", "coordinates", "Fisheries Taskforce"),
    # an instrument's parts act for it; "this law" is the last law named
    ("part relative clause", "The Fisheries Act 2031 includes provisions that protect crews.", "Fisheries Act", "protects", "crews"),
    ("part possessive", "Parliament passed the Fisheries Act 2031. Its provisions prohibit child labour at sea.", "Fisheries Act", "prohibits", "child labour"),
    ("part of-phrase", "Article 5 of the Labour Code prohibits child labour.", "Labour Code", "prohibits", "child labour"),
    ("part section passive", "Child labour is prohibited by Section 9 of the Labour Code.", "Labour Code", "prohibits", "Child labour"),
    ("kind noun this law", "Parliament passed the Fisheries Act 2031. This law protects crews.", "Fisheries Act", "protects", "crews"),
    ("kind noun through an event", "Parliament passed the Fisheries Act 2031 in May. The adoption of the legislation was a milestone. It protects crews.", "Fisheries Act", "protects", "crews"),
    ("prohibit gerund object", "The Labour Code bans the confiscation of passports.", "Labour Code", "prohibits", "confiscation of passports"),
    # "the two sides" / "both parties" are the parties of the last meeting
    ("two sides after met with", "The Ministry of Tides met with the Harbour Bureau on Monday. The two sides signed the Coastal Cooperation Agreement.", "Harbour Bureau", "signs", "Coastal Cooperation Agreement"),
    ("both parties after met", "The Ministry of Tides met the Harbour Bureau in May. Both parties signed the Coastal Cooperation Agreement.", "Ministry of Tides", "signs", "Coastal Cooperation Agreement"),
    ("two sides through a post", "Maria Lopez, Director of the Lumen Foundation, held talks with the Harbour Bureau. The two sides signed the Coastal Cooperation Agreement.", "Lumen Foundation", "signs", "Coastal Cooperation Agreement"),
    # a fronted clause's list swallows the main subject (the small model's misparse)
    ("subject after fronted list as", "As the Ministry pursues reforms, training and outreach, Minister Ana Ruiz, Chair of the Harbour Council, met with the Lumen Foundation.", "Ana Ruiz", "meets", "Lumen Foundation"),
    ("subject after fronted list while", "While the Bureau deepened dialogue, exchanges and research, Director Tom Hale, head of the Harbour Bureau, signed the Coastal Cooperation Agreement.", "Tom Hale", "signs", "Coastal Cooperation Agreement"),
    # a relative clause with an object gap: the antecedent is the object
    ("object-gap relative which", "The 2031 Fisheries Report, which the Harbour Bureau published in May, covers twelve ports.", "Harbour Bureau", "publishes", "Fisheries Report"),
    ("object-gap relative that", "The Coastal Report that the Harbour Bureau published in May was criticised.", "Harbour Bureau", "publishes", "Coastal Report"),
    ("object-gap relative with a to-party", "The award was an honour that the Ministry of Tides credited to the Harbour Police.", "Ministry of Tides", "relatedTo", "Harbour Police"),
    ("object-gap relative object", "Freedonia rejects the Coastal Cooperation Agreement, which the Ministry of Tides signed.", "Ministry of Tides", "signs", "Coastal Cooperation Agreement"),
    # a participle the model reads as the clause's verb ("the Report released by X has ranked Y")
    ("participle read as verb in that-clause", "The Ministry of Tides is pleased to announce that the 2031 Coastal Report released on 2 May 2031 by the Harbour Bureau has praised the port.", "Harbour Bureau", "publishes", "Coastal Report"),
    ("participle read as verb, the main verb's subject", "We note that the 2031 Coastal Report published on 2 May 2031 by the Harbour Bureau has praised the Lumen Foundation.", "Coastal Report", "appreciates", "Lumen Foundation"),
    # an object pronoun of a conjunct verb is the first verb's object
    ("shared object it", "The National Assembly drafted the Fisheries Act 2031 and enacted it in May.", "National Assembly", "enacts", "Fisheries Act"),
    ("shared object them", "The Harbour Bureau compiled the port inspection reports and published them in June.", "Harbour Bureau", "publishes", "port inspection reports"),
    # a conjunct with a tense of its own keeps its own scope
    ("own tense after will", "The Fisheries Act 2031 will create a licensing office and prohibits child labour.", "Fisheries Act", "prohibits", "child labour"),
    # fixed predicates with an object inside ("hold X to account")
    ("hold to account", "The court held the recruiters to account.", "court", "relatedTo", "recruiters"),
    ("hold to account passive", "The recruiters were held to account by the court.", "court", "relatedTo", "recruiters"),
    ("bring to justice", "The Harbour Police brought the smugglers to justice.", "Harbour Police", "relatedTo", "smugglers"),
    # a time relative to an event
    ("in force relative time", "The Fisheries Act 2031 entered into force 30 days after its publication.", "Fisheries Act", "inForceOn", "30 days after its publication"),
    ("in force relative time past", "The Labour Code took effect six months after its adoption.", "Labour Code", "inForceOn", "six months after its adoption"),
    # "X should …" in the statement's own voice urges X
    ("should urges", "Statement by the Ministry of Tides\nRuritania should lift the fishing ban.", "Ministry of Tides", "urges", "Ruritania"),
    ("must urges", "Statement by the Ministry of Tides\nThe Harbour Police must stop the raids at once.", "Ministry of Tides", "urges", "Harbour Police"),
    ("said should urges", "The Ministry of Tides said that Ruritania should lift the fishing ban.", "Ministry of Tides", "urges", "Ruritania"),
]

# (id, text, subject fragment, property): that subject must not be stated as doing it.
NEGATIVE = [
    # negation
    ("not", "The Harbour Bureau did not publish the 2031 Fisheries Report.", "Harbour Bureau", "publishes"),
    ("not passive", "The Fisheries Act 2031 was not enacted by the National Assembly.", "National Assembly", "enacts"),
    ("not contracted", "The Ministry of Finance didn't sanction the Blue Tide Shipping Company.", "Ministry of Finance", "sanctions"),
    ("never", "The Ministry of Tides has never signed the Coastal Cooperation Agreement.", "Ministry of Tides", "signs"),
    ("never arrest", "The Harbour Police never arrested the three smugglers.", "Harbour Police", "detains"),
    ("no longer", "The Harbour Police no longer cooperates with the Lumen Foundation.", "Harbour Police", "cooperatesWith"),
    ("no longer implement", "The Harbour Police no longer implements the Fisheries Act 2031.", "Harbour Police", "implements"),
    ("by no means", "The Harbour Police by no means implements the Fisheries Act 2031.", "Harbour Police", "implements"),
    ("has yet to", "The National Assembly has yet to enact the Fisheries Act 2031.", "National Assembly", "enacts"),
    ("has yet to sign", "Ruritania has yet to sign the Coastal Cooperation Agreement.", "Ruritania", "signs"),
    ("failed to", "The National Assembly failed to amend the Labour Code.", "National Assembly", "enacts"),
    ("failed to arrest", "The Harbour Police failed to arrest the smugglers.", "Harbour Police", "detains"),
    ("refused to", "The Ministry of Tides refused to sign the Coastal Cooperation Agreement.", "Ministry of Tides", "signs"),
    ("refused to cooperate", "The Harbour Police refused to cooperate with the Lumen Foundation.", "Harbour Police", "cooperatesWith"),
    ("neither nor subjects", "Neither the Ministry of Tides nor the Harbour Bureau signed the Coastal Cooperation Agreement.", "Ministry of Tides", "signs"),
    ("neither nor second subject", "Neither the Ministry of Tides nor the Harbour Bureau signed the Coastal Cooperation Agreement.", "Harbour Bureau", "signs"),
    ("neither nor verbs", "The Ministry of Tides neither signed nor ratified the Coastal Cooperation Agreement.", "Ministry of Tides", "signs"),
    ("neither nor objects", "The Harbour Police arrested neither the captains nor the recruiters.", "Harbour Police", "detains"),
    ("rather than verb", "Freedonia rejected rather than welcomed the 2031 Trafficking in Persons Report.", "Freedonia", "supports"),
    ("rather than gerund", "Rather than publishing the 2031 Fisheries Report, the Harbour Bureau withdrew it.", "Harbour Bureau", "publishes"),
    ("denied V-ing", "The Ministry of Tides denied signing the Coastal Cooperation Agreement.", "Ministry of Tides", "signs"),
    ("denied having V-ed", "The Harbour Police denied having arrested the fishermen.", "Harbour Police", "detains"),
    ("refusal to", "The National Assembly's refusal to enact the Fisheries Act 2031 angered NGOs.", "National Assembly", "enacts"),
    ("failure to", "The Harbour Police's failure to arrest the smugglers angered NGOs.", "Harbour Police", "detains"),
    ("not passive sanction", "The Blue Tide Shipping Company was not sanctioned by the Ministry of Finance.", "Ministry of Finance", "sanctions"),
    ("not welcome", "The Lumen Foundation did not welcome the Fisheries Act 2031.", "Lumen Foundation", "supports"),
    ("never chaired", "The Ministry of Tides has never chaired the Anti-Smuggling Committee.", "Anti-Smuggling Committee", "chairedBy"),
    # questions
    ("question did", "Did the Ministry of Tides sign the Coastal Cooperation Agreement?", "Ministry of Tides", "signs"),
    ("question has", "Has the National Assembly enacted the Fisheries Act 2031?", "National Assembly", "enacts"),
    ("question wh", "Why did the Harbour Police arrest the fishermen?", "Harbour Police", "detains"),
    # possibility
    ("is likely to", "The Ministry of Tides is likely to sign the Coastal Cooperation Agreement.", "Ministry of Tides", "signs"),
    ("is unlikely to", "The National Assembly is unlikely to enact the Fisheries Act 2031.", "National Assembly", "enacts"),
    ("may", "The Ministry of Finance may sanction the Blue Tide Shipping Company.", "Ministry of Finance", "sanctions"),
    ("might", "The Harbour Police might arrest the smugglers.", "Harbour Police", "detains"),
    ("could", "The National Assembly could amend the Labour Code.", "National Assembly", "enacts"),
    ("may have", "The Harbour Bureau may have published the 2031 Fisheries Report.", "Harbour Bureau", "publishes"),
    ("it is unclear whether", "It is unclear whether the Ministry of Tides signed the Coastal Cooperation Agreement.", "Ministry of Tides", "signs"),
    ("it remains to be seen whether", "It remains to be seen whether the Harbour Police implements the Fisheries Act 2031.", "Harbour Police", "implements"),
    ("whether or not", "The Harbour Police did not say whether it arrested the smugglers.", "Harbour Police", "detains"),
    # obligation
    ("should", "The National Assembly should amend the Labour Code.", "National Assembly", "enacts"),
    ("two sides without a meeting", "The Ministry of Tides criticised the Harbour Bureau. The two sides signed the Coastal Cooperation Agreement.", "Harbour Bureau", "signs"),
    ("two sides after a meeting not held", "The Ministry of Tides did not meet the Harbour Bureau. The two sides signed the Coastal Cooperation Agreement.", "Ministry of Tides", "signs"),
    ("object-gap relative negated", "The 2031 Fisheries Report, which the Harbour Bureau did not publish, covers twelve ports.", "Harbour Bureau", "publishes"),
    ("passive by-gerund is not the patient's", "The fishermen were identified by screening migrant workers.", "fishermen", "investigates"),
    ("purpose list second item", "For the purpose of protecting crews, preventing the abuse of workers, and combating smuggling, the Ministry of Tides inspects boats.", "Ministry of Tides", "prevents"),
    ("purpose list third item", "For the purpose of protecting crews, preventing the abuse of workers, and combating smuggling, the Ministry of Tides inspects boats.", "Ministry of Tides", "combats"),
    ("role copular negated", "The Ministry of Tides is not the chair of the Anti-Smuggling Committee.", "Anti-Smuggling Committee", "chairedBy"),
    ("shared object negated", "The Harbour Bureau drafted the 2031 Coastal Report but did not publish it.", "Harbour Bureau", "publishes"),
    ("urged deed not done", "The Ministry of Tides said that Ruritania should lift the fishing ban.", "Ruritania", "relatedTo"),
    ("shall prescribes, not urges", "Statement by the Ministry of Tides\nThe Harbour Police shall serve as the lead agency.", "Ministry of Tides", "urges"),
    ("will then present", "The Fisheries Act 2031 will create a licensing office and protect crews.", "Fisheries Act", "protects"),
    ("should welcome", "The Lumen Foundation should welcome the Fisheries Act 2031.", "Lumen Foundation", "supports"),
    ("ought to", "The Lumen Foundation ought to welcome the Fisheries Act 2031.", "Lumen Foundation", "supports"),
    ("have to", "The Ministry of Tides has to sign the Coastal Cooperation Agreement.", "Ministry of Tides", "signs"),
    ("had to", "The Harbour Police will have to implement the Fisheries Act 2031.", "Harbour Police", "implements"),
    ("must", "The Harbour Police must implement the Fisheries Act 2031.", "Harbour Police", "implements"),
    ("must cooperate", "The Harbour Police must cooperate with the Lumen Foundation.", "Harbour Police", "cooperatesWith"),
    ("need to", "The National Assembly needs to enact the Fisheries Act 2031.", "National Assembly", "enacts"),
    ("is required to", "The Harbour Bureau is required to publish the 2031 Fisheries Report.", "Harbour Bureau", "publishes"),
    # intention and future
    ("plans to", "The Ministry of Tides plans to sign the Coastal Cooperation Agreement.", "Ministry of Tides", "signs"),
    ("intends to", "The Ministry of Finance intends to sanction the Blue Tide Shipping Company.", "Ministry of Finance", "sanctions"),
    ("agreed to future", "The Ministry of Tides agreed to sign the Coastal Cooperation Agreement next year.", "Ministry of Tides", "signs"),
    ("agreed to cooperate", "The Harbour Police agreed to cooperate with the Lumen Foundation.", "Harbour Police", "cooperatesWith"),
    ("is going to", "The Ministry of Tides is going to sign the Coastal Cooperation Agreement.", "Ministry of Tides", "signs"),
    ("is due to", "The Harbour Bureau is due to publish the 2031 Fisheries Report.", "Harbour Bureau", "publishes"),
    ("is set to", "The National Assembly is set to enact the Fisheries Act 2031.", "National Assembly", "enacts"),
    ("is expected to", "The National Assembly is expected to enact the Fisheries Act 2031.", "National Assembly", "enacts"),
    ("will", "The Ministry of Finance will sanction the Blue Tide Shipping Company.", "Ministry of Finance", "sanctions"),
    ("hopes to", "The Harbour Police hopes to cooperate with the Lumen Foundation.", "Harbour Police", "cooperatesWith"),
    ("hopes that", "Ruritania hopes that Freedonia will sign the Coastal Cooperation Agreement.", "Freedonia", "signs"),
    ("considering", "The Ministry of Tides is considering signing the Coastal Cooperation Agreement.", "Ministry of Tides", "signs"),
    ("considering whether", "The Ministry of Finance is considering whether to sanction the Blue Tide Shipping Company.", "Ministry of Finance", "sanctions"),
    ("decided to future", "The National Assembly decided to amend the Labour Code next year.", "National Assembly", "enacts"),
    ("promised to", "The Harbour Bureau promised to publish the 2031 Fisheries Report.", "Harbour Bureau", "publishes"),
    ("pledged to", "The Harbour Police pledged to implement the Fisheries Act 2031.", "Harbour Police", "implements"),
    ("is preparing to", "The Ministry of Finance is preparing to designate the Red Harbour Association.", "Ministry of Finance", "designates"),
    ("wants to", "The Ministry of Tides wants to chair the Anti-Smuggling Committee.", "Anti-Smuggling Committee", "chairedBy"),
    ("urged to", "Ruritania urged Freedonia to sign the Coastal Cooperation Agreement.", "Freedonia", "signs"),
    ("calls on to", "The Lumen Foundation calls on the Harbour Police to implement the Fisheries Act 2031.", "Harbour Police", "implements"),
    # conditions
    ("once", "Once the National Assembly enacts the Fisheries Act 2031, the Harbour Police will implement it.", "National Assembly", "enacts"),
    ("unless", "The Harbour Police arrests smugglers unless the court objects.", "Harbour Police", "detains"),
    ("unless clause", "Unless the National Assembly amends the Labour Code, the Lumen Foundation will protest.", "National Assembly", "enacts"),
    ("in the event that", "In the event that the court agrees, the Harbour Police arrests the smugglers.", "Harbour Police", "detains"),
    ("provided that", "The Ministry of Tides signs the Coastal Cooperation Agreement provided that Freedonia agrees.", "Ministry of Tides", "signs"),
    ("if consequent", "If the court agrees, the Harbour Police arrests the smugglers.", "Harbour Police", "detains"),
    ("if antecedent", "If the National Assembly enacts the Fisheries Act 2031, the Harbour Police will implement it.", "National Assembly", "enacts"),
    ("if trailing", "The Ministry of Finance sanctions the Blue Tide Shipping Company if it breaks the law.", "Ministry of Finance", "sanctions"),
    ("as long as", "The Harbour Police cooperates with the Lumen Foundation as long as the court agrees.", "Harbour Police", "cooperatesWith"),
    ("in case", "In case the court agrees, the Harbour Police arrests the smugglers.", "Harbour Police", "detains"),
    # reported, hearsay and allegation
    ("according to", "According to the Lumen Foundation, the Harbour Police arrested three fishermen.", "Harbour Police", "detains"),
    ("according to trailing", "The Ministry of Finance sanctioned the Blue Tide Shipping Company, according to the Lumen Foundation.", "Ministry of Finance", "sanctions"),
    ("claimed that Y sanctioned Z", "The Lumen Foundation claimed that Freedonia sanctioned the Blue Tide Shipping Company.", "Freedonia", "sanctions"),
    ("alleged that", "The Lumen Foundation alleged that the Harbour Police detained fishermen.", "Harbour Police", "detains"),
    ("NGOs reported that", "NGOs reported that the Harbour Police detained fishermen.", "Harbour Police", "detains"),
    ("media reported that", "Local media reported that the Ministry of Finance sanctioned the Blue Tide Shipping Company.", "Ministry of Finance", "sanctions"),
    ("is accused of", "The Harbour Police is accused of detaining fishermen.", "Harbour Police", "detains"),
    ("was accused of signing", "The Ministry of Tides was accused of signing a secret agreement with Freedonia.", "Ministry of Tides", "signs"),
    ("it is alleged that", "It is alleged that the Harbour Police detained fishermen.", "Harbour Police", "detains"),
    ("it is reported that", "It is reported that the Ministry of Finance sanctioned the Blue Tide Shipping Company.", "Ministry of Finance", "sanctions"),
    ("is said to", "The Harbour Police is said to have detained fishermen.", "Harbour Police", "detains"),
    ("is believed to", "The Harbour Police is believed to have arrested three fishermen.", "Harbour Police", "detains"),
    ("is reported to", "The Ministry of Tides is reported to have signed a secret agreement with Freedonia.", "Ministry of Tides", "signs"),
    ("is alleged to", "The Ministry of Finance is alleged to have sanctioned the Blue Tide Shipping Company.", "Ministry of Finance", "sanctions"),
    ("is suspected of", "The Harbour Police is suspected of detaining fishermen.", "Harbour Police", "detains"),
    ("reportedly", "The Harbour Police reportedly detained fishermen.", "Harbour Police", "detains"),
    ("allegedly", "The Ministry of Finance allegedly sanctioned the Blue Tide Shipping Company.", "Ministry of Finance", "sanctions"),
    ("claims that", "Freedonia claims that Ruritania rejects the 2031 Trafficking in Persons Report.", "Ruritania", "rejects"),
    ("believes that", "The Lumen Foundation believes that the Harbour Police detained fishermen.", "Harbour Police", "detains"),
    # advice
    ("recommended that", "The Lumen Foundation recommended that the National Assembly amend the Labour Code.", "National Assembly", "enacts"),
    ("recommended that should", "The Lumen Foundation recommended that the National Assembly should amend the Labour Code.", "National Assembly", "enacts"),
    ("proposed that", "Freedonia proposed that Ruritania sign the Coastal Cooperation Agreement.", "Ruritania", "signs"),
    ("demanded that", "Ruritania demanded that Freedonia sanction the Blue Tide Shipping Company.", "Freedonia", "sanctions"),
    ("insisted that subjunctive", "The Lumen Foundation insisted that the Harbour Police cooperate with it.", "Harbour Police", "cooperatesWith"),
    # the same hedges on other relations: every mechanism works for any verb
    ("planned nominalisation", "The planned enactment of the Fisheries Act 2031 by the National Assembly was delayed.", "National Assembly", "enacts"),
    ("proposed nominalisation", "The proposed designation of the Red Harbour Association by the Ministry of Finance drew protests.", "Ministry of Finance", "designates"),
    ("alleged nominalisation", "The alleged arrest of three fishermen by the Harbour Police angered NGOs.", "Harbour Police", "detains"),
    ("called for nominalisation", "The Lumen Foundation called for the enactment of the Fisheries Act 2031 by the National Assembly.", "National Assembly", "enacts"),
    ("question likely", "Is the Harbour Police likely to implement the Fisheries Act 2031?", "Harbour Police", "implements"),
    ("is unlikely to designate", "The Ministry of Finance is unlikely to designate the Red Harbour Association.", "Ministry of Finance", "designates"),
    ("is said to publish", "The Harbour Bureau is said to have published the 2031 Fisheries Report.", "Harbour Bureau", "publishes"),
    ("is believed to amend", "The National Assembly is believed to have amended the Labour Code.", "National Assembly", "enacts"),
    ("is accused of rejecting", "Ruritania is accused of rejecting the 2031 Trafficking in Persons Report.", "Ruritania", "rejects"),
    ("is reported to be chaired", "The Anti-Smuggling Committee is reported to be chaired by the Ministry of Tides.", "Anti-Smuggling Committee", "chairedBy"),
    ("if welcomes", "If the Lumen Foundation welcomes the Fisheries Act 2031, the Harbour Police will implement it.", "Lumen Foundation", "supports"),
    ("unless rejects", "Unless Freedonia rejects the 2031 Trafficking in Persons Report, Ruritania will sign the agreement.", "Freedonia", "rejects"),
    ("according to chairs", "According to NGOs, the Ministry of Tides chairs the Anti-Smuggling Committee.", "Anti-Smuggling Committee", "chairedBy"),
    ("neither denied nor confirmed", "The Harbour Police neither denied nor confirmed the allegations.", "Harbour Police", "denies"),
    ("has to cooperate", "The Ministry of Tides has to cooperate with the Harbour Police.", "Ministry of Tides", "cooperatesWith"),
    ("plans to publish", "The Ministry of Tides plans to publish the 2031 Coastal Report.", "Ministry of Tides", "publishes"),
    ("agreed to arrest", "The Harbour Police agreed to arrest the smugglers.", "Harbour Police", "detains"),
    ("denied sanctioning", "The Ministry of Finance denied sanctioning the Blue Tide Shipping Company.", "Ministry of Finance", "sanctions"),
    ("refusal to welcome", "The Lumen Foundation's refusal to welcome the Fisheries Act 2031 surprised Ruritania.", "Lumen Foundation", "supports"),
    ("urged to cooperate", "Ruritania urged Freedonia to cooperate with the Lumen Foundation.", "Freedonia", "cooperatesWith"),
    ("unclear whether ranked", "It is unclear whether the 2031 Trafficking in Persons Report placed Freedonia on Tier 2.", "Freedonia", "ranksAt"),
    ("may place on tier", "The 2031 Trafficking in Persons Report may place Freedonia on Tier 3.", "Freedonia", "ranksAt"),
    ("not placed on tier", "Freedonia was not placed on Tier 3 in the 2031 Trafficking in Persons Report.", "Freedonia", "ranksAt"),
    ("if ranks at tier", "If the 2031 Trafficking in Persons Report ranks Freedonia at Tier 3, Freedonia will protest.", "Freedonia", "ranksAt"),
    ("claimed ranked", "NGOs claimed that the 2031 Trafficking in Persons Report placed Freedonia on Tier 3.", "Freedonia", "ranksAt"),
    ("likely downgraded", "Freedonia is likely to be downgraded to Tier 3.", "Freedonia", "ranksAt"),
    ("question ranked", "Did the 2031 Trafficking in Persons Report place Freedonia on Tier 3?", "Freedonia", "ranksAt"),
    ("hopes to be upgraded", "Freedonia hopes to be upgraded to Tier 1.", "Freedonia", "ranksAt"),
    ("could be downgraded", "Freedonia could be downgraded to Tier 3 next year.", "Freedonia", "ranksAt"),
    ("never chaired passive", "The Anti-Smuggling Committee has never been chaired by the Ministry of Tides.", "Anti-Smuggling Committee", "chairedBy"),
    ("should call on", "Ruritania should call on Freedonia to free the fishermen.", "Ruritania", "urges"),
    ("might urge", "Ruritania might urge Freedonia to free the fishermen.", "Ruritania", "urges"),
    ("did not allege", "The Lumen Foundation did not allege that the Harbour Police detained fishermen.", "Lumen Foundation", "alleges"),
    ("may deny", "The Ministry of Tides may deny the allegations.", "Ministry of Tides", "denies"),
]


def _rows(rows, width):
    out = []
    for row in rows:
        marks = row[width:]
        out.append(pytest.param(*row[1:width], marks=list(marks), id=row[0]))
    return out


def _show(facts) -> list[tuple]:
    return [(f.subject.label, f.prop, f.label, f.obj.label, f.negated, f.modality) for f in facts]


def done(f) -> bool:
    """Stated as done: kg/rdf.py writes such a fact as a plain triple."""
    return not f.negated and f.modality == "asserted"


@pytest.mark.parametrize("text, subject, prop, obj", _rows(POSITIVE, 5))
def test_paraphrase_states_the_fact(nlp, text, subject, prop, obj):
    facts = facts_of(nlp, text)
    assert any(done(f) and f.prop == prop and subject in f.subject.label and obj in f.obj.label
               for f in facts), _show(facts)


@pytest.mark.parametrize("text, subject, prop", _rows(NEGATIVE, 4))
def test_not_done_is_never_stated_as_done(nlp, text, subject, prop):
    facts = facts_of(nlp, text)
    assert not [f for f in facts if done(f) and f.prop == prop and subject in f.subject.label], _show(facts)


def test_ids_are_unique():
    ids = [r[0] for r in POSITIVE] + [r[0] for r in NEGATIVE]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("text, subject, prop, label, modality", [
    ("The Ministry of Tides is likely to sign the Coastal Cooperation Agreement.", "Ministry of Tides", "signs",
     "is likely to sign", "possible"),
    ("The Harbour Police is accused of detaining fishermen.", "Harbour Police", "detains", "is accused of detaining",
     "possible"),
    ("Did the Ministry of Tides sign the Coastal Cooperation Agreement?", "Ministry of Tides", "signs", "signs?", "possible"),
    ("The Ministry of Tides has to sign the Coastal Cooperation Agreement.", "Ministry of Tides", "signs", "has to sign",
     "obligation"),
    ("The Ministry of Tides is considering signing the Coastal Cooperation Agreement.", "Ministry of Tides", "signs",
     "is considering signing", "intended"),
    ("The Harbour Bureau is due to publish the 2031 Fisheries Report.", "Harbour Bureau", "publishes", "is due to publish",
     "intended"),
    ("According to the Lumen Foundation, the Harbour Police arrested three fishermen.", "Harbour Police", "detains",
     "is reported to arrest", "possible"),
    ("If the court agrees, the Harbour Police arrests the smugglers.", "Harbour Police", "detains", "if arrests", "possible"),
    ("The Ministry of Tides denied signing the Coastal Cooperation Agreement.", "Ministry of Tides", "signs",
     "denies signing", "asserted"),
    ("The Ministry of Tides neither signed nor ratified the Coastal Cooperation Agreement.", "Ministry of Tides", "signs",
     "does not sign", "asserted"),
], ids=["likely to", "accused of", "question", "has to", "considering", "due to", "according to", "if", "denied V-ing",
        "neither nor"])
def test_a_hedge_shows_in_the_label(nlp, text, subject, prop, label, modality):
    facts = [f for f in facts_of(nlp, text) if f.prop == prop and subject in f.subject.label]
    assert facts and all(f.label == label and f.modality == modality for f in facts), _show(facts)
