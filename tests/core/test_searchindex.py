"""The search index's records (generator/searchindex.py): what Pagefind is given for each page.

The HTML of a record is read back with Python's HTML parser, the way Pagefind reads it: the
text of the weighted blocks, and the values of the filter, sort and meta elements.
Only topic pages have a filter, `kind: topic` (the search box's topic lookup,
overrides/assets/javascripts/search.js), and nothing is a sort key: the list pages filter and
sort over facets.json, not Pagefind.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from generator import indexing, searchindex
from generator.load import load_content
from generator.model import Assignment, Link, Origin, Paper, Taxonomy, Topic
from generator.progress import Progress
from generator.sitemodel import Site

from ..pagefind_files import fragments
from .conftest import make_project

ORIGIN = Origin("content/papers/x.md")


def topic(tid: str, title: str, description: str = "What the topic is about.") -> Topic:
    return Topic(tid, title, description, (), Origin("content/topics.yml"))


TOPICS = (topic("quantum", "Quantum computing"), topic("hw", "Processors, GPUs & memory"))


def paper(slug: str, **fields: object) -> Paper:
    base: dict[str, object] = {"title": slug.replace("-", " ").title(), "added": dt.date(2024, 1, 1)}
    return Paper(slug=slug, origin=ORIGIN, **(base | fields))  # type: ignore[arg-type]


def make_site(*papers: Paper, topics: dict[str, tuple[str, ...]] | None = None) -> Site:
    topics = topics or {}
    assignments = {p.slug: Assignment(p.slug, topics.get(p.slug, ()), (), (), ()) for p in papers}
    taxonomy = Taxonomy(TOPICS, 1.0, 3, 2.0, Origin("content/topics.yml"))
    return Site(tuple(papers), taxonomy, assignments, {p.slug: () for p in papers})


class Read(HTMLParser):
    """What Pagefind takes from a record: text with its weights, filters, sorts, meta."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, float]] = []
        self.filters: dict[str, list[str]] = {}
        self.sort: dict[str, str] = {}
        self.meta: dict[str, str] = {}
        self.ignored = 0
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "data-pagefind-ignore" in attributes:
            self.ignored += 1
        self.stack.append((tag, attributes))
        self.text = ""

    def handle_data(self, data: str) -> None:
        self.text += data

    def handle_endtag(self, tag: str) -> None:
        _, attributes = self.stack.pop()
        if "data-pagefind-ignore" in attributes:
            self.ignored -= 1
        for kind in ("filter", "sort", "meta"):
            key = attributes.get(f"data-pagefind-{kind}")
            if key:
                assert ":" not in key and "[" not in key, f"inline {kind} value: {key}"
                if kind == "filter":
                    self.filters.setdefault(key, []).append(self.text)
                else:
                    (self.sort if kind == "sort" else self.meta)[key] = self.text
        if not self.ignored and tag in ("h1", "p"):
            self.blocks.append((self.text, float(attributes.get("data-pagefind-weight") or 1)))


def one(site: Site, url: str) -> Read:
    found = [r for r in searchindex.records(site) if r.url == url]
    assert len(found) == 1, url
    return Read(searchindex.record_html(found[0]))


def test_a_paper_record_holds_its_text_kind_and_meta() -> None:
    p = paper(
        "riscv-cores",
        title="RISC-V <cores> & GPT-3.5",
        authors=("Ada Lovelace", "Alan Turing", "Grace Hopper"),
        year=2023,
        abstract="We   study\nvector units.",
        notes="A *favourite*: see [the code](https://example.org).",
        tags=("hardware", "a, b: c"),
        links=(Link("code", "https://github.com/x/y"), Link("arxiv", "2301.00001")),
        status="essential",
    )
    rec = one(make_site(p, topics={"riscv-cores": ("hw", "quantum")}), "papers/riscv-cores/")
    assert rec.blocks[0] == ("RISC-V <cores> & GPT-3.5", searchindex.TITLE_WEIGHT)
    assert max(w for _, w in rec.blocks[1:]) < searchindex.TITLE_WEIGHT
    texts = [t for t, _ in rec.blocks]
    assert "Ada Lovelace, Alan Turing, Grace Hopper" in texts
    assert "Processors, GPUs & memory, Quantum computing" in texts
    assert "We study vector units." in texts
    assert "A favourite: see the code." in texts
    assert "hardware, a, b: c" in texts  # the tags are words, not filters
    assert rec.filters == {}
    assert rec.sort == {}
    assert rec.meta == {
        "title": "RISC-V <cores> & GPT-3.5",
        "topics": "Processors, GPUs & memory · Quantum computing",
        "year": "2023",
        "authors": "Ada Lovelace, Alan Turing et al., 2023",
        "summary": "We study vector units.",
    }


