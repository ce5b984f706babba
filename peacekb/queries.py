"""Questions asked of a knowledge base, answered as plain data.

Every function here takes a loaded :class:`~peacekb.kb.KnowledgeBase` and returns dataclasses of
plain values (ids, names, dates as text), so that Python users can do everything the CLI does and
the CLI's json output is exactly ``to_data(result)``.
"""

from __future__ import annotations

import bisect
import contextlib
import contextvars
import dataclasses
import datetime as dt
import operator
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from peacekb.claims import DocumentClaim, Step, Tracker, by_holder, by_issue, document_claims, document_holders, track
from peacekb.dates import FuzzyDate
from peacekb.kb import KnowledgeBase
from peacekb.models import Dispute, Statement
from peacekb.names import fold
from peacekb.search import matching


def to_data(value: Any) -> Any:
    """A query result as JSON-ready data (dicts, lists, text, numbers)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    names = _FIELD_NAMES.get(kind, _UNSEEN)
    if names is _UNSEEN:  # each class asked once whether it is a dataclass, and its fields
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(value)) if dataclasses.is_dataclass(value) and not isinstance(value, type) else None
    if names is not None:
        return {name: to_data(getattr(value, name)) for name in names}
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


_PLAIN = frozenset({str, int, float, bool, type(None)})
_UNSEEN = object()
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


# --- building blocks ------------------------------------------------------------------------------


@dataclass
class Ref:
    id: str
    name: str


@dataclass
class SourceRef:
    id: str
    title: str | None
    publisher: str | None
    url: str | None
    reliability: str


@dataclass
class QuoteInfo:
    text: str
    source: str
    translation: bool
    issues: list[str]  # the issues the words bear on; empty: all of the statement's


@dataclass
class Evidence:
    """A statement or a document, as the evidence behind a position."""

    kind: Literal["statement", "document"]
    id: str  # the statement's id; a document's id, or `document#provision` for one of its points
    date: str
    speaker: str | None
    speaker_name: str | None
    parties: list[str]  # the party, the parties of a joint statement, or a document's holders
    party_names: list[str]
    holders: list[str]  # whose position it states
    holder_names: list[str]
    joint: bool  # a joint statement (or document) of several parties
    attribution: str  # direct-quote, paraphrase or reported; `document` for a document
    issues: list[str]
    stances: dict[str, str]
    withdraws: dict[str, str]
    quotes: list[QuoteInfo]
    quote: QuoteInfo | None  # the quote shown as evidence: the one bearing on the issue asked; None: the summary
    summary: str
    channel: str | None
    sources: list[str]
    round: str | None
    event: str | None  # the event whose file holds the statement, or the document itself
    document: str | None  # a document's title
    provision: str | None  # the document's point, for a provision
    disputed: bool
    retracted: str | None  # the reason, for a statement marked retracted


@dataclass
class DisputeInfo:
    id: str
    field: str | None
    summary: str
    versions: list[dict]
    note: str | None


_SHARED: contextvars.ContextVar[dict | None] = contextvars.ContextVar("peacekb_shared_evidence", default=None)


def name_of(kb: KnowledgeBase, kind: str, ident: str | None) -> str | None:
    if ident is None:
        return None
    shared = _SHARED.get()
    if shared is not None:  # within shared_evidence: each name looked up once
        key = ("name", kind, ident)
        found = shared.get(key)
        if found is None:
            found = shared[key] = _name_of(kb, kind, ident)
        return found
    return _name_of(kb, kind, ident)


def _name_of(kb: KnowledgeBase, kind: str, ident: str) -> str:
    table = getattr(kb, kind)
    record = table.get(ident)
    if record is None:
        return ident
    return getattr(record, "name", None) or getattr(record, "title", None) or ident


def ref(kb: KnowledgeBase, kind: str, ident: str) -> Ref:
    return Ref(ident, name_of(kb, kind, ident) or ident)


def source_ref(kb: KnowledgeBase, ident: str) -> SourceRef:
    source = kb.sources.get(ident)
    if source is None:
        return SourceRef(ident, None, None, None, "standard")
    return SourceRef(ident, source.title, source.publisher, source.url, source.reliability)


def names_of(kb: KnowledgeBase, ids: Iterable[str]) -> list[str]:
    return [name_of(kb, "actors", i) or i for i in ids]


@contextlib.contextmanager
def shared_evidence() -> Iterator[None]:
    """Within the block, :func:`evidence` makes each claim's evidence once per issue asked (and
    :func:`name_of` looks each name up once) and gives
    that same object to every result that holds it: for a caller asking many questions of one
    knowledge base that it does not change meanwhile (`peacekb site`). The answers are the same.
    Within an outer block (or a process forked in one), the outer block's objects are shared."""
    if _SHARED.get() is not None:
        yield
        return
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def evidence(kb: KnowledgeBase, claim, issue: str | None = None) -> Evidence:
    """A statement or a document claim as evidence; with ``issue``, the quote shown is the first
    that names it among its ``issues``, else the first that names none (none of either: the
    summary stands for it); without, the first quote."""
    shared = _SHARED.get()
    if shared is None:
        return _document_evidence(kb, claim) if isinstance(claim, DocumentClaim) else _statement_evidence(_statement_fields(kb, claim), issue)
    document = isinstance(claim, DocumentClaim)
    key = (document, claim.id, issue)
    found = shared.get(key)
    if found is None:
        if document:
            found = _document_evidence(kb, claim)
        else:  # what does not depend on the issue, made once for every issue asked
            fields = shared.get((False, claim.id, _FIELDS))
            if fields is None:
                fields = shared[(False, claim.id, _FIELDS)] = _statement_fields(kb, claim)
            found = _statement_evidence(fields, issue)
        shared[key] = found
    return found


_FIELDS = object()  # the key, beside a statement's id, of its evidence's fields in a shared cache


def _statement_evidence(fields: dict, issue: str | None) -> Evidence:
    # the first quote that names the issue, else the first that names none (it bears on them all)
    quotes = fields["quotes"]
    shown = quotes[0] if issue is None and quotes else (
        next((q for q in quotes if issue in q.issues), None) or next((q for q in quotes if not q.issues), None))
    return Evidence(**fields, quote=shown)


