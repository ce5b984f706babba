"""What was agreed: agreements per agenda point and the card of one agreement, as plain data.

An agreement is an event of kind ``agreement`` (see :mod:`peacekb.models`); its status on a date is
the last step of its ``history`` that counts by then (a step dated ``START/..`` counts from START,
one dated ``../END`` from END). A status groups into a *state*:

- ``in-force``: signed, ratified, implemented, partly-implemented, violated (broken, not void);
- ``pending``: agreed-ad-referendum, conditional (agreed, not yet binding);
- ``proposed``;
- ``void``: rejected, superseded;
- ``unknown``: the agreement records no status by then.

An agenda point (an issue) is covered by the agreements whose provisions, or whose own ``issues``,
name it. Its state is the best of theirs, in the order above: a point agreed in a text in force is
``in-force`` even where an earlier text on it was superseded. Like :mod:`peacekb.queries`, every
function returns dataclasses that ``queries.to_data`` turns into the json the CLI prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from peacekb.dates import FuzzyDate
from peacekb.kb import KnowledgeBase
from peacekb.models import IN_FORCE, PENDING, VOID, Event, Results
from peacekb.queries import DisputeInfo, Evidence, ProvisionInfo, Ref, dispute_info, evidence, issue_tree, ref

STATES = ("in-force", "pending", "proposed", "void", "unknown")


def state_of(status: str | None) -> str:
    if status is None:
        return "unknown"
    if status in IN_FORCE:
        return "in-force"
    if status in PENDING:
        return "pending"
    if status in VOID:
        return "void"
    return "proposed"


@dataclass
class VoteInfo:
    id: str
    title: str
    date: str
    ballot: str | None
    question: str | None
    voters: Ref | None
    results: dict[str, int | float]  # the figures given, in the order yes, no, blank, invalid, abstained, electorate, turnout
    disputed: list[str]  # figures with a dispute (`results.turnout`): their versions are in `disputes`
    disputes: list[DisputeInfo]
    sources: list[str]  # of the figures


@dataclass
class StatusInfo:
    status: str
    state: str
    date: str
    by: list[Ref]
    vote: VoteInfo | None
    superseded_by: Ref | None
    sources: list[str]
    note: str | None


@dataclass
class StandingInfo:
    party: Ref
    standing: str
    date: str  # from when (the agreement's date when the record gives none)
    sources: list[str]


@dataclass
class RoleInfo:
    actor: Ref
    role: str
    sources: list[str]


@dataclass
class Covering:
    """One agreement on one agenda point, as it stood on the date asked."""

    agreement: Ref
    date: str
    status: StatusInfo | None
    state: str
    parties: list[StandingInfo]  # each party's latest standing by then
    provisions: list[ProvisionInfo]  # those on the point


@dataclass
class PointAgreements:
    issue: str
    title: str
    depth: int
    as_of: str | None
    state: str  # the best state of the agreements on it; `none` without any
    agreements: list[Covering]


@dataclass
class AgreementCard:
    id: str
    title: str
    date: str
    as_of: str | None
    status: StatusInfo | None
    state: str
    description: str | None
    parties: list[StandingInfo]  # every standing, oldest first
    third_parties: list[RoleInfo]
    provisions: list[ProvisionInfo]
    issues: list[str]  # the points it covers
    history: list[StatusInfo]  # up to the date asked
    supersedes: list[Ref]  # agreements whose history names this one in `superseded_by`
    votes: list[VoteInfo]  # the votes its history points at
    statements: list[Evidence]  # statements that refer to it, or are kept in its file
    rounds: list[Ref]
    sources: list[str]
    disputes: list[DisputeInfo]
    note: str | None
    not_found: list[str]  # what was looked for in the sources and not found


@dataclass
class AgreementStep:
    """One step of an agreement's history, as the timeline and the changes between two moments
    report it; ``change`` is always `agreement`, which tells it from a position's step."""

    date: str
    change: str
    agreement: Ref
    status: str
    state: str
    issues: list[str]  # the points it covers (within the issue asked)
    parties: list[Ref]  # the parties it binds then
    by: list[Ref]
    vote: Ref | None
    superseded_by: Ref | None
    sources: list[str]
    note: str | None


