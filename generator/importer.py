"""Import a library (text dump, BibTeX, CSL-JSON, RIS) into content/papers/, one file per paper.

Every reader returns `SourceEntry` records (generator.sources); the modules
below merge them into the paper files without ever losing a curator's edit.

The stages, in the order data flows through them:

- `sources` read a file into `SourceEntry` records (`sources.detect` picks the reader);
- `match` cleans the entries, matches each to an existing paper and plans the writes;
- `merge` merges one entry into its paper's file, field by field (per-field ownership);
- `paperfile` renders a new file, rewrites an existing one in place keeping comments,
  and writes the files and the ledger, never half-way;
- `slugs` names a new paper's file after its title.

This module is the command: read, plan, check, then write everything or nothing.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from . import frontmatter as fm
from .match import make_plan
from .model import Problem
from .paperfile import LEDGER, read_ledger, render_ledger, write_plan


def run_import(
    root: Path,
    content: Path,
    path: Path,
    added: dt.date,
    *,
    skip_invalid: bool = False,
    fmt: str | None = None,
) -> int:
    """`python -m generator import FILE`: read, plan, check, then write everything or nothing."""
    from .sources import detect
    from .taxonomy import load_taxonomy

    display = path.as_posix()
    text, problems = detect.read_source(path, display)
    if text is None:
        for problem in problems:
            what = "dump" if path.suffix.lower() == ".txt" else "file"
            print(
                f"{problem.path}:{problem.line}:{problem.col}: cannot read {what}: {problem.message}",
                file=sys.stderr,
            )
        return 1
    fmt = fmt or detect.format_of(path.name, text)
    try:
        reader = detect.reader(fmt)
    except LookupError as exc:
        print(f"{display}:1:1: {exc}", file=sys.stderr)
        return 1
    entries, problems = reader(text, display)
    ledger_path = root / LEDGER
    ledger: dict[str, str] = {}
    fatal: list[Problem] = []
    if ledger_path.exists():
        try:
            ledger = read_ledger(ledger_path.read_text(encoding="utf-8"))
        except fm.FrontMatterError as exc:
            fatal.append(Problem(LEDGER, exc.pos.line, exc.pos.col, exc.message))
    taxonomy, _ = load_taxonomy(content / "topics.yml", "content/topics.yml")
    papers_dir = content / "papers"
    plan = make_plan(
        entries,
        papers_dir,
        path.name,
        added,
        ledger,
        fmt=fmt,
        display=display,
        topic_ids=taxonomy.ids if taxonomy else (),
    )
    fatal += plan.fatal
    problems = sorted({*problems, *plan.problems})
    errors = [p for p in problems if p.is_error]
    for problem in fatal:
        print(problem, file=sys.stderr)
    if fatal or (errors and not skip_invalid) or (errors and not entries):
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(fatal) + len(errors)} error(s); nothing was written", file=sys.stderr)
        if errors and not fatal and entries:
            print(
                "to import the valid entries and skip these, run the import again with --skip-invalid",
                file=sys.stderr,
            )
        return 1
    for problem in problems:
        print(f"skipped: {problem}" if problem.is_error else str(problem), file=sys.stderr)
    plan.report.invalid = errors
    write_plan(papers_dir, plan.writes, ledger_path, render_ledger(plan.ledger))
    print(plan.report.summary())
    return 0