def _statement_fields(kb: KnowledgeBase, claim) -> dict:
    """Every field of a statement's evidence but the quote shown."""
    statement = kb.full(claim)
    event = kb.event_of(statement.id)
    quotes = [QuoteInfo(q.text, q.source, q.translation, list(q.issues)) for q in statement.quotes]
    return dict(
        kind="statement",
        id=statement.id,
        date=str(statement.date),
        speaker=statement.speaker,
        speaker_name=name_of(kb, "actors", statement.speaker),
        parties=statement.party_ids,
        party_names=names_of(kb, statement.party_ids),
        holders=statement.holders,
        holder_names=names_of(kb, statement.holders),
        joint=len(statement.party_ids) > 1,
        attribution=statement.attribution,
        issues=list(statement.issues),
        stances=dict(statement.stances),
        withdraws=dict(statement.withdraws),
        quotes=quotes,
        summary=statement.summary,
        channel=statement.channel,
        sources=statement.all_sources,
        round=kb.round_id_of(statement.id),
        event=event.id if event else None,
        document=None,
        provision=None,
        disputed=bool(statement.disputes),
        retracted=statement.retracted.reason if statement.retracted else None,
    )


def _document_evidence(kb: KnowledgeBase, claim: DocumentClaim) -> Evidence:
    event = kb.events[claim.event]
    provision = next((p for p in event.provisions if p.id == claim.provision), None)
    summary = provision.summary if provision else event.description or event.title
    sources = list(provision.sources) if provision else list(event.sources)
    if claim.withdrawn_by:
        standing = [p for p in event.parties if p.party == claim.withdrawn_by][-1]
        summary = f"{name_of(kb, 'actors', claim.withdrawn_by) or claim.withdrawn_by} withdrew from {event.title}."
        sources = list(standing.sources) or sources
    return Evidence(
        kind="document", id=claim.id, date=str(claim.date), speaker=None, speaker_name=None,
        parties=list(claim.holders), party_names=names_of(kb, claim.holders),
        holders=list(claim.holders), holder_names=names_of(kb, claim.holders), joint=len(claim.holders) > 1,
        attribution="document", issues=list(provision.issues if provision else event.issues), stances=dict(claim.stances),
        withdraws=dict(claim.withdraws), quotes=[], quote=None, summary=summary, channel=None, sources=sources, round=None,
        event=event.id, document=event.title, provision=claim.provision, disputed=bool(event.disputes), retracted=None,
    )


def dispute_info(disputes: Iterable[Dispute]) -> list[DisputeInfo]:
    return [
        DisputeInfo(d.id, d.field, d.summary, [v.model_dump(mode="json", exclude_none=True) for v in d.versions], d.note)
        for d in disputes
    ]


def parse_as_of(text: str | None) -> FuzzyDate | None:
    """An --as-of/--since/--until value; raises ValueError with a readable reason. A cut is a date
    (or a span, cut at its last day): an open end (``2016/..``) has no last day to cut at."""
    date = FuzzyDate.parse(text) if text else None
    if date is not None and date.open_end:
        raise ValueError(f"`{text}` has no last day to cut at: give a date (`{text[:-3]}`)")
    return date


def _in_time(date: FuzzyDate, since: FuzzyDate | None, until: FuzzyDate | None) -> bool:
    """Whether ``date`` may fall in the window: not counted in only after ``until`` (an open start,
    ``../END``, counts from END on), nor over before ``since`` begins."""
    if until is not None and date.counts_from > until.latest:
        return False
    if since is not None and date.latest < since.earliest:
        return False
    return True


def live_statements(kb: KnowledgeBase, until: FuzzyDate | None = None) -> list[Statement]:
    """Statements not retracted, said by ``until``, oldest first."""
    ordered, counted = _in_order(kb)
    return list(ordered) if until is None else ordered[: bisect.bisect_right(counted, until.latest)]


def live_claims(kb: KnowledgeBase, until: FuzzyDate | None = None) -> list:
    """Everything on record that takes stances, by ``until``, oldest first: the statements not
    retracted and the documents (see :mod:`peacekb.claims`)."""
    found = kb.memo.get(("claims", until))
    if found is None:
        found = live_statements(kb, until)
        for claim in document_claims(kb, until):  # few: each put in its place
            bisect.insort(found, claim, key=_claim_order)
        kb.memo[("claims", until)] = found
    return list(found)


def _claim_order(claim) -> tuple:
    return (claim.date.sort_key(), claim.id)


def _in_order(kb: KnowledgeBase) -> tuple[list[Statement], list[dt.date]]:
    """The statements not retracted, oldest first, and the day from which each counts (a cut at a
    date takes those up to it): sorted once for the knowledge base."""
    found = kb.memo.get("in order")
    if found is None:
        # by id, then (a stable sort) by date: _claim_order's order, with keys Python need not build
        ordered = sorted((s for s in kb.statements.values() if not s.retracted), key=operator.attrgetter("id"))
        ordered.sort(key=operator.attrgetter("date.order"))
        found = kb.memo["in order"] = (ordered, list(map(operator.attrgetter("date.counts_from"), ordered)))
    return found


def issue_tree(kb: KnowledgeBase, root: str | None = None) -> list[tuple[str, int]]:
    """Issues in tree order with their depth; below ``root`` (included) when given."""
    children: dict[str | None, list[str]] = {}
    for issue in kb.issues.values():
        parent = issue.parent if issue.parent in kb.issues else None
        children.setdefault(parent, []).append(issue.id)
    order: list[tuple[str, int]] = []
    seen: set[str] = set()

    def walk(ident: str, depth: int) -> None:
        if ident in seen:  # a cycle, which validate reports
            return
        seen.add(ident)
        order.append((ident, depth))
        for child in sorted(children.get(ident, [])):
            walk(child, depth + 1)

    for top in [root] if root else sorted(children.get(None, [])):
        walk(top, 0)
    return order


def mediators_of(rnd) -> list[str]:
    """A round's mediators: the role `mediator` in `third_parties`, and the `mediators` shorthand."""
    return [t.actor for t in rnd.roles if t.role == "mediator"]


@dataclass
class ThirdPartyInfo:
    actor: Ref
    role: str  # mediator, facilitator, guarantor, accompanying, observer, host, witness
    sources: list[str]


def principal_parties(kb: KnowledgeBase) -> list[str]:
    """The parties at the table: delegations' parties and mediators, in order of first appearance."""
    seen: dict[str, None] = {}
    for rnd in sorted(kb.rounds.values(), key=lambda r: r.start.sort_key()):
        for delegation in rnd.delegations:
            seen.setdefault(delegation.party)
        for mediator in mediators_of(rnd):
            seen.setdefault(mediator)
    return [p for p in seen if p in kb.actors]


# --- positions ------------------------------------------------------------------------------------

Status = Literal["held", "contested", "unknown"]


