"""`topics suggest`: a draft taxonomy from the papers, which the classifier runs and which puts
every paper in a topic; on the shipped list, measured against the hand-made topics."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import yaml

from benchmarks.make_list import make_list
from generator import classify, suggest
from generator.load import load_content
from generator.model import Paper, Taxonomy
from generator.taxonomy import load_taxonomy

from .conftest import ROOT, CliRunner

#: Measured on the shipped list when this was written (README, "topics suggest"): adjusted Rand
#: index 0.138 and best-match F1 0.309 of the clusters against the primary hand-made topics.
#: The floors catch a regression to chance (ARI ~0) without pinning the exact draft.
SHIPPED_ARI, SHIPPED_F1 = 0.10, 0.25


def primary(papers: list[Paper], taxonomy: Taxonomy) -> list[str]:
    assignments = classify.classify(papers, taxonomy)
    return [assignments[p.slug].topics[0] if assignments[p.slug].topics else "-" for p in papers]


def check_draft(papers: list[Paper], draft: suggest.Draft, tmp_path: Path) -> Taxonomy:
    """The draft's shape, that topics.yml reads it back as is, and that every paper has a topic."""
    k = len(draft.taxonomy.topics)
    assert suggest.K_MIN <= k <= suggest.K_MAX or k == len(papers) // suggest.MIN_SIZE
    for topic in draft.taxonomy.topics:
        assert topic.title and topic.rules and topic.id, topic
        assert all(rule.weight in (2, 3, 4) for rule in topic.rules), topic.id
    path = tmp_path / "topics.yml"
    path.write_text(suggest.render(draft, len(papers)), encoding="utf-8")
    taxonomy, problems = load_taxonomy(path, "content/topics.yml")
    assert taxonomy is not None and problems == [], [str(p) for p in problems]
    assert [(t.id, t.title, t.rules) for t in taxonomy.topics] == [
        (t.id, t.title, t.rules) for t in draft.taxonomy.topics
    ]
    assignments = classify.classify(papers, taxonomy)
    assert [slug for slug, a in assignments.items() if not a.topics] == list(draft.uncovered) == []
    return taxonomy


@pytest.fixture(scope="module")
def shipped() -> tuple[list[Paper], Taxonomy]:
    content, problems = load_content(ROOT / "content", "content")
    assert content is not None, problems
    return list(content.papers), content.taxonomy


def test_shipped_list_draft_agrees_with_the_hand_made_topics(
    shipped: tuple[list[Paper], Taxonomy], tmp_path: Path
) -> None:
    papers, hand = shipped
    draft = suggest.suggest(papers)
    check_draft(papers, draft, tmp_path)
    truth = primary(papers, hand)
    assert suggest.adjusted_rand(truth, draft.labels) >= SHIPPED_ARI
    assert suggest.best_match_f1(truth, draft.labels) >= SHIPPED_F1
    assert suggest.render(suggest.suggest(list(reversed(papers))), len(papers)) != ""  # any order works
    assert suggest.render(suggest.suggest(papers), len(papers)) == suggest.render(draft, len(papers))


def test_generated_list(tmp_path: Path) -> None:
    content_dir = tmp_path / "content"
    make_list(400, content_dir)
    content, problems = load_content(content_dir, "content")
    assert content is not None, problems
    papers = list(content.papers)
    draft = suggest.suggest(papers)
    check_draft(papers, draft, tmp_path)
    # The list is drawn from one text chain per topic: the clusters should find some of them.
    assert suggest.adjusted_rand(primary(papers, content.taxonomy), draft.labels) > 0.05


def test_a_small_list_gets_fewer_topics_of_five_papers(
    shipped: tuple[list[Paper], Taxonomy], tmp_path: Path
) -> None:
    papers = shipped[0][:17]
    draft = suggest.suggest(papers)
    assert len(draft.taxonomy.topics) == 3  # 17 // MIN_SIZE
    check_draft(papers, draft, tmp_path)


def test_a_paper_no_rule_reaches_gets_a_rule_of_its_own(shipped: tuple[list[Paper], Taxonomy]) -> None:
    papers = shipped[0][:40]
    odd = dataclasses.replace(papers[0], slug="zz-odd", title="Xylophone zymurgy", abstract="")
    draft = suggest.suggest([*papers, odd])
    assert draft.added_rules >= 1 and draft.uncovered == ()
    assignments = classify.classify([*papers, odd], draft.taxonomy)
    assert assignments["zz-odd"].topics


@pytest.mark.parametrize(
    ("truth", "found", "ari", "f1"),
    [
        ("aabbcc", "xxyyzz", 1.0, 1.0),
        ("aabbcc", "zzxxyy", 1.0, 1.0),
        ("aaaabbbb", "abababab", -0.1667, 0.5),
        ("aabb", "abcd", 0.0, 0.6667),
    ],
)
def test_agreement_measures(truth: str, found: str, ari: float, f1: float) -> None:
    assert suggest.adjusted_rand(list(truth), list(found)) == pytest.approx(ari, abs=1e-4)
    assert suggest.best_match_f1(list(truth), list(found)) == pytest.approx(f1, abs=1e-4)


def test_cli_prints_writes_and_never_overwrites_without_force(tmp_path: Path, cli: CliRunner) -> None:
    root = tmp_path / "repo"
    (root / "content/papers").mkdir(parents=True)
    for path in sorted((ROOT / "content/papers").glob("*.md"))[:60]:  # no paper sets topics by hand
        (root / "content/papers" / path.name).write_bytes(path.read_bytes())
    target = root / "content/topics.yml"
    hand = (ROOT / "content/topics.yml").read_bytes()
    target.write_bytes(hand)
    printed = cli(root, "topics", "suggest")
    assert yaml.safe_load(printed.stdout)["topics"] and "topics for 60 papers" in printed.stderr
    refused = cli(root, "topics", "suggest", "--write", check=False)
    assert refused.returncode == 1 and "--force" in refused.stderr and target.read_bytes() == hand
    cli(root, "topics", "suggest", "--write", "--force")
    assert target.read_text(encoding="utf-8") == printed.stdout
    target.unlink()
    cli(root, "topics", "suggest", "--write")  # no taxonomy: written without --force
    assert target.read_text(encoding="utf-8") == printed.stdout
    shutil.copytree(ROOT / "content/pages", root / "content/pages")
    assert cli(root, "validate", "--strict").returncode == 0
