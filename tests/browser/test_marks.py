"""A reader's own marks in headless Chromium (overrides/assets/javascripts/marks.js).

Marks, the visit times and My list live in the browser's localStorage, under one key per site
path. The export test runs on the golden fixture content (five papers it can cite, two it
cannot, one title full of LaTeX and Markdown specials) served under a sub-path, as a project
site of GitHub Pages is; the others run on the shipped site.
"""

from __future__ import annotations

import calendar
import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bibtexparser
import pytest

from .conftest import BuiltSite, Console, open_tab
from .helpers import AXE, REPO, at, build_site, copy_project, serve

MARKS = ("read", "to-read", "star")
DAY_MS = 24 * 60 * 60 * 1000
SUB_PATH = "reading-list"


def key(prefix: str = "/") -> str:
    return f"{prefix}.rl-marks"


def store(page: Any, value: object, prefix: str = "/") -> None:
    """Put `value` (JSON, or a raw string) in the marks' storage key of the open page's site."""
    raw = value if isinstance(value, str) else json.dumps(value)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key(prefix), raw])


def stored(page: Any, prefix: str = "/") -> Any:
    return page.evaluate("k => JSON.parse(localStorage.getItem(k))", key(prefix))


def pressed(page: Any, scope: str) -> set[str]:
    """The marks shown as pressed in the first group of buttons inside `scope`."""
    group = page.locator(f"{scope} [data-rl-marks]").first
    group.wait_for()
    return {
        m for m in MARKS if group.locator(f"button[data-mark='{m}']").get_attribute("aria-pressed") == "true"
    }


def item_of(slug: str) -> str:
    return f"article li:has(> a[href$='/papers/{slug}/'])"


def marks_state(marks: dict[str, list[str]], last: float = 0, previous: float = 0) -> dict[str, Any]:
    return {"v": 1, "marks": marks, "visit": {"last": last, "previous": previous}}


def test_buttons_have_names_and_start_unpressed(page: Any, built: BuiltSite) -> None:
    slug = built.papers[0]["slug"]
    page.goto(f"/papers/{slug}/")
    buttons = page.locator("aside.rl-card[data-slug] [data-rl-marks] button[data-mark]")
    buttons.first.wait_for()
    names = [buttons.nth(i).get_attribute("aria-label") for i in range(buttons.count())]
    assert names == ["Mark as read", "Mark to read", "Star"]
    assert pressed(page, "aside.rl-card") == set()
    topic = built.paper(slug)["topics"][0]["id"]
    page.goto(f"/topics/{topic}/")
    members = [p["slug"] for p in built.papers if topic in {t["id"] for t in p["topics"]}]
    groups = page.locator("article li [data-rl-marks]")
    groups.first.wait_for()
    assert sorted(
        page.eval_on_selector_all("article li [data-rl-marks]", "gs => gs.map(g => g.dataset.rlMarks)")
    ) == sorted(members)
    # An item a page's script adds later, as the filtered lists of list pages do, gets them too.
    page.evaluate(
        """(slug) => { const li = document.createElement('li'); li.className = 'rl-item';
             li.dataset.slug = slug; const a = document.createElement('a');
             a.href = '../../papers/' + slug + '/'; a.textContent = 'Added later'; li.append(a);
             document.querySelector('article ul').append(li); }""",
        slug,
    )
    assert pressed(page, f"article li.rl-item[data-slug='{slug}']") == set()


