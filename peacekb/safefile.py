"""Reading files of a knowledge base that may come from an untrusted pull request.

Every data file is looked at with ``os.lstat`` before it is opened, and opened with
``O_NOFOLLOW | O_NONBLOCK``: a symbolic link is never followed (nothing of what it points
at is read, so nothing of it can appear in a message), only regular files are read (a FIFO,
socket or device is never opened in a way that could block), and at most the size limit
plus one byte is read, whatever the file claims to hold.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_FILE_BYTES_ENV = "PEACEKB_MAX_FILE_BYTES"
DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024


class Refused(Exception):
    """A file that is not read: ``code`` is the problem code, ``message`` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def max_file_bytes() -> int:
    """The size limit per file: $PEACEKB_MAX_FILE_BYTES, else 16 MiB."""
    value = os.environ.get(MAX_FILE_BYTES_ENV, "").strip()
    try:
        limit = int(value) if value else DEFAULT_MAX_FILE_BYTES
    except ValueError:
        limit = DEFAULT_MAX_FILE_BYTES
    return limit if limit > 0 else DEFAULT_MAX_FILE_BYTES


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def check_entry(path: Path | str, follow_links: bool = False) -> os.stat_result:
    """``lstat`` of ``path``; raises Refused for a symlink or a special file, OSError when absent."""
    info = os.stat(path) if follow_links else os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise Refused("symlink", "this is a symbolic link: peacekb does not follow links in a knowledge base, so it was not read; replace it with the file itself")
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(21, "Is a directory", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise Refused("not-a-regular-file", f"this is {_kind(info.st_mode)}, not a regular file, so it was not read")
    return info


def _too_large(limit: int) -> Refused:
    return Refused("file-too-large", f"the file is larger than {limit:,} bytes (the limit set by ${MAX_FILE_BYTES_ENV}), so it was not read")


def read_bytes(path: Path | str, limit: int | None = None, follow_links: bool = False) -> bytes:
    """The bytes of a regular file, read without following a link and without blocking.

    Raises Refused (symlink, not-a-regular-file, file-too-large) or OSError. ``follow_links=True``
    (for a command run on files named by the user, such as `peacekb fmt FILE`) reads through a link."""
    limit = max_file_bytes() if limit is None else limit
    info = check_entry(path, follow_links)
    if info.st_size > limit:
        raise _too_large(limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if os.path.islink(path):  # swapped for a link since the lstat (ELOOP)
            raise Refused("symlink", "this is a symbolic link: peacekb does not follow links in a knowledge base, so it was not read") from exc
        raise
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            raise Refused("not-a-regular-file", "the file changed while it was being opened, so it was not read")
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise _too_large(limit)
    return data


def is_symlink(path: Path | str) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False
