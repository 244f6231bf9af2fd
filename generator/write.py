"""Write a rendered tree to disk: only what changed, and never half-way.

`write_tree` compares the rendered files with what is on disk and touches
only the files whose bytes differ, so an unchanged re-run writes nothing and
keeps every mtime.  Given the states of the files as it last wrote them
(digest, size, mtime), it knows a file whose size and mtime are unchanged
without reading it.  In "swap" mode a large change is assembled as a new tree
beside the old one (unchanged files are hard-linked, keeping their mtimes)
and renamed into place, so an interrupted run leaves the previous tree whole.
A small change, and every change in "inplace" mode (used by `serve`, whose
file watcher must keep watching the same directory), replaces each file
atomically on its own.  Either way no file is ever changed in place: a tree
of hard links to docs/ is a snapshot of it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class FileState(NamedTuple):
    """A file as written: its content's digest, size and modification time."""

    digest: bytes
    size: int
    mtime_ns: int


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    #: Every file of the tree after the write, by relative path.
    states: dict[str, FileState] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.written or self.deleted)


def survey(dest: Path) -> dict[str, os.stat_result]:
    """Every file below `dest` with its stat, by relative path."""
    out: dict[str, os.stat_result] = {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                else:
                    out[prefix + entry.name] = entry.stat(follow_symlinks=False)

    if dest.is_dir():
        walk(str(dest), "")
    return out


def _same(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def recover(dest: Path) -> None:
    """Finish or undo a swap that was interrupted between its two renames."""
    old = dest.with_name(f".{dest.name}.old")
    if not dest.exists() and old.exists():
        old.rename(dest)
    elif old.exists():
        shutil.rmtree(old)
    new = dest.with_name(f".{dest.name}.new")
    if new.exists():
        shutil.rmtree(new)


def plan(
    files: Mapping[str, bytes],
    dest: Path,
    *,
    keep: Collection[str] = (),
    known: Mapping[str, FileState] | None = None,
    on_disk: Mapping[str, os.stat_result] | None = None,
) -> WriteReport:
    """Say which files would be written and deleted, without writing.

    Files in `keep` are on disk as `known` says and stay as they are.
    """
    on_disk = survey(dest) if on_disk is None else on_disk
    known = known or {}
    report = WriteReport()
    for rel, data in files.items():
        st = on_disk.get(rel)
        state = FileState(digest(data), len(data), st.st_mtime_ns if st else 0)
        if st is not None and (
            known.get(rel) == state if st.st_size == len(data) and rel in known else _same(dest / rel, data)
        ):
            report.unchanged += 1
            report.states[rel] = FileState(state.digest, st.st_size, st.st_mtime_ns)
        else:
            report.written.append(rel)
            report.states[rel] = state
    for rel in keep:
        if rel not in files:
            if rel not in on_disk or rel not in known:
                raise ValueError(f"{rel}: asked to keep a file that is not on disk as it was written")
            report.unchanged += 1
            report.states[rel] = known[rel]
    report.deleted = sorted(set(on_disk) - set(files) - set(keep))
    return report


def _put(path: str, data: bytes) -> os.stat_result:
    """Write a new file (or overwrite one nobody reads yet); return its stat as written."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        return os.fstat(fd)  # a later rename keeps the size and mtime
    finally:
        os.close(fd)


def _replace_file(path: Path | str, data: bytes) -> os.stat_result:
    """Write `path` atomically: readers see the old file or the new one, never a part."""
    head, name = os.path.split(path)
    tmp = os.path.join(head, f".{name}.tmp")
    st = _put(tmp, data)
    os.replace(tmp, path)
    return st


class _Folders:
    """Folders made so far, so that writing a tree makes each only once."""

    def __init__(self) -> None:
        self.made: set[str] = set()

    def parent_made(self, path: str) -> str:
        parent = os.path.dirname(path)
        if parent not in self.made:
            os.makedirs(parent, exist_ok=True)
            self.made.add(parent)
        return path


#: Up to this many files written or deleted, "swap" mode replaces them one by one: linking every
#: other file into a new tree would cost more than the change, and a run interrupted half-way
#: leaves old and new files side by side, each whole, which the next run's cache repairs.
SMALL_CHANGE = 200


def write_tree(
    files: Mapping[str, str | bytes],
    dest: Path,
    *,
    swap: bool = True,
    keep: Collection[str] = (),
    known: Mapping[str, FileState] | None = None,
    on_disk: Mapping[str, os.stat_result] | None = None,
    tick: Callable[[int, int], None] | None = None,
) -> WriteReport:
    """Make `dest` hold exactly `files` (relative path -> content) and the files in `keep`.

    `keep` names files already on disk as `known` (the states of the last write)
    describes them, which the caller did not render again; `on_disk` is
    `survey(dest)` if the caller has it; `tick(done, total)` follows the writing.
    """
    recover(dest)
    encoded = {rel: (d.encode("utf-8") if isinstance(d, str) else d) for rel, d in files.items()}
    report = plan(encoded, dest, keep=keep, known=known, on_disk=on_disk)
    if not report.changed:
        return report
    fresh = swap and not dest.exists()
    if fresh or not swap or len(report.written) + len(report.deleted) <= SMALL_CHANGE:
        target = str(dest.with_name(f".{dest.name}.new") if fresh else dest)
        folders = _Folders()
        for i, rel in enumerate(report.written):
            if tick:
                tick(i, len(report.written))
            path = folders.parent_made(f"{target}/{rel}")
            # A fresh tree: nobody sees it before it is renamed into place.
            st = _put(path, encoded[rel]) if fresh else _replace_file(path, encoded[rel])
            report.states[rel] = FileState(report.states[rel].digest, st.st_size, st.st_mtime_ns)
        for rel in report.deleted:
            (dest / rel).unlink()
            _prune_empty_dirs((dest / rel).parent, dest)
        if fresh:
            os.rename(target, dest)
    else:
        new = str(dest.with_name(f".{dest.name}.new"))
        written = set(report.written)
        folders = _Folders()
        for i, rel in enumerate(report.states):
            if tick:
                tick(i, len(report.states))
            path = folders.parent_made(f"{new}/{rel}")
            if rel in written:
                st = _put(path, encoded[rel])
                report.states[rel] = FileState(report.states[rel].digest, st.st_size, st.st_mtime_ns)
            else:
                os.link(dest / rel, path)
        swap_dirs(Path(new), dest)
    return report


def swap_dirs(new: Path, dest: Path) -> None:
    """Put the directory `new` in the place of `dest`."""
    old = dest.with_name(f".{dest.name}.old")
    if dest.exists():
        dest.rename(old)
    new.rename(dest)
    if old.exists():
        shutil.rmtree(old)


def _prune_empty_dirs(start: Path, stop: Path) -> None:
    while start != stop and start.is_dir() and not any(start.iterdir()):
        start.rmdir()
        start = start.parent


def write_file(path: Path, data: str) -> bool:
    """Write one file atomically if its content differs; return whether it did."""
    encoded = data.encode("utf-8")
    if _same(path, encoded):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace_file(path, encoded)
    return True
