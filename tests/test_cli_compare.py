"""The comparison commands (diff, changes, matrix) through typer's CliRunner, on tests/fixtures/compare.

The machine formats must carry exactly the library's result (json and yaml equal ``to_data``, csv has
one row per record); text and markdown must show the key facts; the exit code says whether the command
ran (0), found differences when asked (--exit-code: 1), or was misused (2).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from conftest import ESCAPE, FIXTURES, colours, flat
from peacekb import compare, queries
from peacekb.cli import app
from peacekb.dates import FuzzyDate
from peacekb.loader import load
from peacekb.queries import to_data

COMPARE = FIXTURES / "compare"
runner = CliRunner()
TODAY = FuzzyDate(2026, 6, 30)  # `today` is fixed, so that `changes --since` does not depend on the clock

KB = load(COMPARE).kb
VIENNA_END, OSLO_END, GENEVA_END = FuzzyDate(2026, 1, 11), FuzzyDate(2026, 2, 14), FuzzyDate(2026, 3, 21)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    """The outcome must not depend on today's date."""
    monkeypatch.setattr(queries, "today", lambda: TODAY)


def run(*args: str):
    return runner.invoke(app, [*args, "--data", str(COMPARE)])






def md_tables(text: str) -> list[list[list[str]]]:
    """The markdown tables in ``text``, each as rows of cells (the header first, the rule left out)."""
    lines = text.splitlines()
    tables, current = [], None
    for i, line in enumerate(lines):
        if re.fullmatch(r"\|(---\|)+", line):
            continue
        if line.startswith("|") and line.endswith("|"):
            if current is None:
                assert i + 1 < len(lines) and re.fullmatch(r"\|(---\|)+", lines[i + 1]), "a table starts with a header and a rule"
                current = []
                tables.append(current)
            current.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
        else:
            current = None
    return tables


@dataclass
class Case:
    args: list[str]
    result: Callable[[], object]  # the library's answer to the same question
    columns: tuple[str, ...]  # csv columns that identify a record
    keys: Callable[[object], list[tuple]]  # those columns for every record of the result, in order
    found: bool  # differences or changes: what --exit-code reports
    facts: tuple[str, ...] = ()  # what the text output must show

    def __str__(self) -> str:
        return " ".join(self.args)


def diff_keys(d) -> list[tuple]:
    return [(r.issue, r.relation) for r in d.rows]


def change_keys(report) -> list[tuple]:
    return [(c.holder, c.issue, c.kind) for c in report.changes]


def matrix_keys(m) -> list[tuple]:
    return [(r.issue, r.status) for r in m.rows]


def vienna_to_geneva():
    return compare.changes(KB, VIENNA_END, GENEVA_END, "vienna-2026-01", "geneva-2026-03")


TERRITORY = "territory: alpha: full-withdrawal vs beta: no-cession"

