"""Checking again only the files that changed since a cached report.

Editing one round of a large knowledge base should not mean checking every statement again. After
a full check, the cache keeps beside the report what the problems of other files can depend on in
each round file, its *summary*: whether the round passed its model, its id and the names a "did
you mean" hint may offer (title, place, venue), the ids of its statements, and the delegation
seats it gives (which decide whether a speaker elsewhere speaks for a party). It also keeps the
files involved in an id used twice.

When only round files changed (same names, no other folder touched, peacekb's code the same) and
each one's summary is the same after the edit, no other file's problems can have changed: they
keep their cached problems, and the changed files are checked against everything else: every
record from the saved knowledge base, of the round files' statements those of the changed files
alone (:func:`recheck`). When only files of the other folders were added, changed or removed,
every record is checked again but the round files' statements, which keep their cached problems
while no record they name changed (:func:`recheck_records` says when that holds; the detail keeps
the ids they name). The result is the report a full check would give. Anything else (a round file
added, removed or renamed, round files and other folders changed together, a summary that
differs, a file with a duplicated id, many round files changed) means a full check."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from peacekb.kb import KnowledgeBase
from peacekb.problems import Report

# beyond this share of the round files, checking everything costs about as much
MAX_SHARE = 0.1


def summaries(kb: KnowledgeBase, names: set[str] | None = None) -> dict[str, str]:
    """A digest of each round file's summary, by file name (``names`` limits it to those files)."""
    parts: dict[str, dict] = {}

    def part(file: str) -> dict | None:
        name = os.path.basename(file)
        if names is not None and name not in names:
            return None
        return parts.setdefault(name, {"round": None, "invalid": None, "statements": []})

    for ident, rnd in kb.rounds.items():
        found = part(kb.origin("rounds", ident).file)
        if found is not None:
            seats = sorted({(p, d.party) for d in rnd.delegations for p in (d.head, *d.members) if p})
            found["round"] = [ident, rnd.title, rnd.location, rnd.venue, str(rnd.start), str(rnd.last_day), seats]
    for (kind, ident), file in kb.invalid.items():
        found = part(file) if kind == "rounds" else None
        if found is not None:
            found["invalid"] = ident
    for (kind, ident), origin in kb.origins.items():
        if kind == "statements" and kb.statement_parent.get(ident, ("",))[0] == "rounds":
            found = part(origin.file)
            if found is not None:
                found["statements"].append(ident)
    return {
        name: hashlib.sha256(json.dumps(value, sort_keys=True, default=list).encode("utf-8")).hexdigest()[:32]
        for name, value in parts.items()
    }


def details(kb: KnowledgeBase) -> dict:
    """What a later recheck needs from a full check of ``kb``."""
    return {"summaries": summaries(kb), "duplicated": sorted(kb.duplicated), "referenced": sorted(referenced(_round_statements(kb)))}


def changed_rounds(before: dict, now: dict) -> list[str] | None:
    """The names of the round files that changed between two fingerprints, or None when anything else
    changed (another folder, the list of files, peacekb's code)."""
    if before.get("code") != now.get("code"):
        return None
    old, new = before.get("data", {}), now.get("data", {})
    if set(old) != set(new) or any(old[kind] != new[kind] for kind in new if kind != "rounds"):
        return None
    old_rounds, new_rounds = old.get("rounds", []), new.get("rounds", [])
    if [e[0] for e in old_rounds] != [e[0] for e in new_rounds]:
        return None
    return [a[0] for a, b in zip(old_rounds, new_rounds) if a != b]


def recheck(root: Path, report: Report, before: dict, detail: dict, now: dict, reads) -> tuple[Report, dict] | None:
    """The report of ``root`` as it is ``now`` and its detail, from the ``report`` of the files as
    they were ``before`` with its ``detail``, and a check of the changed round files alone; None
    when a full check is needed. ``reads(wanted)`` gives the read of every file of the knowledge base, with the
    statements of those files for which ``wanted(kind, path)`` is true (see peacekb.cache.reads)."""
    from peacekb import loader

    changed = changed_rounds(before, now)
    if not changed or len(changed) > max(1, MAX_SHARE * len(now["data"]["rounds"])):
        return None
    names = set(changed)
    if any(_among(file, names) for file in detail["duplicated"]):
        return None
    # every record, and of the statements those of the changed files (and of events, as they are few)
    kb, problems = loader.assemble(root, reads(lambda kind, path: kind != "rounds" or path.name in names))
    old = detail["summaries"]
    if summaries(kb, names) != {name: old[name] for name in names if name in old}:
        return None
    result = loader.finish(kb, problems, report.files)
    kept = [p for p in report.problems if not _among(p.file, names)]
    fresh = [p for p in result.problems if _among(p.file, names)]
    # what the changed files' statements name now, besides what they named (a few ids too many
    # only make a later recheck step aside)
    named = sorted(set(detail["referenced"]) | referenced(_round_statements(kb, names)))
    return Report(root, sorted(kept + fresh), report.files), {**detail, "referenced": named}


