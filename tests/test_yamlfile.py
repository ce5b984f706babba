"""Reading one file: the fast path for good files; for bad ones a diagnosis at the exact position."""

import os
import subprocess
import sys

import pytest

from conftest import VALID
from peacekb import yamlfile
from peacekb.yamlfile import parse, parse_text, position_of, read_text


def _one(text: str):
    data, problems = parse_text(text, "f.yaml")
    assert data is None
    assert len(problems) == 1, problems
    p = problems[0]
    assert p.file == "f.yaml"
    return p.code, p.line, p.column, p.message


# --- the fast path --------------------------------------------------------------------------------


def test_fast_path_returns_plain_values_without_diagnosing(monkeypatch):
    def no_diagnosis(*args, **kwargs):
        raise AssertionError("a good file must not be diagnosed")

    monkeypatch.setattr(yamlfile, "diagnose", no_diagnosis)
    data, problems = parse_text("id: a\nname: A\nstart: 2026-02-18\nyear: 2025\nlist: [x, y]\n", "f.yaml")
    assert problems == []
    # dates stay text, so that their precision is kept; a bare year is a number
    assert data == {"id": "a", "name": "A", "start": "2026-02-18", "year": 2025, "list": ["x", "y"]}


def test_loading_a_clean_knowledge_base_never_imports_ruamel():
    """ruamel.yaml is only for diagnosing and locating; a clean load must not pay for it."""
    code = (
        "import sys; from peacekb.loader import load; r = load(sys.argv[1]); "
        "assert not r.problems, r.problems; "
        "print(sorted(m for m in sys.modules if m.startswith('ruamel')))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(VALID)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_yaml_1_2_scalars():
    data, _ = parse_text("a: yes\nb: no\nc: on\nd: true\ne: 0o17\nf: ~\n", "f.yaml")
    assert data == {"a": "yes", "b": "no", "c": "on", "d": True, "e": 15, "f": None}


def test_byte_order_mark_is_dropped(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffid: a\nname: Ä\n".encode("utf-8"))
    data, problems = parse(path, "bom.yaml")
    assert problems == []
    assert data == {"id": "a", "name": "Ä"}


def test_crlf_line_endings_are_fine(tmp_path):
    path = tmp_path / "crlf.yaml"
    path.write_bytes(b"id: a\r\nname: A\r\n")
    assert parse(path, "crlf.yaml") == ({"id": "a", "name": "A"}, [])


# --- diagnoses, with exact 1-based positions ------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("id: a\nname: b\n  kind: c\n", ("yaml-syntax", 3, 7)),
        ("id: a\n\t\nname: b\nroles:\n  \t- x\n", ("tab-indent", 5, 3)),
        ("id: a\nname: b\nname: c\n", ("duplicate-key", 3, 1)),
        ("id: a\nroles:\n  - title: x\n    title: y\n", ("duplicate-key", 4, 5)),
        ("{id: a, id: b}\n", ("duplicate-key", 1, 9)),
        ("id: &x a\nname: *x\n", ("yaml-alias", 2, 7)),
        ("id: a\nname: b\n---\nid: c\n", ("yaml-multi-document", 3, 1)),
        ("---\nid: a\n---\nid: c\n", ("yaml-multi-document", 3, 1)),
        ("", ("empty-file", 1, 1)),
        ("# only a comment\n\n# and another\n", ("empty-file", 1, 1)),
        ("---\n", ("empty-file", 1, 1)),
        ("- a\n- b\n", ("not-a-mapping", 1, 1)),
        ("just some words\n", ("not-a-mapping", 1, 1)),
        ("42\n", ("not-a-mapping", 1, 1)),
        ("id: a\nname: b\x07c\n", ("yaml-syntax", 2, 8)),
    ],
)
def test_diagnosis_names_the_problem_at_its_position(text, expected):
    assert _one(text)[:3] == expected


def test_tabs_are_reported_on_every_line_that_has_one():
    data, problems = parse_text("id: a\nroles:\n\t- title: x\n\t  party: y\n", "f.yaml")
    assert data is None
    assert [(p.code, p.line, p.column) for p in problems] == [("tab-indent", 3, 1), ("tab-indent", 4, 1)]


def test_a_tab_inside_a_value_is_not_indentation():
    data, problems = parse_text('id: a\nname: "x\ty"\nnote: a\tb\n', "f.yaml")
    assert problems == []
    assert data == {"id": "a", "name": "x\ty", "note": "a\tb"}


def test_messages_say_what_is_wrong():
    assert _one("id: a\nname: b\nname: c\n")[3] == "duplicate key `name`: keep one of them"
    assert "alias `*x`" in _one("id: &x a\nname: *x\n")[3]
    assert "holds a list" in _one("- a\n")[3]
    assert "holds plain text" in _one("just words\n")[3]
    assert "holds a number" in _one("3.5\n")[3]
    assert "U+0007" in _one("id: a\x07\n")[3]


