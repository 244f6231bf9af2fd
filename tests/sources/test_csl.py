"""Zotero's CSL JSON export read into SourceEntry records; broken JSON reported at its line and column."""

from __future__ import annotations

import json

import pytest

from generator.sources.csl import read_csl

from .helpers import by_key, messages, read


def test_zotero_export() -> None:
    entries, problems = read("zotero.json")
    assert problems == []
    assert [e.line for e in entries] == [2, 43, 92, 133, 194, 240, 270]  # each item's '{'
    assert {e.col for e in entries} == {2}  # after Zotero's tab
    items = by_key(entries)
    pot = items[
        "Program of Thoughts Prompting: Disentangling Computation from Reasoning for Numerical Reasoning "
        "Tasks"
    ]
    assert pot.values() == {
        "title": pot.title,
        "abstract": pot.abstract,
        "authors": ["Wenhu Chen", "Xueguang Ma", "Xinyi Wang", "William W. Cohen"],
        "year": 2023,  # date-parts [["2023", 10, 22]]: Zotero writes the year as a string
        "type": "misc",
        "doi": "10.48550/arXiv.2211.12588",
        "arxiv": "2211.12588",
        "url": "http://arxiv.org/abs/2211.12588",
        "bib_fields": {"publisher": "arXiv", "note": "arXiv:2211.12588 [cs]"},  # number arXiv:… is the id
    }
    assert pot.cite_key is None  # Zotero's id is the item's URI, not a key
    stim = items["Stim: a fast stabilizer circuit simulator"]
    assert (stim.venue, stim.type, stim.year, stim.doi) == (
        "Quantum",
        "article",
        2021,
        "10.22331/q-2021-07-06-497",
    )
    luxburg = items["A tutorial on spectral clustering"]
    assert luxburg.authors == ("Ulrike von Luxburg",)  # non-dropping-particle
    assert dict(luxburg.bib_fields)["pages"] == "395–416"
    assert items["Attention is All you Need"].type == "inproceedings"
    assert items["The Complete Genome Sequence of Escherichia coli K-12"].year == 1997  # <i> dropped
    thesis = items["Supervised Sequence Labelling with Recurrent Neural Networks"]
    assert (thesis.type, thesis.bib_fields) == ("phdthesis", (("school", "Technische Universität München"),))
    gpt4 = items["openai2024gpt4"]
    assert (gpt4.authors, gpt4.arxiv, gpt4.cite_key) == (("OpenAI",), "2303.08774", "openai2024gpt4")


@pytest.mark.parametrize(
    ("issued", "year"),
    [
        ({"date-parts": [[2017, 6, 12]]}, 2017),
        ({"date-parts": [["1997"]]}, 1997),
        ({"raw": "2021-01-05"}, 2021),
        ({"literal": "Spring 1999"}, 1999),
    ],
)
def test_issued_forms(issued: object, year: int) -> None:
    (e,), problems = read_csl(json.dumps([{"type": "book", "title": "T", "issued": issued}]), "x.json")
    assert (problems, e.year) == ([], year)


def test_keywords_names_and_types() -> None:
    item = {
        "id": "doe2020",
        "type": "thesis",
        "genre": "Master's thesis",
        "title": "T",
        "keyword": "graphs; spectral methods, graphs",
        "author": [{"family": "King", "given": "Martin Luther", "suffix": "Jr."}, {"given": "Plato"}],
        "editor": [{"family": "Doe", "given": "Jane"}],
        "archive": "arXiv",
        "archive_location": "2101.00001",
    }
    (e,), problems = read_csl(json.dumps([item]), "x.json")
    assert problems == []
    assert (e.type, e.cite_key, e.arxiv) == ("mastersthesis", "doe2020", "2101.00001")
    assert e.tags == ("graphs", "spectral methods")
    assert e.authors == ("Martin Luther King Jr.", "Plato")
    assert dict(e.bib_fields) == {"editor": "Jane Doe"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[\n\t{\n\t\t"title": "A",\n\t\t"type": "book"\n\t}\n\t{"title": "B"}\n]',
            "x.json:6:2: JSON syntax error",
        ),
        ('[\n  {"title": "A",}\n]', "x.json:2:17: JSON syntax error: Expecting property name"),
        ('[{"title": "A"}', "x.json:1:16: JSON syntax error"),
        ('[{"title": "A"}] x', "x.json:1:18: JSON syntax error: Extra data"),
        ("", "x.json:1:1: JSON syntax error"),
        ('{"title": "A"}', "x.json:1:1: expected a JSON array of CSL items"),
        ("[]", "x.json:1:1: no items found"),
    ],
)
def test_broken_json(text: str, message: str) -> None:
    _, problems = read_csl(text, "x.json")
    assert len(problems) == 1
    assert str(problems[0]).startswith(message)


def test_every_item_problem_in_one_run() -> None:
    text = json.dumps(
        [
            {"id": "a", "type": "book", "title": "A"},
            {"id": "b", "type": "book"},
            {"id": "a", "type": "book", "title": "Again"},
            {"id": "c", "type": "book", "title": "C", "issued": {"date-parts": [["n.d."]]}},
            "not an item",
            {"id": "d", "type": "book", "title": "D"},
        ],
        indent=1,
    )
    entries, problems = read_csl(text, "x.json")
    assert [e.cite_key for e in entries] == ["a", "d"]
    assert messages(problems) == [
        "x.json:7:2: b: title: missing; every item needs a title",
        "x.json:11:2: a: duplicate id, first used on line 2 and again on line 11",
        'x.json:16:2: c: issued: {"date-parts": [["n.d."]]} has no year; expected {"date-parts": [[2017, '
        "6, 12]]}",
        "x.json:28:2: expected a CSL item (a JSON object), found str",
    ]
