"""kg/rdf.py and ontology/shapes.ttl: what the graph of a build is, and that it stays so.

Part 1 builds small graphs from hand-made records (no spaCy model needed): expected graphs,
stable and valid IRIs, round trips through every rdflib format, the SHACL shapes (and that they
fail on broken graphs), the closed vocabulary and facts.tsv escaping.
Part 2 (marked ``model`` by conftest) checks the real build of data/ end to end.
"""
from __future__ import annotations

import difflib
import hashlib
import re
import subprocess
import sys
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pytest
import rdflib.namespace
import rdflib.parser
import rdflib.plugin
import rdflib.serializer
from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import graph_diff, isomorphic
from rdflib.namespace import DCTERMS, OWL, SKOS

import kg
from kg.documents import Document
from kg.export import TSV_HEADER, facts_tsv
from kg.rdf import build_dataset, doc_iri, entity_iri, fact_iri, graph_iri, literal, union_graph
from kg.records import Entity, Evidence, Fact, Value
from kg.vocab import ID, KG, OA, PROV, SCHEMA, terms

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
SH = Namespace("http://www.w3.org/ns/shacl#")
# A plain Namespace: rdflib's XSD (a closed DefinedNamespace) warns when pytest probes it for mocks.
XSD = Namespace(str(rdflib.namespace.XSD))
BUILD = URIRef(f"https://w3id.org/kg/build/kg-{kg.__version__}")

# rdflib's own serialisers and parsers call its deprecated Dataset API; that noise is not ours.
pytestmark = pytest.mark.filterwarnings(r"ignore:(Dataset\.\w+|ConjunctiveGraph) is deprecated:DeprecationWarning")


# ---------------------------------------------------------------------------------------------
# Hand-made records
# ---------------------------------------------------------------------------------------------

def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


DOC_A = Document(path="statements/doc-a.txt", text="(statement A)", doc_id="doc-a",
                 meta={"title": "Response to the report", "language": "en",
                       "source": "https://example.org/press/1?lang=en (archived copy)"},
                 date="2025-09-30", place="Macao", sha256=sha("statement A"))
DOC_B = Document(path="statements/doc-b.txt", text="(statement B)", doc_id="doc-b", sha256=sha("statement B"))

MACAO = Entity("macao-sar", "Jurisdiction", "Macao SAR")
HONG_KONG = Entity("hong-kong-sar", "Jurisdiction", "Hong Kong SAR")
LAW = Entity("law-6-2008", "Law", "Law No. 6/2008")
TIER2 = Entity("tier-2", "Tier", "Tier 2")
TIER3 = Entity("tier-3", "Tier", "Tier 3")
REPORT = Entity("tip-report-2025", "Report", "2025 Trafficking in Persons Report")
AUTHORITY = Entity("macao-security-authority", "GovernmentBody", "Macao SAR security authority")
VICTIMS = Entity("concept/victims", "Concept", "victims")
CLAIM = Entity("claim/doc-a/residents-were-exploited", "Claim", "Macao residents were exploited")


def ev(doc: Document = DOC_A, start: int = 100, text: str = "Macao SAR implements Law No. 6/2008.") -> Evidence:
    return Evidence(doc.doc_id, start, start + len(text), text)


def fact(subject: Entity, prop: str, obj: Entity | Value, label: str | None = None, *,
         doc: Document = DOC_A, start: int = 100, text: str = "Macao SAR implements Law No. 6/2008.",
         **how) -> Fact:
    return Fact(subject, prop, label or prop, obj, ev(doc, start, text), **how)


F_ASSERTED = fact(MACAO, "implements", LAW)
F_NEGATED = fact(AUTHORITY, "detains", VICTIMS, start=200, text="The police never detain victims.", negated=True)
F_POSSIBLE = fact(MACAO, "cooperatesWith", HONG_KONG, "may cooperate with", start=300,
                  text="Macao SAR may cooperate with Hong Kong SAR.", modality="possible")
F_ATTRIBUTED = fact(MACAO, "implements", LAW, start=400, text="Macao SAR implements the law, the authority said.",
                    attributed_to=AUTHORITY)
F_DATE = fact(AUTHORITY, "issuedOn", Value("2025-09-30", "date"), "issued on", start=0, text="September 30")
F_RANK = fact(MACAO, "ranksAt", TIER3, "ranks at", start=500, text="The 2025 TIP Report placed Macao SAR on Tier 3.",
              qualifiers=(("report", "tip-report-2025"), ("year", "2025")))
F_RANKS = fact(REPORT, "ranks", MACAO, start=500, text=F_RANK.evidence.text,
               qualifiers=(("tier", "tier-3"), ("year", "2025")))
F_ALLEGES = fact(REPORT, "alleges", CLAIM, start=600, text="The report alleges that Macao residents were exploited.")
F_DENIES = fact(AUTHORITY, "denies", CLAIM, start=700, text="In fact, no resident was exploited.")
# Text that breaks naive serialisers: quotes, tabs, newlines, backslashes, angle brackets, non-ASCII.
# (No carriage returns: kg/documents.py normalises line ends, so kg output never contains "\r";
# rdflib's TriX writer puts such text in CDATA, where an XML parser turns "\r" into "\n".)
F_TITLE = fact(LAW, "hasTitle", Value('Combat the "Crime"\tof <Trafficking>\nin Persons \\ – é 💥'), "has title",
               start=800, text='Law No. 6/2008 ("Combat the Crime")\tand\n<more> \\ – é 💥')

# A rich two-document dataset used by the round-trip and shape tests.
RICH_A = [F_DATE, F_ASSERTED, F_NEGATED, F_POSSIBLE, F_ATTRIBUTED, F_RANK, F_RANKS, F_ALLEGES, F_DENIES, F_TITLE]
F_B_ASSERTED = fact(MACAO, "implements", LAW, doc=DOC_B, start=10, text="Macao implements the law.")
F_B_RANK = fact(HONG_KONG, "ranksAt", TIER2, "ranks at", doc=DOC_B, start=50, text="Hong Kong SAR is on Tier 2.",
                qualifiers=(("report", "tip-report-2025"), ("year", "2025")))
F_B_RANKS = fact(REPORT, "ranks", HONG_KONG, doc=DOC_B, start=50, text=F_B_RANK.evidence.text,
                 qualifiers=(("tier", "tier-2"), ("year", "2025")))
RICH = [(DOC_A, AUTHORITY, RICH_A), (DOC_B, None, [F_B_ASSERTED, F_B_RANK, F_B_RANKS])]


def rich_dataset() -> Dataset:
    return build_dataset(RICH)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def diff(expected: Graph, actual: Graph) -> str:
    """graph_diff as readable N-Triples, for assertion messages."""
    _, only_expected, only_actual = graph_diff(expected, actual)
    return ("graphs differ\n--- only in expected:\n" + only_expected.serialize(format="nt")
            + "--- only in actual:\n" + only_actual.serialize(format="nt"))


def quads_by_graph(ds: Dataset) -> dict[URIRef, Graph]:
    """Non-empty graphs of a dataset by name (the default graph under its rdflib name)."""
    out: dict[URIRef, Graph] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = g.identifier if isinstance(g, Graph) else g
        out.setdefault(name, Graph()).add((s, p, o))
    return out


_SHAPES: Graph | None = None
_ONTOLOGY: Graph | None = None


