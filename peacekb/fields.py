"""Record fields as command-line values, derived from the models (``peacekb new``).

Every field of a model gets an argument shape from its type, so a field added to a model is
reachable from the command line without code here:

- ``scalar``: one value (``--title TEXT``, ``--start DATE``);
- ``flag``: a boolean (``--translation/--no-translation``);
- ``list``: a list of values, one per repetition of the option (``--alias NAME --alias NAME``);
- ``map``: a mapping, one ``KEY=VALUE`` per repetition (``--stance ISSUE=STANCE``);
- ``items``: a list of nested records, one per repetition, each written ``key=value,key=value``
  (comma-separated, a pair whose value holds a comma in double quotes, as in CSV: ``"note=one, two"``; a list field's key repeated
  for several values: ``sources=a,sources=b``); a value without ``key=`` is the nested record's
  main field (``--quote "We are ready."`` is the quote's text);
- ``item``: one nested record written the same way (``--retracted 'reason=...,date=2026-03'``);
- ``groups``: a list of lists, one comma-separated group per repetition (``--compatible a,b``).

Option names are the field's name with ``-`` for ``_``, singular for lists (``--mediator`` for
``mediators``). Nested records whose own fields hold nested records (a dispute and its versions)
are added with a command of their own (``peacekb new dispute``).
"""

from __future__ import annotations

import csv
import functools
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

Shape = Literal["scalar", "flag", "list", "map", "items", "item", "groups"]

# the field each nested record is named by when an option's value is not `key=value,...`
MAIN_FIELD = {"Role": "title", "Stance": "id", "Delegation": "party", "Outcome": "summary", "Quote": "text",
              "Provision": "summary", "Version": "says", "Retraction": "reason", "Dispute": "summary",
              "ThirdParty": "actor", "PartyStanding": "party", "StatusChange": "status"}
# the field an id is made from when none is given
ID_FROM = {"Actor": ("name",), "Issue": ("title",), "Round": ("title",), "Source": ("title", "url"), "Event": ("title",),
           "Stance": ("label",), "Outcome": ("summary",), "Provision": ("summary",), "Dispute": ("summary",)}
# option names kept from earlier versions of `peacekb new`
EXTRA_NAMES = {("Actor", "kind"): ("--actor-kind",), ("Statement", "stances"): ("--takes",), ("Statement", "withdraws"): ("--withdraws",)}


class ArgError(Exception):
    """A value given on the command line that does not fit its field (the message names the option)."""


@dataclass(frozen=True)
class FieldArg:
    name: str  # the model's field
    shape: Shape
    option: str  # --name
    names: tuple[str, ...]  # every spelling of the option
    nested: type[BaseModel] | None  # the model of a nested record (items, item)
    required: bool
    help: str
    metavar: str


def singular(name: str) -> str:
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith("ses"):
        return name[:-2]
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


def _strip(annotation: Any) -> Any:
    """The type inside Optional[...] and Annotated[...]."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation


def annotation_of(model: type[BaseModel], name: str) -> Any:
    """A field's type, forward references resolved (`disputes: list[Dispute]` above `Dispute`)."""
    return _hints(model)[name]


@functools.cache
def _hints(model: type[BaseModel]) -> dict[str, Any]:
    return typing.get_type_hints(model, include_extras=True)


def _is_id(annotation: Any) -> bool:
    """Whether a type is an id (`Id`), or a list of ids."""
    from peacekb.models import ID_PATTERN

    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            if any(getattr(meta, "pattern", None) == ID_PATTERN for meta in annotation.__metadata__):
                return True
            annotation = typing.get_args(annotation)[0]
        elif origin is list or origin in (typing.Union, types.UnionType):
            return any(_is_id(a) for a in typing.get_args(annotation) if a is not type(None))
        else:
            return False


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def shape_of(annotation: Any) -> tuple[Shape, type[BaseModel] | None]:
    annotation = _strip(annotation)
    origin = typing.get_origin(annotation)
    if annotation is bool:
        return "flag", None
    if _is_model(annotation):
        return "item", annotation
    if origin is dict:
        return "map", None
    if origin is list:
        inner = _strip(typing.get_args(annotation)[0])
        if _is_model(inner):
            return "items", inner
        if typing.get_origin(inner) is list:
            return "groups", None
        return "list", None
    return "scalar", None


def choices(annotation: Any) -> tuple[str, ...]:
    """The values a Literal field allows, else ()."""
    annotation = _strip(annotation)
    if typing.get_origin(annotation) is list:
        annotation = _strip(typing.get_args(annotation)[0])
    return tuple(str(a) for a in typing.get_args(annotation)) if typing.get_origin(annotation) is Literal else ()


def _metavar(annotation: Any, name: str) -> str:
    if choices(annotation):
        return name.upper()
    if _is_id(annotation):
        return "ID"
    if name in ("date", "start", "end", "published"):
        return "DATE"
    if name == "url":
        return "URL"
    return "TEXT"


