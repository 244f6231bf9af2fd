"""Atom feeds, read back by feedparser: well-formed, newest first, linked to real pages."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest

from generator import feeds
from generator.model import Origin, Paper, Topic
from generator.typeset import plain

from .conftest import Built
from .helpers import paper

BASE = "https://example.org/list/"
TOPIC = Topic("q", "Quantum & <codes>", "About codes.", (), Origin("content/topics.yml"))


def url_of(p: Paper) -> str:
    return f"{BASE}papers/{p.slug}/"


def topics_of(p: Paper) -> Sequence[Topic]:
    return (TOPIC,) if "q" in p.slug else ()


def render(papers: Sequence[Paper], limit: int = feeds.LIMIT) -> str:
    return feeds.render_feed(
        papers,
        title="List: recent",
        subtitle="The newest papers.",
        feed_url=f"{BASE}feed.xml",
        page_url=BASE,
        author="The curators",
        url_of=url_of,
        topics_of=topics_of,
        limit=limit,
    )


def parse(xml: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def day(n: int) -> dt.date:
    return dt.date(2024, 1, 1) + dt.timedelta(days=n)


TRICKY = paper(
    "q-tricky",
    "Codes <b>bold</b> & ]]> \x01 \"quoted\" 'single'",
    "Abstract with <script>alert(1)</script> & entities &amp; and ünïcödé — 100% sure.",
    added=day(5),
    authors=("Ada Lovelace", "Alan M. Turing"),
)


def test_entries_carry_title_link_dates_topics_and_summary() -> None:
    parsed = parse(render([TRICKY]))
    (entry,) = parsed.entries
    assert entry.title == "Codes <b>bold</b> & ]]> \"quoted\" 'single'"  # the control character is gone
    assert entry.title_detail.type == "text/plain"
    assert entry.link == f"{BASE}papers/q-tricky/"
    assert entry.id == entry.link
    assert entry.updated_parsed == time.struct_time((2024, 1, 6, 0, 0, 0, 5, 6, 0))
    assert entry.published == entry.updated == "2024-01-06T00:00:00Z"
    assert entry.summary == TRICKY.abstract
    assert [t.term for t in entry.tags] == ["q"]
    assert [t.label for t in entry.tags] == ["Quantum & <codes>"]
    assert [a.name for a in entry.authors] == ["Ada Lovelace", "Alan M. Turing"]
    assert parsed.feed.updated == "2024-01-06T00:00:00Z"
    assert parsed.feed.title == "List: recent"
    assert parsed.feed.id == f"{BASE}feed.xml"
    assert {(link.rel, link.href) for link in parsed.feed.links} == {
        ("self", f"{BASE}feed.xml"),
        ("alternate", BASE),
    }


def test_newest_first_ties_by_title_then_slug_and_limited() -> None:
    papers = [paper(f"p{i:02d}", f"Title {i % 3}", added=day(i // 4)) for i in range(60)]
    parsed = parse(render(papers, limit=50))
    assert len(parsed.entries) == 50
    expected = sorted(papers, key=lambda p: (-p.added.toordinal(), p.title, p.slug))[:50]
    assert [e.link for e in parsed.entries] == [url_of(p) for p in expected]
    assert parsed.feed.updated == f"{day(14).isoformat()}T00:00:00Z"
    assert len({e.id for e in parsed.entries}) == 50


def test_empty_feed_is_valid_and_dated_without_the_clock() -> None:
    parsed = parse(render([]))
    assert parsed.entries == []
    assert parsed.feed.updated == "1970-01-01T00:00:00Z"


def test_byte_identical_for_the_same_content() -> None:
    papers = [paper(f"p{i}", added=day(i % 3)) for i in range(10)]
    assert render(papers) == render(list(reversed(papers)))


# --- the built site -------------------------------------------------------------------------------


def site_feeds(built: Built) -> list[Path]:
    return sorted(built.site.glob("feed*.xml"))


def test_one_feed_for_the_list_and_one_per_topic(built: Built) -> None:
    topics = re.findall(r"^  - id: (\S+)", (built.root / "content/topics.yml").read_text(), re.MULTILINE)
    assert topics
    assert {p.name for p in site_feeds(built)} == {"feed.xml", *(f"feed-{t}.xml" for t in topics)}


def test_every_feed_parses_and_links_to_built_paper_pages(built: Built) -> None:
    for path in site_feeds(built):
        parsed = parse(path.read_text(encoding="utf-8"))
        assert parsed.feed.id == f"{built.site_url}{path.name}", path
        assert parsed.entries or path.name != "feed.xml", path
        for entry in parsed.entries:
            assert entry.link.startswith(f"{built.site_url}papers/"), entry.link
            assert built.page(entry.link).is_file(), entry.link
            slug = entry.link.rstrip("/").rsplit("/", 1)[1]
            paper = built.papers[slug]
            assert entry.updated == f"{paper.added.isoformat()}T00:00:00Z"
            assert entry.title == " ".join(plain(paper.title).split())  # the plain text of its LaTeX
        newest = max((e.updated for e in parsed.entries), default="1970-01-01T00:00:00Z")
        assert parsed.feed.updated == newest


def test_whole_list_feed_has_the_fifty_newest(built: Built) -> None:
    parsed = parse((built.site / "feed.xml").read_text(encoding="utf-8"))
    expected = feeds.newest(list(built.papers.values()))
    assert len(parsed.entries) == min(50, len(built.papers))
    assert [e.link for e in parsed.entries] == [f"{built.site_url}papers/{p.slug}/" for p in expected]


@pytest.mark.parametrize(
    ("page", "feed"),
    [("", "feed.xml"), ("topics/quantum-computing/", "feed-quantum-computing.xml")],
)
def test_pages_link_and_announce_their_feed(built: Built, page: str, feed: str) -> None:
    html = built.page(page).read_text(encoding="utf-8")
    depth = "../" * page.count("/")
    announced = re.findall(r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)"', html)
    assert f"{depth}{feed}" in announced
    assert f"{depth}feed.xml" in announced  # the whole list's, on every page
    assert f'href="{depth}{feed}"' in html.split("<body", 1)[1]  # and a visible link in the page


def test_paper_pages_announce_the_whole_list_feed(built: Built) -> None:
    html = built.page("papers/stim-a-fast-stabilizer-circuit-simulator/").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" href="../../feed.xml"' in html


@pytest.mark.parametrize(
    "page", ["", "topics/quantum-computing/", "papers/stim-a-fast-stabilizer-circuit-simulator/"]
)
def test_a_sitemap_sits_beside_every_announced_feed(built: Built, page: str) -> None:
    """Material fetches sitemap.xml beside every <link rel="alternate"> (taking it for a language
    version of the site); beside a feed in a folder without one, that is a 404 on every page."""
    html = built.page(page).read_text(encoding="utf-8")
    hrefs = re.findall(r'<link rel="alternate"[^>]* href="([^"]+)"', html)
    assert hrefs
    base = f"http://localhost/{page}"
    for href in hrefs:
        sitemap = urljoin(urljoin(base, href), "sitemap.xml").removeprefix("http://localhost/")
        assert (built.site / sitemap).is_file(), href
