"""The ``kg`` command line end to end, in a subprocess, as a user runs it.

Only two runs load the spaCy model (the good-plus-bad build, twice); every bad-input run
fails before the model is loaded (or while loading a model that does not exist).
The statement below is invented: the Ministry of Tides of Freedonia does not exist.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import parser

ROOT = Path(__file__).resolve().parent.parent
HEADER = "subject\tpredicate\tobject\tevidence\tdocument\tstart\tend"
OUTPUTS = ("graph.ttl", "graph.trig", "facts.tsv", "graph.html")

# CRLF line ends and non-ASCII characters before the body, so that character offsets,
# byte offsets and line-end normalisation all differ.
GOOD = (
    "---\r\n"
    "title: Minist\u00e8re des Mar\u00e9es \u2014 reply to the coastal survey\r\n"
    "date: 2024-06-24 (release date on the website)\r\n"
    "publisher: Ministry of Tides of Freedonia\r\n"
    "---\r\n"
    "FREEDONIA CITY, June 24 - The Ministry of Tides of Freedonia rejected the 2024 Trafficking in "
    "Persons Report on Monday. The Ministry said that the report ranked Freedonia Tier 2 without "
    "evidence.\r\n"
    "\r\n"
    "The Ministry implements Law No. 12/2019 and works closely with the Coastal Police. "
    "The Ministry denies that fishermen in Port Caf\u00e9 were exploited.\r\n"
)


def run_kg(*args: object, hash_seed: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if hash_seed is not None:
        env["PYTHONHASHSEED"] = hash_seed
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=180, env=env)


def stderr_lines(proc: subprocess.CompletedProcess) -> list[str]:
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.splitlines()
    assert all(line.startswith("kg: ") for line in lines), proc.stderr
    return lines


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def file_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def tsv_unescape(cell: str) -> str:
    named = {"t": "\t", "n": "\n", "r": "\r"}
    return re.sub(r"\\(x[0-9a-f]{2}|u[0-9a-f]{4}|.)", lambda m: named.get(m.group(1), m.group(1)) if len(m.group(1)) == 1
                  else chr(int(m.group(1)[1:], 16)), cell)


def read_facts(out: Path) -> tuple[str, list[dict[str, str]]]:
    header, *rows = out.joinpath("facts.tsv").read_text(encoding="utf-8").split("\n")
    assert rows[-1] == "", "facts.tsv ends with a newline"
    names = header.split("\t")
    return header, [dict(zip(names, (tsv_unescape(c) for c in row.split("\t")), strict=True)) for row in rows[:-1]]


# --------------------------------------------------------------------------- bad inputs

def _empty(tmp):
    path = tmp / "empty.txt"
    path.write_bytes(b"")
    return [path], str(path), "empty file"


def _binary(tmp):
    path = tmp / "scan.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    return [path], str(path), "binary file"


def _latin1(tmp):
    path = tmp / "latin1.txt"
    path.write_bytes("Le minist\u00e8re des Mar\u00e9es r\u00e9pond.".encode("latin-1"))
    return [path], str(path), "not UTF-8"


def _unreadable(tmp):
    if os.geteuid() == 0:
        pytest.skip("running as root: file permissions cannot make a file unreadable to root (and the venv's "
                    "interpreter is not reachable by an unprivileged user); covered in-process by "
                    "test_documents.py::test_read_document_unreadable")
    path = tmp / "locked.txt"
    path.write_text("The Ministry of Tides of Freedonia said nothing.\n", encoding="utf-8")
    path.chmod(0)
    return [path], str(path), "cannot read"


def _folder_without_statements(tmp):
    folder = tmp / "inbox"
    folder.mkdir()
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    return [folder], str(folder), "no .txt or .md"


def _good(tmp):
    path = tmp / "good.txt"
    path.write_text(GOOD, encoding="utf-8", newline="")
    return path


def _unknown_option(tmp):
    return [_good(tmp), "--frobnicate"], "--frobnicate", "unrecognized arguments"


def _missing_model(tmp):
    return [_good(tmp), "--model", "no_such_model"], "no_such_model", "cannot load spaCy model"


def _missing_path(tmp):
    path = tmp / "no-such-statement.txt"
    return [path], str(path), "no such file or folder"


# (make inputs, whether the problem is a skipped input file: then a summary line follows it)
BAD_INPUTS = [
    pytest.param(_empty, True, id="empty-file"),
    pytest.param(_binary, True, id="binary-file"),
    pytest.param(_latin1, True, id="non-utf8-file"),
    pytest.param(_unreadable, True, id="unreadable-file"),
    pytest.param(_folder_without_statements, True, id="folder-without-statements"),
    pytest.param(_unknown_option, False, id="unknown-option"),
    pytest.param(_missing_model, False, id="missing-model"),
    pytest.param(_missing_path, False, id="missing-input-path"),
]


@pytest.mark.parametrize("make, skipped_input", BAD_INPUTS)
def test_bad_input_one_line_exit_2_output_untouched(tmp_path, make, skipped_input):
    inputs, named, reason = make(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    for name in (*OUTPUTS, "notes.md"):
        out.joinpath(name).write_bytes(f"old {name} from an earlier build\n".encode())
    before = snapshot(out)

    proc = run_kg("build", *inputs, "--out", out)

    assert proc.returncode == 2, proc.stderr
    lines = stderr_lines(proc)
    naming = [line for line in lines if named in line]
    assert len(naming) == 1, proc.stderr
    assert reason in naming[0], proc.stderr
    if skipped_input:
        # one line for the skipped file, one saying nothing could be built
        assert lines[0].startswith(f"kg: skipped {named}: "), proc.stderr
        assert lines[1:] == ["kg: error: no statements to build; 1 input(s) skipped"], proc.stderr
    else:
        assert len(lines) == 1 and lines[0].startswith("kg: error: "), proc.stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")) == []


def test_unknown_command(tmp_path):
    proc = run_kg("frobnicate")
    assert proc.returncode == 2
    lines = stderr_lines(proc)
    assert len(lines) == 1 and "frobnicate" in lines[0] and "invalid choice" in lines[0]


def test_no_command_prints_help_and_exits_2():
    proc = run_kg()
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "usage: kg" in proc.stderr


# --------------------------------------------------------------------------- good + bad, built twice

def _goods(tmp):
    """Three good statements (three named graphs): CRLF + front matter, LF .md, no front matter."""
    body = GOOD.split("---\r\n")[-1]
    files = {"good.txt": GOOD, "good-lf.md": GOOD.replace("\r\n", "\n"), "plain.txt": body}
    for name, text in files.items():
        tmp.joinpath(name).write_text(text, encoding="utf-8", newline="")
    return {Path(name).stem: tmp / name for name in files}


# rdflib keeps a dataset's graphs in a set, so their order can depend on the string hash seed:
# the two builds run with different fixed seeds, so that such an order shows up every time.
HASH_SEEDS = ("0", "12")


@pytest.fixture(scope="module")
def mixed_builds(tmp_path_factory):
    """Build good statements together with bad inputs, twice: into a new folder and over old files."""
    tmp = tmp_path_factory.mktemp("mixed")
    goods = _goods(tmp)
    bad = {}
    for make in (_empty, _binary, _latin1, _folder_without_statements):
        (path,), named, reason = make(tmp)
        bad[named] = reason
    inputs = [*goods.values(), *map(Path, bad)]
    out_a, out_b = tmp / "out-a", tmp / "out-b"
    out_b.mkdir()
    for name in OUTPUTS:
        out_b.joinpath(name).write_text(f"old {name}\n", encoding="utf-8")
    runs = [run_kg("build", *inputs, "--out", out, "--quiet", hash_seed=seed)
            for out, seed in zip((out_a, out_b), HASH_SEEDS)]
    return goods, bad, runs, (out_a, out_b)


def test_mixed_exit_2_one_line_per_bad_input(mixed_builds):
    _, bad, runs, _ = mixed_builds
    for proc in runs:
        assert proc.returncode == 2, proc.stderr
        lines = stderr_lines(proc)
        assert len(lines) == len(bad), proc.stderr
        for named, reason in bad.items():
            naming = [line for line in lines if line.startswith(f"kg: skipped {named}: ")]
            assert len(naming) == 1 and reason in naming[0], proc.stderr


def test_mixed_good_statements_are_still_built(mixed_builds):
    goods, _, _, (out_a, out_b) = mixed_builds
    for out in (out_a, out_b):
        assert sorted(p.name for p in out.iterdir() if p.name != ".kg-cache") == sorted(OUTPUTS)
        _, rows = read_facts(out)
        assert {row["document"] for row in rows} == set(goods)
        for doc_id in goods:
            assert len([row for row in rows if row["document"] == doc_id]) >= 3, doc_id
        triples = {(row["document"], row["subject"], row["predicate"], row["object"]) for row in rows}
        assert ("good", "Ministry of Tides of Freedonia", "issued on", "2024-06-24") in triples


@pytest.mark.parametrize("name", [
    "graph.ttl",
    pytest.param("graph.trig"),
    pytest.param("graph.html"),
    "facts.tsv",
])
def test_build_twice_is_byte_identical(mixed_builds, name):
    _, _, _, (out_a, out_b) = mixed_builds
    assert out_a.joinpath(name).read_bytes() == out_b.joinpath(name).read_bytes()


def test_facts_tsv_header(mixed_builds):
    _, _, _, (out_a, _) = mixed_builds
    header, _ = read_facts(out_a)
    assert header == HEADER


def test_facts_evidence_is_the_file_text_at_its_offsets(mixed_builds):
    goods, _, _, (out_a, _) = mixed_builds
    texts = {doc_id: file_text(path) for doc_id, path in goods.items()}
    _, rows = read_facts(out_a)
    assert rows
    for row in rows:
        text = texts[row["document"]]
        start, end = int(row["start"]), int(row["end"])
        assert 0 <= start < end <= len(text)
        assert text[start:end] == row["evidence"], row


# --------------------------------------------------------------------------- help and README

def subcommands() -> list[str]:
    actions = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(actions) == 1
    return sorted(actions[0].choices)


@pytest.mark.parametrize("command", [[], *([name] for name in subcommands())],
                         ids=lambda c: "kg-" + "-".join([*c, "help"]))
def test_help_exits_0(command):
    proc = run_kg(*command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: kg" + "".join(f" {c}" for c in command))
    assert proc.stderr == ""


def test_version_exits_0():
    proc = run_kg("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("kg ")


def test_readme_names_every_subcommand():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = subcommands()
    assert names
    missing = [name for name in names if not re.search(rf"\bkg {re.escape(name)}\b", readme)]
    assert missing == []
