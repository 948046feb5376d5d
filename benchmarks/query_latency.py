#!/usr/bin/env python3
"""Latency of the named competency queries: pyoxigraph (kg's store) against rdflib's Memory store.

    .venv/bin/python benchmarks/query_latency.py [--graph BUILD_OR_TRIG] [--corpus DIR]
                                                 [--min-triples N] [--runs N] [--rdflib-runs N] [--json]

Graph: the TriG of a build (--graph), else a fresh ``kg build`` of ../shared/corpus (data/ when
shared/ is absent), replicated until it holds at least --min-triples distinct triples (default
1,000,000). Replica k renames every minted IRI (entities, documents, graphs, facts, rankings,
claims) by inserting ``rK/`` after its namespace; tiers stay shared, as a fixed scheme would.

Stores, all loaded from the same quads before any timing:
- oxigraph: ``pyoxigraph.Store()`` in memory, default graph = merge of all graphs (``kg.store``),
  what ``kg query`` uses;
- oxi disk: the same copied into a RocksDB store folder opened read-only, what ``kg serve``'s
  workers use;
- rdflib: ``rdflib.Dataset(store="Memory", default_union=True)`` holding the same quads.
Each named query runs with the same parameters (entities of the middle replica) filled into its
VALUES row (``kg.query.prepare``): the very same query text goes to both engines. oxigraph runs
through ``kg.query.run`` (parse + evaluate + rows materialised); rdflib through
``Dataset.query(text)`` (parse + evaluate + rows materialised) and, as "rdflib prep", with the
query prepared once. One warm-up run, then --runs timed runs (--rdflib-runs for rdflib); medians
are printed side by side with the ratios, and whether both engines returned the same rows.
Then, oxigraph only, each named query without parameters (every report, area, class, ...).
Nothing is asserted; this only reports.
"""
from __future__ import annotations

import argparse
import json
import math
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pyoxigraph as ox  # noqa: E402
import rdflib  # noqa: E402
from rdflib.plugins.sparql import prepareQuery  # noqa: E402

from kg import query as kq  # noqa: E402
from kg import store as ks  # noqa: E402

BASE = "https://w3id.org/kg/"
RENAMED = tuple(BASE + ns for ns in ("id/", "doc/", "graph/", "fact/"))
SHARED = BASE + "id/tier-"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"


def source_trig(args: argparse.Namespace, tmp: Path) -> Path:
    if args.graph:
        return ks.graph_file(args.graph)
    from kg.pipeline import build

    corpus = Path(args.corpus) if args.corpus else (DEFAULT_CORPUS if DEFAULT_CORPUS.is_dir() else REPO / "data")
    print(f"building {corpus} ...", file=sys.stderr)
    build([corpus], tmp / "build")
    return tmp / "build" / "graph.trig"


def rename(term, k: int):
    if isinstance(term, ox.NamedNode) and k and term.value.startswith(RENAMED) and not term.value.startswith(SHARED):
        for ns in RENAMED:
            if term.value.startswith(ns):
                return ox.NamedNode(f"{ns}r{k}/{term.value[len(ns):]}")
    return term


def replicate(quads: list, min_triples: int) -> tuple[list, int, int]:
    """(quads, replicas, distinct triples) with at least min_triples distinct triples."""
    base = len({(q.subject, q.predicate, q.object) for q in quads})
    replicas = max(1, math.ceil(min_triples / max(base, 1)))
    while True:
        out = [ox.Quad(rename(q.subject, k), q.predicate, rename(q.object, k), rename(q.graph_name, k))
               for k in range(replicas) for q in quads]
        distinct = len({(q.subject, q.predicate, q.object) for q in out})
        if distinct >= min_triples:
            return out, replicas, distinct
        replicas += max(1, math.ceil((min_triples - distinct) / max(base, 1)))


def to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.DefaultGraph):
        return rdflib.graph.DATASET_DEFAULT_GRAPH_ID
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def cell(term) -> str:
    """A result cell, comparable across engines (lexical forms; numbers as numbers)."""
    if term is None:
        return ""
    value = term.value if isinstance(term, (ox.NamedNode, ox.Literal, ox.BlankNode)) else str(term)
    try:
        return repr(float(value))
    except ValueError:
        return value


