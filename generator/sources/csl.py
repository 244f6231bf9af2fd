"""CSL-JSON libraries (Zotero's "CSL JSON" export) to `SourceEntry` records.

The file is a JSON array of items.  It is read item by item with `JSONDecoder.raw_decode`,
so that each entry knows the line it starts on and a syntax error is reported at its
line and column; the file is scanned once.  Zotero writes `id` as the item's URI unless
the item has a citation key; only an id that could be a BibTeX key is kept as `cite_key`.
Zotero does not export tags to CSL-JSON; the CSL `keyword` variable (other tools) is read.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..model import Problem, Severity
from . import normalize
from .entry import SourceEntry

#: CSL item types to ours; any other type is "misc" (Zotero writes preprints as "article").
ENTRY_TYPES = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "paper-conference": "inproceedings",
    "chapter": "incollection",
    "entry-encyclopedia": "incollection",
    "entry-dictionary": "incollection",
    "book": "book",
    "thesis": "phdthesis",
    "report": "techreport",
    "manuscript": "unpublished",
}
#: CSL variables kept in `bib_fields`, under their BibTeX names.
BIB_FIELDS = (
    ("volume", "volume"),
    ("issue", "number"),
    ("number", "number"),
    ("page", "pages"),
    ("publisher", "publisher"),
    ("publisher-place", "address"),
    ("collection-title", "series"),
    ("edition", "edition"),
    ("ISBN", "isbn"),
    ("ISSN", "issn"),
    ("note", "note"),
)
_CITE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.+-]{0,99}$")
_MARKUP = re.compile(r"</?(?:i|b|sup|sub|sc|span(?:\s[^>]*)?)>")
_decoder = json.JSONDecoder()


def read_csl(text: str, display: str) -> tuple[list[SourceEntry], list[Problem]]:
    """Read a CSL-JSON array; report every problem, and leave out the items that have one."""
    items, problems = _items(text, display)
    entries: list[SourceEntry] = []
    ids: dict[str, int] = {}
    for line, col, item in items:
        entry = _entry(item, line, col, ids, display, problems)
        if entry is not None:
            entries.append(entry)
    if not entries and not problems:
        problems.append(Problem(display, 1, 1, "no items found; expected a JSON array of CSL items"))
    return entries, problems


def _syntax(exc: json.JSONDecodeError, display: str) -> Problem:
    return Problem(display, exc.lineno, exc.colno, f"JSON syntax error: {exc.msg}")


def _items(text: str, display: str) -> tuple[list[tuple[int, int, Any]], list[Problem]]:
    """Return (line, column, value) of each array element, or the syntax error that stops the scan."""
    i = _skip(text, 0)
    if i >= len(text) or text[i] != "[":
        try:
            _decoder.decode(text)
        except json.JSONDecodeError as exc:
            return [], [_syntax(exc, display)]
        return [], [
            Problem(display, 1, 1, "expected a JSON array of CSL items, as Zotero's CSL JSON export writes")
        ]
    out: list[tuple[int, int, Any]] = []
    line, line_start, pos = 1, 0, 0  # line number of text[pos], and where that line starts
    i = _skip(text, i + 1)
    if text.startswith("]", i):
        return out, _trailing(text, i + 1, display)
    while True:
        try:
            value, end = _decoder.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            return out, [_syntax(exc, display)]
        newlines = text.count("\n", pos, i)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", pos, i) + 1
        pos = i
        out.append((line, i - line_start + 1, value))
        i = _skip(text, end)
        if text.startswith(",", i):
            i = _skip(text, i + 1)
        elif text.startswith("]", i):
            return out, _trailing(text, i + 1, display)
        else:
            return out, [_whole(text, display)]  # neither ',' nor ']'


def _skip(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i] in " \t\r\n":
        i += 1
    return i


def _trailing(text: str, i: int, display: str) -> list[Problem]:
    """The syntax error of text after the array, if there is any text."""
    return [_whole(text, display)] if _skip(text, i) < len(text) else []


def _whole(text: str, display: str) -> Problem:
    """The syntax error the decoder finds in the whole text, with its message and position."""
    try:
        _decoder.decode(text)
    except json.JSONDecodeError as exc:
        return _syntax(exc, display)
    return Problem(display, 1, 1, "JSON syntax error")  # the scan and the decoder disagree: never seen


def _text(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        return ""
    if "<" in value:
        value = _MARKUP.sub("", value)
    return " ".join(value.split())


def _entry(
    item: Any, line: int, col: int, ids: dict[str, int], display: str, problems: list[Problem]
) -> SourceEntry | None:
    if not isinstance(item, dict):
        problems.append(
            Problem(display, line, col, f"expected a CSL item (a JSON object), found {type(item).__name__}")
        )
        return None
    before = len(problems)
    item_id = _text(item.get("id"))
    label = f"{item_id}: " if item_id else ""
    if item_id:
        first = ids.setdefault(item_id, line)
        if first != line:
            problems.append(
                Problem(
                    display,
                    line,
                    col,
                    f"{label}duplicate id, first used on line {first} and again on line {line}",
                )
            )
    title = _text(item.get("title"))
    if not title:
        problems.append(Problem(display, line, col, f"{label}title: missing; every item needs a title"))
    year: int | None = None
    issued = item.get("issued")
    if issued is not None:
        year = _year(issued)
        if year is None:
            problems.append(
                Problem(
                    display,
                    line,
                    col,
                    f"{label}issued: {json.dumps(issued, ensure_ascii=False)} has no year; expected "
                    '{"date-parts": [[2017, 6, 12]]}',
                )
            )
    if len(problems) > before:
        return None
    cite_key = _text(item.get("citation-key")) or (item_id if _CITE_KEY.match(item_id) else "")
    doi = normalize.doi(_text(item.get("DOI")))
    url = normalize.url(_text(item.get("URL")))
    arxiv = None
    for candidate in (_text(item.get("number")), doi or "", url or "", _archive_id(item)):
        arxiv = normalize.arxiv(candidate) if candidate else None
        if arxiv:
            break
    entry_type = ENTRY_TYPES.get(_text(item.get("type")), "misc")
    if entry_type == "phdthesis" and "master" in _text(item.get("genre")).lower():
        entry_type = "mastersthesis"
    bib_fields: list[tuple[str, str]] = []
    for csl_name, name in BIB_FIELDS:
        bib_name = normalize.publisher_field(entry_type) if name == "publisher" else name
        value = _text(item.get(csl_name))
        # Zotero writes a preprint's "arXiv:2211.12588" as its number; a journal's issue comes first.
        taken = any(name == bib_name for name, _ in bib_fields)
        if value and not taken and not (csl_name == "number" and normalize.arxiv(value)):
            bib_fields.append((bib_name, normalize.pages(value) if bib_name == "pages" else value))
    editors = _names(item.get("editor"))
    if editors:
        bib_fields.append(("editor", " and ".join(editors)))
    for message in normalize.dropped_links(_text(item.get("DOI")), doi, _text(item.get("URL")), url):
        problems.append(Problem(display, line, col, f"{label}{message}", Severity.WARNING))
    return SourceEntry(
        line=line,
        col=col,
        title=title,
        abstract=_text(item.get("abstract")),
        authors=_names(item.get("author")),
        year=year,
        venue=_text(item.get("container-title")) or _text(item.get("event-title")) or None,
        type=entry_type,
        cite_key=cite_key or None,
        doi=doi,
        arxiv=arxiv,
        url=url,
        tags=normalize.keywords([_text(item.get("keyword"))]),
        bib_fields=tuple(bib_fields),
    )


def _archive_id(item: dict[str, Any]) -> str:
    if _text(item.get("archive")).lower() == "arxiv":
        return _text(item.get("archive_location"))
    return ""


def _year(issued: Any) -> int | None:
    if not isinstance(issued, dict):
        return None
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        first = parts[0][0]
        if isinstance(first, int) and not isinstance(first, bool):
            return first
        if isinstance(first, str) and first.strip().isdigit():
            return int(first)  # Zotero writes the year as a string
        return None
    for key in ("raw", "literal"):
        value = issued.get(key)
        if isinstance(value, str):
            m = re.search(r"\b(\d{4})\b", value)
            if m:
                return int(m.group(1))
    return None


def _names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    names = []
    for person in value:
        if not isinstance(person, dict):
            continue
        literal = _text(person.get("literal"))
        if literal:
            names.append(literal)
            continue
        words = [
            _text(person.get(k))
            for k in ("given", "dropping-particle", "non-dropping-particle", "family", "suffix")
        ]
        name = " ".join(w for w in words if w)
        if name:
            names.append(name)
    return tuple(names)
