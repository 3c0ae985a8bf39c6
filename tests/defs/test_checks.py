"""The asset checks on real runs: every check passes on a real file, and each blocking check, given a bad value,
fails, stops the run before the next stage and says why. Plus Dagster's own metadata on the profile."""

import csv
import json
from pathlib import Path

import dagster as dg
import pytest

import autoviz_pipeline.defs.assets as assets_mod
from autoviz_pipeline.checks import check_plan, spec_problem
from autoviz_pipeline.contracts import DroppedStep
from autoviz_pipeline.defs.failures import first_step_failure
from autoviz_pipeline.defs.resources import LLMResource, PipelineSettings
from tests.conftest import DECEMBER
from tests.dagster_support import question_config, run_partition

CHECKS = {("dataset_profile", "columns_and_row_count"), ("validated_plan", "starts_with_the_answer"),
          ("step_results", "no_step_failed_silently"), ("analysis_report", "files_and_vega_lite_specs")}
STAGES = ["dataset_profile", "question_intent", "analysis_plan", "validated_plan", "step_results", "analysis_report"]


@pytest.fixture(scope="module")
def instance():
    with dg.instance_for_test() as inst:
        yield inst


def _run(instance, tmp_path, csv_path: Path, question: str = "total sales by city"):
    return run_partition(
        instance, csv_path.name, llm=LLMResource(backend="offline"), storage=tmp_path / "storage",
        settings=PipelineSettings(inbox_dir=str(tmp_path / "inbox"), outputs_dir=str(tmp_path / "out")),
        run_config=question_config(csv_path, question), raise_on_error=False)


def _evaluations(result) -> dict[tuple[str, str], dg.AssetCheckEvaluation]:
    return {(e.asset_key.to_user_string(), e.check_name): e for e in result.get_asset_check_evaluations()}


def _materialized(result) -> list[str]:
    return [s for s in STAGES if result.asset_materializations_for_node(s)]


@pytest.fixture
def sales(tmp_path) -> Path:
    """A small real file with a quoted line break and a blank line: 30 data rows (counted by hand: 6 × 5)."""
    path = tmp_path / "sales.csv"
    rows = ["city,sales,note"] + [f"{c},{10 * i + n},plain" for i, c in enumerate(["Oslo", "Lima", "Pune", "Kyiv",
                                                                                    "Baku", "Riga"])
                                   for n in range(5)]
    rows[3] = 'Oslo,3,"two\nlines"'
    path.write_text("\n".join(rows[:10] + [""] + rows[10:]) + "\n", encoding="utf-8")
    return path


def test_every_check_passes_on_a_real_file_and_the_profile_has_dagsters_metadata(instance, tmp_path, sales):
    result = _run(instance, tmp_path, sales)
    assert result.success
    evaluations = _evaluations(result)
    assert set(evaluations) == CHECKS and all(e.passed for e in evaluations.values())
    assert all(dg.AssetCheckKey(dg.AssetKey(a), c) in result.job_def.asset_layer.asset_graph.asset_check_keys
               for a, c in CHECKS)
    profile_check = evaluations[("dataset_profile", "columns_and_row_count")]
    assert profile_check.metadata["rows_counted"].value == 30
    [mat] = result.asset_materializations_for_node("dataset_profile")
    assert mat.metadata["dagster/row_count"].value == 30
    schema = mat.metadata["dagster/column_schema"].value
    assert [(c.name, c.description) for c in schema.columns] == [
        ("city", "categorical"), ("sales", "numeric"), ("note", "categorical")]
    [intent] = result.asset_materializations_for_node("question_intent")
    assert intent.metadata["llm_calls"].value == 0 and intent.metadata["llm_prompt_tokens"].value == 0
    assert intent.metadata["llm_model"].value == "offline"


def test_the_example_file_row_count_matches_the_csv_module(instance, tmp_path):
    with DECEMBER.open(newline="", encoding="utf-8") as fh:
        records = sum(1 for row in csv.reader(fh) if row) - 1
    result = _run(instance, tmp_path, DECEMBER, "revenue by region")
    [mat] = result.asset_materializations_for_node("dataset_profile")
    assert result.success and mat.metadata["dagster/row_count"].value == records == 620


def test_every_asset_says_its_kinds():
    for a in assets_mod.ASSETS:
        assert a.specs_by_key[a.key].kinds, a.key