@dataclass
class HeldStance:
    stance: str
    label: str
    since: str  # its first voicing that no later claim of the holder dropped
    last: str  # when last voiced
    evidence: list[Evidence]  # the claims of that last voicing (several when equally recent)


@dataclass
class PastStance:
    """A stance the holder held once and no longer does."""

    stance: str
    label: str
    since: str
    until: str  # when it was dropped: the date of the claim that contradicted or withdrew it
    dropped_by: str  # that claim's id
    withdrawn: bool  # dropped by an explicit withdrawal, not by a contradicting stance


@dataclass
class Position:
    holder: str
    holder_name: str
    status: Status
    stances: list[str]  # the stances held, oldest first; several when compatible or contested; none when unknown
    held: list[HeldStance]  # the same, each with since when, when last voiced, and its evidence
    past: list[PastStance]  # stances held before and dropped, oldest first

    @property
    def evidence(self) -> list[Evidence]:
        """The evidence of every stance held, oldest first, each claim once."""
        seen: dict[str, Evidence] = {}
        for h in self.held:
            for e in h.evidence:
                seen.setdefault(e.id, e)
        return sorted(seen.values(), key=lambda e: FuzzyDate.parse(e.date).sort_key())


@dataclass
class StanceGroup:
    stance: str
    label: str
    holders: list[str]


@dataclass
class HeadlineEntry:
    """Holders that hold exactly the same stances."""

    stances: list[str]
    labels: list[str]
    holders: list[str]
    holder_names: list[str]


@dataclass
class Headline:
    """An issue in one line: camps that disagree with each other (every two camps hold some
    incompatible stances), the holders in a camp agreeing; then contested and unknown holders."""

    text: str  # `sequencing: guarantees-first (Ukraine) vs territory-first (United States); ...`
    camps: list[list[HeadlineEntry]]
    contested: list[HeadlineEntry]
    withdrawn: list[HeadlineEntry]  # holders that withdrew every stance they held, with those stances
    unknown: list[str]  # holders with no recorded position


@dataclass
class IssuePositions:
    issue: str
    title: str
    parent: str | None
    depth: int
    as_of: str | None
    headline: Headline
    groups: list[StanceGroup]
    positions: list[Position]


def stance_label(kb: KnowledgeBase, issue: str, stance: str) -> str:
    record = kb.issues.get(issue)
    return record.label(stance) if record else stance


def holder_position(kb: KnowledgeBase, holder: str, issue: str, claims: list) -> Position:
    """Where ``holder`` stands on ``issue`` from ``claims``: the holder's statements and documents on
    it, oldest first, already cut at the date asked. The rule is :mod:`peacekb.claims`'."""
    name = name_of(kb, "actors", holder) or holder
    if not claims:
        return Position(holder, name, "unknown", [], [], [])
    return _position(kb, holder, name, issue, track(kb.issues.get(issue), issue, claims))


def _position(kb: KnowledgeBase, holder: str, name: str, issue: str, tracker: Tracker, memo: dict | None = None) -> Position:
    """The position a tracker stands at. ``memo``, kept by a caller that asks again as the same
    trackers take more claims, holds what was made of each stance (a stance dropped does not change
    again; one held changes only with a new voicing); the trackers must live as long as it."""
    memo = {} if memo is None else memo  # (id(held stance), voicings) or (id(tracker), stances dropped) to what was made of them
    held = []
    for h in tracker.stances():
        made = memo.get((id(h), len(h.voicings)))
        if made is None:
            made = memo[(id(h), len(h.voicings))] = HeldStance(
                h.stance, stance_label(kb, issue, h.stance), str(h.since), str(h.last), [evidence(kb, c, issue) for c in h.claims])
        held.append(made)
    past = memo.get((id(tracker), len(tracker.past)))
    if past is None:
        past = memo[(id(tracker), len(tracker.past))] = []
        for h in sorted(tracker.past, key=lambda h: h.since.sort_key()):
            made = memo.get((id(h), None))
            if made is None:
                made = memo[(id(h), None)] = PastStance(h.stance, stance_label(kb, issue, h.stance), str(h.since), str(h.until), h.dropped_by.id, h.withdrawn)
            past.append(made)
    status: Status = "unknown" if not held else "contested" if tracker.contested else "held"
    return Position(holder, name, status, [h.stance for h in held], held, past)


def positions(kb: KnowledgeBase, issue: str, as_of: FuzzyDate | None = None) -> list[IssuePositions]:
    """Where every party stands on ``issue`` and each of its sub-issues, as of a date."""
    claims = live_claims(kb, as_of)
    principals = principal_parties(kb)
    taking = by_issue(claims)
    return [issue_positions(kb, ident, depth, by_holder(taking.get(ident, [])), principals, as_of) for ident, depth in issue_tree(kb, issue)]


def issue_positions(kb: KnowledgeBase, ident: str, depth: int, groups: dict[str, list], principals: list[str], as_of: FuzzyDate | None) -> IssuePositions:
    """The positions on one issue, from each holder's claims on it (``groups``); the parties at the
    table with none on record are listed as unknown."""
    table = [holder_position(kb, h, ident, claims) for h, claims in groups.items()]
    return _issue_block(kb, ident, depth, table, principals, as_of)


def _issue_block(kb: KnowledgeBase, ident: str, depth: int, table: list[Position], principals: list[str], as_of: FuzzyDate | None,
                 unknown: dict[str, Position] | None = None) -> IssuePositions:
    """The block of one issue from the positions of the holders with claims on it; ``unknown``: the
    positions of parties with none on record (the same on every issue), where the caller keeps them."""
    record = kb.issues[ident]
    have = {p.holder for p in table}
    unknown = {} if unknown is None else unknown
    table = list(table)
    for p in principals:
        if p not in have:
            if p not in unknown:
                unknown[p] = holder_position(kb, p, ident, [])
            table.append(unknown[p])
    order = {s.id: i for i, s in enumerate(record.stances)}
    stance_groups = []
    for stance in sorted({st for p in table for st in p.stances}, key=lambda st: order.get(st, len(order))):
        stance_groups.append(StanceGroup(stance, stance_label(kb, ident, stance), [p.holder for p in table if stance in p.stances]))
    table.sort(key=lambda p: ({"held": 0, "contested": 1, "unknown": 2}[p.status], min((order.get(st, 99) for st in p.stances), default=99), fold(p.holder_name)))
    return IssuePositions(ident, record.title, record.parent, depth, str(as_of) if as_of else None, headline(kb, ident, table), stance_groups, table)


