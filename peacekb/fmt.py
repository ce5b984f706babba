"""Formatting record files into one canonical layout (`peacekb fmt`).

``format_text(text, kind)`` lays one record file out anew and returns the text; it changes the
layout only, never what the file means, and keeps every comment:

- Keys follow the order of the model's fields, in nested records too (roles, stances,
  delegations, outcomes, statements, quotes, disputes, versions, provisions, ...); a round's or
  event's `statements` are its last field, where `peacekb new statement` appends. Keys the model
  does not know are kept after the known ones, in their order, their values untouched.
- Mappings are indented by 2 spaces; a block sequence is indented by 2 under its key, dash
  included (``  - id: x``), and an item's first key sits on the dash line.
- Every sequence and mapping keeps the style it is written in: block stays block, flow stays
  flow. A flow collection that holds only one-line scalars (or flow collections of them) and no
  comment is rewritten on one line as ``[a, b]`` / ``{key: value}`` (one space after each comma
  and colon; the keys of a record in canonical order); any other flow collection is kept as
  written, only re-indented.
- Scalars are copied as written: quoting, block scalars (``>-``, ``|``), folding, escapes,
  numbers, ``~`` and dates (``2026-02-18`` stays a plain date string). A scalar written on the
  line below its key moves up onto the key's line. The text of a block scalar is indented by 2
  under its key or dash (its lines keep their indentation relative to each other); other
  scalars over several lines keep their lines' indentation relative to their key.
- A comment travels with the key or item it belongs to. An end-of-line comment stays after the
  value it follows and keeps the spaces before it (two at least), so that comments aligned in a
  column stay aligned when their lines move together; one after a key whose value is on the
  next line goes above the key. A comment line goes with the key or item below it and is
  indented like it; one indented deeper than that key or item closes the entry above it
  instead, and is indented like that entry. Comment lines at the top of the file that a blank
  line separates from the first key stay at the top; unindented ones at the end stay there.
- A blank line before a key or item is kept (several become one); blank lines at the start of
  a block, at the end of the file and elsewhere are dropped. No line ends in spaces (except
  where the spaces belong to the text of a block scalar), and the file ends in one newline.

The text is composed with ruamel.yaml's pure-Python parser, which keeps the exact position of
every node; the layout is written from those positions, copying each scalar's source text, and
comments are found between the nodes. ruamel's round-trip dumper is not used: it attaches a
comment line to the value *above* it (a key it moves would take the next key's comment along)
and keeps each comment's original column, and its comment handling fails on some valid files
(``NotImplementedError: overlap in comment``).

Nothing is ever lost or half-written: a file that does not parse, or whose new layout would
parse to other data than the original (``yaml_rs.loads(text, parse_datetime=False)``) or would
lose a comment, raises :class:`FormatError` with a position and a reason and is left as it is.
``format_file`` writes through :func:`peacekb.writing.write_atomic` (a temporary file in the same
folder, then ``os.replace``; the file keeps its mode), holding :func:`peacekb.writing.locked` from
the read to the replace, and only when the file still holds the bytes it read. A UTF-8 byte order
mark is kept, and a file whose first line ends in CRLF keeps CRLF line endings throughout. A file
(or a symbolic link to one) outside the knowledge base it is in is never written.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import typing
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from peacekb.models import KINDS
from peacekb.problems import one_line
from peacekb.writing import FileChanged, locked, write_atomic
from peacekb.yamlfile import parse_text, read_text

_MODELINE = re.compile(r"#\s*(yaml-language-server:|vim?:|ex:|-\*-)")
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"


class FormatError(Exception):
    """Why a file is left as it is, and where (1-based line and column)."""

    def __init__(self, code: str, message: str, line: int = 1, column: int = 1) -> None:
        message = one_line(message)
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Refusal:
    """A file fmt left untouched."""

    file: str
    line: int
    column: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: error {self.code}: {self.message}"


Status = Literal["unchanged", "changed", "refused"]


@dataclass(frozen=True)
class FileResult:
    path: Path
    status: Status
    refusal: Refusal | None = None


# --- files ------------------------------------------------------------------------------------------


def kind_of(path: Path) -> str | None:
    """The kind of record a file holds, from the folder it is in (``actors``, ``rounds``, ...)."""
    folder = Path(os.path.abspath(path)).parent.name
    return folder if folder in KINDS else None


def format_file(path: Path, kind: str, *, write: bool = True) -> FileResult:
    """Format one file; write it (atomically) when ``write`` and its layout changes.

    The file is locked from the read to the replace (:func:`peacekb.writing.locked`) and must
    still hold the bytes read just before it is replaced. A UTF-8 byte order mark is kept, and a
    file whose first line ends in CRLF is written with CRLF throughout. A file reached through a
    symbolic link is read and written in place of the link's target, and only when that target is
    in the knowledge base the file is in (the folder above its record folder)."""
    name = str(path)
    real = Path(os.path.realpath(path))
    root = Path(os.path.realpath(Path(os.path.abspath(path)).parent.parent))
    if root not in real.parents:  # never read (with --check) nor written through a link out of the knowledge base
        message = f"the file leads outside its knowledge base (to {real}); not read, nothing written there"
        return FileResult(path, "refused", Refusal(name, 1, 1, "outside-knowledge-base", message))
    try:
        with locked(real) if write else contextlib.nullcontext():
            return _format_locked(path, name, kind, write)
    except OSError as exc:
        return FileResult(path, "refused", Refusal(name, 1, 1, "unwritable-file", f"cannot write the file, left as it was: {exc.strerror or exc}"))


def _format_locked(path: Path, name: str, kind: str, write: bool) -> FileResult:
    text, problems = read_text(path, name)
    if text is None:
        p = problems[0]
        return FileResult(path, "refused", Refusal(name, p.line, p.column, p.code, p.message))
    try:
        raw = path.read_bytes()
        formatted = _keep_conventions(raw, format_text(text, kind))
    except FormatError as exc:
        return FileResult(path, "refused", Refusal(name, exc.line, exc.column, exc.code, exc.message))
    except OSError as exc:
        return FileResult(path, "refused", Refusal(name, 1, 1, "unreadable-file", f"cannot read the file: {exc.strerror or exc}"))
    except Exception as exc:  # a bug in fmt: this file is left as it is, the others are still formatted
        message = one_line(f"peacekb fmt failed ({type(exc).__name__}: {exc}); the file is left as it was; please report this with the file")
        return FileResult(path, "refused", Refusal(name, 1, 1, "fmt-internal-error", message))
    if formatted.encode("utf-8") == raw:
        return FileResult(path, "unchanged")
    if write:
        try:
            write_atomic(Path(os.path.realpath(path)), formatted, expected=raw)  # through a symbolic link, not over it
        except FileChanged as exc:
            return FileResult(path, "refused", Refusal(name, 1, 1, "file-changed", str(exc)))
        except OSError as exc:
            return FileResult(path, "refused", Refusal(name, 1, 1, "unwritable-file", f"cannot write the file, left as it was: {exc.strerror or exc}"))
    return FileResult(path, "changed")


def _keep_conventions(raw: bytes, formatted: str) -> str:
    """``formatted`` (LF, no BOM) with the BOM and the line endings of the file as read."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    body = raw[3:] if bom else raw
    first_end = body.find(b"\n")
    if first_end > 0 and body[first_end - 1 : first_end] == b"\r":
        formatted = formatted.replace("\n", "\r\n")
    return ("\ufeff" if bom else "") + formatted


