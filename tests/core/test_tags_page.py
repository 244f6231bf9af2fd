"""The Tags page says what its tags are: topics only, until some paper has a free tag."""

from __future__ import annotations

import pytest

from generator.templating import render_template


@pytest.mark.parametrize(
    ("free_tags", "says", "never"),
    [
        (0, "The tags of this list are its topics: no paper has a free tag yet", "free tags curators gave"),
        (1, "1 free tag so far", "no paper has a free tag"),
        (3, "3 free tags so far", "no paper has a free tag"),
    ],
)
def test_tags_page_text(free_tags: int, says: str, never: str) -> None:
    page = render_template("tags.md.j2", free_tags=free_tags)
    flat = " ".join(page.split())
    assert says in flat and never not in flat
    assert flat.count("<!-- material/tags -->") == 1
    assert page.startswith("---\n")
