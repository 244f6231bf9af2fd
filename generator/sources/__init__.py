"""Readers of the libraries curators import from: each turns a file into `SourceEntry` records.

`files` reads a library file's bytes as text; `detect` tells its format (extension, else
content) and imports the reader needed: `dump`, `bib`, `csl` or `ris`; `latex` and
`normalize` turn field values into the text and links a paper file holds.
"""
