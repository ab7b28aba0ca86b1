"""The HTML report in a real browser (headless Chromium) at a desktop width (1400 px) and a phone width (390 px).

The page is shown in a frame of that width (a headless window is at least 500 px wide), once per entry of the segment
and period menus (each menu must fit in the width); a small script added to a
copy of the page measures it after layout and posts the measurements to the frame's parent, which writes them
into its DOM for Chromium's --dump-dom: the page must not overflow horizontally (wide charts and tables scroll inside
their card), no chart text may fall outside its SVG (it would be clipped), every chart must be drawn (a box with
marks in it) and readable (text at least 6 px after the chart is scaled to fit). Screenshots of the top of the page
are kept under build/report-screenshots/ as artifacts.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import journeygraph as jg

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "build" / "report-screenshots"
MONTHS: list = []

MEASURE = r"""
<script>
(function () {
  function measure(view) {
    var out = {view: view, width: window.innerWidth, scrollWidth: document.documentElement.scrollWidth, svgs: [],
               clipped: [], small: [], links: []};
    var svgs = document.querySelectorAll('main svg');
    for (var i = 0; i < svgs.length; i++) {
      var svg = svgs[i];
      if (svg.closest('[hidden]')) continue;  // another segment's view
      var box = svg.getBoundingClientRect();
      var vb = svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width ? svg.viewBox.baseVal.width : box.width;
      var scale = box.width / vb;
      var marks = svg.querySelectorAll('path, rect, circle, line, polygon').length;
      var section = svg.closest('section');
      var name = view + ' ' + (section ? section.id : '') + ' #' + i + ' ' + (svg.getAttribute('aria-label') || '');
      out.svgs.push({name: name, width: box.width, height: box.height, marks: marks, scale: scale});
      var texts = svg.querySelectorAll('text');
      for (var t = 0; t < texts.length; t++) {
        var r = texts[t].getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
          out.clipped.push(name + ': "' + texts[t].textContent + '"');
        var size = parseFloat(window.getComputedStyle(texts[t]).fontSize) * scale;
        if (size < 6) out.small.push(name + ': "' + texts[t].textContent + '" at ' + size.toFixed(1) + ' px');
      }
    }
    var links = document.querySelectorAll('nav a');
    for (var k = 0; k < links.length; k++) {
      var target = document.getElementById(links[k].getAttribute('href').slice(1));
      out.links.push(!!target && !target.closest('[hidden]'));
    }
    return out;
  }
  var results = [], selects = document.querySelectorAll('nav select.jg-switch');
  if (!selects.length) results.push(measure('page'));
  for (var s = 0; s < selects.length; s++) {
    var select = selects[s];
    for (var o = s ? 1 : 0; o < select.options.length; o++) {  // "all" once, for the first menu
      select.value = select.options[o].value;
      select.dispatchEvent(new Event('change'));
      var m = measure(select.options[o].textContent);
      m.menus = [];  // every menu inside the page width (the menu fits)
      for (var t = 0; t < selects.length; t++) {
        var r = selects[t].getBoundingClientRect();
        m.menus.push(r.left >= 0 && r.right <= window.innerWidth && r.width > 20);
      }
      var shown = document.querySelectorAll('.segment-view:not([hidden]), .period-view:not([hidden])');
      m.shown = shown.length;
      // A period or segment whose journeys cannot make every section shows a note instead.
      m.noReport = shown.length === 1 && shown[0].textContent.trim().indexOf('No report for this') === 0;
      // A requested section that fails for the view's journeys is left out with a note; the others stay.
      m.leftOut = 0;
      var notes = shown.length === 1 ? shown[0].querySelectorAll('section > p') : [];
      for (var k = 0; k < notes.length; k++)
        if (notes[k].textContent.indexOf('The section ') === 0) m.leftOut++;
      results.push(m);
    }
  }
  if (selects.length) {  // back to "all" for the screenshot
    selects[0].value = '';
    selects[0].dispatchEvent(new Event('change'));
  }
  parent.postMessage(JSON.stringify(results), '*');
})();
</script>
</body>"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("headless Chromium is not installed (Debian package chromium; make deps installs it)")


