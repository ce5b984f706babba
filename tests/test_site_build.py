"""`peacekb site OUT/` (peacekb/site/build.py, peacekb/cli/site_commands.py): the site of each
fixture knowledge base and of the bundled data builds, every page parses strictly, every internal
link and anchor resolves, nothing is loaded from elsewhere, the same knowledge base gives the same
bytes, the folder is written atomically and a folder that is not a site is never replaced."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sitecheck
from conftest import FIXTURES, INVALID
from peacekb.cli import app
from peacekb.loader import load
from peacekb.site import build as site_build

DATA = Path(__file__).parent.parent / "data"
KBS = ["valid", "positions", "agreements", "export", "claims", "compare", "long-names"]
runner = CliRunner()


def make_site(data: Path, out: Path, *extra: str):
    return runner.invoke(app, ["site", str(out), "--data", str(data), *extra])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Each fixture's site, and the bundled data's, built once for the module."""
    root = tmp_path_factory.mktemp("sites")
    sites = {}
    for name in [*KBS, "data"]:
        out = root / name
        result = make_site(DATA if name == "data" else FIXTURES / name, out)
        assert result.exit_code == 0, result.output
        sites[name] = out
    return sites


@pytest.mark.parametrize("name", [*KBS, "data"])
def test_every_page_parses_and_every_link_resolves(built, name):
    out = built[name]
    pages = sitecheck.read_site(out)
    assert "index.html" in pages and len(pages) > 5
    errors = [e for p in pages.values() for e in p.errors]
    assert errors == []
    assert sitecheck.check_links(out, pages) == []


def test_a_page_for_every_record(built):
    kb = load(DATA).kb
    out = built["data"]
    agreements = {e.id for e in kb.events.values() if e.kind == "agreement"}
    for kind in ("issues", "rounds", "actors", "sources"):
        assert {p.name for p in (out / kind).iterdir() if p.is_dir()} == set(getattr(kb, kind)), kind
    events = {p.name for p in (out / "events").iterdir() if p.is_dir()}
    events |= {p.name for p in (out / "agreements").iterdir() if p.is_dir()} if (out / "agreements").exists() else set()
    assert events == set(kb.events)
    if agreements:
        assert {p.name for p in (out / "agreements").iterdir()} == agreements


def test_the_checker_finds_a_broken_link_and_a_broken_anchor(built, tmp_path):
    """The link checker and the HTML reader fail when they should (so that passing means something)."""
    out = tmp_path / "site"
    import shutil

    shutil.copytree(built["positions"], out)
    page = out / "issues" / "territory" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</main>", '<a href="../nowhere/index.html">x</a><a href="#no-such-anchor">y</a><div></main>'), encoding="utf-8")
    pages = sitecheck.read_site(out)
    broken = sitecheck.check_links(out, pages)
    assert any("nowhere" in b for b in broken) and any("no-such-anchor" in b for b in broken)
    assert any("closes div" in e for e in pages["issues/territory/index.html"].errors)