def test_a_mark_survives_a_reload_and_instant_navigation(sub_page: Any, sub_site: SubSite) -> None:
    page, url, prefix = sub_page, sub_site.url, sub_site.prefix
    reasoning = [p for p in sub_site.papers if "reasoning" in {t["id"] for t in p["topics"]}]
    paper, other = reasoning[0], reasoning[1]
    page.goto(f"{url}papers/{paper['slug']}/")
    card = "aside.rl-card"
    page.locator(f"{card} button[data-mark='read']").click()
    # The keyboard: a focused button toggles with Space, and shows where the focus is.
    star = page.locator(f"{card} button[data-mark='star']")
    star.focus()
    page.keyboard.press("Space")
    assert pressed(page, card) == {"read", "star"}
    assert star.evaluate("b => b.matches(':focus-visible') && getComputedStyle(b).outlineStyle !== 'none'")
    assert stored(page, prefix)["marks"] == {paper["slug"]: ["read", "star"]}
    page.reload()
    assert pressed(page, card) == {"read", "star"}

    # Instant navigation: the window (and this marker) survives, the page is swapped.
    page.wait_for_load_state("networkidle")  # Material reads its sitemap before it navigates instantly
    page.evaluate("window.rlSamePage = true")
    page.locator(f"{card} .rl-card__topics a[href*='/topics/reasoning/']").click()
    page.wait_for_url(at("/topics/reasoning/"))
    assert page.evaluate("window.rlSamePage === true"), "expected an instant navigation"
    assert pressed(page, item_of(paper["slug"])) == {"read", "star"}
    # Marked in a list, seen on the paper's page after another instant navigation.
    page.locator(f"{item_of(other['slug'])} button[data-mark='to-read']").click()
    page.locator(f"article li > a[href$='/papers/{other['slug']}/']").click()
    page.wait_for_url(at(f"/papers/{other['slug']}/"))
    assert page.evaluate("window.rlSamePage === true")
    assert pressed(page, card) == {"to-read"}
    page.locator(f"{card} button[data-mark='to-read']").press("Enter")
    assert pressed(page, card) == set()
    assert stored(page, prefix)["marks"] == {paper["slug"]: ["read", "star"]}


def test_a_long_list_gets_its_buttons_as_the_reader_scrolls(page: Any, built: BuiltSite) -> None:
    page.goto("/papers/")
    page.locator("article li [data-rl-marks]").first.wait_for()
    # A list of 2,000 papers, made by a script (as a list page's own filtering would).
    total = page.evaluate(
        """() => { const ul = document.querySelector('article ul'); const items = [...ul.children];
             while (ul.children.length < 2000) for (const li of items) {
               const copy = li.cloneNode(true); copy.querySelector('[data-rl-marks]').remove();
               ul.append(copy); }
             return ul.children.length; }"""
    )
    groups = "document.querySelectorAll('article li [data-rl-marks]').length"
    page.wait_for_function(f"{groups} >= {len(built.papers)} + 300")
    assert page.evaluate(groups) < total, "the items far below the screen wait"
    last = page.locator("article ul > li").last
    last.scroll_into_view_if_needed()
    last.locator("[data-rl-marks]").wait_for()
    last.locator("button[data-mark='star']").click()
    slug = last.locator("[data-rl-marks]").get_attribute("data-rl-marks")
    assert stored(page)["marks"] == {slug: ["star"]}


@dataclass(frozen=True)
class SubSite:
    """The golden fixture content, built for and served at <server>/reading-list/."""

    url: str
    papers: list[dict[str, Any]]
    site: Path

    @property
    def prefix(self) -> str:
        return f"/{SUB_PATH}/"


@pytest.fixture(scope="module")
def sub_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SubSite]:
    """The golden content served under a sub-path (the test server moves sitemap.xml's addresses
    there, so Material navigates instantly, as on GitHub Pages)."""
    served = tmp_path_factory.mktemp("served")
    with serve(served) as server:
        url = f"{server}{SUB_PATH}/"
        root = copy_project(
            tmp_path_factory.mktemp("marks") / "project",
            REPO / "tests" / "core" / "fixtures" / "golden-content",
        )
        site = build_site(root)
        shutil.copytree(site, served / SUB_PATH)
        papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
        yield SubSite(url, papers, site)


@pytest.fixture()
def sub_page(browser: Any, sub_site: SubSite) -> Iterator[Any]:
    """A fresh tab on the sub-path site; the test fails if any page logged an error."""
    console = Console(sub_site.url)
    with open_tab(browser, sub_site.url, console) as tab:
        yield tab
    assert not console.errors, "the pages logged errors:\n" + "\n".join(console.errors)


