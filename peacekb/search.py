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
    for a in kb.actors.values():
        yield "actors", a.id, "name", a.name
        for n, alias in enumerate(a.aliases):
            yield "actors", a.id, f"aliases[{n}]", alias
        if a.description:
            yield "actors", a.id, "description", a.description
        for n, r in enumerate(a.roles):
            yield "actors", a.id, f"roles[{n}].title", r.title
            if r.note:
                yield "actors", a.id, f"roles[{n}].note", r.note
        for field, text in _disputes(a.disputes):
            yield "actors", a.id, field, text
    for i in kb.issues.values():
        yield "issues", i.id, "title", i.title
        if i.description:
            yield "issues", i.id, "description", i.description
        for s in i.stances:
            yield "issues", i.id, f"stances[{s.id}].label", s.label
            if s.description:
                yield "issues", i.id, f"stances[{s.id}].description", s.description
    for s in kb.sources.values():
        for field in ("title", "publisher", "original_publisher", "note"):
            value = getattr(s, field)
            if value:
                yield "sources", s.id, field, value
    for r in kb.rounds.values():
        for field in ("title", "location", "venue", "note"):
            value = getattr(r, field)
            if value:
                yield "rounds", r.id, field, value
        for d in r.delegations:
            if d.note:
                yield "rounds", r.id, f"delegations[{d.party}].note", d.note
        for o in r.outcomes:
            yield "rounds", r.id, f"outcomes[{o.id}].summary", o.summary
            if o.note:
                yield "rounds", r.id, f"outcomes[{o.id}].note", o.note
        for n, text in enumerate(r.not_found):
            yield "rounds", r.id, f"not_found[{n}]", text
        for field, text in _disputes(r.disputes):
            yield "rounds", r.id, field, text
    for e in kb.events.values():
        yield "events", e.id, "title", e.title
        if e.description:
            yield "events", e.id, "description", e.description
        for p in e.provisions:
            yield "events", e.id, f"provisions[{p.id}].summary", p.summary
        for n, text in enumerate(e.not_found):
            yield "events", e.id, f"not_found[{n}]", text
        if e.note:
            yield "events", e.id, "note", e.note
        for field, text in _disputes(e.disputes):
            yield "events", e.id, field, text
    for s in kb.statements.values():
        s = kb.full(s)
        for ident, field, text in statement_texts(s):
            yield "statements", ident, field, text


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


def create_table(conn: sqlite3.Connection, name: str = "search") -> None:
    conn.execute(
        f"CREATE VIRTUAL TABLE {name} USING fts5(kind UNINDEXED, record UNINDEXED, field UNINDEXED, text, tokenize='{TOKENIZE}')"
    )


def fill(conn: sqlite3.Connection, rows: Iterable[tuple[str, str, str, str]], name: str = "search") -> None:
    conn.executemany(f"INSERT INTO {name} (kind, record, field, text) VALUES (?, ?, ?, ?)",
                     ((k, i, f, t.translate(_MARKERS)) for k, i, f, t in rows))


def search_index(kb: KnowledgeBase, path: str = ":memory:") -> sqlite3.Connection:
    """An FTS5 index of every text in ``kb`` (see :func:`record_texts`), with a ``names`` table of
    each record's name for the hits; in memory unless a file ``path`` is given."""
    conn = sqlite3.connect(path)
    create_table(conn)
    conn.execute("CREATE TABLE names (kind TEXT, record TEXT, name TEXT, PRIMARY KEY (kind, record))")
    fill(conn, record_texts(kb))
    conn.executemany("INSERT INTO names VALUES (?, ?, ?)", _names(kb))
    conn.commit()
    return conn


def _names(kb: KnowledgeBase) -> Iterator[tuple[str, str, str]]:
    for kind in ("actors", "issues", "rounds", "events"):
        for record in getattr(kb, kind).values():
            yield kind, record.id, getattr(record, "name", None) or record.title
    for s in kb.sources.values():
        yield "sources", s.id, s.title or s.id
    for s in kb.statements.values():
        speaker = kb.actors.get(s.speaker) if s.speaker else None
        who = speaker.name if speaker else ", ".join(kb.actors[p].name if p in kb.actors else p for p in s.party_ids)
        yield "statements", s.id, f"{s.date}, {who}" if who else str(s.date)


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
    where = f" AND search.kind IN ({', '.join('?' * len(wanted))})" if wanted else ""
    sql = (
        f"SELECT search.kind, search.record, coalesce(names.name, search.record), search.field, "
        f"snippet(search, 3, '{_OPEN}', '{_CLOSE}', '…', {SNIPPET_TOKENS}), bm25(search) AS score "
        "FROM search LEFT JOIN names ON names.kind = search.kind AND names.record = search.record "
        f"WHERE search MATCH ?{where} ORDER BY score, search.kind, search.record, search.field"
        + (f" LIMIT {int(limit)}" if limit else "")
    )
    return [Hit(kind, ident, name, field, *_marked(snippet), round(score, 6))
            for kind, ident, name, field, snippet, score in conn.execute(sql, [query, *wanted])]


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
