"""Read single front-matter values, reporting each problem at its file position.

The readers take a `Reporter` (the file being read), the field's name and its node;
they return the value, or None (or an empty tuple) after reporting why not.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence

from . import frontmatter as fm
from . import sanitize
from .frontmatter import Map, Node, Scalar, Seq
from .model import LIST_LINKS, Link, Position, Problem, Severity
from .text import is_printable

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
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
#: The keys of each entry of `enriched:`, the provenance `python -m generator enrich` records.
ENRICHED_KEYS = ("source", "id", "date", "fields")


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return ' (did you mean 'x'?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class Reporter:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.text = ""  # the file's text once read, to locate problems inside values

    def error(self, pos: Position, message: str) -> None:
        self.problems.append(Problem(self.path, pos.line, pos.col, message))

    def warn(self, pos: Position, message: str) -> None:
        self.problems.append(Problem(self.path, pos.line, pos.col, message, Severity.WARNING))


def describe(node: Node) -> str:
    if isinstance(node, Seq):
        return "a list"
    if isinstance(node, Map):
        return "a mapping"
    return repr(node.text)


def read_string(rep: Reporter, name: str, node: Node) -> str | None:
    if not isinstance(node, Scalar):
        rep.error(node.pos, f"{name}: expected text, found {describe(node)}")
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
    bad = None if is_printable(text) else _CONTROL.search(text)  # printable: none of them
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


def locate(rep: Reporter, node: Scalar, snippet: str) -> Position:
    """Where `snippet`, part of the value of `node`, is in the file; else where the value starts.

    A value's text maps to the file only piece by piece (folded lines, quotes,
    escapes), so the snippet is searched in the file from the value on.
    """
    start = _offset(rep.text, node.pos)
    window = rep.text[start : start + 2 * len(node.text) + 200].lower()
    found = window.find(snippet.lower()) if snippet else -1
    return _position(rep.text, start + found) if found >= 0 else node.pos


def check_markup(rep: Reporter, name: str, node: Node, value: str, *, plain_only: bool) -> bool:
    """Report what in a text field could run script or, for `plain_only` fields, any HTML."""
    if not isinstance(node, Scalar):
        return True
    ok = True
    for hazard in sanitize.find_hazards(value, markdown_text=False):
        rep.error(locate(rep, node, hazard.snippet), f"{name}: {hazard.message}")
        ok = False
    at = sanitize.find_markup(value) if plain_only and ok else None
    if at is not None:
        snippet = value[at : at + 12]
        rep.error(
            locate(rep, node, snippet),
            f"{name}: {snippet!r} would be read as HTML in the page; "
            "write the text without '<' before a letter (such as '< b' or 'less than')",
        )
        ok = False
    return ok


def read_safe_text(
    rep: Reporter, name: str, node: Node, *, plain_only: bool, one_line: bool = False
) -> str | None:
    """Read a text field and check it is safe to show in a page."""
    value = read_string(rep, name, node)
    if value is None or not check_markup(rep, name, node, value, plain_only=plain_only):
        return None
    if one_line and "\n" in value:
        rep.error(node.pos, f"{name}: holds a line break; write it on one line")
        return None
    return value


#: The longest `summary` a paper may carry: one sentence, shown on cards, in lists and feeds.
SUMMARY_LIMIT = 200
_SENTENCE_BREAK = re.compile(r"[a-z0-9\)][.!?]\s+[A-Z]")


def read_summary(rep: Reporter, name: str, node: Node) -> str | None:
    """Read `summary`: the curator's takeaway, one sentence of plain text on one line."""
    value = read_safe_text(rep, name, node, plain_only=True, one_line=True)
    if value is None:
        return None
    if len(value) > SUMMARY_LIMIT:
        rep.error(
            node.pos,
            f"{name}: {len(value)} characters, over the limit of {SUMMARY_LIMIT}; "
            "a summary is one sentence (the abstract says the rest)",
        )
        return None
    if _SENTENCE_BREAK.search(value):
        rep.warn(node.pos, f"{name}: reads as more than one sentence; a summary is one sentence")
    return value


def read_safe_texts(rep: Reporter, name: str, node: Node) -> tuple[str, ...]:
    """Read a list of short texts (or one text), each safe to print unescaped."""
    if isinstance(node, Scalar) and node.plain and node.text == "":
        return ()
    if isinstance(node, Map):
        rep.error(node.pos, f"{name}: expected a list, found a mapping")
        return ()
    out = []
    for item in node.items if isinstance(node, Seq) else (node,):
        value = read_safe_text(rep, name, item, plain_only=True)
        if value is not None:
            out.append(value)
    return tuple(out)