def download(page: Any, selector: str) -> str:
    with page.expect_download() as info:
        page.locator(selector).click()
    path = info.value.path()
    return Path(path).read_text(encoding="utf-8")


def test_my_list_exports_exactly_the_marked_papers(sub_page: Any, sub_site: SubSite) -> None:
    page, url, papers, site, prefix = sub_page, sub_site.url, sub_site.papers, sub_site.site, sub_site.prefix
    citable = [p for p in papers if p["cite"]]
    uncited = [p for p in papers if not p["cite"]]
    assert len(citable) >= 3 and uncited, "the fixture needs papers of both kinds"
    hostile = next(p for p in citable if "{{" in p["title"])  # F* and F*: `Stim", ... {{ x }}
    marks = {
        citable[0]["slug"]: ["read"],
        hostile["slug"]: ["to-read", "star"],
        uncited[0]["slug"]: ["read"],
    }
    # One mark by hand, the others put in storage: both are the reader's.
    page.goto(f"{url}papers/{citable[1]['slug']}/")
    page.locator("aside.rl-card button[data-mark='star']").click()
    marks[citable[1]["slug"]] = ["star"]
    unmarked = [p for p in citable if p["slug"] not in marks]
    assert unmarked
    assert stored(page, prefix)["marks"] == {citable[1]["slug"]: ["star"]}
    store(page, marks_state(marks), prefix)
    page.goto(f"{url}my-list/")
    page.locator("button[data-export='bibtex']").wait_for()

    for mark in MARKS:
        group = page.locator(f"[data-rl-mylist] section[data-group='{mark}']")
        shown = group.locator("li[data-slug]")
        expected = {slug for slug, ms in marks.items() if mark in ms}
        assert {shown.nth(i).get_attribute("data-slug") for i in range(shown.count())} == expected
        for slug in expected:
            href = group.locator(f"li[data-slug='{slug}'] > a").get_attribute("href")
            assert href == f"{url}papers/{slug}/"
    note = page.locator(".rl-mylist__uncited")
    assert "cannot cite" in note.inner_text()
    assert note.locator("li[data-uncited]").evaluate_all("ls => ls.map(l => l.dataset.uncited)") == [
        uncited[0]["slug"]
    ]

    bib = download(page, "button[data-export='bibtex']")
    library = bibtexparser.parse_string(bib)  # type: ignore[attr-defined]
    assert not library.failed_blocks
    keys = {entry.key for entry in library.entries}
    assert keys == {p["cite"] for p in citable if p["slug"] in marks}
    assert not keys & {p["cite"] for p in unmarked}
    # The entries are the list's own, byte for byte.
    own = (site / "papers.bib").read_text(encoding="utf-8")
    for block in bib.strip().split("\n\n"):
        assert block + "\n" in own

    data = json.loads(download(page, "button[data-export='json']"))
    assert {p["slug"]: p["marks"] for p in data["papers"]} == marks
    assert data["site"] == url

    # The selection: without the read papers, only the to-read and starred ones.
    page.locator("input[name='rl-export'][value='read']").uncheck()
    bib = download(page, "button[data-export='bibtex']")
    library = bibtexparser.parse_string(bib)  # type: ignore[attr-defined]
    assert {e.key for e in library.entries} == {
        p["cite"] for p in citable if p["slug"] in marks and marks[p["slug"]] != ["read"]
    }
    assert not note.locator("li[data-uncited]").count()


def newest_day_ms(built: BuiltSite) -> int:
    newest = max(p["added"] for p in built.papers)
    return calendar.timegm(time.strptime(newest, "%Y-%m-%d")) * 1000


def badges(page: Any) -> list[str]:
    """The slugs of the list items with a "new since your last visit" badge."""
    page.wait_for_load_state("networkidle")
    result: list[str] = page.eval_on_selector_all(
        "article li:has(.rl-new) [data-rl-marks]", "gs => gs.map(g => g.dataset.rlMarks)"
    )
    return sorted(result)


def listed(page: Any) -> list[str]:
    result: list[str] = page.eval_on_selector_all(
        "article li [data-rl-marks]", "gs => gs.map(g => g.dataset.rlMarks)"
    )
    return sorted(result)