def test_unknown_fields_leave_no_empty_meta() -> None:
    rec = one(make_site(paper("bare")), "papers/bare/")
    assert rec.filters == {}
    assert rec.sort == {}
    assert set(rec.meta) == {"title"}
    assert [t for t, _ in rec.blocks] == ["Bare"]


def test_topic_pages_are_records_and_list_pages_are_not() -> None:
    site = make_site(paper("a"))
    urls = [r.url for r in searchindex.records(site)]
    assert urls == ["papers/a/", "topics/quantum/", "topics/hw/"]
    rec = one(site, "topics/hw/")
    assert rec.blocks == [
        ("Processors, GPUs & memory", searchindex.TITLE_WEIGHT),
        ("What the topic is about.", searchindex.TEXT_WEIGHT),
    ]
    assert rec.filters == {"kind": ["topic"]}
    assert rec.sort == {}
    assert rec.meta == {"title": "Processors, GPUs & memory", "summary": "What the topic is about."}


@pytest.mark.parametrize(
    "notes, expected",
    [
        ("", ""),
        ("Plain words, no markup.", "Plain words, no markup."),
        ("**Bold** and `code` and <em>em</em>", "Bold and code and em"),
        ("Read [this](https://x.org) &amp; that", "Read this & that"),
        ("<script>alert(1)</script> kept out", "kept out"),
        ("- one\n- two\n\n# Head\npara", "one two Head para"),
        ("a &lt;b&gt; \\* c", "a <b> * c"),
    ],
)
def test_notes_become_plain_text(notes: str, expected: str) -> None:
    assert searchindex.notes_text(notes) == expected


def test_markup_in_any_field_stays_text() -> None:
    hostile = '</h1><script>alert(1)</script><p data-pagefind-filter="kind">topic'
    p = paper("h", title=hostile, abstract=hostile, authors=(hostile,), tags=(hostile,))
    rec = one(make_site(p), "papers/h/")
    assert rec.filters == {}
    assert (hostile, searchindex.TAGS_WEIGHT) in rec.blocks
    assert rec.meta["title"] == hostile
    assert rec.blocks[0] == (hostile, searchindex.TITLE_WEIGHT)


def test_the_summary_field_wins_over_the_abstract_when_the_model_has_one() -> None:
    p = paper("s", abstract="word " * 100)
    assert searchindex.summary(p).endswith("…") and len(searchindex.summary(p)) <= searchindex.SUMMARY_LIMIT
    if "summary" in Paper.__dataclass_fields__:
        with_own = paper("s", abstract="word " * 100, summary="Short.")
        assert searchindex.summary(with_own) == "Short."


