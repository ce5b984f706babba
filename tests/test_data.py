"""Invariants of the bundled knowledge base that a contributor could break.

`peacekb validate` checks the form of every record and every reference; these tests check what
the data must also be true to: who spoke for whom, that claims carry their sources, and that
disputed or doubtful facts say so.
"""

import re
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

    # the 2022–2024 records (the Belarus and Istanbul talks of 2022 on) as well as 2025–2026
    earlier = [(y, m) for y in (2022, 2023, 2024) for m in range(1, 13) if (y, m) >= (2022, 2)]
    months = [None] + [FuzzyDate.parse(f"{y}-{m:02d}") for y, m in earlier + [(2025, m) for m in range(1, 13)] + [(2026, m) for m in range(1, 4)]]
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
    "AE": {"ar"}, "BY": {"be", "ru"}, "CH": {"de", "fr", "it", "rm"}, "CZ": {"cs"}, "DE": {"de"}, "EG": {"ar"}, "FR": {"fr"},
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
    agreement's date falls within the round's days. A text negotiated between rounds (the draft
    treaty of April 2022) names none and says so in `not_found`."""
    for event in _agreements(kb):
        assert event.rounds or any("no round" in text for text in event.not_found), f"{event.id} names no round"
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


def test_an_agreements_parties_hold_its_stances_and_those_that_withdrew_withdraw_them(kb):
    """An agreement names no signatories or authors: every party that stood to it holds what it
    says, and one whose last standing is `withdrew` (Russia from the Black Sea Grain Initiative;
    Jordan, Iraq and Rwanda from the Bürgenstock communiqué) withdraws it on the day it withdrew."""
    from peacekb.claims import document_claims

    agreements = {e.id: e for e in _agreements(kb)}
    claims = [c for c in document_claims(kb) if c.event in agreements]
    assert claims
    for claim in claims:
        event = agreements[claim.event]
        last = {p.party: p for p in event.parties}
        if claim.withdrawn_by:
            assert last[claim.withdrawn_by].standing == "withdrew" and claim.date == (last[claim.withdrawn_by].date or event.date), claim.id
        else:
            assert set(claim.holders) == (set(event.signatories) or set(last)), claim.id
    withdrawn = {(c.event, c.withdrawn_by) for c in claims if c.withdrawn_by}
    assert withdrawn == {(e.id, p) for e in agreements.values() if not e.signatories
                         for p, standing in {s.party: s.standing for s in e.parties}.items() if standing == "withdrew"
                         and any(c.event == e.id and not c.withdrawn_by for c in claims)}


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


# --- the 2022–2024 notes (issue 20) ---------------------------------------------------------------

NOTES_2022 = Path(__file__).parent.parent / "data" / "research" / "russia-ukraine-2022-2024-notes.md"


def test_the_istanbul_records_of_2022_are_linked_from_later_years(kb):
    """Statements of 2023–2025 that invoke Istanbul 2022 refer to its records; the draft treaty keeps
    both versions of whether it was initialled or signed, and of its date."""
    later = {s.id for s in kb.statements.values() if s.date.earliest.year >= 2023
             and {"istanbul-communique-2022-03", "draft-treaty-2022-04"} & set(s.refers_to)}
    assert {"draft-treaty-2022-04-putin-initialed-draft", "draft-treaty-2022-04-putin-agreements-remain-valid",
            "draft-treaty-2022-04-putin-based-on-istanbul-documents", "istanbul-2025-05-medinsky-continuation-of-2022"} <= later
    draft = kb.events["draft-treaty-2022-04"]
    disputes = {d.id: d for d in draft.disputes}
    assert {v.value for v in disputes["initialled-or-signed"].versions} == {"initialled", "signed"}
    assert {v.value for v in disputes["date"].versions} == {"2022-03", "2022-04-15"}
    assert {p.party: p.standing for p in draft.parties} == {"russia": "negotiated", "ukraine": "negotiated"}


def test_neutrality_tells_the_story_from_2022(kb):
    """`positions neutrality` (a child of nato): Ukraine offered neutrality for guarantees in March 2022
    and refused it by November 2023; Russia has required it from March 2022 to its memorandum of 2025."""
    from peacekb import queries
    from peacekb.dates import FuzzyDate

    assert kb.issues["neutrality"].parent == "nato" and kb.issues["crimea"].parent == "territory"

    def held(when):
        [block] = queries.positions(kb, "neutrality", FuzzyDate.parse(when))
        return {p.holder: p.stances for p in block.positions if p.stances}

    april_2022 = held("2022-04-30")
    assert "neutrality-for-guarantees" in april_2022["ukraine"] and "neutrality-required" in april_2022["russia"]
    late_2023 = held("2023-12-31")
    assert late_2023["ukraine"] == ["no-neutrality"]
    assert "neutrality-required" in held("2025-06-30")["russia"]
# --- the 2022–2024 notes, blocks 8–11: the grain deal, the exchanges, the peace formula, other initiatives


# the official languages of the states that speak in blocks 8–11
LANGUAGES.update({
    "BR": {"pt"}, "CN": {"zh"}, "MT": {"mt", "en"},
    "ZA": {"af", "en", "nr", "nso", "ss", "st", "tn", "ts", "ve", "xh", "zu"},
})

# a quoted passage in the notes: "straight", “curly” or ‘single curly’ (an apostrophe inside is a ’ before a letter)
_QUOTED = re.compile(r'"([^"]+)"|\u201c([^\u201d]+)\u201d|\u2018((?:[^\u2019]|\u2019(?=\w))+)\u2019')
_CITED = re.compile(r"\[(P\d+\.\d+)\]")
_STITCH = re.compile(r'["\u201c\u201d]\s*\u2026\s*["\u201c\u201d]')


def _notes_blocks(first: int, last: int) -> tuple[dict[int, str], dict[str, str]]:
    """The numbered statements of blocks ``first``–``last`` of the notes (number to text after the
    heading line), and every source of the notes (its [P…] id to its address)."""
    statements: dict[int, str] = {}
    urls: dict[str, str] = {}
    block, number = 0, None
    for line in NOTES_2022.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"## P-Round (\d+)", line):
            block, number = int(m.group(1)), None
        elif m := re.match(r"- \[(P\d+\.\d+)\] (\S+)", line):
            urls[m.group(1)] = m.group(2)
        elif m := re.match(r"P(\d+)\. \*\*", line):
            number = int(m.group(1)) if first <= block <= last else None
            if number is not None:
                statements[number] = ""
        elif line.startswith("**") or not line.strip():
            number = None
        elif number is not None:
            statements[number] += " " + line.strip()
    return statements, urls


def _passages(text: str) -> list[tuple[str, str]]:
    """Each quoted passage of a statement's text with the [P…] source cited after it."""
    found, start = [], 0
    for cited in _CITED.finditer(text):
        for m in _QUOTED.finditer(text[start : cited.start()]):
            # a passage the notes stitch from parts ("…," … "…") is checked part by part
            for part in _STITCH.split(next(g for g in m.groups() if g)):
                found.append((part, cited.group(1)))
        start = cited.end()
    return found


