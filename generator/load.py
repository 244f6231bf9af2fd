"""Load content/ into records: the taxonomy and one `Paper` per file.

The loader never stops at the first problem and never exits: it returns the
records it could read and every problem it found, each with its file position.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import frontmatter as fm
from . import sanitize
from .frontmatter import FrontMatterError, Map, Node, Scalar, Seq
from .model import (
    ENTRY_TYPES,
    LINK_KINDS,
    LIST_LINKS,
    PAGE_HIDE,
    STATUSES,
    Link,
    Origin,
    Page,
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
    "venue",
    "type",
    "cite_key",
    "bib_fields",
    "added",
    "status",
    "topics",
    "exclude_topics",
    "tags",
    *LINK_KINDS,
    "imported",
    "enriched",
)
REQUIRED_FIELDS = ("title", "added")
#: A citation key as BibTeX and biber accept it: no spaces, braces, commas, quotes, '#', '%' or '='.
CITE_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.+/-]{0,99}$")
BIB_FIELD_RE = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
#: BibTeX fields that have a field of their own in a paper file.
BIB_FIELDS_ELSEWHERE = {
    "title": "title",
    "author": "authors",
    "year": "year",
    "journal": "venue",
    "booktitle": "venue",
    "doi": "doi",
    "eprint": "arxiv",
    "url": "url",
    "abstract": "abstract",
    "keywords": "tags",
}
#: Topic ids whose page would collide with a generated page (topics/index.md).
RESERVED_TOPIC_IDS = ("index",)
TOPIC_FIELDS = ("id", "title", "description", "rules")
TAXONOMY_FIELDS = ("settings", "topics")
SETTINGS = ("threshold", "max_topics", "title_weight")
#: The front matter a hand-written page may carry (see `load_page`).
PAGE_FIELDS = ("title", "description", "hide")
#: Fields the generator writes into a page's front matter: a curator who sets one is told so.
GENERATED_PAGE_FIELDS = ("source", "template")
#: Page names that would take the place of a generated page (index.md, tags.md), or of a
#: folder of them (with directory URLs, papers.md would be served at papers/ too).
RESERVED_PAGE_NAMES = ("index", "papers", "tags", "topics")
#: The keys of each entry of `enriched:`, the provenance `python -m generator enrich` records.
ENRICHED_KEYS = ("source", "id", "date", "fields")


@dataclass(frozen=True)
class Content:
    """Everything read from content/."""

    taxonomy: Taxonomy
    papers: tuple[Paper, ...]
    pages: tuple[Page, ...]


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return ' (did you mean 'x'?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Reporter:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.text = ""  # the file's text once read, to locate problems inside values

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


def _string(rep: _Reporter, name: str, node: Node) -> str | None:
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
    if not text:
        rep.error(node.pos, f"{name}: is empty, expected text")
        return None
    bad = _CONTROL.search(text)
    if bad:
        rep.error(
            node.pos,
            f"{name}: control character U+{ord(bad.group(0)):04X} is not allowed in text; remove it",
        )
        return None
    return text


# Characters that are no text: C0 and C1 controls but tab and newline, and the Unicode line and
# paragraph separators (YAML and many tools read them as line breaks).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _offset(text: str, pos: Position) -> int:
    """The character offset of a 1-based position in `text`."""
    start = 0
    for _ in range(pos.line - 1):
        nl = text.find("\n", start)
        if nl < 0:
            return len(text)
        start = nl + 1
    return start + pos.col - 1


def _position(text: str, offset: int) -> Position:
    """The 1-based position of a character offset in `text`."""
    line_start = text.rfind("\n", 0, offset) + 1
    return Position(text.count("\n", 0, offset) + 1, offset - line_start + 1)


def _locate(rep: _Reporter, node: Scalar, snippet: str) -> Position:
    """Where `snippet`, part of the value of `node`, is in the file; else where the value starts.

    A value's text maps to the file only piece by piece (folded lines, quotes,
    escapes), so the snippet is searched in the file from the value on.
    """
    start = _offset(rep.text, node.pos)
    window = rep.text[start : start + 2 * len(node.text) + 200].lower()
    found = window.find(snippet.lower()) if snippet else -1
    return _position(rep.text, start + found) if found >= 0 else node.pos


def _check_markup(rep: _Reporter, name: str, node: Node, value: str, *, plain_only: bool) -> bool:
    """Report what in a text field could run script or, for `plain_only` fields, any HTML."""
    if not isinstance(node, Scalar):
        return True
    ok = True
    for hazard in sanitize.find_hazards(value, markdown_text=False):
        rep.error(_locate(rep, node, hazard.snippet), f"{name}: {hazard.message}")
        ok = False
    at = sanitize.find_markup(value) if plain_only and ok else None
    if at is not None:
        snippet = value[at : at + 12]
        rep.error(
            _locate(rep, node, snippet),
            f"{name}: {snippet!r} would be read as HTML in the page; "
            "write the text without '<' before a letter (such as '< b' or 'less than')",
        )
        ok = False
    return ok


def _text(rep: _Reporter, name: str, node: Node, *, plain_only: bool, one_line: bool = False) -> str | None:
    """Read a text field and check it is safe to show in a page."""
    value = _string(rep, name, node)
    if value is None or not _check_markup(rep, name, node, value, plain_only=plain_only):
        return None
    if one_line and "\n" in value:
        rep.error(node.pos, f"{name}: holds a line break; write it on one line")
        return None
    return value


def _texts(rep: _Reporter, name: str, node: Node) -> tuple[str, ...]:
    """Read a list of short texts (or one text), each safe to print unescaped."""
    if isinstance(node, Scalar) and node.plain and node.text == "":
        return ()
    if isinstance(node, Map):
        rep.error(node.pos, f"{name}: expected a list, found a mapping")
        return ()
    out = []
    for item in node.items if isinstance(node, Seq) else (node,):
        value = _text(rep, name, item, plain_only=True)
        if value is not None:
            out.append(value)
    return tuple(out)


def _date(rep: _Reporter, name: str, node: Node) -> dt.date | None:
    if not isinstance(node, Scalar):
        rep.error(node.pos, f"{name}: expected a date YYYY-MM-DD, found {_describe(node)}")
        return None
    text = node.text.strip()
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            rep.error(node.pos, f"{name}: {text!r} is not a real date ({exc})")
            return None
    rep.error(node.pos, f"{name}: expected a date YYYY-MM-DD, found {node.text!r}")
    return None


def _year(rep: _Reporter, name: str, node: Node) -> int | None:
    if not isinstance(node, Scalar) or not re.fullmatch(r"[1-9][0-9]{3}", node.text.strip()):
        found = _describe(node)
        if isinstance(node, Scalar):
            surprise = fm.yaml11_surprise(node)
            if surprise and surprise != "a number":
                found += f", which YAML reads as {surprise}"
            elif surprise and re.fullmatch(r"[-+]?0[0-7_]+", node.text):
                found += ", which YAML 1.1 reads as an octal number"
        rep.error(node.pos, f"{name}: expected a four-digit year such as 2024, found {found}")
        return None
    return int(node.text)


ARXIV_RE = re.compile(r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})(v\d+)?$")
# Crossref's recommended pattern: it matches nearly every DOI ever issued and no
# character that could end an HTML attribute or a Markdown link.
DOI_RE = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Za-z0-9]+$")
# A host, then only characters that are safe inside an HTML attribute and a Markdown link.
URL_RE = re.compile(r"^https?://[A-Za-z0-9][-A-Za-z0-9.]*(:\d+)?([/?#][^\s\"'<>\\`]*)?$", re.IGNORECASE)


def _link(rep: _Reporter, kind: str, node: Node) -> list[Link]:
    if kind not in LIST_LINKS and isinstance(node, Seq):
        rep.error(node.pos, f"{kind}: expected one link, found a list")
        return []
    items = node.items if isinstance(node, Seq) else (node,)
    links = []
    for item in items:
        if isinstance(item, Scalar) and item.text == "":
            if isinstance(node, Seq):
                rep.error(item.pos, f"{kind}: empty link in the list")
            continue
        value = _string(rep, kind, item)
        if value is None:
            continue
        if kind == "arxiv":
            if not ARXIV_RE.match(value):
                rep.error(item.pos, f"arxiv: expected an arXiv id such as 2401.01234, found {value!r}")
                continue
        elif kind == "doi":
            if not DOI_RE.match(value):
                hint = " (write the DOI itself, not a link)" if value.lower().startswith("http") else ""
                rep.error(item.pos, f"doi: expected a DOI such as 10.1000/xyz123, found {value!r}{hint}")
                continue
        elif not URL_RE.match(value):
            rep.error(
                item.pos,
                f"{kind}: expected an http:// or https:// link without spaces, quotes or angle brackets, "
                f"found {value!r}",
            )
            continue
        links.append(Link(kind, value))
    return links


def read_regular(path: Path, limit: int) -> tuple[bytes | None, str | None]:
    """The bytes of `path`, or None and why not: not a regular file, a link, or over `limit`.

    The file type is checked on the opened file itself (no link followed, no wait on a
    FIFO), so nothing can be swapped in between the check and the read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None, "file is missing"
    except OSError as exc:
        if os.path.islink(path):
            # A link in a pull request could pull any file of the build machine into the site.
            return None, "file is a symbolic link; content files must be regular files"
        return None, f"cannot read file: {exc.strerror}"
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, "not a regular file (a folder, a FIFO or a device); content must be regular files"
        if st.st_size > limit:
            return None, f"file is {st.st_size} bytes, over the limit of {limit}; is this really one paper?"
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # grew while being read
            return None, f"file is over the limit of {limit} bytes"
        return b"".join(chunks), None
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror}"
    finally:
        os.close(fd)


