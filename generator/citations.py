"""CSL-JSON of the whole list (`papers.csl.json`), for Zotero and other reference managers.

CSL-JSON is the citation data of the Citation Style Language (the `csl-data.json`
schema of citationstyles.org): an array of items with an `id`, a `type` and the
variables styles print.  Each paper is one item, keyed by its BibTeX key, so that
the two exports name a paper alike.  Unlike papers.bib, every paper is there, even
one the list cannot cite yet (see `bibtex.missing`): a reference manager is a
library, where a curator can complete the record.

Names are split into `family` and `given`: "Last, First" at the comma, else the
last word is the family name, with the lowercase particles before it ("van der
Waals") and without a "Jr."-style suffix; a single word, a name holding " and "
(a consortium) or a name in a script without spaces between words is kept whole
as a `literal`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from . import bibtex
from .model import Paper

#: CSL item type of each BibTeX entry type (the mapping of citeproc's BibTeX readers).
CSL_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "incollection": "chapter",
    "book": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "techreport": "report",
    "unpublished": "manuscript",
    "misc": "document",
}
#: Types whose venue is the `container-title`; the others' venue is their `publisher`.
_CONTAINED = frozenset({"article-journal", "paper-conference", "chapter"})
#: bib_fields that have a CSL variable.
_VARIABLES = {
    "volume": "volume",
    "number": "issue",
    "pages": "page",
    "publisher": "publisher",
    "address": "publisher-place",
    "edition": "edition",
    "isbn": "ISBN",
    "issn": "ISSN",
    "note": "note",
}
_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "du",
        "le",
        "la",
        "les",
        "ter",
        "ten",
        "zu",
        "dos",
        "das",
    ]
)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_DASHES = re.compile(r"\s*[-\u2010-\u2015]+\s*")


def csl_type(paper: Paper) -> str:
    kind = bibtex.entry_type(paper)
    if kind == "misc" and paper.link("arxiv"):
        return "article"  # CSL's type for a preprint (Zotero's "Preprint" exports as it)
    return CSL_TYPES.get(kind, "document")


def split_name(name: str) -> dict[str, str]:
    """A CSL name: {family, given} (and suffix), or {literal} when it cannot be split sensibly."""
    flat = " ".join(name.split())
    if "," in flat:
        family, _, given = (part.strip() for part in flat.partition(","))
        if family and given:
            return {"family": family, "given": given}
    words = flat.split(" ")
    suffix = words.pop() if len(words) > 2 and words[-1].lower() in _SUFFIXES else None
    if len(words) < 2 or " and " in f" {flat} ":
        return {"literal": flat}
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES and words[start - 1].islower():
        start -= 1
    out = {"family": " ".join(words[start:]), "given": " ".join(words[:start])}
    if suffix:
        out["suffix"] = suffix.rstrip(",")
    return out


def item(paper: Paper, key: str) -> dict[str, Any]:
    """The CSL-JSON item of one paper."""
    kind = csl_type(paper)
    out: dict[str, Any] = {"id": key, "type": kind, "title": " ".join(paper.title.split())}
    if paper.authors:
        out["author"] = [split_name(a) for a in paper.authors]
    if paper.year is not None:
        out["issued"] = {"date-parts": [[paper.year]]}
    if paper.venue:
        out["container-title" if kind in _CONTAINED else "publisher"] = paper.venue
    if bibtex.entry_type(paper) in ("phdthesis", "mastersthesis"):
        out["genre"] = "PhD thesis" if bibtex.entry_type(paper) == "phdthesis" else "Master's thesis"
    for name, value in paper.bib_fields:
        variable = _VARIABLES.get(name)
        if variable and variable not in out:
            out[variable] = "-".join(_DASHES.split(value.strip())) if name == "pages" else value
    arxiv, doi = paper.link("arxiv"), paper.link("doi")
    if doi:
        out["DOI"] = doi
    if arxiv and kind == "article":
        out["number"] = f"arXiv:{arxiv}"  # how Zotero stores a preprint's archive id
    url = paper.link("url") or paper.link("pdf") or (f"https://arxiv.org/abs/{arxiv}" if arxiv else None)
    if url:
        out["URL"] = url
    if paper.abstract:
        out["abstract"] = " ".join(paper.abstract.split())
    if paper.tags:
        out["keyword"] = ", ".join(paper.tags)
    return out


def render_csl_json(papers: Sequence[Paper], keys: Mapping[str, str]) -> str:
    """Every paper as a CSL-JSON array, sorted by key, one item a line."""
    items = sorted((item(p, keys[p.slug]) for p in papers), key=lambda i: str(i["id"]))
    lines = ",\n".join(json.dumps(i, ensure_ascii=False, separators=(", ", ": ")) for i in items)
    return f"[\n{lines}\n]\n"
