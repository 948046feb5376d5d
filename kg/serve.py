"""A SPARQL 1.1 Protocol endpoint over a built graph (standard library HTTP server).

``/sparql`` answers GET and POST (form-encoded, ``application/sparql-query``, and, only when the
server was started with updates allowed, ``application/sparql-update``), with content
negotiation: SELECT/ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, JSON-LD,
N-Triples or RDF/XML. ``/`` is a small query page, ``/graph`` the build's ``graph.html`` view
when there is one. Each request runs in a worker process (``kg.store.WorkerPool``) with a
timeout, a row cap, a byte cap on the answer and a memory cap; the server is read-only by default
and binds to loopback. A request must name this server in ``Host`` and come from no foreign web
page (``kg.httpcheck``: 421, 403). Bodies over ``MAX_BODY`` bytes get 413, malformed requests 400
with a one-line message (``kg.guard``), queries that would reach the network (``SERVICE``,
``LOAD``) 403; at most ``MAX_CONNECTIONS`` connections are open at once and ``PER_CLIENT`` still
sending their request from one address, whose headers must arrive within ``header_seconds``
(``kg.conns``: a still-arriving connection gives way to a new one; 503 when every slot is answering). Only ``/``,
``/sparql``, ``/graph`` and the named queries exist: no URL maps to a file path.
"""
from __future__ import annotations

import shutil
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import pyoxigraph as ox

from . import query as q
from . import scratch
from .capping import fit
from .conns import Connections
from .errors import KgError, UsageError
from .guard import Refused as QueryRefused
from .guard import check, decode_body, parse_form
from .httpcheck import Policy, Refused, content_length
from .media import GRAPH_MEDIA, GRAPH_TYPES, RESULT_MEDIA, RESULT_TYPES, TEXT, negotiate, page
from .store import Limits, QueryTimeout, Reply, Request, WorkerLost, WorkerPool, graph_file, is_store, save
from .stores import SparqlStore, is_server, run_remote

MAX_BODY = 1024 * 1024
MAX_CONNECTIONS = 64
PER_CLIENT = 16
HEADER_SECONDS = 5.0
BUSY = (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 43\r\n"
        b"Connection: close\r\nRetry-After: 1\r\n\r\nserver busy: too many connections, try again\n")


def one_line(message: object, limit: int = 2000) -> bytes:
    """A message as one line of text (parser messages span lines), newline-terminated."""
    return (" ".join(str(message).split())[:limit] + "\n").encode()


def respond(store: ox.Store | SparqlStore, request: Request, limits: Limits, *, writable: bool) -> Reply:
    """Answer one request on an open store or a SPARQL server (runs inside a worker process,
    where the parse of ``kg.guard.check`` meets the request's timeout)."""
    if request.update and not writable:
        return Reply(403, TEXT, b"SPARQL Update refused: this endpoint is read-only\n")
    try:
        if isinstance(store, SparqlStore):
            result = run_remote(store, request.text, max_rows=limits.max_rows, default_graphs=request.default_graphs,
                                named_graphs=request.named_graphs)
        else:
            checked = check(request.text, updates=writable)
            if checked.update != request.update:
                raise UsageError("send updates as update= or application/sparql-update, not query=" if checked.update
                                 else "this is a query: send it as query=, not update=")
            if checked.update:
                q.update(store, checked)
                return Reply(200, TEXT, b"update done\n")
            result = q.run(store, checked, max_rows=limits.max_rows, default_graphs=request.default_graphs,
                           named_graphs=request.named_graphs)
    except QueryRefused as exc:
        return Reply(403, TEXT, one_line(exc))
    except UsageError as exc:
        return Reply(400, TEXT, one_line(exc))
    except KgError as exc:
        return Reply(500, TEXT, one_line(exc))
    fmt = negotiate(result.kind, request.accept, request.format)
    if fmt is None:
        offered = sorted(GRAPH_TYPES if result.kind == "graph" else RESULT_TYPES)
        return Reply(406, TEXT, f"cannot answer in {request.accept!r}; offered: {', '.join(offered)}\n".encode())
    if fmt == "html":
        def render(r: q.Result) -> bytes:
            text = q.render(r, "turtle") if r.kind == "graph" else q.table(r, width=200).encode()
            return page(result=text.decode(), query=request.text)
        media = "text/html; charset=utf-8"
    else:
        def render(r: q.Result) -> bytes:
            return q.render(r, fmt)
        media = GRAPH_MEDIA[fmt] if result.kind == "graph" else RESULT_MEDIA[fmt]
    body, cut = fit(result, render, limits.max_bytes)
    return Reply(200, media, body, "bytes" if cut else ("rows" if result.truncated else ""))


