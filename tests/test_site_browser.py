"""The bundled data's site in a real browser: Debian's Chromium, headless (`apt-get install chromium`;
.ci/run installs it). Every page is loaded from file:// in a harness page of frames; a script there
reads each page's DOM as the browser built it (its title, its main content, the stylesheet applied,
the charts laid out, the search box shown and finding pages) into the harness, which `--dump-dom`
prints; no page may log a console error. One `--screenshot` of an issue page with its chart.

The tests skip where chromium is missing, unless PEACEKB_REQUIRE_BROWSER=1 (as in CI), where they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peacekb.cli import app

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent.parent / "data"
BATCH = 64  # pages per browser run
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0", "--hide-scrollbars"]


def chromium() -> str:
    found = shutil.which("chromium") or (shutil.which("/usr/bin/chromium"))
    if found is None:
        if os.environ.get("PEACEKB_REQUIRE_BROWSER") == "1":
            pytest.fail("PEACEKB_REQUIRE_BROWSER=1 but there is no chromium: apt-get install -y chromium")
        pytest.skip("no chromium (apt-get install -y chromium); set PEACEKB_REQUIRE_BROWSER=1 to make this a failure")
    return found


def run_browser(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)


def console_errors(stderr: str) -> list[str]:
    """Console messages of the pages that are errors: uncaught exceptions, resources that failed."""
    found = []
    for line in stderr.splitlines():
        if "CONSOLE" in line and re.search(r"Uncaught|Error|Failed to load|Refused|not allowed|ERR_", line, re.I):
            found.append(line)
        elif re.search(r"Uncaught |Failed to load resource|net::ERR_(?!INTERNET_DISCONNECTED)", line):
            found.append(line)
    return found


HARNESS = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>harness</title></head><body>
<pre id="results">pending</pre>
%(frames)s
<script>
"use strict";
function inspect(frame) {
  var doc = frame.contentDocument;
  var win = frame.contentWindow;
  var out = {page: frame.getAttribute("data-page")};
  if (!doc || !doc.body) { out.error = "no document"; return out; }
  out.title = doc.title;
  out.h1 = doc.querySelector("h1") ? doc.querySelector("h1").textContent : null;
  out.main = doc.querySelector("main") ? doc.querySelector("main").textContent.trim().length : 0;
  out.elements = doc.getElementsByTagName("*").length;
  out.styled = win.getComputedStyle(doc.body).maxWidth;
  out.charts = Array.prototype.map.call(doc.querySelectorAll("figure.chart svg"), function (svg) {
    var box = svg.getBoundingClientRect();
    return [Math.round(box.width), Math.round(box.height)];
  });
  var form = doc.querySelector("form.search");
  out.search = form ? !form.hidden : null;
  return out;
}
function search(frame, words) {
  var doc = frame.contentDocument;
  var input = doc.querySelector("form.search input");
  input.value = words;
  input.dispatchEvent(new frame.contentWindow.Event("input"));
}
window.addEventListener("load", function () {
  var frames = Array.prototype.slice.call(document.querySelectorAll("iframe"));
  var first = frames[0];
  try { search(first, "%(words)s"); } catch (e) { }
  setTimeout(function () {
    var results = frames.map(inspect);
    var hits = first.contentDocument.querySelectorAll("form.search ol.hits li a");
    results[0].hits = Array.prototype.map.call(hits, function (a) { return a.getAttribute("href"); });
    document.getElementById("results").textContent = JSON.stringify(results);
  }, 1500);
});
</script>
</body></html>
"""


