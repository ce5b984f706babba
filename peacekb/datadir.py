"""Finding the knowledge base: --data, else $PEACEKB_DATA, else the nearest `data` folder upwards."""

from __future__ import annotations

import os
from pathlib import Path

FOLDERS = ("actors", "issues", "rounds")  # a knowledge base has at least these
KIND_FOLDERS = ("actors", "issues", "rounds", "sources", "events")  # every folder of records


class DataDirError(Exception):
    """No knowledge base where one was asked for or looked for; the message says how to point at one."""


def is_knowledge_base(path: Path) -> bool:
    return path.is_dir() and all((path / name).is_dir() for name in FOLDERS)


def find_data_dir(explicit: str | os.PathLike | None = None, cwd: Path | None = None) -> Path:
    """The knowledge base folder to use, as a path relative to ``cwd`` where it lies below it."""
    cwd = cwd or Path.cwd()
    given = explicit if explicit is not None else os.environ.get("PEACEKB_DATA") or None
    if given is not None:
        origin = "--data" if explicit is not None else "PEACEKB_DATA"
        path = Path(given)
        if not path.exists():
            raise DataDirError(f"{origin} {given}: no such folder")
        if not is_knowledge_base(path):
            missing = ", ".join(f"{n}/" for n in FOLDERS if not (path / n).is_dir())
            raise DataDirError(f"{origin} {given}: not a knowledge base (it lacks {missing})")
        return path
    for folder in (cwd, *cwd.parents):
        candidate = folder if folder.name == "data" else folder / "data"
        if is_knowledge_base(candidate):
            return Path(os.path.relpath(candidate, cwd))
    raise DataDirError(
        "no knowledge base found here: pass --data DIR or set PEACEKB_DATA to a folder "
        "holding actors/, issues/ and rounds/"
    )
