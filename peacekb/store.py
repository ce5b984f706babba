"""An index of the statements in round files by the issues they take a stance on, so that a question
about one issue reads only the statements on it.

The index is a SQLite file in the cache directory, one per knowledge base. Each round file's rows
carry the file's stamp (size, modification and change times, inode) from when they were read; before
every answer, the rows of files that changed, appeared or went are read again, and the whole
index is rebuilt when many did, when it is of another version, or when it cannot be read. Only
statements that passed their model are indexed, as a full load keeps only those. A statement is
indexed with what finding a position needs (id, date, holder, stances, retracted or not) and where
it is (file and position), so that the few shown as evidence can be read in full from their file.
Rows read back are checked for their shape (:func:`_indexed`): a row of the wrong types or with a
date that does not parse makes :meth:`StatementIndex.taking_stances` raise :class:`CorruptIndex`,
after which the caller reads every statement in full and the index is rebuilt.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from peacekb.cachedb import open_db
from peacekb.dates import FuzzyDate
from peacekb.kb import KnowledgeBase

VERSION = 6
# beyond this share of the round files changed, reading them all at once is as quick
MAX_SHARE = 0.1

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE files (name TEXT PRIMARY KEY, stamp TEXT NOT NULL);
CREATE TABLE statements (
    id TEXT PRIMARY KEY, file TEXT NOT NULL, position INTEGER NOT NULL, parent TEXT,
    date TEXT NOT NULL, speaker TEXT, party TEXT NOT NULL, holder TEXT, retracted INTEGER NOT NULL,
    stances TEXT NOT NULL, withdraws TEXT NOT NULL
);
CREATE INDEX statements_file ON statements (file);
-- the same rows once for each issue a statement takes a stance on, kept in issue order, so that the
-- statements on a few issues are read in one sweep
CREATE TABLE by_issue (
    issue TEXT NOT NULL, id TEXT NOT NULL, file TEXT NOT NULL, position INTEGER NOT NULL, parent TEXT,
    date TEXT NOT NULL, speaker TEXT, party TEXT NOT NULL, holder TEXT, retracted INTEGER NOT NULL,
    stances TEXT NOT NULL, withdraws TEXT NOT NULL, PRIMARY KEY (issue, id)
) WITHOUT ROWID;
CREATE INDEX by_issue_file ON by_issue (file);
"""
_COLUMNS = "id, date, speaker, party, holder, stances, withdraws, parent, file, position"


class CorruptIndex(sqlite3.DatabaseError):
    """A row of the index is not of the shape that peacekb writes."""


class Indexed(NamedTuple):
    """A statement as the index knows it: what finding positions needs. It stands in for a
    :class:`~peacekb.models.Statement` (with the same names for these fields) until
    :meth:`~peacekb.kb.KnowledgeBase.full` reads it in full from its file."""

    id: str
    date: FuzzyDate
    speaker: str | None
    party_ids: list[str]  # the party, or the parties of a joint statement
    holder: str | None
    stances: dict[str, str]
    withdraws: dict[str, str]
    parent: str | None  # the round's id; None when the round failed its model
    file: str  # the round file's name
    position: int  # its place in the file's `statements`

    retracted = None  # the index answers with statements not retracted only

    @property
    def holders(self) -> list[str]:
        return [self.holder] if self.holder else self.party_ids

    @property
    def issues(self) -> list[str]:
        return list(dict.fromkeys([*self.stances, *self.withdraws]))


