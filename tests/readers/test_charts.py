"""SVG pictures: well-formed XML with a title, a description and the numbers as text."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET

import pytest

from generator import charts

from .conftest import Built

SVG = "{http://www.w3.org/2000/svg}"


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text
    assert desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert re.fullmatch(r"0 0 \d+(\.\d)? \d+(\.\d)?", root.get("viewBox", ""))
    return root


ROWS = [
    ("Quantum & <codes>", 12),
    ("LLM reasoning, chain-of-thought & test-time compute", 30),
    ("Empty", 0),
    ("Single", 1),
]


def test_bar_chart_labels_and_counts_are_text() -> None:
    root = parse(charts.bar_chart(ROWS, title="Papers per topic", desc="Sizes & more"))
    assert root.findtext(f"{SVG}desc") == "Sizes & more"
    words = texts(root)
    assert "Quantum & <codes>" in words
    assert [w for w in words if w[0].isdigit()] == ["12 papers", "30 papers", "0 papers", "1 paper"]
    bars = [r for r in root.iter(f"{SVG}rect") if "bar" in (r.get("class") or "")]
    widths = [float(r.get("width", "nan")) for r in bars]
    span = charts.bar_span(30)
    assert widths == [round(span * 12 / 30, 1), span, 0, round(span / 30, 1)]
    # Phone-sized: nothing is drawn or written beyond the chart's width, labels sit above bars.
    assert float(root.get("width", "nan")) == charts.WIDTH <= 358
    for bar in bars:
        assert float(bar.get("x", "nan")) + float(bar.get("width", "nan")) <= charts.WIDTH
    labels = [t for t in root.iter(f"{SVG}text") if not (t.text or "")[0].isdigit()]
    assert all(len(t.text or "") * charts.CHAR_WIDTH + charts.PAD <= charts.WIDTH for t in labels)


def test_bar_chart_marks_its_own_row() -> None:
    root = parse(charts.bar_chart(ROWS, title="t", desc="d", own=1))
    classes = [r.get("class") for r in root.iter(f"{SVG}rect") if "bar" in (r.get("class") or "")]
    assert classes == ["bar", "bar own", "bar", "bar"]


def test_cooccurrence_matrix_numbers_rows_and_shades_cells() -> None:
    topics = [("Alpha", 10), ("Beta & co", 7), ("Gamma", 3)]
    root = parse(charts.cooccurrence_chart(topics, {(0, 1): 4, (1, 2): 1}, title="Shared", desc="d"))
    words = texts(root)
    assert [w for w in words if ". " in w] == ["1. Alpha", "2. Beta & co", "3. Gamma"]
    assert words.count("4") == 2 and words.count("1") >= 2  # symmetric: both (0,1) and (1,0)
    cells = [r.get("class") for r in root.iter(f"{SVG}rect") if r.get("class") != "bg"]
    assert len(cells) == 9
    assert cells.count("diag") == 3
    assert cells.count("l0") == 2  # Alpha and Gamma share nothing


@pytest.mark.parametrize(
    ("count", "top", "shade"), [(0, 9, 0), (1, 100, 1), (25, 100, 3), (100, 100, 5), (3, 0, 0)]
)
def test_level(count: int, top: int, shade: int) -> None:
    assert charts.level(count, top) == shade


def test_palettes_for_light_and_dark() -> None:
    svg = charts.bar_chart(ROWS, title="t", desc="d")
    assert "@media (prefers-color-scheme:dark)" in svg
    assert '<rect class="bg"' in svg  # its own background: readable on either page scheme


def test_output_is_stable() -> None:
    assert charts.bar_chart(ROWS, title="t", desc="d") == charts.bar_chart(list(ROWS), title="t", desc="d")
    assert charts.shorten("a " * 40, 11) == "a a a a a…"


# --- the built site -------------------------------------------------------------------------------


def test_every_chart_of_the_site_parses(built: Built) -> None:
    paths = sorted((built.site / "assets/charts").glob("*.svg"))
    topics = re.findall(r"^  - id: (\S+)", (built.root / "content/topics.yml").read_text(), re.MULTILINE)
    assert {p.name for p in paths} == {
        *(f"topic-{t}.svg" for t in topics),
        *(f"timeline-{t}.svg" for t in topics),
    }
    for path in paths:
        parse(path.read_text(encoding="utf-8"))


def images(page_html: str) -> dict[str, str]:
    """src → alt of the images in the page's article."""
    article = page_html.split("<article", 1)[1]
    return {src: alt for alt, src in re.findall(r'<img alt="([^"]+)" src="([^"]+)"', article)}


def test_home_page_shows_no_chart_and_each_topic_once(built: Built) -> None:
    """The home page's bar chart and overlap matrix are gone (issue 13): the list of topics says
    their sizes, and a topic page names its neighbours; each topic is linked once."""
    home = built.page("").read_text(encoding="utf-8")
    assert images(home) == {}
    article = home.split("<article", 1)[1]
    topics = re.findall(r"^  - id: (\S+)", (built.root / "content/topics.yml").read_text(), re.MULTILINE)
    for tid in topics:
        assert article.count(f'href="topics/{tid}/"') == 1, tid