def read_text(path: Path, rep: _Reporter) -> str | None:
    """Read a UTF-8 file, reporting its type, size and encoding problems."""
    data, why = read_regular(path, MAX_FILE_BYTES)
    if data is None:
        rep.error(Position(1, 1), why or "cannot read file")
        return None
    if not data.strip():
        rep.error(Position(1, 1), "file is empty; a paper needs front matter with title, abstract and added")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        rep.error(
            Position(line, col),
            f"file is not UTF-8: byte {data[exc.start]:#04x} cannot be decoded; save the file as UTF-8",
        )
        return None
    text = text.removeprefix("\ufeff")
    rep.text = text
    return text


def _parse_file(path: Path, rep: _Reporter) -> fm.Document | None:
    text = read_text(path, rep)
    if text is None:
        return None
    return _parse_text(text, rep)


def _parse_text(text: str, rep: _Reporter) -> fm.Document | None:
    try:
        doc = fm.parse(text)
    except FrontMatterError as exc:
        rep.error(exc.pos, exc.message)
        return None
    for key, first, second in doc.duplicates:
        rep.error(
            second,
            f"{key}: duplicate key, first set on line {first.line} and again on line {second.line}; "
            "YAML tools would silently keep only the last",
        )
    return doc


def _check_body(rep: _Reporter, body: str, body_line: int, what: str) -> None:
    """Report what in a Markdown body could run script, at its line and column."""
    for hazard in sanitize.markdown_hazards(body):
        pos = _position(body, hazard.start)
        message = hazard.message if what == "notes" else hazard.message.replace(" in notes", f" in a {what}")
        rep.error(Position(pos.line + body_line - 1, pos.col), f"{what}: {message}")


