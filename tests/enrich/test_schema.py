"""`enriched:` in a paper file: the loader checks its shape and says where it is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.load import load_paper

HEAD = "---\ntitle: A paper\nadded: 2026-01-01\nabstract: Short.\n"
GOOD = "enriched:\n- source: crossref\n  id: 10.1/x\n  date: 2026-12-01\n  fields: [authors, year]\n"


def problems(tmp_path: Path, enriched: str) -> list[str]:
    path = tmp_path / "a-paper.md"
    path.write_text(HEAD + enriched + "---\n", encoding="utf-8")
    _paper, found = load_paper(path, "content/papers/a-paper.md", ())
    return [str(p) for p in found if p.is_error]


def test_what_enrich_writes_loads(tmp_path: Path) -> None:
    assert problems(tmp_path, GOOD) == []


@pytest.mark.parametrize(
    ("enriched", "expected"),
    [
        ("enriched: crossref\n", "5:11: enriched: expected a list written by 'enrich', found 'crossref'"),
        ("enriched:\n- crossref\n", "6:3: enriched: expected source, id, date and fields, found 'crossref'"),
        (GOOD.replace("  id: 10.1/x\n", ""), "6:3: enriched: id: missing, expected one in each entry"),
        (GOOD.replace("2026-12-01", "yesterday"),
         "8:9: enriched: date: expected a date YYYY-MM-DD, found 'yesterday'"),
        (GOOD.replace("year]", "yaer]"),
         "9:21: enriched: fields: 'yaer' is not a field (did you mean 'year'?)"),
        (GOOD.replace("[authors, year]", "authors"),
         "9:11: enriched: fields: expected a list of field names, found 'authors'"),
        (GOOD + "  by: me\n", "10:3: enriched: 'by' is not a key"),
    ],
)  # fmt: skip
def test_a_wrong_shape_is_reported_where_it_is(tmp_path: Path, enriched: str, expected: str) -> None:
    assert problems(tmp_path, enriched) == [f"content/papers/a-paper.md:{expected}"]
