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
    st.one_of(st.text("abcdefghij", min_size=1, max_size=30), st.sampled_from(["—", "“quoted”", "Зеленський", "停火协议", "a-b-c", "Šefčovič", "naïve…", "Ελλάδα", "a\xa0b"])),
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


@settings(max_examples=300, deadline=None)
@given(st.text("ab cdÀéŠΩж—“”…\xa0-", max_size=120), st.integers(1, 60))
def test_text_of_one_cell_characters_breaks_where_rich_breaks(line, width):
    """Latin letters with diacritics, Greek, Cyrillic and punctuation take the quick way, as ASCII does."""
    from rich._wrap import divide_line

    assert breaks(line, width) == divide_line(line, width, fold=True)


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


# --- print_columns --------------------------------------------------------------------------------

from peacekb.cli.lines import print_columns  # noqa: E402


def _columns(width: int, rows: list[list[str]], ratios: list[int], right=frozenset()) -> list[str]:
    c = console(width)
    print_columns(c, ["date", "title", "count"], [[Text(cell) for cell in row] for row in rows], ratios, right)
    return c.file.getvalue().splitlines()


ROWS = [["2025-05-16", "First direct talks in Istanbul\nistanbul-2025-05", "5"], ["2026-02-17–18", "Geneva talks", "12"]]


def test_columns_share_the_width_and_keep_every_word():
    lines = _columns(40, ROWS, [0, 1, 0], frozenset({2}))
    assert lines[0].split() == ["date", "title", "count"] and set(lines[1].strip()) == {"─"}
    assert all(len(line) <= 40 and line == line.rstrip() for line in lines)
    assert lines[2:] == [
        " 2025-05-16     First direct          5",
        "                talks in",
        "                Istanbul",
        "                istanbul-2025-05",
        " 2026-02-17–18  Geneva talks         12",
    ]
    # the count is right-aligned under its header


@settings(max_examples=50, deadline=None)
@given(width=st.integers(min_value=24, max_value=160),
       cells=st.lists(st.lists(st.text(alphabet="ab -", min_size=0, max_size=40), min_size=3, max_size=3), min_size=1, max_size=6))
def test_columns_never_run_past_the_width(width, cells):
    lines = _columns(width, cells, [0, 2, 0], frozenset({2}))
    assert all(len(line) <= width for line in lines)
    rule = next(n for n, line in enumerate(lines) if line.strip() and set(line.strip()) == {"─"})
    assert sorted("".join(lines[rule + 1:]).replace(" ", "")) == sorted("".join("".join(row) for row in cells).replace(" ", ""))
