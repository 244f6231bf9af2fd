"""Everything MkDocs: reading mkdocs.yml, writing its nav block, building site/.

The generator writes one block of mkdocs.yml, the topic entries of the nav,
between two marker lines.  It never deletes a line outside that block, keeps
the file's line endings, mode and symbolic link, and never writes a file that
does not read back to the nav intended.  `mkdocs build --strict` builds into
a folder beside site/ that replaces site/ only when the build succeeds.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .model import Taxonomy
from .progress import Progress
from .write import replace_file

NAV_BEGIN = "# BEGIN topics: written by `python -m generator generate` from content/topics.yml"
NAV_END = "# END topics"
#: A nav entry as this module writes it: `- <title>: topics/<id>.md`.
_ENTRY = re.compile(r"^(?P<indent> *)- .*: topics/[a-z0-9-]+\.md\s*$")


class SiteError(Exception):
    """mkdocs.yml or the MkDocs build cannot go on; the message says where and why."""


@dataclass(frozen=True)
class Settings:
    """What the generator reads from mkdocs.yml: feeds and citations need the site's address and name."""

    site_url: str = ""
    site_name: str = "Reading list"


class _ConfigLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader that reads MkDocs' own tags (!ENV, !!python/name:…) as null."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def parse_config(text: str) -> dict[str, Any]:
    """mkdocs.yml as a mapping; SiteError with `mkdocs.yml:line:col` if it is not one."""
    try:
        config = yaml.load(text, Loader=_ConfigLoader)  # a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        raise SiteError(f"mkdocs.yml:{where}: {exc.problem or 'invalid YAML'}") from None
    except yaml.YAMLError as exc:
        raise SiteError(f"mkdocs.yml:1:1: {exc}") from None
    if not isinstance(config, dict):
        raise SiteError("mkdocs.yml:1:1: expected a mapping of settings")
    return config


def read_settings(text: str) -> Settings:
    config = parse_config(text)
    # MkDocs refuses a config without site_name; the fallback only serves a half-written file.
    return Settings(str(config.get("site_url") or ""), str(config.get("site_name") or "Reading list"))


def render_nav(text: str, taxonomy: Taxonomy) -> str:
    """Return mkdocs.yml with the topic entries of its nav block brought up to date.

    Raises SiteError, naming the line, when the block is missing, repeated or
    out of order, when a line inside it is not an entry this function wrote (a
    user's entry would be lost), or when the result would not read back to the
    same nav with the topics in the block's place.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    begins = [i for i, line in enumerate(lines) if line.strip() == NAV_BEGIN]
    ends = [i for i, line in enumerate(lines) if line.strip() == NAV_END]
    if len(begins) != 1 or len(ends) != 1:
        found = begins[1:2] or ends[1:2]
        where = f"mkdocs.yml:{found[0] + 1}:1" if found else "mkdocs.yml:1:1"
        raise SiteError(
            f"{where}: nav: expected one '{NAV_BEGIN[:14]}…' line and one '{NAV_END}' line in the nav, "
            f"found {len(begins)} and {len(ends)}; the topic entries go between them"
        )
    begin, end = begins[0], ends[0]
    indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
    if end < begin or lines[end][: len(lines[end]) - len(lines[end].lstrip())] != indent:
        raise SiteError(
            f"mkdocs.yml:{end + 1}:1: nav: '{NAV_END}' must come after '{NAV_BEGIN[:14]}…' "
            f"(line {begin + 1}), indented the same"
        )
    for i in range(begin + 1, end):
        line = lines[i]
        m = _ENTRY.match(line)
        if line.strip() and (m is None or m.group("indent") != indent):
            raise SiteError(
                f"mkdocs.yml:{i + 1}:1: nav: {line.strip()[:60]!r} is inside the block that "
                f"`generate` rewrites (lines {begin + 1}-{end + 1}); move it above or below the block"
            )
    entries = _entries(taxonomy, indent)
    new = newline.join([*lines[: begin + 1], *entries, *lines[end:]])
    _check_nav(text, new, begin, end, taxonomy)
    return new


def _entries(taxonomy: Taxonomy, indent: str) -> list[str]:
    """The topic entries, in the curator's order, written by a YAML emitter."""
    items = [{t.title: f"topics/{t.id}.md"} for t in taxonomy.topics]
    dumped = yaml.dump(
        items, Dumper=yaml.SafeDumper, allow_unicode=True, width=10**6, default_flow_style=False
    )
    return [indent + line for line in dumped.splitlines()]


