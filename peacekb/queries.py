"""Questions asked of a knowledge base, answered as plain data.

Every function here takes a loaded :class:`~peacekb.kb.KnowledgeBase` and returns dataclasses of
plain values (ids, names, dates as text), so that Python users can do everything the CLI does and
the CLI's json output is exactly ``to_data(result)``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from peacekb.dates import FuzzyDate
from peacekb.kb import KnowledgeBase
from peacekb.models import Dispute, Statement
from peacekb.names import fold


def to_data(value: Any) -> Any:
    """A query result as JSON-ready data (dicts, lists, text, numbers)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


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


@dataclass
class Evidence:
    """A statement, as the evidence behind a position."""

    statement: str
    date: str
    speaker: str | None
    speaker_name: str | None
    party: str
    party_name: str
    holder: str
    holder_name: str
    attribution: str
    issues: list[str]
    stances: dict[str, str]
    quotes: list[QuoteInfo]
    summary: str
    channel: str | None
    sources: list[str]
    round: str | None
    event: str | None
    disputed: bool
    retracted: str | None  # the reason, for a statement marked retracted


@dataclass
class DisputeInfo:
    id: str
    field: str | None
    summary: str
    versions: list[dict]
    note: str | None


def name_of(kb: KnowledgeBase, kind: str, ident: str | None) -> str | None:
    if ident is None:
        return None
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


def evidence(kb: KnowledgeBase, statement: Statement) -> Evidence:
    statement = kb.full(statement)
    event = kb.event_of(statement.id)
    return Evidence(
        statement=statement.id,
        date=str(statement.date),
        speaker=statement.speaker,
        speaker_name=name_of(kb, "actors", statement.speaker),
        party=statement.party,
        party_name=name_of(kb, "actors", statement.party) or statement.party,
        holder=statement.position_holder,
        holder_name=name_of(kb, "actors", statement.position_holder) or statement.position_holder,
        attribution=statement.attribution,
        issues=list(statement.issues),
        stances=dict(statement.stances),
        quotes=[QuoteInfo(q.text, q.source, q.translation) for q in statement.quotes],
        summary=statement.summary,
        channel=statement.channel,
        sources=statement.all_sources,
        round=kb.round_id_of(statement.id),
        event=event.id if event else None,
        disputed=bool(statement.disputes),
        retracted=statement.retracted.reason if statement.retracted else None,
    )


def dispute_info(disputes: Iterable[Dispute]) -> list[DisputeInfo]:
    return [
        DisputeInfo(d.id, d.field, d.summary, [v.model_dump(mode="json", exclude_none=True) for v in d.versions], d.note)
        for d in disputes
    ]


def parse_as_of(text: str | None) -> FuzzyDate | None:
    """An --as-of/--since/--until value; raises ValueError with a readable reason."""
    return FuzzyDate.parse(text) if text else None


def _in_time(date: FuzzyDate, since: FuzzyDate | None, until: FuzzyDate | None) -> bool:
    if until is not None and date.earliest > until.latest:
        return False
    if since is not None and date.latest < since.earliest:
        return False
    return True


def live_statements(kb: KnowledgeBase, until: FuzzyDate | None = None) -> list[Statement]:
    """Statements not retracted, said by ``until``, oldest first."""
    found = [s for s in kb.statements.values() if not s.retracted and _in_time(s.date, None, until)]
    return sorted(found, key=lambda s: (s.date.sort_key(), s.id))


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


def principal_parties(kb: KnowledgeBase) -> list[str]:
    """The parties at the table: delegations' parties and mediators, in order of first appearance."""
    if kb.principals is not None:
        return [p for p in kb.principals if p in kb.actors]
    seen: dict[str, None] = {}
    for rnd in sorted(kb.rounds.values(), key=lambda r: r.start.sort_key()):
        for delegation in rnd.delegations:
            seen.setdefault(delegation.party)
        for mediator in rnd.mediators:
            seen.setdefault(mediator)
    return [p for p in seen if p in kb.actors]


# --- positions ------------------------------------------------------------------------------------

Status = Literal["held", "contested", "unknown"]