class StatementIndex:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = open_db(path, _SCHEMA, str(VERSION), "statement index")

    def close(self) -> None:
        self.db.close()

    def discard(self) -> None:
        """Empty the index (found corrupt), so that the next answer rebuilds it."""
        try:
            with self.db:
                self.db.executescript("DELETE FROM by_issue; DELETE FROM statements; DELETE FROM files;")
        except sqlite3.Error:
            pass

    def sync(self, root: Path, stamps: list[list], kb: KnowledgeBase | None = None) -> None:
        """Bring the index up to date with the round files whose fingerprint entries are ``stamps``
        ([name, size, mtime, ctime, inode], as :func:`peacekb.cache.fingerprint` gives them).
        ``kb``: a knowledge base just loaded in full from these files, to index instead of reading them."""
        current = {entry[0]: " ".join(map(str, entry[1:])) for entry in stamps if entry[0].endswith(".yaml")}
        stored = dict(self.db.execute("SELECT name, stamp FROM files"))
        stale = {name for name, stamp in current.items() if stored.get(name) != stamp} | (stored.keys() - current.keys())
        if not stale:
            return
        if kb is None:
            whole = len(stale) > max(1, MAX_SHARE * len(current))
            kb = _read_rounds(root, None if whole else {Path(name).stem for name in stale & current.keys()})
            if whole:
                stale = current.keys() | stored.keys()
        else:
            stale = current.keys() | stored.keys()
        everything = stale >= stored.keys()
        rows = []
        for ident, statement in kb.statements.items():
            kind, parent = kb.statement_parent[ident]
            origin = kb.origin("statements", ident)
            name = os.path.basename(origin.file)
            if kind != "rounds" or name not in stale:
                continue
            parent = None if (kind, parent) in kb.invalid else parent  # a round that failed its model is no round
            stances = " ".join(f"{issue} {stance}" for issue, stance in statement.stances.items())
            withdraws = " ".join(f"{issue} {stance}" for issue, stance in statement.withdraws.items())
            rows.append((ident, name, origin.path[1], parent, str(statement.date), statement.speaker, " ".join(statement.party_ids),
                         statement.holder, int(statement.retracted is not None), stances, withdraws))
        with self.db:
            if everything:
                self.db.executescript("DELETE FROM by_issue; DELETE FROM statements; DELETE FROM files;")
            else:
                for name in stale:
                    for table in ("by_issue", "statements"):
                        self.db.execute(f"DELETE FROM {table} WHERE file = ?", (name,))
                    self.db.execute("DELETE FROM files WHERE name = ?", (name,))
                # an id already used in another file keeps that statement (validate reports the duplicate)
                taken = self._existing([row[0] for row in rows])
                rows = [row for row in rows if row[0] not in taken]
            self.db.executemany("INSERT OR IGNORE INTO statements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            self.db.executemany(
                "INSERT OR IGNORE INTO by_issue VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(issue, *row) for row in rows for issue in dict.fromkeys(row[-2].split()[::2] + row[-1].split()[::2])],
            )
            self.db.executemany("INSERT INTO files VALUES (?, ?)", [(name, current[name]) for name in stale if name in current])

    def _existing(self, idents: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(idents), 500):
            chunk = idents[start : start + 500]
            found.update(row[0] for row in self.db.execute(f"SELECT id FROM statements WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        return found

    def taking_stances(self, issues: Iterable[str] | None = None, actors: Iterable[str] | None = None) -> list[Indexed]:
        """The statements that take (or withdraw) a stance on one of ``issues`` (on any issue when
        None), with all the stances each takes; when ``actors`` are given, only those whose holder (or
        party, or one of the parties of a joint statement, when no holder is named) or speaker is one
        of them. Retracted statements never: they hold no position."""
        where, values = [], []
        if issues is not None:
            wanted = list(issues)
            where.append(f"issue IN ({','.join('?' * len(wanted))})")
            values += wanted
        else:
            where.append("(stances != '' OR withdraws != '')")
        if actors is not None:
            who = list(actors)
            marks = ",".join("?" * len(who))
            # a joint statement's parties are one text, `a b`: such rows are sorted out below
            where.append(f"(COALESCE(holder, party) IN ({marks}) OR speaker IN ({marks}) OR (holder IS NULL AND party LIKE '% %'))")
            values += who + who
        where.append("retracted = 0")
        table = "by_issue" if issues is not None else "statements"
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM {table} WHERE {' AND '.join(where)}", values)
        found: dict[str, Indexed] = {}
        date = _dates()
        wanted_actors = set(actors) if actors is not None else None
        for row in rows:
            if row[0] in found:  # once, though it may take a stance on several of the issues
                continue
            entry = _indexed(row, date)
            speaker = entry.speaker
            if wanted_actors is not None and speaker not in wanted_actors and wanted_actors.isdisjoint(entry.holders):
                continue
            found[entry.id] = entry
        return list(found.values())


def _dates():
    """FuzzyDate.parse, remembering the texts already parsed in this answer (statements share dates)."""
    seen: dict[str, FuzzyDate] = {}

    def date(text: str) -> FuzzyDate:
        found = seen.get(text)
        if found is None:
            found = seen[text] = FuzzyDate.parse(text)
        return found

    return date


def _indexed(row: tuple, date=FuzzyDate.parse) -> Indexed:
    """The entry of a row (in the order of ``_COLUMNS``); CorruptIndex when it is not of the shape written."""
    ident, when, speaker, party, holder, stances, withdraws, parent, file, position = row
    try:
        entry = Indexed(ident, date(when), speaker, party.split() if " " in party else [party], holder, _pairs(stances),
                        _pairs(withdraws) if withdraws else _NONE, parent, file, position)
    except (TypeError, ValueError, AttributeError):  # not text where text was written, or a date that does not parse
        raise CorruptIndex(f"a row of the statement index is not of the shape written: {ident!r}") from None
    # what the few statements shown are read by, and what must name a statement: checked with plain tests
    if (type(ident) is not str or not ident or not party or type(stances) is not str or type(withdraws) is not str
            or type(file) is not str or type(position) is not int or position < 0
            or "/" in file or "\\" in file or not file.endswith(".yaml")
            or (speaker is not None and type(speaker) is not str) or (holder is not None and type(holder) is not str)
            or (parent is not None and type(parent) is not str)):
        raise CorruptIndex(f"a row of the statement index is not of the shape written: {ident!r}")
    return entry


_NONE: dict[str, str] = {}  # no withdrawals: one empty mapping shared by the entries, never written to


def _pairs(text: str) -> dict[str, str]:
    """`a x b y` -> {a: x, b: y}: stances are stored as issue and stance ids (which hold no spaces)."""
    words = iter(text.split())
    return dict(zip(words, words))


def _read_rounds(root: Path, stems: set[str] | None) -> KnowledgeBase:
    """The statements of the round files named by stem (all when None), validated, nothing else."""
    from peacekb.cache import load
    from peacekb.models import KINDS

    only: dict[str, set[str]] = {kind: set() for kind in KINDS if kind != "rounds"}
    if stems is not None:
        only["rounds"] = stems
    return load(root, cross_checks=False, only=only).kb
