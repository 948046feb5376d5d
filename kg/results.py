"""``kg query``'s answer written as it is computed: rows go to the output a batch at a time, so
memory holds one batch, however many rows the answer has.

The bytes are the same as ``query.render`` writes for the whole result: JSON is written here
row by row; XML, CSV and TSV are pyoxigraph's writers applied to each batch, with the header of
every batch but the first (and the closing tags of every batch but the last) cut. A table's
columns are as wide as the widest cell of its first TABLE_SAMPLE rows (a later, wider cell is
written whole). CONSTRUCT/DESCRIBE answers are kept whole (Turtle's prefixes depend on all of
them), except as N-Triples.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from itertools import islice
from typing import Any, BinaryIO

import pyoxigraph as ox

from . import query
from .errors import DataError, UsageError
from .query import RESULT_FORMATS, _json, compact, render, to_result

BATCH = 1000           # rows converted and written at a time
TABLE_SAMPLE = 1000    # rows a table's column widths are taken from
WRITERS = {"xml": ox.QueryResultsFormat.XML, "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}


def query_to(store: ox.Store, text: str, params: Mapping[str, Any] | None, fmt: str | None, out: BinaryIO,
             max_rows: int | None = None) -> bool:
    """Run a query on a store and stream its answer to ``out`` (see ``stream``)."""
    try:
        answer = query.answer(store, text, params)
    except RuntimeError as exc:  # e.g. a substituted variable that is not projected
        raise UsageError(f"cannot run the query: {exc}") from None
    except OSError as exc:
        raise DataError(f"the store failed while answering the query: {exc}") from None
    return stream(answer, fmt, out, max_rows)


def stream(answer: Any, fmt: str | None, out: BinaryIO, max_rows: int | None = None) -> bool:
    """Write an Oxigraph answer to ``out`` in ``fmt`` (default: table, or Turtle for a graph);
    return whether rows beyond ``max_rows`` were left out."""
    try:
        if isinstance(answer, ox.QuerySolutions):
            fmt = fmt or "table"
            if fmt not in RESULT_FORMATS:
                raise UsageError(f"format {fmt!r} is for graphs; SELECT/ASK results are {', '.join(RESULT_FORMATS)}")
            names = [v.value for v in answer.variables]
            rows = (tuple(s[n] for n in names) for s in answer)
            return write_rows(names, rows, fmt, out, max_rows)
        if isinstance(answer, ox.QueryTriples) and fmt in ("nt", "ntriples", "n-triples"):
            triples = list(islice(answer, max_rows)) if max_rows is not None else answer
            ox.serialize(triples, out, format=ox.RdfFormat.N_TRIPLES)
            return max_rows is not None and next(iter(answer), None) is not None
        result = to_result(answer, max_rows)
        out.write(render(result, fmt or ("turtle" if result.kind == "graph" else "table")))
        return result.truncated
    except RuntimeError as exc:
        raise UsageError(f"cannot run the query: {exc}") from None
    except OSError as exc:
        raise DataError(f"the store failed while answering the query: {exc}") from None


def write_rows(names: list[str], rows: Iterator[tuple], fmt: str, out: BinaryIO, max_rows: int | None) -> bool:
    """Solutions (tuples of terms, None for unbound) written a batch at a time; whether rows
    beyond ``max_rows`` were left out."""
    rows = iter(rows)
    kept = islice(rows, max_rows) if max_rows is not None else rows
    more = lambda: max_rows is not None and next(rows, None) is not None   # after kept is drained
    if fmt == "table":
        count = _table(names, kept, out)
        truncated = more()
        out.write(f"({count} row{'s' if count != 1 else ''}{', truncated' if truncated else ''})\n".encode())
        return truncated
    if fmt == "json":
        out.write(b'{"head": {"vars": ' + _dumps(names) + b'}, "results": {"bindings": [')
        out.writelines((b", " if i else b"") + _dumps(_binding(names, row)) for i, row in enumerate(kept))
        out.write(b"]}}\n")
        return more()
    head, _, tail = _convert(names, [], fmt)
    out.write(head)
    while batch := list(islice(kept, BATCH)):
        out.write(_convert(names, batch, fmt)[1])
    out.write(tail)
    return more()


def _dumps(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def _binding(names: list[str], row: tuple) -> dict[str, Any]:
    return {n: _json(t) for n, t in zip(names, row) if t is not None}


def _convert(names: list[str], batch: list[tuple], fmt: str) -> tuple[bytes, bytes, bytes]:
    """(header, rows, closing) of a batch as pyoxigraph's writer makes them (closed by a line end,
    as query.render closes them)."""
    doc = {"head": {"vars": names}, "results": {"bindings": [_binding(names, r) for r in batch]}}
    data = ox.parse_query_results(_dumps(doc), ox.QueryResultsFormat.JSON).serialize(format=WRITERS[fmt])
    if fmt == "xml":
        head, _, rest = data.partition(b"<results>")
        body, _, tail = rest.rpartition(b"</results>")
        return head + b"<results>", body, b"</results>" + tail + b"\n"
    head, _, body = data.partition(b"\n")
    return head + b"\n", body, b""


def _table(names: list[str], rows: Iterator[tuple], out: BinaryIO, width: int = 80) -> int:
    """query.table's header and rows, written as they come (widths from the first TABLE_SAMPLE
    rows); the number of rows."""
    def cells(row: tuple) -> list[str]:
        texts = [re.sub(r"\s+", " ", compact(t)) for t in row]
        return [c if len(c) <= width else c[:width - 1] + "…" for c in texts]

    sample = [cells(r) for r in islice(rows, TABLE_SAMPLE)]
    widths = [max([len(v)] + [len(r[i]) for r in sample]) for i, v in enumerate(names)]
    line = lambda row: ("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() + "\n").encode()
    out.write(line(names) + ("  ".join("-" * w for w in widths) + "\n").encode())
    out.writelines(line(row) for row in sample)
    count = len(sample)
    for row in rows:
        out.write(line(cells(row)))
        count += 1
    return count
