"""Render the files that show the list as a whole: home, topics, all papers, feeds, bibliography, charts.

Pure functions of the `Site`; every listing is sorted by an explicit key.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from . import bibtex, charts, feeds, text
from .layout import paper_url
from .model import Paper, ReadingPath, Topic
from .sitemodel import Site
from .templating import render_template, render_with_blocks, template_macros

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
#: The reader's own marks (overrides/assets/javascripts/marks.js fills it in the browser).
MY_LIST = "my-list.md"


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
        files[timeline_path(topic.id)] = render_timeline(topic, site.members[topic.id])
    return files


def _undated(count: int) -> str:
    """What a timeline leaves out: the papers without a year."""
    return f"; {count} without a year" if count else ""


def timeline_path(topic_id: str) -> str:
    return f"{CHARTS}/timeline-{topic_id}.svg"


def timeline_bins(papers: Sequence[Paper]) -> tuple[str, list[tuple[str, int]]]:
    """What a topic's timeline counts, and its (label, count) bins: papers per year when at
    least half of them have a year, else papers per month they were added to the list (per
    year added once that spans more than charts.MAX_BINS months)."""
    years = [p.year for p in papers if p.year is not None]
    if years and 2 * len(years) >= len(papers):
        return "year", charts.year_bins(years)
    months = charts.month_bins([p.added for p in papers])
    if len(months) > charts.MAX_BINS:
        return "year added", charts.year_bins([p.added.year for p in papers])
    return "month added", months


def render_timeline(topic: Topic, papers: Sequence[Paper]) -> str:
    unit, bins = timeline_bins(papers)
    dated = sum(n for _, n in bins)
    left = f" {len(papers) - dated} without a year are not shown." if dated < len(papers) else ""
    step = ""
    if unit == "year" and len(bins) > 1 and int(bins[1][0]) - int(bins[0][0]) > 1:
        step = (
            f" Each column is {int(bins[1][0]) - int(bins[0][0])} years, from the year it is labelled with."
        )
    return charts.timeline_chart(
        bins,
        caption=f"Papers per {unit}",
        title=f"{topic.title}: papers per {unit}",
        desc=f"Papers of {topic.title} per {unit}.{step}{left} {_counts(bins)}.",
    )


def render_topic(site: Site, topic: Topic, items: ListItems | None = None) -> str:
    """A topic page; `items` are `ListItems(site, "../../", True)`, which every topic page shares."""
    unit, bins = timeline_bins(site.members[topic.id])
    members = site.members[topic.id]
    return render_with_blocks(
        "topic.md.j2",
        items=items if items is not None else ListItems(site, "../../", True),
        topic=topic,
        papers=members,
        essential=[p for p in members if p.status == "essential"],
        others=[p for p in members if p.status != "essential"],
        site=site,
        facet=site.facets,
        neighbours=site.neighbours(topic.id)[:NEIGHBOURS],
        feed=feed_path(topic.id),
        chart=f"{CHARTS}/topic-{topic.id}.svg",
        timeline=timeline_path(topic.id),
        timeline_unit=unit,
        timeline_counts=_counts([(label, n) for label, n in bins if n])
        + _undated(len(site.members[topic.id]) - sum(n for _, n in bins)),
    )


def render_topics_index(site: Site) -> str:
    return render_template("topics.md.j2", taxonomy=site.taxonomy, members=site.members)


class ListItems:
    """Each paper's item in one kind of list (`root` of its pages, `summaries` or not), for every
    page that lists it (All papers, each of its topic pages): its two halves are made once per
    paper, the links to its topics once per set of topics (`_list.html.j2`)."""

    def __init__(self, site: Site, root: str, summaries: bool) -> None:
        macros = template_macros("_list.html.j2")
        self._site, self._root, self._topics = site, root, macros.item_topics
        self._halves = {
            p.slug: (macros.item_head(p, root), macros.item_tail(p, summaries)) for p in site.papers
        }
        self._spans: dict[tuple[tuple[str, ...], str | None], str] = {}

    def item(self, paper: Paper, own_topic: str | None = None) -> Markup:
        """`paper`'s item, its topics less `own_topic` (a topic page's own)."""
        key = (self._site.assignments[paper.slug].topics, own_topic)
        span = self._spans.get(key)
        if span is None:
            topics = self._site.topics_of(paper, but=own_topic)
            span = self._spans[key] = str(self._topics(topics, self._root)) if topics else ""
        head, tail = self._halves[paper.slug]
        return Markup(f"{head}{span}{tail}")


def render_all_papers(site: Site) -> str:
    papers = sorted(site.papers, key=lambda p: (p.title.casefold(), p.slug))
    return render_with_blocks(
        "papers.md.j2", papers=papers, site=site, facet=site.facets, items=ListItems(site, "../", False)
    )


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


def render_tags(site: Site) -> str:
    return render_template("tags.md.j2", free_tags=len({tag for p in site.papers for tag in p.tags}))


def render_my_list() -> str:
    return render_template("my-list.md.j2")
