"""The comparison layer on a knowledge base with known answers (tests/fixtures/compare, see its README).

Every expected value here was worked out by hand from the fixture's statements, not read back from
the implementation. A few edge cases are written as small knowledge bases on the fly.
"""

from __future__ import annotations

import itertools

import pytest

from conftest import FIXTURES, since
from peacekb.compare import after_round, changes, diff_parties, matrix, moment, relation
from peacekb.dates import FuzzyDate
from peacekb.loader import load
from peacekb.claims import by_holder
from peacekb.queries import holder_position, issue_tree, live_claims, live_statements, principal_parties

COMPARE = FIXTURES / "compare"

VIENNA, OSLO, GENEVA = "vienna-2026-01", "oslo-2026-02", "geneva-2026-03"
RETRACTED = "v1-gamma-withdrawal-retracted"
LIVE = 13  # statements not retracted


@pytest.fixture(scope="module")
def kb():
    result = load(COMPARE)
    assert result.problems == []
    return result.kb


def position(kb, holder: str, issue: str, until: FuzzyDate | None = None):
    """``holder``'s position on ``issue`` from everything on record by ``until``."""
    return holder_position(kb, holder, issue, by_holder(live_claims(kb, until), issue).get(holder, []))


def date(text: str) -> FuzzyDate:
    return FuzzyDate.parse(text)


def rows(d) -> list[tuple]:
    """A party diff as (issue, relation, A's stances, B's stances), in the order given."""
    return [(r.issue, r.relation, r.a.stances, r.b.stances) for r in d.rows]


def moved(report) -> list[tuple]:
    """A change report as (holder, issue, kind, before, after, statements that moved it)."""
    return [(c.holder, c.issue, c.kind, c.before, c.after, [e.id for e in c.statements]) for c in report.changes]


def grid(m) -> list[tuple]:
    """A matrix as (issue, depth, status, each cell's stances), top to bottom."""
    return [(r.issue, r.depth, r.status, [c.stances for c in r.cells]) for r in m.rows]


# --- the fixture ----------------------------------------------------------------------------------


def test_the_fixture_validates_clean_and_holds_one_retracted_statement():
    result = load(COMPARE)
    assert result.problems == []
    assert len(result.kb.statements) == LIVE + 1
    assert result.kb.statements[RETRACTED].retracted is not None
    assert len(live_statements(result.kb)) == LIVE


def test_the_fixture_has_the_shape_the_tests_rely_on(kb):
    assert issue_tree(kb) == [("elections", 0), ("prisoners", 0), ("sanctions", 0), ("territory", 0), ("crossings", 1)]
    assert principal_parties(kb) == ["alpha", "beta", "gamma", "concord"]
    assert {a: kb.actors[a].kind for a in ("alpha", "delta", "concord", "olga-orlov", "piet-paulsen")} == {
        "alpha": "state", "delta": "state", "concord": "organisation", "olga-orlov": "person", "piet-paulsen": "person",
    }
    assert kb.issues["territory"].compatible == [["demilitarised-zone", "ceasefire-line"]]
    assert kb.issues["prisoners"].compatible == []


def test_only_identical_or_declared_compatible_stances_agree(kb):
    territory, prisoners = kb.issues["territory"], kb.issues["prisoners"]
    assert territory.agree("demilitarised-zone", "ceasefire-line") and territory.agree("ceasefire-line", "demilitarised-zone")
    assert territory.agree("no-cession", "no-cession")
    assert not territory.agree("full-withdrawal", "no-cession")
    assert not territory.agree("demilitarised-zone", "no-cession")
    assert not prisoners.agree("all-for-all", "phased")


# --- party against party --------------------------------------------------------------------------


