"""Filters and sorting of the list pages in headless Chromium, answered from the facet file
(facets.json, generator/facetfile.py); words from the Pagefind index.

The site is the 215 shipped papers, served under a sub-path (/reading-list/, as on GitHub
Pages). The shipped papers have no tags, no status and one year among them, so this copy gives
them some (and added dates, authors and data links), deterministically: every filter then has
something to narrow. What each filter should show is worked out from the site's own
papers.json.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from generator.model import STATUSES

from .conftest import BuiltSite
from .helpers import AXE, at, build_site, copy_project, serve

pytestmark = pytest.mark.browser

SUB_PATH = "reading-list/"
#: Tags given to the papers; one with characters that HTML and URLs treat specially, and one
#: that Pagefind's filters never matched (`"` and `\`), given to a few papers only.
TAGS = ["survey", "benchmark", "C++ & 'quotes', #1?", "theory", 'say "x" \\ y']
READY = "() => document.querySelector('form.rl-facets')?.dataset.state === 'ready'"

Paper = dict[str, Any]


def _give_metadata(content: Path) -> None:
    """New fields just before the closing `---` of each paper file, as `enrich` writes them."""
    for i, path in enumerate(sorted((content / "papers").glob("*.md"))):
        text = path.read_text(encoding="utf-8")
        head, rest = text[4:].split("\n---\n", 1)
        keys = set(re.findall(r"^([a-z_]+):", head, re.MULTILINE))
        added = dt.date(2025, 1, 1) + dt.timedelta(days=i * 37 % 290)
        head = re.sub(r"^added: .*$", f"added: {added.isoformat()}", head, count=1, flags=re.MULTILINE)
        new: dict[str, object] = {}
        if "year" not in keys and i % 3:
            new["year"] = 1999 + i * 7 % 27
        if "status" not in keys and i % 4 == 0:
            new["status"] = STATUSES[i // 4 % len(STATUSES)]
        if i % 5 < 2:
            new["tags"] = sorted({TAGS[i % 4], TAGS[i // 5 % 4]} | ({TAGS[4]} if i % 10 == 1 else set()))
        if "data" not in keys and i % 9 == 0:
            new["data"] = [f"https://example.org/data/{i}"]
        if "authors" not in keys and i % 2:
            new["authors"] = [f"Author {i}", "Second Author"]
        extra = yaml.safe_dump(new, allow_unicode=True, sort_keys=False) if new else ""
        path.write_text(f"---\n{head}\n{extra}---\n{rest}", encoding="utf-8")


@pytest.fixture(scope="module")
def faceted(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = copy_project(tmp_path_factory.mktemp("facets") / "project")
    _give_metadata(root / "content")
    site = build_site(root)
    data = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    assert len(data["papers"]) == 215
    return BuiltSite(root, data["papers"], data["topics"])


@pytest.fixture(scope="module")
def base_url(faceted: BuiltSite) -> Iterator[str]:
    """The site served under a sub-path; the `page` fixture opens pages relative to it."""
    www = faceted.root / "www"
    www.mkdir(exist_ok=True)
    if not (www / SUB_PATH).exists():
        shutil.copytree(faceted.site, www / SUB_PATH)
    with serve(www) as url:
        yield url + SUB_PATH


# --- what the papers say -----------------------------------------------------------------------


def has(paper: Paper, kind: str) -> bool:
    return bool(paper["links"].get(kind))


def in_topic(topic: str) -> Callable[[Paper], bool]:
    return lambda p: topic in {t["id"] for t in p["topics"]}


def matching(faceted: BuiltSite, test: Callable[[Paper], bool]) -> set[str]:
    return {p["slug"] for p in faceted.papers if test(p)}


# --- driving the page --------------------------------------------------------------------------


def wait_ready(page: Any) -> None:
    page.wait_for_function(READY)


def open_list(page: Any, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("form.rl-facets:not([hidden])")
    wait_ready(page)


def results_showing(page: Any) -> bool:
    return bool(page.evaluate("() => !!document.querySelector('.rl-results:not([hidden])')"))


def shown_slugs(page: Any) -> list[str]:
    """The slugs of the list the reader sees: the results, or else the plain list (on a topic
    page, its "Start here" list of essential papers and then the others)."""
    slugs: list[str] = page.evaluate(
        """() => { const box = document.querySelector('.rl-results:not([hidden])');
                   const lists = box ? [box.querySelector(':scope > ul')]
                                     : document.querySelectorAll(
                                         'article ul.rl-start-list, article ul.rl-list:not([hidden])');
                   return [...lists].flatMap(list => [...list.querySelectorAll(':scope > li')])
                                    .map(li => li.dataset.slug); }"""
    )
    return slugs


def all_results(page: Any) -> list[str]:
    """Every result, pressing "Show more" until it goes."""
    more = page.locator(".rl-results__more")
    while more.is_visible():
        before = len(shown_slugs(page))
        more.click()
        page.wait_for_function(
            "n => document.querySelectorAll('.rl-results__list > li').length > n", arg=before
        )
    return shown_slugs(page)


def back_to_a_new_page(page: Any) -> None:
    """Back, where Material's instant navigation fetches the page and swaps it in (to another
    page); returns once the new page's form is ready, so that
    what follows is asserted on the page that stays, not on the one it replaces."""
    page.evaluate("document.querySelector('form.rl-facets').dataset.replaced = ''")
    page.go_back()
    page.wait_for_selector("form.rl-facets:not([data-replaced])")
    wait_ready(page)


def query(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query, keep_blank_values=True)


def status_line(page: Any) -> str:
    text: str = page.locator(".rl-facets__status").inner_text()
    return text


def plain_list(page: Any) -> list[str]:
    """The slugs of the page's plain list (its HTML, shown or not), in its order."""
    slugs: list[str] = page.evaluate(
        "() => [...document.querySelectorAll('article ul.rl-list:not(.rl-results__list) > li')]"
        ".map(li => li.dataset.slug)"
    )
    return slugs


