"""How each query result looks to people: rich text on a terminal, and the wording the other
renderers share (dates as people read them, who said it, footnoted sources).

One module per output format over the same results: this one (text; with
:mod:`peacekb.cli.record_views` and :mod:`peacekb.cli.agreement_views`), :mod:`peacekb.cli.markdown`,
:mod:`peacekb.cli.rows` (csv), and :mod:`peacekb.site` (HTML); json and yaml are the results as they
are. Views only arrange what the queries computed; they compute nothing themselves.
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich import box
from rich.cells import cell_len
from rich.segment import Segment, Segments
from rich.style import Style
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from peacekb import queries as q
from peacekb.cli.lines import print_blocks
from peacekb.cli.output import Markdown
from peacekb.dates import OPEN, OPEN_END
from peacekb.safe import has_unsafe, safe

PALETTE = ["green", "red", "blue", "magenta", "cyan", "yellow", "bright_green", "bright_red", "bright_blue", "bright_magenta"]
STATUS_STYLE = {"held": "", "contested": "bold yellow", "unknown": "dim"}


class Colours:
    """One colour per stance, stable within an issue (the stance's place in the issue's list)."""

    def __init__(self, kb) -> None:
        self.kb = kb

    def of(self, issue: str, stance: str | None) -> str:
        record = self.kb.issues.get(issue)
        if stance is None or record is None:
            return "dim"
        ids = [s.id for s in record.stances]
        return PALETTE[ids.index(stance) % len(PALETTE)] if stance in ids else "white"

    def name(self, actor: str) -> str:
        record = self.kb.actors.get(actor)
        return record.name if record else actor

    def stance(self, issue: str, stance: str | None) -> Text:
        return Text(stance or "—", style=self.of(issue, stance))


class Footnotes:
    """Numbers sources in order of first citation, so that long ids stay out of tables."""

    def __init__(self) -> None:
        self.order: dict[str, int] = {}

    def cite(self, ids: list[str]) -> str:
        marks = []
        for ident in ids:
            self.order.setdefault(ident, len(self.order) + 1)
            marks.append(str(self.order[ident]))
        return Markdown(f"[{','.join(marks)}]" if marks else "")  # digits only: markdown as it stands

    def print(self, console: Console, kb) -> None:
        if not self.order:
            return
        from peacekb.cli.lines import whole

        lines: list[tuple[Text, Text | None, int]] = [(Text("Sources", style="bold"), None, 0)]
        for ident, number in self.order.items():
            source = kb.sources.get(ident)
            line = Text(f"  [{number}] ", style="dim")
            line.append(ident, style="dim")
            url = None
            if source is not None:
                line.append(f"  {source.title or '(untitled)'}")
                if source.publisher:
                    line.append(f", {source.publisher}")
                if source.reliability == "low":
                    line.append("  (low reliability)", style="yellow")
                url = source.url
            lines.append((line, None, 0))
            if url:  # whole, on its own line, never broken: to select or click (a link on terminals that show them)
                lines.append((whole(url, "dim", indent=6), None, 0))
        print_blocks(console, lines)


def statement_block(colours: Colours, e: q.Evidence, notes: Footnotes, show_round: bool = False) -> tuple[Text, Text, int]:
    """A statement as a block (see :func:`peacekb.cli.lines.print_blocks`): when, who (for whom),
    issue → stance; then, indented, the quotes, the summary and the sources."""
    head = Text(human_date(e.date), style="bold")
    head.append("  ")
    parties = " and ".join(e.party_names)
    if e.kind == "document":
        head.append(_document_name(e), style="bold")
        head.append(f" ({parties})")
    else:
        head.append(e.speaker_name or "", style="bold")
        head.append(f" ({parties})" if e.speaker_name else parties)
    if e.joint:
        head.append(" jointly", style="italic")
    if e.holders != e.parties:
        head.append(f" on {possessive(' and '.join(e.holder_names))} position", style="italic")
    for issue in e.issues:
        head.append("   ")
        head.append(issue, style="dim")
        if issue in e.stances:
            head.append(" → ", style="dim")
            head.append(e.stances[issue], style=colours.of(issue, e.stances[issue]))
        if issue in e.withdraws:
            head.append(" withdraws ", style="dim")
            head.append(e.withdraws[issue], style=colours.of(issue, e.withdraws[issue]) + " strike")
    if e.disputed:
        head.append("  disputed", style="bold yellow")
    if e.retracted:
        head.append("  retracted", style="bold red")
    body = Text()
    if e.retracted:
        body.append(f"retracted: {e.retracted}\n", style="red")
    for quote in e.quotes:
        body.append("“" + quote.text + "”", style="italic")
        if quote.translation:
            body.append(" (translation)", style="dim")
        if len({x.source for x in e.quotes}) > 1:  # several sources: say which gives which words
            body.append(" " + notes.cite([quote.source]), style="dim")
        body.append("\n")
    body.append(f"{e.summary} ")
    body.append(notes.cite(e.sources), style="dim")
    details = [x for x in (e.attribution, e.channel, e.round if show_round else None) if x]
    body.append(f"  {' · '.join(details)}", style="dim")
    return head, body, 2


def statements_blocks(console: Console, colours: Colours, data: list[q.Evidence], notes: Footnotes, show_round: bool = False) -> None:
    print_blocks(console, (statement_block(colours, e, notes, show_round) for e in data))


def _stances_text(colours: Colours, issue: str, p: q.Position) -> Text:
    if not p.stances:
        return Text(_no_position(p), style="dim")
    text = Text("contested: ", style="bold yellow") if p.status == "contested" else Text()
    for i, stance in enumerate(p.stances):
        if i:
            text.append(" / " if p.status == "contested" else " + ")
        text.append(stance, style=colours.of(issue, stance))
    return text


def _no_position(p: q.Position) -> str:
    """`no recorded position`, or what the holder withdrew and when."""
    if not p.past:
        return "no recorded position"
    return "withdrew " + ", ".join(f"{x.stance} ({human_date(x.until)})" for x in p.past if x.withdrawn)


def _says_more(label: str, stance: str) -> bool:
    """Whether a stance's label tells more than its id (`Cession` for `cession` does not)."""
    return label.lower().replace(" ", "-") != stance


