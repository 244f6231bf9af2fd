"""The classifier: rules on small fixtures, `topics --explain` through the CLI, and the shipped list."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from generator.classify import ABSTRACT_CAP, Matcher, assign, classify, score
from generator.load import load_content
from generator.model import Origin, Paper, Taxonomy
from generator.taxonomy import load_taxonomy

from .conftest import ROOT, CliRunner

TAXONOMY = """\
settings:
  threshold: 4
  max_topics: 2
  title_weight: 2
topics:
  - id: reasoning
    title: Reasoning
    description: How models reason.
    rules:
      chain of thought: 4
      reasoning: 1
  - id: verification
    title: Verification
    description: Proving programs correct.
    rules:
      verif*: 2
      theorem prov*: 4
      formal: 1
  - id: quantum
    title: Quantum computing
    description: Qubits and circuits.
    rules:
      qubit*: 4
      quantum: 1
      surface code: 3
  - id: hardware
    title: Hardware
    description: Chips and accelerators.
    rules:
      accelerator: 4
      gpu: 1
      # A false friend: "source code" is not a code of the hardware kind.
      source code: -2
      code: 1
"""


@pytest.fixture(scope="module")
def taxonomy(tmp_path_factory: pytest.TempPathFactory) -> Taxonomy:
    path = tmp_path_factory.mktemp("tax") / "topics.yml"
    path.write_text(TAXONOMY, encoding="utf-8")
    tax, problems = load_taxonomy(path, "topics.yml")
    assert problems == [] and tax is not None
    return tax


def paper(
    title: str,
    abstract: str = "",
    *,
    topics: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    slug: str = "p",
) -> Paper:
    return Paper(
        slug=slug,
        title=title,
        abstract=abstract,
        added=dt.date(2025, 1, 1),
        origin=Origin(f"content/papers/{slug}.md"),
        topics=topics,
        exclude_topics=exclude,
    )


def scores_of(taxonomy: Taxonomy, p: Paper) -> dict[str, float]:
    return score(Matcher(taxonomy), p)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chain-of-Thought prompting", 4.0),  # hyphens equal spaces
        ("CHAIN OF THOUGHT", 4.0),  # case-insensitive
        ("chain of thoughts", 0.0),  # whole words: "thoughts" is not "thought"
        ("a chain, of thought", 4.0),  # punctuation separates words like a space
        ("chainofthought", 0.0),
    ],
)
def test_phrases_match_whole_words_with_hyphens_as_spaces(
    taxonomy: Taxonomy, text: str, expected: float
) -> None:
    got = scores_of(taxonomy, paper("A title", text)).get("reasoning", 0.0)
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("verification", 2.0),
        ("a verifier and a verified compiler", 4.0),  # two words with the stem: capped at 2 mentions
        ("unverified", 0.0),  # a prefix matches the start of a word only
        ("Theorem-Provers", 4.0),  # multi-word phrase ending in a stem
        ("theorem proving", 4.0),
        ("theorem", 0.0),
    ],
)
def test_prefix_rules(taxonomy: Taxonomy, text: str, expected: float) -> None:
    assert scores_of(taxonomy, paper("A title", text)).get("verification", 0.0) == expected


def test_title_counts_title_weight_times_and_abstract_is_capped(taxonomy: Taxonomy) -> None:
    # "quantum" (weight 1): title ×2, abstract 5 mentions capped at ABSTRACT_CAP.
    p = paper("Quantum advantage", "quantum " * 5)
    assert ABSTRACT_CAP == 2
    assert scores_of(taxonomy, p)["quantum"] == 1 * 2 + 1 * ABSTRACT_CAP
    assert scores_of(taxonomy, paper("Quantum advantage", ""))["quantum"] == 2.0


def test_negative_weights_cancel_false_friends(taxonomy: Taxonomy) -> None:
    assert scores_of(taxonomy, paper("A title", "we release the source code"))["hardware"] == -1.0
    a = assign(Matcher(taxonomy), paper("A title", "we release the source code"))
    assert "hardware" not in a.topics


def test_threshold_and_max_topics(taxonomy: Taxonomy) -> None:
    m = Matcher(taxonomy)
    # One strong phrase reaches the threshold; weak ones alone do not.
    assert assign(m, paper("Qubits", "")).topics == ("quantum",)
    # reasoning 4+1, verification 4, quantum 4×2+1, hardware 4×2+4: max_topics = 2, best first,
    # then listed in taxonomy order.
    p = paper(
        "Qubit accelerator",
        "chain of thought reasoning for theorem proving on a quantum accelerator",
    )
    s = scores_of(taxonomy, p)
    assert s == {"reasoning": 5.0, "verification": 4.0, "quantum": 9.0, "hardware": 12.0}
    assert assign(m, p).topics == ("quantum", "hardware")


def test_ties_are_broken_by_topic_id(taxonomy: Taxonomy) -> None:
    p = paper("A title", "chain of thought and theorem proving and qubits")
    assert assign(Matcher(taxonomy), p).topics == ("reasoning", "quantum")


def test_manual_topics_always_apply_and_count_towards_max(taxonomy: Taxonomy) -> None:
    m = Matcher(taxonomy)
    p = paper("Qubit accelerator", "", topics=("reasoning",))
    a = assign(m, p)
    assert a.topics == ("reasoning", "hardware")  # manual first, then the best automatic topic
    assert a.manual == ("reasoning",)
    two = paper("Qubit accelerator", "", topics=("verification", "reasoning"))
    assert assign(m, two).topics == ("verification", "reasoning")


def test_excluded_topics_never_apply(taxonomy: Taxonomy) -> None:
    m = Matcher(taxonomy)
    p = paper("Qubit accelerator", "", exclude=("hardware",))
    assert assign(m, p).topics == ("quantum",)
    # Not even as the fallback.
    weak = paper("A title", "a gpu and some code", exclude=("hardware",))
    assert assign(m, weak).topics == ()


def test_fallback_is_the_best_weak_topic(taxonomy: Taxonomy) -> None:
    m = Matcher(taxonomy)
    p = paper("A title", "formal reasoning on a gpu, with code, about quantum")  # all below 4
    s = scores_of(taxonomy, p)
    assert max(s.values()) < taxonomy.threshold
    assert assign(m, p).topics == ("hardware",)  # hardware 2 beats reasoning, verification, quantum 1
    assert assign(m, paper("Nothing matches", "at all")).topics == ()


def test_classify_is_keyed_by_slug(taxonomy: Taxonomy) -> None:
    ps = [paper("Qubits", slug="q"), paper("Chain of thought", slug="c")]
    out = classify(ps, taxonomy)
    assert {k: v.topics for k, v in out.items()} == {"q": ("quantum",), "c": ("reasoning",)}


# --- topics --explain through the real CLI ---------------------------------------------------------

EXPLAINED = """\
---
title: Verified Chain-of-Thought on Qubits
added: 2025-01-01
topics:
  - hardware
