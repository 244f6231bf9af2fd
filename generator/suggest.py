"""Draft a taxonomy for a list that has none: `python -m generator topics suggest`.

1. Cluster the papers: the title + abstract TF-IDF vectors of related papers
   (`related.weigh_terms`), grouped by spherical k-means (cosine similarity,
   k-means++ seeding from fixed seeds, so the draft is the same on every run).
   k is tried from `K_MIN` to `K_MAX` (fewer on a small list, at least
   `MIN_SIZE` papers a cluster on average) and the k, seed with the best
   simplified silhouette wins: for each paper, how much closer it is to its own
   centroid than to the next one, averaged.
2. Name each cluster by its most distinctive phrases: single terms and two-word
   phrases (adjacent content words found in two papers or more), ranked by how
   much more often the cluster's papers hold them than the other papers do.
   The title joins the best three, the id is made of the best one.
3. Turn the phrases into rules the classifier runs: the share of the papers
   holding a phrase that are in the cluster (its precision) sets the weight:
   4 when it alone should place a paper, 3 or 2 when it needs support.
4. Check with `classify.classify` that every paper lands in a topic; a paper
   that does not gives its cluster a rule of its own top term, at the
   threshold's weight, so that it does.

The draft is a starting point for a curator, not a finished taxonomy: the ids
become URLs, so they should be reviewed before the site is published.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import yaml

from . import classify, related
from .layout import PAPERS_DIR
from .load import load_paper
from .model import Origin, Paper, Problem, Rule, Taxonomy, Topic
from .taxonomy import TOPICS_FILE, load_taxonomy
from .text import tokenize

K_MIN, K_MAX = 8, 25
MIN_SIZE = 5
SEEDS = (1, 2, 3)
ITERATIONS = 30
RULES = 12
THRESHOLD, MAX_TOPICS, TITLE_WEIGHT = 4, 3, 2
_ORIGIN = Origin(f"content/{TOPICS_FILE}")


@dataclass(frozen=True)
class Draft:
    taxonomy: Taxonomy
    #: The cluster (index into taxonomy.topics) of each paper, in the order of the papers given.
    labels: tuple[int, ...]
    silhouette: float
    #: Rules added so that every paper lands in a topic.
    added_rules: int
    #: Papers still in no topic (no content word at all).
    uncovered: tuple[str, ...]


def load_papers(content_dir: Path, display: str = "content") -> tuple[list[Paper], list[Problem]]:
    """Every paper of `content_dir`; topics set by hand are checked against topics.yml if there is one."""
    taxonomy, _ = load_taxonomy(content_dir / TOPICS_FILE, f"{display}/{TOPICS_FILE}")
    ids = taxonomy.ids if taxonomy else ()
    papers, problems = [], []
    for path in sorted((content_dir / PAPERS_DIR).glob("*.md")):
        paper, found = load_paper(path, f"{display}/{PAPERS_DIR}/{path.name}", ids)
        problems += found
        if paper is not None:
            papers.append(paper)
    return papers, problems


def spherical_kmeans(x: sp.csr_matrix, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Cluster the unit rows of `x` into `k` groups; return the labels and the similarities (n × k)."""
    n = x.shape[0]
    rng = np.random.default_rng(seed)
    chosen = [int(rng.integers(n))]
    distance = 1.0 - (x @ x[chosen[0]].T).toarray().ravel()
    for _ in range(k - 1):
        weights = np.clip(distance, 0.0, None) ** 2
        weights[chosen] = 0.0
        total = weights.sum()
        pick = (
            int(rng.choice(n, p=weights / total)) if total > 0 else int(np.setdiff1d(np.arange(n), chosen)[0])
        )
        chosen.append(pick)
        distance = np.minimum(distance, 1.0 - (x @ x[pick].T).toarray().ravel())
    centroids = x[chosen].toarray()
    labels = np.full(n, -1)
    for _ in range(ITERATIONS):
        sims = np.asarray(x @ centroids.T)
        new = sims.argmax(axis=1)
        for j in range(k):  # an empty cluster takes the paper its own centroid serves worst
            if not (new == j).any():
                served = sims[np.arange(n), new]
                sizes = np.bincount(new, minlength=k)
                served[sizes[new] < 2] = np.inf
                new[int(served.argmin())] = j
        if (new == labels).all():
            break
        labels = new
        members = sp.csr_matrix((np.ones(n), (labels, np.arange(n))), shape=(k, n))
        centroids = np.asarray((members @ x).todense())
        norms = np.linalg.norm(centroids, axis=1, keepdims=True)
        centroids /= np.where(norms == 0, 1.0, norms)
    return labels, np.asarray(x @ centroids.T)


def silhouette(labels: np.ndarray, sims: np.ndarray) -> float:
    """Mean simplified silhouette, with cosine distances to the centroids."""
    n = len(labels)
    own = 1.0 - sims[np.arange(n), labels]
    others = sims.copy()
    others[np.arange(n), labels] = -np.inf
    nearest = 1.0 - others.max(axis=1)
    bound = np.maximum(own, nearest)
    return float(np.where(bound > 0, (nearest - own) / np.where(bound > 0, bound, 1.0), 0.0).mean())


