"""The cache: one saved, validated form of each knowledge base, reused by every command.

Everything is kept under the user's cache directory ($PEACEKB_CACHE_DIR, else the platform's cache
folder for peacekb, see :func:`cache_dir`), never in the data folder, keyed on the folder's
absolute path. The one design: every command gets the knowledge base through :func:`load`, from
the records of each file as they read after parsing and validation (:mod:`peacekb.saved`), kept
per file with the file's stamp and reused while the file is unchanged; changed and added files
are read again, the rows of removed ones dropped, and the knowledge base is assembled as a full
load assembles it, so every answer is the one a full load gives (a command about one round takes
of the round files' statements those of its file alone). The outcome of the checks
across records is kept beside them as the *report*, valid for one *fingerprint* (every data
file's name, size, modification and change times and inode, and peacekb's own code): while
nothing changed, the report is the answer and the checks are not run; after a change, the
files that changed are checked against the rest when what the other files' problems depend on
is known to be the same (:mod:`peacekb.recheck`), and otherwise every check runs again. Two
indexes are kept in step with the same stamps, each for a measured reason: the statement index
of :mod:`peacekb.store`, through which the commands about positions on some issues (`positions`,
`diff A B`, `matrix`) read only the statements taking a stance on them (at 100,000 statements,
0.3-0.6x the time of a full load and under half its memory), and the full-text index
of :mod:`peacekb.search`. `--no-cache` skips all of it.

The cache directory is created private (0700) and is used only when it is owned by the current user
and no one else can write to it (on a platform with user ids; elsewhere neither is checked);
otherwise peacekb runs as with `--no-cache` and says so once on stderr. Every entry read back is
checked for its shape (:func:`entry_ok`, and the restricted unpickler of :mod:`peacekb.saved`)
before anything uses it: an entry of the wrong shape is treated as missing, so it means reading
and checking again, never a crash and never a pass.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from peacekb.datadir import KIND_FOLDERS
from peacekb.problems import Problem, Report, rebased

if TYPE_CHECKING:  # the models are not imported for a report answered from the cache
    from peacekb.kb import KnowledgeBase

FORMAT = 6
DETAIL = ("summaries", "duplicated", "referenced")  # what the detail beside a report holds (see peacekb.recheck)
CODE = Path(__file__).parent


def cache_dir() -> Path:
    """$PEACEKB_CACHE_DIR, else the platform's cache folder for peacekb (platformdirs:
    $XDG_CACHE_HOME/peacekb or ~/.cache/peacekb on Linux, ~/Library/Caches/peacekb on macOS,
    %LOCALAPPDATA%\\peacekb\\Cache on Windows)."""
    explicit = os.environ.get("PEACEKB_CACHE_DIR")
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_cache_dir("peacekb", appauthor=False))


# entries of a knowledge base not used for this long are removed, and the oldest ones beyond this size
UNUSED_DAYS = 30
MAX_BYTES = 2 * 1024**3


def _used(path: Path) -> None:
    """Mark the entries of a knowledge base as used now, at most once a day (see :func:`prune`)."""
    try:
        if os.stat(path).st_mtime < time.time() - 86400:
            os.utime(path)
    except OSError:
        pass


def prune(folder: Path, keep: str) -> None:
    """Remove the entries of knowledge bases not used for UNUSED_DAYS, then, oldest first, those
    beyond MAX_BYTES in all ($PEACEKB_CACHE_MAX_BYTES), never those of ``keep`` (a key)."""
    groups: dict[str, list[tuple[Path, os.stat_result]]] = {}
    try:
        with os.scandir(folder) as it:
            for entry in it:
                what, _, rest = entry.name.partition("-")
                key = rest.split(".")[0]
                if what in ("report", "detail", "saved", "statements", "search") and len(key) == 32 and entry.is_file(follow_symlinks=False):
                    groups.setdefault(key, []).append((Path(entry.path), entry.stat(follow_symlinks=False)))
    except OSError:
        return
    try:
        limit = int(os.environ.get("PEACEKB_CACHE_MAX_BYTES", MAX_BYTES))
    except ValueError:
        limit = MAX_BYTES
    cutoff = time.time() - UNUSED_DAYS * 86400
    used = sorted(((max(st.st_mtime for _, st in files), key) for key, files in groups.items()), reverse=True)
    total = 0
    for when, key in used:
        size = sum(st.st_size for _, st in groups[key])
        total += size
        if key != keep and (when < cutoff or total > limit):
            total -= size
            for path, _ in groups[key]:
                try:
                    path.unlink()
                except OSError:
                    pass


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
        and p.get("code") in CODES and isinstance(p.get("message"), str) and p.get("severity") in ("error", "warning", "note")
        and isinstance(p.get("path", []), list) and all(isinstance(i, str) or _is(i, int) for i in p.get("path", []))
    )


def entry_ok(entry, what: str = "report") -> bool:
    """Whether ``entry`` (a cache entry read back, of kind ``what``: report or detail) has the shape
    its consumers rely on; an entry that does not is treated as missing."""
    if not isinstance(entry, dict) or not _fingerprint_ok(entry.get("fingerprint")):
        return False
    if not isinstance(entry.get("spelled"), str):
        return False
    if what == "report":
        return _is(entry.get("files"), int) and isinstance(entry.get("problems"), list) and all(map(_problem_ok, entry["problems"]))
    if what == "detail":
        summaries = entry.get("summaries")
        return (
            isinstance(summaries, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in summaries.items())
            and _strs(entry.get("duplicated")) and _strs(entry.get("referenced"))
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


def _code_entries() -> list[list]:
    """The stamp of every module of peacekb (its .py files: not the bytecode Python writes beside
    them, which would make every first import of a module look like new code)."""
    found = []
    for folder, dirs, files in os.walk(CODE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))
                found.append([os.path.relpath(os.path.join(folder, name), CODE), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino])
    return found


def fingerprint(root: Path) -> dict:
    """What a report depends on: every file of the data folders, and peacekb's code."""
    return {"data": {kind: _entries(root / kind) for kind in KIND_FOLDERS}, "code": _code_entries()}


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
    if not entry_ok(stored, what):
        return None
    if what == "report":
        _used(_path(root, what))
    return stored


