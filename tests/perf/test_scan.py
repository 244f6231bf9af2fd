"""The scan trusts a digest only for a file that cannot have changed since it was read."""

from __future__ import annotations

import os
from pathlib import Path

from generator import cache
from generator.write import digest


def make_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    (content / "papers").mkdir(parents=True)
    (content / "papers" / "a.md").write_text("---\ntitle: A\n---\nnotes\n", "utf-8")
    (content / "topics.yml").write_text("topics: []\n", "utf-8")
    return content


def stat_of(path: Path) -> tuple[int, int, int, int]:
    st = path.stat()
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def test_a_settled_file_is_not_read_again(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    path = content / "papers" / "a.md"
    later = stat_of(path)[2] + cache.SETTLED_NS + 1
    seen = {"papers/a.md": cache.Seen(stat_of(path), b"remembered", b"head", later)}
    inputs = cache.scan(content, tmp_path / "mkdocs.yml", seen)
    assert inputs.content["papers/a.md"] == b"remembered"
    assert inputs.heads["a.md"] == b"head"
    assert inputs.content["topics.yml"] == digest((content / "topics.yml").read_bytes())


def test_a_file_read_soon_after_it_changed_is_read_again(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    path = content / "papers" / "a.md"
    soon = stat_of(path)[2] + cache.SETTLED_NS - 1
    seen = {"papers/a.md": cache.Seen(stat_of(path), b"remembered", b"head", soon)}
    inputs = cache.scan(content, tmp_path / "mkdocs.yml", seen)
    assert inputs.content["papers/a.md"] == digest(path.read_bytes())
    assert inputs.heads["a.md"] == digest(b"---\ntitle: A\n---\n")


def test_a_rewritten_file_with_its_old_size_and_mtime_is_read_again(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    path = content / "papers" / "a.md"
    old = path.stat()
    seen = {"papers/a.md": cache.Seen(stat_of(path), b"remembered", b"head", old.st_ctime_ns + 10**12)}
    path.write_text("---\ntitle: B\n---\nnotes\n", "utf-8")  # same size
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert path.stat().st_size == old.st_size and path.stat().st_mtime_ns == old.st_mtime_ns
    inputs = cache.scan(content, tmp_path / "mkdocs.yml", seen)
    assert inputs.content["papers/a.md"] == digest(path.read_bytes())
