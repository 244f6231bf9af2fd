"""Read raw HTML in user text as a browser would, in one pass from left to right.

- `read_tags` finds every tag and its attributes; quotes may hide '>', and no
  character is read twice however the text is built.
- `url_scheme` and `dangerous_scheme` read the scheme of a URL as a browser does
  (entities decoded, tabs, newlines and controls dropped).
- `plain_hazards` reports what could run script in plain-text fields.
- `mask_code` blanks the code of Markdown (fenced blocks, code spans), which
  renders literally, so the scans skip it without moving any offset.

What notes may hold is decided in `allowlist`; nothing here knows about files,
records or the site layout.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

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

# Browsers drop ASCII tabs and newlines anywhere in a URL and C0 controls and spaces
# around it; backslashes are Markdown escapes.  Removing all of them before looking at
# the scheme errs on the side of reporting.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f\\]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_MARKUP = re.compile(r"<(/?)([A-Za-z][^\t\n\f\r />]*)|<[!?]")
MARKUP_START = re.compile(r"<[A-Za-z/!?]")
_SPACE = "\t\n\f\r "
_FENCE_LINE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_BACKTICKS = re.compile(r"`+")
URL_WINDOW = 64  # characters of a destination that decide its scheme


@dataclass(frozen=True, order=True)
class Hazard:
    """A construct outside the allow-list at offset `start` of the text.

    `snippet` is the source text that names it (such as '<style' or 'onclick'),
    to find it again where offsets do not carry over.
    """

    start: int
    message: str
    snippet: str = ""


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
    flat = _decode(value[: 4 * URL_WINDOW])
    m = _SCHEME.match(flat)
    return m.group(1) if m else None


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


def read_tags(text: str) -> Iterator[tuple[int, str, str, list[_Attr], int]]:
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


def plain_hazards(text: str) -> Iterator[Hazard]:
    """Tags and attributes that run script, for text that reaches a page escaped or not at all."""
    for start, closing, name, attrs, _end in read_tags(text):
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
