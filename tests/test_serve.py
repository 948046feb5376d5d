"""``kg serve`` end to end: the real command on a free loopback port, queried with SPARQLWrapper.

The graph is made by hand (no spaCy model): the two statements of test_query.py, plus a few
hundred filler triples so that a cross product runs far past the one-second timeout.
"""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TURTLE, SPARQLWrapper

from test_query import ID, tiny_dataset

ROOT = Path(__file__).resolve().parent.parent
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
TIMEOUT = 1.0
MAX_ROWS = 50


def make_graph(folder: Path) -> Path:
    folder.mkdir(parents=True)
    ds = tiny_dataset()
    filler = ds.graph(URIRef("https://w3id.org/kg/graph/filler"))
    for i in range(300):
        filler.add((URIRef(f"{ID}filler/{i}"), URIRef("https://schema.org/position"), Literal(i)))
    ds.serialize(folder / "graph.trig", format="trig")
    return folder


class Server:
    """``python -m kg serve`` in a subprocess; its URL is read from its first line on stderr."""

    def __init__(self, graph: Path, *options: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(graph), "--port", "0",
                                      "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS), *options],
                                     cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self.lines: list[str] = []
        first = self._read_line(deadline=time.monotonic() + 60)
        assert first.startswith("kg: serving ") and "read" in first, first
        self.url = first.split(" at ")[1].split()[0]
        threading.Thread(target=self._drain, daemon=True).start()

    def _read_line(self, deadline: float) -> str:
        line = self.proc.stderr.readline()
        if not line or time.monotonic() > deadline:
            self.proc.kill()
            pytest.fail(f"kg serve did not start: {line}{self.proc.stderr.read()}")
        return line.strip()

    def _drain(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> Path:
    return make_graph(tmp_path_factory.mktemp("serve") / "out")


@pytest.fixture(scope="module")
def server(graph):
    (graph / "graph.html").write_text("<html><body>graph view</body></html>", encoding="utf-8")
    srv = Server(graph)
    yield srv
    assert srv.stop() in (0, 130)
    assert all(line.startswith("kg: ") for line in srv.lines), srv.lines
    assert "Traceback" not in "\n".join(srv.lines)


def client(url: str, query: str, fmt: str = JSON, method: str | None = None) -> SPARQLWrapper:
    sparql = SPARQLWrapper(url)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setTimeout(30)
    if method:
        sparql.setMethod(POST)
        sparql.setRequestMethod(method)
    return sparql


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


LABELS = "SELECT ?label WHERE { ?s skos:prefLabel ?label } ORDER BY ?label"


def test_binds_to_loopback_by_default(server):
    assert server.url.startswith("http://127.0.0.1:") and server.url.endswith("/sparql")


def test_select_json(server):
    result = client(server.url, LABELS).query().convert()
    labels = [b["label"]["value"] for b in result["results"]["bindings"]]
    assert result["head"]["vars"] == ["label"]
    assert "Ministry of Tides" in labels and labels == sorted(labels)
    assert len(labels) == len(set(labels))   # the default graph is the merge: no duplicates


def test_select_csv_posted_as_a_query_body(server):
    for method in (None, POSTDIRECTLY):
        body = client(server.url, LABELS, CSV, method).query().convert()
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert rows[0] == ["label"] and ["Tide Board"] in rows


def test_construct_turtle_and_json_ld(server):
    query = "CONSTRUCT { ?s kg:implements ?o } WHERE { ?s kg:implements ?o }"
    turtle = client(server.url, query, TURTLE).query().convert()
    g = Graph().parse(data=turtle, format="turtle")
    assert set(g) == {(URIRef(ID + "freedonia-tides"), URIRef("https://w3id.org/kg/ontology#implements"),
                       URIRef(ID + "freedonia-law-1-2020"))}
    jsonld = client(server.url, query, JSONLD).query().convert()
    assert set(jsonld) == set(g)


def test_update_is_refused(server):
    update = client(server.url, f"INSERT DATA {{ <{ID}x> <{ID}p> <{ID}y> }}", JSON, POSTDIRECTLY)
    with pytest.raises(urllib.error.HTTPError) as err:
        update.query()
    assert err.value.code == 403
    status, _, body = http(server.url, data=urlencode({"update": "DROP ALL"}).encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and b"read-only" in body
    status, _, _ = http(server.url + "?" + urlencode({"query": "CLEAR DEFAULT"}))
    assert status == 403
    assert client(server.url, "ASK { ?s kg:implements ?o }").query().convert()["boolean"] is True


def test_runaway_query_times_out_and_the_server_keeps_serving(server):
    started = time.monotonic()
    status, _, body = http(server.url + "?" + urlencode({"query": RUNAWAY}))
    assert status == 503 and b"timed out" in body
    assert time.monotonic() - started < TIMEOUT + 10
    for _ in range(3):   # the killed worker is replaced; every worker still answers
        result = client(server.url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").query().convert()
        assert int(result["results"]["bindings"][0]["n"]["value"]) > 300


def test_row_cap_truncates_and_says_so(server):
    status, headers, body = http(server.url + "?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}),
                                 headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and headers.get("X-KG-Truncated") == f"true; max-rows={MAX_ROWS}"
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS


@pytest.mark.parametrize("accept, media, marker", [
    ("application/sparql-results+xml", "application/sparql-results+xml", b"<sparql"),
    ("text/tab-separated-values", "text/tab-separated-values", b"?label\n"),
    ("text/csv;q=0.5, application/sparql-results+json", "application/sparql-results+json", b'"vars"'),
    ("*/*", "application/sparql-results+json", b'"vars"'),
])
def test_content_negotiation(server, accept, media, marker):
    status, headers, body = http(server.url + "?" + urlencode({"query": LABELS}), headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(media) and marker in body


def test_errors_are_clear(server):
    status, _, body = http(server.url + "?" + urlencode({"query": "SELECT ?s WHERE {\n ?s ?p }"}))
    assert status == 400 and b"line 2, column" in body
    status, _, _ = http(server.url + "?" + urlencode({"query": LABELS}), headers={"Accept": "image/png"})
    assert status == 406
    status, _, _ = http(server.url, data=b"x", headers={"Content-Type": "application/pdf"})
    assert status == 415


def test_query_page_and_graph_view(server):
    base = server.url.rsplit("/", 1)[0]
    status, headers, body = http(base + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"<form" in body and b"rankings" in body and b'href="/graph"' in body
    status, _, body = http(base + "/?name=rankings")
    assert status == 200 and b"VALUES" in body
    status, _, body = http(base + "/graph")
    assert status == 200 and b"graph view" in body
    status, _, body = http(base + "/sparql?" + urlencode({"query": LABELS, "format": "html"}))
    assert status == 200 and b"Tide Board" in body
    assert http(base + "/nowhere")[0] == 404


def test_updates_when_allowed(tmp_path):
    srv = Server(make_graph(tmp_path / "out"), "--allow-update", "--quiet")
    try:
        update = client(srv.url, f"INSERT DATA {{ <{ID}x> <{ID}p> 'new' }}", JSON, POSTDIRECTLY)
        update.query()
        result = client(srv.url, f"SELECT ?o WHERE {{ <{ID}x> <{ID}p> ?o }}").query().convert()
        assert [b["o"]["value"] for b in result["results"]["bindings"]] == ["new"]
    finally:
        assert srv.stop() in (0, 130)
    assert srv.lines == ["kg: interrupted"]


def test_bad_graph_exits_2(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kg", "serve", str(tmp_path / "nothing"), "--port", "0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert proc.returncode == 2 and proc.stderr.startswith("kg: error: ") and "no such graph" in proc.stderr
