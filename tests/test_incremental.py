"""Incremental, idempotent, parallel and streaming builds (kg/pipeline.py, kg/incremental.py,
kg/executors.py, kg/work.py): what a re-run parses and writes, and that the output never depends
on how the work was split."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SKOS

from kg import executors, pipeline, work
from kg.pipeline import build
from kg.work import cut

OUTPUTS = ("graph.trig", "graph.ttl", "facts.tsv", "graph.html")
STATEMENTS = {
    "a": "---\npublisher: Ministry of Tides of Freedonia\ndate: 2024-06-24\n---\n"
         "The Police coordinate with NGOs. The Ministry of Labour trains inspectors.\n",
    "b": "The Ministry of Labour trains inspectors. The Ministry of Labour coordinates with NGOs.\n",
    "c": "The Freedonia Coast Guard patrols the harbour. It cooperates with the Police.\n",
    "d": "The Police cooperate with the Freedonia Coast Guard.\n",
    "e": "The Ministry of Health trains nurses.\n",
}


def corpus(folder: Path, names=STATEMENTS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / f"{name}.txt").write_text(STATEMENTS[name], encoding="utf-8")
    return folder


def snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    return {n: ((out / n).read_bytes(), (out / n).stat().st_mtime_ns) for n in OUTPUTS}


def graphs(out: Path) -> dict[str, set]:
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    found: dict[str, set] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        if g is not None and str(g).startswith("https://w3id.org/kg/graph/"):
            found.setdefault(str(g).rsplit("/", 1)[1], set()).add((s, p, o))
    return found


# --------------------------------------------------------------------------- cutting long texts

TEXT = "First sentence here. Second one follows!\n\nA new paragraph starts. It has two lines\nand ends."


@pytest.mark.parametrize("limit", [8, 15, 25, 40, 60, 200])
def test_cut_pieces_cover_the_text_and_stay_under_the_limit(limit):
    pieces = cut(TEXT, limit)
    assert "".join(TEXT[a:b] for a, b in pieces) == TEXT
    assert all(0 < b - a < limit for a, b in pieces)


@pytest.mark.parametrize("limit, first", [
    (60, "First sentence here. Second one follows!\n\n"),      # at the paragraph break
    (30, "First sentence here. "),                              # after a sentence
    (12, "First "),                                             # at a space
    (5, "Firs"),                                                # inside a word: a hard cut
])
def test_cut_prefers_paragraphs_then_sentences_then_spaces(limit, first):
    a, b = cut(TEXT, limit)[0]
    assert TEXT[a:b] == first


def test_a_text_longer_than_max_length_is_cut_not_rejected_and_offsets_stay_right(nlp, tmp_path, monkeypatch):
    body = "\n\n".join(f"The Freedonia Coast Guard patrols harbour number {n}. The Police of district {n} "
                         "cooperate with the Freedonia Coast Guard." for n in range(1, 13))
    (tmp_path / "long.txt").write_text("---\ntitle: Long\n---\n" + body + "\n", encoding="utf-8")
    whole = build([tmp_path / "long.txt"], tmp_path / "whole", nlp=nlp)
    monkeypatch.setattr(nlp, "max_length", 400)
    pieces = build([tmp_path / "long.txt"], tmp_path / "pieces", nlp=nlp)
    assert pieces.problems == [] and len(pieces.facts) >= 12
    raw = (tmp_path / "long.txt").read_text(encoding="utf-8")
    for fact in pieces.facts:
        assert raw[fact.evidence.start:fact.evidence.end] == fact.evidence.text
    assert [f for f in pieces.facts if "district 12" in f.subject.label and f.evidence.start > 3 * 400]
    assert (tmp_path / "whole" / "facts.tsv").read_bytes() == (tmp_path / "pieces" / "facts.tsv").read_bytes()
    assert len(whole.facts) == len(pieces.facts)


# --------------------------------------------------------------------------- re-runs

def test_an_unchanged_rerun_parses_nothing_and_touches_no_output(nlp, tmp_path):
    src, out = corpus(tmp_path / "src"), tmp_path / "out"
    first = build([src], out, nlp=nlp)
    before = snapshot(out)
    again = build([src], out, nlp=nlp)
    assert (first.parsed, again.parsed, again.unchanged) == (len(STATEMENTS), 0, True)
    assert snapshot(out) == before


def test_a_changed_statement_alone_is_parsed_and_its_graph_replaced(nlp, tmp_path):
    src, out = corpus(tmp_path / "src"), tmp_path / "out"
    build([src], out, nlp=nlp)
    old = graphs(out)
    (src / "c.txt").write_text("The Freedonia Coast Guard rescues migrants.\n", encoding="utf-8")
    result = build([src], out, nlp=nlp)
    new = graphs(out)
    assert (result.parsed, result.reused) == (1, len(STATEMENTS) - 1)
    assert new["c"] != old["c"] and "rescues" in (out / "facts.tsv").read_text(encoding="utf-8")
    assert "patrols" not in (out / "facts.tsv").read_text(encoding="utf-8")
    assert {k: v for k, v in new.items() if k != "c"} == {k: v for k, v in old.items() if k != "c"}


@pytest.mark.parametrize("prune, kept", [(False, {"a", "b", "c", "d", "e"}), (True, {"a", "b", "c"})])
def test_a_removed_statement_is_dropped_only_with_prune(nlp, tmp_path, prune, kept):
    out = tmp_path / "out"
    build([corpus(tmp_path / "src")], out, nlp=nlp)
    result = build([corpus(tmp_path / "fewer", ["a", "b", "c"])], out, nlp=nlp, prune=prune)
    assert set(graphs(out)) == kept and result.parsed == 0
    assert result.dropped == (2 if prune else 0)


def test_the_same_result_whether_built_at_once_or_one_statement_at_a_time(nlp, tmp_path):
    at_once, bit_by_bit = tmp_path / "once", tmp_path / "bits"
    build([corpus(tmp_path / "src")], at_once, nlp=nlp)
    for name in STATEMENTS:
        build([tmp_path / "src" / f"{name}.txt"], bit_by_bit, nlp=nlp)
    for name in OUTPUTS:
        assert (at_once / name).read_bytes() == (bit_by_bit / name).read_bytes(), name


def test_entities_are_merged_across_statements_under_one_label(nlp, tmp_path):
    out = tmp_path / "out"
    build([corpus(tmp_path / "src")], out, nlp=nlp)
    g = Graph().parse(out / "graph.ttl")
    labels: dict = {}
    for s, o in g.subject_objects(SKOS.prefLabel):
        labels.setdefault(s, set()).add(str(o))
    assert labels and all(len(v) == 1 for v in labels.values())
    guard = URIRef("https://w3id.org/kg/id/organization/freedonia-coast-guard")
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    holding = {str(gr).rsplit("/", 1)[1] for _, _, _, gr in ds.quads((guard, SKOS.prefLabel, None, None))}
    assert holding == {"c", "d"} and labels[guard] == {"Freedonia Coast Guard"}


def test_an_interrupted_build_keeps_the_last_outputs_and_the_next_run_finishes(nlp, tmp_path, monkeypatch):
    src, out = corpus(tmp_path / "src", ["a", "b"]), tmp_path / "out"
    build([src], out, nlp=nlp)
    before = snapshot(out)
    corpus(src)     # c, d, e are new
    real = work.extract

    def interrupted(doc, document):
        if document.doc_id == "e":
            raise KeyboardInterrupt
        return real(doc, document)

    monkeypatch.setattr(pipeline, "COMMIT_EVERY", 1)
    monkeypatch.setattr(work, "extract", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build([src], out, nlp=nlp)
    assert snapshot(out) == before
    Dataset().parse(out / "graph.trig", format="trig")
    monkeypatch.setattr(work, "extract", real)
    result = build([src], out, nlp=nlp)
    assert (result.parsed, result.reused) == (1, 4) and set(graphs(out)) == set(STATEMENTS)
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".out.")]   # no staging left over


# --------------------------------------------------------------------------- workers

def test_two_workers_write_the_same_bytes_as_one(nlp, tmp_path, monkeypatch):
    src = corpus(tmp_path / "src")
    build([src], tmp_path / "one", nlp=nlp)
    monkeypatch.setattr(executors, "CHUNK", 2)   # five statements: three tasks over two processes
    result = build([src], tmp_path / "two", nlp=nlp, workers=2, keep=False)
    assert result.parsed == len(STATEMENTS)
    for name in OUTPUTS:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_facts_tsv_rows_follow_the_statements_in_name_order(nlp, tmp_path):
    out = tmp_path / "out"
    build([corpus(tmp_path / "src")], out, nlp=nlp)
    docs = [line.split("\t")[4] for line in (out / "facts.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    assert docs == sorted(docs) and set(docs) == set(STATEMENTS)


def test_the_cache_lives_in_a_hidden_folder_of_the_output(nlp, tmp_path):
    out = tmp_path / "out"
    build([corpus(tmp_path / "src", ["a"])], out, nlp=nlp)
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUTS, ".kg-cache"])
    names = os.listdir(out / ".kg-cache")
    assert any(re.search(r"\.sqlite$", name) for name in names) and "build.lock" in names   # kg/lock.py


@pytest.mark.parametrize("cap, drawn", [(2, 2), (500, len(STATEMENTS))])
def test_graph_html_draws_at_most_the_first_statements_of_a_large_build(nlp, tmp_path, monkeypatch, cap, drawn):
    monkeypatch.setattr(pipeline, "VIEW_DOCUMENTS", cap)
    out = tmp_path / "out"
    result = build([corpus(tmp_path / "src")], out, nlp=nlp)
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert result.view_documents == drawn
    assert (f"Knowledge graph of {len(STATEMENTS)} statements (the first {drawn} drawn)" in page) is (drawn < len(STATEMENTS))
    assert len(graphs(out)) == len(STATEMENTS)    # the files hold every statement
