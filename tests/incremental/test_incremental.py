"""Incremental generation gives exactly the output of a cold build, and touches only what changed.

Every `generate` here runs in its own process, as a curator's would, so what
carries over from one run to the next is only what .cache/generator/ holds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.pipeline import Project, generate
from generator.progress import Progress

from .conftest import ROOT, Run

#: A file of the output as found on disk: its bytes, its mtime and inode.
Snapshot = dict[str, tuple[bytes, int, int]]


def snapshot(root: Path) -> Snapshot:
    """docs/ and mkdocs.yml: what `generate` writes."""
    out: Snapshot = {}
    paths = [p for p in (root / "docs").rglob("*") if p.is_file()] + [root / "mkdocs.yml"]
    for path in paths:
        st = path.stat()
        out[path.relative_to(root).as_posix()] = (path.read_bytes(), st.st_mtime_ns, st.st_ino)
    return out


def contents(snap: Snapshot) -> dict[str, bytes]:
    return {rel: data for rel, (data, _, _) in snap.items()}


def copy_inputs(project: Path, dest: Path) -> Path:
    """A new project at `dest` with the inputs of `project` only: no docs/, no cache."""
    dest.mkdir()
    for name in ("content", "overrides"):
        shutil.copytree(project / name, dest / name)
    shutil.copy2(project / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def cold_build(project: Path, dest: Path, run: Run) -> dict[str, bytes]:
    """Generate a copy of `project`'s inputs from scratch."""
    run(copy_inputs(project, dest), "generate")
    return contents(snapshot(dest))


@pytest.fixture(scope="session")
def generated(template_project: Path, tmp_path_factory: pytest.TempPathFactory, run: Run) -> Path:
    """The synthetic project after one generate: docs/ and the cache are in place."""
    dest = tmp_path_factory.mktemp("generated") / "project"
    shutil.copytree(template_project, dest)
    run(dest, "generate")
    return dest


@pytest.fixture
def warm(generated: Path, tmp_path: Path, run: Run) -> Path:
    """A copy of the generated project, mtimes and all, so its cache still describes its docs/."""
    dest = tmp_path / "warm"
    shutil.copytree(generated, dest, symlinks=True)
    # A copy has new inodes and change times: one run makes the memo describe it again.
    run(dest, "generate")
    return dest


def most_related(root: Path) -> str:
    """The slug of the paper that most other papers list as related."""
    papers = json.loads((root / "docs" / "papers.json").read_text(encoding="utf-8"))["papers"]
    counts: dict[str, int] = {}
    for paper in papers:
        for slug in paper["related"]:
            counts[slug] = counts.get(slug, 0) + 1
    return max(sorted(counts), key=counts.__getitem__)


def paper_file(root: Path, slug: str) -> Path:
    return root / "content" / "papers" / f"{slug}.md"


def edit_notes(root: Path) -> str:
    """Add notes to a much-related paper, with words of another paper so related lists move."""
    slug = most_related(root)
    other = sorted((root / "content" / "papers").iterdir())[3].read_text(encoding="utf-8")
    words = re.search(r"^title: (.*)$", other, re.MULTILINE)
    assert words is not None
    with paper_file(root, slug).open("a", encoding="utf-8") as f:
        f.write(f"\nCompare with {words.group(1)}: the same kernels, benchmarks and proofs.\n")
    return slug


def edit_front_matter(path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.safe_load(head)
    change(meta)
    text = "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100) + "---\n" + body
    path.write_text(text, "utf-8")


def edit_title(root: Path) -> None:
    edit_front_matter(paper_file(root, most_related(root)), lambda m: m.update(title="A Wholly New Title"))


def edit_abstract(root: Path) -> None:
    def change(meta: dict[str, Any]) -> None:
        meta["abstract"] = "Quantum circuits for theorem proving. " + meta["abstract"]

    edit_front_matter(paper_file(root, most_related(root)), change)


def add_paper(root: Path) -> None:
    source = sorted((root / "content" / "papers").iterdir())[7].read_text(encoding="utf-8")
    meta = yaml.safe_load(source.split("---\n")[1])
    fields = {"title": "An Entirely Added Paper", "added": "2026-01-02", "abstract": meta["abstract"]}
    text = "---\n" + yaml.safe_dump(fields, sort_keys=False, width=100) + "---\n"
    (root / "content" / "papers" / "an-entirely-added-paper.md").write_text(text, "utf-8")


def delete_paper(root: Path) -> None:
    paper_file(root, most_related(root)).unlink()


def edit_taxonomy(root: Path) -> None:
    path = root / "content" / "topics.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("threshold: 4", "threshold: 6", 1), "utf-8")


def edit_page(root: Path) -> None:
    with (root / "content" / "pages" / "about.md").open("a", encoding="utf-8") as f:
        f.write("\nOne more sentence about this list.\n")


def edit_site_name(root: Path) -> None:
    path = root / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^site_name: .*$", "site_name: Renamed List", text, count=1, flags=re.M), "utf-8")


def edit_docs_by_hand(root: Path) -> None:
    page = root / "docs" / "papers" / f"{most_related(root)}.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nscribbled\n", "utf-8")
    (root / "docs" / "stray.md").write_text("# not generated\n", "utf-8")


