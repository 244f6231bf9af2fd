"""Every internal link and asset of the built site resolves: a crawl of all its HTML files."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from .conftest import BuiltSite

pytestmark = pytest.mark.slow

LINK_ATTRS = {"href", "src", "srcset", "poster", "data"}


class _Links(HTMLParser):
    """Collects the URLs a page refers to and the ids it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name == "srcset":
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]
            elif name in LINK_ATTRS:
                self.urls.append(value)


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def published_url(built: BuiltSite) -> str:
    """The site_url of mkdocs.yml (read as text: the file may hold tags a plain YAML loader rejects)."""
    match = re.search(r"^site_url:\s*(\S+)", (built.root / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert match, "mkdocs.yml has no site_url"
    return match.group(1).strip("'\"")


def target_file(site: Path, url_path: str) -> Path:
    """The file a server sends for `url_path` (directory URLs serve their index.html)."""
    path = site / unquote(url_path).lstrip("/")
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


def test_every_internal_link_and_asset_resolves(built: BuiltSite) -> None:
    site = built.site
    site_url = published_url(built)
    site_prefix = urlsplit(site_url).path
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > len(built.papers)
    parsed = {page: parse(page) for page in pages}
    broken: list[str] = []
    checked = 0
    for page, links in parsed.items():
        page_url = "http://site/" + page.relative_to(site).as_posix()
        for raw in links.urls:
            url = urljoin(page_url, raw.strip())
            parts = urlsplit(url)
            if url.startswith(site_url):
                # Canonical and feed URLs are absolute, on the published site: map them to the build.
                path = "/" + parts.path[len(site_prefix) :]
            elif parts.scheme == "http" and parts.netloc == "site":
                path = parts.path
                if page.name == "404.html" and page.parent == site and path.startswith(site_prefix):
                    # Material's 404 page may be served at any path, so its links are absolute,
                    # under the path of site_url.
                    path = "/" + path[len(site_prefix) :]
            else:
                continue
            checked += 1
            where = f"{page.relative_to(site)}: {raw}"
            target = target_file(site, path)
            if not target.is_file():
                broken.append(f"{where} -> missing {target.relative_to(site)}")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{where} -> no id {parts.fragment!r} in {target.relative_to(site)}")
    assert checked > 10 * len(pages)
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:50])


def test_sitemap_lists_only_pages_that_exist(built: BuiltSite) -> None:
    import xml.etree.ElementTree as ET

    site_url = published_url(built)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text or "" for e in ET.parse(built.site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert len(locs) >= len(built.papers)
    missing = [loc for loc in locs if not target_file(built.site, "/" + loc[len(site_url) :]).is_file()]
    assert not missing, missing


class _PaperList(HTMLParser):
    """Links of a topic page's paper lists: `ul.rl-start-list` (its essential papers, under
    "Start here") and `ul.rl-list` (the others, under "Papers" or "More papers")."""

    LISTS = ("rl-list", "rl-start-list")

    def __init__(self) -> None:
        super().__init__()
        self.lists = 0  # paper lists seen
        self.depth = 0  # open <ul> inside the current paper list, 0 when outside one
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "ul" and (self.depth or dict(attrs).get("class") in self.LISTS):
            self.lists += self.depth == 0
            self.depth += 1
        elif self.depth and tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "ul":
            self.depth -= 1


def test_every_topic_page_lists_its_papers(built: BuiltSite) -> None:
    for topic in built.topics:
        parser = _PaperList()
        parser.feed((built.site / "topics" / topic["id"] / "index.html").read_text(encoding="utf-8"))
        listed = {h.split("/")[-2] for h in parser.hrefs if h.startswith("../../papers/")}
        expected = {p["slug"] for p in built.papers if topic["id"] in {t["id"] for t in p["topics"]}}
        assert parser.lists in (1, 2), f"{topic['id']}: {parser.lists} paper lists"
        assert listed == expected, f"{topic['id']}: missing {expected - listed}, extra {listed - expected}"
