"""What a SPARQL text must pass before kg runs it, and the checks on the requests that carry it.

Oxigraph answers ``SERVICE <url> { … }`` by sending the query to ``url`` (and ``LOAD <url>`` by
fetching it), and a SPARQL server behind ``kg serve URL`` would do the same; kg never reaches the
network, so neither may run. The decision is made on the parse, not on the text: ``check`` parses
the text with rdflib's SPARQL 1.1 parser (as a query, else as an update) and refuses any
``ServiceGraphPattern`` or ``Load`` anywhere in the parse tree (subqueries, UNION, OPTIONAL,
FILTER EXISTS, an update's WHERE), and anything that parses only as an update unless updates are
allowed. What rdflib cannot parse is refused (fail closed), even if Oxigraph would run it.

The text that runs is the text that was parsed: ``canonical`` first applies the two lexical rules
on which the parsers disagree, so that no parser downstream can read the text another way.
Codepoint escapes (``\\u0053``, ``\\U00000053``) are expanded everywhere, as SPARQL 1.1 (§19.2)
says and rdflib does (Oxigraph expands them only in IRIs and strings); a lone carriage return
becomes a line feed, since the grammar ends a comment at either (rdflib and Oxigraph end it
only at a line feed; a server behind ``kg serve URL`` may follow the grammar).
"""
from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from .errors import UsageError

MAX_FIELDS = 100
MAX_TEXT = 1024 * 1024       # bytes of SPARQL parsed at most: kg.serve's MAX_BODY
DEPTH = 100_000              # Python frames the parser may use (its grammar recurses per triple pattern)
STACK = 64 * 1024 * 1024     # the parsing thread's stack, ample for DEPTH frames
NETWORK = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LONE_CR = re.compile(r"\r(?!\n)")
_LEFT = re.compile(r"\\[uU][0-9A-Fa-f]{4}")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_LOCK = threading.Lock()


class Refused(UsageError):
    """A well-formed request kg will not run: it would reach the network, or it is an update
    where only queries are allowed (403 from ``kg serve``)."""


class SparqlSyntaxError(UsageError):
    """The text is not a SPARQL 1.1 query (or update) that kg's check can parse (400)."""


@dataclass(frozen=True)
class Checked:
    """A SPARQL text that passed ``check``: the text to run (``canonical``) and its form."""

    text: str
    update: bool


def check(text: str, *, updates: bool = False) -> Checked:
    """The text as it may run, once it parses, holds no SERVICE or LOAD, and is a query (or an
    update, when ``updates``); else ``Refused`` or ``SparqlSyntaxError``."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_TEXT:
        raise SparqlSyntaxError(f"the SPARQL text is {size} bytes, over the {MAX_TEXT} kg checks")
    code = canonical(text)
    tree, update = parse(code)
    word = network_operation(tree)
    if word is not None:
        raise Refused(f"{word} refused: it would make the store reach the network, which kg never does")
    if update and not updates:
        raise Refused("SPARQL Update refused: this endpoint is read-only (kg query, and kg serve without "
                      "--allow-update, answer queries only)")
    return Checked(code, update)


def canonical(text: str) -> str:
    """The text with codepoint escapes expanded and lone carriage returns as line feeds; an
    escape that is not a character, or one that spells another escape, is a syntax error."""
    def expand(m: re.Match[str]) -> str:
        point = int(m.group(1) or m.group(2), 16)
        if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF:
            raise SparqlSyntaxError(f"SPARQL syntax error: {m.group(0)} is not a Unicode character")
        return chr(point)

    code = _ESCAPE.sub(expand, _LONE_CR.sub("\n", text)) if "\\" in text or "\r" in text else text
    if _LEFT.search(code):
        raise SparqlSyntaxError("SPARQL syntax error: a codepoint escape spells another escape "
                                "(write the character itself)")
    return code


def parse(code: str) -> tuple[Any, bool]:
    """rdflib's parse tree of the text and whether it is an update: a query when it parses as
    one, else an update; ``SparqlSyntaxError`` (with line and column) when it is neither."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    errors = []
    for update, parser in ((False, parseQuery), (True, parseUpdate)):
        try:
            tree = deep(parser, code)
        except ParseBaseException as exc:
            errors.append(exc)
            continue
        except RecursionError:
            raise SparqlSyntaxError("SPARQL text too deeply nested (or too many patterns in one group) "
                                    "for kg's check; split it") from None
        except Exception as exc:  # noqa: BLE001 (rdflib's parse actions raise their own errors; fail closed)
            raise SparqlSyntaxError(f"SPARQL syntax error: {type(exc).__name__}: {exc}") from None
        if update and "request" not in tree:
            raise SparqlSyntaxError("SPARQL syntax error: no query or update in the text")
        return tree, update
    exc = max(errors, key=lambda e: e.loc)     # the reading that got further says what is wrong
    near = exc.line.strip()[:80]
    raise SparqlSyntaxError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}"
                            + (f" (in: {near})" if near else ""))


def warm() -> None:
    """Build rdflib's SPARQL grammar now (half a second), not during a request's timeout."""
    check("ASK {}")


def deep(fn: Callable[[str], Any], code: str) -> Any:
    """``fn(code)`` in a thread with a large stack and a recursion limit of ``DEPTH`` (the
    limit is per interpreter, so parses take turns and the old limit comes back after each)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn(code)
        except BaseException as exc:  # noqa: BLE001 (handed to the caller's thread, re-raised there)
            box["error"] = exc

    with _LOCK:
        old_stack = threading.stack_size(STACK)
        try:
            thread = threading.Thread(target=target, name="kg-sparql-check", daemon=True)
        finally:
            threading.stack_size(old_stack)
        old_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old_limit, DEPTH))
        try:
            thread.start()
            thread.join()
        finally:
            sys.setrecursionlimit(old_limit)
    if "error" in box:
        raise box["error"]
    return box["value"]


def network_operation(tree: Any) -> str | None:
    """``SERVICE`` or ``LOAD`` when the parse tree holds one anywhere, else None."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name in NETWORK:
                return NETWORK[node.name]
            stack.extend(dict.values(node))
        elif isinstance(node, ParseResults):
            stack.extend(node)
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return None


def parse_form(text: str, what: str = "query string") -> dict[str, list[str]]:
    """Fields of a URL query string or form body; ``UsageError`` for bad percent-encoding,
    percent-encoded bytes that are not UTF-8, or more than ``MAX_FIELDS`` fields."""
    if _PERCENT.search(text):
        raise UsageError(f"bad percent-encoding in the {what} ('%' must be followed by two hex digits)")
    try:
        return parse_qs(text, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError:
        raise UsageError(f"the {what} is not UTF-8 once percent-decoded") from None
    except ValueError:
        raise UsageError(f"too many fields in the {what} (at most {MAX_FIELDS})") from None


def decode_body(data: bytes) -> str:
    """A request body as text; ``UsageError`` when it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"the request body is not UTF-8 (bad byte at offset {exc.start})") from None
