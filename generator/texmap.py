"""TeX as abstracts use it: what each command becomes, the tree a text parses into, and formulas
as plain text.  Tables and small pure helpers of generator/texparse.py and generator/typeset.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: How far a math span, a URL argument or a raw group may reach: bounds every look-ahead.
WINDOW = 2000
#: Groups nested deeper than this are text: their braces (and commands) show as written.
MAX_GROUPS = 64

# A backslash before a space stays as written: in prose it is more often a backslash than TeX's `\ `.
ESCAPES = {"%": "%", "&": "&", "_": "_", "#": "#", "$": "$", "{": "{", "}": "}", "\\": " "}
SPACES = {",": "\u202f", ";": "\u2005", ":": "\u2005", "!": "", "-": "\u00ad", "@": "", "/": ""}
ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307",
}  # fmt: skip
LETTER_ACCENTS = {"c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "r": "\u030a", "k": "\u0328"}
WORDS = {
    "LaTeX": "LaTeX", "TeX": "TeX", "ldots": "…", "dots": "…", "textendash": "–", "textemdash": "—",
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
    "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "S": "§", "P": "¶", "copyright": "©", "textregistered": "®",
    "texttrademark": "™", "textbackslash": "\\", "textasciitilde": "~", "textbar": "|", "newline": " ",
    "quad": "\u2003", "qquad": "\u2003\u2003", "textdegree": "°", "euro": "€", "pounds": "£",
}  # fmt: skip
#: Commands with one argument, and the element it becomes ("" keeps the text as it is).
STYLES = {
    "emph": "em", "textit": "em", "textsl": "em", "textbf": "strong", "texttt": "code", "textrm": "",
    "textsf": "", "textsc": "", "textup": "", "textnormal": "", "text": "", "mbox": "", "textmd": "",
}  # fmt: skip
#: Declarations that style the rest of their group: `{\em x}`.
SWITCHES = {
    "em": "em", "it": "em", "itshape": "em", "sl": "em", "slshape": "em",
    "bf": "strong", "bfseries": "strong",
    "tt": "code", "ttfamily": "code", "rm": "", "sf": "", "sc": "", "normalfont": "", "upshape": "",
    "mdseries": "", "scshape": "",
}  # fmt: skip
GREEK = (
    "alpha α beta β gamma γ delta δ epsilon ϵ varepsilon ε zeta ζ eta η theta θ vartheta ϑ iota ι kappa κ "
    "lambda λ mu μ nu ν xi ξ pi π varpi ϖ rho ρ varrho ϱ sigma σ varsigma ς tau τ upsilon υ phi ϕ varphi φ "
    "chi χ psi ψ omega ω Gamma Γ Delta Δ Theta Θ Lambda Λ Xi Ξ Pi Π Sigma Σ Upsilon Υ Phi Φ Psi Ψ Omega Ω"
)
SYMBOLS = (
    "times × cdot · cdots ⋯ ldots … pm ± mp ∓ div ÷ leq ≤ le ≤ geq ≥ ge ≥ neq ≠ ne ≠ approx ≈ sim ∼ simeq ≃ "
    "equiv ≡ propto ∝ ll ≪ gg ≫ infty ∞ partial ∂ nabla ∇ sum ∑ prod ∏ int ∫ in ∈ notin ∉ subset ⊂ "
    "subseteq ⊆ supset ⊃ cup ∪ cap ∩ emptyset ∅ forall ∀ exists ∃ neg ¬ wedge ∧ land ∧ vee ∨ lor ∨ "
    "oplus ⊕ otimes ⊗ circ ∘ to → rightarrow → leftarrow ← Rightarrow ⇒ Leftarrow ⇐ leftrightarrow ↔ "
    "Leftrightarrow ⇔ mapsto ↦ ell ℓ hbar ℏ star ⋆ ast ∗ dagger † langle ⟨ rangle ⟩ lceil ⌈ rceil ⌉ "
    "lfloor ⌊ rfloor ⌋ mid ∣ vert | Vert ‖ prime ′ degree ° log log ln ln exp exp sin sin cos cos max max "
    "min min lim lim poly poly polylog polylog det det dim dim sqrt √ bigcup ⋃ bigcap ⋂ setminus ∖ "
    "top ⊤ bot ⊥ vdash ⊢ models ⊨ lesssim ≲ gtrsim ≳ cong ≅ perp ⊥ , \u2009 ; \u2005 ! "
)
MATH_WORDS = dict(zip(*[iter((GREEK + " " + SYMBOLS).split(" "))] * 2, strict=False))
MATH_WORDS.pop("", None)
#: Commands that are math wherever they appear: a bare `2\times10^{22}` is a formula.
CONSTRUCTS = (
    "frac dfrac tfrac binom mathcal mathbb mathbf mathrm mathit mathsf mathtt mathfrak boldsymbol hat "
    "tilde bar vec dot ddot overline underline widehat widetilde operatorname left right big Big "
    "lvert rvert lVert rVert sqrt"
)
MATH_COMMANDS = frozenset([k for k in MATH_WORDS if k.isalpha()] + CONSTRUCTS.split())
#: Math commands whose braced argument belongs to the formula: `\mathcal{O}`.
FONT_ARGS = frozenset(
    [
        "mathcal",
        "mathbb",
        "mathbf",
        "mathrm",
        "mathit",
        "mathsf",
        "mathtt",
        "mathfrak",
        "boldsymbol",
        "operatorname",
        "text",
        "textrm",
        "mbox",
        "sqrt",
        "hat",
        "tilde",
        "bar",
        "vec",
        "overline",
    ]
)
SUP = str.maketrans("0123456789+-=()niT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀ")
SUB = str.maketrans("0123456789+-=()aeoxijk", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓᵢⱼₖ")
SUP_OK = set("0123456789+-=()niT")
SUB_OK = set("0123456789+-=()aeoxijk")

# One special character, or the start of a URL: everything else is copied as it is.
# A lone hyphen is text as it stands ("state-of-the-art"): only "--" and "---" start a dash.
SPECIAL = re.compile(r"[\\${}~`'\"^_]|-(?=-)|https?://", re.IGNORECASE)
LETTERS = re.compile(r"[A-Za-z]+")
URL_CHARS = re.compile(r"[^\s<>\"{}\\|^`]+")
MATHY = re.compile(r"[0-9.]+")
DIGITS = "0123456789."
WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" + DIGITS


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
class Frame:
    """An open group: its children so far, and what its closing brace makes of them."""

    kind: str  # "group" (braces dropped), "visible" (braces shown), "arg" (a command's), "root"
    opening: str
    elem: Elem
    switches: list[tuple[int, str]] = field(default_factory=list)
    start: int = -1  # where a "group" opened, to read its first and last character at its close


def link_ok(url: str) -> bool:
    low = url[:8].lower()
    return low.startswith(("http://", "https://")) and len(url) > 8


def trim_url(url: str) -> str:
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


def tail(text: str, chars: str) -> int:
    """Where the run of `chars` that ends `text` starts (len(text) if there is none)."""
    k = len(text)
    while k and text[k - 1] in chars:
        k -= 1
    return k


def pair_quotes(children: list[Node]) -> None:
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


SPACE_RUN = re.compile(" {2,}")
MATH_TOKEN = re.compile(r"\\([A-Za-z]+|.)|([\^_])(\{[^{}]*\}|.)|([{}])|([^\\^_{}]+)", re.DOTALL)


def math_text(tex: str) -> str:
    """A formula in Unicode, as near as plain text gets: `2\\times10^{22}` is 2×10²²."""
    out: list[str] = []
    for m in MATH_TOKEN.finditer(tex):
        command, script, arg, _brace, other = m.groups()
        if command is not None:
            if command in MATH_WORDS:
                word = MATH_WORDS[command]
                out.append(word + " " if word.isalpha() and len(word) > 1 else word)
            elif command in ESCAPES:
                out.append(ESCAPES[command])
            elif command in MATH_COMMANDS or command in STYLES:
                pass  # a font or a construction: its argument follows as text
            else:
                out.append("\\" + command)
        elif script is not None:
            body = arg[1:-1] if arg.startswith("{") else arg
            body = math_text(body) if "\\" in body else body
            table, ok = (SUP, SUP_OK) if script == "^" else (SUB, SUB_OK)
            if body and set(body) <= ok:
                out.append(body.translate(table))
            else:
                out.append(script + (body if len(body) == 1 else f"({body})"))
        elif other is not None:
            out.append(other)
    return "".join(out).strip()
