"""Read the reading paths of content/paths/<id>.yml into `ReadingPath` records.

A path is a curator's reading order through papers of the list:

    title: Quantum error correction from scratch
    description: What to read, in order, to understand surface codes.
    steps:
      - paper: surface-codes-towards-practical-large-scale-quantum-computation
        why: The standard introduction; read sections 1 to 5 first.

The schema is an allow-list: an unknown key, a slug that names no paper file
and a paper listed twice are errors at their `path:line:col`.  `why` is plain
text (the renderer escapes it), one or two sentences.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from . import frontmatter as fm
from .fields import SLUG_RE, Reporter, describe, read_safe_text, read_string, suggest
from .files import read_text
from .frontmatter import FrontMatterError, Map, Node, Seq
from .layout import PATH_SUFFIX, PATHS_DIR
from .model import Origin, Position, Problem, ReadingPath, Step

PATH_FIELDS = ("title", "description", "steps")
STEP_FIELDS = ("paper", "why")
#: Path ids whose page would take the place of a generated one (paths/index.md).
RESERVED_PATH_IDS = ("index",)
#: The longest `why` a step may carry: a sentence or two, shown beside the paper.
WHY_LIMIT = 300


def load_path(path: Path, display: str, slugs: Collection[str]) -> tuple[ReadingPath | None, list[Problem]]:
    """Read one path file; `slugs` are the papers of the list (their file names without .md)."""
    rep = Reporter(display)
    path_id = path.name.removesuffix(PATH_SUFFIX)
    if not SLUG_RE.match(path_id):
        rep.error(
            Position(1, 1),
            f"file name: {path.name!r} is not a valid path id; "
            "use lowercase letters, digits and single hyphens, such as 'quantum-error-correction.yml'",
        )
    elif path_id in RESERVED_PATH_IDS:
        rep.error(Position(1, 1), f"file name: {path.name!r} would replace the list of paths; choose another")
    text = read_text(path, rep)
    if text is None:
        # read_text speaks of papers; an empty path file needs title, description and steps.
        return None, [
            p
            if not p.message.startswith("file is empty")
            else Problem(p.path, p.line, p.col, "file is empty; a path needs title, description and steps")
            for p in rep.problems
        ]
    try:
        root, duplicates = fm.parse_mapping(text)
    except FrontMatterError as exc:
        rep.error(exc.pos, exc.message.replace("front matter: ", "path: "))
        return None, rep.problems
    for name, first, second in duplicates:
        rep.error(second, f"{name}: duplicate key, also set on line {first.line}")
    _refuse_unknown(rep, root, PATH_FIELDS, "", "a path")
    values: dict[str, str | None] = {}
    for name in ("title", "description"):
        node = root.get(name)
        if node is None:
            rep.error(Position(1, 1), f"{name}: required field is missing; add '{name}: …' to the file")
            values[name] = None
        else:
            # Titles go into the nav and page titles (which the theme prints unescaped): one plain line.
            values[name] = read_safe_text(rep, name, node, plain_only=True, one_line=name == "title")
    steps = _steps(rep, root.get("steps"), slugs)
    if any(p.is_error for p in rep.problems):
        return None, rep.problems
    origin = Origin(display, tuple((k.text, k.pos.line, k.pos.col) for k, _ in root.entries))
    return ReadingPath(path_id, str(values["title"]), str(values["description"]), steps, origin), rep.problems


def _refuse_unknown(rep: Reporter, node: Map, allowed: tuple[str, ...], prefix: str, what: str) -> None:
    for key, _ in node.entries:
        if key.text not in allowed:
            rep.error(
                key.pos,
                f"{prefix}{key.text}: unknown field of {what}; expected {', '.join(allowed)}"
                + suggest(key.text, allowed),
            )


def _steps(rep: Reporter, node: Node | None, slugs: Collection[str]) -> tuple[Step, ...]:
    if node is None:
        rep.error(
            Position(1, 1), "steps: required field is missing; add 'steps:' with '- paper: <slug>' items"
        )
        return ()
    if not isinstance(node, Seq) or not node.items:
        rep.error(node.pos, f"steps: expected a list of '- paper: <slug>' items, found {describe(node)}")
        return ()
    out: list[Step] = []
    seen: dict[str, int] = {}
    for item in node.items:
        if not isinstance(item, Map):
            rep.error(item.pos, f"steps: expected 'paper: <slug>' (and 'why: …'), found {describe(item)}")
            continue
        _refuse_unknown(rep, item, STEP_FIELDS, "steps: ", "a step")
        pnode = item.get("paper")
        slug = read_string(rep, "steps: paper", pnode) if pnode is not None else None
        if pnode is None:
            rep.error(item.pos, "steps: paper: missing; each step names a paper by its slug")
        elif slug is not None:
            if slug not in slugs:
                rep.error(
                    pnode.pos,
                    f"steps: paper: {slug!r} is not a paper of the list (no content/papers/{slug}.md)"
                    + suggest(slug, sorted(slugs)),
                )
            elif slug in seen:
                rep.error(pnode.pos, f"steps: paper: {slug!r} is listed twice (first on line {seen[slug]})")
            else:
                seen[slug] = pnode.pos.line
        why = ""
        wnode = item.get("why")
        if wnode is not None:
            why = read_safe_text(rep, "steps: why", wnode, plain_only=True) or ""
            why = " ".join(why.split())
            if len(why) > WHY_LIMIT:
                rep.error(
                    wnode.pos,
                    f"steps: why: {len(why)} characters, over the limit of {WHY_LIMIT}; "
                    "say in a sentence or two why to read this paper here",
                )
        if slug is not None:
            out.append(Step(slug, why))
    if out and len(out) < 2:
        rep.warn(node.pos, "steps: a path of one paper is no path; add the papers to read next")
    return tuple(out)


def load_paths(
    paths_dir: Path, root_display: str, slugs: Collection[str]
) -> tuple[tuple[ReadingPath, ...], list[Problem]]:
    """Read every path of content/paths/, by file name."""
    found: list[ReadingPath] = []
    problems: list[Problem] = []
    if not paths_dir.is_dir():
        return (), problems
    with os.scandir(paths_dir) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        shown = f"{root_display}/{PATHS_DIR}/{entry.name}"
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            problems.append(Problem(shown, 1, 1, f"folder: folders in {PATHS_DIR}/ are not read"))
        elif not entry.name.endswith(PATH_SUFFIX):
            problems.append(
                Problem(shown, 1, 1, f"file name: {entry.name!r}: path files must end in {PATH_SUFFIX}")
            )
        else:
            reading_path, found_problems = load_path(paths_dir / entry.name, shown, slugs)
            problems.extend(found_problems)
            if reading_path is not None:
                found.append(reading_path)
    return tuple(found), problems
