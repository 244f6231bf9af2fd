"""`build` keeps the Pagefind index it built before when the pages it indexes did not change
(generator/indexing.py, write_search_index's `reuse`), and rebuilds it whenever they or the old
index did.  Pagefind is made unrunnable (PAGEFIND_BINARY_PATH names no program) where it must
not run: a build that ran it would fail."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from ..cli import run_generator
from ..pagefind_files import fragments
from .conftest import cli_env, paper, write

NO_PAGEFIND = {"PAGEFIND_BINARY_PATH": "/nonexistent/pagefind"}
#: The stage line of each outcome (generator/progress.py prints `stage: detail (seconds)`).
KEPT = re.compile(r"^search index: \d+ pages, unchanged: the index built before is kept \(", re.MULTILINE)
INDEXED = re.compile(r"^search index: \d+ pages indexed \(", re.MULTILINE)


def index(root: Path) -> dict[str, bytes]:
    folder = root / "site" / "pagefind"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def build(root: Path, env: dict[str, str] | None = None) -> str:
    proc = run_generator(root, "build", "--strict", env=cli_env() | (env or {}), quiet=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


def fragments_text(root: Path) -> str:
    return " ".join(
        gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
        for p in (root / "site" / "pagefind" / "fragment").glob("*.pf_fragment")
    )


@pytest.mark.parametrize("change", ["nothing", "theme"])
def test_a_build_whose_indexed_pages_did_not_change_keeps_the_index(project: Path, change: str) -> None:
    before = index(project)
    assert before and any(name.startswith("fragment/") for name in before)
    if change == "theme":  # the site changes, the records do not
        write(project / "overrides/partials/comments.html", "<p class='rl-test-theme'>theme edit</p>\n")

    stderr = build(project, NO_PAGEFIND)

    assert KEPT.search(stderr), stderr
    assert index(project) == before
    if change == "theme":
        assert "rl-test-theme" in (project / "site/papers/qubits/index.html").read_text(encoding="utf-8")


def test_a_changed_paper_rebuilds_the_index(project: Path) -> None:
    write(project / "content/papers/qubits.md", paper("Qubits", body="Notes on zyxwvutsrq codes.\n"))
    proc = run_generator(project, "build", "--strict", env=cli_env() | NO_PAGEFIND, quiet=False)
    assert proc.returncode == 1 and "Pagefind" in proc.stderr  # it had to run Pagefind
    assert "zyxwvutsrq" not in fragments_text(project)  # and left site/ as it was

    assert INDEXED.search(build(project))
    assert "zyxwvutsrq" in fragments_text(project)
    assert KEPT.search(build(project, NO_PAGEFIND))  # the new stamp holds


TAMPERS = ["delete a file", "edit a file", "add a file", "lose the stamp", "bad stamp"]


@pytest.mark.parametrize("tamper", TAMPERS)
def test_an_index_not_as_it_was_written_is_rebuilt(project: Path, tamper: str) -> None:
    before = fragments(project / "site")
    folder = project / "site" / "pagefind"
    fragment = next(folder.glob("fragment/*.pf_fragment"))
    stamp = project / ".cache" / "search-index.json"
    assert stamp.is_file()
    if tamper == "delete a file":
        fragment.unlink()
    elif tamper == "edit a file":
        fragment.write_bytes(fragment.read_bytes() + b"\0")
    elif tamper == "add a file":
        (folder / "extra.js").write_text("alert(1)\n", encoding="utf-8")
    elif tamper == "lose the stamp":
        stamp.unlink()
    else:
        stamp.write_text("[not, the stamp", encoding="utf-8")

    proc = run_generator(project, "build", "--strict", env=cli_env() | NO_PAGEFIND, quiet=False)
    assert proc.returncode == 1 and "Pagefind" in proc.stderr

    assert INDEXED.search(build(project))  # a new index (Pagefind's file names differ run to run)
    assert fragments(project / "site") == before
    assert "extra.js" not in index(project)