def round_cut(rnd, edge: Literal["start", "end"] = "end") -> FuzzyDate:
    """A round as a moment to cut at: its first day (``edge="start"``), or its last, after which
    the positions stood as ``positions(kb, issue, as_of=round_cut(rnd))`` gives them."""
    day = rnd.start if edge == "start" else rnd.last_day.until or rnd.last_day
    return FuzzyDate(day.year, day.month, day.day)


def positions_after(kb: KnowledgeBase, round_ids: Iterable[str]) -> dict[str, list[IssuePositions]]:
    """Where the parties stood after each round on each issue of its agenda: one block per agenda
    issue, as ``positions(kb, issue, as_of=round_cut(round))[0]`` gives it.

    One pass over the claims, oldest first, cut after cut: each holder's position on an issue is
    made again only when a claim of its on that issue came since the last cut that showed it."""
    claims = live_claims(kb)
    principals = principal_parties(kb)
    cuts = sorted(((round_cut(kb.rounds[r]), r) for r in round_ids), key=lambda c: (c[0].latest, c[1]))
    trackers: dict[str, dict[str, Tracker]] = {}  # issue to holder to its position so far, built claim by claim
    made: dict[tuple[str, str], Position] = {}  # (issue, holder) to its position as the tracker stands now
    memo: dict = {}  # what _position made of each stance
    unknown: dict[str, Position] = {}
    shown: dict[str, tuple[int, IssuePositions]] = {}  # issue to the block last shown, and the claims on it by then
    taken: Counter[str] = Counter()  # issue to the claims on it so far
    layout: dict[str, tuple[tuple, IssuePositions]] = {}  # issue to the shape of its last block made in full, and that block
    found: dict[str, list[IssuePositions]] = {}
    at = 0
    for cut, round_id in cuts:
        while at < len(claims) and claims[at].date.counts_from <= cut.latest:
            claim = claims[at]
            at += 1
            for issue in dict.fromkeys([*claim.stances, *claim.withdraws]):
                taken[issue] += 1
                mine = trackers.setdefault(issue, {})
                for holder in claim.holders:
                    tracker = mine.get(holder)
                    if tracker is None:
                        tracker = mine[holder] = Tracker(kb.issues.get(issue), issue)
                    tracker.add(claim)
                    made.pop((issue, holder), None)
        blocks = []
        for issue in dict.fromkeys(kb.rounds[round_id].agenda):
            if issue not in kb.issues:
                continue
            last = shown.get(issue)
            if last is not None and last[0] == taken[issue]:  # nothing new on it: the same block, as of this cut
                blocks.append(dataclasses.replace(last[1], as_of=str(cut)))
                continue
            table = []
            for holder, tracker in trackers.get(issue, {}).items():
                position = made.get((issue, holder))
                if position is None:
                    position = made[(issue, holder)] = _position(kb, holder, name_of(kb, "actors", holder) or holder, issue, tracker, memo)
                table.append(position)
            # what the order of the rows, the stance groups and the headline depend on: when that
            # is as it was, only the rows' dates and evidence are new
            shape = tuple((p.holder, p.status, tuple(p.stances), tuple(x.stance for x in p.past if x.withdrawn) if not p.held else ()) for p in table)
            before = layout.get(issue)
            if before is not None and before[0] == shape:
                rows = {p.holder: p for p in table}
                block = dataclasses.replace(before[1], as_of=str(cut), positions=[rows.get(p.holder, p) for p in before[1].positions])
            else:
                block = _issue_block(kb, issue, 0, table, principals, cut, unknown)
                layout[issue] = (shape, block)
            shown[issue] = (taken[issue], block)
            blocks.append(block)
        found[round_id] = blocks
    return {r: found[r] for r in round_ids if r in found}


def headline(kb: KnowledgeBase, issue: str, table: list[Position]) -> Headline:
    """Holders of the same stances together; "vs" only between camps that hold incompatible stances;
    a holder named once, with all its stances ("Government: a + b"); contested holders apart."""
    record = kb.issues.get(issue)
    order = {s.id: i for i, s in enumerate(record.stances)} if record else {}

    def entry(stances: tuple[str, ...], holders: list[Position]) -> HeadlineEntry:
        ordered = sorted(stances, key=lambda st: (order.get(st, len(order)), st))
        return HeadlineEntry(ordered, [stance_label(kb, issue, st) for st in ordered], [p.holder for p in holders], [p.holder_name for p in holders])

    same: dict[tuple[str, ...], list[Position]] = {}
    for p in table:
        if p.status == "held":
            same.setdefault(tuple(sorted(p.stances)), []).append(p)
    entries = sorted((entry(k, v) for k, v in same.items()), key=lambda e: (-len(e.holders), [order.get(st, 99) for st in e.stances]))
    camps: list[list[HeadlineEntry]] = []
    for e in entries:
        home = next((c for c in camps if all(record is None or record.agree(x, y) for other in c for x in e.stances for y in other.stances)), None)
        if home is None:
            camps.append([e])
        else:
            home.append(e)
    camps.sort(key=lambda c: -sum(len(e.holders) for e in c))
    # a contested holder's stances in the order it voiced them, as its row shows them
    contested = [HeadlineEntry(list(p.stances), [h.label for h in p.held], [p.holder], [p.holder_name]) for p in table if p.status == "contested"]
    withdrawn = [HeadlineEntry([x.stance for x in p.past if x.withdrawn], [x.label for x in p.past if x.withdrawn], [p.holder], [p.holder_name])
                 for p in table if p.status == "unknown" and p.past]
    unknown = [p.holder for p in table if p.status == "unknown" and not p.past]

    def said(e: HeadlineEntry) -> str:
        return f"{' + '.join(e.stances)} ({', '.join(e.holder_names)})"

    parts = [" and ".join(said(e) for e in camp) for camp in camps]
    text = f"{issue}: " + (" vs ".join(parts) if parts else "no recorded positions" if not contested and not withdrawn else "")
    if contested:
        text += ("; " if parts else "") + "contested: " + ", ".join(f"{e.holder_names[0]} ({' / '.join(e.stances)})" for e in contested)
    if withdrawn:
        text += ("; " if parts or contested else "") + "withdrawn: " + ", ".join(f"{e.holder_names[0]} ({' / '.join(e.stances)})" for e in withdrawn)
    if (parts or contested or withdrawn) and unknown:
        text += f"; no recorded position: {', '.join(name_of(kb, 'actors', h) or h for h in unknown)}"
    return Headline(text, camps, contested, withdrawn, unknown)


