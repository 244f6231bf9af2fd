"""YAML text of the importer's values, as `yaml.dump` with libyaml's safe dumper (`Dumper`) writes it, faster.

`dump_yaml` makes the events PyYAML's SafeRepresenter and serializer would make
for a value and hands them to libyaml's emitter directly: the same text, without
PyYAML's pure-Python representer (most of the cost of writing a paper file).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from . import frontmatter as fm
from .model import Position
from .text import is_printable

#: Width of the YAML written: long values fold at 100 columns.
WIDTH = 100


def dump_yaml(data: dict[str, object]) -> str:
    """Block-style YAML of a mapping, in the order given, that reads back exactly.

    The text is that of `yaml.dump(data, Dumper=Dumper, allow_unicode=True,
    sort_keys=False, width=WIDTH, default_flow_style=False)`; for the values the importer
    writes (text, numbers, dates, lists and mappings of them) the events that call would
    emit are made here and handed to libyaml's emitter directly, skipping PyYAML's
    pure-Python representer and serializer (most of the cost of writing a paper file).
    Any other value, or a list or mapping that appears twice (PyYAML would write an
    alias), takes `yaml.dump` itself.  tests/core/test_import_fastpaths.py holds them equal.
    """
    return dump_mapping(data)[0]


def dump_mapping(data: dict[str, object]) -> tuple[str, fm.Map | None]:
    """`dump_yaml(data)`, and the mapping `frontmatter.parse_mapping` reads back from that text.

    The mapping is built from `data`, not read from the text: each text's `plain` flag is
    the style libyaml's emitter gives it (see `_plain`), and every position is line 1,
    column 1.  None where the reader would not read `data` back node for node (a key that
    is not text, a value `yaml.dump` writes): parse the text then.
    tests/core/test_import_fastpaths.py holds the two equal.
    """
    events: list[yaml.Event] = [_STREAM_START, _DOCUMENT_START]
    try:
        node = _add_events(data, events, set())
    except _Unsupported:
        return _yaml_dump(data), None
    events += (_DOCUMENT_END, _STREAM_END)
    text = str(yaml.emit(events, Dumper=Dumper, width=WIDTH, allow_unicode=True))
    return text, node if isinstance(node, fm.Map) else None


def _yaml_dump(data: object) -> str:
    return yaml.dump(
        data,
        Dumper=Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=WIDTH,
        default_flow_style=False,
    )


class Dumper(yaml.CSafeDumper):
    """libyaml's safe dumper that also quotes text YAML 1.1 reads as something else.

    PyYAML's resolver leaves `y`, `N`, `1.2.3` or `2020-1-1` plain; the loader refuses them
    plain (`frontmatter.yaml11_surprise`: other YAML tools read a boolean, a number, a date),
    so an import of a paper titled `N` would be refused. Quoted, they read back as text.
    """


for _tag, _pattern in fm.YAML11_TYPES:
    Dumper.add_implicit_resolver(_tag, _pattern, None)


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
_IMPLICIT: dict[str | None, list[tuple[str, re.Pattern[str]]]] = Dumper.yaml_implicit_resolvers
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
#: Keys come back on every file: their events and nodes are made once.
_KEYS: dict[str, tuple[yaml.ScalarEvent, fm.Scalar]] = {}
#: The position of every node `dump_mapping` builds (positions are not computed).
_PLACE = Position(1, 1)


#: PyYAML's implicit resolvers by the first character they apply to, and their tags.
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    first: resolvers + _WILDCARD for first, resolvers in _IMPLICIT.items() if first is not None
}


def _plain_tag(value: str) -> str:
    """The tag a plain scalar `value` resolves to: PyYAML's `Resolver.resolve` (no path resolvers)."""
    for tag, regexp in _RESOLVERS.get(value[:1], _WILDCARD):
        if regexp.match(value):
            return tag
    return _STR


