"""Atom 1.0 feeds of recently added papers: pure functions from records to XML text.

Entries are the newest papers by `added` (ties by title, then slug).  Every
date comes from the content, never from the clock: an entry is updated at
midnight UTC of the day its paper was added, and a feed at its newest entry,
so the same content gives byte-identical feeds.  Titles and abstracts are
their plain text (typeset.plain: “Stim”, 12%, 2×10²², not their LaTeX).
ElementTree does the XML escaping.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

from .model import Paper, Topic
from .typeset import plain

ATOM = "http://www.w3.org/2005/Atom"
LIMIT = 50
#: The `updated` of a feed without entries: no date in the content to take it from.
EPOCH = dt.date(1970, 1, 1)


# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    """`text` on one line, without characters XML cannot carry."""
    return " ".join(_NOT_XML.sub("", text).split())


def timestamp(day: dt.date) -> str:
    """Midnight UTC of `day`, as an RFC 3339 date-time."""
    return f"{day.isoformat()}T00:00:00Z"


def newest(papers: Sequence[Paper], limit: int = LIMIT) -> list[Paper]:
    """The `limit` most recently added papers, newest first; ties by title, then slug."""
    return heapq.nsmallest(limit, papers, key=lambda p: (-p.added.toordinal(), p.title.casefold(), p.slug))


def _text(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = _clean(value)
    return element


def render_feed(
    papers: Sequence[Paper],
    *,
    title: str,
    subtitle: str,
    feed_url: str,
    page_url: str,
    author: str,
    url_of: Callable[[Paper], str],
    topics_of: Callable[[Paper], Sequence[Topic]],
    limit: int = LIMIT,
) -> str:
    """Render an Atom feed of the newest `papers`.

    Args:
        feed_url: where the feed itself is published; also its id.
        page_url: the HTML page the feed follows (the home page or a topic page).
        author: the feed's author, which Atom requires; entries name their paper's authors.
        url_of: the absolute URL of a paper's page, which is also the entry's id, so ids
            stay the same for as long as the page stays at its address.
    """
    entries = newest(papers, limit)
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "en"})
    _text(feed, "id", feed_url)
    _text(feed, "title", title)
    _text(feed, "subtitle", subtitle)
    _text(feed, "updated", timestamp(entries[0].added if entries else EPOCH))
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": feed_url})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": page_url})
    _text(ET.SubElement(feed, "author"), "name", author)
    _text(feed, "generator", "reading-list generator")
    for paper in entries:
        url = url_of(paper)
        entry = ET.SubElement(feed, "entry")
        _text(entry, "id", url)
        _text(entry, "title", plain(paper.title))
        ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": url})
        _text(entry, "published", timestamp(paper.added))
        _text(entry, "updated", timestamp(paper.added))
        for name in paper.authors:
            _text(ET.SubElement(entry, "author"), "name", name)
        for topic in topics_of(paper):
            ET.SubElement(entry, "category", {"term": topic.id, "label": _clean(topic.title)})
        if paper.status:
            ET.SubElement(
                entry, "category", {"term": f"status-{paper.status}", "label": f"Status: {paper.status}"}
            )
        # The curator's one-sentence summary when there is one; the abstract then follows as content.
        _text(entry, "summary", plain(paper.summary or paper.abstract), type="text")
        if paper.summary and paper.abstract:
            _text(entry, "content", plain(paper.abstract), type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
