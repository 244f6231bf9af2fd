"""BibTeX, read back by bibtexparser: every entry parses, keys are unique, titles round-trip."""

from __future__ import annotations

import html
import re
from typing import Any

import bibtexparser
import pytest
from bibtexparser.library import Library
from bibtexparser.middlewares import LatexDecodingMiddleware
from pylatexenc.latex2text import (  # type: ignore[import-untyped]
    LatexNodes2Text,
    MacroTextSpec,
    get_default_latex_context_db,
)

from generator import bibtex
from generator.model import Link, Paper

from .conftest import Built
from .helpers import paper

SPECIAL_TITLE = r"F* & friends -- 100% of $x_i$ in {sets} #1 ~ ^ \ ``café'' ?`"


def decoder() -> LatexNodes2Text:
    """pylatexenc, taught the three text-mode commands it renders differently from LaTeX."""
    db = get_default_latex_context_db().filter_context()
    db.add_context_category(
        "text-symbols",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", simplify_repl="{"),
            MacroTextSpec("textbraceright", simplify_repl="}"),
            MacroTextSpec("textasciicircum", simplify_repl="^"),
        ],
    )
    return LatexNodes2Text(latex_context=db, math_mode="verbatim")


def parse(text: str, decode: bool = False) -> Library:
    middleware = [LatexDecodingMiddleware(decoder=decoder())] if decode else []
    # bibtexparser 2's public entry point, which its package does not list in __all__.
    library = bibtexparser.parse_string(text, append_middleware=middleware)  # type: ignore[attr-defined]
    assert library.failed_blocks == []
    return library


def entry_of(p: Paper, key: str | None = None) -> str:
    entry = bibtex.render_entry(p, key or p.slug)
    assert entry, f"{p.slug}: no entry"
    return entry


def citable(slug: str, title: str = "", **fields: Any) -> Paper:
    """A paper with an author, so that it can be cited."""
    fields.setdefault("authors", ("Ada Lovelace",))
    return paper(slug, title, **fields)


def test_special_characters_are_escaped_and_the_title_round_trips() -> None:
    text = entry_of(citable("special", SPECIAL_TITLE))
    (raw,) = parse(text).entries
    for escaped in (r"\&", r"100\%", r"\$x\_i\$", r"\textbraceleft{}sets\textbraceright{}", r"\#1"):
        assert escaped in raw["title"]
    assert raw["title"].startswith("{F*}")  # capitals protected
    assert raw["title"].count("{") == raw["title"].count("}")  # BibTeX balances every brace
    (decoded,) = parse(text, decode=True).entries
    assert decoded["title"] == SPECIAL_TITLE


def test_known_fields_authors_year_arxiv_doi() -> None:
    p = paper(
        "attention",
        "Attention Is All You Need",
        authors=("Ashish Vaswani", "Noam Shazeer", "Google Brain and Friends"),
        year=2017,
        links=(Link("arxiv", "1706.03762"), Link("doi", "10.5555/3295222.3295349")),
    )
    (e,) = parse(entry_of(p, bibtex.base_key(p))).entries
    assert e.entry_type == "misc"
    assert e.key == "vaswani2017attention"
    assert e["author"] == "Ashish Vaswani and Noam Shazeer and {Google Brain and Friends}"
    assert e["year"] == "2017"
    assert (e["eprint"], e["archiveprefix"]) == ("1706.03762", "arXiv")
    assert e["doi"] == "10.5555/3295222.3295349"
    assert e["url"] == "https://arxiv.org/abs/1706.03762"
    assert e["title"] == "{Attention} {Is} {All} {You} {Need}"


def test_url_is_the_papers_own_link_never_the_lists_page() -> None:
    own = paper("own", links=(Link("url", "https://x.org/a b{c}"),))
    (e,) = parse(entry_of(own)).entries
    assert e["url"] == "https://x.org/a%20b%7Bc%7D"
    (e,) = parse(entry_of(citable("bare"))).entries
    assert "url" not in e.fields_dict and "year" not in e.fields_dict and "note" not in e.fields_dict


