"""Measure the generator at 215 (the shipped list), 2,000 and 10,000 papers.

    python benchmarks/run.py                 # the full benchmark; rewrites benchmarks/RESULTS.md
    python benchmarks/run.py --quick --out /tmp/r.md   # a small list, one run: checks the script

Every step runs in its own process, as a curator would run it, and is timed
from the outside: wall time, CPU time (user + system) and peak memory (the
child's maximum resident set size, from wait4).  Linux counts in that peak the
memory the child had before it exec'd, a copy of this process, so this
process stays small: it writes lists and dumps in subprocesses too.  Each step runs `--runs`
times and the table shows medians (the peak memory is the largest seen).
Synthetic lists come from benchmarks/make_list.py with its default seed.

Steps, for each list:
  import        a dump in the seed's format (title line, abstract line) into an empty project
  validate      `python -m generator validate`
  cold          `generate` with no docs/ and no .cache/: everything computed and written
  unchanged     `generate` again: nothing to do (the files it touched are counted: 0 expected)
  notes edit    `generate` after appending a sentence to one paper's notes
  related       generator.related.find_related alone, in a process that loaded the list first
  mkdocs build  `mkdocs build --strict` of the generated docs/
  search index  the Pagefind index of that build (what `build` adds after mkdocs), and then in
                Chromium (benchmarks/search_latency.py): the search bytes a page view fetches
                (none expected), and on a cold load the time and bytes to a first query's results
  baseline      `mkdocs build` of the same docs/ by a bare Material site (BASELINE_YML: Material,
                search and tags; no overrides, hooks, extra CSS or JavaScript, Markdown extensions
                or nav), the yardstick of issue 11's build-time target
  make site     `python -m generator build --strict` from nothing: generate, mkdocs build and
                the search index together (its CPU time over the baseline's is the target ratio);
                without --strict for synthetic lists, whose few near-duplicate titles it refuses
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make `generator` and `benchmarks` importable
    sys.path.insert(0, str(REPO))

from benchmarks.search_latency import measure_search  # noqa: E402

RESULTS = REPO / "benchmarks" / "RESULTS.md"
SEARCH = REPO / "benchmarks" / "search_latency.py"
BEGIN = "<!-- BEGIN measured: written by benchmarks/run.py, do not edit by hand -->"
END = "<!-- END measured -->"
STEPS = (
    "import",
    "validate",
    "cold",
    "unchanged",
    "notes edit",
    "related",
    "mkdocs build",
    "search index",
    "baseline mkdocs build",
    "make site",
)
#: The issue's targets: (step, papers, seconds, peak MB or None).
TARGETS = (
    ("cold", 10_000, 5.0, None),
    ("unchanged", 10_000, 1.0, None),
    ("notes edit", 10_000, 1.5, None),
    ("related", 10_000, 3.0, 1024.0),
    ("make site", 215, 15.0, None),
)
ENV = dict(os.environ, SOURCE_DATE_EPOCH="0", PYTHONHASHSEED="0")
#: Issue 11: `make site` at 10,000 papers in at most this share of the baseline's CPU time,
#: and a site (mkdocs build and search index) of at most this many MB.
RATIO_TARGET = 0.75
#: Issue 10: a cold `generate` under this share of `mkdocs build` (wall) in the same run.
COLD_SHARE_TARGET = 0.15
SITE_MB_TARGET = 467.0
#: The bare Material site that `make site` is measured against: a stock mkdocs.yml over the
#: same docs/ (written beside it, as baseline/mkdocs.yml), built without --strict, since the
#: docs' front matter and links are meant for our mkdocs.yml.  Its one template is the name
#: paper pages ask for (`template: paper.html`), Material's main.html as it is.  The nav is
#: left to MkDocs, of the pages that are in ours: `not_in_nav` as ours, since a nav of every
#: paper is copied into every page (at 10,000 papers, 4 MB a page: 40 GB, and hours).
BASELINE_YML = """\
site_name: Baseline
docs_dir: ../docs
theme:
  name: material
  custom_dir: stub
plugins:
  - search
  - tags
