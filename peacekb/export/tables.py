"""The knowledge base as relational tables: the one layout that the SQLite and CSV exports write.

One table per kind of record and sub-record (actors, roles, issues, stances, rounds, delegations,
outcomes, events, provisions, statements, quotes, sources, disputes, versions, ...), one row per
record; every list a record holds is rows of its own table (statement_parties, aliases,
citations, ...), never a joined string. Records are keyed by their id; a sub-record, which has an
id only within its record, by a text ``key`` that joins them (``geneva-2026-02/russia`` for
Russia's delegation in that round, ``statement-id/0`` for a statement's first quote). Tables that
hold rows for several kinds of record (citations, record_issues, ...) name the table and the key
of the record each row belongs to (``record_table``, ``record``).

Every date is kept as written (``2025-11-20~``, ``2025-12-19/2025-12-20``, ``../2026-02-23``) with
three columns SQL can sort and filter on: ``date_start`` (the first day it may be, ISO; empty for an
open start ``../END``), ``date_end`` (the last day; empty for an open end ``START/..``) and ``date_precision`` (day, month or year). A
round's run from its start to its end, a role's from its start to its end.

The ``positions`` table is where every holder stands on every issue, as ``peacekb positions``
computes it with everything on record (no ``--as-of``): one row per stance held and statement or
document of its latest voicing; a holder at the table with none on record has one row with no stance.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from peacekb import queries
from peacekb.claims import by_holder, by_issue
from peacekb.dates import FuzzyDate
from peacekb.kb import KnowledgeBase
from peacekb.models import Dispute


@dataclass
class Column:
    name: str
    type: str  # TEXT, INTEGER, REAL, or "" (any: a disputed version's value)
    description: str


@dataclass
class Table:
    name: str
    description: str
    columns: list[Column]
    primary_key: tuple[str, ...]
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)  # (column, table, column)
    rows: list[tuple] = field(default_factory=list)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def C(name: str, kind: str, description: str) -> Column:
    return Column(name, kind, description)


DATES = [
    C("date_start", "TEXT", "First day the date may be (ISO 8601, YYYY-MM-DD); empty for an open start (`../END`)."),
    C("date_end", "TEXT", "Last day the date may be (ISO 8601, YYYY-MM-DD); empty for an open end (`START/..`)."),
    C("date_precision", "TEXT", "Precision of the date as written: day, month or year."),
]


def date_columns(first: FuzzyDate | None, last: FuzzyDate | None = None) -> tuple[str | None, str | None, str | None]:
    """(date_start, date_end, date_precision) of a date, or of a run from ``first`` to ``last``."""
    if first is None and last is None:
        return None, None, None
    start = None if first is None or first.open_start else first.earliest.isoformat()
    final = last or first
    end = None if final.open_end else final.latest.isoformat()  # an open end has no last day
    return start, end, (first or last).precision


def _text(date: FuzzyDate | None) -> str | None:
    return str(date) if date is not None else None


def _bool(value: bool) -> int:
    return 1 if value else 0


def _record(kind: str) -> Column:
    return C("record_table", "TEXT", f"The table of the record the row belongs to{kind}.")


RECORD = C("record", "TEXT", "That record's id, or its `key` for a sub-record (a role, a delegation, a quote ...).")
POSITION = C("position", "INTEGER", "Place in the record's list, from 0.")


def schema() -> list[Table]:
    """The tables, without rows, in the order they are written."""
    return [
        Table("actors", "States, persons and organisations that take part in or speak about the process.", [
            C("id", "TEXT", "The actor's id."), C("name", "TEXT", "The name most sources use."),
            C("kind", "TEXT", "state, person, organisation, coalition or other."),
            C("country", "TEXT", "ISO 3166-1 alpha-2 code of the actor's country."),
            C("wikidata", "TEXT", "Wikidata item id (Q...)."), C("description", "TEXT", "What the actor is."),
        ], ("id",)),
        Table("aliases", "Other names and spellings of an actor.", [
            C("actor", "TEXT", "The actor."), POSITION, C("alias", "TEXT", "The other name."),
        ], ("actor", "position"), [("actor", "actors", "id")]),
        Table("roles", "Positions an actor held for a party over a period, oldest first.", [
            C("key", "TEXT", "`actor/n`: the actor's n-th role, from 0."), C("actor", "TEXT", "The actor holding the role."), POSITION,
            C("title", "TEXT", "The role as a source names it."), C("party", "TEXT", "The actor the role is held for."),
            C("start", "TEXT", "First day in the role, as written."), C("end", "TEXT", "Last day in the role, as written; empty while it lasts or when unknown."),
            *DATES, C("note", "TEXT", "A note."),
        ], ("key",), [("actor", "actors", "id"), ("party", "actors", "id")]),
        Table("issues", "Questions under negotiation; they form a tree through `parent`.", [
            C("id", "TEXT", "The issue's id."), C("title", "TEXT", "Its title."), C("description", "TEXT", "What it is about."),
            C("parent", "TEXT", "The broader issue it belongs to."),
            C("lasting", "INTEGER", "1 when a stance stands until its holder contradicts it; 0 when only the holder's latest word counts."),
        ], ("id",), [("parent", "issues", "id")]),
        Table("stances", "The named positions a party can take on an issue.", [
            C("key", "TEXT", "`issue/stance`."), C("issue", "TEXT", "The issue."), C("id", "TEXT", "The stance's id within the issue."), POSITION,
            C("label", "TEXT", "Short label."), C("description", "TEXT", "What the stance means."),
        ], ("key",), [("issue", "issues", "id")]),
        Table("compatible_stances", "Groups of stances on an issue that can stand together.", [
            C("issue", "TEXT", "The issue."), C("group_index", "INTEGER", "The group's place in the issue's list, from 0."), POSITION,
            C("stance", "TEXT", "A stance of the group."),
        ], ("issue", "group_index", "position"), [("issue", "issues", "id")]),
        Table("sources", "Published texts that facts and quotes are taken from.", [
            C("id", "TEXT", "The source's id."), C("title", "TEXT", "The headline as the page prints it."),
            C("title_status", "TEXT", "page (as printed), from-url (inferred from the address) or none."),
            C("publisher", "TEXT", "The site or outlet."), C("original_publisher", "TEXT", "The outlet whose story it republishes."),
            C("reliability", "TEXT", "standard or low."), C("url", "TEXT", "The page's address."),
            C("published", "TEXT", "Publication date, as written."), *DATES, C("language", "TEXT", "ISO 639 code of its language."),
            C("archive", "TEXT", "File name of an archived copy, in the sources folder."),
            C("archive_scope", "TEXT", "full (the archive holds the whole text) or excerpt (parts of it)."), C("note", "TEXT", "A note."),
        ], ("id",)),
        Table("rounds", "Rounds of talks, summits, meetings and calls.", [
            C("id", "TEXT", "The round's id."), C("title", "TEXT", "Its title."), C("kind", "TEXT", "talks, summit, meeting or call."),
            C("status", "TEXT", "held, planned, postponed or cancelled."), C("location", "TEXT", "City and country."), C("venue", "TEXT", "The venue."),
            C("start", "TEXT", "First day, as written."), C("end", "TEXT", "Last day, as written; empty for a one-day round."), *DATES,
            C("format", "TEXT", "bilateral, trilateral, multilateral, proximity or mixed."), C("note", "TEXT", "A note."),
        ], ("id",)),
        Table("delegations", "The people a party sent to a round.", [
            C("key", "TEXT", "`round/party`."), C("round", "TEXT", "The round."), C("party", "TEXT", "The party."), POSITION,
            C("head", "TEXT", "The head of the delegation; empty when unknown or disputed."), C("note", "TEXT", "A note."),
        ], ("key",), [("round", "rounds", "id"), ("party", "actors", "id"), ("head", "actors", "id")]),
        Table("outcomes", "What a round produced.", [
            C("key", "TEXT", "`round/outcome`."), C("round", "TEXT", "The round."), C("id", "TEXT", "The outcome's id within the round."), POSITION,
            C("summary", "TEXT", "What was produced."), C("next_round", "TEXT", "The round it arranged."), C("note", "TEXT", "A note."),
        ], ("key",), [("round", "rounds", "id"), ("next_round", "rounds", "id")]),
        Table("events", "Plans, memoranda, agreements, announcements: what is not a meeting but positions respond to.", [
            C("id", "TEXT", "The event's id."), C("title", "TEXT", "Its title."),
            C("kind", "TEXT", "plan, memorandum, framework, agreement, decision, announcement, cancellation, vote or other."),
            C("date", "TEXT", "When it happened or appeared, as written."), *DATES, C("description", "TEXT", "What it is."), C("note", "TEXT", "A note."),
            C("ballot", "TEXT", "A vote's kind: referendum, parliamentary or other."), C("question", "TEXT", "A vote's question."),
            C("voters", "TEXT", "A parliamentary vote's chamber."),
        ], ("id",), [("voters", "actors", "id")]),
        Table("third_parties", "Actors with a role in a round or an agreement besides its parties (their sources are in citations).", [
            C("key", "TEXT", "`table/record/n`."), _record(": rounds or events"), RECORD, POSITION, C("actor", "TEXT", "The actor."),
            C("role", "TEXT", "mediator, facilitator, guarantor, accompanying, observer, host or witness."), C("note", "TEXT", "A note."),
        ], ("key",), [("actor", "actors", "id")]),
        Table("agreement_parties", "How each party stands to an agreement, from when: negotiated, initialled, signed, ratified, withdrew.", [
            C("key", "TEXT", "`event/n`."), C("event", "TEXT", "The agreement."), POSITION, C("party", "TEXT", "The party."),
            C("standing", "TEXT", "negotiated, initialled, signed, ratified or withdrew."),
            C("date", "TEXT", "From when, as written; empty: from the agreement's date."), *DATES, C("note", "TEXT", "A note."),
        ], ("key",), [("event", "events", "id"), ("party", "actors", "id")]),
        Table("status_history", "An agreement's status over time, oldest first (who acted is in record_actors, field `by`).", [
            C("key", "TEXT", "`event/n`."), C("event", "TEXT", "The agreement."), POSITION,
            C("status", "TEXT", "proposed, agreed-ad-referendum, conditional, signed, ratified, rejected, superseded, implemented, partly-implemented or violated."),
            C("date", "TEXT", "From when, as written."), *DATES, C("vote", "TEXT", "The vote that decided it."),
            C("superseded_by", "TEXT", "The agreement that replaced it."), C("note", "TEXT", "A note."),
        ], ("key",), [("event", "events", "id"), ("vote", "events", "id"), ("superseded_by", "events", "id")]),
        Table("vote_results", "A vote's figures as its sources give them (a disputed figure has a dispute on `results.FIGURE`).", [
            C("event", "TEXT", "The vote."), C("yes", "INTEGER", "Votes for."), C("no", "INTEGER", "Votes against."),
            C("blank", "INTEGER", "Blank ballots."), C("invalid", "INTEGER", "Spoilt or null ballots."),
            C("abstained", "INTEGER", "Members present who abstained."), C("electorate", "INTEGER", "Entitled to vote."),
            C("turnout", "REAL", "Share of the electorate that voted, in percent."), C("note", "TEXT", "A note."),
        ], ("event",), [("event", "events", "id")]),
        Table("provisions", "The points of a plan or document, as sources report them.", [
            C("key", "TEXT", "`event/provision`."), C("event", "TEXT", "The document."), C("id", "TEXT", "The point's id within the document."), POSITION,
            C("summary", "TEXT", "What the point says."),
        ], ("key",), [("event", "events", "id")]),
        Table("statements", "Positions voiced or reported: who, when, for whom, on what.", [
            C("id", "TEXT", "The statement's id."), C("round", "TEXT", "The round whose file holds it."), C("event", "TEXT", "The event whose file holds it."),
            C("date", "TEXT", "When it was said, as written."), *DATES,
            C("speaker", "TEXT", "The person who spoke."), C("party", "TEXT", "The party the speaker spoke for (empty for a joint statement: see statement_parties)."),
            C("holder", "TEXT", "Whose position it describes, where that is not its party's."),
            C("attribution", "TEXT", "direct-quote, paraphrase or reported."), C("summary", "TEXT", "A summary in our words."),
            C("channel", "TEXT", "Press conference, interview, social media, ..."), C("retracted", "INTEGER", "1 when marked retracted (see retractions)."),
            C("note", "TEXT", "A note."),
        ], ("id",), [("round", "rounds", "id"), ("event", "events", "id"), ("speaker", "actors", "id"), ("party", "actors", "id"), ("holder", "actors", "id")]),
        Table("statement_parties", "The party of a statement, or each party of a joint statement.", [
            C("statement", "TEXT", "The statement."), POSITION, C("party", "TEXT", "The party."),
        ], ("statement", "position"), [("statement", "statements", "id"), ("party", "actors", "id")]),
        Table("statement_holders", "Whose position a statement states: its holder, else its party or parties.", [
            C("statement", "TEXT", "The statement."), POSITION, C("holder", "TEXT", "The holder."),
        ], ("statement", "position"), [("statement", "statements", "id"), ("holder", "actors", "id")]),
        Table("quotes", "Each source's rendering of a statement's words; every quote of every statement.", [
            C("key", "TEXT", "`statement/n`: the statement's n-th quote, from 0."), C("statement", "TEXT", "The statement."), POSITION,
            C("text", "TEXT", "The words exactly as the source prints them."), C("source", "TEXT", "The source."),
            C("translation", "INTEGER", "1 when the source gives a translation."), C("language", "TEXT", "ISO 639 code of the words' language."),
            C("note", "TEXT", "How the source renders it."),
        ], ("key",), [("statement", "statements", "id"), ("source", "sources", "id")]),
        Table("retractions", "Why a statement was found wrong.", [
            C("statement", "TEXT", "The statement."), C("reason", "TEXT", "Why."), C("date", "TEXT", "When, as written."), *DATES,
        ], ("statement",), [("statement", "statements", "id")]),
        Table("stances_taken", "The stances statements, documents and their points take (or withdraw), by issue.", [
            _record(": statements, events or provisions"), RECORD, POSITION, C("issue", "TEXT", "The issue."), C("stance", "TEXT", "The stance."),
            C("withdrawn", "INTEGER", "1 when the record withdraws the stance rather than takes it."),
        ], ("record_table", "record", "withdrawn", "issue"), [("issue", "issues", "id")]),
        Table("record_issues", "The issues a record is about: a statement's, a quote's, a document's or a point's issues, a round's agenda.", [
            _record(": statements, quotes, events, provisions or rounds (its agenda)"), RECORD, POSITION, C("issue", "TEXT", "The issue."),
        ], ("record_table", "record", "position"), [("issue", "issues", "id")]),
        Table("record_actors", "Actors a record names in a list: a round's mediators and participants, a delegation's members, a document's authors and signatories, who acted in a status change.", [
            _record(": rounds, delegations, events or status_history"), RECORD, C("field", "TEXT", "mediators, participants, members, authors, signatories or by."), POSITION,
            C("actor", "TEXT", "The actor."),
        ], ("record_table", "record", "field", "position"), [("actor", "actors", "id")]),
        Table("record_links", "Links between records: a round's events, a statement's refers_to, a document's related documents and rounds.", [
            _record(": rounds, statements or events"), RECORD, C("field", "TEXT", "events, refers_to, related or rounds."), POSITION,
            C("target_table", "TEXT", "The table of the record linked to: events or rounds."), C("target", "TEXT", "Its id."),
        ], ("record_table", "record", "field", "position")),
        Table("citations", "The sources a record cites (its `sources` list).", [
            _record(""), RECORD, POSITION, C("source", "TEXT", "The source."),
        ], ("record_table", "record", "position"), [("source", "sources", "id")]),
        Table("not_found", "Details looked for and not found in the sources.", [
            _record(": rounds or events"), RECORD, POSITION, C("text", "TEXT", "What was looked for."),
        ], ("record_table", "record", "position")),
        Table("disputes", "Facts on which sources disagree; every version is kept (see versions).", [
            C("key", "TEXT", "`table/record/dispute`."), _record(": actors, rounds, events or statements"), RECORD,
            C("id", "TEXT", "The dispute's id within the record."), POSITION,
            C("field", "TEXT", "The field the versions disagree on, as a dotted path."), C("summary", "TEXT", "What is disputed."),
            C("note", "TEXT", "What is known about the versions."),
        ], ("key",)),
        Table("versions", "What one or more sources say about a disputed fact (their sources are in citations).", [
            C("key", "TEXT", "`dispute-key/n`."), C("dispute", "TEXT", "The dispute's key."), POSITION,
            C("says", "TEXT", "The version, in our words."), C("value", "", "The version as a value, where one fits."),
        ], ("key",), [("dispute", "disputes", "key")]),
        Table("positions", "Where each holder stands on each issue with everything on record, as `peacekb positions` computes it: "
              "one row per stance held and claim of its latest voicing; a party at the table with no position on record has one row without a stance.", [
            C("issue", "TEXT", "The issue."), C("holder", "TEXT", "The holder."),
            C("status", "TEXT", "held, contested (incompatible stances stand) or unknown."),
            C("stance", "TEXT", "A stance held; empty when unknown."), C("label", "TEXT", "The stance's label."),
            C("since", "TEXT", "Since when it is held (its first voicing that nothing later dropped), as written."),
            C("last_voiced", "TEXT", "When it was last voiced, as written."),
            C("evidence_kind", "TEXT", "statement, or document (a document or one of its points)."),
            C("evidence", "TEXT", "The statement's id, or the document's (`document#point` for a point), of that latest voicing."),
            C("position", "INTEGER", "The row's place among the holder's rows on the issue, from 0."),
        ], ("issue", "holder", "position"), [("issue", "issues", "id"), ("holder", "actors", "id")]),
    ]


def tables(kb: KnowledgeBase) -> list[Table]:
    """Every table with its rows, in a stable order (records by id, lists in their order)."""
    found = {t.name: t for t in schema()}

    def add(table: str, *row: Any) -> None:
        found[table].rows.append(row)

    def cite(table: str, record: str, sources: Iterable[str]) -> None:
        for n, source in enumerate(sources):
            add("citations", table, record, n, source)

    def actors_of(table: str, record: str, name: str, ids: Iterable[str]) -> None:
        for n, actor in enumerate(ids):
            add("record_actors", table, record, name, n, actor)

    def links(table: str, record: str, name: str, target: str, ids: Iterable[str]) -> None:
        for n, ident in enumerate(ids):
            add("record_links", table, record, name, n, target, ident)

    def issues_of(table: str, record: str, ids: Iterable[str]) -> None:
        for n, issue in enumerate(ids):
            add("record_issues", table, record, n, issue)

    def stances_of(table: str, record: str, stances: dict[str, str], withdraws: dict[str, str] | None = None) -> None:
        for n, (issue, stance) in enumerate(stances.items()):
            add("stances_taken", table, record, n, issue, stance, 0)
        for n, (issue, stance) in enumerate((withdraws or {}).items()):
            add("stances_taken", table, record, n, issue, stance, 1)

    def not_found(table: str, record: str, items: Iterable[str]) -> None:
        for n, text in enumerate(items):
            add("not_found", table, record, n, text)

    def disputes(table: str, record: str, items: Iterable[Dispute]) -> None:
        for n, d in enumerate(items):
            key = f"{table}/{record}/{d.id}"
            add("disputes", key, table, record, d.id, n, d.field, d.summary, d.note)
            for m, v in enumerate(d.versions):
                add("versions", f"{key}/{m}", key, m, v.says, v.value)
                cite("versions", f"{key}/{m}", v.sources)

    for a in sorted(kb.actors.values(), key=lambda a: a.id):
        add("actors", a.id, a.name, a.kind, a.country, a.wikidata, a.description)
        for n, alias in enumerate(a.aliases):
            add("aliases", a.id, n, alias)
        cite("actors", a.id, a.sources)
        for n, r in enumerate(a.roles):
            key = f"{a.id}/{n}"
            add("roles", key, a.id, n, r.title, r.party, _text(r.start), _text(r.end), *date_columns(r.start, r.end), r.note)
            cite("roles", key, r.sources)
        disputes("actors", a.id, a.disputes)
    for i in sorted(kb.issues.values(), key=lambda i: i.id):
        add("issues", i.id, i.title, i.description, i.parent, _bool(i.lasting))
        for n, s in enumerate(i.stances):
            add("stances", f"{i.id}/{s.id}", i.id, s.id, n, s.label, s.description)
        for g, group in enumerate(i.compatible):
            for n, stance in enumerate(group):
                add("compatible_stances", i.id, g, n, stance)
    for s in sorted(kb.sources.values(), key=lambda s: s.id):
        add("sources", s.id, s.title, s.title_status, s.publisher, s.original_publisher, s.reliability, s.url,
            _text(s.published), *date_columns(s.published), s.language, s.archive, s.archive_scope, s.note)
    def third_parties(table: str, record: str, items: Iterable) -> None:
        for n, t in enumerate(items):
            key = f"{table}/{record}/{n}"
            add("third_parties", key, table, record, n, t.actor, t.role, t.note)
            cite("third_parties", key, t.sources)

    for r in sorted(kb.rounds.values(), key=lambda r: r.id):
        add("rounds", r.id, r.title, r.kind, r.status, r.location, r.venue, str(r.start), _text(r.end), *date_columns(r.start, r.end), r.format, r.note)
        actors_of("rounds", r.id, "mediators", r.mediators)
        actors_of("rounds", r.id, "participants", r.participants)
        third_parties("rounds", r.id, r.third_parties)
        for n, d in enumerate(r.delegations):
            key = f"{r.id}/{d.party}"
            add("delegations", key, r.id, d.party, n, d.head, d.note)
            actors_of("delegations", key, "members", d.members)
            cite("delegations", key, d.sources)
        issues_of("rounds", r.id, r.agenda)
        links("rounds", r.id, "events", "events", r.events)
        for n, o in enumerate(r.outcomes):
            key = f"{r.id}/{o.id}"
            add("outcomes", key, r.id, o.id, n, o.summary, o.next_round, o.note)
            cite("outcomes", key, o.sources)
        cite("rounds", r.id, r.sources)
        disputes("rounds", r.id, r.disputes)
        not_found("rounds", r.id, r.not_found)
    for e in sorted(kb.events.values(), key=lambda e: e.id):
        add("events", e.id, e.title, e.kind, str(e.date), *date_columns(e.date), e.description, e.note, e.ballot, e.question, e.voters)
        third_parties("events", e.id, e.third_parties)
        for n, p in enumerate(e.parties):
            add("agreement_parties", f"{e.id}/{n}", e.id, n, p.party, p.standing, _text(p.date), *date_columns(p.date), p.note)
            cite("agreement_parties", f"{e.id}/{n}", p.sources)
        for n, c in enumerate(e.history):
            add("status_history", f"{e.id}/{n}", e.id, n, c.status, str(c.date), *date_columns(c.date), c.vote, c.superseded_by, c.note)
            actors_of("status_history", f"{e.id}/{n}", "by", c.by)
            cite("status_history", f"{e.id}/{n}", c.sources)
        if e.results is not None:
            res = e.results
            add("vote_results", e.id, res.yes, res.no, res.blank, res.invalid, res.abstained, res.electorate, res.turnout, res.note)
            cite("vote_results", e.id, res.sources)
        actors_of("events", e.id, "authors", e.authors)
        actors_of("events", e.id, "signatories", e.signatories)
        for n, p in enumerate(e.provisions):
            key = f"{e.id}/{p.id}"
            add("provisions", key, e.id, p.id, n, p.summary)
            issues_of("provisions", key, p.issues)
            stances_of("provisions", key, p.stances)
            cite("provisions", key, p.sources)
        issues_of("events", e.id, e.issues)
        stances_of("events", e.id, e.stances)
        links("events", e.id, "related", "events", e.related)
        links("events", e.id, "rounds", "rounds", e.rounds)
        cite("events", e.id, e.sources)
        disputes("events", e.id, e.disputes)
        not_found("events", e.id, e.not_found)
    for st in sorted(kb.statements.values(), key=lambda s: s.id):
        s = kb.full(st)
        event = kb.event_of(s.id)
        add("statements", s.id, kb.round_id_of(s.id), event.id if event else None, str(s.date), *date_columns(s.date), s.speaker, s.party,
            s.holder, s.attribution, s.summary, s.channel, _bool(s.retracted is not None), s.note)
        for n, party in enumerate(s.party_ids):
            add("statement_parties", s.id, n, party)
        for n, holder in enumerate(s.holders):
            add("statement_holders", s.id, n, holder)
        issues_of("statements", s.id, s.issues)
        stances_of("statements", s.id, s.stances, s.withdraws)
        for n, q in enumerate(s.quotes):
            key = f"{s.id}/{n}"
            add("quotes", key, s.id, n, q.text, q.source, _bool(q.translation), q.language, q.note)
            issues_of("quotes", key, q.issues)
        links("statements", s.id, "refers_to", "events", s.refers_to)
        cite("statements", s.id, s.sources)
        disputes("statements", s.id, s.disputes)
        if s.retracted:
            add("retractions", s.id, s.retracted.reason, _text(s.retracted.date), *date_columns(s.retracted.date))
            cite("retractions", s.id, s.retracted.sources)
    found["positions"].rows.extend(position_rows(kb))
    return list(found.values())


def position_rows(kb: KnowledgeBase) -> list[tuple]:
    """Rows of the ``positions`` table: every issue, every holder, with everything on record (what
    :func:`peacekb.queries.positions` gives for each issue, with the claims sorted once for all)."""
    claims = queries.live_claims(kb)
    principals = queries.principal_parties(kb)
    taking = by_issue(claims)
    rows = []
    for ident, depth in queries.issue_tree(kb):
        block = queries.issue_positions(kb, ident, depth, by_holder(taking.get(ident, [])), principals, None)
        for p in block.positions:
            if not p.held:
                rows.append((block.issue, p.holder, p.status, None, None, None, None, None, None, 0))
                continue
            n = 0
            for h in p.held:
                for e in h.evidence:
                    rows.append((block.issue, p.holder, p.status, h.stance, h.label, h.since, h.last, e.kind, e.id, n))
                    n += 1
    return rows
