"""`enrich` end to end on a tiny content/: recorded responses in, validated files out."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from generator.enrich.client import Cache, Client
from generator.enrich.run import enrich
from generator.load import load_paper, read_content
from tests.cli import run_generator

from .conftest import PAPERS
from .replay import FakeClock, ReplayTransport

EPOCH = "1796083200"  # 2026-12-01


@pytest.fixture(autouse=True)
def _epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def run(content: Path, *args: str, transport: ReplayTransport | None = None, cache: bool = True):
    """`enrich SLUGS --source=… [--dry-run]` through the replay transport: (status, out, err, transport)."""
    transport = transport or ReplayTransport()
    client = Client(transport, clock=FakeClock(), cache=Cache(content.parent / ".cache") if cache else None)
    sources = next((a.split("=", 1)[1].split(",") for a in args if a.startswith("--source=")), None)
    slugs = [a for a in args if not a.startswith("--")]
    out, err = io.StringIO(), io.StringIO()
    status = enrich(
        content,
        "content",
        client,
        slugs=slugs,
        dry_run="--dry-run" in args,
        out=out,
        err=err,
        **({"sources": sources} if sources else {}),
    )
    return status, out.getvalue(), err.getvalue(), transport


def paper(content: Path, slug: str):
    record, problems = load_paper(content / "papers" / f"{slug}.md", f"content/papers/{slug}.md", ("agents",))
    assert record is not None, problems
    assert not [p for p in problems if p.is_error]
    return record


APIS = "--source=crossref,openalex,semanticscholar"


def test_title_only_paper_gets_every_field_from_the_trusted_source(content: Path) -> None:
    status, out, err, _ = run(content, "chemcrow", APIS)
    assert (status, err) == (0, "")
    found = paper(content, "chemcrow")
    # Crossref's record of the published version wins authors, year and venue: Semantic
    # Scholar says 2023 (the preprint) and spells the first author "Andrés M Bran".
    assert found.authors == (
        "Andres M. Bran",
        "Sam Cox",
        "Oliver Schilter",
        "Carlo Baldassari",
        "Andrew D. White",
        "Philippe Schwaller",
    )
    assert (found.year, found.venue) == (2024, "Nature Machine Intelligence")
    assert found.link("doi") == "10.1038/s42256-024-00832-8"
    # Only Semantic Scholar names the arXiv preprint (OpenAlex's preprint has another title).
    assert found.link("arxiv") == "2304.05376"
    assert found.link("url") == "https://www.nature.com/articles/s42256-024-00832-8"
    assert found.link("pdf") == "https://www.nature.com/articles/s42256-024-00832-8.pdf"
    # Crossref's JATS abstract as plain text: the "Abstract" heading and the tags are gone.
    assert found.abstract.startswith("Large language models (LLMs) have shown strong performance")
    assert "<" not in found.abstract and "jats" not in found.abstract
    assert found.title == "Augmenting Large Language Models with Chemistry Tools"
    assert "content/papers/chemcrow.md:\n+ authors: Andres M. Bran; Sam Cox;" in out
    assert out.splitlines()[-1] == (
        "1 enriched, 0 unchanged, 0 not found, 0 ambiguous, 0 failed, 0 complete; 3 requests"
    )


def test_provenance_is_recorded_per_source_with_the_source_date_epoch(content: Path) -> None:
    run(content, "chemcrow", APIS)
    text = (content / "papers" / "chemcrow.md").read_text(encoding="utf-8")
    assert text.startswith(PAPERS["chemcrow"].removesuffix("---\n"))
    assert text.endswith(
        "enriched:\n"
        "- source: crossref\n"
        "  id: 10.1038/s42256-024-00832-8\n"
        "  date: 2026-12-01\n"
        "  fields:\n"
        "  - authors\n"
        "  - year\n"
        "  - venue\n"
        "  - doi\n"
        "  - url\n"
        "  - abstract\n"
        "- source: semanticscholar\n"
        "  id: 354dcdebf3f8b5feeed5c62090e0bc1f0c28db06\n"
        "  date: 2026-12-01\n"
        "  fields:\n"
        "  - arxiv\n"
        "  - pdf\n"
        "---\n"
    )


def test_curator_fields_comments_and_notes_are_never_touched(content: Path) -> None:
    status, _out, err, transport = run(content, "pnas-tissues", APIS)
    assert (status, err) == (0, "")
    # Looked up by its DOI, not its title.
    assert len(transport.urls) == 3 and all("10.1073" in url for url in transport.urls)
    text = (content / "papers" / "pnas-tissues.md").read_text(encoding="utf-8")
    before, after = PAPERS["pnas-tissues"].split("---\n", 2)[1:]
    head, added = text.split("---\n", 2)[1], text.split("---\n", 2)[2]
    assert text.startswith("---\n" + before), "every line the curator wrote stays, byte for byte"
    assert added == after, "the notes are byte-identical"
    found = paper(content, "pnas-tissues")
    assert found.authors == ("E. A. Makris", "et al.")
    assert "authors" not in head[len(before) :]
    assert (found.year, found.venue) == (2014, "Proceedings of the National Academy of Sciences")
    assert found.link("url") == "https://pnas.org/doi/full/10.1073/pnas.1414271111"
    assert found.link("pdf") == "https://www.pnas.org/content/pnas/111/45/E4832.full.pdf"
    assert found.abstract.startswith("The inadequate mechanical properties of engineered tissues")


@pytest.mark.parametrize(
    ("line", "authors", "year"),
    [
        ("authors: []\n", (), 2024),  # a key left empty is the curator's choice too
        ("# year: unknown\n", ("Andres M. Bran",), 2024),  # a comment is not a key
        ("year: 2023\n", ("Andres M. Bran",), 2023),  # the preprint year the curator chose stays
    ],
)
def test_what_the_curator_wrote_wins(content: Path, line: str, authors: tuple[str, ...], year: int) -> None:
    path = content / "papers" / "chemcrow.md"
    path.write_text(PAPERS["chemcrow"].replace("added:", f"{line}added:"), encoding="utf-8")
    status, _out, err, _ = run(content, "chemcrow", APIS)
    assert (status, err) == (0, "")
    found = paper(content, "chemcrow")
    assert found.authors[:1] == authors
    assert found.year == year
    assert line in path.read_text(encoding="utf-8")


def test_arxiv_by_id_and_by_title(content: Path) -> None:
    status, _out, err, transport = run(content, "heat-bath", "quantum-criticality", "--source=arxiv")
    assert (status, err) == (0, "")
    heat = paper(content, "heat-bath")
    assert heat.authors == ("Caprice Stanley", "Tobias Windisch")
    assert heat.year == 2016
    assert heat.link("arxiv") == "1605.08386", "the curator's id is kept"
    assert heat.link("pdf") == "https://arxiv.org/pdf/1605.08386"
    quantum = paper(content, "quantum-criticality")
    # The search found two papers; the one whose title agrees (hyphen and case aside) is taken.
    assert quantum.link("arxiv") == "1111.2011"
    assert quantum.link("doi") == "10.1103/PhysRevB.85.115117"
    assert quantum.authors == ("James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic")
    assert len(transport.requests) == 2


def test_a_year_far_from_the_curators_rejects_the_match(content: Path) -> None:
    path = content / "papers" / "quantum-criticality.md"
    path.write_text(PAPERS["quantum-criticality"].replace("added:", "year: 2019\nadded:"), encoding="utf-8")
    before = path.read_bytes()
    status, out, err, _ = run(content, "quantum-criticality", "--source=arxiv")
    assert status == 0
    assert "0 enriched, 0 unchanged, 1 not found," in out
    where = "content/papers/quantum-criticality.md:1:1"
    assert err == f"{where}: enrich: not found: no record with this title in arxiv\n"
    assert path.read_bytes() == before


def test_dry_run_shows_the_changes_and_writes_nothing(content: Path) -> None:
    before = {p.name: p.read_bytes() for p in (content / "papers").iterdir()}
    status, out, _err, _ = run(content, "chemcrow", "pnas-tissues", "complete", APIS, "--dry-run")
    assert status == 0
    assert {p.name: p.read_bytes() for p in (content / "papers").iterdir()} == before
    assert "+ year: 2024  (crossref 10.1038/s42256-024-00832-8)" in out
    assert "+ arxiv: 2304.05376  (semanticscholar 354dcdebf3f8b5feeed5c62090e0bc1f0c28db06)" in out
    assert "content/papers/complete.md" not in out
    assert (
        "2 enriched, 0 unchanged, 0 not found, 0 ambiguous, 0 failed, 1 complete (dry run: nothing written)"
        in out
    )


def test_a_second_run_asks_nothing_and_changes_nothing(content: Path) -> None:
    run(content, "chemcrow", "pnas-tissues", APIS)
    after = {p.name: p.read_bytes() for p in (content / "papers").iterdir()}
    # The same questions again (--dry-run keeps the papers as they were before the first run).
    for name in ("chemcrow", "pnas-tissues"):
        (content / "papers" / f"{name}.md").write_text(PAPERS[name], encoding="utf-8")
    status, _out, _err, transport = run(content, "chemcrow", "pnas-tissues", APIS)
    assert status == 0
    assert transport.requests == [], "every answer came from .cache/"
    assert {p.name: p.read_bytes() for p in (content / "papers").iterdir()} == after
    # Once enriched, nothing is left to ask for.
    status, out, _err, transport = run(content, "chemcrow", APIS)
    assert "0 enriched, 0 unchanged, 0 not found, 0 ambiguous, 0 failed, 1 complete; 0 requests" in out
    assert transport.requests == []


def test_every_written_file_validates(content: Path) -> None:
    run(content, "chemcrow", "pnas-tissues", APIS)
    run(content, "heat-bath", "quantum-criticality", "--source=arxiv")
    loaded, problems = read_content(content, "content")
    assert loaded is not None
    assert [p for p in problems if p.is_error] == []


def test_a_file_that_would_not_validate_is_not_written(content: Path) -> None:
    # Semantic Scholar's record of this paper, with an author name the loader refuses (HTML).
    transport = ReplayTransport()
    s2 = next(u for u in transport.responses if "DOI:10.1073" in u)
    bad = content.parent / "bad.json"
    from .replay import FIXTURES

    bad.write_text(
        (FIXTURES / "s2_paper.json").read_text(encoding="utf-8").replace("Eleftherios Makris", "<b>E</b>"),
        encoding="utf-8",
    )
    transport.responses[s2] = str(bad)
    path = content / "papers" / "pnas-tissues.md"
    path.write_text(
        PAPERS["pnas-tissues"].replace("authors: [E. A. Makris, et al.]   # as the lab cites it\n", "")
    )
    before = path.read_bytes()
    status, _out, err, _ = run(content, "pnas-tissues", "--source=semanticscholar", transport=transport)
    assert status == 1
    assert "content/papers/pnas-tissues.md:" in err and "authors: '<b>E</b>" in err
    assert "not written, the file would not validate" in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in (content / "papers").iterdir()) == sorted(f"{s}.md" for s in PAPERS)


def test_no_network_is_one_line_exit_1_and_nothing_written(content: Path) -> None:
    before = {p.name: p.read_bytes() for p in (content / "papers").iterdir()}
    status, out, err, _ = run(content, APIS, transport=ReplayTransport(unreachable=True))
    assert status == 1
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("enrich: no network (")
    assert err.endswith("nothing was written\n")
    assert {p.name: p.read_bytes() for p in (content / "papers").iterdir()} == before


def test_no_network_through_the_command_line(content: Path) -> None:
    """The real transport, pointed at a closed port through the proxy setting."""
    root = content.parent
    (root / "mkdocs.yml").write_text("site_name: t\nextra:\n  enrich:\n    mailto: curator@example.org\n")
    before = {p.name: p.read_bytes() for p in (content / "papers").iterdir()}
    env = {**os.environ, "https_proxy": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}
    env.pop("NO_PROXY", None)
    env.pop("no_proxy", None)
    proc = run_generator(root, "enrich", "chemcrow", env=env)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.startswith("enrich: no network (cannot reach")
    assert proc.stderr.count("\n") == 1
    assert {p.name: p.read_bytes() for p in (content / "papers").iterdir()} == before
    assert not (root / ".cache").exists()


def test_unknown_slug_and_unknown_source_are_refused(content: Path) -> None:
    status, _out, err, transport = run(content, "no-such-paper")
    assert status == 1 and "no paper with slug 'no-such-paper'" in err and transport.requests == []
    proc = run_generator(content.parent, "enrich", "--source", "arxiv,scholar", env=os.environ)
    assert proc.returncode == 2
    assert "--source: scholar: expected some of arxiv,crossref,openalex,semanticscholar" in proc.stderr


def test_a_later_run_adds_its_entry_to_the_provenance(content: Path) -> None:
    run(content, "chemcrow", "--source=crossref")
    path = content / "papers" / "chemcrow.md"
    # The curator moves the provenance up and adds a note below it: both stay.
    text = path.read_text(encoding="utf-8")
    head, provenance = text.removesuffix("---\n").split("enriched:\n")
    path.write_text(
        head.replace("added:", "enriched:\n" + provenance + "# checked by hand\nadded:", 1) + "---\n",
        encoding="utf-8",
    )
    moved = path.read_text(encoding="utf-8")
    status, out, err, _ = run(content, "chemcrow", "--source=semanticscholar")
    assert (status, err) == (0, "")
    assert "+ arxiv: 2304.05376" in out and "+ pdf: " in out
    text = path.read_text(encoding="utf-8")
    entry = (
        "- source: semanticscholar\n"
        "  id: 354dcdebf3f8b5feeed5c62090e0bc1f0c28db06\n"
        "  date: 2026-12-01\n"
        "  fields:\n"
        "  - arxiv\n"
        "  - pdf\n"
    )
    assert (
        text.replace(entry, "", 1).replace(
            "arxiv: '2304.05376'\npdf: https://www.nature.com/articles/s42256-024-00832-8.pdf\n", ""
        )
        == moved
    )
    assert entry + "# checked by hand\nadded:" in text
    assert paper(content, "chemcrow").link("arxiv") == "2304.05376"


def test_a_second_source_later_adds_fields_before_the_provenance_and_an_entry_at_its_end(
    content: Path,
) -> None:
    run(content, "chemcrow", "--source=crossref")
    path = content / "papers" / "chemcrow.md"
    first = path.read_text(encoding="utf-8")
    run(content, "chemcrow", "--source=semanticscholar")
    text = path.read_text(encoding="utf-8")
    head, provenance = first.removesuffix("---\n").split("enriched:\n")
    assert text == (
        head
        + "arxiv: '2304.05376'\npdf: https://www.nature.com/articles/s42256-024-00832-8.pdf\n"
        + "enriched:\n"
        + provenance
        + "- source: semanticscholar\n  id: 354dcdebf3f8b5feeed5c62090e0bc1f0c28db06\n  date: 2026-12-01\n"
        + "  fields:\n  - arxiv\n  - pdf\n---\n"
    )
    assert paper(content, "chemcrow").link("pdf") == "https://www.nature.com/articles/s42256-024-00832-8.pdf"


def test_without_slugs_only_papers_lacking_authors_year_or_an_identifier_are_looked_up(content: Path) -> None:
    for name in ("heat-bath", "quantum-criticality"):
        (content / "papers" / f"{name}.md").unlink()
    path = content / "papers" / "pnas-tissues.md"
    path.write_text(PAPERS["pnas-tissues"].replace("status:", "year: 2014\nstatus:"), encoding="utf-8")
    status, out, _err, transport = run(content, APIS, "--dry-run")
    assert status == 0
    # Lacking only venue, links and abstract, the PNAS paper is not asked for; ChemCrow is.
    assert "1 enriched, 0 unchanged, 0 not found, 0 ambiguous, 0 failed, 2 complete" in out
    assert "pnas" not in " ".join(transport.urls)
    # Named on the command line, it is.
    status, out, _err, transport = run(content, "pnas-tissues", APIS, "--dry-run")
    assert "+ venue: Proceedings of the National Academy of Sciences  (crossref" in out
    assert len(transport.requests) == 3
