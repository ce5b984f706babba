"""diff --rev reads revisions as raw git blobs: nothing in the revision (attributes, filters,
symbolic links) changes what is read or runs anything."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import VALID, git
from peacekb.cli import app
from peacekb.revisions import RevisionError, load_at, revision_range

runner = CliRunner()
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

NEW_ACTOR = "id: new-mediator\nname: New Mediator\nkind: organisation\n"


@pytest.fixture
def repo(tmp_path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(VALID, root / "data")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


def commit(repo: Path, message: str = "change") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


def diff(repo: Path, spec: str, form: str = "json"):
    return runner.invoke(app, ["diff", "--data", str(repo / "data"), "-f", form, "--rev", spec])


def added(result) -> list[str]:
    return [r["id"] for r in json.loads(result.stdout)["records"] if r["change"] == "added"]


def test_export_ignore_does_not_hide_an_added_actor(repo):
    (repo / "data" / "actors" / "new-mediator.yaml").write_text(NEW_ACTOR, encoding="utf-8")
    (repo / ".gitattributes").write_text("data/actors/new-mediator.yaml export-ignore\ndata/** export-ignore\n", encoding="utf-8")
    commit(repo)
    result = diff(repo, "HEAD~1..HEAD")
    assert result.exit_code == 0, result.output
    assert added(result) == ["new-mediator"]
    markdown = diff(repo, "HEAD~1..HEAD", "markdown")
    assert "new-mediator" in markdown.stdout


def test_export_subst_does_not_rewrite_values(repo):
    (repo / "data" / "actors" / "new-mediator.yaml").write_text("id: new-mediator\nname: $Format:%H$\nkind: organisation\n", encoding="utf-8")
    (repo / ".gitattributes").write_text("*.yaml export-subst\n", encoding="utf-8")
    commit(repo)
    kb = load_at(repo / "data", "HEAD").kb
    assert kb.actors["new-mediator"].name == "$Format:%H$"


def test_a_filter_driver_never_runs(repo, tmp_path):
    marker = tmp_path / "ran"
    (repo / ".gitattributes").write_text("*.yaml filter=evil diff=evil\n", encoding="utf-8")
    commit(repo, "attributes")
    (repo / "data" / "actors" / "new-mediator.yaml").write_text(NEW_ACTOR, encoding="utf-8")
    commit(repo)
    for driver in ("filter.evil.smudge", "filter.evil.clean", "filter.evil.process", "diff.evil.textconv"):
        git(repo, "config", driver, f"sh -c 'touch {marker}; cat'")
    git(repo, "config", "filter.evil.required", "true")
    marker.unlink(missing_ok=True)
    result = diff(repo, "HEAD~1..HEAD")
    assert result.exit_code == 0, result.output
    assert added(result) == ["new-mediator"]
    assert not marker.exists()


def test_a_symbolic_link_is_reported_and_never_followed(repo, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: secret\nname: Secret\nkind: organisation\n", encoding="utf-8")
    (repo / "data" / "actors" / "secret.yaml").symlink_to(secret)
    (repo / "data" / "actors" / "ukraine-link.yaml").symlink_to("ukraine.yaml")
    commit(repo)
    result = load_at(repo / "data", "HEAD")
    assert "secret" not in result.kb.actors
    links = sorted(Path(p.file).name for p in result.problems if p.code == "symlink")
    assert links == ["secret.yaml", "ukraine-link.yaml"]
    assert all(p.severity == "error" and str(repo / "data") in p.file for p in result.problems if p.code == "symlink")
    shown = diff(repo, "HEAD~1..HEAD", "markdown")
    assert shown.exit_code == 0, shown.output
    assert "> **Warning:** the knowledge base at HEAD has 2 error(s)" in shown.stdout
    assert "symlink in actors/secret.yaml" in shown.stdout
    assert "warning:" in shown.stderr


def test_errors_at_head_are_shown_in_the_markdown_and_json(repo):
    (repo / "data" / "actors" / "broken.yaml").write_text("id: broken\nname: [\n", encoding="utf-8")
    commit(repo)
    shown = diff(repo, "HEAD~1..HEAD", "markdown")
    assert shown.exit_code == 0
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("## Changes in meaning") and lines[2].startswith("> **Warning:** the knowledge base at HEAD has 1 error(s)")
    assert json.loads(diff(repo, "HEAD~1..HEAD").stdout)["warnings"][0].startswith("the knowledge base at HEAD")


def test_an_oversized_file_is_reported_not_read(repo, monkeypatch):
    from peacekb import revisions

    monkeypatch.setattr(revisions, "MAX_BLOB", 10)
    result = load_at(repo / "data", "HEAD")
    assert result.problems and all(p.code == "unreadable-file" for p in result.problems)
    assert not result.kb.actors


def test_three_dots_compare_the_head_with_its_merge_base(repo):
    git(repo, "checkout", "-qb", "topic")
    (repo / "data" / "actors" / "new-mediator.yaml").write_text(NEW_ACTOR, encoding="utf-8")
    commit(repo, "topic")
    git(repo, "checkout", "-q", "main")
    (repo / "data" / "actors" / "other.yaml").write_text("id: other\nname: Other\nkind: organisation\n", encoding="utf-8")
    commit(repo, "main moves on")
    three = diff(repo, "main...topic")
    assert three.exit_code == 0, three.output
    assert added(three) == ["new-mediator"]  # what the topic branch added, nothing of main's
    assert json.loads(three.stdout)["base"] == "merge base of main and topic"
    two = diff(repo, "main..topic")
    assert "new-mediator" in added(two) and "other" in [r["id"] for r in json.loads(two.stdout)["records"] if r["change"] == "removed"]
    base, head, _ = revision_range(repo / "data", "main...topic")
    assert base == git(repo, "merge-base", "main", "topic") and head == "topic"


@pytest.mark.parametrize("spec", ["...topic", "main...", "a....b", "a..b..c", "..b"])
def test_malformed_ranges_are_usage_errors(repo, spec):
    result = diff(repo, spec)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_a_data_folder_in_a_subfolder_and_a_missing_one(repo):
    (repo / "data" / "actors" / "new-mediator.yaml").write_text(NEW_ACTOR, encoding="utf-8")
    commit(repo)
    assert "new-mediator" in load_at(repo / "data", "HEAD").kb.actors
    assert "new-mediator" not in load_at(repo / "data", "HEAD~1").kb.actors
    (repo / "other").mkdir()
    with pytest.raises(RevisionError, match="does not exist at revision"):
        load_at(repo / "other", "HEAD")


def test_a_shallow_clone_says_to_fetch_the_whole_history(repo, tmp_path):
    (repo / "data" / "actors" / "new-mediator.yaml").write_text(NEW_ACTOR, encoding="utf-8")
    commit(repo)
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    for spec in ("HEAD~1..HEAD", "HEAD~1...HEAD", "origin/other..HEAD"):
        result = runner.invoke(app, ["diff", "--data", str(clone / "data"), "--rev", spec])
        assert result.exit_code == 2, (spec, result.output)
        assert "shallow clone" in result.stderr and "fetch-depth: 0" in result.stderr, (spec, result.stderr)
    full = runner.invoke(app, ["diff", "--data", str(repo / "data"), "--rev", "nothing-here..HEAD"])
    assert full.exit_code == 2 and "shallow clone" not in full.stderr and "try a branch" in full.stderr
