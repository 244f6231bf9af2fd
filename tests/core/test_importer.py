"""The importer on the seed dump: what it reads, what it writes, and what it never overwrites."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import importer, merge, paperfile, text
from generator.load import load_content
from generator.model import LINK_KINDS
from generator.sources.dump import DumpEntry, extract_links, parse_dump

from .conftest import ROOT, SEED, SEED_PAPERS, CliRunner

ADDED = "2025-01-02"
TOPICS_YML = """\
topics:
  - id: reasoning
    title: Reasoning
    description: Papers about reasoning.
    rules:
      reasoning: 4
"""
SUMMARY = re.compile(
    r"^added (\d+), updated (\d+), filled (\d+), unchanged (\d+), kept (\d+) .*skipped (\d+)", re.MULTILINE
)


def read_fields(path: Path) -> tuple[dict[str, Any], str]:
    """Front matter (read with PyYAML, independently of our reader) and body of a content file."""
    text = path.read_text(encoding="utf-8")
    _, meta, body = text.split("---\n", 2)
    return yaml.safe_load(meta), body


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def outcomes(stdout: str) -> dict[str, int]:
    """The counts of the summary line, by outcome."""
    m = SUMMARY.search(stdout)
    assert m, f"no 'added N, updated N, filled N, unchanged N, kept N ..., skipped N' line in:\n{stdout}"
    names = ("added", "updated", "filled", "unchanged", "kept", "skipped")
    return dict(zip(names, (int(g) for g in m.groups()), strict=True))


def counts(stdout: str) -> tuple[int, int, int, int]:
    """Added, updated, unchanged and kept, when nothing was filled."""
    n = outcomes(stdout)
    assert n["filled"] == 0, stdout
    return n["added"], n["updated"], n["unchanged"], n["kept"]


def seed_entries() -> list[DumpEntry]:
    entries, problems = parse_dump(SEED.read_text(encoding="utf-8"), SEED.name)
    assert problems == []
    return entries


@pytest.fixture(scope="module")
def imported_once(tmp_path_factory: pytest.TempPathFactory, cli: CliRunner) -> Path:
    root = tmp_path_factory.mktemp("imported") / "repo"
    (root / "content").mkdir(parents=True)
    (root / "content" / "topics.yml").write_text(TOPICS_YML, encoding="utf-8")
    proc = cli(root, "import", str(SEED), "--added", ADDED)
    assert counts(proc.stdout) == (SEED_PAPERS, 0, 0, 0)
    return root


@pytest.fixture
def project(imported_once: Path, tmp_path: Path) -> Path:
    """A fresh copy of a project right after importing the seed."""
    root = tmp_path / "repo"
    shutil.copytree(imported_once, root)
    return root


# --- Reading the dump ------------------------------------------------------------------------------


def test_seed_dump_has_215_papers_and_no_boilerplate() -> None:
    entries = seed_entries()
    assert len(entries) == SEED_PAPERS
    assert entries[0].title == "The Serial Scaling Hypothesis"
    assert entries[0].abstract.startswith("While machine learning has advanced")
    for entry in entries:
        assert "trending papers" not in entry.title.lower()
        assert not entry.title.startswith("Subscribe")
        assert entry.title != entry.abstract
        # Every title line is short and every abstract long: no pair slipped by one line.
        assert len(entry.title) < 200 < len(entry.abstract), entry.title
    assert len({text.title_key(e.title) for e in entries}) == SEED_PAPERS


def test_dump_with_a_missing_abstract_is_reported_with_its_line() -> None:
    text = "Get trending papers in your email inbox!\nSubscribeA title\nAn abstract.\nA lonely title\n"
    entries, problems = parse_dump(text, "dump.txt")
    assert [e.title for e in entries] == ["A title"]
    assert [str(p) for p in problems] == [
        "dump.txt:4:1: title 'A lonely title' has no abstract line after it"
    ]


def test_subscribe_is_removed_only_where_the_page_glued_it() -> None:
    text = (
        "Get trending papers in your email inbox!\nSubscribeFirst Title\nAbstract one.\n"
        "SubscribeNet: A Publish-Subscribe Network\nAbstract two.\n"
        'Get trending papers in your email inbox once a day!\nSubscribe\n\nSubscribe"Quoted" Title\n'
        "Abstract three.\n"
    )
    entries, problems = parse_dump(text, "dump.txt")
    assert problems == []
    assert [(e.title, e.line) for e in entries] == [
        ("First Title", 2),
        ("SubscribeNet: A Publish-Subscribe Network", 4),
        ('"Quoted" Title', 9),
    ]


def test_dump_with_windows_line_endings_and_blank_lines_reads_the_same() -> None:
    text = SEED.read_text(encoding="utf-8")
    crlf = text.replace("\n", "\r\n\r\n")
    assert parse_dump(crlf, "x")[0] == [
        DumpEntry(e.title, e.abstract, 2 * e.line - 1) for e in seed_entries()
    ]


def test_unicode_line_separators_inside_an_abstract_do_not_split_it() -> None:
    text = (
        "Title One\nAn abstract\u2028with a line separator,\x85a NEL\x0cand a form feed.\nTitle Two\nTwo.\n"
    )
    entries, problems = parse_dump(text, "dump.txt")
    assert problems == []
    assert [(e.title, e.abstract) for e in entries] == [
        ("Title One", "An abstract with a line separator, a NEL and a form feed."),
        ("Title Two", "Two."),
    ]


def test_fixture_seed_is_the_shared_seed() -> None:
    shared = ROOT.parent / "shared" / "seed" / SEED.name
    if not shared.is_file():
        pytest.skip(f"{shared} is not here; the tests use their copy, {SEED.relative_to(ROOT)}")
    assert shared.read_bytes() == SEED.read_bytes()


def test_import_writes_one_valid_file_per_paper(imported_once: Path) -> None:
    papers = sorted((imported_once / "content" / "papers").iterdir())
    assert len(papers) == SEED_PAPERS
    assert all(p.suffix == ".md" for p in papers)
    content, problems = load_content(imported_once / "content")
    assert [p for p in problems if p.is_error] == []
    assert content is not None
    assert len(content.papers) == SEED_PAPERS
    assert {p.added for p in content.papers} == {dt.date.fromisoformat(ADDED)}
    by_slug = {p.slug: p for p in content.papers}
    first = by_slug["the-serial-scaling-hypothesis"]
    assert first.title == "The Serial Scaling Hypothesis"
    assert first.notes == ""


# --- Links -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "kind", "expected"),
    [
        # \url{...}. in LaTeX
        (
            "program-of-thoughts-prompting-disentangling-computation-from-reasoning",
            "code",
            ["https://github.com/wenhuchen/Program-of-Thoughts"],
        ),
        # ...VeriThoughts{this link}: LaTeX braces glued to the URL
        (
            "verithoughts-enabling-automated-verilog-code-generation-using-reasoning",
            "code",
            ["https://github.com/wilyub/VeriThoughts"],
        ),
        (
            "creating-a-dataset-for-high-performance-computing-code-translation",
            "code",
            ["https://github.com/bin123apple/Fortran-CPP-HPC-code-translation-dataset"],
        ),
        # A Zenodo DOI is an archived artefact, not the paper's own DOI.
        (
            "generative-logic-a-new-computer-architecture-for-deterministic",
            "data",
            ["https://doi.org/10.5281/zenodo.16408441"],
        ),
        (
            "generative-logic-a-new-computer-architecture-for-deterministic",
            "code",
            ["https://github.com/Generative-Logic/GL/tree/35a111ea9ba53afe051703d6050be0c3923e9724"],
        ),
        (
            "infinitymath-a-scalable-instruction-tuning-dataset-in-programmatic",
            "data",
            ["https://huggingface.co/datasets/flagopen/InfinityMATH"],
        ),
        (
            "cybench-a-framework-for-evaluating-cybersecurity-capabilities-and-risk",
            "project",
            ["https://cybench.github.io"],
        ),
        (
            "quarch-a-question-answering-dataset-for-ai-agents-in-computer",
            "project",
            ["https://harvard-edge.github.io/QuArch/"],
        ),
        (
            "run-don-t-walk-chasing-higher-flops-for-faster-neural-networks",
            "code",
            ["https://github.com/JierunChen/FasterNet"],
        ),
    ],
)
def test_links_are_extracted_without_trailing_punctuation(
    imported_once: Path, slug: str, kind: str, expected: list[str]
) -> None:
    fields, _ = read_fields(imported_once / "content" / "papers" / f"{slug}.md")
    assert fields[kind] == expected


def test_no_link_is_mangled_and_no_citation_becomes_the_papers_own_id(imported_once: Path) -> None:
    links: list[str] = []
    for path in sorted((imported_once / "content" / "papers").iterdir()):
        fields, _ = read_fields(path)
        # The seed links no paper to itself: arXiv ids in abstracts cite *other* papers.
        assert not {"url", "pdf", "doi", "arxiv"} & set(fields), path.name
        for kind in LINK_KINDS:
            value = fields.get(kind, [])
            links.extend(value if isinstance(value, list) else [value])
    assert len(links) == 26  # every URL in the seed, once
    for url in links:
        assert re.fullmatch(r"https://[\w.-]+\.[a-z]+(/[\w./%-]*)?", url), url
        assert url[-1] not in ".,;:)]}'\"", url


def test_extract_links_sorts_kinds_and_strips_punctuation() -> None:
    abstract = (
        "Code at \\url{https://gitlab.com/a/b}, data on https://zenodo.org/records/1). "
        "See https://doi.org/10.1145/3583780.3615000; (https://example.org/site/(v2)) and "
        "https://github.com/a/b. again https://github.com/a/b!"
    )
    assert extract_links(abstract) == {
        "code": ["https://gitlab.com/a/b", "https://github.com/a/b"],
        "data": ["https://zenodo.org/records/1"],
        "doi": ["10.1145/3583780.3615000"],
        "project": ["https://example.org/site/(v2)"],
    }


# --- Re-importing ----------------------------------------------------------------------------------


def test_second_import_of_the_same_dump_changes_no_file(project: Path, cli: CliRunner) -> None:
    papers = project / "content" / "papers"
    before = snapshot(papers)
    proc = cli(project, "import", str(SEED), "--added", "2030-12-31")
    assert counts(proc.stdout) == (0, 0, SEED_PAPERS, 0)
    assert snapshot(papers) == before  # same names, bytes and mtimes; no stray temp files


def _replace_field(text: str, name: str, line: str) -> str:
    """Replace a top-level front-matter field (and its continuation lines) by `line`."""
    pattern = re.compile(rf"^{name}:.*\n(?:[ -].*\n)*", re.MULTILINE)
    new, n = pattern.subn(line.rstrip("\n") + "\n", text, count=1)
    assert n == 1, f"no field {name!r}"
    return new


def _insert_before_imported(text: str, lines: str) -> str:
    return text.replace("\nimported:\n", "\n" + lines + "imported:\n", 1)


def _dump_with(changes: dict[str, str], extra: tuple[str, str] | None = None) -> str:
    """The seed with some abstracts replaced (keyed by title), plus an optional new paper."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        title = line.removeprefix("Subscribe")
        if title in changes:
            lines[i + 1] = changes[title]
    text = "\n".join(lines)
    if extra:
        text = text.rstrip("\n") + f"\n{extra[0]}\n{extra[1]}\n"
    return text


