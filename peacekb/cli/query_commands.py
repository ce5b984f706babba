"""Commands that answer questions: positions, round, rounds, actors, actor, issues, issue, statements, timeline, sources, source, events, event, search."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from peacekb.cli.app import (
    AsOfOption,
    Color,
    ColorOption,
    DataOption,
    FormatOption,
    Session,
    app,
    fail_usage,
)
from peacekb.cli import complete
from peacekb.cli.output import Format
from peacekb.safe import safe


@app.command()
def positions(
    issue: Annotated[str, typer.Argument(metavar="ISSUE", help="Issue id, title, or an unambiguous part of them.", autocompletion=complete.issues)],
    as_of: AsOfOption = None,
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """Where every party stands on an issue and its sub-issues: stance, since when, who voiced it, evidence."""
    from peacekb import queries
    from peacekb.cache import Wanted
    from peacekb.cli import markdown, output, rows as csv_rows, views


    def select(kb):
        chosen = Session._pick(kb, "issues", issue)
        return chosen, Wanted(issues=[i for i, _ in queries.issue_tree(kb, chosen)])

    s = Session(data, color, select=select)
    when = s.when(as_of, "--as-of")
    result = queries.positions(s.kb, s.chosen, when)
    output.emit(format, result, lambda: views.positions_text(s.out, s.colours, result, s.kb),
                lambda: markdown.positions_markdown(result), lambda: csv_rows.positions_rows(result))


@app.command("round")
def round_(
    name: Annotated[str, typer.Argument(metavar="ROUND", help="Round id, title, place, a date it covers (YYYY-MM-DD), or an unambiguous part of them.", autocompletion=complete.rounds)],
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """The briefing card of a round: dates, venue, delegations, agenda, positions, outcomes, quotes, sources."""
    from peacekb import queries
    from peacekb.cli import markdown, output, rows as csv_rows, views

    s = Session(data, color, round_name=name)
    card = queries.round_card(s.kb, s.round)
    output.emit(format, card, lambda: views.round_text(s.out, s.colours, card),
                lambda: markdown.round_markdown(card), lambda: csv_rows.round_rows(card))


@app.command()
def rounds(data: DataOption = None, format: FormatOption = Format.text, color: ColorOption = Color.auto) -> None:
    """Every round, summit and meeting in order."""
    from peacekb import queries
    from peacekb.cli import markdown, output, rows as csv_rows, views

    s = Session(data, color)
    rows = queries.rounds_overview(s.kb)
    output.emit(format, rows, lambda: views.rounds_text(s.out, rows), lambda: markdown.rounds_markdown(rows), lambda: csv_rows.rounds_table(rows))


@app.command()
def actors(data: DataOption = None, format: FormatOption = Format.text, color: ColorOption = Color.auto) -> None:
    """Every actor: states, persons, organisations."""
    from peacekb import queries
    from peacekb.cli import markdown, output, rows as csv_rows, views

    s = Session(data, color)
    rows = queries.actors_overview(s.kb)
    output.emit(format, rows, lambda: views.actors_text(s.out, rows), lambda: markdown.actors_markdown(rows), lambda: csv_rows.actors_table(rows))


@app.command()
def actor(
    name: Annotated[str, typer.Argument(metavar="ACTOR", help="Actor id, name, alias, or an unambiguous part of them.", autocompletion=complete.actors)],
    as_of: AsOfOption = None,
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """An actor's roles over time and positions on every issue, with the evidence."""
    from peacekb import queries
    from peacekb.cli import markdown, output, rows as csv_rows, views

    s = Session(data, color)
    when = s.when(as_of, "--as-of")
    card = queries.actor_card(s.kb, s.pick("actors", name), when)
    output.emit(format, card, lambda: views.actor_text(s.out, s.colours, card),
                lambda: markdown.actor_markdown(card), lambda: csv_rows.actor_rows(card))


@app.command()
def issues(as_of: AsOfOption = None, data: DataOption = None, format: FormatOption = Format.text, color: ColorOption = Color.auto) -> None:
    """The issue tree, with each issue's stances and who holds them."""
    from peacekb import queries
    from peacekb.cli import markdown, output, rows as csv_rows, views

    s = Session(data, color)
    when = s.when(as_of, "--as-of")
    rows = queries.issues_overview(s.kb, when)
    output.emit(format, rows, lambda: views.issues_text(s.out, s.colours, rows), lambda: markdown.issues_markdown(rows), lambda: csv_rows.issues_table(rows))


