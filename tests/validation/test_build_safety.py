"""Nothing is lost, nothing is half-written: failed builds keep docs/ and site/, deleted papers go."""

from __future__ import annotations

from pathlib import Path

from .conftest import paper, run_cli, snapshot, write


def aside(root: Path) -> list[str]:
    """Trees built aside or kept for a swap, which a finished run must not leave behind."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith((".docs", ".site")))


def test_a_failed_mkdocs_build_leaves_docs_site_and_mkdocs_yml_as_they_were(project: Path) -> None:
    # Valid content (validate passes) with a theme that MkDocs refuses: a template that does not parse.
    write(project / "content/papers/new-paper.md", paper("A New Paper", body="New notes.\n"))
    assert run_cli(project, "validate", "--strict").returncode == 0
    write(project / "overrides/paper.html", "{% extends 'main.html' %}{% block content %}{% if %}")
    before = snapshot(project)

    proc = run_cli(project, "build", "--strict")

    assert proc.returncode == 1
    assert "mkdocs build --strict failed; site/ is unchanged" in proc.stderr
    assert "Error building page" in proc.stderr
    assert snapshot(project) == before
    assert aside(project) == []


def test_pages_of_deleted_papers_do_not_linger(project: Path) -> None:
    assert (project / "docs/papers/qubits.md").is_file()
    assert (project / "site/papers/qubits/index.html").is_file()
    (project / "content/papers/qubits.md").unlink()

    proc = run_cli(project, "build", "--strict")

    assert proc.returncode == 0, proc.stderr
    assert not (project / "docs/papers/qubits.md").exists()
    assert not (project / "site/papers/qubits").exists()
    assert "qubits" not in (project / "docs/papers.json").read_text(encoding="utf-8")
    assert (project / "site/papers/chain-of-thought/index.html").is_file()
    assert aside(project) == []