FieldReader = Callable[[_Reporter, str, Node], object]


def load_paper(
    path: Path, display: str, topic_ids: tuple[str, ...], *, file_name: str | None = None
) -> tuple[Paper | None, list[Problem]]:
    """Read one paper file; return the record (or None) and its problems.

    `file_name` is the name the file will have, when `path` is a file written aside.
    """
    rep = _Reporter(display)
    file_name = file_name or path.name
    _check_file_name(rep, file_name)
    return _paper(rep, _parse_file(path, rep), file_name, topic_ids)


def load_paper_text(
    text: str, display: str, topic_ids: tuple[str, ...], file_name: str
) -> tuple[Paper | None, list[Problem]]:
    """`load_paper` of a file's text before it is written (the importer checks what it would write)."""
    rep = _Reporter(display)
    _check_file_name(rep, file_name)
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        rep.error(
            Position(1, 1),
            f"file is {size} bytes, over the limit of {MAX_FILE_BYTES}; is this really one paper?",
        )
        return None, rep.problems
    rep.text = text
    return _paper(rep, _parse_text(text, rep), file_name, topic_ids)


def _check_file_name(rep: _Reporter, file_name: str) -> None:
    slug = file_name.removesuffix(".md")
    if not SLUG_RE.match(slug):
        lower = slug.lower()
        hint = (
            f"; rename it to '{lower}.md' (names that differ only by case clash on macOS and Windows)"
            if SLUG_RE.match(lower)
            else "; use lowercase letters, digits and single hyphens, such as 'attention-is-all-you-need.md'"
        )
        rep.error(Position(1, 1), f"file name: {file_name!r} is not a valid slug{hint}")


