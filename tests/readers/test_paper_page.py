"""The paper page shows the paper: authors, year, venue and direct links on the card; authors in
the page text (search) and in the lists; papers without an abstract or authors still work."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator import classify, listings, related, render, text
from generator.load import load_content
from generator.model import Link, Paper
from generator.taxonomy import load_taxonomy

from .conftest import ROOT
from .helpers import paper

MANY = (*tuple(f"Author{i} Surname{i}" for i in range(1, 8)), "Illia Polosukhin & <Friends>")


def bare(slug: str, title: str, **fields: object) -> Paper:
    """A paper without an abstract (helpers.paper fills one in)."""
    return dataclasses.replace(paper(slug, title), abstract="", **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("authors", "year", "expected"),
    [
        ((), None, ""),
        ((), 2017, "2017"),
        (("A  One",), None, "A One"),
        (("A", "B"), 2017, "A, B, 2017"),
        (("A", "B", "C"), 2017, "A, B et al., 2017"),
    ],
)
def test_credit_abbreviates_past_two_authors(
    authors: tuple[str, ...], year: int | None, expected: str
) -> None:
    assert text.credit(authors, year) == expected


def test_card_links_go_to_the_paper_with_the_arxiv_pdf_and_no_lookups() -> None:
    p = paper("p", links=(Link("doi", "10.1/x"), Link("arxiv", "1706.03762"), Link("code", "https://c.org")))
    card = render.paper_links(p)
    assert [(link["label"], link["url"]) for link in card] == [
        ("DOI", "https://doi.org/10.1/x"),
        ("arXiv", "https://arxiv.org/abs/1706.03762"),
        ("arXiv PDF", "https://arxiv.org/pdf/1706.03762"),
        ("Code", "https://c.org"),
    ]
    same_pdf = paper(
        "q", links=(Link("pdf", "https://arxiv.org/pdf/1706.03762"), Link("arxiv", "1706.03762"))
    )
    assert [link["label"] for link in render.paper_links(same_pdf)] == ["PDF", "arXiv"]


@pytest.mark.parametrize(
    ("links", "lookup"),
    [
        ((), True),
        ((Link("code", "https://github.com/x/y"),), True),  # code is not the paper
        ((Link("url", "https://x.org"),), False),
        ((Link("doi", "10.1/x"),), False),
        ((Link("arxiv", "2401.00001"),), False),
        ((Link("pdf", "https://x.org/p.pdf"),), False),
    ],
)
def test_lookup_links_only_without_a_link_to_the_paper(links: tuple[Link, ...], lookup: bool) -> None:
    site = _site([paper("p", links=links)])
    assert bool(render.paper_meta(site, site.papers[0])["paper"]["lookup"]) is lookup


def _site(papers: list[Paper]) -> render.Site:
    taxonomy, problems = load_taxonomy(ROOT / "tests/core/fixtures/golden-content/topics.yml", "topics.yml")
    assert taxonomy is not None, problems
    return render.Site(
        papers=tuple(papers),
        taxonomy=taxonomy,
        assignments=classify.classify(papers, taxonomy),
        related=related.find_related(papers),
        site_url="https://example.org/list/",
    )


def test_page_without_abstract_has_no_empty_paragraph_and_a_description() -> None:
    p = bare("no-abstract", "Quantum Things", authors=("Ada Lovelace",), year=1843, venue="Notes")
    site = _site([p, paper("other", "Quantum Other Things")])
    page = render.render_paper(site, p)
    assert "rl-abstract" not in page
    assert '<p class="rl-byline" aria-hidden="true">Ada Lovelace · 1843 · Notes</p>' in page
    assert render.paper_meta(site, p)["description"] == "Ada Lovelace · 1843 · Notes"


def test_byline_holds_every_author_escaped_for_search() -> None:
    p = paper("many", "Many Authors", authors=MANY, year=2017, venue="NeurIPS")
    page = render.render_paper(_site([p]), p)
    (line,) = re.findall(r'<p class="rl-byline"[^>]*>(.*)</p>', page)
    assert line.startswith("Author1 Surname1, Author2 Surname2, ")
    assert line.endswith("Illia Polosukhin &amp; &lt;Friends&gt; · 2017 · NeurIPS")


def test_topic_pages_and_all_papers_show_short_authors_and_year() -> None:
    papers = [
        paper("qa", "Quantum A", authors=MANY, year=2017),
        bare("qb", "Quantum B", year=2020),
        paper("qc", "Quantum C"),
    ]
    site = _site(papers)
    topic = listings.render_topic(site, site.taxonomy.get("quantum"))  # type: ignore[arg-type]
    everything = listings.render_all_papers(site)
    for page in (topic, everything):
        # One list item per paper (generator/templates/_list.html.j2): link, then the short credit.
        credit = "Author1 Surname1, Author2 Surname2 et al., 2017"
        assert f'/papers/qa/">Quantum A</a> · <span class="rl-item__credit">{credit}</span>' in page
        assert '/papers/qb/">Quantum B</a> · <span class="rl-item__credit">2020</span>' in page
        assert re.search(r'/papers/qc/">Quantum C</a>(<| —)', page)  # no authors, no year: no credit



def test_related_and_classify_work_without_abstracts() -> None:
    papers = [
        bare("a", "Surface codes for qubits"),
        bare("b", "Qubits and surface codes at scale"),
        bare("c", "Chain of thought reasoning"),
        bare("d", "Untitled"),
    ]
    near = related.find_related(papers)
    assert near["a"][0] == "b" and near["b"][0] == "a"
    assert near["d"] == ()
    taxonomy, _ = load_taxonomy(ROOT / "tests/core/fixtures/golden-content/topics.yml", "topics.yml")
    assert taxonomy is not None
    topics = {slug: a.topics for slug, a in classify.classify(papers, taxonomy).items()}
    assert topics == {"a": ("quantum",), "b": ("quantum",), "c": ("reasoning",), "d": ()}


class Card(HTMLParser):
    """The text and attributes of the card's authors, venue and links."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.authors = ""
        self.all_authors: list[str] = []
        self.summary = ""
        self.venue = ""
        self.links: list[tuple[str, str]] = []
        self.lookup = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        cls = values.get("class") or ""
        self.stack.append(cls.split()[0] if cls else tag)
        if tag == "li" and "rl-card__all-authors" in self.stack:
            self.all_authors.append("")
        if tag == "a" and "rl-card__links" in self.stack:
            self.links.append((values.get("data-kind") or "", values.get("href") or ""))
        self.lookup = self.lookup or cls == "rl-card__lookup"

    def handle_endtag(self, tag: str) -> None:
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "summary" in self.stack:
            self.summary += data
        elif self.stack and self.stack[-1] == "li" and "rl-card__all-authors" in self.stack:
            self.all_authors[-1] += data
        elif self.stack and self.stack[-1] == "rl-card__authors":
            self.authors += data
        elif self.stack and self.stack[-1] == "rl-card__venue":
            self.venue += data


