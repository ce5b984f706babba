"""Every page of the site, as the query results it shows.

Each result is asked for once for the whole site (the positions on every issue, the timeline of
every issue, every actor's card ...) and shared out to the pages; a page holds the very objects
the CLI prints as json (``peacekb positions ISSUE --format json`` is ``to_data`` of the block an
issue page shows). The charts' layouts come from the same objects (:mod:`.charts`).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from peacekb import agreements as ag
from peacekb import compare
from peacekb import queries as q
from peacekb.kb import KnowledgeBase
from peacekb.site import charts
from peacekb.site.links import page_path


@dataclass
class Page:
    kind: str | None  # issues, rounds, ...; None for the index
    ident: str | None
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return page_path(self.kind, self.ident)


@dataclass
class Site:
    """What every page may refer to: the overviews, and the records' titles."""

    kb: KnowledgeBase
    rounds: list[q.RoundRow]
    actors: list[q.ActorRow]
    issues: list[q.IssueRow]
    sources: list[q.SourceRow]
    events: list[q.EventRow]
    matrix: Any
    positions: dict[str, q.IssuePositions]  # every issue's own block
    timeline: dict[str, list]  # every entry on each issue (the issue's own, `every`), and the status changes of the agreements on it
    agreement_ids: set[str]
    order: list[str]  # the rounds in order
    actors_index: q.ActorIndex  # what every actor's card is made from
    about: dict[str, list]  # event id to the statements about it
    cited: dict[str, list[tuple[str, str]]]  # source id to what cites it
    after: dict[str, list[q.IssuePositions]]  # held round id to the positions on its agenda as they stood after it

    def known(self) -> frozenset[tuple[str, str]]:
        """(kind, id) of every page the site has."""
        found = {("issues", i.id) for i in self.issues} | {("rounds", r.id) for r in self.rounds}
        found |= {("actors", a.id) for a in self.actors} | {("sources", s.id) for s in self.sources}
        found |= {("agreements" if e.id in self.agreement_ids else "events", e.id) for e in self.events}
        return frozenset(found)

    @functools.cached_property
    def round_rows(self) -> dict[str, q.RoundRow]:
        """The rounds' rows by id."""
        return {r.id: r for r in self.rounds}

    def event_kind(self, ident: str) -> str:
        return "agreements" if ident in self.agreement_ids else "events"


def gather(kb: KnowledgeBase) -> Site:
    entries: dict[str, list] = {}
    for e in q.timeline(kb, every=True):
        if isinstance(e, q.TimelineEntry):
            entries.setdefault(e.issue, []).append(e)
        else:  # an agreement's status change, on each point it covers
            for issue in e.issues:
                entries.setdefault(issue, []).append(e)
    return Site(
        kb=kb,
        rounds=q.rounds_overview(kb),
        actors=q.actors_overview(kb),
        issues=q.issues_overview(kb),
        sources=q.sources_overview(kb),
        events=q.events_overview(kb),
        matrix=compare.matrix(kb),
        positions={block.issue: block for block in q.positions(kb, None)},
        timeline=entries,
        agreement_ids={e.id for e in ag.agreements_of(kb)},
        order=q.rounds_in_order(kb),
        actors_index=q.actor_index(kb),
        about=q.statements_about(kb),
        cited=q.citations(kb),
        after=q.positions_after(kb, [r.id for r in kb.rounds.values() if r.status == "held" and r.agenda]),
    )


def subtree(site: Site, issue: str) -> list[q.IssuePositions]:
    """The positions on ``issue`` and every issue below it, as ``positions(kb, issue)`` gives them:
    taken from the blocks of the whole tree, their depth counted from ``issue``."""
    tree = q.issue_tree(site.kb, issue)
    top = site.positions[issue].depth
    return [dataclasses.replace(site.positions[i], depth=site.positions[i].depth - top) for i, _ in tree]


