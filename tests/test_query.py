"""``kg query``: named competency queries on data/, parameters bound as terms, result formats.

Model-free tests use a small graph made with kg.rdf from hand-written records (two statements
of the invented Ministry of Tides of Freedonia); the competency questions run on the build of
data/ (the ``seed_build`` fixture).
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery

from conftest import SEED
from kg import query as q
from kg.cli import main
from kg.documents import Document
from kg.errors import DataError, UsageError
from kg.rdf import build_dataset, union_graph
from kg.records import Entity, Evidence, Fact, Value
from kg.store import is_store, load, open_store, save

ID = "https://w3id.org/kg/id/"
KG = "https://w3id.org/kg/ontology#"
INJECTION = 'x" } DROP ALL #'

GOV = Entity("freedonia-tides", "GovernmentBody", "Ministry of Tides", known=True)
LAND = Entity("freedonia", "Jurisdiction", "Freedonia", known=True)
LAW = Entity("freedonia-law-1-2020", "Law", "Law No. 1/2020", known=True)
REPORT = Entity("tip-report-2024", "Report", "2024 Trafficking in Persons Report", known=True)
DOS = Entity("us-dos", "GovernmentBody", "U.S. Department of State", known=True)
TIER = Entity("tier-2", "Tier", "Tier 2", known=True)
BOARD = Entity("freedonia-board", "Committee", "Tide Board", known=True)
NGOS = Entity("concept/ngos", "Concept", "NGOs")
CLAIM = Entity("claim/a/fishermen-exploited", "Claim", "fishermen in Port Café were exploited")

SENTENCES_A = ['The Ministry implements Law No. 1/2020 "Tides Act".',
               "The report ranked Freedonia Tier 2 and alleges that fishermen in Port Café were exploited.",
               "The Ministry denies it.", "The Tide Board coordinates NGOs."]
SENTENCES_B = ["The Ministry implements Law No. 1/2020 in Freedonia.",
               "The U.S. Department of State publishes the report."]


def _ev(doc: str, sentences: list[str], i: int) -> Evidence:
    start = len(" ".join(sentences[:i])) + (1 if i else 0)
    return Evidence(doc, start, start + len(sentences[i]), sentences[i])


def tiny_dataset():
    """Two statements of the Ministry of Tides, as kg.rdf writes them."""
    a = Document(path="a.txt", text=" ".join(SENTENCES_A), doc_id="a", meta={"publisher": GOV.label},
                 date="2024-05-01")
    b = Document(path="b.txt", text=" ".join(SENTENCES_B), doc_id="b", meta={"publisher": GOV.label},
                 date="2025-02-03")
    facts_a = [
        Fact(GOV, "implements", "implements", LAW, _ev("a", SENTENCES_A, 0)),
        Fact(LAW, "hasTitle", "has title", Value("Tides Act"), _ev("a", SENTENCES_A, 0)),
        Fact(LAND, "ranksAt", "ranks at", TIER, _ev("a", SENTENCES_A, 1),
             qualifiers=(("report", "tip-report-2024"), ("year", "2024"))),
        Fact(REPORT, "ranks", "ranks", LAND, _ev("a", SENTENCES_A, 1)),
        Fact(REPORT, "alleges", "alleges", CLAIM, _ev("a", SENTENCES_A, 1)),
        Fact(GOV, "denies", "denies", CLAIM, _ev("a", SENTENCES_A, 2)),
        Fact(BOARD, "coordinates", "coordinates", NGOS, _ev("a", SENTENCES_A, 3)),
    ]
    facts_b = [
        Fact(GOV, "implements", "implements", LAW, _ev("b", SENTENCES_B, 0)),
        Fact(DOS, "publishes", "publishes", REPORT, _ev("b", SENTENCES_B, 1)),
    ]
    return build_dataset([(a, GOV, facts_a), (b, GOV, facts_b)])


def write_tiny(folder: Path) -> Path:
    """A build folder (graph.trig and graph.ttl) of the two statements."""
    folder.mkdir(parents=True, exist_ok=True)
    ds = tiny_dataset()
    ds.serialize(folder / "graph.trig", format="trig")
    union_graph(ds).serialize(folder / "graph.ttl", format="turtle")
    return folder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return write_tiny(tmp_path_factory.mktemp("tiny") / "out")


@pytest.fixture(scope="module")
def tiny_store(tiny):
    return load(tiny)


def named(store, name: str, **values: str) -> list[dict[str, str]]:
    """A named query's rows, each a dict of plain values (IRIs, lexical forms)."""
    text, subs = q.prepare(name, None, values)
    result = q.run(store, text, subs)
    return [{k: t.value for k, t in zip(result.variables, row) if t is not None} for row in result.rows]


