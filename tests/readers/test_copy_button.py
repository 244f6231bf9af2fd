"""The BibTeX copy button of a paper page, clicked in headless Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import bibtexparser
import pytest

from tests.browser.helpers import launch, missing_browser_tools, serve

from .conftest import Built

pytestmark = pytest.mark.browser

SLUG = "stim-a-fast-stabilizer-circuit-simulator"


@pytest.fixture(scope="module")
def page(built: Built, request: pytest.FixtureRequest) -> Iterator[Any]:
    missing = missing_browser_tools()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"cannot run the browser: {'; '.join(missing)} — and CI is set")
        pytest.skip(f"SKIPPING the copy-button test: {'; '.join(missing)}")
    with serve(built.site) as base_url:
        browser = launch(request.getfixturevalue("playwright_session"))
        context = browser.new_context(base_url=base_url)
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        tab = context.new_page()
        tab.goto(f"papers/{SLUG}/")
        yield tab
        browser.close()


def test_copy_button_copies_the_entry(page: Any, built: Built) -> None:
    button = page.locator("#cite ~ .rl-cite pre button[data-md-type=copy]")
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    library = bibtexparser.parse_string(copied)  # type: ignore[attr-defined]
    assert library.failed_blocks == []
    (entry,) = library.entries
    # The shipped list's one paper with authors and an arXiv id: its entry cites the paper.
    assert (entry.entry_type, entry["eprint"], entry["journal"]) == ("article", "2103.02202", "Quantum")
    assert copied.strip() == page.locator("#cite ~ .rl-cite pre code").inner_text().strip()
