"""Keep user text to the HTML a reading list needs: an allow-list, checked twice.

Notes are Markdown, and Python-Markdown passes raw HTML and attribute lists
through, so notes could carry markup that runs script, or that breaks the page
without script (`<plaintext>`, `<textarea>`, a `style=` overlay, a class of the
theme).  What notes may hold is the allow-list of `allowlist` (`ALLOWED_TAGS`,
`ALLOWED_ATTRIBUTES`, `LINK_SCHEMES`); CONTRIBUTING.md states the same.

- `find_hazards` scans the source and reports each construct outside the list
  with its offset, so the loader can point at the line and column: raw tags and
  their attributes (tokenized as a browser does: quotes may hide '>'), link
  destinations and attribute lists `{: … }`.  Code spans and fenced blocks are
  skipped, since they render literally.
- `rendered_hazards` renders the text as the site does and asks `nh3` (the
  Ammonia sanitizer) to clean the HTML with the same allow-list: whatever it
  would change is reported, so a construct the source scan misreads is caught.
- `find_overload` refuses, before anything is rendered, notes that would make
  Python-Markdown work for minutes (runs of unclosed '[' or '<', nesting
  thousands deep): every check here is linear in the size of the text.
- `sanitize_markdown` is the renderer's defence in depth: clean notes come back
  byte for byte; anything else becomes the HTML nh3 makes of it, or a code block.

Nothing here knows about files, records or the site layout.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterator
from typing import Any

from .allowlist import clean_html, find_unbalanced, first_change, reparse_html, tag_hazards, url_problem
from .htmlscan import MARKUP_START, URL_WINDOW, Hazard, mask_code, plain_hazards

#: The Markdown extensions of mkdocs.yml, with the options that change what HTML comes
#: out; tests check that this list matches the site's configuration.
MARKDOWN_EXTENSIONS: tuple[str, ...] = (
    "admonition",
    "attr_list",
    "tables",
    "toc",
    "pymdownx.highlight",
    "pymdownx.superfences",
)
MARKDOWN_CONFIGS: dict[str, dict[str, Any]] = {
    "toc": {"permalink": True},
    "pymdownx.highlight": {"use_pygments": False},
}

#: Problems reported per text at most: the first ones are enough to act on, and
#: locating thousands of them would cost more than the rest of the check.
MAX_HAZARDS = 100
#: Most container levels (lists, quotes) on one line; Python-Markdown recurses on each.
MAX_NESTING = 32
#: Most fence lines (``` or ~~~) in one text: superfences slows down with the square of their number.
MAX_FENCE_LINES = 400
#: Most characters Python-Markdown may rescan for unclosed '[', '(' and '<' in one text
#: (each one makes it search the rest of its paragraph, or of the text, for its end).
MAX_RESCAN = 400_000

_LINK_DEST = re.compile(r"\]\(")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]{1,999}\]:", re.MULTILINE)
_ATTR_OPEN = re.compile(r"\{")
_NESTING = re.compile(r"^(?:[ \t]*(?:>|[-+*](?=[ \t])|[0-9]{1,9}[.)](?=[ \t])))+", re.MULTILINE)
_MARKER = re.compile(r">|[-+*]|[0-9]{1,9}[.)]")
_FENCES = re.compile(r"^ {0,3}(?:`{3}|~{3})", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _link_hazards(text: str) -> Iterator[Hazard]:
    """Link destinations with a scheme outside the allow-list."""
    for m in _LINK_DEST.finditer(text):
        dest = text[m.end() : m.end() + URL_WINDOW]
        opening = text.rfind("[", max(0, m.start() - 999), m.start())
        message = url_problem(dest, image=opening > 0 and text[opening - 1] == "!")
        if message:
            yield Hazard(m.end(), message, dest[:12])
    for m in _REF_DEF.finditer(text):
        dest = text[m.end() : m.end() + URL_WINDOW]
        message = url_problem(dest)
        if message:
            yield Hazard(m.end(), message + " (in a link definition)", dest[:12])


def _attr_list_hazards(text: str) -> Iterator[Hazard]:
    """Attribute lists `{: … }` that set anything but a heading's id."""
    from markdown.extensions.attr_list import get_attrs_and_remainder  # type: ignore[import-untyped]

    i = 0
    while (m := _ATTR_OPEN.search(text, i)) is not None:
        at = m.start()
        i = at + 1
        line_end = text.find("\n", at)
        line_end = len(text) if line_end < 0 else line_end
        before = text[at - 1] if at else "\n"
        # Where attr_list looks: right after an inline element, or closing a line
        # (a heading, a paragraph, a table cell, a list item).
        inline = before in ")]*_`>"
        if not inline and not (before in " \t\n" and text[at:line_end].rstrip(" \t").endswith("}")):
            continue
        inner_at = at + 1 + text.startswith(":", at + 1)
        window = text[inner_at : min(line_end, inner_at + 512)]
        close = window.rfind("}")
        inner = window[:close].lstrip(" ") if close >= 0 else ""
        if not inner:
            continue
        offset = inner_at + close - len(inner)
        attrs, _rest = get_attrs_and_remainder(inner)
        for key, value in attrs:
            if key == "id" and value:
                continue
            shown = f".{value}" if key == "." else key if value is None else f"{key}={value}"
            found = text.find(shown.split("=")[0], offset, inner_at + close)
            yield Hazard(
                found if found >= 0 else at,
                f"the attribute list sets '{shown}': attribute lists in notes may only give a heading "
                "its anchor, such as '{: #my-section }'",
                shown[:12],
            )


