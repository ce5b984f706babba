"""The rich consoles of the CLI: colour on a terminal, plain text elsewhere, NO_COLOR respected.

Whatever a console writes passes :func:`peacekb.safe.safe`: a control, bidi or zero-width
character in the data is shown escaped (``\\x1b``, ``\\u202e``), never sent to the terminal,
with colour or without, on a terminal or piped. Views also escape data where they build their
texts (so that tables measure what they show), and so does the console for every string it
renders (printed, or in a table cell, title or label); escaping the segments it writes is the
backstop for any text the views miss.
"""

from __future__ import annotations

import functools
import os


@functools.cache
def _safe_console_class():
    from rich.console import Console
    from rich.segment import Segment

    from peacekb.safe import safe

    class SafeConsole(Console):
        """A Console whose text segments are escaped before rendering. Segments that rich marks as
        control codes (cursor moves and the like, rich's own) pass as they are."""

        def render_str(self, text, **kwargs):  # strings printed, in table cells, titles and tree labels
            return super().render_str(safe(text), **kwargs)  # escaped before measuring, so layout fits

        def _render_buffer(self, buffer):  # rich's one place where segments become output
            return super()._render_buffer(
                segment if segment.control else Segment(safe(segment.text), segment.style) for segment in buffer
            )

    return SafeConsole


def make_console(color: str = "auto", stderr: bool = False, soft_wrap: bool = False):
    no_color = color == "never" or (color == "auto" and bool(os.environ.get("NO_COLOR")))
    force = {"always": True, "never": False}.get(color)
    console = _safe_console_class()(stderr=stderr, no_color=no_color, force_terminal=force, highlight=False, emoji=False, soft_wrap=soft_wrap)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 120  # piped: wide enough that ids and headlines rarely wrap
    return console
