"""Finding records by what people type (peacekb.names), on tests/fixtures/positions."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from peacekb.loader import load
from peacekb.names import Candidate, fold, resolve

POSITIONS = FIXTURES / "positions"


@pytest.fixture(scope="module")
def kb():
    result = load(POSITIONS)
    assert result.problems == []
    return result.kb


def found(kb, kind: str, query: str) -> str | None:
    result = resolve(kb, kind, query)
    assert not result.candidates and not result.others, result
    return result.found


def test_fold():
    assert fold("Dolmabahçe") == "dolmabahce"
    assert fold("Ana ÁLVAREZ") == "ana alvarez"
    assert fold("abu-dhabi-2026-02") == "abu dhabi 2026 02"
    assert fold("  Alpha's  twelve-point plan ") == "alpha s twelve point plan"


@pytest.mark.parametrize(
    "kind, query, expected",
    [
        ("actors", "ana-alvarez", "ana-alvarez"),  # id
        ("actors", "Ana Álvarez", "ana-alvarez"),  # name
        ("actors", "Republic of Alpha", "alpha"),  # alias
        ("actors", "KINGDOM OF BETA", "beta"),  # alias, any case
        ("actors", "ana alvarez", "ana-alvarez"),  # accents folded
        ("actors", "ÁLVAREZ", "ana-alvarez"),  # a word of the name
        ("actors", "alvarez", "ana-alvarez"),
        ("actors", "kingdom", "beta"),  # a word of an alias
        ("actors", "petrov", "ivan-petrov"),
        ("actors", "ivan sok", "ivan-sokolov"),  # the start of a word
        ("issues", "Border zone of the territory", "border-zone"),
        ("issues", "zone", "border-zone"),
        ("issues", "quenc", "sequencing"),  # any part
        ("rounds", "abu dhabi", "abu-dhabi-2026-02"),  # part of the title, several words
        ("rounds", "Abu-Dhabi", "abu-dhabi-2026-02"),
        ("rounds", "dhabi", "abu-dhabi-2026-02"),
        ("rounds", "Dolmabahce", "istanbul-2026-04"),  # accent folded: the title says Dolmabahçe
        ("rounds", "dolmabahçe palace", "istanbul-2026-04"),
        ("rounds", "Geneva talks, January 2026", "geneva-2026-01"),  # an exact title wins over others' parts
        ("rounds", "january", "geneva-2026-01"),
        ("events", "twelve-point", "alpha-twelve-point-plan"),
        ("sources", "rumour", "daily-rumour"),
        ("statements", "g3-bek-cession", "g3-bek-cession"),
    ],
)
def test_resolve_one(kb, kind, query, expected):
    assert found(kb, kind, query) == expected


def test_an_exact_match_wins_over_a_word_of_another_name(kb):
    # `territory` is the id and title of one issue, and a word of the other's title
    assert found(kb, "issues", "territory") == "territory"
    assert found(kb, "issues", "Territory") == "territory"


def test_ambiguous_persons_are_listed_not_picked(kb):
    result = resolve(kb, "actors", "ivan")
    assert result.found is None and result.ambiguous
    assert result.candidates == [
        Candidate("ivan-petrov", "Ivan Petrov", "person"),
        Candidate("ivan-sokolov", "Ivan Sokolov", "person"),
    ]
    assert result.suggestions == [] and result.others == []


def test_ambiguous_issues_are_listed_with_their_parent(kb):
    result = resolve(kb, "issues", "rritor")  # a part of both `Territory` and `Border zone of the territory`
    assert result.found is None
    assert [(c.id, c.detail) for c in result.candidates] == [("border-zone", "under territory"), ("territory", "")]


def test_ambiguous_rounds_resolve_to_the_latest_and_name_the_others(kb):
    result = resolve(kb, "rounds", "geneva")
    assert result.found == "geneva-2026-03"
    assert not result.ambiguous and result.candidates == []
    assert result.others == [Candidate("geneva-2026-01", "Geneva talks, January 2026", "2026-01-20 to 2026-01-21")]


def test_the_others_are_all_named_oldest_first(kb):
    result = resolve(kb, "rounds", "2026")  # a word of every round's id
    assert result.found == "istanbul-2026-04"
    assert [c.id for c in result.others] == ["geneva-2026-01", "abu-dhabi-2026-02", "geneva-2026-03"]


def test_ambiguous_events_resolve_to_the_latest(kb):
    result = resolve(kb, "events", "plan")
    assert result.found == "beta-counter-plan"
    assert result.others == [Candidate("alpha-twelve-point-plan", "Alpha's twelve-point plan", "plan, 2026-01-05")]


@pytest.mark.parametrize(
    "kind, query, suggested",
    [
        ("actors", "alpah", "alpha"),
        ("actors", "alvares", "ana-alvarez"),
        ("actors", "greta gould", "greta-gold"),
        ("issues", "boder", "border-zone"),
    ],
)
def test_nothing_matches_gives_suggestions(kb, kind, query, suggested):
    result = resolve(kb, kind, query)
    assert result.found is None and result.candidates == [] and result.others == []
    assert suggested in [c.id for c in result.suggestions]


def test_the_suggestions_describe_the_record(kb):
    [suggestion] = [c for c in resolve(kb, "actors", "alvares").suggestions if c.id == "ana-alvarez"]
    assert suggestion == Candidate("ana-alvarez", "Ana Álvarez", "person")


def test_a_misspelt_place_suggests_the_rounds_there(kb):
    result = resolve(kb, "rounds", "genva")
    assert result.found is None
    assert {"geneva-2026-01", "geneva-2026-03"} & {c.id for c in result.suggestions}


def test_a_round_is_found_by_its_place(kb):
    assert kb.rounds["abu-dhabi-2026-02"].location == "Abu Dhabi, United Arab Emirates"
    assert resolve(kb, "rounds", "United Arab Emirates").found == "abu-dhabi-2026-02"
    switzerland = resolve(kb, "rounds", "switzerland")
    assert switzerland.found == "geneva-2026-03" and [c.id for c in switzerland.others] == ["geneva-2026-01"]


@pytest.mark.parametrize("query", ["", "   ", "--"])
def test_an_empty_query_finds_nothing_and_suggests_nothing(kb, query):
    result = resolve(kb, "actors", query)
    assert (result.found, result.candidates, result.others, result.suggestions) == (None, [], [], [])


def test_a_name_of_another_kind_is_not_found(kb):
    assert resolve(kb, "issues", "alpha").found is None
    assert resolve(kb, "actors", "sequencing").found is None
