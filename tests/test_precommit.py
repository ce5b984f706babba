"""The pre-commit hook that this repository ships, installed and run for real by pre-commit.

The hook repository is a commit of this working tree (the `checkout` fixture) at this version's
tag, as a knowledge base's `.pre-commit-config.yaml` names it; pre-commit installs peacekb from it
into an environment of its own (`language: python`), so nothing here needs peacekb on the PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import VALID, git
from peacekb import REPOSITORY, __version__
from peacekb.cli import app

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("pre-commit"),  # one pre-commit environment for the module
    pytest.mark.skipif(not PRE_COMMIT.exists(), reason="needs pre-commit"),
]


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def commit_all(repo: Path) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "knowledge base")


def run_hooks(repo: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run([str(PRE_COMMIT), "run", "--all-files", "--color", "never"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def plant_unknown_speaker(rounds: Path) -> tuple[Path, int]:
    """Misspell the speaker of the first statement with one; (its file, the line)."""
    path = next(f for f in sorted(rounds.glob("*.yaml")) if "speaker: " in f.read_text(encoding="utf-8"))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("speaker: "))
    lines[at] = lines[at].replace("speaker: ", "speaker: nobody-", 1)
    path.write_text("".join(lines), encoding="utf-8")
    return path, at + 1


def test_the_hook_of_a_new_knowledge_base_passes_and_catches_a_planted_error(tmp_path, checkout, home):
    kb = tmp_path / "kb"
    assert CliRunner().invoke(app, ["init", str(kb)]).exit_code == 0
    config = kb / ".pre-commit-config.yaml"
    written = config.read_text(encoding="utf-8")
    # the configuration as init writes it, only the repository's address pointed at this checkout
    assert f"  - repo: {REPOSITORY}\n    rev: v{__version__}\n" in written
    config.write_text(written.replace(f"repo: {REPOSITORY}", f"repo: {checkout}"), encoding="utf-8")
    git(kb, "init", "-q", "-b", "main")
    commit_all(kb)

    clean = run_hooks(kb, home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"peacekb validate\.+Passed", clean.stdout), clean.stdout

    path, line = plant_unknown_speaker(kb / "data" / "rounds")
    broken = run_hooks(kb, home)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert re.search(r"peacekb validate\.+Failed", broken.stdout), broken.stdout
    assert re.search(rf"{path.name}:{line}:\d+: error unknown-actor: no actor `nobody-example-negotiator`", broken.stdout), broken.stdout


def test_the_hook_on_the_bundled_style_of_knowledge_base(tmp_path, checkout, home):
    repo = tmp_path / "data-repo"
    shutil.copytree(VALID, repo / "data")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {checkout}\n    rev: v{__version__}\n    hooks:\n      - id: peacekb-validate\n",
        encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo)
    clean = run_hooks(repo, home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"peacekb validate\.+Passed", clean.stdout), clean.stdout

    path, line = plant_unknown_speaker(repo / "data" / "rounds")
    broken = run_hooks(repo, home)
    assert broken.returncode == 1 and "Failed" in broken.stdout
    assert re.search(rf"{path.name}:{line}:\d+: error unknown-actor", broken.stdout), broken.stdout
