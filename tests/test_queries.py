"""The query layer on a knowledge base with known answers (tests/fixtures/positions, see its README).

Every expected value here was worked out by hand from the fixture's statements, not read back from
the implementation.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, since
from peacekb.dates import FuzzyDate
from peacekb.loader import load
from peacekb import queries
from peacekb.queries import (
    Ref,
    StatementFilter,
    actor_card,
    actors_overview,
    issue_card,
    issue_tree,
    issues_overview,
    parse_as_of,
    positions,
    principal_parties,
    round_card,
    rounds_overview,
    statements,
    timeline,
    to_data,
)

POSITIONS = FIXTURES / "positions"
DATA = Path(__file__).parent.parent / "data"

ALL_LIVE = [  # every statement not retracted, oldest first
    "plan-bek-dismisses",  # 2026-01-07
    "g1-alvarez-guarantees-first",  # 2026-01-20
    "g1-gamma-demilitarised",  # 2026-01-20/2026-01-21
    "g1-bek-territory-first",  # 2026-01-21
    "g1-gold-no-stance",  # 2026-01-21
    "ad-alvarez-interview-no-cession",  # 2026-02
    "ad-alpha-signals-cession",  # 2026-02-10
    "ad-alvarez-guarantees-again",  # 2026-02-10
    "ad-alvarez-reports-beta",  # 2026-02-11
    "ad-petrov-demilitarised",  # 2026-02-11
    "g3-bek-cession",  # 2026-03-05
]
RETRACTED = "g1-gold-territory-first-retracted"


@pytest.fixture(scope="module")
def kb():
    result = load(POSITIONS)
    assert result.problems == []
    return result.kb


def date(text: str) -> FuzzyDate:
    return FuzzyDate.parse(text)


def ids(evidence) -> list[str]:
    return [e.id for e in evidence]


def table(block) -> list[tuple]:
    """A positions block as (holder, status, stances, since, evidence ids), in the order shown."""
    return [(p.holder, p.status, p.stances, since(p), ids(p.evidence)) for p in block.positions]


def block_of(result, issue):
    [block] = [b for b in result if b.issue == issue]
    return block


# --- the fixture ----------------------------------------------------------------------------------


def test_the_fixture_validates_clean():
    result = load(POSITIONS)
    assert result.problems == []
    assert len(result.kb.statements) == len(ALL_LIVE) + 1
    assert result.kb.statements[RETRACTED].retracted is not None


def test_issue_tree_puts_sub_issues_after_their_parent_with_depth(kb):
    assert issue_tree(kb) == [("sequencing", 0), ("territory", 0), ("border-zone", 1)]
    assert issue_tree(kb, "territory") == [("territory", 0), ("border-zone", 1)]


def test_principal_parties_are_the_delegation_parties_in_order_of_first_appearance(kb):
    assert principal_parties(kb) == ["alpha", "beta", "gamma"]


# --- positions ------------------------------------------------------------------------------------


def test_sequencing_held_held_and_no_recorded_position(kb):
    [block] = positions(kb, "sequencing")
    assert (block.issue, block.title, block.parent, block.depth, block.as_of) == ("sequencing", "Sequencing", None, 0, None)
    assert table(block) == [
        ("alpha", "held", ["guarantees-first"], "2026-01-20", ["ad-alvarez-guarantees-again"]),
        ("beta", "held", ["territory-first"], "2026-01-21", ["ad-alvarez-reports-beta"]),
        ("gamma", "unknown", [], None, []),
    ]
    assert [(g.stance, g.label, g.holders) for g in block.groups] == [
        ("guarantees-first", "Guarantees first", ["alpha"]),
        ("territory-first", "Territory first", ["beta"]),
    ]
    assert block.headline.text == "sequencing: guarantees-first (Alpha) vs territory-first (Beta); no recorded position: Gamma"


def test_a_retracted_statement_does_not_give_a_position(kb):
    retracted = kb.statements[RETRACTED]
    assert retracted.stances == {"sequencing": "territory-first"} and retracted.holders == ["gamma"]
    [block] = positions(kb, "sequencing")
    gamma = next(p for p in block.positions if p.holder == "gamma")
    assert gamma.status == "unknown"
    assert "gamma" not in [h for g in block.groups for h in g.holders]
    every_evidence = {e.id for p in block.positions for e in p.evidence}
    assert RETRACTED not in every_evidence


def test_since_is_the_start_of_the_unbroken_run_not_the_latest_evidence(kb):
    beta = next(p for p in positions(kb, "sequencing")[0].positions if p.holder == "beta")
    # first said by Beta's Bek on 2026-01-21, last reported by Alpha's Álvarez on 2026-02-11
    assert since(beta) == "2026-01-21"
    assert [e.date for e in beta.evidence] == ["2026-02-11"]


def test_a_position_reported_by_another_party_counts_for_the_holder(kb):
    beta = next(p for p in positions(kb, "sequencing")[0].positions if p.holder == "beta")
    [e] = beta.evidence
    assert (e.speaker, e.speaker_name, e.parties, e.party_names, e.holders, e.holder_names, e.joint) == (
        "ana-alvarez", "Ana Álvarez", ["alpha"], ["Alpha"], ["beta"], ["Beta"], False
    )
    assert e.attribution == "reported"
    # and it is not Alpha's own position
    alpha = next(p for p in positions(kb, "sequencing")[0].positions if p.holder == "alpha")
    assert "territory-first" not in alpha.stances


def test_territory_contested_held_and_unknown_then_the_sub_issue(kb):
    result = positions(kb, "territory")
    assert [(b.issue, b.depth, b.parent) for b in result] == [("territory", 0, None), ("border-zone", 1, "territory")]
    territory, border = result
    assert table(territory) == [
        ("beta", "held", ["cession"], "2026-03-05", ["g3-bek-cession"]),
        # no-cession held since its first voicing (never dropped), cession equally recent with its latest
        ("alpha", "contested", ["no-cession", "cession"], "2026-01-20", ["ad-alvarez-interview-no-cession", "ad-alpha-signals-cession"]),
        ("gamma", "unknown", [], None, []),
    ]
    assert [(h.stance, h.since, h.last) for h in territory.positions[1].held] == [("no-cession", "2026-01-20", "2026-02"), ("cession", "2026-02-10", "2026-02-10")]
    assert {g.stance: sorted(g.holders) for g in territory.groups} == {"no-cession": ["alpha"], "cession": ["alpha", "beta"]}
    # a contested holder is named apart, never on both sides of "vs"
    assert territory.headline.text == "territory: cession (Beta); contested: Alpha (no-cession / cession); no recorded position: Gamma"
    assert table(border) == [
        ("beta", "held", ["demilitarised"], "2026-02-11", ["ad-petrov-demilitarised"]),
        ("gamma", "held", ["demilitarised"], "2026-01-20/2026-01-21", ["g1-gamma-demilitarised"]),
        ("alpha", "unknown", [], None, []),
    ]
    assert border.headline.text == "border-zone: demilitarised (Beta, Gamma); no recorded position: Alpha"


def test_contested_evidence_keeps_the_month_precision_date(kb):
    alpha = next(p for p in positions(kb, "territory")[0].positions if p.holder == "alpha")
    assert [e.date for e in alpha.evidence] == ["2026-02", "2026-02-10"]
    assert [h.last for h in alpha.held] == ["2026-02", "2026-02-10"]


def test_a_sub_issue_asked_alone_is_its_own_root(kb):
    [block] = positions(kb, "border-zone")
    assert (block.issue, block.depth, block.parent) == ("border-zone", 0, "territory")
    assert block.headline.text == "border-zone: demilitarised (Beta, Gamma); no recorded position: Alpha"


def test_a_holder_who_changed_stance_holds_the_new_one_since_the_change(kb):
    beta = next(p for p in positions(kb, "border-zone")[0].positions if p.holder == "beta")
    assert (beta.status, beta.stances, since(beta)) == ("held", ["demilitarised"], "2026-02-11")


# --- as of a date -----------------------------------------------------------------------------------


def test_positions_as_of_an_earlier_date(kb):
    when = date("2026-01-31")
    [sequencing] = positions(kb, "sequencing", when)
    assert sequencing.as_of == "2026-01-31"
    assert table(sequencing) == [
        ("alpha", "held", ["guarantees-first"], "2026-01-20", ["g1-alvarez-guarantees-first"]),
        ("beta", "held", ["territory-first"], "2026-01-21", ["g1-bek-territory-first"]),
        ("gamma", "unknown", [], None, []),
    ]
    territory, border = positions(kb, "territory", when)
    assert table(territory) == [
        ("alpha", "held", ["no-cession"], "2026-01-20", ["g1-alvarez-guarantees-first"]),
        ("beta", "unknown", [], None, []),
        ("gamma", "unknown", [], None, []),
    ]
    assert territory.headline.text == "territory: no-cession (Alpha); no recorded position: Beta, Gamma"
    assert table(border) == [
        ("gamma", "held", ["demilitarised"], "2026-01-20/2026-01-21", ["g1-gamma-demilitarised"]),
        ("beta", "held", ["withdrawal"], "2026-01-21", ["g1-bek-territory-first"]),
        ("alpha", "unknown", [], None, []),
    ]
    assert border.headline.text == "border-zone: demilitarised (Gamma) vs withdrawal (Beta); no recorded position: Alpha"
    assert {b.as_of for b in (territory, border)} == {"2026-01-31"}


def test_as_of_counts_no_later_statement(kb):
    cut = date("2026-01-31")
    for block in positions(kb, "territory", cut) + positions(kb, "sequencing", cut):
        for p in block.positions:
            for e in p.evidence:
                assert date(e.date).earliest <= cut.latest, e.id


def test_as_of_a_month_is_as_of_its_last_day(kb):
    by_month = to_data(positions(kb, "territory", date("2026-01")))
    by_day = to_data(positions(kb, "territory", date("2026-01-31")))
    for block in by_month + by_day:
        block.pop("as_of")
    assert by_month == by_day


def test_as_of_before_any_statement(kb):
    [block] = positions(kb, "sequencing", date("2025"))
    assert [(p.holder, p.status) for p in block.positions] == [("alpha", "unknown"), ("beta", "unknown"), ("gamma", "unknown")]
    assert block.groups == []
    assert block.headline.text == "sequencing: no recorded positions"


# --- after each round ------------------------------------------------------------------------------


def test_positions_after_each_round(kb):
    """The positions on each round's agenda as they stood at its last day, worked out by hand."""
    after = queries.positions_after(kb, ["geneva-2026-01", "abu-dhabi-2026-02", "geneva-2026-03"])
    assert {r: [b.issue for b in blocks] for r, blocks in after.items()} == {
        "geneva-2026-01": ["sequencing", "territory", "border-zone"],
        "abu-dhabi-2026-02": ["sequencing", "border-zone"],
        "geneva-2026-03": ["territory"],
    }
    assert {b.as_of for b in after["abu-dhabi-2026-02"]} == {"2026-02-11"}
    border_before, border_after = after["geneva-2026-01"][2], after["abu-dhabi-2026-02"][1]
    assert border_before.headline.text == "border-zone: demilitarised (Gamma) vs withdrawal (Beta); no recorded position: Alpha"
    assert table(border_after) == [
        ("beta", "held", ["demilitarised"], "2026-02-11", ["ad-petrov-demilitarised"]),
        ("gamma", "held", ["demilitarised"], "2026-01-20/2026-01-21", ["g1-gamma-demilitarised"]),
        ("alpha", "unknown", [], None, []),
    ]
    [beta] = [p for p in border_after.positions if p.holder == "beta"]
    assert [(x.stance, x.since, x.until) for x in beta.past] == [("withdrawal", "2026-01-21", "2026-02-11")]
    [territory] = after["geneva-2026-03"]
    assert [(p.holder, p.status, p.stances) for p in territory.positions] == [
        ("beta", "held", ["cession"]), ("alpha", "contested", ["no-cession", "cession"]), ("gamma", "unknown", [])]


