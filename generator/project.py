"""Where a project keeps things: content/, docs/, site/, mkdocs.yml and the build cache."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .incremental import Memo


@dataclass(frozen=True)
class Project:
    """Where things live; the defaults are the repository layout."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def cache(self) -> Path:
        return self.root / ".cache" / "generator"

    def display(self, path: Path) -> str:
        """A path as shown to users and in edit links: relative to the project."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def memo(self) -> Memo:
        from .incremental import Memo  # only the commands that build use the cache

        return Memo(self.cache)
