"""The search index's records: one per paper page and per topic page, from the Site alone.

Pure: `records(site)` says what Pagefind indexes and `record_html(record)` writes
one record as the small HTML document Pagefind reads (`indexing.write_search_index`
hands them over).  HTML rather than Pagefind's custom records because only HTML
carries weights: the title is an `h1` of weight 10, so a title match outranks
any number of abstract matches.

The contract the search box and the list pages' filters rely on:

- url: the page's URL relative to the site root (`papers/<slug>/`, `topics/<id>/`);
- content: title (weighted highest), authors, topic titles, tags, abstract, notes;
- filter: `kind: topic` on topic pages only, with which the search box looks for a topic page
  of the words' name. Paper pages have no filter: Pagefind 1.5.2 writes a filter's values in
  an order that changes from run to run (two values, `paper` and `topic`, gave two different
  filter, pf_meta and entry files for the same pages), and one value has one order. No other
  filter and no sort key: the list pages filter, sort and count over their facet file
  (facetfile.py) and ask Pagefind only for words;
- meta: `title`, `topics` (titles joined by " · "), `year`, `authors` (the list
  pages' credit), `summary`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from . import text, typeset
from .layout import paper_url, topic_url
from .model import Paper, Topic
from .sanitize import render_html, sanitize_markdown
from .sitemodel import Site

#: Weights of the parts of a record (Pagefind: 0 to 10, quadratic; plain text is 1).
TITLE_WEIGHT = 10.0
AUTHORS_WEIGHT = 2.0
TOPICS_WEIGHT = 1.0
TAGS_WEIGHT = 1.0
TEXT_WEIGHT = 0.25

TOPIC_SEPARATOR = " · "
SUMMARY_LIMIT = 200


@dataclass(frozen=True)
class Record:
    """One indexed page: its text in weighted blocks, and what Pagefind filters by and returns."""

    url: str
    title: str
    #: (text, weight) blocks after the title, in order; empty texts are left out of the HTML.
    blocks: tuple[tuple[str, float], ...]
    filters: tuple[tuple[str, tuple[str, ...]], ...]
    meta: tuple[tuple[str, str], ...]


def records(site: Site) -> list[Record]:
    """Every paper page, then every topic page, in the order the site lists them."""
    out = [paper_record(site, paper) for paper in site.papers]
    seen: set[str] = set()
    for topic in site.taxonomy.topics:
        if topic.id not in seen:  # the first of an id wins, as everywhere
            seen.add(topic.id)
            out.append(topic_record(topic))
    return out


def paper_record(site: Site, paper: Paper) -> Record:
    topics = site.topics_of(paper)
    year = f"{paper.year:04d}" if paper.year else ""
    meta = [
        ("topics", TOPIC_SEPARATOR.join(t.title for t in topics)),
        ("year", year),
        ("authors", text.credit(paper.authors, paper.year)),
        ("summary", summary(paper)),
    ]
    return Record(
        url=paper_url(paper.slug),
        # Titles and abstracts as the reader sees them: the plain text of their LaTeX, so that
        # "Stim" finds ``Stim" and excerpts read 12%, not 12\%.
        title=_flat(typeset.plain(paper.title)),
        blocks=(
            (", ".join(_flat(a) for a in paper.authors), AUTHORS_WEIGHT),
            (", ".join(t.title for t in topics), TOPICS_WEIGHT),
            (", ".join(paper.tags), TAGS_WEIGHT),
            (_flat(typeset.plain(paper.abstract)), TEXT_WEIGHT),
            (notes_text(paper.notes), TEXT_WEIGHT),
        ),
        filters=(),
        meta=tuple((k, v) for k, v in meta if v),
    )


def topic_record(topic: Topic) -> Record:
    return Record(
        url=topic_url(topic.id),
        title=_flat(topic.title),
        blocks=((_flat(topic.description), TEXT_WEIGHT),),
        filters=(("kind", ("topic",)),),
        meta=(("summary", text.shorten(topic.description, SUMMARY_LIMIT)),)
        if topic.description.strip()
        else (),
    )


def summary(paper: Paper) -> str:
    """The paper's own `summary` when the model has one, else the start of its abstract."""
    own = getattr(paper, "summary", None)
    if isinstance(own, str) and own.strip():
        return _flat(own)
    return text.shorten(typeset.plain(paper.abstract), SUMMARY_LIMIT)


def _flat(value: str) -> str:
    return " ".join(value.split())


# Notes without any of these read the same as Markdown and as plain text (but for a stray
# `*`), and most notes are such: rendering them all would cost 1 ms each.
_MARKUP = re.compile(r"[<>\[\]&`*_#|\\!]")


def notes_text(notes: str) -> str:
    """The curator's notes as plain text: rendered as the page renders them, tags dropped."""
    if not notes.strip():
        return ""
    if not _MARKUP.search(notes):
        return _flat(notes)
    parser = _TextOf()
    parser.feed(render_html(sanitize_markdown(notes)))
    parser.close()
    return _flat("".join(parser.parts))


#: Elements whose edges separate words; inline ones (em, a, code...) do not.
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)


class _TextOf(HTMLParser):
    """The text of an HTML fragment, entities decoded, a space at the edges of blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.in_permalink = False  # the ¶ that the toc extension puts after each heading

    def handle_data(self, data: str) -> None:
        if not self.in_permalink:
            self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a" and ("class", "headerlink") in attrs:
            self.in_permalink = True
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.in_permalink = False
        if tag in _BLOCKS:
            self.parts.append(" ")


def _weight(value: float) -> str:
    return f"{value:g}"


def record_html(record: Record, language: str = "en") -> str:
    """The HTML document Pagefind indexes for `record`.

    Text goes in element content, escaped; filter and meta values too (inside an ignored
    element, so they add no words), since values given inline in attributes would be split
    at commas.
    """
    esc = html.escape
    parts = [
        f'<!DOCTYPE html><html lang="{esc(language)}"><head><meta charset="utf-8"></head><body>',
        "<main data-pagefind-body>",
        f'<h1 data-pagefind-weight="{_weight(TITLE_WEIGHT)}" data-pagefind-meta="title">'
        f"{esc(record.title)}</h1>",
    ]
    for value, weight in record.blocks:
        if value:
            parts.append(f'<p data-pagefind-weight="{_weight(weight)}">{esc(value)}</p>')
    parts.append("<div data-pagefind-ignore>")
    for key, values in record.filters:
        parts.extend(f'<span data-pagefind-filter="{esc(key)}">{esc(v)}</span>' for v in values)
    parts.extend(f'<span data-pagefind-meta="{esc(key)}">{esc(v)}</span>' for key, v in record.meta)
    parts.append("</div></main></body></html>")
    return "".join(parts)