def _quote_or_summary(e: q.Evidence) -> str:
    """The words shown as evidence: the quote chosen for the issue asked, else the summary."""
    if e.quote is not None:
        return f"“{e.quote.text}”"
    return e.summary


def _document_name(e: q.Evidence) -> str:
    """`Russia's memorandum on a settlement, June 2025, point neutrality`."""
    return f"{e.document}" + (f", point {e.provision}" if e.provision else "")


def _who(e: q.Evidence) -> str:
    if e.kind == "document":
        return _document_name(e)
    parties = " and ".join(e.party_names)
    if e.joint:
        return f"{e.speaker_name + ', ' if e.speaker_name else ''}joint statement ({parties})"
    return e.speaker_name or f"({parties})"


def _who_for(e: q.Evidence) -> str:
    """The speaker, and whose position it was where that is not the speaker's party's."""
    return _who(e) + (f" on {possessive(' and '.join(e.holder_names))} position" if e.holders != e.parties else "")


def possessive(name: str) -> str:
    """`Ukraine's`, `United States'`."""
    return name + ("'" if name.endswith("s") else "'s")


def human_date(date: str) -> str:
    """A date as people read it: an open start (`../2026-02-23`, known only to be by then) is
    `by 2026-02-23`, an open end (`2016-10-02/..`) `after 2016-10-02`; any other date as written.
    json and csv keep the canonical form."""
    if date.startswith(OPEN):
        return "by " + date[len(OPEN):]
    return "after " + date[: -len(OPEN_END)] if date.endswith(OPEN_END) else date


def _span(start: str, end: str | None) -> str:
    """`2026-01-23–24` within a month, `2025-12-30 – 2026-01-02` across months."""
    start, end = human_date(start), human_date(end) if end else end
    if not end or end == start:
        return start
    if len(start) == len(end) == 10 and start[:8] == end[:8]:
        return f"{start}–{end[8:]}"
    return f"{start} – {end}"


def _refs(refs: list[q.Ref]) -> str:
    return ", ".join(r.name for r in refs) or "—"


# --- positions ------------------------------------------------------------------------------------


def positions_text(console: Console, colours: Colours, data: list[q.IssuePositions], kb=None) -> None:
    notes = Footnotes()
    for block in data:
        indent = "  " * block.depth
        title = Text(indent)
        title.append(block.title, style="bold underline")
        title.append(f"  {block.issue}", style="dim")
        if block.as_of:
            title.append(f"  as of {block.as_of}", style="dim")
        rows: list[list[Text]] = []
        for p in block.positions:
            if p.status == "unknown":
                rows.append([Text(p.holder_name, style="dim"), Text(_no_position(p), style="dim"), Text(), Text()])
                continue
            first = True
            for n, h in enumerate(p.held):
                stance = Text("contested: ", style="bold yellow") if p.status == "contested" and n == 0 else Text()
                stance.append(h.stance, style=colours.of(block.issue, h.stance))
                if _says_more(h.label, h.stance):
                    stance.append(f"\n{h.label}", style="dim")
                # the latest voicing; others equally recent are counted (json and markdown carry them all)
                e, more = h.evidence[-1], len(h.evidence) - 1
                extra = f" (+{more} more)" if more else ""
                evidence_text = Text(f"{_who_for(e)}, {human_date(e.date)}: ", style="dim") + Text(_quote_or_summary(e)) + Text(f" {notes.cite(e.sources)}{extra}", style="dim")
                rows.append([Text(p.holder_name if first else ""), stance, Text(human_date(h.since)), evidence_text])
                first = False
        table = folded_table(console, ["holder", "stance", "since", "latest evidence"], rows, keep=(2,))
        # every line fits, so there is nothing to crop: rich wraps the texts, the table is laid out to the width
        console.print(Group(safe_text(title), safe_text(Text(indent) + _headline_text(colours, block)), table, Text()), crop=False)
    if kb is not None:
        notes.print(console, kb)


def safe_text(text: Text) -> Text:
    """``text`` with control, bidi and zero-width characters shown escaped (see peacekb.safe),
    each part in its style; ``text`` itself when it holds none (the common case)."""
    if not has_unsafe(text.plain):
        return text
    out = Text(style=text.style, end=text.end)
    for part in text.divide(sorted({0, len(text.plain), *(x for span in text.spans for x in (span.start, span.end))})):
        piece = Text(safe(part.plain))
        for span in part.spans:  # cut at every span's ends, each span covers the whole part
            piece.stylize(span.style)
        out.append_text(piece)
    return out


