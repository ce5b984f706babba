"""Output from untrusted data: a knowledge base in a pull request may hold any string.

On tests/fixtures/positions copied with hostile strings in names, titles, summaries, quotes, notes
and a file name with a newline: text output (with colour, without, under NO_COLOR) shows control,
bidi and zero-width characters escaped; markdown renders no html, comment, mention or emphasis from
data; csv guards formula cells; json keeps the data exact; validate warns (`control-character`) and
its text and GitHub reports cannot be forged by a file name.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

import pytest
from conftest import FIXTURES, SGR
from typer.testing import CliRunner

from peacekb.cli import app
from peacekb.cli.output import csv_cell, md_cell, md_code, md_escape, md_text, md_url
from peacekb.safe import UNSAFE_RE, safe

runner = CliRunner()

ESC_RED = "\x1b[31m"
NAME = "Alpha\x1b[31m\u202eRED\x9b2J"
DESCRIPTION = "<img src=x onerror=alert(1)> @octocat <!-- hidden --> **bold** [link](http://evil.example)"
SUMMARY = "=HYPERLINK(\"http://evil.example\") \x1b]8;;http://evil.example\x07click\x1b]8;;\x07 zero\u200bwidth \u2066iso\u2069 @octocat <img src=x>"
NOTE = "Note\x1b[2J\x1b[Hcleared\r\nforged line\u202e <!-- x --> @team"
QUOTE = "Guarantees\u202e first\x85 @octocat <b>"
FORGED = "evil\nalpha.yaml:1:1: error forged-code: forged.txt"


def _yaml(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, every non-ASCII or control character escaped."""
    return json.dumps(text, ensure_ascii=True)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile") / "kb"
    shutil.copytree(FIXTURES / "positions", root)

    def edit(name: str, old: str, new: str) -> None:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    edit("actors/alpha.yaml", "name: Alpha\n", f"name: {_yaml(NAME)}\n")
    edit("actors/alpha.yaml", "description: An invented state of the test suite.", f"description: {_yaml(DESCRIPTION)}")
    edit("rounds/abu-dhabi-2026-02.yaml", "summary: In an interview during the month, Álvarez ruled out giving up any land.", f"summary: {_yaml(SUMMARY)}")
    edit("rounds/abu-dhabi-2026-02.yaml", "text: Guarantees first, as we have always said.", f"text: {_yaml(QUOTE)}")
    edit("rounds/abu-dhabi-2026-02.yaml", "agenda: [sequencing, border-zone]\n", f"agenda: [sequencing, border-zone]\nnote: {_yaml(NOTE)}\n")
    edit("rounds/abu-dhabi-2026-02.yaml", "title: Abu Dhabi talks, February 2026", f"title: {_yaml('Abu Dhabi <script>x</script> @octocat')}")
    edit("sources/daily-rumour.yaml", "title: Alpha said to soften on land", f"title: {_yaml('-1+1 @octocat <!-- x')}")
    (root / "actors" / FORGED).write_text("stray\n", encoding="utf-8")
    return root


def invoke(root, *args: str, env: dict | None = None):
    result = runner.invoke(app, [*args, "--data", str(root)], env=env)
    return result


QUERIES = [
    ["positions", "territory"],
    ["positions", "sequencing"],
    ["round", "abu-dhabi-2026-02"],
    ["actor", "alpha"],
    ["actors"],
    ["rounds"],
    ["issue", "territory"],
    ["statements"],
    ["timeline", "alpha"],
    ["issues"],
    ["sources"],
    ["source", "daily-rumour"],
    ["source", "wire-abu-dhabi"],
    ["events"],
    ["event", "alpha-twelve-point-plan"],
    ["search", "guarantees"],
    ["search", "octocat"],
]


# an OSC 8 hyperlink around a web address (printable ASCII only), as rich writes it for a `link` style
OSC8 = re.compile(r"\x1b\]8;(?:id=\d+)?;[!-~]*?\x1b\\")


def assert_clean(output: str) -> None:
    """No control, bidi or zero-width character in ``output`` other than colour codes (SGR)."""
    found = UNSAFE_RE.findall(OSC8.sub("", SGR.sub("", output)))
    assert not found, [hex(ord(c)) for c in found]


