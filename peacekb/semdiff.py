"""What changed in meaning between two loaded knowledge bases.

Records are matched by kind and id (statements across their rounds and events); a record that
disappears while one with the same content appears under another id is a rename. Within a
record, fields are compared as values, list items with an id (or a party) matched by it, so
that reordering, reformatting or a comment never shows up. Positions are recomputed on both
sides to show the stances that move because of the change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from peacekb.kb import KnowledgeBase
from peacekb.claims import by_holder, by_issue
from peacekb.queries import holder_position, live_claims

RecordKind = Literal["actors", "issues", "rounds", "events", "sources", "statements"]
ChangeKind = Literal["added", "removed", "renamed", "modified"]
KIND_ORDER = ["actors", "issues", "sources", "events", "rounds", "statements"]


@dataclass
class FieldChange:
    path: str
    old: Any
    new: Any


@dataclass
class RecordChange:
    kind: str
    id: str
    change: ChangeKind
    old_id: str | None = None
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class PositionMove:
    holder: str
    issue: str
    before: list[str]
    after: list[str]
    statements: list[str]  # added or changed statements on it


@dataclass
class SemanticDiff:
    base: str
    head: str
    records: list[RecordChange]
    positions: list[PositionMove]
    warnings: list[str] = field(default_factory=list)  # e.g. errors in the knowledge base at a revision

    @property
    def empty(self) -> bool:
        return not self.records and not self.positions


def _dumps(kb: KnowledgeBase, kind: str) -> dict[str, dict]:
    table = getattr(kb, kind)
    out = {}
    for ident, record in table.items():
        data = record.model_dump(mode="json", exclude_defaults=True)
        data.pop("statements", None)
        if kind == "statements":
            parent = kb.statement_parent.get(ident)
            if parent:
                data["in"] = f"{parent[0]}/{parent[1]}"
        out[ident] = data
    return out


def _key(item: Any) -> str | None:
    if isinstance(item, dict):
        for name in ("id", "party", "source"):
            if isinstance(item.get(name), str):
                return item[name]
    return None


def _compare(old: Any, new: Any, path: str, found: list[FieldChange]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            _compare(old.get(key), new.get(key), f"{path}.{key}" if path else key, found)
        return
    if isinstance(old, list) and isinstance(new, list) and old and new and all(_key(i) for i in old + new):
        olds, news = {_key(i): i for i in old}, {_key(i): i for i in new}
        if len(olds) == len(old) and len(news) == len(new):  # keys unique: match items by them
            for key in list(olds) + [k for k in news if k not in olds]:
                _compare(olds.get(key), news.get(key), f"{path}[{key}]", found)
            return
    found.append(FieldChange(path, old, new))


def semantic_diff(base: KnowledgeBase, head: KnowledgeBase, base_label: str, head_label: str) -> SemanticDiff:
    records: list[RecordChange] = []
    for kind in KIND_ORDER:
        old, new = _dumps(base, kind), _dumps(head, kind)
        removed = [i for i in old if i not in new]
        added = [i for i in new if i not in old]
        renamed: dict[str, str] = {}
        for gone in removed:
            body = {k: v for k, v in old[gone].items() if k != "id"}
            match = next((a for a in added if a not in renamed.values() and {k: v for k, v in new[a].items() if k != "id"} == body), None)
            if match:
                renamed[gone] = match
        for gone, now in renamed.items():
            records.append(RecordChange(kind, now, "renamed", old_id=gone))
        records += [RecordChange(kind, i, "removed") for i in removed if i not in renamed]
        records += [RecordChange(kind, i, "added") for i in added if i not in renamed.values()]
        for ident in old:
            if ident in new and old[ident] != new[ident]:
                changes: list[FieldChange] = []
                _compare(old[ident], new[ident], "", changes)
                records.append(RecordChange(kind, ident, "modified", fields=changes))
    touched = {r.id for r in records if r.kind in ("statements", "events") and r.change != "removed"}
    return SemanticDiff(base_label, head_label, records, position_moves(base, head, touched))


def position_moves(base: KnowledgeBase, head: KnowledgeBase, touched: set[str]) -> list[PositionMove]:
    """Holders whose current stance on an issue differs between the two knowledge bases."""
    before, after = live_claims(base), live_claims(head)
    pairs = sorted({(h, i) for c in before + after for h in c.holders for i in [*c.stances, *c.withdraws]})
    groups: dict[str, tuple[dict, dict]] = {}
    taking_before, taking_after = by_issue(before), by_issue(after)
    moves = []
    for holder, issue in pairs:
        if issue not in groups:
            groups[issue] = (by_holder(taking_before.get(issue, [])), by_holder(taking_after.get(issue, [])))
        old_groups, new_groups = groups[issue]
        old = holder_position(base, holder, issue, old_groups.get(holder, [])) if issue in base.issues else None
        new = holder_position(head, holder, issue, new_groups.get(holder, [])) if issue in head.issues else None
        old_stances, new_stances = (old.stances if old else []), (new.stances if new else [])
        if old_stances != new_stances:
            # a document's claims are `event` or `event#provision`: touched when the event is
            moved = [c.id for c in after if c.id.partition("#")[0] in touched and holder in c.holders and (issue in c.stances or issue in c.withdraws)]
            moves.append(PositionMove(holder, issue, old_stances, new_stances, moved))
    return moves
