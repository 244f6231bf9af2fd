"""Write the site's search index: Pagefind over the generator's records (generator/searchindex.py),
into the new site/ before it replaces the old one (`site.build`'s `finish`), or the index
built before when nothing it holds changed; then the facet ids the list pages' filters use.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .facetfile import FACETS_FILE, SEARCH_IDS_FILE, search_ids
from .progress import Progress
from .site import SiteError
from .write import replace_file

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

    The documents go to Pagefind's command as one folder of files (`<url>index.html`), not
    to its Python API: the API reads each answer after a 0.1 s sleep (17 minutes for 10,000
    pages one message each), and can end Pagefind before its last files are written (`_pagefind`).

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
    # The record pages go inside the site being built: a run killed here leaves them in the
    # `.site.new-*` folder that the next run removes, not in /tmp (40 MB at 10,000 papers).
    with tempfile.TemporaryDirectory(prefix=".search-", dir=out.parent) as tmp:
        folder = Path(tmp)
        for url, html in documents:
            path = folder / url / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
        count = _pagefind(folder, out, language)
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


def _pagefind(folder: Path, out: Path, language: str) -> int:
    """Run Pagefind's command over `folder` into `out`; the number of pages it indexed.

    Its command, not its Python API: the API's service answers "files written" while its last
    writes are still under way, and the API then ends the service, which under load leaves files
    of the index empty or cut short (Pagefind issue #1271; the fix, PR #1272, is in no release
    yet). The command returns only when every file is written. It runs in `folder`, with no
    PAGEFIND_* settings but the binary's path, so that no pagefind.yml or variable of the
    project or the caller changes what it does.
    """
    from pagefind.service import get_executable

    program = get_executable()
    if program is None:
        raise SiteError("search index: no Pagefind binary; pip install -r requirements.txt installs it")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    command = [str(program), "--site", ".", "--output-path", str(out.absolute())]
    command += ["--force-language", language, "--silent"]
    try:
        proc = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, errors="replace")
    except OSError as exc:
        raise SiteError(f"search index: cannot run Pagefind ({exc.strerror}); site/ is unchanged") from None
    if proc.returncode != 0:
        said = " ".join((proc.stderr or proc.stdout).split())[-500:] or f"exit status {proc.returncode}"
        raise SiteError(f"search index: Pagefind failed ({said}); site/ is unchanged")
    try:
        entry = json.loads((out / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(int(lang["page_count"]) for lang in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SiteError(f"search index: Pagefind wrote no readable pagefind-entry.json ({exc})") from None
