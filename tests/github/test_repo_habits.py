"""The pre-commit hook validates content/ as CI does, and Dependabot watches every pinned ecosystem."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "core" / "fixtures" / "golden-content"
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def hook() -> dict[str, Any]:
    [repo] = load(ROOT / ".pre-commit-config.yaml")["repos"]
    assert repo["repo"] == "local"
    [only] = repo["hooks"]
    assert isinstance(only, dict)
    return only


def test_the_hook_runs_strict_validate_once_when_content_changes() -> None:
    h = hook()
    assert h["entry"] == "python -m generator validate --strict"
    assert (h["language"], h["pass_filenames"]) == ("system", False)
    files = re.compile(h["files"])
    assert files.search("content/papers/attention.md") and files.search("content/topics.yml")
    assert not files.search("generator/cli.py") and not files.search("docs/content/x.md")


def test_the_hook_entry_fails_a_commit_with_a_probable_duplicate(tmp_path: Path) -> None:
    """The entry as pre-commit runs it: from the repository root, with the `python` on PATH."""
    shutil.copytree(FIXTURE, tmp_path / "content")
    python = Path(sys.executable)
    env = {**os.environ, "PATH": f"{python.parent}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT)}
    entry = hook()["entry"].split()
    assert entry[0] == "python"

    def commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(python.parent / python.name), *entry[1:]],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )

    assert commit().returncode == 0
    twin = (tmp_path / "content/papers/serial-scaling.md").read_text(encoding="utf-8")
    twin = twin.replace("title: The Serial Scaling Hypothesis", "title: Serial Scaling Hypothesis v2")
    (tmp_path / "content/papers/serial-scaling-v2.md").write_text(twin, encoding="utf-8")
    proc = commit()
    assert proc.returncode == 1
    assert (
        "content/papers/serial-scaling.md:2:1: warning: title: probably the same paper as "
        "content/papers/serial-scaling-v2.md:2:1"
    ) in proc.stderr


def test_dependabot_keeps_every_pinned_ecosystem_current() -> None:
    config = load(ROOT / ".github" / "dependabot.yml")
    assert config["version"] == 2
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(updates) == {"pip", "npm", "github-actions"}
    pins = {
        "pip": ["requirements.txt", "requirements-test.txt"],
        "npm": ["package.json", "package-lock.json"],
    }
    for ecosystem, update in updates.items():
        assert update["schedule"]["interval"] in ("daily", "weekly", "monthly")
        folder = ROOT / update["directory"].lstrip("/")
        for name in pins.get(ecosystem, []):
            assert (folder / name).is_file(), f"{ecosystem}: {name} not in {update['directory']}"
    assert (ROOT / updates["github-actions"]["directory"].lstrip("/") / ".github" / "workflows").is_dir()


def test_contributing_documents_the_hook_dependabot_and_review() -> None:
    for needle in (
        "pre-commit install",
        "`.pre-commit-config.yaml`",
        "`.github/dependabot.yml`",
        "python -m generator review --base origin/main",
        "pr-comment.yml",
    ):
        assert needle in CONTRIBUTING, needle
