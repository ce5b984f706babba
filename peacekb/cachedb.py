"""The SQLite files of the cache: opened as they are while made by this version, else made anew."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def open_db(path: Path, schema: str, version: str, what: str) -> sqlite3.Connection:
    """The database at ``path``: as it is when its ``meta`` table names ``version``; else (missing,
    of another version or of other code, unreadable) made anew with ``schema``, which must create a
    ``meta (key TEXT PRIMARY KEY, value TEXT)`` table. ``what`` names it in the error raised when it
    cannot be made."""
    for attempt in range(2):
        db = sqlite3.connect(path, timeout=5, isolation_level="DEFERRED")
        try:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables:
                db.executescript(schema)
                with db:
                    db.execute("INSERT INTO meta VALUES ('version', ?)", (version,))
                return db
            if db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone() == (version,):
                return db
        except sqlite3.DatabaseError:
            pass
        db.close()
        if attempt == 0:
            Path(path).unlink(missing_ok=True)
    raise sqlite3.DatabaseError(f"cannot create the {what} at {path}")
