"""Positions from everything on record: statements (joint ones too) and documents (a memorandum's
points, an agreement's signatories), on tests/fixtures/claims (see its README for the rule and the
answers worked out from it).

Every expected value here was worked out by hand from the fixture's records and the rule in
`peacekb/claims.py`, not read back from the implementation. The library is asked first; then every
command in every format, json equal to ``to_data`` of the library's answer; then the quick path
through the statement index, which must answer byte for byte as a full load; then invalid inputs,
each reported as a problem at its place.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, flat, where
from peacekb import cache, compare
from peacekb import queries as q
from peacekb.claims import document_claims, document_holders
from peacekb.cli import app
from peacekb.dates import FuzzyDate
from peacekb.loader import load
from peacekb.store import StatementIndex

CLAIMS = FIXTURES / "claims"
runner = CliRunner()
KB = load(CLAIMS).kb

Q_BORDER = "A demilitarised strip on both sides is the way to keep the peace."
Q_SANCTIONS = "Sanctions stay until the last soldier has left."
Q_LINE = "We will hold the line where the guns fell silent."

HEADLINES = {
    "border": "border: ceasefire-line + demilitarised-zone (Norland) and demilitarised-zone (Valmont) vs return-1990-line (Sudria)",
    "ceasefire": "ceasefire: immediate (Norland, Sudria); no recorded position: Valmont",
    "prisoners": "prisoners: all-for-all (Norland, Sudria); no recorded position: Valmont",
    # a contested holder's stances in the order voiced, as in its rows; Sudria withdrew its stance
    "sanctions": "sanctions: lift-first (River Front) vs keep-sanctions (Norland); contested: Valmont (keep-sanctions / lift-first); "
                 "withdrawn: Sudria (lift-first)",
}


def date(text: str) -> FuzzyDate:
    return FuzzyDate.parse(text)


def block(issue: str, as_of: str | None = None) -> q.IssuePositions:
    found = [b for b in q.positions(KB, issue, date(as_of) if as_of else None) if b.issue == issue]
    assert len(found) == 1
    return found[0]


def position(issue: str, holder: str, as_of: str | None = None) -> q.Position:
    [p] = [p for p in block(issue, as_of).positions if p.holder == holder]
    return p


def held(p: q.Position) -> list[tuple]:
    """(stance, since, last, evidence ids) of every stance held, oldest first."""
    return [(h.stance, h.since, h.last, [e.id for e in h.evidence]) for h in p.held]


def past(p: q.Position) -> list[tuple]:
    return [(x.stance, x.since, x.until, x.dropped_by) for x in p.past]


def table(b: q.IssuePositions) -> list[tuple]:
    """(holder, status, stances) in the order shown."""
    return [(p.holder, p.status, p.stances) for p in b.positions]


def run(*args: str, data: Path = CLAIMS):
    return runner.invoke(app, [*args, "--data", str(data)], env={"COLUMNS": "200"})


def out(*args: str, data: Path = CLAIMS) -> str:
    result = run(*args, data=data)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


# --- the fixture ----------------------------------------------------------------------------------


def test_the_fixture_validates_clean_and_strict():
    assert load(CLAIMS).problems == []
    result = run("validate", "--strict")
    assert result.exit_code == 0, result.output


def test_the_fixture_is_canonically_formatted():
    result = runner.invoke(app, ["fmt", "--check", "--data", str(CLAIMS)])
    assert result.exit_code == 0, result.output


def test_principals_and_issue_order():
    assert q.principal_parties(KB) == ["norland", "sudria", "valmont"]
    assert q.issue_tree(KB) == [("border", 0), ("ceasefire", 0), ("prisoners", 0), ("sanctions", 0)]


def test_every_claim_in_order():
    """Statements and the points of documents that take stances; a point that takes none is no claim."""
    assert [(str(c.date), c.id, c.holders) for c in q.live_claims(KB)] == [
        ("2025-03", "l1-valmont-keep-sanctions", ["valmont"]),
        ("2025-03-10", "l1-nord-ceasefire-line", ["norland"]),
        ("2025-03-10", "l1-valmont-lift-first", ["valmont"]),
        ("2025-03-11", "l1-sud-opening", ["sudria"]),
        ("2025-04-02", "sudria-memorandum#border-line", ["sudria"]),
        ("2025-04-02", "sudria-memorandum#phased-exchange", ["sudria"]),
        ("2025-04-05", "memo-nord-rejects-phased", ["norland"]),
        ("2025-05-20", "l2-nord-demilitarised", ["norland"]),
        ("2025-05-20", "l2-nord-reports-river-front", ["river-front"]),
        ("2025-05-21", "l2-joint-communique", ["norland", "sudria"]),
        ("2025-05-21", "l2-valmont-demilitarised", ["valmont"]),
        ("2025-07-14", "h3-nord-two-quotes", ["norland"]),
        ("2025-07-15", "harbour-agreement#all-for-all-exchange", ["norland", "sudria"]),
        ("2025-07-16", "h3-sud-withdraws-lift-first", ["sudria"]),
    ]
    assert "sudria-memorandum#good-offices" not in {c.id for c in document_claims(KB)}


# --- 1. a memorandum's point gives its author a position ------------------------------------------


def test_a_memorandum_point_gives_its_author_a_position_from_the_documents_date():
    p = position("border", "sudria")
    assert (p.status, p.stances) == ("held", ["return-1990-line"])
    assert held(p) == [("return-1990-line", "2025-04-02", "2025-04-02", ["sudria-memorandum#border-line"])]
    [e] = p.held[0].evidence
    assert e.kind == "document"
    assert e.id == "sudria-memorandum#border-line"
    assert (e.event, e.document, e.provision) == ("sudria-memorandum", "Sudria's memorandum on a settlement", "border-line")
    assert e.date == "2025-04-02"
    assert (e.holders, e.parties, e.joint) == (["sudria"], ["sudria"], False)
    assert e.summary == "The border returns to the line of 1990."
    assert e.sources == ["memorandum-text"]
    assert (e.attribution, e.speaker, e.quote, e.quotes) == ("document", None, None, [])
    assert e.stances == {"border": "return-1990-line"}


def test_a_memorandum_is_held_by_the_party_among_its_authors_not_the_official():
    assert KB.events["sudria-memorandum"].authors == ["sven-sud", "sudria"]
    assert document_holders(KB, KB.events["sudria-memorandum"]) == ["sudria"]
    card = q.actor_card(KB, "sven-sud")
    assert card.positions == []
    assert [(v.issue, v.stance, v.holders) for v in card.voiced] == [
        ("border", "ceasefire-line", ["sudria"]), ("ceasefire", "after-deal", ["sudria"]), ("sanctions", "lift-first", ["sudria"])]


def test_a_memorandum_point_on_another_issue_is_its_own_claim():
    p = position("prisoners", "sudria", as_of="2025-06-30")
    assert held(p) == [("phased", "2025-04-02", "2025-04-02", ["sudria-memorandum#phased-exchange"])]
    e = p.held[0].evidence[0]
    assert (e.summary, e.sources, e.provision) == ("Prisoners are exchanged in phases, by category.", ["memorandum-text"], "phased-exchange")


def test_positions_text_names_the_document_and_its_point():
    text = flat(out("positions", "border"))
    assert "Sudria's memorandum on a settlement, point border-line, 2025-04-02: The border returns to the line of 1990." in text
    markdown = out("positions", "border", "-f", "markdown")
    assert "| Sudria | return-1990-line (Return to the 1990 line) | 2025-04-02 | Sudria's memorandum on a settlement, point border-line, 2025-04-02 | The border returns to the line of 1990. | memorandum-text |" in markdown


# --- 2. an agreement is held by its signatories, not its drafter ----------------------------------


def test_an_agreement_is_held_by_its_signatories_not_its_drafting_mediator():
    assert KB.events["harbour-agreement"].authors == ["valmont"]
    assert document_holders(KB, KB.events["harbour-agreement"]) == ["norland", "sudria"]
    b = block("prisoners")
    assert table(b) == [("norland", "held", ["all-for-all"]), ("sudria", "held", ["all-for-all"]), ("valmont", "unknown", [])]
    norland, sudria, _ = b.positions
    assert held(norland) == [("all-for-all", "2025-04-05", "2025-07-15", ["harbour-agreement#all-for-all-exchange"])]
    assert held(sudria) == [("all-for-all", "2025-07-15", "2025-07-15", ["harbour-agreement#all-for-all-exchange"])]
    e = sudria.held[0].evidence[0]
    assert (e.kind, e.holders, e.parties, e.joint) == ("document", ["norland", "sudria"], ["norland", "sudria"], True)
    assert (e.document, e.provision, e.summary, e.sources) == (
        "Harbour agreement on prisoners", "all-for-all-exchange", "All prisoners are exchanged, all for all, within thirty days.", ["agreement-text"])
    assert b.headline.text == HEADLINES["prisoners"]


def test_the_agreement_drops_what_a_signatory_held_against_it():
    assert past(position("prisoners", "sudria")) == [("phased", "2025-04-02", "2025-07-15", "harbour-agreement#all-for-all-exchange")]
    assert past(position("prisoners", "norland")) == []


def test_the_drafting_mediator_holds_nothing_on_the_agreements_issue():
    card = q.actor_card(KB, "valmont")
    assert [b.issue for b in card.positions] == ["border", "sanctions"]
    assert q.timeline(KB, issue="prisoners", actor="valmont") == []


# --- 3. a joint statement -------------------------------------------------------------------------


def test_a_joint_statement_gives_each_party_the_stance():
    b = block("ceasefire")
    assert table(b) == [("norland", "held", ["immediate"]), ("sudria", "held", ["immediate"]), ("valmont", "unknown", [])]
    for p in b.positions[:2]:
        assert held(p) == [("immediate", "2025-05-21", "2025-05-21", ["l2-joint-communique"])]
        e = p.held[0].evidence[0]
        assert (e.kind, e.joint, e.parties, e.party_names, e.holders) == (
            "statement", True, ["norland", "sudria"], ["Norland", "Sudria"], ["norland", "sudria"])
        assert e.speaker is None and e.channel == "joint communiqué"
    assert b.headline.text == HEADLINES["ceasefire"]


def test_a_joint_statement_is_listed_once_and_counted_once_per_party():
    listed = [e.id for e in q.statements(KB)]
    assert listed.count("l2-joint-communique") == 1
    assert len(listed) == 11
    counts = {row.id: row.statements for row in q.actors_overview(KB)}
    assert counts == {"norland": 6, "sudria": 3, "valmont": 3, "ida-nord": 5, "sven-sud": 2, "river-front": 1}


def test_a_joint_statement_is_found_by_either_party():
    by_sudria = [e.id for e in q.statements(KB, q.StatementFilter(actor="sudria"))]
    assert by_sudria == ["l1-sud-opening", "l2-joint-communique", "h3-sud-withdraws-lift-first"]
    assert "l2-joint-communique" in [e.id for e in q.statements(KB, q.StatementFilter(actor="norland"))]
    assert [e.id for e in q.statements(KB, q.StatementFilter(holder="sudria", issue="ceasefire"))] == ["l1-sud-opening", "l2-joint-communique"]
    found = json.loads(out("statements", "--actor", "sudria", "-f", "json"))
    assert [e["id"] for e in found] == by_sudria
    text = flat(out("statements", "--actor", "sudria"))
    assert "2025-05-21 Norland and Sudria jointly" in text and "3 statements" in text


def test_positions_text_says_joint_statement():
    text = flat(out("positions", "ceasefire"))
    assert "joint statement (Norland and Sudria), 2025-05-21: Norland and Sudria jointly called for an immediate ceasefire." in text


# --- 4. compatible stances stay; an incompatible one replaces ---------------------------------------


def test_an_earlier_compatible_stance_is_kept_with_its_own_since_and_last():
    p = position("border", "norland")
    assert (p.status, p.stances) == ("held", ["ceasefire-line", "demilitarised-zone"])
    assert held(p) == [
        ("ceasefire-line", "2025-03-10", "2025-03-10", ["l1-nord-ceasefire-line"]),
        ("demilitarised-zone", "2025-05-20", "2025-07-14", ["h3-nord-two-quotes"]),
    ]
    assert past(p) == []


def test_an_earlier_incompatible_stance_is_replaced_and_kept_in_past():
    ceasefire = position("ceasefire", "sudria")
    assert past(ceasefire) == [("after-deal", "2025-03-11", "2025-05-21", "l2-joint-communique")]
    assert ceasefire.past[0].label == "Only after a full deal"
    border = position("border", "sudria")
    assert past(border) == [("ceasefire-line", "2025-03-11", "2025-04-02", "sudria-memorandum#border-line")]


def test_before_the_contradiction_the_old_stance_was_held():
    p = position("border", "sudria", as_of="2025-03-31")
    assert held(p) == [("ceasefire-line", "2025-03-11", "2025-03-11", ["l1-sud-opening"])] and past(p) == []
    assert block("border", as_of="2025-03-31").headline.text == "border: ceasefire-line (Norland, Sudria); no recorded position: Valmont"
    p = position("ceasefire", "sudria", as_of="2025-05-20")
    assert held(p) == [("after-deal", "2025-03-11", "2025-03-11", ["l1-sud-opening"])]


def test_timeline_marks_added_and_changed():
    entries = [(t.date, t.holder, t.stance, t.change, t.dropped, t.held, t.evidence.id) for t in q.timeline(KB, issue="border", every=True)]
    assert entries == [
        ("2025-03-10", "norland", "ceasefire-line", "first", [], ["ceasefire-line"], "l1-nord-ceasefire-line"),
        ("2025-03-11", "sudria", "ceasefire-line", "first", [], ["ceasefire-line"], "l1-sud-opening"),
        ("2025-04-02", "sudria", "return-1990-line", "changed", ["ceasefire-line"], ["return-1990-line"], "sudria-memorandum#border-line"),
        ("2025-05-20", "norland", "demilitarised-zone", "added", [], ["ceasefire-line", "demilitarised-zone"], "l2-nord-demilitarised"),
        ("2025-05-21", "valmont", "demilitarised-zone", "first", [], ["demilitarised-zone"], "l2-valmont-demilitarised"),
        ("2025-07-14", "norland", "demilitarised-zone", "same", [], ["ceasefire-line", "demilitarised-zone"], "h3-nord-two-quotes"),
    ]


# --- 5. an explicit withdrawal ----------------------------------------------------------------------


def test_a_withdrawal_drops_the_stance():
    p = position("sanctions", "sudria")
    assert (p.status, p.stances, p.held) == ("unknown", [], [])
    assert past(p) == [("lift-first", "2025-03-11", "2025-07-16", "h3-sud-withdraws-lift-first")]
    assert held(position("sanctions", "sudria", as_of="2025-07-15")) == [("lift-first", "2025-03-11", "2025-03-11", ["l1-sud-opening"])]


def test_the_timeline_marks_a_withdrawal():
    entries = [(t.date, t.holder, t.stance, t.change, t.dropped, t.held, t.evidence.id) for t in q.timeline(KB, issue="sanctions")]
    assert entries == [
        ("2025-03", "valmont", "keep-sanctions", "first", [], ["keep-sanctions"], "l1-valmont-keep-sanctions"),
        ("2025-03-10", "valmont", "lift-first", "contested", [], ["keep-sanctions", "lift-first"], "l1-valmont-lift-first"),
        ("2025-03-11", "sudria", "lift-first", "first", [], ["lift-first"], "l1-sud-opening"),
        ("2025-05-20", "river-front", "lift-first", "first", [], ["lift-first"], "l2-nord-reports-river-front"),
        ("2025-07-14", "norland", "keep-sanctions", "first", [], ["keep-sanctions"], "h3-nord-two-quotes"),
        ("2025-07-16", "sudria", None, "withdrawn", ["lift-first"], [], "h3-sud-withdraws-lift-first"),
    ]
    withdrawal = q.timeline(KB, issue="sanctions")[-1].evidence
    assert (withdrawal.withdraws, withdrawal.stances) == ({"sanctions": "lift-first"}, {})
    text = flat(out("timeline", "sanctions"))
    assert "2025-07-16 × Sudria sanctions: lift-first → (withdrawn)" in text
    markdown = out("timeline", "sanctions", "-f", "markdown")
    assert "| 2025-07-16 | Sudria | sanctions | lift-first → (withdrawn) | withdrawn |  |" in markdown
    rows = list(csv.DictReader(io.StringIO(out("timeline", "sanctions", "-f", "csv"))))
    assert (rows[-1]["change"], rows[-1]["dropped"], rows[-1]["stance"], rows[-1]["held"]) == ("withdrawn", "lift-first", "", "")


def test_statements_show_what_a_statement_withdraws():
    text = flat(out("statements", "--actor", "sven-sud"))
    assert "sanctions withdraws lift-first" in text
    markdown = out("statements", "--actor", "sven-sud", "-f", "markdown")
    assert "sanctions withdraws lift-first" in markdown


# --- 6. headlines ---------------------------------------------------------------------------------


@pytest.mark.parametrize("issue", HEADLINES)
def test_headline(issue):
    assert block(issue).headline.text == HEADLINES[issue]


def test_headline_structure():
    border = block("border").headline
    assert [[(e.stances, e.holders) for e in camp] for camp in border.camps] == [
        [(["ceasefire-line", "demilitarised-zone"], ["norland"]), (["demilitarised-zone"], ["valmont"])],
        [(["return-1990-line"], ["sudria"])],
    ]
    assert (border.contested, border.unknown) == ([], [])
    sanctions = block("sanctions").headline
    assert [[(e.stances, e.holders) for e in camp] for camp in sanctions.camps] == [[(["lift-first"], ["river-front"])], [(["keep-sanctions"], ["norland"])]]
    assert [(e.stances, e.holders) for e in sanctions.contested] == [(["keep-sanctions", "lift-first"], ["valmont"])]
    assert [(e.stances, e.holders) for e in sanctions.withdrawn] == [(["lift-first"], ["sudria"])]
    assert sanctions.unknown == []


def test_a_contested_position_from_a_month_overlapping_a_day():
    p = position("sanctions", "valmont")
    assert (p.status, p.stances) == ("contested", ["keep-sanctions", "lift-first"])
    assert held(p) == [
        ("keep-sanctions", "2025-03", "2025-03", ["l1-valmont-keep-sanctions"]),
        ("lift-first", "2025-03-10", "2025-03-10", ["l1-valmont-lift-first"]),
    ]
    assert past(p) == []
    assert block("sanctions", as_of="2025-03-10").headline.text == (
        "sanctions: contested: Valmont (keep-sanctions / lift-first); no recorded position: Norland, Sudria")


def parse_headline(text: str) -> tuple[list[list[str]], list[str], list[str]]:
    """A headline's text as the holder names of each camp (between " vs "), of the contested holders
    (after "contested: "), and of those with no stance (no recorded position, or all withdrawn)."""
    _, _, rest = text.partition(": ")
    camps: list[list[str]] = []
    contested: list[str] = []
    unknown: list[str] = []
    for part in rest.split("; "):
        if part.startswith("contested: "):
            contested = re.findall(r"(?:^|, )([^(,]+?) \(", part.removeprefix("contested: "))
        elif part.startswith("withdrawn: "):
            unknown += re.findall(r"(?:^|, )([^(,]+?) \(", part.removeprefix("withdrawn: "))
        elif part.startswith("no recorded position"):
            unknown += part.removeprefix("no recorded position: ").split(", ") if ": " in part else []
        else:
            camps = [[n for group in re.findall(r"\(([^)]*)\)", side) for n in group.split(", ")] for side in part.split(" vs ")]
    return camps, contested, unknown


def every_headline() -> list[str]:
    """The headline of every positions block and every actor card's block, at the end and as of the
    date of every claim."""
    dates = [None] + sorted({str(c.date) for c in q.live_claims(KB)})
    found = []
    for when in dates:
        as_of = date(when) if when else None
        for issue in HEADLINES:
            found += [b.headline.text for b in q.positions(KB, issue, as_of)]
        for actor in KB.actors:
            found += [b.headline.text for b in q.actor_card(KB, actor, as_of).positions]
    return found


def test_the_headline_parser():
    assert parse_headline(HEADLINES["sanctions"]) == ([["River Front"], ["Norland"]], ["Valmont"], ["Sudria"])
    assert parse_headline(HEADLINES["border"]) == ([["Norland", "Valmont"], ["Sudria"]], [], [])
    assert parse_headline("sanctions: contested: Valmont (keep-sanctions / lift-first); no recorded position: Norland, Sudria") == (
        [], ["Valmont"], ["Norland", "Sudria"])


def test_no_holder_is_on_both_sides_of_vs_and_every_holder_is_named_once():
    headlines = every_headline()
    assert len(headlines) > 40 and any(" vs " in h for h in headlines) and any("contested: " in h for h in headlines)
    for text in headlines:
        camps, contested, unknown = parse_headline(text)
        for i, a in enumerate(camps):
            for b in camps[i + 1 :]:
                assert not set(a) & set(b), text
        named = [n for camp in camps for n in camp] + contested + unknown
        assert named or text.endswith(": no recorded positions"), text
        assert len(named) == len(set(named)), f"a holder named twice: {text}"
        assert set(named) <= {a.name for a in KB.actors.values()}, text


# --- 7. the quote that bears on the issue ---------------------------------------------------------


def test_the_evidence_quote_is_the_one_bearing_on_the_issue():
    [border] = position("border", "norland").held[1].evidence
    [sanctions] = position("sanctions", "norland").held[0].evidence
    assert border.id == sanctions.id == "h3-nord-two-quotes"
    assert border.quote.text == Q_BORDER and border.quote.issues == ["border"]
    assert sanctions.quote.text == Q_SANCTIONS and sanctions.quote.issues == ["sanctions"]
    assert [x.text for x in border.quotes] == [Q_BORDER, Q_SANCTIONS]  # all the quotes are still there
    [line] = position("border", "norland").held[0].evidence
    assert (line.quote.text, line.quote.issues) == (Q_LINE, [])  # a quote naming no issue bears on all


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_an_issues_block_shows_its_quote_not_the_others(fmt):
    border = flat(out("positions", "border", "-f", fmt))
    sanctions = flat(out("positions", "sanctions", "-f", fmt))
    assert Q_BORDER in border and Q_SANCTIONS not in border
    assert Q_SANCTIONS in sanctions and Q_BORDER not in sanctions


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_a_multi_issue_card_shows_each_quote_in_its_issues_row(fmt):
    text = out("actor", "norland", "-f", fmt)
    text = text.split("### Statements" if fmt == "markdown" else "\nStatements\n")[0]  # the positions held, issue by issue
    [border_line] = [line for line in text.splitlines() if "demilitarised-zone" in line and "2025-07-14" in line]
    [sanctions_line] = [line for line in text.splitlines() if "keep-sanctions" in line and "2025-07-14" in line]
    assert "A demilitarised strip" in border_line and "Sanctions stay" not in border_line
    assert "Sanctions stay" in sanctions_line and "A demilitarised strip" not in sanctions_line


def test_the_timeline_shows_each_issues_quote():
    entries = [(t.issue, t.evidence.quote.text) for t in q.timeline(KB, actor="norland", every=True) if t.evidence.id == "h3-nord-two-quotes"]
    assert entries == [("border", Q_BORDER), ("sanctions", Q_SANCTIONS)]


def test_positions_csv_carries_the_quote_bearing_on_the_issue():
    rows = list(csv.DictReader(io.StringIO(out("positions", "sanctions", "-f", "csv"))))
    [norland] = [r for r in rows if r["holder"] == "norland"]
    assert json.loads(norland["quotes"]) == [{"text": Q_SANCTIONS, "source": "wire-harbour-july", "translation": False, "issues": ["sanctions"]}]


# --- 8. labels ------------------------------------------------------------------------------------


def test_positions_text_and_markdown_show_each_label_beside_its_id():
    for issue in HEADLINES:
        labels = {s.id: s.label for s in KB.issues[issue].stances}
        shown = [(h.stance, h.label) for p in block(issue).positions for h in p.held]
        assert shown and all(label == labels[stance] for stance, label in shown)
        lines = out("positions", issue).splitlines()
        markdown = out("positions", issue, "-f", "markdown")
        for stance, label in shown:
            # the label on the line below the id, starting in the same column
            below = [(i, line.index(stance)) for i, line in enumerate(lines) if re.search(rf"(?<![\w-]){re.escape(stance)}(?![\w-])", line)]
            assert below, (issue, stance)
            assert any(lines[i + 1][col:].startswith(label) for i, col in below), (issue, stance, label)
            assert f"{stance} ({label})" in markdown


# --- 9. a person's card ---------------------------------------------------------------------------


def test_a_persons_card_lists_what_they_voiced_and_for_whom():
    card = q.actor_card(KB, "ida-nord")
    assert card.positions == []  # she holds no position of her own
    assert [(v.issue, v.stance, v.holders, v.holder_names, v.date, v.evidence.id) for v in card.voiced] == [
        ("border", "ceasefire-line", ["norland"], ["Norland"], "2025-03-10", "l1-nord-ceasefire-line"),
        ("prisoners", "all-for-all", ["norland"], ["Norland"], "2025-04-05", "memo-nord-rejects-phased"),
        ("border", "demilitarised-zone", ["norland"], ["Norland"], "2025-05-20", "l2-nord-demilitarised"),
        ("sanctions", "lift-first", ["river-front"], ["River Front"], "2025-05-20", "l2-nord-reports-river-front"),
        ("border", "demilitarised-zone", ["norland"], ["Norland"], "2025-07-14", "h3-nord-two-quotes"),
        ("sanctions", "keep-sanctions", ["norland"], ["Norland"], "2025-07-14", "h3-nord-two-quotes"),
    ]
    assert [v.label for v in card.voiced][:2] == ["Freeze along the ceasefire line", "All-for-all exchange"]
    assert [v.evidence.quote.text for v in card.voiced if v.date == "2025-07-14"] == [Q_BORDER, Q_SANCTIONS]
    assert [e.id for e in card.statements] == [
        "l1-nord-ceasefire-line", "memo-nord-rejects-phased", "l2-nord-demilitarised", "l2-nord-reports-river-front", "h3-nord-two-quotes"]
    assert [r.id for r in card.rounds] == ["lakeside-2025-03", "lakeside-2025-05", "harbour-2025-07"]


def test_a_persons_card_text_and_markdown_show_the_voiced_table():
    text = flat(out("actor", "ida-nord"))
    assert "Positions voiced" in text and "Positions held" not in text
    assert "River Front" in text and "Foreign Minister (Norland)" in text
    markdown = out("actor", "ida-nord", "-f", "markdown")
    assert "| 2025-05-20 | sanctions | lift-first (Lift sanctions before anything else) | River Front | Nord said the River Front demands that sanctions be lifted first. | wire-lakeside-may |" in markdown
    assert f"| 2025-07-14 | sanctions | keep-sanctions (Keep sanctions until withdrawal) | Norland | “{Q_SANCTIONS}” | wire-harbour-july |" in markdown


# --- 10. an issue card lists who held each stance before --------------------------------------------


def stance_table(card) -> list[tuple]:
    return [(s.id, s.holders, [(x.holder, x.since, x.until) for x in s.past]) for s in card.stances]


def test_issue_cards_list_past_holders_with_since_and_until():
    assert stance_table(q.issue_card(KB, "sanctions")) == [
        ("lift-first", ["river-front", "valmont"], [("sudria", "2025-03-11", "2025-07-16")]),
        ("keep-sanctions", ["norland", "valmont"], []),
    ]
    assert stance_table(q.issue_card(KB, "prisoners")) == [
        ("all-for-all", ["norland", "sudria"], []),
        ("phased", [], [("sudria", "2025-04-02", "2025-07-15")]),
    ]
    assert stance_table(q.issue_card(KB, "border")) == [
        ("ceasefire-line", ["norland"], [("sudria", "2025-03-11", "2025-04-02")]),
        ("demilitarised-zone", ["norland", "valmont"], []),
        ("return-1990-line", ["sudria"], []),
    ]
    assert stance_table(q.issue_card(KB, "ceasefire")) == [
        ("immediate", ["norland", "sudria"], []),
        ("after-deal", [], [("sudria", "2025-03-11", "2025-05-21")]),
    ]
    # the overview has the same holders and past holders (in the order their claims came, not the card's order)
    overview = {row.id: row for row in q.issues_overview(KB)}
    for issue in HEADLINES:
        assert [(i, sorted(h), p) for i, h, p in stance_table(overview[issue])] == [(i, sorted(h), p) for i, h, p in stance_table(q.issue_card(KB, issue))]


def test_issue_card_text_and_markdown_show_past_holders():
    text = flat(out("issue", "prisoners"))
    assert "phased Phased, by category nobody now Sudria (2025-04-02 – 2025-07-15)" in text
    markdown = out("issue", "prisoners", "-f", "markdown")
    assert "| `phased` | Phased, by category |  | Sudria (2025-04-02 – 2025-07-15) |" in markdown


# --- 11. comparisons ------------------------------------------------------------------------------


def diff_rows(d) -> list[tuple]:
    return [(r.issue, r.relation, r.summary) for r in d.rows]


def test_diff_of_the_two_parties():
    d = compare.diff_parties(KB, "norland", "sudria")
    assert diff_rows(d) == [
        ("border", "differ", "border: norland: ceasefire-line + demilitarised-zone vs sudria: return-1990-line"),
        ("sanctions", "unknown", "sanctions: norland: keep-sanctions; sudria: withdrew lift-first"),
        ("ceasefire", "agree", "ceasefire: norland: immediate and sudria: immediate"),
        ("prisoners", "agree", "prisoners: norland: all-for-all and sudria: all-for-all"),
    ]
    assert d.differs
    for row in d.rows:
        assert (" vs " in row.summary) == (row.relation == "differ")  # "vs" only where they disagree
    [prisoners] = [r for r in d.rows if r.issue == "prisoners"]
    assert [e.id for e in prisoners.a.evidence] == [e.id for e in prisoners.b.evidence] == ["harbour-agreement#all-for-all-exchange"]


def test_diff_agreement_by_compatibility_reads_and():
    d = compare.diff_parties(KB, "norland", "valmont")
    assert diff_rows(d) == [
        ("sanctions", "differ", "sanctions: norland: keep-sanctions vs valmont: contested: keep-sanctions / lift-first"),
        ("ceasefire", "unknown", "ceasefire: norland: immediate; valmont: no recorded position"),
        ("prisoners", "unknown", "prisoners: norland: all-for-all; valmont: no recorded position"),
        ("border", "agree", "border: norland: ceasefire-line + demilitarised-zone and valmont: demilitarised-zone"),
    ]
    text = flat(out("diff", "norland", "valmont"))
    assert "border: norland: ceasefire-line + demilitarised-zone and valmont: demilitarised-zone" in text


def test_diff_of_a_person_uses_what_she_voiced_for_her_own_side():
    d = compare.diff_parties(KB, "ida-nord", "sudria")
    assert diff_rows(d) == [
        ("border", "differ", "border: ida-nord: ceasefire-line + demilitarised-zone vs sudria: return-1990-line"),
        ("ceasefire", "unknown", "ceasefire: ida-nord: no recorded position; sudria: immediate"),
        ("sanctions", "unknown", "sanctions: ida-nord: keep-sanctions; sudria: withdrew lift-first"),
        ("prisoners", "agree", "prisoners: ida-nord: all-for-all and sudria: all-for-all"),
    ]
    rows = {r.issue: r for r in d.rows}
    assert held(rows["sanctions"].a) == [("keep-sanctions", "2025-07-14", "2025-07-14", ["h3-nord-two-quotes"])]  # not River Front's
    assert held(rows["prisoners"].a) == [("all-for-all", "2025-04-05", "2025-04-05", ["memo-nord-rejects-phased"])]  # she signed nothing


def cells(m) -> list[tuple]:
    return [(r.issue, r.status, [(c.party, c.status, c.stances, c.evidence) for c in r.cells]) for r in m.rows]


def test_matrix():
    m = compare.matrix(KB)
    assert (m.parties, m.party_names) == (["norland", "sudria", "valmont"], ["Norland", "Sudria", "Valmont"])
    assert cells(m) == [
        ("border", "diverging", [
            ("norland", "held", ["ceasefire-line", "demilitarised-zone"], ["l1-nord-ceasefire-line", "h3-nord-two-quotes"]),
            ("sudria", "held", ["return-1990-line"], ["sudria-memorandum#border-line"]),
            ("valmont", "held", ["demilitarised-zone"], ["l2-valmont-demilitarised"]),
        ]),
        ("ceasefire", "converging", [
            ("norland", "held", ["immediate"], ["l2-joint-communique"]),
            ("sudria", "held", ["immediate"], ["l2-joint-communique"]),
            ("valmont", "unknown", [], []),
        ]),
        ("prisoners", "converging", [
            ("norland", "held", ["all-for-all"], ["harbour-agreement#all-for-all-exchange"]),
            ("sudria", "held", ["all-for-all"], ["harbour-agreement#all-for-all-exchange"]),
            ("valmont", "unknown", [], []),
        ]),
        ("sanctions", "diverging", [
            ("norland", "held", ["keep-sanctions"], ["h3-nord-two-quotes"]),
            ("sudria", "unknown", [], []),
            ("valmont", "contested", ["keep-sanctions", "lift-first"], ["l1-valmont-keep-sanctions", "l1-valmont-lift-first"]),
        ]),
    ]
    assert m.rows[0].cells[0].labels == ["Freeze along the ceasefire line", "Demilitarised zone either side"]


def test_matrix_as_of_april():
    m = compare.matrix(KB, date("2025-04-30"))
    assert [(r.issue, r.status, [c.stances for c in r.cells]) for r in m.rows] == [
        ("border", "diverging", [["ceasefire-line"], ["return-1990-line"], []]),
        ("ceasefire", "open", [[], ["after-deal"], []]),
        ("prisoners", "diverging", [["all-for-all"], ["phased"], []]),
        ("sanctions", "diverging", [[], ["lift-first"], ["keep-sanctions", "lift-first"]]),
    ]


def change_rows(report) -> list[tuple]:
    return [(c.holder, c.issue, c.kind, c.before, c.after, c.before_status, c.after_status, [(e.kind, e.id) for e in c.statements])
            for c in report.changes]


def test_changes_moved_by_a_memorandum():
    report = compare.changes(KB, date("2025-03-31"), date("2025-04-30"))
    assert change_rows(report) == [
        ("sudria", "border", "changed", ["ceasefire-line"], ["return-1990-line"], "held", "held", [("document", "sudria-memorandum#border-line")]),
        ("norland", "prisoners", "appeared", [], ["all-for-all"], "unknown", "held", [("statement", "memo-nord-rejects-phased")]),
        ("sudria", "prisoners", "appeared", [], ["phased"], "unknown", "held", [("document", "sudria-memorandum#phased-exchange")]),
    ]
    text = flat(out("diff", "--from", "2025-03-31", "--to", "2025-04-30"))
    assert "changed Sudria border: ceasefire-line → return-1990-line" in text
    assert "2025-04-02, Sudria's memorandum on a settlement, point border-line: The border returns to the line of 1990." in text


def test_changes_moved_by_an_agreement_and_a_withdrawal():
    report = compare.changes(KB, date("2025-06-30"), date("2025-07-31"))
    assert change_rows(report) == [
        ("sudria", "prisoners", "changed", ["phased"], ["all-for-all"], "held", "held", [("document", "harbour-agreement#all-for-all-exchange")]),
        ("norland", "sanctions", "appeared", [], ["keep-sanctions"], "unknown", "held", [("statement", "h3-nord-two-quotes")]),
        ("sudria", "sanctions", "disappeared", ["lift-first"], [], "held", "unknown", [("statement", "h3-sud-withdraws-lift-first")]),
    ]
    assert report.changes[1].statements[0].quote.text == Q_SANCTIONS


# --- 13. every command in every format ------------------------------------------------------------


@dataclass
class Case:
    args: list[str]
    result: Callable[[], object]  # the library's answer to the same question
    text: tuple[str, ...] = ()  # what the text output must show (white space made single)
    markdown: tuple[str, ...] = ()
    csv: tuple[str, ...] = ()  # cells the csv must hold somewhere
    csv_empty: bool = False  # csv has its header only (a person's card: csv lists positions held, and she holds none)

    def __str__(self) -> str:
        return " ".join(self.args)


APRIL = (date("2025-03-31"), date("2025-04-30"))

CASES = [
    Case(["positions", "border"], lambda: q.positions(KB, "border"),
         (HEADLINES["border"], "Freeze along the ceasefire line", "point border-line", Q_BORDER),
         (f"**{HEADLINES['border']}**", "ceasefire-line (Freeze along the ceasefire line)", "point border-line"),
         ("return-1990-line", "sudria-memorandum#border-line", "l1-nord-ceasefire-line; h3-nord-two-quotes")),
    Case(["positions", "sanctions"], lambda: q.positions(KB, "sanctions"),
         (HEADLINES["sanctions"], "contested: keep-sanctions", "Ida Nord on River Front's position", Q_SANCTIONS),
         (f"**{HEADLINES['sanctions']}**", "contested: keep-sanctions (Keep sanctions until withdrawal)", "Ida Nord on River Front's position"),
         ("contested", "keep-sanctions; lift-first", "l1-valmont-keep-sanctions; l1-valmont-lift-first")),
    Case(["positions", "prisoners"], lambda: q.positions(KB, "prisoners"),
         (HEADLINES["prisoners"], "Harbour agreement on prisoners, point all-for-all-exchange, 2025-07-15"),
         ("all-for-all (All-for-all exchange) | 2025-04-05 | Harbour agreement on prisoners, point all-for-all-exchange, 2025-07-15",),
         ("harbour-agreement#all-for-all-exchange",)),
    Case(["positions", "ceasefire"], lambda: q.positions(KB, "ceasefire"),
         (HEADLINES["ceasefire"], "joint statement (Norland and Sudria)"),
         ("joint statement (Norland and Sudria), 2025-05-21",), ("l2-joint-communique",)),
    Case(["positions", "border", "--as-of", "2025-03-31"], lambda: q.positions(KB, "border", date("2025-03-31")),
         ("as of 2025-03-31", "border: ceasefire-line (Norland, Sudria); no recorded position: Valmont"),
         ("**border: ceasefire-line (Norland, Sudria); no recorded position: Valmont**",), ("l1-sud-opening",)),
    Case(["diff", "norland", "sudria"], lambda: compare.diff_parties(KB, "norland", "sudria"),
         ("Norland vs Sudria", "Differ (1)", "border: norland: ceasefire-line + demilitarised-zone vs sudria: return-1990-line",
          "Agree (2)", "ceasefire: norland: immediate and sudria: immediate", "prisoners: norland: all-for-all and sudria: all-for-all",
          "Unknown on one side (1)", "sanctions: norland: keep-sanctions; sudria: withdrew lift-first",
          "Sudria: return-1990-line (Return to the 1990 line), since 2025-04-02. 2025-04-02, Sudria's memorandum on a settlement, point border-line"),
         ("## Norland vs Sudria", "| prisoners | agree | all-for-all |", "| ceasefire | agree | immediate |"),
         ("agree", "differ", "harbour-agreement#all-for-all-exchange", "sudria-memorandum#border-line")),
    Case(["diff", "ida-nord", "sudria"], lambda: compare.diff_parties(KB, "ida-nord", "sudria"),
         ("Ida Nord vs Sudria", "prisoners: ida-nord: all-for-all and sudria: all-for-all"),
         ("## Ida Nord vs Sudria",), ("memo-nord-rejects-phased",)),
    Case(["diff", "--from", "2025-03-31", "--to", "2025-04-30"], lambda: compare.changes(KB, *APRIL),
         ("Changes from 2025-03-31 to 2025-04-30", "changed Sudria border: ceasefire-line → return-1990-line",
          "appeared Sudria prisoners: (none) → phased", "point phased-exchange: Prisoners are exchanged in phases, by category."),
         ("| Sudria | border | changed | ceasefire-line | return-1990-line | 2025-04-02 Sudria's memorandum on a settlement, point border-line: The border returns to the line of 1990. |",),
         ("sudria-memorandum#border-line", "sudria-memorandum#phased-exchange", "appeared")),
    Case(["diff", "--from", "2025-06-30", "--to", "2025-07-31"], lambda: compare.changes(KB, date("2025-06-30"), date("2025-07-31")),
         ("changed Sudria prisoners: phased → all-for-all", "disappeared Sudria sanctions: lift-first → (none)",
          "Harbour agreement on prisoners, point all-for-all-exchange"),
         ("| Sudria | sanctions | disappeared | lift-first |",), ("harbour-agreement#all-for-all-exchange", "disappeared")),
    Case(["matrix"], lambda: compare.matrix(KB),
         ("Common ground", "border diverging", "ceasefire converging", "prisoners converging", "sanctions diverging", "? keep-sanctions",
          "Freeze along the ceasefire line"),
         ("| border | diverging | ceasefire-line + demilitarised-zone | return-1990-line | demilitarised-zone |",
          "| sanctions | diverging | keep-sanctions | — | contested: keep-sanctions / lift-first |",
          "- border: `ceasefire-line` Freeze along the ceasefire line"),
         ("ceasefire-line; demilitarised-zone", "contested: keep-sanctions; lift-first", "converging")),
    Case(["matrix", "--as-of", "2025-04-30"], lambda: compare.matrix(KB, date("2025-04-30")),
         ("Common ground as of 2025-04-30", "ceasefire open"), ("## Common ground as of 2025-04-30",), ("open", "phased")),
    Case(["timeline", "sanctions"], lambda: q.timeline(KB, issue="sanctions"),
         ("2025-07-16 × Sudria sanctions: lift-first → (withdrawn)", "? Valmont sanctions: lift-first", "× withdrawn"),
         ("| 2025-07-16 | Sudria | sanctions | lift-first → (withdrawn) | withdrawn |",), ("h3-sud-withdraws-lift-first", "withdrawn", "contested")),
    Case(["timeline", "sudria"], lambda: q.timeline(KB, actor="sudria"),
         ("◆ Sudria border: ceasefire-line → return-1990-line", "Sudria's memorandum on a settlement, point border-line",
          "◆ Sudria prisoners: phased → all-for-all", "joint statement (Norland and Sudria)"),
         ("| 2025-04-02 | Sudria | border | ceasefire-line → return-1990-line | changed | return-1990-line |",),
         ("sudria-memorandum#border-line", "harbour-agreement#all-for-all-exchange", "l2-joint-communique")),
    Case(["actor", "ida-nord"], lambda: q.actor_card(KB, "ida-nord"),
         ("Ida Nord", "Positions voiced", "River Front", "Foreign Minister (Norland)", Q_BORDER),
         ("### Positions voiced", "| River Front |"), ("issue,holder,holder_name",), csv_empty=True),
    Case(["actor", "sudria"], lambda: q.actor_card(KB, "sudria"),
         ("Positions held", "return-1990-line", "Harbour agreement on prisoners, point all-for-all-exchange", "jointly"),
         ("### Positions held", "return-1990-line (Return to the 1990 line)"), ("sudria", "return-1990-line", "harbour-agreement#all-for-all-exchange")),
    Case(["issue", "sanctions"], lambda: q.issue_card(KB, "sanctions"),
         ("Sanctions", "Sudria (2025-03-11 – 2025-07-16)", HEADLINES["sanctions"]),
         ("| `lift-first` | Lift sanctions before anything else | river-front, valmont | Sudria (2025-03-11 – 2025-07-16) |", f"**{HEADLINES['sanctions']}**"),
         ("river-front", "contested")),
    Case(["issue", "prisoners"], lambda: q.issue_card(KB, "prisoners"),
         ("Sudria (2025-04-02 – 2025-07-15)", "nobody now", HEADLINES["prisoners"]),
         ("| `phased` | Phased, by category |  | Sudria (2025-04-02 – 2025-07-15) |",), ("harbour-agreement#all-for-all-exchange",)),
    Case(["statements", "--actor", "sudria"], lambda: q.statements(KB, q.StatementFilter(actor="sudria")),
         ("3 statements", "Norland and Sudria jointly", "sanctions withdraws lift-first"),
         ("joint statement (Norland and Sudria)", "sanctions withdraws lift-first"), ("l2-joint-communique", "norland; sudria", "sanctions=lift-first")),
    Case(["actors"], lambda: q.actors_overview(KB), ("Ida Nord", "River Front", "Foreign Minister (Norland)"), ("| River Front | `river-front` |",),
         ("river-front",)),
]


@pytest.fixture(params=CASES, ids=str)
def case(request) -> Case:
    return request.param


def test_json_equals_the_library_result(case):
    assert json.loads(out(*case.args, "-f", "json")) == q.to_data(case.result())


def test_yaml_equals_the_library_result(case):
    from ruamel.yaml import YAML

    assert YAML(typ="safe", pure=True).load(out(*case.args, "-f", "yaml")) == q.to_data(case.result())


def test_text_shows_the_key_facts(case):
    text = out(*case.args)
    assert "\x1b[" not in text
    shown = flat(text)
    for fact in case.text:
        assert flat(fact) in shown, fact


def test_markdown_shows_the_key_facts(case):
    markdown = out(*case.args, "-f", "markdown")
    for fact in case.markdown:
        assert fact in markdown, fact


def test_csv_has_a_header_and_the_key_cells(case):
    text = out(*case.args, "-f", "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows and all(len(r) == len(rows[0]) for r in rows)
    assert (len(rows) == 1) == case.csv_empty
    for fact in case.csv:
        assert fact in text, fact


# --- 12. the statement index answers as a full load -------------------------------------------------


QUESTIONS = [
    ["positions", "border"], ["positions", "ceasefire"], ["positions", "prisoners"], ["positions", "sanctions"],
    ["positions", "sanctions", "--as-of", "2025-07-15"], ["positions", "ceasefire", "--as-of", "2025-05-20"],
    ["diff", "norland", "sudria"], ["diff", "sudria", "norland", "--issue", "ceasefire"], ["diff", "ida-nord", "sudria"],
    ["diff", "norland", "valmont"], ["diff", "river-front", "sudria"],
    ["matrix"], ["matrix", "--as-of", "2025-07-15"], ["matrix", "--parties", "sudria,valmont,ida-nord", "--issues", "sanctions"],
]


@pytest.mark.slow
@pytest.mark.parametrize("form", ["json", "text", "markdown", "csv"])
def test_the_index_answers_as_a_full_load(form, tmp_path, monkeypatch):
    kb = tmp_path / "data"
    shutil.copytree(CLAIMS, kb, ignore=shutil.ignore_patterns("README.md"))
    answered = []
    real = cache._with_statements

    def spy(*args, **kwargs):
        answered.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(cache, "_with_statements", spy)
    expected = {}
    for number, question in enumerate(QUESTIONS):
        monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / f"fresh-{number}"))
        expected[number] = out(*question, "-f", form, data=kb)  # a first run: a full load
    assert answered == []
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / "kept"))
    assert run("validate", data=kb).exit_code == 0  # fills the cache and the index
    for number, question in enumerate(QUESTIONS):
        assert out(*question, "-f", form, data=kb) == expected[number], question
        assert out(*question, "-f", form, data=kb) == expected[number], question  # warm, twice
    assert len(answered) == 2 * len(QUESTIONS)


def test_the_index_keeps_joint_parties_and_withdrawals(tmp_path):
    store = StatementIndex(tmp_path / "index.sqlite")
    store.sync(CLAIMS, cache.fingerprint(CLAIMS)["data"]["rounds"])
    [joint] = [s for s in store.taking_stances(["ceasefire"]) if s.id == "l2-joint-communique"]
    assert (joint.party_ids, joint.holders, joint.stances, joint.withdraws) == (["norland", "sudria"], ["norland", "sudria"], {"ceasefire": "immediate"}, {})
    [withdrawal] = [s for s in store.taking_stances(["sanctions"]) if s.id == "h3-sud-withdraws-lift-first"]
    assert (withdrawal.stances, withdrawal.withdraws, withdrawal.issues) == ({}, {"sanctions": "lift-first"}, ["sanctions"])
    by_sudria = {s.id for s in store.taking_stances(None, ["sudria"])}
    assert by_sudria == {"l1-sud-opening", "l2-joint-communique", "h3-sud-withdraws-lift-first"}
    assert "l2-joint-communique" in {s.id for s in store.taking_stances(None, ["norland"])}
    assert "l2-joint-communique" not in {s.id for s in store.taking_stances(None, ["valmont"])}
    assert {s.id for s in store.taking_stances(None, ["river-front"])} == {"l2-nord-reports-river-front"}
    # a statement in an events file is not in the index: the quick path reads the events in full
    assert "memo-nord-rejects-phased" not in {s.id for s in store.taking_stances(None)}
    store.close()


def test_the_index_follows_an_edit_to_a_joint_statement(tmp_path, monkeypatch):
    kb = tmp_path / "data"
    shutil.copytree(CLAIMS, kb)
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / "kept"))
    out("positions", "ceasefire", data=kb)
    path = kb / "rounds" / "lakeside-2025-05.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("parties: [norland, sudria]", "parties: [norland, valmont]"), encoding="utf-8")
    after = json.loads(out("positions", "ceasefire", "-f", "json", data=kb))
    [b] = after
    assert [(p["holder"], p["stances"]) for p in b["positions"]] == [("norland", ["immediate"]), ("valmont", ["immediate"]), ("sudria", ["after-deal"])]
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / "fresh"))
    assert json.loads(out("positions", "ceasefire", "-f", "json", data=kb)) == after


# --- invalid inputs are problems, reported at their place -----------------------------------------


def broken(tmp_path: Path, file: str, old: str, new: str) -> Path:
    root = tmp_path / "data"
    shutil.copytree(CLAIMS, root, ignore=shutil.ignore_patterns("README.md"))
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return root


JOINT = "rounds/lakeside-2025-05.yaml"
HARBOUR = "rounds/harbour-2025-07.yaml"
MEMORANDUM = "events/sudria-memorandum.yaml"

INVALID = {
    "party-and-parties": (JOINT, "    parties: [norland, sudria]\n", "    party: norland\n    parties: [norland, sudria]\n"),
    "one-party-in-parties": (JOINT, "    parties: [norland, sudria]\n", "    parties: [norland]\n"),
    "provision-stance-not-listed": (MEMORANDUM, "      border: return-1990-line\n", "      border: return-1990-line\n      prisoners: phased\n"),
    "unknown-withdrawn-stance": (HARBOUR, "    withdraws:\n      sanctions: lift-first\n", "    withdraws:\n      sanctions: lift-frist\n"),
    "quote-issue-not-listed": (HARBOUR, "        issues: [sanctions]\n", "        issues: [ceasefire]\n"),
    "document-without-holders": (MEMORANDUM, "authors: [sven-sud, sudria]\n", ""),
}


def problems_of(tmp_path: Path, case: str):
    root = broken(tmp_path, *INVALID[case])
    return root, load(root).problems


def test_a_statement_with_both_party_and_parties(tmp_path):
    root, problems = problems_of(tmp_path, "party-and-parties")
    assert [where(p, root) for p in problems] == [("invalid-value", JOINT, 44, 14)]  # at `parties`
    assert "either `party`" in problems[0].message and "not both" in problems[0].message


def test_parties_with_one_entry(tmp_path):
    root, problems = problems_of(tmp_path, "one-party-in-parties")
    assert [where(p, root) for p in problems] == [("invalid-value", JOINT, 43, 14)]  # at `parties`
    assert "for one party write `party`" in problems[0].message


def test_a_statement_with_neither_party_nor_parties(tmp_path, make_kb):
    root = make_kb({"rounds/r.yaml": "id: r\ntitle: R\nstart: 2025-01-01\nstatements:\n  - id: s\n    date: 2025-01-01\n"
                    "    attribution: paraphrase\n    issues: [x]\n    summary: S.\n"})
    [p] = [p for p in load(root).problems if p.code == "missing-field"]
    assert "needs `party`" in p.message and p.path[-1] == "id" and (p.line, p.column) == (5, 5)


def test_a_provision_stance_on_an_issue_it_does_not_list(tmp_path):
    root, problems = problems_of(tmp_path, "provision-stance-not-listed")
    assert [where(p, root) for p in problems] == [("stance-issue-not-listed", MEMORANDUM, 12, 7)]
    assert "`prisoners`" in problems[0].message and "this provision's `issues`" in problems[0].message


def test_an_unknown_stance_in_withdraws(tmp_path):
    root, problems = problems_of(tmp_path, "unknown-withdrawn-stance")
    assert [where(p, root) for p in problems] == [("unknown-stance", HARBOUR, 48, 18)]
    assert "did you mean `lift-first`?" in problems[0].message


def test_a_quote_bearing_on_an_issue_the_statement_does_not_list(tmp_path):
    root, problems = problems_of(tmp_path, "quote-issue-not-listed")
    assert [where(p, root) for p in problems] == [("stance-issue-not-listed", HARBOUR, 37, 18)]
    assert "`ceasefire`" in problems[0].message


def test_a_document_taking_stances_with_no_one_to_hold_them(tmp_path):
    root, problems = problems_of(tmp_path, "document-without-holders")
    assert [where(p, root) for p in problems] == [("missing-field", MEMORANDUM, 1, 1)]
    assert "names no `authors` (or `signatories`, or `parties`)" in problems[0].message


def test_an_agreement_without_signatories_is_held_by_its_authors(tmp_path):
    root = broken(tmp_path, "events/harbour-agreement.yaml", "signatories: [norland, sudria]\n", "")
    result = load(root)
    assert result.problems == []
    holders = {p.holder: p.stances for p in q.positions(result.kb, "prisoners")[0].positions}
    assert holders == {"norland": ["all-for-all"], "sudria": ["phased"], "valmont": ["all-for-all"]}


@pytest.mark.parametrize("case", INVALID)
def test_validate_reports_each_at_file_line_and_column_without_a_traceback(case, tmp_path):
    root, problems = problems_of(tmp_path, case)
    result = run("validate", data=root)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    [problem] = problems
    file = Path(problem.file).relative_to(root).as_posix()
    assert f"{file}:{problem.line}:{problem.column}" in result.output.replace("\\", "/")
    assert problem.code in result.output


# --- issues whose stances do not last -------------------------------------------------------------


def _claim(ident: str, when: str, stance: str | None = None, withdraws: str | None = None):
    from types import SimpleNamespace

    return SimpleNamespace(id=ident, date=date(when), stances={"talks": stance} if stance else {},
                           withdraws={"talks": withdraws} if withdraws else {})


def test_on_an_issue_that_does_not_last_only_the_latest_word_counts():
    from peacekb.claims import track
    from peacekb.models import Issue

    stances = [{"id": s, "label": s} for s in ("progress", "stalling", "continue")]
    groups = [["progress", "stalling", "continue"]]
    claims = [_claim("a", "2025-01-10", "progress"), _claim("b", "2025-02-01", "continue"),
              _claim("c", "2025-03", "stalling"), _claim("d", "2025-03-15", "continue")]
    lasting = track(Issue(id="talks", title="Talks", stances=stances, compatible=groups), "talks", claims)
    assert [h.stance for h in lasting.stances()] == ["progress", "continue", "stalling"]  # compatible: all stand, oldest first
    moment = track(Issue(id="talks", title="Talks", stances=stances, compatible=groups, lasting=False), "talks", claims)
    # `continue` (15 March) may be as recent as `stalling` (March): both are the latest word
    assert [(h.stance, str(h.since)) for h in moment.stances()] == [("stalling", "2025-03"), ("continue", "2025-03-15")]
    assert [(h.stance, str(h.until), h.dropped_by.id) for h in moment.past] == [("progress", "2025-02-01", "b"), ("continue", "2025-03", "c")]
    assert not moment.contested  # the latest stances are compatible


# --- a claim known only to have been made by a date (`../END`) -------------------------------------

OPEN_KB = {
    "issues/sequencing.yaml": """
        id: sequencing
        title: Sequencing
        stances:
          - id: guarantees-first
            label: Guarantees first
          - id: territory-first
            label: Territory first
    """,
    "rounds/talks.yaml": """
        id: talks
        title: Talks
        start: 2026-02-17
        delegations:
          - party: ukraine
          - party: russia
        statements:
          - id: ua-territory-first
            date: 2025-11-20
            party: ukraine
            attribution: reported
            issues: [sequencing]
            stances: {sequencing: territory-first}
            summary: Ukraine would talk territory first.
            sources: [article]
          - id: ua-guarantees-first-by
            date: ../2026-02-18
            party: ukraine
            attribution: reported
            issues: [sequencing]
            stances: {sequencing: guarantees-first}
            summary: An undated remark, reported on 18 February.
            sources: [article]
          - id: ru-guarantees-first
            date: 2025-12-01
            party: russia
            attribution: reported
            issues: [sequencing]
            stances: {sequencing: guarantees-first}
            summary: Russia, in December.
            sources: [article]
          - id: ru-guarantees-first-by
            date: ../2026-02-18
            party: russia
            attribution: reported
            issues: [sequencing]
            stances: {sequencing: guarantees-first}
            summary: Russia, an undated remark reported on 18 February.
            sources: [article]
          - id: ua-territory-first-again
            date: 2026-03-01
            party: ukraine
            attribution: reported
            issues: [sequencing]
            stances: {sequencing: territory-first}
            summary: Ukraine, in March.
            sources: [article]
    """,
}


@pytest.fixture
def open_kb(make_kb):
    root = make_kb(OPEN_KB)
    result = load(root)
    assert result.problems == []
    return root, result.kb


def _at(kb, holder: str, as_of: str | None) -> q.Position:
    [b] = q.positions(kb, "sequencing", date(as_of) if as_of else None)
    [p] = [p for p in b.positions if p.holder == holder]
    return p


def test_an_open_start_counts_from_its_end_on(open_kb):
    _, kb = open_kb
    # before 18 February it is not known to have been said: Ukraine holds what it said in November
    for before in ("2026-02-17", "2026-01", "2025-12-31"):
        p = _at(kb, "ukraine", before)
        assert (p.status, held(p)) == ("held", [("territory-first", "2025-11-20", "2025-11-20", ["ua-territory-first"])]), before
    # from 18 February on it is: it may have been said before November as well as after, so it drops
    # nothing said by then, and the position is contested
    for after in ("2026-02-18", "2026-02", "2026-02-28"):
        p = _at(kb, "ukraine", after)
        assert (p.status, [(h.stance, h.since) for h in p.held]) == (
            "contested", [("territory-first", "2025-11-20"), ("guarantees-first", "../2026-02-18")]), after


def test_only_a_claim_after_its_end_drops_it(open_kb):
    _, kb = open_kb
    p = _at(kb, "ukraine", None)
    assert (p.status, p.stances) == ("held", ["territory-first"])
    assert past(p) == [("guarantees-first", "../2026-02-18", "2026-03-01", "ua-territory-first-again")]


def test_a_dated_voicing_before_it_gives_the_since(open_kb):
    """Said in December and again by 18 February: held since December, last voiced by 18 February."""
    _, kb = open_kb
    assert held(_at(kb, "russia", None)) == [
        ("guarantees-first", "2025-12-01", "../2026-02-18", ["ru-guarantees-first-by"]),
    ]
    assert held(_at(kb, "russia", "2026-02-17")) == [("guarantees-first", "2025-12-01", "2025-12-01", ["ru-guarantees-first"])]


def test_statements_sort_an_open_start_by_its_end_and_windows_find_it_before(open_kb):
    _, kb = open_kb

    def ids(since: str | None = None, until: str | None = None) -> list[str]:
        where = q.StatementFilter(since=date(since) if since else None, until=date(until) if until else None)
        return [e.id for e in q.statements(kb, where)]

    assert ids() == ["ua-territory-first", "ru-guarantees-first", "ru-guarantees-first-by", "ua-guarantees-first-by",
                     "ua-territory-first-again"]
    by = {"ru-guarantees-first-by", "ua-guarantees-first-by"}
    assert by <= set(ids(until="2026-02-18")) and not by & set(ids(until="2026-02-17"))
    # it may have been said any time before its end: a window opening by then finds it
    assert by <= set(ids(since="2020")) and by <= set(ids(since="2026-02-18"))
    assert not by & set(ids(since="2026-02-19"))
    # but a window closing before its end does not, though it may have been said in it
    assert not by & set(ids(since="2025-01", until="2025-12"))


def test_text_reads_an_open_start_as_by_its_end_and_json_keeps_it(open_kb):
    root, kb = open_kb
    text = flat(out("positions", "sequencing", "--as-of", "2026-02-20", "--color", "never", data=root))
    assert "guarantees-first by 2026-02-18 (Ukraine), by 2026-02-18:" in text and "../" not in text
    data = json.loads(out("positions", "sequencing", "--as-of", "2026-02-20", "-f", "json", data=root))
    assert data == json.loads(json.dumps(q.to_data(q.positions(kb, "sequencing", date("2026-02-20")))))
    [ukraine] = [p for p in data[0]["positions"] if p["holder"] == "ukraine"]
    assert [(h["stance"], h["since"]) for h in ukraine["held"]] == [("territory-first", "2025-11-20"), ("guarantees-first", "../2026-02-18")]
    assert "by 2026-02-18" in out("statements", "--holder", "russia", "--color", "never", data=root)
    assert "| by 2026-02-18 |" in out("statements", "--holder", "russia", "-f", "markdown", data=root)
    assert "../2026-02-18" in out("statements", "--holder", "russia", "-f", "csv", data=root)


# --- a claim known only to have been made on or after a date (`START/..`) -------------------------

OPEN_END_KB = {
    "issues/sequencing.yaml": OPEN_KB["issues/sequencing.yaml"],
    "rounds/talks.yaml": """
        id: talks
        title: Talks
        start: 2026-02-17
        delegations:
          - party: ukraine
        statements:
          - id: ua-territory-first
            date: 2025-11-20
            party: ukraine
            attribution: reported
            issues: [sequencing]
            stances: {sequencing: territory-first}
            summary: Ukraine would talk territory first.
            sources: [article]
          - id: ua-guarantees-first-after
            date: 2026-02-18/..
            party: ukraine
            attribution: reported
            issues: [sequencing]
            stances: {sequencing: guarantees-first}
            summary: A remark known only to come after 18 February.
            sources: [article]
          - id: ua-territory-first-march
            date: 2026-03-01
            party: ukraine
            attribution: reported
            issues: [sequencing]
            stances: {sequencing: territory-first}
            summary: Ukraine, in March.
            sources: [article]
    """,
}


def test_an_open_end_counts_from_its_start_and_nothing_later_drops_it(make_kb):
    result = load(make_kb({**OPEN_END_KB, "sources/article.yaml": "id: article\ntitle: An article\n"}))
    assert [p for p in result.problems if p.severity == "error"] == []
    kb = result.kb
    # before 18 February it had not happened
    assert _at(kb, "ukraine", "2026-02-17").stances == ["territory-first"]
    # from 18 February on it counts: it drops what was said strictly before (November) ...
    p = _at(kb, "ukraine", "2026-02-18")
    assert (p.status, p.stances) == ("held", ["guarantees-first"])
    assert past(p) == [("territory-first", "2025-11-20", "2026-02-18/..", "ua-guarantees-first-after")]
    # ... and, as it may have been said any day after, the March remark does not drop it: contested
    p = _at(kb, "ukraine", None)
    assert (p.status, sorted(p.stances)) == ("contested", ["guarantees-first", "territory-first"])


def test_windows_find_an_open_end_from_its_start_on(make_kb):
    kb = load(make_kb({**OPEN_END_KB, "sources/article.yaml": "id: article\ntitle: An article\n"})).kb

    def ids(since: str | None = None, until: str | None = None) -> list[str]:
        where = q.StatementFilter(since=date(since) if since else None, until=date(until) if until else None)
        return [e.id for e in q.statements(kb, where)]

    assert "ua-guarantees-first-after" in ids(until="2026-02-18") and "ua-guarantees-first-after" not in ids(until="2026-02-17")
    # it may have been said any day after its start: every window opening later still finds it
    assert "ua-guarantees-first-after" in ids(since="2030")
    # a cut is a day: an open end is refused as --as-of
    with pytest.raises(ValueError, match="no last day to cut at"):
        q.parse_as_of("2026/..")
