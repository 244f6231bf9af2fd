"""Which format a file to import is in, and the reader of each format.

The format comes from the file's extension, or, when the extension says
nothing (`.txt` is the text dump, but `export` or `library.dat` could be
anything), from the first characters of its content.  The readers of BibTeX,
CSL-JSON and RIS import their parser libraries only when called.
"""

from __future__ import annotations

import importlib
import os
import re
import stat
from pathlib import Path

from ..model import Problem
from .entry import Reader

#: A file larger than this is refused: 64 MB is about 100,000 entries with abstracts.
MAX_SOURCE_BYTES = 64 * 1024 * 1024

#: Format -> (module, function) of its reader, and the words used for it in messages.
READERS: dict[str, tuple[str, str]] = {
    "dump": ("generator.sources.dump", "read_dump"),
    "bib": ("generator.sources.bib", "read_bib"),
    "csl": ("generator.sources.csl", "read_csl"),
    "ris": ("generator.sources.ris", "read_ris"),
}
FORMAT_NAMES = {"dump": "text dump", "bib": "BibTeX", "csl": "CSL-JSON", "ris": "RIS"}

EXTENSIONS = {
    ".txt": "dump",
    ".bib": "bib",
    ".bibtex": "bib",
    ".biblatex": "bib",
    ".json": "csl",
    ".csljson": "csl",
    ".ris": "ris",
}

_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}
_BIB_ENTRY = re.compile(r"^\s*@[A-Za-z]+\s*[{(]", re.MULTILINE)
_RIS_TAG = re.compile(r"^TY  - ", re.MULTILINE)


def sniff(text: str) -> str:
    """Guess the format from the content: JSON, BibTeX entries, RIS records, else a dump."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith(("[", "{")):
        return "csl"
    window = head[:8192]
    if _RIS_TAG.search(window):
        return "ris"
    if _BIB_ENTRY.search(window):
        return "bib"
    return "dump"


def format_of(name: str, text: str) -> str:
    """The format of a file: from its extension, or from its content when the extension says nothing."""
    return EXTENSIONS.get(os.path.splitext(name)[1].lower()) or sniff(text)


def reader(fmt: str) -> Reader:
    """The reader of a format (its parser library is imported only now).

    Raises LookupError when this installation has no reader for the format.
    """
    module, function = READERS[fmt]
    try:
        found: Reader = getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError) as exc:
        raise LookupError(f"no reader for {FORMAT_NAMES[fmt]} files in this installation ({exc})") from None
    return found


def read_source(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Read a file to import: a regular file, at most MAX_SOURCE_BYTES, in UTF-8 (a BOM is dropped)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            return None, [Problem(display, 1, 1, "not a regular file")]
        if st.st_size > MAX_SOURCE_BYTES:
            return None, [
                Problem(display, 1, 1, f"file is {st.st_size} bytes, over the limit of {MAX_SOURCE_BYTES}")
            ]
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(display, 1, 1, "file is missing")]
    except OSError as exc:
        return None, [Problem(display, 1, 1, f"cannot read file: {exc.strerror}")]
    for bom, name in _BOMS.items():
        if data.startswith(bom):
            return None, [
                Problem(
                    display,
                    1,
                    1,
                    f"file is not UTF-8: it starts with a {name} byte order mark; save it as UTF-8",
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
                f"file is not UTF-8: byte {data[exc.start]:#04x} cannot be decoded; save the file as UTF-8",
            )
        ]
    return text.removeprefix("\ufeff"), []