class KgServer(ThreadingHTTPServer):
    """The HTTP server: its worker pool, the folder of the graph view, and a log callback."""

    daemon_threads = True
    request_queue_size = 128   # connections waiting to be accepted (socketserver's default is 5)

    def __init__(self, address: tuple[str, int], pool: WorkerPool | None, *, writable: bool = False,
                 view: Path | None = None, log: Callable[[str], None] | None = None,
                 cleanup: Path | None = None, allow_hosts: tuple[str, ...] = (), cors: str | None = None,
                 header_seconds: float = HEADER_SECONDS) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        try:
            super().__init__(address, Handler)
        except OSError as exc:
            raise UsageError(f"cannot listen on {address[0]}:{address[1]} ({exc.strerror or exc})") from None
        self.pool, self.writable, self.view, self.log, self.cleanup = pool, writable, view, log, cleanup
        self.policy = Policy(address[0], self.server_address[1], allow_hosts, cors)
        self.conns = Connections(MAX_CONNECTIONS, PER_CLIENT)
        self.header_seconds = header_seconds
        self.stale_removed: list[Path] = []    # store copies of killed servers, removed at start

    def process_request(self, request: Any, client_address: Any) -> None:
        """A thread per connection, within the caps of ``kg.conns``; beyond them, 503."""
        if self.conns.admit(request, client_address[0]) is None:
            try:
                request.sendall(BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.conns.release(request)
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.conns.release(request)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host if ':' not in str(host) else f'[{host}]'}:{port}/sparql"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One log line instead of socketserver's traceback on stderr."""
        if self.log is not None:
            self.log(f"{client_address[0]} error: {sys.exc_info()[1]!r}")

    def close(self) -> None:
        """Stop listening, stop the workers, remove the temporary store."""
        self.server_close()
        if self.pool is not None:
            self.pool.close()
        if self.cleanup is not None:
            shutil.rmtree(self.cleanup, ignore_errors=True)