def folded_table(console: Console, header: list[str], rows: list[list[Text]], keep: tuple[int, ...] = ()) -> Segments:
    """``rows`` under ``header`` in the style of a ``Table(box=None, padding=(0, 1), header_style="dim")``,
    laid out by hand many times quicker than rich's Table, which measures and renders every cell
    through its whole machinery (most of a second for a few thousand rows).

    Each column is as wide as its longest line, plus a space either side, and nothing is cropped:
    the last column takes what room is left, its text wrapping at words; when that is less than it
    needs, the other columns give up room down to their longest word (at spaces and after hyphens:
    `Government of` / `Colombia`, `open-points-to-` / `constituent-assembly`) and their text wraps
    too; the columns in ``keep`` (dates) wrap only after a slash (a span of dates). Only when even that does not fit are words cut,
    and a note on stderr says so.
    """
    from peacekb.cli.lines import wrap_text

    total = console.width
    header_cells = [Text(safe(title), style="dim") for title in header]
    rows = [[safe_text(cell) for cell in row] for row in rows]  # escaped before measuring
    last = len(header) - 1

    def piece(cell: Text, i: int) -> int:
        pattern = r"[^\s/]*/+|[^\s/]+" if i in keep else r"[^\s-]*-+|[^\s-]+"
        return max((cell_len(p) for p in re.findall(pattern, cell.plain)), default=0)

    columns = list(zip(header_cells, *rows))
    natural = [max((cell_len(line) for cell in column for line in cell.plain.splitlines()), default=0) + 2 for column in columns]
    least = [max((piece(cell, i) for cell in column), default=0) + 2 for i, column in enumerate(columns)]
    whole_words = least[:]
    least[last] = min(natural[last], max(least[last], 24))  # the evidence keeps room to be read
    widths = natural[:-1] + [max(0, min(natural[last], total - sum(natural[:-1])))]
    while widths[last] < least[last]:  # the widest column that can give a cell gives it to the last
        givers = [i for i in range(last) if widths[i] > least[i]]
        if not givers:
            break
        widths[max(givers, key=lambda i: widths[i] - least[i])] -= 1
        widths[last] = min(natural[last], total - sum(widths[:-1]))
    cut = sum(widths) > total or widths[last] < whole_words[last]
    excess = sum(widths) - total
    if excess > 0:  # even their longest words do not fit: all shrink evenly, words are cut
        shrinking = [i for i, width in enumerate(widths) if width]
        for k, i in enumerate(shrinking):
            take = min(widths[i], round(excess / (len(shrinking) - k)))
            widths[i] -= take
            excess -= take
    if cut and rows:
        too_narrow(console, f"the table under `{header[-1]}` cannot show every word whole")

    def lines_of(cell: Text, width: int, i: int) -> list[list[Segment]]:
        """The cell's lines as segments, each ``width`` wide; none in a column too narrow to show anything."""
        text = cell.plain
        if width < 1:
            return []
        if not cell.spans and cell_len(text) <= width and "\n" not in text and "\t" not in text:  # the common case, quicker
            return [[Segment(text + " " * (width - cell_len(text)), console.get_style(cell.style))]]
        lines = wrap_text(cell, width, hyphens="slash" if i in keep else "long" if i == last else True)[0]
        for line in lines:
            line.pad_right(width - cell_len(line.plain))
        # Text.render would leave out the style of a line without spans
        return [list(line.render(console)) if line.spans else [Segment(line.plain, console.get_style(line.style))] for line in lines]

    segments: list[Segment] = []
    for pad, row in [(Style(dim=True), header_cells), *((None, row) for row in rows)]:
        cells = [lines_of(cell, width - 2, i) for i, (cell, width) in enumerate(zip(row, widths))]
        height = max(1, *map(len, cells))
        # blank lines fill each cell to the row's height: above the header, below any other cell
        cells = [[None] * (height - len(cell)) + cell if pad else cell + [None] * (height - len(cell)) for cell in cells]
        space = Segment(" ", pad)
        for n in range(height):
            for cell, width in zip(cells, widths):
                if cell[n] is None:
                    segments.append(Segment(" " * width, pad))
                else:
                    segments += (space, *cell[n], space)
            segments.append(Segment.line())
    if sum(widths) > total:  # columns shrunk evenly can round to a little too wide: cut as rich's print does
        segments = [segment for line in Segment.split_and_crop_lines(segments, total, pad=False) for segment in line]
    return Segments(segments)


def _headline_text(colours: Colours, block: q.IssuePositions) -> Text:
    """The query's headline, with each stance in its colour."""
    h = block.headline
    text = Text(f"{block.issue}: ", style="bold")
    if not h.camps and not h.contested and not h.withdrawn:
        return text + Text("no recorded positions", style="dim")

    def entry(e: q.HeadlineEntry) -> Text:
        part = Text()
        for i, stance in enumerate(e.stances):
            if i:
                part.append(" + ")
            part.append(stance, style=colours.of(block.issue, stance))
        return part + Text(f" ({', '.join(e.holder_names)})")

    for i, camp in enumerate(h.camps):
        if i:
            text.append(" vs ")
        for j, e in enumerate(camp):
            if j:
                text.append(" and ")
            text.append_text(entry(e))
    if h.contested:
        text.append("; " if h.camps else "")
        text.append("contested: ", style="bold yellow")
        text.append(", ".join(f"{e.holder_names[0]} ({' / '.join(e.stances)})" for e in h.contested))
    if h.withdrawn:
        text.append("; " if h.camps or h.contested else "")
        text.append("withdrawn: ", style="dim")
        text.append(", ".join(f"{e.holder_names[0]} ({' / '.join(e.stances)})" for e in h.withdrawn))
    if h.unknown:
        names = {p.holder: p.holder_name for p in block.positions}
        text.append(f"; no recorded position: {', '.join(names.get(u, u) for u in h.unknown)}", style="dim")
    return text


# --- statements -----------------------------------------------------------------------------------


def statements_text(console: Console, colours: Colours, data: list[q.Evidence]) -> None:
    if not data:
        console.print("no statements match", style="dim")
        return
    notes = Footnotes()
    statements_blocks(console, colours, data, notes, show_round=True)
    console.print(Text(f"{len(data)} statement{'s' if len(data) != 1 else ''}", style="dim"))
    notes.print(console, colours.kb)


# --- rounds ---------------------------------------------------------------------------------------


ROLE_PLURALS = {"accompanying": "accompanying", "witness": "witnesses"}


def role_label(role: str, count: int) -> str:
    """A third-party role as a label for ``count`` actors: `mediator`, `mediators`, `accompanying`."""
    return role if count == 1 else ROLE_PLURALS.get(role, role + "s")


