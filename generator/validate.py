"""Checks across papers: duplicates and anything one file alone cannot show."""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from html.parser import HTMLParser
from urllib.parse import unquote

from . import dedupe, htmlscan, sanitize
from .bibtex import cite_keys
from .layout import PATHS_INDEX, paper_path, path_path
from .listings import BIBLIOGRAPHY, CHARTS, FEED_ALL, MY_LIST, feed_path, timeline_path
from .load import Content
from .model import Assignment, Paper, Problem, Severity
from .text import title_key

_ARXIV_URL = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/([a-z-]+(?:\.[A-Z]{2})?/\d{7}|\d{4}\.\d{4,5})",
    re.IGNORECASE,
)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\..+)$", re.IGNORECASE)
_VERSION = re.compile(r"v\d+$")

#: What makes two entries the same paper, as (field the key comes from, kind, key).
Key = tuple[str, str, str]


def _arxiv(value: str) -> str:
    return _VERSION.sub("", value.removesuffix(".pdf")).lower()


def paper_keys(paper: Paper) -> list[Key]:
    """The keys that identify `paper`: its normalized title, arXiv id and DOI, however given."""
    keys: list[Key] = [("title", "title", title_key(paper.title))]
    for link in paper.links:
        if link.kind == "arxiv":
            keys.append(("arxiv", "arXiv id", _arxiv(link.url)))
        elif link.kind == "doi":
            m = _ARXIV_DOI.match(link.url)
            keys.append(("doi", "arXiv id", _arxiv(m.group(1))) if m else ("doi", "DOI", link.url.casefold()))
        elif link.kind in ("url", "pdf"):
            m = _ARXIV_URL.match(link.url)
            if m:
                keys.append((link.kind, "arXiv id", _arxiv(m.group(1))))
            m = _DOI_URL.match(link.url)
            if m:
                keys.append((link.kind, "DOI", m.group(1).casefold()))
    return [k for k in dict.fromkeys(keys) if k[2]]


def _where(paper: Paper, field: str) -> str:
    pos = paper.origin.at(field)
    return f"{paper.origin.path}:{pos.line}:{pos.col}"


def find_duplicates(papers: Sequence[Paper], known: Iterable[Paper] = ()) -> list[Problem]:
    """Report every paper that repeats one in `known` or an earlier one in `papers`.

    The problem is placed at the repeating paper, on the field that matched, and
    names the first one's file and line.
    """
    first: dict[tuple[str, str], tuple[Paper, str]] = {}
    by_slug: dict[str, Paper] = {}
    for paper in known:
        for field, kind, key in paper_keys(paper):
            first.setdefault((kind, key), (paper, field))
        by_slug.setdefault(paper.slug.casefold(), paper)
    problems: list[Problem] = []
    for paper in papers:
        folded = paper.slug.casefold()
        other_slug = by_slug.get(folded)
        if other_slug is not None and other_slug is not paper:
            problems.append(
                Problem(
                    paper.origin.path,
                    1,
                    1,
                    f"file name: {paper.slug!r} differs only by case from {_where(other_slug, 'title')}; "
                    "on case-insensitive file systems they are the same file",
                )
            )
        by_slug.setdefault(folded, paper)
        reported = False
        for field, kind, key in paper_keys(paper):
            seen = first.get((kind, key))
            if seen is None:
                first[(kind, key)] = (paper, field)
                continue
            other, other_field = seen
            if other is paper or reported:
                continue
            what = "the same title (ignoring case and punctuation)" if kind == "title" else f"{kind} {key}"
            pos = paper.origin.at(field)
            problems.append(
                Problem(
                    paper.origin.path,
                    pos.line,
                    pos.col,
                    f"{field}: the same paper as {_where(other, other_field)}: {what}; "
                    "keep one file and merge the notes into it",
                )
            )
            reported = True  # one message per repeated paper is enough to act on
    return problems


def ids(keys: Iterable[Key]) -> frozenset[tuple[str, str]]:
    """The DOIs and arXiv ids among a paper's keys, as (kind, id)."""
    return frozenset((kind, key) for _field, kind, key in keys if kind != "title")


def distinct(a: frozenset[tuple[str, str]], b: frozenset[tuple[str, str]]) -> bool:
    """Whether two papers' ids show they are different papers: ids of one kind (two DOIs, two
    arXiv ids), none shared."""
    return not a & b and bool({kind for kind, _ in a} & {kind for kind, _ in b})


