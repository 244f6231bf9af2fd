"""Related papers: the right neighbours, deterministic, and the same as a brute-force cosine."""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st

from generator import related
from generator.load import load_content
from generator.model import Paper
from generator.related import find_related, weigh
from generator.text import tokenize

from .conftest import Built
from .helpers import paper

ROOT = Path(__file__).resolve().parents[2]

CORPUS = [
    paper(
        "surface-code-decoding",
        "Fast decoding of surface codes",
        "Surface codes protect logical qubits; we decode syndromes of the surface code with matching.",
    ),
    paper(
        "lattice-surgery",
        "Lattice surgery with surface codes",
        "Lattice surgery merges surface code patches of logical qubits; syndromes are decoded fast.",
    ),
    paper(
        "chain-of-thought",
        "Chain-of-thought prompting elicits reasoning",
        "Prompting a language model with a chain of thought improves arithmetic reasoning.",
    ),
    paper(
        "tree-of-thoughts",
        "Tree of thoughts: deliberate reasoning with language models",
        "A language model explores a tree of thoughts, reasoning over several chains.",
    ),
    paper(
        "risc-v-vector",
        "A RISC-V vector processor",
        "We build an out-of-order RISC-V core with a vector unit in silicon.",
    ),
    paper(
        "risc-v-cache",
        "Cache coherence for RISC-V many-core chips",
        "A directory protocol keeps caches coherent across a RISC-V many-core chip in silicon.",
    ),
]


def brute_force(papers: list[Paper], k: int, max_df: int | None = None) -> dict[str, tuple[str, ...]]:
    """The definition: full cosine matrix, self excluded, score desc then slug.

    With `max_df`, only papers sharing a term found in at most `max_df` papers can be neighbours.
    """
    ordered = sorted(papers, key=lambda p: p.slug)
    matrix = weigh(ordered)
    sims = (matrix @ matrix.T).toarray()
    reachable = sims > 0
    if max_df is not None:
        df = np.bincount(matrix.indices, minlength=matrix.shape[1])
        cheap = matrix[:, np.flatnonzero(df <= max_df)]
        reachable = (cheap @ cheap.T).toarray() > 0
    out = {}
    for i, p in enumerate(ordered):
        ranked = sorted(
            (-round(float(sims[i, j]), related.DECIMALS), ordered[j].slug)
            for j in range(len(ordered))
            if j != i and reachable[i, j]
        )
        out[p.slug] = tuple(slug for _score, slug in ranked[:k])
    return out


def random_corpus(n: int, seed: int) -> list[Paper]:
    """Papers drawn from a small vocabulary, so that many pairs overlap and many scores tie."""
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(60)]
    papers = []
    for i in range(n):
        text = " ".join(rng.choices(words, k=rng.randint(3, 12)))
        papers.append(paper(f"p{i:03d}", f"title {rng.choice(words)}", text))
    # Exact duplicates: their scores tie with each other to the last bit.
    papers += [paper(f"dup-{c}", "title w1", "w2 w3 w4") for c in "dcba"]
    return papers


def test_obvious_neighbours_come_first() -> None:
    result = find_related(CORPUS, k=2)
    pairs = {
        "surface-code-decoding": "lattice-surgery",
        "lattice-surgery": "surface-code-decoding",
        "chain-of-thought": "tree-of-thoughts",
        "tree-of-thoughts": "chain-of-thought",
        "risc-v-vector": "risc-v-cache",
        "risc-v-cache": "risc-v-vector",
    }
    assert {slug: ns[0] for slug, ns in result.items()} == pairs


def test_deterministic_and_independent_of_input_order() -> None:
    papers = random_corpus(80, seed=3)
    first = find_related(papers)
    shuffled = papers[:]
    random.Random(9).shuffle(shuffled)
    assert find_related(papers) == first
    assert find_related(shuffled) == first
    assert list(find_related(shuffled)) == [p.slug for p in shuffled]