def _current(root: Path) -> dict | None:
    """The stored entry of ``root`` if nothing it depends on has changed, else None."""
    stored = _stored(root)
    if stored is None:
        return None
    return stored if stored.get("fingerprint") == fingerprint(root) else None


def _report(root: Path, stored: dict) -> Report | None:
    """The report of an entry, its files spelled as ``root`` spells the folder."""
    try:
        return Report(root, rebased([_problem(p) for p in stored["problems"]], stored["spelled"], str(root)), int(stored["files"]))
    except (KeyError, TypeError, ValueError):
        return None


def read(root: Path) -> Report | None:
    """The cached report of ``root`` if it is current, else None."""
    stored = _current(root)
    return _report(root, stored) if stored is not None else None


def write(root: Path, report: Report, before: dict, kb=None, detail: dict | None = None) -> dict:
    """Store ``report``, made from the files as ``before`` found them, with the detail a later
    recheck needs (from the fully loaded knowledge base ``kb``, or ``detail`` itself); never fails
    the command. Returns the entry, stored or not (not when a file changed meanwhile)."""
    from peacekb.recheck import details
    from peacekb.writing import write_atomic

    if kb is not None:
        detail = details(kb)
    common = {"format": FORMAT, "root": str(root.resolve()), "spelled": str(root), "fingerprint": before}
    entry = {**common, "files": report.files, "problems": [{**p.to_dict(), "path": list(p.path)} for p in report.problems]}
    if fingerprint(root) != before:  # a file changed while it was being checked
        return entry
    try:
        if usable_dir() is None:
            return entry
        # the detail first: a report is trusted only with a detail of the same fingerprint beside it
        if detail is not None:
            write_atomic(_path(root, "detail"), json.dumps({**common, **detail}, ensure_ascii=False))
        write_atomic(_path(root), json.dumps(entry, ensure_ascii=False))
        prune(cache_dir(), _path(root).stem.partition("-")[2])
    except OSError:
        pass
    return entry


def _problem(data: dict) -> Problem:
    return Problem(
        file=data["file"], line=data["line"], column=data["column"], code=data["code"],
        message=data["message"], severity=data["severity"], path=tuple(data.get("path", ())),
    )


# --- the knowledge base, from the saved reads --------------------------------------------------------


