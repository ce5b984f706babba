"""Loading a knowledge base: files to records, with every problem as a value.

``load(root)`` reads every record file through the fast YAML path, validates
it against its model, runs the cross-record checks of :mod:`peacekb.checks`,
and only then finds line and column for the problems that need them. It never
raises on bad data: it returns what it could load and the list of problems.
"""

from __future__ import annotations

import gc
import os
import typing
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from peacekb import checks, safefile
from peacekb.kb import KnowledgeBase, Origin
from peacekb.locate import locate_all
from peacekb.models import ID_PATTERN, KINDS, Event, Record, Round, Statement
from peacekb.problems import PathItem, Problem, Report, problem
from peacekb.suggest import did_you_mean, slugify
from peacekb.yamlfile import parse_text, read_text


@dataclass
class LoadResult(Report):
    """A loaded knowledge base with its report."""

    kb: KnowledgeBase = None  # type: ignore[assignment]


def record_files(root: Path) -> dict[str, list[Path]]:
    """The `.yaml` files of each data folder, in a stable order."""
    found: dict[str, list[Path]] = {}
    for kind in KINDS:
        folder = root / kind
        # a data folder that is a link is not looked into (see folder_problems)
        listed = folder.is_dir() and not safefile.is_symlink(folder)
        names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".yaml")) if listed else []
        found[kind] = [folder / name for name in names]
    return found


def folder_problems(root: Path) -> list[Problem]:
    """A data folder that is a symbolic link: reported, and nothing in it is read."""
    return [
        problem(str(root / kind), "symlink", f"the {kind} folder is a symbolic link: peacekb does not follow links in a knowledge base, so nothing in it was read; replace it with the folder itself", line=1, column=1)
        for kind in KINDS
        if safefile.is_symlink(root / kind)
    ]


def load(
    root: Path | str,
    overrides: dict[Path, str] | None = None,
    cross_checks: bool = True,
    only: dict[str, set[str]] | None = None,
) -> LoadResult:
    """Load and check the knowledge base in ``root``.

    ``overrides`` maps file paths (inside ``root``) to text that stands in for what is on disk, or
    for a file not yet written: commands that write check the result before writing it.
    ``cross_checks=False`` skips the checks across records (for a reader that already knows their
    outcome); the problems are then only those of each file alone. ``only`` limits some folders to
    the files with the names given (by id), for a reader that needs a few records of them.
    """
    with without_collector():
        return _load(Path(root), overrides, cross_checks, only)


