"""Adding records: new files, statements appended to their round, checks before writing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml_rs
from typer.testing import CliRunner

from conftest import VALID
from peacekb.cli import app
from peacekb.create import CreateError, add_statement, dump, new_file
from peacekb.loader import load

runner = CliRunner()
STATEMENT = {
    "id": "geneva-2026-02-ukraine-new",
    "date": "2026-02-18",
    "party": "ukraine",
    "attribution": "paraphrase",
    "issues": ["sequencing"],
    "stances": {"sequencing": "guarantees-first"},
    "summary": "Ukraine said: guarantees first.",
    "sources": ["interbellum-geneva-talks"],
}


@pytest.fixture
def kb(tmp_path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(VALID, root)
    return root


def test_a_statement_is_appended_and_the_rest_of_the_file_stays_byte_for_byte(kb):
    path = kb / "rounds" / "geneva-2026-02.yaml"
    before = path.read_text(encoding="utf-8")
    after = add_statement(path, STATEMENT)
    assert after.startswith(before.rstrip("\n") + "\n")
    data = yaml_rs.loads(after, parse_datetime=False)
    assert data["statements"][-1]["id"] == STATEMENT["id"]
    assert data["statements"][:-1] == yaml_rs.loads(before, parse_datetime=False)["statements"]


def test_a_round_without_statements_gets_the_list(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("id: r\ntitle: R  # a comment that stays\nstart: 2026-01-01\n", encoding="utf-8")
    text = add_statement(path, STATEMENT)
    assert text.startswith("id: r\ntitle: R  # a comment that stays\nstart: 2026-01-01\nstatements:\n  - id: ")


def test_statements_in_the_middle_of_a_file_are_refused_rather_than_rewritten(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("id: r\nstatements:\n  - id: a\nnote: after\n", encoding="utf-8")
    with pytest.raises(CreateError, match="not the last field"):
        add_statement(path, STATEMENT)


def test_dates_of_a_day_are_written_plain_and_short_lists_in_flow_style():
    text = dump({"id": "x", "date": "2026-02-18", "issues": ["a", "b"], "summary": "A: b"})
    assert "date: 2026-02-18\n" in text and "issues: [a, b]\n" in text
    assert yaml_rs.loads(text, parse_datetime=False)["summary"] == "A: b"


def test_a_new_file_never_replaces_one_that_exists(kb):
    with pytest.raises(CreateError, match="exists already"):
        new_file(kb, "actor", {"id": "ukraine", "name": "Ukraine", "kind": "state"})


def run(*args):
    return runner.invoke(app, list(args))


def test_new_actor_writes_a_valid_file(kb):
    result = run("new", "actor", "--name", "Hakan Fidan", "--actor-kind", "person", "--country", "TR", "--data", str(kb))
    assert result.exit_code == 0, result.output
    written = kb / "actors" / "hakan-fidan.yaml"
    assert yaml_rs.loads(written.read_text(encoding="utf-8"), parse_datetime=False) == {
        "id": "hakan-fidan", "name": "Hakan Fidan", "kind": "person", "country": "TR"}
    assert load(kb).problems == []


def test_new_statement_with_a_wrong_reference_writes_nothing_and_says_where(kb):
    path = kb / "rounds" / "geneva-2026-02.yaml"
    before = path.read_bytes()
    result = run("new", "statement", "--round", "geneva-2026-02", "--date", "2026-02-18", "--party", "ukraine",
                 "--speaker", "zelenskyy", "--attribution", "paraphrase", "--takes", "sequencing=guarantees-first",
                 "--summary", "x", "--source", "interbellum-geneva-talks", "--data", str(kb))
    assert result.exit_code == 1
    assert "unknown-actor" in result.output and "did you mean `volodymyr-zelensky`" in result.output
    assert path.read_bytes() == before


def test_new_statement_is_added_and_validates(kb):
    result = run("new", "statement", "--round", "geneva-2026-02", "--date", "2026-02-18", "--party", "ukraine",
                 "--attribution", "paraphrase", "--takes", "sequencing=guarantees-first",
                 "--summary", "Ukraine: guarantees first", "--source", "interbellum-geneva-talks", "--data", str(kb))
    assert result.exit_code == 0, result.output
    loaded = load(kb)
    assert loaded.problems == []
    [added] = [s for s in loaded.kb.statements.values() if s.summary == "Ukraine: guarantees first"]
    assert added.stances == {"sequencing": "guarantees-first"} and loaded.kb.round_id_of(added.id) == "geneva-2026-02"


def test_new_statement_keeps_an_open_start_as_written(kb):
    """`../2026-02-18` is a day's precision but not that day: it stays text, never a YAML date."""
    result = run("new", "statement", "--round", "geneva-2026-02", "--date", "../2026-02-18", "--party", "ukraine",
                 "--attribution", "paraphrase", "--takes", "sequencing=guarantees-first",
                 "--summary", "Ukraine, by the report's date: guarantees first", "--source", "interbellum-geneva-talks", "--data", str(kb))
    assert result.exit_code == 0, result.output
    assert "\n    date: ../2026-02-18\n" in (kb / "rounds" / "geneva-2026-02.yaml").read_text(encoding="utf-8")
    loaded = load(kb)
    assert loaded.problems == []
    [added] = [s for s in loaded.kb.statements.values() if s.summary.startswith("Ukraine, by the report's date")]
    assert str(added.date) == "../2026-02-18"


