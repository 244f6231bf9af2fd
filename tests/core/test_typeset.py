"""generator/typeset.py: LaTeX of titles and abstracts as HTML and as plain text.

Golden files (tests/core/typeset/) hold the HTML and the plain text of the shipped list's
tricky abstracts; `make golden` rewrites them. Hypothesis checks that no input breaks out of
its element, that Python-Markdown leaves the HTML as it is, and that the notes' allow-list
accepts it; crafted inputs of a megabyte check that the pass stays linear.
"""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from pathlib import Path

import markdown  # type: ignore[import-untyped]
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import allowlist
from generator.typeset import MAX_DEPTH, has_math, plain, to_html

from .conftest import ROOT

GOLDEN = Path(__file__).parent / "typeset"
#: Shipped papers whose abstract (or title) carries LaTeX, quotes, URLs, asterisks or unknown commands.
SHIPPED = [
    "stim-a-fast-stabilizer-circuit-simulator",
    "program-of-thoughts-prompting-disentangling-computation-from-reasoning",
    "trends-in-ai-supercomputers",
    "flashrnn-optimizing-traditional-rnns-on-modern-hardware",
    "dycl-dynamic-neural-network-compilation-via-program-rewriting-and-graph",
    "dissecting-flops-along-input-dimensions-for-greenai-cost-estimations",
    "capacity-analysis-of-vector-symbolic-architectures",
    "towards-neural-synthesis-for-smt-assisted-proof-oriented-programming",
    "neupims-npu-pim-heterogeneous-acceleration-for-batched-llm-inferencing",
    "retrieval-guided-reinforcement-learning-for-boolean-circuit-minimization",
    "verithoughts-enabling-automated-verilog-code-generation-using-reasoning",
    "an-artificial-neuron-implemented-on-an-actual-quantum-processor",
    "from-informal-to-formal-incorporating-and-evaluating-llms-on-natural",
    "generative-logic-a-new-computer-architecture-for-deterministic",
]
MATH = '<code class="language-math">'
LINK = 'rel="nofollow noopener"'

#: (source, HTML, plain text): each rule of the issue once, and the traps around it.
CASES = [
    (
        r"{\em inverse} and \emph{x} and \textit{y}",
        "<em>inverse</em> and <em>x</em> and <em>y</em>",
        "inverse and x and y",
    ),
    (r"\textbf{bold} \texttt{mono}", "<strong>bold</strong> <code>mono</code>", "bold mono"),
    (r"12\% \& a\_b \#1 \$5", "12% &amp; a_b #1 $5", "12% & a_b #1 $5"),
    (
        "``Stim\" and ``best'' and `thought'",
        "“Stim” and “best” and ‘thought’",
        "“Stim” and “best” and ‘thought’",
    ),
    (
        "Rosenblatt's `perceptron', `code`",
        "Rosenblatt's ‘perceptron’, `code`",
        "Rosenblatt's ‘perceptron’, `code`",
    ),
    ("pages 1--2, a---b, x-y", "pages 1–2, a—b, x-y", "pages 1–2, a—b, x-y"),
    ("To~show", "To\u00a0show", "To\u00a0show"),
    (r"Ap\'ery, na\"ive, \c{c}", "Apéry, naïve, ç", "Apéry, naïve, ç"),
    (
        r"\url{https://a.org/x_y}",
        f'<a href="https://a.org/x_y" {LINK}>https://a.org/x_y</a>',
        "https://a.org/x_y",
    ),
    (r"\href{https://a.org}{the code}", f'<a href="https://a.org" {LINK}>the code</a>', "the code"),
    (
        "at https://a.org/x.",
        f'at <a href="https://a.org/x" {LINK}>https://a.org/x</a>.',
        "at https://a.org/x.",
    ),
    (
        "(see https://a.org/f(x)).",
        f'(see <a href="https://a.org/f(x)" {LINK}>https://a.org/f(x)</a>).',
        "(see https://a.org/f(x)).",
    ),
    ("$x^2$ and \\(y_1\\)", f"{MATH}x^2</code> and {MATH}y_1</code>", "x² and y₁"),
    (
        r"achieve 2\times10^{22} FLOP/s",
        f"achieve {MATH}2\\times10^{{22}}</code> FLOP/s",
        "achieve 2×10²² FLOP/s",
    ),
    (r"called {\alpha}-FLOPs", f"called {MATH}\\alpha</code>-FLOPs", "called α-FLOPs"),
    (r"$\mathcal{O}(n \log n)$", f"{MATH}\\mathcal{{O}}(n \\log n)</code>", "O(n log n)"),
    # Kept as written: unknown commands, unpaired marks, dollars that are money, Markdown.
    (r"we propose \tool, and \tool{x}", r"we propose \tool, and \tool{x}", r"we propose \tool, and \tool{x}"),
    ("costs $5 and $10", "costs $5 and $10", "costs $5 and $10"),
    ("F* and k_1, x_i_j, **b**", "F* and k_1, x_i_j, **b**", "F* and k_1, x_i_j, **b**"),
    ("x < y & <b>", "x &lt; y &amp; &lt;b&gt;", "x < y & <b>"),
    ("{{ x }} and {% if y %}", "{{ x }} and {% if y %}", "{{ x }} and {% if y %}"),
    (r"unclosed {\emph{x and $y", r"unclosed {\emph{x and $y", r"unclosed {\emph{x and $y"),
    (r"\url{javascript:alert(1)}", r"\url{javascript:alert(1)}", r"\url{javascript:alert(1)}"),
    ("a \\7B and }", "a \\7B and }", "a \\7B and }"),
]