def find_near_duplicates(papers: Sequence[Paper], known: Sequence[Paper] | None = None) -> list[Problem]:
    """Warn about papers that are probably one already listed under a slightly different title.

    Across `papers`, or, with `known`, between each of `papers` and the known ones (as
    `new` checks the paper it adds).  Exact clashes are `find_duplicates`' errors and are
    not repeated here; two papers with different DOIs or arXiv ids are different papers
    however alike they look.  The warning is placed at the later (or new) paper and names
    the other one's file and line.
    """
    if known is None:
        pairs = [(papers[j], papers[i], why) for i, j, why in dedupe.near_titles([p.title for p in papers])]
    else:
        found = dedupe.match_titles([p.title for p in papers], [p.title for p in known])
        pairs = [(papers[i], known[j], why) for i, j, why in found]
    problems = []
    for paper, other, why in pairs:
        # Keys of the few papers found only: working them out for every paper costs more than the search.
        a, b = paper_keys(paper), paper_keys(other)
        if {k[1:] for k in a} & {k[1:] for k in b} or distinct(ids(a), ids(b)):
            continue
        pos = paper.origin.at("title")
        problems.append(
            Problem(
                paper.origin.path,
                pos.line,
                pos.col,
                f"title: probably the same paper as {_where(other, 'title')} ({why}: {other.title!r}); "
                "keep one file and merge the notes into it, or give both papers their DOI or arXiv id "
                "if they differ",
                Severity.WARNING,
            )
        )
    return problems


def find_unplaced(papers: Sequence[Paper], assignments: Mapping[str, Assignment]) -> list[Problem]:
    """Warn about papers that land in no topic."""
    out = []
    for paper in papers:
        if assignments[paper.slug].topics:
            continue
        pos = paper.origin.at("title")
        out.append(
            Problem(
                paper.origin.path,
                pos.line,
                pos.col,
                "topics: the paper is in no topic: no rule of the taxonomy matches its title or abstract; "
                f"add 'topics: [<id>]' (python -m generator topics --explain {paper.slug})",
                Severity.WARNING,
            )
        )
    return out


#: Anchors the paper template gives every paper page (templates/paper.md.j2).
PAPER_ANCHORS = ("curators-notes", "related-papers", "cite")
# Text that may hold a link Markdown renders: an inline link, a reference or raw HTML.
_MAY_LINK = re.compile(r"\]\(|\]:|href|src", re.IGNORECASE)


