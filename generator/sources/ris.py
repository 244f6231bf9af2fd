"""RIS libraries (Zotero, Mendeley, EndNote, Reference Manager exports) to `SourceEntry` records.

A small line tokenizer rather than `rispy`: rispy's records carry no line numbers, and
it silently drops a last record without `ER  -` and merges a record without `ER  -` into
the next one (a second `TY` in a record is ignored), where we must report both at the
record's `TY` line.  RIS is one `TAG  - value` per line, which the tokenizer reads in
one pass; lines that are not tags continue the value above (wrapped abstracts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Problem, Severity
from . import normalize
from .entry import SourceEntry

#: RIS reference types to ours; any other type is "misc".
ENTRY_TYPES = {
    "JOUR": "article",
    "EJOUR": "article",
    "JFULL": "article",
    "MGZN": "article",
    "NEWS": "article",
    "ABST": "article",
    "CONF": "inproceedings",
    "CPAPER": "inproceedings",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CHAP": "incollection",
    "ECHAP": "incollection",
    "THES": "phdthesis",
    "RPRT": "techreport",
    "UNPB": "unpublished",
    "UNPD": "unpublished",
    "MANSCPT": "unpublished",
    "INPR": "unpublished",
}
_TAG = re.compile(r"([A-Z][A-Z0-9]) {1,2}-(?: |$)(.*)")
_HTML = re.compile(r"<[^>]+>")


@dataclass
class _Record:
    line: int
    #: Values of each tag in file order, and the line of each tag's first value.
    values: dict[str, list[str]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    last: str = ""

    def add(self, tag: str, value: str, line: int) -> None:
        self.values.setdefault(tag, []).append(value)
        self.lines.setdefault(tag, line)
        self.last = tag

    def extend(self, text: str) -> None:
        """Continue the last value with a line that is not a tag (a wrapped abstract)."""
        if self.last:
            values = self.values[self.last]
            values[-1] = f"{values[-1]} {text}".strip()

    def all(self, *names: str) -> list[str]:
        """The values of the tags `names`, those of the first tag first."""
        return [v for name in names for v in self.values.get(name, ()) if v]

    def first(self, *names: str) -> str:
        """The first value of the first of `names` the record has (names in order of preference)."""
        for name in names:
            for value in self.values.get(name, ()):
                if value:
                    return value
        return ""

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


def read_ris(text: str, display: str) -> tuple[list[SourceEntry], list[Problem]]:
    """Read an RIS file; report every problem, and leave out the records that have one."""
    records, problems = _records(text, display)
    entries: list[SourceEntry] = []
    ids: dict[str, int] = {}
    for record in records:
        entry = _entry(record, ids, display, problems)
        if entry is not None:
            entries.append(entry)
    if not entries and not problems:
        problems.append(
            Problem(display, 1, 1, "no RIS records found; expected records starting with 'TY  - '")
        )
    return entries, problems


def _records(text: str, display: str) -> tuple[list[_Record], list[Problem]]:
    records: list[_Record] = []
    problems: list[Problem] = []
    record: _Record | None = None
    stray = False  # reported a tag outside any record since the last record
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        m = _TAG.match(line)
        if m is None:
            if record is not None and line.strip():
                record.extend(line.strip())
            continue  # text between records (some databases write a header) is not ours
        tag, value = m.group(1), m.group(2).strip()
        if tag == "TY":
            if record is not None:
                problems.append(
                    Problem(
                        display,
                        record.line,
                        1,
                        f"record has no 'ER  - ' end line before the next record starts on line {number}; "
                        "add 'ER  - ' after its last tag",
                    )
                )
            record = _Record(number)
            record.add("TY", value, number)
            stray = False
        elif record is None:
            if tag != "ER" and not stray:
                problems.append(
                    Problem(
                        display, number, 1, f"{tag}: tag outside a record; expected 'TY  - ' to start one"
                    )
                )
                stray = True
        elif tag == "ER":
            records.append(record)
            record = None
        else:
            record.add(tag, value, number)
    if record is not None:
        problems.append(
            Problem(
                display,
                record.line,
                1,
                "record has no 'ER  - ' end line before the end of the file; add 'ER  - ' after its last tag",
            )
        )
    return records, problems


def _entry(record: _Record, ids: dict[str, int], display: str, problems: list[Problem]) -> SourceEntry | None:
    before = len(problems)
    key = record.first("ID")
    label = f"{key}: " if key else ""
    if key:
        first = ids.setdefault(key, record.line)
        if first != record.line:
            problems.append(
                Problem(
                    display,
                    record.line,
                    1,
                    f"{label}duplicate ID, first used on line {first} and again on line {record.line}",
                )
            )
    ris_type = record.first("TY").upper()
    title = _clean(record.first("TI", "T1", "CT") or (record.first("BT") if ris_type == "BOOK" else ""))
    if not title:
        problems.append(Problem(display, record.line, 1, f"{label}TI: missing; every record needs a title"))
    year: int | None = None
    for tag in ("PY", "Y1", "DA"):
        value = record.first(tag)
        if value:
            year = normalize.year(value)
            if year is None:
                problems.append(
                    Problem(
                        display,
                        record.line,
                        1,
                        f"{label}{tag}: {value!r} on line {record.line_of(tag)} is not a year; "
                        "expected four digits such as 2017 or 2017/06/12/",
                    )
                )
            break
    if len(problems) > before:
        return None
    entry_type = ENTRY_TYPES.get(ris_type, "misc")
    if entry_type == "phdthesis" and "master" in record.first("M3").lower():
        entry_type = "mastersthesis"
    # Some exporters put the DOI in M3, which Zotero uses for the kind of thesis or report.
    doi = normalize.doi(record.first("DO")) or normalize.doi(record.first("M3"))
    urls = [u for u in (normalize.url(v) for v in record.all("UR")) if u]
    pdfs = [u for u in (normalize.url(v) for v in record.all("L1")) if u]
    arxiv = None
    for candidate in (doi or "", *urls, *pdfs):
        arxiv = normalize.arxiv(candidate)
        if arxiv:
            break
    for message in normalize.dropped_links(
        record.first("DO"), doi, record.first("UR"), urls[0] if urls else None
    ):
        problems.append(Problem(display, record.line, 1, f"{label}{message}", Severity.WARNING))
    venue_tags = ("T2", "C3", "JF", "JO", "JA") + (("BT",) if ris_type != "BOOK" else ())
    return SourceEntry(
        line=record.line,
        col=1,
        title=title,
        abstract=_clean(record.first("AB", "N2")),
        authors=tuple(_person(name) for name in record.all("AU", "A1")),
        year=year,
        venue=_clean(record.first(*venue_tags)) or None,
        type=entry_type,
        cite_key=key or None,
        doi=doi,
        arxiv=arxiv,
        url=urls[0] if urls else None,
        pdf=pdfs[0] if pdfs else None,
        tags=normalize.keywords(record.all("KW")),
        bib_fields=_bib_fields(record, entry_type),
    )


def _bib_fields(record: _Record, entry_type: str) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    start, end = record.first("SP"), record.first("EP")
    publisher = normalize.publisher_field(entry_type)
    standard = "isbn" if entry_type in ("book", "incollection") else "issn"
    for name, value in (
        ("volume", record.first("VL")),
        ("number", record.first("IS") or (record.first("M1") if entry_type == "techreport" else "")),
        ("pages", normalize.pages(f"{start}-{end}") if start and end else start),
        (publisher, record.first("PB")),
        ("address", record.first("CY")),
        ("edition", record.first("ET")),
        (standard, record.first("SN")),
        ("editor", " and ".join(_person(n) for n in record.all("ED", "A2"))),
        ("note", " ".join(_clean(_HTML.sub(" ", n)) for n in record.all("N1"))),
    ):
        value = _clean(value)
        if value:
            out.append((name, value))
    return tuple(out)


def _clean(value: str) -> str:
    return " ".join(value.split())


def _person(name: str) -> str:
    """'Last, First[, Suffix]' (RIS writes names so) as 'First Last Suffix'."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 1:
        return _clean(name)
    last, first, *rest = parts
    return _clean(" ".join([first, last, *rest]))
