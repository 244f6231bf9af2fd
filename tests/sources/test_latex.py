"""LaTeX to text: the fast path gives what pylatexenc gives, and keeps math as written."""

from __future__ import annotations

import pytest

from generator.sources import latex
from generator.sources.latex import to_text

CASES = [
    (r"Sch{\"o}lkopf", "Schölkopf"),
    (r"Sch\"olkopf", "Schölkopf"),
    (r"G{\"{o}}del", "Gödel"),
    (r"P{\'e}rez \'Eric", "Pérez Éric"),
    (r"Stra\ss e and \ss{}", "Straße and ß"),
    (r"{\v{S}}koda {\c{c}}a na\"{\i}ve", "Škoda ça naïve"),
    (r"{\L}ukasz {\o}re \aa", "Łukasz øre å"),
    (r"{BERT}: Pre-training -- of {{Deep}} Nets---really", "BERT: Pre-training – of Deep Nets—really"),
    ("Pages 1--10 and 3---4 with no other LaTeX", "Pages 1–10 and 3—4 with no other LaTeX"),
    (r"the $O(n^{2})$ and $x_i$ method", "the $O(n^{2})$ and $x_i$ method"),
    (r"100\% of {\_}23 \& x~y", "100% of _23 & x y"),
    (r"8.2\${\textbackslash}times\$", r"8.2$\times$"),
    (r"M{\&}A and \emph{Deep} \textbf{learning}", "M&A and Deep learning"),
    ("``quoted'' text", "“quoted” text"),
    ("Attention  Is\n\tAll", "Attention Is All"),
    (r"the {\em inverse} of a tableau\\ next line", "the inverse of a tableau next line"),
    (r"a set \{x\vphantom{\}}\vphantom{\{}\} here", "a set {x} here"),  # Zotero's literal braces
]


@pytest.mark.parametrize(("tex", "text"), CASES)
def test_fast_path(tex: str, text: str) -> None:
    assert to_text(tex) == text


@pytest.mark.parametrize(("tex", "text"), CASES)
def test_fast_path_agrees_with_pylatexenc(tex: str, text: str) -> None:
    slow = " ".join(latex._pylatexenc(tex).replace("\xa0", " ").split())
    assert slow == text


def test_unknown_commands_go_to_pylatexenc() -> None:
    assert to_text(r"\textsuperscript{th} \url{http://x.org/a_b}") == "th <http://x.org/a_b>"
    assert to_text(r"an unclosed $x") == "an unclosed $x"
    assert to_text("50% off") == "50% off"  # a bare '%' is a percent sign, not a comment
