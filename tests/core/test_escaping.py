"""Titles and abstracts render as the text they are: built with the real mkdocs, read as HTML."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from generator.text import first_sentence
from generator.typeset import plain

from ..pagefind_files import fragments
from .conftest import FIXTURES, CliRunner, make_project
from .html import Element, parse_page

#: Text from scraped abstracts that Markdown, HTML or a template engine would interpret.
CASES = [
    "F* twice: F* and F*",
    "unbalanced backquotes ``Stim\", `thought'``",
    "one backquote ` alone",
    "subscripts k_1,k_2 and x_i_j",
    "x < y and y > z, a<b>c",
    "LaTeX \\url{https://example.org/a_b} and \\emph{x}",
    "a link [a](b) and an image ![i](j.png)",
    "<b>bold</b> and <i>italic</i>",
    "a template {{ x }} and {% if y %}",
    "| pipes | in a table |",
    "# hash at the start",
    "**stars**, __underscores__, ~~strike~~ and ==mark==",
    "&amp; is not & and &lt; is not <",
    "math $x^2$ and \\(y\\) and 2 * 3 * 4",
    "<!-- a comment --> and trailing backslash \\",
    "1. not a list, - not a bullet, > not a quote",
    "quotes \"double\" and 'single' and {: .attr }",
]
# A title with '<' before a letter is refused by the loader (the theme prints titles as HTML in
# places), so those cases are tried in abstracts only.
MARKUP = re.compile(r"<[A-Za-z/!?]")
#: The cases whose LaTeX is typeset (generator/typeset.py), as a reader sees them before any
#: script runs, and the elements they become; every other case shows exactly as written.
TYPESET = {
    1: ("unbalanced backquotes “Stim”, ‘thought’``", []),
    5: ("LaTeX https://example.org/a_b and x", ["a", "em"]),
    11: ("**stars**, __underscores__, \u00a0\u00a0strike\u00a0\u00a0 and ==mark==", []),
    13: ("math x^2 and y and 2 * 3 * 4", ["code", "code"]),  # KaTeX renders the code elements' TeX
}
SLUGS = [f"case-{i:02d}" for i in range(len(CASES))]
PADDING = "and the rest of this abstract has enough ordinary words to count as a complete abstract."


def title_of(i: int) -> str:
    if MARKUP.search(CASES[i]):
        return f"Case {i}: markup in the abstract & not in the title"
    return CASES[i] if CASES[i].startswith("#") else f"Case {i}: {CASES[i]}"


def abstract_of(i: int) -> str:
    return f"{CASES[i]} appears here. Again: {CASES[i]} {PADDING}"


def shown_abstract(i: int) -> tuple[str, list[str]]:
    """The abstract's text as the page shows it, and its child elements."""
    case, children = TYPESET.get(i, (CASES[i], []))
    return " ".join(f"{case} appears here. Again: {case} {PADDING}".split()), children * 2


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, cli: CliRunner) -> Path:
    content = tmp_path_factory.mktemp("escaping") / "content"
    (content / "papers").mkdir(parents=True)
    (content / "topics.yml").write_bytes((FIXTURES / "golden-content" / "topics.yml").read_bytes())
    shutil.copytree(FIXTURES / "golden-content" / "pages", content / "pages")  # the nav links to them
    for i, slug in enumerate(SLUGS):
        meta = {
            "title": title_of(i),
            "added": f"2025-01-{i + 1:02d}",
            "abstract": abstract_of(i),
            "topics": ["reasoning"],
            "tags": ["tricky"],
        }
        (content / "papers" / f"{slug}.md").write_text(
            "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"
            "Only the *notes* are Markdown.\n",
            encoding="utf-8",
        )
    root = make_project(content.parent / "repo", content)
    cli(root, "build", "--strict")
    return root / "site"


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def _child_elements(el: Element) -> list[str]:
    return [c.tag for c in el.iter() if c is not el]