def test_nothing_loaded_from_elsewhere(built):
    for page in sitecheck.read_site(built["data"]).values():
        for where, value in page.links:
            if where in ("script.src", "link[stylesheet].href", "img.src"):
                assert not value.startswith(("http:", "https:", "//")), (page.path, value)
    css = (built["data"] / "static" / "style.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(" not in css and "@media print" in css and "@media (max-width" in css


def test_deterministic(built, tmp_path):
    again = tmp_path / "again"
    assert make_site(FIXTURES / "positions", again).exit_code == 0
    first = {p.relative_to(built["positions"]).as_posix(): p.read_bytes() for p in built["positions"].rglob("*") if p.is_file()}
    second = {p.relative_to(again).as_posix(): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_base_url_gives_canonical_addresses(tmp_path):
    out = tmp_path / "site"
    result = make_site(FIXTURES / "positions", out, "--base-url", "https://example.org/kb")
    assert result.exit_code == 0, result.output
    pages = sitecheck.read_site(out)
    canonical = {p.path: v for p in pages.values() for w, v in p.links if w == "link[canonical].href"}
    assert canonical["index.html"] == "https://example.org/kb/"
    assert canonical["issues/territory/index.html"] == "https://example.org/kb/issues/territory/"
    issue = (out / "issues" / "territory" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/kb/issues/territory/#ad-alpha-signals-cession"' in issue  # a permalink in the timeline
    card = (out / "rounds" / "abu-dhabi-2026-02" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/kb/rounds/abu-dhabi-2026-02/#ad-alpha-signals-cession"' in card
    assert sitecheck.check_links(out, pages) == []  # internal links stay relative


@pytest.mark.parametrize("url", ["example.org", "javascript:alert(1)", "https://x.org/\"><script>"])
def test_a_bad_base_url_is_a_usage_error(tmp_path, url):
    result = make_site(FIXTURES / "positions", tmp_path / "site", "--base-url", url)
    assert result.exit_code == 2
    assert "--base-url" in result.output
    assert not (tmp_path / "site").exists()


def test_refuses_a_folder_that_is_not_a_site(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.txt").write_text("years of work", encoding="utf-8")
    result = make_site(FIXTURES / "positions", out)
    assert result.exit_code == 2
    assert "no site built by peacekb" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["thesis.txt"]
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = make_site(FIXTURES / "positions", tmp_path / "file")
    assert result.exit_code == 2 and (tmp_path / "file").read_text(encoding="utf-8") == "x"
    assert make_site(FIXTURES / "positions", tmp_path / "missing" / "site").exit_code == 2


def test_replaces_a_site_built_before_and_an_empty_folder(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    assert make_site(FIXTURES / "valid", out).exit_code == 0
    (out / "stale.html").write_text("old", encoding="utf-8")
    result = make_site(FIXTURES / "positions", out)
    assert result.exit_code == 0, result.output
    assert not (out / "stale.html").exists()
    assert (out / "issues" / "territory" / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no temporary folder left beside it


def test_an_interrupted_write_leaves_the_old_site_whole(tmp_path, monkeypatch):
    out = tmp_path / "site"
    assert make_site(FIXTURES / "valid", out).exit_code == 0
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    calls = {"n": 0}
    original = Path.write_bytes

    def failing(self, data):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device")
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    result = make_site(FIXTURES / "positions", out)
    monkeypatch.undo()
    assert result.exit_code == 1
    assert "nothing written" in result.output
    after = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_knowledge_base_with_errors_is_not_published(tmp_path):
    result = make_site(INVALID / "references", tmp_path / "site")
    assert result.exit_code == 1
    assert "error" in result.output
    assert not (tmp_path / "site").exists()


def test_issue_pages_carry_the_positions_the_cli_prints(built):
    """positions.json beside each issue page is byte for byte `peacekb positions ISSUE --format json`."""
    out = built["positions"]
    for issue in ("sequencing", "territory", "border-zone"):
        result = runner.invoke(app, ["positions", issue, "--format", "json", "--data", str(FIXTURES / "positions")])
        assert result.exit_code == 0
        assert (out / "issues" / issue / "positions.json").read_text(encoding="utf-8") == result.stdout


def test_search_index_names_every_page(built):
    out = built["positions"]
    text = (out / "static" / "search-index.js").read_text(encoding="utf-8")
    assert text.startswith("window.PEACEKB_SEARCH = ") and text.endswith(";\n")
    entries = json.loads(text[len("window.PEACEKB_SEARCH = "):-2])
    paths = {e[3] for e in entries}
    pages = {p.relative_to(out).as_posix() for p in out.rglob("index.html")} - {"index.html", *(f"{k}/index.html" for k in
                                                                                              ("issues", "rounds", "actors", "sources", "events"))}
    assert paths == pages
    assert all((out / p).is_file() for p in paths)


def test_the_build_reads_nothing_outside_the_knowledge_base(tmp_path):
    """The site is a function of the knowledge base alone: the same records elsewhere give the same bytes."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(FIXTURES / "positions", copy)
    kb = load(copy).kb
    a = site_build.render_site(kb).files
    b = site_build.render_site(load(FIXTURES / "positions").kb).files
    assert a == b
    assert os.fspath(copy) not in b"".join(a.values()).decode("utf-8")


def test_rendered_in_processes_the_same_bytes():
    """Pages rendered by forked workers are the bytes of pages rendered in one process."""
    kb = load(FIXTURES / "positions").kb
    one = site_build.render_site(kb, jobs=1)
    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("no fork here")
    two = site_build.render_site(kb, jobs=2)
    assert two.files == one.files and two.pages == one.pages


def test_the_site_of_a_new_and_of_an_empty_knowledge_base(tmp_path):
    """What `peacekb init`'s Pages workflow runs, in a new knowledge base; and a knowledge base with nothing in it."""
    kb = tmp_path / "kb"
    assert runner.invoke(app, ["init", str(kb)]).exit_code == 0
    out = tmp_path / "new"
    result = make_site(kb / "data", out, "--base-url", "https://example.github.io/kb/")
    assert result.exit_code == 0, result.output
    empty = tmp_path / "empty"
    for folder in ("actors", "issues", "rounds", "sources"):
        (empty / folder).mkdir(parents=True)
    assert make_site(empty, tmp_path / "empty-site").exit_code == 0
    for site in (out, tmp_path / "empty-site"):
        pages = sitecheck.read_site(site)
        assert [e for p in pages.values() for e in p.errors] == []
        assert sitecheck.check_links(site, pages) == []


def _rows(html: str, section_id: str) -> list[tuple[str, str, str]]:
    """(holder, status, stances) of each row of the positions table in the section ``section_id``."""
    import re

    start = html.index(f'id="{section_id}"')
    section = html[start:html.index("</section>", start)]
    return re.findall(r'<tr class="[^"]*" data-holder="([^"]*)" data-status="([^"]*)" data-stances="([^"]*)">', section)


def test_round_pages_show_the_positions_as_of_the_round(built):
    """After each round, its agenda's positions as `peacekb positions ISSUE --as-of ROUND` gives them:
    every holder that holds (or withdrew) a stance, the headline naming the others."""
    out = built["positions"]
    checked = 0
    for rnd, issues in {"geneva-2026-01": ["sequencing", "territory", "border-zone"], "abu-dhabi-2026-02": ["sequencing", "border-zone"],
                        "geneva-2026-03": ["territory"]}.items():
        html = (out / "rounds" / rnd / "index.html").read_text(encoding="utf-8")
        after = html[html.index('id="after"'):]
        for issue in issues:
            result = runner.invoke(app, ["positions", issue, "--as-of", rnd, "--format", "json", "--data", str(FIXTURES / "positions")])
            block = json.loads(result.stdout)[0]
            expected = [(p["holder"], p["status"], " ".join(p["stances"])) for p in block["positions"] if p["status"] != "unknown" or p["past"]]
            assert _rows(after, f"positions-{issue}") == expected, (rnd, issue)
            assert block["headline"]["text"] in after
            checked += 1
    assert checked == 6
    planned = (out / "rounds" / "istanbul-2026-04" / "index.html").read_text(encoding="utf-8")
    assert 'id="after"' not in planned  # not held: nothing stood after it


def test_issue_pages_link_each_round_to_the_positions_after_it(built):
    out = built["positions"]
    html = (out / "issues" / "border-zone" / "index.html").read_text(encoding="utf-8")
    after = html[html.index('id="after"'):]
    assert '../../rounds/geneva-2026-01/index.html#positions-border-zone">demilitarised (Gamma) vs withdrawal (Beta); no recorded position: Alpha</a>' in after
    assert '../../rounds/abu-dhabi-2026-02/index.html#positions-border-zone">demilitarised (Beta, Gamma); no recorded position: Alpha</a>' in after
