"""Finding records by what people type: an id, a name or an alias, in any case, or a part of them.

``resolve(kb, "actors", "zelenskyy")`` returns a :class:`Resolution`: the record found, or the
candidates when several match equally well, or the nearest names when nothing matches. Exact
matches win over matches at the start of a word, which win over matches of any part. Nothing is
picked silently: for rounds and events, several equal matches resolve to the most recent one and
the others are named beside it (`geneva` is the latest Geneva round); for other kinds they are
listed for the user to choose from.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from peacekb.kb import KnowledgeBase
from peacekb.suggest import nearest, to_ascii

KIND_WORDS = {
    "actors": "actor",
    "issues": "issue",
    "rounds": "round",
    "sources": "source",
    "events": "event",
    "statements": "statement",
}


@functools.lru_cache(maxsize=4096)  # names, folded again for every sort of a table
def fold(text: str) -> str:
    """Lowercase, transliterated to ASCII, punctuation folded away: `Dolmabahçe` -> `dolmabahce`,
    `abu-dhabi` -> `abu dhabi`, `Зеленський` -> `zelenskiy`, `Kalın` -> `kalin`."""
    return re.sub(r"[^a-z0-9]+", " ", to_ascii(text).lower()).strip()


@dataclass(frozen=True)
class Candidate:
    id: str
    label: str
    detail: str = ""  # a date or kind that tells candidates apart


@dataclass
class Resolution:
    kind: str
    query: str
    found: str | None = None  # the id
    others: list[Candidate] = field(default_factory=list)  # matched as well as `found`, which is the latest
    candidates: list[Candidate] = field(default_factory=list)  # several matched equally well; none chosen
    suggestions: list[Candidate] = field(default_factory=list)  # nothing matched; the nearest

    @property
    def ambiguous(self) -> bool:
        return self.found is None and bool(self.candidates)


def labels(kb: KnowledgeBase, kind: str) -> dict[str, list[str]]:
    """Each id of a kind with the names it may be called by (the id first)."""
    return {ident: [ident, *names] for ident, names in kb.names(kind).items()}


def describe(kb: KnowledgeBase, kind: str, ident: str) -> Candidate:
    if kind == "actors":
        actor = kb.actors[ident]
        return Candidate(ident, actor.name, actor.kind)
    if kind == "issues":
        issue = kb.issues[ident]
        return Candidate(ident, issue.title, f"under {issue.parent}" if issue.parent else "")
    if kind == "rounds":
        rnd = kb.rounds[ident]
        span = f"{rnd.start}" + (f" to {rnd.end}" if rnd.end and rnd.end != rnd.start else "")
        return Candidate(ident, rnd.title, span)
    if kind == "events":
        event = kb.events[ident]
        return Candidate(ident, event.title, f"{event.kind}, {event.date}")
    if kind == "sources":
        source = kb.sources[ident]
        return Candidate(ident, source.title or ident, source.publisher or "")
    statement = kb.statements[ident]
    return Candidate(ident, statement.summary, str(statement.date))


def covering(kb: KnowledgeBase, query: str) -> list[str]:
    """The rounds whose days include the date ``query`` (YYYY-MM-DD), when it is one."""
    import datetime as dt

    if not re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", query):
        return []
    try:
        day = dt.date.fromisoformat(query.strip())
    except ValueError:
        return []
    return [r.id for r in kb.rounds.values() if r.start.earliest <= day <= r.last_day.latest]


def resolve(kb: KnowledgeBase, kind: str, query: str) -> Resolution:
    """Exact matches first, then ids that start with the query (`havana` is `havana-2012-11`
    before any round held in Havana), then names with a word that starts with it, then names that
    hold it; a round also by a date it covers (`2016-09-26`)."""
    wanted = fold(query)
    result = Resolution(kind, query)
    if not wanted:
        return result
    tiers: list[list[str]] = [[], [], [], [], []]  # exact, a round's date, prefix of the id, prefix of a word of a name, part of a name
    if kind == "rounds":
        tiers[1] = covering(kb, query)
    for ident, names in labels(kb, kind).items():
        folded = [fold(n) for n in names]
        if wanted in folded:
            tiers[0].append(ident)
        elif ident in tiers[1]:
            continue
        elif folded[0].startswith(wanted):
            tiers[2].append(ident)
        elif any(_word_prefix(f, wanted) for f in folded):
            tiers[3].append(ident)
        elif any(wanted in f for f in folded):
            tiers[4].append(ident)
    for tier in tiers:
        if len(tier) == 1:
            result.found = tier[0]
            return result
        if tier:
            ordered = sorted((describe(kb, kind, i) for i in tier), key=_candidate_order(kb, kind))
            if kind in ("rounds", "events"):
                result.found, result.others = ordered[-1].id, ordered[:-1]
            else:
                result.candidates = ordered
            return result
    result.suggestions = [describe(kb, kind, i) for i in nearest(query, kb.names(kind))]
    return result


def _word_prefix(folded: str, wanted: str) -> bool:
    """`wanted` starts at a word boundary of `folded` (`dhabi` in `abu dhabi 2026`)."""
    return any(folded[i:].startswith(wanted) for i in [0] + [m.end() for m in re.finditer(" ", folded)])


def _candidate_order(kb: KnowledgeBase, kind: str):
    if kind == "rounds":
        return lambda c: kb.rounds[c.id].start.sort_key()
    if kind == "events":
        return lambda c: kb.events[c.id].date.sort_key()
    return lambda c: c.id
