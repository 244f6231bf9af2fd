"""Read YAML front matter strictly, keeping the file position of every value.

PyYAML's loaders resolve types by YAML 1.1 rules (``no`` becomes false,
``010`` becomes 8), keep the last of two duplicate keys and follow aliases.
We read the event stream instead (libyaml's parser when available, for speed),
build plain values ourselves and report what the curator probably did not mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .model import Position

try:
    _Parser: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.SafeLoader


class FrontMatterError(Exception):
    """Front matter that cannot be read at all."""

    def __init__(self, message: str, pos: Position) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


@dataclass(frozen=True)
class Scalar:
    text: str
    plain: bool
    pos: Position


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]
    pos: Position


@dataclass(frozen=True)
class Map:
    entries: tuple[tuple[Scalar, Node], ...]
    pos: Position

    def get(self, key: str) -> Node | None:
        for k, v in self.entries:
            if k.text == key:
                return v
        return None


Node = Scalar | Seq | Map

DELIMITER = "---"


@dataclass(frozen=True)
class Document:
    """A content file split in its front matter and body."""

    meta: Map
    body: str
    body_line: int
    duplicates: tuple[tuple[str, Position, Position], ...]


def split(text: str) -> tuple[str, str, int]:
    """Split `text` into (front matter, body, 1-based line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip("\r ") != DELIMITER:
        raise FrontMatterError(
            "front matter: the file must start with a '---' line, found "
            + (repr(lines[0][:40]) if lines and lines[0] else "an empty first line"),
            Position(1, 1),
        )
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r ") == DELIMITER:
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    raise FrontMatterError(
        "front matter: the opening '---' is never closed; add a '---' line after the metadata",
        Position(1, 1),
    )


def parse(text: str) -> Document:
    """Parse a whole content file (front matter and body)."""
    fm, body, body_line = split(text)
    meta, duplicates = parse_mapping(fm, line_offset=1)
    return Document(meta, body, body_line, tuple(duplicates))


def _pos(mark: Any, line_offset: int) -> Position:
    if mark is None:
        return Position(line_offset + 1, 1)
    return Position(mark.line + 1 + line_offset, mark.column + 1)


def parse_mapping(text: str, line_offset: int = 0) -> tuple[Map, list[tuple[str, Position, Position]]]:
    """Parse YAML `text` whose top level must be a mapping.

    `line_offset` is the number of file lines before `text` (1 for front matter,
    for its opening delimiter).  Returns the mapping and the duplicate keys found
    as (key, first position, second position).
    """
    duplicates: list[tuple[str, Position, Position]] = []
    loader = _Parser(text)
    try:
        events = _events(loader, line_offset)
        node = _build(events, line_offset, duplicates)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        where = exc.context_mark
        if exc.context and where is not None and mark is not None and where.line != mark.line:
            # An unclosed bracket or quote is found where the file ends; say where it opened.
            start = _pos(where, line_offset)
            context = f" ({exc.context} that starts on line {start.line}, column {start.col})"
        raise FrontMatterError(
            f"front matter: YAML syntax error: {problem}{context}", _pos(mark, line_offset)
        ) from None
    except yaml.reader.ReaderError as exc:
        # Raised for control characters; it knows the offset, not the line.
        before = text[: exc.position]
        pos = Position(before.count("\n") + 1 + line_offset, exc.position - (before.rfind("\n") + 1) + 1)
        raise FrontMatterError(
            f"front matter: character {exc.character!r} is not allowed in YAML (control character)", pos
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every libyaml error is one of the above
        raise FrontMatterError(f"front matter: YAML error: {exc}", Position(line_offset + 1, 1)) from None
    finally:
        loader.dispose()
    if node is None:
        return Map((), Position(line_offset + 1, 1)), duplicates
    if not isinstance(node, Map):
        kind = "a list" if isinstance(node, Seq) else "a single value"
        raise FrontMatterError(f"front matter: expected 'key: value' lines, found {kind}", node.pos)
    return node, duplicates


_ScalarEvent = yaml.ScalarEvent
_SequenceStartEvent = yaml.SequenceStartEvent
_MappingStartEvent = yaml.MappingStartEvent
_SequenceEndEvent = yaml.SequenceEndEvent
_MappingEndEvent = yaml.MappingEndEvent
#: Events that carry an anchor and a tag (AliasEvent is refused whatever it carries).
_NODE_EVENTS = (_ScalarEvent, _SequenceStartEvent, _MappingStartEvent)
#: Positions are immutable and few (front matter is short): one object per (line, column).
_POSITIONS: dict[tuple[int, int], Position] = {}


def _position(line: int, col: int) -> Position:
    key = (line, col)
    pos = _POSITIONS.get(key)
    if pos is None:
        pos = Position(line, col)
        if len(_POSITIONS) < 65536:
            _POSITIONS[key] = pos
    return pos


class _EventStream:
    """The parser's events, each refused as it is read if it holds an anchor, an alias or a tag."""

    __slots__ = ("get_event", "line_offset")

    def __init__(self, loader: yaml.SafeLoader, line_offset: int) -> None:
        self.get_event: Any = loader.get_event
        self.line_offset = line_offset

    def next(self) -> Any:
        event = self.get_event()
        kind = event.__class__
        if kind is _ScalarEvent or kind is _MappingStartEvent or kind is _SequenceStartEvent:
            if event.anchor:
                self._refuse_anchor(event)
            if event.tag is not None:
                raise FrontMatterError(
                    f"front matter: YAML tags such as {event.tag!r} are not allowed; write a plain value",
                    _pos(event.start_mark, self.line_offset),
                )
        elif kind is yaml.AliasEvent:
            self._refuse_anchor(event)
        return event

    def _refuse_anchor(self, event: Any) -> None:
        raise FrontMatterError(
            "front matter: YAML anchors and aliases (&name, *name) are not allowed; write the value out",
            _pos(event.start_mark, self.line_offset),
        )


def _events(loader: yaml.SafeLoader, line_offset: int) -> _EventStream:
    stream = _EventStream(loader, line_offset)
    event = stream.next()
    assert isinstance(event, yaml.StreamStartEvent)
    return stream


def _build(
    stream: _EventStream, line_offset: int, duplicates: list[tuple[str, Position, Position]]
) -> Node | None:
    event = stream.next()
    if isinstance(event, yaml.StreamEndEvent):
        return None
    assert isinstance(event, yaml.DocumentStartEvent)
    root = _node(stream, stream.next(), line_offset, duplicates)
    end = stream.next()
    if not isinstance(end, yaml.DocumentEndEvent):  # pragma: no cover - parser guarantees
        raise FrontMatterError("front matter: unexpected content", _pos(end.start_mark, line_offset))
    tail = stream.next()
    if not isinstance(tail, yaml.StreamEndEvent):
        raise FrontMatterError(
            "front matter: more than one YAML document ('---' inside the metadata)",
            _pos(tail.start_mark, line_offset),
        )
    return root


#: Front matter is a few levels deep; a limit keeps hostile nesting from
#: exhausting the recursion of `_node`.
MAX_DEPTH = 16


def _node(
    stream: _EventStream,
    event: Any,
    line_offset: int,
    duplicates: list[tuple[str, Position, Position]],
    depth: int = 0,
) -> Node:
    """The node that starts with `event` (the hot loop of reading a file: kept lean)."""
    mark = event.start_mark
    pos = _pos(mark, line_offset) if mark is None else _position(mark.line + 1 + line_offset, mark.column + 1)
    kind = event.__class__
    if kind is _ScalarEvent:
        return Scalar(event.value, not event.style, pos)
    if depth > MAX_DEPTH:
        raise FrontMatterError(f"front matter: nested more than {MAX_DEPTH} levels deep", pos)
    next_event = stream.next
    if kind is _SequenceStartEvent:
        items: list[Node] = []
        while True:
            nxt = next_event()
            if nxt.__class__ is _SequenceEndEvent:
                return Seq(tuple(items), pos)
            items.append(_node(stream, nxt, line_offset, duplicates, depth + 1))
    if kind is _MappingStartEvent:
        entries: list[tuple[Scalar, Node]] = []
        seen: dict[str, Position] = {}
        while True:
            nxt = next_event()
            if nxt.__class__ is _MappingEndEvent:
                return Map(tuple(entries), pos)
            key = _node(stream, nxt, line_offset, duplicates, depth + 1)
            if not isinstance(key, Scalar):
                raise FrontMatterError("front matter: a key must be a plain name", key.pos)
            value = _node(stream, next_event(), line_offset, duplicates, depth + 1)
            if key.text in seen:
                duplicates.append((key.text, seen[key.text], key.pos))
                continue
            seen[key.text] = key.pos
            entries.append((key, value))
    raise FrontMatterError(  # pragma: no cover - parser guarantees
        f"front matter: unexpected {type(event).__name__}", pos
    )


# YAML 1.1 implicit types that a plain scalar silently turns into.
_YAML11_BOOL = re.compile(
    r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$"
)
_YAML11_NULL = re.compile(r"^(~|null|Null|NULL|)$")
_YAML11_INT = re.compile(
    r"^[-+]?(0b[0-1_]+|0[0-7_]+|(0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(:[0-5]?[0-9])+)$"
)
_YAML11_TIMESTAMP = re.compile(
    r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?"
    r"([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?$"
)
_YAML11_FLOAT = re.compile(
    r"^([-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$"
)


#: The YAML 1.1 types of plain text that `yaml11_surprise` names, as (tag, pattern): writers
#: quote such text (generator/yamlemit.py) so that it reads back as text.
YAML11_TYPES = (
    ("tag:yaml.org,2002:bool", _YAML11_BOOL),
    ("tag:yaml.org,2002:null", _YAML11_NULL),
    ("tag:yaml.org,2002:int", _YAML11_INT),
    ("tag:yaml.org,2002:float", _YAML11_FLOAT),
    ("tag:yaml.org,2002:timestamp", _YAML11_TIMESTAMP),
)


def yaml11_surprise(scalar: Scalar) -> str | None:
    """Name the type YAML 1.1 tools would give a plain scalar, if not a string."""
    if not scalar.plain:
        return None
    text = scalar.text
    if _YAML11_BOOL.match(text):
        return "a boolean"
    if _YAML11_NULL.match(text):
        return "null"
    if _YAML11_INT.match(text):
        return "a number"
    if _YAML11_FLOAT.match(text):
        return "a number"
    if _YAML11_TIMESTAMP.match(text):
        return "a date"
    return None