@pytest.mark.slow
def test_built_card_lists_authors_venue_and_links(tmp_path: Path) -> None:
    """The real theme and `mkdocs build`: the golden fixture plus a paper without an abstract."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "overrides", root / "overrides")
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "tests/core/fixtures/golden-content", root / "content")
    (root / "content/papers/bare-quantum.md").write_text(
        "---\ntitle: A bare quantum paper\nadded: 2025-01-01\n---\n", encoding="utf-8"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "-q", "build"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    content, _ = load_content(root / "content", "content")
    assert content is not None
    attention = next(p for p in content.papers if p.slug == "attention-is-all-you-need")
    card = Card()
    page = (root / "site/papers/attention-is-all-you-need/index.html").read_text(encoding="utf-8")
    card.feed(page)
    assert "<li>Illia Polosukhin &amp; &#34;Friends&#34;</li>" in page
    assert " ".join(card.authors.split()) == ", ".join(attention.authors[:5])
    assert card.all_authors == list(attention.authors)  # 'Illia Polosukhin & "Friends"', unescaped
    assert " ".join(card.summary.split()) == "et al. (all 8 authors)"
    assert card.venue == attention.venue
    assert card.links == [
        ("arxiv", "https://arxiv.org/abs/1706.03762"),
        ("arxiv-pdf", "https://arxiv.org/pdf/1706.03762"),
        ("doi", "https://doi.org/10.5555/3295222.3295349"),
    ]
    assert not card.lookup
    bare_page = (root / "site/papers/bare-quantum/index.html").read_text(encoding="utf-8")
    assert "rl-abstract" not in bare_page and "rl-card__lookup" in bare_page
    assert dt.date(2025, 1, 1).isoformat() in bare_page
