"""The script of pr-comment.yml, run by bash against a stand-in for `gh api` that answers from
recorded GitHub responses through the real `jq`: what it posts, where, and what it refuses."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from .test_workflows import WORKFLOWS, load, steps

MARKER = "<!-- reading-list-review -->"
HEAD = "0123456789abcdef0123456789abcdef01234567"
REPORT = "## Reading-list review\n\nAgainst HEAD^1: 1 added.\n"

#: `gh api [--paginate] [--method M] PATH [--jq F] [--input FILE]`, answered from $GH_ANSWERS
#: and logged to $GH_LOG; the filter runs through jq -r, as gh's --jq prints strings raw.
FAKE_GH = textwrap.dedent(
    """\
    import json, os, subprocess, sys
    args = sys.argv[1:]
    assert args[0] == "api", args
    opts, rest, i = {}, [], 1
    while i < len(args):
        if args[i] in ("--jq", "--method", "--input"):
            opts[args[i]] = args[i + 1]
            i += 2
        elif args[i] == "--paginate":
            i += 1
        else:
            rest.append(args[i])
            i += 1
    [path] = rest
    body = open(opts["--input"], encoding="utf-8").read() if "--input" in opts else None
    with open(os.environ["GH_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps({"method": opts.get("--method", "GET"), "path": path, "input": body}) + "\\n")
    if body is not None:
        print("{}")
        sys.exit(0)
    answer = json.dumps(json.load(open(os.environ["GH_ANSWERS"]))[path])
    if "--jq" in opts:
        answer = subprocess.run(["jq", "-r", opts["--jq"]], input=answer, text=True, capture_output=True,
                                check=True).stdout
    sys.stdout.write(answer)
    """
)


def script() -> str:
    [step] = [s for s in steps(load(WORKFLOWS / "pr-comment.yml")["jobs"]["comment"]) if "run" in s]
    return str(step["run"])


def comment(user: str, body: str, id_: int) -> dict[str, Any]:
    return {"id": id_, "user": {"login": user}, "body": body}


def run_script(
    tmp_path: Path, pr_number: bytes, report: str, answers: dict[str, Any]
) -> tuple[int, list[Any]]:
    """Run the comment script; return its status and the calls it made to the API."""
    if shutil.which("jq") is None:
        pytest.skip("jq is not installed (GitHub's runners have it)")
    bin_dir, review, temp = tmp_path / "bin", tmp_path / "review", tmp_path / "temp"
    for d in (bin_dir, review, temp):
        d.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(f"#!{sys.executable}\n{FAKE_GH}", encoding="utf-8")
    gh.chmod(0o755)
    (review / "pr-number").write_bytes(pr_number)
    (review / "report.md").write_text(report, encoding="utf-8")
    (tmp_path / "answers.json").write_text(json.dumps(answers), encoding="utf-8")
    (tmp_path / "run.sh").write_text(script(), encoding="utf-8")
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "GH_TOKEN": "token",
        "REPO": "owner/list",
        "RUN_ID": "42",
        "HEAD_SHA": HEAD,
        "REVIEW": str(review),
        "SERVER": "https://github.com",
        "RUNNER_TEMP": str(temp),
        "GH_LOG": str(tmp_path / "gh.log"),
        "GH_ANSWERS": str(tmp_path / "answers.json"),
    }
    # The way GitHub runs a `run:` step with the default shell.
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(tmp_path / "run.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    log = tmp_path / "gh.log"
    calls = (
        [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
    )
    return proc.returncode, calls


def answers(comments: list[dict[str, Any]], head: str = HEAD, preview: bool = True) -> dict[str, Any]:
    return {
        "repos/owner/list/pulls/7": {"number": 7, "head": {"sha": head}},
        "repos/owner/list/actions/runs/42/artifacts": {
            "artifacts": [{"id": 5, "name": "review"}]
            + ([{"id": 99, "name": "site-preview"}] if preview else [])
        },
        "repos/owner/list/issues/7/comments": comments,
    }


def test_the_first_run_creates_the_comment_with_the_report_and_the_preview_link(tmp_path: Path) -> None:
    status, calls = run_script(tmp_path, b"7\n", REPORT, answers([comment("someone", "LGTM", 1)]))
    assert status == 0
    [post] = [c for c in calls if c["method"] != "GET"]
    assert (post["method"], post["path"]) == ("POST", "repos/owner/list/issues/7/comments")
    body = json.loads(post["input"])["body"]
    assert body.startswith(f"{MARKER}\n{REPORT}")
    assert "[site-preview](https://github.com/owner/list/actions/runs/42/artifacts/99)" in body
    assert f"Reviewed commit {HEAD}." in body


def test_a_later_run_updates_our_comment_not_one_that_only_looks_like_it(tmp_path: Path) -> None:
    existing = [
        comment("mallory", f"{MARKER}\nfake", 3),  # someone else's comment with the marker
        comment("github-actions[bot]", "another bot message", 4),
        comment("github-actions[bot]", f"{MARKER}\nold report", 5),
    ]
    status, calls = run_script(tmp_path, b"7", REPORT, answers(existing, preview=False))
    assert status == 0
    [patch] = [c for c in calls if c["method"] != "GET"]
    assert (patch["method"], patch["path"]) == ("PATCH", "repos/owner/list/issues/comments/5")
    assert "No preview: the site did not build" in json.loads(patch["input"])["body"]


@pytest.mark.parametrize(
    "number", [b"", b"0", b"7; gh api -X DELETE x", b"../../7", b"7 8", b"1234567890", b"\xff"]
)
def test_a_pull_request_number_that_is_not_a_number_is_refused(tmp_path: Path, number: bytes) -> None:
    status, calls = run_script(tmp_path, number, REPORT, answers([]))
    assert status == 1
    assert calls == []


def test_a_number_of_a_pull_request_whose_head_is_another_commit_gets_no_comment(tmp_path: Path) -> None:
    status, calls = run_script(tmp_path, b"7", REPORT, answers([], head="f" * 40))
    assert status == 0
    assert [c["method"] for c in calls] == ["GET"]


def test_a_huge_report_is_cut_to_fit_a_comment(tmp_path: Path) -> None:
    huge = REPORT + "- ☃ a line of the report\n" * 10_000
    status, calls = run_script(tmp_path, b"7", huge, answers([]))
    assert status == 0
    body = json.loads(calls[-1]["input"])["body"]
    assert len(body) <= 65_536
    assert (
        "the report is cut here; the whole of it is in the [run](https://github.com/owner/list/actions/runs/42)"
        in body
    )
