"""Run the pipeline: load → classify → related → render → write → mkdocs.

Phase one loads and validates everything; nothing is written unless it is
all valid.  Phase two computes and renders the whole docs tree in memory,
then writes only what changed.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import yaml

from . import bibtex, parallel, validate
from .cache import CACHE_DIR, Cache, Inputs, Kept, Related, Reuse, scan, with_mkdocs
from .classify import classify
from .load import PAPERS_DIR, Content, PagesReader, PaperReader, load_pages, read_content, read_paper_file
from .model import Paper, Problem, Taxonomy
from .progress import Progress, StageLine
from .render import Site, paper_path, render_list_files, render_paper_pages, render_related_files
from .write import WriteReport, recover, survey, swap_dirs, write_file, write_tree

Relate = Callable[[Sequence[Paper]], dict[str, tuple[str, ...]]]
#: Paper pages rendered between two updates of the progress bar.
CHUNK = 250


@dataclass(frozen=True)
class Project:
    """Where things live; the defaults are the repository layout."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    def display(self, path: Path) -> str:
        """A path as shown to users and in edit links: relative to the project."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


class BuildError(Exception):
    """The build stopped; `problems` says why, when the content is at fault."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


def check(
    project: Project, progress: Progress, *, read_paper: PaperReader | None = None
) -> tuple[Content | None, list[Problem]]:
    """Load content/ and run every check on it.

    Papers `generate` read before come from its cache unless `read_paper` says
    how to read them (and then nothing comes from the cache); `check` never
    writes the cache.
    """
    if read_paper is not None:
        return _check(project, progress, read_paper, validate.check_collection)
    cache = Cache(project.root / CACHE_DIR)
    inputs = scan(project.content, project.mkdocs_yml, cache.state.seen)
    return _check_cached(project, progress, cache, inputs)


def _check_with(
    project: Project, progress: Progress, cache: Cache, inputs: Inputs
) -> tuple[Content | None, list[Problem]]:
    """`check`, reading what the cache knows from it."""
    display = project.display(project.content)

    def across(content: Content) -> list[Problem]:
        return cache.across(inputs, display, content, validate.check_collection)

    return _check(project, progress, cache.paper_reader(inputs), across, cache.pages_reader(inputs))


def _check(
    project: Project,
    progress: Progress,
    read_paper: PaperReader,
    across: Callable[[Content], list[Problem]],
    read_pages: PagesReader = load_pages,
) -> tuple[Content | None, list[Problem]]:
    with progress.stage("load") as line:
        # Read what can be read even when some files are broken, so the checks across
        # papers run too and one run reports every problem.
        content, problems = read_content(
            project.content,
            project.display(project.content),
            read_paper=_counting(read_paper, project, line),
            read_pages=read_pages,
        )
        line.detail = f"{len(content.papers) if content else 0} papers, {len(problems)} problems"
    if content is not None:
        with progress.stage("validate") as line:
            more = across(content)
            problems = sorted(problems + more)
            line.detail = f"{len(more)} problems across papers"
        if any(p.is_error for p in problems):
            content = None
    return content, problems


def _counting(read_paper: PaperReader, project: Project, line: StageLine) -> PaperReader:
    """`read_paper`, moving the progress bar of `line` along."""
    papers = project.content / PAPERS_DIR
    total = sum(1 for _ in papers.iterdir()) if line.progress.live and papers.is_dir() else 0
    done = 0

    def counted(
        folder: Path, name: str, shown: str, topic_ids: tuple[str, ...]
    ) -> tuple[Paper | None, list[Problem]]:
        nonlocal done
        done += 1
        line.tick(done, total)
        return read_paper(folder, name, shown, topic_ids)

    return counted


def _find_related(papers: Sequence[Paper]) -> dict[str, tuple[str, ...]]:
    # Imported here: numpy and scipy take a while to load, and a cached run never needs them.
    from .related import find_related

    return find_related(papers)