NOTED = "program-of-thoughts-prompting-disentangling-computation-from-reasoning"
NOTED_TITLE = (
    "Program of Thoughts Prompting: Disentangling Computation from Reasoning for Numerical Reasoning Tasks"
)
REWRITTEN = "the-serial-scaling-hypothesis"
REWRITTEN_TITLE = "The Serial Scaling Hypothesis"
UNTOUCHED = "non-deep-networks"
UNTOUCHED_TITLE = "Non-deep Networks"
NOTES = "## Why read it\n\nIt *separates* computation from reasoning.\n"
CURATOR_ABSTRACT = (
    "abstract: \"A curator's corrected abstract: some problems are inherently serial, and scaling "
    'serial computation matters for reasoning, simulation and decision-making."'
)
LONG = " ".join(["This abstract was revised upstream with more words than before."] * 3)


def test_curator_edits_survive_reimport_of_the_same_and_an_updated_dump(
    project: Path, cli: CliRunner
) -> None:
    papers = project / "content" / "papers"
    noted, rewritten, untouched = (papers / f"{s}.md" for s in (NOTED, REWRITTEN, UNTOUCHED))
    assert read_fields(untouched)[0]["title"] == UNTOUCHED_TITLE

    # The curator adds notes, topics, tags and a status to one paper and rewrites the abstract of another.
    noted.write_text(
        _insert_before_imported(
            noted.read_text(encoding="utf-8"),
            "topics:\n- reasoning\ntags:\n- prompting\n- code\nstatus: essential\n",
        )
        + NOTES,
        encoding="utf-8",
    )
    rewritten.write_text(
        _replace_field(rewritten.read_text(encoding="utf-8"), "abstract", CURATOR_ABSTRACT), encoding="utf-8"
    )
    curated = {p: p.read_bytes() for p in (noted, rewritten)}

    # Same dump: nothing is written; the rewritten abstract is the curator's now.
    before = snapshot(papers)
    proc = cli(project, "import", str(SEED), "--added", "2030-12-31")
    assert counts(proc.stdout) == (0, 0, SEED_PAPERS - 1, 1)
    assert snapshot(papers) == before

    # Updated dump: upstream changed the abstracts of all three papers and added a new one.
    dump = project / "dump-2.txt"
    dump.write_text(
        _dump_with(
            {
                NOTED_TITLE: LONG + " Code: https://github.com/example/pot.",
                REWRITTEN_TITLE: LONG,
                UNTOUCHED_TITLE: LONG,
            },
            extra=("A Brand New Paper on Computation", LONG),
        ),
        encoding="utf-8",
    )
    proc = cli(project, "import", str(dump), "--added", "2030-12-31")
    assert counts(proc.stdout) == (1, 2, SEED_PAPERS - 3, 1)

    # The curator's paper keeps everything the curator wrote and takes the new abstract and link.
    fields, body = read_fields(noted)
    assert fields["abstract"] == LONG + " Code: https://github.com/example/pot."
    assert fields["code"] == ["https://github.com/example/pot"]
    assert fields["topics"] == ["reasoning"]
    assert fields["tags"] == ["prompting", "code"]
    assert fields["status"] == "essential"
    assert fields["added"] == dt.date.fromisoformat(ADDED)
    assert body == NOTES
    assert noted.read_text(encoding="utf-8").startswith(curated[noted].decode().split("abstract:")[0])

    # The rewritten abstract is kept byte for byte.
    assert rewritten.read_bytes() == curated[rewritten]

    # The untouched paper follows upstream.
    fields, body = read_fields(untouched)
    assert fields["abstract"] == LONG
    assert fields["added"] == dt.date.fromisoformat(ADDED)
    assert body == ""

    new = papers / "a-brand-new-paper-on-computation.md"
    fields, _ = read_fields(new)
    assert fields["title"] == "A Brand New Paper on Computation"
    assert fields["added"] == dt.date(2030, 12, 31)
    assert len(list(papers.iterdir())) == SEED_PAPERS + 1

    # And the result is stable: importing the updated dump again changes nothing.
    before = snapshot(papers)
    proc = cli(project, "import", str(dump), "--added", "2031-01-01")
    assert counts(proc.stdout) == (0, 0, SEED_PAPERS - 1 + 1, 1)
    assert snapshot(papers) == before

    content, problems = load_content(project / "content")
    assert content is not None, [str(p) for p in problems]
    by_slug = {p.slug: p for p in content.papers}
    assert by_slug[NOTED].notes == NOTES.strip("\n")
    assert by_slug[NOTED].topics == ("reasoning",)


