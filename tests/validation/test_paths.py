"""Reading paths (content/paths/<id>.yml) and the `summary` field: each kind of bad input is
reported at its exact `path:line:col`, and `generate` and `build` then write nothing.

Also: a valid path is rendered, an edit to it reaches docs/ on the next run (the memo sees
content/paths/), and the order of "Recently added" follows the importer's ledger.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import paper, run_main, snapshot, write

PATH = "content/paths/first-steps.yml"
PAPERS = "content/papers"


def path_file(*steps: str, head: str = "title: First steps\ndescription: Read these two.\n") -> str:
    """A path file: `head` (lines 1-2), 'steps:' (line 3), then each step as given (from line 4)."""
    return head + "steps:\n" + "".join(steps)


GOOD_STEPS = ("  - paper: chain-of-thought\n    why: Where it starts.\n", "  - paper: qubits\n")

#: name: (files to write, (path:line:col, part of the message) expected).
CASES: dict[str, tuple[dict[str, str], tuple[str, str]]] = {
    "unknown-field": (
        {PATH: "titel: First steps\n" + path_file(*GOOD_STEPS)},
        (
            f"{PATH}:1:1",
            "titel: unknown field of a path; expected title, description, steps (did you mean 'title'?)",
        ),
    ),
    "unknown-step-field": (
        {PATH: path_file("  - paper: chain-of-thought\n    wyh: Where it starts.\n", GOOD_STEPS[1])},
        (f"{PATH}:5:5", "steps: wyh: unknown field of a step; expected paper, why (did you mean 'why'?)"),
    ),
    "slug-not-a-paper": (
        {PATH: path_file("  - paper: chain-of-thougt\n", GOOD_STEPS[1])},
        (
            f"{PATH}:4:12",
            "steps: paper: 'chain-of-thougt' is not a paper of the list "
            "(no content/papers/chain-of-thougt.md) (did you mean 'chain-of-thought'?)",
        ),
    ),
    "paper-twice": (
        {PATH: path_file(*GOOD_STEPS, "  - paper: chain-of-thought\n")},
        (f"{PATH}:7:12", "steps: paper: 'chain-of-thought' is listed twice (first on line 4)"),
    ),
    "step-without-paper": (
        {PATH: path_file("  - why: No paper here.\n", GOOD_STEPS[1])},
        (f"{PATH}:4:5", "steps: paper: missing; each step names a paper by its slug"),
    ),
    "step-not-a-mapping": (
        {PATH: path_file("  - chain-of-thought\n", GOOD_STEPS[1])},
        (f"{PATH}:4:5", "steps: expected 'paper: <slug>' (and 'why: …'), found 'chain-of-thought'"),
    ),
    "paper-not-text": (
        {PATH: path_file("  - paper: [chain-of-thought]\n", GOOD_STEPS[1])},
        (f"{PATH}:4:12", "steps: paper: expected text, found a list"),
    ),
    "why-html": (
        {PATH: path_file("  - paper: chain-of-thought\n    why: Read <b>this</b> first.\n", GOOD_STEPS[1])},
        (f"{PATH}:5:15", "steps: why: '<b>this</b> ' would be read as HTML in the page"),
    ),
    "why-script": (
        {PATH: path_file("  - paper: chain-of-thought\n    why: 'x <script>alert(1)</script>'\n")},
        (f"{PATH}:5:13", "steps: why:"),
    ),
    "why-too-long": (
        {PATH: path_file(f"  - paper: chain-of-thought\n    why: {'word ' * 70}\n", GOOD_STEPS[1])},
        (f"{PATH}:5:10", "steps: why: 349 characters, over the limit of 300"),
    ),
    "steps-missing": (
        {PATH: "title: First steps\ndescription: Read these two.\n"},
        (f"{PATH}:1:1", "steps: required field is missing"),
    ),
    "steps-empty": (
        {PATH: "title: First steps\ndescription: Read these two.\nsteps: []\n"},
        (f"{PATH}:3:8", "steps: expected a list of '- paper: <slug>' items, found a list"),
    ),
    "steps-text": (
        {PATH: "title: First steps\ndescription: Read these two.\nsteps: chain-of-thought\n"},
        (f"{PATH}:3:8", "steps: expected a list of '- paper: <slug>' items, found 'chain-of-thought'"),
    ),
    "title-missing": (
        {PATH: path_file(*GOOD_STEPS, head="description: Read these two.\n")},
        (f"{PATH}:1:1", "title: required field is missing; add 'title: …' to the file"),
    ),
    "description-missing": (
        {PATH: path_file(*GOOD_STEPS, head="title: First steps\n")},
        (f"{PATH}:1:1", "description: required field is missing"),
    ),
    "title-two-lines": (
        {PATH: path_file(*GOOD_STEPS, head="title: |\n  First\n  steps\ndescription: Read these two.\n")},
        (f"{PATH}:1:8", "title: holds a line break; write it on one line"),
    ),
    "title-html": (
        {PATH: path_file(*GOOD_STEPS, head="title: '<img src=x>'\ndescription: Read these two.\n")},
        (f"{PATH}:1:9", "title:"),
    ),
    "yaml-syntax": (
        {PATH: path_file("  - paper: chain-of-thought\n    why: a: b\n")},
        (f"{PATH}:5:11", "path: YAML syntax error: mapping values are not allowed in this context"),
    ),
    "duplicate-key": (
        {PATH: "title: A\n" + path_file(*GOOD_STEPS)},
        (f"{PATH}:2:1", "title: duplicate key, also set on line 1"),
    ),
    "not-a-mapping": (
        {PATH: "- chain-of-thought\n- qubits\n"},
        (f"{PATH}:1:1", "path: expected 'key: value' lines, found a list"),
    ),
    "empty-file": ({PATH: "\n"}, (f"{PATH}:1:1", "file is empty; a path needs title, description and steps")),
    "bad-file-name": (
        {"content/paths/First_Steps.yml": path_file(*GOOD_STEPS)},
        ("content/paths/First_Steps.yml:1:1", "file name: 'First_Steps.yml' is not a valid path id"),
    ),
    "reserved-file-name": (
        {"content/paths/index.yml": path_file(*GOOD_STEPS)},
        ("content/paths/index.yml:1:1", "file name: 'index.yml' would replace the list of paths"),
    ),
    "wrong-extension": (
        {"content/paths/first-steps.yaml": path_file(*GOOD_STEPS)},
        ("content/paths/first-steps.yaml:1:1", "file name: 'first-steps.yaml': path files must end in .yml"),
    ),
    "folder-in-paths": (
        {"content/paths/more/a.yml": path_file(*GOOD_STEPS)},
        ("content/paths/more:1:1", "folder: folders in paths/ are not read"),
    ),
    "ledger-syntax": (
        {"content/imported.yml": "# the ledger\nk1: chain-of-thought\nk2: [qubits\n"},
        ("content/imported.yml:4:1", "ledger: YAML syntax error"),
    ),
    "paths-not-a-folder": (
        {"content/paths": "not a folder\n"},
        ("content/paths:1:1", "folder: not a folder"),
    ),
    # --- summary, on a paper (line 5 is the first after title, added and abstract) --------------
    "summary-too-long": (
        {f"{PAPERS}/qubits.md": paper("Counting Qubits", extra=f"summary: {'word ' * 45}\n")},
        (f"{PAPERS}/qubits.md:5:10", "summary: 224 characters, over the limit of 200"),
    ),
    "summary-two-lines": (
        {f"{PAPERS}/qubits.md": paper("Counting Qubits", extra="summary: |\n  One.\n  Two.\n")},
        (f"{PAPERS}/qubits.md:5:10", "summary: holds a line break; write it on one line"),
    ),
    "summary-html": (
        {f"{PAPERS}/qubits.md": paper("Counting Qubits", extra="summary: Count <em>all</em> qubits.\n")},
        (f"{PAPERS}/qubits.md:5:16", "summary: '<em>all</em>' would be read as HTML in the page"),
    ),
    "summary-list": (
        {f"{PAPERS}/qubits.md": paper("Counting Qubits", extra="summary: [a, b]\n")},
        (f"{PAPERS}/qubits.md:5:10", "summary: expected text, found a list"),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_path_or_summary_is_reported_where_it_is_and_nothing_is_written(project: Path, name: str) -> None:
    files, (where, message) = CASES[name]
    for rel, text in files.items():
        write(project / rel, text)
    before = snapshot(project)
    result = run_main(project, "validate")
    assert result.status == 1, result.stderr
    hits = [line for line in result.stderr.splitlines() if line.startswith(f"{where}: ") and message in line]
    assert hits, f"no line '{where}: …{message}…' in:\n{result.stderr}"
    for command in ("generate", "build"):
        result = run_main(project, command)
        assert result.status == 1, result.stderr
        assert "nothing was written" in result.stderr
    assert snapshot(project) == before


def test_a_path_of_one_paper_is_a_warning(project: Path) -> None:
    write(project / PATH, path_file(GOOD_STEPS[1]))
    assert run_main(project, "validate").status == 0
    strict = run_main(project, "validate", "--strict")
    assert strict.status == 1
    assert f"{PATH}:4:3: warning: steps: a path of one paper is no path" in strict.stderr


def test_a_summary_of_two_sentences_is_a_warning(project: Path) -> None:
    write(
        project / PAPERS / "qubits.md", paper("Counting Qubits", extra="summary: We count. Then we stop.\n")
    )
    strict = run_main(project, "validate", "--strict")
    assert f"{PAPERS}/qubits.md:5:10: warning: summary: reads as more than one sentence" in strict.stderr


def test_a_step_naming_a_paper_with_errors_reports_the_paper_only(project: Path) -> None:
    """The path names a paper file that exists but is broken: one problem, in the paper's file."""
    write(project / PATH, path_file(*GOOD_STEPS))
    write(project / PAPERS / "qubits.md", paper("Counting Qubits", extra="year: soon\n"))
    result = run_main(project, "validate")
    lines = [line for line in result.stderr.splitlines() if line.startswith("content/")]
    assert lines == [f"{PAPERS}/qubits.md:5:7: year: expected a four-digit year such as 2024, found 'soon'"]


