"""Scaffold a new paper file, so a contributor never writes front matter by hand.

The file is written only when it passes the same checks as `validate` (it is
read back by the loader before it takes its place) and repeats no paper that
is already in the list (same slug, title, arXiv id or DOI).

The abstract is required: a placeholder would either fail validation at once
or, worse, pass it with fake text.  It comes from `--abstract`, or from
standard input with `--abstract -`.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from .fields import SLUG_RE
from .layout import PAPERS_DIR
from .load import load_paper, read_content
from .model import Problem
from .paperfile import dump_field
from .slugs import slugify
from .validate import find_duplicates, find_near_duplicates

#: Order of the fields in a new file: what identifies the paper first, the abstract last.
FIELD_ORDER = (
    "title",
    "authors",
    "year",
    "added",
    "status",
    "summary",
    "topics",
    "tags",
    "url",
    "pdf",
    "doi",
    "arxiv",
    "code",
    "data",
    "project",
    "abstract",
)


@dataclass(frozen=True)
class NewPaper:
    """What a contributor gives on the command line."""

    title: str
    abstract: str
    added: dt.date
    slug: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    status: str | None = None
    summary: str | None = None
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    url: str | None = None
    pdf: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    code: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    project: tuple[str, ...] = ()

    def values(self) -> dict[str, object]:
        """The fields to write, in file order, without the empty ones."""
        out: dict[str, object] = {}
        for name in FIELD_ORDER:
            value = getattr(self, name)
            if value in (None, (), ""):
                continue
            out[name] = list(value) if isinstance(value, tuple) else value
        return out


def render_file(new: NewPaper) -> str:
    """The text of the new paper file: front matter and an empty body for notes."""
    parts = ["---\n"]
    for name, value in new.values().items():
        parts.append(dump_field(name, value))
    parts.append("---\n")
    return "".join(parts)


def slug_of(new: NewPaper) -> str:
    return new.slug or slugify(new.title)


def scaffold(content_dir: Path, new: NewPaper, display: str = "content") -> tuple[Path | None, list[Problem]]:
    """Write content/papers/<slug>.md for `new`; return its path, or None and why not.

    `display` is how content_dir is shown in messages.
    """
    slug = slug_of(new)
    papers_dir = content_dir / PAPERS_DIR
    path = papers_dir / f"{slug}.md"
    shown = f"{display.rstrip('/')}/{PAPERS_DIR}/{path.name}"
    if not SLUG_RE.match(slug):
        message = f"slug: {slug!r} is not a valid slug; use lowercase words joined by hyphens"
        return None, [Problem(shown, 1, 1, message)]
    existing = sorted(papers_dir.glob("*.md")) if papers_dir.is_dir() else []
    for other in existing:
        if other.name.casefold() == path.name.casefold():
            return None, [
                Problem(
                    f"{display.rstrip('/')}/{PAPERS_DIR}/{other.name}",
                    1,
                    1,
                    f"file name: {other.name!r} already exists; is it the same paper? "
                    "If not, choose another file name with --slug",
                )
            ]
    content, problems = read_content(content_dir, display)
    if content is None:
        # Without the taxonomy neither topics nor duplicates can be checked.
        return None, [p for p in problems if p.is_error]
    papers_dir.mkdir(parents=True, exist_ok=True)
    # Written aside under a hidden name (the loader skips those), read back with the
    # real checks, and only then renamed into place.
    tmp = papers_dir / f".{path.name}.new"
    tmp.write_text(render_file(new), encoding="utf-8")
    try:
        paper, mine = load_paper(tmp, shown, content.taxonomy.ids, file_name=path.name)
        errors = [p for p in mine if p.is_error]
        if paper is None or errors:
            return None, errors
        duplicates = find_duplicates([paper], known=content.papers)
        if duplicates:
            return None, duplicates
        if path.exists():  # created meanwhile: never overwrite
            return None, [Problem(shown, 1, 1, f"file name: {path.name!r} already exists")]
        os.replace(tmp, path)
        return path, [p for p in mine if not p.is_error] + find_near_duplicates([paper], known=content.papers)
    finally:
        tmp.unlink(missing_ok=True)