# --- rounds ---------------------------------------------------------------------------------------


@dataclass
class DelegationInfo:
    party: Ref
    head: Ref | None
    members: list[Ref]
    sources: list[str]
    note: str | None


@dataclass
class OutcomeInfo:
    id: str
    summary: str
    next_round: Ref | None
    sources: list[str]


@dataclass
class RoundCard:
    id: str
    title: str
    kind: str
    status: str
    start: str
    end: str | None
    location: str | None
    venue: str | None
    format: str | None
    mediators: list[Ref]  # the third parties in the role `mediator`
    participants: list[Ref]
    third_parties: list[ThirdPartyInfo]  # every third party with its role, mediators included
    delegations: list[DelegationInfo]
    agenda: list[Ref]
    events: list[Ref]
    positions: list[Evidence]  # statements there that take a stance
    statements: list[Evidence]  # every statement made in connection with the round
    outcomes: list[OutcomeInfo]
    previous: Ref | None
    next: Ref | None
    disputes: list[DisputeInfo]
    not_found: list[str]
    note: str | None
    sources: list[SourceRef]
    agreements: list  # the agreements reached there, each with its latest status (peacekb.agreements.Covering)


def rounds_in_order(kb: KnowledgeBase) -> list[str]:
    return [r.id for r in sorted(kb.rounds.values(), key=lambda r: (r.start.sort_key(), r.id))]


def round_card(kb: KnowledgeBase, round_id: str, order: list[str] | None = None) -> RoundCard:
    """The briefing card of a round; ``order``: :func:`rounds_in_order`, when the caller asks for
    many cards and has it already."""
    from peacekb.agreements import of_round

    rnd = kb.rounds[round_id]
    order = order if order is not None else rounds_in_order(kb)
    at = order.index(round_id)
    said = [evidence(kb, s) for s in sorted(rnd.statements, key=lambda s: (s.date.sort_key(), s.id)) if not s.retracted]
    cited: dict[str, None] = dict.fromkeys(rnd.sources)
    for d in rnd.delegations:
        cited.update(dict.fromkeys(d.sources))
    for o in rnd.outcomes:
        cited.update(dict.fromkeys(o.sources))
    for e in said:
        cited.update(dict.fromkeys(e.sources))
    return RoundCard(
        id=rnd.id,
        title=rnd.title,
        kind=rnd.kind,
        status=rnd.status,
        start=str(rnd.start),
        end=str(rnd.end) if rnd.end else None,
        location=rnd.location,
        venue=rnd.venue,
        format=rnd.format,
        mediators=[ref(kb, "actors", a) for a in mediators_of(rnd)],
        participants=[ref(kb, "actors", a) for a in rnd.participants],
        third_parties=[ThirdPartyInfo(ref(kb, "actors", t.actor), t.role, list(t.sources)) for t in rnd.roles],
        delegations=[
            DelegationInfo(
                ref(kb, "actors", d.party),
                ref(kb, "actors", d.head) if d.head else None,
                [ref(kb, "actors", m) for m in d.members],
                list(d.sources),
                d.note,
            )
            for d in rnd.delegations
        ],
        agenda=[ref(kb, "issues", i) for i in rnd.agenda],
        events=[ref(kb, "events", e) for e in rnd.events],
        positions=[e for e in said if e.stances],
        statements=said,
        outcomes=[OutcomeInfo(o.id, o.summary, ref(kb, "rounds", o.next_round) if o.next_round else None, list(o.sources)) for o in rnd.outcomes],
        previous=ref(kb, "rounds", order[at - 1]) if at > 0 else None,
        next=ref(kb, "rounds", order[at + 1]) if at + 1 < len(order) else None,
        disputes=dispute_info(rnd.disputes),
        not_found=list(rnd.not_found),
        note=rnd.note,
        sources=[source_ref(kb, s) for s in cited],
        agreements=of_round(kb, round_id),
    )


# --- overviews ------------------------------------------------------------------------------------


@dataclass
class RoundRow:
    id: str
    title: str
    kind: str
    status: str
    start: str
    end: str | None
    location: str | None
    format: str | None
    parties: list[str]
    mediators: list[str]
    statements: int


def rounds_overview(kb: KnowledgeBase) -> list[RoundRow]:
    rows = []
    for ident in rounds_in_order(kb):
        r = kb.rounds[ident]
        rows.append(
            RoundRow(r.id, r.title, r.kind, r.status, str(r.start), str(r.end) if r.end else None, r.location, r.format,
                     [d.party for d in r.delegations], mediators_of(r), sum(1 for s in r.statements if not s.retracted))
        )
    return rows


@dataclass
class ActorRow:
    id: str
    name: str
    kind: str
    country: str | None
    aliases: list[str]
    current_role: str | None
    statements: int


def actors_overview(kb: KnowledgeBase) -> list[ActorRow]:
    spoken: dict[str, int] = {}
    for s in kb.statements.values():  # counted: in no order
        if s.retracted:
            continue
        for who in {s.speaker, *s.party_ids, *s.holders} - {None}:
            spoken[who] = spoken.get(who, 0) + 1
    rows = []
    for actor in sorted(kb.actors.values(), key=lambda a: (a.kind, fold(a.name), a.id)):  # Álvaro with the A's
        latest = actor.roles[-1] if actor.roles else None
        role = f"{latest.title}" + (f" ({name_of(kb, 'actors', latest.party)})" if latest and latest.party else "") if latest else None
        rows.append(ActorRow(actor.id, actor.name, actor.kind, actor.country, list(actor.aliases), role, spoken.get(actor.id, 0)))
    return rows


@dataclass
class PastHolder:
    holder: str
    holder_name: str
    since: str
    until: str  # when the holder dropped the stance


@dataclass
class StanceInfo:
    id: str
    label: str
    description: str | None
    holders: list[str]  # who holds it now
    past: list[PastHolder]  # who held it before, and when


@dataclass
class IssueRow:
    id: str
    title: str
    parent: str | None
    depth: int
    stances: list[StanceInfo]
    statements: int


def stance_infos(kb: KnowledgeBase, issue: str, table: list[Position]) -> list[StanceInfo]:
    """The issue's stances, each with its holders now and those who held it before."""
    return [
        StanceInfo(st.id, st.label, st.description, [p.holder for p in table if st.id in p.stances],
                   [PastHolder(p.holder, p.holder_name, x.since, x.until) for p in table for x in p.past if x.stance == st.id])
        for st in kb.issues[issue].stances
    ]


