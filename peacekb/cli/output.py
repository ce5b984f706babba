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

from peacekb.safe import safe


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


CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A csv cell. Text starting with a character a spreadsheet would read as a formula
    (``= + - @``, tab, carriage return) gets a single quote before it, as OWASP advises against CSV
    injection; numbers are written as they are, lists `; `-joined."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(map(str, value))
    if isinstance(value, str) and value.startswith(CSV_FORMULA):
        return "'" + value
    return value


def write_csv(header: list[str], rows: Iterable[list[Any]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])


class Markdown(str):
    """Text already written as markdown (by a view, from escaped data): md_cell and md_text leave it
    as it is."""


_MD_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "&#64;", "#": "&#35;"}
_MD_SPECIAL = re.compile(r"[&<>@#]|([\\`*_\[\]|~])")


def md_escape(value: Any) -> str:
    """Data text as markdown that shows it and nothing else: on one line (any line break, carriage
    return or tab a space), control and bidi characters escaped (``\\u202e``), ``& < >`` as entities
    (so no html, comment or autolink), ``@`` and ``#`` as entities (no mention, no issue link), and
    the characters of emphasis, code, links, strike-through and table cells backslash-escaped."""
    if isinstance(value, Markdown):
        return value
    text = safe(" ".join(str(value).split()))
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(1) if m.group(1) else _MD_ENTITY[m.group()], text)


def md_code(value: Any) -> Markdown:
    """An id or path as inline code, its backticks and table bars kept inside."""
    text = safe(" ".join(str(value).split())).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markdown(f"{fence}{pad}{text}{pad}{fence}")


def md_url(url: str) -> Markdown:
    """An http(s) address as an autolink; anything else (or an address with spaces or angle
    brackets) as escaped text."""
    if re.fullmatch(r"https?://[^\s<>\x00-\x1f\x7f-\x9f]+", url) and safe(url) == url:
        return Markdown(f"<{url}>")
    return Markdown(md_escape(url))


def md_cell(value: Any) -> str:
    """A table cell from data: see md_escape; a list is `, `-joined, each item escaped."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(md_escape(v) for v in value)
    return md_escape(value)


def md_text(value: Any) -> str:
    """Data text for a markdown heading, list item or paragraph: as md_escape, and a heading or list
    marker at the start escaped too."""
    if isinstance(value, Markdown):
        return value
    text = md_escape(value)
    text = re.sub(r"^([+-])", r"\\\1", text)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)


def md_join(sep: str, parts: Iterable[Any]) -> Markdown:
    """Data parts joined by a markdown separator (``<br>``, ``; ``), each escaped."""
    return Markdown(sep.join(md_escape(p) for p in parts))


def md_table(header: list[str], rows: Iterable[list[Any]]) -> str:
    lines = ["| " + " | ".join(md_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
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
