"""Concurrent ``kg build`` runs into one ``--out``: one at a time (OUT/.kg-cache/build.lock).

"Never a lost statement" here means: builds into one folder without ``--prune`` accumulate, so
after N builds of N disjoint folders have all exited 0, the outputs hold every statement of every
build — facts.tsv's documents and graph.trig's named graphs are exactly the union, each
statement's facts intact (its own rows, as a build of it alone writes them) — and nothing in any
stderr is a traceback. Real processes; the statements are invented.
"""
from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.lock import LOCK_NAME

ROOT = Path(__file__).resolve().parent.parent
BUILDS = 4
STATEMENT = ("The Ministry of Tides of Freedonia said that the Coastal Police implements Law No. {n}/2019. "
             "The Harbour Board of Freedonia works closely with the Ministry of Tides of Freedonia.\n")


def kg(*args: str, stderr: object = subprocess.PIPE) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg", "build", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=stderr, text=True)


def folders(tmp: Path) -> list[Path]:
    """BUILDS folders of two statements each, no statement name shared."""
    out = []
    for b in range(BUILDS):
        folder = tmp / f"in{b}"
        folder.mkdir()
        for s in range(2):
            (folder / f"b{b}-s{s}.txt").write_text(STATEMENT.format(n=10 * b + s), encoding="utf-8")
        out.append(folder)
    return out


def documents_in(out: Path) -> tuple[set[str], set[str]]:
    """(documents of facts.tsv's rows, named graphs of graph.trig) — statement names both."""
    rows = (out / "facts.tsv").read_text(encoding="utf-8").splitlines()[1:]
    tsv = {row.split("\t")[4] for row in rows}
    trig = (out / "graph.trig").read_text(encoding="utf-8")
    graphs = {line[len("graph:"):-1].strip() for line in trig.splitlines()
              if line.startswith("graph:") and line.rstrip().endswith("{")}
    return tsv, graphs


def test_concurrent_builds_into_one_folder_lose_no_statement(tmp_path):
    inputs = folders(tmp_path)
    out = tmp_path / "out"
    procs = [kg(str(folder), "--out", str(out)) for folder in inputs]
    results = [p.communicate(timeout=600) for p in procs]
    for p, (_, err) in zip(procs, results):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    names = {f"b{b}-s{s}" for b in range(BUILDS) for s in range(2)}
    tsv, graphs = documents_in(out)
    assert tsv == names
    assert graphs == names
    alone = tmp_path / "alone"
    assert kg(str(inputs[0]), "--out", str(alone), "--quiet").wait(timeout=600) == 0
    rows = lambda folder, doc: sorted(r for r in (folder / "facts.tsv").read_text(encoding="utf-8").splitlines()[1:]
                                      if r.split("\t")[4] == doc)
    assert all(rows(out, doc) == rows(alone, doc) for doc in ("b0-s0", "b0-s1"))


def hold(out: Path) -> int:
    """Take OUT's build lock in this process, as a running build does."""
    (out / ".kg-cache").mkdir(parents=True, exist_ok=True)
    fd = os.open(out / ".kg-cache" / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


@pytest.mark.parametrize("flag, code, message", [
    pytest.param("--no-wait", 2, "another kg build is writing this folder", id="no-wait-fails-at-once-exit-2"),
    pytest.param(None, 0, "waiting for the build holding", id="default-waits-then-builds"),
])
def test_a_second_build_waits_or_fails_with_one_line(tmp_path, flag, code, message):
    folder = folders(tmp_path)[0]
    out = tmp_path / "out"
    log = tmp_path / "stderr.txt"
    fd = hold(out)
    try:
        with open(log, "w") as err_file:
            proc = kg(str(folder), "--out", str(out), *([flag] if flag else []), stderr=err_file)
        deadline = time.monotonic() + 300
        while proc.poll() is None and message not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert message in log.read_text()
        if flag is None:     # told it waits, and waiting: nothing written while the lock is held
            time.sleep(1)
            assert proc.poll() is None and not (out / "facts.tsv").exists()
    finally:
        os.close(fd)
    assert proc.wait(timeout=600) == code
    err = log.read_text()
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if message in line]
    assert len(lines) == 1 and lines[0].startswith("kg: ")
    assert (out / "facts.tsv").exists() == (code == 0)
