"""The statement index: a question about one issue reads only the statements on it, and answers as a
full load does, whatever changed in between."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES
from peacekb import cache
from peacekb.cli import app
from peacekb.store import StatementIndex

DATA = Path(__file__).parent.parent / "data"
runner = CliRunner()


@pytest.fixture(params=["positions", pytest.param("bundled", marks=pytest.mark.slow)])
def kb(request, tmp_path) -> Path:
    root = tmp_path / "data"
    source = FIXTURES / "positions" if request.param == "positions" else DATA
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("research", "README.md"))
    return root


@pytest.fixture
def partial(monkeypatch) -> list[str]:
    """The issues answered from the index (the knowledge base was not loaded in full)."""
    answered: list[str] = []
    real = cache._with_statements

    def spy(*args, **kwargs):
        kb, chosen = real(*args, **kwargs)
        answered.append(chosen)
        return kb, chosen

    monkeypatch.setattr(cache, "_with_statements", spy)
    return answered


def positions(kb: Path, *args: str) -> str:
    result = runner.invoke(app, ["positions", *args, "--data", str(kb)], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    return result.stdout


def issues_of(kb: Path) -> list[str]:
    return sorted(p.stem for p in (kb / "issues").glob("*.yaml"))


@pytest.mark.parametrize("form", ["json", "text", "csv", "markdown"])
def test_positions_from_the_index_are_those_of_a_full_load(kb, partial, form, tmp_path, monkeypatch):
    expected = {}
    for issue in issues_of(kb):
        monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / f"fresh-{issue}"))
        expected[issue] = positions(kb, issue, "-f", form)
    assert partial == []  # nothing cached yet: every answer came from a full load
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / "kept"))
    positions(kb, issues_of(kb)[0], "-f", form)  # a full load, which fills the cache and the index
    for issue in issues_of(kb):
        assert positions(kb, issue, "-f", form) == expected[issue], issue
    assert partial == issues_of(kb)


def test_as_of_is_answered_from_the_index_too(kb, partial, tmp_path, monkeypatch):
    issue = issues_of(kb)[-1]
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / "fresh"))
    expected = positions(kb, issue, "--as-of", "2026-02", "-f", "json")
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / "kept"))
    positions(kb, issue)
    assert positions(kb, issue, "--as-of", "2026-02", "-f", "json") == expected
    assert partial == [issue]


def test_an_edited_round_file_is_read_again_before_answering(tmp_path, partial, monkeypatch):
    kb = tmp_path / "data"
    shutil.copytree(FIXTURES / "positions", kb)
    positions(kb, "territory")
    before = positions(kb, "territory", "-f", "json")
    path = kb / "rounds" / "geneva-2026-03.yaml"
    text = path.read_text(encoding="utf-8")
    assert "      territory: cession\n" in text
    path.write_text(text.replace("      territory: cession\n", "      territory: no-cession\n"), encoding="utf-8")
    after = positions(kb, "territory", "-f", "json")
    assert after != before
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / "fresh"))
    assert positions(kb, "territory", "-f", "json") == after
    assert partial == ["territory", "territory"]  # the edit was rechecked, and the index read the file again


def test_a_damaged_index_is_made_anew(tmp_path, partial, monkeypatch):
    kb = tmp_path / "data"
    shutil.copytree(FIXTURES / "positions", kb)
    positions(kb, "territory")
    expected = positions(kb, "territory", "-f", "json")
    [index] = cache.cache_dir().glob("statements-*.sqlite")
    index.write_bytes(b"not a database at all" * 100)
    assert positions(kb, "territory", "-f", "json") == expected
    assert partial == ["territory", "territory"]


def test_the_index_follows_the_files_and_leaves_retracted_statements_out(tmp_path):
    kb = tmp_path / "data"
    shutil.copytree(FIXTURES / "positions", kb)
    store = StatementIndex(tmp_path / "index.sqlite")
    store.sync(kb, cache.fingerprint(kb)["data"]["rounds"])
    issues = ["territory", "border-zone", "sequencing"]
    found = {s.id: s for s in store.taking_stances(issues)}
    assert "g1-gold-no-stance" not in found and "g1-gold-territory-first-retracted" not in found
    assert found and all(set(s.stances) & set(issues) for s in found.values())
    assert {s.id for s in store.taking_stances(["sequencing"])} == {i for i, s in found.items() if "sequencing" in s.stances}
    by_beta = {s.id for s in store.taking_stances(None, ["beta"])}
    assert by_beta and by_beta == {
        i for i, s in {s.id: s for s in store.taking_stances(None)}.items() if ("beta" in s.holders or s.speaker == "beta")
    }
    path = kb / "rounds" / "geneva-2026-01.yaml"
    assert any(s.file == path.name for s in found.values())
    path.unlink()
    store.sync(kb, cache.fingerprint(kb)["data"]["rounds"])
    assert not [s for s in store.taking_stances(issues) if s.file == path.name]
    store.close()


def test_statements_of_a_round_that_fails_its_model_are_answered_as_by_a_full_load(tmp_path, partial, monkeypatch):
    kb = tmp_path / "data"
    shutil.copytree(FIXTURES / "positions", kb)
    path = kb / "rounds" / "geneva-2026-03.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: talks", "kind: talk"), encoding="utf-8")
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / "fresh"))
    expected = positions(kb, "territory", "-f", "json")
    assert '"round": null' in expected  # the round's statements still count, under no round
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / "kept"))
    positions(kb, "territory")
    assert positions(kb, "territory", "-f", "json") == expected
    assert partial == ["territory"]


QUESTIONS = {
    "compare": [
        ["matrix"], ["matrix", "--parties", "alpha,olga-orlov"], ["matrix", "--issues", "territory", "--as-of", "2026-02"],
        ["diff", "alpha", "beta"], ["diff", "olga-orlov", "beta"], ["diff", "alpha", "concord", "--issue", "territory"],
        ["diff", "alpha", "beta", "--as-of", "2026-01"],
    ],
    "bundled": [["matrix"], ["diff", "russia", "ukraine"], ["diff", "united-states", "russia", "--issue", "territory"]],
}


@pytest.mark.slow
@pytest.mark.parametrize("which", QUESTIONS)
@pytest.mark.parametrize("form", ["json", "text"])
def test_diff_and_matrix_from_the_index_are_those_of_a_full_load(which, form, tmp_path, monkeypatch):
    kb = tmp_path / "data"
    shutil.copytree(FIXTURES / "compare" if which == "compare" else DATA, kb, ignore=shutil.ignore_patterns("research", "README.md"))
    answered = []
    real = cache._with_statements

    def spy(*args, **kwargs):
        answered.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(cache, "_with_statements", spy)
    for number, question in enumerate(QUESTIONS[which]):
        monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / f"fresh-{number}"))
        expected = runner.invoke(app, [*question, "--data", str(kb), "-f", form], env={"COLUMNS": "120"})
        monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / "kept"))
        runner.invoke(app, ["validate", "--data", str(kb)])
        again = runner.invoke(app, [*question, "--data", str(kb), "-f", form], env={"COLUMNS": "120"})
        assert (again.exit_code, again.stdout) == (expected.exit_code, expected.stdout), question
        assert expected.exit_code == 0 and expected.stdout
    assert len(answered) == len(QUESTIONS[which])


def test_a_name_that_matches_nothing_is_a_usage_error_on_the_quick_path_too(tmp_path):
    kb = tmp_path / "data"
    shutil.copytree(FIXTURES / "compare", kb)
    runner.invoke(app, ["matrix", "--data", str(kb)])  # fills the cache and the index
    for question in (["diff", "alpha", "nobody"], ["matrix", "--parties", "nobody"], ["positions", "nothing-like-it"]):
        result = runner.invoke(app, [*question, "--data", str(kb)])
        assert result.exit_code == 2 and "Traceback" not in result.output, question


ROW_DAMAGE = {
    "a date that does not parse": "UPDATE {table} SET date = 'whenever'",
    "an empty date": "UPDATE {table} SET date = ''",
    "a position that is not a number": "UPDATE {table} SET position = 'first'",
    "a file outside the rounds folder": "UPDATE {table} SET file = '../actors/russia.yaml'",
    "stances of the wrong type": "UPDATE {table} SET stances = X'00'",
    "a speaker of the wrong type": "UPDATE {table} SET speaker = 3",
    "a position that points at another statement": "UPDATE {table} SET position = 0",
}


@pytest.mark.slow
@pytest.mark.parametrize("damage", ROW_DAMAGE)
def test_index_rows_of_the_wrong_shape_mean_a_full_load(damage, tmp_path, monkeypatch):
    import sqlite3

    kb = tmp_path / "data"
    shutil.copytree(DATA, kb, ignore=shutil.ignore_patterns("research", "README.md"))
    questions = [["positions", "territory"], ["diff", "russia", "ukraine"], ["matrix"], ["diff", "united-states", "russia", "--issue", "territory"]]

    def answers():
        found = []
        for question in questions:
            result = runner.invoke(app, [*question, "--data", str(kb), "-f", "json"], env={"COLUMNS": "120"})
            assert result.exit_code in (0, 1) and "Traceback" not in result.output, (question, result.output)
            found.append((result.exit_code, result.stdout))
        return found

    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / "fresh"))
    expected = answers()
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / "kept"))
    runner.invoke(app, ["matrix", "--data", str(kb)])  # fills the cache and the index
    [path] = list((tmp_path / "kept").glob("statements-*.sqlite"))
    db = sqlite3.connect(path)
    with db:
        for table in ("statements", "by_issue"):
            db.execute(ROW_DAMAGE[damage].format(table=table))
    db.close()
    assert answers() == expected
    assert answers() == expected  # and again, from the index made anew
