"""Command line: `python -m generator COMMAND`."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .build import BuildError, Project, build, check, compute, generate
from .classify import explain
from .frontmatter import FrontMatterError
from .model import Problem
from .progress import Progress
from .write import write_file


def _print_problems(problems: Sequence[Problem], strict: bool) -> int:
    """Print problems; return the exit status they call for."""
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    if problems:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    if errors or (strict and warnings):
        return 1
    return 0


def _today() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def cmd_validate(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    _content, problems = check(project, progress)
    status = _print_problems(problems, args.strict)
    if status == 0:
        print("content is valid", file=sys.stderr)
    return status


def cmd_generate(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    return _run_build(args, project, progress, build_site=False)


def cmd_build(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    return _run_build(args, project, progress, build_site=True)


def _run_build(args: argparse.Namespace, project: Project, progress: Progress, build_site: bool) -> int:
    try:
        _report, warnings = (build if build_site else generate)(project, progress, strict=args.strict)
    except BuildError as exc:
        _print_problems(exc.problems, args.strict)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return _print_problems(warnings, args.strict)


def cmd_import(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from . import importer  # only this command needs it

    dump: Path = args.dump
    try:
        text = dump.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{dump}:1:1: cannot read dump: {exc}", file=sys.stderr)
        return 1
    with progress.stage("parse dump") as line:
        entries, problems = importer.parse_dump(text, dump.as_posix())
        line.detail = f"{len(entries)} papers"
    papers_dir = project.content / "papers"
    added = dt.date.fromisoformat(args.added) if args.added else _today()
    ledger_path = project.root / importer.LEDGER
    ledger: dict[str, str] = {}
    if ledger_path.exists():
        try:
            ledger = importer.read_ledger(ledger_path.read_text(encoding="utf-8"))
        except FrontMatterError as exc:
            problems.append(Problem(importer.LEDGER, exc.pos.line, exc.pos.col, exc.message))
    with progress.stage("plan") as line:
        writes, report, more = importer.plan_import(entries, papers_dir, dump.name, added, ledger)
        problems += more
        writes[ledger_path] = importer.render_ledger(ledger)
        line.detail = report.summary()
    if _print_problems(problems, strict=False):
        print("nothing was written", file=sys.stderr)
        return 1
    with progress.stage("write") as line:
        written = 0
        for i, (path, data) in enumerate(sorted(writes.items())):
            line.tick(i, len(writes))
            written += write_file(path, data)
        line.detail = f"{written} files"
    print(report.summary())
    return 0


def _list_arg(values: list[str] | None) -> tuple[str, ...]:
    """Values of a repeatable option that also takes comma-separated lists."""
    return tuple(v.strip() for value in values or () for v in value.split(",") if v.strip())


def cmd_new(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from . import scaffold  # only this command needs it

    abstract = sys.stdin.read() if args.abstract == "-" else args.abstract
    new = scaffold.NewPaper(
        title=" ".join(args.title.split()),
        abstract=" ".join(abstract.split()),
        added=args.added or _today(),
        slug=args.slug,
        authors=tuple(a.strip() for a in args.author or () if a.strip()),
        year=args.year,
        status=args.status,
        topics=_list_arg(args.topics),
        tags=_list_arg(args.tags),
        url=args.url,
        pdf=args.pdf,
        doi=args.doi,
        arxiv=args.arxiv,
        code=tuple(args.code or ()),
        data=tuple(args.data or ()),
        project=tuple(args.project or ()),
    )
    path, problems = scaffold.scaffold(project.content, new, project.display(project.content))
    if path is None:
        for problem in problems:
            # A problem of the file that was not written points at no real line.
            unwritten = not (project.root / problem.path).exists()
            print(f"error: {problem.message}" if unwritten else problem, file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1
    for problem in problems:
        print(problem, file=sys.stderr)
    print(project.display(path))
    return 0


def cmd_topics(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    content, problems = check(project, Progress(quiet=True))
    if content is None:
        return _print_problems(problems, strict=False) or 1
    # Topic sizes need no related papers: skip computing them.
    site = compute(content, Progress(quiet=True), relate=lambda papers: {})
    if args.explain:
        assignment = site.assignments.get(args.explain)
        if assignment is None:
            print(f"error: no paper with slug {args.explain!r}", file=sys.stderr)
            return 1
        paper = next(p for p in content.papers if p.slug == args.explain)
        for text in explain(paper, assignment, content.taxonomy):
            print(text)
        return 0
    for topic in content.taxonomy.topics:
        print(f"{len(site.members[topic.id]):5d}  {topic.id}  {topic.title}")
    orphans = [s for s, a in site.assignments.items() if not a.topics]
    print(f"{len(orphans)} papers in no topic" + (": " + ", ".join(sorted(orphans)) if orphans else ""))
    return 0


def cmd_enrich(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from .enrich import run  # only this command needs it (and urllib)

    sources = _list_arg(args.source) or run.SOURCES
    unknown = [s for s in sources if s not in run.SOURCES]
    if unknown:
        print(
            f"error: --source: {', '.join(unknown)}: expected some of {','.join(run.SOURCES)}",
            file=sys.stderr,
        )
        return 2
    client, mailto = run.default_client(project.root)
    if not mailto:
        print("warning: no contact address; set extra: enrich: mailto: in mkdocs.yml", file=sys.stderr)
    content = project.content
    return run.enrich(
        content,
        project.display(content),
        client,
        slugs=args.slugs,
        sources=sources,
        dry_run=args.dry_run,
    )


def cmd_serve(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from .serve import serve

    status: int = serve(project, progress, args.dev_addr, dirty=args.dirty)
    return status


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check content/ and report every problem")
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("generate", help="validate, then write the docs tree docs/")
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("build", help="generate, then mkdocs build --strict into site/")
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("import", help="import a paper-listing text dump into content/papers/")
    p.add_argument("dump", type=Path)
    p.add_argument("--added", help="date added for new papers (default: today)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "new",
        help="add a paper: write content/papers/<slug>.md, checked like validate",
        description="Write content/papers/<slug>.md with today's date (SOURCE_DATE_EPOCH if set). "
        "Nothing is written if the file would not validate or the paper is already in the list.",
    )
    p.add_argument("title")
    p.add_argument(
        "--abstract",
        required=True,
        help="the paper's abstract (required; '-' reads it from standard input)",
    )
    p.add_argument("--url", help="link to the paper's page")
    p.add_argument("--pdf", help="link to the PDF")
    p.add_argument("--doi", help="DOI, such as 10.1000/xyz123")
    p.add_argument("--arxiv", help="arXiv id, such as 2401.01234")
    p.add_argument("--code", action="append", metavar="URL", help="link to code (repeatable)")
    p.add_argument("--data", action="append", metavar="URL", help="link to data (repeatable)")
    p.add_argument("--project", action="append", metavar="URL", help="project page (repeatable)")
    p.add_argument("--topics", action="append", metavar="IDS", help="topic ids, comma-separated")
    p.add_argument("--tags", action="append", metavar="TAGS", help="tags, comma-separated")
    p.add_argument("--author", action="append", metavar="NAME", help="an author (repeatable, in order)")
    p.add_argument("--year", type=int, help="year of publication")
    p.add_argument("--status", help="essential, read, reading or to-read")
    p.add_argument("--slug", help="file name without .md (default: made from the title)")
    p.add_argument("--added", type=dt.date.fromisoformat, help="date added, YYYY-MM-DD (default: today)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("topics", help="list topics and their sizes, or explain one paper")
    p.add_argument("--explain", metavar="SLUG", help="show why a paper landed in its topics")
    p.set_defaults(func=cmd_topics)

    p = sub.add_parser(
        "enrich",
        help="fill in missing authors, year, venue, links and abstracts from arXiv, Crossref, OpenAlex "
        "and Semantic Scholar",
    )
    p.add_argument("slugs", nargs="*", metavar="SLUG", help="only these papers (default: all that lack some)")
    p.add_argument("--source", action="append", metavar="NAMES", help="sources to ask, comma-separated")
    p.add_argument("--dry-run", action="store_true", help="show the changes, write nothing")
    p.set_defaults(func=cmd_enrich)

    p = sub.add_parser("serve", help="preview the site with live reload of content/")
    p.add_argument("--dev-addr", default="127.0.0.1:8000")
    p.add_argument(
        "--dirty",
        action="store_true",
        help="let MkDocs rebuild only the pages that changed (fast on big lists; the preview's search "
        "then covers only those pages)",
    )
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    project = Project(args.root.resolve() if args.root else Path.cwd())
    progress = Progress(quiet=args.quiet)
    if args.func is not cmd_serve:
        # A run of one command holds tens of thousands of records that hold no reference
        # cycles; the cycle collector would walk all of them again and again (0.5 s of a
        # 10,000-paper run) to find nothing.  Memory is given back when the command exits.
        # `serve` runs for hours and keeps it.
        gc.disable()
    status: int = args.func(args, project, progress)
    return status
