"""Write block-style YAML exactly as `yaml.safe_dump` does, a hundred times faster.

Front matter is written for every page, and PyYAML's representer and emitter
(even with the C emitter) cost about a millisecond a page: a minute of a
10,000-paper build.  `dump` writes the same text itself for the values front
matter is made of (mappings with short string keys, lists, short strings,
ints, bools, None, dates) and hands anything else, or any string whose style
it is not sure of, to `yaml.safe_dump`, so the output is byte-identical in
every case; tests/perf/test_yamldump.py compares the two on generated data.

Only the `allow_unicode=True, sort_keys=False, default_flow_style=False`
flavour is reproduced, with a line width large enough that no line wraps.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml
from yaml.nodes import ScalarNode

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
#: Longest string written here; longer ones might reach the line width and wrap.
_MAX_CHARS = 400
#: Deepest nesting written here; it bounds the indentation in front of a string.
_MAX_DEPTH = 8
#: Characters that make PyYAML choose double quotes or a multi-line style: line breaks,
#: control characters, characters outside the printable Unicode ranges, and the BOM.
_NOT_SIMPLE = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010fffe]|[\u2028\u2029\ufeff]")
_LEADING_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`")


class _Unsupported(Exception):
    """A value `dump` does not write itself; PyYAML will."""


def _string(text: str) -> str:
    """Write a one-line string as PyYAML's emitter would: plain if it may be, else single-quoted."""
    if not text or len(text) > _MAX_CHARS or _NOT_SIMPLE.search(text):
        raise _Unsupported
    first = text[0]
    # The rules of yaml.emitter.Emitter.analyze_scalar for a one-line printable string.
    block_indicator = (
        text.startswith(("---", "..."))
        or first in _LEADING_INDICATORS
        or (first in "?:-" and (len(text) == 1 or text[1] == " "))
        or ": " in text
        or text.endswith(":")
        or " #" in text
    )
    plain = (
        not block_indicator
        and first != " "
        and text[-1] != " "
        and _RESOLVER.resolve(ScalarNode, text, (True, False)) == _STR_TAG  # type: ignore[no-untyped-call]
    )
    return text if plain else "'" + text.replace("'", "''") + "'"


_SCALARS: dict[tuple[type, Any], str] = {}


def _scalar(value: object) -> str:
    kind = type(value)
    key = (kind, value)
    cached = _SCALARS.get(key)
    if cached is not None:
        return cached
    if kind is str:
        out = _string(value)  # type: ignore[arg-type]
    elif value is None:
        out = "null"
    elif kind is bool:
        out = "true" if value else "false"
    elif kind is int:
        out = str(value)
    elif kind is dt.date:
        out = value.isoformat()  # type: ignore[attr-defined]
    else:
        raise _Unsupported
    if len(_SCALARS) < 100_000:  # topic titles, labels and keys repeat on every page
        _SCALARS[key] = out
    return out


def _value(lines: list[str], head: str, value: object, indent: int, in_mapping: bool) -> None:
    """Append `head` followed by `value` (a key and colon, or a list dash)."""
    kind = type(value)
    if kind is dict:
        if not value:
            lines.append(head + " {}")
        elif in_mapping:
            lines.append(head)
            _mapping(lines, value, indent + 2)  # type: ignore[arg-type]
        else:
            _mapping(lines, value, indent + 2, first=head + " ")  # type: ignore[arg-type]
    elif kind is list:
        if not value:
            lines.append(head + " []")
        elif in_mapping:
            # A list under a key is written "indentless": its dashes line up with the key.
            lines.append(head)
            _sequence(lines, value, indent)  # type: ignore[arg-type]
        else:
            _sequence(lines, value, indent + 2, first=head + " ")  # type: ignore[arg-type]
    else:
        lines.append(head + " " + _scalar(value))


def _mapping(lines: list[str], data: dict[Any, Any], indent: int, first: str | None = None) -> None:
    if indent > 2 * _MAX_DEPTH:
        raise _Unsupported
    pad = " " * indent
    for key, value in data.items():
        if type(key) is not str or len(key) > 100:
            raise _Unsupported
        _value(lines, (pad if first is None else first) + _scalar(key) + ":", value, indent, True)
        first = None


def _sequence(lines: list[str], items: list[Any], indent: int, first: str | None = None) -> None:
    if indent > 2 * _MAX_DEPTH:
        raise _Unsupported
    pad = " " * indent
    for item in items:
        _value(lines, (pad if first is None else first) + "-", item, indent, False)
        first = None


def dump(data: object) -> str:
    """Return `yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000,
    default_flow_style=False)`."""
    if type(data) is dict and data:
        lines: list[str] = []
        try:
            _mapping(lines, data, 0)
        except _Unsupported:
            pass
        else:
            lines.append("")
            return "\n".join(lines)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


#: Text that libyaml's emitter writes as PyYAML's does.  It escapes characters beyond
#: the Basic Multilingual Plane, which PyYAML writes as they are.
_BMP_PRINTABLE = re.compile("[\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")


def _libyaml_safe(data: object) -> bool:
    if isinstance(data, str):
        return _BMP_PRINTABLE.fullmatch(data) is not None
    if isinstance(data, dict):
        # PyYAML writes an empty or long key as a "complex key" ("? key"); libyaml does not.
        return all(
            isinstance(k, str) and 0 < len(k) < 128 and _libyaml_safe(k) and _libyaml_safe(v)
            for k, v in data.items()
        )
    if isinstance(data, list):
        return all(_libyaml_safe(v) for v in data)
    return data is None or isinstance(data, int | dt.date)


def safe_dump(data: object, width: int) -> str:
    """Return `yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=width,
    default_flow_style=False)`, through libyaml's emitter when it gives the same text."""
    dumper = yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") and _libyaml_safe(data) else yaml.SafeDumper
    return yaml.dump(
        data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=width, default_flow_style=False
    )