def shacl(data: Graph) -> tuple[bool, set[str], str]:
    """(conforms, result messages, report text), with the settings kg/validate.py uses."""
    global _SHAPES, _ONTOLOGY
    from pyshacl import validate

    _SHAPES = _SHAPES or Graph().parse(ONTOLOGY / "shapes.ttl")
    _ONTOLOGY = _ONTOLOGY or Graph().parse(ONTOLOGY / "kg.ttl")
    conforms, report, text = validate(data, shacl_graph=_SHAPES, ont_graph=_ONTOLOGY, inference="none",
                                      allow_warnings=True)
    return bool(conforms), {str(m) for m in report.objects(None, SH.resultMessage)}, str(text)


# ---------------------------------------------------------------------------------------------
# Expected graphs
# ---------------------------------------------------------------------------------------------

PREFIXES = """
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix id: <https://w3id.org/kg/id/> .
@prefix doc: <https://w3id.org/kg/doc/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""

# The build node (default graph) and DOC_A's metadata: every expected graph has them.
DOC_A_TTL = """
<{BUILD}> a kg:Build ; rdfs:label "kg {VERSION}" .
doc:doc-a a kg:Document ;
    dcterms:identifier "doc-a" ;
    kg:sha256 "{SHA_A}" ;
    dcterms:title "Response to the report" ;
    dcterms:date "2025-09-30"^^xsd:date ;
    kg:place "Macao" ;
    dcterms:language "en" ;
    dcterms:source <https://example.org/press/1?lang=en> ;
    prov:wasGeneratedBy <{BUILD}> .
"""

MACAO_TTL = 'id:macao-sar a kg:Jurisdiction ; skos:prefLabel "Macao SAR"@en ; rdfs:label "Macao SAR"@en .\n'
HONG_KONG_TTL = 'id:hong-kong-sar a kg:Jurisdiction ; skos:prefLabel "Hong Kong SAR"@en ; rdfs:label "Hong Kong SAR"@en .\n'
LAW_TTL = 'id:law-6-2008 a kg:Law ; skos:prefLabel "Law No. 6/2008"@en ; rdfs:label "Law No. 6/2008"@en .\n'
TIER3_TTL = ('id:tier-3 a kg:Tier ; skos:prefLabel "Tier 3"@en ; rdfs:label "Tier 3"@en ;'
             ' skos:inScheme kg:TierScheme .\n')
REPORT_TTL = ('id:tip-report-2025 a kg:Report ; skos:prefLabel "2025 Trafficking in Persons Report"@en ;'
              ' rdfs:label "2025 Trafficking in Persons Report"@en .\n')
AUTHORITY_TTL = ('id:macao-security-authority a kg:GovernmentBody ; skos:prefLabel "Macao SAR security authority"@en ;'
                 ' rdfs:label "Macao SAR security authority"@en .\n')
VICTIMS_TTL = '<https://w3id.org/kg/id/concept/victims> a kg:Concept ; skos:prefLabel "victims"@en ; rdfs:label "victims"@en .\n'
CLAIM_TTL = """
<https://w3id.org/kg/id/claim/doc-a/residents-were-exploited> a kg:Claim ;
    skos:prefLabel "Macao residents were exploited"@en ; rdfs:label "Macao residents were exploited"@en ;
    schema:text "Macao residents were exploited"@en ; schema:appearance doc:doc-a .
"""


def evidence_ttl(f: Fact) -> str:
    """The part of a reified fact every case shares: type, label, document, evidence selectors."""
    iri, d = fact_iri(f), f"doc:{f.evidence.doc_id}"
    return f"""
<{iri}> a kg:Fact ; kg:predicateLabel {Literal(f.label, lang="en").n3()} ;
    prov:wasDerivedFrom {d} ; kg:evidence <{iri}/evidence> .
<{iri}/evidence> a kg:Evidence ; oa:hasSource {d} ; oa:hasSelector <{iri}/position>, <{iri}/quote> .
<{iri}/position> a oa:TextPositionSelector ; oa:start {f.evidence.start} ; oa:end {f.evidence.end} .
<{iri}/quote> a oa:TextQuoteSelector ; oa:exact {Literal(f.evidence.text).n3()} .
"""


def expected_graph(template: str, facts: list[Fact]) -> Graph:
    """Turtle template → Graph; {F0}, {F1}… are the facts' IRIs, {EV0}, {EV1}… their evidence."""
    subs = {"BUILD": BUILD, "VERSION": kg.__version__, "SHA_A": DOC_A.sha256}
    for i, f in enumerate(facts):
        subs[f"F{i}"] = f"<{fact_iri(f)}>"
        subs[f"EV{i}"] = evidence_ttl(f)
    return Graph().parse(data=PREFIXES + (DOC_A_TTL + template).format(**subs), format="turtle")


