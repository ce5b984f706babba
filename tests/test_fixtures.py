"""The golden knowledge bases: `fixtures/valid` loads clean; each `fixtures/invalid/<case>` reports
exactly the mistakes planted in it, at their file, line and column; together they cover every code."""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import INVALID, VALID, where, write_kb
from peacekb.dates import FuzzyDate
from peacekb.loader import load
from peacekb.problems import CODES

# case -> planted mistakes as (code, file relative to the case folder, line, column, text the message must contain)
CASES: dict[str, list[tuple[str, str, int, int, str | None]]] = {
    "syntax": [
        ("yaml-syntax", "actors/malformed.yaml", 4, 7, "mapping values are not allowed"),
        ("tab-indent", "actors/tab-indent.yaml", 5, 1, "tab in indentation"),
        ("duplicate-key", "actors/duplicate-key.yaml", 5, 1, "duplicate key `name`"),
        ("yaml-alias", "actors/alias-bomb.yaml", 4, 8, "alias `*a`"),
        ("yaml-alias", "actors/alias.yaml", 3, 7, "alias `*name`"),
        # the tag is read as a plain list, which `name` does not accept
        ("yaml-syntax", "actors/python-tag.yaml", 3, 7, "tags are not allowed"),
        ("yaml-multi-document", "actors/multi-document.yaml", 5, 1, "a second YAML document"),
        ("empty-file", "actors/comment-only.yaml", 1, 1, "holds no data"),
        ("empty-file", "actors/empty.yaml", 1, 1, "holds no data"),
        ("not-a-mapping", "actors/top-level-list.yaml", 1, 1, "holds a list"),
        ("not-a-mapping", "actors/plain-text.yaml", 1, 1, "holds plain text"),
    ],
    "fields": [
        ("wrong-type", "actors/wrong-types.yaml", 3, 7, "name must be text, not a list"),
        ("wrong-type", "actors/wrong-types.yaml", 5, 10, "aliases must be a list, not a mapping"),
        # missing fields point at the mapping they belong in
        ("missing-field", "actors/missing-fields.yaml", 2, 1, "missing required field `name` of the actor"),
        ("missing-field", "actors/missing-fields.yaml", 2, 1, "missing required field `kind` of the actor"),
        # unknown fields point at the key
        ("unknown-field", "actors/misspelt-field.yaml", 5, 1, "unknown field `descripton`; did you mean `description`?"),
        ("invalid-id", "actors/vladimir-medinsky.yaml", 2, 5, "e.g. `vladimir-medinsky`"),
        ("id-mismatch", "actors/vladimir-medinsky.yaml", 2, 5, "`vladimir-medinsky.yaml`"),
        ("id-mismatch", "actors/peskov.yaml", 2, 5, "id `dmitry-peskov` does not match the file name `peskov.yaml`"),
        ("invalid-value", "actors/bad-values.yaml", 4, 7, "did you mean `person`?"),
        ("invalid-value", "actors/bad-values.yaml", 5, 10, "did you mean `UA`?"),
        ("invalid-value", "actors/bad-values.yaml", 6, 11, "`Q212`"),
        ("invalid-value", "issues/stances-not-a-list.yaml", 3, 8, "title must not be empty"),
        ("wrong-type", "issues/stances-not-a-list.yaml", 5, 3, "stances must be a list, not a mapping"),
        ("invalid-value", "sources/bad-source.yaml", 4, 6, "http://"),
        ("unknown-field", "sources/bad-source.yaml", 5, 1, "did you mean `publisher`"),
        ("wrong-type", "rounds/statement-fields.yaml", 11, 13, "issues must be a list, not `territory`"),
        ("missing-field", "rounds/statement-fields.yaml", 14, 5, "missing required field `summary` of the statement"),
        ("unknown-field", "rounds/statement-fields.yaml", 22, 9, "unknown field `translaton`; did you mean `translation`?"),
        ("invalid-value", "rounds/statement-fields.yaml", 26, 18, "did you mean `direct-quote`?"),
        # the one valid statement of the round is still loaded and checked
        ("unknown-issue", "rounds/statement-fields.yaml", 34, 14, "no issue `territory`"),
    ],
    "references": [
        ("missing-field", "actors/broken-actor.yaml", 2, 1, "`kind`"),
        ("unknown-actor", "actors/volodymyr-zelensky.yaml", 8, 12, "no actor `ukriane` in actors/; did you mean `ukraine`?"),
        ("unknown-source", "actors/volodymyr-zelensky.yaml", 9, 15, "did you mean `article`?"),
        ("unknown-issue", "issues/donbas.yaml", 4, 9, "no issue `teritory` in issues/; did you mean `territory`?"),
        ("unknown-actor", "rounds/geneva.yaml", 6, 13, "did you mean `ukraine`?"),
        ("unknown-issue", "rounds/geneva.yaml", 7, 10, "did you mean `territory`?"),
        ("unknown-source", "rounds/geneva.yaml", 8, 11, "no source `artcle` in sources/; did you mean `article`?"),
        # found through the alias `Zelenskyy` of volodymyr-zelensky
        ("unknown-actor", "rounds/geneva.yaml", 15, 14, "did you mean `volodymyr-zelensky`?"),
        ("unknown-issue", "rounds/geneva.yaml", 18, 26, "no issue `security`"),
        ("unknown-stance", "rounds/geneva.yaml", 20, 19, "did you mean `guarantees-first`?"),
        ("stance-issue-not-listed", "rounds/geneva.yaml", 21, 7, "a stance on `territory`"),
        ("unknown-event", "rounds/geneva.yaml", 24, 17, "no event or document `anchorage-summit` in events/; did you mean `anchorage`?"),
        ("unknown-round", "events/anchorage.yaml", 6, 10, "no round `geneva-2026` in rounds/; did you mean `geneva`?"),
        ("self-reference", "events/anchorage.yaml", 7, 11, "lists itself as related"),
        ("unknown-event", "events/anchorage.yaml", 7, 22, "no event or document `alaska-summit`"),
    ],
    "duplicates": [
        ("duplicate-id", "actors/russian-federation.yaml", 2, 5, "actor id `russia` is already used in"),
        ("id-mismatch", "actors/russian-federation.yaml", 2, 5, None),
        ("duplicate-id", "issues/territory.yaml", 7, 5, "stance id `no-cession` appears twice"),
        ("duplicate-id", "rounds/geneva-1.yaml", 8, 5, "delegation of `russia` appears twice"),
        ("duplicate-id", "rounds/geneva-1.yaml", 12, 5, "outcome id `no-breakthrough` appears twice"),
        ("duplicate-id", "rounds/geneva-2.yaml", 13, 9, "geneva-1.yaml (statement 1)"),
        ("duplicate-id", "rounds/geneva-2.yaml", 20, 9, "geneva-2.yaml (statement 1)"),
    ],
    "shared-ids": [
        # reported at the id of both files, each naming the other; the actor and the issue `nato` are not
        ("id-shared-across-kinds", "rounds/geneva-2026-02.yaml", 2, 5, "round id `geneva-2026-02` is also the id of the event in"),
        ("id-shared-across-kinds", "events/geneva-2026-02.yaml", 3, 5, "event id `geneva-2026-02` is also the id of the round in"),
    ],
    "dates": [
        ("date-order", "actors/rustem-umerov.yaml", 9, 10, "ends (2023-09-06) before it starts (2025-07-17)"),
        ("invalid-date", "actors/impossible-date.yaml", 8, 12, "February 2025 has 28 days"),
        ("date-order", "rounds/backwards.yaml", 5, 6, "the round ends (2026-02-17) before it starts (2026-02-18)"),
        ("date-order", "rounds/backwards.yaml", 16, 13, "retracted (2026-02-17) before"),
        ("invalid-date", "rounds/impossible-start.yaml", 4, 8, "February 2025 has 28 days"),
        ("invalid-date", "rounds/impossible-start.yaml", 5, 6, "there is no month 13"),
    ],
    "tree": [
        ("self-reference", "actors/ukraine.yaml", 7, 12, "holds a role for itself"),
        # reported once, not once per issue of the loop; luhansk hangs below it and is not in it
        ("issue-cycle", "issues/donbas.yaml", 4, 9, "donbas > territory > donbas"),
        ("self-reference", "issues/process.yaml", 4, 9, "its own parent"),
    ],
    "sources": [
        ("quote-not-in-source", "rounds/geneva.yaml", 14, 15, "not in the archived text of `article`"),
        ("no-source", "rounds/geneva.yaml", 17, 5, "cites no source"),
        ("archive-missing", "sources/lost.yaml", 4, 10, "archive `lost.txt` does not exist"),
        ("quote-beyond-archive", "rounds/geneva.yaml", 29, 15, "excerpt that does not cover this quote"),
    ],
    "agreements": [
        ("party-and-third-party", "events/deal.yaml", 10, 12, "`arland` is a party here and cannot also be its guarantor"),
        ("date-order", "events/deal.yaml", 17, 11, "`conditional` (2016-08-24) comes after `signed` (2016-09-26); list it oldest first"),
        ("wrong-kind", "events/deal.yaml", 21, 11, "`plan` is an event of kind `plan`, not a vote"),
        ("wrong-kind", "events/deal.yaml", 25, 20, "not an agreement: name an agreement here"),
        ("date-order", "events/early.yaml", 8, 11, "`ratified` (2016-09-01) comes before the vote `plebiscite` it points at (2016-10-02)"),
        ("invalid-value", "events/misfiled.yaml", 7, 3, "`history` belongs to an event of kind `agreement`, not `plan`"),
        ("invalid-value", "events/plebiscite.yaml", 12, 12, "`turnot` is not a figure of this vote's results; it gives yes, no"),
        ("party-and-third-party", "rounds/talks.yaml", 11, 12, "`front` is a delegation here and cannot also be its observer"),
        ("party-and-third-party", "rounds/mediated.yaml", 5, 13, "`norland` is a delegation here and cannot also be its mediator"),
    ],
    "warnings": [
        ("stray-file", "actors/notes.yml", 1, 1, "rename it to notes.yaml"),
        ("stray-file", "sources/unused.txt", 1, 1, "unused.txt is not loaded"),
        ("quote-missing", "rounds/geneva.yaml", 9, 18, "no `quotes`"),
        ("duplicate-url", "sources/article-copy.yaml", 3, 6, "source `article` has this address already"),
        ("speaker-not-of-party", "rounds/geneva.yaml", 15, 14, "`vladimir-medinsky` held no role for `ukraine` on 2026-02-18"),
        ("control-character", "actors/ukraine.yaml", 5, 14, "`description` holds U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("control-character", "rounds/geneva.yaml", 19, 14, "`summary` holds U+200B (ZERO WIDTH SPACE)"),
    ],
}


def _check(root: Path, expected: list[tuple[str, str, int, int, str | None]]) -> None:
    result = load(root)
    assert sorted(where(p, root) for p in result.problems) == sorted(e[:4] for e in expected)
    messages = defaultdict(list)
    for p in result.problems:
        messages[where(p, root)].append(p.message)
        assert p.severity == CODES[p.code].severity
    for *place, fragment in expected:
        if fragment:
            assert any(fragment in m for m in messages[tuple(place)]), (place, fragment, messages[tuple(place)])


# --- the valid knowledge base ---------------------------------------------------------------------


def test_valid_fixture_loads_without_problems():
    result = load(VALID)
    assert result.problems == []
    assert (result.errors, result.warnings) == (0, 0)
    assert result.files == len(list(VALID.glob("*/*.yaml")))


def test_valid_fixture_holds_every_kind_of_record():
    kb = load(VALID).kb
    assert set(kb.actors) >= {"russia", "ukraine", "united-states", "vladimir-medinsky", "volodymyr-zelensky"}
    assert kb.issues["donbas"].parent == "territory"
    assert {s.id for s in kb.issues["sequencing"].stances} == {"guarantees-first", "territory-first"}
    assert set(kb.rounds) == {"abu-dhabi-2026-01", "geneva-2026-02"}
    assert kb.events["anchorage-understandings"].date.precision == "month"
    assert kb.rounds["geneva-2026-02"].events == ["anchorage-understandings"]
    assert all(r.delegations and r.outcomes for r in kb.rounds.values())
    assert len(kb.statements) == len(kb.rounds["geneva-2026-02"].statements) == 7
    assert set(kb.statement_parent.values()) == {("rounds", "geneva-2026-02")}

    statements = kb.statements
    attributions = {s.attribution for s in statements.values()}
    assert attributions == {"direct-quote", "paraphrase", "reported"}
    reported = statements["geneva-zelensky-us-territory-first"]
    assert (reported.party, reported.holders) == ("ukraine", ["united-states"])
    assert statements["geneva-zelensky-guarantees-first"].date.precision == "month"
    assert statements["geneva-peskov-difficult-businesslike"].retracted is not None
    translated = statements["geneva-zelensky-guarantees-first"]
    assert [q.translation for q in translated.quotes] == [True, True]
    assert translated.all_sources == ["interbellum-geneva-talks", "second-translation"]
    # the rounds were loaded in file order, and the dates kept their precision
    assert kb.rounds["geneva-2026-02"].start == FuzzyDate(2026, 2, 17)


def test_valid_fixture_quotes_are_really_checked_against_the_archive(tmp_path):
    """Changing one word of one quote of the valid knowledge base is caught: the check is not vacuous."""
    root = tmp_path / "kb"
    shutil.copytree(VALID, root)
    path = root / "rounds" / "geneva-2026-02.yaml"
    path.write_text(path.read_text().replace('"brought about meaningful progress"', '"brought about real progress"'))
    result = load(root)
    lines = path.read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "brought about real progress" in text)
    column = lines[line - 1].index('"') + 1
    assert [(p.code, p.line, p.column) for p in result.problems] == [("quote-not-in-source", line, column)]


