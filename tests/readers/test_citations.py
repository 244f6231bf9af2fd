"""Citations cite the paper: entry types, kept keys and fields, papers that cannot be cited, the
CSL-JSON export; and a round trip from a .bib file through paper files back to papers.bib."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors

from generator import bibtex, citations, validate
from generator.model import Link, Paper, Problem

from .conftest import ROOT
from .helpers import paper
from .test_bibtex import decoder, parse

#: The item types of CSL 1.0.2 (csl-data.json's `type` enum).
CSL_ITEM_TYPES = frozenset(
    [
        "article",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "bill",
        "book",
        "broadcast",
        "chapter",
        "classic",
        "collection",
        "dataset",
        "document",
        "entry",
        "entry-dictionary",
        "entry-encyclopedia",
        "event",
        "figure",
        "graphic",
        "hearing",
        "interview",
        "legal_case",
        "legislation",
        "manuscript",
        "map",
        "motion_picture",
        "musical_score",
        "pamphlet",
        "paper-conference",
        "patent",
        "performance",
        "periodical",
        "personal_communication",
        "post",
        "post-weblog",
        "regulation",
        "report",
        "review",
        "review-book",
        "software",
        "song",
        "speech",
        "standard",
        "thesis",
        "treaty",
        "webpage",
    ]
)

# A library as Better BibTeX exports it (keys, an en-dash page range, a month macro, an eprint).
LIBRARY = r"""
@inproceedings{vaswaniAttentionAllYou2017,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki},
  booktitle = {Advances in Neural Information Processing Systems},
  year = {2017},
  pages = {5998--6008},
  volume = {30},
  doi = {10.5555/3295222.3295349},
}

@article{Fowler:2012,
  title = {Surface Codes: {{Towards}} Practical Large-Scale Quantum Computation},
  author = {Fowler, Austin G. and Mariantoni, Matteo and Martinis, John M. and Cleland, Andrew N.},
  journal = {Physical Review A},
  year = {2012},
  month = sep,
  volume = {86},
  number = {3},
  pages = {032324},
  doi = {10.1103/PhysRevA.86.032324},
}

@misc{wei2022chain,
  title = {Chain-of-Thought Prompting Elicits Reasoning in Large Language Models},
  author = {Wei, Jason and Wang, Xuezhi and Schuurmans, Dale},
  year = {2022},
  eprint = {2201.11903},
  archivePrefix = {arXiv},
}
"""

# The paper files an importer makes of LIBRARY (written by hand: the importers are not part of this).
PAPER_FILES = {
    "attention.md": """\
title: Attention Is All You Need
authors: [Ashish Vaswani, Noam Shazeer, Niki Parmar]
year: 2017
venue: Advances in Neural Information Processing Systems
type: inproceedings
cite_key: vaswaniAttentionAllYou2017
bib_fields: {pages: 5998–6008, volume: '30'}
doi: 10.5555/3295222.3295349
""",
    "surface-codes.md": """\
title: 'Surface Codes: Towards Practical Large-Scale Quantum Computation'
authors: ['Fowler, Austin G.', 'Mariantoni, Matteo', 'Martinis, John M.', 'Cleland, Andrew N.']
year: 2012
venue: Physical Review A
type: article
cite_key: Fowler:2012
bib_fields: {month: sep, number: '3', pages: '032324', volume: '86'}
doi: 10.1103/PhysRevA.86.032324
""",
    "chain.md": """\
