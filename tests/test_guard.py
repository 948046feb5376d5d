"""``kg.guard.check``: SERVICE, LOAD and updates are refused on the parse, whatever the spelling.

Every row is a SPARQL text (``{u}`` a loopback URL that records whether it was contacted), whether
updates are allowed, and what the check must say: ``network`` (SERVICE or LOAD refused), ``update``
(read-only), ``syntax`` (rdflib cannot parse it: refused), ``query`` or ``update-ok`` (runs). The
bypass spellings are those a lexical check got wrong (issue 12): escapes in prefixed names, a
comment ended by a carriage return, codepoint escapes, subqueries, case, prefixed service IRIs.
"""
from __future__ import annotations


import pyoxigraph as ox
import pytest

from kg.guard import MAX_TEXT, Refused, SparqlSyntaxError, check
from kg.query import PREFIXES
from kg.serve import MAX_BODY

S = "{{ ?x ?y ?z }}"     # a service's pattern, in a template
ROWS = [
    # (id, template, updates allowed, outcome)
    ("pn-local-esc-hash", r"SELECT * {{ {{ ?s ?p id:a\# }} UNION {{ SERVICE <{u}/a> " + S + " }} }}", False, "syntax"),
    ("pn-local-esc-quote", r"SELECT * {{ {{ ?s ?p id:a\' }} UNION {{ SERVICE <{u}/b> " + S + " }} }}", False, "network"),
    ("pn-local-esc-hash-load", r"INSERT DATA {{ <urn:a> <urn:b> id:a\# }} ; LOAD <{u}/c>", True, "network"),
    ("pn-local-esc-quote-load", r"INSERT DATA {{ <urn:a> <urn:b> id:a\' }} ; LOAD <{u}/d>", True, "network"),
    ("comment-ended-by-cr", "SELECT * {{ ?s ?p ?o #x\rSERVICE <{u}/e> " + S + "\n}}", False, "network"),
    ("comment-ended-by-cr-load", "INSERT DATA {{ }} ; #x\rLOAD <{u}/f>", True, "network"),
    ("comment-ended-by-crlf", "# c\r\nSELECT * {{ SERVICE <{u}/g> " + S + " }}\r\n", False, "network"),
    ("cr-hides-drop-all", "#x\rDROP ALL", False, "update"),
    ("cr-after-query-drop-all", "SELECT * {{}} #x\rDROP ALL", False, "syntax"),
    ("cr-after-ask-load", "ASK {{}} #x\rLOAD <{u}/h>", True, "syntax"),
    ("u-escape-keyword", r"SELECT * {{ \u0053ERVICE <{u}/i> " + S + " }}", False, "network"),
    ("U-escape-keyword", r"SELECT * {{ \U00000053ERVICE <{u}/j> " + S + " }}", False, "network"),
    ("u-escape-in-iri", r"SELECT * {{ SERVICE <\u0068ttp://127.0.0.1:{p}/k> " + S + " }}", False, "network"),
    ("u-escape-in-prefixed-name", r"PREFIX x: <{u}/> SELECT * {{ SERVICE x:\u006C " + S + " }}", False, "network"),
    ("u-escape-newline-ends-comment", r"SELECT * {{ ?s ?p ?o # \u000A SERVICE <{u}/m> " + S + " }}", False, "network"),
    ("u-escape-keyword-load", r"\u004cOAD <{u}/n>", True, "network"),
    ("u-escape-spells-an-escape", r"SELECT * {{ \u005Cu0053ERVICE <{u}/o> " + S + " }}", False, "syntax"),
    ("u-escape-surrogate", r'SELECT * {{ ?s ?p "\uD800" }}', False, "syntax"),
    ("lower-case", "select * {{ service <{u}/p> " + S + " }}", False, "network"),
    ("mixed-case-silent", "SELECT * {{ SeRvIcE\tSiLeNt <{u}/q> " + S + " }}", False, "network"),
    ("subquery", "SELECT * {{ {{ SELECT ?x {{ SERVICE <{u}/r> " + S + " }} }} }}", False, "network"),
    ("nested-subqueries", "SELECT * {{ {{ SELECT * {{ {{ SELECT ?x {{ ?x ?y ?z OPTIONAL {{ SERVICE <{u}/s> " + S
     + " }} }} }} }} }} }}", False, "network"),
    ("optional", "SELECT * {{ ?s ?p ?o OPTIONAL {{ SERVICE <{u}/t> " + S + " }} }}", False, "network"),
    ("minus", "SELECT * {{ ?s ?p ?o MINUS {{ SERVICE <{u}/u> " + S + " }} }}", False, "network"),
    ("filter-exists", "SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{u}/v> " + S + " }} }}", False, "network"),
    ("filter-not-exists-in-bind", "SELECT * {{ BIND(NOT EXISTS {{ SERVICE <{u}/w> " + S + " }} AS ?b) }}", False,
     "network"),
    ("graph", "SELECT * {{ GRAPH ?g {{ SERVICE <{u}/x> " + S + " }} }}", False, "network"),
    ("prefixed-service-iri", "PREFIX svc: <{u}/> SELECT * {{ SERVICE svc:y " + S + " }}", False, "network"),
    ("base-relative-service-iri", "BASE <{u}/> SELECT * {{ SERVICE <z> " + S + " }}", False, "network"),
    ("service-variable", "SELECT * {{ BIND(<{u}/aa> AS ?u) SERVICE ?u " + S + " }}", False, "network"),
    ("hash-in-string-before-service", 'SELECT * {{ ?s ?p """#""" .\nSERVICE <{u}/ab> ' + S + " }}", False, "network"),
    # rdflib's parser looks for the service's own text from the start of the query, reading a '#'
    # anywhere as a comment: when none is found on that line the parse fails (refused all the same)
    ("hash-in-string-before-service-same-line", 'SELECT * {{ ?s ?p """#""" . SERVICE <{u}/ao> ' + S + " }}", False,
     "syntax"),
    ("ask", "ASK {{ SERVICE <{u}/ac> " + S + " }}", False, "network"),
    ("construct", "CONSTRUCT {{ ?x ?y ?z }} WHERE {{ SERVICE <{u}/ad> " + S + " }}", False, "network"),
    ("describe", "DESCRIBE ?x WHERE {{ SERVICE <{u}/ae> " + S + " }}", False, "network"),
    ("keyword-glued-to-silent", "SELECT * {{ SERVICEsilent <{u}/af> " + S + " }}", False, "syntax"),
    ("keyword-glued-to-number", "SELECT * {{ ?s ?p 3SERVICE <{u}/ag> {{ }} }}", False, "syntax"),
    ("load", "LOAD <{u}/ah>", True, "network"),
    ("load-lower-case-silent-into", "load silent <{u}/ai> into graph <urn:g>", True, "network"),
    ("load-after-an-insert", "INSERT DATA {{ <urn:a> <urn:b> 1 }} ;\nLOAD <{u}/aj>", True, "network"),
    ("load-on-a-read-only-endpoint", "LOAD <{u}/ak>", False, "network"),
    ("insert-where-service", "INSERT {{ ?x ?y ?z }} WHERE {{ SERVICE <{u}/al> " + S + " }}", True, "network"),
    ("with-delete-insert-subquery", "WITH <urn:g> DELETE {{ ?x ?y ?z }} INSERT {{ ?x ?y 1 }} WHERE {{ {{ SELECT * "
     "{{ SERVICE <{u}/am> " + S + " }} }} }}", True, "network"),
    ("delete-where-optional", "DELETE {{ ?x ?y ?z }} WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE <{u}/an> " + S + " }} }}",
     True, "network"),
    # updates where only queries are allowed
    ("drop-all", "DROP ALL", False, "update"),
    ("clear-lower-case", "clear default", False, "update"),
    ("insert-data", "PREFIX x: <urn:x:> INSERT DATA {{ x:a x:b x:c }}", False, "update"),
    ("delete-where-after-comment", "# a comment\nDELETE WHERE {{ ?s ?p ?o }}", False, "update"),
    ("query-then-update", "SELECT * {{}} ; DROP ALL", False, "syntax"),
    ("empty", "", False, "syntax"),
    ("comment-only", "# SELECT * {{}}", True, "syntax"),
    # what must still run
    ("select-with-comment", "SELECT ?s WHERE {{ ?s ?p ?o }} # SERVICE <{u}/ba> {{ }}", False, "query"),
    ("ask-with-comment", "# LOAD <{u}/bb>\nASK {{ ?s ?p ?o }}", False, "query"),
    ("construct-plain", "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT 3", False, "query"),
    ("describe-plain", "DESCRIBE id:macao-sar", False, "query"),
    ("string-with-service", 'SELECT ?s {{ ?s skos:prefLabel "SERVICE <{u}/bc> {{ }}" }}', False, "query"),
    ("long-string-with-service", "SELECT ?s {{ ?s ?p '''a\nSERVICE <{u}/bd> {{ }}''' }}", False, "query"),
    ("string-with-load", "SELECT ?s {{ ?s ?p 'LOAD <{u}/be>' }}", False, "query"),
    ("iri-with-service", "SELECT ?load {{ ?s <http://x/service/load> ?load }}", False, "query"),
    ("names-with-service", "SELECT * {{ ?service ?p id:immigration-service . ?load ?q id:load }}", False, "query"),
    ("blank-node-service", "SELECT * {{ ?s ?p _:service }}", False, "query"),
    ("pn-local-esc-quote-alone", r"SELECT * {{ ?s ?p id:a\' }}", False, "query"),
    ("crlf-line-ends", "SELECT ?s\r\nWHERE {{ ?s ?p ?o }}\r\n", False, "query"),
    ("u-escape-select", r"\u0053ELECT * {{ ?s ?p ?o }}", False, "query"),
    ("nested-subquery-plain", "SELECT * {{ {{ SELECT ?s {{ {{ SELECT ?s {{ ?s ?p ?o }} }} }} }} }}", False, "query"),
    ("regex-service", "SELECT ?l {{ ?s skos:prefLabel ?l FILTER regex(?l, 'service', 'i') }}", False, "query"),
    ("insert-data-with-service-string", 'INSERT DATA {{ <urn:a> <urn:b> "SERVICE <{u}/bf> {{ }}" }}', True,
     "update-ok"),
    ("query-where-updates-are-allowed", "ASK {{}}", True, "query"),
]
IDS = [row[0] for row in ROWS]
URL = "http://127.0.0.1:9"          # in the table tests nothing runs; the server tests use a listener


