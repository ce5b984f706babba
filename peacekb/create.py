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
    yaml.width = 100
    yaml.allow_unicode = True
    return yaml


def _prepare(value: Any, key: str | None = None) -> Any:
    """Plain data as ruamel should write it: short lists of scalars in flow style, day dates unquoted."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

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
    return value


def dump(data: dict) -> str:
    stream = io.StringIO()
    _yaml().dump(_prepare(data), stream)
    return stream.getvalue()


def new_file(root: Path, kind: str, data: dict) -> tuple[Path, str]:
    """The path and text of a new record file; refuses to replace an existing file, and an id that
    is not a slug (so that the path stays in its folder)."""
    check_id(data["id"], "id")
    path = root / FOLDER[kind] / f"{data['id']}.yaml"
    if path.exists():
        raise CreateError(f"{path} exists already: a new {kind} needs an id of its own")
    return path, dump(data)


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
