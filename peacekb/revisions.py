"""The knowledge base as it stands at a git revision.

Revisions are read through the git command itself (a subprocess): every data repository has
git, and the few plumbing commands needed here (rev-parse, merge-base, ls-tree, cat-file) do not
justify a library dependency. The files of the data folder at a revision are listed with
`git ls-tree` and read as raw blobs with `git cat-file --batch`, so nothing in the revision can
change what is read or run anything: `.gitattributes` (export-ignore, export-subst, filter,
textconv, eol) is never applied, and no filter driver runs. The files are written into a temporary
folder and loaded with the ordinary loader, so a revision is checked exactly as the working tree is.
A symbolic link is never written (it is reported as a `symlink` problem), nor a file larger than
:data:`MAX_BLOB` (reported as unreadable); submodules are left out.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path, PurePosixPath

from peacekb.loader import LoadResult, load
from peacekb.problems import Problem

MAX_BLOB = 16 * 1024 * 1024  # bytes: no record file comes near this


class RevisionError(Exception):
    """Not a git repository, an unknown revision, or no data folder at that revision."""


def _git(cwd: Path, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=False, input=input)
    except FileNotFoundError:
        raise RevisionError("git is not installed: --rev reads revisions through git") from None


def repo_root(path: Path) -> Path:
    done = _git(path if path.is_dir() else path.parent, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise RevisionError(f"{path} is not inside a git repository: --rev compares git revisions")
    return Path(done.stdout.decode().strip())


def resolve(root: Path, rev: str) -> str:
    """The commit id that ``rev`` names, or a RevisionError saying it does not exist."""
    if rev.startswith("-"):
        raise RevisionError(f"`{rev}` is not a revision")
    done = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if done.returncode != 0:
        raise RevisionError(f"no revision `{rev}` in {root}" + (_SHALLOW if shallow(root) else " (try a branch, a tag or a commit id)"))
    return done.stdout.decode().strip()


_SHALLOW = (
    ": this is a shallow clone, which has only the latest commits, so other revisions are missing; "
    "fetch the whole history (`fetch-depth: 0` under `actions/checkout` in a GitHub workflow, "
    "or `git fetch --unshallow`)"
)


def shallow(root: Path) -> bool:
    """Whether the repository at ``root`` is a shallow clone (its history cut off)."""
    done = _git(root, "rev-parse", "--is-shallow-repository")
    return done.returncode == 0 and done.stdout.decode().strip() == "true"


def revision_range(data_dir: Path, spec: str) -> tuple[str, str | None, str]:
    """(base revision, head revision or None for the working tree, base label) of ``spec``:
    `BASE..HEAD`, `BASE...HEAD` (the base is the merge base of the two, as `git diff A...B` reads
    it) or `BASE` alone (against the working tree). A ValueError when it is none of these."""
    if "..." in spec:
        first, _, head = spec.partition("...")
        if not first or not head or ".." in head:
            raise ValueError(f"--rev {spec}: write BASE...HEAD, BASE..HEAD, or BASE to compare with the working tree")
        root = repo_root(data_dir)
        one, two = resolve(root, first), resolve(root, head)
        done = _git(root, "merge-base", one, two)
        if done.returncode != 0:
            if shallow(root):
                raise RevisionError(f"no common ancestor of `{first}` and `{head}` found" + _SHALLOW)
            raise RevisionError(f"`{first}` and `{head}` have no common ancestor: --rev {spec} compares HEAD with where it branched off")
        return done.stdout.decode().strip(), head, f"merge base of {first} and {head}"
    base, dots, head = spec.partition("..")
    if not base or (dots and (not head or ".." in head)):
        raise ValueError(f"--rev {spec}: write BASE..HEAD, or BASE to compare with the working tree")
    return base, head or None, base


def _tree(root: Path, commit: str, relative: str) -> list[tuple[str, str, str, str, str]]:
    """(mode, type, object id, size, path) of every entry under ``relative`` at ``commit``."""
    done = _git(root, "ls-tree", "-r", "-z", "-l", "--full-tree", commit, *([] if relative == "." else ["--", relative]))
    if done.returncode != 0:
        return []
    found = []
    for item in done.stdout.split(b"\0"):
        if not item:
            continue
        meta, _, path = item.partition(b"\t")
        mode, kind, oid, size = meta.decode().split()
        found.append((mode, kind, oid, size, path.decode("utf-8", "surrogateescape")))
    return found


def _blobs(root: Path, oids: list[str]) -> dict[str, bytes]:
    """The raw content of each blob (as stored: no attributes, no filters)."""
    if not oids:
        return {}
    done = _git(root, "cat-file", "--batch", input="".join(f"{oid}\n" for oid in oids).encode())
    if done.returncode != 0:
        raise RevisionError(f"git cat-file failed: {done.stderr.decode(errors='replace').strip()}")
    out, at, found = done.stdout, 0, {}
    for oid in oids:
        end = out.index(b"\n", at)
        header = out[at:end].decode().split()
        if len(header) != 3 or header[1] != "blob":
            raise RevisionError(f"git cat-file: cannot read object {oid}")
        size = int(header[2])
        found[header[0]] = out[end + 1 : end + 1 + size]
        at = end + 1 + size + 1
    return found


def _problem(data_dir: Path, path: str, code: str, message: str) -> Problem:
    return Problem(file=str(data_dir / path), line=1, column=1, code=code, message=message)


def load_at(data_dir: Path, rev: str) -> LoadResult:
    """Load the knowledge base in ``data_dir`` as it was at revision ``rev``."""
    root = repo_root(data_dir)
    commit = resolve(root, rev)
    relative = data_dir.resolve().relative_to(root.resolve()).as_posix()
    entries = _tree(root, commit, relative)
    if not entries:
        raise RevisionError(f"the data folder `{relative}` does not exist at revision `{rev}`")
    problems: list[Problem] = []
    wanted: list[tuple[str, str]] = []  # (object id, path inside the data folder)
    for mode, kind, oid, size, path in entries:
        inside = PurePosixPath(path).relative_to(relative).as_posix() if relative != "." else path
        parts = PurePosixPath(inside).parts
        if kind != "blob" or not parts or any(p in ("", ".", "..", ".git") or "\\" in p for p in parts):
            continue  # a submodule, or a path no checkout would write
        if mode == "120000":
            problems.append(_problem(data_dir, inside, "symlink", f"`{inside}` is a symbolic link at revision `{rev}`: peacekb never follows links; replace it with the file itself"))
        elif not size.isdigit() or int(size) > MAX_BLOB:
            problems.append(_problem(data_dir, inside, "unreadable-file", f"`{inside}` is larger than {MAX_BLOB // (1024 * 1024)} MB at revision `{rev}`; not read"))
        else:
            wanted.append((oid, inside))
    blobs = _blobs(root, sorted({oid for oid, _ in wanted}))
    with tempfile.TemporaryDirectory(prefix="peacekb-rev-") as tmp:
        folder = Path(tmp) / "data"
        folder.mkdir()
        for oid, inside in wanted:
            target = folder.joinpath(*PurePosixPath(inside).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as out:  # never through a link: none are written
                out.write(blobs[oid])
        result = load(folder)
        # records remember where they came from; make those paths relative to the data folder
        result.kb.root = data_dir
    prefix = str(folder) + os.sep
    moved = [replace(p, file=str(data_dir / p.file[len(prefix):])) if p.file.startswith(prefix) else p for p in result.problems]
    result.problems = sorted(moved + problems)
    return result


def summary(result: LoadResult, label: str, folder: Path | None = None, limit: int = 5) -> str:
    """One line on the errors of the knowledge base at ``label``, naming the first few."""
    errors = [p for p in result.problems if p.severity == "error"]
    named = []
    for p in errors[:limit]:
        name = p.file
        base = folder or (result.kb.root if result.kb is not None else None)
        if base is not None and name.startswith(str(base) + os.sep):
            name = name[len(str(base)) + 1 :]
        named.append(f"{p.code} in {name}")
    more = f", and {len(errors) - limit} more" if len(errors) > limit else ""
    return f"the knowledge base at {label} has {len(errors)} error(s) ({'; '.join(named)}{more}); run `peacekb validate` there"
