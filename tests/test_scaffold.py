"""peacekb init: a new knowledge base that starts clean, and never overwrites anything."""

from __future__ import annotations

import json

import pytest

from typer.testing import CliRunner

from peacekb import REPOSITORY, __version__
from peacekb.cli import app
from peacekb.loader import load
from peacekb.schema import files

runner = CliRunner()


def test_init_creates_a_knowledge_base_that_validates_clean(tmp_path):
    target = tmp_path / "process"
    result = runner.invoke(app, ["init", str(target), "--name", "Example process"])
    assert result.exit_code == 0, result.output
    loaded = load(target / "data")
    assert loaded.problems == []
    assert set(loaded.kb.rounds) == {"example-round"} and loaded.kb.statements
    assert "# Example process" in (target / "README.md").read_text(encoding="utf-8")
    for name, text in files().items():
        assert (target / "schemas" / name).read_text(encoding="utf-8") == text
    settings = json.loads((target / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["./schemas/round.schema.json"] == "data/rounds/*.yaml"
    assert (target / ".github" / "workflows" / "data.yml").exists() and (target / ".pre-commit-config.yaml").exists()


def test_init_refuses_to_overwrite_anything(tmp_path):
    target = tmp_path / "process"
    (target / "data" / "actors").mkdir(parents=True)
    mine = target / "README.md"
    mine.write_text("mine\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 2 and "README.md" in result.output
    assert mine.read_text(encoding="utf-8") == "mine\n"
    assert list((target / "data" / "actors").iterdir()) == []


def _requirement(target) -> str:
    lines = (target / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if line and not line.startswith("#"))


def test_a_new_knowledge_base_installs_peacekb_from_this_repository_at_this_version(tmp_path):
    target = tmp_path / "process"
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    assert _requirement(target) == f"peacekb @ git+{REPOSITORY}@v{__version__}"
    workflow = (target / ".github" / "workflows" / "data.yml").read_text(encoding="utf-8")
    readme = (target / "README.md").read_text(encoding="utf-8")
    assert "run: pip install -r requirements.txt" in workflow and "pip install -r requirements.txt`" in readme
    assert "peacekb ==" not in workflow + readme and "pip install peacekb" not in workflow + readme
    hooks = (target / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert f"repo: {REPOSITORY}\n    rev: v{__version__}\n" in hooks and "language: system" not in hooks


@pytest.mark.parametrize(("spec", "repo", "rev"), [
    ("peacekb==0.2.0", REPOSITORY, f"v{__version__}"),
    ("/srv/wheels/peacekb-0.2.0-py3-none-any.whl", REPOSITORY, f"v{__version__}"),
    ("peacekb @ git+https://example.org/fork/peacekb@v9.1", "https://example.org/fork/peacekb", "v9.1"),
    ("peacekb @ git+https://example.org/fork/peacekb", REPOSITORY, f"v{__version__}"),
])
def test_init_peacekb_names_another_install_source(tmp_path, spec, repo, rev):
    target = tmp_path / "process"
    result = runner.invoke(app, ["init", str(target), "--peacekb", spec])
    assert result.exit_code == 0, result.output
    assert _requirement(target) == spec
    hooks = (target / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert f"repo: {repo}\n    rev: {rev}\n" in hooks


@pytest.mark.parametrize(("spec", "why"), [
    ("", "empty"),
    ("peacekb\n--index-url https://evil.example", "one line"),
    ("--index-url https://evil.example", "pip option"),
])
def test_init_refuses_a_spec_that_is_not_one_requirement(tmp_path, spec, why):
    target = tmp_path / "process"
    result = runner.invoke(app, ["init", str(target), "--peacekb", spec])
    assert result.exit_code == 2 and why in result.stderr
    assert not target.exists()


def test_the_repository_address_and_version_are_named_once():
    import tomllib
    from pathlib import Path

    root = Path(__file__).parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["urls"]["Repository"] == REPOSITORY
    assert project["dynamic"] == ["version"] and "version" not in project
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{__version__}] - " in changelog and "## [Unreleased]" in changelog
    assert f"[{__version__}]: {REPOSITORY}/releases/tag/v{__version__}" in changelog
