"""A knowledge base from an untrusted pull request: links, special files, huge and deeply nested
files are problems at the file, never a hang, a crash or a leak of what a link points at."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peacekb.cli import app
from peacekb.loader import load

runner = CliRunner()
REPO = Path(__file__).parent.parent
SECRET = "TOP-SECRET-7f3a9c-do-not-leak"

ROUND = """\
id: geneva
title: Geneva
start: 2026-02-17
statements:
  - id: s
    date: 2026-02-17
    speaker: vladimir-medinsky
    party: russia
    attribution: direct-quote
    issues: [territory]
    quotes:
      - text: {quote}
        source: article
    summary: A summary.
"""


def validate(root: Path, *args: str):
    return runner.invoke(app, ["validate", "--data", str(root), "--no-cache", *args])


def validate_process(root: Path, *args: str, timeout: float = 60, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real command in a process of its own, killed if it does not end: a hang fails the test."""
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "peacekb", "validate", "--data", str(root), "--no-cache", "--format", "json", *args],
        capture_output=True, text=True, timeout=timeout, env=environment,
    )


def codes_at(output: str, root: Path) -> set[tuple[str, str]]:
    return {(p["code"], Path(p["file"]).resolve().relative_to(root.resolve()).as_posix()) for p in json.loads(output)["problems"]}


def problems_of(root: Path) -> set[tuple[str, str, int, int]]:
    return {(p.code, Path(p.file).relative_to(root).as_posix(), p.line, p.column) for p in load(root).problems}


# --- links ---------------------------------------------------------------------------------------


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text(f"{SECRET}: {SECRET}\nid: {SECRET}\n", encoding="utf-8")
    return path


def test_a_linked_record_and_a_linked_archive_are_reported_and_never_read(make_kb, secret):
    root = make_kb({
        "sources/article.yaml": "id: article\ntitle: An article\narchive: article.txt\n",
        "rounds/geneva.yaml": ROUND.format(quote="not in any text"),
    })
    (root / "actors" / "evil.yaml").symlink_to(secret)
    (root / "sources" / "article.txt").symlink_to(secret)
    (root / "sources" / "stray.txt").symlink_to(secret)
    found = problems_of(root)
    assert ("symlink", "actors/evil.yaml", 1, 1) in found
    assert ("symlink", "sources/article.txt", 1, 1) in found
    assert ("symlink", "sources/stray.txt", 1, 1) in found
    # the quote is not checked against a linked archive
    assert not any(code == "quote-not-in-source" for code, *_ in found)
    for fmt in ("text", "json", "github"):
        result = validate(root, "--format", fmt)
        assert result.exit_code == 1, result.output
        assert SECRET not in result.output
        assert "secret.txt" not in result.output and "outside" not in result.output
        assert "Traceback" not in result.output


def test_a_linked_data_folder_is_reported_and_not_looked_into(make_kb, secret, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "leak.yaml").write_text(f"id: {SECRET}\n", encoding="utf-8")
    root = make_kb()
    (root / "events").symlink_to(elsewhere, target_is_directory=True)
    found = problems_of(root)
    assert ("symlink", "events", 1, 1) in found
    result = validate(root, "--format", "json")
    assert result.exit_code == 1
    assert SECRET not in result.output and "leak.yaml" not in result.output


# --- special files -------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_record_and_a_fifo_archive_do_not_hang(make_kb):
    root = make_kb({
        "sources/article.yaml": "id: article\ntitle: An article\narchive: article.txt\n",
        "rounds/geneva.yaml": ROUND.format(quote="anything"),
    })
    os.mkfifo(root / "actors" / "pipe.yaml")
    os.mkfifo(root / "sources" / "article.txt")
    started = time.monotonic()
    result = validate_process(root, timeout=30)
    assert time.monotonic() - started < 30
    assert result.returncode == 1, result.stderr
    assert {("not-a-regular-file", "actors/pipe.yaml"), ("not-a-regular-file", "sources/article.txt")} <= codes_at(result.stdout, root)
    assert "Traceback" not in result.stderr


# --- size ----------------------------------------------------------------------------------------


def test_a_sparse_2gb_file_is_too_large_and_costs_nothing(make_kb):
    root = make_kb()
    with open(root / "actors" / "huge.yaml", "wb") as handle:
        handle.truncate(2 * 1024**3)
    started = time.monotonic()
    found = problems_of(root)
    assert time.monotonic() - started < 5
    assert ("file-too-large", "actors/huge.yaml", 1, 1) in found


@pytest.mark.slow
def test_a_30mb_scalar_is_caught_by_the_size_limit(make_kb):
    root = make_kb({"actors/big.yaml": "id: big\nname: " + "x" * (30 * 1024 * 1024) + "\nkind: person\n"})
    started = time.monotonic()
    assert ("file-too-large", "actors/big.yaml", 1, 1) in problems_of(root)
    assert time.monotonic() - started < 5


