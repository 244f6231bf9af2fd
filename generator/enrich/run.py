"""The `enrich` command: look the patchy papers up, decide, then write (or only show) the changes.

Nothing is written before every lookup is done, so a run that loses the network
writes nothing; the response cache makes the next run cheap.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import yaml

from .. import frontmatter as fm
from ..load import read_content
from ..model import Paper, Problem
from . import arxiv, crossref, openalex, semanticscholar
from .client import CACHE_DIR, Cache, Client, FetchError, NoNetwork, UrllibTransport
from .edit import Change, write_paper
from .found import SOURCES as SOURCES
from .found import Found
from .match import choose, judge, missing

#: The order outcomes are counted in ("complete": nothing to look up).
OUTCOMES = ("enriched", "unchanged", "not found", "ambiguous", "failed", "complete")
Lookup = Callable[[Client, Paper], tuple[str, list[Found]] | None]


def _lookup(source: str) -> Lookup:
    """By DOI or arXiv id when the paper has one the source can look up, else by title.

    arXiv (the slowest to ask, at one request per 3 s) is searched by title only for a paper
    with no DOI: for a published paper, Semantic Scholar and OpenAlex name its arXiv id.
    """

    def run(client: Client, paper: Paper) -> tuple[str, list[Found]] | None:
        doi, ident = paper.link("doi"), paper.link("arxiv")
        if source == "arxiv":
            if ident:
                return arxiv.by_id(client, ident)
            return None if doi else arxiv.search(client, paper.title)
        if source == "semanticscholar":
            if doi:
                return semanticscholar.by_doi(client, doi)
            return (
                semanticscholar.by_arxiv(client, ident)
                if ident
                else semanticscholar.search(client, paper.title)
            )
        if source == "crossref":
            return crossref.by_doi(client, doi) if doi else crossref.search(client, paper.title)
        return openalex.by_doi(client, doi) if doi else openalex.search(client, paper.title)

    return run


@dataclass
class Result:
    paper: Paper
    outcome: str
    detail: str = ""
    changes: list[Change] = field(default_factory=list)


def read_mailto(root: Path) -> str:
    """The contact address: $ENRICH_MAILTO, else `extra: enrich: mailto:` of mkdocs.yml."""
    if os.environ.get("ENRICH_MAILTO"):
        return os.environ["ENRICH_MAILTO"].strip()
    try:
        config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except (OSError, yaml.YAMLError):
        return ""
    extra = config.get("extra") if isinstance(config, dict) else None
    settings = extra.get("enrich") if isinstance(extra, dict) else None
    mailto = settings.get("mailto") if isinstance(settings, dict) else None
    return str(mailto).strip() if mailto else ""


class _ConfigLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader that reads MkDocs' own tags (!ENV, !!python/name:…) as null."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def today() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def _present(path: Path) -> tuple[str, set[str]]:
    """The file's text and the keys it sets (even empty: an empty key is the curator's choice too)."""
    text = path.read_text(encoding="utf-8")
    return text, {key.text for key, _ in fm.parse(text).meta.entries}


def plan(paper: Paper, path: Path, client: Client, sources: Sequence[str], *, named: bool = False) -> Result:
    """Look one paper up in each source and decide what to fill.

    A paper is looked up when it lacks authors, a year or an identifier (DOI or arXiv id);
    one `named` on the command line, when it lacks any field `enrich` fills.
    """
    _text, keys = _present(path)
    wanted = [f for f in missing(paper) if f not in keys]
    lacking = set(wanted) & {"authors", "year"} or {"doi", "arxiv"} <= set(wanted)
    if not wanted or not (named or lacking):
        return Result(paper, "complete")
    found: dict[str, list[Found]] = {}
    failures = []
    for source in sources:
        try:
            answer = _lookup(source)(client, paper)
        except FetchError as exc:
            failures.append(f"{source}: {exc}")
            continue
        if answer is not None:
            found[source] = answer[1]
    if failures:
        # Filling from the others would break the precedence for good: later runs never overwrite.
        return Result(paper, "failed", "; ".join(failures))
    verdict = judge(paper, found)
    if verdict.ambiguous:
        return Result(paper, "ambiguous", verdict.ambiguous)
    if not verdict.accepted:
        return Result(paper, "not found", f"no record with this title in {', '.join(sources)}")
    chosen = choose(paper, verdict.accepted)
    changes = [Change(name, *chosen[name]) for name in wanted if name in chosen]
    return Result(paper, "enriched" if changes else "unchanged", changes=changes)


def _show(value: object) -> str:
    text = "; ".join(value) if isinstance(value, tuple) else str(value)
    return text if len(text) <= 90 else text[:89] + "…"


def enrich(
    content_dir: Path,
    display: str,
    client: Client,
    *,
    slugs: Sequence[str] = (),
    sources: Sequence[str] = SOURCES,
    dry_run: bool = False,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Run `enrich`; return the exit status."""
    content, problems = read_content(content_dir, display)
    errors = [p for p in problems if p.is_error]
    if content is None or errors:
        for problem in errors:
            print(problem, file=err)
        print("enrich: fix the content errors first (see `validate`); nothing was written", file=err)
        return 1
    by_slug = {p.slug: p for p in content.papers}
    unknown = [s for s in slugs if s not in by_slug]
    if unknown:
        print(f"enrich: no paper with slug {', '.join(map(repr, unknown))}; nothing was written", file=err)
        return 1
    papers = [by_slug[s] for s in slugs] if slugs else list(content.papers)
    results: list[Result] = []
    try:
        for paper in papers:
            path = content_dir / "papers" / f"{paper.slug}.md"
            results.append(plan(paper, path, client, tuple(dict.fromkeys(sources)), named=bool(slugs)))
    except NoNetwork as exc:
        print(f"enrich: no network ({exc}); nothing was written", file=err)
        return 1
    date = today()
    topic_ids = content.taxonomy.ids
    for result in results:
        if result.outcome in ("not found", "ambiguous", "failed"):
            print(f"{result.paper.origin.path}:1:1: enrich: {result.outcome}: {result.detail}", file=err)
        if not result.changes:
            continue
        print(f"{result.paper.origin.path}:", file=out)
        for change in result.changes:
            print(
                f"+ {change.field}: {_show(change.value)}  ({change.found.source} {change.found.source_id})",
                file=out,
            )
        if dry_run:
            continue
        path = content_dir / "papers" / f"{result.paper.slug}.md"
        text, _keys = _present(path)
        refused: list[Problem] = write_paper(
            path, result.paper.origin.path, topic_ids, text, result.changes, date
        )
        if refused:
            for problem in refused:
                print(problem, file=err)
            print(
                f"{result.paper.origin.path}:1:1: enrich: not written, the file would not validate", file=err
            )
            result.outcome = "failed"
    counts = Counter(r.outcome for r in results)
    summary = ", ".join(f"{counts[o]} {o}" for o in OUTCOMES)
    print(f"{summary}{' (dry run: nothing written)' if dry_run else ''}; {client.sent} requests", file=out)
    return 1 if counts["failed"] else 0


def default_client(root: Path) -> tuple[Client, str]:
    """The real client: urllib, the cache under .cache/enrich/, the configured contact."""
    mailto = read_mailto(root)
    return Client(UrllibTransport(), mailto=mailto, cache=Cache(root / CACHE_DIR)), mailto
