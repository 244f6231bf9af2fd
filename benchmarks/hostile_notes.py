"""Time validation of one paper whose notes hold 16 KB and 256 KB of a hostile pattern.

    python benchmarks/hostile_notes.py               # every pattern, 3 runs each
    python benchmarks/hostile_notes.py --runs 1 --limit 30 '<a ' '{'

Each run is `generator.load.load_paper` on a fresh file, in a child process (a
pattern that stalls is stopped after `--limit` seconds and shown as '>LIMIT').
The table shows the median time at 16 KB and at 256 KB and their ratio: a check
that is linear in the size of the file gives about 16, a quadratic one about 256.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Runs of one construct that made some check rescan the rest of the text at each repetition.
PATTERNS: tuple[str, ...] = (
    "<a ",
    "<",
    "{",
    "{: ",
    "[",
    "](",
    "[x](",
    "![",
    "`",
    "``x",
    "*",
    "_",
    "**a",
    "&#",
    "> ",
    "- ",
    "```\n",
    "|",
    "\\",
    "<!--",
)

SIZES = (16 * 1024, 256 * 1024)
HEAD = "---\ntitle: Hostile Notes\nadded: 2025-01-02\nabstract: An abstract of the paper.\n---\n"

_CHILD = """
import sys, time
from pathlib import Path
from generator.load import load_paper
path = Path(sys.argv[1])
start = time.perf_counter()
paper, problems = load_paper(path, "content/papers/hostile.md", ())
print(time.perf_counter() - start)
print(len(problems), problems[0] if problems else "")
"""


def notes_of(pattern: str, size: int) -> str:
    """`pattern` repeated to `size` bytes of notes (the file stays under the 256 KB limit)."""
    budget = size - len(HEAD.encode()) - 1
    count = max(1, budget // len(pattern.encode()))
    return pattern * count + "\n"


def time_one(pattern: str, size: int, limit: float) -> tuple[float | None, str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hostile.md"
        path.write_text(HEAD + notes_of(pattern, size), encoding="utf-8")
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                [sys.executable, "-c", _CHILD, str(path)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=limit,
            )
        except subprocess.TimeoutExpired:
            return None, f"over {limit:g} s"
        if proc.returncode != 0:
            tail = proc.stderr.strip().splitlines()[-1:] or ["?"]
            return time.perf_counter() - start, f"crashed: {tail[0][:80]}"
        seconds, outcome = proc.stdout.split("\n", 1)
        return float(seconds), outcome.strip()[:100]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("patterns", nargs="*", help="patterns to time (default: all)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=float, default=60.0, help="seconds before a run is stopped")
    args = parser.parse_args(argv)
    print(f"{'pattern':<10} {'16 KB':>9} {'256 KB':>9} {'ratio':>7}  outcome at 256 KB")
    for pattern in args.patterns or PATTERNS:
        medians: list[float | None] = []
        outcome = ""
        for size in SIZES:
            times: list[float] = []
            for _ in range(args.runs):
                seconds, outcome = time_one(pattern, size, args.limit)
                if seconds is None:
                    break
                times.append(seconds)
            medians.append(statistics.median(times) if len(times) == args.runs else None)
        small, big = medians
        shown = [f"{m:8.3f}s" if m is not None else f">{args.limit:g}s".rjust(9) for m in medians]
        ratio = f"{big / small:7.1f}" if small and big else "      -"
        print(f"{pattern!r:<10} {shown[0]:>9} {shown[1]:>9} {ratio}  {outcome}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