@pytest.mark.parametrize("root", [POSITIONS, FIXTURES / "claims", FIXTURES / "agreements", FIXTURES / "compare", DATA],
                         ids=["positions", "claims", "agreements", "compare", "data"])
def test_positions_after_a_round_are_the_positions_as_of_it(root):
    """One pass for every round gives what `positions ISSUE --as-of ROUND` gives for each."""
    kb = load(root).kb
    held = [r.id for r in kb.rounds.values() if r.status == "held" and r.agenda]
    assert held
    after = queries.positions_after(kb, held)
    for ident in held:
        cut = queries.round_cut(kb.rounds[ident])
        expected = [queries.positions(kb, i, cut)[0] for i in dict.fromkeys(kb.rounds[ident].agenda) if i in kb.issues]
        assert to_data(after[ident]) == to_data(expected), ident


def test_parse_as_of():
    assert parse_as_of(None) is None and parse_as_of("") is None
    assert str(parse_as_of("2026-02")) == "2026-02"
    with pytest.raises(ValueError, match="no month 13"):
        parse_as_of("2026-13")


# --- rounds -----------------------------------------------------------------------------------------


def test_round_card_of_the_first_round(kb):
    card = round_card(kb, "geneva-2026-01")
    assert (card.id, card.title, card.kind, card.status, card.start, card.end) == (
        "geneva-2026-01", "Geneva talks, January 2026", "talks", "held", "2026-01-20", "2026-01-21"
    )
    assert (card.location, card.venue, card.format) == ("Geneva, Switzerland", "Palais des Nations", "multilateral")
    assert card.previous is None
    assert card.next == Ref("abu-dhabi-2026-02", "Abu Dhabi talks, February 2026")
    assert [(d.party, d.head, d.members) for d in card.delegations] == [
        (Ref("alpha", "Alpha"), Ref("ana-alvarez", "Ana Álvarez"), []),
        (Ref("beta", "Beta"), Ref("boris-bek", "Boris Bek"), [Ref("ivan-petrov", "Ivan Petrov")]),
        (Ref("gamma", "Gamma"), Ref("greta-gold", "Greta Gold"), []),
    ]
    assert card.delegations[1].sources == ["wire-geneva-january"]
    assert card.agenda == [Ref("sequencing", "Sequencing"), Ref("territory", "Territory"), Ref("border-zone", "Border zone of the territory")]
    assert card.events == [Ref("alpha-twelve-point-plan", "Alpha's twelve-point plan")]
    # positions: the statements there that take a stance; statements: all of them; retracted: none
    assert ids(card.positions) == ["g1-alvarez-guarantees-first", "g1-gamma-demilitarised", "g1-bek-territory-first"]
    assert ids(card.statements) == ["g1-alvarez-guarantees-first", "g1-gamma-demilitarised", "g1-bek-territory-first", "g1-gold-no-stance"]
    assert [(o.id, o.next_round) for o in card.outcomes] == [("meet-again", Ref("abu-dhabi-2026-02", "Abu Dhabi talks, February 2026"))]
    assert [s.id for s in card.sources] == ["wire-geneva-january"]
    assert card.not_found == ["The length of the sessions"]
    assert all(e.round == "geneva-2026-01" and e.event is None for e in card.statements)


