"""Shared helpers of the library reader tests."""

from __future__ import annotations

from pathlib import Path

from generator.model import Problem
from generator.sources import detect, files
from generator.sources.entry import SourceEntry

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> tuple[list[SourceEntry], list[Problem]]:
    """Read a fixture as the import command will: bytes to text, format, reader."""
    path = FIXTURES / name
    text, problems = files.read_library(path, name)
    assert problems == [] and text is not None
    fmt = detect.format_of(name, text)
    assert fmt is not None
    return detect.reader(fmt)(text, name)


def by_key(entries: list[SourceEntry]) -> dict[str, SourceEntry]:
    return {e.cite_key or e.title: e for e in entries}


def messages(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]
