"""`primary_chart()` (and so `autoviz chart`) returns the run's first chart: the very spec the real Dagster job
writes to its first chart's .vl.json, data inline, for questions whose first chart is each kind of chart."""

import json
from pathlib import Path

import dagster as dg
import pytest

from autoviz_pipeline.api import NoChartError, primary_chart
from autoviz_pipeline.contracts import ValidatedPlan
from autoviz_pipeline.defs.resources import LLMResource, PipelineSettings
from autoviz_pipeline.execution import execute_plan, first_chart_spec
from tests.conftest import EXAMPLES
from tests.dagster_support import question_config, run_partition
from tests.plan_steps import typed_step

QUESTIONS = [  # (file, question, the first chart's mark, a field it draws)
    ("december_revenue.csv", "revenue totals by region and product type", "bar", "product_category"),
    ("daily_visitors.csv", "monthly visitors by channel", "line", "channel"),
    ("sensor_readings.csv", "temperature vs humidity scatter", "point", "vibration_mm_s"),
    ("december_revenue.csv", "histogram of revenue", "bar", "revenue_end"),  # binned: the bins' ends
    ("december_revenue.csv", "box plot of revenue by region", "rule", "region"),  # box plots: layers over stats
    ("december_revenue.csv", "share of revenue by product category as a pie chart", "arc", "product_category"),
    ("december_revenue.csv", "heatmap of revenue by region and product category", "rect", "region"),
    ("sensor_readings.csv", "are there unusual temperature readings?", "point", "temperature_c"),
]


@pytest.fixture(scope="module")
def instance():
    with dg.instance_for_test() as inst:
        yield inst


def _mark(spec: dict) -> str:
    mark = spec["mark"] if "mark" in spec else spec["layer"][0]["mark"]
    return mark if isinstance(mark, str) else mark["type"]


@pytest.mark.parametrize("csv,question,mark,field", QUESTIONS, ids=[q[1][:32] for q in QUESTIONS])
def test_primary_chart_is_the_spec_the_run_writes_for_its_first_chart(instance, tmp_path, csv, question, mark,
                                                                       field):
    result = run_partition(
        instance, csv, llm=LLMResource(), storage=tmp_path / "storage", run_config=question_config(
            EXAMPLES / csv, question),
        settings=PipelineSettings(inbox_dir=str(tmp_path / "inbox"), outputs_dir=str(tmp_path / "out")))
    report = result.output_for_node("analysis_report")
    first = json.loads(Path(report.manifest).read_text())["charts"][0]
    written = json.loads((Path(report.out_dir) / first["spec_path"]).read_text(encoding="utf-8"))

    spec = primary_chart(EXAMPLES / csv, question)

    assert spec == written
    assert _mark(spec) == mark and spec["data"]["values"]  # the chart asked for, its rows inline
    assert field in spec["data"]["values"][0]


def test_a_failing_chart_step_is_skipped_as_the_run_skips_it(december_profile, tmp_path):
    """The run records a chart step that fails and goes on: its first chart is the next chart step's."""
    broken = typed_step("broken", "bar_chart", x="no_such_column")
    table = typed_step("table", "aggregate_table", group_by=["region"])
    pie = typed_step("pie", "pie_chart", category="region", value="revenue")
    plan = ValidatedPlan(steps=[broken, table, pie])
    failed = []

    spec = first_chart_spec(plan, december_profile, failed=failed)

    run = execute_plan(plan, december_profile, tmp_path)
    assert [f.step for f in run.failed] == [f.step for f in failed] == ["broken"]
    first = next(r for r in run.results if r.kind == "chart")
    assert spec == json.loads((tmp_path / first.spec_path).read_text(encoding="utf-8"))
    assert spec["mark"] == "arc"


def test_no_chart_is_a_clear_error_not_a_guess(tmp_path):
    """Free text only (too many distinct values to group by): the plan holds a summary table and no chart."""
    notes = tmp_path / "notes.csv"
    notes.write_text("note\n" + "".join(f"free text number {i} with words\n" for i in range(1200)), encoding="utf-8")
    with pytest.raises(NoChartError, match=r"notes.csv: the run draws no chart for this question \(the plan holds "
                                           r"summary_statistics, no chart\)"):
        primary_chart(notes, "what do the notes say?")