def _stamps(now: dict) -> dict[str, str]:
    return {f"{kind}/{e[0]}": " ".join(map(str, e[1:])) for kind, entries in now["data"].items() for e in entries if len(e) == 5}


def _code(now: dict) -> str:
    """A name for the version of peacekb's code in the fingerprint ``now``."""
    return hashlib.sha256(json.dumps(now["code"]).encode("utf-8")).hexdigest()[:32]


def _saved(root: Path, now: dict):
    """The saved reads of ``root`` (see :mod:`peacekb.saved`); None when they cannot be used."""
    import sqlite3

    from peacekb.saved import Saved

    if usable_dir() is None:
        return None
    try:
        return Saved(_path(root, "saved").with_suffix(".sqlite"), _code(now))
    except (OSError, sqlite3.Error):
        return None


def reads(root: Path, only: dict[str, set[str]] | None = None, statements=None, now: dict | None = None) -> list:
    """The :class:`~peacekb.loader.FileRead` of every file a load with ``only`` reads, in its order:
    saved, when the file is unchanged, else read now (and saved). ``statements(kind, path)``: whether
    a file's statements are wanted (all when None); the others' reads come without them."""
    import sqlite3

    from peacekb import loader

    files = loader.listed_files(root, only=only)
    now = now or fingerprint(root)
    saved = _saved(root, now)
    if saved is not None:
        try:
            return saved.reads(files, _stamps(now), everything=not only, statements=statements)
        except sqlite3.Error:
            pass
        finally:
            saved.close()
    found = [loader.read_file(kind, path) for kind, path in files]
    if statements is not None:
        for read in found:
            if not statements(read.kind, Path(read.name)):
                read.statements = []
    return found


def load(root: Path, cross_checks: bool = True, only: dict[str, set[str]] | None = None, now: dict | None = None, statements=None):
    """What :func:`peacekb.loader.load` gives for ``root`` (with ``cross_checks`` and ``only`` as
    there), every unchanged file's records taken from the saved reads. ``now``: the fingerprint,
    when the caller has just taken it; ``statements``: as for :func:`reads` (a knowledge base
    without some statements is for reading, never for checking)."""
    from peacekb import loader

    with loader.without_collector():
        found = reads(root, only, statements, now)
        kb, problems = loader.assemble(root, found)
        return loader.finish(kb, problems, len(found), cross_checks=cross_checks)


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


def _no_round_statements(kind: str, path: Path) -> bool:
    return kind != "rounds"


def load_for_reading(root: Path, round_pick=None, select=None):
    """(knowledge base, report, chosen) for commands that read. When the cached report is current, or
    a recheck of the changed round files gives it, the checks across records are skipped (their
    outcome is known); otherwise the knowledge base is checked in full and the report cached.

    A command about one round passes ``round_pick``: called with a knowledge base of every record but
    the statements of round files, it resolves the name asked for and returns the round's id; the
    knowledge base then holds that round's statements too. A command about positions passes
    ``select``: called with the same knowledge base, it resolves what was asked for and returns it
    (``chosen``) with the :class:`Wanted` statements; of the round files' statements, the
    knowledge base then holds those only, as stand-ins that :meth:`KnowledgeBase.full` completes.
    When the knowledge base was loaded in full anyway, ``chosen`` is None and the command resolves the
    names itself."""
    checked = _check(root)
    entry = checked.entry or {}
    if checked.kb is not None:
        if select is not None and entry:
            store = _statement_index(root, entry["fingerprint"], checked.kb)
            if store is not None:
                store.close()
        return checked.kb, checked.report, None
    now = entry.get("fingerprint")
    if round_pick is not None and now is not None:
        kb, chosen = _with_one_round(root, now, round_pick)
        return kb, checked.report, chosen
    if select is not None and now is not None:
        kb, chosen = _with_statements(root, now, select)
        return kb, checked.report, chosen
    return load(root, cross_checks=False, now=now).kb, checked.report, None


def _with_one_round(root: Path, now: dict, pick):
    from peacekb import loader

    found = reads(root, statements=_no_round_statements, now=now)
    kb, _ = loader.assemble(root, found)
    chosen = pick(kb)
    file = kb.origin("rounds", chosen).file
    one = reads(root, only={"rounds": {Path(file).stem}, **{kind: set() for kind in KIND_FOLDERS if kind != "rounds"}}, now=now)
    whole = {read.name: read for read in one}
    kb, _ = loader.assemble(root, [whole.get(read.name, read) for read in found])
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


