"""How agreements look: per agenda point (`peacekb agreements`) and one agreement's card
(`peacekb agreement`), for people (rich); their markdown is in :mod:`peacekb.cli.markdown`, their
csv rows in :mod:`peacekb.cli.rows`.

Like :mod:`peacekb.cli.views`, these only arrange what :mod:`peacekb.agreements` computed; json and
yaml are that result as it is.
"""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from peacekb import agreements as a
from peacekb.cli.lines import hanging, print_blocks
from peacekb.cli.record_views import _facts, _title
from peacekb.cli.views import Footnotes, acted_words, human_date, record_notes_text, role_label

STATE_WORDS = {"in-force": "in force", "pending": "agreed, pending", "proposed": "proposed", "void": "void",
               "unknown": "no status recorded", "none": "nothing agreed"}
STATE_STYLES = {"in-force": "green", "pending": "yellow", "proposed": "cyan", "void": "red"}
ROLE_ORDER = ("mediator", "facilitator", "guarantor", "accompanying", "observer", "host", "witness")


def _names(refs) -> str:
    return ", ".join(r.name for r in refs)


def figure(name: str, value: int | float) -> str:
    """A vote's figure as people read it: counts with thousands separators, turnout in percent."""
    if name == "turnout":
        return f"{value:g}%"
    return f"{value:,}"


def since(date: str) -> str:
    """`since 2016-10-02`; an open date as it reads: `after 2018`, `by 2016-10-02`."""
    human = human_date(date)
    return human if human != date else f"since {date}"


def status_words(status: a.StatusInfo, with_date: bool = True) -> str:
    """`rejected since 2016-10-02 by The voters of Arland, in the vote Plebiscite ... (plebiscite)`."""
    return status.status + (f" {since(status.date)}" if with_date else "") + acted_words(
        f"{status.superseded_by.name} ({status.superseded_by.id})" if status.superseded_by else None,
        [r.name for r in status.by], f"{status.vote.title} ({status.vote.id})" if status.vote else None)


def results_words(vote: a.VoteInfo, versions: bool = True) -> str:
    """`yes 4,211,530 · no 4,265,872 · turnout 37.4% (disputed: ...)`; a disputed figure with its
    versions, or marked `(disputed)` alone where they are shown apart."""
    parts = []
    for name, value in vote.results.items():
        part = f"{name} {figure(name, value)}"
        if name in vote.disputed and not versions:
            part += " (disputed)"
        elif name in vote.disputed:
            versions = [v["says"] for d in vote.disputes if d.field == f"results.{name}" for v in d.versions]
            part += f" (disputed: {'; '.join(versions)})"
        parts.append(part)
    return " · ".join(parts)


def _standings(parties: list[a.StandingInfo]) -> str:
    by_party: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for p in parties:
        names[p.party.id] = p.party.name
        by_party.setdefault(p.party.id, []).append(f"{p.standing} {human_date(p.date)}")
    return "; ".join(f"{names[i]}: {', '.join(steps)}" for i, steps in by_party.items())


def _roles(third_parties: list[a.RoleInfo]) -> list[tuple[str, str]]:
    """(role, names) in the order of ROLE_ORDER."""
    rows = []
    for role in ROLE_ORDER:
        names = [t.actor.name for t in third_parties if t.role == role]
        if names:
            rows.append((role_label(role, len(names)), ", ".join(names)))
    return rows


# --- per agenda point -----------------------------------------------------------------------------


def agreements_text(console: Console, data: list[a.PointAgreements], kb) -> None:
    notes = Footnotes()
    blocks: list[tuple[Text | None, Text | None, int]] = []
    top = min((p.depth for p in data), default=0)  # the points shown start at the left edge
    for point in data:
        depth = point.depth - top
        head = Text("  " * depth) + Text(point.title, style="bold") + Text(f"  {point.issue}", style="dim")
        head.append(f"  {STATE_WORDS[point.state]}", style=STATE_STYLES.get(point.state, "dim"))
        blocks.append((head, None, 0))
        indent = 2 * depth + 2
        for row in point.agreements:
            line = Text(row.agreement.name, style="bold") + Text(f"  {row.agreement.id}", style="dim")
            line.append(": ")
            if row.status:
                line.append(status_words(row.status), style=STATE_STYLES.get(row.state, ""))
                line.append(f" {notes.cite(row.status.sources)}", style="dim")
            else:
                line.append(STATE_WORDS["unknown"], style="dim")
            body = Text()
            if row.parties:
                body.append("parties: " + "; ".join(f"{p.party.name} ({p.standing})" for p in row.parties) + "\n")
            for p in row.provisions:
                body.append(f"- {p.summary}")
                body.append(f" {notes.cite(p.sources)}\n", style="dim")
            body.rstrip()
            blocks.append((None, line, indent))
            if body.plain:
                blocks.append((None, body, indent + 2))
    if not data:
        blocks.append((Text("No agreement on record.", style="dim"), None, 0))
    print_blocks(console, blocks)
    notes.print(console, kb)


