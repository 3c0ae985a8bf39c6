"""report.html keeps its cap (issue #14, point 1) whatever the charts weigh: chart images first, then table
previews, then spec listings are embedded while they fit; what does not fit is linked, and the page says so."""

from __future__ import annotations

import json
import os
from pathlib import Path

from autoviz_pipeline.contracts import ExecutionResult, StepResult
from autoviz_pipeline.report import _fit, _Fits, render_report
from autoviz_pipeline.tools.caps import CAPS

from tests.test_report import _intent, _plans, _profile

PNG_HEAD = b"\x89PNG\r\n\x1a\n"


def _heavy_execution(out: Path, charts: int) -> ExecutionResult:
    """Charts of a 990 KB PNG and a ~1 MB spec each (the caps allow both), and one table."""
    (out / "charts").mkdir(parents=True)
    results = []
    for i in range(charts):
        (out / "charts" / f"{i:02d}.png").write_bytes(PNG_HEAD + os.urandom(990_000))
        spec = {"mark": "point", "data": {"values": [{"label": f"row {j} " + "x" * 150} for j in range(5000)]}}
        (out / "charts" / f"{i:02d}.vl.json").write_text(json.dumps(spec, indent=2), encoding="utf-8")
        results.append(StepResult(step=f"c{i}", tool="scatter_plot", title=f"Chart {i}", kind="chart", finding="f",
                                  png=f"charts/{i:02d}.png", spec_path=f"charts/{i:02d}.vl.json"))
    results.append(StepResult(step="t", tool="aggregate_table", title="Table", kind="table", finding="t",
                              table=[{"a": 1, "b": "two"}]))
    return ExecutionResult(out_dir=str(out), results=results)


def _render(out: Path, charts: int):
    adapted, validated = _plans()
    return render_report(question="q", profile=_profile(), intent=_intent("q"), adapted=adapted,
                         validated=validated, execution=_heavy_execution(out, charts), llm_calls=[], timings={},
                         out_dir=out)


def test_report_html_keeps_its_cap_embedding_images_first(tmp_path):
    report = _render(tmp_path, charts=8)
    page = Path(report.html).read_text(encoding="utf-8")
    assert len(page.encode("utf-8")) <= CAPS.report_html_bytes
    images = page.count('<img src="data:image/png;base64,')
    assert images == 7  # 1.32 MB each once base64-encoded: the first seven fit
    assert page.count("<table>") >= 1 and "Table preview not embedded" not in page
    assert 'Chart image not embedded: report.html is kept within 10 MB: <a href="charts/07.png">' in page
    assert "Vega-Lite spec not embedded" in page and "<summary>Vega-Lite spec</summary>" not in page
    assert "<script" not in page  # no room for Vega's scripts (~0.8 MB) beside the images: the charts stay PNGs


def test_a_light_report_embeds_everything(tmp_path):
    page = Path(_render(tmp_path, charts=2).html).read_text(encoding="utf-8")
    assert page.count('<img src="data:image/png;base64,') == 2 and page.count("<summary>Vega-Lite spec</summary>") == 2
    assert "not embedded" not in page
    # both charts drawn from their specs too, by Vega's scripts, once: four vendored and the page's own
    assert page.count('<script type="application/json" class="vl-spec">') == 2 and page.count("<script>") == 5


def test_a_part_is_shown_only_with_what_it_needs_and_what_is_needed_only_with_it():
    # sizes with their line breaks: text 11, runtime 50, specs 20 each, a left-out part 1: 14 with none shown
    runtime = _Fits("R" * 49, "", rank=2)
    specs = [_Fits("S" * 19, "", rank=2, needs=runtime), _Fits("T" * 19, "", rank=2, needs=runtime)]
    page = ["x" * 10, *specs, runtime]
    assert _fit(page, 81) == "x" * 10 + "\n\n\n\n"  # room for a spec (33), not for a spec with its runtime (82)
    assert _fit(page, 82) == "\n".join(["x" * 10, "S" * 19, "", "R" * 49]) + "\n"
    assert _fit(page, 101) == "\n".join(["x" * 10, "S" * 19, "T" * 19, "R" * 49]) + "\n"  # the runtime once
