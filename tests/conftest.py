"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Any]:
    """One Playwright driver for the whole run.

    Playwright's sync API refuses to start a second driver while one is running, so
    every folder that drives Chromium takes this one (after checking the browser exists).
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright
