"""Which records found are the paper, and which source wins each field.

A record is the paper only when its normalised title equals the paper's (case,
punctuation, accents, LaTeX and spacing aside) and nothing contradicts it: a year
more than a year from the paper's, or a different DOI or arXiv id.  Two different
works that both agree make the paper ambiguous: it is reported, not guessed.

When sources disagree, the one that knows best wins (`PRECEDENCE`): Crossref holds
what publishers deposit for the published version (DOI, venue, year, authors); arXiv
is the authority on its own ids, gives a PDF anyone can read and the authors' own
abstract.  OpenAlex and Semantic Scholar fill what those two leave out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Paper
from ..text import title_key
from .found import Found, same_doi

#: The fields `enrich` fills, in the order they are written.
FIELDS: tuple[str, ...] = ("authors", "year", "venue", "doi", "arxiv", "url", "pdf", "abstract")

#: For each field, the sources in the order they are believed.
PRECEDENCE: dict[str, tuple[str, ...]] = {
    "authors": ("crossref", "openalex", "semanticscholar", "arxiv"),
    "year": ("crossref", "openalex", "semanticscholar", "arxiv"),
    "venue": ("crossref", "openalex", "semanticscholar"),
    "doi": ("crossref", "openalex", "semanticscholar", "arxiv"),
    "arxiv": ("arxiv", "semanticscholar", "openalex"),
    "url": ("crossref", "openalex", "arxiv", "semanticscholar"),
    "pdf": ("arxiv", "semanticscholar", "openalex"),
    "abstract": ("arxiv", "semanticscholar", "crossref", "openalex"),
}
YEAR_TOLERANCE = 1

_ACCENT = re.compile(r"\\[`'^\"~=.uvHcdbkr]\s*\{?\\?([A-Za-z])\}?")
_COMMAND = re.compile(r"\\([A-Za-z]+)\s*")
_GREEK = {
    name: chr(code)
    for name, code in (
        ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4), ("epsilon", 0x3B5),
        ("lambda", 0x3BB), ("mu", 0x3BC), ("pi", 0x3C0), ("sigma", 0x3C3), ("tau", 0x3C4), ("phi", 0x3C6),
    )
}  # fmt: skip


def strip_latex(text: str) -> str:
    """`text` without LaTeX markup: accents on their letter, Greek letters as such, commands dropped."""
    text = _ACCENT.sub(r"\1", text)
    return _COMMAND.sub(lambda m: _GREEK.get(m.group(1), ""), text).replace("$", "")


def normalise_title(title: str) -> str:
    """The title as compared: no case, punctuation, accents, LaTeX or spaces."""
    return title_key(strip_latex(title)).replace("_", "")


@dataclass(frozen=True)
class Verdict:
    """What became of the records found for one paper."""

    #: One record per source that is the paper.
    accepted: tuple[Found, ...]
    #: Why the paper is ambiguous ("" when it is not).
    ambiguous: str = ""


def contradiction(paper: Paper, found: Found) -> str:
    """Why `found` cannot be `paper` ("" if it can)."""
    wanted = normalise_title(paper.title)
    if wanted not in {normalise_title(t) for t in (found.title, *found.other_titles)}:
        return f"title {found.title!r} differs"
    if paper.year is not None and found.year is not None and abs(paper.year - found.year) > YEAR_TOLERANCE:
        return f"year {found.year} is far from {paper.year}"
    doi, arxiv = paper.link("doi"), paper.link("arxiv")
    if doi and found.doi and not same_doi(doi, found.doi):
        return f"DOI {found.doi} differs from {doi}"
    if arxiv and found.arxiv and re.sub(r"v\d+$", "", arxiv) != found.arxiv:
        return f"arXiv id {found.arxiv} differs from {arxiv}"
    return ""


def _work(found: Found) -> str:
    return f"{found.source}:{found.source_id}"


def judge(paper: Paper, found: dict[str, list[Found]]) -> Verdict:
    """Keep the records that are the paper; report several different works as ambiguous."""
    accepted: list[Found] = []
    for source in sorted(found):
        agree = {f.source_id: f for f in found[source] if not contradiction(paper, f)}
        if len(agree) > 1:
            works = ", ".join(sorted(_work(f) for f in agree.values()))
            return Verdict((), f"{source} has {len(agree)} works with this title ({works})")
        accepted.extend(agree.values())
    for i, a in enumerate(accepted):
        for b in accepted[i + 1 :]:
            if a.doi and b.doi and not same_doi(a.doi, b.doi):
                return Verdict((), f"{_work(a)} has DOI {a.doi}, {_work(b)} has DOI {b.doi}")
            if a.arxiv and b.arxiv and a.arxiv != b.arxiv:
                return Verdict((), f"{_work(a)} is arXiv {a.arxiv}, {_work(b)} is arXiv {b.arxiv}")
    return Verdict(tuple(accepted))


def missing(paper: Paper) -> tuple[str, ...]:
    """The fields `enrich` may fill that the paper lacks."""
    have = {
        "authors": bool(paper.authors),
        "year": paper.year is not None,
        "venue": paper.venue is not None,
        "abstract": bool(paper.abstract),
    }
    return tuple(f for f in FIELDS if not have.get(f, paper.link(f) is not None))


Value = str | int | tuple[str, ...]


def choose(paper: Paper, accepted: tuple[Found, ...]) -> dict[str, tuple[Value, Found]]:
    """For each field the paper lacks, the value of the most trusted source that has one."""
    by_source = {f.source: f for f in accepted}
    chosen: dict[str, tuple[Value, Found]] = {}
    for name in missing(paper):
        for source in PRECEDENCE[name]:
            record = by_source.get(source)
            value: Value | None = getattr(record, name) if record else None
            if record is None or value in (None, "", ()):
                continue
            assert value is not None
            chosen[name] = (value, record)
            break
    # A landing page that only repeats the DOI adds nothing.
    doi = paper.link("doi") or (str(chosen["doi"][0]) if "doi" in chosen else None)
    if (
        "url" in chosen
        and doi
        and str(chosen["url"][0]).lower().endswith(doi.lower())
        and "doi.org" in str(chosen["url"][0])
    ):
        del chosen["url"]
    return chosen
