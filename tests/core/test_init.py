"""`python -m generator init`: a new list that builds at once, written all or nothing."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import init

from .conftest import ROOT, SEED, SEED_PAPERS, CliRunner

TITLE = 'Papers on "sheaves" & <stacks>'
#: What init changes in the shipped mkdocs.yml: the list's identity.
IDENTITY = ("site_name", "site_description", "site_url", "repo_url", "repo_name", "edit_uri")


def run_init(cli: CliRunner, dest: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    # --root is ignored by init; the project of the tests' runner is the repository.
    return cli(ROOT, "init", str(dest), *args, check=check)


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.slow
def test_init_then_build_makes_the_site_with_its_title(tmp_path: Path, cli: CliRunner) -> None:
    dest = tmp_path / "my-list"
    run_init(cli, dest, "--title", TITLE, "--url", "https://me.github.io/sheaves", "--repo", "me/sheaves")
    # `make site` is `python -m generator build --strict` in a fresh venv: run it with this
    # interpreter (same pinned packages), from DIR, so that DIR's own copy of the generator runs.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "-q", "build", "--strict"],
        cwd=dest,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    home = (dest / "site/index.html").read_text(encoding="utf-8")
    h1 = re.search(r"<h1[^>]*>([^<]*)", home)
    assert h1 is not None and html.unescape(h1.group(1)) == TITLE
    assert 'href="https://me.github.io/sheaves/"' in home  # canonical link from site_url
    about = (dest / "site/about/index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/me/sheaves"' in about
    assert not list(tmp_path.glob(".my-list.init-*"))
    assert "site_url" in yaml.safe_load((dest / "mkdocs.yml").read_text(encoding="utf-8"))


def _mkdocs(path: Path) -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in IDENTITY:
        config.pop(key, None)
    return config


def test_mkdocs_yml_is_the_shipped_one_with_a_new_identity_and_no_topics(
    tmp_path: Path, cli: CliRunner
) -> None:
    dest = tmp_path / "new"
    run_init(cli, dest, "--title", TITLE)
    made, shipped = _mkdocs(dest / "mkdocs.yml"), _mkdocs(ROOT / "mkdocs.yml")
    topics = next(item for item in shipped["nav"] if "Topics" in item)
    assert len(topics["Topics"]) > 1
    topics["Topics"] = topics["Topics"][:1]  # the index page stays; `generate` writes the rest
    assert made == shipped
    config = yaml.safe_load((dest / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == TITLE
    assert "site_url" not in config and "repo_url" not in config  # not given: left out, README says so
    assert "`site_url`" in (dest / "README.md").read_text(encoding="utf-8")


def test_files_copied_adapted_and_starter_content(tmp_path: Path, cli: CliRunner) -> None:
    dest = tmp_path / "new"
    run_init(cli, dest, "--title", "T", "--repo", "me/papers")
    for name in init.COPIED:
        assert (dest / name).exists(), name
    assert not list(dest.rglob("__pycache__"))
    assert not (dest / "tests").exists() and list((dest / "content/papers").glob("*.md")) == []
    github = "".join(p.read_text(encoding="utf-8") for p in (dest / ".github").rglob("*") if p.is_file())
    assert (
        init.SHIPPED_REPO not in github and "https://github.com/me/papers/blob/main/CONTRIBUTING.md" in github
    )
    workflow = yaml.safe_load((dest / ".github/workflows/pull-request.yml").read_text(encoding="utf-8"))
    # The shipped list's test suite and its Zensical comparison are not there to run.
    assert list(workflow["jobs"]) == ["check", "review"]
    topics = (dest / "content/topics.yml").read_text(encoding="utf-8")
    assert topics.startswith("# Topic taxonomy") and "# Writing rules" in topics
    assert [t["id"] for t in yaml.safe_load(topics)["topics"]] == ["surveys", "benchmarks"]
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--strict"],
        cwd=dest,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def test_from_imports_into_the_new_list(tmp_path: Path, cli: CliRunner) -> None:
    dest = tmp_path / "new"
    run_init(cli, dest, "--title", "T", "--from", str(SEED))
    assert len(list((dest / "content/papers").glob("*.md"))) == SEED_PAPERS


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--title", "T", "--repo", "not a repo"), "--repo: 'not a repo' is not OWNER/NAME"),
        (("--title", "T", "--url", "me.github.io"), "--url: 'me.github.io' is not an http(s) address"),
        (("--title", " "), "--title: empty"),
        (("--title", "T", "--from", "missing.txt"), "the import failed; nothing was written"),
    ],
)
def test_bad_options_write_nothing(
    tmp_path: Path, cli: CliRunner, args: tuple[str, ...], message: str
) -> None:
    proc = run_init(cli, tmp_path / "new", *args, check=False)
    assert proc.returncode == 1 and message in proc.stderr
    assert listing(tmp_path) == []


def test_a_non_empty_folder_is_refused_and_left_alone(tmp_path: Path, cli: CliRunner) -> None:
    dest = tmp_path / "busy"
    (dest / "notes").mkdir(parents=True)
    (dest / "notes/a.txt").write_text("mine", encoding="utf-8")
    proc = run_init(cli, dest, "--title", "T", check=False)
    assert proc.returncode == 1 and "not empty" in proc.stderr
    assert listing(tmp_path) == ["busy", "busy/notes", "busy/notes/a.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    run_init(cli, empty, "--title", "T")
    assert (empty / "mkdocs.yml").is_file()
