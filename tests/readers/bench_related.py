"""Time `find_related` on a synthetic list: `python -m tests.readers.bench_related N [mode]`.

Abstracts are sampled from the words of the shipped abstracts.  Mode `topical`
(default) draws most words of a paper from one shipped abstract, as real
papers repeat the words of their subject; mode `unigram` draws every word from
the whole vocabulary, which makes mid-frequency words far more widespread than
in real text and is the worst case for the sparse products.

Prints seconds and peak resident memory (of this whole process) as one line.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import sys
import time
from pathlib import Path

import yaml

from generator.model import Origin, Paper
from generator.related import find_related
from generator.text import tokenize

ROOT = Path(__file__).resolve().parents[2]
#: Share of the words of a topical paper drawn from its own shipped abstract.
OWN_SHARE = float(os.environ.get("OWN_SHARE", "0.5"))


def shipped_abstracts() -> list[str]:
    """The abstracts of content/papers/, read without the loader (whose checks may change)."""
    out = []
    for path in sorted((ROOT / "content" / "papers").glob("*.md")):
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        out.append(str(yaml.safe_load(front)["abstract"]))
    return out


def make_papers(n: int, mode: str = "topical", seed: int = 1) -> tuple[list[Paper], list[int]]:
    """Return `n` synthetic papers and, for each, the shipped abstract it was drawn from (or -1)."""
    sources = [tokenize(abstract) for abstract in shipped_abstracts()]
    pool = [w for words in sources for w in words]
    rng = random.Random(seed)
    papers = []
    drawn_from = []
    for i in range(n):
        length = rng.randint(150, 250)
        if mode == "unigram":
            words = rng.choices(pool, k=length)
            drawn_from.append(-1)
        else:
            source = rng.randrange(len(sources))
            own = sources[source]
            drawn_from.append(source)
            words = [rng.choice(own) if rng.random() < OWN_SHARE else rng.choice(pool) for _ in range(length)]
        title = " ".join(rng.sample(words, 8)).capitalize()
        notes = " ".join(rng.choices(pool, k=40)) if i % 5 == 0 else ""
        papers.append(
            Paper(
                slug=f"paper-{i:05d}",
                title=title,
                abstract=" ".join(words) + ".",
                added=dt.date(2024, 1, 1) + dt.timedelta(days=i % 700),
                origin=Origin(f"papers/paper-{i:05d}.md"),
                notes=notes,
            )
        )
    return papers, drawn_from


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    mode = sys.argv[2] if len(sys.argv) > 2 else "topical"
    papers, drawn_from = make_papers(n, mode)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    related = find_related(papers)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    full = sum(1 for v in related.values() if len(v) == 5)
    # In topical mode the papers drawn from the same shipped abstract are the right answers.
    source = {p.slug: s for p, s in zip(papers, drawn_from, strict=True)}
    hits = sum(source[r] == source[s] for s, rs in related.items() for r in rs)
    precision = hits / max(1, sum(len(rs) for rs in related.values()))
    print(
        f"n={n} mode={mode} find_related={elapsed:.2f}s (cpu {cpu:.2f}s) peak_rss={peak / 1024:.0f}MB "
        f"(before {before / 1024:.0f}MB) with_5={full}/{n} same_source={precision:.3f}"
    )


if __name__ == "__main__":
    main()