def _documents(card: q.RoundCard) -> list[q.Ref]:
    """The round's documents other than its agreements (which the card lists with their status)."""
    agreed = {c.agreement.id for c in card.agreements}
    return [r for r in card.events if r.id not in agreed]


def _other_roles(card: q.RoundCard) -> list[tuple[str, str]]:
    """(role, names) of the round's third parties other than its mediators, role by role."""
    roles: dict[str, list[str]] = {}
    for t in card.third_parties:
        if t.role != "mediator":
            roles.setdefault(t.role, []).append(t.actor.name)
    return [(role_label(role, len(names)), ", ".join(names)) for role, names in roles.items()]


def round_text(console: Console, colours: Colours, card: q.RoundCard) -> None:
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    facts.add_row("when", _span(card.start, card.end) + ("" if card.status == "held" else f"  ({card.status})"))
    facts.add_row("where", ", ".join(x for x in (card.venue, card.location) if x) or "—")
    facts.add_row("kind", card.kind + (f", {card.format}" if card.format else ""))
    facts.add_row(role_label("mediator", len(card.mediators)), _refs(card.mediators))
    for role, names in _other_roles(card):
        facts.add_row(role, names)
    if card.participants:
        facts.add_row("also present", _refs(card.participants))
    for d in card.delegations:
        members = f"; with {_refs(d.members)}" if d.members else ""
        facts.add_row(f"{d.party.name}", f"head: {d.head.name if d.head else 'not known'}{members}")
    facts.add_row("agenda", ", ".join(r.id for r in card.agenda) or "—")
    documents = _documents(card)
    if documents:
        facts.add_row("documents", _refs(documents))
    if card.agreements:
        facts.add_row("agreements", agreements_words(card.agreements))
    facts.add_row("before", card.previous.name if card.previous else "—")
    facts.add_row("after", card.next.name if card.next else "—")
    console.print(Panel(facts, title=f"[bold]{escape(safe(card.title))}[/]  [dim]{card.id}[/]", title_align="left"))
    notes = Footnotes()  # the card's one numbering: outcomes and statements cite into the Sources list it prints
    if card.outcomes:
        console.print("[bold]Outcomes[/]")
        for o in card.outcomes:
            nxt = f" → {o.next_round.name}" if o.next_round else ""
            console.print(Text(f"  • {o.summary}{nxt} ") + Text(notes.cite(o.sources), style="dim"))
    if card.positions:
        console.print(Text("Positions voiced", style="bold"))
        statements_blocks(console, colours, card.positions, notes)
    others = [e for e in card.statements if not e.stances]
    if others:
        console.print(Text("Other remarks", style="bold"))
        statements_blocks(console, colours, others, notes)
    record_notes_text(console, card.disputes, card.not_found, card.note)
    for source in card.sources:
        notes.cite([source.id])
    notes.print(console, colours.kb)


def record_notes_text(console: Console, disputes: list[q.DisputeInfo], not_found: list[str], note: str | None) -> None:
    """The end of a record's card: its disputes with every version and its sources, what was looked
    for and not found, and its note; each item wrapped under its own indent."""
    from peacekb.cli.lines import hanging

    blocks: list[tuple[Text | None, Text | None, int]] = []
    width = console.width
    if disputes:
        blocks.append((Text("Disputed", style="bold yellow"), None, 0))
        for d in disputes:
            lines = hanging(Text("  •"), Text(d.summary) + (Text(f" ({d.field})", style="dim") if d.field else Text()), 4, width)
            for v in d.versions:
                lines += hanging(Text("      –"), Text(f"{v['says']} ") + Text(f"({', '.join(v['sources'])})", style="dim"), 8, width)
            if d.note:
                lines += hanging(Text(), Text(d.note, style="dim"), 8, width)
            blocks += [(line, None, 0) for line in lines]
    if not_found:
        blocks.append((Text("Not found in the sources", style="bold"), None, 0))
        for item in not_found:
            blocks += [(line, None, 0) for line in hanging(Text("  •"), Text(item, style="dim"), 4, width)]
    if note:
        blocks.append((Text("Note", style="bold"), None, 0))
        blocks.append((None, Text(note, style="italic"), 2))
    print_blocks(console, blocks)


def rounds_text(console: Console, data: list[q.RoundRow]) -> None:
    from peacekb.cli.lines import print_columns

    rows = []
    for r in data:
        title = Text(r.title)
        if r.status != "held":
            title.append(f" ({r.status})", style="yellow")
        title.append(f"\n{r.id}", style="dim")
        kind = r.kind + (f", {r.format}" if r.format else "")
        parties = ", ".join(r.parties) + (f"\nmediated by {', '.join(r.mediators)}" if r.mediators else "")
        rows.append([Text(_span(r.start, r.end)), title, Text(r.location or "—") + Text(f"\n{kind}", style="dim"), Text(parties), Text(str(r.statements))])
    print_columns(console, ["dates", "round", "where", "parties", "stmts"], rows, [0, 2, 1, 1, 0], right=frozenset({4}))


# --- actors ---------------------------------------------------------------------------------------


def actors_text(console: Console, data: list[q.ActorRow]) -> None:
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), header_style="dim")
    table.add_column("actor", overflow="fold", ratio=2)
    table.add_column("kind", no_wrap=True)
    table.add_column("latest role", overflow="fold", ratio=2)
    table.add_column("stmts", justify="right", no_wrap=True)
    for a in data:
        name = Text(a.name)
        name.append(f"\n{a.id}" + (f"  ({', '.join(a.aliases)})" if a.aliases else ""), style="dim")
        kind = a.kind + (f", {a.country}" if a.country else "")
        table.add_row(name, kind, a.current_role or "", str(a.statements))
    console.print(table)


