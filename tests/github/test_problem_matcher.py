"""The problem matcher turns our `path:line:col: message` lines into GitHub annotations."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.model import Problem, Severity

ROOT = Path(__file__).resolve().parents[2]
MATCHER = ROOT / ".github" / "problem-matchers" / "generator.json"


def compile_matcher() -> tuple[re.Pattern[str], dict[str, int], str]:
    """Return the matcher's regexp (as Python compiles it), its group numbers and its owner."""
    config = json.loads(MATCHER.read_text(encoding="utf-8"))
    [matcher] = config["problemMatcher"]
    [pattern] = matcher["pattern"]
    assert matcher["severity"] == "error"
    # The runner uses .NET regexes in ECMAScript mode; this pattern uses only syntax both share.
    regexp = re.compile(pattern["regexp"], re.ASCII)
    groups = {k: v for k, v in pattern.items() if k != "regexp"}
    assert set(groups) == {"file", "line", "column", "severity", "message"}
    assert max(groups.values()) == regexp.groups
    return regexp, groups, matcher["owner"]


def annotate(line: str) -> dict[str, str] | None:
    """Return the annotation the runner would make of one output line, or None."""
    regexp, groups, _owner = compile_matcher()
    match = regexp.match(line)
    if match is None:
        return None
    found = {key: match.group(index) or "" for key, index in groups.items()}
    found["severity"] = found["severity"] or "error"
    return found


@pytest.mark.parametrize(
    ("problem", "expected"),
    [
        (
            Problem("content/papers/a-b.md", 4, 9, "topics: 'nlp' is not a topic (did you mean 'llm'?)"),
            (
                "content/papers/a-b.md",
                "4",
                "9",
                "error",
                "topics: 'nlp' is not a topic (did you mean 'llm'?)",
            ),
        ),
        (
            Problem("content/papers/x.md", 12, 1, "abstract: very short", Severity.WARNING),
            ("content/papers/x.md", "12", "1", "warning", "abstract: very short"),
        ),
        (
            Problem("content/topics.yml", 1, 1, "rules: expected a list: found 'a: b'"),
            ("content/topics.yml", "1", "1", "error", "rules: expected a list: found 'a: b'"),
        ),
    ],
)
def test_every_problem_becomes_an_annotation(problem: Problem, expected: tuple[str, ...]) -> None:
    found = annotate(str(problem))
    assert found is not None, str(problem)
    assert (found["file"], found["line"], found["column"], found["severity"], found["message"]) == expected


@pytest.mark.parametrize(
    "line",
    [
        "3 error(s), 1 warning(s)",
        "content is valid",
        "load: 215 papers, 0 problems (0.10 s)",
        "error: content is invalid; nothing was written",
        "INFO    -  Building documentation to directory: /tmp/site",
        "WARNING -  Doc file 'index.md' contains a link 'x.md', but the target is not found.",
        '  File "/work/generator/load.py", line 12, in load',
    ],
)
def test_other_output_is_not_annotated(line: str) -> None:
    assert annotate(line) is None


def test_validate_output_is_annotated_on_the_offending_lines(tmp_path: Path) -> None:
    """Run the real validate on a broken paper: each reported problem maps to its file and line."""
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    bad = tmp_path / "content" / "papers" / "a-broken-paper.md"
    bad.write_text(
        "---\ntitle: A broken paper\nabstract: Something long enough to say what it is about, surely.\n"
        "added: 2024-01-02\nyear: twenty\ntopics: [no-such-topic-at-all]\n---\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(tmp_path), "-q", "validate", "--strict"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    annotations = [a for a in map(annotate, proc.stderr.splitlines()) if a is not None]
    by_line = {a["line"]: a for a in annotations if a["file"] == "content/papers/a-broken-paper.md"}
    assert set(by_line) >= {"5", "6"}, proc.stderr
    assert by_line["5"]["message"].startswith("year:")
    assert by_line["6"]["message"].startswith("topics:")
    assert all(a["severity"] == "error" for a in by_line.values())
    # Paths are relative to the project root, which is where the workflow runs validate.
    assert all(not Path(a["file"]).is_absolute() and (tmp_path / a["file"]).is_file() for a in annotations)


def test_workflow_registers_the_matcher_under_its_owner() -> None:
    _regexp, _groups, owner = compile_matcher()
    workflow = (ROOT / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8")
    assert f'echo "::add-matcher::{MATCHER.relative_to(ROOT).as_posix()}"' in workflow
    assert f'echo "::remove-matcher owner={owner}::"' in workflow