def test_build_indexes_every_paper_and_topic_page(shipped_site: Path) -> None:
    """`build` writes site/pagefind/ with one page per paper page and topic page, no more."""
    content, _ = load_content(shipped_site / "content")
    assert content is not None
    entry = json.loads(
        (shipped_site / "site" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    )
    assert entry["languages"]["en"]["page_count"] == len(content.papers) + len(content.taxonomy.topics)
    assert list(entry["languages"]) == ["en"]
    # What Pagefind kept of each page: `kind: topic` on topic pages is the only filter.
    for url, record in fragments(shipped_site / "site").items():
        assert record["filters"] == ({"kind": ["topic"]} if url.startswith("/topics/") else {}), url


def test_no_pagefind_setting_of_the_project_or_the_caller_changes_the_index(tmp_path: Path, cli: Any) -> None:
    """Pagefind's command reads pagefind.yml in the folder it runs in and PAGEFIND_* variables:
    a contributor's pagefind.yml at the project root, or a caller's variables, must not narrow
    the index (or send it elsewhere)."""
    root = make_project(tmp_path / "repo")
    clean = tmp_path / "clean"
    shutil.copytree(root, clean)
    cli(clean, "build")
    (root / "pagefind.yml").write_text(
        'glob: "nothing/**/*.html"\noutput_subdir: ../../stolen\n', encoding="utf-8"
    )
    (root / "content" / "pagefind.yml").write_text('exclude_selectors: ["h1", "p"]\n', encoding="utf-8")
    env = {
        "PAGEFIND_GLOB": "nothing/**/*.html",
        "PAGEFIND_EXCLUDE_SELECTORS": "h1,p",
        "PAGEFIND_FORCE_LANGUAGE": "de",
    }
    cli(root, "build", env=env)
    assert fragments(root / "site") == fragments(clean / "site")
    assert _entry(root)["languages"].keys() == {"en"}
    assert _files(root / "site" / "pagefind") == _files(clean / "site" / "pagefind")
    assert not (tmp_path / "stolen").exists()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _entry(root: Path) -> Any:
    return json.loads((root / "site" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))


def test_a_failing_indexer_leaves_the_old_site_whole(tmp_path: Path, cli: Any) -> None:
    root = make_project(tmp_path / "repo")
    cli(root, "build")
    before = sorted(p.relative_to(root / "site") for p in (root / "site").rglob("*"))
    stamp = (root / "site" / "pagefind" / "pagefind-entry.json").read_bytes()
    (root / "content" / "papers" / "zz-new.md").write_text(
        "---\ntitle: A new paper on quantum error correction\nadded: 2030-01-01\n---\n", encoding="utf-8"
    )
    proc = cli(root, "build", env={"PAGEFIND_BINARY_PATH": str(tmp_path / "no-such-pagefind")}, check=False)
    assert proc.returncode != 0
    assert "search index" in proc.stderr and "site/ is unchanged" in proc.stderr, proc.stderr
    assert sorted(p.relative_to(root / "site") for p in (root / "site").rglob("*")) == before
    assert (root / "site" / "pagefind" / "pagefind-entry.json").read_bytes() == stamp
    assert not list(root.glob(".site.*")), "a half-built site was left beside site/"


def test_the_whole_index_has_one_filter_value() -> None:
    """Pagefind writes the values of a filter in an order that changes from run to run (two
    values gave two different indexes of the same pages); with one value there is one order."""
    papers = [paper(f"p{i}", tags=("t",), status="essential") for i in range(5)]
    records = searchindex.records(make_site(*papers, topics={"p0": ("hw",)}))
    values = {(key, v) for r in records for key, vs in r.filters for v in vs}
    assert values == {("kind", "topic")}


def test_the_index_is_byte_identical_from_run_to_run(tmp_path: Path) -> None:
    papers = [
        paper(f"paper-{i}", abstract=f"Words of paper {i} on qubits and caches.", year=2000 + i, tags=("t",))
        for i in range(40)
    ]
    site = make_site(
        *papers, topics={p.slug: ("quantum",) if i % 2 else ("hw",) for i, p in enumerate(papers)}
    )
    documents = [(r.url, searchindex.record_html(r)) for r in searchindex.records(site)]
    built = []
    for run in range(4):
        (tmp_path / str(run)).mkdir()
        indexing.write_search_index(documents, tmp_path / str(run), Progress(quiet=True))
        folder = tmp_path / str(run) / indexing.SEARCH_DIR
        built.append(
            {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
        )
    assert any(name.startswith("filter/") for name in built[0])
    assert all(b == built[0] for b in built[1:])