CACHE = Path(".cache") / "generator"


def damage_cache(root: Path) -> None:
    for path in (root / CACHE).iterdir():
        path.write_bytes(b"not a pickle")
    edit_notes(root)


def cache_as_folders(root: Path) -> None:
    """A folder where each cache file should be (left by a killed run, or by hand)."""
    for path in (root / CACHE).iterdir():
        path.unlink()
        (path / "inside").mkdir(parents=True)
    edit_notes(root)


def docs_edited_keeping_size_and_mtime(root: Path) -> None:
    page = root / "docs" / "papers" / f"{most_related(root)}.md"
    st = page.stat()
    data = bytearray(page.read_bytes())
    data[-2:-1] = b"X" if data[-2:-1] != b"X" else b"Y"
    page.write_bytes(bytes(data))
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert page.stat().st_size == st.st_size and page.stat().st_mtime_ns == st.st_mtime_ns


def leftovers_of_a_killed_run(root: Path) -> None:
    (root / "docs" / "papers" / ".stray.md.1234.tmp").write_text("half", "utf-8")
    (root / ".docs.new-abc123" / "papers").mkdir(parents=True)
    (root / ".site.old-xyz").mkdir()
    edit_notes(root)


EDITS: dict[str, Callable[[Path], object]] = {
    "notes": edit_notes,
    "title": edit_title,
    "abstract": edit_abstract,
    "add paper": add_paper,
    "delete paper": delete_paper,
    "taxonomy": edit_taxonomy,
    "page": edit_page,
    "site name": edit_site_name,
    "docs edited by hand": edit_docs_by_hand,
    "damaged cache": damage_cache,
    "cache files replaced by folders": cache_as_folders,
    "docs edited keeping size and mtime": docs_edited_keeping_size_and_mtime,
    "leftovers of a killed run": leftovers_of_a_killed_run,
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_incremental_output_equals_cold_build(
    edit: Callable[[Path], object], warm: Path, tmp_path: Path, run: Run
) -> None:
    before = contents(snapshot(warm))
    edit(warm)
    run(warm, "generate")
    after = contents(snapshot(warm))
    assert after == cold_build(warm, tmp_path / "cold", run)
    if edit in (edit_docs_by_hand, docs_edited_keeping_size_and_mtime):
        assert after == before  # put back as generated, the stray file removed
    else:
        assert after != before, "the edit should change the output, or this test shows nothing"


def test_unchanged_rerun_writes_nothing(warm: Path, run: Run) -> None:
    before = snapshot(warm)
    proc = run(warm, "generate")
    assert snapshot(warm) == before  # bytes, mtimes and inodes
    assert "nothing changed" in proc.stderr
    assert "render" not in proc.stderr  # it stopped after the scan


def test_notes_edit_rewrites_only_the_files_that_change(warm: Path, run: Run) -> None:
    before = snapshot(warm)
    slug = edit_notes(warm)
    proc = run(warm, "generate")
    after = snapshot(warm)
    assert after.keys() == before.keys()
    changed = {rel for rel in after if after[rel][0] != before[rel][0]}
    touched = {rel for rel in after if after[rel][1:] != before[rel][1:]}
    assert touched == changed
    # Only the page shows the notes: related papers are computed without them, and list
    # pages, feeds and exports show no notes.
    assert changed == {f"docs/papers/{slug}.md"}
    assert "write: 1 written, 0 deleted" in proc.stderr
    # Nothing else was even rendered.
    assert re.search(r"^render: 1 of \d+ files", proc.stderr, re.MULTILINE), proc.stderr
    assert "related: as the last run found them" in proc.stderr  # related papers not computed again


def test_a_change_of_generator_code_invalidates_the_cache(warm: Path, tmp_path: Path, run: Run) -> None:
    """A changed template changes every page it renders, though no content changed."""
    package = tmp_path / "code"
    shutil.copytree(ROOT / "generator", package / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    template = package / "generator" / "templates" / "paper.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\nChanged template.\n", "utf-8")

    def run_copy(root: Path, *args: str) -> None:
        env = dict(os.environ, SOURCE_DATE_EPOCH="0", PYTHONPATH=str(package))
        subprocess.run(
            [sys.executable, "-m", "generator", "--root", str(root), *args],
            cwd=package,
            env=env,
            check=True,
            capture_output=True,
        )

    run_copy(warm, "generate")
    after = contents(snapshot(warm))
    assert after[f"docs/papers/{most_related(warm)}.md"].endswith(b"Changed template.\n")
    cold = copy_inputs(warm, tmp_path / "cold")
    run_copy(cold, "generate")
    assert after == contents(snapshot(cold))


def test_a_cache_from_elsewhere_is_never_trusted(warm: Path, tmp_path: Path) -> None:
    """A cache committed by a pull request or copied from another machine is signed with another
    key: it is ignored (its pickles are never loaded), and the run does the whole work."""
    before = contents(snapshot(warm))
    env = dict(os.environ, SOURCE_DATE_EPOCH="0", XDG_CACHE_HOME=str(tmp_path / "other-user"))
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(warm), "generate"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "nothing changed" not in proc.stderr
    assert "related: computed" in proc.stderr
    assert contents(snapshot(warm)) == before


def test_validate_with_the_cache_reports_what_validate_without_it_reports(
    warm: Path, tmp_path: Path, run: Run
) -> None:
    papers = sorted((warm / "content" / "papers").iterdir())
    edit_front_matter(papers[5], lambda m: m.update(year="twenty"))  # an error
    edit_front_matter(papers[9], lambda m: m.update(abstract="Too short to be an abstract."))  # a warning
    cached = run(warm, "validate", check=False)
    fresh = run(copy_inputs(warm, tmp_path / "cold"), "validate", check=False)
    assert cached.returncode == fresh.returncode == 1

    def problems(stderr: str) -> list[str]:
        return [line for line in stderr.splitlines() if line.startswith("content/")]

    assert problems(cached.stderr) == problems(fresh.stderr)
    assert any("year" in line for line in problems(fresh.stderr))
    assert any("abstract" in line for line in problems(fresh.stderr))


def test_generate_without_the_memo_gives_the_same_output_and_keeps_nothing(
    project: Path, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    generate(Project(project), Progress(quiet=True))
    assert not (project / CACHE).exists()
    assert contents(snapshot(project)) == cold_build(project, tmp_path / "cached", run)


def test_a_notes_edit_writes_the_small_state_not_the_records(warm: Path, run: Run) -> None:
    folder = warm / CACHE
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    edit_notes(warm)
    run(warm, "generate")
    after = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert {name for name in after if after[name] != before.get(name)} == {"state"}


def test_checks_across_papers_run_again_when_a_paper_joins_them(warm: Path, run: Run) -> None:
    """The checks across papers are kept from the last run; a new paper must bring them back.

    A copy of a paper whose notes are refused fails on its notes alone; once they are fixed
    it joins the checks across papers and is reported as a duplicate, as a cold run does."""
    source = paper_file(warm, most_related(warm))
    copy = warm / "content" / "papers" / "a-copy-of-that-paper.md"
    copy.write_text(source.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n", "utf-8")
    first = run(warm, "generate", check=False)
    assert first.returncode == 1
    assert "a-copy-of-that-paper.md" in first.stderr and "the same paper as" not in first.stderr
    copy.write_text(source.read_text(encoding="utf-8") + "\nFixed notes.\n", "utf-8")
    second = run(warm, "generate", check=False)
    assert second.returncode == 1
    problems = [line for line in second.stderr.splitlines() if line.startswith("content/")]
    assert (
        len(problems) == 1 and "the same paper as" in problems[0] and "a-copy-of-that-paper.md" in problems[0]
    )
    cold = run(copy_inputs(warm, warm.parent / "cold"), "validate", check=False)
    assert [line for line in cold.stderr.splitlines() if line.startswith("content/")] == problems


def test_a_run_pauses_the_cycle_collector_and_restores_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stages run without cycle collection (a notes edit: 0.2 s of 1.4 at 10,000 papers), and the
    process gets its collector back afterwards, also when the content is refused."""
    import gc

    import generator.pipeline as pipeline
    from generator.render import render_site

    seen: list[bool] = []

    def spy(site: Any) -> Any:
        seen.append(gc.isenabled())
        return render_site(site)

    monkeypatch.setattr("generator.pipeline.render_site", spy)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert gc.isenabled()
    generate(Project(project), Progress(quiet=True))
    assert seen == [False]
    assert gc.isenabled()

    paper = sorted((project / "content" / "papers").glob("*.md"))[0]
    paper.write_text("---\ntitle: [\n---\n", encoding="utf-8")
    with pytest.raises(pipeline.BuildError):
        generate(Project(project), Progress(quiet=True))
    assert gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(pipeline.BuildError):
            generate(Project(project), Progress(quiet=True))
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