def agreement_steps(kb: KnowledgeBase, issues: set[str] | None = None, actor: str | None = None,
                    after: FuzzyDate | None = None, until: FuzzyDate | None = None) -> list[AgreementStep]:
    """Every status change of the agreements on ``issues`` (all, without) that ``actor`` takes part
    in (as a party, a signatory, a third party, or whose act the step is), dated after ``after`` and
    by ``until``, oldest first."""
    steps = []
    for event in agreements_of(kb):
        points = [i for i in covered(event) if issues is None or i in issues]
        if not points:
            continue
        for change in event.history:
            if after is not None and change.date.counts_from <= after.latest:
                continue
            if until is not None and change.date.counts_from > until.latest:
                continue
            bound = parties_to(event, change.date)
            involved = {*bound, *(p.party for p in event.parties), *(t.actor for t in event.third_parties), *change.by}
            if actor is not None and actor not in involved:
                continue
            steps.append((change.date.sort_key(), AgreementStep(
                str(change.date), "agreement", ref(kb, "events", event.id), change.status, state_of(change.status), points,
                [ref(kb, "actors", p) for p in bound], [ref(kb, "actors", a) for a in change.by],
                ref(kb, "events", change.vote) if change.vote else None,
                ref(kb, "events", change.superseded_by) if change.superseded_by else None, list(change.sources), change.note,
            )))
    steps.sort(key=lambda pair: pair[0])
    return [step for _, step in steps]


def agreements_of(kb: KnowledgeBase) -> list[Event]:
    """Every agreement, oldest first (ties by id)."""
    found = [e for e in kb.events.values() if e.kind == "agreement"]
    return sorted(found, key=lambda e: (e.date.sort_key(), e.id))


def _counts(date: FuzzyDate, as_of: FuzzyDate | None) -> bool:
    return as_of is None or date.counts_from <= as_of.latest


def covered(event: Event) -> list[str]:
    """The issues an agreement covers: its own, then its provisions', in order."""
    return list(dict.fromkeys([*event.issues, *(i for p in event.provisions for i in p.issues)]))


def parties_to(event: Event, as_of: FuzzyDate | None = None) -> list[str]:
    """The parties an agreement binds by ``as_of``: its signatories, and each party whose latest
    standing by then is not `withdrew`."""
    last = {p.party: p.standing for p in event.parties if _counts(p.date or event.date, as_of)}
    return list(dict.fromkeys([*event.signatories, *(p for p, standing in last.items() if standing != "withdrew")]))


def in_force(kb: KnowledgeBase, as_of: FuzzyDate | None = None, parties: list[str] | None = None) -> dict[str, list[str]]:
    """Per issue, the agreements in force on it by ``as_of`` (ids, oldest first); with ``parties``,
    only those that bind two or more of them."""
    found: dict[str, list[str]] = {}
    for event in agreements_of(kb):
        change = event.status_at(as_of) if _counts(event.date, as_of) else None
        if change is None or state_of(change.status) != "in-force":
            continue
        if parties is not None and len(set(parties_to(event, as_of)) & set(parties)) < 2:
            continue
        for ident in covered(event):
            found.setdefault(ident, []).append(event.id)
    return found


def vote_info(kb: KnowledgeBase, ident: str) -> VoteInfo | None:
    event = kb.events.get(ident)
    if event is None:
        return None
    results = event.results
    figures = {f: getattr(results, f) for f in Results.FIGURES if getattr(results, f) is not None} if results else {}
    disputes = [d for d in event.disputes if (d.field or "").startswith("results.")]
    return VoteInfo(
        event.id, event.title, str(event.date), event.ballot, event.question,
        ref(kb, "actors", event.voters) if event.voters else None, figures,
        [d.field.partition(".")[2] for d in disputes if d.field], dispute_info(disputes), list(results.sources) if results else [],
    )


def _status(kb: KnowledgeBase, change) -> StatusInfo:
    return StatusInfo(
        change.status, state_of(change.status), str(change.date), [ref(kb, "actors", a) for a in change.by],
        vote_info(kb, change.vote) if change.vote else None,
        ref(kb, "events", change.superseded_by) if change.superseded_by else None, list(change.sources), change.note,
    )