def compute(
    content: Content,
    progress: Progress,
    *,
    site_url: str = "",
    site_name: str = "Reading list",
    relate: Relate | None = _find_related,
) -> Site:
    """Classify, relate and assemble the site model (pure).

    Without `relate`, the site has no related papers (the caller computes them).
    """
    with progress.stage("classify") as line:
        assignments = classify(content.papers, content.taxonomy)
        placed = sum(1 for a in assignments.values() if a.topics)
        line.detail = f"{placed}/{len(assignments)} papers in {len(content.taxonomy.topics)} topics"
    if relate is None:
        return Site(
            content.papers,
            content.taxonomy,
            assignments,
            {},
            content.pages,
            site_url=site_url,
            site_name=site_name,
        )
    with progress.stage("related") as line:
        related = relate(content.papers)
        kept = ", as the last run found them" if isinstance(related, Kept) else ""
        line.detail = f"{len(related)} papers{kept}"
    return Site(
        content.papers,
        content.taxonomy,
        assignments,
        related,
        content.pages,
        site_url=site_url,
        site_name=site_name,
    )


class _MkDocsConfigLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader that reads MkDocs' own tags (!ENV, !!python/name:…) as null."""


_MkDocsConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_MkDocsConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_site_settings(mkdocs_text: str) -> tuple[str, str]:
    """Return mkdocs.yml's `site_url` and `site_name` ("" when unset): feeds and citations need them."""
    try:
        config = yaml.load(mkdocs_text, Loader=_MkDocsConfigLoader)  # a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        raise BuildError(f"mkdocs.yml:{where}: {exc.problem or 'invalid YAML'}") from None
    if not isinstance(config, dict):
        raise BuildError("mkdocs.yml:1:1: expected a mapping of settings")
    # MkDocs refuses a config without site_name; the fallback only serves a half-written file.
    return str(config.get("site_url") or ""), str(config.get("site_name") or "Reading list")


NAV_BEGIN = "    # BEGIN topics: written by `python -m generator generate` from content/topics.yml"
NAV_END = "    # END topics"


def render_nav(mkdocs_text: str, taxonomy: Taxonomy) -> str:
    """Return mkdocs.yml with the topic entries of its nav brought up to date."""
    pattern = re.compile(re.escape(NAV_BEGIN) + r"\n.*?" + re.escape(NAV_END), re.DOTALL)
    if not pattern.search(mkdocs_text):
        raise BuildError(f"mkdocs.yml: the nav has no '{NAV_BEGIN.strip()}' … '{NAV_END.strip()}' block")
    entries = "".join(
        f"    - {_yaml_str(t.title)}: topics/{t.id}.md\n"
        for t in taxonomy.topics  # the curator's order in topics.yml
    )
    return pattern.sub(lambda _: NAV_BEGIN + "\n" + entries + NAV_END, mkdocs_text)


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(
    project: Project, progress: Progress, *, strict: bool = False, swap: bool = True, cached: bool = True
) -> tuple[WriteReport, list[Problem]]:
    """Validate content/ and write the docs tree; raise BuildError on bad content.

    Returns what was written and the warnings found (which fail under `strict`).
    With `cached`, what the last run computed from unchanged inputs is reused
    (see cache.py); the output is the same either way.
    """
    cache = Cache(project.root / CACHE_DIR) if cached else None
    with progress.stage("scan") as line:
        inputs = scan(project.content, project.mkdocs_yml, cache.state.seen if cache else None)
        recover(project.docs)
        on_disk = survey(project.docs)
        line.detail = f"{len(inputs.content)} content files, {len(on_disk)} files in docs/"
        if cache is not None and cache.up_to_date(inputs, on_disk):
            line.detail += ": nothing changed since the last run"
            problems = list(cache.state.problems)
            if strict and problems:
                raise BuildError("content has problems; nothing was written", problems)
            return WriteReport(unchanged=len(on_disk), states=dict(cache.state.outputs)), problems
    content, problems = (
        _check_cached(project, progress, cache, inputs)
        if cache
        else check(project, progress, read_paper=read_paper_file)
    )
    if content is None or (strict and problems):
        raise BuildError("content has problems; nothing was written", problems)
    mkdocs_text = project.mkdocs_yml.read_text(encoding="utf-8")
    site_url, site_name = read_site_settings(mkdocs_text)
    relate: Relate = _find_related
    if cache is not None:
        relate = functools.partial(cache.related, inputs, find=_find_related)
    # A big list whose related papers must be computed: a second process computes them while
    # this one renders the list files.
    beside = (
        len(content.papers) >= parallel.MIN_ITEMS
        and parallel.can_fork()
        and (cache is None or not cache.knows_related(inputs, content.papers))
    )
    site = compute(
        content, progress, site_url=site_url, site_name=site_name, relate=None if beside else relate
    )
    if cache is not None:
        site = dataclasses.replace(
            site, known_cite_keys=cache.cite_keys(inputs, site.papers, bibtex.cite_keys)
        )
    with progress.stage("render") as line:
        nav = render_nav(mkdocs_text, content.taxonomy)
        files, keys, site = _render(site, inputs, cache, on_disk, line, relate if beside else None)
        if beside:
            line.detail += f"; related papers of {len(site.related)} papers computed meanwhile"
            if cache is not None:
                cache.related(inputs, site.papers, find=lambda _: dict(site.related))
    # Runs that parsed many papers save the cache's records in a second process while this one
    # writes docs/ (a small change saves a shard or two: a process would cost more).
    records_saved = (
        parallel.background(functools.partial(cache.save_records, site.papers))
        if cache is not None and keys is not None and cache.parsed >= parallel.MIN_ITEMS
        else None
    )
    try:
        report = _write_stage(project, progress, files, nav, keys, cache, on_disk, swap)
    finally:
        if records_saved is not None:
            records_saved()
    if cache is not None and keys is not None:
        cache.save(
            with_mkdocs(inputs, nav.encode("utf-8")),
            site.papers,
            report.states,
            keys.pages,
            keys.groups,
            problems,
            records=records_saved is None,
        )
    return report, problems


