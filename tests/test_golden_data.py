"""The first chart's data, not just its shape (#13, point 7): on the bundled examples, the rows a question's
answer chart carries (its spec's inline data, which the PNG is drawn from too) equal what pandas computes from
the CSV for that question, written here by hand from the question's meaning; where the order of the rows is
the answer (a ranking, the boxes by median), the order too.

The spec is :func:`primary_chart`'s, the run's first chart (tests/test_primary_chart.py checks it is the very
spec a real Dagster run writes)."""

import functools

import numpy as np
import pandas as pd
import pytest

from autoviz_pipeline.api import primary_chart
from tests.conftest import EXAMPLES


@functools.cache
def _csv(name):
    if name == "european_sales_cp1252.csv":
        return pd.read_csv(EXAMPLES / name, sep=";", decimal=",", encoding="cp1252", parse_dates=["Monat"])
    dates = {"daily_visitors.csv": ["date"], "december_revenue.csv": ["date"], "sensor_readings.csv": ["timestamp"]}
    return pd.read_csv(EXAMPLES / name, parse_dates=dates.get(name))


def _month(series):
    return pd.to_datetime(series).dt.strftime("%Y-%m")


def _day(series):
    return pd.to_datetime(series).dt.strftime("%Y-%m-%d")


def _sunday_week(series):
    """The Sunday a date's week starts on (Vega-Lite's ``yearweek``, which the spec states)."""
    dates = pd.to_datetime(series)
    return _day(dates - pd.to_timedelta((dates.dt.day_of_week + 1) % 7, unit="D"))


def _weekday(series):
    return pd.to_datetime(series).dt.day_name()


# (file, question, the keys as pandas writes them (a column of the rows, or a function of it), expected)
CASES = [
    ("december_revenue.csv", "revenue totals by region and product type", ["region", "product_category"],
     lambda d: d.groupby(["region", "product_category"])["revenue"].sum()),
    ("december_revenue.csv", "top 3 categories by revenue in the West", ["product_category"],
     lambda d: d[d["region"] == "West"].groupby("product_category")["revenue"].sum().nlargest(3)),
    ("december_revenue.csv", "bottom 3 categories by average revenue", ["product_category"],
     lambda d: d.groupby("product_category")["revenue"].mean().nsmallest(3)),
    ("december_revenue.csv", "What share of revenue does each product category have?", ["product_category"],
     lambda d: d.groupby("product_category")["revenue"].sum()),
    ("december_revenue.csv", "median revenue per category", ["product_category"],
     lambda d: d.groupby("product_category")["revenue"].median()),
    ("december_revenue.csv", "weekly revenue trend", [("date", _sunday_week)],
     lambda d: d.groupby(_sunday_week(d["date"]))["revenue"].sum()),
    ("december_revenue.csv", "revenue of the last 7 days", [("date", _day)],  # the last date is 2024-12-31
     lambda d: d[d["date"] >= "2024-12-25"].groupby(_day(d["date"]))["revenue"].sum()),
    ("daily_visitors.csv", "monthly visitors by channel", [("date", _month), "channel"],
     lambda d: d.groupby([_month(d["date"]), "channel"])["visitors"].sum()),
    ("daily_visitors.csv", "visitors in 2024 by month", [("date", _month)],
     lambda d: d[d["date"].dt.year == 2024].groupby(_month(d["date"]))["visitors"].sum()),
    ("daily_visitors.csv", "visitors by day of week", [("date", _weekday)],  # over both years
     lambda d: d.groupby(_weekday(d["date"]))["visitors"].sum()),
    ("daily_visitors.csv", "How many visitors came from paid in May 2024?", ["channel"],
     lambda d: d[(d["channel"] == "paid") & (_month(d["date"]) == "2024-05")].groupby("channel")["visitors"].sum()),
    ("daily_visitors.csv", "number of days with more than 1000 visitors by channel", ["channel"],
     lambda d: d[d["visitors"] > 1000].groupby("channel").size()),
    ("sensor_readings.csv", "which machines had faults?", ["machine_id"],
     lambda d: d[d["status"] == "fault"].groupby("machine_id").size()),
    ("sensor_readings.csv", "average power for machines with temperature above 90", ["machine_id"],
     lambda d: d[d["temperature_c"] > 90].groupby("machine_id")["power_kw"].mean()),
    ("sensor_readings.csv", "heatmap of average temperature by machine and status", ["machine_id", "status"],
     lambda d: d.groupby(["machine_id", "status"])["temperature_c"].mean()),
    ("european_sales_cp1252.csv", "revenue by city", ["Stadt"],
     lambda d: d.groupby("Stadt")["Umsatz €"].sum()),
    ("european_sales_cp1252.csv", "monthly revenue in Malmö", [("Monat", _month)],
     lambda d: d[d["Stadt"] == "Malmö"].groupby(_month(d["Monat"]))["Umsatz €"].sum()),
]


