"""Read the hand-written pages of content/pages/ into `Page` records."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .fields import SLUG_RE, Reporter, check_body, describe, locate, read_safe_text, read_string, suggest
from .files import parse_file
from .frontmatter import Map, Node, Scalar, Seq
from .layout import PAGES_DIR
from .model import PAGE_HIDE, Origin, Page, Position, Problem

#: The front matter a hand-written page may carry (see `load_page`).
PAGE_FIELDS = ("title", "description", "hide")
#: Fields the generator writes into a page's front matter: a curator who sets one is told so.
GENERATED_PAGE_FIELDS = ("source", "template")
#: Page names that would take the place of a generated page (index.md, tags.md), or of a
#: folder of them (with directory URLs, papers.md would be served at papers/ too).
RESERVED_PAGE_NAMES = ("index", "my-list", "papers", "paths", "tags", "topics")


def _hide(rep: Reporter, node: Node) -> tuple[str, ...]:
    """Read `hide`: a list of parts of Material's layout, from a fixed list."""
    if isinstance(node, Map) or (isinstance(node, Scalar) and not node.text):
        rep.error(node.pos, f"hide: expected a list of {', '.join(PAGE_HIDE)}, found {describe(node)}")
        return ()
    out: list[str] = []
    for item in node.items if isinstance(node, Seq) else (node,):
        value = read_string(rep, "hide", item)
        if value is None:
            continue
        if value not in PAGE_HIDE:
            rep.error(
                item.pos,
                f"hide: {value!r} cannot be hidden; expected one of {', '.join(PAGE_HIDE)}"
                + suggest(value, PAGE_HIDE),
            )
        elif value in out:
            rep.error(item.pos, f"hide: {value!r} is listed twice")
        else:
            out.append(value)
    return tuple(out)


_HANDLER_RE = re.compile(r"\bon[a-z]+\s*=", re.IGNORECASE)


def _page_text(rep: Reporter, name: str, node: Node) -> str | None:
    """Read a page's title or description: plain text, which is all they need.

    Material prints both unescaped (the renderer escapes them); a value such as
    '" onmouseover="…' has no use but to break out of an HTML attribute.
    """
    value = read_safe_text(rep, name, node, plain_only=True)
    handler = _HANDLER_RE.search(value) if value is not None else None
    if handler is None or not isinstance(node, Scalar):
        return value
    rep.error(
        locate(rep, node, handler.group(0)),
        f"{name}: {handler.group(0)!r} reads as an HTML event handler; "
        "plain text needs no '=' right after such a word",
    )
    return None


def load_page(path: Path, display: str) -> tuple[Page | None, list[Problem]]:
    """Read one hand-written page; return the record (or None) and its problems.

    Pages reach every reader of the site, so their front matter is an allow-list
    (PAGE_FIELDS): what the theme or MkDocs would act on (`template`, `source`,
    `paper`, `search`, …) is the generator's to write, never the curator's.
    """
    rep = Reporter(display)
    stem = path.name.removesuffix(".md")
    if not SLUG_RE.match(stem):
        rep.error(
            Position(1, 1),
            f"file name: {path.name!r} is not a valid page name; "
            "use lowercase letters, digits and single hyphens, such as 'about.md'",
        )
    elif stem in RESERVED_PAGE_NAMES:
        rep.error(
            Position(1, 1),
            f"file name: {path.name!r} would replace a generated page; choose another name",
        )
    doc = parse_file(path, rep)
    if doc is None:
        return None, rep.problems
    values: dict[str, str | None] = {}
    hide: tuple[str, ...] = ()
    positions: list[tuple[str, int, int]] = []
    for key, node in doc.meta.entries:
        name = key.text
        positions.append((name, key.pos.line, key.pos.col))
        if name not in PAGE_FIELDS:
            hint = " (the generator sets it)" if name in GENERATED_PAGE_FIELDS else suggest(name, PAGE_FIELDS)
            rep.error(key.pos, f"{name}: unknown field for a page; allowed: {', '.join(PAGE_FIELDS)}{hint}")
        elif name == "hide":
            hide = _hide(rep, node)
        else:
            values[name] = _page_text(rep, name, node)
    if doc.meta.get("title") is None:
        rep.error(Position(1, 1), "title: required field is missing; add 'title: …' to the metadata")
    check_body(rep, doc.body, doc.body_line, "page")
    if any(p.is_error for p in rep.problems):
        return None, rep.problems
    page = Page(
        name=path.name,
        title=str(values["title"]),
        description=values.get("description"),
        body=doc.body,
        origin=Origin(display, tuple(positions), doc.body_line),
        hide=hide,
    )
    return page, rep.problems


def load_pages(pages_dir: Path, root_display: str) -> tuple[tuple[Page, ...], list[Problem]]:
    """Read the hand-written pages of content/pages/, by file name."""
    pages: list[Page] = []
    problems: list[Problem] = []
    entries: list[os.DirEntry[str]] = []
    if pages_dir.is_dir():
        with os.scandir(pages_dir) as it:
            entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        shown = f"{root_display}/{PAGES_DIR}/{entry.name}"
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            problems.append(Problem(shown, 1, 1, "folder: folders in pages/ are not read"))
        elif not entry.name.endswith(".md"):
            problems.append(Problem(shown, 1, 1, f"file name: {entry.name!r}: page files must end in .md"))
        else:
            page, found = load_page(pages_dir / entry.name, shown)
            problems.extend(found)
            if page is not None:
                pages.append(page)
    return tuple(pages), problems
