"""Typeset the LaTeX of titles and abstracts: HTML for pages, plain text for feeds and search.

Abstracts come from arXiv and BibTeX as their authors wrote them: `{\\em x}`, `12\\%`,
``` ``Stim" ```, `\\url{…}`, `$O(n)$`, `2\\times10^{22}`.  `to_html` shows them as arXiv does,
`plain` as text.  The stored title and abstract stay as written.

- One pass over the text (`_parse`) builds a small tree with an explicit stack, so deep
  braces cannot exhaust the recursion limit; every look-ahead is bounded (`WINDOW`) or
  consumes what it reads, so the work is linear in the length of the text.
- What is not understood stays visible as written (`\\tool`, an unpaired quote, a `{`
  never closed): nothing is dropped.
- The HTML holds only what the notes' allow-list (generator/allowlist.py) accepts: `em`,
  `strong`, `code`, `a href rel` and `code class="language-math"` for the TeX of math,
  which overrides/assets/javascripts/math.js renders with KaTeX.  Text is HTML-escaped;
  the HTML goes into raw HTML blocks that Markdown does not parse, so `F*`, `k_1` and
  backquotes keep their meaning.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

#: How far a math span, a URL argument or a raw group may reach: bounds every look-ahead.
WINDOW = 2000
#: Nested styles deeper than this are shown without further tags.
MAX_DEPTH = 16
#: Groups nested deeper than this are text: their braces (and commands) show as written.
MAX_GROUPS = 64
#: Where `plain` and `to_html` remember their last answers (titles and abstracts repeat).
_CACHE: dict[tuple[str, str], str] = {}

# A backslash before a space stays as written: in prose it is more often a backslash than TeX's `\ `.
_ESCAPES = {"%": "%", "&": "&", "_": "_", "#": "#", "$": "$", "{": "{", "}": "}", "\\": " "}
_SPACES = {",": "\u202f", ";": "\u2005", ":": "\u2005", "!": "", "-": "\u00ad", "@": "", "/": ""}
_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307"}
_LETTER_ACCENTS = {"c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "r": "\u030a", "k": "\u0328"}
_WORDS = {
    "LaTeX": "LaTeX", "TeX": "TeX", "ldots": "…", "dots": "…", "textendash": "–", "textemdash": "—",
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
    "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "S": "§", "P": "¶", "copyright": "©", "textregistered": "®",
    "texttrademark": "™", "textbackslash": "\\", "textasciitilde": "~", "textbar": "|", "newline": " ",
    "quad": "\u2003", "qquad": "\u2003\u2003", "textdegree": "°", "euro": "€", "pounds": "£",
}  # fmt: skip
#: Commands with one argument, and the element it becomes ("" keeps the text as it is).
_STYLES = {
    "emph": "em", "textit": "em", "textsl": "em", "textbf": "strong", "texttt": "code", "textrm": "",
    "textsf": "", "textsc": "", "textup": "", "textnormal": "", "text": "", "mbox": "", "textmd": "",
}  # fmt: skip
#: Declarations that style the rest of their group: `{\em x}`.
_SWITCHES = {
    "em": "em", "it": "em", "itshape": "em", "sl": "em", "slshape": "em", "bf": "strong", "bfseries": "strong",
    "tt": "code", "ttfamily": "code", "rm": "", "sf": "", "sc": "", "normalfont": "", "upshape": "",
    "mdseries": "", "scshape": "",
}  # fmt: skip
_GREEK = (
    "alpha α beta β gamma γ delta δ epsilon ϵ varepsilon ε zeta ζ eta η theta θ vartheta ϑ iota ι kappa κ "
    "lambda λ mu μ nu ν xi ξ pi π varpi ϖ rho ρ varrho ϱ sigma σ varsigma ς tau τ upsilon υ phi ϕ varphi φ "
    "chi χ psi ψ omega ω Gamma Γ Delta Δ Theta Θ Lambda Λ Xi Ξ Pi Π Sigma Σ Upsilon Υ Phi Φ Psi Ψ Omega Ω"
)
_SYMBOLS = (
    "times × cdot · cdots ⋯ ldots … pm ± mp ∓ div ÷ leq ≤ le ≤ geq ≥ ge ≥ neq ≠ ne ≠ approx ≈ sim ∼ simeq ≃ "
    "equiv ≡ propto ∝ ll ≪ gg ≫ infty ∞ partial ∂ nabla ∇ sum ∑ prod ∏ int ∫ in ∈ notin ∉ subset ⊂ "
    "subseteq ⊆ supset ⊃ cup ∪ cap ∩ emptyset ∅ forall ∀ exists ∃ neg ¬ wedge ∧ land ∧ vee ∨ lor ∨ "
    "oplus ⊕ otimes ⊗ circ ∘ to → rightarrow → leftarrow ← Rightarrow ⇒ Leftarrow ⇐ leftrightarrow ↔ "
    "Leftrightarrow ⇔ mapsto ↦ ell ℓ hbar ℏ star ⋆ ast ∗ dagger † langle ⟨ rangle ⟩ lceil ⌈ rceil ⌉ "
    "lfloor ⌊ rfloor ⌋ mid ∣ vert | Vert ‖ prime ′ degree ° log log ln ln exp exp sin sin cos cos max max "
    "min min lim lim poly poly polylog polylog det det dim dim sqrt √ bigcup ⋃ bigcap ⋂ setminus ∖ "
    "top ⊤ bot ⊥ vdash ⊢ models ⊨ lesssim ≲ gtrsim ≳ cong ≅ perp ⊥ , \u2009 ; \u2005 ! "
)
_MATH_WORDS = dict(zip(*[iter((_GREEK + " " + _SYMBOLS).split(" "))] * 2, strict=False))
_MATH_WORDS.pop("", None)
#: Commands that are math wherever they appear: a bare `2\times10^{22}` is a formula.
MATH_COMMANDS = frozenset(
    [k for k in _MATH_WORDS if k.isalpha()]
    + "frac dfrac tfrac binom mathcal mathbb mathbf mathrm mathit mathsf mathtt mathfrak boldsymbol hat "
    "tilde bar vec dot ddot overline underline widehat widetilde operatorname left right big Big "
    "lvert rvert lVert rVert sqrt".split()
)
_FONT_ARGS = {"mathcal", "mathbb", "mathbf", "mathrm", "mathit", "mathsf", "mathtt", "mathfrak", "boldsymbol",
              "operatorname", "text", "textrm", "mbox", "sqrt", "hat", "tilde", "bar", "vec", "overline"}  # fmt: skip
_SUP = str.maketrans("0123456789+-=()niT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀ")
_SUB = str.maketrans("0123456789+-=()aeoxijk", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓᵢⱼₖ")
_SUP_OK = set("0123456789+-=()niT")
_SUB_OK = set("0123456789+-=()aeoxijk")

# One special character, or the start of a URL: everything else is copied as it is.
_SPECIAL = re.compile(r"[\\${}~\-`'\"^_]|https?://", re.IGNORECASE)
_LETTERS = re.compile(r"[A-Za-z]+")
_URL_CHARS = re.compile(r"[^\s<>\"{}\\|^`]+")
_MATHY = re.compile(r"[0-9.]+")
_DIGITS = "0123456789."
_WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" + _DIGITS


@dataclass
class Elem:
    """An element: `tag` is em, strong, code or a; "" is text with no element of its own."""

    tag: str
    children: list[Node] = field(default_factory=list)
    href: str = ""


@dataclass
class Math:
    tex: str


@dataclass
class Quote:
    """A quote mark, curly once paired with its partner, else shown as written."""

    mark: str
    curly: str = ""


Node = str | Elem | Math | Quote


@dataclass
class _Frame:
    """An open group: its children so far, and what its closing brace makes of them."""

    kind: str  # "group" (braces dropped), "visible" (braces shown), "arg" (a command's), "root"
    opening: str
    elem: Elem
    switches: list[tuple[int, str]] = field(default_factory=list)
    start: int = -1  # where a "group" opened, to read its first and last character at its close


def _link_ok(url: str) -> bool:
    low = url[:8].lower()
    return low.startswith(("http://", "https://")) and len(url) > 8


def _trim_url(url: str) -> str:
    """A bare URL without the punctuation that ends its sentence, or a bracket it did not open."""
    extra = {")": url.count(")") - url.count("("), "]": url.count("]") - url.count("[")}
    end = len(url)
    while end:
        c = url[end - 1]
        if c in ".,;:!?'*":
            end -= 1
        elif c in extra and extra[c] > 0:
            extra[c] -= 1
            end -= 1
        else:
            break
    return url[:end]


def _tail(text: str, chars: str) -> int:
    """Where the run of `chars` that ends `text` starts (len(text) if there is none)."""
    k = len(text)
    while k and text[k - 1] in chars:
        k -= 1
    return k


def _pair_quotes(children: list[Node]) -> None:
    """Pair `` with '' or ", and ` with ': a mark left unpaired stays as written."""
    stack: list[Quote] = []
    for node in children:
        if not isinstance(node, Quote):
            continue
        if node.mark in ("``", "`"):
            stack.append(node)
        elif stack and stack[-1].mark == "``" and node.mark in ("''", '"'):
            stack.pop().curly, node.curly = "“", "”"
        elif stack and stack[-1].mark == "`" and node.mark == "'":
            stack.pop().curly, node.curly = "‘", "’"


