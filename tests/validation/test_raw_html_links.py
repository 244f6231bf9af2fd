"""Links in raw HTML written as `.md` paths (the related papers of generator/templates/paper.md.j2)
become page URLs in a real `mkdocs build --strict`, through overrides/hooks.py, as Markdown links
do; one naming no page fails the build.  Zensical resolves them itself (tests/zensical)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CONFIG = f"""\
site_name: Links
theme:
  name: material
hooks:
  - {ROOT / "overrides" / "hooks.py"}
plugins: []
"""


def build(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "docs" / "papers").mkdir(parents=True)
    (tmp_path / "docs" / "topics").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "docs" / "topics" / "t-1.md").write_text("# T\n\n## Part\n", encoding="utf-8")
    (tmp_path / "docs" / "papers" / "other.md").write_text("# Other\n", encoding="utf-8")
    (tmp_path / "docs" / "papers" / "one.md").write_text(f"# One\n\n{body}\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],  # not -q: it hides warnings from --strict,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        check=False,
    )


def test_md_hrefs_in_raw_html_become_page_urls(tmp_path: Path) -> None:
    body = (
        '<p>Also in <a href="../topics/t-1.md#part">T</a> and <a class="x" href="other.md">Other</a>, '
        'not <a href="https://example.org/a.md">a remote file</a> '
        'nor <a href="/abs.md">a rooted one</a>.</p>\n\n'
        "A Markdown link stays MkDocs': [Other](other.md)."
    )
    proc = build(tmp_path, body)
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "site" / "papers" / "one" / "index.html").read_text(encoding="utf-8")
    html = page[page.index("<article") : page.index("</article>")]
    assert '<a href="../../topics/t-1/#part">T</a>' in html
    assert '<a class="x" href="../other/">Other</a>' in html
    assert '<a href="https://example.org/a.md">' in html and '<a href="/abs.md">' in html
    assert html.count('href="../other/"') == 2


@pytest.mark.parametrize("href", ["missing.md", "../topics/missing.md#part", "../../outside.md"])
def test_an_md_href_to_no_page_fails_a_strict_build(tmp_path: Path, href: str) -> None:
    proc = build(tmp_path, f'<ul>\n<li><a href="{href}">Gone</a></li>\n</ul>')
    assert proc.returncode != 0
    assert f"'papers/one.md' links to '{href.split('#')[0]}' in raw HTML, which is not found" in proc.stderr
