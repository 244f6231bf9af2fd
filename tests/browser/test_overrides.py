"""Our copies of Material partials (accessibility fixes) still match the installed Material."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from .helpers import REPO

_SPEC = importlib.util.find_spec("material")
assert _SPEC is not None and _SPEC.origin is not None, "mkdocs-material is not installed"
MATERIAL = Path(_SPEC.origin).parent / "templates" / "partials"
# Each copied partial and the one attribute it adds to Material's markup.
ADDED = {
    "search.html": ''' aria-label="{{ lang.t('search') }}"''',
    "progress.html": ' aria-label="Loading the page"',
}


def body(text: str) -> str:
    """The markup after the leading {#- … -#} comment; of a partial that also serves Zensical
    (`{% if config.theme.variant -%}` … `{% else -%}` Material's markup `{%- endif %}`), the
    Material branch."""
    markup = text.split("-#}\n", 1)[1]
    if markup.startswith("{% if config.theme.variant -%}\n"):
        return markup.split("{% else -%}\n", 1)[1].removesuffix("{%- endif %}\n")
    return markup


@pytest.mark.parametrize("name", sorted(ADDED))
def test_copied_partial_differs_from_material_only_by_its_fix(name: str) -> None:
    ours = body((REPO / "overrides" / "partials" / name).read_text(encoding="utf-8"))
    theirs = body((MATERIAL / name).read_text(encoding="utf-8"))
    assert ADDED[name] in ours
    assert ours.replace(ADDED[name], "", 1) == theirs, (
        f"Material's partials/{name} changed: copy it again into overrides/partials/ and re-add{ADDED[name]}"
    )