@pytest.fixture(scope="module")
def data_site(tmp_path_factory) -> Path:
    chromium()
    out = tmp_path_factory.mktemp("browser") / "site"
    result = CliRunner().invoke(app, ["site", str(out), "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    return out


def test_every_page_renders_without_console_errors(data_site, tmp_path):
    pages = sorted(p.relative_to(data_site).as_posix() for p in data_site.rglob("*.html"))
    assert len(pages) > 200
    # the index first in each batch: its search box is tried too
    batches = [pages[i:i + BATCH] for i in range(0, len(pages), BATCH)]
    seen = []
    for n, batch in enumerate(batches):
        batch = ["index.html", *[p for p in batch if p != "index.html"]]
        frames = "\n".join(f'<iframe data-page="{p}" src="{(data_site / p).as_uri()}" width="1024" height="700"></iframe>' for p in batch)
        harness = tmp_path / f"harness-{n}.html"
        harness.write_text(HARNESS % {"frames": frames, "words": "geneva"}, encoding="utf-8")
        result = run_browser("--allow-file-access-from-files", "--virtual-time-budget=20000", "--dump-dom", harness.as_uri())
        assert result.returncode == 0, result.stderr[-2000:]
        assert console_errors(result.stderr) == []
        dumped = re.search(r'<pre id="results">(.*?)</pre>', result.stdout, re.S)
        assert dumped, result.stdout[:500]
        import html as html_module

        found = json.loads(html_module.unescape(dumped.group(1)))
        assert [r["page"] for r in found] == batch
        for r in found:
            assert "error" not in r, r
            assert r["title"].endswith("· peacekb"), r
            assert r["styled"] == "1152px", r  # the stylesheet loaded (72rem)
            assert r["main"] > 20 and r["elements"] > 30, r
            assert r["search"] is True, r  # the script ran and showed the box
            for width, height in r["charts"]:
                assert width > 300 and height > 30, r
            if r["page"].startswith("issues/") and r["page"] != "issues/index.html":
                assert len(r["charts"]) == 1, r
        hits = found[0]["hits"]
        assert hits and all(h.endswith("index.html") for h in hits)
        assert any(h.startswith("rounds/geneva") for h in hits)
        seen += [r["page"] for r in found if r["page"] != "index.html" or n == 0]
    assert sorted(set(seen)) == pages


def test_an_issue_page_dumps_its_dom(data_site):
    """`--dump-dom` of one page alone: the DOM the browser built holds the chart's spans and every position row."""
    page = data_site / "issues" / "donbas" / "index.html"
    result = run_browser("--dump-dom", page.as_uri())
    assert result.returncode == 0
    assert console_errors(result.stderr) == []
    dom = result.stdout
    assert dom.count('class="span held') >= 3
    assert 'data-holder="russia"' in dom and "full-withdrawal" in dom
    source = page.read_text(encoding="utf-8")
    assert dom.count("<tr") == source.count("<tr")  # no table row lost to a parse repair


PHONE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>phone</title></head><body>
<pre id="results">pending</pre>
%(frames)s
<script>
window.addEventListener("load", function () {
  setTimeout(function () {
    var out = Array.prototype.map.call(document.querySelectorAll("iframe"), function (frame) {
      var root = frame.contentDocument.documentElement;
      return [frame.getAttribute("data-page"), root.scrollWidth, root.clientWidth];
    });
    document.getElementById("results").textContent = JSON.stringify(out);
  }, 500);
});
</script></body></html>
"""


def test_pages_fit_a_phone(data_site, tmp_path):
    """At a phone's width (390 px) no page is wider than the screen: long tables and the charts
    scroll inside their own box, never the page sideways."""
    import html as html_module

    sample = ["index.html", "issues/donbas/index.html", "rounds/geneva-2026-02/index.html", "actors/ukraine/index.html",
              "rounds/index.html", "sources/index.html", "actors/index.html", "issues/index.html", "events/index.html"]
    sample += sorted(p.relative_to(data_site).as_posix() for p in (data_site / "sources").glob("*/index.html"))[:3]
    frames = "\n".join(f'<iframe data-page="{p}" src="{(data_site / p).as_uri()}" width="390" height="800"></iframe>' for p in sample)
    harness = tmp_path / "phone.html"
    harness.write_text(PHONE % {"frames": frames}, encoding="utf-8")
    result = run_browser("--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom", harness.as_uri())
    found = json.loads(html_module.unescape(re.search(r'<pre id="results">(.*?)</pre>', result.stdout, re.S).group(1)))
    assert [page for page, _, _ in found] == sample
    wide = [(page, width, screen) for page, width, screen in found if width > screen + 1]
    assert wide == []


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_screenshot_of_an_issue_page(data_site, tmp_path):
    shot = tmp_path / "donbas.png"
    result = run_browser("--window-size=1200,1600", f"--screenshot={shot}", (data_site / "issues" / "donbas" / "index.html").as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_errors(result.stderr) == []
    data = shot.read_bytes()
    assert png_size(data) == (1200, 1600)
    # not a blank page: the decompressed image data holds more than one colour
    raw = zlib.decompress(b"".join(data[i + 8:i + 8 + struct.unpack(">I", data[i:i + 4])[0]]
                                   for i in _chunks(data, b"IDAT")))
    assert len(raw) == 1600 * (1 + 1200 * 4) or len(raw) == 1600 * (1 + 1200 * 3)
    assert len(set(raw)) > 50


def _chunks(data: bytes, kind: bytes):
    i = 8
    while i < len(data):
        length = struct.unpack(">I", data[i:i + 4])[0]
        if data[i + 4:i + 8] == kind:
            yield i  # the offset of its length field
        i += 12 + length


def test_the_console_check_sees_an_error(tmp_path):
    """A page that throws is caught (so that no error means none). A file missing under file:// logs
    nothing; the harness sees it instead (no stylesheet: the wrong width; no script: no search box)."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><head><title>x</title></head>'
                    '<body><script>throw new Error("boom")</script></body></html>', encoding="utf-8")
    result = run_browser("--dump-dom", page.as_uri())
    errors = console_errors(result.stderr)
    assert any("boom" in e for e in errors), result.stderr[-2000:]