def test_round_card_in_the_middle(kb):
    card = round_card(kb, "abu-dhabi-2026-02")
    assert card.previous == Ref("geneva-2026-01", "Geneva talks, January 2026")
    assert card.next == Ref("geneva-2026-03", "Geneva talks, March 2026")
    assert [(d.party.id, d.head.id, [m.id for m in d.members]) for d in card.delegations] == [
        ("alpha", "ana-alvarez", []),
        ("beta", "ivan-petrov", ["ivan-sokolov"]),
    ]
    assert ids(card.statements) == [
        "ad-alvarez-interview-no-cession",
        "ad-alpha-signals-cession",
        "ad-alvarez-guarantees-again",
        "ad-alvarez-reports-beta",
        "ad-petrov-demilitarised",
    ]
    assert ids(card.positions) == ids(card.statements)
    assert [(o.id, o.next_round.id if o.next_round else None) for o in card.outcomes] == [("next-in-geneva", "geneva-2026-03")]
    # the round's own source, then those its statements cite, each once, with their reliability
    assert [(s.id, s.reliability) for s in card.sources] == [("wire-abu-dhabi", "standard"), ("daily-rumour", "low")]
    assert card.sources[0].url == "https://example.org/wire/abu-dhabi" and card.sources[0].publisher == "Test Wire"


