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

from generator.build import compute, render_nav
from generator.load import load_content
from generator.progress import Progress
from generator.render import render_site
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


def _yaml_str(text: str) -> str:
    return yaml.safe_dump(text, width=1000).removesuffix("\n...\n").strip()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_project(tmp_path_factory.mktemp("xss") / "project")
    write(root / "content/papers/attack.md", paper("Attack Reasoning", body="Harmless for now.\n"))
    write(root / "content/papers/clean.md", paper("Clean Reasoning", body="Harmless *notes*.\n"))
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

    # Validation bypassed: the attack notes go straight to the renderer.
    papers = tuple(
        dataclasses.replace(p, notes=ATTACK_NOTES) if p.slug == "attack" else p for p in content.papers
    )
    content = dataclasses.replace(content, papers=papers)
    files = render_site(compute(content, Progress(quiet=True)))
    write_tree(files, root / "docs")
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
    flat_title = " ".join(BREAKOUT_TITLE.split())
    assert html.unescape(meta["title"]) == flat_title
    assert meta["tags"][-2:] == ["{{ 7*7 }}", "{: onclick=alert(1) }"]
    assert set(meta) == {"title", "description", "template", "tags", "source", "paper"}
    assert "49" not in text
    # The abstract is one escaped line of the body; nothing of it starts a line of its own.
    assert [line for line in body.splitlines() if line.startswith(("---", "title:", "{"))] == []


def test_front_matter_breakout_renders_literally_in_the_html(site: Path) -> None:
    page = _page(site, "breakout")
    flat_title = " ".join(BREAKOUT_TITLE.split())
    h1 = page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert html.unescape(h1) == flat_title
    assert html.unescape(page.split("<title>", 1)[1].split("</title>", 1)[0]).startswith(flat_title)
    abstract = page.split('<p class="rl-abstract">', 1)[1].split("</p>", 1)[0]
    assert html.unescape(abstract) == " ".join(BREAKOUT_ABSTRACT.split())
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
