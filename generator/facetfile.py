"""The list pages' facet file: what their filters, sorting and counts need of every paper.

`render_facets(site)` writes `facets.json` into the docs tree (render.py). The list pages'
script (overrides/assets/javascripts/facets.js) fetches it when the reader first touches a
filter or sort control, or opens a URL that holds filters, and filters, sorts and counts over
it in the browser: linear in the papers, a few ms at 10,000. Pagefind's filtered search of no
words sorts and counts in time quadratic in its results (benchmarks/FACETS.md), so the filters
no longer go through it.

The file, one paper a line (a one-line diff per changed paper):

    {"version": 1, "key": "<12 hex>",
     "topics": [topic ids], "statuses": [...], "tags": [...], "has": ["code", "data"],
     "fields": ["slug", "title", "authors", "year", "added", "date", "status", "has", "topics",
                "tags", "summary"],
     "papers": [
    ["slug", "Plain title", "A, B et al.", 2017, 12, 19723, 0, 1, [0, 3], [2], ""],
    ...]}

- papers are in the All papers page's order (by title): a paper's place is its title rank;
- slug: "" when it is `ascii_slug(title)`, which the script works out the same way (most
  slugs are: 30% of the file at 10,000 papers);
- title: the plain text of the title on one line, as the lists show it; authors: the short
  credit without the year; year: 0 if unknown;
- added: the paper's place in the topic pages' order (newest added first, then by title);
  date: the day it was added, in days since 1970-01-01 (the items' `data-added`);
- status: an index into `statuses`, -1 for none; has: a bit per entry of `has` (code 1, data 2);
- topics, tags: indices into `topics`, `tags`;
- summary: the curator's own summary, "" if none (the lists show no other for these papers);
- key: names the list of slugs, so that the search ids (`search_ids`) can be checked against it.

`search_ids(facets_json, fragments)` pairs each paper of the file with its Pagefind page id (the
name of its fragment), so that a search of words answers with papers of the facet file without
loading a fragment per result. `indexing.write_search_index` writes it beside the index.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import zlib
from collections.abc import Iterable
from pathlib import Path

from . import text, typeset
from .model import STATUSES
from .sitemodel import HAS_LINKS, Site, sort_papers
from .slugs import SLUG_MAX

#: The facet file, relative to the docs tree and the site.
FACETS_FILE = "facets.json"
#: The Pagefind ids of the facet file's papers, relative to the site (inside the index folder).
SEARCH_IDS_FILE = "pagefind/rl-facet-ids.json"
VERSION = 2
EPOCH = dt.date(1970, 1, 1).toordinal()
FIELDS = ("slug", "title", "authors", "year", "added", "date", "status", "has", "topics", "tags", "summary")


def ascii_slug(title: str) -> str | None:
    """slugs.slugify of an ASCII title, as facets.js computes it (`asciiSlug`); None otherwise."""
    if not title.isascii():
        return None
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    if len(slug) > SLUG_MAX:
        cut = slug[:SLUG_MAX]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut
    return slug or "paper"


def _line(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def slugs_key(slugs: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(slugs).encode("utf-8")).hexdigest()[:12]


def render_facets(site: Site) -> str:
    """facets.json: deterministic, a function of the papers' front matter and the taxonomy."""
    papers = sorted(site.papers, key=lambda p: (p.title.casefold(), p.slug))  # render_all_papers
    added = {p.slug: i for i, p in enumerate(sort_papers(site.papers))}  # site.members' order
    topic_ids = list(dict.fromkeys(t.id for t in site.taxonomy.topics))
    topic_index = {tid: i for i, tid in enumerate(topic_ids)}
    statuses = [s for s in STATUSES if any(p.status == s for p in papers)]
    status_index = {s: i for i, s in enumerate(statuses)}
    tags = sorted({tag for p in papers for tag in p.tags})
    tag_index = {tag: i for i, tag in enumerate(tags)}
    rows = []
    for p in papers:
        has = sum(1 << i for i, kind in enumerate(HAS_LINKS) if p.link(kind))
        title = text.one_line(typeset.plain(p.title))
        rows.append(
            [
                "" if ascii_slug(title) == p.slug else p.slug,
                title,
                text.short_authors(p.authors),
                p.year or 0,
                added[p.slug],
                p.added.toordinal() - EPOCH,
                status_index.get(p.status, -1) if p.status else -1,
                has,
                [topic_index[t.id] for t in site.topics_of(p)],
                sorted({tag_index[tag] for tag in p.tags}),
                text.one_line(p.summary) if p.summary else "",
            ]
        )
    head = {
        "version": VERSION,
        "key": slugs_key(p.slug for p in papers),
        "topics": topic_ids,
        "statuses": statuses,
        "tags": tags,
        "has": list(HAS_LINKS),
        "fields": list(FIELDS),
    }
    return _line(head)[:-1] + ',\n"papers":[\n' + ",\n".join(map(_line, rows)) + "\n]}\n"


_DECODER = json.JSONDecoder()


def _url_of_fragment(data: bytes) -> str | None:
    """The page URL a Pagefind fragment names: gzip'd `pagefind_dcd{"url":"/papers/x/",...`."""
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, 512)
    except zlib.error:
        return None
    key = b'"url":'
    at = head.find(key)
    if at < 0:
        return None
    try:
        value, _ = _DECODER.raw_decode(head[at + len(key) :].decode("utf-8", "replace"))
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def search_ids(facets_json: str, fragments: Path) -> str:
    """The Pagefind page id of each paper of `facets_json`, in its order ("" where the index has
    no page for it), from the index's fragment files (`fragments`/<id>.pf_fragment)."""
    doc = json.loads(facets_json)
    slugs: list[str] = [row[0] or ascii_slug(row[1]) or "" for row in doc["papers"]]
    by_slug: dict[str, str] = {}
    names: list[str] = []
    if fragments.is_dir():
        with os.scandir(fragments) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".pf_fragment"))
    for name in names:  # sorted: of two pages of one slug (none expected), the same one each run
        with open(os.path.join(fragments, name), "rb") as f:
            url = _url_of_fragment(f.read())
        parts = (url or "").strip("/").split("/")
        if len(parts) == 2 and parts[0] == "papers":
            by_slug.setdefault(parts[1], name.removesuffix(".pf_fragment"))
    ids = [by_slug.get(slug, "") for slug in slugs]
    return _line({"version": VERSION, "key": doc["key"], "ids": ids}) + "\n"
