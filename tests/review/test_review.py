"""`python -m generator review --base REF` on real git histories: what the report says, in both formats."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import PAPERS, both, commit, git, review, review_cli, stim

PREVIEW = "https://example.org/preview/"
WARNED = "content/papers/stim.md:2:1: warning: title: probably the same paper as "
NEAR_TITLE = "the same title up to case, punctuation, a leading article or a version suffix"


def sections(markdown: str) -> dict[str, str]:
    """The report's sections by heading, without the count: {"Added papers": "- …", …}."""
    out = {}
    for part in markdown.split("\n### ")[1:]:
        heading, _, body = part.partition("\n")
        out[re.sub(r" \(\d+( pages)?\)$", "", heading)] = body.strip()
    return out


def assert_agrees(markdown: str, data: dict[str, Any]) -> None:
    """The Markdown report says what the JSON one says, entry for entry."""
    errors = sum(1 for p in data["problems"] if p["severity"] == "error")
    summary = (
        f"{len(data['added'])} added, {len(data['removed'])} removed, {len(data['retitled'])} retitled, "
        f"{len(data['edited'])} edited, {len(data['notes'])} with new notes; "
        f"{data['duplicates']} probable duplicate(s); {len(data['topics'])} topic(s) moved; "
        f"{len(data['related'])} page(s) with new related papers; "
        f"{errors} error(s), {len(data['problems']) - errors} warning(s)."
    )
    assert summary in markdown.splitlines()[2]
    found = sections(markdown)
    expected = {
        "Added papers": data["added"],
        "Probable duplicates": [d for p in data["added"] for d in p["duplicates"]],
        "Removed papers": data["removed"],
        "Retitled papers": data["retitled"],
        "Edited papers": data["edited"],
        "Notes added or changed": data["notes"],
        "Topic moves": data["topics"],
        "Related papers": data["related"],
    }
    assert set(found) == {name for name, items in expected.items() if items} | {"Validation"}
    for p in data["added"]:
        assert f"`{p['path']}`" in found["Added papers"]
        for t in p["topics"]:
            assert f"(`{t['id']}`, score {t['score']:g}: " in found["Added papers"]
        for d in p["duplicates"]:
            assert f"- ⚠️ `{p['path']}` may be `{d['path']}:{d['line']}`, already listed: {d['why']}" in (
                found["Probable duplicates"].splitlines()
            )
    for p in data["removed"]:
        assert f"`{p['path']}` (was in: {', '.join(p['topics']) or 'no topic'})" in found["Removed papers"]
    for name, key in (("Retitled papers", "retitled"), ("Edited papers", "edited")):
        for p in data[key]:
            assert f"`{p['path']}`" in found[name]
            assert f"changed: {', '.join(p['fields'])}" in found[name]
    for n in data["notes"]:
        assert f"`{n['path']}`, notes {n['change']}: “" in found["Notes added or changed"]
    rows = found.get("Topic moves", "").splitlines()[2:]
    assert len(rows) == len(data["topics"])
    for row, t in zip(rows, data["topics"], strict=True):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert f"(`{t['id']}`" in cells[0]
        assert cells[1:4] == [str(t["before"]), str(t["after"]), f"{t['change']:+d}"]
        assert cells[4] == ", ".join(t["joined"]) and cells[5] == ", ".join(t["left"])
    related = found.get("Related papers", "").splitlines()
    assert [line.split("`")[1] for line in related] == [p["slug"] for p in data["related"]]
    problems = [line for line in found["Validation"].splitlines() if line.startswith("- `")]
    assert [line.split("`")[1] for line in problems] == [
        f"{p['path']}:{p['line']}:{p['col']}" for p in data["problems"]
    ]


def test_no_change_gives_a_short_clean_report(repo: Path) -> None:
    markdown, data = both(repo)
    assert_agrees(markdown, data)
    assert list(sections(markdown)) == ["Validation"]
    assert "No problems: `validate --strict` passes." in markdown
    assert data["base"] == {"ref": "base", "commit": git(repo, "rev-parse", "base").strip()}