def start_list(page: Any) -> list[str]:
    """The slugs of a topic page's "Start here" list (its essential papers, above the form)."""
    slugs: list[str] = page.evaluate(
        "() => [...document.querySelectorAll('article ul.rl-start-list > li')].map(li => li.dataset.slug)"
    )
    return slugs


def assert_own_state(page: Any, own: list[str]) -> None:
    """The page as it starts, drawn from the facet file once the reader changed something:
    `own` (its plain list's papers, in its order), 50 at first and the rest by "Show more",
    and no status line (the page's text above says what the list is)."""
    assert query(page) == {}
    assert results_showing(page) and page.locator("article ul.rl-list:not(.rl-results__list)").is_hidden()
    first = shown_slugs(page)
    assert first == own[:50]
    more = page.locator(".rl-results__more")
    if len(own) > 50:
        assert more.inner_text() == f"Show 50 more ({len(own) - 50} not shown)"
    else:
        assert more.is_hidden()
    assert all_results(page) == own
    assert status_line(page) == ""


# --- tests -------------------------------------------------------------------------------------


def test_a_page_without_filters_shows_the_plain_list_and_fetches_no_data_until_touched(
    page: Any, faceted: BuiltSite
) -> None:
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(urlsplit(r.url).path))
    open_list(page, "papers/")
    assert not results_showing(page)
    assert sorted(shown_slugs(page)) == sorted(p["slug"] for p in faceted.papers)
    page.wait_for_load_state("networkidle")
    assert not [u for u in fetched if "/pagefind/" in u or u.endswith("/facets.json")]
    # A reader who touches a control is about to use it: the facet file loads meanwhile, and
    # only it: the index is for words.
    page.locator("select[name=tag]").focus()
    page.wait_for_function("() => document.querySelector('form.rl-facets').dataset.index === 'loaded'")
    assert [u for u in fetched if u.endswith("/facets.json")]
    page.wait_for_load_state("networkidle")
    assert not [u for u in fetched if "/pagefind/" in u]
    assert not results_showing(page)
    # The words field: the index loads too (its script and the ids of the papers).
    page.locator("input[name=text]").focus()
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some(e => e.name.endsWith('rl-facet-ids.json'))"
    )
    assert [u for u in fetched if u.endswith("/pagefind/pagefind.js")]


def ax_ignored(page: Any, selector: str) -> bool:
    """Is the element out of Chromium's accessibility tree (what assistive technology reads)?"""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"no {selector}"
        nodes = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})["nodes"]
        return all(n["ignored"] for n in nodes)
    finally:
        cdp.detach()


PLAIN = "article ul.rl-list:not(.rl-results__list)"