def test_round_card_of_the_last_planned_round(kb):
    card = round_card(kb, "istanbul-2026-04")
    assert (card.status, card.start, card.end, card.venue) == ("planned", "2026-04", None, "Dolmabahçe Palace")
    assert card.previous == Ref("geneva-2026-03", "Geneva talks, March 2026")
    assert card.next is None
    assert card.delegations == [] and card.statements == [] and card.positions == [] and card.outcomes == []


def test_rounds_overview(kb):
    rows = rounds_overview(kb)
    assert [(r.id, r.start, r.end, r.status, r.parties) for r in rows] == [
        ("geneva-2026-01", "2026-01-20", "2026-01-21", "held", ["alpha", "beta", "gamma"]),
        ("abu-dhabi-2026-02", "2026-02-10", "2026-02-11", "held", ["alpha", "beta"]),
        ("geneva-2026-03", "2026-03-05", None, "held", ["alpha", "beta"]),
        ("istanbul-2026-04", "2026-04", None, "planned", []),
    ]
    assert [r.statements for r in rows if r.id != "geneva-2026-01"] == [5, 1, 0]


def test_rounds_overview_does_not_count_retracted_statements(kb):
    rows = {r.id: r.statements for r in rounds_overview(kb)}
    assert rows["geneva-2026-01"] == len(round_card(kb, "geneva-2026-01").statements) == 4


# --- actors -----------------------------------------------------------------------------------------


def test_actors_overview(kb):
    rows = actors_overview(kb)
    assert [(a.id, a.kind) for a in rows] == [
        ("ana-alvarez", "person"),
        ("boris-bek", "person"),
        ("greta-gold", "person"),
        ("ivan-petrov", "person"),
        ("ivan-sokolov", "person"),
        ("alpha", "state"),
        ("beta", "state"),
        ("gamma", "state"),
    ]
    by_id = {a.id: a for a in rows}
    assert by_id["ana-alvarez"].current_role == "Special Envoy (Alpha)"
    assert by_id["ivan-sokolov"].current_role == "Military adviser (Beta)"
    assert by_id["alpha"].current_role is None and by_id["alpha"].aliases == ["Republic of Alpha"]
    # speaker, party or holder; Beta counts Álvarez's report of its position
    counts = {a.id: a.statements for a in rows}
    assert {k: counts[k] for k in ("alpha", "beta", "ana-alvarez", "boris-bek", "ivan-petrov", "ivan-sokolov")} == {
        "alpha": 5, "beta": 5, "ana-alvarez": 4, "boris-bek": 3, "ivan-petrov": 1, "ivan-sokolov": 0,
    }


def test_actors_overview_does_not_count_retracted_statements(kb):
    counts = {a.id: a.statements for a in actors_overview(kb)}
    assert counts["gamma"] == len(actor_card(kb, "gamma").statements) == 2
    assert counts["greta-gold"] == len(actor_card(kb, "greta-gold").statements) == 1


def test_actor_card_of_a_person_with_dated_roles(kb):
    card = actor_card(kb, "ana-alvarez")
    assert (card.name, card.kind, card.description) == ("Ana Álvarez", "person", "Alpha's chief negotiator.")
    assert [(r.title, r.party, r.party_name, r.start, r.end, r.sources) for r in card.roles] == [
        ("Foreign Minister", "alpha", "Alpha", "2024-03-01", "2026-01-31", ["wire-geneva-january"]),
        ("Special Envoy", "alpha", "Alpha", "2026-02-01", None, []),
    ]
    assert card.positions == []  # a person speaks for a party; the positions are the party's
    assert ids(card.statements) == [
        "g1-alvarez-guarantees-first",
        "ad-alvarez-interview-no-cession",
        "ad-alvarez-guarantees-again",
        "ad-alvarez-reports-beta",
    ]
    assert [r.id for r in card.rounds] == ["geneva-2026-01", "abu-dhabi-2026-02", "geneva-2026-03"]


