"""Commands that check and keep the files: validate, fmt, schema."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Optional

import typer

from peacekb.cli.app import (
    Color,
    ColorOption,
    DataOption,
    ValidateFormat,
    app,
    fail_usage,
    resolve_data,
)
from peacekb.safe import safe


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
    else the platform's cache folder, ~/.cache/peacekb on Linux); --no-cache checks everything again.
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
            print(safe(str(path), line=True), flush=True)  # one line per file, whatever its name
        elif result.status == "refused":
            refused += 1
            print(safe(str(result.refusal), line=True), file=sys.stderr, flush=True)
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




@app.command("schema")
def schema_(
    out: Annotated[Optional[str], typer.Option("--out", "-o", metavar="DIR", help="Folder to write to (default: `schemas/` beside the knowledge base folder, i.e. in its parent).", show_default=False)] = None,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; list the schema files that are missing or out of date on stderr and exit 1 if there are any.")] = False,
    data: DataOption = None,
) -> None:
    """Write the JSON Schemas of the record files, for editors (yaml-language-server) and CI.

    One file per kind of record, KIND.schema.json (actor, issue, round, source, event), and export.schema.json for `peacekb export json`, generated from peacekb/models.py. Without --out they go to `schemas/` beside the knowledge base folder (found through --data, $PEACEKB_DATA or the nearest `data` folder upwards): data/ gives schemas/. Only files that change are written, each through a temporary file.

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
            print(f"✗ {len(outdated)} of {len(schema_files.files())} schema files in {folder} need writing: run `{again}`", file=sys.stderr)
            raise typer.Exit(1)
        print(f"✓ {len(schema_files.files())} schema files in {folder} are current", file=sys.stderr)
        raise typer.Exit(0)
    try:
        written = schema_files.write(folder)
    except OSError as exc:
        raise fail_usage(f"cannot write the schemas to {folder}: {exc.strerror or exc}") from None
    if written:
        print(f"wrote {', '.join(str(folder / name) for name in written)}", file=sys.stderr)
    else:
        print(f"✓ {len(schema_files.files())} schema files in {folder} are current; nothing written", file=sys.stderr)
