"""Execution: exported tables are inert in spreadsheets, one failing step never stops the others."""

import csv

import pandas as pd

from autoviz_pipeline.contracts import PlanStep, ValidatedPlan
from autoviz_pipeline.execution import execute_plan, neutralize_formulas
from autoviz_pipeline.profiling import profile_dataset


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
        PlanStep(id="broken", tool="histogram", params={"column": "name"}),
        PlanStep(id="table", tool="aggregate_table", params={"group_by": ["name"], "value": "amount"}),
    ])
    result = execute_plan(plan, profile, tmp_path / "out")
    assert [f.step for f in result.failed] == ["broken"] and [r.step for r in result.results] == ["table"]
    (table,) = result.results
    with open(tmp_path / "out" / table.table_csv, newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert "'=cmd|x" in cells and not any(c.startswith("=") for c in cells)
    assert any("prefixed with '" in n for n in table.notes)
