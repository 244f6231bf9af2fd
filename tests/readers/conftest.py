"""The shipped list, built once per session into a temporary copy of the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("readers") / "project"
    root.mkdir()
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "--quiet", "build", "--strict"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    content, problems = load_content(root / "content", "content")
    assert content is not None, [str(p) for p in problems]
    settings = read_settings((root / "mkdocs.yml").read_text(encoding="utf-8"))
    site_url, site_name = settings.site_url, settings.site_name
    return Built(root, {p.slug: p for p in content.papers}, site_url, site_name)
