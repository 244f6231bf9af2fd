"""Read content files: regular files only, within a size limit, as UTF-8, front matter parsed."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from . import frontmatter as fm
from .fields import Reporter
from .frontmatter import FrontMatterError
from .model import Position

MAX_FILE_BYTES = 256 * 1024


def read_regular(path: Path, limit: int) -> tuple[bytes | None, str | None]:
    """The bytes of `path`, or None and why not: not a regular file, a link, or over `limit`.

    The file type is checked on the opened file itself (no link followed, no wait on a
    FIFO), so nothing can be swapped in between the check and the read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None, "file is missing"
    except OSError as exc:
        if os.path.islink(path):
            # A link in a pull request could pull any file of the build machine into the site.
            return None, "file is a symbolic link; content files must be regular files"
        return None, f"cannot read file: {exc.strerror}"
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, "not a regular file (a folder, a FIFO or a device); content must be regular files"
        if st.st_size > limit:
            return None, f"file is {st.st_size} bytes, over the limit of {limit}; is this really one paper?"
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # grew while being read
            return None, f"file is over the limit of {limit} bytes"
        return b"".join(chunks), None
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror}"
    finally:
        os.close(fd)


def read_text(path: Path, rep: Reporter) -> str | None:
    """Read a UTF-8 file, reporting its type, size and encoding problems."""
    data, why = read_regular(path, MAX_FILE_BYTES)
    if data is None:
        rep.error(Position(1, 1), why or "cannot read file")
        return None
    if not data.strip():
        rep.error(Position(1, 1), "file is empty; a paper needs front matter with title, abstract and added")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        rep.error(
            Position(line, col),
            f"file is not UTF-8: byte {data[exc.start]:#04x} cannot be decoded; save the file as UTF-8",
        )
        return None
    text = text.removeprefix("\ufeff")
    rep.text = text
    return text


def parse_file(path: Path, rep: Reporter) -> fm.Document | None:
    text = read_text(path, rep)
    if text is None:
        return None
    return parse_text(text, rep)


def parse_text(text: str, rep: Reporter, doc: fm.Document | None = None) -> fm.Document | None:
    """Parse `text`, reporting what is wrong; `doc` is its parse when the caller has it already."""
    if doc is None:
        try:
            doc = fm.parse(text)
        except FrontMatterError as exc:
            rep.error(exc.pos, exc.message)
            return None
    for key, first, second in doc.duplicates:
        rep.error(
            second,
            f"{key}: duplicate key, first set on line {first.line} and again on line {second.line}; "
            "YAML tools would silently keep only the last",
        )
    return doc
