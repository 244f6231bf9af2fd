"""Parse the TeX of a title or an abstract into a tree, in one pass (see generator/typeset.py).

Every look-ahead is bounded (`WINDOW`) or consumes what it reads, braces are matched once for
the whole text, and groups deeper than `MAX_GROUPS` are text: the work is linear in the text.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .texmap import (
    ACCENTS,
    DIGITS,
    ESCAPES,
    FONT_ARGS,
    LETTER_ACCENTS,
    LETTERS,
    MATH_COMMANDS,
    MATHY,
    MAX_GROUPS,
    SPACES,
    SPECIAL,
    STYLES,
    SWITCHES,
    URL_CHARS,
    WINDOW,
    WORD,
    WORDS,
    Elem,
    Frame,
    Math,
    Node,
    Quote,
    link_ok,
    pair_quotes,
    tail,
    trim_url,
)

_BRACE = re.compile(r"\\[\s\S]?|[{}]")


class _Parser:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.root = Frame("root", "", Elem(""))
        self.stack = [self.root]
        self._closing: dict[int, int] | None = None
        # Where each search for a closing delimiter gave up: no closer lies before it, since
        # whether a `$` or `\)` closes does not depend on where its formula opened. Each
        # search starts past it, so all of them together read the text once.
        self.searched: dict[str, int] = {}
        self.too_deep = 0  # groups opened past MAX_GROUPS, shown as text, not yet closed

    def push(self, frame: Frame) -> None:
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
            for m in _BRACE.finditer(self.s):  # a backslash hides the character after it
                c = m.group()
                if c == "{":
                    opened.append(m.start())
                elif c == "}" and opened:
                    self._closing[opened.pop()] = m.start()
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
            m = SPECIAL.search(s, self.i)
            if m is None:
                self.emit(s[self.i :])
                break
            if m.start() > self.i:
                self.emit(s[self.i : m.start()])
            self.i = m.start()
            self.step(m.group(0))
        while len(self.stack) > 1:
            self.close(unclosed=True)
        pair_quotes(self.root.elem.children)
        self.fold(self.root)
        return self.root.elem

    def step(self, tok: str) -> None:  # one branch per special character
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
            self.push(Frame("visible" if visible else "group", "{", Elem(""), start=i))
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
        m = URL_CHARS.match(self.s, self.i, self.i + WINDOW)
        url = trim_url(m.group(0) if m else "")
        if link_ok(url):
            self.emit(Elem("a", [url], href=url))
            self.i += len(url)
        else:
            self.emit(self.s[self.i])
            self.i += 1

    def command(self) -> None:
        s, i = self.s, self.i
        m = LETTERS.match(s, i + 1)
        if m is None:
            c = s[i + 1 : i + 2]
            if c in ESCAPES:
                self.emit(ESCAPES[c])
                self.i += 2
            elif c in ("(", "["):
                self.delimited_math("\\)" if c == "(" else "\\]")
            elif c in SPACES:
                self.emit(SPACES[c])
                self.i += 2
            elif c in ACCENTS and self.accent(ACCENTS[c], i + 2):
                return
            else:
                self.emit("\\")
                self.i += 1
            return
        name, end = m.group(0), m.end()
        if name in LETTER_ACCENTS and s[end : end + 1] == "{" and self.accent(LETTER_ACCENTS[name], end):
            return
        if name in MATH_COMMANDS:
            self.bare_math(i)
            return
        arg = end + 1 if s[end : end + 1] == "{" else -1
        if name in STYLES and arg > 0:
            self.push(Frame("arg", "\\" + name + "{", Elem(STYLES[name])))
            self.i = arg
        elif name in ("url", "href") and arg > 0:
            self.link(name, arg)
        elif name in SWITCHES:
            self.stack[-1].switches.append((len(self.out), SWITCHES[name]))
            self.i = self.skip_space(end)
        elif name in WORDS:
            self.emit(WORDS[name])
            self.i = end + 2 if s.startswith("{}", end) else end
        else:
            self.emit(s[i:end])  # unknown: shown as written, its argument's braces too
            self.i = end
            if arg > 0:
                self.push(Frame("visible", "{", Elem("")))
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
        if "{" in url or not link_ok(url):
            self.emit("\\" + name)
            self.push(Frame("visible", "{", Elem("")))
            self.i = arg
            return
        self.i = close + 1
        if name == "href" and s[self.i : self.i + 1] == "{":
            self.push(Frame("arg", s[arg - 6 : close + 2], Elem("a", href=url)))
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
        if not out or not isinstance(out[-1], str) or tail(out[-1], WORD) == len(out[-1]):
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
            k = tail(out[-1], WORD if s[start] in "^_" else DIGITS)
            lead, out[-1] = out[-1][k:], out[-1][:k]
            if not out[-1]:
                out.pop()
        j = start
        while j < n:
            c = s[j]
            if c == "\\":
                m = LETTERS.match(s, j + 1)
                if m is None or m.group(0) not in MATH_COMMANDS:
                    break
                j = m.end()
                if m.group(0) in FONT_ARGS or m.group(0) in ("frac", "dfrac", "tfrac", "binom"):
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
                j = MATHY.match(s, j).end()  # type: ignore[union-attr]
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
        pair_quotes(frame.elem.children)
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

    def fold(self, frame: Frame) -> None:
        """Apply the group's `\\em`-like switches to what follows each."""
        children = frame.elem.children
        for at, tag in reversed(frame.switches):
            children[at:] = [Elem(tag, children[at:])]


@functools.lru_cache(maxsize=64)
def parse(text: str) -> Elem:
    """The tree of `text` (never changed once made: to_html and plain share it)."""
    return _Parser(" ".join(text.split())).run()
