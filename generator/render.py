"""Render the docs tree: pure functions from records to file contents.

Nothing here reads or writes files except the Jinja templates themselves.
Every listing is sorted by an explicit key so the output is deterministic.
This module makes the paper pages, the curators' pages and papers.json, and
lists every file; `listings` renders the files showing the list as a whole,
`sitemodel` holds the `Site` record and `templating` the Jinja environment.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote_plus

from . import bibtex, citations, text, typeset
from .facetfile import FACETS_FILE, render_facets
from .layout import PATHS_INDEX, paper_path, paper_url, path_path, path_url, topic_path
from .listings import (
    BIBLIOGRAPHY,
    CHARTS,
    CSL_JSON,
    FEED_ALL,
    MY_LIST,
    ListItems,
    feed_path,
    render_all_papers,
    render_bibliography,
    render_charts,
    render_feeds,
    render_home,
    render_my_list,
    render_path,
    render_paths_index,
    render_tags,
    render_topic,
    render_topics_index,
    timeline_path,
)
from .model import SINGLE_LINKS, Page, Paper, Topic
from .sitemodel import Site
from .templating import front_matter, render_template, with_blocks

__all__ = ["Site", "list_paths", "render_list_files", "render_paper", "render_site"]

LINK_LABELS = {
    "url": "Paper",
    "pdf": "PDF",
    "doi": "DOI",
    "arxiv": "arXiv",
    "code": "Code",
    "data": "Data",
    "project": "Project page",
}


def paper_links(paper: Paper) -> list[dict[str, str]]:
    """The card's links: the paper's own, with the arXiv PDF beside the arXiv abstract."""
    out = []
    for link in paper.links:
        out.append(
            {"kind": link.kind, "label": LINK_LABELS[link.kind], "url": link_href(link.kind, link.url)}
        )
        arxiv_pdf = f"https://arxiv.org/pdf/{link.url}"
        if link.kind == "arxiv" and paper.link("pdf") != arxiv_pdf:
            out.append({"kind": "arxiv-pdf", "label": "arXiv PDF", "url": arxiv_pdf})
    return out


def byline(paper: Paper) -> str:
    """Every author, the year and the venue on one line: page text, so that search finds authors."""
    parts = [", ".join(paper.authors), str(paper.year) if paper.year else "", paper.venue or ""]
    return " · ".join(" ".join(p.split()) for p in parts if p.strip())


def lookup_links(paper: Paper) -> list[dict[str, str]]:
    """Search links for a paper that carries no link to itself."""
    q = quote_plus(paper.title)
    return [
        {"label": "arXiv", "url": f"https://arxiv.org/search/?query={q}&searchtype=title"},
        {"label": "Semantic Scholar", "url": f"https://www.semanticscholar.org/search?q={q}"},
        {"label": "Hugging Face", "url": f"https://huggingface.co/papers?q={q}"},
    ]


def link_href(kind: str, value: str) -> str:
    if kind == "doi":
        return f"https://doi.org/{value}"
    if kind == "arxiv":
        return f"https://arxiv.org/abs/{value}"
    return value


def paper_meta(site: Site, paper: Paper) -> dict[str, Any]:
    """The front matter of a paper page, read by overrides/paper.html."""
    topics = site.topics_of(paper)
    self_link = any(link.kind in SINGLE_LINKS for link in paper.links)
    summary = paper.summary or (
        text.first_sentence(typeset.plain(paper.abstract), 300) if paper.abstract else byline(paper)
    )
    meta: dict[str, Any] = {
        # Material prints these unescaped: the title in <title>, the h1, tag listings and the
        # search index (as HTML), the description inside an attribute. Both are the plain
        # text of their LaTeX (typeset.plain): <title> and attributes cannot hold markup.
        "title": text.html_title(typeset.plain(paper.title)),
        "description": text.html_text(summary),
        "template": "paper.html",
        "tags": [t.title for t in topics] + list(paper.tags),
        "source": paper.origin.path,
        "paper": {
            "slug": paper.slug,
            "added": paper.added.isoformat(),
            "year": paper.year,
            "authors": list(paper.authors),
            "venue": paper.venue,
            "status": paper.status,
            "summary": paper.summary,
            "topics": [{"id": t.id, "title": t.title} for t in topics],
            "tags": list(paper.tags),
            "links": paper_links(paper),
            "lookup": [] if self_link else lookup_links(paper),
            "paths": path_steps(site, paper),
        },
    }
    if paper.abstract and typeset.has_math(paper.abstract):
        meta["math"] = True  # overrides/main.html links KaTeX on this page only
    return meta


def related_groups(site: Site, paper: Paper) -> list[tuple[tuple[Topic, ...], list[Paper]]]:
    """The related papers, grouped by the topics each shares with `paper`.

    The groups come in the order of their most related paper, and keep the papers' order
    within: the reason is said once per group ("Also in Quantum computing"), not once per
    paper. Papers sharing no topic (related by their words alone) form a group of no topics.
    """
    own_ids = {t.id for t in site.topics_of(paper)}
    # Keyed by the topics' ids: hashing a Topic hashes its every rule.
    groups: dict[tuple[str, ...], tuple[tuple[Topic, ...], list[Paper]]] = {}
    for slug in site.related.get(paper.slug, ()):
        other = site.by_slug[slug]
        shared = tuple(t for t in site.topics_of(other) if t.id in own_ids)
        groups.setdefault(tuple(t.id for t in shared), (shared, []))[1].append(other)
    return list(groups.values())


def path_steps(site: Site, paper: Paper) -> list[dict[str, Any]]:
    """Where `paper` stands in each reading path, with the papers before and after it (overrides/
    partials/path-nav.html shows them)."""

    def neighbour(slug: str) -> dict[str, str]:
        return {"url": paper_url(slug), "title": site.by_slug[slug].title}

    out = []
    for path, i in site.steps_of.get(paper.slug, ()):
        steps = path.steps
        out.append(
            {
                "id": path.id,
                "title": path.title,
                "url": path_url(path.id),
                "step": i + 1,
                "of": len(steps),
                "prev": neighbour(steps[i - 1].paper) if i > 0 else None,
                "next": neighbour(steps[i + 1].paper) if i + 1 < len(steps) else None,
            }
        )
    return out


def render_paper(site: Site, paper: Paper) -> str:
    entry = site.citation(paper)
    blocks: list[str] = []
    body = render_template(
        "paper.md.j2",
        blocks=blocks,
        paper=paper,
        byline=byline(paper),
        abstract=typeset.to_html(paper.abstract) if paper.abstract else "",
        related=related_groups(site, paper),
        bibtex=entry,
        bibliography=BIBLIOGRAPHY,
        csl=CSL_JSON,
        missing=bibtex.missing(paper),
        lookup=lookup_links(paper),
    )
    return front_matter(with_blocks(paper_meta(site, paper), blocks)) + body


def page_meta(page: Page) -> dict[str, Any]:
    """The front matter of a hand-written page: only what the generator vouches for."""
    meta: dict[str, Any] = {"title": text.html_title(page.title)}  # escaped as in paper_meta
    if page.description is not None:
        meta["description"] = text.html_text(page.description)
    if page.hide:
        meta["hide"] = list(page.hide)
    meta["source"] = page.origin.path
    return meta


def render_page(page: Page) -> str:
    """A hand-written page: front matter written by the generator, then the curator's body."""
    return render_template("page.md.j2", meta=page_meta(page), body=page.body)