def read_choice(rep: Reporter, name: str, node: Node, choices: Sequence[str], what: str) -> str | None:
    """Read a text that must be one of `choices` (`what` names one, as in 'a status')."""
    value = read_string(rep, name, node)
    if value is not None and value not in choices:
        rep.error(
            node.pos,
            f"{name}: {value!r} is not {what}; expected one of {', '.join(choices)}"
            + suggest(value, tuple(choices)),
        )
        return None
    return value


def read_date(rep: Reporter, name: str, node: Node) -> dt.date | None:
    if not isinstance(node, Scalar):
        rep.error(node.pos, f"{name}: expected a date YYYY-MM-DD, found {describe(node)}")
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


def read_year(rep: Reporter, name: str, node: Node) -> int | None:
    if not isinstance(node, Scalar) or not re.fullmatch(r"[1-9][0-9]{3}", node.text.strip()):
        found = describe(node)
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


def read_links(rep: Reporter, kind: str, node: Node) -> list[Link]:
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
        value = read_string(rep, kind, item)
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


def check_body(rep: Reporter, body: str, body_line: int, what: str) -> None:
    """Report what in a Markdown body could run script, at its line and column."""
    for hazard in sanitize.markdown_hazards(body):
        pos = _position(body, hazard.start)
        message = hazard.message if what == "notes" else hazard.message.replace(" in notes", f" in a {what}")
        rep.error(Position(pos.line + body_line - 1, pos.col), f"{what}: {message}")


def read_bib_fields(rep: Reporter, node: Node) -> tuple[tuple[str, str], ...]:
    """Read `bib_fields`: other bibliographic fields of the source, `name: text` each."""
    if not isinstance(node, Map):
        rep.error(node.pos, f"bib_fields: expected 'name: value' lines, found {describe(node)}")
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
        text = read_safe_text(rep, f"bib_fields: {name}", value, plain_only=False)
        if text is not None:
            out.append((name, text))
    return tuple(sorted(out))


def check_enriched(rep: Reporter, node: Node, paper_fields: tuple[str, ...]) -> None:
    """Check the shape of `enriched`: a list of {source, id, date, fields: [field names]}."""
    if not isinstance(node, Seq):
        rep.error(node.pos, f"enriched: expected a list written by 'enrich', found {describe(node)}")
        return
    for item in node.items:
        if not isinstance(item, Map):
            rep.error(item.pos, f"enriched: expected source, id, date and fields, found {describe(item)}")
            continue
        for key, _ in item.entries:
            if key.text not in ENRICHED_KEYS:
                rep.error(key.pos, f"enriched: {key.text!r} is not a key{suggest(key.text, ENRICHED_KEYS)}")
        for name in ENRICHED_KEYS:
            value = item.get(name)
            if value is None:
                rep.error(item.pos, f"enriched: {name}: missing, expected one in each entry")
            elif name == "date":
                read_date(rep, "enriched: date", value)
            elif name == "fields":
                if not isinstance(value, Seq) or not value.items:
                    rep.error(
                        value.pos,
                        f"enriched: fields: expected a list of field names, found {describe(value)}",
                    )
                    continue
                for field in value.items:
                    text = read_string(rep, "enriched: fields", field)
                    if text is not None and text not in paper_fields:
                        rep.error(
                            field.pos,
                            f"enriched: fields: {text!r} is not a field{suggest(text, paper_fields)}",
                        )
            else:
                read_string(rep, f"enriched: {name}", value)


def meta_pos(meta: Map, name: str) -> Position:
    node = meta.get(name)
    return node.pos if node is not None else Position(1, 1)


_NUMBER_RE = re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?")


def read_number(
    rep: Reporter, name: str, node: Node | None, default: float, *, integer: bool = False
) -> float:
    """Read a plain decimal number; YAML 1.1 forms (010, 1_000, .inf, yes) are reported."""
    if node is None:
        return default
    if isinstance(node, Scalar) and node.plain and _NUMBER_RE.fullmatch(node.text):
        value = float(node.text)
        if not integer or value.is_integer():
            return value
    expected = "a whole number" if integer else "a number such as 2 or 1.5"
    found = describe(node)
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
