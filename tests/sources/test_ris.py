"""RIS exports (Zotero, RIS v1 tags) read into SourceEntry records; records without ER reported."""

from __future__ import annotations

import pytest

from generator.sources.ris import read_ris

from .helpers import by_key, messages, read


def test_zotero_export_with_crlf() -> None:
    entries, problems = read("zotero.ris")
    assert problems == []
    assert [e.line for e in entries] == [1, 21, 42, 66, 87]
    items = by_key(entries)
    pot = items[
        "Program of Thoughts Prompting: Disentangling Computation from Reasoning for Numerical Reasoning "
        "Tasks"
    ]
    assert pot.authors == (
        "Wenhu Chen",
        "Xueguang Ma",
        "Xinyi Wang",
        "William W. Cohen",
    )  # AU repeated, in order
    assert (pot.type, pot.year, pot.arxiv) == ("misc", 2023, "2211.12588")
    assert pot.pdf == "http://arxiv.org/pdf/2211.12588v4"  # L1 link
    assert pot.tags == (
        "Computer Science - Artificial Intelligence",
        "Computer Science - Computation and Language",
    )
    assert dict(pot.bib_fields) == {"publisher": "arXiv", "note": "Comment: Published in TMLR 2023"}
    stim = items["Stim: a fast stabilizer circuit simulator"]
    assert stim.pdf is None  # a local file
    assert (stim.venue, stim.year, stim.doi) == ("Quantum", 2021, "10.22331/q-2021-07-06-497")
    deep = items["Deep learning"]
    assert deep.bib_fields == (
        ("volume", "521"),
        ("number", "7553"),
        ("pages", "436–444"),
        ("issn", "1476-4687"),
    )
    attention = items["Attention is All you Need"]
    assert (attention.type, attention.venue) == (
        "inproceedings",
        "Advances in Neural Information Processing Systems",
    )
    assert attention.authors[6] == "Łukasz Kaiser"
    thesis = items["Supervised Sequence Labelling with Recurrent Neural Networks"]
    assert (thesis.type, dict(thesis.bib_fields)) == (
        "phdthesis",
        {"school": "Technische Universität München"},
    )


def test_ris_v1_tags() -> None:
    entries = by_key(read("refman.ris")[0])
    fowler = entries["Fowler2012"]
    assert fowler.title == "Surface codes: Towards practical large-scale quantum computation"  # T1
    assert fowler.authors == (
        "Austin G. Fowler",
        "Matteo Mariantoni",
        "John M. Martinis",
        "Andrew N. Cleland",
    )
    assert (fowler.year, fowler.venue) == (2012, "Physical Review A")  # Y1, JO
    assert fowler.abstract.endswith(
        "surface code quantum computer. We then introduce the concept of the stabilizer, using two qubits."
    )  # N2 over two lines
    assert fowler.tags == ("quantum error correction", "surface code", "fault tolerance")
    chapter = entries["Rumelhart1986"]
    assert (chapter.type, chapter.venue) == ("incollection", chapter.venue)
    assert chapter.venue is not None and chapter.venue.startswith("Parallel Distributed Processing")  # BT
    assert dict(chapter.bib_fields)["editor"] == "David E. Rumelhart and James L. McClelland"


def test_every_record_problem_in_one_run() -> None:
    text = (
        "TY  - JOUR\nTI  - Kept\nER  - \n\n"  # 1
        "TY  - JOUR\nTI  - No end\n\n"  # 5
        "TY  - JOUR\nAU  - Doe, Jane\nER  - \n\n"  # 8
        "TY  - JOUR\nTI  - Bad year\nPY  - n.d.\nER  - \n\n"  # 12
        "TI  - No start\nER  - \n\n"  # 17
        "TY  - BOOK\nID  - k\nTI  - One\nER  - \n"  # 20
        "TY  - BOOK\nID  - k\nTI  - Two\nER  - \n"  # 24
        "TY  - JOUR\nTI  - Unfinished\n"  # 28
    )
    entries, problems = read_ris(text, "x.ris")
    assert [e.title for e in entries] == ["Kept", "One"]
    assert messages(problems) == [
        "x.ris:5:1: record has no 'ER  - ' end line before the next record starts on line 8; "
        "add 'ER  - ' after its last tag",
        "x.ris:17:1: TI: tag outside a record; expected 'TY  - ' to start one",
        "x.ris:28:1: record has no 'ER  - ' end line before the end of the file; add 'ER  - ' after its "
        "last tag",
        "x.ris:8:1: TI: missing; every record needs a title",
        "x.ris:12:1: PY: 'n.d.' on line 14 is not a year; expected four digits such as 2017 or 2017/06/12/",
        "x.ris:24:1: k: duplicate ID, first used on line 20 and again on line 24",
    ]


@pytest.mark.parametrize(
    ("ty", "ours"),
    [
        ("JOUR", "article"),
        ("CPAPER", "inproceedings"),
        ("CHAP", "incollection"),
        ("RPRT", "techreport"),
        ("UNPB", "unpublished"),
        ("ELEC", "misc"),
        ("GEN", "misc"),
    ],
)
def test_types(ty: str, ours: str) -> None:
    (e,), _ = read_ris(f"TY  - {ty}\nTI  - T\nER  - \n", "x.ris")
    assert e.type == ours


def test_empty_file() -> None:
    assert messages(read_ris("\n", "x.ris")[1]) == [
        "x.ris:1:1: no RIS records found; expected records starting with 'TY  - '"
    ]
