"""`peacekb fmt`: one canonical layout, the same data, every comment kept, nothing half-written."""

from __future__ import annotations

import json
import os
import stat
import textwrap
from pathlib import Path

import pytest
import yaml_rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner

from conftest import FIXTURES, VALID
from peacekb import fmt
from peacekb.cli import app
from peacekb.fmt import FormatError, format_text, key_order
from peacekb.models import KINDS, Round
from peacekb.yamlfile import parse_text

runner = CliRunner()
DATA = Path(__file__).parent.parent / "data"




def lay_out(text: str, kind: str) -> str:
    return format_text(textwrap.dedent(text).lstrip("\n"), kind)


def expect(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def load(text: str):
    return yaml_rs.loads(text, parse_datetime=False)


# --- the layout ---------------------------------------------------------------------------------------


def test_keys_follow_the_model_and_comments_travel_with_their_key():
    out = lay_out(
        """
        # Ukraine's president.

        name: Volodymyr Zelensky   # as most sources spell it
        kind: person
        # the id is the file name
        id: volodymyr-zelensky
        roles:
            # oldest first
            -   title: President
                sources: [a,b]
                party: ukraine   # for whom
                start: 2019-05-20
        """,
        "actors",
    )
    assert out == expect(
        """
        # Ukraine's president.

        # the id is the file name
        id: volodymyr-zelensky
        name: Volodymyr Zelensky   # as most sources spell it
        kind: person
        roles:
          # oldest first
          - title: President
            party: ukraine   # for whom
            start: 2019-05-20
            sources: [a, b]
        """
    )


def test_nested_records_are_ordered_and_statements_come_last():
    out = lay_out(
        """
        note: About the round.
        title: Geneva
        statements:
        - summary: >-
            He said so,
            in two lines.
          quotes:
          - source: article
            text: "First, security guarantees."
          id: s1
          issues: [sequencing]
          date: 2026-02
          party: ukraine
          attribution: direct-quote

        - id: s2
          retracted: {sources: [b], reason: wrong day}
          date: "2026-02-18"
          party: russia
          attribution: reported
          issues: [process]
          summary: x
        id: geneva
        start: 2026-02-17
        delegations:
        - members: [x]
          party: ukraine
          head: rustem-umerov
        disputes:
        - versions:
          - sources: [a]
            says: six hours
            value: 6
          - says: four
            sources: [b]
          summary: How long.
          id: length
        """,
        "rounds",
    )
    assert out == expect(
        """
        id: geneva
        title: Geneva
        start: 2026-02-17
        delegations:
          - party: ukraine
            head: rustem-umerov
            members: [x]
        disputes:
          - id: length
            summary: How long.
            versions:
              - says: six hours
                value: 6
                sources: [a]
              - says: four
                sources: [b]
        note: About the round.
        statements:
          - id: s1
            date: 2026-02
            party: ukraine
            attribution: direct-quote
            issues: [sequencing]
            quotes:
              - text: "First, security guarantees."
                source: article
            summary: >-
              He said so,
              in two lines.

          - id: s2
            date: "2026-02-18"
            party: russia
            attribution: reported
            issues: [process]
            summary: x
            retracted: {reason: wrong day, sources: [b]}
        """
    )


def test_the_canonical_key_order_is_the_models_with_statements_last():
    order = key_order(Round)
    assert order[-2:] == ["note", "statements"]
    assert [f for f in order if f != "statements"] == [f for f in Round.model_fields if f != "statements"]


def test_unknown_keys_stay_after_the_known_ones_untouched():
    out = lay_out(
        """
        x-extra:
            b: 1
            a: [2,   3]
        note: last
        id: a
        title: T
        """,
        "sources",
    )
    # unknown keys keep their order and their values' order; only the indentation is normalised
    assert out == expect(
        """
        id: a
        title: T
        note: last
        x-extra:
          b: 1
          a: [2, 3]
        """
    )


def test_indentation_trailing_spaces_and_the_final_newline_are_normalised():
    out = format_text("id: a   \nname: A\nroles:\n- title: X  \n  party:   ukraine\n\n\n\nkind: state", "actors")
    # the blank lines before `kind` become one, and move with it
    assert out == "id: a\nname: A\n\nkind: state\nroles:\n  - title: X\n    party: ukraine\n"
    assert format_text("id: a\nname: A\nkind: state\n\n\n", "actors") == "id: a\nname: A\nkind: state\n"


def test_scalars_are_copied_as_written():
    text = expect(
        """
        id: a
        title: 'It''s "quoted": yes # not a comment'
        url: https://example.com/page#part
        published: 2026-02-18
        note: |
          Literal text,
            indented more, with a # that is text.
        """
    )
    assert format_text(text, "sources") == text


def test_a_comment_indented_deeper_closes_the_entry_above():
    text = expect(
        """
        id: a
        name: A
        kind: state
        roles:
          - title: T
            # party unknown
          - title: U
        """
    )
    assert format_text(text, "actors") == text


def test_flow_collections_with_comments_are_kept_as_written():
    out = lay_out(
        """
        id: a
        title: T
        compatible:
        - [a,b]
        - [ c , d ]
        stances: [ a,   # first
           b ]
        """,
        "issues",
    )
    assert out == expect(
        """
        id: a
        title: T
        stances: [ a,   # first
           b ]
        compatible:
          - [a, b]
          - [c, d]
        """
    )


def test_a_value_written_below_its_key_moves_up_and_its_comment_stays_with_it():
    out = lay_out(
        """
        id: a
        name:
          # as printed
          Some Name
        kind: state
        """,
        "actors",
    )
    assert out == "id: a\n# as printed\nname: Some Name\nkind: state\n"


def test_document_markers_and_leading_comments_stay_at_the_top():
    text = "# yaml-language-server: $schema=../../schemas/actor.schema.json\n---\nname: A\nid: a\nkind: state\n"
    assert format_text(text, "actors") == "# yaml-language-server: $schema=../../schemas/actor.schema.json\n---\nid: a\nname: A\nkind: state\n"


@pytest.mark.parametrize(
    "text, code, line, column",
    [
        ("id: a\nname: [unclosed\nkind: state\n", "yaml-syntax", 3, 5),
        ("id: a\nname: A\nname: B\n", "duplicate-key", 3, 1),
        ("id: &x a\nname: *x\n", "yaml-alias", 2, 7),
        ("id: a\n\tname: A\n", "tab-indent", 2, 1),
        ("- a\n- b\n", "not-a-mapping", 1, 1),
        ("# nothing\n", "empty-file", 1, 1),
        ("id: &x a\nname: A\n", "fmt-unsupported", 1, 5),
    ],
)
def test_files_that_cannot_be_laid_out_are_refused_with_a_position(text, code, line, column):
    with pytest.raises(FormatError) as found:
        format_text(text, "actors")
    assert (found.value.code, found.value.line, found.value.column) == (code, line, column)


def test_a_layout_that_would_change_the_data_is_refused(monkeypatch):
    monkeypatch.setattr(fmt._Layout, "render", lambda self: "id: a\nname: B\nkind: state\n")
    with pytest.raises(FormatError) as found:
        format_text("id: a\nkind: state\n\nname: A\n", "actors")
    assert found.value.code == "fmt-changes-meaning"
    assert "`name`" in found.value.message
    assert (found.value.line, found.value.column) == (4, 7)


def test_a_layout_that_would_lose_a_comment_is_refused(monkeypatch):
    monkeypatch.setattr(fmt._Layout, "render", lambda self: "id: a\nname: A\n")
    with pytest.raises(FormatError) as found:
        format_text("id: a\nname: A  # keep me\n", "actors")
    assert found.value.code == "fmt-changes-meaning"
    assert "# keep me" in found.value.message


# --- the bundled data and fixtures ----------------------------------------------------------------------


def record_files(*roots: Path) -> list[Path]:
    return [p for root in roots for p in sorted(root.glob("*/*.yaml")) if p.parent.name in KINDS]


@pytest.mark.slow
def test_every_bundled_file_keeps_its_data_and_formats_once_and_for_all():
    files = record_files(DATA, VALID, FIXTURES / "positions")
    assert len(files) > 200
    problems = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        once = format_text(text, path.parent.name)
        if not strictly_equal(load(once), load(text)):
            problems.append(f"{path}: data changed")
        if format_text(once, path.parent.name) != once:
            problems.append(f"{path}: a second run changes the layout")
        if sorted(_comments(once)) != sorted(_comments(text)):
            problems.append(f"{path}: comments changed")
    assert not problems, problems


def _comments(text: str) -> list[str]:
    return [line.split("#", 1)[1] for line in text.splitlines() if line.lstrip().startswith("#")]


# --- the command --------------------------------------------------------------------------------------


@pytest.fixture
def kb(make_kb):
    return make_kb(
        {
            "actors/messy.yaml": "name: Messy\nid: messy\nkind: state\n",
            "rounds/geneva.yaml": "id: geneva\ntitle: Geneva\nstart: 2026-02-17\ndelegations:\n    - party: ukraine\n",
        }
    )


def invoke(*args: str):
    return runner.invoke(app, ["fmt", *args])


def test_check_lists_the_files_to_reformat_and_writes_nothing(kb):
    before = {p: p.read_bytes() for p in kb.glob("*/*.yaml")}
    result = invoke("--check", "--data", str(kb))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [str(kb / "actors" / "messy.yaml"), str(kb / "rounds" / "geneva.yaml")]
    assert "2 of 7 files" in result.stderr and "would be reformatted" in result.stderr
    assert {p: p.read_bytes() for p in kb.glob("*/*.yaml")} == before


def test_fmt_writes_what_it_lists_and_check_then_passes(kb):
    result = invoke("--data", str(kb))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(kb / "actors" / "messy.yaml"), str(kb / "rounds" / "geneva.yaml")]
    assert "formatted 2 of 7 files" in result.stderr
    assert (kb / "actors" / "messy.yaml").read_text(encoding="utf-8") == "id: messy\nname: Messy\nkind: state\n"
    assert (kb / "rounds" / "geneva.yaml").read_text(encoding="utf-8").endswith("delegations:\n  - party: ukraine\n")
    again = invoke("--data", str(kb))
    assert (again.exit_code, again.stdout) == (0, "")
    assert "already formatted; nothing written" in again.stderr
    check = invoke("--check", "--data", str(kb))
    assert (check.exit_code, check.stdout) == (0, "")
    assert "all formatted" in check.stderr