CASES = [
    Case(["diff", "alpha", "beta"], lambda: compare.diff_parties(KB, "alpha", "beta"), ("issue", "relation"), diff_keys, True,
         ("Alpha vs Beta", "Differ (3)", TERRITORY, "crossings: alpha: open-crossings vs beta: closed-crossings", "Agree (1)",
          "prisoners: alpha: all-for-all and beta: all-for-all", "Orlov accepted an all-for-all exchange.")),
    Case(["diff", "Gamma", "Concord Council"], lambda: compare.diff_parties(KB, "gamma", "concord"), ("issue", "relation"), diff_keys, False,
         ("Gamma vs Concord Council", "Unknown on one side (2)", "prisoners: gamma: no recorded position; concord: all-for-all",
          "Agree (1)", "territory: gamma: demilitarised-zone and concord: ceasefire-line")),
    Case(["diff", "olga", "alpha", "--as-of", "2026-01-11", "--issue", "territory"],
         lambda: compare.diff_parties(KB, "olga-orlov", "alpha", VIENNA_END, "territory"), ("issue", "relation"), diff_keys, True,
         ("Olga Orlov vs Alpha as of 2026-01-11", "territory: olga-orlov: no-cession vs alpha: full-withdrawal",
          "crossings: olga-orlov: closed-crossings vs alpha: open-crossings")),
    Case(["diff", "beta", "delta", "--issue", "territory"], lambda: compare.diff_parties(KB, "beta", "delta", None, "territory"),
         ("issue", "relation"), diff_keys, False,
         ("crossings: beta: closed-crossings; delta: no recorded position", "territory: beta: no-cession and delta: no-cession")),
    Case(["diff", "--from", "vienna-2026-01", "--to", "geneva-2026-03"], vienna_to_geneva, ("holder", "issue", "change"), change_keys, True,
         ("Changes from vienna-2026-01 (2026-01-11) to geneva-2026-03 (2026-03-21)", "changed Beta prisoners: phased → all-for-all",
          "changed Alpha sanctions: keep-sanctions → contested: lift-first / keep-sanctions", "appeared Gamma territory: (none) → demilitarised-zone",
          "2026-03-20, Olga Orlov: Orlov accepted an all-for-all exchange.", "2026-02-14, (Gamma): Gamma proposed a demilitarised zone")),
    Case(["diff", "--from", "Vienna", "--to", "Geneva talks"], vienna_to_geneva, ("holder", "issue", "change"), change_keys, True,
         ("Changes from vienna-2026-01 (2026-01-11) to geneva-2026-03 (2026-03-21)",)),
    Case(["diff", "--from", "2026-01-11", "--to", "2026-03-21"], lambda: compare.changes(KB, VIENNA_END, GENEVA_END),
         ("holder", "issue", "change"), change_keys, True, ("Changes from 2026-01-11 to 2026-03-21", "appeared")),
    Case(["diff", "--from", "oslo", "--to", "2026-03"], lambda: compare.changes(KB, OSLO_END, FuzzyDate(2026, 3), "oslo-2026-02", "2026-03"),
         ("holder", "issue", "change"), change_keys, True, ("Changes from oslo-2026-02 (2026-02-14) to 2026-03", "phased → all-for-all")),
    Case(["diff", "--from", "2026-02-15", "--to", "2026-02-28"], lambda: compare.changes(KB, FuzzyDate(2026, 2, 15), FuzzyDate(2026, 2, 28)),
         ("holder", "issue", "change"), change_keys, False, ("Changes from 2026-02-15 to 2026-02-28", "no position changed")),
    Case(["changes", "--since", "vienna-2026-01"], lambda: compare.changes(KB, VIENNA_END, TODAY, "vienna-2026-01", "today"),
         ("holder", "issue", "change"), change_keys, True,
         ("Changes from vienna-2026-01 (2026-01-11) to today (2026-06-30)", "appeared Gamma territory: (none) → demilitarised-zone")),
    Case(["changes", "--since", "2026-02-14"], lambda: compare.changes(KB, OSLO_END, TODAY, "2026-02-14", "today"),
         ("holder", "issue", "change"), change_keys, True, ("Changes from 2026-02-14 to today (2026-06-30)",)),
    Case(["matrix"], lambda: compare.matrix(KB), ("issue", "status"), matrix_keys, False,
         ("Common ground", "Concord Council", "elections open", "prisoners converging all-for-all all-for-all · all-for-all",
          "territory diverging full-withdrawal no-cession demilitarised-zone ceasefire-line", "? lift-first", "? contested")),
    Case(["matrix", "--as-of", "2026-01-11"], lambda: compare.matrix(KB, VIENNA_END), ("issue", "status"), matrix_keys, False,
         ("Common ground as of 2026-01-11", "prisoners diverging all-for-all phased · all-for-all", "sanctions converging")),
    Case(["matrix", "--issues", "territory,prisoners", "--parties", "gamma", "--parties", "concord"],
         lambda: compare.matrix(KB, None, ["territory", "prisoners"], ["gamma", "concord"]), ("issue", "status"), matrix_keys, False,
         ("territory converging demilitarised-zone ceasefire-line", "crossings open", "prisoners open")),
    Case(["matrix", "--issues", "sanctions", "--issues", "crossings", "--parties", "alpha,beta"],
         lambda: compare.matrix(KB, None, ["sanctions", "crossings"], ["alpha", "beta"]), ("issue", "status"), matrix_keys, False,
         ("sanctions diverging", "crossings diverging open-crossings closed-crossings")),
]


ONE_PER_COMMAND = [c for c in CASES if str(c) in ("diff alpha beta", "diff --from vienna-2026-01 --to geneva-2026-03", "changes --since vienna-2026-01", "matrix")]
assert len(ONE_PER_COMMAND) == 4


@pytest.fixture(params=CASES, ids=str)
def case(request) -> Case:
    return request.param


def test_the_cases_ask_what_the_fixture_was_built_to_answer():
    """The library answers the cases above differently, so that the format tests below compare something."""
    assert diff_keys(CASES[0].result()) == [("sanctions", "differ"), ("territory", "differ"), ("crossings", "differ"), ("prisoners", "agree")]
    assert change_keys(vienna_to_geneva()) == [("beta", "prisoners", "changed"), ("alpha", "sanctions", "changed"), ("gamma", "territory", "appeared")]
    assert all(case.keys(case.result()) for case in CASES if "2026-02-15" not in case.args)


