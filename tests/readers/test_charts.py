"""SVG pictures: well-formed XML with a title, a description and the numbers as text."""

from __future__ import annotations

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
    assert widths == [charts.BAR_WIDTH * 12 / 30, charts.BAR_WIDTH, 0, 10]


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
    assert {p.name for p in paths} == {f"topic-{t}.svg" for t in topics}
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
