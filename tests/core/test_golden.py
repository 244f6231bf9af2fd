"""Golden files: the docs tree generated from a small fixture list, byte for byte; and determinism.

When the generated output changes on purpose, regenerate the goldens and review the diff:

    make golden        # = REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/core/test_golden.py
"""

from __future__ import annotations

import difflib
import shutil
import time
from pathlib import Path

import pytest

from .conftest import FIXTURES, GOLDEN, CliRunner, make_project

GOLDEN_CONTENT = FIXTURES / "golden-content"
MAX_DIFF_LINES = 80


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, by its relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _diff(rel: str, want: bytes, have: bytes) -> str:
    try:
        a, b = want.decode("utf-8").splitlines(keepends=True), have.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return f"{rel}: binary files differ ({len(want)} and {len(have)} bytes)\n"
    lines = list(difflib.unified_diff(a, b, f"golden/{rel}", f"generated/{rel}"))
    if len(lines) > MAX_DIFF_LINES:
        lines = [*lines[:MAX_DIFF_LINES], f"... {len(lines) - MAX_DIFF_LINES} more diff lines\n"]
    return "".join(lines)


def assert_dirs_equal(golden: Path, generated: Path) -> None:
    """Pelican's assertDirsEqual: the same files with the same bytes, with a unified diff if not."""
    want, have = read_tree(golden), read_tree(generated)
    report: list[str] = []
    missing, extra = sorted(set(want) - set(have)), sorted(set(have) - set(want))
    if missing:
        report.append("missing from the generated tree: " + ", ".join(missing) + "\n")
    if extra:
        report.append("not in the goldens: " + ", ".join(extra) + "\n")
    for rel in sorted(set(want) & set(have)):
        if want[rel] != have[rel]:
            report.append(_diff(rel, want[rel], have[rel]))
    if report:
        pytest.fail(
            "the generated docs tree differs from tests/core/golden/\n"
            + "".join(report)
            + "\nIf the change is intended, run `make golden` and review `git diff tests/core/golden`.",
            pytrace=False,
        )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, cli: CliRunner) -> Path:
    root = make_project(tmp_path_factory.mktemp("golden") / "repo", GOLDEN_CONTENT)
    cli(root, "generate", "--strict")
    return root


def test_docs_tree_matches_the_goldens(generated: Path, regen_golden: bool) -> None:
    if regen_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(generated / "docs", GOLDEN)
        pytest.skip(f"regenerated {GOLDEN}; review it with `git diff {GOLDEN.relative_to(Path.cwd())}`")
    assert GOLDEN.is_dir() and any(GOLDEN.iterdir()), "no goldens yet: run `make golden`"
    assert_dirs_equal(GOLDEN, generated / "docs")


def test_goldens_cover_what_they_should(regen_golden: bool) -> None:
    """The fixture exercises every kind of generated page, so the goldens are worth reviewing."""
    if regen_golden:
        pytest.skip("regenerating")
    files = set(read_tree(GOLDEN))
    papers = {f"papers/{p.name}" for p in (GOLDEN_CONTENT / "papers").iterdir()}
    topics = {"topics/reasoning.md", "topics/verification.md", "topics/quantum.md"}
    assert (
        papers | topics | {"index.md", "papers/index.md", "topics/index.md", "tags.md", "about.md"} <= files
    )
    page = (GOLDEN / "papers" / "program-of-thoughts-prompting.md").read_text(encoding="utf-8")
    assert "The idea in one line: let the model **write a program**" in page  # notes stay Markdown
    tricky = (GOLDEN / "papers" / "f-star-verified-programs.md").read_text(encoding="utf-8")
    assert "x &lt; y" in tricky and "<b>" not in tricky


def test_generate_writes_the_nav_of_the_fixture_topics(generated: Path) -> None:
    nav = (generated / "mkdocs.yml").read_text(encoding="utf-8")
    block = nav[nav.index("# BEGIN topics") : nav.index("# END topics")]
    assert [line.split(": ")[-1] for line in block.splitlines()[1:] if line.strip()] == [
        "topics/reasoning.md",
        "topics/verification.md",
        "topics/quantum.md",
    ]


def test_generating_again_writes_nothing(generated: Path, cli: CliRunner) -> None:
    before = {p: p.stat().st_mtime_ns for p in (generated / "docs").rglob("*")}
    proc = cli(generated, "generate", "--strict", env={"PYTHONHASHSEED": "7"})
    assert {p: p.stat().st_mtime_ns for p in (generated / "docs").rglob("*")} == before
    assert proc.returncode == 0


@pytest.mark.parametrize("content", ["fixture", "shipped"])
def test_output_is_deterministic_across_runs_and_hash_seeds(
    tmp_path: Path, cli: CliRunner, content: str
) -> None:
    """Fresh projects, generated in processes with different hash seeds, give byte-identical trees."""
    seeds = ("0", "1", "4242")
    trees = []
    for seed in seeds:
        root = make_project(tmp_path / f"seed-{seed}", GOLDEN_CONTENT if content == "fixture" else None)
        cli(root, "generate", env={"PYTHONHASHSEED": seed})
        tree = read_tree(root / "docs")
        tree["../mkdocs.yml"] = (root / "mkdocs.yml").read_bytes()
        trees.append(tree)
    assert len(trees[0]) > 10
    for seed, other in zip(seeds[1:], trees[1:], strict=True):
        assert other.keys() == trees[0].keys()
        differing = sorted(rel for rel in trees[0] if trees[0][rel] != other[rel])
        if differing:
            pytest.fail(
                f"output differs between PYTHONHASHSEED=0 and PYTHONHASHSEED={seed}:\n"
                + "".join(_diff(rel, trees[0][rel], other[rel]) for rel in differing[:3]),
                pytrace=False,
            )


def test_no_wall_clock_or_time_zone_in_the_output(tmp_path: Path, cli: CliRunner) -> None:
    """With SOURCE_DATE_EPOCH fixed, runs at other moments and in other time zones agree byte for byte."""
    trees = []
    for tz in ("UTC", "Pacific/Kiritimati"):  # UTC+14: a different calendar day most of the time
        root = make_project(tmp_path / tz.replace("/", "-"), GOLDEN_CONTENT)
        cli(root, "generate", env={"SOURCE_DATE_EPOCH": "1700000000", "TZ": tz})
        trees.append(read_tree(root / "docs"))
        time.sleep(1.1)  # and a different second on the clock
    assert trees[0] == trees[1]
