"""Writing files safely: a temporary file in the same folder, then an atomic rename, under a lock.

* An interrupted write leaves the old file whole; a new file keeps the folder's usual mode, an
  existing one keeps its own.
* The temporary file is named ``.<name>.peacekb-tmp-<random>`` (:data:`TEMP_MARK`) and removed
  on every exit path that Python sees (an exception, Ctrl-C, SIGTERM or SIGHUP during the write);
  only a SIGKILL or a power cut can leave one behind, and ``peacekb validate`` reports such a
  leftover (``stray-file``) so that it is not committed by ``git add -A``.
* :func:`locked` holds an exclusive ``fcntl.flock`` on the file itself (no lock file is ever left
  in the data folder) from the read to the replace; as the replace puts a new inode in place, a
  lock taken on the old one is dropped and taken again on the new one. On a system without
  ``fcntl`` (Windows) there is no lock: concurrent writers are then caught only by the
  ``expected`` check of :func:`write_atomic` (the file must still hold the bytes read).
* :func:`create_new` never replaces a file that exists, even one created a moment ago by another
  process (a hard link of the finished temporary file, which fails if the name is taken).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

TEMP_MARK = ".peacekb-tmp-"
# the temporary files of this and of earlier versions (`.<name>.<8 random>.tmp`)
TEMP_NAME = re.compile(r"^\..+(?:\.peacekb-tmp-[A-Za-z0-9_]+|\.[A-Za-z0-9_]{8}\.tmp)$")

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; see the module's docstring
    fcntl = None  # type: ignore[assignment]


class FileChanged(Exception):
    """The file changed (another writer) between the read and the replace; nothing was written."""


class _Interrupted(BaseException):
    pass


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """SIGTERM and SIGHUP raise inside the block (so ``finally`` runs), as Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def handler(number, frame):
        caught.append(number)
        raise _Interrupted(number)

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            with contextlib.suppress(OSError, ValueError):
                if signal.getsignal(number) is signal.SIG_DFL:  # not one the program handles or ignores
                    previous[number] = signal.signal(number, handler)
    try:
        yield
    finally:
        for number, old in previous.items():
            with contextlib.suppress(OSError, ValueError):
                signal.signal(number, old)
        if caught:  # die of the signal as the old handler would have
            os.kill(os.getpid(), caught[0])


def is_temporary(name: str) -> bool:
    """Whether a file name is one of the temporary files of :func:`write_atomic`."""
    return bool(TEMP_NAME.match(name))


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the existing file ``path`` (through a symbolic link) for the block.

    Cooperating writers (``peacekb new``, ``peacekb fmt``) take it before reading the file and keep
    it until the new text has replaced it, so none of them replaces a text another one has just
    written. Raises OSError when the file cannot be opened."""
    if fcntl is None:
        yield
        return
    while True:
        fd = os.open(path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except FileNotFoundError:
                same = False
            if same:
                try:
                    yield
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                return
            # replaced while we waited: lock the file that is there now
        finally:
            os.close(fd)


def _write_temporary(path: Path, data: bytes, mode: int, made: list[str]) -> str:
    """A finished temporary file beside ``path``; its name goes into ``made`` at once, so that the
    caller's ``finally`` removes it whatever interrupts the write."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}{TEMP_MARK}", dir=path.parent)
    made.append(temporary)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(temporary, mode)
    return temporary


def _remove(made: list[str]) -> None:
    for temporary in made:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def write_atomic(path: Path, text: str, *, expected: bytes | None = None) -> None:
    """Replace ``path`` with ``text`` (UTF-8, line endings and a BOM exactly as in ``text``).

    With ``expected``, the file must still hold those bytes just before the replace (re-read
    then), else :class:`FileChanged` is raised and nothing is written. OSError (a read-only or
    full disk, ...) leaves the old file whole and no temporary file behind."""
    path = Path(path)
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    made: list[str] = []
    with _signals_raise():
        try:
            temporary = _write_temporary(path, text.encode("utf-8"), mode, made)
            if expected is not None and path.read_bytes() != expected:
                raise FileChanged(f"{path} changed while it was being written; nothing written, try again")
            os.replace(temporary, path)
        finally:
            _remove(made)


def create_new(path: Path, text: str) -> None:
    """Write ``path``, which must not exist: FileExistsError if it does (or appears meanwhile)."""
    path = Path(path)
    made: list[str] = []
    with _signals_raise():
        try:
            temporary = _write_temporary(path, text.encode("utf-8"), 0o644, made)
            try:
                os.link(temporary, path)
            except FileExistsError:
                raise
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                    raise
                # no hard links here: exclusive creation, then the text
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                with os.fdopen(fd, "wb") as out:
                    out.write(Path(temporary).read_bytes())
        finally:
            _remove(made)


MAX_LOCKS = 256


def write_all(texts: dict[Path, str], expected: dict[Path, bytes], move: tuple[Path, Path] | None = None) -> None:
    """Replace several files together, or none of them (``peacekb rename``).

    Every file is locked (up to :data:`MAX_LOCKS` files), then every new text is written to a temporary file beside its file; only
    when all of them are written (and every file still holds the bytes in ``expected``) are they
    renamed into place, one after the other. With ``move`` = (old, new), the text for ``old`` goes
    to the new name ``new`` (which must not exist) and ``old`` is removed last. An OSError or
    :class:`FileChanged` before the renames leaves every file as it was and no temporary file."""
    paths = sorted(Path(p) for p in texts)
    made: list[str] = []
    with contextlib.ExitStack() as stack, _signals_raise():
        if len(paths) <= MAX_LOCKS:  # each lock holds a file open; beyond that, the bytes check alone
            for path in paths:
                stack.enter_context(locked(path))
        try:
            ready = []
            for path in paths:
                mode = path.stat().st_mode & 0o7777
                ready.append((path, _write_temporary(path, texts[path].encode("utf-8"), mode, made)))
            for path in paths:
                if path.read_bytes() != expected[path]:
                    raise FileChanged(f"{path} changed meanwhile; nothing written, try again")
            if move is not None and os.path.lexists(move[1]):
                raise FileExistsError(f"{move[1]} exists already")
            for path, temporary in ready:
                if move is not None and path == Path(move[0]):
                    os.link(temporary, move[1]) if hasattr(os, "link") else os.replace(temporary, move[1])
                else:
                    os.replace(temporary, path)
            if move is not None:
                os.unlink(move[0])
        finally:
            _remove(made)
