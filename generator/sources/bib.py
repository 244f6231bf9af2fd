"""BibTeX libraries (Zotero, Better BibTeX, Mendeley, JabRef exports) to `SourceEntry` records.

bibtexparser 2 splits the file into blocks and fields and reports blocks it could not
parse, duplicate citation keys and duplicate fields, each with the line it starts on.
It is run with an empty middleware stack: its string interpolation leaves an unknown
`@string` macro in place without a word, and does not evaluate `#` concatenation, so
field values are evaluated by `bibvalues.Values`, where an unknown macro is an error.
LaTeX is turned into text by `latex.to_text`.
"""

from __future__ import annotations

import functools
import logging
import re

import bibtexparser
from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ImplicitComment,
    ParsingFailedBlock,
    String,
)

from ..model import Problem, Severity
from . import normalize
from .bibvalues import MacroError, Values
from .entry import SourceEntry
from .latex import to_text

# The splitter logs every broken block as a warning; they come back to the curator as
# problems with their position instead.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

#: BibTeX entry types (lower case) to ours; any other type is "misc".
ENTRY_TYPES = {
    "article": "article",
    "inproceedings": "inproceedings",
    "conference": "inproceedings",
    "incollection": "incollection",
    "inbook": "incollection",
    "book": "book",
    "booklet": "book",
    "proceedings": "book",
    "collection": "book",
    "mvbook": "book",
    "phdthesis": "phdthesis",
    "thesis": "phdthesis",
    "mastersthesis": "mastersthesis",
    "techreport": "techreport",
    "report": "techreport",
    "unpublished": "unpublished",
}
#: Fields kept in `bib_fields`, LaTeX decoded.
BIB_FIELDS = (
    "volume",
    "number",
    "pages",
    "publisher",
    "month",
    "editor",
    "address",
    "series",
    "edition",
    "isbn",
    "issn",
    "note",
    "organization",
    "school",
    "institution",
    "howpublished",
)
_STRAY = re.compile(r"^\s*[,}]|^\s*[A-Za-z][\w-]*\s*=\s*[{\"\d]", re.MULTILINE)
_LINK_FIELDS = ("url", "doi", "file", "pdf", "eprint", "arxivid")


def read_bib(text: str, display: str) -> tuple[list[SourceEntry], list[Problem]]:
    """Read a BibTeX library; report every problem, and leave out the entries that have one."""
    library = bibtexparser.parse_string(text, parse_stack=[])  # type: ignore[attr-defined]
    values = Values()
    entries: list[SourceEntry] = []
    problems: list[Problem] = []
    keys: dict[str, int] = {}
    last: Entry | None = None  # the entry before the current block, if it is in `entries`
    for found in library.blocks:
        block = found
        if isinstance(found, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock) and found.ignore_error_block:
            # Both are checked below, case-insensitively as BibTeX does, on the block itself.
            block = found.ignore_error_block
        if isinstance(block, Entry):
            entry = _entry(block, values, keys, display, problems)
            if entry is not None:
                entries.append(entry)
            last = block if entry is not None else None
            continue
        if isinstance(block, String):
            _define(block, values, display, problems)
        elif isinstance(block, ParsingFailedBlock):
            problems.append(_failed(block, display))
        elif isinstance(block, ImplicitComment) and (stray := _stray(block)) is not None:
            line, text_after = stray
            at = _line(last) if last is not None else line
            what = f"{last.key}: " if last is not None else ""
            problems.append(
                Problem(
                    display,
                    at,
                    1,
                    f"{what}unbalanced braces: {text_after!r} on line {line} follows the end of the entry; "
                    "a '}' too many closed it before its last fields",
                )
            )
            if last is not None:
                entries.pop()
        last = None
    if not entries and not problems:
        problems.append(
            Problem(display, 1, 1, "no BibTeX entries found; expected entries such as @article{key, ...}")
        )
    return entries, problems


def _line(block: Block) -> int:
    return (block.start_line or 0) + 1


def _define(block: String, values: Values, display: str, problems: list[Problem]) -> None:
    try:
        values.macros[block.key.lower()] = values.evaluate(block.value)
    except MacroError as exc:
        problems.append(
            Problem(display, _line(block), 1, f"@string {block.key}: unknown @string macro {exc.name!r}")
        )


