"""The site as the renderer sees it: the records of the earlier stages, and what follows from them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from . import bibtex
from .model import STATUSES, Assignment, Page, Paper, ReadingPath, Taxonomy, Topic

#: The kinds of link a paper "has", as the list pages' filters offer them.
HAS_LINKS: tuple[str, ...] = ("code", "data")


@dataclass(frozen=True)
class Facets:
    """What the list pages' filters offer: only values some paper has."""

    years: tuple[int, ...]  # newest first
    statuses: tuple[str, ...]  # in the order of STATUSES
    tags: tuple[str, ...]  # sorted
    has: tuple[str, ...]  # in the order of HAS_LINKS


@dataclass(frozen=True)
class Site:
    """Everything the renderer needs, computed by the earlier stages."""

    papers: tuple[Paper, ...]
    taxonomy: Taxonomy
    assignments: Mapping[str, Assignment]
    related: Mapping[str, tuple[str, ...]]
    pages: tuple[Page, ...] = ()
    #: The published address (mkdocs.yml `site_url`), for feeds and citations; "" if unknown.
    site_url: str = ""
    site_name: str = "Reading list"
    #: The curators' reading paths (content/paths/), by id.
    paths: tuple[ReadingPath, ...] = ()
    #: The slugs the importer added, in the order it added them (content/imported.yml).
    added: tuple[str, ...] = ()
    #: Each paper's citation key as an earlier run found it (the memo's), or None to compute.
    known_cite_keys: Mapping[str, str] | None = None

    # The cached properties below are values derived from the fields, computed once on
    # first use: a frozen record whose every value follows from its fields.

    def url(self, path: str) -> str:
        """The absolute URL of `path` (relative to the site root), or `path` without a site_url."""
        return f"{self.site_url.rstrip('/')}/{path}" if self.site_url else path

    @cached_property
    def cite_keys(self) -> Mapping[str, str]:
        """Each paper's citation key, by slug (unique across the list)."""
        if self.known_cite_keys is not None:
            return self.known_cite_keys
        return bibtex.cite_keys(self.papers)

    @cached_property
    def citations(self) -> dict[str, str]:
        """Each paper's BibTeX entry ("" if it cannot be cited), by slug."""
        return {p.slug: bibtex.render_entry(p, self.cite_keys[p.slug]) for p in self.papers}

    def citation(self, paper: Paper) -> str:
        """One paper's BibTeX entry, "" if it cannot be cited (from `citations` once that is made:
        a whole run makes it for the list pages first; a notes edit renders one entry)."""
        made = self.__dict__.get("citations")
        return (
            made[paper.slug] if made is not None else bibtex.render_entry(paper, self.cite_keys[paper.slug])
        )

    @cached_property
    def by_slug(self) -> dict[str, Paper]:
        return {p.slug: p for p in self.papers}

    @cached_property
    def members(self) -> dict[str, tuple[Paper, ...]]:
        """Papers of each topic, newest first, then by title."""
        out: dict[str, list[Paper]] = {t.id: [] for t in self.taxonomy.topics}
        for paper in self.papers:
            for tid in self.assignments[paper.slug].topics:
                out[tid].append(paper)
        return {tid: tuple(sort_papers(ps)) for tid, ps in out.items()}

    @cached_property
    def facets(self) -> Facets:
        years: set[int] = set()
        statuses: set[str | None] = set()
        tags: set[str] = set()
        kinds: set[str] = set()
        for paper in self.papers:
            if paper.year:
                years.add(paper.year)
            statuses.add(paper.status)
            tags.update(paper.tags)
            kinds.update(link.kind for link in paper.links)
        return Facets(
            years=tuple(sorted(years, reverse=True)),
            statuses=tuple(s for s in STATUSES if s in statuses),
            # Every tag: the filters run in the browser over facets.json (facetfile.py), not as
            # Pagefind filters, which never matched a value holding `"` or `\`.
            tags=tuple(sorted(tags)),
            has=tuple(k for k in HAS_LINKS if k in kinds),
        )

    @cached_property
    def shared(self) -> dict[tuple[str, str], int]:
        """Number of papers each pair of topics shares."""
        counts: dict[tuple[str, str], int] = {}
        for paper in self.papers:
            tids = sorted(self.assignments[paper.slug].topics)
            for i, a in enumerate(tids):
                for b in tids[i + 1 :]:
                    counts[(a, b)] = counts.get((a, b), 0) + 1
        return counts

    @cached_property
    def steps_of(self) -> dict[str, tuple[tuple[ReadingPath, int], ...]]:
        """For each paper in some path: each such path and the index of the paper's step in it."""
        out: dict[str, list[tuple[ReadingPath, int]]] = {}
        for path in self.paths:
            for i, step in enumerate(path.steps):
                out.setdefault(step.paper, []).append((path, i))
        return {slug: tuple(found) for slug, found in out.items()}

    @cached_property
    def added_order(self) -> dict[str, int]:
        """Each imported paper's place in the order the curator added papers."""
        return {slug: i for i, slug in enumerate(self.added)}

    def newest_first(self, papers: Sequence[Paper]) -> list[Paper]:
        """Newest first; papers of one day in the order the curator added them (the importer's
        ledger), then those the ledger does not know, by slug: never by title."""
        order, known = self.added_order, len(self.added_order)
        return sorted(papers, key=lambda p: (-p.added.toordinal(), order.get(p.slug, known), p.slug))

    @cached_property
    def essential(self) -> tuple[Paper, ...]:
        """The papers the curators mark essential, newest first, in the order they were added."""
        return tuple(self.newest_first([p for p in self.papers if p.status == "essential"]))

    @cached_property
    def topics_by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in reversed(self.taxonomy.topics)}  # the first of an id wins, as in get()

    def topics_of(self, paper: Paper, but: str | None = None) -> tuple[Topic, ...]:
        """The paper's topics, in taxonomy order; without topic `but` (a topic page's own)."""
        by_id = self.topics_by_id
        return tuple(by_id[tid] for tid in self.assignments[paper.slug].topics if tid in by_id and tid != but)

    def neighbours(self, topic_id: str) -> list[tuple[Topic, int]]:
        """Topics sharing papers with `topic_id`, most shared first."""
        out = []
        for (a, b), n in self.shared.items():
            other = b if a == topic_id else a if b == topic_id else None
            if other is not None:
                topic = self.taxonomy.get(other)
                assert topic is not None
                out.append((topic, n))
        out.sort(key=lambda tn: (-tn[1], tn[0].id))
        return out


def sort_papers(papers: Sequence[Paper]) -> list[Paper]:
    """Newest first; ties by title, then slug."""
    return sorted(papers, key=lambda p: (-p.added.toordinal(), p.title.casefold(), p.slug))
