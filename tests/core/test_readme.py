"""The README stays true to the code: its commands, flags, targets, fields and screenshot exist."""

from __future__ import annotations

import re

from generator.cli import make_parser
from generator.load import PAPER_FIELDS
from generator.model import STATUSES

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _subcommands() -> dict[str, set[str]]:
    parser = make_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return {
        name: {s for action in p._actions for s in action.option_strings}
        for name, p in sub.choices.items()  # type: ignore[union-attr]
    }


def test_the_two_commands_are_make_targets() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    quick_start = README[README.index("## Quick start") : README.index("## Commands")]
    assert re.findall(r"^make \w+", quick_start, re.MULTILINE) == ["make site", "make test", "make serve"]
    for target in re.findall(r"`make (\w+)`", README):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target


def test_every_documented_command_and_flag_exists() -> None:
    commands = _subcommands()
    table = README[README.index("## Commands") : README.index("### Importing again")]
    rows = re.findall(r"^\| `(\w+)([^`]*)`", table, re.MULTILINE)
    assert {name for name, _ in rows} == set(commands)
    for name, rest in rows:
        for flag in re.findall(r"--[a-z-]+", rest):
            assert flag in commands[name], f"{name} {flag}"


def test_content_fields_and_statuses_are_documented() -> None:
    for field in PAPER_FIELDS:
        assert f"`{field}`" in README, field
    for status in STATUSES:
        assert f"`{status}`" in README, status


def test_screenshot_is_a_png_in_the_repository() -> None:
    (path,) = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    data = (ROOT / path).read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 20_000
