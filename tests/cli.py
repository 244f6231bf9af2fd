"""Run the generator's command line the way a user does: `python -m generator` in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_generator(
    root: Path, *args: str, env: Mapping[str, str], quiet: bool = True, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m generator --root ROOT [-q] ARGS`, from the repository, with environment `env`;
    the finished process, whatever its exit status."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), *(["-q"] if quiet else []), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        env=dict(env),
        check=False,
    )
