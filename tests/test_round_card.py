"""The round card's footnotes, through typer's CliRunner: every [n] beside an outcome or a statement
names, in the one numbered Sources list the card prints, the very sources that line cites, in text
and in markdown alike; markdown shows what the text card shows, its data text escaped.

tests/fixtures/positions has a round (`abu-dhabi-2026-02`) whose outcome cites first a source its
first statement does not cite, which a second numbering for the outcomes would get wrong.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, flat
from peacekb import queries as q
from peacekb.cli import app
from peacekb.cli.output import md_text
from peacekb.loader import load

POSITIONS = FIXTURES / "positions"
DATA = Path(__file__).parent.parent / "data"
runner = CliRunner()

MARKS = r"\[(\d+(?:,\d+)*)\]"
ROUNDS = [
    (POSITIONS, "abu-dhabi-2026-02"),
    (POSITIONS, "geneva-2026-01"),
    (POSITIONS, "geneva-2026-03"),
    (POSITIONS, "istanbul-2026-04"),
    # every bundled round, the card of the bug report (geneva-2026-02) among them
    *((DATA, path.stem) for path in sorted((DATA / "rounds").glob("*.yaml"))),
]
CARDS: dict[tuple[Path, str], q.RoundCard] = {}


def card_of(root: Path, round_id: str) -> q.RoundCard:
    if (root, round_id) not in CARDS:
        CARDS[(root, round_id)] = q.round_card(load(root).kb, round_id)
    return CARDS[(root, round_id)]


def run(root: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--data", str(root)], env={"COLUMNS": "2000"})
    assert result.exit_code == 0, result.output
    return result.stdout


def numbers(marks: str) -> list[int]:
    return [int(n) for n in marks.split(",")]


def text_card(root: Path, round_id: str) -> tuple[str, dict[int, str]]:
    """The card as text up to its Sources list, made flat, and that list: number -> source id."""
    out = run(root, "round", round_id)
    body, _, sources = out.rpartition("\nSources\n")
    listed = [(int(m[1]), m[2]) for m in (re.match(r"\s+\[(\d+)\] (\S+)", line) for line in sources.splitlines()) if m]
    return flat(body), dict(listed)


def markdown_card(root: Path, round_id: str) -> tuple[str, dict[int, str]]:
    out = run(root, "round", round_id, "-f", "markdown")
    body, _, sources = out.rpartition("\n### Sources\n")
    listed = [(int(m[1]), m[2]) for m in (re.match(r"(\d+)\. `([^`]+)`: ", line) for line in sources.splitlines()) if m]
    return body, dict(listed)


def cited(listed: dict[int, str], marks: str) -> list[str]:
    return [listed[n] for n in numbers(marks)]


def assert_one_list(listed: dict[int, str], card: q.RoundCard) -> None:
    """Numbered 1..n, each source once: those the card cites, every one of them."""
    assert sorted(listed) == list(range(1, len(listed) + 1))
    assert sorted(listed.values()) == sorted(s.id for s in card.sources)


@pytest.mark.parametrize("root, round_id", ROUNDS, ids=lambda x: x if isinstance(x, str) else x.name)
def test_text_footnotes_name_the_sources_each_line_cites(root, round_id):
    card = card_of(root, round_id)
    body, listed = text_card(root, round_id)
    assert_one_list(listed, card)
    for o in card.outcomes:
        line = flat(f"• {o.summary}" + (f" → {o.next_round.name}" if o.next_round else ""))
        assert line in body, line
        found = re.findall(re.escape(line) + " " + MARKS, body)
        assert [cited(listed, marks) for marks in found] == ([o.sources] if o.sources else []), line
    for e in card.statements:
        found = re.findall(re.escape(flat(e.summary)) + " " + MARKS, body)
        assert found, e.summary
        assert all(cited(listed, marks) == e.sources for marks in found), e.summary


@pytest.mark.parametrize("root, round_id", ROUNDS, ids=lambda x: x if isinstance(x, str) else x.name)
def test_markdown_footnotes_name_the_sources_each_line_cites(root, round_id):
    card = card_of(root, round_id)
    body, listed = markdown_card(root, round_id)
    assert_one_list(listed, card)
    lines = body.splitlines()
    if card.outcomes:
        start = lines.index("### Outcomes") + 2
        outcome_lines = lines[start:start + len(card.outcomes)]
        for o, line in zip(card.outcomes, outcome_lines):
            m = re.fullmatch(r"- (.*?)(?: " + MARKS + ")?", line)
            assert m and m[1] == md_text(o.summary) + (f" → {md_text(o.next_round.name)}" if o.next_round else ""), line
            assert (cited(listed, m[2]) if m[2] else []) == o.sources, line
    if card.statements:
        start = lines.index("### Statements") + 4  # blank line, header, delimiter row
        rows = lines[start:start + len(card.statements)]
        assert len(rows) == len(card.statements)
        for e, row in zip(card.statements, rows):
            marks = re.fullmatch(r"\|.*\| " + MARKS + r" \|", row)
            assert marks, row
            assert cited(listed, marks[1]) == e.sources, row


def test_an_outcome_and_the_statements_share_one_numbering():
    """The bug report, on the fixture: the outcome is numbered first, the statements go on from it."""
    body, listed = text_card(POSITIONS, "abu-dhabi-2026-02")
    assert "• A further round was set for Geneva. → Geneva talks, March 2026 [1,2]" in body
    assert "Álvarez ruled out giving up any land. [2]" in body  # wire-abu-dhabi, the outcome's second source
    assert "Unnamed Alpha officials were reported to accept ceding some land. [1]" in body  # daily-rumour
    assert listed == {1: "daily-rumour", 2: "wire-abu-dhabi"}
    md, md_listed = markdown_card(POSITIONS, "abu-dhabi-2026-02")
    assert "- A further round was set for Geneva. → Geneva talks, March 2026 [1,2]" in md.splitlines()
    assert md_listed == listed
    assert "1. `daily-rumour`: Alpha said to soften on land, The Daily Rumour (low reliability)" in run(POSITIONS, "round", "abu-dhabi-2026-02", "-f", "markdown")


def test_the_bundled_card_of_the_bug_report():
    """'No breakthrough. Per Zelensky…' comes from Pravda.ru, not the Kyiv Independent."""
    for body, listed in (text_card(DATA, "geneva-2026-02"), markdown_card(DATA, "geneva-2026-02")):
        [marks] = re.findall(r"No breakthrough\. Per Zelensky.*?the sides agreed to continue\. " + MARKS, body)
        assert cited(listed, marks) == ["pravda-ru-zelensky-admits-progress-geneva"]


def test_markdown_keeps_documents_and_what_was_not_found():
    md = run(POSITIONS, "round", "geneva-2026-01", "-f", "markdown")
    lines = md.splitlines()
    assert "| documents | Alpha's twelve-point plan |" in lines
    assert lines[lines.index("### Not found in the sources") + 2] == "- The length of the sessions"
    text = flat(run(POSITIONS, "round", "geneva-2026-01"))
    assert "documents Alpha's twelve-point plan" in text and "Not found in the sources • The length of the sessions" in text


def test_markdown_keeps_participants_and_the_note_and_escapes_data_text(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(POSITIONS, root)
    path = root / "rounds" / "abu-dhabi-2026-02.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "agenda: [sequencing, border-zone]\n",
        "agenda: [sequencing, border-zone]\nparticipants: [gamma]\n"
        "note: \"Seen *only* in [one] wire_story <b>, `quoted`.\"\n"
        "not_found: [\"# of sessions\", \"1. day length\"]\n",
    ), encoding="utf-8")
    md = run(root, "round", "abu-dhabi-2026-02", "-f", "markdown")
    lines = md.splitlines()
    assert "| also present | Gamma |" in lines
    assert lines[lines.index("### Note") + 2] == r"Seen \*only\* in \[one\] wire\_story &lt;b&gt;, \`quoted\`."
    start = lines.index("### Not found in the sources") + 2
    assert lines[start:start + 2] == [r"- &#35; of sessions", r"- 1\. day length"]
    assert lines.index("### Note") < lines.index("### Sources")
    text = flat(run(root, "round", "abu-dhabi-2026-02"))
    assert "also present Gamma" in text and "Seen *only* in [one] wire_story <b>, `quoted`." in text