def find_hazards(text: str, *, markdown_text: bool = True) -> list[Hazard]:
    """The first constructs of `text` outside the allow-list, by offset (at most `MAX_HAZARDS`).

    With `markdown_text`, `text` is notes: code is skipped (it renders literally) and
    the allow-list applies.  Without, `text` is plain text that reaches pages escaped,
    where only what could run script is reported.
    """
    if not markdown_text:
        return _first(plain_hazards(text))
    scan = mask_code(text)
    found: list[Hazard] = []
    for source in (tag_hazards(scan), _link_hazards(scan), _attr_list_hazards(scan)):
        found.extend(_first(source))
    return _first(iter(found))


def _first(hazards: Iterator[Hazard]) -> list[Hazard]:
    unique: dict[tuple[int, str], Hazard] = {}
    for hazard in hazards:
        unique.setdefault((hazard.start, hazard.message), hazard)
        if len(unique) >= 4 * MAX_HAZARDS:
            break
    return sorted(unique.values())[:MAX_HAZARDS]


def find_markup(text: str) -> int | None:
    """Offset of the first '<' that HTML would read as markup, for plain-text fields."""
    m = MARKUP_START.search(text)
    return m.start() if m else None


_BRACKETS = re.compile(r"[\[\]()]")
_ANGLES = re.compile("[<>]")


def find_overload(text: str) -> list[Hazard]:
    """What in `text` would make Python-Markdown work far longer than its size warrants.

    Python-Markdown recurses once per container level, and searches the rest of
    the paragraph for the end of every '[' and '(' of a link, and the rest of the
    text for the end of every '<'.  Both are measured here in one pass.
    """
    for m in _NESTING.finditer(text):
        markers = m.group(0)
        indent = len(markers) - len(markers.lstrip(" \t"))
        depth = len(_MARKER.findall(markers)) + indent // 4
        if depth > MAX_NESTING:
            return [
                Hazard(
                    m.start(),
                    f"{depth} lists or quotes nested on one line, more than {MAX_NESTING}; "
                    "Markdown cannot render that",
                    m.group(0)[:12],
                )
            ]
    fences = _FENCES.findall(text)
    if len(fences) > MAX_FENCE_LINES:
        return [
            Hazard(
                0,
                f"{len(fences)} code fence lines (``` or ~~~), more than {MAX_FENCE_LINES}; "
                "Markdown would take minutes to render them",
            )
        ]
    work = 0
    worst = (0, 0)  # (work, offset) of the paragraph that costs most, to point at it
    blocks = [0, *(m.end() for m in _BLANK_LINE.finditer(text)), len(text) + 1]
    for b in range(len(blocks) - 1):
        cost = _bracket_rescan(text, blocks[b], min(blocks[b + 1], len(text)))
        work += cost
        worst = max(worst, (cost, -blocks[b]))
    next_gt = len(text)
    for m in reversed(list(_ANGLES.finditer(text))):  # only the '<' and '>', not every character
        k = m.start()
        if m.group(0) == ">":
            next_gt = k
        elif MARKUP_START.match(text, k):
            work += next_gt - k
    if work > MAX_RESCAN:
        return [
            Hazard(
                -worst[1] if worst[0] * 2 > work else 0,
                f"too many unclosed '[', '(' or '<' for their paragraphs (Markdown would rescan "
                f"{work} characters, over {MAX_RESCAN}); close them, or escape them "
                "as '\\[', '\\(' or '&lt;'",
            )
        ]
    return []


