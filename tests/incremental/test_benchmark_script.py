"""benchmarks/run.py runs end to end (on a tiny list) and writes its table."""

from __future__ import annotations

import json
import re
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
    # Issue 11's yardstick: the bare Material site over the same docs/, and the ratio to it.
    assert "| baseline mkdocs build |" in text
    goal = re.escape("| make site CPU at most 0.75× the baseline's mkdocs build at 30 | ")
    ratio = re.search(goal + r"(\d+\.\d\d)× ", text)
    assert ratio, text
    (measured,) = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    cpu = {step: data["samples"][0]["cpu"] for step, data in measured["steps"].items()}
    assert float(ratio.group(1)) == round(cpu["make site"] / cpu["baseline mkdocs build"], 2)
