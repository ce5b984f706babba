"""Full-text search over every text of a knowledge base, with SQLite's FTS5.

Every text field of every record (names and aliases, titles, summaries, quotes, notes, outcomes,
provisions, the versions of disputed facts, ...) is one row of an FTS5 table, tagged with the
record it belongs to (its kind and id) and the field's path inside the record
(``quotes[0].text``, ``outcomes[next-round].summary``). The tokenizer is ``porter unicode61
remove_diacritics 2``: words are stemmed (`weapons` finds "weapon", `negotiating` finds
"negotiations") and accents folded (`dolmabahce` finds "Dolmabahçe"), in the query as in the text.

:func:`search_index` builds the index (in memory, or in a file given); :func:`search` asks it.
A query is words, every one of which must appear in the field (in any order); each hit carries a
snippet of the field with the words found marked by their offsets. :func:`matching` answers the
same question over texts given (the ``--text`` filter of ``statements``), so both agree.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from peacekb.kb import KnowledgeBase
from peacekb.models import Dispute

TOKENIZE = "porter unicode61 remove_diacritics 2"
KINDS = ("actors", "issues", "rounds", "events", "sources", "statements")
"""Record kinds a hit belongs to (a quote or an outcome belongs to its statement or round)."""

# snippet markers: private-use characters, taken out of the texts first so that they mark only matches
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKERS = str.maketrans("", "", _OPEN + _CLOSE)
SNIPPET_TOKENS = 16
_WORD = re.compile(r"\w+")


@dataclass
class Hit:
    kind: str  # the record's kind: actors, issues, rounds, events, sources, statements
    id: str
    name: str  # the record's name or title (a statement's date and speaker's name)
    field: str  # the field's path in the record: `summary`, `quotes[0].text`, `outcomes[next].summary`
    snippet: str  # the part of the field around the words found, `…` where it was cut
    highlights: list[list[int]]  # [start, end) of each word found, in the snippet
    rank: float  # bm25: lower is better


def _disputes(disputes: Iterable[Dispute], prefix: str = "") -> Iterator[tuple[str, str]]:
    for d in disputes:
        at = f"{prefix}disputes[{d.id}]"
        yield f"{at}.summary", d.summary
        for n, v in enumerate(d.versions):
            yield f"{at}.versions[{n}].says", v.says
            if isinstance(v.value, str):
                yield f"{at}.versions[{n}].value", v.value
        if d.note:
            yield f"{at}.note", d.note


def record_texts(kb: KnowledgeBase) -> Iterator[tuple[str, str, str, str]]:
    """(kind, id, field, text) of every text in the knowledge base, in a stable order."""
    for kind in ("actors", "issues", "sources", "rounds", "events"):
        for record in getattr(kb, kind).values():
            for field, text in texts_of(kind, record):
                yield kind, record.id, field, text
    for s in kb.statements.values():
        s = kb.full(s)
        for ident, field, text in statement_texts(s):
            yield "statements", ident, field, text


def texts_of(kind: str, record) -> Iterator[tuple[str, str]]:
    """(field, text) of every text of one record of ``kind`` but its statements."""
    if kind == "actors":
        a = record
        yield "name", a.name
        for n, alias in enumerate(a.aliases):
            yield f"aliases[{n}]", alias
        if a.description:
            yield "description", a.description
        for n, r in enumerate(a.roles):
            yield f"roles[{n}].title", r.title
            if r.note:
                yield f"roles[{n}].note", r.note
        yield from _disputes(a.disputes)
    elif kind == "issues":
        i = record
        yield "title", i.title
        if i.description:
            yield "description", i.description
        for s in i.stances:
            yield f"stances[{s.id}].label", s.label
            if s.description:
                yield f"stances[{s.id}].description", s.description
    elif kind == "sources":
        for field in ("title", "publisher", "original_publisher", "note"):
            value = getattr(record, field)
            if value:
                yield field, value
    elif kind == "rounds":
        r = record
        for field in ("title", "location", "venue", "note"):
            value = getattr(r, field)
            if value:
                yield field, value
        for d in r.delegations:
            if d.note:
                yield f"delegations[{d.party}].note", d.note
        for o in r.outcomes:
            yield f"outcomes[{o.id}].summary", o.summary
            if o.note:
                yield f"outcomes[{o.id}].note", o.note
        yield from _notes(r.third_parties, "third_parties")
        for n, text in enumerate(r.not_found):
            yield f"not_found[{n}]", text
        yield from _disputes(r.disputes)
    elif kind == "events":
        e = record
        yield "title", e.title
        if e.description:
            yield "description", e.description
        for p in e.provisions:
            yield f"provisions[{p.id}].summary", p.summary
        if e.question:
            yield "question", e.question
        for items, name in ((e.parties, "parties"), (e.third_parties, "third_parties"), (e.history, "history")):
            yield from _notes(items, name)
        if e.results is not None and e.results.note:
            yield "results.note", e.results.note
        for n, text in enumerate(e.not_found):
            yield f"not_found[{n}]", text
        if e.note:
            yield "note", e.note
        yield from _disputes(e.disputes)


def _notes(items, name: str) -> Iterator[tuple[str, str]]:
    """The notes of a list's items (parties, third parties, status changes), by their place."""
    for n, item in enumerate(items):
        if item.note:
            yield f"{name}[{n}].note", item.note


