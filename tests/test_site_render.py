"""Pages as HTML (peacekb/site/render.py, pages.py, templates/): data never becomes markup (a quote
holding `<script>` stays text, in the page and in the chart), every quote links to its source's
address, disputed facts and contested positions are marked as such, an issue page shows the
positions the CLI gives, and a statement has an anchor its permalink points at."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sitecheck
from conftest import FIXTURES
from peacekb.cli import app

runner = CliRunner()
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)> "\u202e'

FILES = {
    "actors/evil.yaml": """
        id: evil
        name: '<b>Evil</b> & Co </svg><script>alert(2)</script>'
        kind: organisation
    """,
    "issues/territory.yaml": """
        id: territory
        title: Territory <i>itself</i>
        stances:
          - id: no-cession
            label: "No cession <script>alert(3)</script>"
          - id: cession
            label: Cession
    """,
    "sources/article.yaml": """
        id: article
        title: An article "quoted" <em>here</em>
        url: https://example.org/a?x=1&y="2"
    """,
    "rounds/talks.yaml": """
        id: talks
        title: Talks <script>alert(4)</script>
        start: 2026-01-10
        delegations:
          - party: ukraine
          - party: russia
        agenda: [territory]
        disputes:
          - id: how-long
            summary: How long the talks lasted
            field: end
            versions:
              - says: one day
                sources: [article]
              - says: two days
                sources: [article]
        statements:
          - id: s1
            date: 2026-01-10
            party: ukraine
            attribution: direct-quote
            issues: [territory]
            stances: {territory: no-cession}
            quotes:
              - text: 'QUOTE'
                source: article
            summary: 'Summary <script>alert(5)</script>'
          - id: s2
            date: 2026-01-10
            party: evil
            attribution: reported
            issues: [territory]
            stances: {territory: no-cession}
            summary: Evil says no.
            sources: [article]
          - id: s3
            date: 2026-01-10
            party: evil
            attribution: reported
            issues: [territory]
            stances: {territory: cession}
            summary: Evil says yes on the same day.
            sources: [article]
            disputes:
              - id: who-said
                summary: Who said it
                versions:
                  - says: an aide
                    sources: [article]
                  - says: a minister
                    sources: [article]
    """,
}


@pytest.fixture
def hostile_site(make_kb, tmp_path) -> Path:
    files = dict(FILES)
    files["rounds/talks.yaml"] = files["rounds/talks.yaml"].replace("'QUOTE'", json.dumps(HOSTILE))
    root = make_kb(files)
    check = runner.invoke(app, ["validate", "--data", str(root)])
    assert check.exit_code == 0, check.output
    out = tmp_path / "site"
    result = runner.invoke(app, ["site", str(out), "--data", str(root)])
    assert result.exit_code == 0, result.output
    return out


def test_a_quote_with_script_stays_text(hostile_site):
    pages = sitecheck.read_site(hostile_site)
    assert [e for p in pages.values() for e in p.errors] == []
    assert sitecheck.check_links(hostile_site, pages) == []
    for path, page in pages.items():
        html = (hostile_site / path).read_text(encoding="utf-8")
        scripts = [(tag, attrs) for tag, attrs, _ in page.elements if tag == "script"]
        assert all(set(attrs) == {"src", "defer"} and attrs["src"].endswith("static/search.js") for _, attrs in scripts), path
        assert not any(tag in ("img", "b", "i", "em") for tag, _, _ in page.elements), path
        assert not any(name.startswith("on") for _, attrs, _ in page.elements for name in attrs), path
        assert "alert(" not in "".join(re.findall(r"<script[^>]*>(.*?)</script>", html, re.S))
    round_page = pages["rounds/talks/index.html"]
    text = "".join(round_page.text)
    # the words as written, shown as text: the bidi override escaped as peacekb escapes it
    assert HOSTILE.replace("\u202e", "\\u202e") in text
    assert "\u202e" not in (hostile_site / "rounds/talks/index.html").read_text(encoding="utf-8")
    assert "Summary <script>alert(5)</script>" in text
    assert "<b>Evil</b> & Co </svg><script>alert(2)</script>" in "".join(pages["actors/evil/index.html"].text)
    # the rows of the positions after the round, and the statements in one line, are composed in Python
    html = (hostile_site / "rounds/talks/index.html").read_text(encoding="utf-8")
    after = html[html.index('id="after"'):]
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co &lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt;</a></th>" in after
    assert "No cession &lt;script&gt;alert(3)&lt;/script&gt;" in after
    actor = (hostile_site / "actors/ukraine/index.html").read_text(encoding="utf-8")
    assert '<span class="compact' in actor and ('<q cite="https://example.org/a?x=1&amp;y=&#34;2&#34;">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; '
                                                 '&amp; &lt;img src=x onerror=alert(1)&gt; &#34;\\u202e</q>') in actor


def test_chart_text_is_escaped(hostile_site):
    html = (hostile_site / "issues" / "territory" / "index.html").read_text(encoding="utf-8")
    svg = ET.fromstring(re.search(r'<svg xmlns="http://www.w3.org/2000/svg".*?</svg>', html, re.S).group())  # parses: nothing broke out
    assert "<b>Evil</b> & Co </svg><script>alert(2)</script>: contested" in svg.find(f"{SVG}desc").text
    assert not any(e.tag.endswith("script") for e in svg.iter())


def test_quotes_link_to_their_source(hostile_site):
    page = sitecheck.read_site(hostile_site)["rounds/talks/index.html"]
    quotes = [attrs for tag, attrs, _ in page.elements if tag == "blockquote"]
    assert quotes and all(a["cite"] == 'https://example.org/a?x=1&y="2"' for a in quotes)
    external = [attrs["href"] for tag, attrs, _ in page.elements if tag == "a" and "ext" in (attrs.get("class") or "")]
    assert 'https://example.org/a?x=1&y="2"' in external


def test_disputed_and_contested_are_marked(hostile_site):
    pages = sitecheck.read_site(hostile_site)
    round_page = pages["rounds/talks/index.html"]
    disputed = [attrs["id"] for tag, attrs, _ in round_page.elements if tag == "article" and "disputed" in attrs.get("class", "")]
    assert disputed == ["s3"]
    assert "how-long" in round_page.ids and "one day" in "".join(round_page.text)
    issue = pages["issues/territory/index.html"]
    rows = {attrs["data-holder"]: attrs for tag, attrs, _ in issue.elements if tag == "tr" and "data-holder" in attrs}
    assert rows["evil"]["data-status"] == "contested" and rows["evil"]["data-stances"] == "no-cession cession"
    assert rows["ukraine"]["data-status"] == "held"
    assert "contested" in "".join(issue.text)


def test_issue_page_shows_what_the_cli_gives(tmp_path):
    """Every holder's row on each issue page: the status and stances of `peacekb positions ISSUE --format json`;
    every piece of evidence the json names is on the page with its anchor."""
    kb = FIXTURES / "positions"
    out = tmp_path / "site"
    assert runner.invoke(app, ["site", str(out), "--data", str(kb)]).exit_code == 0
    pages = sitecheck.read_site(out)
    for issue in ("sequencing", "territory", "border-zone"):
        blocks = json.loads(runner.invoke(app, ["positions", issue, "--format", "json", "--data", str(kb)]).stdout)
        page = pages[f"issues/{issue}/index.html"]
        section = f"positions-{issue}"
        rows = [attrs for tag, attrs, _ in page.elements if tag == "tr" and "data-status" in attrs]
        mine = rows[: len(blocks[0]["positions"])]
        assert [(r["data-holder"], r["data-status"], r["data-stances"].split()) for r in mine] == [
            (p["holder"], p["status"], p["stances"]) for p in blocks[0]["positions"]]
        assert section in page.ids
        permalinks = [attrs["href"] for tag, attrs, _ in page.elements if tag == "a" and attrs.get("class") == "permalink"]
        for p in blocks[0]["positions"]:
            for h in p["held"]:
                for e in h["evidence"]:
                    assert any(link.endswith("#" + e["id"].replace("#", "--")) for link in permalinks), e["id"]
        assert sitecheck.check_links(out, pages) == []  # and each of them leads to the statement
        assert blocks[0]["headline"]["text"] in "".join(page.text)


def test_permalinks_point_at_anchors(tmp_path):
    out = tmp_path / "site"
    assert runner.invoke(app, ["site", str(out), "--data", str(FIXTURES / "positions")]).exit_code == 0
    page = sitecheck.read_site(out)["rounds/abu-dhabi-2026-02/index.html"]
    permalinks = [attrs["href"] for tag, attrs, _ in page.elements if tag == "a" and attrs.get("class") == "permalink"]
    assert "#ad-alpha-signals-cession" in permalinks
    assert all(p[1:] in page.ids for p in permalinks)
