"""Page metadata: description, OpenGraph and Twitter cards, canonical URLs from site_url."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from generator import text
from generator.site import Settings, SiteError, read_settings
from generator.typeset import plain

from .conftest import Built


class Head(HTMLParser):
    """Collects the <meta> and <link> tags of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in values or "name" in values):
            self.meta[values.get("property") or values["name"]] = values.get("content", "")
        elif tag == "link":
            self.links.append(values)


def head(built: Built, url: str) -> Head:
    parser = Head()
    parser.feed(built.page(url).read_text(encoding="utf-8"))
    return parser


def canonical(page: Head) -> str:
    (link,) = [link["href"] for link in page.links if link.get("rel") == "canonical"]
    return link


def test_every_paper_page_has_description_opengraph_and_twitter_meta(built: Built) -> None:
    for slug, paper in built.papers.items():
        url = f"papers/{slug}/"
        page = head(built, url)
        # The plain text of their LaTeX (generator/typeset.py): <title> and attributes hold no markup.
        title = " ".join(plain(paper.title).split())
        first = paper.summary or text.first_sentence(plain(paper.abstract), 300)
        assert page.meta["description"] == first, slug
        assert page.meta["og:title"] == page.meta["twitter:title"] == title, slug
        assert page.meta["og:description"] == page.meta["twitter:description"] == first, slug
        assert page.meta["og:type"] == "article"
        assert page.meta["og:url"] == canonical(page) == f"{built.site_url}{url}"
        assert page.meta["twitter:card"] == "summary"
        assert page.meta["article:published_time"] == paper.added.isoformat()


@pytest.mark.parametrize("url", ["", "topics/quantum-computing/", "papers/", "about/"])
def test_other_pages_are_websites_with_canonical_urls(built: Built, url: str) -> None:
    page = head(built, url)
    assert page.meta["og:type"] == "website"
    assert page.meta["og:url"] == canonical(page) == f"{built.site_url}{url}"
    assert page.meta["og:title"] and page.meta["og:description"]
    assert page.meta["og:site_name"] == built.site_name


def test_quotes_and_ampersands_survive_into_attributes(built: Built) -> None:
    raw = built.page("topics/ai-accelerators/").read_text(encoding="utf-8")
    title = re.search(r'<meta property="og:title" content="([^"]*)"', raw)
    assert title is not None
    assert html.unescape(title.group(1)) == "AI hardware accelerators & novel computing substrates"
    assert "&amp;amp;" not in raw


def test_site_settings_are_read_from_mkdocs_yml_with_its_tags() -> None:
    config = (
        "site_name: My list\n"
        "site_url: https://example.org/x/\n"
        "extra:\n  key: !ENV [SECRET, none]\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    )
    assert read_settings(config) == Settings("https://example.org/x/", "My list")
    assert read_settings("site_name: x\n") == Settings("", "x")


def test_bad_mkdocs_yml_is_reported_with_its_position() -> None:
    with pytest.raises(SiteError, match=r"^mkdocs.yml:2:\d+: "):
        read_settings("site_name: x\nsite_url: a: b\n")
    with pytest.raises(SiteError, match=r"^mkdocs.yml:1:1: expected a mapping"):
        read_settings("- a list\n")