def test_an_added_paper_shows_its_topics_why_status_tags_and_link(repo: Path) -> None:
    (repo / PAPERS / "stim.md").write_text(stim(), encoding="utf-8")
    markdown, data = both(repo, "--preview-url", PREVIEW)
    assert_agrees(markdown, data)
    [added] = data["added"]
    assert added | {"topics": None} == {
        "slug": "stim",
        "path": "content/papers/stim.md",
        "title": "Stim: a fast stabilizer circuit simulator",
        "url": "https://example.org/preview/papers/stim/",
        "status": "essential",
        "tags": ["simulation", "stabilizers"],
        "topics": None,
        "duplicates": [],
    }
    assert added["topics"] == [
        {
            "id": "quantum",
            "title": "Quantum computing",
            "score": 12.0,
            "why": [
                "'quantum' (+2) in abstract×2: +4",
                "'qubit*' (+4) in abstract×1: +4",
                "'surface code' (+4) in abstract×1: +4",
            ],
        }
    ]
    assert data["topics"] == [
        {
            "id": "quantum",
            "title": "Quantum computing",
            "state": "",
            "before": 2,
            "after": 3,
            "change": 1,
            "joined": ["stim"],
            "left": [],
        }
    ]
    assert data["removed"] == data["retitled"] == data["edited"] == data["notes"] == []
    assert "surface-codes" in {p["slug"] for p in data["related"] if "stim" in p["gained"]}
    found = sections(markdown)
    assert found["Added papers"].splitlines()[:3] == [
        "- **[Stim: a fast stabilizer circuit simulator](https://example.org/preview/papers/stim/)**: "
        "`content/papers/stim.md`",
        "  - topics: Quantum computing (`quantum`, score 12: 'quantum' (+2) in abstract×2: +4; "
        "'qubit&#42;' (+4) in abstract×1: +4; 'surface code' (+4) in abstract×1: +4)",
        "  - status: essential; tags: simulation, stabilizers",
    ]
    assert "| Quantum computing (`quantum`) | 2 | 3 | +1 | stim |  |" in found["Topic moves"]


@pytest.mark.parametrize(
    ("title", "extra", "why", "problem"),
    [
        pytest.param(
            "Stim: A Fast Stabilizer-Circuit Simulator.",
            "",
            NEAR_TITLE,
            "content/papers/stim.md:2:1: title: the same paper as content/papers/stim-again.md:2:1",
            id="case-punctuation-period",
        ),
        pytest.param(
            "The Stim: a fast stabilizer circuit simulator v2",
            "",
            NEAR_TITLE,
            f"{WARNED}content/papers/stim-again.md:2:1",
            id="article-version",
        ),
        pytest.param(
            "Stim: a fast stabiliser circuit simulater",
            "",
            "titles 2 letters apart",
            f"{WARNED}content/papers/stim-again.md:2:1",
            id="two-letters",
        ),
        pytest.param(
            "Simulating stabilizer circuits at scale",
            "doi: 10.1000/stim\narxiv: '2103.02202v3'\n",
            "the same arXiv id 2103.02202",
            "content/papers/stim.md:7:1: arxiv: the same paper as content/papers/stim-again.md:8:1",
            id="same-arxiv",
        ),
        pytest.param(
            "Stim: a fast stabilizer circuit simulator for quantum error correction",
            "",
            "title and abstract 0.",
            None,
            id="alike-abstract",
        ),
    ],
)
def test_an_added_near_duplicate_is_flagged_with_the_listed_file(
    repo: Path, title: str, extra: str, why: str, problem: str | None
) -> None:
    (repo / PAPERS / "stim.md").write_text(stim(extra="arxiv: '2103.02202'\n"), encoding="utf-8")
    commit(repo, "Stim")
    git(repo, "tag", "-f", "base")
    (repo / PAPERS / "stim-again.md").write_text(stim(title, extra), encoding="utf-8")
    markdown, data = both(repo)
    assert_agrees(markdown, data)
    [added] = data["added"]
    assert added["slug"] == "stim-again"
    [match] = added["duplicates"]
    assert match | {"why": None} == {
        "slug": "stim",
        "path": "content/papers/stim.md",
        "line": 2,
        "title": "Stim: a fast stabilizer circuit simulator",
        "why": None,
    }
    assert match["why"].startswith(why)
    assert data["duplicates"] == 1
    assert f"- ⚠️ `content/papers/stim-again.md` may be `content/papers/stim.md:2`, already listed: {why}" in (
        markdown
    )
    shown = [
        f"{p['path']}:{p['line']}:{p['col']}: "
        + ("warning: " if p["severity"] == "warning" else "")
        + p["message"]
        for p in data["problems"]
    ]
    if problem is None:
        assert shown == []
    else:
        assert [line for line in shown if line.startswith(problem)], shown