class _Parser:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.root = _Frame("root", "", Elem(""))
        self.stack = [self.root]
        self._closing: dict[int, int] | None = None
        # Where each search for a closing delimiter gave up: no closer lies before it, since
        # whether a `$` or `\)` closes does not depend on where its formula opened. Each
        # search starts past it, so all of them together read the text once.
        self.searched: dict[str, int] = {}
        self.too_deep = 0  # groups opened past MAX_GROUPS, shown as text, not yet closed

    def push(self, frame: _Frame) -> None:
        if len(self.stack) > MAX_GROUPS or self.too_deep:
            self.emit(frame.opening)
            self.too_deep += 1
        else:
            self.stack.append(frame)

    def closing(self, j: int) -> int:
        """The index of the `}` that closes the `{` at `j`, or -1 (all braces matched at once)."""
        if self._closing is None:
            self._closing = {}
            opened: list[int] = []
            s, k, n = self.s, 0, len(self.s)
            while k < n:
                c = s[k]
                if c == "\\":
                    k += 1
                elif c == "{":
                    opened.append(k)
                elif c == "}" and opened:
                    self._closing[opened.pop()] = k
                k += 1
        return self._closing.get(j, -1)

    def find(self, closer: str, start: int, valid: object = None) -> int:
        """The first `closer` from `start` within `WINDOW` (for which `valid(j)` holds), or -1."""
        limit = min(len(self.s), start + WINDOW)
        j = max(start, self.searched.get(closer, 0))
        while True:
            j = self.s.find(closer, j, limit)
            if j < 0:
                self.searched[closer] = max(start, limit - len(closer))
                return -1
            if valid is None or valid(j):  # type: ignore[operator]
                return j
            j += 1

    @property
    def out(self) -> list[Node]:
        return self.stack[-1].elem.children

    def emit(self, node: Node) -> None:
        self.out.append(node)

    def run(self) -> Elem:
        s, n = self.s, len(self.s)
        while self.i < n:
            m = _SPECIAL.search(s, self.i)
            if m is None:
                self.emit(s[self.i :])
                break
            if m.start() > self.i:
                self.emit(s[self.i : m.start()])
            self.i = m.start()
            self.step(m.group(0))
        while len(self.stack) > 1:
            self.close(unclosed=True)
        _pair_quotes(self.root.elem.children)
        self.fold(self.root)
        return self.root.elem

    def step(self, tok: str) -> None:  # noqa: C901 (one branch per special character)
        s, i = self.s, self.i
        nxt = s[i + 1 : i + 2]
        if tok == "\\":
            self.command()
        elif tok == "$":
            self.dollar()
        elif tok == "{":
            # Braces stuck to a word are shown ("1{2}"); elsewhere they only group, as in TeX.
            prev = s[i - 1 : i] if i else " "
            visible = prev.isalnum() or prev in "/."
            self.push(_Frame("visible" if visible else "group", "{", Elem(""), start=i))
            self.i += 1
        elif tok == "}":
            if self.too_deep:
                self.too_deep -= 1
                self.emit("}")
                self.i += 1
            elif len(self.stack) > 1:
                self.i += 1
                self.close()
            else:
                self.emit("}")
                self.i += 1
        elif tok == "~":
            self.emit("\u00a0")
            self.i += 1
        elif tok == "-":
            if s[i - 1 : i] in ("<", "!") or s.startswith(">", i + 2 + s.startswith("---", i)):
                # Arrows and comment marks (`-->`, `<--`, `<!--`) are not dashes.
                run = 3 if s.startswith("---", i) else 2 if nxt == "-" else 1
                self.emit(s[i : i + run])
                self.i += run
            elif s.startswith("---", i):
                self.emit("—")
                self.i += 3
            elif nxt == "-":
                self.emit("–")
                self.i += 2
            else:
                self.emit("-")
                self.i += 1
        elif tok == "`":
            mark = "``" if nxt == "`" else "`"
            self.emit(Quote(mark))
            self.i += len(mark)
        elif tok == "'":
            if nxt == "'":
                self.emit(Quote("''"))
                self.i += 2
            else:
                # An apostrophe inside a word ("foo's") closes nothing.
                after = s[i + 1 : i + 2]
                self.emit(Quote("'") if not after.isalpha() else "'")
                self.i += 1
        elif tok == '"':
            self.emit(Quote('"'))
            self.i += 1
        elif tok in ("^", "_"):
            if nxt == "{" and self.bare_math_left():
                return
            self.emit(tok)
            self.i += 1
        else:
            self.url()

    def url(self) -> None:
        m = _URL_CHARS.match(self.s, self.i, self.i + WINDOW)
        url = _trim_url(m.group(0) if m else "")
        if _link_ok(url):
            self.emit(Elem("a", [url], href=url))
            self.i += len(url)
        else:
            self.emit(self.s[self.i])
            self.i += 1

    def command(self) -> None:
        s, i = self.s, self.i
        m = _LETTERS.match(s, i + 1)
        if m is None:
            c = s[i + 1 : i + 2]
            if c in _ESCAPES:
                self.emit(_ESCAPES[c])
                self.i += 2
            elif c in ("(", "["):
                self.delimited_math("\\)" if c == "(" else "\\]")
            elif c in _SPACES:
                self.emit(_SPACES[c])
                self.i += 2
            elif c in _ACCENTS and self.accent(_ACCENTS[c], i + 2):
                return
            else:
                self.emit("\\")
                self.i += 1
            return
        name, end = m.group(0), m.end()
        if name in _LETTER_ACCENTS and s[end : end + 1] == "{" and self.accent(_LETTER_ACCENTS[name], end):
            return
        if name in MATH_COMMANDS:
            self.bare_math(i)
            return
        arg = end + 1 if s[end : end + 1] == "{" else -1
        if name in _STYLES and arg > 0:
            self.push(_Frame("arg", "\\" + name + "{", Elem(_STYLES[name])))
            self.i = arg
        elif name in ("url", "href") and arg > 0:
            self.link(name, arg)
        elif name in _SWITCHES:
            self.stack[-1].switches.append((len(self.out), _SWITCHES[name]))
            self.i = self.skip_space(end)
        elif name in _WORDS:
            self.emit(_WORDS[name])
            self.i = end + 2 if s.startswith("{}", end) else end
        else:
            self.emit(s[i:end])  # unknown: shown as written, its argument's braces too
            self.i = end
            if arg > 0:
                self.push(_Frame("visible", "{", Elem("")))
                self.i = arg

    def skip_space(self, j: int) -> int:
        return j + 1 if self.s[j : j + 1] == " " else j

    def accent(self, mark: str, j: int) -> bool:
        s = self.s
        if s[j : j + 1] == "{" and s[j + 2 : j + 3] == "}" and s[j + 1 : j + 2].isalpha():
            letter, end = s[j + 1], j + 3
        elif s.startswith("{\\i}", j):
            letter, end = "i", j + 4
        elif s[j : j + 1].isalpha():
            letter, end = s[j], j + 1
        else:
            return False
        self.emit(unicodedata.normalize("NFC", letter + mark))
        self.i = end
        return True

    def link(self, name: str, arg: int) -> None:
        s = self.s
        close = self.closing(arg - 1)
        url = s[arg:close].strip() if arg < close < arg + WINDOW else ""
        if "{" in url or not _link_ok(url):
            self.emit("\\" + name)
            self.push(_Frame("visible", "{", Elem("")))
            self.i = arg
            return
        self.i = close + 1
        if name == "href" and s[self.i : self.i + 1] == "{":
            self.push(_Frame("arg", s[arg - 6 : close + 2], Elem("a", href=url)))
            self.i += 1
        else:
            self.emit(Elem("a", [url], href=url))

    def dollar(self) -> None:
        s, i = self.s, self.i
        if s.startswith("$$", i):
            end = self.find("$$", i + 2)
            if end > i + 2:
                self.emit(Math(s[i + 2 : end]))
                self.i = end + 2
                return
            self.emit("$$")
            self.i += 2
            return
        if s[i + 1 : i + 2] not in ("", " "):
            # pandoc's rule: no space before the closing $, no digit after it ("$5 and $10").
            j = self.find("$", i + 1, lambda j: s[j - 1] not in " \\" and not s[j + 1 : j + 2].isdigit())
            if j > 0:
                self.emit(Math(s[i + 1 : j]))
                self.i = j + 1
                return
        self.emit("$")
        self.i += 1

    def delimited_math(self, closing: str) -> None:
        i = self.i
        end = self.find(closing, i + 2)
        if end < 0:
            self.emit(self.s[i : i + 2])
            self.i += 2
            return
        self.emit(Math(self.s[i + 2 : end]))
        self.i = end + 2

    def bare_math_left(self) -> bool:
        """`10^{22}`: the word before a braced super- or subscript is part of the formula."""
        out = self.out
        if not out or not isinstance(out[-1], str) or _tail(out[-1], _WORD) == len(out[-1]):
            return False
        if self.raw_groups(self.i + 1, 1) == self.i + 1:
            return False  # an unclosed brace: no formula
        self.bare_math(self.i)
        return True

    def bare_math(self, start: int) -> None:
        """A formula written without `$`: `2\\times10^{22}`, `\\alpha`, `\\leq7.5`."""
        s, n = self.s, len(self.s)
        out = self.out
        lead = ""
        if out and isinstance(out[-1], str):
            k = _tail(out[-1], _WORD if s[start] in "^_" else _DIGITS)
            lead, out[-1] = out[-1][k:], out[-1][:k]
            if not out[-1]:
                out.pop()
        j = start
        while j < n:
            c = s[j]
            if c == "\\":
                m = _LETTERS.match(s, j + 1)
                if m is None or m.group(0) not in MATH_COMMANDS:
                    break
                j = m.end()
                if m.group(0) in _FONT_ARGS or m.group(0) in ("frac", "dfrac", "tfrac", "binom"):
                    j = self.raw_groups(j, 2 if "frac" in m.group(0) or m.group(0) == "binom" else 1)
            elif c in "^_":
                if s[j + 1 : j + 2] == "{":
                    end = self.raw_groups(j + 1, 1)
                    if end == j + 1:
                        break
                    j = end
                elif s[j + 1 : j + 2].isalnum():
                    j += 2
                else:
                    break
            elif c.isdigit() or (c == "." and s[j + 1 : j + 2].isdigit()):
                j = _MATHY.match(s, j).end()  # type: ignore[union-attr]
            else:
                break
        self.emit(Math(lead + s[start:j]))
        self.i = j

    def raw_groups(self, j: int, count: int) -> int:
        """The end of up to `count` balanced `{…}` groups from `j` (within `WINDOW`)."""
        for _ in range(count):
            if self.s[j : j + 1] != "{":
                return j
            end = self.closing(j)
            if not j < end < j + WINDOW:
                return j
            j = end + 1
        return j

    def close(self, unclosed: bool = False) -> None:
        frame = self.stack.pop()
        _pair_quotes(frame.elem.children)
        self.fold(frame)
        if unclosed:
            self.emit(frame.opening)
            self.emit(Elem("", frame.elem.children))
        elif frame.kind == "visible" or (frame.kind == "group" and self.spaced(frame.start)):
            self.out.extend(["{", Elem("", frame.elem.children), "}"])
        else:
            self.emit(frame.elem)

    def spaced(self, start: int) -> bool:
        """Whether a group's braces are text, not TeX: TeX groups start with a word, a command
        or math and hug their content (`{GPU}`, `{\\em x}`); `{{ x }}`, `{% y %}`, `{}` do not."""
        if self.i - start < 3:
            return True
        first, last = self.s[start + 1], self.s[self.i - 2]
        return not (first.isalnum() or first in "\\$") or last == " "

    def fold(self, frame: _Frame) -> None:
        """Apply the group's `\\em`-like switches to what follows each."""
        children = frame.elem.children
        for at, tag in reversed(frame.switches):
            children[at:] = [Elem(tag, children[at:])]


