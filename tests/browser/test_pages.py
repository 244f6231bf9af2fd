"""The built site in headless Chromium: topic and tag listings, the palette toggle, axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import BuiltSite
from .helpers import AXE, heading

pytestmark = pytest.mark.browser


def paper_links(page: Any, selector: str) -> set[str]:
    """Slugs of the paper pages linked from the elements matching `selector`."""
    hrefs: list[str] = page.eval_on_selector_all(
        selector, "els => els.map(a => new URL(a.getAttribute('href'), location.href).pathname)"
    )
    return {h.split("/")[2] for h in hrefs if h.startswith("/papers/") and h.count("/") == 3}


def members(built: BuiltSite, topic_id: str) -> set[str]:
    return {p["slug"] for p in built.papers if topic_id in {t["id"] for t in p["topics"]}}


def test_topic_pages_list_their_papers(page: Any, built: BuiltSite) -> None:
    # The biggest and the smallest topic, and one with markup characters in its title, in the
    # browser; test_crawl.py checks every topic page's list in the HTML.
    by_size = sorted(built.topics, key=lambda t: (len(members(built, t["id"])), t["id"]))
    marked = [t for t in built.topics if set(t["title"]) & set("&<>*_[]")]
    for topic in {t["id"]: t for t in [by_size[0], by_size[-1], *marked[:1]]}.values():
        expected = members(built, topic["id"])
        page.goto(f"/topics/{topic['id']}/")
        assert heading(page) == topic["title"]
        # The lists of papers ("Start here", then the others), not links elsewhere on the page.
        listed = paper_links(page, "article :is(ul.rl-start-list, ul.rl-list) a")
        assert listed == expected, f"{topic['id']}: missing {expected - listed}, extra {listed - expected}"


def test_tags_page_lists_every_tag_with_its_papers(page: Any, built: BuiltSite) -> None:
    expected: dict[str, set[str]] = {}
    for paper in built.papers:
        for tag in [t["title"] for t in paper["topics"]] + paper["tags"]:
            expected.setdefault(tag, set()).add(paper["slug"])
    page.goto("/tags/")
    shown: dict[str, list[str]] = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('article h2')].map(h => {
             const list = h.nextElementSibling;
             const links = list ? [...list.querySelectorAll('a')] : [];
             return [h.querySelector('.md-tag').textContent.trim(),
                     links.map(a => new URL(a.getAttribute('href'), location.href).pathname.split('/')[2])];
           }))"""
    )
    assert set(shown) == set(expected)
    for tag, slugs in expected.items():
        assert set(shown[tag]) == slugs, tag


def test_palette_toggle_flips_and_persists(page: Any, built: BuiltSite) -> None:
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    page.goto("/")
    assert page.evaluate(scheme) == "default"
    page.locator("label[title='Switch to dark mode']:visible").click()
    page.wait_for_function(f"{scheme} === 'slate'")
    # Instant navigation (a click) and a full page load both keep the reader's choice.
    page.locator("article a[href*='topics/']").first.click()
    page.wait_for_url("**/topics/**")
    assert page.evaluate(scheme) == "slate"
    page.goto(f"/papers/{built.papers[0]['slug']}/")
    assert page.evaluate(scheme) == "slate"
    page.locator("label[title='Switch to light mode']:visible").click()
    page.wait_for_function(f"{scheme} === 'default'")
    page.reload()
    assert page.evaluate(scheme) == "default"


def test_pages_load_without_console_errors(page: Any, built: BuiltSite) -> None:
    # The `page` fixture fails the test on any console error or uncaught exception; this test
    # makes sure every kind of page is visited at least once.
    for path in ["/", "/topics/", f"/topics/{built.topics[0]['id']}/", "/papers/", "/tags/", "/about/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    page.goto(f"/papers/{built.papers[-1]['slug']}/")
    page.wait_for_load_state("networkidle")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_no_serious_violation(page: Any, built: BuiltSite, scheme: str) -> None:
    # The topic and paper with the most chips and links: the likeliest to break contrast.
    topic = max(
        built.topics, key=lambda t: sum(t["id"] in {x["id"] for x in p["topics"]} for p in built.papers)
    )
    paper = max(built.papers, key=lambda p: (len(p["topics"]) + len(p["tags"]), p["slug"]))
    problems = axe_problems(page, ["/", f"/topics/{topic['id']}/", f"/papers/{paper['slug']}/"], scheme)
    assert not problems, "axe-core violations:\n" + "\n".join(problems)


def axe_problems(page: Any, paths: list[str], scheme: str) -> list[str]:
    """The serious and critical axe-core violations of each page, in the palette `scheme`."""
    problems = []
    for path in paths:
        page.goto(path)
        if page.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme:
            page.locator("form[data-md-component=palette] label:visible").click()
            page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{scheme}'")
        for v in axe_violations(page):
            nodes = "\n    ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
            problems.append(f"{path} [{scheme}] {v['impact']} {v['id']}: {v['help']}\n    {nodes}")
    return problems
