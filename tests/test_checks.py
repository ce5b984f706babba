"""Checks across records, through small knowledge bases written for each test."""

from __future__ import annotations

import textwrap

import pytest

from conftest import where
from peacekb.checks import normalise, quote_in, speaks_for
from peacekb.dates import FuzzyDate
from peacekb.loader import load

ARCHIVE = (
    "Russian presidential aide Vladimir Medinsky described the two days of talks as \"difficult, but\n"
    "businesslike,\" adding that a new round would take place \u201cin the near future.\u201d\n"
    "Zelensky\u2019s position is clear: \"First, security guarantees. Second, we will not give up our\n"
    "territories because we are ready for compromise.\" The talks \u2014 six hours on day one \u2013 ended.\n"
    "It is not Ukraine\u00a0alone that should be pressured.\n"
)


# --- quotes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "difficult, but businesslike",
        # white space: the archive breaks the line, the quote does not, and the other way round
        "difficult,   but\tbusinesslike",
        "described the two days\n of talks",
        "It is not Ukraine alone",
        # typographic quotes and apostrophes, either way
        "\u201cdifficult, but businesslike,\u201d",
        '"in the near future."',
        "Zelensky's position",
        "Zelensky\u2018s position",
        # dashes
        "The talks - six hours on day one - ended",
        "The talks \u2013 six hours on day one \u2014 ended",
        # an ellipsis stands for omitted words
        "First, security guarantees. ... we are ready for compromise.",
        "First, security guarantees. [...] we are ready for compromise.",
        "First, security guarantees. [\u2026] we are ready for compromise.",
        "First, security guarantees.\u2026we are ready",
        "... we will not give up our territories ...",
        "Medinsky [ ... ] two days [...] talks",
    ],
)
def test_quote_found(quote):
    assert quote_in(quote, ARCHIVE)


@pytest.mark.parametrize(
    "quote",
    [
        # near misses: one word, one letter, capitalisation, punctuation
        "difficult, but business-like",
        "difficult but businesslike",
        "Difficult, but businesslike",
        "in the near futures",
        "intense and substantive",
        # the parts around an ellipsis must appear in this order
        "we are ready for compromise. [...] First, security guarantees.",
        # and each part must appear in full
        "First, security guarantees. [...] we are ready for a compromise.",
    ],
)
def test_quote_not_found(quote):
    assert not quote_in(quote, ARCHIVE)


def test_normalise():
    assert normalise("  \u201cA\u201d\u00a0\u2013 \u2018b\u2019\n\n c\u2014d  ") == "\"A\" - 'b' c-d"


# --- quotes against a source's archive, through load() --------------------------------------------


def _quoted(make_kb, quote: str, archive: str | bytes, name: str = "article.txt", scope: str = "full"):
    return make_kb(
        {
            "sources/article.yaml": f"id: article\ntitle: An article\narchive: {name}\narchive_scope: {scope}\n",
            f"sources/{name}": archive,
            "rounds/geneva.yaml": f"""
                id: geneva
                title: Geneva
                start: 2026-02-17
                statements:
                  - id: s
                    date: 2026-02-17
                    speaker: vladimir-medinsky
                    party: russia
                    attribution: direct-quote
                    issues: [territory]
                    quotes:
                      - text: {quote}
                        source: article
                    summary: A summary.
            """,
        }
    )


def test_a_quote_in_its_archive_passes(make_kb):
    root = _quoted(make_kb, '"difficult, but businesslike"', ARCHIVE)
    assert load(root).problems == []


def test_a_quote_not_in_its_archive_is_reported_at_the_quote(make_kb):
    root = _quoted(make_kb, '"difficult, but business-like"', ARCHIVE)
    problems = load(root).problems
    assert [where(p, root) for p in problems] == [("quote-not-in-source", "rounds/geneva.yaml", 12, 15)]
    assert "`article` (article.txt)" in problems[0].message


EXCERPT = "[...] The talks were difficult, but businesslike, Medinsky said on Wednesday. [...] He added that the sides would meet again"


