"""The saved knowledge base: what each record file read as, kept and reused while the file is unchanged.

Reading a file (:func:`peacekb.loader.read_file`) parses it and validates its records against their
models, which is most of what a load costs. The result, a :class:`~peacekb.loader.FileRead`, depends
on that file alone, so it is saved, one row per file, in a SQLite file of the cache directory, with
the file's stamp (size, modification and change times, inode) from before it was read. A load then
reads again only the files whose stamp differs or that are new, and takes every other file's
records as saved; the knowledge base is assembled from the reads in the order a full load reads the
files, so the answer is the one a full load gives, byte for byte.

The rows are pickles, and a pickle can name any function to call: they are read only by an
unpickler that knows peacekb's record classes, dates and problems and refuses every other name, and
only from a cache directory that :func:`peacekb.cache.usable_dir` trusts (the user's own, private).
A row that does not unpickle to a read of the file it is saved for, a file of another version, or
rows saved by another version of peacekb's code, mean the files are read again.
"""

from __future__ import annotations

import io
import os
import pickle
import sqlite3
from pathlib import Path

from pydantic import BaseModel

from peacekb import models
from peacekb.cachedb import open_db
from peacekb.loader import FileRead, read_file
from peacekb.problems import Problem, rebased

VERSION = "3"
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE reads (name TEXT PRIMARY KEY, stamp TEXT NOT NULL, head BLOB NOT NULL, statements BLOB);
-- the heads of every file at once, as [(name, stamp, head)]: one unpickling instead of one a file
CREATE TABLE heads (id INTEGER PRIMARY KEY CHECK (id = 1), body BLOB NOT NULL);
"""
SLACK = 64  # files that the snapshot of the heads may be off by before it is made again (see Saved.reads)
# what a saved read may hold besides peacekb's models: nothing else is ever looked up
_ALLOWED = {
    ("datetime", "date"),
    ("peacekb.dates", "FuzzyDate"),
    ("peacekb.loader", "FileRead"),
    ("peacekb.problems", "Problem"),
}


_FOUND: dict[tuple[str, str], type] = {}  # the names allowed, once looked up


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        found = _FOUND.get((module, name))
        if found is not None:
            return found
        if (module, name) in _ALLOWED:
            found = super().find_class(module, name)
        elif module == "peacekb.models":
            candidate = getattr(models, name, None)
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                found = candidate
        if found is None:
            raise pickle.UnpicklingError(f"a saved read names {module}.{name}")
        _FOUND[(module, name)] = found
        return found


def _loads(body: bytes):
    try:
        return _Unpickler(io.BytesIO(body)).load()
    except Exception:  # anything but what peacekb saves: the file is read again
        return None


def _head_ok(read, kind: str, name: str) -> bool:
    """Whether ``read`` is a head (a read without its statements) of the file ``name`` of ``kind``
    as peacekb saves it."""
    return (isinstance(read, FileRead) and read.name == name and read.kind == kind and not read.statements
            and (read.record is None or type(read.record) is models.KINDS[kind])
            and all(isinstance(p, Problem) for p in read.problems))


def _respell(read: FileRead, name: str) -> None:
    """A read saved for the same file with the knowledge base's folder spelled another way (relative
    or absolute, from another folder): the name and the problems' files as ``name`` spells it."""
    if not isinstance(read.kind, str) or not all(isinstance(p, Problem) for p in read.problems):
        return  # not a read as peacekb saves it: refused by _head_ok
    tail = os.path.join(read.kind, os.path.basename(name))
    old, new = read.name[: -len(tail)], name[: -len(tail)]
    if not (read.name.endswith(tail) and name.endswith(tail)) or not all(p in ("", os.sep) or p.endswith(os.sep) for p in (old, new)):
        return
    read.name = name
    read.problems = rebased(read.problems, _folder(old), _folder(new))


def _folder(prefix: str) -> str:
    """The folder that a file's name begins with, as ``str(root)`` gives it: ``a/b/`` is ``a/b``,
    ``/`` is ``/``, and nothing is ``.``."""
    return prefix[:-1] or prefix or "."


