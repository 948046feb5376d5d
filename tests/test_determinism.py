"""Output is deterministic: the real ``kg build`` writes byte-identical files whatever the string hash
seed (PYTHONHASHSEED) and the number of worker processes (``--workers``), and again on a re-run.

The corpus is the seed statement and 150 generated ones (hostile characters included), more than
two of the builder's chunks (``kg.executors.CHUNK``), so that ``--workers 2`` and ``3`` really
spread the parsing over processes.
"""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg import executors
from test_properties import HOSTILE, PIECES

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ("graph.ttl", "graph.trig", "facts.tsv", "graph.html")
RUNS = [("0", 1), ("12", 2), ("4242", 3)]   # (PYTHONHASHSEED, --workers)
STATEMENTS = 150


def statements(n: int) -> list[str]:
    rng = random.Random(7)
    texts = []
    for _ in range(n):
        text = "".join(rng.choice(PIECES + list(HOSTILE)) for _ in range(rng.randint(5, 60)))
        if rng.random() < 0.4:
            text = f"---\ntitle: {text[:30]}\ndate: 20{rng.randint(10, 30)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n---\n{text}"
        texts.append(text)
    return texts


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("determinism")
    src = tmp / "in"
    src.mkdir()
    shutil.copy(ROOT / "data" / "00_macao-tip-2025-response.txt", src)
    for i, text in enumerate(statements(STATEMENTS)):
        (src / f"generated-{i:03d}.txt").write_bytes(text.encode("utf-8"))
    assert STATEMENTS > 2 * executors.CHUNK
    results = {}
    for seed, workers in RUNS:
        out = tmp / f"out-{seed}-{workers}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-m", "kg", "build", str(src), "--out", str(out), "--quiet",
                               "--workers", str(workers)], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=900)
        assert proc.returncode in (0, 2) and "Traceback" not in proc.stderr, proc.stderr[-2000:]
        results[(seed, workers)] = {name: (out / name).read_bytes() for name in OUTPUTS}
    return results


@pytest.mark.parametrize("name", OUTPUTS)
@pytest.mark.parametrize("seed, workers", RUNS[1:])
def test_output_is_byte_identical_across_hash_seeds_and_workers(outputs, name, seed, workers):
    assert outputs[(seed, workers)][name] == outputs[RUNS[0]][name]


def test_the_generated_corpus_has_facts(outputs):
    assert outputs[RUNS[0]]["facts.tsv"].count(b"\n") > 20
