"""The Jinja environment of the Markdown templates (generator/templates/), and the front matter they write."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from . import sanitize, text, typeset

TEMPLATES = Path(__file__).parent / "templates"


# Characters YAML reads as line breaks or refuses in a stream: JSON leaves them as they are,
# so they are written as escapes, which YAML's double-quoted strings read back.
_YAML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def front_matter(data: dict[str, Any]) -> str:
    """Front matter holding `data`, written as JSON (which is YAML) on one line.

    json's C encoder is ten times faster than any YAML emitter, and every YAML
    reader reads the result back to the same values.
    """
    return f"---\n{_json(data)}\n---\n"


#: The front-matter key that lists the generator's raw HTML blocks of a page (`keep`).
HTML_BLOCKS = "html_blocks"


def block_digest(block: str) -> str:
    """The name of a raw HTML block in `HTML_BLOCKS`: a digest of its text, blank lines around it aside."""
    return hashlib.blake2b(block.strip("\n").encode("utf-8"), digest_size=8).hexdigest()


def keep(block: str, sink: list[str]) -> str:
    """`{% filter keep(blocks) %}`: a raw HTML block the template writes, noted in `sink`.

    The page lists the digests of these blocks in its front matter (`HTML_BLOCKS`), so that
    overrides/hooks.py can hand exactly these, and nothing a curator wrote, past MkDocs'
    two HTML parsers (see `html_blocks` there); Zensical ignores the list.
    """
    sink.append(block)
    return block


def with_blocks(meta: dict[str, Any], blocks: list[str]) -> dict[str, Any]:
    """`meta` with the digests of `blocks` (a page's `keep` sink), in their order, once each."""
    if not blocks:
        return meta
    return meta | {HTML_BLOCKS: list(dict.fromkeys(block_digest(b) for b in blocks))}


def _json(value: object) -> str:
    encoded = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", encoded)


def environment(folder: Path = TEMPLATES) -> jinja2.Environment:
    """A Jinja environment for Markdown templates in `folder`: strict, block tags leave no blank
    lines, no autoescape in Markdown (filters escape for Markdown or HTML as each value needs);
    templates of HTML blocks (*.html.j2) are autoescaped."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        keep_trailing_newline=True,
        # Templates are part of the generator (their digest keys the cache): a run never sees
        # them change, so no `stat` of the template file before every page.
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = text.md_inline
    env.filters["oneline"] = text.one_line
    return env


def summary(value: str, limit: int = 200) -> str:
    """The first sentence of `value`'s plain text (typeset.plain), cut to `limit` chars."""
    return text.first_sentence(typeset.plain(value), limit)


def attribute(value: str) -> markupsafe.Markup:
    """`value` escaped for an attribute that must read back exactly, line breaks as references
    (a blank line would end an HTML block in Markdown)."""
    escaped = str(markupsafe.escape(value)).replace("\r", "&#13;").replace("\n", "&#10;")
    return markupsafe.Markup(escaped)


def _environment() -> jinja2.Environment:
    env = environment()
    env.filters["html"] = text.html_text
    env.filters["plain"] = typeset.plain
    # Summaries of abstracts are read as text (lists, descriptions): their LaTeX as plain text.
    env.filters["summary"] = summary
    env.filters["credit"] = text.credit
    env.filters["front_matter"] = front_matter
    env.filters["attribute"] = attribute
    env.filters["keep"] = keep
    # Validation already refuses notes that could run script; this is the second line.
    env.filters["safe_markdown"] = sanitize.sanitize_markdown
    return env


_ENV = _environment()


def render_template(name: str, **context: Any) -> str:
    return _ENV.get_template(name).render(**context)


def render_with_blocks(name: str, **context: Any) -> str:
    """`render_template` of a page template that starts with its front matter and notes its
    raw HTML blocks with `keep(blocks)`: their digests join the front matter (`with_blocks`)."""
    blocks: list[str] = []
    text = render_template(name, blocks=blocks, **context)
    if not blocks:
        return text
    head, _, body = text.partition("\n---\n")
    return front_matter(with_blocks(json.loads(head.removeprefix("---\n")), blocks)) + body


def template_macros(name: str) -> Any:
    """The macros of template `name`, to call from Python (each returns its markup)."""
    return _ENV.get_template(name).module
