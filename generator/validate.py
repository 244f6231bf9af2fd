"""Checks across papers: duplicates and anything one file alone cannot show."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from . import dedupe
from .classify import classify
from .load import Content
from .model import Paper, Problem, Severity
from .text import title_key

_ARXIV_URL = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/([a-z-]+(?:\.[A-Z]{2})?/\d{7}|\d{4}\.\d{4,5})",
    re.IGNORECASE,
)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\..+)$", re.IGNORECASE)
_VERSION = re.compile(r"v\d+$")

#: What makes two entries the same paper, as (field the key comes from, kind, key).
Key = tuple[str, str, str]


def _arxiv(value: str) -> str:
    return _VERSION.sub("", value.removesuffix(".pdf")).lower()


def paper_keys(paper: Paper) -> list[Key]:
    """The keys that identify `paper`: its normalized title, arXiv id and DOI, however given."""
    keys: list[Key] = [("title", "title", title_key(paper.title))]
    for link in paper.links:
        if link.kind == "arxiv":
            keys.append(("arxiv", "arXiv id", _arxiv(link.url)))
        elif link.kind == "doi":
            m = _ARXIV_DOI.match(link.url)
            keys.append(("doi", "arXiv id", _arxiv(m.group(1))) if m else ("doi", "DOI", link.url.casefold()))
        elif link.kind in ("url", "pdf"):
            m = _ARXIV_URL.match(link.url)
            if m:
                keys.append((link.kind, "arXiv id", _arxiv(m.group(1))))
            m = _DOI_URL.match(link.url)
            if m:
                keys.append((link.kind, "DOI", m.group(1).casefold()))
    return [k for k in dict.fromkeys(keys) if k[2]]


def _where(paper: Paper, field: str) -> str:
    pos = paper.origin.at(field)
    return f"{paper.origin.path}:{pos.line}:{pos.col}"


def find_duplicates(papers: Sequence[Paper], known: Iterable[Paper] = ()) -> list[Problem]:
    """Report every paper that repeats one in `known` or an earlier one in `papers`.

    The problem is placed at the repeating paper, on the field that matched, and
    names the first one's file and line.
    """
    first: dict[tuple[str, str], tuple[Paper, str]] = {}
    by_slug: dict[str, Paper] = {}
    for paper in known:
        for field, kind, key in paper_keys(paper):
            first.setdefault((kind, key), (paper, field))
        by_slug.setdefault(paper.slug.casefold(), paper)
    problems: list[Problem] = []
    for paper in papers:
        folded = paper.slug.casefold()
        other_slug = by_slug.get(folded)
        if other_slug is not None and other_slug is not paper:
            problems.append(
                Problem(
                    paper.origin.path,
                    1,
                    1,
                    f"file name: {paper.slug!r} differs only by case from {_where(other_slug, 'title')}; "
                    "on case-insensitive file systems they are the same file",
                )
            )
        by_slug.setdefault(folded, paper)
        reported = False
        for field, kind, key in paper_keys(paper):
            seen = first.get((kind, key))
            if seen is None:
                first[(kind, key)] = (paper, field)
                continue
            other, other_field = seen
            if other is paper or reported:
                continue
            what = "the same title (ignoring case and punctuation)" if kind == "title" else f"{kind} {key}"
            pos = paper.origin.at(field)
            problems.append(
                Problem(
                    paper.origin.path,
                    pos.line,
                    pos.col,
                    f"{field}: the same paper as {_where(other, other_field)}: {what}; "
                    "keep one file and merge the notes into it",
                )
            )
            reported = True  # one message per repeated paper is enough to act on
    return problems


def ids(keys: Iterable[Key]) -> frozenset[tuple[str, str]]:
    """The DOIs and arXiv ids among a paper's keys, as (kind, id)."""
    return frozenset((kind, key) for _field, kind, key in keys if kind != "title")


def distinct(a: frozenset[tuple[str, str]], b: frozenset[tuple[str, str]]) -> bool:
    """Whether two papers' ids show they are different papers: ids of one kind (two DOIs, two
    arXiv ids), none shared."""
    return not a & b and bool({kind for kind, _ in a} & {kind for kind, _ in b})


def find_near_duplicates(papers: Sequence[Paper], known: Sequence[Paper] | None = None) -> list[Problem]:
    """Warn about papers that are probably one already listed under a slightly different title.

    Across `papers`, or, with `known`, between each of `papers` and the known ones (as
    `new` checks the paper it adds).  Exact clashes are `find_duplicates`' errors and are
    not repeated here; two papers with different DOIs or arXiv ids are different papers
    however alike they look.  The warning is placed at the later (or new) paper and names
    the other one's file and line.
    """
    if known is None:
        pairs = [(papers[j], papers[i], why) for i, j, why in dedupe.near_titles([p.title for p in papers])]
    else:
        found = dedupe.match_titles([p.title for p in papers], [p.title for p in known])
        pairs = [(papers[i], known[j], why) for i, j, why in found]
    problems = []
    for paper, other, why in pairs:
        # Keys of the few papers found only: working them out for every paper costs more than the search.
        a, b = paper_keys(paper), paper_keys(other)
        if {k[1:] for k in a} & {k[1:] for k in b} or distinct(ids(a), ids(b)):
            continue
        pos = paper.origin.at("title")
        problems.append(
            Problem(
                paper.origin.path,
                pos.line,
                pos.col,
                f"title: probably the same paper as {_where(other, 'title')} ({why}: {other.title!r}); "
                "keep one file and merge the notes into it, or give both papers their DOI or arXiv id "
                "if they differ",
                Severity.WARNING,
            )
        )
    return problems


def find_orphans(content: Content) -> list[Problem]:
    """Warn about papers that land in no topic."""
    candidates = [p for p in content.papers if not p.topics]  # a topic set by hand always applies
    if not candidates:
        return []
    assignments = classify(candidates, content.taxonomy)
    out = []
    for paper in candidates:
        if assignments[paper.slug].topics:
            continue
        pos = paper.origin.at("title")
        out.append(
            Problem(
                paper.origin.path,
                pos.line,
                pos.col,
                "topics: the paper is in no topic: no rule of the taxonomy matches its title or abstract; "
                f"add 'topics: [<id>]' (python -m generator topics --explain {paper.slug})",
                Severity.WARNING,
            )
        )
    return out


def check_collection(content: Content) -> list[Problem]:
    """Report problems that involve more than one paper, and papers that fit no topic."""
    papers = content.papers
    return sorted(find_duplicates(papers) + find_near_duplicates(papers) + find_orphans(content))