def test_the_size_limit_is_set_by_an_environment_variable(make_kb, monkeypatch):
    root = make_kb({"sources/article.yaml": "id: article\ntitle: An article\narchive: article.txt\n", "sources/article.txt": "x" * 5000})
    monkeypatch.setenv("PEACEKB_MAX_FILE_BYTES", "1000")
    found = problems_of(root)
    assert ("file-too-large", "sources/article.txt", 1, 1) in found
    monkeypatch.setenv("PEACEKB_MAX_FILE_BYTES", "10000")
    assert not any(code == "file-too-large" for code, *_ in problems_of(root))


# --- shape ---------------------------------------------------------------------------------------

DEEP = {
    "flow": "id: deep\nname: " + "[" * 20000 + "]" * 20000 + "\n",
    "unclosed-flow": "id: deep\nname: " + "[" * 20000 + "\n",
    "flow-mappings": "id: deep\nname: " + "{a: " * 20000 + "}" * 20000 + "\n",
    "compact-lists": "id: deep\nname:\n  " + "- " * 20000 + "x\n",
    "indented": "id: deep\n" + "".join(" " * i + "a:\n" for i in range(1, 2000)),
    "mildly-deep": "id: deep\nname:\n" + "".join(" " * i + "- \n" for i in range(2, 400, 2)) + "\n",
}


@pytest.mark.parametrize("case", DEEP)
def test_deep_nesting_is_reported_quickly(make_kb, case):
    root = make_kb({"actors/deep.yaml": DEEP[case]})
    started = time.monotonic()
    found = problems_of(root)
    elapsed = time.monotonic() - started
    assert elapsed < 2, f"{case}: {elapsed:.2f} s"
    assert "yaml-too-deep" in {code for code, file, *_ in found if file == "actors/deep.yaml"}, found


@pytest.mark.slow
@pytest.mark.parametrize("broken", [False, True])
def test_a_mapping_of_200000_keys_is_reported_quickly(make_kb, broken):
    text = "id: many\n" + "".join(f"k{i}: {i}\n" for i in range(200_000)) + ("bad: [\n" if broken else "")
    root = make_kb({"actors/many.yaml": text})
    started = time.monotonic()
    found = problems_of(root)
    elapsed = time.monotonic() - started
    assert elapsed < 5, f"{elapsed:.2f} s"
    expected = "yaml-syntax" if broken else "yaml-too-large"
    assert expected in {code for code, file, *_ in found if file == "actors/many.yaml"}, found


@pytest.mark.slow
def test_many_problems_in_one_large_mapping_are_located_in_linear_time(make_kb):
    # 50,000 unknown fields: each is located by a lookup, not a scan of the mapping
    text = "id: many\nname: Many\nkind: person\n" + "".join(f"k{i}: {i}\n" for i in range(50_000))
    root = make_kb({"actors/many.yaml": text})
    started = time.monotonic()
    found = [p for p in load(root).problems if p.code == "unknown-field"]
    elapsed = time.monotonic() - started
    assert len(found) == 50_000
    assert found[-1].line == 50_003 or max(p.line for p in found) == 50_003
    assert elapsed < 30, f"{elapsed:.2f} s"


def test_the_cli_reports_hostile_files_with_exit_1(make_kb):
    root = make_kb({"actors/deep.yaml": DEEP["compact-lists"], "issues/many.yaml": "id: many\n" + "".join(f"k{i}: 1\n" for i in range(100_001))})
    with open(root / "rounds" / "huge.yaml", "wb") as handle:
        handle.truncate(2 * 1024**3)
    result = validate_process(root)
    assert result.returncode == 1, result.stderr
    assert {("yaml-too-deep", "actors/deep.yaml"), ("yaml-too-large", "issues/many.yaml"), ("file-too-large", "rounds/huge.yaml")} <= codes_at(result.stdout, root)


@pytest.mark.slow
def test_a_problem_in_a_file_too_large_to_locate_is_reported_at_its_start_quickly(make_kb):
    roles = "".join(f"  - title: Role {i}\n    party: ukraine\n    start: 2020-01-01\n" for i in range(80_000))
    text = "id: big\nname: Big\nkind: person\nroles:\n" + roles + "  - title: Bad\n    party: nowhere\n"
    assert len(text) > 4 * 1024 * 1024
    root = make_kb({"actors/big.yaml": text})
    started = time.monotonic()
    [found] = [p for p in load(root).problems if p.file.endswith("big.yaml")]
    elapsed = time.monotonic() - started
    assert (found.code, found.line, found.column) == ("unknown-actor", 1, 1)
    assert "(at `roles[80000].party`)" in found.message
    assert elapsed < 10, f"{elapsed:.2f} s"