def _failed(block: ParsingFailedBlock, display: str) -> Problem:
    reason = getattr(block.error, "abort_reason", str(block.error))
    raw = block.raw or ""
    end_line = _line(block) + raw.rstrip().count("\n")
    m = _HEAD.match(raw)
    what = (m.group(2) or m.group(1)) if m else "entry"
    if "end of file" in reason:
        found = "the file ends while it is still open"
    elif "Unexpected block start" in reason:
        found = f"it is still open when line {end_line + 1} starts a new entry"
    else:
        return Problem(display, _line(block), 1, f"{what}: BibTeX syntax error: {reason.rstrip('. ')}")
    return Problem(
        display,
        _line(block),
        1,
        f"{what}: unbalanced braces or quotes: {found}; expected each '{{' closed by a '}}' "
        "and each field ended by ',' before the entry's closing '}'",
    )


_HEAD = re.compile(r"\s*(@\w+)\s*[{(]\s*([^,\s{}()]*)")


def _stray(block: ImplicitComment) -> tuple[int, str] | None:
    """Line and text of fields after an entry that a '}' too many closed early, if `block` holds some.

    Text between entries is a comment to BibTeX, and the fields in it would be lost.
    """
    m = _STRAY.search(block.comment)
    if m is None:
        return None
    line = _line(block) + block.comment.count("\n", 0, m.start())
    return line, " ".join(block.comment[m.start() :].split())[:40]


def _entry(
    block: Entry, values: Values, keys: dict[str, int], display: str, problems: list[Problem]
) -> SourceEntry | None:
    line = _line(block)
    before = len(problems)
    key = block.key.strip()
    if not key:
        problems.append(Problem(display, line, 1, f"@{block.entry_type}: entry has no citation key"))
    else:
        first = keys.setdefault(key.lower(), line)
        if first != line:
            problems.append(
                Problem(
                    display,
                    line,
                    1,
                    f"{key}: duplicate citation key, first used on line {first} and again on line {line}; "
                    "citation keys must be unique",
                )
            )
    raw: dict[str, str] = {}
    seen: dict[str, int] = {}
    for f in block.fields:
        name = f.key.strip().lower()
        fline = (f.start_line or 0) + 1
        if name in seen:
            problems.append(
                Problem(
                    display,
                    line,
                    1,
                    f"{key}: {name}: field set twice in one entry, on line {seen[name]} and again on "
                    f"line {fline}; keep one",
                )
            )
            continue
        seen[name] = fline
        try:
            raw[name] = values.evaluate(f.value)
        except MacroError as exc:
            problems.append(
                Problem(
                    display,
                    line,
                    1,
                    f"{key}: {name}: unknown @string macro {exc.name!r} on line {fline}; define it with "
                    f"@string{{{exc.name} = {{...}}}} or put the value in braces",
                )
            )
    title = to_text(raw.get("title", ""))
    if not title:
        problems.append(Problem(display, line, 1, f"{key}: title: missing; every entry needs a title"))
    year: int | None = None
    date = raw.get("year") or raw.get("date")
    if date is not None and date.strip():
        year = normalize.year(to_text(date))
        if year is None:
            name = "year" if "year" in raw else "date"
            problems.append(
                Problem(
                    display,
                    line,
                    1,
                    f"{key}: {name}: {date.strip()!r} on line {seen[name]} is not a year; "
                    "expected four digits such as 2017",
                )
            )
    if len(problems) > before:
        return None
    entry = _source_entry(block, key, raw, title, year, line)
    for message in normalize.dropped_links(
        _verbatim(raw.get("doi", "")), entry.doi, _verbatim(raw.get("url", "")), entry.url
    ):
        problems.append(Problem(display, line, 1, f"{key}: {message}", Severity.WARNING))
    return entry


