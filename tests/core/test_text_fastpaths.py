"""The fast paths of the text helpers give what their plain definitions give.

`first_sentence` finds the end of the first sentence in the text as it comes, not in the text
made one line; `texparse`'s brace matching reads the text with a regular expression, not one
character at a time. Each is checked here against the plain definition it replaced, on
hypothesis' texts built from the characters that matter (whitespace of every kind, sentence
ends, capitals, braces and backslashes).
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import text
from generator.texparse import _Parser

SETTINGS = settings(max_examples=400, deadline=None)

#: Whitespace that str.split() and `\s` both know, besides the space: tabs, line breaks,
#: no-break and ideographic spaces, the separators U+1C..U+1F and U+2028.
SPACES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2000\u2028\u3000"
PROSE = st.text(alphabet=st.sampled_from(list(SPACES + "aZz09.!?)]}-Ab")), max_size=60)
TEX = st.text(alphabet=st.sampled_from(list("{}\\ ax$")), max_size=60)


def first_sentence_by_definition(value: str, limit: int) -> str:
    flat = " ".join(value.split())
    return text.shorten(re.split(r"(?<=[a-z0-9\)\]][.!?])\s+(?=[A-Z])", flat, maxsplit=1)[0], limit)


@SETTINGS
@given(PROSE, st.integers(min_value=2, max_value=40))
def test_first_sentence_is_that_of_the_text_made_one_line(value: str, limit: int) -> None:
    assert text.first_sentence(value, limit) == first_sentence_by_definition(value, limit)


def test_first_sentence_ends_at_a_run_of_any_whitespace() -> None:
    assert text.first_sentence("It works.\u3000\n Then more.", 200) == "It works."
    assert text.first_sentence("  No end here.\tnot a capital", 200) == "No end here. not a capital"


def closing_by_definition(value: str) -> dict[int, int]:
    """Each `{` and the `}` closing it; a backslash hides the character after it."""
    out: dict[int, int] = {}
    opened: list[int] = []
    k = 0
    while k < len(value):
        c = value[k]
        if c == "\\":
            k += 1
        elif c == "{":
            opened.append(k)
        elif c == "}" and opened:
            out[opened.pop()] = k
        k += 1
    return out


@SETTINGS
@given(TEX)
def test_braces_are_matched_as_by_reading_one_character_at_a_time(value: str) -> None:
    parser = _Parser(value)
    expected = closing_by_definition(value)
    for j in range(len(value)):
        assert parser.closing(j) == expected.get(j, -1), (value, j)
