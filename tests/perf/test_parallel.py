"""Work shared with a forked child gives exactly what one process gives."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from generator import parallel
from generator.build import Project, check, generate
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


def shares(prepared: int, second: bool) -> list[int]:
    return [prepared * 10 + (2 if second else 1)]


def test_relay_gives_what_one_process_gives() -> None:
    parent = os.getpid()
    where: list[bool] = []

    def prepare() -> int:
        where.append(os.getpid() == parent)  # only this process's record survives
        return 4

    assert parallel.relay(prepare, lambda: [0], shares) == (4, [0], [41, 42])
    assert where == []  # prepared in the child, not here
    assert parallel.relay(prepare, lambda: [0], shares, fork=False) == (4, [0], [41, 42])
    assert where == [True]


@pytest.mark.parametrize("fails_in", ["prepare", "work"])
def test_relay_does_the_work_of_a_failing_child(fails_in: str) -> None:
    parent = os.getpid()

    def prepare() -> int:
        if fails_in == "prepare" and os.getpid() != parent:
            os._exit(3)
        return 4

    def work(prepared: int, second: bool) -> list[int]:
        if fails_in == "work" and os.getpid() != parent:
            raise RuntimeError("the child fails")
        return shares(prepared, second)

    assert parallel.relay(prepare, lambda: [0], work) == (4, [0], [41, 42])


def test_relay_passes_on_an_error_of_this_process_and_stops_the_child() -> None:
    def meanwhile() -> list[int]:
        raise ValueError("broken")

    def slow() -> int:
        import time

        time.sleep(30)
        return 1

    with pytest.raises(ValueError, match="broken"):
        parallel.relay(slow, meanwhile, shares)  # returns at once: the child is killed, not awaited


def test_generate_in_two_processes_equals_generate_in_one(
    project: Path, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    log = io.StringIO()
    generate(Project(project), Progress(log))
    assert "papers read and classified in two processes" in log.getvalue()
    assert "computed meanwhile" in log.getvalue()  # related papers in the child, beside the lists
    assert contents(snapshot(project)) == cold_build(project, tmp_path / "one", run)


@pytest.mark.parametrize("child_fails", [False, True])
def test_background_work_has_run_once_when_waited_for(tmp_path: Path, child_fails: bool) -> None:
    parent = os.getpid()
    marks = tmp_path / "marks"

    def work() -> None:
        if child_fails and os.getpid() != parent:
            os._exit(2)
        with marks.open("a") as f:
            f.write("parent\n" if os.getpid() == parent else "child\n")

    wait = parallel.background(work)
    wait()
    assert marks.read_text().splitlines() == (["parent"] if child_fails else ["child"])


def test_validate_in_two_processes_reports_what_one_process_reports(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    papers = sorted((project / "content" / "papers").iterdir())
    papers[5].write_text(papers[5].read_text(encoding="utf-8").replace("title:", "titel:", 1), "utf-8")
    (project / "content" / "papers" / "copy.md").write_text(papers[9].read_text(encoding="utf-8"), "utf-8")
    _, alone = check(Project(project), Progress(io.StringIO()))
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10)
    log = io.StringIO()
    _, shared = check(Project(project), Progress(log))
    assert "papers read and classified in two processes" in log.getvalue()
    assert [str(p) for p in shared] == [str(p) for p in alone]
    assert any("titel: unknown field" in str(p) for p in shared)
    assert any("copy.md" in str(p) and "the same paper as" in str(p) for p in shared)
    assert not (project / ".cache").exists()  # validate keeps no cache