def issues_overview(kb: KnowledgeBase, as_of: FuzzyDate | None = None) -> list[IssueRow]:
    counts = Counter(i for s in live_statements(kb, as_of) for i in dict.fromkeys(s.issues))
    taking_by_issue = by_issue(live_claims(kb, as_of))
    rows = []
    for ident, depth in issue_tree(kb):
        issue = kb.issues[ident]
        table = [holder_position(kb, h, ident, claims) for h, claims in by_holder(taking_by_issue.get(ident, [])).items()]
        rows.append(IssueRow(ident, issue.title, issue.parent, depth, stance_infos(kb, ident, table), counts[ident]))
    return rows


# --- actor and issue cards ------------------------------------------------------------------------


@dataclass
class RoleInfo:
    title: str
    party: str | None
    party_name: str | None
    start: str | None
    end: str | None
    sources: list[str]


@dataclass
class VoicedStance:
    """A stance a person voiced: on what, for whom, when, in which statement."""

    issue: str
    stance: str
    label: str
    holders: list[str]  # whose position it was
    holder_names: list[str]
    date: str
    evidence: Evidence


@dataclass
class ActorCard:
    id: str
    name: str
    kind: str
    aliases: list[str]
    country: str | None
    wikidata: str | None
    sources: list[str]  # the sources for the actor's identity (Wikidata id, country)
    description: str | None
    roles: list[RoleInfo]
    positions: list[IssuePositions]  # where the actor, as holder, stands on each issue
    voiced: list[VoicedStance]  # the stances the actor voiced as speaker, for whomever, oldest first
    statements: list[Evidence]  # everything the actor said, or that was said for or about its position
    rounds: list[Ref]  # rounds where the actor sat in a delegation or mediated
    disputes: list[DisputeInfo]


def _known_by(date: FuzzyDate | None, as_of: FuzzyDate | None) -> bool:
    """Whether something dated ``date`` had begun by ``as_of`` (an undated thing always had)."""
    return as_of is None or date is None or date.counts_from <= as_of.latest


def actor_card(kb: KnowledgeBase, actor_id: str, as_of: FuzzyDate | None = None, index: ActorIndex | None = None) -> ActorCard:
    """The actor as known on ``as_of``: its statements, positions and rounds up to then, its roles
    begun by then, a role that ended later shown as still held. ``index``: :func:`actor_index` for
    the same ``as_of``, when the caller asks for many cards."""
    if index is not None:
        return _actor_card(kb, actor_id, as_of, index.statements.get(actor_id, []), index.claims.get(actor_id, []),
                           index.rounds.get(actor_id, []))
    statements = live_statements(kb, as_of)
    mine = [s for s in statements if actor_id == s.speaker or actor_id in s.party_ids or actor_id in s.holders]
    own = [c for c in live_claims(kb, as_of) if actor_id in c.holders]
    return _actor_card(kb, actor_id, as_of, mine, own, _rounds_present(kb, as_of).get(actor_id, []))


@dataclass
class ActorIndex:
    """What every actor's card is made from, sorted out in one pass: by actor id, the statements it
    made, was party to or whose position they describe, the claims it holds, the rounds it was at."""

    statements: dict[str, list[Statement]]
    claims: dict[str, list]
    rounds: dict[str, list[str]]


def actor_index(kb: KnowledgeBase, as_of: FuzzyDate | None = None) -> ActorIndex:
    mine: dict[str, list[Statement]] = {a: [] for a in kb.actors}
    own: dict[str, list] = {a: [] for a in kb.actors}
    for s in live_statements(kb, as_of):
        for who in dict.fromkeys([s.speaker, *s.party_ids, *s.holders]):
            if who in mine:
                mine[who].append(s)
    for c in live_claims(kb, as_of):
        for who in dict.fromkeys(c.holders):
            if who in own:
                own[who].append(c)
    return ActorIndex(mine, own, _rounds_present(kb, as_of))


def _rounds_present(kb: KnowledgeBase, as_of: FuzzyDate | None) -> dict[str, list[str]]:
    """Actor id to the rounds begun by ``as_of`` where it sat in a delegation (party, head or
    member), had a role (mediator, host, ...) or was present, in order."""
    found: dict[str, list[str]] = {}
    for ident in rounds_in_order(kb):
        r = kb.rounds[ident]
        if not _known_by(r.start, as_of):
            continue
        present = dict.fromkeys([*r.participants, *(t.actor for t in r.roles)])
        for d in r.delegations:
            present.update(dict.fromkeys([d.party, d.head, *d.members]))
        for actor in present:
            if actor is not None:
                found.setdefault(actor, []).append(ident)
    return found


def _actor_card(kb: KnowledgeBase, actor_id: str, as_of: FuzzyDate | None, mine: list[Statement], claims: list, present: list[str]) -> ActorCard:
    actor = kb.actors[actor_id]
    own = by_issue(claims)
    held = []
    for ident, depth in issue_tree(kb):
        position = holder_position(kb, actor_id, ident, own.get(ident, []))
        if position.status != "unknown":
            issue = kb.issues[ident]
            held.append(IssuePositions(ident, issue.title, issue.parent, depth, str(as_of) if as_of else None,
                                       headline(kb, ident, [position]), [], [position]))
    voiced = [
        VoicedStance(issue, stance, stance_label(kb, issue, stance), s.holders, names_of(kb, s.holders), str(s.date), evidence(kb, s, issue))
        for s in mine if s.speaker == actor_id for issue, stance in s.stances.items()
    ]
    rounds = [ref(kb, "rounds", ident) for ident in present]
    return ActorCard(
        id=actor.id,
        name=actor.name,
        kind=actor.kind,
        aliases=list(actor.aliases),
        country=actor.country,
        wikidata=actor.wikidata,
        sources=list(actor.sources),
        description=actor.description,
        roles=[
            RoleInfo(r.title, r.party, name_of(kb, "actors", r.party), str(r.start) if r.start else None,
                     str(r.end) if r.end and _known_by(r.end, as_of) else None, list(r.sources))
            for r in actor.roles if _known_by(r.start, as_of)
        ],
        positions=held,
        voiced=voiced,
        statements=[evidence(kb, s) for s in mine],
        rounds=rounds,
        disputes=dispute_info(actor.disputes),
    )


@dataclass
class IssueCard:
    id: str
    title: str
    description: str | None
    parent: Ref | None
    children: list[Ref]
    stances: list[StanceInfo]
    positions: list[IssuePositions]
    rounds: list[Ref]  # rounds with the issue on their agenda
    agreements: list  # the issue and its sub-issues that agreements cover, as `agreements --issue` gives them (PointAgreements)