@pytest.mark.parametrize(
    ("authors", "year", "title", "key"),
    [
        (("Ashish Vaswani",), 2017, "Attention Is All You Need", "vaswani2017attention"),
        (("Vaswani, Ashish",), 2017, "The Attention Paper", "vaswani2017attention"),
        (("Kurt Gödel",), 1931, "Über formal unentscheidbare Sätze", "godel1931uber"),
        (("Martin Luther King Jr.",), 1963, "On a Dream", "king1963dream"),
        (("Ashish Vaswani",), None, "No Year", "the-slug"),
        ((), 2017, "No Author", "the-slug"),
        (("李",), 2020, "Non-Latin name", "the-slug"),
    ],
)
def test_base_keys(authors: tuple[str, ...], year: int | None, title: str, key: str) -> None:
    assert bibtex.base_key(paper("the-slug", title, authors=authors, year=year)) == key


def test_keys_are_unique_with_suffixes_in_slug_order() -> None:
    title, authors = "Attention Is All You Need", ("A. Vaswani",)
    papers = [
        paper("c-copy", title, authors=authors, year=2017),
        paper("a-original", title, authors=authors, year=2017),
        paper("b-another", title, authors=authors, year=2017),
        paper("vaswani2017attention-2"),  # a slug that is also the second suffix
    ]
    keys = bibtex.cite_keys(papers)
    assert keys == {
        "a-original": "vaswani2017attention",
        "b-another": "vaswani2017attention-3",
        "c-copy": "vaswani2017attention-4",
        "vaswani2017attention-2": "vaswani2017attention-2",
    }
    assert bibtex.cite_keys(list(reversed(papers))) == keys


def test_bibliography_is_sorted_by_key_and_parses() -> None:
    papers = [citable(f"p{i}", f"Title {i} & more") for i in (3, 1, 2)]
    keys = bibtex.cite_keys(papers)
    text = bibtex.render_bibliography({keys[p.slug]: entry_of(p, keys[p.slug]) for p in papers})
    assert [e.key for e in parse(text).entries] == ["p1", "p2", "p3"]


# --- the built site -------------------------------------------------------------------------------


def test_papers_bib_has_every_citable_paper_once_with_its_title(built: Built) -> None:
    text = (built.site / "papers.bib").read_text(encoding="utf-8")
    entries = {e.key: e for e in parse(text, decode=True).entries}
    keys = bibtex.cite_keys(list(built.papers.values()))
    citable_slugs = [slug for slug, p in built.papers.items() if bibtex.missing(p) is None]
    assert sorted(entries) == sorted(keys[slug] for slug in citable_slugs)
    for slug in citable_slugs:
        p, e = built.papers[slug], entries[keys[slug]]
        assert e["title"] == " ".join(p.title.split()), slug
        assert e.entry_type == bibtex.entry_type(p), slug


def cite_block(page_html: str) -> str:
    """The text of the code block under the page's "Cite" heading: what the copy button copies."""
    after = page_html.split('id="cite"', 1)[1]
    code = re.search(r"<code[^>]*>(.*?)</code>", after, re.DOTALL)
    assert code is not None
    return html.unescape(re.sub(r"<[^>]+>", "", code.group(1)))


def test_each_paper_page_has_its_entry_with_a_copy_button(built: Built) -> None:
    whole = {e.key: e for e in parse((built.site / "papers.bib").read_text(encoding="utf-8")).entries}
    config = (built.root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- content.code.copy" in config
    for slug, p in built.papers.items():
        page = built.page(f"papers/{slug}/").read_text(encoding="utf-8")
        if bibtex.missing(p):
            assert "language-bibtex" not in page and "cannot cite this paper yet" in page, slug
            continue
        assert re.search(r'<pre[^>]*><code class="language-bibtex"', page.split('id="cite"', 1)[1])
        (e,) = parse(cite_block(page)).entries
        assert e.key in whole
        assert e.fields_dict.keys() == whole[e.key].fields_dict.keys()
        assert all(e[name] == whole[e.key][name] for name in e.fields_dict)
