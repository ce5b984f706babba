"""Finding the knowledge base: --data, else $PEACEKB_DATA, else the nearest `data` folder upwards."""

from pathlib import Path

import pytest

from peacekb.datadir import DataDirError, find_data_dir, is_knowledge_base


def _kb(path: Path) -> Path:
    for name in ("actors", "issues", "rounds"):
        (path / name).mkdir(parents=True, exist_ok=True)
    return path




def test_is_knowledge_base(tmp_path):
    assert not is_knowledge_base(tmp_path)
    (tmp_path / "actors").mkdir()
    (tmp_path / "issues").mkdir()
    assert not is_knowledge_base(tmp_path)
    (tmp_path / "rounds").write_text("a file, not a folder")
    assert not is_knowledge_base(tmp_path)
    (tmp_path / "rounds").unlink()
    (tmp_path / "rounds").mkdir()
    assert is_knowledge_base(tmp_path)
    assert not is_knowledge_base(tmp_path / "missing")


def test_explicit_folder_is_used_as_given(tmp_path):
    kb = _kb(tmp_path / "my-kb")
    assert find_data_dir(str(kb), cwd=tmp_path) == kb
    assert find_data_dir(kb, cwd=tmp_path) == kb


def test_explicit_folder_beats_the_environment(tmp_path, monkeypatch):
    explicit = _kb(tmp_path / "explicit")
    monkeypatch.setenv("PEACEKB_DATA", str(_kb(tmp_path / "from-env")))
    assert find_data_dir(str(explicit), cwd=tmp_path) == explicit


def test_environment_beats_walking_up(tmp_path, monkeypatch):
    _kb(tmp_path / "data")
    env = _kb(tmp_path / "elsewhere")
    monkeypatch.setenv("PEACEKB_DATA", str(env))
    assert find_data_dir(cwd=tmp_path) == env


def test_empty_environment_variable_is_ignored(tmp_path, monkeypatch):
    _kb(tmp_path / "data")
    monkeypatch.setenv("PEACEKB_DATA", "")
    assert find_data_dir(cwd=tmp_path) == Path("data")


def test_missing_explicit_folder(tmp_path):
    with pytest.raises(DataDirError) as info:
        find_data_dir(str(tmp_path / "nope"), cwd=tmp_path)
    assert str(info.value) == f"--data {tmp_path / 'nope'}: no such folder"


def test_missing_folder_from_the_environment_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PEACEKB_DATA", str(tmp_path / "nope"))
    with pytest.raises(DataDirError, match=r"^PEACEKB_DATA .*nope: no such folder$"):
        find_data_dir(cwd=tmp_path)


def test_a_folder_that_is_not_a_knowledge_base_names_what_it_lacks(tmp_path):
    (tmp_path / "half" / "actors").mkdir(parents=True)
    with pytest.raises(DataDirError) as info:
        find_data_dir(str(tmp_path / "half"), cwd=tmp_path)
    assert str(info.value).endswith("not a knowledge base (it lacks issues/, rounds/)")


def test_walks_up_from_a_nested_folder(tmp_path):
    project = tmp_path / "project"
    _kb(project / "data")
    nested = project / "docs" / "notes" / "deep"
    nested.mkdir(parents=True)
    found = find_data_dir(cwd=nested)
    assert found == Path("../../../data")
    assert (nested / found).resolve() == (project / "data").resolve()


def test_inside_the_data_folder_itself(tmp_path):
    data = _kb(tmp_path / "data")
    assert find_data_dir(cwd=data) == Path(".")
    assert find_data_dir(cwd=data / "actors") == Path("..")


def test_the_nearest_data_folder_wins(tmp_path):
    _kb(tmp_path / "data")
    inner = tmp_path / "inner"
    _kb(inner / "data")
    assert find_data_dir(cwd=inner) == Path("data")


def test_a_data_folder_that_is_not_a_knowledge_base_is_passed_over(tmp_path):
    _kb(tmp_path / "data")
    inner = tmp_path / "inner"
    (inner / "data" / "actors").mkdir(parents=True)
    assert find_data_dir(cwd=inner) == Path("../data")


def test_defaults_to_the_current_directory(tmp_path, monkeypatch):
    _kb(tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    assert find_data_dir() == Path("data")


def test_nothing_found_says_how_to_point_at_one(tmp_path):
    with pytest.raises(DataDirError) as info:
        find_data_dir(cwd=tmp_path)
    message = str(info.value)
    assert message.startswith("no knowledge base found here")
    assert "--data DIR" in message and "PEACEKB_DATA" in message
    assert "\n" not in message