# --- formatting ---------------------------------------------------------------------------------------


def format_text(text: str, kind: str | None) -> str:
    """The canonical layout of one record file of ``kind`` (a data folder name, see ``KINDS``).

    With ``kind`` None, keys keep their order and only the layout changes. Raises
    :class:`FormatError` when the file does not parse, or when its new layout would not mean
    exactly what it means now."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    data, problems = parse_text(text, "<text>")
    if problems:
        p = problems[0]
        raise FormatError(p.code, p.message, p.line, p.column)
    root, dashes = _compose(text)
    layout = _Layout(text, root, dashes, KINDS[kind] if kind else None)
    result = layout.render()
    _check_same(text, root, data, result, layout.comments)
    return result


def _compose(text: str) -> tuple[Any, list[tuple[int, int]]]:
    """The node tree of ``text``, and the (index, column) of every `-` that starts a block sequence item."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError
    from ruamel.yaml.scanner import Scanner
    from ruamel.yaml.tokens import BlockEntryToken

    dashes: list[tuple[int, int]] = []

    class DashScanner(Scanner):
        def get_token(self) -> Any:
            token = super().get_token()
            if isinstance(token, BlockEntryToken):
                dashes.append((token.start_mark.index, token.start_mark.column))
            return token

    yaml = YAML(typ="safe", pure=True)
    yaml.Scanner = DashScanner
    try:
        return yaml.compose(text), dashes
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise FormatError("yaml-syntax", exc.problem or exc.context or "invalid YAML", line, column) from None