def _read_of(head: bytes | FileRead, statements: bytes | None, kind: str, name: str) -> FileRead | None:
    """The read saved as ``head`` (or the head itself, unpickled already) and ``statements``, when
    given, for the file ``name`` of ``kind``; None when the row is not a read of that file as peacekb
    saves it."""
    read = _loads(head) if isinstance(head, bytes) else FileRead(**head.__dict__)
    if isinstance(read, FileRead) and isinstance(read.name, str) and read.name != name:
        _respell(read, name)
    if not _head_ok(read, kind, name):
        return None
    if statements is not None:
        found = _loads(statements)
        if not isinstance(found, list) or not all(
            isinstance(x, tuple) and len(x) == 2 and type(x[0]) is int and type(x[1]) is models.Statement for x in found
        ):
            return None
        read.statements = found
    return read


def _shared(value, seen: dict):
    """``value`` with its parts that are equal made one object, for a pickle to hold each once:
    every string, and every model's set of the fields given (pydantic keeps one per model). Models
    are frozen and their lists and mappings changed in place, for the same values; returns the
    object that stands for ``value`` (the first equal string seen, for a string)."""
    kind = type(value)
    if kind is str:
        return seen.setdefault(value, value)
    if kind is list:
        for index, item in enumerate(value):
            if type(item) in _PARTS or isinstance(item, BaseModel):
                value[index] = _shared(item, seen)
    elif kind is dict:
        items = [(_shared(k, seen), _shared(v, seen)) for k, v in value.items()]
        value.clear()
        value.update(items)
    elif kind is tuple:
        for item in value:
            if isinstance(item, BaseModel):
                _shared(item, seen)
    elif isinstance(value, BaseModel):
        given = value.__pydantic_fields_set__
        one = seen.setdefault(frozenset(given), given)
        if one is not given:
            object.__setattr__(value, "__pydantic_fields_set__", one)
        fields = value.__dict__
        for name, item in fields.items():  # values replaced, no key added: safe while iterating
            if type(item) in _PARTS or isinstance(item, BaseModel):
                fields[name] = _shared(item, seen)
    return value


_PARTS = (str, list, dict, tuple)


def _row(key: str, stamp: str, read: FileRead) -> tuple[str, str, bytes, bytes | None]:
    seen: dict = {}
    _shared(read.record, seen)
    _shared(read.statements, seen)
    statements = pickle.dumps(read.statements, protocol=pickle.HIGHEST_PROTOCOL) if read.statements else None
    head = FileRead(**{**read.__dict__, "statements": []})
    return key, stamp, pickle.dumps(head, protocol=pickle.HIGHEST_PROTOCOL), statements


