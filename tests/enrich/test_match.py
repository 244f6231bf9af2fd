"""Which records are the paper, and which source wins a field."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from generator.enrich import crossref, openalex, semanticscholar
from generator.enrich.found import Found
from generator.enrich.match import choose, contradiction, judge, missing, normalise_title
from generator.model import Link, Origin, Paper

from .replay import FIXTURES

CHEMCROW = "Augmenting large language models with chemistry tools"


def make_paper(title: str = CHEMCROW, *, year: int | None = None, **links: str) -> Paper:
    return Paper(
        slug="p",
        title=title,
        added=dt.date(2026, 1, 1),
        origin=Origin("content/papers/p.md"),
        year=year,
        links=tuple(Link(kind, url) for kind, url in links.items()),
    )


def chemcrow_records() -> dict[str, list[Found]]:
    """What the three APIs answered to a title search for ChemCrow."""
    return {
        "crossref": crossref.parse((FIXTURES / "crossref_query_title.json").read_text(encoding="utf-8")),
        "openalex": openalex.parse((FIXTURES / "openalex_search.json").read_text(encoding="utf-8")),
        "semanticscholar": semanticscholar.parse(
            (FIXTURES / "s2_search_match.json").read_text(encoding="utf-8")
        ),
    }


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Augmenting Large Language Models with Chemistry Tools", CHEMCROW),  # case
        ("Augmenting large-language models, with chemistry tools!", CHEMCROW),  # punctuation
        ("  Augmenting  large language\n models with chemistry tools ", CHEMCROW),  # spacing
        ("Schrödinger's Équation", "Schrodingers Equation"),  # accents
        ('Schr\\"{o}dinger\'s \\\'{E}quation', "Schrödinger's Équation"),  # LaTeX accents
        ("\\emph{Deep} learning for $\\alpha$-helices", "Deep learning for α-helices"),  # LaTeX commands
        ("{BERT}: Pre-training of {D}eep Transformers", "BERT: Pre-training of Deep Transformers"),  # braces
    ],
)  # fmt: skip
def test_titles_that_agree(a: str, b: str) -> None:
    assert normalise_title(a) == normalise_title(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ChemCrow: Augmenting large-language models with chemistry tools", CHEMCROW),  # the preprint
        ("Augmenting large language models with physics tools", CHEMCROW),
        ("Augmenting language models with chemistry tools", CHEMCROW),
        ("Attention is all you need", "Attention is not all you need"),
    ],
)
def test_near_miss_titles_do_not_agree(a: str, b: str) -> None:
    assert normalise_title(a) != normalise_title(b)


def test_title_search_accepts_the_paper_and_rejects_the_preprint_with_another_title() -> None:
    verdict = judge(make_paper("Augmenting Large Language Models with Chemistry Tools"), chemcrow_records())
    assert verdict.ambiguous == ""
    assert sorted((f.source, f.source_id) for f in verdict.accepted) == [
        ("crossref", "10.1038/s42256-024-00832-8"),
        ("openalex", "W4396723768"),
        ("semanticscholar", "354dcdebf3f8b5feeed5c62090e0bc1f0c28db06"),
    ]


@pytest.mark.parametrize(
    ("year", "links", "reason"),
    [
        (2019, {}, "year 2024 is far from 2019"),
        (2022, {}, "year 2024 is far from 2022"),
        (None, {"doi": "10.1000/other"}, "DOI 10.1038/s42256-024-00832-8 differs from 10.1000/other"),
    ],
)
def test_a_contradiction_rejects_the_record(year: int | None, links: dict[str, str], reason: str) -> None:
    [record] = chemcrow_records()["crossref"]
    assert contradiction(make_paper(year=year, **links), record) == reason


def test_a_year_one_off_is_the_preprint_or_the_print_edition() -> None:
    [record] = chemcrow_records()["crossref"]
    assert contradiction(make_paper(year=2023), record) == ""
    assert contradiction(make_paper(year=2025, doi="10.1038/S42256-024-00832-8"), record) == ""


def test_a_different_arxiv_id_contradicts() -> None:
    [record] = chemcrow_records()["semanticscholar"]
    assert (
        contradiction(make_paper(arxiv="2304.05377"), record) == "arXiv id 2304.05376 differs from 2304.05377"
    )
    assert contradiction(make_paper(arxiv="2304.05376v2"), record) == ""


def test_a_paper_with_a_far_year_matches_nothing() -> None:
    verdict = judge(make_paper(year=2010), chemcrow_records())
    assert verdict == type(verdict)(())


def test_two_different_works_with_the_title_in_one_source_are_ambiguous() -> None:
    records = chemcrow_records()
    [work] = records["crossref"]
    records["crossref"].append(dataclasses.replace(work, source_id="10.9999/copy", doi="10.9999/copy"))
    verdict = judge(make_paper(), records)
    assert verdict.accepted == ()
    assert verdict.ambiguous == (
        "crossref has 2 works with this title (crossref:10.1038/s42256-024-00832-8, crossref:10.9999/copy)"
    )


def test_sources_that_name_different_works_are_ambiguous() -> None:
    records = chemcrow_records()
    records["semanticscholar"] = [dataclasses.replace(records["semanticscholar"][0], doi="10.9999/other")]
    verdict = judge(make_paper(), records)
    assert verdict.accepted == ()
    assert "has DOI 10.9999/other" in verdict.ambiguous


def test_precedence_when_sources_disagree() -> None:
    paper = make_paper()
    accepted = judge(paper, chemcrow_records()).accepted
    # Crossref: 2024, "Andres M. Bran"; Semantic Scholar: 2023 (the preprint), "Andrés M Bran";
    # OpenAlex: "Andrew Dickson White" where Crossref has "Andrew D. White".
    chosen = {name: (value, found.source) for name, (value, found) in choose(paper, accepted).items()}
    assert chosen["year"] == (2024, "crossref")
    assert chosen["authors"][1] == "crossref"
    assert chosen["authors"][0][4] == "Andrew D. White"  # type: ignore[index]
    assert chosen["venue"] == ("Nature Machine Intelligence", "crossref")
    assert chosen["doi"] == ("10.1038/s42256-024-00832-8", "crossref")
    assert chosen["arxiv"] == ("2304.05376", "semanticscholar")
    assert chosen["url"] == ("https://www.nature.com/articles/s42256-024-00832-8", "crossref")
    assert chosen["pdf"] == ("https://www.nature.com/articles/s42256-024-00832-8.pdf", "semanticscholar")
    assert chosen["abstract"][1] == "crossref"


def test_without_crossref_the_next_source_in_precedence_wins() -> None:
    records = chemcrow_records()
    del records["crossref"]
    paper = make_paper()
    chosen = choose(paper, judge(paper, records).accepted)
    assert (chosen["year"][0], chosen["year"][1].source) == (2024, "openalex")
    assert chosen["authors"][0][4] == "Andrew Dickson White"  # type: ignore[index]
    del records["openalex"]
    chosen = choose(paper, judge(paper, records).accepted)
    assert (chosen["year"][0], chosen["year"][1].source) == (2023, "semanticscholar")
    assert "abstract" not in chosen, "no source left has one"


def test_only_missing_fields_are_chosen() -> None:
    paper = dataclasses.replace(
        make_paper(year=2023, doi="10.1038/s42256-024-00832-8"), authors=("A. Curator",)
    )
    assert missing(paper) == ("venue", "arxiv", "url", "pdf", "abstract")
    chosen = choose(paper, judge(paper, chemcrow_records()).accepted)
    assert sorted(chosen) == ["abstract", "arxiv", "pdf", "url", "venue"]


def test_a_landing_page_that_only_repeats_the_doi_is_left_out() -> None:
    [record] = chemcrow_records()["crossref"]
    doi_only = dataclasses.replace(record, url="https://doi.org/10.1038/s42256-024-00832-8")
    chosen = choose(make_paper(), (doi_only,))
    assert "url" not in chosen and chosen["doi"][0] == "10.1038/s42256-024-00832-8"
