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

The cache directory is created private (0700) and is used only when it is owned by the current user
and no one else can write to it (on a platform with user ids; elsewhere neither is checked); otherwise peacekb runs as with
`--no-cache` and says so once on stderr. Every entry read back is checked for its shape
(:func:`entry_ok`) before anything uses it: an entry of the wrong shape is treated as missing, so
it means a full check, never a crash and never a pass.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from peacekb.datadir import KIND_FOLDERS
from peacekb.problems import Problem, Report

if TYPE_CHECKING:  # the models are not imported for a report answered from the cache
    from peacekb.kb import KnowledgeBase

FORMAT = 4
CODE = Path(__file__).parent


def cache_dir() -> Path:
    explicit = os.environ.get("PEACEKB_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "peacekb"


_refused: set[str] = set()  # the cache directories already reported as unusable


def usable_dir() -> Path | None:
    """The cache directory, created private (0700) when missing; None when it cannot be trusted: not
    a directory, owned by another user, or writable by others (its entries could be planted)."""
    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.stat(folder)
    except OSError:
        return None
    import stat

    reason = None
    posix = hasattr(os, "getuid")  # elsewhere (Windows) neither owners nor mode bits mean this
    if not stat.S_ISDIR(st.st_mode):
        reason = "is not a directory"
    elif posix and st.st_uid != os.getuid():
        reason = "is owned by another user"
    elif posix and st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        reason = "is writable by others"
    if reason is not None:
        if str(folder) not in _refused:
            _refused.add(str(folder))
            import sys

            print(f"peacekb: note: the cache directory {folder} {reason}; running without the cache", file=sys.stderr)
        return None
    if posix and st.st_mode & 0o077:
        try:  # ours, but readable by others: make it private
            os.chmod(folder, 0o700)
        except OSError:
            pass
    return folder


def _is(value, kind) -> bool:
    return isinstance(value, kind) and not isinstance(value, bool)


def _strs(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


_DATE = None


def _date_ok(text) -> bool:
    """Whether ``text`` has the form of a date (the pattern the schemas give; checked once per
    cache read for thousands of rounds, so by pattern rather than by parsing each)."""
    global _DATE
    if _DATE is None:
        from peacekb.dates import PATTERN

        _DATE = re.compile(PATTERN)
    return isinstance(text, str) and _DATE.fullmatch(text) is not None


def _fingerprint_ok(value) -> bool:
    def entries(found) -> bool:
        return isinstance(found, list) and all(isinstance(e, list) and e and isinstance(e[0], str) for e in found)

    return (
        isinstance(value, dict) and entries(value.get("code")) and isinstance(value.get("data"), dict)
        and all(isinstance(k, str) and entries(v) for k, v in value["data"].items())
    )


def _problem_ok(p) -> bool:
    from peacekb.problems import CODES

    return (
        isinstance(p, dict) and isinstance(p.get("file"), str) and _is(p.get("line"), int) and _is(p.get("column"), int)
        and p.get("code") in CODES and isinstance(p.get("message"), str) and p.get("severity") in ("error", "warning")
        and isinstance(p.get("path", []), list) and all(isinstance(i, str) or _is(i, int) for i in p.get("path", []))
    )


_ROUND_TEXT = ("id", "file", "title", "kind", "status")


def _round_ok(r) -> bool:
    return (
        isinstance(r, dict) and all(isinstance(r.get(k), str) for k in _ROUND_TEXT)
        and all(r.get(k) is None or isinstance(r.get(k), str) for k in ("location", "venue"))
        and "/" not in r["file"] and "\\" not in r["file"] and r["file"] not in ("", ".", "..")
        and _date_ok(r.get("start")) and (r.get("end") is None or _date_ok(r.get("end")))
        and _strs(r.get("parties")) and _strs(r.get("mediators"))
    )


def entry_ok(entry, what: str = "report") -> bool:
    """Whether ``entry`` (a cache entry read back, of kind ``what``: report or detail) has the shape
    its consumers rely on; an entry that does not is treated as missing."""
    if not isinstance(entry, dict) or not _fingerprint_ok(entry.get("fingerprint")):
        return False
    if what == "report":
        rounds, principals = entry.get("rounds"), entry.get("principals")
        # the round index is checked where it is used (``rounds_of``): most commands never read it
        return (
            _is(entry.get("files"), int) and isinstance(entry.get("problems"), list) and all(map(_problem_ok, entry["problems"]))
            and (rounds is None or isinstance(rounds, list))
            and (principals is None or _strs(principals))
        )
    if what == "detail":
        summaries, seats, invalid = entry.get("summaries"), entry.get("seats"), entry.get("invalid")
        return (
            isinstance(summaries, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in summaries.items())
            and isinstance(seats, list)
            and all(isinstance(s, list) and len(s) == 4 and all(isinstance(x, str) for x in s) and _date_ok(s[2]) and _date_ok(s[3]) for s in seats)
            and isinstance(invalid, list) and all(isinstance(i, list) and len(i) == 3 and all(isinstance(x, str) for x in i) for i in invalid)
            and _strs(entry.get("duplicated"))
        )
    return False


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
    """The stored entry of ``root``, current or not; None when missing, unreadable, not of this format,
    of the wrong shape (see :func:`entry_ok`), or when the cache directory cannot be trusted."""
    if usable_dir() is None:
        return None
    try:
        stored = json.loads(_path(root, what).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(stored, dict) or stored.get("format") != FORMAT or stored.get("root") != str(root.resolve()):
        return None
    return stored if entry_ok(stored, what) else None


def _current(root: Path) -> dict | None:
    """The stored entry of ``root`` if nothing it depends on has changed, else None."""
    stored = _stored(root)
    if stored is None:
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


def write(root: Path, report: Report, before: dict, kb=None, rounds: list[dict] | None = None, detail: dict | None = None) -> dict:
    """Store ``report``, made from the files as ``before`` found them, with an index of the rounds and
    the detail a later recheck needs when the fully loaded knowledge base ``kb`` is given (or the
    ``rounds`` index and ``detail`` themselves); never fails the command. Returns the entry, stored
    or not (not when a file changed meanwhile)."""
    from peacekb.recheck import details
    from peacekb.writing import write_atomic

    if kb is not None:
        rounds, detail = _round_index(kb), details(kb)
    common = {"format": FORMAT, "root": str(root.resolve()), "fingerprint": before}
    entry = {
        **common,
        "files": report.files,
        "problems": [{**p.to_dict(), "path": list(p.path)} for p in report.problems],
        "rounds": rounds,
        "principals": _principals(rounds) if rounds is not None else None,
    }
    if fingerprint(root) != before:  # a file changed while it was being checked
        return entry
    try:
        if usable_dir() is None:
            return entry
        # the detail first: a report is trusted only with a detail of the same fingerprint beside it
        if detail is not None:
            write_atomic(_path(root, "detail"), json.dumps({**common, **detail}, ensure_ascii=False))
        write_atomic(_path(root), json.dumps(entry, ensure_ascii=False))
    except OSError:
        pass
    return entry


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
                "parties": [d.party for d in r.delegations], "mediators": list(r.mediators),
            })
    return index


def _principals(index: list[dict]) -> list[str]:
    """The parties at the table (see queries.principal_parties), from the round index."""
    from peacekb.dates import FuzzyDate

    seen: dict[str, None] = {}
    for r in sorted(index, key=lambda r: FuzzyDate.parse(r["start"]).sort_key()):
        seen.update(dict.fromkeys(r["parties"]))
        seen.update(dict.fromkeys(r["mediators"]))
    return list(seen)


def rounds_of(entry: dict | None) -> list[dict] | None:
    """The round index of a report entry, when it holds one of the shape written, else None."""
    rounds = entry.get("rounds") if entry is not None else None
    return list(rounds) if isinstance(rounds, list) and all(map(_round_ok, rounds)) else None


def round_index(root: Path) -> list[dict] | None:
    """The index of the rounds of ``root`` if the cache is current (and holds one), else None."""
    return rounds_of(_current(root))


def load(root: Path, cross_checks: bool = True, only: dict[str, set[str]] | None = None, now: dict | None = None):
    """What :func:`peacekb.loader.load` gives for ``root`` (with ``cross_checks`` and ``only`` as
    there), with every unchanged file's records taken from the saved knowledge base
    (:mod:`peacekb.saved`) instead of parsed and validated again. ``now``: the fingerprint, when the
    caller has just taken it."""
    import gc
    import sqlite3

    from peacekb import loader
    from peacekb.saved import Saved

    if usable_dir() is None:
        return loader.load(root, cross_checks=cross_checks, only=only)
    now = now or fingerprint(root)
    stamps = {f"{kind}/{e[0]}": " ".join(map(str, e[1:])) for kind, entries in now["data"].items() for e in entries if len(e) == 5}
    code = hashlib.sha256(json.dumps(now["code"]).encode("utf-8")).hexdigest()[:32]
    collecting = gc.isenabled()
    gc.disable()  # as in loader.load: many objects, no cycles
    try:
        files = loader.listed_files(root, only=only)
        try:
            saved = Saved(_path(root, "saved").with_suffix(".sqlite"), code)
        except (OSError, sqlite3.Error):
            return loader.load(root, cross_checks=cross_checks, only=only)
        try:
            reads = saved.reads(files, stamps, everything=not only)
        except sqlite3.Error:
            reads = [loader.read_file(kind, path) for kind, path in files]
        finally:
            saved.close()
        kb, problems = loader.assemble(root, reads)
        return loader.finish(kb, problems, len(files), cross_checks=cross_checks)
    finally:
        if collecting:
            gc.freeze()
            gc.enable()


def _problem(data: dict) -> Problem:
    return Problem(
        file=data["file"], line=data["line"], column=data["column"], code=data["code"],
        message=data["message"], severity=data["severity"], path=tuple(data.get("path", ())),
    )


@dataclass
class Checked:
    report: Report
    kb: KnowledgeBase | None  # when the check loaded the knowledge base in full
    entry: dict | None  # the cache entry of the report (None with --no-cache)


@dataclass
class Wanted:
    """The statements of the round files that a command about positions needs: those that take a
    stance on one of ``issues`` (on any issue when None) and, when ``actors`` are given, whose holder
    (or party, when no holder is named) or speaker is one of them."""

    issues: list[str] | None = None
    actors: list[str] | None = None


def load_for_reading(root: Path, round_pick=None, select=None):
    """(knowledge base, report, chosen) for commands that read. When the cached report is current, or
    a recheck of the changed round files gives it, the checks across records are skipped (their
    outcome is known); otherwise the knowledge base is checked in full and the report cached.

    A command about one round passes ``round_pick``: called with a knowledge base whose rounds are
    stubs, it resolves the name asked for and returns the round's id; the knowledge base then holds
    that round in full and the others as stubs. A command about positions passes ``select``: called
    with a knowledge base of every record but the rounds, it resolves what was asked for and returns
    it (``chosen``) with the :class:`Wanted` statements; of the round files' statements, the
    knowledge base then holds those only, as stubs that :meth:`KnowledgeBase.full` completes. When
    the knowledge base was loaded in full anyway, ``chosen`` is None and the command resolves the
    names itself."""
    checked = _check(root)
    entry = checked.entry or {}
    if checked.kb is not None:
        if select is not None and entry:
            store = _statement_index(root, entry["fingerprint"], checked.kb)
            if store is not None:
                store.close()
        return checked.kb, checked.report, None
    rounds = rounds_of(entry) if round_pick is not None else None
    if rounds is not None:
        kb, chosen = _with_one_round(root, rounds, round_pick)
        return kb, checked.report, chosen
    if isinstance(entry.get("principals"), list) and select is not None:
        kb, chosen = _with_statements(root, entry, select)
        return kb, checked.report, chosen
    return load(root, cross_checks=False).kb, checked.report, None


def _without_rounds(root: Path, index: list[dict]) -> KnowledgeBase:
    """Every record but the rounds, read in full; the rounds as stubs from the cached ``index``."""
    kb = load(root, cross_checks=False, only={"rounds": set()}).kb
    kb.rounds = {ident: stub for ident, (stub, _) in round_stubs(index).items()}
    return kb


def _with_one_round(root: Path, index: list[dict], pick):
    kb = _without_rounds(root, index)
    chosen = pick(kb)
    files = {r["id"]: r["file"] for r in index}
    others = {kind: set() for kind in KIND_FOLDERS if kind != "rounds"}
    one = load(root, cross_checks=False, only={**others, "rounds": {files[chosen]}}).kb
    kb.rounds.update(one.rounds)
    kb.statements.update(one.statements)
    kb.statement_parent.update(one.statement_parent)
    kb.origins.update(one.origins)
    return kb, chosen


def _statement_index(root: Path, stamps: dict, kb: KnowledgeBase | None = None):
    """The statement index of ``root``, brought up to date; None when it cannot be used."""
    import sqlite3

    from peacekb.store import StatementIndex

    if usable_dir() is None:
        return None
    try:
        store = StatementIndex(_path(root, "statements").with_suffix(".sqlite"))
        store.sync(root, stamps["data"]["rounds"], kb)
        return store
    except (OSError, sqlite3.Error):
        return None


def _discard_index(root: Path) -> None:
    import sqlite3

    from peacekb.store import StatementIndex

    try:
        store = StatementIndex(_path(root, "statements").with_suffix(".sqlite"))
        store.discard()
        store.close()
    except (OSError, sqlite3.Error):
        pass


def _with_statements(root: Path, entry: dict, select):
    import sqlite3

    # the rounds are not needed: the parties at the table come with the report
    kb = load(root, cross_checks=False, only={"rounds": set()}).kb
    kb.principals = list(entry["principals"])
    chosen, wanted = select(kb)
    store = _statement_index(root, entry["fingerprint"])
    if store is None:  # no usable index: every statement, read in full
        return load(root, cross_checks=False).kb, chosen
    try:
        found = store.taking_stances(wanted.issues, wanted.actors)
    except sqlite3.Error:  # rows of the wrong shape: every statement, read in full (the index is rebuilt next time)
        store.discard()
        return load(root, cross_checks=False).kb, chosen
    finally:
        store.close()
    for s in found:
        if s.id in kb.statements:  # also in an events file: that one was read first, as in a full load
            continue
        kb.statements[s.id] = s  # type: ignore[assignment]  # stands in for the statement, see store.Indexed
        if s.parent is not None:
            kb.statement_parent[s.id] = ("rounds", s.parent)
    kb.reader = _statement_reader(kb, root / "rounds", lambda: _discard_index(root))
    return kb, chosen


def _read_statement(data, position: int, ident: str):
    """The statement ``ident`` of a round file's ``data``, at ``position`` as the index says or, when
    the index is wrong about it, wherever it is; None when the file has no such valid statement."""
    from pydantic import ValidationError

    from peacekb.models import Statement

    items = data.get("statements") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    at = [position] if 0 <= position < len(items) else []
    for place in at + [i for i, item in enumerate(items) if isinstance(item, dict) and item.get("id") == ident and i not in at]:
        try:
            statement = Statement.model_validate(items[place])
        except (ValidationError, TypeError):
            continue
        if statement.id == ident:
            return statement
    return None


def _statement_reader(kb: KnowledgeBase, folder: Path, index=None):
    """Reads in full a statement that the knowledge base holds as an index entry, from the place the
    index gives; a file changed meanwhile is an error to run the command again for (and the index is
    emptied, by ``index()``, so that the next run reads the files again)."""
    from peacekb.models import Statement
    from peacekb.yamlfile import parse

    files: dict[str, dict | None] = {}
    done: dict[str, Statement] = {}

    def read(ident: str) -> Statement | None:
        entry = kb.statements.get(ident)
        if entry is None or isinstance(entry, Statement):
            return entry
        if ident not in done:
            if entry.file not in files:
                files[entry.file] = parse(folder / entry.file, str(folder / entry.file))[0]
            statement = _read_statement(files[entry.file], entry.position, ident)
            if statement is None:
                if index is not None:  # the index is wrong about this file: rebuilt on the next run
                    index()
                raise RuntimeError(f"{folder / entry.file} changed while it was being read; run the command again")
            done[ident] = statement
        return done[ident]

    return read


def round_stubs(index: list[dict], skip: set[str] = frozenset()) -> dict:
    """Round id -> (stub, file name) for the rounds of the cached ``index`` but those in the files
    named in ``skip``. Stubs carry what finding a round, naming its neighbours and checking
    references to it need; every other field is empty."""
    from peacekb.dates import FuzzyDate
    from peacekb.models import Round

    return {
        r["id"]: (
            Round.stub(
                id=r["id"], title=r["title"], kind=r["kind"], status=r["status"], location=r["location"], venue=r["venue"],
                start=FuzzyDate.parse(r["start"]), end=FuzzyDate.parse(r["end"]) if r["end"] else None,
            ),
            r["file"] + ".yaml",
        )
        for r in index
        if r["file"] + ".yaml" not in skip
    }


def validate(root: Path, use_cache: bool = True) -> Report:
    """The report of ``root``: from the cache when current, else from a check of the changed round
    files when that is enough, else from a full check (then cached)."""
    return _check(root, use_cache).report


def _check(root: Path, use_cache: bool = True) -> Checked:
    if use_cache:
        now = fingerprint(root)
        stored = _stored(root)
        report = _report(root, stored) if stored is not None else None
        if report is not None and stored.get("fingerprint") == now:
            return Checked(report, None, stored)
        if report is not None:
            rechecked = _recheck(root, stored, report, now)
            if rechecked is not None:
                return rechecked
    if not use_cache:
        from peacekb import loader

        result = loader.load(root)
        return Checked(result, result.kb, None)
    result = load(root, now=now)
    return Checked(result, result.kb, write(root, result, now, result.kb))


def _recheck(root: Path, stored: dict, report: Report, now: dict) -> Checked | None:
    from peacekb.recheck import recheck

    detail = _stored(root, "detail")
    index = rounds_of(stored)
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
    rounds = sorted([r for r in index if r["file"] not in stems] + _round_index(kb, stems), key=lambda r: r["file"] + ".yaml")  # as the folder is read
    invalid = [[kind, ident, file] for (kind, ident), file in kb.invalid.items()]
    kept = {key: detail[key] for key in ("summaries", "seats", "duplicated")}  # the same: they could not change
    return Checked(result, None, write(root, result, now, rounds=rounds, detail={**kept, "invalid": invalid}))