@pytest.mark.parametrize(
    "quote",
    [
        '"We are far from an agreement on the territories."',  # none of its words: beyond the excerpt
        '"the sides would meet again in Geneva in March."',  # the excerpt stops inside the quote
    ],
)
def test_a_quote_an_excerpt_does_not_cover_is_a_note_not_a_failure(make_kb, quote):
    root = _quoted(make_kb, quote, EXCERPT, scope="excerpt")
    problems = load(root).problems
    assert [(p.code, p.severity) + where(p, root)[1:] for p in problems] == [("quote-beyond-archive", "note", "rounds/geneva.yaml", 12, 15)]
    assert "excerpt that does not cover this quote" in problems[0].message


def test_a_quote_an_excerpt_covers_must_match_it(make_kb):
    root = _quoted(make_kb, '"The talks were difficult, but business-like, Medinsky said"', EXCERPT, scope="excerpt")
    assert [where(p, root)[0] for p in load(root).problems] == ["quote-not-in-source"]
    assert load(_quoted(make_kb, '"The talks were difficult, but businesslike"', EXCERPT, scope="excerpt")).problems == []


def test_the_same_quote_against_a_full_archive_is_reported_missing(make_kb):
    root = _quoted(make_kb, '"We are far from an agreement on the territories."', EXCERPT)
    assert [where(p, root)[0] for p in load(root).problems] == ["quote-not-in-source"]


def test_an_excerpt_scope_without_an_archive_is_refused(make_kb):
    root = make_kb({"sources/article.yaml": "id: article\ntitle: An article\narchive_scope: excerpt\n"})
    [problem] = load(root).problems
    assert "name the file in `archive`" in problem.message


def test_an_archive_that_is_not_utf8_is_reported_on_the_source(make_kb):
    root = _quoted(make_kb, '"difficult"', b"caf\xe9 difficult")
    problems = load(root).problems
    assert [where(p, root) for p in problems] == [("archive-missing", "sources/article.yaml", 3, 10)]
    assert "cannot be read as UTF-8" in problems[0].message


def test_a_missing_archive_is_reported_once_and_its_quotes_not_checked(make_kb):
    root = make_kb(
        {
            "sources/article.yaml": "id: article\ntitle: An article\narchive: gone.txt\n",
            "rounds/geneva.yaml": """
                id: geneva
                title: Geneva
                start: 2026-02-17
                statements:
                  - id: s
                    date: 2026-02-17
                    party: russia
                    attribution: direct-quote
                    issues: [territory]
                    quotes:
                      - text: anything at all
                        source: article
                    summary: A summary.
            """,
        }
    )
    assert [p.code for p in load(root).problems] == ["archive-missing"]


def test_quotes_of_a_source_without_archive_are_not_checked(make_kb):
    root = make_kb(
        {
            "rounds/geneva.yaml": """
                id: geneva
                title: Geneva
                start: 2026-02-17
                statements:
                  - id: s
                    date: 2026-02-17
                    party: russia
                    attribution: direct-quote
                    issues: [territory]
                    quotes:
                      - text: words no archive holds
                        source: article
                    summary: A summary.
            """,
        }
    )
    assert load(root).problems == []


# --- statements ----------------------------------------------------------------------------------


def _statement(make_kb, body: str, extra: dict | None = None):
    lines = "\n".join("    " + line for line in textwrap.dedent(body).strip().splitlines())
    text = "id: geneva\ntitle: Geneva\nstart: 2026-02-17\nend: 2026-02-18\nstatements:\n  - id: s\n" + lines + "\n"
    return make_kb({"rounds/geneva.yaml": text, **(extra or {})})


def _codes(root):
    return [(p.code, p.line, p.column) for p in load(root).problems]


def test_a_stance_on_an_unknown_issue_not_listed_is_reported_twice_over(make_kb):
    root = _statement(
        make_kb,
        """
        date: 2026-02-17
        party: russia
        attribution: reported
        issues: [territory]
        stances: {security: guarantees-first}
        summary: A summary.
        sources: [article]
        """,
    )
    assert sorted(p.code for p in load(root).problems) == ["stance-issue-not-listed", "unknown-issue"]


def test_a_stance_on_an_unknown_issue_that_is_listed_is_reported_once(make_kb):
    root = _statement(
        make_kb,
        """
        date: 2026-02-17
        party: russia
        attribution: reported
        issues: [territory, security]
        stances: {security: guarantees-first}
        summary: A summary.
        sources: [article]
        """,
    )
    problems = load(root).problems
    assert [p.code for p in problems] == ["unknown-issue"]
    assert problems[0].path[-2:] == ("issues", 1)