def test_only_the_files_given_are_formatted(kb):
    messy, geneva = kb / "actors" / "messy.yaml", kb / "rounds" / "geneva.yaml"
    before = geneva.read_bytes()
    result = invoke(str(messy))
    assert (result.exit_code, result.stdout) == (0, f"{messy}\n")
    assert "formatted 1 of 1 file" in result.stderr
    assert geneva.read_bytes() == before


def test_a_refused_file_is_reported_at_its_position_left_whole_and_fails(kb):
    broken = kb / "actors" / "broken.yaml"
    broken.write_text("id: broken\nname: [unclosed\nkind: state\n", encoding="utf-8")
    result = invoke("--data", str(kb))
    assert result.exit_code == 1
    assert f"{broken}:3:5: error yaml-syntax: " in result.stderr
    assert "Traceback" not in result.output
    assert broken.read_text(encoding="utf-8") == "id: broken\nname: [unclosed\nkind: state\n"
    # the other files are still formatted
    assert str(kb / "actors" / "messy.yaml") in result.stdout.splitlines()
    check = invoke("--check", "--data", str(kb))
    assert check.exit_code == 1 and check.stdout == "" and f"{broken}:3:5:" in check.stderr


def test_a_bug_in_fmt_is_a_refusal_not_a_traceback(kb, monkeypatch):
    def boom(self):
        raise KeyError("oops")

    monkeypatch.setattr(fmt._Layout, "render", boom)
    result = invoke("--data", str(kb))
    assert result.exit_code == 1
    assert "error fmt-internal-error: peacekb fmt failed (KeyError" in result.stderr
    assert (kb / "actors" / "messy.yaml").read_text(encoding="utf-8") == "name: Messy\nid: messy\nkind: state\n"


