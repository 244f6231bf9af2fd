"""Report the stages of long commands: one line per stage with counts and times."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Progress:
    """Print `stage: detail (1.23 s)` lines to stderr; quiet when asked."""

    def __init__(self, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.live = not quiet and self.stream.isatty()
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[StageLine]:
        line = StageLine(self, name)
        if self.live:
            self.stream.write(f"{name}…")
            self.stream.flush()
        start = time.perf_counter()
        try:
            yield line
        finally:
            elapsed = time.perf_counter() - start
            self.timings[name] = elapsed
            if not self.quiet:
                prefix = "\r\x1b[K" if self.live else ""
                detail = f": {line.detail}" if line.detail else ""
                self.stream.write(f"{prefix}{name}{detail} ({elapsed:.2f} s)\n")
                self.stream.flush()

    def tick(self, name: str, done: int, total: int) -> None:
        """Update a live progress bar; silent unless writing to a terminal."""
        if not self.live or total <= 0 or (done % 50 and done != total):
            return
        width = 30
        filled = width * done // total
        self.stream.write(f"\r\x1b[K{name} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        self.stream.flush()


class StageLine:
    def __init__(self, progress: Progress, name: str) -> None:
        self.progress = progress
        self.name = name
        self.detail = ""

    def tick(self, done: int, total: int) -> None:
        self.progress.tick(self.name, done, total)
