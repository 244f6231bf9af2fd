"""Static SVG charts drawn at build time: pure functions from counts to SVG text.

The charts are shown as images (``<img>``), which cannot see the page's CSS,
so each carries its own background and a light and a dark palette chosen by
``prefers-color-scheme``: whatever the page's scheme, text always sits on the
chart's own background with enough contrast.  Every chart has a <title> and
<desc>, and its numbers are written out as text, not only drawn.  Coordinates
are integers or fixed to one decimal, so the output is byte-stable.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

from . import text


def escape(value: str) -> str:
    """Escape `&`, `<` and `>` for SVG text (as xml.sax.saxutils.escape does, which imports
    urllib.request and, through it, the network stack: 20 ms of every run)."""
    return html.escape(value, quote=False)


FONT = 13
#: Average advance of a character at FONT px in a sans-serif face, to size label columns.
CHAR_WIDTH = 7.0
ROW = 24
PAD = 12
BAR_WIDTH = 300
CELL = 26
LABEL_CHARS = 40

# Light palette first, dark in the media query.  Text keeps 4.5:1 or more against what it
# sits on (cell text switches colour with the cell's shade), bars 3:1 against the background.
_STYLE = """
.bg{fill:#ffffff}
text{fill:#1f2328;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:13px}
.muted{fill:#57606a}
.bar{fill:#3949ab}
.bar.own{fill:#00796b}
.grid{stroke:#d0d7de;stroke-width:1}
.l0{fill:#f6f8fa}.l1{fill:#e8eaf6}.l2{fill:#c5cae9}.l3{fill:#9fa8da}.l4{fill:#5c6bc0}.l5{fill:#283593}
.diag{fill:#ffffff;stroke:#57606a;stroke-width:1}
text.strong{fill:#ffffff}
text.weak{fill:#1f2328}
@media (prefers-color-scheme:dark){
.bg{fill:#1e2129}
text{fill:#e3e6ea}
.muted{fill:#aab1ba}
.bar{fill:#9fa8da}
.bar.own{fill:#80cbc4}
.grid{stroke:#3a3f4b}
.l0{fill:#262a35}.l1{fill:#2e3450}.l2{fill:#3c4680}.l3{fill:#4b58a8}.l4{fill:#9fa8da}.l5{fill:#dfe3f7}
.diag{fill:#1e2129;stroke:#aab1ba}
text.strong{fill:#1f2328}
text.weak{fill:#e3e6ea}
}
"""


def _num(value: float) -> str:
    """A coordinate with at most one decimal, the same on every machine."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def shorten(label: str, limit: int = LABEL_CHARS) -> str:
    """`label` cut at a word boundary to `limit` characters, with an ellipsis."""
    return text.shorten(label, limit, trim=" ,;:&")


def _label(x: float, y: float, text: str, *, anchor: str = "start", cls: str = "", extra: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<text{klass}{extra} x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}">{escape(text)}</text>'


def _rect(cls: str, x: float, y: float, width: float, height: float) -> str:
    return f'<rect class="{cls}" x="{_num(x)}" y="{_num(y)}" width="{_num(width)}" height="{_num(height)}"/>'


def _svg(width: float, height: float, title: str, desc: str, body: list[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(width)}" height="{_num(height)}" '
        f'viewBox="0 0 {_num(width)} {_num(height)}" role="img" aria-labelledby="title desc">\n'
        f'<title id="title">{escape(title)}</title>\n'
        f'<desc id="desc">{escape(desc)}</desc>\n'
        f"<style>{_STYLE}</style>\n"
        f'<rect class="bg" width="{_num(width)}" height="{_num(height)}" rx="6"/>\n'
    )
    return head + "\n".join(body) + "\n</svg>\n"


def papers(count: int) -> str:
    return f"{count} paper" if count == 1 else f"{count} papers"


def bar_chart(rows: Sequence[tuple[str, int]], *, title: str, desc: str, own: int | None = None) -> str:
    """Horizontal bars, one per (label, count) row, in the given order.

    `own` marks one row (by index) in a second colour, e.g. the topic a page is about.
    """
    labels = [shorten(label, 60) for label, _ in rows]
    label_width = max((_text_width(label) for label in labels), default=0)
    top = max((count for _, count in rows), default=0) or 1
    count_width = _text_width(papers(top))
    width = PAD + label_width + PAD + BAR_WIDTH + PAD + count_width + PAD
    height = PAD + ROW * len(rows) + PAD
    x0 = PAD + label_width + PAD
    body = []
    for i, (label, (_, count)) in enumerate(zip(labels, rows, strict=True)):
        y = PAD + ROW * i
        mid = y + ROW / 2 + FONT * 0.35
        length = BAR_WIDTH * count / top
        cls = "bar own" if i == own else "bar"
        body.append(_label(x0 - PAD / 2, mid, label, anchor="end"))
        body.append(_rect(cls, x0, y + 4, length, ROW - 8))
        body.append(_label(x0 + length + PAD / 2, mid, papers(count), cls="muted"))
    return _svg(width, height, title, desc, body)


def level(count: int, top: int) -> int:
    """Shade 1–5 of a non-zero count on a square-root scale (small overlaps stay visible), else 0."""
    if count <= 0 or top <= 0:
        return 0
    return min(5, 1 + math.floor(4 * math.sqrt(count / top) + 1e-9))


def cooccurrence_chart(
    topics: Sequence[tuple[str, int]], shared: Mapping[tuple[int, int], int], *, title: str, desc: str
) -> str:
    """A matrix of the papers each pair of topics shares; the diagonal holds each topic's size.

    `topics` are (label, size) in display order; `shared` maps index pairs (i < j) to counts.
    Rows are numbered and labelled, columns carry the same numbers.
    """
    n = len(topics)
    labels = [f"{i + 1}. {shorten(label)}" for i, (label, _) in enumerate(topics)]
    label_width = max((_text_width(label) for label in labels), default=0)
    x0 = PAD + label_width + PAD
    y0 = PAD + ROW
    width = x0 + CELL * n + PAD
    height = y0 + CELL * n + PAD
    top = max(shared.values(), default=0)
    body = []
    for j in range(n):
        cx = x0 + CELL * j + CELL / 2
        body.append(
            f'<text class="muted" x="{_num(cx)}" y="{_num(PAD + FONT)}" text-anchor="middle">{j + 1}</text>'
        )
    for i, label in enumerate(labels):
        y = y0 + CELL * i
        mid = y + CELL / 2 + FONT * 0.35
        body.append(
            f'<text x="{_num(x0 - PAD / 2)}" y="{_num(mid)}" text-anchor="end">{escape(label)}</text>'
        )
        for j in range(n):
            x = x0 + CELL * j
            if i == j:
                cls, count = "diag", topics[i][1]
            else:
                count = shared.get((min(i, j), max(i, j)), 0)
                cls = f"l{level(count, top)}"
            body.append(_rect(cls, x + 1, y + 1, CELL - 2, CELL - 2))
            if count:
                shade = level(count, top) if i != j else 0
                # Strong cells are dark in the light palette and light in the dark one.
                tone = "strong" if shade >= 4 else "weak" if shade else ""
                extra = ' font-size="11"' + (' font-weight="bold"' if i == j else "")
                body.append(_label(x + CELL / 2, mid, str(count), anchor="middle", cls=tone, extra=extra))
    return _svg(width, height, title, desc, body)
