"""Find, and neutralize, what in user text could run script in a reader's browser.

Python-Markdown passes raw HTML through and does not filter link schemes, and
Material's templates print page titles and descriptions without escaping, so
every piece of user text is checked here before it reaches a page:

- `find_hazards` reports each dangerous construct with its offset, so the
  loader can point at the exact line and column.  It tokenizes tags the way a
  browser does (quotes may hide '>'), decodes entities and drops the tabs,
  newlines and control characters that browsers ignore inside a URL scheme.
- `markdown_hazards` also renders the text with the same Markdown extensions
  as the site and checks the HTML that comes out, so a construct the source
  scan misreads (a code span that Markdown does not see as one) is still caught.
- `sanitize_markdown` is the renderer's defense in depth: it neutralizes every
  hazard by escaping one character, and if the rendered result is still not
  clean it turns the whole text into a code block, or drops it.

Nothing here knows about files, records or the site layout.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from typing import Any

#: The Markdown extensions of mkdocs.yml that change what HTML comes out;
#: tests check that this list matches the site's configuration.
MARKDOWN_EXTENSIONS: tuple[str, ...] = (
    "admonition",
    "attr_list",
    "tables",
    "toc",
    "pymdownx.highlight",
    "pymdownx.superfences",
)

#: Elements that run or load active content, or change how the page's links and
#: scripts resolve; none has a place in a paper's notes.
DANGEROUS_TAGS = frozenset(
    {
        "applet",
        "base",
        "embed",
        "form",
        "frame",
        "frameset",
        "iframe",
        "link",
        "math",
        "meta",
        "noscript",
        "object",
        "portal",
        "script",
        "style",
        "svg",
        "template",
    }
)

#: URL schemes that run code or smuggle a whole document.
DANGEROUS_SCHEMES: tuple[str, ...] = ("javascript:", "vbscript:", "livescript:", "data:")

# Browsers drop ASCII tabs and newlines anywhere in a URL and C0 controls and spaces
# around it; backslashes are Markdown escapes.  Removing all of them before looking at
# the scheme errs on the side of reporting.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f\\]+")
_TAG_START = re.compile(r"<(/?)([A-Za-z][^\t\n\f\r />]*)")
_MARKUP_START = re.compile(r"<[A-Za-z/!?]")
_SPACE = "\t\n\f\r "
# A code span on one line; longer spans are left to the rendered-HTML check.
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)(.+?)(?<!`)\1(?!`)")
# A fenced block (pymdownx.superfences) at the start of a line, to its closing fence or the end.
# Its opening line (which may carry attributes) is kept for the scan.
_FENCE = re.compile(
    r"^( {0,3}(`{3,}|~{3,})[^\n]*\n)((?:.*?\n)?? {0,3}\2[`~]*[ \t]*(?:\n|$))", re.MULTILINE | re.DOTALL
)
_LINK_DEST = re.compile(r"\]\(")
_REF_DEF = re.compile(r"\[[^\]\n]*\]:")
_ATTR_LIST = re.compile(r"\{")


@dataclass(frozen=True, order=True)
class Hazard:
    """A dangerous construct at offset `start`; writing `fix` at `fix_at` disarms it.

    `snippet` is the source text that names it (such as '<script' or 'onclick'),
    to find it again where offsets do not carry over.
    """

    start: int
    message: str
    snippet: str = ""
    fix_at: int = 0
    fix: str = ""


def dangerous_scheme(value: str, *, anywhere: bool = False) -> str | None:
    """Return the dangerous scheme a browser would read `value` with, if any.

    With `anywhere`, a script scheme anywhere in `value` counts (an attribute
    such as style="background:url(javascript:…)" or a meta refresh).
    """
    text = value
    for _ in range(3):  # entities inside entities: decode until stable
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    flat = _URL_NOISE.sub("", text).lstrip("<").lower()
    for scheme in DANGEROUS_SCHEMES:
        if flat.startswith(scheme) or (anywhere and scheme != "data:" and scheme in flat):
            return scheme
    return None


@dataclass(frozen=True)
class _Attr:
    name: str
    name_at: int
    value: str | None
    value_at: int


def _attributes(text: str, i: int, stop_at_gt: bool = True) -> tuple[list[_Attr], int]:
    """Read attributes from `text[i:]` as a browser's tokenizer does; return them and the end."""
    attrs: list[_Attr] = []
    n = len(text)
    while i < n:
        while i < n and (text[i] in _SPACE or text[i] == "/"):
            i += 1
        if i >= n or (stop_at_gt and text[i] == ">"):
            return attrs, i + 1
        start = i
        i += 1  # the first character may be anything, even '='
        while i < n and text[i] not in _SPACE and text[i] not in "/>=":
            i += 1
        name = text[start:i].lower()
        j = i
        while j < n and text[j] in _SPACE:
            j += 1
        value: str | None = None
        value_at = j
        if j < n and text[j] == "=":
            j += 1
            while j < n and text[j] in _SPACE:
                j += 1
            value_at = j
            if j < n and text[j] in "\"'":
                end = text.find(text[j], j + 1)
                end = n if end < 0 else end
                value, i = text[j + 1 : end], end + 1
                value_at = j + 1
            else:
                end = j
                while end < n and text[end] not in _SPACE and text[end] != ">":
                    end += 1
                value, i = text[j:end], end
        attrs.append(_Attr(name, start, value, value_at))
    return attrs, n


