"""Every entry point refuses the bypass spellings of test_guard.py, and nothing leaves the machine.

A recording SPARQL server on a loopback port (``Upstream``) is both the URL every SERVICE and LOAD
names and, for ``kg serve URL`` and ``kg query URL``, the server kg passes queries on to: it
answers like a SPARQL endpoint and keeps every request it gets. The real ``kg serve`` runs in a
subprocess (``Server`` from test_serve.py); ``kg query`` runs in-process through ``kg.cli.main``.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode

import pytest
from test_guard import ROWS, text_of
from test_serve import Server, http, make_graph

from kg.cli import main

STATUS = {"network": 403, "update": 403, "syntax": 400}
REFUSED = [pytest.param(t, o, id=i) for i, t, u, o in ROWS if o in STATUS and not u]
REFUSED_UPDATES = [pytest.param(t, o, id=i) for i, t, u, o in ROWS if o in STATUS and u]
ALLOWED = [pytest.param(t, id=i) for i, t, u, o in ROWS if o == "query"]
STARTUP = "ASK {}"       # what each kg worker asks a server it fronts, once, when it starts


class Upstream(ThreadingHTTPServer):
    """A SPARQL endpoint that answers every query with no rows (``true`` for ASK) and records
    each request: (method, path, query text)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Record)
        self.seen: list[tuple[str, str, str]] = []
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def queries(self) -> list[str]:
        """The query texts received, but the workers' startup ASKs."""
        return [text for _, _, text in self.seen if text != STARTUP]


class _Record(BaseHTTPRequestHandler):
    server: Upstream

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
        text = parse_qs(body).get("query", [body])[0]
        self.server.seen.append(("POST", self.path, text))
        answer = {"head": {}, "boolean": True} if text.lstrip().upper().startswith("ASK") or "\nASK" in text \
            else {"head": {"vars": []}, "results": {"bindings": []}}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self.server.seen.append(("GET", self.path, ""))
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def upstream():
    server = Upstream()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def upstream_clean(upstream):
    upstream.seen.clear()
    return upstream


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    return make_graph(tmp_path_factory.mktemp("guard") / "out")


@pytest.fixture(scope="module")
def served(graph):
    srv = Server(graph, "--quiet")
    yield srv
    assert srv.stop() in (0, 130)


@pytest.fixture(scope="module")
def front(upstream):
    """``kg serve URL`` in front of the recording server."""
    srv = Server(upstream.url + "/sparql", "--quiet")
    yield srv
    assert srv.stop() in (0, 130)


def ask(url: str, text: str, method: str) -> tuple[int, bytes]:
    if method == "GET":
        status, _, body = http(url + "?" + urlencode({"query": text}))
    else:
        status, _, body = http(url, data=text.encode("utf-8"), headers={"Content-Type": "application/sparql-query"})
    return status, body


# --------------------------------------------------------------------------- kg serve GRAPH

@pytest.mark.parametrize("template, expected", REFUSED)
def test_kg_serve_refuses_and_fetches_nothing(served, upstream_clean, template, expected):
    text = text_of(template, upstream_clean.url)
    for method in ("GET", "POST"):
        status, body = ask(served.url, text, method)
        assert status == STATUS[expected], body
        assert body.count(b"\n") == 1 and b"Traceback" not in body, body
    assert upstream_clean.seen == []


@pytest.mark.parametrize("template", ALLOWED)
def test_kg_serve_still_answers_ordinary_queries(served, template):
    status, body = ask(served.url, text_of(template), "POST")
    assert status == 200, body


def test_kg_serve_allow_update_refuses_every_update_spelling(tmp_path, upstream_clean):
    srv = Server(make_graph(tmp_path / "out"), "--allow-update", "--quiet")
    try:
        for param in REFUSED_UPDATES:
            template, expected = param.values
            text = text_of(template, upstream_clean.url)
            status, _, body = http(srv.url, data=text.encode(), headers={"Content-Type": "application/sparql-update"})
            assert status == STATUS[expected], (param.id, body)
        status, _, body = http(srv.url, data=b"INSERT DATA { <urn:a> <urn:b> 'SERVICE <urn:x> {}' }",
                               headers={"Content-Type": "application/sparql-update"})
        assert status == 200, body
    finally:
        assert srv.stop() in (0, 130)
    assert upstream_clean.seen == []


# --------------------------------------------------------------------------- kg serve URL

@pytest.mark.parametrize("template, expected", REFUSED)
def test_kg_serve_url_forwards_nothing_it_refuses(front, upstream_clean, template, expected):
    text = text_of(template, upstream_clean.url)
    for method in ("GET", "POST"):
        status, body = ask(front.url, text, method)
        assert status == STATUS[expected], body
    assert upstream_clean.queries() == []


@pytest.mark.parametrize("text", ["#x\rDROP ALL", "#x\rCLEAR DEFAULT", "# a\r\rDROP ALL", "SELECT * {} #x\rDROP ALL",
                                  "#x\r\nDROP ALL"], ids=["drop", "clear", "two-crs", "after-a-query", "crlf"])
def test_a_comment_ends_at_a_carriage_return(front, upstream_clean, text):
    """Issue 12 item 4: ``#x\\rDROP ALL`` is an update, not a comment, and the front refuses it."""
    status, body = ask(front.url, text, "POST")
    assert status in (400, 403) and (b"Update refused" in body or b"syntax error" in body), body
    assert upstream_clean.queries() == []


def test_kg_serve_url_forwards_the_text_it_checked(front, upstream_clean):
    status, body = ask(front.url, "SELECT * { ?s ?p ?o } #x\r\n# \\u0053ERVICE\r", "POST")
    assert status == 200, body
    [sent] = upstream_clean.queries()
    assert sent.endswith("SELECT * { ?s ?p ?o } #x\r\n# SERVICE\n") and "PREFIX kg:" in sent


# --------------------------------------------------------------------------- kg query

@pytest.mark.parametrize("where", ["local", "url"])
@pytest.mark.parametrize("template, expected", REFUSED)
def test_kg_query_refuses_and_fetches_nothing(graph, upstream_clean, capsys, where, template, expected):
    target = str(graph) if where == "local" else upstream_clean.url + "/sparql"
    code = main(["query", target, text_of(template, upstream_clean.url)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("kg: ") and err.count("\n") == 1, err
    assert ("syntax error" if expected == "syntax" else "refused") in err, err
    assert upstream_clean.seen == []


def test_kg_query_url_sends_an_allowed_query(upstream_clean, capsys):
    assert main(["query", upstream_clean.url + "/sparql", "ASK { ?s ?p 'SERVICE' }"]) == 0
    assert capsys.readouterr().out == "true\n"
    assert [t.rsplit("\n", 1)[-1] for t in upstream_clean.queries()] == ["ASK { ?s ?p 'SERVICE' }"]
