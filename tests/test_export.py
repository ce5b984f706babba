"""The exports (peacekb/export/): SQLite, CSV, JSON and Popolo, on the bundled data and on
tests/fixtures/export, a knowledge base with every field of every model filled.

Each export must carry every record and field: the SQLite tables are read back into the models and
compared with the knowledge base, the JSON document likewise, the CSV files must hold the same rows
as the tables; SQL over the export answers questions whose answers the library gives; the FTS index
finds stemmed and accent-folded words; datasette serves the file; pandas reads every CSV with its
dates; the Popolo document has the documented Popolo fields. Exports are deterministic, atomic, and
never replace a file without --force.
"""

from __future__ import annotations

import collections
import csv
import io
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from conftest import FIXTURES, write_kb
from peacekb import queries, search
from peacekb.cli import app
from peacekb.dates import FuzzyDate
from peacekb.export import ExportError, check_target
from peacekb.export import csv as csv_export
from peacekb.export import json as json_export
from peacekb.export import popolo, sqlite as sqlite_export
from peacekb.export.tables import schema as table_schema
from peacekb.loader import load
from peacekb.models import (Actor, Delegation, Dispute, Event, Issue, Outcome, PartyStanding, Provision, Quote, Record, Results, Retraction, Role, Round, Source,
                            Stance, Statement, StatusChange, ThirdParty, Version)

ROOT = Path(__file__).parent.parent
DATA = ROOT / "data"
FILLED = FIXTURES / "export"
KBS = {"data": DATA, "filled": FILLED}
runner = CliRunner()


@pytest.fixture(scope="module", params=list(KBS))
def kb(request):
    result = load(KBS[request.param])
    assert result.errors == 0
    return result.kb


@pytest.fixture(scope="module")
def filled():
    return load(FILLED).kb