def run_cli(capsysbinary, *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsysbinary.readouterr()
    return code, out.decode("utf-8"), err.decode("utf-8")


# --------------------------------------------------------------------------- named queries

@pytest.mark.parametrize("name", sorted(q.named_queries()))
def test_named_query_is_documented_portable_sparql(name):
    nq = q.named_query(name)
    assert nq.question.endswith("?") and nq.description
    assert all(p.doc for p in nq.params)
    prepareQuery(nq.text)                       # rdflib parses it too: it is plain SPARQL 1.1
    q.run(ox.Store(), nq.text)                  # and it runs unparametrised
    filled = q.fill(nq, {p.name: q.to_term(p.default or "id:x", p.kind) for p in nq.params})
    assert "UNDEF" not in filled or not nq.params
    prepareQuery(filled)


def test_list_shows_every_named_query_and_its_parameters(capsysbinary):
    code, out, err = run_cli(capsysbinary, "query", "--list")
    assert code == 0 and err == ""
    for nq in q.named_queries().values():
        assert nq.name in out and nq.question in out
        for p in nq.params:
            assert f"--param {p.name}=" in out


def test_unknown_name_lists_the_names(capsysbinary, tiny):
    code, out, err = run_cli(capsysbinary, "query", tiny, "--name", "who-knows")
    assert code == 2 and out == ""
    assert "who-knows" in err and all(name in err for name in q.named_queries())


def test_syntax_error_has_line_and_column(capsysbinary, tiny):
    code, out, err = run_cli(capsysbinary, "query", tiny, "SELECT ?s\nWHERE {\n  ?s ?p }")
    assert code == 2 and out == ""
    assert re.search(r"syntax error at line 3, column \d+", err), err
    assert len(err.strip().splitlines()) == 1


def test_parameters_are_rdf_terms_never_query_text(tiny, tiny_store):
    before = len(tiny_store)
    # an ad-hoc query: the value is substituted as one string literal
    result = q.run(tiny_store, "SELECT ?x WHERE {}", q.bind(None, {"x": INJECTION}))
    assert [row[0] for row in result.rows] == [ox.Literal(INJECTION)]
    # a named query's VALUES row holds the term in N-Triples syntax
    nq = q.NamedQuery("t", "?", "", (q.Param("x", "string", None, True, "x"),),
                      "SELECT ?x ?n WHERE { VALUES (?x) { (UNDEF) } BIND(STRLEN(?x) AS ?n) }")
    row = q.run(tiny_store, q.fill(nq, q.bind(nq, {"x": INJECTION}))).rows[0]
    assert row[0] == ox.Literal(INJECTION) and int(row[1].value) == len(INJECTION)
    assert len(tiny_store) == before
    with pytest.raises(UsageError, match="not an IRI"):
        q.prepare("rankings", None, {"area": INJECTION})


def test_parameter_errors(capsysbinary, tiny):
    code, _, err = run_cli(capsysbinary, "query", tiny, "--name", "rankings", "--param", "colour=blue")
    assert code == 2 and "colour" in err and "report, area" in err
    code, _, err = run_cli(capsysbinary, "query", tiny, "--name", "publisher-statements", "-p", "from=last week")
    assert code == 2 and "not a valid date" in err
    code, _, err = run_cli(capsysbinary, "query", tiny, "--name", "rankings", "-p", "area")
    assert code == 2 and "NAME=VALUE" in err


def test_federated_query_is_refused_and_nothing_is_fetched(capsysbinary, tiny, tmp_path):
    import socket
    import threading
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    hits, done = [], threading.Event()

    def answer() -> None:       # a probe that counts callers and hangs up at once
        while not done.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            hits.append(1)
            conn.close()

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/probe"
        text = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
        code, _, err = run_cli(capsysbinary, "query", tiny, text)
        assert code == 2 and "SERVICE" in err and "network" in err, err
        (tmp_path / "q.rq").write_text(text)
        code, _, err = run_cli(capsysbinary, "view", tiny, "--query", tmp_path / "q.rq", "--out", tmp_path / "v.html")
        assert code == 2 and "SERVICE" in err, err
    finally:
        done.set()
        thread.join(2)
        listener.close()
    assert not hits, "the query left the machine"


def test_updates_are_not_queries(capsysbinary, tiny):
    code, _, err = run_cli(capsysbinary, "query", tiny, "DROP ALL")
    assert code == 2 and "Update" in err


def test_default_graph_is_the_merge_of_the_documents(tiny_store):
    # the Ministry's label is written in both statements' graphs, but it is one triple of the merge
    result = q.run(tiny_store, "SELECT ?l WHERE { id:freedonia-tides skos:prefLabel ?l }")
    assert len(result.rows) == 1
    graphs = q.run(tiny_store, "SELECT ?g WHERE { GRAPH ?g { id:freedonia-tides skos:prefLabel ?l } }")
    assert len(graphs.rows) == 2


def test_tiny_competency_answers(tiny_store):
    assert named(tiny_store, "report-publisher") == [
        {"report": ID + "tip-report-2024", "reportLabel": REPORT.label, "publisher": ID + "us-dos",
         "publisherLabel": DOS.label}]
    (ranking,) = named(tiny_store, "rankings", area="freedonia")
    assert (ranking["tier"], ranking["year"], ranking["document"]) == (ID + "tier-2", "2024", "a")
    assert named(tiny_store, "implemented-laws", area="freedonia") == []
    mentions = named(tiny_store, "entity-mentions")
    assert [(m["entity"], m["documents"]) for m in mentions[:3]] == [   # then by label
        (ID + "tip-report-2024", "2"), (ID + "freedonia-law-1-2020", "2"), (ID + "freedonia-tides", "2")]
    assert {m["entity"] for m in mentions if m["documents"] == "1"} >= {ID + "us-dos", ID + "tier-2"}
    assert all(m["class"] != KG + "Claim" for m in mentions)
    assert [m["entity"] for m in named(tiny_store, "entity-mentions", **{"class": "kg:Law"})] == [LAW_IRI]


LAW_IRI = ID + "freedonia-law-1-2020"


def test_publisher_statements_between_two_dates(tiny_store):
    rows = named(tiny_store, "publisher-statements", publisher="freedonia-tides", to="2024-12-31")
    assert {r["document"] for r in rows} == {"a"} and len(rows) == 7
    rows = named(tiny_store, "publisher-statements", publisher="freedonia-tides", **{"from": "2025-02-03"})
    assert {(r["predicateLabel"], r["objectLabel"]) for r in rows} == {("implements", LAW.label),
                                                                      ("publishes", REPORT.label)}
    assert named(tiny_store, "publisher-statements", publisher="us-dos") == []


# --------------------------------------------------------------------------- formats

QUERY = "SELECT ?s ?label ?start WHERE { ?s skos:prefLabel ?label . OPTIONAL { ?s oa:start ?start } } ORDER BY ?s"


@pytest.mark.parametrize("fmt, ox_format", [("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML),
                                            ("csv", ox.QueryResultsFormat.CSV), ("tsv", ox.QueryResultsFormat.TSV)])
def test_result_formats_are_the_w3c_ones(tiny_store, fmt, ox_format):
    mine = q.render(q.run(tiny_store, QUERY), fmt)
    reference = tiny_store.query(QUERY, prefixes=q.PREFIXES).serialize(format=ox_format)
    if fmt == "csv":   # lossy, so pyoxigraph does not parse it: compare the cells
        assert list(csv.reader(io.StringIO(mine.decode()))) == list(csv.reader(io.StringIO(reference.decode())))
        assert mine.endswith(b"\r\n")
        return
    parsed = list(ox.parse_query_results(mine, ox_format))
    expected = list(ox.parse_query_results(reference, ox_format))
    assert [tuple(s) for s in parsed] == [tuple(s) for s in expected] and parsed


def test_csv_and_json_through_the_cli(capsysbinary, tiny):
    code, out, _ = run_cli(capsysbinary, "query", tiny, QUERY, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[0] == ["s", "label", "start"] and [ID + "freedonia", "Freedonia", ""] in rows
    code, out, _ = run_cli(capsysbinary, "query", tiny, "ASK { id:freedonia kg:ranksAt id:tier-2 }", "-F", "json")
    assert code == 0 and json.loads(out) == {"head": {}, "boolean": True}


def test_construct_gives_turtle_or_any_rdflib_format(capsysbinary, tiny):
    construct = "CONSTRUCT { ?s kg:implements ?o } WHERE { ?s kg:implements ?o }"
    code, out, _ = run_cli(capsysbinary, "query", tiny, construct)
    assert code == 0 and len(Graph().parse(data=out, format="turtle")) == 1
    code, out, _ = run_cli(capsysbinary, "query", tiny, construct, "--format", "pretty-xml")
    assert code == 0 and len(Graph().parse(data=out, format="xml")) == 1
    code, _, err = run_cli(capsysbinary, "query", tiny, construct, "--format", "csv")
    assert code == 2 and "graph" in err


def test_max_rows_truncates_and_says_so(capsysbinary, tiny):
    code, out, err = run_cli(capsysbinary, "query", tiny, "SELECT * WHERE { ?s ?p ?o }", "-F", "tsv", "--max-rows", "3")
    assert code == 0 and len(out.splitlines()) == 4 and "truncated at 3 rows" in err


def test_graph_sources(tmp_path, tiny, capsysbinary):
    store_dir = tmp_path / "store"
    save(tiny / "graph.trig", store_dir)
    assert is_store(store_dir) and not is_store(tiny)
    for source in (tiny, tiny / "graph.trig", tiny / "graph.ttl", store_dir):
        code, out, err = run_cli(capsysbinary, "query", source, "--name", "rankings", "-F", "csv")
        assert code == 0 and "tier-2" in out, (source, err)
    (tmp_path / "empty").mkdir()
    (tmp_path / "bad.ttl").write_text("this is not turtle", encoding="utf-8")
    for bad, reason in ((tmp_path / "missing", "no such graph"), (tmp_path / "empty", "no graph.trig"),
                        (tmp_path / "bad.ttl", "cannot parse")):
        code, _, err = run_cli(capsysbinary, "query", bad, "--name", "rankings")
        assert code == 2 and reason in err
    with pytest.raises(UsageError):
        open_store(tmp_path / "missing")


def test_a_named_query_without_its_values_row_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "broken.rq").write_text("# Broken?\n# text\n# param ?x (iri, optional): x\nSELECT ?x WHERE {}\n")
    monkeypatch.setattr(q, "queries_dir", lambda: folder)
    q.named_queries.cache_clear()
    try:
        with pytest.raises(DataError, match="VALUES"):
            q.named_queries()
    finally:
        q.named_queries.cache_clear()


# --------------------------------------------------------------------------- the competency questions on data/

@pytest.fixture(scope="module")
def seed(seed_build):
    result, out = seed_build
    return load(out), out


def test_who_published_the_report(seed):
    rows = named(seed[0], "report-publisher", report="tip-report-2025")
    assert [(r["publisher"], r["publisherLabel"]) for r in rows] == [(ID + "us-dos", "U.S. Department of State")]


def test_which_tier_to_which_area_in_which_year(seed):
    rows = named(seed[0], "rankings", report="id:tip-report-2025")
    assert [(r["area"], r["tier"], r["tierLabel"], r["year"]) for r in rows] == [
        (ID + "macao-sar", ID + "tier-3", "Tier 3", "2025")]


def test_which_law_the_macao_sar_implements(seed):
    rows = named(seed[0], "implemented-laws", area="macao-sar")
    assert [(r["law"], r["lawLabel"], r.get("title")) for r in rows] == [
        (ID + "macao-law-6-2008", "Law No. 6/2008", "Combat the Crime of Trafficking in Persons")]


def test_which_bodies_the_committee_coordinates_or_collaborates_with(seed):
    rows = named(seed[0], "committee-partners", committee="macao-htdmcc")
    partners = {(r["relation"].split("#")[1], r["bodyLabel"]) for r in rows}
    assert {("coordinates", "government departments"), ("coordinates", "NGOs"),
            ("collaboratesWith", "judicial authorities")} <= partners


def test_which_claims_the_report_makes_and_who_denies_them(seed):
    rows = named(seed[0], "claims-opposed", author="tip-report-2025")
    denied = [r for r in rows if r.get("stance") == KG + "denies"]
    assert denied, rows
    (row,) = [r for r in denied if "prosecuted" in r["claimText"]]
    assert row["opponent"] == ID + "macao-security-authority"
    assert row["sentence"] in SEED.read_text(encoding="utf-8")
    assert row["document"] == "00_macao-tip-2025-response"


def test_what_the_publisher_stated_between_two_dates(seed):
    store, out = seed
    rows = named(store, "publisher-statements", publisher="macao-security-authority",
                 **{"from": "2025-09-01", "to": "2025-09-30"})
    facts = (out / "facts.tsv").read_text(encoding="utf-8").count("\n") - 1
    assert len({r["fact"] for r in rows}) == facts > 10
    assert named(store, "publisher-statements", publisher="macao-security-authority", to="2025-09-29") == []


def test_every_fact_has_its_document_sentence_and_offsets(seed):
    rows = named(seed[0], "fact-provenance")
    text = SEED.read_bytes().decode("utf-8").replace("\r\n", "\n")
    assert len(rows) > 10
    for r in rows:
        assert text[int(r["start"]):int(r["end"])] == r["sentence"], r
        assert r["document"] == "00_macao-tip-2025-response"
        assert r["graph"].endswith("/graph/00_macao-tip-2025-response")
    one = rows[0]["fact"]
    assert [r["fact"] for r in named(seed[0], "fact-provenance", fact=f"<{one}>")] == [one]


def test_entities_ranked_by_documents(seed):
    rows = named(seed[0], "entity-mentions")
    entities = {r["entity"] for r in rows}
    assert {ID + "macao-sar", ID + "macao-htdmcc", ID + "tip-report-2025"} <= entities
    assert all(r["documents"] == "1" for r in rows)
    assert named(seed[0], "entity-mentions", **{"class": "kg:Law"})[0]["entity"] == ID + "macao-law-6-2008"
