"""Renaming a record: its id, its file, and every reference to it across the knowledge base.

:func:`plan` finds the references through the models' reference fields
(:data:`peacekb.references.REFERENCES`), never by searching the text: an actor `russia` is
renamed in `party: russia` and `delegations: [{party: russia}]` but not in a summary that says
"Russia" or in a source id `russia-today-report`. Besides the reference fields, a dispute's
`field` path (`delegations.russia.head`) and a version's `value` that name the old id are
renamed too. Each change is made on the text at the exact position of the value (or mapping key),
so comments, layout, quoting elsewhere and line endings stay as they were; the new text is parsed
again and must equal the old data with exactly those values changed. :func:`apply` writes every
file or none (:func:`peacekb.writing.write_all`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml_rs

from peacekb.models import KINDS
from peacekb.references import walk

FOLDERS = {"actor": "actors", "issue": "issues", "round": "rounds", "source": "sources", "event": "events"}


class RenameError(Exception):
    """The rename cannot be made as asked; nothing was written."""


@dataclass
class Plan:
    kind: str
    old: str
    new: str
    texts: dict[Path, tuple[str, bytes]] = field(default_factory=dict)  # file -> (new text, bytes read)
    counts: dict[Path, int] = field(default_factory=dict)  # file -> places changed
    move: tuple[Path, Path] | None = None  # the record's own file, to its new name

    @property
    def references(self) -> int:
        return sum(self.counts.values())


def _places(folder: str, data: dict, kind: str, old: str, own: bool) -> list[tuple[tuple, bool, str]]:
    """(path, is_key, new text for the value) of every place to change in one file's data."""
    found: list[tuple[tuple, bool, str | None]] = []
    if own:
        found.append((("id",), False, None))
    for path, ref_kind, ident, is_key in walk(KINDS[folder], data):
        if ref_kind == kind and ident == old:
            found.append((path, is_key, None))
    found += _dispute_places(data, (), old)
    return found  # type: ignore[return-value]


def _dispute_places(value: Any, path: tuple, old: str) -> list:
    """Disputes anywhere in a record: a `field` path with the old id as a segment, a version's value."""
    found: list = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "disputes" and isinstance(item, list):
                for index, dispute in enumerate(item):
                    if not isinstance(dispute, dict):
                        continue
                    where = (*path, "disputes", index)
                    text = dispute.get("field")
                    if isinstance(text, str) and old in text.split("."):
                        found.append(((*where, "field"), False, ("field", text)))
                    for v_index, version in enumerate(dispute.get("versions") or []):
                        if isinstance(version, dict) and version.get("value") == old:
                            found.append(((*where, "versions", v_index, "value"), False, None))
            elif isinstance(item, (dict, list)):
                found += _dispute_places(item, (*path, key), old)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _dispute_places(item, (*path, index), old)
    return found