def issue_card(kb: KnowledgeBase, issue_id: str, as_of: FuzzyDate | None = None, table: list[IssuePositions] | None = None) -> IssueCard:
    """The card of an issue; ``table``: ``positions(kb, issue_id, as_of)`` when the caller has it."""
    from peacekb.agreements import agreements

    issue = kb.issues[issue_id]
    table = table if table is not None else positions(kb, issue_id, as_of)
    stances = stance_infos(kb, issue_id, table[0].positions)
    children = sorted(i.id for i in kb.issues.values() if i.parent == issue_id)
    return IssueCard(
        id=issue.id,
        title=issue.title,
        description=issue.description,
        parent=ref(kb, "issues", issue.parent) if issue.parent else None,
        children=[ref(kb, "issues", c) for c in children],
        stances=stances,
        positions=table,
        rounds=[ref(kb, "rounds", r) for r in rounds_in_order(kb) if issue_id in kb.rounds[r].agenda],
        agreements=[p for p in agreements(kb, issue_id, as_of) if p.agreements],
    )


# --- sources and events ---------------------------------------------------------------------------


def citations(kb: KnowledgeBase) -> dict[str, list[tuple[str, str]]]:
    """Source id to the (kind, id) of every record that cites it, each once, in loading order: in
    any of the fields :data:`peacekb.references.REFERENCES` knows, its nested records' included."""
    from peacekb.references import cited_sources

    cited: dict[str, dict[tuple[str, str], None]] = {}
    for kind, records in (("actors", kb.actors), ("rounds", kb.rounds), ("events", kb.events)):
        for record in records.values():
            for source in cited_sources(record):
                cited.setdefault(source, {})[(kind, record.id)] = None
    for st in kb.statements.values():
        st = kb.full(st)
        for source in cited_sources(st):
            cited.setdefault(source, {})[("statements", st.id)] = None
    return {source: list(refs) for source, refs in cited.items()}


@dataclass
class SourceRow:
    id: str
    title: str | None
    publisher: str | None
    published: str | None
    reliability: str
    language: str | None
    url: str | None
    cited_by: int  # records (actors, rounds, events, statements) that cite it


def sources_overview(kb: KnowledgeBase) -> list[SourceRow]:
    """Every source, newest first (undated last), then by id."""
    cited = citations(kb)
    ordered = sorted(kb.sources.values(), key=lambda s: s.id)
    ordered.sort(key=lambda s: s.published.sort_key() if s.published else (dt.date.min, dt.date.min), reverse=True)
    return [SourceRow(s.id, s.title, s.publisher, str(s.published) if s.published else None, s.reliability, s.language, s.url,
                      len(cited.get(s.id, []))) for s in ordered]


@dataclass
class SourceCard:
    id: str
    title: str | None
    title_status: str
    publisher: str | None
    original_publisher: str | None
    reliability: str
    url: str | None
    published: str | None
    language: str | None
    archive: str | None
    note: str | None
    actors: list[Ref]  # records that cite it, by kind
    rounds: list[Ref]
    events: list[Ref]
    statements: list[Evidence]  # the statements it gives or supports, oldest first
    quotes: list[QuoteInfo]  # the words quoted from it


def source_card(kb: KnowledgeBase, source_id: str, cited: dict[str, list[tuple[str, str]]] | None = None) -> SourceCard:
    """A source and what cites it; ``cited``: :func:`citations`, when the caller asks for many cards."""
    s = kb.sources[source_id]
    refs = (cited if cited is not None else citations(kb)).get(source_id, [])
    said = sorted((kb.full(kb.statements[i]) for k, i in refs if k == "statements"), key=lambda x: (x.date.sort_key(), x.id))
    return SourceCard(
        id=s.id, title=s.title, title_status=s.title_status, publisher=s.publisher, original_publisher=s.original_publisher,
        reliability=s.reliability, url=s.url, published=str(s.published) if s.published else None, language=s.language,
        archive=s.archive, note=s.note,
        actors=[ref(kb, "actors", i) for k, i in refs if k == "actors"],
        rounds=[ref(kb, "rounds", i) for k, i in refs if k == "rounds"],
        events=[ref(kb, "events", i) for k, i in refs if k == "events"],
        statements=[evidence(kb, x) for x in said],
        quotes=[QuoteInfo(x.text, x.source, x.translation, list(x.issues)) for st in said for x in st.quotes if x.source == source_id],
    )


@dataclass
class EventRow:
    id: str
    title: str
    kind: str
    date: str
    authors: list[str]
    signatories: list[str]
    issues: list[str]
    provisions: int
    statements: int  # statements made about it (in its file) or referring to it, not retracted


def statements_about(kb: KnowledgeBase) -> dict[str, list[Statement]]:
    """Event id to the statements about it (kept in its file, or referring to it), oldest first,
    for :func:`event_card` when the caller asks for many cards."""
    found: dict[str, list[Statement]] = {}
    for s in kb.statements.values():
        parent = kb.statement_parent.get(s.id, ("", ""))
        for e in dict.fromkeys([*([parent[1]] if parent[0] == "events" else []), *s.refers_to]):
            found.setdefault(e, []).append(s)
    return {e: sorted(found_, key=lambda s: (s.date.sort_key(), s.id)) for e, found_ in found.items()}


def events_overview(kb: KnowledgeBase) -> list[EventRow]:
    """Every event and document, oldest first."""
    about: dict[str, int] = {}
    for s in kb.statements.values():
        if s.retracted:
            continue
        parent = kb.statement_parent.get(s.id, ("", ""))
        for e in dict.fromkeys([*([parent[1]] if parent[0] == "events" else []), *s.refers_to]):
            about[e] = about.get(e, 0) + 1
    ordered = sorted(kb.events.values(), key=lambda e: (e.date.sort_key(), e.id))
    return [EventRow(e.id, e.title, e.kind, str(e.date), list(e.authors), list(e.signatories), list(e.issues), len(e.provisions),
                     about.get(e.id, 0)) for e in ordered]


@dataclass
class ProvisionInfo:
    id: str
    summary: str
    issues: list[str]
    stances: dict[str, str]
    sources: list[str]