def test_valid_fixture_archive_is_the_only_non_record_file():
    others = [p.relative_to(VALID).as_posix() for p in VALID.rglob("*") if p.is_file() and p.suffix != ".yaml"]
    assert others == ["sources/interbellum-geneva-talks.txt"]


# --- the invalid knowledge bases ------------------------------------------------------------------


def test_every_invalid_fixture_folder_is_listed():
    assert sorted(p.name for p in INVALID.iterdir() if p.is_dir()) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_invalid_fixture_reports_exactly_the_planted_mistakes(case):
    _check(INVALID / case, CASES[case])


def test_python_tag_constructs_nothing(monkeypatch, tmp_path):
    """`!!python/object/apply:os.system` is refused: nothing is called, no file appears."""
    calls = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a) or 0)
    monkeypatch.chdir(tmp_path)
    result = load(INVALID / "syntax")
    assert calls == []
    assert list(tmp_path.iterdir()) == []
    assert not (INVALID / "syntax" / "peacekb-pwned").exists()
    assert "python-tag" not in result.kb.actors
    assert [p.code for p in result.problems if p.file.endswith("python-tag.yaml")] == ["yaml-syntax"]


# --- cases written at run time: bytes that are awkward to keep in git -------------------------------


def _not_utf8(root: Path):
    write_kb(root, {"actors/latin-1.yaml": b"# saved as Latin-1, not UTF-8\nid: caf\xe9\nname: Cafe\nkind: state\n"})
    return [("not-utf8", "actors/latin-1.yaml", 2, 8, "byte 0xe9 is not valid UTF-8")]


