"""A tiny content/ whose papers the recorded API responses know."""

from __future__ import annotations

from pathlib import Path

import pytest

TOPICS = """\
topics:
  - id: agents
    title: LLM agents
    description: Language models that use tools.
    rules:
      tool use: 3
"""

PAPERS = {
    # Only a title, in other case than the publisher's: found by title search.
    "chemcrow": """\
---
title: Augmenting Large Language Models with Chemistry Tools
added: 2026-11-01
---
""",
    # A curator set the authors (abbreviated on purpose), a comment and notes; the DOI is known.
    "pnas-tissues": """\
---
# Kept from the lab's shared library.
title: Developing functional musculoskeletal tissues through hypoxia and lysyl oxidase-induced
  collagen cross-linking
added: 2026-11-02
authors: [E. A. Makris, et al.]   # as the lab cites it
doi: 10.1073/pnas.1414271111
status: to-read
---
Read the **methods** first.

  Indented line, kept as is.
""",
    "heat-bath": """\
---
title: Heat-bath random walks with Markov bases
added: 2026-11-03
arxiv: "1605.08386"
---
""",
    "quantum-criticality": """\
---
title: Quantum criticality for extended nodes on a Bethe lattice in the large-connectivity limit
added: 2026-11-04
---
""",
    # Nothing to fill in.
    "complete": """\
---
title: A complete entry
added: 2026-11-05
abstract: Everything is here already.
authors: [A. Author]
year: 2020
venue: Journal of Examples
doi: 10.1000/example
arxiv: "2001.00001"
url: https://example.org/paper
pdf: https://example.org/paper.pdf
---
""",
}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    (root / "papers").mkdir(parents=True)
    (root / "topics.yml").write_text(TOPICS, encoding="utf-8")
    for slug, text in PAPERS.items():
        (root / "papers" / f"{slug}.md").write_text(text, encoding="utf-8")
    return root
