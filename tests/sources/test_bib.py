"""BibTeX exports of Zotero, Better BibTeX, Mendeley and JabRef, read into SourceEntry records."""

from __future__ import annotations

import pytest

from generator.model import ENTRY_TYPES
from generator.sources.bib import read_bib

from .helpers import by_key, messages, read

EXPORTS = ("zotero.bib", "better-bibtex.bib", "better-biblatex.bib", "mendeley.bib", "jabref.bib")


@pytest.mark.parametrize("name", EXPORTS)
def test_every_export_reads_without_problems(name: str) -> None:
    entries, problems = read(name)
    assert problems == []
    assert entries
    for e in entries:
        assert e.title and e.type in ENTRY_TYPES and e.cite_key
        assert "{" not in e.title and "\\" not in e.title.replace("\\log", "").replace("\\ell", "")


def test_zotero_preprint_with_arxiv_doi_and_local_files() -> None:
    e = by_key(read("zotero.bib")[0])["chen_program_2023"]
    assert e.line == 22
    assert e.title == (
        "Program of Thoughts Prompting: Disentangling Computation from Reasoning for Numerical Reasoning "
        "Tasks"
    )
    assert e.authors == ("Wenhu Chen", "Xueguang Ma", "Xinyi Wang", "William W. Cohen")
    assert (e.year, e.type, e.venue) == (2023, "misc", None)
    assert (e.doi, e.arxiv, e.url) == (
        "10.48550/arXiv.2211.12588",
        "2211.12588",
        "http://arxiv.org/abs/2211.12588",
    )
    assert e.pdf is None  # Zotero's 'file' holds paths into its storage folder, not links
    assert e.tags == (
        "Computer Science - Artificial Intelligence",
        "Computer Science - Computation and Language",
    )
    assert e.abstract.endswith("by around 12% across all the evaluated datasets.")
    assert dict(e.bib_fields) == {"publisher": "arXiv", "month": "oct", "note": "arXiv:2211.12588 [cs]"}


def test_zotero_journal_article_and_escaped_math() -> None:
    entries = by_key(read("zotero.bib")[0])
    stim = entries["gidney_stim_2021"]
    assert stim.values() == {
        "title": "Stim: a fast stabilizer circuit simulator",
        "abstract": stim.abstract,
        "authors": ["Craig Gidney"],
        "year": 2021,
        "venue": "Quantum",
        "type": "article",
        "cite_key": "gidney_stim_2021",
        "doi": "10.22331/q-2021-07-06-497",
        "url": "https://quantum-journal.org/papers/q-2021-07-06-497/",
        "tags": ["Quantum Physics"],
        "bib_fields": {
            "volume": "5",
            "pages": "497",
            "month": "jul",
            "issn": "2521-327X",
            "note": "Publisher: Verein zur Förderung des Open Access Publizierens in den "
            "Quantenwissenschaften",
        },
    }
    sorting = entries["ajtai_o_1983"]
    assert sorting.title == r"An $O(n \log n)$ sorting network"  # Zotero writes \$ and {\textbackslash}
    assert sorting.authors == ("M. Ajtai", "J. Komlós", "E. Szemerédi")
    assert dict(sorting.bib_fields)["series"] == "STOC '83"
    assert entries["lecun_deep_2015"].bib_fields[:3] == (
        ("volume", "521"),
        ("number", "7553"),
        ("pages", "436–444"),
    )
    assert entries["vaswani_attention_2017"].authors[6] == "Łukasz Kaiser"
    assert entries["openai_gpt-4_2024"].authors == ("OpenAI",)  # {OpenAI}: one corporate author


