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
        (s.id, s.speaker, s.party_ids, str(s.date))
        for s in kb.statements.values()
        if s.speaker and s.speaker not in s.party_ids and not any(speaks_for(kb, s.speaker, p, s.date) for p in s.party_ids)
    ]
    assert wrong == []


def test_speakers_are_persons_and_parties_are_not(kb):
    assert [s.id for s in kb.statements.values() if s.speaker and kb.actors[s.speaker].kind != "person"] == []
    assert [s.id for s in kb.statements.values() for p in s.party_ids if kb.actors[p].kind == "person"] == []


def test_every_statement_and_every_quote_has_a_source(kb):
    assert [s.id for s in kb.statements.values() if not s.all_sources] == []
    assert [s.id for s in kb.statements.values() for q in s.quotes if q.source not in kb.sources] == []


def test_direct_quotes_carry_their_words_and_paraphrases_say_so(kb):
    assert [s.id for s in kb.statements.values() if s.attribution == "direct-quote" and not s.quotes] == []


def test_a_stance_is_only_taken_on_an_issue_the_statement_lists(kb):
    assert [s.id for s in kb.statements.values() if set(s.stances) - set(s.issues)] == []


def test_the_documents_give_their_authors_the_stances_they_state(kb):
    """Russia's memorandum, the US 28-point plan and Ukraine's 20-point framework take stances of
    their own (issue 11): the diff of Russia and Ukraine must show Russia's memorandum."""
    from peacekb.claims import document_claims

    held = {(c.id, tuple(c.holders), issue, stance) for c in document_claims(kb) for issue, stance in c.stances.items()}
    memorandum = "russian-memorandum-2025-06"
    assert {(f"{memorandum}#neutrality", ("russia",), "nato", "neutrality"),
            (f"{memorandum}#recognition-of-five-regions", ("russia",), "territory", "recognition-of-russian-claims"),
            (f"{memorandum}#army-caps", ("russia",), "army-size", "cap-per-russian-memorandum"),
            (f"{memorandum}#lifting-of-sanctions", ("russia",), "sanctions", "lift-sanctions"),
            (f"{memorandum}#renunciation-of-war-damage-claims", ("russia",), "frozen-assets", "renounce-war-damage-claims"),
            (f"{memorandum}#elections-then-peace-treaty", ("russia",), "elections", "elections-before-peace-treaty")} <= held
    # a plan drafted by officials is their government's: no person holds the US plan's stances
    plan = {c.holders[0] for c in document_claims(kb) if c.event == "us-28-point-plan-2025-11"}
    assert plan == {"united-states"}
    assert {c.holders[0] for c in document_claims(kb) if c.event == "ukraine-20-point-framework-2025-12"} == {"ukraine"}


def test_joint_statements_are_one_record_held_by_every_party(kb):
    joint = kb.statements["geneva-2025-11-joint-statement-uphold-sovereignty"]
    assert joint.holders == ["united-states", "ukraine"] and joint.party is None
    # no statement repeats the words of another for the other party
    said = [(q.text, q.source) for s in kb.statements.values() for q in s.quotes]
    assert len(said) == len(set(said))


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


def test_no_headline_puts_a_holder_on_both_sides_of_vs(kb):
    """At the end of every month of the process and today, on every issue: the camps of a headline
    name different holders, and a contested holder is in no camp."""
    from peacekb import queries
    from peacekb.dates import FuzzyDate

    months = [None] + [FuzzyDate.parse(f"{y}-{m:02d}") for y, m in [(2025, m) for m in range(5, 13)] + [(2026, m) for m in range(1, 4)]]
    seen = 0
    for when in months:
        for ident, depth in queries.issue_tree(kb):
            if depth:
                continue  # positions of a root issue include its sub-issues
            for block in queries.positions(kb, ident, when):
                h = block.headline
                camps = [{holder for e in camp for holder in e.holders} for camp in h.camps]
                named = [holder for camp in camps for holder in camp]
                assert len(named) == len(set(named)), h.text
                assert not set(named) & {e.holders[0] for e in h.contested}, h.text
                # "vs" stands between camps only, each pair of which holds incompatible stances
                issue = kb.issues[block.issue]
                for i, a in enumerate(h.camps):
                    for b in h.camps[i + 1 :]:
                        assert any(not issue.agree(x, y) for ea in a for eb in b for x in ea.stances for y in eb.stances), h.text
                seen += 1
    assert seen > 200


