"""All readers: fixtures hold shipped papers, CRLF, links a paper file refuses; the benchmark script runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from benchmarks import read_library
from generator.sources import detect
from generator.sources.bib import read_bib
from generator.text import title_key

from .helpers import read

CONTENT = Path(__file__).resolve().parents[2] / "content" / "papers"
SHIPPED = (
    "stim-a-fast-stabilizer-circuit-simulator",
    "program-of-thoughts-prompting-disentangling-computation-from-reasoning",
)


def shipped_title(slug: str) -> str:
    head = (CONTENT / f"{slug}.md").read_text(encoding="utf-8").split("---", 2)[1]
    return str(yaml.safe_load(head)["title"])


@pytest.mark.parametrize("name", ["zotero.bib", "zotero.json", "zotero.ris"])
def test_zotero_exports_hold_shipped_papers(name: str) -> None:
    keys = {title_key(e.title) for e in read(name)[0]}
    for slug in SHIPPED:
        assert title_key(shipped_title(slug)) in keys


def test_crlf_line_endings_keep_line_numbers() -> None:
    text = "% Encoding: UTF-8\n\n@article{a,\n  title = {A},\n}\n\n"
    text += "@article{b,\n  title = {B},\n  year = {x},\n}\n"
    lf = read_bib(text, "x.bib")
    crlf = read_bib(text.replace("\n", "\r\n"), "x.bib")
    assert [e.line for e in lf[0]] == [e.line for e in crlf[0]] == [3]
    assert (
        [str(p) for p in lf[1]]
        == [str(p) for p in crlf[1]]
        == ["x.bib:7:1: b: year: 'x' on line 9 is not a year; expected four digits such as 2017"]
    )


def test_benchmark_script_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert read_library.main(["30", "--runs", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [(row.split()[0], row.split()[2]) for row in out[1:]] == [
        ("library.bib", "30"),
        ("library.json", "30"),
        ("library.ris", "30"),
    ]


SICI = "10.1002/(SICI)1097-4636<1::AID>3.0.CO;2-A"  # a real DOI form with '<' and '>'


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("bib", f"@article{{k, title = {{T}}, doi = {{{SICI}}}, url = {{www.x.org}}}}\n"),
        ("csl", f'[{{"id": "k", "title": "T", "DOI": "{SICI}", "URL": "www.x.org"}}]'),
        ("ris", f"TY  - JOUR\nID  - k\nTI  - T\nDO  - {SICI}\nUR  - www.x.org\nER  - \n"),
    ],
)
def test_links_a_paper_file_cannot_hold_are_left_out_with_a_warning(fmt: str, text: str) -> None:
    (entry,), problems = detect.reader(fmt)(text, "x")
    assert (entry.title, entry.doi, entry.url) == ("T", None, None)
    assert [(p.is_error, p.message) for p in problems] == [
        (False, f"k: doi: {SICI!r} is not a DOI such as 10.1000/xyz123; left out"),
        (False, "k: url: 'www.x.org' is not an http:// or https:// link; left out"),
    ]
