"""The text of a paper file: a new one rendered, an existing one rewritten in place, and the ledger.

Updating a file rewrites only the lines of the fields that change; every other
line, and every comment (see `rewrite`), stays.

Never half-way.  The ledger (content/imported.yml) lists every paper the
importer added, so that a paper a curator deleted is not added back.  The
invariant: *a ledger line exists only for a paper whose file was completely
written before that ledger was*.  Each paper file is written to a temp file
and renamed over (a reader sees the old file or the new one, never a part),
all paper files first, the ledger last, itself by temp and rename.  So a kill
at any instant leaves: paper files of this run either complete or absent,
and the old ledger.  Re-running finds the written files by title (unchanged;
their ledger lines are added then) and adds the unwritten ones (no ledger
line says they were deleted).  A ledger line whose file is missing can then
only mean that a curator deleted it.  (Ledgers written before this order was
fixed may hold lines for papers that were never written; delete such a line
to get the paper.)  Temp files are dot-files, which `load` ignores; the next
import removes those a kill left behind.  A first import (papers/ missing or
empty) writes every file into a dot-folder beside papers/ and renames that
folder into place: the same invariant, with one rename instead of one per file.

No fsync.  The promise is against an import that is killed (kill -9, Ctrl-C, a
crash): what a killed process wrote and renamed is the kernel's, and is there
for the next run, so the invariant above holds without one.  An fsync only adds
safety against a power cut or a kernel crash, at the price of one disk flush per
file: 10,000 per first import of a large library, seconds to minutes on a
shared disk, for files that git (content/ is committed) and a re-run recover.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from . import frontmatter as fm
from .write import put_bytes
from .yamlemit import WIDTH as WIDTH  # re-exported: the width of the YAML written
from .yamlemit import dump_yaml

#: Fields the importer writes, in file order (after `title` comes `added`, on new files).
FIELDS: tuple[str, ...] = (
    "title",
    "abstract",
    "authors",
    "year",
    "venue",
    "type",
    "cite_key",
    "doi",
    "arxiv",
    "url",
    "pdf",
    "tags",
    "code",
    "data",
    "project",
    "bib_fields",
)

#: Every paper the importer has added, by title key, in the order it added them, so that a
#: paper a curator deleted is not added by the next import.
LEDGER_FILE = "imported.yml"
LEDGER = f"content/{LEDGER_FILE}"
_LEDGER_HEADER = (
    "# Written by `python -m generator import`: every paper it has added (title key: slug),\n"
    "# so that a paper a curator deleted is not imported again. Delete a line to let the\n"
    "# importer add that paper back.\n"
)


# --- The ledger ------------------------------------------------------------------------------------


def read_ledger(text: str) -> dict[str, str]:
    """Parse the ledger: title key hash -> slug it was imported as."""
    mapping, _duplicates = fm.parse_mapping(text)
    return {k.text: v.text for k, v in mapping.entries if isinstance(v, fm.Scalar)}


def render_ledger(ledger: dict[str, str]) -> str:
    """The ledger in the order the papers were added (an import adds them in its file's order):
    the curator's order, which the home page's "Recently added" follows among papers of one day."""
    lines = "".join(f"{key}: {slug}\n" for key, slug in ledger.items())
    return _LEDGER_HEADER + lines


# --- Values -----------------------------------------------------------------------------------------


def canonical(value: object) -> Any:
    """A value as JSON-able text, the same whether read from a file or taken from a source."""
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    return str(value)


def dump_field(name: str, value: object) -> str:
    """Serialize one front-matter field as YAML that reads back exactly."""
    return dump_yaml({name: value})


def plain(node: fm.Node) -> object:
    if isinstance(node, fm.Scalar):
        return node.text
    if isinstance(node, fm.Seq):
        return [plain(i) for i in node.items]
    return {k.text: plain(v) for k, v in node.entries}


def new_fields(values: dict[str, object], added: dt.date, record: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {"title": values["title"], "added": added}
    out.update((f, values[f]) for f in FIELDS[1:] if f in values)
    out["imported"] = record
    return out


# --- Rewriting a file in place, comments kept ------------------------------------------------------

_COMMENT_PREFIX = re.compile(r"[\s:\-\[\]{},?]*")


def _scalar_spans(fm_text: str) -> dict[str, tuple[int, list[tuple[int, int, int, int]]]]:
    """Top-level key -> (its line, spans (line, col, end line, end col) of every scalar of key and value).

    Lines are 0-based in `fm_text`.  Comments are what lies outside these spans.
    """
    out: dict[str, tuple[int, list[tuple[int, int, int, int]]]] = {}
    lines = fm_text.split("\n")
    depth = 0
    expect_key = True
    current: list[tuple[int, int, int, int]] = []
    for event in yaml.parse(fm_text, Loader=yaml.CSafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
            if depth == 1:
                expect_key = True
            continue
        if not isinstance(event, yaml.ScalarEvent):
            continue
        s, e = event.start_mark, event.end_mark
        assert s is not None and e is not None  # libyaml marks every event
        end_line, end_col = e.line, e.column
        if end_col == 0 and end_line > s.line:  # a block scalar ends at the start of the next line
            end_line -= 1
            end_col = len(lines[end_line]) if end_line < len(lines) else 0
        span = (s.line, s.column, end_line, end_col)
        if depth == 1 and expect_key:
            current = [span]
            out[event.value] = (s.line, current)
            expect_key = False
        else:
            current.append(span)
            if depth == 1:
                expect_key = True
    return out


def _comments(lines: list[str], first: int, last: int, spans: list[tuple[int, int, int, int]]) -> list[str]:
    """The comment of each line first..last ('' if none), outside the scalars' spans."""
    out = []
    for number in range(first, last + 1):
        line = lines[number]
        if any(sl < number < el for sl, _, el, _ in spans):
            out.append("")
            continue
        start = max((ec for _, _, el, ec in spans if el == number), default=0)
        stop = min((sc for sl, sc, el, _ in spans if sl == number and el > number), default=len(line))
        rest = line[start:stop]
        at = rest.find("#")
        prefix = rest[:at] if at >= 0 else ""
        if (
            at >= 0
            and _COMMENT_PREFIX.fullmatch(prefix)
            and ((at == 0 and start == 0) or prefix[-1:].isspace())
        ):
            out.append(rest[at:].rstrip())
        else:
            out.append("")
    return out


class CannotRewrite(Exception):
    pass


def rewrite(text: str, doc: fm.Document, changes: dict[str, object | None]) -> str:
    """Set (or remove, for None) top-level fields, keeping every other line as it is.

    Comments are kept: a comment on a replaced field's first line stays on it
    (or goes on a line of its own above the field when the new value takes
    several lines); comments on the value's other lines, such as one between
    two items of a list, follow the new value on lines of their own; comment
    lines after a value are not part of it and stay where they are.  New
    fields go before `imported:`, or last.
    """
    lines = text.split("\n")
    end = doc.body_line - 2  # index of the closing '---' line
    try:
        spans = _scalar_spans("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:  # pragma: no cover - the file was parsed by our reader already
        raise CannotRewrite(str(exc)) from None
    replaced: dict[int, list[str]] = {}
    drop: set[int] = set()
    for name, value in changes.items():
        if name not in spans:
            continue
        key_line, field_spans = spans[name]
        if field_spans[0][1] != 0:
            raise CannotRewrite(f"{name}: not a top-level key at the start of its line")
        first = key_line + 1
        last = max(el for _, _, el, _ in field_spans) + 1
        shifted = [(sl + 1, sc, el + 1, ec) for sl, sc, el, ec in field_spans]
        notes = _comments(lines, first, last, shifted)
        new = dump_field(name, value).rstrip("\n").split("\n") if value is not None else []
        head, tail = notes[0], [n for n in notes[1:] if n]
        if head and len(new) == 1:
            new[0] += " " + head
        elif head:
            new.insert(0, head)
        drop.update(range(first, last + 1))
        replaced[first] = new + tail
    missing = [n for n, v in changes.items() if n not in spans and v is not None]
    if missing:
        anchor = spans["imported"][0] + 1 if "imported" in spans else end
        insert = [ln for n in missing for ln in dump_field(n, changes[n]).rstrip("\n").split("\n")]
        replaced[anchor] = insert + replaced.get(anchor, [] if anchor in drop else [lines[anchor]])
        drop.add(anchor)
    result: list[str] = []
    for i, line in enumerate(lines):
        result.extend(replaced.get(i, ()))
        if i not in drop:
            result.append(line)
    return "\n".join(result)


def verify(text: str, changes: dict[str, object | None]) -> fm.Document:
    """Make sure the rewritten file reads back with the intended values (and nothing else lost).

    Returns the file's parse.
    """
    try:
        doc = fm.parse(text)
    except fm.FrontMatterError as exc:
        raise CannotRewrite(exc.message) from None
    for name, value in changes.items():
        node = doc.meta.get(name)
        if (node is None) != (value is None) or (
            node is not None and canonical(plain(node)) != canonical(value)
        ):
            raise CannotRewrite(name)
    return doc


# --- Writing ---------------------------------------------------------------------------------------

_TEMP = re.compile(r"^\..+\.md\.\d+\.import-tmp$")


def write_atomic(path: Path, data: str) -> bool:
    """Replace `path` by `data` through a temp file and a rename; False when it already holds that."""
    encoded = data.encode("utf-8")
    try:
        if path.stat().st_size == len(encoded) and path.read_bytes() == encoded:
            return False
    except FileNotFoundError:
        pass
    temp = path.with_name(f".{path.name}.{os.getpid()}.import-tmp")
    put_bytes(temp, encoded)
    os.replace(temp, path)
    return True


def write_plan(papers_dir: Path, writes: dict[Path, str], ledger_path: Path, ledger_text: str) -> int:
    """Write the paper files, then the ledger (the order its invariant needs); return files written.

    Into an empty or missing papers folder (a first import), the files are written into a
    folder beside it that is then renamed into place: one rename instead of one per file.
    """
    for stale in papers_dir.parent.glob(f".{papers_dir.name}.*.import-tmp"):
        shutil.rmtree(stale, ignore_errors=True)
    papers_dir.mkdir(parents=True, exist_ok=True)
    leftovers = [p for p in papers_dir.iterdir() if _TEMP.match(p.name)]
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    names = sorted(p.name for p in writes)
    fresh = not papers_dir.is_symlink() and not any(papers_dir.iterdir())
    if names and fresh and all(p.parent == papers_dir for p in writes):
        staging = papers_dir.with_name(f".{papers_dir.name}.{os.getpid()}.import-tmp")
        staging.mkdir()
        for name in names:
            put_bytes(staging / name, writes[papers_dir / name].encode("utf-8"))
        os.replace(staging, papers_dir)  # rename(2) replaces an empty folder
        written = len(names)
    else:
        written = sum(write_atomic(path, writes[path]) for path in sorted(writes, key=str))
    ledger_path.parent.mkdir(parents=True, exist_ok=True)
    return written + write_atomic(ledger_path, ledger_text)
