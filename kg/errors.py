"""One error hierarchy. The CLI turns these into one-line messages and exit codes.

Exit codes follow pySHACL's convention: 0 ok, 1 a data problem, 2 a usage or input error.
"""
from __future__ import annotations


class KgError(Exception):
    """Base of every error kg raises on purpose."""

    exit_code = 1


class UsageError(KgError):
    """A bad option, a missing model, an input path that does not exist."""

    exit_code = 2


def shown(text: str) -> str:
    """A file name as one line of plain text: control characters, line separators and bidi
    overrides written as escapes (a name may hold a newline or reverse what follows it)."""
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 else
                   f"\\u{ord(c):04x}" if c in HIDDEN else c for c in text)


HIDDEN = frozenset("\u2028\u2029\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class InputError(KgError):
    """One input file cannot be read as a statement (empty, binary, not UTF-8, unreadable)."""

    exit_code = 2

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{shown(path)}: {reason}")
        self.path = path
        self.reason = reason


class DataError(KgError):
    """The inputs were readable but the result is unusable (no statements, invalid graph)."""

    exit_code = 1
