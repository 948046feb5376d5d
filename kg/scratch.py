"""Temporary store copies of ``kg serve``, named after the process that owns them.

A graph file is served from a store bulk-loaded into a temporary folder, which ``close()`` removes.
A server killed with SIGKILL cannot remove it, so the folder's name carries its owner's PID
(``kg-store-<pid>-<random>``) and every server removes, at start, the copies whose owner is no
longer running (only folders of this user, never a link).
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

PREFIX = "kg-store-"
_NAME = re.compile(re.escape(PREFIX) + r"(\d+)-[A-Za-z0-9_]+")


def alive(pid: int) -> bool:
    """Whether a process with this PID exists (one of another user counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_copies(root: Path | None = None) -> list[Path]:
    """This user's store copies under the temporary folder whose owner process has gone."""
    base = Path(root or tempfile.gettempdir())
    found = []
    try:
        entries = list(os.scandir(base))
    except OSError:
        return []
    for entry in entries:
        match = _NAME.fullmatch(entry.name)
        try:
            if not match or not entry.is_dir(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
        except OSError:
            continue
        pid = int(match.group(1))
        if pid != os.getpid() and not alive(pid):
            found.append(Path(entry.path))
    return sorted(found)


def clean_stale(root: Path | None = None) -> list[Path]:
    """Remove the stale copies; returns the folders removed."""
    removed = []
    for path in stale_copies(root):
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            removed.append(path)
    return removed


def new_copy(root: Path | None = None) -> Path:
    """A new, empty folder for this process's store copy."""
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=root))
