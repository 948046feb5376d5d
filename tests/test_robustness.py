"""Any text builds: generated statements never crash a build, and a statement the extractors
cannot handle is reported by name while the others are still built."""
from __future__ import annotations

import random

import pytest
from rdflib import Dataset, Graph

from kg import pipeline, work
from kg.errors import DataError

PIECES = list("abcXYZ  ..,,;:\"'“”‘’()[]<>&-–—/\\\n\t0123456789") + [
    "\u200d", "\u202e", "😀", "Tier 3", "Law No. 6/2031", "Macao SAR", "---", "(a) ", 'said, "', "the Report",
    " which ", " not ", "Ministry of Health", "U.S.", "’s", 'A spokesman for the Government said, "',
    "hereinafter referred to as the report", " ranked ", "Mr ", "Spokesperson of the Ministry of Foreign Affairs Le Van"]


def generated(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 150)))
        if rng.random() < 0.3:
            text = f"---\ntitle: {text[:20]}\ndate: {text[20:30]}\n---\n{text}"
        texts.append(text)
    return texts


def test_generated_statements_build_and_reparse(nlp, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i, text in enumerate(generated(seed=11, n=80)):
        (src / f"t{i:03d}.txt").write_text(text, encoding="utf-8")
    try:
        result = pipeline.build([src], tmp_path / "out", nlp=nlp)
    except DataError:
        pytest.skip("every generated statement was empty or unreadable")  # pragma: no cover
    assert not [p for p in result.problems if "could not be extracted" in str(p)]
    Graph().parse(tmp_path / "out" / "graph.ttl")
    Dataset().parse(tmp_path / "out" / "graph.trig", format="trig")
    rows = (tmp_path / "out" / "facts.tsv").read_text(encoding="utf-8").splitlines()
    assert all(row.count("\t") == 6 for row in rows)


def test_a_statement_that_breaks_extraction_is_reported_and_the_rest_built(nlp, tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text("The Ministry of Labour trains inspectors.", encoding="utf-8")
    (tmp_path / "bad.txt").write_text("The Ministry of Labour trains judges.", encoding="utf-8")
    real = work.extract

    def flaky(doc, document):
        if document.path.endswith("bad.txt"):
            raise RuntimeError("boom")
        return real(doc, document)

    monkeypatch.setattr(work, "extract", flaky)
    result = pipeline.build([tmp_path], tmp_path / "out", nlp=nlp)
    assert [d.doc_id for d in result.documents] == ["good"]
    assert any("bad.txt" in str(p) and "boom" in str(p) for p in result.problems)