def test_a_curator_retitled_paper_is_kept_not_added_again(project: Path, cli: CliRunner) -> None:
    papers = project / "content" / "papers"
    path = papers / f"{UNTOUCHED}.md"
    path.write_text(
        _replace_field(path.read_text(encoding="utf-8"), "title", "title: Non-Deep Networks (ParNet)"),
        encoding="utf-8",
    )
    before = snapshot(papers)
    proc = cli(project, "import", str(SEED))
    assert counts(proc.stdout) == (0, 0, SEED_PAPERS - 1, 1)
    assert snapshot(papers) == before


def test_a_paper_a_curator_deleted_is_not_imported_again(project: Path, cli: CliRunner) -> None:
    papers = project / "content" / "papers"
    ledger = project / "content" / "imported.yml"
    assert f": {UNTOUCHED}\n" in ledger.read_text(encoding="utf-8")
    (papers / f"{UNTOUCHED}.md").unlink()
    before = snapshot(papers), ledger.read_bytes()
    proc = cli(project, "import", str(SEED))
    assert counts(proc.stdout) == (0, 0, SEED_PAPERS - 1, 0)
    assert "skipped 1 (1 deleted by a curator" in proc.stdout
    assert (snapshot(papers), ledger.read_bytes()) == before
    # Deleting its ledger line lets the importer add it back.
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text("".join(ln for ln in text.splitlines(True) if not ln.endswith(f": {UNTOUCHED}\n")))
    proc = cli(project, "import", str(SEED))
    assert counts(proc.stdout) == (1, 0, SEED_PAPERS - 1, 0)
    assert (papers / f"{UNTOUCHED}.md").exists()


