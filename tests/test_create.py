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


# --- safe on an untrusted pull request: concurrency, disk errors, paths, line endings ----------------


def _statement_args(kb, ident: str, *, round_name: str = "geneva-2026-02") -> list[str]:
    return ["new", "statement", "--round", round_name, *STATEMENT_OPTIONS[:-4], "--summary", f"Statement {ident}",
            "--source", "interbellum-geneva-talks", "--id", ident, "--data", str(kb)]


@pytest.mark.slow
def test_ten_concurrent_new_statements_into_one_file_add_ten_statements(kb):
    """Each run locks the round file, reads it under the lock and replaces it before unlocking."""
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent), "NO_COLOR": "1"}
    ids = [f"concurrent-{n}" for n in range(10)]
    runs = [subprocess.Popen([sys.executable, "-m", "peacekb", *_statement_args(kb, ident)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for ident in ids]
    outputs = [run_.communicate(timeout=240) for run_ in runs]
    assert [run_.returncode for run_ in runs] == [0] * 10, outputs
    loaded = load(kb)
    assert loaded.problems == []
    assert set(ids) <= set(loaded.kb.statements)
    assert [p.name for p in (kb / "rounds").iterdir() if p.name.startswith(".")] == []


def test_a_statement_added_meanwhile_by_another_writer_is_never_overwritten(kb, monkeypatch):
    """Writers that do not take the lock (an editor) are caught by the check before the replace."""
    from peacekb import writing

    path = kb / "rounds" / "geneva-2026-02.yaml"
    real_write = writing._write_temporary

    def meanwhile(target, data, mode, made):
        path.write_bytes(path.read_bytes() + b"# edited meanwhile\n")
        return real_write(target, data, mode, made)

    monkeypatch.setattr(writing, "_write_temporary", meanwhile)
    result = run(*_statement_args(kb, "added-meanwhile"))
    assert result.exit_code == 1
    assert "nothing written" in result.output and "changed while it was being written" in result.output
    assert path.read_bytes().endswith(b"# edited meanwhile\n") and b"added-meanwhile" not in path.read_bytes()


@pytest.mark.parametrize("code", [28, 30, 13, 122])  # ENOSPC, EROFS, EACCES, EDQUOT
@pytest.mark.parametrize("where", ["mkstemp", "replace", "link"])
def test_a_full_or_read_only_disk_is_exit_1_naming_the_file_not_an_internal_error(kb, monkeypatch, code, where):
    import tempfile

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(tempfile if where == "mkstemp" else os, where, fail)
    rounds = kb / "rounds"
    before = {p.name: p.read_bytes() for p in rounds.iterdir()}
    if where != "link":  # a statement goes in by a replace
        result = run(*_statement_args(kb, "disk-error"))
        assert result.exit_code == 1, result.output
        assert f"nothing written: cannot write {rounds / 'geneva-2026-02.yaml'}: {os.strerror(code)}" in result.output
        assert {p.name: p.read_bytes() for p in rounds.iterdir()} == before
    if where != "replace":  # a new file goes in by a hard link
        result = run("new", "actor", "--name", "Hakan Fidan", "--actor-kind", "person", "--data", str(kb))
        assert result.exit_code == 1, result.output
        assert f"nothing written: cannot write {kb / 'actors' / 'hakan-fidan.yaml'}: {os.strerror(code)}" in result.output
        assert not (kb / "actors" / "hakan-fidan.yaml").exists()
    assert [p for folder in kb.iterdir() if folder.is_dir() for p in folder.iterdir() if p.name.startswith(".")] == []


def test_a_new_file_is_created_without_hard_links_too(kb, monkeypatch):
    import errno

    def no_links(*args):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    result = run("new", "actor", "--name", "Hakan Fidan", "--actor-kind", "person", "--data", str(kb))
    assert result.exit_code == 0, result.output
    assert load(kb).problems == []
    assert [p.name for p in (kb / "actors").iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    "option, value",
    [("--round", "../../x"), ("--round", "../rounds/geneva-2026-02"), ("--round", "/tmp/x"), ("--round", "a/b"),
     ("--id", "../../x"), ("--id", "..")],
)
def test_ids_and_rounds_with_path_separators_are_usage_errors_and_nothing_is_written(kb, tmp_path, option, value):
    everything = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    args = _statement_args(kb, "escape")
    args[args.index(option) + 1] = value
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert f"{option} {value!r} is not an id" in result.output
    result = run("new", "actor", "--name", "X", "--actor-kind", "state", "--id", value, "--data", str(kb))
    assert result.exit_code == 2, result.output
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == everything


def test_a_round_file_linked_out_of_the_knowledge_base_is_refused(kb, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_bytes((kb / "rounds" / "geneva-2026-02.yaml").read_bytes())
    (kb / "rounds" / "geneva-2026-02.yaml").unlink()
    (kb / "rounds" / "geneva-2026-02.yaml").symlink_to(outside)
    before = outside.read_bytes()
    result = run(*_statement_args(kb, "escape"))
    assert result.exit_code == 2 and "leads outside the knowledge base" in result.output
    assert outside.read_bytes() == before


def test_a_crlf_file_gets_crlf_lines_and_keeps_the_rest_byte_for_byte(kb):
    path = kb / "rounds" / "geneva-2026-02.yaml"
    before = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(before)
    result = run(*_statement_args(kb, "crlf-statement"))
    assert result.exit_code == 0, result.output
    after = path.read_bytes()
    assert after.startswith(before) and b"crlf-statement" in after
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert load(kb).problems == [] and "crlf-statement" in load(kb).kb.statements


def test_a_file_with_a_byte_order_mark_keeps_it(kb):
    path = kb / "rounds" / "geneva-2026-02.yaml"
    before = b"\xef\xbb\xbf" + path.read_bytes()
    path.write_bytes(before)
    result = run(*_statement_args(kb, "bom-statement"))
    assert result.exit_code == 0, result.output
    after = path.read_bytes()
    assert after.startswith(before) and b"bom-statement" in after and after.count(b"\xef\xbb\xbf") == 1
    assert load(kb).problems == [] and "bom-statement" in load(kb).kb.statements


def test_an_empty_statement_list_in_a_crlf_file_with_a_bom(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_bytes(b"\xef\xbb\xbfid: r\r\ntitle: R\r\nstart: 2026-01-01\r\nstatements: []\r\n")
    text = add_statement(path, STATEMENT)
    assert text.startswith("\ufeffid: r\r\ntitle: R\r\nstart: 2026-01-01\r\nstatements:\r\n  - id: ")
    assert "\n" not in text.replace("\r\n", "")


def test_a_record_folder_linked_out_of_the_knowledge_base_gets_nothing(kb, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in os.listdir(kb / "actors"):
        shutil.move(str(kb / "actors" / name), outside / name)
    (kb / "actors").rmdir()
    (kb / "actors").symlink_to(outside)
    result = run("new", "actor", "--name", "Hakan Fidan", "--actor-kind", "person", "--data", str(kb))
    assert result.exit_code == 2 and "leads outside the knowledge base" in result.output
    assert not (outside / "hakan-fidan.yaml").exists()
