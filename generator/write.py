"""Write the docs tree: only the files whose bytes changed, each one whole.

`write_tree` makes docs/ hold exactly the rendered files and the files the
caller keeps as they are, and nothing else: every other file (a page of a
deleted paper, a leftover `*.tmp` of a killed run, a link someone put there)
is removed.  Each file is written beside its place and renamed over it, so a
reader (or a killed run) sees the old file or the new one, never a part.  A
docs/ that does not exist yet is assembled in a folder beside it and renamed
into place.  A file whose bytes are already on disk is not touched, so an
unchanged run keeps every mtime.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    #: Every file of the tree after the write, with its stat, by relative path.
    states: dict[str, os.stat_result] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.written or self.deleted)


class WriteError(Exception):
    """The tree cannot be written where it should go; the message says what to do."""


def survey(dest: Path) -> dict[str, os.stat_result]:
    """Every entry below `dest` that is not a folder (links included, none followed), by relative path."""
    out: dict[str, os.stat_result] = {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                else:
                    out[prefix + entry.name] = entry.stat(follow_symlinks=False)

    if _is_dir(dest):
        walk(str(dest), "")
    return out


def _is_dir(path: Path | str) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _same(path: str, data: bytes, st: os.stat_result) -> bool:
    if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
        return False
    try:
        with open(path, "rb") as f:
            return f.read() == data
    except OSError:
        return False


def put_bytes(path: Path | str, data: bytes) -> None:
    """Write `data` to `path` (never through a link) with one descriptor, no buffered file object."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def replace_file(path: Path | str, data: bytes) -> None:
    """Write `path` atomically: readers see the old file or the new one, never a part."""
    head, name = os.path.split(path)
    tmp = os.path.join(head, f".{name}.{os.getpid()}.tmp")
    try:
        put_bytes(tmp, data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _make_parents(root: str, rel: str, made: set[str]) -> str:
    """The path of `rel` below `root`, with its folders made (anything else in their place removed)."""
    parent = os.path.dirname(rel)
    if parent and parent not in made:
        path = root
        for part in parent.split("/"):
            path = os.path.join(path, part)
            if not _is_dir(path):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
                os.mkdir(path)
        made.add(parent)
    return os.path.join(root, rel)


def write_tree(
    files: Mapping[str, str],
    dest: Path,
    *,
    keep: Collection[str] = (),
    tick: Callable[[int, int], None] | None = None,
) -> WriteReport:
    """Make `dest` hold exactly `files` (relative path -> text) and the files in `keep` as they are."""
    if os.path.islink(dest) or (os.path.lexists(dest) and not _is_dir(dest)):
        raise WriteError(f"{dest.name}: not a folder (a link or a file); delete it and run again")
    report = WriteReport()
    on_disk = survey(dest)
    encoded = {rel: text.encode("utf-8") for rel, text in files.items()}
    fresh = not on_disk and not _is_dir(dest)
    if fresh:
        return _write_fresh(encoded, dest, report, tick)
    report.deleted = sorted(rel for rel in on_disk if rel not in encoded and rel not in keep)
    for rel in report.deleted:
        gone = dest / rel
        gone.unlink()
        _prune_empty_dirs(gone.parent, dest)
    for rel in keep:
        st = on_disk.get(rel)
        if st is None or not stat.S_ISREG(st.st_mode):
            raise ValueError(f"{rel}: asked to keep a file that is not on disk")
        report.states[rel] = st
        report.unchanged += 1
    made: set[str] = set()
    root = str(dest)
    for i, (rel, data) in enumerate(encoded.items()):
        if tick:
            tick(i, len(encoded))
        path = _make_parents(root, rel, made)
        st = on_disk.get(rel)
        if st is not None and _same(path, data, st):
            report.states[rel] = st
            report.unchanged += 1
            continue
        if _is_dir(path):
            shutil.rmtree(path)
        replace_file(path, data)
        report.states[rel] = os.stat(path)  # after the rename, which changes the ctime
        report.written.append(rel)
    return report


def _write_fresh(
    encoded: Mapping[str, bytes], dest: Path, report: WriteReport, tick: Callable[[int, int], None] | None
) -> WriteReport:
    """Assemble the whole tree in a folder beside `dest`, then rename it into place."""
    tmp = tempfile.mkdtemp(prefix=f".{dest.name}.new-", dir=dest.parent)
    try:
        made: set[str] = set()
        for i, (rel, data) in enumerate(encoded.items()):
            if tick:
                tick(i, len(encoded))
            put_bytes(_make_parents(tmp, rel, made), data)
            report.written.append(rel)
        if _is_dir(dest):  # an empty folder
            os.rmdir(dest)
        os.rename(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    report.states = {rel: os.stat(dest / rel) for rel in encoded}
    return report


def _prune_empty_dirs(start: Path, stop: Path) -> None:
    while start != stop and _is_dir(start) and not any(start.iterdir()):
        start.rmdir()
        start = start.parent


def remove_leftovers(root: Path, names: Collection[str]) -> None:
    """Remove the folders that killed runs left beside `names` (`.docs.new-*`, `.site.old-*`)."""
    for name in names:
        for left in root.glob(f".{name}.*"):
            if left.is_dir() and not left.is_symlink():
                shutil.rmtree(left, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    left.unlink()


def write_file(path: Path, data: str) -> bool:
    """Write one file atomically if its content differs; return whether it did."""
    encoded = data.encode("utf-8")
    try:
        if path.read_bytes() == encoded:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, encoded)
    return True