# --- one agreement --------------------------------------------------------------------------------


def agreement_text(console: Console, card: a.AgreementCard, kb) -> None:
    notes = Footnotes()
    facts = _facts([
        ("date", human_date(card.date)),
        ("status", _status_line(card)),
        ("as of", card.as_of),
        ("parties", _standings(card.parties)),
        *_roles(card.third_parties),
        ("supersedes", ", ".join(f"{r.name} ({r.id})" for r in card.supersedes)),
        ("covers", ", ".join(card.issues)),
        ("rounds", _names(card.rounds)),
        ("about", card.description),
    ])
    console.print(Panel(facts, title=_title(card.title, card.id), title_align="left"))
    blocks: list[tuple[Text | None, Text | None, int]] = []
    if card.history:  # the date in a column of its own, the status and its note wrapped under the status
        blocks.append((Text("History", style="bold"), None, 0))
        column = 2 + max(len(human_date(s.date)) for s in card.history) + 2
        for s in card.history:
            status = Text(status_words(s, with_date=False), style=STATE_STYLES.get(s.state, "")) + Text(f" {notes.cite(s.sources)}", style="dim")
            lines = hanging(Text(f"  {human_date(s.date)}"), status, column, console.width)
            if s.note:
                lines += hanging(Text(), Text(s.note, style="italic"), column, console.width)
            blocks += [(line, None, 0) for line in lines]
    if card.votes:
        blocks.append((Text("Votes", style="bold"), None, 0))
        for v in card.votes:
            blocks.append((None, Text(v.title, style="bold") + Text(f"  {v.id}", style="dim") + Text(f"  {human_date(v.date)}" + (f", {v.ballot}" if v.ballot else "")), 2))
            body = Text()
            if v.voters:
                body.append(f"by {v.voters.name}\n")
            if v.question:
                body.append(f"{v.question}\n", style="italic")
            body.append(results_words(v, versions=False))
            body.append(f" {notes.cite(v.sources)}", style="dim")
            for d in v.disputes:
                body.append(f"\n{d.field} is disputed: " + "; ".join(f"{ver['says']} {notes.cite(ver['sources'])}" for ver in d.versions), style="dim")
            blocks.append((None, body, 4))
    if card.provisions:
        blocks.append((Text("Provisions", style="bold"), None, 0))
        for p in card.provisions:
            line = Text(f"{p.id}: ", style="dim") + Text(p.summary)
            if p.issues:
                line.append(f" ({', '.join(p.issues)})", style="dim")
            line.append(f" {notes.cite(p.sources)}", style="dim")
            blocks.append((None, line, 2))
    if card.statements:
        blocks.append((Text("Statements about it", style="bold"), None, 0))
        for e in card.statements:
            who = e.speaker_name or " and ".join(e.party_names) or "?"
            line = Text(f"{human_date(e.date)}  ") + Text(who, style="bold") + Text(f" ({e.attribution}): ") + Text(e.summary)
            line.append(f" {notes.cite(e.sources)}", style="dim")
            blocks.append((None, line, 2))
    if blocks:
        print_blocks(console, blocks)
    record_notes_text(console, card.disputes, card.not_found, card.note)
    notes.print(console, kb)


def _status_line(card: a.AgreementCard) -> str:
    """`signed since 2016-09-26 (in force)`; `no status recorded` once, where there is none."""
    if card.status is None:
        return STATE_WORDS["unknown"]
    return f"{status_words(card.status)} ({STATE_WORDS[card.state]})"
