"""What a knowledge base started with `peacekb init` gets: its CI workflow's commands, run in
order as GitHub Actions runs them, against the peacekb wheel built from this checkout and
installed only as the knowledge base's own files say (`requirements.txt`).

The steps that `uses:` an action (checkout, setup-python) are what a runner provides: a git clone
with the base branch as `origin/main`, and a fresh Python environment on the PATH. Every `run:`
step is run with bash as GitHub runs it (`-eo pipefail`), with its `env:` and its `if:` evaluated
from the outcomes of the steps before it, and its own job summary file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from conftest import git
from peacekb import __version__
from peacekb.cli import app

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]  # the wheel is built once

RUNNER_ACTIONS = {"actions/checkout", "actions/setup-python"}


@pytest.fixture(scope="module")
def wheel(checkout, tmp_path_factory) -> Path:
    """`python -m build` from a clean checkout: the sdist, then the wheel built from the sdist."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(checkout)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (found,) = out.glob(f"peacekb-{__version__}-py3-none-any.whl")
    assert len(list(out.glob(f"peacekb-{__version__}.tar.gz"))) == 1
    return found


@pytest.fixture(scope="module")
def python_env(tmp_path_factory) -> Path:
    """A fresh Python environment, as setup-python leaves the runner: nothing but pip in it."""
    env = tmp_path_factory.mktemp("runner") / "python"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True, capture_output=True)
    return env / "bin"


@dataclass
class Step:
    name: str
    outcome: str  # success | failure | skipped
    stdout: str = ""
    stderr: str = ""
    summary: str = ""


def condition(expression: str, outcomes: dict[str, str], event: str) -> bool:
    """A step's `if:`, for the expressions these workflows use: `!cancelled()`, `&&`,
    `steps.ID.outcome == '...'`, `github.event_name == '...'`."""
    text = expression.strip()
    if text.startswith("${{"):
        assert text.endswith("}}"), expression
        text = text[3:-2].strip()
    assert "always()" not in text and "||" not in text, expression
    text = text.replace("!cancelled()", "True").replace("&&", " and ")
    text = re.sub(r"steps\.([\w-]+)\.outcome", lambda m: repr(outcomes[m[1]]), text)
    text = text.replace("github.event_name", repr(event))
    assert re.fullmatch(r"(\s|True|and|'[\w-]*'|==)*", text), f"not understood: {expression}"
    return bool(eval(text, {"__builtins__": {}}))  # only the tokens matched above


def run_job(workflow: Path, repo: Path, path: Path, event: str, github: dict[str, str]) -> list[Step]:
    (job,) = YAML(typ="safe").load(workflow.read_text(encoding="utf-8"))["jobs"].values()
    outcomes: dict[str, str] = {}
    steps: list[Step] = []
    for number, step in enumerate(job["steps"]):
        if "uses" in step:
            assert step["uses"].split("@")[0] in RUNNER_ACTIONS, step["uses"]
            continue
        name = step.get("name", step["run"])
        wanted = condition(step["if"], outcomes, event) if "if" in step else all(s.outcome != "failure" for s in steps)
        if not wanted:
            steps.append(Step(name, "skipped"))
            outcomes[step.get("id", "")] = "skipped"
            continue
        summary = repo.parent / f"summary-{number}.md"
        env = {**os.environ, "PATH": f"{path}{os.pathsep}{os.environ['PATH']}", "GITHUB_ACTIONS": "true",
               "GITHUB_STEP_SUMMARY": str(summary), "CI": "true"}
        for key, value in step.get("env", {}).items():
            env[key] = re.sub(r"\$\{\{\s*github\.(\w+)\s*\}\}", lambda m: github[m[1]], str(value))
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=900)
        outcome = "success" if done.returncode == 0 else "failure"
        steps.append(Step(name, outcome, done.stdout, done.stderr, summary.read_text(encoding="utf-8") if summary.exists() else ""))
        outcomes[step.get("id", "")] = outcome
    return steps


def pull_request(tmp_path: Path, spec: str, change) -> Path:
    """A knowledge base from init on `main`, cloned as a runner clones it, with a pull request's
    commit checked out; ``change`` edits the clone's files."""
    upstream = tmp_path / "upstream"
    result = CliRunner().invoke(app, ["init", str(upstream), "--name", "Example", "--peacekb", spec])
    assert result.exit_code == 0, result.output
    git(upstream, "init", "-q", "-b", "main")
    git(upstream, "add", "-A")
    git(upstream, "commit", "-qm", "a new knowledge base")
    clone = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(upstream), str(clone))
    git(clone, "checkout", "-q", "-b", "change")
    change(clone)
    git(clone, "add", "-A")
    git(clone, "commit", "-qm", "the pull request", "--allow-empty")
    return clone