def _node_at(root: Any, path: tuple, is_key: bool) -> Any:
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    node = root
    for n, item in enumerate(path):
        last = n == len(path) - 1
        if isinstance(node, MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == item), None)
            if pair is None:
                return None
            node = pair[0] if (last and is_key) else pair[1]
        elif isinstance(node, SequenceNode) and isinstance(item, int) and item < len(node.value):
            node = node.value[item]
        else:
            return None
    return node


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain where that reads back as the same text, else quoted."""
    from peacekb.create import dump

    return dump({"v": text}).split(":", 1)[1].strip()


def _set(data: Any, path: tuple, is_key: bool, value: str) -> None:
    for item in path[:-1]:
        data = data[item]
    if is_key:
        data[value] = data.pop(path[-1])  # the order of keys is not compared
    else:
        data[path[-1]] = value


def plan(root: Path, kind: str, old: str, new: str) -> Plan:
    """What renaming the ``kind`` record ``old`` to ``new`` changes (nothing is written)."""
    from peacekb.create import CreateError, check_id
    from peacekb.fmt import FormatError, _compose
    from peacekb.loader import load
    from peacekb.suggest import did_you_mean
    from peacekb.yamlfile import read_text

    folder = FOLDERS[kind]
    try:
        check_id(new, "NEW")
    except CreateError as exc:
        raise RenameError(str(exc)) from None
    result = load(root)
    kb = result.kb
    table = getattr(kb, folder)
    if old not in table:
        raise RenameError(f"no {kind} `{old}`{did_you_mean(old, kb.names(folder))}")
    if new == old:
        raise RenameError(f"`{old}` is its name already")
    if new in table or (root / folder / f"{new}.yaml").exists():
        raise RenameError(f"{kind} `{new}` exists already ({root / folder / (new + '.yaml')}): nothing renamed")
    if folder in ("rounds", "events"):
        other = "events" if folder == "rounds" else "rounds"
        if new in getattr(kb, other):
            raise RenameError(f"`{new}` is the id of an {other[:-1]} already; a round and an event need ids of their own")
    broken = sorted({p.file for p in result.problems if p.severity == "error" and p.code.startswith(("yaml", "not-", "empty-file", "duplicate-key", "unreadable"))})
    if broken:
        raise RenameError(f"{broken[0]} cannot be read ({len(broken)} file(s) in all): references in it could not be renamed; fix it first (peacekb validate)")
    own_file = Path(kb.origin(folder, old).file)
    renamed = Plan(kind, old, new)
    for data_folder in KINDS:
        directory = root / data_folder
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.yaml")):
            text, _ = read_text(path, str(path), follow_links=False)
            if text is None:
                continue
            try:
                raw = path.read_bytes()
                data = yaml_rs.loads(text, parse_datetime=False)
            except (OSError, yaml_rs.YAMLDecodeError):
                continue
            if not isinstance(data, dict):
                continue
            own = data_folder == folder and path == own_file
            places = _places(data_folder, data, folder, old, own)
            if not places:
                continue
            bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
            crlf = b"\n" in raw and raw.split(b"\n", 1)[0].endswith(b"\r")
            lf = text.replace("\r\n", "\n")
            try:
                root_node, _ = _compose(lf)
            except FormatError as exc:
                raise RenameError(f"{path}:{exc.line}:{exc.column}: {exc.message}") from None
            edits = []
            expected = yaml_rs.loads(lf, parse_datetime=False)
            for place, is_key, special in places:
                node = _node_at(root_node, place, is_key)
                if node is None or not hasattr(node, "value") or not isinstance(node.value, str):
                    raise RenameError(f"{path}: the reference at {'.'.join(map(str, place))} is written in a way rename cannot change; change it by hand")
                value = new if special is None else ".".join(new if s == old else s for s in special[1].split("."))
                edits.append((node.start_mark.index, node.end_mark.index, _scalar(value)))
                _set(expected, place, is_key, value)
            edits.sort()
            for (_, end, _), (start, _, _) in zip(edits, edits[1:]):
                if start < end:
                    raise RenameError(f"{path}: two references overlap; change them by hand")
            out = lf
            for start, end, replacement in reversed(edits):
                out = out[:start] + replacement + out[end:]
            try:
                after = yaml_rs.loads(out, parse_datetime=False)
            except yaml_rs.YAMLDecodeError:
                after = None
            if after != expected:
                raise RenameError(f"{path}: the references could not be renamed without changing the rest of the file; nothing renamed")
            if crlf:
                out = out.replace("\n", "\r\n")
            renamed.texts[path] = (bom + out, raw)
            renamed.counts[path] = len(places) - (1 if own else 0)
    if own_file.name == f"{old}.yaml":
        renamed.move = (own_file, own_file.with_name(f"{new}.yaml"))
    # the knowledge base as it will be has no error it has not now (the renamed file still under
    # its old name here, hence its id-mismatch)
    before = {(p.file, p.code, p.message) for p in result.problems}
    after = load(root, overrides={path: text.removeprefix("\ufeff") for path, (text, _) in renamed.texts.items()}).problems
    fresh = [p for p in after if p.severity == "error" and (p.file, p.code, p.message) not in before
             and not (p.code == "id-mismatch" and renamed.move and p.file == str(own_file))]
    if fresh:
        raise RenameError(f"the rename would bring {len(fresh)} error(s), the first: {fresh[0]}")
    return renamed


def apply(renamed: Plan) -> None:
    """Write every changed file, or none (OSError or FileChanged: nothing was changed)."""
    from peacekb.writing import write_all

    write_all({path: text for path, (text, _) in renamed.texts.items()}, {path: raw for path, (_, raw) in renamed.texts.items()}, renamed.move)
