"""A SPARQL 1.1 Protocol endpoint over a built graph (standard library HTTP server).

``/sparql`` answers GET and POST (form-encoded, ``application/sparql-query``, and, only when the
server was started with updates allowed, ``application/sparql-update``), with content
negotiation: SELECT/ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, JSON-LD,
N-Triples or RDF/XML. ``/`` is a small query page, ``/graph`` the build's ``graph.html`` view
when there is one. Each request runs in a worker process (``kg.store.WorkerPool``) with a
timeout and a row cap; the server is read-only by default and binds to loopback. Bodies over
``MAX_BODY`` bytes get 413, malformed requests 400 with a one-line message (``kg.guard``), queries
that would reach the network (``SERVICE``, ``LOAD``) 403; at most ``MAX_CONNECTIONS`` connections
are served at once (more get 503). Only ``/``, ``/sparql``, ``/graph`` and the named queries
exist: no URL maps to a file path.
"""
from __future__ import annotations

import html
import shutil
import socket
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import pyoxigraph as ox

from . import query as q
from .errors import KgError, UsageError
from .guard import Refused, check, decode_body, parse_form
from .store import QueryTimeout, Reply, Request, WorkerPool, graph_file, is_store, save
from .stores import SparqlStore, is_server, run_remote

MAX_BODY = 1024 * 1024
MAX_CONNECTIONS = 64
BUSY = (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 43\r\n"
        b"Connection: close\r\nRetry-After: 1\r\n\r\nserver busy: too many connections, try again\n")
RESULT_TYPES = {"application/sparql-results+json": "json", "application/json": "json",
                "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
                "text/csv": "csv", "text/tab-separated-values": "tsv", "text/html": "html"}
GRAPH_TYPES = {"text/turtle": "turtle", "application/turtle": "turtle", "application/x-turtle": "turtle",
               "application/ld+json": "json-ld", "application/json": "json-ld", "application/n-triples": "nt",
               "text/plain": "nt", "application/rdf+xml": "xml", "application/xml": "xml", "text/n3": "n3",
               "text/html": "html"}
GRAPH_MEDIA = {"turtle": "text/turtle; charset=utf-8", "json-ld": "application/ld+json",
               "nt": "application/n-triples", "xml": "application/rdf+xml", "n3": "text/n3; charset=utf-8"}
NAMES = {"json": ("json", "json-ld"), "xml": ("xml", "xml"), "csv": ("csv", None), "tsv": ("tsv", None),
         "html": ("html", "html"), "turtle": (None, "turtle"), "ttl": (None, "turtle"),
         "json-ld": (None, "json-ld"), "jsonld": (None, "json-ld"), "nt": (None, "nt"),
         "n-triples": (None, "nt"), "ntriples": (None, "nt"), "rdf+xml": (None, "xml"), "rdfxml": (None, "xml"),
         "n3": (None, "n3")}
TEXT = "text/plain; charset=utf-8"
RESULT_MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}


def negotiate(kind: str, accept: str, fmt: str = "") -> str | None:
    """The format for a result kind (select/ask or graph): an explicit ``format`` name first,
    then the Accept header by quality; the default (JSON, Turtle) for ``*/*`` or no header."""
    col = 1 if kind == "graph" else 0
    if fmt:
        names = NAMES.get(fmt.strip().lower()) or NAMES.get((RESULT_TYPES if col == 0 else GRAPH_TYPES)
                                                            .get(fmt.split(";")[0].strip().lower(), ""))
        if names and names[col]:
            return names[col]
    table = GRAPH_TYPES if col else RESULT_TYPES
    ranges = []
    for i, part in enumerate(accept.split(",")):
        media, *attrs = [a.strip() for a in part.split(";")]
        quality = 1.0
        for attr in attrs:
            if attr.startswith("q="):
                try:
                    quality = float(attr[2:])
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranges.append((-quality, i, media.lower()))
    if not ranges:
        return "turtle" if col else "json"
    for _, _, media in sorted(ranges):
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*"):
            return "turtle" if col else ("csv" if media == "text/*" else "json")
    return None


def one_line(message: object, limit: int = 2000) -> bytes:
    """A message as one line of text (parser messages span lines), newline-terminated."""
    return (" ".join(str(message).split())[:limit] + "\n").encode()


def respond(store: ox.Store | SparqlStore, request: Request, *, max_rows: int, writable: bool) -> Reply:
    """Answer one request on an open store or a SPARQL server (runs inside a worker process,
    where the parse of ``kg.guard.check`` meets the request's timeout)."""
    if request.update and not writable:
        return Reply(403, TEXT, b"SPARQL Update refused: this endpoint is read-only\n")
    try:
        if isinstance(store, SparqlStore):
            result = run_remote(store, request.text, max_rows=max_rows, default_graphs=request.default_graphs,
                                named_graphs=request.named_graphs)
        else:
            checked = check(request.text, updates=writable)
            if checked.update != request.update:
                raise UsageError("send updates as update= or application/sparql-update, not query=" if checked.update
                                 else "this is a query: send it as query=, not update=")
            if checked.update:
                q.update(store, checked)
                return Reply(200, TEXT, b"update done\n")
            result = q.run(store, checked, max_rows=max_rows, default_graphs=request.default_graphs,
                           named_graphs=request.named_graphs)
    except Refused as exc:
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
        body = q.render(result, "turtle") if result.kind == "graph" else q.table(result, width=200).encode()
        return Reply(200, "text/html; charset=utf-8", page(result=body.decode(), query=request.text),
                     result.truncated)
    media = GRAPH_MEDIA[fmt] if result.kind == "graph" else RESULT_MEDIA[fmt]
    return Reply(200, media, q.render(result, fmt), result.truncated)


