"""Write a rendered tree to disk: only what changed, and never half-way.

`write_tree` compares the rendered files with what is on disk and touches
only the files whose bytes differ, so an unchanged re-run writes nothing and
keeps every mtime.  In "swap" mode the new tree is assembled beside the old
one (unchanged files are hard-linked, keeping their mtimes) and renamed into
place, so an interrupted run leaves the previous tree whole.  In "inplace"
mode (used by `serve`, whose file watcher must keep watching the same
directory) each file is replaced atomically on its own.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.written or self.deleted)


def _existing(dest: Path) -> dict[str, Path]:
    if not dest.is_dir():
        return {}
    out = {}
    for root, _dirs, files in os.walk(dest):
        for name in files:
            path = Path(root) / name
            out[path.relative_to(dest).as_posix()] = path
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


def plan(files: Mapping[str, bytes], dest: Path) -> WriteReport:
    """Say which files would be written and deleted, without writing."""
    on_disk = _existing(dest)
    report = WriteReport()
    for rel, data in files.items():
        path = on_disk.get(rel)
        if path is not None and _same(path, data):
            report.unchanged += 1
        else:
            report.written.append(rel)
    report.deleted = sorted(set(on_disk) - set(files))
    return report


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_tree(files: Mapping[str, str | bytes], dest: Path, *, swap: bool = True) -> WriteReport:
    """Make `dest` hold exactly `files` (relative path -> content)."""
    recover(dest)
    encoded = {rel: (d.encode("utf-8") if isinstance(d, str) else d) for rel, d in files.items()}
    report = plan(encoded, dest)
    if not report.changed:
        return report
    if not swap or not dest.exists():
        target = dest if not swap else dest.with_name(f".{dest.name}.new")
        for rel in report.written:
            _write_file(target / rel, encoded[rel])
        for rel in report.deleted:
            (dest / rel).unlink()
            _prune_empty_dirs((dest / rel).parent, dest)
        if swap:
            target.rename(dest)
        return report
    new = dest.with_name(f".{dest.name}.new")
    written = set(report.written)
    for rel, data in encoded.items():
        path = new / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel in written:
            path.write_bytes(data)
        else:
            os.link(dest / rel, path)
    swap_dirs(new, dest)
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
    _write_file(path, encoded)
    return True
