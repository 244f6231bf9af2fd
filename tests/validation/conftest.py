"""Small projects in tmp dirs, the real CLI, and snapshots of what a run may not touch."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main

from ..cli import run_generator

ROOT = Path(__file__).resolve().parents[2]

#: A taxonomy of our own: content/topics.yml of the repository is curated elsewhere.
TOPICS = textwrap.dedent(
    """\
    settings:
      threshold: 4
      max_topics: 2
      title_weight: 2
    topics:
      - id: reasoning
        title: Reasoning
        description: How language models reason.
        rules:
          reasoning: 4
          chain of thought: 4
      - id: quantum
        title: Quantum computing
        description: Computing with qubits.
        rules:
          quantum: 4
          qubit*: 4
    """
)

ABSTRACT = (
    "We study how large language models reason step by step, with a chain of thought, and measure "
    "where the reasoning goes wrong on long problems that need many steps."
)


def paper(title: str = "A Valid Paper", *, body: str = "", extra: str = "", abstract: str = ABSTRACT) -> str:
    """A valid paper file (title on line 2, added on 3, abstract on 4, `extra` from line 5)."""
    return f"---\ntitle: {title}\nadded: 2025-01-02\nabstract: {abstract}\n{extra}---\n{body}"


#: The papers every project starts with.
BASE_PAPERS = {
    "chain-of-thought.md": paper("Chain of Thought Prompting", body="Notes with *emphasis*.\n"),
    "qubits.md": paper(
        "Counting Qubits",
        abstract="We count qubits on quantum hardware and show how many qubits a quantum algorithm needs "
        "for problems of each size, with a quantum error model.",
    ),
}


def write_project(root: Path, papers: Mapping[str, str | bytes] = BASE_PAPERS) -> Path:
    """A project with the repository's site setup and our own small content."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", root / "overrides")
    shutil.copytree(ROOT / "content" / "pages", root / "content" / "pages")
    (root / "content" / "topics.yml").write_text(TOPICS, encoding="utf-8")
    (root / "content" / "papers").mkdir(parents=True)
    for name, data in papers.items():
        write(root / "content" / "papers" / name, data)
    return root


def write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file a failed run must leave as it was: docs/, site/ and mkdocs.yml, byte for byte."""
    out = {"mkdocs.yml": (root / "mkdocs.yml").read_bytes()}
    for top in ("docs", "site"):
        for path in sorted((root / top).rglob("*")):
            if path.is_file():
                out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["SOURCE_DATE_EPOCH"] = "1735689600"  # 2025-01-01
    env["PYTHONPATH"] = str(ROOT)
    return env


def run_cli(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m generator --root ROOT ARGS`, as a contributor runs it."""
    return run_generator(root, *args, env=cli_env(), stdin=stdin)


@dataclass(frozen=True)
class Result:
    status: int
    stderr: str


def run_main(root: Path, *args: str) -> Result:
    """The same command line in this process, for the runs that must stop before mkdocs."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["--root", str(root), "-q", *args])
    return Result(status, err.getvalue())


@pytest.fixture(scope="session")
def built_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid project built once for real (docs/ and site/ exist), to be copied by each test."""
    root = write_project(tmp_path_factory.mktemp("base") / "project")
    proc = run_cli(root, "build", "--strict")
    assert proc.returncode == 0, proc.stderr
    assert (root / "site" / "papers" / "qubits" / "index.html").is_file()
    return root


@pytest.fixture
def project(built_base: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built project."""
    root = tmp_path / "project"
    shutil.copytree(built_base, root, symlinks=True)
    return root
