"""Loading: files to records, schema errors to problems at the right place, never an exception."""

from __future__ import annotations

import pytest

from conftest import VALID, where
from peacekb import checks, loader
from peacekb.loader import describe, load, record_files

STATEMENT = """
  - id: {id}
    date: 2026-02-17
    party: russia
    attribution: reported
    issues: [territory]
    summary: A summary.
    sources: [article]
"""


def _round(*statements: str, head: str = "id: geneva\ntitle: Geneva\nstart: 2026-02-17\n") -> str:
    return head + "statements:" + "".join(statements)


def _only(root):
    problems = load(root).problems
    return [where(p, root) + (p.message,) for p in problems]


# --- schema errors to problems -------------------------------------------------------------------


def test_unknown_field_suggests_the_nearest_field_and_points_at_the_key(make_kb):
    root = make_kb({"actors/x.yaml": "id: x\nname: X\nkind: state\nalias: [Y]\n"})
    [(code, file, line, column, message)] = _only(root)
    assert (code, file, line, column) == ("unknown-field", "actors/x.yaml", 4, 1)
    assert message == "unknown field `alias`; did you mean `aliases`?"


def test_unknown_field_in_a_nested_record_suggests_from_that_record(make_kb):
    root = make_kb(
        {
            "actors/x.yaml": """
                id: x
                name: X
                kind: person
                roles:
                  - title: Envoy
                    partty: russia
            """
        }
    )
    [(code, _, line, column, message)] = _only(root)
    assert (code, line, column) == ("unknown-field", 6, 5)
    assert message == "unknown field `partty`; did you mean `party`?"


def test_unknown_field_with_nothing_close_lists_the_fields(make_kb):
    root = make_kb({"issues/x.yaml": "id: x\ntitle: X\nzzzz: 1\n"})
    [(*_, message)] = _only(root)
    assert message.startswith("unknown field `zzzz`; fields here: id, title,")


def test_missing_field_points_at_the_mapping_it_belongs_in(make_kb):
    root = make_kb(
        {
            "actors/x.yaml": """
                # a comment
                id: x
                name: X
                kind: person
                roles:
                  - party: russia
                    start: 2020
            """
        }
    )
    assert _only(root) == [("missing-field", "actors/x.yaml", 6, 5, "missing required field `title` of the role")]


def test_missing_field_of_the_top_mapping(make_kb):
    root = make_kb({"issues/x.yaml": "# a comment\n\nid: x\n"})
    assert _only(root) == [("missing-field", "issues/x.yaml", 3, 1, "missing required field `title` of the issue")]


@pytest.mark.parametrize(
    "line, message",
    [
        ("name: 42", "name must be text, not the number `42`"),
        ("name: true", "name must be text, not `true`"),
        ("name: ~", "name must be text, not nothing (null)"),
        ("name: {first: A}", "name must be text, not a mapping"),
        ("aliases: A", "aliases must be a list, not `A`"),
        ("roles: {title: x}", "roles must be a list, not a mapping"),
        ("roles: [x]", "roles[0] must be a mapping of fields, not `x`"),
    ],
)
def test_wrong_types_say_what_was_found(make_kb, line, message):
    lines = {"id": "id: x", "name": "name: X", "kind": "kind: person"}
    key = line.split(":")[0]
    lines[key] = line
    root = make_kb({"actors/x.yaml": "\n".join(lines.values()) + "\n"})
    [(code, _, number, _, got)] = _only(root)
    assert (code, got) == ("wrong-type", message)
    assert number == list(lines).index(key) + 1


def test_a_key_that_is_not_text(make_kb):
    root = make_kb({"actors/x.yaml": "id: x\nname: X\nkind: state\n1: one\n"})
    assert _only(root) == [("wrong-type", "actors/x.yaml", 4, 1, "keys must be text, not the number `1`")]