def _paper(
    rep: _Reporter, doc: fm.Document | None, file_name: str, topic_ids: tuple[str, ...]
) -> tuple[Paper | None, list[Problem]]:
    display = rep.path
    slug = file_name.removesuffix(".md")
    if doc is None:
        return None, rep.problems
    meta = doc.meta
    values: dict[str, object] = {}
    links: list[Link] = []
    positions: list[tuple[str, int, int]] = []
    for key, node in meta.entries:
        name = key.text
        positions.append((name, key.pos.line, key.pos.col))
        if name not in PAPER_FIELDS:
            rep.error(key.pos, f"{name}: unknown field{suggest(name, PAPER_FIELDS)}")
            continue
        if name in ("title", "abstract"):
            # Titles are printed unescaped by the theme; abstracts are escaped but feed
            # the page description, so only constructs that could run script are errors.
            values[name] = _text(rep, name, node, plain_only=name == "title")
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
            ids: list[str] = []
            if isinstance(node, Map):
                rep.error(node.pos, f"{name}: expected a list of topic ids, found a mapping")
            items = node.items if isinstance(node, Seq) else () if isinstance(node, Map) else (node,)
            for item in items:
                if isinstance(item, Scalar) and item.plain and item.text == "" and not isinstance(node, Seq):
                    continue
                tid = _string(rep, name, item)
                if tid is None:
                    continue
                if tid not in topic_ids:
                    rep.error(item.pos, f"{name}: {tid!r} is not a topic{suggest(tid, topic_ids)}")
                elif tid in ids:
                    rep.error(item.pos, f"{name}: {tid!r} is listed twice")
                else:
                    ids.append(tid)
            values[name] = tuple(ids)
        elif name in ("tags", "authors"):
            values[name] = _texts(rep, name, node)
        elif name == "venue":
            values[name] = _text(rep, name, node, plain_only=True)
        elif name == "type":
            kind = _string(rep, name, node)
            if kind is not None and kind not in ENTRY_TYPES:
                rep.error(
                    node.pos,
                    f"type: {kind!r} is not an entry type; expected one of {', '.join(ENTRY_TYPES)}"
                    + suggest(kind, ENTRY_TYPES),
                )
                kind = None
            values[name] = kind
        elif name == "cite_key":
            cite = _string(rep, name, node)
            if cite is not None and not CITE_KEY_RE.match(cite):
                rep.error(
                    node.pos,
                    f"cite_key: {cite!r} is not a usable citation key; use letters, digits and _:.+/- "
                    "(no spaces, braces, commas or quotes), at most 100 characters",
                )
                cite = None
            values[name] = cite
        elif name == "bib_fields":
            values[name] = _bib_fields(rep, node)
        elif name in LINK_KINDS:
            links.extend(_link(rep, name, node))
        elif name == "enriched":
            _enriched(rep, node)
        elif name == "imported" and not isinstance(node, Map):
            rep.error(
                node.pos, f"imported: expected a mapping written by the importer, found {_describe(node)}"
            )
    for name in REQUIRED_FIELDS:
        if meta.get(name) is None:
            rep.error(Position(1, 1), f"{name}: required field is missing; add '{name}: …' to the metadata")
    _check_body(rep, doc.body, doc.body_line, "notes")
    if any(p.is_error for p in rep.problems):
        return None, rep.problems
    abstract = str(values.get("abstract") or "")
    if not abstract:
        rep.warn(
            Position(1, 1),
            "abstract: the paper has none; its page shows the metadata and links only, and topics and "
            "related papers go by the title alone (add 'abstract: …' if you have it)",
        )
    elif len(abstract.split()) < 20:
        rep.warn(meta_pos(meta, "abstract"), f"abstract: only {len(abstract.split())} words; is it complete?")
    paper = Paper(
        slug=slug,
        title=str(values["title"]),
        abstract=abstract,
        added=values["added"],  # type: ignore[arg-type]
        # The line where the notes start: the blank lines stripped below come first.
        origin=Origin(display, tuple(positions), doc.body_line + len(doc.body) - len(doc.body.lstrip("\n"))),
        authors=values.get("authors", ()),  # type: ignore[arg-type]
        year=values.get("year"),  # type: ignore[arg-type]
        venue=values.get("venue"),  # type: ignore[arg-type]
        type=values.get("type"),  # type: ignore[arg-type]
        cite_key=values.get("cite_key"),  # type: ignore[arg-type]
        bib_fields=values.get("bib_fields", ()),  # type: ignore[arg-type]
        topics=values.get("topics", ()),  # type: ignore[arg-type]
        exclude_topics=values.get("exclude_topics", ()),  # type: ignore[arg-type]
        tags=values.get("tags", ()),  # type: ignore[arg-type]
        links=tuple(links),
        status=values.get("status"),  # type: ignore[arg-type]
        notes=doc.body.strip("\n"),
    )
    return paper, rep.problems


