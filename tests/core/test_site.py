"""The shipped list built with the real `python -m generator build` (mkdocs build --strict), read as HTML."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import yaml

from generator.load import Content, load_content
from generator.render import link_href, paper_links
from generator.typeset import plain

from ..pagefind_files import fragments
from .html import Element, parse_page

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def content(shipped_site: Path) -> Content:
    loaded, problems = load_content(shipped_site / "content")
    assert loaded is not None, "\n".join(map(str, problems))
    return loaded


@pytest.fixture(scope="module")
def site(shipped_site: Path) -> Path:
    return shipped_site / "site"


@pytest.fixture(scope="module")
def papers_json(site: Path) -> dict[str, dict[str, Any]]:
    doc = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    return {p["slug"]: p for p in doc["papers"]}


@pytest.fixture(scope="module")
def paper_pages(site: Path, content: Content) -> dict[str, Element]:
    return {p.slug: parse_page(site / "papers" / p.slug / "index.html") for p in content.papers}


def resolve(page_url: str, href: str) -> str:
    """The site-root-relative URL that `href` on the page at `page_url` points to."""
    return urljoin("https://site.invalid/" + page_url, href).removeprefix("https://site.invalid/")


def test_every_paper_has_a_page_with_its_metadata_card(
    content: Content, paper_pages: dict[str, Element], papers_json: dict[str, dict[str, Any]]
) -> None:
    assert len(content.papers) == 215
    for paper in content.papers:
        url = f"papers/{paper.slug}/"
        page = paper_pages[paper.slug]
        card = page.find("aside", "rl-card")
        assert card.attrs["data-slug"] == paper.slug
        # The plain text of the title's LaTeX (generator/typeset.py): "--" reads as a dash.
        assert page.find("article").find("h1").text() == plain(paper.title)
        topics = [resolve(url, a.attrs["href"]) for a in card.find("dd", "rl-card__topics").find_all("a")]
        assert topics == [f"topics/{t['id']}/" for t in papers_json[paper.slug]["topics"]], paper.slug
        assert topics, f"{paper.slug}: no topic on the card"
        if any(link.kind in ("url", "pdf", "doi", "arxiv") for link in paper.links):
            assert not card.find_all("dd", "rl-card__lookup"), paper.slug
        else:
            # The seed gives no link to the paper itself: the card offers look-ups by title.
            lookup = card.find("dd", "rl-card__lookup").find_all("a")
            assert [a.text() for a in lookup] == ["arXiv", "Semantic Scholar", "Hugging Face"]
            assert all(a.attrs["href"].startswith("https://") for a in lookup)
        shown = [a.attrs["href"] for dd in card.find_all("dd", "rl-card__links") for a in dd.find_all("a")]
        assert shown == [link["url"] for link in paper_links(paper)], paper.slug  # + the arXiv PDF
        assert card.find("time").attrs["datetime"] == paper.added.isoformat()


def test_every_topic_page_lists_exactly_its_papers(
    site: Path, content: Content, papers_json: dict[str, dict[str, Any]]
) -> None:
    members: dict[str, set[str]] = defaultdict(set)
    for slug, paper in papers_json.items():
        for topic in paper["topics"]:
            members[topic["id"]].add(slug)
    for topic in content.taxonomy.topics:
        url = f"topics/{topic.id}/"
        article = parse_page(site / url / "index.html").find("article")
        listed = {
            m.group(1)
            for a in article.find_all("a")
            if (m := re.fullmatch(r"papers/([a-z0-9-]+)/", resolve(url, a.attrs.get("href", ""))))
        }
        assert listed == members[topic.id], topic.id
        assert f"{len(listed)} paper" in article.text()
        assert article.find("h1").text().removesuffix("¶").strip() == topic.title  # less the permalink


def test_search_index_holds_every_title(site: Path, content: Content) -> None:
    titles = {url: record["meta"]["title"] for url, record in fragments(site).items()}
    for paper in content.papers:
        assert titles.get(f"/papers/{paper.slug}/") == " ".join(plain(paper.title).split()), paper.slug
    for topic in content.taxonomy.topics:
        assert titles.get(f"/topics/{topic.id}/") == topic.title, topic.id
    assert len(titles) == len(content.papers) + len(content.taxonomy.topics), "a list page is in the index"


def test_papers_json_matches_content(
    site: Path, content: Content, papers_json: dict[str, dict[str, Any]]
) -> None:
    assert sorted(papers_json) == sorted(p.slug for p in content.papers)
    topic_titles = {t.id: t.title for t in content.taxonomy.topics}
    for paper in content.papers:
        entry = papers_json[paper.slug]
        assert entry["title"] == paper.title
        assert entry["url"] == f"papers/{paper.slug}/"
        assert (site / entry["url"] / "index.html").is_file()
        assert entry["added"] == paper.added.isoformat()
        assert entry["tags"] == list(paper.tags)
        assert entry["topics"], paper.slug
        for topic in entry["topics"]:
            assert topic_titles[topic["id"]] == topic["title"]
        assert set(paper.topics) <= {t["id"] for t in entry["topics"]}, "topics set by hand always apply"
        assert not set(paper.exclude_topics) & {t["id"] for t in entry["topics"]}
        links: dict[str, list[str]] = defaultdict(list)
        for link in paper.links:
            links[link.kind].append(link_href(link.kind, link.url))
        assert entry["links"] == dict(links), paper.slug


@pytest.mark.parametrize("where", ["home", "topics index", "a topic", "a paper"])
def test_navigation_lists_topics_but_no_paper(site: Path, content: Content, where: str) -> None:
    """With navigation.prune, a page holds the nav it shows: the Topics section lists every topic
    on its own pages; elsewhere it is one link, to its index page (navigation.indexes)."""
    page_url = {
        "home": "",
        "topics index": "topics/",
        "a topic": f"topics/{content.taxonomy.topics[-1].id}/",
        "a paper": f"papers/{content.papers[0].slug}/",
    }[where]
    topics = {f"topics/{t.id}/" for t in content.taxonomy.topics}
    page = parse_page(site / page_url / "index.html")
    nav = page.find("nav", "md-nav--primary")
    targets = {resolve(page_url, a.attrs["href"]) for a in nav.find_all("a") if "href" in a.attrs}
    if page_url.startswith("topics/"):
        assert topics <= targets, page_url
    else:
        assert not topics & targets, f"{page_url}: navigation.prune leaves the Topics section closed"
    assert {"", "topics/", "papers/", "tags/"} <= targets
    on_paper_pages = sorted(t for t in targets if re.fullmatch(r"papers/[a-z0-9-]+/", t))
    assert on_paper_pages == [], page_url


def test_every_paper_page_edits_its_source_file(
    shipped_site: Path, content: Content, paper_pages: dict[str, Element]
) -> None:
    config = yaml.safe_load(
        re.sub(r"!!python/\S+", "", (shipped_site / "mkdocs.yml").read_text(encoding="utf-8"))
    )
    repo = config["repo_url"].rstrip("/")
    assert repo.startswith("https://github.com/")
    for paper in content.papers:
        edits = {
            a.attrs["href"] for a in paper_pages[paper.slug].find_all("a") if a.attrs.get("rel") == "edit"
        }
        assert edits == {f"{repo}/edit/main/content/papers/{paper.slug}.md"}, paper.slug
        # Both the page action and the card's "Edit / add your notes" button.
        assert len([a for a in paper_pages[paper.slug].find_all("a") if a.attrs.get("rel") == "edit"]) == 2


def test_home_page_counts_the_list(site: Path, content: Content) -> None:
    text = parse_page(site / "index.html").find("article").text()
    assert f"{len(content.papers)} research papers" in text
    assert f"{len(content.taxonomy.topics)} topics" in text
