"""Pathological long texts: bounded work per sentence, exact offsets, progress within one file.

The shapes are those of benchmarks/long_text.py (which times them at 2 MB): brackets nested ever
deeper, clauses with no full stop, short sentences on one line.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kg import work
from kg.nlp import MAX_SENTENCE_TOKENS
from kg.pipeline import build

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from long_text import SHAPES  # noqa: E402

SIZE = 12_000      # characters: several forced sentence cuts, a few seconds to build


@pytest.mark.parametrize("shape", list(SHAPES), ids=[f"{s}-sentences-bounded-offsets-exact" for s in SHAPES])
def test_a_long_sentence_is_cut_before_parsing_and_evidence_is_the_file_text(nlp, tmp_path, shape):
    text = SHAPES[shape](SIZE)
    doc = nlp(text)
    assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS
    assert doc.text == text
    path = tmp_path / "in" / f"{shape}.txt"
    path.parent.mkdir()
    path.write_text("---\ntitle: Long\n---\n" + text, encoding="utf-8")
    result = build([path.parent], tmp_path / "out", nlp=nlp)
    raw = path.read_text(encoding="utf-8")
    assert result.problems == [] and result.facts
    for fact in result.facts:
        assert raw[fact.evidence.start:fact.evidence.end] == fact.evidence.text


@pytest.mark.parametrize("workers", [1], ids=["in-process-progress-advances-per-piece"])
def test_progress_advances_within_one_long_file(nlp, tmp_path, monkeypatch, workers):
    monkeypatch.setattr(work, "PIECE_CHARS", 3_000)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "long.txt").write_text(SHAPES["one_line"](SIZE), encoding="utf-8")
    events: list[tuple[str, int, int]] = []
    build([tmp_path / "in"], tmp_path / "out", nlp=nlp, workers=workers,
          progress=lambda stage, done, total: events.append((stage, done, total)))
    parse = [(done, total) for stage, done, total in events if stage == "parse"]
    inside = {done for done, total in parse if 0 < done < total}
    assert len(inside) >= 3
    assert parse[-1][0] == parse[-1][1] > 0
    assert [d for d, _ in parse] == sorted(d for d, _ in parse)
