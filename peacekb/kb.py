"""The loaded knowledge base: records by id, and where each came from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from peacekb.models import Actor, Event, Issue, Round, Source, Statement
from peacekb.problems import PathItem, Problem, problem


@dataclass(frozen=True)
class Origin:
    """The file a record was read from, and its path inside that file's document."""

    file: str
    path: tuple[PathItem, ...] = ()

    def problem(self, code: str, message: str, *subpath: PathItem, target: str = "value") -> Problem:
        return problem(self.file, code, message, self.path + subpath, target=target)  # type: ignore[arg-type]


@dataclass
class KnowledgeBase:
    root: Path
    actors: dict[str, Actor] = field(default_factory=dict)
    issues: dict[str, Issue] = field(default_factory=dict)
    rounds: dict[str, Round] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    statements: dict[str, Statement] = field(default_factory=dict)
    # statement id -> (kind, id) of the round or event whose file holds it
    statement_parent: dict[str, tuple[str, str]] = field(default_factory=dict)
    # (kind, id) -> origin; kind is a data folder name or "statements"
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    # (kind, id) of records that exist but failed validation, with their file: references to them
    # are not reported again
    invalid: dict[tuple[str, str], str] = field(default_factory=dict)
    # archive file names named by source files, valid or not (so an archive is never called stray)
    archive_names: set[str] = field(default_factory=set)
    # files that hold an id already used elsewhere, or the first use of such an id
    duplicated: set[str] = field(default_factory=set)
    # reads a statement in full by id, when the knowledge base was loaded for one question and holds
    # some statements as stand-ins from the statement index (see `full`)
    reader: Callable[[str], Statement | None] | None = None
    # answers worked out once for this knowledge base (the statements in date order ...): a
    # knowledge base is not changed once loaded
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def full(self, statement: Statement) -> Statement:
        """``statement`` with every field. A knowledge base loaded to answer one question may hold
        statements as stand-ins that carry only what finding positions needs (see peacekb.store)."""
        if self.reader is None:
            return statement
        return self.reader(statement.id) or statement

    def exists(self, kind: str, ident: str) -> bool:
        return ident in getattr(self, kind) or (kind, ident) in self.invalid

    def origin(self, kind: str, ident: str) -> Origin:
        return self.origins[(kind, ident)]

    def names(self, kind: str) -> dict[str, list[str]]:
        """Ids of one kind with the names and aliases that also identify them (for suggestions)."""
        if kind == "actors":
            return {a.id: [a.name, *a.aliases] for a in self.actors.values()}
        if kind == "issues":
            return {i.id: [i.title] for i in self.issues.values()}
        if kind == "rounds":
            return {r.id: [r.title, *(x for x in (r.location, r.venue) if x)] for r in self.rounds.values()}
        if kind == "sources":
            return {s.id: [s.title] if s.title else [] for s in self.sources.values()}
        if kind == "events":
            return {e.id: [e.title] for e in self.events.values()}
        return {ident: [] for ident in getattr(self, kind)}

    def round_id_of(self, statement_id: str) -> str | None:
        """The id of the round whose file holds the statement, if that round passed its model."""
        kind, ident = self.statement_parent.get(statement_id, ("", ""))
        return ident if kind == "rounds" and (kind, ident) not in self.invalid else None

    def event_of(self, statement_id: str) -> Event | None:
        kind, ident = self.statement_parent.get(statement_id, ("", ""))
        return self.events.get(ident) if kind == "events" else None

    def archive_path(self, source: Source) -> Path | None:
        return self.root / "sources" / source.archive if source.archive else None
