"""What stands on record for a holder: the statements and documents that take stances, and the rule
that turns them into a position.

A *claim* is anything that takes stances for one or more holders: a statement (its holder, or its
party, or every party of a joint statement) or a document (a plan, memorandum or agreement, and
each of its provisions: held by its signatories, else the parties among its authors, from its
date). Statements, the index entries that stand in for them (:class:`peacekb.store.Indexed`) and
:class:`DocumentClaim` all answer to the same names: ``id``, ``date``, ``speaker``, ``holders``,
``party_ids``, ``stances`` and ``withdraws``.

The rule (:class:`Tracker`): a stance stands until its holder contradicts it. Going through the
holder's claims on an issue oldest first, a claim that takes a stance drops every stance the holder
voiced strictly earlier that is incompatible with it (the issue's ``compatible`` groups decide;
without a group, two different stances are incompatible); a claim that withdraws a stance drops it.
Everything else stays held, however old. Incompatible stances that are equally recent (their dates
may coincide) are both kept: the position is then contested. A claim known only to have been made
by a date (``../END``) may coincide with anything before END: it contradicts nothing voiced by END,
and only a claim after END contradicts it; it comes in its holder's order at END. On an issue that
is not ``lasting`` (assessments of the moment, such as how the talks are going), any strictly later
claim drops what came before: only the holder's latest word counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from peacekb.dates import FuzzyDate
from peacekb.kb import KnowledgeBase
from peacekb.models import Event, Issue


class DocumentClaim:
    """The stances a document (or one of its provisions) takes, as a claim of its holders; or, for
    a party that withdrew from an agreement, its withdrawal of them (``withdrawn_by``, dated when
    it withdrew)."""

    __slots__ = ("id", "event", "provision", "date", "holders", "stances", "withdraws", "withdrawn_by")
    speaker = None
    retracted = None

    def __init__(self, event: Event, provision: str | None, stances: dict[str, str], holders: list[str],
                 withdrawn_by: str | None = None, date: FuzzyDate | None = None, withdraws: dict[str, str] | None = None) -> None:
        self.id = f"{event.id}#withdrawn-by-{withdrawn_by}" if withdrawn_by else f"{event.id}#{provision}" if provision else event.id
        self.event = event.id
        self.provision = provision
        self.date = date or event.date
        self.holders = holders
        self.stances = stances
        self.withdraws = withdraws or {}
        self.withdrawn_by = withdrawn_by

    @property
    def party_ids(self) -> list[str]:
        return self.holders

    @property
    def issues(self) -> list[str]:
        return list(self.stances)

    def __repr__(self) -> str:
        return f"DocumentClaim({self.id!r})"


def document_claims(kb: KnowledgeBase, until: FuzzyDate | None = None) -> list[DocumentClaim]:
    """The stances that documents take, one claim for the document itself and one per provision that
    takes any, for documents dated by ``until``."""
    found = []
    for event in kb.events.values():
        if until is not None and event.date.counts_from > until.latest:
            continue
        holders = document_holders(kb, event, ever=True)
        if not holders:
            continue
        taken: dict[str, str] = {}
        if event.stances:
            found.append(DocumentClaim(event, None, dict(event.stances), holders))
            taken.update(event.stances)
        for provision in event.provisions:
            if provision.stances:
                found.append(DocumentClaim(event, provision.id, dict(provision.stances), holders))
                taken.update({i: s for i, s in provision.stances.items() if i not in taken})
        if taken and not event.signatories:
            # a party that withdrew held the agreement's stances until it withdrew
            last = {p.party: p for p in event.parties}
            for party, standing in last.items():
                when = standing.date or event.date
                if standing.standing == "withdrew" and (until is None or when.counts_from <= until.latest):
                    found.append(DocumentClaim(event, None, {}, [party], withdrawn_by=party, date=when, withdraws=dict(taken)))
    return found


def document_holders(kb: KnowledgeBase, event: Event, ever: bool = False) -> list[str]:
    """Who holds the stances a document takes: its signatories; else an agreement's parties (those
    that did not withdraw; with ``ever``, those too, who held them until they withdrew); else its
    authors that are parties (states, organisations, coalitions: a plan drafted by officials is
    their government's), or its authors when all of them are persons."""
    if event.signatories:
        return list(event.signatories)
    if event.parties:
        last = {p.party: p.standing for p in event.parties}
        return [party for party, standing in last.items() if ever or standing != "withdrew"]
    parties = [a for a in event.authors if a in kb.actors and kb.actors[a].kind != "person"]
    return parties or list(event.authors)


def on_issue(claim, issue: str) -> bool:
    return issue in claim.stances or issue in claim.withdraws


def by_holder(claims: list, issue: str | None = None) -> dict[str, list]:
    """Claims by each holder they speak for, in their order; with ``issue``, those on it only."""
    groups: dict[str, list] = {}
    for c in claims:
        if issue is None or on_issue(c, issue):
            for holder in c.holders:
                groups.setdefault(holder, []).append(c)
    return groups


def by_issue(claims: list) -> dict[str, list]:
    """Claims by the issues they take (or withdraw) a stance on, in their order (one pass)."""
    groups: dict[str, list] = {}
    for c in claims:
        for issue in c.stances:
            groups.setdefault(issue, []).append(c)
        for issue in c.withdraws:
            if issue not in c.stances:
                groups.setdefault(issue, []).append(c)
    return groups


@dataclass
class Held:
    """A stance as a holder holds it: since when (the first voicing it was never dropped after), when
    last voiced, and every voicing since then."""

    stance: str
    since: FuzzyDate
    last: FuzzyDate
    voicings: list = field(default_factory=list)
    until: FuzzyDate | None = None  # when it was dropped (contradicted or withdrawn); None while held
    dropped_by: object = None  # the claim that dropped it
    withdrawn: bool = False  # dropped by an explicit withdrawal (else contradicted)

    @property
    def claims(self) -> list:
        """The latest voicings: the last, and those whose dates may coincide with it."""
        earliest = self.last.counts_from
        return [c for c in self.voicings if c.date.latest >= earliest]


Step = Literal["first", "same", "added", "contested", "changed", "withdrawn", "no-stance"]


def compatible(issue: Issue | None, a: str, b: str) -> bool:
    return a == b or (issue is not None and issue.agree(a, b))


class Tracker:
    """One holder's position on one issue, built claim by claim, oldest first."""

    def __init__(self, issue: Issue | None, issue_id: str) -> None:
        self.issue = issue
        self.issue_id = issue_id
        self.lasting = issue is None or issue.lasting  # else any later word replaces the earlier ones
        self.held: dict[str, Held] = {}
        self.past: list[Held] = []  # stances held once and dropped, in the order they were dropped
        self._contested: tuple[tuple[str, ...], bool] | None = None

    def add(self, claim) -> tuple[Step, list[str]]:
        """Take one claim into account (claims come oldest first); returns what it did and the
        stances it dropped."""
        ident, held = self.issue_id, self.held
        stance = claim.stances.get(ident)
        withdrawn = claim.withdraws.get(ident) if claim.withdraws else None
        if withdrawn is None and stance is not None and len(held) == 1 and stance in held:
            current = held[stance]  # the one stance held, voiced again: the usual case
            current.voicings.append(claim)
            current.last = claim.date
            return "same", []
        dropped: list[str] = []
        if withdrawn is not None and withdrawn in held:
            self._drop(withdrawn, claim, withdrawal=True)
            dropped.append(withdrawn)
        if stance is None:
            return ("withdrawn" if dropped else "no-stance"), dropped
        was_empty = not held and not dropped
        earliest = claim.date.earliest  # an open start (`../END`) has none: it is never strictly later
        for other in list(held):
            if other != stance and (not self.lasting or not compatible(self.issue, other, stance)) and earliest > held[other].last.latest:
                self._drop(other, claim)
                dropped.append(other)
        current = held.get(stance)
        if current is None:
            held[stance] = Held(stance, claim.date, claim.date, [claim])
            if was_empty:
                return "first", dropped
            if any(not compatible(self.issue, other, stance) for other in held):
                return "contested", dropped  # beside an equally recent incompatible stance
            return ("changed" if dropped else "added"), dropped
        current.voicings.append(claim)
        current.last = claim.date
        return ("changed" if dropped else "same"), dropped

    def _drop(self, stance: str, claim, withdrawal: bool = False) -> None:
        h = self.held.pop(stance)
        h.until = claim.date
        h.dropped_by = claim
        h.withdrawn = withdrawal
        self.past.append(h)

    @property
    def contested(self) -> bool:
        stances = tuple(self.held)
        if len(stances) < 2:
            return False
        if self._contested is None or self._contested[0] != stances:  # asked again as long as the stances held stay the same
            self._contested = (stances, any(not compatible(self.issue, a, b) for i, a in enumerate(stances) for b in stances[i + 1 :]))
        return self._contested[1]

    def stances(self) -> list[Held]:
        """The stances held, oldest first."""
        return sorted(self.held.values(), key=lambda h: h.since.sort_key())  # ties in the order voiced


def track(issue: Issue | None, issue_id: str, claims: list) -> Tracker:
    """The tracker after all of ``claims`` (one holder's, on the issue, oldest first)."""
    tracker = Tracker(issue, issue_id)
    if not claims:
        return tracker
    first = claims[0].stances.get(issue_id)
    if first is not None and all(c.stances.get(issue_id) == first for c in claims) and not any(c.withdraws for c in claims):
        # one stance, never withdrawn: held since its first voicing (the usual case, kept quick)
        tracker.held[first] = Held(first, claims[0].date, claims[-1].date, list(claims))
        return tracker
    for claim in claims:
        tracker.add(claim)
    return tracker