class Handler(BaseHTTPRequestHandler):
    server: KgServer
    timeout = 30   # seconds a client may stay silent while sending its request
    request_seconds = 60.0   # seconds a client has to send a request's body (a slow client is cut off)
    default_request_version = "HTTP/1.0"   # a status line even for a garbled request line

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own errors (bad request line, headers too long, unknown method) as one
        line of plain text, like every other answer."""
        self.close_connection = True
        self.send(code, TEXT, one_line(message or self.responses.get(code, ("error",))[0], 300), {"Connection": "close"})

    def setup(self) -> None:
        super().setup()
        self.conn = self.server.conns.get(self.request)
        self.deadline: threading.Timer | None = None
        self.extra: dict[str, str] = {}

    def arm(self, seconds: float) -> None:
        """Cut the connection off unless the next step of the request arrives within seconds."""
        if self.deadline is not None:
            self.deadline.cancel()
        self.deadline = threading.Timer(seconds, self.cut_off)
        self.deadline.daemon = True
        self.deadline.start()

    def disarm(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
        self.server.conns.set_reading(self.conn, False)

    def handle_one_request(self) -> None:
        """Each request (also the next one on a kept-alive connection) has ``header_seconds`` to
        send its request line and headers, and may be shed while it does (``kg.conns``)."""
        self.server.conns.set_reading(self.conn, True)
        self.arm(self.server.header_seconds)
        super().handle_one_request()

    def parse_request(self) -> bool:
        """http.server's parsing, then the Host and Origin checks (``kg.httpcheck``): a refused
        request gets its one-line answer here and runs nothing."""
        if not super().parse_request():
            return False
        self.arm(self.request_seconds)          # the headers are in; the body has its own deadline
        try:
            self.server.policy.check(self.headers)
        except Refused as exc:
            self.disarm()
            if self.server.log is not None:
                self.server.log(f"{self.address_string()} {exc} ({self.command} {self.path[:100]!r})")
            self.close_connection = True
            self.send(exc.status, TEXT, one_line(exc, 300), {"Connection": "close"})
            return False
        self.extra = self.server.policy.cors_headers(self.headers)
        return True

    def cut_off(self) -> None:
        """The request took too long to arrive: close the connection (its reads then end)."""
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def finish(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's name)
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {format % args}")

    def send(self, status: int, media: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        for key, value in {**getattr(self, "extra", {}), **(headers or {})}.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.disarm()   # the request is in; answering it has its own timeout
        url = urlsplit(self.path)
        try:
            fields = parse_form(url.query)
        except UsageError as exc:
            return self.send(400, TEXT, one_line(exc))
        if url.path == "/" or (url.path == "/sparql" and not ({"query", "update"} & set(fields))):
            name = fields.get("name", [""])[0]
            text = q.named_queries()[name].text if name in q.named_queries() else ""
            return self.send(200, "text/html; charset=utf-8", page(text, graph_view=self.graph_html() is not None))
        if url.path == "/sparql":
            return self.sparql(fields)
        if url.path == "/graph":
            view = self.graph_html()
            if view is None:
                return self.send(404, TEXT, b"no graph view: run 'kg view' on the build folder first\n")
            return self.send(200, "text/html; charset=utf-8", view.read_bytes())
        if url.path.startswith("/queries/") and url.path.endswith(".rq"):
            named = q.named_queries().get(url.path[len("/queries/"):-3])
            if named is not None:
                return self.send(200, "application/sparql-query; charset=utf-8", named.text.encode())
        self.send(404, TEXT, b"not found: try /sparql or /\n")

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path != "/sparql":
            return self.send(404, TEXT, b"not found: POST to /sparql\n")
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            return self.send(411, TEXT, b"send the body with a Content-Length (chunked bodies are not read)\n")
        try:
            length = content_length(self.headers)
        except Refused as exc:
            self.close_connection = True
            return self.send(exc.status, TEXT, one_line(exc))
        if length > MAX_BODY:
            self.close_connection = True
            return self.send(413, TEXT, f"request body over {MAX_BODY} bytes\n".encode())
        data = self.rfile.read(length)
        self.disarm()
        if len(data) < length:
            self.close_connection = True
            return self.send(400, TEXT, f"request body ended after {len(data)} of {length} bytes\n".encode())
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            body = decode_body(data)
            fields = parse_form(urlsplit(self.path).query)
            if media == "application/x-www-form-urlencoded":
                for key, values in parse_form(body, "form body").items():
                    fields.setdefault(key, []).extend(values)
        except UsageError as exc:
            return self.send(400, TEXT, one_line(exc))
        if media == "application/sparql-query":
            fields["query"] = [body]
        elif media == "application/sparql-update":
            fields["update"] = [body]
        elif media != "application/x-www-form-urlencoded":
            return self.send(415, TEXT, b"POST application/x-www-form-urlencoded, application/sparql-query "
                                        b"or application/sparql-update\n")
        self.sparql(fields)

    def do_OPTIONS(self) -> None:  # noqa: N802
        """A CORS preflight from the ``--cors`` origin; without an Origin, the methods allowed."""
        self.disarm()
        if self.headers.get("Origin") is None:
            return self.send(204, TEXT, b"", {"Allow": "GET, POST, OPTIONS"})
        try:
            headers = self.server.policy.preflight(self.headers)
        except Refused as exc:
            self.extra = {}
            return self.send(exc.status, TEXT, one_line(exc))
        self.send(204, TEXT, b"", headers)

    def do_PUT(self) -> None:  # noqa: N802
        self.send(405, TEXT, b"method not allowed\n", {"Allow": "GET, POST, OPTIONS"})

    do_DELETE = do_PATCH = do_PUT

    def graph_html(self) -> Path | None:
        """The build's graph.html: a regular file in the served folder (not a link out of it)."""
        view = self.server.view
        if view is None or view.is_symlink() or not view.is_file():
            return None
        return view if view.resolve().parent == view.parent.resolve() else None

    def sparql(self, fields: dict[str, list[str]]) -> None:
        queries, updates = fields.get("query", []), fields.get("update", [])
        if len(queries) + len(updates) != 1:
            return self.send(400, TEXT, b"give exactly one query= or update=\n")
        text = (queries or updates)[0]
        update = bool(updates)      # what the text is, kg.guard.check decides in the worker
        if update and not self.server.writable:
            return self.send(403, TEXT, b"SPARQL Update refused: this endpoint is read-only "
                                        b"(start kg serve with --allow-update to accept updates)\n")
        request = Request(text, self.headers.get("Accept") or "", fields.get("format", fields.get("output", [""]))[0],
                          update, tuple(fields.get("default-graph-uri", [])), tuple(fields.get("named-graph-uri", [])))
        try:
            reply = self.server.pool.run(request) if self.server.pool else Reply(503, TEXT, b"no store\n")
        except (QueryTimeout, WorkerLost) as exc:
            if isinstance(exc, WorkerLost) and self.server.log is not None:
                self.server.log(f"{self.address_string()} {exc}")
            return self.send(503, TEXT, one_line(exc))
        except KgError as exc:
            return self.send(500, TEXT, one_line(exc))
        headers = {}
        if reply.truncated and self.server.pool is not None:
            cap = "max-bytes" if reply.truncated == "bytes" else "max-rows"
            value = getattr(self.server.pool.limits, cap.replace("-", "_"))
            headers = {"X-KG-Truncated": f"true; {cap}={value}"}
        body = one_line(reply.body.decode("utf-8", "replace")) if reply.media_type == TEXT else reply.body
        self.send(reply.status, reply.media_type, body, headers)


