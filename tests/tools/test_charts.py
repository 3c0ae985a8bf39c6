"""Chart tools rendered for real, with numbers checked against values worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from autoviz_pipeline.contracts import FilterSpec
from autoviz_pipeline.tools import TOOLS, apply_filters, get_tool, vega
from autoviz_pipeline.tools.charts import NO_ROWS, format_number, safe_text

from .test_support import assert_valid_vega_lite, make_profile, save_figure


@pytest.fixture
def sales() -> pd.DataFrame:
    """Seven sales: by hand, revenue sums to North 30, South 5, East 45, West 12.5 (total 92.5)."""
    return pd.DataFrame(
        {
            "date": pd.to_datetime(
                ["2015-01-10", "2015-02-11", "2015-03-12", "2016-01-05", "2016-02-06", "2016-03-07", "2017-06-01"]
            ),
            "region": ["North", "North", "South", "East", "East", "East", "West"],
            "product": ["A", "B", "A", "A", "B", "B", "A"],
            "revenue": [10.0, 20.0, 5.0, 7.0, 8.0, 30.0, 12.5],
            "units": [1, 2, 3, 4, 5, 6, 7],
        }
    )


def run(tool: str, df: pd.DataFrame, tmp_path=None, *, roles=None, **params):
    """Validate params, run the tool, render it and validate its spec (before and after the rows are inline)."""
    spec = get_tool(tool)
    model = spec.params(**params)
    profile = make_profile(df, roles=roles)
    output = spec.run(model, df, profile)
    if tmp_path is not None:
        save_figure(output, tmp_path, tool)
    if output.chart is not None:
        assert_valid_vega_lite(output.chart.spec)
    assert_valid_vega_lite(output.spec)
    return output


def data(output) -> list[dict]:
    return output.spec["data"]["values"]


def tick_labels(output, axis: str = "x") -> list[str]:
    ax = output.figure.axes[0]
    labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    return [label.get_text() for label in labels]


# --------------------------------------------------------------------------------------------------
# bar_chart
# --------------------------------------------------------------------------------------------------
def test_bar_chart_sums_revenue_by_region(sales, tmp_path):
    out = run("bar_chart", sales, tmp_path, x="region", y="revenue")
    assert {r["region"]: r["revenue"] for r in data(out)} == {"North": 30.0, "South": 5.0, "East": 45.0, "West": 12.5}
    assert tick_labels(out) == ["East", "North", "West", "South"]  # largest first
    assert out.finding == "East has the highest sum of revenue: 45 (49% of total); South the lowest: 5."
    assert out.figure.axes[0].get_ylabel() == "Sum of revenue"
    assert any("sum of revenue" in n for n in out.notes)  # regions repeat, so the values were summed
    y = out.spec["encoding"]["y"]
    assert (y["field"], y["aggregate"]) == ("revenue", "sum")
    assert out.spec["encoding"]["x"]["sort"] == ["East", "North", "West", "South"]  # the figure's order, stated


def test_one_bar_states_its_number(sales, tmp_path):
    out = run("bar_chart", sales[sales["region"] == "East"], tmp_path, x="region", y="revenue")
    assert out.finding == "The sum of revenue for East is 45."  # not "the highest … (100% of total)"


def test_bar_chart_counts_rows_without_y(sales, tmp_path):
    out = run("bar_chart", sales, tmp_path, x="region")
    assert {r["region"]: r["count"] for r in data(out)} == {"East": 3, "North": 2, "South": 1, "West": 1}
    assert out.spec["encoding"]["y"] == {
        "field": "count",
        "aggregate": "sum",
        "type": "quantitative",
        "title": "Count of rows",
    }
    assert out.finding.startswith("East has the highest count of rows: 3 (43% of total)")


def test_bar_chart_data_free_spec_counts_with_no_field(sales):
    spec = run("bar_chart", sales, x="region").chart.spec  # before the rows (one per bar) are inline
    assert spec["encoding"]["y"] == {"aggregate": "count", "type": "quantitative", "title": "Count of rows"}
    assert spec["data"] == {"name": "rows"} and spec["mark"] == "bar"


@pytest.mark.parametrize("aggregate, expected", [("mean", 15.0), ("max", 30.0), ("min", 7.0), ("median", 8.0)])
def test_bar_chart_aggregates(sales, aggregate, expected):
    out = run("bar_chart", sales, x="region", y="revenue", aggregate=aggregate)
    assert {r["region"]: r["revenue"] for r in data(out)}["East"] == expected
    assert out.spec["encoding"]["y"]["aggregate"] == aggregate


def test_bar_chart_shows_unique_values_as_is(sales):
    one_per_region = sales.drop_duplicates("region")
    out = run("bar_chart", one_per_region, x="region", y="revenue")
    assert out.figure.axes[0].get_ylabel() == "revenue"
    assert not out.notes


def test_bar_chart_stacked_and_grouped_by_color(sales, tmp_path):
    out = run("bar_chart", sales, tmp_path, x="region", y="revenue", color="product")
    cells = {(r["region"], r["product"]): r["revenue"] for r in data(out)}
    assert cells[("East", "B")] == 38.0 and cells[("East", "A")] == 7.0 and cells[("North", "A")] == 10.0
    assert out.figure.axes[0].get_legend() is not None
    grouped = run("bar_chart", sales, x="region", y="revenue", color="product", stacked=False)
    assert grouped.spec["encoding"]["xOffset"]["field"] == "product"


def test_bar_chart_time_unit_groups_dates_by_year(sales, tmp_path):
    out = run("bar_chart", sales, tmp_path, x="date", y="revenue", time_unit="year")
    assert {r["date"][:4]: r["revenue"] for r in data(out)} == {"2015": 35.0, "2016": 45.0, "2017": 12.5}
    assert tick_labels(out) == ["2015", "2016", "2017"]  # dates keep their order
    assert out.spec["encoding"]["x"]["timeUnit"] == "year"


def test_bar_chart_binned_x_uses_binned_spec_with_bin_ends(sales):
    out = run("bar_chart", sales, x="revenue", x_bin=3)  # nice step 10: 0-10, 10-20, 20-30 (30 in last)
    assert {r["revenue"]: r["count"] for r in data(out)} == {0.0: 3, 10.0: 2, 20.0: 1, 30.0: 1}
    assert out.spec["encoding"]["x"]["bin"] == "binned"
    assert out.spec["encoding"]["x2"] == {"field": "revenue_end"}
    assert data(out)[0]["revenue_end"] - data(out)[0]["revenue"] == 10.0


def test_bar_chart_keeps_empty_bins_in_place():
    df = pd.DataFrame({"v": [1.0, 2.0, 25.0]})
    out = run("bar_chart", df, x="v", x_bin=3)  # step 10: bins 0–10 (2 rows), 10–20 (empty), 20–30 (1 row)
    assert tick_labels(out) == ["0–10", "10–20", "20–30"]
    heights = [bar.get_height() for bar in out.figure.axes[0].patches]
    assert heights == [2, 0, 1]


def test_bar_chart_caps_categories_at_60(tmp_path):
    df = pd.DataFrame({"shop": [f"s{i:02d}" for i in range(70)], "sales": np.arange(70, dtype=float)})
    out = run("bar_chart", df, tmp_path, x="shop", y="sales")
    assert len(data(out)) == 60
    assert {r["shop"] for r in data(out)} == {f"s{i:02d}" for i in range(10, 70)}  # the 60 largest
    assert any("top 60 of 70" in n for n in out.notes)
    assert any("joinaggregate" in t for t in out.spec["usermeta"]["applied_transforms"])


def test_bar_chart_top_n_and_sort(sales, tmp_path):
    out = run("bar_chart", sales, tmp_path, x="region", y="revenue", top_n=2)
    assert tick_labels(out) == ["East", "North"]  # the 2 largest of North 30, South 5, East 45, West 12.5
    assert any("top 2 of 4" in n for n in out.notes)
    assert out.finding == "East has the highest sum of revenue: 45 (60% of total); North the lowest: 30."  # of the 2
    # ascending with top_n: the bottom 2 ("the bottom 2 regions", "the 5 youngest"), smallest first
    bottom = run("bar_chart", sales, tmp_path, x="region", y="revenue", top_n=2, sort="ascending")
    assert tick_labels(bottom) == ["South", "West"] and any("bottom 2 of 4" in n for n in bottom.notes)
    assert bottom.spec["encoding"]["x"]["sort"] == ["South", "West"]
    assert data(bottom) == [{"region": "South", "revenue": 5.0}, {"region": "West", "revenue": 12.5}]  # shown bars
    assert [p.get_height() for p in bottom.figure.axes[0].patches] == [5.0, 12.5]
    ranked = [t for t in bottom.spec["usermeta"]["applied_transforms"] if "window" in t]
    # the category breaks ties, so each group gets a rank of its own and "top 2" never shows more than 2
    assert ranked[0]["sort"] == [{"field": "__group_measure", "order": "ascending"},
                                 {"field": "region", "order": "ascending"}]
    tied = pd.DataFrame({"region": ["A", "B", "C", "D", "E"], "revenue": [9.0, 9.0, 9.0, 4.0, 1.0]})
    top = run("bar_chart", tied, tmp_path, x="region", y="revenue", top_n=2)
    assert tick_labels(top) == ["A", "B"]  # three groups tie at 9: the first two by name, as the spec ranks them


def test_bar_chart_keeps_each_date_of_a_top_n():
    days = pd.DataFrame({"day": pd.date_range("2023-01-01", periods=200, freq="D"), "t": np.arange(200.0) % 37})
    out = run("bar_chart", days, x="day", y="t", aggregate="max", top_n=3)
    # 200 dates would be grouped by month; "the 3 hottest days" keeps days: t = 36 on days 36, 73, 110
    assert tick_labels(out) == ["2023-02-06", "2023-03-15", "2023-04-21"]  # ties (days 147, 184) by date
    assert out.spec["encoding"]["x"].get("timeUnit") is None


def test_a_top_n_of_periods_ranks_the_periods_not_the_readings():
    """Readings every 6 hours, "the 3 days with the highest mean": the drawn bars and the spec's ranking both
    group by day; ranking raw timestamps in the spec would keep a day's best readings only."""
    at = pd.date_range("2023-01-01", periods=40, freq="6h")  # 10 days, 4 readings each
    level = np.array([float((i // 4) % 5) + (i % 4) * 0.1 for i in range(40)])  # day d: mean (d % 5) + 0.15
    out = run("bar_chart", pd.DataFrame({"at": at, "level": level}), x="at", y="level", aggregate="mean",
              top_n=3, time_unit="day")
    # days 4 and 9 (2023-01-05, -10) have mean 4.15; days 3 and 8 tie at 3.15, the earlier kept
    assert tick_labels(out) == ["2023-01-04", "2023-01-05", "2023-01-10"]
    transforms = out.spec["usermeta"]["applied_transforms"]  # as the profile-only spec carries them too
    assert transforms[0] == {"timeUnit": "yearmonthdate", "field": "at", "as": "__group_key"}
    assert transforms[1]["groupby"] == ["__group_key"]
    spec = out.spec
    assert spec["encoding"]["x"]["timeUnit"] == "yearmonthdate"


def test_bar_chart_rejects_text_in_a_numeric_param(sales):
    tool = get_tool("bar_chart")
    with pytest.raises(ValueError, match="'y'.*'product'"):
        tool.run(tool.params(x="region", y="product"), sales, make_profile(sales))


def test_missing_column_names_the_column(sales):
    tool = get_tool("bar_chart")
    with pytest.raises(ValueError, match="'profit'"):
        tool.run(tool.params(x="region", y="profit"), sales, make_profile(sales))


# --------------------------------------------------------------------------------------------------
# line_chart
# --------------------------------------------------------------------------------------------------
def test_line_chart_resamples_by_month(tmp_path):
    days = pd.date_range("2015-01-01", "2015-03-31", freq="D")
    df = pd.DataFrame({"day": days, "visits": 1.0})
    out = run("line_chart", df, tmp_path, x="day", y="visits", time_unit="month")
    assert [r["visits"] for r in data(out)] == [31.0, 28.0, 31.0]
    assert [r["day"][:7] for r in data(out)] == ["2015-01", "2015-02", "2015-03"]
    assert out.spec["encoding"]["x"] == {"field": "day", "type": "temporal", "timeUnit": "yearmonth", "title": "day"}
    assert out.finding == "Sum of visits went from 31 (2015-01) to 31 (2015-03), +0%; the peak was 31 in 2015-01."


def test_line_chart_picks_a_coarser_unit_for_many_dates(tmp_path):
    days = pd.date_range("2015-01-04", periods=700, freq="D")  # a Sunday, 100 whole weeks
    df = pd.DataFrame({"day": days, "visits": np.arange(700, dtype=float)})
    out = run("line_chart", df, tmp_path, x="day", y="visits")
    assert len(data(out)) == 100
    assert data(out)[0]["visits"] == sum(range(7))
    assert any("grouped by week" in n for n in out.notes)
    assert out.spec["encoding"]["x"]["timeUnit"] == "yearweek"  # the spec says the unit the rows are grouped by


def test_line_chart_leaves_a_partial_last_period_out_of_the_finding():
    days = pd.date_range("2015-01-01", "2015-03-02", freq="D")
    df = pd.DataFrame({"day": days, "visits": 1.0})
    out = run("line_chart", df, x="day", y="visits", time_unit="month")
    assert [r["visits"] for r in data(out)][-1] == 2.0  # drawn…
    assert "to 31 (2015-01)" not in out.finding and "(2015-02)" in out.finding  # …but not read as a collapse
    assert any("partly covered" in n for n in out.notes)


def test_line_chart_one_line_per_color_and_area(sales, tmp_path):
    out = run("line_chart", sales, tmp_path, x="date", y="revenue", color="region", area=True)
    assert out.spec["mark"] == "area"
    assert out.finding.startswith("Of 4 region lines, East is largest overall")
    assert len(out.figure.axes[0].get_legend().get_texts()) == 4


def test_line_chart_counts_rows(sales):
    out = run("line_chart", sales, x="date", time_unit="year")
    assert [r["count"] for r in data(out)] == [3, 3, 1]


def test_line_chart_downsamples_many_numeric_x_values_but_the_finding_uses_every_point(tmp_path):
    n = 100_000
    rng = np.random.default_rng(4)
    df = pd.DataFrame({"t": np.arange(n, dtype=float), "v": rng.normal(size=n).cumsum()})
    df.loc[61_234, "v"] = 10_000.0  # a one-point spike
    out = run("line_chart", df, tmp_path, x="t", y="v")
    (line,) = out.figure.axes[0].get_lines()
    assert len(line.get_xdata()) == 2000
    assert 10_000.0 in line.get_ydata() and df["v"].min() in line.get_ydata()  # the spike and the low are drawn
    assert line.get_xdata()[0] == 0 and line.get_xdata()[-1] == n - 1
    assert "Drawn with 2,000 of 100,000 points (LTTB downsampling); the finding uses every point." in out.notes
    last = format_number(df["v"].iloc[-1])
    assert out.finding == f"v went from {format_number(df['v'].iloc[0])} (0) to {last} (99999), " \
        f"{(df['v'].iloc[-1] - df['v'].iloc[0]) / abs(df['v'].iloc[0]):+.0%}; the peak was 10,000 in 61234."
    rows = data(out)  # the spec holds the drawn points, not the first 5,000 rows
    assert [r["t"] for r in rows] == line.get_xdata().tolist()
    assert not any("inline chart data" in note for note in out.notes)


def test_line_chart_downsamples_each_line_within_the_spec_cap():
    n = 30_000
    df = pd.DataFrame({"t": np.tile(np.arange(n // 3, dtype=float), 3), "v": np.arange(n, dtype=float),
                       "g": np.repeat(["a", "b", "c"], n // 3)})
    df.loc[5, "v"] = -1e6  # line "a" dips once
    out = run("line_chart", df, x="t", y="v", color="g")
    lines = out.figure.axes[0].get_lines()
    assert [len(line.get_xdata()) for line in lines] == [1666, 1666, 1666]  # 5,000 spec rows // 3 lines
    assert any(-1e6 in line.get_ydata() for line in lines)
    assert len(data(out)) == 3 * 1666 and any("at most 1,666 a line" in n for n in out.notes)


def test_line_chart_downsamples_a_fine_time_unit_and_stacked_areas_share_x():
    hours = pd.date_range("2020-01-01", periods=24 * 400, freq="h")
    df = pd.DataFrame({"ts": np.tile(hours, 2), "v": 1.0, "g": np.repeat(["a", "b"], len(hours))})
    out = run("line_chart", df, x="ts", y="v", time_unit="hour")
    (line,) = out.figure.axes[0].get_lines()
    assert len(line.get_xdata()) == 2000 and any("of 9,600 points" in n for n in out.notes)
    stacked = run("line_chart", df, x="ts", y="v", color="g", area=True, time_unit="hour")
    assert any("at 2,000 of 9,600 x values" in n for n in stacked.notes)
    assert len(data(stacked)) == 2 * 2000  # both areas at the same 2,000 x values
    area = run("line_chart", df.iloc[: len(hours)], x="ts", y="v", area=True, time_unit="hour")
    (fill,) = area.figure.axes[0].collections  # the area under a downsampled line follows the drawn points
    assert len(fill.get_paths()[0].vertices) <= 2 * 2000 + 3 and len(data(area)) == 2000


def test_line_chart_with_few_points_draws_them_all(sales):
    out = run("line_chart", sales, x="date", y="revenue")
    assert len(out.figure.axes[0].get_lines()[0].get_xdata()) == len(sales)
    assert not any("LTTB" in n for n in out.notes)


# --------------------------------------------------------------------------------------------------
# scatter_plot
# --------------------------------------------------------------------------------------------------
def test_scatter_plot_reports_the_correlation(tmp_path):
    df = pd.DataFrame({"x": np.arange(20.0), "y": 2 * np.arange(20.0) + 1, "g": ["a", "b"] * 10})
    out = run("scatter_plot", df, tmp_path, x="x", y="y", color="g")
    assert out.finding == "y and x show a strong positive relationship (Pearson r = 1.00 over 20 points)."
    assert len(data(out)) == 20
    assert out.spec["mark"] == "point"


def test_scatter_plot_samples_deterministically_above_max_points():
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"x": rng.normal(size=6000), "y": rng.normal(size=6000)})
    first = run("scatter_plot", df, x="x", y="y", max_points=5000)
    second = run("scatter_plot", df, x="x", y="y", max_points=5000)
    assert len(data(first)) == 5000
    assert data(first) == data(second)
    assert any("5,000 of 6,000" in n for n in first.notes)


def test_scatter_plot_sizes_by_row_count(tmp_path):
    df = pd.DataFrame({"a": [1, 1, 1, 2], "b": [5, 5, 5, 6]})
    out = run("scatter_plot", df, tmp_path, x="a", y="b", size_aggregate="count")
    assert sorted((r["a"], r["b"], r["count"]) for r in data(out)) == [(1, 5, 3), (2, 6, 1)]
    assert out.spec["encoding"]["size"]["aggregate"] == "sum"
    assert out.chart.spec["encoding"]["size"]["aggregate"] == "count"  # before the rows are inline


def test_scatter_plot_with_category_and_date_axes(sales, tmp_path):
    out = run("scatter_plot", sales, tmp_path, x="date", y="region", size="units")
    assert out.finding == "Plotted 7 points of region against date."
    assert out.spec["encoding"]["x"]["type"] == "temporal" and out.spec["encoding"]["y"]["type"] == "nominal"


# --------------------------------------------------------------------------------------------------
# histogram and box_plot
# --------------------------------------------------------------------------------------------------
def test_histogram_counts_per_round_bin(tmp_path):
    df = pd.DataFrame({"v": [0.0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9.5], "g": ["a"] * 6 + ["b"] * 5})
    out = run("histogram", df, tmp_path, column="v", bins=5)  # edges 0, 2, 4, 6, 8, 10
    assert {r["v"]: r["count"] for r in data(out)} == {0.0: 2, 2.0: 2, 4.0: 2, 6.0: 2, 8.0: 3}
    assert out.finding.startswith("The most common range of v is 8–10 (3 of 11 rows, 27%)")
    assert out.spec["encoding"]["x"]["bin"] == "binned" and out.spec["encoding"]["x2"] == {"field": "v_end"}
    bare = out.chart.spec  # before the rows are inline
    assert bare["encoding"]["x"]["bin"] == {"maxbins": 5} and bare["encoding"]["y"]["aggregate"] == "count"
    stacked = run("histogram", df, tmp_path, column="v", bins=5, color="g")
    assert {(r["v"], r["g"]): r["count"] for r in data(stacked)}[(4.0, "a")] == 2


def test_box_plot_compares_medians(tmp_path):
    df = pd.DataFrame({"v": [1.0, 2, 3, 4, 5, 10, 20, 30], "g": ["A"] * 5 + ["B"] * 3})
    out = run("box_plot", df, tmp_path, column="v", by="g")
    assert out.finding == "B has the highest median v: 20 (IQR 15–25); A the lowest: 3."
    assert tick_labels(out) == ["B", "A"]
    # the spec draws the boxes' statistics, computed over every row (whiskers at 1.5 × IQR, as in matplotlib)
    assert [layer["mark"]["type"] for layer in out.spec["layer"]] == ["rule", "rule", "bar", "tick"]
    assert data(out) == [{"g": "B", "lower whisker": 10.0, "Q1": 15.0, "median": 20.0, "Q3": 25.0,
                          "upper whisker": 30.0, "rows": 3},
                         {"g": "A", "lower whisker": 1.0, "Q1": 2.0, "median": 3.0, "Q3": 4.0, "upper whisker": 5.0,
                          "rows": 5}]
    single = run("box_plot", df, tmp_path, column="v")
    assert single.finding.startswith("Median v is 4.50 (IQR 2.75–12.50, range 1–30)")
    one_group = run("box_plot", df[df["g"] == "A"], tmp_path, column="v", by="g")  # one box is no "highest"
    assert one_group.finding == "The median v for A is 3 (IQR 2–4)."


def test_box_plot_caps_groups_at_20():
    df = pd.DataFrame({"v": np.arange(50.0), "g": [f"g{i % 25}" for i in range(50)]})
    out = run("box_plot", df, column="v", by="g")
    assert len(tick_labels(out)) == 20
    assert any("20 of 25" in n for n in out.notes)


# --------------------------------------------------------------------------------------------------
# pie_chart
# --------------------------------------------------------------------------------------------------
def test_pie_chart_sums_and_lumps_small_slices_into_other(tmp_path):
    df = pd.DataFrame({"c": [f"c{i:02d}" for i in range(1, 13) for _ in range(i)]})  # c01 once … c12 12 times
    out = run("pie_chart", df, tmp_path, category="c")
    slices = {r["c"]: r["count"] for r in data(out)}
    assert len(slices) == 11 and slices["Other (2 more)"] == 1 + 2
    assert slices["c12"] == 12
    assert out.finding == "c12 makes up the largest share of rows: 15% (12 of 78)."
    assert any("10 largest of 12" in n for n in out.notes)
    assert out.spec["mark"] == "arc" and "theta" in out.spec["encoding"]


def test_pie_chart_of_values_and_top_n(sales, tmp_path):
    out = run("pie_chart", sales, tmp_path, category="region", value="revenue", top_n=2)
    assert {r["region"]: r["revenue"] for r in data(out)} == {"East": 45.0, "North": 30.0, "Other (2 more)": 17.5}
    # three slices: each is named (North 30 of 92.50 is 32%, the two others 17.50: 19%)
    assert out.finding == ("East makes up the largest share of total revenue: 49% (45 of 92.50); North 32% (30), "
                           "Other (2 more) 19% (17.50).")


# --------------------------------------------------------------------------------------------------
# heatmap and correlation_heatmap
# --------------------------------------------------------------------------------------------------
def test_heatmap_sums_each_cell(sales, tmp_path):
    out = run("heatmap", sales, tmp_path, x="region", y="product", value="revenue", aggregate="sum")
    cells = {(r["region"], r["product"]): r["revenue"] for r in data(out)}
    assert cells == {
        ("North", "A"): 10.0,
        ("North", "B"): 20.0,
        ("South", "A"): 5.0,
        ("East", "A"): 7.0,
        ("East", "B"): 38.0,
        ("West", "A"): 12.5,
    }
    assert out.finding == "The highest sum of revenue is at region = East and product = B: 38."
    assert out.spec["mark"] == "rect" and out.spec["encoding"]["color"]["aggregate"] == "sum"


def test_heatmap_counts_with_binned_and_temporal_axes(sales, tmp_path):
    out = run("heatmap", sales, tmp_path, x="date", y="revenue", time_unit="year", y_bin=3)
    assert sum(r["count"] for r in data(out)) == 7
    assert out.spec["encoding"]["x"]["timeUnit"] == "year"
    assert out.spec["encoding"]["y2"] == {"field": "revenue_end"}


def test_correlation_heatmap_names_the_strongest_pair(tmp_path):
    rng = np.random.default_rng(0)
    a = rng.normal(size=50)
    df = pd.DataFrame({"a": a, "b": 3 * a + 1, "c": rng.normal(size=50), "label": ["x"] * 50})
    out = run("correlation_heatmap", df, tmp_path)
    assert out.finding.startswith("The strongest correlation is between")
    assert "a and b" in out.finding or "b and a" in out.finding
    assert "r = 1.00 (strong positive)" in out.finding
    assert len(data(out)) == 9  # 3 × 3 pairs; the text column is left out
    pairs = {(r["column_x"], r["column_y"]): r["correlation"] for r in data(out)}
    assert pairs[("a", "a")] == pytest.approx(1.0)


def test_correlation_heatmap_needs_two_numeric_columns():
    df = pd.DataFrame({"a": [1.0, 2.0], "label": ["x", "y"]})
    tool = get_tool("correlation_heatmap")
    with pytest.raises(ValueError, match="at least two numeric columns"):
        tool.run(tool.params(), df, make_profile(df))


# --------------------------------------------------------------------------------------------------
# robustness: empty data, hostile text, every chart valid
# --------------------------------------------------------------------------------------------------
CHART_PARAMS = {
    "bar_chart": {"x": "region", "y": "revenue", "color": "product"},
    "line_chart": {"x": "date", "y": "revenue", "time_unit": "month"},
    "scatter_plot": {"x": "units", "y": "revenue", "color": "region"},
    "histogram": {"column": "revenue"},
    "box_plot": {"column": "revenue", "by": "region"},
    "pie_chart": {"category": "region", "value": "revenue"},
    "heatmap": {"x": "region", "y": "product"},
    "correlation_heatmap": {},
    "anomaly_detection": {"column": "revenue", "x": "date"},
}


def test_every_chart_tool_is_covered():
    assert set(CHART_PARAMS) == {name for name, tool in TOOLS.items() if tool.kind == "chart"}


@pytest.mark.parametrize("tool", sorted(CHART_PARAMS))
def test_empty_after_filtering_draws_a_placeholder(sales, tool, tmp_path):
    filters = [FilterSpec(column="region", op="eq", value="Atlantis")]
    empty = apply_filters(sales, filters)
    assert empty.empty
    out = run(tool, empty, tmp_path, **CHART_PARAMS[tool], filters=filters)
    assert NO_ROWS in out.finding
    assert data(out) == []
    texts = [t.get_text() for t in out.figure.axes[0].texts]
    assert NO_ROWS in texts


@pytest.mark.parametrize("tool", sorted(CHART_PARAMS))
def test_specs_carry_filters_as_transforms(sales, tool):
    filters = [
        FilterSpec(column="region", op="in", values=["north", "EAST"]),
        FilterSpec(column="date", op="gte", value=2015),
        FilterSpec(column="revenue", op="range", values=[1, 100]),
    ]
    applied = run(tool, sales, **CHART_PARAMS[tool], filters=filters).spec["usermeta"]
    if tool != "correlation_heatmap":
        assert applied["applied_transforms"][:3] == [
            {"filter": {"field": "region", "oneOf": ["North", "East"]}},  # the casing the data has
            {"filter": {"field": "date", "gte": {"year": 2015, "month": 1, "date": 1}}},
            {"filter": {"field": "revenue", "range": [1, 100]}},
        ]


HOSTILE_CATEGORY = "$x$ <script>alert(1)</script>"
HOSTILE_NUMBER = r"a.b[0] $\frac{$"


@pytest.fixture
def hostile() -> pd.DataFrame:
    return pd.DataFrame(
        {
            HOSTILE_CATEGORY: [r"$\alpha^{$", "$5 and $6", "plain", r"$\alpha^{$", "{}</svg>"],
            HOSTILE_NUMBER: [1.0, 2.0, 3.0, 4.0, 100.0],
            "$other$": [2.0, 1.0, 5.0, 3.0, 4.0],
            "when $": pd.to_datetime(["2015-01-01", "2015-02-01", "2015-03-01", "2015-04-01", "2015-05-01"]),
        }
    )


HOSTILE_PARAMS = {
    "bar_chart": {"x": HOSTILE_CATEGORY, "y": HOSTILE_NUMBER, "color": HOSTILE_CATEGORY},
    "line_chart": {"x": "when $", "y": HOSTILE_NUMBER, "color": HOSTILE_CATEGORY},
    "scatter_plot": {"x": HOSTILE_NUMBER, "y": "$other$", "color": HOSTILE_CATEGORY, "size": "$other$"},
    "histogram": {"column": HOSTILE_NUMBER, "color": HOSTILE_CATEGORY},
    "box_plot": {"column": HOSTILE_NUMBER, "by": HOSTILE_CATEGORY},
    "pie_chart": {"category": HOSTILE_CATEGORY, "value": HOSTILE_NUMBER},
    "heatmap": {"x": HOSTILE_CATEGORY, "y": "$other$", "value": HOSTILE_NUMBER, "aggregate": "mean"},
    "correlation_heatmap": {"columns": [HOSTILE_NUMBER, "$other$"]},
    "anomaly_detection": {"column": HOSTILE_NUMBER, "x": HOSTILE_CATEGORY},
}


@pytest.mark.parametrize("tool", sorted(HOSTILE_PARAMS))
def test_hostile_names_and_values_render_as_typed(hostile, tool, tmp_path):
    out = run(tool, hostile, tmp_path, **HOSTILE_PARAMS[tool])
    svg = (tmp_path / f"{tool}.svg").read_text(encoding="utf-8")
    assert "<script>" not in svg  # text is escaped by the SVG writer, never injected
    texts = [t.get_text() for ax in out.figure.axes for t in ax.get_xticklabels() + ax.get_yticklabels()]
    texts += [ax.get_title() for ax in out.figure.axes]
    assert all("$" not in t.replace(r"\$", "") for t in texts)  # every dollar is escaped: no mathtext


def test_dotted_field_names_are_escaped_in_specs():
    df = pd.DataFrame({"a.b[0]": [1.0, 2.0, 3.0, 4.0, 100.0]})
    out = run("histogram", df, column="a.b[0]")
    assert out.spec["encoding"]["x"]["field"] == r"a\.b\[0\]"  # not nested access
    assert out.spec["encoding"]["x2"] == {"field": r"a\.b\[0\]_end"}
    assert set(out.spec["data"]["values"][0]) == {"a.b[0]", "a.b[0]_end", "count"}  # the data keeps the real name


def test_a_name_vega_lite_cannot_read_is_aliased_in_specs_and_titled_as_typed(hostile):
    out = run("histogram", hostile, column=HOSTILE_NUMBER)  # a backslash: Vega-Lite drops it, escaped or not
    x = out.spec["encoding"]["x"]
    assert x["field"] == vega.data_key(HOSTILE_NUMBER) == "__col_" + HOSTILE_NUMBER.encode().hex()
    assert x["title"] == HOSTILE_NUMBER
    assert out.spec["encoding"]["x2"] == {"field": vega.data_key(HOSTILE_NUMBER + "_end")}
    assert set(out.spec["data"]["values"][0]) == {x["field"], out.spec["encoding"]["x2"]["field"], "count"}
    assert out.spec["usermeta"]["renamed_columns"][x["field"]] == HOSTILE_NUMBER


def test_safe_text_and_format_number():
    assert safe_text("$x$") == r"\$x\$"
    assert safe_text("abcdef", limit=4) == "abc…"
    assert format_number(1234567) == "1,234,567"
    assert format_number(12345.678) == "12,346"
    assert format_number(12.345) == "12.35"
    assert format_number(0.012345) == "0.0123"
    assert format_number(float("nan")) == "n/a"


def test_a_column_without_values_draws_a_placeholder_saying_why(tmp_path):
    df = pd.DataFrame({"v": [np.nan, np.nan], "g": ["a", "b"]})
    out = run("histogram", df, tmp_path, column="v")
    assert out.finding == f"{NO_ROWS}: v has no values."
    assert out.notes == ["2 rows with no v left out."]


def test_box_plot_of_millions_of_outliers_draws_a_capped_sample(tmp_path):
    """A huge column must not become hundreds of thousands of SVG markers; boxes still use every value."""
    from autoviz_pipeline.tools.charts import MAX_FLIERS_PER_BOX

    rng = np.random.default_rng(0)
    values = np.r_[rng.normal(0, 1, 200_000), rng.normal(50, 5, 20_000)]  # 20,000 far outliers
    df = pd.DataFrame({"v": values})
    spec = get_tool("box_plot")
    out = spec.run(spec.params(column="v"), df, make_profile(df))
    drawn = [line for line in out.figure.axes[0].lines if line.get_marker() not in (None, "None", "")]
    assert sum(len(line.get_xdata()) for line in drawn) <= MAX_FLIERS_PER_BOX
    assert any("not drawn" in n for n in out.notes)
    far = int(out.finding.split(" values lie beyond")[0].split("; ")[-1].split(" of ")[0].replace(",", ""))
    assert far >= 20_000  # the finding counts every outlier, not the drawn sample
    # the extremes are kept: the largest outlier is among the drawn points
    assert max(max(line.get_ydata()) for line in drawn) == pytest.approx(values.max())
    _, svg = save_figure(out, tmp_path)
    assert svg.stat().st_size < 1_000_000


def test_days_of_the_week_in_order_with_their_names(tmp_path):
    # 2024-01-01 is a Monday: 14 days give each weekday twice; v is the day of the month
    days = pd.DataFrame({"day": pd.date_range("2024-01-01", periods=14, freq="D"), "v": np.arange(1.0, 15.0)})
    bars = run("bar_chart", days, tmp_path, x="day", y="v", aggregate="sum", time_unit="weekday")
    assert tick_labels(bars) == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert [p.get_height() for p in bars.figure.axes[0].patches] == [1 + 8, 2 + 9, 3 + 10, 4 + 11, 5 + 12, 6 + 13,
                                                                     7 + 14]
    assert bars.spec["encoding"]["x"]["timeUnit"] == "day"  # Vega-Lite's day of the week, over the same dates
    assert bars.finding.startswith("Sunday has the highest sum of v: 21")
    line = run("line_chart", days.iloc[:10], tmp_path, x="day", y="v", aggregate="sum", time_unit="weekday")
    assert tick_labels(line) == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert not any("partly covered" in n for n in line.notes)  # a weekday is no period of the calendar


def test_infinite_group_values_are_named_apart_not_ranked():
    """A sum that overflows (two 1e308s) or an infinite mean is no "highest: n/a (nan% of total)": the finite
    groups are ranked and the infinite ones are named apart."""
    from autoviz_pipeline.tools.charts import ranking_sentence

    values = pd.Series([1.0, 5.0, np.inf, -np.inf, np.nan], index=["a", "b", "d", "e", "f"])
    sentence = ranking_sentence(values, phrase="sum of v", additive=True)
    assert sentence.startswith("b has the highest sum of v: 5 (83% of total); a the lowest: 1.")
    assert "d, e: infinite sum of v" in sentence and "nan" not in sentence and "n/a" not in sentence
    assert ranking_sentence(pd.Series([np.inf], index=["z"]), phrase="mean of v", additive=False).startswith(
        "No finite mean of v to compare. z: an infinite mean of v")
    assert format_number(float("inf")) == "∞" and format_number(float("-inf")) == "-∞"
    assert format_number(float("nan")) == "n/a"


def test_line_chart_draws_dates_at_the_calendar_ends(tmp_path):
    """Dates in years 0001 and 9999 (as read from a CSV) are drawn: no axis margin past matplotlib's range."""
    from autoviz_pipeline.handoff import load_frame
    from autoviz_pipeline.profiling import profile_dataset

    csv = tmp_path / "ends.csv"
    csv.write_text("date,v\n0001-01-01,1\n2024-02-01,5\n2024-03-01,3\n9999-12-31,2\n")
    df = load_frame(profile_dataset(csv))
    out = run("line_chart", df, tmp_path, x="date", y="v")  # renders PNG and SVG for real (save_figure)
    assert out.figure is not None and "the peak was 5" in out.finding


def test_scatter_of_many_rows_keeps_far_points_and_correlates_every_point(tmp_path):
    """300,000 points and three far from the rest: at most CAPS.spec_rows drawn and carried, the three among them
    (a random sample would keep each with a chance of 1.7%), and r computed over every point, not the drawn ones."""
    from autoviz_pipeline.tools.caps import CAPS

    rng = np.random.default_rng(1)
    a = rng.normal(0, 1, 300_000)
    df = pd.DataFrame({"a": a, "b": a + rng.normal(0, 0.5, len(a))})
    far = {(40.0, -40.0), (-35.0, 30.0), (0.5, 60.0)}
    df.iloc[[7, 150_000, 299_990]] = sorted(far)
    out = run("scatter_plot", df, tmp_path, x="a", y="b")
    drawn = np.concatenate([c.get_offsets() for c in out.figure.axes[0].collections])
    assert len(drawn) <= CAPS.spec_rows
    assert far <= {tuple(p) for p in drawn.tolist()}
    assert far <= {(r["a"], r["b"]) for r in out.spec["data"]["values"]}
    r = np.corrcoef(df["a"], df["b"])[0, 1]
    assert out.finding == f"b and a show a strong positive relationship (Pearson r = {r:.2f} over 300,000 points)."
    assert f"Drawn with {len(drawn):,} of 300,000 points (the extremes, one point per occupied grid cell and a fixed " \
           "random sample); the finding uses every point." in out.notes


def test_scatter_with_a_size_per_point_keeps_the_svg_cap(tmp_path):
    """Points of their own sizes are one SVG path each (~650 bytes): beyond CAPS.vector_points they are an image
    inside the SVG; points of one size share one marker shape and stay vectors."""
    from autoviz_pipeline.tools.caps import CAPS

    rng = np.random.default_rng(2)
    df = pd.DataFrame({"a": rng.gamma(2, 20, 50_000), "b": rng.integers(1, 20, 50_000), "w": rng.uniform(0, 9, 50_000)})
    for size, raster in (("w", True), (None, False)):
        out = run("scatter_plot", df, x="a", y="b", size=size)
        (points,) = [c for c in out.figure.axes[0].collections if len(c.get_offsets())]
        assert points.get_rasterized() is raster
        out.figure.savefig(tmp_path / "s.svg", format="svg", dpi=110)
        assert (tmp_path / "s.svg").stat().st_size <= CAPS.svg_bytes / 2
