"""The importer's fast paths give exactly what the plain code they replace gave.

`yamlemit.dump_yaml` writes the very text `yaml.dump` (libyaml's CSafeDumper) wrote before:
it hands libyaml's emitter the events PyYAML's representer would make, without
running the representer; these tests hold the two equal on every kind of value the
importer writes and on text chosen to hit every YAML quoting and folding rule.
`merge.field_digest` (recorded in every imported file) hashes the same JSON as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import merge, paperfile, yamlemit

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that YAML reads as something else, or must quote, escape or fold.
TRICKY = [
    "",
    " ",
    "yes",
    "No",
    "off",
    "Y",
    "~",
    "null",
    "NULL",
    "true",
    "123",
    "-1",
    "+1",
    "010",
    "0o7",
    "0x1F",
    "1_000",
    "1e3",
    "1.5",
    ".inf",
    "-.inf",
    ".NaN",
    "1:30",
    "2020-01-01",
    "2020-1-1 10:00:00",
    "=",
    "<<",
    ": x",
    "a: b",
    "a #b",
    "#c",
    "- a",
    "-",
    "?",
    "? a",
    "[x]",
    "{x}",
    "'",
    '"',
    "'q'",
    "@a",
    "`a",
    "%a",
    "!a",
    "&a",
    "*a",
    "|",
    ">",
    "a\nb",
    "a\n\nb",
    "\n",
    "tab\there",
    " lead",
    "trail ",
    "\x07",
    "\x85",
    "\u2028",
    "\ufeff",
    "ünï ☃",
    "\U0001f600",
    "\\",
    "a\\nb",
    "...",
    "---",
    "x" * 150,
    " ".join(["word"] * 60),
    "é" * 120,
    "a  b " * 40,
    "http://x.org/a?b=c#d",
]
SPECIAL = st.sampled_from(list(":-[]{}#&*!|>'\"%@`,?\\/<=;()\t\n\r ~^$_.+0123456789\x00\x85\u2028é"))
TEXT = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=30),
    st.lists(st.one_of(SPECIAL, st.sampled_from(["yes", "no", "1", "a", "word", " "])), max_size=40).map(
        "".join
    ),
    st.lists(st.sampled_from(["word", "longer-word", "a", " ", "  "]), max_size=80).map("".join),
)
SCALAR = st.one_of(TEXT, st.integers(), st.booleans(), st.none(), st.dates())
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(TEXT, inner, max_size=5)),
    max_leaves=20,
)


def pyyaml(data: object) -> str:
    """What the importer wrote before dump_yaml made its own events."""
    return yaml.dump(
        data,
        Dumper=yaml.CSafeDumper,
        allow_unicode=True,
        sort_keys=False,
        width=yamlemit.WIDTH,
        default_flow_style=False,
    )


@SETTINGS
@given(st.dictionaries(TEXT, VALUE, max_size=8))
def test_dump_yaml_is_pyyaml_dump(data: dict[str, object]) -> None:
    assert yamlemit.dump_yaml(data) == pyyaml(data)


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_text_as_key_value_and_item(text: str) -> None:
    data: dict[str, object] = {text: text, "list": [text, [text]], "map": {"k": text, text: [text]}}
    assert yamlemit.dump_yaml(data) == pyyaml(data)


def test_a_paper_file() -> None:
    data = paperfile.new_fields(
        {
            "title": "Attention Is All You Need",
            "abstract": "The dominant sequence transduction models " * 12,
            "authors": ["Ashish Vaswani", "Noam Shazeer", "Łukasz Kaiser"],
            "year": 2017,
            "venue": "NeurIPS",
            "doi": "10.5555/3295222.3295349",
            "tags": [],
            "bib_fields": {"pages": "5998--6008", "month": "dec"},
        },
        dt.date(2026, 12, 1),
        {"from": "library.bib", "key": "0123456789ab", "bib": "title=1a2b3c4d5e abstract=0a1b2c3d4e"},
    )
    assert yamlemit.dump_yaml(data) == pyyaml(data)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"a": (shared := ["x"]), "b": shared}, id="shared list: PyYAML writes an alias"),
        pytest.param({"a": ("x", "y")}, id="tuple: PyYAML refuses it"),
        pytest.param({"a": dt.datetime(2026, 1, 1, 10, 0)}, id="datetime"),
        pytest.param({"a": 1.5}, id="float"),
    ],
)
def test_values_left_to_pyyaml(data: dict[str, object]) -> None:
    """What dump_yaml does not write itself is written (or refused) by yaml.dump, as before."""
    try:
        expected = pyyaml(data)
    except yaml.representer.RepresenterError:
        with pytest.raises(yaml.representer.RepresenterError):
            yamlemit.dump_yaml(data)
        return
    assert yamlemit.dump_yaml(data) == expected


def reference_digest(value: object) -> str:
    """field_digest before its fast paths."""
    canon = json.dumps(paperfile.canonical(value), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canon.encode()).hexdigest()[:10]


@SETTINGS
@given(VALUE)
def test_field_digest_is_the_json_digest(value: object) -> None:
    assert merge.field_digest(value) == reference_digest(value)
    if isinstance(value, list):
        assert merge.field_digest(tuple(value)) == reference_digest(value)
