#!/usr/bin/env python3
"""Extraction quality on the development corpus: kg against textacy's SVO triples.

    .venv/bin/python benchmarks/eval.py [--corpus DIR] [--holdout 08,14] [--show] [--json]

For every TEXT.txt in the corpus (default ../shared/corpus) with a TEXT.gold.tsv beside it:
- kg: ``kg.pipeline.build([TEXT.txt], tmp, nlp=kg.nlp.load())`` (one pipeline for all texts),
  then tmp/facts.tsv is scored against the gold table;
- textacy (peer baseline): ``textacy.extract.subject_verb_object_triples`` on the Doc of plain
  ``spacy.load(kg.nlp.default_model())`` over the body (front matter removed with
  ``kg.documents.split_front_matter``); each triple becomes a row subject/predicate/object (token
  texts joined with spaces) of a TSV, scored the same way.
Scoring is ../shared/eval/score_facts.py's ``score`` and ``read_table``, imported from that file:
pair_recall, fact_recall (subject, relation and object all match) and gold_share (a lower bound
on precision: the share of extracted rows that match some gold fact).

--holdout takes stem prefixes ("08,14"): those texts are listed and averaged apart, as held out,
from the rest. --show prints the gold facts kg missed. Always exits 0: it only reports.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import json
import sys
import tempfile
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from common import code_version  # noqa: E402  (benchmarks/ is on sys.path when run as a script)

SHARED = REPO.parent / "shared"
METRICS = ("pair_recall", "fact_recall", "gold_share")
SYSTEMS = ("kg", "textacy")


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score_facts", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.score, module.read_table


def textacy_table(nlp, raw: str, out: Path) -> int:
    """Write textacy's SVO triples of the body as a subject/predicate/object TSV; return the count."""
    import textacy.extract
    from kg.documents import split_front_matter

    body = split_front_matter(raw)[1]
    doc = nlp(body)
    clean = lambda toks: " ".join(t.text for t in toks).replace("\t", " ").replace("\n", " ").strip()
    rows = [(clean(t.subject), clean(t.verb), clean(t.object))
            for t in textacy.extract.subject_verb_object_triples(doc)]
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, dialect="excel-tab", lineterminator="\n")
        writer.writerow(("subject", "predicate", "object"))
        writer.writerows(rows)
    return len(rows)


def evaluate(corpus: Path, show: bool) -> tuple[list[dict], list[str]]:
    import spacy

    import kg.nlp
    import kg.pipeline

    score, read_table = load_scorer(SHARED / "eval" / "score_facts.py")
    texts = sorted(p for p in corpus.glob("*.txt") if p.with_name(p.stem + ".gold.tsv").is_file())
    errors: list[str] = []
    if not texts:
        return [], [f"{corpus}: no TEXT.txt with a TEXT.gold.tsv beside it"]
    model = kg.nlp.default_model()
    kg_nlp = kg.nlp.load(model)
    plain = spacy.load(model)
    results = []
    with tempfile.TemporaryDirectory(prefix="kg-eval-") as tmp:
        for text in texts:
            gold = read_table(text.with_name(text.stem + ".gold.tsv"))
            row: dict = {"text": text.stem, "gold": len(gold)}
            out = Path(tmp) / text.stem
            try:
                kg.pipeline.build([text], out, nlp=kg_nlp)
                row["kg"] = score(gold, read_table(out / "facts.tsv"))
            except Exception as exc:  # report and go on: this script never fails
                errors.append(f"{text.name}: kg: {type(exc).__name__}: {exc}")
                if show:
                    traceback.print_exc()
            try:
                table = Path(tmp) / f"{text.stem}.textacy.tsv"
                textacy_table(plain, text.read_text(encoding="utf-8"), table)
                row["textacy"] = score(gold, read_table(table))
            except Exception as exc:
                errors.append(f"{text.name}: textacy: {type(exc).__name__}: {exc}")
            results.append(row)
    return results, errors


def means(rows: list[dict]) -> dict:
    out = {}
    for system in SYSTEMS:
        scored = [r[system] for r in rows if system in r]
        if scored:
            out[system] = {m: round(sum(s[m] for s in scored) / len(scored), 3) for m in METRICS}
            out[system]["texts"] = len(scored)
    return out