def _plain(text: str) -> str:
    from peacekb.checks import normalise

    return normalise(text).rstrip(" ,.")


def test_the_grain_deal_has_its_status_over_time(kb):
    """Signed on 22 July 2022, running from the first ship, suspended by Russia, renewed, void from
    Russia's exit on 17 July 2023; Russia signed and withdrew, the UN and Turkey stood beside the
    parties; the three disputed facts of the notes are disputes with sourced versions."""
    from peacekb.dates import FuzzyDate

    deal = kb.events["grain-initiative-2022-07"]
    status = {day: deal.status_at(FuzzyDate.parse(day)).status for day in ("2022-07-25", "2022-09-01", "2022-10-31", "2023-01-01", "2023-08-01")}
    assert status == {"2022-07-25": "signed", "2022-09-01": "implemented", "2022-10-31": "partly-implemented",
                      "2023-01-01": "implemented", "2023-08-01": "rejected"}
    assert deal.status_at().by == ["russia"]
    assert [(p.party, p.standing) for p in deal.parties] == [("ukraine", "signed"), ("russia", "signed"), ("russia", "withdrew")]
    assert {(t.actor, t.role) for t in deal.third_parties} == {("united-nations", "facilitator"), ("turkey", "facilitator"), ("turkey", "host")}
    assert {d.id for d in deal.disputes} == {"first-term-expiry", "second-renewal-term", "number-of-renewals"}
    expiry = next(d for d in deal.disputes if d.id == "first-term-expiry")
    assert sorted(v.value for v in expiry.versions) == ["2022-11-19", "2022-11-21", "2022-11-22"]
    memorandum = kb.events["russia-un-memorandum-2022-07"]
    assert [p.party for p in memorandum.parties] == ["russia", "united-nations"]


