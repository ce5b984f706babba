"""The knowledge base as it stands at a git revision.

Revisions are read through the git command itself (a subprocess): every data repository has
git, and the three plumbing commands needed here (rev-parse, archive) do not justify a
library dependency. The data folder of a revision is extracted into a temporary folder and
loaded with the ordinary loader, so a revision is checked exactly as the working tree is.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from peacekb.loader import LoadResult, load


class RevisionError(Exception):
    """Not a git repository, an unknown revision, or no data folder at that revision."""


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise RevisionError("git is not installed: --rev reads revisions through git") from None


def repo_root(path: Path) -> Path:
    done = _git(path if path.is_dir() else path.parent, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise RevisionError(f"{path} is not inside a git repository: --rev compares git revisions")
    return Path(done.stdout.decode().strip())


def resolve(root: Path, rev: str) -> str:
    """The commit id that ``rev`` names, or a RevisionError saying it does not exist."""
    if rev.startswith("-"):
        raise RevisionError(f"`{rev}` is not a revision")
    done = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if done.returncode != 0:
        raise RevisionError(f"no revision `{rev}` in {root} (try a branch, a tag or a commit id)")
    return done.stdout.decode().strip()


def load_at(data_dir: Path, rev: str) -> LoadResult:
    """Load the knowledge base in ``data_dir`` as it was at revision ``rev``."""
    root = repo_root(data_dir)
    commit = resolve(root, rev)
    relative = data_dir.resolve().relative_to(root)
    done = _git(root, "archive", "--format=tar", commit, "--", str(relative) if str(relative) != "." else ".")
    if done.returncode != 0:
        raise RevisionError(f"the data folder `{relative}` does not exist at revision `{rev}`")
    with tempfile.TemporaryDirectory(prefix="peacekb-rev-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
            archive.extractall(tmp, filter="data")
        folder = Path(tmp) / relative
        result = load(folder)
        # records remember where they came from; make those paths relative to the data folder
        result.kb.root = data_dir
        return result
