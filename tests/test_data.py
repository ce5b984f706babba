"""Invariants of the bundled knowledge base that a contributor could break.

`peacekb validate` checks the form of every record and every reference; these tests check what
the data must also be true to: who spoke for whom, that claims carry their sources, and that
disputed or doubtful facts say so.
"""

from pathlib import Path

import pytest

from peacekb.checks import speaks_for
from peacekb.loader import load

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def result():
    return load(DATA)


@pytest.fixture(scope="module")
def kb(result):
    return result.kb


def test_validates_without_errors_or_warnings(result):
    assert [str(p) for p in result.problems] == []


def test_every_round_held_with_statements_names_its_delegations(kb):
    missing = [r.id for r in kb.rounds.values() if r.status == "held" and r.statements and not r.delegations]
    assert missing == []


def test_every_speaker_held_a_role_for_their_party_on_the_day(kb):
    wrong = [
        (s.id, s.speaker, s.party, str(s.date))
        for s in kb.statements.values()
        if s.speaker and s.speaker != s.party and not speaks_for(kb, s.speaker, s.party, s.date)
    ]
    assert wrong == []


def test_speakers_are_persons_and_parties_are_not(kb):
    assert [s.id for s in kb.statements.values() if s.speaker and kb.actors[s.speaker].kind != "person"] == []
    assert [s.id for s in kb.statements.values() if kb.actors[s.party].kind == "person"] == []


def test_every_statement_and_every_quote_has_a_source(kb):
    assert [s.id for s in kb.statements.values() if not s.all_sources] == []
    assert [s.id for s in kb.statements.values() for q in s.quotes if q.source not in kb.sources] == []


def test_direct_quotes_carry_their_words_and_paraphrases_say_so(kb):
    assert [s.id for s in kb.statements.values() if s.attribution == "direct-quote" and not s.quotes] == []


def test_a_stance_is_only_taken_on_an_issue_the_statement_lists(kb):
    assert [s.id for s in kb.statements.values() if set(s.stances) - set(s.issues)] == []


def test_doubtful_sources_say_why(kb):
    low = [s.id for s in kb.sources.values() if s.reliability == "low" and not s.note]
    untitled = [s.id for s in kb.sources.values() if s.title_status == "none" and not s.note]
    assert low == [] and untitled == []


def test_disputes_keep_every_version_with_its_sources(kb):
    records = [*kb.rounds.values(), *kb.events.values(), *kb.statements.values(), *kb.actors.values()]
    for record in records:
        for dispute in record.disputes:
            assert len(dispute.versions) >= 2, (record.id, dispute.id)
            for version in dispute.versions:
                assert version.sources, (record.id, dispute.id)
                assert set(version.sources) <= set(kb.sources), (record.id, dispute.id)


def test_rounds_that_were_held_have_dates_in_order_and_sources(kb):
    for rnd in kb.rounds.values():
        assert rnd.end is None or rnd.start.earliest <= rnd.end.latest, rnd.id
        if rnd.status == "held":
            cited = set(rnd.sources) | {s for d in rnd.delegations for s in d.sources} | {s for o in rnd.outcomes for s in o.sources}
            assert cited, f"{rnd.id} cites no source for having taken place"


def test_retracted_statements_say_why(kb):
    assert [s.id for s in kb.statements.values() if s.retracted and not s.retracted.reason.strip()] == []


def test_every_named_archive_exists(kb):
    for source in kb.sources.values():
        if source.archive:
            assert (DATA / "sources" / source.archive).is_file(), source.id
