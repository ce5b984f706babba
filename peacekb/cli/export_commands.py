"""`peacekb export sqlite|csv|json|popolo`: the whole knowledge base in other tools' formats."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from peacekb.cli.app import DataOption, app, checked_kb, fail_usage

export_app = typer.Typer(
    name="export",
    help="Write the whole knowledge base as SQLite (for datasette and SQL), CSV files, one JSON document, or Popolo JSON.",
    no_args_is_help=True,
)
app.add_typer(export_app)

ForceOption = Annotated[bool, typer.Option("--force", help="Replace the file (or folder) if it exists.")]


def _run(target: str, force: bool, write, folder: bool = False) -> Path:
    from peacekb.export import ExportError, check_target

    path = Path(target)
    try:
        check_target(path, force, folder=folder)
    except ExportError as exc:
        raise fail_usage(str(exc)) from None
    try:
        write(path)
    except OSError as exc:
        print(f"peacekb: cannot write {path}: {exc.strerror or exc}; nothing written", file=sys.stderr)
        raise typer.Exit(1) from None
    return path


@export_app.command("sqlite")
def sqlite_(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The SQLite file to write, e.g. kb.db.")],
    licence: Annotated[str, typer.Option("--licence", help="The licence of the data, for datasette's metadata.")] = "MIT",
    licence_url: Annotated[Optional[str], typer.Option("--licence-url", help="Where the licence is stated.", show_default=False)] = None,
    force: ForceOption = False,
    data: DataOption = None,
) -> None:
    """One table per kind of record, keys declared, parsed date columns, a positions table and a full-text index.

    Beside FILE goes datasette's metadata (FILE's name with .metadata.json: kb.db gives kb.metadata.json):
    open it with `datasette kb.db -m kb.metadata.json`.
    """
    from peacekb.export import ExportError, check_target, sqlite

    kb = checked_kb(data, "exporting")
    url = licence_url if licence_url is not None else (sqlite.LICENCE_URL if licence == sqlite.LICENCE else None)
    try:
        check_target(Path(file), force)
        check_target(sqlite.metadata_path(Path(file)), force)
    except ExportError as exc:
        raise fail_usage(str(exc)) from None
    path = _run(file, force, lambda p: sqlite.write(kb, p))
    meta = _run(str(sqlite.metadata_path(path)), True, lambda p: sqlite.write_metadata(path, licence, url))
    print(f"wrote {path} and {meta}", file=sys.stderr)


@export_app.command("csv")
def csv_(
    folder: Annotated[str, typer.Argument(metavar="DIR", help="The folder to write, one <table>.csv per table.")],
    excel: Annotated[bool, typer.Option("--excel", help="Start each file with a byte order mark (and end lines with CRLF), so Excel reads UTF-8.")] = False,
    force: ForceOption = False,
    data: DataOption = None,
) -> None:
    """The tables of the SQLite export as CSV files: UTF-8, one row per record, lists in their own tables."""
    from peacekb.export import csv

    kb = checked_kb(data, "exporting")
    path = _run(folder, force, lambda p: csv.write(kb, p, excel), folder=True)
    print(f"wrote {path}", file=sys.stderr)


@export_app.command("json")
def json_(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The JSON file to write.")],
    force: ForceOption = False,
    data: DataOption = None,
) -> None:
    """The whole knowledge base as one JSON document, every record with every field (schema: schemas/export.schema.json)."""
    from peacekb.export import json

    kb = checked_kb(data, "exporting")
    path = _run(file, force, lambda p: json.write(kb, p))
    print(f"wrote {path}", file=sys.stderr)


@export_app.command("popolo")
def popolo_(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The JSON file to write.")],
    force: ForceOption = False,
    data: DataOption = None,
) -> None:
    """Persons, organizations, memberships (roles), events (rounds and documents) and speeches (quotes) in Popolo JSON."""
    from peacekb.export import popolo

    kb = checked_kb(data, "exporting")
    path = _run(file, force, lambda p: popolo.write(kb, p))
    print(f"wrote {path}", file=sys.stderr)
