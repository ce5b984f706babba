"""How sources, events and search hits look to people (rich); their markdown is in
:mod:`peacekb.cli.markdown`, their csv rows in :mod:`peacekb.cli.rows`.

Like :mod:`peacekb.cli.views`, these only arrange what the queries computed.
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from peacekb import queries as q
from peacekb.cli.lines import print_blocks
from peacekb.cli.views import Colours, Footnotes, record_notes_text, human_date, safe_text, statements_blocks
from peacekb.search import Hit


def _facts(rows: list[tuple[str, str | None]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for label, value in rows:
        if value:
            grid.add_row(Text(label), safe_text(Text(value)))
    return grid


def _title(name: str, ident: str) -> Text:
    return safe_text(Text(name, style="bold") + Text(f"  {ident}", style="dim"))


def _names(refs: list[q.Ref]) -> str:
    return ", ".join(r.name for r in refs)


# --- sources --------------------------------------------------------------------------------------


def sources_text(console: Console, data: list[q.SourceRow]) -> None:
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), header_style="dim")
    table.add_column("published", no_wrap=True)
    table.add_column("source", overflow="fold", ratio=3)
    table.add_column("publisher", overflow="fold", ratio=1)
    table.add_column("cited", justify="right", no_wrap=True)
    for s in data:
        title = Text(s.title or "(untitled)")
        if s.reliability == "low":
            title.append(" (low reliability)", style="yellow")
        title.append(f"\n{s.id}", style="dim")
        table.add_row(Text(s.published or "—"), safe_text(title), safe_text(Text(s.publisher or "")), Text(str(s.cited_by)))
    console.print(table)
    console.print(Text(f"{len(data)} source{'s' if len(data) != 1 else ''}", style="dim"))


def source_text(console: Console, colours: Colours, card: q.SourceCard) -> None:
    facts = _facts([
        ("title", card.title or "(none seen)" + (" (from the address)" if card.title_status == "from-url" else "")),
        ("publisher", card.publisher), ("republishing", card.original_publisher), ("published", human_date(card.published) if card.published else None),
        ("language", card.language), ("reliability", card.reliability if card.reliability != "standard" else None), ("url", card.url),
        ("archive", card.archive), ("note", card.note),
        ("actors", _names(card.actors)), ("rounds", _names(card.rounds)), ("events", _names(card.events)),
    ])
    console.print(Panel(facts, title=_title(card.title or card.id, card.id), title_align="left"))
    if card.statements:
        notes = Footnotes()
        console.print(Text(f"Statements ({len(card.statements)})", style="bold"))
        statements_blocks(console, colours, card.statements, notes, show_round=True)
        notes.print(console, colours.kb)


# --- events ---------------------------------------------------------------------------------------


def events_text(console: Console, data: list[q.EventRow]) -> None:
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), header_style="dim")
    table.add_column("date", no_wrap=True)
    table.add_column("event", overflow="fold", ratio=3)
    table.add_column("by", overflow="fold", ratio=1)
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("stmts", justify="right", no_wrap=True)
    for e in data:
        title = Text(e.title) + Text(f"\n{e.id}  ({e.kind})", style="dim")
        table.add_row(Text(human_date(e.date)), safe_text(title), safe_text(Text(", ".join(e.signatories or e.authors))), Text(str(e.provisions)), Text(str(e.statements)))
    console.print(table)


def _since(date: str) -> str:
    from peacekb.cli.agreement_views import since

    return since(date)


def _results(results: dict) -> str | None:
    from peacekb.cli.agreement_views import figure

    return " · ".join(f"{name} {figure(name, value)}" for name, value in results.items()) or None


def event_text(console: Console, colours: Colours, card: q.EventCard) -> None:
    facts = _facts([
        ("date", human_date(card.date)), ("kind", card.kind), ("authors", _names(card.authors)), ("signatories", _names(card.signatories)),
        ("held by", _names(card.holders)), ("about", card.description), ("issues", ", ".join(r.id for r in card.issues)),
        ("stances", ", ".join(f"{i} → {s}" for i, s in card.stances.items())), ("related", _names(card.related)), ("rounds", _names(card.rounds)),
        ("status", f"{card.status} {_since(card.status_date)}; its history: peacekb agreement {card.id}" if card.status and card.status_date else None),
        ("question", card.question), ("results", _results(card.results)),
    ])
    console.print(Panel(facts, title=_title(card.title, card.id), title_align="left"))
    notes = Footnotes()
    if card.provisions:
        console.print(Text("Points", style="bold"))
        for p in card.provisions:
            line = Text(f"  • {p.id}", style="bold") + Text(": ") + Text(p.summary)
            for issue, stance in p.stances.items():
                line += Text(f"  {issue} → ", style="dim") + Text(stance, style=colours.of(issue, stance))
            console.print(safe_text(line + Text(f" {notes.cite(p.sources)}", style="dim")))
    if card.statements:
        console.print(Text("Statements about it", style="bold"))
        statements_blocks(console, colours, card.statements, notes, show_round=True)
    record_notes_text(console, card.disputes, card.not_found, card.note)
    for source in card.sources:
        notes.cite([source.id])
    notes.print(console, colours.kb)


# --- search ---------------------------------------------------------------------------------------


def _highlighted(hit: Hit) -> Text:
    text = Text(hit.snippet)
    for start, end in hit.highlights:
        text.stylize("bold reverse", start, end)
    return text


def search_text(console: Console, hits: list[Hit]) -> None:
    if not hits:
        console.print("nothing found", style="dim")
        return
    def block(h: Hit) -> tuple[Text, Text, int]:
        head = Text(h.kind[:-1] + " ", style="dim") + Text(h.id, style="bold") + Text(f"  {h.name}") + Text(f"  {h.field}", style="dim")
        return head, _highlighted(h), 2

    print_blocks(console, map(block, hits))
    console.print(Text(f"{len(hits)} hit{'s' if len(hits) != 1 else ''}", style="dim"))
