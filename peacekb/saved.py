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
import pickle
import sqlite3
from pathlib import Path

from pydantic import BaseModel

from peacekb import models
from peacekb.loader import FileRead, read_file

VERSION = "1"
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE reads (name TEXT PRIMARY KEY, stamp TEXT NOT NULL, body BLOB NOT NULL);
"""
# what a saved read may hold besides peacekb's models: nothing else is ever looked up
_ALLOWED = {
    ("datetime", "date"),
    ("peacekb.dates", "FuzzyDate"),
    ("peacekb.loader", "FileRead"),
    ("peacekb.problems", "Problem"),
}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        if module == "peacekb.models":
            found = getattr(models, name, None)
            if isinstance(found, type) and issubclass(found, BaseModel):
                return found
        raise pickle.UnpicklingError(f"a saved read names {module}.{name}")


def _loads(body: bytes, name: str) -> FileRead | None:
    try:
        read = _Unpickler(io.BytesIO(body)).load()
    except Exception:  # anything but a read as peacekb saves it: read the file again
        return None
    return read if isinstance(read, FileRead) and read.name == name else None


class Saved:
    """The saved reads of one knowledge base, in the SQLite file at ``path``; ``code`` names the
    version of peacekb's code that saved them."""

    def __init__(self, path: Path, code: str) -> None:
        self.db = _open(path, code)

    def close(self) -> None:
        self.db.close()

    def reads(self, files: list[tuple[str, Path]], stamps: dict[str, str], everything: bool) -> list[FileRead]:
        """The read of each of ``files`` ((kind, path) in load order), saved when its stamp in
        ``stamps`` (by ``kind/name``) is the one saved, else read now and saved. ``everything``: the
        files are all the knowledge base has, so rows of files not among them are removed."""
        saved = dict(self.db.execute("SELECT name, stamp FROM reads"))
        keys = [f"{kind}/{path.name}" for kind, path in files]
        current = [key for key in keys if key in saved and saved[key] == stamps.get(key)]
        bodies: dict[str, bytes] = {}
        if len(current) > len(saved) // 2:
            bodies = {key: body for key, stamp, body in self.db.execute("SELECT name, stamp, body FROM reads") if stamp == stamps.get(key)}
        else:
            for start in range(0, len(current), 500):
                chunk = current[start : start + 500]
                bodies.update(self.db.execute(f"SELECT name, body FROM reads WHERE name IN ({','.join('?' * len(chunk))})", chunk))
        found: list[FileRead] = []
        fresh: list[tuple[str, str, bytes]] = []
        for key, (kind, path) in zip(keys, files):
            body = bodies.get(key)
            read = _loads(body, str(path)) if body is not None else None
            if read is None:
                read = read_file(kind, path)
                if key in stamps:
                    fresh.append((key, stamps[key], pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL)))
            found.append(read)
        gone = saved.keys() - set(keys) if everything else set()
        if fresh or gone:
            try:
                with self.db:
                    self.db.executemany("DELETE FROM reads WHERE name = ?", [(key,) for key in gone])
                    self.db.executemany("INSERT OR REPLACE INTO reads VALUES (?, ?, ?)", fresh)
            except sqlite3.Error:  # another peacekb is writing: these reads are saved next time
                pass
        return found


def _open(path: Path, code: str) -> sqlite3.Connection:
    """The saved reads at ``path``, made anew when of another version, of other code, or unreadable."""
    for attempt in range(2):
        db = sqlite3.connect(path, timeout=5, isolation_level="DEFERRED")
        try:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables:
                db.executescript(_SCHEMA)
                with db:
                    db.executemany("INSERT INTO meta VALUES (?, ?)", [("version", VERSION), ("code", code)])
                return db
            meta = dict(db.execute("SELECT key, value FROM meta"))
            if meta.get("version") == VERSION and meta.get("code") == code:
                return db
        except sqlite3.DatabaseError:
            pass
        db.close()
        if attempt == 0:
            path.unlink(missing_ok=True)
    raise sqlite3.DatabaseError(f"cannot create the saved knowledge base at {path}")
