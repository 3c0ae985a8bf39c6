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
    assert vega.expr_ref("a.b[0] $x") == 'datum["a.b[0] $x"]'
    assert vega.field_name(vega.field_ref("a.b[0]")) == "a.b[0]"


UNREADABLE = ["it's", 'we"ird', "back\\slash", "new\nline", "a\u2028b", "", "  ", "if", "constructor", "toString",
              "__proto__", "__group_rank", "__count", "__col_61"]


@pytest.mark.parametrize("name", UNREADABLE)
def test_a_name_vega_lite_cannot_read_gets_a_reversible_alias(name):
    key = vega.data_key(name)
    assert key == "__col_" + name.encode().hex() != name
    assert vega.column_name(key) == name
    assert vega.field_ref(name) == key  # an alias needs no escaping
    assert vega.field_name(vega.field_ref(name)) == name
    assert vega.expr_ref(name) == f'datum["{key}"]'


@pytest.mark.parametrize("name", ["revenue", "a.b[0]", "x]", "$x$ <b>", "Größe ($)", "_private", "count", "datum"])
def test_a_name_vega_lite_reads_keeps_its_name(name):
    assert vega.data_key(name) == name
    assert vega.column_name(name) == name
    assert vega.field_name(vega.field_ref(name)) == name


def test_string_literals_vega_misreads_as_identifiers_are_split():
    assert vega.js_string("constructor") == '("c" + "onstructor")'
    assert vega.js_string("if") == '("i" + "f")'
    assert vega.js_string("it's \u2028") == '"it\'s \\u2028"'


def test_titles_vega_can_draw():
    assert vega.title_text("new\nline\ttab\u2028") == "new line tab "
    assert vega.title_text("constructor") == "constructor "  # drawn the same; Vega drops the bare word
    assert vega.title_text("Sum of constructor") == "Sum of constructor"
    assert vega.title_text("C:\\users\\x1") == "C:\\users\\x1"


def test_a_title_that_would_break_the_aria_description_keeps_its_backslashes_on_the_axis(profile):
    title = 'C:\\users\\"x"'
    spec = vega.build_spec(
        title=title,
        mark="bar",
        profile=profile,
        encoding={
            "x": vega.group_channel("region", type="nominal", title=title),
            "y": vega.measure_channel("revenue", "sum", title="plain"),
            "color": vega.group_channel("region", type="nominal", title=title),
        },
    )
    assert spec["title"] == title
    assert spec["encoding"]["x"]["axis"] == {"title": title}
    assert spec["encoding"]["color"]["legend"] == {"title": title}
    assert spec["encoding"]["x"]["title"] == 'C:\u2216users\u2216"x"'  # read only by the aria description
    assert "axis" not in spec["encoding"]["y"] and spec["encoding"]["y"]["title"] == "plain"
    assert_valid_vega_lite(spec)


def test_a_data_free_spec_reads_a_renamed_column_under_its_alias_first(profile):
    df = pd.DataFrame({"constructor": ["a", "b"], "it's": [1.0, 2.0], "when": pd.to_datetime(["2020-01-01"] * 2)})
    prof = make_profile(df)
    spec = vega.build_spec(
        title="t",
        mark="bar",
        profile=prof,
        filters=[FilterSpec(column="it's", op="gt", value=0)],
        encoding={
            "x": vega.group_channel("constructor", type="nominal"),
            "y": vega.measure_channel("it's", "sum"),
            "color": vega.group_channel("when", type="temporal"),
        },
    )
    key = vega.data_key
    assert spec["transform"] == [
        {"calculate": 'datum[("c" + "onstructor")]', "as": key("constructor")},
        {"calculate": 'toNumber(datum["it\'s"])', "as": key("it's")},
        {"filter": {"field": key("it's"), "gt": 0}},
    ]
    assert spec["encoding"]["x"]["title"] == "constructor "
    assert_valid_vega_lite(spec)


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
