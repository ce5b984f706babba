"""The search index kept in the cache answers as an index built from the knowledge base, file by file up to date."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import VALID
from peacekb import cache, loader
from peacekb.search import search, search_index

DATA = Path(__file__).parent.parent / "data"
QUERIES = ["ceasefire", "territory", "negotiations", "istanbul", "security guarantees", "dolmabahce", "weapon"]


def answers(conn) -> list:
    return [[(h.kind, h.id, h.name, h.field, h.snippet, h.highlights) for h in search(conn, words)] for words in QUERIES]


def built(root: Path) -> list:
    conn = search_index(loader.load(root).kb)
    try:
        return answers(conn)
    finally:
        conn.close()


def cached(root: Path) -> list:
    conn = cache.search_index(root)
    assert conn is not None
    try:
        return answers(conn)
    finally:
        conn.close()


def test_the_cached_index_answers_as_a_built_one(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("research", "README.md"))
    expected = built(root)
    assert any(expected)
    assert cached(root) == expected
    assert cached(root) == expected  # from the index as kept


def test_edited_added_and_removed_files_are_indexed_again(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(VALID, root)
    cached(root)
    actor = root / "actors" / "russia.yaml"
    actor.write_text(actor.read_text(encoding="utf-8").replace("name: ", "name: Zanzibarian ", 1), encoding="utf-8")
    (root / "actors" / "zz-new.yaml").write_text("id: zz-new\nname: Quixotic Federation\nkind: state\n", encoding="utf-8")
    gone = root / "sources" / "zz-gone.yaml"
    gone.write_text("id: zz-gone\ntitle: Perambulating quokkas\nurl: https://example.org/quokkas\n", encoding="utf-8")
    kept = cache.search_index(root)
    assert [h.id for h in search(kept, "quokkas")] == ["zz-gone"]
    kept.close()
    gone.unlink()
    conn = cache.search_index(root)
    try:
        assert [h.id for h in search(conn, "zanzibarian")] == ["russia"]
        assert [h.id for h in search(conn, "quixotic")] == ["zz-new"]
        assert search(conn, "quokkas") == []
    finally:
        conn.close()
    for words in ("zanzibarian", "quixotic", "russia"):
        mem = search_index(loader.load(root).kb)
        kept = cache.search_index(root)
        try:
            assert [(h.kind, h.id, h.field, h.name) for h in search(kept, words)] == [(h.kind, h.id, h.field, h.name) for h in search(mem, words)]
        finally:
            mem.close()
            kept.close()


def test_statements_found_by_the_index_are_those_matched_over_their_texts(tmp_path):
    from peacekb.search import matching, statement_matches

    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("research", "README.md"))
    kb = loader.load(root).kb
    texts = {s.id: [s.summary, *(q.text for q in s.quotes)] for s in kb.statements.values()}
    conn = cache.search_index(root)
    try:
        for words in [*QUERIES, "russia ukraine", "ceasefire energy", "“time”", "no-such-word"]:
            assert statement_matches(conn, words) == matching(texts, words), words
        assert statement_matches(conn, "...") is None
    finally:
        conn.close()


def test_the_texts_of_agreements_and_votes_are_searched(tmp_path):
    from peacekb.search import record_texts

    kb = loader.load(Path(__file__).parent / "fixtures" / "agreements").kb
    fields = {(kind, field.split("[")[0].split(".")[0]) for kind, _, field, _ in record_texts(kb)}
    expected = set()
    for e in kb.events.values():
        expected |= {("events", "question")} if e.question else set()
        expected |= {("events", name) for name in ("parties", "third_parties", "history") if any(x.note for x in getattr(e, name))}
        expected |= {("events", "results")} if e.results is not None and e.results.note else set()
    for r in kb.rounds.values():
        expected |= {("rounds", "third_parties")} if any(t.note for t in r.third_parties) else set()
    assert expected and expected <= fields
