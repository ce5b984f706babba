"""The JSON Schemas for editors: peacekb/schema.py and `peacekb schema`."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml_rs
from jsonschema import Draft202012Validator
from pydantic import ValidationError
from typer.testing import CliRunner

from conftest import FIXTURES, VALID
from peacekb import dates
from peacekb.cli import app
from peacekb.models import KINDS
from peacekb.schema import NAMES, file_name, files, schemas

ROOT = Path(__file__).parent.parent
DATA = ROOT / "data"
COMMITTED = ROOT / "schemas"
KIND_NAMES = ["actor", "issue", "round", "source", "event"]

runner = CliRunner()




def load_yaml(path: Path) -> Any:
    """A record file as the loader reads it (dates stay text)."""
    return yaml_rs.loads(path.read_text(encoding="utf-8"), parse_datetime=False)


def schema_errors(name: str, record: Any) -> list[str]:
    validator = Draft202012Validator(schemas()[name])
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(record)]


def model_accepts(folder: str, record: Any) -> bool:
    try:
        KINDS[folder].model_validate(record)
    except ValidationError:
        return False
    return True


def walk(node: Any, path: str = "$"):
    """Every mapping in a schema, with its JSON path; values of `const`/`enum`/`default` are not schemas."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key not in ("const", "enum", "default", "examples"):
                yield from walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from walk(item, f"{path}[{index}]")


# --- the committed schemas ------------------------------------------------------------------------


def test_committed_schemas_are_current():
    """The schemas committed in schemas/ are byte for byte what the models generate.

    This is the test that makes CI fail when a model (or pydantic) changes and the schemas
    were not regenerated: run `peacekb schema` and commit schemas/.
    """
    generated = files()
    on_disk = {path.name: path.read_bytes() for path in COMMITTED.glob("*.schema.json")}
    assert sorted(on_disk) == sorted(generated), "schemas/ holds other files than `peacekb schema` writes"
    stale = [name for name, text in generated.items() if on_disk[name] != text.encode("utf-8")]
    assert not stale, f"schemas/ is out of date ({', '.join(stale)}): run `peacekb schema` and commit the result"


def test_output_is_deterministic_and_ends_with_a_newline():
    first, second = files(), files()
    assert first == second
    for name, text in first.items():
        assert text.endswith("}\n") and not text.endswith("\n\n"), name
        assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n", name


# --- what the schemas say -------------------------------------------------------------------------


def test_one_valid_2020_12_schema_per_kind_of_file():
    found = schemas()
    assert list(found) == KIND_NAMES
    assert sorted(files()) == sorted(f"{name}.schema.json" for name in [*KIND_NAMES, "export"])
    for name, schema in found.items():
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"] == file_name(name)
        assert schema["title"] == f"peacekb {name}"
        assert schema["description"].startswith(KINDS[f"{name}s"].__doc__.split(".")[0])
        assert schema["type"] == "object"
        assert "id" in schema["required"]


def test_every_object_is_closed_to_unknown_keys():
    """The models forbid extra keys; so does every object of every schema, nested ones included.

    (`if`/`then`/`else` add conditions to an object described elsewhere: they are not objects of their own.)
    """
    conditions = re.compile(r"\.(if|then|else)(\.|$)")
    for name, schema in schemas().items():
        objects = [
            (path, node) for path, node in walk(schema)
            if (node.get("type") == "object" or "properties" in node) and not conditions.search(path)
        ]
        assert len(objects) >= (9 if name == "round" else 1), name  # round: its models, and a statement's stances
        open_ = [path for path, node in objects if node.get("additionalProperties") is not False]
        assert not open_, f"{name}: objects open to unknown keys at {open_}"


def test_fields_carry_the_model_descriptions():
    round_ = schemas()["round"]
    statement = round_["$defs"]["Statement"]["properties"]
    assert statement["party"]["description"] == "The party the speaker spoke for; for a joint statement, give `parties` instead."
    assert round_["properties"]["not_found"]["description"] == "Details looked for and not found in the sources."
    # a date keeps its own description and says how it is written
    assert statement["date"]["description"].startswith("When it was said, as precise as the source allows.")
    assert dates.FORMS in statement["date"]["description"]


def date_branches(field: dict) -> list[dict]:
    """The schema of a field and those of its `anyOf` alternatives, nested ones included."""
    return [field, *(inner for branch in field.get("anyOf", []) for inner in date_branches(branch))]


