"""Start a new reading list: `python -m generator init DIR --title "..."`.

Where the files come from, so that each has one source of truth:

- copied as they are from the repository the generator lives in (`REPO`, the
  parent of this package): the generator itself, the theme overrides, the
  Makefile, the pinned requirements and npm lockfile, `.gitignore`,
  `pyproject.toml`, CONTRIBUTING.md, the Contribute page and the GitHub files
  (workflows, problem matcher, issue and pull-request templates).  A new list is
  what GitHub's "Use this template" makes of this repository, less its papers and
  the generator's own tests; the pull-request workflow loses its test-suite job
  (the tests check the shipped list), and links to the shipped repository point
  at the new one;
- rendered from `templates/init/`: `mkdocs.yml` (the shipped one with the new
  name and addresses and no topics in the nav; tests/core/test_init.py checks the
  two stay alike), the README and the About page, which name the list; and
  `content/topics.yml`: the shipped taxonomy's explanation of the rules, then
  two example topics.

So `init` works from a clone of the generator's repository (or an unpacked
release of it), not from a bare install of the package: it refuses clearly then.
Nothing is written unless all of it is: the list is assembled in a folder beside
DIR, the import of `--from` runs there, and the folder is renamed to DIR at the end.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import jinja2

from . import templating

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = Path(__file__).parent / "templates" / "init"
#: Copied from REPO as they are (folders whole, less Python caches).
COPIED = (
    "generator",
    "overrides",
    "Makefile",
    "requirements.txt",
    "requirements-test.txt",
    "package.json",
    "package-lock.json",
    ".gitignore",
    "pyproject.toml",
    "CONTRIBUTING.md",
    "content/pages/contributing.md",
    ".github/workflows",
    ".github/problem-matchers",
    ".github/ISSUE_TEMPLATE",
    ".github/PULL_REQUEST_TEMPLATE.md",
)
#: The shipped repository, as GitHub files name it; replaced by the new list's.
SHIPPED_REPO = "computation-reading-list/reading-list"
REPO_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
_TEST_JOB = "\n  test:\n"
_TEST_NOTE = ", and run\n# the whole test suite."
#: Jobs of the pull-request workflow that test this repository's own code, not a list.
_SHIPPED_JOBS = ("test", "zensical")


class InitError(Exception):
    """Why no list was written."""


def _environment() -> jinja2.Environment:
    env = templating.environment(TEMPLATES)
    env.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)  # JSON strings are YAML
    return env


def check_options(title: str, url: str | None, repo: str | None) -> list[str]:
    """What is wrong with the options, one message each."""
    problems = []
    if not title.strip():
        problems.append("--title: empty; give the list's name")
    if url is not None and not re.match(r"^https?://[^\s/]+", url):
        problems.append(f"--url: {url!r} is not an http(s) address, such as https://me.github.io/papers/")
    if repo is not None and not REPO_RE.match(repo):
        problems.append(f"--repo: {repo!r} is not OWNER/NAME, such as me/papers")
    return problems


def _copy(src: Path, dest: Path) -> None:
    if not src.exists():
        raise InitError(
            f"{src}: not found; init copies the generator's repository files and runs from a clone of it"
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    else:
        shutil.copy2(src, dest)


def _adapt_github_files(root: Path, repo: str | None) -> None:
    """Point the GitHub files at the new repository; drop the test-suite job of the shipped repo."""
    for path in sorted((root / ".github").rglob("*")):
        if path.is_file() and SHIPPED_REPO in (body := path.read_text(encoding="utf-8")):
            path.write_text(body.replace(SHIPPED_REPO, repo or "OWNER/NAME"), encoding="utf-8")
    workflow = root / ".github/workflows/pull-request.yml"
    body = workflow.read_text(encoding="utf-8")
    if _TEST_JOB not in body or _TEST_NOTE not in body:
        raise InitError(f"{workflow.relative_to(root)}: no test job to leave out; update generator/init.py")
    for job in _SHIPPED_JOBS:
        body = _drop_job(body, job)
    workflow.write_text(body.replace(_TEST_NOTE, "."), encoding="utf-8")


def _drop_job(body: str, job: str) -> str:
    """`body` without the job `job` (from its line to the next job's, or the end)."""
    lines = body.split("\n")
    start = lines.index(f"  {job}:") if f"  {job}:" in lines else None
    if start is None:
        return body
    end = next(
        (i for i in range(start + 1, len(lines)) if re.fullmatch(r"  [A-Za-z0-9_-]+:", lines[i])), len(lines)
    )
    kept = lines[:start] + lines[end:]
    return "\n".join(kept).rstrip("\n") + "\n"


def _taxonomy_header() -> str:
    """The comment block explaining topics at the top of the shipped content/topics.yml."""
    lines = (REPO / "content/topics.yml").read_text(encoding="utf-8").splitlines(keepends=True)
    header = []
    for line in lines:
        if line.strip() and not line.startswith("#"):
            break
        header.append(line)
    return "".join(header)


def write_files(root: Path, *, title: str, url: str | None, repo: str | None) -> None:
    """Write a new list into the empty folder `root`."""
    for name in COPIED:
        _copy(REPO / name, root / name)
    _adapt_github_files(root, repo)
    if url is not None and not url.endswith("/"):
        url += "/"
    context = {
        "title": " ".join(title.split()),
        "description": "A curated reading list of research papers.",
        "url": url,
        "repo": repo,
    }
    env = _environment()
    for template, target in (
        ("mkdocs.yml.j2", "mkdocs.yml"),
        ("README.md.j2", "README.md"),
        ("content/pages/about.md.j2", "content/pages/about.md"),
    ):
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        (root / target).write_text(env.get_template(template).render(**context), encoding="utf-8")
    starter = (TEMPLATES / "content/topics.yml").read_text(encoding="utf-8")
    (root / "content/topics.yml").write_text(_taxonomy_header() + "\n" + starter, encoding="utf-8")
    (root / "content/papers").mkdir(parents=True, exist_ok=True)
    (root / "content/papers/.gitkeep").write_text("", encoding="utf-8")


def init_list(
    dest: Path,
    *,
    title: str,
    url: str | None = None,
    repo: str | None = None,
    after: Callable[[Path], int] | None = None,
) -> None:
    """Write a new reading list to `dest` (new or empty), all or nothing.

    `after` runs on the assembled folder before it becomes `dest` (the import of
    `--from`); a non-zero status leaves nothing behind.
    """
    problems = check_options(title, url, repo)
    if problems:
        raise InitError("; ".join(problems))
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InitError(f"{dest}: not empty; init writes a new list into a new or empty folder")
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.init-", dir=dest.parent))
    try:
        write_files(work, title=title, url=url, repo=repo)
        if after is not None and after(work) != 0:
            raise InitError(f"the import failed; nothing was written to {dest}")
        if dest.exists():
            dest.rmdir()  # empty, checked above
        work.rename(dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
