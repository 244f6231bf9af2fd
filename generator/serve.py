"""Preview the site: `mkdocs serve` on docs/, regenerating docs/ when content/ changes.

The generator writes only the files whose content changed, in place, so
MkDocs' own watcher sees exactly those and reloads the browser.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from .build import BuildError, Project, generate
from .progress import Progress

POLL_SECONDS = 0.5


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file below `folder`."""
    out = {}
    for path in folder.rglob("*"):
        try:
            st = path.stat()
        except OSError:
            continue
        if path.is_file():
            out[path.as_posix()] = (st.st_mtime_ns, st.st_size)
    return out


def regenerate(project: Project, progress: Progress) -> bool:
    """Regenerate docs/ in place; print problems instead of stopping."""
    try:
        generate(project, progress, swap=False)
    except BuildError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"error: {exc} (the preview keeps the last good version)", file=sys.stderr)
        return False
    return True


def watch(project: Project, progress: Progress, stop: threading.Event) -> None:
    before = snapshot(project.content)
    while not stop.wait(POLL_SECONDS):
        now = snapshot(project.content)
        if now != before:
            before = now
            print("content/ changed: regenerating", file=sys.stderr)
            regenerate(project, progress)


def serve(project: Project, progress: Progress, dev_addr: str) -> int:
    if not regenerate(project, progress):
        return 1
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(project, progress, stop), daemon=True)
    watcher.start()
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
    try:
        return subprocess.call(cmd, cwd=project.root)
    except KeyboardInterrupt:
        return 0
    finally:
        stop.set()
        time.sleep(0)
