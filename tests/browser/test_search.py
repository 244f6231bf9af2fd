"""Material's search on the shipped list, queried in headless Chromium the way a reader types.

The index is Material's own (site/search/search_index.json, tuned in mkdocs.yml); these tests
check that what a reader half-remembers from an abstract finds the paper.
"""

from __future__ import annotations

import bisect
import html
import json
import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import BuiltSite
from .helpers import SearchHit, heading, run_query

pytestmark = pytest.mark.browser

# Hardware, model and tool names that the shipped list mentions only in abstracts. The last
# four only ever follow a parenthesis or slash ("(RTLCoder", "/IPEX"): Material's default
# separator indexes them as "(rtlcoder" and no query finds them.
NAMES = ["H100", "SG2042", "TPUv3", "FlashAttention", "MobileNetV3", "RTLCoder", "BetterV", "IPEX", "LLVM"]
HYPHENATED = ["RISC-V", "pre-exascale", "low-bit"]
LIST_PAGES = {"/papers/", "/tags/"}


def page_path(hit: SearchHit, base_url: str) -> str:
    """The site path of a result, without the ?h= highlight query."""
    url = urlsplit(hit.href)
    assert hit.href.startswith(base_url), f"result outside the site: {hit.href}"
    return url.path


def paper_path(slug: str) -> str:
    return f"/papers/{slug}/"


def index_tokens(built: BuiltSite) -> tuple[re.Pattern[str], dict[str, set[str]]]:
    """The index's separator and, for each token it holds, the pages that contain it."""
    index = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    pages: dict[str, set[str]] = {}
    for doc in index["docs"]:
        # Entries hold escaped HTML, tags of it kept; the worker tokenizes the text between tags.
        text = re.sub(r"<[^>]+>", " ", doc["title"] + " " + doc["text"]) + " " + " ".join(doc.get("tags", []))
        path = "/" + doc["location"].split("#")[0]
        for token in separator.split(text):
            if token:
                pages.setdefault(token.lower(), set()).add(path)
    return separator, pages


def pages_matching_prefix(pages: dict[str, set[str]], sorted_tokens: list[str], prefix: str) -> set[str]:
    """Pages that Material's `prefix*` query matches."""
    out: set[str] = set()
    i = bisect.bisect_left(sorted_tokens, prefix)
    while i < len(sorted_tokens) and sorted_tokens[i].startswith(prefix):
        out |= pages[sorted_tokens[i]]
        i += 1
    return out