def _write_stage(
    project: Project,
    progress: Progress,
    files: dict[str, str],
    nav: str,
    keys: _Keys | None,
    cache: Cache | None,
    on_disk: dict[str, os.stat_result],
    swap: bool,
) -> WriteReport:
    with progress.stage("write") as line:
        report = write_tree(
            files,
            project.docs,
            swap=swap,
            keep=keys.kept if keys else (),
            known=cache.state.outputs if cache else None,
            on_disk=on_disk,
            tick=line.tick,
        )
        if write_file(project.mkdocs_yml, nav):
            report.written.append("../mkdocs.yml")
        line.detail = (
            f"{len(report.written)} written, {len(report.deleted)} deleted, {report.unchanged} unchanged"
        )
    return report


def _check_cached(
    project: Project, progress: Progress, cache: Cache, inputs: Inputs
) -> tuple[Content | None, list[Problem]]:
    """`check`, with the papers the cache knows read from it, and many new ones read in two processes."""
    with progress.stage("cache") as line:
        unread = cache.unread(inputs)
        line.detail = f"{len(inputs.heads) - len(unread)} of {len(inputs.heads)} paper files known"
    if len(unread) >= parallel.MIN_ITEMS and parallel.can_fork():
        with progress.stage("parse") as line:
            cache.prefetch(project.content, project.display(project.content), inputs, unread)
            line.detail = f"{len(unread)} papers read and classified in two processes"
    return _check_with(project, progress, cache, inputs)


@dataclass(frozen=True)
class _Keys:
    """The cache keys of what was rendered, and the files of docs/ kept as they were."""

    pages: dict[str, bytes]
    groups: dict[str, tuple[bytes, tuple[str, ...]]]
    kept: frozenset[str]


#: The files other than paper pages, in groups rendered together, in the order of render_site,
#: with what a group costs to render in paper pages per paper of the list (measured at 10,000):
#: a forked child that renders the groups takes that many fewer pages.
GROUPS: tuple[tuple[str, Callable[[Site], dict[str, str]], float], ...] = (
    ("lists", render_list_files, 0.7),
    ("related", render_related_files, 0.15),
)


@dataclass(frozen=True)
class _Plan:
    """What to render: the groups and paper pages whose keys changed, with every key."""

    pages: dict[str, bytes]
    keys: dict[str, bytes]
    reuse: Reuse | None
    groups: list[str]
    papers: list[Paper]


