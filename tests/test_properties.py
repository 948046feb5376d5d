"""Property-based tests (hypothesis): any Unicode text and front matter builds, every output re-parses,
every minted IRI is valid, the view holds statement text only as data, and two fresh builds of the
same inputs write the same bytes.

Each example is a small corpus (1–12 statement files) built by the real ``kg.pipeline.build`` with the
session's spaCy pipeline, twice, into two fresh folders. ``test_any_corpus_builds`` runs a CI sample;
``test_any_corpus_builds_long`` (marked ``long``, deselected by default) runs until at least
``LONG_STATEMENTS`` generated statements were built: ``.venv/bin/pytest -m long tests/test_properties.py``.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from rdflib import Dataset, Graph, URIRef

from kg import pipeline
from kg.errors import DataError
from kg.export import TSV_HEADER

CI_EXAMPLES = int(os.environ.get("KG_PROPERTY_EXAMPLES", "40"))
LONG_STATEMENTS = int(os.environ.get("KG_LONG_STATEMENTS", "10000"))

# hostile characters: controls, bidi and zero-width marks, line and paragraph separators, emoji
# (with a joiner and a skin tone), a BOM, combining marks, full-width and look-alike letters
HOSTILE = ("\x01\x07\x08\x0b\x0c\x1b\x1c\x1d\x1e\x1f\x7f\x85\x9b\xa0\xad\u200b\u200c\u200d\u200e\u200f"
           "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029\ufeff\ufffd\u0301\u0338"
           "\uff21\u0430\u0435\u05d0\u0627\u4e2d\U0001F600\U0001F468\u200d\U0001F469\U0001F3FD\U000E0041")
PIECES = [
    "The Ministry of Health", " said that ", " the Police ", " implements ", " Law No. 6/2031", " ranked ",
    " Tier 3", " Macao SAR", " the U.S. ", " denies ", " alleges that ", " has never ", " may ", ". ", ", ",
    '"', "'", "“", "”", "<", ">", "&", "<script>alert(1)</script>", "]]>", "\\", "\t", "\n", "\r\n", "\r", "---",
    "\n---\n", " (hereinafter referred to as the “Report”) ", "Ministry of <b>\"Tides\"</b> & 'Co'", "%2e%2e/",
    "${x}", "{{x}}", "\\u0022", "_:b", "<http://evil/>", "@prefix x: <y> .", "\"\"\" ", " a ", "MACAU, September 30 - ",
    "(a) ", "VGP - ", "2019-02-30", " 2024 ", "!!python/object/apply:os.system ['x']", "&a [*a, *a]",
]
KEYS = ["title", "date", "place", "publisher", "source", "language", "Title", "DATE", "x-y", "bad key", ""]


def _pieces() -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(PIECES), st.text(alphabet=HOSTILE, max_size=4),
                              st.text(max_size=12)), max_size=40).map("".join)


def _body() -> st.SearchStrategy[str]:
    return st.one_of(_pieces(), st.text(max_size=300), st.text(alphabet=HOSTILE + "ab .\n", max_size=200))


def _value() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(["2024-06-24", "2017 (day not shown)", "http://x/%zz", "https://a.b/c d",
                                      "http://[::1", "https://example.org/ok", "\"quoted\"", "'", "<a>", "&x *x",
                                      "!!binary AAAA", "|", "> folded"]),
                     st.text(max_size=40))


@st.composite
def statement(draw: st.DrawFn) -> str:
    """A statement file's text: a body, maybe front matter (well-formed or not), maybe a lone ---."""
    body = draw(_body())
    shape = draw(st.sampled_from(["plain", "front", "front", "lone-open", "lone-close", "empty-front"]))
    if shape == "front":
        pairs = draw(st.lists(st.tuples(st.sampled_from(KEYS), _value()), max_size=6))
        sep = draw(st.sampled_from([": ", ":", " : ", "\t:\t"]))
        return "---\n" + "".join(f"{k}{sep}{v}\n" for k, v in pairs) + "---\n" + body
    if shape == "lone-open":
        return "---\n" + body
    if shape == "lone-close":
        return body + "\n---"
    if shape == "empty-front":
        return "---\n---\n" + body
    return body


def corpus(max_size: int = 12) -> st.SearchStrategy[list[str]]:
    return st.lists(statement(), min_size=1, max_size=max_size)


# --------------------------------------------------------------------------- the properties

IRI = re.compile(r"[a-z][a-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\\x7f-\x9f]*\Z")
KG_IRI = re.compile(r"https://w3id\.org/kg/(?:[A-Za-z0-9\-._~/#:@!$&'()*+,;=]|%[0-9A-F]{2})+\Z")


def build_once(texts: list[str], root: Path, nlp, name: str) -> tuple[Path, pipeline.BuildResult | None]:
    src = root / "in"
    if not src.exists():
        src.mkdir()
        for i, text in enumerate(texts):
            (src / f"s{i:02d}.txt").write_bytes(text.encode("utf-8"))
    out = root / name
    try:
        return out, pipeline.build([src], out, nlp=nlp)
    except DataError as exc:
        # only when no statement could be read at all; each is then reported by name
        problems = getattr(exc, "problems", [])
        assert len(problems) == len(texts) and all(f"s{i:02d}.txt" in str(p) for i, p in enumerate(problems)), exc
        return out, None


