"""The knowledge base as CSV files: one per table of :mod:`peacekb.export.tables`, `<table>.csv`.

UTF-8, a header row of the column names, one row per record, lists in their own tables. Cells are
written as the query commands write them (:func:`peacekb.cli.output.csv_cell` rules, kept here
so the core does not depend on the CLI): empty for a missing value, and a text that a spreadsheet
would take for a formula (starting with ``= + - @``, a tab or a carriage return) gets a single
quote before it. ``excel=True`` starts each file with a byte order mark, so that Excel reads it as
UTF-8 (curly quotes, accents) rather than in the machine's code page.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from peacekb.export import write_folder
from peacekb.export.tables import tables
from peacekb.kb import KnowledgeBase

FORMULA = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA):
        return "'" + value
    return value


def files(kb: KnowledgeBase, excel: bool = False) -> dict[str, bytes]:
    """File name to content of every CSV file."""
    found = {}
    for table in tables(kb):
        out = io.StringIO()
        if excel:
            out.write(BOM)
        writer = csv.writer(out, lineterminator="\r\n" if excel else "\n")
        writer.writerow(table.column_names)
        writer.writerows([cell(v) for v in row] for row in table.rows)
        found[f"{table.name}.csv"] = out.getvalue().encode("utf-8")
    return found


def write(kb: KnowledgeBase, path: Path, excel: bool = False) -> None:
    write_folder(Path(path), files(kb, excel))
