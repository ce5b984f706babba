"""Commands that write records: init, rename; the checks and writes `new` shares (peacekb.cli.new_commands)."""

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
) -> None:
    """Start a knowledge base for another peace process.

    It gets data folders with one example of each record, editor schemas, a CI workflow, a
    pre-commit configuration and a README for contributors.

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
