"""A cache of validation reports, so that checking an unchanged knowledge base costs a directory scan.

The report of a knowledge base is stored under the user's cache directory ($PEACEKB_CACHE_DIR,
else $XDG_CACHE_HOME/peacekb, else ~/.cache/peacekb), never in the data folder, keyed on the
folder's absolute path. It is used only when nothing it depends on has changed: the list of files
in every data folder with each one's size, modification and change times (ns) and inode (the
change time moves on every write and cannot be set back), and the same for peacekb's own code. Anything else, a missing, stale, unreadable or corrupt cache entry included,
means a full check, after which the entry is rewritten (atomically). `--no-cache` skips it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from peacekb.datadir import KIND_FOLDERS
from peacekb.problems import Problem, Report

FORMAT = 2
CODE = Path(__file__).parent


def cache_dir() -> Path:
    explicit = os.environ.get("PEACEKB_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "peacekb"


def _entries(folder: Path) -> list[list]:
    try:
        with os.scandir(folder) as it:
            found = []
            for entry in it:
                st = entry.stat(follow_symlinks=True) if not entry.is_dir() else entry.stat()
                found.append([entry.name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino])
    except OSError:
        return [["-missing-"]]
    return sorted(found)


def fingerprint(root: Path) -> dict:
    """What a report depends on: every file of the data folders, and peacekb's code."""
    return {
        "data": {kind: _entries(root / kind) for kind in KIND_FOLDERS},
        "code": _entries(CODE) + _entries(CODE / "cli"),
    }


def _path(root: Path) -> Path:
    key = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:32]
    return cache_dir() / f"report-{key}.json"


def _current(root: Path) -> dict | None:
    """The stored entry of ``root`` if nothing it depends on has changed, else None."""
    try:
        stored = json.loads(_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("format") != FORMAT or stored.get("root") != str(root.resolve()):
        return None
    return stored if stored.get("fingerprint") == fingerprint(root) else None


def _report(root: Path, stored: dict) -> Report | None:
    try:
        return Report(root, [_problem(p) for p in stored["problems"]], int(stored["files"]))
    except (KeyError, TypeError, ValueError):
        return None


def read(root: Path) -> Report | None:
    """The cached report of ``root`` if it is current, else None."""
    stored = _current(root)
    return _report(root, stored) if stored is not None else None


def write(root: Path, report: Report, before: dict, kb=None) -> None:
    """Store ``report``, made from the files as ``before`` found them, with an index of the rounds
    when the loaded knowledge base ``kb`` is given; never fails the command."""
    from peacekb.writing import write_atomic

    if fingerprint(root) != before:  # a file changed while it was being checked
        return
    entry = {
        "format": FORMAT,
        "root": str(root.resolve()),
        "fingerprint": before,
        "files": report.files,
        "problems": [{**p.to_dict(), "path": list(p.path)} for p in report.problems],
        "rounds": _round_index(kb) if kb is not None else None,
    }
    try:
        path = _path(root)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(entry, ensure_ascii=False))
    except OSError:
        pass


def _round_index(kb) -> list[dict]:
    """What finding a round and its neighbours needs, without loading every round."""
    return [
        {
            "id": r.id, "file": Path(kb.origin("rounds", r.id).file).stem, "title": r.title, "kind": r.kind,
            "status": r.status, "location": r.location, "venue": r.venue, "start": str(r.start),
            "end": str(r.end) if r.end else None,
        }
        for r in kb.rounds.values()
    ]


def round_index(root: Path) -> list[dict] | None:
    """The index of the rounds of ``root`` if the cache is current (and holds one), else None."""
    stored = _current(root)
    rounds = stored.get("rounds") if stored is not None else None
    return list(rounds) if isinstance(rounds, list) else None


def _problem(data: dict) -> Problem:
    return Problem(
        file=data["file"], line=data["line"], column=data["column"], code=data["code"],
        message=data["message"], severity=data["severity"], path=tuple(data.get("path", ())),
    )


def load_for_reading(root: Path):
    """The loaded knowledge base and its report, for commands that read it: when the cached report
    is current, the checks across records are skipped (their outcome is known); otherwise the
    knowledge base is checked in full and the report cached."""
    from peacekb.loader import load

    cached = read(root)
    if cached is not None:
        return load(root, cross_checks=False).kb, cached
    before = fingerprint(root)
    result = load(root)
    write(root, result, before, result.kb)
    return result.kb, result


def load_round(root: Path, pick):
    """The knowledge base with every record but the rounds, the round that ``pick`` chooses in full, and
    the other rounds as stubs (title, place, dates) from the cached index; None when the cache is not
    current. ``pick(kb)`` resolves the round's name against the stubs and returns its id."""
    from peacekb.dates import FuzzyDate
    from peacekb.loader import load
    from peacekb.models import Round

    stored = _current(root)  # one scan of the files for both the report and the index
    index = stored.get("rounds") if stored is not None else None
    cached = _report(root, stored) if isinstance(index, list) else None
    if cached is None:
        return None
    # stubs carry what finding a round and naming its neighbours needs; every other field is given
    # empty, since model_construct inspects each default factory anew (seconds for thousands of rounds)
    lists = [name for name, field in Round.model_fields.items() if field.default_factory is list]
    stubs = {
        r["id"]: Round.model_construct(
            **{name: [] for name in lists}, id=r["id"], title=r["title"], kind=r["kind"], status=r["status"], location=r["location"],
            venue=r["venue"], start=FuzzyDate.parse(r["start"]), end=FuzzyDate.parse(r["end"]) if r["end"] else None,
            format=None, note=None,
        )
        for r in index
    }
    files = {r["id"]: r["file"] for r in index}
    kb = load(root, cross_checks=False, only={"rounds": set()}).kb
    kb.rounds = stubs
    chosen = pick(kb)
    others = {kind: set() for kind in ("actors", "issues", "sources", "events")}
    one = load(root, cross_checks=False, only={**others, "rounds": {files[chosen]}}).kb
    kb.rounds = {**stubs, **one.rounds}
    kb.statements.update(one.statements)
    kb.statement_parent.update(one.statement_parent)
    kb.origins.update(one.origins)
    return kb, cached, chosen


def validate(root: Path, use_cache: bool = True) -> Report:
    """The report of ``root``: from the cache when current, else from a full check (then cached)."""
    from peacekb.loader import load

    if not use_cache:
        return load(root)
    cached = read(root)
    if cached is not None:
        return cached
    before = fingerprint(root)
    result = load(root)
    write(root, result, before, result.kb)
    return result
