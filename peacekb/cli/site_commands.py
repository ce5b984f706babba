"""`peacekb site OUT/` and `peacekb chart ISSUE -o FILE.svg`: the knowledge base published as a static website, and one chart for a report."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from peacekb.cli import complete
from peacekb.cli.app import Color, DataOption, Session, app, checked_kb, fail_usage


def _base_url(value: str | None) -> str | None:
    if value is None:
        return None
    if not re.fullmatch(r"https?://[^\s\"'<>\\]+", value):
        raise fail_usage(f"--base-url: `{value}` is not an http(s) address (e.g. https://example.org/peacekb/)")
    return value if value.endswith("/") else value + "/"


@app.command()
def site(
    out: Annotated[str, typer.Argument(metavar="OUT", help="The folder to write the site into: new, empty, or a site built before (it is replaced).")],
    base_url: Annotated[Optional[str], typer.Option("--base-url", metavar="URL", help="Where the site will be published (e.g. https://example.org/peacekb/): canonical addresses and permalinks use it.", show_default=False)] = None,
    data: DataOption = None,
) -> None:
    """A static website of the knowledge base: a page per issue (positions, evidence, a chart of stances over time, the timeline), round, actor, agreement and source.

    Links are relative, so the site opens from the folder (file://) and from any sub-path; it needs
    nothing from elsewhere (no fonts, scripts or styles from other sites). Serve it with, e.g.,
    `python -m http.server -d OUT`.
    """
    from peacekb.site.build import SiteError, build, check_target

    base = _base_url(base_url)
    path = Path(out)
    try:
        check_target(path)
    except SiteError as exc:
        raise fail_usage(str(exc)) from None
    kb = checked_kb(data, "publishing")
    try:
        built = build(kb, path, base)
    except SiteError as exc:
        raise fail_usage(str(exc)) from None
    except OSError as exc:
        print(f"peacekb: cannot write {path}: {exc.strerror or exc}; nothing written", file=sys.stderr)
        raise typer.Exit(1) from None
    print(f"wrote {path}: {built.pages} pages, {len(built.files)} files", file=sys.stderr)


@app.command()
def chart(
    issue: Annotated[str, typer.Argument(metavar="ISSUE", help="Issue id, title, or an unambiguous part of them.", autocompletion=complete.issues)],
    output: Annotated[str, typer.Option("--output", "-o", metavar="FILE", help="The SVG file to write; `-` for stdout.")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    data: DataOption = None,
) -> None:
    """The chart of stances over time on an issue, as an SVG file for a report: a lane per holder, each stance a span, each statement a mark, the rounds as lines."""
    from peacekb import queries
    from peacekb.site import charts

    s = Session(data, Color.never)
    ident = s.pick("issues", issue)
    block = queries.positions(s.kb, ident)[0]
    card = queries.issue_card(s.kb, ident, table=[block])
    rows = {r.id: r for r in queries.rounds_overview(s.kb)}
    rounds = [charts.RoundLine(r.id, r.name, rows[r.id].start) for r in card.rounds if r.id in rows]
    # the positions' steps on the issue itself (an agreement's status change is no mark of a holder)
    entries = [e for e in queries.timeline(s.kb, issue=ident, every=True) if isinstance(e, queries.TimelineEntry) and e.issue == ident]
    svg = charts.standalone(charts.stance_svg(charts.stance_chart(block, card.stances, entries, rounds), lambda _: None))
    if output == "-":
        sys.stdout.write(svg)
        return
    from peacekb.export import ExportError, check_target, write_bytes

    try:
        check_target(Path(output), force)
        write_bytes(Path(output), svg.encode("utf-8"))
    except ExportError as exc:
        raise fail_usage(str(exc)) from None
    except OSError as exc:
        print(f"peacekb: cannot write {output}: {exc.strerror or exc}; nothing written", file=sys.stderr)
        raise typer.Exit(1) from None
    print(f"wrote {output}", file=sys.stderr)
