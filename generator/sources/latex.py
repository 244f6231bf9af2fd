"""LaTeX in BibTeX fields to plain text: accents, escapes, dashes and quotes; math kept as written.

pylatexenc does this fully but takes 1-2 ms for a title and ~20 ms for an abstract, which
for a 10,000-entry library is minutes.  So `to_text` reads the subset that reference
managers write (protective braces, `\\'e` / `{\\"o}` / `\\c{c}` accents, `\\ss`-style
letters, `\\%`-style escapes, `\\emph{...}`-style markup, `--`, ``` `` ```) itself, and hands
a string with anything else (an unknown command, an unclosed `$`) to pylatexenc.  Both
give the same text on what the fast path reads (tests/sources/test_latex.py checks it).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from ..text import one_line

#: Combining marks of the accent commands.
_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}
#: Commands that stand for a character.
_SYMBOLS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "textbackslash": "\\",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textendash": "–",
    "textemdash": "—",
    "textunderscore": "_",
    "textquoteright": "’",
    "textquoteleft": "‘",
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "S": "§",
    "P": "¶",
    "copyright": "©",
    "textregistered": "®",
    "texttrademark": "™",
    "textdegree": "°",
    "textperiodcentered": "·",
}
#: Commands whose one argument is the text (the formatting is dropped).
_TEXT_ARG = frozenset(
    {"emph", "textit", "textbf", "textsc", "textrm", "textsf", "texttt", "textup", "textsl", "textmd", "mbox"}
)
#: Font declarations (`{\\em word}`): dropped.
_DECLARATIONS = frozenset(
    {
        "em",
        "it",
        "bf",
        "sc",
        "rm",
        "sf",
        "tt",
        "sl",
        "normalfont",
        "itshape",
        "bfseries",
        "scshape",
        "upshape",
    }
)
#: Commands whose one argument is not printed (Zotero writes `\\{\\vphantom{\\}}` for a literal brace).
_HIDDEN_ARG = frozenset({"vphantom", "hphantom", "phantom"})
#: Characters a backslash escapes, and what `\\` (a line break) and `\\,` (a thin space) print.
_ESCAPED = {c: c for c in "%&_#${}"} | {" ": " ", ",": " ", ";": " ", "\\": " "}
_TOKEN = re.compile(r"\\([A-Za-z]+)\s*|\\(.)|---|--|``|''|[{}$~\\]")
#: The characters a token starts with: searching for these first is much faster than for `_TOKEN`.
_START = re.compile(r"[\\{}$~`'-]")
#: Characters that may start LaTeX (and "--", a dash): one `in` each is ~6x faster than a regex class.
_LATEX_CHARS = "\\{}$~`'"


class _Unsupported(Exception):
    """The text uses LaTeX the fast path does not read."""


@functools.lru_cache(maxsize=65536)  # names, venues and keywords repeat across a library
def to_text(value: str) -> str:
    """Return the text a LaTeX field value prints as, with whitespace collapsed."""
    if not any(c in value for c in _LATEX_CHARS) and "--" not in value:
        return one_line(value)
    try:
        text, _ = _group(value, 0, top=True)
    except _Unsupported:
        text = _pylatexenc(value)
    except RecursionError:  # braces nested hundreds deep: no reference manager writes that
        text = value.replace("{", "").replace("}", "")
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())  # also a no-break space ('~')


def _group(s: str, i: int, top: bool = False) -> tuple[str, int]:
    """Read from `i` to the `}` closing the group (or the end, at the top); return text and the next index."""
    out: list[str] = []
    n = len(s)
    while i < n:
        start = _START.search(s, i)
        if start is None:
            out.append(s[i:])
            i = n
            break
        m = _TOKEN.match(s, start.start())
        if m is None:  # a lone '-', '`' or "'"
            out.append(s[i : start.end()])
            i = start.end()
            continue
        out.append(s[i : m.start()])
        tok = m.group(0)
        i = m.end()
        if tok == "{":
            inner, i = _group(s, i)
            out.append(inner)
        elif tok == "}":
            if top:
                raise _Unsupported("unbalanced '}'")
            return "".join(out), i
        elif tok == "$":
            close = _math_end(s, i)
            out.append(s[m.start() : close + 1])
            i = close + 1
        elif tok == "~":
            out.append(" ")
        elif tok == "---":
            out.append("—")
        elif tok == "--":
            out.append("–")
        elif tok == "``":
            out.append("“")
        elif tok == "''":
            out.append("”")
        elif m.group(1) is not None:
            text, i = _command(s, m.group(1), i)
            out.append(text)
        elif m.group(2) is not None:
            sym = m.group(2)
            if sym in _ESCAPED:
                out.append(_ESCAPED[sym])
            elif sym in _ACCENTS:
                base, i = _argument(s, i)
                out.append(_accent(sym, base))
            else:
                raise _Unsupported(f"\\{sym}")
        else:
            raise _Unsupported(tok)
    if not top:
        raise _Unsupported("unclosed '{'")
    return "".join(out), i


def _command(s: str, name: str, i: int) -> tuple[str, int]:
    if name in _ACCENTS:
        base, i = _argument(s, i)
        return _accent(name, base), i
    if name in _SYMBOLS:
        # `\ss{}` and `{\ss}` alike: an empty group after a symbol only ends the command name.
        if s.startswith("{}", i):
            i += 2
        return _SYMBOLS[name], i
    if name in _TEXT_ARG:
        return _argument(s, i)
    if name in _DECLARATIONS:
        return "", i
    if name in _HIDDEN_ARG:
        return "", _argument(s, i)[1]
    raise _Unsupported(f"\\{name}")


def _argument(s: str, i: int) -> tuple[str, int]:
    """Read one macro argument at `i`: a `{group}`, a `\\command` or one character."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        raise _Unsupported("missing argument")
    if s[i] == "{":
        return _group(s, i + 1)
    if s[i] == "\\":
        m = _TOKEN.match(s, i)
        if m is None or m.group(1) is None:
            raise _Unsupported("argument")
        return _command(s, m.group(1), m.end())
    if s[i] == "}":
        raise _Unsupported("missing argument")
    return s[i], i + 1


