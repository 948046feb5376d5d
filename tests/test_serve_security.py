"""``kg serve`` against hostile requests: no file outside the graph by any URL, no outbound network,
a plain one-line 4xx for every malformed request, a cap on connections.

The real command runs on a free loopback port (``Server`` from test_serve.py); requests are written
byte for byte on a socket, so that nothing normalises the paths on the way.
"""
from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
import pytest

from kg.guard import check
from kg.serve import MAX_BODY, MAX_CONNECTIONS
from test_serve import LABELS, Server, make_graph

SECRET = "TOP-SECRET-MARKER-7c1e"       # in a file beside the build folder
INSIDE = "INSIDE-FOLDER-MARKER-93ad"    # in a file of the build folder that no URL serves


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("secure")
    graph = make_graph(root / "out")
    (graph / "graph.html").write_text("<html><body>graph view</body></html>", encoding="utf-8")
    (graph / "notes.txt").write_text(INSIDE, encoding="utf-8")
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    srv = Server(graph)
    yield srv
    assert srv.stop() in (0, 130)
    assert all(line.startswith("kg: ") for line in srv.lines), srv.lines
    assert "Traceback" not in "\n".join(srv.lines)


def raw(url: str, data: bytes, *, shut: bool = False) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are; (status, headers, body) of the answer."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as sock:
        sock.sendall(data)
        if shut:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


def get(url: str, target: str, headers: str = "") -> tuple[int, dict[str, str], bytes]:
    return raw(url, f"GET {target} HTTP/1.0\r\n{headers}\r\n".encode("latin-1"))


def post(url: str, body: bytes, media: str, extra: str = "", target: str = "/sparql") -> tuple[int, dict[str, str], bytes]:
    head = f"POST {target} HTTP/1.0\r\nContent-Type: {media}\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
    return raw(url, head.encode("latin-1") + body)


def assert_plain_one_line(status: int, headers: dict[str, str], body: bytes) -> None:
    assert headers.get("content-type", "").startswith("text/plain"), (status, headers, body)
    assert body.endswith(b"\n") and body.count(b"\n") == 1 and len(body) > 2, body
    assert b"Traceback" not in body and b'File "' not in body and b"<html" not in body.lower(), body


# --------------------------------------------------------------------------- path traversal