def statement_texts(s) -> Iterator[tuple[str, str, str]]:
    yield s.id, "summary", s.summary
    for n, q in enumerate(s.quotes):
        yield s.id, f"quotes[{n}].text", q.text
        if q.note:
            yield s.id, f"quotes[{n}].note", q.note
    if s.channel:
        yield s.id, "channel", s.channel
    if s.retracted:
        yield s.id, "retracted.reason", s.retracted.reason
    if s.note:
        yield s.id, "note", s.note
    for field, text in _disputes(s.disputes):
        yield s.id, field, text


_SCHEMA = f"""
CREATE VIRTUAL TABLE search USING fts5(kind UNINDEXED, record UNINDEXED, field UNINDEXED, text, file UNINDEXED, tokenize='{TOKENIZE}');
CREATE TABLE names (kind TEXT NOT NULL, record TEXT NOT NULL, file TEXT NOT NULL, name TEXT, speaker TEXT, parties TEXT);
CREATE INDEX names_record ON names (kind, record);
CREATE INDEX names_file ON names (file);
"""


# what the index kept in the cache adds: the stamp of each file its rows were made from
_FILES = "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); CREATE TABLE files (name TEXT PRIMARY KEY, stamp TEXT NOT NULL);"


def create_table(conn: sqlite3.Connection, name: str = "search") -> None:
    conn.execute(
        f"CREATE VIRTUAL TABLE {name} USING fts5(kind UNINDEXED, record UNINDEXED, field UNINDEXED, text, tokenize='{TOKENIZE}')"
    )


def fill(conn: sqlite3.Connection, rows: Iterable[tuple[str, str, str, str]], name: str = "search") -> None:
    conn.executemany(f"INSERT INTO {name} (kind, record, field, text) VALUES (?, ?, ?, ?)",
                     ((k, i, f, t.translate(_MARKERS)) for k, i, f, t in rows))


def _name_row(kind: str, record, file: str) -> tuple:
    if kind == "statements":
        return kind, record.id, file, str(record.date), record.speaker, " ".join(record.party_ids)
    name = getattr(record, "name", None) or getattr(record, "title", None) or record.id
    return kind, record.id, file, name, None, None


def _add(conn: sqlite3.Connection, kind: str, record, file: str, statements: Iterable = ()) -> None:
    """The rows of one record (and of the statements it holds) from ``file``."""
    rows = [(kind, record.id, field, text.translate(_MARKERS), file) for field, text in texts_of(kind, record)] if record is not None else []
    names = [_name_row(kind, record, file)] if record is not None else []
    for statement in statements:
        rows += [("statements", ident, field, text.translate(_MARKERS), file) for ident, field, text in statement_texts(statement)]
        names.append(_name_row("statements", statement, file))
    conn.executemany("INSERT INTO search (kind, record, field, text, file) VALUES (?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT INTO names VALUES (?, ?, ?, ?, ?, ?)", names)


def search_index(kb: KnowledgeBase, path: str = ":memory:") -> sqlite3.Connection:
    """An FTS5 index of every text in ``kb`` (see :func:`record_texts`), with a ``names`` table of
    each record's name for the hits; in memory unless a file ``path`` is given."""
    conn = sqlite3.connect(path)
    conn.executescript(_SCHEMA)
    for kind in ("actors", "issues", "sources", "rounds", "events"):
        for record in getattr(kb, kind).values():
            _add(conn, kind, record, kb.origin(kind, record.id).file)
    for s in kb.statements.values():
        _add(conn, "statements", None, kb.origin("statements", s.id).file, [kb.full(s)])
    conn.commit()
    return conn


class CachedIndex:
    """The search index of a knowledge base kept in a file of the cache and brought up to date file
    by file: the rows of each record file carry its name, and the stamp it had when they were made
    is kept; before an answer, the rows of files changed, added or removed since are made again.
    ``code`` names the version of peacekb's code: rows made by other code are all made again."""

    VERSION = "1"

    def __init__(self, path, code: str) -> None:
        from peacekb.cachedb import open_db

        self.conn = open_db(path, _SCHEMA + _FILES, f"{self.VERSION} {code}", "search index")

    def close(self) -> None:
        self.conn.close()

    def sync(self, stamps: dict[str, str], reads) -> None:
        """``stamps``: the stamp of every record file, by ``kind/name``; ``reads(keys)``: the
        :class:`~peacekb.loader.FileRead` of each of those files (with statements)."""
        saved = dict(self.conn.execute("SELECT name, stamp FROM files"))
        stale = {key for key, stamp in stamps.items() if saved.get(key) != stamp} | (saved.keys() - stamps.keys())
        if not stale:
            return
        found = reads({key for key in stale if key in stamps})
        with self.conn:
            if len(stale) > len(saved) // 2:
                self.conn.executescript("DELETE FROM search; DELETE FROM names; DELETE FROM files;")
            else:
                for key in stale:
                    self.conn.execute("DELETE FROM search WHERE file = ?", (key,))
                    self.conn.execute("DELETE FROM names WHERE file = ?", (key,))
                    self.conn.execute("DELETE FROM files WHERE name = ?", (key,))
            for read in found:
                key = f"{read.kind}/{read.name.replace(chr(92), '/').rsplit('/', 1)[-1]}"
                _add(self.conn, read.kind, read.record, key, (s for _, s in read.statements))
            self.conn.executemany("INSERT OR REPLACE INTO files VALUES (?, ?)", [(key, stamps[key]) for key in stale if key in stamps])


