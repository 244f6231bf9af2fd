"""Time the library readers on an N-entry library: `python benchmarks/read_library.py N [--runs R]`.

Writes the same N papers as a Zotero-style BibTeX export, a Zotero CSL JSON export and
a Zotero RIS export into a temporary folder, then reads each file R times (bytes to
text, then the reader) and prints the median wall and CPU time.  The papers mix the shipped
list's titles and abstracts with what real exports carry: protected capitals
(`{BERT}`), LaTeX accents in names (`Sch{\\"o}lkopf`), escaped percent signs and math
(`\\%`, `\\$O(n)\\$`), keywords, local file paths, arXiv ids and DOIs.  Every title
and abstract is distinct, as in a real library, so the LaTeX cache only helps with
names, venues and keywords.  The caches are cleared before each run.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make `generator` importable
    sys.path.insert(0, str(REPO))

from generator.sources import bib, detect, files, latex  # noqa: E402

SEED = 1
FAMILY = [
    'Sch{\\"o}lkopf',
    'M{\\"u}ller',
    "Garc{\\'\\i}a",
    "{\\L}ukasiewicz",
    "van der Berg",
    "Nguyen",
    "Okafor",
]
GIVEN = ["Ada", "Bernhard", "Chen", "Dana", "Emmy", "Fei", "Grace", "Hana", "Jos{\\'e}", "Kurt", "Lin"]
VENUES = (
    "Advances in Neural Information Processing Systems",
    "Physical Review A",
    "Nature",
    "Proceedings of the 40th International Conference on Machine Learning",
)
KEYWORDS = ("Computer Science - Machine Learning", "Quantum Physics", "Statistics - Machine Learning")


def shipped() -> list[tuple[str, str]]:
    """(title, abstract) of the shipped list's papers."""
    out = []
    for path in sorted((REPO / "content" / "papers").glob("*.md")):
        head = path.read_text(encoding="utf-8").split("---", 2)[1]
        meta = yaml.safe_load(head)
        out.append((str(meta["title"]), str(meta.get("abstract") or "")))
    return out


def papers(n: int) -> list[dict[str, object]]:
    rng = random.Random(SEED)
    base = shipped()
    out = []
    for i in range(n):
        title, abstract = base[i % len(base)]
        authors = [(rng.choice(FAMILY), rng.choice(GIVEN)) for _ in range(rng.randint(1, 8))]
        extra = f" We report a {rng.randint(2, 60)}\\% gain at cost \\$O(n^{rng.randint(1, 3)})\\$ (run {i})."
        out.append(
            {
                "key": f"paper{i}_{rng.randint(1990, 2025)}",
                "title": f"{title} {{{{Part}} {i}}}",
                "abstract": zotero_escape(abstract) + extra,
                "authors": authors,
                "year": rng.randint(1990, 2025),
                "venue": rng.choice(VENUES),
                "arxiv": f"{rng.randint(15, 24):02d}{rng.randint(1, 12):02d}.{i % 100000:05d}",
                "doi": f"10.{rng.randint(1000, 9999)}/bench.{i}",
                "keywords": rng.sample(KEYWORDS, rng.randint(1, 3)),
            }
        )
    return out


_ZOTERO = {"|": "{\\textbar}", "<": "{\\textless}", ">": "{\\textgreater}", "~": "{\\textasciitilde}",
           "^": "{\\textasciicircum}", "\\": "{\\textbackslash}", "{": "\\{\\vphantom{\\}}",
           "}": "\\vphantom{\\{}\\}"} | {c: "\\" + c for c in "#$%&_"}  # fmt: skip


def zotero_escape(text: str) -> str:
    """Escape text as Zotero's BibTeX export does (its escapeSpecialCharacters)."""
    return "".join(_ZOTERO.get(c, c) for c in text)


def plain(text: str) -> str:
    return latex.to_text(text)