@dataclass
class EventCard:
    id: str
    title: str
    kind: str
    date: str
    authors: list[Ref]
    signatories: list[Ref]
    holders: list[Ref]  # who holds its stances: its signatories, else the parties among its authors
    description: str | None
    provisions: list[ProvisionInfo]
    issues: list[Ref]
    stances: dict[str, str]
    related: list[Ref]
    rounds: list[Ref]
    statements: list[Evidence]  # statements about it: in its file, or referring to it
    disputes: list[DisputeInfo]
    not_found: list[str]
    note: str | None
    sources: list[SourceRef]
    status: str | None = None  # an agreement's latest status and its date (`peacekb agreement` has the history)
    status_date: str | None = None
    question: str | None = None  # a vote's question and figures
    results: dict[str, int | float] = dataclasses.field(default_factory=dict)


def event_card(kb: KnowledgeBase, event_id: str, about: dict[str, list[Statement]] | None = None) -> EventCard:
    """An event or document; ``about``: :func:`statements_about`, when the caller asks for many cards."""
    e = kb.events[event_id]
    said = [evidence(kb, s) for s in (about if about is not None else statements_about(kb)).get(event_id, []) if not s.retracted]
    cited: dict[str, None] = dict.fromkeys(e.sources)
    for p in e.provisions:
        cited.update(dict.fromkeys(p.sources))
    return EventCard(
        id=e.id, title=e.title, kind=e.kind, date=str(e.date),
        authors=[ref(kb, "actors", a) for a in e.authors], signatories=[ref(kb, "actors", a) for a in e.signatories],
        holders=[ref(kb, "actors", a) for a in document_holders(kb, e)],
        description=e.description,
        provisions=[ProvisionInfo(p.id, p.summary, list(p.issues), dict(p.stances), list(p.sources)) for p in e.provisions],
        issues=[ref(kb, "issues", i) for i in e.issues], stances=dict(e.stances),
        related=[ref(kb, "events", r) for r in e.related], rounds=[ref(kb, "rounds", r) for r in e.rounds],
        statements=said, disputes=dispute_info(e.disputes), not_found=list(e.not_found), note=e.note,
        sources=[source_ref(kb, s) for s in cited],
        status=e.history[-1].status if e.history else None, status_date=str(e.history[-1].date) if e.history else None,
        question=e.question,
        results={f: getattr(e.results, f) for f in e.results.FIGURES if getattr(e.results, f) is not None} if e.results else {},
    )


# --- statements and timelines ---------------------------------------------------------------------


@dataclass
class StatementFilter:
    actor: str | None = None  # speaker or party
    holder: str | None = None
    issue: str | None = None  # the issue or any issue below it
    round: str | list[str] | None = None  # made in connection with this round, or with any of these
    since: FuzzyDate | None = None
    until: FuzzyDate | None = None
    text: str | None = None  # words that must all appear in the quotes or the summary (stemmed, accents folded: peacekb.search)
    include_retracted: bool = False
    # the statements whose texts hold the words of ``text``, when an index found them beforehand
    # (peacekb.search.statement_matches); else they are matched here
    matched: set[str] | None = None


def statements(kb: KnowledgeBase, where: StatementFilter | None = None) -> list[Evidence]:
    where = where or StatementFilter()
    issues = {i for i, _ in issue_tree(kb, where.issue)} if where.issue else None
    rounds = {("rounds", r) for r in ([where.round] if isinstance(where.round, str) else where.round or [])}
    chosen = []
    for s in sorted(kb.statements.values(), key=lambda s: (s.date.sort_key(), s.id)):
        if s.retracted and not where.include_retracted:
            continue
        if where.actor and where.actor != s.speaker and where.actor not in s.party_ids:
            continue
        if where.holder and where.holder not in s.holders:
            continue
        if issues is not None and not issues & set(s.issues):
            continue
        if rounds and kb.statement_parent.get(s.id) not in rounds:
            continue
        if not _in_time(s.date, where.since, where.until):
            continue
        chosen.append(s)
    if where.text:  # matched as `peacekb search` matches them: stemmed, accents folded
        hits = where.matched
        if hits is None:
            hits = matching({s.id: [s.summary, *(q.text for q in kb.full(s).quotes)] for s in chosen}, where.text)
        chosen = [s for s in chosen if s.id in hits]
    return [evidence(kb, s) for s in chosen]


@dataclass
class TimelineEntry:
    date: str
    holder: str
    holder_name: str
    issue: str
    stance: str | None
    dropped: list[str]  # the stances it dropped: contradicted by this one, or withdrawn
    change: Step  # first stance, the same again, added to those held, changed (dropped others), withdrawn, no stance
    held: list[str]  # the holder's stances on the issue after it
    evidence: Evidence


MOVES = frozenset({"first", "added", "contested", "changed", "withdrawn"})  # the steps that change a position


def timeline(kb: KnowledgeBase, issue: str | None = None, actor: str | None = None, every: bool = False) -> list:
    """How positions moved, oldest first: per holder and issue, each statement or document marked by
    what it did to the holder's position (see :class:`peacekb.claims.Tracker`). Only the steps that
    change a position (:data:`MOVES`), unless ``every``: then the same stance again and the
    mentions that take no stance too. The entries of one claim come together. The status changes
    of the agreements on those issues (that ``actor`` takes part in) come in among them, by date,
    as :class:`peacekb.agreements.AgreementStep` (``change`` is `agreement`), after the statements
    of their day."""
    from peacekb.agreements import agreement_steps

    issues = {i for i, _ in issue_tree(kb, issue)} if issue else set(kb.issues)
    steps = agreement_steps(kb, issues if issue else None, actor)
    keys = [FuzzyDate.parse(s.date).sort_key() for s in steps]
    trackers: dict[tuple[str, str], Tracker] = {}
    entries = []
    for c in live_claims(kb):
        involved = actor is None or actor == c.speaker or actor in c.party_ids or actor in c.holders
        for ident in dict.fromkeys([*c.issues, *c.withdraws]):
            if ident not in issues:
                continue
            for holder in c.holders:
                tracker = trackers.get((holder, ident))
                if tracker is None:
                    tracker = trackers[(holder, ident)] = Tracker(kb.issues.get(ident), ident)
                change, dropped = tracker.add(c)
                if involved and (every or change in MOVES):
                    while steps and keys[0] < c.date.sort_key():
                        entries.append(steps.pop(0))
                        keys.pop(0)
                    entries.append(
                        TimelineEntry(str(c.date), holder, name_of(kb, "actors", holder) or holder, ident, c.stances.get(ident),
                                      dropped, change, [h.stance for h in tracker.stances()], evidence(kb, c, ident))
                    )
    return entries + steps


def today() -> FuzzyDate:
    now = dt.date.today()
    return FuzzyDate(now.year, now.month, now.day)