def _bracket_rescan(text: str, start: int, end: int) -> int:
    """How far Markdown searches for the ends of the brackets and parentheses in `text[start:end]`."""
    work = 0
    open_at: dict[str, list[int]] = {"[": [], "(": []}
    pairs = {"]": "[", ")": "("}
    for m in _BRACKETS.finditer(text, start, end):  # only the brackets, not every character
        k, c = m.start(), m.group(0)
        if c == "[" or (c == "(" and k > start and text[k - 1] == "]"):
            open_at[c].append(k)
        elif c in pairs and open_at[pairs[c]]:
            work += k - open_at[pairs[c]].pop()
    for stack in open_at.values():
        work += sum(end - k for k in stack)
    return work


@functools.cache
def _markdown() -> Any:
    """The Markdown renderer; made on first use, since most texts never need it (0.1 s)."""
    import markdown  # type: ignore[import-untyped]

    class ByModule(markdown.Markdown):  # type: ignore[misc]
        """Finds an extension by its module, as Markdown does when no package registers its name:
        looking for one reads the entry points of every installed package (importlib.metadata,
        50-200 ms), most of a notes edit's start-up (pymdownx.superfences asks for one too)."""

        def build_extension(self, ext_name: str, configs: dict[str, Any]) -> Any:
            name = ext_name if "." in ext_name else f"markdown.extensions.{ext_name}"
            module = importlib.import_module(name)
            return module.makeExtension(**configs)

    return ByModule(extensions=list(MARKDOWN_EXTENSIONS), extension_configs=MARKDOWN_CONFIGS)


def render_html(text: str) -> str:
    """Render Markdown as the site does (same extensions)."""
    md = _markdown()
    md.reset()
    result: str = md.convert(text)
    return result


def rendered_hazards(text: str) -> list[Hazard]:
    """What nh3 would remove from the HTML `text` renders to, or tags left open or closed
    twice; offsets point into `text` when found there."""
    if not _needs_rendering(text):
        return []
    rendered = render_html(text)
    change = first_change(reparse_html(rendered), clean_html(rendered)) or find_unbalanced(rendered)
    if change is None:
        return []
    message, snippet = change
    at = text.lower().find(snippet.lower()) if snippet else -1
    return [Hazard(max(at, 0), message + " (as Markdown renders it)", snippet)]


# Without these, Markdown writes only elements and attributes of the allow-list.
_RENDERED_MARKUP = re.compile(r"[<\[{&]|!!!|```|~~~")


def _needs_rendering(text: str) -> bool:
    return _RENDERED_MARKUP.search(text) is not None


def markdown_hazards(text: str) -> list[Hazard]:
    """Problems of a Markdown text: the source scan, else the size guard, else the rendered HTML."""
    return list(_markdown_hazards(text))


# The loader checks every paper's notes and the renderer checks them again before it writes
# them (defence in depth): remembering the verdicts makes the second check free in a run that
# did both (4 s of a cold 10,000-paper generate, benchmarks/RESULTS.md).
@functools.lru_cache(maxsize=1 << 16)
def _markdown_hazards(text: str) -> tuple[Hazard, ...]:
    return tuple(find_hazards(text) or find_overload(text) or rendered_hazards(text))


NOTES_REMOVED = "*(These notes were removed from the page: they contain HTML that notes may not hold.)*\n"


def sanitize_markdown(text: str) -> str:
    """Return `text` if it is clean; else the HTML nh3 makes of it, or a code block showing it.

    Clean text comes back byte for byte, so the page is the Markdown the curator wrote.
    """
    if not markdown_hazards(text):
        return text
    if not find_overload(text):
        cleaned = clean_html(render_html(text))
        block = f"<div>\n{cleaned}\n</div>\n"
        if not markdown_hazards(block):
            return block
    # Whatever Markdown makes of it, an indented code block shows it literally.
    block = "\n" + "".join(f"    {line}\n" for line in text.replace("\t", "    ").split("\n"))
    if not find_overload(block) and not rendered_hazards(block):
        return block
    return NOTES_REMOVED