def test_a_null_key_is_located_at_the_key(make_kb):
    root = make_kb({"actors/x.yaml": "id: x\nname: X\nkind: state\nnull: one\n"})
    assert [where(p, root) for p in load(root).problems] == [("wrong-type", "actors/x.yaml", 4, 1)]


def test_an_id_that_is_not_a_slug_suggests_one(make_kb):
    root = make_kb({"actors/Dmitry_Peskov.yaml": "id: Dmitry_Peskov\nname: Dmitry Peskov\nkind: person\n"})
    assert _only(root) == [
        ("invalid-id", "actors/Dmitry_Peskov.yaml", 1, 5, "`Dmitry_Peskov` is not a valid id for `id`: use lowercase letters, digits and single hyphens, e.g. `dmitry-peskov`")
    ]


def test_a_stance_key_that_is_not_a_slug_points_at_the_key(make_kb):
    statement = STATEMENT.format(id="s").replace("    summary:", "    stances: {Territory: no-cession}\n    summary:")
    root = make_kb({"rounds/geneva.yaml": _round(statement)})
    [(code, _, line, column, message)] = _only(root)
    assert (code, line, column) == ("invalid-id", 10, 15)
    assert "e.g. `territory`" in message


def test_describe():
    assert describe(None) == "nothing (null)"
    assert describe(False) == "`false`"
    assert describe(3) == "the number `3`"
    assert describe(2.5) == "the number `2.5`"
    assert describe([1]) == "a list"
    assert describe({"a": 1}) == "a mapping"
    assert describe("x" * 61) == "`" + "x" * 60 + "...`"
    assert describe("x" * 60) == "`" + "x" * 60 + "`"


# --- statements and invalid records --------------------------------------------------------------


def test_one_bad_statement_does_not_hide_the_others(make_kb):
    bad = STATEMENT.format(id="bad").replace("    summary: A summary.\n", "")
    root = make_kb({"rounds/geneva.yaml": _round(STATEMENT.format(id="first"), bad, STATEMENT.format(id="third"))})
    result = load(root)
    assert [where(p, root) for p in result.problems] == [("missing-field", "rounds/geneva.yaml", 13, 5)]
    assert set(result.kb.statements) == {"first", "third"}
    assert [s.id for s in result.kb.rounds["geneva"].statements] == ["first", "third"]
    assert result.kb.round_id_of("third") == "geneva"


def test_the_statements_of_an_invalid_round_are_still_loaded_and_checked(make_kb):
    statement = STATEMENT.format(id="s").replace("sources: [article]", "sources: [artcle]")
    root = make_kb({"rounds/geneva.yaml": _round(statement, head="id: geneva\ntitle: Geneva\n")})
    result = load(root)
    assert sorted(p.code for p in result.problems) == ["missing-field", "unknown-source"]
    assert "geneva" not in result.kb.rounds and "s" in result.kb.statements


def test_a_reference_to_an_invalid_record_is_not_reported_again(make_kb):
    root = make_kb(
        {
            "actors/broken.yaml": "id: broken\nname: Broken\nkind: robot\n",
            "rounds/geneva.yaml": "id: geneva\ntitle: Geneva\nstart: 2026-02-17\nmediators: [broken, missing]\n",
        }
    )
    result = load(root)
    assert sorted((p.code, p.message.split(";")[0]) for p in result.problems) == [
        ("invalid-value", "kind: `robot` is not one of `state`, `person`, `organisation`, `coalition`, `other`"),
        ("unknown-actor", "no actor `missing` in actors/"),
    ]
    assert ("actors", "broken") in result.kb.invalid
    assert "broken" not in result.kb.actors


def test_an_invalid_record_without_a_text_id_is_known_by_its_file_name(make_kb):
    root = make_kb(
        {
            "actors/broken.yaml": "id: [broken]\nname: Broken\nkind: state\n",
            "rounds/geneva.yaml": "id: geneva\ntitle: Geneva\nstart: 2026-02-17\nmediators: [broken]\n",
        }
    )
    result = load(root)
    assert [where(p, root) for p in result.problems] == [("wrong-type", "actors/broken.yaml", 1, 5)]
    assert ("actors", "broken") in result.kb.invalid


