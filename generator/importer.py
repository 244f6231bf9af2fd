"""Import a paper-listing text dump into content/papers/, one file per paper.

The dump is a title line followed by an abstract line per paper, after some
boilerplate lines of the page it was copied from.  Re-importing is safe: the
importer records a digest of the fields it wrote (`imported.digest`); a file
whose imported fields still match that digest is the importer's to update, a
file the curator changed is left alone.  Curator-only fields (notes, topics,
tags, status, ...) are never touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import frontmatter as fm
from .model import Problem
from .text import title_key

#: Fields the importer owns, in the order it writes them.
MANAGED = ("title", "abstract", "doi", "code", "data", "project")

BOILERPLATE = (
    re.compile(r"^Get trending papers in your email inbox\b.*$", re.IGNORECASE),
    re.compile(r"^Subscribe$", re.IGNORECASE),
)
_SUBSCRIBE_GLUE = re.compile(r"^Subscribe(?=[A-Z0-9\"'(\[])")

MAX_TITLE_CHARS = 400
SLUG_MAX = 72


@dataclass(frozen=True)
class DumpEntry:
    title: str
    abstract: str
    line: int


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"added {len(self.added)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}, "
            f"kept {len(self.kept)} (curator edits left as they are)"
        )
        if self.removed:
            text += f", skipped {len(self.removed)} (deleted by a curator; see {LEDGER})"
        return text


#: Every paper the importer has added, by title key, so that a paper a curator
#: deleted is not added back by the next import.
LEDGER = "content/imported.yml"
_LEDGER_HEADER = (
    "# Written by `python -m generator import`: every paper it has added (title key: slug),\n"
    "# so that a paper a curator deleted is not imported again. Delete a line to let the\n"
    "# importer add that paper back.\n"
)


def read_ledger(text: str) -> dict[str, str]:
    """Parse the ledger: title key -> slug it was imported as."""
    mapping, _duplicates = fm.parse_mapping(text)
    return {k.text: v.text for k, v in mapping.entries if isinstance(v, fm.Scalar)}


def render_ledger(ledger: dict[str, str]) -> str:
    lines = "".join(f"{key}: {slug}\n" for key, slug in sorted(ledger.items(), key=lambda kv: (kv[1], kv[0])))
    return _LEDGER_HEADER + lines


def parse_dump(text: str, display: str) -> tuple[list[DumpEntry], list[Problem]]:
    """Split a dump into entries, dropping the page's boilerplate."""
    problems: list[Problem] = []
    lines: list[tuple[int, str]] = []
    after_prompt = True  # the page's "Subscribe" button text is glued to the line after its prompts
    # Lines end at \n, \r\n or \r only: str.splitlines() would also split an abstract at a
    # form feed, U+0085 or U+2028 from the scraped page, and shift every pair after it.
    raw_lines = re.split(r"\r\n|\r|\n", text)
    for number, raw in enumerate(raw_lines, start=1):
        line = " ".join(raw.split())
        if not line:
            continue
        if any(p.match(line) for p in BOILERPLATE):
            after_prompt = True
            continue
        if after_prompt:
            # Only there: a title such as "SubscribeNet: ..." elsewhere in the dump is a title.
            line = _SUBSCRIBE_GLUE.sub("", line)
            after_prompt = False
        lines.append((number, line))
    entries: list[DumpEntry] = []
    for i in range(0, len(lines) - 1, 2):
        (tline, title), (_, abstract) = lines[i], lines[i + 1]
        if len(title) > MAX_TITLE_CHARS:
            problems.append(
                Problem(
                    display,
                    tline,
                    1,
                    f"title: a line of {len(title)} characters where a title was expected; "
                    "is a title or abstract line missing above?",
                )
            )
            continue
        entries.append(DumpEntry(title, abstract, tline))
    if len(lines) % 2:
        number, line = lines[-1]
        problems.append(Problem(display, number, 1, f"title {line[:60]!r} has no abstract line after it"))
    return entries, problems


# fmt: off
_GREEK = (
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
    "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
)
# fmt: on
#: Letters that Unicode decomposition does not reduce to ASCII, spelled out so that
#: "Straße" and "λ-calculus" keep their words in the slug instead of losing letters.
_TRANSLITERATION = str.maketrans(
    {
        **{chr(0x3B1 + i + (i >= 17)): name for i, name in enumerate(_GREEK)},  # skips final sigma
        **{chr(0x391 + i + (i >= 17)): name for i, name in enumerate(_GREEK)},  # U+03A2 is unassigned
        "ς": "sigma",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
        "∞": " infinity ",
    }
)