def test_the_first_change_puts_the_plain_list_away_out_of_reach(page: Any, faceted: BuiltSite) -> None:
    """The plain list is put away by the change itself, kept laid out (content-visibility, not
    display: none: throwing away the layout of 10,000 items costs 190 ms), and out of reach:
    no room taken, no focus, nothing for assistive technology."""
    open_list(page, "papers/")
    last_plain = f"{PLAIN} > li:last-child > a"
    assert not ax_ignored(page, last_plain)
    page.check("input[name=has][value=code]")
    wait_ready(page)
    assert results_showing(page) and page.locator(PLAIN).is_hidden()
    kept = "el => [getComputedStyle(el).display, getComputedStyle(el).contentVisibility, el.inert]"
    assert page.eval_on_selector(PLAIN, kept) == ["flow-root", "hidden", True]  # Material's display
    assert page.eval_on_selector(PLAIN, "el => el.getBoundingClientRect().height") == 0
    assert ax_ignored(page, last_plain)
    assert not ax_ignored(page, ".rl-results__list > li:first-child > a")
    # The keyboard goes from the form to the results, past the plain list between them.
    page.focus("button.rl-facets__reset")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.rl-results__list > li') !== null")


def test_the_plain_list_comes_back_when_the_filters_cannot(page: Any, faceted: BuiltSite) -> None:
    """While facets.json loads, the plain list is away and the status says so; a change undone
    meanwhile, or a file that cannot be read, shows the plain list again."""
    held: list[Any] = []
    page.route("**/facets.json", lambda route: held.append(route))
    open_list(page, "papers/")
    page.check("input[name=has][value=code]")
    page.wait_for_function("() => document.querySelector('form.rl-facets').dataset.state === 'busy'")
    assert page.locator(PLAIN).is_hidden() and status_line(page) == "Loading the papers…"
    page.uncheck("input[name=has][value=code]")  # undone before the file came
    wait_ready(page)
    assert page.locator(PLAIN).is_visible() and status_line(page) == ""
    assert len(shown_slugs(page)) == len(faceted.papers) and not results_showing(page)
    held[0].fulfill(status=200, content_type="application/json", body="{not json")
    page.unroute("**/facets.json")
    page.wait_for_function("() => !document.querySelector('form.rl-facets').dataset.index")
    assert page.locator(PLAIN).is_visible() and not results_showing(page)
    # A file that cannot be read (the failed load is tried again on the next change).
    page.route("**/facets.json", lambda route: route.fulfill(status=200, body="{not json"))
    page.check("input[name=has][value=code]")
    page.wait_for_function(f"() => ({READY})() && document.querySelector('.rl-facets__status').textContent")
    assert status_line(page) == "The filters could not be loaded; the list below is complete."
    assert page.locator(PLAIN).is_visible() and not page.eval_on_selector(PLAIN, "el => el.inert")
    assert len(shown_slugs(page)) == len(faceted.papers) and not results_showing(page)


FILTERS: dict[str, tuple[str, Callable[[Paper], bool]]] = {
    "topic": ("topic=quantum-computing", in_topic("quantum-computing")),
    "year": ("year=2006", lambda p: p["year"] == 2006),
    "year range": ("year=2010-2014", lambda p: p["year"] is not None and 2010 <= p["year"] <= 2014),
    "year from": ("year=2020-", lambda p: p["year"] is not None and p["year"] >= 2020),
    "year to": ("year=-2001", lambda p: p["year"] is not None and p["year"] <= 2001),
    "status": ("status=essential", lambda p: p["status"] == "essential"),
    "tag": (
        "tag=" + re.sub("[^A-Za-z0-9]", lambda m: f"%{ord(m[0]):02X}", TAGS[2]),
        lambda p: TAGS[2] in p["tags"],
    ),
    "tag with a quote and a backslash": ("tag=say+%22x%22+%5C+y", lambda p: TAGS[4] in p["tags"]),
    "has code": ("has=code", lambda p: has(p, "code")),
    "has data": ("has=data", lambda p: has(p, "data")),
    "has both": ("has=code,data", lambda p: has(p, "code") and has(p, "data")),
    "all at once": (
        "topic=ml-systems&year=2000-2025&has=code",
        lambda p: in_topic("ml-systems")(p) and p["year"] is not None and has(p, "code"),
    ),
    "tag and status": (
        "tag=survey&status=to-read",
        lambda p: "survey" in p["tags"] and p["status"] == "to-read",
    ),
}


@pytest.mark.parametrize("name", FILTERS)
def test_each_filter_shows_exactly_the_papers_that_match(page: Any, faceted: BuiltSite, name: str) -> None:
    params, test = FILTERS[name]
    expected = matching(faceted, test)
    assert 0 < len(expected) < len(faceted.papers), "the fixture gives this filter nothing to narrow"
    open_list(page, f"papers/?{params}")
    assert results_showing(page)
    found = all_results(page)
    assert len(found) == len(set(found)), "a paper shown twice"
    assert set(found) == expected, f"missing {expected - set(found)}, extra {set(found) - expected}"
    count = len(expected)
    assert status_line(page).startswith(f"{count} paper{'s' if count > 1 else ''} match")


