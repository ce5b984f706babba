"""The report cache: used only while nothing changed, rebuilt silently otherwise, kept out of data/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import VALID
from peacekb import cache
from peacekb.cli import app

runner = CliRunner()


@pytest.fixture
def kb(tmp_path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(VALID, root)
    return root


def validate(kb: Path, *args: str):
    return runner.invoke(app, ["validate", "--data", str(kb), "-f", "json", *args])


def test_an_unchanged_knowledge_base_is_answered_from_the_cache(kb, monkeypatch):
    assert validate(kb).exit_code == 0
    entries = sorted(p.name.split("-")[0] for p in cache.cache_dir().iterdir())
    assert entries == ["detail", "report"] and not any("report-" in p.name or "detail-" in p.name for p in kb.rglob("*"))

    def no_full_check(*args, **kwargs):
        raise AssertionError("the knowledge base was checked again")

    monkeypatch.setattr("peacekb.loader.load", no_full_check)
    assert validate(kb).exit_code == 0


def test_an_edited_file_is_never_answered_from_the_cache(kb):
    assert validate(kb).exit_code == 0
    actor = kb / "actors" / "ukraine.yaml"
    stat = actor.stat()
    text = actor.read_text(encoding="utf-8")
    # same size, same modification time: only the content (and the inode, rewritten) differ
    actor.unlink()
    actor.write_text(text.replace("kind: state", "kind: stat_"), encoding="utf-8")
    os.utime(actor, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result = validate(kb)
    assert result.exit_code == 1 and "invalid-value" in result.stdout


def test_a_new_or_removed_file_is_never_answered_from_the_cache(kb):
    assert validate(kb).exit_code == 0
    (kb / "actors" / "stray.yml").write_text("id: stray\n", encoding="utf-8")
    assert "stray-file" in validate(kb).stdout
    (kb / "actors" / "stray.yml").unlink()
    assert "stray-file" not in validate(kb).stdout


def test_a_corrupt_cache_is_rebuilt_silently(kb):
    assert validate(kb).exit_code == 0
    [entry] = list(cache.cache_dir().glob("report-*"))
    entry.write_text("{not json", encoding="utf-8")
    result = validate(kb)
    assert result.exit_code == 0 and result.stderr == "" or "Traceback" not in result.output
    assert entry.read_text(encoding="utf-8").startswith("{")
    assert cache.read(kb) is not None


def test_no_cache_neither_reads_nor_writes_it(kb):
    assert validate(kb, "--no-cache").exit_code == 0
    assert list(cache.cache_dir().glob("*")) == []


def test_an_unwritable_cache_does_not_fail_the_check(kb, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(blocker / "cache"))
    assert validate(kb).exit_code == 0


def test_cached_problems_are_the_same_as_fresh_ones(kb):
    (kb / "actors" / "ukraine.yaml").write_text("id: ukraine\nname: Ukraine\nkind: stat\n", encoding="utf-8")
    fresh = validate(kb)
    again = validate(kb)
    assert fresh.exit_code == again.exit_code == 1
    assert fresh.stdout == again.stdout


def test_a_query_on_an_unchanged_knowledge_base_skips_the_cross_checks_and_still_warns(kb, monkeypatch):
    (kb / "actors" / "ukraine.yaml").write_text("id: ukraine\nname: Ukraine\nkind: stat\n", encoding="utf-8")
    assert validate(kb).exit_code == 1  # the report, with its error, is cached

    def no_checks(*args, **kwargs):
        raise AssertionError("the checks across records ran again")

    monkeypatch.setattr("peacekb.checks.CHECKS", [no_checks])
    result = runner.invoke(app, ["rounds", "--data", str(kb)])
    assert result.exit_code == 0
    assert "1 error(s)" in result.stderr


def test_a_query_on_a_changed_knowledge_base_checks_it_in_full(kb, monkeypatch):
    assert validate(kb).exit_code == 0
    (kb / "actors" / "ukraine.yaml").write_text("id: ukraine\nname: Ukraine\nkind: state\nroles:\n  - title: x\n    party: nowhere\n", encoding="utf-8")
    result = runner.invoke(app, ["rounds", "--data", str(kb)])
    assert result.exit_code == 0 and "1 error(s)" in result.stderr


def test_round_answers_the_same_from_the_round_index_as_from_a_full_load(kb, monkeypatch, tmp_path):
    def card(*args):
        result = runner.invoke(app, ["round", *args, "--data", str(kb), "-f", "json"])
        assert result.exit_code == 0, result.output
        return result.stdout

    for name in ("geneva", "abu-dhabi-2026-01"):
        full = card(name)  # no cache yet: a full load, which caches the report and the round index
        assert cache.round_index(kb) is not None
        loaded = []
        real = cache._with_one_round

        def spy(*args, **kwargs):
            result = real(*args, **kwargs)
            loaded.append(result is not None)
            return result

        monkeypatch.setattr(cache, "_with_one_round", spy)
        assert card(name) == full
        assert loaded == [True]
        monkeypatch.setattr(cache, "_with_one_round", real)
        for entry in cache.cache_dir().iterdir():
            entry.unlink()


def test_an_edited_round_file_is_never_answered_from_the_round_index(kb):
    runner.invoke(app, ["validate", "--data", str(kb)])
    path = kb / "rounds" / "geneva-2026-02.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    assert cache.round_index(kb) is None
    result = runner.invoke(app, ["round", "geneva-2026-02", "--data", str(kb), "-f", "json"])
    assert '"title": "Renamed ' in result.stdout
