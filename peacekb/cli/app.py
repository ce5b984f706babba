"""The `peacekb` command. Heavy modules are imported inside commands, so --help stays fast."""

from __future__ import annotations

import enum
import os
import sys
from typing import Annotated, Optional

import typer

from peacekb import __version__

app = typer.Typer(
    name="peacekb",
    help="A knowledge base of peace negotiations, kept as plain YAML in git.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class ValidateFormat(str, enum.Enum):
    auto = "auto"
    text = "text"
    json = "json"
    github = "github"


class Color(str, enum.Enum):
    auto = "auto"
    always = "always"
    never = "never"


DataOption = Annotated[
    Optional[str],
    typer.Option("--data", "-d", help="Knowledge base folder (default: $PEACEKB_DATA, else the nearest `data` folder upwards).", show_default=False),
]
ColorOption = Annotated[Color, typer.Option("--color", help="Colour on a terminal (auto), always, or never. NO_COLOR is respected.")]


def _version(value: bool) -> None:
    if value:
        print(f"peacekb {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """A knowledge base of peace negotiations, kept as plain YAML in git.

    Exit codes: 0 clean, 1 problems found, 2 usage error.
    """


def fail_usage(message: str) -> typer.Exit:
    """Print a usage error to stderr and return the exit to raise (code 2)."""
    print(f"peacekb: {message}", file=sys.stderr)
    return typer.Exit(2)


def resolve_data(data: str | None):
    from peacekb.datadir import DataDirError, find_data_dir

    try:
        return find_data_dir(data)
    except DataDirError as exc:
        raise fail_usage(str(exc)) from None


@app.command()
def validate(
    data: DataOption = None,
    format: Annotated[
        ValidateFormat,
        typer.Option("--format", "-f", help="text for people, json for scripts, github for GitHub Actions annotations; auto picks github when GITHUB_ACTIONS=true, else text."),
    ] = ValidateFormat.auto,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Check everything again, ignoring the report cached for unchanged files.")] = False,
    color: ColorOption = Color.auto,
) -> None:
    """Check every file of the knowledge base and report each problem at its file, line and column.

    Exit 0 when there is no error (warnings are shown but pass unless --strict), 1 when problems are found.
    The report of an unchanged knowledge base is reused from the user's cache directory ($PEACEKB_CACHE_DIR,
    else $XDG_CACHE_HOME/peacekb, else ~/.cache/peacekb); --no-cache checks everything again.
    """
    from peacekb import cache
    from peacekb.cli import report

    root_dir = resolve_data(data)
    result = cache.validate(root_dir, use_cache=not no_cache)
    chosen = format.value
    if chosen == "auto":
        chosen = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if chosen == "json":
        report.json_report(result)
    elif chosen == "github":
        report.github_report(result)
    else:
        report.text_report(result, color=color.value)
    failed = result.errors > 0 or (strict and result.warnings > 0)
    raise typer.Exit(1 if failed else 0)


# --- query commands -------------------------------------------------------------------------------

from peacekb.cli.output import Format  # noqa: E402  (light: no models, no YAML)

FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", help="text for people; json or yaml (everything shown, with ids), csv (one row per record), markdown (for reports and pull requests)."),
]
AsOfOption = Annotated[Optional[str], typer.Option("--as-of", help="Positions as they stood on this date (YYYY-MM-DD, YYYY-MM or YYYY).", show_default=False)]


class Session:
    """What every query command needs: the loaded knowledge base, consoles, stance colours."""

    def __init__(self, data: str | None, color: Color) -> None:
        from peacekb.cli.console import make_console
        from peacekb.cli.views import Colours
        from peacekb.loader import load

        import gc

        root_dir = resolve_data(data)
        result = load(root_dir)
        gc.freeze()  # the knowledge base lives as long as the command: keep the collector off it
        self.kb = result.kb
        self.out = make_console(color.value)
        self.err = make_console(color.value, stderr=True)
        self.colours = Colours(self.kb)
        if result.errors:
            self.err.print(
                f"[yellow]warning:[/] the knowledge base in {root_dir} has {result.errors} error(s); "
                "answers may be incomplete (run `peacekb validate`)"
            )

    def pick(self, kind: str, query: str) -> str:
        """The id that ``query`` names, or a usage error that lists the matches or the nearest names."""
        from peacekb.names import KIND_WORDS, resolve

        found = resolve(self.kb, kind, query)
        word = KIND_WORDS[kind]
        if found.found:
            if found.others:
                others = "; ".join(f"{c.id} ({c.detail})" for c in found.others)
                print(f"peacekb: `{query}` matches several {kind}; showing the latest, {found.found}. Also: {others}", file=sys.stderr)
            return found.found
        if found.candidates:
            lines = "\n".join(f"  {c.id:<32} {c.label}" + (f"  ({c.detail})" if c.detail else "") for c in found.candidates)
            raise fail_usage(f"`{query}` matches several {kind}; name one by a longer name or its id:\n{lines}")
        hint = ""
        if found.suggestions:
            hint = "; did you mean " + " or ".join(f"`{c.id}`" for c in found.suggestions) + "?"
        raise fail_usage(f"no {word} matches `{query}`{hint} (`peacekb {kind}` lists them)")


def parse_date(text: str | None, option: str):
    from peacekb.queries import parse_as_of

    try:
        return parse_as_of(text)
    except ValueError as exc:
        raise fail_usage(f"{option}: {exc}") from None


@app.command()
def positions(
    issue: Annotated[str, typer.Argument(help="Issue id, title, or an unambiguous part of them.")],
    as_of: AsOfOption = None,
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """Where every party stands on an issue and its sub-issues: stance, since when, who voiced it, evidence."""
    from peacekb import queries
    from peacekb.cli import output, views

    when = parse_date(as_of, "--as-of")
    s = Session(data, color)
    result = queries.positions(s.kb, s.pick("issues", issue), when)
    output.emit(format, result, lambda: views.positions_text(s.out, s.colours, result, s.kb),
                lambda: views.positions_markdown(result), lambda: views.positions_rows(result))


@app.command("round")
def round_(
    name: Annotated[str, typer.Argument(metavar="ROUND", help="Round id, title, place, or an unambiguous part of them.")],
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """The briefing card of a round: dates, venue, delegations, agenda, positions, outcomes, quotes, sources."""
    from peacekb import queries
    from peacekb.cli import output, views

    s = Session(data, color)
    card = queries.round_card(s.kb, s.pick("rounds", name))
    output.emit(format, card, lambda: views.round_text(s.out, s.colours, card),
                lambda: views.round_markdown(card), lambda: views.round_rows(card))


@app.command()
def rounds(data: DataOption = None, format: FormatOption = Format.text, color: ColorOption = Color.auto) -> None:
    """Every round, summit and meeting in order."""
    from peacekb import queries
    from peacekb.cli import output, views

    s = Session(data, color)
    rows = queries.rounds_overview(s.kb)
    output.emit(format, rows, lambda: views.rounds_text(s.out, rows), lambda: views.rounds_markdown(rows), lambda: views.rounds_table(rows))


@app.command()
def actors(data: DataOption = None, format: FormatOption = Format.text, color: ColorOption = Color.auto) -> None:
    """Every actor: states, persons, organisations."""
    from peacekb import queries
    from peacekb.cli import output, views

    s = Session(data, color)
    rows = queries.actors_overview(s.kb)
    output.emit(format, rows, lambda: views.actors_text(s.out, rows), lambda: views.actors_markdown(rows), lambda: views.actors_table(rows))


@app.command()
def actor(
    name: Annotated[str, typer.Argument(metavar="ACTOR", help="Actor id, name, alias, or an unambiguous part of them.")],
    as_of: AsOfOption = None,
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """An actor's roles over time and positions on every issue, with the evidence."""
    from peacekb import queries
    from peacekb.cli import output, views

    when = parse_date(as_of, "--as-of")
    s = Session(data, color)
    card = queries.actor_card(s.kb, s.pick("actors", name), when)
    output.emit(format, card, lambda: views.actor_text(s.out, s.colours, card),
                lambda: views.actor_markdown(card), lambda: views.actor_rows(card))


@app.command()
def issues(as_of: AsOfOption = None, data: DataOption = None, format: FormatOption = Format.text, color: ColorOption = Color.auto) -> None:
    """The issue tree, with each issue's stances and who holds them."""
    from peacekb import queries
    from peacekb.cli import output, views

    when = parse_date(as_of, "--as-of")
    s = Session(data, color)
    rows = queries.issues_overview(s.kb, when)
    output.emit(format, rows, lambda: views.issues_text(s.out, s.colours, rows), lambda: views.issues_markdown(rows), lambda: views.issues_table(rows))


@app.command()
def issue(
    name: Annotated[str, typer.Argument(metavar="ISSUE", help="Issue id, title, or an unambiguous part of them.")],
    as_of: AsOfOption = None,
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """An issue: description, stances, and who holds each."""
    from peacekb import queries
    from peacekb.cli import output, views

    when = parse_date(as_of, "--as-of")
    s = Session(data, color)
    card = queries.issue_card(s.kb, s.pick("issues", name), when)
    output.emit(format, card, lambda: views.issue_text(s.out, s.colours, card),
                lambda: views.issue_markdown(card), lambda: views.issue_rows(card))


@app.command("statements")
def statements_(
    actor_: Annotated[Optional[str], typer.Option("--actor", help="Said by this actor, or for this party.", show_default=False)] = None,
    holder: Annotated[Optional[str], typer.Option("--holder", help="Describing this actor's position.", show_default=False)] = None,
    issue_: Annotated[Optional[str], typer.Option("--issue", help="On this issue or one below it.", show_default=False)] = None,
    round_name: Annotated[Optional[str], typer.Option("--round", help="Made in connection with this round.", show_default=False)] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="On or after this date.", show_default=False)] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="On or before this date.", show_default=False)] = None,
    text: Annotated[Optional[str], typer.Option("--text", help="Words that must all appear in a quote or the summary.", show_default=False)] = None,
    retracted: Annotated[bool, typer.Option("--include-retracted", help="Include statements marked retracted.")] = False,
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """Statements, oldest first, filtered by actor, holder, issue, round, dates and words."""
    from peacekb import queries
    from peacekb.cli import output, views

    where = queries.StatementFilter(since=parse_date(since, "--since"), until=parse_date(until, "--until"), text=text, include_retracted=retracted)
    s = Session(data, color)
    where.actor = s.pick("actors", actor_) if actor_ else None
    where.holder = s.pick("actors", holder) if holder else None
    where.issue = s.pick("issues", issue_) if issue_ else None
    where.round = s.pick("rounds", round_name) if round_name else None
    rows = queries.statements(s.kb, where)
    output.emit(format, rows, lambda: views.statements_text(s.out, s.colours, rows),
                lambda: views.statements_markdown(rows), lambda: views.statements_rows(rows))