def _generate(project: Path) -> None:
    result = run_main(project, "generate", "--strict")
    assert result.status == 0, result.stderr


def test_a_path_renders_and_an_edit_reaches_every_page_on_the_next_run(project: Path) -> None:
    write(project / PATH, path_file(*GOOD_STEPS))
    _generate(project)
    docs = project / "docs"
    page = (docs / "paths/first-steps.md").read_text(encoding="utf-8")
    assert "1. [Chain of Thought Prompting](../papers/chain-of-thought.md)" in page
    assert "    Where it starts." in page
    assert "2. [Counting Qubits](../papers/qubits.md)" in page
    assert "[First steps](first-steps.md)" in (docs / "paths/index.md").read_text(encoding="utf-8")
    data = json.loads((docs / "papers.json").read_text(encoding="utf-8"))
    assert data["paths"] == [
        {"id": "first-steps", "title": "First steps", "steps": ["chain-of-thought", "qubits"]}
    ]
    meta = (docs / "papers/qubits.md").read_text(encoding="utf-8").split("\n")[1]
    assert json.loads(meta)["paper"]["paths"] == [
        {
            "id": "first-steps",
            "title": "First steps",
            "url": "paths/first-steps/",
            "step": 2,
            "of": 2,
            "prev": {"url": "papers/chain-of-thought/", "title": "Chain of Thought Prompting"},
            "next": None,
        }
    ]
    # The edit: the steps swap and the title changes. The memo must see content/paths/.
    write(
        project / PATH, path_file(*reversed(GOOD_STEPS), head="title: Second steps\ndescription: Swapped.\n")
    )
    _generate(project)
    meta = (docs / "papers/qubits.md").read_text(encoding="utf-8").split("\n")[1]
    assert json.loads(meta)["paper"]["paths"][0]["title"] == "Second steps"
    assert json.loads(meta)["paper"]["paths"][0]["step"] == 1
    assert "1. [Counting Qubits]" in (docs / "paths/first-steps.md").read_text(encoding="utf-8")
    assert json.loads((docs / "papers.json").read_text(encoding="utf-8"))["paths"][0]["steps"] == [
        "qubits",
        "chain-of-thought",
    ]
    # Removing it removes its page and every trace of it on the next run.
    os.unlink(project / PATH)
    _generate(project)
    assert not (docs / "paths/first-steps.md").exists()
    assert (
        json.loads((docs / "papers/qubits.md").read_text(encoding="utf-8").split("\n")[1])["paper"]["paths"]
        == []
    )


def test_recently_added_follows_the_ledger_then_the_slug_never_the_title(project: Path) -> None:
    """Papers of one day: in the ledger's order, then those it does not know, by slug."""
    papers = {
        "zeta.md": "Aardvark Paper",  # first in the ledger, last by slug, first by title
        "alpha.md": "Zebra Paper",
        "mid.md": "Middle Paper",  # not in the ledger
    }
    for name, title in papers.items():
        write(project / PAPERS / name, paper(title).replace("2025-01-02", "2026-01-01"))
    write(project / "content/imported.yml", "# the ledger\nk1: alpha\nk2: zeta\n")
    _generate(project)
    home = (project / "docs/index.md").read_text(encoding="utf-8")
    recent = home.split("## Recently added", 1)[1].split("##", 1)[0]
    order = [
        line.split("](papers/", 1)[1].split(".md", 1)[0]
        for line in recent.splitlines()
        if "](papers/" in line
    ]
    assert order[:3] == ["alpha", "zeta", "mid"]