def test_actor_card_roles_without_dates_and_rounds_as_a_member(kb):
    card = actor_card(kb, "ivan-sokolov")
    assert [(r.title, r.party_name, r.start, r.end) for r in card.roles] == [("Military adviser", "Beta", None, None)]
    assert [r.id for r in card.rounds] == ["abu-dhabi-2026-02"]
    assert card.statements == []


def test_actor_card_positions_of_a_state(kb):
    card = actor_card(kb, "beta")
    assert card.roles == [] and card.aliases == ["Kingdom of Beta"]
    rows = [(b.issue, b.depth, b.positions[0].status, b.positions[0].stances, since(b.positions[0])) for b in card.positions]
    assert rows == [
        ("sequencing", 0, "held", ["territory-first"], "2026-01-21"),
        ("territory", 0, "held", ["cession"], "2026-03-05"),
        ("border-zone", 1, "held", ["demilitarised"], "2026-02-11"),
    ]
    assert all(len(b.positions) == 1 and b.positions[0].holder == "beta" for b in card.positions)
    # what Beta's people said, and what was said about Beta's position
    assert ids(card.statements) == [
        "plan-bek-dismisses",
        "g1-bek-territory-first",
        "ad-alvarez-reports-beta",
        "ad-petrov-demilitarised",
        "g3-bek-cession",
    ]
    assert [r.id for r in card.rounds] == ["geneva-2026-01", "abu-dhabi-2026-02", "geneva-2026-03"]


def test_actor_card_contested_and_unknown(kb):
    alpha = actor_card(kb, "alpha")
    assert [(b.issue, b.positions[0].status, b.positions[0].stances) for b in alpha.positions] == [
        ("sequencing", "held", ["guarantees-first"]),
        ("territory", "contested", ["no-cession", "cession"]),
    ]
    gamma = actor_card(kb, "gamma")
    # no sequencing: the retracted statement does not count, the other one takes no stance
    assert [(b.issue, b.positions[0].stances) for b in gamma.positions] == [("border-zone", ["demilitarised"])]
    assert ids(gamma.statements) == ["g1-gamma-demilitarised", "g1-gold-no-stance"]
    assert [r.id for r in gamma.rounds] == ["geneva-2026-01"]


def test_actor_card_as_of(kb):
    card = actor_card(kb, "beta", date("2026-01-31"))
    assert [(b.issue, b.positions[0].stances, b.as_of) for b in card.positions] == [
        ("sequencing", ["territory-first"], "2026-01-31"),
        ("border-zone", ["withdrawal"], "2026-01-31"),
    ]
    assert ids(card.statements) == ["plan-bek-dismisses", "g1-bek-territory-first"]


# --- issues -----------------------------------------------------------------------------------------


def test_issues_overview(kb):
    rows = issues_overview(kb)
    assert [(r.id, r.parent, r.depth, r.statements) for r in rows] == [
        ("sequencing", None, 0, 5),
        ("territory", None, 0, 5),
        ("border-zone", "territory", 1, 3),
    ]
    holders = {r.id: {s.id: sorted(s.holders) for s in r.stances} for r in rows}
    assert holders == {
        "sequencing": {"guarantees-first": ["alpha"], "territory-first": ["beta"]},
        "territory": {"no-cession": ["alpha"], "cession": ["alpha", "beta"]},
        "border-zone": {"demilitarised": ["beta", "gamma"], "withdrawal": []},
    }
    labels = [(s.id, s.label, s.description) for s in rows[2].stances]
    assert labels == [("demilitarised", "Demilitarised zone", None), ("withdrawal", "Withdrawal", "The other side withdraws its forces from the zone.")]


def test_issues_overview_as_of(kb):
    rows = issues_overview(kb, date("2026-01-31"))
    assert [(r.id, r.statements) for r in rows] == [("sequencing", 3), ("territory", 2), ("border-zone", 2)]
    holders = {r.id: {s.id: sorted(s.holders) for s in r.stances} for r in rows}
    assert holders["territory"] == {"no-cession": ["alpha"], "cession": []}
    assert holders["border-zone"] == {"demilitarised": ["gamma"], "withdrawal": ["beta"]}


def test_issue_card_with_a_sub_issue(kb):
    card = issue_card(kb, "territory")
    assert (card.title, card.description, card.parent) == ("Territory", "Whether land changes hands under a settlement.", None)
    assert card.children == [Ref("border-zone", "Border zone of the territory")]
    assert [(s.id, s.label, s.description, sorted(s.holders)) for s in card.stances] == [
        ("no-cession", "No cession", "No territory is given up.", ["alpha"]),
        ("cession", "Cession", None, ["alpha", "beta"]),
    ]
    assert [b.issue for b in card.positions] == ["territory", "border-zone"]
    assert to_data(card.positions) == to_data(positions(kb, "territory"))
    assert [r.id for r in card.rounds] == ["geneva-2026-01", "geneva-2026-03"]


