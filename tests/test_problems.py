import dataclasses
import re

import pytest

from peacekb.problems import CODES, Problem, count, problem


def test_catalogue_entries_are_keyed_by_their_slug_and_documented():
    assert CODES, "the catalogue is empty"
    for slug, code in CODES.items():
        assert code.slug == slug
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
        assert code.severity in ("error", "warning", "note")
        assert code.title.strip() and code.description.strip()


def test_catalogue_titles_are_distinct():
    titles = [c.title for c in CODES.values()]
    assert len(titles) == len(set(titles))


def test_a_problem_with_an_unknown_code_cannot_be_made():
    with pytest.raises(ValueError, match="unknown problem code 'no-such-code'"):
        Problem("a.yaml", 1, 1, "no-such-code", "message")
    with pytest.raises((ValueError, KeyError)):
        problem("a.yaml", "no-such-code", "message")


def test_severity_defaults_to_the_codes_own_and_can_be_overridden():
    error_code = next(s for s, c in CODES.items() if c.severity == "error")
    warning_code = next(s for s, c in CODES.items() if c.severity == "warning")
    assert problem("a.yaml", error_code, "m").severity == "error"
    assert problem("a.yaml", warning_code, "m").severity == "warning"
    assert problem("a.yaml", error_code, "m", severity="warning").severity == "warning"


def test_problems_are_frozen():
    p = problem("a.yaml", "yaml-syntax", "m", line=2, column=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.line = 5  # type: ignore[misc]


def test_unlocated_problem_and_at():
    p = problem("a.yaml", "unknown-actor", "no actor", ("statements", 3, "speaker"))
    assert (p.line, p.column, p.located) == (0, 0, False)
    q = p.at(7, 14)
    assert (q.line, q.column, q.located) == (7, 14, True)
    assert q.path == ("statements", 3, "speaker") and q.message == p.message
    assert (p.line, p.column) == (0, 0), "at() returns a copy"


def test_str_is_the_parsable_one_line_form():
    p = problem("data/actors/x.yaml", "unknown-field", "unknown field `nmae`", line=3, column=1)
    assert str(p) == "data/actors/x.yaml:3:1: error unknown-field: unknown field `nmae`"


def test_to_dict():
    p = problem("r.yaml", "unknown-stance", "m", ("statements", 0, "stances", "territory"), line=9, column=18)
    assert p.to_dict() == {
        "file": "r.yaml",
        "line": 9,
        "column": 18,
        "severity": "error",
        "code": "unknown-stance",
        "message": "m",
        "path": ["statements", 0, "stances", "territory"],
    }


def test_problems_sort_by_file_then_position_and_ignore_path_in_comparisons():
    a = problem("b.yaml", "yaml-syntax", "m", line=10, column=1)
    b = problem("a.yaml", "yaml-syntax", "m", line=2, column=5)
    c = problem("a.yaml", "yaml-syntax", "m", line=2, column=1)
    d = problem("a.yaml", "yaml-syntax", "m", line=10, column=1)
    assert sorted([a, b, c, d]) == [c, b, d, a]
    assert problem("a.yaml", "yaml-syntax", "m", ("x",), line=1, column=1) == problem("a.yaml", "yaml-syntax", "m", ("y",), line=1, column=1)


def test_count_errors_and_warnings():
    problems = [
        problem("a", "yaml-syntax", "m"),
        problem("a", "stray-file", "m"),
        problem("a", "yaml-syntax", "m", severity="warning"),
        problem("a", "quote-beyond-archive", "m"),
    ]
    assert count(problems) == (1, 2, 1)
    assert count([]) == (0, 0, 0)


def test_problem_paths_use_slashes_on_every_platform(monkeypatch):
    import peacekb.problems as problems_module
    from peacekb.problems import problem

    monkeypatch.setattr(problems_module.os, "sep", "\\")
    found = problem("C:\\kb\\data\\rounds\\geneva.yaml", "unknown-actor", "no actor `x`", line=3, column=5)
    assert found.file == "C:/kb/data/rounds/geneva.yaml" and str(found).startswith("C:/kb/data/rounds/geneva.yaml:3:5:")
    monkeypatch.setattr(problems_module.os, "sep", "/")
    assert problem("odd\\name.yaml", "unknown-actor", "m", line=1, column=1).file == "odd\\name.yaml"  # a backslash in a POSIX name stays
