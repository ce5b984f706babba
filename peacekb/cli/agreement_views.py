"""How agreements look: per agenda point (`peacekb agreements`) and one agreement's card
(`peacekb agreement`), for people (rich), as markdown and as csv rows.

Like :mod:`peacekb.cli.views`, these only arrange what :mod:`peacekb.agreements` computed; json and
yaml are that result as it is.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from peacekb import agreements as a
from peacekb.cli.lines import hanging, print_blocks
from peacekb.cli.output import Markdown, md_code, md_escape, md_table, md_text
from peacekb.cli.record_views import _facts, _title, safe_text
from peacekb.cli.views import Footnotes, human_date, record_notes_markdown, record_notes_text, role_label

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
    text = status.status + (f" {since(status.date)}" if with_date else "")
    if status.superseded_by:
        text += f" by {status.superseded_by.name} ({status.superseded_by.id})"
    elif status.by:
        text += f" by {_names(status.by)}"
    if status.vote:
        text += f", in the vote {status.vote.title} ({status.vote.id})"
    return text


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


AGREEMENTS_HEADER = ["issue", "issue_title", "point_state", "agreement", "agreement_title", "status", "state", "since",
                     "by", "vote", "superseded_by", "parties", "provisions", "sources"]


def agreements_rows(data: list[a.PointAgreements]) -> tuple[list[str], list[list[Any]]]:
    rows = []
    for point in data:
        if not point.agreements:
            rows.append([point.issue, point.title, point.state, *[None] * (len(AGREEMENTS_HEADER) - 3)])
        for row in point.agreements:
            s = row.status
            rows.append([
                point.issue, point.title, point.state, row.agreement.id, row.agreement.name, s.status if s else None, row.state,
                s.date if s else None, [r.id for r in s.by] if s else [], s.vote.id if s and s.vote else None,
                s.superseded_by.id if s and s.superseded_by else None, [f"{p.party.id}={p.standing}" for p in row.parties],
                [p.id for p in row.provisions], s.sources if s else [],
            ])
    return AGREEMENTS_HEADER, rows


def agreements_markdown(data: list[a.PointAgreements]) -> str:
    notes = Footnotes()
    rows = []
    for point in data:
        if not point.agreements:
            rows.append([point.title, STATE_WORDS[point.state], "", "", ""])
        for row in point.agreements:
            status = Markdown(md_escape(status_words(row.status)) + " " + notes.cite(row.status.sources)) if row.status else STATE_WORDS["unknown"]
            provisions = Markdown("<br>".join(md_escape(p.summary) + " " + notes.cite(p.sources) for p in row.provisions))
            rows.append([point.title, STATE_WORDS[point.state], Markdown(f"{md_escape(row.agreement.name)} {md_code(row.agreement.id)}"), status, provisions])
    out = [md_table(["agenda point", "state", "agreement", "status", "what is agreed"], rows)]
    out += _markdown_sources(notes)
    return "\n".join(out) + "\n"


def _markdown_sources(notes: Footnotes) -> list[str]:
    if not notes.order:
        return []
    return ["", "Sources: " + "; ".join(f"[{n}] {md_code(ident)}" for ident, n in notes.order.items())]


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


CARD_HEADER = ["section", "date", "what", "detail", "by", "sources"]


def agreement_rows(card: a.AgreementCard) -> tuple[list[str], list[list[Any]]]:
    rows: list[list[Any]] = []
    for p in card.parties:
        rows.append(["party", p.date, p.standing, None, [p.party.id], p.sources])
    for t in card.third_parties:
        rows.append(["third-party", None, t.role, None, [t.actor.id], t.sources])
    for s in card.history:
        detail = s.superseded_by.id if s.superseded_by else (s.vote.id if s.vote else None)
        rows.append(["status", s.date, s.status, detail, [r.id for r in s.by], s.sources])
    for v in card.votes:
        for name, value in v.results.items():
            rows.append(["vote", v.date, name, value, [v.id], v.sources])
    for p in card.provisions:
        rows.append(["provision", None, p.id, p.summary, p.issues, p.sources])
    for e in card.statements:
        rows.append(["statement", e.date, e.id, e.summary, e.parties, e.sources])
    return CARD_HEADER, rows


def agreement_markdown(card: a.AgreementCard) -> str:
    notes = Footnotes()
    out = [f"### {md_text(card.title)} {md_code(card.id)}", ""]
    out.append(f"- **date**: {md_escape(human_date(card.date))}")
    out.append(f"- **status**: {md_escape(_status_line(card))}")
    if card.parties:
        out.append(f"- **parties**: {md_escape(_standings(card.parties))}")
    for role, names in _roles(card.third_parties):
        out.append(f"- **{role}**: {md_escape(names)}")
    if card.supersedes:
        out.append("- **supersedes**: " + ", ".join(f"{md_escape(r.name)} {md_code(r.id)}" for r in card.supersedes))
    if card.history:
        out += ["", md_table(["date", "status", "sources"], [
            [human_date(s.date), status_words(s, with_date=False), notes.cite(s.sources)] for s in card.history])]
    for v in card.votes:
        out += ["", f"**{md_text(v.title)}** {md_code(v.id)}, {md_escape(human_date(v.date))}: {md_escape(results_words(v))} {notes.cite(v.sources)}"]
    if card.provisions:
        out += ["", md_table(["provision", "summary", "issues", "sources"], [[md_code(p.id), p.summary, p.issues, notes.cite(p.sources)] for p in card.provisions])]
    if card.statements:
        out += ["", md_table(["date", "who", "summary", "sources"], [
            [human_date(e.date), e.speaker_name or " and ".join(e.party_names), e.summary, notes.cite(e.sources)] for e in card.statements])]
    out += record_notes_markdown(card.disputes, card.not_found, card.note, "####")
    out += _markdown_sources(notes)
    return "\n".join(out) + "\n"