def test_new_since_the_last_visit_appears_and_clears(page: Any, built: BuiltSite) -> None:
    topic = built.topics[0]["id"]
    page.goto("/")
    page.locator("article li [data-rl-marks]").first.wait_for()
    assert badges(page) == [], "a first visit has nothing new"
    first = stored(page)["visit"]
    assert first["previous"] == 0 and first["last"] > 0

    # The previous visit ended the day before the newest papers were added.
    newest = newest_day_ms(built)
    store(page, marks_state({}, last=newest - DAY_MS / 2))
    page.reload()
    new = sorted(p["slug"] for p in built.papers if p["added"] == max(q["added"] for q in built.papers))
    on_home = badges(page)
    assert on_home and on_home == [s for s in listed(page) if s in new]
    assert page.locator("article .rl-new").first.text_content() == "New since your last visit"
    # The same visit goes on: a topic page shows its new papers too.
    page.locator(f"article a[href$='topics/{topic}/']").first.click()
    page.wait_for_url(at(f"/topics/{topic}/"))
    # Material's instant navigation changes the address at the click and swaps the page in later.
    page.wait_for_function(
        "title => document.querySelector('article h1')?.textContent.startsWith(title)",
        arg=built.topics[0]["title"],
    )
    page.locator("article li [data-rl-marks]").first.wait_for()
    on_topic = badges(page)
    assert on_topic and on_topic == [s for s in listed(page) if s in new]
    assert stored(page)["visit"]["previous"] == newest - DAY_MS / 2

    # The next visit, after a gap: what the last one showed is no longer new.
    visit = stored(page)["visit"]
    store(page, marks_state({}, last=visit["last"] - 31 * 60 * 1000, previous=visit["previous"]))
    page.reload()
    page.locator("article li [data-rl-marks]").first.wait_for()
    assert badges(page) == []
    page.goto("/")
    assert badges(page) == []


BLOCKED = {
    # Cookies and site data blocked: reading window.localStorage itself throws.
    "no-storage": """Object.defineProperty(window, 'localStorage', {configurable: true, get() {
        throw new DOMException('Access is denied for this document.', 'SecurityError'); }});""",
    # Every call throws (some private modes).
    "storage-throws": """for (const name of ['getItem', 'setItem', 'removeItem', 'key', 'clear'])
        Storage.prototype[name] = function () { throw new DOMException('denied', 'SecurityError'); };""",
}


