"""diff --rev: changes in meaning between git revisions of a knowledge base."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import VALID, git
from peacekb.cli import app

runner = CliRunner()
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@pytest.fixture
def repo(tmp_path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(VALID, root / "data")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


def diff(repo: Path, *args: str):
    return runner.invoke(app, ["diff", "--data", str(repo / "data"), "-f", "json", *args])


def test_formatting_and_comments_are_not_changes_in_meaning(repo):
    path = repo / "data" / "issues" / "sequencing.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text("# a new comment\n" + text.replace("\n", "\n\n", 3), encoding="utf-8")
    result = diff(repo, "--rev", "HEAD")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"base": "HEAD", "head": "working tree", "records": [], "positions": [], "warnings": []}


def test_a_new_statement_a_changed_field_and_a_moved_position_are_reported(repo):
    round_file = repo / "data" / "rounds" / "geneva-2026-02.yaml"
    round_file.write_text(round_file.read_text(encoding="utf-8").rstrip("\n") + """
  - id: geneva-2026-02-ukraine-later
    date: 2026-03-01
    party: ukraine
    attribution: paraphrase
    issues: [sequencing]
    stances: {sequencing: territory-first}
    summary: A later statement that moves Ukraine's stance.
    sources: [interbellum-geneva-talks]
""", encoding="utf-8")
    actor = repo / "data" / "actors" / "ukraine.yaml"
    actor.write_text(actor.read_text(encoding="utf-8").replace("name: Ukraine", "name: Ukraine (renamed)"), encoding="utf-8")
    git(repo, "commit", "-qam", "change")
    result = diff(repo, "--rev", "HEAD~1..HEAD", "--exit-code")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    changes = {(r["kind"], r["id"], r["change"]) for r in out["records"]}
    assert ("statements", "geneva-2026-02-ukraine-later", "added") in changes
    [actor_change] = [r for r in out["records"] if r["id"] == "ukraine"]
    assert actor_change["fields"] == [{"path": "name", "old": "Ukraine", "new": "Ukraine (renamed)"}]
    [move] = [m for m in out["positions"] if m["holder"] == "ukraine" and m["issue"] == "sequencing"]
    assert move["after"] == ["territory-first"] and move["statements"] == ["geneva-2026-02-ukraine-later"]


def test_a_renamed_record_is_one_rename(repo):
    old = repo / "data" / "sources" / "second-translation.yaml"
    new = old.with_name("second-rendering.yaml")
    text = old.read_text(encoding="utf-8")
    assert "id: second-translation" in text
    new.write_text(text.replace("id: second-translation", "id: second-rendering"), encoding="utf-8")
    old.unlink()
    out = json.loads(diff(repo, "--rev", "HEAD").stdout)
    renames = [r for r in out["records"] if r["change"] == "renamed"]
    assert [(r["id"], r["old_id"]) for r in renames] == [("second-rendering", "second-translation")]


def test_markdown_is_a_pull_request_comment(repo):
    result = runner.invoke(app, ["diff", "--data", str(repo / "data"), "--rev", "HEAD", "-f", "markdown"])
    assert result.exit_code == 0 and result.stdout.startswith("## Changes in meaning: `HEAD` → `working tree`")


def test_an_unknown_revision_and_a_folder_outside_git_are_usage_errors(repo, tmp_path):
    result = diff(repo, "--rev", "no-such-branch")
    assert result.exit_code == 2 and "no revision `no-such-branch`" in result.output
    outside = tmp_path / "plain"
    shutil.copytree(VALID, outside)
    result = runner.invoke(app, ["diff", "--data", str(outside), "--rev", "HEAD"])
    assert result.exit_code == 2 and "not inside a git repository" in result.output
