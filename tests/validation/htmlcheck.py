"""Read HTML with the standard library's parser (not the sanitizer's own tokenizer)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

from generator.htmlscan import dangerous_scheme

#: Elements that run script or load active content (meta only with http-equiv, see below).
ACTIVE = ("script", "iframe", "frame", "object", "embed", "applet", "base", "form", "svg", "math")
#: Attributes whose value a browser follows as a URL.
URL_ATTRS = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "data",
        "xlink:href",
        "poster",
        "background",
        "srcset",
        "cite",
        "ping",
    }
)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, tuple((k, v or "") for k, v in attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, tuple((k, v or "") for k, v in attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def elements(html: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    parser = _Collector()
    parser.feed(html)
    parser.close()
    return parser.elements


def script_parts(html: str) -> list[str]:
    """Event handlers and script URLs in `html`: what runs script without a <script> element."""
    found = []
    for tag, attrs in elements(html):
        names = {k for k, _ in attrs}
        for name, value in attrs:
            handler = name.startswith("on")
            url = name in URL_ATTRS and dangerous_scheme(value) is not None
            styled = name == "style" and dangerous_scheme(value, anywhere=True) is not None
            refresh = name == "content" and "http-equiv" in names and dangerous_scheme(value, anywhere=True)
            if handler or url or styled or refresh:
                found.append(f"<{tag} {name}={value!r}>")
    return found


def active_parts(html: str) -> Counter[str]:
    """Everything in `html` that can run script or load active content, as comparable strings.

    An active element is named by its tag, its attribute names and its URL values (so
    page-specific text does not make two pages differ); handlers and script URLs in full.
    """
    found: Counter[str] = Counter(script_parts(html))
    for tag, attrs in elements(html):
        names = {k for k, _ in attrs}
        if tag in ACTIVE or (tag == "meta" and "http-equiv" in names):
            urls = sorted(f"{k}={v!r}" for k, v in attrs if k in URL_ATTRS)
            found[f"<{tag} {' '.join(sorted(names))} {' '.join(urls)}>"] += 1
    return found
