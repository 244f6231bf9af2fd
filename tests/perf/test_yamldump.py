"""generator.yamldump writes exactly what yaml.safe_dump writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import yamldump

TRICKY = list("abcXYZ019 -_:#?,'\"[]{}&*!|>%@`.~=<+/\\\t\n\r\x85\u2028\u00e9\u00a0\ufeff\x7f\U0001f600")
WORDS = [
    "yes",
    "No",
    "null",
    "~",
    "true",
    "OFF",
    "123",
    "0x1f",
    "1.5e3",
    "2024-01-02",
    "---",
    "...",
    "<<",
    "=",
]


def reference(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


strings = st.one_of(
    st.text(alphabet=TRICKY, max_size=12),
    st.sampled_from(WORDS),
    st.builds(lambda a, b: a + b, st.sampled_from(WORDS), st.text(alphabet=TRICKY, max_size=4)),
    st.text(max_size=30),
    st.builds(lambda n, tail: "ab " * n + tail, st.integers(128, 140), st.sampled_from(["", " ", "c", ":"])),
)
scalars = st.one_of(strings, st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.dates())
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(strings, children, max_size=4),
    ),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(strings, values, max_size=6))
def test_dump_matches_pyyaml(data: dict[str, Any]) -> None:
    assert yamldump.dump(data) == reference(data)


def test_front_matter_shape_is_written_without_pyyaml() -> None:
    data = {
        "title": "Attention: all you need",
        "tags": ["LLM reasoning, chain-of-thought & test-time compute", "yes"],
        "paper": {
            "added": "2024-01-02",
            "year": None,
            "authors": [],
            "topics": [{"id": "llm", "title": "It's #1"}],
            "links": [{"url": "https://arxiv.org/abs/2401.01234?x=1#y"}],
            "day": dt.date(2024, 1, 2),
            "n": 3,
            "ok": True,
        },
    }
    assert yamldump.dump(data) == reference(data)
    assert len(yamldump._SCALARS) > 0


IMPORT_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=TRICKY),
    st.lists(
        st.sampled_from(["word", "a:", "b,", "x-y", "é", "中文", "  ", "'q'", "#", "-", "yes"]), max_size=60
    ).map(" ".join),
)


@settings(max_examples=400, deadline=None)
@given(IMPORT_TEXT)
def test_safe_dump_matches_pyyaml_at_import_width(value: str) -> None:
    for data in (
        {"abstract": value},
        {"code": [value, value]},
        {"imported": {"from": value, "key": value}},
        {value: [], "x": {value: value}},
    ):
        expected = yaml.safe_dump(
            data, allow_unicode=True, width=100, sort_keys=False, default_flow_style=False
        )
        assert yamldump.safe_dump(data, width=100) == expected
