"""The `peacekb` command. Heavy modules are imported inside commands, so --help stays fast."""

from __future__ import annotations

import enum
import os
import sys
from typing import Annotated, Optional

import typer

from peacekb import __version__
from peacekb.cli.output import Format

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
    from peacekb.safe import safe

    print(f"peacekb: {safe(message)}", file=sys.stderr)  # it may quote names from the data
    return typer.Exit(2)


def resolve_data(data: str | None):
    from peacekb.datadir import DataDirError, find_data_dir

    try:
        return find_data_dir(data)
    except DataDirError as exc:
        raise fail_usage(str(exc)) from None



FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", help="text for people; json or yaml (everything shown, with ids), csv (one row per record), markdown (for reports and pull requests)."),
]
AsOfOption = Annotated[Optional[str], typer.Option("--as-of", help="Positions as they stood on this date (YYYY-MM-DD, YYYY-MM or YYYY).", show_default=False)]


class Session:
    """What every query command needs: the loaded knowledge base, consoles, stance colours."""

    def __init__(self, data: str | None, color: Color, round_name: str | None = None, select=None, records: bool = True) -> None:
        """``round_name``: the command shows that one round, so when the cache knows the rounds, the
        others are not loaded; ``self.round`` is the chosen round's id. ``select``: the command is about
        positions; ``select(kb)`` resolves the names it was given against ``kb`` and returns what it
        chose with the statements it needs (:class:`peacekb.cache.Wanted`), so that only those are
        read; ``self.chosen`` is what it chose. ``records=False``: the command answers from an index
        of the cache; only the report is taken (``self.kb`` is None)."""
        import gc

        from peacekb.cache import load_for_reading
        from peacekb.cli.console import make_console
        from peacekb.cli.views import Colours

        root_dir = resolve_data(data)
        self.root = root_dir
        self.out = make_console(color.value)
        self.err = make_console(color.value, stderr=True)
        if not records:
            from peacekb.cache import validate

            self.kb, self.round, self.chosen, self.colours = None, None, None, None
            self._warn(validate(root_dir), root_dir)
            return
        collecting = gc.isenabled()
        gc.disable()  # what is built here has no reference cycles and lives as long as the command
        self.kb, result, chosen = load_for_reading(
            root_dir, round_pick=(lambda kb: self._pick(kb, "rounds", round_name)) if round_name else None, select=select
        )
        if chosen is None and round_name:  # the knowledge base was loaded in full: resolve the names against it
            chosen = self._pick(self.kb, "rounds", round_name)
        elif chosen is None and select is not None:
            chosen = select(self.kb)[0]
        self.round: str | None = chosen if round_name else None
        self.chosen = chosen
        gc.freeze()  # the knowledge base lives as long as the command: keep the collector off it
        if collecting:
            gc.enable()
        self.colours = Colours(self.kb)
        self._warn(result, root_dir)

    def _warn(self, result, root_dir) -> None:
        if result.errors:
            self.err.print(
                f"[yellow]warning:[/] the knowledge base in {root_dir} has {result.errors} error(s); "
                "answers may be incomplete (run `peacekb validate`)"
            )

    def pick(self, kind: str, query: str) -> str:
        """The id that ``query`` names, or a usage error that lists the matches or the nearest names."""
        return self._pick(self.kb, kind, query)

    @staticmethod
    def _pick(kb, kind: str, query: str) -> str:
        from peacekb.names import KIND_WORDS, resolve
        from peacekb.safe import safe

        found = resolve(kb, kind, query)
        word = KIND_WORDS[kind]
        if found.found:
            if found.others:
                others = "; ".join(f"{c.id} ({c.detail})" for c in found.others)
                print(safe(f"peacekb: `{query}` matches several {kind}; showing the latest, {found.found}. Also: {others}", line=True), file=sys.stderr)
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


# the commands register themselves on `app`; importing them costs no models or YAML machinery
from peacekb.cli import check_commands, query_commands, compare_commands, write_commands, export_commands, agreement_commands  # noqa: E402,F401,I001