# --- every command in every format ----------------------------------------------------------------


def answer(case: Case, fmt: str):
    """The command's answer in ``fmt``, which must exit 0 whatever it finds, with nothing on stderr."""
    result = run(*case.args, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert result.stderr == ""
    return result


def test_json_equals_the_library_result(case):
    result = answer(case, "json")
    assert json.loads(result.stdout) == to_data(case.result())


def test_yaml_equals_the_library_result(case):
    result = answer(case, "yaml")
    assert YAML(typ="safe", pure=True).load(result.stdout) == to_data(case.result())


def test_csv_has_a_header_and_one_row_per_record(case):
    result = answer(case, "csv")
    header, *rows = list(csv.reader(io.StringIO(result.stdout)))
    assert all(column in header for column in case.columns), header
    assert all(len(row) == len(header) for row in rows)  # nothing but the table on stdout
    expected = case.keys(case.result())
    assert [tuple(row[header.index(c)] for c in case.columns) for row in rows] == expected


def test_markdown_has_a_table_with_a_row_per_record(case):
    text = answer(case, "markdown").stdout
    expected = case.keys(case.result())
    if not expected:
        assert "No position changed." in text
        return
    [table] = md_tables(text)
    header, *rows = table
    assert all(len(row) == len(header) for row in rows)
    assert len(rows) == len(expected)


def test_text_without_a_terminal_is_plain_and_shows_the_key_facts(case):
    result = answer(case, "text")
    assert ESCAPE not in result.stdout and ESCAPE not in result.stderr
    shown = flat(result.stdout)
    for fact in case.facts:
        assert flat(fact) in shown, fact


@pytest.mark.parametrize("case", [c for c in CASES if c.args[0] == "diff" and "--from" not in c.args], ids=str)
def test_text_shows_the_briefing_line_of_every_row_without_a_contested_side(case):
    shown = run(*case.args).stdout.splitlines()
    d = case.result()
    for row in d.rows:
        if "contested" not in (row.a.status, row.b.status):
            assert row.summary in [line.strip() for line in shown], row.summary


def test_text_shows_the_briefing_line_of_a_contested_row_too():
    d = compare.diff_parties(KB, "alpha", "beta")
    sanctions = next(r for r in d.rows if r.issue == "sanctions")
    assert sanctions.a.status == "contested"
    assert sanctions.summary in [line.strip() for line in run("diff", "alpha", "beta").stdout.splitlines()]


def test_text_does_not_say_a_person_spoke_on_their_own_position():
    shown = flat(run("diff", "olga-orlov", "alpha").stdout)
    assert "Orlov repeated that Beta cedes no land." in shown
    assert "on Olga Orlov's position" not in shown


def test_diff_csv_carries_each_sides_status_stances_and_latest_statement():
    rows = list(csv.DictReader(io.StringIO(run("diff", "alpha", "beta", "-f", "csv").stdout)))
    sanctions = next(r for r in rows if r["issue"] == "sanctions")
    assert (sanctions["a"], sanctions["a_status"], sanctions["a_stances"], sanctions["a_since"]) == ("alpha", "contested", "lift-first; keep-sanctions", "2026-03; 2026-03-20")
    assert (sanctions["b"], sanctions["b_status"], sanctions["b_stances"], sanctions["b_evidence"]) == ("beta", "held", "keep-sanctions", "v1-beta-keep-sanctions")
    unknown = list(csv.DictReader(io.StringIO(run("diff", "gamma", "concord", "-f", "csv").stdout)))[1]
    assert (unknown["issue"], unknown["a_status"], unknown["a_stances"], unknown["a_evidence"]) == ("prisoners", "unknown", "", "")


def test_changes_csv_carries_before_after_and_the_statements_that_moved_it():
    rows = list(csv.DictReader(io.StringIO(run("diff", "--from", "vienna-2026-01", "--to", "geneva-2026-03", "-f", "csv").stdout)))
    assert [(r["holder"], r["issue"], r["change"], r["before"], r["after"], r["statements"]) for r in rows] == [
        ("beta", "prisoners", "changed", "phased", "all-for-all", "g3-orlov-all-for-all"),
        ("alpha", "sanctions", "changed", "keep-sanctions", "lift-first; keep-sanctions", "g3-alpha-signals-lifting; g3-paulsen-keep-sanctions"),
        ("gamma", "territory", "appeared", "", "demilitarised-zone", "o2-gamma-demilitarised"),
    ]


def test_matrix_csv_has_a_column_per_party_with_its_stances():
    header, *rows = list(csv.reader(io.StringIO(run("matrix", "-f", "csv").stdout)))
    assert header == ["issue", "status", "alpha", "beta", "gamma", "concord", "agreements"]
    assert rows == [
        ["elections", "open", "", "", "early-elections", "", ""],
        ["prisoners", "converging", "all-for-all", "all-for-all", "", "all-for-all", ""],
        ["sanctions", "diverging", "contested: lift-first; keep-sanctions", "keep-sanctions", "", "", ""],
        ["territory", "diverging", "full-withdrawal", "no-cession", "demilitarised-zone", "ceasefire-line", ""],
        ["crossings", "diverging", "open-crossings", "closed-crossings", "", "", ""],
    ]


def test_markdown_cells_say_what_each_side_holds():
    [diff] = md_tables(run("diff", "alpha", "beta", "-f", "markdown").stdout)
    assert diff[0][:3] == ["issue", "relation", "Alpha"] and diff[0][4] == "Beta"
    territory = next(r for r in diff if r[0] == "territory")
    assert (territory[1], territory[2], territory[4]) == ("differ", "full-withdrawal", "no-cession")
    sanctions = next(r for r in diff if r[0] == "sanctions")
    assert "contested" in sanctions[2] and "lift-first" in sanctions[2] and "keep-sanctions" in sanctions[2]

    [changes] = md_tables(run("diff", "--from", "vienna-2026-01", "--to", "geneva-2026-03", "-f", "markdown").stdout)
    gamma = next(r for r in changes if r[0] == "Gamma")
    assert gamma[1:5] == ["territory", "appeared", "", "demilitarised-zone"]
    assert "Gamma proposed a demilitarised zone" in gamma[5]

    text = run("matrix", "-f", "markdown").stdout
    [grid] = md_tables(text)
    assert grid[0] == ["issue", "status", "Alpha", "Beta", "Gamma", "Concord Council"]
    assert grid[2][:2] == ["prisoners", "converging"]
    assert grid[3][:3] == ["sanctions", "diverging", "contested: lift-first / keep-sanctions"]


def test_rounds_and_dates_name_the_same_moments():
    by_round = json.loads(run("diff", "--from", "oslo-2026-02", "--to", "geneva-2026-03", "-f", "json").stdout)
    by_date = json.loads(run("diff", "--from", "2026-02-14", "--to", "2026-03-21", "-f", "json").stdout)
    assert by_round["changes"] == by_date["changes"]
    assert [c["kind"] for c in by_round["changes"]] == ["changed", "changed"]
    assert (by_round["start"], by_round["end"]) == ({"label": "oslo-2026-02", "date": "2026-02-14"}, {"label": "geneva-2026-03", "date": "2026-03-21"})
    assert (by_date["start"], by_date["end"]) == ({"label": "2026-02-14", "date": "2026-02-14"}, {"label": "2026-03-21", "date": "2026-03-21"})


def test_the_later_moment_given_first_shows_what_disappeared():
    rows = list(csv.DictReader(io.StringIO(run("diff", "--from", "geneva-2026-03", "--to", "vienna-2026-01", "-f", "csv").stdout)))
    gamma = next(r for r in rows if r["holder"] == "gamma")
    assert (gamma["issue"], gamma["change"], gamma["before"], gamma["after"], gamma["statements"]) == ("territory", "disappeared", "demilitarised-zone", "", "")


def test_diff_from_alone_runs_to_today_as_changes_since_does():
    assert json.loads(run("diff", "--from", "vienna-2026-01", "-f", "json").stdout) == json.loads(run("changes", "--since", "vienna-2026-01", "-f", "json").stdout)


def test_as_of_changes_the_answer():
    late = json.loads(run("diff", "alpha", "beta", "-f", "json").stdout)
    early = json.loads(run("diff", "alpha", "beta", "--as-of", "2026-01-10", "-f", "json").stdout)
    assert (late["as_of"], early["as_of"]) == (None, "2026-01-10")
    assert [(r["issue"], r["relation"]) for r in early["rows"]] == [("prisoners", "differ"), ("territory", "differ"), ("sanctions", "unknown"), ("crossings", "unknown")]
    assert [(r["issue"], r["relation"]) for r in late["rows"]] != [(r["issue"], r["relation"]) for r in early["rows"]]


# --- exit codes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", [c for c in CASES if c.args[0] == "diff"], ids=str)  # changes and matrix have no --exit-code
def test_exit_code_is_1_with_differences_or_changes_and_0_without(case):
    for fmt in ("text", "json"):
        result = run(*case.args, "--exit-code", "-f", fmt)
        assert result.exit_code == (1 if case.found else 0), (case, fmt)
        assert result.stdout.strip()  # the answer is shown all the same
        assert result.stderr == ""


def test_exit_code_counts_differences_not_unknowns():
    d = compare.diff_parties(KB, "beta", "delta")
    assert {r.relation for r in d.rows} == {"unknown", "agree"}
    assert run("diff", "beta", "delta", "--exit-code").exit_code == 0
    assert run("diff", "beta", "delta", "--exit-code", "--issue", "crossings").exit_code == 0
    assert run("diff", "alpha", "beta", "--exit-code", "--issue", "prisoners").exit_code == 0  # they agree there
    assert run("diff", "alpha", "beta", "--exit-code", "--issue", "crossings").exit_code == 1


def test_a_json_answer_with_exit_code_1_is_still_whole():
    result = run("diff", "alpha", "beta", "--exit-code", "-f", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == to_data(compare.diff_parties(KB, "alpha", "beta"))


# --- usage errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["diff"], "diff needs two parties"),
        (["diff", "alpha"], "diff needs two parties"),
        (["diff", "--to", "2026-02"], "diff needs two parties"),
        (["diff", "alpha", "beta", "--from", "vienna-2026-01"], "not both"),
        (["diff", "alpha", "beta", "--to", "2026-03-21"], "not both"),
        (["diff", "--from", "vienna-2026-01", "--as-of", "2026-02"], "--as-of and --issue apply to a diff of two parties"),
        (["diff", "--from", "2026-01-11", "--to", "2026-03-21", "--issue", "territory"], "--as-of and --issue apply to a diff of two parties"),
    ],
)
def test_a_wrong_combination_is_a_usage_error(args, message):
    for fmt in ("text", "json"):
        result = run(*args, "-f", fmt, "--exit-code")
        assert result.exit_code == 2, (args, result.output)
        assert result.stdout == ""
        assert result.stderr.startswith("peacekb: ") and message in result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args, suggested",
    [
        (["diff", "alpah", "beta"], "alpha"),
        (["diff", "alpha", "betta"], "beta"),
        (["diff", "olga-orlof", "alpha"], "olga-orlov"),
        (["diff", "alpha", "beta", "--issue", "sanktions"], "sanctions"),
        (["diff", "--from", "viena"], "vienna-2026-01"),
        (["diff", "--from", "2026-01-11", "--to", "genva"], "geneva-2026-03"),
        (["changes", "--since", "olso"], "oslo-2026-02"),
        (["matrix", "--issues", "teritory"], "territory"),
        (["matrix", "--issues", "prisoners,teritory"], "territory"),
        (["matrix", "--parties", "alpha", "--parties", "concrd"], "concord"),
    ],
)
def test_an_unknown_name_is_a_usage_error_with_suggestions(args, suggested):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("peacekb: no ") and "did you mean" in result.stderr
    assert f"`{suggested}`" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_suggested_round_is_named_once():
    result = run("diff", "--from", "viena")
    assert result.exit_code == 2
    assert result.stderr.count("`vienna-2026-01`") == 1, result.stderr