# --------------------------------------------------------------------------------------------------
# a bad value per blocking check: the check fails with its reason, the stages after it never run
# --------------------------------------------------------------------------------------------------
def _one_row_more(real):
    def profile(*args, **kwargs):
        p = real(*args, **kwargs)
        return p.model_copy(update={"rows": p.rows + 1})
    return profile


def _answer_dropped(real):
    def validate(*args, **kwargs):
        v = real(*args, **kwargs)
        return v.model_copy(update={"steps": v.steps[1:], "dropped": [
            *v.dropped, DroppedStep(step="answer", tool=v.steps[0].tool, reason="y: not a column")]})
    return validate


def _a_step_vanishes(real):
    def execute(*args, **kwargs):
        r = real(*args, **kwargs)
        return r.model_copy(update={"results": r.results[:-1]})
    return execute


def _a_chart_file_is_lost(real):
    def execute(*args, **kwargs):
        r = real(*args, **kwargs)
        (Path(r.out_dir) / next(x.png for x in r.results if x.png)).unlink()
        return r
    return execute


def _a_spec_is_broken(real):
    def render(*args, **kwargs):
        report = real(*args, **kwargs)
        chart = json.loads(Path(report.manifest).read_text())["charts"][0]
        path = Path(report.out_dir) / chart["spec_path"]
        path.write_text(json.dumps({**json.loads(path.read_text()), "mark": "pie-ish"}))
        return report
    return render


@pytest.mark.parametrize("target,corrupt,stage,check,says", [
    ("profile_dataset", _one_row_more, "dataset_profile", "columns_and_row_count",
     "the profile says 31 rows but the file has 30"),
    ("validate_plan", _answer_dropped, "validated_plan", "starts_with_the_answer",
     "the step that answers the question was dropped: y: not a column"),
    ("execute_plan", _a_step_vanishes, "step_results", "no_step_failed_silently", "neither a result nor a failure"),
    ("execute_plan", _a_chart_file_is_lost, "step_results", "no_step_failed_silently", ".png is missing or empty"),
    ("render_report", _a_spec_is_broken, "analysis_report", "files_and_vega_lite_specs",
     "its Vega-Lite spec is not valid: fails the schema's 'anyOf' rule at /mark"),
])
def test_a_bad_value_fails_its_check_and_stops_the_run(instance, tmp_path, sales, monkeypatch, target, corrupt,
                                                       stage, check, says):
    monkeypatch.setattr(assets_mod, target, corrupt(getattr(assets_mod, target)))
    result = _run(instance, tmp_path, sales)
    assert not result.success
    evaluation = _evaluations(result)[(stage, check)]
    assert not evaluation.passed and says in evaluation.description
    assert _materialized(result) == STAGES[:STAGES.index(stage) + 1]  # the bad value is kept, nothing after it runs
    [failure] = [e for e in result.all_events if e.is_step_failure]  # what the failure record says
    assert first_step_failure(result.all_events) == (stage, f"check {check} failed: {evaluation.description}")


# --------------------------------------------------------------------------------------------------
# the check logic without Dagster
# --------------------------------------------------------------------------------------------------
def test_a_valid_spec_passes_and_wrong_ones_say_where():
    base = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "data": {"values": [{"a": 1}]},
            "mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    assert spec_problem(base) is None
    assert spec_problem({**base, "encoding": {"x": {"field": "a", "type": "quantitive"}}}).endswith("/encoding/x/type")
    assert spec_problem({**base, "$schema": "https://vega.github.io/schema/vega-lite/v4.json"}) == \
        "its $schema is not Vega-Lite v5"
    assert spec_problem([base]) == "not a JSON object"


def test_a_plan_whose_answer_is_not_first_fails(december_profile):
    from autoviz_pipeline.planning import adapt_plan, select_plan
    from autoviz_pipeline.repair import validate_plan
    from autoviz_pipeline.understanding import classify_intent

    intent = classify_intent("revenue by region", december_profile)
    plan = validate_plan(adapt_plan(select_plan(intent, december_profile), intent, december_profile).steps,
                         december_profile)
    assert check_plan(plan).passed
    swapped = plan.model_copy(update={"steps": [plan.steps[1], plan.steps[0], *plan.steps[2:]]})
    outcome = check_plan(swapped)
    assert not outcome.passed and outcome.description.startswith("the answer (answer) is not the first step")
    assert check_plan(plan.model_copy(update={"steps": []})).description.startswith("no step survived validation")