not_in_nav: |
  /papers/*.md
  /paths/*.md
"""
#: Lists up to this size get `--runs` mkdocs builds; bigger ones `--mkdocs-runs` (4 minutes each at 10,000).
MKDOCS_FEW = 2000


@dataclass
class Sample:
    wall: float
    cpu: float
    peak_mb: float
    note: str = ""


@dataclass
class Measure:
    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.peak_mb for s in self.samples)

    @property
    def notes(self) -> str:
        return "; ".join(dict.fromkeys(s.note for s in self.samples if s.note))


@dataclass
class ListResult:
    label: str
    papers: int
    steps: dict[str, Measure] = field(default_factory=dict)
    site_bytes: int = 0
    site_files: int = 0
    search_index_bytes: int = 0
    #: benchmarks/search_latency.py's SearchCost of the built site, when Chromium is there.
    search: dict[str, float] = field(default_factory=dict)
    docs_files: int = 0
    #: When, how (the command) and under what load (1-minute average, lowest and highest) it was measured.
    measured: str = ""
    command: str = ""
    load: tuple[float, float] = (0.0, 0.0)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ListResult:
        steps = {
            name: Measure([Sample(**sample) for sample in step["samples"]])
            for name, step in data["steps"].items()
        }
        return cls(**{**data, "steps": steps, "load": tuple(data["load"])})


def read_results(path: Path) -> list[ListResult]:
    """The lists measured before (the JSON beside RESULTS.md), so one size can be measured again."""
    try:
        return [ListResult.from_json(item) for item in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def merge_results(old: list[ListResult], new: list[ListResult]) -> list[ListResult]:
    kept = {r.label: r for r in old}
    kept.update((r.label, r) for r in new)
    return sorted(kept.values(), key=lambda r: (r.papers, r.label))


def measure(cmd: Sequence[str], cwd: Path = REPO) -> tuple[Sample, str]:
    """Run `cmd` and return its wall time, CPU time and peak RSS, and its stderr."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-3000:]}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024), stderr


def generator(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "generator", "--root", str(root), *args]


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def write_dump(content: Path, dest: Path) -> int:
    """Write the titles and abstracts of `content` as a dump in the seed's format (`--write-dump`)."""
    from generator.load import load_content

    loaded, problems = load_content(content)
    if loaded is None:
        raise SystemExit("cannot dump a list with errors:\n" + "\n".join(map(str, problems)))
    lines = [
        "Get trending papers in your email inbox once a day!",
        "Get trending papers in your email inbox!",
    ]
    for i, paper in enumerate(sorted(loaded.papers, key=lambda p: p.slug)):
        lines.append(("Subscribe" if i == 0 else "") + " ".join(paper.title.split()))
        lines.append(" ".join(paper.abstract.split()))
    dest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(loaded.papers)


def edit_notes(root: Path, run: int) -> None:
    """Append a sentence to the notes of one paper (the same paper each run, new words each time)."""
    papers = sorted((root / "content" / "papers").glob("*.md"))
    path = papers[len(papers) // 2]
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\nBenchmark edit {run}: compare the kernels with the previous version.\n")


def helper(args: Sequence[str]) -> None:
    """Run this script with `args` in a process of its own (see the module docstring)."""
    subprocess.run([sys.executable, str(Path(__file__)), *args], cwd=REPO, env=ENV, check=True)


def make_project(root: Path, size: str) -> str:
    """Make the project to measure at `root`: the shipped list or a synthetic one; return its label."""
    if size == "shipped":
        shutil.copytree(REPO / "content", root / "content")
        label = "shipped"
    else:
        subprocess.run(
            [sys.executable, str(REPO / "benchmarks" / "make_list.py"), size, str(root / "content")],
            cwd=REPO,
            env=ENV,
            check=True,
        )
        label = f"synthetic {int(size):,}"
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", root / "overrides")
    return label


def related_step(content: Path) -> None:
    """Print, as JSON, the time and memory of find_related in this process (for `related`)."""
    import resource

    from generator.load import load_content
    from generator.related import find_related

    loaded, _ = load_content(content)
    assert loaded is not None
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    cpu = time.process_time()
    find_related(loaded.papers)
    print(
        json.dumps(
            {
                "wall": time.perf_counter() - start,
                "cpu": time.process_time() - cpu,
                "loaded_mb": before,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def bench_list(label: str, root: Path, runs: int, mkdocs_runs: int, log: Callable[[str], None]) -> ListResult:
    """Run every step on the project at `root` (its content/ in place)."""
    papers = sum(1 for _ in (root / "content" / "papers").glob("*.md"))
    result = ListResult(label, papers)

    def add(step: str, sample: Sample) -> None:
        result.steps.setdefault(step, Measure()).samples.append(sample)
        log(f"  {label} {step}: {sample.wall:.2f} s wall, {sample.cpu:.2f} s cpu, {sample.peak_mb:.0f} MB")

    dump = root / "dump.txt"
    helper(["--write-dump", str(root / "content"), str(dump)])
    for i in range(runs):
        target = root / f"import-{i}"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir()
        sample, _ = measure(generator(target, "import", str(dump), "--added", "2024-01-01"))
        add("import", sample)
        shutil.rmtree(target)
    for _ in range(runs):
        add("validate", measure(generator(root, "validate"))[0])
    for i in range(runs):
        shutil.rmtree(root / "docs", ignore_errors=True)
        shutil.rmtree(root / ".cache", ignore_errors=True)
        add("cold", measure(generator(root, "generate"))[0])
        before = mtimes(root / "docs")
        sample, _ = measure(generator(root, "generate"))
        touched = sum(1 for rel, m in mtimes(root / "docs").items() if before.get(rel) != m)
        sample.note = f"{touched} files touched"
        add("unchanged", sample)
        edit_notes(root, i)
        before = mtimes(root / "docs")
        sample, stderr = measure(generator(root, "generate"))
        after = mtimes(root / "docs")
        written = re.search(r"^write: (\d+) written", stderr, re.MULTILINE)
        sample.note = f"{written.group(1) if written else '?'} of {len(after)} files written"
        add("notes edit", sample)
    result.docs_files = len(mtimes(root / "docs"))
    site = root / "site-bench"
    for _ in range(mkdocs_runs):
        shutil.rmtree(site, ignore_errors=True)
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(root / "mkdocs.yml")]
        add("mkdocs build", measure([*cmd, "-d", str(site)], cwd=root)[0])
    baseline = root / "baseline"
    baseline.mkdir(exist_ok=True)
    (baseline / "mkdocs.yml").write_text(BASELINE_YML, encoding="utf-8")
    (baseline / "stub").mkdir(exist_ok=True)
    (baseline / "stub" / "paper.html").write_text('{% extends "main.html" %}\n', encoding="utf-8")
    for _ in range(mkdocs_runs):
        shutil.rmtree(baseline / "site", ignore_errors=True)
        cmd = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(baseline / "mkdocs.yml")]
        add("baseline mkdocs build", measure([*cmd, "-d", str(baseline / "site")], cwd=baseline)[0])
    shutil.rmtree(baseline / "site", ignore_errors=True)
    add("search index", measure([sys.executable, str(SEARCH), "--index", str(root), str(site)])[0])
    files = [p for p in site.rglob("*") if p.is_file()]
    result.site_files = len(files)
    result.site_bytes = sum(p.stat().st_size for p in files)
    result.search_index_bytes = sum(p.stat().st_size for p in files if p.is_relative_to(site / "pagefind"))
    cost = measure_search(site, runs)
    if cost is not None:
        result.search = asdict(cost)
        log(f"  {label} search: {cost}")
    return result


def bench_related_json(root: Path, runs: int) -> Measure:
    """Time find_related inside its process (without loading the list), for the `related` row."""
    out = Measure()
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, str(Path(__file__)), "--related-step", str(root / "content")],
            cwd=REPO,
            env=ENV,
            capture_output=True,
            text=True,
            check=True,
        )
        data = json.loads(proc.stdout)
        note = f"{data['loaded_mb']:.0f} MB with the list loaded"
        out.samples.append(Sample(data["wall"], data["cpu"], data["peak_mb"], note))
    return out


def bench_make_site(root: Path, runs: int, strict: bool = True) -> Measure:
    """`python -m generator build --strict` from nothing, as `make site` runs it once the venv exists.

    Not --strict for synthetic lists: they have a few near-duplicate titles (warnings), which
    --strict refuses before building anything; the work is the same."""
    out = Measure()
    for _ in range(runs):
        for name in ("docs", "site", ".cache"):
            shutil.rmtree(root / name, ignore_errors=True)
        sample = measure(generator(root, "build", *(["--strict"] if strict else [])))[0]
        sample.note = "" if strict else "without --strict (a synthetic list: near-duplicate titles warn)"
        out.samples.append(sample)
    return out


def machine() -> list[str]:
    model = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    return [
        f"- CPU: {model}, {os.cpu_count()} cores",
        f"- RAM: {mem_kb / 1024 / 1024:.1f} GiB",
        f"- Python {platform.python_version()} on {platform.system()} {platform.release()}",
    ]


def fmt_step(m: Measure | None) -> str:
    if m is None:
        return "—"
    return f"{m.wall:.2f} s ({m.cpu:.2f} cpu, {m.peak_mb:.0f} MB)"


SEARCH_ROWS = ("search bytes of a page view", "first query, cold load", "later query")


def search_cell(name: str, c: dict[str, float]) -> str:
    """One cell of the search rows, from a list's SearchCost."""
    if name == SEARCH_ROWS[0]:
        return f"{c['page_view_search_bytes'] / 1e3:.0f} KB (page view: {c['page_view_bytes'] / 1e6:.2f} MB)"
    if name == SEARCH_ROWS[1]:
        return f"{c['first_query_ms']:.0f} ms, {c['first_query_bytes'] / 1e3:.0f} KB"
    return f"{c['later_query_ms']:.0f} ms"


def render(results: list[ListResult]) -> str:
    heads = [f"{r.label} ({r.papers:,} papers)" for r in results]
    commands = sorted({r.command for r in results})
    lines = [
        BEGIN,
        "",
        "Measured with " + ", then ".join(f"`{c}`" for c in commands) + " (see the last rows for when).",
        "",
        *machine(),
        "",
        "Each cell: the median of the runs (`--runs`, 3 by default; `--mkdocs-runs` for mkdocs builds of "
        f"lists over {MKDOCS_FEW:,} papers, which take minutes each) of wall time, then CPU time "
        "(user + system, of both processes when generate uses two) and peak memory (maximum resident "
        "set size). The machine is shared: the load average shows how much else ran, and CPU time is "
        "the steadier figure.",
        "",
        "| step | " + " | ".join(heads) + " |",
        "| --- | " + " | ".join("---" for _ in results) + " |",
    ]
    for step in STEPS:
        if all(step not in r.steps for r in results):
            continue
        lines.append(f"| {step} | " + " | ".join(fmt_step(r.steps.get(step)) for r in results) + " |")
    lines.append(
        "| docs/ files | " + " | ".join(f"{r.docs_files:,}" for r in results) + " |",
    )
    lines.append(
        "| site size | "
        + " | ".join(f"{r.site_bytes / 1e6:.1f} MB in {r.site_files:,} files" for r in results)
        + " |"
    )
    lines.append(
        "| search index (pagefind/) | "
        + " | ".join(f"{r.search_index_bytes / 1e6:.2f} MB" for r in results)
        + " |"
    )
    if any(r.search for r in results):
        for name in SEARCH_ROWS:
            lines.append(
                f"| {name} | "
                + " | ".join(search_cell(name, r.search) if r.search else "—" for r in results)
                + " |"
            )
    lines.append("| measured | " + " | ".join(r.measured for r in results) + " |")
    lines.append(
        "| load average | " + " | ".join(f"{r.load[0]:.1f} to {r.load[1]:.1f}" for r in results) + " |"
    )
    notes = [f"- {r.label}, {step}: {m.notes}" for r in results for step, m in r.steps.items() if m.notes]
    if notes:
        lines += ["", "Notes from the runs:", "", *notes]
    lines += ["", "Per paper (largest list, wall time):", ""]
    big = max(results, key=lambda r: r.papers)
    for step in ("import", "validate", "cold", "related", "mkdocs build"):
        if step in big.steps:
            lines.append(f"- {step}: {big.steps[step].wall / big.papers * 1000:.2f} ms a paper")
    lines += ["", "Targets:", "", "| target | measured | met |", "| --- | --- | --- |"]
    for step, papers, seconds, mb in TARGETS:
        r = next((r for r in results if r.papers == papers or (papers == 215 and r.label == "shipped")), None)
        m = r.steps.get(step) if r else None
        if m is None:
            continue
        ok = m.wall < seconds and (mb is None or m.peak_mb < mb)
        goal = f"{step} at {papers:,} papers under {seconds:g} s" + (f" and {mb:g} MB" if mb else "")
        lines.append(f"| {goal} | {m.wall:.2f} s, {m.peak_mb:.0f} MB | {'yes' if ok else '**no**'} |")
    for r in results:
        if r.papers >= 10_000 and r.search:
            c = r.search
            for goal, ok, name in (
                ("no search bytes fetched by a page view", c["page_view_search_bytes"] == 0, SEARCH_ROWS[0]),
                ("first query under 1 s from a cold load", c["first_query_ms"] < 1000, SEARCH_ROWS[1]),
                ("first query fetches at most 500 KB", c["first_query_bytes"] <= 500_000, SEARCH_ROWS[1]),
            ):
                lines.append(
                    f"| {goal} at {r.papers:,} | {search_cell(name, c)} | {'yes' if ok else '**no**'} |"
                )
        site_mb = r.site_bytes / 1e6
        if r.papers >= 10_000 and r.site_bytes:
            lines.append(
                f"| site size at {r.papers:,} at most {SITE_MB_TARGET:g} MB | {site_mb:.1f} MB in "
                f"{r.site_files:,} files | {'yes' if site_mb <= SITE_MB_TARGET else '**no**'} |"
            )
        made, base = r.steps.get("make site"), r.steps.get("baseline mkdocs build")
        if (r.papers >= 10_000 or r is big) and made and base:
            ratio = made.cpu / base.cpu
            lines.append(
                f"| make site CPU at most {RATIO_TARGET:g}× the baseline's mkdocs build at {r.papers:,} | "
                f"{ratio:.2f}× ({made.cpu:.1f} s over {base.cpu:.1f} s cpu) | "
                f"{'yes' if ratio <= RATIO_TARGET else '**no**'} |"
            )
        cold, mk = r.steps.get("cold"), r.steps.get("mkdocs build")
        if r.papers >= 10_000 and cold and mk:
            share = cold.wall / mk.wall
            lines.append(
                f"| cold generate under {COLD_SHARE_TARGET:.0%} of mkdocs build at {r.papers:,} | "
                f"{share:.1%} | {'yes' if share < COLD_SHARE_TARGET else '**no**'} |"
            )
    lines += ["", END]
    return "\n".join(lines) + "\n"


def write_results(path: Path, block: str) -> None:
    """Put the measured block into `path`, keeping what is written around it."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        text = head + block + ("\n" + tail if tail else "")
    elif old.strip():
        text = old.rstrip("\n") + "\n\n" + block
    else:
        text = "# Benchmark results\n\n" + block
    path.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="shipped,2000,10000",
        help="'shipped' and/or numbers of papers; lists measured before keep their columns",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of each step (median shown)")
    parser.add_argument(
        "--mkdocs-runs",
        type=int,
        default=1,
        help=f"runs of mkdocs build for lists over {MKDOCS_FEW:,} papers (minutes each); others get --runs",
    )
    parser.add_argument("--quick", action="store_true", help="a 30-paper list, one run: checks the script")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the results")
    parser.add_argument("--workdir", type=Path, help="keep the projects here (default: a temporary folder)")
    parser.add_argument("--related-step", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--write-dump", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.related_step:
        related_step(args.related_step)
        return 0
    if args.write_dump:
        write_dump(*args.write_dump)
        return 0
    sizes = ["30"] if args.quick else args.sizes.split(",")
    runs = 1 if args.quick else args.runs
    mkdocs_runs = args.mkdocs_runs
    command = "python benchmarks/run.py" + (" --quick" if args.quick else "")
    if not args.quick and (args.sizes, args.runs, args.mkdocs_runs) != ("shipped,2000,10000", 3, 1):
        command += f" --sizes {args.sizes} --runs {args.runs} --mkdocs-runs {args.mkdocs_runs}"
    work = args.workdir or Path(tempfile.mkdtemp(prefix="reading-list-bench-"))
    loads: list[float] = []

    def log(text: str) -> None:
        loads.append(os.getloadavg()[0])
        print(text, file=sys.stderr, flush=True)

    results = []
    try:
        for size in sizes:
            loads.clear()
            root = work / f"list-{size}"
            shutil.rmtree(root, ignore_errors=True)
            log(f"preparing {size} (synthetic lists: benchmarks/make_list.py, default seed)")
            label = make_project(root, size)
            papers = sum(1 for _ in (root / "content" / "papers").glob("*.md"))
            result = bench_list(label, root, runs, mkdocs_runs if papers > MKDOCS_FEW else runs, log)
            result.steps["related"] = bench_related_json(root, runs)
            result.steps["make site"] = bench_make_site(
                root, mkdocs_runs if papers > MKDOCS_FEW else runs, strict=size == "shipped"
            )
            log(f"done with {size}")
            result.measured = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
            result.command = command
            result.load = (min(loads), max(loads))
            results.append(result)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    store = args.out.with_suffix(".json")
    results = merge_results([] if args.quick else read_results(store), results)
    store.write_text(json.dumps([asdict(r) for r in results], indent=1) + "\n", encoding="utf-8")
    block = render(results)
    print(block)
    write_results(args.out, block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
