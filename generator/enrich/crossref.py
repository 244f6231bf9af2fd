"""Crossref's REST API (JSON): a work by DOI, and a bibliographic search."""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from typing import Any

from .client import Client
from .found import Found, clean_doi

SOURCE = "crossref"
API = "https://api.crossref.org/works"
ROWS = 5


def doi_url(doi: str, mailto: str = "") -> str:
    query = f"?{urllib.parse.urlencode({'mailto': mailto})}" if mailto else ""
    return f"{API}/{urllib.parse.quote(doi, safe='')}{query}"


def title_url(title: str, mailto: str = "") -> str:
    params = {"query.bibliographic": title, "rows": ROWS, **({"mailto": mailto} if mailto else {})}
    return f"{API}?" + urllib.parse.urlencode(params)


def jats_text(jats: str) -> str:
    """Plain text of a JATS abstract: section titles dropped, tags removed, entities decoded."""
    text = re.sub(r"<(jats:)?title>.*?</(jats:)?title>", " ", jats, flags=re.DOTALL)
    text = re.sub(r"<[^>]*>", " ", text)
    return " ".join(html.unescape(text).split())


def _year(work: dict[str, Any]) -> int | None:
    for key in ("issued", "published", "published-print", "published-online"):
        parts = (work.get(key) or {}).get("date-parts") or [[None]]
        if parts[0] and isinstance(parts[0][0], int):
            return int(parts[0][0])
    return None


def _author(person: dict[str, Any]) -> str:
    if person.get("name"):
        return str(person["name"])
    return " ".join(str(person[k]).strip() for k in ("given", "family") if person.get(k))


def _first(values: Any) -> str | None:
    if isinstance(values, list) and values and isinstance(values[0], str) and values[0].strip():
        return " ".join(values[0].split())
    return None


def work(item: dict[str, Any]) -> Found | None:
    """One Crossref work; None without a DOI or a title."""
    doi = clean_doi(item.get("DOI"))
    title = _first(item.get("title"))
    if doi is None or title is None:
        return None
    subtitle = _first(item.get("subtitle"))
    is_article = item.get("type") not in ("posted-content",)
    landing = ((item.get("resource") or {}).get("primary") or {}).get("URL")
    return Found(
        source=SOURCE,
        source_id=doi,
        title=title,
        other_titles=(f"{title}: {subtitle}",) if subtitle else (),
        authors=tuple(name for person in item.get("author") or [] if (name := _author(person))),
        year=_year(item),
        venue=_first(item.get("container-title")) if is_article else None,
        doi=doi,
        url=str(landing) if landing else None,
        abstract=jats_text(item["abstract"]) or None if item.get("abstract") else None,
    )


def parse(body: str) -> list[Found]:
    """A `work` or a `work-list` message."""
    data = json.loads(body)
    if data.get("status") != "ok":
        raise ValueError(f"status {data.get('status')!r}")
    message = data["message"]
    kind = data.get("message-type")
    if kind == "work":
        items = [message]
    elif kind == "work-list":
        items = message["items"]
    else:
        raise ValueError(f"unexpected message-type {kind!r}")
    return [f for item in items if (f := work(item)) is not None]


def by_doi(client: Client, doi: str) -> tuple[str, list[Found]]:
    url = doi_url(doi, client.mailto)
    return url, client.fetch(url, parse) or []


def search(client: Client, title: str) -> tuple[str, list[Found]]:
    url = title_url(title, client.mailto)
    return url, client.fetch(url, parse) or []
