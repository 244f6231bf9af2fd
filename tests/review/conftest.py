"""Real git repositories in tmp dirs: the fixture content committed, then changed, then reviewed."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main

from ..cli import run_generator

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "core" / "fixtures" / "golden-content"
PAPERS = "content/papers"

STIM = textwrap.dedent(
    """\
    ---
    title: '{title}'
    added: 2025-04-01
    abstract: This paper presents Stim, a fast simulator for quantum stabilizer circuits. We simulate surface
      code circuits with millions of qubits and sample their measurements, for the study of quantum error
      correction.
    {extra}status: essential
    tags: [simulation, stabilizers]
    ---
    """
)


def stim(title: str = "Stim: a fast stabilizer circuit simulator", extra: str = "") -> str:
    """A paper file about Stim (title on line 2), with `extra` front matter lines."""
    return STIM.format(title=title.replace("'", "''"), extra=extra)


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_AUTHOR_DATE": "2025-01-01T00:00:00Z",
        "GIT_COMMITTER_DATE": "2025-01-01T00:00:00Z",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return proc.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose one commit (tagged `base`) holds the golden fixture content/."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root / "content")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "tag", "base")
    return root


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def review_cli(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m generator --root REPO review ARGS` in a subprocess, as CI runs it."""
    return run_generator(repo, "review", *args, env=cli_env())


def review(repo: Path, *args: str) -> tuple[int, str, str]:
    """The same command line in this process: (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--root", str(repo), "-q", "review", *args])
    return status, out.getvalue(), err.getvalue()


def both(repo: Path, *args: str) -> tuple[str, dict[str, Any]]:
    """The Markdown and the JSON report against `base`."""
    status, markdown, err = review(repo, "--base", "base", *args)
    assert status == 0, err
    status, text, err = review(repo, "--base", "base", "--format", "json", *args)
    assert status == 0, err
    data = json.loads(text)
    assert isinstance(data, dict)
    return markdown, data
