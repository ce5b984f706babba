"""The GitHub job summary stays within the 1 MiB GitHub keeps of a step's summary: what does not
fit is cut at a line, with a note, for `validate --format github` and `diff --rev --job-summary`."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from conftest import VALID, git, write_kb
from peacekb.cli import app, job_summary

runner = CliRunner()


def test_a_report_that_fits_is_written_whole():
    text = "### heading\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    assert job_summary.fit(text, 1000) == text + "\n"


def test_a_report_too_large_is_cut_at_a_line_with_a_note():
    rows = [f"| row {i} | {'é' * 20} |" for i in range(1000)]
    text = "| a | b |\n|---|---|\n" + "\n".join(rows)
    cut = job_summary.fit(text, 5000)
    assert len(cut.encode("utf-8")) <= 5000
    kept = cut.split("\n\n**Cut short:**")[0].splitlines()
    assert kept[:2] == ["| a | b |", "|---|---|"] and all(line in rows for line in kept[2:])
    assert len(kept) > 50
    assert f"this report is {len((text + chr(10)).encode('utf-8')):,} bytes" in cut


def test_appending_counts_what_the_step_wrote_already(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("x" * 900, encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setattr(job_summary, "LIMIT", 2000)
    assert job_summary.append("\n".join(f"line {i}" for i in range(500)))
    assert 1500 < summary.stat().st_size <= 2000
    assert "Cut short" in summary.read_text(encoding="utf-8")


def test_no_job_summary_outside_github(monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert job_summary.append("text") is False


def test_validate_cuts_a_long_report_in_the_job_summary(tmp_path, monkeypatch):
    files = {f"actors/a{i}.yaml": f"id: a{i}\nname: A\nkind: persn\n" for i in range(200)}
    root = write_kb(tmp_path / "kb", files)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setattr(job_summary, "LIMIT", 4000)
    result = runner.invoke(app, ["validate", "--data", str(root), "--format", "github"])
    assert result.exit_code == 1
    report = summary.read_text(encoding="utf-8")
    assert len(report.encode("utf-8")) <= 4000
    assert report.startswith("### peacekb validate: 200 errors") and "Cut short" in report


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_rev_appends_its_markdown_to_the_job_summary(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo / "data")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    for i in range(60):
        (repo / "data" / "actors" / f"new-{i}.yaml").write_text(f"id: new-{i}\nname: New {i}\nkind: organisation\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "sixty actors")
    args = ["diff", "--data", str(repo / "data"), "--rev", "HEAD~1..HEAD", "--job-summary"]

    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    unset = runner.invoke(app, args)
    assert unset.exit_code == 2 and "GITHUB_STEP_SUMMARY" in unset.stderr

    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    whole = runner.invoke(app, args)
    assert whole.exit_code == 0, whole.output
    assert "new-59" in whole.stdout  # the text report is still printed for the log
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Changes in meaning") and text.count("| added | actor |") == 60 and "Cut short" not in text

    summary.unlink()
    monkeypatch.setattr(job_summary, "LIMIT", 1500)
    cut = runner.invoke(app, args)
    assert cut.exit_code == 0, cut.output
    text = summary.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 1500 and 0 < text.count("| added | actor |") < 60 and "Cut short" in text


def test_job_summary_goes_with_rev():
    result = runner.invoke(app, ["diff", "--from", "2025-01-01", "--job-summary", "--data", str(VALID)])
    assert result.exit_code == 2 and "--job-summary goes with --rev" in result.stderr