def _check_same(text: str, root: Any, data: Any, result: str, comments: list[str]) -> None:
    """Refuse a layout that parses to other data, or that lost or added a comment."""
    import yaml_rs

    try:
        after = yaml_rs.loads(result, parse_datetime=False)
    except Exception as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise FormatError("fmt-changes-meaning", f"fmt would write YAML that does not parse ({reason}); the file is left as it was; please report this") from None
    path = _difference(data, after, ())
    if path is not None:
        line, column = _position(root, path)
        shown = _show_path(path) or "the record"
        raise FormatError(
            "fmt-changes-meaning",
            f"fmt would change the value of `{shown}`; the file is left as it was; please report this",
            line,
            column,
        )
    written = Counter(_Layout(result, *_compose(result), None).comments)
    lost, added = Counter(comments) - written, written - Counter(comments)
    if lost or added:
        what = f"lose the comment `{next(iter(lost))}`" if lost else f"add the comment `{next(iter(added))}`"
        raise FormatError("fmt-changes-meaning", f"fmt would {what}; the file is left as it was; please report this")


def _difference(a: Any, b: Any, path: tuple) -> tuple | None:
    """The path of the first place where ``a`` and ``b`` differ (in type or value), or None."""
    if type(a) is not type(b):
        return path
    if isinstance(a, dict):
        if list(a) != list(b) and set(a) != set(b):
            return path + (next(iter(k for k in list(a) + list(b) if k not in a or k not in b)),)
        for key in a:
            found = _difference(a[key], b[key], path + (key,))
            if found is not None:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return path
        for index, (x, y) in enumerate(zip(a, b)):
            found = _difference(x, y, path + (index,))
            if found is not None:
                return found
        return None
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return None
    return None if a == b else path


def _show_path(path: tuple) -> str:
    shown = ""
    for item in path:
        shown += f"[{item}]" if isinstance(item, int) else (f".{item}" if shown else str(item))
    return shown


def _position(root: Any, path: tuple) -> tuple[int, int]:
    """Line and column (1-based) of the node at ``path`` in the composed tree, or of its nearest parent."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    node = root
    for item in path:
        if isinstance(node, MappingNode):
            found = next((v for k, v in node.value if k.value == item), None) if isinstance(item, str) else None
        elif isinstance(node, SequenceNode) and isinstance(item, int) and item < len(node.value):
            found = node.value[item]
        else:
            found = None
        if found is None:
            break
        node = found
    return node.start_mark.line + 1, node.start_mark.column + 1


def key_order(model: type[BaseModel]) -> list[str]:
    """The canonical order of a record's keys: the model's fields."""
    return list(model.model_fields)


def _nested_model(model: type[BaseModel], field: str) -> type[BaseModel] | None:
    """The record model a field's value holds (itself or as list items): Role for `roles`."""
    info = model.model_fields.get(field)
    return _model_in(info.annotation) if info is not None else None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) is dict:
        return None
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


# --- the layout ----------------------------------------------------------------------------------------


@dataclass
class _Gap:
    """A comment line (``text``) or a blank line (``text`` None) between entries."""

    text: str | None