def test_alpha_and_beta_differ_on_three_issues_and_agree_on_prisoners(kb):
    d = diff_parties(kb, "alpha", "beta")
    assert (d.a, d.a_name, d.b, d.b_name, d.as_of) == ("alpha", "Alpha", "beta", "Beta", None)
    assert rows(d) == [
        ("sanctions", "differ", ["lift-first", "keep-sanctions"], ["keep-sanctions"]),
        ("territory", "differ", ["full-withdrawal"], ["no-cession"]),
        ("crossings", "differ", ["open-crossings"], ["closed-crossings"]),
        ("prisoners", "agree", ["all-for-all"], ["all-for-all"]),
    ]
    assert d.differs
    sanctions, territory = d.rows[0], d.rows[1]
    assert (sanctions.a.status, sanctions.b.status) == ("contested", "held")
    assert territory.title == "Territory"
    assert territory.summary == "territory: alpha: full-withdrawal vs beta: no-cession"
    assert sanctions.summary == "sanctions: alpha: contested: lift-first / keep-sanctions vs beta: keep-sanctions"


def test_each_side_carries_its_position_with_since_and_evidence(kb):
    d = diff_parties(kb, "alpha", "beta")
    sanctions = next(r for r in d.rows if r.issue == "sanctions")
    assert since(sanctions.a) == "2026-03"
    assert [e.id for e in sanctions.a.evidence] == ["g3-alpha-signals-lifting", "g3-paulsen-keep-sanctions"]
    territory = next(r for r in d.rows if r.issue == "territory")
    assert (since(territory.a), since(territory.b)) == ("2026-01-10", "2026-01-10")  # repeated, unbroken
    assert [e.id for e in territory.b.evidence] == ["o2-orlov-no-cession-again"]


def test_agreement_by_declared_compatibility_and_unknown_on_either_side(kb):
    d = diff_parties(kb, "gamma", "concord")
    assert rows(d) == [
        ("elections", "unknown", ["early-elections"], []),
        ("prisoners", "unknown", [], ["all-for-all"]),
        ("territory", "agree", ["demilitarised-zone"], ["ceasefire-line"]),
    ]
    assert not d.differs
    assert d.b_name == "Concord Council"
    assert d.rows[1].summary == "prisoners: gamma: no recorded position; concord: all-for-all"
    assert rows(diff_parties(kb, "concord", "gamma"))[-1] == ("territory", "agree", ["ceasefire-line"], ["demilitarised-zone"])


def test_identical_stances_agree_and_agreement_comes_after_unknown_whatever_the_tree_order(kb):
    # territory comes before crossings in the tree, but agreement is listed last
    assert rows(diff_parties(kb, "beta", "delta")) == [
        ("prisoners", "unknown", ["all-for-all"], []),
        ("sanctions", "unknown", ["keep-sanctions"], []),
        ("crossings", "unknown", ["closed-crossings"], []),
        ("territory", "agree", ["no-cession"], ["no-cession"]),
    ]


def test_an_organisation_is_compared_like_a_state(kb):
    d = diff_parties(kb, "concord", "alpha")
    assert rows(d) == [
        ("territory", "differ", ["ceasefire-line"], ["full-withdrawal"]),
        ("sanctions", "unknown", [], ["lift-first", "keep-sanctions"]),
        ("crossings", "unknown", [], ["open-crossings"]),
        ("prisoners", "agree", ["all-for-all"], ["all-for-all"]),
    ]
    assert d.rows[1].summary == "sanctions: concord: no recorded position; alpha: contested: lift-first / keep-sanctions"


def test_a_person_without_positions_of_their_own_has_those_they_voiced_for_their_side(kb):
    d = diff_parties(kb, "olga-orlov", "alpha")
    assert (d.a, d.a_name) == ("olga-orlov", "Olga Orlov")
    # beta's sanctions position (v1-beta-keep-sanctions) was not voiced by Orlov
    assert rows(d) == [
        ("territory", "differ", ["no-cession"], ["full-withdrawal"]),
        ("crossings", "differ", ["closed-crossings"], ["open-crossings"]),
        ("sanctions", "unknown", [], ["lift-first", "keep-sanctions"]),
        ("prisoners", "agree", ["all-for-all"], ["all-for-all"]),
    ]
    territory = d.rows[0].a
    assert (territory.holder, territory.status, since(territory)) == ("olga-orlov", "held", "2026-01-10")
    assert [e.id for e in territory.evidence] == ["o2-orlov-no-cession-again"]
    assert d.rows[0].summary == "territory: olga-orlov: no-cession vs alpha: full-withdrawal"