EXPECTED = [
    pytest.param(None, [F_ASSERTED], """
        {F0} rdf:subject id:macao-sar ; rdf:predicate kg:implements ; rdf:object id:law-6-2008 ;
            kg:negated false ; kg:modality kg:Asserted .
        {EV0}
        id:macao-sar kg:implements id:law-6-2008 .
        """ + MACAO_TTL + LAW_TTL,
        id="asserted fact is stated directly and reified as a kg:Fact with evidence"),
    pytest.param(None, [F_NEGATED], """
        {F0} rdf:subject id:macao-security-authority ; rdf:predicate kg:detains ;
            rdf:object <https://w3id.org/kg/id/concept/victims> ;
            kg:negated true ; kg:modality kg:Asserted .
        {EV0}
        """ + AUTHORITY_TTL + VICTIMS_TTL,
        id="negated fact is only reified, with kg:negated true"),
    pytest.param(None, [F_POSSIBLE], """
        {F0} rdf:subject id:macao-sar ; rdf:predicate kg:cooperatesWith ; rdf:object id:hong-kong-sar ;
            kg:negated false ; kg:modality kg:Possible .
        {EV0}
        """ + MACAO_TTL + HONG_KONG_TTL,
        id="possible fact is only reified, with kg:modality kg:Possible"),
    pytest.param(None, [replace(F_POSSIBLE, modality="intended", label="ready to cooperate with")], """
        {F0} rdf:subject id:macao-sar ; rdf:predicate kg:cooperatesWith ; rdf:object id:hong-kong-sar ;
            kg:negated false ; kg:modality kg:Intended .
        {EV0}
        """ + MACAO_TTL + HONG_KONG_TTL,
        id="intended fact is only reified, with kg:modality kg:Intended"),
    pytest.param(None, [replace(F_POSSIBLE, modality="desired", label="seeks cooperation with")], """
        {F0} rdf:subject id:macao-sar ; rdf:predicate kg:cooperatesWith ; rdf:object id:hong-kong-sar ;
            kg:negated false ; kg:modality kg:Desired .
        {EV0}
        """ + MACAO_TTL + HONG_KONG_TTL,
        id="desired fact is only reified, with kg:modality kg:Desired"),
    pytest.param(None, [replace(F_POSSIBLE, negated=True)], """
        {F0} rdf:subject id:macao-sar ; rdf:predicate kg:cooperatesWith ; rdf:object id:hong-kong-sar ;
            kg:negated true ; kg:modality kg:Possible .
        {EV0}
        """ + MACAO_TTL + HONG_KONG_TTL,
        id="negated possible fact is only reified"),
    pytest.param(None, [F_ATTRIBUTED], """
        {F0} rdf:subject id:macao-sar ; rdf:predicate kg:implements ; rdf:object id:law-6-2008 ;
            kg:negated false ; kg:modality kg:Asserted ; prov:wasAttributedTo id:macao-security-authority .
        {EV0}
        id:macao-sar kg:implements id:law-6-2008 .
        """ + MACAO_TTL + LAW_TTL + AUTHORITY_TTL,
        id="reported fact names its speaker with prov:wasAttributedTo and is still stated"),
    pytest.param(None, [F_DATE], """
        {F0} rdf:subject id:macao-security-authority ; rdf:predicate kg:issuedOn ;
            rdf:object "2025-09-30"^^xsd:date ; kg:negated false ; kg:modality kg:Asserted .
        {EV0}
        id:macao-security-authority kg:issuedOn "2025-09-30"^^xsd:date .
        """ + AUTHORITY_TTL,
        id="date value object is a typed literal"),
    pytest.param(None, [F_RANK], """
        {F0} rdf:subject id:macao-sar ; rdf:predicate kg:ranksAt ; rdf:object id:tier-3 ;
            kg:negated false ; kg:modality kg:Asserted ;
            kg:qualifier "report=tip-report-2025", "year=2025" .
        {EV0}
        id:macao-sar kg:ranksAt id:tier-3 .
        <https://w3id.org/kg/id/ranking/tip-report-2025/macao-sar> a kg:Ranking ;
            rdfs:label "Macao SAR at Tier 3 (2025)"@en ;
            kg:rankedArea id:macao-sar ; kg:tier id:tier-3 ;
            kg:rankedIn id:tip-report-2025 ; kg:rankingYear "2025"^^xsd:gYear ;
            prov:wasDerivedFrom doc:doc-a .
        """ + MACAO_TTL + TIER3_TTL,
        id="ranksAt fact makes a kg:Ranking node with area, tier, report and year"),
    pytest.param(None, [replace(F_RANK, qualifiers=())], """
        {F0} rdf:subject id:macao-sar ; rdf:predicate kg:ranksAt ; rdf:object id:tier-3 ;
            kg:negated false ; kg:modality kg:Asserted .
        {EV0}
        id:macao-sar kg:ranksAt id:tier-3 .
        <https://w3id.org/kg/id/ranking/unknown/tier-3/macao-sar> a kg:Ranking ;
            rdfs:label "Macao SAR at Tier 3"@en ;
            kg:rankedArea id:macao-sar ; kg:tier id:tier-3 ; prov:wasDerivedFrom doc:doc-a .
        """ + MACAO_TTL + TIER3_TTL,
        id="ranksAt fact without report or year makes a ranking with neither"),
    pytest.param(None, [replace(F_RANK, negated=True)], """
        {F0} rdf:subject id:macao-sar ; rdf:predicate kg:ranksAt ; rdf:object id:tier-3 ;
            kg:negated true ; kg:modality kg:Asserted ;
            kg:qualifier "report=tip-report-2025", "year=2025" .
        {EV0}
        """ + MACAO_TTL + TIER3_TTL,
        id="negated ranksAt fact makes no kg:Ranking node"),
    pytest.param(None, [F_ALLEGES], """
        {F0} rdf:subject id:tip-report-2025 ; rdf:predicate kg:alleges ;
            rdf:object <https://w3id.org/kg/id/claim/doc-a/residents-were-exploited> ;
            kg:negated false ; kg:modality kg:Asserted .
        {EV0}
        id:tip-report-2025 kg:alleges <https://w3id.org/kg/id/claim/doc-a/residents-were-exploited> .
        <https://w3id.org/kg/id/claim/doc-a/residents-were-exploited> schema:author id:tip-report-2025 .
        """ + REPORT_TTL + CLAIM_TTL,
        id="alleges fact gives the kg:Claim schema:author and schema:text"),
    pytest.param(None, [F_DENIES], """
        {F0} rdf:subject id:macao-security-authority ; rdf:predicate kg:denies ;
            rdf:object <https://w3id.org/kg/id/claim/doc-a/residents-were-exploited> ;
            kg:negated false ; kg:modality kg:Asserted .
        {EV0}
        id:macao-security-authority kg:denies <https://w3id.org/kg/id/claim/doc-a/residents-were-exploited> .
        """ + AUTHORITY_TTL + CLAIM_TTL,
        id="denied claim gets schema:text but the denier is not its author"),
    pytest.param(None, [replace(F_ASSERTED, subject=replace(MACAO, aliases=("Macao", "Macao SAR", "Macau")))], """
        {F0} rdf:subject id:macao-sar ; rdf:predicate kg:implements ; rdf:object id:law-6-2008 ;
            kg:negated false ; kg:modality kg:Asserted .
        {EV0}
        id:macao-sar kg:implements id:law-6-2008 ; skos:altLabel "Macao"@en, "Macau"@en .
        """ + MACAO_TTL + LAW_TTL,
        id="aliases other than the preferred label become skos:altLabel"),
    pytest.param(AUTHORITY, [], """
        doc:doc-a dcterms:publisher id:macao-security-authority ;
            prov:wasAttributedTo id:macao-security-authority .
        """ + AUTHORITY_TTL,
        id="publisher is the document's dcterms:publisher and prov:wasAttributedTo"),
]


@pytest.mark.parametrize("publisher, facts, template", EXPECTED)
def test_built_graph_is_the_expected_graph(publisher, facts, template):
    built = union_graph(build_dataset([(DOC_A, publisher, facts)]))
    expected = expected_graph(template, facts)
    assert isomorphic(expected, built), diff(expected, built)


def test_each_document_has_its_own_named_graph_and_the_default_graph_holds_the_build():
    graphs = quads_by_graph(rich_dataset())
    default = Graph()
    default.add((BUILD, RDF.type, KG.Build))
    default.add((BUILD, RDFS.label, Literal(f"kg {kg.__version__}")))
    named = {name for name in graphs if str(name).startswith("https://w3id.org/kg/graph/")}
    assert named == {graph_iri("doc-a"), graph_iri("doc-b")}
    others = [name for name in graphs if name not in named]
    assert len(others) == 1 and isomorphic(graphs[others[0]], default), diff(default, graphs[others[0]])
    for doc in (DOC_A, DOC_B):
        g = graphs[graph_iri(doc.doc_id)]
        assert set(g.subjects(RDF.type, KG.Document)) == {doc_iri(doc.doc_id)}
        assert set(g.objects(None, PROV.wasDerivedFrom)) == {doc_iri(doc.doc_id)}


@pytest.mark.parametrize("meta, expected", [
    pytest.param({"source": "https://example.org/a b"}, URIRef("https://example.org/a"),
                 id="source URL becomes an IRI, cut at the first space"),
    pytest.param({"source": "Government Information Bureau"}, Literal("Government Information Bureau"),
                 id="source without a URL stays a literal"),
    pytest.param({"source": 'see <https://example.org/x>'}, Literal('see <https://example.org/x>'),
                 id="source not starting with a URL stays a literal"),
])
def test_document_source(meta, expected):
    doc = replace(DOC_B, meta=meta)
    g = union_graph(build_dataset([(doc, None, [])]))
    assert list(g.objects(doc_iri(doc.doc_id), DCTERMS.source)) == [expected]