def test_a_failed_write_leaves_the_original_whole(kb, monkeypatch):
    messy = kb / "actors" / "messy.yaml"
    before = messy.read_bytes()

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    result = invoke(str(messy))
    assert result.exit_code == 1
    assert "cannot write the file, left as it was: No space left on device" in result.stderr
    assert messy.read_bytes() == before
    assert sorted(p.name for p in messy.parent.iterdir()) == ["messy.yaml", "russia.yaml", "ukraine.yaml", "vladimir-medinsky.yaml"]


def test_the_file_keeps_its_mode_and_a_symbolic_link_stays_a_link(kb, tmp_path):
    messy = kb / "actors" / "messy.yaml"
    messy.chmod(0o640)
    link = kb / "actors" / "linked.yaml"
    (kb / "shared").mkdir()
    target = kb / "shared" / "elsewhere.yaml"  # inside the knowledge base: see the test below
    target.write_text("name: Linked\nid: linked\nkind: state\n", encoding="utf-8")
    link.symlink_to(target)
    result = invoke(str(messy), str(link))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(messy.stat().st_mode) == 0o640
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "id: linked\nname: Linked\nkind: state\n"


def test_a_symbolic_link_out_of_the_knowledge_base_is_refused_and_nothing_is_written_there(kb, tmp_path):
    """An untrusted pull request can add `actors/x.yaml -> ~/somewhere.yaml`: fmt never writes there."""
    target = tmp_path / "outside.yaml"
    target.write_text("name: Outside\nid: outside\nkind: state\n", encoding="utf-8")
    (kb / "actors" / "outside.yaml").symlink_to(target)
    for args in ([str(kb / "actors" / "outside.yaml")], ["--data", str(kb)]):
        result = invoke(*args)
        assert result.exit_code == 1
        assert "outside-knowledge-base" in result.stderr and "leads outside its knowledge base" in result.stderr
        assert target.read_text(encoding="utf-8") == "name: Outside\nid: outside\nkind: state\n"


