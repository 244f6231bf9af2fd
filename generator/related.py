"""Find, for each paper, the papers most similar to it by content.

Similarity is the cosine of TF-IDF vectors over the title (counted
`TITLE_WEIGHT` times) and the abstract, with sublinear
term frequency (``1 + log tf``), smoothed IDF and English stop words removed;
terms found in more than half of the papers are dropped (their IDF is close to
the minimum, so they barely move a cosine, yet they would make every pair of
papers share a term).

The curator's notes are left out on purpose.  They are commentary, often
naming *other* papers ("compare with …"), which would pull unrelated papers
together; and a similarity that read them would change with every notes
edit, so one edit would recompute the lists of the whole collection and could
move the related lists of papers nobody touched.

It has to stay fast at 10,000 papers, so there is no N × N matrix: similarity
rows are computed `BLOCK` papers at a time as sparse products, and only the
best few of each row are kept.  The work of a sparse product grows with the
sum of the squared document frequencies of its terms, which grows with the
square of the list.  While that sum is within `BUDGET` the result is the exact
cosine ranking (the shipped list is far below it).  Past it, the most common
terms are left out of the product until it fits; the `CANDIDATES` best papers
of each row by that partial score are then re-scored with every term, and the
best `k` of them by full cosine are kept.  A neighbour that shares only common
words with a paper can then be missed, which is the price of staying linear.

Ties are broken by slug, on scores rounded to `DECIMALS` places, so float noise
cannot reorder equal scores.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from .model import Paper
from .text import tokenize as words

K = 5
TITLE_WEIGHT = 3
#: Terms found in more than this share of the papers are dropped ...
PRUNE_SHARE = 0.5
#: ... unless they are found in at most this many papers, so that tiny lists keep their words.
PRUNE_MIN_DF = 10
#: Multiply-adds one sparse product may cost (the sum of squared document frequencies).
BUDGET = 30_000_000
#: Papers per row block; a block's scores take at most BLOCK × N floats.
BLOCK = 512
#: Papers per row re-scored with every term when common terms had to be left out.
CANDIDATES = 25
DECIMALS = 9
#: Score histogram resolution used to find each row's best entries without sorting the row.
_BINS = 1024

# The usual English stop words (the list of the Glasgow IR group, as used by
# scikit-learn), and the boilerplate of abstracts, which says nothing about a topic.
_STOP_TEXT = """
    a about above across after afterwards again against all almost alone along already also although
    always am among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere
    are around as at back be became because become becomes becoming been before beforehand behind
    being below beside besides between beyond bill both bottom but by call can cannot cant co con
    could couldnt cry de describe detail do done down due during each eg eight either eleven else
    elsewhere empty enough etc even ever every everyone everything everywhere except few fifteen
    fifty fill find fire first five for former formerly forty found four from front full further get
    give go had has hasnt have he hence her here hereafter hereby herein hereupon hers herself him
    himself his how however hundred i ie if in inc indeed interest into is it its itself keep last
    latter latterly least less ltd made many may me meanwhile might mill mine more moreover most
    mostly move much must my myself name namely neither never nevertheless next nine no nobody none
    noone nor not nothing now nowhere of off often on once one only onto or other others otherwise our
    ours ourselves out over own part per perhaps please put rather re same see seem seemed seeming
    seems serious several she should show side since sincere six sixty so some somehow someone
    something sometime sometimes somewhere still such take ten than that the their them
    themselves then thence there thereafter thereby therefore therein thereupon these they thick thin
    third this those though three through throughout thru thus to together too top toward towards
    twelve twenty two un under until up upon us very via was we well were what whatever when whence
    whenever where whereafter whereas whereby wherein whereupon wherever whether which while whither
    who whoever whole whom whose why will with within without would yet you your yours yourself
    yourselves
    paper papers propose proposed present presents presented show shows shown demonstrate
    demonstrates results result approach approaches method methods work works new novel based using
    use used existing recent recently significantly significant furthermore additionally
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def is_content_word(term: str) -> bool:
    # Single letters and bare numbers ("2", "x") are noise, not content.
    return len(term) > 1 and not term.isdigit() and term not in STOP_WORDS


def count_terms(papers: Sequence[Paper]) -> tuple[sp.csr_matrix, list[str]]:
    """Return the weighted term counts (papers × terms) and the terms, in first-seen order."""
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__  # a new term gets the next column
    column = vocabulary.__getitem__
    indices: list[int] = []
    lengths = np.zeros(len(papers), dtype=np.int64)
    for i, paper in enumerate(papers):
        before = len(indices)
        indices.extend(map(column, words(paper.title) * TITLE_WEIGHT))
        indices.extend(map(column, words(paper.abstract)))
        lengths[i] = len(indices) - before
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    ones = np.ones(len(indices))
    matrix = sp.csr_matrix(
        (ones, np.asarray(indices, dtype=np.int32), indptr), shape=(len(papers), len(vocabulary))
    )
    matrix.sum_duplicates()  # one entry per (paper, term), holding the count
    return matrix, list(vocabulary)


def weigh(papers: Sequence[Paper]) -> sp.csr_matrix:
    """Return the L2-normalised TF-IDF matrix (papers × kept terms) of `papers`, in the given order."""
    return weigh_terms(papers)[0]