def _bib_fields(rep: _Reporter, node: Node) -> tuple[tuple[str, str], ...]:
    """Read `bib_fields`: other bibliographic fields of the source, `name: text` each."""
    if not isinstance(node, Map):
        rep.error(node.pos, f"bib_fields: expected 'name: value' lines, found {_describe(node)}")
        return ()
    out: list[tuple[str, str]] = []
    for key, value in node.entries:
        name = key.text
        if not BIB_FIELD_RE.match(name):
            rep.error(key.pos, f"bib_fields: {name!r} is not a field name; use lowercase such as 'pages'")
            continue
        if name in BIB_FIELDS_ELSEWHERE:
            rep.error(
                key.pos,
                f"bib_fields: {name!r} has a field of its own; write it as '{BIB_FIELDS_ELSEWHERE[name]}:'",
            )
            continue
        text = _text(rep, f"bib_fields: {name}", value, plain_only=False)
        if text is not None:
            out.append((name, text))
    return tuple(sorted(out))


def _enriched(rep: _Reporter, node: Node) -> None:
    """Check the shape of `enriched`: a list of {source, id, date, fields: [field names]}."""
    if not isinstance(node, Seq):
        rep.error(node.pos, f"enriched: expected a list written by 'enrich', found {_describe(node)}")
        return
    for item in node.items:
        if not isinstance(item, Map):
            rep.error(item.pos, f"enriched: expected source, id, date and fields, found {_describe(item)}")
            continue
        for key, _ in item.entries:
            if key.text not in ENRICHED_KEYS:
                rep.error(key.pos, f"enriched: {key.text!r} is not a key{suggest(key.text, ENRICHED_KEYS)}")
        for name in ENRICHED_KEYS:
            value = item.get(name)
            if value is None:
                rep.error(item.pos, f"enriched: {name}: missing, expected one in each entry")
            elif name == "date":
                _date(rep, "enriched: date", value)
            elif name == "fields":
                if not isinstance(value, Seq) or not value.items:
                    rep.error(
                        value.pos,
                        f"enriched: fields: expected a list of field names, found {_describe(value)}",
                    )
                    continue
                for field in value.items:
                    text = _string(rep, "enriched: fields", field)
                    if text is not None and text not in PAPER_FIELDS:
                        rep.error(
                            field.pos,
                            f"enriched: fields: {text!r} is not a field{suggest(text, PAPER_FIELDS)}",
                        )
            else:
                _string(rep, f"enriched: {name}", value)


