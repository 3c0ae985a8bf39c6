"""report.html draws every chart from its Vega-Lite spec (issue #13, point 5), checked in a real headless Chromium
driven over the DevTools protocol: every chart drawn with its marks, a tooltip on every mark, zoom and pan on the
scatter and line charts, no console error, no CSP violation, no request but the file itself, and the PNG when
JavaScript is off. The report comes from a small CSV written here, through the real stages (plan, execute,
report), with a column name and a cell value that try to end a <script> element.

Without Chromium (Debian's ``chromium``, or the one $AUTOVIZ_CHROMIUM names; ``.ci/run`` installs it) the browser
tests skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import html
import itertools
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from autoviz_pipeline.api import plan_for
from autoviz_pipeline.contracts import ValidatedPlan
from autoviz_pipeline.execution import execute_plan
from autoviz_pipeline.profiling import profile_dataset
from autoviz_pipeline.report import interactive_spec, render_report
from tests.plan_steps import typed_step

IN_CI = os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")
HOSTILE_COLUMN = "units</script><!--&"
HOSTILE_VALUE = "</script><script>alert(1)</script><!--"
REGIONS = ["North", "South", HOSTILE_VALUE]
PRODUCTS = ["a", "b", "c", "d"]
ROWS = 48  # every (region, product) pair 4 times; one row a week from 2024-01-01: January to November
STEPS = {
    "bar": ("bar_chart", {"x": "region", "y": HOSTILE_COLUMN, "color": "product"}),
    "line": ("line_chart", {"x": "day", "y": HOSTILE_COLUMN, "time_unit": "month"}),
    "scatter": ("scatter_plot", {"x": "price", "y": HOSTILE_COLUMN, "color": "region"}),
    "histogram": ("histogram", {"column": "price"}),
    "box": ("box_plot", {"column": HOSTILE_COLUMN, "by": "region"}),
    "pie": ("pie_chart", {"category": "product", "value": HOSTILE_COLUMN}),
    "heatmap": ("heatmap", {"x": "region", "y": "product", "value": HOSTILE_COLUMN}),
    "correlation": ("correlation_heatmap", {"columns": [HOSTILE_COLUMN, "price"]}),
    "anomaly": ("anomaly_detection", {"column": HOSTILE_COLUMN, "x": "day"}),
    "table": ("aggregate_table", {"group_by": ["region"], "value": HOSTILE_COLUMN}),
}
# data marks each chart draws, by the CSV above: 3 regions x 4 products, 48 rows, 11 months
EXPECTED_MARKS = {"bar": {"rect": 12}, "line": {"line": 1, "symbol": 11}, "scatter": {"symbol": 48},
                  "pie": {"arc": 4}, "heatmap": {"rect": 12}, "correlation": {"rect": 4}, "anomaly": {"symbol": 48}}


def _units(row: int) -> int:
    return (row * 7) % 23 + 1


def _csv(path: Path) -> Path:
    lines = [f'day,region,product,"{HOSTILE_COLUMN}",price']
    for i in range(ROWS):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=7 * i)
        lines.append(f'{day},"{REGIONS[i % 3]}",{PRODUCTS[i % 4]},{_units(i)},{(i * 37) % 97 + 0.5}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """report.html of one chart of each kind (and a table), through plan, execute and report."""
    work = tmp_path_factory.mktemp("interactive")
    profile = profile_dataset(_csv(work / "sales.csv"))
    assert HOSTILE_COLUMN in profile.column_names
    intent, adapted, _ = plan_for("units by region", profile)
    plan = ValidatedPlan(steps=[typed_step(k, tool, **p) for k, (tool, p) in STEPS.items()])
    execution = execute_plan(plan, profile, work / "out")
    assert not execution.failed, execution.failed
    return Path(render_report(question="units by region", profile=profile, intent=intent, adapted=adapted,
                              validated=plan, execution=execution, llm_calls=[], timings={},
                              out_dir=work / "out").html)


def _specs_in_page(page: str) -> dict[str, dict]:
    """The spec each chart's section carries for the browser, by step id."""
    found = re.findall(r'<section id="step-(\w+)">.*?<script type="application/json" class="vl-spec">(.*?)</script>',
                       page, re.S)
    return {step: json.loads(text) for step, text in found}