def write_bib(items: list[dict[str, object]], path: Path) -> None:
    chunks = ["\n"]
    for p in items:
        authors = " and ".join(f"{f}, {g}" for f, g in p["authors"])  # type: ignore[attr-defined]
        chunks.append(
            f"@article{{{p['key']},\n\ttitle = {{{p['title']}}},\n\turl = {{http://arxiv.org/abs/{p['arxiv']}}},\n"
            f"\tdoi = {{{p['doi']}}},\n\tabstract = {{{p['abstract']}}},\n\tjournal = {{{p['venue']}}},\n"
            f"\tauthor = {{{authors}}},\n\tmonth = jun,\n\tyear = {{{p['year']}}},\n"
            f"\tkeywords = {{{', '.join(p['keywords'])}}},\n\tpages = {{1--12}},\n"  # type: ignore[arg-type]
            f"\tfile = {{Full Text PDF:/Users/ada/Zotero/storage/X/{p['key']}.pdf:application/pdf}},\n}}\n\n"
        )
    path.write_text("".join(chunks), encoding="utf-8")


def write_csl(items: list[dict[str, object]], path: Path) -> None:
    data = [
        {
            "id": f"http://zotero.org/users/local/abc/items/{p['key']}",
            "type": "article-journal",
            "abstract": plain(str(p["abstract"])),
            "container-title": p["venue"],
            "DOI": p["doi"],
            "page": "1-12",
            "title": plain(str(p["title"])),
            "URL": f"http://arxiv.org/abs/{p['arxiv']}",
            "author": [{"family": plain(f), "given": plain(g)} for f, g in p["authors"]],  # type: ignore[attr-defined]
            "issued": {"date-parts": [[str(p["year"]), 6, 1]]},
        }
        for p in items
    ]
    path.write_text(json.dumps(data, indent="\t", ensure_ascii=False), encoding="utf-8")


def write_ris(items: list[dict[str, object]], path: Path) -> None:
    chunks = []
    for p in items:
        lines = ["TY  - JOUR", f"TI  - {plain(str(p['title']))}"]
        lines += [f"AU  - {plain(f)}, {plain(g)}" for f, g in p["authors"]]  # type: ignore[attr-defined]
        lines += [f"T2  - {p['venue']}", f"AB  - {plain(str(p['abstract']))}", f"PY  - {p['year']}"]
        lines += [f"DO  - {p['doi']}", "SP  - 1", "EP  - 12", f"UR  - http://arxiv.org/abs/{p['arxiv']}"]
        lines += [f"KW  - {k}" for k in p["keywords"]]  # type: ignore[attr-defined]
        chunks.append("\r\n".join([*lines, "ER  - ", "", ""]))
    path.write_text("".join(chunks), encoding="utf-8", newline="")


def time_reader(path: Path, runs: int) -> tuple[float, float, int]:
    """Median wall and CPU seconds of reading `path`, and the number of entries read."""
    times = []
    cpu = []
    count = 0
    for _ in range(runs):
        latex.to_text.cache_clear()
        bib._person.cache_clear()
        start, start_cpu = time.perf_counter(), time.process_time()
        text, problems = files.read_library(path, path.name)
        assert text is not None and not problems, problems
        fmt = detect.format_of(path.name, text)
        assert fmt is not None
        entries, problems = detect.reader(fmt)(text, path.name)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert not problems, problems[:3]
        count = len(entries)
    return statistics.median(times), statistics.median(cpu), count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="entries in the library")
    parser.add_argument("--runs", type=int, default=3, help="reads of each file (median shown)")
    args = parser.parse_args(argv)
    items = papers(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        writers = (("library.bib", write_bib), ("library.json", write_csl), ("library.ris", write_ris))
        for name, write in writers:
            write(items, folder / name)
        # CPU seconds say more than wall seconds on a machine other processes share.
        print(f"{'file':<14} {'MB':>6} {'entries':>8} {'wall s':>7} {'CPU s':>6}")
        for name, _ in writers:
            path = folder / name
            wall, cpu, count = time_reader(path, args.runs)
            print(f"{name:<14} {path.stat().st_size / 1e6:>6.1f} {count:>8} {wall:>7.2f} {cpu:>6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
