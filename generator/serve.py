"""Preview the site: `mkdocs serve` on docs/, regenerating docs/ when content/ changes.

The generator writes only the files whose content changed, in place (and,
with its cache, renders only those), so MkDocs' own watcher sees exactly
those and reloads the browser.

MkDocs then rebuilds the whole site, which takes minutes at 10,000 papers.
`--dirty` passes MkDocs' own option, which rebuilds only the pages whose
files changed: fast, but the preview's search index then holds only the
pages rebuilt since it started, and pages that were not rebuilt keep their old
navigation (a renamed or added topic).  That is fine for reading a page you
edit, and wrong for anything else, so it is not the default.

The preview has no search index: Pagefind indexes the site in `build`, after MkDocs,
and `mkdocs serve` builds on its own. Its search box says so instead of searching.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from .pipeline import BuildError, Project, generate
from .progress import Progress

POLL_SECONDS = 0.5


def snapshot(*paths: Path) -> dict[str, tuple[int, int, int]]:
    """(mtime, ctime, size) of every file at or below `paths`."""
    out: dict[str, tuple[int, int, int]] = {}

    def visit(path: str) -> None:
        try:
            st = os.stat(path)
        except OSError:
            return
        if os.path.isdir(path):
            with os.scandir(path) as entries:
                for entry in entries:
                    visit(entry.path)
        else:
            out[path] = (st.st_mtime_ns, st.st_ctime_ns, st.st_size)

    for path in paths:
        visit(str(path))
    return out


def regenerate(project: Project, progress: Progress) -> bool:
    """Regenerate docs/ in place; print problems instead of stopping."""
    try:
        generate(project, progress, memo=project.memo())
    except BuildError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"error: {exc} (the preview keeps the last good version)", file=sys.stderr)
        return False
    return True


def watch(project: Project, progress: Progress, stop: threading.Event) -> None:
    # mkdocs.yml too: its site_url and site_name reach feeds and citations.
    before = snapshot(project.content, project.mkdocs_yml)
    while not stop.wait(POLL_SECONDS):
        now = snapshot(project.content, project.mkdocs_yml)
        if now != before:
            print("content/ changed: regenerating", file=sys.stderr)
            regenerate(project, progress)
            # What generate wrote itself, the nav in mkdocs.yml, is no change to react to.
            before = {**now, **snapshot(project.mkdocs_yml)}


def mkdocs_serve_command(project: Project, dev_addr: str, dirty: bool) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "--dev-addr",
        dev_addr,
        "--config-file",
        str(project.mkdocs_yml),
    ]
    # A dirty build warns that it is one, which `strict: true` turns into a failure; `build`
    # stays strict, and that is where warnings must fail.
    return [*cmd, "--dirty", "--no-strict"] if dirty else cmd


def serve(project: Project, progress: Progress, dev_addr: str, dirty: bool = False) -> int:
    if not regenerate(project, progress):
        return 1
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(project, progress, stop), daemon=True)
    watcher.start()
    try:
        return subprocess.call(mkdocs_serve_command(project, dev_addr, dirty), cwd=project.root)
    except KeyboardInterrupt:
        return 0
    finally:
        stop.set()
