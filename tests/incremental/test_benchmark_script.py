"""benchmarks/run.py runs end to end (on a tiny list) and writes its table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def test_quick_benchmark_writes_the_table(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    out.write_text("# Results\n\nAnalysis written by hand stays.\n", "utf-8")
    subprocess.run(
        [sys.executable, "benchmarks/run.py", "--quick", "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Results\n\nAnalysis written by hand stays.\n")
    for row in ("| import |", "| validate |", "| cold |", "| unchanged |", "| notes edit |", "| related |"):
        assert row in text
    assert "| mkdocs build |" in text and "| make site |" in text and "| search index |" in text
    assert "synthetic 30, unchanged: 0 files touched" in text
    assert "- CPU: " in text and "python benchmarks/run.py --quick" in text
