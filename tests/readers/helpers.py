"""Small builders shared by the reader tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.model import Origin, Paper


def paper(slug: str, title: str = "", abstract: str = "", **fields: Any) -> Paper:
    """A paper record with sensible defaults for the fields a test does not care about."""
    fields.setdefault("added", dt.date(2024, 1, 1))
    return Paper(
        slug=slug,
        title=title or slug.replace("-", " ").title(),
        abstract=abstract or f"An abstract about {slug.replace('-', ' ')}.",
        origin=Origin(f"content/papers/{slug}.md"),
        **fields,
    )
