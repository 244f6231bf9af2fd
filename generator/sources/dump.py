"""Read the text dump of a paper-listing page: a title line, then an abstract line, per paper.

The page's boilerplate lines ("Get trending papers in your email inbox", the
"Subscribe" button glued to the next line) are dropped.  Links in an abstract
are sorted into the paper's link fields: code, data, project, and its DOI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Problem
from .entry import SourceEntry

BOILERPLATE = (
    re.compile(r"^Get trending papers in your email inbox\b.*$", re.IGNORECASE),
    re.compile(r"^Subscribe$", re.IGNORECASE),
)
_SUBSCRIBE_GLUE = re.compile(r"^Subscribe(?=[A-Z0-9\"'(\[])")

MAX_TITLE_CHARS = 400


@dataclass(frozen=True)
class DumpEntry:
    title: str
    abstract: str
    line: int


def parse_dump(text: str, display: str) -> tuple[list[DumpEntry], list[Problem]]:
    """Split a dump into entries, dropping the page's boilerplate."""
    problems: list[Problem] = []
    lines: list[tuple[int, str]] = []
    after_prompt = True  # the page's "Subscribe" button text is glued to the line after its prompts
    # A byte order mark is an artefact of the editor that saved the dump, never part of a title.
    text = text.removeprefix("\ufeff")
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


def source_entry(entry: DumpEntry) -> SourceEntry:
    """The dump entry as the importer takes every source's entries."""
    links = extract_links(entry.abstract)
    return SourceEntry(
        line=entry.line,
        col=1,
        title=entry.title,
        abstract=entry.abstract,
        doi=links["doi"][0] if "doi" in links else None,
        code=tuple(links.get("code", ())),
        data=tuple(links.get("data", ())),
        project=tuple(links.get("project", ())),
    )


def read_dump(text: str, display: str) -> tuple[list[SourceEntry], list[Problem]]:
    """The `Reader` of text dumps."""
    entries, problems = parse_dump(text, display)
    return [source_entry(e) for e in entries], problems