@app.command()
def timeline(
    name: Annotated[str, typer.Argument(metavar="ISSUE|ACTOR", help="An issue or an actor, by id, name or an unambiguous part.")],
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """How positions moved over time on an issue, or an actor's, in order."""
    from peacekb import queries
    from peacekb.cli import output, views
    from peacekb.names import resolve

    s = Session(data, color)
    as_issue, as_actor = resolve(s.kb, "issues", name), resolve(s.kb, "actors", name)
    if as_issue.found and as_actor.found:
        raise fail_usage(f"`{name}` names both the issue `{as_issue.found}` and the actor `{as_actor.found}`: give the id")
    if as_issue.found or (as_issue.candidates and not as_actor.found):
        entries = queries.timeline(s.kb, issue=s.pick("issues", name))
    elif as_actor.found or as_actor.candidates:
        entries = queries.timeline(s.kb, actor=s.pick("actors", name))
    else:
        near = [c.id for c in as_issue.suggestions + as_actor.suggestions]
        hint = "; did you mean " + " or ".join(f"`{n}`" for n in near) + "?" if near else ""
        raise fail_usage(f"no issue or actor matches `{name}`{hint}")
    output.emit(format, entries, lambda: views.timeline_text(s.out, s.colours, entries),
                lambda: views.timeline_markdown(entries), lambda: views.timeline_rows(entries))


# --- comparisons ----------------------------------------------------------------------------------


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
    a: Annotated[Optional[str], typer.Argument(metavar="[A]", help="A party, person or organisation.", show_default=False)] = None,
    b: Annotated[Optional[str], typer.Argument(metavar="[B]", help="The one to compare it with.", show_default=False)] = None,
    as_of: AsOfOption = None,
    issue_: Annotated[Optional[str], typer.Option("--issue", help="Only this issue and those below it.", show_default=False)] = None,
    from_: Annotated[Optional[str], typer.Option("--from", help="Compare positions at this date or after this round ...", show_default=False)] = None,
    to: Annotated[Optional[str], typer.Option("--to", help="... with positions at this date or after this round (default: today).", show_default=False)] = None,
    rev: Annotated[Optional[str], typer.Option("--rev", help="Compare the knowledge base at two git revisions, BASE..HEAD, or BASE and the working tree.", show_default=False)] = None,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Exit 1 when there are differences (or changes), as `git diff --exit-code`.")] = False,
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """Where two parties differ (diff A B), what changed between two moments (diff --from WHEN --to WHEN),
    or what changed in meaning between two git revisions (diff --rev BASE[..HEAD]).

    WHEN is a date (YYYY-MM-DD, YYYY-MM or YYYY) or a round: positions as they stood after it.
    Exit 0 when the command ran, whatever it found; with --exit-code, 1 when there are differences.
    """
    from peacekb import compare
    from peacekb.cli import output, views

    if rev is not None:
        if a is not None or from_ or to or as_of or issue_:
            raise fail_usage("--rev compares revisions; it takes no parties, --from/--to, --as-of or --issue")
        found = _show_revisions(data, rev, format, color)
        raise typer.Exit(1 if exit_code and found else 0)
    if (a is None) != (b is None):
        raise fail_usage("diff needs two parties (diff A B) or two moments (diff --from WHEN [--to WHEN])")
    if a is None and from_ is None:
        raise fail_usage("diff needs two parties (diff A B) or two moments (diff --from WHEN [--to WHEN])")
    if a is not None and (from_ or to):
        raise fail_usage("give either two parties or --from/--to, not both")
    when = parse_date(as_of, "--as-of")
    s = Session(data, color)
    if a is not None:
        result = compare.diff_parties(s.kb, s.pick("actors", a), s.pick("actors", b), when, s.pick("issues", issue_) if issue_ else None)
        output.emit(format, result, lambda: views.party_diff_text(s.out, s.colours, result),
                    lambda: views.party_diff_markdown(result), lambda: views.party_diff_rows(result))
        found = result.differs
    else:
        if as_of or issue_:
            raise fail_usage("--as-of and --issue apply to a diff of two parties")
        found = _show_changes(s, from_, to, format)
    raise typer.Exit(1 if exit_code and found else 0)


def _show_revisions(data: str | None, spec: str, format: Format, color: Color) -> bool:
    from peacekb.cli import output, views
    from peacekb.cli.console import make_console
    from peacekb.loader import load
    from peacekb.revisions import RevisionError, load_at
    from peacekb.semdiff import semantic_diff

    root_dir = resolve_data(data)
    base_rev, dots, head_rev = spec.partition("..")
    if not base_rev or (dots and not head_rev):
        raise fail_usage(f"--rev {spec}: write BASE..HEAD, or BASE to compare with the working tree")
    try:
        base = load_at(root_dir, base_rev)
        head = load_at(root_dir, head_rev) if head_rev else load(root_dir)
    except RevisionError as exc:
        raise fail_usage(str(exc)) from None
    err = make_console(color.value, stderr=True)
    for label, result in ((base_rev, base), (head_rev or "working tree", head)):
        if result.errors:
            err.print(f"[yellow]warning:[/] the knowledge base at {label} has {result.errors} error(s); run `peacekb validate` there")
    result = semantic_diff(base.kb, head.kb, base_rev, head_rev or "working tree")
    out = make_console(color.value)
    output.emit(format, result, lambda: views.semdiff_text(out, result), lambda: views.semdiff_markdown(result), lambda: views.semdiff_rows(result))
    return not result.empty


def _show_changes(s: Session, start: str, end: str | None, format: Format) -> bool:
    from peacekb import compare, queries
    from peacekb.cli import output, views

    start_label, start_date = _moment(s, start, "--from")
    end_label, end_date = _moment(s, end, "--to") if end else ("today", queries.today())
    if end_date.latest < start_date.earliest:
        print(f"peacekb: note: {end_label} comes before {start_label}; showing how positions differ going back", file=sys.stderr)
    report = compare.changes(s.kb, start_date, end_date, start_label, end_label)
    output.emit(format, report, lambda: views.changes_text(s.out, s.colours, report),
                lambda: views.changes_markdown(report), lambda: views.changes_rows(report))
    return bool(report.changes)


@app.command()
def changes(
    since: Annotated[str, typer.Option("--since", help="A date, or a round: positions as they stood after it.")],
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
    issues_: Annotated[Optional[list[str]], typer.Option("--issues", help="Issues to show (with those below them); repeat or separate with commas.", show_default=False)] = None,
    parties: Annotated[Optional[list[str]], typer.Option("--parties", help="Parties to show; repeat or separate with commas (default: the parties at the table).", show_default=False)] = None,
    data: DataOption = None,
    format: FormatOption = Format.text,
    color: ColorOption = Color.auto,
) -> None:
    """Where is there common ground: issues down, parties across, each row converging, diverging or open."""
    from peacekb import compare
    from peacekb.cli import output, views

    when = parse_date(as_of, "--as-of")
    s = Session(data, color)
    chosen_issues = [s.pick("issues", n.strip()) for v in issues_ or [] for n in v.split(",") if n.strip()] or None
    chosen_parties = [s.pick("actors", n.strip()) for v in parties or [] for n in v.split(",") if n.strip()] or None
    result = compare.matrix(s.kb, when, chosen_issues, chosen_parties)
    output.emit(format, result, lambda: views.matrix_text(s.out, s.colours, result),
                lambda: views.matrix_markdown(result), lambda: views.matrix_rows(result))


@app.command("schema")
def schema_(
    out: Annotated[Optional[str], typer.Option("--out", "-o", metavar="DIR", help="Folder to write to (default: `schemas/` beside the knowledge base folder, i.e. in its parent).", show_default=False)] = None,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; list the schema files that are missing or out of date on stderr and exit 1 if there are any.")] = False,
    data: DataOption = None,
) -> None:
    """Write the JSON Schemas of the record files, for editors (yaml-language-server) and CI.

    One file per kind of record, <kind>.schema.json (actor, issue, round, source, event), generated from peacekb/models.py. Without --out they go to `schemas/` beside the knowledge base folder (found through --data, $PEACEKB_DATA or the nearest `data` folder upwards): data/ gives schemas/. Only files that change are written, each through a temporary file.

    Exit 0 when written or, with --check, current; 1 when --check finds files missing or out of date.
    """
    from pathlib import Path

    from peacekb import schema as schema_files

    # the parent of `..` is `../..`, not `.`: join and normalise rather than Path.parent
    folder = Path(out) if out is not None else Path(os.path.normpath(os.path.join(resolve_data(data), os.pardir, "schemas")))
    if folder.exists() and not folder.is_dir():
        raise fail_usage(f"--out {folder}: not a folder")
    if check:
        outdated = schema_files.stale(folder)
        for name, reason in outdated:
            print(f"{folder / name}: {reason}", file=sys.stderr)
        if outdated:
            again = "peacekb schema" + (f" --out {out}" if out is not None else "")
            print(f"✗ {len(outdated)} of {len(schema_files.NAMES)} schema files in {folder} need writing: run `{again}`", file=sys.stderr)
            raise typer.Exit(1)
        print(f"✓ {len(schema_files.NAMES)} schema files in {folder} are current", file=sys.stderr)
        raise typer.Exit(0)
    try:
        written = schema_files.write(folder)
    except OSError as exc:
        raise fail_usage(f"cannot write the schemas to {folder}: {exc.strerror or exc}") from None
    if written:
        print(f"wrote {', '.join(str(folder / name) for name in written)}", file=sys.stderr)
    else:
        print(f"✓ {len(schema_files.NAMES)} schema files in {folder} are current; nothing written", file=sys.stderr)


# --- writing ----------------------------------------------------------------------------------------


class NewKind(str, enum.Enum):
    actor = "actor"
    issue = "issue"
    round = "round"
    source = "source"
    statement = "statement"


Many = Optional[list[str]]


@app.command()
def new(
    kind: Annotated[NewKind, typer.Argument(help="What to create.")],
    id: Annotated[Optional[str], typer.Option("--id", help="The record's id (default: made from its name, title or summary).", show_default=False)] = None,
    name: Annotated[Optional[str], typer.Option("--name", help="actor: the name most sources use.", show_default=False)] = None,
    actor_kind: Annotated[Optional[str], typer.Option("--actor-kind", help="actor: state, person, organisation, coalition or other.", show_default=False)] = None,
    alias: Annotated[Many, typer.Option("--alias", help="actor: another name or spelling (repeatable).", show_default=False)] = None,
    country: Annotated[Optional[str], typer.Option("--country", help="actor: ISO 3166-1 alpha-2 code.", show_default=False)] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="issue, round, source: the title.", show_default=False)] = None,
    parent: Annotated[Optional[str], typer.Option("--parent", help="issue: the broader issue.", show_default=False)] = None,
    stance: Annotated[Many, typer.Option("--stance", help="issue: a stance as `id: label` (repeatable).", show_default=False)] = None,
    start: Annotated[Optional[str], typer.Option("--start", help="round: first day.", show_default=False)] = None,
    end: Annotated[Optional[str], typer.Option("--end", help="round: last day.", show_default=False)] = None,
    location: Annotated[Optional[str], typer.Option("--location", help="round: city and country.", show_default=False)] = None,
    mediator: Annotated[Many, typer.Option("--mediator", help="round: a mediator (repeatable).", show_default=False)] = None,
    url: Annotated[Optional[str], typer.Option("--url", help="source: the page's address.", show_default=False)] = None,
    publisher: Annotated[Optional[str], typer.Option("--publisher", help="source: the outlet.", show_default=False)] = None,
    round_name: Annotated[Optional[str], typer.Option("--round", help="statement: the round (or event) whose file holds it.", show_default=False)] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="statement: when it was said (YYYY-MM-DD, YYYY-MM, YYYY).", show_default=False)] = None,
    speaker: Annotated[Optional[str], typer.Option("--speaker", help="statement: who spoke (absent when no one is named).", show_default=False)] = None,
    party: Annotated[Optional[str], typer.Option("--party", help="statement: whom the speaker spoke for.", show_default=False)] = None,
    holder: Annotated[Optional[str], typer.Option("--holder", help="statement: whose position it describes, where not the party's.", show_default=False)] = None,
    attribution: Annotated[Optional[str], typer.Option("--attribution", help="statement: direct-quote, paraphrase or reported.", show_default=False)] = None,
    issue_: Annotated[Many, typer.Option("--issue", help="statement: an issue it concerns (repeatable).", show_default=False)] = None,
    takes: Annotated[Many, typer.Option("--takes", help="statement: a stance taken, as `issue=stance` (repeatable).", show_default=False)] = None,
    quote: Annotated[Optional[str], typer.Option("--quote", help="statement: the words exactly as the source prints them.", show_default=False)] = None,
    summary: Annotated[Optional[str], typer.Option("--summary", help="statement: a short summary in your own words.", show_default=False)] = None,
    channel: Annotated[Optional[str], typer.Option("--channel", help="statement: press conference, social media, ...", show_default=False)] = None,
    source: Annotated[Many, typer.Option("--source", help="statement: a source id (repeatable; the first is the quote's).", show_default=False)] = None,
    data: DataOption = None,
) -> None:
    """Create a valid record from options, asking for what is missing on a terminal.

    The record goes into its own file (a statement into its round's file, appended, the rest of the
    file kept as it was); the whole knowledge base is checked with it before anything is written,
    and the write is atomic. Exit 0 when written, 1 when the record would have problems, 2 on a
    usage error.
    """
    from peacekb.cli.console import make_console
    from peacekb.create import CreateError, add_statement, new_file
    from peacekb.loader import load
    from peacekb.suggest import slugify
    from peacekb.writing import write_atomic

    root_dir = resolve_data(data)
    ask = sys.stdin.isatty()

    def need(value, label: str, option: str):
        if value:
            return value
        if ask:
            return typer.prompt(label)
        raise fail_usage(f"new {kind.value} needs {option}")

    k = kind.value
    if k == "actor":
        name = need(name, "Name", "--name")
        record = {"id": id or slugify(name), "name": name, "kind": need(actor_kind, "Kind (state, person, organisation, coalition, other)", "--actor-kind"),
                  "aliases": alias or [], "country": country}
    elif k == "issue":
        title = need(title, "Title", "--title")
        stances = []
        for item in stance or []:
            ident, _, label = item.partition(":")
            stances.append({"id": ident.strip(), "label": label.strip() or ident.strip()})
        record = {"id": id or slugify(title), "title": title, "parent": parent, "stances": stances}
    elif k == "round":
        title = need(title, "Title", "--title")
        record = {"id": id or slugify(title), "title": title, "location": location, "start": need(start, "First day (YYYY-MM-DD)", "--start"),
                  "end": end, "mediators": mediator or []}
    elif k == "source":
        title = need(title, "Title as printed", "--title")
        record = {"id": id or slugify(title)[:60].strip("-"), "title": title, "publisher": publisher, "url": need(url, "Address (https://...)", "--url")}
    else:
        round_name = need(round_name, "Round or event (id)", "--round")
        summary = need(summary, "Summary", "--summary")
        party = need(party, "Party spoken for (actor id)", "--party")
        sources = source or ([need(None, "Source (id)", "--source")] if not source else [])
        stances = dict(item.split("=", 1) for item in takes or [] if "=" in item)
        if any("=" not in item for item in takes or []):
            raise fail_usage("--takes is written `issue=stance`")
        issues_list = issue_ or list(stances) or [need(None, "Issue (id)", "--issue")]
        record = {
            "id": id, "date": need(date, "Date (YYYY-MM-DD, YYYY-MM or YYYY)", "--date"), "speaker": speaker, "party": party,
            "holder": holder, "attribution": need(attribution, "Attribution (direct-quote, paraphrase, reported)", "--attribution"),
            "issues": list(dict.fromkeys(issues_list + list(stances))), "stances": stances,
            "quotes": [{"text": quote, "source": sources[0]}] if quote else [], "summary": summary, "channel": channel,
            "sources": sources[1:] if quote else sources,
        }
        if not record["id"]:
            words = "-".join(slugify(summary).split("-")[:5])
            record["id"] = f"{round_name}-{speaker or party}-{words}"

    err = make_console("auto", stderr=True)
    try:
        if k == "statement":
            folder = "events" if (root_dir / "events" / f"{round_name}.yaml").exists() else "rounds"
            path = root_dir / folder / f"{round_name}.yaml"
            if not path.exists():
                raise fail_usage(f"no round or event `{round_name}`: give its id (`peacekb rounds` lists them)")
            text = add_statement(path, record)
        else:
            path, text = new_file(root_dir, k, record)
    except CreateError as exc:
        raise fail_usage(str(exc)) from None
    before = {(p.file, p.code, p.message) for p in load(root_dir).problems}
    after = load(root_dir, overrides={path: text}).problems
    fresh = [p for p in after if (p.file, p.code, p.message) not in before]
    errors = [p for p in fresh if p.severity == "error"]
    for p in fresh:
        print(str(p), file=sys.stderr)
    if errors:
        err.print(f"[red]✗[/] nothing written: the new {k} would have {len(errors)} error(s)")
        raise typer.Exit(1)
    write_atomic(path, text)
    err.print(f"[green]✓[/] {'added a statement to' if k == 'statement' else 'created'} {path}")


