"""`validate` and probable duplicates already in content/: near titles warn, exact ids and titles fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ABSTRACT, paper, run_main, write, write_project

P = "content/papers/zz-new.md"
COT = "content/papers/chain-of-thought.md"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {P: paper("The Chain of Thought Prompting v2")},
            [
                f"{P}:2:1: warning: title: probably the same paper as {COT}:2:1 (the same title up to case, "
                "punctuation, a leading article or a version suffix: 'Chain of Thought Prompting')"
            ],
            id="article-and-version",
        ),
        pytest.param(
            {P: paper("Chain of Thoght Prompting")},
            [
                f"{P}:2:1: warning: title: probably the same paper as {COT}:2:1 (titles 1 letter apart: "
                "'Chain of Thought Prompting')"
            ],
            id="one-letter",
        ),
        pytest.param({P: paper("Chain of Thought Prompting 2")}, [], id="another-number"),
        pytest.param({P: paper("Chain of Thoughts Promptings")}, [], id="too-far-for-a-short-title"),
        pytest.param(
            {
                "content/papers/a.md": paper(
                    "Stim, a fast stabilizer circuit simulator", extra="arxiv: '2103.02202'\n"
                ),
                P: paper("Stim, a faster stabilizer circuit simulator", extra="arxiv: '2404.00002'\n"),
            },
            [],
            id="different-arxiv-ids",
        ),
        pytest.param(
            {
                "content/papers/a.md": paper(
                    "Stim, a fast stabilizer circuit simulator", extra="doi: 10.1000/stim\n"
                ),
                P: paper("Stim, a faster stabilizer circuit simulator", extra="arxiv: '2404.00002'\n"),
            },
            [
                f"{P}:2:1: warning: title: probably the same paper as content/papers/a.md:2:1 "
                "(titles 2 letters apart: 'Stim, a fast stabilizer circuit simulator')"
            ],
            id="ids-of-different-kinds",
        ),
    ],
)
def test_near_titles_warn_at_the_later_paper(
    tmp_path: Path, files: dict[str, str], expected: list[str]
) -> None:
    root = write_project(tmp_path / "project")
    for rel, text in files.items():
        write(root / rel, text)
    relaxed = run_main(root, "validate")
    assert relaxed.status == 0, relaxed.stderr
    near = [line for line in relaxed.stderr.splitlines() if "probably the same paper" in line]
    assert [line.split("; keep one file")[0] for line in near] == expected
    strict = run_main(root, "validate", "--strict")
    assert strict.status == (1 if expected else 0), strict.stderr


@pytest.mark.parametrize(
    ("extra", "where", "what"),
    [
        ("doi: 10.1000/XYZ\n", "5:1", "doi: the same paper as content/papers/a.md:5:1: DOI 10.1000/xyz"),
        (
            "arxiv: '2103.02202v2'\n",
            "5:1",
            "arxiv: the same paper as content/papers/a.md:5:1: arXiv id 2103.02202",
        ),
    ],
)
def test_an_exact_id_clash_fails_once_without_a_near_title_warning(
    tmp_path: Path, extra: str, where: str, what: str
) -> None:
    root = write_project(tmp_path / "project")
    write(root / "content/papers/a.md", paper("Stim, a fast stabilizer circuit simulator", extra=extra))
    write(root / P, paper("Stim, a fast stabiliser circuit simulator", extra=extra.replace("v2", "")))
    result = run_main(root, "validate")
    assert result.status == 1
    located = [line for line in result.stderr.splitlines() if line.startswith("content/")]
    assert located == [f"{P}:{where}: {what}; keep one file and merge the notes into it"]


def test_a_near_title_among_ten_thousand_is_found(tmp_path: Path) -> None:
    from generator.dedupe import near_titles

    titles = [
        f"Paper number {i:05d} on the {w} of things" for i, w in enumerate(["theory", "practice"] * 5000)
    ]
    titles[7000] = "On the Stabilizer Formalism of Quantum Error Correcting Codes"
    titles[123] = "On the stabiliser formalism of quantum error-correcting codes."
    pairs = near_titles(titles)
    assert pairs == [(123, 7000, "titles 1 letter apart")]


def test_new_writes_a_near_duplicate_but_warns_where_the_other_is(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project")
    result = run_main(root, "new", "The Chain of Thought Prompting v2", "--abstract", ABSTRACT)
    assert result.status == 0, result.stderr
    written = root / "content/papers/the-chain-of-thought-prompting-v2.md"
    assert written.read_text(encoding="utf-8").splitlines()[1] == "title: The Chain of Thought Prompting v2"
    assert result.stderr.startswith(
        "content/papers/the-chain-of-thought-prompting-v2.md:2:1: warning: title: probably the same paper as "
        f"{COT}:2:1 (the same title up to case"
    )
    # validate says the same, once the file is there.
    again = run_main(root, "validate", "--strict")
    assert again.status == 1
    assert (
        "the-chain-of-thought-prompting-v2.md:2:1: warning: title: probably the same paper as" in again.stderr
    )
