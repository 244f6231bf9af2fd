"""Property tests: no input crashes the loader, and no text survives the sanitizer armed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import sanitize
from generator.load import PAPER_FIELDS, load_paper, read_content
from generator.model import Problem

from .conftest import TOPICS

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that mean something to YAML, Markdown, HTML or a template, and some that break readers.
SPECIAL = [
    *":-[]{}#&*!|>'\"%@`,?\\/<=;()\t\n\r ~^$_.+",
    "\x00",
    "\x07",
    "\x85",
    "\u2028",
    "\ufeff",
    "é",
]
TOKENS = [
    *PAPER_FIELDS,
    "---",
    "...",
    "&a",
    "*a",
    "!!python/object:os.system",
    "no",
    "010",
    "2024-01-01",
    "javascript:",
    "<script>",
    "onerror=",
    "{{ x }}",
    "{% if %}",
    "{: .c }",
]
text = st.lists(
    st.one_of(st.sampled_from(SPECIAL), st.sampled_from(TOKENS), st.text(max_size=5)), max_size=40
).map("".join)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("props") / "content"
    (root / "papers").mkdir(parents=True)
    (root / "topics.yml").write_text(TOPICS, encoding="utf-8")
    return root


def _check(problems: list[Problem], display: str) -> None:
    for problem in problems:
        assert problem.path == display
        assert problem.line >= 1 and problem.col >= 1
        assert problem.message and "\n" not in str(problem).split(": ", 1)[0]


def _load(folder: Path, data: bytes) -> None:
    path = folder / "papers" / "p.md"
    path.write_bytes(data)
    paper, problems = load_paper(path, "content/papers/p.md", ("reasoning", "quantum"))
    _check(problems, "content/papers/p.md")
    assert paper is not None or any(p.is_error for p in problems)
    content, all_problems = read_content(folder, "content")
    assert content is not None
    assert all_problems == sorted(all_problems)


@SETTINGS
@given(front=text, body=text)
def test_any_front_matter_and_body_are_reported_never_raised(folder: Path, front: str, body: str) -> None:
    _load(folder, f"---\n{front}\n---\n{body}".encode("utf-8", "surrogatepass"))


@SETTINGS
@given(
    entries=st.lists(st.tuples(st.sampled_from([*PAPER_FIELDS, "x"]), text), max_size=8),
    body=text,
)
def test_any_fields_are_reported_never_raised(
    folder: Path, entries: list[tuple[str, str]], body: str
) -> None:
    front = "\n".join(f"{key}: {value}" for key, value in entries)
    _load(folder, f"---\n{front}\n---\n{body}".encode("utf-8", "surrogatepass"))


@SETTINGS
@given(data=st.binary(max_size=400))
def test_any_bytes_are_reported_never_raised(folder: Path, data: bytes) -> None:
    _load(folder, data)
    _load(folder, b"---\ntitle: x\n" + data + b"\n---\n")


markdownish = st.lists(
    st.one_of(
        st.sampled_from(SPECIAL), st.sampled_from(TOKENS), st.sampled_from(["[a](", "](", "]: ", "<a href="])
    ),
    max_size=30,
).map("".join)


@SETTINGS
@given(notes=markdownish)
def test_sanitized_notes_render_no_script(notes: str) -> None:
    safe = sanitize.sanitize_markdown(notes)
    assert sanitize.rendered_hazards(safe) == []
    assert sanitize.find_hazards(safe) == [] or safe.startswith("\n    ")


@SETTINGS
@given(notes=markdownish)
def test_notes_without_hazards_are_left_as_they_are(notes: str) -> None:
    if not sanitize.markdown_hazards(notes):
        assert sanitize.sanitize_markdown(notes) == notes
