"""A cache of validation reports, so that checking an unchanged knowledge base costs a directory scan.

The report of a knowledge base is stored under the user's cache directory ($PEACEKB_CACHE_DIR,
else $XDG_CACHE_HOME/peacekb, else ~/.cache/peacekb), never in the data folder, keyed on the
folder's absolute path. It is used only when nothing it depends on has changed: the list of files
in every data folder with each one's size, modification and change times (ns) and inode (the
change time moves on every write and cannot be set back), and the same for peacekb's own code. Anything else, a missing, stale, unreadable or corrupt cache entry included,
means a check, after which the entry is rewritten (atomically). `--no-cache` skips it.

When only round files changed, :mod:`peacekb.recheck` checks those files alone against the cached
detail of the last check (a second file beside the report, read only then), and falls back to a
full check whenever that could give another answer.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from peacekb.datadir import KIND_FOLDERS
from peacekb.problems import Problem, Report

FORMAT = 3
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


def _path(root: Path, what: str = "report") -> Path:
    key = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:32]
    return cache_dir() / f"{what}-{key}.json"


def _stored(root: Path, what: str = "report") -> dict | None:
    """The stored entry of ``root``, current or not; None when missing, unreadable or not of this format."""
    try:
        stored = json.loads(_path(root, what).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("format") != FORMAT or stored.get("root") != str(root.resolve()):
        return None
    return stored


def _current(root: Path, now: dict | None = None) -> dict | None:
    """The stored entry of ``root`` if nothing it depends on has changed, else None."""
    stored = _stored(root)
    if stored is None:
        return None
    return stored if stored.get("fingerprint") == (now or fingerprint(root)) else None


def _report(root: Path, stored: dict) -> Report | None:
    try:
        return Report(root, [_problem(p) for p in stored["problems"]], int(stored["files"]))
    except (KeyError, TypeError, ValueError):
        return None


def read(root: Path) -> Report | None:
    """The cached report of ``root`` if it is current, else None."""
    stored = _current(root)
    return _report(root, stored) if stored is not None else None


def write(root: Path, report: Report, before: dict, kb=None, rounds: list[dict] | None = None, detail: dict | None = None) -> None:
    """Store ``report``, made from the files as ``before`` found them, with an index of the rounds and
    the detail a later recheck needs when the fully loaded knowledge base ``kb`` is given (or the
    ``rounds`` index and ``detail`` themselves); never fails the command."""
    from peacekb.recheck import details
    from peacekb.writing import write_atomic

    if fingerprint(root) != before:  # a file changed while it was being checked
        return
    if kb is not None:
        rounds, detail = _round_index(kb), details(kb)
    common = {"format": FORMAT, "root": str(root.resolve()), "fingerprint": before}
    entry = {
        **common,
        "files": report.files,
        "problems": [{**p.to_dict(), "path": list(p.path)} for p in report.problems],
        "rounds": rounds,
    }
    try:
        cache_dir().mkdir(parents=True, exist_ok=True)
        # the detail first: a report is trusted only with a detail of the same fingerprint beside it
        if detail is not None:
            write_atomic(_path(root, "detail"), json.dumps({**common, **detail}, ensure_ascii=False))
        write_atomic(_path(root), json.dumps(entry, ensure_ascii=False))
    except OSError:
        pass


def _round_index(kb, files: set[str] | None = None) -> list[dict]:
    """What finding a round and its neighbours needs, without loading every round (only the rounds
    in the files named by stem in ``files`` when given)."""
    index = []
    for r in kb.rounds.values():
        stem = Path(kb.origin("rounds", r.id).file).stem
        if files is None or stem in files:
            index.append({
                "id": r.id, "file": stem, "title": r.title, "kind": r.kind, "status": r.status,
                "location": r.location, "venue": r.venue, "start": str(r.start), "end": str(r.end) if r.end else None,
            })
    return index


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
    is current, or a recheck of the changed round files gives it, the checks across records are
    skipped (their outcome is known); otherwise the knowledge base is checked in full and the
    report cached."""
    from peacekb.loader import load

    report, kb = _check(root)
    if kb is None:
        kb = load(root, cross_checks=False).kb
    return kb, report


def load_round(root: Path, pick):
    """The knowledge base with every record but the rounds, the round that ``pick`` chooses in full, and
    the other rounds as stubs (title, place, dates) from the cached index; None when the cache is not
    current. ``pick(kb)`` resolves the round's name against the stubs and returns its id."""
    from peacekb.loader import load

    stored = _current(root)  # one scan of the files for both the report and the index
    index = stored.get("rounds") if stored is not None else None
    cached = _report(root, stored) if isinstance(index, list) else None
    if cached is None:
        return None
    stubs = {ident: stub for ident, (stub, _) in round_stubs(index).items()}
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


def round_stubs(index: list[dict], skip: set[str] = frozenset()) -> dict:
    """Round id -> (stub, file name) for the rounds of the cached ``index`` but those in the files
    named in ``skip``. Stubs carry what finding a round, naming its neighbours and checking
    references to it need; every other field is given empty, since model_construct inspects each
    default factory anew (seconds for thousands of rounds)."""
    from peacekb.dates import FuzzyDate
    from peacekb.models import Round

    lists = [name for name, field in Round.model_fields.items() if field.default_factory is list]
    return {
        r["id"]: (
            Round.model_construct(
                **{name: [] for name in lists}, id=r["id"], title=r["title"], kind=r["kind"], status=r["status"], location=r["location"],
                venue=r["venue"], start=FuzzyDate.parse(r["start"]), end=FuzzyDate.parse(r["end"]) if r["end"] else None,
                format=None, note=None,
            ),
            r["file"] + ".yaml",
        )
        for r in index
        if r["file"] + ".yaml" not in skip
    }


def validate(root: Path, use_cache: bool = True) -> Report:
    """The report of ``root``: from the cache when current, else from a check of the changed round
    files when that is enough, else from a full check (then cached)."""
    return _check(root, use_cache)[0]


def _check(root: Path, use_cache: bool = True):
    """(report, knowledge base or None): the knowledge base when the check loaded it in full."""
    from peacekb.loader import load

    if not use_cache:
        result = load(root)
        return result, result.kb
    now = fingerprint(root)
    stored = _stored(root)
    report = _report(root, stored) if stored is not None else None
    if report is not None and stored.get("fingerprint") == now:
        return report, None
    if report is not None:
        rechecked = _recheck(root, stored, report, now)
        if rechecked is not None:
            return rechecked, None
    result = load(root)
    write(root, result, now, result.kb)
    return result, result.kb


def _recheck(root: Path, stored: dict, report: Report, now: dict) -> Report | None:
    from peacekb.recheck import recheck

    detail = _stored(root, "detail")
    index = stored.get("rounds")
    if detail is None or detail.get("fingerprint") != stored.get("fingerprint") or not isinstance(index, list):
        return None
    try:
        done = recheck(root, report, stored["fingerprint"], detail, now, lambda skip: round_stubs(index, skip))
    except (KeyError, TypeError, ValueError, AttributeError):  # a detail of an unexpected shape: check in full
        return None
    if done is None:
        return None
    result, kb, names = done
    stems = {Path(name).stem for name in names}
    rounds = sorted([r for r in index if r["file"] not in stems] + _round_index(kb, stems), key=lambda r: r["file"])
    invalid = [[kind, ident, file] for (kind, ident), file in kb.invalid.items()]
    write(root, result, now, rounds=rounds, detail={**detail, "invalid": invalid})
    return result
