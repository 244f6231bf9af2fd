"""Put papers into topics by the weighted phrases of the taxonomy.

A phrase matches whole words, case-insensitively, with hyphens and spaces
treated alike ("chain of thought" matches "Chain-of-Thought"); a phrase that
ends in ``*`` matches any word starting with it ("verif*" matches
"verification").  A topic's score for a paper is, over its rules:
``weight × (title_weight if the phrase is in the title) + weight × (occurrences
in the abstract, at most 2)``.

Topics the curator set by hand always apply; topics the paper excludes never
do; the other topics apply, best first, when they reach the threshold, until
the paper has `max_topics`.  A paper that reaches no threshold goes to its
best-scoring topic, so nothing is orphaned while a phrase scores at all.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import Assignment, Paper, Rule, Taxonomy
from .text import tokenize

ABSTRACT_CAP = 2

@dataclass(frozen=True)
class _CompiledRule:
    topic: str
    rule: Rule
    words: tuple[str, ...]
    prefix: bool
    #: (topic, phrase): what `count` files the rule's occurrences under.
    key: tuple[str, str]


@dataclass(frozen=True)
class _WordRules:
    """The rules a word takes part in: as the first word of a phrase, or matching a stem."""

    single: tuple[_CompiledRule, ...]
    #: Phrases of several words, by their second word, with the text to look for.
    by_second: dict[str, tuple[tuple[_CompiledRule, str], ...]]
    #: Two-word phrases whose second word is a stem ("reasoning trace*").
    loose: tuple[tuple[_CompiledRule, str], ...]
    stemmed: tuple[_CompiledRule, ...]


class Matcher:
    """The rules of a taxonomy, indexed by their first word for fast matching."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.by_first: dict[str, list[_CompiledRule]] = {}
        self.prefixes: list[tuple[str, _CompiledRule]] = []
        for topic in taxonomy.topics:
            for rule in topic.rules:
                prefix = rule.phrase.endswith("*")
                words = tuple(tokenize(rule.phrase.rstrip("*")))
                if not words:
                    continue
                compiled = _CompiledRule(topic.id, rule, words, prefix, (topic.id, rule.phrase))
                if prefix and len(words) == 1:
                    self.prefixes.append((words[0], compiled))
                else:
                    self.by_first.setdefault(words[0], []).append(compiled)
        self.prefixes.sort(key=lambda p: (p[0], p[1].topic))
        self.stems = [p[0] for p in self.prefixes]
        # Words repeat from paper to paper: remember the rules each one takes part in, and
        # which words take part in none (most of them), to skip those with one set difference.
        self.rules_of: dict[str, _WordRules] = {}
        self.inert: set[str] = set()

    def count(self, text: str) -> dict[tuple[str, str], tuple[_CompiledRule, int]]:
        """Count occurrences of every rule in `text`, keyed by (topic, phrase)."""
        tokens = tokenize(text)
        counts = Counter(tokens)
        joined = ""
        found: dict[tuple[str, str], tuple[_CompiledRule, int]] = {}
        # Any order will do: occurrences are summed and `score` sorts what was found.
        for word in counts.keys() - self.inert:
            rules = self.rules_of.get(word) or self._rules(word)
            if rules is None:
                continue
            n = counts[word]
            for cr in rules.single:
                found[cr.key] = (cr, n)
            if rules.by_second or rules.loose:
                joined = joined or " " + " ".join(tokens) + " "
                # A phrase whose second word is missing cannot occur (only the last word of
                # a `*` phrase is a stem): most phrases start with a common word.
                seconds = rules.by_second.keys() & counts.keys()
                for cr, needle in [p for s in seconds for p in rules.by_second[s]] + list(rules.loose):
                    if needle not in joined:  # most are not there: one scan, not two
                        continue
                    hits = joined.count(needle + " ")
                    if cr.prefix and hits == 0:
                        hits = joined.count(needle)
                    if hits:
                        found[cr.key] = (cr, hits)
            for cr in rules.stemmed:
                prev = found.get(cr.key)
                found[cr.key] = (cr, n + (prev[1] if prev else 0))
        return found

    def _rules(self, word: str) -> _WordRules | None:
        single: list[_CompiledRule] = []
        by_second: dict[str, list[tuple[_CompiledRule, str]]] = {}
        loose: list[tuple[_CompiledRule, str]] = []
        for cr in self.by_first.get(word, ()):
            if len(cr.words) == 1:
                single.append(cr)
            elif cr.prefix and len(cr.words) == 2:
                loose.append((cr, " " + " ".join(cr.words)))
            else:
                by_second.setdefault(cr.words[1], []).append((cr, " " + " ".join(cr.words)))
        stemmed = self.prefix_rules(word)
        if not (single or by_second or loose or stemmed):
            self.inert.add(word)
            return None
        rules = self.rules_of[word] = _WordRules(
            tuple(single), {k: tuple(v) for k, v in by_second.items()}, tuple(loose), stemmed
        )
        return rules

    def prefix_rules(self, word: str) -> tuple[_CompiledRule, ...]:
        """The one-word prefix rules whose stem starts `word`."""
        stems, out = self.stems, []
        # Every stem that is a prefix of `word` sorts at or before it.
        i = bisect_left(stems, word[:1])
        while i < len(stems) and stems[i] <= word:
            stem, cr = self.prefixes[i]
            if word.startswith(stem):
                out.append(cr)
            i += 1
        return tuple(out)


