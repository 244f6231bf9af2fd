"""A big list with the shipped papers in it: `python benchmarks/mixed_list.py 10000 DIR`.

Writes DIR/content with the 215 shipped papers (their files as they are, the shipped
topics.yml and pages) and generated ones (benchmarks/make_list.py, default seed) up to
the total.  A generated paper that would clash with a shipped one (its slug, title or
arXiv id) is left out, so the list validates.  The search tests and the search benchmark
use it: a query for a shipped paper must still find that paper among 10,000.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make `generator` and `benchmarks` importable
    sys.path.insert(0, str(REPO))

from benchmarks.make_list import make_list  # noqa: E402
from generator.load import load_content  # noqa: E402
from generator.text import title_key  # noqa: E402

# libyaml's reader where PyYAML has it (the same data, several times faster on 10,000 files).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    data = yaml.load(text.split("---\n", 2)[1], Loader=_LOADER)
    return data if isinstance(data, dict) else {}


def make_mixed_content(total: int, dest: Path, source: Path = REPO / "content") -> int:
    """Write `dest` (a content/ folder): the shipped list plus generated papers, `total` in all;
    return the number of papers written."""
    shipped, problems = load_content(source)
    if shipped is None:
        raise SystemExit("the shipped content has errors:\n" + "\n".join(map(str, problems)))
    slugs = {p.slug for p in shipped.papers}
    titles = {title_key(p.title) for p in shipped.papers}
    arxiv = {p.link("arxiv") for p in shipped.papers} - {None}
    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / "content"
        wanted = max(total - len(shipped.papers), 0)
        make_list(wanted + wanted // 50 + 10, generated, source=source)  # a few spare for clashes
        (dest / "papers").mkdir(parents=True, exist_ok=True)
        for path in sorted((generated / "papers").glob("*.md")):
            if wanted == 0:
                break
            meta = _front_matter(path)
            clash = (
                path.stem in slugs
                or title_key(str(meta.get("title", ""))) in titles
                or meta.get("arxiv") in arxiv
            )
            if not clash:
                shutil.copy2(path, dest / "papers" / path.name)
                wanted -= 1
    for path in sorted((source / "papers").glob("*.md")):
        shutil.copy2(path, dest / "papers" / path.name)
    shutil.copy2(source / "topics.yml", dest / "topics.yml")
    if (source / "pages").is_dir():
        shutil.copytree(source / "pages", dest / "pages", dirs_exist_ok=True)
    return sum(1 for _ in (dest / "papers").glob("*.md"))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or not args[0].isdigit():
        print(__doc__.split("\n\n")[0], file=sys.stderr)
        return 2
    dest = Path(args[1]) / "content"
    if dest.exists():
        print(f"{dest} exists; choose a new folder", file=sys.stderr)
        return 2
    n = make_mixed_content(int(args[0]), dest)
    print(f"{n} papers written to {dest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
