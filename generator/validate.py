"""Checks across papers: duplicates and anything one file alone cannot show."""

from __future__ import annotations

from .load import Content
from .model import Problem


def check_collection(content: Content) -> list[Problem]:
    """Report problems that involve more than one paper."""
    return []
