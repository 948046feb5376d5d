"""Builds into stores (kg/stores.py): an on-disk Oxigraph store and a real SPARQL 1.1 server (the
Oxigraph server, started here on a free loopback port); kg query reads them back; re-builds
rewrite only what changed; and the Dask executor (a LocalCluster) gives the same output."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg import cli
from kg.errors import UsageError
from kg.pipeline import build
from kg.stores import parse_store, with_values
from test_incremental import OUTPUTS, STATEMENTS, corpus

COUNT_GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?d a kg:Document } }"
TRAINERS = "SELECT DISTINCT ?who WHERE { ?who kg:trains ?whom } ORDER BY ?who"


def ask(capsys, graph: str, query: str, *extra: str) -> list[str]:
    """kg query GRAPH QUERY -F tsv, as the command line runs it: the rows, header dropped."""
    assert cli.main(["query", graph, query, "-F", "tsv", *extra]) == 0
    return capsys.readouterr().out.splitlines()[1:]


@pytest.mark.parametrize("spec, parsed", [
    ("memory", ("memory", "")),
    ("http://127.0.0.1:7878", ("sparql", "http://127.0.0.1:7878")),
    ("https://example.org/sparql/", ("sparql", "https://example.org/sparql")),
])
def test_store_specs(spec, parsed):
    assert parse_store(spec) == parsed


@pytest.mark.parametrize("spec", ["oxigraph:", "sqlite:x.db", "ftp://host/x", ""])
def test_bad_store_specs_are_usage_errors(spec):
    with pytest.raises(UsageError):
        parse_store(spec)


def test_parameters_go_to_a_server_in_a_values_block():
    import pyoxigraph as ox

    text = with_values("SELECT ?x WHERE { ?x ?p ?o }", {"p": ox.NamedNode("http://x/p"), "o": ox.Literal('a" } DROP ALL #')})
    assert text.endswith('VALUES (?o ?p) { ("a\\" } DROP ALL #" <http://x/p>) }\n')


# --------------------------------------------------------------------------- embedded Oxigraph

def test_oxigraph_store_build_query_rebuild_prune(nlp, tmp_path, capsys):
    store = f"oxigraph:{tmp_path / 'db'}"
    out = tmp_path / "out"
    first = build([corpus(tmp_path / "src")], out, nlp=nlp, store=store)
    assert first.graphs_written == len(STATEMENTS)
    assert not (out / "graph.trig").exists() and (out / "facts.tsv").is_file() and (out / "graph.html").is_file()
    assert ask(capsys, store, COUNT_GRAPHS) == [f"{len(STATEMENTS)}"]
    files = tmp_path / "files"
    build([tmp_path / "src"], files, nlp=nlp)
    assert ask(capsys, store, TRAINERS) == ask(capsys, str(files), TRAINERS) != []
    again = build([tmp_path / "src"], out, nlp=nlp, store=store)
    assert again.unchanged and again.graphs_written == 0
    (tmp_path / "src" / "e.txt").write_text("The Ministry of Health trains doctors.\n", encoding="utf-8")
    changed = build([tmp_path / "src"], out, nlp=nlp, store=store)
    assert (changed.parsed, changed.graphs_written) == (1, 1)
    pruned = build([corpus(tmp_path / "fewer", ["a", "b"])], out, nlp=nlp, store=store, prune=True)
    assert pruned.dropped == 3 and ask(capsys, store, COUNT_GRAPHS) == ["2"]


# --------------------------------------------------------------------------- a SPARQL server

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def oxigraph_server(tmp_path):
    """The Oxigraph server (pip's oxigraph) on a free loopback port; stopped afterwards."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install '.[test]')")
    port = _free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(tmp_path / "server-db"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"oxigraph serve exited: {proc.stderr.read().decode()[:300]}")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_sparql_server_is_built_queried_and_rebuilt_incrementally(nlp, tmp_path, capsys, oxigraph_server):
    url, out = oxigraph_server, tmp_path / "out"
    first = build([corpus(tmp_path / "src")], out, nlp=nlp, store=url)
    assert first.graphs_written == len(STATEMENTS)
    assert ask(capsys, url, COUNT_GRAPHS) == [f"{len(STATEMENTS)}"]
    build([tmp_path / "src"], tmp_path / "files", nlp=nlp)
    assert ask(capsys, url, TRAINERS) == ask(capsys, str(tmp_path / "files"), TRAINERS) != []
    assert build([tmp_path / "src"], out, nlp=nlp, store=url).unchanged
    (tmp_path / "src" / "b.txt").write_text("The Ministry of Justice trains judges.\n", encoding="utf-8")
    changed = build([tmp_path / "src"], out, nlp=nlp, store=url)
    assert (changed.parsed, changed.graphs_written) == (1, 1)
    assert "ministry-of-justice>" in "\n".join(ask(capsys, url, TRAINERS))
    pruned = build([corpus(tmp_path / "fewer", ["a"])], out, nlp=nlp, store=url, prune=True)
    assert pruned.dropped == 4 and ask(capsys, url, COUNT_GRAPHS) == ["1"]


def test_named_queries_run_on_a_server_with_parameters(nlp, tmp_path, capsys, oxigraph_server):
    build([corpus(tmp_path / "src")], tmp_path / "out", nlp=nlp, store=oxigraph_server)
    rows = ask(capsys, oxigraph_server, "SELECT DISTINCT ?who WHERE { ?who kg:trains ?whom }", "-p",
               "whom=id:concept/nurses")
    assert rows == ["<https://w3id.org/kg/id/organization/ministry-of-health>"]


# --------------------------------------------------------------------------- Dask

def test_a_dask_cluster_builds_the_same_bytes_as_this_process(nlp, tmp_path):
    distributed = pytest.importorskip("distributed")
    src = corpus(tmp_path / "src")
    build([src], tmp_path / "local", nlp=nlp)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        result = build([src], tmp_path / "dask", nlp=nlp, executor=address)
    assert result.parsed == len(STATEMENTS)
    for name in OUTPUTS:
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name


def test_an_unreachable_dask_scheduler_is_a_usage_error(nlp, tmp_path, monkeypatch):
    from kg import executors

    monkeypatch.setattr(executors, "DASK_TIMEOUT", 2.0)
    with pytest.raises(UsageError, match="Dask scheduler"):
        build([corpus(tmp_path / "src", ["a"])], tmp_path / "out", nlp=nlp, executor=f"dask://127.0.0.1:{_free_port()}")


def test_an_unreachable_sparql_server_is_a_usage_error_before_any_parsing(nlp, tmp_path, monkeypatch):
    from kg import work

    monkeypatch.setattr(work, "extract", lambda doc, document: pytest.fail("parsed before checking the store"))
    with pytest.raises(UsageError, match="cannot reach"):
        build([corpus(tmp_path / "src", ["a"])], tmp_path / "out", nlp=nlp, store=f"http://127.0.0.1:{_free_port()}")


def test_kg_serve_passes_queries_to_a_server_read_only_with_its_checks(nlp, tmp_path, capsys, oxigraph_server):
    # kg serve URL: the same answers as kg query URL, through kg's endpoint, which still refuses
    # updates and SERVICE (the server would fetch the URL) before anything reaches the server.
    from SPARQLWrapper import CSV, SPARQLWrapper

    from test_serve import Server, http

    url = oxigraph_server
    build([corpus(tmp_path / "src")], tmp_path / "out", nlp=nlp, store=url)
    expected = ask(capsys, url, TRAINERS)
    srv = Server(url)
    try:
        sparql = SPARQLWrapper(srv.url)
        sparql.setQuery(TRAINERS)
        sparql.setReturnFormat(CSV)
        rows = sparql.query().convert().decode("utf-8").splitlines()[1:]
        assert [f"<{r}>" for r in rows] == expected != []
        graphs = http(f"{srv.url}?query={urllib.parse.quote(COUNT_GRAPHS)}", headers={"Accept": "text/csv"})
        assert graphs[0] == 200 and graphs[2].decode().splitlines()[1:] == [str(len(STATEMENTS))]
        status, _, body = http(srv.url, data=b"update=DROP%20ALL")
        assert status == 403 and b"read-only" in body
        status, _, body = http(srv.url, data=urllib.parse.urlencode(
            {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}).encode())
        assert status == 403 and b"SERVICE" in body
        assert ask(capsys, url, COUNT_GRAPHS) == [f"{len(STATEMENTS)}"]      # nothing was dropped
    finally:
        assert srv.stop() in (0, 130)
    assert "Traceback" not in "\n".join(srv.lines)


@pytest.mark.parametrize("args, message", [
    (["--allow-update"], "served read-only"),
    ([], "cannot open the store"),
], ids=["updates are refused", "an unreachable server"])
def test_kg_serve_of_a_server_that_cannot_be_served_is_refused_clearly(tmp_path, args, message):
    port = _free_port()         # nothing listens there
    proc = subprocess.run([sys.executable, "-m", "kg", "serve", f"http://127.0.0.1:{port}", "--port", "0", *args],
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode in (1, 2) and message in proc.stderr and f"127.0.0.1:{port}" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