def test_a_filter_that_matches_nothing_says_so(page: Any, faceted: BuiltSite) -> None:
    # Of the year 2000: no paper is of 1999, so year=1999 would be dropped, and the shipped
    # papers now have statuses: an essential theory paper with data and no year exists.
    wanted = {"status": "essential", "year": 2000}
    assert not matching(
        faceted,
        lambda p: all(p[k] == v for k, v in wanted.items()) and has(p, "data") and "theory" in p["tags"],
    )
    open_list(page, "papers/?status=essential&has=data&tag=theory&year=2000")
    assert shown_slugs(page) == []
    assert status_line(page) == "No paper matches these filters."


def _key_of_title(paper: Paper) -> str:
    return " ".join(paper["title"].split()).casefold()


@pytest.mark.parametrize("sort", ["added", "year", "title"])
def test_sorting_orders_the_results(page: Any, faceted: BuiltSite, sort: str) -> None:
    # Every paper: more than one page of results, some without a year.
    open_list(page, f"papers/?topic=&sort={sort}" if sort != "title" else "papers/?has=&sort=title&topic=")
    found = all_results(page)
    by_slug = faceted.paper
    if sort == "title":
        # Title is the All papers page's own order: no filter, so the plain list shows.
        assert not results_showing(page)
        expected = sorted(faceted.papers, key=lambda p: (_key_of_title(p), p["slug"]))
        assert found == [p["slug"] for p in expected]
        open_list(page, "papers/?sort=title&has=code")
        found = all_results(page)
        assert [_key_of_title(by_slug(s)) for s in found] == sorted(_key_of_title(by_slug(s)) for s in found)
        assert set(found) == matching(faceted, lambda p: has(p, "code"))
        return
    assert results_showing(page)
    assert len(found) == len(faceted.papers) > 50
    if sort == "added":
        dates = [by_slug(s)["added"] for s in found]
        assert dates == sorted(dates, reverse=True)
    else:
        years = [by_slug(s)["year"] for s in found]
        known = [y for y in years if y is not None]
        assert known == sorted(known, reverse=True)
        assert years == known + [None] * (len(years) - len(known)), "papers without a year come last"


def test_show_more_adds_the_next_fifty(page: Any, faceted: BuiltSite) -> None:
    open_list(page, "papers/?sort=added")
    assert len(shown_slugs(page)) == 50
    more = page.locator(".rl-results__more")
    assert "165 not shown" in more.inner_text()
    more.click()
    page.wait_for_function("() => document.querySelectorAll('.rl-results__list > li').length === 100")
    assert len(set(shown_slugs(page))) == 100


def test_the_url_round_trip_reload_back_and_forward(page: Any, faceted: BuiltSite) -> None:
    open_list(page, "papers/")
    page.select_option("select[name=topic]", "ml-systems")
    wait_ready(page)
    first = shown_slugs(page)
    assert query(page) == {"topic": ["ml-systems"]}
    page.check("input[name=has][value=code]")
    wait_ready(page)
    page.select_option("select[name=sort]", "year")
    wait_ready(page)
    page.select_option("select[name=from]", "2000")
    wait_ready(page)
    assert query(page) == {"topic": ["ml-systems"], "has": ["code"], "sort": ["year"], "year": ["2000-"]}
    filtered = shown_slugs(page)
    expected = matching(
        faceted, lambda p: in_topic("ml-systems")(p) and has(p, "code") and (p["year"] or 0) >= 2000
    )
    assert set(filtered) == expected and len(expected) > 1
    # A reload, or the address shared, shows the same list with the same controls.
    page.reload()
    wait_ready(page)
    assert shown_slugs(page) == filtered
    controls = "['topic', 'sort', 'from', 'to'].map(n => document.querySelector(`select[name=${n}]`).value)"
    assert page.evaluate(controls) == ["ml-systems", "year", "2000", ""]
    assert page.is_checked("input[name=has][value=code]")
    # Back goes through the earlier states, to the page's own; forward comes back.
    page.go_back()
    page.wait_for_function(f"() => !location.search.includes('year=') && ({READY})()")
    assert query(page) == {"topic": ["ml-systems"], "has": ["code"], "sort": ["year"]}
    page.go_back()
    page.go_back()
    wait_ready(page)
    assert query(page) == {"topic": ["ml-systems"]} and shown_slugs(page) == first
    assert page.evaluate("document.querySelector('select[name=sort]').value") == "title"
    assert not page.is_checked("input[name=has][value=code]")
    # Back to the page's own state: its papers in its order (by title), drawn from the facet
    # file as any other state (showing the plain list again costs seconds at 10,000 papers).
    own = plain_list(page)
    assert own == [p["slug"] for p in sorted(faceted.papers, key=lambda p: (_key_of_title(p), p["slug"]))]
    page.go_back()
    wait_ready(page)
    assert page.evaluate("document.querySelector('select[name=topic]').value") == ""
    assert_own_state(page, own)
    page.go_forward()
    wait_ready(page)
    assert shown_slugs(page) == first
    # Clear: back to the page as it starts, its counts too (of every paper again).
    page.click("button.rl-facets__reset")
    wait_ready(page)
    assert_own_state(page, own)
    assert not page.is_checked("input[name=has][value=code]")
    counts: dict[str, str] = page.evaluate(
        "[...document.querySelector('select[name=topic]').options].filter(o => o.value)"
        ".reduce((all, o) => ({...all, [o.value]: o.textContent}), {})"
    )
    for topic, text in counts.items():
        assert text.endswith(f" ({len(matching(faceted, in_topic(topic)))})"), (topic, text)
    code = len(matching(faceted, lambda p: has(p, "code")))
    assert page.locator("input[name=has][value=code] >> xpath=..").inner_text().strip() == f"code ({code})"
    page.reload()  # a page view of no filters: the plain list
    wait_ready(page)
    assert not results_showing(page) and shown_slugs(page) == own


