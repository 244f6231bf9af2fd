"""YAML text of the importer's values, as `yaml.dump` with libyaml's CSafeDumper writes it, faster.

`dump_yaml` makes the events PyYAML's SafeRepresenter and serializer would make
for a value and hands them to libyaml's emitter directly: the same text, without
PyYAML's pure-Python representer (most of the cost of writing a paper file).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

#: Width of the YAML written: long values fold at 100 columns.
WIDTH = 100


def dump_yaml(data: dict[str, object]) -> str:
    """Block-style YAML of a mapping, in the order given, that reads back exactly.

    The text is that of `yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True,
    sort_keys=False, width=WIDTH, default_flow_style=False)`; for the values the importer
    writes (text, numbers, dates, lists and mappings of them) the events that call would
    emit are made here and handed to libyaml's emitter directly, skipping PyYAML's
    pure-Python representer and serializer (most of the cost of writing a paper file).
    Any other value, or a list or mapping that appears twice (PyYAML would write an
    alias), takes `yaml.dump` itself.  tests/core/test_import_fastpaths.py holds them equal.
    """
    events: list[yaml.Event] = [_STREAM_START, _DOCUMENT_START]
    try:
        _add_events(data, events, set())
    except _Unsupported:
        return _yaml_dump(data)
    events += (_DOCUMENT_END, _STREAM_END)
    return str(yaml.emit(events, Dumper=yaml.CSafeDumper, width=WIDTH, allow_unicode=True))


def _yaml_dump(data: object) -> str:
    return yaml.dump(
        data,
        Dumper=yaml.CSafeDumper,
        allow_unicode=True,
        sort_keys=False,
        width=WIDTH,
        default_flow_style=False,
    )


class _Unsupported(Exception):
    """A value `_add_events` leaves to `yaml.dump`."""


_STR = "tag:yaml.org,2002:str"
#: SafeRepresenter's scalars other than text: type -> (tag, text).
_SCALARS: dict[type, Any] = {
    dt.date: lambda v: ("tag:yaml.org,2002:timestamp", v.isoformat()),
    int: lambda v: ("tag:yaml.org,2002:int", str(v)),
    bool: lambda v: ("tag:yaml.org,2002:bool", "true" if v else "false"),
    type(None): lambda v: ("tag:yaml.org,2002:null", "null"),
}
_IMPLICIT: dict[str | None, list[tuple[str, re.Pattern[str]]]] = yaml.CSafeDumper.yaml_implicit_resolvers
_WILDCARD = _IMPLICIT.get(None, [])
# Events are read, never changed, by the emitter: the fixed ones and those of keys are shared.
_STREAM_START = yaml.StreamStartEvent()
_STREAM_END = yaml.StreamEndEvent()
_DOCUMENT_START = yaml.DocumentStartEvent(explicit=False)
_DOCUMENT_END = yaml.DocumentEndEvent(explicit=False)
_SEQ_START = yaml.SequenceStartEvent(None, "tag:yaml.org,2002:seq", True, flow_style=False)
_SEQ_END = yaml.SequenceEndEvent()
_MAP_START = yaml.MappingStartEvent(None, "tag:yaml.org,2002:map", True, flow_style=False)
_MAP_END = yaml.MappingEndEvent()
_KEYS: dict[str, yaml.ScalarEvent] = {}


def _plain_tag(value: str) -> str:
    """The tag a plain scalar `value` resolves to: PyYAML's `Resolver.resolve` (no path resolvers)."""
    for tag, regexp in _IMPLICIT.get(value[0] if value else "", []) + _WILDCARD:
        if regexp.match(value):
            return tag
    return _STR


def _str_event(value: str) -> yaml.ScalarEvent:
    return yaml.ScalarEvent(None, _STR, (_plain_tag(value) == _STR, True), value)


def _add_events(value: object, out: list[yaml.Event], seen: set[int]) -> None:
    """Append the events PyYAML's SafeRepresenter and serializer would emit for `value`."""
    kind = type(value)
    if kind is str:
        assert isinstance(value, str)
        out.append(_str_event(value))
    elif kind is dict:
        assert isinstance(value, dict)
        if id(value) in seen:  # PyYAML would write an anchor and an alias
            raise _Unsupported
        seen.add(id(value))
        out.append(_MAP_START)
        for key, item in value.items():
            if type(key) is str:
                event = _KEYS.get(key)
                if event is None:
                    event = _str_event(key)
                    if len(_KEYS) < 256:
                        _KEYS[key] = event
                out.append(event)
            else:
                _add_events(key, out, seen)
            _add_events(item, out, seen)
        out.append(_MAP_END)
    elif kind is list:
        assert isinstance(value, list)
        if id(value) in seen:
            raise _Unsupported
        seen.add(id(value))
        out.append(_SEQ_START)
        for item in value:
            _add_events(item, out, seen)
        out.append(_SEQ_END)
    elif kind in _SCALARS:
        tag, text = _SCALARS[kind](value)
        out.append(yaml.ScalarEvent(None, tag, (_plain_tag(text) == tag, tag == _STR), text))
    else:
        raise _Unsupported