@pytest.mark.parametrize("i", range(len(CASES)), ids=SLUGS)
def test_paper_page_shows_title_and_abstract_literally(site: Path, i: int) -> None:
    page = parse_page(site / "papers" / SLUGS[i] / "index.html")
    article = page.find("article")
    h1 = article.find("h1")
    # Titles show the plain text of their LaTeX; the theme collapses white space, no-break ones too.
    title = " ".join(plain(title_of(i)).split())
    assert h1.text() == title
    assert _child_elements(h1) == []
    abstract = article.find("p", "rl-abstract")
    text, children = shown_abstract(i)
    assert abstract.text() == text
    assert _child_elements(abstract) == children
    assert page.find("title").text() == f"{title} - Computation Reading List"
    description = page.find("meta", name="description").attrs["content"]
    assert description == first_sentence(plain(abstract_of(i)), 300)
    # The sharing metadata, in attributes too.
    for key in ("og:title", "twitter:title"):
        el = page.find_all("meta", property=key) or page.find_all("meta", name=key)
        assert [m.attrs["content"] for m in el] == [title], key
    for key in ("og:description", "twitter:description"):
        el = page.find_all("meta", property=key) or page.find_all("meta", name=key)
        assert [m.attrs["content"] for m in el] == [description], key
    # The notes are the curator's Markdown, and are rendered as such.
    assert "<em>notes</em>" in (site / "papers" / SLUGS[i] / "index.html").read_text(encoding="utf-8")


def test_every_link_to_a_paper_shows_its_title_literally(site: Path) -> None:
    """Wherever a paper is listed (home, all papers, topics, tags, related), its link text is its
    title as written or the plain text of its LaTeX (related papers), never Markdown's reading."""
    titles = {f"/papers/{slug}/": {title_of(i), plain(title_of(i))} for i, slug in enumerate(SLUGS)}
    seen: dict[str, set[str]] = {slug: set() for slug in titles}
    for path in _pages(site):
        url = "/" + path.parent.relative_to(site).as_posix() + "/"
        for a in parse_page(path).find_all("a"):
            target = urljoin(url.replace("//", "/"), a.attrs.get("href", ""))
            if target in titles:
                shown = {" ".join(t.split()) for t in titles[target]}
                assert a.text() in shown, f"{path.relative_to(site)}: {a.attrs['href']}"
                assert _child_elements(a) == [], f"{path.relative_to(site)}: {a.attrs['href']}"
                seen[target].add(path.relative_to(site).parent.as_posix())
    for target, pages in seen.items():
        assert {"papers", "topics/reasoning", "tags"} <= pages, target
    assert sum("." in pages for pages in seen.values()) == 10  # the home page lists the ten newest


def test_topic_page_lists_title_and_summary_literally(site: Path) -> None:
    topic = parse_page(site / "topics" / "reasoning" / "index.html").find("article")
    items = {li.find("a").attrs["href"]: li for li in topic.find_all("li") if li.find_all("a")}
    for i, slug in enumerate(SLUGS):
        li = items[f"../../papers/{slug}/"]
        assert li.find("a").text() == " ".join(plain(title_of(i)).split())  # typeset, on one line
        assert li.find("p", "rl-item__summary").text() == first_sentence(plain(abstract_of(i)), 180)
        assert _child_elements(li) == ["a", "p"]


def test_search_index_and_papers_json_hold_the_exact_text(site: Path) -> None:
    index = fragments(site)
    papers = {p["slug"]: p for p in json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]}
    for i, slug in enumerate(SLUGS):
        entry = index[f"/papers/{slug}/"]
        # Pagefind's record holds text, not HTML: its title meta and its words are the plain
        # text of the LaTeX (generator/typeset.py), as the feeds have it; search.js shows its
        # excerpts as text.
        assert entry["meta"]["title"] == " ".join(plain(title_of(i)).split())
        assert " ".join(plain(abstract_of(i)).split()) in " ".join(entry["content"].split())
        assert papers[slug]["title"] == title_of(i)
        assert papers[slug]["abstract"] == abstract_of(i)
