"""Write JSON exactly as `json.dumps(data, ensure_ascii=False, indent=1)` does, faster.

With an indent, the standard library leaves its C encoder for a generator-based
one written in Python, which takes about a second for papers.json at 10,000
papers.  `dumps` writes the same text directly, with the C string escaper,
and hands anything it does not know (keys that are not strings, types other
than JSON's) to `json.dumps`, so the output is the same in every case;
tests/perf/test_jsondump.py compares the two on generated data.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

_INDENT = 1
#: A line break and the indentation of each level.
_PADS = tuple("\n" + " " * (_INDENT * level) for level in range(16))


class _Unsupported(Exception):
    """A value `dumps` does not write itself; `json.dumps` will."""


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == float("-inf"):
        return "-Infinity"
    return float.__repr__(value)


def _write(value: Any, parts: list[str], level: int) -> None:
    kind = type(value)
    if kind is str:
        parts.append(encode_basestring(value))
    elif kind is dict:
        if not value:
            parts.append("{}")
            return
        inner = _PADS[level + 1] if level + 1 < len(_PADS) else "\n" + " " * (_INDENT * (level + 1))
        first = True
        parts.append("{")
        for key, item in value.items():
            if type(key) is not str:
                raise _Unsupported
            parts.append((inner if first else "," + inner) + encode_basestring(key) + ": ")
            first = False
            _write(item, parts, level + 1)
        parts.append(inner[:-_INDENT] + "}")
    elif kind is list or kind is tuple:
        if not value:
            parts.append("[]")
            return
        inner = _PADS[level + 1] if level + 1 < len(_PADS) else "\n" + " " * (_INDENT * (level + 1))
        parts.append("[" + inner)
        _write(value[0], parts, level + 1)
        for item in value[1:]:
            parts.append("," + inner)
            _write(item, parts, level + 1)
        parts.append(inner[:-_INDENT] + "]")
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif kind is int:
        parts.append(int.__repr__(value))
    elif kind is float:
        parts.append(_float(value))
    else:
        # Subclasses of str, int, list...: json.dumps knows how it writes them.
        raise _Unsupported


def dumps(data: Any) -> str:
    """Return `json.dumps(data, ensure_ascii=False, indent=1)`."""
    parts: list[str] = []
    try:
        _write(data, parts, 0)
    except _Unsupported:
        return json.dumps(data, ensure_ascii=False, indent=_INDENT)
    return "".join(parts)
