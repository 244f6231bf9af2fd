"""arXiv's export API (Atom): a paper by id, and a title search."""

from __future__ import annotations

import re
import urllib.parse
import xml.etree.ElementTree as ET

from .client import Client
from .found import Found, clean_arxiv, clean_doi

SOURCE = "arxiv"
API = "https://export.arxiv.org/api/query"
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
MAX_RESULTS = 5


def id_url(arxiv_id: str) -> str:
    return f"{API}?" + urllib.parse.urlencode({"id_list": arxiv_id, "max_results": 1})


def title_url(title: str) -> str:
    # A phrase search on the title's words: quotes, colons and brackets are query syntax.
    words = re.findall(r"\w+", title)
    return f"{API}?" + urllib.parse.urlencode(
        {"search_query": 'ti:"' + " ".join(words) + '"', "start": 0, "max_results": MAX_RESULTS}
    )


def _text(entry: ET.Element, tag: str) -> str:
    node = entry.find(tag)
    return " ".join((node.text or "").split()) if node is not None else ""


def parse(body: str) -> list[Found]:
    """Every entry of an Atom feed of the export API, old (2016) or current format."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise ValueError(f"not XML: {exc}") from None
    if root.tag != f"{ATOM}feed":
        raise ValueError(f"expected an Atom feed, found <{root.tag}>")
    found = []
    for entry in root.findall(f"{ATOM}entry"):
        ident = clean_arxiv(_text(entry, f"{ATOM}id").rsplit("/abs/", 1)[-1])
        title = _text(entry, f"{ATOM}title")
        if ident is None or not title:
            # The API answers an unknown id with an entry titled "Error".
            continue
        published = _text(entry, f"{ATOM}published")
        found.append(
            Found(
                source=SOURCE,
                source_id=ident,
                title=title,
                authors=tuple(
                    name for a in entry.findall(f"{ATOM}author") if (name := _text(a, f"{ATOM}name"))
                ),
                year=int(published[:4]) if re.match(r"\d{4}", published) else None,
                doi=clean_doi(_text(entry, f"{ARXIV}doi")),
                arxiv=ident,
                url=f"https://arxiv.org/abs/{ident}",
                pdf=f"https://arxiv.org/pdf/{ident}",
                abstract=_text(entry, f"{ATOM}summary") or None,
            )
        )
    return found


def by_id(client: Client, arxiv_id: str) -> tuple[str, list[Found]]:
    url = id_url(arxiv_id)
    return url, client.fetch(url, parse) or []


def search(client: Client, title: str) -> tuple[str, list[Found]]:
    url = title_url(title)
    return url, client.fetch(url, parse) or []