def test_a_paper_with_another_arxiv_id_is_not_a_duplicate_of_a_near_title(repo: Path) -> None:
    (repo / PAPERS / "stim.md").write_text(stim(extra="arxiv: '2103.02202'\n"), encoding="utf-8")
    commit(repo, "Stim")
    git(repo, "tag", "-f", "base")
    (repo / PAPERS / "stim-2.md").write_text(
        stim("Stim 2: a fast stabilizer circuit simulator", "arxiv: '2404.00001'\n"), encoding="utf-8"
    )
    (repo / PAPERS / "stim-b.md").write_text(
        stim("Stim: a faster stabilizer circuit simulator", "arxiv: '2404.00002'\n"), encoding="utf-8"
    )
    _markdown, data = both(repo)
    assert [p["slug"] for p in data["added"]] == ["stim-2", "stim-b"]
    # Numbers name another paper of a series; another arXiv id says it is another paper.
    assert [p["duplicates"] for p in data["added"]] == [[], []]


@pytest.mark.parametrize("rename", [False, True], ids=["same-file", "renamed-file"])
def test_a_retitled_paper_shows_old_and_new_title(repo: Path, rename: bool) -> None:
    old = repo / PAPERS / "chain-of-thought-prompting.md"
    text = old.read_text(encoding="utf-8").replace(
        "title: Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
        "title: Chain of thought prompting elicits reasoning",
    )
    new = repo / PAPERS / ("cot.md" if rename else "chain-of-thought-prompting.md")
    old.unlink()
    new.write_text(text, encoding="utf-8")
    markdown, data = both(repo)
    assert_agrees(markdown, data)
    [entry] = data["retitled"]
    slug = "cot" if rename else "chain-of-thought-prompting"
    assert (entry["slug"], entry["old_path"], entry["title"], entry["old_title"], entry["fields"]) == (
        slug,
        "content/papers/chain-of-thought-prompting.md",
        "Chain of thought prompting elicits reasoning",
        "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
        ["file", "title"] if rename else ["title"],
    )
    assert data["added"] == data["removed"] == data["edited"] == []
    assert [t["id"] for t in entry["topics"]] == ["reasoning"] and entry["topics_before"] is None
    line = sections(markdown)["Retitled papers"].splitlines()[0]
    assert line.startswith(
        "- Chain-of-Thought Prompting Elicits Reasoning in Large Language Models → "
        f"**Chain of thought prompting elicits reasoning**: `content/papers/{slug}.md`"
    )
    assert ("(was `content/papers/chain-of-thought-prompting.md`)" in line) is rename


