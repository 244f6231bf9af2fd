"""`serve` regenerates in place only what an edit changes, and the preview shows the edit."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from benchmarks.make_list import make_project
from generator.serve import snapshot
from generator.site import read_settings

from .conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def wait_for(check: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.3)
    return False


def test_snapshot_sees_a_changed_file(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b.md").write_text("one", "utf-8")
    before = snapshot(tmp_path, tmp_path / "missing.yml")
    (tmp_path / "a" / "b.md").write_text("two", "utf-8")
    after = snapshot(tmp_path)
    assert before.keys() == after.keys() == {str(tmp_path / "a" / "b.md")}
    assert before != after


@pytest.mark.parametrize("dirty", [False, True], ids=["full", "dirty"])
def test_serve_rewrites_only_the_edited_page_and_shows_the_edit(tmp_path: Path, dirty: bool) -> None:
    root = make_project(None, tmp_path / "project", 30)
    port = free_port()
    cmd = [sys.executable, "-m", "generator", "--root", str(root), "serve", "--dev-addr", f"127.0.0.1:{port}"]
    env = dict(os.environ, SOURCE_DATE_EPOCH="0")
    proc = subprocess.Popen(
        [*cmd, *(["--dirty"] if dirty else [])],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        papers = sorted((root / "content" / "papers").glob("*.md"))
        slug = papers[len(papers) // 2].stem
        # MkDocs serves the site under the path of its site_url.
        mount = urllib.parse.urlparse(read_settings((root / "mkdocs.yml").read_text("utf-8")).site_url).path
        url = f"http://127.0.0.1:{port}{mount.rstrip('/')}/papers/{slug}/"
        assert wait_for(lambda: "rl-abstract" in fetch(url), 120), "the preview never came up"
        before = {p: p.stat() for p in (root / "docs").rglob("*") if p.is_file()}
        with (root / "content" / "papers" / f"{slug}.md").open("a", encoding="utf-8") as f:
            f.write("\nA sentence added while the preview runs.\n")
        assert wait_for(lambda: "A sentence added while the preview runs." in fetch(url), 120)
        after = {p: p.stat() for p in (root / "docs").rglob("*") if p.is_file()}
        assert after.keys() == before.keys()
        changed = {
            p.relative_to(root).as_posix() for p in after if after[p].st_mtime_ns != before[p].st_mtime_ns
        }
        assert f"docs/papers/{slug}.md" in changed
        assert len(changed) < len(after) / 3, sorted(changed)
        # In place: the files it did not rewrite are the very same files.
        assert all(
            after[p].st_ino == before[p].st_ino
            for p in after
            if p.relative_to(root).as_posix() not in changed
        )
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
