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
