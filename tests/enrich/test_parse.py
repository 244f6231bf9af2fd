"""Each API's real format, as recorded, into `Found` records."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from generator.enrich import arxiv, crossref, openalex, semanticscholar
from generator.enrich.found import Found, arxiv_from_doi, clean_arxiv, clean_doi

from .replay import FIXTURES

PARSERS: dict[str, Callable[[str], list[Found]]] = {
    "arxiv": arxiv.parse,
    "crossref": crossref.parse,
    "openalex": openalex.parse,
    "s2": semanticscholar.parse,
}


def parse(name: str) -> list[Found]:
    return PARSERS[name.split("_")[0]]((FIXTURES / name).read_text(encoding="utf-8"))


PNAS = (
    "Developing functional musculoskeletal tissues through hypoxia and lysyl oxidase-induced collagen "
    "cross-linking"
)
CHEMCROW = "Augmenting large language models with chemistry tools"
PNAS_VENUE = "Proceedings of the National Academy of Sciences"
PNAS_DOI, CHEMCROW_DOI = "10.1073/pnas.1414271111", "10.1038/s42256-024-00832-8"
NMI = "Nature Machine Intelligence"
S2_CHEMCROW = "354dcdebf3f8b5feeed5c62090e0bc1f0c28db06"
QUANTUM = "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
TESTING = "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques"
MEGATRON = (
    "Using DeepSpeed and Megatron to Train Megatron-Turing NLG 530B, A Large-Scale Generative Language Model"
)

# file -> (records, first record's source id, title, authors (first, last, count), year, venue, doi, arxiv)
EXPECTED = {
    "arxiv_id_list.xml": (
        1, "1605.08386", "Heat-bath random walks with Markov bases",
        ("Caprice Stanley", "Tobias Windisch", 2), 2016, None, None, "1605.08386",
    ),
    "arxiv_id_list_legacy.xml": (
        1, "1111.2011", QUANTUM, ("James M. Murray", "Zlatko Tesanovic", 3), 2011,
        None, "10.1103/PhysRevB.85.115117", "1111.2011",
    ),
    "arxiv_query_search.xml": (
        10, "2202.12139", TESTING, ("Mohit Kumar Ahuja", "Helge Spieker", 3), 2022,
        None, "10.1109/ICSTW55395.2022.00035", "2202.12139",
    ),
    "crossref_work.json": (
        1, PNAS_DOI, PNAS, ("Eleftherios A. Makris", "Kyriacos A. Athanasiou", 5), 2014,
        PNAS_VENUE, PNAS_DOI, None,
    ),
    "crossref_query_title.json": (
        1, CHEMCROW_DOI, CHEMCROW, ("Andres M. Bran", "Philippe Schwaller", 6), 2024, NMI, CHEMCROW_DOI, None,
    ),
    "crossref_query.json": (
        2, "10.1093/obo/9780199830060-0238", "Communicating Ecology", None, 2022, "Ecology",
        "10.1093/obo/9780199830060-0238", None,
    ),
    "openalex_work.json": (
        1, "W2109415576", PNAS, ("Eleftherios Makris", "Kyriacos A. Athanasiou", 5), 2014,
        PNAS_VENUE, PNAS_DOI, None,
    ),
    "openalex_search.json": (
        2, "W4396723768", CHEMCROW, ("Andres M. Bran", "Philippe Schwaller", 6), 2024,
        NMI, CHEMCROW_DOI, None,
    ),
    "s2_paper.json": (
        1, "db3720c812a462ef955d5654b65ca9189d4b8372", PNAS,
        ("Eleftherios Makris", "Kyriacos, Κυριάκος, Athanasiou, Αθανασίου", 5), 2014,
        PNAS_VENUE, PNAS_DOI, None,
    ),
    "s2_paper_chemcrow.json": (
        1, S2_CHEMCROW, CHEMCROW, ("Andrés M Bran", "P. Schwaller", 6), 2023, NMI, CHEMCROW_DOI, "2304.05376",
    ),
    "s2_search_match.json": (
        1, S2_CHEMCROW, CHEMCROW, ("Andrés M Bran", "P. Schwaller", 6), 2023, NMI, CHEMCROW_DOI, "2304.05376",
    ),
    "s2_search.json": (
        100, "7cbc2a7843411a1768ab762930707af0a3c33a19", MEGATRON,
        ("Shaden Smith", "Bryan Catanzaro", 20), 2022,
        None, None, "2201.11990",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", EXPECTED)
def test_each_recorded_response_parses(name: str) -> None:
    count, ident, title, authors, year, venue, doi, arxiv_id = EXPECTED[name]
    found = parse(name)
    assert len(found) == count
    first = found[0]
    assert (first.source_id, first.title, first.year, first.venue, first.doi, first.arxiv) == (
        ident, title, year, venue, doi, arxiv_id,
    )  # fmt: skip
    if authors is None:
        assert first.authors == ()
    else:
        assert (first.authors[0], first.authors[-1], len(first.authors)) == authors
    assert all(f.title and f.title == " ".join(f.title.split()) for f in found)


def test_arxiv_links_point_at_the_paper_without_a_version() -> None:
    [entry] = parse("arxiv_id_list_legacy.xml")
    assert (entry.url, entry.pdf) == ("https://arxiv.org/abs/1111.2011", "https://arxiv.org/pdf/1111.2011")
    assert entry.abstract is not None
    assert entry.abstract.startswith("Theoretical description of anisotropic systems, such as layered superc")
    assert "\n" not in entry.abstract and "  " not in entry.abstract


def test_openalex_abstract_from_the_inverted_index() -> None:
    journal, preprint = parse("openalex_search.json")
    assert journal.abstract is not None and preprint.abstract is not None
    # The index starts with the JATS heading "Abstract": dropped.
    assert journal.abstract.startswith("Large language models (LLMs) have shown strong performance in tasks")
    assert preprint.abstract.startswith("Over the last decades, excellent computational chemistry tools have")
    # The preprint's DOI is arXiv's DataCite DOI: an arXiv id, not a publisher's DOI;
    # its location is a repository, not a venue.
    assert (preprint.doi, preprint.arxiv, preprint.venue, preprint.year) == (None, "2304.05376", None, 2023)
    assert journal.pdf == "https://www.nature.com/articles/s42256-024-00832-8.pdf"


def test_openalex_abstract_is_the_same_text_as_crossrefs_jats() -> None:
    [oa] = parse("openalex_work.json")
    [cr] = parse("crossref_work.json")
    assert oa.abstract is not None and cr.abstract is not None
    # OpenAlex keeps the section heading "Significance" as a word; Crossref's JATS has it as a title.
    assert oa.abstract.removeprefix("Significance ") == cr.abstract


def test_crossref_jats_to_plain_text() -> None:
    jats = (
        "<jats:title>Abstract</jats:title><jats:p>Graphs &amp; <jats:italic>walks</jats:italic> "
        "on 3 &lt; n</jats:p>\n<jats:p>Second   paragraph.</jats:p>"
    )
    assert crossref.jats_text(jats) == "Graphs & walks on 3 < n Second paragraph."


def test_semantic_scholar_preprint_venues_are_not_venues() -> None:
    found = parse("s2_search.json")
    assert all(f.venue not in ("arXiv.org", "ArXiv") for f in found)
    assert sum(1 for f in found if f.abstract) > 50


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("arxiv", "<html><body>Rate exceeded.</body></html>"),
        ("arxiv", "<feed xmlns='http://www.w3.org/2005/Atom'><entry>"),
        ("crossref", '{"status": "failed", "message-type": "validation-failure", "message": []}'),
        ("crossref", "Resource not found."),
        ("openalex", "[]"),
        ("s2", '{"data": [{"paperId": "x", "title": "T", "authors": [{"name": 1}], "year": 2020}'),
    ],
)
def test_malformed_bodies_raise_value_error(name: str, body: str) -> None:
    with pytest.raises(ValueError):
        PARSERS[name](body)


@pytest.mark.parametrize(
    ("value", "doi", "arxiv_id"),
    [
        ("https://doi.org/10.1073/pnas.1414271111", "10.1073/pnas.1414271111", None),
        ("doi:10.1000/XYZ", "10.1000/XYZ", None),
        ("https://doi.org/10.48550/arxiv.2304.05376", None, "2304.05376"),
        ("10.48550/arXiv.cond-mat/0607501v2", None, "cond-mat/0607501"),
        ("not a doi", None, None),
    ],
)
def test_identifiers(value: str, doi: str | None, arxiv_id: str | None) -> None:
    assert (clean_doi(value), arxiv_from_doi(value)) == (doi, arxiv_id)


def test_arxiv_ids() -> None:
    assert clean_arxiv("http://arxiv.org/abs/1605.08386v1") == "1605.08386"
    assert clean_arxiv("arXiv:cond-mat/0607501v2") == "cond-mat/0607501"
    assert clean_arxiv("Error") is None