def cluster(x: sp.csr_matrix) -> tuple[np.ndarray, float]:
    """The best clustering of `x` over k and seeds.

    On sparse text the silhouette grows with k, by splitting off ever smaller
    groups; so the best is the clustering with the highest silhouette among those
    whose every cluster holds `MIN_SIZE` papers (the size topics.yml's guide asks
    of a topic), then by silhouette alone.  Ties: smaller k, then seed.
    """
    n = x.shape[0]
    top = max(1, min(K_MAX, n // MIN_SIZE))
    best: tuple[tuple[bool, float], np.ndarray] | None = None
    for k in range(min(K_MIN, top), top + 1):
        for seed in SEEDS:
            labels, sims = spherical_kmeans(x, k, seed)
            score = silhouette(labels, sims) if k > 1 else 0.0
            rank = (bool(np.bincount(labels, minlength=k).min() >= MIN_SIZE), round(score, 9))
            if best is None or rank > best[0]:
                best = (rank, labels)
    assert best is not None
    return best[1], best[0][1]


def _phrases(paper: Paper) -> set[str]:
    """The content words of a paper and its two-word phrases of adjacent content words."""
    out: set[str] = set()
    for text in (paper.title, paper.abstract):
        words = tokenize(text)
        content = [related.is_content_word(w) for w in words]
        out.update(w for w, c in zip(words, content, strict=True) if c)
        out.update(
            f"{a} {b}"
            for a, b, ca, cb in zip(words, words[1:], content, content[1:], strict=False)
            if ca and cb
        )
    return out


def _surface(papers: Sequence[Paper]) -> dict[str, str]:
    """How each word is most often written in titles ("LLM", "GPUs"), for topic titles."""
    forms: dict[str, Counter[str]] = {}
    for paper in papers:
        for word in re.findall(r"[^\W_]+", paper.title):
            forms.setdefault(word.lower(), Counter())[word] += 1
    out = {}
    for lower, counts in forms.items():
        form = max(sorted(counts), key=lambda w: counts[w])
        out[lower] = form if form[1:] != form[1:].lower() else lower
    return out


def _title(phrases: Sequence[str], surface: dict[str, str]) -> str:
    shown = [" ".join(surface.get(w, w) for w in p.split()) for p in phrases]
    text = ", ".join(shown[:-1]) + (" & " if len(shown) > 1 else "") + shown[-1]
    return text[0].upper() + text[1:]


def _slug(text: str, taken: set[str]) -> str:
    base = "-".join(re.findall(r"[a-z0-9]+", text.lower())) or "topic"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _stems(phrase: str) -> set[str]:
    return {w.removesuffix("s") for w in phrase.split()}  # "network" and "networks" name one thing


def _naming(distinct: np.ndarray, terms: Sequence[str], phrases: Sequence[str]) -> list[str]:
    """Up to three names: the terms of highest centroid weight above the corpus's, each replaced
    by the cluster's best two-word phrase holding it, if there is one."""
    names: list[str] = []
    for i in np.lexsort((np.arange(len(terms)), -distinct))[:12]:
        if distinct[i] <= 0:
            break
        term = terms[i]
        name = next((p for p in phrases if " " in p and term in p.split()), term)
        if not any(_stems(name) & _stems(other) for other in names):
            names.append(name)
        if len(names) == 3:
            break
    return names or ["miscellaneous"]


def name_clusters(
    papers: Sequence[Paper], labels: np.ndarray, x: sp.csr_matrix, terms: Sequence[str]
) -> list[Topic]:
    """A topic per cluster: title, id, description and weighted rules from its distinctive phrases."""
    k = int(labels.max()) + 1
    members = sp.csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))), shape=(k, len(labels)))
    sizes = np.maximum(np.bincount(labels, minlength=k), 1)[:, None]
    # Each cluster's mean TF-IDF weight of every term, less the whole list's.
    distinct = np.asarray((members @ x).todense()) / sizes - np.asarray(x.mean(axis=0))
    sets = [_phrases(p) for p in papers]
    df = Counter(p for s in sets for p in s)
    vocabulary = sorted(p for p, c in df.items() if c >= 2)
    column = {p: i for i, p in enumerate(vocabulary)}
    rows = [i for i, s in enumerate(sets) for p in s if p in column]
    cols = [column[p] for s in sets for p in s if p in column]
    presence = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(papers), len(vocabulary)))
    total = np.asarray(presence.sum(axis=0)).ravel()
    surface = _surface(papers)
    n, taken, topics = len(papers), set[str](), []
    for c in range(k):
        members = labels == c
        size = int(members.sum())
        inside = np.asarray(presence[np.flatnonzero(members)].sum(axis=0)).ravel()
        precision = inside / np.maximum(total, 1)
        # How much more often the cluster holds a phrase than the rest, times its rarity.
        lift = (inside / size - (total - inside) / max(n - size, 1)) * np.log(n / np.maximum(total, 1))
        ranked = [
            i
            for i in np.lexsort((np.arange(len(vocabulary)), -lift))
            if inside[i] >= max(2, 0.1 * size) and precision[i] >= 0.3 and lift[i] > 0
        ][:RULES]
        naming = _naming(distinct[c], terms, [vocabulary[i] for i in ranked if precision[i] >= 0.5])
        rules = tuple(
            Rule(vocabulary[i], 4 if precision[i] >= 0.75 else 3 if precision[i] >= 0.5 else 2)
            for i in ranked
        )
        topics.append(
            Topic(
                id=_slug(naming[0], taken),
                title=_title(naming, surface),
                description=f"Draft: {size} papers on {', '.join(naming)}. Rename, describe and prune.",
                rules=rules,
                origin=_ORIGIN,
            )
        )
    return topics