def _source_entry(
    block: Entry, key: str, raw: dict[str, str], title: str, year: int | None, line: int
) -> SourceEntry:
    links = {name: _verbatim(raw[name]) for name in _LINK_FIELDS if name in raw}
    venue = to_text(raw.get("journal") or raw.get("journaltitle") or raw.get("booktitle") or "") or None
    arxiv = _arxiv(raw, links)
    if venue is not None and normalize.arxiv(venue):
        venue = None  # old Zotero exports put "arXiv:1312.5602 [cs]" in journal
    bib_fields = []
    for name in BIB_FIELDS:
        value = raw.get(name)
        if value is None:
            continue
        text = to_text(value)
        if name == "month":
            text = normalize.month(text)
        elif name == "editor":
            text = " and ".join(_authors(value))
        if text:
            bib_fields.append((name, text))
    return SourceEntry(
        line=line,
        col=1,
        title=title,
        abstract=to_text(raw.get("abstract", "")),
        authors=_authors(raw.get("author", "")),
        year=year,
        venue=venue,
        type=ENTRY_TYPES.get(block.entry_type.lower(), "misc"),
        cite_key=key,
        doi=normalize.doi(links.get("doi", "")),
        arxiv=arxiv,
        url=normalize.url(links.get("url", "")),
        pdf=_pdf(links),
        tags=normalize.keywords(to_text(k) for k in (raw.get("keywords", ""), raw.get("keyword", ""))),
        bib_fields=tuple(bib_fields),
    )


_URL_ESCAPE = re.compile(r"\{?\\([_%&#~$])\}?")


def _verbatim(value: str) -> str:
    """A link field as written, undoing the `{\\_}` escapes Mendeley writes into URLs and DOIs."""
    return _URL_ESCAPE.sub(r"\1", value).strip() if "\\" in value else value.strip()


def _arxiv(raw: dict[str, str], links: dict[str, str]) -> str | None:
    prefix = (raw.get("archiveprefix") or raw.get("eprinttype") or "").strip().lower()
    candidates = []
    if "eprint" in links and prefix in ("arxiv", ""):
        candidates.append(links["eprint"])
    candidates += [links.get("arxivid", ""), links.get("url", ""), links.get("doi", "")]
    candidates += [raw.get("journal", ""), raw.get("number", "")]
    for value in candidates:
        found = normalize.arxiv(value) if value else None
        if found:
            return found
    return None


_FILE_SPLIT = re.compile(r"(?<!\\);")
_FILE_PART = re.compile(r"(?<!\\):")


def _pdf(links: dict[str, str]) -> str | None:
    """A PDF link from `pdf`, or an http(s) link in `file`; local files (Zotero's storage) are left out."""
    pdf = normalize.url(links.get("pdf", ""))
    if pdf:
        return pdf
    # Zotero and JabRef write "description:path:type" items joined by ';', with '\:' for ':'.
    for item in _FILE_SPLIT.split(links.get("file", "")):
        parts = [p.replace("\\:", ":").replace("\\\\", "\\") for p in _FILE_PART.split(item)]
        for i in range(len(parts) - 1):
            # an unescaped "http://x" was split at its own ':'
            if parts[i].lower().endswith(("http", "https")) and parts[i + 1].startswith("//"):
                parts[i : i + 2] = [parts[i].rsplit(None, 1)[-1] + ":" + parts[i + 1]]
                break
        for part in parts:
            found = normalize.url(part)
            if found:
                return found
    return None


_AND = re.compile(r"[{}]|\s+and\s+", re.IGNORECASE)


def _authors(value: str) -> tuple[str, ...]:
    """Split a name list on the 'and's outside braces (`{Google Brain and Friends}` is one name)."""
    names: list[str] = []
    depth = 0
    start = 0
    for m in _AND.finditer(value):
        token = m.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            names.append(value[start : m.start()])
            start = m.end()
    names.append(value[start:])
    return tuple(_person(name.strip()) for name in names if name.strip() and name.strip() != "others")


@functools.lru_cache(maxsize=65536)  # the same people come back across a library
def _person(name: str) -> str:
    """'Last, First', 'von Last, Jr, First' or 'First von Last' as 'First von Last Jr'."""
    try:
        parts = parse_single_name_into_parts(name, strict=False)
    except InvalidNameError:
        return to_text(name)
    return to_text(" ".join([*parts.first, *parts.von, *parts.last, *parts.jr]))