def test_every_discrepancy_of_blocks_8_to_11_is_a_dispute(kb):
    """Each ⚠ of blocks 8–11 is kept as a dispute on its record: the grain deal's term and renewals,
    the exchange figures, the meetings' participants and counts, and the renderings of one remark."""
    expected = {
        "grain-initiative-2022-07": {"first-term-expiry", "second-renewal-term", "number-of-renewals"},
        "grain-initiative-2022-07-guterres-beacon-of-hope": {"question-focus-wording"},
        "grain-initiative-2022-07-peskov-terminated": {"terminated-wording"},
        "azovstal-evacuation-2022-05": {"evacuated-count", "total-in-captivity"},
        "prisoner-exchange-2022-09": {"number-exchanged"},
        "prisoner-exchange-2024-12": {"number-exchanged", "weekday"},
        "copenhagen-2023-06": {"us-participation", "china-participation"},
        "jeddah-2023-08": {"country-count"},
        "malta-2023-10": {"country-count"},
        "davos-2024-01": {"participant-count"},
        "china-brazil-understandings-2024-05-dialogue-peace-conference": {"peace-conference-wording"},
    }
    records = {**kb.events, **kb.rounds, **kb.statements}
    missing = {ident: ids - {d.id for d in records[ident].disputes} for ident, ids in expected.items()}
    assert {ident: ids for ident, ids in missing.items() if ids} == {}


def test_the_new_issues_of_blocks_8_to_11_sit_in_the_tree_and_tell_2023(kb):
    """Deported children sit under humanitarian issues; on grain and navigation, after Russia's exit,
    Russia holds that the deal is off until its part is met while Ukraine and the UN keep it going."""
    from peacekb import queries
    from peacekb.dates import FuzzyDate

    assert kb.issues["deported-children"].parent == "humanitarian"
    assert kb.issues["grain-navigation"].parent is None
    (block,) = queries.positions(kb, "grain-navigation", FuzzyDate.parse("2023-08-01"))
    held = {p.holder: set(p.stances) for p in block.positions}
    assert held["russia"] == {"terminate-until-russian-part-met"}
    assert "keep-exports-open" in held["ukraine"] and held["united-nations"] == {"keep-exports-open"}
    (before,) = queries.positions(kb, "grain-navigation", FuzzyDate.parse("2022-11-01"))
    assert {p.holder: set(p.stances) for p in before.positions}["russia"] == {"suspend-participation"}


def test_the_archives_of_blocks_8_to_11_are_excerpts_that_check_the_quotes_they_cover(kb):
    """The UN pages on the grain deal and the reprints of China's paper and of the China–Brazil text
    are partial (their label line says so): each is an excerpt, and the quotes it covers are in it."""
    from peacekb.checks import quote_in

    _, urls = _notes_blocks(8, 11)
    mine = {u for i, u in urls.items() if 8 <= int(i[1:].split(".")[0]) <= 11}
    mine.add("https://turkiye.un.org/en/194294-black-sea-grain-initiative-joint-coordination-centre-operational-update")
    archived = [s for s in kb.sources.values() if s.archive and s.url in mine]
    assert len(archived) == 7
    for source in archived:
        text = (DATA / "sources" / source.archive).read_text(encoding="utf-8")
        assert source.archive_scope == "excerpt" and "PARTIAL" in text.splitlines()[1], source.id
    covered = {(s.id, q.source) for s in kb.statements.values() for q in s.quotes
               if kb.sources[q.source].archive and quote_in(q.text, (DATA / "sources" / kb.sources[q.source].archive).read_text(encoding="utf-8"))}
    assert {("china-position-paper-2023-02-mfa-sovereignty-dialogue", "china-daily-china-position-political-settlement"),
            ("china-brazil-understandings-2024-05-dialogue-peace-conference", "peoples-daily-china-brazil-common-understandings")} <= covered


