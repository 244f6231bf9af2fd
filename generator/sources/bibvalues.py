"""BibTeX field values: `{...}` and `"..."` groups, numbers, and `@string` macros joined by `#`.

bibtexparser 2's own string interpolation leaves an unknown macro in place without a word
and does not evaluate `#` concatenation, so values are evaluated here, where an unknown
macro is an error (`MacroError`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: BibTeX's predefined macros: the months.
MONTHS = {m: m for m in ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")}
_MACRO = re.compile(r"[^\s\"#%'(),={}]+")


class MacroError(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@dataclass
class Values:
    """The values of `@string` macros so far, and the evaluation of field values that use them."""

    macros: dict[str, str] = field(default_factory=lambda: dict(MONTHS))

    def evaluate(self, raw: str) -> str:
        """Evaluate `{...}`, `"..."`, numbers and macros joined by `#`; MacroError for an unknown macro."""
        raw = raw.strip()
        # Nearly every value is one braced group.  The splitter hands over values whose braces
        # balance, so one that starts and ends with a brace and has no '#' is one group.
        if len(raw) >= 2 and raw[0] == "{" and raw[-1] == "}" and ("#" not in raw or _closes_at_end(raw)):
            return raw[1:-1]
        parts: list[str] = []
        i, n = 0, len(raw)
        while i < n:
            c = raw[i]
            if c.isspace() or c == "#":
                i += 1
            elif c == "{":
                end = _matching_brace(raw, i)
                parts.append(raw[i + 1 : end])
                i = end + 1
            elif c == '"':
                end = _closing_quote(raw, i)
                parts.append(raw[i + 1 : end])
                i = end + 1
            else:
                m = _MACRO.match(raw, i)
                if m is None:
                    raise MacroError(raw[i])
                word = m.group(0)
                if word.isdigit():
                    parts.append(word)
                elif word.lower() in self.macros:
                    parts.append(self.macros[word.lower()])
                else:
                    raise MacroError(word)
                i = m.end()
        return "".join(parts)


def _closes_at_end(raw: str) -> bool:
    return _matching_brace(raw, 0) == len(raw) - 1


_BRACE = re.compile(r"\\.|[{}]", re.DOTALL)


def _matching_brace(s: str, start: int) -> int:
    depth = 0
    for m in _BRACE.finditer(s, start):
        c = m.group(0)
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return m.start()
    return len(s) - 1  # the splitter only hands over balanced values


def _closing_quote(s: str, start: int) -> int:
    depth = 0
    for i in range(start + 1, len(s)):
        c = s[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == '"' and depth == 0 and s[i - 1] != "\\":
            return i
    return len(s)