def weigh_terms(papers: Sequence[Paper]) -> tuple[sp.csr_matrix, list[str]]:
    """`weigh`, and the term of each column (topic suggestions name clusters by them)."""
    n = len(papers)
    tf, terms = count_terms(papers)
    df = np.bincount(tf.indices, minlength=len(terms))
    content = np.fromiter(map(is_content_word, terms), dtype=bool, count=len(terms))
    keep = np.flatnonzero(content & (df <= max(PRUNE_SHARE * n, PRUNE_MIN_DF)))
    tf = tf[:, keep].tocsr()
    idf = np.log((1.0 + n) / (1.0 + df[keep])) + 1.0
    tf.data = (1.0 + np.log(tf.data)) * idf[tf.indices]
    norms = np.sqrt(np.bincount(np.repeat(np.arange(n), np.diff(tf.indptr)), tf.data**2, minlength=n))
    norms[norms == 0] = 1.0
    tf.data /= np.repeat(norms, np.diff(tf.indptr))
    return tf, [terms[i] for i in keep.tolist()]


def affordable_df(df: np.ndarray, budget: int) -> int:
    """The highest document frequency such that the terms up to it cost at most `budget`."""
    values, counts = np.unique(df, return_counts=True)
    cost = np.cumsum(values.astype(np.float64) ** 2 * counts)
    fits = int(np.searchsorted(cost, budget, side="right"))
    return int(values[fits - 1]) if fits else 0


def _best(
    rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, nrows: int, count: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keep the `count` best entries of each row, by rounded score desc then column.

    `rows` are int32 row numbers below `nrows`.  Returns the entries kept,
    ordered by row, then rank.  A histogram of the scores finds the bin of
    each row's `count`-th best, so only the entries from the bin below it up
    are rounded and sorted.  Rounding moves a score by far less than a bin, so
    every entry that could tie with the last one kept is among them, and ties
    are settled by column, not by chance.
    """
    # Scores are cosines, in [0, 1 + float noise], so the bins are 0 … _BINS.
    width = _BINS + 1
    key = (scores * _BINS).astype(np.int32)
    key += rows * width
    hist = np.bincount(key, minlength=nrows * width).reshape(nrows, width)
    reached = np.cumsum(hist[:, ::-1], axis=1) >= count
    lowest = np.where(reached.any(axis=1), width - 2 - reached.argmax(axis=1), 0).astype(np.int32)
    lowest += np.arange(nrows, dtype=np.int32) * width
    near = np.flatnonzero(key >= lowest[rows])
    rows, cols, scores = rows.take(near), cols.take(near), np.round(scores.take(near), DECIMALS)
    order = np.lexsort((cols, -scores, rows))
    rows, cols, scores = rows[order], cols[order], scores[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
    kept = rank < count
    return rows[kept], cols[kept], scores[kept]


def _pair_dots(left: np.ndarray, matrix: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Dot products of `left[rows[i]]` (dense rows) with `matrix[cols[i]]` (sparse rows)."""
    right = matrix[cols]
    lengths = np.diff(right.indptr)
    at = np.repeat(rows.astype(np.int64) * left.shape[1], lengths) + right.indices
    products = right.data * left.ravel().take(at)
    if len(products) == 0:
        return np.zeros(len(cols))
    sums = np.add.reduceat(products, np.minimum(right.indptr[:-1], len(products) - 1))
    sums[lengths == 0] = 0.0  # reduceat gives a value, not 0, for an empty run
    return sums


def find_related(papers: Sequence[Paper], k: int = K) -> dict[str, tuple[str, ...]]:
    """Return the `k` most similar papers of each paper, by slug.

    A paper is never its own neighbour, and papers that share no term with it
    are not neighbours, so tiny lists give fewer than `k`.
    """
    ordered = sorted(papers, key=lambda p: p.slug)
    slugs = [p.slug for p in ordered]
    n = len(ordered)
    if n < 2 or k <= 0:
        return {p.slug: () for p in papers}
    matrix = weigh(ordered)
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    cheap = df <= affordable_df(df, BUDGET)
    partial = matrix[:, np.flatnonzero(cheap)].tocsr()
    rest = matrix[:, np.flatnonzero(~cheap)].tocsr()
    rescore = rest.nnz > 0
    partial_t = partial.T.tocsr()
    related: dict[str, tuple[str, ...]] = {}
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        block = partial[start:stop] @ partial_t
        rows = np.repeat(np.arange(stop - start, dtype=np.int32), np.diff(block.indptr))
        cols, scores = block.indices, block.data
        # One more than needed, so that dropping the paper itself leaves enough.
        rows, cols, scores = _best(rows, cols, scores, stop - start, max(k, CANDIDATES) + 1)
        other = cols != rows + start
        rows, cols, scores = rows[other], cols[other], scores[other]
        if rescore:
            scores = scores + _pair_dots(rest[start:stop].toarray(), rest, rows, cols)
        rows, cols, _ = _best(rows, cols, scores, stop - start, k)
        bounds = np.searchsorted(rows, np.arange(stop - start + 1)).tolist()
        picked = cols.tolist()
        for i in range(stop - start):
            related[slugs[start + i]] = tuple(slugs[c] for c in picked[bounds[i] : bounds[i + 1]])
    return {p.slug: related[p.slug] for p in papers}