@pytest.mark.parametrize("k", [1, 2, 5])
def test_self_excluded_and_k_respected(k: int) -> None:
    result = find_related(random_corpus(40, seed=1), k=k)
    assert all(slug not in ns for slug, ns in result.items())
    assert all(len(ns) == len(set(ns)) <= k for ns in result.values())
    assert sum(len(ns) == k for ns in result.values()) > 30


def test_tiny_lists_give_fewer_than_k() -> None:
    assert find_related([]) == {}
    assert find_related(CORPUS[:1]) == {"surface-code-decoding": ()}
    three = find_related(CORPUS[:3], k=5)
    assert three["surface-code-decoding"][0] == "lattice-surgery"
    assert all(len(ns) <= 2 for ns in three.values())


def test_papers_sharing_no_word_are_not_neighbours() -> None:
    papers = [paper("alpha", "Quantum annealing", "Annealers"), paper("beta", "Compilers", "Parsing")]
    assert find_related(papers) == {"alpha": (), "beta": ()}


def test_ties_are_broken_by_slug() -> None:
    same = [paper(slug, "Identical title", "Identical words here.") for slug in ("d", "b", "c", "a")]
    result = find_related([*same, paper("z", "Something else", "Unrelated text.")], k=2)
    assert result["a"] == ("b", "c")
    assert result["b"] == ("a", "c")
    assert result["d"] == ("a", "b")
    assert result["z"] == ()


def test_title_counts_more_than_abstract() -> None:
    query = paper("q", "Transactional memory", "Locks are slow.")
    in_title = paper("t", "Transactional memory hardware", "Caches are coherent.")
    in_abstract = paper("a", "Cache hierarchies", "Transactional memory hardware caches are coherent.")
    assert find_related([query, in_title, in_abstract], k=1)["q"] == ("t",)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_blocks_match_brute_force(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    papers = random_corpus(150, seed)
    monkeypatch.setattr(related, "BLOCK", 7)  # many blocks, a ragged last one
    assert find_related(papers) == brute_force(papers, related.K)


@pytest.mark.parametrize("budget", [500, 5000])
def test_rescoring_path_matches_brute_force(monkeypatch: pytest.MonkeyPatch, budget: int) -> None:
    """Past the budget, candidates share a cheap term and are ranked by their full cosine."""
    papers = random_corpus(120, seed=5)
    monkeypatch.setattr(related, "BUDGET", budget)
    monkeypatch.setattr(related, "CANDIDATES", len(papers))
    matrix = weigh(sorted(papers, key=lambda p: p.slug))
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    max_df = related.affordable_df(df, budget)
    assert 0 < max_df < df.max()  # the budget really bites
    assert find_related(papers) == brute_force(papers, related.K, max_df)


def test_affordable_df() -> None:
    df = np.array([1, 1, 2, 3, 3, 10])
    assert related.affordable_df(df, 10**9) == 10
    assert related.affordable_df(df, 1 + 1 + 4 + 9 + 9) == 3
    assert related.affordable_df(df, 1 + 1 + 4 + 9) == 2  # both df-3 terms, or neither
    assert related.affordable_df(df, 0) == 0


def test_stop_words_and_common_terms_do_not_relate_papers() -> None:
    filler = [paper(f"f{i}", f"Filler {i}", f"Model number {i} of the study.") for i in range(30)]
    a = paper("a", "Systolic arrays", "The model of the study.")
    b = paper("b", "Superconducting qubits", "The model of the study.")
    result = find_related([*filler, a, b])
    # "model" and "study" are in every paper (pruned), "the"/"of" are stop words: nothing is left.
    assert result["a"] == () and result["b"] == ()


@pytest.fixture(scope="module")
def shipped() -> tuple[Paper, ...]:
    content, problems = load_content(ROOT / "content", "content")
    assert content is not None, [str(p) for p in problems]
    return content.papers


def test_shipped_list_every_paper_has_five(shipped: tuple[Paper, ...]) -> None:
    result = find_related(shipped)
    assert set(result) == {p.slug for p in shipped}
    assert all(len(ns) == 5 for ns in result.values())
    assert find_related(shipped) == result


@pytest.mark.parametrize(
    ("slug", "neighbour"),
    [
        (
            "stim-a-fast-stabilizer-circuit-simulator",
            "surface-codes-towards-practical-large-scale-quantum-computation",
        ),
        (
            "is-complexity-important-for-philosophy-of-mind",
            "why-philosophers-should-care-about-computational-complexity",
        ),
        (
            "why-philosophers-should-care-about-computational-complexity",
            "is-complexity-important-for-philosophy-of-mind",
        ),
        (
            "polca-power-oversubscription-in-llm-cloud-providers",
            "splitwise-efficient-generative-llm-inference-using-phase-splitting",
        ),
    ],
)
def test_shipped_list_obvious_pairs(shipped: tuple[Paper, ...], slug: str, neighbour: str) -> None:
    assert find_related(shipped)[slug][0] == neighbour


@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
    | st.text(alphabet="aZ09 -_.,é\u212a\n", max_size=60)
)
def test_the_fast_tokenizer_finds_the_words_of_the_regex(text: str) -> None:
    """tokenize's ASCII shortcut (bytes.translate) gives what the regex gives on any text."""
    assert tokenize(text) == re.findall(r"[^\W_]+", text.lower())


