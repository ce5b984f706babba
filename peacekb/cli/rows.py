"""Query results as table rows, for `--format csv`: a header and one row per record.

Rows hold plain values; :func:`peacekb.cli.output.write_csv` writes them (and guards the cells a
spreadsheet would read as formulas).
"""

from __future__ import annotations

import json
from typing import Any

from peacekb import agreements as a
from peacekb import queries as q
from peacekb.cli.views import _quote_or_summary, agreement_step_words
from peacekb.search import Hit


def date_cells(date: str | None, end: str | None = None) -> tuple[str | None, str | None, str | None]:
    """The csv columns date_start, date_end and date_precision of a date as written (or of a run
    from ``date`` to ``end``): first and last day it may be, ISO, and day, month or year."""
    from peacekb.dates import FuzzyDate
    from peacekb.export.tables import date_columns

    return date_columns(FuzzyDate.parse(date) if date else None, FuzzyDate.parse(end) if end else None)


POSITION_HEADER = ["issue", "holder", "holder_name", "status", "stances", "labels", "since", "last_voiced", "evidence.id", "quotes", "sources"]


def positions_rows(data: list[q.IssuePositions]) -> tuple[list[str], list[list[Any]]]:
    """One row per position; stances, labels, since and last_voiced are lists in the same order;
    `evidence.id` the ids of the evidence (named by their json path, as in timeline's csv)."""
    rows = []
    for block in data:
        for p in block.positions:
            rows.append([block.issue, p.holder, p.holder_name, p.status, p.stances, [h.label for h in p.held],
                         [h.since for h in p.held], [h.last for h in p.held], [e.id for e in p.evidence],
                         _quotes_cell([e.quote for e in p.evidence if e.quote]), sorted({s for e in p.evidence for s in e.sources})])
    return POSITION_HEADER, rows


def _quotes_cell(quotes: list[q.QuoteInfo | None]) -> str | None:
    """Quotes as one csv cell: a JSON list of {text, source, translation, issues}, lossless whatever the words hold."""
    import json

    found = [{"text": x.text, "source": x.source, "translation": x.translation, "issues": x.issues} for x in quotes if x is not None]
    return json.dumps(found, ensure_ascii=False) if found else None


STATEMENT_HEADER = ["id", "date", "date_start", "date_end", "date_precision", "speaker", "parties", "holders", "attribution", "issues",
                    "stances", "withdraws", "quote_index", "quote", "quote_source", "quote_translation", "quote_issues", "summary",
                    "channel", "round", "event", "sources", "retracted"]


def statement_rows(e: q.Evidence) -> list[list[Any]]:
    """One row per quote of the statement (quote_index 0, 1, ...); one row with the quote cells
    empty for a statement without quotes."""
    head = [e.id, e.date, *date_cells(e.date), e.speaker, e.parties, e.holders, e.attribution, e.issues,
            [f"{k}={v}" for k, v in e.stances.items()], [f"{k}={v}" for k, v in e.withdraws.items()]]
    tail = [e.summary, e.channel, e.round, e.event, e.sources, e.retracted]
    quotes = [[n, x.text, x.source, x.translation, x.issues] for n, x in enumerate(e.quotes)] or [[None, None, None, None, None]]
    return [[*head, *quote, *tail] for quote in quotes]


def statements_rows(data: list[q.Evidence]) -> tuple[list[str], list[list[Any]]]:
    """One row per quote: every quote of every statement, each in its own cells."""
    return STATEMENT_HEADER, [row for e in data for row in statement_rows(e)]


def round_rows(card: q.RoundCard) -> tuple[list[str], list[list[Any]]]:
    return statements_rows(card.statements)


ROUND_HEADER = ["id", "title", "kind", "status", "start", "end", "date_start", "date_end", "date_precision", "location", "format", "parties",
                "mediators", "statements"]