def test_a_person_agrees_with_their_own_side_on_all_they_voiced(kb):
    assert rows(diff_parties(kb, "olga-orlov", "beta")) == [
        ("sanctions", "unknown", [], ["keep-sanctions"]),
        ("prisoners", "agree", ["all-for-all"], ["all-for-all"]),
        ("territory", "agree", ["no-cession"], ["no-cession"]),
        ("crossings", "agree", ["closed-crossings"], ["closed-crossings"]),
    ]


def test_a_person_reporting_the_other_side_does_not_take_that_position(kb):
    # v1-paulsen-reports-beta (2026-01-11): Paulsen says Beta wants a phased exchange
    d = diff_parties(kb, "piet-paulsen", "beta", as_of=date("2026-01-11"))
    prisoners = next(r for r in d.rows if r.issue == "prisoners")
    assert (prisoners.relation, prisoners.a.stances, prisoners.b.stances) == ("differ", ["all-for-all"], ["phased"])
    assert [e.id for e in prisoners.a.evidence] == ["v1-paulsen-positions"]
    assert [e.id for e in prisoners.b.evidence] == ["v1-paulsen-reports-beta"]


def test_a_persons_evidence_keeps_the_holder_the_statement_names(kb):
    """The statement o2-orlov-no-cession-again gives Beta's position; as evidence it must still say so
    (the text view otherwise reads `Olga Orlov on Olga Orlov's position`)."""
    territory = diff_parties(kb, "olga-orlov", "alpha").rows[0].a
    [e] = territory.evidence
    assert e.id == "o2-orlov-no-cession-again"
    assert (e.parties, e.holders, e.holder_names) == (["beta"], ["beta"], ["Beta"])


def test_a_person_with_a_position_of_their_own_is_compared_on_it(make_kb):
    root = make_kb({
        "actors/alpha.yaml": "id: alpha\nname: Alpha\nkind: state\n",
        "actors/piet.yaml": "id: piet\nname: Piet\nkind: person\nroles:\n  - title: Envoy\n    party: alpha\n    start: 2025-01-01\n",
        "issues/prisoners.yaml": "id: prisoners\ntitle: Prisoners\nstances:\n  - {id: all-for-all, label: All}\n  - {id: phased, label: Phased}\n",
        "rounds/r.yaml": """
            id: r
            title: R
            start: 2026-01-10
            delegations: [{party: alpha, head: piet}]
            statements:
              - {id: s1, date: 2026-01-10, speaker: piet, party: alpha, attribution: paraphrase, issues: [prisoners],
                 stances: {prisoners: all-for-all}, summary: Alpha's line., sources: [article]}
              - {id: s2, date: 2026-01-10, speaker: piet, party: alpha, holder: piet, attribution: paraphrase, issues: [prisoners],
                 stances: {prisoners: phased}, summary: His own view., sources: [article]}
        """,
    })
    result = load(root)
    assert result.problems == []
    assert rows(diff_parties(result.kb, "piet", "alpha")) == [("prisoners", "differ", ["phased"], ["all-for-all"])]


def test_rows_are_differences_then_unknown_then_agreement_each_in_tree_order(kb):
    tree = [i for i, _ in issue_tree(kb)]
    rank = {"differ": 0, "unknown": 1, "agree": 2}
    for a, b in itertools.permutations(["alpha", "beta", "gamma", "delta", "concord", "olga-orlov"], 2):
        d = diff_parties(kb, a, b)
        keys = [(rank[r.relation], tree.index(r.issue)) for r in d.rows]
        assert keys == sorted(keys), (a, b)
        assert d.differs == any(r.relation == "differ" for r in d.rows)


def test_issues_where_neither_has_a_position_are_left_out(kb):
    assert "elections" not in [r.issue for r in diff_parties(kb, "alpha", "beta").rows]
    assert diff_parties(kb, "alpha", "beta", issue="elections").rows == []
    assert diff_parties(kb, "delta", "concord", issue="crossings").rows == []