class Saved:
    """The saved reads of one knowledge base, in the SQLite file at ``path``; ``code`` names the
    version of peacekb's code that saved them. Each read is saved in two parts, the file's records
    but its statements (the *head*) and its statements, so that a command can take the records of
    every file and the statements of only some."""

    def __init__(self, path: Path, code: str) -> None:
        self.db = open_db(path, _SCHEMA, f"{VERSION} {code}", "saved knowledge base")

    def close(self) -> None:
        self.db.close()

    def reads(self, files: list[tuple[str, Path]], stamps: dict[str, str], everything: bool, statements=None) -> list[FileRead]:
        """The read of each of ``files`` ((kind, path) in load order), saved when its stamp in
        ``stamps`` (by ``kind/name``) is the one saved, else read now and saved. ``everything``: the
        files are all the knowledge base has, so rows of files not among them are removed.
        ``statements(kind, path)``: whether the read of that file needs its statements (all when
        None); a read without them has an empty list."""
        saved = dict(self.db.execute("SELECT name, stamp FROM reads"))
        keys = [f"{kind}/{path.name}" for kind, path in files]
        wanted = {key for key, (kind, path) in zip(keys, files) if statements is None or statements(kind, path)}
        current = [key for key in keys if key in saved and saved[key] == stamps.get(key)]
        rows: dict[str, tuple[bytes | FileRead, bytes | None]] = {}
        # the heads of unchanged files from the snapshot of them all, when there is one
        snapshot = self._heads() if everything or len(current) > len(saved) // 2 else {}
        rows.update((key, (snapshot[key][1], None)) for key in current if key in snapshot and snapshot[key][0] == saved[key])
        # the statements are most of the bytes: read only those wanted
        everyone = len(wanted & set(current)) > len(saved) // 2
        columns = "name, stamp, head, statements" if everyone else "name, stamp, head, NULL"
        missing = [key for key in current if key not in rows]
        if len(missing) > len(saved) // 2:
            query = [(f"SELECT {columns} FROM reads", ())]
        else:
            query = [(f"SELECT {columns} FROM reads WHERE name IN ({','.join('?' * len(chunk))})", chunk)
                     for chunk in (missing[i : i + 500] for i in range(0, len(missing), 500))]
        for sql, values in query:
            for key, stamp, head, body in self.db.execute(sql, values):
                if stamp == stamps.get(key) and key not in rows:
                    rows[key] = (head, body)
        needed = [key for key in current if key in wanted and (not everyone or key not in missing)]
        for start in range(0, len(needed), 500):
            chunk = needed[start : start + 500]
            for key, body in self.db.execute(f"SELECT name, statements FROM reads WHERE name IN ({','.join('?' * len(chunk))})", chunk):
                if key in rows:
                    rows[key] = (rows[key][0], body)
        found: list[FileRead] = []
        fresh: list[tuple[str, str, bytes, bytes | None]] = []
        for key, (kind, path) in zip(keys, files):
            row = rows.get(key)
            read = None
            if row is not None:
                head, body = row
                read = _read_of(head, body if key in wanted else None, kind, str(path))  # no body: no statements
            if read is None:
                read = read_file(kind, path)
                if key in stamps:
                    fresh.append(_row(key, stamps[key], read))
                if key not in wanted:
                    read = FileRead(**{**read.__dict__, "statements": []})
            found.append(read)
        gone = saved.keys() - set(keys) if everything else set()
        # the snapshot is made again once it is off by more than a few files: until then, the heads of
        # those it does not hold as they are are read from their own rows (writing it again costs
        # more than reading them: 0.8 s for 7,430 files)
        off = len(snapshot.keys() - set(keys)) + sum(1 for key in keys if snapshot.get(key, ("",))[0] != stamps.get(key)) if everything else 0
        stale = everything and (not snapshot or off > max(SLACK, len(keys) // 50))
        if fresh or gone or stale:
            try:
                with self.db:
                    self.db.executemany("DELETE FROM reads WHERE name = ?", [(key,) for key in gone])
                    self.db.executemany("INSERT OR REPLACE INTO reads VALUES (?, ?, ?, ?)", fresh)
                    if stale:  # every file's head, as it is now, in one row
                        heads = [(key, stamps[key], FileRead(**{**read.__dict__, "statements": []}))
                                 for key, read in zip(keys, found) if key in stamps]
                        self.db.execute("INSERT OR REPLACE INTO heads VALUES (1, ?)", (pickle.dumps(heads, protocol=pickle.HIGHEST_PROTOCOL),))
            except sqlite3.Error:  # another peacekb is writing: these reads are saved next time
                pass
        return found

    def _heads(self) -> dict[str, tuple[str, FileRead]]:
        """The snapshot of every file's head, by ``kind/name``: (stamp, head); empty when there is
        none or it is not of the shape written (each head is checked where it is used)."""
        row = self.db.execute("SELECT body FROM heads WHERE id = 1").fetchone()
        found = _loads(row[0]) if row is not None else None
        if not isinstance(found, list) or not all(isinstance(x, tuple) and len(x) == 3 and type(x[0]) is str and type(x[1]) is str for x in found):
            return {}
        return {key: (stamp, head) for key, stamp, head in found}


    def one(self, kind: str, path: Path, stamp: str | None) -> FileRead:
        """The read of one file, with its statements: saved when ``stamp`` is the one saved, else read
        now (and saved)."""
        key = f"{kind}/{path.name}"
        row = self.db.execute("SELECT stamp, head, statements FROM reads WHERE name = ?", (key,)).fetchone()
        read = _read_of(row[1], row[2], kind, str(path)) if row is not None and row[0] == stamp else None
        if read is None:
            read = read_file(kind, path)
            if stamp is not None:
                try:
                    with self.db:
                        self.db.execute("INSERT OR REPLACE INTO reads VALUES (?, ?, ?, ?)", _row(key, stamp, read))
                except sqlite3.Error:
                    pass
        return read
