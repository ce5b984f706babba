"""Rechecking only the changed round files gives the report a full check gives, or steps aside."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peacekb import cache
from peacekb.cli import app
from peacekb.recheck import changed_rounds

DATA = Path(__file__).parent.parent / "data"
ROUND = "rounds/geneva-2026-02.yaml"

runner = CliRunner()


@pytest.fixture
def kb(tmp_path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("research"))
    return root


@pytest.fixture
def rechecks(monkeypatch) -> list[bool]:
    """Whether each recheck gave the report (True) or asked for a full check (False)."""
    outcomes: list[bool] = []
    real = cache._recheck

    def spy(*args, **kwargs):
        result = real(*args, **kwargs)
        outcomes.append(result is not None)
        return result

    monkeypatch.setattr(cache, "_recheck", spy)
    return outcomes


def validate(kb: Path, *args: str):
    result = runner.invoke(app, ["validate", "--data", str(kb), "-f", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def edit(kb: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = kb / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def cached_equals_full(kb: Path):
    cached = validate(kb)
    assert cached == validate(kb, "--no-cache")
    return cached


EDITS_RECHECKED = {
    "a comment": ("# reviewed\n", "# reviewed again\n"),
    "a quote no longer in its archived source": ('"difficult, but businesslike"', '"difficult, but very businesslike"'),
    "an unknown speaker": ("speaker: vladimir-medinsky\n", "speaker: vladimir-medinksy\n"),
    "an unknown stance": ("territory: ", "territory: nowhere-"),
    "an unknown source": ("source: interbellum-geneva-talks-no-breakthrough\n", "source: interbellum-no-breakthrough\n"),
}


@pytest.mark.parametrize("what", EDITS_RECHECKED)
def test_an_edit_inside_a_round_is_rechecked_alone_with_the_full_answer(kb, rechecks, what):
    path = kb / ROUND
    path.write_text(path.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    assert validate(kb) == (0, validate(kb, "--no-cache")[1])
    old, new = EDITS_RECHECKED[what]
    edit(kb, ROUND, old, new)
    code, report = cached_equals_full(kb)
    assert rechecks == [True]
    if what != "a comment":
        assert code == 1 and {p["file"] for p in report["problems"]} == {str(path)}


def test_fixing_a_round_clears_its_cached_problems(kb, rechecks):
    edit(kb, ROUND, "speaker: vladimir-medinsky\n", "speaker: vladimir-medinksy\n")
    assert validate(kb)[0] == 1
    edit(kb, ROUND, "speaker: vladimir-medinksy\n", "speaker: vladimir-medinsky\n")
    assert cached_equals_full(kb)[0] == 0
    assert rechecks == [True]


def test_problems_of_other_files_are_kept(kb, rechecks):
    edit(kb, "rounds/istanbul-2025-05.yaml", "speaker: vladimir-medinsky\n", "speaker: nobody\n")
    assert validate(kb)[0] == 1
    edit(kb, ROUND, "speaker: vladimir-medinsky\n", "speaker: vladimir-medinksy\n")
    code, report = cached_equals_full(kb)
    assert rechecks == [True]
    assert {Path(p["file"]).name for p in report["problems"]} == {"istanbul-2025-05.yaml", "geneva-2026-02.yaml"}


EDITS_IN_FULL = {
    # what other files can see changes: each is checked in full
    "a statement id": ("  - id: geneva-2026-02-medinsky-difficult-businesslike\n", "  - id: geneva-2026-02-medinsky-renamed\n"),
    "the round's title": ("title: ", "title: Renamed "),
    "the round's dates": ("end: 2026-02-18", "end: 2026-02-16"),
    "a delegation's members": ("    members: [igor-kostyukov]\n", ""),
    "the round's validity": ("kind: talks", "kind: talk"),
    "a statement's validity": ("attribution: direct-quote", "attribution: [direct-quote]"),
    "the YAML itself": ("delegations:\n", "delegations: [\n"),
}


@pytest.mark.parametrize("what", EDITS_IN_FULL)
def test_an_edit_others_can_see_is_checked_in_full(kb, rechecks, what):
    validate(kb)
    old, new = EDITS_IN_FULL[what]
    edit(kb, ROUND, old, new)
    cached_equals_full(kb)
    assert rechecks == [False]


def test_a_statement_id_used_elsewhere_is_found_and_the_file_then_always_checked_in_full(kb, rechecks):
    validate(kb)
    edit(kb, ROUND, "  - id: geneva-2026-02-medinsky-difficult-businesslike\n", "  - id: geneva-2025-11-trump-zero-gratitude\n")
    code, report = cached_equals_full(kb)
    assert code == 1 and "duplicate-id" in {p["code"] for p in report["problems"]}
    with (kb / ROUND).open("a", encoding="utf-8") as file:
        file.write("# reviewed\n")
    cached_equals_full(kb)
    assert rechecks == [False, False]


def test_a_seat_another_round_relies_on_is_seen(kb, rechecks):
    """A person who holds no role speaks for a party while sitting in its delegation: taking the
    seat away in one round makes a statement in another round speak out of turn."""
    (kb / "actors/test-envoy.yaml").write_text("id: test-envoy\nname: Test Envoy\nkind: person\n", encoding="utf-8")
    edit(kb, ROUND, "    members: [igor-kostyukov]\n", "    members: [igor-kostyukov, test-envoy]\n")
    other = kb / "rounds/geneva-2026-02-26.yaml"
    other.write_text(other.read_text(encoding="utf-8") + (
        "\n  - id: geneva-2026-02-26-test-envoy\n    date: 2026-02\n    speaker: test-envoy\n    party: russia\n"
        "    attribution: paraphrase\n    issues: [sequencing]\n    summary: Said something.\n    sources: [lbci-ukraine-us-talks-start-geneva]\n"
    ), encoding="utf-8")
    assert cached_equals_full(kb)[1]["problems"] == []
    edit(kb, ROUND, "    members: [igor-kostyukov, test-envoy]\n", "    members: [igor-kostyukov]\n")
    code, report = cached_equals_full(kb)
    assert [(Path(p["file"]).name, p["code"]) for p in report["problems"]] == [("geneva-2026-02-26.yaml", "speaker-not-of-party")]
    assert rechecks == [False]


def test_changes_outside_the_rounds_are_checked_in_full(kb, rechecks):
    validate(kb)
    edit(kb, "actors/russia.yaml", "name: ", "name: The ")
    cached_equals_full(kb)
    assert rechecks == [False]


def test_changed_rounds_names_only_round_files_that_changed():
    before = {"code": [["a.py", 1]], "data": {"actors": [["x.yaml", 1]], "rounds": [["a.yaml", 1], ["b.yaml", 1]]}}
    assert changed_rounds(before, before) == []
    assert changed_rounds(before, {**before, "data": {**before["data"], "rounds": [["a.yaml", 1], ["b.yaml", 2]]}}) == ["b.yaml"]
    assert changed_rounds(before, {**before, "data": {**before["data"], "rounds": [["a.yaml", 1]]}}) is None
    assert changed_rounds(before, {**before, "data": {**before["data"], "actors": [["x.yaml", 2]]}}) is None
    assert changed_rounds(before, {**before, "code": [["a.py", 2]]}) is None


@pytest.mark.parametrize("damage", ["{not json", "[]", "keep the fingerprint, break the rest"])
def test_a_damaged_detail_means_a_full_check(kb, rechecks, damage):
    from peacekb import cache

    validate(kb)
    [detail] = cache.cache_dir().glob("detail-*")
    if damage.startswith("keep"):
        stored = json.loads(detail.read_text(encoding="utf-8"))
        damage = json.dumps({**stored, "summaries": 5, "seats": [[1]], "invalid": "x"})
    detail.write_text(damage, encoding="utf-8")
    edit(kb, ROUND, "speaker: vladimir-medinsky\n", "speaker: vladimir-medinksy\n")
    assert cached_equals_full(kb)[0] == 1
    assert rechecks in ([], [False])


def test_edit_after_edit_is_rechecked_each_time(kb, rechecks):
    validate(kb)
    for number in range(4):
        with (kb / ROUND).open("a", encoding="utf-8") as file:
            file.write(f"# edit {number}\n")
        cached_equals_full(kb)
    assert rechecks == [True] * 4


# --- a round and an event of one id ------------------------------------------------------------------

EVENT = "events/us-28-point-plan-2025-11.yaml"
SHARED = "rounds/us-28-point-plan-2025-11.yaml"  # a round file named as the event


def shared_ids(report: dict) -> list[str]:
    """The files (kind/name) with an id-shared-across-kinds problem."""
    return sorted(f"{Path(p['file']).parent.name}/{Path(p['file']).name}" for p in report["problems"] if p["code"] == "id-shared-across-kinds")


def test_a_new_round_with_the_id_of_an_event_is_found(kb, rechecks):
    validate(kb)
    (kb / SHARED).write_text("id: us-28-point-plan-2025-11\ntitle: Talks on the plan\nstart: 2025-11-20\n", encoding="utf-8")
    code, report = cached_equals_full(kb)
    assert code == 1 and shared_ids(report) == [EVENT, SHARED]
    assert rechecks == [False]  # a file was added


def test_a_round_given_the_id_of_an_event_is_found_and_the_events_problem_goes_with_the_fix(kb, rechecks):
    """The round's id is part of what other files can see: changing it in either direction is a full
    check, or the event file would keep (or miss) its problem from the cache."""
    validate(kb)
    edit(kb, ROUND, "id: geneva-2026-02\n", "id: us-28-point-plan-2025-11\n")
    code, report = cached_equals_full(kb)
    assert code == 1 and shared_ids(report) == [EVENT, ROUND]
    edit(kb, ROUND, "id: us-28-point-plan-2025-11\n", "id: geneva-2026-02\n")
    code, report = cached_equals_full(kb)
    assert code == 0 and shared_ids(report) == []
    assert rechecks == [False, False]


def test_an_edit_inside_a_round_that_shares_its_id_keeps_both_problems(kb, rechecks):
    (kb / SHARED).write_text("id: us-28-point-plan-2025-11\ntitle: Talks on the plan\nstart: 2025-11-20\n", encoding="utf-8")
    validate(kb)
    edit(kb, SHARED, "title: Talks on the plan\n", "title: Talks on the plan\n# reviewed\n")
    code, report = cached_equals_full(kb)
    assert code == 1 and shared_ids(report) == [EVENT, SHARED]
    assert rechecks == [True]


# --- files of other folders than rounds: added, changed, removed -------------------------------------

NEW_ACTOR = "id: test-envoy\nname: Test Envoy\nkind: person\n"


def codes(report: dict) -> list[tuple[str, str]]:
    return sorted((f"{Path(p['file']).parent.name}/{Path(p['file']).name}", p["code"]) for p in report["problems"])


def test_an_actor_added_is_checked_alone_with_the_full_answer(kb, rechecks):
    validate(kb)
    (kb / "actors/test-envoy.yaml").write_text(NEW_ACTOR, encoding="utf-8")
    code, report = cached_equals_full(kb)
    assert code == 0
    assert rechecks == [True]


def test_the_problems_of_a_file_added_are_found(kb, rechecks):
    validate(kb)
    (kb / "actors/test-envoy.yaml").write_text(NEW_ACTOR + "sources: [no-such-source]\nroles:\n  - title: Envoy\n    party: nowhere\n", encoding="utf-8")
    code, report = cached_equals_full(kb)
    assert code == 1 and codes(report) == [("actors/test-envoy.yaml", "unknown-actor"), ("actors/test-envoy.yaml", "unknown-source")]
    assert rechecks == [True]


def test_an_event_added_with_the_id_of_a_round_gives_the_round_its_problem(kb, rechecks):
    validate(kb)
    (kb / "events/geneva-2026-02.yaml").write_text("id: geneva-2026-02\nkind: announcement\ntitle: A note\ndate: 2026-02-18\n", encoding="utf-8")
    code, report = cached_equals_full(kb)
    assert code == 1 and shared_ids(report) == ["events/geneva-2026-02.yaml", ROUND]
    assert rechecks == [True]


def test_a_source_added_at_another_sources_address_or_without_its_archive_is_found(kb, rechecks):
    validate(kb)
    url = next(line for line in (kb / "sources/24-kg-putin-names-conditions-ending-hostilities.yaml").read_text(encoding="utf-8").splitlines() if line.startswith("url:"))
    (kb / "sources/0-copy.yaml").write_text(f"id: 0-copy\ntitle: A copy\n{url}\narchive: 0-copy.txt\n", encoding="utf-8")
    code, report = cached_equals_full(kb)
    assert ("sources/24-kg-putin-names-conditions-ending-hostilities.yaml", "duplicate-url") in codes(report)
    assert ("sources/0-copy.yaml", "archive-missing") in codes(report)
    (kb / "sources/0-copy.txt").write_text("The archived text.\n", encoding="utf-8")  # an older source's archive arrives
    code, report = cached_equals_full(kb)
    assert ("sources/0-copy.yaml", "archive-missing") not in codes(report)
    (kb / "sources/stray.txt").write_text("Named by no source.\n", encoding="utf-8")
    assert ("sources/stray.txt", "stray-file") in codes(cached_equals_full(kb)[1])
    assert rechecks == [True, True, True]


def test_a_record_no_round_statement_names_is_rechecked_when_changed_or_removed(kb, rechecks):
    validate(kb)
    edit(kb, "actors/alexus-grynkewich.yaml", "name: ", "name: The ")
    assert cached_equals_full(kb)[0] == 0
    (kb / "actors/alexus-grynkewich.yaml").unlink()
    assert cached_equals_full(kb)[0] == 0
    # named by an event's statements alone: their problems are found again
    (kb / "sources/24-kg-putin-names-conditions-ending-hostilities.yaml").unlink()
    code, report = cached_equals_full(kb)
    assert code == 1 and {c for f, c in codes(report) if f == "events/putin-conditions-2024-06.yaml"} == {"unknown-source"}
    assert rechecks == [True, True, True]


def test_a_record_a_round_statement_names_is_checked_in_full_when_changed_or_removed(kb, rechecks):
    validate(kb)
    edit(kb, "actors/vladimir-medinsky.yaml", "name: ", "name: The ")
    assert cached_equals_full(kb)[0] == 0
    (kb / "actors/vladimir-medinsky.yaml").unlink()
    code, report = cached_equals_full(kb)
    assert code == 1 and (ROUND, "unknown-actor") in codes(report)
    assert rechecks == [False, False]


def test_an_archived_text_that_round_statements_quote_is_checked_in_full(kb, rechecks):
    validate(kb)
    edit(kb, "sources/interbellum-geneva-talks-no-breakthrough.txt", "businesslike", "cordial")
    code, report = cached_equals_full(kb)
    assert code == 1 and (ROUND, "quote-not-in-source") in codes(report)
    assert rechecks == [False]


def test_a_record_added_that_resolves_an_unknown_reference_is_checked_in_full(kb, rechecks):
    edit(kb, ROUND, "speaker: vladimir-medinsky\n", "speaker: test-envoy\n")
    assert (ROUND, "unknown-actor") in codes(validate(kb)[1])
    (kb / "actors/test-envoy.yaml").write_text(NEW_ACTOR, encoding="utf-8")
    code, report = cached_equals_full(kb)
    assert (ROUND, "unknown-actor") not in codes(report)
    assert rechecks == [False]


def test_a_record_added_that_a_round_statements_hint_could_offer_is_checked_in_full(kb, rechecks):
    edit(kb, ROUND, "speaker: vladimir-medinsky\n", "speaker: vladimir-medinksy\n")
    validate(kb)
    (kb / "actors/vladimir-medinksy-jr.yaml").write_text("id: vladimir-medinksy-jr\nname: V M\nkind: person\n", encoding="utf-8")
    code, report = cached_equals_full(kb)
    assert any("vladimir-medinksy-jr" in p["message"] for p in report["problems"] if p["code"] == "unknown-actor")
    assert rechecks == [False]


def test_the_problems_of_other_records_are_found_again(kb, rechecks):
    """An unknown reference outside the round files' statements does not stand in the way: it is
    found again with the rest."""
    edit(kb, "actors/vladimir-medinsky.yaml", "      - interbellum-geneva-talks-no-breakthrough\n", "      - test-source\n")
    assert ("actors/vladimir-medinsky.yaml", "unknown-source") in codes(validate(kb)[1])
    (kb / "sources/test-source.yaml").write_text("id: test-source\ntitle: A source\n", encoding="utf-8")
    code, report = cached_equals_full(kb)
    assert code == 0
    assert rechecks == [True]


def test_an_event_added_with_statements_is_checked_in_full(kb, rechecks):
    validate(kb)
    (kb / "events/test-note.yaml").write_text(
        "id: test-note\nkind: announcement\ntitle: A note\ndate: 2026-02-18\nstatements:\n"
        "  - id: geneva-2026-02-medinsky-difficult-businesslike\n    date: 2026-02-18\n    party: russia\n"
        "    attribution: paraphrase\n    issues: [sequencing]\n    summary: Said something.\n    sources: [interbellum-geneva-talks-no-breakthrough]\n",
        encoding="utf-8")
    code, report = cached_equals_full(kb)
    assert code == 1 and "duplicate-id" in {c for _, c in codes(report)}
    assert rechecks == [False]


def test_what_a_rechecked_round_names_is_kept_for_the_next_recheck(kb, rechecks):
    """A round edited to cite a source no round statement cited: removing that source afterwards is
    a full check, which finds the statement's reference gone."""
    validate(kb)
    source = "24-kg-putin-names-conditions-ending-hostilities"  # cited by an event's statements only
    edit(kb, ROUND, "    sources:\n      - interbellum-geneva-talks-no-breakthrough\n      - pravda-ru-geneva-meeting-concludes\n",
         f"    sources:\n      - interbellum-geneva-talks-no-breakthrough\n      - {source}\n      - pravda-ru-geneva-meeting-concludes\n")
    assert cached_equals_full(kb)[0] == 0
    (kb / f"sources/{source}.yaml").unlink()
    code, report = cached_equals_full(kb)
    assert code == 1 and (ROUND, "unknown-source") in codes(report)
    assert rechecks == [True, False]


