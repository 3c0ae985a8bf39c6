"""Filters, grouping keys and JSON rows, on tiny frames whose answers are worked out by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from autoviz_pipeline.contracts import FilterSpec
from autoviz_pipeline.errors import UnknownColumnError
from autoviz_pipeline.tools import apply_filters
from autoviz_pipeline.tools.frame import (
    ColumnDataError,
    aggregate_values,
    coarse_time_unit,
    group_arrays,
    group_keys,
    json_records,
    lump_other,
    nice_bin_edges,
    numeric_values,
    partial_periods,
    sample_positions,
    sample_rows,
)


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "when": pd.to_datetime(
                [
                    "2014-12-31 23:00",
                    "2015-01-01 00:00",
                    "2015-03-12 15:30",
                    "2015-12-31 12:00",
                    "2016-01-01 00:00",
                    "2017-06-01 00:00",
                    None,
                ]
            ),
            "region": ["North", "north", "South", "East", None, "West", "NORTH"],
            "revenue": [1.0, 5.0, 10.0, 15.0, 20.0, np.nan, 7.5],
        }
    )


def rows(df: pd.DataFrame, *filters: FilterSpec) -> list[int]:
    return apply_filters(df, filters).index.tolist()


def f(column: str, op: str, value=None, values=()) -> FilterSpec:
    return FilterSpec(column=column, op=op, value=value, values=list(values))


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (f("when", "eq", 2015), [1, 2, 3]),  # the whole year 2015
        (f("when", "eq", "2015"), [1, 2, 3]),
        (f("when", "neq", 2015), [0, 4, 5, 6]),  # a missing date is not in 2015
        (f("when", "gte", 2015), [1, 2, 3, 4, 5]),  # on or after 2015-01-01
        (f("when", "gt", 2015), [4, 5]),  # after the year 2015
        (f("when", "lt", 2015), [0]),
        (f("when", "lte", 2015), [0, 1, 2, 3]),  # up to the end of 2015
        (f("when", "range", values=[2015, 2016]), [1, 2, 3, 4]),
        (f("when", "in", values=[2014, 2017]), [0, 5]),
        (f("when", "eq", "2015-03"), [2]),  # a month
        (f("when", "eq", "2015-03-12"), [2]),  # a day, whatever the time
        (f("when", "eq", "2015-Q1"), [1, 2]),
        (f("when", "gte", "2015-03-12 15:30"), [2, 3, 4, 5]),  # an instant compares exactly
        (f("when", "gt", "2015-03-12 15:30"), [3, 4, 5]),
        (f("when", "eq", None), [6]),
    ],
)
def test_date_filters_compare_by_the_precision_of_the_value(frame, spec, expected):
    assert rows(frame, spec) == expected


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (f("region", "eq", "north"), [0, 1, 6]),  # case-insensitive
        (f("region", "neq", "NORTH"), [2, 3, 4, 5]),
        (f("region", "in", values=["south", "WEST"]), [2, 5]),
        (f("region", "eq", None), [4]),
        (f("region", "neq", None), [0, 1, 2, 3, 5, 6]),
    ],
)
def test_string_filters_ignore_case(frame, spec, expected):
    assert rows(frame, spec) == expected


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (f("revenue", "eq", 10), [2]),
        (f("revenue", "eq", "10"), [2]),  # numbers given as text compare numerically
        (f("revenue", "neq", 10), [0, 1, 3, 4, 5, 6]),
        (f("revenue", "gt", 7.5), [2, 3, 4]),
        (f("revenue", "gte", 7.5), [2, 3, 4, 6]),
        (f("revenue", "lt", 5), [0]),
        (f("revenue", "lte", "5"), [0, 1]),
        (f("revenue", "range", values=[5, 15]), [1, 2, 3, 6]),  # inclusive at both ends
        (f("revenue", "in", values=[1, 20, 99]), [0, 4]),
        (f("revenue", "gte", "1,000"), []),
    ],
)
def test_number_filters_compare_numerically(frame, spec, expected):
    assert rows(frame, spec) == expected


def test_filters_are_anded(frame):
    assert rows(frame, f("region", "eq", "north"), f("when", "gte", 2015)) == [1]


def test_no_filters_returns_the_frame_unchanged(frame):
    assert apply_filters(frame, []) is frame


def test_missing_filter_column_names_it(frame):
    with pytest.raises(ValueError, match="'profit'") as info:
        apply_filters(frame, [f("profit", "gt", 1)])
    assert isinstance(info.value, UnknownColumnError)
    assert "revenue" in str(info.value)  # lists the real columns


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (f("revenue", "gt", "lots"), "compares numbers"),
        (f("when", "gte", "someday"), "needs a date"),
        (f("revenue", "range", values=[1]), r"\[low, high\]"),
        (f("revenue", "in"), "non-empty"),
        (f("revenue", "gt"), "needs a `value`"),
    ],
)
def test_bad_filter_values_fail_clearly(frame, spec, message):
    with pytest.raises(ValueError, match=message):
        apply_filters(frame, [spec])


def test_numeric_values_rejects_text_naming_the_param_and_column():
    df = pd.DataFrame({"region": ["North", "South"]})
    with pytest.raises(ColumnDataError, match="'y'.*'region'.*North"):
        numeric_values(df, "region", param="y")
    assert isinstance(ColumnDataError("x"), ValueError)


def test_numeric_values_parses_numeric_text_and_drops_infinity():
    df = pd.DataFrame({"v": ["1", "2.5", None], "w": [1.0, np.inf, -np.inf]})
    assert numeric_values(df, "v", param="v").tolist()[:2] == [1.0, 2.5]
    assert numeric_values(df, "w", param="w").isna().tolist() == [False, True, True]


def test_nice_bin_edges_fall_on_round_numbers():
    edges = nice_bin_edges(pd.Series(range(10)), maxbins=5)  # 0..9 in steps of 2
    assert edges.tolist() == [0, 2, 4, 6, 8, 10]
    edges = nice_bin_edges(pd.Series([0.13, 0.91]), maxbins=10)  # span 0.78 → step 0.1
    assert edges[0] == pytest.approx(0.1) and edges[-1] >= 0.91
    assert nice_bin_edges(pd.Series([5.0, 5.0]), maxbins=10).tolist() == [5.0, 6.0]  # one whole-number bin
    assert nice_bin_edges(pd.Series([0.5, 0.5]), maxbins=10).tolist() == [0.5, 0.6]
    assert nice_bin_edges(pd.Series([1, 2, 3]), maxbins=20).tolist() == [1, 2, 3, 4]  # no fractional bins for counts


def test_group_keys_floor_dates_to_the_unit_and_bin_numbers():
    when = pd.Series(pd.to_datetime(["2015-01-31 00:00", "2015-02-01 00:00", "2015-02-28 23:00"]), name="when")
    keys = group_keys(when, time_unit="month")
    assert keys.values.dt.strftime("%Y-%m-%d").tolist() == ["2015-01-01", "2015-02-01", "2015-02-01"]
    assert keys.kind == "temporal" and keys.time_unit == "month"

    binned = group_keys(pd.Series([0.0, 1.9, 2.0, 9.0], name="v"), bins=5)
    assert binned.values.tolist() == [0.0, 0.0, 2.0, 8.0]
    assert binned.bin_step == 2.0


def test_filters_on_a_part_of_every_date_and_not_in(frame):
    # frame dates: 2014-12-31 (Wed), 2015-01-01 (Thu), 2015-03-12 (Thu), 2015-12-31 (Thu), 2016-01-01 (Fri),
    # 2017-06-01 (Thu), missing
    assert rows(frame, FilterSpec(column="when", op="eq", value=12, part="month")) == [0, 3]  # every December
    assert rows(frame, FilterSpec(column="when", op="range", values=[3, 6], part="month")) == [2, 5]
    assert rows(frame, FilterSpec(column="when", op="eq", value=4, part="weekday")) == [1, 2, 3, 5]  # Thursdays
    assert rows(frame, FilterSpec(column="when", op="not_in", values=[2015], part="year")) == [0, 4, 5, 6]
    # not_in keeps what is not listed, and a missing value (it is none of them)
    assert rows(frame, f("region", "not_in", values=["north", "south"])) == [3, 4, 5]
    assert rows(frame, f("when", "not_in", values=[2015])) == [0, 4, 5, 6]
    with pytest.raises(ColumnDataError, match="needs a date column"):
        rows(frame, FilterSpec(column="revenue", op="eq", value=3, part="month"))


def test_cyclic_units_gather_the_same_part_of_every_period():
    when = pd.Series(pd.to_datetime(["2015-03-02 09:10", "2016-03-20 17:00", "2016-11-05 09:59"]), name="when")
    months = group_keys(when, time_unit="month_of_year")
    assert months.values.dt.month.tolist() == [3, 3, 11] and months.values.nunique() == 2  # March of both years
    hours = group_keys(when, time_unit="hour_of_day")
    assert hours.values.dt.hour.tolist() == [9, 17, 9] and hours.values.nunique() == 2
    quarters = group_keys(when, time_unit="quarter_of_year")
    assert quarters.values.dt.month.tolist() == [1, 1, 10]  # Q1, Q1, Q4 (each quarter's first month)


def test_group_keys_ignore_options_that_do_not_fit_with_a_note():
    keys = group_keys(pd.Series(["a", "b"], name="region"), bins=5, time_unit="month")
    assert keys.kind == "nominal"
    assert any("time_unit" in n for n in keys.notes) and any("binning" in n for n in keys.notes)


def test_group_keys_pick_a_coarser_unit_for_many_dates():
    days = pd.Series(pd.date_range("2015-01-01", periods=400, freq="D"), name="day")
    keys = group_keys(days, auto_max=200)
    assert keys.time_unit == "week"
    assert keys.values.nunique() <= 200
    assert "400 distinct dates" in keys.notes[0]


def test_coarse_time_unit_from_a_span():
    assert coarse_time_unit("2015-01-01", "2015-01-02", max_points=200) == "hour"
    assert coarse_time_unit("2015-01-01", "2016-01-01", max_points=200) == "week"
    assert coarse_time_unit("2000-01-01", "2015-01-01", max_points=200) == "month"
    assert coarse_time_unit("1000-01-01", "2015-01-01", max_points=200) == "year"


def test_partial_periods_finds_a_short_last_week():
    days = pd.Series(pd.date_range("2023-01-01", "2023-01-31", freq="D"))  # Sunday 1st .. Tuesday 31st
    assert partial_periods(days, "week") == [pd.Timestamp("2023-01-29")]
    assert partial_periods(days, "month") == []


def test_aggregate_values_counts_rows_and_keeps_all_nan_groups_missing():
    df = pd.DataFrame({"g": ["a", "a", "b", None], "v": [1.0, 2.0, np.nan, 4.0]})
    summed = aggregate_values(df, ["g"], "v", "sum", out="v").set_index("g")["v"]
    assert summed["a"] == 3.0 and math.isnan(summed["b"])  # no fake 0 for a group with no values
    counted = aggregate_values(df, ["g"], None, "count", out="n").set_index("g")["n"]
    assert counted.to_dict() == {"a": 2, "b": 1}  # the row with no group is dropped


def test_json_records_are_json_safe():
    df = pd.DataFrame(
        {
            "t": pd.to_datetime(["2015-01-02 03:04", None]),
            "x": [np.int64(3), np.int64(4)],
            "y": [np.nan, np.inf],
            "b": [np.bool_(True), np.bool_(False)],
            "s": ["a", None],
        }
    )
    records = json_records(df)
    json.dumps(records, allow_nan=False)
    assert records[0] == {"t": "2015-01-02T03:04:00", "x": 3, "y": None, "b": True, "s": "a"}
    assert records[1]["t"] is None and records[1]["y"] is None
    assert len(json_records(pd.DataFrame({"a": range(10)}), cap=4)) == 4


def test_lump_other_on_categories_matches_text_and_keeps_missing_values_apart():
    values = ["a", "b", None, "c", "d", "a", "z", "b"]
    text = pd.Series(values, index=range(10, 18), name="g")
    category = text.astype(pd.CategoricalDtype(["z", "a", "b", "c", "d", "never"]))
    as_text = lump_other(text, ["a", "b"], total=5)
    as_category = lump_other(category, ["a", "b"], total=5)
    missing = "<missing>"
    assert as_text.fillna(missing).tolist() == [
        "a", "b", missing, "Other (3 more)", "Other (3 more)", "a", "Other (3 more)", "b"]
    assert as_category.astype(object).fillna(missing).tolist() == as_text.fillna(missing).tolist()
    assert isinstance(as_category.dtype, pd.CategoricalDtype)  # relabelled, not ten million Python objects
    assert as_category.cat.categories.tolist() == ["a", "b", "Other (3 more)"]  # no unused category ("never")
    assert (as_category.index.tolist(), as_category.name) == (list(range(10, 18)), "g")
    untouched = lump_other(category, ["a", "b", "c", "d", "z"], total=5)  # nothing to lump: no "Other"
    assert untouched.cat.categories.tolist() == ["z", "a", "b", "c", "d"]


def test_lumped_categories_aggregate_like_lumped_text():
    rng = np.random.default_rng(2)
    g = pd.Series(rng.choice(list("abcdefghijkl"), 5000))
    frame = pd.DataFrame({"v": rng.normal(size=5000)})
    keep = list("abc")
    results = []
    for series in (g, g.astype("category")):
        lumped = frame.assign(g=lump_other(series, keep, total=12))
        table = aggregate_values(lumped, ["g"], "v", "sum", out="v")
        results.append(dict(zip(table["g"].astype(str), table["v"], strict=True)))
    assert results[0] == results[1] and "Other (9 more)" in results[0]


def test_sample_rows_are_a_fixed_random_subset_in_frame_order():
    frame = pd.DataFrame({"v": np.arange(1_000_000)})
    first, second = sample_rows(frame, 5000), sample_rows(frame, 5000)
    assert len(first) == 5000 and first.equals(second)
    assert first["v"].is_monotonic_increasing and first["v"].is_unique
    assert first["v"].iloc[-1] > 900_000 and first["v"].iloc[0] < 100_000  # spread over all rows, not a head
    assert len(sample_rows(frame.head(10), 5000)) == 10
    assert sample_positions(3, 5).tolist() == [0, 1, 2]


def test_group_arrays_match_groupby_in_order_and_content():
    keys = pd.Series(pd.Categorical(["b", "a", "b", "c", "a", "b"], categories=["c", "b", "a", "unused"]))
    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    names, arrays, codes = group_arrays(keys, values)
    expected = {k: g.tolist() for k, g in pd.Series(values).groupby(keys, sort=False, observed=True)}
    assert names == list(expected) == ["b", "a", "c"]  # first appearance, as groupby(sort=False)
    assert [a.tolist() for a in arrays] == list(expected.values())  # each in row order
    assert codes.tolist() == [0, 1, 0, 2, 1, 0]


@pytest.mark.parametrize("how", ["count", "sum", "mean", "median", "min", "max"])
@pytest.mark.parametrize("by", [["r"], ["c", "r"]])
def test_aggregating_category_keys_gives_what_pandas_gives(by, how):
    # same groups, order and dtypes as pandas; sums add in row order (pandas compensates: last digits)
    rng = np.random.default_rng(1)
    n = 5000
    df = pd.DataFrame({
        "r": pd.Categorical.from_codes(rng.integers(-1, 8, n), [f"R{i}" for i in range(9)]),  # R8: no rows
        "c": pd.Categorical.from_codes(rng.integers(-1, 30, n), [f"C{i:02d}" for i in range(30)]),
        "v": np.where(rng.random(n) < 0.1, np.nan, rng.gamma(2, 50, n)),
    })
    df.loc[df["r"] == "R3", "v"] = np.nan  # a group whose values are all missing: NaN, not 0
    grouped = df.groupby(by, sort=False, observed=True, dropna=True)
    if how == "count":
        expected = grouped.size()
    else:
        expected = grouped["v"].sum(min_count=1) if how == "sum" else grouped["v"].agg(how)
    got = aggregate_values(df, by, "v", how, out="m")
    pd.testing.assert_frame_equal(got, expected.rename("m").reset_index(), check_exact=how not in ("sum", "mean"),
                                  rtol=1e-12)
    assert aggregate_values(df.iloc[:0], by, "v", how, out="m").empty
    # the text the small-file path reads and the categories the columnar cache loads: exactly the same numbers
    as_text = df.assign(**{b: df[b].astype(object) for b in by})
    text = aggregate_values(as_text, by, "v", how, out="m")
    assert text[by].astype(str).equals(got[by].astype(str))
    np.testing.assert_array_equal(text["m"].to_numpy(), got["m"].to_numpy())


def test_aggregating_keeps_key_dtypes_and_integer_sums_exact():
    days = pd.to_datetime(["2024-01-02", "2024-01-01", "2024-01-02", None])
    df = pd.DataFrame({"d": days, "n": np.array([2**53, 1, 1, 5], dtype=np.int64), "f": [0.5, np.nan, 1.5, 2.0]})
    summed = aggregate_values(df, ["d"], "n", "sum", out="m")
    assert summed["d"].dtype == df["d"].dtype and summed["d"].tolist() == list(days[:2])  # first appearance
    assert summed["m"].tolist() == [2**53 + 1, 1]  # not through float64, where 2**53 + 1 is 2**53
    averaged = aggregate_values(df, ["d"], "f", "mean", out="m")
    assert averaged["m"].tolist()[0] == 1.0 and np.isnan(averaged["m"].tolist()[1])  # no value: NaN, not 0


def test_groups_first_seen_late_keep_their_place():
    keys = np.array(["a"] * 100_000, dtype=object)
    keys[60_000], keys[-1] = "c", "b"  # beyond the first chunks read for the order of first appearance
    df = pd.DataFrame({"k": keys, "v": np.ones(len(keys))})
    for frame in (df, df.astype({"k": "category"})):
        table = aggregate_values(frame, ["k"], "v", "sum", out="m")
        assert table["k"].astype(str).tolist() == ["a", "c", "b"] and table["m"].tolist() == [99_998, 1, 1]