def abstract_of(slug: str) -> tuple[str, str]:
    text = (ROOT / "content" / "papers" / f"{slug}.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    return meta["title"], meta["abstract"]


@pytest.mark.parametrize(("source", "want_html", "want_plain"), CASES, ids=[c[0][:30] for c in CASES])
def test_typesets_each_rule(source: str, want_html: str, want_plain: str) -> None:
    assert to_html(source) == want_html
    assert plain(source) == want_plain
    assert has_math(source) == (MATH in want_html)


@pytest.mark.parametrize("slug", SHIPPED)
def test_shipped_abstracts_match_their_goldens(slug: str, regen_golden: bool) -> None:
    title, abstract = abstract_of(slug)
    have = f"{to_html(title)}\n\n{to_html(abstract)}\n\n{plain(title)}\n\n{plain(abstract)}\n"
    golden = GOLDEN / f"{slug}.txt"
    if regen_golden:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(have, encoding="utf-8")
        pytest.skip("regenerating")
    assert have == golden.read_text(encoding="utf-8"), f"run `make golden` and review git diff {golden}"


@pytest.mark.parametrize(
    ("slug", "shown", "plain_text"),
    [
        ("stim-a-fast-stabilizer-circuit-simulator", "presents “Stim”, a fast", "presents “Stim”, a fast"),
        ("stim-a-fast-stabilizer-circuit-simulator", "the <em>inverse</em> of", "the inverse of"),
        (
            "program-of-thoughts-prompting-disentangling-computation-from-reasoning",
            "around 12% across",
            "12% across",
        ),
        (
            "program-of-thoughts-prompting-disentangling-computation-from-reasoning",
            f'Github<a href="https://github.com/wenhuchen/Program-of-Thoughts" {LINK}>',
            "Githubhttps://github.com/wenhuchen/Program-of-Thoughts.",
        ),
        ("trends-in-ai-supercomputers", f"{MATH}2\\times10^{{22}}</code> 16-bit", "2×10²² 16-bit"),
        (
            "flashrnn-optimizing-traditional-rnns-on-modern-hardware",
            f'<a href="https://github.com/NX-AI/flashrnn" {LINK}>https://github.com/NX-AI/flashrnn</a>',
            "NX-AI/flashrnn",
        ),
        (
            "dycl-dynamic-neural-network-compilation-via-program-rewriting-and-graph",
            "we propose \\tool, a",
            "\\tool, a",
        ),
        (
            "dissecting-flops-along-input-dimensions-for-greenai-cost-estimations",
            f"{MATH}\\alpha</code>-FLOPs",
            "α-FLOPs",
        ),
        (
            "capacity-analysis-of-vector-symbolic-architectures",
            "form a *vector symbolic architecture*",
            "a *vector",
        ),
        (
            "towards-neural-synthesis-for-smt-assisted-proof-oriented-programming",
            "such as F*.",
            "such as F*.",
        ),
    ],
)
def test_shipped_abstracts_read_as_the_issue_says(slug: str, shown: str, plain_text: str) -> None:
    _, abstract = abstract_of(slug)
    assert shown in to_html(abstract)
    assert plain_text in plain(abstract)
    assert "\\url" not in plain(abstract) and "\\%" not in plain(abstract) and "``" not in plain(abstract)


def test_titles_lose_their_latex_in_plain_text() -> None:
    title, _ = abstract_of("from-informal-to-formal-incorporating-and-evaluating-llms-on-natural")
    assert "--" in title and "From Informal to Formal – Incorporating" in plain(title)


# --- Hostile input ----------------------------------------------------------------------------

ALLOWED = {"em", "strong", "code", "a"}
TOKENS = [
    "xq",
    " ",
    "a",
    "1",
    "\\",
    "{",
    "}",
    "$",
    "$$",
    "\\(",
    "\\)",
    "\\[",
    "\\]",
    "\\emph{",
    "\\textbf{",
    "{\\em ",
    "\\url{",
    "\\href{",
    "https://a.b/",
    '"',
    "'",
    "''",
    "`",
    "``",
    "<",
    ">",
    "&",
    "&amp;",
    "*",
    "_",
    "^{",
    "^",
    "~",
    "--",
    "-",
    "(",
    ")",
    ".",
    "\\tool",
    "\\alpha",
    "\\times",
    "10",
    "<script>",
    "</p>",
    "</code>",
    "\n",
    "\\%",
    "\\'",
    '\\"',
    "\\c{",
    "#",
    "|",
    "[a](b)",
    "<!--",
    "javascript:",
    "\\$",
    "%",
]
texts = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join) | st.text(max_size=60)


