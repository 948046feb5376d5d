"""Where a build's graph goes: files (``memory``), an on-disk Oxigraph store, or a SPARQL server.

``--store`` takes ``memory`` (graph.ttl and graph.trig in the output folder), ``oxigraph:PATH``
(an embedded pyoxigraph store folder, made if missing) or an ``http(s)://`` URL: a server's base
URL in Oxigraph's layout (``/store`` for the Graph Store HTTP Protocol, ``/update``, ``/query``),
or the URL of a SPARQL endpoint that takes both queries and updates (e.g. Virtuoso's ``/sparql``).
A store holds one named graph per document and, like ``kg query`` on files, a default graph
that is the merge of them all, refreshed after every build that changed something.
"""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

import pyoxigraph as ox

from .errors import DataError, UsageError
from .store import MERGE

if TYPE_CHECKING:
    from .query import Result

TIMEOUT = 120.0
REFRESH = "CLEAR SILENT DEFAULT"


def parse_store(spec: str) -> tuple[str, str]:
    """(kind, where) of a --store value: ('memory', ''), ('oxigraph', PATH) or ('sparql', URL)."""
    if spec == "memory":
        return "memory", ""
    if spec.startswith("oxigraph:"):
        path = spec[len("oxigraph:"):]
        if not path:
            raise UsageError("--store oxigraph:PATH needs a folder")
        return "oxigraph", str(Path(path).resolve())
    if spec.startswith(("http://", "https://")):
        return "sparql", spec.rstrip("/")
    raise UsageError(f"unknown store {spec!r}: give memory, oxigraph:PATH or an http(s):// URL")


def nt(quads: list[ox.Quad]) -> bytes:
    """The triples of quads as N-Triples (one graph's body for a Graph Store PUT)."""
    return "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads).encode("utf-8")


class OxigraphStore:
    """An embedded on-disk pyoxigraph store, written graph by graph."""

    def __init__(self, path: str) -> None:
        try:
            Path(path).mkdir(parents=True, exist_ok=True)
            self.store = ox.Store(path)
        except OSError as exc:
            raise UsageError(f"{path}: cannot open the Oxigraph store ({exc})") from None

    def put(self, graph: str, nt: bytes) -> None:
        """Replace a named graph with these triples (N-Triples)."""
        name = ox.NamedNode(graph)
        self.store.remove_graph(name)
        self.store.load(nt, format=ox.RdfFormat.N_TRIPLES, to_graph=name)

    def drop(self, graph: str) -> None:
        name = ox.NamedNode(graph)
        if name in set(self.store.named_graphs()) or self.store.contains_named_graph(name):
            self.store.remove_graph(name)

    def refresh_default(self, quads: list[ox.Quad]) -> None:
        self.store.update(REFRESH)
        self.store.extend(quads)
        self.store.update(MERGE)

    def close(self) -> None:
        self.store.flush()
        del self.store


class SparqlStore:
    """A SPARQL 1.1 server: graphs put with the Graph Store HTTP Protocol (Oxigraph's layout) or
    SPARQL Update (an endpoint URL), queries sent with the SPARQL Protocol."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.layout = parts.path in ("", "/")          # a server base: /store, /update, /query
        self.url = url.rstrip("/")
        self.query_url = self.url + "/query" if self.layout else self.url
        self.update_url = self.url + "/update" if self.layout else self.url

    def _send(self, method: str, url: str, body: bytes, media_type: str, accept: str = "*/*") -> bytes:
        request = urllib.request.Request(url, data=body, method=method,
                                         headers={"Content-Type": media_type, "Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace").strip()
            raise DataError(f"{self.url}: {method} failed: HTTP {exc.code} {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise DataError(f"{self.url}: cannot reach the SPARQL server ({getattr(exc, 'reason', exc)})") from None

    def update(self, text: str) -> None:
        self._send("POST", self.update_url, text.encode("utf-8"), "application/sparql-update")

    def put(self, graph: str, nt: bytes) -> None:
        """Replace a named graph with these triples (N-Triples)."""
        if self.layout:
            target = f"{self.url}/store?graph={urllib.parse.quote(graph, safe='')}"
            self._send("PUT", target, nt, "application/n-triples")
        else:
            self.update(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n"
                        + nt.decode("utf-8") + "}}")

    def drop(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH <{graph}>")

    def refresh_default(self, quads: list[ox.Quad]) -> None:
        self.update(f"{REFRESH} ;\nINSERT DATA {{\n{nt(quads).decode('utf-8')}}} ;\n{MERGE}")

    def query(self, text: str, default_graphs: Iterable[str] = (),
              named_graphs: Iterable[str] = ()) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]:
        """Answer a query on the server: solutions, a boolean or (CONSTRUCT/DESCRIBE) triples;
        the graphs named go along as the SPARQL Protocol's default-graph-uri / named-graph-uri."""
        fields = [("query", text), *(("default-graph-uri", g) for g in default_graphs),
                  *(("named-graph-uri", g) for g in named_graphs)]
        body = urllib.parse.urlencode(fields).encode()
        data = self._send("POST", self.query_url, body, "application/x-www-form-urlencoded",
                          accept="application/sparql-results+json, application/n-triples;q=0.9")
        if data.lstrip().startswith(b"{"):
            return ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
        return [q.triple for q in ox.parse(data, ox.RdfFormat.N_QUADS)]

    def close(self) -> None:
        pass


def open_target(kind: str, where: str) -> OxigraphStore | SparqlStore:
    """The store a build writes into (not ``memory``: that one is files); a server that does not
    answer is a usage error now, before any parsing."""
    if kind == "oxigraph":
        return OxigraphStore(where)
    server = SparqlStore(where)
    try:
        server.query("ASK {}")
    except DataError as exc:
        raise UsageError(str(exc)) from None
    return server


def with_values(text: str, params: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """A query with its parameters bound in a trailing VALUES block (for a remote server, which
    cannot take pyoxigraph's substitutions)."""
    if not params:
        return text
    names = sorted(params)
    return (text.rstrip() + "\nVALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
            + " ".join(str(params[n]) for n in names) + ") }\n")


def run_remote(url: str | SparqlStore, text: str, params: Mapping[str, ox.NamedNode | ox.Literal] | None = None, *,
               max_rows: int | None = None, default_graphs: Iterable[str] = (),
               named_graphs: Iterable[str] = ()) -> "Result":
    """``kg query`` (and ``kg serve``) on a SPARQL server: kg's prefixes declared, parameters in
    a VALUES block, the answer read back into the same Result as a local query. The text sent is
    the one ``kg.guard.check`` parsed: no SERVICE (that server would fetch the URL on kg's
    behalf), no update (the front is read-only)."""
    from .guard import check
    from .query import PREFIXES, to_result

    checked = check(with_values(text, params or {}))
    # whole PREFIX declarations, each on its own line: the text after them reads as it was parsed
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    server = url if isinstance(url, SparqlStore) else SparqlStore(url)
    return to_result(server.query(prologue + checked.text, default_graphs, named_graphs), max_rows)


def is_server(graph: str | Path) -> bool:
    """Whether a graph argument names a SPARQL server (an http(s) URL) rather than a path."""
    return str(graph).startswith(("http://", "https://"))
