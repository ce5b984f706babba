"""`peacekb new KIND`: options made from the models, nested records added in place, ids, refusals,
interactive mode; `peacekb rename`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml_rs
from typer.main import get_command
from typer.testing import CliRunner

from conftest import VALID
from peacekb.cli import app
from peacekb.cli import new_commands
from peacekb.create import CreateError, append_item, dump
from peacekb.fields import ArgError, annotation_of, field_args, parse_item, shape_of
from peacekb.loader import load
from peacekb.models import KINDS, Actor, Round, Statement
from peacekb.references import NOT_REFERENCES, REFERENCES, nested_models

runner = CliRunner()


@pytest.fixture
def kb(tmp_path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(VALID, root)
    return root


def run(kb: Path, *args: str):
    return runner.invoke(app, [*args, "--data", str(kb)])


# --- every field is reachable -----------------------------------------------------------------------


def _models_below(model, found: dict) -> dict:
    found.setdefault(model.__name__, model)
    for nested in nested_models(model).values():
        if nested.__name__ not in found:
            _models_below(nested, found)
    return found


def test_every_field_of_every_model_is_an_option_of_some_new_command():
    """A field added to a model is reachable, or this test names it."""
    commands = get_command(new_commands.new_app).commands  # type: ignore[attr-defined]
    models = {**{name: KINDS[folder] for name, folder in new_commands.TOP.items()}, "statement": Statement}
    models.update({name: model for name, (model, _) in new_commands.nested_commands().items()})
    reachable: set[tuple[str, str]] = set()
    for name, model in models.items():
        options = {o for p in commands[name].params for o in p.opts + p.secondary_opts if o.startswith("--")}
        for arg in field_args(model):
            if any(n.split("/")[0] in options for n in arg.names):
                reachable.add((model.__name__, arg.name))
                if arg.nested is not None:  # the keys of key=value,... are the nested model's fields
                    reachable |= {(arg.nested.__name__, a.name) for a in field_args(arg.nested) if a.shape not in ("items", "item")}
    # a list of nested records: its own command (`new dispute ROUND`) appends to it
    for _, parents in new_commands.nested_commands().values():
        reachable |= {((KINDS.get(kind) or Statement).__name__, field) for kind, field in parents.items()}
    # the statements of a round or an event: `new statement`; a statement's party or parties: --party
    reachable |= {("Round", "statements"), ("Event", "statements"), ("Statement", "party"), ("Statement", "parties")}
    assert "--party" in {o for p in commands["statement"].params for o in getattr(p, "opts", [])}
    every = {}
    for model in KINDS.values():
        _models_below(model, every)
    missing = sorted((m, f) for m, model in every.items() for f in model.model_fields if (m, f) not in reachable)
    assert not missing, f"model fields no `peacekb new` command can set: {missing}"


def test_every_id_field_is_a_known_reference_or_marked_as_none():
    from peacekb.fields import _is_id

    every: dict = {}
    for model in KINDS.values():
        _models_below(model, every)
    unclassified = []
    for model in every.values():
        for name in model.model_fields:
            annotation = annotation_of(model, name)
            if _is_id(annotation) or shape_of(annotation)[0] == "map":
                if name not in REFERENCES.get(model, {}) and name not in NOT_REFERENCES.get(model, set()):
                    unclassified.append(f"{model.__name__}.{name}")
    assert not unclassified, f"say in peacekb/references.py what these name: {unclassified}"


def test_the_lazy_new_group_lists_exactly_the_commands_made_from_the_models():
    from peacekb.cli.write_commands import NEW_COMMANDS

    made = set(get_command(new_commands.new_app).commands)  # type: ignore[attr-defined]
    assert set(NEW_COMMANDS) == made == {*new_commands.TOP, "statement", *new_commands.nested_commands()}


def test_the_cli_starts_without_the_models():
    import subprocess
    import sys

    code = "import sys; from peacekb.cli import app; print('peacekb.models' in sys.modules, 'pydantic' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split() == ["False", "False"]


def test_each_kind_has_its_own_help():
    actor = runner.invoke(app, ["new", "actor", "--help"]).output
    statement = runner.invoke(app, ["new", "statement", "--help"]).output
    assert "--role" in actor and "--attribution" not in actor
    assert "--attribution" in statement and "--role" not in statement


# --- values -------------------------------------------------------------------------------------------


def test_a_nested_record_is_key_value_pairs_with_csv_quoting_or_its_main_field():
    from peacekb.models import Delegation, Quote

    assert parse_item('party=x,head=y,members=a,members=b,"note=one, two"', Delegation, "--delegation") == {
        "party": "x", "head": "y", "members": ["a", "b"], "note": "one, two"}
    assert parse_item("We want peace, now.", Quote, "--quote") == {"text": "We want peace, now."}
    assert parse_item("text=x,translation=true", Quote, "--quote") == {"text": "x", "translation": True}
    with pytest.raises(ArgError, match="key among"):
        parse_item("text=x,colour=red", Quote, "--quote")


def test_values_a_yaml_1_1_reader_would_misread_are_quoted():
    import yaml  # PyYAML reads YAML 1.1

    values = ["NO", "yes", "on", "Off", "12:30", "2026-02-18", "0123", "~", "Kyiv"]
    text = dump({"aliases": values})
    assert yaml.safe_load(text) == {"aliases": values}
    assert yaml_rs.loads(text, parse_datetime=False) == {"aliases": values}


def test_norway_is_written_as_text_and_the_file_is_canonical(kb):
    result = run(kb, "new", "actor", "--name", "Børge Brende", "--kind", "person", "--country", "NO", "--description", "A " + "long " * 40 + "text.")
    assert result.exit_code == 0, result.output
    text = (kb / "actors" / "borge-brende.yaml").read_text(encoding="utf-8")
    assert "country: 'NO'\n" in text and all(line == line.rstrip() for line in text.splitlines())
    assert runner.invoke(app, ["fmt", "--check", str(kb / "actors" / "borge-brende.yaml")]).exit_code == 0


@pytest.mark.parametrize("name, ident", [("Володимир Зеленський", "volodimir-zelenskiy"), ("Hakan Kalın", "hakan-kalin"), ("習近平", "xi-jin-ping")])
def test_ids_are_transliterated(kb, name, ident):
    result = run(kb, "new", "actor", "--name", name, "--kind", "person")
    assert result.exit_code == 0, result.output
    assert yaml_rs.loads((kb / "actors" / f"{ident}.yaml").read_text(encoding="utf-8"))["name"] == name


def test_a_name_that_gives_no_id_is_a_usage_error(kb):
    before = sorted(p.name for p in (kb / "actors").iterdir())
    result = run(kb, "new", "actor", "--name", "¿?", "--kind", "person")
    assert result.exit_code == 2 and "give --id" in result.output
    assert sorted(p.name for p in (kb / "actors").iterdir()) == before


def test_a_value_that_does_not_fit_names_its_option(kb):
    result = run(kb, "new", "round", "--title", "X", "--start", "2026-13-40")
    assert result.exit_code == 2 and "--start" in result.output
    result = run(kb, "new", "actor", "--name", "X", "--kind", "person", "--role", "party=ukraine")
    assert result.exit_code == 2 and "--role title=" in result.output


def test_a_source_without_a_title_says_so(kb):
    result = run(kb, "new", "source", "--url", "https://www.example.com/a/b", "--publisher", "Example")
    assert result.exit_code == 0, result.output
    assert yaml_rs.loads((kb / "sources" / "example-a-b.yaml").read_text(encoding="utf-8"))["title_status"] == "none"


def test_a_second_source_with_a_known_address_is_refused_with_the_existing_id(kb):
    url = load(kb).kb.sources["interbellum-geneva-talks"].url
    result = run(kb, "new", "source", "--title", "Again", "--url", url.rstrip("/") + "/#top")
    assert result.exit_code == 1 and "interbellum-geneva-talks" in result.output
    assert not (kb / "sources" / "again.yaml").exists()


def test_validate_warns_of_two_sources_with_one_address(kb):
    text = (kb / "sources" / "interbellum-geneva-talks.yaml").read_text(encoding="utf-8")
    data = yaml_rs.loads(text, parse_datetime=False)
    (kb / "sources" / "copy.yaml").write_text(f"id: copy\ntitle: Copy\nurl: {data['url'].replace('https:', 'http:')}\n", encoding="utf-8")
    [problem] = [p for p in load(kb).problems if p.code == "duplicate-url"]
    # the later id is reported, naming the first
    assert problem.severity == "warning" and problem.file.endswith("interbellum-geneva-talks.yaml") and "`copy`" in problem.message


def test_a_statement_without_a_stance_is_written_with_a_note(kb):
    result = run(kb, "new", "statement", "--round", "geneva-2026-02", "--date", "2026-02-18", "--party", "ukraine",
                 "--attribution", "paraphrase", "--issue", "process", "--summary", "Ukraine spoke of the process.",
                 "--source", "interbellum-geneva-talks")
    assert result.exit_code == 0, result.output
    assert "takes no stance" in result.output


def test_a_generated_statement_id_is_round_surname_and_the_stance(kb):
    result = run(kb, "new", "statement", "--round", "geneva-2026-02", "--date", "2026-02-18", "--party", "ukraine",
                 "--speaker", "volodymyr-zelensky", "--attribution", "paraphrase", "--stance", "sequencing=guarantees-first",
                 "--summary", "Zelensky insisted that guarantees come before any withdrawal.", "--source", "interbellum-geneva-talks")
    assert result.exit_code == 0, result.output
    assert "geneva-2026-02-zelensky-guarantees-first" in load(kb).kb.statements


# --- adding to records that exist ---------------------------------------------------------------------


def test_a_role_is_appended_and_the_rest_of_the_file_stays_byte_for_byte(kb):
    path = kb / "actors" / "volodymyr-zelensky.yaml"
    path.write_bytes(path.read_bytes().replace(b"roles:\n", b"# roles, oldest first\nroles:  # from the sources\n").replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    result = run(kb, "new", "role", "volodymyr-zelensky", "--title", "Actor", "--start", "2015", "--end", "2019")
    assert result.exit_code == 0, result.output
    after = path.read_bytes()
    assert after.startswith(before) and after[len(before):] == b"  - title: Actor\r\n    start: '2015'\r\n    end: '2019'\r\n"
    assert [r.title for r in load(kb).kb.actors["volodymyr-zelensky"].roles] == ["President", "Actor"]


def test_a_field_not_there_yet_goes_where_the_model_puts_it():
    text = "# an actor\nid: x  # the id\nname: X\nkind: person\ndescription: Someone.  # kept\n"
    out = append_item(Path("x.yaml"), text, (), "roles", {"title": "Envoy", "party": "ukraine"}, Actor)
    assert out == text + "roles:\n  - title: Envoy\n    party: ukraine\n"
    out = append_item(Path("x.yaml"), text, (), "aliases", "Ex", Actor)
    assert out == "# an actor\nid: x  # the id\nname: X\nkind: person\naliases: [Ex]\ndescription: Someone.  # kept\n"


def test_a_delegation_goes_after_the_last_one_before_the_comments_of_the_next_key():
    text = "id: r\ntitle: R\nstart: 2026-01-01\ndelegations:\n  - party: a  # first\n    members: [m]\n# the agenda\nagenda: [i]\n"
    out = append_item(Path("r.yaml"), text, (), "delegations", {"party": "b", "head": "h"}, Round)
    assert out == "id: r\ntitle: R\nstart: 2026-01-01\ndelegations:\n  - party: a  # first\n    members: [m]\n  - party: b\n    head: h\n# the agenda\nagenda: [i]\n"


def test_a_quote_is_added_to_a_statement_inside_its_round_file(kb):
    path = kb / "rounds" / "geneva-2026-02.yaml"
    before = yaml_rs.loads(path.read_text(encoding="utf-8"), parse_datetime=False)
    statement = before["statements"][0]["id"]
    result = run(kb, "new", "quote", statement, "--text", "difficult, but businesslike", "--source", "interbellum-geneva-talks", "--translation", "--language", "en")
    assert result.exit_code == 0, result.output
    after = yaml_rs.loads(path.read_text(encoding="utf-8"), parse_datetime=False)
    assert after["statements"][0]["quotes"][-1] == {"text": "difficult, but businesslike", "source": "interbellum-geneva-talks", "translation": True, "language": "en"}
    after["statements"][0]["quotes"].pop()
    if not after["statements"][0]["quotes"]:
        del after["statements"][0]["quotes"]
    assert after == before


def test_a_statement_written_on_one_line_is_refused_not_rewritten():
    text = "id: r\ntitle: R\nstart: 2026-01-01\nstatements: [{id: s, date: 2026-01-01, attribution: reported, issues: [a], summary: x}]\n"
    with pytest.raises(CreateError, match="cannot add to"):
        append_item(Path("r.yaml"), text, ("statements", 0), "quotes", {"text": "t", "source": "s"}, Statement)


def test_adding_to_a_record_that_does_not_exist_names_the_nearest(kb):
    result = run(kb, "new", "role", "zelensky", "--title", "X")
    assert result.exit_code == 2 and "volodymyr-zelensky" in result.output


# --- interactive ---------------------------------------------------------------------------------------


def test_interactive_mode_asks_in_order_offers_the_issues_stances_and_resolves_names(kb, monkeypatch):
    monkeypatch.setattr(new_commands, "_terminal", lambda: True)
    answers = [
        "2026-02-18",  # date
        "zelensky",  # speaker: a name, resolved to the id
        "ukraine",  # party
        "",  # holder
        "paraphrase",  # attribution
        "Zelensky put guarantees first.",  # summary
        "",  # no quote
        "interbellum-geneva-talks", "",  # sources, one at a time
        "sequencing", "",  # issues
        "1",  # the first stance offered
        "",  # channel
    ]
    result = runner.invoke(app, ["new", "statement", "-i", "--round", "geneva-2026-02", "--data", str(kb)], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert result.output.index("Date") < result.output.index("Speaker") < result.output.index("Summary") < result.output.index("Stances on sequencing")
    assert "→ volodymyr-zelensky" in result.output
    [added] = [s for s in load(kb).kb.statements.values() if s.summary == "Zelensky put guarantees first."]
    first_stance = load(kb).kb.issues["sequencing"].stances[0].id
    assert (added.speaker, added.party, added.stances) == ("volodymyr-zelensky", "ukraine", {"sequencing": first_stance})


def test_interactive_mode_confirms_before_writing_a_statement_without_a_stance(kb, monkeypatch):
    monkeypatch.setattr(new_commands, "_terminal", lambda: True)
    path = kb / "rounds" / "geneva-2026-02.yaml"
    before = path.read_bytes()
    answers = ["2026-02-18", "", "ukraine", "", "reported", "Nothing decided.", "", "interbellum-geneva-talks", "", "process", "", "", "", "n"]
    result = runner.invoke(app, ["new", "statement", "-i", "--round", "geneva-2026-02", "--data", str(kb)], input="\n".join(answers) + "\n")
    assert result.exit_code == 1 and "takes no stance" in result.output
    assert path.read_bytes() == before


def test_interactive_mode_without_a_terminal_is_a_usage_error(kb):
    result = run(kb, "new", "actor", "-i")
    assert result.exit_code == 2 and "terminal" in result.output


# --- rename ------------------------------------------------------------------------------------------------


def test_rename_changes_references_only_keeps_comments_and_moves_the_file(kb):
    round_file = kb / "rounds" / "geneva-2026-02.yaml"
    round_file.write_text(round_file.read_text(encoding="utf-8").replace("\n", "  # kept\n", 1), encoding="utf-8")
    before = round_file.read_text(encoding="utf-8")
    result = run(kb, "rename", "issue", "sequencing", "order-of-steps")
    assert result.exit_code == 0, result.output
    after = round_file.read_text(encoding="utf-8")
    assert after.splitlines()[0].endswith("  # kept")
    assert "sequencing:" not in after and "order-of-steps:" in after  # a key of `stances` too
    assert after.count("\n") == before.count("\n")
    assert not (kb / "issues" / "sequencing.yaml").exists() and load(kb).problems == []


def test_rename_refuses_an_id_that_exists_and_writes_nothing(kb):
    before = {p: p.read_bytes() for p in kb.rglob("*.yaml")}
    result = run(kb, "rename", "actor", "ukraine", "russia")
    assert result.exit_code == 2 and "exists already" in result.output
    assert {p: p.read_bytes() for p in kb.rglob("*.yaml")} == before


def test_rename_writes_all_files_or_none(kb, monkeypatch):
    import os

    from peacekb import writing

    before = {p: p.read_bytes() for p in kb.rglob("*.yaml")}
    real = writing._write_temporary
    calls = []

    def failing(path, data, mode, made):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(path, data, mode, made)

    monkeypatch.setattr(writing, "_write_temporary", failing)
    result = run(kb, "rename", "actor", "ukraine", "ukraine-state")
    assert result.exit_code == 1 and "nothing renamed" in result.output
    assert {p: p.read_bytes() for p in kb.rglob("*.yaml")} == before
    assert not [n for _, _, names in os.walk(kb) for n in names if writing.is_temporary(n)]


# --- quote-not-in-source ---------------------------------------------------------------------------------


def test_a_quote_not_in_its_source_says_where_they_part(kb):
    from peacekb.checks import divergence, normalise

    archive = normalise('He said: “We want guarantees first,” adding that talks were hard.')
    assert divergence(archive, "We want guarantees first.") is None  # reported speech: `.` for `,"`
    message = divergence(archive, "We want guarantees now.")
    assert "“…We want guarantees ”" in message and "“now.”" in message and "“first,\" adding" in message


# --- editor settings ------------------------------------------------------------------------------------


def test_init_ships_editor_settings_that_leave_formatting_to_fmt(tmp_path):
    import json

    result = runner.invoke(app, ["init", str(tmp_path / "kb")])
    assert result.exit_code == 0, result.output
    settings = json.loads((tmp_path / "kb" / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.format.enable"] is False and settings["[yaml]"]["editor.formatOnSave"] is False
    assert "data/actors/*.yaml" in settings["yaml.schemas"].values()
    repository = Path(__file__).parent.parent
    assert (tmp_path / "kb" / ".yamllint").read_text(encoding="utf-8") == (repository / ".yamllint").read_text(encoding="utf-8")
    assert json.loads((repository / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.format.enable"] is False


def test_yamllint_with_the_shipped_config_agrees_with_fmt(kb, tmp_path):
    from yamllint import linter
    from yamllint.config import YamlLintConfig

    from peacekb.editor import YAMLLINT

    config = YamlLintConfig(YAMLLINT)
    assert run(kb, "fmt").exit_code == 0  # every file in fmt's layout
    result = runner.invoke(app, ["new", "actor", "--name", "Børge Brende", "--kind", "person", "--country", "NO", "--data", str(kb)])
    assert result.exit_code == 0, result.output
    for path in kb.rglob("*.yaml"):
        problems = list(linter.run(path.read_text(encoding="utf-8"), config))
        assert not problems, f"{path}: {problems}"
    bad = list(linter.run("id: x\nname:   X\nkind: yes\n", config))
    assert {p.rule for p in bad} == {"colons", "truthy"}  # the config does check


def test_a_windows_checkout_of_the_bundled_data_is_canonical_as_it_is(tmp_path):
    """git with core.autocrlf on Windows checks every file out with CRLF: fmt keeps them."""
    root = tmp_path / "data"
    shutil.copytree(Path(__file__).parent.parent / "data" / "rounds", root / "rounds")
    for folder in ("actors", "issues", "sources"):
        (root / folder).mkdir()
    for path in (root / "rounds").glob("*.yaml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    result = runner.invoke(app, ["fmt", "--data", str(root)])
    assert result.exit_code == 0, result.output
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == before


def test_validate_says_where_a_quote_leaves_its_archive(kb):
    path = kb / "rounds" / "geneva-2026-02.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"brought about meaningful progress"', '"brought about real progress"'), encoding="utf-8")
    [problem] = [p for p in load(kb).problems if p.code == "quote-not-in-source"]
    assert "follows the quote up to “…brought about ”, then the quote has “real progress” where the archive has “meaningful progress" in problem.message


def test_interactive_mode_for_an_actor_asks_each_field_and_writes_it(kb, monkeypatch):
    monkeypatch.setattr(new_commands, "_terminal", lambda: True)
    answers = ["Hakan Fidan", "person", "Fidan, H. Fidan", "TR", "Turkish foreign minister.", "interbellum", ""]
    result = runner.invoke(app, ["new", "actor", "-i", "--data", str(kb)], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Kind (state, person, organisation, coalition, other)" in result.output
    actor = load(kb).kb.actors["hakan-fidan"]
    assert (actor.kind, actor.aliases, actor.country, actor.sources) == ("person", ["Fidan", "H. Fidan"], "TR", ["interbellum-geneva-talks"])
