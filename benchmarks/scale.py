#!/usr/bin/env python3
"""Corpus scale: peak memory at two corpus sizes, an unchanged re-run, and loading the result.

    .venv/bin/python benchmarks/scale.py [--small 1000] [--large 10000] [--workers 2] [--json]

Corpus: the texts of ../shared/corpus (data/ when absent) copied under distinct names until there
are --small, then --large, documents. Each build is the command line itself (``kg build DIR
--out OUT --quiet --workers N``) in a child process, so its memory is its own:
- peak RSS of the builder process (``ru_maxrss`` from wait4), and the largest sum of RSS over the
  builder and its worker processes (sampled every 0.2 s with psutil; forked workers share pages,
  so the sum overstates);
- wall time of the first build of each size, then of a second, unchanged build of the large
  corpus into the same output folder (incremental: nothing to parse, nothing to write);
- time to load the small build's graph.trig into a pyoxigraph Store (in memory) and into an
  rdflib Dataset (Memory store), alternating, best of --load-runs.
Nothing is asserted; this only reports.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import psutil  # noqa: E402

from common import code_version  # noqa: E402
from throughput import WORD, corpus_dir, source_texts  # noqa: E402

KG = [sys.executable, "-m", "kg"]


def make_corpus(sources: list[tuple[str, str, str]], folder: Path, count: int) -> int:
    """Write count documents (copies of the sources, distinct names); return their words."""
    words = 0
    for i in range(count):
        stem, raw, body = sources[i % len(sources)]
        (folder / f"r{i // len(sources):05d}_{stem}.txt").write_text(raw, encoding="utf-8")
        words += len(WORD.findall(body))
    return words


def run_build(corpus: Path, out: Path, workers: int) -> dict:
    """One ``kg build`` in a child process: wall seconds, the builder's peak RSS, the tree's."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([*KG, "build", str(corpus), "--out", str(out), "--quiet", "--workers", str(workers)],
                            cwd=REPO, stderr=subprocess.PIPE)
    tree_peak = 0
    parent = psutil.Process(proc.pid)
    while True:
        try:
            rss = parent.memory_info().rss + sum(c.memory_info().rss for c in parent.children(recursive=True))
            tree_peak = max(tree_peak, rss)
        except psutil.Error:
            pass
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.2)
    elapsed = time.perf_counter() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0,):
        print(f"warning: kg build exited {os.waitstatus_to_exitcode(status)}: {err[:300]}", file=sys.stderr)
    return {"seconds": round(elapsed, 2), "builder_peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
            "tree_peak_rss_mib": round(tree_peak / 2**20, 1)}


def load_times(trig: Path, runs: int) -> dict:
    import pyoxigraph as ox
    from rdflib import Dataset

    times: dict[str, list[float]] = {"oxigraph": [], "rdflib": []}
    quads = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        store = ox.Store()
        store.load(path=str(trig), format=ox.RdfFormat.TRIG)
        times["oxigraph"].append(time.perf_counter() - t0)
        quads = len(store)
        del store
        t0 = time.perf_counter()
        ds = Dataset()
        ds.parse(str(trig), format="trig")
        times["rdflib"].append(time.perf_counter() - t0)
        del ds
    return {"quads": quads, "runs_seconds": {k: [round(x, 2) for x in v] for k, v in times.items()},
            "best_seconds": {k: round(min(v), 2) for k, v in times.items()},
            "ratio_rdflib_over_oxigraph": round(min(times["rdflib"]) / min(times["oxigraph"]), 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", help="folder of texts (default ../shared/corpus, else data/)")
    ap.add_argument("--small", type=int, default=1000)
    ap.add_argument("--large", type=int, default=10000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--load-runs", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    version = code_version()
    load_before = os.getloadavg()[0]
    sources = source_texts(corpus_dir(args.corpus))
    work = Path(tempfile.mkdtemp(prefix="kg-scale-"))
    report: dict = {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "code": version,
                    "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                    "workers": args.workers}
    try:
        for name, count in (("small", args.small), ("large", args.large)):
            corpus = work / f"corpus-{name}"
            corpus.mkdir()
            words = make_corpus(sources, corpus, count)
            build = run_build(corpus, work / f"out-{name}", args.workers)
            report[name] = {"documents": count, "words": words, "first_build": build,
                            "words_per_second": round(words / build["seconds"])}
            print(f"{name}: {count} documents, {words:,} words: {build}", file=sys.stderr)
        rerun = run_build(work / "corpus-large", work / "out-large", args.workers)
        report["large"]["unchanged_rerun"] = rerun
        report["rerun_share_of_first_build"] = round(rerun["seconds"] / report["large"]["first_build"]["seconds"], 4)
        report["rss_ratio_large_over_small"] = round(report["large"]["first_build"]["builder_peak_rss_mib"]
                                                     / report["small"]["first_build"]["builder_peak_rss_mib"], 3)
        report["load_small_graph_trig"] = load_times(work / "out-small" / "graph.trig", args.load_runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report["loadavg_1min_before_after"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