@pytest.mark.parametrize(
    "name, path",
    [
        ("round", ("properties", "start")),
        ("round", ("properties", "end")),
        ("round", ("$defs", "Statement", "properties", "date")),
        ("actor", ("$defs", "Role", "properties", "start")),
        ("source", ("properties", "published")),
        ("event", ("properties", "date")),
    ],
)
def test_dates_are_strings_with_the_pattern(name, path):
    field = schemas()[name]
    for key in path:
        field = field[key]
    strings = [b for b in date_branches(field) if b.get("type") == "string"]
    assert [b["pattern"] for b in strings] == [dates.PATTERN]
    # YAML reads a bare year as a number, which the models accept: so does the schema
    assert {"type": "integer", "minimum": 1, "maximum": 9999} in date_branches(field)


@pytest.mark.parametrize("text", ["2026-02-18", "2025-08", "2025", "2025-11-20~", "2025-12-19/2025-12-20", "2025~/2026-01", "2024-02-29",
                                  "../2026-02-18", "../2025-11~", "2016-10-02/..", "2016~/.."])
def test_the_date_pattern_takes_every_form_the_parser_takes(text):
    dates.FuzzyDate.parse(text)
    assert re.search(dates.PATTERN, text)


@pytest.mark.parametrize("text", ["2026-2-18", "18 February 2026", "2026-13", "2026-02-32", "2026-00-10", "2026/02/18", "26-02-18", "2026-02-18T10:00",
                                  "../", "..", "../2026-02-18/2026-03-01", "2026-02-18/../2026-03", "/..", "/2026-02-18", "../../2026"])
def test_the_date_pattern_rejects_what_the_parser_rejects(text):
    with pytest.raises(ValueError):
        dates.FuzzyDate.parse(text)
    assert not re.search(dates.PATTERN, text)


def test_a_round_describes_its_statements():
    """The loader validates a round's statements one by one, but the schema still describes them."""
    for name in ("round", "event"):
        schema = schemas()[name]
        statements = schema["properties"]["statements"]
        assert statements["type"] == "array"
        assert statements["items"] == {"$ref": "#/$defs/Statement"}
        statement = schema["$defs"]["Statement"]
        assert {"id", "date", "attribution", "issues", "summary"} <= set(statement["required"])
        # one party, or the parties of a joint statement: exactly one of the two
        assert statement["oneOf"] == [{"required": ["party"], "not": {"required": ["parties"]}}, {"required": ["parties"], "not": {"required": ["party"]}}]
        assert statement["properties"]["quotes"]["items"] == {"$ref": "#/$defs/Quote"}


def test_keywords_stay_within_what_yaml_language_server_understands():
    """yaml-language-server implements draft 7 well and later drafts only in part: no keyword newer than draft 7."""
    newer = {"prefixItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired", "dependentSchemas", "$dynamicRef", "$dynamicAnchor", "$anchor", "contentSchema"}
    for name, schema in schemas().items():
        used = {key for _, node in walk(schema) for key in node}
        assert not used & newer, f"{name}: {used & newer}"


# --- the data against the schemas -----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("folder", list(NAMES))
def test_every_bundled_data_file_validates_against_its_schema(folder):
    paths = sorted((DATA / folder).glob("*.yaml"))
    assert len(paths) >= 5
    failures = [f"{path.relative_to(ROOT)}: {error}" for path in paths for error in schema_errors(NAMES[folder], load_yaml(path))]
    assert not failures, "\n".join(failures)


def test_the_valid_fixture_validates_against_the_schemas():
    paths = sorted(VALID.glob("*/*.yaml"))
    assert len(paths) >= 10
    failures = [f"{path}: {error}" for path in paths for error in schema_errors(NAMES[path.parent.name], load_yaml(path))]
    assert not failures, "\n".join(failures)


# Calendar dates are beyond a pattern: `peacekb validate` alone rejects 30 February.
CALENDAR_ONLY = {"invalid/dates/actors/impossible-date.yaml"}


@pytest.mark.slow
def test_schemas_and_models_agree_on_every_fixture_record():
    """Each record file of the test fixtures is accepted by its schema exactly when the model accepts it."""
    compared = 0
    rejected = 0
    problems = []
    for path in sorted(FIXTURES.rglob("*.yaml")):
        folder = path.parent.name
        if folder not in NAMES or not path.is_file():
            continue
        try:
            record = load_yaml(path)
        except Exception:  # broken YAML is the parser's business, not the schema's
            continue
        if not isinstance(record, dict):
            continue
        compared += 1
        by_model = model_accepts(folder, record)
        by_schema = not schema_errors(NAMES[folder], record)
        rejected += not by_model
        if by_model != by_schema and path.relative_to(FIXTURES).as_posix() not in CALENDAR_ONLY:
            problems.append(f"{path.relative_to(FIXTURES)}: model {'accepts' if by_model else 'rejects'}, schema {'accepts' if by_schema else 'rejects'}")
    assert compared >= 40 and rejected >= 8
    assert not problems, "\n".join(problems)