def test_a_second_round_with_the_same_id_does_not_replace_the_first(make_kb):
    root = make_kb(
        {
            "rounds/geneva.yaml": _round(STATEMENT.format(id="first")),
            # loaded second: files are read in name order
            "rounds/later.yaml": "id: geneva\ntitle: Copy\nstart: 2026-02-18\nend: 2026-02-01\nmediators: [nobody]\nstatements: []\n",
        }
    )
    result = load(root)
    assert result.kb.rounds["geneva"].title == "Geneva"
    assert [s.id for s in result.kb.rounds["geneva"].statements] == ["first"]
    assert sorted(where(p, root)[:2] for p in result.problems) == [
        ("duplicate-id", "rounds/later.yaml"),
        ("id-mismatch", "rounds/later.yaml"),
    ]


def test_duplicate_statement_ids_name_the_first_place(make_kb):
    root = make_kb(
        {
            "rounds/a.yaml": _round(STATEMENT.format(id="s"), head="id: a\ntitle: A\nstart: 2026-02-17\n"),
            "rounds/b.yaml": _round(STATEMENT.format(id="t"), STATEMENT.format(id="s"), head="id: b\ntitle: B\nstart: 2026-02-18\n"),
        }
    )
    result = load(root)
    [(code, file, line, column, message)] = _only(root)
    assert (code, file, line, column) == ("duplicate-id", "rounds/b.yaml", 13, 9)
    assert message.endswith("a.yaml (statement 1)")
    assert result.kb.round_id_of("s") == "a"
    assert [s.id for s in result.kb.rounds["b"].statements] == ["t"]


def test_year_zero_is_an_invalid_date(make_kb):
    root = make_kb({"rounds/r.yaml": "id: r\ntitle: R\nstart: 0000\nend: 2025\nmediators: [nobody]\n"})
    problems = load(root).problems
    # the round fails its model, so its references are not followed; no check breaks on it
    assert [(p.code, p.line, p.column) for p in problems] == [("invalid-date", 3, 8)]
    assert "there is no year 0" in problems[0].message


# --- never an exception ----------------------------------------------------------------------------


def test_a_failing_check_becomes_an_internal_error_and_the_rest_still_runs(make_kb, monkeypatch):
    def broken(kb):
        raise RuntimeError("boom")

    monkeypatch.setattr(checks, "CHECKS", [broken, *checks.CHECKS])
    root = make_kb({"rounds/r.yaml": "id: r\ntitle: R\nstart: 2026-02-17\nmediators: [nobody]\n"})
    problems = load(root).problems
    assert sorted(p.code for p in problems) == ["internal-error", "unknown-actor"]
    internal = next(p for p in problems if p.code == "internal-error")
    assert "broken: RuntimeError: boom" in internal.message and internal.line == 1


def test_a_file_that_breaks_the_loader_does_not_hide_the_others(make_kb, monkeypatch):
    real = loader.parse_text

    def parse_text(text, name):
        if name.endswith("ukraine.yaml"):
            raise RuntimeError("boom")
        return real(text, name)

    monkeypatch.setattr(loader, "parse_text", parse_text)
    root = make_kb({"rounds/r.yaml": "id: r\ntitle: R\nstart: 2026-02-17\nmediators: [ukrane]\n"})
    result = load(root)
    assert [where(p, root) for p in result.problems] == [
        ("internal-error", "actors/ukraine.yaml", 1, 1),
        ("unknown-actor", "rounds/r.yaml", 4, 13),
    ]
    assert "russia" in result.kb.actors


# --- the result ------------------------------------------------------------------------------------