title: Chain-of-Thought Prompting Elicits Reasoning in Large Language Models
authors: [Jason Wei, Xuezhi Wang, Dale Schuurmans]
year: 2022
cite_key: wei2022chain
arxiv: '2201.11903'
""",
    "untraceable.md": "title: A paper nobody can find\n",
}
ABSTRACT = "abstract: " + " ".join(["Qubits, attention and reasoning for the tests."] * 4) + "\n"


def cited(p: Paper) -> Any:
    (e,) = parse(bibtex.render_entry(p, bibtex.base_key(p))).entries
    return e


@pytest.mark.parametrize(
    ("fields", "kind", "venue_field"),
    [
        ({"venue": "Physical Review A"}, "article", "journal"),
        ({"venue": "Proceedings of the 40th ACM SIGPLAN Conference"}, "inproceedings", "booktitle"),
        ({"venue": "NeurIPS 2017"}, "inproceedings", "booktitle"),
        ({"venue": "Journal of Conference Studies", "type": "article"}, "article", "journal"),
        ({"venue": "MIT", "type": "phdthesis"}, "phdthesis", "school"),
        ({"venue": "IBM Research", "type": "techreport"}, "techreport", "institution"),
        ({"links": (Link("arxiv", "2201.11903"),)}, "misc", None),
        ({"venue": "Nature", "links": (Link("arxiv", "2201.11903"),)}, "article", "journal"),
        ({}, "misc", None),
    ],
)
def test_entry_type_and_venue_field(fields: dict[str, Any], kind: str, venue_field: str | None) -> None:
    e = cited(paper("p", "A Title", authors=("Ada Lovelace",), year=2020, **fields))
    assert e.entry_type == kind
    if venue_field:
        assert e[venue_field] == fields["venue"]
    assert not ({"journal", "booktitle", "school", "institution"} - {venue_field}) & e.fields_dict.keys()
    if any(link.kind == "arxiv" for link in fields.get("links", ())):
        assert (e["eprint"], e["archiveprefix"]) == ("2201.11903", "arXiv")


def test_bib_fields_are_kept_pages_with_double_dash_and_month_as_macro() -> None:
    p = paper(
        "p",
        "T",
        authors=("A B",),
        type="article",
        venue="J",
        bib_fields=(("month", "sep"), ("pages", "12 – 34"), ("publisher", "A & B")),
    )
    text = bibtex.render_entry(p, "k")
    assert "  month = sep,\n" in text and "  pages = {12--34},\n" in text
    (e,) = parse(text).entries
    assert (e["pages"], e["publisher"]) == ("12--34", r"A \& B")


def test_own_keys_are_kept_first_and_a_clash_gets_a_suffix_and_a_warning() -> None:
    papers = [
        paper("b", cite_key="Smith2020", authors=("A B",)),
        paper("a", cite_key="smith2020", authors=("A B",)),  # BibTeX keys ignore case
        paper("c", "Smith Again", authors=("John Smith",), year=2020),  # would make smith2020smith
        paper("d", cite_key="Other", authors=("A B",)),
    ]
    keys = bibtex.cite_keys(papers)
    assert keys == {"a": "smith2020", "b": "Smith2020-2", "c": "smith2020smith", "d": "Other"}
    (warning,) = validate.find_key_clashes(papers)
    assert isinstance(warning, Problem) and not warning.is_error
    assert warning.path == "content/papers/b.md"
    assert "'Smith2020' is also the key of content/papers/a.md:1:1" in warning.message
    assert "cited as 'Smith2020-2'" in warning.message


@pytest.mark.parametrize(
    ("fields", "can_cite"),
    [
        ({}, False),
        ({"links": (Link("code", "https://github.com/x/y"),)}, False),
        ({"year": 2020, "venue": "Nature"}, False),
        ({"authors": ("A B",)}, True),
        ({"links": (Link("doi", "10.1/x"),)}, True),
        ({"links": (Link("pdf", "https://x.org/a.pdf"),)}, True),
    ],
)
def test_a_paper_without_authors_or_identifier_is_not_cited(fields: dict[str, Any], can_cite: bool) -> None:
    p = paper("p", **fields)
    assert (bibtex.missing(p) is None) is can_cite
    assert bool(bibtex.render_entry(p, "k")) is can_cite
    assert "p" in citations.render_csl_json([p], {"p": "k"})  # the library export has every paper


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ashish Vaswani", {"family": "Vaswani", "given": "Ashish"}),
        ("Fowler, Austin G.", {"family": "Fowler", "given": "Austin G."}),
        ("Johannes van der Waals", {"family": "van der Waals", "given": "Johannes"}),
        ("Martin Luther King Jr.", {"family": "King", "given": "Martin Luther", "suffix": "Jr."}),
        ("Plato", {"literal": "Plato"}),
        ("Google Brain and Friends", {"literal": "Google Brain and Friends"}),
        ("李飞飞", {"literal": "李飞飞"}),
    ],
)
def test_csl_names(name: str, expected: dict[str, str]) -> None:
    assert citations.split_name(name) == expected


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """LIBRARY's papers as files, and the docs tree `python -m generator generate` makes of them."""
    root = tmp_path_factory.mktemp("citations") / "repo"
    shutil.copytree(ROOT / "overrides", root / "overrides")
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "tests/core/fixtures/golden-content", root / "content")
    shutil.rmtree(root / "content/papers")  # the fixture's own papers would repeat LIBRARY's
    shutil.rmtree(root / "content/paths")  # whose steps are the fixture's papers
    (root / "content/papers").mkdir()
    for name, front in PAPER_FILES.items():
        (root / "content/papers" / name).write_text(
            f"---\n{front}{ABSTRACT}added: 2025-01-01\n---\n", "utf-8"
        )
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "-q", "generate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "docs"