@dataclass
class _Anchor:
    """A place comments attach to: a key of a block mapping or an item of a block sequence."""

    index: int  # where it starts in the text (the dash, for an item)
    column: int
    node: Any  # the key node, or the item node
    value: Any = None  # a key's value node


class _Layout:
    def __init__(self, text: str, root: Any, dashes: list[tuple[int, int]], model: type[BaseModel] | None) -> None:
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

        self.Mapping, self.Scalar, self.Sequence = MappingNode, ScalarNode, SequenceNode
        self.text = text
        self.root = root
        self.model = model
        self.line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.spans: list[tuple[int, int, Any]] = []  # scalars, with block scalars' trailing blank lines cut off
        self.flows: list[Any] = []  # outermost flow collections
        self.anchors: list[_Anchor] = []
        self.gaps: list[tuple[int, int, Any]] = []  # between a key and its scalar or flow value on a later line
        self.owner: dict[int, _Anchor] = {}  # key node id -> its anchor
        self.verbatim: set[int] = set()  # flow collections with a comment inside: kept as written
        self.before: dict[int, list[_Gap]] = {}
        self.after: dict[int, list[_Gap]] = {}
        self.eol: dict[int, tuple[str, int]] = {}  # node id -> (comment, spaces before it)
        self.header: list[str] = []
        self.trailer: list[str] = []
        self.comments: list[str] = []
        self._dashes = sorted(dashes)
        self._dash_starts = [index for index, _ in self._dashes]
        self._collect(root, in_flow=False)
        self.anchors.sort(key=lambda a: a.index)
        self._attach()

    # -- positions

    def _line_of(self, index: int) -> int:
        return bisect_right(self.line_starts, index) - 1

    def _column_of(self, index: int) -> int:
        return index - self.line_starts[self._line_of(index)]

    def _slice(self, node: Any) -> str:
        return self.text[node.start_mark.index : self._end(node)]

    def _end(self, node: Any) -> int:
        end = node.end_mark.index
        if isinstance(node, self.Scalar) and node.style in ("|", ">"):
            newline = self.text.find("\n", node.start_mark.index)
            header = self.text[node.start_mark.index : newline if newline >= 0 else len(self.text)]
            indicator = header.split("#", 1)[0]
            if "+" not in indicator:  # trailing blank lines are not part of the text: leave them between entries
                body = self.text[node.start_mark.index : end]
                end = node.start_mark.index + len(body.rstrip(" \n")) + 1
                end = min(end, node.end_mark.index)
                if self.text[end - 1 : end] != "\n":
                    newline = self.text.find("\n", end)
                    end = node.end_mark.index if newline < 0 else newline + 1
        return end

    def _empty(self, node: Any) -> bool:
        return isinstance(node, self.Scalar) and node.tag == _NULL and node.value == "" and node.style is None

    # -- walking the tree

    def _unsupported(self, node: Any, message: str) -> FormatError:
        return FormatError("fmt-unsupported", message, node.start_mark.line + 1, node.start_mark.column + 1)

    def _collect(self, node: Any, in_flow: bool) -> None:
        if getattr(node, "anchor", None):
            raise self._unsupported(node, f"anchor `&{node.anchor}`: anchors are not allowed; remove it")
        if isinstance(node, self.Scalar):
            if not self._empty(node):
                self.spans.append((node.start_mark.index, self._end(node), node))
            return
        flow = bool(node.flow_style)
        if flow and not in_flow:
            self.flows.append(node)
        if isinstance(node, self.Mapping):
            for key, value in node.value:
                if not isinstance(key, self.Scalar):
                    raise self._unsupported(key, "a key that is itself a list or mapping: fmt lays out plain keys only")
                if "\n" in self._slice(key):
                    raise self._unsupported(key, "a key written over several lines: fmt lays out one-line keys only")
                if not flow:
                    anchor = _Anchor(key.start_mark.index, key.start_mark.column, key, value)
                    self.anchors.append(anchor)
                    self.owner[id(key)] = anchor
                    block_value = isinstance(value, (self.Mapping, self.Sequence)) and not value.flow_style
                    if not block_value and not self._empty(value) and self._line_of(value.start_mark.index) > self._line_of(key.end_mark.index):
                        self.gaps.append((key.end_mark.index, value.start_mark.index, key))
                self._collect(key, in_flow or flow)
                self._collect(value, in_flow or flow)
        else:
            if not flow:
                first, last = node.start_mark.index, node.end_mark.index
                column = node.start_mark.column
                span = self._dashes[bisect_left(self._dash_starts, first) : bisect_left(self._dash_starts, last)]
                dashes = [d for d in span if d[1] == column]
                if len(dashes) != len(node.value):
                    raise self._unsupported(node, "a sequence fmt cannot lay out (its dashes are not where they are expected)")
                for (index, col), item in zip(dashes, node.value):
                    self.anchors.append(_Anchor(index, col, item))
            for item in node.value:
                self._collect(item, in_flow or flow)

    # -- comments and blank lines

    def _scan(self) -> list[tuple[int, int, str, bool]]:
        """Every comment outside scalars: (index of `#`, line, text, alone on its line)."""
        mask = bytearray(len(self.text) + 1)
        for start, end, _ in self.spans:
            mask[start:end] = b"\x01" * (end - start)
        found = []
        text = self.text
        for number, start in enumerate(self.line_starts):
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            index = start
            while True:
                index = text.find("#", index, end)
                if index < 0:
                    break
                if not mask[index] and (index == start or text[index - 1] in " \t"):
                    alone = text[start:index].strip() == "" and not mask[start]
                    found.append((index, number, text[index:end].rstrip(), alone))
                    break
                index += 1
        self._mask = mask
        return found

    def _attach(self) -> None:
        found = self._scan()
        self.comments = [c[2] for c in found]
        text = self.text
        flow_spans = sorted((n.start_mark.index, n.end_mark.index, n) for n in self.flows)
        flow_starts = [s for s, _, _ in flow_spans]

        def in_flow(index: int) -> Any:
            at = bisect_right(flow_starts, index) - 1
            if at >= 0 and flow_spans[at][0] < index < flow_spans[at][1]:
                return flow_spans[at][2]
            return None

        outside = []
        for comment in found:
            flow = in_flow(comment[0])
            if flow is not None:
                self.verbatim.add(id(flow))
            else:
                outside.append(comment)
        for start, end, _ in flow_spans:
            self._mask[start:end] = b"\x01" * (end - start)

        # document markers and directives: the lines up to the last one before the record are kept
        # as written, and so are a `...` end marker and what follows it
        header_end, trailer_start = 0, len(text)
        for number, start in enumerate(self.line_starts):
            if start >= len(text) or self._mask[start]:
                continue
            if text.startswith(("---", "%"), start) and start < self.root.start_mark.index:
                header_end = self._line_end(number)
            elif text.startswith("...", start) and start >= self.root.start_mark.index:
                trailer_start = start
                break
        if header_end > self.root.start_mark.index:
            raise FormatError("fmt-unsupported", "the record starts on the `---` line: put it on the line below", 1, 1)
        self.header = [line.rstrip() for line in text[:header_end].split("\n")[:-1]]
        verbatim_trailer = [line.rstrip() for line in text[trailer_start:].rstrip("\n").split("\n")] if trailer_start < len(text) else []

        eol_nodes = sorted(
            [(end, node) for start, end, node in self.spans if in_flow(start) is None]
            + [(n.end_mark.index, n) for n in self.flows],
            key=lambda e: e[0],
        )
        eol_ends = [e for e, _ in eol_nodes]
        anchor_starts = [a.index for a in self.anchors]
        gap_starts = sorted(self.gaps)

        events: list[tuple[int, str | None, int, bool]] = []  # (index, comment or None for blank, column, alone)
        for index, number, comment, alone in outside:
            if header_end <= index < trailer_start:
                events.append((index, comment, index - self.line_starts[number], alone))
        for number, start in enumerate(self.line_starts):
            if start < header_end or start >= trailer_start or start >= len(text):
                continue
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            if text[start:end].strip() == "" and not self._mask[start] and end < len(text):
                events.append((start, None, 0, True))
        for anchor in self.anchors:
            events.append((anchor.index, "", anchor.column, True))
        events.sort(key=lambda e: e[0])

        pending: list[_Gap] = []
        trailer: list[_Gap] = []
        # comment lines between two entries keep their order: once one of them goes with the entry
        # below (or to the end of the file), the rest follow it; those that close an entry above may
        # close the same entry or an enclosing one, not a deeper one
        locked: list[_Gap] | None = None
        closing: _Anchor | None = None
        for index, comment, column, alone in events:
            if comment == "":  # an anchor: the blank lines above it are its own
                if pending:
                    self.before.setdefault(id(self.anchors[bisect_left(anchor_starts, index)].node), []).extend(pending)
                    pending = []
                locked, closing = None, None
                continue
            in_gap = next((key for start, end, key in gap_starts if start < index < end), None)
            if comment is None:
                if in_gap is None:
                    pending.append(_Gap(None))
                continue
            if not alone:
                at = bisect_right(eol_ends, index) - 1
                line_start = self.line_starts[self._line_of(index)]
                column = index - line_start - len(text[line_start:index].rstrip())  # the spaces before it
                if at >= 0 and line_start < eol_ends[at] <= index:
                    node = eol_nodes[at][1]
                    anchor = self.owner.get(id(node))
                    if anchor is None:
                        self.eol[id(node)] = (comment, column)
                        continue
                    value = anchor.value
                    if self._empty(value) or (isinstance(value, (self.Mapping, self.Sequence)) and not value.flow_style):
                        if id(node) not in self.eol:
                            self.eol[id(node)] = (comment, column)
                            continue
                    self.before.setdefault(id(node), []).append(_Gap(comment))
                    continue
            if not self.anchors:  # a record written as one flow mapping
                (self.header if index < self.root.start_mark.index else trailer).append(comment)
                continue
            # a comment line goes with the entry whose scalar value lies below it ...
            if in_gap is not None:
                self.before.setdefault(id(in_gap), []).extend(pending + [_Gap(comment)])
                pending = []
                continue
            at = bisect_left(anchor_starts, index)
            following = self.anchors[at] if at < len(self.anchors) else None
            previous = next((a for a in reversed(self.anchors[:at]) if a.column <= column), None)
            if locked is None:
                if following is not None and (
                    column <= following.column  # ... or with the entry below it
                    or previous is None
                    or following.index < self._entry_end(previous)  # (the first entry inside the one above)
                ):
                    locked = self.before.setdefault(id(following.node), [])
                elif following is None and (previous is None or column <= self.anchors[0].column):
                    locked = trailer  # the end of the file
            if locked is not None:
                locked.extend(pending + [_Gap(comment)])
                pending = []
                continue
            # ... unless it is indented deeper than that entry: then it closes the entry above it
            if closing is not None and previous.index > closing.index:
                previous = closing
            closing = previous
            self.after.setdefault(id(previous.node), []).extend(pending + [_Gap(comment)])
            pending = []
        if self.anchors:
            # comment lines at the top that a blank line separates from the first key stay at the top
            first = self.anchors[0].node
            # and so do editor modelines (`# yaml-language-server: $schema=...`)
            gaps = self.before.get(id(first), [])
            blanks = [n for n, g in enumerate(gaps) if g.text is None]
            cut = blanks[-1] + 1 if blanks else 0
            while cut < len(gaps) and _MODELINE.match(gaps[cut].text or ""):
                cut += 1
            if cut:
                self.header += self._gap_lines(gaps[:cut], 0, first=False)
                self.before[id(first)] = gaps[cut:]
        self.trailer = self._gap_lines([g if isinstance(g, _Gap) else _Gap(g) for g in trailer], 0, first=False) + verbatim_trailer

    def _entry_end(self, anchor: _Anchor) -> int:
        """Where the entry of a key, or an item, ends in the text."""
        node = anchor.node if anchor.value is None else anchor.value
        if anchor.value is not None and self._empty(node):
            node = anchor.node
        return node.end_mark.index if not isinstance(node, self.Scalar) else self._end(node)

    def _line_end(self, number: int) -> int:
        """The index just past the newline that ends line ``number`` (0-based)."""
        return self.line_starts[number + 1] if number + 1 < len(self.line_starts) else len(self.text)

    # -- writing

    def render(self) -> str:
        root = self.root
        if isinstance(root, self.Mapping) and not root.flow_style:
            body = self._mapping(root, 0, self.model)
        else:
            lines = self._inline(root, self.model, -self._column_of(root.start_mark.index), 0)
            body = self._with_eol(lines, root)
        header = _collapse(self.header)
        lines = header + body + _collapse(self.trailer)
        while lines and lines[0] == "":
            lines.pop(0)
        kept: list[str] = []
        after_keep = False
        for line in lines:
            if after_keep and line == "":
                continue
            after_keep = isinstance(line, _KeepEnd) or (after_keep and line == "")
            kept.append(line)
        return "\n".join(kept) + "\n"

    def _ordered(self, node: Any, model: type[BaseModel] | None) -> list[tuple[Any, Any, type[BaseModel] | None]]:
        pairs = list(node.value)
        if model is None:
            return [(k, v, None) for k, v in pairs]
        fields = key_order(model)
        known = [(fields.index(k.value), n) for n, (k, _) in enumerate(pairs) if k.tag == _STR and k.value in fields]
        known_at = {n for _, n in known}
        ordered = [pairs[n] for _, n in sorted(known)] + [p for n, p in enumerate(pairs) if n not in known_at]
        return [(k, v, _nested_model(model, k.value) if k.tag == _STR and k.value in fields else None) for k, v in ordered]

    def _gap_lines(self, gaps: list[_Gap], column: int, first: bool) -> list[str]:
        lines = [("" if g.text is None else " " * column + g.text) for g in gaps]
        lines = _collapse(lines)
        if first:
            while lines and lines[0] == "":
                lines.pop(0)
        return lines

    def _mapping(self, node: Any, column: int, model: type[BaseModel] | None, hoist: bool = False) -> list[str]:
        lines: list[str] = []
        for n, (key, value, child) in enumerate(self._ordered(node, model)):
            if not (hoist and n == 0):
                lines += self._gap_lines(self.before.get(id(key), []), column, first=n == 0)
            lines += self._entry(key, value, column, child)
            lines += self._gap_lines(self.after.get(id(key), []), column, first=False)
        return lines

    def _entry(self, key: Any, value: Any, column: int, child: type[BaseModel] | None) -> list[str]:
        head = " " * column + self._slice(key) + ":"
        if self._empty(value):
            return self._with_eol([head], key)
        if isinstance(value, self.Mapping) and not value.flow_style:
            return self._with_eol([head], key) + self._mapping(value, column + 2, child)
        if isinstance(value, self.Sequence) and not value.flow_style:
            return self._with_eol([head], key) + self._sequence(value, column + 2, child)
        lines = self._inline(value, child, column - key.start_mark.column, column)
        return self._kept(self._with_eol([head + " " + lines[0]] + lines[1:], value), value)

    def _sequence(self, node: Any, column: int, model: type[BaseModel] | None, hoist: bool = False) -> list[str]:
        lines: list[str] = []
        old = node.start_mark.column
        for n, item in enumerate(node.value):
            hoisted = hoist and n == 0  # its leading comments stand above the outer dash
            if not hoisted:
                lines += self._gap_lines(self.before.get(id(item), []), column, first=n == 0)
            dash = " " * column + "- "
            if self._empty(item):
                lines.append(dash.rstrip())
            elif isinstance(item, (self.Mapping, self.Sequence)) and not item.flow_style:
                if not hoisted:
                    lines += self._lead(item, column, model)
                if isinstance(item, self.Mapping):
                    inner = self._mapping(item, column + 2, model, hoist=True)
                else:
                    inner = self._sequence(item, column + 2, model, hoist=True)
                lines += [dash + inner[0][column + 2 :]] + inner[1:]
            else:
                inline = self._inline(item, model, column - old, column)
                lines += self._kept(self._with_eol([dash + inline[0]] + inline[1:], item), item)
            lines += self._gap_lines(self.after.get(id(item), []), column, first=False)
        return lines

    def _lead(self, node: Any, column: int, model: type[BaseModel] | None) -> list[str]:
        """The comment lines before a block collection's first entry, set above the dash it stands on."""
        if not node.value:
            return []
        first = self._ordered(node, model)[0][0] if isinstance(node, self.Mapping) else node.value[0]
        lines = self._gap_lines(self.before.get(id(first), []), column, first=True)
        if isinstance(node, self.Sequence) and isinstance(first, (self.Mapping, self.Sequence)) and not first.flow_style:
            lines += self._lead(first, column, model)
        return lines

    def _inline(self, node: Any, model: type[BaseModel] | None, delta: int, column: int) -> list[str]:
        """A scalar or flow collection: its first line goes after `key: ` or `- ` (at ``column``),
        the others are shifted by ``delta`` columns; a block scalar's text is indented by 2 under
        its key or dash unless its header fixes the indentation (`|2`)."""
        if isinstance(node, (self.Mapping, self.Sequence)):
            canonical = self._flow(node, model)
            if canonical is not None:
                return [canonical]
        source = self._slice(node).split("\n")
        if isinstance(node, self.Scalar) and node.style in ("|", ">"):
            if source and source[-1] == "":
                source.pop()
            content = [line for line in source[1:] if line.strip()]
            indent = min((len(line) - len(line.lstrip(" ")) for line in content), default=0)
            indicators = source[0][1:].split("#", 1)[0].strip()
            if content and not any(c.isdigit() for c in indicators):
                delta = column + 2 - indent
            lines = [source[0].rstrip()]
            for line in source[1:]:
                if line.strip() == "" and len(line) <= indent:
                    lines.append("")
                else:
                    lines.append(_shift(line, delta))
            return lines
        lines = [source[0].rstrip()]
        for line in source[1:]:
            lines.append("" if line.strip() == "" else _shift(line, delta).rstrip())
        return lines

    def _flow(self, node: Any, model: type[BaseModel] | None) -> str | None:
        """A flow collection on one line, ``[a, b]`` / ``{key: value}``, or None to keep it as written."""
        if id(node) in self.verbatim:
            return None
        if isinstance(node, self.Scalar):
            text = self._slice(node)
            return None if "\n" in text else text
        opening = self.text[node.start_mark.index : node.start_mark.index + 1]
        if isinstance(node, self.Sequence):
            if opening != "[":
                return None
            parts = [self._flow(item, model) for item in node.value]
            return None if None in parts else "[" + ", ".join(parts) + "]"
        if opening != "{":
            return None
        parts = []
        for key, value, child in self._ordered(node, model):
            if not isinstance(key, self.Scalar) or self._empty(key):
                return None
            key_text = self._flow(key, None)
            if key_text is None:
                return None
            if self._empty(value):
                parts.append(key_text)
                continue
            value_text = self._flow(value, child)
            if value_text is None:
                return None
            parts.append(f"{key_text}: {value_text}")
        return "{" + ", ".join(parts) + "}"

    def _kept(self, lines: list[str], node: Any) -> list[str]:
        """Mark the end of a block scalar that keeps its final line breaks (`|+`, `>+`): a blank line
        written after it would become part of its text."""
        if isinstance(node, self.Scalar) and node.style in ("|", ">") and "+" in self._slice(node).split("\n", 1)[0].split("#", 1)[0]:
            lines[-1] = _KeepEnd(lines[-1])
        return lines

    def _with_eol(self, lines: list[str], node: Any) -> list[str]:
        found = self.eol.get(id(node))
        if found is None:
            return lines
        comment, spaces = found
        return lines[:-1] + [lines[-1].rstrip() + " " * max(2, spaces) + comment]


class _KeepEnd(str):
    """The last line of a block scalar that keeps its final line breaks."""


def _shift(line: str, delta: int) -> str:
    if delta >= 0:
        return " " * delta + line
    strip = min(-delta, len(line) - len(line.lstrip(" ")))
    return line[strip:]


def _collapse(lines: list[str]) -> list[str]:
    """Runs of blank lines become one."""
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return out