def test_as_of_cuts_the_statements_at_the_date(kb):
    first_day = diff_parties(kb, "alpha", "beta", as_of=date("2026-01-10"))
    assert first_day.as_of == "2026-01-10"
    assert rows(first_day) == [
        ("prisoners", "differ", ["all-for-all"], ["phased"]),
        ("territory", "differ", ["full-withdrawal"], ["no-cession"]),
        ("sanctions", "unknown", ["keep-sanctions"], []),
        ("crossings", "unknown", ["open-crossings"], []),
    ]
    after_vienna = diff_parties(kb, "alpha", "beta", as_of=date("2026-01-11"))
    assert rows(after_vienna) == [
        ("prisoners", "differ", ["all-for-all"], ["phased"]),
        ("territory", "differ", ["full-withdrawal"], ["no-cession"]),
        ("crossings", "differ", ["open-crossings"], ["closed-crossings"]),
        ("sanctions", "agree", ["keep-sanctions"], ["keep-sanctions"]),
    ]
    assert diff_parties(kb, "alpha", "beta", as_of=date("2025-12-31")).rows == []


def test_as_of_a_month_takes_every_statement_of_that_month(kb):
    assert rows(diff_parties(kb, "gamma", "concord", as_of=date("2026-01")))[-1] == ("territory", "unknown", [], ["ceasefire-line"])
    assert rows(diff_parties(kb, "gamma", "concord", as_of=date("2026-02")))[-1] == ("territory", "agree", ["demilitarised-zone"], ["ceasefire-line"])


def test_a_retracted_statement_gives_no_position_in_a_diff(kb):
    # without the retraction, Gamma would hold full-withdrawal after Vienna
    d = diff_parties(kb, "gamma", "concord", as_of=date("2026-01-11"))
    assert rows(d) == [
        ("elections", "unknown", ["early-elections"], []),
        ("prisoners", "unknown", [], ["all-for-all"]),
        ("territory", "unknown", [], ["ceasefire-line"]),
    ]
    every_evidence = {e.id for r in d.rows for p in (r.a, r.b) for e in p.evidence}
    assert RETRACTED not in every_evidence


def test_issue_scopes_the_diff_to_the_issue_and_those_below_it(kb):
    assert [r.issue for r in diff_parties(kb, "alpha", "beta", issue="territory").rows] == ["territory", "crossings"]
    assert [r.issue for r in diff_parties(kb, "alpha", "beta", issue="crossings").rows] == ["crossings"]
    assert rows(diff_parties(kb, "beta", "delta", issue="territory")) == [
        ("crossings", "unknown", ["closed-crossings"], []),
        ("territory", "agree", ["no-cession"], ["no-cession"]),
    ]
    assert [r.issue for r in diff_parties(kb, "alpha", "beta", as_of=date("2026-01-10"), issue="territory").rows] == ["territory", "crossings"]


def test_a_contested_side_agrees_only_if_every_stance_is_compatible(kb):
    alpha = position(kb, "alpha", "sanctions")
    beta = position(kb, "beta", "sanctions")
    nobody = position(kb, "delta", "sanctions")
    assert alpha.status == "contested"
    assert relation(kb, "sanctions", alpha, beta) == "differ"
    assert relation(kb, "sanctions", alpha, alpha) == "differ"  # lift-first against keep-sanctions
    assert relation(kb, "sanctions", alpha, nobody) == relation(kb, "sanctions", nobody, beta) == "unknown"


# --- one moment against another -------------------------------------------------------------------


def test_positions_after_a_round_are_those_of_its_last_day(kb):
    assert after_round(kb, VIENNA) == (VIENNA, date("2026-01-11"))
    assert after_round(kb, OSLO) == (OSLO, date("2026-02-14"))  # a one-day round
    assert after_round(kb, GENEVA) == (GENEVA, date("2026-03-21"))


