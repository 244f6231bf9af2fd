"""The HTML notes may hold: elements, attributes and schemes, checked by nh3 as well.

What notes may hold is the allow-list below (`ALLOWED_TAGS`, `ALLOWED_ATTRIBUTES`,
`LINK_SCHEMES`); CONTRIBUTING.md states the same.

- `tag_hazards` reports the raw tags and attributes of a text outside the list.
- `clean_html` asks `nh3` (the Ammonia sanitizer) to remove from HTML whatever is
  outside the list: the last line of defence.  `reparse_html`, `first_change` and
  `find_unbalanced` tell what it would change in rendered HTML, and why.

Nothing here knows about files, records or the site layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from .htmlscan import Hazard, read_tags, url_scheme

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
    "a": frozenset({"href", "title", "class", "rel"}),
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

#: The link types `rel` may hold: hints that make a link do less, never more (the typeset
#: abstracts write `rel="nofollow noopener"` on their links, generator/typeset.py).
LINK_RELS: frozenset[str] = frozenset({"nofollow", "noopener", "noreferrer"})
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


def allowed_html() -> str:
    """The allow-list in words, for messages."""
    return "allowed: " + ", ".join(sorted(ALLOWED_TAGS))


def url_problem(value: str, *, image: bool = False) -> str | None:
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
        return url_problem(value, image=tag == "img") is None
    if name == "class":
        classes = value.split()
        if tag == "div":
            return len(classes) == 2 and classes[0] == "admonition" and classes[1] in ADMONITIONS
        return classes == {"a": ["headerlink"], "p": ["admonition-title"], "pre": ["highlight"]}.get(tag) or (
            tag == "code" and len(classes) == 1 and _LANGUAGE.fullmatch(classes[0]) is not None
        )
    if name == "rel":
        return bool(value.split()) and set(value.split()) <= LINK_RELS
    if name == "style":
        return _ALIGN.fullmatch(value.strip()) is not None
    if name in ("start", "colspan", "rowspan"):
        return _NUMBER.fullmatch(value.strip()) is not None
    return True


def attribute_message(tag: str, name: str, value: str | None) -> str:
    if name in _URL_ATTRIBUTES and name in ALLOWED_ATTRIBUTES.get(tag, ()):
        return url_problem(value or "", image=tag == "img") or ""
    allowed = sorted(ALLOWED_ATTRIBUTES.get(tag, frozenset()) - {"class", "style"})
    if name.startswith("on"):
        why = "event handlers run script"
    elif name in ("style", "class", "id"):
        why = f"'{name}=' could restyle the page or take over the theme's own elements"
    else:
        why = f"allowed on <{tag}>: {', '.join(allowed) or 'none'}"
    shown = f"{name}={value!r}" if value is not None and name in ("class", "style") else name
    return f"<{tag} {shown}> is not allowed in notes ({why})"


def tag_hazards(text: str) -> Iterator[Hazard]:
    """Tags and attributes outside the allow-list."""
    refused: set[str] = set()
    for start, closing, name, attrs, _end in read_tags(text):
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
                yield Hazard(at, attribute_message(name, attr.name, attr.value), text[at : at + 12])


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


def first_change(before: str, after: str) -> tuple[str, str] | None:
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
                return attribute_message(tag, name, value), name
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


def find_unbalanced(markup: str) -> tuple[str, str] | None:
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