def rounds_table(data: list[q.RoundRow]) -> tuple[list[str], list[list[Any]]]:
    return ROUND_HEADER, [[r.id, r.title, r.kind, r.status, r.start, r.end, *date_cells(r.start, r.end), r.location, r.format, r.parties,
                           r.mediators, r.statements] for r in data]


ACTOR_HEADER = ["id", "name", "kind", "country", "aliases", "current_role", "statements"]


def actors_table(data: list[q.ActorRow]) -> tuple[list[str], list[list[Any]]]:
    return ACTOR_HEADER, [[a.id, a.name, a.kind, a.country, a.aliases, a.current_role, a.statements] for a in data]


def actor_rows(card: q.ActorCard) -> tuple[list[str], list[list[Any]]]:
    return positions_rows(card.positions)


ISSUE_HEADER = ["id", "title", "parent", "depth", "stances", "holders", "statements"]


def issues_table(data: list[q.IssueRow]) -> tuple[list[str], list[list[Any]]]:
    return ISSUE_HEADER, [[i.id, i.title, i.parent, i.depth, [s.id for s in i.stances],
                           [f"{s.id}={'+'.join(s.holders)}" for s in i.stances if s.holders], i.statements] for i in data]


def issue_rows(card: q.IssueCard) -> tuple[list[str], list[list[Any]]]:
    return positions_rows(card.positions)


TIMELINE_HEADER = ["date", "date_start", "date_end", "date_precision", "holder", "issue", "stance", "dropped", "change", "held",
                   "evidence.id", "evidence.speaker", "evidence", "evidence.sources"]


def timeline_rows(data: list) -> tuple[list[str], list[list[Any]]]:
    """Nested ids are named by their json path (`evidence.id`); `evidence` is the quote or summary
    shown. An agreement's step (change `agreement`) has the agreement as its evidence, its status
    as its stance, and the points it covers as its issue."""
    rows = []
    for t in data:
        if t.change == "agreement":
            rows.append([t.date, *date_cells(t.date), None, t.issues, t.status, [], t.change, [], t.agreement.id,
                         None, agreement_step_words(t), t.sources])
        else:
            rows.append([t.date, *date_cells(t.date), t.holder, t.issue, t.stance, t.dropped, t.change, t.held, t.evidence.id,
                         t.evidence.speaker, _quote_or_summary(t.evidence), t.evidence.sources])
    return TIMELINE_HEADER, rows


PARTY_DIFF_HEADER = ["issue", "relation", "a", "a_status", "a_stances", "a_since", "a_evidence", "b", "b_status", "b_stances", "b_since", "b_evidence"]


def party_diff_rows(d) -> tuple[list[str], list[list[Any]]]:
    rows = []
    for r in d.rows:
        rows.append([r.issue, r.relation, d.a, r.a.status, r.a.stances, [h.since for h in r.a.held], [e.id for e in r.a.evidence],
                     d.b, r.b.status, r.b.stances, [h.since for h in r.b.held], [e.id for e in r.b.evidence]])
    return PARTY_DIFF_HEADER, rows


CHANGES_HEADER = ["holder", "issue", "change", "before", "before_status", "after", "after_status", "statements"]


def changes_rows(report) -> tuple[list[str], list[list[Any]]]:
    """A position's change per row; then each agreement's step, with change `agreement`, the
    agreement as holder, its status and state as `after` and `after_status`, its sources as statements."""
    rows = [[c.holder, c.issue, c.kind, c.before, c.before_status, c.after, c.after_status, [e.id for e in c.statements]] for c in report.changes]
    rows += [[t.agreement.id, t.issues, "agreement", [], None, [t.status], t.state, t.sources] for t in report.agreements]
    return CHANGES_HEADER, rows


def matrix_rows(m) -> tuple[list[str], list[list[Any]]]:
    cell = lambda c: ("contested: " if c.status == "contested" else "") + "; ".join(c.stances)  # noqa: E731  # csv lists are `; `-joined
    return ["issue", "status", *m.parties, "agreements"], [[r.issue, r.status, *(cell(c) for c in r.cells), r.agreements] for r in m.rows]