def test_a_moment_is_a_date_or_nothing(kb):
    assert moment(kb, "2026-02") == ("2026-02", date("2026-02"))
    assert moment(kb, "2026-01-11") == ("2026-01-11", date("2026-01-11"))
    assert moment(kb, VIENNA) is None
    assert moment(kb, "2026-13") is None  # not a date: the CLI then looks for a round


def test_from_vienna_to_geneva_one_changes_one_appears_one_becomes_contested(kb):
    (start_label, start), (end_label, end) = after_round(kb, VIENNA), after_round(kb, GENEVA)
    report = changes(kb, start, end, start_label, end_label)
    assert (report.start.label, report.start.date, report.end.label, report.end.date) == (VIENNA, "2026-01-11", GENEVA, "2026-03-21")
    assert moved(report) == [
        ("beta", "prisoners", "changed", ["phased"], ["all-for-all"], ["g3-orlov-all-for-all"]),
        ("alpha", "sanctions", "changed", ["keep-sanctions"], ["lift-first", "keep-sanctions"],
         ["g3-alpha-signals-lifting", "g3-paulsen-keep-sanctions"]),
        ("gamma", "territory", "appeared", [], ["demilitarised-zone"], ["o2-gamma-demilitarised"]),
    ]
    assert [c.holder_name for c in report.changes] == ["Beta", "Alpha", "Gamma"]
    assert position(kb, "alpha", "sanctions", end).status == "contested"
    assert position(kb, "alpha", "sanctions", start).status == "held"


def test_the_same_span_given_by_dates_finds_the_same_changes(kb):
    by_rounds = changes(kb, after_round(kb, VIENNA)[1], after_round(kb, GENEVA)[1], VIENNA, GENEVA)
    by_dates = changes(kb, date("2026-01-11"), date("2026-03-21"))
    assert moved(by_dates) == moved(by_rounds)
    assert (by_dates.start.label, by_dates.start.date, by_dates.end.label) == ("2026-01-11", "2026-01-11", "2026-03-21")


def test_round_by_round(kb):
    vienna, oslo, geneva = (after_round(kb, r)[1] for r in (VIENNA, OSLO, GENEVA))
    # a repeated stance (o2-orlov-no-cession-again) moves nothing
    assert moved(changes(kb, vienna, oslo)) == [("gamma", "territory", "appeared", [], ["demilitarised-zone"], ["o2-gamma-demilitarised"])]
    assert [(c.holder, c.issue, c.kind) for c in changes(kb, oslo, geneva).changes] == [("beta", "prisoners", "changed"), ("alpha", "sanctions", "changed")]


def test_statements_on_the_last_day_of_a_round_stand_after_it(kb):
    # made on Vienna's last day: a change from its first day, none from its end
    assert moved(changes(kb, date("2026-01-10"), date("2026-01-11"))) == [
        ("gamma", "elections", "appeared", [], ["early-elections"], ["v1-gamma-elections"]),
        ("beta", "sanctions", "appeared", [], ["keep-sanctions"], ["v1-beta-keep-sanctions"]),
        ("beta", "crossings", "appeared", [], ["closed-crossings"], ["v1-orlov-crossings"]),
    ]
    assert not {c.issue for c in changes(kb, after_round(kb, VIENNA)[1], date("2026-12-31")).changes} & {"elections", "crossings"}


def test_nothing_changes_where_nothing_was_said(kb):
    report = changes(kb, date("2026-02-15"), date("2026-02-28"))
    assert report.changes == []


def test_a_retracted_statement_moves_nothing(kb):
    # counted, it would make Gamma's territory `changed` from full-withdrawal rather than `appeared`
    gamma = [c for c in changes(kb, date("2026-01-11"), date("2026-03-21")).changes if c.holder == "gamma"]
    assert [(c.kind, c.before) for c in gamma] == [("appeared", [])]
    everything = changes(kb, date("2025-01-01"), date("2026-12-31"))
    assert RETRACTED not in {e.id for c in everything.changes for e in c.statements}


