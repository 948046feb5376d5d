"""One build at a time per output folder: an exclusive ``flock`` on ``OUT/.kg-cache/build.lock``.

Two builds into one folder would read the same cache members, stage their outputs side by side
and swap them in turn, so one build's statements would vanish from the other's outputs. The lock
is held from before the cache is read until after the staged outputs are renamed into place; the
kernel drops it when the holding process ends, however it ends (a SIGKILL leaves no stale lock).
"""
from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import Callable, Iterator

from .errors import UsageError, shown
from .incremental import CACHE_DIR

LOCK_NAME = "build.lock"


class BusyError(UsageError):
    """Another build holds the output folder and the caller asked not to wait."""


@contextlib.contextmanager
def build_lock(out_dir: str | Path, wait: bool = True,
               on_wait: Callable[[Path], None] | None = None) -> Iterator[None]:
    """Hold OUT's build lock for the block. Busy: call ``on_wait(OUT)`` and wait, or (``wait``
    false) raise BusyError at once."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{shown(str(out))}: exists and is not a folder")
    try:
        (out / CACHE_DIR).mkdir(parents=True, exist_ok=True)
        fd = os.open(out / CACHE_DIR / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise UsageError(f"{shown(str(out))}: cannot lock the output folder ({exc.strerror or exc})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise BusyError(f"{shown(str(out))}: another kg build is writing this folder "
                                "(wait for it, or drop --no-wait)") from None
            if on_wait is not None:
                on_wait(out)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
