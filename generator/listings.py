"""Render the files that show the list as a whole: home, topics, all papers, feeds, bibliography, charts.

Pure functions of the `Site`; every listing is sorted by an explicit key.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import bibtex, charts, feeds, text
from .layout import paper_url
from .model import Paper, ReadingPath, Topic
from .sitemodel import Site
from .templating import render_template

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


def _counts(rows: Sequence[tuple[str, int]]) -> str:
    return "; ".join(f"{label}: {n}" for label, n in rows)


def render_charts(site: Site) -> dict[str, str]:
    """The SVG pictures of the topic pages, by docs path.

    The home page shows none: its list of topics gives their sizes, and a matrix of the
    papers each pair of topics shares was unreadable at 22 topics (and on a phone); each
    topic page names its neighbouring topics with the papers they share instead.
    """
    files = {}
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


def render_topic(site: Site, topic: Topic) -> str:
    members = site.members[topic.id]
    return render_template(
        "topic.md.j2",
        topic=topic,
        papers=members,
        essential=[p for p in members if p.status == "essential"],
        others=[p for p in members if p.status != "essential"],
        site=site,
        facet=site.facets,
        neighbours=site.neighbours(topic.id)[:NEIGHBOURS],
        feed=feed_path(topic.id),
        chart=f"{CHARTS}/topic-{topic.id}.svg",
    )


def render_topics_index(site: Site) -> str:
    return render_template("topics.md.j2", taxonomy=site.taxonomy, members=site.members)


def render_all_papers(site: Site) -> str:
    papers = sorted(site.papers, key=lambda p: (p.title.casefold(), p.slug))
    return render_template("papers.md.j2", papers=papers, site=site, facet=site.facets)


def render_home(site: Site) -> str:
    return render_template(
        "home.md.j2",
        site=site,
        recent=site.newest_first(site.papers)[:RECENT],
        topics=site.taxonomy.topics,  # in the curators' order, as in the nav
        paths=site.paths,
        essential=site.essential,
        feed=FEED_ALL,
        bibliography=BIBLIOGRAPHY,
        csl=CSL_JSON,
        cited=sum(1 for entry in site.citations.values() if entry),
    )


def render_paths_index(site: Site) -> str:
    return render_template("paths.md.j2", paths=site.paths)


def render_path(site: Site, path: ReadingPath) -> str:
    return render_template(
        "path.md.j2", path=path, steps=[(step, site.by_slug[step.paper]) for step in path.steps]
    )


def render_tags() -> str:
    return render_template("tags.md.j2")