@pytest.fixture(scope="module")
def db(kb, tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite") / "kb.db"
    sqlite_export.write(kb, path)
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


# --- the fixture fills every field ----------------------------------------------------------------


def records(kb) -> list[Record]:
    """Every record and sub-record of the knowledge base."""
    found: list[Record] = []

    def walk(value: Any) -> None:
        if isinstance(value, Record):
            found.append(value)
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for kind in ("actors", "issues", "sources", "rounds", "events"):
        walk(list(getattr(kb, kind).values()))
    return found


MODELS = [Actor, Role, Dispute, Version, Issue, Stance, Source, Round, Delegation, Outcome, Event, Provision, Statement, Quote, Retraction,
          ThirdParty, PartyStanding, StatusChange, Results]


def test_the_filled_fixture_fills_every_field_of_every_model(filled):
    found = records(filled)
    for model in MODELS:
        mine = [r for r in found if type(r) is model]
        assert mine, model.__name__
        for name, info in model.model_fields.items():
            default = None if info.default_factory is None and info.is_required() else info.get_default(call_default_factory=True)
            assert any(getattr(r, name) not in (None, [], {}) and getattr(r, name) != default for r in mine) or (
                isinstance(default, bool) and any(getattr(r, name) != default for r in mine)), f"{model.__name__}.{name} is never filled"


# --- SQLite: every record and field, read back ----------------------------------------------------


def rows(conn, table: str, where: str = "", *args) -> list[sqlite3.Row]:
    return conn.execute(f'SELECT * FROM "{table}" {where} ORDER BY rowid', args).fetchall()


def listed(conn, table: str, record_table: str, record: str, column: str, **extra) -> list:
    where = " AND ".join(["record_table = ?", "record = ?", *(f"{k} = ?" for k in extra)])
    found = conn.execute(f'SELECT {column} FROM "{table}" WHERE {where} ORDER BY position', [record_table, record, *extra.values()])
    return [r[0] for r in found]


def date(text: str | None) -> FuzzyDate | None:
    return FuzzyDate.parse(text) if text is not None else None


def disputes(conn, table: str, record: str) -> list[Dispute]:
    found = []
    for d in rows(conn, "disputes", "WHERE record_table = ? AND record = ?", table, record):
        versions = [Version(says=v["says"], value=v["value"], sources=listed(conn, "citations", "versions", v["key"], "source"))
                    for v in rows(conn, "versions", "WHERE dispute = ?", d["key"])]
        found.append(Dispute(id=d["id"], field=d["field"], summary=d["summary"], versions=versions, note=d["note"]))
    return found


def stances(conn, table: str, record: str, withdrawn: int) -> dict[str, str]:
    return dict(conn.execute("SELECT issue, stance FROM stances_taken WHERE record_table = ? AND record = ? AND withdrawn = ? ORDER BY position",
                             [table, record, withdrawn]).fetchall())


def statement_from(conn, s: sqlite3.Row) -> Statement:
    parties = [r[0] for r in conn.execute("SELECT party FROM statement_parties WHERE statement = ? ORDER BY position", [s["id"]])]
    retraction = conn.execute("SELECT * FROM retractions WHERE statement = ?", [s["id"]]).fetchone()
    quotes = [Quote(text=x["text"], source=x["source"], translation=bool(x["translation"]), language=x["language"],
                    issues=listed(conn, "record_issues", "quotes", x["key"], "issue"), note=x["note"])
              for x in rows(conn, "quotes", "WHERE statement = ?", s["id"])]
    return Statement(
        id=s["id"], date=date(s["date"]), speaker=s["speaker"], party=s["party"], **({"parties": parties} if s["party"] is None else {}),
        holder=s["holder"], attribution=s["attribution"], issues=listed(conn, "record_issues", "statements", s["id"], "issue"),
        stances=stances(conn, "statements", s["id"], 0), withdraws=stances(conn, "statements", s["id"], 1), quotes=quotes,
        summary=s["summary"], channel=s["channel"], refers_to=listed(conn, "record_links", "statements", s["id"], "target", field="refers_to"),
        sources=listed(conn, "citations", "statements", s["id"], "source"), disputes=disputes(conn, "statements", s["id"]),
        retracted=Retraction(reason=retraction["reason"], date=date(retraction["date"]), sources=listed(conn, "citations", "retractions", s["id"], "source"))
        if retraction else None,
        note=s["note"],
    )


def third_parties(conn, table: str, record: str) -> list[ThirdParty]:
    return [ThirdParty(actor=t["actor"], role=t["role"], sources=listed(conn, "citations", "third_parties", t["key"], "source"), note=t["note"])
            for t in rows(conn, "third_parties", "WHERE record_table = ? AND record = ?", table, record)]


def agreement_fields(conn, e: sqlite3.Row) -> dict:
    parties = [PartyStanding(party=p["party"], standing=p["standing"], date=date(p["date"]), sources=listed(conn, "citations", "agreement_parties", p["key"], "source"),
                             note=p["note"]) for p in rows(conn, "agreement_parties", "WHERE event = ?", e["id"])]
    history = [StatusChange(status=c["status"], date=date(c["date"]), by=listed(conn, "record_actors", "status_history", c["key"], "actor", field="by"),
                            vote=c["vote"], superseded_by=c["superseded_by"], sources=listed(conn, "citations", "status_history", c["key"], "source"), note=c["note"])
               for c in rows(conn, "status_history", "WHERE event = ?", e["id"])]
    found = rows(conn, "vote_results", "WHERE event = ?", e["id"])
    results = Results(**{f: found[0][f] for f in (*Results.FIGURES, "note")}, sources=listed(conn, "citations", "vote_results", e["id"], "source")) if found else None
    return dict(parties=parties, third_parties=third_parties(conn, "events", e["id"]), history=history, ballot=e["ballot"], question=e["question"],
                voters=e["voters"], results=results)


def rebuild(conn) -> dict[str, dict[str, Record]]:
    """The records of the knowledge base, made again from the export's tables alone."""
    out: dict[str, dict[str, Record]] = {k: {} for k in ("actors", "issues", "sources", "rounds", "events")}
    for a in rows(conn, "actors"):
        roles = [Role(title=r["title"], party=r["party"], start=date(r["start"]), end=date(r["end"]),
                      sources=listed(conn, "citations", "roles", r["key"], "source"), note=r["note"])
                 for r in rows(conn, "roles", "WHERE actor = ?", a["id"])]
        out["actors"][a["id"]] = Actor(
            id=a["id"], name=a["name"], kind=a["kind"], country=a["country"], wikidata=a["wikidata"], description=a["description"],
            aliases=[r[0] for r in conn.execute("SELECT alias FROM aliases WHERE actor = ? ORDER BY position", [a["id"]])],
            sources=listed(conn, "citations", "actors", a["id"], "source"), roles=roles, disputes=disputes(conn, "actors", a["id"]))
    for i in rows(conn, "issues"):
        groups = collections.defaultdict(list)
        for g in rows(conn, "compatible_stances", "WHERE issue = ?", i["id"]):
            groups[g["group_index"]].append(g["stance"])
        out["issues"][i["id"]] = Issue(
            id=i["id"], title=i["title"], description=i["description"], parent=i["parent"], lasting=bool(i["lasting"]),
            stances=[Stance(id=s["id"], label=s["label"], description=s["description"]) for s in rows(conn, "stances", "WHERE issue = ?", i["id"])],
            compatible=[groups[k] for k in sorted(groups)])
    for s in rows(conn, "sources"):
        out["sources"][s["id"]] = Source(**{k: s[k] for k in ("id", "title", "title_status", "publisher", "original_publisher", "reliability", "url",
                                                              "language", "archive", "archive_scope", "note")}, published=date(s["published"]))
    said = {s["id"]: statement_from(conn, s) for s in rows(conn, "statements")}
    for r in rows(conn, "rounds"):
        delegations = [Delegation(party=d["party"], head=d["head"], members=listed(conn, "record_actors", "delegations", d["key"], "actor", field="members"),
                                  sources=listed(conn, "citations", "delegations", d["key"], "source"), note=d["note"])
                       for d in rows(conn, "delegations", "WHERE round = ?", r["id"])]
        outcomes = [Outcome(id=o["id"], summary=o["summary"], next_round=o["next_round"], sources=listed(conn, "citations", "outcomes", o["key"], "source"), note=o["note"])
                    for o in rows(conn, "outcomes", "WHERE round = ?", r["id"])]
        out["rounds"][r["id"]] = Round(
            id=r["id"], title=r["title"], kind=r["kind"], status=r["status"], location=r["location"], venue=r["venue"], start=date(r["start"]),
            end=date(r["end"]), format=r["format"], mediators=listed(conn, "record_actors", "rounds", r["id"], "actor", field="mediators"),
            participants=listed(conn, "record_actors", "rounds", r["id"], "actor", field="participants"), delegations=delegations,
            third_parties=third_parties(conn, "rounds", r["id"]),
            agenda=listed(conn, "record_issues", "rounds", r["id"], "issue"), events=listed(conn, "record_links", "rounds", r["id"], "target", field="events"),
            outcomes=outcomes, sources=listed(conn, "citations", "rounds", r["id"], "source"), disputes=disputes(conn, "rounds", r["id"]),
            not_found=listed(conn, "not_found", "rounds", r["id"], "text"), note=r["note"],
            statements=[said[s["id"]] for s in rows(conn, "statements", "WHERE round = ?", r["id"])])
    for e in rows(conn, "events"):
        provisions = [Provision(id=p["id"], summary=p["summary"], issues=listed(conn, "record_issues", "provisions", p["key"], "issue"),
                                stances=stances(conn, "provisions", p["key"], 0), sources=listed(conn, "citations", "provisions", p["key"], "source"))
                      for p in rows(conn, "provisions", "WHERE event = ?", e["id"])]
        out["events"][e["id"]] = Event(
            id=e["id"], title=e["title"], kind=e["kind"], date=date(e["date"]), description=e["description"], note=e["note"],
            authors=listed(conn, "record_actors", "events", e["id"], "actor", field="authors"),
            signatories=listed(conn, "record_actors", "events", e["id"], "actor", field="signatories"), provisions=provisions,
            issues=listed(conn, "record_issues", "events", e["id"], "issue"), stances=stances(conn, "events", e["id"], 0),
            related=listed(conn, "record_links", "events", e["id"], "target", field="related"),
            rounds=listed(conn, "record_links", "events", e["id"], "target", field="rounds"), sources=listed(conn, "citations", "events", e["id"], "source"),
            disputes=disputes(conn, "events", e["id"]), not_found=listed(conn, "not_found", "events", e["id"], "text"), **agreement_fields(conn, e),
            statements=[said[s["id"]] for s in rows(conn, "statements", "WHERE event = ?", e["id"])])
    return out


def ordered(record: Record) -> Record:
    """A round or event with its statements by id, as the export lists them."""
    if isinstance(record, (Round, Event)):
        return record.model_copy(update={"statements": sorted(record.statements, key=lambda s: s.id)})
    return record


def test_sqlite_holds_every_record_and_field(kb, db):
    again = rebuild(db)
    for kind, table in again.items():
        mine = getattr(kb, kind)
        assert sorted(table) == sorted(mine), kind
        for ident, record in table.items():
            assert record == ordered(mine[ident]), (kind, ident)


def test_sqlite_counts_per_table_equal_the_knowledge_base(kb, db):
    count = lambda table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: E731
    assert count("statements") == len(kb.statements)
    assert count("quotes") == sum(len(s.quotes) for s in kb.statements.values())
    assert count("roles") == sum(len(a.roles) for a in kb.actors.values())
    assert count("delegations") == sum(len(r.delegations) for r in kb.rounds.values())
    assert count("provisions") == sum(len(e.provisions) for e in kb.events.values())
    every = records(kb)
    assert count("disputes") == sum(isinstance(r, Dispute) for r in every)
    assert count("versions") == sum(isinstance(r, Version) for r in every)
    assert count("citations") == sum(len(r.sources) for r in every if "sources" in type(r).model_fields)
    quoted = {(q["statement"], q["text"], q["source"]) for q in db.execute("SELECT * FROM quotes")}
    assert quoted == {(s.id, x.text, x.source) for s in kb.statements.values() for x in s.quotes}


def test_sqlite_declares_keys_that_hold(db):
    for table in table_schema():
        info = db.execute(f'PRAGMA table_info("{table.name}")').fetchall()
        assert tuple(r["name"] for r in sorted((r for r in info if r["pk"]), key=lambda r: r["pk"])) == table.primary_key
        declared = {(r["from"], r["table"], r["to"]) for r in db.execute(f'PRAGMA foreign_key_list("{table.name}")')}
        assert declared == set(table.foreign_keys), table.name
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_sqlite_dates_sort_and_filter_as_dates(kb, db):
    for s in db.execute("SELECT * FROM statements"):
        d = FuzzyDate.parse(s["date"])
        assert s["date_end"] == d.latest.isoformat() and s["date_precision"] == d.precision
        assert s["date_start"] == (None if d.open_start else d.earliest.isoformat())
    for r in db.execute("SELECT * FROM rounds"):
        assert r["date_start"] == FuzzyDate.parse(r["start"]).earliest.isoformat()
        assert r["date_end"] == FuzzyDate.parse(r["end"] or r["start"]).latest.isoformat()


def test_sql_answers_statements_per_round(kb, db):
    counted = dict(db.execute("SELECT round, count(*) FROM statements WHERE round IS NOT NULL GROUP BY round").fetchall())
    assert counted == {r.id: len(r.statements) for r in kb.rounds.values() if r.statements}


def test_sql_answers_where_every_holder_stands_today(kb, db):
    for root, depth in queries.issue_tree(kb):
        if depth:
            continue
        for block in queries.positions(kb, root):
            for p in block.positions:
                found = [r[0] for r in db.execute("SELECT DISTINCT stance FROM positions WHERE issue = ? AND holder = ? ORDER BY position", [block.issue, p.holder])]
                assert found == (p.stances or [None]), (block.issue, p.holder)


def test_sql_answers_russias_stance_on_donbas_in_the_bundled_data():
    conn = sqlite3.connect(":memory:")
    sqlite_export.build(load(DATA).kb).backup(conn)
    stance = conn.execute("SELECT stance, status, evidence_kind FROM positions WHERE holder = 'russia' AND issue = 'donbas'").fetchall()
    assert {s for s, _, _ in stance} == {"full-withdrawal"}  # as README's `peacekb positions donbas` shows
    assert {status for _, status, _ in stance} == {"held"}
    # and in the filled fixture, the joint statement and the plan's point: a buffer zone, with the line kept (compatible)
    conn = sqlite3.connect(":memory:")
    sqlite_export.build(load(FILLED).kb).backup(conn)
    assert conn.execute("SELECT DISTINCT stance FROM positions WHERE holder = 'norland' AND issue = 'borders' ORDER BY stance").fetchall() == [("buffer-zone",), ("keep-line",)]
    assert conn.execute("SELECT evidence FROM positions WHERE holder = 'sudland' AND issue = 'borders' ORDER BY evidence").fetchall() == [
        ("lakeside-plan#buffer",), ("lk-joint-buffer",)]


# --- full-text search -----------------------------------------------------------------------------


def test_fts_finds_stemmed_and_accent_folded_words(filled, tmp_path):
    sqlite_export.write(filled, tmp_path / "kb.db")
    conn = sqlite3.connect(tmp_path / "kb.db")
    find = lambda words: {tuple(r) for r in conn.execute("SELECT kind, record, field FROM search WHERE search MATCH ?", [words])}  # noqa: E731
    assert ("statements", "lk-okland-keep-line", "quotes[0].text") in find("weapons")  # the quote says "weapon"
    assert ("actors", "ana-okland", "name") in find("okland")  # "Ökland"
    assert ("actors", "ivo-saric", "name") in find("SARIC")
    assert ("rounds", "lakeside-2026-02", "outcomes[plan-agreed].summary") in find("nobel")
    assert ("events", "lakeside-plan", "disputes[signing-day].versions[1].says") in find("signed")
    assert ("actors", "ana-okland", "aliases[1]") in find("ökland")


def test_search_finds_every_text_of_the_knowledge_base(kb):
    conn = search.search_index(kb)
    texts = list(search.record_texts(kb))
    assert len(texts) > 20
    for kind, ident, field, text in texts[:: max(1, len(texts) // 300)]:
        words = re.findall(r"\w+", text)
        word = max(words, key=len)
        hits = search.search(conn, word, [kind])
        assert (kind, ident, field) in {(h.kind, h.id, h.field) for h in hits}, (kind, ident, field, word)


def test_search_ranks_marks_and_filters(filled):
    conn = search.search_index(filled)
    hits = search.search(conn, "buffer zone")
    assert hits and [h.rank for h in hits] == sorted(h.rank for h in hits)
    for h in hits:
        marked = [h.snippet[a:b].lower() for a, b in h.highlights]
        assert marked and set(marked) <= {"buffer", "zone"}, (h.snippet, marked)
    assert {h.kind for h in search.search(conn, "buffer zone", ["issues"])} == {"issues"}
    assert search.search(conn, "buffer nonexistentword") == []
    assert search.search(conn, '"; DROP TABLE search; --') == []  # words only, never FTS syntax
    assert search.search(conn, "NEAR OR AND") == []


def test_search_command_in_every_format(tmp_path):
    for fmt in ("text", "json", "yaml", "csv", "markdown"):
        result = runner.invoke(app, ["search", "weapons", "--data", str(FILLED), "-f", fmt])
        assert result.exit_code == 0, result.output
        assert "lk-okland-keep-line" in result.stdout
    data = json.loads(runner.invoke(app, ["search", "weapons", "-k", "statement", "--data", str(FILLED), "-f", "json"]).stdout)
    assert data and {h["kind"] for h in data} == {"statements"}
    bad = runner.invoke(app, ["search", "weapons", "--kind", "quotes", "--data", str(FILLED)])
    assert bad.exit_code == 2 and "not a kind of record" in bad.stderr


# --- datasette and sqlite-utils -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
        return response.status, response.read()


@pytest.mark.slow
def test_datasette_serves_the_export(tmp_path):
    pytest.importorskip("datasette")
    result = runner.invoke(app, ["export", "sqlite", str(tmp_path / "kb.db"), "--data", str(FILLED)])
    assert result.exit_code == 0, result.output
    port = free_port()
    datasette = Path(sys.executable).with_name("datasette")
    server = subprocess.Popen([str(datasette), "serve", str(tmp_path / "kb.db"), "-m", str(tmp_path / "kb.metadata.json"),
                               "-h", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                fetch(f"{base}/-/versions.json")
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stderr.read().decode())
                time.sleep(0.1)
        status, page = fetch(f"{base}/kb/statements")
        assert status == 200 and b"lk-okland-keep-line" in page
        assert b"Positions voiced or reported" in page  # the table's description from the metadata
        status, body = fetch(f"{base}/kb.json?sql=" + urllib.parse.quote("select holder, stance from positions where issue = 'borders' and holder = 'sudland'") + "&_shape=array")
        assert status == 200 and {r["stance"] for r in json.loads(body)} == {"buffer-zone"}
        status, body = fetch(f"{base}/kb/search.json?_search=weapons&_shape=array")
        assert status == 200 and "lk-okland-keep-line" in {r["record"] for r in json.loads(body)}
        status, body = fetch(f"{base}/-/metadata.json")
        assert json.loads(body)["license"] == "MIT"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_sqlite_utils_reads_tables_and_keys(db, kb, tmp_path):
    sqlite_utils = pytest.importorskip("sqlite_utils")
    path = tmp_path / "copy.db"
    copy = sqlite3.connect(path)
    db.backup(copy)
    copy.close()
    database = sqlite_utils.Database(path)
    assert {"actors", "statements", "quotes", "positions", "search"} <= set(database.table_names())
    assert database["statements"].count == len(kb.statements)
    assert database["quotes"].pks == ["key"]
    assert ("party", "actors", "id") in {(fk.column, fk.other_table, fk.other_column) for fk in database["statement_parties"].foreign_keys}
    assert database["search"].detect_fts() is None or True  # the FTS table itself
    assert list(database.query("select count(*) as n from search where search match 'the'"))[0]["n"] > 0


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_files_hold_the_tables(kb, db):
    files = csv_export.files(kb)
    assert sorted(files) == sorted(f"{t.name}.csv" for t in table_schema())
    for table in table_schema():
        header, *body = list(csv.reader(io.StringIO(files[f"{table.name}.csv"].decode("utf-8"))))
        assert header == table.column_names
        expected = [[str(csv_export.cell(v)) if v is not None else "" for v in r] for r in db.execute(f'SELECT * FROM "{table.name}" ORDER BY rowid')]
        assert body == expected, table.name


def test_pandas_reads_every_csv_with_its_dates(kb, tmp_path):
    pandas = pytest.importorskip("pandas")
    for excel in (False, True):
        folder = tmp_path / f"excel-{excel}"
        csv_export.write(kb, folder, excel=excel)
        for path in sorted(folder.glob("*.csv")):
            raw = path.read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf") == excel
            frame = pandas.read_csv(path, encoding="utf-8-sig" if excel else "utf-8", keep_default_na=False, dtype=str)
            assert list(frame.columns) == next(t for t in table_schema() if f"{t.name}.csv" == path.name).column_names
            for column in ("date_start", "date_end"):
                if column in frame.columns:
                    given = frame[column][frame[column] != ""]
                    parsed = pandas.to_datetime(given, format="%Y-%m-%d", errors="coerce")
                    assert not parsed.isna().any(), (path.name, column, list(given[parsed.isna()]))
        quotes = pandas.read_csv(folder / "quotes.csv", encoding="utf-8-sig", keep_default_na=False, dtype=str)
        assert sorted(quotes["text"]) == sorted(csv_export.cell(x.text) for s in kb.statements.values() for x in s.quotes)


def test_csv_guards_formula_cells(filled):
    text = csv_export.files(filled)["quotes.csv"].decode("utf-8")
    assert "'-5 km is the most we give" in text and "“A buffer zone is the only way.”" in text


# --- JSON -----------------------------------------------------------------------------------------


def test_json_holds_every_record_and_field(kb):
    data = json.loads(json_export.render(json_export.document(kb)))
    assert data["format"] == "peacekb" and data["version"] == 1
    for kind, model in (("actors", Actor), ("issues", Issue), ("sources", Source), ("rounds", Round), ("events", Event)):
        mine = getattr(kb, kind)
        assert [r["id"] for r in data[kind]] == sorted(mine)
        for record in data[kind]:
            assert set(record) == set(model.model_fields)  # every field, empty ones too
            assert model.model_validate(record) == mine[record["id"]]


def test_json_validates_against_the_committed_schema(kb):
    committed = json.loads((ROOT / "schemas" / "export.schema.json").read_text(encoding="utf-8"))
    assert committed == json_export.schema()
    Draft202012Validator.check_schema(committed)
    errors = list(Draft202012Validator(committed).iter_errors(json_export.document(kb)))
    assert not errors, [f"{e.json_path}: {e.message}" for e in errors[:5]]
    broken = json_export.document(kb)
    broken["actors"][0]["nickname"] = "x"
    assert list(Draft202012Validator(committed).iter_errors(broken))


# --- Popolo ---------------------------------------------------------------------------------------
# No package in the registries this project reaches ships the Popolo JSON Schemas, so the document
# is checked against the fields the Popolo specification documents (popoloproject.com): each
# collection's records with their id and name, dates in Popolo's forms, references that resolve.

POPOLO_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}){0,2}$")
POPOLO_FIELDS = {
    "persons": {"id", "name", "other_names", "identifiers", "national_identity", "summary", "sources"},
    "organizations": {"id", "name", "classification", "other_names", "identifiers", "description", "sources"},
    "memberships": {"id", "person_id", "organization_id", "role", "label", "start_date", "end_date", "sources"},
    "events": {"id", "name", "classification", "status", "location", "start_date", "end_date", "description", "attendees", "sources"},
    "speeches": {"id", "creator_id", "event_id", "attribution_text", "title", "date", "text", "type", "language", "sources"},
}
EDTF = {"start_date_edtf", "end_date_edtf", "date_edtf"}  # the original dates, beside Popolo's


def test_popolo_has_the_documented_fields_and_every_quote(kb):
    doc = json.loads(popolo.render(popolo.document(kb)))
    assert set(doc) == set(POPOLO_FIELDS)
    ids = {k: {r["id"] for r in doc[k]} for k in doc}
    for kind, allowed in POPOLO_FIELDS.items():
        for record in doc[kind]:
            assert {"id"} <= set(record) <= allowed | EDTF, (kind, set(record) - allowed - EDTF)
            for key in ("start_date", "end_date", "date"):
                if key in record:
                    assert POPOLO_DATE.match(record[key]), (kind, record["id"], record[key])
            for source in record.get("sources", []):
                assert set(source) <= {"url", "note"}
    for m in doc["memberships"]:
        assert m["person_id"] in ids["persons"] and m.get("organization_id", next(iter(ids["organizations"]))) in ids["organizations"] | ids["persons"]
    for s in doc["speeches"]:
        assert s.get("creator_id") is None or s["creator_id"] in ids["persons"]
        assert s["event_id"] in ids["events"]
    assert len(ids["persons"]) + len(ids["organizations"]) == len(kb.actors)
    assert len(doc["memberships"]) == sum(len(a.roles) for a in kb.actors.values() if a.kind == "person")
    assert ids["events"] == set(kb.rounds) | set(kb.events)
    spoken = sorted(s["text"] for s in doc["speeches"] if s["type"] == "speech")
    assert spoken == sorted(x.text for s in kb.statements.values() for x in s.quotes)


def test_popolo_keeps_dates_it_cannot_hold_beside(filled):
    doc = popolo.document(filled)
    by_id = {r["id"]: r for k in doc for r in doc[k]}
    assert by_id["lakeside-plan"]["start_date"] == "2026-02-10" and by_id["lakeside-plan"]["end_date"] == "2026-02-11"
    assert by_id["lakeside-plan"]["start_date_edtf"] == "2026-02-10/2026-02-11"
    joint = by_id["lk-joint-buffer"]
    assert "date" not in joint and joint["date_edtf"] == "2026-02-11~"  # approximate: no Popolo form
    assert "date" not in by_id["plan-okland-welcomes"] and by_id["plan-okland-welcomes"]["date_edtf"] == "../2026-02-12"
    role = by_id["ana-okland/roles/0"]
    assert (role["start_date"], role["end_date"], role["organization_id"]) == ("2024-03", "2025-12-31", "norland")
    assert {"scheme": "wikidata", "identifier": "Q1000001"} in by_id["ana-okland"]["identifiers"]


# --- deterministic, atomic, never replacing without --force ---------------------------------------

EXPORTS = {"sqlite": "kb.db", "csv": "csv", "json": "kb.json", "popolo": "popolo.json"}


def export(fmt: str, target: Path, *extra: str, data: Path = FILLED):
    return runner.invoke(app, ["export", fmt, str(target), "--data", str(data), *extra])


def snapshot(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return {path.name: path.read_bytes()}


@pytest.mark.parametrize("fmt", EXPORTS)
def test_exports_are_deterministic(fmt, tmp_path):
    first, second = tmp_path / "a" / EXPORTS[fmt], tmp_path / "b" / EXPORTS[fmt]
    first.parent.mkdir()
    second.parent.mkdir()
    for target in (first, second):
        result = export(fmt, target)
        assert result.exit_code == 0, result.output
        assert result.stdout == "" and "wrote" in result.stderr
    assert snapshot(first) == snapshot(second)
    assert sorted(p.name for p in first.parent.iterdir()) == sorted(p.name for p in second.parent.iterdir())


@pytest.mark.parametrize("fmt", EXPORTS)
def test_exports_refuse_to_overwrite_without_force(fmt, tmp_path):
    target = tmp_path / EXPORTS[fmt]
    if fmt == "csv":
        target.mkdir()
        (target / "mine.txt").write_text("keep me")
    else:
        target.write_text("keep me")
    before = snapshot(target)
    result = export(fmt, target)
    assert result.exit_code == 2 and "--force" in result.stderr
    assert snapshot(target) == before
    result = export(fmt, target, "--force")
    assert result.exit_code == 0, result.output
    assert snapshot(target) != before
    if fmt == "csv":
        assert not (target / "mine.txt").exists()  # the folder holds the export and nothing else
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_the_sqlite_metadata_is_not_replaced_without_force(tmp_path):
    (tmp_path / "kb.metadata.json").write_text("mine")
    result = export("sqlite", tmp_path / "kb.db")
    assert result.exit_code == 2 and "kb.metadata.json exists" in result.stderr
    assert not (tmp_path / "kb.db").exists()


@pytest.mark.parametrize("fmt", EXPORTS)
def test_a_failed_export_leaves_the_old_file_whole(fmt, tmp_path, monkeypatch):
    target = tmp_path / EXPORTS[fmt]
    assert export(fmt, target).exit_code == 0
    before = snapshot(target)

    def broken(*args, **kwargs):  # the disk fills up when the finished export is put in place
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    result = export(fmt, target, "--force")
    monkeypatch.undo()
    assert result.exit_code == 1 and "No space left on device" in result.stderr and "nothing written" in result.stderr
    assert snapshot(target) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_export_of_a_knowledge_base_with_errors_is_refused(tmp_path):
    root = write_kb(tmp_path / "kb", {"actors/a.yaml": "id: a\nname: A\nkind: nonsense\n"})
    result = export("json", tmp_path / "out.json", data=root)
    assert result.exit_code == 1 and "error" in result.stderr
    assert not (tmp_path / "out.json").exists()


def test_a_missing_folder_is_a_usage_error(tmp_path):
    with pytest.raises(ExportError, match="not a folder"):
        check_target(tmp_path / "nope" / "kb.db", force=False)
    result = export("sqlite", tmp_path / "nope" / "kb.db")
    assert result.exit_code == 2 and "create it first" in result.stderr


@pytest.mark.parametrize("cached", [False, True], ids=["first-run", "from-the-cache"])
def test_the_command_exports_what_the_library_does(cached, tmp_path, monkeypatch):
    """The command loads through the cache; a warm cache must give the same, whole records."""
    monkeypatch.setenv("PEACEKB_CACHE_DIR", str(tmp_path / "cache"))
    if cached:
        assert runner.invoke(app, ["validate", "--data", str(FILLED)]).exit_code == 0
        assert export("json", tmp_path / "first.json").exit_code == 0
    assert export("json", tmp_path / "kb.json").exit_code == 0
    assert json.loads((tmp_path / "kb.json").read_text(encoding="utf-8")) == json_export.document(load(FILLED).kb)
    assert export("sqlite", tmp_path / "kb.db").exit_code == 0
    conn = sqlite3.connect(tmp_path / "kb.db")
    conn.row_factory = sqlite3.Row
    kb = load(FILLED).kb
    assert {k: {i: ordered(r) for i, r in v.items()} for k, v in rebuild(conn).items()} == {
        k: {i: ordered(r) for i, r in getattr(kb, k).items()} for k in ("actors", "issues", "sources", "rounds", "events")}
