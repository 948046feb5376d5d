"""What ``kg serve`` checks before a request reaches the store: no outbound network, well-formed input.

Oxigraph answers ``SERVICE <url> { … }`` by sending the query to ``url`` (and ``LOAD <url>`` by
fetching it), which would let anyone who can query the endpoint make it send HTTP requests
anywhere. The endpoint never reaches the network, so both keywords are refused before parsing.
The check is lexical and errs on the side of refusing: comments, strings and IRIs are blanked out,
then every ``service`` or ``load`` counts unless it is inside a variable (``?my_service``) or after the
colon of a prefixed name (``id:immigration-service``): oxigraph also reads ``SERVICEsilent<…>``,
``3SERVICE <…>``, ``trueSERVICE <…>`` and ``?o.SERVICE <…>`` as the keyword.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs

from .errors import UsageError

MAX_FIELDS = 100
_BLANK = re.compile(r'''
    \#[^\n\r]*                                   # comment
  | """(?:[^"\\]|\\.|"(?!""))*(?:"""|$)          # long strings (an unclosed one runs to the end)
  | \'\'\'(?:[^'\\]|\\.|'(?!''))*(?:\'\'\'|$)
  | "(?:[^"\\\n\r]|\\.)*"                        # strings
  | '(?:[^'\\\n\r]|\\.)*'
  | <[^<>"{}|^`\\\x00-\x20]*>                    # IRIs
''', re.X | re.S)
_RUN = re.compile(r"[\w\-]+")
_KEYWORD = re.compile(r"service|load", re.I)
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def network_keyword(text: str) -> str | None:
    """``SERVICE`` or ``LOAD`` when the query or update could make the store reach the network."""
    code = _BLANK.sub(" ", text)
    for run in _RUN.finditer(code):          # runs of name characters
        word = _KEYWORD.search(run.group(0))
        if word and code[run.start() - 1:run.start()] not in ("?", "$", ":"):
            return word.group(0).upper()
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
