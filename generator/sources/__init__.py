"""Readers of the libraries curators import from: each turns a file into `SourceEntry` records.

`files` reads a library file's bytes as text and tells its format; `bib`, `csl` and `ris`
are the readers (`files.reader(format)` imports the one needed); `latex` and `normalize`
turn field values into the text and links a paper file holds.
"""

from .files import FORMATS, format_of, read_library, reader, sniff

__all__ = ["FORMATS", "format_of", "read_library", "reader", "sniff"]
