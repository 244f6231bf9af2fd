"""The pipeline, in one screen: content/ ─load─▶ validate ─▶ classify ─▶ related ─▶ render ─▶ write.

Each stage is a pure function of the records before it, called once, in order.
Phase one loads and validates everything; nothing is written unless it is all
valid.  Every "skip work" decision is the memo's (generator/incremental/):
the same content gives byte-identical files with it and without it.  One run
at a time per project: a second one waits for the first (`lock`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from . import indexing, searchindex, validate
from . import site as mkdocs
from .classify import classify
from .incremental import Inputs, NoMemo
from .incremental.store import gc_paused
from .load import Content, read_content
from .model import Assignment, Problem
from .progress import Progress
from .project import Project as Project  # re-exported: `pipeline.Project` is a stable name
from .render import Site, render_site
from .write import WriteError, WriteReport, remove_leftovers, write_tree

CONTENT = "content"  # content/ as shown in messages and in the pages' edit links


class BuildError(Exception):
    """The build stopped; `problems` says why, when the content is at fault."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@contextlib.contextmanager
def lock(project: Project, progress: Progress) -> Iterator[int]:
    """Hold the project's lock (a second run waits); yield its descriptor for child processes."""
    path = project.root / ".cache" / "generator.lock"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise BuildError(
            f"{path}: cannot take the lock ({exc.strerror}); delete .cache and run again"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("waiting for another run of the generator in this project to finish…", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        # Whatever a killed run left half-done (it held the lock, so nobody else uses these).
        remove_leftovers(project.root, ("docs",))  # also .docs.keep-*: a killed build's snapshot
        mkdocs.recover(project.site)
        remove_leftovers(project.root, ("site",))
        yield fd
    finally:
        os.close(fd)


def check(
    project: Project, progress: Progress, memo: NoMemo | None = None
) -> tuple[Content | None, list[Problem]]:
    """load → validate → classify: every problem of content/, and the content if it has no error."""
    memo = memo or NoMemo()
    inputs = memo.scan(project.content, project.mkdocs_yml)
    content, problems, _, _ = _load(project, progress, memo, inputs)
    if content is None or any(p.is_error for p in problems):
        return None, problems
    known = memo.known_assignments(inputs, content.papers)
    assignments = known | classify([p for p in content.papers if p.slug not in known], content.taxonomy)
    return content, sorted(problems + validate.find_unplaced(content.papers, assignments))


def _load(
    project: Project, progress: Progress, memo: NoMemo, inputs: Inputs
) -> tuple[Content | None, list[Problem], list[Problem], list[Problem]]:
    """load → validate: the content, every problem, the loader's problems, those across papers."""
    with progress.stage("load") as line:
        content, loaded = read_content(project.content, CONTENT, known=memo.known_papers(inputs, CONTENT))
        line.detail = f"{len(content.papers) if content else 0} papers, {len(loaded)} problems"
    problems = list(loaded)
    across: list[Problem] = []
    if content is not None:
        with progress.stage("validate") as line:
            known = memo.known_checks(inputs, content.papers)
            across = validate.check_papers(content.papers) if known is None else list(known)
            more = across + validate.find_broken_links(content)
            problems = sorted(problems + more)
            line.detail = f"{len(more)} problems across papers"
    return content, problems, loaded, across


def generate(
    project: Project, progress: Progress, *, strict: bool = False, memo: NoMemo | None = None
) -> tuple[WriteReport, list[Problem]]:
    """Validate content/ and write docs/ and the nav of mkdocs.yml; raise BuildError on bad content."""
    # No cycle collection while the stages run (incremental.store.gc_paused): a run keeps
    # hundreds of thousands of small objects and makes next to no cycles. At 10,000 papers a
    # notes edit goes from 1.33-1.53 to 1.11-1.39 s of user CPU (3 alternating runs each,
    # same peak memory); a cold run gains nothing measurable.
    with lock(project, progress), gc_paused():
        report, problems, _ = _generate(
            project, progress, strict=strict, memo=memo or NoMemo(), want_site=False
        )
        return report, problems


def _generate(
    project: Project, progress: Progress, *, strict: bool, memo: NoMemo, want_site: bool
) -> tuple[WriteReport, list[Problem], Site | None]:
    with progress.stage("scan") as line:
        inputs = memo.scan(project.content, project.mkdocs_yml)
        kept = memo.unchanged(inputs, project.docs)
        line.detail = f"{len(inputs.files)} content files" + (": nothing changed" if kept is not None else "")
    if kept is not None:
        if strict and kept:
            raise BuildError("content has problems; nothing was written", list(kept))
        site = _known_site(project, progress, memo, inputs) if want_site else None
        return WriteReport(unchanged=len(inputs.files)), list(kept), site
    content, problems, loaded, across = _load(project, progress, memo, inputs)
    if content is None or any(p.is_error for p in problems) or (strict and problems):
        raise BuildError("content has problems; nothing was written", problems)
    config = project.mkdocs_yml.read_text(encoding="utf-8")
    try:
        settings = mkdocs.read_settings(config)
        nav = mkdocs.render_nav(config, content.taxonomy)
    except mkdocs.SiteError as exc:
        raise BuildError(str(exc)) from None
    assignments = _classify(progress, memo, inputs, content)
    unplaced = validate.find_unplaced(content.papers, assignments)
    problems = sorted(problems + unplaced)
    if strict and unplaced:
        raise BuildError("content has problems; nothing was written", problems)
    related = _related(progress, memo, inputs, content)
    site = _site(content, assignments, related, settings, memo.known_cite_keys(inputs, content.papers))
    with progress.stage("render") as line:
        files = render_site(site)
        plan = memo.plan(inputs, settings, files, related, project.docs)
        rendered = {path: files[path]() for path in plan.render}
        line.detail = f"{len(rendered)} of {len(files)} files"
    with progress.stage("write") as line:
        try:
            report = write_tree(rendered, project.docs, keep=plan.keep, tick=line.tick)
        except WriteError as exc:
            raise BuildError(str(exc)) from None
        if mkdocs.write_config(project.mkdocs_yml, nav):
            report.written.append("../mkdocs.yml")
        line.detail = (
            f"{len(report.written)} written, {len(report.deleted)} deleted, {report.unchanged} unchanged"
        )
    memo.save(
        inputs,
        nav.encode("utf-8"),
        CONTENT,
        content.papers,
        loaded,
        across,
        assignments,
        related,
        site.cite_keys,
        report.states,
        problems,
    )
    return report, problems, site


def _site(
    content: Content,
    assignments: Mapping[str, Assignment],
    related: Mapping[str, tuple[str, ...]],
    settings: object,
    cite_keys: Mapping[str, str] | None = None,
) -> Site:
    return Site(
        content.papers,
        content.taxonomy,
        assignments,
        related,
        content.pages,
        **vars(settings),
        paths=content.paths,
        added=content.added,
        known_cite_keys=cite_keys,
    )


def _classify(progress: Progress, memo: NoMemo, inputs: Inputs, content: Content) -> dict[str, Assignment]:
    with progress.stage("classify") as line:
        known = memo.known_assignments(inputs, content.papers)
        assignments = known | classify([p for p in content.papers if p.slug not in known], content.taxonomy)
        line.detail = f"{len(content.papers) - len(known)} papers classified"
    return assignments


def _related(
    progress: Progress, memo: NoMemo, inputs: Inputs, content: Content
) -> Mapping[str, tuple[str, ...]]:
    with progress.stage("related") as line:
        related = memo.known_related(inputs, content.papers)
        line.detail = "as the last run found them" if related is not None else "computed"
        if related is None:
            from .related import find_related  # numpy and scipy: 0.3 s to import, for runs that use them

            related = find_related(content.papers)
    return related


def _known_site(project: Project, progress: Progress, memo: NoMemo, inputs: Inputs) -> Site:
    """The Site of content that docs/ was last generated from (for the search index of a build
    that found nothing to generate): the memo knows most of it."""
    content, problems, _, _ = _load(project, progress, memo, inputs)
    if content is None or any(p.is_error for p in problems):  # the memo said it built cleanly
        raise BuildError("content has problems; nothing was written", problems)
    settings = mkdocs.read_settings(project.mkdocs_yml.read_text(encoding="utf-8"))
    assignments = _classify(progress, memo, inputs, content)
    related = _related(progress, memo, inputs, content)
    return _site(content, assignments, related, settings, memo.known_cite_keys(inputs, content.papers))


def build(project: Project, progress: Progress, *, strict: bool = False) -> tuple[WriteReport, list[Problem]]:
    """generate, then `mkdocs build --strict` into site/; if MkDocs fails, site/, docs/ and
    mkdocs.yml are left as they were before the run.

    The writer never changes a file in place (it writes a new file and renames it over),
    so a tree of hard links is a free snapshot of the previous docs/.
    """
    with lock(project, progress) as fd:
        keep = Path(tempfile.mkdtemp(prefix=".docs.keep-", dir=project.root))
        try:
            if project.docs.is_dir() and not project.docs.is_symlink():
                shutil.copytree(project.docs, keep / "docs", copy_function=os.link)
            config_before = project.mkdocs_yml.read_bytes()
            with gc_paused():
                report, problems, site = _generate(
                    project, progress, strict=strict, memo=project.memo(), want_site=True
                )
                assert site is not None
                documents = [(r.url, searchindex.record_html(r)) for r in searchindex.records(site)]

            def finish(folder: Path) -> None:
                stamp = project.root / ".cache" / "search-index.json"
                indexing.write_search_index(documents, folder, progress, reuse=(project.site, stamp))

            try:
                mkdocs.build(
                    project.root, project.mkdocs_yml, project.site, progress, pass_fds=(fd,), finish=finish
                )
            except BaseException:
                mkdocs.write_config(project.mkdocs_yml, config_before.decode("utf-8"))
                if (keep / "docs").is_dir():
                    mkdocs.swap(keep / "docs", project.docs)
                else:
                    shutil.rmtree(project.docs, ignore_errors=True)
                raise
        except mkdocs.SiteError as exc:
            raise BuildError(str(exc)) from None
        finally:
            shutil.rmtree(keep, ignore_errors=True)
    return report, problems