def semdiff_rows(d) -> tuple[list[str], list[list[Any]]]:
    return ["kind", "id", "change", "old_id", "fields"], [[r.kind, r.id, r.change, r.old_id, [f.path for f in r.fields]] for r in d.records]


SOURCE_HEADER = ["id", "title", "publisher", "published", "reliability", "language", "url", "cited_by"]


def sources_table(data: list[q.SourceRow]) -> tuple[list[str], list[list[Any]]]:
    return SOURCE_HEADER, [[s.id, s.title, s.publisher, s.published, s.reliability, s.language, s.url, s.cited_by] for s in data]


def source_rows(card: q.SourceCard) -> tuple[list[str], list[list[Any]]]:
    return statements_rows(card.statements)


EVENT_HEADER = ["id", "title", "kind", "date", "date_start", "date_end", "date_precision", "authors", "signatories", "issues", "provisions", "statements"]


def events_table(data: list[q.EventRow]) -> tuple[list[str], list[list[Any]]]:
    return EVENT_HEADER, [[e.id, e.title, e.kind, e.date, *date_cells(e.date), e.authors, e.signatories, e.issues, e.provisions, e.statements] for e in data]


PROVISION_HEADER = ["event", "id", "summary", "issues", "stances", "sources"]


def event_rows(card: q.EventCard) -> tuple[list[str], list[list[Any]]]:
    """One row per point of the document (its statements: `peacekb statements`)."""
    return PROVISION_HEADER, [[card.id, p.id, p.summary, p.issues, [f"{i}={s}" for i, s in p.stances.items()], p.sources] for p in card.provisions]


SEARCH_HEADER = ["kind", "id", "name", "field", "snippet", "highlights", "rank"]


def search_rows(hits: list[Hit]) -> tuple[list[str], list[list[Any]]]:
    return SEARCH_HEADER, [[h.kind, h.id, h.name, h.field, h.snippet, json.dumps(h.highlights), h.rank] for h in hits]


AGREEMENTS_HEADER = ["issue", "issue_title", "point_state", "agreement", "agreement_title", "status", "state", "since",
                     "by", "vote", "superseded_by", "parties", "provisions", "sources"]


def agreements_rows(data: list[a.PointAgreements]) -> tuple[list[str], list[list[Any]]]:
    rows = []
    for point in data:
        if not point.agreements:
            rows.append([point.issue, point.title, point.state, *[None] * (len(AGREEMENTS_HEADER) - 3)])
        for row in point.agreements:
            s = row.status
            rows.append([
                point.issue, point.title, point.state, row.agreement.id, row.agreement.name, s.status if s else None, row.state,
                s.date if s else None, [r.id for r in s.by] if s else [], s.vote.id if s and s.vote else None,
                s.superseded_by.id if s and s.superseded_by else None, [f"{p.party.id}={p.standing}" for p in row.parties],
                [p.id for p in row.provisions], s.sources if s else [],
            ])
    return AGREEMENTS_HEADER, rows


CARD_HEADER = ["section", "date", "what", "detail", "by", "sources"]


def agreement_rows(card: a.AgreementCard) -> tuple[list[str], list[list[Any]]]:
    rows: list[list[Any]] = []
    for p in card.parties:
        rows.append(["party", p.date, p.standing, None, [p.party.id], p.sources])
    for t in card.third_parties:
        rows.append(["third-party", None, t.role, None, [t.actor.id], t.sources])
    for s in card.history:
        detail = s.superseded_by.id if s.superseded_by else (s.vote.id if s.vote else None)
        rows.append(["status", s.date, s.status, detail, [r.id for r in s.by], s.sources])
    for v in card.votes:
        for name, value in v.results.items():
            rows.append(["vote", v.date, name, value, [v.id], v.sources])
    for p in card.provisions:
        rows.append(["provision", None, p.id, p.summary, p.issues, p.sources])
    for e in card.statements:
        rows.append(["statement", e.date, e.id, e.summary, e.parties, e.sources])
    return CARD_HEADER, rows
