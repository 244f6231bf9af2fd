"""Reading paths in headless Chromium: the pages render, prev/next walk each whole path (by
instant navigation, both ways), the home page orients, axe-core is clean light and dark, and
nothing overflows a phone's width."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import BuiltSite
from .helpers import at
from .test_pages import axe_problems

PHONE = {"width": 360, "height": 740}


def paths_of(built: BuiltSite) -> list[dict[str, Any]]:
    data = json.loads((built.site / "papers.json").read_text(encoding="utf-8"))
    paths: list[dict[str, Any]] = data["paths"]
    return paths


def test_the_shipped_list_has_paths_of_four_to_eight_steps(built: BuiltSite) -> None:
    paths = paths_of(built)
    assert len(paths) >= 3
    slugs = {p["slug"] for p in built.papers}
    for path in paths:
        assert 4 <= len(path["steps"]) <= 8, path["id"]
        assert set(path["steps"]) <= slugs and len(set(path["steps"])) == len(path["steps"])


def test_paths_index_and_each_path_page_list_the_steps_in_order(page: Any, built: BuiltSite) -> None:
    page.goto("/")
    page.locator(".md-nav__link:visible", has_text="Reading paths").first.click()
    page.wait_for_url(at("/paths/"))
    page.wait_for_selector("article h2 a[href*='/paths/']")  # swapped in after the address changed
    for path in paths_of(built):
        # Material's instant navigation makes every link absolute: compare where they lead.
        assert page.locator(f"article h2 a[href$='/paths/{path['id']}/']").count() == 1, path["id"]
    for path in paths_of(built):
        page.goto(f"/paths/{path['id']}/")
        hrefs = page.eval_on_selector_all(
            "article ol > li > p:first-child > a[href*='papers/']", "as => as.map(a => a.pathname)"
        )
        assert hrefs == [f"/papers/{slug}/" for slug in path["steps"]], path["id"]
        # Each step shows the curator's why, as text (never as markup).
        whys = page.eval_on_selector_all("article ol > li > p + p", "ps => ps.map(p => p.textContent.trim())")
        assert len(whys) == len(path["steps"]) and all(len(w) > 20 for w in whys), path["id"]


def _where(page: Any, path_id: str) -> str:
    text: str = page.locator(f"nav[data-path='{path_id}'] .rl-path-nav__where").inner_text()
    return " ".join(text.split())


def _arrive(page: Any, slug: str) -> None:
    """Wait until the paper's page is shown: Material's instant navigation changes the address
    at the click, and swaps the content in once it is fetched."""
    page.wait_for_url(at(f"/papers/{slug}/"))
    page.wait_for_function(
        "slug => document.querySelector('.rl-card[data-slug]')?.dataset.slug === slug", arg=slug
    )


@pytest.mark.parametrize("index", range(4))
def test_prev_and_next_walk_the_whole_path_both_ways(page: Any, built: BuiltSite, index: int) -> None:
    paths = paths_of(built)
    if index >= len(paths):
        pytest.skip("fewer paths")
    path = paths[index]
    steps, n = path["steps"], len(path["steps"])
    nav = f"nav[data-path='{path['id']}']"
    page.goto(f"/papers/{steps[0]}/")
    page.wait_for_load_state("networkidle")  # Material reads sitemap.xml before it takes clicks
    assert page.locator(f"{nav} [data-path-nav='prev']").count() == 0
    for k, slug in enumerate(steps, start=1):
        assert page.url.endswith(f"/papers/{slug}/"), (k, page.url)
        assert _where(page, path["id"]) == f"Step {k} of {n} in {path['title']}"
        assert page.locator(nav).get_attribute("aria-label") == f"Reading path: {path['title']}"
        if k < n:
            page.evaluate("window.rlSamePage = true")
            page.locator(f"{nav} [data-path-nav='next']").click()  # Material's instant navigation
            _arrive(page, steps[k])
            assert page.evaluate("window.rlSamePage === true"), "expected an instant navigation"
    assert page.locator(f"{nav} [data-path-nav='next']").count() == 0
    for k in range(n - 1, 0, -1):
        page.locator(f"{nav} [data-path-nav='prev']").click()
        _arrive(page, steps[k - 1])
        assert _where(page, path["id"]) == f"Step {k} of {n} in {path['title']}"
    page.locator(f"{nav} .rl-path-nav__where a").click()
    page.wait_for_url(at(f"/paths/{path['id']}/"))


def test_home_page_orients_in_order(page: Any, built: BuiltSite) -> None:
    page.goto("/")
    headings = page.eval_on_selector_all("article h2", "hs => hs.map(h => h.firstChild.textContent.trim())")
    assert headings == ["Start here", "Recently added", "Topics"]
    intro = page.locator("article h1 + p").inner_text()
    assert f"{len(built.papers)} research papers" in intro and intro.count(".") == 2
    start = page.locator("article h2:has-text('Start here') ~ ul").first
    for path in paths_of(built):
        assert start.locator(f"a[href$='/paths/{path['id']}/']").count() == 1
    essential = [p["slug"] for p in built.papers if p["status"] == "essential"]
    assert essential, "the shipped list marks some papers essential"
    for slug in essential:
        assert page.locator(f"article a[href$='/papers/{slug}/']").count() >= 1, slug
    assert page.locator("article img").count() == 0  # no chart, no matrix


def test_topic_pages_open_with_their_essential_papers(page: Any, built: BuiltSite) -> None:
    topic = next(
        t
        for t in built.topics
        if any(p["status"] == "essential" and t["id"] in {x["id"] for x in p["topics"]} for p in built.papers)
    )
    page.goto(f"/topics/{topic['id']}/")
    first = page.locator("article h2").first
    assert first.inner_text().startswith("Start here")
    listed = page.eval_on_selector_all(
        "article h2:first-of-type + p + ul > li > a:first-child", "as => as.map(a => a.pathname)"
    )
    expected = [
        f"/papers/{p['slug']}/"
        for p in built.papers
        if p["status"] == "essential" and topic["id"] in {x["id"] for x in p["topics"]}
    ]
    assert sorted(listed) == sorted(expected)


def _pages(built: BuiltSite) -> list[str]:
    path = paths_of(built)[0]
    # Topic pages, "Start here" included, are checked by test_pages.py (its largest topic has one).
    return ["/", "/paths/", f"/paths/{path['id']}/", f"/papers/{path['steps'][1]}/"]


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_no_violation_on_path_pages(page: Any, built: BuiltSite, scheme: str) -> None:
    problems = axe_problems(page, _pages(built), scheme)
    assert not problems, "axe-core violations:\n" + "\n".join(problems)


def test_nothing_is_wider_than_a_phone(page: Any, built: BuiltSite) -> None:
    page.set_viewport_size(PHONE)
    for url in _pages(built):
        page.goto(url)
        wide = page.evaluate(
            """() => [...document.querySelectorAll('article *')]
                 .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                 .map(e => e.tagName + '.' + e.className).slice(0, 5)"""
        )
        assert wide == [], (url, wide)
        # The path links are tap targets of at least 44 CSS pixels.
        for box in page.eval_on_selector_all(
            "[data-path-nav]", "as => as.map(a => a.getBoundingClientRect().height)"
        ):
            assert box >= 44, (url, box)
