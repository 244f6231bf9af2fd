"""What readers download and wait for when they search (Pagefind): `python benchmarks/search_latency.py SITE`.

SITE is a built site (site/ of `python -m generator build`, with its pagefind/ index).
In headless Chromium against SITE served on localhost, each run in a fresh browser
context (an empty cache), it measures:

- page view: the bytes a page view fetches (the home page, then a paper page, until the
  network is idle), and how many of them are search files (pagefind/, Material's search/
  index or lunr worker): the target is none;
- first query: a cold load of the home page, then a query typed at once into the search
  box: the milliseconds from typing until the results are drawn, and the bytes of search
  files fetched for it (Pagefind's script, worker, WebAssembly, metadata, index chunks and
  the fragments of the results drawn);
- later query: a second query in the same page (the index already loaded).

Bytes are the response bodies as the local server sends them (uncompressed); Pagefind's
index files are gzipped by Pagefind itself, its scripts are not (a server that gzips sends
those smaller).  `benchmarks/run.py` calls `measure_search` for each list it builds, and
`index_site` (through `--index ROOT SITE`) to time the indexing of its mkdocs build.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make `tests` and `generator` importable
    sys.path.insert(0, str(REPO))

from tests.browser.helpers import VIEWPORT, launch, missing_browser_tools, run_query, serve  # noqa: E402

FIRST_QUERY = "transformer"
LATER_QUERY = "RISC-V"
TIMEOUT_MS = 120_000


@dataclass
class SearchCost:
    """Medians over the runs."""

    page_view_bytes: int
    page_view_search_bytes: int
    first_query_ms: float
    first_query_bytes: int
    later_query_ms: float
    runs: int


def is_search_file(path: str) -> bool:
    return (
        path.startswith("/pagefind/")
        or path.startswith("/search/")
        or "lunr" in path
        or "workers/search" in path
    )


def _track(page: Any) -> list[tuple[str, int]]:
    """(path, body bytes) of every response the page (and its workers) receives from now on."""
    got: list[tuple[str, int]] = []

    def finished(request: Any) -> None:
        try:
            size = int(request.sizes()["responseBodySize"])
        except Exception:  # a request the browser dropped has no sizes
            size = 0
        got.append((urlsplit(request.url).path, size))

    page.on("requestfinished", finished)
    return got


def measure_once(browser: Any, base_url: str, paper: str) -> SearchCost:
    context = browser.new_context(viewport=VIEWPORT, base_url=base_url)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        seen = _track(page)
        page.goto("/")
        page.wait_for_load_state("networkidle")
        page.goto(paper)
        page.wait_for_load_state("networkidle")
        view = sum(size for _, size in seen)
        view_search = sum(size for path, size in seen if is_search_file(path))
    finally:
        context.close()
    context = browser.new_context(viewport=VIEWPORT, base_url=base_url)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        seen = _track(page)
        page.goto("/", wait_until="domcontentloaded")
        hits, first_ms = run_query(page, FIRST_QUERY, TIMEOUT_MS)
        assert hits, f"{FIRST_QUERY!r} found nothing"
        first_bytes = sum(size for path, size in seen if is_search_file(path))
        _hits, later_ms = run_query(page, LATER_QUERY, TIMEOUT_MS)
    finally:
        context.close()
    return SearchCost(view, view_search, first_ms, first_bytes, later_ms, 1)


def measure_search(site: Path, runs: int = 3) -> SearchCost | None:
    """The medians of `runs` measurements of `site`; None when the browser tools are missing."""
    if missing_browser_tools():
        return None
    from playwright.sync_api import sync_playwright

    paper = next((site / "papers").glob("*/index.html")).parent.name
    with serve(site) as base_url, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            samples = [measure_once(browser, base_url, f"/papers/{paper}/") for _ in range(runs)]
        finally:
            browser.close()
    return SearchCost(
        page_view_bytes=int(statistics.median(s.page_view_bytes for s in samples)),
        page_view_search_bytes=max(s.page_view_search_bytes for s in samples),
        first_query_ms=statistics.median(s.first_query_ms for s in samples),
        first_query_bytes=int(statistics.median(s.first_query_bytes for s in samples)),
        later_query_ms=statistics.median(s.later_query_ms for s in samples),
        runs=runs,
    )


def index_site(root: Path, site: Path) -> int:
    """Write the Pagefind index of the project at `root` (generated before) into `site`."""
    from generator import indexing, pipeline, searchindex
    from generator.progress import Progress

    project = pipeline.Project(root)
    progress = Progress(quiet=True)
    memo = project.memo()
    built = pipeline._known_site(project, progress, memo, memo.scan(project.content, project.mkdocs_yml))
    documents = [(r.url, searchindex.record_html(r)) for r in searchindex.records(built)]
    indexing.write_search_index(documents, site, progress)
    return len(documents)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, nargs="?", help="a built site with its pagefind/ index")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--index", nargs=2, type=Path, metavar=("ROOT", "SITE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.index:
        index_site(*args.index)
        return 0
    if args.site is None:
        parser.error("give the site folder to measure")
    cost = measure_search(args.site, args.runs)
    if cost is None:
        print("browser tools missing: " + "; ".join(missing_browser_tools()), file=sys.stderr)
        return 1
    for key, value in asdict(cost).items():
        print(f"{key}: {value:,.0f}" if isinstance(value, (int, float)) else f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