def _statement_texts(first_block: int, last_block: int) -> dict[int, str]:
    """The numbered statements (P-numbers) of the notes' blocks ``first_block`` to ``last_block``,
    each with its text: the line that opens it and the indented lines that follow."""
    import re

    blocks = re.split(r"^## P-Round (\d+) ", NOTES_2022.read_text(encoding="utf-8"), flags=re.M)
    statements: dict[int, str] = {}
    for number, body in zip(blocks[1::2], blocks[2::2]):
        if not first_block <= int(number) <= last_block:
            continue
        body = body.split("\n## ")[0]
        current = None
        for line in body.splitlines():
            opening = re.match(r"^P(\d+)\. ", line)
            if opening:
                current = int(opening.group(1))
                statements[current] = line
            elif current is not None and line.startswith("   "):
                statements[current] += "\n" + line
            else:
                current = None
    return statements


def _quotations(text: str) -> list[tuple[str, list[str]]]:
    """Each quotation of a statement's text with the note ids ([P12.1]) of the first bracket of
    sources after it on its line. A quotation opens with a straight or curly double quote and closes
    with either (the notes mix them once)."""
    import re

    found = []
    for line in text.splitlines():
        for match in re.finditer(r"[\"“]([^\"“”]+)[\"”]", line):
            rest = line[match.end():]
            cited = re.match(r"[^\[]*((?:\[P\d+\.\d+\](?:,\s*)?)+)", rest)
            ids = re.findall(r"P\d+\.\d+", cited.group(1)) if cited else []
            found.append((match.group(1), ids))
    return found


def _sources_by_note_id(kb) -> dict[str, str]:
    """Note id ([P12.1]) to source id, from the `Notes: [P12.1].` each source of the 2022–2024 notes
    ends its note with."""
    import re

    return {m: s.id for s in kb.sources.values() for m in re.findall(r"\[(P\d+\.\d+)\]", s.note or "")}


def _comparable(text: str) -> str:
    from peacekb.checks import normalise

    return normalise(text).rstrip(",. ")


def test_every_disputed_rendering_of_blocks_12_to_16_is_a_dispute_with_its_source(kb):
    """A statement the notes mark ⚠ for two renderings holds both as quotes, and a dispute on its
    quotes whose versions cite the sources of the renderings."""
    by_note = _sources_by_note_id(kb)
    holders = {}
    for s in kb.statements.values():
        for q in s.quotes:
            holders.setdefault(q.source, []).append(s)
    checked = 0
    for number, text in _statement_texts(12, 16).items():
        marked = [line for line in text.splitlines() if "⚠" in line]
        if not marked or number == 78:  # P78's ⚠ is the communiqué's clause: a dispute of the event
            continue
        for line in marked:
            for words, ids in _quotations(line):
                source = by_note[ids[0]]
                wanted = _comparable(words)
                owners = [s for s in holders[source] if any(wanted in _comparable(q.text) for q in s.quotes)]
                assert owners, (number, words[:40])
                disputed = {v_source for s in owners for d in s.disputes if d.field == "quotes"
                            for v in d.versions for v_source in v.sources}
                assert source in disputed, (number, source)
                checked += 1
    assert checked >= 8
    communique = kb.events["burgenstock-communique-2024-06"]
    clause = next(d for d in communique.disputes if d.id == "nuclear-clause-wording")
    assert len(clause.versions) == 3 and all(v.sources for v in clause.versions)


