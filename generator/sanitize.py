"""Keep user text to the HTML a reading list needs: an allow-list, checked twice.

Notes are Markdown, and Python-Markdown passes raw HTML and attribute lists
through, so notes could carry markup that runs script, or that breaks the page
without script (`<plaintext>`, `<textarea>`, a `style=` overlay, a class of the
theme).  What notes may hold is the allow-list below (`ALLOWED_TAGS`,
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
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

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

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")

#: The elements notes may hold, raw or made by Markdown: text formatting, lists,
#: tables, quotes, code, headings, images, collapsible details.  Nothing that takes
#: input, embeds, styles or changes how the rest of the page is parsed.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        *_HEADINGS,
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
        "var",
    }
)

#: The attributes each element may have.  No `style` (but a table column's alignment),
#: no `class` (but those Markdown itself writes), no `id` (but a heading's anchor), no
#: `target`: each of them lets notes restyle the page, hijack clicks or the theme's scripts.
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title", "class"}),
    "abbr": frozenset({"title"}),
    "img": frozenset({"src", "alt", "title"}),
    "details": frozenset({"open"}),
    "ol": frozenset({"start"}),
    "td": frozenset({"style", "colspan", "rowspan"}),
    "th": frozenset({"style", "colspan", "rowspan"}),
    "div": frozenset({"class"}),
    "p": frozenset({"class"}),
    "pre": frozenset({"class"}),
    "code": frozenset({"class"}),
    **{h: frozenset({"id"}) for h in _HEADINGS},
}

#: The schemes a link may have; a link without a scheme is relative to the page.
LINK_SCHEMES: tuple[str, ...] = ("http", "https", "mailto")
#: The schemes an image may have (and relative).
IMAGE_SCHEMES: tuple[str, ...] = ("http", "https")
_URL_ATTRIBUTES = {"href", "src"}

#: Material's admonition types: `!!! note` makes <div class="admonition note">.
ADMONITIONS: frozenset[str] = frozenset(
    [
        "note",
        "abstract",
        "summary",
        "tldr",
        "info",
        "todo",
        "tip",
        "hint",
        "important",
        "success",
        "check",
        "done",
        "question",
        "help",
        "faq",
        "warning",
        "caution",
        "attention",
        "failure",
        "fail",
        "missing",
        "danger",
        "error",
        "bug",
        "example",
        "quote",
        "cite",
    ]
)
_LANGUAGE = re.compile(r"language-[a-z0-9][a-z0-9+#_-]*")
_ALIGN = re.compile(r"text-align: (left|center|right);")
_NUMBER = re.compile(r"[0-9]{1,4}")

#: The schemes that run code or smuggle a whole document, for plain-text fields.
DANGEROUS_SCHEMES: tuple[str, ...] = ("javascript:", "vbscript:", "livescript:", "data:")
#: Elements that run or load active content, refused in plain-text fields.
DANGEROUS_TAGS = frozenset(
    [
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
    ]
)

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

# Browsers drop ASCII tabs and newlines anywhere in a URL and C0 controls and spaces
# around it; backslashes are Markdown escapes.  Removing all of them before looking at
# the scheme errs on the side of reporting.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f\\]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_MARKUP = re.compile(r"<(/?)([A-Za-z][^\t\n\f\r />]*)|<[!?]")
_MARKUP_START = re.compile(r"<[A-Za-z/!?]")
_SPACE = "\t\n\f\r "
_LINK_DEST = re.compile(r"\]\(")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]{1,999}\]:", re.MULTILINE)
_ATTR_OPEN = re.compile(r"\{")
_FENCE_LINE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_BACKTICKS = re.compile(r"`+")
_NESTING = re.compile(r"^(?:[ \t]*(?:>|[-+*](?=[ \t])|[0-9]{1,9}[.)](?=[ \t])))+", re.MULTILINE)
_MARKER = re.compile(r">|[-+*]|[0-9]{1,9}[.)]")
_FENCES = re.compile(r"^ {0,3}(?:`{3}|~{3})", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_URL_WINDOW = 64  # characters of a destination that decide its scheme


@dataclass(frozen=True, order=True)
class Hazard:
    """A construct outside the allow-list at offset `start` of the text.

    `snippet` is the source text that names it (such as '<style' or 'onclick'),
    to find it again where offsets do not carry over.
    """

    start: int
    message: str
    snippet: str = ""


def allowed_html() -> str:
    """The allow-list in words, for messages."""
    return "allowed: " + ", ".join(sorted(ALLOWED_TAGS))


def _decode(value: str) -> str:
    text = value
    for _ in range(3):  # entities inside entities: decode until stable
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return _URL_NOISE.sub("", text).lstrip("<").lower()


def dangerous_scheme(value: str, *, anywhere: bool = False) -> str | None:
    """Return the script scheme a browser would read `value` with, if any.

    With `anywhere`, a script scheme anywhere in `value` counts (an attribute
    such as style="background:url(javascript:…)" or a meta refresh).
    """
    flat = _decode(value)
    for scheme in DANGEROUS_SCHEMES:
        if flat.startswith(scheme) or (anywhere and scheme != "data:" and scheme in flat):
            return scheme
    return None


def url_scheme(value: str) -> str | None:
    """The scheme a browser reads `value` with ('http', 'javascript', …), or None for a relative URL."""
    flat = _decode(value[: 4 * _URL_WINDOW])
    m = _SCHEME.match(flat)
    return m.group(1) if m else None


def _url_problem(value: str, *, image: bool = False) -> str | None:
    scheme = url_scheme(value)
    allowed = IMAGE_SCHEMES if image else LINK_SCHEMES
    if scheme is None or scheme in allowed:
        return None
    what = "images" if image else "links"
    return f"'{scheme}:' {what} are not allowed in notes; allowed: {', '.join(allowed)} and relative {what}"


def attribute_allowed(tag: str, name: str, value: str) -> bool:
    """Whether notes may give element `tag` the attribute `name` with `value`."""
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    if name in _URL_ATTRIBUTES:
        return _url_problem(value, image=tag == "img") is None
    if name == "class":
        classes = value.split()
        if tag == "div":
            return len(classes) == 2 and classes[0] == "admonition" and classes[1] in ADMONITIONS
        return classes == {"a": ["headerlink"], "p": ["admonition-title"], "pre": ["highlight"]}.get(tag) or (
            tag == "code" and len(classes) == 1 and _LANGUAGE.fullmatch(classes[0]) is not None
        )
    if name == "style":
        return _ALIGN.fullmatch(value.strip()) is not None
    if name in ("start", "colspan", "rowspan"):
        return _NUMBER.fullmatch(value.strip()) is not None
    return True


def _attribute_message(tag: str, name: str, value: str | None) -> str:
    if name in _URL_ATTRIBUTES and name in ALLOWED_ATTRIBUTES.get(tag, ()):
        return _url_problem(value or "", image=tag == "img") or ""
    allowed = sorted(ALLOWED_ATTRIBUTES.get(tag, frozenset()) - {"class", "style"})
    if name.startswith("on"):
        why = "event handlers run script"
    elif name in ("style", "class", "id"):
        why = f"'{name}=' could restyle the page or take over the theme's own elements"
    else:
        why = f"allowed on <{tag}>: {', '.join(allowed) or 'none'}"
    shown = f"{name}={value!r}" if value is not None and name in ("class", "style") else name
    return f"<{tag} {shown}> is not allowed in notes ({why})"


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


def _tags(text: str) -> Iterator[tuple[int, str, str, list[_Attr], int]]:
    """(offset, '/' or '', name, attributes, end) of every tag, read once from left to right.

    A tag is read to its end as a browser would, and the scan goes on after it, so
    no character is read twice however the text is built.
    """
    i = 0
    while (m := _MARKUP.search(text, i)) is not None:
        if m.group(2) is None:  # <! or <?: a comment, a doctype, CDATA
            yield m.start(), "", m.group(0), [], m.end()
            i = m.end()
            continue
        attrs, end = _attributes(text, m.end())
        yield m.start(), m.group(1), m.group(2).lower(), attrs, end
        i = max(end, m.end())


def _tag_hazards(text: str) -> Iterator[Hazard]:
    """Tags and attributes outside the allow-list."""
    refused: set[str] = set()
    for start, closing, name, attrs, _end in _tags(text):
        if name in ("<!", "<?"):
            yield Hazard(start, f"'{name}' (an HTML comment or declaration) is not allowed in notes", name)
            continue
        if name not in ALLOWED_TAGS:
            if closing and name in refused:
                continue  # its opening tag says it already
            refused.add(name)
            yield Hazard(
                start, f"<{closing}{name}> is not allowed in notes; {allowed_html()}", f"<{closing}{name}"
            )
            continue
        for attr in attrs:
            if not attribute_allowed(name, attr.name, attr.value or ""):
                at = (
                    attr.value_at if attr.name in _URL_ATTRIBUTES and attr.value is not None else attr.name_at
                )
                yield Hazard(at, _attribute_message(name, attr.name, attr.value), text[at : at + 12])


def _plain_hazards(text: str) -> Iterator[Hazard]:
    """Tags and attributes that run script, for text that reaches a page escaped or not at all."""
    for start, closing, name, attrs, _end in _tags(text):
        if name in DANGEROUS_TAGS:
            message = f"raw HTML <{closing}{name}> is not allowed: it can run script or load active content"
            yield Hazard(start, message, f"<{closing}{name}")
        for attr in attrs:
            if attr.name.startswith("on") and len(attr.name) > 2:
                yield Hazard(
                    attr.name_at, f"event handler attribute '{attr.name}=' in <{name}> runs script", attr.name
                )
            elif attr.value is not None:
                scheme = dangerous_scheme(attr.value, anywhere=True)
                if scheme:
                    message = f"'{scheme}' URL in the '{attr.name}' attribute of <{name}> can run script"
                    yield Hazard(attr.value_at, message, text[attr.value_at : attr.value_at + 12])


def _link_hazards(text: str) -> Iterator[Hazard]:
    """Link destinations with a scheme outside the allow-list."""
    for m in _LINK_DEST.finditer(text):
        dest = text[m.end() : m.end() + _URL_WINDOW]
        opening = text.rfind("[", max(0, m.start() - 999), m.start())
        message = _url_problem(dest, image=opening > 0 and text[opening - 1] == "!")
        if message:
            yield Hazard(m.end(), message, dest[:12])
    for m in _REF_DEF.finditer(text):
        dest = text[m.end() : m.end() + _URL_WINDOW]
        message = _url_problem(dest)
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


def _blank_range(chars: list[str], start: int, end: int) -> None:
    for k in range(start, end):
        if chars[k] != "\n":
            chars[k] = " "


def mask_code(text: str) -> str:
    """Blank out fenced code blocks and one-line code spans (shown literally), keeping offsets.

    Both are found in one pass each; code the scan misreads is still caught by the
    rendered-HTML check.
    """
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    # A fence closes at a later bare fence line of its character, at least as long:
    # the longest bare fence after each line, per character, says whether one exists.
    longest_after: list[dict[str, int]] = [{} for _ in range(len(lines) + 1)]
    bare: list[tuple[str, int] | None] = []
    for line in lines:
        m = _FENCE_LINE.fullmatch(line)
        bare.append((m.group(1)[0], len(m.group(1))) if m and not m.group(2).strip(" \t`~") else None)
    for k in range(len(lines) - 1, -1, -1):
        longest_after[k] = longest_after[k + 1]
        if bare[k] is not None:
            char, length = bare[k]  # type: ignore[misc]
            if longest_after[k].get(char, 0) < length:
                longest_after[k] = {**longest_after[k], char: length}
    chars = list(text)
    k = 0
    while k < len(lines):
        m = _FENCE_LINE.fullmatch(lines[k])
        if m and longest_after[k + 1].get(m.group(1)[0], 0) >= len(m.group(1)):
            char, length = m.group(1)[0], len(m.group(1))
            close = k + 1
            while not (bare[close] and bare[close][0] == char and bare[close][1] >= length):  # type: ignore[index]
                close += 1
            _blank_range(chars, starts[k + 1], starts[close + 1] - 1)
            k = close + 1
            continue
        _mask_spans(lines[k], starts[k], chars)
        k += 1
    return "".join(chars)


def _mask_spans(line: str, base: int, chars: list[str]) -> None:
    """Blank the code spans of one line: a run of backticks to the next run of the same length."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    next_same: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for r in range(len(runs) - 1, -1, -1):
        length = runs[r][1] - runs[r][0]
        next_same[r] = last.get(length)
        last[length] = r
    r = 0
    while r < len(runs):
        start, end = runs[r]
        partner = next_same[r]
        if partner is None or (start > 0 and line[start - 1] == "\\"):
            r += 1
            continue
        _blank_range(chars, base + end, base + runs[partner][0])
        r = partner + 1


