"""An answer cut to a size in bytes (``kg serve --max-bytes``), still a whole document.

The row cap bounds rows, not bytes: one row can hold a literal of hundreds of megabytes. Here the
rows (or triples) are cut first by their terms' lengths, before anything is written, so that a
huge literal is never serialised; then the rendered answer is checked, and rows are halved away
until it fits. The answer stays valid (JSON, XML, CSV, Turtle … of fewer rows); a row that alone
is over the cap is left out, and the reply says it was truncated.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from .query import Result


def term_size(term: Any) -> int:
    """About how many bytes a term takes once written (its N-Triples form)."""
    return 0 if term is None else len(str(term).encode("utf-8", "replace"))


def _items(result: Result) -> list[Any]:
    return result.rows if result.kind == "select" else result.triples


def _sizes(result: Result) -> list[int]:
    if result.kind == "select":
        return [sum(term_size(t) for t in row) for row in result.rows]
    return [term_size(t.subject) + term_size(t.predicate) + term_size(t.object) for t in result.triples]


def _keep(result: Result, n: int) -> Result:
    key = "rows" if result.kind == "select" else "triples"
    return replace(result, **{key: _items(result)[:n]})


def fit(result: Result, render: Callable[[Result], bytes], max_bytes: int) -> tuple[bytes, bool]:
    """(body, truncated): the rendered result, with rows left out until it is at most ``max_bytes``."""
    if result.kind == "ask":
        return render(result), False
    keep, total = 0, 0
    for size in _sizes(result):
        total += size
        if total > max_bytes:
            break
        keep += 1
    cut = keep < len(_items(result))
    body = render(_keep(result, keep) if cut else result)
    while len(body) > max_bytes and keep > 0:   # escaping and markup made it larger: drop a quarter
        cut, keep = True, min(keep - 1, keep * 3 // 4)
        body = render(_keep(result, keep))
    return body, cut
