"""One entry of a library being imported, whatever format it came in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

from ..model import Problem


@dataclass(frozen=True)
class SourceEntry:
    """A paper as one source gives it, with the fields named as in a paper file.

    Readers fill what the source has and leave the rest empty; `line` and `col`
    say where the entry starts in the source, for messages such as duplicates.
    """

    line: int
    col: int
    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None
    type: str | None = None
    cite_key: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    url: str | None = None
    pdf: str | None = None
    tags: tuple[str, ...] = ()
    code: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    project: tuple[str, ...] = ()
    #: Other bibliographic fields (volume, pages, publisher...), by BibTeX name.
    bib_fields: tuple[tuple[str, str], ...] = ()

    def values(self) -> dict[str, object]:
        """The fields the source provides, as a paper file writes them (lists, not tuples)."""
        out: dict[str, object] = {}
        for f in fields(self):
            if f.name in ("line", "col"):
                continue
            value = getattr(self, f.name)
            if value in (None, "", ()):
                continue
            if f.name == "bib_fields":
                value = dict(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out


#: A reader: (text of the file, path as shown in messages) -> (entries, problems).
#: A problem names the entry it makes unusable by its position; readers never stop at the
#: first problem, and never return an entry they reported an error for.
Reader = Callable[[str, str], tuple[list[SourceEntry], list[Problem]]]