def test_better_bibtex_double_braces_and_biblatex_date() -> None:
    proofnet = by_key(read("better-biblatex.bib")[0])["azerbayevProofNetAutoformalizingFormally2023"]
    assert proofnet.title == "ProofNet: Autoformalizing and Formally Proving Undergraduate-Level Mathematics"
    assert (proofnet.year, proofnet.arxiv, proofnet.type) == (2023, "2302.12433", "misc")  # date, eprinttype
    fowler = by_key(read("better-biblatex.bib")[0])["fowlerSurfaceCodesPractical2012"]
    assert (fowler.venue, fowler.year) == ("Physical Review A", 2012)  # journaltitle, date
    adam = by_key(read("better-bibtex.bib")[0])["kingmaAdamMethodStochastic2017"]
    assert adam.title == "Adam: A Method for Stochastic Optimization"
    assert (adam.arxiv, adam.venue) == ("1412.6980", None)  # "arXiv:1412.6980 [cs]" is no venue
    assert adam.tags == ("Computer Science - Machine Learning",)


def test_mendeley_escapes_accents_and_arxiv_id() -> None:
    entries = by_key(read("mendeley.bib")[0])
    godel = entries["Godel1931"]
    assert (
        godel.title == "Über formal unentscheidbare Sätze der Principia Mathematica und verwandter Systeme I"
    )
    assert godel.authors == ("Kurt Gödel",)
    assert godel.venue == "Monatshefte für Mathematik und Physik"
    assert (godel.pdf, godel.doi) == (None, "10.1007/BF01700692")
    assert entries["VonLuxburg2007"].authors == ("Ulrike von Luxburg",)
    fowler = entries["Fowler2012"]
    assert (fowler.arxiv, fowler.line) == ("1208.0928", 6)
    assert fowler.abstract.endswith("about 1% per operation.")  # {\%}
    assert dict(fowler.bib_fields)["month"] == "sep"  # month = {sep}
    ntm = entries["Graves2014"]
    assert (ntm.url, ntm.arxiv) == ("http://arxiv.org/abs/1410.5401", "1410.5401")  # first of two links
    assert ntm.tags == ("Neural networks", "Memory-augmented networks")
    assert (
        entries["Duchi2008"].title
        == r"Efficient projections onto the $\ell_1$-ball for learning in high dimensions"
    )


def test_jabref_strings_months_eprint_and_linked_pdf() -> None:
    entries = by_key(read("jabref.bib")[0])
    looped = entries["Giannou2023"]
    assert looped.venue == "Proceedings of the 40th International Conference on Machine Learning"  # @string
    assert looped.arxiv == "2301.13196"
    assert looped.pdf == "http://arxiv.org/pdf/2301.13196v1"  # file = {:http\://...:PDF}
    assert looped.tags == ("cs.LG", "cs.AI")
    assert dict(looped.bib_fields)["month"] == "jul"
    assert entries["Steele1976"].authors == ("Guy Lewis Steele Jr.", "Gerald Jay Sussman")
    assert entries["Steele1976"].type == "techreport"
    assert entries["Schoelkopf2001"].authors[0] == "Bernhard Schölkopf"
    assert entries["Schoelkopf2001"].doi == "10.1162/089976601750264965"  # https://doi.org/ dropped
    assert dict(entries["Graves2008"].bib_fields) == {"school": "Technische Universität München"}


