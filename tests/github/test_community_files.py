"""CONTRIBUTING.md, the pull-request template, the issue form and CODEOWNERS say true things."""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import make_parser
from generator.load import PAPER_FIELDS
from generator.model import STATUSES
from generator.pages import PAGE_FIELDS

ROOT = Path(__file__).resolve().parents[2]
GITHUB = ROOT / ".github"
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")

# Everything that runs code when the site is built or tested needs a maintainer's review.
MUST_BE_OWNED = {"/mkdocs.yml", "/overrides/", "/generator/", "/.github/workflows/", "/.ci/"}
ISSUE_FORM_KEYS = {"name", "description", "title", "labels", "assignees", "projects", "type", "body"}
ISSUE_FORM_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def codeowners_rules() -> list[tuple[str, list[str]]]:
    rules = []
    for line in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            pattern, *owners = line.split()
            rules.append((pattern, owners))
    return rules


def test_codeowners_covers_everything_that_runs_at_build_time() -> None:
    rules = codeowners_rules()
    patterns = [pattern for pattern, _owners in rules]
    assert len(patterns) == len(set(patterns)), "a pattern is listed twice"
    assert set(patterns) >= MUST_BE_OWNED


def test_codeowners_patterns_name_real_paths_and_owners() -> None:
    for pattern, owners in codeowners_rules():
        assert pattern.startswith("/"), f"{pattern}: anchor patterns at the repository root"
        target = ROOT / pattern.strip("/")
        assert target.exists(), f"{pattern}: no such path"
        assert target.is_dir() == pattern.endswith("/"), f"{pattern}: folders end with '/', files do not"
        assert owners, f"{pattern}: no owner"
        for owner in owners:
            assert re.fullmatch(r"@[A-Za-z0-9-]+(/[A-Za-z0-9_.-]+)?", owner), (
                f"{pattern}: bad owner {owner!r}"
            )


def test_content_is_not_code_owned() -> None:
    """Papers and notes are merged by any maintainer; a catch-all owner would block them."""
    for pattern, _owners in codeowners_rules():
        assert pattern not in ("*", "/", "/**", "/content/", "/content/papers/")
        assert not pattern.startswith("/content")


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_suggest_a_paper_form_follows_the_issue_form_schema() -> None:
    form = load_yaml(GITHUB / "ISSUE_TEMPLATE" / "suggest-a-paper.yml")
    assert set(form) <= ISSUE_FORM_KEYS, set(form) - ISSUE_FORM_KEYS
    assert form["name"] == "Suggest a paper"
    assert isinstance(form["description"], str) and form["description"]
    body = form["body"]
    assert body and all(item["type"] in ISSUE_FORM_TYPES for item in body)
    fields = [item for item in body if item["type"] != "markdown"]
    ids = [item["id"] for item in fields]
    assert len(ids) == len(set(ids))
    for item in fields:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", item["id"])
        assert item["attributes"]["label"]
    for item in body:
        if item["type"] == "markdown":
            assert item["attributes"]["value"].strip()
    required = {item["id"] for item in fields if item.get("validations", {}).get("required")}
    assert {"title", "link", "why", "topics"} <= set(ids)
    assert required == {"title", "link", "why"}


def test_issue_template_config() -> None:
    config = load_yaml(GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert set(config) <= {"blank_issues_enabled", "contact_links"}
    assert isinstance(config["blank_issues_enabled"], bool)
    for link in config["contact_links"]:
        assert set(link) == {"name", "url", "about"}
        assert link["url"].startswith("https://")


def test_pull_request_template_is_a_checklist() -> None:
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] (.+)$", text, flags=re.MULTILINE)
    assert len(items) >= 5
    assert any("validate --strict" in item for item in items)
    assert any("generator new" in item for item in items)


def section(title: str) -> str:
    """The text of CONTRIBUTING.md under `## title`, up to the next section."""
    start = CONTRIBUTING.index(f"\n## {title}\n")
    end = CONTRIBUTING.find("\n## ", start + 1)
    return CONTRIBUTING[start : end if end > 0 else None]


@pytest.mark.parametrize(
    ("title", "fields"),
    [("The content format", set(PAPER_FIELDS) - {"imported"}), ("Hand-written pages", set(PAGE_FIELDS))],
)
def test_contributing_documents_every_field(title: str, fields: set[str]) -> None:
    table = {m.group(1) for m in re.finditer(r"^\| `([a-z_]+)` \|", section(title), flags=re.MULTILINE)}
    assert table == fields
    assert "`imported`" in CONTRIBUTING
    for status in STATUSES:
        assert f"`{status}`" in CONTRIBUTING


def subcommands() -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in make_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    [sub] = actions
    return dict(sub.choices)


def test_contributing_names_only_real_commands() -> None:
    commands = set(re.findall(r"python -m generator ([a-z]+)", CONTRIBUTING))
    assert {"new", "validate", "serve", "build", "topics"} <= commands
    assert commands <= set(subcommands()), sorted(commands - set(subcommands()))
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z]+):", makefile, flags=re.MULTILINE))
    assert set(re.findall(r"\bmake ([a-z]+)", CONTRIBUTING)) <= targets


def test_contributing_uses_only_real_flags_of_new() -> None:
    new = subcommands().get("new")
    assert new is not None, "`python -m generator new` is documented but does not exist"
    flags = {option for action in new._actions for option in action.option_strings}
    section_of_new = CONTRIBUTING.split("python -m generator new", 1)[1].split("\n#", 1)[0]
    documented = set(re.findall(r"(--[a-z][a-z-]*)", section_of_new))
    assert documented, "no flags documented for `new`"
    assert documented <= flags | {"--help", "--strict"}, sorted(documented - flags)


@pytest.mark.parametrize("anchor", re.findall(r"\]\(#([a-z0-9-]+)\)", CONTRIBUTING))
def test_contributing_anchors_resolve(anchor: str) -> None:
    """GitHub's heading anchors: lowercase, punctuation dropped, spaces become hyphens."""
    headings = re.findall(r"^#+ (.+)$", CONTRIBUTING, flags=re.MULTILINE)
    slugs = {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-") for h in headings}
    assert anchor in slugs


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's content, to run the documented commands against."""
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    return tmp_path


def generator(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "-q", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1714608000"},
    )


def test_documented_new_command_writes_a_valid_paper(project_copy: Path) -> None:
    [block] = re.findall(r"```sh\n(.*?)```", CONTRIBUTING, flags=re.DOTALL)[:1]
    command = shlex.split(block[block.index("python -m generator new") :].replace("\\\n", " "), comments=True)
    assert command[:4] == ["python", "-m", "generator", "new"]

    made = generator(project_copy, *command[3:])

    assert made.returncode == 0, made.stderr
    path = project_copy / made.stdout.strip()
    assert path.parent == project_copy / "content" / "papers" and path.is_file()
    checked = generator(project_copy, "validate", "--strict")
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize(
    ("title", "path"),
    [
        ("The content format", "content/papers/attention-is-all-you-need.md"),
        ("Hand-written pages", "content/pages/about.md"),
    ],
)
def test_documented_file_is_valid(project_copy: Path, title: str, path: str) -> None:
    [example] = re.findall(r"```markdown\n(---\n.*?)```", section(title), flags=re.DOTALL)
    (project_copy / path).write_text(example, encoding="utf-8")

    checked = generator(project_copy, "validate", "--strict")

    assert checked.returncode == 0, checked.stderr
