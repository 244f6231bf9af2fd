"""Load content/ into records: the taxonomy and one `Paper` per file.

The loader never stops at the first problem and never exits: it returns the
records it could read and every problem it found, each with its file position.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import frontmatter as fm
from .fields import (
    CITE_KEY_RE,
    SLUG_RE,
    Reporter,
    check_body,
    check_enriched,
    describe,
    meta_pos,
    read_bib_fields,
    read_choice,
    read_date,
    read_links,
    read_safe_text,
    read_safe_texts,
    read_string,
    read_summary,
    read_year,
    suggest,
)
from .files import MAX_FILE_BYTES, parse_file, parse_text, read_text
from .frontmatter import Map, Scalar, Seq
from .layout import PAGES_DIR, PAPERS_DIR, PATHS_DIR, slug_of
from .model import (
    ENTRY_TYPES,
    LINK_KINDS,
    STATUSES,
    Link,
    Origin,
    Page,
    Paper,
    Position,
    Problem,
    ReadingPath,
    Taxonomy,
)
from .pages import load_pages
from .paperfile import LEDGER_FILE, read_ledger
from .paths import load_paths
from .taxonomy import TOPICS_FILE
from .taxonomy import load_taxonomy as load_taxonomy  # re-exported: `load.load_taxonomy` is a stable name

PAPER_FIELDS: tuple[str, ...] = (
    "title",
    "abstract",
    "authors",
    "year",
    "venue",
    "type",
    "cite_key",
    "bib_fields",
    "added",
    "status",
    "summary",
    "topics",
    "exclude_topics",
    "tags",
    *LINK_KINDS,
    "imported",
    "enriched",
)
REQUIRED_FIELDS = ("title", "added")


@dataclass(frozen=True)
class Content:
    """Everything read from content/."""

    taxonomy: Taxonomy
    papers: tuple[Paper, ...]
    pages: tuple[Page, ...]
    #: The reading paths of content/paths/, by file name.
    paths: tuple[ReadingPath, ...] = ()
    #: The slugs of the importer's ledger, in the order the papers were added.
    added: tuple[str, ...] = ()


def load_paper(
    path: Path, display: str, topic_ids: tuple[str, ...], *, file_name: str | None = None
) -> tuple[Paper | None, list[Problem]]:
    """Read one paper file; return the record (or None) and its problems.

    `file_name` is the name the file will have, when `path` is a file written aside.
    """
    rep = Reporter(display)
    file_name = file_name or path.name
    _check_file_name(rep, file_name)
    return _paper(rep, parse_file(path, rep), file_name, topic_ids)


def load_paper_text(
    text: str,
    display: str,
    topic_ids: tuple[str, ...],
    file_name: str,
    *,
    doc: fm.Document | None = None,
) -> tuple[Paper | None, list[Problem]]:
    """`load_paper` of a file's text before it is written (the importer checks what it would write).

    `doc` is `frontmatter.parse(text)` when the caller has it already (the importer builds it
    from the values it wrote, `yamlemit.dump_mapping`); the positions of the problems, and of
    the paper's origin, are then those of its nodes.
    """
    rep = Reporter(display)
    _check_file_name(rep, file_name)
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        rep.error(
            Position(1, 1),
            f"file is {size} bytes, over the limit of {MAX_FILE_BYTES}; is this really one paper?",
        )
        return None, rep.problems
    rep.text = text
    return _paper(rep, parse_text(text, rep, doc), file_name, topic_ids)


def _check_file_name(rep: Reporter, file_name: str) -> None:
    slug = file_name.removesuffix(".md")
    if not SLUG_RE.match(slug):
        lower = slug.lower()
        hint = (
            f"; rename it to '{lower}.md' (names that differ only by case clash on macOS and Windows)"
            if SLUG_RE.match(lower)
            else "; use lowercase letters, digits and single hyphens, such as 'attention-is-all-you-need.md'"
        )
        rep.error(Position(1, 1), f"file name: {file_name!r} is not a valid slug{hint}")


def _paper(
    rep: Reporter, doc: fm.Document | None, file_name: str, topic_ids: tuple[str, ...]
) -> tuple[Paper | None, list[Problem]]:
    display = rep.path
    slug = file_name.removesuffix(".md")
    if doc is None:
        return None, rep.problems
    meta = doc.meta
    values: dict[str, object] = {}
    links: list[Link] = []
    positions: list[tuple[str, int, int]] = []
    for key, node in meta.entries:
        name = key.text
        positions.append((name, key.pos.line, key.pos.col))
        if name not in PAPER_FIELDS:
            rep.error(key.pos, f"{name}: unknown field{suggest(name, PAPER_FIELDS)}")
            continue
        if name in ("title", "abstract"):
            # Titles are printed unescaped by the theme; abstracts are escaped but feed
            # the page description, so only constructs that could run script are errors.
            values[name] = read_safe_text(rep, name, node, plain_only=name == "title")
        elif name == "added":
            values[name] = read_date(rep, name, node)
        elif name == "year":
            values[name] = read_year(rep, name, node)
        elif name == "status":
            values[name] = read_choice(rep, name, node, STATUSES, "a status")
        elif name == "summary":
            values[name] = read_summary(rep, name, node)
        elif name in ("topics", "exclude_topics"):
            ids: list[str] = []
            if isinstance(node, Map):
                rep.error(node.pos, f"{name}: expected a list of topic ids, found a mapping")
            items = node.items if isinstance(node, Seq) else () if isinstance(node, Map) else (node,)
            for item in items:
                if isinstance(item, Scalar) and item.plain and item.text == "" and not isinstance(node, Seq):
                    continue
                tid = read_string(rep, name, item)
                if tid is None:
                    continue
                if tid not in topic_ids:
                    rep.error(item.pos, f"{name}: {tid!r} is not a topic{suggest(tid, topic_ids)}")
                elif tid in ids:
                    rep.error(item.pos, f"{name}: {tid!r} is listed twice")
                else:
                    ids.append(tid)
            values[name] = tuple(ids)
        elif name in ("tags", "authors"):
            values[name] = read_safe_texts(rep, name, node)
        elif name == "venue":
            values[name] = read_safe_text(rep, name, node, plain_only=True)
        elif name == "type":
            values[name] = read_choice(rep, name, node, ENTRY_TYPES, "an entry type")
        elif name == "cite_key":
            cite = read_string(rep, name, node)
            if cite is not None and not CITE_KEY_RE.match(cite):
                rep.error(
                    node.pos,
                    f"cite_key: {cite!r} is not a usable citation key; use letters, digits and _:.+/- "
                    "(no spaces, braces, commas or quotes), at most 100 characters",
                )
                cite = None
            values[name] = cite
        elif name == "bib_fields":
            values[name] = read_bib_fields(rep, node)
        elif name in LINK_KINDS:
            links.extend(read_links(rep, name, node))
        elif name == "enriched":
            check_enriched(rep, node, PAPER_FIELDS)
        elif name == "imported" and not isinstance(node, Map):
            rep.error(
                node.pos, f"imported: expected a mapping written by the importer, found {describe(node)}"
            )
    for name in REQUIRED_FIELDS:
        if meta.get(name) is None:
            rep.error(Position(1, 1), f"{name}: required field is missing; add '{name}: …' to the metadata")
    # The notes as the page shows them: the blank lines around them stripped, so the line where
    # they start moves down (and the renderer's own check of the same text is remembered).
    notes = doc.body.strip("\n")
    notes_line = doc.body_line + len(doc.body) - len(doc.body.lstrip("\n"))
    check_body(rep, notes, notes_line, "notes")
    if any(p.is_error for p in rep.problems):
        return None, rep.problems
    abstract = str(values.get("abstract") or "")
    if not abstract:
        rep.warn(
            Position(1, 1),
            "abstract: the paper has none; its page shows the metadata and links only, and topics and "
            "related papers go by the title alone (add 'abstract: …' if you have it)",
        )
    elif len(abstract.split(None, 20)) < 20:  # at most 21 pieces: no list of every word
        rep.warn(meta_pos(meta, "abstract"), f"abstract: only {len(abstract.split())} words; is it complete?")
    paper = Paper(
        slug=slug,
        title=str(values["title"]),
        abstract=abstract,
        added=values["added"],  # type: ignore[arg-type]
        origin=Origin(display, tuple(positions), notes_line),
        authors=values.get("authors", ()),  # type: ignore[arg-type]
        year=values.get("year"),  # type: ignore[arg-type]
        venue=values.get("venue"),  # type: ignore[arg-type]
        type=values.get("type"),  # type: ignore[arg-type]
        cite_key=values.get("cite_key"),  # type: ignore[arg-type]
        bib_fields=values.get("bib_fields", ()),  # type: ignore[arg-type]
        topics=values.get("topics", ()),  # type: ignore[arg-type]
        exclude_topics=values.get("exclude_topics", ()),  # type: ignore[arg-type]
        tags=values.get("tags", ()),  # type: ignore[arg-type]
        links=tuple(links),
        status=values.get("status"),  # type: ignore[arg-type]
        summary=values.get("summary"),  # type: ignore[arg-type]
        notes=notes,
    )
    return paper, rep.problems


#: A paper file read before, by file name: its record (None if it had errors) and its problems.
Known = Mapping[str, tuple[Paper | None, tuple[Problem, ...]]]


def _folder(path: Path, shown: str, problems: list[Problem]) -> bool:
    """Whether `path` is a real folder to read; a link or a file in its place is reported."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        problems.append(Problem(shown, 1, 1, f"cannot read folder: {exc.strerror}"))
        return False
    if stat.S_ISDIR(st.st_mode):
        return True
    what = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a folder"
    problems.append(Problem(shown, 1, 1, f"folder: {what}; content/ must hold real folders and files"))
    return False


