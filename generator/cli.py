"""Command line: `python -m generator COMMAND`."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .model import Problem
from .progress import Progress
from .project import Project
from .write import write_file

# The pipeline (and classify) are imported by the commands that run it: `import` and `new`
# start without loading the renderer, the search index and MkDocs' helpers.


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
    from .pipeline import check

    _content, problems = check(project, progress, project.memo())
    status = _print_problems(problems, args.strict)
    if status == 0:
        print("content is valid", file=sys.stderr)
    return status


def cmd_generate(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    return _run_build(args, project, progress, build_site=False)


def cmd_build(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    return _run_build(args, project, progress, build_site=True)


def _run_build(args: argparse.Namespace, project: Project, progress: Progress, build_site: bool) -> int:
    from .pipeline import BuildError, build, generate

    try:
        if build_site:
            _report, warnings = build(project, progress, strict=args.strict)
        else:
            _report, warnings = generate(project, progress, strict=args.strict, memo=project.memo())
    except BuildError as exc:
        _print_problems(exc.problems, args.strict)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return _print_problems(warnings, args.strict)


def cmd_import(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from . import importer  # only this command needs it

    added = dt.date.fromisoformat(args.added) if args.added else _today()
    return importer.run_import(
        project.root, project.content, args.file, added, skip_invalid=args.skip_invalid, fmt=args.format
    )


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
        summary=args.summary,
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


def cmd_topics_suggest(args: argparse.Namespace, project: Project) -> int:
    from . import suggest  # only this command needs it

    target = project.content / "topics.yml"
    if args.write and target.exists() and not args.force:
        print(f"error: {target}: exists; --force replaces it with the draft", file=sys.stderr)
        return 1
    papers, problems = suggest.load_papers(project.content, project.display(project.content))
    if _print_problems(problems, strict=False):
        return 1
    if not papers:
        print("error: no papers to suggest topics for; import some first", file=sys.stderr)
        return 1
    draft = suggest.suggest(papers)
    text = suggest.render(draft, len(papers))
    if args.write:
        write_file(target, text)
        print(f"wrote {target}", file=sys.stderr)
    else:
        print(text, end="")
    print(
        f"{len(draft.taxonomy.topics)} topics for {len(papers)} papers; {draft.added_rules} rule(s) added so "
        f"every paper has a topic; {len(draft.uncovered)} paper(s) in none"
        + (": " + ", ".join(draft.uncovered) if draft.uncovered else ""),
        file=sys.stderr,
    )
    return 0


def cmd_topics(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    if args.action == "suggest":
        return cmd_topics_suggest(args, project)
    if args.write or args.force:
        print("error: --write and --force go with 'topics suggest'", file=sys.stderr)
        return 2
    from .classify import classify, explain
    from .pipeline import check

    content, problems = check(project, Progress(quiet=True), project.memo())
    if content is None:
        return _print_problems(problems, strict=False) or 1
    assignments = classify(content.papers, content.taxonomy)
    if args.explain:
        assignment = assignments.get(args.explain)
        if assignment is None:
            print(f"error: no paper with slug {args.explain!r}", file=sys.stderr)
            return 1
        paper = next(p for p in content.papers if p.slug == args.explain)
        for text in explain(paper, assignment, content.taxonomy):
            print(text)
        return 0
    for topic in content.taxonomy.topics:
        size = sum(1 for a in assignments.values() if topic.id in a.topics)
        print(f"{size:5d}  {topic.id}  {topic.title}")
    orphans = [s for s, a in assignments.items() if not a.topics]
    print(f"{len(orphans)} papers in no topic" + (": " + ", ".join(sorted(orphans)) if orphans else ""))
    return 0


def cmd_review(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from . import review  # only this command needs it (and git)

    try:
        report = review.run(project.root, args.base, preview_url=args.preview_url, fmt=args.format)
    except review.ReviewError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(report)
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


def cmd_init(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from . import init  # only this command needs it

    source: Path | None = args.source.resolve() if args.source else None
    quiet = ["-q"] if args.quiet else []

    def run_import(root: Path) -> int:
        return main(["--root", str(root), *quiet, "import", str(source)])

    try:
        init.init_list(
            args.dir, title=args.title, url=args.url, repo=args.repo, after=run_import if source else None
        )
    except init.InitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.dir}: a new reading list; build it with: cd {args.dir} && make site")
    return 0


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

    p = sub.add_parser(
        "import",
        help="import a library (.bib, CSL-JSON .json, .ris, or a .txt dump) into content/papers/",
        description="Add or update one file per entry in content/papers/; a curator's edits are kept. "
        "The format comes from the extension, or from the content when the extension says nothing. "
        "Bad input writes nothing, unless --skip-invalid.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--added", help="date added for new papers (default: today)")
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the valid entries, list the invalid ones with their positions, and exit 0",
    )
    p.add_argument("--format", choices=("dump", "bib", "csl", "ris"), help="format of FILE, if not guessed")
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
    p.add_argument("--summary", help="the takeaway in one sentence of plain text")
    p.add_argument("--slug", help="file name without .md (default: made from the title)")
    p.add_argument("--added", type=dt.date.fromisoformat, help="date added, YYYY-MM-DD (default: today)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("topics", help="list topics and their sizes, explain one paper, or suggest topics")
    p.add_argument(
        "action", nargs="?", choices=["suggest"], help="suggest: draft a topics.yml from the papers"
    )
    p.add_argument("--explain", metavar="SLUG", help="show why a paper landed in its topics")
    p.add_argument("--write", action="store_true", help="suggest: write content/topics.yml (not print it)")
    p.add_argument("--force", action="store_true", help="suggest: replace an existing content/topics.yml")
    p.set_defaults(func=cmd_topics)

    p = sub.add_parser(
        "review",
        help="report what content/ changes against a git ref: papers, duplicates, topics, related papers",
    )
    p.add_argument("--base", required=True, metavar="REF", help="the commit to compare with (origin/main)")
    p.add_argument("--preview-url", default="", metavar="URL", help="link each paper to its page under URL")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    p.set_defaults(func=cmd_review)

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

    p = sub.add_parser("init", help="start a new reading list in a new or empty folder")
    p.add_argument("dir", type=Path)
    p.add_argument("--title", required=True, help="the list's name (mkdocs.yml site_name)")
    p.add_argument("--url", help="where the site will be published (site_url)")
    p.add_argument("--repo", metavar="OWNER/NAME", help="its GitHub repository (edit buttons, links)")
    p.add_argument("--from", dest="source", type=Path, metavar="FILE", help="import FILE into it")
    p.set_defaults(func=cmd_init)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    project = Project(args.root.resolve() if args.root else Path.cwd())
    progress = Progress(quiet=args.quiet)
    status: int = args.func(args, project, progress)
    return status