@pytest.mark.parametrize("args", QUERIES, ids=lambda a: "-".join(a))
@pytest.mark.parametrize("mode", ["plain", "no-color", "always"])
def test_text_output_shows_unsafe_characters_escaped(hostile, args, mode):
    env = {"NO_COLOR": "1"} if mode == "no-color" else {}
    extra = ["--color", "always"] if mode == "always" else []
    result = invoke(hostile, *args, *extra, env=env)
    assert result.exit_code == 0, result.output
    assert_clean(result.output)
    if mode == "no-color":
        assert "\x1b" not in result.output


def test_text_output_names_each_escaped_character(hostile):
    out = invoke(hostile, "actor", "alpha", env={"NO_COLOR": "1"}).output
    assert "Alpha\\x1b[31m\\u202eRED\\x9b2J" in out
    card = invoke(hostile, "round", "abu-dhabi-2026-02").output
    assert "\\x1b[2J\\x1b[Hcleared" in card and "\\u202e" in card
    assert "\\u200b" in invoke(hostile, "statements").output


@pytest.mark.parametrize("args", QUERIES, ids=lambda a: "-".join(a))
def test_markdown_renders_nothing_from_data(hostile, args):
    result = invoke(hostile, *args, "-f", "markdown")
    assert result.exit_code == 0, result.output
    md = result.output
    assert_clean(md)
    assert not re.search(r"(?<!\\)\]\(http", md)  # no link: a `](` shown as text has its bracket escaped
    for raw in ("<img", "<!--", "@octocat", "@team", "<script", "<b>", "**bold**"):
        assert raw not in md, raw
    for line in md.splitlines():  # a table row stays one row of the table's width
        if line.startswith("|"):
            assert line.endswith("|")


def test_markdown_keeps_what_the_data_says(hostile):
    md = invoke(hostile, "actor", "alpha", "-f", "markdown").output
    assert "## Alpha\\\\x1b\\[31m\\\\u202eRED\\\\x9b2J (`alpha`)" in md  # shown as `Alpha\x1b[31m…`
    card = invoke(hostile, "round", "abu-dhabi-2026-02", "-f", "markdown").output
    assert "Abu Dhabi &lt;script&gt;x&lt;/script&gt; &#64;octocat (`abu-dhabi-2026-02`)" in card
    assert "`daily-rumour`: \\-1+1 &#64;octocat &lt;!-- x" in card or "`daily-rumour`: -1+1 &#64;octocat &lt;!-- x" in card
    note = card.splitlines()[card.splitlines().index("### Note") + 2]
    assert "forged line" in note and "cleared" in note  # the note's line break is a space: one paragraph


def test_csv_guards_formula_cells(hostile):
    out = invoke(hostile, "statements", "-f", "csv").output
    rows = list(csv.DictReader(io.StringIO(out)))
    summaries = [r["summary"] for r in rows]
    assert "'" + SUMMARY in summaries
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    positions = list(csv.DictReader(io.StringIO(invoke(hostile, "positions", "territory", "-f", "csv").output)))
    assert NAME in [r["holder_name"] for r in positions]  # csv keeps the data as it is, escapes only formulas


def test_json_keeps_the_data_exact(hostile):
    data = json.loads(invoke(hostile, "statements", "-f", "json").output)
    summaries = [s["summary"] for s in data]
    assert SUMMARY in summaries
    quotes = [q["text"] for s in data for q in s.get("quotes") or []]
    assert QUOTE in quotes
    card = json.loads(invoke(hostile, "actor", "alpha", "-f", "json").output)
    assert card["name"] == NAME and card["description"] == DESCRIPTION


def test_validate_warns_of_control_characters(hostile):
    result = invoke(hostile, "validate", "--format", "json")
    report = json.loads(result.stdout)
    found = [(p["file"], p["code"]) for p in report["problems"] if p["code"] == "control-character"]
    files = {f for f, _ in found}
    assert any(f.replace("\\", "/").endswith("actors/alpha.yaml") for f in files)
    assert any(f.endswith("abu-dhabi-2026-02.yaml") for f in files)
    assert all(p["severity"] == "warning" for p in report["problems"] if p["code"] == "control-character")
    assert all(p["line"] > 0 for p in report["problems"] if p["code"] == "control-character")


def _problem_count(root) -> int:
    return len(json.loads(invoke(root, "validate", "--format", "json").stdout)["problems"])


