"""Load content/ into records: the taxonomy and one `Paper` per file.

The loader never stops at the first problem and never exits: it returns the
records it could read and every problem it found, each with its file position.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import frontmatter as fm
from .frontmatter import FrontMatterError, Map, Node, Scalar, Seq
from .model import (
    LINK_KINDS,
    LIST_LINKS,
    STATUSES,
    Link,
    Origin,
    Paper,
    Position,
    Problem,
    Rule,
    Severity,
    Taxonomy,
    Topic,
)

PAPERS_DIR = "papers"
TOPICS_FILE = "topics.yml"
PAGES_DIR = "pages"
MAX_FILE_BYTES = 256 * 1024

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

PAPER_FIELDS: tuple[str, ...] = (
    "title",
    "abstract",
    "authors",
    "year",
    "added",
    "status",
    "topics",
    "exclude_topics",
    "tags",
    *LINK_KINDS,
    "imported",
)
REQUIRED_FIELDS = ("title", "abstract", "added")
TOPIC_FIELDS = ("id", "title", "description", "rules")


@dataclass(frozen=True)
class Content:
    """Everything read from content/."""

    taxonomy: Taxonomy
    papers: tuple[Paper, ...]
    pages: tuple[tuple[str, str], ...]


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return ' (did you mean 'x'?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Reporter:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def error(self, pos: Position, message: str) -> None:
        self.problems.append(Problem(self.path, pos.line, pos.col, message))

    def warn(self, pos: Position, message: str) -> None:
        self.problems.append(Problem(self.path, pos.line, pos.col, message, Severity.WARNING))


def _describe(node: Node) -> str:
    if isinstance(node, Seq):
        return "a list"
    if isinstance(node, Map):
        return "a mapping"
    return repr(node.text)


def _string(rep: _Reporter, name: str, node: Node, *, allow_empty: bool = False) -> str | None:
    if not isinstance(node, Scalar):
        rep.error(node.pos, f"{name}: expected text, found {_describe(node)}")
        return None
    surprise = fm.yaml11_surprise(node)
    if surprise and node.text != "":
        rep.error(
            node.pos,
            f'{name}: {node.text!r} is read as {surprise} by YAML; quote it: {name}: "{node.text}"',
        )
        return None
    text = node.text.strip()
    if not text and not allow_empty:
        rep.error(node.pos, f"{name}: is empty, expected text")
        return None
    return text


def _strings(rep: _Reporter, name: str, node: Node, *, one_ok: bool = True) -> tuple[str, ...]:
    """Read a list of strings (or one string, where `one_ok`)."""
    if isinstance(node, Scalar) and one_ok:
        if node.plain and node.text == "":
            return ()
        one = _string(rep, name, node)
        return (one,) if one else ()
    if not isinstance(node, Seq):
        rep.error(node.pos, f"{name}: expected a list, found {_describe(node)}")
        return ()
    out: list[str] = []
    for item in node.items:
        value = _string(rep, name, item)
        if value is not None:
            out.append(value)
    return tuple(out)


def _date(rep: _Reporter, name: str, node: Node) -> dt.date | None:
    if not isinstance(node, Scalar):
        rep.error(node.pos, f"{name}: expected a date YYYY-MM-DD, found {_describe(node)}")
        return None
    try:
        return dt.date.fromisoformat(node.text.strip())
    except ValueError:
        rep.error(node.pos, f"{name}: expected a date YYYY-MM-DD, found {node.text!r}")
        return None


def _year(rep: _Reporter, name: str, node: Node) -> int | None:
    if not isinstance(node, Scalar) or not re.fullmatch(r"[1-9][0-9]{3}", node.text.strip()):
        found = _describe(node)
        rep.error(node.pos, f"{name}: expected a four-digit year such as 2024, found {found}")
        return None
    return int(node.text)


ARXIV_RE = re.compile(r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})(v\d+)?$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _link(rep: _Reporter, kind: str, node: Node) -> list[Link]:
    values = _strings(rep, kind, node) if kind in LIST_LINKS else _strings(rep, kind, node, one_ok=True)
    if kind not in LIST_LINKS and isinstance(node, Seq):
        rep.error(node.pos, f"{kind}: expected one link, found a list")
        return []
    links = []
    for value in values:
        if kind == "arxiv":
            if not ARXIV_RE.match(value):
                rep.error(node.pos, f"arxiv: expected an arXiv id such as 2401.01234, found {value!r}")
                continue
        elif kind == "doi":
            if not DOI_RE.match(value):
                rep.error(node.pos, f"doi: expected a DOI such as 10.1000/xyz123, found {value!r}")
                continue
        elif not URL_RE.match(value):
            rep.error(node.pos, f"{kind}: expected an http:// or https:// link, found {value!r}")
            continue
        links.append(Link(kind, value))
    return links


def read_text(path: Path, rep: _Reporter) -> str | None:
    """Read a UTF-8 file, reporting size and encoding problems."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            rep.error(
                Position(1, 1),
                f"file is {size} bytes, over the limit of {MAX_FILE_BYTES}; is this really one paper?",
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        rep.error(Position(1, 1), f"cannot read file: {exc.strerror}")
        return None
    if not data.strip():
        rep.error(Position(1, 1), "file is empty; a paper needs front matter with title, abstract and added")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        rep.error(Position(line, col), f"file is not UTF-8: byte {data[exc.start]:#04x} cannot be decoded")
        return None
    return text.removeprefix("\ufeff")