def render_papers_json(site: Site) -> str:
    papers = []
    for paper in sorted(site.papers, key=lambda p: p.slug):
        papers.append(
            {
                "slug": paper.slug,
                "title": paper.title,
                "url": paper_url(paper.slug),
                "abstract": paper.abstract,
                "authors": list(paper.authors),
                "year": paper.year,
                "venue": paper.venue,
                "type": paper.type,
                "added": paper.added.isoformat(),
                "status": paper.status,
                "summary": paper.summary,
                "topics": [{"id": t.id, "title": t.title} for t in site.topics_of(paper)],
                "tags": list(paper.tags),
                "links": {
                    kind: [link_href(kind, link.url) for link in paper.links if link.kind == kind]
                    for kind in LINK_LABELS
                    if any(link.kind == kind for link in paper.links)
                },
                "related": list(site.related.get(paper.slug, ())),
                # The key of its entry in papers.bib, or null when the list cannot cite it: the
                # reader's marks export their BibTeX from papers.bib by this key (marks.js).
                "cite": site.cite_keys[paper.slug] if site.citations[paper.slug] else None,
            }
        )
    topics = [{"id": t.id, "title": t.title} for t in site.taxonomy.topics]
    paths = [{"id": p.id, "title": p.title, "steps": [s.paper for s in p.steps]} for p in site.paths]
    # One paper (one topic, one path) a line: readable, a one-line diff per changed paper, and written
    # by json's C encoder (with `indent` it falls back to pure Python: 1 s at 10,000 papers).
    lines = ",\n".join(map(_json_line, papers))
    return (
        f'{{"papers": [\n{lines}\n],\n"topics": [\n'
        + ",\n".join(map(_json_line, topics))
        + '\n],\n"paths": ['
        + "".join(f"\n{line}," for line in map(_json_line, paths)).rstrip(",")
        + ("\n" if paths else "")
        + "]}\n"
    )


