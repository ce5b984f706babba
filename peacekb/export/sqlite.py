"""The knowledge base as one SQLite file, to query with SQL or open in datasette.

The tables of :mod:`peacekb.export.tables`, with their primary and foreign keys declared, and
``search``, an FTS5 index over every text of the knowledge base (the rows of
:func:`peacekb.search.record_texts`: kind, record, field, text) with the porter stemmer and accents
removed. :func:`metadata` is the datasette metadata (title, licence, the description of every
table and column), written beside the file.

The file is built in a temporary file beside the target by the same inserts in the same order,
so the same knowledge base gives the same bytes (with the same SQLite version).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from peacekb import search
from peacekb.export import write_bytes, write_file
from peacekb.export.tables import Table, schema, tables
from peacekb.kb import KnowledgeBase

SEARCH_DESCRIPTION = ("Full-text index (FTS5, porter stemmer, accents removed) over every text: names and aliases, titles, "
                      "summaries, quotes, notes, outcomes, provisions, dispute versions. `kind` and `record` name the record, "
                      "`field` the field's path in it (quotes[0].text).")
LICENCE = "MIT"
LICENCE_URL = "https://opensource.org/licenses/MIT"


def create_sql(table: Table) -> str:
    columns = [f'"{c.name}" {c.type}'.rstrip() for c in table.columns]
    columns.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in table.primary_key) + ")")
    columns += [f'FOREIGN KEY ("{col}") REFERENCES "{target}" ("{key}")' for col, target, key in table.foreign_keys]
    return f'CREATE TABLE "{table.name}" (\n  ' + ",\n  ".join(columns) + "\n)"


def build(kb: KnowledgeBase, path: str = ":memory:") -> sqlite3.Connection:
    """The export as an SQLite database, in memory or in a new file ``path``."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = OFF")  # a new file, renamed into place only when complete
    conn.execute("PRAGMA synchronous = OFF")
    for table in tables(kb):
        conn.execute(create_sql(table))
        marks = ", ".join("?" * len(table.columns))
        conn.executemany(f'INSERT INTO "{table.name}" VALUES ({marks})', table.rows)
        table.rows = []
    search.create_table(conn)
    search.fill(conn, search.record_texts(kb))
    conn.commit()
    return conn


def write(kb: KnowledgeBase, path: Path) -> None:
    """Write the export to ``path`` atomically (the caller checks that it may: :func:`check_target`).
    It is built in the temporary file itself, so that a large knowledge base is not held in memory twice."""

    def make(temporary: Path) -> None:
        build(kb, str(temporary)).close()

    write_file(Path(path), make)


def metadata(database: str, licence: str = LICENCE, licence_url: str | None = LICENCE_URL) -> dict[str, Any]:
    """datasette's metadata for the export named ``database`` (the file's name without `.db`)."""
    described: dict[str, Any] = {}
    for table in schema():
        described[table.name] = {"description": table.description, "columns": {c.name: c.description for c in table.columns}}
    described["search"] = {"description": SEARCH_DESCRIPTION}
    data: dict[str, Any] = {
        "title": "peacekb knowledge base",
        "description": "A knowledge base of peace negotiations: who said what, when, for whom, on which issue, "
                       "with the sources; exported by `peacekb export sqlite`.",
        "license": licence,
        "source": "peacekb knowledge base (quotes are the words of the sources in the sources table)",
        "databases": {database: {"tables": described}},
    }
    if licence_url:
        data["license_url"] = licence_url
    return data


def metadata_path(path: Path) -> Path:
    """Where the metadata of an export at ``path`` goes: `kb.db` -> `kb.metadata.json`."""
    path = Path(path)
    return path.with_name(f"{path.stem}.metadata.json")


def write_metadata(path: Path, licence: str = LICENCE, licence_url: str | None = LICENCE_URL) -> Path:
    target = metadata_path(path)
    text = json.dumps(metadata(Path(path).stem, licence, licence_url), indent=2, ensure_ascii=False) + "\n"
    write_bytes(target, text.encode("utf-8"))
    return target