def field_args(model: type[BaseModel], skip: tuple[str, ...] = ()) -> list[FieldArg]:
    """The command-line arguments of a model's fields, in the model's order."""
    found = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        annotation = annotation_of(model, name)
        shape, nested = shape_of(annotation)
        base = singular(name) if shape in ("list", "map", "items", "groups") else name
        option = "--" + base.replace("_", "-")
        names = (option, *EXTRA_NAMES.get((model.__name__, name), ()))
        if shape == "flag":
            names = (f"{option}/--no-{base.replace('_', '-')}",)
        description = (info.description or "").replace("`", "")
        if choices(annotation):
            description = (description + " One of: " + ", ".join(choices(annotation)) + ".").strip()
        if info.default not in (None, PydanticUndefined) and not isinstance(info.default, (list, dict)) and shape != "flag":
            description += f" Default: {info.default}."
        metavar = {"map": "KEY=VALUE", "groups": "ID,ID,...", "items": "KEY=VALUE,...", "item": "KEY=VALUE,..."}.get(shape) or _metavar(annotation, name)
        extra = {
            "list": " Repeatable.",
            "map": " Repeatable.",
            "groups": " Repeatable.",
            "items": f" Repeatable; keys: {', '.join(nested.model_fields)}" + (f"; a value without key= is the {MAIN_FIELD[nested.__name__]}." if nested.__name__ in MAIN_FIELD else ".") if nested else "",
            "item": f" Keys: {', '.join(nested.model_fields)}." if nested else "",
        }.get(shape, "")
        found.append(FieldArg(name, shape, option, names, nested, info.is_required(), (description + extra).strip(), metavar))
    return found


def nested_in_items(model: type[BaseModel]) -> bool:
    """Whether a nested record's own fields hold nested records (it needs a command of its own)."""
    return any(arg.shape in ("items", "item") for arg in field_args(model))


# --- values ----------------------------------------------------------------------------------------


def _pair(text: str, option: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise ArgError(f"{option} is written KEY=VALUE (e.g. `territory=freeze-line`), not `{text}`")
    return key.strip(), value.strip()


def _number_or_text(annotation: Any, text: str) -> Any:
    args = typing.get_args(_strip(annotation)) or (_strip(annotation),)
    for kind in (int, float):
        if kind in args:
            try:
                return kind(text)
            except ValueError:
                pass
    return text


def _bool(text: str, option: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "1"):
        return True
    if lowered in ("false", "no", "0"):
        return False
    raise ArgError(f"{option}: `{text}` is not true or false")


def parse_item(text: str, model: type[BaseModel], option: str) -> dict[str, Any]:
    """A nested record from ``key=value,key=value``, or its main field from a value without `key=`."""
    args = {a.name: a for a in field_args(model)}
    spelled = {a.name: a.name for a in args.values()} | {a.option[2:].replace("-", "_"): a.name for a in args.values()}
    head = text.split("=", 1)[0].strip().replace("-", "_")
    if "=" not in text or head not in spelled:
        main = MAIN_FIELD.get(model.__name__)
        if main is None:
            raise ArgError(f"{option} is written key=value,key=value with keys among: {', '.join(args)}")
        return {main: text}
    try:
        cells = next(csv.reader([text], skipinitialspace=True))
    except csv.Error as exc:
        raise ArgError(f"{option}: {exc}") from None
    found: dict[str, Any] = {}
    for cell in cells:
        key, sep, value = cell.partition("=")
        name = spelled.get(key.strip().replace("-", "_"))
        if not sep or name is None:
            raise ArgError(f"{option}: `{cell}` is not key=value with a key among: {', '.join(args)}")
        arg = args[name]
        where = f"{option} {key.strip()}="
        value = value.strip()
        if arg.shape in ("list", "groups"):
            found.setdefault(name, []).append(value.split() if arg.shape == "groups" else value)
        elif arg.shape == "map":
            k, v = _pair(value, where)
            found.setdefault(name, {})[k] = v
        elif arg.shape == "flag":
            found[name] = _bool(value, where)
        elif arg.shape in ("items", "item"):
            raise ArgError(f"{option}: `{key.strip()}` holds records of its own; add them with their own command")
        else:
            found[name] = _number_or_text(annotation_of(model, name), value)
    return found


def record_from(model: type[BaseModel], given: dict[str, Any]) -> dict[str, Any]:
    """The record's fields from the options' values (``given``: field name -> what the option
    received; None or an empty list for an option not given), in the model's order."""
    record: dict[str, Any] = {}
    for arg in field_args(model):
        value = given.get(arg.name)
        if value is None or value == [] or value == ():
            continue
        if arg.shape == "scalar":
            record[arg.name] = _number_or_text(annotation_of(model, arg.name), value)
        elif arg.shape == "flag":
            record[arg.name] = bool(value)
        elif arg.shape == "list":
            record[arg.name] = list(dict.fromkeys(value))
        elif arg.shape == "map":
            record[arg.name] = dict(_pair(v, arg.option) for v in value)
        elif arg.shape == "groups":
            record[arg.name] = [[x.strip() for x in group.split(",") if x.strip()] for group in value]
        elif arg.shape == "items":
            record[arg.name] = [v if isinstance(v, dict) else parse_item(v, arg.nested, arg.option) for v in value]  # type: ignore[arg-type]
        elif arg.shape == "item":
            record[arg.name] = value if isinstance(value, dict) else parse_item(value, arg.nested, arg.option)  # type: ignore[arg-type]
    return record


def option_of(model: type[BaseModel], loc: tuple) -> str:
    """The option (and key) that a validation error's location points to: `--role title=`."""
    if not loc or not isinstance(loc[0], str) or loc[0] not in model.model_fields:
        return "the record"
    arg = next(a for a in field_args(model) if a.name == loc[0])
    if arg.nested is not None and len(loc) > 1:
        rest = [p for p in loc[1:] if isinstance(p, str)]
        return f"{arg.option} {rest[0]}=" if rest else arg.option
    return arg.option


def ordered(model: type[BaseModel] | None, value: Any) -> Any:
    """``value`` with the keys of every record in the order of its model's fields."""
    if model is None or not isinstance(value, dict):
        if isinstance(value, list):
            return [ordered(model, v) for v in value]
        return value
    out = {}
    for name, info in model.model_fields.items():
        if name in value:
            _, nested = shape_of(annotation_of(model, name))
            out[name] = ordered(nested, value[name])
    out.update({k: v for k, v in value.items() if k not in out})
    return out
