"""The records that travel between the stages of the pipeline.

Every record remembers where it came from (`Origin`), so any later stage can
point a curator back to the file and line that caused a problem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

#: Link kinds a paper may carry, in the order they are shown.  Single links
#: point at the paper itself; list links point at artefacts around it.
SINGLE_LINKS: tuple[str, ...] = ("url", "pdf", "doi", "arxiv")
LIST_LINKS: tuple[str, ...] = ("code", "data", "project")
LINK_KINDS: tuple[str, ...] = SINGLE_LINKS + LIST_LINKS

#: Reading status a curator may give a paper.
STATUSES: tuple[str, ...] = ("essential", "read", "reading", "to-read")

#: Kinds of publication (BibTeX's entry types), for `type:`; citations use them.
ENTRY_TYPES: tuple[str, ...] = (
    "article",
    "inproceedings",
    "incollection",
    "book",
    "phdthesis",
    "mastersthesis",
    "techreport",
    "unpublished",
    "misc",
)


@dataclass(frozen=True, order=True)
class Position:
    """A 1-based line and column in a source file."""

    line: int = 1
    col: int = 1

    def astuple(self) -> tuple[int, int]:
        return (self.line, self.col)


@dataclass(frozen=True)
class Origin:
    """Where a record was read from: the file (as shown to users, with '/') and the position of each field."""

    path: str
    #: (field name, line, column) of each field: plain tuples, as there are tens of
    #: thousands of them to store and read back in the build cache.
    fields: tuple[tuple[str, int, int], ...] = ()
    body_line: int = 1

    def at(self, name: str) -> Position:
        """Return the position of field `name`, or the top of the file."""
        for key, line, col in self.fields:
            if key == name:
                return Position(line, col)
        return Position(1, 1)


@dataclass(frozen=True)
class Link:
    kind: str
    url: str


@dataclass(frozen=True)
class Paper:
    """One paper of the reading list, as the curator wrote it."""

    slug: str
    title: str
    added: dt.date
    origin: Origin
    #: Empty when the source had none (libraries are patchy); `validate` warns.
    abstract: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    #: The journal or proceedings.
    venue: str | None = None
    #: One of ENTRY_TYPES, when known.
    type: str | None = None
    #: The citation key the paper had in the library it came from (kept in exported BibTeX).
    cite_key: str | None = None
    #: Other bibliographic fields of the source (volume, pages, publisher...), kept for citations.
    bib_fields: tuple[tuple[str, str], ...] = ()
    topics: tuple[str, ...] = ()
    exclude_topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    status: str | None = None
    #: The curator's one-sentence takeaway (plain text), shown in cards, lists, feeds and search.
    summary: str | None = None
    notes: str = ""

    def link(self, kind: str) -> str | None:
        """Return the first link of `kind`, if any."""
        for link in self.links:
            if link.kind == kind:
                return link.url
        return None


#: What a hand-written page may hide of Material's layout (front matter `hide`).
PAGE_HIDE: tuple[str, ...] = ("navigation", "toc", "footer")


@dataclass(frozen=True)
class Page:
    """A hand-written page of content/pages/, as the curator wrote it.

    Title and description are plain text; the renderer writes the page's front
    matter itself, escaped, so nothing a curator writes reaches the theme as markup.
    """

    name: str
    title: str
    description: str | None
    body: str
    origin: Origin
    hide: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """One step of a reading path: a paper's slug, and why the curator puts it there (plain text)."""

    paper: str
    why: str = ""


@dataclass(frozen=True)
class ReadingPath:
    """A curated reading order through some papers of the list (content/paths/<id>.yml)."""

    id: str
    title: str
    description: str
    steps: tuple[Step, ...]
    origin: Origin


@dataclass(frozen=True)
class Rule:
    """A phrase that votes for a topic when it occurs in a title or abstract."""

    phrase: str
    weight: float


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    description: str
    rules: tuple[Rule, ...]
    origin: Origin


@dataclass(frozen=True)
class Taxonomy:
    """The curated topics and the knobs of automatic classification."""

    topics: tuple[Topic, ...]
    threshold: float
    max_topics: int
    title_weight: float
    origin: Origin

    def get(self, topic_id: str) -> Topic | None:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        return None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.topics)


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in user content, with the place it was found."""

    path: str
    line: int
    col: int
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.path}:{self.line}:{self.col}: {prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


@dataclass(frozen=True)
class Assignment:
    """The topics a paper ends up in, and its score for each topic a rule matched.

    `classify.reasons` says which rules made the scores (for `topics --explain`).
    """

    slug: str
    topics: tuple[str, ...]
    scores: tuple[tuple[str, float], ...]
    manual: tuple[str, ...]
    excluded: tuple[str, ...]