def test_unknown_stance_lists_what_the_issue_offers(make_kb):
    root = _statement(
        make_kb,
        """
        date: 2026-02-17
        party: russia
        attribution: reported
        issues: [territory]
        stances: {territory: cession}
        summary: A summary.
        sources: [article]
        """,
    )
    [p] = load(root).problems
    assert p.code == "unknown-stance"
    assert "issue `territory` offers no stance `cession` (it offers `no-cession`)" in p.message


def test_quotes_count_as_sources(make_kb):
    root = _statement(
        make_kb,
        """
        date: 2026-02-17
        party: russia
        attribution: direct-quote
        issues: [territory]
        quotes: [{text: some words, source: article}]
        summary: A summary.
        """,
    )
    assert load(root).problems == []


def test_no_source_points_at_the_statement_id_key(make_kb):
    root = _statement(
        make_kb,
        """
        date: 2026-02-17
        party: russia
        attribution: paraphrase
        issues: [territory]
        summary: A summary.
        """,
    )
    assert _codes(root) == [("no-source", 6, 5)]


def test_retraction_on_the_same_day_or_in_the_same_month_is_in_order(make_kb):
    for when in ("2026-02-17", "2026-02", "2026"):
        root = _statement(
            make_kb,
            f"""
            date: 2026-02-17
            party: russia
            attribution: reported
            issues: [territory]
            summary: A summary.
            sources: [article]
            retracted: {{reason: Wrong speaker., date: {when}}}
            """,
        )
        assert load(root).problems == [], when


# --- speakers ------------------------------------------------------------------------------------

SPEAKER = """
date: {date}
speaker: {speaker}
party: {party}
attribution: paraphrase
issues: [territory]
summary: A summary.
sources: [article]
"""


@pytest.mark.parametrize(
    "date, warned",
    [
        ("2020-01-21", False),  # the first day of the role
        ("2020-01-20", True),  # the day before
        ("2020-01", False),  # the month the role began: it may have been said after the 21st
        ("2019", True),
        ("2030-06-01", False),  # the role has no end
    ],
)
def test_speaker_role_windows(make_kb, date, warned):
    root = _statement(make_kb, SPEAKER.format(date=date, speaker="vladimir-medinsky", party="russia"))
    assert [p.code for p in load(root).problems] == (["speaker-not-of-party"] if warned else [])


def test_speaker_not_of_party_is_a_warning_at_the_speaker(make_kb):
    root = _statement(make_kb, SPEAKER.format(date="2026-02-17", speaker="vladimir-medinsky", party="ukraine"))
    [p] = load(root).problems
    assert (p.code, p.severity, p.line, p.column) == ("speaker-not-of-party", "warning", 8, 14)


def test_a_role_that_has_ended(make_kb):
    extra = {
        "actors/rustem-umerov.yaml": """
            id: rustem-umerov
            name: Rustem Umerov
            kind: person
            roles:
              - {title: Minister of Defence, party: ukraine, start: 2023-09-06, end: 2025-07-17}
        """
    }
    after = _statement(make_kb, SPEAKER.format(date="2026-02-17", speaker="rustem-umerov", party="ukraine"), extra)
    during = _statement(make_kb, SPEAKER.format(date="2025-07", speaker="rustem-umerov", party="ukraine"), extra)
    assert [p.code for p in load(after).problems] == ["speaker-not-of-party"]
    assert load(during).problems == []


def test_a_seat_in_the_partys_delegation_lets_one_speak_for_it(make_kb):
    extra = {"actors/rustem-umerov.yaml": "id: rustem-umerov\nname: Rustem Umerov\nkind: person\n"}
    root = _statement(make_kb, SPEAKER.format(date="2026-02-18", speaker="rustem-umerov", party="ukraine"), extra)
    assert [p.code for p in load(root).problems] == ["speaker-not-of-party"]
    text = (root / "rounds/geneva.yaml").read_text()
    (root / "rounds/geneva.yaml").write_text(text.replace("statements:", "delegations:\n  - {party: ukraine, members: [rustem-umerov]}\nstatements:"))
    assert load(root).problems == []