def test_check_never_reads_through_a_link_out_of_the_knowledge_base(kb, tmp_path):
    """`fmt --check` runs on pull requests too: a link out of the knowledge base is refused unread,
    so nothing of its target (here, broken YAML with a secret) shows in the report."""
    target = tmp_path / "secret.yaml"
    target.write_text("token: s3cr3t-value: [\n", encoding="utf-8")
    (kb / "actors" / "leak.yaml").symlink_to(target)
    result = invoke("--check", "--data", str(kb))
    assert result.exit_code == 1
    assert "outside-knowledge-base" in result.stderr and "s3cr3t" not in result.stdout + result.stderr


def test_crlf_and_a_byte_order_mark_are_kept(kb):
    crlf, bom = kb / "actors" / "crlf.yaml", kb / "actors" / "bom.yaml"
    crlf.write_bytes(b"name: Crlf\r\nid: crlf  # a comment\r\nkind: state\r\n")
    bom.write_bytes(b"\xef\xbb\xbfname: Bom\nid: bom\nkind: state\n")
    result = invoke(str(crlf), str(bom))
    assert result.exit_code == 0, result.output
    assert crlf.read_bytes() == b"id: crlf  # a comment\r\nname: Crlf\r\nkind: state\r\n"
    assert bom.read_bytes() == b"\xef\xbb\xbfid: bom\nname: Bom\nkind: state\n"
    assert invoke("--check", str(crlf), str(bom)).exit_code == 0  # canonical as they are now


