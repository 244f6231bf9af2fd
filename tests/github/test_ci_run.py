""".ci/run and the Makefile's test plumbing, run for real against stand-in tools.

The system tools (apt-get, the venv's python, ruff, mypy, npm) are replaced by small scripts that
record their calls, so the tests exercise the real .ci/run and the real Makefile without touching
this machine's packages or the network.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make")
BASH = shutil.which("bash")

pytestmark = pytest.mark.skipif(MAKE is None or BASH is None, reason="make and bash are needed")


#: How `make test` runs the suite: on every core, a test file per worker (pytest-xdist).
PYTEST_CALL = "python -m pytest -n auto --dist loadfile"

def write_script(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def link_tools(bin_dir: Path, *names: str) -> None:
    """Put the real tools `names` on a private PATH directory."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        real = shutil.which(name)
        assert real is not None, f"{name} is not installed"
        (bin_dir / name).symlink_to(real)


def make_project(tmp_path: Path, pytest_status: int) -> Path:
    """Copy the real Makefile and lockfiles into a project whose venv tools are stand-ins."""
    project = tmp_path / "project"
    project.mkdir()
    for name in (
        "Makefile",
        "requirements.txt",
        "requirements-test.txt",
        "requirements-zensical.txt",
        "package.json",
        "package-lock.json",
    ):
        shutil.copy(ROOT / name, project / name)
    log = project / "calls.log"
    # `python -m pytest` exits with pytest_status; every other call succeeds.
    write_script(
        project / ".venv" / "bin" / "python",
        f'echo "python $*" >> {log}\n[ "$1 $2" = "-m pytest" ] && exit {pytest_status}\nexit 0\n',
    )
    for tool in ("ruff", "mypy"):
        write_script(project / ".venv" / "bin" / tool, f'echo "{tool} $*" >> {log}\n')
    write_script(project / ".venv-zensical" / "bin" / "zensical", f'echo "zensical $*" >> {log}\n')
    # The venv stamps are newer than the requirements, so make installs nothing from PyPI.
    for stamp in (".venv/.site-deps", ".venv/.test-deps", ".venv-zensical/.deps"):
        (project / stamp).touch()
    return project


def run(args: list[str], cwd: Path, path: Path, timeout: int = 60) -> subprocess.CompletedProcess[str]:
    env = {"PATH": str(path), "HOME": str(cwd), "LANG": "C.UTF-8"}
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_make_test_installs_npm_tools_once_when_npm_exists(tmp_path: Path) -> None:
    project = make_project(tmp_path, pytest_status=0)
    bin_dir = tmp_path / "bin"
    link_tools(bin_dir, "sh", "touch", "mkdir", "rm")
    write_script(bin_dir / "npm", f'echo "npm $*" >> {project / "calls.log"}\nmkdir -p node_modules\n')

    first = run([str(MAKE), "test"], project, bin_dir)
    assert first.returncode == 0, first.stdout + first.stderr
    second = run([str(MAKE), "test"], project, bin_dir)
    assert second.returncode == 0, second.stdout + second.stderr

    calls = (project / "calls.log").read_text(encoding="utf-8").splitlines()
    assert calls.count("npm ci --no-audit --no-fund") == 1, calls
    assert (project / "node_modules" / ".installed").is_file()
    assert calls.count(PYTEST_CALL) == 2
    assert calls.count("python -m generator build --strict") == 2
    # The Zensical build that tests/zensical compares with site/ comes before pytest.
    zensical = "zensical build --strict --config-file .zensical.yml"
    assert calls.count(zensical) == 2
    assert calls.index(zensical) < calls.index(PYTEST_CALL)
    assert (project / ".zensical.yml").read_text(
        encoding="utf-8"
    ) == "INHERIT: mkdocs.yml\nsite_dir: site-zensical\n"
    # A lockfile newer than the stamp installs again.
    os.utime(project / "package-lock.json", ns=(2**62, 2**62))
    third = run([str(MAKE), "test"], project, bin_dir)
    assert third.returncode == 0
    assert (project / "calls.log").read_text(encoding="utf-8").count("npm ci") == 2


