"""Probable duplicates: the same paper listed again under a slightly different title.

The rules, as pure functions: the same id (`shared_ids`), titles equal or a
few letters apart once normalised (`match_titles`, and `near_titles` across a
whole list, linear-ish: it never compares all pairs), and alike titles and
abstracts (`alike_texts`).  `validate` warns about near titles across content/
(exact clashes are `validate.find_duplicates`' errors); `review` applies all
three to the papers a pull request adds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Sequence
from itertools import pairwise
from typing import TypeVar

from .model import Paper

K = TypeVar("K", bound=Hashable)

#: Words dropped from the start of a title ("The Serial Scaling Hypothesis").
ARTICLES = frozenset({"a", "an", "the"})
#: Longest edit distance between normalised titles that still counts as "the same title".
MAX_EDITS = 3
#: Characters of normalised title per allowed edit: short titles must match more closely.
CHARS_PER_EDIT = 12
#: How many neighbours each title is compared with in the sorted orders.
WINDOW = 4

_WORD = re.compile(r"[^\W_]+")
_VERSION = re.compile(r"v\d+")
_NUMBER = re.compile(r"\d+")


def title_norm(title: str) -> str:
    """`title` without case, accents, punctuation, spaces, a leading article or a version suffix.

    "Stim: A Fast Stabilizer-Circuit Simulator." and "stim: a fast stabilizer
    circuit simulator v2" both become "stimafaststabilizercircuitsimulator".
    """
    text = title.casefold()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = _WORD.findall(text)
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    if len(words) > 1 and _VERSION.fullmatch(words[-1]):
        words = words[:-1]
    return "".join(words)


def allowed_edits(a: str, b: str) -> int:
    """How many edits two normalised titles may differ by and still be one paper's."""
    return min(MAX_EDITS, min(len(a), len(b)) // CHARS_PER_EDIT)


def edit_distance(a: str, b: str, cap: int) -> int:
    """The Levenshtein distance of `a` and `b` if it is at most `cap`, else `cap + 1`.

    Only the band of `cap` cells either side of the diagonal can hold a distance
    up to `cap`, so this costs O(len × cap), not O(len²); a shared start and end
    cost nothing, and two different strings are given up after a few rows.
    """
    over = cap + 1
    if abs(len(a) - len(b)) > cap:
        return over
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a, b = a[start : len(a) - end], b[start : len(b) - end]
    n = len(b)
    # prev[j] is the distance of a[:i-1] and b[:j]; cells outside the band stay at `over`.
    prev = [j if j <= cap else over for j in range(n + 1)]
    for i in range(1, len(a) + 1):
        cur = [over] * (n + 1)
        if i <= cap:
            cur[0] = i
        ca = a[i - 1]
        best = cur[0]
        for j in range(max(1, i - cap), min(n, i + cap) + 1):
            cost = prev[j - 1] if ca == b[j - 1] else prev[j - 1] + 1
            if prev[j] + 1 < cost:
                cost = prev[j] + 1
            if cur[j - 1] + 1 < cost:
                cost = cur[j - 1] + 1
            if cost > over:
                cost = over
            cur[j] = cost
            if cost < best:
                best = cost
        if best > cap:
            return over
        prev = cur
    return prev[n] if prev[n] < over else over


def title_match(a: str, b: str) -> str | None:
    """Why two titles look like one paper's, or None.

    Titles whose numbers differ ("Part 2", "GPT-4") name different papers of a
    series, however close they are otherwise.
    """
    return norm_match(title_norm(a), title_norm(b))


def norm_match(na: str, nb: str) -> str | None:
    """`title_match` of two titles already normalised by `title_norm`."""
    if not na or not nb:
        return None
    if na == nb:
        return "the same title up to case, punctuation, a leading article or a version suffix"
    if _NUMBER.findall(na) != _NUMBER.findall(nb):
        return None
    cap = allowed_edits(na, nb)
    if cap == 0:
        return None
    distance = edit_distance(na, nb, cap)
    if distance > cap:
        return None
    return f"titles {distance} letter{'s' if distance > 1 else ''} apart"


#: Bits of a title's signature: each letter pair of the title sets one.
SIGNATURE_BITS = 256


def _signature(norm: str) -> int:
    """The letter pairs of `norm` as bits of one int (a Bloom filter of them)."""
    return sum(1 << bit for bit in {hash(pair) % SIGNATURE_BITS for pair in pairwise(norm)})


class _Titles:
    """Normalised titles and their signatures, to rule most pairs out without a distance."""

    def __init__(self, titles: Sequence[str]) -> None:
        self.norms = [title_norm(t) for t in titles]
        self.signatures = [_signature(n) for n in self.norms]

    def match(self, i: int, other: _Titles, j: int) -> str | None:
        na, nb = self.norms[i], other.norms[j]
        if na != nb:
            cap = allowed_edits(na, nb)
            if abs(len(na) - len(nb)) > cap:
                return None
            # An edit removes at most two letter pairs of a title, so at most 2 × cap pairs of
            # one title are missing from the other; a bit set in one signature only, stands for
            # at least one such pair.  Hash collisions only let more pairs through.
            if (self.signatures[i] & ~other.signatures[j]).bit_count() > 2 * cap:
                return None
        return norm_match(na, nb)


def match_titles(new: Sequence[str], old: Sequence[str]) -> list[tuple[int, int, str]]:
    """Pairs `(i, j, why)` of a title of `new` and one of `old` that look like one paper's.

    Compares every pair, cheaply: meant for the few papers a pull request adds.
    """
    left, right = _Titles(new), _Titles(old)
    return [
        (i, j, why)
        for i in range(len(new))
        for j in range(len(old))
        if (why := left.match(i, right, j)) is not None
    ]


def near_titles(titles: Sequence[str]) -> list[tuple[int, int, str]]:
    """Pairs `(i, j, why)`, i < j, of titles that look like one paper's.

    Equal normalised titles are found by bucketing; titles a few edits apart
    meet among their `WINDOW` neighbours when sorted forwards (an edit near the
    end) or by their reversed text (an edit near the start).  An edit in the
    middle of a title is found unless more than `WINDOW` other titles share its
    start and its end; that is the price of O(n log n) instead of all pairs.
    """
    index = _Titles(titles)
    norms = index.norms
    candidates: set[tuple[int, int]] = set()
    present = [i for i in range(len(norms)) if norms[i]]
    backwards = [n[::-1] for n in norms]
    # Sorting is stable: equal keys keep the order of `present`.
    for order in (sorted(present, key=norms.__getitem__), sorted(present, key=backwards.__getitem__)):
        for pos, i in enumerate(order):
            for j in order[pos + 1 : pos + 1 + WINDOW]:
                candidates.add((i, j) if i < j else (j, i))
    # Equal titles sort together but a bucket may outgrow the window: pair each with its first.
    first: dict[str, int] = {}
    for i in present:
        j = first.setdefault(norms[i], i)
        if j != i:
            candidates.add((j, i))
    out = []
    for i, j in sorted(candidates):
        why = index.match(i, index, j)
        if why is not None:
            out.append((i, j, why))
    return out


def shared_ids(new: Sequence[frozenset[K]], old: Sequence[frozenset[K]]) -> list[tuple[int, int, K]]:
    """Pairs `(i, j, id)` of an entry of `new` and one of `old` that share an id (the smallest)."""
    by_id: dict[K, list[int]] = {}
    for j, ids in enumerate(old):
        for id_ in ids:
            by_id.setdefault(id_, []).append(j)
    found: dict[tuple[int, int], K] = {}
    for i, ids in enumerate(new):
        for id_ in sorted(ids, key=repr):
            for j in by_id.get(id_, ()):
                found.setdefault((i, j), id_)
    return [(i, j, id_) for (i, j), id_ in sorted(found.items())]


def alike_texts(new: Sequence[Paper], old: Sequence[Paper], threshold: float) -> list[tuple[int, int, float]]:
    """Pairs `(i, j, cosine)` of a paper of `new` and one of `old` whose title-and-abstract
    vectors (`related.weigh`, weighed over both lists) have a cosine of at least `threshold`."""
    if not new or not old:
        return []
    from .related import weigh  # numpy and scipy: only when a review runs

    matrix = weigh([*old, *new])
    cosines = (matrix[len(old) :] @ matrix[: len(old)].T).toarray().round(6)
    rows, cols = (cosines >= threshold).nonzero()
    return [(int(i), int(j), float(cosines[i, j])) for i, j in zip(rows, cols, strict=True)]
