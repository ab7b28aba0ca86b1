"""The event funnel, path explorer and drivers sections of the HTML report.

The numbers in the page (each numeric cell carries its exact value in data-v) must equal the tables the same
analyses return on their own, the bar and forest charts must be drawn to those numbers, and hostile touchpoint
names must come out escaped (every inline SVG parses as XML, no raw tag leaks into the page).
"""

import math
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pandas as pd
import pytest

import journeygraph as jg

STEPS = ["stage:awareness", "stage:consideration", "(conversion)"]
SVG = "{http://www.w3.org/2000/svg}"


class Page(HTMLParser):
    """Tables by their class (rows of cells: (text, data-v)) and the raw SVG text of each section."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tables, self.svgs = {}, {}
        self._table = self._cell = self._section = None
        self._row = None
        self.feed(html)
        self.html = html
        for sid in list(self.svgs):
            self.svgs[sid] = self._svgs_of(sid)

    def _svgs_of(self, sid):
        start = self.html.index(f'<section id="{sid}"')
        end = self.html.index("</section>", start)
        chunk, out = self.html[start:end], []
        while "<svg" in chunk:
            a = chunk.index("<svg")
            b = chunk.index("</svg>", a) + len("</svg>")
            out.append(chunk[a:b])
            chunk = chunk[b:]
        return out

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and "id" in a:
            self._section = a["id"]
            self.svgs[a["id"]] = []
        elif tag == "table" and "sortable" in a.get("class", ""):
            self._table = a["class"].replace("sortable", "").strip() or self._section
            self.tables[self._table] = {"head": [], "rows": []}
        elif self._table and tag == "tr":
            self._row = []
        elif self._table and tag in ("td", "th"):
            self._cell = [tag, "", a.get("data-v")]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            t = self.tables[self._table]
            if self._row and self._row[0][0] == "th":
                t["head"] = [c[1] for c in self._row]
            else:
                t["rows"].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def column(self, table, header):
        """The column under `header`: numbers from data-v (NaN for null), else the cell text."""
        t = self.tables[table]
        i = t["head"].index(header)
        out = []
        for row in t["rows"]:
            _, text, v = row[i]
            out.append(text if v is None else (math.nan if v == "null" else float(v)))
        return out


def same(page_values, frame_values):
    assert len(page_values) == len(frame_values)
    for p, f in zip(page_values, frame_values):
        if isinstance(f, str):
            assert p == f
        elif math.isnan(f):
            assert math.isnan(p)
        else:
            assert p == pytest.approx(f, rel=1e-12, abs=0), (p, f)


@pytest.fixture(scope="module")
def sample():
    events = jg.datasets.sample_events(3000, seed=4)
    journeys = jg.Journeys.from_events(events, conversion="conversion", value="value", segment="device")
    stages = jg.datasets.sample_stages()
    return journeys, stages, jg.JourneyMap(journeys, stages=stages)


@pytest.fixture(scope="module")
def page(sample):
    _, _, m = sample
    html = m.report(funnel={"steps": STEPS, "window": "30d"}, paths={"start": "website", "variants": 12},
                    drivers={"min_support": 20, "shown": 10})
    return Page(html)


def test_sections_and_menu(page):
    for sid, title in [("event-funnel", "Event funnel"), ("path-explorer", "Path explorer"),
                       ("drivers", "Conversion drivers")]:
        assert f'<section id="{sid}"><h2>{title}</h2>' in page.html
        assert f'<a href="#{sid}" data-id="{sid}">' in page.html
        assert page.svgs[sid], sid


def test_no_sections_unless_asked(sample):
    html = sample[2].report()
    for sid in ("event-funnel", "path-explorer", "drivers"):
        assert f'id="{sid}"' not in html and f'href="#{sid}"' not in html


def test_event_funnel_numbers_equal_the_funnel_table(sample, page):
    journeys, stages, _ = sample
    f = journeys.event_funnel(STEPS, window="30d", stages=stages)
    f = f[f["segment"] == "(all)"]
    for header, column in [("step", "step"), ("label", "label"), ("reached", "reached"), ("step rate", "step_rate"),
                           ("lower", "step_rate_lower"), ("upper", "step_rate_upper"),
                           ("overall rate", "overall_rate"), ("dropped", "dropped"),
                           ("median time from the previous step", "time_from_previous_median_s"),
                           ("p90 time from the previous step", "time_from_previous_p90_s"),
                           ("median time from entry", "time_from_entry_median_s")]:
        same(page.column("event-funnel", header), [float(x) if not isinstance(x, str) else x for x in f[column]])
    assert (f["step_rate_lower"] < f["step_rate"]).all() and (f["step_rate"] < f["step_rate_upper"]).all()
    # The bars are drawn to the reached counts: widths proportional to them, labelled with them.
    svg = ET.fromstring(page.svgs["event-funnel"][0])
    widths = [float(r.get("width")) for r in svg.iter(SVG + "rect")]
    reached = list(f["reached"])
    assert len(widths) == len(reached)
    for w, r in zip(widths, reached):
        assert w == pytest.approx(widths[0] * r / reached[0], abs=0.06)
    texts = [t.text for t in svg.iter(SVG + "text")]
    for r in reached:
        assert f"{int(r):,}" in texts


def test_path_explorer_numbers_equal_the_variant_table(sample, page):
    journeys, _, _ = sample
    steps, variants = journeys.explore_paths(start="website", variants=12)
    assert len(page.tables["path-variants"]["rows"]) == len(variants) == 12
    for header, column in [("path", "path"), ("journeys", "journeys"), ("share", "share"),
                           ("cumulative", "cumulative_share"), ("conversions", "conversions")]:
        same(page.column("path-variants", header), list(variants[column]))
    # The Sankey is the explorer's: its first column is the start touchpoint with every selected journey.
    svg = page.svgs["path-explorer"][0]
    ET.fromstring(svg)
    total = steps[steps["step"] == 1]["journeys"].sum()
    assert f"website {int(total):,}" in svg


def test_drivers_numbers_equal_the_driver_table(sample, page):
    journeys, stages, _ = sample
    d = journeys.drivers(min_support=20, stages=stages).head(10)
    assert len(page.tables["drivers"]["rows"]) == len(d) == 10
    for header, column in [("feature", "feature"), ("journeys with it", "support"), ("odds ratio", "odds_ratio"),
                           ("lower", "odds_ratio_lower"), ("upper", "odds_ratio_upper"), ("q", "q_value"),
                           ("MH odds ratio", "mh_odds_ratio")]:
        same(page.column("drivers", header), list(d[column]))
    assert page.column("drivers", "explained by length") == [float(c) for c in d["confounded"]]
    i = page.tables["drivers"]["head"].index("explained by length")
    assert [r[i][1] for r in page.tables["drivers"]["rows"]] == ["yes" if c else "no" for c in d["confounded"]]
    # The forest chart: one dot per driver, ordered left to right as the odds ratios (log axis).
    svg = ET.fromstring(page.svgs["drivers"][0])
    dots = [float(c.get("cx")) for c in svg.iter(SVG + "circle")]
    assert len(dots) == len(d)
    ors = list(d["odds_ratio"])
    for i in range(len(ors)):
        for j in range(len(ors)):
            if ors[i] < ors[j] * 0.98:
                assert dots[i] < dots[j]
    titles = [t.text for t in svg.iter(SVG + "title")]
    assert titles[0].startswith(d["feature"].iloc[0] + ": odds ratio")


HOSTILE = ['<script>alert("x")</script>', "a&b", "it's \"quoted\"", "</svg><b>"]


def test_hostile_touchpoint_names_are_escaped():
    names = HOSTILE
    paths = pd.DataFrame({
        "path": [f"{names[0]};{names[1]};{names[2]}", f"{names[1]};{names[3]}", f"{names[0]};{names[3]}",
                 f"{names[2]};{names[1]}"] * 10,
        "total_conversions": [3.0, 1, 0, 2] * 10,
        "total_null": [1.0, 2, 3, 2] * 10,
    })
    m = jg.JourneyMap(jg.Journeys.from_paths(paths, sep=";"))
    html = m.report(funnel=[names[0], "(conversion)"], paths={"start": names[0]}, drivers={"min_support": 1})
    assert "<script>alert" not in html and "</svg><b>" not in html
    assert html.count("<script>") == 1  # the page's own sorting script
    page = Page(html)
    for sid in ("event-funnel", "path-explorer", "drivers"):
        for svg in page.svgs[sid]:
            ET.fromstring(svg)  # well-formed: every name escaped
    assert page.column("event-funnel", "label")[0] == names[0]
    features = page.column("drivers", "feature")
    assert names[1] in features or any(names[1] in f for f in features)


def test_report_section_errors(sample):
    m = sample[2]
    with pytest.raises(jg.JourneyGraphError, match="funnel takes"):
        m.report(funnel={"steps": STEPS, "windw": "7d"})
    with pytest.raises(jg.JourneyGraphError, match="no_such_touchpoint"):
        m.report(funnel=["no_such_touchpoint"])
    with pytest.raises(jg.JourneyGraphError):
        m.report(drivers={"min_supp": 3})


def test_cli_report_sections(cli, tmp_path):
    events = tmp_path / "events.csv"
    jg.datasets.sample_events(2000, seed=7).to_csv(events, index=False)
    stages = tmp_path / "stages.csv"
    jg.datasets.sample_stages().to_csv(stages, index=False)
    out = tmp_path / "report.html"
    args = [str(cli), "report", str(events), "--events", "--stages", str(stages), "-o", str(out)]
    done = subprocess.run(args + ["--funnel-steps", ",".join(STEPS), "--funnel-window", "30d", "--paths-start",
                                  "website", "--drivers", "--drivers-min-support", "20", "--drivers-top", "5"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    page = Page(out.read_text(encoding="utf-8"))
    assert len(page.tables["event-funnel"]["rows"]) == 3
    assert len(page.tables["drivers"]["rows"]) == 5
    assert page.tables["path-variants"]["rows"][0][0][1].startswith("website")
    bad = subprocess.run(args + ["--funnel-steps", "website", "--funnel-order", "sideways"], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2 and "--funnel-order" in bad.stderr
    bad = subprocess.run(args + ["--paths-from-step", "2"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--paths-from-step needs --funnel-steps" in bad.stderr


def test_model_comparison_section_equals_attribute(sample):
    journeys, _, m = sample
    models = ["markov", "shapley", "first_touch", "last_touch", "linear"]
    html = m.report(models={"models": models, "ci": 0.9, "bootstrap": 20, "seed": 3})
    page = Page(html)
    ci = jg.attribute(journeys, models=models, ci=0.9, bootstrap=20, seed=3)
    # The baseline is the core's default: last_touch when compared (rows by its credit).
    ci = ci.sort_values("last_touch", ascending=False, kind="mergesort")
    assert page.column("models", "touchpoint") == list(ci.index)
    for model in models:
        same(page.column("models", model), list(ci[model]))
        same(page.column("models", f"{model} lower"), list(ci[f"{model}_lower"]))
        same(page.column("models", f"{model} upper"), list(ci[f"{model}_upper"]))
    change = page.column("models", "markov vs last_touch")
    same(change, list(100 * (ci["markov"] - ci["last_touch"]) / ci["last_touch"].where(ci["last_touch"] != 0)))
    assert "last_touch vs markov" not in page.tables["models"]["head"]
    # The chart: the colours are the Python charts' (one colour per model everywhere), error bars drawn.
    svg = ET.fromstring(page.svgs["models"][0])
    fills = {r.get("fill") for r in svg.iter(SVG + "rect")}
    assert {jg.model_colour(x) for x in models} <= fills
    assert len([ln for ln in svg.iter(SVG + "line")]) >= 10 * len(models)
    assert 'href="#models"' in html


def test_cli_model_comparison(cli, tmp_path):
    events = tmp_path / "events.csv"
    jg.datasets.sample_events(1500, seed=9).to_csv(events, index=False)
    out = tmp_path / "report.html"
    done = subprocess.run([str(cli), "report", str(events), "--events", "-o", str(out), "--models",
                           "markov,last_touch", "--bootstrap", "10", "--seed", "2"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    page = Page(out.read_text(encoding="utf-8"))
    assert page.tables["models"]["head"] == ["touchpoint", "markov", "markov lower", "markov upper",
                                             "markov vs last_touch", "last_touch", "last_touch lower",
                                             "last_touch upper"]


def test_conversion_paths_by_hand():
    # Converting journeys: ad > search > site (1), ad > site (1 of 2), site (1). Each conversion is shared
    # linearly; first touch of a longer journey = early, last touch = last, the rest = middle.
    paths = pd.DataFrame({
        "path": ["ad > search > site", "ad > site", "ad > search", "search > ad > site", "site"],
        "total_conversions": [1.0, 1, 0, 0, 1],
        "total_null": [0.0, 1, 1, 1, 0],
    })
    page = Page(jg.JourneyMap(jg.Journeys.from_paths(paths)).report())
    rows = dict(zip(page.column("conversion-phases", "touchpoint"),
                    zip(page.column("conversion-phases", "early"), page.column("conversion-phases", "middle"),
                        page.column("conversion-phases", "last"))))
    assert rows["ad"] == pytest.approx((1 / 3 + 1 / 2, 0, 0), abs=1e-12)
    assert rows["search"] == pytest.approx((0, 1 / 3, 0), abs=1e-12)
    assert rows["site"] == pytest.approx((0, 0, 1 / 3 + 1 / 2 + 1), abs=1e-12)
    assert page.column("conversion-phases", "touchpoint") == ["site", "ad", "search"]  # by total credit
    assert page.column("converting-paths", "path") == ["ad > search > site", "ad > site", "site"]
    assert page.column("converting-paths", "conversions") == [1.0, 1.0, 1.0]
    assert page.column("converting-paths", "share of conversions") == pytest.approx([1 / 3] * 3, abs=1e-12)
    assert page.column("converting-paths", "touches") == [3.0, 2.0, 1.0]
    svg = [s for s in page.svgs["conversion-paths"] if "touches to conversion" in s][0]
    texts = [t.text for t in ET.fromstring(svg).iter(SVG + "text")]
    assert texts == ["1 touch", "1", "2 touches", "1", "3 touches", "1"]


def test_segment_switch_views_are_the_segments_reports(sample):
    journeys, stages, m = sample
    html = m.report(segment_switch=True)
    assert '<select id="jg-segment" class="jg-switch">' in html and html.count('class="segment-view"') == 1 + len(journeys.segments)
    assert "http" not in html.split("<script>")[-1]  # the switch runs offline
    for k, name in enumerate(journeys.segments):
        assert f'<option value="s{k}-">{name}</option>' in html
        start = html.index(f'<div class="segment-view" data-prefix="s{k}-" hidden>')
        end = html.index('<div class="segment-view"', start + 10) if k + 1 < len(journeys.segments) else \
            html.index("</main>")
        view = html[start:end]
        alone = jg.JourneyMap(journeys.segment(name), stages=stages).report()
        # The view is the segment's own report body, its ids prefixed.
        body = alone[alone.index("<main>") + len("<main>\n"):alone.index("</main>")]
        assert view.count("<section") == body.count("<section")
        page, ref = Page(view), Page(body)
        assert page.tables[f"s{k}-attribution"]["rows"] == ref.tables["attribution"]["rows"]
        assert f'id="s{k}-graph"' in view and 'id="graph"' not in view
    assert 'id="graph"' in html.split('data-prefix="s0-"')[0]


def test_money_section_equals_the_money_table(sample):
    journeys, _, m = sample
    tp = sorted(journeys.touchpoints)
    spend = pd.DataFrame({"touchpoint": tp[:-1] + ["billboard"], "spend": [100.0 * (i + 1) for i in range(len(tp))]})
    models = ["markov", "last_touch"]
    html = m.report(models={"models": models, "ci": 0.9, "bootstrap": 20, "seed": 3}, spend=spend)
    page = Page(html)
    money = jg.attribute(journeys, models=models, ci=0.9, bootstrap=20, seed=3, spend=spend).attrs["money"]
    assert page.tables["money"]["head"] == ["model", "touchpoint", "spend", "conversions", "value",
                                            "cost per conversion", "ROAS", "ROAS lower", "ROAS upper", "status"]
    for header, column in [("model", "model"), ("touchpoint", "touchpoint"), ("spend", "spend"),
                           ("conversions", "conversions"), ("value", "value"),
                           ("cost per conversion", "cost_per_conversion"), ("ROAS", "roas"),
                           ("ROAS lower", "roas_lower"), ("ROAS upper", "roas_upper"), ("status", "status")]:
        same(page.column("money", header), list(money[column]))
    assert {"no_spend", "no_credit"} <= set(page.column("money", "status"))
    assert 'href="#money"' in html and "90 % bootstrap percentile intervals" in html
    # Without a bootstrap: no interval columns; spend without the comparison is refused.
    plain = Page(m.report(models=models, spend=spend))
    assert "ROAS lower" not in plain.tables["money"]["head"]
    with pytest.raises(jg.JourneyGraphError, match="models="):
        m.report(spend=spend)
    assert 'id="money"' not in m.report(models=models)


def test_cli_report_money(cli, tmp_path):
    events = tmp_path / "events.csv"
    jg.datasets.sample_events(1500, seed=9).to_csv(events, index=False)
    spend = tmp_path / "spend.csv"
    spend.write_text("touchpoint,spend\nemail,800\nsocial_ad,6000\n", encoding="utf-8")
    out = tmp_path / "report.html"
    args = [str(cli), "report", str(events), "--events", "-o", str(out), "--spend", str(spend)]
    done = subprocess.run(args + ["--models", "markov,last_touch"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    page = Page(out.read_text(encoding="utf-8"))
    money = jg.attribute(jg.Journeys.from_events(pd.read_csv(events)), models=["markov", "last_touch"],
                         spend=pd.read_csv(spend)).attrs["money"]
    same(page.column("money", "ROAS"), list(money["roas"]))
    same(page.column("money", "touchpoint"), list(money["touchpoint"]))
    bad = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--models" in bad.stderr


def _views(html, kind):
    """The views of one menu: {prefix: view html}, in page order."""
    out, at = {}, 0
    while True:
        at = html.find(f'<div class="{kind}-view" data-prefix="', at)
        if at < 0:
            return out
        prefix = html[at:].split('data-prefix="', 1)[1].split('"', 1)[0]
        body_start = html.index(">\n", at) + 2
        ends = [e for e in (html.find('<div class="segment-view"', body_start), html.find('<div class="period-view"', body_start),
                            html.index("</main>", body_start)) if e >= 0]
        out[prefix] = html[body_start:min(ends)]
        at = body_start


@pytest.mark.parametrize("unit", ["month", "week", "quarter"])
def test_period_switch_views_are_the_periods_reports(sample, unit):
    journeys, stages, m = sample
    html = m.report(period_switch=unit, models=["markov", "last_touch"])
    assert '<select id="jg-period" class="jg-switch">' in html and "jg-segment" not in html
    # The periods worked out by pandas from the journeys' first touches (UTC calendar; ISO weeks from Monday).
    start = pd.to_datetime(journeys.to_frame()["start_time"], utc=True).dt.tz_localize(None)
    if unit == "month":
        begin = start.dt.to_period("M").dt.start_time
        label = begin.dt.strftime("%Y-%m")
        end = begin + pd.offsets.MonthBegin(1)
    elif unit == "quarter":
        begin = start.dt.to_period("Q").dt.start_time
        label = begin.dt.year.astype(str) + "-Q" + begin.dt.quarter.astype(str)
        end = begin + pd.offsets.QuarterBegin(1, startingMonth=1)
    else:
        begin = start.dt.normalize() - pd.to_timedelta(start.dt.weekday, unit="D")
        iso = (begin + pd.Timedelta(days=3)).dt.isocalendar()
        label = iso["year"].astype(str) + "-W" + iso["week"].astype(int).map("{:02d}".format)
        end = begin + pd.Timedelta(days=7)
    periods = sorted({(b, e, lab) for b, e, lab in zip(begin, end, label)})
    views = _views(html, "period")
    assert list(views) == [""] + [f"p{k}-" for k in range(len(periods))]
    total = 0
    for k, (b, e, lab) in enumerate(periods):
        assert f'<option value="p{k}-">{lab}</option>' in html
        part = jg.time_window(journeys, b, e)
        total += len(part)
        alone = jg.JourneyMap(part, stages=stages).report(models=["markov", "last_touch"])
        body = alone[alone.index("<main>") + len("<main>\n"):alone.index("</main>")]
        page, ref = Page(views[f"p{k}-"]), Page(body)
        assert sorted(page.tables) == sorted(f"p{k}-{t}" if f"p{k}-{t}" in page.tables else t for t in ref.tables)
        for table in ref.tables:  # every table of the page: attribution, models, paths, funnel, ...
            mine, theirs = page.tables.get(f"p{k}-{table}", page.tables.get(table)), ref.tables[table]
            assert mine["head"] == theirs["head"]
            assert len(mine["rows"]) == len(theirs["rows"])
            for r1, r2 in zip(mine["rows"], theirs["rows"]):
                for (_, t1, v1), (_, t2, v2) in zip(r1, r2):
                    assert t1 == t2
                    if v1 is not None and v1 != "null":
                        assert float(v1) == pytest.approx(float(v2), abs=1e-12, rel=1e-12)
                    else:
                        assert v1 == v2
    assert total == len(journeys)
    assert "http" not in html.split("<script>")[-1]  # switched offline


def test_period_switch_instants_empty_periods_and_errors(sample):
    journeys, stages, m = sample
    start = pd.to_datetime(journeys.to_frame()["start_time"], utc=True).dt.tz_localize(None)
    lo, hi = start.min(), start.max()
    middle = (lo + (hi - lo) / 2).floor("D")
    cuts = [pd.Timestamp("2001-01-01"), middle, hi + pd.Timedelta(days=400)]
    html = m.report(period_switch=cuts)
    texts = [c.isoformat() for c in cuts]
    # Before the first cut and after the last there are no journeys: left out, and counted in the notes.
    assert f"2 periods without journeys left out of the period menu: before {texts[0]}, from {texts[2]} on." in html
    assert f'<option value="p0-">from {texts[0]} to {texts[1]}</option>' in html
    assert f'<option value="p1-">from {texts[1]} to {texts[2]}</option>' in html
    views = _views(html, "period")
    assert len(views) == 3
    before = (start < middle).sum()
    assert f'>{before:,}<' in views["p0-"] or f'>{before}<' in views["p0-"]
    # The same periods from text, and from the CLI's parser: one rule.
    assert m.report(period_switch=",".join(texts)) == html
    with pytest.raises(jg.JourneyGraphError, match="period-switch"):
        m.report(period_switch="fortnight")
    with pytest.raises(jg.JourneyGraphError, match="must increase"):
        m.report(period_switch=[cuts[1], cuts[0]])
    untimed = jg.JourneyMap(jg.Journeys.from_paths(pd.DataFrame(
        {"path": ["a > b", "b"], "total_conversions": [1, 0], "total_null": [1, 2]})))
    with pytest.raises(jg.JourneyGraphError, match="no timestamps"):
        untimed.report(period_switch="month")


def test_period_and_segment_switch_together(sample):
    journeys, _, m = sample
    html = m.report(segment_switch=True, period_switch="quarter")
    assert 'id="jg-segment"' in html and 'id="jg-period"' in html
    assert len(_views(html, "segment")) == 1 + len(journeys.segments)
    assert len(_views(html, "period")) >= 1
    ids = [x.split('"')[0] for x in html.split(' id="')[1:]]
    assert len(ids) == len(set(ids))


def test_cli_report_period_switch(cli, tmp_path):
    events = tmp_path / "events.csv"
    jg.datasets.sample_events(800, seed=2).to_csv(events, index=False)
    out = tmp_path / "report.html"
    done = subprocess.run([str(cli), "report", str(events), "--events", "-o", str(out), "--period-switch", "month",
                           "--quiet"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    journeys = jg.Journeys.from_events(jg.datasets.sample_events(800, seed=2))
    menu = html[html.index('<select id="jg-period"'):]
    menu = menu[:menu.index("</select>")]
    ref = jg.JourneyMap(journeys).report(period_switch="month")
    assert menu.count("<option") >= 2 and menu in ref and html.count('class="period-view"') == menu.count("<option")
    bad = subprocess.run([str(cli), "report", str(events), "--events", "-o", str(out), "--period-switch", "monthly"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "--period-switch" in bad.stderr and "monthly" in bad.stderr