# Characters HTML cannot carry (a parser turns NUL into U+FFFD, sanitizers drop them): shown as U+FFFD.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")


@functools.lru_cache(maxsize=64)
def _parse(text: str) -> Elem:
    """The tree of `text` (never changed once made: to_html and plain share it)."""
    return _Parser(_CONTROL.sub("\ufffd", " ".join(text.split()))).run()


def _walk(root: Elem) -> Iterator[tuple[str, Node]]:
    """("open"|"close"|"leaf", node) in document order, without recursion."""
    stack: list[tuple[Elem, int]] = [(root, 0)]
    while stack:
        elem, k = stack.pop()
        if k < len(elem.children):
            stack.append((elem, k + 1))
            node = elem.children[k]
            if isinstance(node, Elem):
                yield "open", node
                stack.append((node, 0))
            else:
                yield "leaf", node
        elif elem is not root:
            yield "close", elem


def _leaf_text(node: Node) -> str:
    if isinstance(node, Quote):
        return node.curly or node.mark
    return node if isinstance(node, str) else ""


def to_html(text: str) -> str:
    """`text` typeset as inline HTML (escaped, on one line), for an element's content."""
    key = ("html", text)
    if key in _CACHE:
        return _CACHE[key]
    out: list[str] = []
    shown: list[bool] = []  # per open element: whether its tags were written
    in_link = depth = 0
    for event, node in _walk(_parse(text)):
        if event == "open":
            assert isinstance(node, Elem)
            show = bool(node.tag) and depth < MAX_DEPTH and not (node.tag == "a" and in_link)
            shown.append(show)
            if show:
                depth += 1
                if node.tag == "a":
                    in_link += 1
                    href = html.escape(node.href, quote=True)
                    out.append(f'<a href="{href}" rel="nofollow noopener">')
                else:
                    out.append(f"<{node.tag}>")
        elif event == "close":
            assert isinstance(node, Elem)
            if shown.pop():
                depth -= 1
                in_link -= node.tag == "a"
                out.append(f"</{node.tag}>")
        elif isinstance(node, Math):
            out.append(f'<code class="language-math">{html.escape(node.tex, quote=False)}</code>')
        else:
            out.append(html.escape(_leaf_text(node), quote=False))
    result = "".join(out)
    _remember(key, result)
    return result