TRAVERSALS = [
    "/../secret.txt", "/../../../../../../etc/passwd", "/..%2fsecret.txt", "/%2e%2e/secret.txt",
    "/%2e%2e%2fsecret.txt", "/%252e%252e/secret.txt", "/..%5csecret.txt", "/..\\secret.txt", "\\..\\secret.txt",
    "//etc/passwd", "///etc/passwd", "/etc/passwd", "/notes.txt", "/graph.trig", "/out/notes.txt",
    "/graph/../notes.txt", "/graph/..%2f..%2fsecret.txt", "/graph.html/../notes.txt", "/sparql/../notes.txt",
    "/queries/../../secret.txt.rq", "/queries/..%2f..%2fsecret.rq", "/queries/%2e%2e/%2e%2e/secret.rq",
    "/queries/../../../../etc/passwd%00.rq", "/notes.txt%00", "/%00/etc/passwd", "/.%2e/.%2e/etc/passwd",
    "/..;/secret.txt", "/%c0%ae%c0%ae/secret.txt", "/%uff0e%uff0e/secret.txt",
    "http://127.0.0.1/../secret.txt", "http://localhost/etc/passwd", "file:///etc/passwd",
    "http://127.0.0.1/..%2f..%2fsecret.txt", "*", "secret.txt", "../secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_no_url_reaches_a_file_outside_the_view(served, target):
    status, headers, body = get(served.url, target)
    assert status in (400, 404), (status, body[:200])
    assert SECRET.encode() not in body and INSIDE.encode() not in body and b"root:" not in body
    assert_plain_one_line(status, headers, body)


def test_graph_view_linked_out_of_the_folder_is_not_served(tmp_path):
    graph = make_graph(tmp_path / "out")
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (graph / "graph.html").symlink_to(tmp_path / "secret.txt")
    srv = Server(graph, "--quiet")
    try:
        status, headers, body = get(srv.url, "/graph")
        assert status == 404 and SECRET.encode() not in body
        assert_plain_one_line(status, headers, body)
    finally:
        assert srv.stop() in (0, 130)


# --------------------------------------------------------------------------- malformed requests

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
MALFORMED = [
    # (raw request or (body, media, extra headers), status, words of the message)
    pytest.param("GET /sparql?query=%ZZ HTTP/1.0\r\n\r\n", 400, b"percent-encoding", id="bad-percent-escape"),
    pytest.param("GET /sparql?query=SELECT%20%FF HTTP/1.0\r\n\r\n", 400, b"not UTF-8", id="query-string-not-utf8"),
    pytest.param("GET /sparql?query=%C0%AE HTTP/1.0\r\n\r\n", 400, b"not UTF-8", id="overlong-utf8"),
    pytest.param("GET /sparql?" + "&".join(f"k{i}=v" for i in range(500)) + " HTTP/1.0\r\n\r\n", 400,
                 b"too many fields", id="too-many-fields"),
    pytest.param("GET /sparql?query=SELECT%20*%20%7B HTTP/1.0\r\n\r\n", 400, b"syntax error", id="syntax-error"),
    pytest.param("GET /sparql?query=%00 HTTP/1.0\r\n\r\n", 400, b"syntax error", id="nul-query"),
    pytest.param("GET /sparql?query=ASK%7B%7D&query=ASK%7B%7D HTTP/1.0\r\n\r\n", 400, b"exactly one",
                 id="two-queries"),
    pytest.param("GET /sparql?query=ASK%7B%7D&default-graph-uri=not%20an%20iri HTTP/1.0\r\n\r\n", 400,
                 b"IRI", id="bad-graph-iri"),
    pytest.param((b"", FORM, ""), 400, b"exactly one", id="missing-query"),
    pytest.param((b"query=ASK%7B%7D&update=CLEAR%20ALL", FORM, ""), 400, b"exactly one", id="query-and-update"),
    pytest.param((b"query=%FF", FORM, ""), 400, b"not UTF-8", id="form-not-utf8"),
    pytest.param((b"query=%G1", FORM, ""), 400, b"percent-encoding", id="form-bad-percent-escape"),
    pytest.param((b"ASK { \xff }", QUERY, ""), 400, b"not UTF-8", id="body-not-utf8"),
    pytest.param((b'{"query": "ASK {}"}', "application/json", ""), 415, b"POST application/x-www-form-urlencoded",
                 id="json-body-is-not-a-sparql-body"),
    pytest.param((b"ASK {}", "", ""), 415, b"POST", id="no-content-type"),
    pytest.param("POST /sparql HTTP/1.0\r\nContent-Type: application/sparql-query\r\nContent-Length: abc\r\n\r\n",
                 400, b"Content-Length", id="content-length-not-a-number"),
    pytest.param("POST /sparql HTTP/1.0\r\nContent-Type: application/sparql-query\r\nContent-Length: -5\r\n\r\n",
                 400, b"Content-Length", id="negative-content-length"),
    pytest.param("POST /sparql HTTP/1.0\r\nContent-Type: application/sparql-query\r\nContent-Length: 50\r\n\r\nASK",
                 400, b"ended after 3 of 50", id="body-shorter-than-announced"),
    pytest.param(f"POST /sparql HTTP/1.0\r\nContent-Type: {QUERY}\r\nContent-Length: {MAX_BODY + 1}\r\n\r\n",
                 413, b"over", id="body-over-the-limit"),
    pytest.param("POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n3\r\nASK\r\n0\r\n\r\n", 411, b"Content-Length", id="chunked-body"),
    pytest.param("POST /elsewhere HTTP/1.0\r\nContent-Length: 0\r\n\r\n", 404, b"POST to /sparql", id="post-elsewhere"),
    pytest.param("GARBAGE\r\n\r\n", 400, b"request", id="garbage-request-line"),
    pytest.param("GET / HTTP/9.9\r\n\r\n", 505, b"version", id="unknown-http-version"),
    pytest.param("GET / HTTP/1.0 extra\r\n\r\n", 400, b"request", id="too-many-words-in-request-line"),
    pytest.param("BREW /sparql HTTP/1.0\r\n\r\n", 501, b"BREW", id="unknown-method"),
    pytest.param("DELETE /sparql HTTP/1.0\r\n\r\n", 405, b"not allowed", id="delete"),
    pytest.param("GET /" + "a" * 70000 + " HTTP/1.0\r\n\r\n", 414, b"URI", id="request-line-too-long"),
    pytest.param("GET / HTTP/1.0\r\nX-Long: " + "a" * 70000 + "\r\n\r\n", 431, b"long", id="header-too-long"),
    pytest.param("GET / HTTP/1.0\r\n" + "".join(f"X-{i}: v\r\n" for i in range(150)) + "\r\n", 431,
                 b"headers", id="too-many-headers"),
    pytest.param("GET /sparql?query=ASK%7B%7D HTTP/1.0\r\nAccept: image/png\r\n\r\n", 406, b"offered",
                 id="unacceptable-format"),
]


@pytest.mark.parametrize("request_, status, words", MALFORMED)
def test_malformed_request_gets_a_one_line_4xx(served, request_, status, words):
    if isinstance(request_, tuple):
        body, media, extra = request_
        got, headers, answer = post(served.url, body, media, extra)
    else:
        got, headers, answer = raw(served.url, request_.encode("latin-1"), shut=True)
    assert got == status, answer
    assert words in answer, answer
    assert_plain_one_line(got, headers, answer)


def test_after_malformed_requests_the_server_still_answers(served):
    for _ in range(3):
        raw(served.url, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(256)), shut=True)  # TLS hello
    status, _, body = get(served.url, "/sparql?" + urlencode({"query": LABELS}))
    assert status == 200 and b"Tide Board" in body