def actor_text(console: Console, colours: Colours, card: q.ActorCard) -> None:
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    facts.add_row("kind", card.kind + (f", {card.country}" if card.country else ""))
    if card.aliases:
        facts.add_row("also", ", ".join(card.aliases))
    if card.wikidata:
        facts.add_row("wikidata", card.wikidata)
    if card.description:
        facts.add_row("about", card.description)
    for r in card.roles:
        when = (f"since {human_date(r.start)}" if r.start and not r.end else _span(r.start or "?", r.end)) if (r.start or r.end) else "dates not known"
        facts.add_row("role", f"{r.title}" + (f" ({r.party_name})" if r.party_name else "") + f"  [dim]{when}[/]")
    if card.rounds:
        facts.add_row("rounds", ", ".join(r.id for r in card.rounds))
    console.print(Panel(facts, title=f"[bold]{escape(safe(card.name))}[/]  [dim]{card.id}[/]", title_align="left"))
    notes = Footnotes()
    if card.positions:
        rows = []
        for block in card.positions:
            p = block.positions[0]
            for n, h in enumerate(p.held):
                stance = Text("contested: ", style="bold yellow") if p.status == "contested" and n == 0 else Text()
                stance.append(h.stance, style=colours.of(block.issue, h.stance))
                if _says_more(h.label, h.stance):
                    stance.append(f"\n{h.label}", style="dim")
                e = h.evidence[-1]
                rows.append([Text("  " * block.depth + block.issue if n == 0 else ""), stance, Text(human_date(h.since)),
                             Text(f"{_who_for(e)}, {human_date(e.date)}: ", style="dim") + Text(_quote_or_summary(e)) + Text(f" {notes.cite(e.sources)}", style="dim")])
        console.print(Text("Positions held", style="bold"))
        console.print(folded_table(console, ["issue", "stance", "since", "latest evidence"], rows, keep=(2,)), crop=False)
    if card.voiced:
        console.print(Text("Positions voiced", style="bold"))

        def voiced(v: q.VoicedStance) -> tuple[Text, Text, int]:
            head = Text(human_date(v.date), style="bold") + Text(f"  {v.issue} → ", style="dim") + Text(v.stance, style=colours.of(v.issue, v.stance))
            if _says_more(v.label, v.stance):
                head.append(f" ({v.label})", style="dim")
            head.append(f"  for {' and '.join(v.holder_names)}")
            return head, Text(_quote_or_summary(v.evidence)) + Text(f" {notes.cite(v.evidence.sources)}", style="dim"), 2

        print_blocks(console, map(voiced, card.voiced))
    if card.statements:
        console.print(Text("Statements", style="bold"))
        statements_blocks(console, colours, card.statements, notes, show_round=True)
    record_notes_text(console, card.disputes, [], None)
    notes.print(console, colours.kb)


# --- issues ---------------------------------------------------------------------------------------


def issues_text(console: Console, colours: Colours, data: list[q.IssueRow]) -> None:
    tree = Tree("[bold]Issues[/]", guide_style="dim")
    nodes: dict[str, Tree] = {}
    for row in data:
        parent = nodes.get(row.parent, tree) if row.parent else tree
        label = Text(row.title, style="bold") + Text(f"  {row.id}  ({row.statements} statement{'' if row.statements == 1 else 's'})", style="dim")
        node = parent.add(label)
        nodes[row.id] = node
        for s in row.stances:
            line = Text(s.id, style=colours.of(row.id, s.id))
            if s.holders:
                line.append(f"  held by {', '.join(colours.name(h) for h in s.holders)}")
            if s.past:
                line.append(f"  before: {_past_holders(s)}", style="dim")
            node.add(line)
    console.print(tree)


def issue_text(console: Console, colours: Colours, card: q.IssueCard) -> None:
    body = Table.grid(padding=(0, 2))
    body.add_column(style="bold")
    body.add_column()
    if card.description:
        body.add_row("about", card.description)
    if card.parent:
        body.add_row("part of", card.parent.name)
    if card.children:
        body.add_row("sub-issues", _refs(card.children))
    if card.rounds:
        body.add_row("on the agenda of", ", ".join(r.id for r in card.rounds))
    if card.agreements:
        body.add_row("agreements", agreements_words([c for p in card.agreements for c in p.agreements]))
    stances = Table(box=None, show_header=True, padding=(0, 1))
    stances.add_column("stance")
    stances.add_column("meaning", overflow="fold")
    stances.add_column("held by", overflow="fold")
    stances.add_column("held before", overflow="fold")
    for s in card.stances:
        now = ", ".join(colours.name(h) for h in s.holders) or Text("nobody now" if s.past else "nobody on record", style="dim")
        stances.add_row(Text(s.id, style=colours.of(card.id, s.id)), s.description or s.label, now, _past_holders(s))
    console.print(Panel(Group(body, Text(""), stances), title=f"[bold]{escape(safe(card.title))}[/]  [dim]{card.id}[/]", title_align="left"))
    positions_text(console, colours, card.positions, colours.kb)


def agreements_words(coverings: list) -> str:
    """`Final Agreement: superseded since 2016-11-24; Revised Final Agreement: ratified since 2016-11-30`:
    each agreement once, with its status then."""
    from peacekb.cli.agreement_views import STATE_WORDS, status_words

    seen: dict[str, str] = {}
    for c in coverings:
        seen.setdefault(c.agreement.id, f"{c.agreement.name}: {status_words(c.status) if c.status else STATE_WORDS['unknown']}")
    return "; ".join(seen.values())


def _past_holders(s: q.StanceInfo) -> str:
    """`Russia (2022-03 – 2025-06-02)`: who held the stance before, and when."""
    return "; ".join(f"{p.holder_name} ({_span(p.since, p.until)})" for p in s.past)


# --- timelines ------------------------------------------------------------------------------------