# What makes libyaml's emitter (yaml_emitter_analyze_scalar, with allow_unicode) refuse the plain
# style in block context: a character it does not print as it is (controls, tab, NEL, BOM, U+FFFE,
# U+FFFF, surrogates, anything past U+FFFF) or a line break; ': ' or ':' last; ' #'; a space
# first or last; an indicator first; '---' or '...' first.  (Tab and line breaks, the other
# blanks of its rules, are refused as characters already.)
_UNPRINTED = re.compile(r"[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
_BAD_START = re.compile(r"[-?](?: |\Z)|[ #,\[\]{}&*!|>'\"%@`]|---|\.\.\.")


def _plain(value: str, implicit: bool) -> bool:
    """Whether libyaml's emitter writes `value` plain (in block context), so the reader sees it plain.

    `implicit`: whether the event allows plain (the text resolves to the value's own type).
    """
    return (
        implicit
        and value != ""
        and value[-1] not in ": "
        # One character is found much faster than two: look for ': ' and ' #' where they may be.
        and (":" not in value or ": " not in value)
        and ("#" not in value or " #" not in value)
        and _BAD_START.match(value) is None
        # For ASCII text, Python's printable characters are libyaml's: ' ' to '~'.
        and (is_printable(value) if value.isascii() else _UNPRINTED.search(value) is None)
    )


def _str_event(value: str) -> tuple[yaml.ScalarEvent, fm.Scalar]:
    implicit = _plain_tag(value) == _STR
    event = yaml.ScalarEvent(None, _STR, (implicit, True), value)
    return event, fm.Scalar(value, _plain(value, implicit), _PLACE)


def _add_events(value: object, out: list[yaml.Event], seen: set[int]) -> fm.Node | None:
    """Append the events PyYAML's SafeRepresenter and serializer would emit for `value`.

    Returns the node our reader reads back from them, or None where that is not known.
    """
    kind = type(value)
    if kind is str:
        assert isinstance(value, str)
        implicit = _plain_tag(value) == _STR
        out.append(yaml.ScalarEvent(None, _STR, (implicit, True), value))
        return fm.Scalar(value, _plain(value, implicit), _PLACE)
    if kind is dict:
        assert isinstance(value, dict)
        if id(value) in seen:  # PyYAML would write an anchor and an alias
            raise _Unsupported
        seen.add(id(value))
        out.append(_MAP_START)
        entries: list[tuple[fm.Scalar, fm.Node]] = []
        known = True
        for key, item in value.items():
            if type(key) is str:
                cached = _KEYS.get(key)
                if cached is None:
                    cached = _str_event(key)
                    if len(_KEYS) < 256:
                        _KEYS[key] = cached
                out.append(cached[0])
                node = _add_events(item, out, seen)
                if node is None:
                    known = False
                else:
                    entries.append((cached[1], node))
            else:
                _add_events(key, out, seen)
                _add_events(item, out, seen)
                known = False  # its text may be another key's (1 and '1'): a duplicate to the reader
        out.append(_MAP_END)
        return fm.Map(tuple(entries), _PLACE) if known else None
    if kind is list:
        assert isinstance(value, list)
        if id(value) in seen:
            raise _Unsupported
        seen.add(id(value))
        out.append(_SEQ_START)
        items: list[fm.Node] = []
        for item in value:
            node = _add_events(item, out, seen)
            if node is not None:
                items.append(node)
        out.append(_SEQ_END)
        return fm.Seq(tuple(items), _PLACE) if len(items) == len(value) else None
    if kind in _SCALARS:
        tag, text = _SCALARS[kind](value)
        implicit = _plain_tag(text) == tag
        out.append(yaml.ScalarEvent(None, tag, (implicit, tag == _STR), text))
        # Written other than plain, the value would carry a tag, which the reader refuses.
        return fm.Scalar(text, True, _PLACE) if _plain(text, implicit) else None
    raise _Unsupported
