"""Search (Pagefind, in Material's search box) in headless Chromium, queried the way a reader types.

The index is the one `python -m generator build` writes into site/pagefind/; the words the
tests pick are read from that index's own records (tests/pagefind_files.py), so "a word only
this paper holds" means exactly that for the pages indexed. Every query runs on the shipped
list (215 papers) and, marked slow, on an index of 10,000 papers (the shipped ones mixed into
generated ones, benchmarks/mixed_list.py), where the shipped paper asked for must still come first.
Run the slow ones under the shared lock: `flock /work/wt/heavy.lock pytest ... -m slow`.
"""

from __future__ import annotations

import bisect
import contextlib
import gzip
import itertools
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from benchmarks.mixed_list import make_mixed_content

from ..pagefind_files import fragments
from .conftest import BuiltSite, Console, new_tab
from .helpers import REPO, SearchHit, run_query, serve, wait_for_heading

pytestmark = pytest.mark.browser

BIG = 10_000
# Hardware, model and tool names that the shipped list mentions only in abstracts; the last
# four only ever follow a parenthesis or slash ("(RTLCoder", "/IPEX").
NAMES = ["H100", "SG2042", "TPUv3", "FlashAttention", "MobileNetV3", "RTLCoder", "BetterV", "IPEX", "LLVM"]
# Names with punctuation inside, as a reader types them.
PUNCTUATED = ["RISC-V", "GPT-3.5", "pre-exascale", "low-bit"]
AUTHOR = "Gidney"  # the one author the shipped list names (Craig Gidney, Stim)


@dataclass(frozen=True)
class Searched:
    """A built site, served, and a fresh page on it (the home page, nothing searched yet)."""

    built: BuiltSite
    page: Any
    base_url: str
    index: dict[str, dict[str, Any]]

    @property
    def size(self) -> int:
        return len(self.built.papers)


@pytest.fixture(scope="session")
def big(tmp_path_factory: pytest.TempPathFactory, built: BuiltSite) -> BuiltSite:
    """10,000 papers, the shipped ones among them: their real search index (the records and the
    Pagefind writer of `python -m generator build`) in a copy of the built shipped site.

    The queries only ever open shipped papers and topic pages, which that site has; rendering
    9,785 more pages with MkDocs would cost the suite two minutes and test nothing more here
    (benchmarks/search_latency.py measures a whole 10,000-paper build)."""
    root = tmp_path_factory.mktemp("search-big") / "project"
    make_mixed_content(BIG, root / "content")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    generate = [sys.executable, "-m", "generator", "--root", str(root), "--quiet", "generate"]
    subprocess.run(generate, cwd=REPO, check=True, capture_output=True)
    shutil.copytree(built.site, root / "site", ignore=shutil.ignore_patterns("pagefind"))
    # A process of its own: Pagefind's Python API runs an event loop, and Playwright's runs here.
    script = REPO / "benchmarks" / "search_latency.py"
    index = [sys.executable, str(script), "--index", str(root), str(root / "site")]
    subprocess.run(index, cwd=REPO, check=True, capture_output=True)
    # Pagefind has been seen to answer "files written" and be stopped before its last writes
    # (pagefind-entry.json empty, pagefind-component-ui.js cut at 128 KiB): every query then
    # waits out its two minutes. Say so here, once.
    files = (root / "site" / "pagefind").iterdir()
    empty = sorted(p.name for p in files if p.is_file() and not p.stat().st_size)
    assert not empty, f"Pagefind left empty files in the 10,000-paper index: {empty}"
    data = json.loads((root / "docs" / "papers.json").read_text(encoding="utf-8"))
    return BuiltSite(root, data["papers"], data["topics"])


@pytest.fixture(scope="session")
def big_url(big: BuiltSite) -> Iterator[str]:
    with serve(big.site) as url:
        yield url


_INDEXES: dict[Path, dict[str, dict[str, Any]]] = {}


def open_page(browser: Any, base_url: str, console: Console) -> tuple[Any, Any]:
    """A new context and page on `base_url`: nothing outside the site loads, errors are recorded."""
    return new_tab(browser, base_url, console, timeout=30_000)


