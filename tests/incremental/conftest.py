"""Fixtures of the performance tests: small synthetic projects and a runner for the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.make_list import make_project

from ..cli import run_generator

ROOT = Path(__file__).resolve().parents[2]
#: Papers in the synthetic list of these tests: enough for related lists to shift when one
#: paper changes, few enough to generate in a second.
PAPERS = 120

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(None, tmp_path_factory.mktemp("perf") / "template", PAPERS)


@pytest.fixture
def project(template_project: Path, tmp_path: Path) -> Path:
    """A fresh copy of the synthetic project: content/, mkdocs.yml, overrides/, no docs/ or cache."""
    dest = tmp_path / "project"
    shutil.copytree(template_project, dest)
    return dest


@pytest.fixture(scope="session")
def run() -> Run:
    """Run `python -m generator --root ROOT ARGS…` and return the finished process."""

    def run(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = run_generator(root, *args, env=dict(os.environ, SOURCE_DATE_EPOCH="0"), quiet=False)
        if check and proc.returncode != 0:
            raise AssertionError(f"generator {' '.join(args)} failed:\n{proc.stderr}")
        return proc

    return run
