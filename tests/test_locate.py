"""Resolving document paths to 1-based line and column, only for problems that need it."""

import textwrap

import pytest

from peacekb import locate
from peacekb.locate import Locator, locate_all
from peacekb.problems import problem

ROUND = textwrap.dedent(
    """\
    # a comment first
    id: geneva
    title: Geneva talks
    mediators: [united-states, qatar]
    statements:
      - id: first
        speaker: medinsky
        stances:
          process: continue-talks
      - id: second
        quotes:
          - text: "difficult, but businesslike"
            source: article
    """
)


@pytest.fixture
def round_file(tmp_path):
    path = tmp_path / "geneva.yaml"
    path.write_text(ROUND, encoding="utf-8")
    return str(path)


def at(line: int, needle: str) -> tuple[int, int]:
    """The 1-based position of ``needle`` on a line of ROUND, counted from the text itself."""
    return line, ROUND.splitlines()[line - 1].index(needle) + 1


@pytest.mark.parametrize(
    "path, target, position",
    [
        ((), "value", at(2, "id")),
        (("id",), "value", at(2, "geneva")),
        (("id",), "key", at(2, "id")),
        (("mediators",), "value", at(4, "[")),
        (("mediators", 1), "value", at(4, "qatar")),
        (("statements", 0, "speaker"), "value", at(7, "medinsky")),
        (("statements", 0, "speaker"), "key", at(7, "speaker")),
        (("statements", 0, "stances", "process"), "value", at(9, "continue-talks")),
        (("statements", 0, "stances", "process"), "key", at(9, "process")),
        (("statements", 1, "quotes", 0, "text"), "value", at(12, '"difficult')),
        (("statements", 1, "quotes", 0, "source"), "value", at(13, "article")),
        # a sequence item: the mapping it holds starts at its first key
        (("statements", 1), "value", at(10, "id")),
        (("statements", 1, "id"), "key", at(10, "id")),
    ],
)
def test_position(round_file, path, target, position):
    assert Locator().position(round_file, path, target) == position


@pytest.mark.parametrize(
    "path, position",
    [
        # a missing key resolves to the mapping it belongs in
        (("statements", 1, "summary"), at(10, "id")),
        (("summary",), at(2, "id")),
        # an index past the end of a list resolves to the list
        (("mediators", 5), at(4, "[")),
        # a path through a scalar stops at the scalar
        (("title", "deeper"), at(3, "Geneva")),
        # a name where a list wants an index stops at the list
        (("statements", "first"), at(6, "- id")),
    ],
)
def test_paths_that_end_early_resolve_to_the_nearest_enclosing_node(round_file, path, position):
    assert Locator().position(round_file, path) == position


def test_integer_keys_are_matched_by_their_text(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("id: x\nstances:\n  1: a\n  2: b\n")
    assert Locator().position(str(path), ("stances", 2), "key") == (4, 3)
    assert Locator().position(str(path), ("stances", "2"), "value") == (4, 6)


def test_an_unreadable_file_resolves_to_its_start(tmp_path):
    assert Locator().position(str(tmp_path / "gone.yaml"), ("id",)) == (1, 1)
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed\n")
    assert Locator().position(str(broken), ("id",)) == (1, 1)
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    assert Locator().position(str(empty), ("id",)) == (1, 1)


def test_a_byte_order_mark_does_not_shift_columns(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffid: x\nname: y\n".encode())
    assert Locator().position(str(path), ("id",)) == (1, 5)
    assert Locator().position(str(path), ("name",), "key") == (2, 1)


def test_located_problems_are_left_alone_and_others_located(round_file):
    done = problem(round_file, "yaml-syntax", "m", ("id",), line=9, column=9)
    todo = problem(round_file, "unknown-actor", "m", ("statements", 0, "speaker"))
    assert locate_all([done, todo]) == [done, todo.at(*at(7, "medinsky"))]
    assert locate_all([done])[0] is done


def test_each_file_is_parsed_at_most_once(round_file, tmp_path, monkeypatch):
    other = tmp_path / "other.yaml"
    other.write_text("id: other\n")
    calls = []
    real = locate._compose
    monkeypatch.setattr(locate, "_compose", lambda path, text=None: calls.append(path.name) or real(path, text))
    problems = [problem(round_file, "unknown-actor", "m", ("mediators", i)) for i in range(2)]
    problems += [problem(str(other), "unknown-actor", "m", ("id",)) for _ in range(3)]
    located = locate_all(problems)
    assert sorted(calls) == ["geneva.yaml", "other.yaml"]
    assert [(p.line, p.column) for p in located] == [at(4, "united-states"), at(4, "qatar"), (1, 5), (1, 5), (1, 5)]


def test_nothing_is_parsed_when_every_problem_is_located(round_file, monkeypatch):
    monkeypatch.setattr(locate, "_compose", lambda path, text=None: pytest.fail("parsed a file needlessly"))
    assert locate_all([problem(round_file, "stray-file", "m", line=1, column=1)])[0].line == 1