def test_speaks_for_outside_the_rounds_days(make_kb):
    extra = {"actors/rustem-umerov.yaml": "id: rustem-umerov\nname: Rustem Umerov\nkind: person\n"}
    root = _statement(make_kb, SPEAKER.format(date="2026-02-18", speaker="rustem-umerov", party="ukraine"), extra)
    text = (root / "rounds/geneva.yaml").read_text()
    (root / "rounds/geneva.yaml").write_text(text.replace("statements:", "delegations:\n  - {party: ukraine, head: rustem-umerov}\nstatements:"))
    kb = load(root).kb
    assert speaks_for(kb, "rustem-umerov", "ukraine", FuzzyDate.parse("2026-02-17"))
    assert speaks_for(kb, "rustem-umerov", "ukraine", FuzzyDate.parse("2026-02"))
    assert not speaks_for(kb, "rustem-umerov", "ukraine", FuzzyDate.parse("2026-02-19"))
    assert not speaks_for(kb, "rustem-umerov", "russia", FuzzyDate.parse("2026-02-17"))
    assert not speaks_for(kb, "nobody", "ukraine", FuzzyDate.parse("2026-02-17"))


def test_a_state_speaking_for_itself_and_an_unknown_speaker_are_not_warned_about(make_kb):
    root = _statement(make_kb, SPEAKER.format(date="2026-02-17", speaker="russia", party="russia"))
    assert load(root).problems == []
    root = _statement(make_kb, SPEAKER.format(date="2026-02-17", speaker="medinskiy", party="russia"))
    assert [p.code for p in load(root).problems] == ["unknown-actor"]


# --- issues --------------------------------------------------------------------------------------


def test_a_three_issue_cycle_is_reported_once(make_kb):
    root = make_kb(
        {
            "issues/a.yaml": "id: a\ntitle: A\nparent: c\n",
            "issues/b.yaml": "id: b\ntitle: B\nparent: a\n",
            "issues/c.yaml": "id: c\ntitle: C\nparent: b\n",
        },
        base=False,
    )
    problems = load(root).problems
    assert [where(p, root) for p in problems] == [("issue-cycle", "issues/a.yaml", 3, 9)]
    assert "a > c > b > a" in problems[0].message


def test_two_separate_cycles_are_both_reported(make_kb):
    root = make_kb(
        {
            "issues/a.yaml": "id: a\ntitle: A\nparent: b\n",
            "issues/b.yaml": "id: b\ntitle: B\nparent: a\n",
            "issues/x.yaml": "id: x\ntitle: X\nparent: y\n",
            "issues/y.yaml": "id: y\ntitle: Y\nparent: x\n",
        },
        base=False,
    )
    assert [where(p, root)[:2] for p in load(root).problems] == [("issue-cycle", "issues/a.yaml"), ("issue-cycle", "issues/x.yaml")]


def test_a_deep_tree_is_not_a_cycle(make_kb):
    files = {f"issues/i{n}.yaml": f"id: i{n}\ntitle: I{n}\n" + (f"parent: i{n - 1}\n" if n else "") for n in range(30)}
    assert load(make_kb(files, base=False)).problems == []


# --- stray files ---------------------------------------------------------------------------------


def test_stray_files(make_kb):
    root = make_kb(
        {
            "actors/.hidden": "editor swap file",
            "actors/notes.yml": "id: notes\n",
            "actors/README.md": "# actors\n",
            "issues/sub/x.yaml": "id: x\ntitle: X\n",
            "sources/article.yaml": "id: article\ntitle: An article\narchive: article.txt\n",
            "sources/article.txt": "text",
            "sources/other.txt": "text",
        }
    )
    problems = load(root).problems
    assert [where(p, root) for p in problems] == [
        ("stray-file", "actors/README.md", 1, 1),
        ("stray-file", "actors/notes.yml", 1, 1),
        ("stray-file", "issues/sub", 1, 1),
        ("stray-file", "sources/other.txt", 1, 1),
    ]
    assert all(p.severity == "warning" for p in problems)
    assert "rename it to notes.yaml" in problems[1].message
    assert "record files sit directly in the folder" in problems[2].message


# --- events and disputes -------------------------------------------------------------------------


