"""Review a contribution: what the working tree's content/ changes against a git ref.

`compare` is pure: two loaded sides in, one report (plain data, the JSON form)
out; `render_markdown` draws it with `templates/review.md.j2`.  Only
`extract_content`, at the edge, runs git.
"""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from . import dedupe, templating, text, validate
from .classify import Matcher, classify, reasons
from .layout import paper_url
from .load import Content, read_content
from .model import LINK_KINDS, Assignment, Paper, Problem

TEMPLATES = Path(__file__).parent / "templates"
#: Cosine of the title-and-abstract vectors (`related.weigh`) from which two papers are probably one.
ABSTRACT_SIMILARITY = 0.8
#: Closest already-listed papers shown for each added paper.
MATCHES = 3
#: Phrases shown for why a paper is in a topic, best first.
PHRASES = 3
#: Entries of one section the Markdown report shows; the JSON report has them all.
MAX_ITEMS = 50
EXCERPT = 160
#: Fields of a `Paper` that are not compared as such: links by kind and notes are, below.
NOT_COMPARED = ("slug", "origin", "links", "notes")

Report = dict[str, Any]


class ReviewError(Exception):
    """The review cannot run: a bad ref, or content that cannot be read at all."""


@dataclass(frozen=True)
class Side:
    """One side of the comparison: the content, its topics and its related papers."""

    content: Content
    assignments: Mapping[str, Assignment]
    related: Mapping[str, tuple[str, ...]]

    @property
    def papers(self) -> dict[str, Paper]:
        return {p.slug: p for p in self.content.papers}


def analyse(content: Content) -> Side:
    """Classify and relate the papers of `content`."""
    from .related import find_related  # numpy and scipy: only when a review runs

    return Side(content, classify(content.papers, content.taxonomy), find_related(content.papers))


