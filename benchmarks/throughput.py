#!/usr/bin/env python3
"""Throughput of the full ``kg build`` path against bare ``nlp.pipe`` with the same spaCy model.

    .venv/bin/python benchmarks/throughput.py [--corpus DIR] [--min-words N] [--runs N]
                                              [--stages] [--profile] [--json]

Corpus: the texts of ../shared/corpus (beside the repo; data/ when shared/ is absent), repeated as
separate documents with distinct file names in a temporary folder until their bodies (front
matter removed) hold at least --min-words words (``\\w+`` tokens, a plain regex count).

Timed, alternating baseline, kg, baseline, kg, … (--runs rounds, best of each reported):
- baseline: ``spacy.load(kg.nlp.default_model())`` and ``nlp.pipe(bodies, batch_size=
  kg.pipeline.BATCH_SIZE)``, every Doc consumed; the bodies are already in memory.
- kg: ``kg.pipeline.build([tmpdir], outdir, nlp=kg.nlp.load())`` — reading and parsing the files,
  kg's own pipeline components, extraction, RDF and writing graph.ttl/graph.trig/facts.tsv.
Both pipelines are loaded, and warmed up on one document, before any timing: model loading is not
in either figure. kg build freezes the loaded model out of the garbage collector's passes and
collects the young generation less often (kg.pipeline.GC_THRESHOLD); --tuned-baseline also times
the baseline with those settings, so the ratio without kg's gain from them is reported too.
--stages also times kg's configured pipeline alone (``kg.nlp.load()`` +
``nlp.pipe``, no extraction/RDF/writing), splitting kg's overhead into "nlp components" and
"the rest". --profile runs one more kg build under cProfile (untimed) and prints the top functions
by cumulative and by own time. Nothing is asserted; this only reports.
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import io
import json
import os
import platform
import pstats
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import spacy  # noqa: E402

import kg.nlp  # noqa: E402
import kg.pipeline  # noqa: E402
from common import code_version  # noqa: E402  (benchmarks/ is on sys.path when run as a script)
from kg.documents import split_front_matter  # noqa: E402

WORD = re.compile(r"\w+")
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"


def corpus_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    return DEFAULT_CORPUS if DEFAULT_CORPUS.is_dir() else REPO / "data"


def source_texts(folder: Path) -> list[tuple[str, str, str]]:
    """(stem, raw text, body) of every .txt/.md in folder, sorted by name."""
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".txt", ".md") and p.is_file())
    if not files:
        raise SystemExit(f"{folder}: no .txt or .md texts")
    out = []
    for p in files:
        raw = p.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
        out.append((p.stem, raw, split_front_matter(raw)[1]))
    return out


def make_corpus(sources: list[tuple[str, str, str]], folder: Path, min_words: int) -> tuple[list[str], int]:
    """Write copies of the sources into folder (distinct names) until >= min_words; return bodies."""
    bodies, words, rnd = [], 0, 0
    while words < min_words:
        for stem, raw, body in sources:
            (folder / f"r{rnd:04d}_{stem}.txt").write_text(raw, encoding="utf-8")
            bodies.append(body)
            words += len(WORD.findall(body))
        rnd += 1
    return bodies, words


def time_baseline(nlp, bodies: list[str], tuned_gc: bool = False) -> float:
    """nlp.pipe over the bodies; ``tuned_gc``: with the garbage-collector settings kg build uses
    (the model frozen, a larger young generation), so that kg's own gain from them is left out."""
    with kg.pipeline.fewer_collections() if tuned_gc else contextlib.nullcontext():
        t0 = time.perf_counter()
        for _ in nlp.pipe(bodies, batch_size=kg.pipeline.BATCH_SIZE):
            pass
        return time.perf_counter() - t0


def time_kg(nlp, in_dir: Path, out_dir: Path, workers: int = 1) -> tuple[float, int]:
    """One first build (a fresh output folder, so no cached records), as the command line runs it."""
    shutil.rmtree(out_dir, ignore_errors=True)
    t0 = time.perf_counter()
    result = kg.pipeline.build([in_dir], out_dir, nlp=nlp, workers=workers, keep=False)
    elapsed = time.perf_counter() - t0
    if result.problems:
        print(f"warning: {len(result.problems)} input(s) skipped, e.g. {result.problems[0]}", file=sys.stderr)
    return elapsed, result.fact_count


