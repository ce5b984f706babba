"""Blocks printed quickly break lines exactly where rich would, and escape what the data holds."""

from __future__ import annotations

import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Group
from rich.padding import Padding
from rich.text import Text

from peacekb.cli.console import make_console
from peacekb.cli.lines import breaks, print_blocks

WORDS = st.lists(
    st.one_of(st.text("abcdefghij", min_size=1, max_size=30), st.sampled_from(["—", "“quoted”", "Зеленський", "停火协议", "a-b-c"])),
    min_size=0, max_size=40,
)
SPACES = st.sampled_from([" ", "  ", " ", "\n", " \n "])


def joined(words: list[str], gaps: list[str]) -> str:
    return "".join(w + g for w, g in zip(words, gaps + [""] * len(words)))


def console(width: int, color: str = "never"):
    c = make_console(color)
    c.file = io.StringIO()
    c.width = width
    return c


def rich_lines(width: int, head: Text, body: Text, indent: int, color: str = "never") -> list[str]:
    c = console(width, color)
    c.print(Group(head, Padding(body, (0, 0, 0, indent))))
    return [line.rstrip() for line in c.file.getvalue().splitlines()]


def fast_lines(width: int, head: Text, body: Text, indent: int, color: str = "never") -> list[str]:
    c = console(width, color)
    print_blocks(c, [(head, body, indent)])
    return c.file.getvalue().splitlines()


@settings(max_examples=300, deadline=None)
@given(WORDS, st.lists(SPACES, max_size=40), WORDS, st.lists(SPACES, max_size=40), st.integers(8, 120), st.integers(0, 6))
def test_blocks_break_where_rich_breaks(head_words, head_gaps, body_words, body_gaps, width, indent):
    head, body = Text(joined(head_words, head_gaps)), Text(joined(body_words, body_gaps), style="dim")
    assert fast_lines(width, head, body, indent) == rich_lines(width, head, body, indent)


def without_trailing_spaces(line: str) -> str:
    """The line with the spaces at its end removed, also where style codes follow them."""
    while True:
        stripped = re.sub(r"[ ]+((?:\x1b\[[0-9;]*m)*)$", r"\1", line)
        if stripped == line:
            return line
        line = stripped


def test_styles_are_written_as_rich_writes_them_on_a_terminal():
    head = Text("2025-05-16  ", style="bold") + Text("Hakan Fidan", style="bold") + Text(" process → ", style="dim") + Text("accelerate", style="green")
    body = Text("“We have to seize this opportunity to move forward on the path of peace.” ", style="italic") + Text("[1]", style="dim")
    fast = fast_lines(40, head, body, 2, "always")
    assert len(fast) == 5 and "\x1b[" in fast[0]
    assert fast == [without_trailing_spaces(line) for line in rich_lines(40, head, body, 2, "always")]


def test_control_characters_in_the_data_are_shown_escaped():
    c = console(80)
    print_blocks(c, [(Text("speaker \x1b[31m red"), Text("says \u202e reversed"), 2)])
    out = c.file.getvalue()
    assert "\x1b" not in out and "\u202e" not in out and "\\x1b" in out and "\\u202e" in out


def test_a_word_longer_than_the_line_is_folded():
    assert breaks("ab " + "x" * 25, 10) == [3, 13, 23]