def only_our_scripts(page: str) -> str:
    """Check that the only scripts of a report page are its JSON chart specs and the scripts its CSP allows by
    hash (no 'unsafe-inline', no 'unsafe-eval', no src=), and return the page without them."""
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert csp is not None
    policy = dict((d.split()[0], d.split()[1:]) for d in html.unescape(csp.group(1)).split(";") if d.strip())
    assert policy["default-src"] == ["'none'"] and policy["img-src"] == ["data:"], policy
    assert all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", s) for s in policy.get("script-src", [])), policy
    for element in re.finditer(r"<script\b([^>]*)>(.*?)</script\s*>", page, re.S | re.I):
        attributes, text = element.groups()
        if attributes == ' type="application/json" class="vl-spec"':
            assert "<" not in text and isinstance(json.loads(text), dict)
        else:
            assert attributes == "", attributes
            digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
            assert f"'sha256-{digest}'" in policy["script-src"]
    return re.sub(r"<script\b[^>]*>.*?</script\s*>", "", page, flags=re.S | re.I)


# --------------------------------------------------------------------------------------------------
# the page as written (no browser)
# --------------------------------------------------------------------------------------------------
def test_specs_are_embedded_as_inert_json_that_keeps_the_hostile_text(report):
    page = report.read_text(encoding="utf-8")
    specs = _specs_in_page(page)
    assert set(specs) == set(STEPS) - {"table"}
    assert HOSTILE_VALUE not in page and "</script><!--" not in page  # escaped everywhere, in JSON as \u003c…
    rest = only_our_scripts(page)
    assert "<script" not in rest.lower()
    assert page.count("<script") == 5 + len(specs)  # vega, vega-lite, vega-interpreter, vega-embed, ours
    bar = specs["bar"]
    assert bar["encoding"]["y"]["field"] == HOSTILE_COLUMN  # JSON.parse (here json.loads) gives the text back
    assert HOSTILE_VALUE in {row["region"] for row in bar["data"]["values"]}


def test_page_specs_add_tooltips_and_zoom_to_the_tools_specs(report):
    specs = _specs_in_page(report.read_text(encoding="utf-8"))
    on_disk = json.loads((report.parent / "charts" / "01_bar.vl.json").read_text(encoding="utf-8"))
    assert "config" not in on_disk and specs["bar"]["data"] == on_disk["data"]  # the file stays the tools' spec
    for spec in specs.values():
        assert spec["config"]["mark"]["tooltip"] is True
    zooms = {step: [p for u in [s, *s.get("layer", [])] for p in u.get("params", [])] for step, s in specs.items()}
    assert zooms["scatter"] == zooms["anomaly"] == [
        {"name": "autoviz_zoom", "select": {"type": "interval", "encodings": ["x", "y"]}, "bind": "scales"}]
    assert zooms["line"][0]["select"]["encodings"] == ["x"]  # y is a sum per month: it cannot be bound
    assert not any(zooms[k] for k in ("bar", "histogram", "box", "pie", "heatmap", "correlation"))
    assert specs["line"]["mark"] == {"type": "line", "point": {"filled": True, "opacity": 0, "size": 80}}
    # as wide as the page, but a grid of categories in 40 px cells and a pie in Vega-Lite's own size
    assert {k for k, spec in specs.items() if spec.get("width") == "container"} == {
        "bar", "line", "scatter", "histogram", "box", "anomaly"}
    assert specs["heatmap"]["width"] == specs["correlation"]["height"] == {"step": 40} and "width" not in specs["pie"]


def test_a_report_without_charts_carries_no_script(tmp_path):
    profile = profile_dataset(_csv(tmp_path / "sales.csv"))
    intent, adapted, _ = plan_for("units by region", profile)
    tool, params = STEPS["table"]
    plan = ValidatedPlan(steps=[typed_step("table", tool, **params)])
    execution = execute_plan(plan, profile, tmp_path / "out")
    report = render_report(question="q", profile=profile, intent=intent, adapted=adapted, validated=plan,
                           execution=execution, llm_calls=[], timings={}, out_dir=tmp_path / "out")
    page = Path(report.html).read_text(encoding="utf-8")
    assert "<table>" in page and "<script" not in page  # no chart to draw: none of Vega's 0.8 MB


