"""Everything MkDocs: reading mkdocs.yml, writing its nav block, building site/.

The generator writes one block of mkdocs.yml, the topic entries of the nav,
between two marker lines.  It never deletes a line outside that block, keeps
the file's line endings, mode and symbolic link, and never writes a file that
does not read back to the nav intended.  `mkdocs build --strict` builds into
a folder beside site/ that replaces site/ only when the build succeeds.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import json
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

from .facetfile import FACETS_FILE, SEARCH_IDS_FILE, search_ids
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


#: Where the search index goes in the site.
SEARCH_DIR = "pagefind"


def write_search_index(
    documents: Sequence[tuple[str, str]],
    site: Path,
    progress: Progress,
    language: str = "en",
    *,
    reuse: tuple[Path, Path] | None = None,
) -> None:
    """Index `documents` ((url relative to the site root, html) pairs) with Pagefind into
    `site`/pagefind/.  SiteError if Pagefind cannot run or misses a document.

    The documents go to Pagefind as one folder of files (`<url>index.html`), not one
    message each: the Python API reads each answer of the Pagefind process after a
    0.1 s sleep, 17 minutes for 10,000 pages.

    `reuse` is (the site built before, a stamp file): the stamp holds a digest of what the
    index was built from (the documents, the language, Pagefind's version) and of every file
    it wrote.  When the documents give the same digest and the old site's pagefind/ holds
    exactly those files, byte for byte, they are copied instead (Pagefind takes about 30 s at
    10,000 papers); otherwise Pagefind runs and the stamp is rewritten.
    """
    key = _search_key(documents, language)
    out = site / SEARCH_DIR
    with progress.stage("search index") as line:
        if reuse is not None and _reuse_index(key, reuse[0] / SEARCH_DIR, reuse[1], out):
            line.detail = f"{len(documents)} pages, unchanged: the index built before is kept"
        else:
            _index(documents, language, out, reuse, key)
            line.detail = f"{len(documents)} pages indexed"
        # The list pages' filters answer words with the index's ids of their papers (facetfile);
        # written after the stamp, which leaves this file out: facets.json may change alone.
        facets = site / FACETS_FILE
        if facets.is_file():
            ids = search_ids(facets.read_text(encoding="utf-8"), site / SEARCH_DIR / "fragment")
            (site / SEARCH_IDS_FILE).write_text(ids, encoding="utf-8")


def _index(
    documents: Sequence[tuple[str, str]], language: str, out: Path, reuse: tuple[Path, Path] | None, key: str
) -> None:
    """Run Pagefind over `documents` into `out`; with `reuse`, write the stamp of what it wrote."""
    if reuse is not None:
        reuse[1].unlink(missing_ok=True)  # a stamp never describes an index being replaced
    with tempfile.TemporaryDirectory(prefix=".search-") as tmp:
        folder = Path(tmp)
        for url, html in documents:
            path = folder / url / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
        try:
            # In a thread of its own: asyncio.run refuses a thread that already runs a loop
            # (a caller's, such as Playwright's in the tests).
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                count = pool.submit(asyncio.run, _pagefind(folder, out, language)).result()
        except SiteError:
            raise
        except Exception as exc:  # the service raises bare Exceptions with Pagefind's message
            raise SiteError(f"search index: Pagefind failed ({exc}); site/ is unchanged") from None
    if count != len(documents):
        raise SiteError(
            f"search index: Pagefind indexed {count} of {len(documents)} pages; site/ is unchanged"
        )
    if reuse is not None:
        reuse[1].parent.mkdir(parents=True, exist_ok=True)
        stamp = {"key": key, "files": _digests(out)}
        replace_file(reuse[1], json.dumps(stamp, sort_keys=True).encode("utf-8"))


def _search_key(documents: Sequence[tuple[str, str]], language: str) -> str:
    """A digest of everything the index is made from."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"pagefind {version('pagefind')}\0{language}\0".encode())
    for url, html in documents:
        for part in (url.encode("utf-8"), html.encode("utf-8")):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return digest.hexdigest()


def _digests(folder: Path) -> dict[str, str]:
    """Every file under `folder` (a link or anything but a plain file counts as a changed one)."""
    out: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if f"{SEARCH_DIR}/{rel}" == SEARCH_IDS_FILE:
            continue  # written after the stamp, from facets.json
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            out[rel] = "not a plain file"
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _reuse_index(key: str, old: Path, stamp: Path, out: Path) -> bool:
    """Copy `old` to `out` if `stamp` says it is the index of `key` and `old` is as it was written."""
    try:
        written = json.loads(stamp.read_text(encoding="utf-8"))
        if not isinstance(written, dict) or written.get("key") != key or not old.is_dir() or old.is_symlink():
            return False
        if not written.get("files") or _digests(old) != written["files"]:
            return False
        shutil.copytree(old, out)
    except (OSError, ValueError):
        shutil.rmtree(out, ignore_errors=True)
        return False
    return True


async def _pagefind(folder: Path, out: Path, language: str) -> int:
    from pagefind.index import PagefindIndex
    from pagefind.service import get_executable

    if get_executable() is None:
        raise SiteError("search index: no Pagefind binary; pip install -r requirements.txt installs it")
    async with PagefindIndex(config={"force_language": language, "output_path": str(out)}) as index:
        done = await index.add_directory(str(folder))
    return int(done["page_count"])


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