# --------------------------------------------------------------------------- no outbound network



NETWORK_QUERIES = [
    "SELECT * WHERE {{ SERVICE <{u}/a> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{u}/b> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICEsilent <{u}/c> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o .SERVICE <{u}/d> {{ }} }}",
    "SELECT * WHERE {{ ?s ?p ?o.SERVICE <{u}/e> {{ }} }}",
    "SELECT * WHERE {{ ?s ?p 3SERVICE <{u}/f> {{ }} }}",
    "SELECT * WHERE {{ ?s ?p true.SERVICE<{u}/g>{{ }} }}",
    "SELECT * WHERE {{ FILTER(true)SERVICE<{u}/h>{{ }} }}",
    "SELECT * WHERE {{ ?s ?p 'x'SERVICE <{u}/i> {{ }} }}",
    "SELECT * WHERE {{ ?s ?p ?o # comment\nSERVICE <{u}/j> {{ }} }}",
    "PREFIX x: <{u}/> SELECT * WHERE {{ SERVICE x:k {{ }} }}",
    "BASE <{u}/> SELECT * WHERE {{ SERVICE <l> {{ }} }}",
    "SELECT * WHERE {{ BIND(<{u}/m> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SeRvIcE\t<{u}/n> {{ }} }} }}",
    "ASK {{ SERVICE <{u}/o> {{ }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}/p> {{ ?s ?p ?o }} }}",
]
# Oxigraph reads these as SERVICE, rdflib's parser (kg's check) not at all: refused as syntax errors
UNPARSED = {NETWORK_QUERIES[2], NETWORK_QUERIES[5]}


@pytest.mark.parametrize("template", NETWORK_QUERIES)
def test_federated_queries_are_refused_and_nothing_is_fetched(served, canary, template):
    url, seen = canary
    text = template.format(u=url)
    for method in ("GET", "POST"):
        if method == "GET":
            status, headers, body = get(served.url, "/sparql?" + urlencode({"query": text}))
        else:
            status, headers, body = post(served.url, text.encode(), QUERY)
        expected = (400, b"syntax error") if template in UNPARSED else (403, b"SERVICE refused")
        assert status == expected[0] and expected[1] in body, body
        assert_plain_one_line(status, headers, body)
    assert seen == []


