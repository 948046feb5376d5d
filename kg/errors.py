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


class InputError(KgError):
    """One input file cannot be read as a statement (empty, binary, not UTF-8, unreadable)."""

    exit_code = 2

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class DataError(KgError):
    """The inputs were readable but the result is unusable (no statements, invalid graph)."""

    exit_code = 1