@pytest.mark.parametrize("args", [["diff", "alpha", "beta", "--as-of", "2026-13"], ["matrix", "--as-of", "yesterday"], ["diff", "alpha", "beta", "--as-of", "2026-02-30"]])
def test_a_bad_as_of_date_is_a_usage_error(args):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("peacekb: --as-of: ") and result.stderr.count("\n") == 1


def test_a_moment_that_is_neither_a_date_nor_a_round_is_a_usage_error():
    result = run("diff", "--from", "2026-13")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("peacekb: ") and "2026-13" in result.stderr


# --- colour ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ONE_PER_COMMAND, ids=str)
def test_color_always_colours_text(case):
    """So that the check for no colour below can fail."""
    assert colours(run(*case.args, "--color", "always").stdout)


@pytest.mark.parametrize("case", ONE_PER_COMMAND, ids=str)
def test_machine_output_stays_plain_even_with_color_always(case):
    for fmt in ("json", "yaml", "csv", "markdown"):
        result = run(*case.args, "-f", fmt, "--color", "always")
        assert ESCAPE not in result.stdout, fmt


@pytest.mark.parametrize("case", ONE_PER_COMMAND, ids=str)
def test_no_color_on_a_terminal_has_no_colour(case, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    result = run(*case.args)
    assert colours(result.stdout) == set() and colours(result.stderr) == set()
