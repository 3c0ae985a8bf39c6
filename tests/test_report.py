"""Tests for the report stage: files, manifest content, escaping, atomic writes."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from autoviz_pipeline import report as report_mod
from autoviz_pipeline.contracts import (
    AdaptedPlan,
    ChartSpec,
    ColumnMatch,
    ColumnProfile,
    DatasetProfile,
    DroppedStep,
    Encoding,
    ExecutionResult,
    FilterSpec,
    IntentResult,
    LLMCall,
    Manifest,
    Plan,
    PlanChange,
    ProposedStep,
    ReadOptions,
    Repair,
    Report,
    StepResult,
    TopValue,
    ValidatedPlan,
)
from autoviz_pipeline.report import html_escape, markdown_escape, render_report
from autoviz_pipeline.tools import get_tool
from tests.plan_steps import typed_step
from tests.test_report_interactive import only_our_scripts

EVIL_COL = "<script>alert(1)</script>"
LINK_COL = "[click](http://evil)"
EVIL_QUESTION = "Revenue by region <img src=x onerror=alert(1)> please"
EVIL_CELL = '<b onmouseover="alert(2)">North</b>'
EVIL_FINDING = "West leads <iframe src=javascript:alert(3)></iframe> with 42% | of *revenue*"
# strings that must never reach the HTML unescaped
HTML_HOSTILE = [EVIL_COL, "<img src=x onerror=alert(1)>", EVIL_CELL, "<iframe", 'onmouseover="alert(2)"']
# strings that must never reach the Markdown unescaped
MD_HOSTILE = [EVIL_COL, LINK_COL, "<img src=x onerror=alert(1)>", EVIL_CELL, EVIL_FINDING]

REQUIRED_KEYS = {
    "question",
    "dataset",
    "profile",
    "intent",
    "plan",
    "charts",
    "tables",
    "repairs",
    "dropped",
    "llm_calls",
    "timings",
    "created_at",
    "autoviz_version",
}


# --------------------------------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------------------------------
def _save_png(path: Path, color: str = "tab:blue") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig = Figure(figsize=(3, 2), dpi=50)
    ax = fig.add_subplot()
    ax.bar(["North", "West"], [3.0, 5.0], color=color)
    fig.savefig(path, format="png")


def _profile() -> DatasetProfile:
    return DatasetProfile(
        path="data/inbox/sales.csv",
        name="sales.csv",
        sha256="ab" * 32,
        size_bytes=1234,
        rows=3,
        columns=[
            ColumnProfile(
                name=EVIL_COL,
                dtype="object",
                role="categorical",
                count=3,
                nulls=0,
                distinct=2,
                top_values=[TopValue(value=EVIL_CELL, count=2)],
            ),
            ColumnProfile(
                name=LINK_COL, dtype="float64", role="numeric", count=2, nulls=1, distinct=2, min=1.5, max=9.25
            ),
        ],
        read_options=ReadOptions(encoding="utf-8", delimiter=","),
        notes=["parsed <note> fine"],
    )


def _intent(question: str = EVIL_QUESTION) -> IntentResult:
    return IntentResult(
        question=question,
        intent="comparative_analysis",
        confidence=0.87,
        source="offline",
        matches=[
            ColumnMatch(phrase="region", column=EVIL_COL, method="fuzzy", score=0.8),
            ColumnMatch(phrase="revenue", column=LINK_COL, method="exact", score=1.0),
        ],
        filters=[FilterSpec(column=EVIL_COL, op="neq", value=EVIL_CELL)],
        aggregate="sum",
        chart=ChartSpec(mark="bar", x=Encoding(field=EVIL_COL), y=Encoding(field=LINK_COL, aggregate="sum")),
        notes=["a <b>note</b>"],
    )


def _plans() -> tuple[AdaptedPlan, ValidatedPlan]:
    s1 = ProposedStep(id="s1", tool="bar_chart", params={"x": "regoin", "y": LINK_COL}, title="Revenue by region",
                      origin="question")
    s2 = ProposedStep(id="s2", tool="summary_table", params={"column": LINK_COL})
    s3 = ProposedStep(id="s3", tool="scatter", params={"x": "nope", "y": "nada"})
    s4 = ProposedStep(id="s4", tool="histogram", params={"column": LINK_COL})
    before = Plan(intent="comparative_analysis", template="comparative_analysis", steps=[s2, s3, s4])
    adapted = AdaptedPlan(
        before=before,
        steps=[s1, s2, s3, s4],
        changes=[PlanChange(op="add", step="s1", detail="chart the question asks for")],
    )
    validated = ValidatedPlan(
        steps=[typed_step("s1", "bar_chart", x=EVIL_COL, y=LINK_COL, title="Revenue by region", origin="question"),
               typed_step("s2", "summary_statistics", columns=[LINK_COL]),
               typed_step("s4", "histogram", column=LINK_COL)],
        repairs=[Repair(step="s1", param="x", original="regoin", repaired=EVIL_COL, score=0.83, method="fuzzy")],
        dropped=[DroppedStep(step="s3", reason="no column like 'nope' <x>", tool="scatter")],
    )
    return adapted, validated


def _spec() -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "mark": "bar",
        "data": {"values": [{EVIL_COL: EVIL_CELL, LINK_COL: 3.0}, {EVIL_COL: "West", LINK_COL: float("nan")}]},
        "encoding": {"x": {"field": EVIL_COL, "type": "nominal"}, "y": {"field": LINK_COL, "type": "quantitative"}},
    }


def _execution(out_dir: Path, *, absolute: bool) -> ExecutionResult:
    charts = out_dir / "charts"
    _save_png(charts / "s1.png")
    (charts / "s1.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'></svg>", encoding="utf-8")
    (charts / "s1.vl.json").write_text(json.dumps({"mark": "bar"}), encoding="utf-8")
    (charts / "s2.csv").write_text(f'"{EVIL_COL}",total\nNorth,3\n', encoding="utf-8")

    def p(rel: str) -> str:
        return str(out_dir / rel) if absolute else rel

    chart = StepResult(
        step="s1",
        tool="bar_chart",
        title="Revenue by <region>",
        kind="chart",
        finding=EVIL_FINDING,
        spec=_spec(),
        png=p("charts/s1.png"),
        svg=p("charts/s1.svg"),
        spec_path=p("charts/s1.vl.json"),
    )
    table = StepResult(
        step="s2",
        tool="summary_table",
        title="Summary",
        kind="table",
        finding="3 rows summarised",
        table_csv=p("charts/s2.csv"),
        table=[{EVIL_COL: EVIL_CELL, LINK_COL: 3.0, "note": "line1\nline2 | pipe"}]
        + [{EVIL_COL: f"r{i}", LINK_COL: float(i), "note": ""} for i in range(30)],
    )
    return ExecutionResult(
        out_dir=str(out_dir),
        results=[chart, table],
        failed=[DroppedStep(step="s4", reason="histogram crashed: <boom>", tool="histogram")],
    )


def _render(out_dir: Path, *, absolute: bool = False, question: str = EVIL_QUESTION) -> Report:
    adapted, validated = _plans()
    return render_report(
        question=question,
        profile=_profile(),
        intent=_intent(question),
        adapted=adapted,
        validated=validated,
        execution=_execution(out_dir, absolute=absolute),
        llm_calls=[
            LLMCall(stage="understand", backend="ollama", model="qwen<evil>", latency_ms=812.4, outcome="ok"),
            LLMCall(
                stage="adapt", backend="ollama", model="qwen", latency_ms=90.0, outcome="timeout", fallback_used=True
            ),
        ],
        timings={"profile": 0.12, "understand": 0.9, "execute": 1.5},
        out_dir=out_dir,
    )


@pytest.fixture
def rendered(tmp_path: Path) -> tuple[Path, Report]:
    out = tmp_path / "run"
    out.mkdir()
    return out, _render(out)


# --------------------------------------------------------------------------------------------------
# files and return value
# --------------------------------------------------------------------------------------------------
def test_files_exist_and_report_paths_are_absolute(rendered):
    out, rep = rendered
    for p in (rep.markdown, rep.html, rep.manifest, rep.first_chart_png):
        assert p is not None and Path(p).is_absolute() and Path(p).is_file()
    assert Path(rep.out_dir) == out.resolve()
    assert Path(rep.first_chart_png) == (out / "charts" / "s1.png").resolve()
    assert {Path(rep.markdown).name, Path(rep.html).name, Path(rep.manifest).name} == {
        "report.md",
        "report.html",
        "manifest.json",
    }


def test_no_temp_files_left(rendered):
    out, _ = rendered
    assert sorted(p.name for p in out.iterdir()) == ["charts", "manifest.json", "report.html", "report.md"]


# --------------------------------------------------------------------------------------------------
# manifest
# --------------------------------------------------------------------------------------------------
def test_manifest_keys_and_values(rendered):
    out, rep = rendered
    text = Path(rep.manifest).read_text(encoding="utf-8")
    m = json.loads(text)  # strictly valid JSON: NaN in the spec must have become null
    assert "NaN" not in text
    assert REQUIRED_KEYS <= m.keys()
    assert m["question"] == EVIL_QUESTION
    assert EVIL_COL in text  # ensure_ascii=False keeps text as is (JSON is not HTML)

    ds = m["dataset"]
    assert ds["name"] == "sales.csv" and ds["sha256"] == "ab" * 32 and ds["rows"] == 3
    assert ds["columns"] == [EVIL_COL, LINK_COL]
    assert ds["read_options"]["encoding"] == "utf-8" and ds["read_options"]["delimiter"] == ","
    assert m["profile"]["columns"][1]["max"] == 9.25

    it = m["intent"]
    assert (it["label"], it["confidence"], it["source"]) == ("comparative_analysis", 0.87, "offline")
    assert [x["column"] for x in it["matches"]] == [EVIL_COL, LINK_COL]
    assert it["filters"][0]["value"] == EVIL_CELL
    assert it["chart"]["mark"] == "bar"
    assert {"alternatives", "notes"} <= it.keys()

    plan = m["plan"]
    assert plan["template"] == "comparative_analysis"
    assert [s["id"] for s in plan["before"]] == ["s2", "s3", "s4"]
    assert [s["id"] for s in plan["after"]] == ["s1", "s2", "s3", "s4"]
    assert plan["changes"] == [{"op": "add", "step": "s1", "detail": "chart the question asks for"}]

    assert m["repairs"] == [
        {"step": "s1", "param": "x", "original": "regoin", "repaired": EVIL_COL, "score": 0.83, "method": "fuzzy"}
    ]
    dropped = {d["step"]: d for d in m["dropped"]}
    assert dropped.keys() == {"s3", "s4"}
    assert dropped["s4"]["stage"] == "execute" and "crashed" in dropped["s4"]["reason"]
    assert dropped["s3"]["stage"] != "execute"

    assert [c["stage"] for c in m["llm_calls"]] == ["understand", "adapt"]
    assert m["llm_calls"][1]["fallback_used"] is True
    assert m["timings"] == {"profile": 0.12, "understand": 0.9, "execute": 1.5}
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", m["created_at"])
    assert m["created_at"].endswith(("Z", "+00:00"))
    assert isinstance(m["autoviz_version"], str) and m["autoviz_version"]


MANIFEST_KEYS = ["question", "dataset", "profile", "intent", "understanding", "plan", "charts", "tables", "texts",
                 "first_chart_png", "repairs", "dropped", "llm_calls", "timings", "files", "created_at",
                 "autoviz_version"]
"""manifest.json's keys, in order, as the report wrote them before the manifest became a model."""


