"""Time `python -m generator import` of an N-entry library: `python benchmarks/import_bib.py N`.

Writes a BibTeX library of N entries (title, authors, year, venue, DOI, abstract; a few
`@string` macros and LaTeX accents, as Zotero and JabRef exports have) into a temporary
project and times (wall clock, and CPU time, which is what counts on a shared machine),
as a user would run them, three imports: the first (every paper added),
the same file again (nothing changes), and the file again after a new export changed one
abstract in every tenth entry.  Without the BibTeX reader (generator/sources/bib.py) the same
library is written as a text dump of titles and abstracts instead, and said so.
Target (issue 12): 10,000 entries in under 10 s.

`--runs R` repeats the three imports R times, each time into a new project, and prints the
median of each; `--format dump` imports the same papers as a text dump (titles and
abstracts) instead, which is the importer's other path.  For each import it also counts the
paper files whose bytes or modification time changed: the import of the same file again
must write none.  benchmarks/IMPORT.md holds the numbers measured.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make `generator` findable
    sys.path.insert(0, str(REPO))
ENV = {**os.environ, "PYTHONPATH": str(REPO)}
WORDS = (
    "learning",
    "neural",
    "scalable",
    "reasoning",
    "graph",
    "attention",
    "sparse",
    "model",
    "language",
    "transformer",
    "efficient",
    "robust",
    "parallel",
    "inference",
    "causal",
    "optimal",
    "stochastic",
    "gradient",
    "memory",
    "retrieval",
    "agent",
    "planning",
    "kernel",
    "bound",
)
TOPICS = (
    "topics:\n  - id: ml\n    title: Machine learning\n    description: Models that learn.\n"
    "    rules:\n      learning: 4\n"
)


def entry_fields(rng: random.Random, i: int, revision: int) -> dict[str, str]:
    title = " ".join(rng.choice(WORDS).capitalize() for _ in range(rng.randint(5, 10))) + f" {i}"
    abstract = " ".join(rng.choice(WORDS) for _ in range(rng.randint(120, 220))).capitalize() + "."
    if revision and i % 10 == 0:
        abstract += " Revised."
    year = 2000 + i % 25
    authors = " and ".join(f"Auth{rng.randint(1, 999)}, J{'ö' if i % 7 == 0 else 'o'}hn" for _ in range(3))
    return {
        "title": title,
        "abstract": abstract,
        "year": str(year),
        "author": authors,
        "doi": f"10.1000/b.{i}",
    }


def write_library(path: Path, n: int, revision: int, bib: bool) -> None:
    rng = random.Random(1)
    parts = ["@string{nips = {Advances in Neural Information Processing Systems}}\n\n"] if bib else []
    for i in range(n):
        f = entry_fields(rng, i, revision)
        if bib:
            parts.append(
                f"@inproceedings{{key{i},\n  title = {{{{{f['title']}}}}},\n  author = {{{f['author']}}},\n"
                f"  booktitle = nips,\n  year = {{{f['year']}}},\n  doi = {{{f['doi']}}},\n"
                f"  abstract = {{{f['abstract']}}},\n}}\n\n"
            )
        else:
            parts.append(f"{f['title']}\n{f['abstract']}\n")
    path.write_text("".join(parts), encoding="utf-8")


def timed(root: Path, library: Path) -> tuple[float, float, float, str]:
    """Wall-clock, user CPU and system CPU seconds of one import, and its summary line.

    System time is mostly the kernel creating the paper files, which on this shared machine
    swings from 0.03 to 0.7 ms a file with what else runs: user time is what the code controls.
    """
    cmd = [sys.executable, "-m", "generator", "--root", str(root), "-q", "import", str(library)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env=ENV, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"import failed:\n{proc.stderr[-2000:]}")
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    return elapsed, user, system, proc.stdout.strip()


def snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    """Each paper file's modification time (ns) and bytes."""
    papers = root / "content" / "papers"
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in papers.glob("*.md")}


STEPS = (("first import", 0), ("same file again", 0), ("new export, 10% changed", 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--runs", type=int, default=1, help="repeat every import this many times (medians)")
    parser.add_argument("--format", choices=("bib", "dump"), default="bib")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="make the projects in a folder here (default: the system's temp folder)",
    )
    args = parser.parse_args()
    bib = args.format == "bib" and importlib.util.find_spec("generator.sources.bib") is not None
    kind = (
        "BibTeX"
        if bib
        else "text dump" + ("" if args.format == "dump" else " (no BibTeX reader in this checkout)")
    )
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="import-bench-", dir=args.workdir))
    samples: dict[str, list[tuple[float, float, float]]] = {label: [] for label, _ in STEPS}
    written: dict[str, int] = {}
    try:
        library = tmp / ("library.bib" if bib else "library.txt")
        write_library(library, args.n, 0, bib)
        size = library.stat().st_size / 1e6
        print(f"{args.n} entries, {kind}, {size:.1f} MB, {args.runs} run(s) in {tmp}")
        for run in range(args.runs):
            root = tmp / f"repo-{run}"
            (root / "content").mkdir(parents=True)
            (root / "content" / "topics.yml").write_text(TOPICS, encoding="utf-8")
            for label, revision in STEPS:
                write_library(library, args.n, revision, bib)
                before = snapshot(root) if (root / "content" / "papers").is_dir() else {}
                seconds, user, system, summary = timed(root, library)
                after = snapshot(root)
                written[label] = sum(1 for name, state in after.items() if before.get(name) != state)
                samples[label].append((seconds, user, system))
                print(
                    f"{label:26} {seconds:6.2f} s wall {user + system:6.2f} s CPU "
                    f"({user:.2f} user + {system:.2f} system)   "
                    f"{summary.split(' (')[0]}; {written[label]} files written"
                )
            shutil.rmtree(root)
        if args.runs > 1:
            print(f"medians of {args.runs} runs:")
            for label, _ in STEPS:
                wall = statistics.median(s[0] for s in samples[label])
                cpu = statistics.median(s[1] + s[2] for s in samples[label])
                user = statistics.median(s[1] for s in samples[label])
                system = statistics.median(s[2] for s in samples[label])
                print(
                    f"{label:26} {wall:6.2f} s wall {cpu:6.2f} s CPU ({user:.2f} user, {system:.2f} system)"
                    f"   {written[label]} files written"
                )
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