@pytest.mark.parametrize("value, expected", [
    pytest.param(Value("2025-09-30", "date"), Literal("2025-09-30", datatype=XSD.date), id="full date is xsd:date"),
    pytest.param(Value("2025", "date"), Literal("2025", datatype=XSD.gYear), id="year is xsd:gYear"),
    pytest.param(Value("2025-09", "date"), Literal("2025-09", datatype=XSD.gYearMonth),
                 id="year-month is xsd:gYearMonth"),
    pytest.param(Value("September 30", "date"), Literal("September 30"), id="unparsed date text stays a string"),
    pytest.param(Value("12 victims", "quantity"), Literal("12 victims"), id="quantity is a plain string"),
    pytest.param(Value("2025-09-30"), Literal("2025-09-30"), id="string value that looks like a date stays a string"),
])
def test_value_literal(value, expected):
    got = literal(value)
    assert (got, got.datatype) == (expected, expected.datatype)


@pytest.mark.parametrize("text", ["2025-02-30", "2025-13-01"])
def test_impossible_date_is_not_an_ill_typed_xsd_date(text):
    assert not literal(Value(text, "date")).ill_typed


# ---------------------------------------------------------------------------------------------
# IRIs
# ---------------------------------------------------------------------------------------------

def test_same_entity_key_gives_the_same_iri_across_documents():
    ds = rich_dataset()
    graphs = quads_by_graph(ds)
    iri = entity_iri("macao-sar")
    assert iri == URIRef("https://w3id.org/kg/id/macao-sar") == entity_iri("macao-sar")
    for doc in (DOC_A, DOC_B):
        assert (iri, RDF.type, KG.Jurisdiction) in graphs[graph_iri(doc.doc_id)]
    union = union_graph(ds)
    assert list(union.objects(iri, SKOS.prefLabel)) == [Literal("Macao SAR", lang="en")]
    # both documents' "Macao implements Law No. 6/2008" are one direct triple, two kg:Facts
    assert (iri, KG.implements, entity_iri("law-6-2008")) in union
    facts = set(union.subjects(RDF.subject, iri)) & set(union.subjects(RDF.predicate, KG.implements))
    assert {str(f).split("/")[-2] for f in facts} == {"doc-a", "doc-b"}


# Strings that must never leak into an IRI unescaped.
AWKWARD = [
    "with space", 'with "double" quotes', "'single' quotes", "<angle> brackets", "tab\there",
    "new\nline", "curly {x} pipe | caret ^ backtick ` backslash \\", "percent %41 and lone %",
    "hash # and ? query", "ünïcödé ключ 💥", "slash/separated/key", "colon: semicolon; comma,",
]
# Generic IRI syntax (RFC 3987): no spaces, controls, or <>"{}|\^` ; every % starts a %HH escape.
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?:[^\x00-\x20<>\"{}|\\^`\x7f%]|%[0-9A-Fa-f]{2})+$")
# IRIs kg mints: unreserved characters, "/" and percent escapes; a statement's IRIs (doc, graph,
# fact) keep the letters of its name (RFC 3987 ucschar: U+00A0 up, less surrogates, private use,
# specials and non-characters), entity IRIs are plain ASCII.
MINTED = re.compile(r"^https://w3id\.org/kg/(?:(?:id|build)/(?:[A-Za-z0-9._~/-]|%[0-9A-F]{2})+"
                    "|(?:doc|graph|fact)/(?:[A-Za-z0-9._~/-]|%[0-9A-F]{2}"
                    "|[\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd])+)$")


def awkward_dataset() -> Dataset:
    results = []
    for i, text in enumerate(AWKWARD):
        doc = Document(path=f"{i}.txt", text=text, doc_id=text, sha256=sha(text), meta={"source": text})
        thing = Entity(text, "Jurisdiction", text, aliases=(text + "!",))
        claim = Entity("claim/" + text, "Claim", text)
        report = Entity("report/" + text, "Report", text + " report")
        ranked = fact(thing, "ranksAt", TIER3, "ranks at", doc=doc, start=0, text=text,
                      qualifiers=(("report", report.key), ("year", "2025")))
        ranks = fact(report, "ranks", thing, doc=doc, start=0, text=text, qualifiers=(("tier", "tier-3"),))
        said = fact(thing, "alleges", claim, text, doc=doc, start=1, text=text)
        valued = fact(thing, "hasTitle", Value(text), text, doc=doc, start=2, text=text)
        results.append((doc, thing, [ranked, ranks, said, valued]))
    return build_dataset(results)


def test_iris_are_valid_even_for_awkward_keys_labels_and_document_ids():
    ds = awkward_dataset()
    union = union_graph(ds)
    iris = {t for triple in union for t in triple if isinstance(t, URIRef)}
    iris |= {name for name in quads_by_graph(ds)}
    bad = sorted(i for i in iris if not IRI.match(i))
    assert not bad, f"invalid IRIs: {bad}"
    minted = {i for i in iris if i.startswith("https://w3id.org/kg/") and "/ontology#" not in i}
    bad = sorted(i for i in minted if not MINTED.match(i))
    assert not bad, f"minted IRIs with characters outside [A-Za-z0-9._~/-] and %HH: {bad}"
    # N-Triples is strict about IRIs: what kg writes must parse back to the same graph
    back = Graph().parse(data=union.serialize(format="nt"), format="nt")
    assert isomorphic(back, union), diff(union, back)


def test_distinct_keys_give_distinct_iris():
    keys = AWKWARD + [k.replace(" ", "%20") for k in AWKWARD] + ["a b", "a%20b", "a+b", "A b"]
    iris = [entity_iri(k) for k in keys]
    assert len(set(iris)) == len(set(keys))


def test_fact_iri_is_stable_and_shaped():
    assert fact_iri(F_ASSERTED) == fact_iri(replace(F_ASSERTED))
    assert re.fullmatch(r"https://w3id\.org/kg/fact/doc-a/[0-9a-f]{16}", fact_iri(F_ASSERTED))


@pytest.mark.parametrize("other", [
    pytest.param(replace(F_ASSERTED, subject=HONG_KONG), id="subject"),
    pytest.param(replace(F_ASSERTED, label="enforces"), id="predicate label"),
    pytest.param(replace(F_ASSERTED, obj=REPORT), id="object"),
    pytest.param(replace(F_ASSERTED, obj=Value("Law No. 6/2008")), id="literal object"),
    pytest.param(replace(F_ASSERTED, evidence=ev(start=101)), id="sentence"),
    pytest.param(replace(F_ASSERTED, evidence=ev(DOC_B)), id="document"),
    pytest.param(replace(F_ASSERTED, negated=True), id="negation"),
    pytest.param(replace(F_ASSERTED, modality="possible"), id="modality"),
])
def test_facts_that_differ_get_different_iris(other):
    assert fact_iri(other) != fact_iri(F_ASSERTED)
    # ... and so stay separate facts with one value each in the graph
    g = union_graph(build_dataset([(DOC_A, None, [F_ASSERTED, other])]))
    assert len(set(g.subjects(RDF.type, KG.Fact))) == 2


def ranking_nodes(*results) -> dict[URIRef, set]:
    g = union_graph(build_dataset(list(results)))
    return {r: set(g.objects(r, KG.tier)) for r in g.subjects(RDF.type, KG.Ranking)}


