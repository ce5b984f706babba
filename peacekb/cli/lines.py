"""Printing many short texts quickly: wrapped at word boundaries as rich wraps them, in one write.

rich lays out every renderable through its whole machinery (measuring, padding, cropping
segments), which costs about a millisecond for a statement of a few lines: seconds for a listing
of thousands. The views print such listings as *blocks*, a head and an indented body, through
:func:`print_blocks`, which breaks lines where rich's ``Text.wrap`` would and writes the whole
listing at once. Lines carry no trailing spaces (rich pads an indented body to the full width).
Text is escaped as the console escapes it (see :mod:`peacekb.cli.console`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.console import Console
from rich.segment import Segment
from rich.text import Text

from peacekb.safe import has_unsafe, safe

_WORD = re.compile(r"\s*\S+\s*")


def breaks(line: str, width: int) -> list[int]:
    """Where rich's ``Text.wrap`` (fold on) breaks ``line`` (no newline in it) to ``width`` cells:
    before the first word that does not fit, words wider than a line folded."""
    if width < 1 or (line.isascii() and len(line) <= width):
        return []
    if not line.isascii():
        from rich._wrap import divide_line

        return divide_line(line, width, fold=True)
    found: list[int] = []
    used = 0
    for match in _WORD.finditer(line):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - used >= length:
            used += len(word)
        elif length > width:  # a word longer than a line: cut into pieces a line wide
            pieces = [word[i : i + width] for i in range(0, len(word), width)]
            for n, piece in enumerate(pieces):
                if start:
                    found.append(start)
                if n == len(pieces) - 1:
                    used = len(piece)
                else:
                    start += len(piece)
        elif used and start:
            found.append(start)
            used = len(word)
    return found


def _wrapped(text: Text, width: int) -> list[Text]:
    out: list[Text] = []
    for line in text.split("\n", allow_blank=True) if "\n" in text.plain else [text]:
        offsets = breaks(line.plain, width)
        for part in line.divide(offsets) if offsets else [line]:
            if part.plain[-1:].isspace():
                part = part.copy()  # the caller's text is left as it was
                part.rstrip()
            out.append(part)
    return out


def _escaped(text: Text) -> Text:
    if not has_unsafe(text.plain):
        return text
    from peacekb.cli.views import safe_text

    return safe_text(text)


def print_blocks(console: Console, blocks: Iterable[tuple[Text, Text | None, int]]) -> None:
    """Print each (head, body, indent): the head wrapped to the console's width, then the body
    wrapped to the width less ``indent`` and indented by it; what ``Group(head, Padding(body, (0, 0,
    0, indent)))`` prints, line for line, without trailing spaces."""
    width = console.width
    plain = console.color_system is None  # not a terminal: rich writes no styles either
    out: list[str] = []
    segments: list[Segment] = []
    for head, body, indent in blocks:
        for text, left, room in ((head, 0, width), (body, indent, width - indent)):
            if text is None:
                continue
            for line in _wrapped(_escaped(text), room):
                if plain:
                    out.append(" " * left + line.plain if line.plain else "")
                    continue
                if left:
                    segments.append(Segment(" " * left))
                if line.spans:
                    segments += line.render(console)
                else:  # Text.render leaves out the style of a text without spans
                    segments.append(Segment(line.plain, console.get_style(line.style)))
                segments.append(Segment.line())
    if plain:
        console.file.write("".join(f"{safe(line)}\n" for line in out))
    else:
        console.file.write(console._render_buffer(segments))
    console.file.flush()