@pytest.fixture(params=[pytest.param(215, id="215"), pytest.param(BIG, id="10000", marks=pytest.mark.slow)])
def searched(request: pytest.FixtureRequest, browser: Any) -> Iterator[Searched]:
    built: BuiltSite = request.getfixturevalue("built" if request.param == 215 else "big")
    url: str = request.getfixturevalue("base_url" if request.param == 215 else "big_url")
    console = Console(url)
    context, page = open_page(browser, url, console)
    page.goto("/")
    if built.site not in _INDEXES:
        _INDEXES[built.site] = fragments(built.site)
    yield Searched(built, page, url, _INDEXES[built.site])
    context.close()
    assert not console.errors, "the pages logged errors:\n" + "\n".join(console.errors)


def path_of(hit: SearchHit, base_url: str) -> str:
    """The site path a result links to (absolute, on the served site)."""
    url = urlsplit(hit.href)
    assert not url.netloc or hit.href.startswith(base_url), f"result outside the site: {hit.href}"
    return url.path


def paths(hits: list[SearchHit], s: Searched) -> list[str]:
    return [path_of(h, s.base_url) for h in hits]


def paper_path(slug: str) -> str:
    return f"/papers/{slug}/"


def shipped_slugs() -> set[str]:
    return {p.stem for p in (REPO / "content" / "papers").glob("*.md")}


_WORD = re.compile(r"[a-z0-9]+")