def _taxonomy(topics: Sequence[Topic]) -> Taxonomy:
    return Taxonomy(tuple(topics), THRESHOLD, MAX_TOPICS, TITLE_WEIGHT, _ORIGIN)


def suggest(papers: Sequence[Paper]) -> Draft:
    """Draft a taxonomy of `papers` in which every paper with a content word lands in a topic."""
    x, terms = related.weigh_terms(papers)
    labels, score = cluster(x)
    topics = name_clusters(papers, labels, x, terms)
    added = 0
    uncovered: list[str] = []
    assignments = classify.classify(papers, _taxonomy(topics))
    for i, paper in enumerate(papers):
        if assignments[paper.slug].topics:
            continue
        row = x.getrow(i)
        if row.nnz == 0:
            uncovered.append(paper.slug)
            continue
        term = terms[int(row.indices[row.data.argmax()])]
        topic = topics[int(labels[i])]
        kept = tuple(r for r in topic.rules if r.phrase != term)
        topics[int(labels[i])] = Topic(
            topic.id, topic.title, topic.description, (*kept, Rule(term, THRESHOLD)), topic.origin
        )
        added += 1
    taxonomy = _taxonomy(topics)
    if added:
        assignments = classify.classify(papers, taxonomy)
        uncovered = sorted(set(uncovered) | {s for s, a in assignments.items() if not a.topics})
    return Draft(taxonomy, tuple(int(v) for v in labels), score, added, tuple(uncovered))


def render(draft: Draft, papers: int) -> str:
    """The draft as a topics.yml that `load_taxonomy` reads."""
    k = len(draft.taxonomy.topics)
    header = (
        f"# Draft topics suggested by `python -m generator topics suggest` from the titles and abstracts\n"
        f"# of {papers} papers: {k} clusters of their TF-IDF vectors (spherical k-means; silhouette\n"
        f"# {draft.silhouette:.3f}), each named by its most distinctive phrases.  Review before publishing:\n"
        "# ids become URLs; titles and descriptions are the readers'; prune the rules\n"
        "# (`python -m generator topics` and `topics --explain SLUG` show their effect).\n"
    )
    data = {
        "settings": {"threshold": THRESHOLD, "max_topics": MAX_TOPICS, "title_weight": TITLE_WEIGHT},
        "topics": [
            {
                "id": t.id,
                "title": t.title,
                "description": t.description,
                "rules": {r.phrase: int(r.weight) for r in t.rules},
            }
            for t in draft.taxonomy.topics
        ],
    }
    body = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100)
    return header + body


def adjusted_rand(a: Sequence[object], b: Sequence[object]) -> float:
    """The adjusted Rand index of two labelings of the same items (1: identical, ~0: chance)."""
    _, ai = np.unique(np.asarray(a, dtype=str), return_inverse=True)
    _, bi = np.unique(np.asarray(b, dtype=str), return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1))
    np.add.at(table, (ai, bi), 1)

    def pairs(v: np.ndarray) -> float:
        return float((v * (v - 1) / 2).sum())

    index, rows, cols, total = (
        pairs(table),
        pairs(table.sum(1)),
        pairs(table.sum(0)),
        pairs(np.array([len(a)])),
    )
    expected = rows * cols / total if total else 0.0
    top = (rows + cols) / 2 - expected
    return (index - expected) / top if top else 1.0


def best_match_f1(truth: Sequence[object], found: Sequence[object]) -> float:
    """For each true group, the F1 of the found group that matches it best, weighted by its size."""
    score = 0.0
    for group in sorted(set(map(str, truth))):
        mine = {i for i, t in enumerate(truth) if str(t) == group}
        best = 0.0
        for other in set(map(str, found)):
            theirs = {i for i, f in enumerate(found) if str(f) == other}
            both = len(mine & theirs)
            best = max(best, 2 * both / (len(mine) + len(theirs)))
        score += best * len(mine)
    return score / len(truth) if truth else 1.0
