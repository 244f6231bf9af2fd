"""Near-duplicate titles: the normal form, the banded edit distance and the sorted-neighbour search."""

from __future__ import annotations

import random

import pytest

from generator.dedupe import edit_distance, match_titles, near_titles, title_match, title_norm


def levenshtein(a: str, b: str) -> int:
    """The textbook quadratic distance, to check the banded one against."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[:], i
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j - 1] + (ca != cb), prev[j] + 1, row[j - 1] + 1)
    return row[-1]


@pytest.mark.parametrize("seed", range(5))
def test_banded_distance_is_the_distance_up_to_the_cap(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(2000):
        a = "".join(rng.choice("abc") for _ in range(rng.randint(0, 12)))
        b = "".join(rng.choice("abc") for _ in range(rng.randint(0, 12)))
        cap = rng.randint(0, 4)
        assert edit_distance(a, b, cap) == min(levenshtein(a, b), cap + 1), (a, b, cap)


@pytest.mark.parametrize(
    ("title", "norm"),
    [
        ("Stim: A Fast Stabilizer-Circuit Simulator.", "stimafaststabilizercircuitsimulator"),
        ("Stim: a fast stabilizer circuit simulator", "stimafaststabilizercircuitsimulator"),
        ("The Serial Scaling Hypothesis", "serialscalinghypothesis"),
        ("An Attention Is All You Need v2", "attentionisallyouneed"),
        ("Schrödinger's Équation", "schrodingersequation"),
        ("The", "the"),  # a title that is only an article keeps it
        ("v2", "v2"),
    ],
)
def test_title_norm(title: str, norm: str) -> None:
    assert title_norm(title) == norm


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [
        ("Attention Is All You Need", "attention is all you need.", "the same title"),
        ("Attention Is All You Need", "Atention Is All You Need", "titles 1 letter apart"),
        ("Attention Is All You Need", "Attention Is All You Neeed!!", "titles 1 letter apart"),
        ("Attention Is All You Need", "Attention Was All You Need", None),  # 3 edits, short title
        ("Llama 2: Open Foundation Models", "Llama 3: Open Foundation Models", None),  # a series
        ("BERT", "BART", None),  # short titles must match exactly
        ("", "", None),
    ],
)
def test_title_match(a: str, b: str, why: str | None) -> None:
    got = title_match(a, b)
    if why is None:
        assert got is None
    else:
        assert got is not None and got.startswith(why), got


def test_sorted_neighbours_find_what_all_pairs_find_on_a_realistic_list() -> None:
    rng = random.Random(3)
    words = [
        "quantum",
        "circuit",
        "learning",
        "proof",
        "model",
        "formal",
        "neural",
        "graph",
        "code",
        "reasoning",
        "fast",
        "scalable",
    ]
    titles = [" ".join(rng.choice(words).capitalize() for _ in range(rng.randint(4, 8))) for _ in range(600)]
    for i in range(0, 600, 50):  # plant near copies: a letter dropped at the start, middle or end
        t = titles[i]
        k = rng.choice([1, len(t) // 2, len(t) - 2])
        titles.append(t[:k] + t[k + 1 :])
    pairs = {(i, j) for i, j, _ in near_titles(titles)}
    everything = {(i, j) for i, j, _ in match_titles(titles, titles) if i < j}
    assert len(everything) >= 12
    assert pairs == everything
