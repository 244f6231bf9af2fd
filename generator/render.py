"""Render the docs tree: pure functions from records to file contents.

Nothing here reads or writes files except the Jinja templates themselves.
Every listing is sorted by an explicit key so the output is deterministic.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import jinja2

from . import bibtex, charts, citations, feeds, sanitize, text
from .layout import paper_path, paper_url, topic_path
from .model import SINGLE_LINKS, Assignment, Page, Paper, Taxonomy, Topic

TEMPLATES = Path(__file__).parent / "templates"
RECENT = 10
#: Neighbouring topics shown on a topic page.
NEIGHBOURS = 8
#: Where the feeds, the bibliography and the charts go in the docs tree.  Feeds sit at the
#: root: Material reads every <link rel="alternate"> as a language version of the site and
#: fetches the sitemap.xml beside it, which only exists at the root (elsewhere: a 404 and a
#: console error on every page).
FEED_ALL = "feed.xml"
BIBLIOGRAPHY = "papers.bib"
CSL_JSON = "papers.csl.json"
CHARTS = "assets/charts"

LINK_LABELS = {
    "url": "Paper",
    "pdf": "PDF",
    "doi": "DOI",
    "arxiv": "arXiv",
    "code": "Code",
    "data": "Data",
    "project": "Project page",
}


@dataclass(frozen=True)
class Site:
    """Everything the renderer needs, computed by the earlier stages."""

    papers: tuple[Paper, ...]
    taxonomy: Taxonomy
    assignments: Mapping[str, Assignment]
    related: Mapping[str, tuple[str, ...]]
    pages: tuple[Page, ...] = ()
    #: The published address (mkdocs.yml `site_url`), for feeds and citations; "" if unknown.
    site_url: str = ""
    site_name: str = "Reading list"

    # The cached properties below are values derived from the fields, computed once on
    # first use: a frozen record whose every value follows from its fields.

    def url(self, path: str) -> str:
        """The absolute URL of `path` (relative to the site root), or `path` without a site_url."""
        return f"{self.site_url.rstrip('/')}/{path}" if self.site_url else path

    @cached_property
    def cite_keys(self) -> Mapping[str, str]:
        """Each paper's citation key, by slug (unique across the list)."""
        return bibtex.cite_keys(self.papers)

    @cached_property
    def citations(self) -> dict[str, str]:
        """Each paper's BibTeX entry ("" if it cannot be cited), by slug."""
        return {p.slug: self.citation(p) for p in self.papers}

    def citation(self, paper: Paper) -> str:
        """One paper's BibTeX entry, "" if it cannot be cited."""
        return bibtex.render_entry(paper, self.cite_keys[paper.slug])

    @cached_property
    def by_slug(self) -> dict[str, Paper]:
        return {p.slug: p for p in self.papers}

    @cached_property
    def members(self) -> dict[str, tuple[Paper, ...]]:
        """Papers of each topic, newest first, then by title."""
        out: dict[str, list[Paper]] = {t.id: [] for t in self.taxonomy.topics}
        for paper in self.papers:
            for tid in self.assignments[paper.slug].topics:
                out[tid].append(paper)
        return {tid: tuple(sort_papers(ps)) for tid, ps in out.items()}

    @cached_property
    def shared(self) -> dict[tuple[str, str], int]:
        """Number of papers each pair of topics shares."""
        counts: dict[tuple[str, str], int] = {}
        for paper in self.papers:
            tids = sorted(self.assignments[paper.slug].topics)
            for i, a in enumerate(tids):
                for b in tids[i + 1 :]:
                    counts[(a, b)] = counts.get((a, b), 0) + 1
        return counts

    @cached_property
    def topics_by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in reversed(self.taxonomy.topics)}  # the first of an id wins, as in get()

    def topics_of(self, paper: Paper) -> tuple[Topic, ...]:
        by_id = self.topics_by_id
        return tuple(by_id[tid] for tid in self.assignments[paper.slug].topics if tid in by_id)

    def neighbours(self, topic_id: str) -> list[tuple[Topic, int]]:
        """Topics sharing papers with `topic_id`, most shared first."""
        out = []
        for (a, b), n in self.shared.items():
            other = b if a == topic_id else a if b == topic_id else None
            if other is not None:
                topic = self.taxonomy.get(other)
                assert topic is not None
                out.append((topic, n))
        out.sort(key=lambda tn: (-tn[1], tn[0].id))
        return out


def sort_papers(papers: Sequence[Paper]) -> list[Paper]:
    """Newest first; ties by title, then slug."""
    return sorted(papers, key=lambda p: (-p.added.toordinal(), p.title.casefold(), p.slug))


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