@pytest.mark.parametrize("code", [28, 30, 13, 122])  # ENOSPC, EROFS, EACCES, EDQUOT
def test_a_full_or_read_only_disk_is_a_refusal_naming_the_file(kb, monkeypatch, code):
    messy = kb / "actors" / "messy.yaml"
    before = messy.read_bytes()

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr("tempfile.mkstemp", fail)
    result = invoke(str(messy))
    assert result.exit_code == 1
    assert f"{messy}:1:1: error unwritable-file: cannot write the file, left as it was: {os.strerror(code)}" in result.stderr
    assert messy.read_bytes() == before


def test_a_file_changed_by_another_writer_is_not_overwritten(kb, monkeypatch):
    from peacekb import writing

    messy = kb / "actors" / "messy.yaml"
    real_write = writing._write_temporary

    def meanwhile(path, data, mode, made):  # another editor saves the file while fmt writes
        messy.write_text("name: Edited\nid: messy\nkind: state\n", encoding="utf-8")
        return real_write(path, data, mode, made)

    monkeypatch.setattr(writing, "_write_temporary", meanwhile)
    result = invoke(str(messy))
    assert result.exit_code == 1 and "file-changed" in result.stderr
    assert messy.read_text(encoding="utf-8") == "name: Edited\nid: messy\nkind: state\n"
    assert [p.name for p in messy.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["nothere/actors/x.yaml"], "no such file"),
        (["README.md"], "not a record file"),
        ([".pre-commit-hooks.yaml"], "not in a record folder"),
        (["tests"], "not a file"),
        (["--data", "somewhere", "x.yaml"], "not both"),
        (["--data", "no-such-folder"], "no such folder"),
    ],
)
def test_usage_errors_exit_2(args, message, monkeypatch):
    monkeypatch.chdir(Path(__file__).parent.parent)
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr


# --- property: formatting never changes what a file means, and is idempotent --------------------------------
#
# The strategy writes record-like files in many layouts: known and unknown keys in any order,
# nested lists of records, mappings indented by 1 to 4, lists indented or not under their key,
# 1 to 3 spaces after a dash, flow lists (some over two lines, with a comment inside), values on
# the line below their key, multi-line plain and quoted scalars, block scalars of every chomping,
# strings with quotes, colons, `#`, backslashes and non-ASCII letters, numbers, booleans, nulls,
# dates, blank lines, and comment lines at any depth (never where YAML would read them as text).

LETTERS = "abcdefghijklmnopqrstuvwxyz"
TEXT = LETTERS + "ABCXYZ0123456789 :#'\"-,.[]{}!?&*|>%@`/\\é–“”’ŞÜ中🙂"
DATES = ["2026-02-18", "2025-08", "2025", "2025-11-20~", "2025-12-19/2025-12-20", '"2026-02-17"', "'2025-01-01'"]
WORD = st.text(LETTERS, min_size=1, max_size=7)
FAR = 10**6  # no limit on where a comment line may stand
_safe = YAML(typ="safe", pure=True)


class Doc:
    """The lines being written, and the comments written into them (each one unique)."""

    def __init__(self, draw):
        self.draw = draw
        self.lines: list[str] = []
        self.comments: list[str] = []
        self.spaces_in_text = False  # a line of a block scalar ends in a space (that is text)

    def maybe(self, p: float) -> bool:
        return self.draw(st.integers(0, 999)) < p * 1000

    def comment(self) -> str:
        text = f"# c{len(self.comments)}" + self.draw(st.sampled_from(["", " note: x", " 'quoted' #hash", " été – “x”", " - item"]))
        self.comments.append(text)
        return text

    def eol(self, line: str, p: float = 0.2) -> str:
        return line + " " * self.draw(st.integers(1, 4)) + self.comment() if self.maybe(p) else line

    def before(self, column: int, limit: int) -> None:
        """Blank and comment lines before an entry at ``column``, none at or beyond ``limit`` (the
        indentation of a block scalar just above, which would take them as text)."""
        for _ in range(self.draw(st.integers(0, 2)) if self.maybe(0.4) else 0):
            if self.maybe(0.3):
                self.lines.append("")
            else:
                where = self.draw(st.integers(0, column + 4))
                if where < limit:
                    self.lines.append(" " * where + self.comment())


