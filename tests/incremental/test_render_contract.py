"""What each kind of output may read: the assumptions the memo's keys rest on (incremental/memo.py).

The cache renders list files again only when some front matter, the taxonomy,
a page or the site settings change; papers.json also when related papers
change; a paper page when its own file, that "catalogue" or its own related
list changes.  Each test breaks what an output must not read and checks that
the output does not move (or that rendering does not touch it at all).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from generator.classify import classify
from generator.load import load_content
from generator.related import find_related
from generator.render import Site, list_paths, render_list_files, render_paper, render_papers_json


class Untouchable(Mapping[str, tuple[str, ...]]):
    """Related papers that fail the test when read, except for `allowed` slugs."""

    def __init__(self, real: Mapping[str, tuple[str, ...]], allowed: frozenset[str] = frozenset()) -> None:
        self.real = real
        self.allowed = allowed

    def __getitem__(self, slug: str) -> tuple[str, ...]:
        if slug not in self.allowed:
            raise AssertionError(f"read the related papers of {slug}")
        return self.real[slug]

    def __iter__(self) -> Iterator[str]:
        raise AssertionError("listed every paper's related papers")

    def __len__(self) -> int:
        raise AssertionError("counted every paper's related papers")


@pytest.fixture(scope="module")
def site(template_project: Path) -> Site:
    content, problems = load_content(template_project / "content", "content")
    assert content is not None, problems
    assignments = classify(content.papers, content.taxonomy)
    related = find_related(content.papers)
    return Site(
        content.papers,
        content.taxonomy,
        assignments,
        related,
        content.pages,
        site_url="https://example.org/list/",
        site_name="List",
    )


def renoted(site: Site, keep: str = "") -> Site:
    """`site` with different notes on every paper but `keep`."""
    papers = tuple(
        p if p.slug == keep else dataclasses.replace(p, notes=f"Other notes on {p.slug}.")
        for p in site.papers
    )
    return dataclasses.replace(site, papers=papers)


def test_the_list_files_read_neither_notes_nor_related_papers(site: Site) -> None:
    files = render_list_files(dataclasses.replace(site, related=Untouchable(site.related)))
    assert render_list_files(renoted(site)) == files


def test_papers_json_reads_no_notes(site: Site) -> None:
    assert render_papers_json(renoted(site)) == render_papers_json(site)


def test_the_list_paths_are_the_files_render_list_files_makes(site: Site) -> None:
    assert sorted(list_paths(site)) == sorted(render_list_files(site))


def test_a_paper_page_reads_only_its_own_notes_and_related_papers(site: Site) -> None:
    for paper in site.papers[:: max(1, len(site.papers) // 10)]:
        page = render_paper(site, paper)
        guarded = dataclasses.replace(
            renoted(site, keep=paper.slug), related=Untouchable(site.related, frozenset([paper.slug]))
        )
        own = next(p for p in guarded.papers if p.slug == paper.slug)
        assert render_paper(guarded, own) == page
