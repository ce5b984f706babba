"""JSON Schemas of the record files, for editors and CI.

One schema (JSON Schema draft 2020-12) per kind of file: ``actor``, ``issue``, ``round``,
``source`` and ``event``, written as ``<kind>.schema.json``; and ``export.schema.json``, the
schema of the JSON export (:mod:`peacekb.export.json`). They are generated from the
pydantic models with their field descriptions, so that an editor using yaml-language-server
completes fields, shows what each means and flags mistakes as people type. ``peacekb validate``
remains the reference: a schema sees one file alone and cannot check references across files,
calendar dates (30 February) or that a file's name equals its id.

The output is deterministic (sorted keys, two-space indent, a trailing newline), so committed
schemas can be compared byte for byte with :func:`files` (``peacekb schema --check``).
"""

from __future__ import annotations

import inspect
import json
import os
from pathlib import Path
from typing import Any

from peacekb.countries import ISO_3166_ALPHA2
from peacekb.dates import FORMS, PATTERN as DATE_PATTERN
from peacekb.models import ID_PATTERN, KINDS

DIALECT = "https://json-schema.org/draft/2020-12/schema"

NAMES = {"actors": "actor", "issues": "issue", "rounds": "round", "sources": "source", "events": "event"}
"""Data folder to the name of its schema."""


def file_name(name: str) -> str:
    """The file a schema is written to: ``actor`` -> ``actor.schema.json``."""
    return f"{name}.schema.json"


def schemas() -> dict[str, dict[str, Any]]:
    """One JSON Schema per kind of record file, by name (``actor``, ``issue``, ...), in loading order."""
    return {NAMES[folder]: _schema(folder, model) for folder, model in KINDS.items()}


def render(schema: dict[str, Any]) -> str:
    """A schema as the text of its file: stable, so that two runs give the same bytes."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


EXPORT = "export"
"""The schema of the JSON export (`peacekb export json`), written beside the record files' schemas."""


def files() -> dict[str, str]:
    """File name to text of every schema file: the record files', then the JSON export's."""
    from peacekb.export.json import schema as export_schema

    found = {file_name(name): render(schema) for name, schema in schemas().items()}
    found[file_name(EXPORT)] = render(export_schema())
    return found


def stale(folder: str | os.PathLike) -> list[tuple[str, str]]:
    """The schema files in ``folder`` that are missing or differ from what :func:`files` generates.

    Each as ``(file name, "missing" | "out of date")``; an empty list when all are current.
    """
    folder = Path(folder)
    found = []
    for name, text in files().items():
        path = folder / name
        try:
            current = path.read_bytes() == text.encode("utf-8")
        except FileNotFoundError:
            found.append((name, "missing"))
            continue
        except OSError:  # a folder of that name, no permission: it needs rewriting all the same
            current = False
        if not current:
            found.append((name, "out of date"))
    return found