@dataclass
class Position:
    holder: str
    holder_name: str
    status: Status
    stances: list[str]  # one when held, several when contested, none when unknown
    since: str | None  # when the current stance was first voiced, in an unbroken run
    evidence: list[Evidence]  # the latest statements behind the current stance(s)


@dataclass
class StanceGroup:
    stance: str
    label: str
    holders: list[str]


@dataclass
class IssuePositions:
    issue: str
    title: str
    parent: str | None
    depth: int
    as_of: str | None
    headline: str
    groups: list[StanceGroup]
    positions: list[Position]


def by_issue(statements: list[Statement]) -> dict[str, list[Statement]]:
    """The statements that take a stance, by the issue they take it on, in their order (one pass)."""
    groups: dict[str, list[Statement]] = {}
    for s in statements:
        for issue in s.stances:
            groups.setdefault(issue, []).append(s)
    return groups


def by_holder(statements: list[Statement], issue: str | None = None) -> dict[str, list[Statement]]:
    """Statements grouped by holder, in their order; with ``issue``, only those taking a stance on it."""
    groups: dict[str, list[Statement]] = {}
    for s in statements:
        if issue is None or issue in s.stances:
            groups.setdefault(s.position_holder, []).append(s)
    return groups


def holder_position(kb: KnowledgeBase, holder: str, issue: str, statements: list[Statement], own: bool = False) -> Position:
    """Where ``holder`` stands on ``issue`` from ``statements`` (oldest first, already cut at the date asked).

    The latest statements decide; statements whose dates may coincide with the latest one count as
    equally recent. If they take stances the issue does not declare compatible, the position is
    contested; compatible stances are held together."""
    # `own`: the statements are already those that state the holder's position (a person's voiced ones)
    taking = [s for s in statements if (own or s.position_holder == holder) and issue in s.stances]
    name = name_of(kb, "actors", holder) or holder
    if not taking:
        return Position(holder, name, "unknown", [], None, [])
    latest = taking[-1]
    # statements whose dates may coincide with the latest one count as equally recent
    recent = [s for s in taking if s.date.latest >= latest.date.earliest]
    stances = list(dict.fromkeys(s.stances[issue] for s in recent))
    record = kb.issues.get(issue)
    compatible = record is not None and all(record.agree(a, b) for a in stances for b in stances)
    if len(stances) > 1 and not compatible:
        return Position(holder, name, "contested", stances, str(min(s.date for s in recent)), [evidence(kb, s) for s in recent])
    if len(stances) > 1:  # compatible stances voiced together: held, all of them
        return Position(holder, name, "held", stances, str(min(s.date for s in recent)), [evidence(kb, s) for s in recent])
    stance = stances[0]
    since = latest.date
    for s in reversed(taking):
        if s.stances[issue] != stance:
            break
        since = s.date
    supporting = [evidence(kb, s) for s in recent]
    return Position(holder, name, "held", [stance], str(since), supporting)


def positions(kb: KnowledgeBase, issue: str, as_of: FuzzyDate | None = None) -> list[IssuePositions]:
    """Where every party stands on ``issue`` and each of its sub-issues, as of a date."""
    statements = live_statements(kb, as_of)
    principals = principal_parties(kb)
    taking = by_issue(statements)
    result = []
    for ident, depth in issue_tree(kb, issue):
        record = kb.issues[ident]
        groups = by_holder(taking.get(ident, []))
        table = [holder_position(kb, h, ident, taking, own=True) for h, taking in groups.items()]
        table += [holder_position(kb, p, ident, []) for p in principals if p not in groups]
        order = {s.id: i for i, s in enumerate(record.stances)}
        groups = []
        for stance in sorted({st for p in table for st in p.stances}, key=lambda st: order.get(st, len(order))):
            label = next((s.label for s in record.stances if s.id == stance), stance)
            groups.append(StanceGroup(stance, label, [p.holder for p in table if stance in p.stances]))
        table.sort(key=lambda p: ({"held": 0, "contested": 1, "unknown": 2}[p.status], order.get(p.stances[0], 99) if p.stances else 99, p.holder_name))
        result.append(
            IssuePositions(ident, record.title, record.parent, depth, str(as_of) if as_of else None, headline(kb, ident, groups, table), groups, table)
        )
    return result