def acted_words(superseded_by: str | None, by: list[str], vote: str | None) -> str:
    """What made an agreement's status: ` by the agreement that replaced it`, else ` by whom`, and
    `, in the vote ...`."""
    words = f" by {superseded_by}" if superseded_by else f" by {', '.join(by)}" if by else ""
    return words + (f", in the vote {vote}" if vote else "")


def agreement_step_words(t) -> str:
    """`Final Agreement: signed by Arland, Front` and the like: an agreement's step in a sentence."""
    return f"{t.agreement.name}: {t.status}" + acted_words(
        t.superseded_by.name if t.superseded_by else None, [r.name for r in t.by], t.vote.name if t.vote else None)


def agreement_step_body(t, notes: Footnotes) -> Text:
    """Who acted (or what replaced it, the vote), the points it covers, and its sources."""
    rest = agreement_step_words(t)[len(f"{t.agreement.name}: {t.status}"):].lstrip(", ")
    body = Text(f"{rest} · " if rest else "") + Text(f"covers {', '.join(t.issues)} ", style="dim") + Text(notes.cite(t.sources), style="dim")
    if t.note:
        body += Text("\n") + Text(t.note, style="italic")
    return body


CHANGE_MARK = {"first": "●", "same": "│", "added": "+", "contested": "?", "changed": "◆", "withdrawn": "×", "no-stance": "·", "agreement": "▣"}
STATE_STYLE = {"in-force": "green", "pending": "yellow", "proposed": "cyan", "void": "red"}


def timeline_text(console: Console, colours: Colours, data: list[q.TimelineEntry]) -> None:
    if not data:
        console.print("nothing on record", style="dim")
        return
    notes = Footnotes()
    width = max(len(human_date(t.date)) for t in data)

    def step(t: q.TimelineEntry, first: bool) -> Text:  # a position's step
        line = Text(f"{human_date(t.date) if first else '':<{width}} ", style="bold")
        line.append(CHANGE_MARK[t.change] + " ", style="bold yellow" if t.change == "changed" else "dim")
        line.append(f"{t.holder_name}  ")
        line.append(f"{t.issue}: ", style="dim")
        if t.dropped:
            line.append(f"{' / '.join(t.dropped)} → ", style="dim")
        if t.change == "withdrawn":
            line.append("(withdrawn)", style="dim")
        else:
            line.append(t.stance or "(no stance)", style=colours.of(t.issue, t.stance) if t.stance else "dim")
        if t.change == "added":
            line.append(f"  (held with {' + '.join(x for x in t.held if x != t.stance)})", style="dim")
        return line

    def block(group: list[q.TimelineEntry]) -> tuple[Text, Text, int]:
        """A statement once, under every step it made (for a parent issue and a sub-issue, for
        several holders)."""
        e = group[0].evidence
        body = Text(f"{_who(e)}: {_quote_or_summary(e)} ") + Text(notes.cite(e.sources), style="dim")
        return Text("\n").join(step(t, n == 0) for n, t in enumerate(group)), body, width + 3

    def agreement(t) -> tuple[Text, Text | None, int]:
        line = Text(f"{human_date(t.date):<{width}} ", style="bold")
        line.append(CHANGE_MARK["agreement"] + " ", style="bold")
        line.append(f"{t.agreement.name} ", style="bold")
        line.append(f"{t.status}", style=STATE_STYLE.get(t.state, ""))
        return line, agreement_step_body(t, notes), width + 3

    groups: list[list] = []
    for t in data:  # the entries of one statement come together
        if t.change != "agreement" and groups and groups[-1][0].change != "agreement" and groups[-1][0].evidence.id == t.evidence.id:
            groups[-1].append(t)
        else:
            groups.append([t])
    print_blocks(console, (agreement(g[0]) if g[0].change == "agreement" else block(g) for g in groups))
    key = "● first stance   ◆ changed   + added to those held   ? contested   │ same again   × withdrawn   · no stance taken"
    if any(t.change == "agreement" for t in data):
        key += "   ▣ an agreement's status"
    console.print(Text(key, style="dim"))
    notes.print(console, colours.kb)


# --- comparisons ----------------------------------------------------------------------------------

RELATION_STYLE = {"differ": "bold red", "unknown": "yellow", "agree": "green"}
RELATION_WORD = {"differ": "differ", "unknown": "unknown on one side", "agree": "agree"}


def party_diff_text(console: Console, colours: Colours, d) -> None:
    title = Text(f"{d.a_name} vs {d.b_name}", style="bold")
    if d.as_of:
        title.append(f"  as of {d.as_of}", style="dim")
    console.print(title)
    if not d.rows:
        console.print("neither has a recorded position on these issues", style="dim")
        return
    notes = Footnotes()
    current = None
    for row in d.rows:
        if row.relation != current:
            current = row.relation
            count = sum(1 for r in d.rows if r.relation == current)
            console.print(Text(f"\n{RELATION_WORD[current].capitalize()} ({count})", style=RELATION_STYLE[current]))
        line = Text(f"{row.issue}: ", style="bold")
        line.append(f"{d.a}: ")
        line.append_text(_stances_text(colours, row.issue, row.a))
        line.append({"agree": " and ", "differ": " vs "}.get(row.relation, "; "))  # "vs" only where they disagree
        line.append(f"{d.b}: ")
        line.append_text(_stances_text(colours, row.issue, row.b))
        parts = []
        for name, p in ((d.a_name, row.a), (d.b_name, row.b)):
            for h in p.held:
                e = h.evidence[-1]
                said = f"{h.stance}" + (f" ({h.label})" if _says_more(h.label, h.stance) else "") + f", since {human_date(h.since)}. {human_date(e.date)}, {_who_for(e)}: {_quote_or_summary(e)} "
                parts.append(Text(f"{name}: ", style="dim") + Text(said) + Text(notes.cite(e.sources), style="dim"))
        print_blocks(console, [(line, Text("\n").join(parts) if parts else None, 2)])
    notes.print(console, colours.kb)


