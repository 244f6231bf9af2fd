"""Which format a file to import is in, and the reader of each format.

The format comes from the file's extension, or, when the extension says
nothing (`.txt` is the text dump, but `export` or `library.dat` could be
anything), from the first characters of its content.  The readers of BibTeX,
CSL-JSON and RIS import their parser libraries only when called.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from ..model import Problem
from . import files
from .entry import Reader

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

def sniff(text: str) -> str:
    """Guess the format from the content: JSON, BibTeX entries, RIS records, else a dump."""
    return files.sniff(text) or "dump"


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
    """Read a file to import: a regular file, at most 64 MB, in UTF-8 (a BOM is dropped)."""
    return files.read_library(path, display)
