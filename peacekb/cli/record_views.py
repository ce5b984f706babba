"""How sources, events and search hits look: rich for people, plus their markdown and csv forms.

Like :mod:`peacekb.cli.views`, these only arrange what the queries computed.
"""

from __future__ import annotations

import json
from typing import Any

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from peacekb import queries as q
from peacekb.cli.lines import print_blocks
from peacekb.cli.output import Markdown, md_code, md_escape, md_table, md_text, md_url
from peacekb.cli.views import Colours, Footnotes, date_cells, record_notes_markdown, record_notes_text, human_date, safe_text, statements_blocks, statements_markdown, statements_rows
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

SOURCE_HEADER = ["id", "title", "publisher", "published", "reliability", "language", "url", "cited_by"]


def sources_table(data: list[q.SourceRow]) -> tuple[list[str], list[list[Any]]]:
    return SOURCE_HEADER, [[s.id, s.title, s.publisher, s.published, s.reliability, s.language, s.url, s.cited_by] for s in data]


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


def sources_markdown(data: list[q.SourceRow]) -> str:
    return md_table(["published", "source", "id", "publisher", "reliability", "cited by"],
                    [[s.published, s.title or "(untitled)", md_code(s.id), s.publisher, s.reliability, s.cited_by] for s in data])


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


def source_markdown(card: q.SourceCard) -> str:
    lines = [f"## {md_text(card.title or '(untitled)')} ({md_code(card.id)})", ""]
    lines.append(md_table(["", ""], [
        ["publisher", card.publisher], ["republishing", card.original_publisher], ["published", card.published], ["language", card.language],
        ["reliability", card.reliability], ["url", md_url(card.url) if card.url else None], ["archive", card.archive], ["note", card.note],
        ["actors", _names(card.actors)], ["rounds", _names(card.rounds)], ["events", _names(card.events)],
    ]))
    if card.statements:
        lines += ["", "### Statements", "", statements_markdown(card.statements)]
    return "\n".join(lines)


def source_rows(card: q.SourceCard) -> tuple[list[str], list[list[Any]]]:
    return statements_rows(card.statements)


# --- events ---------------------------------------------------------------------------------------

EVENT_HEADER = ["id", "title", "kind", "date", "date_start", "date_end", "date_precision", "authors", "signatories", "issues", "provisions", "statements"]


def events_table(data: list[q.EventRow]) -> tuple[list[str], list[list[Any]]]:
    return EVENT_HEADER, [[e.id, e.title, e.kind, e.date, *date_cells(e.date), e.authors, e.signatories, e.issues, e.provisions, e.statements] for e in data]


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


def events_markdown(data: list[q.EventRow]) -> str:
    return md_table(["date", "event", "id", "kind", "authors", "signatories", "points", "statements"],
                    [[human_date(e.date), e.title, md_code(e.id), e.kind, e.authors, e.signatories, e.provisions, e.statements] for e in data])


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


def event_markdown(card: q.EventCard) -> str:
    lines = [f"## {md_text(card.title)} ({md_code(card.id)})", ""]
    lines.append(md_table(["", ""], [
        ["date", human_date(card.date)], ["kind", card.kind], ["authors", _names(card.authors)], ["signatories", _names(card.signatories)],
        ["held by", _names(card.holders)], ["about", card.description], ["issues", [r.id for r in card.issues]],
        ["stances", [f"{i} → {s}" for i, s in card.stances.items()]], ["related", _names(card.related)], ["rounds", _names(card.rounds)],
    ]))
    if card.provisions:
        lines += ["", "### Points", ""]
        lines.append(md_table(["point", "summary", "stances", "sources"],
                              [[md_code(p.id), p.summary, [f"{i} → {s}" for i, s in p.stances.items()], p.sources] for p in card.provisions]))
    if card.statements:
        lines += ["", "### Statements about it", "", statements_markdown(card.statements)]
    lines += record_notes_markdown(card.disputes, card.not_found, card.note, "###")
    return "\n".join(lines)


PROVISION_HEADER = ["event", "id", "summary", "issues", "stances", "sources"]


def event_rows(card: q.EventCard) -> tuple[list[str], list[list[Any]]]:
    """One row per point of the document (its statements: `peacekb statements`)."""
    return PROVISION_HEADER, [[card.id, p.id, p.summary, p.issues, [f"{i}={s}" for i, s in p.stances.items()], p.sources] for p in card.provisions]


# --- search ---------------------------------------------------------------------------------------

SEARCH_HEADER = ["kind", "id", "name", "field", "snippet", "highlights", "rank"]


def search_rows(hits: list[Hit]) -> tuple[list[str], list[list[Any]]]:
    return SEARCH_HEADER, [[h.kind, h.id, h.name, h.field, h.snippet, json.dumps(h.highlights), h.rank] for h in hits]


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


def search_markdown(hits: list[Hit]) -> str:
    def marked(h: Hit) -> Markdown:
        # marks put in before escaping (private-use characters, which escaping leaves), made bold after
        text, at = "", 0
        for start, end in h.highlights:
            text += h.snippet[at:start] + "\ue000" + h.snippet[start:end] + "\ue001"
            at = end
        return Markdown(md_escape(text + h.snippet[at:]).replace("\ue000", "**").replace("\ue001", "**"))

    return md_table(["kind", "record", "name", "field", "snippet"], [[h.kind[:-1], md_code(h.id), h.name, md_code(h.field), marked(h)] for h in hits])
