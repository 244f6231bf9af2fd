"""The theme changes of overrides/: the MkDocs hook and the href check, against the installed Material.

No browser needed: what the hook adds is checked on Material's own markup and on the built
site (tests/validation/test_built_html.py); the axe-core test checks the names in Chromium.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import jinja2
import pytest

from .helpers import REPO

_SPEC = importlib.util.find_spec("material")
assert _SPEC is not None and _SPEC.origin is not None, "mkdocs-material is not installed"
MATERIAL = Path(_SPEC.origin).parent / "templates"


def _load_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("overrides_hooks", REPO / "overrides" / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hooks = _load_hooks()
REPO_URL = "https://github.com/o/r"


def test_mkdocs_yml_runs_the_hooks_and_no_material_partial_is_copied() -> None:
    assert re.search(r"^hooks:\n  - overrides/hooks\.py$", (REPO / "mkdocs.yml").read_text(), re.MULTILINE)
    ours = {p.name for p in (REPO / "overrides" / "partials").iterdir()}
    assert ours & {p.name for p in (MATERIAL / "partials").iterdir()} == set()


@pytest.mark.parametrize(
    ("partial", "label"), [("search.html", "Search"), ("progress.html", "Loading the page")]
)
def test_hook_names_materials_component_which_has_no_name_of_its_own(partial: str, label: str) -> None:
    markup = (MATERIAL / "partials" / partial).read_text(encoding="utf-8")
    tags = re.findall(r"<div\b[^>]*data-md-component=\"(?:search|progress)\"[^>]*>", markup)
    assert len(tags) == 1, f"Material's partials/{partial} changed: check LABELS in overrides/hooks.py"
    assert "aria-label" not in tags[0], f"Material names it now: drop {label!r} from overrides/hooks.py"
    labelled = hooks.add_labels(markup)
    assert labelled.count(f'aria-label="{label}"') == 1
    assert hooks.add_labels(labelled) == labelled  # a name already there is kept


def test_hook_detaches_materials_search_component_and_keeps_its_box() -> None:
    """Material's script must not mount its search (its lunr worker would load on every page
    view); the dialog and its box stay for overrides/assets/javascripts/search.js."""
    markup = (MATERIAL / "partials" / "search.html").read_text(encoding="utf-8")
    detached = hooks.detach_search(hooks.add_labels(markup))
    assert 'data-md-component="search"' not in detached
    assert detached.count('data-md-component="rl-search"') == 1
    assert 'aria-label="Search"' in detached and 'class="md-search__input"' in detached
    assert 'data-md-component="search-query"' in detached  # the box itself is untouched
    assert hooks.detach_search(detached) == detached


@pytest.mark.parametrize(
    ("source", "url"),
    [
        ("content/papers/a-b-1.md", f"{REPO_URL}/edit/main/content/papers/a-b-1.md"),
        ("content/pages/about.md", f"{REPO_URL}/edit/main/content/pages/about.md"),
        ("content/topics.yml", f"{REPO_URL}/edit/main/content/topics.yml"),
        ("javascript:alert(1)", None),
        ("content/papers/../../etc/passwd.md", None),
        ("content/papers/Upper.md", None),
        ("content/papers/a.md?x=1", None),
        ("content/papers/a.md\n", None),
        ('content/papers/a.md" onclick="x', None),
        ("/etc/passwd", None),
        ("docs/index.md", None),
        (None, None),
        (["content/topics.yml"], None),
    ],
)
def test_edit_url_only_for_a_source_file_the_generator_writes(source: object, url: str | None) -> None:
    assert hooks.edit_url(source, REPO_URL + "/", "edit/main/") == url


def test_edit_url_needs_a_repository_of_a_safe_shape() -> None:
    assert hooks.edit_url("content/topics.yml", None, "edit/main/") is None
    assert hooks.edit_url("content/topics.yml", 'https://x.org/"><script>', "edit/main/") is None


_HREF = jinja2.Environment(loader=jinja2.FileSystemLoader(REPO / "overrides")).from_string(
    '{% from "partials/rl-href.html" import safe_href %}{{ safe_href(url) }}'
)


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://x.org/a?b=1&c=2", "https://x.org/a?b=1&amp;c=2"),
        ("HTTP://X.ORG/", "HTTP://X.ORG/"),
        ("mailto:a@b.org", "mailto:a@b.org"),
        ("../../topics/x/", "../../topics/x/"),
        ("papers/a:b/", ""),  # any colon drops a link that is not http(s) or mailto (MiniJinja too)
        ("#top", "#top"),
        ("//cdn.example/x", "//cdn.example/x"),
        ('https://x.org/"onmouseover="alert(1)', "https://x.org/&#34;onmouseover=&#34;alert(1)"),
        ("javascript:alert(1)", ""),
        ("JaVaScRiPt:alert(1)", ""),
        (" javascript:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("\x01javascript:alert(1)", ""),
        # Relative (a path '&' and a fragment): escaped, the browser never decodes the 'j'.
        ("&#106;avascript:alert(1)", ""),
        ("data:text/html,<script>", ""),
        ("vbscript:msgbox(1)", ""),
        ("https:alert(1)", ""),
    ],
)
def test_safe_href_keeps_http_https_mailto_and_relative_urls_only(url: str, href: str) -> None:
    assert _HREF.render(url=url) == href