def test_going_forward_in_time_no_position_disappears(kb):
    """Statements only accumulate and a retraction counts at every date, so a stance once recorded stays."""
    moments = ["2025-12-31", "2026-01-05", "2026-01-10", "2026-01-11", "2026-02", "2026-02-14", "2026-03", "2026-03-21", "2027"]
    for start, end in itertools.combinations(moments, 2):
        assert "disappeared" not in {c.kind for c in changes(kb, date(start), date(end)).changes}, (start, end)


def test_going_backwards_what_appeared_disappears(kb):
    report = changes(kb, date("2026-03-21"), date("2026-01-11"))
    assert moved(report) == [
        ("beta", "prisoners", "changed", ["all-for-all"], ["phased"], []),
        ("alpha", "sanctions", "changed", ["lift-first", "keep-sanctions"], ["keep-sanctions"], []),
        ("gamma", "territory", "disappeared", ["demilitarised-zone"], [], []),
    ]


def _sanctions_kb(make_kb, statements: str):
    root = make_kb({
        "actors/alpha.yaml": "id: alpha\nname: Alpha\nkind: state\n",
        "issues/sanctions.yaml": "id: sanctions\ntitle: Sanctions\nstances:\n  - {id: lift-first, label: Lift}\n  - {id: keep-sanctions, label: Keep}\n",
        "rounds/talks.yaml": "id: talks\ntitle: Talks\nstart: 2026-02-01\ndelegations: [{party: alpha}]\nstatements:\n" + statements,
    }, base=False)
    (root / "sources" / "wire.yaml").write_text("id: wire\ntitle: A wire story\n", encoding="utf-8")
    result = load(root)
    assert result.problems == []
    return result.kb


def _said(ident: str, when: str, stance: str) -> str:
    return (f"  - {{id: {ident}, date: {when}, party: alpha, attribution: reported, issues: [sanctions],"
            f" stances: {{sanctions: {stance}}}, summary: Said., sources: [wire]}}\n")


def test_a_position_contested_between_the_same_stances_at_both_moments_has_not_changed(make_kb):
    kb = _sanctions_kb(make_kb, _said("a-keep", "2026-02-01", "keep-sanctions") + _said("b-lift-in-february", "2026-02", "lift-first")
                       + _said("c-keep-again", "2026-02-15", "keep-sanctions"))
    before = position(kb, "alpha", "sanctions", date("2026-02-01"))
    after = position(kb, "alpha", "sanctions", date("2026-02-20"))
    assert (before.status, set(before.stances)) == (after.status, set(after.stances)) == ("contested", {"keep-sanctions", "lift-first"})
    assert changes(kb, date("2026-02-01"), date("2026-02-20")).changes == []


# --- the common-ground matrix ---------------------------------------------------------------------


def test_the_matrix_shows_the_parties_at_the_table_and_every_issue_someone_holds(kb):
    m = matrix(kb)
    # delta holds a position but never sits at the table
    assert (m.as_of, m.parties, m.party_names) == (None, ["alpha", "beta", "gamma", "concord"], ["Alpha", "Beta", "Gamma", "Concord Council"])
    assert grid(m) == [
        ("elections", 0, "open", [[], [], ["early-elections"], []]),
        ("prisoners", 0, "converging", [["all-for-all"], ["all-for-all"], [], ["all-for-all"]]),
        ("sanctions", 0, "diverging", [["lift-first", "keep-sanctions"], ["keep-sanctions"], [], []]),
        ("territory", 0, "diverging", [["full-withdrawal"], ["no-cession"], ["demilitarised-zone"], ["ceasefire-line"]]),
        ("crossings", 1, "diverging", [["open-crossings"], ["closed-crossings"], [], []]),
    ]
    assert [r.title for r in m.rows] == ["Elections", "Prisoner exchange", "Sanctions", "Territory", "Border crossings"]