class Tree(HTMLParser):
    """The elements and text of a fragment; records whatever would close an outer element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.escapes: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.escapes.append(f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.escapes.append(f"</{tag}>")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.escapes.append("<!--")

    def handle_decl(self, decl: str) -> None:
        self.escapes.append("<!")

    def handle_pi(self, data: str) -> None:
        self.escapes.append("<?")


def parse(fragment: str) -> Tree:
    tree = Tree()
    tree.feed(f'<p class="rl-abstract">{fragment}</p>')
    tree.close()
    return tree


def assert_stays_in_its_element(source: str) -> None:
    out = to_html(source)
    tree = parse(out)
    assert tree.escapes == [] and tree.stack == [], (source, out)
    assert tree.tags[0] == ("p", [("class", "rl-abstract")])
    for tag, attrs in tree.tags[1:]:
        assert tag in ALLOWED, (source, out)
        assert all(allowlist.attribute_allowed(tag, k, v or "") for k, v in attrs), (source, out)
    assert "\n" not in out
    # The notes' sanitizer would keep every element and attribute of it.
    assert allowlist.first_change(out, allowlist.clean_html(out)) is None, (source, out)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_no_input_breaks_out_of_its_element(source: str) -> None:
    assert_stays_in_its_element(source)


#: Accents change the letter after them (`\\'e` is é, `\\.x` is ẋ): left out where words are
#: counted, also where a lone backslash meets an accent's mark.
PLAIN_TOKENS = [t for t in TOKENS if t not in ("\\'", '\\"', "\\c{")]
ACCENT = re.compile(r"\\[.'`^\"~=]")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PLAIN_TOKENS), max_size=40).map("".join).filter(lambda s: not ACCENT.search(s))
)
def test_nothing_written_is_dropped(source: str) -> None:
    """A word survives typesetting: in the text, or in a link's address."""
    tree = parse(to_html(source))
    text = "".join(tree.text).count("xq")
    hrefs = "".join(v or "" for _t, attrs in tree.tags for k, v in attrs if k == "href").count("xq")
    assert text <= source.count("xq") <= text + hrefs
    assert plain(source).count("xq") >= source.count("xq") - source.count("\\href{")


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["admonition", "attr_list", "tables", "toc", "pymdownx.highlight", "pymdownx.superfences"],
        extension_configs={"pymdownx.highlight": {"use_pygments": False}},
    )


@settings(max_examples=150, deadline=None)
@given(texts)
def test_markdown_leaves_the_abstract_as_it_is(source: str) -> None:
    """The abstract is a raw HTML block: `F*`, `k_1`, backquotes and `<` never become Markdown."""
    block = f'<p class="rl-abstract">{to_html(source)}</p>'
    out = _markdown().convert(f"Before.\n\n{block}\n\nAfter.")
    assert [line for line in out.splitlines() if line] == ["<p>Before.</p>", block, "<p>After.</p>"]


HOSTILE = {
    "open braces": "{" * 1_000_000,
    "close braces": "}" * 1_000_000,
    "nested emph": "\\emph{" * 200_000 + "x" + "}" * 200_000,
    "nested em switches": "{\\em " * 200_000,
    "unterminated dollars": "$a " * 300_000,
    "unterminated parens": "\\(" * 500_000,
    "dollar digits": "$5 " * 300_000,
    "urls without spaces": "https://" * 120_000,
    "url then parens": "https://a.b/" + ")" * 1_000_000,
    "digits before math": "1" * 1_000_000 + "a\\times",
    "word before script": "x" * 1_000_000 + "^{" * 1,
    "scripts": "x^{" * 300_000,
    "quotes": "``a`" * 250_000,
    "hrefs": "\\href{https://a.b}{" * 60_000,
    "accents": "\\'" * 500_000,
    "backslashes": "\\" * 1_000_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_megabyte_of_hostile_input_is_linear(name: str) -> None:
    source = HOSTILE[name]
    start = time.perf_counter()
    out, text = to_html(source), plain(source)
    elapsed = time.perf_counter() - start
    # Linear: about 2 µs a character on an idle machine; the bound leaves room for a busy one.
    assert elapsed < 30, f"{name}: {elapsed:.1f} s for {len(source):,} characters"
    assert len(text) <= len(source)
    tree = parse(out)
    assert tree.escapes == [] and tree.stack == []
    assert out.count("<em>") <= MAX_DEPTH  # deeper styles are shown without further tags


def test_unclosed_and_unpaired_marks_stay_visible() -> None:
    assert to_html("{\\em x") == "{<em>x</em>"
    assert to_html("\\emph{x") == "\\emph{x"
    assert to_html("``never closed") == "``never closed"
    assert to_html("$x") == "$x"
