"""Whatever bytes a pull request puts in a data file, `peacekb validate` reports problems as values:
exit 0 or 1 and a well-formed report, never a traceback or an internal error (exit 3)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import BASE, write_kb
from peacekb.cli import app

runner = CliRunner()

# pieces of YAML, so that the bytes reach the parser's and the models' corners, not only not-utf8
_PIECES = ["id: ", "name: ", "kind: ", "state", "person", "roles:", "- ", "? ", ": ", "[", "]", "{", "}", ",", "\n", "  ", "\t",
           "&a ", "*a", "!!python/object ", "!x ", "---\n", "...\n", "'", '"', "#", "|", ">", "~", "null", "2026-02-17",
           "\ufeff", "\u2028", "\x00", "\x85", "\udc80", "é", "1e999", "0x", "ukraine", "territory", "statements:"]
_YAMLISH = st.lists(st.sampled_from(_PIECES) | st.text(max_size=5), max_size=60).map(
    lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
)
CONTENT = st.binary(max_size=3000) | _YAMLISH


@pytest.mark.slow
@settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(content=CONTENT, where=st.sampled_from(["actors/x.yaml", "rounds/x.yaml", "sources/x.yaml", "sources/x.txt"]))
def test_arbitrary_bytes_never_crash_validate(content, where):
    with tempfile.TemporaryDirectory() as folder:
        files = {**BASE, where: content}
        if where == "sources/x.txt":
            files["sources/x.yaml"] = "id: x\ntitle: X\narchive: x.txt\n"
        root = write_kb(Path(folder) / "kb", files)
        result = runner.invoke(app, ["validate", "--data", str(root), "--no-cache", "--format", "json"])
        assert result.exit_code in (0, 1), (result.exit_code, result.output, result.exception)
        assert "Traceback" not in result.output
        report = json.loads(result.stdout)
        assert all(p["code"] != "internal-error" for p in report["problems"]), report