def meta_pos(meta: Map, name: str) -> Position:
    node = meta.get(name)
    return node.pos if node is not None else Position(1, 1)


_NUMBER_RE = re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?")


def _number(rep: _Reporter, name: str, node: Node | None, default: float, *, integer: bool = False) -> float:
    """Read a plain decimal number; YAML 1.1 forms (010, 1_000, .inf, yes) are reported."""
    if node is None:
        return default
    if isinstance(node, Scalar) and node.plain and _NUMBER_RE.fullmatch(node.text):
        value = float(node.text)
        if not integer or value.is_integer():
            return value
    expected = "a whole number" if integer else "a number such as 2 or 1.5"
    found = _describe(node)
    if isinstance(node, Scalar):
        surprise = fm.yaml11_surprise(node)
        if not node.plain:
            found += " in quotes, which is text"
        elif re.fullmatch(r"[-+]?0[0-7_]+", node.text):
            found += f", which YAML 1.1 reads as the octal number {int(node.text.replace('_', ''), 8)}"
        elif surprise and surprise != "a number":
            found += f", which YAML reads as {surprise}"
    rep.error(node.pos, f"{name}: expected {expected}, found {found}")
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
    for rkey, _ in root.entries:
        if rkey.text not in TAXONOMY_FIELDS:
            rep.error(rkey.pos, f"{rkey.text}: unknown field{suggest(rkey.text, TAXONOMY_FIELDS)}")
    settings = root.get("settings")
    if settings is not None and not isinstance(settings, Map):
        rep.error(settings.pos, f"settings: expected 'name: value' lines, found {_describe(settings)}")
    smap = settings if isinstance(settings, Map) else Map((), Position())
    for skey, _ in smap.entries:
        if skey.text not in SETTINGS:
            rep.error(skey.pos, f"{skey.text}: unknown setting{suggest(skey.text, SETTINGS)}")
    threshold = _number(rep, "threshold", smap.get("threshold"), 4.0)
    max_topics = int(_number(rep, "max_topics", smap.get("max_topics"), 3, integer=True))
    title_weight = _number(rep, "title_weight", smap.get("title_weight"), 2.0)
    for name, number in zip(SETTINGS, (threshold, max_topics, title_weight), strict=True):
        if number <= 0:
            rep.error(meta_pos(smap, name), f"{name}: must be greater than 0, found {number:g}")
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
                # Topic titles are printed unescaped by the theme (tags, chips).
                # A topic title also goes into the nav of mkdocs.yml: one line.
                fields[name] = _text(rep, name, value, plain_only=name == "title", one_line=name == "title")
        tid = fields["id"]
        if tid is not None:
            if not SLUG_RE.match(tid):
                rep.error(
                    meta_pos(item, "id"),
                    f"id: {tid!r} is not a valid id; use lowercase words joined by hyphens",
                )
            elif tid in RESERVED_TOPIC_IDS:
                rep.error(
                    meta_pos(item, "id"),
                    f"id: {tid!r} is reserved (topics/{tid}.md is the list of topics); choose another id",
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
                    origin=Origin(display, (("id", *meta_pos(item, "id").astuple()),)),
                )
            )
    if any(p.is_error for p in rep.problems):
        return None, rep.problems
    return Taxonomy(tuple(topics), threshold, max_topics, title_weight, Origin(display)), rep.problems


