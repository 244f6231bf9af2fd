"""Remember what the last `generate` did, so the next one redoes only what changed.

The cache lives in .cache/generator/ (git-ignored) and only saves time: delete
it and the next run is a cold one with the same output.  Every entry is keyed
by digests of what it was computed from, and all of them by `version()`, a
digest of the generator's own code and templates and of the libraries whose
output reaches docs/, so changing any of those starts from scratch.

What is kept, and what each entry depends on:

- the inputs: the digest of every file in content/ and of mkdocs.yml.  When
  they are all as they were and every file of docs/ is as the last run left it
  (same size and mtime), there is nothing to do and the run stops there.
- each paper's record and problems: its bytes, its name and the topic ids.
  Records are kept in `SHARDS` files by file name; a run rewrites only the
  shards whose entries changed, so a notes edit writes one small file.
- topic assignments: `classify` redoes a paper whose record or the taxonomy changed.
- related papers: the front matter of every paper file (related.py reads
  titles and abstracts, never notes), so a notes edit does not compute them again.
- a paper page: its own file, the "catalogue" (every paper's front matter,
  every other file of content/, the site settings), and its own related list.
  Pages never show other papers' notes, so a notes edit renders only that page
  and those whose related list changed.  A page that starts to show more of
  other papers (their notes, their related lists) must be added to `page_key`;
  tests/perf checks that incremental output equals a cold build.
- the list files (home, topics, feeds, bibliography, charts): the catalogue;
  papers.json: the catalogue and every related list.
- the files written: digest, size and mtime of each, so the writer can tell a
  file is unchanged without reading it, and a file changed by hand gets rewritten.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import pickle
import re
import sys
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from . import classify, parallel
from .load import (
    PAGES_DIR,
    PAPERS_DIR,
    TOPICS_FILE,
    Content,
    PagesReader,
    PaperReader,
    load_pages,
    load_paper,
    load_taxonomy,
)
from .model import Paper, Problem, Taxonomy
from .write import FileState, digest

CACHE_DIR = Path(".cache") / "generator"
#: Libraries whose behaviour shows in docs/: templates, YAML, Markdown checks, related papers.
LIBRARIES = ("Jinja2", "MarkupSafe", "PyYAML", "Markdown", "numpy", "scipy")
#: The closing line of front matter, as frontmatter.split finds it (never the first line).
_CLOSING = re.compile(rb"\n---[\r ]*(?:\n|\Z)")

Related = dict[str, tuple[str, ...]]
T = TypeVar("T")


class Kept(dict[str, tuple[str, ...]]):
    """Related papers as the last run computed them: nothing they depend on changed."""


#: (file name, display path, topic ids, file digest) -> (record, problems)
PaperKey = tuple[str, str, tuple[str, ...], bytes]
PaperEntry = tuple[Paper | None, tuple[Problem, ...]]


@functools.cache
def version(package: Path = Path(__file__).parent) -> bytes:
    """Digest of the generator's code and templates, the Python and the library versions."""
    h = hashlib.blake2b(digest_size=16)
    h.update(sys.version.encode())
    found = _installed()
    for name in LIBRARIES:
        h.update(f"{name}={found.get(_normalize(name)) or _metadata_version(name)}\n".encode())
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.digest()


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _installed() -> dict[str, str]:
    """The version of each installed distribution, from the names of the `.dist-info` folders
    on sys.path (the first one wins, as for imports).  importlib.metadata tells the same but
    imports the email package and the network stack: 30 ms of every run."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if folder.endswith(".dist-info") and "-" in folder:
                name, _, rest = folder.removesuffix(".dist-info").partition("-")
                found.setdefault(_normalize(name), rest)
    return found


def _metadata_version(name: str) -> str:
    """The version importlib.metadata finds (installs without a `.dist-info` folder), or "none"."""
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "none"


def front_matter(data: bytes) -> bytes:
    """The bytes of a content file up to the end of its front matter (all of it if unclosed)."""
    m = _CLOSING.search(data)
    return data if m is None else data[: m.end()]


def _hash(*parts: object) -> bytes:
    return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=16).digest()


#: How long before the scan that read it a file must have last changed, for its digest to be
#: trusted on a later scan that finds the same size, times and inode: a write after the read
#: gets a later change time, unless it came within the same tick of the clock.
SETTLED_NS = 2_000_000_000


class Seen(NamedTuple):
    """A file as a scan read it: its size, mtime, ctime and inode, and the digests of its bytes.

    A named tuple, as are `FileState`s: the state holds one of each per file, and tuples
    are several times faster to save and read back than dataclass instances.
    """

    stat: tuple[int, int, int, int]
    digest: bytes
    head: bytes | None
    read_at: int

    def trusted(self, stat: tuple[int, int, int, int]) -> bool:
        return stat == self.stat and stat[2] < self.read_at - SETTLED_NS


@dataclass(frozen=True)
class Inputs:
    """Digests of the input files: content/ by path relative to it, and mkdocs.yml."""

    content: dict[str, bytes]
    #: The front matter alone of each paper file, by file name: what other pages can show of it.
    heads: dict[str, bytes]
    mkdocs_yml: bytes
    #: The files of content/ as this scan found them, for the next scan.
    seen: dict[str, Seen] = field(default_factory=dict, compare=False)
    #: When the scan started (time.time_ns()).
    started: int = 0

    def still(self, rel: str, path: Path) -> bool:
        """Whether the file at `path` still holds the bytes this scan digested as `rel`."""
        seen = self.seen.get(rel)
        if seen is None:
            return False
        try:
            st = path.stat()
            stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
            # Unchanged since before the scan began: nothing can have written to it since.
            if stat == seen.stat and stat[2] < self.started - SETTLED_NS:
                return True
            return digest(path.read_bytes()) == seen.digest
        except OSError:
            return False

    @functools.cached_property
    def key(self) -> bytes:
        return _hash(version(), sorted(self.content.items()), self.mkdocs_yml)

    def paper(self, name: str) -> bytes | None:
        return self.content.get(f"{PAPERS_DIR}/{name}")

    def catalogue(self, *settings: object) -> bytes:
        """Digest of all content but the notes of papers, and of `settings` (mkdocs.yml's)."""
        prefix = f"{PAPERS_DIR}/"
        others = sorted((k, v) for k, v in self.content.items() if not k.startswith(prefix))
        return _hash(version(), others, sorted(self.heads.items()), settings)

    @functools.cached_property
    def fronts(self) -> bytes:
        """Digest of the front matter of every paper file (by file name): all but the notes."""
        return _hash(version(), sorted(self.heads.items()))


def scan(content: Path, mkdocs_yml: Path, seen: Mapping[str, Seen] | None = None) -> Inputs:
    """Digest every file below `content`, and `mkdocs_yml`.

    A file that `seen` (the last scan's findings) knows, with the same size,
    times and inode and settled long before that scan, is not read again.
    """
    seen = seen or {}
    started = time.time_ns()
    files: dict[str, bytes] = {}
    heads: dict[str, bytes] = {}
    found: dict[str, Seen] = {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir():
                walk(entry.path, rel + "/")
                continue
            try:
                st = entry.stat()
                stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
                known = seen.get(rel)
                if known is None or not known.trusted(stat):
                    with open(entry.path, "rb") as f:
                        data = f.read()
                    head = digest(front_matter(data)) if prefix == f"{PAPERS_DIR}/" else None
                    known = Seen(stat, digest(data), head, started)
            except OSError:
                continue  # the loader reports it
            found[rel] = known
            files[rel] = known.digest
            if known.head is not None:
                heads[entry.name] = known.head

    if content.is_dir():
        walk(str(content), "")
    try:
        mkdocs = digest(mkdocs_yml.read_bytes())
    except OSError:
        mkdocs = b""
    return Inputs(files, heads, mkdocs, found, started)


def intact(known: FileState | None, st: os.stat_result | None) -> bool:
    """Whether a file on disk still is the one written: same size and modification time."""
    return (
        known is not None and st is not None and (known.size, known.mtime_ns) == (st.st_size, st.st_mtime_ns)
    )


@dataclass(frozen=True)
class State:
    """What the last successful run left behind (small: read on every run)."""

    version: bytes = b""
    inputs: bytes = b""
    #: Every file of docs/ as written, by path relative to docs/.
    outputs: dict[str, FileState] = field(default_factory=dict)
    #: The key each paper page was rendered with, by path relative to docs/.
    pages: dict[str, bytes] = field(default_factory=dict)
    #: The key the list files were rendered with, and their paths.
    #: Each group of files rendered together (see `Cache.reuse`): its key and its paths.
    groups: dict[str, tuple[bytes, tuple[str, ...]]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    #: The files of content/ as the last scan found them.
    seen: dict[str, Seen] = field(default_factory=dict)


@dataclass
class Records:
    """What was computed from the content (large: read only when the content changed)."""

    version: bytes = b""
    papers: dict[PaperKey, PaperEntry] = field(default_factory=dict)
    assignments: classify.Memo | None = None
    #: What was computed from the whole list (related papers, checks across papers, citation
    #: keys), by name: the key it was computed for, and the value.
    derived: dict[str, tuple[bytes, Any]] = field(default_factory=dict)


#: The records of papers are kept in this many files, by file name, so that a run that
#: read a few changed papers rewrites a few small files, not the records of every paper.
SHARDS = 16


def shard(name: str) -> int:
    """The shard of the records of the paper file `name`."""
    return zlib.crc32(name.encode()) % SHARDS


@dataclass(frozen=True)
class Shard:
    """The records of the paper files of one shard, and their topic assignments.

    Every entry stands on its own (keyed by the file's bytes, or checked against
    the paper and the taxonomy), so shards written by different runs mix safely.
    """

    version: bytes
    papers: dict[PaperKey, PaperEntry]
    taxonomy: Taxonomy | None
    assigned: dict[str, tuple[Paper, Any]]


@dataclass(frozen=True)
class Meta:
    """The records that are not per paper: what was computed from the whole list."""

    version: bytes
    derived: dict[str, tuple[bytes, Any]]


@dataclass(frozen=True)
class Reuse:
    """What of docs/ can stay as it is: paper pages by path, groups of files by name."""

    pages: frozenset[str]
    groups: frozenset[str]


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cycle collector: (un)pickling 10,000 records makes it run thousands of times
    for nothing (records hold no cycles), which more than doubles the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read(path: Path) -> Any:
    try:
        with path.open("rb") as f, _no_gc():
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None  # missing, damaged or from another version: start afresh


def _write(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as f, _no_gc():
        pickle.dump(value, f, protocol=5)
    os.replace(tmp, path)


class Cache:
    """The cache of one project."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        state = _read(folder / "state.pickle")
        self.state = state if isinstance(state, State) and state.version == version() else State()
        self._records: Records | None = None
        #: The shards as read, by number, and the related papers as read: what `save` compares with.
        self._shards: dict[int, Shard] = {}
        self._derived: dict[str, tuple[bytes, Any]] = {}
        self._used: dict[PaperKey, PaperEntry] = {}
        #: Paper files parsed by this run (not found in the cache): how much of the records changed.
        self.parsed = 0

    @property
    def records(self) -> Records:
        if self._records is not None:
            return self._records
        records = Records(version())
        if self.state.version:  # no state, no records worth reading: a run never finished here
            meta = _read(self.folder / "records.pickle")
            if isinstance(meta, Meta) and meta.version == version():
                self._derived = meta.derived
                records.derived = dict(meta.derived)
            taxonomy: Taxonomy | None = None
            assigned: dict[str, tuple[Paper, Any]] = {}
            for i in range(SHARDS):
                found = _read(self.folder / f"records-{i:02d}.pickle")
                if not isinstance(found, Shard) or found.version != version():
                    continue
                self._shards[i] = found
                records.papers.update(found.papers)
                if found.taxonomy is not None and taxonomy in (None, found.taxonomy):
                    taxonomy = found.taxonomy
                    assigned.update(found.assigned)
            if taxonomy is not None:
                records.assignments = (taxonomy, assigned)
                classify.remember((taxonomy, dict(assigned)))  # classify adds to its own copy
        self._records = records
        return records

    def up_to_date(self, inputs: Inputs, on_disk: Mapping[str, os.stat_result]) -> bool:
        """Whether the inputs are those of the last run and docs/ is as that run left it."""
        outputs = self.state.outputs
        return (
            self.state.inputs == inputs.key
            and on_disk.keys() == outputs.keys()
            and all(intact(outputs[rel], st) for rel, st in on_disk.items())
        )

    def paper_reader(self, inputs: Inputs) -> PaperReader:
        """A `load_paper` that returns the remembered record of a paper file it has read before."""
        entries = self.records.papers

        def read_paper(
            folder: Path, name: str, shown: str, topic_ids: tuple[str, ...]
        ) -> tuple[Paper | None, list[Problem]]:
            known = inputs.paper(name)
            key = (name, shown, topic_ids, known or b"")
            hit = entries.get(key) if known else None
            if hit is None:
                path = folder / name
                paper, problems = load_paper(path, shown, topic_ids)
                hit = (paper, tuple(problems))
                self.parsed += 1
                # Remember it only if the file still holds the bytes scanned: it may have changed since.
                if not inputs.still(f"{PAPERS_DIR}/{name}", path):
                    return paper, problems
            self._used[key] = hit
            return hit[0], list(hit[1])

        return read_paper

    def pages_reader(self, inputs: Inputs) -> PagesReader:
        """A `load_pages` that returns what it found last time when no page file changed."""
        prefix = f"{PAGES_DIR}/"
        files = sorted((rel, d) for rel, d in inputs.content.items() if rel.startswith(prefix))

        def read_pages(folder: Path, root_display: str) -> tuple[tuple[tuple[str, str], ...], list[Problem]]:
            key = _hash(files, root_display)
            kept = self.records.derived.get("pages")
            if kept is not None and kept[0] == key:
                pages, problems = kept[1]
                return pages, list(problems)
            pages, found = load_pages(folder, root_display)
            # Remember them only if every page still holds the bytes scanned.
            if all(inputs.still(rel, folder.parent / rel) for rel, _ in files):
                self.records.derived["pages"] = (key, (pages, tuple(found)))
            return pages, found

        return read_pages

    def unread(self, inputs: Inputs) -> list[str]:
        """The paper files (by name) whose bytes the cache has never read."""
        known = {(key[0], key[3]) for key in self.records.papers}
        # The files read_content reads: *.md right in papers/, not hidden.
        return [
            name
            for top, _, name in (rel.partition("/") for rel in inputs.content)
            if top == PAPERS_DIR
            and "/" not in name
            and name.endswith(".md")
            and not name.startswith(".")
            and (name, inputs.content[f"{PAPERS_DIR}/{name}"]) not in known
        ]

    def prefetch(self, content: Path, display: str, inputs: Inputs, names: Sequence[str]) -> None:
        """Read and classify paper files `names` in two processes, before `check` asks for them.

        The loader then finds each here as it asks for them one by one.  `display`
        is how `check` shows content/ (it is part of each record).
        """
        taxonomy, _ = load_taxonomy(content / TOPICS_FILE, f"{display}/{TOPICS_FILE}")
        topic_ids = taxonomy.ids if taxonomy else ()
        matcher = classify.Matcher(taxonomy) if taxonomy else None
        folder = content / PAPERS_DIR

        def read(chunk: Sequence[str]) -> list[tuple[str, Paper | None, tuple[Problem, ...], Any]]:
            out = []
            for name in chunk:
                paper, problems = load_paper(folder / name, f"{display}/{PAPERS_DIR}/{name}", topic_ids)
                assigned = classify.assign(matcher, paper) if matcher and paper else None
                out.append((name, paper, tuple(problems), assigned))
            return out

        made: dict[str, tuple[Paper, Any]] = {}
        self.parsed += len(names)
        for name, paper, problems, assigned in parallel.halves(read, names):
            if inputs.still(f"{PAPERS_DIR}/{name}", folder / name):
                key = (
                    name,
                    f"{display}/{PAPERS_DIR}/{name}",
                    topic_ids,
                    inputs.content[f"{PAPERS_DIR}/{name}"],
                )
                self.records.papers[key] = (paper, problems)
            if paper is not None and assigned is not None:
                made[paper.slug] = (paper, assigned)
        if taxonomy is not None:
            memo = classify.memo()
            known = dict(memo[1]) if memo and memo[0] == taxonomy else {}
            classify.remember((taxonomy, {**known, **made}))

    def derived(self, name: str, key: bytes, compute: Callable[[], T]) -> tuple[T, bool]:
        """The value `compute()` gives, kept as `name` for `key`; and whether it was kept."""
        kept = self.records.derived.get(name)
        if kept is not None and kept[0] == key:
            value: T = kept[1]
            return value, True
        value = compute()
        self.records.derived[name] = (key, value)
        return value, False

    def related(
        self, inputs: Inputs, papers: Sequence[Paper], *, find: Callable[[Sequence[Paper]], Related]
    ) -> Related:
        """The related papers of `papers`, computed by `find` unless some paper's front matter changed.

        related.py reads titles and abstracts only, but the taxonomy is in the key too:
        topics are a likely input of a future similarity, and it changes seldom.
        """
        key = self._related_key(inputs, papers)
        value, kept = self.derived("related", key, lambda: find(papers))
        return Kept(value) if kept else value

    def knows_related(self, inputs: Inputs, papers: Sequence[Paper]) -> bool:
        """Whether `related` has the related papers of `papers` without computing them."""
        kept = self.records.derived.get("related")
        return kept is not None and kept[0] == self._related_key(inputs, papers)

    @staticmethod
    def _related_key(inputs: Inputs, papers: Sequence[Paper]) -> bytes:
        return _hash(inputs.fronts, inputs.content.get(TOPICS_FILE), [p.slug for p in papers])

    def across(
        self, inputs: Inputs, display: str, content: Content, check: Callable[[Content], list[Problem]]
    ) -> list[Problem]:
        """`check(content)`: the checks across papers, run again only when some paper's front
        matter, the taxonomy or the set of papers read changed (they never read notes)."""
        key = _hash(inputs.fronts, inputs.content.get(TOPICS_FILE), display, [p.slug for p in content.papers])
        value, _ = self.derived("across", key, lambda: tuple(check(content)))
        return list(value)

    def cite_keys(
        self, inputs: Inputs, papers: Sequence[Paper], make: Callable[[Sequence[Paper]], dict[str, str]]
    ) -> dict[str, str]:
        """The citation key of each paper, made again only when some paper's front matter changed."""
        key = _hash(inputs.fronts, [p.slug for p in papers])
        value, _ = self.derived("cite keys", key, lambda: make(papers))
        return value

    @staticmethod
    def page_key(catalogue: bytes, own: bytes | None, related: tuple[str, ...]) -> bytes:
        """The key of a paper page: see the module's docstring."""
        return _hash(catalogue, own, related)

    @staticmethod
    def group_key(catalogue: bytes, related: Mapping[str, tuple[str, ...]] | None = None) -> bytes:
        """The key of a group of files other than paper pages: the catalogue, and the related
        papers of every paper for the group that shows them."""
        return _hash(catalogue, sorted(related.items()) if related is not None else None)

    def reuse(
        self, pages: Mapping[str, bytes], groups: Mapping[str, bytes], on_disk: Mapping[str, os.stat_result]
    ) -> Reuse:
        """The paper pages (by path) and groups of files (by name) whose keys are those of the
        last run and whose files are on disk as it wrote them."""
        state = self.state
        kept = frozenset(
            rel
            for rel, key in pages.items()
            if state.pages.get(rel) == key and intact(state.outputs.get(rel), on_disk.get(rel))
        )
        whole = frozenset(
            name
            for name, key in groups.items()
            if name in state.groups
            and state.groups[name][0] == key
            and all(intact(state.outputs.get(rel), on_disk.get(rel)) for rel in state.groups[name][1])
        )
        return Reuse(kept, whole)

    def save(
        self,
        inputs: Inputs,
        papers: Sequence[Paper],
        outputs: dict[str, FileState],
        pages: dict[str, bytes],
        groups: dict[str, tuple[bytes, tuple[str, ...]]],
        problems: Sequence[Problem],
        *,
        records: bool = True,
    ) -> None:
        """Remember this run; call only once docs/ and mkdocs.yml are written in full.

        The records are saved first (unless `records` is false: `save_records` was
        called already), and the state last: it is what tells the next run that
        docs/ is as this run left it.
        """
        if records:
            self.save_records(papers)
        self.state = State(
            version(),
            inputs.key,
            outputs,
            pages,
            groups,
            tuple(problems),
            inputs.seen,
        )
        _write(self.folder / "state.pickle", self.state)

    def save_records(self, papers: Sequence[Paper]) -> None:
        """Save what was computed from the content: only the shards whose entries changed.

        Records hold no claim about docs/ (every entry is keyed by what it was made
        from), so they may be saved while docs/ is still being written.
        """
        if self._records is not None:
            memo = classify.memo()
            made = memo[1] if memo else {}
            taxonomy = memo[0] if memo else None
            papers_of: list[dict[PaperKey, PaperEntry]] = [{} for _ in range(SHARDS)]
            for key, entry in self._used.items():
                papers_of[shard(key[0])][key] = entry
            assigned_of: list[dict[str, tuple[Paper, Any]]] = [{} for _ in range(SHARDS)]
            for paper in papers:
                if paper.slug in made:
                    assigned_of[shard(f"{paper.slug}.md")][paper.slug] = made[paper.slug]
            for i in range(SHARDS):
                new = Shard(version(), papers_of[i], taxonomy, assigned_of[i])
                old = self._shards.get(i)
                if (
                    old is None
                    or old.taxonomy != new.taxonomy
                    or not _same(old.papers, new.papers)
                    or not _same(old.assigned, new.assigned)
                ):
                    _write(self.folder / f"records-{i:02d}.pickle", new)
            if not _same(self._derived, self._records.derived):
                _write(self.folder / "records.pickle", Meta(version(), self._records.derived))


def _same(old: Mapping[Any, object], new: Mapping[Any, object]) -> bool:
    """Whether `new` holds the very entries of `old` (entries read from the cache are reused as is)."""
    return old.keys() == new.keys() and all(new[k] is v for k, v in old.items())


def with_mkdocs(inputs: Inputs, mkdocs_yml: bytes) -> Inputs:
    """`inputs` with mkdocs.yml as the run left it (the nav is written by the run)."""
    return replace(inputs, mkdocs_yml=digest(mkdocs_yml))
