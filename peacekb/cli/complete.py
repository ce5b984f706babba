"""Shell completion of record ids: actors, issues, rounds, sources, events, and an issue's stances.

Completion runs at every press of the tab key, so it is answered from the file names of the
knowledge base found as the commands find it (``--data`` if already typed, else $PEACEKB_DATA,
else the nearest `data` folder upwards): a record's id is its file's name (`actors/ID.yaml`). Only
stances need a file's contents, and only the issue files are read for them. Nothing is loaded,
checked or cached; an unreadable file or folder completes nothing rather than fail.
"""

from __future__ import annotations

from pathlib import Path


def _root(ctx) -> Path | None:
    from peacekb.datadir import DataDirError, find_data_dir

    given = None
    while ctx is not None and given is None:  # --data may be given to this command or a parent
        given = (ctx.params or {}).get("data")
        ctx = ctx.parent
    try:
        return find_data_dir(given)
    except (DataDirError, OSError):
        return None


def ids(root: Path | None, folder: str) -> list[str]:
    """The ids of the records in ``folder`` (their file names), sorted."""
    if root is None:
        return []
    try:
        return sorted(p.name[: -len(".yaml")] for p in (root / folder).iterdir() if p.name.endswith(".yaml") and not p.name.startswith("."))
    except OSError:
        return []


def stances(root: Path | None, issue: str) -> list[str]:
    """The stance ids of an issue, from its file alone."""
    if root is None or "/" in issue or "\\" in issue or issue.startswith("."):
        return []
    try:
        import yaml_rs

        record = yaml_rs.loads((root / "issues" / f"{issue}.yaml").read_text(encoding="utf-8"), parse_datetime=False)
        return [s["id"] for s in record.get("stances") or [] if isinstance(s, dict) and isinstance(s.get("id"), str)]
    except Exception:  # noqa: BLE001  # a broken file completes nothing
        return []


def _matching(found: list[str], incomplete: str) -> list[str]:
    return [i for i in found if i.startswith(incomplete)]


def of(folder: str):
    """A completion function for the ids of one kind of record."""

    def complete(ctx, incomplete: str) -> list[str]:
        return _matching(ids(_root(ctx), folder), incomplete)

    complete.__name__ = f"complete_{folder}"
    return complete


actors, issues, rounds, sources, events = (of(f) for f in ("actors", "issues", "rounds", "sources", "events"))


def issue_or_actor(ctx, incomplete: str) -> list[str]:
    root = _root(ctx)
    return _matching(ids(root, "issues") + ids(root, "actors"), incomplete)


def issue_stance(ctx, incomplete: str) -> list[str]:
    """`ISSUE=STANCE`: the issues, then the stances of the issue typed."""
    root = _root(ctx)
    if "=" not in incomplete:
        return [f"{i}=" for i in _matching(ids(root, "issues"), incomplete)]
    issue, _, typed = incomplete.partition("=")
    return [f"{issue}={s}" for s in _matching(stances(root, issue), typed)]


def stance_of_option(issue_param: str):
    """Completion of a stance of the issue given in another parameter of the command."""

    def complete(ctx, incomplete: str) -> list[str]:
        issue = (ctx.params or {}).get(issue_param)
        return _matching(stances(_root(ctx), issue), incomplete) if isinstance(issue, str) else []

    return complete


def of_kind(kind_param: str):
    """Completion of the id of a record of the kind given in another parameter (`rename KIND OLD`)."""

    def complete(ctx, incomplete: str) -> list[str]:
        kind = (ctx.params or {}).get(kind_param)
        kind = getattr(kind, "value", kind)
        return _matching(ids(_root(ctx), f"{kind}s"), incomplete) if isinstance(kind, str) else []

    return complete