def _folder_named_like_a_file(root: Path):
    write_kb(root, {})
    (root / "actors" / "x.yaml").mkdir()
    return [("unreadable-file", "actors/x.yaml", 1, 1, "cannot read the file")]


def _control_character(root: Path):
    write_kb(root, {"actors/binary.yaml": b"id: binary\nname: B\x00\x01\nkind: state\n"})
    return [("yaml-syntax", "actors/binary.yaml", 2, 8, "control character U+0000")]


def _symlinks(root: Path):
    write_kb(root, {"sources/linked.yaml": "id: linked\ntitle: Linked\narchive: linked.txt\n"})
    (root.parent / "outside.txt").write_text("id: outside\n", encoding="utf-8")
    (root / "actors" / "linked.yaml").symlink_to(root.parent / "outside.txt")
    (root / "sources" / "linked.txt").symlink_to(root.parent / "outside.txt")
    return [
        ("symlink", "actors/linked.yaml", 1, 1, "symbolic link"),
        ("symlink", "sources/linked.txt", 1, 1, "quotes attributed to source `linked` are not checked"),
    ]


def _fifo(root: Path):
    write_kb(root, {})
    os.mkfifo(root / "actors" / "pipe.yaml")
    return [("not-a-regular-file", "actors/pipe.yaml", 1, 1, "named pipe")]