def slugify(title: str) -> str:
    """Make a lowercase ASCII slug with hyphens from a title."""
    decomposed = unicodedata.normalize("NFKD", title).translate(_TRANSLITERATION)
    ascii_text = decomposed.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > SLUG_MAX:
        cut = slug[:SLUG_MAX]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut
    return slug or "paper"


_URL = re.compile(r"\\url\{([^}\s]+)\}|(https?://[^\s{}<>\"\\]+)")
_TRAILING = ".,;:!?'\""


def _clean_url(url: str) -> str:
    while url and url[-1] in _TRAILING + ")]":
        if url[-1] in ")]":
            opener = "(" if url[-1] == ")" else "["
            if url.count(opener) >= url.count(url[-1]):
                break
        url = url[:-1]
    return url


def extract_links(abstract: str) -> dict[str, list[str]]:
    """Find links in an abstract and sort them into link fields."""
    out: dict[str, list[str]] = {}
    for m in _URL.finditer(abstract):
        url = _clean_url(m.group(1) or m.group(2))
        if not re.match(r"^https?://[^/\s]+\.[^/\s]+", url):
            continue
        host = re.sub(r"^https?://(www\.)?", "", url).split("/")[0].lower()
        if host in ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org"):
            kind = "code"
        elif host == "doi.org" or host == "dx.doi.org":
            doi = url.split("/", 3)[3]
            if doi.startswith(("10.5281/", "10.6084/")):  # Zenodo, figshare: archived artefacts
                kind = "data"
            else:
                kind, url = "doi", doi
        elif (host == "huggingface.co" and "/datasets/" in url) or host in (
            "zenodo.org",
            "kaggle.com",
            "figshare.com",
            "osf.io",
        ):
            kind = "data"
        else:
            kind = "project"
        if url not in out.setdefault(kind, []):
            out[kind].append(url)
    if len(out.get("doi", [])) > 1:  # a paper has one DOI; several are citations
        out["data"] = out.get("data", []) + [f"https://doi.org/{d}" for d in out.pop("doi")]
    return out


def managed_values(entry: DumpEntry) -> dict[str, object]:
    values: dict[str, object] = {"title": entry.title, "abstract": entry.abstract}
    links = extract_links(entry.abstract)
    if "doi" in links:
        values["doi"] = links["doi"][0]
    for kind in ("code", "data", "project"):
        if kind in links:
            values[kind] = links[kind]
    return values


def digest(values: dict[str, object]) -> str:
    canon = json.dumps({k: values[k] for k in MANAGED if k in values}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canon.encode()).hexdigest()[:16]


def dump_field(name: str, value: object) -> str:
    """Serialize one front-matter field as YAML that reads back exactly."""
    if isinstance(value, dt.date):
        return f"{name}: {value.isoformat()}\n"
    return yaml.dump({name: value}, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100)


def render_new(values: dict[str, object], added: dt.date, source: str) -> str:
    parts = ["---\n"]
    for name in MANAGED:
        if name == "abstract":
            parts.append(dump_field("added", added))
        if name in values:
            parts.append(dump_field(name, values[name]))
    parts.append(
        dump_field(
            "imported", {"from": source, "digest": digest(values), "key": _key_hash(str(values["title"]))}
        )
    )
    parts.append("---\n")
    return "".join(parts)


def _key_hash(title: str) -> str:
    return hashlib.sha256(title_key(title).encode()).hexdigest()[:12]


@dataclass
class _Existing:
    path: Path
    text: str
    doc: fm.Document


def _plain(node: fm.Node) -> object:
    if isinstance(node, fm.Scalar):
        return node.text
    if isinstance(node, fm.Seq):
        return [_plain(i) for i in node.items]
    return {k.text: _plain(v) for k, v in node.entries}


def _current_managed(doc: fm.Document) -> dict[str, object]:
    values: dict[str, object] = {}
    for key, node in doc.meta.entries:
        if key.text in MANAGED:
            value = _plain(node)
            if key.text in ("code", "data", "project") and isinstance(value, str):
                value = [value]
            values[key.text] = value
    return values


def _replace_managed(text: str, doc: fm.Document, new: dict[str, object], imported: dict[str, str]) -> str:
    """Rewrite the importer's fields in place, keeping every other line as it is."""
    lines = text.split("\n")
    end = doc.body_line - 2  # index of the closing '---' line
    starts = sorted((k.pos.line - 1, k.text) for k, _ in doc.meta.entries if k.pos.col == 1)
    blocks: dict[str, tuple[int, int]] = {}
    for i, (start, name) in enumerate(starts):
        stop = starts[i + 1][0] if i + 1 < len(starts) else end
        blocks[name] = (start, stop)
    out_blocks: dict[int, str] = {}
    drop: set[int] = set()
    for name in (*MANAGED, "imported"):
        if name in blocks:
            start, stop = blocks[name]
            drop.update(range(start, stop))
            value = imported if name == "imported" else new.get(name)
            if value is not None:
                out_blocks[start] = dump_field(name, value).rstrip("\n")
    missing = [n for n in MANAGED if n in new and n not in blocks]
    if missing or "imported" not in blocks:
        anchor = blocks.get("imported", (end, end))[0]
        extra = [dump_field(n, new[n]).rstrip("\n") for n in missing]
        if "imported" not in blocks:
            extra.append(dump_field("imported", imported).rstrip("\n"))
            anchor = end
        out_blocks[anchor] = "\n".join(extra + ([out_blocks[anchor]] if anchor in out_blocks else []))
    result: list[str] = []
    for i, line in enumerate(lines):
        if i in out_blocks:
            result.append(out_blocks[i])
        if i not in drop:
            result.append(line)
    return "\n".join(result)


def plan_import(
    entries: Iterable[DumpEntry],
    papers_dir: Path,
    source: str,
    added: dt.date,
    ledger: dict[str, str] | None = None,
) -> tuple[dict[Path, str], ImportReport, list[Problem]]:
    """Work out which files to write; nothing touches the disk here but reads.

    `ledger` (title key -> slug) lists the papers imported before; it is updated
    in place with the papers of this dump.
    """
    ledger = {} if ledger is None else ledger
    problems: list[Problem] = []
    existing: dict[str, _Existing] = {}
    by_key: dict[str, str] = {}
    for path in sorted(papers_dir.glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
            doc = fm.parse(text)
        except (OSError, UnicodeDecodeError, fm.FrontMatterError) as exc:
            message = exc.message if isinstance(exc, fm.FrontMatterError) else str(exc)
            problems.append(
                Problem(path.as_posix(), 1, 1, f"cannot read existing paper, fix it first: {message}")
            )
            continue
        slug = path.stem
        existing[slug] = _Existing(path, text, doc)
        title = doc.meta.get("title")
        if isinstance(title, fm.Scalar):
            by_key.setdefault(title_key(title.text), slug)
        imported = doc.meta.get("imported")
        if isinstance(imported, fm.Map) and isinstance(imported.get("key"), fm.Scalar):
            by_key.setdefault(f"#{imported.get('key').text}", slug)  # type: ignore[union-attr]
    writes: dict[Path, str] = {}
    report = ImportReport()
    taken = set(existing)
    for entry in entries:
        values = managed_values(entry)
        slug = slugify(entry.title)
        # Match by title (or the title first imported, for a paper a curator retitled), never by
        # slug alone: two different titles can share a slug, and the second must not overwrite the first.
        match = by_key.get(title_key(entry.title)) or by_key.get(f"#{_key_hash(entry.title)}")
        key = _key_hash(entry.title)
        if match is None and key in ledger:
            report.removed.append(ledger[key])
            continue
        if match is None:
            base, n = slug, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            taken.add(slug)
            path = papers_dir / f"{slug}.md"
            writes[path] = render_new(values, added, source)
            by_key[title_key(entry.title)] = slug
            ledger[key] = slug
            report.added.append(slug)
            continue
        old = existing.get(match)
        if old is None:  # the same title twice in one dump
            problems.append(
                Problem(source, entry.line, 1, f"title {entry.title[:60]!r} appears twice in the dump")
            )
            continue
        ledger.setdefault(key, match)
        imported_node = old.doc.meta.get("imported")
        recorded = imported_node.get("digest") if isinstance(imported_node, fm.Map) else None
        current = _current_managed(old.doc)
        if not isinstance(recorded, fm.Scalar) or digest(current) != recorded.text:
            report.kept.append(match)
            continue
        if digest(values) == recorded.text:
            report.unchanged.append(match)
            continue
        record = {"from": source, "digest": digest(values), "key": _key_hash(entry.title)}
        writes[old.path] = _replace_managed(old.text, old.doc, values, record)
        report.updated.append(match)
    return writes, report, problems
