"""Agreements and votes, on tests/fixtures/agreements (an invented process, see its README).

The story: partial agreements on land (2013-05-26), participation (2013-11-06) and drugs
(2014-05-16) under "nothing is agreed until everything is agreed"; a final agreement agreed ad
referendum (2016-08-24) that supersedes them, signed (2016-09-26), rejected by a plebiscite
(2016-10-02); a revised agreement superseding it (2016-11-24), ratified by a vote of Congress
(2016-11-30), partly implemented at some time after the start of 2018 (`2018/..`).
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from conftest import FIXTURES, flat
from peacekb import agreements as a
from peacekb.cli import app
from peacekb.dates import FuzzyDate
from peacekb.loader import load
from peacekb.queries import to_data

AGREEMENTS = FIXTURES / "agreements"
KB = load(AGREEMENTS).kb
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [*args, "--data", str(AGREEMENTS)])


def date(text: str | None) -> FuzzyDate | None:
    return FuzzyDate.parse(text) if text else None


def test_the_fixture_is_clean_and_formatted():
    result = load(AGREEMENTS)
    assert result.problems == []
    assert run("validate", "--strict").exit_code == 0
    assert run("fmt", "--check").exit_code == 0


def known(as_of: str | None) -> dict[str, tuple[str, list[tuple[str, str | None, str | None]]]]:
    """Per agenda point: its state and (agreement, status, since) of every agreement on it."""
    return {
        p.issue: (p.state, [(c.agreement.id, c.status.status if c.status else None, c.status.date if c.status else None) for c in p.agreements])
        for p in a.agreements(KB, as_of=date(as_of))
    }


LAND, PARTICIPATION, DRUGS = "land-agreement", "participation-agreement", "drugs-agreement"
FINAL, REVISED = "final-agreement", "revised-agreement"


def test_agreements_at_five_dates_give_the_known_status_of_each_point():
    # 1. one partial agreement, conditional: nothing is agreed until everything is
    assert known("2013-06-01") == {"land": ("pending", [(LAND, "conditional", "2013-05-26")])}
    # 2. three partial agreements, each conditional; victims not yet agreed at all
    assert known("2014-06-01") == {
        "drugs": ("pending", [(DRUGS, "conditional", "2014-05-16")]),
        "land": ("pending", [(LAND, "conditional", "2013-05-26")]),
        "participation": ("pending", [(PARTICIPATION, "conditional", "2013-11-06")]),
    }
    # 3. the final agreement is signed; the partial texts are superseded by it
    at_signing = known("2016-09-30")
    assert at_signing["land"] == ("in-force", [(LAND, "superseded", "2016-08-24"), (FINAL, "signed", "2016-09-26")])
    assert at_signing["victims"] == ("in-force", [(FINAL, "signed", "2016-09-26")])
    assert {state for state, _ in at_signing.values()} == {"in-force"}
    # 4. the plebiscite rejected it: nothing is in force on any point
    after_vote = known("2016-10-15")
    assert {state for state, _ in after_vote.values()} == {"void"} and set(after_vote) == {"land", "participation", "drugs", "victims"}
    assert after_vote["victims"] == ("void", [(FINAL, "rejected", "2016-10-02")])
    # 5. the revised agreement, ratified by Congress, supersedes the rejected one
    ratified = known("2016-12-15")
    assert ratified["victims"] == ("in-force", [(FINAL, "superseded", "2016-11-24"), (REVISED, "ratified", "2016-11-30")])
    assert ratified["land"][1][-1] == (REVISED, "ratified", "2016-11-30")


def test_the_rejection_names_the_vote_and_its_figures():
    [point] = a.agreements(KB, "victims", date("2016-10-15"))
    [row] = point.agreements
    assert [r.id for r in row.status.by] == ["arland-electorate"]
    vote = row.status.vote
    assert (vote.id, vote.ballot, vote.results["yes"], vote.results["no"], vote.results["turnout"]) == ("plebiscite", "referendum", 4211530, 4265872, 37.4)
    assert vote.disputed == ["turnout"] and [v["value"] for v in vote.disputes[0].versions] == [37.4, 38.1]
    assert row.status.sources == ["electoral-board"]


def test_an_open_ended_status_counts_from_its_start():
    # `partly-implemented` is dated `2018/..`: known only to be on or after the start of 2018
    assert a.agreement_card(KB, REVISED, date("2017-12-31")).status.status == "ratified"
    for as_of in ("2018-01-01", "2019", None):
        card = a.agreement_card(KB, REVISED, date(as_of))
        assert (card.status.status, card.status.date, card.state) == ("partly-implemented", "2018/..", "in-force"), as_of


def test_open_ended_statements_about_an_agreement_are_cut_at_their_known_bound():
    def about(as_of: str | None) -> list[str]:
        return [e.id for e in a.agreement_card(KB, FINAL, date(as_of)).statements]

    # `../2016-10-02` (before the vote) counts from its end, `2016-10-02/..` (after it) from its start
    assert about("2016-10-01") == []
    assert about("2016-10-02") == ["front-before-the-vote", "arland-after-the-vote"]
    assert about(None) == ["front-before-the-vote", "arland-after-the-vote"]


def test_an_agreement_card_lists_parties_roles_history_and_what_it_supersedes():
    card = a.agreement_card(KB, FINAL)
    assert [(p.party.id, p.standing, p.date) for p in card.parties] == [
        ("arland", "negotiated", "2016-08-24"), ("front", "negotiated", "2016-08-24"),
        ("arland", "signed", "2016-09-26"), ("front", "signed", "2016-09-26"),
    ]
    assert [(t.actor.id, t.role) for t in card.third_parties] == [("isla", "guarantor"), ("norland", "guarantor"), ("vesta", "accompanying"), ("andina", "witness")]
    assert [s.status for s in card.history] == ["agreed-ad-referendum", "signed", "rejected", "superseded"]
    assert card.status.superseded_by.id == REVISED and card.state == "void"
    assert [r.id for r in card.supersedes] == [LAND, PARTICIPATION, DRUGS]
    assert [v.id for v in card.votes] == ["plebiscite"]
    # as it stood before the vote
    before = a.agreement_card(KB, FINAL, date("2016-09-30"))
    assert ([s.status for s in before.history], before.state, before.votes) == (["agreed-ad-referendum", "signed"], "in-force", [])


def test_an_agreements_parties_hold_its_stances():
    from peacekb import queries as q

    [block] = q.positions(KB, "land", date("2014"))
    assert {(p.holder, tuple(p.stances)) for p in block.positions if p.stances} == {("arland", ("land-fund",)), ("front", ("land-fund",))}


# --- the commands ---------------------------------------------------------------------------------


@pytest.mark.parametrize("args, result", [
    (("agreements", "--as-of", "2016-10-15"), lambda: a.agreements(KB, None, date("2016-10-15"))),
    (("agreements", "--issue", "Rural reform"), lambda: a.agreements(KB, "land")),
    (("agreement", "revised-agreement", "--as-of", "2017"), lambda: a.agreement_card(KB, REVISED, date("2017"))),
])
def test_json_and_yaml_are_the_librarys_result(args, result):
    out = run(*args, "--format", "json")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == to_data(result())
    out = run(*args, "--format", "yaml")
    assert YAML(typ="safe").load(out.stdout) == to_data(result())


def test_agreements_text_shows_status_since_when_by_whom_with_sources():
    out = run("agreements", "--as-of", "2016-10-15", "--issue", "victims")
    assert out.exit_code == 0, out.output
    text = flat(out.stdout)
    assert "Victims and justice victims void" in text
    assert ("Final Agreement to End the Conflict final-agreement: rejected since 2016-10-02 by The voters of Arland, "
            "in the vote Plebiscite on the final agreement (plebiscite) [1]") in text
    assert "- A special jurisdiction for peace and a truth commission. [2]" in text
    assert "[1] electoral-board Electoral board bulletin" in text


def test_agreements_csv_has_a_row_per_point_and_agreement():
    out = run("agreements", "--as-of", "2014-06-01", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["issue"], r["agreement"], r["status"], r["since"]) for r in rows] == [
        ("drugs", DRUGS, "conditional", "2014-05-16"), ("land", LAND, "conditional", "2013-05-26"),
        ("participation", PARTICIPATION, "conditional", "2013-11-06"),
    ]
    assert rows[1]["parties"] == "arland=negotiated; front=negotiated"
    # an agenda point asked for and never agreed has its row
    out = run("agreements", "--issue", "agenda", "--as-of", "2013-06-01", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["issue"], r["point_state"], r["agreement"]) for r in rows] == [
        ("agenda", "none", ""), ("drugs", "none", ""), ("land", "pending", LAND), ("participation", "none", ""), ("victims", "none", "")]


def test_the_agreement_card_renders_guarantors_votes_and_statements():
    out = run("agreement", "final-agreement")
    assert out.exit_code == 0, out.output
    text = flat(out.stdout)
    assert "guarantors Isla, Norland" in text and "accompanying Vesta" in text and "witness Andina" in text
    assert "2016-10-02 rejected by The voters of Arland, in the vote Plebiscite on the final agreement (plebiscite) [3]" in text
    assert "yes 4,211,530 · no 4,265,872 · blank 61,204 · invalid 98,117 · electorate 23,090,127 · turnout 37.4% (disputed)" in text
    assert "results.turnout is disputed: 37.4 percent [3]; 38.1 percent, counting ballots abroad [5]" in text
    assert "by 2016-10-02 Arland Liberation Front (reported): The Front said, before the vote" in text
    assert "after 2016-10-02 Republic of Arland (paraphrase)" in text
    md = run("agreement", "final-agreement", "--format", "markdown").stdout
    assert "- **guarantors**: Isla, Norland" in md and "- **witness**: Andina" in md
    assert "| 2016-11-24 | superseded by Revised Final Agreement (revised-agreement) | [4] |" in md
    rows = list(csv.DictReader(io.StringIO(run("agreement", "final-agreement", "--format", "csv").stdout)))
    assert ("third-party", "guarantor", "isla") in {(r["section"], r["what"], r["by"]) for r in rows}
    assert ("vote", "turnout", "37.4") in {(r["section"], r["what"], r["detail"]) for r in rows}


def test_agreements_markdown_is_a_table_with_sources():
    md = run("agreements", "--as-of", "2013-06-01", "--format", "markdown").stdout
    assert md.startswith("| agenda point | state | agreement | status | what is agreed |")
    assert "| Rural reform | agreed, pending | Partial agreement on rural reform `land-agreement` | conditional since 2013-05-26 [1] |" in md
    assert "Sources: [1] `communique-land`" in md


@pytest.mark.parametrize("args, message", [
    (("agreement", "plebiscite"), "`plebiscite` is an event of kind `vote`, not an agreement"),
    (("agreement", "no-such-thing"), "no event matches `no-such-thing`"),
    (("agreements", "--as-of", "2016/.."), "no last day to cut at"),
    (("agreements", "--issue", "nowhere"), "no issue matches"),
])
def test_usage_errors(args, message):
    out = run(*args)
    assert out.exit_code == 2
    assert message in flat(out.stderr)


def test_nothing_agreed_before_the_first_agreement():
    assert a.agreements(KB, None, date("2012")) == []
    out = run("agreements", "--as-of", "2012")
    assert out.exit_code == 0 and "No agreement on record." in out.stdout


# --- third parties on rounds ----------------------------------------------------------------------


def test_a_rounds_mediators_read_as_the_role_mediator():
    assert [(t.actor, t.role) for t in KB.rounds["oslo-opening"].roles] == [("norland", "mediator")]
    assert ("isla", "guarantor") in {(t.actor, t.role) for t in KB.rounds["havana-talks"].roles}


def test_rename_follows_the_new_references(tmp_path):
    import shutil

    root = tmp_path / "kb"
    shutil.copytree(AGREEMENTS, root)
    for old, new, kind in (("isla", "isla-republic", "actor"), ("plebiscite", "plebiscite-2016", "event"), ("revised-agreement", "revised-final", "event")):
        out = runner.invoke(app, ["rename", kind, old, new, "--data", str(root)])
        assert out.exit_code == 0, out.output
    kb = load(root)
    assert kb.problems == []
    final = kb.kb.events[FINAL]
    assert ("isla-republic", "guarantor") in {(t.actor, t.role) for t in final.third_parties}
    assert [c.vote for c in final.history if c.vote] == ["plebiscite-2016"]
    assert [c.superseded_by for c in final.history if c.superseded_by] == ["revised-final"]
    assert "isla-republic" in {t.actor for t in kb.kb.rounds["havana-talks"].third_parties}


def test_the_round_card_renders_third_parties_by_role():
    from peacekb import queries as q

    card = q.round_card(KB, "havana-talks")
    assert [(t.actor.id, t.role) for t in card.third_parties][:2] == [("isla", "guarantor"), ("norland", "guarantor")]
    text = flat(run("round", "havana-talks").stdout)
    assert "guarantors Isla, Norland" in text and "host Isla" in text and "accompanying Vesta, Andina" in text
    md = run("round", "havana-talks", "--format", "markdown").stdout
    assert "| guarantors | Isla, Norland |" in md
    # the `mediators` shorthand is the role mediator
    opening = q.round_card(KB, "oslo-opening")
    assert ([m.id for m in opening.mediators], [(t.actor.id, t.role) for t in opening.third_parties]) == (["norland"], [("norland", "mediator")])
    assert "mediator Norland" in flat(run("round", "oslo-opening").stdout)


# --- peacekb new ----------------------------------------------------------------------------------


def test_new_records_an_agreement_its_parties_roles_history_and_a_vote(tmp_path):
    import shutil

    root = tmp_path / "kb"
    shutil.copytree(AGREEMENTS, root)

    def new(*args: str) -> None:
        out = runner.invoke(app, ["new", *args, "--data", str(root)])
        assert out.exit_code == 0, out.output

    new("event", "--title", "Referendum on the peace deal", "--kind", "vote", "--date", "2017-03-05", "--ballot", "referendum",
        "--question", "Do you approve?", "--results", "yes=10,no=5,turnout=51.5,sources=electoral-board", "--source", "electoral-board")
    new("event", "--title", "Peace deal", "--kind", "agreement", "--date", "2017-02-01", "--source", "final-text",
        "--party", "party=arland,standing=signed,sources=final-text", "--third-party", "actor=isla,role=guarantor",
        "--history", "status=signed,date=2017-02-01,by=arland,sources=final-text")
    new("history", "peace-deal", "--status", "rejected", "--date", "2017-03-05", "--vote", "referendum-on-the-peace-deal", "--source", "electoral-board")
    new("party", "peace-deal", "--party", "front", "--standing", "withdrew", "--date", "2017-03-06")
    new("third-party", "peace-deal", "--actor", "vesta", "--role", "observer")
    result = load(root)
    assert result.problems == []
    deal = result.kb.events["peace-deal"]
    assert [(c.status, c.vote) for c in deal.history] == [("signed", None), ("rejected", "referendum-on-the-peace-deal")]
    assert [(p.party, p.standing) for p in deal.parties] == [("arland", "signed"), ("front", "withdrew")]
    assert [(t.actor, t.role) for t in deal.third_parties] == [("isla", "guarantor"), ("vesta", "observer")]
    vote = result.kb.events["referendum-on-the-peace-deal"]
    assert (vote.results.yes, vote.results.no, vote.results.turnout, vote.ballot) == (10, 5, 51.5, "referendum")
    card = a.agreement_card(result.kb, "peace-deal")
    assert (card.state, card.votes[0].results) == ("void", {"yes": 10, "no": 5, "turnout": 51.5})


def test_new_refuses_a_status_change_that_does_not_fit(tmp_path):
    import shutil

    root = tmp_path / "kb"
    shutil.copytree(AGREEMENTS, root)
    before = (root / "events" / "final-agreement.yaml").read_bytes()
    out = runner.invoke(app, ["new", "history", "final-agreement", "--status", "superseded", "--date", "2017", "--source", "final-text", "--data", str(root)])
    assert out.exit_code != 0 and "superseded_by" in flat(out.output)
    assert (root / "events" / "final-agreement.yaml").read_bytes() == before


def test_the_event_card_shows_an_agreements_status_and_a_votes_figures():
    from peacekb import queries as q

    card = q.event_card(KB, FINAL)
    assert (card.status, card.status_date, card.results) == ("superseded", "2016-11-24", {})
    assert "status superseded since 2016-11-24; its history: peacekb agreement final-agreement" in flat(run("event", FINAL).stdout)
    vote = q.event_card(KB, "congress-vote")
    assert (vote.status, vote.question, vote.results) == (None, "Does Congress endorse the revised final agreement?", {"yes": 205, "no": 0, "abstained": 3})
    assert "results yes 205 · no 0 · abstained 3" in flat(run("event", "congress-vote").stdout)
    assert json.loads(run("event", "congress-vote", "--format", "json").stdout) == to_data(vote)


# --- the matrix marks what is agreed ------------------------------------------------------------------


def agreed_rows(as_of: str | None) -> dict[str, list[str]]:
    from peacekb.compare import matrix

    return {r.issue: r.agreements for r in matrix(KB, as_of=date(as_of)).rows if r.status == "agreed"}


def test_the_matrix_marks_a_point_agreed_only_while_an_agreement_in_force_covers_it():
    assert agreed_rows("2014-06-01") == {}  # conditional: nothing is agreed until everything is
    assert agreed_rows("2016-09-30") == {p: [FINAL] for p in ("land", "participation", "drugs", "victims")}
    assert agreed_rows("2016-10-15") == {}  # rejected by the plebiscite
    assert agreed_rows("2016-12-15") == {p: [REVISED] for p in ("land", "participation", "drugs", "victims")}


def test_the_matrix_names_the_agreements_in_every_format():
    text = run("matrix", "--as-of", "2016-12-15").stdout
    assert "agreed: an agreement in force binds" in text and "land: revised-agreement" in flat(text)
    header, *rows = list(csv.reader(io.StringIO(run("matrix", "--as-of", "2016-12-15", "-f", "csv").stdout)))
    assert header[-1] == "agreements" and ["victims", "agreed"] == rows[-1][:2] and rows[-1][-1] == REVISED
    data = json.loads(run("matrix", "--as-of", "2016-10-15", "-f", "json").stdout)
    assert {r["status"] for r in data["rows"]} <= {"converging", "diverging", "open"} and all(r["agreements"] == [] for r in data["rows"])


def test_the_card_of_an_agreement_without_a_status_says_so_once_and_shows_its_disputes_gaps_and_note(tmp_path):
    import shutil

    root = tmp_path / "kb"
    shutil.copytree(AGREEMENTS, root)
    (root / "events" / "truce.yaml").write_text(
        "id: truce\ntitle: Holiday truce\nkind: agreement\ndate: 2015-12-20\nissues: [victims]\n"
        "parties:\n  - party: arland\n    standing: negotiated\n  - party: front\n    standing: negotiated\n"
        "sources: [communique-land]\n"
        "disputes:\n  - id: length\n    field: date\n    summary: How long the truce was to last.\n    versions:\n"
        "      - says: Three days.\n        sources: [communique-land]\n      - says: A week.\n        sources: [final-text]\n"
        "not_found:\n  - Whether the truce held.\nnote: Agreed by telephone.\n",
        encoding="utf-8",
    )
    args = ["agreement", "truce", "--data", str(root)]
    text = runner.invoke(app, args, env={"COLUMNS": "100"}).stdout
    assert text.count("no status recorded") == 1
    assert "Disputed" in text and "– Three days. (communique-land)" in text and "– A week. (final-text)" in text
    assert "• Whether the truce held." in text and "Agreed by telephone." in text
    md = runner.invoke(app, [*args, "-f", "markdown"]).stdout
    assert "- **status**: no status recorded\n" in md
    assert "#### Disputed" in md and "#### Not found in the sources" in md and "#### Note" in md
    data = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    assert (data["status"], data["not_found"], data["note"]) == (None, ["Whether the truce held."], "Agreed by telephone.")


def test_history_notes_wrap_under_their_status():
    text = runner.invoke(app, ["agreement", FINAL, "--data", str(AGREEMENTS)], env={"COLUMNS": "60"}).stdout
    history = text.split("History\n", 1)[1].splitlines()
    dated = [n for n, line in enumerate(history) if line[:4] == "  20"]
    column = history[dated[0]].index(history[dated[0]].split()[1])
    between = [line for line in history[dated[0]:dated[-1]] if not line.startswith("  20")]
    assert between and all(line[:column].strip() == "" and line[column] != " " for line in between)


# --- agreements in the timeline, the changes between two moments, and the cards ------------------------


def test_the_timeline_of_a_point_reports_each_agreement_step_by_date_with_its_sources():
    entries = json.loads(run("timeline", "victims", "-f", "json").stdout)
    steps = [(e["date"], e["agreement"]["id"], e["status"]) for e in entries if e["change"] == "agreement"]
    assert steps == [
        ("2016-08-24", FINAL, "agreed-ad-referendum"), ("2016-09-26", FINAL, "signed"), ("2016-10-02", FINAL, "rejected"),
        ("2016-11-12", REVISED, "agreed-ad-referendum"), ("2016-11-24", FINAL, "superseded"), ("2016-11-24", REVISED, "signed"),
        ("2016-11-30", REVISED, "ratified"), ("2018/..", REVISED, "partly-implemented"),
    ]
    rejected = next(e for e in entries if e.get("status") == "rejected")
    assert rejected["vote"]["id"] == "plebiscite" and rejected["sources"] == ["electoral-board"]
    text = flat(run("timeline", "victims").stdout)
    assert "▣ Final Agreement to End the Conflict rejected by The voters of Arland, in the vote Plebiscite" in text


def test_the_timeline_puts_agreement_steps_among_the_positions_in_date_order():
    entries = json.loads(run("timeline", "arland", "-f", "json").stdout)
    keys = [FuzzyDate.parse(e["date"]).sort_key() for e in entries]
    assert keys == sorted(keys) and {e["change"] for e in entries} > {"agreement"}
    # an actor's timeline has the agreements it takes part in, and no others
    involved = {e["agreement"]["id"] for e in entries if e["change"] == "agreement"}
    assert involved == {LAND, PARTICIPATION, DRUGS, FINAL, REVISED}
    header, *rows = list(csv.reader(io.StringIO(run("timeline", "arland", "-f", "csv").stdout)))
    assert [r[header.index("evidence.id")] for r in rows if r[header.index("change")] == "agreement"][:1] == [LAND]


def test_changes_between_two_moments_report_the_agreements_reached_rejected_and_superseded():
    report = json.loads(run("diff", "--from", "2016-09-01", "--to", "2016-10-15", "-f", "json").stdout)
    assert [(s["agreement"]["id"], s["status"]) for s in report["agreements"]] == [(FINAL, "signed"), (FINAL, "rejected")]
    later = json.loads(run("diff", "--from", "2016-10-15", "--to", "2016-12-01", "-f", "json").stdout)
    assert ("final-agreement", "superseded") in [(s["agreement"]["id"], s["status"]) for s in later["agreements"]]
    text = flat(run("diff", "--from", "2016-09-01", "--to", "2016-10-15").stdout)
    assert "Agreements" in text and "Final Agreement to End the Conflict rejected" in text
    md = run("diff", "--from", "2016-09-01", "--to", "2016-10-15", "-f", "markdown").stdout
    assert "### Agreements" in md and "| rejected by The voters of Arland" in md


def test_the_round_and_issue_cards_list_the_agreements_they_touch():
    from peacekb import queries as q

    card = q.round_card(KB, "havana-talks")
    assert [(c.agreement.id, c.state) for c in card.agreements] == [(LAND, "void"), (FINAL, "void")]  # those that name the round
    assert "agreements" in flat(run("round", "havana-talks").stdout)
    issue = json.loads(run("issue", "victims", "--as-of", "2016-10-15", "-f", "json").stdout)
    assert [(c["agreement"]["id"], c["state"]) for p in issue["agreements"] for c in p["agreements"]] == [(FINAL, "void")]
    assert "Final Agreement to End the Conflict: rejected" in flat(run("issue", "victims", "--as-of", "2016-10-15").stdout)


def test_a_party_that_withdrew_held_the_agreements_stances_until_it_withdrew(tmp_path):
    import shutil

    from peacekb import queries as q

    root = tmp_path / "kb"
    shutil.copytree(AGREEMENTS, root)
    (root / "issues" / "truce.yaml").write_text(
        "id: truce\ntitle: A truce\nstances:\n  - id: holiday-truce\n    label: A holiday truce\n", encoding="utf-8")
    (root / "events" / "truce.yaml").write_text(
        "id: truce\ntitle: Holiday truce\nkind: agreement\ndate: 2015-12-20\nissues: [truce]\n"
        "provisions:\n  - id: three-days\n    summary: No fighting for three days.\n    issues: [truce]\n"
        "    stances: {truce: holiday-truce}\n    sources: [communique-land]\n"
        "parties:\n  - party: arland\n    standing: negotiated\n  - party: front\n    standing: negotiated\n"
        "  - party: front\n    standing: withdrew\n    date: 2016-01-10\n    sources: [final-text]\n"
        "history:\n  - status: agreed\n    date: 2015-12-20\n    sources: [communique-land]\n"
        "sources: [communique-land]\n",
        encoding="utf-8",
    )
    kb = load(root).kb
    assert load(root).problems == []

    def holders(as_of: str) -> dict[str, list[str]]:
        return {p.holder: p.stances for p in q.positions(kb, "truce", date(as_of))[0].positions if p.stances}

    assert holders("2016-01-01") == {"arland": ["holiday-truce"], "front": ["holiday-truce"]}
    assert holders("2016-02-01") == {"arland": ["holiday-truce"]}
    [withdrawn] = [t for t in q.timeline(kb, issue="truce") if getattr(t, "change", None) == "withdrawn"]
    assert (withdrawn.holder, withdrawn.date, withdrawn.evidence.sources) == ("front", "2016-01-10", ["final-text"])
    assert withdrawn.evidence.summary == "Arland Liberation Front withdrew from Holiday truce."


def test_a_source_cited_only_in_an_agreements_history_is_cited_by_the_agreement():
    from peacekb import queries as q

    card = q.source_card(KB, "monitoring-report")
    assert [r.id for r in card.events] == [REVISED]
    assert {r.id: r.cited_by for r in q.sources_overview(KB)}["monitoring-report"] == 1
