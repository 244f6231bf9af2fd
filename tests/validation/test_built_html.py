"""The built site (real `mkdocs build --strict`) carries no script from content.

A paper's notes try every vector.  Validation refuses them; here the renderer
is called directly, as if validation had been bypassed, to prove the second
line of defence: the page must hold exactly the active parts (Material's own
scripts, icons, forms) that the page of a paper with harmless notes holds.
Front-matter text that would break out of its place renders literally too.
"""

from __future__ import annotations

import dataclasses
import html
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.classify import classify
from generator.load import load_content
from generator.model import Link, Origin, Page, Paper
from generator.related import find_related
from generator.render import Site, render_site
from generator.site import render_nav
from generator.templating import block_digest
from generator.typeset import plain
from generator.write import write_tree

from .conftest import cli_env, paper, run_main, write, write_project
from .htmlcheck import active_parts, elements, script_parts
from .vectors import VECTORS

ATTACK_NOTES = "\n\n".join(VECTORS) + "\n"
#: Text in front matter that would break out of YAML, a template or Markdown if pasted as is.
BREAKOUT_TITLE = "Break\n---\nout {{ 7*7 }} {% if x %}y{% endif %} {: onclick=alert(1) } [a](javascript:x)"
BREAKOUT_ABSTRACT = (
    "We study reasoning in language models.\n---\ntitle: hijacked\n---\n{{ config }} {% raw %} "
    "{: .x onclick=alert(1) } # not a heading and a chain of thought that goes on for enough words here."
)


#: A valid page: quotes, ampersands and angle brackets are plain text in a title or description.
QUOTES_TITLE = """Quotes "q" & 'a' <3 > 2"""
QUOTES_DESCRIPTION = """Say "hi" & 'bye': <> a > b < c, then />."""
#: Validation bypassed: a page whose front matter tries to break out of Material's attributes.
HOSTILE_PAGE = Page(
    name="hostile.md",
    title='"><script>alert(1)</script>',
    description='" onmouseover="alert(1)',
    body="Hostile body.\n",
    origin=Origin("javascript:alert(1)"),
)
#: Validation bypassed: links a paper card must not print as they are.
HOSTILE_LINKS = (
    Link("url", "javascript:alert(1)"),
    Link("pdf", " JaVaScRiPt:alert(1)"),
    Link("code", 'https://example.org/"onmouseover="alert(1)'),
)


def _yaml_str(text: str) -> str:
    return yaml.safe_dump(text, width=1000).removesuffix("\n...\n").strip()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_project(tmp_path_factory.mktemp("xss") / "project")
    write(root / "content/papers/attack.md", paper("Attack Reasoning", body="Harmless for now.\n"))
    write(root / "content/papers/clean.md", paper("Clean Reasoning", body="Harmless *notes*.\n"))
    write(root / "content/papers/links.md", paper("Linked Reasoning"))
    write(
        root / "content/pages/quotes.md",
        f"---\ntitle: {_yaml_str(QUOTES_TITLE)}\ndescription: {_yaml_str(QUOTES_DESCRIPTION)}\n---\n"
        "A page without a heading of its own: Material prints its title.\n",
    )
    write(
        root / "content/papers/breakout.md",
        paper(
            _yaml_str(BREAKOUT_TITLE),
            abstract=_yaml_str(BREAKOUT_ABSTRACT),
            extra="tags: ['{{ 7*7 }}', '{: onclick=alert(1) }']\n",
        ),
    )
    content, problems = load_content(root / "content", "content")
    assert content is not None, "\n".join(map(str, problems))

    # Validation bypassed: the attack notes, the hostile links and page go straight to the renderer.
    def bypass(p: Paper) -> Paper:
        if p.slug == "attack":
            return dataclasses.replace(p, notes=ATTACK_NOTES)
        if p.slug == "links":
            return dataclasses.replace(p, links=HOSTILE_LINKS, origin=Origin("content/papers/../../links.md"))
        return p

    papers = tuple(map(bypass, content.papers))
    content = dataclasses.replace(content, papers=papers, pages=(*content.pages, HOSTILE_PAGE))
    site = Site(
        content.papers,
        content.taxonomy,
        classify(content.papers, content.taxonomy),
        find_related(content.papers),
        content.pages,
    )
    write_tree({path: render() for path, render in render_site(site).items()}, root / "docs")
    (root / "mkdocs.yml").write_text(
        render_nav((root / "mkdocs.yml").read_text(encoding="utf-8"), content.taxonomy), encoding="utf-8"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(root / "site")],
        cwd=root,
        capture_output=True,
        text=True,
        env=cli_env(),
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return root


def _page(root: Path, slug: str) -> str:
    return (root / "site/papers" / slug / "index.html").read_text(encoding="utf-8")


def test_validation_refuses_the_attack_notes(site: Path, tmp_path: Path) -> None:
    project = write_project(tmp_path / "project")
    write(project / "content/papers/attack.md", paper("Attack Reasoning", body=ATTACK_NOTES))
    result = run_main(project, "validate")
    assert result.status == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("content/papers/attack.md:")]
    # Every vector starts on its own line of the file and is reported there.
    body_line = 6
    starts = [body_line + ATTACK_NOTES[: ATTACK_NOTES.index(v)].count("\n") for v in VECTORS]
    reported = {int(line.split(":")[1]) for line in lines}
    for vector, start in zip(VECTORS, starts, strict=True):
        assert any(start <= line <= start + vector.count("\n") for line in reported), vector


