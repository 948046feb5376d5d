#!/usr/bin/env python3
"""Words/s of ``kg build`` on one long text against the normal corpus, in the same run.

    .venv/bin/python benchmarks/long_text.py [--corpus DIR] [--size 2000000] [--shapes nested,no_stop,one_line]

The normal corpus is the texts of ../shared/corpus (data/ when it is absent, or --corpus DIR),
copied under distinct names round after round until they hold --min-words words (100,000; 0:
the texts as they are), so a build's fixed costs do not flatter the ratio. Each shape is one generated file of --size characters:
- nested: a sentence of brackets nested ever deeper ("the Board 1 (which the Council 1 oversees
  the Board 2 (which …"), closed at the end;
- no_stop: clauses joined by ", and" with no full stop and no line break;
- one_line: short sentences on a single line.
Everything is built in-process after one untimed warm-up build; each (``kg.pipeline.build`` with a pipeline loaded once, into a fresh folder),
once; words are ``\\w+`` matches of the text. The table gives seconds, words/s and the ratio to
the corpus's words/s (the target is ≥ 0.5). Nothing is asserted; this only reports.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import kg.nlp  # noqa: E402
import kg.pipeline  # noqa: E402
from common import code_version  # noqa: E402
from kg.documents import read_document  # noqa: E402

WORD = re.compile(r"\w+")
CLAUSE = "The Ministry of Tides of Freedonia said that the Coastal Police implements Law No. {i}/2019"


def nested(size: int) -> str:
    parts, i, n = [], 0, 0
    while n < size // 2:
        part = f"the Board {i} (which the Council {i} oversees "
        parts.append(part)
        n, i = n + len(part), i + 1
    return "The Ministry said that " + "".join(parts) + ")" * i + " acts."


def repeated(size: int, joint: str) -> str:
    parts, i, n = [], 0, 0
    while n < size:
        part = CLAUSE.format(i=i) + joint
        parts.append(part)
        n, i = n + len(part), i + 1
    return "".join(parts)


SHAPES = {"nested": nested, "no_stop": lambda size: repeated(size, ", and "),
          "one_line": lambda size: repeated(size, ". ")}


def timed(nlp: object, folder: Path, tmp: Path) -> tuple[float, int]:
    """(seconds, words) of one build of folder into a fresh output folder."""
    words = sum(len(WORD.findall(read_document(p).text)) for p in sorted(folder.rglob("*")) if p.suffix in (".txt", ".md"))
    out = tmp / f"out-{folder.name}"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    kg.pipeline.build([folder], out, nlp=nlp, keep=False)
    return time.perf_counter() - started, words


def copies(corpus: Path, folder: Path, min_words: int) -> Path:
    """The corpus's texts under distinct names, round after round, until they hold min_words."""
    texts = [p for p in sorted(corpus.rglob("*")) if p.suffix in (".txt", ".md")]
    if min_words <= 0:
        return corpus
    folder.mkdir()
    words, n = 0, 0
    while words < min_words:
        for path in texts:
            shutil.copy(path, folder / f"{n:05d}-{path.name}")
            words += len(WORD.findall(read_document(path).text))
            n += 1
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--size", type=int, default=2_000_000)
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--min-words", type=int, default=100_000,
                    help="copy the corpus's texts round after round until they hold this many words (0: as they are)")
    args = ap.parse_args()
    shared = REPO.parent / "shared" / "corpus"
    corpus = Path(args.corpus) if args.corpus else shared if shared.is_dir() else REPO / "data"
    nlp = kg.nlp.load()
    print(f"kg {code_version()}, load average {os.getloadavg()[0]:.2f}, corpus {corpus}, size {args.size:,} characters")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        warm = tmp / "warm-up"
        warm.mkdir()
        shutil.copy(next(p for p in sorted(corpus.rglob("*")) if p.suffix in (".txt", ".md")), warm)
        timed(nlp, warm, tmp)           # untimed: the first parse warms the pipeline up
        seconds, words = timed(nlp, copies(corpus, tmp / "corpus", args.min_words), tmp)
        base = words / seconds
        print(f"{'input':<10} {'words':>9} {'seconds':>9} {'words/s':>9} {'ratio':>6}")
        print(f"{'corpus':<10} {words:>9,} {seconds:>9.1f} {base:>9.0f} {1.0:>6.2f}", flush=True)
        for shape in filter(None, args.shapes.split(",")):
            folder = tmp / shape
            folder.mkdir()
            (folder / f"{shape}.txt").write_text(SHAPES[shape](args.size), encoding="utf-8")
            seconds, words = timed(nlp, folder, tmp)
            print(f"{shape:<10} {words:>9,} {seconds:>9.1f} {words / seconds:>9.0f} {words / seconds / base:>6.2f}",
                  flush=True)
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