def test_pair_dots_match_dense_products() -> None:
    rng = np.random.default_rng(4)
    dense = rng.random((12, 7)) * (rng.random((12, 7)) < 0.4)
    dense[3] = 0.0  # a row without terms
    matrix = sp.csr_matrix(dense)
    left = rng.random((4, 7))
    rows = np.array([0, 0, 1, 2, 3, 3], dtype=np.int32)
    cols = np.array([3, 5, 11, 0, 3, 11], dtype=np.int32)
    expected = [left[r] @ dense[c] for r, c in zip(rows, cols, strict=True)]
    assert np.allclose(related._pair_dots(left, matrix, rows, cols), expected, rtol=0, atol=1e-15)
    assert related._pair_dots(left, sp.csr_matrix((12, 7)), rows, cols).tolist() == [0.0] * 6


def test_built_pages_and_papers_json_list_the_related_papers(built: Built) -> None:
    data = json.loads((built.site / "papers.json").read_text(encoding="utf-8"))
    expected = find_related(list(built.papers.values()))
    assert {p["slug"]: tuple(p["related"]) for p in data["papers"]} == expected
    topics = {p["slug"]: {t["title"] for t in p["topics"]} for p in data["papers"]}
    for slug, neighbours in expected.items():
        page = built.page(f"papers/{slug}/").read_text(encoding="utf-8")
        section = page.split('id="related-papers"', 1)[1].split("<h2", 1)[0]
        # Grouped by the topics each shares with this paper, the reason said once per group;
        # the groups in the order of their most related paper, papers in order within.
        groups = re.findall(r"<p>(.*?)</p>\s*<ul>(.*?)</ul>", section, re.DOTALL)
        shown: list[str] = []
        for reason, items in groups:
            names = re.findall(r'href="\.\./\.\./topics/[^"]+">([^<]+)</a>', reason)
            shared = {html.unescape(t) for t in names}
            slugs = re.findall(r'<li><a href="\.\./([^/"]+)/"', items)
            assert slugs, (slug, reason)
            assert slugs == sorted(slugs, key=list(neighbours).index), slug
            for other in slugs:
                assert shared == topics[slug] & topics[other], (slug, other)
            shown += slugs
        assert sorted(shown) == sorted(neighbours), slug
        order = list(neighbours).index
        firsts = [min(order(s) for s in re.findall(r'<li><a href="\.\./([^/"]+)/"', g[1])) for g in groups]
        assert firsts == sorted(firsts), slug