def ranked(area: Entity, tier: Entity, report: str = "", year: str = "", start: int = 0,
           doc: Document = DOC_A) -> Fact:
    quals = tuple(q for q in (("report", report), ("year", year)) if q[1])
    return fact(area, "ranksAt", tier, "ranks at", doc=doc, start=start, text=f"{area.label} is on {tier.label}.",
                qualifiers=quals)


ATLANTIS = Entity("atlantis", "Jurisdiction", "Atlantis")
ATLANTIS_NER = Entity("jurisdiction/atlantis", "Jurisdiction", "Atlantis (as read)")


@pytest.mark.parametrize("facts", [
    pytest.param([ranked(MACAO, TIER2, "tip-report-2024", "2024"), ranked(MACAO, TIER3, "tip-report-2025", "2025", 9)],
                 id="same area in two reports"),
    pytest.param([ranked(MACAO, TIER3, "tip-report-2025", "2025"), ranked(HONG_KONG, TIER2, "tip-report-2025", "2025", 9)],
                 id="two areas in one report"),
    pytest.param([ranked(MACAO, TIER2, year="2019"), ranked(MACAO, TIER3, year="2023", start=9)],
                 id="same area, no report, two years"),
    pytest.param([ranked(MACAO, TIER2, "tip-report"), ranked(MACAO, TIER3, "tip-report", start=9)],
                 id="same area, undated generic report, two tiers"),
    pytest.param([ranked(ATLANTIS, TIER2, "tip-report-2025", "2025"), ranked(ATLANTIS_NER, TIER3, "tip-report-2025", "2025", 9)],
                 id="two areas whose keys end alike"),
])
def test_distinct_rankings_stay_distinct_nodes(facts):
    nodes = ranking_nodes((DOC_A, None, facts))
    assert len(nodes) == 2 and all(len(tiers) == 1 for tiers in nodes.values()), nodes


def test_the_same_ranking_read_in_two_documents_is_one_node_derived_from_both():
    rank_a, rank_b = ranked(MACAO, TIER3, "tip-report-2025", "2025"), ranked(MACAO, TIER3, "tip-report-2025", "2025", doc=DOC_B)
    g = union_graph(build_dataset([(DOC_A, None, [rank_a]), (DOC_B, None, [rank_b])]))
    (node,) = g.subjects(RDF.type, KG.Ranking)
    assert set(g.objects(node, PROV.wasDerivedFrom)) == {doc_iri("doc-a"), doc_iri("doc-b")}


def test_different_claims_get_different_keys():
    """Claims that start alike are still different claims (one IRI, one schema:text each)."""
    from kg.keys import claim_entity

    start = "the government failed to identify victims of trafficking among migrant workers in"
    a, b = claim_entity("doc-a", start + " 2024"), claim_entity("doc-a", start + " 2025, and did not prosecute")
    assert a.key != b.key
    assert claim_entity("doc-a", start + " 2024").key == a.key     # and the same claim, the same key


# ---------------------------------------------------------------------------------------------
# Round trips through every rdflib format
# ---------------------------------------------------------------------------------------------

SERIALIZERS = sorted({p.name for p in rdflib.plugin.plugins(kind=rdflib.serializer.Serializer)})
PARSERS = {p.name for p in rdflib.plugin.plugins(kind=rdflib.parser.Parser)}
# Syntaxes that carry named graphs; the first group refuses a plain (context-unaware) Graph.
QUAD_ONLY = {"nquads", "application/n-quads", "trix", "application/trix", "patch"}
QUAD = QUAD_ONLY | {"trig", "application/trig", "json-ld", "application/ld+json", "hext"}
# Serialisers whose output is read by a parser registered under another name.
PARSER_FOR = {"longturtle": "turtle", "pretty-xml": "xml"}


def parser_for(fmt: str) -> str:
    name = PARSER_FOR.get(fmt, fmt)
    if name not in PARSERS:
        pytest.skip(f"rdflib has no parser for {fmt!r}: its output cannot be read back")
    return name


def plain(g: Graph) -> Graph:
    """RDF 1.1: a simple literal *is* an xsd:string. rdflib keeps Literal("x") and
    Literal("x", datatype=xsd:string) apart, and its hext parser returns the latter."""
    out = Graph()
    for s, p, o in g:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        out.add((s, p, o))
    return out


@pytest.mark.parametrize("fmt", sorted(QUAD & set(SERIALIZERS)))
def test_dataset_round_trips_through_quad_format(fmt):
    ds = rich_dataset()
    back = Dataset()
    back.parse(data=ds.serialize(format=fmt), format=parser_for(fmt))
    before, after = quads_by_graph(ds), quads_by_graph(back)
    assert set(after) == set(before)
    for name, g in before.items():
        assert isomorphic(plain(after[name]), plain(g)), f"graph {name}: " + diff(plain(g), plain(after[name]))


@pytest.mark.parametrize("fmt", [f for f in SERIALIZERS if f not in QUAD_ONLY])
def test_union_graph_round_trips_through_triple_format(fmt):
    union = union_graph(rich_dataset())
    data = union.serialize(format=fmt)
    if fmt in QUAD:     # a graph written as a dataset (e.g. one TriG block): read it as one
        ds = Dataset()
        ds.parse(data=data, format=parser_for(fmt))
        back = union_graph(ds)
    else:
        back = Graph().parse(data=data, format=parser_for(fmt))
    assert isomorphic(plain(back), plain(union)), diff(plain(union), plain(back))


def test_format_classification_matches_rdflib():
    """QUAD_ONLY is exactly the serialisers that refuse a plain Graph, so the two round-trip
    tests above between them cover every registered serialiser."""
    refused = set()
    for fmt in SERIALIZERS:
        try:
            union_graph(build_dataset([])).serialize(format=fmt)
        except Exception:  # rdflib raises plain Exception / AttributeError here
            refused.add(fmt)
    assert refused == QUAD_ONLY & set(SERIALIZERS)
    assert {"turtle", "trig", "nquads", "xml", "json-ld"} <= set(SERIALIZERS)


# ---------------------------------------------------------------------------------------------
# SHACL shapes
# ---------------------------------------------------------------------------------------------

def test_shapes_are_well_formed_shacl():
    from pyshacl import validate

    data = union_graph(rich_dataset())
    conforms, _, text = validate(data, shacl_graph=str(ONTOLOGY / "shapes.ttl"), inference="none",
                                 meta_shacl=True, allow_warnings=True)
    assert conforms, text


def test_shapes_use_only_terms_defined_in_the_ontology():
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl")
    used = {str(t).split("#", 1)[1] for triple in shapes for t in triple
            if isinstance(t, URIRef) and str(t).startswith(str(KG._NS))}
    text = " ".join(str(o) for o in shapes.objects(None, SH.select))
    used |= set(re.findall(r"\bkg:(\w+)", text))
    assert used - terms() == set(), "kg: terms in shapes.ttl that kg.ttl does not define"


def test_every_entity_class_of_the_ontology_is_a_shape_target():
    ontology = Graph().parse(ONTOLOGY / "kg.ttl")
    entity_classes = set(ontology.transitive_subjects(RDFS.subClassOf, KG.Entity))
    targets = set(Graph().parse(ONTOLOGY / "shapes.ttl").objects(None, SH.targetClass))
    assert entity_classes - targets == set()


