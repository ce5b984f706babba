"""Commands that compare positions: diff (parties, moments, revisions), changes, matrix."""

from __future__ import annotations

import os
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
    parse_date,
    resolve_data,
)
from peacekb.cli import complete
from peacekb.cli.output import Format


def _moment(s: Session, text: str, option: str):
    """A --from/--to/--since value: a date, else a round (positions as they stood after it)."""
    from peacekb import compare

    import re

    found = compare.moment(s.kb, text)
    if found is not None:
        return found
    if re.match(r"^\d{4}(-|$)", text.strip()):  # meant as a date, but not one
        parse_date(text, option)
    return compare.after_round(s.kb, s.pick("rounds", text))


@app.command()
def diff(
    a: Annotated[Optional[str], typer.Argument(metavar="[A]", help="A party, person or organisation.", show_default=False, autocompletion=complete.actors)] = None,
    b: Annotated[Optional[str], typer.Argument(metavar="[B]", help="The one to compare it with.", show_default=False, autocompletion=complete.actors)] = None,
    as_of: AsOfOption = None,
    issue_: Annotated[Optional[str], typer.Option("--issue", help="Only this issue and those below it.", show_default=False, autocompletion=complete.issues)] = None,
    from_: Annotated[Optional[str], typer.Option("--from", metavar="WHEN", help="Compare positions at this date or after this round ...", show_default=False)] = None,
    to: Annotated[Optional[str], typer.Option("--to", metavar="WHEN", help="... with positions at this date or after this round (default: today).", show_default=False)] = None,
    rev: Annotated[Optional[str], typer.Option("--rev", metavar="BASE[..HEAD]", help="Compare the knowledge base at two git revisions, BASE..HEAD, or BASE and the working tree.", show_default=False)] = None,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Exit 1 when there are differences (or changes), as `git diff --exit-code`.")] = False,
    job_summary: Annotated[bool, typer.Option("--job-summary", help="With --rev: also append the markdown report to the GitHub job summary ($GITHUB_STEP_SUMMARY), cut to the 1 MiB GitHub keeps.")] = False,
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """Where two parties differ, what changed between two moments, or in meaning between two git revisions.

    diff A B compares two parties; diff --from WHEN [--to WHEN] two moments; diff --rev BASE[..HEAD]
    two revisions of the knowledge base (or a revision and the working tree).

    WHEN is a date (YYYY-MM-DD, YYYY-MM or YYYY) or a round: positions as they stood after it.
    Exit 0 when the command ran, whatever it found; with --exit-code, 1 when there are differences.
    """
    from peacekb import compare
    from peacekb.cli import markdown, output, rows as csv_rows, views

    if rev is not None:
        if a is not None or from_ or to or as_of or issue_:
            raise fail_usage("--rev compares revisions; it takes no parties, --from/--to, --as-of or --issue")
        found = _show_revisions(data, rev, format, color, job_summary)
        raise typer.Exit(1 if exit_code and found else 0)
    if job_summary:
        raise fail_usage("--job-summary goes with --rev (the changes in meaning of a pull request)")
    if (a is None) != (b is None):
        raise fail_usage("diff needs two parties (diff A B) or two moments (diff --from WHEN [--to WHEN])")
    if a is None and from_ is None:
        raise fail_usage("diff needs two parties (diff A B) or two moments (diff --from WHEN [--to WHEN])")
    if a is not None and (from_ or to):
        raise fail_usage("give either two parties or --from/--to, not both")
    if a is not None:
        from peacekb import queries
        from peacekb.cache import Wanted

        def select(kb):
            chosen = (Session._pick(kb, "actors", a), Session._pick(kb, "actors", b), Session._pick(kb, "issues", issue_) if issue_ else None)
            scope = [i for i, _ in queries.issue_tree(kb, chosen[2])] if chosen[2] else None
            return chosen, Wanted(issues=scope, actors=list(chosen[:2]))

        s = Session(data, color, select=select)
        when = s.when(as_of, "--as-of")
        result = compare.diff_parties(s.kb, *s.chosen[:2], when, s.chosen[2])
        output.emit(format, result, lambda: views.party_diff_text(s.out, s.colours, result),
                    lambda: markdown.party_diff_markdown(result), lambda: csv_rows.party_diff_rows(result))
        found = result.differs
    else:
        if as_of or issue_:
            raise fail_usage("--as-of and --issue apply to a diff of two parties")
        found = _show_changes(Session(data, color), from_, to, format)
    raise typer.Exit(1 if exit_code and found else 0)


def _show_revisions(data: str | None, spec: str, format: Format, color: Color, job_summary: bool = False) -> bool:
    from peacekb.cli import markdown, output, rows as csv_rows, views
    from peacekb.cli.console import make_console
    from peacekb.loader import load
    from rich.markup import escape

    from peacekb.revisions import RevisionError, load_at, revision_range, summary
    from peacekb.semdiff import semantic_diff

    if job_summary and not os.environ.get("GITHUB_STEP_SUMMARY"):
        raise fail_usage("--job-summary: $GITHUB_STEP_SUMMARY is not set (GitHub Actions sets it in each step)")
    root_dir = resolve_data(data)
    try:
        base_rev, head_rev, base_label = revision_range(root_dir, spec)
        base = load_at(root_dir, base_rev)
        head = load_at(root_dir, head_rev) if head_rev else load(root_dir)
    except (RevisionError, ValueError) as exc:
        raise fail_usage(str(exc)) from None
    err = make_console(color.value, stderr=True)
    warnings = [summary(r, label, root_dir) for label, r in ((base_label, base), (head_rev or "working tree", head)) if r.errors]
    for line in warnings:
        err.print(f"[yellow]warning:[/] {escape(line)}", highlight=False)
    result = semantic_diff(base.kb, head.kb, base_label, head_rev or "working tree")
    result.warnings = warnings
    out = make_console(color.value)
    output.emit(format, result, lambda: views.semdiff_text(out, result), lambda: markdown.semdiff_markdown(result), lambda: csv_rows.semdiff_rows(result))
    if job_summary:
        from peacekb.cli import job_summary as summary_file

        summary_file.append(markdown.semdiff_markdown(result))
    return not result.empty


def _show_changes(s: Session, start: str, end: str | None, format: Format) -> bool:
    from peacekb import compare, queries
    from peacekb.cli import markdown, output, rows as csv_rows, views

    start_label, start_date = _moment(s, start, "--from")
    end_label, end_date = _moment(s, end, "--to") if end else ("today", queries.today())
    if end_date.latest < start_date.counts_from:
        print(f"peacekb: note: {end_label} comes before {start_label}; showing how positions differ going back", file=sys.stderr)
    report = compare.changes(s.kb, start_date, end_date, start_label, end_label)
    output.emit(format, report, lambda: views.changes_text(s.out, s.colours, report),
                lambda: markdown.changes_markdown(report), lambda: csv_rows.changes_rows(report))
    return bool(report.changes)


@app.command()
def changes(
    since: Annotated[str, typer.Option("--since", metavar="WHEN", help="A date, or a round: positions as they stood after it.")],
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Exit 1 when a position changed.")] = False,
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """What changed since a date or a round, up to today (short for diff --from WHEN)."""
    s = Session(data, color)
    found = _show_changes(s, since, None, format)
    raise typer.Exit(1 if exit_code and found else 0)


@app.command()
def matrix(
    as_of: AsOfOption = None,
    issues_: Annotated[Optional[list[str]], typer.Option("--issues", help="Issues to show (with those below them); repeat or separate with commas.", show_default=False, autocompletion=complete.issues)] = None,
    parties: Annotated[Optional[list[str]], typer.Option("--parties", help="Parties to show; repeat or separate with commas (default: the parties at the table).", show_default=False, autocompletion=complete.actors)] = None,
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """Where is there common ground: issues down, parties across, each row converging, diverging or open."""
    from peacekb import compare
    from peacekb.cache import Wanted
    from peacekb.cli import markdown, output, rows as csv_rows, views


    def picked(kb, kind: str, values: list[str] | None) -> list[str] | None:
        """The ids named in repeated, comma-separated option values; None when none were given."""
        return [Session._pick(kb, kind, n.strip()) for v in values or [] for n in v.split(",") if n.strip()] or None

    def select(kb):
        return (picked(kb, "issues", issues_), picked(kb, "actors", parties)), Wanted()

    s = Session(data, color, select=select)
    when = s.when(as_of, "--as-of")
    result = compare.matrix(s.kb, when, *s.chosen)
    output.emit(format, result, lambda: views.matrix_text(s.out, s.colours, result),
                lambda: markdown.matrix_markdown(result), lambda: csv_rows.matrix_rows(result))