def test_back_and_forward_within_a_page_fetch_nothing_and_across_pages_still_work(
    page: Any, faceted: BuiltSite
) -> None:
    """Back and forward between states of one list page are drawn from the facet file, the first
    back of a page view too: Material's instant navigation would fetch the whole page again for
    it and swap it in (3.5 s at 10,000 papers). Between pages it still does."""
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(urlsplit(r.url).path))
    list_page = f"/{SUB_PATH}papers/"
    open_list(page, "papers/")
    fetched.clear()
    own = plain_list(page)
    page.evaluate("document.querySelector('form.rl-facets').dataset.first = ''")
    page.check("input[name=has][value=code]")
    wait_ready(page)
    with_code = shown_slugs(page)
    page.select_option("select[name=status]", "essential")
    wait_ready(page)
    both = shown_slugs(page)
    assert both != with_code

    def step(go: Callable[[], Any], search: str) -> None:
        go()
        page.wait_for_function(f"() => location.search === {search!r} && ({READY})()")
        assert page.evaluate("'first' in document.querySelector('form.rl-facets').dataset"), "swapped"

    step(page.go_back, "?has=code")
    assert shown_slugs(page) == with_code and page.is_checked("input[name=has][value=code]")
    step(page.go_back, "")
    assert_own_state(page, own)
    step(page.go_forward, "?has=code")
    step(page.go_forward, "?status=essential&has=code")
    assert shown_slugs(page) == both
    assert page.evaluate("document.querySelector('select[name=status]').value") == "essential"
    assert list_page not in fetched, "the list page was fetched again"
    # To a paper and back: other pages are Material's, which fetches this one again.
    page.locator(".rl-results__list a.rl-item__title").first.click()
    page.wait_for_url(at("/papers/*/"))
    page.go_back()
    page.wait_for_selector("form.rl-facets:not([hidden])")
    wait_ready(page)
    assert query(page) == {"has": ["code"], "status": ["essential"]} and shown_slugs(page) == both
    assert fetched.count(list_page) == 1
    page.evaluate("document.querySelector('form.rl-facets').dataset.first = ''")
    step(page.go_back, "?has=code")
    assert shown_slugs(page) == with_code
    step(page.go_forward, "?status=essential&has=code")
    page.go_forward()
    page.wait_for_url(at("/papers/*/"))
    page.wait_for_selector("form.rl-facets", state="detached")
    assert fetched.count(list_page) == 1