def fts_query(words: str) -> str | None:
    """The FTS5 query for ``words``: each word a quoted string, all of them required; None when
    there is no word (punctuation alone)."""
    tokens = _WORD.findall(words)
    if not tokens:
        return None
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in tokens)


def search(conn: sqlite3.Connection, words: str, kinds: Iterable[str] | None = None, limit: int | None = None) -> list[Hit]:
    """The fields whose text holds every one of ``words`` (stemmed, accents folded), best first
    (bm25, then kind, record and field); of ``kinds`` only, when given."""
    query = fts_query(words)
    if query is None:
        return []
    wanted = list(dict.fromkeys(kinds or ()))
    where = f" AND kind IN ({', '.join('?' * len(wanted))})" if wanted else ""
    sql = (
        f"SELECT kind, record, field, snippet(search, 3, '{_OPEN}', '{_CLOSE}', '…', {SNIPPET_TOKENS}), bm25(search) AS score "
        f"FROM search WHERE search MATCH ?{where} ORDER BY score, kind, record, field" + (f" LIMIT {int(limit)}" if limit else "")
    )
    rows = conn.execute(sql, [query, *wanted]).fetchall()
    names = _hit_names(conn, {(kind, ident) for kind, ident, *_ in rows})
    return [Hit(kind, ident, names.get((kind, ident), ident), field, *_marked(snippet), round(score, 6))
            for kind, ident, field, snippet, score in rows]


def _hit_names(conn: sqlite3.Connection, records: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The name shown for each record hit: its name or title; a statement's date and who spoke
    (the speaker's name, else the parties' names)."""
    found: dict[tuple[str, str], tuple] = {}
    for kind, ident in records:
        row = conn.execute("SELECT name, speaker, parties FROM names WHERE kind = ? AND record = ? LIMIT 1", (kind, ident)).fetchone()
        if row is not None:
            found[(kind, ident)] = row
    actors: set[str] = set()
    for (kind, _), (name, speaker, parties) in found.items():
        if kind == "statements":
            actors.update([speaker] if speaker else (parties or "").split())
    actor_names: dict[str, str] = {}
    for ident in actors:
        row = conn.execute("SELECT name FROM names WHERE kind = 'actors' AND record = ? LIMIT 1", (ident,)).fetchone()
        if row is not None:
            actor_names[ident] = row[0]
    shown = {}
    for key, (name, speaker, parties) in found.items():
        if key[0] == "statements":
            who = actor_names.get(speaker) if speaker else None
            who = who or ", ".join(actor_names.get(p, p) for p in (parties or "").split())
            shown[key] = f"{name}, {who}" if who else name
        else:
            shown[key] = name
    return shown


def _marked(snippet: str) -> tuple[str, list[list[int]]]:
    """The snippet without its markers, and the spans they marked."""
    plain, spans, start = [], [], None
    length = 0
    for part in re.split(f"([{_OPEN}{_CLOSE}])", snippet):
        if part == _OPEN:
            start = length
        elif part == _CLOSE:
            if start is not None:
                spans.append([start, length])
            start = None
        else:
            plain.append(part)
            length += len(part)
    return "".join(plain), spans


def statement_matches(conn: sqlite3.Connection, words: str) -> set[str] | None:
    """The ids of the statements whose summary and quotes, taken together, hold every one of
    ``words``, from an index (as :func:`matching` finds them over those texts); None for no words."""
    tokens = _WORD.findall(words)
    if not tokens:
        return None
    found: set[str] | None = None
    for token in tokens:
        rows = conn.execute(
            "SELECT record FROM search WHERE search MATCH ? AND kind = 'statements' AND (field = 'summary' OR field GLOB 'quotes[[]*].text')",
            ['"' + token.replace('"', '""') + '"'],
        )
        ids = {row[0] for row in rows}
        found = ids if found is None else found & ids
        if not found:
            break
    return found or set()


def matching(texts: dict[str, list[str]], words: str) -> set[str]:
    """The keys of ``texts`` whose texts, taken together, hold every one of ``words``, matched as
    :func:`search` matches them (stemmed, accents folded)."""
    query = fts_query(words)
    if query is None:
        return set(texts)
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(key UNINDEXED, text, tokenize='{TOKENIZE}')")
        conn.executemany("INSERT INTO t VALUES (?, ?)", ((k, "\n".join(v)) for k, v in texts.items()))
        return {key for (key,) in conn.execute("SELECT key FROM t WHERE t MATCH ?", [query])}
    finally:
        conn.close()
