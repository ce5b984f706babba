"""Rendering of validation results: text for people, json for scripts, GitHub annotations."""

from __future__ import annotations

import json
import os
import sys
from itertools import groupby

from peacekb.cli.console import make_console
from peacekb.safe import safe
from peacekb.problems import Report
from peacekb.problems import Problem


_STYLE = {"error": "bold red", "warning": "yellow", "note": "blue"}


def problem_line(p: Problem) -> str:
    """`path:line:column: severity code: message`, on one line whatever the file name or the message
    hold: newlines, tabs and control, bidi or zero-width characters in them are shown escaped, so
    that data cannot forge another problem line or hide one."""
    return f"{safe(p.file, line=True)}:{p.line}:{p.column}: {p.severity} {p.code}: {safe(p.message, line=True)}"


def text_report(result: Report, color: str = "auto") -> None:
    """Problems on stdout, grouped by file, one `path:line:column: severity code: message` line each;
    the summary on stderr."""
    from rich.markup import escape

    out = make_console(color, soft_wrap=True)
    err = make_console(color, stderr=True, soft_wrap=True)
    fancy = out.is_terminal
    for file, problems in groupby(result.problems, key=lambda p: p.file):
        if fancy:
            out.print(f"[bold underline]{escape(safe(file, line=True))}[/]")
        for p in problems:
            if fancy:
                out.print(
                    f"[dim]{escape(safe(p.file, line=True))}:{p.line}:{p.column}:[/] [{_STYLE[p.severity]}]{p.severity}[/] "
                    f"[cyan]{p.code}[/]: {escape(safe(p.message, line=True))}"
                )
            else:
                out.print(escape(problem_line(p)), markup=True)
        if fancy:
            out.print()
    files = f"{result.files} file{'s' if result.files != 1 else ''}"
    root = escape(safe(str(result.root), line=True))
    notes = f"{result.notes} note{'s' if result.notes != 1 else ''}"
    if not result.errors and not result.warnings:
        err.print(f"[green]✓[/] {files} checked in {root}: no problems" + (f", {notes}" if result.notes else ""))
    else:
        parts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in ((result.errors, "error"), (result.warnings, "warning"), (result.notes, "note")) if n]
        style = "red" if result.errors else "yellow"
        err.print(f"[{style}]✗[/] {files} checked in {root}: {', '.join(parts)}")


def json_report(result: Report) -> None:
    sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")


def _escape_data(text: str) -> str:
    """A workflow command's data: `%`, CR and LF percent-encoded, as GitHub reads them; control and
    bidi characters escaped (GitHub's log shows ANSI colours)."""
    return safe(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "note": "notice"}


def github_annotation(p: Problem) -> str:
    return (
        f"::{_GITHUB_LEVEL[p.severity]} file={_escape_property(p.file)},line={p.line},col={p.column},"
        f"title={_escape_property('peacekb ' + p.code)}::{_escape_data(p.message)}"
    )


GITHUB_LIMIT = 10  # GitHub shows at most this many error (and warning) annotations per step


def github_report(result: Report) -> None:
    """Annotations for GitHub Actions, at most GITHUB_LIMIT of each severity (GitHub drops the rest);
    when there are more, a notice says so, and the full report goes to the job summary."""
    shown = {"error": 0, "warning": 0, "note": 0}
    for p in result.problems:
        if shown[p.severity] < GITHUB_LIMIT:
            sys.stdout.write(github_annotation(p) + "\n")
            shown[p.severity] += 1
    hidden = len(result.problems) - sum(shown.values())
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if hidden:
        where = "the job summary" if summary_file else "`peacekb validate` output"
        sys.stdout.write(f"::notice title=peacekb::{hidden} more problems are not annotated (GitHub shows at most {GITHUB_LIMIT} per step); the full report is in {where}\n")
    if summary_file:
        from peacekb.cli import job_summary

        job_summary.append(markdown_report(result))
    summary = f"peacekb: {result.files} files checked, {result.errors} errors, {result.warnings} warnings, {result.notes} notes"
    print(summary, file=sys.stderr)


def markdown_report(result: Report) -> str:
    """The whole validation report as markdown (for a job summary or a pull-request comment)."""
    from peacekb.cli.output import md_code, md_table

    head = f"### peacekb validate: {result.errors} errors, {result.warnings} warnings, {result.notes} notes in {result.files} files"
    if not result.problems:
        return head + "\n\nNo problems."
    rows = [[md_code(f"{p.file}:{p.line}:{p.column}"), p.severity, md_code(p.code), p.message] for p in result.problems]
    return head + "\n\n" + md_table(["where", "severity", "code", "message"], rows)
