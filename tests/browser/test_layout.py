"""The layout on a phone (390×844) and a laptop (1366×900), light and dark (issue 14).

Every kind of page: nothing sticks out sideways, axe-core finds nothing serious. A paper page
on the phone shows its title, its first author or topic and the start of its abstract on the
first screen, with its topics once. Tables stack, charts fit or scroll inside their own box,
and the sidebar opens at its top.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from .conftest import BuiltSite, Console, new_tab
from .test_pages import axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
SCREENS = {"phone": PHONE, "laptop": LAPTOP}


SCREEN_PARAMS = [(s, c) for s in SCREENS for c in ("light", "dark")]


def screen_id(param: tuple[str, str]) -> str:
    return f"{param[0]}-{param[1]}"


def new_screen_tab(browser: Any, base_url: str, console: Console, param: tuple[str, str]) -> tuple[Any, Any]:
    """A context and tab of the served site at one screen size and colour scheme."""
    size, scheme = param
    context, tab = new_tab(browser, base_url, console, viewport=SCREENS[size], color_scheme=scheme)
    tab.screen_name = size
    tab.scheme = "slate" if scheme == "dark" else "default"
    return context, tab


@pytest.fixture(params=SCREEN_PARAMS, ids=screen_id)
def screen(request: pytest.FixtureRequest, browser: Any, base_url: str, console: Console) -> Iterator[Any]:
    """A tab of the served site at one screen size and colour scheme; fails on console errors."""
    context, tab = new_screen_tab(browser, base_url, console, request.param)
    yield tab
    context.close()
    assert not console.errors, "the pages logged errors:\n" + "\n".join(console.errors)


def open_page(tab: Any, path: str) -> None:
    tab.goto(path)
    tab.wait_for_load_state("networkidle")
    assert tab.evaluate("document.body.getAttribute('data-md-color-scheme')") == tab.scheme


def hardest_papers(built: BuiltSite) -> list[dict[str, Any]]:
    """Papers with an abstract whose first screen is the most crowded: the longest title, the
    most topics, the most authors and links."""
    with_abstract = [p for p in built.papers if p["abstract"]]
    keys = [
        lambda p: (len(p["title"]), p["slug"]),
        lambda p: (len(p["topics"]) + len(p["tags"]), len(p["title"]), p["slug"]),
        lambda p: (len(p["authors"]) + len(p["links"]), len(p["title"]), p["slug"]),
    ]
    chosen = {max(with_abstract, key=key)["slug"]: max(with_abstract, key=key) for key in keys}
    return list(chosen.values())


def every_kind_of_page(built: BuiltSite) -> list[str]:
    biggest = max(
        built.topics, key=lambda t: sum(t["id"] in {x["id"] for x in p["topics"]} for p in built.papers)
    )
    papers = [f"/papers/{p['slug']}/" for p in hardest_papers(built)]
    return ["/", "/topics/", f"/topics/{biggest['id']}/", "/papers/", "/tags/", "/about/", *papers]


# An element sticks out if it reaches past the right edge of the window, unless a box between
# it and the page clips or scrolls it inside the window (a chart's scroll box), or has no size
# (Material's closed search results).
# Elements not rendered (display: none, zero size, visibility: hidden) do not count.
_STICKING_OUT = """
() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right <= width + 1 || box.width === 0 || box.height === 0) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    let clipped = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow !== 'visible') {
        const clip = up.getBoundingClientRect();  // a box of no size hides all it holds
        clipped = clip.right <= width + 1 || clip.width === 0 || clip.height === 0;
        break;
      }
    }
    if (!clipped) {
      const name = el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
      found.push(`${name} reaches ${Math.round(box.right)} px`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, found: found.slice(0, 8)};
}
"""


@dataclass(frozen=True)
class Survey:
    """Every kind of page opened once at one screen: what sticks out of each, what axe-core
    finds on each, and what the pages logged as errors."""

    sticking_out: dict[str, dict[str, Any]]
    axe: dict[str, list[dict[str, Any]]]
    errors: list[str]


@pytest.fixture(scope="module", params=SCREEN_PARAMS, ids=screen_id)
def survey(request: pytest.FixtureRequest, browser: Any, base_url: str, built: BuiltSite) -> Survey:
    """Both whole-page checks on one visit of each page: opening a page is most of the cost of
    measuring it, and the two checks only read it (the sideways one first, before axe-core's
    script is added)."""
    console = Console(base_url)
    context, tab = new_screen_tab(browser, base_url, console, request.param)
    sticking_out, axe = {}, {}
    try:
        for path in every_kind_of_page(built):
            open_page(tab, path)
            sticking_out[path] = tab.evaluate(_STICKING_OUT)
            axe[path] = axe_violations(tab)
    finally:
        context.close()
    return Survey(sticking_out, axe, console.errors)


def test_no_element_sticks_out_sideways(survey: Survey) -> None:
    problems = [
        f"{path}: page {result['scrollWidth']} px wide in {result['width']}: {result['found']}"
        for path, result in survey.sticking_out.items()
        if result["found"] or result["scrollWidth"] > result["width"]
    ]
    assert not problems, "\n".join(problems)
    assert not survey.errors, "the pages logged errors:\n" + "\n".join(survey.errors)


def test_axe_finds_nothing_serious(survey: Survey) -> None:
    problems = []
    for path, violations in survey.axe.items():
        for v in violations:
            nodes = "\n    ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
            problems.append(f"{path} {v['impact']} {v['id']}: {v['help']}\n    {nodes}")
    assert not problems, "axe-core violations:\n" + "\n".join(problems)
    assert not survey.errors, "the pages logged errors:\n" + "\n".join(survey.errors)


_FIRST_SCREEN = """
() => {
  const bottom = window.innerHeight;
  const h1 = document.querySelector('article h1');
  const card = document.querySelector('article .rl-card');
  const who = card.querySelector('.rl-card__authors') || card.querySelector('.rl-card__topics a');
  const abstract = document.querySelector('article .rl-abstract');
  const line = parseFloat(getComputedStyle(abstract).lineHeight);
  return {
    title: h1.getBoundingClientRect().bottom <= bottom,
    who: who.getBoundingClientRect().bottom <= bottom,
    abstract: abstract.getBoundingClientRect().top + 2 * line <= bottom,
    abstractTop: Math.round(abstract.getBoundingClientRect().top),
    topicChips: card.querySelectorAll('.rl-card__topics a').length,
    materialTags: document.querySelectorAll('article .md-tags, article .md-tag').length,
    cardLabelAbove: (() => {
      const dt = card.querySelector('dt'), dd = card.querySelector('dd');
      return dd.getBoundingClientRect().top >= dt.getBoundingClientRect().bottom - 1;
    })(),
  };
}
"""


def test_a_paper_comes_first_on_a_phone(screen: Any, built: BuiltSite) -> None:
    for paper in hardest_papers(built):
        open_page(screen, f"/papers/{paper['slug']}/")
        seen = screen.evaluate(_FIRST_SCREEN)
        assert seen["topicChips"] == len(paper["topics"]), paper["slug"]
        assert seen["materialTags"] == 0, f"{paper['slug']}: topics shown twice"
        if screen.screen_name == "phone":
            # The title, the first author or topic, and two lines of the abstract.
            assert seen["title"] and seen["who"] and seen["abstract"], (paper["slug"], seen)
            assert seen["cardLabelAbove"], paper["slug"]
        else:
            assert not seen["cardLabelAbove"], paper["slug"]  # labels beside values


#: A table as Python-Markdown writes one from a curator's page (no generated page has one since
#: the home page lists its topics): the rules apply to every table of an article.
_TABLE = (
    "<table><thead><tr><th>Topic</th><th>Papers</th><th>What it covers</th></tr></thead><tbody>"
    + "<tr><td>A long topic name &amp; more</td><td>12</td><td>" + "words " * 40 + "</td></tr>" * 3
    + "</tbody></table>"
)


def test_tables_stack_into_rows_on_a_phone(screen: Any) -> None:
    open_page(screen, "/")
    screen.evaluate("html => document.querySelector('article').insertAdjacentHTML('beforeend', html)", _TABLE)
    table = screen.evaluate(
        """() => { const t = document.querySelector('article table');
                   const row = t.querySelector('tbody tr');
                   return {display: getComputedStyle(row).display, right: t.getBoundingClientRect().right,
                           article: document.querySelector('article').getBoundingClientRect().right,
                           head: t.querySelector('thead').getBoundingClientRect().height}; }"""
    )
    if screen.screen_name == "phone":
        assert table["display"] == "block"
        assert table["right"] <= table["article"] + 1
        assert table["head"] <= 1  # there for screen readers, not shown
    else:
        assert table["display"] == "table-row"


_CHARTS = """
() => [...document.querySelectorAll('article img[src*="assets/charts/"]')].map(img => {
  const box = img.closest('.rl-chart-scroll');
  return {src: img.getAttribute('src'), shown: img.getBoundingClientRect().width,
          natural: img.naturalWidth, complete: img.complete,
          scrolls: !!box && box.scrollWidth > box.clientWidth + 1,
          focusable: !!box && box.getAttribute('tabindex') === '0',
          named: !!box && !!box.getAttribute('aria-label')};
})
"""


@pytest.mark.parametrize("where", ["topic", "largest topic"])
def test_charts_are_full_size_or_scroll_in_their_box(screen: Any, built: BuiltSite, where: str) -> None:
    if where == "topic":
        path = f"/topics/{built.topics[0]['id']}/"
    else:
        sizes = {t["id"]: sum(t in p["topics"] for p in built.papers) for t in built.topics}
        path = f"/topics/{max(sorted(sizes), key=sizes.__getitem__)}/"
    open_page(screen, path)
    screen.wait_for_function(
        "() => [...document.querySelectorAll('article img[src*=\"assets/charts/\"]')].every(i => i.complete)"
    )
    charts = screen.evaluate(_CHARTS)
    assert len(charts) >= 2
    for chart in charts:
        assert chart["natural"] > 0, chart
        if chart["scrolls"]:
            assert chart["focusable"] and chart["named"], chart  # the keyboard can scroll it too
        if screen.screen_name == "phone":
            # Never shrunk on a phone: readable at its own size, sideways if need be.
            assert chart["shown"] >= chart["natural"] - 1, chart
            assert chart["scrolls"] or chart["natural"] <= PHONE["width"] - 32, chart


_SIDEBAR = """
() => {
  const wrap = document.querySelector('.md-sidebar--primary .md-sidebar__scrollwrap');
  const title = wrap.querySelector('.md-nav--primary > .md-nav__title');
  const active = wrap.querySelector('.md-nav__link--active[href]');
  const top = wrap.getBoundingClientRect().top;
  const edge = title ? title.getBoundingClientRect().bottom : top;
  const cut = [...wrap.querySelectorAll('.md-nav__link')].filter(a => {
    const b = a.getBoundingClientRect();
    return b.height && b.top < edge - 1 && b.bottom > edge + 1;
  }).map(a => a.textContent.trim());
  const a = active.getBoundingClientRect(), w = wrap.getBoundingClientRect();
  return {scrollTop: wrap.scrollTop, cut, activeShown: a.top >= edge - 1 && a.bottom <= w.bottom + 1};
}
"""


def test_sidebar_opens_at_its_top(screen: Any, built: BuiltSite) -> None:
    last = built.topics[-1]["id"]
    middle = built.topics[len(built.topics) // 2]["id"]
    for path in ["/papers/", "/tags/", "/about/", f"/topics/{middle}/", f"/topics/{last}/"]:
        open_page(screen, path)
        screen.wait_for_timeout(300)  # Material scrolls the sidebar a frame after the page loads
        if screen.screen_name == "phone":
            # The sidebar is a drawer: it opens at its top on every page.
            screen.click(".md-header label[for=__drawer]")
            screen.wait_for_timeout(400)
            state = screen.evaluate(_SIDEBAR)
            assert state["scrollTop"] == 0 and not state["cut"], (path, state)
        elif path.endswith(f"/{last}/"):
            # The last topic's link does not show from the top: the sidebar scrolls to it,
            # with no item cut in half under its title.
            state = screen.evaluate(_SIDEBAR)
            assert state["activeShown"] and not state["cut"], (path, state)
        else:
            state = screen.evaluate(_SIDEBAR)
            assert state["scrollTop"] == 0 and state["activeShown"], (path, state)
