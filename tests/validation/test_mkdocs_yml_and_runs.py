"""mkdocs.yml's nav block, one run at a time, special files: what the pipeline must never break."""

from __future__ import annotations

import fcntl
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from generator.model import Origin, Taxonomy, Topic
from generator.site import NAV_BEGIN, NAV_END, SiteError, parse_config, render_nav, write_config
from generator.taxonomy import load_taxonomy

from .conftest import ROOT, cli_env, run_cli, snapshot, write


def taxonomy(*titles: str) -> Taxonomy:
    topics = tuple(Topic(f"t{i}", t, "d", (), Origin("content/topics.yml")) for i, t in enumerate(titles))
    return Taxonomy(topics, 4, 3, 2, Origin("content/topics.yml"))


CONFIG = (
    "site_name: x\n"
    "nav:\n"
    "  - Home: index.md\n"
    "  - Topics:\n"
    "    - topics/index.md\n"
    f"    {NAV_BEGIN}\n"
    "    - Old: topics/old.md\n"
    f"    {NAV_END}\n"
    "  - About: about.md\n"
)


@pytest.mark.parametrize(
    "title",
    ["Plain", "Colons: and # hashes", "'quotes' and \"doubles\"", "Ünïcödé & <brackets>", "- dash", "yes"],
)
def test_the_nav_reads_back_to_the_topics_and_keeps_every_other_line(title: str) -> None:
    new = render_nav(CONFIG, taxonomy(title, "Second"))
    nav = parse_config(new)["nav"]
    assert nav == [
        {"Home": "index.md"},
        {"Topics": ["topics/index.md", {title: "topics/t0.md"}, {"Second": "topics/t1.md"}]},
        {"About": "about.md"},
    ]
    kept = [line for line in CONFIG.splitlines() if "topics/old.md" not in line]
    assert [line for line in new.splitlines() if "topics/t" not in line] == kept


def test_windows_line_endings_are_kept() -> None:
    new = render_nav(CONFIG.replace("\n", "\r\n"), taxonomy("A"))
    assert "\n" not in new.replace("\r\n", "")
    assert parse_config(new)["nav"][1] == {"Topics": ["topics/index.md", {"A": "topics/t0.md"}]}


@pytest.mark.parametrize(
    ("config", "where", "what"),
    [
        (CONFIG.replace(f"    {NAV_END}\n", ""), "mkdocs.yml:1:1", "found 1 and 0"),
        (CONFIG + f"  {NAV_BEGIN}\n", "mkdocs.yml:10:1", "found 2 and 1"),
        (
            CONFIG.replace("    - Old: topics/old.md\n", "    - Mine: mine.md\n"),
            "mkdocs.yml:7:1",
            "'- Mine: mine.md'",
        ),
        (
            CONFIG.replace("    - Old: topics/old.md\n", "  - Old: topics/old.md\n"),
            "mkdocs.yml:7:1",
            "inside the block",
        ),
        (
            CONFIG.replace(f"    {NAV_BEGIN}\n", "").replace(
                "  - About: about.md\n", f"  - About: about.md\n{NAV_BEGIN}\n"
            ),
            "mkdocs.yml:7:1",
            "must come after",
        ),
    ],
    ids=["no end", "two begins", "user entry inside", "entry of another list inside", "end before begin"],
)
def test_a_nav_block_that_would_lose_lines_is_refused_with_its_line(
    config: str, where: str, what: str
) -> None:
    with pytest.raises(SiteError) as info:
        render_nav(config, taxonomy("A"))
    assert str(info.value).startswith(where + ": nav: "), str(info.value)
    assert what in str(info.value)


def test_a_block_that_cannot_hold_the_topics_is_refused() -> None:
    """Markers moved to the top level of the file: the topics would not land in the nav."""
    config = f"site_name: x\n{NAV_BEGIN}\n{NAV_END}\nnav:\n  - Home: index.md\n"
    with pytest.raises(SiteError, match="would not give the nav intended"):
        render_nav(config, taxonomy("A"))


