"""Machine formats shared by every query command: json, yaml, csv and markdown, written to stdout.

json and yaml carry the whole result, with ids (``queries.to_data``); csv is one row per record;
markdown pastes into a report or a pull-request comment. None of them goes through rich.
"""

from __future__ import annotations

import csv
import enum
import io
import json
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any


class Format(str, enum.Enum):
    text = "text"
    json = "json"
    yaml = "yaml"
    csv = "csv"
    markdown = "markdown"


def write_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def write_yaml(data: Any) -> None:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False  # keep the result's field order
    stream = io.StringIO()
    yaml.dump(data, stream)
    sys.stdout.write(stream.getvalue())


def write_csv(header: list[str], rows: Iterable[list[Any]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["; ".join(map(str, v)) if isinstance(v, (list, tuple)) else ("" if v is None else v) for v in row])


def md_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = ", ".join(map(str, value))
    return str(value).replace("|", "\\|").replace("\n", " ")


def md_text(value: Any) -> str:
    """Data text for a markdown heading, list item or paragraph: on one line, with what markdown would
    read as markup (emphasis, code, links, html, a heading or list marker at the start) escaped."""
    text = re.sub(r"([\\`*_\[\]<>])", r"\\\1", " ".join(str(value).split()))
    text = re.sub(r"^([#+-])", r"\\\1", text)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)


def md_table(header: list[str], rows: Iterable[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def emit(
    fmt: Format,
    data: Any,
    text: Callable[[], None],
    markdown: Callable[[], str],
    table: Callable[[], tuple[list[str], Iterable[list[Any]]]],
) -> None:
    """Write a query result in the format asked for."""
    from peacekb.queries import to_data

    if fmt is Format.json:
        write_json(to_data(data))
    elif fmt is Format.yaml:
        write_yaml(to_data(data))
    elif fmt is Format.csv:
        write_csv(*table())
    elif fmt is Format.markdown:
        sys.stdout.write(markdown().rstrip("\n") + "\n")
    else:
        text()
