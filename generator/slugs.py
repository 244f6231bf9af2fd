"""Slugs: the file name of a paper, made from its title."""

from __future__ import annotations

import re
import unicodedata

SLUG_MAX = 72

# fmt: off
_GREEK = (
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
    "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
)
# fmt: on
#: Letters that Unicode decomposition does not reduce to ASCII, spelled out so that
#: "Straße" and "λ-calculus" keep their words in the slug instead of losing letters.
_TRANSLITERATION = str.maketrans(
    {
        **{chr(0x3B1 + i + (i >= 17)): name for i, name in enumerate(_GREEK)},  # skips final sigma
        **{chr(0x391 + i + (i >= 17)): name for i, name in enumerate(_GREEK)},  # U+03A2 is unassigned
        "ς": "sigma",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
        "∞": " infinity ",
    }
)


def slugify(title: str) -> str:
    """Make a lowercase ASCII slug with hyphens from a title."""
    decomposed = unicodedata.normalize("NFKD", title).translate(_TRANSLITERATION)
    ascii_text = decomposed.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > SLUG_MAX:
        cut = slug[:SLUG_MAX]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut
    return slug or "paper"
