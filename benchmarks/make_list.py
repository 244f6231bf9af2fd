"""Write a synthetic reading list of N papers: `python benchmarks/make_list.py N DIR`.

DIR becomes a complete content folder (papers/*.md, topics.yml, pages/) that
`python -m generator validate` accepts, so it can stand in for content/.
The text is drawn from word-bigram Markov chains trained on the shipped
content/papers: one chain per topic and one for the whole list, mixed, so
papers of a topic share vocabulary and classification and related papers
behave as they would on a real list.  Real lists also keep coining words
(each paper names its method; each field has its jargon), so vocabulary grows
with the list: every paper gets a coined name and each topic a pool of coined
terms.  The taxonomy is the first 20 topics of content/topics.yml.  The same N,
seed and shipped content give the same files.

`make_project` wraps such a folder in a project directory (content/,
mkdocs.yml, overrides/) that `python -m generator --root` can build.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make `generator` importable
    sys.path.insert(0, str(REPO))

from generator.classify import classify  # noqa: E402
from generator.load import load_content  # noqa: E402
from generator.model import STATUSES, Taxonomy  # noqa: E402
from generator.slugs import slugify  # noqa: E402
from generator.text import title_key  # noqa: E402

TOPICS = 20
SEED = 1
#: Share of the words drawn from the paper's topic chain rather than the whole list's.
TOPIC_BIAS = 0.9
START = dt.date(2023, 1, 1)

FIRST_NAMES = [
    "Ada",
    "Alan",
    "Alonzo",
    "Anya",
    "Barbara",
    "Chen",
    "Dana",
    "Edsger",
    "Emmy",
    "Fei",
    "Grace",
    "Hana",
    "Ilya",
    "Ines",
    "Jun",
    "Kai",
    "Leslie",
    "Lina",
    "Marta",
    "Maryam",
    "Noam",
    "Omar",
    "Priya",
    "Quentin",
    "Radia",
    "Rosa",
    "Sanjeev",
    "Shafi",
    "Tomas",
    "Umesh",
    "Valeria",
    "Wei",
    "Xin",
    "Yael",
    "Zoe",
]
LAST_NAMES = [
    "Abadi",
    "Bengio",
    "Church",
    "Dijkstra",
    "Erdos",
    "Feigenbaum",
    "Goldwasser",
    "Hopper",
    "Ito",
    "Jain",
    "Knuth",
    "Lamport",
    "Liskov",
    "Micali",
    "Noether",
    "Okafor",
    "Perlman",
    "Rabin",
    "Rivest",
    "Sato",
    "Shor",
    "Tarjan",
    "Turing",
    "Ullman",
    "Valiant",
    "Wang",
    "Wigderson",
    "Xu",
    "Yao",
    "Zhang",
]
TAGS = [
    "benchmark",
    "survey",
    "dataset",
    "open-source",
    "theory",
    "negative-result",
    "reproducibility",
    "tutorial",
    "position-paper",
    "scaling",
    "efficiency",
    "interpretability",
    "robustness",
    "compilers",
    "gpu",
    "formal-proof",
    "lower-bound",
    "new-model",
    "long-context",
    "agents",
]


SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "ta",
    "vo",
    "zen",
    "qu",
    "ix",
    "or",
    "al",
    "pre",
    "syn",
    "graph",
    "net",
    "form",
    "bit",
    "lex",
    "morph",
    "tron",
    "cal",
    "vec",
    "hy",
    "per",
    "dra",
    "ko",
    "sim",
    "flu",
    "ent",
]
SUFFIXES = ("", "", "Net", "-2", "Former", "GPT", "SAT", "++", "-XL", "Bench")
#: Coined terms of each topic, used with Zipf-like frequencies, and how many an abstract gets.
JARGON = 400
JARGON_PER_ABSTRACT = (2, 6)


def _coin(rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
    return word.capitalize() + rng.choice(SUFFIXES)


def _replace_words(rng: random.Random, text: str, new: Sequence[str]) -> str:
    """Put each of `new` in the place of a random long word of `text`, keeping its punctuation."""
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w.strip(".,;:()")) >= 6]
    for i, term in zip(rng.sample(long, min(len(new), len(long))), new, strict=False):
        tail = words[i][len(words[i].rstrip(".,;:)")) :]
        words[i] = term + tail
    return " ".join(words)


@dataclass
class Chain:
    """Word-bigram successor lists; repeated entries carry the frequencies."""

    next: dict[str, list[str]]
    starts: list[str]

    @classmethod
    def train(cls, texts: Sequence[str]) -> Chain:
        nxt: dict[str, list[str]] = {}
        starts: list[str] = []
        for text in texts:
            words = text.split()
            at_start = True
            for i, word in enumerate(words):
                if at_start and word[:1].isupper():
                    starts.append(word)
                at_start = word.endswith((".", "?", "!"))
                if i + 1 < len(words) and not at_start:
                    nxt.setdefault(word, []).append(words[i + 1])
        return cls(nxt, starts or ["The"])


class Writer:
    """Draws text from a topic chain mixed with the chain of the whole list."""

    def __init__(self, rng: random.Random, everything: Chain) -> None:
        self.rng = rng
        self.everything = everything

    def sentence(self, topic: Chain, max_words: int = 40) -> list[str]:
        rng = self.rng
        word = rng.choice(topic.starts if rng.random() < TOPIC_BIAS else self.everything.starts)
        words = [word]
        while not word.endswith((".", "?", "!")) and len(words) < max_words:
            options = topic.next.get(word) if rng.random() < TOPIC_BIAS else None
            options = options or self.everything.next.get(word)
            if not options:
                break
            word = rng.choice(options)
            words.append(word)
        words[-1] = words[-1].rstrip(",;:") + ("" if words[-1].endswith((".", "?", "!")) else ".")
        return words

    def text(self, topic: Chain, low: int, high: int) -> str:
        """Whole sentences, between `low` and `high` words."""
        target = self.rng.randint(low, high)
        words: list[str] = []
        while len(words) < target:
            words += self.sentence(topic, max_words=max(8, min(40, high - len(words))))
        if len(words) > high:
            words = words[:high]
            words[-1] = words[-1].rstrip(",;:.?!") + "."
        return " ".join(words)


def _title(rng: random.Random, titles: Chain) -> str:
    for _ in range(50):
        words = [rng.choice(titles.starts)]
        while len(words) < 14:
            options = titles.next.get(words[-1])
            if not options:
                break
            words.append(rng.choice(options))
        if len(words) >= 4:
            return " ".join(words).rstrip(" :,;-")
    return " ".join(words)


def _topics_yaml(taxonomy: Taxonomy, count: int) -> dict[str, object]:
    topics = []
    for topic in taxonomy.topics[:count]:
        topics.append(
            {
                "id": topic.id,
                "title": topic.title,
                "description": topic.description,
                "rules": {r.phrase: r.weight for r in topic.rules},
            }
        )
    return {
        "settings": {
            "threshold": taxonomy.threshold,
            "max_topics": taxonomy.max_topics,
            "title_weight": taxonomy.title_weight,
        },
        "topics": topics,
    }


def _dump(data: object) -> str:
    return yaml.dump(
        data,
        Dumper=yaml.CSafeDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )


#: Markdown and HTML syntax, which abstracts quote now and then but notes would interpret.
_MARKUP = re.compile(r"[{}<>\[\]`*_#|\\$&~^]")


def _notes(rng: random.Random, writer: Writer, chain: Chain) -> str:
    def plain(low: int, high: int) -> str:
        return " ".join(w for w in writer.text(chain, low, high).split() if not _MARKUP.search(w))

    paragraphs = [plain(25, 70) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        paragraphs.append("\n".join(f"- {plain(5, 12)}" for _ in range(rng.randint(2, 4))))
    return "\n\n".join(paragraphs)


def make_list(n: int, dest: Path, seed: int = SEED, source: Path = REPO / "content") -> int:
    """Write `n` synthetic papers, topics.yml and pages/ into `dest`; return the paper count."""
    content, problems = load_content(source)
    if content is None:
        raise SystemExit("the shipped content has errors; fix them first:\n" + "\n".join(map(str, problems)))
    taxonomy = content.taxonomy
    topic_ids = taxonomy.ids[:TOPICS]
    assignments = classify(content.papers, taxonomy)
    by_topic: dict[str, list[str]] = {tid: [] for tid in topic_ids}
    for paper in content.papers:
        for tid in assignments[paper.slug].topics:
            if tid in by_topic:
                by_topic[tid].append(paper.abstract)
    everything = Chain.train([p.abstract for p in content.papers])
    chains = {tid: Chain.train(texts) if texts else everything for tid, texts in by_topic.items()}
    weights = [len(by_topic[tid]) + 1 for tid in topic_ids]
    titles = Chain.train([p.title + "." for p in content.papers])
    titles.next = {w: [x.rstrip(".") for x in xs] for w, xs in titles.next.items()}

    rng = random.Random(seed)
    writer = Writer(rng, everything)
    jargon = {tid: [_coin(rng).lower() for _ in range(JARGON)] for tid in topic_ids}
    zipf = [1 / (rank + 1) for rank in range(JARGON)]
    papers_dir = dest / "papers"
    papers_dir.mkdir(parents=True, exist_ok=True)
    seen_titles: set[str] = set()
    seen_slugs: set[str] = set()
    seen_arxiv: set[str] = set()
    for i in range(n):
        title = _title(rng, titles)
        while title_key(title) in seen_titles:
            title = f"{title} {rng.choice(['Revisited', 'at Scale', 'in Practice', 'Beyond'])} {i}"
        seen_titles.add(title_key(title))
        slug = base = slugify(title)
        k = 2
        while slug in seen_slugs:
            slug, k = f"{base}-{k}", k + 1
        seen_slugs.add(slug)
        tid = rng.choices(topic_ids, weights)[0]
        name = _coin(rng)
        terms = rng.choices(jargon[tid], zipf, k=rng.randint(*JARGON_PER_ABSTRACT))
        abstract = _replace_words(rng, writer.text(chains[tid], 150, 250), [name] * rng.randint(1, 3) + terms)
        meta: dict[str, object] = {
            "title": title,
            "abstract": abstract,
            "added": START + dt.timedelta(days=rng.randrange(1000)),
        }
        if rng.random() < 0.8:
            meta["authors"] = [
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(rng.randint(1, 6))
            ]
        if rng.random() < 0.7:
            meta["year"] = rng.randint(2012, 2025)
        if rng.random() < 0.15:
            meta["status"] = rng.choice(STATUSES)
        if rng.random() < 0.05:
            meta["topics"] = [tid]
        if rng.random() < 0.02:
            meta["exclude_topics"] = [rng.choice([t for t in topic_ids if t != tid])]
        if rng.random() < 0.2:
            meta["tags"] = sorted(rng.sample(TAGS, rng.randint(1, 3)))
        if rng.random() < 0.5:
            arxiv = ""
            while not arxiv or arxiv in seen_arxiv:  # validation rejects two papers with one id
                arxiv = f"{rng.randint(15, 25)}{rng.randint(1, 12):02d}.{rng.randrange(100000):05d}"
            seen_arxiv.add(arxiv)
            meta["arxiv"] = arxiv
        if rng.random() < 0.05:
            meta["doi"] = f"10.{rng.randint(1000, 9999)}/{slug[:20]}.{i}"
        if rng.random() < 0.15:
            meta["code"] = [f"https://github.com/{rng.choice(LAST_NAMES).lower()}-lab/{slug[:30]}"]
        body = _notes(rng, writer, chains[tid]) + "\n" if rng.random() < 0.25 else ""
        (papers_dir / f"{slug}.md").write_text(f"---\n{_dump(meta)}---\n{body}", encoding="utf-8")
    (dest / "topics.yml").write_text(_dump(_topics_yaml(taxonomy, TOPICS)), encoding="utf-8")
    if (source / "pages").is_dir():
        shutil.copytree(source / "pages", dest / "pages", dirs_exist_ok=True)
    return n


def make_project(content: Path | None, dest: Path, n: int = 0, seed: int = SEED) -> Path:
    """Make a project dir at `dest` for `python -m generator --root dest`.

    Its content/ is a copy of `content` when given, else a synthetic list of `n` papers.
    """
    dest.mkdir(parents=True, exist_ok=True)
    if content is not None:
        shutil.copytree(content, dest / "content")
    else:
        make_list(n, dest / "content", seed)
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", dest / "overrides")
    return dest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of papers")
    parser.add_argument("dir", type=Path, help="content folder to write (must not hold papers yet)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if (args.dir / "papers").exists() and any((args.dir / "papers").iterdir()):
        parser.error(f"{args.dir}/papers already holds files; choose an empty folder")
    make_list(args.n, args.dir, args.seed)
    print(f"{args.n} papers written to {args.dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
