"""Comparisons of positions: party against party, one moment against another, and the matrix.

Like :mod:`peacekb.queries`, every function returns dataclasses of plain values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from peacekb.dates import FuzzyDate
from peacekb.kb import KnowledgeBase
from peacekb.claims import by_holder, by_issue
from peacekb.queries import Evidence, Position, evidence, holder_position, issue_tree, live_claims, name_of, principal_parties, round_cut, stance_label

Relation = Literal["agree", "differ", "unknown"]


def voiced_positions(kb: KnowledgeBase, actor: str, claims: list) -> list:
    """The claims that state ``actor``'s positions: those it holds; for a person who holds none, the
    positions they voiced for their own side (or sides, in a joint statement)."""
    return voiced_by_all(kb, [actor], claims)[actor]


def voiced_by_all(kb: KnowledgeBase, actors: list[str], claims: list) -> dict[str, list]:
    """``voiced_positions`` of each of ``actors``, in one pass over the claims."""
    held: dict[str, list] = {}
    spoken: dict[str, list] = {}
    for c in claims:
        for holder in c.holders:
            held.setdefault(holder, []).append(c)
        if c.speaker is not None and c.holders == c.party_ids:
            spoken.setdefault(c.speaker, []).append(c)
    voiced = {}
    for actor in actors:
        record = kb.actors.get(actor)
        own = held.get(actor, [])
        voiced[actor] = own if own or record is None or record.kind != "person" else spoken.get(actor, [])
    return voiced


def relation(kb: KnowledgeBase, issue: str, a: Position, b: Position) -> Relation:
    if not a.stances or not b.stances:
        return "unknown"
    record = kb.issues[issue]
    return "agree" if all(record.agree(x, y) for x in a.stances for y in b.stances) else "differ"


# --- party against party --------------------------------------------------------------------------


@dataclass
class DiffRow:
    issue: str
    title: str
    relation: Relation
    a: Position
    b: Position
    summary: str  # `territory: russia: full-withdrawal vs ukraine: no-cession`


@dataclass
class PartyDiff:
    a: str
    a_name: str
    b: str
    b_name: str
    as_of: str | None
    rows: list[DiffRow]  # differences first, then unknown on one side, then agreement

    @property
    def differs(self) -> bool:
        return any(r.relation == "differ" for r in self.rows)


ORDER = {"differ": 0, "unknown": 1, "agree": 2}


def diff_parties(kb: KnowledgeBase, a: str, b: str, as_of: FuzzyDate | None = None, issue: str | None = None) -> PartyDiff:
    """A's stance against B's on every issue where either has a recorded position."""
    claims = live_claims(kb, as_of)
    scope = [i for i, _ in issue_tree(kb, issue)]
    voiced = voiced_by_all(kb, [a, b], claims)
    voiced_a, voiced_b = by_issue(voiced[a]), by_issue(voiced[b])
    rows = []
    for ident in scope:
        pa = holder_position(kb, a, ident, voiced_a.get(ident, []))
        pb = holder_position(kb, b, ident, voiced_b.get(ident, []))
        if pa.status == "unknown" and pb.status == "unknown":
            continue
        rel = relation(kb, ident, pa, pb)
        joint = {"agree": " and ", "differ": " vs "}.get(rel, "; ")  # "vs" only where they disagree
        rows.append(DiffRow(ident, kb.issues[ident].title, rel, pa, pb, f"{ident}: {_side(a, pa)}{joint}{_side(b, pb)}"))
    rows.sort(key=lambda r: (ORDER[r.relation], scope.index(r.issue)))
    return PartyDiff(a, name_of(kb, "actors", a) or a, b, name_of(kb, "actors", b) or b, str(as_of) if as_of else None, rows)


def _side(actor: str, p: Position) -> str:
    if not p.stances:
        return f"{actor}: " + (f"withdrew {' / '.join(x.stance for x in p.past if x.withdrawn)}" if p.past else "no recorded position")
    if p.status == "contested":
        return f"{actor}: contested: {' / '.join(p.stances)}"
    return f"{actor}: {' + '.join(p.stances)}"


# --- one moment against another -------------------------------------------------------------------

ChangeKind = Literal["appeared", "changed", "disappeared"]


@dataclass
class Moment:
    label: str  # what the user named: a date, or a round's id
    date: str  # the day positions are taken at


@dataclass
class Change:
    holder: str
    holder_name: str
    issue: str
    kind: ChangeKind
    before: list[str]
    after: list[str]
    before_status: str  # held, contested or unknown
    after_status: str
    statements: list[Evidence]  # the statements on it made between the two moments


@dataclass
class ChangeReport:
    start: Moment
    end: Moment
    changes: list[Change]
    agreements: list  # the agreements' status changes after the start, by the end (peacekb.agreements.AgreementStep)


def changes(kb: KnowledgeBase, start: FuzzyDate, end: FuzzyDate, start_label: str | None = None, end_label: str | None = None) -> ChangeReport:
    """Every holder whose stance on an issue appeared, changed or disappeared between two moments."""
    before_claims, after_claims = live_claims(kb, start), live_claims(kb, end)
    found = []
    seen = {c.id for c in before_claims}
    taking_before, taking_after = by_issue(before_claims), by_issue(after_claims)
    for ident, _ in issue_tree(kb):
        groups_before, groups_after = by_holder(taking_before.get(ident, [])), by_holder(taking_after.get(ident, []))
        for holder in sorted(groups_before.keys() | groups_after.keys()):
            had, has = groups_before.get(holder, []), groups_after.get(holder, [])
            if len(had) == len(has):  # the same claims (the claims by one moment begin those by the other): the same position
                continue
            before = holder_position(kb, holder, ident, had)
            after = holder_position(kb, holder, ident, has)
            if set(before.stances) == set(after.stances) and before.status == after.status:
                continue
            kind: ChangeKind = "appeared" if not before.stances else "disappeared" if not after.stances else "changed"
            moved = [evidence(kb, c, ident) for c in has if c.id not in seen]
            found.append(Change(holder, name_of(kb, "actors", holder) or holder, ident, kind, before.stances, after.stances,
                                before.status, after.status, moved))
    from peacekb.agreements import agreement_steps

    steps = agreement_steps(kb, after=start, until=end)
    return ChangeReport(Moment(start_label or str(start), str(start)), Moment(end_label or str(end), str(end)), found, steps)


def moment(kb: KnowledgeBase, text: str) -> tuple[str, FuzzyDate] | None:
    """A date, or None when ``text`` is not a date (the caller then looks for a round)."""
    try:
        return text, FuzzyDate.parse(text)
    except ValueError:
        return None


def after_round(kb: KnowledgeBase, round_id: str) -> tuple[str, FuzzyDate]:
    """Positions "after" a round: as they stood on its last day (:func:`peacekb.queries.round_cut`)."""
    return round_id, round_cut(kb.rounds[round_id])


# --- the common-ground matrix ---------------------------------------------------------------------

RowStatus = Literal["agreed", "converging", "diverging", "open"]


@dataclass
class Cell:
    party: str
    status: str  # held, contested, unknown
    stances: list[str]
    labels: list[str]
    evidence: list[str]  # the ids of the statements and documents behind the stances


@dataclass
class MatrixRow:
    issue: str
    title: str
    depth: int
    status: RowStatus
    cells: list[Cell]
    agreements: list[str]  # the agreements in force on it that bind two or more of the parties (then `agreed`)


@dataclass
class Matrix:
    as_of: str | None
    parties: list[str]
    party_names: list[str]
    rows: list[MatrixRow]


def matrix(kb: KnowledgeBase, as_of: FuzzyDate | None = None, issues: list[str] | None = None, parties: list[str] | None = None) -> Matrix:
    """Issues down, parties across, each cell the party's stance; each row agreed (an agreement in
    force on it binds two or more of the parties, whatever their stances), converging (every known
    stance compatible with every other, two or more known), diverging, or open (fewer than two known)."""
    from peacekb.agreements import in_force

    claims = live_claims(kb, as_of)
    parties = parties or principal_parties(kb)
    agreed = in_force(kb, as_of, parties)
    if issues:
        depths: dict[str, int] = {}
        for root in issues:
            for i, d in issue_tree(kb, root):
                depths.setdefault(i, d)
        scope = list(depths.items())
    else:
        held = {i for c in claims for i in c.stances} | agreed.keys()
        scope = [(i, d) for i, d in issue_tree(kb) if i in held]
    voiced = {p: by_issue(said) for p, said in voiced_by_all(kb, parties, claims).items()}
    rows = []
    for ident, depth in scope:
        positions = [holder_position(kb, p, ident, voiced[p].get(ident, [])) for p in parties]
        cells = [Cell(p, pos.status, pos.stances, [stance_label(kb, ident, st) for st in pos.stances], [e.id for e in pos.evidence])
                 for p, pos in zip(parties, positions)]
        known = [pos for pos in positions if pos.stances]
        if agreed.get(ident):
            status: RowStatus = "agreed"
        elif len(known) < 2:
            status = "open"
        elif all(relation(kb, ident, x, y) == "agree" for i, x in enumerate(known) for y in known[i + 1 :]):
            status = "converging"
        else:
            status = "diverging"
        rows.append(MatrixRow(ident, kb.issues[ident].title, depth, status, cells, agreed.get(ident, [])))
    return Matrix(str(as_of) if as_of else None, list(parties), [name_of(kb, "actors", p) or p for p in parties], rows)
