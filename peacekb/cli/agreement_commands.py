"""Commands about what was agreed: agreements (per agenda point) and agreement (one card)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from peacekb.cli.app import AsOfOption, Color, ColorOption, DataOption, FormatOption, Session, app, fail_usage
from peacekb.cli.output import Format


@app.command("agreements")
def agreements_(
    issue: Annotated[Optional[str], typer.Option("--issue", help="This agenda point and those below it (id, title, or part of them).", show_default=False)] = None,
    as_of: AsOfOption = None,
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """What is agreed, per agenda point: in which agreement, with which status since when, by whom, with sources."""
    from peacekb import agreements
    from peacekb.cli import agreement_views, markdown, output, rows as csv_rows

    s = Session(data, color)
    when = s.when(as_of, "--as-of")
    chosen = s.pick("issues", issue) if issue else None
    result = agreements.agreements(s.kb, chosen, when)
    output.emit(format, result, lambda: agreement_views.agreements_text(s.out, result, s.kb),
                lambda: markdown.agreements_markdown(result), lambda: csv_rows.agreements_rows(result))


@app.command("agreement")
def agreement_(
    name: Annotated[str, typer.Argument(metavar="AGREEMENT", help="Agreement id, title, or an unambiguous part of them.")],
    as_of: AsOfOption = None,
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """The card of one agreement: parties and how each stands, third parties, status history, votes, provisions, statements about it."""
    from peacekb import agreements
    from peacekb.cli import agreement_views, markdown, output, rows as csv_rows

    s = Session(data, color)
    when = s.when(as_of, "--as-of")
    ident = _pick_agreement(s, name)
    card = agreements.agreement_card(s.kb, ident, when)
    output.emit(format, card, lambda: agreement_views.agreement_text(s.out, card, s.kb),
                lambda: markdown.agreement_markdown(card), lambda: csv_rows.agreement_rows(card))


def _pick_agreement(s: Session, name: str) -> str:
    """The agreement ``name`` names, among agreements only (`final` is not the plebiscite on the
    final agreement); naming an event of another kind is a usage error that says so."""
    import dataclasses

    from peacekb.names import resolve

    agreements = dataclasses.replace(s.kb, events={i: e for i, e in s.kb.events.items() if e.kind == "agreement"})
    if not resolve(agreements, "events", name).found:
        other = resolve(s.kb, "events", name).found
        if other and not resolve(s.kb, "events", name).others:
            kind = s.kb.events[other].kind
            raise fail_usage(f"`{other}` is an event of kind `{kind}`, not an agreement (`peacekb agreements` lists them; `peacekb event {other}` shows it)")
    return Session._pick(agreements, "events", name)
