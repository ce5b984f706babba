"""Shared helpers: the golden fixture folders and small knowledge bases written on the fly."""

from __future__ import annotations

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
def _own_cache(tmp_path_factory, monkeypatch):
    """Every test gets an empty cache directory of its own, never the user's."""
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
