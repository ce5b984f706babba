"""Creating records: the YAML text of a new record file, or of a statement added to a round.

A new statement is appended to its round's (or event's) file as text, so that everything else
in the file stays byte for byte as it was; the result is parsed again and must mean exactly the
old file plus the new statement. The caller checks the whole knowledge base with the new text in
place (``load(root, overrides=...)``) before anything is written.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import yaml_rs

from peacekb.dates import FuzzyDate

FOLDER = {"actor": "actors", "issue": "issues", "round": "rounds", "source": "sources", "event": "events"}
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:", re.MULTILINE)
_DATE_FIELDS = {"date", "start", "end", "published"}


class CreateError(Exception):
    """The record cannot be added as asked (its file exists, the round file has no place for it, ...)."""


def check_id(ident: object, option: str = "--id") -> str:
    """``ident`` if it is a slug (``ID_PATTERN``), else CreateError: an id from the command line
    is never made into a path that could leave its folder (``../x``, ``a/b``, ``/abs``)."""
    from peacekb.models import ID_PATTERN

    if not isinstance(ident, str) or not re.fullmatch(ID_PATTERN, ident) or len(ident) > 80:
        raise CreateError(
            f"{option} {ident!r} is not an id: ids are lowercase slugs (letters a-z, digits and single hyphens, e.g. `geneva-2026-02`)"
        )
    return ident


def inside(root: Path, path: Path) -> Path:
    """``path`` if it resolves (symbolic links followed, for itself or for its folder) to a place
    inside the knowledge base ``root``; else CreateError, as nothing is written outside it."""
    import os

    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(path))
    if real != real_root and real_root not in real.parents:
        raise CreateError(f"{path} leads outside the knowledge base (to {real}): nothing written there")
    return path


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1_000_000  # a value stays on one line: never folded, so no line ends in a space
    yaml.allow_unicode = True
    return yaml


# plain scalars that a YAML 1.1 reader (PyYAML, many editors and linters) takes for something other
# than text: booleans (`NO`, `on`), sexagesimal numbers (`12:30`), octal, dates; YAML 1.2 readers
# read most of them as text, but the files must mean the same to both
_YAML11_SPECIAL = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|"
    r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[-+]?0[0-7_]+|[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)|"
    r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|=|<<|"
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?)$"
)


def _prepare(value: Any, key: str | None = None) -> Any:
    """Plain data as ruamel should write it: short lists of scalars in flow style, day dates
    unquoted, text that a YAML 1.1 reader would misread quoted."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            if v is None or v == [] or v == {}:
                continue
            out[k] = _prepare(v, k)
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_prepare(v) for v in value)
        if all(not isinstance(v, (dict, list)) for v in value):
            seq.fa.set_flow_style()
        return seq
    if key in _DATE_FIELDS and isinstance(value, str):
        date = FuzzyDate.parse(value)
        if date.precision == "day" and not date.approximate and not date.is_span and not date.open_start:
            return dt.date(date.year, date.month, date.day)
    if isinstance(value, str) and _YAML11_SPECIAL.match(value):
        return SingleQuotedScalarString(value)
    return value


