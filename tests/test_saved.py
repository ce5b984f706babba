"""The saved knowledge base: each file's read reused while the file is unchanged, never trusted blindly."""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import INVALID, VALID
from peacekb import cache, loader


def copy(source: Path, tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(source, root)
    return root


def same(a, b) -> None:
    """The two loads gave the same knowledge base and the same problems."""
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
    for kind in ("actors", "issues", "rounds", "sources", "events", "statements"):
        assert getattr(a.kb, kind) == getattr(b.kb, kind), kind
    assert a.kb.origins == b.kb.origins and a.kb.invalid == b.kb.invalid and a.kb.statement_parent == b.kb.statement_parent


def saved_db(root: Path) -> Path:
    return cache._path(root, "saved").with_suffix(".sqlite")


@pytest.mark.parametrize("source", [VALID, *sorted(p for p in INVALID.iterdir() if p.is_dir())], ids=lambda p: p.name)
def test_a_load_from_saved_reads_is_a_full_load(source, tmp_path):
    root = copy(source, tmp_path)
    first = cache.load(root)  # every file read and saved
    again = cache.load(root)  # every file from its saved read
    same(first, loader.load(root))
    same(again, loader.load(root))


def test_only_changed_added_and_removed_files_are_read_again(tmp_path, monkeypatch):
    root = copy(VALID, tmp_path)
    cache.load(root)
    read = []
    real = loader.read_file
    monkeypatch.setattr(loader, "read_file", lambda kind, path, text=None: read.append(path.name) or real(kind, path, text))
    monkeypatch.setattr("peacekb.saved.read_file", loader.read_file)
    cache.load(root)
    assert read == []

    actor = next((root / "actors").glob("*.yaml"))
    actor.write_text(actor.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    shutil.copy(actor, root / "actors" / "zz-copy.yaml")
    gone = sorted((root / "sources").glob("*.yaml"))[0]
    gone.unlink()
    result = cache.load(root)
    assert sorted(read) == sorted([actor.name, "zz-copy.yaml"])
    same(result, loader.load(root))
    names = {row[0] for row in sqlite3.connect(saved_db(root)).execute("SELECT name FROM reads")}
    assert f"sources/{gone.name}" not in names and "actors/zz-copy.yaml" in names


class Planted:
    """Unpickling this would run a function: a saved read must never be able to."""

    def __reduce__(self):
        return (os.system, ("echo planted > /dev/null",))


@pytest.mark.parametrize("column", ["head", "statements"])
@pytest.mark.parametrize("body", [b"not a pickle", pickle.dumps(Planted()), pickle.dumps({"a": 1}), pickle.dumps([1, 2])])
def test_a_foreign_or_corrupt_row_means_the_file_is_read_again(body, column, tmp_path, monkeypatch):
    root = copy(VALID, tmp_path)
    cache.load(root)
    calls = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a) or 0)
    db = sqlite3.connect(saved_db(root))
    with db:
        db.execute(f"UPDATE reads SET {column} = ? WHERE {column} IS NOT NULL", (body,))
        db.execute("DELETE FROM heads")  # else the heads come from the snapshot of them all
    db.close()
    same(cache.load(root), loader.load(root))
    assert calls == []
    # and the rows were saved anew
    again = sqlite3.connect(saved_db(root)).execute(f"SELECT {column} FROM reads").fetchall()
    assert all(row[0] != body for row in again)


def test_a_read_saved_for_another_file_is_not_used(tmp_path):
    root = copy(VALID, tmp_path)
    cache.load(root)
    db = sqlite3.connect(saved_db(root))
    rows = dict(db.execute("SELECT name, head FROM reads WHERE name LIKE 'actors/%'"))
    first, second = sorted(rows)[:2]
    with db:
        db.execute("UPDATE reads SET head = ? WHERE name = ?", (rows[second], first))
    db.close()
    same(cache.load(root), loader.load(root))


def test_rows_of_other_code_are_not_used(tmp_path, monkeypatch):
    root = copy(VALID, tmp_path)
    cache.load(root)
    db = sqlite3.connect(saved_db(root))
    with db:
        db.execute("UPDATE meta SET value = '2 other-code' WHERE key = 'version'")
        db.execute("UPDATE reads SET head = ?", (b"garbage",))
    db.close()
    same(cache.load(root), loader.load(root))
    assert sqlite3.connect(saved_db(root)).execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0] != "2 other-code"


def test_an_untrusted_cache_directory_is_not_read(tmp_path, monkeypatch):
    root = copy(VALID, tmp_path)
    folder = tmp_path / "shared-cache"
    folder.mkdir()
    os.chmod(folder, 0o777)
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(folder))
    if hasattr(os, "getuid"):
        same(cache.load(root), loader.load(root))
        assert list(folder.iterdir()) == []


