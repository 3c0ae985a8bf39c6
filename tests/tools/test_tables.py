"""aggregate_table and summary_statistics, against numbers worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from autoviz_pipeline.tools import get_tool

from .test_support import make_profile


def table(tool: str, df: pd.DataFrame, **params):
    spec = get_tool(tool)
    out = spec.run(spec.params(**params), df, make_profile(df))
    assert out.spec is None and out.figure is None
    return out


@pytest.fixture
def sales() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": ["North", "North", "South", "East", "East", "East", "West"],
            "product": ["A", "B", "A", "A", "B", "B", "A"],
            "revenue": [10.0, 20.0, 5.0, 7.0, 8.0, 30.0, 12.5],
        }
    )


def test_aggregate_table_sums_with_shares(sales):
    out = table("aggregate_table", sales, group_by=["region"], value="revenue")
    assert out.table["region"].tolist() == ["East", "North", "West", "South"]
    assert out.table["Sum of revenue"].tolist() == [45.0, 30.0, 12.5, 5.0]
    # by hand: 45 / 92.5 = 48.6%, 30 / 92.5 = 32.4%
    assert out.table["Share of total (%)"].tolist()[:2] == [48.6, 32.4]
    assert out.finding == "East has the highest sum of revenue: 45 (49% of total); South the lowest: 5."


def test_aggregate_table_counts_without_value_and_sorts_ascending(sales):
    out = table("aggregate_table", sales, group_by=["region"], sort="ascending")
    assert list(out.table.columns) == ["region", "Count of rows", "Share of total (%)"]
    assert out.table["Count of rows"].tolist() == [1, 1, 2, 3]
    assert not out.notes


def test_aggregate_table_two_groups_mean_and_top_n(sales):
    out = table("aggregate_table", sales, group_by=["region", "product"], value="revenue", aggregate="mean", top_n=2)
    assert out.table[["region", "product"]].values.tolist() == [["North", "B"], ["East", "B"]]
    assert out.table["Mean of revenue"].tolist() == [20.0, 19.0]
    assert "Share of total (%)" not in out.table  # means do not add up to a total
    assert out.notes == ["Showing top 2 of 6 groups."]
    assert out.finding.startswith("North / B has the highest mean of revenue: 20;")


def test_aggregate_table_empty_after_filtering(sales):
    out = table("aggregate_table", sales.iloc[0:0], group_by=["region"], value="revenue")
    assert out.table.empty and "No rows" in out.finding


def test_aggregate_table_rejects_value_among_groups(sales):
    with pytest.raises(ValueError, match="revenue"):
        table("aggregate_table", sales, group_by=["revenue"], value="revenue")


def test_summary_statistics_by_hand():
    df = pd.DataFrame(
        {
            "v": [1.0, 2.0, 3.0, 4.0, None],
            "c": ["a", "b", "a", None, None],
            "t": pd.to_datetime(["2015-01-01", "2015-01-02", None, "2015-01-03", "2015-01-04"]),
        }
    )
    out = table("summary_statistics", df)
    stats = out.table.set_index("column")
    v = stats.loc["v"]
    assert (v["count"], v["nulls"], v["distinct"]) == (4, 1, 4)
    assert v["mean"] == 2.5 and v["min"] == 1.0 and v["max"] == 4.0
    # sample std, 1.2909944…, to the data's precision (whole numbers) with four significant digits
    assert v["std"] == round(math.sqrt(((1.5**2) * 2 + (0.5**2) * 2) / 3), 3) == 1.291
    assert (v["25%"], v["50%"], v["75%"]) == (1.75, 2.5, 3.25)
    c = stats.loc["c"]
    assert (c["count"], c["nulls"], c["distinct"], c["top"], c["top_count"]) == (3, 2, 2, "a", 2)
    assert stats.loc["t", "min"] == "2015-01-01" and stats.loc["t", "max"] == "2015-01-04"
    assert out.finding == "5 rows × 3 columns summarised; c has the most missing values (2, 40%)."


def test_summary_statistics_selected_columns_and_no_missing():
    df = pd.DataFrame({"a": np.arange(3.0), "b": ["x", "y", "z"]})
    out = table("summary_statistics", df, columns=["a"])
    assert out.table["column"].tolist() == ["a"]
    assert out.finding.endswith("no missing values.")