def profile_kg(nlp, in_dir: Path, out_dir: Path, top: int) -> dict:
    prof = cProfile.Profile()
    shutil.rmtree(out_dir, ignore_errors=True)
    prof.enable()
    kg.pipeline.build([in_dir], out_dir, nlp=nlp, keep=False)
    prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt
    tables = {}
    for key in ("cumulative", "tottime"):
        rows = []
        funcs = sorted(stats.stats.items(), key=lambda kv: kv[1][3] if key == "cumulative" else kv[1][2],
                       reverse=True)
        for (filename, line, name), (_cc, nc, tt, ct, _callers) in funcs[:top]:
            rows.append({"function": _where(filename, line, name), "calls": nc,
                         "tottime": round(tt, 3), "cumtime": round(ct, 3)})
        tables[key] = rows
    text = io.StringIO()
    pstats.Stats(prof, stream=text).sort_stats("cumulative").print_stats(top)
    return {"total_seconds": round(total, 3), "top_cumulative": tables["cumulative"],
            "top_tottime": tables["tottime"], "pstats": text.getvalue()}


def _where(filename: str, line: int, name: str) -> str:
    if filename == "~":
        return name                         # a built-in: "{method 'pipe' of ...}"
    path = Path(filename)
    for root in (Path(spacy.__file__).resolve().parents[1], REPO):
        try:
            return f"{path.resolve().relative_to(root)}:{line}({name})"
        except ValueError:
            continue
    return f"{path.name}:{line}({name})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help=f"folder of texts (default {DEFAULT_CORPUS}, else data/)")
    ap.add_argument("--min-words", type=int, default=100_000, help="repeat the texts up to this many words")
    ap.add_argument("--runs", type=int, default=2, help="alternating rounds (baseline, kg) — at least 2")
    ap.add_argument("--stages", action="store_true", help="also time kg's configured nlp.pipe alone")
    ap.add_argument("--workers", type=int, default=0,
                    help="also time kg build --workers N (N > 1) and report its speed-up over one worker")
    ap.add_argument("--tuned-baseline", action="store_true",
                    help="also time the baseline with kg build's garbage-collector settings (a stricter baseline)")
    ap.add_argument("--profile", action="store_true", help="cProfile one extra kg build")
    ap.add_argument("--top", type=int, default=15, help="rows of the profile tables (default 15)")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    args = ap.parse_args(argv)
    runs = max(args.runs, 2)

    folder = corpus_dir(args.corpus)
    version = code_version()   # read before the runs: others may be editing the tree meanwhile
    load_before = os.getloadavg()[0]
    sources = source_texts(folder)
    model = kg.nlp.default_model()
    base_nlp = spacy.load(model)
    kg_nlp = kg.nlp.load(model)

    work = Path(tempfile.mkdtemp(prefix="kg-throughput-"))
    try:
        in_dir, out_dir, warm_dir = work / "corpus", work / "out", work / "warm"
        in_dir.mkdir()
        warm_dir.mkdir()
        bodies, words = make_corpus(sources, in_dir, args.min_words)
        # warm-up (untimed): first-call costs (resource caches, regex compilation, allocations)
        (warm_dir / "warm.txt").write_text(sources[0][1], encoding="utf-8")
        list(base_nlp.pipe(bodies[:1]))
        kg.pipeline.build([warm_dir], work / "warm-out", nlp=kg_nlp)

        times: dict[str, list[float]] = {"baseline": [], "kg": []}
        if args.stages:
            times["kg_nlp_only"] = []
        if args.workers > 1:
            times["kg_workers"] = []
        if args.tuned_baseline:
            times["baseline_tuned_gc"] = []
        facts = 0
        for _ in range(runs):
            times["baseline"].append(time_baseline(base_nlp, bodies))
            t, facts = time_kg(kg_nlp, in_dir, out_dir)
            times["kg"].append(t)
            if args.stages:
                times["kg_nlp_only"].append(time_baseline(kg_nlp, bodies))
            if args.workers > 1:
                times["kg_workers"].append(time_kg(kg_nlp, in_dir, out_dir, args.workers)[0])
            if args.tuned_baseline:
                times["baseline_tuned_gc"].append(time_baseline(base_nlp, bodies, tuned_gc=True))
        prof = profile_kg(kg_nlp, in_dir, out_dir, args.top) if args.profile else None
    finally:
        shutil.rmtree(work, ignore_errors=True)

    load_after = os.getloadavg()[0]
    best = {k: min(v) for k, v in times.items()}
    rate = {k: words / v for k, v in best.items()}
    report = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "code": version,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "spacy": spacy.__version__, "platform": platform.platform(),
                    "loadavg_1min_before_after": [round(load_before, 2), round(load_after, 2)]},
        "model": model, "corpus": str(folder), "source_texts": len(sources),
        "documents": len(bodies), "words": words, "batch_size": kg.pipeline.BATCH_SIZE,
        "facts_per_build": facts,
        "base_pipes": base_nlp.pipe_names, "kg_pipes": kg_nlp.pipe_names,
        "runs_seconds": {k: [round(x, 3) for x in v] for k, v in times.items()},
        "best_seconds": {k: round(v, 3) for k, v in best.items()},
        "words_per_second": {k: round(v, 1) for k, v in rate.items()},
        "ratio_kg_over_baseline": round(rate["kg"] / rate["baseline"], 3),
    }
    if args.stages:
        report["ratio_kg_nlp_only_over_baseline"] = round(rate["kg_nlp_only"] / rate["baseline"], 3)
        report["seconds_after_nlp"] = round(best["kg"] - best["kg_nlp_only"], 3)
    if args.tuned_baseline:
        report["ratio_kg_over_baseline_tuned_gc"] = round(rate["kg"] / rate["baseline_tuned_gc"], 3)
    if args.workers > 1:
        report["workers"] = args.workers
        report["speedup_workers_over_one"] = round(best["kg"] / best["kg_workers"], 3)
    if prof:
        report["profile"] = {k: v for k, v in prof.items() if k != "pstats"}

    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"corpus {folder} — {len(sources)} texts × {len(bodies) // len(sources)} = {len(bodies)} "
          f"documents, {words:,} words; model {model}; batch_size {kg.pipeline.BATCH_SIZE}; "
          f"{os.cpu_count()} CPUs")
    print(f"code {version}; {report['date']}; 1-min load average {load_before:.2f} before, "
          f"{load_after:.2f} after (other processes on the machine skew the figures)")
    labels = {"baseline": "baseline nlp.pipe", "kg": "kg build (full)", "kg_nlp_only": "kg nlp.pipe only",
              "kg_workers": f"kg build --workers {args.workers}", "baseline_tuned_gc": "baseline, kg's GC"}
    print(f"\n{'':20} {'best s':>8} {'words/s':>10}   runs (s)")
    for k in times:
        print(f"{labels[k]:20} {best[k]:8.2f} {rate[k]:10,.0f}   " + ", ".join(f"{x:.2f}" for x in times[k]))
    print(f"\nratio kg/baseline (words/s): {report['ratio_kg_over_baseline']:.3f}   "
          f"({facts} facts per build)")
    if args.stages:
        print(f"ratio kg nlp only/baseline: {report['ratio_kg_nlp_only_over_baseline']:.3f}   "
              f"after-nlp work (extraction, RDF, writing, reading): ~{report['seconds_after_nlp']:.2f} s")
    if args.tuned_baseline:
        print(f"ratio kg/baseline with kg's GC settings: {report['ratio_kg_over_baseline_tuned_gc']:.3f}")
    if args.workers > 1:
        print(f"speed-up kg build --workers {args.workers} over 1 worker: {report['speedup_workers_over_one']:.3f}x")
    if prof:
        print(f"\ncProfile of one kg build: {prof['total_seconds']:.2f} s under the profiler")
        for key, title in (("top_cumulative", "cumulative"), ("top_tottime", "own time (tottime)")):
            print(f"\ntop {args.top} by {title}:")
            print(f"{'cumtime':>8} {'tottime':>8} {'calls':>9}  function")
            for r in prof[key]:
                print(f"{r['cumtime']:8.2f} {r['tottime']:8.2f} {r['calls']:9d}  {r['function']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