def test_a_row_holding_records_of_another_kind_means_the_file_is_read_again(tmp_path):
    from peacekb.loader import FileRead
    from peacekb.models import Quote

    root = copy(VALID, tmp_path)
    cache.load(root)
    db = sqlite3.connect(saved_db(root))
    name, = db.execute("SELECT name FROM reads WHERE name LIKE 'actors/%' LIMIT 1").fetchone()
    path = str(root / name)
    planted = [
        FileRead("actors", path, "x", True, record=Quote(text="t", source="s")),
        FileRead("sources", path, "x", True),
        FileRead("actors", path, "x", True, problems=["not a problem"]),
    ]
    for read in planted:
        with db:
            db.execute("UPDATE reads SET head = ? WHERE name = ?", (pickle.dumps(read), name))
        same(cache.load(root), loader.load(root))
    rounds = [row[0] for row in db.execute("SELECT name FROM reads WHERE name LIKE 'rounds/%' AND statements IS NOT NULL")]
    with db:
        db.execute("UPDATE reads SET statements = ? WHERE name = ?", (pickle.dumps([(0, "not a statement")]), rounds[0]))
    db.close()
    same(cache.load(root), loader.load(root))


@pytest.mark.parametrize("body", [b"not a pickle", pickle.dumps(Planted()), pickle.dumps({"a": 1}), pickle.dumps([("x", "y")]), "other file"])
def test_a_foreign_or_corrupt_snapshot_of_the_heads_is_not_used(body, tmp_path, monkeypatch):
    root = copy(VALID, tmp_path)
    cache.load(root)
    calls = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a) or 0)
    db = sqlite3.connect(saved_db(root))
    if body == "other file":  # every head swapped with another file's
        from peacekb.saved import _loads

        heads = _loads(db.execute("SELECT body FROM heads").fetchone()[0])
        body = pickle.dumps([(key, stamp, heads[(n + 1) % len(heads)][2]) for n, (key, stamp, _) in enumerate(heads)])
    with db:
        db.execute("UPDATE heads SET body = ?", (body,))
    db.close()
    same(cache.load(root), loader.load(root))
    assert calls == []


def test_the_snapshot_of_the_heads_follows_the_files(tmp_path):
    root = copy(VALID, tmp_path)
    cache.load(root)
    actor = root / "actors" / "russia.yaml"
    actor.write_text(actor.read_text(encoding="utf-8").replace("name: ", "name: Renamed ", 1), encoding="utf-8")
    cache.load(root, only={"actors": {"russia"}})  # a partial load saves the row, not the snapshot
    result = cache.load(root)
    assert result.kb.actors["russia"].name.startswith("Renamed ")
    same(result, loader.load(root))
    same(cache.load(root), loader.load(root))  # the snapshot, and the head of the changed file from its row


def snapshot_body(root: Path) -> bytes:
    db = sqlite3.connect(saved_db(root))
    try:
        return db.execute("SELECT body FROM heads").fetchone()[0]
    finally:
        db.close()


def test_the_snapshot_of_the_heads_is_made_again_once_it_is_off_by_more_than_a_few_files(tmp_path, monkeypatch):
    root = copy(VALID, tmp_path)
    cache.load(root)
    first = snapshot_body(root)
    monkeypatch.setattr("peacekb.saved.SLACK", 2)
    files = sorted((root / "actors").glob("*.yaml"))
    assert len(files) > 3
    for n, path in enumerate(files[:3], 1):
        path.write_text(path.read_text(encoding="utf-8") + f"# edited {n}\n", encoding="utf-8")
        same(cache.load(root), loader.load(root))
        if n <= 2:  # off by one file, then two: the heads of those come from their rows
            assert snapshot_body(root) == first
    assert snapshot_body(root) != first  # off by three: made again
    same(cache.load(root), loader.load(root))


def test_the_equal_parts_of_a_saved_file_are_one_object(tmp_path):
    """A saved read holds each distinct string and each distinct set of the fields given (pydantic
    keeps one per model) once; every model still has the values and the set a fresh read gives it."""
    root = copy(Path(__file__).parent.parent / "data", tmp_path)  # statements of one file with the same fields
    cache.load(root)
    again = cache.load(root).kb
    fresh = loader.load(root).kb
    same_sets = {ident: s.model_fields_set for ident, s in fresh.statements.items()}
    assert {ident: s.model_fields_set for ident, s in again.statements.items()} == same_sets
    by_file: dict[str, list] = {}
    for ident, statement in again.statements.items():
        by_file.setdefault(again.origin("statements", ident).file, []).append(statement)
    shared = 0
    for statements in by_file.values():
        sets = {frozenset(s.model_fields_set): id(s.model_fields_set) for s in statements}
        assert all(id(s.model_fields_set) == sets[frozenset(s.model_fields_set)] for s in statements)
        shared += len(statements) - len(sets)
        words = [w for s in statements for w in (s.attribution, *s.issues, *s.stances, *s.stances.values())]
        assert len({id(w) for w in words}) == len(set(words))
    assert shared > 0


def test_a_folder_spelled_another_way_reads_nothing_again(tmp_path, monkeypatch):
    root = copy(INVALID / "fields", tmp_path)
    cache.load(root)
    read = []
    real = loader.read_file
    monkeypatch.setattr("peacekb.saved.read_file", lambda kind, path, text=None: read.append(path.name) or real(kind, path, text))
    for folder, spelled in ((tmp_path, "kb"), (root, "."), (root / "rounds", "..")):
        monkeypatch.chdir(folder)
        same(cache.load(Path(spelled)), loader.load(Path(spelled)))
    assert read == []
