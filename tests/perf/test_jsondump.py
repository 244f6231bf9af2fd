"""generator.jsondump writes exactly what json.dumps(..., ensure_ascii=False, indent=1) writes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import jsondump

scalars = st.one_of(
    st.text(),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.sampled_from(["\u2028", "\x00", '"\\/']),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=5), children, max_size=4),
        st.dictionaries(st.integers(), children, max_size=2),
    ),
    max_leaves=30,
)


@settings(max_examples=500, deadline=None)
@given(values)
def test_dumps_matches_json(data: Any) -> None:
    assert jsondump.dumps(data) == json.dumps(data, ensure_ascii=False, indent=1)