def test_hand_built_graph_conforms_to_the_shapes():
    conforms, messages, text = shacl(union_graph(rich_dataset()))
    assert conforms, text


def test_graph_with_awkward_strings_conforms_to_the_shapes():
    conforms, _, text = shacl(union_graph(awkward_dataset()))
    assert conforms, text


# Handles into the rich graph for the mutations below.
FA, FN, FR = (fact_iri(f) for f in (F_ASSERTED, F_NEGATED, F_RANK))
RANKING = ID["ranking/tip-report-2025/macao-sar"]
DA = doc_iri("doc-a")
DIRECT_NEGATED = (entity_iri(AUTHORITY.key), KG.detains, entity_iri(VICTIMS.key))
DIRECT_ASSERTED = (entity_iri(MACAO.key), KG.implements, entity_iri(LAW.key))
CLAIM_IRI = entity_iri(CLAIM.key)


def pos(f: URIRef) -> URIRef:
    return URIRef(f"{f}/position")


def set_(s, p, o):
    return lambda g: g.set((s, p, o))


def add(*triples):
    return lambda g: [g.add(t) for t in triples]


def drop(s, p, o=None):
    return lambda g: g.remove((s, p, o))


BROKEN = [
    # facts
    ("fact without evidence", drop(FA, KG.evidence), "exactly one kg:evidence"),
    ("fact with two subjects", add((FA, RDF.subject, entity_iri(HONG_KONG.key))), "exactly one rdf:subject"),
    ("fact with a literal subject", set_(FA, RDF.subject, Literal("Macao")), "exactly one rdf:subject"),
    ("fact without object", drop(FA, RDF.object), "exactly one rdf:object"),
    ("fact predicate outside kg:", set_(FA, RDF.predicate, SCHEMA.about), "a kg: property"),
    ("fact without predicate label", drop(FA, KG.predicateLabel), "kg:predicateLabel"),
    ("fact predicate label without language", set_(FA, KG.predicateLabel, Literal("implements")), "kg:predicateLabel"),
    ("fact negated as a string", set_(FA, KG.negated, Literal("false")), "kg:negated"),
    ("fact without negated", drop(FA, KG.negated), "kg:negated"),
    ("fact with unknown modality", set_(FA, KG.modality, KG.Build), "kg:modality"),
    ("fact with two modalities", add((FA, KG.modality, KG.Possible)), "kg:modality"),
    ("fact from two documents", add((FA, PROV.wasDerivedFrom, doc_iri("doc-b"))), "exactly one kg:Document"),
    ("fact derived from a non-document", set_(FA, PROV.wasDerivedFrom, entity_iri(MACAO.key)), "exactly one kg:Document"),
    ("fact with two speakers", add((FA, PROV.wasAttributedTo, entity_iri(MACAO.key)),
                                   (FA, PROV.wasAttributedTo, entity_iri(REPORT.key))), "at most one speaker"),
    ("empty qualifier value", add((FR, KG.qualifier, Literal("year="))), "kg:qualifier"),
    ("negated fact stated directly", add(DIRECT_NEGATED), "negated or possible"),
    ("possible fact stated directly",
     add((entity_iri(MACAO.key), KG.cooperatesWith, entity_iri(HONG_KONG.key))), "negated or possible"),
    ("asserted fact not stated directly", drop(*DIRECT_ASSERTED), "missing its direct triple"),
    ("alleged thing is not a claim", add((entity_iri(REPORT.key), KG.alleges, entity_iri(MACAO.key))), "not a kg:Claim"),
    # evidence
    ("evidence without source", drop(URIRef(f"{FA}/evidence"), OA.hasSource), "oa:hasSource"),
    ("evidence in another document than its fact",
     set_(URIRef(f"{FA}/evidence"), OA.hasSource, doc_iri("doc-b")), "not its fact's prov:wasDerivedFrom"),
    ("evidence without quote selector",
     drop(URIRef(f"{FA}/evidence"), OA.hasSelector, URIRef(f"{FA}/quote")), "oa:TextQuoteSelector"),
    ("evidence with two position selectors",
     add((URIRef(f"{FA}/evidence"), OA.hasSelector, pos(FN))), "exactly one oa:TextPositionSelector"),
    ("evidence of no fact", add((URIRef(f"{FA}/x"), RDF.type, KG.Evidence)), "belongs to exactly one kg:Fact"),
    ("start after end", set_(pos(FA), OA.start, Literal(10_000)), "<= oa:end"),
    ("negative start", set_(pos(FA), OA.start, Literal(-1)), "oa:start"),
    ("start as a string", set_(pos(FA), OA.start, Literal("100")), "oa:start"),
    ("end missing", drop(pos(FA), OA.end), "oa:end"),
    ("quote without exact", drop(URIRef(f"{FA}/quote"), OA.exact), "oa:exact"),
    ("quote with two exacts", add((URIRef(f"{FA}/quote"), OA.exact, Literal("other"))), "oa:exact"),
    # documents
    ("document without sha256", drop(DA, KG.sha256), "kg:sha256"),
    ("document with a short sha256", set_(DA, KG.sha256, Literal("abc123")), "kg:sha256"),
    ("document without identifier", drop(DA, DCTERMS.identifier), "dcterms:identifier"),
    ("document with an impossible date", set_(DA, DCTERMS.date, Literal("2025-02-30", datatype=XSD.date)), "dcterms:date"),
    ("document with an untyped date", set_(DA, DCTERMS.date, Literal("2025-09")), "dcterms:date"),
    ("document with two titles", add((DA, DCTERMS.title, Literal("Another"))), "dcterms:title"),
    ("document not generated by a build", drop(DA, PROV.wasGeneratedBy), "kg:Build"),
    # entities
    ("entity without preferred label", drop(entity_iri(MACAO.key), SKOS.prefLabel), "skos:prefLabel"),
    ("entity with two preferred labels",
     add((entity_iri(MACAO.key), SKOS.prefLabel, Literal("Macau", lang="en"))), "skos:prefLabel"),
    ("entity label without language", set_(entity_iri(MACAO.key), SKOS.prefLabel, Literal("Macao SAR")), "skos:prefLabel"),
    ("entity with two kg: classes", add((entity_iri(MACAO.key), RDF.type, KG.Organization)), "more than one kg: class"),
    ("entity outside id:", add((URIRef("https://example.org/macao"), RDF.type, KG.Person),
                               (URIRef("https://example.org/macao"), SKOS.prefLabel, Literal("M", lang="en")),
                               (URIRef("https://example.org/macao"), RDFS.label, Literal("M", lang="en"))),
     "an entity is an IRI in https://w3id.org/kg/id/"),
    ("fact outside fact:", lambda g: [g.add((URIRef("https://example.org/f"), p, o)) for _, p, o in g.triples((FA, None, None))],
     "a kg:Fact is an IRI in https://w3id.org/kg/fact/"),
    ("graph without documents", lambda g: g.remove((None, RDF.type, KG.Document)), "not the graph of a build"),
    ("tier outside the tier scheme", drop(entity_iri(TIER3.key), SKOS.inScheme), "kg:TierScheme"),
    ("claim without text", drop(CLAIM_IRI, SCHEMA.text), "schema:text"),
    ("claim with two texts", add((CLAIM_IRI, SCHEMA.text, Literal("other", lang="en"))), "schema:text"),
    ("claim appearing nowhere", drop(CLAIM_IRI, SCHEMA.appearance), "appears in at least one kg:Document"),
    # rankings
    ("ranking without tier", drop(RANKING, KG.tier), "exactly one kg:tier"),
    ("ranking with two tiers", add((RANKING, KG.tier, entity_iri(TIER2.key))), "exactly one kg:tier"),
    ("ranking at a non-tier", set_(RANKING, KG.tier, entity_iri(MACAO.key)), "exactly one kg:tier"),
    ("ranking without area", drop(RANKING, KG.rankedArea), "kg:rankedArea"),
    ("ranking with two years", add((RANKING, KG.rankingYear, Literal("2024", datatype=XSD.gYear))), "kg:rankingYear"),
    ("ranking year untyped", set_(RANKING, KG.rankingYear, Literal("2025")), "kg:rankingYear"),
    ("ranking in a non-report", set_(RANKING, KG.rankedIn, entity_iri(MACAO.key)), "kg:Report"),
    ("ranking without its ranksAt fact", set_(FR, RDF.object, entity_iri(TIER2.key)), "no asserted, not negated kg:ranksAt"),
    ("ranking of a negated ranksAt fact", set_(FR, KG.negated, Literal(True)), "no asserted, not negated kg:ranksAt"),
]


