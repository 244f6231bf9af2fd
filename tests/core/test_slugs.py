"""Slugs: lowercase ASCII words joined by hyphens, unique, stable across imports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator import match
from generator.fields import SLUG_RE
from generator.slugs import SLUG_MAX, slugify
from generator.sources.dump import DumpEntry, parse_dump

from .conftest import SEED, SEED_PAPERS, CliRunner

DAY = dt.date(2025, 1, 2)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Attention Is All You Need", "attention-is-all-you-need"),
        (
            "GSPMD: Parallelization for ML Computation Graphs",
            "gspmd-parallelization-for-ml-computation-graphs",
        ),
        ("From Informal to Formal -- Incorporating LLMs", "from-informal-to-formal-incorporating-llms"),
        ("  Hogwild! Inference: Parallel LLM Generation  ", "hogwild-inference-parallel-llm-generation"),
        ("Schrödinger Bridges über Gödel", "schrodinger-bridges-uber-godel"),
        ("Straße, Æther, Œuvre, Łódź, Ørsted, Þing", "strasse-aether-oeuvre-lodz-orsted-thing"),
        ("λ-Calculus and π-Calculus", "lambda-calculus-and-pi-calculus"),
        ("Ω(n log n) Lower Bounds for α-Sorting", "omega-n-log-n-lower-bounds-for-alpha-sorting"),
        ("Ψ-Turing Machines", "psi-turing-machines"),
        ("C++ Templates, 100% Faster", "c-templates-100-faster"),
        ("量子計算", "paper"),
        ("", "paper"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert SLUG_RE.match(slugify(title))


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    title = (
        "Modified Singly-Runge-Kutta-TASE methods for the numerical solution of stiff differential equations"
    )
    slug = slugify(title)
    assert slug == "modified-singly-runge-kutta-tase-methods-for-the-numerical-solution-of"
    assert len(slug) <= SLUG_MAX
    assert title.lower().replace("-", " ").startswith(slug.replace("-", " "))


def test_seed_slugs_are_valid_and_unique() -> None:
    entries, _ = parse_dump(SEED.read_text(encoding="utf-8"), SEED.name)
    slugs = [slugify(e.title) for e in entries]
    assert len(set(slugs)) == SEED_PAPERS
    for slug in slugs:
        assert SLUG_RE.match(slug), slug
        assert slug.isascii() and slug == slug.lower()


# Three titles that share their first 72 slug characters, so their slugs collide.
PREFIX = "A Very Long Title About Scalable Parallel Computation on Heterogeneous Clusters"
COLLIDING = [f"{PREFIX} of GPUs", f"{PREFIX} of TPUs", f"{PREFIX} of FPGAs"]
BASE = slugify(COLLIDING[0])


def _entries(titles: list[str]) -> list[DumpEntry]:
    abstract = "An abstract long enough to be one, about computation on clusters of accelerators and more."
    return [DumpEntry(t, abstract, 2 * i + 1) for i, t in enumerate(titles)]


def _import(papers: Path, titles: list[str]) -> match.ImportReport:
    writes, report, problems = match.plan_import(_entries(titles), papers, "dump.txt", DAY)
    assert problems == []
    for path, text in writes.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return report


def test_collisions_get_numbered_suffixes_in_dump_order(tmp_path: Path) -> None:
    assert {slugify(t) for t in COLLIDING} == {BASE}
    report = _import(tmp_path, COLLIDING)
    assert report.added == [BASE, f"{BASE}-2", f"{BASE}-3"]
    titles = {p.stem: p.read_text(encoding="utf-8").split("\n")[1] for p in tmp_path.iterdir()}
    assert titles[f"{BASE}-2"].endswith("of TPUs")


def test_slugs_are_stable_when_the_dump_changes(tmp_path: Path) -> None:
    _import(tmp_path, COLLIDING)
    before = sorted(p.name for p in tmp_path.iterdir())
    # The first paper leaves the dump and the others come in another order: nobody is renamed.
    report = _import(tmp_path, [COLLIDING[2], COLLIDING[1]])
    assert sorted(report.unchanged) == [f"{BASE}-2", f"{BASE}-3"]
    assert report.added == []
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    # A new colliding title takes the next free number, deterministically.
    report = _import(tmp_path, [*COLLIDING, f"{PREFIX} of ASICs"])
    assert report.added == [f"{BASE}-4"]


def test_a_title_that_differs_only_in_punctuation_is_the_same_paper(tmp_path: Path) -> None:
    _import(tmp_path, ["Non-deep Networks"])
    report = _import(tmp_path, ["Non-Deep Networks."])
    assert report.added == []
    assert report.unchanged == [] and report.updated == ["non-deep-networks"]


def test_the_same_title_twice_in_one_dump_is_a_problem(tmp_path: Path) -> None:
    _writes, report, problems = match.plan_import(
        _entries(["Non-deep Networks", "Non-Deep Networks"]), tmp_path, "dump.txt", DAY
    )
    # Neither is imported: which of the two abstracts is right is not the importer's guess to make.
    assert report.added == []
    assert _writes == {}
    assert [str(p) for p in problems] == [
        "dump.txt:1:1: title 'Non-deep Networks' appears twice in the dump (again on line 3)",
        "dump.txt:3:1: title 'Non-Deep Networks' appears twice in the dump (first on line 1)",
    ]


def test_import_cli_uses_stable_slugs(tmp_path: Path, cli: CliRunner) -> None:
    (tmp_path / "content").mkdir()
    cli(tmp_path, "import", str(SEED), "--added", "2025-01-02")
    names = sorted(p.stem for p in (tmp_path / "content" / "papers").iterdir())
    entries, _ = parse_dump(SEED.read_text(encoding="utf-8"), SEED.name)
    assert names == sorted(slugify(e.title) for e in entries)