def test_record_files_are_the_yaml_files_of_each_folder_in_order(make_kb):
    root = make_kb({"actors/b.yaml": "id: b\n", "actors/a.yaml": "id: a\n", "actors/c.yml": "", "actors/d.txt": ""}, base=False)
    files = record_files(root)
    assert [p.name for p in files["actors"]] == ["a.yaml", "b.yaml"]
    assert files["issues"] == []
    assert set(files) >= {"actors", "issues", "rounds", "sources"}


def test_a_missing_folder_is_no_problem(tmp_path):
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors" / "x.yaml").write_text("id: x\nname: X\nkind: state\n")
    result = load(tmp_path)
    assert result.problems == [] and result.files == 1 and list(result.kb.actors) == ["x"]


def test_load_accepts_a_string(make_kb):
    root = make_kb()
    assert load(str(root)).to_dict() == load(root).to_dict()


def test_result_counts_and_to_dict(make_kb):
    root = make_kb(
        {
            "actors/x.yaml": "id: x\nname: X\nkind: state\nnmae: X\n",
            "actors/notes.txt": "stray",
        }
    )
    result = load(root)
    assert (result.errors, result.warnings, result.files) == (1, 1, 6)
    data = result.to_dict()
    assert data["summary"] == {"files": 6, "errors": 1, "warnings": 1, "notes": 0}
    assert [p["code"] for p in data["problems"]] == ["stray-file", "unknown-field"]
    assert data["problems"][1] == {
        "file": str(root / "actors" / "x.yaml"),
        "line": 4,
        "column": 1,
        "severity": "error",
        "code": "unknown-field",
        "message": "unknown field `nmae`; did you mean `name`?",
        "path": ["nmae"],
    }


def test_problems_come_sorted_by_file_and_position(make_kb):
    root = make_kb(
        {
            "actors/b.yaml": "id: b\nname: B\nkind: robot\nnmae: B\n",
            "actors/a.yaml": "nmae: A\nid: a\nname: A\nkind: state\n",
        }
    )
    problems = load(root).problems
    assert problems == sorted(problems)
    assert [where(p, root)[1:] for p in problems] == [("actors/a.yaml", 1, 1), ("actors/b.yaml", 3, 7), ("actors/b.yaml", 4, 1)]


def test_the_valid_fixture_round_trips_its_dates():
    kb = load(VALID).kb
    assert str(kb.statements["geneva-zelensky-guarantees-first"].date) == "2026-02"
    assert str(kb.actors["steve-witkoff"].roles[0].start) == "2025-01"


# --- dates known only by an upper bound ----------------------------------------------------------


def test_a_statement_dated_by_an_open_start_loads(make_kb):
    root = make_kb({"rounds/geneva.yaml": _round(STATEMENT.format(id="s").replace("date: 2026-02-17", "date: ../2026-02-17"))})
    result = load(root)
    assert result.problems == []
    date = result.kb.statements["s"].date
    assert (str(date), date.open_start, date.latest.isoformat()) == ("../2026-02-17", True, "2026-02-17")


@pytest.mark.parametrize(
    "text, reason",
    [
        ("../", "an open start needs the date it is known by, `../END`"),
        ("../2026-02-17/2026-02-18", "an open start `../END` has one date after `../`, not a span"),
        ("2026-02-17/../2026-03", "`..` (an unknown bound) stands first"),
        ("../2026-02-30", "February 2026 has 28 days"),
    ],
)
def test_a_malformed_open_start_is_an_invalid_date_at_its_place(make_kb, text, reason):
    root = make_kb({"rounds/geneva.yaml": _round(STATEMENT.format(id="s").replace("date: 2026-02-17", f"date: {text}"))})
    [(code, file, line, column, message)] = _only(root)
    assert (code, file, line, column) == ("invalid-date", "rounds/geneva.yaml", 6, 11)
    assert f"`{text}` is not a date: {reason}" in message