def plain(text: str) -> str:
    """`text` as plain Unicode text: "Stim", 12%, 2×10²², for feeds, search and summaries."""
    key = ("plain", text)
    if key in _CACHE:
        return _CACHE[key]
    out: list[str] = []
    for event, node in _walk(_parse(text)):
        if event == "leaf":
            out.append(math_text(node.tex) if isinstance(node, Math) else _leaf_text(node))
    result = _SPACE_RUN.sub(" ", "".join(out)).strip()
    _remember(key, result)
    return result


def has_math(text: str) -> bool:
    """Whether `to_html(text)` holds a formula (the page then loads KaTeX)."""
    return 'class="language-math"' in to_html(text)


def _remember(key: tuple[str, str], value: str) -> None:
    if len(_CACHE) > 50_000:
        _CACHE.clear()
    _CACHE[key] = value


_SPACE_RUN = re.compile(" {2,}")
_MATH_TOKEN = re.compile(r"\\([A-Za-z]+|.)|([\^_])(\{[^{}]*\}|.)|([{}])|([^\\^_{}]+)", re.DOTALL)


def math_text(tex: str) -> str:
    """A formula in Unicode, as near as plain text gets: `2\\times10^{22}` is 2×10²²."""
    out: list[str] = []
    for m in _MATH_TOKEN.finditer(tex):
        command, script, arg, brace, other = m.groups()
        if command is not None:
            if command in _MATH_WORDS:
                word = _MATH_WORDS[command]
                out.append(word + " " if word.isalpha() and len(word) > 1 else word)
            elif command in _ESCAPES:
                out.append(_ESCAPES[command])
            elif command in MATH_COMMANDS or command in _STYLES:
                pass  # a font or a construction: its argument follows as text
            else:
                out.append("\\" + command)
        elif script is not None:
            body = arg[1:-1] if arg.startswith("{") else arg
            body = math_text(body) if "\\" in body else body
            table, ok = (_SUP, _SUP_OK) if script == "^" else (_SUB, _SUB_OK)
            if body and set(body) <= ok:
                out.append(body.translate(table))
            else:
                out.append(script + (body if len(body) == 1 else f"({body})"))
        elif other is not None:
            out.append(other)
    return "".join(out).strip()
