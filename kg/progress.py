"""Progress of a long build for the command line: a rich progress bar on a terminal, plain log
lines otherwise (a log file, CI; only once a stage has run for ``LOG_EVERY`` seconds), nothing
with ``--quiet``."""
from __future__ import annotations

import sys
import time
from typing import IO, Any

STAGES = {"parse": "parsing statements (characters)", "write": "writing the graph (statements)"}
LOG_EVERY = 10.0     # seconds between two plain log lines of one stage


class Reporter:
    """A build's ``progress(stage, done, total)`` callback; use as a context manager."""

    def __init__(self, quiet: bool = False, stream: IO[str] | None = None, tty: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = self.stream.isatty() if tty is None else tty
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}
        self._last: dict[str, float] = {}
        self._printed: set[str] = set()

    def __enter__(self) -> "Reporter":
        if self.tty and not self.quiet:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeRemainingColumn(), console=Console(file=self.stream, force_terminal=True),
                                 transient=True)
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.quiet or total <= 0:
            return
        if self._bar is not None:
            if stage not in self._tasks:
                self._tasks[stage] = self._bar.add_task(STAGES.get(stage, stage), total=total)
            self._bar.update(self._tasks[stage], completed=done)
            return
        now = time.monotonic()
        start = self._last.setdefault(stage, now)   # a short build prints nothing
        if (done == total and stage in self._printed) or now - start >= LOG_EVERY:
            self._last[stage] = now
            self._printed.add(stage)
            print(f"kg: {STAGES.get(stage, stage)}: {done}/{total}", file=self.stream, flush=True)
