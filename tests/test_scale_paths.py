"""The charts of raw rows stay cheap on large files (issue #14, point 2), on a generated 300,000-row table.

On the 10 M-row benchmark file (benchmarks/scale.py) the anomaly and scatter charts spent most of their time sorting
every point (``np.unique`` over the grid cells of ``cover_sample`` and over the anomaly chart's x values: 6.5 s a
sort on a loaded 2-core machine) and held a dozen copies of the column. These tests pin what the fix changed: no
array as long as the rows is sorted, and the anomaly chart's peak allocation is a few columns (what reaches
matplotlib was bounded before: tests/tools/test_anomaly.py). A few seconds in all.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd
import pytest

from autoviz_pipeline.profiling import profile_dataset
from autoviz_pipeline.tools.anomaly import AnomalyDetectionParams, anomaly_data
from autoviz_pipeline.tools.caps import CAPS
from autoviz_pipeline.tools.charts.scatter import ScatterPlotParams, scatter_data
from autoviz_pipeline.tools.downsample import all_distinct, cover_sample

ROWS = 300_000
SORTS = ("sort", "argsort", "unique", "lexsort")


@pytest.fixture(scope="module")
def sales(tmp_path_factory):
    """Sales rows in file order (dates at random, as benchmarks/scale_data.py writes them), and their profile."""
    rng = np.random.default_rng(11)
    units = rng.integers(1, 20, ROWS)
    frame = pd.DataFrame({
        "date": pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 3 * 365, ROWS), unit="D"),
        "region": rng.choice(["North", "South", "East", "West"], ROWS),
        "revenue": np.round(rng.gamma(2.0, 20.0, ROWS) * units, 2),
        "units": units,
    })
    path = tmp_path_factory.mktemp("scale") / "sales.csv"
    frame.to_csv(path, index=False)
    return frame, profile_dataset(path)


CHARTS = {
    "anomalies over dates": (anomaly_data, AnomalyDetectionParams(column="revenue", x="date")),
    "anomalies along the rows": (anomaly_data, AnomalyDetectionParams(column="revenue")),
    "scatter": (scatter_data, ScatterPlotParams(x="units", y="revenue")),
}


@pytest.mark.parametrize("chart", list(CHARTS))
def test_no_array_as_long_as_the_rows_is_sorted(sales, chart, monkeypatch):
    frame, profile = sales
    seen: list[tuple[str, int]] = []
    for name in SORTS:
        original = getattr(np, name)

        def spy(a, *args, _name=name, _original=original, **kwargs):
            seen.append((_name, np.size(a)))
            return _original(a, *args, **kwargs)

        monkeypatch.setattr(np, name, spy)
    data, params = CHARTS[chart]
    chart_data = data(params, frame, profile)
    monkeypatch.undo()
    assert seen, "the spies saw no call: they no longer watch what the charts use"
    assert [(name, size) for name, size in seen if size >= ROWS // 2] == []
    assert len(chart_data.rows) <= CAPS.spec_rows  # what is drawn: still a bounded sample


def test_anomaly_chart_peak_allocation_is_a_few_columns(sales):
    frame, profile = sales
    tracemalloc.start()
    try:
        anomaly_data(AnomalyDetectionParams(column="revenue", x="date"), frame, profile)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    column = 8 * ROWS  # one float64 column
    assert peak <= 8 * column, f"{peak / column:.1f} columns"  # 4.7 measured; 12.6 before the copies were cut


def test_cover_sample_among_a_mask_chooses_as_if_given_only_those_points():
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=20_000), rng.gamma(2.0, size=20_000)
    x[rng.integers(0, 20_000, 50)] = np.nan
    mask = rng.random(20_000) < 0.7
    positions = np.flatnonzero(mask)
    for n in (3, 100, 2_000):
        expected = positions[cover_sample(x[mask], y[mask], n, seed=2)]
        assert np.array_equal(cover_sample(x, y, n, seed=2, among=mask), expected)
    assert np.array_equal(cover_sample(x, y, 30_000, among=mask), positions)  # all of them fit


@pytest.mark.parametrize(("values", "expected"), [
    ([], True), ([np.nan], True), ([1.0, 2.0, np.nan], True), ([1.0, np.nan, 2.0, np.nan], False),
    ([3.0, 1.0, 2.0], True), ([3.0, 1.0, 2.0, 1.0], False), ([0.0, 1.0, 1.0], False),
    (np.arange(50_000.0), True), (np.r_[np.random.default_rng(1).permutation(50_000).astype("float64"), 7.0], False),
    (np.random.default_rng(2).permutation(50_000).astype("float64"), True),
])
def test_all_distinct_answers_as_np_unique_does(values, expected):
    values = np.asarray(values, dtype="float64")
    assert (len(np.unique(values)) == len(values)) is expected  # the reference
    assert all_distinct(values) is expected