def text_of(template: str, url: str = URL) -> str:
    return template.format(u=url, p=url.rsplit(":", 1)[1])


def outcome(text: str, updates: bool) -> tuple[str, str]:
    """What the check says of a text: (outcome, message)."""
    try:
        checked = check(text, updates=updates)
    except Refused as exc:
        return ("update" if "Update refused" in str(exc) else "network"), str(exc)
    except SparqlSyntaxError as exc:
        return "syntax", str(exc)
    return ("update-ok" if checked.update else "query"), checked.text


@pytest.mark.parametrize("template, updates, expected", [row[1:] for row in ROWS], ids=IDS)
def test_check_decides_on_the_parse(template, updates, expected):
    got, message = outcome(text_of(template), updates)
    assert got == expected, message
    if expected == "network":
        assert message.startswith(("SERVICE refused", "LOAD refused")), message


def test_the_table_covers_every_outcome():
    assert len(ROWS) >= 30 and len(set(IDS)) == len(IDS)
    assert {row[3] for row in ROWS} == {"network", "update", "syntax", "query", "update-ok"}


QUERIES = [row for row in ROWS if row[3] == "query"]


@pytest.mark.parametrize("template", [row[1] for row in QUERIES], ids=[row[0] for row in QUERIES])
def test_what_the_check_passes_oxigraph_runs(template):
    """The checked text (escapes expanded, line ends normalised) is still a query Oxigraph reads."""
    answer = ox.Store().query(check(text_of(template)).text, prefixes=PREFIXES)
    assert isinstance(answer, ox.QueryBoolean) or list(answer) == []