def headline(kb: KnowledgeBase, issue: str, groups: list[StanceGroup], table: list[Position]) -> str:
    """`sequencing: guarantees-first (Ukraine) vs territory-first (United States)`."""
    def names(ids: list[str]) -> str:
        return ", ".join(name_of(kb, "actors", i) or i for i in ids)

    parts = [f"{g.stance} ({names(g.holders)})" for g in sorted(groups, key=lambda g: -len(g.holders))]
    text = f"{issue}: " + (" vs ".join(parts) if parts else "no recorded positions")
    unknown = [p.holder for p in table if p.status == "unknown"]
    if parts and unknown:
        text += f"; no recorded position: {names(unknown)}"
    return text


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
    mediators: list[Ref]
    participants: list[Ref]
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


def rounds_in_order(kb: KnowledgeBase) -> list[str]:
    return [r.id for r in sorted(kb.rounds.values(), key=lambda r: (r.start.sort_key(), r.id))]


def round_card(kb: KnowledgeBase, round_id: str) -> RoundCard:
    rnd = kb.rounds[round_id]
    order = rounds_in_order(kb)
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
        mediators=[ref(kb, "actors", a) for a in rnd.mediators],
        participants=[ref(kb, "actors", a) for a in rnd.participants],
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
                     [d.party for d in r.delegations], list(r.mediators), sum(1 for s in r.statements if not s.retracted))
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
    for s in live_statements(kb):
        for who in {s.speaker, s.party, s.position_holder} - {None}:
            spoken[who] = spoken.get(who, 0) + 1
    rows = []
    for actor in sorted(kb.actors.values(), key=lambda a: (a.kind, a.name.lower())):
        latest = actor.roles[-1] if actor.roles else None
        role = f"{latest.title}" + (f" ({name_of(kb, 'actors', latest.party)})" if latest and latest.party else "") if latest else None
        rows.append(ActorRow(actor.id, actor.name, actor.kind, actor.country, list(actor.aliases), role, spoken.get(actor.id, 0)))
    return rows


@dataclass
class StanceInfo:
    id: str
    label: str
    description: str | None
    holders: list[str]


@dataclass
class IssueRow:
    id: str
    title: str
    parent: str | None
    depth: int
    stances: list[StanceInfo]
    statements: int


def issues_overview(kb: KnowledgeBase, as_of: FuzzyDate | None = None) -> list[IssueRow]:
    statements = live_statements(kb, as_of)
    taking_by_issue = by_issue(statements)
    rows = []
    for ident, depth in issue_tree(kb):
        issue = kb.issues[ident]
        groups = by_holder(taking_by_issue.get(ident, []))
        table = [holder_position(kb, h, ident, taking, own=True) for h, taking in groups.items()]
        stances = [StanceInfo(st.id, st.label, st.description, [p.holder for p in table if st.id in p.stances]) for st in issue.stances]
        count = sum(1 for s in statements if ident in s.issues)
        rows.append(IssueRow(ident, issue.title, issue.parent, depth, stances, count))
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
class ActorCard:
    id: str
    name: str
    kind: str
    aliases: list[str]
    country: str | None
    wikidata: str | None
    description: str | None
    roles: list[RoleInfo]
    positions: list[IssuePositions]  # where the actor, as holder, stands on each issue
    statements: list[Evidence]  # everything the actor said, or that was said for or about its position
    rounds: list[Ref]  # rounds where the actor sat in a delegation or mediated
    disputes: list[DisputeInfo]