# Characters YAML reads as line breaks or refuses in a stream: JSON leaves them as they are,
# so they are written as escapes, which YAML's double-quoted strings read back.
_YAML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def front_matter(data: dict[str, Any]) -> str:
    """Front matter holding `data`, written as JSON (which is YAML), one key a line.

    json's C encoder is ten times faster than any YAML emitter, and every YAML
    reader reads the result back to the same values.
    """
    lines = ",\n".join(f"{json.dumps(key)}: {_json(value)}" for key, value in data.items())
    return f"---\n{{{lines}}}\n---\n"


def _json(value: object) -> str:
    encoded = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", encoded)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        # Templates are part of the generator (their digest keys the cache): a run never sees
        # them change, so no `stat` of the template file before every page.
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = text.md_inline
    env.filters["html"] = text.html_text
    env.filters["summary"] = text.first_sentence
    env.filters["credit"] = text.credit
    env.filters["front_matter"] = front_matter
    # Validation already refuses notes that could run script; this is the second line.
    env.filters["safe_markdown"] = sanitize.sanitize_markdown
    return env


_ENV = _environment()


def render_template(name: str, **context: Any) -> str:
    return _ENV.get_template(name).render(**context)


def paper_meta(site: Site, paper: Paper) -> dict[str, Any]:
    """The front matter of a paper page, read by overrides/paper.html."""
    topics = site.topics_of(paper)
    self_link = any(link.kind in SINGLE_LINKS for link in paper.links)
    summary = text.first_sentence(paper.abstract, 300) if paper.abstract else byline(paper)
    meta: dict[str, Any] = {
        # Material prints these unescaped: the title in <title>, the h1, tag listings and the
        # search index (as HTML), the description inside an attribute.
        "title": text.html_title(paper.title),
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
            "topics": [{"id": t.id, "title": t.title} for t in topics],
            "tags": list(paper.tags),
            "links": paper_links(paper),
            "lookup": [] if self_link else lookup_links(paper),
        },
    }
    return meta


def render_paper(site: Site, paper: Paper) -> str:
    related = [site.by_slug[s] for s in site.related.get(paper.slug, ())]
    own = site.topics_of(paper)
    own_ids = {t.id for t in own}
    shared = {r.slug: [t for t in site.topics_of(r) if t.id in own_ids] for r in related}
    entry = site.citation(paper)
    return render_template(
        "paper.md.j2",
        meta=paper_meta(site, paper),
        paper=paper,
        byline=byline(paper),
        related=related,
        shared=shared,
        bibtex=entry,
        fence=code_fence(entry),
        bibliography=BIBLIOGRAPHY,
        csl=CSL_JSON,
        missing=bibtex.missing(paper),
        lookup=lookup_links(paper),
    )


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


def code_fence(code: str) -> str:
    """A backtick fence longer than any run of backticks in `code`."""
    longest = max((len(run) for run in re.findall("`+", code)), default=0)
    return "`" * max(3, longest + 1)


def render_bibliography(site: Site) -> str:
    return bibtex.render_bibliography({site.cite_keys[slug]: e for slug, e in site.citations.items()})


def feed_path(topic_id: str | None = None) -> str:
    """Where a feed goes in the docs tree: the whole list's, or a topic's."""
    return FEED_ALL if topic_id is None else f"feed-{topic_id}.xml"


def render_feeds(site: Site) -> dict[str, str]:
    """The Atom feed of the whole list and one per topic, by docs path."""

    def url_of(paper: Paper) -> str:
        return site.url(paper_url(paper.slug))

    files = {
        FEED_ALL: feeds.render_feed(
            site.papers,
            title=f"{site.site_name}: recently added papers",
            subtitle=f"The newest of the {len(site.papers)} papers of the list.",
            feed_url=site.url(FEED_ALL),
            page_url=site.url(""),
            author=site.site_name,
            url_of=url_of,
            topics_of=site.topics_of,
        )
    }
    for topic in site.taxonomy.topics:
        files[feed_path(topic.id)] = feeds.render_feed(
            site.members[topic.id],
            title=f"{site.site_name}: {topic.title}",
            subtitle=text.first_sentence(topic.description, 300),
            feed_url=site.url(feed_path(topic.id)),
            page_url=site.url(f"topics/{topic.id}/"),
            author=site.site_name,
            url_of=url_of,
            topics_of=site.topics_of,
        )
    return files


def topics_by_size(site: Site) -> list[Topic]:
    """Largest topic first, then by id: the order of the home page's table and charts."""
    return sorted(site.taxonomy.topics, key=lambda t: (-len(site.members[t.id]), t.id))


def _counts(rows: Sequence[tuple[str, int]]) -> str:
    return "; ".join(f"{label}: {n}" for label, n in rows)


