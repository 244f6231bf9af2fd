"""Time `find_related` on a content folder: `python -m tests.readers.bench_related_list DIR [runs]`.

DIR is a content folder such as `benchmarks/make_list.py N DIR` writes.  Prints the
median wall and CPU seconds over the runs and the peak resident memory of the process.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

from generator.load import load_content
from generator.related import find_related


def main() -> None:
    folder = Path(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    content, problems = load_content(folder, folder.as_posix())
    assert content is not None, [str(p) for p in problems[:5]]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        related = find_related(content.papers)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    full = sum(len(v) == 5 for v in related.values())
    print(
        f"n={len(content.papers)} find_related median {statistics.median(walls):.2f}s wall "
        f"({statistics.median(cpus):.2f}s cpu) over {runs} runs; peak rss {peak / 1024:.0f} MB "
        f"(after loading {before / 1024:.0f} MB); {full} papers with 5 neighbours"
    )


if __name__ == "__main__":
    main()