def test_every_error_in_one_run_at_the_entry_line() -> None:
    entries, problems = read("broken.bib")
    assert [e.cite_key for e in entries] == ["vaswani_attention_2017", "lecun_deep_2015"]
    assert messages(problems) == [
        "broken.bib:10:1: gidney_stim_2021: doi: field set twice in one entry, on line 12 and again on "
        "line 16; "
        "keep one",
        "broken.bib:19:1: brown_language_2020: booktitle: unknown @string macro 'neurips' on line 21; "
        "define it "
        "with @string{neurips = {...}} or put the value in braces",
        "broken.bib:31:1: lecun_deep_2015: duplicate citation key, first used on line 25 and again on "
        "line 31; "
        "citation keys must be unique",
        "broken.bib:37:1: untitled_2019: title: missing; every entry needs a title",
        "broken.bib:42:1: someday: year: 'forthcoming' on line 44 is not a year; expected four digits "
        "such as 2017",
        "broken.bib:47:1: unclosed_2018: unbalanced braces or quotes: it is still open when line 52 "
        "starts a new "
        "entry; expected each '{' closed by a '}' and each field ended by ',' before the entry's closing '}'",
        "broken.bib:53:1: closed_too_early_2016: unbalanced braces: ', journal = {Nature}, year = "
        "{2016}, }' on "
        "line 54 follows the end of the entry; a '}' too many closed it before its last fields",
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "@article{a,\n  title = {Open\n",
            1,
            "a: unbalanced braces or quotes: the file ends while it is still open",
        ),
        ('@article{a,\n  title = "Open,\n  year = 2020\n}\n', 1, "a: unbalanced braces or quotes"),
        (
            "@article{a, title = {T}, journal = jmlr # { 2020}}\n",
            1,
            "a: journal: unknown @string macro 'jmlr'",
        ),
        (
            "@article{A, title = {T}}\n@book{a, title = {U}}\n",
            2,
            "a: duplicate citation key, first used on line 1",
        ),
        ("@article{a, Title = {T}, title = {U}}\n", 1, "a: title: field set twice in one entry"),
        ("@article{a, title = {}}\n", 1, "a: title: missing"),
        ("@article{a, title = {T}, date = {c. 1850}}\n", 1, "a: date: 'c. 1850' on line 1 is not a year"),
        ("% nothing here\n", 1, "no BibTeX entries found"),
        ("@article{a, title = {T}, year}\n", 1, "a: BibTeX syntax error: Expected a `=` after entry key"),
    ],
)
def test_error_classes(text: str, line: int, message: str) -> None:
    entries, problems = read_bib(text, "x.bib")
    assert len(entries) == line - 1  # only the first of two entries with one key is kept
    assert len(problems) == 1
    assert str(problems[0]).startswith(f"x.bib:{line}:1: {message}")


def test_values_strings_concatenation_months_and_names() -> None:
    text = (
        '@String{ jmlr = "Journal of Machine Learning Research" }\n'
        "@STRING(pre = {Proc. })\n"
        "@Article{k,\n"
        "  Author = {van der Waals, J. D. and {Google Brain and Friends} and King, Jr., Martin Luther "
        "and others},\n"
        '  TITLE = "A {\\"U}ber {BERT}--style $x_i^{2}$ model",\n'
        "  journal = JMLR,\n"
        '  booktitle = pre # "Workshop",\n'
        "  year = 2019,\n"
        "  month = 5,\n"
        "  keywords = {a; b, a},\n"
        "  pages = {1--10},\n"
        "  eprint = {cs/0112017v2},\n"
        "  url = {https://example.org/x{\\_}y},\n"
        "  pdf = {https://example.org/x.pdf},\n"
        "}\n"
    )
    (e,), problems = read_bib(text, "x.bib")
    assert problems == []
    assert e.line == 3
    assert e.authors == ("J. D. van der Waals", "Google Brain and Friends", "Martin Luther King Jr.")
    assert e.title == "A Über BERT–style $x_i^{2}$ model"
    assert (e.venue, e.year, e.type) == ("Journal of Machine Learning Research", 2019, "article")
    assert e.tags == ("a", "b")
    assert (e.arxiv, e.url, e.pdf) == ("cs/0112017", "https://example.org/x_y", "https://example.org/x.pdf")
    assert dict(e.bib_fields) == {"pages": "1–10", "month": "may"}


@pytest.mark.parametrize(
    ("bibtex_type", "ours"),
    [
        ("article", "article"),
        ("InProceedings", "inproceedings"),
        ("conference", "inproceedings"),
        ("incollection", "incollection"),
        ("book", "book"),
        ("phdthesis", "phdthesis"),
        ("mastersthesis", "mastersthesis"),
        ("techreport", "techreport"),
        ("unpublished", "unpublished"),
        ("online", "misc"),
        ("software", "misc"),
    ],
)
def test_entry_types(bibtex_type: str, ours: str) -> None:
    (e,), _ = read_bib(f"@{bibtex_type}{{k, title = {{T}}}}\n", "x.bib")
    assert e.type == ours
