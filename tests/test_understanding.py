"""Offline understanding on the bundled examples; each expectation worked out by hand from the question."""

import pytest

from autoviz_pipeline.grounding import canonical, ground_columns, split_name, stem
from autoviz_pipeline.profiling import profile_dataset
from autoviz_pipeline.understanding import DEFAULT_QUESTION, classify_intent
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def sensors():
    return profile_dataset(EXAMPLES / "sensor_readings.csv")


@pytest.fixture(scope="module")
def visitors():
    return profile_dataset(EXAMPLES / "daily_visitors.csv")


def test_name_forms():
    assert split_name("productCategory") == split_name("product_category") == ["product", "category"]
    assert stem("categories") == "category" and stem("regions") == "region" and stem("boxes") == "box"
    assert canonical("type") == canonical("category") == "category"


def test_headline_question(december_profile):
    r = classify_intent("revenue totals by region and product type", december_profile)
    assert r.intent == "comparative_analysis" and r.source == "offline" and 0.5 < r.confidence <= 1
    c = r.chart
    assert c.mark == "bar"
    assert (c.x.field, c.y.field, c.y.aggregate, c.color.field) == ("region", "revenue", "sum", "product_category")
    product = next(m for m in r.matches if m.column == "product_category")
    assert product.phrase == "product type" and product.method == "synonym" and product.score < 1


@pytest.mark.parametrize("question,intent", [
    ("show the trend of revenue over time", "time_series"),
    ("are there any outliers in revenue?", "anomaly_detection"),
    ("what is the distribution of revenue", "distribution"),
    ("share of revenue per region", "composition"),
    ("top 3 regions by revenue", "ranking"),
    ("give me an overview", "general_eda"),
    ("", "general_eda"),
])
def test_intents(december_profile, question, intent):
    assert classify_intent(question, december_profile).intent == intent


def test_empty_question_uses_default(december_profile):
    r = classify_intent("   ", december_profile)
    assert r.question == DEFAULT_QUESTION and r.notes


def test_value_mention_becomes_filter(december_profile):
    r = classify_intent("revenue by product category in North", december_profile)
    assert [(f.column, f.op, f.value) for f in r.filters] == [("region", "eq", "North")]
    assert r.chart.x.field == "product_category" and r.chart.filters == r.filters


def test_comparison_and_top_n(sensors):
    r = classify_intent("average power by machine for temperature above 80", sensors)
    assert [(f.column, f.op, f.value) for f in r.filters] == [("temperature_c", "gt", 80)]
    assert (r.chart.x.field, r.chart.y.field, r.chart.y.aggregate) == ("machine_id", "power_kw", "mean")
    top = classify_intent("top 5 machines by vibration", sensors)
    assert top.chart.limit == 5 and top.chart.sort == "descending" and top.chart.y.field == "vibration_mm_s"


def test_chart_from_roles_without_chart_words(visitors, sensors):
    line = classify_intent("visitors over time", visitors)
    assert line.chart.mark == "line" and line.chart.x.field == "date" and line.chart.y.field == "visitors"
    scatter = classify_intent("temperature versus vibration", sensors)
    assert scatter.chart.mark == "point"
    assert {scatter.chart.x.field, scatter.chart.y.field} == {"temperature_c", "vibration_mm_s"}
    monthly = classify_intent("monthly signups by channel", visitors)
    assert monthly.chart.mark == "line" and monthly.chart.x.time_unit == "month"
    assert monthly.chart.color.field == "channel"


def test_explicit_chart_words(december_profile):
    assert classify_intent("pie chart of revenue by region", december_profile).chart.mark == "arc"
    hist = classify_intent("histogram of revenue", december_profile).chart
    assert hist.mark == "bar" and hist.x.field == "revenue" and hist.x.bin
    box = classify_intent("box plot of revenue by region", december_profile).chart
    assert (box.mark, box.x.field, box.y.field) == ("boxplot", "region", "revenue")


def test_words_that_must_not_match(december_profile, sensors):
    # "data" is not "date", "regional" alone is fine but "religion" is not "region"
    matches, _, _ = ground_columns("show the data about religion", december_profile)
    assert matches == []
    # a number is not a filter unless a comparison word ties it to a column
    r = classify_intent("show 3 charts of temperature", sensors)
    assert r.filters == []


def test_typo_is_matched_fuzzily(december_profile):
    matches, _, _ = ground_columns("revnue by regoin", december_profile)
    assert [(m.column, m.method) for m in matches] == [("revenue", "fuzzy"), ("region", "fuzzy")]