def _plan(site: Site, inputs: Inputs, cache: Cache | None, on_disk: dict[str, os.stat_result]) -> _Plan:
    """The files whose inputs changed since the last run (all of them without a cache)."""
    if cache is None:
        return _Plan({}, {}, None, [name for name, _, _ in GROUPS], list(site.papers))
    catalogue = inputs.catalogue(site.site_url, site.site_name)
    pages = {
        paper_path(p.slug): Cache.page_key(
            catalogue, inputs.paper(f"{p.slug}.md"), site.related.get(p.slug, ())
        )
        for p in site.papers
    }
    # List files show no notes and no related papers; papers.json shows related papers.
    keys = {"lists": Cache.group_key(catalogue), "related": Cache.group_key(catalogue, site.related)}
    reuse = cache.reuse(pages, keys, on_disk)
    stale = [name for name, _, _ in GROUPS if name not in reuse.groups]
    papers = [p for p in site.papers if paper_path(p.slug) not in reuse.pages]
    return _Plan(pages, keys, reuse, stale, papers)


def _render(
    site: Site,
    inputs: Inputs,
    cache: Cache | None,
    on_disk: dict[str, os.stat_result],
    line: StageLine,
    relate: Relate | None = None,
) -> tuple[dict[str, str], _Keys | None, Site]:
    """Render the files whose inputs changed since the last run (all of them without a cache).

    With `relate`, `site` has no related papers yet: a second process computes them
    while this one renders the list files (which never show them), then both render
    the rest.  Returns the files, their cache keys and the site with its related papers.
    """
    if relate is None:
        plan = _plan(site, inputs, cache, on_disk)
        rendered = _render_files(site, plan.groups, plan.papers, line)
    else:
        site, plan, rendered = _render_beside(site, relate, inputs, cache, on_disk, line)
    files, paths = _assemble(rendered, plan.groups)
    if cache is None or plan.reuse is None:
        line.detail = f"{len(files)} files"
        return files, None, site
    reuse, keys = plan.reuse, plan.keys
    groups = {name: (keys[name], cache.state.groups[name][1]) for name in reuse.groups}
    groups.update({name: (keys[name], paths[name]) for name in plan.groups})
    kept = (set(reuse.pages) | {rel for name in reuse.groups for rel in groups[name][1]}) - files.keys()
    line.detail = f"{len(files)} files, {len(kept)} unchanged since the last run"
    return files, _Keys(plan.pages, groups, frozenset(kept)), site


Rendered = list[tuple[str, str, str]]  # (group, or "" for a paper page; path; text)


class _Ticker(Protocol):
    def tick(self, done: int, total: int) -> None: ...


def _render_items(site: Site, items: Sequence[Paper | str], line: _Ticker | None) -> Rendered:
    renderers = {name: render for name, render, _ in GROUPS}
    out: Rendered = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            out += [(item, rel, text) for rel, text in renderers[item](site).items()]
            continue
        if line is not None and i % CHUNK == 0:
            line.tick(i, len(items))
        out += [("", rel, text) for rel, text in render_paper_pages(site, [item]).items()]
    return out


def _render_files(site: Site, groups: Sequence[str], papers: Sequence[Paper], line: StageLine) -> Rendered:
    """The files of `groups` and the pages of `papers`.

    A big job is shared with a forked child: it takes the groups, and as many pages
    as leave both processes about the same work.
    """
    costs = {name: cost for name, _, cost in GROUPS}
    weight = sum(costs[name] for name in groups) * len(site.papers)
    mine = min(len(papers), round((len(papers) + weight) / 2))  # pages this process renders
    items: list[Paper | str] = [*papers[:mine], *groups, *papers[mine:]]

    def render(share: Sequence[Paper | str]) -> Rendered:
        scaled = _Scaled(line, len(items), len(share))
        return _render_items(site, share, scaled)

    return parallel.halves(render, items, middle=mine)