def test_each_cell_has_the_status_labels_and_the_evidence_of_every_stance(kb):
    sanctions = next(r for r in matrix(kb).rows if r.issue == "sanctions")
    assert [(c.party, c.status, c.stances, c.evidence) for c in sanctions.cells] == [
        ("alpha", "contested", ["lift-first", "keep-sanctions"], ["g3-alpha-signals-lifting", "g3-paulsen-keep-sanctions"]),
        ("beta", "held", ["keep-sanctions"], ["v1-beta-keep-sanctions"]),
        ("gamma", "unknown", [], []),
        ("concord", "unknown", [], []),
    ]
    labels = {s.id: s.label for s in kb.issues["sanctions"].stances}
    assert sanctions.cells[0].labels == [labels["lift-first"], labels["keep-sanctions"]]


def test_the_matrix_as_of_a_date(kb):
    after_vienna = matrix(kb, as_of=date("2026-01-11"))
    assert after_vienna.as_of == "2026-01-11"
    assert grid(after_vienna) == [
        ("elections", 0, "open", [[], [], ["early-elections"], []]),
        ("prisoners", 0, "diverging", [["all-for-all"], ["phased"], [], ["all-for-all"]]),
        ("sanctions", 0, "converging", [["keep-sanctions"], ["keep-sanctions"], [], []]),
        ("territory", 0, "diverging", [["full-withdrawal"], ["no-cession"], [], ["ceasefire-line"]]),  # the retracted stance is not Gamma's
        ("crossings", 1, "diverging", [["open-crossings"], ["closed-crossings"], [], []]),
    ]
    # on the first day nobody has spoken on elections yet, so the issue is not shown
    assert [(r.issue, r.status) for r in matrix(kb, as_of=date("2026-01-10")).rows] == [
        ("prisoners", "diverging"), ("sanctions", "open"), ("territory", "diverging"), ("crossings", "open"),
    ]
    assert matrix(kb, as_of=date("2025-12-31")).rows == []


def test_chosen_parties_make_rows_converge_by_compatibility_or_identity(kb):
    m = matrix(kb, parties=["gamma", "concord"])
    assert (m.parties, m.party_names) == (["gamma", "concord"], ["Gamma", "Concord Council"])
    assert [(r.issue, r.status) for r in m.rows] == [
        ("elections", "open"), ("prisoners", "open"), ("sanctions", "open"), ("territory", "converging"), ("crossings", "open"),
    ]
    assert next(r.status for r in matrix(kb, parties=["beta", "delta"]).rows if r.issue == "territory") == "converging"
    assert next(r.status for r in matrix(kb, parties=["alpha", "delta"]).rows if r.issue == "territory") == "diverging"


def test_a_person_can_be_a_column(kb):
    m = matrix(kb, issues=["sanctions", "territory"], parties=["olga-orlov", "beta"])
    assert m.party_names == ["Olga Orlov", "Beta"]
    assert grid(m) == [
        ("sanctions", 0, "open", [[], ["keep-sanctions"]]),
        ("territory", 0, "converging", [["no-cession"], ["no-cession"]]),
        ("crossings", 1, "converging", [["closed-crossings"], ["closed-crossings"]]),
    ]


def test_chosen_issues_bring_their_sub_issues_even_when_nobody_holds_them(kb):
    assert [(r.issue, r.depth) for r in matrix(kb, issues=["territory"]).rows] == [("territory", 0), ("crossings", 1)]
    assert [r.issue for r in matrix(kb, issues=["prisoners", "territory"]).rows] == ["prisoners", "territory", "crossings"]
    assert [(r.issue, r.depth) for r in matrix(kb, issues=["crossings"]).rows] == [("crossings", 0)]
    # elections is shown when asked for, though neither party holds a stance on it
    assert grid(matrix(kb, issues=["elections"], parties=["alpha", "beta"])) == [("elections", 0, "open", [[], []])]


def test_an_issue_asked_for_with_its_parent_is_shown_once(kb):
    issues = [r.issue for r in matrix(kb, issues=["crossings", "territory"]).rows]
    assert sorted(issues) == ["crossings", "territory"]


LINE = """\
id: line
title: The line
stances:
  - {id: demilitarised-zone, label: Zone}
  - {id: ceasefire-line, label: Line}
  - {id: frozen-front, label: Front}
  - {id: full-withdrawal, label: Withdrawal}
  - {id: no-cession, label: No cession}
"""


