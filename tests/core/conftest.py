"""Shared fixtures of the core tests: the seed dump, project copies, the CLI, built sites."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from ..cli import run_generator

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"
#: A copy of ../shared/seed/000_3a71b23fd62e5aef.txt, so the tests never depend on outside files;
#: the name matters, the importer records it in `imported.from`.
SEED = FIXTURES / "000_3a71b23fd62e5aef.txt"
SEED_PAPERS = 215

#: What a project needs besides content/ to generate and build.
PROJECT_FILES = ("mkdocs.yml", "overrides")


def pytest_addoption(parser: pytest.Parser) -> None:
    # Only seen when pytest is started on tests/core (a conftest below the rootdir registers
    # options late); REGEN_GOLDEN=1 works however pytest is started.
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="rewrite tests/core/golden/ from the fixture content instead of comparing",
    )


@pytest.fixture(scope="session")
def regen_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden", default=False)) or os.environ.get(
        "REGEN_GOLDEN", ""
    ) not in ("", "0")


def make_project(dest: Path, content: Path | None = None) -> Path:
    """Copy the repository's site config and `content` (default: the shipped content) to `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    shutil.copytree(content or ROOT / "content", dest / "content")
    return dest


def run_cli(
    root: Path, *args: str, env: Mapping[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run `python -m generator --root ROOT -q ARGS` the way a user does, in a subprocess."""
    proc = run_generator(root, *args, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    if check and proc.returncode != 0:
        pytest.fail(
            f"python -m generator {' '.join(args)} exited {proc.returncode}\n"
            f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
    return proc


CliRunner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def cli() -> CliRunner:
    return run_cli


@pytest.fixture(scope="session")
def shipped_site(shipped_build: Path) -> Path:
    """The shipped content built with the real `python -m generator build` (mkdocs build --strict)."""
    return shipped_build