def test_interactive_spec_finds_the_layer_to_zoom_and_leaves_its_input_alone():
    spec = {"encoding": {"x": {"field": "t", "type": "temporal"}, "y": {"field": "v", "type": "quantitative"}},
            "layer": [{"mark": "rule", "encoding": {"y": {"datum": 0, "type": "quantitative"}}},
                      {"mark": {"type": "area", "color": "red"}}, {"mark": "point"}],
            "config": {"mark": {"color": "black"}}}
    before = json.dumps(spec)
    page = interactive_spec(spec)
    assert json.dumps(spec) == before
    assert page["config"]["mark"] == {"color": "black", "tooltip": True}
    assert "params" not in page["layer"][0] and "params" not in page["layer"][2]  # one binding, on the area
    assert page["layer"][1]["params"][0]["select"]["encodings"] == ["x", "y"]
    assert page["layer"][1]["mark"]["point"]["opacity"] == 0 and page["layer"][1]["mark"]["color"] == "red"
    binned = {"mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative", "bin": True},
                                            "y": {"field": "b", "type": "quantitative"}}}
    assert "params" not in interactive_spec(binned)


# --------------------------------------------------------------------------------------------------
# in Chromium
# --------------------------------------------------------------------------------------------------
def _chromium() -> str:
    """Chromium's path: $AUTOVIZ_CHROMIUM if set, else ``chromium`` on PATH or /usr/bin/chromium."""
    wanted = os.environ.get("AUTOVIZ_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    found = wanted if Path(wanted).is_file() else None
    if found is None:
        message = f"no chromium at {wanted} (apt-get install -y --no-install-recommends chromium; .ci/run does)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


class _DevTools:
    """Headless Chromium and a minimal client of its DevTools protocol (one page, flat sessions)."""

    def __init__(self, executable: str, work: Path) -> None:
        profile, self.log, self.closing = work / "profile", work / "chromium.log", contextlib.ExitStack()
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--remote-debugging-port=0",
                 f"--user-data-dir={profile}", "about:blank"], stdout=log, stderr=subprocess.STDOUT)
        try:
            self._connect(profile / "DevToolsActivePort")
        except BaseException:
            self.close()  # no browser left behind by a failed start
            raise

    def _connect(self, port_file: Path) -> None:
        from websockets.sync.client import connect

        deadline = time.monotonic() + 60
        while not (port_file.is_file() and len(port_file.read_text().split()) == 2):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chromium did not start: {self.log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.05)
        port, path = port_file.read_text().split()
        self.ws = self.closing.enter_context(connect(f"ws://127.0.0.1:{port}{path}", max_size=None, open_timeout=30))
        self.ids = itertools.count(1)
        self.events: list[dict] = []
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=None)["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True}, session=None)[
            "sessionId"]

    def call(self, method: str, params: dict | None = None, *, session: str | None | bool = True) -> dict:
        message_id = next(self.ids)
        message = {"id": message_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + 60
        while True:
            reply = json.loads(self.ws.recv(timeout=max(0.01, deadline - time.monotonic())))
            if reply.get("id") != message_id:
                self.events.append(reply)
            elif "error" in reply:
                raise RuntimeError(f"{method}: {reply['error']}")
            else:
                return reply["result"]

    def js(self, expression: str):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def open(self, url: str, *, until: str) -> None:
        self.call("Page.navigate", {"url": url})
        deadline = time.monotonic() + 60
        while not self.js(f"document.readyState === 'complete' && ({until})"):
            assert time.monotonic() < deadline, f"not true after 60 s: {until}"
            time.sleep(0.1)

    def mouse(self, kind: str, x: float, y: float, **more) -> None:
        self.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, **more})

    def close(self) -> None:
        self.closing.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# a chart is settled when drawn from its spec, or when drawing failed (the page removes the view, keeps the PNG)