def test_alias_bomb_is_refused_at_its_first_alias():
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefghi", "bcdefghij"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    code, line, column, _ = _one("\n".join(lines) + "\n")
    assert (code, line, column) == ("yaml-alias", 2, 8)


def test_an_anchor_without_alias_is_harmless():
    assert parse_text("id: &x a\n", "f.yaml") == ({"id": "a"}, [])


@pytest.mark.parametrize(
    "text, name",
    [
        # every tag is a problem, whichever parser meets it first
        ("id: a\nname: !!python/object/apply:os.system ['touch pwned']\n", None),
        ("id: a\nname: !!python/object/new:os.system ['touch pwned']\n", None),
        ("id: a\nname: !!python/object:os.system {}\n", None),
        ("id: a\nname: !custom x\n", None),
        ("id: a\nname: !!python/object:os.system touch\n", None),
        ("id: a\nname: !!python/name:os.system\n", None),
    ],
)
def test_python_tags_construct_nothing(text, name, monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr("os.system", lambda *a: calls.append(a) or 0)
    monkeypatch.chdir(tmp_path)
    data, problems = parse_text(text, "f.yaml")
    assert calls == [] and list(tmp_path.iterdir()) == []
    if name is None:
        assert data is None and [p.code for p in problems] == ["yaml-syntax"]
    else:
        assert problems == [] and data == {"id": "a", "name": name}


def test_a_python_tag_at_top_level_is_a_problem():
    code, line, column, _ = _one("!!python/object/apply:os.system ['touch pwned']\n")
    assert (line, column) == (1, 1)
    assert code in ("yaml-syntax", "not-a-mapping")


def test_rejected_tag_is_reported_where_it_stands():
    code, line, column, message = _one("id: a\nname: A\nkind: !!python/object:os.system state\n")
    assert (code, line, column) == ("yaml-syntax", 3, 7)
    assert "python/object:os.system" in message and "not allowed" in message


def test_deep_nesting_is_a_problem_not_a_crash():
    # reported from the fast parser's own limit: ruamel.yaml, which would take time quadratic in the
    # depth to diagnose it, is never run on it
    code, line, _, _ = _one("a: " + "[" * 300 + "]" * 300 + "\n")
    assert code == "yaml-too-deep" and line == 1


@pytest.mark.parametrize("depth", [101, 250])
def test_nesting_past_the_limit_within_the_fast_parser_is_measured(depth):
    code, line, _, _ = _one("a: " + "[" * depth + "]" * depth + "\n")
    assert code == "yaml-too-deep"


def test_nesting_up_to_the_limit_is_allowed():
    data, problems = parse_text("a: " + "[" * 99 + "]" * 99 + "\n", "f.yaml")
    assert problems == [] and isinstance(data, dict)


# --- reading bytes ---------------------------------------------------------------------------------


def test_position_of():
    assert position_of("") == (1, 1)
    assert position_of("abc") == (1, 4)
    assert position_of("ab\ncd\n") == (3, 1)
    assert position_of("ab\ncd\nxy") == (3, 3)


def test_not_utf8_points_at_the_first_bad_byte(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes("id: a\nname: Zé\nnote: caf".encode() + b"\xe9\n")
    text, problems = read_text(path, "x.yaml")
    assert text is None
    assert [(p.code, p.line, p.column) for p in problems] == [("not-utf8", 3, 10)]
    assert "0xe9" in problems[0].message


def test_a_folder_named_like_a_file_is_unreadable(tmp_path):
    (tmp_path / "x.yaml").mkdir()
    data, problems = parse(tmp_path / "x.yaml", "x.yaml")
    assert data is None
    assert [(p.code, p.line, p.column) for p in problems] == [("unreadable-file", 1, 1)]
    assert problems[0].message.startswith("cannot read the file: ")


def test_permission_denied_is_unreadable(tmp_path, monkeypatch):
    """What chmod 000 does for a user other than root, simulated so that it runs as root too."""
    path = tmp_path / "secret.yaml"
    path.write_text("id: secret\n")

    def denied(name, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(name))

    monkeypatch.setattr(os, "open", denied)
    data, problems = parse(path, "secret.yaml")
    assert data is None
    assert [(p.code, p.message) for p in problems] == [("unreadable-file", "cannot read the file: Permission denied")]


def test_missing_file_is_unreadable(tmp_path):
    data, problems = parse(tmp_path / "gone.yaml", "gone.yaml")
    assert data is None and [p.code for p in problems] == ["unreadable-file"]
