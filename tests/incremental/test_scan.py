"""The scan trusts a digest only for a file that cannot have changed since it was read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.incremental.inputs import SETTLED_NS, Seen, Stat, digest
from generator.incremental.memo import Memo


def make_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    (content / "papers").mkdir(parents=True)
    (content / "papers" / "a.md").write_text("---\ntitle: A\n---\nnotes\n", "utf-8")
    (content / "topics.yml").write_text("topics: []\n", "utf-8")
    return content


def memo_seeing(tmp_path: Path, seen: dict[str, Seen], monkeypatch: pytest.MonkeyPatch) -> Memo:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    memo = Memo(tmp_path / "cache")
    memo.state.seen = seen
    return memo


def test_a_settled_file_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = make_content(tmp_path)
    path = content / "papers" / "a.md"
    st = Stat.of(path.stat())
    seen = {"papers/a.md": Seen(st, b"remembered", b"head", st.ctime_ns + SETTLED_NS + 1)}
    inputs = memo_seeing(tmp_path, seen, monkeypatch).scan(content, tmp_path / "mkdocs.yml")
    assert inputs.files["papers/a.md"] == b"remembered"
    assert inputs.heads["a.md"] == b"head"
    assert inputs.files["topics.yml"] == digest((content / "topics.yml").read_bytes())


def test_a_file_read_soon_after_it_changed_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = make_content(tmp_path)
    path = content / "papers" / "a.md"
    st = Stat.of(path.stat())
    seen = {"papers/a.md": Seen(st, b"remembered", b"head", st.ctime_ns + SETTLED_NS - 1)}
    inputs = memo_seeing(tmp_path, seen, monkeypatch).scan(content, tmp_path / "mkdocs.yml")
    assert inputs.files["papers/a.md"] == digest(path.read_bytes())
    assert inputs.heads["a.md"] == digest(b"title: A")


def test_a_rewritten_file_with_its_old_size_and_mtime_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = make_content(tmp_path)
    path = content / "papers" / "a.md"
    old = path.stat()
    seen = {"papers/a.md": Seen(Stat.of(old), b"remembered", b"head", old.st_ctime_ns + 10**12)}
    path.write_text("---\ntitle: B\n---\nnotes\n", "utf-8")  # same size
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert path.stat().st_size == old.st_size and path.stat().st_mtime_ns == old.st_mtime_ns
    inputs = memo_seeing(tmp_path, seen, monkeypatch).scan(content, tmp_path / "mkdocs.yml")
    assert inputs.files["papers/a.md"] == digest(path.read_bytes())


@pytest.mark.parametrize("kind", ["fifo", "link to a device", "link to a folder"])
def test_special_files_are_never_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """A FIFO would block a read for ever; a link could read any file of the machine."""
    content = make_content(tmp_path)
    special = content / "papers" / "special.md"
    if kind == "fifo":
        os.mkfifo(special)
    elif kind == "link to a device":
        special.symlink_to("/dev/zero")
    else:
        special.symlink_to(tmp_path)
    inputs = memo_seeing(tmp_path, {}, monkeypatch).scan(content, tmp_path / "mkdocs.yml")
    assert "papers/special.md" in inputs.files and "special.md" not in inputs.heads