def test_back_and_forward_over_an_anchor_keep_the_filters(page: Any, faceted: BuiltSite) -> None:
    """A jump to an anchor of the page is Material's (it scrolls there), and so are back and
    forward over it: the filters, their controls and the list must stay as they were, drawn
    once, for the entry with the anchor and the one without, each at its place on the page."""
    # Reached by Material's instant navigation, which turns the browser's own scroll restoration
    # off: the place on the page is then restored by script, or not at all.
    open_list(page, "topics/quantum-computing/")
    page.wait_for_load_state("networkidle")  # Material reads sitemap.xml before it takes clicks
    page.locator("nav a[href$='papers/']").first.click()
    page.wait_for_url(at("/papers/"))
    page.wait_for_function("() => document.querySelector('form.rl-facets')?.dataset.topic === ''")
    wait_ready(page)
    assert page.evaluate("history.scrollRestoration") == "manual"
    own = plain_list(page)
    page.check("input[name=has][value=code]")
    wait_ready(page)
    with_code = shown_slugs(page)
    assert with_code and set(with_code) != set(own)
    target = page.evaluate("document.querySelector('article h1[id]').id")
    page.evaluate("document.querySelector('form.rl-facets').dataset.first = ''")
    # Down the list, then to the anchor at the top; back returns to the place in the list.
    down = page.evaluate("Math.min(800, document.documentElement.scrollHeight - innerHeight)")
    assert down > 400
    page.evaluate("y => window.scrollTo(0, y)", down)
    page.wait_for_function("y => history.state && history.state.y === y", arg=down)  # Material keeps it
    page.evaluate("id => { location.hash = id; }", target)
    page.wait_for_function("id => location.hash === '#' + id && scrollY < 200", arg=target)
    for go, hash_, y in (
        (page.go_back, "", down),
        (page.go_forward, f"#{target}", None),
        (page.go_back, "", down),
    ):
        go()
        page.wait_for_function(
            f"h => location.hash === h && location.search === '?has=code' && ({READY})()", arg=hash_
        )
        assert query(page) == {"has": ["code"]} and page.is_checked("input[name=has][value=code]")
        assert shown_slugs(page) == with_code
        assert page.evaluate("'first' in document.querySelector('form.rl-facets').dataset"), "swapped"
        if y is None:  # at the anchor: the heading on screen
            assert (
                page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", target) < 200
            )
        else:
            page.wait_for_function("y => Math.abs(scrollY - y) < 2", arg=y)
    # An anchor that is not percent-encoded text, and back: the same list, no error.
    page.evaluate("location.hash = '%E0%A4%A'")
    page.go_back()
    page.wait_for_function(f"() => location.hash === '' && ({READY})()")
    page.go_forward()
    page.wait_for_function(f"() => location.hash === '#%E0%A4%A' && ({READY})()")
    assert shown_slugs(page) == with_code
    page.go_back()
    # And the entry before the filter: the page's own state again.
    page.go_back()
    page.wait_for_function(f"() => location.search === '' && ({READY})()")
    assert_own_state(page, own)


def test_a_topic_page_starts_at_its_topic(page: Any, faceted: BuiltSite) -> None:
    topic = "ml-systems"
    members = matching(faceted, in_topic(topic))
    open_list(page, f"topics/{topic}/")
    assert page.evaluate("document.querySelector('select[name=topic]').value") == topic
    assert set(shown_slugs(page)) == members and not results_showing(page)
    page.check("input[name=has][value=code]")
    wait_ready(page)
    assert query(page) == {"has": ["code"]}  # the page's topic is not repeated in the URL
    with_code = {s for s in members if has(faceted.paper(s), "code")}
    assert set(all_results(page)) == with_code and with_code
    page.select_option("select[name=topic]", "")
    wait_ready(page)
    assert query(page) == {"has": ["code"], "topic": [""]}
    assert set(all_results(page)) == matching(faceted, lambda p: has(p, "code"))
    page.reload()
    wait_ready(page)
    assert page.evaluate("document.querySelector('select[name=topic]').value") == ""
    # Clear: the page's own list, newest added first, less its "Start here" papers (above).
    start = start_list(page)
    assert start and {faceted.paper(s)["status"] for s in start} == {"essential"}
    own = plain_list(page)

    def newest_first(slug: str) -> tuple[int, str, str]:
        paper = faceted.paper(slug)
        return (-dt.date.fromisoformat(paper["added"]).toordinal(), paper["title"].casefold(), slug)

    assert own == sorted(members - set(start), key=newest_first)
    page.click("button.rl-facets__reset")
    wait_ready(page)
    assert page.evaluate("document.querySelector('select[name=topic]').value") == topic
    assert_own_state(page, own)
    assert page.locator("ul.rl-start-list").is_visible()


def _indexed_text(paper: Paper) -> str:
    """What Pagefind holds of a paper (generator/searchindex.py): title, authors, topics, tags, abstract."""
    parts = [paper["title"], *paper["authors"], *(t["title"] for t in paper["topics"]), *paper["tags"]]
    return " ".join([*parts, paper["abstract"] or ""]).casefold()