def _check_nav(old: str, new: str, begin: int, end: int, taxonomy: Taxonomy) -> None:
    """Refuse a new mkdocs.yml that does not read back to the old nav with the topics put in."""
    wanted = [{t.title: f"topics/{t.id}.md"} for t in taxonomy.topics]
    before = parse_config(old).get("nav")
    try:
        found = _strip_block(parse_config(new).get("nav"), wanted)
    except SiteError:  # the entries do not even parse where the block stands
        found = None
    if found is None or _strip_block(before, None) != found:
        raise SiteError(
            f"mkdocs.yml:{begin + 1}:1: nav: writing the topics between lines {begin + 1} and {end + 1} "
            "would not give the nav intended (is the block inside a list of the nav?); nothing was written"
        )


def _strip_block(nav: object, wanted: list[dict[str, str]] | None) -> object:
    """`nav` without its topic entries; None if `wanted` is not found in it, in order, as one run."""
    hits = 0

    def walk(node: object) -> object:
        nonlocal hits
        if isinstance(node, list):
            out: list[object] = []
            items = list(node)
            i = 0
            while i < len(items):
                item = items[i]
                if _is_topic_entry(item):
                    run = []
                    while i < len(items) and _is_topic_entry(items[i]):
                        run.append(items[i])
                        i += 1
                    if wanted is not None and run == wanted:
                        hits += 1
                    continue
                out.append(walk(item))
                i += 1
            return out
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        return node

    stripped = walk(nav)
    if wanted is not None and hits != 1 and wanted:
        return None
    return stripped


def _is_topic_entry(item: object) -> bool:
    return (
        isinstance(item, dict)
        and len(item) == 1
        and isinstance(next(iter(item.values())), str)
        and re.fullmatch(r"topics/[a-z0-9-]+\.md", next(iter(item.values()))) is not None
        and next(iter(item.values())) != "topics/index.md"
    )


def write_config(path: Path, text: str) -> bool:
    """Write mkdocs.yml if it changed: into the file a link points at, with the file's mode."""
    target = Path(os.path.realpath(path))
    data = text.encode("utf-8")
    try:
        if target.read_bytes() == data:
            return False
        mode = target.stat().st_mode & 0o7777
    except OSError:
        mode = 0o644
    replace_file(target, data)
    os.chmod(target, mode)
    return True


def build(
    root: Path,
    config: Path,
    site: Path,
    progress: Progress,
    pass_fds: Sequence[int] = (),
    finish: Callable[[Path], None] | None = None,
) -> None:
    """Run `mkdocs build --strict` into a folder beside `site`, then put it in its place.

    `pass_fds` go to the MkDocs process: the pipeline's lock, so that a run started
    while an orphaned build still writes waits for it.  `finish` completes the new
    folder before the swap (the search index): if it raises, site/ is unchanged.
    """
    tmp = Path(tempfile.mkdtemp(prefix=f".{site.name}.new-", dir=site.parent))
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "0")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config)]
    # Not --quiet: it hides warnings from the counter --strict fails on.
    cmd += ["--site-dir", str(tmp)]
    with progress.stage("mkdocs build") as line:
        pages = 0
        if line.progress.live:
            # MkDocs' debug log names each page as it reads it and as it builds it: the bar.
            cmd.append("--verbose")
            pages = sum(1 for _ in (root / "docs").rglob("*.md"))
        output: list[str] = []
        done = 0
        try:
            with subprocess.Popen(
                cmd,
                cwd=root,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                env=env,
                pass_fds=tuple(pass_fds),
            ) as proc:
                assert proc.stdout is not None
                for text in proc.stdout:
                    if text.startswith("DEBUG"):
                        if " Reading: " in text or " Building page " in text:
                            done += 1
                            line.tick(done, 2 * pages)
                        continue
                    output.append(text.rstrip("\n"))
            if proc.returncode != 0:
                problems = [text for text in output if text.startswith(("WARNING", "ERROR"))]
                detail = "\n".join(problems) or "\n".join(output).strip()
                raise SiteError(f"mkdocs build --strict failed; site/ is unchanged:\n{detail}")
            if finish is not None:
                finish(tmp)
            swap(tmp, site)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        line.detail = "site/ updated"


def swap(new: Path, dest: Path) -> None:
    """Put the folder `new` in the place of `dest`.  A kill between the two renames leaves
    `dest` missing and the old one beside it, which `recover` puts back."""
    old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
    os.rmdir(old)
    if os.path.lexists(dest):
        os.rename(dest, old)
    os.rename(new, dest)
    shutil.rmtree(old, ignore_errors=True)


def recover(dest: Path) -> None:
    """Undo a swap that a killed run left half done: put the old `dest` back if it is missing."""
    if os.path.lexists(dest):
        return
    olds = sorted(dest.parent.glob(f".{dest.name}.old-*"))
    if olds:
        os.rename(olds[-1], dest)
