"""Plan an import: clean the entries, match each to an existing paper, and work out the files to write.

Matching.  An entry is the paper of an existing file with the same DOI, else
the same arXiv id, else the same normalised title (`text.title_key`), else the
title the file was first imported with (`imported.key`, for a paper a curator
retitled).  Two entries of one file that would be the same paper are both
refused (`file:line: ... appears twice`): the importer does not guess which one
is right.

What is cleaned and what is refused.  Cleaned, because no text means them: a
byte order mark, control characters (C0, C1 except whitespace), line breaks
and runs of whitespace inside a value (one line, single spaces).  Refused,
because they carry meaning the importer must not guess at: everything else
`validate` would reject (markup that could run script in an abstract, HTML in
a title, a malformed DOI, a file over the size limit...).  Every file to be
written is checked by the real loader (`load.load_paper_text`) first, and a
problem is shown at the entry's position in the source file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import frontmatter as fm
from .files import MAX_FILE_BYTES
from .load import PAPER_FIELDS, load_paper_text
from .merge import Existing, field_digest, key_hash, merge_entry, read_existing, render_owned
from .model import Problem
from .paperfile import FIELDS, LEDGER, canonical, new_fields
from .slugs import slugify
from .sources.dump import DumpEntry, source_entry
from .sources.entry import SourceEntry
from .text import is_one_line, title_key
from .yamlemit import dump_mapping


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


# --- Cleaning -------------------------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff]")


def clean(text: str) -> str:
    """One line of text: no BOM or control characters, single spaces."""
    if is_one_line(text):  # printable, so without control characters or a BOM too
        return text
    return " ".join(_CONTROL.sub(" ", text).split())


def clean_entry(entry: SourceEntry) -> SourceEntry:
    """The entry with every text cleaned (see the module docstring for what is cleaned)."""
    title, abstract = clean(entry.title), clean(entry.abstract)
    authors = tuple(a for a in map(clean, entry.authors) if a)
    venue = clean(entry.venue) or None if entry.venue is not None else None
    tags = tuple(dict.fromkeys(t for t in map(clean, entry.tags) if t))
    bib_fields = tuple((k, c) for k, c in ((k, clean(v)) for k, v in entry.bib_fields) if c)
    cleaned = (title, abstract, authors, venue, tags, bib_fields)
    if cleaned == (entry.title, entry.abstract, entry.authors, entry.venue, entry.tags, entry.bib_fields):
        return entry  # clean already, as most entries are (a frozen record is slow to copy)
    return replace(
        entry, title=title, abstract=abstract, authors=authors, venue=venue, tags=tags, bib_fields=bib_fields
    )


# --- Matching -------------------------------------------------------------------------------------


def _doi_key(doi: object) -> str:
    return str(doi).strip().lower()


def _arxiv_key(arxiv: object) -> str:
    return re.sub(r"v\d+$", "", str(arxiv).strip().lower())


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
    text: str,
    slug: str,
    entry: SourceEntry,
    fields: Iterable[str],
    display: str,
    topic_ids: tuple[str, ...],
    doc: fm.Document | None = None,
) -> list[Problem]:
    """Problems the loader finds in the importer's fields of a file about to be written, at the entry.

    `doc` is the parse of `text` when it is known (positions do not matter: problems are
    shown at the entry).
    """
    _paper, found = load_paper_text(text, f"papers/{slug}.md", topic_ids, f"{slug}.md", doc=doc)
    wrote = set(fields)
    out = []
    for problem in found:
        if not problem.is_error:
            continue
        name = problem.message.split(":", 1)[0]
        message = problem.message
        if message.startswith("file is "):
            biggest = max(
                wrote, key=lambda n: len(json.dumps(canonical(getattr(entry, n)))), default="abstract"
            )
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
    existing: dict[str, Existing] = {}
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
        old = existing[path.stem] = read_existing(path, text, doc)
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
        key = key_hash(entry.title)
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
            front, meta = dump_mapping(new_fields(values, added, record))
            text = "---\n" + front + "---\n"
            # The file as the loader would parse it, built from the values rather than read back.
            parsed = fm.Document(meta, "", text.count("\n") + 1, ()) if meta is not None else None
            found = _check(text, slug, entry, values, display, topic_ids, parsed)
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
        outcome, merged, changed = merge_entry(old, entry, values, fmt, source)
        if merged is not None:
            text, parsed = merged
            found = _check(text, match, entry, changed, display, topic_ids, parsed)
            if found:
                problems.extend(found)
                continue
            writes[old.path] = text
        getattr(report, outcome).append(match)
    return Plan(writes, report, problems, fatal, ledger)