def find_hazards(text: str, *, markdown_text: bool = True) -> list[Hazard]:
    """The first constructs of `text` outside the allow-list, by offset (at most `MAX_HAZARDS`).

    With `markdown_text`, `text` is notes: code is skipped (it renders literally) and
    the allow-list applies.  Without, `text` is plain text that reaches pages escaped,
    where only what could run script is reported.
    """
    if not markdown_text:
        return _first(_plain_hazards(text))
    scan = mask_code(text)
    found: list[Hazard] = []
    for source in (_tag_hazards(scan), _link_hazards(scan), _attr_list_hazards(scan)):
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
    m = _MARKUP_START.search(text)
    return m.start() if m else None


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
    for k in range(len(text) - 1, -1, -1):
        c = text[k]
        if c == ">":
            next_gt = k
        elif c == "<" and _MARKUP_START.match(text, k):
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
    for k in range(start, end):
        c = text[k]
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

    return markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), extension_configs=MARKDOWN_CONFIGS)


def render_html(text: str) -> str:
    """Render Markdown as the site does (same extensions)."""
    md = _markdown()
    md.reset()
    result: str = md.convert(text)
    return result


def _keep(tag: str, name: str, value: str) -> str | None:
    return value if attribute_allowed(tag, name, value) else None


def clean_html(markup: str) -> str:
    """`markup` with everything outside the allow-list removed, by nh3."""
    import nh3

    return nh3.clean(
        markup,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_keep,
        url_schemes=set(LINK_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


_VOID = frozenset(
    {"br", "hr", "img", "wbr", "input", "meta", "link", "area", "base", "col", "embed", "source"}
)


class _Events(HTMLParser):
    """The tags and text of HTML, without the ways of writing them (quotes, entities, '/>')."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, str, tuple[tuple[str, str], ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("<", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.events.append(("</", tag, ()))

    def handle_data(self, data: str) -> None:
        if self.events and self.events[-1][0] == "text":
            data = self.events.pop()[1] + data
        self.events.append(("text", data, ()))


def _events(markup: str) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    parser = _Events()
    parser.feed(markup)
    parser.close()
    return parser.events


def _first_change(before: str, after: str) -> tuple[str, str] | None:
    """What nh3 changed first, as (message, snippet to find in the source); None if nothing."""
    old, new = _events(before), _events(after)
    if old == new:
        return None
    k = 0
    while k < min(len(old), len(new)) and old[k] == new[k]:
        k += 1
    if k < len(old) and old[k][0] == "<":
        _kind, tag, attrs = old[k]
        if tag not in ALLOWED_TAGS:
            return f"<{tag}> is not allowed in notes; {allowed_html()}", f"<{tag}"
        for name, value in attrs:
            if not attribute_allowed(tag, name, value):
                return _attribute_message(tag, name, value), name
    kind, shown, _attrs = old[k] if k < len(old) else ("text", "", ())
    where = f"<{shown}>" if kind != "text" else repr(shown[:40])
    return (
        f"the HTML that Markdown makes of the notes is not well-formed at {where} "
        "(an unclosed tag or code fence?)",
        f"<{shown}" if kind == "<" else shown[:12],
    )


def reparse_html(markup: str) -> str:
    """`markup` as nh3 parses and writes it, keeping every element and attribute.

    Comparing it with `clean_html(markup)` shows only what the allow-list removes, not how
    an HTML parser repairs the nesting (a <details> inside a paragraph, say).
    """
    import nh3

    tags: set[str] = set()
    attributes: dict[str, set[str]] = {}
    schemes = set(LINK_SCHEMES)
    for kind, tag, attrs in _events(markup):
        if kind == "<":
            tags.add(tag)
            attributes.setdefault(tag, set()).update(name for name, _ in attrs)
            schemes.update(filter(None, (url_scheme(v) for n, v in attrs if n in _URL_ATTRIBUTES)))
    return nh3.clean(
        markup,
        tags=tags,
        clean_content_tags=set(),
        attributes=attributes,
        url_schemes=schemes,
        link_rel=None,
        strip_comments=True,
    )


def _unbalanced(markup: str) -> tuple[str, str] | None:
    """The first tag that closes what it did not open, or is never closed, as (message, snippet)."""
    stack: list[str] = []
    for kind, tag, _attrs in _events(markup):
        if kind == "<" and tag not in _VOID:
            stack.append(tag)
        elif kind == "</":
            if tag not in stack:
                return f"</{tag}> closes no element of the notes: it would close one of the page", f"</{tag}"
            if stack[-1] != tag:
                return f"<{stack[-1]}> is never closed (before </{tag}>)", f"<{stack[-1]}"
            stack.pop()
    if stack:
        return f"<{stack[-1]}> is never closed", f"<{stack[-1]}"
    return None


def rendered_hazards(text: str) -> list[Hazard]:
    """What nh3 would remove from the HTML `text` renders to, or tags left open or closed
    twice; offsets point into `text` when found there."""
    if not _needs_rendering(text):
        return []
    rendered = render_html(text)
    change = _first_change(reparse_html(rendered), clean_html(rendered)) or _unbalanced(rendered)
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
    return find_hazards(text) or find_overload(text) or rendered_hazards(text)


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