def print_group(title: str, rows: list[dict], show: bool) -> None:
    print(f"\n{title} ({len(rows)} texts)")
    head = "  ".join(f"{m:>11}" for m in METRICS)
    print(f"{'text':42} {'gold':>4}  {'system':8} {'extracted':>9}  {head}")
    for r in rows:
        for system in SYSTEMS:
            s = r.get(system)
            cells = "  ".join(f"{s[m]:11.3f}" for m in METRICS) if s else "  (failed)"
            name = r["text"][:42] if system == "kg" else ""
            gold = str(r["gold"]) if system == "kg" else ""
            print(f"{name:42} {gold:>4}  {system:8} {s['extracted'] if s else '-':>9}  {cells}")
    for system, m in means(rows).items():
        cells = "  ".join(f"{m[k]:11.3f}" for k in METRICS)
        print(f"{'mean':42} {'':>4}  {system:8} {'':>9}  {cells}")
    if show:
        for r in rows:
            missed = r.get("kg", {}).get("missed", [])
            if missed:
                print(f"\nkg missed in {r['text']} ({len(missed)}):")
                for m in missed:
                    print(f"  - {m}")


def domains(corpus: Path) -> dict[str, str]:
    """text stem → domain, from the corpus's index.tsv (columns text, domain), if it has one."""
    index = corpus / "index.tsv"
    if not index.is_file():
        return {}
    rows = [line.split("\t") for line in index.read_text(encoding="utf-8").splitlines()[1:]]
    return {r[0].removesuffix(".txt"): r[1] for r in rows if len(r) >= 2}


def print_domains(title: str, rows: list[dict], domain: dict[str, str]) -> None:
    """kg's mean fact_recall per domain: a tool tuned on one kind of statement shows here."""
    if not domain or not rows:
        return
    print(f"\n{title}: kg by domain")
    for name in sorted({domain.get(r["text"], "?") for r in rows}):
        group = [r for r in rows if domain.get(r["text"], "?") == name]
        m = means(group).get("kg")
        if m:
            print(f"  {name:28} {len(group):>3} texts  fact_recall {m['fact_recall']:.3f}  gold_share {m['gold_share']:.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(SHARED / "corpus"), help="folder of TEXT.txt + TEXT.gold.tsv")
    ap.add_argument("--holdout", default="", help="comma-separated stem prefixes reported as held out")
    ap.add_argument("--show", action="store_true", help="print the gold facts kg missed")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    try:
        args = ap.parse_args(argv)
    except SystemExit:
        return 0
    version = code_version()
    prefixes = tuple(p.strip() for p in args.holdout.split(",") if p.strip())
    try:
        results, errors = evaluate(Path(args.corpus), args.show)
    except Exception as exc:  # e.g. no model, no scorer: say so, still exit 0
        results, errors = [], [f"{type(exc).__name__}: {exc}"]
    held = [r for r in results if prefixes and r["text"].startswith(prefixes)]
    dev = [r for r in results if r not in held]

    if args.json:
        drop = lambda rows: [{k: ({kk: vv for kk, vv in v.items() if args.show or kk != "missed"}
                                  if isinstance(v, dict) else v) for k, v in r.items()} for r in rows]
        print(json.dumps({"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                          "code": version, "corpus": args.corpus, "texts": drop(dev), "mean": means(dev),
                          "held_out": drop(held), "held_out_mean": means(held), "all_mean": means(results),
                          "errors": errors}, indent=2))
        return 0
    print(f"code {version}; corpus {args.corpus}; "
          f"{dt.datetime.now().astimezone().isoformat(timespec='seconds')}")
    domain = domains(Path(args.corpus))
    print_group("development" if held else "all texts", dev, args.show)
    print_domains("development" if held else "all texts", dev, domain)
    if prefixes:
        print_group(f"held out ({', '.join(prefixes)})", held, args.show)
        print_domains("held out", held, domain)
        print_domains("all texts", results, domain)
        print(f"\nall {len(results)} texts")
        for system, m in means(results).items():
            cells = "  ".join(f"{m[k]:11.3f}" for k in METRICS)
            print(f"{'mean':42} {'':>4}  {system:8} {'':>9}  {cells}")
        gap = means(dev).get("kg", {}).get("fact_recall", 0) - means(held).get("kg", {}).get("fact_recall", 0)
        print(f"kg fact_recall: development minus held out = {gap:.3f}")
    for e in errors:
        print(f"error: {e}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:  # never a non-zero exit: this only reports
        traceback.print_exc()
        sys.exit(0)