def test_every_stance_an_issue_offers_is_carried_by_a_statement_or_a_document(kb):
    from peacekb.queries import live_claims

    carried = {(issue, stance) for c in live_claims(kb) for issue, stance in c.stances.items()}
    assert [(i.id, s.id) for i in kb.issues.values() for s in i.stances if (i.id, s.id) not in carried] == []


def test_no_two_actors_share_a_wikidata_id(kb):
    seen: dict[str, list[str]] = {}
    for actor in kb.actors.values():
        if actor.wikidata:
            seen.setdefault(actor.wikidata, []).append(actor.id)
    assert {qid: ids for qid, ids in seen.items() if len(ids) > 1} == {}


def test_every_wikidata_id_cites_a_source(kb):
    """An id is kept only where a stored page confirms it (issue 10): the actor cites that page."""
    assert [a.id for a in kb.actors.values() if a.wikidata and not a.sources] == []
    assert [(a.id, s) for a in kb.actors.values() for s in a.sources if s not in kb.sources] == []


def test_no_person_has_a_country_without_a_source(kb):
    """A state's code follows from its name; a person's country is a claim about the person, given
    only where a source in the actor's own `sources` states it. A role held for a state, with its
    sources, says whom the person acted for, not their nationality, so it does not count."""
    assert [a.id for a in kb.actors.values() if a.kind == "person" and a.country and not a.sources] == []


def test_no_statement_is_dated_past_the_publication_of_a_source_that_reports_it(kb):
    """What a source reports was said by the time it was published: a statement's date may not run
    past the publication of any of its sources that gives one. A remark an undated report gives is
    dated `../` the report's date (`../2026-02-23`), not by the month of the report."""
    late = []
    for s in kb.statements.values():
        for ident in s.all_sources:
            published = kb.sources[ident].published
            if published is not None and s.date.latest > published.latest:
                late.append((s.id, str(s.date), ident, str(published)))
    assert late == []


# The official languages (ISO 639-1) of the countries of the bundled actors.
LANGUAGES = {
    "AE": {"ar"}, "CH": {"de", "fr", "it", "rm"}, "CZ": {"cs"}, "DE": {"de"}, "EG": {"ar"}, "FR": {"fr"},
    "GB": {"en"}, "HU": {"hu"}, "IR": {"fa"}, "IT": {"it"}, "QA": {"ar"}, "RU": {"ru"}, "SK": {"sk"},
    "TR": {"tr"}, "UA": {"uk"}, "US": {"en"},
}


def test_quotes_of_speakers_of_another_language_are_marked_translations_or_say_why_not(kb):
    """A quote whose speaker's language is not the page's is marked `translation: true` (the page
    gives its English for words said in Ukrainian, Russian, Turkish, ...), or its note says why it
    is not (an official speaking English in an English interview), using the word "translation".

    The speaker's language is taken to be that of the state they spoke for (the party's `country`,
    by LANGUAGES; any party of a joint statement): persons carry no country of their own unless a
    source gives it. The page's language is the quote's `language`, else its source's. A party with
    no country (the EU) is not judged."""
    unmapped, unknown_page, unmarked = set(), [], []
    for s in kb.statements.values():
        countries = {kb.actors[a].country for a in s.party_ids}
        if not s.quotes or None in countries:
            continue
        unmapped |= countries - LANGUAGES.keys()
        spoken = set().union(*(LANGUAGES.get(c, set()) for c in countries))
        for n, quote in enumerate(s.quotes):
            page = quote.language or kb.sources[quote.source].language
            if page is None:
                unknown_page.append((s.id, n, quote.source))
            elif page not in spoken and not quote.translation and "translation" not in (quote.note or ""):
                unmarked.append((s.id, n, quote.source, page))
    assert not unmapped, f"give LANGUAGES the official languages of {sorted(unmapped)}"
    assert unknown_page == [], "a quoted source needs its `language` for the rule to be checked"
    assert unmarked == []


# --- agreements (issue 18): what the parties agreed, and what became of it ---------------------


def _agreements(kb):
    return [e for e in kb.events.values() if e.kind == "agreement"]


def test_the_bundled_data_records_agreements(kb):
    """The exchanges agreed in Istanbul (May, June, July 2025) and Abu Dhabi (February 2026) at least."""
    from peacekb.agreements import covered

    exchanges = [e for e in _agreements(kb) if "prisoner-exchange" in covered(e)]
    assert len(exchanges) >= 4
    assert {r for e in exchanges for r in e.rounds} >= {"istanbul-2025-05", "istanbul-2025-06", "istanbul-2025-07", "abu-dhabi-2026-02"}


