"""Commands that write records: init, rename; the checks and writes `new` shares (peacekb.cli.new_commands)."""

from __future__ import annotations

import enum
import sys
from typing import Annotated, Optional

import typer


from peacekb.cli import complete
from peacekb.cli.app import (
    Group,
    DataOption,
    app,
    fail_usage,
    resolve_data,
)


# the subcommands of `peacekb new`, listed here so that `peacekb --help` and every other command
# start without importing the models the subcommands are built from (a test keeps this list equal
# to the commands peacekb.cli.new_commands makes)
NEW_COMMANDS = ("actor", "issue", "round", "source", "event", "statement", "role", "stance", "delegation", "outcome", "dispute", "provision", "quote",
                "third-party", "party", "history")


class NewGroup(Group):
    """`peacekb new`: its subcommands are built (from the models) only when one is asked for."""

    def list_commands(self, ctx) -> list[str]:
        return list(NEW_COMMANDS)

    def get_command(self, ctx, name: str):
        if name not in NEW_COMMANDS:
            return None
        from typer.main import get_command

        from peacekb.cli.new_commands import new_app

        return get_command(new_app).get_command(ctx, name)  # type: ignore[attr-defined]


app.add_typer(
    typer.Typer(
        name="new",
        cls=NewGroup,
        no_args_is_help=True,
        help="Create a record (actor, issue, round, source, event, statement), or add a nested one "
        "(a role, a delegation, a quote, ...) to a record that exists.",
    ),
    name="new",
)


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


class RenameKind(str, enum.Enum):
    actor = "actor"
    issue = "issue"
    round = "round"
    source = "source"
    event = "event"


@app.command()
def rename(
    kind: Annotated[RenameKind, typer.Argument(metavar="KIND", help="actor, issue, round, source or event.")],
    old: Annotated[str, typer.Argument(metavar="OLD", help="The record's id now.", autocompletion=complete.of_kind("kind"))],
    new: Annotated[str, typer.Argument(metavar="NEW", help="Its new id (a slug).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="List the files that would change; write nothing.")] = False,
    data: DataOption = None,
) -> None:
    """Rename a record: its id, its file, and every reference to it across the knowledge base.

    References are found through the fields that name records of that kind (a delegation's party,
    a statement's speaker, an issue's key in `stances`, ...), never by searching the text, and
    each is changed in place: comments, layout and line endings stay. All files are written or
    none, and only when the knowledge base as it would be has no error it does not have now.
    Refused (exit 2) when NEW exists, when OLD does not, or when a file cannot be read (its
    references could not be renamed). The files changed are listed on stdout.
    """
    from peacekb.cli.console import make_console
    from peacekb.rename import RenameError, apply, plan
    from peacekb.safe import safe
    from peacekb.writing import FileChanged

    root_dir = resolve_data(data)
    try:
        renamed = plan(root_dir, kind.value, old, new)
    except RenameError as exc:
        raise fail_usage(f"nothing renamed: {exc}") from None
    err = make_console("auto", stderr=True)
    if not dry_run:
        try:
            apply(renamed)
        except (OSError, FileChanged) as exc:
            err.print(f"[red]✗[/] nothing renamed: {safe(str(exc) if isinstance(exc, FileChanged) else (exc.strerror or str(exc)))}", markup=True, soft_wrap=True)
            raise typer.Exit(1) from None
    for path in sorted(renamed.texts):
        shown = renamed.move[1] if renamed.move and path == renamed.move[0] else path
        print(safe(str(shown)))
    files = len([p for p in renamed.texts if renamed.counts[p]])
    moved = f"; {renamed.move[0]} → {renamed.move[1].name}" if renamed.move else ""
    verb = "would rename" if dry_run else "renamed"
    err.print(f"[green]✓[/] {verb} {kind.value} `{safe(old)}` to `{safe(new)}`: {renamed.references} reference(s) in {files} file(s){safe(moved)}", soft_wrap=True, markup=True, highlight=False)
