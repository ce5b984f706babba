"""Which fields of which records name other records: the knowledge base's references.

:data:`REFERENCES` maps each model to its fields that hold ids of other records, and the kind
(data folder) those ids belong to; ``"keys:issues"`` marks a mapping whose keys are issue ids
(``stances: {issue: stance}``). Fields that hold ids of something else (stance ids, the record's
own id) are in :data:`NOT_REFERENCES`, so that a test can tell that every id field of every model
is accounted for. :func:`walk` finds every reference in a record's plain data (as parsed from
its file), with its path in the file: ``peacekb rename`` rewrites exactly those places.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from peacekb import models as m

REFERENCES: dict[type, dict[str, str]] = {
    m.Role: {"party": "actors", "sources": "sources"},
    m.Actor: {"sources": "sources"},
    m.Stance: {},
    m.Issue: {"parent": "issues"},
    m.Source: {},
    m.Version: {"sources": "sources"},
    m.Dispute: {},
    m.Quote: {"source": "sources", "issues": "issues"},
    m.Retraction: {"sources": "sources"},
    m.Statement: {
        "speaker": "actors", "party": "actors", "parties": "actors", "holder": "actors", "issues": "issues",
        "stances": "keys:issues", "withdraws": "keys:issues", "refers_to": "events", "sources": "sources",
    },
    m.ThirdParty: {"actor": "actors", "sources": "sources"},
    m.Delegation: {"party": "actors", "head": "actors", "members": "actors", "sources": "sources"},
    m.Outcome: {"next_round": "rounds", "sources": "sources"},
    m.Round: {"mediators": "actors", "participants": "actors", "agenda": "issues", "events": "events", "sources": "sources"},
    m.PartyStanding: {"party": "actors", "sources": "sources"},
    m.StatusChange: {"by": "actors", "vote": "events", "superseded_by": "events", "sources": "sources"},
    m.Results: {"sources": "sources"},
    m.Provision: {"issues": "issues", "stances": "keys:issues", "sources": "sources"},
    m.Event: {
        "authors": "actors", "signatories": "actors", "issues": "issues", "stances": "keys:issues",
        "related": "events", "rounds": "rounds", "sources": "sources", "voters": "actors",
    },
}

# id fields that are not references to another record: its own id, stance ids (scoped to an issue)
NOT_REFERENCES: dict[type, set[str]] = {
    m.Actor: {"id"}, m.Stance: {"id"}, m.Issue: {"id", "compatible"}, m.Source: {"id"}, m.Dispute: {"id"},
    m.Statement: {"id"}, m.Outcome: {"id"}, m.Round: {"id"}, m.Provision: {"id"}, m.Event: {"id"},
}


@functools.cache
def nested_models(model: type) -> dict[str, type]:
    from peacekb.fields import annotation_of, shape_of

    found = {}
    for name in model.model_fields:
        _, nested = shape_of(annotation_of(model, name))
        if nested is not None:
            found[name] = nested
    return found


def walk(model: type, data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str, str, bool]]:
    """Every reference in ``data`` (a record of ``model`` as plain data): (path, kind, id, is_key).

    ``path`` leads to the value (for a mapping key: to the key, with ``is_key`` True)."""
    if not isinstance(data, dict):
        return
    refs = REFERENCES.get(model, {})
    nested = nested_models(model)
    for name, value in data.items():
        kind = refs.get(name)
        if kind is not None:
            if kind.startswith("keys:") and isinstance(value, dict):
                for key in value:
                    if isinstance(key, str):
                        yield (*path, name, key), kind[5:], key, True
            elif isinstance(value, str):
                yield (*path, name), kind, value, False
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, str):
                        yield (*path, name, index), kind, item, False
        elif name in nested:
            if isinstance(value, list):
                for index, item in enumerate(value):
                    yield from walk(nested[name], item, (*path, name, index))
            elif isinstance(value, dict):
                yield from walk(nested[name], value, (*path, name))


@functools.cache
def _source_fields(model: type, skip: frozenset[str]) -> tuple[tuple[str, type | None], ...]:
    """The fields of ``model`` that name sources (nested model None) or hold records that can."""
    refs = REFERENCES.get(model, {})
    nested = nested_models(model)
    return tuple(
        (name, nested.get(name)) for name in model.model_fields
        if name not in skip and (refs.get(name) == "sources" or (name in nested and _source_fields(nested[name], skip)))
    )


def cited_sources(record: Any, skip: frozenset[str] = frozenset({"statements"})) -> Iterator[str]:
    """Every source id that ``record`` (a model instance) cites, in its own fields and its nested
    records' (roles, delegations, outcomes, provisions, parties, third parties, a history, results,
    disputes' versions), in field order; fields in ``skip`` are left out (a round's statements,
    which cite their sources themselves)."""
    for name, nested in _source_fields(type(record), skip):
        value = getattr(record, name)
        if nested is None:
            yield from [value] if isinstance(value, str) else value or []
        elif value:
            for item in value if isinstance(value, list) else [value]:
                yield from cited_sources(item, skip)