def make_server(graph: str | Path, *, host: str = "127.0.0.1", port: int = 7878, timeout: float = 10.0,
                max_rows: int = 10000, workers: int = 2, allow_update: bool = False,
                log: Callable[[str], None] | None = None, max_bytes: int = Limits.max_bytes,
                worker_memory: int = Limits.memory_mib, allow_hosts: tuple[str, ...] = (),
                cors: str | None = None, header_seconds: float = HEADER_SECONDS) -> KgServer:
    """A server for a build folder, RDF file, store folder or SPARQL server URL; call
    ``serve_forever()``, then ``close()``. A graph file is bulk-loaded into a temporary store that
    ``close()`` removes; a store folder is used in place (and written to only with
    ``allow_update``); a server's URL gets every query passed on, read-only, with kg's checks
    (no SERVICE, timeout, row cap) and named queries in front of it."""
    if is_server(graph) and allow_update:
        raise UsageError(f"{graph}: a SPARQL server is served read-only; send updates to the server itself")
    source = Path(graph)
    if not is_server(graph) and not is_store(source):
        graph_file(source)  # a usage error before anything is created
    server = KgServer((host, port), None, writable=allow_update, log=log, allow_hosts=allow_hosts, cors=cors,
                      header_seconds=header_seconds)
    try:
        if is_server(graph):
            directory: str | Path = str(graph)    # every query goes to the server, through kg's checks
        elif is_store(source):
            directory = source
        else:
            view = (source if source.is_dir() else source.parent) / "graph.html"
            server.stale_removed = scratch.clean_stale()
            server.view, server.cleanup = view, scratch.new_copy()
            save(source, server.cleanup)
            directory = server.cleanup
        server.pool = WorkerPool(directory, workers=workers, writable=allow_update, timeout=timeout,
                                 limits=Limits(max_rows, max_bytes, worker_memory))
    except BaseException:
        server.close()
        raise
    return server