def test_load_is_refused_even_when_updates_are_allowed(tmp_path, canary):
    url, seen = canary
    srv = Server(make_graph(tmp_path / "out"), "--allow-update", "--quiet")
    try:
        for text in (f"LOAD <{url}/data.ttl>", f"LOAD SILENT <{url}/x> INTO GRAPH <{url}/g>",
                     f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/q> {{ ?s ?p ?o }} }}"):
            status, headers, body = post(srv.url, text.encode(), "application/sparql-update")
            assert status == 403 and b"refused" in body, body
        status, _, _ = post(srv.url, b"INSERT DATA { <urn:a> <urn:b> 'loaded' }", "application/sparql-update")
        assert status == 200
    finally:
        assert srv.stop() in (0, 130)
    assert seen == []


def test_oxigraph_itself_would_fetch_a_service(canary):
    """Why the check exists: the store sends SERVICE queries out (if this ever fails, the
    dependency stopped doing so and the guard is only a second line)."""
    url, seen = canary
    try:
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{url}/probe> {{ ?s ?p ?o }} }}"))
    except (OSError, RuntimeError, SyntaxError):
        pass
    assert [line.split(b" ")[:2] for line in seen] == [[b"POST", b"/probe"]]


NOT_NETWORK = [
    pytest.param('SELECT ?service WHERE { ?service skos:prefLabel "Immigration Service" }', id="variable-and-string"),
    pytest.param("SELECT * WHERE { ?s ?p id:immigration-service } # SERVICE <http://x/> {}", id="name-and-comment"),
    pytest.param("SELECT ?download ?load WHERE { ?download <http://x/service/load> ?load }", id="iri"),
    pytest.param('SELECT * WHERE { ?s ?p """a\nSERVICE <http://x/> {}""" }', id="long-string"),
    pytest.param("SELECT * WHERE { ?s ?p _:service }", id="blank-node"),
]


@pytest.mark.parametrize("text", NOT_NETWORK)
def test_the_word_service_in_names_strings_and_comments_is_allowed(text):
    assert check(text).update is False      # parses, as a query, with nothing that reaches the network


def test_a_query_naming_a_service_entity_still_runs(served):
    text = 'SELECT ?service WHERE { ?service skos:prefLabel "Tide Board"@en } # no SERVICE here'
    status, _, body = get(served.url, "/sparql?" + urlencode({"query": text}))
    assert status == 200 and b"service" in body


# --------------------------------------------------------------------------- connections

def test_idle_connections_up_to_the_cap_do_not_lock_a_client_out(served):
    """64 connections that send nothing hold every slot; a new client is still answered (the
    oldest connection still sending its request gives way), and the idle ones are closed."""
    parts = urlsplit(served.url)
    idle = [socket.create_connection((parts.hostname, parts.port), timeout=60) for _ in range(MAX_CONNECTIONS)]
    try:
        time.sleep(0.5)      # every idle connection is accepted before the client comes
        status, _, body = get(served.url, "/sparql?" + urlencode({"query": LABELS}))
        assert status == 200 and b"Tide Board" in body
    finally:
        for sock in idle:
            sock.close()


def test_a_client_that_trickles_its_request_is_cut_off(tmp_path, monkeypatch):
    """A slow client (a header byte every 0.1 s, for ever) loses its connection at the request
    deadline instead of holding one of the connection slots."""
    from kg import serve

    monkeypatch.setattr(serve.Handler, "request_seconds", 1.0)
    server = serve.make_server(make_graph(tmp_path / "out"), port=0, workers=1)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        with socket.create_connection((host, port), timeout=30) as sock:
            sock.sendall(b"GET / HTTP/1.0\r\nX-Slow: ")
            closed = False
            for _ in range(300):                 # 30 s of trickling, far past the 1 s deadline
                try:
                    sock.sendall(b"a")
                    sock.settimeout(0.1)
                    if sock.recv(1) == b"":
                        closed = True
                        break
                except socket.timeout:
                    continue
                except OSError:
                    closed = True
                    break
        assert closed
        status, _, body = get(f"http://{host}:{port}/sparql", "/sparql?" + urlencode({"query": LABELS}))
        assert status == 200 and b"Tide Board" in body
    finally:
        server.shutdown()
        server.close()