def _standings(kb: KnowledgeBase, event: Event, as_of: FuzzyDate | None, latest: bool) -> list[StandingInfo]:
    shown = [p for p in event.parties if _counts(p.date or event.date, as_of)]
    if latest:  # each party's last standing by then, in the order the parties first appear
        last = {p.party: p for p in shown}
        shown = list(last.values())
    return [StandingInfo(ref(kb, "actors", p.party), p.standing, str(p.date or event.date), list(p.sources)) for p in shown]


def _provisions(event: Event, issue: str | None = None) -> list[ProvisionInfo]:
    return [
        ProvisionInfo(p.id, p.summary, list(p.issues), dict(p.stances), list(p.sources))
        for p in event.provisions
        if issue is None or issue in p.issues or (not p.issues and issue in event.issues)
    ]


def agreements(kb: KnowledgeBase, issue: str | None = None, as_of: FuzzyDate | None = None) -> list[PointAgreements]:
    """Per agenda point (the issue asked and those below it, else every issue an agreement covers),
    the agreements on it dated by ``as_of``, each with its status then."""
    dated = [e for e in agreements_of(kb) if _counts(e.date, as_of)]
    by_issue: dict[str, list[Event]] = {}
    for event in dated:
        for ident in covered(event):
            by_issue.setdefault(ident, []).append(event)
    points = []
    for ident, depth in issue_tree(kb, issue):
        found = by_issue.get(ident, [])
        if issue is None and not found:
            continue
        rows = []
        for event in found:
            change = event.status_at(as_of)
            status = _status(kb, change) if change else None
            rows.append(Covering(ref(kb, "events", event.id), str(event.date), status, state_of(change.status if change else None),
                                 _standings(kb, event, as_of, latest=True), _provisions(event, ident)))
        state = min((r.state for r in rows), key=STATES.index, default="none")
        points.append(PointAgreements(ident, kb.issues[ident].title, depth, str(as_of) if as_of else None, state, rows))
    return points


def of_round(kb: KnowledgeBase, round_id: str) -> list[Covering]:
    """The agreements that name ``round_id`` among their rounds, each with its latest status."""
    rows = []
    for event in agreements_of(kb):
        if round_id not in event.rounds:
            continue
        change = event.status_at(None)
        rows.append(Covering(ref(kb, "events", event.id), str(event.date), _status(kb, change) if change else None,
                             state_of(change.status if change else None), _standings(kb, event, None, latest=True), _provisions(event)))
    return rows


def agreement_card(kb: KnowledgeBase, ident: str, as_of: FuzzyDate | None = None) -> AgreementCard:
    """One agreement: its parties, third parties, provisions, status history (up to ``as_of``), the
    votes it points at and the statements about it."""
    event = kb.events[ident]
    history = [c for c in event.history if _counts(c.date, as_of)]
    change = history[-1] if history else None
    supersedes = [
        ref(kb, "events", other.id)
        for other in agreements_of(kb)
        if any(c.superseded_by == ident and _counts(c.date, as_of) for c in other.history)
    ]
    votes = [v for v in (vote_info(kb, c.vote) for c in history if c.vote) if v is not None]
    about = [s for s in kb.statements.values() if (ident in s.refers_to or kb.event_of(s.id) is event) and _counts(s.date, as_of)]
    about.sort(key=lambda s: (s.date.sort_key(), s.id))
    return AgreementCard(
        event.id, event.title, str(event.date), str(as_of) if as_of else None,
        _status(kb, change) if change else None, state_of(change.status if change else None), event.description,
        _standings(kb, event, as_of, latest=False),
        [RoleInfo(ref(kb, "actors", t.actor), t.role, list(t.sources)) for t in event.third_parties],
        _provisions(event), covered(event), [_status(kb, c) for c in history], supersedes, votes,
        [evidence(kb, s) for s in about if not s.retracted], [ref(kb, "rounds", r) for r in event.rounds],
        list(event.sources), dispute_info(event.disputes), event.note, list(event.not_found),
    )