def page(query: str = "", result: str = "", graph_view: bool = False) -> bytes:
    """The query page: a form, the named queries, and the result of the last query as text."""
    items = "".join(f'<li><a href="/?name={html.escape(n)}">{html.escape(n)}</a> — {html.escape(nq.question)}</li>'
                    for n, nq in q.named_queries().items())
    options = "".join(f'<option value="{f}">{f}</option>' for f in ("html", "json", "xml", "csv", "tsv", "turtle"))
    view = '<p><a href="/graph">graph view</a></p>' if graph_view else ""
    out = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>kg SPARQL</title>
<style>body{{font-family:sans-serif;max-width:70em;margin:1em auto}}textarea{{width:100%;height:16em;
font-family:monospace}}pre{{overflow-x:auto;background:#f4f4f4;padding:.5em}}</style></head><body>
<h1>kg SPARQL endpoint</h1>{view}
<form action="/sparql" method="post"><textarea name="query">{html.escape(query)}</textarea><br>
<label>format <select name="format">{options}</select></label> <button>Run</button></form>
{f"<h2>Result</h2><pre>{html.escape(result)}</pre>" if result else ""}
<h2>Named queries</h2><ul>{items}</ul>
<p>Endpoint: <code>/sparql</code> (SPARQL 1.1 Protocol, GET or POST). Prefixes kg:, id:, doc:, fact:, skos:,
dcterms:, prov:, oa:, schema:, … are predeclared.</p></body></html>"""
    return out.encode()


class KgServer(ThreadingHTTPServer):
    """The HTTP server: its worker pool, the folder of the graph view, and a log callback."""

    daemon_threads = True
    request_queue_size = 128   # connections waiting to be accepted (socketserver's default is 5)

    def __init__(self, address: tuple[str, int], pool: WorkerPool | None, *, writable: bool = False,
                 view: Path | None = None, log: Callable[[str], None] | None = None,
                 cleanup: Path | None = None) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        try:
            super().__init__(address, Handler)
        except OSError as exc:
            raise UsageError(f"cannot listen on {address[0]}:{address[1]} ({exc.strerror or exc})") from None
        self.pool, self.writable, self.view, self.log, self.cleanup = pool, writable, view, log, cleanup
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request: Any, client_address: Any) -> None:
        """A thread per connection, at most ``MAX_CONNECTIONS`` at once; beyond that, 503."""
        if not self.slots.acquire(blocking=False):
            try:
                request.sendall(BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

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
    request_seconds = 60.0   # seconds a client has to send its whole request (a slow client is cut off)
    default_request_version = "HTTP/1.0"   # a status line even for a garbled request line

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own errors (bad request line, headers too long, unknown method) as one
        line of plain text, like every other answer."""
        self.close_connection = True
        self.send(code, TEXT, one_line(message or self.responses.get(code, ("error",))[0], 300), {"Connection": "close"})

    def setup(self) -> None:
        super().setup()
        self.deadline = threading.Timer(self.request_seconds, self.cut_off)
        self.deadline.daemon = True
        self.deadline.start()

    def cut_off(self) -> None:
        """The request took too long to arrive: close the connection (its reads then end)."""
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def finish(self) -> None:
        self.deadline.cancel()
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's name)
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {format % args}")

    def send(self, status: int, media: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.deadline.cancel()   # the request is in; answering it has its own timeout
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
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            return self.send(400, TEXT, b"bad Content-Length\n")
        if length > MAX_BODY:
            self.close_connection = True
            return self.send(413, TEXT, f"request body over {MAX_BODY} bytes\n".encode())
        data = self.rfile.read(length)
        self.deadline.cancel()
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

    def do_PUT(self) -> None:  # noqa: N802
        self.send(405, TEXT, b"method not allowed\n", {"Allow": "GET, POST"})

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
        except QueryTimeout as exc:
            return self.send(503, TEXT, one_line(exc))
        except KgError as exc:
            return self.send(500, TEXT, one_line(exc))
        headers = {"X-KG-Truncated": f"true; max-rows={self.server.pool.max_rows}"} if reply.truncated else {}
        body = one_line(reply.body.decode("utf-8", "replace")) if reply.media_type == TEXT else reply.body
        self.send(reply.status, reply.media_type, body, headers)


def make_server(graph: str | Path, *, host: str = "127.0.0.1", port: int = 7878, timeout: float = 10.0,
                max_rows: int = 10000, workers: int = 2, allow_update: bool = False,
                log: Callable[[str], None] | None = None) -> KgServer:
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
    server = KgServer((host, port), None, writable=allow_update, log=log)
    try:
        if is_server(graph):
            directory: str | Path = str(graph)    # every query goes to the server, through kg's checks
        elif is_store(source):
            directory = source
        else:
            view = (source if source.is_dir() else source.parent) / "graph.html"
            server.view, server.cleanup = view, Path(tempfile.mkdtemp(prefix="kg-store-"))
            save(source, server.cleanup)
            directory = server.cleanup
        server.pool = WorkerPool(directory, workers=workers, writable=allow_update, timeout=timeout,
                                 max_rows=max_rows)
    except BaseException:
        server.close()
        raise
    return server