def test_a_missing_option_without_a_terminal_is_a_usage_error(kb):
    result = run("new", "round", "--data", str(kb))
    assert result.exit_code == 2 and "--title" in result.output


def test_an_interrupted_write_leaves_the_file_whole(kb, monkeypatch):
    path = kb / "rounds" / "geneva-2026-02.yaml"
    before = path.read_bytes()

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        from peacekb.writing import write_atomic

        write_atomic(path, "half")
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


# --- a round and an event of one id ------------------------------------------------------------------

STATEMENT_OPTIONS = ["--date", "2026-02-18", "--party", "ukraine", "--attribution", "paraphrase",
                     "--takes", "sequencing=guarantees-first", "--summary", "Ukraine: guarantees first",
                     "--source", "interbellum-geneva-talks"]


def test_new_statement_for_an_id_of_both_a_round_and_an_event_is_refused_and_writes_nothing(kb):
    """Neither file is picked silently: the statement would land in the one the user did not mean."""
    round_file, event_file = kb / "rounds" / "geneva-2026-02.yaml", kb / "events" / "geneva-2026-02.yaml"
    event_file.write_text("id: geneva-2026-02\ntitle: Geneva communique\nkind: announcement\ndate: 2026-02-18\n", encoding="utf-8")
    before = {path: path.read_bytes() for path in (round_file, event_file)}
    result = run("new", "statement", "--round", "geneva-2026-02", *STATEMENT_OPTIONS, "--data", str(kb))
    assert result.exit_code == 2, result.output
    assert str(round_file) in result.output and str(event_file) in result.output
    assert "id-shared-across-kinds" in result.output and "nothing written" in result.output
    assert {path: path.read_bytes() for path in before} == before


def test_new_statement_for_an_event_goes_into_the_events_file(kb):
    path = kb / "events" / "anchorage-understandings.yaml"
    result = run("new", "statement", "--round", "anchorage-understandings", *STATEMENT_OPTIONS, "--data", str(kb))
    assert result.exit_code == 0, result.output
    assert str(path) in result.output
    loaded = load(kb)
    assert loaded.problems == []
    [added] = [s for s in loaded.kb.statements.values() if s.summary == "Ukraine: guarantees first"]
    assert loaded.kb.event_of(added.id).id == "anchorage-understandings" and loaded.kb.round_id_of(added.id) is None


def test_new_round_with_the_id_of_an_event_is_refused(kb):
    result = run("new", "round", "--id", "anchorage-understandings", "--title", "Anchorage", "--start", "2025-08-15", "--data", str(kb))
    assert result.exit_code == 1
    assert "id-shared-across-kinds" in result.output and "nothing written" in result.output
    assert not (kb / "rounds" / "anchorage-understandings.yaml").exists()


def test_new_statement_with_several_parties_is_one_joint_statement(kb):
    result = run("new", "statement", "--round", "geneva-2026-02", "--date", "2026-02-18", "--party", "united-states", "--party", "ukraine",
                 "--attribution", "paraphrase", "--takes", "sequencing=guarantees-first", "--summary", "Both said: guarantees first.",
                 "--source", "interbellum-geneva-talks", "--id", "joint-guarantees-first", "--data", str(kb))
    assert result.exit_code == 0, result.output
    kb_after = load(kb)
    assert kb_after.problems == []
    joint = kb_after.kb.statements["joint-guarantees-first"]
    assert (joint.party, joint.parties, joint.holders) == (None, ["united-states", "ukraine"], ["united-states", "ukraine"])


def test_new_statement_can_withdraw_a_stance(kb):
    result = run("new", "statement", "--round", "geneva-2026-02", "--date", "2026-02-19", "--party", "ukraine", "--attribution", "paraphrase",
                 "--withdraws", "sequencing=guarantees-first", "--summary", "Ukraine dropped it.", "--source", "interbellum-geneva-talks",
                 "--id", "ukraine-drops-guarantees-first", "--data", str(kb))
    assert result.exit_code == 0, result.output
    statement = load(kb).kb.statements["ukraine-drops-guarantees-first"]
    assert (statement.issues, statement.stances, statement.withdraws) == (["sequencing"], {}, {"sequencing": "guarantees-first"})
    assert run("new", "statement", "--round", "geneva-2026-02", "--date", "2026-02-19", "--party", "ukraine", "--attribution", "paraphrase",
               "--withdraws", "sequencing", "--summary", "x", "--source", "interbellum-geneva-talks", "--data", str(kb)).exit_code == 2