def _too_large(root: Path):
    write_kb(root, {})
    with open(root / "actors" / "sparse.yaml", "wb") as handle:
        handle.truncate(2 * 1024**3)
    return [("file-too-large", "actors/sparse.yaml", 1, 1, "larger than 16,777,216 bytes")]


def _yaml_limits(root: Path):
    write_kb(root, {
        "actors/deep.yaml": "id: deep\nname:\n  " + "- " * 20_000 + "x\n",
        "actors/wide.yaml": "id: wide\n" + "".join(f"k{i}: {i}\n" for i in range(100_001)),
        "issues/nested.yaml": "id: nested\ntitle: " + "[" * 500 + "]" * 500 + "\n",
    })
    return [
        ("yaml-too-deep", "actors/deep.yaml", 3, 1, "1,000 columns"),
        ("yaml-too-large", "actors/wide.yaml", 1, 1, "100,002 keys"),
        ("yaml-too-deep", "issues/nested.yaml", 2, 263, "nested too deeply"),
    ]


RUNTIME_CASES = {
    "not-utf8": _not_utf8,
    "folder-named-like-a-file": _folder_named_like_a_file,
    "control-character": _control_character,
    "symlinks": _symlinks,
    "fifo": _fifo,
    "too-large": _too_large,
    "yaml-limits": _yaml_limits,
}


