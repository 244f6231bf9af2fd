"""Report the stages of long commands: one line per stage with counts and times.

In a terminal the current stage is redrawn in place twice a second, with a
bar when the stage counts its work (`StageLine.tick`) and the time it has
taken so far, so a 10,000-paper build shows that it is moving.  Elsewhere (CI
logs, pipes) each stage prints one plain line when it ends.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

#: Seconds between two redraws of the live line.
REDRAW = 0.5
BAR = 30


class Progress:
    """Print `stage: detail (1.23 s)` lines to stderr; quiet when asked."""

    def __init__(self, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.live = not quiet and self.stream.isatty()
        self.timings: dict[str, float] = {}
        self._lock = threading.Lock()

    @contextmanager
    def stage(self, name: str) -> Iterator[StageLine]:
        line = StageLine(self, name)
        stop = threading.Event()
        redraw = threading.Thread(target=self._redraw, args=(line, stop), daemon=True)
        if self.live:
            line.draw()
            redraw.start()
        try:
            yield line
        finally:
            stop.set()
            if redraw.is_alive():
                redraw.join()
            elapsed = time.perf_counter() - line.start
            self.timings[name] = elapsed
            if not self.quiet:
                prefix = "\r\x1b[K" if self.live else ""
                detail = f": {line.detail}" if line.detail else ""
                with self._lock:
                    self.stream.write(f"{prefix}{name}{detail} ({elapsed:.2f} s)\n")
                    self.stream.flush()

    def _redraw(self, line: StageLine, stop: threading.Event) -> None:
        while not stop.wait(REDRAW):
            line.draw()


class StageLine:
    """The stage being run: its detail for the final line, and its progress so far."""

    def __init__(self, progress: Progress, name: str) -> None:
        self.progress = progress
        self.name = name
        self.detail = ""
        self.start = time.perf_counter()
        self.done = 0
        self.total = 0

    def tick(self, done: int, total: int) -> None:
        """Say how far the stage is: `done` of `total` items (shown in a terminal only)."""
        self.done, self.total = done, total

    def draw(self) -> None:
        progress = self.progress
        elapsed = time.perf_counter() - self.start
        if self.total > 0:
            filled = BAR * min(self.done, self.total) // self.total
            bar = f" [{'#' * filled}{'.' * (BAR - filled)}] {self.done}/{self.total}"
        else:
            bar = "…"
        with progress._lock:
            progress.stream.write(f"\r\x1b[K{self.name}{bar} {elapsed:.0f} s")
            progress.stream.flush()
