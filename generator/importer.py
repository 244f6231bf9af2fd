"""Import a library (text dump, BibTeX, CSL-JSON, RIS) into content/papers/, one file per paper.

Every reader returns `SourceEntry` records (generator.sources); this module
merges them into the paper files without ever losing a curator's edit.

Matching.  An entry is the paper of an existing file with the same DOI, else
the same arXiv id, else the same normalised title (`text.title_key`), else the
title the file was first imported with (`imported.key`, for a paper a curator
retitled).  Two entries of one file that would be the same paper are both
refused (`file:line: ... appears twice`): the importer does not guess which one
is right.

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
changes no file.  Updating a file rewrites only the lines of the fields that
change; every other line, and every comment (see `_rewrite`), stays.

What is cleaned and what is refused.  Cleaned, because no text means them: a
byte order mark, control characters (C0, C1 except whitespace), line breaks
and runs of whitespace inside a value (one line, single spaces).  Refused,
because they carry meaning the importer must not guess at: everything else
`validate` would reject (markup that could run script in an abstract, HTML in
a title, a malformed DOI, a file over the size limit...).  Every file to be
written is checked by the real loader (`load.load_paper_text`) first, and a
problem is shown at the entry's position in the source file.

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
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from . import frontmatter as fm
from .files import MAX_FILE_BYTES
from .load import PAPER_FIELDS, load_paper_text
from .model import Problem
from .sources.dump import DumpEntry, extract_links, parse_dump, source_entry
from .sources.entry import SourceEntry
from .text import title_key

__all__ = ["DumpEntry", "extract_links", "parse_dump"]  # the dump reader's names, as before

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
#: The fields the importer owned before per-field digests (covered by the old single `digest`).
MANAGED = ("title", "abstract", "doi", "code", "data", "project")
_LISTS = ("authors", "tags", "code", "data", "project")
#: Keys of `imported:` that are not source formats.
_RECORD_KEYS = ("from", "key")

SLUG_MAX = 72
#: Width of the YAML written: long values fold at 100 columns.
WIDTH = 100

#: Every paper the importer has added, by title key, so that a paper a curator
#: deleted is not added by the next import.
LEDGER = "content/imported.yml"
_LEDGER_HEADER = (
    "# Written by `python -m generator import`: every paper it has added (title key: slug),\n"
    "# so that a paper a curator deleted is not imported again. Delete a line to let the\n"
    "# importer add that paper back.\n"
)


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    #: Papers a curator deleted (in the ledger, no file).
    removed: list[str] = field(default_factory=list)
    #: Entries not imported because of a problem (with --skip-invalid).
    invalid: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        skipped = len(self.removed) + len({(p.line, p.col) for p in self.invalid})
        text = (
            f"added {len(self.added)}, updated {len(self.updated)}, filled {len(self.filled)}, "
            f"unchanged {len(self.unchanged)}, kept {len(self.kept)} (curator edits left as they are), "
            f"skipped {skipped}"
        )
        why = []
        if self.removed:
            why.append(f"{len(self.removed)} deleted by a curator; see {LEDGER}")
        if self.invalid:
            why.append(f"{skipped - len(self.removed)} invalid, listed above")
        return text + (f" ({'; '.join(why)})" if why else "")


# --- The ledger ------------------------------------------------------------------------------------


def read_ledger(text: str) -> dict[str, str]:
    """Parse the ledger: title key hash -> slug it was imported as."""
    mapping, _duplicates = fm.parse_mapping(text)
    return {k.text: v.text for k, v in mapping.entries if isinstance(v, fm.Scalar)}


def render_ledger(ledger: dict[str, str]) -> str:
    lines = "".join(f"{key}: {slug}\n" for key, slug in sorted(ledger.items(), key=lambda kv: (kv[1], kv[0])))
    return _LEDGER_HEADER + lines


# --- Slugs, values, digests ------------------------------------------------------------------------

# fmt: off
_GREEK = (
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
    "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
)
# fmt: on
#: Letters that Unicode decomposition does not reduce to ASCII, spelled out so that
#: "Straße" and "λ-calculus" keep their words in the slug instead of losing letters.
_TRANSLITERATION = str.maketrans(
    {
        **{chr(0x3B1 + i + (i >= 17)): name for i, name in enumerate(_GREEK)},  # skips final sigma
        **{chr(0x391 + i + (i >= 17)): name for i, name in enumerate(_GREEK)},  # U+03A2 is unassigned
        "ς": "sigma",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
        "∞": " infinity ",
    }
)


def slugify(title: str) -> str:
    """Make a lowercase ASCII slug with hyphens from a title."""
    decomposed = unicodedata.normalize("NFKD", title).translate(_TRANSLITERATION)
    ascii_text = decomposed.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > SLUG_MAX:
        cut = slug[:SLUG_MAX]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut
    return slug or "paper"


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff]")


def clean(text: str) -> str:
    """One line of text: no BOM or control characters, single spaces."""
    return " ".join(_CONTROL.sub(" ", text).split())


def clean_entry(entry: SourceEntry) -> SourceEntry:
    """The entry with every text cleaned (see the module docstring for what is cleaned)."""
    return replace(
        entry,
        title=clean(entry.title),
        abstract=clean(entry.abstract),
        authors=tuple(a for a in (clean(a) for a in entry.authors) if a),
        venue=clean(entry.venue) or None if entry.venue is not None else None,
        tags=tuple(dict.fromkeys(t for t in (clean(t) for t in entry.tags) if t)),
        bib_fields=tuple((k, clean(v)) for k, v in entry.bib_fields if clean(v)),
    )


def _canon(value: object) -> Any:
    """A value as JSON-able text, the same whether read from a file or taken from a source."""
    if isinstance(value, dict):
        return {str(k): _canon(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [_canon(v) for v in value]
    return str(value)


def field_digest(value: object) -> str:
    canon = json.dumps(_canon(value), ensure_ascii=False, sort_keys=True)
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


def _key_hash(title: str) -> str:
    return hashlib.sha256(title_key(title).encode()).hexdigest()[:12]


def _doi_key(doi: object) -> str:
    return str(doi).strip().lower()


def _arxiv_key(arxiv: object) -> str:
    return re.sub(r"v\d+$", "", str(arxiv).strip().lower())


def dump_yaml(data: dict[str, object]) -> str:
    """Block-style YAML of a mapping, in the order given, that reads back exactly."""
    return yaml.dump(
        data,
        Dumper=yaml.CSafeDumper,
        allow_unicode=True,
        sort_keys=False,
        width=WIDTH,
        default_flow_style=False,
    )


def dump_field(name: str, value: object) -> str:
    """Serialize one front-matter field as YAML that reads back exactly."""
    return dump_yaml({name: value})


# --- Existing files --------------------------------------------------------------------------------


def _plain(node: fm.Node) -> object:
    if isinstance(node, fm.Scalar):
        return node.text
    if isinstance(node, fm.Seq):
        return [_plain(i) for i in node.items]
    return {k.text: _plain(v) for k, v in node.entries}


@dataclass
class _Existing:
    path: Path
    text: str
    doc: fm.Document
    #: The importer's fields as the file has them now.
    current: dict[str, object]
    #: field -> (format that wrote it, digest of what it wrote).
    owners: dict[str, tuple[str, str]]
    key: str | None


def _read_existing(path: Path, text: str, doc: fm.Document) -> _Existing:
    current: dict[str, object] = {}
    for name_node, node in doc.meta.entries:
        if name_node.text in FIELDS:
            value = _plain(node)
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
    return _Existing(path, text, doc, current, owners, key)


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


class _CannotRewrite(Exception):
    pass


def _rewrite(text: str, doc: fm.Document, changes: dict[str, object | None]) -> str:
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
        raise _CannotRewrite(str(exc)) from None
    replaced: dict[int, list[str]] = {}
    drop: set[int] = set()
    for name, value in changes.items():
        if name not in spans:
            continue
        key_line, field_spans = spans[name]
        if field_spans[0][1] != 0:
            raise _CannotRewrite(f"{name}: not a top-level key at the start of its line")
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


# --- Planning --------------------------------------------------------------------------------------


@dataclass
class Plan:
    """What an import would do: the files to write (papers, then the ledger) and what it found."""

    writes: dict[Path, str]
    report: ImportReport
    #: Problems of entries (positions in the source file): those entries are not in `writes`.
    problems: list[Problem]
    #: Problems of the project itself (unreadable paper files, ledger): nothing may be written.
    fatal: list[Problem]
    ledger: dict[str, str]


def _duplicates(entries: Sequence[SourceEntry], display: str, where: str) -> dict[int, Problem]:
    """Entries (by index) that are the same paper as another entry of the file."""
    seen: dict[tuple[str, str], int] = {}
    out: dict[int, Problem] = {}
    for i, entry in enumerate(entries):
        keys = [("title", title_key(entry.title))]
        if entry.doi:
            keys.insert(0, ("DOI", _doi_key(entry.doi)))
        if entry.arxiv:
            keys.insert(0, ("arXiv id", _arxiv_key(entry.arxiv)))
        for kind, key in keys:
            if not key:
                continue
            first = seen.setdefault((kind, key), i)
            if first != i and i not in out:
                other = entries[first]
                what = f"title {entry.title[:60]!r}" if kind == "title" else f"{kind} {key}"
                first_what = f"title {other.title[:60]!r}" if kind == "title" else what
                out[i] = Problem(
                    display,
                    entry.line,
                    entry.col,
                    f"{what} appears twice in {where} (first on line {other.line})",
                )
                out.setdefault(
                    first,
                    Problem(
                        display,
                        other.line,
                        other.col,
                        f"{first_what} appears twice in {where} (again on line {entry.line})",
                    ),
                )
    return out


def _check(
    text: str, slug: str, entry: SourceEntry, fields: Iterable[str], display: str, topic_ids: tuple[str, ...]
) -> list[Problem]:
    """Problems the loader finds in the importer's fields of a file about to be written, at the entry."""
    _paper, found = load_paper_text(text, f"papers/{slug}.md", topic_ids, f"{slug}.md")
    wrote = set(fields)
    out = []
    for problem in found:
        if not problem.is_error:
            continue
        name = problem.message.split(":", 1)[0]
        message = problem.message
        if message.startswith("file is "):
            biggest = max(wrote, key=lambda n: len(json.dumps(_canon(getattr(entry, n)))), default="abstract")
            size = len(text.encode("utf-8"))
            message = (
                f"{biggest}: too long: the paper file would be {size} bytes, "
                f"over the limit of {MAX_FILE_BYTES}"
            )
        elif name in PAPER_FIELDS and name not in wrote:
            continue  # a problem of the curator's own fields: validate reports it, not the import
        out.append(Problem(display, entry.line, entry.col, message))
    return out