def _attr_hazards(text: str, attrs: list[_Attr], fix_at: int, fix: str, where: str) -> list[Hazard]:
    out = []
    for attr in attrs:
        if attr.name.startswith("on") and len(attr.name) > 2:
            message = f"event handler attribute '{attr.name}=' in {where} runs script"
            out.append(Hazard(attr.name_at, message, attr.name, fix_at, fix))
        if attr.value is not None:
            scheme = dangerous_scheme(attr.value, anywhere=True)
            if scheme:
                message = f"'{scheme}' URL in the '{attr.name}' attribute of {where} can run script"
                snippet = text[attr.value_at : attr.value_at + 12]
                out.append(Hazard(attr.value_at, message, snippet, fix_at, fix))
    return out


def _tag_hazards(text: str) -> list[Hazard]:
    out: list[Hazard] = []
    for m in _TAG_START.finditer(text):
        closing, name = m.group(1), m.group(2).lower()
        if name in DANGEROUS_TAGS:
            message = f"raw HTML <{closing}{name}> is not allowed: it can run script or load active content"
            out.append(Hazard(m.start(), message, m.group(0), m.start(), "&lt;"))
        attrs, _end = _attributes(text, m.end())
        out.extend(_attr_hazards(text, attrs, m.start(), "&lt;", f"<{name}>"))
    return out


def _link_hazards(text: str) -> list[Hazard]:
    out: list[Hazard] = []
    for m in _LINK_DEST.finditer(text):
        dest = text[m.end() : m.end() + 256]
        scheme = dangerous_scheme(dest)
        if scheme:
            message = f"'{scheme}' URL in a Markdown link or image can run script"
            out.append(Hazard(m.end(), message, dest[:12], m.start() + 1, "&#40;"))
    for m in _REF_DEF.finditer(text):
        dest = text[m.end() : m.end() + 256]
        scheme = dangerous_scheme(dest)
        if scheme:
            message = f"'{scheme}' URL in a Markdown link definition can run script"
            out.append(Hazard(m.end(), message, dest[:12], m.start(), "&#91;"))
    for m in _ATTR_LIST.finditer(text):
        line_end = text.find("\n", m.end())
        line = text[: len(text) if line_end < 0 else line_end]
        if "=" not in line[m.end() :]:
            continue
        attrs, _ = _attributes(line, m.end(), stop_at_gt=False)
        out.extend(_attr_hazards(line, attrs, m.start(), "&#123;", "an attribute list {: …}"))
    return out


def _blank(m: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", m.group(0))


def _blank_fence(m: re.Match[str]) -> str:
    return m.group(1) + re.sub(r"[^\n]", " ", m.group(3))


def mask_code(text: str) -> str:
    """Blank out fenced code blocks and one-line code spans (shown literally), keeping offsets.

    Code the scan misreads is still caught by the rendered-HTML check.
    """
    return _CODE_SPAN.sub(_blank, _FENCE.sub(_blank_fence, text))


def find_hazards(text: str, *, markdown_text: bool = True) -> list[Hazard]:
    """Every construct in `text` that could run script, by offset.

    With `markdown_text`, code spans and fenced blocks are skipped (they render literally);
    without, `text` is plain text that may land in HTML unescaped, where only
    tags and their attributes matter.
    """
    if not markdown_text:
        # Plain text never goes through Markdown unescaped, only into HTML.
        return sorted({(h.start, h.message): h for h in _tag_hazards(text)}.values())
    scan = mask_code(text)
    found = _tag_hazards(scan) + _link_hazards(scan)
    unique = {(h.start, h.message): h for h in found}
    return sorted(unique.values())


def find_markup(text: str) -> int | None:
    """Offset of the first '<' that HTML would read as markup, for plain-text fields."""
    m = _MARKUP_START.search(text)
    return m.start() if m else None


@functools.cache
def _markdown() -> Any:
    """The Markdown renderer; made on first use, since most texts never need it (0.1 s)."""
    import markdown  # type: ignore[import-untyped]

    return markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS))


def render_html(text: str) -> str:
    """Render Markdown as the site does (same extensions)."""
    md = _markdown()
    md.reset()
    result: str = md.convert(text)
    return result


def rendered_hazards(text: str) -> list[Hazard]:
    """Hazards in the HTML that `text` renders to; offsets point into `text` when found there."""
    if not any(c in text for c in "<[{"):
        return []  # without raw HTML, links or attribute lists, Markdown writes no tag or attribute
    out = []
    lowered = text.lower()
    for h in _tag_hazards(render_html(text)):
        at = lowered.find(h.snippet.lower()) if h.snippet else -1
        out.append(Hazard(max(at, 0), h.message + " (as Markdown renders it)", h.snippet))
    return out


def markdown_hazards(text: str) -> list[Hazard]:
    """Hazards of a Markdown text: the source scan, or else the rendered-HTML check."""
    return find_hazards(text) or rendered_hazards(text)


NOTES_REMOVED = "*(These notes were removed from the page: they contain HTML that could run script.)*\n"


def sanitize_markdown(text: str) -> str:
    """Return `text` with every hazard disarmed; clean text comes back unchanged.

    Hazards are disarmed by escaping the one character that opens them (the
    '<' of a tag, the '(' of a link destination, the '[' of a link definition,
    the '{' of an attribute list), so the construct shows as literal text.
    """
    hazards = find_hazards(text)
    if not hazards and not rendered_hazards(text):
        return text
    fixes = {h.fix_at: h.fix for h in hazards if h.fix}
    out = []
    last = 0
    for at in sorted(fixes):
        out.append(text[last:at])
        out.append(fixes[at])
        last = at + 1
    out.append(text[last:])
    fixed = "".join(out)
    if not find_hazards(fixed) and not rendered_hazards(fixed):
        return fixed
    # Whatever Markdown still makes of it, an indented code block shows it literally.
    block = "\n" + "".join(f"    {line}\n" for line in text.replace("\t", "    ").split("\n"))
    if not rendered_hazards(block):
        return block
    return NOTES_REMOVED  # pragma: no cover - an indented code block has no raw HTML
