"""Read a built Pagefind index the way its browser script does, for tests: the fragments.

Pagefind writes each page's record as a gzipped file, `pagefind_dcd` then JSON, under
site/pagefind/fragment/.  The meta, filters and text a search result shows come from there.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

_MAGIC = b"pagefind_dcd"


def fragments(site: Path) -> dict[str, dict[str, Any]]:
    """Every page Pagefind indexed, by its URL as stored (`/papers/<slug>/`)."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(_MAGIC), f"{path}: not a Pagefind fragment"
        record = json.loads(data[len(_MAGIC) :])
        out[record["url"]] = record
    return out
