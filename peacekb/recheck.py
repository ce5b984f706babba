"""Checking again only the round files that changed since a cached report.

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
alone. The result is the report a full
check would give. Anything else (a file added, removed or renamed, another folder changed, a
summary that differs, a file with a duplicated id, many files changed) means a full check.
"""

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
    return {"summaries": summaries(kb), "duplicated": sorted(kb.duplicated)}


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


def recheck(root: Path, report: Report, before: dict, detail: dict, now: dict, reads) -> Report | None:
    """The report of ``root`` as it is ``now``, from the ``report`` of the files as they were
    ``before`` with its ``detail``, and a check of the changed round files alone; None when a full
    check is needed. ``reads(wanted)`` gives the read of every file of the knowledge base, with the
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
    return Report(root, sorted(kept + fresh), report.files)


def _among(file: str, names: set[str]) -> bool:
    path = Path(file)
    return path.name in names and path.parent.name == "rounds"

