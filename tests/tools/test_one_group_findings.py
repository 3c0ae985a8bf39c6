"""A chart with one group says that group's value, not that it is "the highest" or "the largest" of one
(#13 point 6): one line of a split, one slice, one heatmap cell. Each tool runs on a small frame whose numbers
are worked out by hand in the test."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from autoviz_pipeline.tools import TOOLS
from autoviz_pipeline.tools.frame import data_decimals, round_to_data

from .test_support import make_profile

# Sverige only (one country), three months: 10, 30, 20 units
SALES = pd.DataFrame({
    "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
    "country": ["Sverige"] * 3,
    "city": ["Malmö"] * 3,
    "units": [10.0, 30.0, 20.0],
})


def _finding(tool: str, **params) -> str:
    spec = TOOLS[tool]
    out = spec.run(spec.params(**params), SALES, make_profile(SALES))
    if out.figure is not None:
        plt.close(out.figure)
    return out.finding


def test_one_line_of_a_split_is_not_the_largest_of_one():
    finding = _finding("line_chart", x="month", y="units", aggregate="sum", color="country")
    assert "Of 1" not in finding and "largest" not in finding
    assert finding == "Sum of units went from 10 (2024-01-01) to 20 (2024-03-01), +100%; the peak was 30 in 2024-02-01."


def test_one_slice_is_all_of_the_total():
    finding = _finding("pie_chart", category="country", value="units", aggregate="sum")
    assert finding == "Sverige makes up all of total units: 60."


def test_one_heatmap_cell_is_not_the_highest():
    finding = _finding("heatmap", x="country", y="city", value="units", aggregate="sum")
    assert finding == "The sum of units at country = Sverige and city = Malmö is 60."


def test_a_small_change_keeps_a_decimal():
    rows = SALES.assign(units=[1000.0, 1200.0, 1004.0])  # +0.4%, not "+0%"
    out = TOOLS["line_chart"].run(TOOLS["line_chart"].params(x="month", y="units", aggregate="sum"), rows,
                                  make_profile(rows))
    plt.close(out.figure)
    assert out.finding.startswith("Sum of units went from 1,000 (2024-01-01) to 1,004 (2024-03-01), +0.4%;")


@pytest.mark.parametrize("values,decimals", [
    ([3.8, 0.78, 414.2], 2), ([1, 2, 3], 0), ([0.1 + 0.2, 1.5], 1), ([1e-9], 6), ([float("nan"), 2.25], 2),
])
def test_data_decimals_reads_how_values_are_written(values, decimals):
    assert data_decimals(pd.Series(values)) == decimals


def test_statistics_round_to_the_data_and_keep_four_significant_digits():
    out = round_to_data(pd.Series([5261.98925806, 1070743.1300000001, 3.47123, 0.0123456, 0.0, float("nan")]), 2)
    assert out.tolist()[:5] == [5261.99, 1070743.13, 3.471, 0.01235, 0.0]
    assert pd.isna(out.iloc[5])
