"""Vega-Lite helpers: filter predicates, field escaping and the inline-data rewrite."""

from __future__ import annotations

import pandas as pd
import pytest

from autoviz_pipeline.contracts import FilterSpec
from autoviz_pipeline.tools import vega

from .test_support import assert_valid_vega_lite, make_profile


@pytest.fixture
def profile():
    df = pd.DataFrame(
        {
            "date": pd.to_datetime(["2015-01-01", "2016-06-01"]),
            "region": ["North", "South"],
            "revenue": [1.0, 2.0],
        }
    )
    return make_profile(df)


def predicate(profile, **filter_args):
    (transform,) = vega.filter_transforms([FilterSpec(**filter_args)], profile)
    return transform["filter"]


JAN_2015 = {"year": 2015, "month": 1, "date": 1}
JAN_2016 = {"year": 2016, "month": 1, "date": 1}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"column": "region", "op": "eq", "value": "north"}, {"field": "region", "equal": "North"}),
        ({"column": "region", "op": "neq", "value": "South"}, {"not": {"field": "region", "equal": "South"}}),
        ({"column": "region", "op": "in", "values": ["x", "south"]}, {"field": "region", "oneOf": ["x", "South"]}),
        ({"column": "revenue", "op": "gt", "value": 1}, {"field": "revenue", "gt": 1}),
        ({"column": "revenue", "op": "lte", "value": 2.5}, {"field": "revenue", "lte": 2.5}),
        ({"column": "revenue", "op": "range", "values": [1, 2]}, {"field": "revenue", "range": [1, 2]}),
        ({"column": "region", "op": "eq"}, {"field": "region", "valid": False}),
        ({"column": "date", "op": "gte", "value": 2015}, {"field": "date", "gte": JAN_2015}),
        ({"column": "date", "op": "gt", "value": 2015}, {"field": "date", "gte": JAN_2016}),
        ({"column": "date", "op": "lt", "value": "2015"}, {"field": "date", "lt": JAN_2015}),
        ({"column": "date", "op": "lte", "value": 2015}, {"field": "date", "lt": JAN_2016}),
        (
            {"column": "date", "op": "eq", "value": 2015},
            {"and": [{"field": "date", "gte": JAN_2015}, {"field": "date", "lt": JAN_2016}]},
        ),
        (
            {"column": "date", "op": "range", "values": [2015, 2015]},
            {"and": [{"field": "date", "gte": JAN_2015}, {"field": "date", "lt": JAN_2016}]},
        ),
        ({"column": "region", "op": "not_in", "values": ["north"]}, {"not": {"field": "region", "oneOf": ["North"]}}),
        # a part of every date: months 1-based, weekdays by name, as Vega-Lite's timeUnit predicates read them
        ({"column": "date", "op": "eq", "value": 3, "part": "month"},
         {"field": "date", "timeUnit": "month", "equal": {"month": 3}}),
        ({"column": "date", "op": "in", "values": [6, 7], "part": "weekday"},
         {"field": "date", "timeUnit": "day", "oneOf": [{"day": "Saturday"}, {"day": "Sunday"}]}),
        ({"column": "date", "op": "not_in", "values": [12], "part": "month"},
         {"not": {"field": "date", "timeUnit": "month", "oneOf": [{"month": 12}]}}),
        (
            {"column": "date", "op": "eq", "value": "2015-03-04 10:30"},
            {"field": "date", "equal": {"year": 2015, "month": 3, "date": 4, "hours": 10, "minutes": 30, "seconds": 0}},
        ),
    ],
)
def test_filters_become_vega_lite_predicates(profile, args, expected):
    assert predicate(profile, **args) == expected


def test_every_predicate_is_valid_vega_lite(profile):
    filters = [FilterSpec(column="date", op=op, value=2015) for op in ("eq", "neq", "gt", "gte", "lt", "lte")] + [
        FilterSpec(column="date", op="in", values=[2015, "2016-06"]),
        FilterSpec(column="region", op="neq", value=None),
        FilterSpec(column="revenue", op="range", values=[0, 10]),
        FilterSpec(column="region", op="not_in", values=["North"]),
        FilterSpec(column="date", op="range", values=[3, 5], part="month"),
        FilterSpec(column="date", op="in", values=[6, 7], part="weekday"),
    ]
    spec = vega.build_spec(
        title="t",
        mark="point",
        profile=profile,
        filters=filters,
        encoding={"x": vega.group_channel("revenue", type="quantitative"), "y": None},
    )
    assert "y" not in spec["encoding"]
    assert len(spec["transform"]) == len(filters)
    assert_valid_vega_lite(spec)


def test_field_ref_escapes_nested_access_characters():
    assert vega.field_ref("a.b[0]") == r"a\.b\[0\]"
    assert vega.field_ref("plain name") == "plain name"
    assert vega.expr_ref('we"ird') == 'datum["we\\"ird"]'


def test_with_data_rewrites_count_and_bins_and_moves_transforms(profile):
    spec = vega.build_spec(
        title="Count by revenue bin",
        mark="bar",
        profile=profile,
        filters=[FilterSpec(column="region", op="eq", value="North")],
        encoding={
            "x": vega.group_channel("revenue", type="quantitative", bins=10),
            "y": vega.measure_channel(None, "count"),
        },
    )
    rows = pd.DataFrame({"revenue": [0.0, 1.0], "revenue_end": [1.0, 2.0], "n": [3, 4]})
    inline, notes = vega.with_data(spec, rows, count_field="n")
    assert inline["encoding"]["x"]["bin"] == "binned"
    assert inline["encoding"]["x2"] == {"field": "revenue_end"}
    assert inline["encoding"]["y"] == {
        "aggregate": "sum",
        "field": "n",
        "type": "quantitative",
        "title": "Count of rows",
    }
    assert "transform" not in inline
    assert inline["usermeta"]["applied_transforms"] == spec["transform"]
    assert inline["data"] == {
        "values": [{"revenue": 0.0, "revenue_end": 1.0, "n": 3}, {"revenue": 1.0, "revenue_end": 2.0, "n": 4}]
    }
    assert spec["data"] == {"name": "rows"}  # the data-free spec is left alone
    assert notes == []
    assert_valid_vega_lite(inline)


def test_with_data_caps_rows_with_a_note(profile):
    spec = vega.build_spec(
        title="t", mark="point", profile=profile, encoding={"x": vega.group_channel("revenue", type="quantitative")}
    )
    inline, notes = vega.with_data(spec, pd.DataFrame({"revenue": range(12)}), cap=10)
    assert len(inline["data"]["values"]) == 10
    assert notes == ["The inline chart data holds the first 10 of 12 rows."]


def test_top_n_transforms_are_valid(profile):
    for other in (False, True):
        spec = vega.build_spec(
            title="t",
            mark="bar",
            profile=profile,
            transforms=vega.top_n_transforms("region", value="revenue", aggregate="sum", n=3, other=other),
            encoding={"x": vega.group_channel("region", type="nominal"), "y": vega.measure_channel("revenue", "sum")},
        )
        assert_valid_vega_lite(spec)
