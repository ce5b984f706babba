"""README is documentation people rely on: it must list every problem code and the real commands."""

from pathlib import Path

from peacekb.problems import CODES

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_problem_code_is_documented():
    missing = [code for code in CODES if f"| `{code}` |" not in README]
    assert not missing, f"README lacks rows for: {missing}"


def test_documented_codes_exist():
    rows = [line.split("`")[1] for line in README.splitlines() if line.startswith("| `") and ("| error |" in line or "| warning |" in line)]
    assert set(rows) <= set(CODES)


def test_ci_runs_the_readme_test_command():
    import re

    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"^\.venv/bin/python -m pytest .*$", README, re.M)
    assert len(commands) == 2, commands
    full, quick = commands
    assert "-n auto" in full and "not slow" not in full and full in ci.splitlines()
    assert quick == full.replace("--dist loadgroup", '-m "not slow"')


def test_every_command_is_documented():
    from peacekb.cli.app import app

    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    missing = [n for n in names if f"peacekb {n}" not in README]
    assert not missing, f"README does not document: {missing}"


def test_the_contributor_section_shows_new_for_each_kind_and_rename():
    from peacekb.cli.new_commands import TOP, nested_commands

    section = README[README.index("## Contributing through pull requests"):README.index("## Running on untrusted pull requests")]
    missing = [kind for kind in [*TOP, "statement"] if f"$ peacekb new {kind} " not in section]
    missing += [f"new {kind}" for kind in nested_commands() if f"new {kind} " not in section]
    assert not missing, f"the contributor section shows no: {missing}"
    assert "$ peacekb rename " in section