CHANGE_STYLE = {"appeared": "green", "changed": "bold yellow", "disappeared": "red"}


def changes_text(console: Console, colours: Colours, report) -> None:
    head = Text("Changes from ", style="bold")
    head.append(f"{report.start.label}" + (f" ({report.start.date})" if report.start.label != report.start.date else ""))
    head.append(" to ", style="bold")
    head.append(f"{report.end.label}" + (f" ({report.end.date})" if report.end.label != report.end.date else ""))
    console.print(head)
    notes = Footnotes()
    if not report.changes:
        console.print("no position changed", style="dim")

    def block(c) -> tuple[Text, Text | None, int]:
        line = Text(f"{c.kind:<12}", style=CHANGE_STYLE[c.kind])
        line.append(f"{c.holder_name}  ")
        line.append(f"{c.issue}: ", style="dim")
        if c.before_status == "contested":
            line.append("contested: ", style="yellow")
        line.append(_joined(c.before, c.before_status) or "(none)", style="dim" if c.before else "dim italic")
        line.append(" → ")
        if c.after_status == "contested":
            line.append("contested: ", style="bold yellow")
        after = Text()
        for i, stance in enumerate(c.after):
            if i:
                after.append(" / " if c.after_status == "contested" else " + ")
            after.append(stance, style=colours.of(c.issue, stance))
        line.append_text(after if c.after else Text("(none)", style="dim italic"))
        body = Text("\n").join(
            Text(f"{human_date(e.date)}, {_who_for(e)}: {_quote_or_summary(e)} ") + Text(notes.cite(e.sources), style="dim") for e in c.statements
        )
        return line, body if c.statements else None, 12

    print_blocks(console, map(block, report.changes))
    if report.agreements:
        console.print(Text("Agreements", style="bold"))
        width = max(len(human_date(t.date)) for t in report.agreements)

        def agreement(t) -> tuple[Text, Text | None, int]:
            line = Text(f"{human_date(t.date):<{width}}  ", style="bold") + Text(f"{t.agreement.name} ", style="bold")
            return line + Text(t.status, style=STATE_STYLE.get(t.state, "")), agreement_step_body(t, notes), width + 2

        print_blocks(console, map(agreement, report.agreements))
    notes.print(console, colours.kb)


def _joined(stances: list[str], status: str) -> str:
    """Stances held together `a + b`; contested ones `a / b`."""
    return (" / " if status == "contested" else " + ").join(stances)


ROW_STYLE = {"agreed": "bold green", "converging": "green", "diverging": "bold red", "open": "dim"}


MATRIX_KEY = "agreed: an agreement in force binds two or more of the parties · converging: every known stance compatible · diverging: some are not · open: fewer than two known · ? contested"