def test_words_combine_with_the_filters(page: Any, faceted: BuiltSite) -> None:
    word = "reasoning"
    open_list(page, "papers/?has=code")
    fragments: list[str] = []
    page.on("request", lambda r: fragments.append(r.url) if "/fragment/" in r.url else None)
    page.fill("input[name=text]", word)
    page.press("input[name=text]", "Enter")
    wait_ready(page)
    assert query(page) == {"has": ["code"], "text": [word]}
    found = set(all_results(page))
    assert not fragments, "the words' results are papers of the facet file: no fragment is loaded"
    with_code = matching(faceted, lambda p: has(p, "code"))
    assert found and found <= with_code
    assert all(word in _indexed_text(faceted.paper(s)) for s in found)
    titled = {s for s in with_code if word in faceted.paper(s)["title"].casefold()}
    assert titled and titled <= found
    # Best match is the order while there are words; the same words without the filter find more.
    assert page.evaluate("document.querySelector('select[name=sort]').value") == "match"
    page.uncheck("input[name=has][value=code]")
    wait_ready(page)
    assert found < set(all_results(page))
    # Typing (no Enter) redraws too, once the reader pauses: no words, no filter is the page's
    # own list again.
    own = plain_list(page)
    page.fill("input[name=text]", "")
    page.wait_for_function(f"() => location.search === '' && ({READY})()")
    assert_own_state(page, own)


def test_filters_survive_instant_navigation_and_back(page: Any, faceted: BuiltSite) -> None:
    open_list(page, "topics/quantum-computing/")
    page.wait_for_load_state("networkidle")  # Material reads sitemap.xml before it takes clicks
    page.locator("nav a[href$='papers/']").first.click()  # Material's instant navigation
    page.wait_for_url(at("/papers/"))
    # The address changes at the click; the page is swapped in once fetched.
    page.wait_for_selector("form.rl-facets:not([hidden])[data-topic='']")
    page.check("input[name=has][value=data]")
    wait_ready(page)
    with_data = matching(faceted, lambda p: has(p, "data"))
    assert set(all_results(page)) == with_data
    page.locator(".rl-results__list a.rl-item__title").first.click()
    page.wait_for_url(at("/papers/*/"))
    page.go_back()
    page.wait_for_url(at("/papers/?has=data"))
    wait_ready(page)
    assert set(all_results(page)) == with_data
    # Back to the page's own state: only the query changes, so it is drawn from the facet file,
    # not fetched again (the plain list costs seconds at 10,000 papers).
    page.go_back()
    page.wait_for_function(f"() => location.search === '' && ({READY})()")
    assert page.url.endswith("/papers/")
    assert_own_state(page, plain_list(page))
    back_to_a_new_page(page)
    assert page.url.endswith("/topics/quantum-computing/")
    assert page.evaluate("document.querySelector('select[name=topic]').value") == "quantum-computing"
    start = start_list(page)
    own = plain_list(page)
    assert set(start) | set(own) == matching(faceted, in_topic("quantum-computing"))
    if results_showing(page):  # swapped in by Material: drawn from the facet file
        assert_own_state(page, own)
    else:  # loaded again by the browser (the page came by a full load): a page view of its own
        assert shown_slugs(page) == start + own


def test_result_links_reach_the_papers_under_the_sub_path(page: Any, base_url: str) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(urlsplit(r.url).path))
    open_list(page, "topics/quantum-computing/?sort=title")
    assert f"/{SUB_PATH}facets.json" in requests
    assert not [p for p in requests if "/pagefind/" in p], "no words: the index is not needed"
    hrefs = page.eval_on_selector_all(".rl-results__list a", "as => as.map(a => a.href)")
    assert hrefs
    for href in hrefs:
        assert href.startswith(base_url + "papers/") or href.startswith(base_url + "topics/"), href
    for href in hrefs[:3]:
        assert page.request.get(href).ok, href
    open_list(page, "topics/quantum-computing/?text=quantum")
    found = [p for p in requests if "/pagefind/" in p]
    assert found and all(p.startswith(f"/{SUB_PATH}pagefind/") for p in found)


def test_values_the_form_does_not_offer_are_ignored(page: Any, faceted: BuiltSite) -> None:
    open_list(
        page, "papers/?topic=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&year=abc-&has=evil&sort=zzz&status=x"
    )
    assert not results_showing(page)
    assert len(shown_slugs(page)) == len(faceted.papers)
    assert page.evaluate("document.querySelectorAll('article img[src=x]').length") == 0