def test_the_burgenstock_communique_keeps_who_signed_who_withdrew_and_the_disputed_counts(kb):
    from peacekb.dates import FuzzyDate

    communique = kb.events["burgenstock-communique-2024-06"]
    standings = {}
    for entry in communique.parties:
        standings.setdefault(entry.party, []).append(entry.standing)
    assert all(standings[p] == ["signed", "withdrew"] for p in ("jordan", "iraq", "rwanda"))
    assert standings["ukraine"] == ["signed"] and "russia" not in standings
    assert communique.status_at(FuzzyDate.parse("2024-06-16")).status == "signed"
    counts = next(d for d in communique.disputes if d.id == "signatory-count")
    assert sorted(v.value for v in counts.versions) == [78, 80, 82, 86]
    summit = kb.rounds["burgenstock-2024-06"]
    assert {v.value for d in summit.disputes if d.id == "participants" for v in d.versions} == {92, 100, 101}


def test_the_march_2025_agreements_record_their_status_and_russias_conditions(kb):
    """The energy moratorium is agreed without a signed text; the Black Sea arrangement is conditional on Russia's sanctions terms; the Jeddah
    ceasefire stays a proposal."""
    from peacekb.models import IN_FORCE, PENDING

    energy = kb.events["energy-strike-moratorium-2025-03"]
    black_sea = kb.events["black-sea-arrangement-2025-03"]
    jeddah = kb.events["us-ukraine-jeddah-statement-2025-03"]
    assert [(str(c.date), c.status) for c in energy.history] == [("2025-03-18", "agreed")]
    assert energy.status_at().status in IN_FORCE and set(energy.status_at().by) == {"russia", "ukraine", "united-states"}
    assert black_sea.status_at().status in PENDING and "Rosselkhozbank" in black_sea.status_at().note
    assert jeddah.status_at().status == "proposed"
    assert kb.issues["energy-infrastructure"].parent == "ceasefire"


def test_the_archives_of_blocks_12_to_16_are_marked_excerpts(kb):
    """The archived texts of P-Rounds 12, 15 and 16 are partial (their label line says PARTIAL):
    their sources say `archive_scope: excerpt`, and every quote they hold is verified in them."""
    from peacekb.checks import quote_in

    import re

    ours = re.compile(r"Notes: (\[P1[2-6]\.\d+\]|P-Round 16)")
    archived = {s.id: s for s in kb.sources.values() if s.archive and ours.search(s.note or "")}
    assert len(archived) == 6
    for source in archived.values():
        text = (DATA / "sources" / source.archive).read_text(encoding="utf-8")
        assert "PARTIAL" in "\n".join(text.splitlines()[:3]), source.id
        assert source.archive_scope == "excerpt", source.id
    held = [(q.text, q.source) for s in kb.statements.values() for q in s.quotes if q.source in archived]
    assert len(held) >= 4
    for words, ident in held:
        assert quote_in(words, (DATA / "sources" / archived[ident].archive).read_text(encoding="utf-8")), (ident, words[:40])


def test_every_p_statement_of_the_2022_2024_notes_is_recorded(kb):
    """P1–P99, every block of the notes: every passage the notes quote is the text of a quote in the
    data (or part of one, where a quote joins the notes' fragments), from the source the notes cite
    for it, found by its address."""
    statements, urls = _notes_blocks(1, 16)
    assert sorted(statements) == list(range(1, 100))
    by_url = {s.url: s.id for s in kb.sources.values() if s.url}
    quotes = [(_plain(q.text), q.source) for s in kb.statements.values() for q in s.quotes]
    missing = []
    for number, text in statements.items():
        passages = _passages(text)
        assert passages, f"P{number}: no quoted passage found in the notes"
        for passage, cited in passages:
            source = by_url.get(urls[cited])
            if source is None or not any(_plain(passage) in said and source == where for said, where in quotes):
                missing.append((f"P{number}", cited, passage[:60]))
    assert missing == []


def test_every_source_of_the_2022_2024_notes_is_recorded_once(kb):
    """Each [P…] address of the notes is one source record (a page cited under two ids, once)."""
    _, urls = _notes_blocks(1, 16)
    by_url: dict[str, list[str]] = {}
    for source in kb.sources.values():
        by_url.setdefault(source.url, []).append(source.id)
    assert {ident: url for ident, url in urls.items() if len(by_url.get(url, [])) != 1} == {}