def test_manifest_round_trips_through_its_model(rendered):
    """manifest.json is ``Manifest.model_dump``: read back by the model it dumps to the same JSON, the proposed
    steps keep their params as proposed, and the validated ones come back as their tool's params model."""
    _, rep = rendered
    text = Path(rep.manifest).read_text(encoding="utf-8")
    manifest = Manifest.model_validate_json(text)
    assert manifest.model_dump(mode="json") == json.loads(text)
    assert list(json.loads(text)) == MANIFEST_KEYS
    assert manifest.plan.after[0].params == {"x": "regoin", "y": LINK_COL}
    bar, summary, histogram = manifest.plan.validated
    assert isinstance(bar.params, get_tool("bar_chart").params) and (bar.params.x, bar.params.y) == (EVIL_COL, LINK_COL)
    assert isinstance(summary.params, get_tool("summary_statistics").params) and summary.params.columns == [LINK_COL]
    assert json.loads(text)["plan"]["validated"][2]["params"] == histogram.params.model_dump() == {
        "filters": [], "column": LINK_COL, "bins": 20, "color": None}


def test_manifest_charts_and_tables(rendered):
    _, rep = rendered
    m = json.loads(Path(rep.manifest).read_text(encoding="utf-8"))
    assert [c["id"] for c in m["charts"]] == ["s1"]  # only chart results, in display order
    c = m["charts"][0]
    assert c["png"] == "charts/s1.png" and c["svg"] == "charts/s1.svg" and c["spec_path"] == "charts/s1.vl.json"
    assert c["title"] == "Revenue by <region>" and c["tool"] == "bar_chart" and c["finding"] == EVIL_FINDING
    assert c["spec"]["mark"] == "bar" and c["spec"]["data"]["values"][1][LINK_COL] is None
    assert [t["id"] for t in m["tables"]] == ["s2"]
    t = m["tables"][0]
    assert t["csv"] == "charts/s2.csv"
    assert 1 <= len(t["rows"]) <= 20 and t["rows"][0][EVIL_COL] == EVIL_CELL