@pytest.mark.parametrize("escape", ["\\n", "\\x85", "\\u2028", "\\a", "\\x7f", "\\u2029"])
def test_topic_titles_that_would_corrupt_mkdocs_yml_are_refused(tmp_path: Path, escape: str) -> None:
    title = f'    title: "Quantum{escape}computing"\n'
    text = f"topics:\n  - id: a\n{title}    description: d\n    rules: {{qubit: 4}}\n"
    path = tmp_path / "topics.yml"
    path.write_text(text, "utf-8")
    found, problems = load_taxonomy(path, "content/topics.yml")
    assert found is None
    assert next(str(p) for p in problems if p.is_error).startswith("content/topics.yml:3:12: title: ")


def test_write_config_keeps_a_link_and_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "real.yml"
    target.write_text("site_name: x\n", "utf-8")
    target.chmod(0o640)
    link = tmp_path / "mkdocs.yml"
    link.symlink_to(target.name)
    assert write_config(link, "site_name: y\n")
    assert link.is_symlink() and target.read_text("utf-8") == "site_name: y\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_generate_refuses_a_broken_nav_block_and_writes_nothing(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8")
        .replace("  - About: about.md\n", "")
        .replace(f"    {NAV_END}\n", f"    - About: about.md\n    {NAV_END}\n"),
        "utf-8",
    )
    before = snapshot(project)
    proc = run_cli(project, "generate")
    assert proc.returncode == 1
    assert "nav: '- About: about.md' is inside the block" in proc.stderr
    assert snapshot(project) == before


def test_two_runs_at_once_both_finish_with_the_whole_site(project: Path) -> None:
    """The second waits for the first (one lock per project); neither leaves a page out."""
    write(
        project / "content/papers/qubits.md",
        (project / "content/papers/qubits.md").read_text("utf-8") + "\nNew.\n",
    )
    cmd = [sys.executable, "-m", "generator", "--root", str(project), "build", "--strict"]
    procs = [
        subprocess.Popen(cmd, cwd=ROOT, env=cli_env(), stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in procs]
    assert [code for code, _ in results] == [0, 0], results
    assert (project / "site/papers/qubits/index.html").read_text("utf-8").count("New.") == 1
    assert sorted(p.name for p in project.iterdir() if p.name.startswith((".docs", ".site"))) == []


def test_a_run_waits_while_another_holds_the_project(project: Path) -> None:
    lock = project / ".cache" / "generator.lock"
    lock.parent.mkdir(exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        cmd = [sys.executable, "-m", "generator", "--root", str(project), "generate"]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=cli_env(), stderr=subprocess.PIPE, text=True)
        assert proc.stderr is not None
        assert "waiting for another run" in proc.stderr.readline()
        assert proc.poll() is None  # still waiting
    finally:
        os.close(fd)  # releases the lock
    assert proc.wait(timeout=120) == 0


@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero", "link to a folder"])
def test_special_files_in_content_are_reported_not_read(project: Path, kind: str) -> None:
    special = project / "content/papers/special.md"
    if kind == "fifo":
        os.mkfifo(special)
    elif kind == "link to /dev/zero":
        special.symlink_to("/dev/zero")
    else:
        special.symlink_to(project / "content")
    for command in ("validate", "generate"):
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "--root", str(project), command],
            cwd=ROOT,
            env=cli_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        assert "content/papers/special.md:1:1: " in proc.stderr


@pytest.mark.parametrize("folder", ["content/papers", "content/pages", "docs"])
def test_a_folder_replaced_by_a_link_is_refused_in_one_line(
    project: Path, tmp_path: Path, folder: str
) -> None:
    """A link in a pull request could publish any folder of the build machine, or write into one."""
    target = tmp_path / "elsewhere"
    (project / folder).rename(target)
    (project / folder).symlink_to(target)
    before = sorted(p.name for p in target.iterdir())
    proc = run_cli(project, "generate")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    expected = (
        "docs: not a folder (a link or a file)"
        if folder == "docs"
        else f"{folder}:1:1: folder: a symbolic link"
    )
    assert expected in proc.stderr
    assert sorted(p.name for p in target.iterdir()) == before  # nothing written through the link