@pytest.mark.parametrize("text, canonical", [
    ("ASK {}\r", "ASK {}\n"), ("ASK {}\r\n", "ASK {}\r\n"), (r"\u0041SK {}", "ASK {}"), (r"\U00000041SK {}", "ASK {}"),
    ('ASK { ?s ?p "C:\\\\users" }', 'ASK { ?s ?p "C:\\\\users" }'),
], ids=["lone-cr", "crlf-kept", "u-escape", "U-escape", "backslash-u-not-an-escape"])
def test_the_text_that_runs_is_the_text_parsed(text, canonical):
    assert check(text).text == canonical


def test_the_parse_is_capped_at_the_request_limit():
    assert MAX_TEXT == MAX_BODY
    with pytest.raises(SparqlSyntaxError, match="over the"):
        check("ASK {}" + " " * MAX_TEXT)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { " + "{" * 6000 + "}" * 6000 + " }",
    "ASK { FILTER(" + "(" * 6000 + "1" + ")" * 6000 + ") }",
], ids=["nested-groups", "nested-parentheses"])
def test_a_parse_too_deep_is_refused_not_a_crash(text):
    with pytest.raises(SparqlSyntaxError, match="too deeply nested"):
        check(text)


def test_many_triple_patterns_still_parse():
    """rdflib's grammar recurses once per triple pattern: the check runs it with room for thousands."""
    text = "SELECT * WHERE { " + " ".join(f"?s{i} <http://x/p> ?o{i} ." for i in range(1500)) + " }"
    assert check(text).update is False


# --------------------------------------------------------------------------- why: Oxigraph fetches them



LIVE = ["pn-local-esc-hash", "pn-local-esc-quote", "u-escape-in-iri", "lower-case", "mixed-case-silent", "subquery",
        "nested-subqueries", "prefixed-service-iri", "base-relative-service-iri", "ask", "construct", "describe",
        "comment-ended-by-crlf"]


@pytest.mark.parametrize("name", LIVE)
def test_oxigraph_would_fetch_these_spellings(canary, name):
    """The rows are real bypasses: Oxigraph itself, unguarded, contacts the URL."""
    url, seen = canary
    template = ROWS[IDS.index(name)][1]
    try:
        list(ox.Store().query(text_of(template, url), prefixes=PREFIXES))
    except (OSError, RuntimeError, SyntaxError):
        pass
    assert len(seen) == 1 and seen[0].startswith(b"POST /"), seen
