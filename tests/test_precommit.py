"""The pre-commit hook that this repository ships, run for real by pre-commit on a data repository.

`pre-commit try-repo` installs peacekb from this checkout (its working tree, committed or not) into
pre-commit's own environment, exactly as a data repository that lists the hook would.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
VALID = Path(__file__).parent / "fixtures" / "valid"
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"

pytestmark = pytest.mark.skipif(
    not (ROOT / ".git").exists() or not PRE_COMMIT.exists() or shutil.which("git") is None,
    reason="needs git, pre-commit and this repository's git checkout",
)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def data_repo(tmp_path_factory):
    repo = tmp_path_factory.mktemp("data-repo")
    shutil.copytree(VALID, repo / "data")
    git(repo, "init", "-q")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "knowledge base")
    return repo


def run_hook(repo: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(ROOT), "peacekb-validate", "--all-files", "--color", "never"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=900,
    )


def test_the_hook_passes_on_a_clean_knowledge_base_and_fails_on_a_planted_error(data_repo, tmp_path_factory):
    home = tmp_path_factory.mktemp("pre-commit-home")
    clean = run_hook(data_repo, home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "peacekb validate" in clean.stdout and "Passed" in clean.stdout

    statement_file = next(f for f in sorted((data_repo / "data" / "rounds").glob("*.yaml")) if "speaker: " in f.read_text(encoding="utf-8"))
    text = statement_file.read_text(encoding="utf-8")
    statement_file.write_text(text.replace("speaker: ", "speaker: nobody-", 1), encoding="utf-8")
    broken = run_hook(data_repo, home)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "Failed" in broken.stdout
    assert "unknown-actor" in broken.stdout and f"{statement_file.name}:" in broken.stdout
