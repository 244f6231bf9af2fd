"""The KaTeX served by the site (overrides/assets/katex/) is the one package-lock.json pins.

`make site` must not need npm, so the dist files are vendored: katex.min.js, katex.min.css, the
woff2 fonts and the licence, copied unchanged from npm's `katex` by `make katex`. These tests
check the copy against the lockfile, and byte for byte against node_modules/ after `npm ci`.
"""

from __future__ import annotations

import json
import os
import re

import pytest

from .conftest import ROOT

VENDORED = ROOT / "overrides" / "assets" / "katex"
NPM = ROOT / "node_modules" / "katex"


def pinned_version() -> str:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    spec = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]["katex"]
    version: str = lock["packages"]["node_modules/katex"]["version"]
    assert spec == version, "package.json pins katex exactly"
    return version


def vendored_files() -> list[str]:
    return sorted(p.relative_to(VENDORED).as_posix() for p in VENDORED.rglob("*") if p.is_file())


def test_vendored_katex_is_the_pinned_version() -> None:
    js = (VENDORED / "katex.min.js").read_text(encoding="utf-8")
    assert re.findall(r'version:"([0-9.]+)"', js) == [pinned_version()]


def test_every_font_the_css_prefers_is_vendored_and_nothing_else() -> None:
    css = (VENDORED / "katex.min.css").read_text(encoding="utf-8")
    woff2 = sorted(set(re.findall(r"url\((fonts/[^)]+\.woff2)\)", css)))
    assert woff2, "the CSS names its woff2 fonts"
    # Browsers take the first format they support, woff2 everywhere KaTeX runs: the woff and
    # ttf fallbacks are not shipped (the browser test checks that only woff2 is fetched).
    assert vendored_files() == sorted(["LICENSE", "katex.min.css", "katex.min.js", *woff2])


def test_vendored_files_match_the_npm_package() -> None:
    if not NPM.is_dir():
        message = "node_modules/katex is missing (npm ci): cannot compare the vendored KaTeX"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    assert json.loads((NPM / "package.json").read_text(encoding="utf-8"))["version"] == pinned_version()
    for name in vendored_files():
        source = NPM / ("LICENSE" if name == "LICENSE" else f"dist/{name}")
        assert (VENDORED / name).read_bytes() == source.read_bytes(), f"{name} differs: run `make katex`"
