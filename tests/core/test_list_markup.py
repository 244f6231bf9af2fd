"""The paper lists of the list pages (All papers, each topic), written as HTML blocks: built with the
real `mkdocs build --strict`, read back as HTML.

MkDocs checks the links of Markdown, not of raw HTML, so these tests check the lists' links.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from generator.text import credit, first_sentence
from generator.typeset import plain

from .conftest import FIXTURES, CliRunner, make_project
from .html import Element, parse_page

#: Values a pull request may bring that HTML, Markdown or Jinja would read as markup (the loader
#: refuses '<' before a letter in titles, authors and tags; everything else reaches the page).
HOSTILE: dict[str, dict[str, object]] = {
    "quote-title": {
        "title": "Quotes \" and ' and `ticks`, {{ jinja }} & {% raw %} | pipes |",
        "authors": ['O\'Brien "Bobby" & Sons', "A. B>C", "Third Author"],
        "year": 2019,
        "tags": ['x" onmouseover="alert(1)', "a&amp;b", "{{ t }}"],
        "status": "essential",
        "code": ["https://example.org/code"],
    },
    "markdown-title": {
        "title": "**Not bold** and _not em_ and [not](a link), x < y > z",
        "authors": ["*Star* Author"],
        "tags": ["li> /ul> &lt;"],
        "status": "to-read",
        "data": ["https://example.org/data"],
    },
    "blank-lines": {
        "title": "A title\n\n\n\nspread over blank lines",
        "year": 2021,
        "tags": ["two\n\nlines"],
    },
}


def _paper_file(meta: dict[str, object]) -> str:
    meta = {"added": "2025-04-01", "abstract": "Quantum error correction with qubits. " * 4, **meta}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, cli: CliRunner) -> Path:
    content = tmp_path_factory.mktemp("lists") / "content"
    shutil.copytree(FIXTURES / "golden-content", content)
    for slug, meta in HOSTILE.items():
        (content / "papers" / f"{slug}.md").write_text(_paper_file(meta), encoding="utf-8")
    root = make_project(content.parent / "repo", content)
    cli(root, "build", "--strict")
    return root / "site"


@pytest.fixture(scope="module")
def data(built: Path) -> dict[str, list[dict[str, object]]]:
    result: dict[str, list[dict[str, object]]] = json.loads(
        (built / "papers.json").read_text(encoding="utf-8")
    )
    return result


def _list_pages(built: Path, data: dict[str, list[dict[str, object]]]) -> dict[str, set[str]]:
    """Each list page's URL (from the site root), with the slugs it must list."""
    pages = {"papers/": {str(p["slug"]) for p in data["papers"]}}
    for topic in data["topics"]:
        pages[f"topics/{topic['id']}/"] = {
            str(p["slug"])
            for p in data["papers"]
            if any(t["id"] == topic["id"] for t in p["topics"])  # type: ignore[attr-defined]
        }
    return pages


def _items(built: Path, url: str) -> list[Element]:
    article = parse_page(built / url / "index.html").find("article")
    lists = article.find_all("ul", "rl-list")
    assert len(lists) == 1, url
    # A topic page opens with its essential papers, in a list of their own ("Start here").
    starts = article.find_all("ul", "rl-start-list")
    assert len(starts) <= 1 and (not starts or url.startswith("topics/")), url
    items = [li for ul in starts for li in ul.find_all("li")] + lists[0].find_all("li")
    assert all("rl-item" in li.classes for li in items), url
    return items


def test_every_list_shows_each_of_its_papers_once(
    built: Path, data: dict[str, list[dict[str, object]]]
) -> None:
    pages = _list_pages(built, data)
    assert len(pages) == 4 and pages["topics/quantum/"]
    for url, slugs in pages.items():
        listed = [li.attrs["data-slug"] for li in _items(built, url)]
        assert sorted(listed) == sorted(slugs), url


def test_every_link_of_a_list_reaches_a_page_of_the_site(
    built: Path, data: dict[str, list[dict[str, object]]]
) -> None:
    checked = 0
    for url in _list_pages(built, data):
        for li in _items(built, url):
            for a in li.find_all("a"):
                href = a.attrs["href"]
                assert not urlsplit(href).scheme and not href.startswith("/"), href  # relative
                target = urlsplit(urljoin(f"http://site/{url}", href)).path.lstrip("/")
                assert target.endswith("/") and (built / target / "index.html").is_file(), f"{url}: {href}"
                checked += 1
            slug = li.attrs["data-slug"]
            assert urljoin(f"/{url}", li.find("a", "rl-item__title").attrs["href"]) == f"/papers/{slug}/"
    assert checked > 30


def test_titles_authors_and_topics_show_literally(
    built: Path, data: dict[str, list[dict[str, object]]]
) -> None:
    papers = {str(p["slug"]): p for p in data["papers"]}
    for url in _list_pages(built, data):
        own = url.split("/")[1] if url.startswith("topics/") else None
        for li in _items(built, url):
            paper = papers[li.attrs["data-slug"]]
            title = li.find("a", "rl-item__title")
            assert title.text() == " ".join(plain(str(paper["title"])).split())
            assert [c.tag for c in title.iter()] == ["a"], "markup in a title link"
            authors, year = paper["authors"], paper["year"]
            assert isinstance(authors, list)
            if authors or year:
                shown = credit(authors, year if isinstance(year, int) else None)
                assert li.find("span", "rl-item__credit").text() == shown
                assert li.attrs.get("data-year") == (str(year) if year else None)
            else:
                assert not li.find_all("span", "rl-item__credit")
            topics = [t["title"] for t in paper["topics"] if t["id"] != own]  # type: ignore[attr-defined]
            shown_topics = [
                a.text() for span in li.find_all("span", "rl-item__topics") for a in span.find_all("a")
            ]
            assert shown_topics == topics
            status = [span.text() for span in li.find_all("span", "rl-item__status")]
            assert status == ([paper["status"]] if paper["status"] else [])
            summaries = li.find_all("p", "rl-item__summary")
            if paper["summary"]:  # the curator's own, on every list
                assert [p.text() for p in summaries] == [str(paper["summary"])]
            elif own and paper["abstract"]:
                assert [p.text() for p in summaries] == [first_sentence(plain(str(paper["abstract"])), 180)]
            else:
                assert summaries == []


def test_the_filter_form_offers_the_lists_own_values(
    built: Path, data: dict[str, list[dict[str, object]]]
) -> None:
    papers = data["papers"]
    for url in _list_pages(built, data):
        form = parse_page(built / url / "index.html").find("form", "rl-facets")
        assert "hidden" in form.attrs  # shown by the script: without it, the plain list only
        root = "../" * url.count("/")
        assert form.attrs["data-pagefind"] == f"{root}pagefind/"
        assert form.attrs["data-topic"] == (url.split("/")[1] if url.startswith("topics/") else "")

        def options(name: str, form: Element = form) -> list[tuple[str, str]]:
            select = form.find("select", name=name)
            return [(o.attrs["value"], o.text()) for o in select.find_all("option") if o.attrs["value"]]

        tags = sorted({str(t) for p in papers for t in p["tags"]})  # type: ignore[attr-defined]
        assert {"li> /ul> &lt;", 'x" onmouseover="alert(1)', "two\n\nlines"} <= set(tags)
        # Every tag, a double quote included: the filters run over facets.json, not Pagefind's.
        # The value as the paper has it, the text on one line.
        assert options("tag") == [(t, " ".join(t.split())) for t in tags]
        assert options("topic") == [(str(t["id"]), str(t["title"])) for t in data["topics"]]
        assert options("status") == [("essential", "essential"), ("to-read", "to-read")]
        years = sorted({int(str(p["year"])) for p in papers if p["year"]}, reverse=True)
        assert [int(v) for v, _ in options("to")] == years
        assert [int(v) for v, _ in options("from")] == years[::-1]
        assert [i.attrs["value"] for i in form.find_all("input", name="has")] == ["code", "data"]
        selected = [
            o.attrs["value"]
            for o in form.find("select", name="sort").find_all("option")
            if "selected" in o.attrs
        ]
        assert selected == (["added"] if url.startswith("topics/") else ["title"])


def test_no_paper_value_breaks_out_of_its_element(built: Path) -> None:
    """The raw text of the pages: no attribute or element opened by a value."""
    text = (built / "papers" / "index.html").read_text(encoding="utf-8")
    assert 'onmouseover="alert(1)"' not in text
    assert "<strong>Not bold</strong>" not in text and "<em>not em</em>" not in text