def test_every_agreement_names_its_parties_with_sources(kb):
    for event in _agreements(kb):
        assert len({p.party for p in event.parties}) >= 2, event.id
        assert all(p.sources and set(p.sources) <= set(kb.sources) for p in event.parties), event.id
        assert event.provisions and all(set(p.sources) <= set(kb.sources) for p in event.provisions), event.id


def test_every_agreement_reached_at_a_round_is_listed_by_it_and_dated_within_it(kb):
    """An agreement names the round it came out of, the round lists it among its documents, and the
    agreement's date falls within the round's days."""
    for event in _agreements(kb):
        assert event.rounds, f"{event.id} names no round"
        for ident in event.rounds:
            rnd = kb.rounds[ident]
            assert event.id in rnd.events, f"{ident} does not list {event.id} in `events`"
            assert rnd.start.earliest <= event.date.latest and event.date.earliest <= rnd.last_day.latest, (event.id, ident)


def test_every_exchange_agreement_names_a_round_with_the_exchange_on_its_agenda(kb):
    from peacekb.agreements import covered

    for event in _agreements(kb):
        if "prisoner-exchange" in covered(event):
            assert any("prisoner-exchange" in kb.rounds[r].agenda for r in event.rounds), event.id


def test_every_status_change_cites_sources_and_follows_the_agreement(kb):
    for event in _agreements(kb):
        previous = None
        for change in event.history:
            assert change.sources and set(change.sources) <= set(kb.sources), (event.id, change.status)
            assert change.date.latest >= event.date.earliest, f"{event.id}: {change.status} ({change.date}) before the agreement ({event.date})"
            assert previous is None or change.date.latest >= previous.date.earliest, (event.id, change.status)
            previous = change


def test_an_agreement_without_a_status_says_why(kb):
    """Where the sources give no status (an exchange agreed but never dated as carried out), the
    record says so, in `not_found` and where its card shows it, the description."""
    silent = [e.id for e in _agreements(kb) if not e.history and not (e.not_found and "No status is recorded" in (e.description or ""))]
    assert silent == []


def test_an_agreements_parties_hold_its_stances(kb):
    """An agreement names no signatories or authors: the parties that negotiated it hold what it says."""
    from peacekb.claims import document_claims

    agreements = {e.id: e for e in _agreements(kb)}
    claims = [c for c in document_claims(kb) if c.event in agreements]
    assert claims
    for claim in claims:
        assert set(claim.holders) == {p.party for p in agreements[claim.event].parties}, claim.id


def test_no_joint_statement_repeats_an_agreement_of_its_round(kb):
    """What the parties agreed is the agreement's: no joint statement of the same parties, in a round
    an agreement came out of, records it again as a stance of theirs."""
    twice = []
    for event in _agreements(kb):
        parties = {p.party for p in event.parties}
        for ident in event.rounds:
            twice += [(event.id, s.id) for s in kb.rounds[ident].statements if len(s.parties) > 1 and set(s.parties) == parties]
    assert twice == []


def test_statements_refer_to_events_that_exist_and_not_to_later_agreements(kb):
    """A statement that responds to an agreement is not older than it."""
    wrong = []
    for s in kb.statements.values():
        for ident in s.refers_to:
            event = kb.events.get(ident)
            if event is None or (event.kind == "agreement" and s.date.latest < event.date.earliest):
                wrong.append((s.id, ident))
    assert wrong == []


def test_statements_about_an_exchange_refer_to_its_agreement(kb):
    """A statement on prisoner exchanges made at a round an exchange agreement came out of, and
    naming the exchange's figures, refers to the agreement."""
    import re

    missing = []
    for event in _agreements(kb):
        figures = set(re.findall(r"\d[\d,]*", " ".join(p.summary for p in event.provisions)))
        for ident in event.rounds:
            for s in kb.rounds[ident].statements:
                words = " ".join(q.text for q in s.quotes)
                if "prisoner-exchange" in s.issues and figures & set(re.findall(r"\d[\d,]*", words)) and event.id not in s.refers_to:
                    missing.append((s.id, event.id))
    assert missing == []


def test_no_round_names_a_delegation_as_a_third_party(kb):
    """A round's third parties, the `mediators` shorthand included, are not also delegations: Turkey
    chaired the Istanbul talks, the United States mediated the Abu Dhabi and Geneva rounds."""
    both = [(r.id, t.actor, t.role) for r in kb.rounds.values() for t in r.roles if t.actor in {d.party for d in r.delegations}]
    assert both == []