def words_of(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def stem_prefix(word: str) -> str:
    """What a query for `word` may match after Pagefind's stemmer: the word less a suffix."""
    return word[: max(5, len(word) - 4)]


class Holders:
    """Which pages hold a word as Pagefind matches a query word: any word starting with its stem."""

    def __init__(self, texts: dict[str, str]) -> None:
        by_token: dict[str, set[str]] = {}
        for page, text in texts.items():
            for word in words_of(text):
                by_token.setdefault(word, set()).add(page)
        self.tokens = sorted(by_token)
        self.by_token = by_token
        self.cache: dict[str, frozenset[str]] = {}

    def pages(self, *words: str) -> frozenset[str]:
        """The pages holding every one of `words`."""
        found: frozenset[str] | None = None
        for word in words:
            if word not in self.cache:
                stem, out = stem_prefix(word), set()
                i = bisect.bisect_left(self.tokens, stem)
                while i < len(self.tokens) and self.tokens[i].startswith(stem):
                    out |= self.by_token[self.tokens[i]]
                    i += 1
                self.cache[word] = frozenset(out)
            found = self.cache[word] if found is None else found & self.cache[word]
        return found or frozenset()


_HOLDERS: dict[tuple[Path, str], Holders] = {}


def holders(s: Searched, what: str) -> Holders:
    """Holders of the indexed text of every page (`what="text"`) or of the titles only."""
    key = (s.built.site, what)
    if key not in _HOLDERS:
        if what == "text":
            texts = {url: record["content"] for url, record in s.index.items()}
        else:  # a topic's name is a title too
            texts = {paper_path(p["slug"]): p["title"] for p in s.built.papers}
            texts |= {f"/topics/{t['id']}/": t["title"] for t in s.built.topics}
        _HOLDERS[key] = Holders(texts)
    return _HOLDERS[key]


def spread(found: list[Any], count: int) -> list[Any]:
    """`count` items spread over the sorted `found`, so they do not all come from one corner."""
    assert len(found) >= count, f"only {len(found)} candidates: {found}"
    return [found[i * (len(found) - 1) // max(count - 1, 1)] for i in range(count)]


def distinctive_abstract_words(s: Searched, count: int = 3) -> list[tuple[str, str]]:
    """(query, slug): one word of a shipped paper's abstract, not of its title, that no other indexed
    page holds (nor a word of its stem); among 10,000 papers, where generated abstracts reuse the
    shipped words, two such words that only this paper holds together."""
    text = holders(s, "text")
    shipped = shipped_slugs()
    singles: list[tuple[str, str]] = []
    pairs: list[tuple[str, str]] = []
    for paper in sorted(s.built.papers, key=lambda p: p["slug"]):
        if paper["slug"] not in shipped:
            continue
        me = paper_path(paper["slug"])
        title = words_of(paper["title"])
        rare = [
            w
            for w in sorted(words_of(paper["abstract"]) - title)
            if re.fullmatch(r"[a-z]{7,}", w) and not any(stem_prefix(w) in t or t in w for t in title)
        ]
        rare.sort(key=lambda w: (len(text.pages(w)), w))
        if rare and text.pages(rare[0]) == {me}:
            singles.append((rare[0], paper["slug"]))
        elif len(rare) >= 2 and text.pages(rare[0], rare[1]) == {me}:
            pairs.append((f"{rare[0]} {rare[1]}", paper["slug"]))
    return spread(singles if len(singles) >= count else singles + pairs, count)


def test_a_page_view_fetches_nothing_of_search_until_the_box_is_focused(
    page: Any, built: BuiltSite, console: Console
) -> None:
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    for path in ["/", paper_path(built.papers[0]["slug"]), "/papers/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    search = [p for p in fetched if p.startswith(("/pagefind/", "/search/")) or "workers/search" in p]
    assert not search, f"search files fetched by a page view: {search}"
    assert "/assets/javascripts/search.js" in fetched  # ... while the search box is wired
    outside = len(console.blocked)  # what the page asked of other hosts (Material's repository facts)
    with page.expect_request(re.compile(r"/pagefind/pagefind\.js$")):
        page.locator("input.md-search__input").focus()
    hits, _ms = run_query(page, "quantum")
    assert hits
    assert console.blocked[outside:] == [], "searching asked another host"
    assert not [p for p in fetched if p.startswith("/search/") or "lunr" in p or "workers/search" in p]


def test_word_only_in_an_abstract_finds_its_paper_and_opens_it(searched: Searched) -> None:
    picks = distinctive_abstract_words(searched)
    for word, slug in picks:
        hits, _ms = run_query(searched.page, word)
        assert hits, f"{word!r} (only in the abstract of {slug}) found nothing"
        assert paths(hits, searched)[0] == paper_path(slug), (word, paths(hits, searched)[:5])
    word, slug = picks[0]
    run_query(searched.page, word)
    searched.page.locator(".md-search-result__item a.md-search-result__link").first.click()
    searched.page.wait_for_url(re.compile(re.escape(paper_path(slug))))
    wait_for_heading(searched.page, searched.built.paper(slug)["title"])


@pytest.mark.parametrize("name", NAMES)
def test_hardware_and_model_names_find_their_papers(page: Any, built: BuiltSite, name: str) -> None:
    expected = {
        paper_path(p["slug"])
        for p in built.papers
        if name.lower() in words_of(p["abstract"] + " " + p["title"])
    }
    assert expected, f"no abstract mentions {name!r} any more: pick another name for this test"
    page.goto("/")
    hits, _ms = run_query(page, name)
    top = [urlsplit(h.href).path for h in hits[:5]]
    assert expected <= set(top), f"{name}: expected {sorted(expected)} in the first results {top}"


@pytest.mark.parametrize("term", PUNCTUATED)
def test_names_with_punctuation_are_found(searched: Searched, term: str) -> None:
    def mentions(field: str) -> set[str]:
        return {paper_path(p["slug"]) for p in searched.built.papers if term.lower() in p[field].lower()}

    in_title, in_abstract = mentions("title"), mentions("abstract")
    assert in_title | in_abstract, f"the list no longer mentions {term!r}"
    hits, _ms = run_query(searched.page, term)
    found = paths(hits, searched)
    assert found and found[0] in in_title | in_abstract, f"{term}: first result {found[:3]}"
    if in_title:
        # Papers naming it in their title come first.
        assert found[0] in in_title, (term, found[:5])
    if searched.size == 215:
        assert in_title <= set(found[: len(in_title) + 2]), (term, sorted(in_title), found)
        assert in_abstract <= set(found[:10]), (term, sorted(in_abstract), found)


def test_authors_find_their_papers(searched: Searched) -> None:
    slug = next(p["slug"] for p in searched.built.papers if AUTHOR in " ".join(p["authors"]))
    for query in (AUTHOR, "Craig Gidney"):
        hits, _ms = run_query(searched.page, query)
        assert paths(hits, searched)[:1] == [paper_path(slug)], (query, paths(hits, searched)[:5])


def test_topic_pages_are_found_by_their_name(searched: Searched) -> None:
    missed = []
    for topic in searched.built.topics:
        hits, _ms = run_query(searched.page, topic["title"])
        found = paths(hits, searched)[:3]
        if f"/topics/{topic['id']}/" not in found:
            missed.append(f"{topic['title']!r}: first results {found}")
    assert not missed, "topic pages not found by their name:\n" + "\n".join(missed)


def title_words(s: Searched, count: int = 5) -> list[tuple[str, str, int]]:
    """(query, slug, n): one or two words of a shipped paper's title that no other title holds,
    and `n` >= 2 other pages hold in their text: a topical query whose title match must come
    first, ahead of the pages that only mention it."""
    text, titles = holders(s, "text"), holders(s, "titles")
    shipped = shipped_slugs()
    picks: list[tuple[str, str, int]] = []
    for paper in sorted(s.built.papers, key=lambda p: p["slug"]):
        if paper["slug"] not in shipped:
            continue
        me = paper_path(paper["slug"])
        words = [w for w in re.findall(r"[a-z0-9]+", paper["title"].lower()) if re.fullmatch(r"[a-z]{6,}", w)]
        queries = [(w,) for w in words] + list(itertools.pairwise(words))
        for query in queries:
            others = len(text.pages(*query) - {me})
            # No other title holds any of the words: every other page found holds them in its text.
            if all(titles.pages(w) == {me} for w in query) and others >= 2:
                picks.append((" ".join(query), paper["slug"], others))
                break
    picks.sort(key=lambda p: (-p[2], p[0]))
    assert len(picks) >= count, f"only {len(picks)} title queries shared with other texts: {picks}"
    return picks[:count]


def test_a_title_match_outranks_abstract_matches(searched: Searched) -> None:
    wrong = []
    # Among 10,000 papers whose generated titles reuse the shipped titles' words, few shipped
    # titles keep a word of their own: the two that do (with hundreds of pages mentioning them).
    for word, slug, others in title_words(searched, 5 if searched.size < 1000 else 2):
        hits, _ms = run_query(searched.page, word)
        found = paths(hits, searched)
        if found[:1] != [paper_path(slug)]:
            wrong.append(f"{word!r} (title of {slug}, text of {others} more): {found[:3]}")
    assert not wrong, "a title match did not come first:\n" + "\n".join(wrong)


def test_results_are_materials_markup_with_topics_year_and_a_short_excerpt(
    page: Any, built: BuiltSite
) -> None:
    page.goto("/")
    hits, _ms = run_query(page, "quantization")
    assert len(hits) >= 5
    assert all(re.fullmatch(r"/(papers|topics)/[a-z0-9-]+/", urlsplit(h.href).path) for h in hits), hits
    items = page.locator(".md-search-result__list > .md-search-result__item")
    first = items.first
    assert first.locator("a").count() == 1
    assert first.locator("article h1").inner_text() == hits[0].title
    assert first.locator("mark").count() >= 1, "no word of the query marked in the excerpt"
    # A few lines, not the whole abstract.
    box = first.locator(".rl-search__excerpt").bounding_box()
    assert box is not None and box["height"] < 5 * 24, box
    stim = next(p for p in built.papers if p["year"])
    run_query(page, stim["title"])
    item = items.first
    assert item.locator("article h1").inner_text() == stim["title"]
    assert str(stim["year"]) in item.locator(".rl-search__credit").inner_text()
    tags = item.locator(".md-tags .md-tag").all_inner_texts()
    assert tags == [t["title"] for t in stim["topics"]]


def test_results_show_hostile_text_as_text(page: Any, built: BuiltSite) -> None:
    """A record whose title and text hold markup (as abstracts may) is shown, not run."""
    hostile = '<img src=x onerror="window.pwned=1"><b>bold</b> &amp;'

    def poison(route: Any) -> None:
        body = route.fetch().body()
        data = json.loads(gzip.decompress(body)[len(b"pagefind_dcd") :])
        data["meta"]["title"] = hostile
        data["content"] = hostile  # shorter than an excerpt: the excerpt is all of it
        raw = b"pagefind_dcd" + json.dumps(data).encode("utf-8")
        route.fulfill(body=gzip.compress(raw), content_type="application/octet-stream")

    page.route("**/pagefind/fragment/*", poison)
    page.goto("/")
    hits, _ms = run_query(page, "quantization")
    assert hits and all(h.title == hostile for h in hits), hits[:2]
    assert page.evaluate("() => window.pwned") is None
    assert page.locator(".rl-search__excerpt").first.inner_text() == hostile
    assert page.locator(".md-search-result__list img, .md-search-result__list b").count() == 0


def test_query_in_the_address_opens_the_search_and_round_trips(page: Any, built: BuiltSite) -> None:
    page.goto("/?q=RISC-V")
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0")
    assert page.locator("input.md-search__input").input_value() == "RISC-V"
    assert page.evaluate("() => document.getElementById('__search').checked")
    first = page.locator(".md-search-result__item article h1").first.inner_text()
    assert "RISC-V" in first
    # Typing keeps the address in step, so the search can be shared.
    hits, _ms = run_query(page, "theorem proving")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["theorem proving"]
    shared = page.url
    page.goto(shared)
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0")
    again = page.locator(".md-search-result__item a").evaluate_all(
        "els => els.map(a => a.getAttribute('href'))"
    )
    assert again[:5] == [h.href for h in hits[:5]]
    # Opening a result leaves the search; the page reached has no query in its address.
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_url(re.compile(r"/(papers|topics)/"))
    assert "q=" not in page.url
    assert not page.evaluate("() => document.getElementById('__search').checked")


def test_search_works_under_a_sub_path(browser: Any, built: BuiltSite, tmp_path: Path) -> None:
    (tmp_path / "reading-list").symlink_to(built.site, target_is_directory=True)
    with serve(tmp_path) as url:
        console = Console(url)
        context, page = open_page(browser, url, console)
        try:
            page.goto("/reading-list/papers/?q=Gidney")
            page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0")
            link = page.locator(".md-search-result__item a").first
            assert (
                link.get_attribute("href") == "/reading-list/papers/stim-a-fast-stabilizer-circuit-simulator/"
            )
            link.click()
            page.wait_for_url(re.compile(r"/reading-list/papers/stim-"))
            wait_for_heading(page, "Stim", start=True)
        finally:
            context.close()
        assert not console.errors, console.errors


def test_keyboard_opens_moves_through_and_closes_the_search(page: Any, built: BuiltSite) -> None:
    page.goto(paper_path(built.papers[0]["slug"]))
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.matches('input.md-search__input')")
    page.keyboard.type("quantum")
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 1")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = page.locator(".md-search-result__item a").nth(1)
    assert page.evaluate("() => document.activeElement.classList.contains('md-search-result__link')")
    assert second.evaluate("a => a === document.activeElement")
    page.keyboard.press("Escape")
    assert not page.evaluate("() => document.getElementById('__search').checked")
    assert page.evaluate("() => !document.activeElement.matches('input.md-search__input')")
    # Enter in the box opens the first result.
    page.keyboard.press("/")
    assert page.evaluate("() => document.getElementById('__search').checked")
    target = page.locator(".md-search-result__item a").first.get_attribute("href")
    assert target
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(target) + "$"))


def test_the_phone_layout_opens_the_search_from_the_magnifier(browser: Any, base_url: str) -> None:
    console = Console(base_url)
    context = browser.new_context(viewport={"width": 390, "height": 800}, base_url=base_url)
    page = context.new_page()
    page.on("pageerror", console.on_pageerror)
    try:
        page.goto("/")
        assert not page.evaluate("() => document.getElementById('__search').checked")
        page.locator("label.md-header__button[for=__search]").click()
        page.wait_for_function("() => document.activeElement.matches('input.md-search__input')")
        assert page.evaluate("() => document.getElementById('__search').checked")
        hits, _ms = run_query(page, "Gidney")
        assert hits and page.locator(".md-search-result__item").first.is_visible()
    finally:
        context.close()
    assert not console.errors, console.errors


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_no_serious_violation_in_the_open_search(page: Any, scheme: str) -> None:
    from .test_pages import axe_violations

    page.goto("/")
    if page.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme:
        page.locator("form[data-md-component=palette] label:visible").click()
        page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{scheme}'")
    run_query(page, "quantization")
    problems = [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in axe_violations(page)
    ]
    assert not problems, "axe-core violations in the open search:\n" + "\n".join(problems)


_ASK_JS = """(words) => { const input = document.querySelector('input.md-search__input');
  input.focus(); input.value = words; input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true})); }"""
_META_JS = "() => document.querySelector('.md-search-result__meta').textContent"


def test_a_search_whose_index_does_not_arrive_is_not_left_silent(browser: Any, base_url: str) -> None:
    """An index part asked for and never answered: Pagefind waits for it for good; the reader is
    told so, not left with the empty box of before (a refused part Pagefind answers without)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # the browser tests may skip

    console = Console(base_url)
    context, page = open_page(browser, base_url, console)
    try:
        page.goto("/")
        pending: list[Any] = []
        page.route(re.compile(r"/pagefind/index/"), lambda route: pending.append(route))  # never answered
        page.evaluate(_ASK_JS, "quantum")
        # search.js says so after 8 s (SLOW_MS); what the box says after 12 s is the failure.
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(f"() => /not answered yet/.test(({_META_JS})())", timeout=12_000)
        meta = page.evaluate(_META_JS)
        assert pending, "the query asked for no part of the index"
        assert "not answered yet" in meta and "reload the page" in meta, meta
        assert page.locator(".md-search-result__list > *").count() == 0
    finally:
        context.close()