def test_validate_text_lines_cannot_be_forged(hostile):
    result = invoke(hostile, "validate", "--format", "text", env={"NO_COLOR": "1"})
    lines = [line for line in result.stdout.splitlines() if line]
    assert len(lines) == _problem_count(hostile)
    pattern = re.compile(r"^\S.*:\d+:\d+: (error|warning) [a-z-]+: ")
    assert all(pattern.match(line) for line in lines), lines
    assert all("stray-file" in line for line in lines if "forged-code" in line)  # the forged text stays in its own line
    assert any("evil\\nalpha.yaml" in line and "stray-file" in line for line in lines)
    assert_clean(result.stdout)


def test_validate_github_annotations_cannot_be_forged(hostile):
    result = invoke(hostile, "validate", "--format", "github")
    lines = result.stdout.splitlines()
    assert all(line.startswith("::") for line in lines), lines
    assert any("evil%0Aalpha.yaml" in line for line in lines)
    assert_clean(result.stdout)


def test_safe():
    assert safe("a\x1b[31mb") == "a\\x1b[31mb"
    assert safe("x\u202ey\u2066z\u200b\ufeff\x9b\x7f") == "x\\u202ey\\u2066z\\u200b\\ufeff\\x9b\\x7f"
    assert safe("two\nlines\tand tab") == "two\nlines\tand tab"
    assert safe("two\nlines\tand tab", line=True) == "two\\nlines\\tand tab"
    assert safe("Zelensky – “quoted” Ålvarez, Києв") == "Zelensky – “quoted” Ålvarez, Києв"


def test_markdown_escaping():
    assert md_escape("<img src=x>") == "&lt;img src=x&gt;"
    assert md_escape("<!-- x -->") == "&lt;!-- x --&gt;"
    assert md_escape("@octocat & #12") == "&#64;octocat &amp; &#35;12"
    assert md_escape("*a* _b_ `c` [d](e) ~f~ g|h") == r"\*a\* \_b\_ \`c\` \[d\](e) \~f\~ g\|h"
    assert md_escape("one\r\ntwo\rthree\u2028four") == "one two three four"
    assert md_cell(["a|b", "<c>"]) == r"a\|b, &lt;c&gt;"
    assert md_text("- item") == r"\- item" and md_text("1. x") == r"1\. x"
    assert md_code("a-b") == "`a-b`" and md_code("a`b") == "``a`b``" and md_code("a|b") == r"`a\|b`"
    assert md_url("https://example.org/a?b=1") == "<https://example.org/a?b=1>"
    assert md_url("javascript:alert(1)") == "javascript:alert(1)"
    assert md_url("https://x.org/> <img src=x>") == "https://x.org/&gt; &lt;img src=x&gt;"


def test_csv_cell():
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert csv_cell(value) == "'" + value
    assert csv_cell(-1) == -1 and csv_cell(3) == 3
    assert csv_cell(["=a", "b"]) == "'=a; b"
    assert csv_cell("a=b") == "a=b" and csv_cell(None) == ""


@pytest.mark.parametrize("args", [["positions", "territory"], ["actor", "alpha"], ["actors"], ["issue", "territory"], ["round", "abu-dhabi-2026-02"], ["statements"], ["timeline", "alpha"]], ids="-".join)
def test_escaped_text_still_fits_the_width(hostile, args):
    """Views escape data before tables measure it: no line is wider than the console (120 piped)."""
    out = invoke(hostile, *args, env={"NO_COLOR": "1"}).output
    assert "\\x1b" in out
    assert max(map(len, out.splitlines())) <= 120


def test_job_summary_renders_nothing_from_data(hostile, tmp_path):
    summary = tmp_path / "summary.md"
    invoke(hostile, "validate", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    md = summary.read_text(encoding="utf-8")
    assert "control-character" in md and "stray-file" in md
    assert_clean(md)
    rows = [line for line in md.splitlines() if line.startswith("|")]
    assert len(rows) == _problem_count(hostile) + 2  # header, rule, one row per problem: no forged row
    assert all(line.endswith("|") for line in rows)


def test_usage_errors_quote_names_escaped(hostile):
    result = invoke(hostile, "actor", "Alph")
    assert_clean(result.stderr)
