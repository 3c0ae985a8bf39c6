"""Execution: exported tables are inert in spreadsheets, one failing step never stops the others."""

import csv
from pathlib import Path

import pandas as pd

from autoviz_pipeline.contracts import ValidatedPlan
from autoviz_pipeline.execution import execute_plan, neutralize_formulas
from autoviz_pipeline.profiling import profile_dataset
from tests.plan_steps import typed_step


def test_neutralize_formulas_keeps_numbers_and_says_how_many():
    table = pd.DataFrame({
        '=HYPERLINK("http://evil","x")': ["=1+2", "-3.5", "ok", "@SUM(A1)", None, "-x", "+cmd|' /C calc'!A0"],
        "n": [1, -2, 3, 4, 5, 6, 7],
        "c": pd.Categorical(["\tx", "b", "b", "b", "b", "b", "b"]),
    })
    out, count = neutralize_formulas(table)
    assert count == 6  # four formula cells, one tab cell, one header
    assert out.columns[0] == "'" + table.columns[0]
    assert out.iloc[:, 0].tolist()[:4] == ["'=1+2", "-3.5", "ok", "'@SUM(A1)"]
    assert out["n"].tolist() == table["n"].tolist() and table.iloc[0, 0] == "=1+2"  # the original is untouched


def test_exported_csv_is_inert_and_a_failing_step_does_not_stop_the_rest(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("name,amount\n" + "".join(f"{'=cmd|x' if i % 2 else 'ok'},{i}\n" for i in range(10)))
    profile = profile_dataset(path)
    plan = ValidatedPlan(steps=[
        typed_step("broken", "histogram", column="name"),
        typed_step("table", "aggregate_table", group_by=["name"], value="amount"),
    ])
    result = execute_plan(plan, profile, tmp_path / "out")
    assert [f.step for f in result.failed] == ["broken"] and [r.step for r in result.results] == ["table"]
    (table,) = result.results
    with open(tmp_path / "out" / table.table_csv, newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert "'=cmd|x" in cells and not any(c.startswith("=") for c in cells)
    assert any("prefixed with '" in n for n in table.notes)


def _report_into(out, question, profile):
    from autoviz_pipeline.api import plan_for
    from autoviz_pipeline.report import render_report

    intent, adapted, validated = plan_for(question, profile)
    execution = execute_plan(validated, profile, out)
    return render_report(question=intent.question, profile=profile, intent=intent, adapted=adapted,
                         validated=validated, execution=execution, llm_calls=[], timings={}, out_dir=out)


def test_a_reused_out_folder_holds_only_the_new_run_and_the_users_own_files(tmp_path):
    from tests.conftest import EXAMPLES

    profile = profile_dataset(EXAMPLES / "december_revenue.csv")
    out = tmp_path / "out"
    first = _report_into(out, "revenue totals by region and product type", profile)
    (out / "my_notes.txt").write_text("keep me")
    (out / "charts" / "my_logo.png").write_bytes(b"\x89PNG keep")
    before = {p.name for p in (out / "charts").iterdir()}
    second = _report_into(out, "histogram of revenue", profile)
    import json

    manifest = json.loads((out / "manifest.json").read_text())
    listed = {Path(c[k]).name for c in manifest["charts"] for k in ("png", "svg", "spec_path") if c.get(k)}
    listed |= {Path(t["csv"]).name for t in manifest["tables"] if t.get("csv")}
    now = {p.name for p in (out / "charts").iterdir()} | {p.name for p in (out / "tables").iterdir()}
    assert before - now, "the first run's charts should be gone"  # the two plans differ
    assert now - {"my_logo.png"} == listed  # nothing of the first run is left beside the second
    assert (out / "my_notes.txt").read_text() == "keep me" and (out / "charts" / "my_logo.png").exists()
    assert first.manifest == second.manifest


def test_a_folder_without_an_autoviz_manifest_is_left_alone(tmp_path):
    from autoviz_pipeline.execution import clear_previous_report

    (tmp_path / "charts").mkdir()
    (tmp_path / "charts" / "01_mine.png").write_bytes(b"x")
    (tmp_path / "manifest.json").write_text('{"name": "someone else\'s"}')
    clear_previous_report(tmp_path)
    assert (tmp_path / "charts" / "01_mine.png").exists() and (tmp_path / "manifest.json").exists()
