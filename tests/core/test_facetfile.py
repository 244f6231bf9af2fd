"""The list pages' facet file (generator/facetfile.py) and the Pagefind ids beside it.

facets.json is what the filters of the list pages filter, sort and count in the browser: every
paper once, each value it refers to present, in a deterministic order; the ids file maps the
search index's pages to its rows (read from a real Pagefind index).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest

from generator import facetfile, searchindex
from generator.indexing import write_search_index
from generator.model import Link, Paper
from generator.progress import Progress
from generator.sitemodel import Site, sort_papers
from generator.slugs import slugify

from .test_searchindex import TOPICS, make_site, paper

Row = dict[str, Any]


def papers() -> list[Paper]:
    """A list with what the file must carry: LaTeX titles, ties, missing values, odd tags."""
    return [
        paper(
            "riscv",
            title="RISC-V \\& the $\\alpha$ cores",
            authors=("Ada Lovelace", "Alan Turing", "Grace Hopper"),
            year=2023,
            status="essential",
            tags=("hardware", 'a "quoted" \\ tag'),
            links=(Link("code", "https://example.org/c"), Link("data", "https://example.org/d")),
            summary="  The   curator's\nsummary. ",
        ),
        paper("b-same-day", title="beta", added=dt.date(2024, 5, 1), tags=("hardware",)),
        paper("a-same-day", title="Beta", added=dt.date(2024, 5, 1), year=1999),
        paper("no-topics", title="Zeta", links=(Link("data", "https://example.org/z"),), status="to-read"),
        paper("its-title-5-0", title="Its title: 5.0!", added=dt.date(2023, 1, 1)),
    ]


def site_of(ps: list[Paper]) -> Site:
    topics = {"riscv": ("hw", "quantum"), "b-same-day": ("quantum",), "a-same-day": ("hw",)}
    return make_site(*ps, topics=topics)


def read(text: str) -> tuple[dict[str, Any], list[Row]]:
    """The file's rows as dicts, each slug worked out where the file leaves it out."""
    doc = json.loads(text)
    rows = [dict(zip(doc["fields"], row, strict=True)) for row in doc["papers"]]
    for row in rows:
        row["slug"] = row["slug"] or facetfile.ascii_slug(row["title"])
    return doc, rows


def test_every_paper_once_in_title_order_with_ids_that_resolve() -> None:
    site = site_of(papers())
    doc, rows = read(facetfile.render_facets(site))
    # By title, then slug; a slug that is the title's own is left out
    assert [r["slug"] for r in rows] == ["a-same-day", "b-same-day", "its-title-5-0", "riscv", "no-topics"]
    assert [row[0] for row in doc["papers"]] == ["a-same-day", "b-same-day", "", "riscv", "no-topics"]
    assert doc["topics"] == [t.id for t in TOPICS]
    by_slug = {r["slug"]: r for r in rows}
    for p in site.papers:
        row = by_slug[p.slug]
        assert [doc["topics"][i] for i in row["topics"]] == [t.id for t in site.topics_of(p)]
        assert sorted(doc["tags"][i] for i in row["tags"]) == sorted(p.tags)
        assert (doc["statuses"][row["status"]] if row["status"] >= 0 else None) == p.status
        assert [k for i, k in enumerate(doc["has"]) if row["has"] & (1 << i)] == [
            k for k in ("code", "data") if p.link(k)
        ]
        assert row["year"] == (p.year or 0)
        assert dt.date(1970, 1, 1) + dt.timedelta(days=row["date"]) == p.added
    # added: the topic pages' order, newest first, then by title
    assert sorted(rows, key=lambda r: r["added"]) == [by_slug[p.slug] for p in sort_papers(site.papers)]
    riscv = by_slug["riscv"]
    assert riscv["title"] == searchindex.paper_record(site, site.by_slug["riscv"]).title
    assert riscv["authors"] == "Ada Lovelace, Alan Turing et al."
    assert riscv["summary"] == "The curator's summary."
    assert by_slug["no-topics"]["topics"] == [] and by_slug["no-topics"]["authors"] == ""


def test_the_file_is_the_same_whatever_order_the_papers_come_in() -> None:
    ps = papers()
    first = facetfile.render_facets(site_of(ps))
    for seed in range(3):
        random.Random(seed).shuffle(ps)
        assert facetfile.render_facets(site_of(ps)) == first
    lines = first.splitlines()
    assert len(lines) == 1 + 1 + len(ps) + 1, "one paper a line"
    assert json.loads(first)["key"] == facetfile.slugs_key(r["slug"] for r in read(first)[1])


def test_a_list_without_papers_writes_a_file_with_none() -> None:
    doc, rows = read(facetfile.render_facets(make_site()))
    assert rows == [] and doc["tags"] == [] and doc["statuses"] == []


def test_the_search_ids_name_each_papers_page_in_a_real_pagefind_index(tmp_path: Path) -> None:
    site = site_of(papers())
    folder = tmp_path / "site"
    folder.mkdir()
    facets = facetfile.render_facets(site)
    (folder / facetfile.FACETS_FILE).write_text(facets, encoding="utf-8")
    documents = [(r.url, searchindex.record_html(r)) for r in searchindex.records(site)]
    write_search_index(documents, folder, Progress(quiet=True))
    ids = json.loads((folder / facetfile.SEARCH_IDS_FILE).read_text(encoding="utf-8"))
    doc, rows = read(facets)
    assert ids["key"] == doc["key"] and len(ids["ids"]) == len(rows)
    assert len(set(ids["ids"])) == len(rows) and all(ids["ids"])
    fragments = folder / "pagefind" / "fragment"
    for row, page_id in zip(rows, ids["ids"], strict=True):
        url = facetfile._url_of_fragment((fragments / f"{page_id}.pf_fragment").read_bytes())
        assert url == f"/papers/{row['slug']}/"


@pytest.mark.parametrize("data", [b"", b"not gzip", b"\x1f\x8b\x08\x00broken"])
def test_a_broken_fragment_names_no_page(data: bytes) -> None:
    assert facetfile._url_of_fragment(data) is None


def test_a_paper_the_index_lacks_gets_no_id(tmp_path: Path) -> None:
    facets = facetfile.render_facets(site_of(papers()))
    (tmp_path / "fragment").mkdir()
    ids = json.loads(facetfile.search_ids(facets, tmp_path / "fragment"))
    assert ids["ids"] == [""] * 5


@pytest.mark.parametrize(
    "title",
    ["Attention Is All You Need", "  --A/B: C++ & 'x'!  ", "?!", "Word " * 30, "x" * 80, "Tiny-" + "y" * 80],
)
def test_the_slug_left_out_is_what_slugify_makes_of_an_ascii_title(title: str) -> None:
    assert facetfile.ascii_slug(title) == slugify(title)


def test_a_title_with_other_letters_keeps_its_slug() -> None:
    assert facetfile.ascii_slug("Straße λ") is None


def test_the_file_reads_neither_notes_nor_related_papers() -> None:
    """Its memo key is the catalogue (front matter, taxonomy), as the list files' (incremental)."""
    from tests.incremental.test_render_contract import Untouchable

    site = site_of(papers())
    renoted = dataclasses.replace(
        site,
        papers=tuple(dataclasses.replace(p, notes=f"Other notes on {p.slug}.") for p in site.papers),
        related=Untouchable(site.related),
    )
    assert facetfile.render_facets(renoted) == facetfile.render_facets(site)