def extract_content(root: Path, ref: str, into: Path) -> tuple[str, Path]:
    """Write content/ as it is at commit `ref` of the repository at `root` into `into`.

    Returns the commit id and the folder written.
    """
    git = ["git", "-C", str(root)]
    found = subprocess.run(
        [*git, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0 or not found.stdout.strip():
        raise ReviewError(f"--base {ref}: not a commit of the repository at {root}")
    commit = found.stdout.strip()
    prefix = subprocess.run(
        [*git, "rev-parse", "--show-prefix"], capture_output=True, text=True, check=True
    ).stdout.strip()
    archive = subprocess.run(
        [*git, "archive", "--format=tar", f"{commit}:{prefix}content"], capture_output=True, check=False
    )
    if archive.returncode != 0:
        raise ReviewError(f"--base {ref}: commit {commit[:12]} has no {prefix}content/ folder")
    folder = into / "content"
    folder.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    return commit, folder


def _load(folder: Path) -> tuple[Content | None, list[Problem]]:
    # Both sides are shown as `content/...`, as the paths read in the repository.
    content, problems = read_content(folder, "content")
    if content is not None:
        problems = sorted(set(problems + validate.check_collection(content)))
    return content, problems


def run(root: Path, ref: str, *, preview_url: str = "", fmt: str = "markdown") -> str:
    """The report on the working tree's content/ against `ref`, as Markdown or JSON."""
    with tempfile.TemporaryDirectory(prefix="review-") as tmp:
        commit, folder = extract_content(root, ref, Path(tmp))
        base, _ = _load(folder)
    if base is None:
        raise ReviewError(f"--base {ref}: content/topics.yml of commit {commit[:12]} cannot be read")
    head, problems = _load(root / "content")
    if head is None:
        raise ReviewError("content/topics.yml cannot be read: " + "; ".join(map(str, problems)))
    report = compare(analyse(base), analyse(head), problems, preview_url=preview_url)
    report["base"] = {"ref": ref, "commit": commit}
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    return render_markdown(report)


# --- the comparison -------------------------------------------------------------------------


def _ids(paper: Paper) -> frozenset[tuple[str, str]]:
    return validate.ids(validate.paper_keys(paper))


def _fields(paper: Paper) -> dict[str, object]:
    """The values of a paper that a curator writes, by field, in the order of the record."""
    values: dict[str, object] = {
        f.name: getattr(paper, f.name) for f in dataclasses.fields(paper) if f.name not in NOT_COMPARED
    }
    for kind in LINK_KINDS:
        values[kind] = tuple(link.url for link in paper.links if link.kind == kind)
    values["notes"] = paper.notes.strip()
    return values


def changed_fields(old: Paper, new: Paper) -> list[str]:
    """The fields whose value differs between two versions of one paper, in the order of the record."""
    a, b = _fields(old), _fields(new)
    return [name for name in a if a[name] != b[name]]


def _topics(side: Side, paper: Paper, matcher: Matcher) -> list[dict[str, Any]]:
    """The topics of `paper` and the best phrases that put it there."""
    assignment = side.assignments[paper.slug]
    scores = dict(assignment.scores)
    why: dict[str, list[tuple[float, str]]] = {}
    for topic_id, line in reasons(matcher, paper):
        points = float(line.rsplit(": ", 1)[1])
        why.setdefault(topic_id, []).append((-points, line))
    out = []
    for topic_id in assignment.topics:
        topic = side.content.taxonomy.get(topic_id)
        lines = (
            ["set by hand"]
            if topic_id in assignment.manual
            else [w for _, w in sorted(why.get(topic_id, []))]
        )
        out.append(
            {
                "id": topic_id,
                "title": topic.title if topic else topic_id,
                "score": scores.get(topic_id, 0.0),
                "why": lines[:PHRASES],
            }
        )
    return out


def _entry(side: Side, paper: Paper, matcher: Matcher, preview_url: str) -> dict[str, Any]:
    url = f"{preview_url.rstrip('/')}/{quote(paper_url(paper.slug))}" if preview_url else ""
    return {
        "slug": paper.slug,
        "path": paper.origin.path,
        "title": paper.title,
        "url": url,
        "status": paper.status or "",
        "tags": list(paper.tags),
        "topics": _topics(side, paper, matcher),
    }


def _excerpt(old: str, new: str) -> str:
    """A short excerpt of `new` from its first line that `old` did not have."""
    before = {line.strip() for line in old.splitlines()}
    lines = [line.strip() for line in new.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if line not in before), 0)
    return text.shorten(" ".join(lines[start:]), EXCERPT)


def find_duplicates(added: Sequence[Paper], listed: Sequence[Paper]) -> dict[str, list[dict[str, Any]]]:
    """The already-listed papers each added paper probably repeats, closest first, by added slug.

    The same DOI or arXiv id; a title equal or a few letters apart once normalised
    (`dedupe`); or title-and-abstract vectors alike beyond `ABSTRACT_SIMILARITY`.
    Two papers with different ids of one kind are never matched by title or abstract.
    """
    found: dict[tuple[int, int], tuple[int, str]] = {}
    added_ids, listed_ids = [_ids(p) for p in added], [_ids(p) for p in listed]
    for i, j, (kind, key) in dedupe.shared_ids(added_ids, listed_ids):
        found.setdefault((i, j), (0, f"the same {kind} {key}"))
    for i, j, why in dedupe.match_titles([p.title for p in added], [p.title for p in listed]):
        if not validate.distinct(added_ids[i], listed_ids[j]):
            found.setdefault((i, j), (1, why))
    for i, j, cosine in dedupe.alike_texts(added, listed, ABSTRACT_SIMILARITY):
        if not validate.distinct(added_ids[i], listed_ids[j]):
            found.setdefault((i, j), (2, f"title and abstract {cosine:.2f} alike"))
    out: dict[str, list[dict[str, Any]]] = {}
    for (i, j), (_rank, why) in sorted(
        found.items(), key=lambda kv: (kv[0][0], kv[1][0], listed[kv[0][1]].slug)
    ):
        other = listed[j]
        matches = out.setdefault(added[i].slug, [])
        if len(matches) < MATCHES:
            line = other.origin.at("title").line
            matches.append(
                {
                    "slug": other.slug,
                    "path": other.origin.path,
                    "line": line,
                    "title": other.title,
                    "why": why,
                }
            )
    return out


def _pairs(base: dict[str, Paper], head: dict[str, Paper]) -> dict[str, str]:
    """Head slug -> base slug for each paper whose file was renamed, matched by DOI or arXiv id."""
    gone = [base[s] for s in sorted(base.keys() - head.keys())]
    by_id: dict[tuple[str, str], str] = {}
    for paper in gone:
        for key in sorted(_ids(paper)):
            by_id.setdefault(key, paper.slug)
    out: dict[str, str] = {}
    for slug in sorted(head.keys() - base.keys()):
        for key in sorted(_ids(head[slug])):
            old = by_id.get(key)
            if old is not None and old not in out.values():
                out[slug] = old
                break
    return out


def _topic_moves(base: Side, head: Side) -> list[dict[str, Any]]:
    def members(side: Side) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {t: set() for t in side.content.taxonomy.ids}
        for slug, assignment in side.assignments.items():
            for t in assignment.topics:
                out.setdefault(t, set()).add(slug)
        return out

    before, after = members(base), members(head)
    order = [*head.content.taxonomy.ids, *(t for t in base.content.taxonomy.ids if t not in after)]
    moves = []
    for topic_id in order:
        old, new = before.get(topic_id), after.get(topic_id)
        if old == new:
            continue
        topic = head.content.taxonomy.get(topic_id) or base.content.taxonomy.get(topic_id)
        moves.append(
            {
                "id": topic_id,
                "title": topic.title if topic else topic_id,
                "state": "new" if old is None else "removed" if new is None else "",
                "before": len(old or ()),
                "after": len(new or ()),
                "change": len(new or ()) - len(old or ()),
                "joined": sorted((new or set()) - (old or set())),
                "left": sorted((old or set()) - (new or set())),
            }
        )
    return moves


def compare(base: Side, head: Side, problems: Sequence[Problem], *, preview_url: str = "") -> Report:
    """The report: what `head` changes against `base`, and the problems of `head`."""
    old, new = base.papers, head.papers
    renamed = _pairs(old, new)
    matcher = Matcher(head.content.taxonomy)
    added = [new[s] for s in sorted(new.keys() - old.keys()) if s not in renamed]
    removed = [old[s] for s in sorted(old.keys() - new.keys()) if s not in renamed.values()]
    kept = sorted((new.keys() & old.keys()) | renamed.keys())
    retitled: list[dict[str, Any]] = []
    edited: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for slug in kept:
        paper, was = new[slug], old[renamed.get(slug, slug)]
        fields = (["file"] if slug in renamed else []) + changed_fields(was, paper)
        topics_before = list(base.assignments[was.slug].topics)
        if not fields:
            continue
        entry = _entry(head, paper, matcher, preview_url)
        entry |= {"old_path": was.origin.path, "old_title": was.title, "fields": fields}
        entry["topics_before"] = (
            topics_before if topics_before != [t["id"] for t in entry["topics"]] else None
        )
        (retitled if "title" in fields else edited).append(entry)
        if "notes" in fields:
            change = "added" if not was.notes.strip() else "removed" if not paper.notes.strip() else "changed"
            excerpt = (
                _excerpt(was.notes, paper.notes) if change != "removed" else text.shorten(was.notes, EXCERPT)
            )
            notes.append(
                {
                    "slug": slug,
                    "path": paper.origin.path,
                    "title": paper.title,
                    "change": change,
                    "excerpt": excerpt,
                }
            )
    listed = [old[s] for s in sorted(old.keys() & new.keys())]
    duplicates = find_duplicates(added, listed)
    related = []
    for slug in sorted(old.keys() & new.keys()):
        was_rel, now_rel = base.related.get(slug, ()), head.related.get(slug, ())
        if was_rel != now_rel:
            related.append(
                {
                    "slug": slug,
                    "path": new[slug].origin.path,
                    "title": new[slug].title,
                    "gained": [s for s in now_rel if s not in was_rel],
                    "lost": [s for s in was_rel if s not in now_rel],
                }
            )
    broken = {p.path for p in problems if p.is_error}
    report: Report = {
        "added": [
            _entry(head, p, matcher, preview_url) | {"duplicates": duplicates.get(p.slug, [])} for p in added
        ],
        "removed": [
            {
                "slug": p.slug,
                "path": p.origin.path,
                "title": p.title,
                "topics": list(base.assignments[p.slug].topics),
                # A file that is still there but has errors is missing from the records, not removed.
                "unreadable": p.origin.path in broken,
            }
            for p in removed
        ],
        "retitled": retitled,
        "edited": edited,
        "notes": notes,
        "duplicates": sum(len(m) for m in duplicates.values()),
        "topics": _topic_moves(base, head),
        "related": related,
        "problems": [
            {"path": p.path, "line": p.line, "col": p.col, "severity": p.severity.value, "message": p.message}
            for p in problems
        ],
    }
    return report


# --- Markdown -------------------------------------------------------------------------------


def _md(value: str) -> str:
    """Plain text on one line for the report: Markdown escaped, and no @mention pings."""
    return text.md_inline(value).replace("@", "&#64;")


def _environment() -> jinja2.Environment:
    env = templating.environment(TEMPLATES)
    env.filters["md"] = _md
    env.filters["signed"] = lambda n: f"{n:+d}"
    env.filters["points"] = lambda n: f"{n:g}"
    return env


def render_markdown(report: Report, limit: int = MAX_ITEMS) -> str:
    """The report as Markdown, for a pull-request comment or a terminal."""
    problems = report["problems"]
    errors = sum(1 for p in problems if p["severity"] == "error")
    return (
        _environment()
        .get_template("review.md.j2")
        .render(r=report, limit=limit, errors=errors, warnings=len(problems) - errors)
    )