def test_chart_order_follows_results(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    for name in ("a", "b", "c"):
        _save_png(out / "charts" / f"{name}.png")
    results = [
        StepResult(step=s, tool="bar_chart", title=s.upper(), kind="chart", png=f"charts/{s}.png", finding=f"f{s}")
        for s in ("c", "a", "b")
    ]
    adapted, validated = _plans()
    rep = render_report(
        question="q",
        profile=_profile(),
        intent=_intent("q"),
        adapted=adapted,
        validated=validated,
        execution=ExecutionResult(out_dir=str(out), results=results),
        llm_calls=[],
        timings={},
        out_dir=str(out),
    )
    m = json.loads(Path(rep.manifest).read_text(encoding="utf-8"))
    assert [c["id"] for c in m["charts"]] == ["c", "a", "b"]
    assert rep.first_chart_png == str((out / "charts" / "c.png").resolve())
    md = Path(rep.markdown).read_text(encoding="utf-8")
    assert md.index("## C") < md.index("## A") < md.index("## B")
    assert "**Answer:** fc" in md  # the first chart's finding leads the summary


def test_absolute_paths_become_relative(tmp_path):
    out = tmp_path / "abs"
    out.mkdir()
    rep = _render(out, absolute=True)
    m = json.loads(Path(rep.manifest).read_text(encoding="utf-8"))
    assert m["charts"][0]["png"] == "charts/s1.png"
    assert m["tables"][0]["csv"] == "charts/s2.csv"
    md = Path(rep.markdown).read_text(encoding="utf-8")
    assert "](charts/s1.png)" in md and str(out) not in md
    assert Path(rep.first_chart_png) == (out / "charts" / "s1.png").resolve()


# --------------------------------------------------------------------------------------------------
# html
# --------------------------------------------------------------------------------------------------
def test_html_self_contained_with_embedded_png(rendered):
    out, rep = rendered
    page = Path(rep.html).read_text(encoding="utf-8")
    b64 = base64.b64encode((out / "charts" / "s1.png").read_bytes()).decode("ascii")
    assert f"data:image/png;base64,{b64}" in page
    page = only_our_scripts(page)  # the vendored Vega scripts and the chart specs, allowed by the CSP
    assert "<script" not in page.lower()
    # no external resources: the only URL-ish text allowed is inside escaped spec text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page, re.I)
    assert "<link" not in page.lower()
    assert "<details>" in page and "Vega-Lite spec" in page


def test_html_escapes_hostile_text(rendered):
    _, rep = rendered
    page = only_our_scripts(Path(rep.html).read_text(encoding="utf-8"))
    for bad in HTML_HOSTILE:
        assert bad not in page, bad
    assert html_escape(EVIL_COL) in page
    assert html_escape(EVIL_QUESTION) in page
    assert html_escape(EVIL_CELL) in page
    assert html_escape(EVIL_FINDING) in page
    # the only tags are ours: every "<tag" in the page is from a fixed allow-list
    tags = {t.lower() for t in re.findall(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)", page)}
    allowed = {
        "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "strong", "section", "figure",
        "img", "details", "summary", "pre", "code", "table", "thead", "tbody", "tr", "th", "td", "ul", "li",
        "div", "a",
    }  # fmt: skip
    assert tags <= allowed, tags - allowed
    # links only to the full tables written beside the report (relative, no scheme), each one there
    for href in re.findall(r"<a\b[^>]*\bhref=\"([^\"]*)\"", page):
        assert re.fullmatch(r"[\w%-]+/[\w%.-]+\.csv", href) and (Path(rep.html).parent / href).is_file(), href
    # exactly one <img>, and it is the embedded PNG
    imgs = re.findall(r"<img\b[^>]*>", page)
    assert len(imgs) == 1 and 'src="data:image/png;base64,' in imgs[0]


def test_html_spec_is_escaped_json(rendered):
    _, rep = rendered
    page = Path(rep.html).read_text(encoding="utf-8")
    block = re.search(r"<details><summary>Vega-Lite spec</summary><pre><code>(.*?)</code></pre></details>", page, re.S)
    assert block is not None
    import html as _html

    spec = json.loads(_html.unescape(block.group(1)))
    assert spec["encoding"]["x"]["field"] == EVIL_COL


# --------------------------------------------------------------------------------------------------
# markdown
# --------------------------------------------------------------------------------------------------
def test_markdown_escape_unit():
    assert markdown_escape(LINK_COL) == r"\[click\]\(http\://evil\)"
    assert markdown_escape("<script>") == r"\<script\>"
    assert markdown_escape("a|b\nc") == r"a\|b c"
    assert markdown_escape("`x` *y* _z_") == r"\`x\` \*y\* \_z\_"
    assert markdown_escape("- item").startswith("\\-")
    assert markdown_escape("1. first") == r"1\. first"
    assert markdown_escape("---") == r"\---"
    assert markdown_escape("-3.25") == "-3.25" and markdown_escape("1.5") == "1.5"
    assert markdown_escape(None) == ""
    assert markdown_escape("plain text 3.5") == "plain text 3.5"


def test_bidi_overrides_are_neutralized_everywhere():
    """A right-to-left override in a cell or column name must not reverse the text after it in the report
    (HTML, Markdown) or the CLI's answer line; the letters themselves stay."""
    from autoviz_pipeline.report import html_escape, plain_text

    hostile = "West\u202e has the highest\u2066 x\u2069 \u202aok\u202c"
    for out in (markdown_escape(hostile), html_escape(hostile), plain_text(hostile)):
        assert not any(ch in out for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), out
        assert "West" in out and "has the highest" in out and "ok" in out
    assert plain_text("منطقة مبيعات") == "منطقة مبيعات"  # right-to-left text itself is text


def test_markdown_content_and_escaping(rendered):
    _, rep = rendered
    md = Path(rep.markdown).read_text(encoding="utf-8")
    assert md.startswith("# Revenue by region \\<img src=x onerror=alert\\(1\\)\\> please\n")
    for bad in MD_HOSTILE:
        assert bad not in md, bad
    # every "<" in the Markdown is backslash-escaped (the report's own text has none), so no raw HTML
    assert not re.search(r"(?<!\\)<", md)
    assert markdown_escape(LINK_COL) in md
    assert markdown_escape(EVIL_COL) in md
    # summary: the first chart's finding comes first, then dataset, shape and intent
    summary = next(line for line in md.splitlines() if line.startswith("**Answer:**"))
    assert summary.index(markdown_escape(EVIL_FINDING)) < summary.index("sales.csv")
    assert "3 rows × 2 columns" in summary and "comparative\\_analysis" in summary and "0.87" in summary
    # the chart, relative to out_dir
    assert "![Revenue by \\<region\\>](charts/s1.png)" in md
    # table preview: <= 20 rows, pipes and newlines escaped
    assert "line1 line2 \\| pipe" in md
    table_rows = [line for line in md.split("## Summary", 1)[1].split("\n## ", 1)[0].splitlines() if line.startswith("|")]
    assert 2 < len(table_rows) <= 22  # header + separator + <= 20 rows
    # sections
    for section in ("## How this was decided", "## Data profile", "### Repairs", "### Dropped steps", "### LLM calls"):
        assert section in md
    assert "regoin → " + markdown_escape(EVIL_COL) in md
    assert "histogram crashed" in md and "execute" in md
    assert "1.5 … 9.25" in md  # numeric min/max in the profile table
    assert markdown_escape(f"{EVIL_CELL} (2)") in md  # categorical top value


# --------------------------------------------------------------------------------------------------
# atomicity and re-rendering
# --------------------------------------------------------------------------------------------------
def test_rerender_overwrites_cleanly(rendered):
    out, first = rendered
    second = _render(out, question="Second question?")
    assert second.manifest == first.manifest
    m = json.loads(Path(second.manifest).read_text(encoding="utf-8"))
    assert m["question"] == "Second question?"
    assert Path(second.markdown).read_text(encoding="utf-8").startswith("# Second question?\n")
    assert EVIL_QUESTION not in Path(second.html).read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["charts", "manifest.json", "report.html", "report.md"]


def test_failed_write_keeps_old_files_and_no_temp(rendered, monkeypatch):
    out, rep = rendered
    before = {n: (out / n).read_bytes() for n in ("report.md", "report.html", "manifest.json")}

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(report_mod.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        _render(out, question="never written")
    monkeypatch.undo()
    assert {n: (out / n).read_bytes() for n in before} == before
    assert sorted(p.name for p in out.iterdir()) == ["charts", "manifest.json", "report.html", "report.md"]


def test_manifest_written_last(tmp_path, monkeypatch):
    out = tmp_path / "order"
    out.mkdir()
    order: list[str] = []
    real = report_mod.os.replace

    def spy(src, dst):
        order.append(Path(dst).name)
        return real(src, dst)

    monkeypatch.setattr(report_mod.os, "replace", spy)
    _render(out)
    assert order[-1] == "manifest.json" and set(order) == {"report.md", "report.html", "manifest.json"}


def test_missing_png_is_reported_not_fatal(tmp_path):
    out = tmp_path / "missing"
    out.mkdir()
    adapted, validated = _plans()
    rep = render_report(
        question="q",
        profile=_profile(),
        intent=_intent("q"),
        adapted=adapted,
        validated=validated,
        execution=ExecutionResult(
            out_dir=str(out),
            results=[StepResult(step="x", tool="bar_chart", title="X", kind="chart", png="charts/gone.png")],
        ),
        llm_calls=[],
        timings={},
        out_dir=out,
    )
    page = Path(rep.html).read_text(encoding="utf-8")
    assert "data:image/png" not in page and "missing" in page
    assert "No LLM was called." in Path(rep.markdown).read_text(encoding="utf-8")