def matrix_text(console: Console, colours: Colours, m) -> None:
    """The matrix folded into blocks of parties that fit the console's width, the issue and status
    columns repeated in each; stance names wrap at hyphens, party names at spaces. A name that
    still cannot fit is cut inside a word, and a note on stderr says so."""
    from peacekb.cli.lines import soft_breaks

    title = Text(f"Common ground{' as of ' + m.as_of if m.as_of else ''}", style="bold")
    issues = [Text("  " * r.depth + safe(r.issue)) for r in m.rows]
    statuses = [Text(r.status, style=ROW_STYLE[r.status]) for r in m.rows]
    columns = []  # per party: its header and its cells, each a list of lines
    for n, name in enumerate(m.party_names):
        cells = []
        for row in m.rows:
            cell = row.cells[n]
            if not cell.stances:
                cells.append([Text("·", style="dim")])
                continue
            lines = [Text("? " if cell.status == "contested" and i == 0 else "", style="bold yellow") + Text(safe(stance), style=colours.of(row.issue, stance))
                     for i, stance in enumerate(cell.stances)]
            cells.append(lines)
        columns.append((Text(safe(name), style="bold"), cells))

    def longest_piece(line: str, hyphens: bool) -> int:
        return max((cell_len(p) for p in (re.findall(r"[^\s-]*-+|[^\s-]+", line) if hyphens else line.split())), default=0)

    issue_w = max([cell_len("issue"), *(cell_len(t.plain) for t in issues)])
    status_w = max([6, *(cell_len(t.plain) for t in statuses)])
    room = console.width - issue_w - status_w - 4  # two spaces after the issue and after the status
    overflow = room < 12  # too narrow for even the issue column and one party: lines run over
    room = max(room, 12)
    natural, least = [], []
    for header, cells in columns:
        natural.append(max([cell_len(header.plain), *(cell_len(line.plain) for cell in cells for line in cell)]))
        least.append(max([longest_piece(header.plain, False), *(longest_piece(line.plain, True) for cell in cells for line in cell)]))
    comfortable = [min(nat, max(low, 18)) for nat, low in zip(natural, least)]
    blocks: list[list[int]] = []
    used = 0
    for j, want in enumerate(comfortable):
        if blocks and used + 2 + want <= room:
            blocks[-1].append(j)
            used += 2 + want
        else:
            blocks.append([j])
            used = want
    cut = False
    console.print(title)
    for b, block in enumerate(blocks):
        widths = {j: min(comfortable[j], max(room, 1)) for j in block}
        spare = room - sum(widths.values()) - 2 * (len(block) - 1)
        while spare > 0:  # give what is left to the columns that would wrap, a cell at a time
            growing = [j for j in block if widths[j] < natural[j]]
            if not growing:
                break
            for j in growing[:spare]:
                widths[j] += 1
                spare -= 1
        cut = cut or any(widths[j] < least[j] for j in block)
        if len(blocks) > 1:
            console.print(Text(f"parties {block[0] + 1}–{block[-1] + 1} of {len(columns)}" if len(block) > 1 else f"party {block[0] + 1} of {len(columns)}", style="dim"))

        def wrapped(lines: list[Text], width: int, hyphens: bool = True, hang: int = 1) -> list[Text]:
            """Each line wrapped to ``width``, its continuation lines indented by a space (so that
            a stance wrapped reads apart from the next stance)."""
            out = []
            for line in lines:
                offsets, _ = soft_breaks(line.plain, width, hyphens)
                if not offsets:
                    out.append(line)
                    continue
                first, rest = line.divide(offsets[:1])
                more, _ = soft_breaks(rest.plain, width - hang, hyphens)
                out += [first.copy(), *(Text(" " * hang) + part for part in rest.divide(more))]
            for part in out:
                part.rstrip()
            return out

        def row_lines(first: Text, second: Text, cells: list[list[Text]], pad_top: bool = False) -> list[Text]:
            height = max(1, *map(len, cells))
            cells = [([Text()] * (height - len(c)) + c) if pad_top else c + [Text()] * (height - len(c)) for c in cells]
            out = []
            for n in range(height):
                line = Text()
                line.append_text(first if n == 0 else Text())
                line.pad_right(issue_w + 2 - cell_len(line.plain))
                line.append_text(second if n == 0 else Text())
                line.pad_right(issue_w + status_w + 4 - cell_len(line.plain))
                for k, (j, cell) in enumerate(zip(block, cells)):
                    line.append_text(cell[n])
                    if k < len(block) - 1:
                        line.pad_right(widths[j] - cell_len(cell[n].plain) + 2)
                line.rstrip()
                out.append(line)
            return out

        heads = [wrapped([columns[j][0]], widths[j], hyphens=False, hang=0) for j in block]
        lines = row_lines(Text("issue", style="dim"), Text(), heads, pad_top=True)
        lines.append(Text("─" * (issue_w + status_w + 4 + sum(widths.values()) + 2 * (len(block) - 1)), style="dim"))
        for r, row in enumerate(m.rows):
            lines += row_lines(issues[r], statuses[r], [wrapped(columns[j][1][r], widths[j]) for j in block])
        print_blocks(console, [(line, None, 0) for line in lines] + [(Text(), None, 0)])
    print_blocks(console, [(Text(MATRIX_KEY, style="dim"), None, 0)])
    agreed = [r for r in m.rows if r.agreements]
    if agreed:
        console.print(Text("Agreed", style="bold"))
        print_blocks(console, [(Text(f"  {safe(r.issue)}: ", style="dim") + Text(", ".join(map(safe, r.agreements)), style="green"), None, 0) for r in agreed])
    legend = _matrix_legend(m)
    if legend:
        console.print(Text("Stances", style="bold"))
        def entry(issue: str, stance: str, label: str) -> tuple[Text, Text | None, int]:
            """On one line where it fits, else the label indented below."""
            head = Text(f"  {issue}: ", style="dim") + Text(stance, style=colours.of(issue, stance))
            if cell_len(head.plain) + 2 + cell_len(label) <= console.width:
                return head + Text(f"  {label}"), None, 0
            return head, Text(label), 4

        print_blocks(console, [entry(*item) for item in legend])
    if overflow:
        too_narrow(console, "the matrix is wider than the terminal")
    elif cut:
        too_narrow(console, "some names in the matrix are cut inside a word")


def too_narrow(console: Console, what: str) -> None:
    """Say on stderr that the console is too narrow to show everything whole, and what shows it all."""
    import sys

    said = console.__dict__.setdefault("_peacekb_too_narrow", set())  # once per command
    if what in said:
        return
    said.add(what)
    print(f"peacekb: note: at {console.width} columns {what}; `-f csv` gives every field whole (or widen the terminal)", file=sys.stderr)


def _matrix_legend(m) -> list[tuple[str, str, str]]:
    """(issue, stance, label) of each stance shown, once, in the order shown."""
    seen: dict[tuple[str, str], str] = {}
    for r in m.rows:
        for c in r.cells:
            for stance, label in zip(c.stances, c.labels):
                if _says_more(label, stance):
                    seen.setdefault((r.issue, stance), label)
    return [(issue, stance, label) for (issue, stance), label in seen.items()]


# --- semantic diff of revisions -------------------------------------------------------------------

CHANGE_SIGN = {"added": ("+", "green"), "removed": ("-", "red"), "renamed": ("→", "cyan"), "modified": ("~", "yellow")}


def _short(value: Any, limit: int = 80) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def semdiff_text(console: Console, d) -> None:
    console.print(Text(f"Changes in meaning from {d.base} to {d.head}", style="bold"))
    if d.empty:
        console.print("no change in meaning (formatting and comments are not compared)", style="dim")
        return
    for r in d.records:
        sign, style = CHANGE_SIGN[r.change]
        line = Text(f"{sign} ", style=style)
        line.append(f"{r.kind[:-1]} ", style="dim")
        line.append(r.id, style="bold")
        if r.change == "renamed":
            line.append(f"  (was {r.old_id})", style="dim")
        elif r.change != "modified":
            line.append(f"  {r.change}", style=style)
        console.print(line)
        for f in r.fields:
            console.print(Text(f"    {f.path}: ", style="dim") + Text(_short(f.old), style="red") + Text(" → ") + Text(_short(f.new), style="green"))
    if d.positions:
        console.print(Text("\nPositions that move", style="bold"))
        for m in d.positions:
            line = Text(f"  {m.holder}  ")
            line.append(f"{m.issue}: ", style="dim")
            line.append(" + ".join(m.before) or "(none)", style="red")
            line.append(" → ")
            line.append(" + ".join(m.after) or "(none)", style="green")
            if m.statements:
                line.append(f"  by {', '.join(m.statements)}", style="dim")
            console.print(line)