def one_line_scalar(draw, flow: bool = False) -> str:
    kind = draw(st.sampled_from(["str", "str", "str", "int", "float", "bool", "null", "date"]))
    if kind == "int":
        return str(draw(st.integers(-(10**6), 10**12)))
    if kind == "float":
        return repr(draw(st.floats(allow_nan=False, allow_infinity=False, width=32)))
    if kind in ("bool", "null", "date"):
        return draw(st.sampled_from({"bool": ["true", "false"], "null": ["null", "~"], "date": DATES}[kind]))
    text = draw(st.text(TEXT, min_size=1, max_size=20))
    style = draw(st.sampled_from(["plain", "single", "double"]))
    if style == "plain" and plain_ok(text, flow):
        return text
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)


def plain_ok(text: str, flow: bool) -> bool:
    """Whether ``text`` may be written without quotes and read back as the same string."""
    if text != text.strip():
        return False
    source, expected = (f"k: [{text}]", {"k": [text]}) if flow else (f"k: {text}", {"k": text})
    try:
        return load(source) == expected and _safe.load(source) == expected
    except Exception:
        return False


def scalar_value(doc: Doc, column: int, head: str) -> int:
    """Write ``head`` (`key:` or `-`) with a scalar; return the column from which a comment line
    below would be read as part of it."""
    draw = doc.draw
    form = draw(st.sampled_from(["line", "line", "line", "line", "next-line", "multi", "block", "empty"]))
    if form == "empty":
        doc.lines.append(doc.eol(head))
    elif form == "next-line":
        doc.lines.append(doc.eol(head, 0.1))
        if doc.maybe(0.2):
            doc.lines.append(" " * draw(st.integers(0, column + 3)) + doc.comment())
        doc.lines.append(doc.eol(" " * (column + draw(st.integers(1, 3))) + one_line_scalar(draw)))
    elif form == "multi":
        words = draw(st.lists(WORD, min_size=2, max_size=6))
        style = draw(st.sampled_from(["", "'", '"']))
        lines = [words[0]]
        for word in words[1:]:
            if draw(st.booleans()):
                lines.append(word)
            else:
                lines[-1] += " " + word
        lines[0], lines[-1] = style + lines[0], lines[-1] + style
        doc.lines.append(head + " " + lines[0])
        for line in lines[1:]:  # yaml-rs wants quoted lines 2 deeper than their key
            doc.lines.append(" " * (column + draw(st.integers(2 if style else 1, 4))) + line)
        doc.lines[-1] = doc.eol(doc.lines[-1], 0.3)
    elif form == "block":
        header = head + " " + draw(st.sampled_from(["|", "|-", ">", ">-", ">+", "|+"]))
        doc.lines.append(header + ("  " + doc.comment() if doc.maybe(0.2) else ""))
        indent = column + draw(st.integers(1, 4))
        for n in range(draw(st.integers(1, 4))):
            if n and doc.maybe(0.2):
                doc.lines.append("")
            text = draw(st.text(TEXT, min_size=1, max_size=25)).lstrip() or "x"
            deeper = " " * draw(st.integers(1, 2)) if n and doc.maybe(0.15) else ""
            line = " " * indent + deeper + text + (" " if doc.maybe(0.1) else "")
            doc.spaces_in_text = doc.spaces_in_text or line.endswith(" ")
            doc.lines.append(line)
        return indent
    else:
        doc.lines.append(doc.eol(head + " " + one_line_scalar(draw), 0.25))
    return FAR


