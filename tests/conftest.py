"""Shared helpers: the golden fixture folders and small knowledge bases written on the fly."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid"

FOLDERS = ("actors", "issues", "rounds", "sources")


def write_kb(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a knowledge base under ``root``: the four data folders, and each file given.

    Text is dedented, so that YAML can be written indented inside a test.
    """
    for folder in FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def where(problem, root: Path) -> tuple[str, str, int, int]:
    """(code, file relative to the root, line, column) of a problem."""
    return (problem.code, Path(problem.file).relative_to(root).as_posix(), problem.line, problem.column)


# The smallest set of records most hand-written knowledge bases in the tests refer to.
BASE = {
    "actors/ukraine.yaml": """
        id: ukraine
        name: Ukraine
        kind: state
    """,
    "actors/russia.yaml": """
        id: russia
        name: Russia
        kind: state
    """,
    "actors/vladimir-medinsky.yaml": """
        id: vladimir-medinsky
        name: Vladimir Medinsky
        kind: person
        roles:
          - title: Presidential aide
            party: russia
            start: 2020-01-21
    """,
    "issues/territory.yaml": """
        id: territory
        title: Territory
        stances:
          - id: no-cession
            label: No cession
    """,
    "sources/article.yaml": """
        id: article
        title: An article
    """,
}


@pytest.fixture
def make_kb(tmp_path):
    """``make_kb(files, base=True)`` writes a knowledge base in a fresh folder and returns its root."""
    count = 0

    def make(files: dict[str, str | bytes] | None = None, base: bool = True) -> Path:
        nonlocal count
        count += 1
        root = tmp_path / f"kb{count}"
        return write_kb(root, {**(BASE if base else {}), **(files or {})})

    return make


@pytest.fixture(autouse=True)
def _own_environment(tmp_path_factory, monkeypatch):
    """No outcome depends on the environment the tests run in (CI sets some of these variables);
    every test gets an empty cache directory of its own, never the user's."""
    for name in ("PEACEKB_DATA", "PEACEKB_DEBUG", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "NO_COLOR", "FORCE_COLOR",
                 "TTY_COMPATIBLE", "TTY_INTERACTIVE", "TERM", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


ESCAPE = "\x1b["
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def flat(text: str) -> str:
    """Text with every run of white space made one space, so that wrapped lines read as one."""
    return " ".join(text.split())


def colours(text: str) -> set[str]:
    """The colour parameters among the SGR escape sequences of ``text`` (bold, dim and underline are not colours)."""
    found = set()
    for params in SGR.findall(text):
        for param in params.split(";"):
            if param and (30 <= int(param) <= 49 or 90 <= int(param) <= 107):
                found.add(param)
    return found


def since(position):
    """When the oldest stance a position holds was first voiced (its stances are held oldest first)."""
    return position.held[0].since if position.held else None


def git(cwd, *args: str) -> str:
    """Run git in ``cwd`` with a fixed author; its standard output, stripped."""
    import subprocess

    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout.strip()


ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def checkout(tmp_path_factory) -> Path:
    """This working tree, committed or not, as a git repository of one commit tagged with this
    version (`v0.2.0`): what a hook repository or a clean clone of this one holds. Skips the test
    outside a git checkout of peacekb."""
    import shutil
    import subprocess

    from peacekb import __version__

    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and this repository's git checkout")
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            check=True, capture_output=True).stdout.decode().split("\0")
    repo = tmp_path_factory.mktemp("checkout")
    for name in listed:
        source = ROOT / name
        if name and source.is_file() and not source.is_symlink():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "peacekb as in the working tree")
    git(repo, "tag", f"v{__version__}")
    return repo
