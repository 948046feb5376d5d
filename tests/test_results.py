"""``kg query`` streams its answer: the same bytes as the whole-result writer, a batch at a time,
in bounded memory."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import query as q
from kg import results

ROOT = Path(__file__).resolve().parent.parent
EX = "http://example.org/"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """Seven subjects with labels (one with a language, one with a comma, quote and newline), some starts."""
    s = ox.Store()
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    for i in range(7):
        text = [f"Label {i}", 'comma, "quote"\nline', "Étiquette"][i % 3]
        s.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), label, ox.Literal(text, language="fr") if i % 3 == 2 else ox.Literal(text)))
        if i % 2:
            s.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}start"), ox.Literal(str(i * 10), datatype=ox.NamedNode(q.XSD + "integer"))))
    return s


SELECT = f"SELECT ?s ?label ?start WHERE {{ ?s skos:prefLabel ?label . OPTIONAL {{ ?s <{EX}start> ?start }} }} ORDER BY ?s"
QUERIES = {
    "select": SELECT,
    "empty": "SELECT ?s WHERE { ?s a <http://example.org/Nothing> }",
    "ask": "ASK { ?s ?p ?o }",
    "construct": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
}
CASES = [(name, fmt, cap) for name in ("select", "empty") for fmt in ("table", "json", "xml", "csv", "tsv")
         for cap in (None, 3, 7)] + [("ask", fmt, None) for fmt in ("table", "json", "xml", "csv", "tsv")] + \
        [("construct", fmt, cap) for fmt in ("turtle", "nt") for cap in (None, 3)]


@pytest.mark.parametrize("name, fmt, cap", CASES, ids=[f"{n}-{f}-cap{c}" for n, f, c in CASES])
def test_streamed_bytes_are_the_whole_result_bytes(store, monkeypatch, name, fmt, cap):
    monkeypatch.setattr(results, "BATCH", 2)           # batches cut the rows
    text = QUERIES[name]
    whole = q.run(store, text, max_rows=cap)
    out = io.BytesIO()
    truncated = results.stream(q.answer(store, text), fmt, out, cap)
    if name == "construct" and fmt == "nt":    # same triples (in the store's order either way)
        assert sorted(out.getvalue().splitlines()) == sorted(q.render(whole, fmt).splitlines())
    else:
        assert out.getvalue() == q.render(whole, fmt)
    assert truncated == whole.truncated


def test_a_table_wider_after_its_sample_writes_the_cell_whole(store, monkeypatch):
    monkeypatch.setattr(results, "TABLE_SAMPLE", 1)
    out = io.BytesIO()
    results.stream(q.answer(store, SELECT), "table", out)
    assert 'comma, "quote" line' in out.getvalue().decode() and out.getvalue().endswith(b"(7 rows)\n")


ROWS = 200_000
MEASURE = """
import io, os, sys
from kg.cli import main
with open(os.devnull, "wb") as sink:
    sys.stdout = io.TextIOWrapper(sink)
    code = main(["query", sys.argv[1], sys.argv[2], "-F", sys.argv[3]])
    sys.stdout.flush()
sys.stderr.write(f"{code} " + next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM:")) + "\\n")
"""


def peak_kib(graph: Path, text: str, fmt: str) -> int:
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(graph), text, fmt], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, check=False)
    code, peak = proc.stderr.split()[-2:]
    assert code == "0", proc.stderr
    return int(peak)


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_a_large_result_streams_in_bounded_memory(tmp_path, fmt):
    graph = tmp_path / "big.nt"
    with open(graph, "w", encoding="utf-8") as fh:
        fh.writelines(f'<{EX}s{i}> <{EX}p> "value {i} of the large result" .\n' for i in range(ROWS))
    few = peak_kib(graph, "SELECT * WHERE { ?s ?p ?o } LIMIT 10", fmt)
    every = peak_kib(graph, "SELECT * WHERE { ?s ?p ?o }", fmt)
    # the whole result in memory costs hundreds of MiB here (rows, their JSON, the rendered bytes)
    assert every - few < 64 * 1024, f"{ROWS} rows: peak {every} KiB against {few} KiB for 10 rows"
