"""Visible escapes for characters that must not reach a file raw.

facts.tsv: a tab, line end or control character in a cell would split a row or act on the
terminal that shows it (ESC starts an escape sequence), so each is written as a visible escape.
GraphML/GEXF: XML 1.0 forbids most C0 characters even as character references, so they become
the same visible escapes and the file always parses.
"""
from __future__ import annotations

import re

# C0, DEL, C1, and the characters line-splitting tools read as line ends (U+2028, U+2029)
_TSV_NAMED = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_TSV_SPECIAL = re.compile(r"[\\\x00-\x1f\x7f-\x9f\u2028\u2029]")
# everything outside XML 1.0's Char production (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF])
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _code(c: str) -> str:
    n = ord(c)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def tsv_cell(text: str) -> str:
    """A TSV cell on one line with no control characters: backslash, tab, newline and carriage
    return as ``\\\\``, ``\\t``, ``\\n``, ``\\r``; other C0, DEL and C1 characters as ``\\xNN``;
    U+2028/U+2029 as ``\\u2028``/``\\u2029``."""
    return _TSV_SPECIAL.sub(lambda m: _TSV_NAMED.get(m.group(0)) or _code(m.group(0)), text)


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: each character it forbids written as ``\\xNN`` (``\\uNNNN``)."""
    return _XML_FORBIDDEN.sub(lambda m: _code(m.group(0)), text)