def test_issue_card_of_a_sub_issue(kb):
    card = issue_card(kb, "border-zone")
    assert card.parent == Ref("territory", "Territory") and card.children == []
    assert {s.id: sorted(s.holders) for s in card.stances} == {"demilitarised": ["beta", "gamma"], "withdrawal": []}
    assert [r.id for r in card.rounds] == ["geneva-2026-01", "abu-dhabi-2026-02"]


def test_issue_card_as_of(kb):
    card = issue_card(kb, "border-zone", date("2026-01-31"))
    assert {s.id: s.holders for s in card.stances} == {"demilitarised": ["gamma"], "withdrawal": ["beta"]}
    assert card.positions[0].as_of == "2026-01-31"


# --- statements -------------------------------------------------------------------------------------


def find(kb, **where) -> list[str]:
    for key in ("since", "until"):
        if key in where:
            where[key] = date(where[key])
    return ids(statements(kb, StatementFilter(**where)))


def test_statements_unfiltered_are_all_live_ones_oldest_first(kb):
    assert find(kb) == ALL_LIVE
    assert ids(statements(kb)) == ALL_LIVE


def test_statements_by_actor_are_those_it_said_or_was_party_to(kb):
    assert find(kb, actor="ana-alvarez") == [
        "g1-alvarez-guarantees-first",
        "ad-alvarez-interview-no-cession",
        "ad-alvarez-guarantees-again",
        "ad-alvarez-reports-beta",
    ]
    assert find(kb, actor="alpha") == [
        "g1-alvarez-guarantees-first",
        "ad-alvarez-interview-no-cession",
        "ad-alpha-signals-cession",
        "ad-alvarez-guarantees-again",
        "ad-alvarez-reports-beta",
    ]
    # Álvarez's report of Beta's position is Alpha's statement, not Beta's
    assert find(kb, actor="beta") == ["plan-bek-dismisses", "g1-bek-territory-first", "ad-petrov-demilitarised", "g3-bek-cession"]


def test_statements_by_holder(kb):
    assert find(kb, holder="beta") == [
        "plan-bek-dismisses",
        "g1-bek-territory-first",
        "ad-alvarez-reports-beta",
        "ad-petrov-demilitarised",
        "g3-bek-cession",
    ]
    assert find(kb, holder="ana-alvarez") == []


def test_statements_by_issue_include_sub_issues(kb):
    assert find(kb, issue="border-zone") == ["g1-gamma-demilitarised", "g1-bek-territory-first", "ad-petrov-demilitarised"]
    assert find(kb, issue="territory") == [
        "plan-bek-dismisses",
        "g1-alvarez-guarantees-first",
        "g1-gamma-demilitarised",
        "g1-bek-territory-first",
        "ad-alvarez-interview-no-cession",
        "ad-alpha-signals-cession",
        "ad-petrov-demilitarised",
        "g3-bek-cession",
    ]


def test_statements_by_round(kb):
    assert find(kb, round="geneva-2026-01") == [
        "g1-alvarez-guarantees-first", "g1-gamma-demilitarised", "g1-bek-territory-first", "g1-gold-no-stance"
    ]
    assert find(kb, round="istanbul-2026-04") == []


def test_retracted_statements_only_when_asked(kb):
    assert RETRACTED not in find(kb)
    assert find(kb, round="geneva-2026-01", include_retracted=True) == [
        "g1-alvarez-guarantees-first", "g1-gamma-demilitarised", "g1-bek-territory-first", "g1-gold-no-stance", RETRACTED
    ]
    assert find(kb, text="gold back settling") == []
    assert find(kb, text="gold back settling", include_retracted=True) == [RETRACTED]


def test_statements_since_and_until_with_fuzzy_dates(kb):
    # a month-precision date may fall on either side of a day within it, so it is kept by both
    assert find(kb, since="2026-02-15") == ["ad-alvarez-interview-no-cession", "g3-bek-cession"]
    assert find(kb, until="2026-02-01") == ALL_LIVE[:6]
    assert find(kb, until="2026-02-01")[-1] == "ad-alvarez-interview-no-cession"
    # a span date is kept by a day within the span
    assert find(kb, since="2026-01-21", until="2026-01-21") == ["g1-gamma-demilitarised", "g1-bek-territory-first", "g1-gold-no-stance"]
    assert find(kb, until="2026-01-20") == ["plan-bek-dismisses", "g1-alvarez-guarantees-first", "g1-gamma-demilitarised"]
    # a month or a year as a bound
    assert find(kb, since="2026-03") == ["g3-bek-cession"]
    assert find(kb, since="2026-02", until="2026-02") == ALL_LIVE[5:10]
    assert find(kb, until="2025") == []


def test_statements_by_text_need_every_word_in_a_quote_or_the_summary(kb):
    assert find(kb, text="guarantees first") == ["g1-alvarez-guarantees-first", "ad-alvarez-guarantees-again"]
    assert find(kb, text="DEMILITARISED border") == ["g1-gamma-demilitarised", "ad-petrov-demilitarised"]
    # words from a quote only
    assert find(kb, text="no land will") == ["g1-alvarez-guarantees-first"]
    assert find(kb, text="guarantees withdrawal") == []


