"""Printing many short texts quickly: wrapped at word boundaries as rich wraps them, in one write.

rich lays out every renderable through its whole machinery (measuring, padding, cropping
segments), which costs about a millisecond for a statement of a few lines: seconds for a listing
of thousands. The views print such listings as *blocks*, a head and an indented body, through
:func:`print_blocks`, which breaks lines where rich's ``Text.wrap`` would and writes the whole
listing at once; tables of many rows go the same way through :func:`print_columns`, and a
line with a hanging indent (a date, then text wrapped under its own column) through
:func:`hanging`. Lines carry no trailing spaces (rich pads an indented body to the full width).
Text is escaped as the console escapes it (see :mod:`peacekb.cli.console`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.text import Text

from peacekb.safe import has_unsafe, safe

_WORD = re.compile(r"\s*\S+\s*")
# characters that rich counts as one cell each, as ASCII is: Latin, Greek and Cyrillic letters
# (without the combining marks), dashes, quotes and other general punctuation
_NARROW = re.compile(r"[ -~\xa0-\u02ff\u0370-\u03ff\u0400-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e]*")


def breaks(line: str, width: int) -> list[int]:
    """Where rich's ``Text.wrap`` (fold on) breaks ``line`` (no newline in it) to ``width`` cells:
    before the first word that does not fit, words wider than a line folded."""
    if width < 1:
        return []
    narrow = line.isascii() or _NARROW.fullmatch(line) is not None  # a character is a cell
    if narrow and len(line) <= width:
        return []
    if not narrow:
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


class Whole(Text):
    """A line that :func:`print_blocks` prints as it is, never broken (a web address): the
    terminal may wrap it, but it stays one string to select or click."""


def whole(text: str, style: str = "", indent: int = 0) -> Whole:
    """``text`` as a :class:`Whole` line after ``indent`` spaces; an http(s) address that is safe
    to print also links to itself (an OSC 8 hyperlink, on terminals that show them)."""
    from rich.style import Style

    from peacekb.safe import safe

    shown = safe(text)
    link = shown if re.fullmatch(r"https?://[^\s<>\x00-\x1f\x7f-\x9f]+", shown) and shown == text else None
    line = Whole(" " * indent)
    line.append(shown, Style.parse(style or "none") + Style(link=link) if link else style)
    return line


def _wrapped(text: Text, width: int) -> list[Text]:
    if isinstance(text, Whole):
        return [text]
    out: list[Text] = []
    for line in text.split("\n", allow_blank=True) if "\n" in text.plain else [text]:
        offsets = breaks(line.plain, width)
        for part in line.divide(offsets) if offsets else [line]:
            if part.plain[-1:].isspace():
                part = part.copy()  # the caller's text is left as it was
                part.rstrip()
            out.append(part)
    return out


def _plain_lines(text: Text, width: int) -> list[str]:
    """The lines of :func:`_wrapped`, as strings: for output without styles, with no rich text
    made for each piece."""
    if isinstance(text, Whole):
        return [text.plain]
    out: list[str] = []
    for line in text.plain.split("\n"):
        offsets = breaks(line, width)
        for start, end in zip([0, *offsets], [*offsets, len(line)]) if offsets else [(0, len(line))]:
            part = line[start:end]
            out.append(part.rstrip() if part[-1:].isspace() else part)
    return out


def _escaped(text: Text) -> Text:
    if not has_unsafe(text.plain):
        return text
    from peacekb.cli.views import safe_text

    return safe_text(text)


def hanging(first: Text, body: Text, column: int, width: int) -> list[Text]:
    """``first`` then ``body`` from ``column`` on, ``body`` wrapped to the rest of the ``width``
    and its further lines indented to ``column``: a history's date, then its status and note."""
    room = max(width - column, 1)
    lines = _wrapped(_escaped(body), room) or [Text()]
    head = _escaped(first).copy()
    head.pad_right(max(column - cell_len(head.plain), 1))
    out = [head + lines[0]]
    out += [Text(" " * column) + line for line in lines[1:]]
    return out