class _Links(HTMLParser):
    """The link targets (a href, img src) and the anchors (id) of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and ((tag == "a" and name == "href") or (tag == "img" and name == "src")):
                if not value.startswith("#") or tag != "a" or ("class", "headerlink") not in attrs:
                    self.links.append(value)
            elif name == "id" and value:
                self.ids.add(value)

    handle_startendtag = handle_starttag


def _read_links(markdown: str) -> _Links:
    parser = _Links()
    parser.feed(sanitize.render_html(markdown))
    parser.close()
    return parser


def docs_files(content: Content) -> set[str]:
    """Every file of the docs tree that a link in notes or pages may point to."""
    files = {
        "index.md",
        "tags.md",
        "papers/index.md",
        "topics/index.md",
        MY_LIST,
        FEED_ALL,
        BIBLIOGRAPHY,
        "papers.json",
    }
    files.update(paper_path(p.slug) for p in content.papers)
    files.update(page.name for page in content.pages)
    for topic in content.taxonomy.topics:
        files.update({f"topics/{topic.id}.md", feed_path(topic.id), f"{CHARTS}/topic-{topic.id}.svg"})
        files.add(timeline_path(topic.id))
    files.add(PATHS_INDEX)
    files.update(path_path(p.id) for p in content.paths)
    return files


class _Anchors:
    """The anchors of the pages whose anchors validate can know: papers and hand-written pages."""

    def __init__(self, content: Content) -> None:
        self._notes = {paper_path(p.slug): p.notes for p in content.papers}
        self._pages = {page.name: page.body for page in content.pages}
        self._known: dict[str, frozenset[str]] = {}

    def of(self, page: str) -> frozenset[str] | None:
        if page not in self._known:
            if page in self._notes:
                notes = self._notes[page]
                ids = _read_links(notes).ids if notes else set()
                self._known[page] = frozenset(ids | set(PAPER_ANCHORS))
            elif page in self._pages:
                self._known[page] = frozenset(_read_links(self._pages[page]).ids)
            else:
                return None
        return self._known[page]


def _link_problem(link: str, page: str, files: set[str], anchors: _Anchors) -> str | None:
    """What is wrong with `link` in the docs page `page`, as mkdocs build --strict would see it."""
    if htmlscan.url_scheme(link) is not None or link.startswith("//"):
        return None  # an absolute URL: mkdocs does not check it, nor do we
    path, _, fragment = link.partition("#")
    path = unquote(path.partition("?")[0])
    if not path:
        target = page
    elif path.startswith("/"):
        return f"link to {link!r} is absolute, which mkdocs refuses; write it relative to this page"
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if target not in files or path.endswith("/"):
            index = posixpath.join(target, "index.md")
            close = (
                [index]
                if index in files
                else difflib.get_close_matches(target, sorted(files), n=1, cutoff=0.6)
            )
            hint = ""
            if close:
                hint = f" (did you mean {posixpath.relpath(close[0], posixpath.dirname(page) or '.')!r}?)"
            return f"link to {link!r} points to no page{hint}"
    if fragment and target.endswith(".md"):
        known = anchors.of(target)
        if known is None:
            return (
                f"link to {link!r}: the anchors of the generated page {target} cannot be checked and "
                f"mkdocs fails on a missing one; link to the page without '#{fragment}'"
            )
        if fragment not in known:
            close = difflib.get_close_matches(fragment, sorted(known), n=1, cutoff=0.6)
            hint = f" (did you mean '#{close[0]}'?)" if close else ""
            return f"link to {link!r} points to no anchor '#{fragment}' of {target}{hint}"
    return None


def _locate(text: str, link: str, start: int) -> int:
    """Offset of `link` as written in `text`, from `start` on (else anywhere; else 0)."""
    for value in (link, link.replace("&", "&amp;")):
        at = text.find(value, start)
        if at < 0:
            at = text.find(value)
        if at >= 0:
            return at
    return 0


def find_broken_links(content: Content) -> list[Problem]:
    """Report every link in notes and hand-written pages that `mkdocs build --strict` would refuse.

    Notes render at papers/<slug>.md and pages at the root of the docs tree, so
    relative links resolve from there.  Links with a scheme are not checked.
    """
    files = docs_files(content)
    anchors = _Anchors(content)
    problems: list[Problem] = []
    texts = [
        (paper_path(p.slug), p.notes, p.origin.path, p.origin.body_line, "notes") for p in content.papers
    ]
    texts += [(p.name, p.body, p.origin.path, p.origin.body_line, "page") for p in content.pages]
    for page, text, shown, first_line, what in texts:
        if not _MAY_LINK.search(text) and "](#" not in text:
            continue
        start = 0
        for link in _read_links(text).links:
            at = _locate(text, link, start)
            start = at + 1
            message = _link_problem(link, page, files, anchors)
            if message:
                line = first_line + text.count("\n", 0, at)
                col = at - text.rfind("\n", 0, at)
                problems.append(Problem(shown, line, col, f"{what}: {message}"))
    return problems


def find_key_clashes(papers: Sequence[Paper]) -> list[Problem]:
    """Warn about a `cite_key` another paper has too (BibTeX keys ignore case): it gets a suffix."""
    keys = cite_keys(papers)
    owner = {
        p.cite_key.casefold(): p for p in sorted(papers, key=lambda p: p.slug, reverse=True) if p.cite_key
    }
    out = []
    for paper in papers:
        if paper.cite_key is None or keys[paper.slug] == paper.cite_key:
            continue
        pos = paper.origin.at("cite_key")
        first = owner[paper.cite_key.casefold()]
        out.append(
            Problem(
                paper.origin.path,
                pos.line,
                pos.col,
                f"cite_key: {paper.cite_key!r} is also the key of {_where(first, 'cite_key')}; "
                f"this paper is cited as {keys[paper.slug]!r} (give one of them another key)",
                Severity.WARNING,
            )
        )
    return out


def check_papers(papers: Sequence[Paper]) -> list[Problem]:
    """Report problems between papers that their front matter alone shows: duplicates, near
    duplicates, citation keys taken twice."""
    return sorted(find_duplicates(papers) + find_near_duplicates(papers) + find_key_clashes(papers))


def check_collection(content: Content) -> list[Problem]:
    """Report problems that involve more than one paper or page."""
    return sorted(check_papers(content.papers) + find_broken_links(content))
