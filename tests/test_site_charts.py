"""The charts (peacekb/site/charts.py) hold what the positions and the timeline say: the SVG of each
issue's chart is parsed and its spans and marks compared with `peacekb positions ISSUE --format json`
and `peacekb timeline ISSUE --all --format json`; their places follow the dates; the rounds are
lines; `peacekb chart ISSUE -o FILE.svg` writes the same chart as a file of its own."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES
from peacekb.cli import app
from peacekb.site import charts

SVG = "{http://www.w3.org/2000/svg}"
runner = CliRunner()
KB = FIXTURES / "positions"


def cli_json(*args: str, data: Path = KB):
    result = runner.invoke(app, [*args, "--format", "json", "--data", str(data)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("charts") / "site"
    assert runner.invoke(app, ["site", str(out), "--data", str(KB)]).exit_code == 0
    return out


def chart_of(site: Path, issue: str) -> ET.Element:
    html = (site / "issues" / issue / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<svg xmlns="http://www.w3.org/2000/svg".*?</svg>', html, re.S)
    assert len(found) == 1
    return ET.fromstring(found[0])


def expected_spans(block: dict) -> set[tuple]:
    spans = set()
    for p in block["positions"]:
        for h in p["held"]:
            spans.add((p["holder"], h["stance"], h["since"], h["last"], "held"))
        for x in p["past"]:
            spans.add((p["holder"], x["stance"], x["since"], x["until"], "withdrawn" if x["withdrawn"] else "dropped"))
    return spans


@pytest.mark.parametrize("issue", ["sequencing", "territory", "border-zone"])
def test_spans_and_marks_are_the_positions_and_the_timeline(site, issue):
    svg = chart_of(site, issue)
    block = cli_json("positions", issue)[0]
    rects = svg.iter(f"{SVG}rect")
    spans = {(r.get("data-holder"), r.get("data-stance"), r.get("data-since"), r.get("data-until"), r.get("data-state"))
             for r in rects if "span" in (r.get("class") or "").split()}
    assert spans == expected_spans(block)
    assert spans  # every fixture issue has stances on record
    timeline = [e for e in cli_json("timeline", issue, "--all") if e["issue"] == issue]
    marks = sorted((m.get("data-holder"), m.get("data-statement"), m.get("data-date")) for m in svg.iter() if "mark" in (m.get("class") or "").split())
    assert marks == sorted((e["holder"], e["evidence"]["id"], e["date"]) for e in timeline)
    # each mark links to its evidence: in the page's timeline where it changed a position, else where it is shown in full
    # (the link checker sees that every such link resolves)
    html = (site / "issues" / issue / "index.html").read_text(encoding="utf-8")
    changes = {e["evidence"]["id"] for e in cli_json("timeline", issue) if e["issue"] == issue}
    hrefs = {(m.get("data-statement"), a.get("href")) for a in svg.iter(f"{SVG}a") for m in a if "mark" in (m.get("class") or "")}
    assert {s for s, _ in hrefs} == {s for _, s, _ in marks}
    for statement, href in hrefs:
        fragment = statement.replace("#", "--")
        if statement in changes:
            assert href == f"#{fragment}" and f'id="{fragment}"' in html
        else:
            assert href.startswith("../../") and (href.endswith(f"#{fragment}") or "#" not in statement), href
    # the words: a title and a description, one title per span and mark
    assert svg.find(f"{SVG}title").text.startswith("Stances on ")
    desc = svg.find(f"{SVG}desc").text
    for p in block["positions"]:
        if p["held"] or p["past"]:
            assert p["holder_name"] in desc
    assert all(r.find(f"{SVG}title") is not None for r in svg.iter(f"{SVG}rect") if "span" in (r.get("class") or ""))


def test_places_follow_the_dates(site):
    svg = chart_of(site, "territory")
    spans = [r for r in svg.iter(f"{SVG}rect") if "span" in (r.get("class") or "").split()]
    for r in spans:
        x, width = float(r.get("x")), float(r.get("width"))
        assert x >= charts.LABEL_W and x + width <= charts.WIDTH - charts.RIGHT + 0.1
        assert width >= 3
    # a longer span is drawn no narrower
    by_length = sorted((charts.end_day(r.get("data-until")) - charts.start_day(r.get("data-since")), float(r.get("width"))) for r in spans)
    assert [w for _, w in by_length] == sorted(w for _, w in by_length)
    assert by_length[-1][1] > 3
    by_day = sorted((charts.start_day(r.get("data-since")), float(r.get("x"))) for r in spans)
    assert [x for _, x in by_day] == sorted(x for _, x in by_day)
    marks = [m for m in svg.iter(f"{SVG}circle") if "mark" in (m.get("class") or "")]
    by_day = sorted((charts.start_day(m.get("data-date")), float(m.get("cx"))) for m in marks)
    assert [x for _, x in by_day] == sorted(x for _, x in by_day)
    # a contested position is dashed, a span held before and dropped paler
    contested = [r for r in spans if r.get("data-holder") == "alpha" and r.get("data-state") == "held"]
    assert len(contested) == 2 and all(r.get("stroke-dasharray") for r in contested)
    assert all(r.get("fill-opacity") for r in spans if r.get("data-state") != "held")


def test_rounds_are_labelled_lines(site):
    svg = chart_of(site, "territory")
    card = cli_json("issue", "territory")
    rounds = {g.get("data-round"): g for g in svg.iter(f"{SVG}g") if g.get("class") == "round"}
    agenda = {r["id"] for r in card["rounds"]}
    assert set(rounds) <= agenda and rounds
    for ident, g in rounds.items():
        assert g.find(f"{SVG}line") is not None
        assert g.find(f"{SVG}title").text.startswith(next(r["name"] for r in card["rounds"] if r["id"] == ident))


def test_palette_is_okabe_ito_and_stances_keep_their_colour(site):
    svg = chart_of(site, "territory")
    order = [s["id"] for s in cli_json("issue", "territory")["stances"]]
    for r in svg.iter(f"{SVG}rect"):
        if "span" in (r.get("class") or "").split():
            assert r.get("fill") == charts.PALETTE[order.index(r.get("data-stance")) % len(charts.PALETTE)]
    assert set(charts.PALETTE) <= {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"}


def test_matrix_heatmap_is_the_matrix(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    svg = ET.fromstring(re.search(r'<svg[^>]*class="chart matrix-chart".*?</svg>', html, re.S).group())
    m = cli_json("matrix")
    cells = {(g.get("data-issue"), g.get("data-party")): (g.get("data-status"), g.get("data-stances").split()) for g in svg.iter(f"{SVG}g")
             if g.get("class") == "cell"}
    assert cells == {(row["issue"], c["party"]): (c["status"], c["stances"]) for row in m["rows"] for c in row["cells"]}


def test_rounds_chart_has_every_round(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    svg = ET.fromstring(re.search(r'<svg[^>]*class="chart rounds-chart".*?</svg>', html, re.S).group())
    shown = {e.get("data-round"): e.get("data-date") for e in svg.iter() if e.get("data-round")}
    assert shown == {r["id"]: r["start"] for r in cli_json("rounds")}


def test_chart_command_writes_a_standalone_svg(tmp_path):
    out = tmp_path / "territory.svg"
    result = runner.invoke(app, ["chart", "territory", "-o", str(out), "--data", str(KB)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')
    svg = ET.fromstring(text.split("\n", 1)[1])
    spans = {(r.get("data-holder"), r.get("data-stance"), r.get("data-since"), r.get("data-until"), r.get("data-state"))
             for r in svg.iter(f"{SVG}rect") if "span" in (r.get("class") or "").split()}
    assert spans == expected_spans(cli_json("positions", "territory")[0])
    assert not list(svg.iter(f"{SVG}a"))  # no links to a page that is not there
    again = runner.invoke(app, ["chart", "territory", "-o", str(out), "--data", str(KB)])
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(app, ["chart", "territory", "-o", str(out), "--force", "--data", str(KB)]).exit_code == 0
    assert out.read_text(encoding="utf-8") == text
    stdout = runner.invoke(app, ["chart", "territory", "-o", "-", "--data", str(KB)])
    assert stdout.exit_code == 0 and stdout.stdout == text
    assert runner.invoke(app, ["chart", "no-such-issue", "-o", str(tmp_path / "x.svg"), "--data", str(KB)]).exit_code == 2


def test_scale_ticks_and_days():
    assert charts.start_day("../2026-02-23") == charts.end_day("2026-02-23")
    assert charts.end_day("2026-02") - charts.start_day("2026-02") == 27
    assert charts.end_day("2016-10-02/..") == charts.start_day("2016-10-02")
    scale = charts.Scale(charts.start_day("2025-01-01"), charts.start_day("2025-06-30"), 0, 100)
    assert scale.x(scale.first) == 0 and scale.x(scale.last) == 100
    assert [t for _, t in scale.ticks()][:2] == ["2025-01", "2025-02"]


def test_the_chart_of_an_issue_with_agreements_draws_the_positions_marks_only():
    """The timeline of an issue that agreements cover holds their status changes too; the chart
    marks the holders' steps, which are all a lane has."""
    agreements = FIXTURES / "agreements"
    result = runner.invoke(app, ["chart", "land", "-o", "-", "--data", str(agreements)])
    assert result.exit_code == 0, result.output
    svg = ET.fromstring(result.stdout.split("\n", 1)[1])
    timeline = json.loads(runner.invoke(app, ["timeline", "land", "--all", "-f", "json", "--data", str(agreements)]).stdout)
    steps = [e for e in timeline if e["change"] != "agreement" and e["issue"] == "land"]
    assert steps and any(e["change"] == "agreement" for e in timeline)
    marks = [c for c in svg.iter() if "mark" in (c.get("class") or "").split()]
    assert len(marks) == len(steps)
