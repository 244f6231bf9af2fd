"""The shipped list, built once per session into a temporary copy of the project."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.load import load_content
from generator.model import Paper
from generator.pipeline import Project
from generator.site import read_settings

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Built(Project):
    """A project copy after `python -m generator build`."""

    papers: dict[str, Paper]
    site_url: str
    site_name: str

    def page(self, url: str) -> Path:
        """The file of the built site that serves `url` (absolute under site_url, or site-relative)."""
        path = url.removeprefix(self.site_url).split("#")[0].lstrip("/")
        target = self.site / path
        return target / "index.html" if path == "" or path.endswith("/") else target


@pytest.fixture(scope="session")
def built(shipped_build: Path) -> Built:
    root = shipped_build
    content, problems = load_content(root / "content", "content")
    assert content is not None, [str(p) for p in problems]
    settings = read_settings((root / "mkdocs.yml").read_text(encoding="utf-8"))
    site_url, site_name = settings.site_url, settings.site_name
    return Built(root, {p.slug: p for p in content.papers}, site_url, site_name)