@app.command()
def issue(
    name: Annotated[str, typer.Argument(metavar="ISSUE", help="Issue id, title, or an unambiguous part of them.", autocompletion=complete.issues)],
    as_of: AsOfOption = None,
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """An issue: description, stances, and who holds each."""
    from peacekb import queries
    from peacekb.cli import markdown, output, rows as csv_rows, views

    s = Session(data, color)
    when = s.when(as_of, "--as-of")
    card = queries.issue_card(s.kb, s.pick("issues", name), when)
    output.emit(format, card, lambda: views.issue_text(s.out, s.colours, card),
                lambda: markdown.issue_markdown(card), lambda: csv_rows.issue_rows(card))


@app.command("statements")
def statements_(
    actor_: Annotated[Optional[str], typer.Option("--actor", help="Said by this actor, or for this party.", show_default=False, autocompletion=complete.actors)] = None,
    holder: Annotated[Optional[str], typer.Option("--holder", help="Describing this actor's position.", show_default=False, autocompletion=complete.actors)] = None,
    issue_: Annotated[Optional[str], typer.Option("--issue", help="On this issue or one below it.", show_default=False, autocompletion=complete.issues)] = None,
    round_name: Annotated[Optional[str], typer.Option("--round", help="Made in connection with this round (every round the name matches: `geneva`).", show_default=False, autocompletion=complete.rounds)] = None,
    since: Annotated[Optional[str], typer.Option("--since", metavar="DATE", help="On or after this date, or after this round (YYYY-MM-DD, YYYY-MM, YYYY, or a round).", show_default=False)] = None,
    until: Annotated[Optional[str], typer.Option("--until", metavar="DATE", help="On or before this date, or up to the end of this round.", show_default=False)] = None,
    text: Annotated[Optional[str], typer.Option("--text", metavar="WORDS", help="Words that must all appear in a quote or the summary.", show_default=False)] = None,
    retracted: Annotated[bool, typer.Option("--include-retracted", help="Include statements marked retracted.")] = False,
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """Statements, oldest first, filtered by actor, holder, issue, round, dates and words."""
    from peacekb import queries
    from peacekb.cli import markdown, output, rows as csv_rows, views

    s = Session(data, color)
    where = queries.StatementFilter(since=s.when(since, "--since", "start"), until=s.when(until, "--until"), text=text, include_retracted=retracted)
    where.actor = s.pick("actors", actor_) if actor_ else None
    where.holder = s.pick("actors", holder) if holder else None
    where.issue = s.pick("issues", issue_) if issue_ else None
    if round_name:
        where.round = s.pick_every("rounds", round_name)
        if len(where.round) > 1:
            print(safe(f"peacekb: `{round_name}` matches {len(where.round)} rounds; showing the statements of each: {', '.join(sorted(where.round, key=queries.rounds_in_order(s.kb).index))}", line=True), file=sys.stderr)
    if text:  # the words found in the search index kept in the cache, where there is one
        from peacekb import cache
        from peacekb.search import statement_matches

        conn = cache.search_index(s.root)
        if conn is not None:
            try:
                where.matched = statement_matches(conn, text)
            finally:
                conn.close()
    rows = queries.statements(s.kb, where)
    output.emit(format, rows, lambda: views.statements_text(s.out, s.colours, rows),
                lambda: markdown.statements_markdown(rows), lambda: csv_rows.statements_rows(rows))


@app.command()
def timeline(
    name: Annotated[str, typer.Argument(metavar="ISSUE|ACTOR", help="An issue or an actor, by id, name or an unambiguous part.", autocompletion=complete.issue_or_actor)],
    every: Annotated[bool, typer.Option("--all", help="Every mention: the same stance again and statements that take no stance too (default: only the changes).")] = False,
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """How positions moved over time on an issue, or an actor's, in order: each change of stance,
    with the statement or document that made it (one block for a statement on several issues)."""
    from peacekb import queries
    from peacekb.cli import markdown, output, rows as csv_rows, views
    from peacekb.names import resolve

    s = Session(data, color)
    as_issue, as_actor = resolve(s.kb, "issues", name), resolve(s.kb, "actors", name)
    if as_issue.found and as_actor.found:
        raise fail_usage(f"`{name}` names both the issue `{as_issue.found}` and the actor `{as_actor.found}`: give the id")
    if as_issue.found or (as_issue.candidates and not as_actor.found):
        entries = queries.timeline(s.kb, issue=s.pick("issues", name), every=every)
    elif as_actor.found or as_actor.candidates:
        entries = queries.timeline(s.kb, actor=s.pick("actors", name), every=every)
    else:
        near = [c.id for c in as_issue.suggestions + as_actor.suggestions]
        hint = "; did you mean " + " or ".join(f"`{n}`" for n in near) + "?" if near else ""
        raise fail_usage(f"no issue or actor matches `{name}`{hint}")
    output.emit(format, entries, lambda: views.timeline_text(s.out, s.colours, entries),
                lambda: markdown.timeline_markdown(entries), lambda: csv_rows.timeline_rows(entries))


@app.command()
def sources(data: DataOption = None, format: FormatOption = Format.text, color: ColorOption = Color.auto) -> None:
    """Every source, newest first, with how many records cite it."""
    from peacekb import queries
    from peacekb.cli import markdown, output, record_views as rv, rows as csv_rows

    s = Session(data, color)
    rows = queries.sources_overview(s.kb)
    output.emit(format, rows, lambda: rv.sources_text(s.out, rows), lambda: markdown.sources_markdown(rows), lambda: csv_rows.sources_table(rows))


@app.command()
def source(
    name: Annotated[str, typer.Argument(metavar="SOURCE", help="Source id, title, or an unambiguous part of them.", autocompletion=complete.sources)],
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """A source: where and when it was published, what cites it, the statements and quotes taken from it."""
    from peacekb import queries
    from peacekb.cli import markdown, output, record_views as rv, rows as csv_rows

    s = Session(data, color)
    card = queries.source_card(s.kb, s.pick("sources", name))
    output.emit(format, card, lambda: rv.source_text(s.out, s.colours, card), lambda: markdown.source_markdown(card), lambda: csv_rows.source_rows(card))


@app.command()
def events(data: DataOption = None, format: FormatOption = Format.text, color: ColorOption = Color.auto) -> None:
    """Every event and document (plans, memoranda, agreements, announcements), oldest first."""
    from peacekb import queries
    from peacekb.cli import markdown, output, record_views as rv, rows as csv_rows

    s = Session(data, color)
    rows = queries.events_overview(s.kb)
    output.emit(format, rows, lambda: rv.events_text(s.out, rows), lambda: markdown.events_markdown(rows), lambda: csv_rows.events_table(rows))


@app.command()
def event(
    name: Annotated[str, typer.Argument(metavar="EVENT", help="Event id, title, or an unambiguous part of them.", autocompletion=complete.events)],
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """An event or document: date, authors, signatories, its points and their stances, the statements about it."""
    from peacekb import queries
    from peacekb.cli import markdown, output, record_views as rv, rows as csv_rows

    s = Session(data, color)
    card = queries.event_card(s.kb, s.pick("events", name))
    output.emit(format, card, lambda: rv.event_text(s.out, s.colours, card), lambda: markdown.event_markdown(card), lambda: csv_rows.event_rows(card))


@app.command()
def search(
    words: Annotated[list[str], typer.Argument(metavar="WORDS...", help="Words that must all appear in a text; stemmed (weapons finds weapon) and without accents.")],
    kind: Annotated[Optional[list[str]], typer.Option("--kind", "-k", help="Only records of this kind (actors, issues, rounds, events, sources, statements); repeat for several.", show_default=False)] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="At most this many hits.", show_default=False)] = None,
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """Full-text search in every text of every record: names, aliases, titles, summaries, quotes, notes, outcomes, provisions, disputes.

    Each hit is one field of one record, best first, with a snippet of the words found.
    """
    from peacekb import cache
    from peacekb.cli import markdown, output, record_views as rv, rows as csv_rows
    from peacekb.search import KINDS, search as find, search_index

    kinds = []
    for k in kind or []:
        plural = k if k.endswith("s") else f"{k}s"
        if plural not in KINDS:
            raise fail_usage(f"--kind {k}: not a kind of record; give one of {', '.join(KINDS)}")
        kinds.append(plural)
    text = " ".join(words)
    s = Session(data, color, records=False)  # answered from the index kept in the cache
    conn = cache.search_index(s.root)
    if conn is None:  # no usable cache: an index of the knowledge base, made for this answer
        from peacekb.loader import load

        conn = search_index(load(s.root, cross_checks=False).kb)
    try:
        hits = find(conn, text, kinds, limit)
    finally:
        conn.close()
    output.emit(format, hits, lambda: rv.search_text(s.out, hits), lambda: markdown.search_markdown(hits), lambda: csv_rows.search_rows(hits))