def run_chromium(*args: str) -> str:
    done = subprocess.run([chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--no-first-run", "--disable-extensions", *args],
                          capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """The sample's report with every section, and a measuring copy of it."""
    tmp = tmp_path_factory.mktemp("browser")
    events = jg.datasets.sample_events(4000, seed=11)
    journeys = jg.Journeys.from_events(events, conversion="conversion", value="value", segment="device")
    m = jg.JourneyMap(journeys, stages=jg.datasets.sample_stages())
    page = m.report(segment_switch=True, period_switch="month", models={"models": ["markov", "shapley", "first_touch", "last_touch", "linear"], "bootstrap": 20,
                            "seed": 1},
                    funnel={"steps": ["stage:awareness", "stage:consideration", "(conversion)"], "window": "30d"},
                    paths={"start": "website"}, drivers={"min_support": 20, "shown": 12},
                    title="A <long> journey report title that has to wrap on a phone")
    first = pd.to_datetime(journeys.to_frame()["start_time"], utc=True)
    MONTHS[:] = sorted(set(first.dt.strftime("%Y-%m")))  # the period menu's months, worked out by pandas
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report.html").write_text(page, encoding="utf-8")
    assert page.count("</body>") == 1
    measured = tmp / "measured.html"
    measured.write_text(page.replace("</body>", MEASURE), encoding="utf-8")
    return measured


def frame(report: Path, width: int, height: int) -> Path:
    """A page holding the report in a frame `width` pixels wide, collecting the frame's measurements."""
    page = report.parent / f"frame-{width}-{height}.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>body{margin:0}iframe{border:0;display:block}"
        f"</style></head><body><iframe src='{report.name}' width='{width}' height='{height}'></iframe>"
        "<pre id='jg-measure'></pre><script>window.addEventListener('message', function (e) {"
        "document.getElementById('jg-measure').textContent = e.data; });</script></body></html>",
        encoding="utf-8")
    return page


@pytest.mark.parametrize("width", [1400, 390])
def test_report_layout_in_chromium(report, width):
    dom = run_chromium(f"--window-size={max(width, 500) + 20},1200", "--virtual-time-budget=3000", "--dump-dom",
                       frame(report, width, 1200).as_uri())
    found = re.search(r'<pre id="jg-measure">(.+?)</pre>', dom, flags=re.S)
    assert found, "the measuring script did not run"
    views = json.loads(found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                       .replace("&quot;", '"'))
    # All, then each device, then each month of the period menu.
    assert [v["view"] for v in views] == ["all", "desktop", "mobile"] + MONTHS
    assert sum(not v.get("noReport") for v in views) >= 6
    assert any(v.get("leftOut") for v in views)  # the few journeys of the last months make no event funnel
    for m in views:
        assert m["shown"] == 1, f"{m['view']}: {m['shown']} views shown"
        assert all(m["menus"]), f"{m['view']}: a menu does not fit in {width} px: {m['menus']}"
        assert m["width"] == width
        assert m["scrollWidth"] <= m["width"], \
            f"{m['view']}: the page overflows horizontally: {m['scrollWidth']} > {m['width']} px"
        assert len(m["svgs"]) >= 8 or m.get("noReport") or m.get("leftOut"), m["view"]
        if m.get("leftOut"):  # the view keeps its other sections: the journey graph at least
            assert any(s["name"].split(" ")[1].endswith("graph") for s in m["svgs"]), m["view"]
        empty = [s["name"] for s in m["svgs"] if s["width"] < 20 or s["height"] < 20 or s["marks"] == 0]
        assert not empty, f"empty charts: {empty}"
        assert not m["clipped"], f"chart text outside its chart: {m['clipped'][:10]}"
        assert not m["small"], f"unreadable chart text: {m['small'][:10]}"
        assert all(m["links"]) or m.get("noReport"), f"{m['view']}: menu links to sections not shown: {m['links']}"
    shot = ARTIFACTS / f"report-{width}.png"
    run_chromium(f"--window-size={max(width, 500)},2400", f"--screenshot={shot}", frame(report, width, 2400).as_uri())
    assert shot.stat().st_size > 10000
