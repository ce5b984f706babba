"""peacekb init: a new knowledge base that starts clean, and never overwrites anything."""

from __future__ import annotations

import json

from typer.testing import CliRunner

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
