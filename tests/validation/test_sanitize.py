"""The sanitizer: every vector is found and disarmed, clean Markdown is left exactly as it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import htmlscan, sanitize

from .htmlcheck import active_parts
from .vectors import VECTORS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("vector", VECTORS)
def test_every_vector_is_found(vector: str) -> None:
    assert sanitize.markdown_hazards(vector)


@pytest.mark.parametrize("vector", VECTORS)
def test_every_vector_is_live_when_markdown_renders_it_as_it_is(vector: str) -> None:
    """Without the sanitizer each vector reaches the HTML, so the checks below can fail."""
    html = sanitize.render_html(vector)
    if vector.startswith("<!-->"):
        # A browser ends the comment at '<!-->'; Python's parser reads on to '-->'.
        assert "<!--><script>" in html
    else:
        assert active_parts(html), html


#: Markup that runs no script but breaks the page: it stops the parsing of the rest of the
#: page, overlays it, or closes the theme's own elements.
PAGE_BREAKERS = (
    "<plaintext>",
    "<textarea>",
    "<xmp>",
    "<noembed>",
    "<style>body{display:none}</style>",
    '<p style="position:fixed;inset:0">x</p>',
    '<a href="https://x.org" target="_blank">x</a>',
    'Para\n{: style="position:fixed" }',
    "## Heading {: .md-sidebar }",
    "</div></div></article>",
    "<details open><summary>x</summary>",
)


@pytest.mark.parametrize("vector", VECTORS + PAGE_BREAKERS)
def test_every_vector_is_disarmed_in_the_rendered_html(vector: str) -> None:
    assert sanitize.markdown_hazards(vector)
    safe = sanitize.sanitize_markdown(vector)
    assert safe != vector
    assert sanitize.markdown_hazards(safe) == []
    assert active_parts(sanitize.render_html(safe)) == {}


@pytest.mark.parametrize("vector", VECTORS)
def test_a_vector_in_the_middle_of_notes_leaves_the_rest_alone(vector: str) -> None:
    notes = f"Before **bold** and a [link](https://example.org).\n\n{vector}\n\nAfter `<script>` in code."
    safe = sanitize.sanitize_markdown(notes)
    assert sanitize.rendered_hazards(safe) == []
    html = sanitize.render_html(safe)
    assert active_parts(html) == {}
    assert '<a href="https://example.org">link</a>' in html
    assert "<code>&lt;script&gt;</code>" in html


CLEAN = [
    "Plain notes with *emphasis*, **strong**, `code` and a [link](https://example.org/a?b=c#d).",
    'A code span with HTML: `<script>alert(1)</script>` and `<a href="javascript:x">`.',
    '<kbd>Ctrl</kbd> + <sup>2</sup>, <abbr title="x">X</abbr>, <details><summary>More</summary>…</details>',
    "Heading attributes\n\n## Section {: #sec }\n\nA set {x | x on the line} and a dict {'a': 1}.",
    "The javascript: scheme in prose is just words, and so is data: here.",
    'A fenced block:\n\n```html\n<script>alert(1)</script>\n<a href="javascript:x">x</a>\n```\n\nAfter it.',
    "- list\n- [ref link][1]\n\n[1]: https://example.org/ref",
    "| a | b |\n|---|---|\n| <b>1</b> | [x](../topics/x.md) |",
    "!!! note\n    An admonition with a [link](https://example.org).",
]


@pytest.mark.parametrize("text", CLEAN)
def test_clean_notes_are_left_exactly_as_they_are(text: str) -> None:
    assert sanitize.markdown_hazards(text) == []
    assert sanitize.sanitize_markdown(text) == text


def test_the_checked_markdown_extensions_are_the_sites() -> None:
    """The rendered-HTML check renders as the site does; a new extension must be added there too."""

    class Loader(yaml.SafeLoader):
        pass

    def ignore(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
        return None

    Loader.add_multi_constructor("!", ignore)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", ignore)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config.get("markdown_extensions", [])]
    assert sorted(names) == sorted(sanitize.MARKDOWN_EXTENSIONS)


def test_url_schemes_are_read_as_a_browser_reads_them() -> None:
    for value in (
        "javascript:x",
        " JAVASCRIPT:x",
        "java\tscript:x",
        "java\nscript:x",
        "\x01javascript:x",
        "&#106;avascript:x",
        "&#x6a;avascript:x",
        "&#106avascript:x",
        "javascript&colon;x",
        "&amp;#106;avascript:x",
        "vbscript:x",
        "data:text/html,x",
    ):
        assert htmlscan.dangerous_scheme(value), value
    for value in (
        "https://example.org/javascript:x",
        "mailto:a@b.org",
        "../papers/x.md",
        "#top",
        "java script",
    ):
        assert htmlscan.dangerous_scheme(value) is None, value
