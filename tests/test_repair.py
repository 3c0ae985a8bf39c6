"""Validation/repair: near-misses repaired with a logged score, inventions dropped with a reason."""

import pytest
from pydantic import ValidationError

from autoviz_pipeline.contracts import ProposedStep, ValidatedPlan
from autoviz_pipeline.repair import validate_plan
from autoviz_pipeline.tools import get_tool, plan_step
from autoviz_pipeline.tools.charts import HistogramParams


def _one(profile, tool, **params):
    return validate_plan([ProposedStep(id="s", tool=tool, params=params)], profile)


@pytest.mark.parametrize("wrong,method", [("Revenue", "normalized"), ("revnue", "fuzzy"), ("revenues", "lemma")])
def test_near_miss_column_names_are_repaired(december_profile, wrong, method):
    v = _one(december_profile, "histogram", column=wrong)
    assert [s.params.column for s in v.steps] == ["revenue"]
    (r,) = v.repairs
    assert (r.step, r.param, r.original, r.repaired, r.method) == ("s", "column", wrong, "revenue", method)
    assert 0.7 <= r.score < 1


def test_synonym_repair_among_fitting_columns(december_profile):
    v = _one(december_profile, "bar_chart", x="product_type", y="sales", aggregate="sum")
    assert (v.steps[0].params.x, v.steps[0].params.y) == ("product_category", "revenue")
    assert {(r.original, r.repaired, r.method) for r in v.repairs} == {
        ("product_type", "product_category", "synonym"), ("sales", "revenue", "synonym")}


def test_invented_column_drops_step_with_reason(december_profile):
    v = _one(december_profile, "histogram", column="profit_margin")
    assert v.steps == [] and v.dropped[0].step == "s" and "profit_margin" in v.dropped[0].reason


def test_wrong_role_drops_step(december_profile):
    v = _one(december_profile, "histogram", column="region")
    assert v.steps == [] and "categorical" in v.dropped[0].reason and "numeric" in v.dropped[0].reason


def test_optional_param_with_unknown_column_is_removed(december_profile):
    v = _one(december_profile, "bar_chart", x="region", y="revenue", color="warehouse")
    assert v.steps[0].params.color is None


def test_invented_param_removed_and_logged(december_profile):
    v = _one(december_profile, "line_chart", x="date", y="revenue", groups="region")
    assert len(v.steps) == 1 and "groups" not in v.steps[0].params.model_dump()
    assert any(r.param == "groups" and r.method == "removed_unknown_param" for r in v.repairs)


def test_tool_names_repaired_or_dropped(december_profile):
    v = validate_plan([ProposedStep(id="a", tool="bar chart", params={"x": "region"}),
                       ProposedStep(id="b", tool="sankey_diagram", params={})], december_profile)
    assert [s.tool for s in v.steps] == ["bar_chart"]
    assert any(r.param == "tool" and r.repaired == "bar_chart" for r in v.repairs)
    assert v.dropped[0].step == "b" and "unknown tool" in v.dropped[0].reason


@pytest.mark.parametrize("params", [{"column": None}, {"column": 42}, {"column": ["a"]}, {"bins": "many"},
                                    {"column": "revenue", "bins": -3}, {"column": "revenue", "filters": "x"}])
def test_garbage_never_crashes(december_profile, params):
    v = _one(december_profile, "histogram", **params)
    assert len(v.steps) + len(v.dropped) == 1


def test_filters_repaired_or_removed(december_profile):
    v = _one(december_profile, "histogram", column="revenue",
             filters=[{"column": "Region", "op": "eq", "value": "North"},
                      {"column": "planet", "op": "eq", "value": "Mars"},
                      {"column": "region", "op": "resembles", "value": "x"}])
    assert [f.model_dump() for f in v.steps[0].params.filters] == [
        {"column": "region", "op": "eq", "value": "North", "values": [], "part": None}]
    assert {r.method.split(":")[0] for r in v.repairs} >= {"normalized", "removed_filter_unknown_column",
                                                           "removed_invalid_filter"}


def test_duplicates_and_limit(december_profile):
    steps = [ProposedStep(id=f"s{i}", tool="histogram", params={"column": "revenue", "bins": 10 + (i // 2)})
             for i in range(6)]
    v = validate_plan(steps, december_profile, max_steps=2)
    assert [s.id for s in v.steps] == ["s0", "s2"]
    reasons = [d.reason for d in v.dropped]
    assert reasons.count("same tool and params as an earlier step") == 2
    assert sum("limit" in r for r in reasons) == 2


def test_step_sure_to_fail_on_this_data_is_dropped_in_validation(write_csv):
    from autoviz_pipeline.profiling import profile_dataset

    one_number = profile_dataset(write_csv("one.csv", "city,price\nRome,3\nOslo,5\nLima,4\n"))
    v = validate_plan([ProposedStep(id="c", tool="correlation_heatmap", params={})], one_number)
    assert v.steps == [] and "at least two numeric columns" in v.dropped[0].reason


def test_repair_hands_on_the_tools_own_params_model(december_profile):
    """What repair lets through is typed: the tool's params model, validated there once, and it travels as such
    through a stored plan (JSON, as the Dagster stages hand it on)."""
    v = _one(december_profile, "bar_chart", x="Region", y="revenue", aggregate="sum", top_n="3")
    (step,) = v.steps
    assert type(step.params) is get_tool("bar_chart").params and step.params.top_n == 3
    again = ValidatedPlan.model_validate_json(v.model_dump_json())
    assert again == v and type(again.steps[0].params) is get_tool("bar_chart").params


@pytest.mark.parametrize("params,given", [({"x": "region"}, "dict"), (HistogramParams(column="revenue"),
                                                                      "HistogramParams")])
def test_a_step_takes_only_its_own_tools_params_model(params, given):
    """A dict (or another tool's params) can no longer reach a tool: the step refuses it, naming step and tool."""
    with pytest.raises(ValidationError, match=rf"step 'answer' \(bar_chart\): params must be a BarChartParams, "
                                              rf"not {given}"):
        plan_step(id="answer", tool="bar_chart", params=params)
    with pytest.raises(ValidationError, match="step 'answer' \\(bar_chart\\)"):
        ValidatedPlan(steps=[{"id": "answer", "tool": "bar_chart", "params": params}])
    with pytest.raises(ValidationError, match="does not match any of the expected tags"):
        plan_step(id="answer", tool="bar chart", params=params)  # only a registered tool's name: repair maps it
