"""What readers download and wait for when they search: `python benchmarks/search_latency.py`.

For each size N (default 2,000 and 10,000 papers) it writes a synthetic list with
benchmarks/make_list.py, builds the site, and reports the size of Material's search index
(raw and gzipped, as GitHub Pages sends it) and of the whole site. Then, in headless Chromium
against the site served on localhost, medians over --runs fresh browser contexts of:

- index ready: from opening the home page until the search worker has loaded and indexed
  search_index.json (Material fetches it on every full page load, not on the first search);
- first query: a query put in the search box as soon as the page's HTML is parsed, until
  its results are shown: it waits for the index, as a reader typing at once does;
- later query: a query once the index is ready (median over a few queries);
- main-thread blocking: Chromium's long tasks (> 50 ms) while the page loads the index,
  their total beyond 50 ms each (total blocking time) and the longest: the page freezes then.

Wall-clock times depend on what else the machine runs. When Node is installed, the script
also runs Material's search worker on the same index in Node (benchmarks/search_worker.js)
and reports the CPU time it spends indexing, the heap it keeps and the peak memory: numbers
that stay put on a busy machine.

`--repo PATH` builds with another checkout's generator, mkdocs.yml and overrides (e.g. an
earlier commit unpacked with `git archive`), to compare before and after a change.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make `tests` importable
    sys.path.insert(0, str(REPO))

from tests.browser.helpers import (  # noqa: E402
    VIEWPORT,
    build_site,
    copy_project,
    launch,
    missing_browser_tools,
    run_query,
    serve,
)

WORKER_JS = REPO / "benchmarks" / "search_worker.js"
FIRST_QUERY = "transformer"
LATER_QUERIES = ["low-bit", "RISC-V", "compiler", "theorem proving", "quantum"]
TIMEOUT_MS = 600_000

# Records long tasks from the start of the page, before Material's scripts run.
LONGTASKS_JS = """
window.__longtasks = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__longtasks.push([e.startTime, e.duration]);
}).observe({type: 'longtask', buffered: true});
"""
READY_JS = """
() => /type to start/i.test(document.querySelector('.md-search-result__meta').textContent)
"""


@dataclass(frozen=True)
class Sizes:
    papers: int
    index_bytes: int
    index_gzip_bytes: int
    index_docs: int
    site_bytes: int
    build_s: float | None


@dataclass(frozen=True)
class WorkerCost:
    """Material's search worker run in Node on the index: CPU time and memory."""

    index_cpu_s: float
    later_query_cpu_ms: float
    heap_mb: float
    peak_rss_mb: float


@dataclass(frozen=True)
class Timings:
    ready_ms: float
    first_ms: float
    first_since_open_ms: float
    later_ms: float
    blocking_ms: float
    longest_task_ms: float
    first_hits: int


def make_site(n: int, work: Path, repo: Path, reuse: bool) -> tuple[Path, Sizes]:
    content = work / f"content-{n}"
    if not (content / "topics.yml").is_file():
        subprocess.run(
            [sys.executable, str(REPO / "benchmarks" / "make_list.py"), str(n), str(content)], check=True
        )
    project = work / f"project-{n}"
    site = project / "site"
    build_s = None
    if not (reuse and (site / "search" / "search_index.json").is_file()):
        shutil.rmtree(project, ignore_errors=True)
        copy_project(project, content=content, repo=repo)
        start = time.perf_counter()
        build_site(project, repo=repo)
        build_s = time.perf_counter() - start
    index = (site / "search" / "search_index.json").read_bytes()
    return site, Sizes(
        papers=n,
        index_bytes=len(index),
        index_gzip_bytes=len(gzip.compress(index, compresslevel=6)),
        index_docs=len(json.loads(index)["docs"]),
        site_bytes=sum(f.stat().st_size for f in site.rglob("*") if f.is_file()),
        build_s=build_s,
    )


