"""Render the files that show the list as a whole: home, topics, all papers, feeds, bibliography, charts.

Pure functions of the `Site`; every listing is sorted by an explicit key.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import bibtex, charts, feeds, text
from .layout import paper_url
from .model import Paper, Topic
from .sitemodel import Site, sort_papers
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