@pytest.mark.parametrize("mutate, message", [pytest.param(m, msg, id=name) for name, m, msg in BROKEN])
def test_broken_graph_does_not_conform(mutate, message):
    g = union_graph(rich_dataset())
    mutate(g)
    conforms, messages, text = shacl(g)
    assert not conforms, "the shapes accepted a broken graph"
    assert any(message in m for m in messages), f"expected a result about {message!r}, got {sorted(messages)}"


def _same_doc_id_twice():
    other = replace(DOC_B, doc_id="doc-a")
    return [(DOC_A, None, [F_ASSERTED]), (other, None, [replace(F_B_ASSERTED, evidence=ev(other, 10))])]


@pytest.mark.parametrize("results, message", [
    pytest.param(_same_doc_id_twice(), "kg:sha256", id="two files with one document id"),
    pytest.param([(DOC_A, None, [F_ASSERTED]),
                  (DOC_B, None, [replace(F_B_ASSERTED, subject=replace(MACAO, label="Macau"))])],
                 "skos:prefLabel", id="one key with two labels (labels not made canonical)"),
    pytest.param([(DOC_A, None, [F_ASSERTED]),
                  (DOC_B, None, [replace(F_B_ASSERTED, subject=replace(MACAO, cls="Organization"))])],
                 "more than one kg: class", id="one key for things of two classes"),
    pytest.param([(DOC_A, None, [replace(F_ASSERTED, prop="alleges", label="accuses")])],
                 "not a kg:Claim", id="alleges with an object that is not a claim"),
])
def test_shapes_catch_defects_build_dataset_lets_through(results, message):
    conforms, messages, text = shacl(union_graph(build_dataset(results)))
    assert not conforms and any(message in m for m in messages), sorted(messages)


# ---------------------------------------------------------------------------------------------
# The closed vocabulary
# ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _kg_properties() -> frozenset[str]:
    g = Graph().parse(ONTOLOGY / "kg.ttl")
    return frozenset(str(s).split("#", 1)[1] for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
                     for s in g.subjects(RDF.type, kind) if str(s).startswith(str(KG._NS)))


def _frame_properties() -> list[str]:
    lines = [ln for ln in (ONTOLOGY / "frames.tsv").read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    header = lines[0].split("\t")
    column = header.index("property")
    return sorted({ln.split("\t")[column].strip() for ln in lines[1:]})


@pytest.mark.parametrize("prop", _frame_properties())
def test_frame_row_property_is_defined_in_the_ontology(prop):
    assert prop in _kg_properties(), f"frames.tsv maps a frame to kg:{prop}, which kg.ttl does not define"


def test_undefined_kg_term_raises():
    assert KG.implements == URIRef("https://w3id.org/kg/ontology#implements")
    with pytest.raises(AttributeError):
        KG.someUndefinedTerm  # noqa: B018
    from kg.vocab import term

    with pytest.raises(KeyError, match="valid terms"):
        term("someUndefinedTerm")


def test_vocab_terms_are_exactly_the_kg_terms_the_ontology_defines():
    g = Graph().parse(ONTOLOGY / "kg.ttl")
    defined = {str(s).split("#", 1)[1] for s in g.subjects(RDF.type, None) if str(s).startswith(str(KG._NS))}
    assert set(terms()) == defined


# ---------------------------------------------------------------------------------------------
# facts.tsv
# ---------------------------------------------------------------------------------------------

def unescape(cell: str) -> str:
    named = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
    return re.sub(r"\\(x[0-9a-f]{2}|u[0-9a-f]{4}|.)",
                  lambda m: named[m.group(1)] if len(m.group(1)) == 1 else chr(int(m.group(1)[1:], 16)), cell)


@pytest.mark.parametrize("awkward", [
    pytest.param("tab\there", id="tab"),
    pytest.param("new\nline", id="newline"),
    pytest.param("carriage\rreturn and\r\nCRLF", id="carriage return"),
    pytest.param("back\\slash \\t not a tab", id="backslash"),
    pytest.param("all\t\tof\n\\them\r", id="mixed"),
    pytest.param("", id="empty"),
    pytest.param("".join(map(chr, range(0x20))) + "\x7f", id="every-c0-and-del"),
    pytest.param("\x1b]0;pwned\x07\x1b[2J\x9b31m", id="terminal-escape-sequences"),
    pytest.param("nul\x00 nel\x85 line\u2028para\u2029", id="nul-c1-and-unicode-line-ends"),
])
def test_facts_tsv_rows_have_seven_cells(awkward):
    doc = replace(DOC_A, doc_id="doc" + awkward)
    f = Fact(Entity("x", "Concept", "subject " + awkward), "relatedTo", "label " + awkward,
             Value("object " + awkward), Evidence(doc.doc_id, 1, 2, "evidence " + awkward))
    g = Fact(Entity("y", "Concept", awkward), "relatedTo", awkward, Entity("z", "Concept", awkward),
             Evidence(doc.doc_id, 3, 4, awkward))
    text = facts_tsv([f, g])
    assert text.endswith("\n")
    rows = [row.split("\t") for row in text[:-1].split("\n")]
    assert len(rows) == 3
    assert rows[0] == list(TSV_HEADER)
    assert all(len(row) == 7 for row in rows), rows
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", text.replace("\t", "").replace("\n", ""))  # shown, never raw
    assert len(text.splitlines()) == 3
    assert [unescape(c) for c in rows[1]] == ["subject " + awkward, "label " + awkward, "object " + awkward,
                                              "evidence " + awkward, "doc" + awkward, "1", "2"]
    assert [unescape(c) for c in rows[2]] == [awkward] * 4 + ["doc" + awkward, "3", "4"]


# ---------------------------------------------------------------------------------------------
# The command line on hand-made graphs (no model needed)
# ---------------------------------------------------------------------------------------------

KG_BIN = ROOT / ".venv" / "bin" / "kg"


def run_kg(*args: str | Path) -> subprocess.CompletedProcess:
    cmd = [str(KG_BIN)] if KG_BIN.exists() else [sys.executable, "-m", "kg"]
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, timeout=300)