def measure_worker(site: Path) -> WorkerCost | None:
    """Run Material's search worker of this site in Node; None without Node."""
    node = shutil.which("node")
    workers = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if node is None or not workers:
        return None
    proc = subprocess.run(
        [
            node,
            "--expose-gc",
            str(WORKER_JS),
            str(workers[0]),
            str(site / "search" / "search_index.json"),
            FIRST_QUERY,
            *LATER_QUERIES,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(proc.stdout)
    return WorkerCost(
        index_cpu_s=out["indexMs"] / 1000,
        later_query_cpu_ms=statistics.median(out["queryMs"][1:]),
        heap_mb=out["heapMB"],
        peak_rss_mb=out["peakRssMB"],
    )


def measure_once(browser: Any, base_url: str) -> Timings:
    # A fresh context each run: nothing cached, as for a reader's first visit.
    context = browser.new_context(viewport=VIEWPORT, base_url=base_url)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.add_init_script(LONGTASKS_JS)
        page.goto("/", wait_until="domcontentloaded")
        hits, first_ms = run_query(page, FIRST_QUERY, TIMEOUT_MS)
        since_open = float(page.evaluate("performance.now()"))
        tasks: list[list[float]] = page.evaluate("window.__longtasks")
        page.close()

        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto("/", wait_until="domcontentloaded")
        page.wait_for_function(READY_JS, polling=20)
        ready_ms = float(page.evaluate("performance.now()"))
        later = [run_query(page, q, TIMEOUT_MS)[1] for q in LATER_QUERIES]
        return Timings(
            ready_ms=ready_ms,
            first_ms=first_ms,
            first_since_open_ms=since_open,
            later_ms=statistics.median(later),
            blocking_ms=sum(max(0.0, d - 50) for _s, d in tasks),
            longest_task_ms=max((d for _s, d in tasks), default=0.0),
            first_hits=len(hits),
        )
    finally:
        context.close()


def median_timings(runs: list[Timings]) -> Timings:
    def med(name: str) -> float:
        return float(statistics.median(getattr(t, name) for t in runs))

    return Timings(
        ready_ms=med("ready_ms"),
        first_ms=med("first_ms"),
        first_since_open_ms=med("first_since_open_ms"),
        later_ms=med("later_ms"),
        blocking_ms=med("blocking_ms"),
        longest_task_ms=med("longest_task_ms"),
        first_hits=runs[0].first_hits,
    )


def mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


def render_table(rows: list[tuple[Sizes, Timings, WorkerCost | None]], runs: int) -> str:
    lines = [
        "| papers | index | gzipped | entries | site | build | index ready | first query (since open) "
        "| later query | main-thread blocking (longest) | worker CPU to index | worker heap | peak RSS |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s, t, w in rows:
        build = f"{s.build_s:.0f} s" if s.build_s is not None else "(reused)"
        worker = (
            f"{w.index_cpu_s:.1f} s | {w.heap_mb:.0f} MB | {w.peak_rss_mb:.0f} MB" if w else "no node | | "
        )
        lines.append(
            f"| {s.papers:,} | {mb(s.index_bytes)} | {mb(s.index_gzip_bytes)} | {s.index_docs:,} "
            f"| {mb(s.site_bytes)} | {build} | {t.ready_ms / 1000:.1f} s "
            f"| {t.first_ms / 1000:.1f} s ({t.first_since_open_ms / 1000:.1f} s) | {t.later_ms:.0f} ms "
            f"| {t.blocking_ms:.0f} ms ({t.longest_task_ms:.0f} ms) | {worker} |"
        )
    lines.append(f"\nBrowser times: medians of {runs} fresh contexts; worker: one run in Node.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[2000, 10000], help="list sizes")
    parser.add_argument("--runs", type=int, default=3, help="fresh browser contexts per size")
    parser.add_argument("--workdir", type=Path, help="keep lists and sites here (default: a temp dir)")
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout whose generator and config build")
    parser.add_argument(
        "--reuse", action="store_true", help="measure a site already built in --workdir instead of building"
    )
    args = parser.parse_args(argv)
    missing = missing_browser_tools()
    if missing:
        parser.error("; ".join(missing))
    from playwright.sync_api import sync_playwright

    work = args.workdir or Path(tempfile.mkdtemp(prefix="search-latency-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for n in args.sizes:
                site, sizes = make_site(n, work, args.repo.resolve(), args.reuse)
                print(f"{n} papers: {sizes}", file=sys.stderr)
                with serve(site) as base_url:
                    runs = [measure_once(browser, base_url) for _ in range(args.runs)]
                for i, t in enumerate(runs):
                    print(f"  run {i + 1}: {t}", file=sys.stderr)
                worker = measure_worker(site)
                print(f"  worker in node: {worker}", file=sys.stderr)
                rows.append((sizes, median_timings(runs), worker))
            browser.close()
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(render_table(rows, args.runs))
    print(
        f"\n{platform.machine()}, {platform.processor() or '?'} ({_cpus()} CPUs), Python "
        f"{platform.python_version()}, {browser_version()}; first query {FIRST_QUERY!r}, later "
        f"queries {LATER_QUERIES}; repo {args.repo}; load average {os.getloadavg()[0]:.1f} at the end"
    )
    return 0


def _cpus() -> int:
    return os.cpu_count() or 0


def browser_version() -> str:
    from tests.browser.helpers import CHROMIUM

    out = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, check=False)
    return out.stdout.strip() or "chromium ?"


if __name__ == "__main__":
    raise SystemExit(main())