def write(folder: str | os.PathLike) -> list[str]:
    """Write the schema files that are missing or out of date into ``folder`` (created if needed).

    Each file is written to a temporary file in the same folder, then moved over the old one
    with :func:`os.replace`, so that a reader never sees half a schema. Returns the names written;
    raises OSError when the folder or a file cannot be written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    outdated = {name for name, _ in stale(folder)}
    written = []
    for name, text in files().items():
        if name in outdated:
            _replace(folder / name, text.encode("utf-8"))
            written.append(name)
    return written


def _replace(path: Path, content: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # created with the usual permissions (0666 less the umask), unlike tempfile's 0600
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# --- building a schema ----------------------------------------------------------------------------


def _schema(folder: str, model: type) -> dict[str, Any]:
    name = NAMES[folder]
    body = model.model_json_schema()
    tidy(body)
    if name == "actor":
        _country_codes(body)
    if name == "source":
        _title_rule(body)
    if "Statement" in body.get("$defs", {}):
        _one_party_rule(body["$defs"]["Statement"])
    if name == "event":
        _kind_rules(body)
    if "StatusChange" in body.get("$defs", {}):
        _status_rules(body["$defs"]["StatusChange"])
    body.pop("title", None)
    body.pop("description", None)
    doc = inspect.cleandoc(model.__doc__ or "")
    return {
        "$schema": DIALECT,
        "$id": file_name(name),
        "$comment": "Generated by `peacekb schema` from peacekb/models.py; do not edit by hand.",
        "title": f"peacekb {name}",
        "description": f"{doc} One file in {folder}/, named after the record's id: <id>.yaml.".strip(),
        **body,
    }


# what editors that know the `patternErrorMessage` keyword (yaml-language-server) say instead of the raw pattern
PATTERN_MESSAGES = {
    DATE_PATTERN: f"not a date: write {FORMS}",
    ID_PATTERN: "not an id: ids are lowercase slugs, letters a-z, digits and single hyphens (vladimir-medinsky)",
}


def tidy(node: Any) -> None:
    """Adapt pydantic's schema for editors, throughout: closed objects, no `default: null`, readable dates.

    - The models forbid extra keys, and pydantic says so for each model; a mapping of ids (a
      statement's `stances`) only constrains its keys with `patternProperties`, so any other key
      would pass unless closed here.
    - A `null` default says no more than the field's absence from `required`, and editors would
      insert `null` on completion.
    - A date field with its own description loses the description of the forms a date takes:
      it is added back, and the patterns of dates and ids get a message people can act on.
    """
    if isinstance(node, dict):
        if (node.get("type") == "object" or "properties" in node or "patternProperties" in node) and "additionalProperties" not in node:
            node["additionalProperties"] = False
        if "default" in node and node["default"] is None:
            del node["default"]
        if node.get("pattern") in PATTERN_MESSAGES:
            node["patternErrorMessage"] = PATTERN_MESSAGES[node["pattern"]]
        for field in node.get("properties", {}).values():
            if _is_date(field) and FORMS not in field.get("description", FORMS):
                field["description"] = f"{field['description']} Written {FORMS}."
        for key, value in node.items():
            if key not in ("default", "const", "enum", "examples"):  # values, not schemas
                tidy(value)
    elif isinstance(node, list):
        for item in node:
            tidy(item)


def _is_date(field: dict[str, Any]) -> bool:
    """Whether a field holds a date, or an optional one (`anyOf: [date, null]`)."""
    branches = [field, *field.get("anyOf", [])]
    branches += [inner for branch in branches for inner in branch.get("anyOf", [])]
    return any(branch.get("pattern") == DATE_PATTERN for branch in branches)


def _string_branch(field: dict[str, Any]) -> dict[str, Any]:
    """The string schema of an optional text field (`anyOf: [string, null]`)."""
    for branch in field.get("anyOf", [field]):
        if branch.get("type") == "string":
            return branch
    raise ValueError(f"no string schema in {field!r}")  # the model changed: adapt this module


def _country_codes(actor: dict[str, Any]) -> None:
    # Actor._known_country: an ISO 3166-1 alpha-2 code; listing them lets editors complete them
    _string_branch(actor["properties"]["country"])["enum"] = sorted(ISO_3166_ALPHA2)


def _title_rule(source: dict[str, Any]) -> None:
    # Source._title_matches_status: a title unless `title_status: none`, and none with it
    source["if"] = {"properties": {"title_status": {"const": "none"}}, "required": ["title_status"]}
    source["then"] = {"properties": {"title": {"type": "null"}}}
    source["else"] = {"properties": {"title": {"type": "string"}}, "required": ["title"]}


def _one_party_rule(statement: dict[str, Any]) -> None:
    # Statement._one_party_field: `party` (one) or `parties` (a joint statement of two or more), not both
    statement["properties"]["parties"]["minItems"] = 2
    statement["oneOf"] = [{"required": ["party"], "not": {"required": ["parties"]}}, {"required": ["parties"], "not": {"required": ["party"]}}]


def _kind_rules(event: dict[str, Any]) -> None:
    # Event._fits_kind: an agreement's fields only on an agreement, a vote's only on a vote
    def only(kind: str, lists: list[str], values: list[str]) -> dict[str, Any]:
        then = {name: {"maxItems": 0} for name in lists} | {name: {"type": "null"} for name in values}
        return {"if": {"properties": {"kind": {"not": {"const": kind}}}, "required": ["kind"]}, "then": {"properties": then}}

    event["allOf"] = [only("agreement", ["parties", "history"], []), only("vote", [], ["ballot", "question", "voters", "results"])]


def _status_rules(change: dict[str, Any]) -> None:
    # StatusChange._fits_status: `superseded` with `superseded_by` (and only it); `rejected` says by whom or by which vote
    def status(value: str) -> dict[str, Any]:
        return {"properties": {"status": {"const": value}}, "required": ["status"]}

    change["allOf"] = [
        {"if": status("superseded"), "then": {"required": ["superseded_by"], "properties": {"superseded_by": {"type": "string"}}},
         "else": {"properties": {"superseded_by": {"type": "null"}}}},
        {"if": status("rejected"), "then": {"anyOf": [
            {"required": ["by"], "properties": {"by": {"minItems": 1}}},
            {"required": ["vote"], "properties": {"vote": {"type": "string"}}},
        ]}},
    ]