def test_notes_only_edits_show_an_excerpt_and_move_nothing(repo: Path) -> None:
    with (repo / PAPERS / "serial-scaling.md").open("a", encoding="utf-8") as f:
        f.write("Read it with *Amdahl's law* in mind. Ping @octocat.\n")
    with (repo / PAPERS / "program-of-thoughts-prompting.md").open("a", encoding="utf-8") as f:
        f.write("\nA second reading: the gains shrink on harder benchmarks.\n")
    markdown, data = both(repo)
    assert_agrees(markdown, data)
    assert [(p["slug"], p["fields"], p["topics_before"]) for p in data["edited"]] == [
        ("program-of-thoughts-prompting", ["notes"], None),
        ("serial-scaling", ["notes"], None),
    ]
    assert data["notes"] == [
        {
            "slug": "program-of-thoughts-prompting",
            "path": "content/papers/program-of-thoughts-prompting.md",
            "title": "Program of Thoughts Prompting: Disentangling Computation from Reasoning",
            "change": "changed",
            "excerpt": "A second reading: the gains shrink on harder benchmarks.",
        },
        {
            "slug": "serial-scaling",
            "path": "content/papers/serial-scaling.md",
            "title": "The Serial Scaling Hypothesis",
            "change": "added",
            "excerpt": "Read it with *Amdahl's law* in mind. Ping @octocat.",
        },
    ]
    # Notes are not part of the related-papers vectors, nor of classification.
    assert data["topics"] == data["related"] == data["added"] == data["retitled"] == []
    notes = sections(markdown)["Notes added or changed"]
    assert "notes added: “Read it with &#42;Amdahl's law&#42; in mind. Ping &#64;octocat.”" in notes
    assert "@octocat" not in markdown


def test_an_edited_paper_names_the_fields_that_changed_and_its_topics_before(repo: Path) -> None:
    path = repo / PAPERS / "program-of-thoughts-prompting.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("status: essential", "status: read\ntopics: [quantum]").replace(
        "- prompting", "- arithmetic"
    )
    text = text.replace("code:\n", "code:\n- https://example.org/pot\n")
    path.write_text(text, encoding="utf-8")
    markdown, data = both(repo)
    assert_agrees(markdown, data)
    [entry] = data["edited"]
    assert (entry["slug"], entry["fields"], entry["status"], entry["tags"]) == (
        "program-of-thoughts-prompting",
        ["topics", "tags", "status", "code"],
        "read",
        ["arithmetic"],
    )
    assert entry["topics"][0] == {
        "id": "quantum",
        "title": "Quantum computing",
        "score": 0.0,
        "why": ["set by hand"],
    }
    assert entry["topics_before"] == ["reasoning"]
    assert "  - topics before: reasoning" in sections(markdown)["Edited papers"]


def test_a_deleted_paper_leaves_its_topic_and_its_neighbours(repo: Path) -> None:
    git(repo, "rm", "-q", f"{PAPERS}/chain-of-thought-prompting.md")
    markdown, data = both(repo)
    assert_agrees(markdown, data)
    assert data["removed"] == [
        {
            "slug": "chain-of-thought-prompting",
            "path": "content/papers/chain-of-thought-prompting.md",
            "title": "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
            "topics": ["reasoning"],
            "unreadable": False,
        }
    ]
    [move] = data["topics"]
    assert (move["id"], move["before"], move["after"], move["change"], move["left"]) == (
        "reasoning",
        3,
        2,
        -1,
        ["chain-of-thought-prompting"],
    )
    assert data["related"], "no page lost the deleted paper from its related papers"
    assert all("chain-of-thought-prompting" in p["lost"] for p in data["related"])
    assert "program-of-thoughts-prompting" in [p["slug"] for p in data["related"]]
    assert "| Reasoning &#38; proofs (`reasoning`) | 3 | 2 | -1 |  | chain-of-thought-prompting |" in markdown


