"""The rich consoles of the CLI: colour on a terminal, plain text elsewhere, NO_COLOR respected."""

from __future__ import annotations

import os


def make_console(color: str = "auto", stderr: bool = False, soft_wrap: bool = False):
    from rich.console import Console

    no_color = color == "never" or (color == "auto" and bool(os.environ.get("NO_COLOR")))
    force = {"always": True, "never": False}.get(color)
    console = Console(stderr=stderr, no_color=no_color, force_terminal=force, highlight=False, emoji=False, soft_wrap=soft_wrap)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 120  # piped: wide enough that ids and headlines rarely wrap
    return console
