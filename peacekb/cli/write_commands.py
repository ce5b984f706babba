"""Commands that write records: new, init."""

from __future__ import annotations

import enum
import sys
from typing import Annotated, Optional

import typer

from peacekb.cli.app import (
    DataOption,
    app,
    fail_usage,
    resolve_data,
)


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
    party: Annotated[Many, typer.Option("--party", help="statement: whom the speaker spoke for; repeat it for a joint statement of several parties.", show_default=False)] = None,
    holder: Annotated[Optional[str], typer.Option("--holder", help="statement: whose position it describes, where not the party's.", show_default=False)] = None,
    attribution: Annotated[Optional[str], typer.Option("--attribution", help="statement: direct-quote, paraphrase or reported.", show_default=False)] = None,
    issue_: Annotated[Many, typer.Option("--issue", help="statement: an issue it concerns (repeatable).", show_default=False)] = None,
    takes: Annotated[Many, typer.Option("--takes", help="statement: a stance taken, as `issue=stance` (repeatable).", show_default=False)] = None,
    withdraws: Annotated[Many, typer.Option("--withdraws", help="statement: a stance the holder gives up, as `issue=stance` (repeatable).", show_default=False)] = None,
    quote: Annotated[Optional[str], typer.Option("--quote", help="statement: the words exactly as the source prints them.", show_default=False)] = None,
    summary: Annotated[Optional[str], typer.Option("--summary", help="statement: a short summary in your own words.", show_default=False)] = None,
    channel: Annotated[Optional[str], typer.Option("--channel", help="statement: press conference, social media, ...", show_default=False)] = None,
    source: Annotated[Many, typer.Option("--source", help="statement: a source id (repeatable; the first is the quote's).", show_default=False)] = None,
    data: DataOption = None,
) -> None:
    """Create a valid record from options, asking for what is missing on a terminal.

    The record goes into its own file (a statement into its round's file, appended, the rest of the
    file kept as it was, CRLF line endings and a byte order mark too); the whole knowledge base is
    checked with it before anything is written, and the write is atomic and locked against other
    runs. Ids and --round are slugs, so nothing is written outside the knowledge base. Exit 0 when
    written, 1 when the record would have problems or the file cannot be written (a read-only or
    full disk: the file is named, nothing written), 2 on a usage error.
    """
    from peacekb.cli.console import make_console
    from peacekb.create import CreateError, add_statement, check_id, new_file
    import os
    from pathlib import Path

    from rich.markup import escape

    from peacekb.create import inside
    from peacekb.suggest import slugify
    from peacekb.writing import FileChanged, locked

    root_dir = resolve_data(data)
    ask = sys.stdin.isatty()
    try:  # before anything becomes a path: `--round ../../x` is refused, not followed
        for value, option in ((id, "--id"), (round_name, "--round")):
            if value is not None:
                check_id(value, option)
    except CreateError as exc:
        raise fail_usage(str(exc)) from None

    def pairs(items: list[str] | None, option: str) -> dict[str, str]:
        if any("=" not in item for item in items or []):
            raise fail_usage(f"{option} is written `issue=stance`")
        return dict(item.split("=", 1) for item in items or [])

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
        parties = list(dict.fromkeys(party or [need(None, "Party spoken for (actor id)", "--party")]))
        sources = source or ([need(None, "Source (id)", "--source")] if not source else [])
        stances, withdrawn = pairs(takes, "--takes"), pairs(withdraws, "--withdraws")
        issues_list = issue_ or list(stances) or list(withdrawn) or [need(None, "Issue (id)", "--issue")]
        record = {
            "id": id, "date": need(date, "Date (YYYY-MM-DD, YYYY-MM or YYYY)", "--date"), "speaker": speaker,
            "party": parties[0] if len(parties) == 1 else None, "parties": parties if len(parties) > 1 else [],
            "holder": holder, "attribution": need(attribution, "Attribution (direct-quote, paraphrase, reported)", "--attribution"),
            "issues": list(dict.fromkeys(issues_list + list(stances) + list(withdrawn))), "stances": stances, "withdraws": withdrawn,
            "quotes": [{"text": quote, "source": sources[0]}] if quote else [], "summary": summary, "channel": channel,
            "sources": sources[1:] if quote else sources,
        }
        if not record["id"]:
            words = "-".join(slugify(summary).split("-")[:5])
            record["id"] = f"{round_name}-{speaker or '-'.join(parties)}-{words}"

    err = make_console("auto", stderr=True)
    try:
        if k == "statement":
            round_name = check_id(round_name, "--round")  # asked for on a terminal, perhaps
            path = statement_file(root_dir, round_name)
        else:
            path, text = new_file(root_dir, k, record)
        inside(root_dir, path)
    except CreateError as exc:
        raise fail_usage(str(exc)) from None
    try:
        if k == "statement":
            # locked from the read to the replace: concurrent runs each add their statement
            target = Path(os.path.realpath(path))  # through a symbolic link (inside the knowledge base), not over it
            with locked(target):
                raw = target.read_bytes()
                try:
                    text = add_statement(path, record, raw.decode("utf-8"))
                except UnicodeDecodeError:
                    raise CreateError(f"{path} is not UTF-8; fix it first (peacekb validate)") from None
                check_and_write(root_dir, path, text, k, err, expected=raw, target=target)
        else:
            check_and_write(root_dir, path, text, k, err)
    except CreateError as exc:
        raise fail_usage(str(exc)) from None
    except FileExistsError:
        raise fail_usage(f"{path} exists already (created meanwhile): a new {k} needs an id of its own") from None
    except FileChanged as exc:  # another writer, one that takes no lock (an editor)
        err.print(f"[red]✗[/] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(1) from None
    except OSError as exc:  # a read-only or full disk, no permission, ...: the file is left as it was
        err.print(f"[red]✗[/] nothing written: cannot write {escape(str(path))}: {escape(exc.strerror or str(exc))}", soft_wrap=True)
        raise typer.Exit(1) from None
    err.print(f"[green]✓[/] {'added a statement to' if k == 'statement' else 'created'} {path}")


def check_and_write(root_dir, path, text: str, k: str, err, expected: bytes | None = None, target=None) -> None:
    """Check the whole knowledge base with ``text`` in place of ``path``, then write it (exit 1,
    nothing written, when the record would have errors)."""
    from peacekb.loader import load
    from peacekb.writing import create_new, write_atomic

    before = {(p.file, p.code, p.message) for p in load(root_dir).problems}
    after = load(root_dir, overrides={path: text.removeprefix("\ufeff")}).problems
    fresh = [p for p in after if (p.file, p.code, p.message) not in before]
    errors = [p for p in fresh if p.severity == "error"]
    for p in fresh:
        from peacekb.cli.report import problem_line

        print(problem_line(p), file=sys.stderr)
    if errors:
        err.print(f"[red]✗[/] nothing written: the new {k} would have {len(errors)} error(s)")
        raise typer.Exit(1)
    if expected is None:
        create_new(path, text)
    else:
        write_atomic(target or path, text, expected=expected)


def statement_file(root_dir, ident: str):
    """The file of the round or the event `ident` that a new statement goes into; a usage error when
    there is neither, or both (a knowledge base with an `id-shared-across-kinds` error): the
    statement is never put into one of two files that the id could mean."""
    found = [path for path in (root_dir / "rounds" / f"{ident}.yaml", root_dir / "events" / f"{ident}.yaml") if path.exists()]
    if not found:
        raise fail_usage(f"no round or event `{ident}`: give its id (`peacekb rounds` lists them)")
    if len(found) > 1:
        raise fail_usage(
            f"`{ident}` is the id of both the round in {found[0]} and the event in {found[1]}: nothing written; "
            "rename one of them (`peacekb validate` reports it as id-shared-across-kinds), then add the statement"
        )
    return found[0]


@app.command()
def init(
    directory: Annotated[str, typer.Argument(metavar="DIR", help="Where to start the new knowledge base (created if missing).")],
    name: Annotated[Optional[str], typer.Option("--name", help="The peace process, for the README (default: the folder's name).", show_default=False)] = None,
    peacekb: Annotated[Optional[str], typer.Option("--peacekb", metavar="SPEC", help="The peacekb it installs, as a requirement line: a version (peacekb==0.2.0), a git URL (peacekb @ git+URL@TAG) or a path (default: this repository at this version's tag).", show_default=False)] = None,
) -> None:
    """Start a knowledge base for another peace process.

    It gets data folders with one example of each record, editor schemas, a CI workflow, a
    pre-commit configuration and a README for contributors. Its requirements.txt names the
    peacekb that CI and contributors install; the pre-commit hook comes from the same repository.

    Refuses to overwrite anything that exists (exit 2); the result validates clean.
    """
    from pathlib import Path

    from peacekb.cli.console import make_console
    from peacekb.scaffold import check_spec, create

    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise fail_usage(f"{directory} exists and is not a folder")
    if peacekb is not None and (why := check_spec(peacekb)):
        raise fail_usage(f"--peacekb `{peacekb}`: {why}")
    try:
        written = create(target, name, peacekb)
    except FileExistsError as exc:
        raise fail_usage(f"nothing written: these exist already: {exc}") from None
    err = make_console("auto", stderr=True)
    err.print(f"[green]✓[/] {len(written)} files written in {target}; next: cd {target} && peacekb validate")
