"""benchmarks/zensical.py runs end to end on a tiny list, writes its table and keeps earlier lists."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .test_zensical import ROOT, ZENSICAL, fail_or_skip

pytestmark = [pytest.mark.zensical, pytest.mark.slow]


def test_benchmark_writes_both_builds_and_keeps_other_lists(tmp_path: Path) -> None:
    if not ZENSICAL.is_file():
        fail_or_skip(f"no Zensical at {ZENSICAL.relative_to(ROOT)} (run `make zensical`)")
    out = tmp_path / "ZENSICAL.md"
    out.write_text("# Zensical\n\nAnalysis written by hand stays.\n", encoding="utf-8")
    earlier = {"label": "synthetic 9", "papers": 9, "pages": {"mkdocs": 1, "zensical": 1}}
    earlier |= {"measured": "then", "load": [1.0, 1.0]}
    sample = {"wall": 2.0, "cpu": 1.0, "peak_mb": 10.0, "note": ""}
    steps = ("mkdocs build", "zensical cold", "zensical cached")
    earlier["steps"] = {step: {"samples": [sample]} for step in steps}
    out.with_suffix(".json").write_text(json.dumps([earlier]), encoding="utf-8")

    subprocess.run(
        [sys.executable, "benchmarks/zensical.py", "20", "--runs", "1", "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )

    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Zensical\n\nAnalysis written by hand stays.\n")
    assert "| step | synthetic 9 (9 papers) | synthetic 20 (20 papers) |" in text
    for step in steps:
        assert f"| {step} | 2.00 s (1.00 cpu, 10 MB) | " in text
    [pages] = [line for line in text.splitlines() if line.startswith("| HTML pages")]
    mkdocs, zensical = pages.split(" | ")[-1].rstrip(" |").split(", ")
    assert mkdocs == zensical and int(mkdocs) > 20