def unescape(cell: str) -> str:
    named = {"t": "\t", "n": "\n", "r": "\r"}
    return re.sub(r"\\(x[0-9a-f]{2}|u[0-9a-f]{4}|.)", lambda m: named.get(m.group(1), m.group(1)) if len(m.group(1)) == 1
                  else chr(int(m.group(1)[1:], 16)), cell)


def check_outputs(out: Path, texts: list[str], result: pipeline.BuildResult) -> None:
    assert not [p for p in result.problems if "could not be extracted" in str(p)], result.problems
    # every file that was not built is reported by name, with a one-line reason
    built = {d.doc_id for d in result.documents}
    for i in range(len(texts)):
        if f"s{i:02d}" not in built:
            assert [p for p in result.problems if f"s{i:02d}.txt" in str(p)], (i, result.problems)
    assert all("\n" not in str(p) for p in result.problems)
    # Turtle and TriG re-parse with two independent parsers (Oxigraph's validates every IRI)
    ttl, trig = (out / "graph.ttl").read_bytes(), (out / "graph.trig").read_bytes()
    ox_triples = list(ox.parse(ttl, format=ox.RdfFormat.TURTLE))
    ox_quads = list(ox.parse(trig, format=ox.RdfFormat.TRIG))
    assert len(Graph().parse(data=ttl, format="turtle")) == len({q.triple for q in ox_quads}) == len(ox_triples)
    Dataset().parse(data=trig, format="trig")
    for q in ox_quads:
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode):
                assert IRI.match(term.value), term.value
                if term.value.startswith("https://w3id.org/kg/"):
                    assert KG_IRI.match(term.value), term.value
                assert str(URIRef(term.value)) == term.value
    # facts.tsv: a header, then one 7-cell row per fact, whose evidence is the file's text at its offsets
    files = {f"s{i:02d}": t.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n") for i, t in enumerate(texts)}
    lines = (out / "facts.tsv").read_bytes().decode("utf-8").split("\n")
    assert lines[0] == "\t".join(TSV_HEADER) and lines[-1] == ""
    for line in lines[1:-1]:
        cells = line.split("\t")
        assert len(cells) == 7 and "\r" not in line, line
        evidence, doc, start, end = unescape(cells[3]), cells[4], int(cells[5]), int(cells[6])
        assert files[doc][start:end] == evidence, (doc, start, end)
    assert len(lines) - 2 == result.fact_count
    # graph.html: statement text is only ever data (no element of its own, nothing fetched)
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert page.count("</script") == 3 and len(re.findall(r"<script[ >]", page)) == 4   # one is vis-network's string
    assert not re.search(r"<(img|iframe|object|embed|link|svg|meta http-equiv=.refresh)", page, re.I)
    assert not re.search(r"""(src|href|action)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert "default-src 'none'" in page


def check_corpus(texts: list[str], nlp) -> int:
    """Build the corpus twice into fresh folders; check the outputs; return how many statements."""
    root = Path(tempfile.mkdtemp(prefix="kg-prop-"))
    try:
        out_a, result = build_once(texts, root, nlp, "a")
        if result is None:
            return len(texts)
        check_outputs(out_a, texts, result)
        out_b, again = build_once(texts, root, nlp, "b")
        assert again is not None
        for name in ("graph.ttl", "graph.trig", "facts.tsv", "graph.html"):
            assert (out_a / name).read_bytes() == (out_b / name).read_bytes(), name
        return len(texts)
    finally:
        shutil.rmtree(root, ignore_errors=True)


SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=False)


@settings(max_examples=CI_EXAMPLES, **SETTINGS)
@example(["---\nsource: http://x/%zz\ntitle: <b>\"x\"</b>\n---\nThe Ministry of Health works with the Police."])
@example(["The Ministry of Health said that the Police implements Law No. 6/2031 " + "and " * 25_000 + "x" * 5_000])
@example(["---", "---\n---\n", "\u202e\u200d😀", "MACAU, September 30 - The Ministry of Health ranked Macao SAR Tier 3."])
@given(texts=corpus())
def test_any_corpus_builds(nlp, texts):
    check_corpus(texts, nlp)


@pytest.mark.long
def test_any_corpus_builds_long(nlp, record_property):
    counted = {"statements": 0, "corpora": 0}

    @settings(max_examples=200, **SETTINGS)
    @given(texts=corpus(max_size=20))
    def run(texts):
        counted["statements"] += check_corpus(texts, nlp)
        counted["corpora"] += 1

    while counted["statements"] < LONG_STATEMENTS:   # rounds of fresh random examples
        run()
    record_property("statements", counted["statements"])
    record_property("corpora", counted["corpora"])
    print(f"\nbuilt {counted['statements']} generated statements in {counted['corpora']} corpora, twice each")