def _hits(matcher: Matcher, paper: Paper) -> list[tuple[str, str, float, int, int]]:
    """The rules that match `paper`, as (topic, phrase, weight, in title, times in abstract
    up to the cap), sorted by topic and phrase."""
    in_title = matcher.count(paper.title)
    in_abstract = matcher.count(paper.abstract)
    out = []
    for key in sorted(in_title.keys() | in_abstract.keys()):
        title_hit, abstract_hit = in_title.get(key), in_abstract.get(key)
        weight = (title_hit or abstract_hit)[0].rule.weight  # type: ignore[index]
        times = min(abstract_hit[1], ABSTRACT_CAP) if abstract_hit else 0
        out.append((key[0], key[1], weight, 1 if title_hit else 0, times))
    return out


def score(matcher: Matcher, paper: Paper) -> dict[str, float]:
    """Score `paper` against every topic that one of its rules matches."""
    tw = matcher.taxonomy.title_weight
    scores: dict[str, float] = {}
    for topic_id, _, weight, t, a in _hits(matcher, paper):
        scores[topic_id] = scores.get(topic_id, 0.0) + weight * (tw * t + a)
    return scores


def reasons(matcher: Matcher, paper: Paper) -> list[tuple[str, str]]:
    """Why `paper` scores what it scores: one human-readable line per matching rule, by topic."""
    tw = matcher.taxonomy.title_weight
    out = []
    for topic_id, phrase, weight, t, a in _hits(matcher, paper):
        where = (["title"] if t else []) + ([f"abstract×{a}"] if a else [])
        out.append((topic_id, f"{phrase!r} ({weight:+g}) in {' + '.join(where)}: {weight * (tw * t + a):+g}"))
    return out


def assign(matcher: Matcher, paper: Paper) -> Assignment:
    """Decide the topics of one paper."""
    tax = matcher.taxonomy
    scores = score(matcher, paper)
    manual = tuple(t for t in paper.topics if tax.get(t) is not None)
    excluded = tuple(paper.exclude_topics)
    chosen = list(manual)
    ranked = sorted((s, t) for t, s in scores.items() if t not in manual and t not in excluded and s > 0)
    ranked.sort(key=lambda st: (-st[0], st[1]))
    for s, t in ranked:
        if len(chosen) >= tax.max_topics:
            break
        if s >= tax.threshold:
            chosen.append(t)
    if not chosen and ranked:
        chosen.append(ranked[0][1])
    order = {t.id: i for i, t in enumerate(tax.topics)}
    auto = sorted(chosen[len(manual) :], key=lambda t: order[t])
    return Assignment(
        slug=paper.slug,
        topics=manual + tuple(auto),
        scores=tuple(sorted(scores.items(), key=lambda st: (-st[1], st[0]))),
        manual=manual,
        excluded=excluded,
    )


def classify(papers: Sequence[Paper], taxonomy: Taxonomy) -> dict[str, Assignment]:
    """Assign topics to every paper, keyed by slug."""
    matcher = Matcher(taxonomy)
    return {paper.slug: assign(matcher, paper) for paper in papers}


def explain(paper: Paper, assignment: Assignment, taxonomy: Taxonomy) -> Iterable[str]:
    """Describe, line by line, why `paper` landed in its topics (`assignment`)."""
    why = reasons(Matcher(taxonomy), paper)
    yield f"{assignment.slug}: {', '.join(assignment.topics) or '(no topic)'}"
    yield f"  threshold {taxonomy.threshold:g}, at most {taxonomy.max_topics} topics"
    for t in assignment.manual:
        yield f"  {t}: set by hand in the paper"
    for t in assignment.excluded:
        yield f"  {t}: excluded by the paper"
    for topic_id, s in assignment.scores:
        if topic_id in assignment.manual:
            continue
        if topic_id in assignment.excluded:
            verdict = "excluded"
        elif topic_id in assignment.topics:
            verdict = "assigned" if s >= taxonomy.threshold else "assigned (best weak match)"
        elif s >= taxonomy.threshold:
            verdict = f"not assigned (more than {taxonomy.max_topics} topics)"
        else:
            verdict = "below threshold"
        yield f"  {topic_id}: score {s:g}, {verdict}"
        for rid, line in why:
            if rid == topic_id:
                yield f"      {line}"
