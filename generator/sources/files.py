"""A library file's bytes to text, and a guess of its format from its content (detect.py decides)."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..model import Problem

#: A library file larger than this is refused: 64 MB is ~100,000 entries with abstracts.
MAX_LIBRARY_BYTES = 64 * 1024 * 1024

_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}


def read_library(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Read a library file as text: a regular file, at most MAX_LIBRARY_BYTES, in UTF-8."""
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            return None, [Problem(display, 1, 1, "file is a symbolic link; import the file it points to")]
        if not stat.S_ISREG(st.st_mode):
            return None, [Problem(display, 1, 1, "not a regular file")]
        if st.st_size > MAX_LIBRARY_BYTES:
            return None, [
                Problem(
                    display,
                    1,
                    1,
                    f"file is {st.st_size} bytes, over the limit of {MAX_LIBRARY_BYTES}; "
                    "split the library into smaller exports",
                )
            ]
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(display, 1, 1, "file is missing")]
    except OSError as exc:
        return None, [Problem(display, 1, 1, f"cannot read file: {exc.strerror}")]
    return decode(data, display)


def decode(data: bytes, display: str) -> tuple[str | None, list[Problem]]:
    """Decode a library file's bytes as UTF-8 (a BOM is dropped), or say where it is not UTF-8."""
    for bom, name in _BOMS.items():
        if data.startswith(bom):
            return None, [
                Problem(
                    display,
                    1,
                    1,
                    f"file is not UTF-8: it starts with a {name} byte order mark; "
                    "save it as UTF-8 (in Zotero: Export Format, Character Encoding: Unicode (UTF-8))",
                )
            ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        return None, [
            Problem(
                display,
                line,
                col,
                f"file is not UTF-8: byte {data[exc.start]:#04x} at offset {exc.start} cannot be decoded; "
                "save it as UTF-8",
            )
        ]
    return text.removeprefix("\ufeff"), []


_BIB_START = re.compile(r"@\w+\s*[{(]")


def sniff(text: str) -> str | None:
    """Guess the format of a library from its first non-blank lines."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if head.startswith(("[", "{")):
        return "csl"
    for line in head.splitlines():
        stripped = line.strip()
        if _BIB_START.match(stripped):
            return "bib"
        if stripped.startswith("TY  -"):
            return "ris"
    return None
