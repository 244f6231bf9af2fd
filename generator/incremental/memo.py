"""The memo: what the last run read, computed and wrote, each kept with the key it depends on.

Kept in .cache/generator/ (git-ignored): `state` (small, read on every run)
and `records` (the parsed papers, read when something changed).  Deleting
them only costs time.  What each value depends on:

- a file of content/: its size, times and inode.  A file whose stat is as the
  last scan found it (and that had settled before that scan) keeps its digest
  unread; any write, `touch` or `utime` changes its ctime.
- a paper's record and problems: its file's bytes, the taxonomy, content/'s
  display path.
- a paper's topics: its front matter and the taxonomy.
- related papers: the front matter of every paper file (related.py never reads
  notes) and the taxonomy.
- a paper page: its own file, the "catalogue" (every paper's front matter,
  every other file of content/, mkdocs.yml's settings) and its related list.
  So a notes edit renders one page.  A page that starts to show more of other
  papers must add it to `_page_key`; tests/incremental would catch it, since
  they compare the output with and without the memo.
- the other files: the catalogue; papers.json also every related list.
- a file of docs/: what it was rendered from (its key) and its stat as written,
  size, mtime, ctime and inode, so an edit by hand is seen even when it puts
  the size and mtime back.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import stat
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from .. import frontmatter
from ..files import MAX_FILE_BYTES, read_regular
from ..layout import PAPERS_DIR, paper_file, slug_of_path
from ..load import Known
from ..model import Assignment, Paper, Problem
from ..taxonomy import TOPICS_FILE
from . import store

#: Libraries whose behaviour shows in docs/: templates, YAML, Markdown checks, related papers.
LIBRARIES = ("jinja2", "markupsafe", "yaml", "markdown", "numpy", "scipy", "nh3")
#: A file read by a scan is trusted on a later scan only if it had not changed for this long
#: before the scan that read it: a write within the same clock tick keeps its ctime.
SETTLED_NS = 2_000_000_000
#: The records are saved again when more papers than this were read: fewer are cheaper to
#: read again next time than 30 MB of records are to write (a notes edit reads one).
RESAVE_AFTER = 50

Related = Mapping[str, tuple[str, ...]]


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _hash(*parts: object) -> bytes:
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
        return _hash(sorted(self.files.items()), self.config)

    @cached_property
    def fronts(self) -> bytes:
        """All paper files but their notes, and the taxonomy: what topics and related papers read."""
        return _hash(sorted(self.heads.items()), self.files.get(TOPICS_FILE))

    @cached_property
    def catalogue(self) -> bytes:
        """All of content/ but the notes of papers, and mkdocs.yml: what every page may show."""
        prefix = f"{PAPERS_DIR}/"
        others = sorted((k, v) for k, v in self.files.items() if not k.startswith(prefix))
        return _hash(others, sorted(self.heads.items()), self.config)


@dataclass(frozen=True)
class Plan:
    """The files of docs/ to render, and those that stay as they are on disk."""

    render: tuple[str, ...]
    keep: frozenset[str] = frozenset()


class Written(NamedTuple):
    """A file of docs/ as a run left it: the key it was rendered with, and its stat."""

    key: bytes
    stat: Stat


@dataclass
class State:
    version: bytes = b""
    root: str = ""
    inputs: bytes = b""
    seen: dict[str, Seen] = field(default_factory=dict)
    outputs: dict[str, Written] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


@dataclass
class Records:
    version: bytes = b""
    #: By paper file name: (file digest, taxonomy digest, display), record and problems.
    papers: dict[str, tuple[tuple[bytes | None, bytes | None, str], Paper | None, tuple[Problem, ...]]] = (
        field(default_factory=dict)
    )
    #: By slug: (front matter digest, taxonomy digest) and the paper's topics.
    assignments: dict[str, tuple[tuple[bytes, bytes | None], Assignment]] = field(default_factory=dict)
    related: tuple[bytes, dict[str, tuple[str, ...]]] | None = None


def survey(folder: Path) -> dict[str, Stat]:
    """Every file below `folder` (links and other non-folders included, none followed), by relative path."""
    out: dict[str, Stat] = {}

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                else:
                    out[prefix + entry.name] = Stat.of(entry.stat(follow_symlinks=False))

    if folder.is_dir() and not folder.is_symlink():
        walk(str(folder), "")
    return out


class NoMemo:
    """A memo that knows nothing: every stage computes everything, and nothing is kept."""

    def scan(self, content: Path, config: Path) -> Inputs:
        return Inputs({}, {}, b"")

    def unchanged(self, inputs: Inputs, docs: Path) -> tuple[Problem, ...] | None:
        return None

    def known_papers(self, inputs: Inputs, display: str) -> Known:
        return {}

    def known_assignments(self, inputs: Inputs, papers: Sequence[Paper]) -> dict[str, Assignment]:
        return {}

    def known_related(self, inputs: Inputs, papers: Sequence[Paper]) -> Related | None:
        return None

    def plan(self, inputs: Inputs, files: Mapping[str, object], related: Related, docs: Path) -> Plan:
        return Plan(tuple(files))

    def save(self, *args: Any, **kwargs: Any) -> None:
        return None


class Memo(NoMemo):
    """The memo of one project, kept in `folder`."""

    def __init__(self, folder: Path, root: Path) -> None:
        self.folder = folder
        self.root = str(root)
        self.version = version()
        self.key = store.secret()
        state = store.load(folder / "state", self.key, self.version)
        ok = isinstance(state, State) and state.version == self.version
        self.state: State = state if ok else State()
        self._records: Records | None = None
        self._read = 0  # paper files read this run: see RESAVE_AFTER
        self._docs: dict[str, Stat] = {}

    @property
    def records(self) -> Records:
        if self._records is None:
            records = (
                store.load(self.folder / "records", self.key, self.version) if self.state.version else None
            )
            self._records = records if isinstance(records, Records) else Records(self.version)
        return self._records

    # --- scan --------------------------------------------------------------------------------

    def scan(self, content: Path, config: Path) -> Inputs:
        """Digest every regular file below `content`, and `config`; read only what changed."""
        seen = self.state.seen
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
                    files[rel] = _hash("not a file", st.st_mode, st.st_ino)
                    continue
                now = Stat.of(st)
                known = seen.get(rel)
                if known is None or known.stat != now or now.ctime_ns >= known.read_at - SETTLED_NS:
                    known = self._read_file(entry.path, rel, now, started)
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

    @staticmethod
    def _read_file(path: str, rel: str, now: Stat, started: int) -> Seen:
        data, why = read_regular(Path(path), MAX_FILE_BYTES)
        if data is None:  # too big, or changed type meanwhile: the loader says what
            return Seen(now, _hash("unreadable", why, now), None, 0)
        head = None
        if rel.startswith(f"{PAPERS_DIR}/") and rel.count("/") == 1:
            try:
                head = digest(frontmatter.split(data.decode("utf-8").removeprefix("\ufeff"))[0].encode())
            except (UnicodeDecodeError, frontmatter.FrontMatterError):
                head = digest(data)
        return Seen(now, digest(data), head, started)

    # --- what is known -----------------------------------------------------------------------

    def unchanged(self, inputs: Inputs, docs: Path) -> tuple[Problem, ...] | None:
        """The last run's problems if its inputs are these and docs/ is as it left it, else None."""
        self._docs = survey(docs)
        outputs = self.state.outputs
        if self.state.inputs != inputs.key or self._docs.keys() != outputs.keys():
            return None
        if any(outputs[rel].stat != st for rel, st in self._docs.items()):
            return None
        return self.state.problems

    def known_papers(self, inputs: Inputs, display: str) -> Known:
        taxonomy = inputs.files.get(TOPICS_FILE)
        out: dict[str, tuple[Paper | None, tuple[Problem, ...]]] = {}
        for name, (key, paper, problems) in self.records.papers.items():
            if key == (inputs.files.get(f"{PAPERS_DIR}/{name}"), taxonomy, display):
                out[name] = (paper, problems)
        return out

    def known_assignments(self, inputs: Inputs, papers: Sequence[Paper]) -> dict[str, Assignment]:
        taxonomy = inputs.files.get(TOPICS_FILE)
        known = self.records.assignments
        out = {}
        for paper in papers:
            hit = known.get(paper.slug)
            head = inputs.heads.get(paper_file(paper.slug))
            if hit is not None and head is not None and hit[0] == (head, taxonomy):
                out[paper.slug] = hit[1]
        return out

    def known_related(self, inputs: Inputs, papers: Sequence[Paper]) -> Related | None:
        kept = self.records.related
        if kept is not None and kept[0] == self._related_key(inputs, papers):
            return kept[1]
        return None

    @staticmethod
    def _related_key(inputs: Inputs, papers: Sequence[Paper]) -> bytes:
        return _hash(inputs.fronts, [p.slug for p in papers])

    # --- what to write -----------------------------------------------------------------------

    def plan(self, inputs: Inputs, files: Mapping[str, object], related: Related, docs: Path) -> Plan:
        """Render the files whose key changed or that are not on disk as written; keep the rest."""
        on_disk = self._docs or survey(docs)
        self._keys = self._output_keys(inputs, files, related)
        outputs = self.state.outputs
        render, keep = [], set()
        for rel, key in self._keys.items():
            was = outputs.get(rel)
            if was is not None and was.key == key and on_disk.get(rel) == was.stat:
                keep.add(rel)
            else:
                render.append(rel)
        return Plan(tuple(render), frozenset(keep))

    @staticmethod
    def _output_keys(inputs: Inputs, files: Mapping[str, object], related: Related) -> dict[str, bytes]:
        catalogue = inputs.catalogue
        every_related = _hash(sorted(related.items()))
        keys = {}
        for rel in files:
            slug = slug_of_path(rel)
            if slug is not None:
                keys[rel] = _page_key(
                    catalogue, inputs.files.get(f"{PAPERS_DIR}/{paper_file(slug)}"), related.get(slug)
                )
            elif rel == "papers.json":
                keys[rel] = _hash(catalogue, every_related)
            else:
                keys[rel] = catalogue
        return keys

    # --- save --------------------------------------------------------------------------------

    def save(
        self,
        inputs: Inputs,
        config_after: bytes,
        display: str,
        papers: Sequence[Paper],
        loaded: Sequence[Problem],
        assignments: Mapping[str, Assignment],
        related: Related,
        written: Mapping[str, os.stat_result],
        problems: Sequence[Problem],
    ) -> None:
        """Remember this run: call once docs/ and mkdocs.yml are written in full.

        `loaded` are the problems the loader found (the records of files with errors are
        not kept: they are read again).  The records first, the state last: the state is
        what claims that docs/ is as this run left it.  `config_after` is mkdocs.yml as
        this run wrote it.
        """
        records = self.records
        taxonomy = inputs.files.get(TOPICS_FILE)
        by_path: dict[str, list[Problem]] = {}
        for problem in loaded:
            by_path.setdefault(problem.path, []).append(problem)
        old_papers = records.papers
        new_papers: dict[
            str, tuple[tuple[bytes | None, bytes | None, str], Paper | None, tuple[Problem, ...]]
        ] = {}
        for paper in papers:
            name = paper_file(paper.slug)
            key = (inputs.files.get(f"{PAPERS_DIR}/{name}"), taxonomy, display)
            new_papers[name] = (key, paper, tuple(by_path.get(paper.origin.path, ())))
        fresh = sum(1 for name, entry in new_papers.items() if old_papers.get(name, (None,))[0] != entry[0])
        related_key = self._related_key(inputs, papers)
        if fresh > RESAVE_AFTER or records.related is None or records.related[0] != related_key:
            records.papers = new_papers
            records.assignments = {
                p.slug: ((inputs.heads.get(paper_file(p.slug), b""), taxonomy), assignments[p.slug])
                for p in papers
            }
            records.related = (related_key, dict(related))
            store.save(self.folder / "records", self.key, self.version, records)
        # Else what is on disk stays: the few papers read anew are cheaper to read again next time
        # than the records of the whole list are to write (a notes edit reads one).
        outputs = {rel: Written(self._keys[rel], Stat.of(st)) for rel, st in written.items()}
        self.state = State(
            self.version,
            self.root,
            Inputs(inputs.files, inputs.heads, digest(config_after)).key,
            inputs.seen,
            outputs,
            tuple(problems),
        )
        store.save(self.folder / "state", self.key, self.version, self.state)


def _page_key(catalogue: bytes, own: bytes | None, related: tuple[str, ...] | None) -> bytes:
    return _hash(catalogue, own, related)
