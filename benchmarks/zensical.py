"""Time Zensical's build of a list next to MkDocs': `python benchmarks/zensical.py SIZE [SIZE ...]`.

    python benchmarks/zensical.py shipped 2000       # the shipped list, then a synthetic 2,000
    python benchmarks/zensical.py 10000 --runs 1     # adds the 10,000 row, keeping the others

SIZE is `shipped` or a number of papers (a synthetic list from benchmarks/make_list.py, as
benchmarks/run.py makes them). For each list the generator writes docs/ once, unmeasured; then
each build runs `--runs` times in its own process, timed from the outside as run.py does:

  mkdocs build     `mkdocs build --strict` (the main .venv), as `make site` runs it
  zensical cold    `zensical build --strict` with no .cache/ (.venv-zensical, `make zensical`)
  zensical cached  the same again with the cache the cold build left (docs/ unchanged, output
                   folder deleted first, as `make zensical` does)

Results merge by list into benchmarks/ZENSICAL.json and the table in benchmarks/ZENSICAL.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(REPO))

from benchmarks.run import Measure, Sample, fmt_step, generator, machine, make_project, measure  # noqa: E402

RESULTS = REPO / "benchmarks" / "ZENSICAL.md"
ZENSICAL = REPO / ".venv-zensical" / "bin" / "zensical"
STEPS = ("mkdocs build", "zensical cold", "zensical cached")
BEGIN = "<!-- BEGIN measured: written by benchmarks/zensical.py, do not edit by hand -->"
END = "<!-- END measured -->"


@dataclass
class ListResult:
    label: str
    papers: int
    steps: dict[str, Measure] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    measured: str = ""
    load: tuple[float, float] = (0.0, 0.0)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ListResult:
        steps = data.pop("steps")
        assert isinstance(steps, dict)
        result = cls(**data)  # type: ignore[arg-type]
        result.steps = {k: Measure([Sample(**s) for s in v["samples"]]) for k, v in steps.items()}
        result.load = (result.load[0], result.load[1])
        return result


def pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html"))


def bench(root: Path, label: str, runs: int) -> ListResult:
    """Build the project at `root` with both tools, `runs` times each."""
    loads: list[float] = []

    def add(step: str, sample: Sample) -> None:
        result.steps.setdefault(step, Measure()).samples.append(sample)
        loads.append(os.getloadavg()[0])
        print(
            f"  {label} {step}: {sample.wall:.2f} s wall, {sample.cpu:.2f} s cpu", file=sys.stderr, flush=True
        )

    result = ListResult(label, sum(1 for _ in (root / "content" / "papers").glob("*.md")))
    measure(generator(root, "generate"))
    mkdocs_site, zensical_site = root / "site-bench", root / "site-zensical"
    for _ in range(runs):
        shutil.rmtree(mkdocs_site, ignore_errors=True)
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(root / "mkdocs.yml")]
        add("mkdocs build", measure([*cmd, "-d", str(mkdocs_site)], cwd=root)[0])
    # As `make zensical` writes it: Zensical has no output-folder option.
    config = root / ".zensical.yml"
    config.write_text(f"INHERIT: mkdocs.yml\nsite_dir: {zensical_site.name}\n", encoding="utf-8")
    build = [str(ZENSICAL), "build", "--strict", "--config-file", str(config)]
    for _ in range(runs):
        shutil.rmtree(root / ".cache", ignore_errors=True)
        shutil.rmtree(zensical_site, ignore_errors=True)
        add("zensical cold", measure(build, cwd=root)[0])
        shutil.rmtree(zensical_site)
        add("zensical cached", measure(build, cwd=root)[0])
    result.pages = {"mkdocs": pages(mkdocs_site), "zensical": pages(zensical_site)}
    result.measured = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    result.load = (min(loads), max(loads))
    return result


def render(results: list[ListResult]) -> str:
    head = "| step | " + " | ".join(f"{r.label} ({r.papers:,} papers)" for r in results) + " |"
    rows = [head, "| --- |" + " --- |" * len(results)]
    for step in STEPS:
        rows.append(f"| {step} | " + " | ".join(fmt_step(r.steps.get(step)) for r in results) + " |")

    def ratio(r: ListResult, step: str) -> str:
        return f"{r.steps[step].wall / r.steps['mkdocs build'].wall:.2f}×"

    rows.append("| cold / mkdocs (wall) | " + " | ".join(ratio(r, "zensical cold") for r in results) + " |")
    rows.append(
        "| cached / mkdocs (wall) | " + " | ".join(ratio(r, "zensical cached") for r in results) + " |"
    )
    rows.append(
        "| HTML pages (mkdocs, zensical) | "
        + " | ".join(f"{r.pages['mkdocs']:,}, {r.pages['zensical']:,}" for r in results)
        + " |"
    )
    rows.append("| runs | " + " | ".join(str(len(r.steps["mkdocs build"].samples)) for r in results) + " |")
    rows.append("| measured | " + " | ".join(r.measured for r in results) + " |")
    rows.append(
        "| load average | " + " | ".join(f"{r.load[0]:.1f} to {r.load[1]:.1f}" for r in results) + " |"
    )
    return "\n".join(
        [
            BEGIN,
            "",
            "Measured with `python benchmarks/zensical.py SIZE --runs N` (runs: see the row).",
            "",
            *machine(),
            "",
            "Each cell: median wall time (CPU time of the process, peak memory). The machine is shared:"
            " CPU time is the steadier figure.",
            "",
            *rows,
            "",
            END,
            "",
        ]
    )


def write_results(path: Path, block: str) -> None:
    """Put the measured block into `path`, keeping what is written around it."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        path.write_text(head + block + rest.split(END, 1)[1].lstrip("\n"), encoding="utf-8")
    else:
        path.write_text(
            (old.rstrip("\n") + "\n\n" if old.strip() else "# Zensical and MkDocs\n\n") + block,
            encoding="utf-8",
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="+", help="'shipped' or a number of papers")
    parser.add_argument("--runs", type=int, default=3, help="runs of each build (median shown)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="the table; its .json beside it")
    args = parser.parse_args(argv)
    if not ZENSICAL.is_file():
        parser.error(f"no {ZENSICAL.relative_to(REPO)}: run `make zensical` first")
    store = args.out.with_suffix(".json")
    kept = {}
    if store.is_file():
        kept = {r.label: r for r in map(ListResult.from_json, json.loads(store.read_text(encoding="utf-8")))}
    with tempfile.TemporaryDirectory(prefix="reading-list-zensical-") as work:
        for size in args.sizes:
            root = Path(work) / f"list-{size}"
            label = make_project(root, size)
            kept[label] = bench(root, label, args.runs)
            shutil.rmtree(root)
    results = sorted(kept.values(), key=lambda r: (r.papers, r.label))
    store.write_text(json.dumps([asdict(r) for r in results], indent=1) + "\n", encoding="utf-8")
    block = render(results)
    print(block)
    write_results(args.out, block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