def plan_import(
    entries: Iterable[SourceEntry | DumpEntry],
    papers_dir: Path,
    source: str,
    added: dt.date,
    ledger: dict[str, str] | None = None,
    *,
    fmt: str = "dump",
    display: str | None = None,
    topic_ids: tuple[str, ...] = (),
) -> tuple[dict[Path, str], ImportReport, list[Problem]]:
    """Work out which paper files to write; nothing touches the disk here but reads.

    `ledger` (title key hash -> slug) lists the papers imported before; it is
    updated in place with the papers of this import.  The problems are those of
    `plan`, entries' and project's together.
    """
    plan = make_plan(
        [source_entry(e) if isinstance(e, DumpEntry) else e for e in entries],
        papers_dir,
        source,
        added,
        {} if ledger is None else ledger,
        fmt=fmt,
        display=display or source,
        topic_ids=topic_ids,
    )
    return plan.writes, plan.report, plan.fatal + plan.problems


def make_plan(
    entries: Sequence[SourceEntry],
    papers_dir: Path,
    source: str,
    added: dt.date,
    ledger: dict[str, str],
    *,
    fmt: str,
    display: str,
    topic_ids: tuple[str, ...] = (),
) -> Plan:
    """Plan the import of `entries`, read from `display` (file name `source`) in format `fmt`."""
    fatal: list[Problem] = []
    existing: dict[str, _Existing] = {}
    index: dict[str, str] = {}
    for path in sorted(papers_dir.glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
            doc = fm.parse(text)
        except (OSError, UnicodeDecodeError, fm.FrontMatterError) as exc:
            message = exc.message if isinstance(exc, fm.FrontMatterError) else str(exc)
            line, col = exc.pos.astuple() if isinstance(exc, fm.FrontMatterError) else (1, 1)
            fatal.append(
                Problem(path.as_posix(), line, col, f"cannot read existing paper, fix it first: {message}")
            )
            continue
        old = existing[path.stem] = _read_existing(path, text, doc)
        for prefix, value in (
            ("doi:", _doi_key(old.current["doi"]) if "doi" in old.current else ""),
            ("arxiv:", _arxiv_key(old.current["arxiv"]) if "arxiv" in old.current else ""),
            ("title:", title_key(str(old.current.get("title", "")))),
            ("#", old.key or ""),
        ):
            if value:
                index.setdefault(prefix + value, path.stem)
    report = ImportReport()
    writes: dict[Path, str] = {}
    problems: list[Problem] = []
    entries = [clean_entry(e) for e in entries]
    duplicates = _duplicates(entries, display, "the dump" if fmt == "dump" else "the file")
    taken = set(existing)
    matched: dict[str, SourceEntry] = {}
    for i, entry in enumerate(entries):
        if i in duplicates:
            problems.append(duplicates[i])
            continue
        values = entry.values()
        key = _key_hash(entry.title)
        match = (
            (entry.doi and index.get("doi:" + _doi_key(entry.doi)))
            or (entry.arxiv and index.get("arxiv:" + _arxiv_key(entry.arxiv)))
            or index.get("title:" + title_key(entry.title))
            or index.get("#" + key)
        )
        if not match:
            if key in ledger:
                report.removed.append(ledger[key])
                continue
            slug = base = slugify(entry.title)
            n = 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            record: dict[str, object] = {
                "from": source,
                "key": key,
                fmt: render_owned({f: field_digest(values[f]) for f in FIELDS if f in values}),
            }
            text = "---\n" + dump_yaml(_new_fields(values, added, record)) + "---\n"
            found = _check(text, slug, entry, values, display, topic_ids)
            if found:
                problems.extend(found)
                continue
            taken.add(slug)
            writes[papers_dir / f"{slug}.md"] = text
            ledger[key] = slug
            report.added.append(slug)
            continue
        if match in matched:
            first = matched[match]
            problems.append(
                Problem(
                    display,
                    entry.line,
                    entry.col,
                    f"title {entry.title[:60]!r} is the paper {match} that line {first.line} of this file "
                    "is too (same DOI, arXiv id or title); keep one of the two entries",
                )
            )
            continue
        matched[match] = entry
        old = existing[match]
        ledger.setdefault(key, match)
        outcome, merged, changed = _merge(old, entry, values, fmt, source)
        if merged is not None:
            found = _check(merged, match, entry, changed, display, topic_ids)
            if found:
                problems.extend(found)
                continue
            writes[old.path] = merged
        getattr(report, outcome).append(match)
    return Plan(writes, report, problems, fatal, ledger)


def _new_fields(values: dict[str, object], added: dt.date, record: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {"title": values["title"], "added": added}
    out.update((f, values[f]) for f in FIELDS[1:] if f in values)
    out["imported"] = record
    return out


def _merge(
    old: _Existing, entry: SourceEntry, values: dict[str, object], fmt: str, source: str
) -> tuple[str, str | None, tuple[str, ...]]:
    """Merge an entry into its file: the outcome, the new text (None: no change), the fields changed."""
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
            kept = kept or _canon(cur) != _canon(new)
        elif owner is not None and owner[0] == fmt and _canon(cur) != _canon(new):
            changes[name] = new
            owners[name] = (fmt, field_digest(new))
            updated = True
    if not changes:
        return ("kept" if kept else "unchanged"), None, ()
    record: dict[str, object] = {"from": source, "key": old.key or _key_hash(entry.title)}
    for f in sorted({f for f, _ in owners.values()}):
        record[f] = render_owned({n: owners[n][1] for n in FIELDS if n in owners and owners[n][0] == f})
    changes["imported"] = record
    try:
        text = _rewrite(old.text, old.doc, changes)
        _verify(text, changes)
    except _CannotRewrite:
        return "kept", None, ()
    return ("updated" if updated else "filled"), text, tuple(n for n in changes if n != "imported")


def _verify(text: str, changes: dict[str, object | None]) -> None:
    """Make sure the rewritten file reads back with the intended values (and nothing else lost)."""
    try:
        doc = fm.parse(text)
    except fm.FrontMatterError as exc:
        raise _CannotRewrite(exc.message) from None
    for name, value in changes.items():
        node = doc.meta.get(name)
        if (node is None) != (value is None) or (node is not None and _canon(_plain(node)) != _canon(value)):
            raise _CannotRewrite(name)


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
    with open(temp, "wb") as out:
        out.write(encoded)
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
            (staging / name).write_bytes(writes[papers_dir / name].encode("utf-8"))
        os.replace(staging, papers_dir)  # rename(2) replaces an empty folder
        written = len(names)
    else:
        written = sum(write_atomic(path, writes[path]) for path in sorted(writes, key=str))
    ledger_path.parent.mkdir(parents=True, exist_ok=True)
    return written + write_atomic(ledger_path, ledger_text)


# --- The command -----------------------------------------------------------------------------------


def run_import(
    root: Path,
    content: Path,
    path: Path,
    added: dt.date,
    *,
    skip_invalid: bool = False,
    fmt: str | None = None,
) -> int:
    """`python -m generator import FILE`: read, plan, check, then write everything or nothing."""
    from .sources import detect
    from .taxonomy import load_taxonomy

    display = path.as_posix()
    text, problems = detect.read_source(path, display)
    if text is None:
        for problem in problems:
            what = "dump" if path.suffix.lower() == ".txt" else "file"
            print(
                f"{problem.path}:{problem.line}:{problem.col}: cannot read {what}: {problem.message}",
                file=sys.stderr,
            )
        return 1
    fmt = fmt or detect.format_of(path.name, text)
    try:
        reader = detect.reader(fmt)
    except LookupError as exc:
        print(f"{display}:1:1: {exc}", file=sys.stderr)
        return 1
    entries, problems = reader(text, display)
    ledger_path = root / LEDGER
    ledger: dict[str, str] = {}
    fatal: list[Problem] = []
    if ledger_path.exists():
        try:
            ledger = read_ledger(ledger_path.read_text(encoding="utf-8"))
        except fm.FrontMatterError as exc:
            fatal.append(Problem(LEDGER, exc.pos.line, exc.pos.col, exc.message))
    taxonomy, _ = load_taxonomy(content / "topics.yml", "content/topics.yml")
    papers_dir = content / "papers"
    plan = make_plan(
        entries,
        papers_dir,
        path.name,
        added,
        ledger,
        fmt=fmt,
        display=display,
        topic_ids=taxonomy.ids if taxonomy else (),
    )
    fatal += plan.fatal
    problems = sorted({*problems, *plan.problems})
    errors = [p for p in problems if p.is_error]
    for problem in fatal:
        print(problem, file=sys.stderr)
    if fatal or (errors and not skip_invalid) or (errors and not entries):
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(fatal) + len(errors)} error(s); nothing was written", file=sys.stderr)
        if errors and not fatal and entries:
            print(
                "to import the valid entries and skip these, run the import again with --skip-invalid",
                file=sys.stderr,
            )
        return 1
    for problem in problems:
        print(f"skipped: {problem}" if problem.is_error else str(problem), file=sys.stderr)
    plan.report.invalid = errors
    write_plan(papers_dir, plan.writes, ledger_path, render_ledger(plan.ledger))
    print(plan.report.summary())
    return 0
