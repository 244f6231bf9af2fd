"""Field values as every reader gives them: DOIs, arXiv ids, links, keywords, pages, years."""

from __future__ import annotations

import re
from collections.abc import Iterable

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
# DOIs and links as a paper file accepts them (generator/fields.py checks the same patterns).
_DOI = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Za-z0-9]+$")
_ARXIV_ID = r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
_ARXIV_BARE = re.compile(rf"^(?:arxiv:\s*)?{_ARXIV_ID}(?:\s*\[[^\]]*\])?$", re.IGNORECASE)
_ARXIV_URL = re.compile(
    rf"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/{_ARXIV_ID}", re.IGNORECASE
)
_ARXIV_DOI = re.compile(rf"^10\.48550/arxiv\.{_ARXIV_ID}$", re.IGNORECASE)
_URL = re.compile(r"^https?://[A-Za-z0-9][-A-Za-z0-9.]*(:\d+)?([/?#][^\s\"'<>\\`]*)?$", re.IGNORECASE)
_KEYWORD_SEP = re.compile(r"\s*[,;]\s*")
_YEAR = re.compile(r"^\s*(\d{4})(?:$|[-/\s])")
_RANGE = re.compile(r"^\s*([^\s–-]+)\s*(?:-+|–|—)\s*([^\s–-]+)\s*$")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip


def doi(value: str) -> str | None:
    """Return the DOI in `value` (a bare DOI, `doi:` or a doi.org link), or None if it is none."""
    text = _DOI_PREFIX.sub("", value.strip())
    return text if _DOI.match(text) else None


def dropped_links(doi_found: str, doi_kept: str | None, url_found: str, url_kept: str | None) -> list[str]:
    """Say which DOI and link of a source were left out because a paper file cannot hold them."""
    out = []
    if doi_found.strip() and doi_kept is None:
        out.append(f"doi: {doi_found.strip()!r} is not a DOI such as 10.1000/xyz123; left out")
    if url_found.strip() and url_kept is None:
        out.append(f"url: {url_found.strip()!r} is not an http:// or https:// link; left out")
    return out


def arxiv(value: str) -> str | None:
    """Return the arXiv id (without version) of an id, `arXiv:` id, arXiv link or arXiv DOI."""
    text = value.strip()
    for pattern in (_ARXIV_BARE, _ARXIV_URL, _ARXIV_DOI):
        m = pattern.match(text)
        if m:
            return m.group(1)
    return None


def url(value: str) -> str | None:
    """Return the first http(s) link of `value` (Mendeley puts several, space-separated)."""
    for part in value.split():
        if _URL.match(part):
            return part
    return None


def keywords(values: Iterable[str]) -> tuple[str, ...]:
    """Split keyword fields on ',' and ';' and drop blanks and repeats, keeping the order."""
    seen: dict[str, None] = {}
    for value in values:
        for word in _KEYWORD_SEP.split(value):
            word = word.strip()
            if word:
                seen.setdefault(word, None)
    return tuple(seen)


def year(value: str) -> int | None:
    """Return the year a date starts with (`2017`, `2017-06-12`, `2017/06/12/`), or None."""
    m = _YEAR.match(value)
    return int(m.group(1)) if m else None


def pages(value: str) -> str:
    """Write a page range with an en dash (`436–444`), as a decoded BibTeX `436--444` reads."""
    m = _RANGE.match(value)
    return f"{m.group(1)}–{m.group(2)}" if m else value.strip()


_MONTH_OF = (
    {abbr: abbr for abbr in _MONTHS}
    | dict(zip(_MONTH_NAMES, _MONTHS, strict=True))
    | {str(i): abbr for i, abbr in enumerate(_MONTHS, start=1)}
    | {f"0{i}": abbr for i, abbr in enumerate(_MONTHS[:9], start=1)}
    | {"sept": "sep"}
)


def month(value: str) -> str:
    """Return a month as BibTeX's three-letter macro name (`jan`), or the value as it is."""
    text = value.strip()
    return _MONTH_OF.get(text.lower().rstrip("."), text)


def publisher_field(entry_type: str) -> str:
    """The BibTeX field that names the publisher: a thesis has a school, a report an institution."""
    return {"phdthesis": "school", "mastersthesis": "school", "techreport": "institution"}.get(
        entry_type, "publisher"
    )