def _zone_kb(make_kb, compatible: str, statements: str):
    states = {f"actors/{p}.yaml": f"id: {p}\nname: {p.title()}\nkind: state\n" for p in ("alpha", "beta", "gamma")}
    root = make_kb({
        **states,
        "issues/line.yaml": LINE + compatible,
        "rounds/talks.yaml": "id: talks\ntitle: Talks\nstart: 2026-02-01\ndelegations: [{party: alpha}, {party: beta}, {party: gamma}]\nstatements:\n" + statements,
    }, base=False)
    (root / "sources" / "wire.yaml").write_text("id: wire\ntitle: A wire story\n", encoding="utf-8")
    result = load(root)
    assert result.problems == []
    return result.kb


def _on_line(ident: str, party: str, stance: str, when: str = "2026-02-01") -> str:
    return (f"  - {{id: {ident}, date: {when}, party: {party}, attribution: reported, issues: [line],"
            f" stances: {{line: {stance}}}, summary: Said., sources: [wire]}}\n")


def test_compatibility_is_not_transitive_in_the_matrix(make_kb):
    groups = "compatible:\n  - [demilitarised-zone, ceasefire-line]\n  - [ceasefire-line, frozen-front]\n"
    kb = _zone_kb(make_kb, groups, _on_line("a", "alpha", "ceasefire-line") + _on_line("b", "beta", "demilitarised-zone") + _on_line("c", "gamma", "frozen-front"))
    # the first column agrees with each of the others, but those two do not agree with each other
    assert [r.relation for r in diff_parties(kb, "alpha", "beta").rows] == ["agree"]
    assert [r.relation for r in diff_parties(kb, "alpha", "gamma").rows] == ["agree"]
    assert [r.relation for r in diff_parties(kb, "beta", "gamma").rows] == ["differ"]
    assert matrix(kb).parties == ["alpha", "beta", "gamma"]
    assert [r.status for r in matrix(kb).rows] == ["diverging"]
    assert [r.status for r in matrix(kb, parties=["alpha", "gamma"]).rows] == ["converging"]


def test_compatible_stances_voiced_together_are_held_together_and_can_agree(make_kb):
    groups = "compatible:\n  - [demilitarised-zone, ceasefire-line]\n"
    kb = _zone_kb(make_kb, groups, _on_line("a1", "alpha", "demilitarised-zone") + _on_line("a2", "alpha", "ceasefire-line")
                  + _on_line("b", "beta", "ceasefire-line") + _on_line("g", "gamma", "no-cession"))
    alpha = position(kb, "alpha", "line")
    assert (alpha.status, alpha.stances) == ("held", ["demilitarised-zone", "ceasefire-line"])
    assert rows(diff_parties(kb, "alpha", "beta")) == [("line", "agree", ["demilitarised-zone", "ceasefire-line"], ["ceasefire-line"])]
    assert rows(diff_parties(kb, "alpha", "gamma")) == [("line", "differ", ["demilitarised-zone", "ceasefire-line"], ["no-cession"])]
    assert [r.status for r in matrix(kb, parties=["alpha", "beta"]).rows] == ["converging"]
    assert [r.status for r in matrix(kb).rows] == ["diverging"]


def test_incompatible_stances_voiced_together_make_a_contested_cell_and_a_diverging_row(make_kb):
    kb = _zone_kb(make_kb, "", _on_line("a1", "alpha", "full-withdrawal") + _on_line("a2", "alpha", "no-cession") + _on_line("b", "beta", "no-cession"))
    [row] = matrix(kb, parties=["alpha", "beta"]).rows
    assert [(c.status, c.stances) for c in row.cells] == [("contested", ["full-withdrawal", "no-cession"]), ("held", ["no-cession"])]
    assert row.status == "diverging"
    # one contested party alone is still fewer than two known
    assert [r.status for r in matrix(kb, parties=["alpha", "gamma"]).rows] == ["open"]
