"""Read content/topics.yml into the `Taxonomy`: the allow-list of topics and the settings of classify."""

from __future__ import annotations

from pathlib import Path

from . import frontmatter as fm
from .fields import SLUG_RE, Reporter, describe, meta_pos, read_number, read_safe_text, suggest
from .files import read_text
from .frontmatter import FrontMatterError, Map, Seq
from .model import Origin, Position, Problem, Rule, Taxonomy, Topic

TOPICS_FILE = "topics.yml"
#: Topic ids whose page would collide with a generated page (topics/index.md).
RESERVED_TOPIC_IDS = ("index",)
TOPIC_FIELDS = ("id", "title", "description", "rules")
TAXONOMY_FIELDS = ("settings", "topics")
SETTINGS = ("threshold", "max_topics", "title_weight")


def load_taxonomy(path: Path, display: str) -> tuple[Taxonomy | None, list[Problem]]:
    """Read content/topics.yml."""
    rep = Reporter(display)
    text = read_text(path, rep)
    if text is None:
        return None, rep.problems
    try:
        root, duplicates = fm.parse_mapping(text)
    except FrontMatterError as exc:
        rep.error(exc.pos, exc.message.replace("front matter: ", "topics: "))
        return None, rep.problems
    for key, first, second in duplicates:
        rep.error(second, f"{key}: duplicate key, also set on line {first.line}")
    for rkey, _ in root.entries:
        if rkey.text not in TAXONOMY_FIELDS:
            rep.error(rkey.pos, f"{rkey.text}: unknown field{suggest(rkey.text, TAXONOMY_FIELDS)}")
    settings = root.get("settings")
    if settings is not None and not isinstance(settings, Map):
        rep.error(settings.pos, f"settings: expected 'name: value' lines, found {describe(settings)}")
    smap = settings if isinstance(settings, Map) else Map((), Position())
    for skey, _ in smap.entries:
        if skey.text not in SETTINGS:
            rep.error(skey.pos, f"{skey.text}: unknown setting{suggest(skey.text, SETTINGS)}")
    threshold = read_number(rep, "threshold", smap.get("threshold"), 4.0)
    max_topics = int(read_number(rep, "max_topics", smap.get("max_topics"), 3, integer=True))
    title_weight = read_number(rep, "title_weight", smap.get("title_weight"), 2.0)
    for name, number in zip(SETTINGS, (threshold, max_topics, title_weight), strict=True):
        if number <= 0:
            rep.error(meta_pos(smap, name), f"{name}: must be greater than 0, found {number:g}")
    topics: list[Topic] = []
    node = root.get("topics")
    if not isinstance(node, Seq) or not node.items:
        rep.error(node.pos if node else Position(1, 1), "topics: expected a non-empty list of topics")
        return None, rep.problems
    seen: dict[str, int] = {}
    for item in node.items:
        if not isinstance(item, Map):
            rep.error(
                item.pos,
                f"topics: expected a topic with id, title, description and rules, found {describe(item)}",
            )
            continue
        for tkey, _ in item.entries:
            if tkey.text not in TOPIC_FIELDS:
                rep.error(
                    tkey.pos,
                    f"{tkey.text}: unknown topic field{suggest(tkey.text, TOPIC_FIELDS)}",
                )
        fields: dict[str, str | None] = {}
        for name in ("id", "title", "description"):
            value = item.get(name)
            if value is None:
                rep.error(item.pos, f"{name}: required topic field is missing")
                fields[name] = None
            else:
                # Topic titles are printed unescaped by the theme (tags, chips).
                # A topic title also goes into the nav of mkdocs.yml: one line.
                fields[name] = read_safe_text(
                    rep, name, value, plain_only=name == "title", one_line=name == "title"
                )
        tid = fields["id"]
        if tid is not None:
            if not SLUG_RE.match(tid):
                rep.error(
                    meta_pos(item, "id"),
                    f"id: {tid!r} is not a valid id; use lowercase words joined by hyphens",
                )
            elif tid in RESERVED_TOPIC_IDS:
                rep.error(
                    meta_pos(item, "id"),
                    f"id: {tid!r} is reserved (topics/{tid}.md is the list of topics); choose another id",
                )
            if tid in seen:
                rep.error(
                    meta_pos(item, "id"), f"id: topic {tid!r} is defined twice (first on line {seen[tid]})"
                )
            seen[tid] = meta_pos(item, "id").line
        rules: list[Rule] = []
        rnode = item.get("rules")
        if isinstance(rnode, Map):
            for phrase, weight in rnode.entries:
                w = read_number(rep, f"rules: {phrase.text}", weight, 0.0)
                rules.append(Rule(phrase.text.lower(), w))
        elif rnode is not None:
            rep.error(rnode.pos, f"rules: expected 'phrase: weight' lines, found {describe(rnode)}")
        if all(fields.values()) and tid is not None:
            topics.append(
                Topic(
                    id=tid,
                    title=str(fields["title"]),
                    description=str(fields["description"]),
                    rules=tuple(rules),
                    origin=Origin(display, (("id", *meta_pos(item, "id").astuple()),)),
                )
            )
    if any(p.is_error for p in rep.problems):
        return None, rep.problems
    return Taxonomy(tuple(topics), threshold, max_topics, title_weight, Origin(display)), rep.problems