@pytest.mark.parametrize("kind", sorted(BLOCKED))
def test_blocked_storage_leaves_the_plain_site(page: Any, built: BuiltSite, kind: str) -> None:
    page.add_init_script(BLOCKED[kind])
    paper = built.papers[0]
    for path in ["/", f"/topics/{built.topics[0]['id']}/", "/papers/", f"/papers/{paper['slug']}/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.locator("article h1").count() == 1
        assert page.locator("button[data-mark]").count() == 0, "no button that cannot keep a mark"
        assert page.locator(".rl-new").count() == 0
    # Material's palette toggle keeps its choice in the same storage.
    page.locator("form[data-md-component=palette] label:visible").click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.locator("a[href$='my-list/']:visible").first.click()
    page.wait_for_url(at("/my-list/"))
    status = page.locator("[data-rl-mylist] .rl-mylist__status")
    page.wait_for_function(
        "document.querySelector('[data-rl-mylist] .rl-mylist__status')?.textContent.includes('does not let')"
    )
    assert "no marks to show" in status.inner_text()
    assert page.locator("button[data-export]").count() == 0


def test_a_full_storage_says_the_mark_was_not_kept(page: Any, built: BuiltSite) -> None:
    page.add_init_script(
        """Storage.prototype.setItem = function () {
             throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };"""
    )
    page.goto(f"/papers/{built.papers[0]['slug']}/")
    page.locator("aside.rl-card button[data-mark='read']").click()
    assert pressed(page, "aside.rl-card") == set()
    assert "did not keep" in page.locator("aside.rl-card [role=status]").inner_text()


HOSTILE = [
    "{not json",
    "null",
    '"a string"',
    json.dumps({"v": 2, "marks": {"x": ["read"]}}),
    json.dumps(
        {
            "v": 1,
            "marks": {
                "<img src=x onerror=window.rlInjected=1>": ["read"],
                "constructor": ["star", "<b>bold</b>"],
                "__proto__": ["read"],
                "SLUG": ["read"],
                "fine-but-gone": "read",
                "x" * 300: ["read"],
            },
            "visit": {"last": "yesterday", "previous": 1e300},
        }
    ),
]


@pytest.mark.parametrize("value", HOSTILE, ids=["not-json", "null", "string", "other-version", "hostile"])
def test_what_others_stored_is_checked_not_trusted(page: Any, built: BuiltSite, value: str) -> None:
    paper = built.papers[1]
    page.goto("/")
    store(page, value)
    page.goto("/my-list/")
    page.wait_for_load_state("networkidle")
    status = page.locator("[data-rl-mylist] .rl-mylist__status")
    page.wait_for_function("!/JavaScript/.test(document.querySelector('[data-rl-mylist]').textContent)")
    assert page.evaluate("window.rlInjected") is None
    assert page.locator("[data-rl-mylist] img, [data-rl-mylist] b").count() == 0
    shown = page.locator("[data-rl-mylist] li[data-slug]")
    slugs = {shown.nth(i).get_attribute("data-slug") for i in range(shown.count())}
    assert slugs <= {"constructor"}, slugs  # a valid slug, shown as text: "no longer on the list"
    if slugs:
        assert (
            "no longer on the list"
            in page.locator("[data-rl-mylist] li[data-slug='constructor']").first.inner_text()
        )
    else:
        assert "not marked any paper" in status.inner_text()
    # Marking works again, and replaces what was there.
    page.goto(f"/papers/{paper['slug']}/")
    page.locator("aside.rl-card button[data-mark='read']").click()
    assert stored(page)["marks"][paper["slug"]] == ["read"]
    assert stored(page)["v"] == 1


def axe(page: Any, include: list[str] | None = None) -> list[str]:
    """axe-core's violations: every impact inside `include`, serious and critical on the whole page."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    context = {"include": [[s] for s in include]} if include else "document"
    result: dict[str, Any] = page.evaluate(
        "async (context) => await axe.run(context === 'document' ? document : context,"
        " {resultTypes: ['violations']})",
        context,
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {', '.join(str(n['target'][0]) for n in v['nodes'][:5])}"
        for v in result["violations"]
        if include or v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_nothing_on_the_marks_and_my_list(page: Any, built: BuiltSite, scheme: str) -> None:
    topic = built.topics[0]["id"]
    members = [p["slug"] for p in built.papers if topic in {t["id"] for t in p["topics"]}]
    cited = next(p["slug"] for p in built.papers if p["cite"])
    page.goto("/")
    store(
        page,
        marks_state(
            {members[0]: ["read", "star"], members[1]: ["to-read"], cited: ["star"]},
            last=newest_day_ms(built) - DAY_MS,
        ),
    )
    problems = []
    for path in [f"/topics/{topic}/", f"/papers/{members[0]}/", "/my-list/"]:
        page.goto(path)
        if page.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme:
            page.locator("form[data-md-component=palette] label:visible").click()
            page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{scheme}'")
        page.locator("[data-rl-marks]").first.wait_for()
        page.wait_for_load_state("networkidle")
        if path.startswith("/topics/"):
            assert page.locator(".rl-new").count() > 0
        if path == "/my-list/":
            page.locator("button[data-export='bibtex']").wait_for()
            page.locator("[data-rl-marks] button[data-mark='read']").first.focus()
        problems += [f"{path} [{scheme}] {p}" for p in axe(page)]
        problems += [
            f"{path} [{scheme}] {p}"
            for p in axe(page, ["[data-rl-marks]", ".rl-new", "[data-rl-mylist]", ".rl-card__marks"])
        ]
    assert not problems, "axe-core violations:\n" + "\n".join(problems)