def _with_statements(root: Path, now: dict, select):
    import sqlite3

    kb = load(root, cross_checks=False, now=now, statements=_no_round_statements).kb
    chosen, wanted = select(kb)
    store = _statement_index(root, now)
    if store is None:  # no usable index: every statement, read in full
        return load(root, cross_checks=False, now=now).kb, chosen
    try:
        found = store.taking_stances(wanted.issues, wanted.actors)
    except sqlite3.Error:  # rows of the wrong shape: every statement, read in full (the index is rebuilt next time)
        store.discard()
        return load(root, cross_checks=False, now=now).kb, chosen
    finally:
        store.close()
    for s in found:
        if s.id in kb.statements:  # also in an events file: that one was read first, as in a full load
            continue
        kb.statements[s.id] = s  # type: ignore[assignment]  # stands in for the statement, see store.Indexed
        if s.parent is not None:
            kb.statement_parent[s.id] = ("rounds", s.parent)
    kb.reader = _statement_reader(kb, root, now, lambda: _discard_index(root))
    kb.memo.clear()  # nothing worked out before the statements came in stands
    return kb, chosen


def _statement_reader(kb: KnowledgeBase, root: Path, now: dict, index=None):
    """Reads in full a statement that the knowledge base holds as an index entry, from the saved
    read of its file at the place the index gives; a file changed meanwhile is an error to run the
    command again for (and the index is emptied, by ``index()``, so that the next run reads the
    files again)."""
    from peacekb.models import Statement

    files: dict[str, dict[int, Statement]] = {}
    saved: list = []  # the saved reads, opened at the first statement read
    stamps = _stamps(now)

    def read(ident: str) -> Statement | None:
        entry = kb.statements.get(ident)
        if entry is None or isinstance(entry, Statement):
            return entry
        if entry.file not in files:
            from peacekb import loader

            path = root / "rounds" / entry.file
            if not saved:
                saved.append(_saved(root, now))
            stamp = stamps.get(f"rounds/{entry.file}")
            one = saved[0].one("rounds", path, stamp) if saved[0] is not None else loader.read_file("rounds", path)
            files[entry.file] = dict(one.statements)
        statement = files[entry.file].get(entry.position)
        if statement is None or statement.id != ident:  # the index is wrong about the place: wherever it is
            statement = next((s for s in files[entry.file].values() if s.id == ident), None)
        if statement is None:
            if index is not None:  # the index is wrong about this file: rebuilt on the next run
                index()
            raise RuntimeError(f"{root / 'rounds' / entry.file} changed while it was being read; run the command again")
        return statement

    return read


def search_index(root: Path):
    """A connection to the search index of ``root`` (see peacekb.search), kept in the cache and
    brought up to date file by file from the saved reads; None when the cache cannot be used (the
    caller then builds one from the knowledge base)."""
    import sqlite3

    from peacekb.search import CachedIndex

    if usable_dir() is None:
        return None
    now = fingerprint(root)

    def reads_of(keys: set[str]) -> list:
        only = {kind: {Path(key.partition("/")[2]).stem for key in keys if key.startswith(kind + "/")} for kind in KIND_FOLDERS}
        return reads(root, only=only, now=now)

    try:
        index = CachedIndex(_path(root, "search").with_suffix(".sqlite"), _code(now))
    except (OSError, sqlite3.Error):
        return None
    try:
        index.sync(_stamps(now), reads_of)
    except sqlite3.Error:
        index.close()
        return None
    return index.conn


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
    from peacekb.loader import without_collector
    from peacekb.recheck import recheck, recheck_records

    detail = _stored(root, "detail")
    if detail is None or detail.get("fingerprint") != stored.get("fingerprint"):
        return None

    def reading(wanted):
        return reads(root, statements=wanted, now=now)

    try:
        with without_collector():
            done = recheck(root, report, stored["fingerprint"], detail, now, reading)
            if done is None:
                done = recheck_records(root, report, stored["fingerprint"], detail, now, reading)
    except (KeyError, TypeError, ValueError, AttributeError):  # a detail of an unexpected shape: check in full
        return None
    if done is None:
        return None
    report, kept = done
    return Checked(report, None, write(root, report, now, detail={key: kept[key] for key in DETAIL}))