def test_the_round_statements_keep_their_problems_when_a_record_is_added(kb, rechecks):
    edit(kb, ROUND, '"difficult, but businesslike"', '"difficult, but very businesslike"')
    assert (ROUND, "quote-not-in-source") in codes(validate(kb)[1])
    (kb / "actors/test-envoy.yaml").write_text(NEW_ACTOR, encoding="utf-8")
    code, report = cached_equals_full(kb)
    assert code == 1 and (ROUND, "quote-not-in-source") in codes(report)
    assert rechecks == [True]


def test_a_file_whose_record_has_another_id_is_checked_in_full_when_removed(kb, rechecks):
    """The round statements name records by id: a file holding another id than its name is not
    known by its name to be unnamed."""
    (kb / "actors/envoy-file.yaml").write_text(NEW_ACTOR, encoding="utf-8")
    edit(kb, ROUND, "speaker: vladimir-medinsky\n", "speaker: test-envoy\n")
    edit(kb, ROUND, "  - id: geneva-2026-02-medinsky-difficult-businesslike\n    date: 2026-02-18\n    speaker: test-envoy\n    party: russia\n",
         "  - id: geneva-2026-02-medinsky-difficult-businesslike\n    date: 2026-02-18\n    speaker: test-envoy\n    party: test-envoy\n")
    assert codes(validate(kb)[1]) == [("actors/envoy-file.yaml", "id-mismatch")]
    (kb / "actors/envoy-file.yaml").unlink()
    code, report = cached_equals_full(kb)
    assert code == 1 and (ROUND, "unknown-actor") in codes(report)
    assert rechecks == [False]