def _parse_file(path: Path, rep: _Reporter) -> fm.Document | None:
    text = read_text(path, rep)
    if text is None:
        return None
    try:
        doc = fm.parse(text)
    except FrontMatterError as exc:
        rep.error(exc.pos, exc.message)
        return None
    for key, first, second in doc.duplicates:
        rep.error(
            second,
            f"{key}: duplicate key, also set on line {first.line}; YAML would silently keep only the last",
        )
    return doc


FieldReader = Callable[[_Reporter, str, Node], object]


def load_paper(path: Path, display: str, topic_ids: tuple[str, ...]) -> tuple[Paper | None, list[Problem]]:
    """Read one paper file; return the record (or None) and its problems."""
    rep = _Reporter(display)
    slug = path.stem
    if not SLUG_RE.match(slug):
        rep.error(
            Position(1, 1),
            f"file name: {path.name!r} is not a valid slug; use lowercase letters, digits and "
            "single hyphens, such as 'attention-is-all-you-need.md'",
        )
    doc = _parse_file(path, rep)
    if doc is None:
        return None, rep.problems
    meta = doc.meta
    values: dict[str, object] = {}
    links: list[Link] = []
    positions: list[tuple[str, Position]] = []
    for key, node in meta.entries:
        name = key.text
        positions.append((name, key.pos))
        if name not in PAPER_FIELDS:
            rep.error(key.pos, f"{name}: unknown field{suggest(name, PAPER_FIELDS)}")
            continue
        if name in ("title", "abstract"):
            values[name] = _string(rep, name, node)
        elif name == "added":
            values[name] = _date(rep, name, node)
        elif name == "year":
            values[name] = _year(rep, name, node)
        elif name == "status":
            status = _string(rep, name, node)
            if status is not None and status not in STATUSES:
                rep.error(
                    node.pos,
                    f"status: {status!r} is not a status; expected one of {', '.join(STATUSES)}"
                    + suggest(status, STATUSES),
                )
                status = None
            values[name] = status
        elif name in ("topics", "exclude_topics"):
            ids = _strings(rep, name, node)
            items = node.items if isinstance(node, Seq) else (node,)
            for tid, item in zip(ids, items, strict=False):
                if tid not in topic_ids:
                    rep.error(item.pos, f"{name}: {tid!r} is not a topic{suggest(tid, topic_ids)}")
            values[name] = tuple(t for t in ids if t in topic_ids)
        elif name in ("tags", "authors"):
            values[name] = _strings(rep, name, node)
        elif name in LINK_KINDS:
            links.extend(_link(rep, name, node))
        elif name == "imported" and not isinstance(node, Map):
            rep.error(
                node.pos, f"imported: expected a mapping written by the importer, found {_describe(node)}"
            )
    for name in REQUIRED_FIELDS:
        if meta.get(name) is None:
            rep.error(Position(1, 1), f"{name}: required field is missing")
    if any(p.is_error for p in rep.problems):
        return None, rep.problems
    abstract = str(values["abstract"])
    if len(abstract.split()) < 20:
        rep.warn(meta_pos(meta, "abstract"), f"abstract: only {len(abstract.split())} words; is it complete?")
    paper = Paper(
        slug=slug,
        title=str(values["title"]),
        abstract=abstract,
        added=values["added"],  # type: ignore[arg-type]
        origin=Origin(Path(display), tuple(positions), doc.body_line),
        authors=values.get("authors", ()),  # type: ignore[arg-type]
        year=values.get("year"),  # type: ignore[arg-type]
        topics=values.get("topics", ()),  # type: ignore[arg-type]
        exclude_topics=values.get("exclude_topics", ()),  # type: ignore[arg-type]
        tags=values.get("tags", ()),  # type: ignore[arg-type]
        links=tuple(links),
        status=values.get("status"),  # type: ignore[arg-type]
        notes=doc.body.strip("\n"),
    )
    return paper, rep.problems


def meta_pos(meta: Map, name: str) -> Position:
    node = meta.get(name)
    return node.pos if node is not None else Position(1, 1)


def _number(rep: _Reporter, name: str, node: Node | None, default: float) -> float:
    if node is None:
        return default
    if isinstance(node, Scalar):
        try:
            return float(node.text)
        except ValueError:
            pass
    rep.error(node.pos, f"{name}: expected a number, found {_describe(node)}")
    return default


