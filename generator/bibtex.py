"""BibTeX for the whole list and for each paper: pure functions from records to text.

Keys are stable and unique: ``surname + year + first title word`` (``vaswani2017attention``)
when the first author and the year are known, the paper's slug otherwise.  Papers
that would get the same key keep it in slug order, the later ones with ``-2``,
``-3``… appended.

Entries are ``@misc``: the content records no venue, and ``@article`` or
``@inproceedings`` without a journal or book title would be incomplete.  Text
fields escape the LaTeX specials ``& % $ # _ { } ~ ^ \\`` and the ligatures
(``--``, ``''``…), and wrap every word with a capital in braces so that
sentence-casing styles keep "BERT" and "Transformer"; other characters stay
UTF-8 (biber, and BibTeX with inputenc, read it).  `url`, `doi` and `eprint`
are verbatim fields and are not escaped, only made brace-safe.
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

#: Field order in every entry.
FIELDS = ("title", "author", "year", "eprint", "archiveprefix", "doi", "url", "note")


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
    if paper.authors and paper.year is not None:
        family = surname(paper.authors[0])
        words = (w for w in map(_ascii_word, tokenize(paper.title)) if w and w not in _TITLE_SKIP)
        if family:
            return f"{family}{paper.year}{next(words, '')}"
    return paper.slug


def cite_keys(papers: Sequence[Paper]) -> dict[str, str]:
    """Give every paper a unique key, by slug."""
    wanted: dict[str, list[str]] = {}
    for paper in papers:
        wanted.setdefault(base_key(paper), []).append(paper.slug)
    taken = set(wanted)
    keys: dict[str, str] = {}
    for key in sorted(wanted):
        first, *rest = sorted(wanted[key])
        keys[first] = key
        n = 2
        for slug in rest:
            while f"{key}-{n}" in taken:
                n += 1
            keys[slug] = f"{key}-{n}"
            taken.add(keys[slug])
    return keys


def _author_field(authors: Sequence[str]) -> str:
    # A name holding " and " (a consortium) is braced, or BibTeX would split it in two.
    names = (f"{{{escape(a)}}}" if " and " in f" {a} " else escape(a) for a in authors)
    return " and ".join(names)


def fields(paper: Paper, *, page_url: str, list_name: str) -> list[tuple[str, str]]:
    """The fields of a paper's entry, in `FIELDS` order, values ready to put in braces."""
    arxiv, doi = paper.link("arxiv"), paper.link("doi")
    url = paper.link("url") or paper.link("pdf")
    if url is None and arxiv:
        url = f"https://arxiv.org/abs/{arxiv}"
    if url is None and doi:
        url = f"https://doi.org/{doi}"
    out = {
        "title": protect_title(paper.title),
        "author": _author_field(paper.authors) if paper.authors else None,
        "year": str(paper.year) if paper.year is not None else None,
        "eprint": _verbatim(arxiv) if arxiv else None,
        "archiveprefix": "arXiv" if arxiv else None,
        "doi": _verbatim(doi) if doi else None,
        "url": _verbatim(url or page_url) if (url or page_url) else None,
        "note": f"Listed in {escape(list_name)}: \\url{{{_verbatim(page_url)}}}" if page_url else None,
    }
    return [(name, value) for name in FIELDS if (value := out[name]) is not None]


def render_entry(paper: Paper, key: str, *, page_url: str, list_name: str) -> str:
    """One ``@misc`` entry, ending with a newline."""
    body = "".join(
        f"  {name} = {{{value}}},\n" for name, value in fields(paper, page_url=page_url, list_name=list_name)
    )
    return f"@misc{{{key},\n{body}}}\n"


def render_bibliography(entries: Mapping[str, str]) -> str:
    """The entries (by key), sorted by key, separated by blank lines."""
    return "\n".join(entries[key] for key in sorted(entries))