def test_a_taxonomy_change_moves_papers_between_topics(repo: Path) -> None:
    topics = repo / "content" / "topics.yml"
    text = topics.read_text(encoding="utf-8")
    text = text.replace("      surface code: 4\n", "")
    text += (
        "  - id: error-correction\n"
        "    title: Quantum error correction\n"
        "    description: Codes that protect qubits.\n"
        "    rules:\n"
        "      surface code: 8\n"
        "      stabilizer*: 4\n"
    )
    topics.write_text(text, encoding="utf-8")
    markdown, data = both(repo)
    assert_agrees(markdown, data)
    moves = {t["id"]: t for t in data["topics"]}
    assert moves["error-correction"] == {
        "id": "error-correction",
        "title": "Quantum error correction",
        "state": "new",
        "before": 0,
        "after": 1,
        "change": 1,
        "joined": ["surface-codes"],
        "left": [],
    }
    assert (
        "| Quantum error correction (`error-correction`, new) | 0 | 1 | +1 | surface-codes |  |" in markdown
    )
    # No paper file changed: none is reported as edited, and related papers stay.
    assert data["edited"] == data["retitled"] == data["added"] == data["related"] == []


def test_problems_of_the_working_tree_are_listed_with_their_place(repo: Path) -> None:
    (repo / PAPERS / "stim.md").write_text(
        stim().replace("added: 2025-04-01", "added: someday"), encoding="utf-8"
    )
    markdown, data = both(repo)
    assert_agrees(markdown, data)
    [problem] = data["problems"]
    assert (problem["path"], problem["line"], problem["severity"]) == ("content/papers/stim.md", 3, "error")
    assert "- `content/papers/stim.md:3:8`: added: " in sections(markdown)["Validation"]


def test_a_paper_broken_in_place_is_not_reported_as_removed_silently(repo: Path) -> None:
    path = repo / PAPERS / "serial-scaling.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("added: 2024-12-24", "added: [1"), encoding="utf-8"
    )
    markdown, data = both(repo)
    assert_agrees(markdown, data)
    [removed] = data["removed"]
    assert (removed["slug"], removed["unreadable"]) == ("serial-scaling", True)
    assert (
        "; the file is still there but cannot be read, see Validation" in sections(markdown)["Removed papers"]
    )
    assert [p["path"] for p in data["problems"] if p["severity"] == "error"] == [
        "content/papers/serial-scaling.md"
    ]


def test_the_report_is_deterministic_across_processes(repo: Path) -> None:
    (repo / PAPERS / "stim.md").write_text(stim(), encoding="utf-8")
    (repo / PAPERS / "stim-again.md").write_text(
        stim("Stim: A Fast Stabilizer-Circuit Simulator."), encoding="utf-8"
    )
    git(repo, "rm", "-q", f"{PAPERS}/serial-scaling.md")
    with (repo / PAPERS / "surface-codes.md").open("a", encoding="utf-8") as f:
        f.write("Notes.\n")
    runs = [
        review_cli(repo, "--base", "base", *fmt)
        for fmt in ([], [], ["--format", "json"], ["--format", "json"])
    ]
    assert [r.returncode for r in runs] == [0, 0, 0, 0], runs[0].stderr
    assert runs[0].stdout == runs[1].stdout and runs[2].stdout == runs[3].stdout
    assert "### Removed papers (1)" in runs[0].stdout and '"slug": "serial-scaling"' in runs[2].stdout


@pytest.mark.parametrize("ref", ["no-such-ref", "base:content", "--output=x", "base~3", ""])
def test_a_ref_that_is_not_a_commit_is_refused_in_one_line(repo: Path, ref: str) -> None:
    status, out, err = review(repo, f"--base={ref}")
    assert status == 1
    assert out == ""
    assert err.splitlines() == [f"error: --base {ref}: not a commit of the repository at {repo}"]
    assert not (repo / "x").exists()


def test_a_commit_without_content_is_refused(repo: Path) -> None:
    git(repo, "checkout", "-q", "--orphan", "empty")
    git(repo, "rm", "-rq", "--cached", "content")
    git(repo, "commit", "-q", "--allow-empty", "-m", "empty")
    status, _out, err = review(repo, "--base", "empty")
    assert status == 1
    assert err.startswith("error: --base empty: commit ") and err.endswith(" has no content/ folder\n")