def assert_one_line_error(proc: subprocess.CompletedProcess, code: int, mentions: str) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), proc.stderr
    assert mentions in lines[0], lines[0]


@pytest.mark.parametrize("fmt, suffix", [("turtle", ".ttl"), ("trig", ".trig")])
def test_cli_validate_conforming_graph_prints_conforms(tmp_path, fmt, suffix):
    path = tmp_path / f"graph{suffix}"
    ds = rich_dataset()
    (union_graph(ds) if fmt == "turtle" else ds).serialize(path, format=fmt)
    proc = run_kg("validate", path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "conforms\n", "")


def test_cli_validate_exits_1_and_reports_a_graph_that_does_not_conform(tmp_path):
    g = union_graph(rich_dataset())
    g.remove((RANKING, KG.tier, None))
    path = tmp_path / "broken.ttl"
    g.serialize(path, format="turtle")
    proc = run_kg("validate", path)
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert "Conforms: False" in proc.stdout and "exactly one kg:tier" in proc.stdout, proc.stdout


@pytest.mark.parametrize("name", ["missing.ttl", "missing-folder"])
def test_cli_validate_missing_graph_is_a_usage_error(tmp_path, name):
    assert_one_line_error(run_kg("validate", tmp_path / name), 2, name)


# ---------------------------------------------------------------------------------------------
# Part 2: the build of data/ (needs the spaCy model; conftest marks these `model`)
# ---------------------------------------------------------------------------------------------

def test_seed_outputs_parse_back(seed_build):
    _, out = seed_build
    ttl = Graph().parse(out / "graph.ttl", format="turtle")
    trig = Dataset()
    trig.parse(out / "graph.trig", format="trig")
    assert len(ttl) > 0 and len(list(trig.quads((None, None, None, None)))) > 0


def test_seed_trig_graphs_together_are_graph_ttl(seed_build):
    _, out = seed_build
    ttl = Graph().parse(out / "graph.ttl", format="turtle")
    trig = Dataset()
    trig.parse(out / "graph.trig", format="trig")
    union = union_graph(trig)
    assert isomorphic(union, ttl), diff(ttl, union)


def test_seed_has_one_named_graph_per_document(seed_build):
    result, out = seed_build
    trig = Dataset()
    trig.parse(out / "graph.trig", format="trig")
    named = {n for n in quads_by_graph(trig) if str(n).startswith("https://w3id.org/kg/graph/")}
    assert result.documents and named == {graph_iri(d.doc_id) for d in result.documents}
    for d in result.documents:
        g = quads_by_graph(trig)[graph_iri(d.doc_id)]
        assert set(g.subjects(RDF.type, KG.Document)) == {doc_iri(d.doc_id)}


def test_seed_every_fact_record_is_its_own_kg_fact(seed_build):
    result, out = seed_build
    g = Graph().parse(out / "graph.ttl", format="turtle")
    assert len(set(g.subjects(RDF.type, KG.Fact))) == len(result.facts) > 0


def test_seed_evidence_offsets_point_at_the_quoted_text(seed_build):
    from kg.documents import decode

    result, out = seed_build
    g = Graph().parse(out / "graph.ttl", format="turtle")
    texts = {doc_iri(d.doc_id): decode(Path(d.path), Path(d.path).read_bytes()) for d in result.documents}
    checked = 0
    for evidence in g.subjects(RDF.type, KG.Evidence):
        text = texts[g.value(evidence, OA.hasSource)]
        selectors = set(g.objects(evidence, OA.hasSelector))
        (position,) = [s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in g]
        (quote,) = [s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in g]
        start, end = g.value(position, OA.start).toPython(), g.value(position, OA.end).toPython()
        assert text[start:end] == str(g.value(quote, OA.exact)), evidence
        checked += 1
    assert checked == len(result.facts)


def test_seed_graph_conforms_to_the_shapes(seed_build):
    from kg.validate import validate

    _, out = seed_build
    for target in (out, out / "graph.trig"):
        conforms, report = validate(target)
        assert conforms, report


def test_cli_validate_seed_build_prints_conforms(seed_build):
    _, out = seed_build
    proc = run_kg("validate", out)
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    assert proc.stdout.strip() == "conforms"


@pytest.mark.parametrize("corrupt", [
    pytest.param(lambda b: b[: b.index(b"\n", len(b) // 2) + 1] + b"<https://w3id.org/kg/i", id="truncated inside an IRI"),
    pytest.param(lambda b: b + b"\n@@@ not a triple @@@\n", id="garbage appended"),
    pytest.param(lambda b: b"\xff\xfe\x00not utf-8" + b, id="not UTF-8"),
    pytest.param(lambda b: b"", id="empty"),
])
@pytest.mark.parametrize("name", ["graph.ttl", "graph.trig"])
def test_cli_validate_corrupted_graph_is_a_one_line_error(seed_build, tmp_path, corrupt, name):
    _, out = seed_build
    path = tmp_path / name
    path.write_bytes(corrupt((out / name).read_bytes()))
    assert_one_line_error(run_kg("validate", path), 2, str(path))


# --------------------------------------------------------------------------- TriG from Turtle

TRIG_CASES = [   # (behaviour pinned, statement name, texts of the evidence and labels)
    ("a plain name", "statement-1", ["Law No. 6/2008 applies."]),
    ("a name with spaces, brackets and accents", "Réponse (2025) final", ["Macao SAR"]),
    ("a name with a dot and a leading hyphen", "-v1.2.", ["x"]),
    ("line breaks, tabs and quotes in a literal", "s", ['He said "no".\n\tThen:\r\n“yes” \\ done']),
    ("a line or paragraph separator in a literal", "s", ["one\u2028two\u2029three"]),
    ("a literal that looks like a Turtle line", "s", ["\n}\n\t. ;\n@prefix x: <y> ."]),
    ("many facts on one subject", "many", [f"fact {i}" for i in range(40)]),
]


@pytest.mark.parametrize("doc_id, texts", [(d, t) for _, d, t in TRIG_CASES], ids=[i for i, _, _ in TRIG_CASES])
def test_named_graph_trig_is_what_oxigraph_writes_from_quads(doc_id, texts):
    import pyoxigraph as ox

    from kg.export import PREFIX_MAP, named_trig
    from kg.rdf import document_triples

    doc = Document(doc_id=doc_id, path=f"{doc_id}.txt", text=" ".join(texts), sha256="0" * 64, meta={"title": texts[0]})
    who = Entity("concept/" + doc_id.lower().replace(" ", "-"), "Concept", texts[0][:40])
    facts = [Fact(who, "states", "states", Value(t, "text"), Evidence(doc_id, i, i + 1, t)) for i, t in enumerate(texts)]
    triples = sorted(document_triples(doc, who, facts), key=lambda t: str(ox.Triple(*t)))
    graph = ox.NamedNode(str(graph_iri(doc_id)))
    expected = ox.serialize([ox.Quad(*t, graph) for t in triples], format=ox.RdfFormat.TRIG, prefixes=PREFIX_MAP)
    got = named_trig([ox.Triple(*t) for t in triples], graph)
    assert got == expected, "\n".join(difflib.unified_diff(expected.decode().splitlines(), got.decode().splitlines(), lineterm=""))
    assert len(list(ox.parse(got, format=ox.RdfFormat.TRIG))) == len(triples)
