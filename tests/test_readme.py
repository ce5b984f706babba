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
