"""Comparisons of positions: party against party, one moment against another, and the matrix.

Like :mod:`peacekb.queries`, every function returns dataclasses of plain values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from peacekb.dates import FuzzyDate
from peacekb.kb import KnowledgeBase
from peacekb.models import Statement
from peacekb.queries import Evidence, Position, by_holder, by_issue, evidence, holder_position, issue_tree, live_statements, name_of, principal_parties

Relation = Literal["agree", "differ", "unknown"]


def voiced_positions(kb: KnowledgeBase, actor: str, statements: list[Statement]) -> list[Statement]:
    """The statements that state ``actor``'s positions: those whose holder it is; for a person who holds
    none, the positions they voiced for their own side."""
    held = [s for s in statements if s.position_holder == actor]
    record = kb.actors.get(actor)
    if held or record is None or record.kind != "person":
        return held
    return [s for s in statements if s.speaker == actor and s.position_holder == s.party]


def voiced_by_all(kb: KnowledgeBase, actors: list[str], statements: list[Statement]) -> dict[str, list[Statement]]:
    """``voiced_positions`` of each of ``actors``, in one pass over the statements."""
    held: dict[str, list[Statement]] = {}
    spoken: dict[str, list[Statement]] = {}
    for s in statements:
        holder = s.position_holder
        held.setdefault(holder, []).append(s)
        if s.speaker is not None and holder == s.party:
            spoken.setdefault(s.speaker, []).append(s)
    voiced = {}
    for actor in actors:
        record = kb.actors.get(actor)
        own = held.get(actor, [])
        voiced[actor] = own if own or record is None or record.kind != "person" else spoken.get(actor, [])
    return voiced


def position_of(kb: KnowledgeBase, actor: str, issue: str, statements: list[Statement], voiced: list[Statement] | None = None) -> Position:
    """``voiced``: the actor's ``voiced_positions`` (on this issue, or all), when already worked out."""
    own = voiced if voiced is not None else voiced_positions(kb, actor, statements)
    return holder_position(kb, actor, issue, own, own=True)


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
    statements = live_statements(kb, as_of)
    scope = [i for i, _ in issue_tree(kb, issue)]
    voiced_a, voiced_b = by_issue(voiced_positions(kb, a, statements)), by_issue(voiced_positions(kb, b, statements))
    rows = []
    for ident in scope:
        pa = position_of(kb, a, ident, statements, voiced_a.get(ident, []))
        pb = position_of(kb, b, ident, statements, voiced_b.get(ident, []))
        if pa.status == "unknown" and pb.status == "unknown":
            continue
        rel = relation(kb, ident, pa, pb)
        rows.append(DiffRow(ident, kb.issues[ident].title, rel, pa, pb, f"{ident}: {_side(a, pa)} vs {_side(b, pb)}"))
    rows.sort(key=lambda r: (ORDER[r.relation], scope.index(r.issue)))
    return PartyDiff(a, name_of(kb, "actors", a) or a, b, name_of(kb, "actors", b) or b, str(as_of) if as_of else None, rows)


def _side(actor: str, p: Position) -> str:
    if not p.stances:
        return f"{actor}: no recorded position"
    prefix = "contested: " if p.status == "contested" else ""
    return f"{actor}: {prefix}{' / '.join(p.stances)}"


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


def changes(kb: KnowledgeBase, start: FuzzyDate, end: FuzzyDate, start_label: str | None = None, end_label: str | None = None) -> ChangeReport:
    """Every holder whose stance on an issue appeared, changed or disappeared between two moments."""
    before_stmts, after_stmts = live_statements(kb, start), live_statements(kb, end)
    pairs = {(s.position_holder, i) for s in after_stmts + before_stmts for i in s.stances}
    found = []
    seen = {s.id for s in before_stmts}
    taking_before, taking_after = by_issue(before_stmts), by_issue(after_stmts)
    for ident, _ in issue_tree(kb):
        groups_before, groups_after = by_holder(taking_before.get(ident, [])), by_holder(taking_after.get(ident, []))
        for holder in sorted(h for h, i in pairs if i == ident):
            before = holder_position(kb, holder, ident, groups_before.get(holder, []), own=True)
            after = holder_position(kb, holder, ident, groups_after.get(holder, []), own=True)
            if set(before.stances) == set(after.stances) and before.status == after.status:
                continue
            kind: ChangeKind = "appeared" if not before.stances else "disappeared" if not after.stances else "changed"
            moved = [evidence(kb, s) for s in groups_after.get(holder, []) if s.id not in seen]
            found.append(Change(holder, name_of(kb, "actors", holder) or holder, ident, kind, before.stances, after.stances,
                                before.status, after.status, moved))
    return ChangeReport(Moment(start_label or str(start), str(start)), Moment(end_label or str(end), str(end)), found)


def moment(kb: KnowledgeBase, text: str) -> tuple[str, FuzzyDate] | None:
    """A date, or None when ``text`` is not a date (the caller then looks for a round)."""
    try:
        return text, FuzzyDate.parse(text)
    except ValueError:
        return None


def after_round(kb: KnowledgeBase, round_id: str) -> tuple[str, FuzzyDate]:
    """Positions "after" a round: as they stood on its last day."""
    last = kb.rounds[round_id].last_day
    day = last.until or last
    return round_id, FuzzyDate(day.year, day.month, day.day)


# --- the common-ground matrix ---------------------------------------------------------------------

RowStatus = Literal["converging", "diverging", "open"]


@dataclass
class Cell:
    party: str
    status: str  # held, contested, unknown
    stances: list[str]
    statement: str | None  # the latest evidence


@dataclass
class MatrixRow:
    issue: str
    title: str
    depth: int
    status: RowStatus
    cells: list[Cell]


@dataclass
class Matrix:
    as_of: str | None
    parties: list[str]
    party_names: list[str]
    rows: list[MatrixRow]


def matrix(kb: KnowledgeBase, as_of: FuzzyDate | None = None, issues: list[str] | None = None, parties: list[str] | None = None) -> Matrix:
    """Issues down, parties across, each cell the party's stance; each row converging (every known stance
    compatible with every other, two or more known), diverging, or open (fewer than two known)."""
    statements = live_statements(kb, as_of)
    parties = parties or principal_parties(kb)
    if issues:
        depths: dict[str, int] = {}
        for root in issues:
            for i, d in issue_tree(kb, root):
                depths.setdefault(i, d)
        scope = list(depths.items())
    else:
        held = {i for s in statements for i in s.stances}
        scope = [(i, d) for i, d in issue_tree(kb) if i in held]
    voiced = {p: by_issue(said) for p, said in voiced_by_all(kb, parties, statements).items()}
    rows = []
    for ident, depth in scope:
        positions = [position_of(kb, p, ident, statements, voiced[p].get(ident, [])) for p in parties]
        cells = [Cell(p, pos.status, pos.stances, pos.evidence[-1].statement if pos.evidence else None) for p, pos in zip(parties, positions)]
        known = [pos for pos in positions if pos.stances]
        if len(known) < 2:
            status: RowStatus = "open"
        elif all(relation(kb, ident, x, y) == "agree" for i, x in enumerate(known) for y in known[i + 1 :]):
            status = "converging"
        else:
            status = "diverging"
        rows.append(MatrixRow(ident, kb.issues[ident].title, depth, status, cells))
    return Matrix(str(as_of) if as_of else None, list(parties), [name_of(kb, "actors", p) or p for p in parties], rows)
