"""Text output in a terminal that never hides data: tables fold and wrap instead of cropping,
web addresses stay whole, and what cannot fit is said on stderr (naming `-f csv`).

Run on the bundled knowledge base (data/) and on tests/fixtures/long-names, whose parties and
stances have long names, at the widths people use.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from conftest import FIXTURES
from peacekb import compare, queries
from peacekb.cli import app
from peacekb.loader import load

BUNDLED = Path(__file__).parent.parent / "data"
LONG = FIXTURES / "long-names"
LONG_PARTIES = "government-of-colombia,farc-ep,kingdom-of-norway,republic-of-cuba"
WIDTHS = [60, 80, 100, 120, 200]
runner = CliRunner()


def run(root: Path, *args: str, width: int = 100, env: dict | None = None):
    return runner.invoke(app, [*args, "--data", str(root)], env={"COLUMNS": str(width), "NO_COLOR": "1", **(env or {})})


def pieces(word: str, after: str = "-") -> list[str]:
    """A name as the tables may break it: after each hyphen (a span of dates: after its slash)."""
    return re.findall(rf"[^\s{after}]*{after}+|[^\s{after}]+", word)


def shown_whole(text: str, word: str, after: str = "-") -> bool:
    """Whether ``word`` is in ``text`` on one line, or broken after hyphens (or ``after``) with each
    next piece at the start of a continuation (after spaces) on the following line."""
    parts = pieces(word, after)
    pattern = re.escape(parts[0]) + "".join(rf"(?: |[^\n]*\n[^\n]*?\s)?{re.escape(p)}" for p in parts[1:])
    return re.search(pattern, text) is not None


def assert_fits(text: str, width: int) -> None:
    wide = [line for line in text.splitlines() if cell_len(line.rstrip()) > width and not line.lstrip().startswith("https://")]  # addresses stay whole
    assert not wide, wide[:3]
    assert "…" not in text


MATRICES = [(BUNDLED, ()), (LONG, ("--parties", LONG_PARTIES))]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("root, extra", MATRICES, ids=["bundled", "long-names"])
def test_the_matrix_shows_every_party_and_stance_whole_at_any_width(root, extra, width):
    result = run(root, "matrix", *extra, width=width)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert_fits(text, width)
    m = compare.matrix(load(root).kb, None, None, extra[1].split(",") if extra else None)
    for name in m.party_names:
        assert all(word in text for word in name.split()), name
    for row in m.rows:
        assert re.search(rf"^\s*{re.escape(row.issue)}\s+{row.status}\b", text, re.M), row.issue
        for cell in row.cells:
            for stance in cell.stances:
                assert shown_whole(text, stance), (row.issue, stance)
    assert "-f csv" not in result.stderr  # everything fits from 60 columns up


def test_the_matrix_folds_parties_into_blocks_when_they_do_not_fit_side_by_side():
    wide, narrow = run(BUNDLED, "matrix", width=200).stdout, run(BUNDLED, "matrix", width=80).stdout
    parties = compare.matrix(load(BUNDLED).kb).party_names
    assert "parties 1–" not in wide and all(p in wide.splitlines()[1] for p in parties)  # one block, names on the header line
    # how many blocks depends on the widest stance names of the bundled data; each says "of N"
    blocks = re.findall(r"^part(?:y|ies) [\d–]+ of (\d+)$", narrow, re.M)
    assert len(blocks) >= 2 and set(blocks) == {str(len(parties))}
    assert len(re.findall("^─{40,}$", narrow, re.M)) == len(blocks)  # each block has its header rule


def test_the_matrix_says_on_stderr_when_a_name_has_to_be_cut():
    result = run(LONG, "matrix", "--parties", LONG_PARTIES, width=45)
    assert result.exit_code == 0
    assert "`-f csv`" in result.stderr and "45 columns" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("root, issue", [(BUNDLED, "territory"), (LONG, "political-participation")], ids=["bundled", "long-names"])
def test_positions_keep_the_evidence_and_whole_dates(root, issue, width):
    result = run(root, "positions", issue, "--as-of", "2026-02-25", width=width)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert_fits(text, width)
    blocks = queries.positions(load(root).kb, issue, queries.parse_as_of("2026-02-25"))
    assert text.count("latest evidence") == len(blocks)
    for block in blocks:
        for p in block.positions:
            assert all(word in text for word in p.holder_name.split()), p.holder_name
            for h in p.held:
                assert shown_whole(text, h.stance), h.stance
                since = h.since.replace("../", "by ")
                assert shown_whole(text, since, "/"), since  # never `2013…`
    if width >= 80:
        assert "-f csv" not in result.stderr


def test_positions_that_cannot_fit_say_so_on_stderr_once():
    result = run(LONG, "positions", "political-participation", width=30)
    assert result.exit_code == 0
    assert result.stderr.count("`-f csv`") == 1


# --- web addresses --------------------------------------------------------------------------------

URL = "https://example.org/news/2013/05/26/havana-talks-report-on-the-first-point-of-the-agenda-agrarian-development"


@pytest.mark.parametrize("width", [40, 80])
def test_a_web_address_is_printed_whole_on_its_own_line(width):
    text = run(LONG, "positions", "political-participation", width=width).stdout
    assert f"\n      {URL}\n" in text


def test_a_web_address_is_a_hyperlink_on_a_terminal():
    text = run(LONG, "positions", "political-participation", "--color", "always", env={"NO_COLOR": ""}).stdout
    assert "\x1b]8;id=" in text and f";{URL}\x1b\\" in text


def test_an_address_with_unsafe_characters_is_shown_escaped_and_not_linked():
    from rich.console import Console
    import io

    from peacekb.cli.lines import print_blocks, whole

    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor", width=40)
    print_blocks(console, [(whole("https://example.org/\x1b]8;;evil\x1b\\x", "dim", indent=2), None, 0)])
    out = console.file.getvalue()
    assert "\x1b]8" not in out and "\\x1b" in out


# --- timelines ------------------------------------------------------------------------------------


def test_a_timeline_shows_a_statement_once_for_a_parent_and_a_sub_issue():
    import json

    entries = json.loads(run(BUNDLED, "timeline", "territory", "-f", "json").stdout)
    by_statement: dict[str, list[str]] = {}
    entries = [e for e in entries if "evidence" in e]  # positions' steps; an agreement's status changes have none
    for e in entries:
        by_statement.setdefault(e["evidence"]["id"], []).append(e["issue"])
    ident, issues = next((k, v) for k, v in by_statement.items() if len(set(v)) > 1)  # one statement, a parent and a sub-issue
    # the words shown: the quote chosen for the issue, else the summary
    shown = next((e["evidence"]["quote"] or {}).get("text") or e["evidence"]["summary"] for e in entries if e["evidence"]["id"] == ident)
    text = run(BUNDLED, "timeline", "territory", width=200).stdout
    assert text.count(shown[:60]) == 1
    for issue in issues:
        assert re.search(rf"^[^\n]*[●◆+?×] [^\n]*  {issue}: ", text, re.M), issue


def test_a_timeline_shows_the_changes_and_with_all_every_mention():
    changes = run(FIXTURES / "positions", "timeline", "beta").stdout
    every = run(FIXTURES / "positions", "timeline", "beta", "--all").stdout
    legend = "● first stance"
    body = lambda text: text.split(legend)[0]  # noqa: E731  # the legend names every mark
    assert "(no stance)" not in body(changes) and " │ " not in body(changes)
    assert "(no stance)" in body(every) and " │ " in body(every)
    assert "withdrawal → demilitarised" in body(changes)


# --- help -----------------------------------------------------------------------------------------


def commands() -> list[list[str]]:
    from typer.main import get_command

    root = get_command(app)
    found = []
    for name, cmd in root.commands.items():
        subs = getattr(cmd, "list_commands", None)
        found += [[name, sub] for sub in subs(None)] if subs else [[name]]
    return found


def help_of(args: list[str], width: int | None = None) -> str:
    """The help of a command: through CliRunner (which lays help out at 80 columns), or at another
    width through a real process."""
    if width is None:
        result = runner.invoke(app, [*args, "--help"], prog_name="peacekb")
        assert result.exit_code == 0, result.output
        return result.stdout
    import os
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": str(width), "PYTHONPATH": str(Path(__file__).parent.parent)}
    done = subprocess.run([sys.executable, "-m", "peacekb", *args, "--help"], capture_output=True, text=True, env=env, check=True)
    return done.stdout.replace("python -m peacekb", "peacekb")


@pytest.mark.parametrize("args", [[], *commands()], ids=lambda a: " ".join(a) or "peacekb")
def test_help_reads_like_a_cli(args):
    check_help(args, help_of(args), 80)


@pytest.mark.parametrize("args", [["statements"], ["new", "statement"], ["diff"]], ids=" ".join)
def test_help_wraps_whole_words_on_a_narrow_terminal(args):
    check_help(args, help_of(args, 60), 60)


def check_help(args: list[str], text: str, width: int) -> None:
    from typer.main import get_command
    assert text.startswith(f"Usage: peacekb {' '.join(args)}".rstrip() + " ")
    assert not re.search(r"<(str|bool|int|list|path)|\{|\}", text), text
    lines = text.splitlines()
    assert all(len(line) <= width or len(max(line.split(), key=len)) > width // 2 for line in lines), text  # only a word as wide as a line runs over
    words = set(text.split())
    cmd = get_command(app)
    for name in args:
        cmd = cmd.get_command(None, name)
    for param in cmd.params:
        for word in (param.help or "").split():  # every word of every help text whole on one line
            assert word in words, (param.name, word)
        if param.param_type_name == "option" and not param.is_flag:
            assert re.search(rf"{re.escape(max(param.opts, key=len))} [A-Z][A-Z.\[\]=,|-]*", text), param.opts


def test_help_shows_options_with_their_metavars():
    text = runner.invoke(app, ["statements", "--help"], env={"COLUMNS": "100"}, prog_name="peacekb").stdout
    for shown in ("--actor ACTOR", "--since DATE", "--until DATE", "-f, --format FORMAT", "--color WHEN", "-d, --data DIR", "--include-retracted  "):
        assert shown in text
    assert "Usage: peacekb positions [OPTIONS] ISSUE\n" in runner.invoke(app, ["positions", "--help"], prog_name="peacekb").stdout
    assert "Usage: peacekb diff [OPTIONS] [A] [B]\n" in runner.invoke(app, ["diff", "--help"], prog_name="peacekb").stdout


# --- pipes and colour -----------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGPIPE"), reason="no SIGPIPE")
@pytest.mark.parametrize("args", [["statements", "-f", "csv"], ["statements"], ["matrix", "-f", "json"]], ids=" ".join)
def test_a_closed_pipe_ends_the_command_quietly(args):
    """`peacekb statements -f csv | head -1`: the reader goes before the writer is done."""
    import os
    import signal
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    process = subprocess.Popen([sys.executable, "-m", "peacekb", *args, "--data", str(FIXTURES / "positions")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    process.stdout.close()  # before the command has written anything: its first write finds no reader
    err = process.stderr.read()
    assert process.wait() in (0, -signal.SIGPIPE) and err == b""  # 141 in a shell; never 1, never a traceback


def test_no_color_keeps_bold_and_drops_colour_on_a_terminal_as_the_readme_says(monkeypatch):
    from conftest import SGR, colours

    readme = " ".join((Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8").split())
    assert "With `NO_COLOR` set, a terminal gets no colour, though bold, dim and italic text and links remain" in readme
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = runner.invoke(app, ["matrix", "--data", str(LONG)]).stdout
    monkeypatch.setenv("NO_COLOR", "1")
    plain = runner.invoke(app, ["matrix", "--data", str(LONG)]).stdout
    assert colours(coloured) and not colours(plain)
    assert "1" in {p for params in SGR.findall(plain) for p in params.split(";")}  # bold remains
    assert "\x1b" not in runner.invoke(app, ["matrix", "--data", str(LONG), "--color", "never"]).stdout
    assert colours(runner.invoke(app, ["matrix", "--data", str(LONG), "--color", "always"]).stdout)


# --- shell completion -----------------------------------------------------------------------------


def completions(words: str, cwd: Path | None = None, monkeypatch=None) -> list[str]:
    """What bash completion offers for the last of ``words`` (a trailing space: a new word)."""
    parts = words.split(" ")
    result = runner.invoke(app, [], prog_name="peacekb", env={"_PEACEKB_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)})
    assert result.exit_code == 0, result.output
    return result.stdout.split()


@pytest.fixture
def in_fixture(monkeypatch, tmp_path):
    """Completion finds the knowledge base from the current directory (a `data` folder here or
    above), and loads none of it."""
    import shutil

    import peacekb.cache
    import peacekb.loader

    def refuse(*args, **kwargs):
        raise AssertionError("completion loaded the knowledge base")

    monkeypatch.setattr(peacekb.loader, "load", refuse)
    monkeypatch.setattr(peacekb.cache, "load_for_reading", refuse)
    monkeypatch.delenv("PEACEKB_DATA", raising=False)
    shutil.copytree(FIXTURES / "positions", tmp_path / "data")
    (tmp_path / "data" / "actors" / "notes.txt").write_text("not a record\n", encoding="utf-8")
    (tmp_path / "below").mkdir()
    monkeypatch.chdir(tmp_path / "below")


@pytest.mark.parametrize("words, expected", [
    ("peacekb positions ", ["border-zone", "sequencing", "territory"]),
    ("peacekb positions ter", ["territory"]),
    ("peacekb actor ana", ["ana-alvarez"]),
    ("peacekb round gen", ["geneva-2026-01", "geneva-2026-03"]),
    ("peacekb timeline b", ["border-zone", "beta", "boris-bek"]),
    ("peacekb statements --holder gr", ["greta-gold"]),
    ("peacekb matrix --issues s", ["sequencing"]),
    ("peacekb diff alpha be", ["beta"]),
    ("peacekb rename issue b", ["border-zone"]),
    ("peacekb new statement --speaker iv", ["ivan-petrov", "ivan-sokolov"]),
    ("peacekb new statement --stance territory=", ["territory=no-cession", "territory=cession"]),
    ("peacekb new statement --stance seq", ["sequencing="]),
    ("peacekb pos", ["positions"]),
])
def test_completion_offers_the_ids_of_the_knowledge_base_found_from_here(in_fixture, words, expected):
    assert completions(words) == expected


def test_completion_takes_the_knowledge_base_from_data_when_given(in_fixture):
    assert completions(f"peacekb positions --data {LONG} pol") == ["political-participation"]


def test_completion_outside_a_knowledge_base_offers_no_ids(monkeypatch, tmp_path):
    monkeypatch.delenv("PEACEKB_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    assert completions("peacekb positions ") == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_the_script_for_each_shell(shell, monkeypatch):
    # typer's own switch for tests: the shell is the value given, not detected from the parent
    # processes (a test worker has no shell above it to detect)
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = runner.invoke(app, ["--show-completion", shell], prog_name="peacekb")
    assert result.exit_code == 0, (result.output, repr(result.exception))
    assert "_PEACEKB_COMPLETE" in result.stdout


# --- names and dates ------------------------------------------------------------------------------

POSITIONS = FIXTURES / "positions"


def json_of(root: Path, *args: str):
    import json

    result = run(root, *args, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("args", [["positions", "sequencing"], ["actor", "beta"], ["issues"], ["issue", "territory"], ["matrix"], ["diff", "alpha", "beta"]], ids=" ".join)
def test_as_of_takes_a_round_as_the_day_it_ended(args):
    """geneva-2026-01 was held on 2026-01-20 and 21."""
    assert json_of(POSITIONS, *args, "--as-of", "geneva-2026-01") == json_of(POSITIONS, *args, "--as-of", "2026-01-21")
    assert json_of(POSITIONS, *args, "--as-of", "geneva-2026-01") != json_of(POSITIONS, *args, "--as-of", "2026-01-19") or args == ["issues"]


def test_since_and_until_take_a_round_as_its_first_and_last_day():
    by_round = json_of(POSITIONS, "statements", "--since", "geneva-2026-01", "--until", "geneva-2026-01")
    assert by_round == json_of(POSITIONS, "statements", "--since", "2026-01-20", "--until", "2026-01-21")
    assert by_round and {e["id"] for e in by_round} != {e["id"] for e in json_of(POSITIONS, "statements")}


def test_a_bad_date_or_an_unknown_round_is_a_usage_error():
    for value in ("2026-13", "nowhere-2030"):
        result = run(POSITIONS, "positions", "sequencing", "--as-of", value)
        assert result.exit_code == 2 and "Traceback" not in result.output


def test_statements_of_a_round_name_are_those_of_every_round_it_matches():
    both = json_of(POSITIONS, "statements", "--round", "geneva")
    each = json_of(POSITIONS, "statements", "--round", "geneva-2026-01") + json_of(POSITIONS, "statements", "--round", "geneva-2026-03")
    assert sorted(e["id"] for e in both) == sorted(e["id"] for e in each) and {e["round"] for e in both} == {"geneva-2026-01", "geneva-2026-03"}
    note = run(POSITIONS, "statements", "--round", "geneva").stderr
    assert "geneva-2026-01" in note and "geneva-2026-03" in note


@pytest.mark.parametrize("day, expected", [("2026-01-20", "geneva-2026-01"), ("2026-01-21", "geneva-2026-01"), ("2026-03-05", "geneva-2026-03")])
def test_a_round_is_found_by_a_date_it_covers(day, expected):
    assert json_of(POSITIONS, "round", day)["id"] == expected


def test_a_date_no_round_covers_is_a_usage_error():
    assert run(POSITIONS, "round", "1999-01-01").exit_code == 2


def test_an_id_starting_with_the_word_ranks_above_a_round_held_there():
    """cuba-2014-02 is later and was held in Havana too."""
    assert json_of(LONG, "round", "havana")["id"] == "havana-2013-05"
    assert json_of(LONG, "round", "cuba")["id"] == "cuba-2014-02"


def test_names_sort_by_their_folded_form():
    people = [a["name"] for a in json_of(LONG, "actors") if a["kind"] == "person"]
    assert people == ["Álvaro Leyva", "Humberto de la Calle", "Iván Márquez"]


def test_an_actor_as_of_a_date_shows_only_what_was_known_then():
    now, then = json_of(POSITIONS, "actor", "ana-alvarez"), json_of(POSITIONS, "actor", "ana-alvarez", "--as-of", "2025-06")
    assert [(r["title"], r["end"]) for r in now["roles"]] == [("Foreign Minister", "2026-01-31"), ("Special Envoy", None)]
    assert [(r["title"], r["end"]) for r in then["roles"]] == [("Foreign Minister", None)]  # still in office then
    assert now["rounds"] and now["statements"] and then["rounds"] == [] and then["statements"] == [] and then["positions"] == []
    middle = json_of(POSITIONS, "actor", "ana-alvarez", "--as-of", "2026-01-31")
    assert [r["id"] for r in middle["rounds"]] == ["geneva-2026-01"]
    assert all(e["date"] <= "2026-01-31" for e in middle["statements"])
    text = run(POSITIONS, "actor", "ana-alvarez", "--as-of", "2025-06").stdout
    assert "since 2024-03-01" in text and "Special Envoy" not in text and "2026-01-31" not in text


@pytest.mark.parametrize("words, expected", [("peacekb source wire-geneva-", ["wire-geneva-january", "wire-geneva-march"]), ("peacekb event alpha", ["alpha-twelve-point-plan"])])
def test_completion_offers_sources_and_events(in_fixture, words, expected):
    assert completions(words) == expected
