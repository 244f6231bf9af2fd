"""Work shared with a forked child gives exactly what one process gives."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from generator import parallel
from generator.build import Project, generate
from generator.progress import Progress

from .conftest import Run
from .test_incremental import cold_build, contents, snapshot

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two CPUs")


def squares(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(i, i * i) for i in items]


def test_halves_keeps_the_order_of_the_items() -> None:
    items = list(range(101))
    assert parallel.halves(squares, items, minimum=2) == squares(items)


def test_a_failing_child_leaves_the_work_to_this_process() -> None:
    parent = os.getpid()

    def fragile(items: Sequence[int]) -> list[tuple[int, int]]:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return squares(items)

    assert parallel.halves(fragile, list(range(10)), minimum=2) == squares(range(10))


def test_generate_in_two_processes_equals_generate_in_one(
    project: Path, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    log = io.StringIO()
    generate(Project(project), Progress(log))
    assert "papers read and classified in two processes" in log.getvalue()
    assert contents(snapshot(project)) == cold_build(project, tmp_path / "one", run)
