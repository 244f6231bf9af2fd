"""Fixtures of the browser tests: the shipped site built once, served on localhost, and Chromium.

Without chromium, axe-core or Playwright the browser tests skip loudly (a warning and a line in
the summary); with CI set they fail instead, so a CI machine that lost its browser cannot pass.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .helpers import VIEWPORT, launch, missing_browser_tools, serve

_SKIPPED: list[str] = []


@dataclass(frozen=True)
class BuiltSite:
    """The shipped content built into a temporary project, and what it was built from."""

    root: Path
    papers: list[dict[str, Any]]
    topics: list[dict[str, Any]]

    @property
    def site(self) -> Path:
        return self.root / "site"

    def paper(self, slug: str) -> dict[str, Any]:
        return next(p for p in self.papers if p["slug"] == slug)


@pytest.fixture(scope="session")
def built(shipped_build: Path) -> BuiltSite:
    root = shipped_build
    site = root / "site"
    data = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    return BuiltSite(root, data["papers"], data["topics"])


@pytest.fixture(scope="session")
def base_url(built: BuiltSite) -> Iterator[str]:
    with serve(built.site) as url:
        yield url


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest) -> Iterator[Any]:
    missing = missing_browser_tools()
    if missing:
        reason = "browser tests cannot run: " + "; ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(f"{reason} — and CI is set, so this is a failure, not a skip")
        _SKIPPED.append(reason)
        warnings.warn(f"SKIPPING the browser tests: {reason}", stacklevel=1)
        pytest.skip(reason)
    chromium = launch(request.getfixturevalue("playwright_session"))
    yield chromium
    chromium.close()


@dataclass
class Console:
    """Errors the pages reported: console.error messages and uncaught exceptions."""

    base_url: str
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def on_console(self, message: Any) -> None:
        if message.type != "error":
            return
        # The test blocks every request that leaves the site (the tests run offline); the
        # failed loads it causes are reported in `blocked`, not as errors of the site.
        source = message.location.get("url", "") if message.location else ""
        if source and not source.startswith(self.base_url) and source in self.blocked:
            return
        self.errors.append(f"console.error at {source or '?'}: {message.text}")

    def on_pageerror(self, error: Any) -> None:
        self.errors.append(f"uncaught exception: {error}")


@pytest.fixture()
def console(base_url: str) -> Console:
    return Console(base_url)


def new_tab(
    browser: Any,
    base_url: str,
    console: Console,
    *,
    viewport: dict[str, int] = VIEWPORT,
    color_scheme: str = "light",
    timeout: int = 15_000,
) -> tuple[Any, Any]:
    """A new context and tab on `base_url`, offline (every request leaving the site is blocked
    and recorded) and with its console errors recorded; the caller closes the context."""
    context = browser.new_context(viewport=viewport, base_url=base_url, color_scheme=color_scheme)

    def block_outside(route: Any) -> None:
        console.blocked.append(route.request.url)
        route.abort()

    # Only requests that leave the site are routed: a route that matched every request sent each
    # of the site's own files through this process too (a page view took ~1.6 times as long).
    context.route(re.compile(f"^(?!{re.escape(base_url)})"), block_outside)
    tab = context.new_page()
    tab.set_default_timeout(timeout)
    tab.on("console", console.on_console)
    tab.on("pageerror", console.on_pageerror)
    return context, tab


@contextmanager
def open_tab(browser: Any, base_url: str, console: Console, color_scheme: str = "light") -> Iterator[Any]:
    """A fresh tab on the site at `base_url` (see new_tab), closed after use."""
    context, tab = new_tab(browser, base_url, console, color_scheme=color_scheme)
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture()
def page(browser: Any, base_url: str, console: Console) -> Iterator[Any]:
    """A fresh page on the served site; the test fails if any page it visited logged an error."""
    with open_tab(browser, base_url, console) as tab:
        yield tab
    assert not console.errors, "the pages logged errors:\n" + "\n".join(console.errors)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for reason in _SKIPPED:
        terminalreporter.write_line(f"BROWSER TESTS SKIPPED: {reason}", red=True, bold=True)