def actor_card(kb: KnowledgeBase, actor_id: str, as_of: FuzzyDate | None = None) -> ActorCard:
    actor = kb.actors[actor_id]
    statements = live_statements(kb, as_of)
    mine = [s for s in statements if actor_id in (s.speaker, s.party, s.position_holder)]
    own = by_issue([s for s in mine if s.position_holder == actor_id])
    held = []
    for ident, depth in issue_tree(kb):
        position = holder_position(kb, actor_id, ident, own.get(ident, []), own=True)
        if position.status != "unknown":
            issue = kb.issues[ident]
            held.append(IssuePositions(ident, issue.title, issue.parent, depth, str(as_of) if as_of else None, "", [], [position]))
    rounds = []
    for ident in rounds_in_order(kb):
        r = kb.rounds[ident]
        present = actor_id in r.mediators or actor_id in r.participants or any(
            actor_id in (d.party, d.head) or actor_id in d.members for d in r.delegations
        )
        if present:
            rounds.append(ref(kb, "rounds", ident))
    return ActorCard(
        id=actor.id,
        name=actor.name,
        kind=actor.kind,
        aliases=list(actor.aliases),
        country=actor.country,
        wikidata=actor.wikidata,
        description=actor.description,
        roles=[
            RoleInfo(r.title, r.party, name_of(kb, "actors", r.party), str(r.start) if r.start else None, str(r.end) if r.end else None, list(r.sources))
            for r in actor.roles
        ],
        positions=held,
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


def issue_card(kb: KnowledgeBase, issue_id: str, as_of: FuzzyDate | None = None) -> IssueCard:
    issue = kb.issues[issue_id]
    table = positions(kb, issue_id, as_of)
    own = table[0]
    stances = [StanceInfo(s.id, s.label, s.description, next((g.holders for g in own.groups if g.stance == s.id), [])) for s in issue.stances]
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
    )


# --- statements and timelines ---------------------------------------------------------------------


@dataclass
class StatementFilter:
    actor: str | None = None  # speaker or party
    holder: str | None = None
    issue: str | None = None  # the issue or any issue below it
    round: str | None = None
    since: FuzzyDate | None = None
    until: FuzzyDate | None = None
    text: str | None = None  # words that must all appear in a quote or the summary
    include_retracted: bool = False


def statements(kb: KnowledgeBase, where: StatementFilter | None = None) -> list[Evidence]:
    where = where or StatementFilter()
    issues = {i for i, _ in issue_tree(kb, where.issue)} if where.issue else None
    words = fold(where.text).split() if where.text else []
    found = []
    for s in sorted(kb.statements.values(), key=lambda s: (s.date.sort_key(), s.id)):
        if s.retracted and not where.include_retracted:
            continue
        if where.actor and where.actor not in (s.speaker, s.party):
            continue
        if where.holder and where.holder != s.position_holder:
            continue
        if issues is not None and not issues & set(s.issues):
            continue
        if where.round and kb.statement_parent.get(s.id) != ("rounds", where.round):
            continue
        if not _in_time(s.date, where.since, where.until):
            continue
        if words:
            haystack = fold(" ".join([s.summary, *(q.text for q in s.quotes)]))
            if not all(w in haystack for w in words):
                continue
        found.append(evidence(kb, s))
    return found


Change = Literal["first", "same", "changed", "no-stance"]


@dataclass
class TimelineEntry:
    date: str
    holder: str
    holder_name: str
    issue: str
    stance: str | None
    previous: str | None
    change: Change
    evidence: Evidence


def timeline(kb: KnowledgeBase, issue: str | None = None, actor: str | None = None) -> list[TimelineEntry]:
    """How positions moved, oldest first: per holder and issue, each statement marked as the holder's
    first stance, the same stance again, a change, or a statement without a stance."""
    issues = {i for i, _ in issue_tree(kb, issue)} if issue else set(kb.issues)
    last: dict[tuple[str, str], str] = {}
    entries = []
    for s in live_statements(kb):
        involved = actor is None or actor in (s.speaker, s.party, s.position_holder)
        for ident in s.issues:
            if ident not in issues:
                continue
            key = (s.position_holder, ident)
            stance = s.stances.get(ident)
            previous = last.get(key)
            if stance is None:
                change: Change = "no-stance"
            elif previous is None:
                change = "first"
            elif previous == stance:
                change = "same"
            else:
                change = "changed"
            if stance is not None:
                last[key] = stance
            if involved:
                entries.append(
                    TimelineEntry(str(s.date), s.position_holder, name_of(kb, "actors", s.position_holder) or s.position_holder,
                                  ident, stance, previous if change == "changed" else None, change, evidence(kb, s))
                )
    return entries


def today() -> FuzzyDate:
    now = dt.date.today()
    return FuzzyDate(now.year, now.month, now.day)
