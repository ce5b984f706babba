"""The `peacekb` command. Heavy modules are imported inside commands, so --help stays fast."""

from __future__ import annotations

import enum
import gc
import os
import sys
from typing import Annotated, Optional

import typer
from typer import _click
from typer.core import TyperCommand, TyperGroup

from peacekb import __version__
from peacekb.cli.output import Format

def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` wrapped at spaces only: never a word broken across lines, nor at a hyphen (`YYYY-MM-DD`)."""
    import textwrap

    wrapper = textwrap.TextWrapper(max(width, 20), initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False)
    lines: list[str] = []
    for n, paragraph in enumerate(p for p in text.split("\n\n") if p.strip()):
        lines += ([""] if n else []) + wrapper.wrap(" ".join(paragraph.split()))
    return lines


class HelpFormatter(_click.HelpFormatter):
    """Help as a CLI prints it: words wrapped whole at spaces."""

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write("".join(f"{line}\n" for line in _wrap(text, self.width - self.current_indent, indent)))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first = min(max((len(a) for a, _ in rows), default=0), col_max) + col_spacing
        pad = " " * self.current_indent
        for term, text in rows:
            self.write(f"{pad}{term}")
            lines = _wrap(text, self.width - first - self.current_indent - 2) if text else []
            if not lines:
                self.write("\n")
                continue
            if len(term) <= first - col_spacing:
                self.write(" " * (first - len(term)))
            else:
                self.write("\n" + " " * (first + self.current_indent))
            self.write(lines[0] + "\n" + "".join(f"{pad}{' ' * first}{line}\n" for line in lines[1:]))


class Context(_click.Context):
    formatter_class = HelpFormatter


def _value_name(param) -> str:
    """What an option or argument takes, as a CLI names it: its metavar, else its name in capitals
    (`--quote QUOTE`, `ISSUE`)."""
    if param.metavar:
        return param.metavar
    name = max(param.opts, key=len).lstrip("-") if param.param_type_name == "option" else param.name
    return name.rstrip("_").replace("_", "-").upper()


class Command(TyperCommand):
    """A command whose help reads like a CLI's: `Usage: peacekb positions [OPTIONS] ISSUE`, options
    as `--as-of DATE`, flags bare; no Python types (`<str>`, `<bool>`) or braces (`{issue}`)."""

    context_class = Context

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = _value_name(param)
                if not param.required and not name.startswith("["):
                    name = f"[{name}]"
                pieces.append(name + ("..." if param.nargs != 1 and not name.endswith("...") else ""))
        return pieces

    def format_options(self, ctx, formatter) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            if getattr(param, "hidden", False):
                continue
            if param.param_type_name == "argument":
                name = _value_name(param).strip("[]")
                arguments.append((name + ("..." if param.nargs != 1 and not name.endswith("...") else ""), param.help or ""))
                continue
            record = param.get_help_record(ctx)
            if record is None:
                continue
            names = ", ".join(sorted(param.opts, key=len))
            if param.secondary_opts:
                names += " / " + ", ".join(param.secondary_opts)
            if not param.is_flag and not param.count:
                names += f" {_value_name(param)}"
            options.append((names, record[1]))
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


class Group(TyperGroup):
    """A group whose help lists each command with the first paragraph of its help, whole."""

    context_class = Context

    def get_command(self, ctx, name):
        """The command, with the help of this module: a sub-app made with plain ``typer.Typer``
        (`export`) gets it too."""
        return plain(super().get_command(ctx, name))

    def format_commands(self, ctx, formatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            text = cmd.short_help or (cmd.help or "").split("\n\n")[0]
            rows.append((name, " ".join(text.split())))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def plain(cmd):
    """``cmd`` as a :class:`Command` or :class:`Group` (they add methods only, no state)."""
    if type(cmd) is TyperCommand:
        cmd.__class__ = Command
    elif type(cmd) is TyperGroup:
        cmd.__class__ = Group
    if cmd is not None and hasattr(cmd, "rich_markup_mode"):
        cmd.rich_markup_mode = None  # usage errors too are printed plain, without rich
    return cmd


class Typer(typer.Typer):
    """typer.Typer whose commands are :class:`Command`, their help plain text (typer's rich help
    would import rich's markdown machinery for every --help)."""

    def __init__(self, *args, rich_markup_mode=None, **kwargs):
        super().__init__(*args, rich_markup_mode=rich_markup_mode, **kwargs)

    def command(self, name=None, *, cls=None, **kwargs):
        return super().command(name, cls=cls or Command, **kwargs)


app = Typer(
    name="peacekb",
    cls=Group,
    help="A knowledge base of peace negotiations, kept as plain YAML in git.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,  # --install-completion, --show-completion: bash, zsh, fish, PowerShell
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
    typer.Option("--data", "-d", metavar="DIR", help="Knowledge base folder (default: $PEACEKB_DATA, else the nearest `data` folder upwards).", show_default=False),
]
ColorOption = Annotated[Color, typer.Option("--color", metavar="WHEN", help="Colour on a terminal (auto), always, or never. NO_COLOR is respected.")]


def _version(value: bool) -> None:
    if value:
        print(f"peacekb {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """A knowledge base of peace negotiations, kept as plain YAML in git.

    Exit codes: 0 clean, 1 problems found, 2 usage error.
    """
    if gc.isenabled():
        ctx.call_on_close(_collector_back)


def _collector_back() -> None:
    """When a command is done: what it built is left out of the collector's reach (frozen), or the
    next collection, the one Python makes as it exits included, would walk it all (0.3 s at 100,000
    statements); and the collector is on again, for a command run from Python (tests, a notebook)."""
    gc.freeze()
    gc.enable()


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
    typer.Option("--format", "-f", metavar="FORMAT", help="text for people; json or yaml (everything shown, with ids), csv (one row per record), markdown (for reports and pull requests)."),
]
AsOfOption = Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", help="Positions as they stood on this date (YYYY-MM-DD, YYYY-MM or YYYY), or after this round.", show_default=False)]


class Session:
    """What every query command needs: the loaded knowledge base, consoles, stance colours."""

    def __init__(self, data: str | None, color: Color, round_name: str | None = None, select=None, records: bool = True) -> None:
        """``round_name``: the command shows that one round, so when the cache knows the rounds, the
        others are not loaded; ``self.round`` is the chosen round's id. ``select``: the command is about
        positions; ``select(kb)`` resolves the names it was given against ``kb`` and returns what it
        chose with the statements it needs (:class:`peacekb.cache.Wanted`), so that only those are
        read; ``self.chosen`` is what it chose. ``records=False``: the command answers from an index
        of the cache; only the report is taken (``self.kb`` is None)."""
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
        reading_only()
        self.kb, result, chosen = load_for_reading(
            root_dir, round_pick=(lambda kb: self._pick(kb, "rounds", round_name)) if round_name else None, select=select
        )
        if chosen is None and round_name:  # the knowledge base was loaded in full: resolve the names against it
            chosen = self._pick(self.kb, "rounds", round_name)
        elif chosen is None and select is not None:
            chosen = select(self.kb)[0]
        self.round: str | None = chosen if round_name else None
        self.chosen = chosen
        self.colours = Colours(self.kb)
        self._warn(result, root_dir)

    def _warn(self, result, root_dir) -> None:
        if result.errors:
            self.err.print(
                f"[yellow]warning:[/] the knowledge base in {root_dir} has {result.errors} error(s); "
                "answers may be incomplete (run `peacekb validate`)"
            )

    def when(self, text: str | None, option: str, edge: str = "end"):
        """A --as-of, --since or --until value: a date, else a round, by its first day
        (``edge="start"``) or its last (positions as they stood after it)."""
        import re

        from peacekb.queries import parse_as_of, round_cut

        if text is None:
            return None
        try:
            return parse_as_of(text)
        except ValueError:
            if re.match(r"^\s*\d", text):  # meant as a date, but not one
                parse_date(text, option)
        from peacekb.names import resolve

        found = resolve(self.kb, "rounds", text)
        if not found.found:
            near = " or ".join(f"`{c.id}`" for c in found.suggestions)
            raise fail_usage(f"{option}: `{text}` is neither a date (YYYY-MM-DD, YYYY-MM or YYYY) nor a round" + (f"; did you mean {near}?" if near else ""))
        return round_cut(self.kb.rounds[self.pick("rounds", text)], edge)

    def pick_every(self, kind: str, query: str) -> list[str]:
        """Every record that ``query`` names equally well (`geneva`: every round in Geneva), the
        latest first; a usage error as :meth:`pick` when none does."""
        from peacekb.names import resolve

        found = resolve(self.kb, kind, query)
        if found.found:
            return [found.found, *(c.id for c in reversed(found.others))]
        return [self.pick(kind, query)]

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


def reading_only() -> None:
    """For a command that reads the knowledge base and answers: it builds what it answers without
    reference cycles, and ends, so the cyclic collector is off for the rest of it, where it would
    only walk what was built again and again as it grows (at 100,000 statements, diff --from --to
    took 19.3 s with it and 13.8 s without, statements --text 6.7 s and 4.9 s, for the same peak
    memory). The commands that rewrite files keep it: their YAML round trips leave cycles behind
    (fmt --check at 10,000 statements: 78 MB at peak without it, 54 MB with it). It is on again
    once the command is done (see :func:`_collector_back`)."""
    gc.disable()


def checked_kb(data: str | None, doing: str):
    """The knowledge base for a command that publishes it (``doing``: exporting, publishing), which
    ends the command when it has errors."""
    from peacekb.cache import load_for_reading

    root = resolve_data(data)
    reading_only()
    kb, result, _ = load_for_reading(root)
    if result.errors:
        print(f"peacekb: the knowledge base in {root} has {result.errors} error(s): run `peacekb validate` and fix them before {doing}", file=sys.stderr)
        raise typer.Exit(1)
    return kb


def main() -> None:
    import signal

    if hasattr(signal, "SIGPIPE"):  # `peacekb statements | head -1`: end quietly when the reader has gone, as cat does
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        app(prog_name="peacekb")
    except KeyboardInterrupt:
        print("peacekb: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # a bug: one line for the user, the traceback on request
        if os.environ.get("PEACEKB_DEBUG"):
            raise
        print(f"peacekb: internal error: {type(exc).__name__}: {exc} (set PEACEKB_DEBUG=1 for the traceback; please report it)", file=sys.stderr)
        sys.exit(3)


# the commands register themselves on `app`; importing them costs no models or YAML machinery
from peacekb.cli import check_commands, query_commands, compare_commands, write_commands, export_commands, agreement_commands, site_commands  # noqa: E402,F401,I001
