"""``kg serve`` against requests from the wrong place and clients that hold on: the Host it is
named by, the page that sent the request, duplicate Content-Length, slow clients, runaway memory,
huge answers, and the store copy a killed server leaves behind.

The real command runs on a free loopback port (``Server`` from test_serve.py); requests are
written byte for byte on a socket.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from email.message import Message
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from rdflib import Graph

from kg.capping import fit
from kg.conns import Conn, Connections
from kg.httpcheck import Policy, Refused, content_length
from kg.query import Result, render
from kg.scratch import PREFIX
from test_serve import LABELS, Server, make_graph
from test_serve_security import assert_plain_one_line, raw

Q = "/sparql?" + urlencode({"query": LABELS})


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    srv = Server(make_graph(tmp_path_factory.mktemp("guards") / "out"), "--allow-host", "kg.example")
    yield srv
    assert srv.stop() in (0, 130)
    assert "Traceback" not in "\n".join(srv.lines)


def port(srv: Server) -> int:
    return urlsplit(srv.url).port or 0


def request(srv: Server, headers: str, method: str = "GET", target: str = Q, body: bytes = b"") -> tuple:
    head = f"{method} {target} HTTP/1.1\r\n{headers.format(port=port(srv))}Connection: close\r\n"
    if body or method == "POST":
        head += f"Content-Length: {len(body)}\r\n"
    return raw(srv.url, head.encode("latin-1") + b"\r\n" + body)


# --------------------------------------------------------------------------- Host (DNS rebinding)

HOSTS = [
    pytest.param("Host: 127.0.0.1:{port}\r\n", 200, id="bound-address"),
    pytest.param("Host: localhost:{port}\r\n", 200, id="localhost-on-loopback"),
    pytest.param("Host: [::1]:{port}\r\n", 200, id="ipv6-loopback-on-loopback"),
    pytest.param("Host: kg.example:{port}\r\n", 200, id="allow-host-name"),
    pytest.param("Host: KG.Example.:{port}\r\n", 200, id="allow-host-any-case-trailing-dot"),
    pytest.param("", 200, id="no-host-header-is-not-a-browser"),
    pytest.param("Host: attacker.example\r\n", 421, id="rebound-name"),
    pytest.param("Host: attacker.example:{port}\r\n", 421, id="rebound-name-with-port"),
    pytest.param("Host: 127.0.0.1:1\r\n", 421, id="another-port"),
    pytest.param("Host: 127.0.0.1\r\n", 421, id="no-port-means-80"),
    pytest.param("Host: localhost.attacker.example:{port}\r\n", 421, id="name-that-starts-like-localhost"),
    pytest.param("Host: 127.0.0.1:{port}@attacker.example\r\n", 400, id="userinfo-trick"),
    pytest.param("Host: 127.0.0.1:{port}\r\nHost: attacker.example\r\n", 400, id="two-host-headers"),
]


@pytest.mark.parametrize("headers, status", HOSTS)
def test_host_must_name_this_server(served, headers, status):
    got, head, body = request(served, headers)
    assert got == status, body
    if status != 200:
        assert_plain_one_line(got, head, body)
        assert b"Tide Board" not in body
    else:
        assert b"Tide Board" in body


def test_a_refused_host_is_logged(served):
    request(served, "Host: rebind.attacker.example\r\n")
    for _ in range(100):
        if any("rebind.attacker.example" in line and "refused" in line for line in served.lines):
            break
        time.sleep(0.05)
    assert any("rebind.attacker.example" in line and "refused" in line for line in served.lines), served.lines


# --------------------------------------------------------------------------- Origin (CSRF)

FORM = "Content-Type: application/x-www-form-urlencoded\r\n"
ORIGINS = [
    pytest.param("Origin: http://127.0.0.1:{port}\r\n", 200, id="own-origin"),
    pytest.param("Origin: http://localhost:{port}\r\n", 200, id="own-origin-by-localhost"),
    pytest.param("Sec-Fetch-Site: same-origin\r\n", 200, id="same-origin-fetch"),
    pytest.param("Sec-Fetch-Site: none\r\n", 200, id="typed-in-address-bar"),
    pytest.param("Origin: http://127.0.0.1:9\r\n", 403, id="another-port-of-loopback"),
    pytest.param("Origin: http://attacker.example\r\n", 403, id="foreign-site"),
    pytest.param("Origin: https://127.0.0.1:{port}\r\n", 403, id="other-scheme"),
    pytest.param("Origin: null\r\n", 403, id="sandboxed-or-file-page"),
    pytest.param("Origin: http://127.0.0.1:{port}/path\r\n", 403, id="not-an-origin"),
    pytest.param("Sec-Fetch-Site: cross-site\r\n", 403, id="cross-site-without-origin"),
    pytest.param("Sec-Fetch-Site: same-site\r\n", 403, id="same-site-other-port-without-origin"),
    pytest.param("Origin: http://127.0.0.1:{port}\r\nOrigin: http://attacker.example\r\n", 400, id="two-origins"),
]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("headers, status", ORIGINS)
def test_a_request_from_a_foreign_page_is_refused(served, method, headers, status):
    host = "Host: 127.0.0.1:{port}\r\n"
    if method == "GET":
        got, head, body = request(served, host + headers)
    else:
        got, head, body = request(served, host + FORM + headers, "POST", "/sparql",
                                  urlencode({"query": LABELS}).encode())
    assert got == status, body
    assert (b"Tide Board" in body) == (status == 200)
    if status != 200:
        assert_plain_one_line(got, head, body)


def test_a_cross_site_update_does_not_run(tmp_path):
    srv = Server(make_graph(tmp_path / "out"), "--allow-update", "--quiet")
    try:
        update = urlencode({"update": "INSERT DATA { <urn:x> <urn:y> 'forged' }"}).encode()
        got, _, body = request(srv, "Host: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:1\r\n" + FORM, "POST",
                               "/sparql", update)
        assert got == 403 and b"refused" in body
        ask = "/sparql?" + urlencode({"query": "ASK { <urn:x> <urn:y> 'forged' }"})
        got, _, body = request(srv, "Host: 127.0.0.1:{port}\r\n", target=ask)
        assert got == 200 and json.loads(body)["boolean"] is False
    finally:
        assert srv.stop() in (0, 130)


CORS = "http://127.0.0.1:5555"


@pytest.fixture(scope="module")
def cors(tmp_path_factory):
    srv = Server(make_graph(tmp_path_factory.mktemp("cors") / "out"), "--cors", CORS + "/", "--quiet")
    yield srv
    assert srv.stop() in (0, 130)


CORS_CASES = [
    pytest.param("GET", f"Origin: {CORS}\r\nSec-Fetch-Site: same-site\r\n", 200, CORS, id="cors-origin-reads"),
    pytest.param("OPTIONS", f"Origin: {CORS}\r\nAccess-Control-Request-Method: POST\r\n"
                 "Access-Control-Request-Headers: content-type\r\n", 204, CORS, id="preflight-from-cors-origin"),
    pytest.param("OPTIONS", f"Origin: {CORS}\r\nAccess-Control-Request-Method: DELETE\r\n", 403, None,
                 id="preflight-for-delete"),
    pytest.param("GET", "Origin: http://127.0.0.1:5556\r\n", 403, None, id="other-origin-refused"),
    pytest.param("OPTIONS", "Origin: http://attacker.example\r\nAccess-Control-Request-Method: GET\r\n", 403, None,
                 id="preflight-from-other-origin"),
    pytest.param("GET", "", 200, None, id="no-origin-no-cors-header"),
]


@pytest.mark.parametrize("method, headers, status, allowed", CORS_CASES)
def test_cors_origin_only(cors, method, headers, status, allowed):
    got, head, body = request(cors, "Host: 127.0.0.1:{port}\r\n" + headers, method)
    assert got == status, body
    assert head.get("access-control-allow-origin") == allowed
    if method == "OPTIONS" and status == 204:
        assert "POST" in head["access-control-allow-methods"]
        assert "content-type" in head["access-control-allow-headers"].lower()


def test_the_policy_without_cors_sends_no_cors_headers():
    policy = Policy("127.0.0.1", 7878)
    msg = Message()
    msg["Origin"] = "http://127.0.0.1:7878"
    assert policy.cors_headers(msg) == {}
    with pytest.raises(Refused):
        policy.preflight(msg)


# --------------------------------------------------------------------------- Content-Length

LENGTHS = [
    pytest.param(["3", "3"], 3, id="same-value-twice"),
    pytest.param(["3", "30"], 400, id="two-differing-values"),
    pytest.param(["3", "3", "4"], 400, id="three-values-one-differs"),
    pytest.param(["+3"], 400, id="plus-sign"),
    pytest.param(["3, 3"], 400, id="comma-list"),
    pytest.param(["0x3"], 400, id="hex"),
    pytest.param(["٣"], 400, id="non-ascii-digit"),
    pytest.param(["9" * 30], 400, id="absurdly-long"),
]


@pytest.mark.parametrize("values, expected", LENGTHS)
def test_content_length_must_be_one_plain_number(values, expected):
    msg = Message()
    for v in values:
        msg["Content-Length"] = v
    if expected == 400:
        with pytest.raises(Refused) as err:
            content_length(msg)
        assert err.value.status == 400
    else:
        assert content_length(msg) == expected


@pytest.mark.parametrize("lengths, status", [
    pytest.param(("6", "40"), 400, id="differing-duplicates-refused"),
    pytest.param(("40", "6"), 400, id="differing-duplicates-either-order"),
    pytest.param(("6", "6"), 200, id="equal-duplicates-read-once"),
])
def test_duplicate_content_length_on_the_wire(served, lengths, status):
    head = (f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port(served)}\r\nContent-Type: application/sparql-query\r\n"
            + "".join(f"Content-Length: {n}\r\n" for n in lengths) + "Connection: close\r\n\r\n")
    got, headers, body = raw(served.url, head.encode() + b"ASK {}" + b" " * 34, shut=True)
    assert got == status, body
    if status == 400:
        assert b"Content-Length" in body
        assert_plain_one_line(got, headers, body)


# --------------------------------------------------------------------------- slow clients

class Tricklers:
    """n connections that send a request a byte every 0.2 s, reconnecting when cut off."""

    def __init__(self, url: str, n: int, source: str) -> None:
        parts = urlsplit(url)
        self.address, self.source, self.stop = (parts.hostname, parts.port), source, threading.Event()
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(n)]
        self.connected = threading.Semaphore(0)
        for t in self.threads:
            t.start()
        for _ in range(n):
            self.connected.acquire(timeout=30)

    def run(self) -> None:
        first = True
        while not self.stop.is_set():
            try:
                with socket.create_connection(self.address, timeout=5, source_address=(self.source, 0)) as s:
                    s.sendall(b"GET / HTTP/1.1\r\n")
                    if first:
                        self.connected.release()
                        first = False
                    while not self.stop.wait(0.2):
                        s.sendall(b"X")
            except OSError:
                continue

    def close(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(10)


@pytest.mark.parametrize("source", [pytest.param("127.0.0.1", id="slow-clients-share-the-address"),
                                    pytest.param("127.0.0.2", id="slow-clients-from-another-address")])
def test_64_trickling_connections_do_not_lock_a_client_out(tmp_path, source):
    srv = Server(make_graph(tmp_path / "out"), "--quiet", "--header-timeout", "30")
    slow = Tricklers(srv.url, 64, source)
    try:
        answers = []
        for _ in range(3):
            got, _, body = raw(srv.url, f"GET {Q} HTTP/1.0\r\n\r\n".encode())
            answers.append((got, b"Tide Board" in body))
        assert answers == [(200, True)] * 3
    finally:
        slow.close()
        assert srv.stop() in (0, 130)


def test_a_trickled_header_is_cut_at_the_header_deadline(tmp_path):
    srv = Server(make_graph(tmp_path / "out"), "--quiet", "--header-timeout", "1")
    try:
        parts = urlsplit(srv.url)
        with socket.create_connection((parts.hostname, parts.port), timeout=30) as s:
            s.sendall(b"GET / HTTP/1.1\r\n")
            closed = False
            for _ in range(100):             # 20 s of trickling, far past the 1 s deadline
                try:
                    s.sendall(b"X")
                    s.settimeout(0.2)
                    if s.recv(1) == b"":
                        closed = True
                        break
                except TimeoutError:
                    continue
                except OSError:
                    closed = True
                    break
        assert closed
    finally:
        assert srv.stop() in (0, 130)


class Sock:
    def shutdown(self, how: int) -> None:
        self.down = True


CONN_CASES = [
    # (open connections as (ip, still sending its request), new ip, admitted?, index shed); caps 4 and 2
    pytest.param([("a", False)] * 4, "b", False, None, id="all-slots-answering-503"),
    pytest.param([("a", False), ("b", True), ("a", True), ("a", True)], "c", True, 2,
                 id="full-the-heaviest-senders-oldest-gives-way"),
    pytest.param([("a", True), ("a", True), ("b", False)], "a", True, 0, id="client-at-its-cap-sheds-its-own"),
    pytest.param([("a", False), ("a", False), ("b", True)], "a", True, None,
                 id="connections-being-answered-do-not-count-for-the-client-cap"),
    pytest.param([("a", True)], "b", True, None, id="room-left-nothing-shed"),
]


@pytest.mark.parametrize("open_, ip, admitted, shed", CONN_CASES)
def test_connection_accounting(open_, ip, admitted, shed):
    conns = Connections(total=4, per_client=2)
    socks = []
    for i, (who, reading) in enumerate(open_):
        sock = Sock()
        conns._open[id(sock)] = Conn(who, sock, reading, since=float(i))
        socks.append(sock)
    assert (conns.admit(Sock(), ip) is not None) == admitted
    downed = [i for i, s in enumerate(socks) if getattr(s, "down", False)]
    assert downed == ([] if shed is None else [shed])


# --------------------------------------------------------------------------- memory and size caps

def doubling(levels: int) -> str:
    """A query whose one value doubles `levels` times from 1 KiB (20 levels: 1 GiB)."""
    binds = 'BIND("' + "x" * 1024 + '" AS ?a0) ' + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})"
                                                          for i in range(levels))
    return f"SELECT (STRLEN(?a{levels}) AS ?n) WHERE {{ {binds} }}"


def test_a_query_over_the_worker_memory_cap_gets_503_and_a_fresh_worker(tmp_path):
    srv = Server(make_graph(tmp_path / "out"), "--worker-memory", "256", "--workers", "1", "--timeout", "60")
    try:
        got, headers, body = raw(srv.url, f"GET /sparql?{urlencode({'query': doubling(20)})} HTTP/1.0\r\n\r\n".encode())
        assert got == 503 and b"memory" in body, body
        assert_plain_one_line(got, headers, body)
        got, _, body = raw(srv.url, f"GET /sparql?{urlencode({'query': doubling(10)})} HTTP/1.0\r\n\r\n".encode())
        assert got == 200 and str(1024 * 1024).encode() in body, body   # 1 MiB is fine, on a fresh worker
    finally:
        assert srv.stop() in (0, 130)
    assert all(line.startswith("kg: ") for line in srv.lines), srv.lines


BIG = 2 * 1024 * 1024
CAP = 100_000


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big")
    lines = [f'<urn:s{i}> <urn:p> "small {i}" .\n' for i in range(200)]
    lines.insert(100, f'<urn:huge> <urn:p> "{"L" * BIG}" .\n')
    (folder / "g.nt").write_text("".join(lines), encoding="utf-8")
    srv = Server(folder / "g.nt", "--max-bytes", str(CAP), "--max-rows", "10000", "--quiet")
    yield srv
    assert srv.stop() in (0, 130)


SIZED = [
    pytest.param("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json", id="json"),
    pytest.param("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+xml", id="xml"),
    pytest.param("SELECT * WHERE { ?s ?p ?o }", "text/csv", id="csv"),
    pytest.param("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "text/turtle", id="turtle"),
    pytest.param("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "application/n-triples", id="n-triples"),
]


@pytest.mark.parametrize("query, accept", SIZED)
def test_an_answer_is_cut_at_max_bytes_and_says_so(big, query, accept):
    got, headers, body = raw(big.url, (f"GET /sparql?{urlencode({'query': query})} HTTP/1.0\r\n"
                                       f"Accept: {accept}\r\n\r\n").encode())
    assert got == 200 and headers.get("x-kg-truncated") == f"true; max-bytes={CAP}"
    assert len(body) <= CAP and b"LLLL" not in body and b"small" in body
    if "json" in accept:
        assert json.loads(body)["results"]["bindings"]
    elif "turtle" in accept or "triples" in accept:
        assert len(Graph().parse(data=body.decode(), format="turtle" if "turtle" in accept else "nt")) > 10


def test_an_answer_under_max_bytes_is_whole(big):
    query = "SELECT ?o WHERE { <urn:s1> ?p ?o }"
    got, headers, body = raw(big.url, f"GET /sparql?{urlencode({'query': query})} HTTP/1.0\r\n\r\n".encode())
    assert got == 200 and "x-kg-truncated" not in headers and b"small 1" in body


def test_fit_never_renders_a_term_over_the_cap():
    import pyoxigraph as ox

    rows = [(ox.Literal("a" * 10_000),), (ox.Literal("b"),)]
    seen: list[int] = []

    def rendering(r: Result) -> bytes:
        seen.append(len(r.rows))
        return render(r, "json")

    body, cut = fit(Result("select", ["o"], rows), rendering, 1000)
    assert cut and seen == [0] and json.loads(body)["results"]["bindings"] == []


# --------------------------------------------------------------------------- a killed server's copy

def test_a_killed_servers_store_copy_is_removed_by_the_next(tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    live = scratch / f"{PREFIX}{os.getpid()}-keepme"     # a copy whose owner (this test) still runs
    live.mkdir()
    other = scratch / "kg-store-notapid"
    other.mkdir()
    graph = make_graph(tmp_path / "out")
    first = Server(graph, "--quiet")
    copies = sorted(scratch.glob(f"{PREFIX}{first.proc.pid}-*"))
    assert len(copies) == 1 and copies[0].is_dir()
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait(30)
    assert copies[0].exists()                          # SIGKILL: nothing could remove it
    second = Server(graph)
    try:
        assert not copies[0].exists()
        assert live.exists() and other.exists()
        assert len(list(scratch.glob(f"{PREFIX}{second.proc.pid}-*"))) == 1
        got, _, body = raw(second.url, f"GET {Q} HTTP/1.0\r\n\r\n".encode())
        assert got == 200 and b"Tide Board" in body
    finally:
        assert second.stop() in (0, 130)
    assert not list(scratch.glob(f"{PREFIX}{second.proc.pid}-*"))
    assert any("removed" in line and str(copies[0].name) in line for line in second.lines), second.lines


def test_graph_file_copies_live_under_the_prefix(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    from kg import scratch

    monkeypatch.setattr(tempfile, "tempdir", None)
    made = scratch.new_copy()
    assert made.parent == tmp_path and made.name.startswith(f"{PREFIX}{os.getpid()}-")
    assert scratch.stale_copies() == []
