"""Merge one entry into the paper file it matches, field by field, never losing a curator's edit.

Per-field ownership.  `imported:` records, per source format (`dump`, `bib`,
`csl`, `ris`), a digest of each field the importer wrote (`dump: title=1a2b3c4d5e
abstract=...`).  For each field an entry provides:

- absent from the file, never written by the importer: *filled* in;
- absent, but written once by the importer: the curator deleted it; *kept* so;
- present, digest matches, written by this format: importer-owned, *updated*
  to the entry's value (and removed when the entry no longer has it);
- present, digest matches, written by another format: left to that format
  (a .bib does not overwrite the dump's abstract; re-importing either changes
  nothing);
- present without a digest, or changed since: the curator's, *kept*.

The single `digest:` of files written before per-field digests is read as
"every field the old importer owned (title, abstract, doi, code, data,
project) is owned by the dump" when it still matches, and as "all of them are
the curator's" when it does not.  A file is rewritten (and its record
upgraded) only when one of its fields changes, so re-importing the same dump
changes no file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from . import frontmatter as fm
from .paperfile import FIELDS, CannotRewrite, canonical, plain, rewrite, verify
from .sources.entry import SourceEntry
from .text import title_key

#: The fields the importer owned before per-field digests (covered by the old single `digest`).
MANAGED = ("title", "abstract", "doi", "code", "data", "project")
_LISTS = ("authors", "tags", "code", "data", "project")
#: Keys of `imported:` that are not source formats.
_RECORD_KEYS = ("from", "key")


#: json.dumps(text, ensure_ascii=False) of one string (json's C encoder).
_json_str = json.encoder.encode_basestring


def field_digest(value: object) -> str:
    if type(value) is str:  # the very text json.dumps makes below, without its set-up (most fields)
        canon = _json_str(value)
    elif isinstance(value, (list, tuple)) and all(type(v) is str for v in value):
        canon = "[" + ", ".join(map(_json_str, value)) + "]"
    else:
        canon = json.dumps(canonical(value), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canon.encode()).hexdigest()[:10]


def digest(values: dict[str, object]) -> str:
    """The single digest of files written before per-field digests (over MANAGED)."""
    canon = json.dumps({k: values[k] for k in MANAGED if k in values}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canon.encode()).hexdigest()[:16]


def render_owned(digests: dict[str, str]) -> str:
    """The fields one format wrote, as `imported:` records them: 'title=1a2b3c4d5e abstract=...'.

    One line of text rather than a mapping: a mapping would be most of the nodes of a
    paper's front matter, and YAML's writer and our reader pay for every node.
    """
    return " ".join(f"{name}={value}" for name, value in digests.items())


def read_owned(text: str) -> dict[str, str]:
    """Field -> digest, from `render_owned`'s text."""
    return dict(pair.split("=", 1) for pair in text.split() if "=" in pair)


def key_hash(title: str) -> str:
    return hashlib.sha256(title_key(title).encode()).hexdigest()[:12]


@dataclass
class Existing:
    path: Path
    text: str
    doc: fm.Document
    #: The importer's fields as the file has them now.
    current: dict[str, object]
    #: field -> (format that wrote it, digest of what it wrote).
    owners: dict[str, tuple[str, str]]
    key: str | None


def read_existing(path: Path, text: str, doc: fm.Document) -> Existing:
    current: dict[str, object] = {}
    for name_node, node in doc.meta.entries:
        if name_node.text in FIELDS:
            value = plain(node)
            if name_node.text in _LISTS and isinstance(value, str):
                value = [value]
            current[name_node.text] = value
    owners: dict[str, tuple[str, str]] = {}
    record = doc.meta.get("imported")
    key: str | None = None
    if isinstance(record, fm.Map):
        key_node = record.get("key")
        key = key_node.text if isinstance(key_node, fm.Scalar) else None
        old = record.get("digest")
        if isinstance(old, fm.Scalar):
            if digest({k: current[k] for k in MANAGED if k in current}) == old.text:
                owners = {k: ("dump", field_digest(current[k])) for k in MANAGED if k in current}
        else:
            for fmt, fields in record.entries:
                if fmt.text in _RECORD_KEYS or not isinstance(fields, fm.Scalar):
                    continue
                for name, written in read_owned(fields.text).items():
                    owners[name] = (fmt.text, written)
    return Existing(path, text, doc, current, owners, key)


def merge_entry(
    old: Existing, entry: SourceEntry, values: dict[str, object], fmt: str, source: str
) -> tuple[str, tuple[str, fm.Document] | None, tuple[str, ...]]:
    """Merge an entry into its file: the outcome, the new text and its parse (None: no change), the
    fields changed."""
    changes: dict[str, object | None] = {}
    owners = dict(old.owners)
    updated = kept = False
    for name in FIELDS:
        new = values.get(name)
        cur = old.current.get(name)
        owner = owners.get(name)
        mine = owner is not None and cur is not None and field_digest(cur) == owner[1]
        if new is None:
            if mine and owner is not None and owner[0] == fmt:  # the source no longer has it
                changes[name] = None
                del owners[name]
                updated = True
            continue
        if cur is None:
            if owner is None:
                changes[name] = new
                owners[name] = (fmt, field_digest(new))
            else:
                kept = True  # the importer wrote it once and a curator deleted it
        elif not mine:
            kept = kept or canonical(cur) != canonical(new)
        elif owner is not None and owner[0] == fmt and canonical(cur) != canonical(new):
            changes[name] = new
            owners[name] = (fmt, field_digest(new))
            updated = True
    if not changes:
        return ("kept" if kept else "unchanged"), None, ()
    record: dict[str, object] = {"from": source, "key": old.key or key_hash(entry.title)}
    for f in sorted({f for f, _ in owners.values()}):
        record[f] = render_owned({n: owners[n][1] for n in FIELDS if n in owners and owners[n][0] == f})
    changes["imported"] = record
    try:
        text = rewrite(old.text, old.doc, changes)
        doc = verify(text, changes)
    except CannotRewrite:
        return "kept", None, ()
    return ("updated" if updated else "filled"), (text, doc), tuple(n for n in changes if n != "imported")
