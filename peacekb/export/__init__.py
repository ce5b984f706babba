"""Exports of the whole knowledge base: SQLite (for datasette and SQL), CSV, JSON, Popolo.

One module per format (:mod:`.sqlite`, :mod:`.csv`, :mod:`.json`, :mod:`.popolo`); the SQLite and
CSV exports share the tables of :mod:`.tables`. Every export is deterministic (the same knowledge
base gives the same bytes) and written atomically: into a temporary file (or folder) beside the
target, renamed over it when complete, so that a reader never sees half an export and an
interrupted one leaves the old file whole. None replaces a file that exists unless asked to.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from peacekb.writing import TEMP_MARK


class ExportError(Exception):
    """An export that cannot be written (the target exists, its folder is missing, ...); nothing was written."""


def check_target(path: Path, force: bool, folder: bool = False) -> None:
    """Raise ExportError if ``path`` cannot be written: it exists (without ``force``), or it is a
    folder where a file is wanted (or the other way round), or its folder is missing."""
    path = Path(path)
    if path.is_symlink() or path.exists():
        if not force:
            raise ExportError(f"{path} exists: pass --force to replace it")
        if folder and not path.is_dir():
            raise ExportError(f"{path} exists and is not a folder")
        if not folder and path.is_dir():
            raise ExportError(f"{path} is a folder: give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"{parent} is not a folder: create it first")


def write_file(path: Path, make: Callable[[Path], None]) -> None:
    """Write ``path`` through ``make(temporary)``, which writes the whole file at the temporary
    path; the temporary file is renamed over ``path`` when ``make`` returns, removed if it fails."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}{TEMP_MARK}", dir=path.parent or ".")
    os.close(handle)
    try:
        os.unlink(temporary)  # ``make`` creates it (SQLite's VACUUM INTO wants a new file)
        make(Path(temporary))
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def write_bytes(path: Path, data: bytes) -> None:
    write_file(path, lambda temporary: temporary.write_bytes(data))


def write_folder(path: Path, files: dict[str, bytes]) -> None:
    """Write a folder holding exactly ``files`` (name, or path with ``/``, to bytes): into a temporary folder beside
    ``path``, which then takes the place of ``path`` (an old folder there is removed after)."""
    path = Path(path)
    temporary = Path(tempfile.mkdtemp(prefix=f".{path.name}{TEMP_MARK}", dir=path.parent or "."))
    old = None
    try:
        for name, data in files.items():  # a name may hold folders (`issues/donbas/index.html`)
            target = temporary / name
            if "/" in name:
                target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        os.chmod(temporary, 0o755)
        if path.is_dir() and not path.is_symlink():
            old = path.with_name(f".{path.name}{TEMP_MARK}old-{os.getpid()}")
            os.replace(path, old)
        elif path.is_symlink() or path.exists():
            os.unlink(path)
        os.replace(temporary, path)
    except BaseException:
        if old is not None and not path.exists():
            os.replace(old, path)  # put the old export back
            old = None
        raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
