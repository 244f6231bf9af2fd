"""Add the fields found to a paper file, leaving every byte of the rest as the curator wrote it.

New keys go just before the closing `---`; a new entry of `enriched:` (where the
values came from) is appended to that list, or starts it.  The new file is read
back with the loader before it replaces the old one: a file that would not load
is never written.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import frontmatter as fm
from ..load import load_paper
from ..model import Paper, Problem
from .found import Found
from .match import FIELDS, Value

WIDTH = 100


@dataclass(frozen=True)
class Change:
    field: str
    value: Value
    found: Found


class _Dumper(yaml.CSafeDumper):
    """PyYAML's dumper, without anchors: the loader refuses them (one date serves every entry)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _dump(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=WIDTH)


def provenance(changes: list[Change], date: dt.date) -> list[dict[str, object]]:
    """One `enriched:` entry per source: which record, when, and the fields it gave."""
    entries: dict[tuple[str, str], list[str]] = {}
    for change in changes:
        entries.setdefault((change.found.source, change.found.source_id), []).append(change.field)
    return [
        {"source": source, "id": ident, "date": date, "fields": fields}
        for (source, ident), fields in sorted(entries.items())
    ]


def _enriched_block(lines: list[str], meta: fm.Map, close: int) -> tuple[int, int] | None:
    """Where an existing `enriched:` list is: the index of its first line (with the comments just
    above it) and of the line after its last item."""

    def is_note(line: str) -> bool:
        return not line.strip() or line.lstrip().startswith("#")

    keys = [(k.text, k.pos.line - 1) for k, _ in meta.entries]
    for i, (name, start) in enumerate(keys):
        if name != "enriched":
            continue
        end = keys[i + 1][1] if i + 1 < len(keys) else close
        # Comments and blank lines just before the next key belong to it.
        while end > start + 1 and is_note(lines[end - 1]):
            end -= 1
        while start > 1 and lines[start - 1].lstrip().startswith("#"):
            start -= 1
        return start, end
    return None


def updated_text(text: str, changes: list[Change], date: dt.date) -> str:
    """`text` with the changes and their provenance added."""
    newline = "\r\n" if text.split("\n", 1)[0].endswith("\r") else "\n"
    doc = fm.parse(text)
    lines = text.split("\n")
    close = doc.body_line - 2  # the closing delimiter's index
    values = {c.field: list(c.value) if isinstance(c.value, tuple) else c.value for c in changes}
    fields = _dump({name: values[name] for name in FIELDS if name in values}).splitlines()
    entries = provenance(changes, date)
    block = _enriched_block(lines, doc.meta, close)
    if block is None:
        inserts = [(close, fields + _dump({"enriched": entries}).splitlines())]
    else:
        # New fields go before the provenance, new entries at the end of it.
        inserts = [
            (block[0] if block[1] == close else close, fields),
            (block[1], _dump(entries).splitlines()),
        ]
    ending = "\r" if newline == "\r\n" else ""
    for at, new in sorted(inserts, key=lambda x: -x[0]):  # from the end, so indexes stay valid
        lines[at:at] = [line + ending for line in new]
    return "\n".join(lines)


def _agrees(paper: Paper, changes: list[Change]) -> bool:
    """The file as read back holds exactly the values written."""
    for change in changes:
        if change.field in ("doi", "arxiv", "url", "pdf"):
            got: object = paper.link(change.field)
        else:
            got = getattr(paper, change.field)
        if got != change.value:
            return False
    return True


def write_paper(
    path: Path, display: str, topic_ids: tuple[str, ...], text: str, changes: list[Change], date: dt.date
) -> list[Problem]:
    """Write the changes into the file at `path`; return the problems that stopped it (none if written)."""
    new = updated_text(text, changes, date)
    aside = path.with_name(f".{path.name}.enrich")
    aside.write_bytes(new.encode("utf-8"))
    try:
        paper, problems = load_paper(aside, display, topic_ids, file_name=path.name)
        errors = [p for p in problems if p.is_error]
        if paper is None or errors:
            return errors or [Problem(display, 1, 1, "enrich: the file would not load; nothing was written")]
        if not _agrees(paper, changes):
            return [
                Problem(display, 1, 1, "enrich: the file would not read back as written; nothing was written")
            ]
        os.replace(aside, path)
        return []
    finally:
        aside.unlink(missing_ok=True)
