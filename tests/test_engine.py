"""The columnar path for large files, checked against the simple pandas path on the same data."""

import os
import time

import numpy as np
import pandas as pd
import pytest

from autoviz_pipeline.contracts import PlanStep, ValidatedPlan
from autoviz_pipeline.execution import execute_plan, step_columns
from autoviz_pipeline.profiling import profile_dataset
from autoviz_pipeline.settings import Limits

pytest.importorskip("polars")

COLUMNAR = Limits(columnar_min_mb=0)  # every file takes the columnar path
SIMPLE = Limits(columnar_min_mb=10_000)


@pytest.fixture
def sales(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOVIZ_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(3)
    n = 5000
    df = pd.DataFrame({
        "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
        "region": rng.choice(["North", "South", "East", "West"], n),
        "customer_id": [f"C{i:05d}" for i in rng.integers(0, 3000, n)],
        "revenue": rng.gamma(2, 50, n).round(2),
        "discount": np.where(rng.random(n) < 0.1, np.nan, rng.uniform(0, 0.3, n).round(3)),
    })
    path = tmp_path / "sales.csv"
    df.to_csv(path, index=False, date_format="%Y-%m-%d")
    return path, df


def test_columnar_profile_matches_the_simple_path(sales):
    path, df = sales
    big, small = profile_dataset(path, limits=COLUMNAR), profile_dataset(path, limits=SIMPLE)
    assert big.columnar_cache and small.columnar_cache is None
    assert (big.rows, big.sha256) == (small.rows, small.sha256) == (len(df), small.sha256)
    for b, s in zip(big.columns, small.columns):
        assert (b.name, b.role, b.nulls, b.count) == (s.name, s.role, s.nulls, s.count)
        if b.role in ("identifier", "text"):  # an estimate where millions of keys are expected
            assert b.distinct == pytest.approx(s.distinct, rel=0.05), b.name
        else:
            assert b.distinct == s.distinct, b.name
        if b.role == "numeric":
            assert b.mean == pytest.approx(df[b.name].mean(), rel=1e-5) and b.max == pytest.approx(df[b.name].max())
    assert big.column("discount").nulls == int(df["discount"].isna().sum()) > 0
    assert {t.value: t.count for t in big.column("region").top_values} == df["region"].value_counts().to_dict()


def test_second_run_reads_the_cache_and_a_new_version_parses_again(sales):
    path, _ = sales
    first = profile_dataset(path, limits=COLUMNAR)
    parquet_mtime = os.stat(first.columnar_cache).st_mtime_ns
    again = profile_dataset(path, limits=COLUMNAR)
    assert again == first and os.stat(first.columnar_cache).st_mtime_ns == parquet_mtime
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("2024-12-31,North,C00001,10.0,0.1\n")
    time.sleep(0.01)
    changed = profile_dataset(path, limits=COLUMNAR)
    assert changed.sha256 != first.sha256 and changed.rows == first.rows + 1
    assert changed.columnar_cache != first.columnar_cache


def test_steps_read_only_their_columns_and_agree_with_the_simple_path(sales, tmp_path):
    path, df = sales
    big, small = profile_dataset(path, limits=COLUMNAR), profile_dataset(path, limits=SIMPLE)
    step = PlanStep(id="t", tool="aggregate_table", params={
        "group_by": ["region"], "value": "revenue", "aggregate": "sum",
        "filters": [{"column": "discount", "op": "gte", "value": 0.1}]})
    assert step_columns(step, big) == ["region", "revenue", "discount"]
    plan = ValidatedPlan(steps=[step, PlanStep(id="s", tool="summary_statistics", params={"columns": []})])
    a = execute_plan(plan, big, tmp_path / "big")
    b = execute_plan(plan, small, tmp_path / "small")
    assert not a.failed and not b.failed
    by_hand = df[df["discount"] >= 0.1].groupby("region")["revenue"].sum()
    got = {r["region"]: r["Sum of revenue"] for r in a.results[0].table}
    assert got == pytest.approx(by_hand.to_dict())
    assert a.results[0].table == b.results[0].table
    summary = {r["column"]: r for r in a.results[1].table}
    assert summary["revenue"]["mean"] == pytest.approx(df["revenue"].mean())
    assert any("profile" in n for n in a.results[1].notes)


def test_legacy_encoding_decimal_commas_and_currency_text_agree_with_the_simple_path(tmp_path, monkeypatch):
    """cp1252 with ';' and decimal commas (the bundled export), and '$1,234.50' text, on both paths."""
    from tests.conftest import EXAMPLES

    monkeypatch.setenv("AUTOVIZ_CACHE_DIR", str(tmp_path / "cache"))
    money = tmp_path / "money.csv"
    money.write_text("shop,amount\n" + "".join(f'S{i % 3},"${1000 + 7 * i:,}.50"\n' for i in range(60)))
    for path, group, value in ((EXAMPLES / "european_sales_cp1252.csv", "Stadt", "Umsatz €"),
                               (money, "shop", "amount")):
        big, small = profile_dataset(path, limits=COLUMNAR), profile_dataset(path, limits=SIMPLE)
        assert big.columnar_cache and big.read_options == small.read_options
        b, s = big.column(value), small.column(value)
        assert (b.role, s.role) == ("numeric", "numeric")
        assert b.mean == pytest.approx(s.mean, rel=1e-6) and b.max == pytest.approx(s.max)
        step = PlanStep(id="t", tool="aggregate_table", params={"group_by": [group], "value": value, "aggregate": "sum"})
        a = execute_plan(ValidatedPlan(steps=[step]), big, tmp_path / f"big_{path.stem}")
        c = execute_plan(ValidatedPlan(steps=[step]), small, tmp_path / f"small_{path.stem}")
        assert not a.failed and a.results[0].table == c.results[0].table
