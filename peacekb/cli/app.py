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
    color: ColorOption = Color.auto,
) -> None:
    """Check every file of the knowledge base and report each problem at its file, line and column.

    Exit 0 when there is no error (warnings are shown but pass unless --strict), 1 when problems are found.
    """
    from peacekb.cli import report
    from peacekb.loader import load

    root_dir = resolve_data(data)
    result = load(root_dir)
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
