"""Keep Python values on disk between runs, trusting only what this machine wrote.

Values are pickled, and unpickling runs code named in the data, so a cache
file that arrived from elsewhere (committed by a pull request, copied from
another machine) must never be unpickled.  Every file carries an HMAC made
with a key that lives outside the project, in the user's cache folder: a file
without a valid HMAC is ignored, as are one that is missing, truncated,
unreadable, a folder or a link, or from another version of the generator.
Anything wrong means "start afresh", never an error.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import hmac
import os
import pickle
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..files import read_regular

MAGIC = b"reading-list-memo 1\n"
DIGEST = 32
#: Refuse to read a cache file larger than this (a 10,000-paper list writes about 30 MB).
MAX_BYTES = 1 << 30


def key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "reading-list-generator" / "memo.key"


def secret() -> bytes | None:
    """This user's key for signing cache files, made on first use; None if it cannot be kept."""
    path = key_file()
    try:
        data = read_regular(path, 4096)[0]
        if data is not None and len(data) == 32:
            return data
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(32))
        os.replace(tmp, path)
        data = read_regular(path, 4096)[0]
        return data if data is not None and len(data) == 32 else None
    except OSError:
        return None


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector while (un)pickling: records hold no cycles, and the collector
    would walk the hundreds of thousands of new objects again and again (0.2 s of a 0.6 s load
    at 10,000 papers; benchmarks/RESULTS.md)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(path: Path, key: bytes | None, version: bytes) -> Any:
    """The value saved at `path` with `key` for `version`, or None if there is none to trust."""
    if key is None:
        return None
    data = read_regular(path, MAX_BYTES)[0]
    if data is None or not data.startswith(MAGIC) or len(data) < len(MAGIC) + DIGEST:
        return None
    mac, body = data[len(MAGIC) : len(MAGIC) + DIGEST], data[len(MAGIC) + DIGEST :]
    if not hmac.compare_digest(mac, hmac.new(key, version + body, hashlib.sha256).digest()):
        return None
    try:
        with gc_paused():
            return pickle.loads(body)
    except Exception:  # signed by us, so only a bug or a changed class could get here
        return None


def save(path: Path, key: bytes | None, version: bytes, value: object) -> None:
    """Save `value` at `path`, atomically; a cache that cannot be written is only a slower next run."""
    if key is None:
        return
    with gc_paused():
        body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    mac = hmac.new(key, version + body, hashlib.sha256).digest()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir() and not path.is_symlink():  # left by something else: ours to replace
            _remove_tree(path)
        with open(tmp, "wb") as f:
            f.write(MAGIC + mac + body)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
