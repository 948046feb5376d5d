"""kg/progress.py: what a long build shows, on a terminal, in a log, and with --quiet."""
from __future__ import annotations

import io

import pytest

from kg import progress
from kg.progress import Reporter


def feed(reporter: Reporter, total: int = 4) -> None:
    with reporter:
        for stage in ("parse", "write"):
            for done in range(total + 1):
                reporter(stage, done, total)


@pytest.mark.parametrize("quiet, every, expected", [
    (False, 0.0, {"kg: parsing statements (characters): 0/4", "kg: parsing statements (characters): 4/4",
                  "kg: writing the graph (statements): 4/4"}),   # the parse counts characters (kg/pipeline.py)
    (False, 3600.0, set()),     # a short build prints no progress lines
    (True, 0.0, set()),         # --quiet
])
def test_plain_log_lines_when_not_a_terminal(monkeypatch, quiet, every, expected):
    monkeypatch.setattr(progress, "LOG_EVERY", every)
    out = io.StringIO()
    feed(Reporter(quiet, out, tty=False))
    lines = set(out.getvalue().splitlines())
    assert expected <= lines and bool(lines) == bool(expected)


@pytest.mark.parametrize("quiet, shown", [(False, True), (True, False)])
def test_a_progress_bar_on_a_terminal(quiet, shown):
    out = io.StringIO()
    feed(Reporter(quiet, out, tty=True))
    assert ("parsing statements" in out.getvalue()) is shown