def print_columns(console: Console, header: list[str], rows: Iterable[list[Text]], ratios: list[int], right: frozenset[int] = frozenset()) -> None:
    """A table as plain lines, in one write: the header (dim) over a rule, then each row, its cells
    side by side two spaces apart. A column of ratio 0 is as wide as its widest cell and never
    wrapped; the others share the rest of the width by their ratios (none wider than its widest
    cell), their cells wrapped as :func:`print_blocks` wraps. Columns in ``right`` are right-aligned.
    A cell's lines are its text's lines (``\n``)."""
    rows = [[_escaped(cell) for cell in row] for row in rows]
    count = len(header)
    natural = [max([cell_len(header[j]), *(cell_len(line) for row in rows for line in row[j].plain.split("\n"))]) for j in range(count)]
    widths = list(natural)
    room = console.width - 2 - 2 * (count - 1)
    if room - sum(natural[j] for j in range(count) if not ratios[j]) < 8 * sum(1 for r in ratios if r):
        # too narrow for the columns as they are: the unwrapped ones wrap too, the right-aligned (numbers) aside
        ratios = [r or (0 if j in right else 1) for j, r in enumerate(ratios)]
    flexible = [j for j in range(count) if ratios[j]]
    room -= sum(natural[j] for j in range(count) if not ratios[j])
    while flexible:  # share the room by ratio; a column that needs less gives the rest to the others
        share = {j: max(room * ratios[j] // sum(ratios[k] for k in flexible), 3) for j in flexible}
        capped = [j for j in flexible if natural[j] <= share[j]]
        if not capped:
            for j, width in share.items():
                widths[j] = width
            break
        for j in capped:
            room -= natural[j]
            flexible.remove(j)

    def line_of(cells: list[Text]) -> Text:
        line = Text(" ")
        for j, cell in enumerate(cells):
            gap = widths[j] - cell_len(cell.plain)
            if j in right:
                line.append(" " * gap)
            line.append_text(cell)
            if j < count - 1:
                line.append(" " * ((0 if j in right else gap) + 2))
        line.rstrip()
        return line

    def cell_lines(cell: Text, width: int) -> list[Text]:
        plain = cell.plain
        if "\n" not in plain and cell_len(plain) <= width and not plain[-1:].isspace():  # most cells: as they are
            return [cell]
        return [piece for text in cell.split("\n", allow_blank=True) for piece in _wrapped(text, width)]

    def row_lines(row: list[Text]) -> list[Text]:
        parts = [cell_lines(row[j], widths[j]) for j in range(count)]
        return [line_of([p[n] if n < len(p) else Text() for p in parts]) for n in range(max(len(p) for p in parts))]

    lines = row_lines([Text(h, style="dim") for h in header])
    lines.append(Text(" " + "─" * min(sum(widths) + 2 * (count - 1), console.width - 1), style="dim"))
    for row in rows:
        lines += row_lines(row)
    print_blocks(console, [(line, None, 0) for line in lines])


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
            if plain:
                out += [" " * left + line if line else "" for line in _plain_lines(_escaped(text), room)]
                continue
            for line in _wrapped(_escaped(text), room):
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




_PIECE = re.compile(r"[^\s-]*-+|[^\s-]+")  # a word cut after each run of hyphens: `cap-`, `per-`, `russian`
_WORD_ONLY = re.compile(r"\S+")
_SLASHED = re.compile(r"[^\s/]*/+|[^\s/]+")  # a span of dates cut after its slash: `2025-12-14/` `2025-12-15`


def _pieces(line: str, width: int, hyphens: bool | str):
    """(start, text) of what may not be broken: words, or words cut after their hyphens (always, or
    with ``hyphens="long"`` only the words wider than ``width``), or with ``"slash"`` after slashes."""
    for match in _WORD_ONLY.finditer(line):
        if hyphens == "slash":
            yield from ((match.start() + m.start(), m.group()) for m in _SLASHED.finditer(match.group()))
        elif hyphens is True or (hyphens == "long" and cell_len(match.group()) > width):
            yield from ((match.start() + m.start(), m.group()) for m in _PIECE.finditer(match.group()))
        else:
            yield match.start(), match.group()


def soft_breaks(line: str, width: int, hyphens: bool | str = True) -> tuple[list[int], bool]:
    """Where to break ``line`` (no newline in it) so that no part is wider than ``width`` cells:
    at spaces, and after a hyphen when ``hyphens`` (`cap-per-` / `russian-memorandum`; with
    ``"long"`` only in words wider than a line). Returns the offsets and whether some piece was
    wider than a line, so had to be cut inside a word."""
    if width < 1 or cell_len(line) <= width:
        return [], False
    found: list[int] = []
    cut = False
    pos = used = 0  # where the last piece ended; cells on the current line
    for start, piece in _pieces(line, width, hyphens):
        spaces, size = cell_len(line[pos:start]), cell_len(piece)
        if used and used + spaces + size > width:
            found.append(start)
            used = 0
        else:
            used += spaces
        while used + size > width:  # a piece wider than a line: cut it where the line ends
            cut = True
            end = start + _cells_to_chars(piece, width - used)
            found.append(end)
            piece, start, used = line[end : start + len(piece)], end, 0
            size = cell_len(piece)
        used += size
        pos = start + len(piece)
    return [f for f in found if 0 < f < len(line)], cut


def _cells_to_chars(text: str, cells: int) -> int:
    """How many characters of ``text`` fill at most ``cells`` cells (at least one)."""
    used = 0
    for n, char in enumerate(text):
        used += cell_len(char)
        if used > cells:
            return max(n, 1)
    return len(text)


def wrap_text(text: Text, width: int, hyphens: bool | str = True) -> tuple[list[Text], bool]:
    """``text`` broken into lines at most ``width`` cells wide (see :func:`soft_breaks`), in its
    styles, without trailing spaces; and whether a word had to be cut."""
    out: list[Text] = []
    cut = False
    for line in text.split("\n", allow_blank=True) if "\n" in text.plain else [text]:
        offsets, folded = soft_breaks(line.plain, width, hyphens)
        cut = cut or folded
        for part in line.divide(offsets) if offsets else [line]:
            if part.plain[-1:].isspace():
                part = part.copy()
                part.rstrip()
            out.append(part)
    return out, cut
