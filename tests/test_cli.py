"""The `peacekb` command, through typer's CliRunner (and a real subprocess where the process matters)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import ESCAPE, INVALID, SGR, VALID, colours, write_kb
from peacekb import __version__
from peacekb.cli import app
from peacekb.cli.report import github_annotation
from peacekb.loader import load
from peacekb.problems import Problem

runner = CliRunner()
LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning) (?P<code>[a-z0-9-]+): (?P<message>.+)$")
ANNOTATION = re.compile(r"^::(?P<severity>error|warning) file=(?P<file>[^,]*),line=(?P<line>\d+),col=(?P<col>\d+),title=(?P<title>[^:]*)::(?P<message>.*)$")




def run(*args: str, **kwargs):
    return runner.invoke(app, ["validate", *args], **kwargs)




# --- exit codes ------------------------------------------------------------------------------------


def test_clean_knowledge_base_exits_0_and_prints_nothing_on_stdout():
    result = run("--data", str(VALID))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    files = len(list(VALID.glob("*/*.yaml")))
    assert result.stderr == f"✓ {files} files checked in {VALID}: no problems\n"


def test_errors_exit_1():
    root = INVALID / "references"
    result = run("--data", str(root))
    assert result.exit_code == 1
    assert "error unknown-actor" in result.stdout
    errors = load(root).errors
    assert errors > 1
    assert result.stderr.startswith("✗") and f"{errors} errors" in result.stderr and "warning" not in result.stderr


def test_warnings_alone_exit_0_and_1_with_strict():
    root = str(INVALID / "warnings")
    relaxed = run("--data", root)
    assert relaxed.exit_code == 0
    assert relaxed.stdout.count(": warning ") == 7
    assert "7 warnings" in relaxed.stderr and "error" not in relaxed.stderr
    assert run("--data", root, "--strict").exit_code == 1


def test_strict_on_a_clean_knowledge_base_exits_0():
    assert run("--data", str(VALID), "--strict").exit_code == 0


def test_a_bad_format_is_a_usage_error():
    result = run("--data", str(VALID), "--format", "yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--format" in result.stderr and "yaml" in result.stderr


def test_a_missing_data_folder_is_a_usage_error_with_one_line(tmp_path):
    result = run("--data", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"peacekb: --data {tmp_path / 'nope'}: no such folder\n"


def test_no_knowledge_base_found_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run()
    assert result.exit_code == 2
    assert result.stderr.startswith("peacekb: no knowledge base found here") and result.stderr.count("\n") == 1


def test_the_environment_and_the_nearest_data_folder_are_used(tmp_path, monkeypatch):
    shutil.copytree(INVALID / "warnings", tmp_path / "project" / "data")
    nested = tmp_path / "project" / "docs"
    nested.mkdir()
    monkeypatch.chdir(nested)
    walked = run("--format", "json")
    assert walked.exit_code == 0
    assert json.loads(walked.stdout)["problems"][0]["file"] == os.path.join("..", "data", "actors", "notes.yml")

    monkeypatch.setenv("PEACEKB_DATA", str(INVALID / "references"))
    assert run().exit_code == 1


# --- formats ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", [VALID, INVALID / "fields", INVALID / "warnings", INVALID / "syntax"])
def test_json_output_equals_the_library_result(case):
    result = run("--data", str(case), "--format", "json")
    assert json.loads(result.stdout) == load(case).to_dict()
    assert result.stderr == ""


def test_text_output_without_a_terminal_is_one_plain_line_per_problem():
    root = INVALID / "fields"
    result = run("--data", str(root))
    expected = load(root).problems
    lines = result.stdout.splitlines()
    assert ESCAPE not in result.stdout and ESCAPE not in result.stderr
    assert lines == [str(p) for p in expected]
    for line in lines:
        assert LINE.match(line), line


def test_text_is_the_default_format_outside_github_actions(monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    result = run("--data", str(INVALID / "tree"))
    assert result.stdout.splitlines() == [str(p) for p in load(INVALID / "tree").problems]


def test_auto_picks_github_inside_github_actions(monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run("--data", str(INVALID / "tree"))
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and all(ANNOTATION.match(line) for line in lines)
    assert result.exit_code == 1
    # an explicit format still wins
    assert run("--data", str(INVALID / "tree"), "--format", "text").stdout.startswith(str(INVALID / "tree"))


def test_github_annotations_one_per_problem():
    root = INVALID / "warnings"
    result = run("--data", str(root), "--format", "github")
    problems = load(root).problems
    lines = result.stdout.splitlines()
    assert len(lines) == len(problems)
    for line, p in zip(lines, problems):
        m = ANNOTATION.match(line)
        assert m, line
        assert (m["severity"], m["line"], m["col"]) == (p.severity, str(p.line), str(p.column))
        assert m["title"] == f"peacekb {p.code}"
    assert result.stderr == "peacekb: 7 files checked, 0 errors, 7 warnings, 0 notes\n"


def test_github_escaping_of_data_and_properties():
    p = Problem("data/a:b,c%d.yaml", 3, 7, "unknown-field", "50% done\nnext: line, then\rend")
    assert github_annotation(p) == (
        "::error file=data/a%3Ab%2Cc%25d.yaml,line=3,col=7,title=peacekb unknown-field::50%25 done%0Anext: line, then%0Dend"
    )


def test_github_escaping_end_to_end(tmp_path):
    root = write_kb(tmp_path / "a:b,c%", {"actors/x.yaml": 'id: x\nname: X\nkind: "100%\\nperson"\n'})
    result = run("--data", str(root), "--format", "github")
    [line] = result.stdout.splitlines()
    m = ANNOTATION.match(line)
    assert m, line
    assert m["file"] == str(root / "actors" / "x.yaml").replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    # the value's newline is written as an escape, so the message stays on one line
    assert "`100%25\\nperson`" in m["message"]
    assert (m["line"], m["col"]) == ("3", "7")


# --- colour ----------------------------------------------------------------------------------------


def test_color_always_colours_even_without_a_terminal():
    result = run("--data", str(INVALID / "warnings"), "--color", "always")
    assert colours(result.stdout)
    # the plain text is still there under the styles
    assert "stray-file" in SGR.sub("", result.stdout)


def test_color_always_overrides_no_color(monkeypatch):
    """no-color.org: an explicit command-line choice beats NO_COLOR."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert colours(run("--data", str(INVALID / "warnings"), "--color", "always").stdout)


