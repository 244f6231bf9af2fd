"""Static SVG charts drawn at build time: pure functions from counts to SVG text.

The charts are shown as images (``<img>``), which cannot see the page's CSS,
so each carries its own background and a light and a dark palette chosen by
``prefers-color-scheme``: whatever the page's scheme, text always sits on the
chart's own background with enough contrast.  Every chart has a <title> and
<desc>, and its numbers are written out as text, not only drawn.  Coordinates
are integers or fixed to one decimal, so the output is byte-stable.

Bar charts and timelines are WIDTH px wide, labels above their bars, so that a
phone (390 px, less the page margins) shows them at full size; only the
matrix of shared papers is wider, and scrolls sideways on a phone.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Mapping, Sequence

from . import text

#: Characters XML 1.0 does not allow in a document at all, escaped or not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(value: str) -> str:
    """Escape `&`, `<` and `>` for SVG text (as xml.sax.saxutils.escape does, which imports
    urllib.request and, through it, the network stack: 20 ms of every run), and replace the
    characters XML cannot hold by U+FFFD, so that no title can make the file unreadable."""
    return html.escape(_NOT_XML.sub("\ufffd", value), quote=False)


FONT = 13
#: Average advance of a character at FONT px in a sans-serif face, to size label columns.
CHAR_WIDTH = 7.0
ROW = 24
PAD = 12
#: Width of bar charts and timelines: a phone's screen less Material's margins (390 - 2 × 16).
WIDTH = 358
#: A bar chart row: its label, then its bar.
BAR_ROW = 38
BAR_HEIGHT = 12
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
    """Horizontal bars, one per (label, count) row, in the given order, each label above its bar.

    `own` marks one row (by index) in a second colour, e.g. the topic a page is about.
    """
    labels = [shorten(label, int((WIDTH - 2 * PAD) / CHAR_WIDTH)) for label, _ in rows]
    top = max((count for _, count in rows), default=0) or 1
    span = bar_span(top)
    height = PAD + BAR_ROW * len(rows) + PAD / 2
    body = []
    for i, (label, (_, count)) in enumerate(zip(labels, rows, strict=True)):
        y = PAD + BAR_ROW * i
        bar_y = y + FONT + 5
        length = span * count / top
        cls = "bar own" if i == own else "bar"
        body.append(_label(PAD, y + FONT, label))
        body.append(_rect(cls, PAD, bar_y, length, BAR_HEIGHT))
        mid = bar_y + BAR_HEIGHT / 2 + FONT * 0.35
        body.append(_label(PAD + length + PAD / 2, mid, papers(count), cls="muted"))
    return _svg(WIDTH, height, title, desc, body)


def bar_span(top: int) -> float:
    """Length of the longest bar: the width less the margins and the room its count takes."""
    return WIDTH - 2 * PAD - PAD / 2 - _text_width(papers(top))


#: Timeline: at most this many columns; the bins widen (1, 2, 5, 10… years) to stay under it.
MAX_BINS = 16
TIMELINE_PLOT = 90
_YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000)


def year_bins(years: Sequence[int]) -> list[tuple[str, int]]:
    """Papers per year, every year from the first to the last (empty ones too), as (label, count).

    Over MAX_BINS years, years are grouped into bins of 2, 5, 10… years, labelled by their
    first year and aligned on multiples of the step ("2010" is 2010–2014 with a step of 5).
    """
    if not years:
        return []
    first, last = min(years), max(years)
    step = next((s for s in _YEAR_STEPS if last // s - first // s + 1 <= MAX_BINS), _YEAR_STEPS[-1])
    start = first // step * step
    counts = [0] * (last // step - first // step + 1)
    for year in years:
        counts[year // step - first // step] += 1
    return [(str(start + step * i), n) for i, n in enumerate(counts)]


def month_bins(dates: Sequence[dt.date]) -> list[tuple[str, int]]:
    """Papers per month (YYYY-MM), every month from the first to the last (empty ones too)."""
    if not dates:
        return []
    months = [d.year * 12 + d.month - 1 for d in dates]
    first, last = min(months), max(months)
    counts = [0] * (last - first + 1)
    for month in months:
        counts[month - first] += 1
    return [(f"{(first + i) // 12:04d}-{(first + i) % 12 + 1:02d}", n) for i, n in enumerate(counts)]


def timeline_chart(bins: Sequence[tuple[str, int]], *, caption: str, title: str, desc: str) -> str:
    """Columns of counts over time, oldest first, each count written above its column.

    `bins` are (label, count) in time order, as year_bins or month_bins make them; labels
    under the columns are thinned so that they never overlap.
    """
    small = 11
    count = max(len(bins), 1)
    column = min(40.0, (WIDTH - 2 * PAD) / count)
    label_width = max((len(label) for label, _ in bins), default=0) * small * 0.62 + 4
    every = max(1, math.ceil(label_width / column))
    top = max((n for _, n in bins), default=0) or 1
    base = PAD + FONT + 8 + small + 2 + TIMELINE_PLOT
    height = base + 4 + small + PAD
    body = [_label(PAD, PAD + FONT, caption, cls="muted")]
    body.append(
        f'<line class="grid" x1="{PAD}" y1="{_num(base)}" x2="{_num(WIDTH - PAD)}" y2="{_num(base)}"/>'
    )
    extra = f' font-size="{small}"'
    for i, (label, n) in enumerate(bins):
        x = PAD + column * i
        length = TIMELINE_PLOT * n / top
        mid = x + column / 2
        if n:
            body.append(_rect("bar", x + 2, base - length, column - 4, length))
            body.append(_label(mid, base - length - 3, str(n), anchor="middle", extra=extra))
        if i % every == 0:
            body.append(_label(mid, base + 4 + small, label, anchor="middle", cls="muted", extra=extra))
    return _svg(WIDTH, height, title, desc, body)


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
