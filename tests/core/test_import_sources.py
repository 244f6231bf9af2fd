"""Importing libraries (issue 12): format detection, merging sources into the paper files, bad input."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from pathlib import Path

import pytest
import yaml

from generator import match, merge, paperfile
from generator.load import load_content, load_paper
from generator.sources import detect
from generator.sources.entry import SourceEntry

from .conftest import ROOT, SEED, SEED_PAPERS, CliRunner
from .test_importer import ABSTRACT, TOPICS_YML, outcomes, read_fields

DAY = dt.date(2025, 3, 4)


@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [
        ("seed.txt", "@article{x,\n}", "dump"),
        ("library.bib", "", "bib"),
        ("LIBRARY.BIB", "", "bib"),
        ("zotero.json", "", "csl"),
        ("export.ris", "", "ris"),
        ("export", "\ufeff\n  @article{vaswani2017,\n  title = {Attention}\n}\n", "bib"),
        ("export", "% JabRef\n@String{nips = {NeurIPS}}\n", "bib"),
        ("export.dat", '[{"id": "a", "type": "article-journal"}]', "csl"),
        ("export", "TY  - JOUR\nTI  - Attention\nER  - \n", "ris"),
        ("export", "A Title\nIts abstract, with an @ sign.\n", "dump"),
    ],
)
def test_the_format_comes_from_the_extension_or_else_the_content(name: str, text: str, fmt: str) -> None:
    assert detect.format_of(name, text) == fmt


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "content").mkdir(parents=True)
    (root / "content" / "topics.yml").write_text(TOPICS_YML, encoding="utf-8")
    return root


def _import(
    root: Path, entries: list[SourceEntry], fmt: str = "bib", name: str = "library.bib"
) -> match.ImportReport:
    """Import `entries` as a reader of format `fmt` would return them from the file `name`."""
    papers, ledger_path = root / "content" / "papers", root / paperfile.LEDGER
    ledger = paperfile.read_ledger(ledger_path.read_text(encoding="utf-8")) if ledger_path.exists() else {}
    plan = match.make_plan(entries, papers, name, DAY, ledger, fmt=fmt, display=name)
    assert plan.problems == [] and plan.fatal == []
    paperfile.write_plan(papers, plan.writes, ledger_path, paperfile.render_ledger(plan.ledger))
    return plan.report


def _files(root: Path) -> dict[str, bytes]:
    content = root / "content"
    return {
        p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()
    }


ATTENTION = "attention-is-all-you-need"
COT = "chain-of-thought-prompting-elicits-reasoning"
RESNET = "deep-residual-learning-for-image-recognition"
DUMP = (
    f"Attention Is All You Need\n{ABSTRACT} Transformers.\n"
    f"Chain of Thought Prompting Elicits Reasoning\n{ABSTRACT} Prompting.\n"
)


def _bib(
    year: int = 2017, cot_title: str = "Chain of Thought Prompting Elicits Reasoning"
) -> list[SourceEntry]:
    """What the BibTeX reader returns for a small library."""
    return [
        SourceEntry(
            line=1,
            col=1,
            title="Attention is All you Need",
            abstract=f"{ABSTRACT} Transformers, as the library has it.",
            authors=("Ashish Vaswani", "Noam Shazeer"),
            year=year,
            venue="Advances in Neural Information Processing Systems",
            type="inproceedings",
            cite_key="vaswani2017attention",
            doi="10.5555/3295222.3295349",
            bib_fields=(("pages", "5998--6008"),),
        ),
        SourceEntry(
            line=12,
            col=1,
            title=cot_title,
            authors=("Jason Wei",),
            year=2022,
            arxiv="2201.11903",
            type="misc",
        ),
        SourceEntry(
            line=20,
            col=1,
            title="Deep Residual Learning for Image Recognition",
            authors=("Kaiming He", "Xiangyu Zhang"),
            year=2016,
            doi="10.1109/CVPR.2016.90",
            tags=("vision",),
        ),
    ]


def test_dump_then_bib_then_curator_edits_then_bib_again(tmp_path: Path, cli: CliRunner) -> None:
    root = _project(tmp_path)
    papers = root / "content" / "papers"
    dump = root / "dump.txt"
    dump.write_text(DUMP, encoding="utf-8")
    cli(root, "import", str(dump), "--added", "2025-01-01")
    dumped = read_fields(papers / f"{ATTENTION}.md")[0]

    # The .bib fills in what the dump did not have, and adds the paper the dump did not list;
    # the title and abstract stay the dump's.
    report = _import(root, _bib())
    assert (report.added, sorted(report.filled), report.updated) == ([RESNET], [ATTENTION, COT], [])
    fields, _ = read_fields(papers / f"{ATTENTION}.md")
    assert fields["title"] == dumped["title"] and fields["abstract"] == dumped["abstract"]
    assert fields["authors"] == ["Ashish Vaswani", "Noam Shazeer"]
    assert (fields["year"], fields["type"], fields["cite_key"]) == (
        2017,
        "inproceedings",
        "vaswani2017attention",
    )
    assert fields["bib_fields"] == {"pages": "5998--6008"}
    assert " ".join(fields) == "title added abstract authors year venue type cite_key doi bib_fields imported"
    assert set(merge.read_owned(fields["imported"]["dump"])) == {"title", "abstract"}
    assert set(merge.read_owned(fields["imported"]["bib"])) == {
        "authors",
        "year",
        "venue",
        "type",
        "cite_key",
        "doi",
        "bib_fields",
    }
    assert read_fields(papers / f"{COT}.md")[0]["arxiv"] == "2201.11903"

    # The curator fixes an author, deletes the venue, retitles a paper and writes an abstract.
    path = papers / f"{ATTENTION}.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("- Noam Shazeer\n", "- Noam M. Shazeer  # as on the PDF\n")
    text = text.replace("venue: Advances in Neural Information Processing Systems\n", "")
    path.write_text(text, encoding="utf-8")
    path = papers / f"{COT}.md"
    path.write_text(path.read_text().replace("title: Chain of", "title: CoT, or Chain of"), encoding="utf-8")
    path = papers / f"{RESNET}.md"
    path.write_text(
        path.read_text().replace("\nauthors:", f"\nabstract: {ABSTRACT}\nauthors:", 1), encoding="utf-8"
    )
    curated = _files(root)

    # The library again, with a year corrected upstream and a longer title: the year follows the
    # library, the curator's author, deletion, title and abstract stay; the retitled paper is
    # found by its arXiv id.
    report = _import(root, _bib(year=2018, cot_title="Chain-of-Thought Prompting Elicits Reasoning in LLMs"))
    assert (report.added, report.updated, report.filled) == ([], [ATTENTION], [])
    assert sorted(report.kept) == [COT]
    assert report.unchanged == [RESNET]
    fields, _ = read_fields(papers / f"{ATTENTION}.md")
    assert fields["year"] == 2018
    assert fields["authors"] == ["Ashish Vaswani", "Noam M. Shazeer"]
    assert "venue" not in fields
    assert "- Noam M. Shazeer  # as on the PDF\n" in (papers / f"{ATTENTION}.md").read_text()
    after = _files(root)
    # The ledger learns the retitled paper's new title too, so a deletion holds under either.
    assert {k for k in after if after[k] != curated[k]} == {f"papers/{ATTENTION}.md", "imported.yml"}
    assert read_fields(papers / f"{COT}.md")[0]["title"].startswith("CoT, or")
    assert read_fields(papers / f"{RESNET}.md")[0]["abstract"] == ABSTRACT

    # Importing either source again changes nothing.
    assert sorted(_import(root, _bib(year=2018)).kept) == [ATTENTION, COT] and _files(root) == after
    proc = cli(root, "import", str(dump))
    assert outcomes(proc.stdout)["added"] == 0
    assert _files(root) == after
    content, problems = load_content(root / "content")
    assert content is not None, [str(p) for p in problems if p.is_error]


@pytest.mark.skipif(
    importlib.util.find_spec("generator.sources.bib") is None, reason="no BibTeX reader here yet"
)
def test_dump_then_a_real_bib_file_fills_in_authors(tmp_path: Path, cli: CliRunner) -> None:
    root = _project(tmp_path)
    dump, bib = root / "dump.txt", root / "library.bib"
    dump.write_text(DUMP, encoding="utf-8")
    bib.write_text(
        "@inproceedings{vaswani2017attention,\n  title = {Attention is All you Need},\n"
        "  author = {Vaswani, Ashish and Shazeer, Noam},\n  year = {2017},\n"
        "  booktitle = {Advances in Neural Information Processing Systems},\n}\n",
        encoding="utf-8",
    )
    cli(root, "import", str(dump))
    proc = cli(root, "import", str(bib))
    assert outcomes(proc.stdout)["filled"] == 1
    fields, _ = read_fields(root / "content" / "papers" / f"{ATTENTION}.md")
    assert fields["authors"] == ["Ashish Vaswani", "Noam Shazeer"]
    assert fields["cite_key"] == "vaswani2017attention"


def test_importing_the_seed_into_the_shipped_content_changes_no_file(tmp_path: Path, cli: CliRunner) -> None:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "content", root / "content")
    content = root / "content"
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(content.rglob("*")) if p.is_file()}
    proc = cli(root, "import", str(SEED), "--added", "2031-05-06")
    n = outcomes(proc.stdout)
    assert (n["added"], n["updated"], n["filled"], n["skipped"]) == (0, 0, 0, 0)
    assert n["unchanged"] + n["kept"] == SEED_PAPERS
    assert {
        p: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(content.rglob("*")) if p.is_file()
    } == before


GOOD = ("A Good Paper on Computation", ABSTRACT)
BAD_ENTRIES = (
    ("A Scripted Paper", f"{ABSTRACT} <script>alert(1)</script>"),
    ("Twice Listed Paper", ABSTRACT),
    ("Another Good Paper", ABSTRACT),
    ("Twice Listed Paper", ABSTRACT + " Again."),
)


def test_bad_entries_refuse_the_import_unless_skip_invalid(tmp_path: Path, cli: CliRunner) -> None:
    root = _project(tmp_path)
    dump = root / "dump.txt"
    dump.write_text("".join(f"{t}\n{a}\n" for t, a in (GOOD, *BAD_ENTRIES)) + "A title without abstract\n")
    shown = dump.as_posix()
    problems = [
        f"{shown}:3:1: abstract: raw HTML <script> is not allowed",
        f"{shown}:5:1: title 'Twice Listed Paper' appears twice in the dump (again on line 9)",
        f"{shown}:9:1: title 'Twice Listed Paper' appears twice in the dump (first on line 5)",
        f"{shown}:11:1: title 'A title without abstract' has no abstract line after it",
    ]
    proc = cli(root, "import", str(dump), check=False)
    assert proc.returncode == 1
    for problem in problems:
        assert problem in proc.stderr
    assert "nothing was written" in proc.stderr and "--skip-invalid" in proc.stderr
    assert not (root / "content" / "papers").exists()

    proc = cli(root, "import", str(dump), "--skip-invalid")
    for problem in problems:
        assert f"skipped: {problem}" in proc.stderr
    assert outcomes(proc.stdout)["added"] == 2
    assert outcomes(proc.stdout)["skipped"] == 4
    assert sorted(p.name for p in (root / "content" / "papers").iterdir()) == [
        "a-good-paper-on-computation.md",
        "another-good-paper.md",
    ]


def test_the_same_doi_twice_in_a_library_is_reported_with_both_lines(tmp_path: Path) -> None:
    entries = [
        SourceEntry(line=1, col=1, title="One Title", doi="10.1000/XYZ"),
        SourceEntry(line=9, col=3, title="Another Title", doi="10.1000/xyz"),
    ]
    plan = match.make_plan(entries, tmp_path, "lib.bib", DAY, {}, fmt="bib", display="lib.bib")
    assert [str(p) for p in sorted(plan.problems)] == [
        "lib.bib:1:1: DOI 10.1000/xyz appears twice in the file (again on line 9)",
        "lib.bib:9:3: DOI 10.1000/xyz appears twice in the file (first on line 1)",
    ]
    assert plan.writes == {}


def test_a_new_paper_has_the_content_format_fields_in_order_and_validates(tmp_path: Path) -> None:
    root = _project(tmp_path)
    entry = SourceEntry(
        line=4,
        col=1,
        title="  A\u2028Complete\tEntry ",
        abstract=ABSTRACT,
        authors=("Ada Lovelace", "Alan Turing"),
        year=1950,
        venue="Mind",
        type="article",
        cite_key="turing1950",
        doi="10.1093/mind/LIX.236.433",
        arxiv="2101.00001v2",
        url="https://example.org/paper",
        pdf="https://example.org/paper.pdf",
        tags=("machines", "yes"),
        code=("https://github.com/example/code",),
        data=("https://zenodo.org/records/1",),
        project=("https://example.org",),
        bib_fields=(("volume", "59"), ("pages", "433--460")),
    )
    _import(root, [entry], fmt="csl", name="zotero.json")
    path = root / "content" / "papers" / "a-complete-entry.md"
    fields = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert list(fields) == ["title", "added", *paperfile.FIELDS[1:], "imported"]
    assert fields["title"] == "A Complete Entry"
    assert fields["tags"] == ["machines", "yes"]
    paper, problems = load_paper(path, "a-complete-entry.md", ("reasoning",))
    assert paper is not None and [p for p in problems if p.is_error] == []
    assert paper.authors == ("Ada Lovelace", "Alan Turing") and paper.year == 1950
    assert paper.bib_fields == (("pages", "433--460"), ("volume", "59"))