def _accent(kind: str, base: str) -> str:
    if not base:
        raise _Unsupported("empty accent")
    if base[0] in "ıȷ":  # `\\'{\\i}`: the accent takes the dot's place
        base = {"ı": "i", "ȷ": "j"}[base[0]] + base[1:]
    return unicodedata.normalize("NFC", base[0] + _ACCENTS[kind] + base[1:])


def _math_end(s: str, start: int) -> int:
    """Index of the `$` closing math that opened just before `start`."""
    i = start
    while True:
        j = s.find("$", i)
        if j < 0:
            raise _Unsupported("unclosed $")
        if s[j - 1] != "\\":
            return j
        i = j + 1


@functools.cache
def _decoder() -> Any:
    from pylatexenc.latex2text import (  # type: ignore[import-untyped]
        LatexNodes2Text,
        MacroTextSpec,
        get_default_latex_context_db,
    )

    db = get_default_latex_context_db().filter_context()
    db.add_context_category(
        "text-symbols",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", simplify_repl="{"),
            MacroTextSpec("textbraceright", simplify_repl="}"),
            MacroTextSpec("textasciicircum", simplify_repl="^"),
        ],
    )
    return LatexNodes2Text(latex_context=db, math_mode="verbatim", strict_latex_spaces=True)


_BARE_PERCENT = re.compile(r"(?<!\\)%")


def _pylatexenc(value: str) -> str:
    # A bare '%' in a reference manager's field is a percent sign, not a LaTeX comment.
    return str(_decoder().latex_to_text(_BARE_PERCENT.sub(r"\\%", value)))