def test_import_of_a_broken_dump_writes_nothing(project: Path, cli: CliRunner) -> None:
    papers = project / "content" / "papers"
    before = snapshot(papers)
    dump = project / "broken.txt"
    dump.write_text("A New Title\nIts abstract.\n" + "x" * 500 + "\n", encoding="utf-8")
    proc = cli(project, "import", str(dump), check=False)
    assert proc.returncode == 1
    assert f"{dump.as_posix()}:3:1: title 'xxx" in proc.stderr
    assert "nothing was written" in proc.stderr
    assert snapshot(papers) == before


def test_import_of_a_missing_dump_fails_with_its_path(project: Path, cli: CliRunner) -> None:
    proc = cli(project, "import", str(project / "nope.txt"), check=False)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"{(project / 'nope.txt').as_posix()}:1:1: cannot read dump")


# --- The shipped content ---------------------------------------------------------------------------


def test_shipped_content_is_the_import_of_the_seed(tmp_path: Path, cli: CliRunner) -> None:
    shipped = ROOT / "content" / "papers"
    shipped_files = sorted(p.name for p in shipped.glob("*.md"))
    added = {str(read_fields(shipped / name)[0]["added"]) for name in shipped_files}
    assert len(added) == 1, "the seed was imported on one day"
    (tmp_path / "content").mkdir()
    cli(tmp_path, "import", str(SEED), "--added", added.pop())
    fresh = tmp_path / "content" / "papers"
    assert sorted(p.name for p in fresh.iterdir()) == shipped_files
    for name in shipped_files:
        want, _ = read_fields(fresh / name)
        have, _ = read_fields(shipped / name)
        have_managed = {k: have[k] for k in merge.MANAGED if k in have}
        if merge.digest(have_managed) != have["imported"]["digest"]:
            continue  # a curator changed what the importer wrote; the importer keeps their version
        assert have_managed == {k: want[k] for k in merge.MANAGED if k in want}, name
        assert have["added"] == want["added"], name
        # The shipped files carry the single digest of the first importer; a fresh import writes
        # a digest per field, for the same values.
        assert have["imported"]["key"] == want["imported"]["key"], name
        assert have["imported"]["from"] == want["imported"]["from"], name
        owned = merge.read_owned(want["imported"]["dump"])
        assert owned == {k: merge.field_digest(v) for k, v in have_managed.items()}, name