def flow_sequence(doc: Doc, column: int, nested: bool = False) -> str:
    draw = doc.draw
    items = [flow_sequence(doc, column, True) if not nested and doc.maybe(0.1) else one_line_scalar(draw, flow=True) for _ in range(draw(st.integers(0, 4)))]
    comma = "," + " " * draw(st.integers(0, 2))
    inner = " " * draw(st.integers(0, 1))
    if not nested and len(items) > 1 and doc.maybe(0.25):  # over two lines, maybe with a comment inside
        cut = draw(st.integers(1, len(items) - 1))
        first = "[" + inner + comma.join(items[:cut]) + "," + (" " + doc.comment() if doc.maybe(0.4) else "")
        return first + "\n" + " " * (column + draw(st.integers(1, 4))) + comma.join(items[cut:]) + inner + "]"
    return "[" + inner + comma.join(items) + inner + "]"


def keys_for(doc: Doc, model, least: int = 1) -> list[str]:
    draw = doc.draw
    known = list(model.model_fields) if model is not None else []
    keys = draw(st.lists(st.sampled_from(known), unique=True, max_size=min(6, len(known)))) if known else []
    keys += [k for k in draw(st.lists(WORD.map(lambda w: "x-" + w), unique=True, max_size=2)) if k not in keys]
    for extra in ["id", "x-only", "note", "x-more"]:
        if len(keys) < least and extra not in keys and (extra in known or extra.startswith("x-")):
            keys.append(extra)
    return draw(st.permutations(keys))


def block_mapping(doc: Doc, column: int, model, depth: int, dash: str | None = None, least: int = 1) -> int:
    """A block mapping with keys at ``column``, the first on a dash line when ``dash`` is given."""
    limit = FAR
    for n, key in enumerate(keys_for(doc, model, least)):
        if n == 0 and dash is not None:
            prefix = dash
        else:
            doc.before(column, limit)
            prefix = " " * column
        limit = value(doc, column, prefix + key + ":", model, key, depth)
    return limit


def block_sequence(doc: Doc, column: int, item_model, depth: int, scalars: bool = False) -> int:
    draw = doc.draw
    dash_column = column + draw(st.integers(0, 3))  # 0: the dashes under the key's first letter
    limit = FAR
    for _ in range(draw(st.integers(1, 3))):
        doc.before(dash_column, limit)
        dash, spaces = " " * dash_column + "-", draw(st.integers(1, 3))
        if item_model is not None and not scalars and doc.maybe(0.9):
            if doc.maybe(0.15):  # the dash alone on its line
                doc.lines.append(doc.eol(dash, 0.5))
                limit = block_mapping(doc, dash_column + draw(st.integers(1, 3)), item_model, depth + 1)
            else:
                limit = block_mapping(doc, dash_column + 1 + spaces, item_model, depth + 1, dash=dash + " " * spaces)
        elif scalars and depth < 4 and doc.maybe(0.1):  # a list in a list: `- - a`
            doc.lines.append(dash + " " * spaces + "- " + one_line_scalar(draw))
            for _ in range(draw(st.integers(0, 2))):
                doc.lines.append(doc.eol(" " * (dash_column + 1 + spaces) + "- " + one_line_scalar(draw)))
            limit = FAR
        else:
            limit = scalar_value(doc, dash_column, dash)
    return limit


def value(doc: Doc, column: int, head: str, model, key: str, depth: int) -> int:
    draw = doc.draw
    field = model.model_fields.get(key) if model is not None else None
    nested = fmt._nested_model(model, key) if field is not None else None
    if nested is not None and depth < 4:
        if "list" in str(field.annotation):
            if doc.maybe(0.2):
                doc.lines.append(doc.eol(head + " []"))
                return FAR
            doc.lines.append(doc.eol(head, 0.2))
            return block_sequence(doc, column, nested, depth)
        if doc.maybe(0.3):  # a record written as a flow mapping
            pairs = ", ".join(f"{k}: {one_line_scalar(draw, flow=True)}" for k in keys_for(doc, nested))
            doc.lines.append(doc.eol(head + " {" + pairs + "}"))
            return FAR
        doc.lines.append(doc.eol(head, 0.2))
        return block_mapping(doc, column + draw(st.integers(1, 4)), nested, depth + 1)
    form = draw(st.sampled_from(["scalar", "scalar", "scalar", "flow", "flow", "block-list", "map"]))
    if form == "flow":
        lines = (head + " " + flow_sequence(doc, column)).split("\n")
        lines[-1] = doc.eol(lines[-1], 0.3)
        doc.lines += lines
        return FAR
    if form == "block-list" and depth < 4:
        doc.lines.append(doc.eol(head, 0.2))
        return block_sequence(doc, column, None, depth + 1, scalars=True)
    if form == "map" and depth < 3 and field is None:
        doc.lines.append(doc.eol(head, 0.2))
        return block_mapping(doc, column + draw(st.integers(1, 4)), None, depth + 1)
    return scalar_value(doc, column, head)


