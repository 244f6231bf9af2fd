"""The generated HTML blocks of a page go around MkDocs' HTML parsers (overrides/hooks.py,
`set_aside` and `put_back`) and come out as Markdown would have made them; nothing a curator
wrote goes around Markdown."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import markdown  # type: ignore[import-untyped]
import pytest
import yaml
from mkdocs.utils import meta

from generator import templating

ROOT = Path(__file__).resolve().parents[2]


def load_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("rl_hooks_under_test", ROOT / "overrides" / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


hooks = load_hooks()


def markdown_of(config: Path) -> markdown.Markdown:
    """Python-Markdown with the extensions of `config` (mkdocs.yml), as MkDocs makes it per page."""
    # mkdocs.yml may hold !ENV and other MkDocs tags; only markdown_extensions is read here.
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda *_: None)
    data: dict[str, Any] = yaml.load(config.read_text(encoding="utf-8"), Loader=Loader)
    names, configs = [], {}
    for item in data["markdown_extensions"]:
        if isinstance(item, dict):
            ((name, options),) = item.items()
            names.append(name)
            configs[name] = options or {}
        else:
            names.append(item)
    return markdown.Markdown(extensions=names, extension_configs=configs)


def convert(config: Path, text: str) -> str:
    return str(markdown_of(config).convert(text))


def around(config: Path, text: str, digests: object) -> tuple[str, list[str]]:
    swapped, blocks = hooks.set_aside(text, digests)
    return hooks.put_back(convert(config, swapped), blocks), blocks


def test_the_hook_and_the_generator_name_a_block_alike() -> None:
    blocks = ("<p>x</p>", "\n<ul>\n<li>é</li>\n</ul>\n", '<div class="rl-cite">\n<pre>@a{b}</pre>\n</div>')
    for block in blocks:
        assert hooks.block_digest(block) == templating.block_digest(block)
    assert hooks.HTML_BLOCKS == templating.HTML_BLOCKS


def test_every_shipped_page_comes_out_of_markdown_byte_for_byte_as_before(shipped_build: Path) -> None:
    config = shipped_build / "mkdocs.yml"
    with_blocks = 0
    set_aside = 0
    for path in sorted((shipped_build / "docs").rglob("*.md")):
        body, data = meta.get_data(path.read_text(encoding="utf-8"))
        digests = data.get(templating.HTML_BLOCKS)
        html, blocks = around(config, body, digests)
        assert html == convert(config, body), path
        if digests:
            with_blocks += 1
            set_aside += len(blocks)
            assert {hooks.block_digest(b) for b in blocks} == set(digests), path
    assert with_blocks >= 215  # every paper page
    assert set_aside >= 3 * 215  # its abstract, related papers and cite block at least, on most


def test_a_page_lists_the_blocks_the_template_wrote_and_nothing_else(shipped_build: Path) -> None:
    page = next((shipped_build / "docs" / "papers").glob("*.md")).read_text(encoding="utf-8")
    body, data = meta.get_data(page)
    paragraphs = {hooks.block_digest(p): p for p in body.split("\n\n")}
    listed = [paragraphs[d] for d in data[templating.HTML_BLOCKS]]
    assert all(p.lstrip("\n").startswith("<") for p in listed)
    assert any('class="rl-abstract"' in p for p in listed)
    assert not any(p.startswith("#") for p in listed)


HOSTILE = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    "notes",
    [
        # a code block quoting a generated block, word for word: Markdown must still escape it
        "```\n\n{block}\n\n```",
        "~~~html\n\n{block}\n\n~~~",
        "    {block}",
        "> {block}",
    ],
)
def test_a_curators_copy_of_a_generated_block_is_left_to_markdown(notes: str) -> None:
    block = f'<p class="rl-abstract">Abstract {HOSTILE.replace("<", "&lt;")}</p>'
    config = ROOT / "mkdocs.yml"
    body = f"{block}\n\n## Curator's notes\n\n{notes.format(block=block)}\n\n## Cite\n"
    html, _blocks = around(config, body, [hooks.block_digest(block)])
    assert html == convert(config, body)
    assert HOSTILE not in html


def test_a_token_a_page_could_name_is_never_one_of_this_build() -> None:
    """The token is drawn for each build: text written before it cannot hold it."""
    other = load_hooks()
    assert other.TOKEN != hooks.TOKEN and len(hooks.TOKEN) >= 20


def test_a_block_markdown_lost_fails_loudly() -> None:
    with pytest.raises(ValueError, match="HTML blocks set aside"):
        hooks.put_back("<p>nothing here</p>", ["<p>x</p>"])