@app.command()
def init(
    directory: Annotated[str, typer.Argument(metavar="DIR", help="Where to start the new knowledge base (created if missing).")],
    name: Annotated[Optional[str], typer.Option("--name", help="The peace process, for the README (default: the folder's name).", show_default=False)] = None,
) -> None:
    """Start a knowledge base for another peace process: data folders with one example of each record,
    editor schemas, a CI workflow, a pre-commit configuration and a README for contributors.

    Refuses to overwrite anything that exists (exit 2); the result validates clean.
    """
    from pathlib import Path

    from peacekb.cli.console import make_console
    from peacekb.scaffold import create

    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise fail_usage(f"{directory} exists and is not a folder")
    try:
        written = create(target, name)
    except FileExistsError as exc:
        raise fail_usage(f"nothing written: these exist already: {exc}") from None
    err = make_console("auto", stderr=True)
    err.print(f"[green]✓[/] {len(written)} files written in {target}; next: cd {target} && peacekb validate")


@app.command()
def fmt(
    files: Annotated[Optional[list[str]], typer.Argument(metavar="FILES", help="Record files to format (default: every record file of the knowledge base).", show_default=False)] = None,
    check: Annotated[bool, typer.Option("--check", help="Write nothing: list the files whose layout is not canonical; exit 1 if there are any.")] = False,
    data: DataOption = None,
) -> None:
    """Lay record files out in one canonical layout: keys in the order of the models' fields, 2-space indentation, comments kept.

    Only the layout changes, never what a file means: a file that does not parse, or that fmt could not lay out without changing its data or losing a comment, is left as it is and reported at its file, line and column. Files are written atomically.

    The files changed (with --check: that would change) are listed on stdout; refusals and a summary go to stderr. Exit 0 when done (with --check: when every file is canonical), 1 when --check finds files to change or a file is refused, 2 on a usage error.
    """
    from pathlib import Path

    from peacekb import fmt as formatter

    if files and data is not None:
        raise fail_usage("give record files or --data, not both")
    if files:
        targets = []
        for name in dict.fromkeys(files):
            path = Path(name)
            if not path.is_file():
                raise fail_usage(f"{name}: {'not a file' if path.exists() else 'no such file'}")
            if path.suffix != ".yaml":
                raise fail_usage(f"{name}: not a record file (record files end in .yaml)")
            kind = formatter.kind_of(path)
            if kind is None:
                folders = ", ".join(f"{k}/" for k in formatter.KINDS)
                raise fail_usage(f"{name}: not in a record folder ({folders}), so fmt cannot tell which record it holds")
            targets.append((path, kind))
        where = f"{len(targets)} file{'s' if len(targets) != 1 else ''}"
    else:
        from peacekb.loader import record_files

        root_dir = resolve_data(data)
        targets = [(path, kind) for kind, paths in record_files(root_dir).items() for path in paths]
        where = f"{len(targets)} file{'s' if len(targets) != 1 else ''} in {root_dir}"
    changed = refused = 0
    for path, kind in targets:
        result = formatter.format_file(path, kind, write=not check)
        if result.status == "changed":
            changed += 1
            print(path, flush=True)
        elif result.status == "refused":
            refused += 1
            print(str(result.refusal), file=sys.stderr, flush=True)
    left = f"{refused} left as {'they were' if refused != 1 else 'it was'} (see above)"
    if check:
        left = f"{refused} cannot be formatted (see above)"
        if changed:
            summary = f"✗ {changed} of {where} would be reformatted: run `peacekb fmt`" + (f"; {left}" if refused else "")
        else:
            summary = f"✗ {where}: {left}" if refused else f"✓ {where}: all formatted"
        print(summary, file=sys.stderr)
        raise typer.Exit(1 if changed or refused else 0)
    if changed:
        summary = f"{'✗' if refused else '✓'} formatted {changed} of {where}" + (f"; {left}" if refused else "")
    else:
        summary = f"✗ {where}: nothing written; {left}" if refused else f"✓ {where}: already formatted; nothing written"
    print(summary, file=sys.stderr)
    raise typer.Exit(1 if refused else 0)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        print("peacekb: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # a bug: one line for the user, the traceback on request
        if os.environ.get("PEACEKB_DEBUG"):
            raise
        print(f"peacekb: internal error: {type(exc).__name__}: {exc} (set PEACEKB_DEBUG=1 for the traceback; please report it)", file=sys.stderr)
        sys.exit(3)