def _measure_field(spec):
    encoding = spec["encoding"]
    channel = encoding.get("color") if spec.get("mark") == "rect" else encoding.get("y") or encoding.get("theta")
    return channel["field"]


@pytest.mark.parametrize("dataset,question,keys,expected", CASES, ids=[c[1] for c in CASES])
def test_first_chart_data_matches_pandas(dataset, question, keys, expected):
    spec = primary_chart(EXAMPLES / dataset, question)
    rows = pd.DataFrame(spec["data"]["values"])
    columns = [k if isinstance(k, str) else k[0] for k in keys]
    for key in keys:
        if not isinstance(key, str):
            rows[key[0]] = key[1](rows[key[0]])
    field = _measure_field(spec)
    got = {tuple(r[c] for c in columns): r[field] for r in rows.to_dict("records")}
    assert len(got) == len(rows), "one row per key"
    want = expected(_csv(dataset))
    want = {(k if isinstance(k, tuple) else (k,)): v for k, v in want.items()}
    assert set(got) == set(want), (sorted(got), sorted(want))
    for key, value in want.items():
        assert got[key] == pytest.approx(float(value), rel=1e-9), key


def test_a_ranking_is_drawn_in_its_order():
    """"revenue by city": the bars from the largest total to the smallest, in the rows and the spec's sort."""
    spec = primary_chart(EXAMPLES / "european_sales_cp1252.csv", "revenue by city")
    totals = _csv("european_sales_cp1252.csv").groupby("Stadt")["Umsatz €"].sum().sort_values(ascending=False)
    assert [r["Stadt"] for r in spec["data"]["values"]] == list(totals.index)
    assert spec["encoding"]["x"]["sort"] == list(totals.index)


def test_histogram_counts_every_row_in_its_bin():
    """At most 10 bins over revenue 324.79 … 20,530.3: a nice step of 2,000 would need 11 (0 … 22,000), so the
    step is 5,000, from 0; each bin holds the rows from its start up to (not including) its end."""
    spec = primary_chart(EXAMPLES / "december_revenue.csv", "revenue histogram")
    revenue = _csv("december_revenue.csv")["revenue"]
    want = (revenue // 5000 * 5000).value_counts().sort_index()
    rows = pd.DataFrame(spec["data"]["values"])
    assert list(rows["revenue"]) == list(want.index) and list(rows["revenue_end"]) == list(want.index + 5000)
    assert list(rows["count"]) == list(want) and rows["count"].sum() == len(revenue) == 620


def test_box_plot_carries_each_machines_quartiles_whiskers_and_outliers():
    """Per machine: the quartiles of its temperature readings, the whiskers at the most extreme readings within
    1.5 IQR of the box and every reading beyond them as a point (the broken probe's -12 °C on M-01, M-03's
    overheating); boxes from the highest median to the lowest."""
    spec = primary_chart(EXAMPLES / "sensor_readings.csv", "temperature by machine as a box plot")
    stats = {r["machine_id"]: r for r in spec["data"]["values"]}  # one row a box, which its layers draw from
    (points,) = [layer["data"]["values"] for layer in spec["layer"] if "data" in layer]
    by_machine = _csv("sensor_readings.csv").groupby("machine_id")["temperature_c"]
    assert set(stats) == set(by_machine.groups)
    for machine, values in by_machine:
        q1, median, q3 = np.quantile(values, [0.25, 0.5, 0.75])
        within = (values >= q1 - 1.5 * (q3 - q1)) & (values <= q3 + 1.5 * (q3 - q1))
        row = stats[machine]
        assert (row["Q1"], row["median"], row["Q3"]) == pytest.approx((q1, median, q3)), machine
        assert (row["lower whisker"], row["upper whisker"]) == pytest.approx(
            (values[within].min(), values[within].max())), machine
        assert row["rows"] == len(values)
        drawn = sorted(p["temperature_c"] for p in points if p["machine_id"] == machine)
        assert drawn == sorted(values[~within]), machine
    assert -12.0 in [p["temperature_c"] for p in points if p["machine_id"] == "M-01"]
    medians = by_machine.median().sort_values(ascending=False, kind="stable")
    assert spec["encoding"]["x"]["sort"] == list(medians.index)


def test_scatter_draws_one_point_per_reading():
    """"relationship between temperature and power": every reading, once, at its own temperature and power."""
    spec = primary_chart(EXAMPLES / "sensor_readings.csv", "relationship between temperature and power")
    frame = _csv("sensor_readings.csv")[["temperature_c", "power_kw"]].dropna()
    got = sorted((r["temperature_c"], r["power_kw"]) for r in spec["data"]["values"])
    assert got == sorted(frame.itertuples(index=False, name=None)) and len(got) == 504

