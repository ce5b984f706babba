"""A whole knowledge base built with `peacekb new` alone: every kind of record, every field.

The only file written by hand is the archived text of a source (a copy of a web page, not YAML).
The result must be `validate --strict` and `fmt --check` clean, every field of every model must
appear in it, and renaming an actor must leave it clean with no reference to the old id.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml_rs
from typer.testing import CliRunner

from peacekb.cli import app
from peacekb.fields import annotation_of, shape_of
from peacekb.models import KINDS
from peacekb.references import nested_models

runner = CliRunner()

ARCHIVE = (
    "Delegations of Aland and Borduria met in Vienna on 3 March 2026 under Swiss mediation. "
    "“We will not give up a single village,” said Ivan Petrov, head of the Borduria delegation. "
    "Aland's negotiator Anna Berg said: \"A ceasefire must come first.\" "
    "Both sides agreed to meet again in April."
)


def new(kb: Path, *args: str) -> str:
    result = runner.invoke(app, ["new", *args, "--data", str(kb)])
    assert result.exit_code == 0, f"new {' '.join(args)}: {result.output}"
    return result.output


BUILD: list[tuple[str, ...]] = [
    # sources: one with every field, one without a title
    ("source", "--id", "wire-vienna", "--title", "Vienna talks end without a deal", "--title-status", "page",
     "--publisher", "Example Post", "--original-publisher", "Example Wire", "--reliability", "standard",
     "--url", "https://example.org/vienna-talks", "--published", "2026-03-04", "--language", "en",
     "--archive", "wire-vienna.txt", "--archive-scope", "excerpt", "--note", "A wire story, republished."),
    ("source", "--url", "https://blog.example.net/2026/03/vienna", "--reliability", "low", "--note", "An aggregator; the page shows no headline."),
    # actors
    ("actor", "--name", "Aland", "--kind", "state", "--country", "AX", "--wikidata", "Q5689", "--source", "wire-vienna",
     "--description", "One of the two parties.", "--alias", "Republic of Aland"),
    ("actor", "--name", "Borduria", "--kind", "state"),
    ("actor", "--name", "Swiss Confederation", "--id", "switzerland", "--kind", "state", "--country", "CH"),
    ("actor", "--name", "Анна Берг", "--alias", "Anna Berg", "--kind", "person",
     "--role", "title=Chief negotiator,party=aland,start=2026-01,sources=wire-vienna,note=As the wire story calls her"),
    ("actor", "--name", "Ivan Petrov", "--kind", "person", "--role", "title=Head of delegation,party=borduria,start=2026-03-03"),
    ("actor", "--name", "Observer Group", "--kind", "organisation"),
    # issues: a parent with stances and compatibility, a child, a momentary one
    ("issue", "--title", "Territory", "--description", "Who holds the disputed villages.",
     "--stance", "id=keep-all,label=Keep every village,description=Not one village given up",
     "--stance", "id=partial-return,label=Return some villages", "--stance", "id=ceasefire-first,label=Ceasefire first",
     "--compatible", "partial-return,ceasefire-first"),
    ("issue", "--title", "Villages of the north", "--id", "north-villages", "--parent", "territory", "--stance", "id=stay,label=Stay"),
    ("issue", "--title", "Mood of the talks", "--id", "mood", "--no-lasting", "--stance", "id=constructive,label=Constructive"),
    # rounds: a held round with every field, and the next one it arranged
    ("round", "--title", "Vienna talks in April", "--id", "vienna-2026-04", "--kind", "talks", "--status", "planned", "--start", "2026-04"),
    ("event", "--title", "Vienna framework", "--id", "vienna-framework", "--kind", "framework", "--date", "2026-03-04",
     "--author", "switzerland", "--signatory", "aland", "--signatory", "borduria", "--description", "A two-page framework.",
     "--provision", "id=exchange,summary=Exchange of prisoners,issues=territory,stances=territory=ceasefire-first,sources=wire-vienna",
     "--issue", "territory", "--stance", "territory=ceasefire-first", "--source", "wire-vienna",
     "--not-found", "The full text", "--note", "Reported, not published."),
    ("round", "--title", "Vienna talks", "--id", "vienna-2026-03", "--kind", "meeting", "--status", "held",
     "--location", "Vienna, Austria", "--venue", "Hofburg", "--start", "2026-03-03", "--end", "2026-03-04", "--format", "bilateral",
     "--mediator", "switzerland", "--participant", "observer-group",
     "--delegation", "party=borduria,head=ivan-petrov,members=ivan-petrov,sources=wire-vienna,note=Named by the wire story",
     "--agenda", "territory", "--event", "vienna-framework",
     "--outcome", "id=next-round,summary=Agreed to meet again in April,next_round=vienna-2026-04,sources=wire-vienna,note=No date yet",
     "--source", "wire-vienna", "--not-found", "The length of the talks", "--note", "First direct talks."),
    ("event", "--title", "Vienna framework revised", "--id", "vienna-framework-2", "--kind", "plan", "--date", "2026-03-05",
     "--related", "vienna-framework", "--round", "vienna-2026-03"),
    # nested records added to records that exist
    ("role", "anna-berg", "--title", "Deputy foreign minister", "--party", "aland", "--start", "2025", "--end", "2025-12"),
    ("stance", "territory", "--id", "full-return", "--label", "Return every village"),
    ("delegation", "vienna-2026-03", "--party", "aland", "--head", "anna-berg"),
    ("outcome", "vienna-2026-03", "--summary", "A working group on prisoners", "--source", "wire-vienna"),
    ("provision", "vienna-framework", "--id", "monitoring", "--summary", "Monitoring by observers", "--source", "wire-vienna"),
    # statements: a direct quote, a joint one, one withdrawing a stance, a retracted one
    ("statement", "--round", "vienna-2026-03", "--date", "2026-03-03", "--speaker", "ivan-petrov", "--party", "borduria",
     "--attribution", "direct-quote", "--stance", "territory=keep-all",
     "--quote", "text=We will not give up a single village.,source=wire-vienna,language=en,issues=territory,note=Reported speech",
     "--summary", "Petrov ruled out giving up any village.", "--channel", "Press conference",
     "--refers-to", "vienna-framework", "--source", "wire-vienna"),
    ("statement", "--round", "vienna-2026-03", "--date", "2026-03-04", "--party", "aland", "--party", "borduria",
     "--attribution", "reported", "--issue", "mood", "--stance", "mood=constructive",
     "--summary", "Both sides called the talks constructive.", "--source", "wire-vienna", "--note", "A joint communiqué."),
    ("statement", "--round", "vienna-framework", "--id", "berg-drops-keep-all", "--date", "2026-03-05", "--speaker", "anna-berg",
     "--party", "aland", "--holder", "aland", "--attribution", "paraphrase", "--withdraw", "territory=keep-all",
     "--summary", "Berg said Aland no longer insists on every village.", "--source", "wire-vienna"),
    ("statement", "--round", "vienna-2026-03", "--id", "berg-ceasefire", "--date", "2026-03-03", "--speaker", "anna-berg",
     "--party", "aland", "--attribution", "direct-quote", "--stance", "territory=ceasefire-first",
     "--quote", "A ceasefire must come first.", "--summary", "Berg put a ceasefire first.", "--source", "wire-vienna",
     "--retracted", "reason=The wire story corrected the speaker,date=2026-03-06,sources=wire-vienna"),
    ("quote", "berg-ceasefire", "--text", "Ein Waffenstillstand muss zuerst kommen.", "--source", "blog-example-2026-03-vienna",
     "--translation", "--language", "de"),
    ("dispute", "vienna-2026-03", "--id", "length", "--field", "end", "--summary", "Whether the talks lasted one day or two",
     "--version", "says=Two days,value=2026-03-04,sources=wire-vienna",
     "--version", "says=One day,value=2026-03-03,sources=blog-example-2026-03-vienna", "--note", "The blog is less reliable."),
    # agreements and votes: a vote with every figure, an agreement with parties, third parties and a history
    ("event", "--title", "Aland's parliament on the accord", "--id", "aland-vote", "--kind", "vote", "--date", "2026-03-10",
     "--ballot", "parliamentary", "--question", "Shall the accord be approved?", "--voters", "aland",
     "--results", "yes=60,no=30,blank=1,invalid=2,abstained=5,electorate=100,turnout=98.0,sources=wire-vienna,note=As read out"),
    ("event", "--title", "Vienna accord, second text", "--id", "vienna-accord-2", "--kind", "agreement", "--date", "2026-04"),
    ("event", "--title", "Vienna accord", "--id", "vienna-accord", "--kind", "agreement", "--date", "2026-03-04", "--source", "wire-vienna",
     "--party", "party=aland,standing=initialled,date=2026-03-04,sources=wire-vienna,note=By its chief negotiator",
     "--third-party", "actor=switzerland,role=guarantor,sources=wire-vienna",
     "--history", "status=conditional,date=2026-03-04,sources=wire-vienna,note=Until everything is agreed"),
    ("history", "vienna-accord", "--status", "ratified", "--date", "2026-03-10", "--by", "aland", "--vote", "aland-vote", "--source", "wire-vienna"),
    ("history", "vienna-accord", "--status", "superseded", "--date", "2026-04", "--superseded-by", "vienna-accord-2", "--source", "wire-vienna"),
    ("party", "vienna-accord", "--party", "borduria", "--standing", "withdrew", "--date", "2026-03-20"),
    ("third-party", "vienna-2026-03", "--actor", "observer-group", "--role", "observer", "--source", "wire-vienna", "--note", "Invited by both sides"),
    ("dispute", "borduria", "--summary", "Whether Borduria is recognised", "--version", "says=Recognised,sources=wire-vienna",
     "--version", "says=Not recognised,sources=blog-example-2026-03-vienna"),
    ("dispute", "vienna-framework", "--summary", "Who drafted it", "--field", "authors",
     "--version", "says=Switzerland,value=switzerland,sources=wire-vienna", "--version", "says=The parties,sources=blog-example-2026-03-vienna"),
    ("dispute", "berg-ceasefire", "--summary", "Who said it", "--version", "says=Berg,value=anna-berg,sources=wire-vienna",
     "--version", "says=Someone else,sources=blog-example-2026-03-vienna"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    kb = tmp_path_factory.mktemp("kb") / "data"
    for folder in ("actors", "issues", "rounds", "sources"):
        (kb / folder).mkdir(parents=True)
    (kb / "sources" / "wire-vienna.txt").write_text(ARCHIVE, encoding="utf-8")
    for args in BUILD:
        new(kb, *args)
    return kb


def check(kb: Path, *args: str):
    return runner.invoke(app, [*args, "--data", str(kb)])


def _fields_seen(model, value: Any, seen: set) -> None:
    if not isinstance(value, dict):
        return
    nested = nested_models(model)
    for name, item in value.items():
        seen.add((model.__name__, name))
        if name in nested:
            for one in item if isinstance(item, list) else [item]:
                _fields_seen(nested[name], one, seen)


def _all_fields(model, found: set) -> None:
    for name in model.model_fields:
        if (model.__name__, name) in found:
            continue
        found.add((model.__name__, name))
        _, nested = shape_of(annotation_of(model, name))
        if nested is not None:
            _all_fields(nested, found)


def test_the_knowledge_base_is_clean_and_canonical(built):
    validate = check(built, "validate", "--strict")
    assert validate.exit_code == 0, validate.output
    fmt = check(built, "fmt", "--check")
    assert fmt.exit_code == 0, fmt.output


def test_every_field_of_every_model_was_written(built):
    seen: set = set()
    for folder, model in KINDS.items():
        for path in (built / folder).glob("*.yaml"):
            _fields_seen(model, yaml_rs.loads(path.read_text(encoding="utf-8"), parse_datetime=False), seen)
    every: set = set()
    for model in KINDS.values():
        _all_fields(model, every)
    missing = sorted(every - seen)
    assert not missing, f"fields never written by `new`: {missing}"


def test_what_new_wrote_reads_back(built):
    from peacekb.loader import load

    kb = load(built).kb
    assert kb.actors["anna-berg"].name == "Анна Берг" and [r.title for r in kb.actors["anna-berg"].roles] == ["Chief negotiator", "Deputy foreign minister"]
    assert kb.sources["blog-example-2026-03-vienna"].title_status == "none"
    [petrov] = [s for s in kb.statements.values() if s.speaker == "ivan-petrov"]
    assert petrov.id == "vienna-2026-03-petrov-keep-all"  # round, surname, the stance taken
    assert [(q.source, q.translation, q.language) for q in kb.statements["berg-ceasefire"].quotes] == [
        ("wire-vienna", False, None), ("blog-example-2026-03-vienna", True, "de")]
    assert [d.party for d in kb.rounds["vienna-2026-03"].delegations] == ["borduria", "aland"]
    assert kb.rounds["vienna-2026-03"].outcomes[0].next_round == "vienna-2026-04"
    assert kb.issues["mood"].lasting is False


def test_renaming_an_actor_renames_every_reference(built, tmp_path):
    import shutil

    kb = tmp_path / "data"
    shutil.copytree(built, kb)
    result = check(kb, "rename", "actor", "anna-berg", "anna-berg-lind")
    assert result.exit_code == 0, result.output
    assert not (kb / "actors" / "anna-berg.yaml").exists() and (kb / "actors" / "anna-berg-lind.yaml").exists()
    assert check(kb, "validate", "--strict").exit_code == 0
    assert check(kb, "fmt", "--check").exit_code == 0
    from peacekb.loader import load

    loaded = load(kb).kb
    assert [d.head for d in loaded.rounds["vienna-2026-03"].delegations] == ["ivan-petrov", "anna-berg-lind"]
    assert loaded.statements["berg-ceasefire"].speaker == "anna-berg-lind"
    assert loaded.statements["berg-ceasefire"].disputes[0].versions[0].value == "anna-berg-lind"
    for path in kb.rglob("*.yaml"):
        assert "anna-berg\n" not in path.read_text(encoding="utf-8") and "anna-berg," not in path.read_text(encoding="utf-8")
    assert check(kb, "rename", "actor", "anna-berg-lind", "ivan-petrov").exit_code == 2  # NEW exists