@pytest.mark.parametrize("case", sorted(RUNTIME_CASES))
def test_runtime_case(case, tmp_path):
    root = tmp_path / "kb"
    _check(root, RUNTIME_CASES[case](root))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read a file without permissions")
def test_file_without_read_permission(tmp_path):
    root = write_kb(tmp_path / "kb", {"actors/secret.yaml": "id: secret\nname: Secret\nkind: state\n"})
    (root / "actors" / "secret.yaml").chmod(0)
    try:
        _check(root, [("unreadable-file", "actors/secret.yaml", 1, 1, "Permission denied")])
    finally:
        (root / "actors" / "secret.yaml").chmod(0o644)


# --- coverage of the catalogue --------------------------------------------------------------------

_RUNTIME_CODES = {"not-utf8", "unreadable-file", "yaml-syntax", "symlink", "not-a-regular-file", "file-too-large", "yaml-too-deep", "yaml-too-large"}
# codes that well-formed input cannot produce: the test makes peacekb fail on purpose
_INJECTED_CODES = {"internal-error"}
# codes planted in a git revision (a symbolic link committed): see tests/test_revisions.py
_REVISION_CODES = {"symlink"}
COVERED = {e[0] for planted in CASES.values() for e in planted} | _RUNTIME_CODES | _INJECTED_CODES | _REVISION_CODES


def test_runtime_codes_are_those_the_runtime_cases_plant(tmp_path):
    planted = set()
    for index, make in enumerate(RUNTIME_CASES.values()):
        planted |= {e[0] for e in make(tmp_path / str(index))}
    assert planted == _RUNTIME_CODES


def test_injected_internal_error(monkeypatch):
    """A check that raises is reported as an internal error; the planted mistakes are still all reported."""
    from peacekb import checks

    def broken(kb):
        raise RuntimeError("boom")

    monkeypatch.setattr(checks, "CHECKS", [*checks.CHECKS, broken])
    root = INVALID / "tree"
    problems = load(root).problems
    internal = [p for p in problems if p.code == "internal-error"]
    assert len(internal) == 1 and "RuntimeError: boom" in internal[0].message
    assert sorted(where(p, root) for p in problems if p.code != "internal-error") == sorted(e[:4] for e in CASES["tree"])
    assert {p.code for p in internal} == _INJECTED_CODES


@pytest.mark.parametrize("code", list(CODES))
def test_every_code_has_a_planted_case(code):
    """Adding a code to the catalogue without a fixture that produces it fails here."""
    assert code in COVERED
