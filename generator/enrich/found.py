"""The neutral record every API module returns, and the identifier forms they share."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The sources, in the order the command asks them.
SOURCES: tuple[str, ...] = ("arxiv", "crossref", "openalex", "semanticscholar")

#: DataCite DOIs arXiv mints for every preprint: an arXiv id, not a published version's DOI.
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")


@dataclass(frozen=True)
class Found:
    """What one source says about one work."""

    source: str
    #: The work's id at the source (arXiv id, DOI, OpenAlex W-id, Semantic Scholar paperId).
    source_id: str
    title: str
    #: Other forms of the title the source gives (such as title and subtitle together).
    other_titles: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    url: str | None = None
    pdf: str | None = None
    abstract: str | None = None


def clean_doi(value: str | None) -> str | None:
    """A bare DOI from a DOI, a doi.org link or 'doi:…'; None for an arXiv DataCite DOI."""
    if not value:
        return None
    doi = value.strip()
    for prefix in _DOI_PREFIXES:
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :]
    if _ARXIV_DOI.match(doi) or not doi.startswith("10."):
        return None
    return doi


def arxiv_from_doi(value: str | None) -> str | None:
    """The arXiv id in an arXiv DataCite DOI (10.48550/arXiv.2304.05376), if it is one."""
    if not value:
        return None
    doi = value.strip()
    for prefix in _DOI_PREFIXES:
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :]
    m = _ARXIV_DOI.match(doi)
    return clean_arxiv(m.group(1)) if m else None


def clean_arxiv(value: str | None) -> str | None:
    """An arXiv id without its version ('1605.08386v1' -> '1605.08386'); None if it is not one."""
    if not value:
        return None
    ident = value.strip()
    for prefix in ("arXiv:", "arxiv:", "http://arxiv.org/abs/", "https://arxiv.org/abs/"):
        ident = ident.removeprefix(prefix)
    if not _ARXIV_ID.match(ident):
        return None
    return re.sub(r"v\d+$", "", ident)


def same_doi(a: str, b: str) -> bool:
    """DOIs are case-insensitive."""
    return a.casefold() == b.casefold()
