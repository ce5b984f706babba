"""The report cache: used only while nothing changed, rebuilt silently otherwise, kept out of data/."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import VALID, flat
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
    assert entries == ["detail", "report", "saved"] and not any(p.name.startswith(("report-", "detail-", "saved-")) for p in kb.rglob("*"))

    def no_full_check(*args, **kwargs):
        raise AssertionError("the knowledge base was checked again")

    monkeypatch.setattr("peacekb.loader.finish", no_full_check)
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
    assert "1 error(s)" in flat(result.stderr)  # the warning may wrap at the folder's path


def test_a_query_on_a_changed_knowledge_base_checks_it_in_full(kb, monkeypatch):
    assert validate(kb).exit_code == 0
    (kb / "actors" / "ukraine.yaml").write_text("id: ukraine\nname: Ukraine\nkind: state\nroles:\n  - title: x\n    party: nowhere\n", encoding="utf-8")
    result = runner.invoke(app, ["rounds", "--data", str(kb)])
    assert result.exit_code == 0 and "1 error(s)" in flat(result.stderr)


def test_round_answers_the_same_from_the_saved_records_as_from_a_full_load(kb, monkeypatch, tmp_path):
    def card(*args):
        result = runner.invoke(app, ["round", *args, "--data", str(kb), "-f", "json"])
        assert result.exit_code == 0, result.output
        return result.stdout

    for name in ("geneva", "abu-dhabi-2026-01"):
        full = card(name)  # no cache yet: a full load, which caches the report and saves every file's records
        loaded = []
        real = cache._with_one_round

        def spy(*args, **kwargs):
            result = real(*args, **kwargs)
            loaded.append(result)
            return result

        monkeypatch.setattr(cache, "_with_one_round", spy)
        assert card(name) == full
        # the statements of the round's file only (and of the events)
        [(partial, chosen)] = loaded
        parents = {partial.statement_parent[s] for s in partial.statements}
        assert all(kind == "events" or ident == chosen for kind, ident in parents)
        whole = cache.load(kb).kb
        assert partial.rounds[chosen] == whole.rounds[chosen] and partial.rounds.keys() == whole.rounds.keys()
        monkeypatch.setattr(cache, "_with_one_round", real)
        for entry in cache.cache_dir().iterdir():
            entry.unlink()


def test_an_edited_round_file_is_read_again(kb):
    runner.invoke(app, ["validate", "--data", str(kb)])
    path = kb / "rounds" / "geneva-2026-02.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    result = runner.invoke(app, ["round", "geneva-2026-02", "--data", str(kb), "-f", "json"])
    assert '"title": "Renamed ' in result.stdout
    result = runner.invoke(app, ["rounds", "--data", str(kb), "-f", "json"])
    assert '"title": "Renamed ' in result.stdout


# --- an entry of the wrong shape, or a cache directory that cannot be trusted ------------------------

QUESTIONS = [
    ["validate"], ["round", "geneva-2026-02"], ["positions", "territory"], ["diff", "russia", "ukraine"], ["matrix"],
]


def _answers(kb: Path) -> list[tuple[int, str]]:
    found = []
    for question in QUESTIONS:
        result = runner.invoke(app, [*question, "--data", str(kb), "-f", "json"], env={"COLUMNS": "120"})
        assert "Traceback" not in result.output and result.exit_code in (0, 1), (question, result.output)
        found.append((result.exit_code, result.stdout))
    return found


def _fresh(kb: Path, monkeypatch, folder: Path) -> list[tuple[int, str]]:
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(folder))
    return _answers(kb)


def _entry(what: str) -> Path:
    [path] = list(cache.cache_dir().glob(f"{what}-*.json"))
    return path


def _set(path: Path, change) -> None:
    import json

    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


REPORT_DAMAGE = {
    "problems not a list": lambda d: d.update(problems="none"),
    "a problem of the wrong shape": lambda d: d.update(problems=[{"file": 1, "line": "x"}]),
    "a problem with an unknown code": lambda d: d.update(problems=[{"file": "f", "line": 1, "column": 1, "code": "nope", "message": "m", "severity": "error"}]),
    "files missing": lambda d: d.pop("files"),
    "files of the wrong type": lambda d: d.update(files="many"),
    "fingerprint of the wrong shape": lambda d: d.update(fingerprint={"data": 1, "code": []}),
}


@pytest.mark.parametrize("damage", REPORT_DAMAGE)
def test_a_report_entry_of_the_wrong_shape_means_a_full_check(kb, monkeypatch, tmp_path, damage):
    expected = _fresh(kb, monkeypatch, tmp_path / "fresh")
    _fresh(kb, monkeypatch, tmp_path / "kept")  # fills the report, the detail and the statement index
    _set(_entry("report"), REPORT_DAMAGE[damage])
    assert cache.read(kb) is None
    assert _answers(kb) == expected


def test_a_truncated_report_entry_means_a_full_check(kb, monkeypatch, tmp_path):
    expected = _fresh(kb, monkeypatch, tmp_path / "fresh")
    _fresh(kb, monkeypatch, tmp_path / "kept")
    path = _entry("report")
    path.write_text(path.read_text(encoding="utf-8")[:200], encoding="utf-8")
    assert _answers(kb) == expected


DETAIL_DAMAGE = {
    "summaries not a mapping": lambda d: d.update(summaries=[]),
    "a summary not text": lambda d: d.update(summaries={"geneva-2026-02.yaml": 1}),
    "duplicated of the wrong type": lambda d: d.update(duplicated=None),
    "referenced missing": lambda d: d.pop("referenced"),
    "referenced not text": lambda d: d.update(referenced=[1]),
    "truncated": None,
}


@pytest.mark.parametrize("damage", DETAIL_DAMAGE)
def test_a_recheck_detail_of_the_wrong_shape_means_a_full_check(kb, monkeypatch, tmp_path, damage):
    _fresh(kb, monkeypatch, tmp_path / "kept")
    path = _entry("detail")
    if DETAIL_DAMAGE[damage] is None:
        path.write_text(path.read_text(encoding="utf-8")[:100], encoding="utf-8")
    else:
        _set(path, DETAIL_DAMAGE[damage])
    assert cache._stored(kb, "detail") is None
    round_file = kb / "rounds" / "geneva-2026-02.yaml"  # a round file edited: a recheck would use the detail
    round_file.write_text(round_file.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    expected = runner.invoke(app, ["validate", "--data", str(kb), "-f", "json", "--no-cache"])
    result = validate(kb)
    assert (result.exit_code, result.stdout) == (expected.exit_code, expected.stdout)
    assert result.exit_code in (0, 1)


def test_a_cache_entry_never_hides_an_error(kb, monkeypatch, tmp_path):
    (kb / "actors" / "ukraine.yaml").write_text("id: ukraine\nname: Ukraine\nkind: state\nroles:\n  - title: x\n    party: nowhere\n", encoding="utf-8")
    assert validate(kb).exit_code == 1
    _set(_entry("report"), lambda d: d.update(problems=[{"file": 1}]))
    result = validate(kb)
    assert result.exit_code == 1 and "unknown-actor" in result.stdout


def test_the_cache_directory_is_created_private(kb, monkeypatch, tmp_path):
    folder = tmp_path / "new" / "peacekb"
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(folder))
    assert validate(kb).exit_code == 0
    assert folder.stat().st_mode & 0o777 == 0o700
    assert cache.read(kb) is not None


def test_a_cache_directory_of_our_own_readable_by_others_is_made_private(kb, monkeypatch, tmp_path):
    folder = tmp_path / "open"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(folder))
    assert validate(kb).exit_code == 0
    assert folder.stat().st_mode & 0o777 == 0o700


def _untrusted(monkeypatch, tmp_path, how: str) -> Path:
    folder = tmp_path / f"untrusted-{how}"
    folder.mkdir()
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(folder))
    if how == "world-writable":
        folder.chmod(0o777)
    elif how == "group-writable":
        folder.chmod(0o770)
    else:  # owned by someone else: another user id than the directory's
        monkeypatch.setattr(os, "getuid", lambda: folder.stat().st_uid + 1)
    return folder


@pytest.mark.parametrize("how", ["world-writable", "group-writable", "another-owner"])
def test_a_cache_directory_that_cannot_be_trusted_is_not_used(kb, monkeypatch, tmp_path, how):
    expected = _fresh(kb, monkeypatch, tmp_path / "fresh")
    folder = _untrusted(monkeypatch, tmp_path, how)
    assert _answers(kb) == expected
    assert list(folder.iterdir()) == []  # neither written ...
    cache._refused.clear()
    result = validate(kb)
    assert result.exit_code == 0 and "running without the cache" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize("how", ["world-writable", "another-owner"])
def test_entries_planted_in_a_cache_directory_that_cannot_be_trusted_are_never_read(kb, monkeypatch, tmp_path, how):
    (kb / "actors" / "ukraine.yaml").write_text("id: ukraine\nname: Ukraine\nkind: state\nroles:\n  - title: x\n    party: nowhere\n", encoding="utf-8")
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / "planted"))
    assert validate(kb).exit_code == 1
    _set(_entry("report"), lambda d: d.update(problems=[]))  # a planted pass
    assert validate(kb).exit_code == 0  # (trusted, it would be believed: the directory is the user's own)
    shutil.copytree(tmp_path / "planted", tmp_path / f"untrusted-{how}")
    folder = tmp_path / f"untrusted-{how}"
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(folder))
    if how == "world-writable":
        folder.chmod(0o777)
    else:
        monkeypatch.setattr(os, "getuid", lambda: folder.stat().st_uid + 1)
    result = validate(kb)
    assert result.exit_code == 1 and "unknown-actor" in result.stdout


def test_without_user_ids_the_ownership_is_not_checked(kb, monkeypatch, tmp_path):
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / "c"))
    (tmp_path / "c").mkdir()
    (tmp_path / "c").chmod(0o777)  # mode bits mean nothing there either
    monkeypatch.delattr(os, "getuid")
    assert validate(kb).exit_code == 0
    assert cache.read(kb) is not None


# --- where the cache lives, and how it is kept small -------------------------------------------------


def test_the_cache_folder_follows_the_platform(monkeypatch, tmp_path):
    monkeypatch.delenv("PEACEKB_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert cache.cache_dir() == tmp_path / "xdg" / "peacekb"
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / "explicit"))
    assert cache.cache_dir() == tmp_path / "explicit"


def _plant(folder: Path, key: str, days_old: float, size: int = 10) -> list[Path]:
    import time

    paths = [folder / f"report-{key}.json", folder / f"saved-{key}.sqlite"]
    for path in paths:
        path.write_bytes(b"x" * size)
        when = time.time() - days_old * 86400
        os.utime(path, (when, when))
    return paths


def test_entries_unused_for_a_month_are_pruned_and_the_oldest_beyond_the_size_limit(tmp_path, monkeypatch):
    folder = tmp_path / "c"
    folder.mkdir()
    old = _plant(folder, "a" * 32, 40)
    recent = _plant(folder, "b" * 32, 2, size=600)
    newest = _plant(folder, "c" * 32, 1, size=600)
    kept = _plant(folder, "d" * 32, 90)  # the knowledge base being checked: never pruned
    other = folder / "notes.txt"
    other.write_text("not ours")
    monkeypatch.setenv("PEACEKB_CACHE_MAX_BYTES", "3000")
    cache.prune(folder, "d" * 32)
    assert not any(p.exists() for p in old) and all(p.exists() for p in recent + newest + kept) and other.exists()
    monkeypatch.setenv("PEACEKB_CACHE_MAX_BYTES", "1500")
    cache.prune(folder, "d" * 32)
    assert all(p.exists() for p in newest + kept) and not any(p.exists() for p in recent)


def test_a_check_marks_its_entries_used_and_prunes_others(kb):
    assert validate(kb).exit_code == 0
    folder = cache.cache_dir()
    stale = _plant(folder, "e" * 32, 45)
    report = next(folder.glob("report-*.json"))
    os.utime(report, (0, 0))
    assert validate(kb).exit_code == 0  # answered from the cache: marks the entry used
    assert report.stat().st_mtime > 86400
    (kb / "actors" / "russia.yaml").write_text((kb / "actors" / "russia.yaml").read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert validate(kb).exit_code == 0  # checked again and written: the stale entries go
    assert not any(p.exists() for p in stale)


def test_the_code_fingerprint_follows_modules_not_their_bytecode(tmp_path, monkeypatch):
    code = tmp_path / "code"
    (code / "sub").mkdir(parents=True)
    (code / "a.py").write_text("x = 1\n")
    monkeypatch.setattr(cache, "CODE", code)
    before = cache._code_entries()
    (code / "__pycache__").mkdir()
    (code / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    (code / "sub" / "notes.txt").write_text("not code")
    assert cache._code_entries() == before  # Python writing bytecode is no new code
    (code / "sub" / "b.py").write_text("y = 2\n")
    added = cache._code_entries()
    assert added != before
    (code / "a.py").write_text("x = 22\n")
    assert cache._code_entries() != added


@pytest.mark.parametrize("fixture", ["references", "sources", "fields"])
def test_the_cached_answers_name_files_as_the_folder_is_spelled_this_time(fixture, tmp_path, monkeypatch):
    """The cache is kept by the folder, however it is spelled: a report or a read saved when the
    folder was named one way names the files as a full check does when it is named another
    (absolute, relative, `.`, from another folder)."""
    from conftest import INVALID

    root = tmp_path / "work" / "data"
    shutil.copytree(INVALID / fixture, root)
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / "cache"))
    spellings = [(tmp_path, str(root)), (tmp_path / "work", "data"), (root, "."), (root / "actors", ".."), (tmp_path, "work/data/"), (tmp_path, str(root))]
    for folder, spelled in spellings:
        monkeypatch.chdir(folder)
        for args in (["validate"], ["validate", "-f", "json"]):
            cached = runner.invoke(app, [*args, "--data", spelled], env={"COLUMNS": "200"})
            full = runner.invoke(app, [*args, "--data", spelled, "--no-cache"], env={"COLUMNS": "200"})
            assert (cached.exit_code, cached.output) == (full.exit_code, full.output), (folder, spelled)
            assert cached.exit_code == 1