def test_no_color_disables_colour_in_auto_mode_on_a_terminal(monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich then treats the output as a terminal
    on_terminal = run("--data", str(INVALID / "warnings"))
    assert colours(on_terminal.stdout), "auto mode on a terminal colours"
    monkeypatch.setenv("NO_COLOR", "1")
    result = run("--data", str(INVALID / "warnings"))
    assert colours(result.stdout) == set()
    assert colours(result.stderr) == set()
    assert result.exit_code == 0


def test_color_never_on_a_terminal_has_no_colour(monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    result = run("--data", str(INVALID / "warnings"), "--color", "never")
    assert colours(result.stdout) == set() and colours(result.stderr) == set()


def test_an_empty_no_color_does_not_disable_colour(monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "")
    assert colours(run("--data", str(INVALID / "warnings")).stdout)


# --- text rendering of awkward messages ------------------------------------------------------------


def test_markup_in_messages_is_printed_as_written(tmp_path):
    root = write_kb(tmp_path / "kb", {"actors/x.yaml": 'id: x\nname: X\nkind: state\n"[bold]x[/]": 1\n'})
    result = run("--data", str(root))
    assert result.stdout.splitlines() == [str(p) for p in load(root).problems]
    assert "`[bold]x[/]`" in result.stdout


def test_emoji_codes_in_messages_are_printed_as_written(tmp_path):
    root = write_kb(tmp_path / "kb", {"actors/x.yaml": 'id: x\nname: X\nkind: state\n":thumbs_up:": 1\n'})
    result = run("--data", str(root))
    assert result.stdout.splitlines() == [str(p) for p in load(root).problems]


def test_each_problem_stays_on_one_line_in_text_output(tmp_path):
    root = write_kb(tmp_path / "kb", {"actors/x.yaml": 'id: x\nname: X\nkind: "sta\\nte"\n'})
    result = run("--data", str(root))
    assert len(load(root).problems) == 1
    assert len(result.stdout.splitlines()) == 1


# --- version, help, the module entry point ---------------------------------------------------------


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"peacekb {__version__}\n"


def test_python_m_peacekb_help():
    out = subprocess.run([sys.executable, "-m", "peacekb", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert "validate" in out.stdout and "Usage" in out.stdout


def test_validate_help_documents_the_options():
    result = runner.invoke(app, ["validate", "--help"])
    assert result.exit_code == 0
    for option in ("--data", "--format", "--strict", "--color"):
        assert option in result.stdout


def test_python_m_peacekb_validate_exit_code_and_streams():
    out = subprocess.run(
        [sys.executable, "-m", "peacekb", "validate", "--data", str(INVALID / "tree"), "--color", "auto"],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "GITHUB_ACTIONS", "NO_COLOR")},
    )
    assert out.returncode == 1
    assert out.stdout.splitlines() == [str(p) for p in load(INVALID / "tree").problems]
    assert ESCAPE not in out.stdout + out.stderr


def test_an_internal_error_exits_3_with_one_line(monkeypatch, capsys):
    from peacekb.cli import main

    def boom(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr("peacekb.loader.assemble", boom)
    monkeypatch.setattr(sys, "argv", ["peacekb", "validate", "--data", str(VALID)])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: RuntimeError: boom" in err and "Traceback" not in err

    monkeypatch.setenv("PEACEKB_DEBUG", "1")
    with pytest.raises(RuntimeError, match="boom"):
        main()


# --- no input crashes the command ------------------------------------------------------------------


def _bad_inputs(tmp_path):
    """Every invalid fixture, and the awkward files made at run time."""
    yield from sorted(p for p in INVALID.iterdir() if p.is_dir())
    odd = write_kb(
        tmp_path / "odd",
        {
            "actors/latin-1.yaml": b"id: caf\xe9\n",
            "actors/control.yaml": b"id: x\x00\n",
            "actors/bom.yaml": "\ufeffid: bom\nname: B\nkind: state\n".encode(),
            "actors/keys.yaml": "id: keys\nname: K\nkind: state\n1: one\n? [a, b]\n: c\n",
            "issues/deep.yaml": "id: deep\ntitle: " + "[" * 100 + "]" * 100 + "\n",
            "rounds/weird.yaml": "id: weird\ntitle: W\nstart: 2026-02-30\nend: 1e999\nstatements: [1, [], ~, {}]\n",
        },
    )
    (odd / "actors" / "dir.yaml").mkdir()
    yield odd


def test_no_input_produces_a_traceback(tmp_path):
    for root in _bad_inputs(tmp_path):
        for fmt in ("text", "json", "github"):
            result = run("--data", str(root), "--format", fmt)
            assert result.exception is None or isinstance(result.exception, SystemExit), (root, fmt, result.exception)
            assert "Traceback" not in result.output
            assert result.exit_code in (0, 1), (root, fmt, result.output)
            assert "internal-error" not in result.output, (root, fmt, result.output)


def test_github_format_caps_annotations_and_writes_the_full_report_to_the_job_summary(tmp_path, monkeypatch):
    files = {f"actors/a{i}.yaml": f"id: a{i}\nname: A\nkind: persn\n" for i in range(13)}
    root = write_kb(tmp_path / "kb", files)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run("--data", str(root), "--format", "github")
    lines = result.stdout.splitlines()
    assert result.exit_code == 1
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert lines[-1].startswith("::notice ") and "3 more problems" in lines[-1] and "job summary" in lines[-1]
    report = summary.read_text(encoding="utf-8")
    assert "13 errors" in report and report.count("`invalid-value`") == 13


def test_a_command_that_reads_runs_without_the_cycle_collector_and_leaves_it_on(monkeypatch):
    """The collector would only walk what a reading command builds; run from Python, the command
    leaves it as it found it."""
    import gc

    from peacekb import queries

    seen = []
    real = queries.actors_overview
    monkeypatch.setattr(queries, "actors_overview", lambda *args, **kwargs: seen.append(gc.isenabled()) or real(*args, **kwargs))
    assert gc.isenabled()
    result = runner.invoke(app, ["actors", "--data", str(VALID), "-f", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)
    assert seen == [False] and gc.isenabled()
