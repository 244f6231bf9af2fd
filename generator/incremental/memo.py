"""The memo: what the last run read, computed and wrote, each kept with the key it depends on.

Kept in .cache/generator/ (git-ignored): `state` (small, read on every run)
and `records` (the parsed papers, read when something changed).  Deleting
them only costs time.  What each value depends on:

- a file of content/: its size, times and inode (see `inputs`).
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

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..layout import PAPERS_DIR, paper_file, slug_of_path
from ..load import Known
from ..model import Assignment, Paper, Problem
from ..taxonomy import TOPICS_FILE
from . import store
from .inputs import Inputs, Seen, Stat, digest, hash_of, version
from .inputs import scan as scan_inputs

#: The records are saved again when more papers than this were read: fewer are cheaper to
#: read again next time than 30 MB of records are to write (a notes edit reads one).
RESAVE_AFTER = 50

Related = Mapping[str, tuple[str, ...]]


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
    inputs: bytes = b""
    seen: dict[str, Seen] = field(default_factory=dict)
    outputs: dict[str, Written] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    # Pickled as plain tuples: ten thousand named tuples each way cost a notes edit 0.3 s
    # to save and load at 10,000 papers; plain tuples a quarter of that (benchmarks/RESULTS.md).
    def __getstate__(self) -> tuple[object, ...]:
        seen = {rel: (tuple(s.stat), s.digest, s.head, s.read_at) for rel, s in self.seen.items()}
        outputs = {rel: (w.key, tuple(w.stat)) for rel, w in self.outputs.items()}
        return (self.version, self.inputs, seen, outputs, self.problems)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.version, self.inputs, seen, outputs, self.problems = state
        self.seen = {rel: Seen(Stat(*st), d, head, at) for rel, (st, d, head, at) in seen.items()}
        self.outputs = {rel: Written(key, Stat(*st)) for rel, (key, st) in outputs.items()}


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
    #: The checks across papers that read front matter only (validate.check_papers).
    checks: tuple[Problem, ...] = ()
    #: Each paper's citation key, by slug: like related papers, they follow from the front matter.
    cite_keys: dict[str, str] = field(default_factory=dict)


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

    def known_checks(self, inputs: Inputs, papers: Sequence[Paper]) -> Sequence[Problem] | None:
        return None

    def known_cite_keys(self, inputs: Inputs, papers: Sequence[Paper]) -> Mapping[str, str] | None:
        return None

    def plan(
        self, inputs: Inputs, settings: object, files: Mapping[str, object], related: Related, docs: Path
    ) -> Plan:
        return Plan(tuple(files))

    def save(self, *args: Any, **kwargs: Any) -> None:
        return None


class Memo(NoMemo):
    """The memo of one project, kept in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.version = version()
        self.key = store.secret()
        state = store.load(folder / "state", self.key, self.version)
        ok = isinstance(state, State) and state.version == self.version
        self.state: State = state if ok else State()
        self._records: Records | None = None
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
        return scan_inputs(content, config, self.state.seen)

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

    def known_checks(self, inputs: Inputs, papers: Sequence[Paper]) -> Sequence[Problem] | None:
        """The checks across papers, which read front matter only, as the last run found them."""
        kept = self.records.related
        if kept is not None and kept[0] == self._related_key(inputs, papers):
            return self.records.checks
        return None

    def known_cite_keys(self, inputs: Inputs, papers: Sequence[Paper]) -> Mapping[str, str] | None:
        """Each paper's citation key as the last run found them, if the front matter is the same."""
        kept = self.records.related
        if kept is not None and kept[0] == self._related_key(inputs, papers) and self.records.cite_keys:
            return self.records.cite_keys
        return None

    @staticmethod
    def _related_key(inputs: Inputs, papers: Sequence[Paper]) -> bytes:
        return hash_of(inputs.fronts, [p.slug for p in papers])

    # --- what to write -----------------------------------------------------------------------

    def plan(
        self, inputs: Inputs, settings: object, files: Mapping[str, object], related: Related, docs: Path
    ) -> Plan:
        """Render the files whose key changed or that are not on disk as written; keep the rest."""
        on_disk = self._docs or survey(docs)
        self._keys = self._output_keys(inputs, settings, files, related)
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
    def _output_keys(
        inputs: Inputs, settings: object, files: Mapping[str, object], related: Related
    ) -> dict[str, bytes]:
        catalogue = inputs.catalogue(settings)
        every_related = hash_of(sorted(related.items()))
        keys = {}
        for rel in files:
            slug = slug_of_path(rel)
            if slug is not None:
                keys[rel] = _page_key(
                    catalogue, inputs.files.get(f"{PAPERS_DIR}/{paper_file(slug)}"), related.get(slug)
                )
            elif rel == "papers.json":
                keys[rel] = hash_of(catalogue, every_related)
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
        checks: Sequence[Problem],
        assignments: Mapping[str, Assignment],
        related: Related,
        cite_keys: Mapping[str, str],
        written: Mapping[str, os.stat_result],
        problems: Sequence[Problem],
    ) -> None:
        """Remember this run: call once docs/ and mkdocs.yml are written in full.

        `loaded` are the problems the loader found (the records of files with errors are
        not kept: they are read again); `checks` those of `validate.check_papers`, which,
        like related papers, follow from the front matter of every paper.  The records
        first, the state last: the state is what claims that docs/ is as this run left it.
        `config_after` is mkdocs.yml as this run wrote it.
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
            records.checks = tuple(checks)
            records.cite_keys = dict(cite_keys)
            store.save(self.folder / "records", self.key, self.version, records)
        # Else what is on disk stays: the few papers read anew are cheaper to read again next time
        # than the records of the whole list are to write (a notes edit reads one).
        outputs = {rel: Written(self._keys[rel], Stat.of(st)) for rel, st in written.items()}
        self.state = State(
            self.version,
            Inputs(inputs.files, inputs.heads, digest(config_after)).key,
            inputs.seen,
            outputs,
            tuple(problems),
        )
        store.save(self.folder / "state", self.key, self.version, self.state)
        # The records are let go once saved (asked again, they are read from the file): the
        # run pauses the cycle collector (store.gc_paused), and the collector back on would
        # walk each of their objects once while this memo lives (0.13 s of a notes edit at
        # 10,000 papers).
        self._records = None


def _page_key(catalogue: bytes, own: bytes | None, related: tuple[str, ...] | None) -> bytes:
    # Digests have a fixed length, so the concatenation is unambiguous; a byte string is
    # cheaper to make than a pickle, ten thousand times a run.
    return digest(b"".join((catalogue, own or bytes(16), b"\0".join(s.encode() for s in related or ()))))
