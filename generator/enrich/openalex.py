"""OpenAlex (JSON): a work by DOI, and a title search."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from .client import Client
from .found import Found, arxiv_from_doi, clean_doi

SOURCE = "openalex"
API = "https://api.openalex.org/works"
PER_PAGE = 5


def doi_url(doi: str, mailto: str = "") -> str:
    query = f"?{urllib.parse.urlencode({'mailto': mailto})}" if mailto else ""
    return f"{API}/https://doi.org/{urllib.parse.quote(doi, safe='')}{query}"


def title_url(title: str, mailto: str = "") -> str:
    # `filter=title.search:` matches the title only; a comma would start another filter.
    words = " ".join(title.replace(",", " ").split())
    params = {
        "filter": f"title.search:{words}",
        "per_page": PER_PAGE,
        **({"mailto": mailto} if mailto else {}),
    }
    return f"{API}?" + urllib.parse.urlencode(params)


def abstract_text(index: dict[str, list[int]] | None) -> str | None:
    """The abstract from OpenAlex's inverted index {word: [positions]}."""
    if not index:
        return None
    words: dict[int, str] = {}
    for word, positions in index.items():
        for pos in positions:
            words[int(pos)] = word
    ordered = [words[i] for i in sorted(words)]
    # JATS section headings survive as a first word ("Abstract", "Significance").
    if ordered and ordered[0] in ("Abstract", "ABSTRACT", "Summary"):
        ordered = ordered[1:]
    return " ".join(ordered) or None


def _location(work: dict[str, Any]) -> tuple[str | None, str | None]:
    """(venue, pdf) of the work: the venue of its primary location unless that is a repository."""
    primary = work.get("primary_location") or {}
    source = primary.get("source") or {}
    venue = source.get("display_name") if source.get("type") not in ("repository", None) else None
    best = work.get("best_oa_location") or {}
    return venue, best.get("pdf_url") or primary.get("pdf_url")


def work(item: dict[str, Any]) -> Found | None:
    title = item.get("title") or item.get("display_name")
    ident = str(item.get("id", "")).rsplit("/", 1)[-1]
    if not title or not ident:
        return None
    venue, pdf = _location(item)
    landing = (item.get("primary_location") or {}).get("landing_page_url")
    return Found(
        source=SOURCE,
        source_id=ident,
        title=" ".join(str(title).split()),
        authors=tuple(
            str(a["author"]["display_name"])
            for a in item.get("authorships") or []
            if (a.get("author") or {}).get("display_name")
        ),
        year=item.get("publication_year"),
        venue=venue,
        doi=clean_doi(item.get("doi")),
        arxiv=arxiv_from_doi(item.get("doi")),
        url=landing if landing and not str(landing).startswith("https://doi.org/") else None,
        pdf=pdf,
        abstract=abstract_text(item.get("abstract_inverted_index")),
    )


def parse(body: str) -> list[Found]:
    """A single work, or a list of works (`results`)."""
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    items = data.get("results", [data])
    return [f for item in items if (f := work(item)) is not None]


def by_doi(client: Client, doi: str) -> tuple[str, list[Found]]:
    url = doi_url(doi, client.mailto)
    return url, client.fetch(url, parse) or []


def search(client: Client, title: str) -> tuple[str, list[Found]]:
    url = title_url(title, client.mailto)
    return url, client.fetch(url, parse) or []