class _Scaled:
    """A progress line that shows one process's share of the items as the whole."""

    def __init__(self, line: StageLine, total: int, share: int) -> None:
        self.line, self.total, self.share = line, total, share

    def tick(self, done: int, _total: int) -> None:
        self.line.tick(done * self.total // max(self.share, 1), self.total)


def _render_beside(
    site: Site,
    relate: Relate,
    inputs: Inputs,
    cache: Cache | None,
    on_disk: dict[str, os.stat_result],
    line: StageLine,
) -> tuple[Site, _Plan, Rendered]:
    """`_render` with the related papers computed in a forked child meanwhile (see there)."""
    lists_kept = (
        cache is not None
        and "lists"
        in cache.reuse(
            {}, {"lists": Cache.group_key(inputs.catalogue(site.site_url, site.site_name))}, on_disk
        ).groups
    )
    plans: dict[bool, _Plan] = {}

    def meanwhile() -> Rendered:
        return [] if lists_kept else _render_items(site, ["lists"], None)

    def work(related: Related, second: bool) -> Rendered:
        full = dataclasses.replace(site, related=related)
        plan = plans[second] = _plan(full, inputs, cache, on_disk)
        half = len(plan.papers) // 2
        if second:  # the child, which computed the related papers meanwhile: half of the pages
            return _render_items(full, plan.papers[half:], None)
        # This process, which rendered the list files meanwhile (in about the time of the related
        # papers): the other half, and papers.json.
        share: list[Paper | str] = [*plan.papers[:half], *(g for g in plan.groups if g != "lists")]
        return _render_items(full, share, _Scaled(line, len(share), half))

    related, lists, rest = parallel.relay(lambda: relate(site.papers), meanwhile, work)
    plan = plans[False]
    if lists_kept:  # the plan's own reuse check says the same; keep the two in step
        assert "lists" not in plan.groups
    return dataclasses.replace(site, related=related), plan, lists + rest


def _assemble(rendered: Rendered, groups: Sequence[str]) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """The files as render_site orders them (the groups in order, then the pages, which win
    over a file of the same path), and the paths of each group."""
    files: dict[str, str] = {}
    paths = {name: tuple(rel for group, rel, _ in rendered if group == name) for name in groups}
    for name in groups:
        files.update((rel, text) for group, rel, text in rendered if group == name)
    files.update((rel, text) for group, rel, text in rendered if not group)
    return files, paths


def mkdocs_build(project: Project, progress: Progress) -> None:
    """Run `mkdocs build --strict` into a directory beside site/, then swap it in."""
    recover(project.site)
    tmp = project.site.with_name(f".{project.site.name}.new")
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "0")
    with progress.stage("mkdocs build") as line:
        cmd = [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            # Not --quiet: it hides warnings from the counter --strict fails on.
            "--config-file",
            str(project.mkdocs_yml),
            "--site-dir",
            str(tmp),
        ]
        pages = 0
        if line.progress.live:
            # MkDocs' debug log names each page as it reads it and as it builds it: the bar.
            cmd.append("--verbose")
            pages = sum(1 for _ in project.docs.rglob("*.md"))
        output: list[str] = []
        done = 0
        with subprocess.Popen(
            cmd,
            cwd=project.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            env=env,
        ) as proc:
            assert proc.stdout is not None
            for text in proc.stdout:
                if text.startswith("DEBUG"):
                    if " Reading: " in text or " Building page " in text:
                        done += 1
                        line.tick(done, 2 * pages)
                    continue
                output.append(text.rstrip("\n"))
        if proc.returncode != 0:
            shutil.rmtree(tmp, ignore_errors=True)
            problems = [text for text in output if text.startswith(("WARNING", "ERROR"))]
            detail = "\n".join(problems) or "\n".join(output).strip()
            raise BuildError(f"mkdocs build --strict failed; site/ is unchanged:\n{detail}")
        swap_dirs(tmp, project.site)
        line.detail = "site/ updated"


def build(project: Project, progress: Progress, *, strict: bool = False) -> tuple[WriteReport, list[Problem]]:
    """Generate docs/, then build site/ with mkdocs; if mkdocs fails, put docs/ back as it was.

    The writer never changes a file in place (it writes a new file and renames it),
    so a tree of hard links is a free snapshot of the previous docs/.
    """
    keep = project.docs.with_name(f".{project.docs.name}.keep")
    shutil.rmtree(keep, ignore_errors=True)
    if project.docs.is_dir():
        shutil.copytree(project.docs, keep, copy_function=os.link)
    mkdocs_before = project.mkdocs_yml.read_text(encoding="utf-8")
    try:
        result = generate(project, progress, strict=strict)
        try:
            mkdocs_build(project, progress)
        except BaseException:
            write_file(project.mkdocs_yml, mkdocs_before)
            if keep.is_dir():
                swap_dirs(keep, project.docs)
            else:
                shutil.rmtree(project.docs, ignore_errors=True)
            raise
    finally:
        shutil.rmtree(keep, ignore_errors=True)
    return result