@st.composite
def record_files_text(draw):
    """(text, kind, doc) of a record-like file in a random layout."""
    kind = draw(st.sampled_from(list(KINDS)))
    doc = Doc(draw)
    if doc.maybe(0.2):
        doc.lines.append(doc.comment())
        if doc.maybe(0.5):
            doc.lines.append("")
    if doc.maybe(0.1):
        doc.lines.append("---")
    limit = block_mapping(doc, 0, KINDS[kind], 0, least=3)
    if doc.maybe(0.2):
        doc.lines += [""] if doc.maybe(0.5) else []
        where = draw(st.integers(0, 4))
        if where < limit:
            doc.lines.append(" " * where + doc.comment())
    doc.lines += [""] if doc.maybe(0.1) else []
    return "\n".join(doc.lines) + "\n", kind, doc


def strictly_equal(a, b) -> bool:
    """Equal data, and of the same types all the way down (1, 1.0 and true are not the same value)."""
    return fmt._difference(a, b, ()) is None


def in_canonical_order(data, model) -> bool:
    if not isinstance(data, dict) or model is None:
        return True
    order = key_order(model)
    known = [k for k in data if k in order]
    if known != sorted(known, key=order.index) or list(data)[: len(known)] != known:
        return False
    for key in known:
        nested = fmt._nested_model(model, key)
        items = data[key] if isinstance(data[key], list) else [data[key]]
        if nested is not None and not all(in_canonical_order(item, nested) for item in items):
            return False
    return True


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(record_files_text())
def test_formatting_never_changes_what_a_file_means_and_is_idempotent(generated):
    text, kind, doc = generated
    data, problems = parse_text(text, "generated.yaml")
    assert not problems, (problems, text)  # the strategy writes valid YAML
    out = format_text(text, kind)
    assert strictly_equal(data, load(out)), (text, out)
    assert in_canonical_order(load(out), KINDS[kind]), out
    for comment in doc.comments:
        assert out.count(comment + "\n") == 1, (comment, out)
    if not doc.spaces_in_text:
        assert all(line == line.rstrip() for line in out.splitlines()), out
    assert out.endswith("\n")
    assert format_text(out, kind) == out


def test_a_file_that_ruamels_round_trip_parser_fails_on_is_formatted_and_located(make_kb):
    # found by the property test: ruamel's round-trip mode raises NotImplementedError ("overlap in
    # comment") on this valid file; the tag scan, fmt and the locator use its safe parser instead
    text = 'id: x\nname: "Hi!"\nkind: state\ncountry: # where\n 0\n\nwikidata: |\n Q1\n'
    assert parse_text(text, "x.yaml")[1] == []
    assert format_text(text, "actors") == 'id: x\nname: "Hi!"\nkind: state\n# where\ncountry: 0\n\nwikidata: |\n  Q1\n'
    from peacekb.loader import load as load_kb

    root = make_kb({"actors/x.yaml": text}, base=False)
    found = [(p.code, p.line, p.column) for p in load_kb(root).problems]
    assert ("wrong-type", 5, 2) in found


def test_an_editor_modeline_stays_on_the_first_line():
    text = "# yaml-language-server: $schema=../../schemas/actor.schema.json\nname: A\nid: a\nkind: state\n"
    assert format_text(text, "actors") == "# yaml-language-server: $schema=../../schemas/actor.schema.json\nid: a\nname: A\nkind: state\n"
