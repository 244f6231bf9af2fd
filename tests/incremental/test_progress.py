"""Long stages show live progress in a terminal, and one plain line per stage elsewhere."""

from __future__ import annotations

import io
import re
import time

import pytest

from generator import progress
from generator.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_the_bar_and_the_time_while_the_stage_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "REDRAW", 0.01)
    out = Terminal()
    with Progress(out).stage("render") as line:
        line.tick(5, 10)
        time.sleep(0.1)
        line.detail = "10 files"
    text = out.getvalue()
    assert "\r\x1b[Krender [" + "#" * 15 + "." * 15 + "] 5/10 0 s" in text
    assert re.search(r"\r\x1b\[Krender: 10 files \(0\.\d\d s\)\n$", text)


def test_a_stage_without_counts_shows_its_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "REDRAW", 0.01)
    out = Terminal()
    with Progress(out).stage("related"):
        time.sleep(0.05)
    assert "\r\x1b[Krelated… 0 s" in out.getvalue()


def test_a_log_gets_one_plain_line_per_stage() -> None:
    out = io.StringIO()
    p = Progress(out)
    with p.stage("load") as line:
        line.tick(1, 2)
        line.detail = "2 papers"
    with p.stage("write"):
        pass
    assert re.fullmatch(r"load: 2 papers \(\d+\.\d\d s\)\nwrite \(\d+\.\d\d s\)\n", out.getvalue())


def test_quiet_prints_nothing() -> None:
    out = Terminal()
    with Progress(out, quiet=True).stage("load") as line:
        line.tick(1, 2)
    assert out.getvalue() == ""