def _json_line(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def render_site(site: Site) -> dict[str, Callable[[], str]]:
    """Every file of the docs tree, by path relative to docs/, as a function that renders it.

    Nothing is rendered until asked for, so a caller that knows a file is as it
    should be does not pay for it.  The files showing the whole list are made
    together on first use (they share the topic members and the charts).
    """
    lists = functools.cache(lambda: render_list_files(site))
    files: dict[str, Callable[[], str]] = {
        path: functools.partial(_pick, lists, path) for path in list_paths(site)
    }
    files["papers.json"] = functools.partial(render_papers_json, site)
    files[FACETS_FILE] = functools.partial(render_facets, site)
    for paper in site.papers:
        files[paper_path(paper.slug)] = functools.partial(render_paper, site, paper)
    return dict(sorted(files.items()))


def _pick(group: Callable[[], dict[str, str]], path: str) -> str:
    return group()[path]


def list_paths(site: Site) -> list[str]:
    """The paths of the files `render_list_files` makes, without making them."""
    paths = [
        "index.md",
        "papers/index.md",
        "topics/index.md",
        "tags.md",
        MY_LIST,
        FEED_ALL,
        BIBLIOGRAPHY,
        CSL_JSON,
    ]
    for topic in site.taxonomy.topics:
        paths += [topic_path(topic.id), feed_path(topic.id), f"{CHARTS}/topic-{topic.id}.svg"]
        paths.append(timeline_path(topic.id))
    paths += [PATHS_INDEX, *(path_path(p.id) for p in site.paths)]
    paths += [page.name for page in site.pages]
    return paths


def render_list_files(site: Site) -> dict[str, str]:
    """The files showing the list as a whole, and the curators' pages.

    None of them shows notes or related papers (`incremental` renders them again
    only when some front matter, the taxonomy, a page or the settings change).
    """
    files: dict[str, str] = {
        "index.md": render_home(site),
        "papers/index.md": render_all_papers(site),
        "topics/index.md": render_topics_index(site),
        "tags.md": render_tags(site),
        MY_LIST: render_my_list(),
    }
    items = ListItems(site, "../../", True)
    for topic in site.taxonomy.topics:
        files[topic_path(topic.id)] = render_topic(site, topic, items)
    files[PATHS_INDEX] = render_paths_index(site)
    for path in site.paths:
        files[path_path(path.id)] = render_path(site, path)
    for page in site.pages:
        files[page.name] = render_page(page)
    files.update(render_feeds(site))
    files[BIBLIOGRAPHY] = render_bibliography(site)
    files[CSL_JSON] = citations.render_csl_json(site.papers, site.cite_keys)
    files.update(render_charts(site))
    return files
