import pytest

from autoviz_pipeline.contracts import INTENTS
from autoviz_pipeline.planning import adapt_plan, chart_to_tool, load_template, select_plan
from autoviz_pipeline.understanding import classify_intent


@pytest.mark.parametrize("intent", INTENTS)
def test_every_intent_has_a_template(intent):
    plan = load_template(intent)
    assert plan.template == intent and plan.steps
    assert len({s.id for s in plan.steps}) == len(plan.steps)


def test_answer_first_auto_resolved_from_question(december_profile):
    intent = classify_intent("revenue totals by region and product type", december_profile)
    plan = select_plan(intent, december_profile)
    assert plan.template == "comparative_analysis"
    adapted = adapt_plan(plan, intent, december_profile)
    first = adapted.steps[0]
    assert (first.id, first.tool, first.origin) == ("answer", "bar_chart", "question")
    assert first.params == {"x": "region", "y": "revenue", "aggregate": "sum", "color": "product_category"}
    assert adapted.before == plan
    box = next(s for s in adapted.steps if s.tool == "box_plot")
    # auto:numeric → the question's measure, auto:group → the question's first grouping column
    assert box.params == {"column": "revenue", "by": "region"}
    assert adapted.changes[0].op == "add"
    assert not any(isinstance(v, str) and v.startswith("auto:") for s in adapted.steps for v in s.params.values())


def test_question_filters_carried_into_template_steps(december_profile):
    intent = classify_intent("revenue by product category in North", december_profile)
    adapted = adapt_plan(select_plan(intent, december_profile), intent, december_profile)
    for step in adapted.steps:
        assert step.params["filters"] == [{"column": "region", "op": "eq", "value": "North", "values": [], "part": None}]


def test_template_step_repeating_the_answer_is_removed(december_profile):
    intent = classify_intent("histogram of revenue", december_profile)
    adapted = adapt_plan(select_plan(intent, december_profile), intent, december_profile)
    assert [s.tool for s in adapted.steps].count("histogram") == 1
    assert any(c.op == "remove" for c in adapted.changes)


def test_unresolvable_auto_stays_for_validation_to_drop(write_csv):
    from autoviz_pipeline.profiling import profile_dataset

    profile = profile_dataset(write_csv("only_text.csv", "name,city\nann,rome\nbob,oslo\n"))
    intent = classify_intent("distribution", profile)
    adapted = adapt_plan(select_plan(intent, profile), intent, profile)
    assert any(s.params.get("column") == "auto:numeric" for s in adapted.steps)


@pytest.mark.parametrize("mark,tool", [("bar", "bar_chart"), ("line", "line_chart"), ("point", "scatter_plot"),
                                       ("arc", "pie_chart"), ("rect", "heatmap"), ("boxplot", "box_plot")])
def test_every_mark_maps_to_a_tool(mark, tool):
    from autoviz_pipeline.contracts import ChartSpec, Encoding

    chart = ChartSpec(mark=mark, x=Encoding(field="a"), y=Encoding(field="b"), color=Encoding(field="c"))
    assert chart_to_tool(chart)[0] == tool


def test_no_quantity_stands_in_for_one_that_matched_nothing(december_profile):
    # december_revenue has revenue and units; "complaints" is neither
    intent = classify_intent("which region gets the most complaints on average?", december_profile)
    assert intent.unmatched == ["complaints"]
    adapted = adapt_plan(select_plan(intent, december_profile), intent, december_profile)
    fields = {v for s in adapted.steps for k, v in s.params.items() if k in ("y", "value", "column")}
    assert not fields & {"revenue", "units"}
    assert any(c.op == "remove" and "'complaints' matched no column" in c.detail for c in adapted.changes)
    # a quantity the question does name still fills the template's steps
    named = classify_intent("which region gets the most revenue?", december_profile)
    steps = adapt_plan(select_plan(named, december_profile), named, december_profile).steps
    assert any(s.params.get("value") == "revenue" or s.params.get("y") == "revenue" for s in steps[1:])