@pytest.mark.parametrize(
    ("path", "sort"), [("papers/", "added"), ("topics/ml-systems/", "title"), ("topics/ml-systems/", "year")]
)
def test_result_items_show_the_paper_as_the_plain_list_does(page: Any, path: str, sort: str) -> None:
    """A result item is the plain list's item of the paper, text for text, summary included
    (the curator's, or on a topic page the start of the abstract), with its data attributes."""
    items_of = """list => [...document.querySelectorAll(list)].map(li => {
                     const c = li.cloneNode(true);
                     c.querySelectorAll('.rl-marks, .rl-new').forEach(e => e.remove());
                     // Material's instant navigation makes the page's links absolute.
                     c.querySelectorAll('a').forEach(a => a.setAttribute('href', a.href));
                     return {slug: li.dataset.slug, added: li.dataset.added, year: li.dataset.year || '',
                             html: c.innerHTML.replace(/\\s+/g, ' ').trim(),
                             summary: li.querySelector('.rl-item__summary')?.textContent || ''}; })"""
    open_list(page, path)
    lists = "article ul.rl-list:not(.rl-results__list) > li, article ul.rl-start-list > li"
    plain = {item["slug"]: item for item in page.evaluate(items_of, lists)}
    page.select_option("select[name=sort]", sort)
    wait_ready(page)
    items: list[dict[str, str]] = page.evaluate(items_of, ".rl-results__list > li")
    assert len(items) == min(50, len(plain))
    for item in items:
        assert item == plain[item["slug"]]
    if path.startswith("topics/"):  # the page's own summaries, of the abstracts
        assert any(item["summary"] for item in items)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        """async () => await axe.run({include: [['form.rl-facets'], ['.rl-results']]},
                                     {resultTypes: ['violations']})"""
    )
    return list(result["violations"])


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_nothing_on_the_controls(page: Any, scheme: str) -> None:
    problems = []
    for path in ["papers/?has=code&sort=year", "topics/quantum-computing/?status=essential&topic="]:
        open_list(page, path)
        if page.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme:
            page.locator("form[data-md-component=palette] label:visible").click()
            page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{scheme}'")
        for state in ("filtered", "cleared"):
            if state == "cleared":  # the page's own list, drawn from the facet file
                page.click("button.rl-facets__reset")
                wait_ready(page)
                assert query(page) == {} and status_line(page) == ""
            assert results_showing(page)
            for v in axe_violations(page):
                nodes = "\n    ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
                problems.append(
                    f"{path} {state} [{scheme}] {v['impact']} {v['id']}: {v['help']}\n    {nodes}"
                )
    assert not problems, "axe-core violations:\n" + "\n".join(problems)


COUNTED: dict[str, Callable[[Paper, str], bool]] = {
    "topic": lambda p, v: v in {t["id"] for t in p["topics"]},
    "status": lambda p, v: p["status"] == v,
    "tag": lambda p, v: v in p["tags"],
}


@pytest.mark.parametrize(
    "chosen",
    [
        {"topic": "quantum-computing"},
        {"topic": "ml-systems", "status": "to-read", "has": "code"},
        {"tag": "survey", "has": "data"},
    ],
)
def test_counts_show_what_each_choice_would_give(
    page: Any, faceted: BuiltSite, chosen: dict[str, str]
) -> None:
    """A choice's count is what picking it would give: of the papers that pass every other
    filter; the checkboxes, which add up, count the results as they are."""

    def passes(p: Paper, leave_out: str = "") -> bool:
        facets = all(COUNTED[f](p, v) for f, v in chosen.items() if f in COUNTED and f != leave_out)
        return facets and all(has(p, kind) for kind in chosen.get("has", "").split(",") if kind)

    open_list(page, "papers/?" + "&".join(f"{k}={v}" for k, v in chosen.items()))
    assert set(all_results(page)) == matching(faceted, passes)
    for facet, test in COUNTED.items():
        options: dict[str, str] = page.evaluate(
            """f => Object.fromEntries([...document.querySelector(`select[name=${f}]`).options]
                                       .filter(o => o.value).map(o => [o.value, o.textContent]))""",
            facet,
        )
        assert options
        for value, text in options.items():
            n = len(matching(faceted, lambda p: passes(p, facet) and test(p, value)))  # noqa: B023
            assert text.endswith(f" ({n})"), (facet, value, text, n)
    titles = {t["id"]: t["title"] for t in faceted.topics}
    topics = page.evaluate("[...document.querySelector('select[name=topic]').options].map(o => o.text)")
    assert [t.rsplit(" (", 1)[0] for t in topics[1:]] == list(titles.values())
    for kind in ("code", "data"):
        label = page.locator(f"input[name=has][value={kind}] >> xpath=..").inner_text()
        n = len(matching(faceted, lambda p: passes(p) and has(p, kind)))  # noqa: B023
        assert label.strip() == f"{kind} ({n})"
