"""Positions of values in YAML files, found only for the values that have problems.

ruamel.yaml composes a file into nodes that carry their 0-based start marks;
a path such as ``("statements", 3, "speaker")`` is walked down those nodes to
the key or value it names. Paths that end at a missing key resolve to the
nearest enclosing node, which is where the missing field belongs.

Each file is composed once, and a large mapping gets a lookup index, so locating many problems costs
one parse of the file. A file above ``LOCATE_MAX_BYTES`` is not composed at all: its problems are
reported at line 1, column 1, with the place in the document named in the message.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from peacekb import safefile
from peacekb.problems import PathItem, Problem, Target


# a file larger than this is not composed (libyaml takes about 0.2 s a megabyte, ruamel.yaml in pure
# Python 3 to 4 s):
# its problems are reported at its first line, naming the place in the document in the message
LOCATE_MAX_BYTES = 4 * 1024 * 1024


def _shown(path: tuple[PathItem, ...]) -> str:
    text = ""
    for item in path:
        text += f"[{item}]" if isinstance(item, int) else (f".{item}" if text else str(item))
    return text


class Locator:
    """Resolves document paths to 1-based (line, column), parsing each file at most once."""

    def __init__(self, texts: dict[str, str] | None = None) -> None:
        self._roots: dict[str, Any] = {}
        # the keys of each mapping node with many keys, by id of the node: finding a child is then a
        # lookup, not a scan, so locating many problems in one large mapping stays linear
        self._index: dict[int, dict[str, tuple[Any, Any]]] = {}
        self._texts = texts or {}  # file name to text standing in for the file on disk

    def _root(self, file: str) -> Any:
        if file not in self._roots:
            self._roots[file] = None if self.too_large(file) else _compose(Path(file), self._texts.get(file))
        return self._roots[file]

    def too_large(self, file: str) -> bool:
        """Whether ``file`` is too large to be composed in pure Python for its positions."""
        if file in self._texts:
            return len(self._texts[file]) > LOCATE_MAX_BYTES
        try:
            return os.lstat(file).st_size > LOCATE_MAX_BYTES
        except OSError:
            return False

    def position(self, file: str, path: tuple[PathItem, ...], target: Target = "value") -> tuple[int, int]:
        node = self._root(file)
        if node is None:
            return 1, 1
        mark = node.start_mark
        last = len(path) - 1
        for index, item in enumerate(path):
            key_node, child = self._child(node, item)
            if child is None:
                break
            use_key = target == "key" and key_node is not None and index == last
            mark = key_node.start_mark if use_key else child.start_mark
            node = child
        return mark.line + 1, mark.column + 1

    def _child(self, node: Any, item: PathItem) -> tuple[Any, Any]:
        from ruamel.yaml.nodes import MappingNode

        if isinstance(node, MappingNode) and len(node.value) > 16 and item not in (None, "None"):
            index = self._index.get(id(node))
            if index is None:
                index = {}
                for key_node, value_node in node.value:
                    index.setdefault(str(key_node.value), (key_node, value_node))
                self._index[id(node)] = index
            return index.get(str(item), (None, None))
        return _child(node, item)

    def locate(self, found: Problem) -> Problem:
        if found.located:
            return found
        if found.path and self.too_large(found.file):
            # at the file's start, with the place in the document named in the message instead
            return replace(found, message=f"{found.message} (at `{_shown(found.path)}`)").at(1, 1)
        return found.at(*self.position(found.file, found.path, found.target))


def locate_all(problems: list[Problem], texts: dict[str, str] | None = None) -> list[Problem]:
    locator = Locator(texts)
    return [locator.locate(p) for p in problems]


def _compose(path: Path, text: str | None = None) -> Any:
    from ruamel.yaml import YAML

    try:
        if text is None:
            # never through a link, never a special file, never more than the size limit
            text = safefile.read_bytes(path).decode("utf-8")
        # the safe parser, in C (libyaml, from ruamel.yaml.clib) where it is installed: about ten
        # times quicker than ruamel's pure Python, with the same marks; the round-trip parser's comment
        # handling raises NotImplementedError ("overlap in comment") on some valid files
        return YAML(typ="safe").compose(text.removeprefix("\ufeff"))
    except Exception:  # the file was readable when loaded; if not now, fall back to its start
        return None


def _child(node: Any, item: PathItem) -> tuple[Any, Any]:
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if str(key_node.value) == str(item) or (item in (None, "None") and str(key_node.tag).endswith(":null")):
                return key_node, value_node
    elif isinstance(node, SequenceNode) and isinstance(item, int) and 0 <= item < len(node.value):
        return None, node.value[item]
    return None, None