def test_topic_page_shows_its_size_and_neighbours(built: Built) -> None:
    found = images(built.page("topics/quantum-computing/").read_text(encoding="utf-8"))
    alt = found["../../assets/charts/topic-quantum-computing.svg"]
    assert alt.startswith("Quantum computing: ")
    root = parse((built.site / "assets/charts/topic-quantum-computing.svg").read_text(encoding="utf-8"))
    label, size, *neighbours = texts(root)
    assert label == "Quantum computing"
    assert size[0].isdigit() and size.endswith((" paper", " papers"))
    assert f"<strong>{size}</strong>" in built.page("topics/quantum-computing/").read_text(encoding="utf-8")
    assert neighbours and all(n.startswith("also in ") or n[0].isdigit() for n in neighbours)


# --- timelines ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "bins"),
    [
        ([], []),
        ([2020], [("2020", 1)]),
        ([2019, 2021, 2021], [("2019", 1), ("2020", 0), ("2021", 2)]),
        # 17 years do not fit in 16 columns: two years a column, aligned on even years.
        ([2003, 2019, 2019, 2004], [(str(y), 0) for y in range(2002, 2020, 2)]),
        ([1936, 2025], [("1930", 1), *((str(y), 0) for y in range(1940, 2020, 10)), ("2020", 1)]),
    ],
)
def test_year_bins(years: list[int], bins: list[tuple[str, int]]) -> None:
    if len(years) == 4:  # the 2-year case: fill in the expected counts
        bins = [(label, {"2002": 1, "2004": 1, "2018": 2}.get(label, 0)) for label, _ in bins]
    assert charts.year_bins(years) == bins
    assert sum(n for _, n in charts.year_bins(years)) == len(years)
    assert len(charts.year_bins(years)) <= charts.MAX_BINS


def test_month_bins_fill_empty_months_across_a_new_year() -> None:
    dates = [dt.date(2025, 11, 30), dt.date(2026, 2, 1), dt.date(2026, 2, 28)]
    assert charts.month_bins(dates) == [("2025-11", 1), ("2025-12", 0), ("2026-01", 0), ("2026-02", 2)]


def test_timeline_writes_every_count_and_thins_labels() -> None:
    bins = [(str(y), y % 3) for y in range(2010, 2026)]
    root = parse(charts.timeline_chart(bins, caption="Papers per year", title="t", desc="d"))
    words = texts(root)
    assert words[0] == "Papers per year"
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert len(bars) == sum(1 for _, n in bins if n)
    heights = [float(r.get("height", "nan")) for r in bars]
    assert max(heights) == charts.TIMELINE_PLOT and min(heights) == charts.TIMELINE_PLOT / 2
    counts = [w for w in words if w.isdigit() and len(w) == 1]
    assert counts == [str(n) for _, n in bins if n]
    years = [w for w in words if len(w) == 4]
    assert years[0] == "2010" and 1 < len(years) < len(bins)  # thinned, never overlapping
    xs = sorted(float(t.get("x", "nan")) for t in root.iter(f"{SVG}text") if (t.text or "") in years)
    assert all(b - a >= 4 * 11 * 0.62 for a, b in itertools.pairwise(xs))
    assert float(root.get("width", "nan")) == charts.WIDTH


# --- hostile text and determinism -----------------------------------------------------------------

HOSTILE = [
    '</text><script>alert("x")</script>',
    "]]><!-- & &amp; &#x41;",
    "control \x01\x0b\x1f and lone \ud800 surrogate",
    "\u202e right-to-left & <b>bold</b>",
]


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_stay_text(label: str) -> None:
    for svg in [
        charts.bar_chart([(label, 3), ("x", 1)], title=label, desc=label),
        charts.cooccurrence_chart([(label, 3), ("x", 1)], {(0, 1): 1}, title=label, desc=label),
        charts.timeline_chart([(label, 2)], caption=label, title=label, desc=label),
    ]:
        root = parse(svg)
        assert not [e for e in root.iter() if e.tag.split("}")[-1] in {"script", "b", "foreignObject"}]
        shown = "".join(texts(root)) + (root.findtext(f"{SVG}title") or "")
        expected = charts._NOT_XML.sub("\ufffd", label)
        assert charts.shorten(expected) in shown or expected in shown


def test_charts_are_byte_identical_across_runs() -> None:
    def draw() -> list[str]:
        bins = charts.month_bins([dt.date(2026, 1, 5), dt.date(2026, 3, 1)])
        return [
            charts.bar_chart(ROWS, title="t", desc="d", own=1),
            charts.cooccurrence_chart([("a", 2), ("b", 1)], {(0, 1): 1}, title="t", desc="d"),
            charts.timeline_chart(bins, caption="c", title="t", desc="d"),
        ]

    assert draw() == draw()


def test_topic_page_shows_its_timeline(built: Built) -> None:
    page = built.page("topics/quantum-computing/").read_text(encoding="utf-8")
    alt = images(page)["../../assets/charts/timeline-quantum-computing.svg"]
    assert alt.startswith("Quantum computing: papers per ")
    root = parse((built.site / "assets/charts/timeline-quantum-computing.svg").read_text(encoding="utf-8"))
    counts = [int(w) for w in texts(root) if w.isdigit() and len(w) < 4]
    size = int(re.search(r"<strong>(\d+) papers?</strong>", page).group(1))  # type: ignore[union-attr]
    assert sum(counts) == size  # no shipped paper has a year yet: every paper counts by month added