def test_statements_by_text_match_stemmed_words_without_accents(kb):
    # `ceded` is stemmed as `cede`, `ceding` is: the quote's "ceded", two summaries' "ceding" and "cede"
    assert find(kb, text="land ceded") == ["g1-alvarez-guarantees-first", "ad-alpha-signals-cession", "g3-bek-cession"]
    # `settling` finds "settled" (the retracted statement's own "settling" only with --include-retracted)
    assert find(kb, text="settling first") == ["g1-bek-territory-first", "ad-alvarez-reports-beta"]
    assert find(kb, text="ÁLVAREZ insists") == find(kb, text="alvarez insist") == ["ad-alvarez-reports-beta"]
    assert find(kb, text="territory") != [] and find(kb, text="territ") == []  # whole words, not parts of them


def test_statements_filters_combine(kb):
    assert find(kb, actor="ana-alvarez", issue="sequencing", since="2026-02") == ["ad-alvarez-guarantees-again", "ad-alvarez-reports-beta"]
    assert find(kb, holder="alpha", issue="territory", until="2026-02-10") == [
        "g1-alvarez-guarantees-first", "ad-alvarez-interview-no-cession", "ad-alpha-signals-cession"
    ]


def test_statement_evidence_outside_a_round_names_its_event(kb):
    [e] = statements(kb, StatementFilter(until=date("2026-01-10")))
    assert (e.id, e.round, e.event, e.date) == ("plan-bek-dismisses", None, "alpha-twelve-point-plan", "2026-01-07")
    assert (e.issues, e.stances, e.sources) == (["territory"], {}, ["wire-geneva-january"])


def test_statement_evidence_fields(kb):
    [e] = [x for x in statements(kb) if x.id == "g1-alvarez-guarantees-first"]
    assert (e.kind, e.speaker_name, e.party_names, e.holders, e.attribution, e.channel, e.round) == (
        "statement", "Ana Álvarez", ["Alpha"], ["alpha"], "direct-quote", "press conference", "geneva-2026-01"
    )
    assert e.stances == {"sequencing": "guarantees-first", "territory": "no-cession"}
    assert [(q.text, q.source, q.translation) for q in e.quotes] == [
        ("Guarantees come first, and no land will be ceded.", "wire-geneva-january", False)
    ]
    assert e.disputed is False


# --- timeline ---------------------------------------------------------------------------------------


def marks(entries) -> list[tuple]:
    return [(t.date, t.issue, t.holder, t.stance, t.dropped, t.change, t.evidence.id) for t in entries]


def test_timeline_of_an_issue_marks_first_same_and_no_stance(kb):
    assert marks(timeline(kb, issue="sequencing", every=True)) == [
        ("2026-01-20", "sequencing", "alpha", "guarantees-first", [], "first", "g1-alvarez-guarantees-first"),
        ("2026-01-21", "sequencing", "beta", "territory-first", [], "first", "g1-bek-territory-first"),
        ("2026-01-21", "sequencing", "gamma", None, [], "no-stance", "g1-gold-no-stance"),
        ("2026-02-10", "sequencing", "alpha", "guarantees-first", [], "same", "ad-alvarez-guarantees-again"),
        ("2026-02-11", "sequencing", "beta", "territory-first", [], "same", "ad-alvarez-reports-beta"),
    ]


def test_timeline_marks_a_change_with_the_stance_it_dropped(kb):
    entries = timeline(kb, issue="border-zone")
    assert marks(entries) == [
        ("2026-01-20/2026-01-21", "border-zone", "gamma", "demilitarised", [], "first", "g1-gamma-demilitarised"),
        ("2026-01-21", "border-zone", "beta", "withdrawal", [], "first", "g1-bek-territory-first"),
        ("2026-02-11", "border-zone", "beta", "demilitarised", ["withdrawal"], "changed", "ad-petrov-demilitarised"),
    ]
    assert [t.held for t in entries] == [["demilitarised"], ["withdrawal"], ["demilitarised"]]


def test_timeline_of_an_issue_includes_its_sub_issues(kb):
    entries = timeline(kb, issue="territory", every=True)
    assert marks(entries) == [
        ("2026-01-07", "territory", "beta", None, [], "no-stance", "plan-bek-dismisses"),
        ("2026-01-20", "territory", "alpha", "no-cession", [], "first", "g1-alvarez-guarantees-first"),
        ("2026-01-20/2026-01-21", "border-zone", "gamma", "demilitarised", [], "first", "g1-gamma-demilitarised"),
        ("2026-01-21", "border-zone", "beta", "withdrawal", [], "first", "g1-bek-territory-first"),
        ("2026-02", "territory", "alpha", "no-cession", [], "same", "ad-alvarez-interview-no-cession"),
        # voiced while no-cession may have been said the same month: both held, contested
        ("2026-02-10", "territory", "alpha", "cession", [], "contested", "ad-alpha-signals-cession"),
        ("2026-02-11", "border-zone", "beta", "demilitarised", ["withdrawal"], "changed", "ad-petrov-demilitarised"),
        ("2026-03-05", "territory", "beta", "cession", [], "first", "g3-bek-cession"),
    ]
    assert entries[5].held == ["no-cession", "cession"]