def chart_of(site: Site, issue: str, stances: list[q.StanceInfo], agenda_rounds: list[q.Ref]) -> charts.StanceChart:
    rows = site.round_rows
    lines = [charts.RoundLine(r.id, r.name, rows[r.id].start) for r in agenda_rounds if r.id in rows]
    entries = [e for e in site.timeline.get(issue, []) if isinstance(e, q.TimelineEntry)]
    return charts.stance_chart(site.positions[issue], stances, entries, lines)


def anchored(entries: list) -> list[tuple[Any, bool]]:
    """Each entry, and whether it carries its evidence's anchor: the first entry of each claim
    does (a joint statement has an entry per party, an anchor once); an agreement's step has none."""
    seen: set[str] = set()
    found = []
    for e in entries:
        if not isinstance(e, q.TimelineEntry):
            found.append((e, False))
            continue
        found.append((e, e.evidence.id not in seen))
        seen.add(e.evidence.id)
    return found


LISTS = {
    "issues": ("issues.html", "Issues"), "rounds": ("rounds.html", "Rounds"), "actors": ("actors.html", "Actors"),
    "sources": ("sources.html", "Sources"), "events": ("events.html", "Events and documents"),
}


def tasks(site: Site) -> list[tuple[str | None, str | None]]:
    """(kind, id) of every page, in order: the index and the lists first, then one per record."""
    found: list[tuple[str | None, str | None]] = [(None, None), *((kind, None) for kind in LISTS)]
    found += [("issues", row.id) for row in site.issues]
    found += [("rounds", r.id) for r in site.rounds]
    found += [("actors", a) for a in sorted(site.kb.actors)]
    found += [(site.event_kind(e.id), e.id) for e in site.events]
    found += [("sources", row.id) for row in site.sources]
    return found


def pages(site: Site) -> Iterator[Page]:
    """Every page, in the order of :func:`tasks`."""
    for kind, ident in tasks(site):
        yield page(site, kind, ident)


def page(site: Site, kind: str | None, ident: str | None) -> Page:
    """One page, with the results it shows."""
    kb = site.kb
    if kind is None:
        return Page(None, None, "index.html", "Overview", {
            "rounds": site.rounds, "latest": [r for r in reversed(site.rounds) if r.status == "held"][:8],
            "upcoming": [r for r in site.rounds if r.status == "planned"], "issues": site.issues, "matrix": site.matrix,
            "agreements": [e for e in site.events if e.id in site.agreement_ids],
            "counts": {"statements": len(kb.statements), "rounds": len(site.rounds), "actors": len(site.actors), "sources": len(site.sources)},
        })
    if ident is None:
        template, title = LISTS[kind]
        return Page(kind, None, template, title, {kind: getattr(site, kind)})
    if kind == "issues":
        table = subtree(site, ident)
        card = q.issue_card(kb, ident, table=table)
        chart = chart_of(site, ident, card.stances, card.rounds)
        after = [(r, site.round_rows.get(r.id), next((b for b in site.after.get(r.id, []) if b.issue == ident), None)) for r in card.rounds]
        return Page("issues", ident, "issue.html", card.title, {
            "card": card, "block": table[0], "below": table[1:], "chart": chart, "after": after,
            "timeline": anchored([e for e in site.timeline.get(ident, []) if e.change in q.MOVES or e.change == "agreement"]),  # `peacekb timeline ISSUE`
        })
    if kind == "rounds":
        card = q.round_card(kb, ident, site.order)
        return Page("rounds", ident, "round.html", card.title, {"card": card, "after": site.after.get(ident, [])})
    if kind == "actors":
        card = q.actor_card(kb, ident, index=site.actors_index)
        return Page("actors", ident, "actor.html", card.name, {"card": card})
    if kind == "agreements":
        card = ag.agreement_card(kb, ident)
        return Page("agreements", ident, "agreement.html", card.title, {"card": card})
    if kind == "events":
        card = q.event_card(kb, ident, site.about)
        return Page("events", ident, "event.html", card.title, {"card": card})
    card = q.source_card(kb, ident, site.cited)
    return Page("sources", ident, "source.html", card.title or ident, {"card": card})