@contextmanager
def without_collector():
    """For building what has no reference cycles and lasts as long as the command: a knowledge base,
    the checks over it. The cyclic garbage collector is off meanwhile (it would only rescan the new
    objects, at up to half the cost of a large load), and what was built is frozen after: left out
    of every later collection (reference counting still frees it), or the first one would scan it
    all, a second at 100,000 statements. Within another, it changes nothing."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.freeze()
            gc.enable()


def _load(root: Path, overrides: dict[Path, str] | None, cross_checks: bool = True, only: dict[str, set[str]] | None = None) -> LoadResult:
    kb, problems, read = read_files(root, overrides, only)
    return finish(kb, problems, read, overrides, cross_checks)


def read_files(
    root: Path, overrides: dict[Path, str] | None = None, only: dict[str, set[str]] | None = None
) -> tuple[KnowledgeBase, list[Problem], int]:
    """The first half of a load: every file parsed and validated against its model, no checks across
    records yet. Returns the knowledge base, the problems found so far and the number of files read."""
    files = listed_files(root, overrides, only)
    texts = {str(p): text for p, text in (overrides or {}).items()}
    reads = [read_file(kind, path, texts.get(str(path))) for kind, path in files]
    kb, problems = assemble(root, reads)
    return kb, problems, len(files)


def listed_files(root: Path, overrides: dict[Path, str] | None = None, only: dict[str, set[str]] | None = None) -> list[tuple[str, Path]]:
    """(kind, path) of every record file a load reads, in the order it reads them: ``only`` limits
    some folders to the files with the names given (by id); ``overrides`` adds files not yet written."""
    files_by_kind = record_files(root)
    for kind, stems in (only or {}).items():
        files_by_kind[kind] = [p for p in files_by_kind[kind] if p.stem in stems]
    for path in (Path(p) for p in overrides or {}):
        kind = path.parent.name
        if kind in files_by_kind and path.suffix == ".yaml" and path not in files_by_kind[kind]:
            files_by_kind[kind] = sorted([*files_by_kind[kind], path])
    return [(kind, path) for kind, paths in files_by_kind.items() for path in paths]


@dataclass
class FileRead:
    """What one record file gives on its own, whatever the other files hold: its record (None when
    it failed its model), its statements that passed theirs (with their place in the file), and its
    problems, located. The same file always reads the same, so a read can be kept and reused while
    the file is unchanged (see :mod:`peacekb.cache`)."""

    kind: str
    name: str
    ident: str | None  # the record's id as the file gives it, when it is text
    parsed: bool  # False when the file is not a mapping (then it adds nothing to the knowledge base)
    record: Record | None = None
    statements: list[tuple[int, Statement]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    archive: str | None = None


def read_file(kind: str, path: Path, text: str | None = None) -> FileRead:
    """Parse and validate one record file (``text`` stands in for what is on disk); never raises."""
    name = str(path)
    try:
        if text is None:
            text, problems = read_text(path, name, follow_links=False)
            if text is None:
                return FileRead(kind, name, None, False, problems=problems)
            given = None
        else:
            given = {name: text}
        data, problems = parse_text(text, name)
        if data is None:
            return FileRead(kind, name, None, False, problems=problems)
        read = _validated(kind, KINDS[kind], data, name, path.stem)
        read.problems = problems + read.problems + checks.control_problems(read, text)
    except Exception as exc:  # a bug must not hide the problems of other files
        return FileRead(kind, name, None, False, problems=[_internal(name, exc)])
    try:
        read.problems = locate_all(read.problems, given)
    except Exception as exc:
        read.problems.append(_internal(name, exc, "locate"))
    return read


def _validated(kind: str, model: type[Record], data: dict, name: str, stem: str) -> FileRead:
    ident = data.get("id")
    read = FileRead(kind, name, ident if isinstance(ident, str) else None, True)
    if isinstance(ident, str) and ident != stem:
        read.problems.append(
            problem(name, "id-mismatch", f"id `{ident}` does not match the file name `{stem}.yaml`: rename the file or change the id", ("id",))
        )
    if kind == "sources" and isinstance(data.get("archive"), str):
        read.archive = data["archive"]
    statements_data = None
    if model in (Round, Event) and isinstance(data.get("statements"), list):
        # statements are validated one by one, so that one bad statement does not hide the round or the others
        statements_data = data["statements"]
        data = {k: v for k, v in data.items() if k != "statements"}
    try:
        read.record = model.model_validate(data)
    except ValidationError as exc:
        read.problems += convert_errors(exc, name, model)
    for index, item in enumerate(statements_data or ()):
        try:
            read.statements.append((index, Statement.model_validate(item)))
        except ValidationError as exc:
            read.problems += convert_errors(exc, name, Statement, ("statements", index))
    return read


def assemble(root: Path, reads: list[FileRead]) -> tuple[KnowledgeBase, list[Problem]]:
    """The knowledge base of the files ``reads`` gives, in that order, with their problems and those
    of ids used twice (the first use keeps the id)."""
    kb = KnowledgeBase(root=root)
    problems: list[Problem] = folder_problems(root)
    for read in reads:
        problems += read.problems
        if read.parsed:
            problems += _add(kb, read)
    return kb, problems


def _add(kb: KnowledgeBase, read: FileRead) -> list[Problem]:
    kind, name, record = read.kind, read.name, read.record
    problems: list[Problem] = []
    if read.archive is not None:
        kb.archive_names.add(read.archive)
    own = read.ident if read.ident is not None else Path(name).stem
    if record is None:
        kb.invalid[(kind, own)] = name
    else:
        problems += _register(kb, kind, record.id, record, Origin(name))
    if not read.statements:
        return problems
    parent_id = record.id if record is not None else own
    statements = []
    for index, statement in read.statements:
        found = _register(kb, "statements", statement.id, statement, Origin(name, ("statements", index)))
        problems += found
        if not found:
            kb.statement_parent[statement.id] = (kind, parent_id)
            statements.append(statement)
    if record is not None and kb.origins.get((kind, record.id)) == Origin(name):
        getattr(kb, kind)[record.id] = record.model_copy(update={"statements": statements})
    return problems


def finish(
    kb: KnowledgeBase, problems: list[Problem], read: int, overrides: dict[Path, str] | None = None, cross_checks: bool = True
) -> LoadResult:
    """The second half of a load: the checks across records, then line and column for every problem
    not yet located."""
    for run in checks.CHECKS if cross_checks else ():
        try:
            problems += run(kb)
        except Exception as exc:
            problems.append(_internal(str(kb.root), exc, run.__name__))
    try:
        problems = locate_all(problems, {str(p): text for p, text in (overrides or {}).items()})
    except Exception as exc:
        problems.append(_internal(str(kb.root), exc, "locate"))
    problems = sorted(p if p.located else p.at(1, 1) for p in problems)
    return LoadResult(kb.root, problems, read, kb)


def _internal(name: str, exc: Exception, step: str = "load") -> Problem:
    return problem(name, "internal-error", f"peacekb failed ({step}: {type(exc).__name__}: {exc}); please report this with the file", line=1, column=1)


def _register(kb: KnowledgeBase, kind: str, ident: str, record: Any, origin: Origin) -> list[Problem]:
    table: dict = getattr(kb, kind)
    if ident in table:
        first = kb.origins[(kind, ident)]
        kb.duplicated.update((first.file, origin.file))
        where = first.file + (f" (statement {first.path[1] + 1})" if kind == "statements" else "")
        singular = kind[:-1]
        return [origin.problem("duplicate-id", f"{singular} id `{ident}` is already used in {where}", "id")]
    table[ident] = record
    kb.origins[(kind, ident)] = origin
    return []


# --- pydantic errors to problems ------------------------------------------------------------------

_TYPE_WORDS = {
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
}


def describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number `{value}`"
    text = str(value)
    return f"`{text[:60]}{'...' if len(text) > 60 else ''}`"


def convert_errors(exc: ValidationError, name: str, model: type[BaseModel], prefix: tuple[PathItem, ...] = ()) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        is_key = bool(loc) and loc[-1] == "[key]"
        if is_key:
            loc = loc[:-1]
        problems.append(_convert(error, loc, is_key, name, model, prefix))
    return problems


def _convert(error: dict, loc: tuple, is_key: bool, name: str, model: type[BaseModel], prefix: tuple) -> Problem:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    field = _field_name(loc)
    last = loc[-1] if loc else None
    path = prefix + loc

    if kind == "extra_forbidden":
        owner = model_at(model, loc[:-1])
        fields = list(owner.model_fields) if owner else []
        hint = did_you_mean(str(last), fields) or (f"; fields here: {', '.join(fields)}" if fields else "")
        return problem(name, "unknown-field", f"unknown field `{last}`{hint}", path, target="key")
    if kind == "missing":
        owner = model_at(model, loc[:-1])
        what = f" of the {owner.__name__.lower()}" if owner else ""
        return problem(name, "missing-field", f"missing required field `{last}`{what}", path[:-1], target="value")
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ID_PATTERN:
        suggestion = slugify(str(value))
        hint = f", e.g. `{suggestion}`" if suggestion and suggestion != value else ""
        return problem(name, "invalid-id", f"`{value}` is not a valid id for `{field}`: use lowercase letters, digits and single hyphens{hint}", path, target="key" if is_key else "value")
    if kind == "invalid_date":
        return problem(name, "invalid-date", f"{field}: {error['msg']}", path)
    if kind == "literal_error":
        allowed = [a.strip(" '") for a in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")]
        hint = did_you_mean(str(value), allowed) if isinstance(value, str) else ""
        return problem(name, "invalid-value", f"{field}: {describe(value)} is not one of {', '.join(f'`{a}`' for a in allowed)}{hint}", path)
    if kind == "invalid_key":
        return problem(name, "wrong-type", f"keys must be text, not {describe(last)}", path, target="key")
    if kind == "value_error":
        return problem(name, "invalid-value", f"{field}: {str(error['msg']).removeprefix('Value error, ')}", path)
    if kind == "too_short" and ctx.get("min_length", 1) > 1:
        return problem(name, "invalid-value", f"{field} needs at least {ctx['min_length']} items", path)
    if kind in ("too_short", "string_too_short"):
        return problem(name, "invalid-value", f"{field} must not be empty", path)
    if kind == "string_too_long":
        return problem(name, "invalid-value", f"{field} is too long (at most {ctx.get('max_length')} characters)", path)
    if kind == "string_pattern_mismatch":
        return problem(name, "invalid-value", f"{field}: {describe(value)} does not have the expected form ({_FORMS.get(last, ctx.get('pattern'))})", path)
    if kind in _TYPE_WORDS:
        return problem(name, "wrong-type", f"{field} must be {_TYPE_WORDS[kind]}, not {describe(value)}", path, target="key" if is_key else "value")
    return problem(name, "invalid-value", f"{field}: {error['msg']}", path)


def _field_name(loc: tuple) -> str:
    """`roles[0].start` for the location ("roles", 0, "start")."""
    text = ""
    for item in loc:
        text += f"[{item}]" if isinstance(item, int) else (f".{item}" if text else str(item))
    return text or "record"


_FORMS = {
    "wikidata": "a Wikidata item id such as `Q212`",
    "url": "an address starting with http:// or https://",
    "language": "an ISO 639 language code such as `en`",
    "archive": "a file name in the sources folder",
}


def model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model that owns the fields at ``loc`` inside ``model`` (list indexes skipped)."""
    current: type[BaseModel] | None = model
    for item in loc:
        if isinstance(item, int) or current is None:
            continue
        info = current.model_fields.get(item)
        current = _model_in(info.annotation) if info else None
    return current


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found:
            return found
    return None