def distinctive_words(built: BuiltSite, where: str) -> list[tuple[str, str]]:
    """(word, slug) pairs: a word of one paper's abstract or title that no other indexed page holds.

    `where="abstract"` picks words in the abstract and not the title, `where="title"` the reverse.
    Only plain words are candidates, so the query has no lunr syntax in it.
    """
    separator, pages = index_tokens(built)
    sorted_tokens = sorted(pages)
    found: dict[str, tuple[str, str]] = {}
    for paper in sorted(built.papers, key=lambda p: p["slug"]):
        title = {t.lower() for t in separator.split(html.escape(paper["title"], quote=False)) if t}
        abstract = {t for t in separator.split(html.escape(paper["abstract"], quote=False)) if t}
        words = abstract if where == "abstract" else set(separator.split(paper["title"]))
        for word in sorted(words):
            key = word.lower()
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{5,}", word):
                continue
            if where == "abstract" and key in title:
                continue
            if where == "title" and key in {t.lower() for t in abstract}:
                continue
            if pages_matching_prefix(pages, sorted_tokens, key) == {paper_path(paper["slug"])}:
                found.setdefault(key, (word, paper["slug"]))
    picks = sorted(found.values(), key=lambda ws: ws[0].lower())
    assert len(picks) >= 3, f"only {len(picks)} distinctive {where} words in the shipped list"
    # Spread over the alphabet, so the picks do not all come from one corner of the list.
    return [picks[0], picks[len(picks) // 2], picks[-1]]


@pytest.fixture()
def home(page: Any) -> Any:
    page.goto("/")
    return page


def test_index_leaves_out_pages_that_only_repeat_titles(built: BuiltSite) -> None:
    index = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    assert "papers/" not in locations
    assert not [loc for loc in locations if loc.startswith("tags/")]
    repeated = [
        loc
        for loc in locations
        if loc.split("#")[-1] in ("recently-added", "papers", "related-papers")
        or (loc.startswith("topics/#") and loc != "topics/")
    ]
    assert not repeated, f"list sections in the index: {repeated}"
    # ... while every paper page and every topic page (its title and description) stays in.
    for paper in built.papers:
        entries = [d for d in index["docs"] if d["location"] == f"papers/{paper['slug']}/"]
        assert len(entries) == 1, paper["slug"]
        assert html.escape(paper["abstract"].split()[0], quote=False) in entries[0]["text"]
    # Topic pages keep their title and description, not the titles of their neighbours.
    for topic in built.topics:
        entries = [d for d in index["docs"] if d["location"] == f"topics/{topic['id']}/"]
        assert len(entries) == 1, topic["id"]
        assert entries[0]["title"] == html.escape(topic["title"], quote=False)
        assert "Related topics" not in entries[0]["text"], topic["id"]
        assert len(re.sub(r"<[^>]+>", "", entries[0]["text"])) > 40, f"{topic['id']}: no description indexed"


def test_word_only_in_an_abstract_finds_its_paper_and_opens_it(
    home: Any, built: BuiltSite, base_url: str
) -> None:
    picks = distinctive_words(built, "abstract")
    for word, slug in picks:
        hits, _ms = run_query(home, word)
        assert hits, f"{word!r} (only in the abstract of {slug}) found nothing"
        assert page_path(hits[0], base_url) == paper_path(slug), (word, [h.href for h in hits])
    word, slug = picks[0]
    run_query(home, word)
    home.locator(".md-search-result__item a.md-search-result__link").first.click()
    home.wait_for_url(re.compile(re.escape(paper_path(slug))))
    assert heading(home) == built.paper(slug)["title"]


@pytest.mark.parametrize("name", NAMES)
def test_hardware_and_model_names_find_their_papers(
    home: Any, built: BuiltSite, base_url: str, name: str
) -> None:
    separator = re.compile(
        json.loads((built.site / "search" / "search_index.json").read_text())["config"]["separator"]
    )
    expected = {
        paper_path(p["slug"])
        for p in built.papers
        if name.lower() in {t.lower() for t in separator.split(p["abstract"])}
    }
    assert expected, f"no abstract mentions {name!r} any more: pick another name for this test"
    hits, _ms = run_query(home, name)
    top = [page_path(h, base_url) for h in hits[:5]]
    assert expected <= set(top), f"{name}: expected {sorted(expected)} in the first results {top}"


@pytest.mark.parametrize("term", HYPHENATED)
def test_hyphenated_names_and_acronyms_are_found(
    home: Any, built: BuiltSite, base_url: str, term: str
) -> None:
    in_title = {paper_path(p["slug"]) for p in built.papers if term.lower() in p["title"].lower()}
    in_abstract = {paper_path(p["slug"]) for p in built.papers if term.lower() in p["abstract"].lower()}
    assert in_title | in_abstract, f"the shipped list no longer mentions {term!r}"
    hits, _ms = run_query(home, term)
    found = [page_path(h, base_url) for h in hits]
    assert found[0] in in_title | in_abstract, f"{term}: first result {found[0]}"
    # Papers naming it in the title come first; a mention in an abstract is in the first page of results.
    assert in_title <= set(found[: len(in_title) + 2]), (term, sorted(in_title), found)
    assert in_abstract <= set(found[:10]), (term, sorted(in_abstract), found)


def test_paper_pages_rank_above_pages_that_list_them(home: Any, built: BuiltSite, base_url: str) -> None:
    for word, slug in distinctive_words(built, "title"):
        hits, _ms = run_query(home, word)
        found = [page_path(h, base_url) for h in hits]
        # The all-papers list, the tags page, the home page and the topic pages all show this
        # title; only the paper's own page may answer.
        assert found == [paper_path(slug)], (word, found)
    hits, _ms = run_query(home, "quantization")
    found = [page_path(h, base_url) for h in hits]
    assert not LIST_PAGES & set(found), found


def test_topic_pages_are_found_by_their_title(home: Any, built: BuiltSite, base_url: str) -> None:
    missed = []
    for topic in built.topics:
        hits, _ms = run_query(home, topic["title"])
        found = [page_path(h, base_url) for h in hits[:3]]
        if f"/topics/{topic['id']}/" not in found:
            missed.append(f"{topic['title']!r}: first results {found}")
    assert not missed, "topic pages not found by their title:\n" + "\n".join(missed)
