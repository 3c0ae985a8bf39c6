"""The first chart's data, not just its shape (#13, point 7): on the bundled examples, the rows a question's
answer chart carries (its spec's inline data, which the PNG is drawn from too) equal what pandas computes from
the CSV for that question, written here by hand from the question's meaning."""

import pandas as pd
import pytest

from autoviz_pipeline.api import cached_profile, plan_for
from autoviz_pipeline.handoff import load_frame
from autoviz_pipeline.tools import TOOLS, apply_filters
from tests.conftest import EXAMPLES


def _csv(name):
    if name == "european_sales_cp1252.csv":
        return pd.read_csv(EXAMPLES / name, sep=";", decimal=",", encoding="cp1252", parse_dates=["Monat"])
    return pd.read_csv(EXAMPLES / name, parse_dates=["date"] if name == "daily_visitors.csv" else None)


def _month(series):
    return pd.to_datetime(series).dt.strftime("%Y-%m")


CASES = [
    ("december_revenue.csv", "revenue totals by region and product type", ["region", "product_category"],
     lambda d: d.groupby(["region", "product_category"])["revenue"].sum()),
    ("december_revenue.csv", "top 3 categories by revenue in the West", ["product_category"],
     lambda d: d[d["region"] == "West"].groupby("product_category")["revenue"].sum().nlargest(3)),
    ("december_revenue.csv", "bottom 3 categories by average revenue", ["product_category"],
     lambda d: d.groupby("product_category")["revenue"].mean().nsmallest(3)),
    ("december_revenue.csv", "What share of revenue does each product category have?", ["product_category"],
     lambda d: d.groupby("product_category")["revenue"].sum()),
    ("daily_visitors.csv", "monthly visitors by channel", ["date", "channel"],
     lambda d: d.groupby([_month(d["date"]), "channel"])["visitors"].sum()),
    ("daily_visitors.csv", "How many visitors came from paid in May 2024?", ["channel"],
     lambda d: d[(d["channel"] == "paid") & (_month(d["date"]) == "2024-05")].groupby("channel")["visitors"].sum()),
    ("sensor_readings.csv", "which machines had faults?", ["machine_id"],
     lambda d: d[d["status"] == "fault"].groupby("machine_id").size()),
    ("sensor_readings.csv", "average power for machines with temperature above 90", ["machine_id"],
     lambda d: d[d["temperature_c"] > 90].groupby("machine_id")["power_kw"].mean()),
    ("european_sales_cp1252.csv", "revenue by city", ["Stadt"],
     lambda d: d.groupby("Stadt")["Umsatz €"].sum()),
]


def _first_chart(dataset, question):
    profile = cached_profile(EXAMPLES / dataset)
    _, _, validated = plan_for(question, profile)
    step = validated.steps[0]
    tool = TOOLS[step.tool]
    params = tool.params.model_validate(step.params)
    frame = load_frame(profile)
    output = tool.run(params, apply_filters(frame, params.filters) if params.filters else frame, profile)
    return output.spec


@pytest.mark.parametrize("dataset,question,keys,expected", CASES, ids=[c[1] for c in CASES])
def test_first_chart_data_matches_pandas(dataset, question, keys, expected):
    spec = _first_chart(dataset, question)
    encoding = spec["encoding"]
    field = (encoding.get("y") or encoding.get("theta"))["field"]
    rows = pd.DataFrame(spec["data"]["values"])
    if "date" in keys:
        rows["date"] = _month(rows["date"])
    got = {tuple(r[k] for k in keys): r[field] for r in rows.to_dict("records")}
    want = expected(_csv(dataset))
    want = {(k if isinstance(k, tuple) else (k,)): v for k, v in want.items()}
    assert set(got) == set(want), (sorted(got), sorted(want))
    for key, value in want.items():
        assert got[key] == pytest.approx(float(value), rel=1e-9), key