def test_make_test_runs_without_npm(tmp_path: Path) -> None:
    project = make_project(tmp_path, pytest_status=0)
    bin_dir = tmp_path / "bin"
    link_tools(bin_dir, "sh", "touch", "mkdir", "rm")

    proc = run([str(MAKE), "test"], project, bin_dir)

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "npm" not in (project / "calls.log").read_text(encoding="utf-8")
    assert not (project / "node_modules").exists()


@pytest.mark.parametrize(("status", "passes"), [(0, True), (1, False), (5, False)])
def test_make_test_fails_when_pytest_fails_or_collects_nothing(
    tmp_path: Path, status: int, passes: bool
) -> None:
    """pytest exits 5 when it collected no tests; that must fail `make test`, not pass silently."""
    project = make_project(tmp_path, pytest_status=status)
    bin_dir = tmp_path / "bin"
    link_tools(bin_dir, "sh", "touch", "mkdir", "rm")

    proc = run([str(MAKE), "test"], project, bin_dir)

    assert (proc.returncode == 0) is passes, proc.stdout + proc.stderr


def ci_project(tmp_path: Path, test_recipe: str) -> tuple[Path, Path]:
    """A clone-like folder holding the real .ci/run and a Makefile that records the targets run."""
    project = tmp_path / "clone"
    (project / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "run", project / ".ci" / "run")
    log = project / "calls.log"
    (project / "Makefile").write_text(
        f"node_modules/.installed:\n\techo 'make $@' >> {log}\n"
        f"test:\n\techo 'make $@' >> {log}\n\t{test_recipe}\n",
        encoding="utf-8",
    )
    bin_dir = tmp_path / "bin"
    link_tools(bin_dir, "bash", "sh", "make", "id", "dirname", "cat", "ln")
    # The interpreter itself, not a version manager's shim that needs its own PATH.
    (bin_dir / "python3").symlink_to(os.path.realpath(sys.executable))
    # apt-get "installs" node and npm by linking the real ones into this PATH.
    write_script(
        bin_dir / "apt-get",
        f'echo "apt-get $*" >> {log}\n'
        f'if [ "$1" = install ]; then ln -sf {shutil.which("node")} {bin_dir}/node; '
        f"ln -sf {shutil.which('npm')} {bin_dir}/npm; fi\n",
    )
    return project, bin_dir


def require_ci_machine(as_root: bool) -> None:
    """Skip (fail when CI is set) unless this machine is like the one .ci/run targets."""
    missing = [
        reason
        for absent, reason in [
            (not Path("/usr/bin/chromium").exists(), "/usr/bin/chromium (else .ci/run installs it)"),
            (shutil.which("node") is None or shutil.which("npm") is None, "node and npm"),
            (as_root and os.geteuid() != 0, "root (.ci/run runs apt-get as root)"),
        ]
        if absent
    ]
    if missing:
        reason = "CI PLUMBING NOT TESTED: needs " + ", ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI is set, so this is a failure, not a skip)")
        pytest.skip(reason)


def test_ci_run_installs_what_is_missing_then_runs_make_test(tmp_path: Path) -> None:
    require_ci_machine(as_root=True)
    project, bin_dir = ci_project(tmp_path, "exit 0")

    proc = run([str(BASH), str(project / ".ci" / "run")], tmp_path, bin_dir)

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (project / "calls.log").read_text(encoding="utf-8").splitlines() == [
        "apt-get update",
        "apt-get install -y nodejs npm",
        "make node_modules/.installed",
        "make test",
    ]
    assert "all checks passed" in proc.stdout


@pytest.mark.parametrize("status", [1, 5])
def test_ci_run_fails_when_make_test_fails(tmp_path: Path, status: int) -> None:
    require_ci_machine(as_root=False)
    project, bin_dir = ci_project(tmp_path, f"exit {status}")
    link_tools(bin_dir, "node", "npm")

    proc = run([str(BASH), str(project / ".ci" / "run")], tmp_path, bin_dir)

    assert proc.returncode != 0
    assert "all checks passed" not in proc.stdout
    assert "apt-get" not in (project / "calls.log").read_text(encoding="utf-8")


def test_ci_run_is_strict_bash() -> None:
    script = ROOT / ".ci" / "run"
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    assert os.access(script, os.X_OK)
    assert subprocess.run([str(BASH), "-n", str(script)], check=False).returncode == 0
