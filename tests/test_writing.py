"""Writing files: atomic replace, locks, no temporary file left behind, leftovers reported."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import where
from peacekb.cli import app
from peacekb.loader import load
from peacekb.writing import FileChanged, create_new, is_temporary, locked, write_atomic

runner = CliRunner()
REPO = Path(__file__).parent.parent


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_bytes_are_written_exactly_crlf_and_bom_included(tmp_path):
    path = tmp_path / "x.yaml"
    write_atomic(path, "\ufeffa: 1\r\nb: 2\n")
    assert path.read_bytes() == b"\xef\xbb\xbfa: 1\r\nb: 2\n"
    assert hidden(tmp_path) == []


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT])
@pytest.mark.parametrize("where_", ["os.replace", "os.fsync"])
def test_a_failed_write_leaves_the_file_whole_and_no_temporary_file(tmp_path, monkeypatch, code, where_):
    path = tmp_path / "x.yaml"
    path.write_text("old\n", encoding="utf-8")

    def fail(*args):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, where_.split(".")[1], fail)
    with pytest.raises(OSError) as raised:
        write_atomic(path, "new\n")
    assert raised.value.errno == code
    assert path.read_text(encoding="utf-8") == "old\n" and hidden(tmp_path) == []


def test_a_file_changed_since_it_was_read_is_not_replaced(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("edited\n", encoding="utf-8")
    with pytest.raises(FileChanged):
        write_atomic(path, "new\n", expected=b"old\n")
    assert path.read_text(encoding="utf-8") == "edited\n" and hidden(tmp_path) == []


def test_create_new_never_replaces_a_file(tmp_path):
    path = tmp_path / "x.yaml"
    create_new(path, "first\n")
    with pytest.raises(FileExistsError):
        create_new(path, "second\n")
    assert path.read_text(encoding="utf-8") == "first\n" and hidden(tmp_path) == []


def test_the_lock_follows_the_file_through_a_replace(tmp_path):
    """A writer waiting on the old inode takes the lock again on the file that replaced it."""
    path = tmp_path / "x.yaml"
    path.write_text("0\n", encoding="utf-8")
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from peacekb.writing import locked, write_atomic
        path = Path(sys.argv[1])
        for _ in range(20):
            with locked(path):
                raw = path.read_bytes()
                write_atomic(path, str(int(raw) + 1) + "\\n", expected=raw)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [subprocess.Popen([sys.executable, "-c", script, str(path)], env=env) for _ in range(5)]
    assert [r.wait(timeout=120) for r in runs] == [0] * 5
    assert path.read_text(encoding="utf-8") == "100\n" and hidden(tmp_path) == []


def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("old\n", encoding="utf-8")
    script = textwrap.dedent(
        """
        import os, signal, sys, time
        from pathlib import Path
        from peacekb import writing
        real = writing._write_temporary
        def slow(*args):
            name = real(*args)
            print("written", flush=True)
            time.sleep(60)
            return name
        writing._write_temporary = slow
        writing.write_atomic(Path(sys.argv[1]), "new\\n")
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", script, str(path)], env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "written\n"
    assert [n for n in hidden(tmp_path) if is_temporary(n)]  # the temporary file is there now
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == -signal.SIGTERM  # it still dies of the signal
    assert path.read_text(encoding="utf-8") == "old\n" and hidden(tmp_path) == []


@pytest.mark.parametrize("name", [".geneva.yaml.peacekb-tmp-a1b2c3d4", ".geneva.yaml.k3j_x9z0.tmp"])
def test_validate_reports_a_temporary_file_left_by_a_killed_write(make_kb, name):
    root = make_kb({f"rounds/{name}": "id: half"})
    problems = load(root).problems
    assert [where(p, root) for p in problems] == [("stray-file", f"rounds/{name}", 1, 1)]
    assert "leftover temporary file from an interrupted write" in problems[0].message
    assert "safe to delete" in problems[0].message
    result = runner.invoke(app, ["validate", "--data", str(root)])
    assert result.exit_code == 0 and "stray-file" in result.output  # a warning


def test_other_hidden_files_are_still_ignored(make_kb):
    root = make_kb({"actors/.editorconfig": "x", "actors/.x.yaml.swp": "x"})
    assert load(root).problems == []


def test_the_temporary_name_is_the_one_validate_knows(tmp_path, monkeypatch):
    seen = []
    real = os.replace

    def spy(src, dst):
        seen.append(Path(src).name)
        real(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    write_atomic(tmp_path / "x.yaml", "a\n")
    [name] = seen
    assert name.startswith(".x.yaml.peacekb-tmp-") and is_temporary(name)


def test_locked_on_a_missing_file_is_an_oserror(tmp_path):
    with pytest.raises(FileNotFoundError):
        with locked(tmp_path / "missing.yaml"):
            pass