def test_attack_page_has_no_active_part_a_clean_page_lacks(site: Path) -> None:
    attack, clean = _page(site, "attack"), _page(site, "clean")
    assert "Curator" in attack and "alert(1)" in attack  # the notes are there, as text
    extra = active_parts(attack) - active_parts(clean)
    assert extra == {}, extra


def test_attack_page_runs_only_materials_scripts(site: Path) -> None:
    def scripts(page: str) -> list[tuple[tuple[str, str], ...]]:
        return [attrs for tag, attrs in elements(page) if tag == "script"]

    assert scripts(_page(site, "attack")) == scripts(_page(site, "clean"))


def test_no_page_of_the_site_has_a_javascript_url_or_handler_from_content(site: Path) -> None:
    pages = sorted((site / "site").rglob("*.html"))
    assert len(pages) > 8
    for page in pages:
        assert script_parts(page.read_text(encoding="utf-8")) == [], page


def test_front_matter_breakout_stays_in_its_place_in_the_markdown(site: Path) -> None:
    text = (site / "docs/papers/breakout.md").read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    # Shown as the plain text of its LaTeX (generator/typeset.py): "---" is an em dash.
    flat_title = " ".join(plain(BREAKOUT_TITLE).split())
    assert html.unescape(meta["title"]) == flat_title
    assert meta["tags"][-2:] == ["{{ 7*7 }}", "{: onclick=alert(1) }"]
    assert set(meta) == {"title", "description", "template", "tags", "source", "paper", "html_blocks"}
    # The blocks MkDocs' hook takes around Markdown are the generator's HTML, escaped values and all.
    blocks = {block_digest(part): part for part in body.split("\n\n")}
    assert all(blocks[d].lstrip("\n").startswith("<") for d in meta["html_blocks"])
    assert "49" not in text
    # The abstract is one escaped line of the body; nothing of it starts a line of its own.
    assert [line for line in body.splitlines() if line.startswith(("---", "title:", "{"))] == []


def test_front_matter_breakout_renders_literally_in_the_html(site: Path) -> None:
    page = _page(site, "breakout")
    flat_title = " ".join(plain(BREAKOUT_TITLE).split())
    h1 = page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert html.unescape(h1) == flat_title
    assert html.unescape(page.split("<title>", 1)[1].split("</title>", 1)[0]).startswith(flat_title)
    abstract = page.split('<p class="rl-abstract">', 1)[1].split("</p>", 1)[0]
    assert html.unescape(abstract) == " ".join(plain(BREAKOUT_ABSTRACT).split())
    assert "49" not in h1 and "hijacked" not in page.split("<article", 1)[1].split("rl-abstract")[0]
    assert active_parts(page) - active_parts(_page(site, "clean")) == {}
    for listing in ("papers/index.html", "index.html"):
        listed = (site / "site" / listing).read_text(encoding="utf-8")
        links = [
            attrs
            for tag, attrs in elements(listed)
            if tag == "a" and ("href", "../papers/breakout/") in attrs
        ]
        assert not any(name.startswith("on") for attrs in links for name, _ in attrs)


def _head(page: str) -> dict[str, str]:
    """The <meta> values of a page by name or property, as a browser reads them."""
    out = {}
    for tag, attrs in elements(page):
        found = dict(attrs)
        if tag == "meta" and "content" in found:
            out[found.get("name") or found.get("property", "")] = found["content"]
    return out


def _inner(page: str, start: str, end: str) -> str:
    return html.unescape(page.split(start, 1)[1].split(end, 1)[0])


def _edit_links(page: str) -> list[str]:
    return [dict(attrs)["href"] for tag, attrs in elements(page) if tag == "a" and ("rel", "edit") in attrs]


def test_page_title_and_description_with_quotes_and_brackets_render_as_written(site: Path) -> None:
    page = (site / "site/quotes/index.html").read_text(encoding="utf-8")
    head = _head(page)
    assert _inner(page, "<title>", "</title>") == f"{QUOTES_TITLE} - Computation Reading List"
    assert _inner(page, "<h1>", "</h1>") == QUOTES_TITLE
    for name in ("og:title", "twitter:title"):
        assert head[name] == QUOTES_TITLE, name
    for name in ("description", "og:description", "twitter:description"):
        assert head[name] == QUOTES_DESCRIPTION, name
    repo = "https://github.com/computation-reading-list/reading-list"
    assert _edit_links(page) == [f"{repo}/edit/main/content/pages/quotes.md"]


def test_hostile_page_front_matter_renders_as_text(site: Path) -> None:
    page = (site / "site/hostile/index.html").read_text(encoding="utf-8")
    about = (site / "site/about/index.html").read_text(encoding="utf-8")
    assert active_parts(page) - active_parts(about) == {}
    assert [a for t, a in elements(page) if t == "script"] == [a for t, a in elements(about) if t == "script"]
    head = _head(page)
    assert head["description"] == head["og:description"] == HOSTILE_PAGE.description
    assert head["og:title"] == HOSTILE_PAGE.title
    assert _inner(page, "<title>", "</title>").startswith(HOSTILE_PAGE.title)
    # Its `source` is no file of content/: no edit button, where the about page has one.
    assert _edit_links(page) == []
    assert len(_edit_links(about)) == 1


def test_paper_card_prints_only_links_with_a_safe_scheme_and_no_edit_button_for_a_strange_source(
    site: Path,
) -> None:
    page = _page(site, "links")
    links = [dict(attrs) for tag, attrs in elements(page) if tag == "a" and "data-kind" in dict(attrs)]
    assert links == [
        {"href": 'https://example.org/"onmouseover="alert(1)', "rel": "noopener", "data-kind": "code"}
    ]
    assert _edit_links(page) == []
    assert len(_edit_links(_page(site, "clean"))) == 2
