"""Typeset the LaTeX of titles and abstracts: HTML for pages, plain text for feeds and search.

Abstracts come from arXiv and BibTeX as their authors wrote them: `{\\em x}`, `12\\%`,
``` ``Stim" ```, `\\url{…}`, `$O(n)$`, `2\\times10^{22}`.  `to_html` shows them as arXiv does,
`plain` as text.  The stored title and abstract stay as written.

- One pass over the text (generator/texparse.py) builds a small tree with an explicit stack,
  so deep braces cannot exhaust the recursion limit; every look-ahead is bounded or consumes
  what it reads, so the work is linear in the length of the text.  The tables of what each
  command becomes are in generator/texmap.py.
- What is not understood stays visible as written (`\\tool`, an unpaired quote, a `{`
  never closed): nothing is dropped.
- The HTML holds only what the notes' allow-list (generator/allowlist.py) accepts: `em`,
  `strong`, `code`, `a href rel` and `code class="language-math"` for the TeX of math,
  which overrides/assets/javascripts/math.js renders with KaTeX.  Text is HTML-escaped;
  the HTML goes into raw HTML blocks that Markdown does not parse, so `F*`, `k_1` and
  backquotes keep their meaning.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from .texmap import MATH_COMMANDS, SPACE_RUN, Elem, Math, Node, Quote, math_text
from .texparse import parse

__all__ = ["MATH_COMMANDS", "MAX_DEPTH", "has_math", "math_text", "plain", "to_html"]

# Characters HTML cannot carry (a parser turns NUL into U+FFFD, sanitizers drop them): shown as U+FFFD.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")
#: Nested styles deeper than this are shown without further tags.
MAX_DEPTH = 16
#: Where `plain` and `to_html` remember their last answers (titles and abstracts repeat).
_CACHE: dict[tuple[str, str], str] = {}


def _walk(root: Elem) -> Iterator[tuple[str, Node]]:
    """("open"|"close"|"leaf", node) in document order, without recursion."""
    stack: list[tuple[Elem, int]] = [(root, 0)]
    while stack:
        elem, k = stack.pop()
        if k < len(elem.children):
            stack.append((elem, k + 1))
            node = elem.children[k]
            if isinstance(node, Elem):
                yield "open", node
                stack.append((node, 0))
            else:
                yield "leaf", node
        elif elem is not root:
            yield "close", elem


def _leaf_text(node: Node) -> str:
    if isinstance(node, Quote):
        return node.curly or node.mark
    return node if isinstance(node, str) else ""


def to_html(text: str) -> str:
    """`text` typeset as inline HTML (escaped, on one line), for an element's content."""
    found = _CACHE.get(("html", text))
    return found if found is not None else _typeset(text)[0]


def plain(text: str) -> str:
    """`text` as plain Unicode text: "Stim", 12%, 2×10²², for feeds, search and summaries."""
    found = _CACHE.get(("plain", text))
    return found if found is not None else _typeset(text)[1]


def _typeset(text: str) -> tuple[str, str]:
    """Both forms of `text` from one parse (a list page asks for the plain text of an abstract,
    its paper page for the HTML), remembered."""
    out: list[str] = []
    words: list[str] = []
    shown: list[bool] = []  # per open element: whether its tags were written
    in_link = depth = 0
    for event, node in _walk(parse(text)):
        if event == "open":
            assert isinstance(node, Elem)
            show = bool(node.tag) and depth < MAX_DEPTH and not (node.tag == "a" and in_link)
            shown.append(show)
            if show:
                depth += 1
                if node.tag == "a":
                    in_link += 1
                    href = html.escape(node.href, quote=True)
                    out.append(f'<a href="{href}" rel="nofollow noopener">')
                else:
                    out.append(f"<{node.tag}>")
        elif event == "close":
            assert isinstance(node, Elem)
            if shown.pop():
                depth -= 1
                in_link -= node.tag == "a"
                out.append(f"</{node.tag}>")
        elif isinstance(node, Math):
            out.append(f'<code class="language-math">{html.escape(node.tex, quote=False)}</code>')
            words.append(math_text(node.tex))
        else:
            leaf = _leaf_text(node)
            out.append(html.escape(leaf, quote=False))
            words.append(leaf)
    result = (_CONTROL.sub("\ufffd", "".join(out)), SPACE_RUN.sub(" ", "".join(words)).strip())
    if len(_CACHE) > 200_000:
        _CACHE.clear()
    _CACHE[("html", text)], _CACHE[("plain", text)] = result
    return result


def has_math(text: str) -> bool:
    """Whether `to_html(text)` holds a formula (the page then loads KaTeX)."""
    return 'class="language-math"' in to_html(text)