def add_actor(kb: Path) -> None:
    (kb / "data" / "actors" / "example-mediator.yaml").write_text("id: example-mediator\nname: Example Mediator\nkind: organisation\n", encoding="utf-8")


def misspell_speaker(kb: Path) -> None:
    path = kb / "data" / "rounds" / "example-round.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("speaker: example-negotiator", "speaker: example-negotiater"), encoding="utf-8")


def by_name(steps: list[Step]) -> dict[str, Step]:
    return {s.name: s for s in steps}


def test_the_wheel_holds_the_package_and_its_metadata(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "peacekb/scaffold.py" in names and "peacekb/schema.py" in names and "peacekb/cli/app.py" in names
    metadata = zipfile.ZipFile(wheel).read(f"peacekb-{__version__}.dist-info/METADATA").decode()
    assert "Project-URL: Repository, https://github.com/peacekb/peacekb" in metadata
    assert not [n for n in names if n.startswith(("tests/", "data/"))]


def test_a_new_knowledge_base_passes_its_own_ci_on_its_first_pull_request(tmp_path, wheel, python_env):
    kb = pull_request(tmp_path, str(wheel), add_actor)
    assert (kb / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1] == str(wheel)
    steps = run_job(kb / ".github" / "workflows" / "data.yml", kb, python_env, "pull_request", {"base_ref": "main"})
    failed = [(s.name, s.stdout[-2000:], s.stderr[-2000:]) for s in steps if s.outcome != "success"]
    assert not failed
    step = by_name(steps)
    assert [s.name for s in steps] == ["Install peacekb", "Validate the knowledge base", "Check the editor schemas are current",
                                      "Check the files are canonically laid out", "Summarise the changes in meaning"]
    assert "peacekb: 7 files checked, 0 errors, 0 warnings" in step["Validate the knowledge base"].stderr
    assert "### peacekb validate: 0 errors, 0 warnings" in step["Validate the knowledge base"].summary
    summary = step["Summarise the changes in meaning"].summary
    assert summary.startswith("## Changes in meaning: `origin/main` → `HEAD`") and "| added | actor | `example-mediator` |" in summary

    # the peacekb that the knowledge base installed starts the same knowledge base as this checkout
    again = tmp_path / "again"
    subprocess.run([str(python_env / "peacekb"), "init", str(again), "--name", "Example", "--peacekb", str(wheel)], check=True, capture_output=True)
    made = sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert made == sorted(p.relative_to(kb) for p in kb.rglob("*") if p.is_file() and ".git" not in p.parts and p.name != "example-mediator.yaml")
    assert all((again / p).read_bytes() == (tmp_path / "upstream" / p).read_bytes() for p in made)


def test_a_planted_error_fails_the_check_with_its_place_and_the_later_checks_still_run(tmp_path, wheel, python_env):
    kb = pull_request(tmp_path, str(wheel), misspell_speaker)
    steps = by_name(run_job(kb / ".github" / "workflows" / "data.yml", kb, python_env, "pull_request", {"base_ref": "main"}))
    validate = steps["Validate the knowledge base"]
    assert validate.outcome == "failure"
    line = next(i for i, text in enumerate((kb / "data/rounds/example-round.yaml").read_text(encoding="utf-8").splitlines(), 1) if "example-negotiater" in text)
    assert f"::error file=data/rounds/example-round.yaml,line={line},col=14,title=peacekb unknown-actor::no actor `example-negotiater` in actors/; did you mean `example-negotiator`" in validate.stdout, validate.stdout
    assert "1 errors" in validate.summary
    assert [steps[n].outcome for n in ("Check the editor schemas are current", "Check the files are canonically laid out", "Summarise the changes in meaning")] == ["success"] * 3
    assert "> **Warning:**" in steps["Summarise the changes in meaning"].summary


def test_when_the_install_fails_no_check_runs(tmp_path, wheel, python_env):
    kb = pull_request(tmp_path, str(tmp_path / "no-such-peacekb.whl"), lambda kb: None)
    steps = run_job(kb / ".github" / "workflows" / "data.yml", kb, python_env, "push", {"base_ref": ""})
    assert [(s.name, s.outcome) for s in steps] == [
        ("Install peacekb", "failure"), ("Validate the knowledge base", "skipped"), ("Check the editor schemas are current", "skipped"),
        ("Check the files are canonically laid out", "skipped"), ("Summarise the changes in meaning", "skipped")]