def _hide(rep: _Reporter, node: Node) -> tuple[str, ...]:
    """Read `hide`: a list of parts of Material's layout, from a fixed list."""
    if isinstance(node, Map) or (isinstance(node, Scalar) and not node.text):
        rep.error(node.pos, f"hide: expected a list of {', '.join(PAGE_HIDE)}, found {_describe(node)}")
        return ()
    out: list[str] = []
    for item in node.items if isinstance(node, Seq) else (node,):
        value = _string(rep, "hide", item)
        if value is None:
            continue
        if value not in PAGE_HIDE:
            rep.error(
                item.pos,
                f"hide: {value!r} cannot be hidden; expected one of {', '.join(PAGE_HIDE)}"
                + suggest(value, PAGE_HIDE),
            )
        elif value in out:
            rep.error(item.pos, f"hide: {value!r} is listed twice")
        else:
            out.append(value)
    return tuple(out)


_HANDLER_RE = re.compile(r"\bon[a-z]+\s*=", re.IGNORECASE)


def _page_text(rep: _Reporter, name: str, node: Node) -> str | None:
    """Read a page's title or description: plain text, which is all they need.

    Material prints both unescaped (the renderer escapes them); a value such as
    '" onmouseover="…' has no use but to break out of an HTML attribute.
    """
    value = _text(rep, name, node, plain_only=True)
    handler = _HANDLER_RE.search(value) if value is not None else None
    if handler is None or not isinstance(node, Scalar):
        return value
    rep.error(
        _locate(rep, node, handler.group(0)),
        f"{name}: {handler.group(0)!r} reads as an HTML event handler; "
        "plain text needs no '=' right after such a word",
    )
    return None


def load_page(path: Path, display: str) -> tuple[Page | None, list[Problem]]:
    """Read one hand-written page; return the record (or None) and its problems.

    Pages reach every reader of the site, so their front matter is an allow-list
    (PAGE_FIELDS): what the theme or MkDocs would act on (`template`, `source`,
    `paper`, `search`, …) is the generator's to write, never the curator's.
    """
    rep = _Reporter(display)
    stem = path.name.removesuffix(".md")
    if not SLUG_RE.match(stem):
        rep.error(
            Position(1, 1),
            f"file name: {path.name!r} is not a valid page name; "
            "use lowercase letters, digits and single hyphens, such as 'about.md'",
        )
    elif stem in RESERVED_PAGE_NAMES:
        rep.error(
            Position(1, 1),
            f"file name: {path.name!r} would replace a generated page; choose another name",
        )
    doc = _parse_file(path, rep)
    if doc is None:
        return None, rep.problems
    values: dict[str, str | None] = {}
    hide: tuple[str, ...] = ()
    positions: list[tuple[str, int, int]] = []
    for key, node in doc.meta.entries:
        name = key.text
        positions.append((name, key.pos.line, key.pos.col))
        if name not in PAGE_FIELDS:
            hint = " (the generator sets it)" if name in GENERATED_PAGE_FIELDS else suggest(name, PAGE_FIELDS)
            rep.error(key.pos, f"{name}: unknown field for a page; allowed: {', '.join(PAGE_FIELDS)}{hint}")
        elif name == "hide":
            hide = _hide(rep, node)
        else:
            values[name] = _page_text(rep, name, node)
    if doc.meta.get("title") is None:
        rep.error(Position(1, 1), "title: required field is missing; add 'title: …' to the metadata")
    _check_body(rep, doc.body, doc.body_line, "page")
    if any(p.is_error for p in rep.problems):
        return None, rep.problems
    page = Page(
        name=path.name,
        title=str(values["title"]),
        description=values.get("description"),
        body=doc.body,
        origin=Origin(display, tuple(positions), doc.body_line),
        hide=hide,
    )
    return page, rep.problems


def load_pages(pages_dir: Path, root_display: str) -> tuple[tuple[Page, ...], list[Problem]]:
    """Read the hand-written pages of content/pages/, by file name."""
    pages: list[Page] = []
    problems: list[Problem] = []
    entries: list[os.DirEntry[str]] = []
    if pages_dir.is_dir():
        with os.scandir(pages_dir) as it:
            entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        shown = f"{root_display}/{PAGES_DIR}/{entry.name}"
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            problems.append(Problem(shown, 1, 1, "folder: folders in pages/ are not read"))
        elif not entry.name.endswith(".md"):
            problems.append(Problem(shown, 1, 1, f"file name: {entry.name!r}: page files must end in .md"))
        else:
            page, found = load_page(pages_dir / entry.name, shown)
            problems.extend(found)
            if page is not None:
                pages.append(page)
    return tuple(pages), problems