def read_content(
    content_dir: Path, display: str | None = None, *, known: Known | None = None
) -> tuple[Content | None, list[Problem]]:
    """Read all of content/; return what could be read and every problem.

    Unlike `load_content`, the content comes back even when some files have
    errors (None only without a taxonomy), so checks across papers can still
    run on the rest and one run reports everything.  `known` holds the records
    of paper files that have not changed since they were read (the pipeline's
    memo knows them): those files are not read again.
    """
    problems: list[Problem] = []
    known = known or {}
    root_display = (display or content_dir.as_posix()).rstrip("/")
    taxonomy, tproblems = load_taxonomy(content_dir / TOPICS_FILE, f"{root_display}/{TOPICS_FILE}")
    problems.extend(tproblems)
    topic_ids = taxonomy.ids if taxonomy else ()
    papers: list[Paper] = []
    papers_dir = content_dir / PAPERS_DIR
    files: list[os.DirEntry[str]] = []
    if _folder(papers_dir, f"{root_display}/{PAPERS_DIR}", problems):
        # By name: the order of the paths, without comparing 10,000 Path objects; and the
        # entries know their type without a stat call each.
        with os.scandir(papers_dir) as it:
            files = sorted(it, key=lambda e: e.name)
    by_folded: dict[str, str] = {}
    for entry in files:
        name = entry.name
        shown = f"{root_display}/{PAPERS_DIR}/{name}"
        if name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            problems.append(
                Problem(shown, 1, 1, "folder: folders in papers/ are not read; put paper files in papers/")
            )
            continue
        if not name.endswith(".md"):
            problems.append(Problem(shown, 1, 1, f"file name: {name!r}: paper files must end in .md"))
            continue
        # Two names that differ only by case are one file on macOS and Windows checkouts.
        folded = name.casefold()
        if folded in by_folded:
            problems.append(
                Problem(
                    shown,
                    1,
                    1,
                    f"file name: {name!r} differs only by case from {by_folded[folded]}; "
                    "on case-insensitive file systems they are the same file",
                )
            )
        else:
            by_folded[folded] = shown
        hit = known.get(name)
        paper, pproblems = hit if hit is not None else load_paper(papers_dir / name, shown, topic_ids)
        problems.extend(pproblems)
        if paper is not None:
            papers.append(paper)
    pages: tuple[Page, ...] = ()
    if _folder(content_dir / PAGES_DIR, f"{root_display}/{PAGES_DIR}", problems):
        pages, page_problems = load_pages(content_dir / PAGES_DIR, root_display)
        problems.extend(page_problems)
    # Steps name paper files, not loaded papers: a paper with an error is reported once, in its file.
    slugs = {slug_of(e.name) for e in files if e.name.endswith(".md") and not e.name.startswith(".")}
    paths: tuple[ReadingPath, ...] = ()
    if _folder(content_dir / PATHS_DIR, f"{root_display}/{PATHS_DIR}", problems):
        paths, path_problems = load_paths(content_dir / PATHS_DIR, root_display, slugs)
        problems.extend(path_problems)
    added = _read_ledger(content_dir / LEDGER_FILE, f"{root_display}/{LEDGER_FILE}", problems)
    # One hazard can be found by several checks at one place; report it once.
    problems = sorted(set(problems))
    if taxonomy is None:
        return None, problems
    return Content(taxonomy, tuple(papers), pages, paths, added), problems


def _read_ledger(path: Path, shown: str, problems: list[Problem]) -> tuple[str, ...]:
    """The slugs of the importer's ledger in its order: the order the curator added papers."""
    if not os.path.lexists(path):
        return ()
    rep = Reporter(shown)
    text = read_text(path, rep)
    problems.extend(p for p in rep.problems if not p.message.startswith("file is empty"))
    if text is None:
        return ()
    try:
        return tuple(dict.fromkeys(read_ledger(text).values()))
    except fm.FrontMatterError as exc:
        problems.append(
            Problem(shown, exc.pos.line, exc.pos.col, exc.message.replace("front matter", "ledger"))
        )
        return ()


def load_content(content_dir: Path, display: str | None = None) -> tuple[Content | None, list[Problem]]:
    """Read and check all of content/; return the content (None on errors) and all problems.

    `display` is how paths are shown in messages and recorded in origins
    (default: `content_dir` as given); the build passes the path relative to the
    repository, which is also what edit links need.
    """
    content, problems = read_content(content_dir, display)
    if content is None or any(p.is_error for p in problems):
        return None, problems
    return content, problems