# --- planted mistakes -------------------------------------------------------------------------------


def base(name: str) -> tuple[str, dict]:
    """A valid record of the fixture to plant mistakes in."""
    folder = f"{name}s"
    stem = {"round": "geneva-2026-02", "actor": "vladimir-medinsky", "source": "interbellum-geneva-talks"}[name]
    return folder, load_yaml(VALID / folder / f"{stem}.yaml")


def setting(*path: Any, value: Any) -> Callable[[dict], None]:
    def plant(record: dict) -> None:
        node = record
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return plant


def dropping(key: str) -> Callable[[dict], None]:
    return lambda record: record.pop(key)


MISTAKES = {
    "unknown field": ("round", setting("venu", value="Geneva")),
    "unknown field in a statement": ("round", setting("statements", 0, "speeker", value="vladimir-medinsky")),
    "unknown field in a quote": ("round", setting("statements", 0, "quotes", 0, "txt", value="words")),
    "bad id": ("round", setting("id", value="Geneva_2026")),
    "bad id in a list": ("round", setting("agenda", value=["territory", "Donbas"])),
    "bad id as a stance key": ("round", setting("statements", 0, "stances", value={"Process": "continue-talks"})),
    "bad stance id": ("round", setting("statements", 0, "stances", value={"process": "continue talks"})),
    "bad date": ("round", setting("start", value="2026-13-01")),
    "date in words": ("round", setting("statements", 0, "date", value="18 February 2026")),
    "date without zero padding": ("round", setting("end", value="2026-2-18")),
    "year zero": ("round", setting("start", value=0)),
    "date with a time": ("round", setting("start", value="2026-02-17T10:00")),
    "open start without its end": ("round", setting("statements", 0, "date", value="../")),
    "open start of a span": ("round", setting("statements", 0, "date", value="../2026-02-18/2026-03-01")),
    "unknown kind": ("round", setting("kind", value="negotiation")),
    "empty summary": ("round", setting("statements", 0, "summary", value="")),
    "no issues": ("round", setting("statements", 0, "issues", value=[])),
    "missing required field": ("round", dropping("start")),
    "text where a list belongs": ("round", setting("mediators", value="united-states")),
    "bad role date": ("actor", setting("roles", value=[{"title": "Aide", "start": "2025-1"}])),
    "lowercase country": ("actor", setting("country", value="ua")),
    "unknown country": ("actor", setting("country", value="XX")),
    "bad wikidata id": ("actor", setting("wikidata", value="212")),
    "title with title_status none": ("source", setting("title_status", value="none")),
    "no title": ("source", dropping("title")),
    "bad url": ("source", setting("url", value="interbellumnews.com")),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_the_schema_rejects_what_the_model_rejects(mistake):
    name, plant = MISTAKES[mistake]
    folder, record = base(name)
    assert model_accepts(folder, record) and not schema_errors(name, record)  # the base is valid
    broken = copy.deepcopy(record)
    plant(broken)
    assert not model_accepts(folder, broken), "the planted mistake should be one the model rejects"
    assert schema_errors(name, broken), f"the {name} schema accepts {mistake}"


GOOD_VARIANTS = {
    "bare year": ("round", setting("start", value=2026)),
    "year as text": ("round", setting("end", value="2026")),
    "approximate date": ("round", setting("statements", 0, "date", value="2026-02-18~")),
    "span": ("round", setting("statements", 0, "date", value="2026-02-17/2026-02-18")),
    "open start": ("round", setting("statements", 0, "date", value="../2026-02-18")),
    "source published within a span": ("source", setting("published", value="2026-02-18/2026-02-23")),
    "empty optional field": ("round", setting("end", value=None)),
    "no title, none seen": ("source", lambda r: (r.pop("title"), r.update(title_status="none"))),
    "title from the address": ("source", setting("title_status", value="from-url")),
    "country code": ("actor", setting("country", value="RU")),
}


@pytest.mark.parametrize("variant", list(GOOD_VARIANTS))
def test_the_schema_accepts_what_the_model_accepts(variant):
    name, plant = GOOD_VARIANTS[variant]
    folder, record = base(name)
    plant(record)
    assert model_accepts(folder, record)
    assert schema_errors(name, record) == []


# --- the command ------------------------------------------------------------------------------------


def schema_cmd(*args: str):
    return runner.invoke(app, ["schema", *args])


def test_schema_out_writes_every_file_and_nothing_else(tmp_path):
    out = tmp_path / "nested" / "schemas"
    result = schema_cmd("--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == sorted(files())  # no temporary file left behind
    for name, text in files().items():
        assert (out / name).read_bytes() == text.encode("utf-8")
        assert str(out / name) in result.stderr


def test_schema_rewrites_a_stale_file_and_leaves_current_ones(tmp_path):
    assert schema_cmd("--out", str(tmp_path)).exit_code == 0
    (tmp_path / "issue.schema.json").write_text("{}\n", encoding="utf-8")
    result = schema_cmd("--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {tmp_path / 'issue.schema.json'}\n"
    assert (tmp_path / "issue.schema.json").read_text(encoding="utf-8") == files()["issue.schema.json"]
    again = schema_cmd("--out", str(tmp_path))
    assert again.exit_code == 0 and "nothing written" in again.stderr


def test_check_exits_0_when_current(tmp_path):
    assert schema_cmd("--out", str(tmp_path)).exit_code == 0
    result = schema_cmd("--out", str(tmp_path), "--check")
    assert result.exit_code == 0, result.output
    assert "current" in result.stderr


def test_check_names_stale_and_missing_files_exits_1_and_writes_nothing(tmp_path):
    assert schema_cmd("--out", str(tmp_path)).exit_code == 0
    stale = tmp_path / "round.schema.json"
    stale.write_text(files()["round.schema.json"].replace("peacekb round", "an older round"), encoding="utf-8")
    (tmp_path / "actor.schema.json").unlink()
    before = stale.read_bytes()
    result = schema_cmd("--out", str(tmp_path), "--check")
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert f"{tmp_path / 'actor.schema.json'}: missing" in lines
    assert f"{tmp_path / 'round.schema.json'}: out of date" in lines
    assert "issue.schema.json" not in result.stderr
    assert f"run `peacekb schema --out {tmp_path}`" in lines[-1]
    assert not (tmp_path / "actor.schema.json").exists() and stale.read_bytes() == before


def test_check_on_a_missing_folder_lists_every_file(tmp_path):
    result = schema_cmd("--out", str(tmp_path / "none"), "--check")
    assert result.exit_code == 1
    assert [line.split(": ")[1] for line in result.stderr.splitlines()[:-1]] == ["missing"] * (len(KIND_NAMES) + 1)
    assert not (tmp_path / "none").exists()


def test_default_folder_is_schemas_beside_the_knowledge_base(tmp_path, monkeypatch):
    kb = tmp_path / "project" / "data"
    for folder in ("actors", "issues", "rounds"):
        (kb / folder).mkdir(parents=True)
    result = schema_cmd("--data", str(kb))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "project" / "schemas").iterdir()) == sorted(files())
    assert not (kb / "schemas").exists()
    # found the usual ways: $PEACEKB_DATA, and the nearest `data` folder upwards
    monkeypatch.setenv("PEACEKB_DATA", str(kb))
    assert schema_cmd("--check").exit_code == 0
    monkeypatch.delenv("PEACEKB_DATA")
    monkeypatch.chdir(kb / "rounds")
    assert schema_cmd("--check").exit_code == 0


def test_the_committed_schemas_pass_check():
    result = schema_cmd("--data", str(DATA), "--check")
    assert result.exit_code == 0, result.stderr


def test_no_knowledge_base_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = schema_cmd()
    assert result.exit_code == 2
    assert "no knowledge base found" in result.stderr


def test_out_that_is_a_file_is_a_usage_error(tmp_path):
    target = tmp_path / "schemas"
    target.write_text("not a folder\n", encoding="utf-8")
    for args in (("--out", str(target)), ("--out", str(target), "--check")):
        result = schema_cmd(*args)
        assert result.exit_code == 2
        assert result.stderr == f"peacekb: --out {target}: not a folder\n"
    assert target.read_text(encoding="utf-8") == "not a folder\n"


def test_unwritable_destination_is_reported_without_a_traceback(tmp_path):
    out = tmp_path / "schemas"
    (out / "event.schema.json").mkdir(parents=True)  # a folder where a file must go
    result = schema_cmd("--out", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"peacekb: cannot write the schemas to {out}")
    assert "Traceback" not in result.output
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_unknown_option_is_a_usage_error():
    assert schema_cmd("--chek").exit_code == 2


def test_help():
    result = schema_cmd("--help")
    assert result.exit_code == 0
    assert "--out" in result.stdout and "--check" in result.stdout and "schemas/" in result.stdout


# --- the editor setting -------------------------------------------------------------------------------


def test_vscode_maps_each_data_folder_to_its_committed_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    expected = {f"./schemas/{file_name(name)}": f"data/{folder}/*.yaml" for folder, name in NAMES.items()}
    assert mapping == expected
    for schema_path in mapping:
        assert (ROOT / schema_path).is_file()
