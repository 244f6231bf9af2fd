"""Semantic Scholar's Graph API (JSON): a paper by DOI or arXiv id, a search, and a title match."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from .client import Client
from .found import Found, clean_arxiv, clean_doi

SOURCE = "semanticscholar"
API = "https://api.semanticscholar.org/graph/v1/paper"
FIELDS = "title,authors,year,venue,journal,externalIds,url,openAccessPdf,abstract"
#: Venue names that mean "a preprint", not where the paper was published.
PREPRINT_VENUES = {"arxiv", "arxiv.org", "biorxiv", "medrxiv"}


def id_url(kind: str, ident: str) -> str:
    """`kind` is DOI or ARXIV."""
    return f"{API}/{kind}:{urllib.parse.quote(ident, safe='/.')}?" + urllib.parse.urlencode(
        {"fields": FIELDS}
    )


def match_url(title: str) -> str:
    return f"{API}/search/match?" + urllib.parse.urlencode({"query": title, "fields": FIELDS})


def _venue(item: dict[str, Any]) -> str | None:
    journal = (item.get("journal") or {}).get("name")
    venue = journal or item.get("venue")
    if not venue or str(venue).strip().casefold() in PREPRINT_VENUES:
        return None
    return " ".join(str(venue).split())


def paper(item: dict[str, Any]) -> Found | None:
    ident, title = item.get("paperId"), item.get("title")
    if not ident or not title:
        return None
    ids = item.get("externalIds") or {}
    pdf = (item.get("openAccessPdf") or {}).get("url")
    return Found(
        source=SOURCE,
        source_id=str(ident),
        title=" ".join(str(title).split()),
        authors=tuple(str(a["name"]) for a in item.get("authors") or [] if a.get("name")),
        year=item.get("year"),
        venue=_venue(item),
        doi=clean_doi(ids.get("DOI")),
        arxiv=clean_arxiv(ids.get("ArXiv")),
        url=item.get("url"),
        pdf=pdf or None,
        abstract=" ".join(str(item["abstract"]).split()) or None if item.get("abstract") else None,
    )


def parse(body: str) -> list[Found]:
    """A single paper, or the `data` list of a search or title match."""
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    items = data.get("data", [data])
    return [f for item in items if (f := paper(item)) is not None]


def by_doi(client: Client, doi: str) -> tuple[str, list[Found]]:
    url = id_url("DOI", doi)
    return url, client.fetch(url, parse) or []


def by_arxiv(client: Client, arxiv_id: str) -> tuple[str, list[Found]]:
    url = id_url("ARXIV", arxiv_id)
    return url, client.fetch(url, parse) or []


def search(client: Client, title: str) -> tuple[str, list[Found]]:
    url = match_url(title)
    return url, client.fetch(url, parse) or []