def test_statements_about_an_event_outside_any_round(make_kb):
    root = make_kb(
        {
            "events/plan.yaml": """
                id: plan
                title: A peace plan
                kind: plan
                date: 2025-11-20~
                authors: [russia]
                provisions:
                  - {id: p1, summary: Point one., issues: [territory], sources: [article]}
                statements:
                  - id: about-the-plan
                    date: 2025-11
                    party: ukraine
                    attribution: reported
                    issues: [territory]
                    refers_to: [plan]
                    summary: Ukraine said something about the plan.
                    sources: [article]
            """
        }
    )
    result = load(root)
    assert result.problems == []
    assert result.kb.event_of("about-the-plan").id == "plan"
    assert result.kb.round_id_of("about-the-plan") is None
    assert result.kb.events["plan"].date.approximate


def test_event_provisions_and_disputes_are_checked(make_kb):
    root = make_kb(
        {
            "events/plan.yaml": """
                id: plan
                title: A peace plan
                kind: plan
                date: 2025-11
                provisions:
                  - {id: p1, summary: Point one., issues: [teritory], sources: [article]}
                  - {id: p1, summary: Point one again., sources: [article]}
                disputes:
                  - id: when
                    field: dat
                    summary: When the plan appeared.
                    versions:
                      - {says: On the 20th., sources: [article]}
                      - {says: On the 21st., sources: [wire]}
            """
        }
    )
    problems = load(root).problems
    assert [(p.code, p.line) for p in problems] == [
        ("unknown-issue", 6),
        ("duplicate-id", 7),
        ("invalid-value", 10),
        ("unknown-source", 14),
    ]
    assert "did you mean `territory`?" in problems[0].message
    assert "`dat` is not a field of this record; did you mean `date`?" in problems[2].message


def test_the_archive_of_an_invalid_source_is_not_a_stray_file(make_kb):
    root = make_kb(
        {
            "sources/article.yaml": "id: article\ntitle: An article\narchive: article.txt\nlanguage: english\n",
            "sources/article.txt": "text",
        }
    )
    assert [p.code for p in load(root).problems] == ["invalid-value"]


# --- ids shared by a round and an event --------------------------------------------------------------

ROUND = """
    id: geneva
    title: Geneva talks
    start: 2026-02-17
"""
EVENT = """
    # the communique
    id: geneva
    title: Geneva communique
    kind: announcement
    date: 2026-02-18
"""


def test_a_round_and_an_event_with_one_id_are_reported_at_the_id_of_both(make_kb):
    root = make_kb({"rounds/geneva.yaml": ROUND, "events/geneva.yaml": EVENT})
    problems = load(root).problems
    assert [where(p, root) for p in problems] == [
        ("id-shared-across-kinds", "events/geneva.yaml", 2, 5),
        ("id-shared-across-kinds", "rounds/geneva.yaml", 1, 5),
    ]
    assert all(p.severity == "error" for p in problems)
    on_event, on_round = problems
    assert f"event id `geneva` is also the id of the round in {root / 'rounds' / 'geneva.yaml'}" in on_event.message
    assert f"round id `geneva` is also the id of the event in {root / 'events' / 'geneva.yaml'}" in on_round.message
    assert "new statement --round geneva" in on_round.message and "rename one of them" in on_round.message


def test_a_round_that_fails_its_model_still_holds_its_id_against_an_event(make_kb):
    """`new statement --round` goes by the file: a round file that does not validate is still one of two."""
    root = make_kb({"rounds/geneva.yaml": ROUND.replace("start: 2026-02-17", "start: 2026-02-30"), "events/geneva.yaml": EVENT})
    assert sorted(where(p, root) for p in load(root).problems) == [
        ("id-shared-across-kinds", "events/geneva.yaml", 2, 5),
        ("id-shared-across-kinds", "rounds/geneva.yaml", 1, 5),
        ("invalid-date", "rounds/geneva.yaml", 3, 8),
    ]


def test_other_kinds_may_share_ids_and_distinct_ids_are_fine(make_kb):
    root = make_kb(
        {
            "rounds/geneva.yaml": ROUND,
            "events/geneva-communique.yaml": EVENT.replace("id: geneva", "id: geneva-communique"),
            # an actor and an issue of one id, as the bundled data's `nato`
            "actors/territory.yaml": "id: territory\nname: Territory\nkind: other\n",
            "sources/geneva.yaml": "id: geneva\ntitle: Geneva\n",
        }
    )
    assert load(root).problems == []