def render_charts(site: Site) -> dict[str, str]:
    """The SVG pictures of the home and topic pages, by docs path."""
    ranked = topics_by_size(site)
    sizes = [(t.title, len(site.members[t.id])) for t in ranked]
    index = {t.id: i for i, t in enumerate(ranked)}
    shared: dict[tuple[int, int], int] = {}
    for (a, b), n in site.shared.items():
        i, j = sorted((index[a], index[b]))
        shared[(i, j)] = n
    titles = {t.id: t.title for t in ranked}
    most = [(f"{titles[a]} and {titles[b]}", n) for (a, b), n in sorted(site.shared.items(), key=_most)[:5]]
    overlap = f"Most shared: {_counts(most)}." if most else "No paper is in two topics."
    files = {
        f"{CHARTS}/topics.svg": charts.bar_chart(
            sizes, title="Papers per topic", desc=f"Papers in each topic, largest first. {_counts(sizes)}."
        ),
        f"{CHARTS}/shared-topics.svg": charts.cooccurrence_chart(
            sizes,
            shared,
            title="Papers shared between topics",
            desc="For each pair of topics, the number of papers in both; the diagonal is each "
            f"topic's size. {overlap}",
        ),
    }
    for topic in site.taxonomy.topics:
        rows = [(topic.title, len(site.members[topic.id]))]
        rows += [(f"also in {t.title}", n) for t, n in site.neighbours(topic.id)[:NEIGHBOURS]]
        files[f"{CHARTS}/topic-{topic.id}.svg"] = charts.bar_chart(
            rows,
            own=0,
            title=f"{topic.title}: size and neighbouring topics",
            desc=f"Papers in {topic.title}, and how many of them are also in each neighbouring topic. "
            f"{_counts(rows)}.",
        )
    return files


def _most(pair: tuple[tuple[str, str], int]) -> tuple[int, tuple[str, str]]:
    return (-pair[1], pair[0])


def render_topic(site: Site, topic: Topic) -> str:
    return render_template(
        "topic.md.j2",
        topic=topic,
        papers=site.members[topic.id],
        neighbours=site.neighbours(topic.id)[:NEIGHBOURS],
        feed=feed_path(topic.id),
        chart=f"{CHARTS}/topic-{topic.id}.svg",
    )


def render_topics_index(site: Site) -> str:
    return render_template("topics.md.j2", taxonomy=site.taxonomy, members=site.members)


def render_all_papers(site: Site) -> str:
    papers = sorted(site.papers, key=lambda p: (p.title.casefold(), p.slug))
    return render_template("papers.md.j2", papers=papers, site=site)


def render_home(site: Site) -> str:
    return render_template(
        "home.md.j2",
        site=site,
        recent=sort_papers(site.papers)[:RECENT],
        topics=topics_by_size(site),
        feed=FEED_ALL,
        bibliography=BIBLIOGRAPHY,
        csl=CSL_JSON,
        cited=sum(1 for entry in site.citations.values() if entry),
        charts=CHARTS,
        tag_count=len({tag for p in site.papers for tag in p.tags}),
    )


def render_tags() -> str:
    return render_template("tags.md.j2")


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
                "topics": [{"id": t.id, "title": t.title} for t in site.topics_of(paper)],
                "tags": list(paper.tags),
                "links": {
                    kind: [link_href(kind, link.url) for link in paper.links if link.kind == kind]
                    for kind in LINK_LABELS
                    if any(link.kind == kind for link in paper.links)
                },
                "related": list(site.related.get(paper.slug, ())),
            }
        )
    topics = [{"id": t.id, "title": t.title} for t in site.taxonomy.topics]
    # One paper (one topic) a line: readable, a one-line diff per changed paper, and written by
    # json's C encoder (with `indent` it falls back to pure Python: 1 s at 10,000 papers).
    lines = ",\n".join(map(_json_line, papers))
    return f'{{"papers": [\n{lines}\n],\n"topics": [\n' + ",\n".join(map(_json_line, topics)) + "\n]}\n"


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
    for paper in site.papers:
        files[paper_path(paper.slug)] = functools.partial(render_paper, site, paper)
    return dict(sorted(files.items()))


def _pick(group: Callable[[], dict[str, str]], path: str) -> str:
    return group()[path]


def list_paths(site: Site) -> list[str]:
    """The paths of the files `render_list_files` makes, without making them."""
    paths = ["index.md", "papers/index.md", "topics/index.md", "tags.md", FEED_ALL, BIBLIOGRAPHY, CSL_JSON]
    paths += [f"{CHARTS}/topics.svg", f"{CHARTS}/shared-topics.svg"]
    for topic in site.taxonomy.topics:
        paths += [topic_path(topic.id), feed_path(topic.id), f"{CHARTS}/topic-{topic.id}.svg"]
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
        "tags.md": render_tags(),
    }
    for topic in site.taxonomy.topics:
        files[topic_path(topic.id)] = render_topic(site, topic)
    for page in site.pages:
        files[page.name] = render_page(page)
    files.update(render_feeds(site))
    files[BIBLIOGRAPHY] = render_bibliography(site)
    files[CSL_JSON] = citations.render_csl_json(site.papers, site.cite_keys)
    files.update(render_charts(site))
    return files