#: A paper file read before, by file name: its record (None if it had errors) and its problems.
Known = Mapping[str, tuple[Paper | None, tuple[Problem, ...]]]


def _folder(path: Path, shown: str, problems: list[Problem]) -> bool:
    """Whether `path` is a real folder to read; a link or a file in its place is reported."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        problems.append(Problem(shown, 1, 1, f"cannot read folder: {exc.strerror}"))
        return False
    if stat.S_ISDIR(st.st_mode):
        return True
    what = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a folder"
    problems.append(Problem(shown, 1, 1, f"folder: {what}; content/ must hold real folders and files"))
    return False


def read_content(
    content_dir: Path, display: str | None = None, *, known: Known | None = None
) -> tuple[Content | None, list[Problem]]:
    """Read all of content/; return what could be read and every problem.

    Unlike `load_content`, the content comes back even when some files have
    errors (None only without a taxonomy), so checks across papers can still
    run on the rest and one run reports everything.  `known` holds the records
    of paper files that have not changed since they were read (the pipeline's
    memo knows them): those files are not read again.
    """
    problems: list[Problem] = []
    known = known or {}
    root_display = (display or content_dir.as_posix()).rstrip("/")
    taxonomy, tproblems = load_taxonomy(content_dir / TOPICS_FILE, f"{root_display}/{TOPICS_FILE}")
    problems.extend(tproblems)
    topic_ids = taxonomy.ids if taxonomy else ()
    papers: list[Paper] = []
    papers_dir = content_dir / PAPERS_DIR
    files: list[os.DirEntry[str]] = []
    if _folder(papers_dir, f"{root_display}/{PAPERS_DIR}", problems):
        # By name: the order of the paths, without comparing 10,000 Path objects; and the
        # entries know their type without a stat call each.
        with os.scandir(papers_dir) as it:
            files = sorted(it, key=lambda e: e.name)
    by_folded: dict[str, str] = {}
    for entry in files:
        name = entry.name
        shown = f"{root_display}/{PAPERS_DIR}/{name}"
        if name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            problems.append(
                Problem(shown, 1, 1, "folder: folders in papers/ are not read; put paper files in papers/")
            )
            continue
        if not name.endswith(".md"):
            problems.append(Problem(shown, 1, 1, f"file name: {name!r}: paper files must end in .md"))
            continue
        # Two names that differ only by case are one file on macOS and Windows checkouts.
        folded = name.casefold()
        if folded in by_folded:
            problems.append(
                Problem(
                    shown,
                    1,
                    1,
                    f"file name: {name!r} differs only by case from {by_folded[folded]}; "
                    "on case-insensitive file systems they are the same file",
                )
            )
        else:
            by_folded[folded] = shown
        hit = known.get(name)
        paper, pproblems = hit if hit is not None else load_paper(papers_dir / name, shown, topic_ids)
        problems.extend(pproblems)
        if paper is not None:
            papers.append(paper)
    pages: tuple[Page, ...] = ()
    if _folder(content_dir / PAGES_DIR, f"{root_display}/{PAGES_DIR}", problems):
        pages, page_problems = load_pages(content_dir / PAGES_DIR, root_display)
        problems.extend(page_problems)
    # One hazard can be found by several checks at one place; report it once.
    problems = sorted(set(problems))
    if taxonomy is None:
        return None, problems
    return Content(taxonomy, tuple(papers), pages), problems


def load_content(content_dir: Path, display: str | None = None) -> tuple[Content | None, list[Problem]]:
    """Read and check all of content/; return the content (None on errors) and all problems.

    `display` is how paths are shown in messages and recorded in origins
    (default: `content_dir` as given); the build passes the path relative to the
    repository, which is also what edit links need.
    """
    content, problems = read_content(content_dir, display)
    if content is None or any(p.is_error for p in problems):
        return None, problems
    return content, problems