# --- Hardening (issue 9): kills, comments, duplicates, output that validates -----------------------

ABSTRACT = "An abstract that is long enough to be one, about computation, reasoning and the rest of it all."


def _dump(papers: list[tuple[str, str]]) -> str:
    return "".join(f"{title}\n{abstract}\n" for title, abstract in papers)


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "content").mkdir(parents=True)
    (root / "content" / "topics.yml").write_text(TOPICS_YML, encoding="utf-8")
    return root


def _state(root: Path) -> dict[str, bytes]:
    """Every file under content/ (temp files included), by relative path."""
    content = root / "content"
    return {
        p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()
    }


def test_every_intermediate_state_of_an_import_is_finished_by_running_it_again(tmp_path: Path) -> None:
    """Any subset of the paper files written, with the ledger as it was: a re-run ends where one run ends."""
    root = _project(tmp_path)
    first = [(f"Paper Number {i} on Parallel Computation", f"{ABSTRACT} Version one {i}.") for i in range(4)]
    dump = root / "dump.txt"
    dump.write_text(_dump(first), encoding="utf-8")
    day = dt.date(2025, 1, 2)
    assert importer.run_import(root, root / "content", dump, day) == 0
    start = _state(root)
    # The second dump changes two abstracts and adds three papers: five paper files to write.
    second = [(t, a.replace("one", "two") if i < 2 else a) for i, (t, a) in enumerate(first)]
    second += [(f"A New Paper Number {i} on Reasoning", ABSTRACT) for i in range(3)]
    dump.write_text(_dump(second), encoding="utf-8")
    assert importer.run_import(root, root / "content", dump, day) == 0
    final = _state(root)
    changed = sorted(k for k in final if k.startswith("papers/") and start.get(k) != final[k])
    assert len(changed) == 5
    assert final["imported.yml"] != start["imported.yml"]
    for mask in range(2 ** len(changed)):
        shutil.rmtree(root / "content")
        for name, data in start.items():
            (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "content" / name).write_bytes(data)
        for bit, name in enumerate(changed):
            if mask >> bit & 1:
                (root / "content" / name).write_bytes(final[name])
        # A kill between writing a temp file and renaming it leaves the temp file.
        (root / "content" / "papers" / f".{changed[0].split('/')[1]}.4242.import-tmp").write_text("---\ntit")
        assert importer.run_import(root, root / "content", dump, day) == 0
        assert _state(root) == final, f"state {mask:05b}"