exclude_topics:
  - reasoning
abstract: We verify chain of thought reasoning with a theorem prover, for quantum circuits made of
  qubits; verification of qubit circuits is hard, and the verifier is formal.
---
"""


@pytest.fixture
def explain_project(tmp_path: Path) -> Path:
    papers = tmp_path / "content" / "papers"
    papers.mkdir(parents=True)
    (tmp_path / "content" / "topics.yml").write_text(TAXONOMY, encoding="utf-8")
    (papers / "verified-cot.md").write_text(EXPLAINED, encoding="utf-8")
    # The same phrases in its title and abstract, but nothing set by hand.
    (papers / "qubits-only.md").write_text(
        EXPLAINED.replace("topics:\n  - hardware\nexclude_topics:\n  - reasoning\n", "").replace(
            "Verified Chain-of-Thought on Qubits", "Chain-of-Thought Verification on Qubits"
        ),
        encoding="utf-8",
    )
    return tmp_path


def test_topics_explain_shows_each_reason(explain_project: Path, cli: CliRunner) -> None:
    out = cli(explain_project, "topics", "--explain", "verified-cot").stdout
    # quantum 4×2 (title) + 4×2 + 1 = 17; verification 2×(2 + 2) + 4 + 1 = 13; reasoning 4×(2 + 1) + 1 = 13
    # but excluded; hardware by hand, which leaves room for one automatic topic of the two allowed.
    assert out == textwrap.dedent(
        """\
        verified-cot: hardware, quantum
          threshold 4, at most 2 topics
          hardware: set by hand in the paper
          reasoning: excluded by the paper
          quantum: score 17, assigned
              'quantum' (+1) in abstract×1: +1
              'qubit*' (+4) in title + abstract×2: +16
          reasoning: score 13, excluded
              'chain of thought' (+4) in title + abstract×1: +12
              'reasoning' (+1) in abstract×1: +1
          verification: score 13, not assigned (more than 2 topics)
              'formal' (+1) in abstract×1: +1
              'theorem prov*' (+4) in abstract×1: +4
              'verif*' (+2) in title + abstract×2: +8
        """
    )


def test_topics_lists_sizes_and_orphans(explain_project: Path, cli: CliRunner) -> None:
    out = cli(explain_project, "topics").stdout.splitlines()
    # qubits-only: quantum 17, then reasoning and verification tie at 13 and the id breaks the tie.
    assert out == [
        "    1  reasoning  Reasoning",
        "    0  verification  Verification",
        "    2  quantum  Quantum computing",
        "    1  hardware  Hardware",
        "0 papers in no topic",
    ]


def test_topics_explain_of_an_unknown_slug_fails(explain_project: Path, cli: CliRunner) -> None:
    proc = cli(explain_project, "topics", "--explain", "verified-cott", check=False)
    assert proc.returncode == 1
    assert "no paper with slug 'verified-cott'" in proc.stderr


# --- The shipped list ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> tuple[Taxonomy, dict[str, tuple[str, ...]]]:
    content, problems = load_content(ROOT / "content")
    assert content is not None, "\n".join(map(str, problems))
    return content.taxonomy, {s: a.topics for s, a in classify(content.papers, content.taxonomy).items()}


def test_every_shipped_paper_is_in_a_topic(shipped: tuple[Taxonomy, dict[str, tuple[str, ...]]]) -> None:
    _, topics = shipped
    assert len(topics) == 215
    assert sorted(s for s, t in topics.items() if not t) == []


def test_shipped_papers_are_in_at_most_three_topics_mostly(
    shipped: tuple[Taxonomy, dict[str, tuple[str, ...]]],
) -> None:
    _, topics = shipped
    many = sorted(s for s, t in topics.items() if len(t) > 3)
    assert len(many) <= len(topics) // 20, many


def test_shipped_taxonomy_has_a_useful_size_and_no_tiny_topic(
    shipped: tuple[Taxonomy, dict[str, tuple[str, ...]]],
) -> None:
    taxonomy, topics = shipped
    assert 12 <= len(taxonomy.topics) <= 25
    sizes = Counter(t for ts in topics.values() for t in ts)
    small = {t.id: sizes[t.id] for t in taxonomy.topics if sizes[t.id] < 3}
    assert small == {}
    # No topic swallows the list either.
    assert max(sizes.values()) <= len(topics) // 2, sizes.most_common(3)