def parameters(quads: list, k: int) -> dict[str, dict[str, str]]:
    """The parameters of each named query: entities of replica k."""
    def iri(local: str) -> str:
        return f"<{BASE}id/{f'r{k}/' if k else ''}{local}>"

    facts = sorted(q.subject.value for q in quads if q.predicate.value.endswith("#type")
                   and q.object.value == BASE + "ontology#Fact")
    fact = rename(ox.NamedNode(facts[len(facts) // 2]), k).value
    return {
        "report-publisher": {"report": iri("tip-report-2025")},
        "rankings": {"area": iri("macao-sar")},
        "implemented-laws": {"area": iri("macao-sar")},
        "committee-partners": {"committee": iri("macao-htdmcc")},
        "claims-opposed": {"author": iri("tip-report-2025")},
        "publisher-statements": {"publisher": iri("macao-security-authority"), "from": "2025-01-01",
                                 "to": "2025-12-31"},
        "fact-provenance": {"fact": f"<{fact}>"},
        "entity-mentions": {"class": "kg:Law"},
    }


def timed(fn, runs: int) -> tuple[float, object]:
    out = fn()  # warm-up, and the answer
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", help="a build folder or .trig file (default: build the corpus)")
    ap.add_argument("--corpus", help="statements to build (default: ../shared/corpus, else data/)")
    ap.add_argument("--min-triples", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--rdflib-runs", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp_name:
        tmp = Path(tmp_name)
        trig = source_trig(args, tmp)
        source = list(ox.parse(path=str(trig), format=ox.RdfFormat.TRIG))
        t0 = time.perf_counter()
        quads, replicas, distinct = replicate(source, args.min_triples)
        print(f"graph: {trig} ({len(source)} quads) x {replicas} replicas = {len(quads):,} quads, "
              f"{distinct:,} distinct triples ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)

        t0 = time.perf_counter()
        memory = ox.Store()
        memory.bulk_extend(quads)
        memory.update(ks.MERGE)
        load_memory = time.perf_counter() - t0
        t0 = time.perf_counter()
        ondisk = ox.Store(str(tmp / "store"))
        ondisk.bulk_extend(memory)
        ondisk.optimize()
        del ondisk
        disk = ox.Store.read_only(str(tmp / "store"))
        load_disk = time.perf_counter() - t0
        t0 = time.perf_counter()
        ds = rdflib.Dataset(store="Memory", default_union=True)
        graphs: dict = {}

        def context(name):
            if isinstance(name, ox.DefaultGraph):
                return ds.default_graph
            if name.value not in graphs:
                graphs[name.value] = ds.graph(rdflib.URIRef(name.value))
            return graphs[name.value]

        ds.addN((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), context(q.graph_name))
                for q in quads)
        load_rdflib = time.perf_counter() - t0
        print(f"load: oxigraph memory {load_memory:.1f} s, oxigraph disk {load_disk:.1f} s, "
              f"rdflib Memory {load_rdflib:.1f} s", file=sys.stderr)

        params = parameters(source, replicas // 2)
        rows, everything = [], []
        for name, values in params.items():
            text, _ = kq.prepare(name, None, values)
            mem_ms, mem_answer = timed(lambda text=text: kq.run(memory, text), args.runs)
            disk_ms, _ = timed(lambda text=text: kq.run(disk, text), args.runs)
            rdf_ms, rdf_answer = timed(lambda text=text: list(ds.query(text)), args.rdflib_runs)
            prepared = prepareQuery(text)
            prep_ms, _ = timed(lambda prepared=prepared: list(ds.query(prepared)), args.rdflib_runs)
            same = sorted(tuple(cell(t) for t in row) for row in mem_answer.rows) == \
                sorted(tuple(cell(t) for t in row) for row in rdf_answer)
            rows.append({"query": name, "params": values, "rows": len(mem_answer.rows),
                         "oxigraph_memory_ms": round(mem_ms, 2), "oxigraph_disk_ms": round(disk_ms, 2),
                         "rdflib_memory_ms": round(rdf_ms, 1), "rdflib_prepared_ms": round(prep_ms, 1),
                         "ratio": round(rdf_ms / mem_ms, 1), "ratio_prepared": round(prep_ms / mem_ms, 1),
                         "same_rows": same})
            print(f"  {name}: done", file=sys.stderr)
        for name in params:
            text, _ = kq.prepare(name, None, {})
            ms, answer = timed(lambda text=text: kq.run(memory, text), max(3, args.runs // 4))
            everything.append({"query": name, "rows": len(answer.rows), "oxigraph_memory_ms": round(ms, 1)})
        n_quads = len(memory)

    print(f"\nkg query latency, median of {args.runs} (oxigraph) / {args.rdflib_runs} (rdflib) runs; "
          f"{distinct:,} distinct triples ({len(quads):,} quads in the named graphs, {n_quads:,} in the "
          f"oxigraph store with its merged default graph); pyoxigraph {ox.__version__}, "
          f"rdflib {rdflib.__version__}, Python {platform.python_version()}, {platform.machine()}")
    header = (f"{'query':<22}{'rows':>5}{'oxigraph':>12}{'oxi disk':>12}{'rdflib':>12}{'ratio':>8}"
              f"{'rdflib prep':>13}{'ratio':>8}  same")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['query']:<22}{r['rows']:>5}{r['oxigraph_memory_ms']:>9.2f} ms{r['oxigraph_disk_ms']:>9.2f} ms"
              f"{r['rdflib_memory_ms']:>9.1f} ms{r['ratio']:>7.0f}x{r['rdflib_prepared_ms']:>10.1f} ms"
              f"{r['ratio_prepared']:>7.0f}x  {'yes' if r['same_rows'] else 'NO'}")
    print("oxigraph = pyoxigraph in memory via kg.query.run (query text parsed each run); oxi disk = the same on the\n"
          "read-only RocksDB store kg serve uses; rdflib = Dataset(store='Memory').query(text) (the same text,\n"
          "parsed each run, like oxigraph); rdflib prep = the same with the query prepared once (parsing not timed).")
    worst = max(r["oxigraph_memory_ms"] for r in rows)
    least, least_prep = min(r["ratio"] for r in rows), min(r["ratio_prepared"] for r in rows)
    print(f"slowest oxigraph median {worst:.2f} ms (goal < 50 ms); smallest ratio {least:.0f}x vs rdflib, "
          f"{least_prep:.0f}x vs prepared rdflib (goal >= 20x)")
    print("\nwithout parameters (every report, area, class, ...), oxigraph in memory only:")
    for r in everything:
        print(f"  {r['query']:<22}{r['rows']:>7} rows{r['oxigraph_memory_ms']:>10.1f} ms")
    if args.json:
        print(json.dumps({"quads": len(quads), "distinct_triples": distinct, "replicas": replicas,
                          "without_parameters": everything,
                          "load_s": {"oxigraph_memory": load_memory, "oxigraph_disk": load_disk,
                                     "rdflib_memory": load_rdflib}, "queries": rows}, indent=1))


if __name__ == "__main__":
    main()