def test_import_killed_at_any_point_is_finished_by_the_next_run(tmp_path: Path) -> None:
    """SIGKILL the real command while it writes, several times, then let one run finish."""
    import os
    import signal
    import subprocess
    import sys
    import time

    root = _project(tmp_path)
    n = 400
    papers, ledger = root / "content" / "papers", root / "content" / "imported.yml"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def dump(version: str, count: int) -> Path:
        path = root / f"dump-{version}.txt"
        papers = [
            (f"Paper {i} About Scaling Serial Work", f"{ABSTRACT} Number {i}, {version}.")
            for i in range(count)
        ]
        path.write_text(_dump(papers), encoding="utf-8")
        return path

    def command(path: Path) -> list[str]:
        return [
            sys.executable,
            "-m",
            "generator",
            "--root",
            str(root),
            "-q",
            "import",
            str(path),
            "--added",
            ADDED,
        ]

    def files(folder: Path) -> int:
        return len(os.listdir(folder)) if folder.is_dir() else 0

    def staged() -> int:
        return sum(files(f) for f in root.joinpath("content").glob(".papers.*"))

    kills: list[int] = []

    def kill_when(path: Path, when: Callable[[], bool]) -> None:
        proc = subprocess.Popen(
            command(path), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        while proc.poll() is None and not when():
            time.sleep(0.0005)
        proc.send_signal(signal.SIGKILL)
        kills.append(proc.wait())

    # A first import: killed while it writes, then when the ledger appears (the old importer
    # wrote it before the papers).  Then a second dump that changes every abstract and adds
    # papers, killed while it writes them one by one.  Each run starts where the last was killed.
    first, second = dump("first", n), dump("second", n + n // 2)
    kill_when(first, lambda: staged() >= n // 2 or files(papers) >= n // 2)
    kill_when(first, ledger.exists)
    kill_when(second, lambda: files(papers) >= n + n // 4)
    print("exit statuses of the killed runs:", kills)  # -9: killed on the way, as meant
    proc = subprocess.run(command(second), cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "skipped 0" in proc.stdout
    assert sorted(p.name for p in root.joinpath("content").iterdir()) == [
        "imported.yml",
        "papers",
        "topics.yml",
    ]
    assert not [p for p in papers.iterdir() if not p.name.endswith(".md")], "temp files left behind"
    content, problems = load_content(root / "content")
    assert content is not None, problems
    assert sorted(p.abstract for p in content.papers) == sorted(
        f"{ABSTRACT} Number {i}, second." for i in range(n + n // 2)
    )
    assert len(paperfile.read_ledger(ledger.read_text(encoding="utf-8"))) == n + n // 2


COMMENTED = """\
---
# Checked against the PDF by the curator.
title: {title}  # the short title
added: 2025-01-02
abstract: "{abstract}"
# abstract: an earlier version, kept for reference
code:
- https://github.com/example/one  # the official one
# a mirror follows
- https://github.com/example/two
topics:
- reasoning  # by hand
imported:
  # do not edit below
  from: dump.txt
  digest: {digest}
  key: {key}
# end of metadata
---
Notes.
"""


def test_curator_comments_survive_an_update_of_the_fields_they_sit_in(tmp_path: Path, cli: CliRunner) -> None:
    root = _project(tmp_path)
    title = "Serial Scaling of Computation"
    abstract = f"{ABSTRACT} Code: https://github.com/example/one and https://github.com/example/two."
    values: dict[str, object] = {
        "title": title,
        "abstract": abstract,
        "code": ["https://github.com/example/one", "https://github.com/example/two"],
    }
    path = root / "content" / "papers" / "serial-scaling-of-computation.md"
    path.parent.mkdir()
    key = merge.key_hash(title)
    path.write_text(COMMENTED.format(title=title, abstract=abstract, digest=merge.digest(values), key=key))
    dump = root / "dump.txt"
    new_abstract = f"{ABSTRACT} Revised. Code: https://github.com/example/three."
    dump.write_text(_dump([(title, new_abstract)]), encoding="utf-8")
    proc = cli(root, "import", str(dump))
    assert outcomes(proc.stdout)["updated"] == 1
    text = path.read_text(encoding="utf-8")
    for comment in (
        "# Checked against the PDF by the curator.",
        "title: Serial Scaling of Computation  # the short title",
        "# abstract: an earlier version, kept for reference",
        "# the official one",
        "# a mirror follows",
        "- reasoning  # by hand",
        "# end of metadata",
    ):
        assert comment in text, comment
    fields, body = read_fields(path)
    assert fields["abstract"] == new_abstract
    assert fields["code"] == ["https://github.com/example/three"]
    assert fields["topics"] == ["reasoning"]
    assert body == "Notes.\n"
    content, problems = load_content(root / "content")
    assert content is not None, [str(p) for p in problems]


@pytest.mark.parametrize("existing", [False, True], ids=["new", "already-imported"])
def test_the_same_title_twice_in_a_dump_is_refused_with_both_lines(
    tmp_path: Path, cli: CliRunner, existing: bool
) -> None:
    root = _project(tmp_path)
    dump = root / "dump.txt"
    if existing:
        dump.write_text(_dump([("Non-deep Networks", ABSTRACT)]), encoding="utf-8")
        cli(root, "import", str(dump))
    before = _state(root)
    dump.write_text(
        _dump(
            [("Non-deep Networks", ABSTRACT + " One."), ("Other", ABSTRACT), ("Non-Deep Networks.", ABSTRACT)]
        ),
        encoding="utf-8",
    )
    proc = cli(root, "import", str(dump), check=False)
    assert proc.returncode == 1
    shown = dump.as_posix()
    assert (
        f"{shown}:5:1: title 'Non-Deep Networks.' appears twice in the dump (first on line 1)" in proc.stderr
    )
    assert (
        f"{shown}:1:1: title 'Non-deep Networks' appears twice in the dump (again on line 5)" in proc.stderr
    )
    assert "nothing was written" in proc.stderr
    assert _state(root) == before


BAD = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("dump", "message"),
    [
        (f"Fine Title\n{ABSTRACT}\nScripted\n{ABSTRACT} {BAD}\n", "3:1: abstract: raw HTML <script>"),
        (
            f"Fine Title\n{ABSTRACT}\nHuge\n{'word ' * 60_000}\n",
            "3:1: abstract: too long: the paper file would be",
        ),
        (
            f"Fine Title\n{ABSTRACT}\nA <b>bold</b> title\n{ABSTRACT}\n",
            "3:1: title: '<b>bold</b> ' would be read as HTML",
        ),
        (f"Fine Title\n{ABSTRACT}\nOn <img src=x onerror=alert(1)>\n{ABSTRACT}\n", "3:1: title:"),
    ],
    ids=["script-in-abstract", "megabyte-abstract", "html-title", "img-title"],
)
def test_an_entry_validate_would_reject_is_refused_at_its_dump_line(
    tmp_path: Path, cli: CliRunner, dump: str, message: str
) -> None:
    root = _project(tmp_path)
    path = root / "dump.txt"
    path.write_text(dump, encoding="utf-8")
    proc = cli(root, "import", str(path), check=False)
    assert proc.returncode == 1, proc.stdout
    assert f"{path.as_posix()}:{message}" in proc.stderr
    assert "--skip-invalid" in proc.stderr
    assert not (root / "content" / "papers").exists()
    assert not (root / "content" / "imported.yml").exists()


@pytest.mark.parametrize(
    ("dump", "title", "abstract"),
    [
        (f"\ufeffFirst Title\n{ABSTRACT}\n", "First Title", ABSTRACT),
        (f"Bell\x07 and\x1b Escape\n{ABSTRACT}\x00\x7f\n", "Bell and Escape", ABSTRACT),
        (f"Tabs\tand \u00a0spaces\n {ABSTRACT}\x85 \u2028end\n", "Tabs and spaces", f"{ABSTRACT} end"),
    ],
    ids=["bom", "control-characters", "whitespace"],
)
def test_what_is_safe_to_clean_is_cleaned_and_the_result_validates(
    tmp_path: Path, cli: CliRunner, dump: str, title: str, abstract: str
) -> None:
    root = _project(tmp_path)
    path = root / "dump.txt"
    path.write_bytes(dump.encode("utf-8"))
    cli(root, "import", str(path))
    content, problems = load_content(root / "content")
    assert content is not None, [str(p) for p in problems]
    assert [(p.title, p.abstract) for p in content.papers] == [(title, abstract)]


def test_an_update_validate_would_reject_is_refused_and_the_file_kept(tmp_path: Path, cli: CliRunner) -> None:
    root = _project(tmp_path)
    dump = root / "dump.txt"
    dump.write_text(_dump([("Fine Title", ABSTRACT), ("Other Title", ABSTRACT)]), encoding="utf-8")
    cli(root, "import", str(dump))
    before = _state(root)
    dump.write_text(_dump([("Fine Title", ABSTRACT), ("Other Title", f"{ABSTRACT} {BAD}")]), encoding="utf-8")
    proc = cli(root, "import", str(dump), check=False)
    assert proc.returncode == 1
    assert f"{dump.as_posix()}:3:1: abstract: raw HTML <script>" in proc.stderr
    assert _state(root) == before
    proc = cli(root, "import", str(dump), "--skip-invalid")
    assert f"skipped: {dump.as_posix()}:3:1: abstract: raw HTML <script>" in proc.stderr
    assert outcomes(proc.stdout)["unchanged"] == 1
    assert _state(root) == before