def load_taxonomy(path: Path, display: str) -> tuple[Taxonomy | None, list[Problem]]:
    """Read content/topics.yml."""
    rep = _Reporter(display)
    text = read_text(path, rep)
    if text is None:
        return None, rep.problems
    try:
        root, duplicates = fm.parse_mapping(text)
    except FrontMatterError as exc:
        rep.error(exc.pos, exc.message.replace("front matter: ", "topics: "))
        return None, rep.problems
    for key, first, second in duplicates:
        rep.error(second, f"{key}: duplicate key, also set on line {first.line}")
    settings = root.get("settings")
    smap = settings if isinstance(settings, Map) else Map((), Position())
    threshold = _number(rep, "threshold", smap.get("threshold"), 4.0)
    max_topics = int(_number(rep, "max_topics", smap.get("max_topics"), 3))
    title_weight = _number(rep, "title_weight", smap.get("title_weight"), 2.0)
    topics: list[Topic] = []
    node = root.get("topics")
    if not isinstance(node, Seq) or not node.items:
        rep.error(node.pos if node else Position(1, 1), "topics: expected a non-empty list of topics")
        return None, rep.problems
    seen: dict[str, int] = {}
    for item in node.items:
        if not isinstance(item, Map):
            rep.error(
                item.pos,
                f"topics: expected a topic with id, title, description and rules, found {_describe(item)}",
            )
            continue
        for tkey, _ in item.entries:
            if tkey.text not in TOPIC_FIELDS:
                rep.error(
                    tkey.pos,
                    f"{tkey.text}: unknown topic field{suggest(tkey.text, TOPIC_FIELDS)}",
                )
        fields: dict[str, str | None] = {}
        for name in ("id", "title", "description"):
            value = item.get(name)
            if value is None:
                rep.error(item.pos, f"{name}: required topic field is missing")
                fields[name] = None
            else:
                fields[name] = _string(rep, name, value)
        tid = fields["id"]
        if tid is not None:
            if not SLUG_RE.match(tid):
                rep.error(
                    meta_pos(item, "id"),
                    f"id: {tid!r} is not a valid id; use lowercase words joined by hyphens",
                )
            if tid in seen:
                rep.error(
                    meta_pos(item, "id"), f"id: topic {tid!r} is defined twice (first on line {seen[tid]})"
                )
            seen[tid] = meta_pos(item, "id").line
        rules: list[Rule] = []
        rnode = item.get("rules")
        if isinstance(rnode, Map):
            for phrase, weight in rnode.entries:
                w = _number(rep, f"rules: {phrase.text}", weight, 0.0)
                rules.append(Rule(phrase.text.lower(), w))
        elif rnode is not None:
            rep.error(rnode.pos, f"rules: expected 'phrase: weight' lines, found {_describe(rnode)}")
        if all(fields.values()) and tid is not None:
            topics.append(
                Topic(
                    id=tid,
                    title=str(fields["title"]),
                    description=str(fields["description"]),
                    rules=tuple(rules),
                    origin=Origin(Path(display), (("id", meta_pos(item, "id")),)),
                )
            )
    if any(p.is_error for p in rep.problems):
        return None, rep.problems
    return Taxonomy(tuple(topics), threshold, max_topics, title_weight, Origin(Path(display))), rep.problems


def load_content(content_dir: Path, display: str | None = None) -> tuple[Content | None, list[Problem]]:
    """Read and check all of content/; return the content (None on errors) and all problems.

    `display` is how paths are shown in messages and recorded in origins
    (default: `content_dir` as given); the build passes the path relative to the
    repository, which is also what edit links need.
    """
    problems: list[Problem] = []
    root_display = (display or content_dir.as_posix()).rstrip("/")
    taxonomy, tproblems = load_taxonomy(content_dir / TOPICS_FILE, f"{root_display}/{TOPICS_FILE}")
    problems.extend(tproblems)
    topic_ids = taxonomy.ids if taxonomy else ()
    papers: list[Paper] = []
    papers_dir = content_dir / PAPERS_DIR
    files = sorted(papers_dir.glob("*")) if papers_dir.is_dir() else []
    for path in files:
        display = f"{root_display}/{PAPERS_DIR}/{path.name}"
        if path.is_dir() or path.name.startswith("."):
            continue
        if path.suffix != ".md":
            problems.append(Problem(display, 1, 1, "file name: paper files must end in .md"))
            continue
        paper, pproblems = load_paper(path, display, topic_ids)
        problems.extend(pproblems)
        if paper is not None:
            papers.append(paper)
    pages = tuple(
        (p.name, p.read_text(encoding="utf-8")) for p in sorted((content_dir / PAGES_DIR).glob("*.md"))
    )
    problems.sort()
    if taxonomy is None or any(p.is_error for p in problems):
        return None, problems
    return Content(taxonomy, tuple(papers), pages), problems