def dump(data: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(_prepare(data), stream)
    return "\n".join(line.rstrip() for line in stream.getvalue().split("\n"))


def canonical(kind: str, data: dict) -> str:
    """The text of a new record file of ``kind`` (``actor``, ...), laid out as ``peacekb fmt`` would."""
    from peacekb.fields import ordered
    from peacekb.fmt import format_text
    from peacekb.models import KINDS

    folder = FOLDER[kind]
    return format_text(dump(ordered(KINDS[folder], data)), folder)


def new_file(root: Path, kind: str, data: dict) -> tuple[Path, str]:
    """The path and text of a new record file; refuses to replace an existing file, and an id that
    is not a slug (so that the path stays in its folder)."""
    check_id(data["id"], "id")
    path = root / FOLDER[kind] / f"{data['id']}.yaml"
    if path.exists():
        raise CreateError(f"{path} exists already: a new {kind} needs an id of its own")
    return path, canonical(kind, data)


def add_statement(path: Path, statement: dict, text: str | None = None) -> str:
    """The text of ``path`` (or ``text``, the file as read) with ``statement`` appended to its
    `statements` list.

    A UTF-8 byte order mark and the file's line endings are kept: the text already there stays
    byte for byte, and the new lines end as the file's first line does (CRLF or LF)."""
    if text is None:
        try:
            text = path.read_bytes().decode("utf-8")
        except OSError as exc:
            raise CreateError(f"cannot read {path}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise CreateError(f"{path} is not UTF-8; fix it first (peacekb validate)") from None
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    original = text[len(bom):]
    first_end = original.find("\n")
    crlf = first_end > 0 and original[first_end - 1] == "\r"
    lf = original.replace("\r\n", "\n")
    new = _append(path, lf, statement)
    eol = "\r\n" if crlf else "\n"
    if new.startswith(lf):  # the old text exactly as it was, then the new lines
        return bom + original + new[len(lf):].replace("\n", eol)
    return bom + new.replace("\n", eol)  # `statements: []` became `statements:`


def _append(path: Path, text: str, statement: dict) -> str:
    try:
        before = yaml_rs.loads(text, parse_datetime=False) if text.strip() else None
    except yaml_rs.YAMLDecodeError:
        before = None
    if not isinstance(before, dict):
        raise CreateError(f"{path} does not hold a record; fix it first (peacekb validate)")
    block = dump([statement])  # `  - id: ...`, indented as a list under a top-level key
    keys = _TOP_KEY.findall(text)
    body = text if text.endswith("\n") else text + "\n"
    if "statements" not in before and "statements" not in keys:
        new = body + "statements:\n" + block
    elif keys and keys[-1] == "statements" and isinstance(before.get("statements"), list):
        empty = r"^statements:[ \t]*\[[ \t]*\][ \t]*$"  # not `\s`, which would take the line's end along
        if re.search(empty, text, re.MULTILINE):
            new = re.sub(empty, "statements:", body, count=1, flags=re.MULTILINE) + block
        else:
            new = body + ("\n" if before["statements"] else "") + block
    else:
        raise CreateError(f"{path}: `statements` is not the last field of the file; move it to the end to add statements")
    try:
        after = yaml_rs.loads(new, parse_datetime=False)
    except yaml_rs.YAMLDecodeError:
        after = None
    expected = dict(before, statements=[*(before.get("statements") or []), yaml_rs.loads(dump(statement), parse_datetime=False)])
    if after != expected:
        raise CreateError(f"{path}: the statement could not be added without changing the rest of the file")
    return new


# --- adding to a record that exists ----------------------------------------------------------------


def _split_conventions(text: str) -> tuple[str, str, bool]:
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    first_end = body.find("\n")
    crlf = first_end > 0 and body[first_end - 1] == "\r"
    return bom, body.replace("\r\n", "\n"), crlf


def _get(data: Any, path: tuple) -> Any:
    for item in path:
        data = data[item]
    return data


def _indented(lines: str, column: int) -> str:
    """``lines`` shifted right by ``column`` (left, for a negative one)."""
    out = []
    for line in lines.rstrip("\n").split("\n"):
        if line and column >= 0:
            line = " " * column + line
        elif line:
            line = line[min(-column, len(line) - len(line.lstrip(" "))):]
        out.append(line + "\n")
    return "".join(out)


def _last_end(text: str, node: Any) -> int:
    """Where the line that ends ``node``'s text ends (just past its newline)."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        node = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
    end = node.end_mark.index
    if end > 0 and text[end - 1] == "\n":
        return end
    newline = text.find("\n", end)
    return len(text) if newline < 0 else newline + 1


def append_item(path: Path, text: str, where: tuple, field: str, value: Any, model: type, many: bool = True) -> str:
    """The text of a record file with ``value`` added to the field ``field`` of the record at
    ``where`` (a path in the file's data: ``()`` for the file's record, ``("statements", 3)`` for a
    statement) whose model is ``model``: appended to its list when ``many``, else set (a field
    that must not be set already).

    The new lines are written in the canonical layout where the field belongs (after the last item,
    or where the model's order puts a field not there yet); everything else stays byte for byte,
    comments, CRLF line endings and a byte order mark too. The result is parsed again and must mean
    exactly the old file with the value added, else CreateError and nothing is changed."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from peacekb.fields import ordered, shape_of
    from peacekb.fmt import FormatError, _compose

    bom, lf, crlf = _split_conventions(text)
    try:
        before = yaml_rs.loads(lf, parse_datetime=False) if lf.strip() else None
        root, _ = _compose(lf)
    except (yaml_rs.YAMLDecodeError, FormatError):
        before = None
    if not isinstance(before, dict):
        raise CreateError(f"{path} does not hold a record; fix it first (peacekb validate)")
    node = root
    for item in where:
        if isinstance(node, MappingNode):
            node = next((v for k, v in node.value if k.value == item), None)
        elif isinstance(node, SequenceNode) and isinstance(item, int) and item < len(node.value):
            node = node.value[item]
        else:
            node = None
        if node is None or (isinstance(node, (MappingNode, SequenceNode)) and node.flow_style):
            raise CreateError(f"{path}: the record to add to is written in a way `new` cannot add to; add it by hand")
    if not isinstance(node, MappingNode) or node.flow_style or not node.value:
        raise CreateError(f"{path}: the record to add to is written in a way `new` cannot add to; add it by hand")
    _, nested = shape_of(model.model_fields[field].annotation)
    prepared = ordered(nested, value)
    column = node.value[0][0].start_mark.column
    entry = dict(node.value and [(k.value, (k, v)) for k, v in node.value])
    current = _get(before, where).get(field)
    if field in entry and not many and current is not None:
        raise CreateError(f"{path}: `{field}` is set already; change it by hand")
    if field in entry:
        key, seq = entry[field]
        if isinstance(seq, SequenceNode) and not seq.flow_style and seq.value:
            at = _last_end(lf, seq)
            new = lf[:at] + _indented(dump([prepared]), seq.start_mark.column - 2) + lf[at:]
        elif (isinstance(seq, ScalarNode) and seq.value == "" and seq.tag.endswith(":null")) or (
            isinstance(seq, SequenceNode) and seq.flow_style and not seq.value
        ):
            # `field:` or `field: []`: the value goes under the key
            start = key.start_mark.index
            line_end = lf.find("\n", start)
            line_end = len(lf) if line_end < 0 else line_end
            line = lf[start:line_end]
            comment = ""
            if "#" in line and isinstance(seq, SequenceNode):
                comment = "  " + line[line.index("#", seq.end_mark.index - start):]
            head = lf[start : seq.start_mark.index].rstrip() if isinstance(seq, SequenceNode) else line.rstrip()
            if isinstance(seq, ScalarNode):
                head = line.rstrip()
            block = _indented(dump({field: [prepared] if many else prepared}).split("\n", 1)[1], column)
            new = lf[:start] + head + comment + "\n" + block + lf[line_end + 1 :]
        else:
            raise CreateError(f"{path}: `{field}` is written on one line ([...]); write it as a block list to add to it")
    else:
        fields = list(model.model_fields)
        earlier = [name for name in fields[: fields.index(field)] if name in entry]
        block = _indented(dump({field: [prepared] if many else prepared}), column)
        if earlier:
            at = _last_end(lf, entry[earlier[-1]][1] if not _empty_node(entry[earlier[-1]][1]) else entry[earlier[-1]][0])
        else:
            first_key = node.value[0][0]
            at = lf.rfind("\n", 0, first_key.start_mark.index) + 1
            if at < node.start_mark.index or lf[at:first_key.start_mark.index].strip():
                # the first key sits on a dash line (`- id: x`): the new field goes after that entry
                at = _last_end(lf, entry[first_key.value][1])
        new = lf[:at] + block + lf[at:]
    try:
        after = yaml_rs.loads(new, parse_datetime=False)
    except yaml_rs.YAMLDecodeError:
        after = None
    expected = yaml_rs.loads(lf, parse_datetime=False)
    target = _get(expected, where)
    added = yaml_rs.loads(dump({"v": prepared}), parse_datetime=False)["v"]
    target[field] = [*(target.get(field) or []), added] if many else added
    if after != expected:
        raise CreateError(f"{path}: `{field}` could not be added without changing the rest of the file; add it by hand")
    eol = "\r\n" if crlf else "\n"
    return bom + new.replace("\n", eol)


def _empty_node(node: Any) -> bool:
    from ruamel.yaml.nodes import ScalarNode

    return isinstance(node, ScalarNode) and node.value == "" and node.tag.endswith(":null")