SETTLED = ("[...document.querySelectorAll('figure.chart')].every(f => !f.querySelector('script.vl-spec')"
           " || !f.querySelector('.vl-view') || f.querySelector('.vl-view svg.marks'))")
RECORD = """window.__csp = []; window.__alerts = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
window.alert = m => window.__alerts.push(String(m));"""
# per chart: its step, whether its PNG is still there, and each data mark's type, item count and items with tooltip
CHARTS = """[...document.querySelectorAll('figure.chart')].map(f => ({
  step: f.closest('section').id.slice(5), image: !!f.querySelector('img'),
  marks: [...f.querySelectorAll('.vl-view svg.marks g.role-mark')].map(g => ({
    type: [...g.classList].find(c => c.startsWith('mark-')).slice(5), items: g.children.length,
    tooltips: [...g.children].filter(e => e.__data__ && e.__data__.tooltip != null).length}))}))"""


@contextlib.contextmanager
def opened(page: Path, work: Path):
    """A headless Chromium showing ``page`` once every chart of it is drawn (or has failed to be)."""
    devtools = _DevTools(_chromium(), work)
    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            devtools.call(f"{domain}.enable")
        devtools.call("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD})
        devtools.open(page.as_uri(), until=SETTLED)
        yield devtools
    finally:
        devtools.close()


@pytest.fixture(scope="module")
def browser(report, tmp_path_factory):
    with opened(report, tmp_path_factory.mktemp("chromium")) as devtools:
        yield devtools


def _axis_labels(browser: _DevTools, step: str) -> list[str]:
    return browser.js(f"[...document.querySelectorAll('#step-{step} .vl-view g.role-axis-label text')]"
                      ".map(t => t.textContent)")


def _plot_centre(browser: _DevTools, step: str) -> tuple[float, float]:
    box = browser.js(f"(b => [b.x + b.width / 2, b.y + b.height / 2])(document.querySelector("
                     f"'#step-{step} .vl-view g.role-mark').closest('g.mark-group').getBoundingClientRect())")
    return box[0], box[1]


def test_every_chart_is_drawn_from_its_spec_with_a_tooltip_on_every_mark(browser):
    charts = browser.js(CHARTS)
    assert [c["step"] for c in charts] == [k for k in STEPS if k != "table"]
    for chart in charts:
        assert not chart["image"], f"{chart['step']}: still the PNG"
        assert chart["marks"] and all(m["items"] for m in chart["marks"]), chart
        assert all(m["tooltips"] == m["items"] for m in chart["marks"]), chart
    drawn = {c["step"]: {t: sum(m["items"] for m in c["marks"] if m["type"] == t) for t in {m["type"] for m in c[
        "marks"]}} for c in charts}
    for step, marks in EXPECTED_MARKS.items():
        assert drawn[step] == marks, step
    assert drawn["box"]["rule"] == 6 and drawn["box"]["rect"] == 6  # 3 regions: 2 whiskers, a box, a median
    assert drawn["histogram"]["rect"] >= 5


def test_no_console_error_csp_violation_or_request_but_the_file(browser, report):
    assert browser.js("window.__csp") == [] and browser.js("window.__alerts") == []
    logged = [e["params"] for e in browser.events if e.get("method") in (
        "Runtime.exceptionThrown", "Log.entryAdded", "Runtime.consoleAPICalled")]
    assert not logged, logged
    urls = [e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"]
    assert urls[0] == report.as_uri() and all(u.startswith("data:image/png;base64,") for u in urls[1:]), urls[:3]


def _hover(browser: _DevTools, step: str, region: str) -> tuple[dict, dict[str, str], list[str]]:
    """Hover the centre of a mark of ``region`` in a chart that no other mark covers: the mark's datum, the
    tooltip's rows (key: value) and the tags inside the tooltip."""
    browser.js(f"document.querySelector('#step-{step} .vl-view').scrollIntoView()")
    found = browser.js(f"""(() => {{
      for (const p of document.querySelectorAll('#step-{step} g.role-mark path')) {{
        const b = p.getBoundingClientRect(), x = b.x + b.width / 2, y = b.y + b.height / 2;
        if (p.__data__.datum.region === {json.dumps(region)} && document.elementFromPoint(x, y) === p)
          return [x, y, p.__data__.datum];
      }}}})()""")
    assert found is not None, f"no uncovered mark of {region} in {step}"
    browser.mouse("mouseMoved", found[0], found[1])
    deadline = time.monotonic() + 10
    while not browser.js("!!document.querySelector('#vg-tooltip-element.visible')"):
        assert time.monotonic() < deadline, "no tooltip"
        time.sleep(0.05)
    rows, tags = browser.js("(t => [[...t.querySelectorAll('tr')].map(r => [...r.cells].map(c => c.textContent)),"
                            " [...t.querySelectorAll('*')].map(e => e.localName)])"
                            "(document.querySelector('#vg-tooltip-element'))")
    browser.mouse("mouseMoved", 0, 0)
    return found[2], dict(rows), tags


def test_a_hovered_point_shows_its_values_as_text(browser):
    datum, rows, tags = _hover(browser, "scatter", HOSTILE_VALUE)
    assert rows == {"price": f"{datum['price']:g}", HOSTILE_COLUMN: f"{datum[HOSTILE_COLUMN]:g}",
                    "region": HOSTILE_VALUE}
    assert set(tags) <= {"table", "tbody", "tr", "td"}, tags  # the text stayed text


def test_a_hovered_bar_shows_its_group_and_sum_but_not_the_stack_order(browser):
    datum, rows, _ = _hover(browser, "bar", "North")
    assert "__stack" in datum  # the spec orders the stack by this internal field; the tooltip leaves it out
    total = sum(_units(i) for i in range(ROWS) if REGIONS[i % 3] == "North" and PRODUCTS[i % 4] == datum["product"])
    assert rows == {"region": "North", f"Sum of {HOSTILE_COLUMN}": str(total), "product": datum["product"]}


@pytest.mark.parametrize("step", ["scatter", "line"])
def test_scatter_and_line_charts_zoom_with_the_wheel_and_pan_by_dragging(browser, step):
    browser.js(f"document.querySelector('#step-{step}').scrollIntoView()")
    x, y = _plot_centre(browser, step)
    before = _axis_labels(browser, step)
    browser.mouse("mouseWheel", x, y, deltaX=0, deltaY=-500)
    browser.js("new Promise(r => setTimeout(r, 300))")
    zoomed = _axis_labels(browser, step)
    assert zoomed != before
    browser.mouse("mousePressed", x, y, button="left", clickCount=1)
    for dx in range(10, 110, 10):
        browser.mouse("mouseMoved", x + dx, y, button="left", buttons=1)
    browser.mouse("mouseReleased", x + 100, y, button="left", clickCount=1)
    browser.js("new Promise(r => setTimeout(r, 300))")
    assert _axis_labels(browser, step) != zoomed


def test_a_bar_chart_does_not_zoom(browser):
    browser.js("document.querySelector('#step-bar').scrollIntoView()")
    x, y = _plot_centre(browser, "bar")
    before = _axis_labels(browser, "bar")
    browser.mouse("mouseWheel", x, y, deltaX=0, deltaY=-500)
    browser.js("new Promise(r => setTimeout(r, 300))")
    assert _axis_labels(browser, "bar") == before and any(_shows(label, HOSTILE_VALUE) for label in before)


def _shows(label: str, value: str) -> bool:
    """Is the axis label the value as text, whole or cut short with "…" (Vega cuts a label to its limit, where
    depends on the fonts the browser has)?"""
    return label == value or (label.endswith("…") and len(label) > 10 and value.startswith(label[:-1]))


def test_without_javascript_every_chart_is_its_png(browser, report):
    browser.call("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.open(report.as_uri(), until="true")
        images = browser.js("[...document.querySelectorAll('figure.chart')].map(f => [...f.querySelectorAll('img')]"
                            ".map(i => i.complete && i.naturalWidth > 0))")
    finally:
        browser.call("Emulation.setScriptExecutionDisabled", {"value": False})
    assert images == [[True]] * (len(STEPS) - 1)