def referenced(statements) -> set[str]:
    """Every id that ``statements`` name, of any kind: the records whose change or removal can
    change their problems (a speaker's roles, an issue's stances, a source's archived text)."""
    found: set[str] = set()
    for s in statements:
        found.update(s.issues, s.stances, s.withdraws, s.sources, s.refers_to, s.parties)
        found.update(x for x in (s.speaker, s.party, s.holder) if x)
        for quote in s.quotes:
            found.add(quote.source)
            found.update(quote.issues or ())
        for dispute in s.disputes:
            for version in dispute.versions:
                found.update(version.sources)
        if s.retracted:
            found.update(s.retracted.sources)
    return found


def _round_statements(kb: KnowledgeBase, names: set[str] | None = None) -> list:
    """The statements of the round files (of those named, when ``names`` is given)."""
    return [s for ident, s in kb.statements.items() if kb.statement_parent.get(ident, ("",))[0] == "rounds"
            and (names is None or os.path.basename(kb.origin("statements", ident).file) in names)]


def changed_records(before: dict, now: dict) -> dict[str, set[str]] | None:
    """The names of the entries of each data folder but ``rounds`` added, changed or removed between
    two fingerprints, or None when a round file is among them, or peacekb's code changed."""
    if before.get("code") != now.get("code"):
        return None
    old, new = before.get("data", {}), now.get("data", {})
    if set(old) != set(new) or old.get("rounds") != new.get("rounds"):
        return None
    found: dict[str, set[str]] = {}
    for kind in new:
        differ = {tuple(e) for e in old[kind]} ^ {tuple(e) for e in new[kind]}
        if differ:
            found[kind] = {e[0] for e in differ}
    return found or None


def recheck_records(root: Path, report: Report, before: dict, detail: dict, now: dict, reads) -> tuple[Report, dict] | None:
    """The report of ``root`` as it is ``now`` and its detail, when only files of other folders than
    ``rounds`` were added, changed or removed since the ``report`` of the files as they were
    ``before``, from a check of every record without the round files' statements; None when a
    full check is needed. ``reads`` as for :func:`recheck`.

    The round files' statements are most of the work, and what their problems depend on in other
    files is the records they name (``detail["referenced"]``) and the delegation seats of the
    rounds. So when no record they name was changed or removed, and none of the cached problems
    is an unknown reference (which a record added could resolve, or whose "did you mean" hint could
    change), their problems stay as cached; every other problem is found again. The exceptions
    step aside: a file changed or removed that had problems, or whose record has an id other
    than its name; statements in the files (their ids must be unique among every statement); and an
    id used twice anywhere. The check costs the same however many files changed: the load of every
    record but the round files' statements, and the checks over them."""
    from peacekb import loader
    from peacekb.checks import UNKNOWN_REFERENCE

    changed = changed_records(before, now)
    if changed is None or detail["duplicated"]:
        return None
    if any(p.code in UNKNOWN_REFERENCE and _of_round_statement(p) for p in report.problems):
        return None
    named = set(detail["referenced"])
    had = {(Path(p.file).parent.name, Path(p.file).name) for p in report.problems}
    for kind, names in changed.items():
        for name in names:
            stem, dot, suffix = name.rpartition(".")
            if suffix == "yaml" and dot and (stem in named or (kind, name) in had):
                return None
    found = reads(lambda kind, path: kind != "rounds")
    kb, problems = loader.assemble(root, found)
    for read in found:
        name = Path(read.name).name
        if name in changed.get(read.kind, ()) and (read.statements or read.record is None or read.record.id != Path(name).stem):
            return None
    for source in kb.sources.values():  # an archived text changed that quotes are checked against
        if source.archive in changed.get("sources", ()) and source.id in named:
            return None
    result = loader.finish(kb, problems, len(found))
    # the round files are as they were: their statements keep their problems, found on their own or
    # across records; every other problem is as found now
    kept = [p for p in report.problems if _of_round_statement(p)]
    fresh = [p for p in result.problems if not _of_round_statement(p)]
    return Report(root, sorted(kept + fresh), result.files), detail


def _of_round_statement(p) -> bool:
    return p.path[:1] == ("statements",) and Path(p.file).parent.name == "rounds"


def _among(file: str, names: set[str]) -> bool:
    path = Path(file)
    return path.name in names and path.parent.name == "rounds"