def test_round_trip_keeps_keys_types_titles_authors_and_dois(generated: Path) -> None:
    middleware = [LatexDecodingMiddleware(decoder=decoder()), SeparateCoAuthors()]
    read = bibtexparser.parse_string  # type: ignore[attr-defined]
    source = {e.key: e for e in read(LIBRARY, append_middleware=middleware).entries}
    exported = read((generated / "papers.bib").read_text("utf-8"), append_middleware=middleware)
    assert exported.failed_blocks == []
    out = {e.key: e for e in exported.entries}
    assert source.keys() <= out.keys()
    assert "untraceable" not in " ".join(out)  # cannot be cited: left out
    for key, want in source.items():
        have = out[key]
        assert have.entry_type == want.entry_type, key
        assert have["title"].replace("{", "").replace("}", "") == want["title"].replace("{", "").replace(
            "}", ""
        )
        assert have["author"] == want["author"] or [_flip(a) for a in want["author"]] == have["author"], key
        for name in ("doi", "year", "journal", "booktitle", "volume", "number", "eprint"):
            assert _value(want, name) == _value(have, name), (key, name)
    assert out["vaswaniAttentionAllYou2017"]["pages"] == "5998–6008"  # decoded from 5998--6008
    assert out["Fowler:2012"]["month"] == "sep"


def _value(entry: Any, name: str) -> Any:
    field = entry.fields_dict.get(name)
    return field.value if field is not None else None


def _flip(name: str) -> str:
    family, _, given = name.partition(", ")
    return f"{given} {family}" if given else name


def test_csl_json_is_an_array_of_valid_items(generated: Path) -> None:
    items = json.loads((generated / "papers.csl.json").read_text("utf-8"))
    assert isinstance(items, list) and len(items) == len(list((generated / "papers").glob("*.md"))) - 1
    by_id = {i["id"]: i for i in items}
    assert len(by_id) == len(items)
    for i in items:
        assert {"id", "type", "title"} <= i.keys() and i["type"] in CSL_ITEM_TYPES, i
        for name in i.get("author", []):
            assert name.keys() in ({"family", "given"}, {"family", "given", "suffix"}, {"literal"}), name
        if "issued" in i:
            assert isinstance(i["issued"]["date-parts"][0][0], int)
    fowler = by_id["Fowler:2012"]
    assert fowler["type"] == "article-journal" and fowler["container-title"] == "Physical Review A"
    assert fowler["author"][0] == {"family": "Fowler", "given": "Austin G."}
    assert (fowler["issued"], fowler["DOI"], fowler["page"]) == (
        {"date-parts": [[2012]]},
        "10.1103/PhysRevA.86.032324",
        "032324",
    )
    assert by_id["vaswaniAttentionAllYou2017"]["type"] == "paper-conference"
    assert by_id["vaswaniAttentionAllYou2017"]["page"] == "5998-6008"
    chain = by_id["wei2022chain"]
    assert (chain["type"], chain["number"], chain["URL"]) == (
        "article",
        "arXiv:2201.11903",
        "https://arxiv.org/abs/2201.11903",
    )
    assert chain["abstract"].startswith("Qubits, attention")
    assert by_id["untraceable"]["type"] == "document"


def test_home_page_links_both_exports(generated: Path) -> None:
    home = (generated / "index.md").read_text("utf-8")
    assert "(papers.bib)" in home and "(papers.csl.json)" in home
