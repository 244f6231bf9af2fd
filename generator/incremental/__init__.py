"""The one seam for speed: what the last run computed, so the next one redoes only what changed.

`pipeline.generate` takes a memo and asks it, stage by stage, "do I already
know this?"; the memo never runs a stage and no stage ever sees the memo.
`NoMemo` knows nothing: the pipeline then computes everything, and the output
is byte-identical either way (tests/incremental proves it on the shipped list
and on a generated one).

The interface, in pipeline order:

- `scan`: the digest of every input file (content/ and mkdocs.yml);
- `unchanged`: whether the inputs and docs/ are exactly as the last run left
  them, in which case there is nothing to do;
- `known_papers`, `known_assignments`, `known_related`: values computed
  before from inputs that have not changed, for the stages to skip;
- `plan`: which files of docs/ must be rendered again, and which stay;
- `save`: remember this run, once docs/ is written.
"""

from .inputs import Inputs
from .memo import Memo, NoMemo, Plan

__all__ = ["Inputs", "Memo", "NoMemo", "Plan"]
