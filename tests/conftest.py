"""Fixtures shared by every test folder."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content built once per test run, by `python -m generator build --strict`.

    A project of its own (content/, mkdocs.yml, overrides/ copied), shared by every folder that
    reads the built shipped site: treat it as read-only, and copy it to change it. Under
    pytest-xdist the first worker to ask builds it in the run's shared temporary folder and the
    others wait for it and read the same one (a build is ~12 s of CPU on this 2-core machine).
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        root = tmp_path_factory.mktemp("shipped") / "project"
        _build_shipped(root)
        return root
    shared = tmp_path_factory.getbasetemp().parent  # the run's folder, above each worker's own
    root = shared / "shipped" / "project"
    done = shared / "shipped.done"
    with (shared / "shipped.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also on failure
        if not done.exists():
            shutil.rmtree(root.parent, ignore_errors=True)  # what a failed build left
            _build_shipped(root)
            done.touch()
    return root


def _build_shipped(root: Path) -> None:
    root.mkdir(parents=True)
    for name in ("content", "overrides"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "--quiet", "build", "--strict"],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"build of the shipped site failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Any]:
    """One Playwright driver for the whole run.

    Playwright's sync API refuses to start a second driver while one is running, so
    every folder that drives Chromium takes this one (after checking the browser exists).
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright
