"""BibTeX for the whole list and for each paper: pure functions from records to text.

Entries cite the paper, not the list.  The entry type is the paper's `type` when
the curator (or the importer) gave one; otherwise it is inferred:

- a `venue` that reads like a conference ("Proceedings", "Conference",
  "Symposium", "Workshop", or a well-known acronym such as NeurIPS or ICML)
  makes ``@inproceedings`` with ``booktitle``; any other venue makes ``@article``
  with ``journal`` (journals rarely say so in their name, conferences nearly
  always do);
- no venue makes ``@misc``, with ``eprint`` and ``archivePrefix`` for an arXiv
  preprint.  An arXiv id never decides the type on its own: a paper published
  in a venue keeps its eprint as an extra field.

The venue goes in the field its type reads (`VENUE_FIELD`: ``journal``,
``booktitle``, ``school``, ``institution``, ``publisher`` or ``howpublished``),
then come the year, the source's other fields (`bib_fields`: pages, volume…),
the eprint, DOI and URL.

Keys are the source's own `cite_key` when the paper has one, so a list imported
from a ``.bib`` file cites with the same keys; else ``surname + year + first
title word`` (``vaswani2017attention``) when the first author and the year are
known, the paper's slug otherwise.  Keys stay unique, comparing them without
case as BibTeX does: the papers that ask for a key in their `cite_key` get it
first, in slug order; any later paper asking for the same key gets ``-2``,
``-3``… appended (`validate` warns about a clash of two `cite_key` fields).

A paper with no authors and no identifier (DOI, arXiv id, URL or PDF) is not
cited at all: an entry made of a title alone points a reader nowhere, and in a
bibliography it would look like a real reference.  Its page says what is
missing and offers look-up links; papers.bib leaves it out.

Text fields escape the LaTeX specials ``& % $ # _ { } ~ ^ \\`` and the
ligatures (``--``, ``''``…), and titles wrap every word with a capital in braces
so that sentence-casing styles keep "BERT" and "Transformer"; other characters
stay UTF-8 (biber, and BibTeX with inputenc, read it).  `url`, `doi` and
`eprint` are verbatim fields and are not escaped, only made brace-safe; page
ranges are written with ``--``; a month written as ``jan``… stays BibTeX's macro.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence

from .model import Paper
from .text import tokenize

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
# BibTeX balances braces even after a backslash, so `\{` would unbalance a field: the
# escapes above spell braces as commands instead.
_URL_UNSAFE = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"})
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_TITLE_SKIP = frozenset({"a", "an", "the", "on", "of", "in", "for", "to", "and", "is", "are", "with", "via"})

#: The field that holds the venue, for each entry type.
VENUE_FIELD = {
    "article": "journal",
    "inproceedings": "booktitle",
    "incollection": "booktitle",
    "book": "publisher",
    "phdthesis": "school",
    "mastersthesis": "school",
    "techreport": "institution",
    "unpublished": "note",
    "misc": "howpublished",
}
_CONFERENCE = re.compile(
    r"\b(proc\.|proceedings|conference|symposium|workshop|congress|colloquium)"
    r"|\b(neurips|nips|icml|iclr|cvpr|iccv|eccv|acl|emnlp|naacl|aaai|ijcai|kdd|sigmod|vldb|stoc|focs"
    r"|soda|icalp|popl|pldi|cav|isca|asplos|hpca|osdi|sosp|nsdi|sigcomm|chi)\b",
    re.IGNORECASE,
)
_MONTHS = frozenset(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
_DASHES = re.compile(r"\s*[-\u2010-\u2015]+\s*")
#: The kinds of link that identify the paper itself.
IDENTIFIERS = ("doi", "arxiv", "url", "pdf")

# A special, or the first character of a ligature: TeX fonts turn "--" into a dash, "``" and
# "''" into quotes, "?`" and "!`" into ¿ and ¡; an empty group after it keeps them as written.
_ESCAPE_RE = re.compile("[" + re.escape("".join(_SPECIALS)) + r"]|-(?=-)|`(?=`)|'(?=')|[?!](?=`)")


def _escape_one(match: re.Match[str]) -> str:
    found = match.group(0)
    return _SPECIALS.get(found) or found + "{}"


@functools.lru_cache(maxsize=4096)  # names and the list's name come back in every entry
def escape(text: str) -> str:
    """Escape LaTeX specials and ligatures in `text`, on one line."""
    return _ESCAPE_RE.sub(_escape_one, " ".join(text.split()))


def protect_title(title: str) -> str:
    """Escape `title` and brace every word holding a capital, so styles keep its case."""
    words = title.split()
    # Escapes never hold a space, so the escaped title splits into the same words.
    escaped = escape(" ".join(words)).split(" ")
    return " ".join(f"{{{e}}}" if w != w.lower() else e for w, e in zip(words, escaped, strict=True))


def _verbatim(value: str) -> str:
    return value.strip().translate(_URL_UNSAFE)


_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]")


def _ascii_word(text: str) -> str:
    if text.isascii():
        return _NOT_ASCII_WORD.sub("", text.lower())
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_ASCII_WORD.sub("", folded.lower())


def surname(name: str) -> str:
    """The family name of `name`, as "Last, First" or "First Last"; ASCII, lowercase."""
    if "," in name:
        return _ascii_word(name.split(",", 1)[0].split()[-1] if name.split(",", 1)[0].split() else "")
    parts = [p for p in name.split() if _ascii_word(p) not in _NAME_SUFFIXES]
    return _ascii_word(parts[-1]) if parts else ""


def base_key(paper: Paper) -> str:
    """The key a paper gets unless another paper wants the same one."""
    if paper.cite_key:
        return paper.cite_key
    if paper.authors and paper.year is not None:
        family = surname(paper.authors[0])
        words = (w for w in map(_ascii_word, tokenize(paper.title)) if w and w not in _TITLE_SKIP)
        if family:
            return f"{family}{paper.year}{next(words, '')}"
    return paper.slug


def cite_keys(papers: Sequence[Paper]) -> dict[str, str]:
    """Give every paper a unique key, by slug (keys compared without case, as BibTeX does)."""
    ordered = sorted(papers, key=lambda p: (p.cite_key is None, p.slug))  # own keys first
    base = {p.slug: base_key(p) for p in ordered}
    wanted = {key.casefold() for key in base.values()}
    taken: set[str] = set()
    keys: dict[str, str] = {}
    for paper in ordered:
        key = base[paper.slug]
        n = 2
        candidate = key
        while candidate.casefold() in taken:
            candidate = f"{key}-{n}"
            n += 1
            # A suffixed key must not take the key another paper asks for.
            while candidate.casefold() in wanted and candidate.casefold() != key.casefold():
                candidate = f"{key}-{n}"
                n += 1
        taken.add(candidate.casefold())
        keys[paper.slug] = candidate
    return keys


def _author_field(authors: Sequence[str]) -> str:
    # A name holding " and " (a consortium) is braced, or BibTeX would split it in two.
    names = (f"{{{escape(a)}}}" if " and " in f" {a} " else escape(a) for a in authors)
    return " and ".join(names)


def entry_type(paper: Paper) -> str:
    """The paper's `type`, or the one its venue suggests (see the module's docstring)."""
    if paper.type:
        return paper.type
    if paper.venue:
        return "inproceedings" if _CONFERENCE.search(paper.venue) else "article"
    return "misc"


def missing(paper: Paper) -> str | None:
    """What keeps a paper from being cited, or None when it can be."""
    if paper.authors or any(paper.link(kind) for kind in IDENTIFIERS):
        return None
    return "no authors and no DOI, arXiv id, URL or PDF"


def _bib_value(name: str, value: str) -> str:
    if name == "pages":
        return "--".join(escape(part) for part in _DASHES.split(value.strip()))
    if name in ("url", "doi", "eprint", "isbn", "issn"):
        return _verbatim(value)
    return escape(value)


def fields(paper: Paper) -> list[tuple[str, str]]:
    """The fields of a paper's entry, in order, values ready to put in braces (a bare month macro aside)."""
    arxiv, doi = paper.link("arxiv"), paper.link("doi")
    url = paper.link("url") or paper.link("pdf")
    if url is None and arxiv:
        url = f"https://arxiv.org/abs/{arxiv}"
    if url is None and doi:
        url = f"https://doi.org/{doi}"
    own = dict(paper.bib_fields)
    out: list[tuple[str, str | None]] = [
        ("title", protect_title(paper.title)),
        ("author", _author_field(paper.authors) if paper.authors else None),
    ]
    venue_field = VENUE_FIELD.get(entry_type(paper), "howpublished")
    if paper.venue and venue_field not in own:
        out.append((venue_field, escape(paper.venue)))
    out.append(("year", str(paper.year) if paper.year is not None else None))
    out += [(name, _bib_value(name, value)) for name, value in paper.bib_fields if value.strip()]
    out += [
        ("eprint", _verbatim(arxiv) if arxiv and "eprint" not in own else None),
        ("archiveprefix", "arXiv" if arxiv and "archiveprefix" not in own else None),
        ("doi", _verbatim(doi) if doi else None),
        ("url", _verbatim(url) if url and "url" not in own else None),
    ]
    return [(name, value) for name, value in out if value is not None]


def render_entry(paper: Paper, key: str) -> str:
    """The paper's entry, ending with a newline; "" when it cannot be cited (see `missing`)."""
    if missing(paper):
        return ""
    lines = []
    for name, value in fields(paper):
        month = name == "month" and value.strip().lower() in _MONTHS
        lines.append(f"  {name} = {value.strip().lower() if month else '{' + value + '}'},\n")
    return f"@{entry_type(paper)}{{{key},\n{''.join(lines)}}}\n"


def render_bibliography(entries: Mapping[str, str]) -> str:
    """The entries (by key), sorted by key, separated by blank lines; empty entries left out."""
    return "\n".join(entries[key] for key in sorted(entries) if entries[key])
