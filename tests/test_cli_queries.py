"""The query commands, through typer's CliRunner, on tests/fixtures/positions.

The machine formats must carry exactly the library's result (json and yaml equal ``to_data``, csv has
one row per record); text and markdown must show the key facts; names resolve as `peacekb.names`
says, with usage errors (exit 2) for unknown and ambiguous names.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from rich.console import Console
from rich.table import Table
from rich.text import Text
from ruamel.yaml import YAML
from typer.testing import CliRunner

from conftest import ESCAPE, FIXTURES, colours, flat
from peacekb import queries as q
from peacekb.dates import FuzzyDate
from peacekb.cli import app, views
from peacekb.loader import load

POSITIONS = FIXTURES / "positions"
runner = CliRunner()
FORMATS = ("text", "json", "yaml", "csv", "markdown")
SEQUENCING = "sequencing: guarantees-first (Alpha) vs territory-first (Beta); no recorded position: Gamma"

KB = load(POSITIONS).kb




def run(*args: str):
    return runner.invoke(app, [*args, "--data", str(POSITIONS)])






def search_hits(words: str, kinds: list[str] | None = None) -> list:
    from peacekb.search import search, search_index

    return search(search_index(KB), words, kinds)


def quote_keys(rows: list[q.Evidence]) -> list[tuple]:
    """(id, quote_index) of every csv row of a list of statements: one per quote, one for a statement without."""
    return [key for e in rows for key in ([(e.id, str(n)) for n in range(len(e.quotes))] or [(e.id, "")])]


def positions_keys(blocks: list[q.IssuePositions]) -> list[tuple]:
    return [(b.issue, p.holder) for b in blocks for p in b.positions]


@dataclass
class Case:
    args: list[str]
    result: Callable[[], object]  # the library's answer to the same question
    columns: tuple[str, ...]  # csv columns that identify a record
    keys: Callable[[object], list[tuple]]  # those columns for every record of the result, in order
    facts: tuple[str, ...] = ()  # what the text output must show
    headlines: bool = False  # markdown shows each block's headline

    def __str__(self) -> str:
        return " ".join(self.args)


JAN_31 = FuzzyDate.parse("2026-01-31")

CASES = [
    Case(["positions", "sequencing"], lambda: q.positions(KB, "sequencing"), ("issue", "holder"), positions_keys,
         (SEQUENCING, "no recorded position", "since", "2026-01-20"), headlines=True),
    Case(["positions", "Territory"], lambda: q.positions(KB, "territory"), ("issue", "holder"), positions_keys,
         ("contested", "no recorded position", "Border zone of the territory"), headlines=True),
    Case(["positions", "territory", "--as-of", "2026-01-31"], lambda: q.positions(KB, "territory", JAN_31), ("issue", "holder"), positions_keys,
         ("as of 2026-01-31", "territory: no-cession (Alpha); no recorded position: Beta, Gamma", "withdrawal"), headlines=True),
    Case(["round", "geneva-2026-01"], lambda: q.round_card(KB, "geneva-2026-01"), ("id", "quote_index"), lambda c: quote_keys(c.statements),
         ("Geneva talks, January 2026", "Palais des Nations", "head: Boris Bek; with Ivan Petrov", "The parties agreed to meet again in Abu Dhabi.", "Positions voiced", "Other remarks")),
    Case(["round", "abu dhabi"], lambda: q.round_card(KB, "abu-dhabi-2026-02"), ("id", "quote_index"), lambda c: quote_keys(c.statements),
         ("Abu Dhabi talks, February 2026", "Ana Álvarez (Alpha) on Beta's position", "low reliability")),
    Case(["rounds"], lambda: q.rounds_overview(KB), ("id",), lambda rows: [(r.id,) for r in rows],
         ("2026-01-20–21", "2026-02-10–11", "2026-03-05", "(planned)", "multilateral")),
    Case(["actors"], lambda: q.actors_overview(KB), ("id",), lambda rows: [(a.id,) for a in rows],
         ("Ana Álvarez", "Special Envoy (Alpha)", "Republic of Alpha")),
    Case(["actor", "beta"], lambda: q.actor_card(KB, "beta"), ("issue", "holder"), lambda c: positions_keys(c.positions),
         ("Kingdom of Beta", "Positions held", "territory-first", "on Beta's position")),
    Case(["actor", "Álvarez", "--as-of", "2026-01-31"], lambda: q.actor_card(KB, "ana-alvarez", JAN_31), ("issue", "holder"), lambda c: positions_keys(c.positions),
         ("Foreign Minister (Alpha)", "2024-03-01 – 2026-01-31", "2026-01-20")),
    Case(["issues"], lambda: q.issues_overview(KB), ("id",), lambda rows: [(r.id,) for r in rows],
         ("Sequencing", "Border zone of the territory", "held by Alpha, Beta")),
    Case(["issue", "territory"], lambda: q.issue_card(KB, "territory"), ("issue", "holder"), lambda c: positions_keys(c.positions),
         ("Whether land changes hands under a settlement.", "contested", "no recorded position"), headlines=True),
    Case(["statements"], lambda: q.statements(KB), ("id", "quote_index"), quote_keys,
         ("11 statements", "Gamma proposed a demilitarised strip along the border.")),
    Case(["statements", "--actor", "beta", "--issue", "border", "--since", "2026-02"],
         lambda: q.statements(KB, q.StatementFilter(actor="beta", issue="border-zone", since=FuzzyDate.parse("2026-02"))),
         ("id", "quote_index"), quote_keys, ("1 statement", "Petrov accepted a demilitarised border zone")),
    Case(["sources"], lambda: q.sources_overview(KB), ("id",), lambda rows: [(r.id,) for r in rows],
         ("Geneva talks open with familiar demands", "Test Wire", "low reliability")),
    Case(["source", "wire-geneva-january"], lambda: q.source_card(KB, "wire-geneva-january"), ("id", "quote_index"),
         lambda c: quote_keys(c.statements), ("Geneva talks open with familiar demands", "Test Wire", "Statements")),
    Case(["events"], lambda: q.events_overview(KB), ("id",), lambda rows: [(r.id,) for r in rows], ("Alpha's twelve-point plan",)),
    Case(["event", "twelve-point"], lambda: q.event_card(KB, "alpha-twelve-point-plan"), ("event", "id"),
         lambda c: [(c.id, p.id) for p in c.provisions], ("Alpha's twelve-point plan", "Bek dismissed the plan as a non-starter.")),
    Case(["search", "territory", "first"], lambda: search_hits("territory first"), ("kind", "id", "field"),
         lambda hits: [(h.kind, h.id, h.field) for h in hits], ("statement", "settled first")),
    Case(["search", "plan", "--kind", "event", "-k", "rounds"], lambda: search_hits("plan", ["events", "rounds"]), ("kind", "id", "field"),
         lambda hits: [(h.kind, h.id, h.field) for h in hits], ("twelve-point plan",)),
    Case(["timeline", "border zone"], lambda: q.timeline(KB, issue="border-zone"), ("evidence.id", "issue"),
         lambda rows: [(t.evidence.id, t.issue) for t in rows], ("withdrawal → demilitarised", "● first stance")),
    Case(["timeline", "Kingdom of Beta", "--all"], lambda: q.timeline(KB, actor="beta", every=True), ("evidence.id", "issue"),
         lambda rows: [(t.evidence.id, t.issue) for t in rows], ("territory: (no stance)", "withdrawal → demilitarised")),
]


@pytest.fixture(params=CASES, ids=str)
def case(request) -> Case:
    return request.param


# --- every command in every format ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_exits_0(case, fmt):
    result = run(*case.args, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert result.stderr == ""


def test_json_equals_the_library_result(case):
    result = run(*case.args, "--format", "json")
    assert json.loads(result.stdout) == q.to_data(case.result())


def test_yaml_equals_the_library_result(case):
    result = run(*case.args, "-f", "yaml")
    assert YAML(typ="safe", pure=True).load(result.stdout) == q.to_data(case.result())


def test_csv_has_a_header_and_one_row_per_record(case):
    result = run(*case.args, "--format", "csv")
    header, *rows = list(csv.reader(io.StringIO(result.stdout)))
    assert all(column in header for column in case.columns), header
    assert all(len(row) == len(header) for row in rows)  # nothing but the table on stdout
    expected = case.keys(case.result())
    assert len(rows) == len(expected)
    picked = [tuple(row[header.index(c)] for c in case.columns) for row in rows]
    assert picked == expected


def test_positions_csv_has_a_row_for_every_holder_of_the_issue_and_its_sub_issues():
    rows = list(csv.DictReader(io.StringIO(run("positions", "territory", "-f", "csv").stdout)))
    assert len(rows) == sum(len(b.positions) for b in q.positions(KB, "territory")) == 6
    alpha = next(r for r in rows if (r["issue"], r["holder"]) == ("territory", "alpha"))
    assert (alpha["status"], alpha["stances"], alpha["since"]) == ("contested", "no-cession; cession", "2026-01-20; 2026-02-10")
    assert alpha["evidence.id"] == "ad-alvarez-interview-no-cession; ad-alpha-signals-cession"
    gamma = next(r for r in rows if (r["issue"], r["holder"]) == ("territory", "gamma"))
    assert (gamma["status"], gamma["stances"], gamma["since"], gamma["evidence.id"]) == ("unknown", "", "", "")


@pytest.mark.parametrize("case", [c for c in CASES if c.args[0] != "issues"], ids=str)  # the issue tree is a nested list
def test_markdown_has_a_table(case):
    lines = run(*case.args, "--format", "markdown").stdout.splitlines()
    header_rows = [i for i, line in enumerate(lines[:-1]) if re.fullmatch(r"\|.*\|", line) and re.fullmatch(r"\|(---\|)+", lines[i + 1])]
    assert header_rows, "\n".join(lines)
    for i in header_rows:
        assert lines[i].count(" | ") + 1 == lines[i + 1].count("---")


@pytest.mark.parametrize("case", [c for c in CASES if c.headlines], ids=str)
def test_markdown_shows_each_headline(case):
    text = run(*case.args, "--format", "markdown").stdout
    result = case.result()
    blocks = result.positions if isinstance(result, q.IssueCard) else result
    assert blocks
    for block in blocks:
        assert f"**{block.headline.text}**" in text


def test_issues_markdown_is_a_nested_list():
    lines = run("issues", "-f", "markdown").stdout.splitlines()
    assert "- **Territory** (`territory`)" in lines
    assert "  - **Border zone of the territory** (`border-zone`)" in lines
    assert "    - `demilitarised` Demilitarised zone: gamma, beta" in lines or "    - `demilitarised` Demilitarised zone: beta, gamma" in lines


def test_text_without_a_terminal_is_plain_and_shows_the_key_facts(case):
    result = run(*case.args)
    assert result.exit_code == 0
    assert ESCAPE not in result.stdout and ESCAPE not in result.stderr
    shown = flat(result.stdout)
    for fact in case.facts:
        assert flat(fact) in shown, fact


def test_text_shows_the_retracted_statement_nowhere():
    for args in (["round", "geneva-2026-01"], ["statements"], ["actor", "gamma"], ["timeline", "sequencing"], ["positions", "sequencing"]):
        out = flat(run(*args).stdout)
        assert "Gold was said to back" not in out and "Gold took no side" not in out, args


def test_text_headline_is_the_library_headline():
    shown = flat(run("positions", "territory").stdout)
    for block in q.positions(KB, "territory"):
        assert flat(block.headline.text) in shown, block.headline.text


def test_markdown_says_whose_position_a_reported_statement_gives():
    lines = run("round", "abu-dhabi-2026-02", "-f", "markdown").stdout.splitlines()
    [row] = [line for line in lines if "Beta still insists" in line]
    assert "Beta" in row.replace("Beta still insists", "")


# --- the positions table ---------------------------------------------------------------------------


def test_positions_text_wraps_the_evidence_under_its_column():
    result = runner.invoke(app, ["positions", "territory", "--data", str(POSITIONS)], env={"COLUMNS": "90", "NO_COLOR": "1"})
    lines = result.stdout.splitlines()
    assert max(map(len, lines)) <= 90
    at = next(i for i, line in enumerate(lines) if line.split()[:2] == ["holder", "stance"])  # below the title and the headline
    header = lines[at]
    assert header.split() == ["holder", "stance", "since", "latest", "evidence"]
    stance, since, evidence = header.index("stance"), header.index("since"), header.index("latest evidence")
    rest = lines[at + 2 :]
    beta = [lines[at + 1]] + rest[: next(i for i, line in enumerate(rest) if line[:evidence].strip())]
    assert beta[0][:stance] == " Beta".ljust(stance)
    assert beta[0][stance:since].rstrip() == "cession" and beta[0][since:evidence].rstrip() == "2026-03-05"
    for line in beta[1:]:  # continuation lines hang under the evidence column
        assert not line[:evidence].strip() and line[evidence] != " "
    assert flat(" ".join(line[evidence:] for line in beta)) == "Boris Bek, 2026-03-05: Bek demanded that Alpha cede the disputed land. [1]"
    alpha = lines[at + len(beta) + 1 :]
    # one row per stance held, each with since when and its latest evidence
    assert alpha[0].startswith(" Alpha   contested: no-cession  2026-01-20  Ana Álvarez, 2026-02:")
    second = next(line for line in alpha[1:] if line[:evidence].strip())
    assert not second[:stance].strip() and second[stance:].split()[:3] == ["cession", "2026-02-10", "(Alpha),"]


TABLE_HEADER = ["holder", "stance", "since", "latest evidence"]
TABLE_ROWS = [
    [Text("Ukraine"), Text("contested: ", style="bold yellow") + Text("no-cession", style="green"), Text("2026-02"),
     Text("Volodymyr Zelensky, 2026-02: ", style="dim") + Text("“We will not give up our territories”, 和平协议 first, a verylongwordthatmustbefolded") + Text(" [1] (+1 more)", style="dim")],
    [Text(), Text(), Text(), Text("(Ukraine), 2026-02-10: a second statement\non two lines [2]", style="dim")],
    [Text("Organization for Security and Co-operation in Europe", style="dim"), Text("no recorded position", style="dim"), Text(), Text()],
]
SHORT_ROWS = [[Text("Beta"), Text("cession", style="green"), Text("2026-03-05"), Text("Boris Bek, 2026-03-05: ", style="dim") + Text("Cede it. [1]")]]


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("rows, width", [(TABLE_ROWS, 140), (SHORT_ROWS, 60), (SHORT_ROWS, 90), (SHORT_ROWS, 140)], ids=["long-140", "short-60", "short-90", "short-140"])
def test_the_positions_table_prints_what_richs_table_prints(rows, width, color):
    """Laid out by hand for speed, it must look just as rich's Table would where every column fits
    (narrower, rich would crop the first columns; see tests/test_terminal.py for what it does then).
    The short rows make a table narrower than the console."""
    table = Table(box=None, padding=(0, 1), header_style="dim")
    for title in TABLE_HEADER[:-1]:
        table.add_column(title, no_wrap=True)
    table.add_column(TABLE_HEADER[-1], overflow="fold")
    for row in rows:
        table.add_row(*row)

    def printed(renderable: Callable[[Console], object]) -> str:
        console = Console(file=io.StringIO(), width=width, force_terminal=color, color_system="truecolor" if color else None, highlight=False)
        console.print(renderable(console))
        return console.file.getvalue()

    expected = printed(lambda console: table)
    assert printed(lambda console: views.folded_table(console, TABLE_HEADER, rows, keep=(2,))) == expected
    assert (ESCAPE in expected) == color


# --- names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, suggested",
    [
        (["actor", "alpah"], "alpha"),
        (["positions", "boder"], "border-zone"),
        (["issue", "sequensing"], "sequencing"),
        (["timeline", "greta gould"], "greta-gold"),
        (["statements", "--holder", "alvares"], "ana-alvarez"),
    ],
)
def test_an_unknown_name_is_a_usage_error_with_suggestions(args, suggested):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "did you mean" in result.stderr and f"`{suggested}`" in result.stderr
    assert result.stderr.startswith("peacekb: no ") and result.stderr.count("\n") == 1


def test_an_ambiguous_person_is_a_usage_error_listing_the_matches():
    for args in (["actor", "ivan"], ["statements", "--actor", "ivan"], ["timeline", "ivan"]):
        result = run(*args, "-f", "json")
        assert result.exit_code == 2, args
        assert result.stdout == ""
        listed = [line.split()[0] for line in result.stderr.splitlines()[1:]]
        assert listed == ["ivan-petrov", "ivan-sokolov"]
        assert "Ivan Petrov" in result.stderr and "Ivan Sokolov" in result.stderr


def test_an_ambiguous_issue_is_a_usage_error_listing_the_matches():
    result = run("positions", "rritor")
    assert result.exit_code == 2
    assert [line.split()[0] for line in result.stderr.splitlines()[1:]] == ["border-zone", "territory"]


def test_an_ambiguous_round_shows_the_latest_and_names_the_others_on_stderr():
    result = run("round", "geneva")
    assert result.exit_code == 0
    assert "Geneva talks, March 2026" in result.stdout and "geneva-2026-03" in result.stdout
    assert "geneva-2026-01" in result.stderr and "geneva-2026-03" in result.stderr
    assert "Geneva talks, January 2026" not in result.stdout

    as_json = run("round", "geneva", "-f", "json")
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout) == q.to_data(q.round_card(KB, "geneva-2026-03"))
    assert "geneva-2026-01" in as_json.stderr


def test_an_ambiguous_round_as_a_filter_takes_every_round_it_matches():
    result = run("statements", "--round", "geneva", "-f", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["round"] for r in rows} == {"geneva-2026-01", "geneva-2026-03"} and "g3-bek-cession" in {r["id"] for r in rows}
    assert "geneva-2026-01" in result.stderr


def test_an_unknown_round_is_a_usage_error():
    result = run("round", "atlantis")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("peacekb: no round matches `atlantis`")


@pytest.mark.parametrize(
    "args",
    [
        ["positions", "sequencing", "--as-of", "2026-13"],
        ["positions", "sequencing", "--as-of", "yesterday"],
        ["actor", "beta", "--as-of", "2026-02-30"],
        ["issue", "territory", "--as-of", "31/01/2026"],
        ["issues", "--as-of", "2026-03-01/2026-02-01"],
        ["statements", "--since", "sometime"],
        ["statements", "--until", "2026-1-5"],
    ],
)
def test_a_bad_date_is_a_usage_error_with_one_line(args):
    for fmt in ("text", "json"):
        result = run(*args, "-f", fmt)
        assert result.exit_code == 2
        assert result.stdout == ""
        option = next(a for a in args if a.startswith("--"))
        assert result.stderr.startswith(f"peacekb: {option}: ")
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


# --- streams and colour ---------------------------------------------------------------------------


def test_machine_output_stays_plain_even_with_color_always(case):
    for fmt in ("json", "yaml", "csv", "markdown"):
        result = run(*case.args, "-f", fmt, "--color", "always")
        assert ESCAPE not in result.stdout, fmt


def test_color_always_colours_text():
    """So that the checks for no colour below can fail."""
    assert colours(run("positions", "territory", "--color", "always").stdout)


def test_color_never_has_no_escape_codes_even_on_a_terminal(case, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    result = run(*case.args, "--color", "never")
    assert result.exit_code == 0
    assert ESCAPE not in result.stdout and ESCAPE not in result.stderr


def test_no_color_has_no_escape_codes_without_a_terminal(case, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    result = run(*case.args)
    assert ESCAPE not in result.stdout and ESCAPE not in result.stderr


def test_auto_colours_text_on_a_terminal(monkeypatch):
    """So that the check for NO_COLOR below can fail."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert colours(run("positions", "territory").stdout)


def test_no_color_on_a_terminal_has_no_colour(case, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    result = run(*case.args)
    assert colours(result.stdout) == set() and colours(result.stderr) == set()


def test_an_included_retracted_statement_is_marked_as_such():
    args = ("statements", "--text", "gold back settling", "--include-retracted")
    [record] = json.loads(run(*args, "-f", "json").stdout)
    assert record["id"] == "g1-gold-territory-first-retracted"
    assert any("retract" in key and value for key, value in record.items()), record
    assert "retracted" in run(*args).stdout
