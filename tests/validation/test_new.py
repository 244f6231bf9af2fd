"""`python -m generator new`: a valid file with the right slug and date, or nothing and a reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from .conftest import ABSTRACT, paper, run_cli, run_main, write


def papers_of(root: Path) -> set[str]:
    return {p.name for p in (root / "content/papers").iterdir()}


def test_new_writes_a_valid_file_with_slug_and_date(project: Path) -> None:
    proc = run_cli(
        project,
        "new",
        "Attention Is All You Need: Yes, Again",
        "--abstract",
        ABSTRACT,
        "--url",
        "https://arxiv.org/abs/1706.03762",
        "--topics",
        "reasoning",
        "--tags",
        "transformers, attention",
        "--author",
        "Ashish Vaswani",
        "--author",
        "Noam Shazeer",
        "--year",
        "2017",
        "--code",
        "https://github.com/tensorflow/tensor2tensor",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "content/papers/attention-is-all-you-need-yes-again.md"
    text = (project / proc.stdout.strip()).read_text(encoding="utf-8")
    assert text.startswith("---\n") and text.endswith("---\n")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta == {
        "title": "Attention Is All You Need: Yes, Again",
        "authors": ["Ashish Vaswani", "Noam Shazeer"],
        "year": 2017,
        "added": dt.date(2025, 1, 1),  # SOURCE_DATE_EPOCH of the test environment
        "topics": ["reasoning"],
        "tags": ["transformers", "attention"],
        "url": "https://arxiv.org/abs/1706.03762",
        "code": ["https://github.com/tensorflow/tensor2tensor"],
        "abstract": ABSTRACT,
    }
    check = run_cli(project, "validate", "--strict")
    assert check.returncode == 0, check.stderr


def test_new_reads_the_abstract_from_standard_input(project: Path) -> None:
    proc = run_cli(project, "new", "Quantum Reasoning", "--abstract", "-", stdin=ABSTRACT + "\n\n")
    assert proc.returncode == 0, proc.stderr
    assert f"abstract: {ABSTRACT[:40]}" in (project / "content/papers/quantum-reasoning.md").read_text(
        "utf-8"
    )


def test_new_quotes_what_yaml_would_misread(project: Path) -> None:
    proc = run_cli(project, "new", "no", "--abstract", ABSTRACT, "--arxiv", "2401.10100", "--tags", "yes")
    assert proc.returncode == 0, proc.stderr
    text = (project / "content/papers/no.md").read_text(encoding="utf-8")
    assert "title: 'no'\n" in text and "arxiv: '2401.10100'\n" in text and "- 'yes'\n" in text
    assert run_main(project, "validate").status == 0


DUPLICATES = {
    "same slug": (["Counting Qubits"], "'qubits.md' already exists"),
    "same title": (
        ["Chain-of-Thought prompting!", "--slug", "cot"],
        "the same paper as content/papers/chain",
    ),
    "same arxiv": (["Other", "--arxiv", "1706.03762v2"], "the same paper as content/papers/with-ids.md:5:1"),
    "same doi": (["Other", "--doi", "10.1000/ABC"], "the same paper as content/papers/with-ids.md:6:1"),
    "arxiv as url": (["Other", "--pdf", "https://arxiv.org/pdf/1706.03762"], "arXiv id 1706.03762"),
}


@pytest.mark.parametrize("case", list(DUPLICATES))
def test_new_refuses_a_paper_already_in_the_list(project: Path, case: str) -> None:
    write(
        project / "content/papers/with-ids.md",
        paper("With Ids", extra="arxiv: '1706.03762'\ndoi: 10.1000/abc\n"),
    )
    args, message = DUPLICATES[case]
    if case == "same slug":
        args = [args[0], "--slug", "qubits"]
    before = papers_of(project)
    result = run_main(project, "new", *args, "--abstract", ABSTRACT)
    assert result.status == 1
    assert message in result.stderr, result.stderr
    assert "nothing was written" in result.stderr
    assert papers_of(project) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--topics", "reasonin"], "error: topics: 'reasonin' is not a topic (did you mean 'reasoning'?)"),
        (["--url", "javascript:alert(1)"], "error: url: expected an http:// or https:// link"),
        (["--doi", "https://doi.org/10.1/x"], "error: doi: expected a DOI"),
        (["--status", "done"], "error: status: 'done' is not a status"),
    ],
)
def test_new_writes_nothing_that_would_not_validate(project: Path, args: list[str], message: str) -> None:
    before = papers_of(project)
    result = run_main(project, "new", "Fine Title", "--abstract", ABSTRACT, *args)
    assert result.status == 1
    assert any(line.startswith(message) for line in result.stderr.splitlines()), result.stderr
    assert papers_of(project) == before


def test_new_requires_an_abstract(project: Path) -> None:
    proc = run_cli(project, "new", "Fine Title")
    assert proc.returncode == 2
    assert "--abstract" in proc.stderr
    assert "fine-title.md" not in papers_of(project)
