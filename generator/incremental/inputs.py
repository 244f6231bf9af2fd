"""The inputs of a run: the digest of every file of content/ and of mkdocs.yml, and the scan that makes it.

A file of content/ keeps its digest unread when its size, times and inode are
as the last scan found it (and it had settled before that scan): any write,
`touch` or `utime` changes its ctime.  `version` is the generator's own digest,
which keys everything the memo keeps.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import stat
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from .. import frontmatter
from ..files import MAX_FILE_BYTES, read_regular
from ..layout import PAPERS_DIR
from ..taxonomy import TOPICS_FILE

#: Libraries whose behaviour shows in docs/: templates, YAML, Markdown checks, related papers.
LIBRARIES = ("jinja2", "markupsafe", "yaml", "markdown", "numpy", "scipy", "nh3")
#: A file read by a scan is trusted on a later scan only if it had not changed for this long
#: before the scan that read it: a write within the same clock tick keeps its ctime.
SETTLED_NS = 2_000_000_000


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def hash_of(*parts: object) -> bytes:
    return digest(pickle.dumps(parts, protocol=5))


def version() -> bytes:
    """The generator's own code and templates, Python, and the libraries it renders with."""
    h = hashlib.blake2b(digest_size=16)
    h.update(sys.version.encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in LIBRARIES:
        # The installed file of each library, not its version: finding it imports nothing.
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec and spec.origin else ""
        try:
            st = os.stat(origin)
            h.update(f"{name}={origin}:{st.st_size}:{st.st_mtime_ns}\n".encode())
        except OSError:
            h.update(f"{name}=none\n".encode())
    return h.digest()


class Stat(NamedTuple):
    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int

    @classmethod
    def of(cls, st: os.stat_result) -> Stat:
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class Seen(NamedTuple):
    """A file of content/ as a scan found it: its stat, its digest and, for a paper, its front matter's."""

    stat: Stat
    digest: bytes
    head: bytes | None
    read_at: int


@dataclass(frozen=True)
class Inputs:
    """The digest of every input: content/ files by path relative to it, and mkdocs.yml."""

    files: dict[str, bytes]
    heads: dict[str, bytes]
    config: bytes
    seen: dict[str, Seen] = field(default_factory=dict, compare=False)

    @cached_property
    def key(self) -> bytes:
        return hash_of(sorted(self.files.items()), self.config)

    @cached_property
    def fronts(self) -> bytes:
        """All paper files but their notes, and the taxonomy: what topics and related papers read."""
        return hash_of(sorted(self.heads.items()), self.files.get(TOPICS_FILE))

    def catalogue(self, settings: object) -> bytes:
        """All of content/ but the notes of papers, and the site's settings: what every page may show.

        The settings, not mkdocs.yml's bytes: the run writes the nav into it, and nothing
        else of it reaches docs/.
        """
        prefix = f"{PAPERS_DIR}/"
        others = sorted((k, v) for k, v in self.files.items() if not k.startswith(prefix))
        return hash_of(others, sorted(self.heads.items()), settings)


def scan(content: Path, config: Path, seen: Mapping[str, Seen]) -> Inputs:
    """Digest every regular file below `content`, and `config`; read only what changed since `seen`."""
    started = time.time_ns()
    files: dict[str, bytes] = {}
    heads: dict[str, bytes] = {}
    found: dict[str, Seen] = {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, rel + "/")
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue  # gone meanwhile; the loader reports what it finds
            if not stat.S_ISREG(st.st_mode):
                # Never read: the loader reports links, FIFOs and devices.
                files[rel] = hash_of("not a file", st.st_mode, st.st_ino)
                continue
            now = Stat.of(st)
            known = seen.get(rel)
            if known is None or known.stat != now or now.ctime_ns >= known.read_at - SETTLED_NS:
                known = _read_file(entry.path, rel, now, started)
            found[rel] = known
            files[rel] = known.digest
            if known.head is not None:
                heads[entry.name] = known.head

    if content.is_dir() and not content.is_symlink():
        walk(str(content), "")
    data, _ = read_regular(config, MAX_FILE_BYTES) if not config.is_symlink() else (None, None)
    if data is None:  # a link (kept as the user made it) or something else: read it as MkDocs does
        try:
            data = config.read_bytes()
        except OSError:
            data = b""
    return Inputs(files, heads, digest(data), found)


def _read_file(path: str, rel: str, now: Stat, started: int) -> Seen:
    data, why = read_regular(Path(path), MAX_FILE_BYTES)
    if data is None:  # too big, or changed type meanwhile: the loader says what
        return Seen(now, hash_of("unreadable", why, now), None, 0)
    head = None
    if rel.startswith(f"{PAPERS_DIR}/") and rel.count("/") == 1:
        try:
            head = digest(frontmatter.split(data.decode("utf-8").removeprefix("\ufeff"))[0].encode())
        except (UnicodeDecodeError, frontmatter.FrontMatterError):
            head = digest(data)
    return Seen(now, digest(data), head, started)