def test_timeline_of_an_actor_keeps_the_holders_history(kb):
    # Álvarez's report on Beta is "same": Beta had said territory-first before, through Bek
    assert marks(timeline(kb, actor="ana-alvarez", every=True)) == [
        ("2026-01-20", "sequencing", "alpha", "guarantees-first", [], "first", "g1-alvarez-guarantees-first"),
        ("2026-01-20", "territory", "alpha", "no-cession", [], "first", "g1-alvarez-guarantees-first"),
        ("2026-02", "territory", "alpha", "no-cession", [], "same", "ad-alvarez-interview-no-cession"),
        ("2026-02-10", "sequencing", "alpha", "guarantees-first", [], "same", "ad-alvarez-guarantees-again"),
        ("2026-02-11", "sequencing", "beta", "territory-first", [], "same", "ad-alvarez-reports-beta"),
    ]
    assert marks(timeline(kb, actor="beta", every=True)) == [
        ("2026-01-07", "territory", "beta", None, [], "no-stance", "plan-bek-dismisses"),
        ("2026-01-21", "sequencing", "beta", "territory-first", [], "first", "g1-bek-territory-first"),
        ("2026-01-21", "border-zone", "beta", "withdrawal", [], "first", "g1-bek-territory-first"),
        ("2026-02-11", "sequencing", "beta", "territory-first", [], "same", "ad-alvarez-reports-beta"),
        ("2026-02-11", "border-zone", "beta", "demilitarised", ["withdrawal"], "changed", "ad-petrov-demilitarised"),
        ("2026-03-05", "territory", "beta", "cession", [], "first", "g3-bek-cession"),
    ]


def test_the_timeline_shows_only_the_changes_unless_asked_for_every_mention(kb):
    every = marks(timeline(kb, issue="territory", every=True))
    changes = marks(timeline(kb, issue="territory"))
    assert changes == [m for m in every if m[5] not in ("same", "no-stance")]
    assert {m[5] for m in every} - {m[5] for m in changes} == {"same", "no-stance"}
    assert marks(timeline(kb, actor="ana-alvarez")) == [m for m in marks(timeline(kb, actor="ana-alvarez", every=True)) if m[5] == "first"]


def test_timeline_leaves_out_retracted_statements(kb):
    everything = timeline(kb, every=True)
    assert RETRACTED not in {t.evidence.id for t in everything}
    assert [t.change for t in everything if t.holder == "gamma" and t.issue == "sequencing"] == ["no-stance"]
    assert [t.holder_name for t in everything if t.evidence.id == "ad-alvarez-reports-beta"] == ["Beta"]


# --- to_data ----------------------------------------------------------------------------------------


def test_to_data_is_plain_data(kb):
    data = to_data(positions(kb, "sequencing"))
    assert data[0]["positions"][2] == {
        "holder": "gamma", "holder_name": "Gamma", "status": "unknown", "stances": [], "held": [], "past": []
    }
    assert data[0]["groups"][0] == {"stance": "guarantees-first", "label": "Guarantees first", "holders": ["alpha"]}

    def plain(value):
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, (str, int, float, bool))

    for result in (data, to_data(round_card(kb, "geneva-2026-01")), to_data(actor_card(kb, "beta")), to_data(timeline(kb))):
        assert plain(result)


@pytest.mark.parametrize("name", ["positions", "agreements", "claims", "compare"])
def test_the_cards_for_many_are_the_cards_one_by_one(name):
    """actor_card, round_card, source_card, issue_card and event_card given what they would work out, answer
    as the one-at-a-time calls do, inside shared_evidence as outside it."""
    from conftest import FIXTURES
    from peacekb.loader import load

    kb = load(FIXTURES / name).kb
    one = {
        "actors": {a: queries.to_data(queries.actor_card(kb, a)) for a in sorted(kb.actors)},
        "rounds": [queries.to_data(queries.round_card(kb, r)) for r in queries.rounds_in_order(kb)],
        "sources": [queries.to_data(queries.source_card(kb, s)) for s in sorted(kb.sources)],
        "issues": [queries.to_data(queries.issue_card(kb, i)) for i in sorted(kb.issues)],
        "events": [queries.to_data(queries.event_card(kb, e)) for e in sorted(kb.events)],
    }
    with queries.shared_evidence():
        order, cited = queries.rounds_in_order(kb), queries.citations(kb)
        many = {
            "actors": {a: queries.to_data(queries.actor_card(kb, a, index=index)) for index in [queries.actor_index(kb)] for a in sorted(kb.actors)},
            "rounds": [queries.to_data(queries.round_card(kb, r, order)) for r in order],
            "sources": [queries.to_data(queries.source_card(kb, s, cited)) for s in sorted(kb.sources)],
            "issues": [queries.to_data(queries.issue_card(kb, i, table=queries.positions(kb, i))) for i in sorted(kb.issues)],
            "events": [queries.to_data(queries.event_card(kb, e, queries.statements_about(kb))) for e in sorted(kb.events)],
        }
        same = queries.evidence(kb, next(iter(kb.statements.values())))
        assert same is queries.evidence(kb, next(iter(kb.statements.values())))
    assert many == one
    assert queries.evidence(kb, next(iter(kb.statements.values()))) is not same  # outside the block, made anew
