"""The columnar path for large files, checked against the simple pandas path on the same data."""

import os
import re
import time

import numpy as np
import pandas as pd
import pytest

from autoviz_pipeline.contracts import ValidatedPlan
from autoviz_pipeline.execution import execute_plan, step_columns
from autoviz_pipeline.profiling import profile_dataset
from autoviz_pipeline.settings import Limits
from tests.plan_steps import typed_step

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


def test_second_run_reads_the_cache_and_a_new_version_parses_again(sales, monkeypatch):
    from autoviz_pipeline import engine

    path, _ = sales
    parses = []
    real = engine._csv_to_parquet
    monkeypatch.setattr(engine, "_csv_to_parquet", lambda p, o, t: parses.append(p) or real(p, o, t))
    first = profile_dataset(path, limits=COLUMNAR)
    assert len(parses) == 1  # parsed once, while the bytes were scanned
    parquet_mtime = os.stat(first.columnar_cache).st_mtime_ns
    again = profile_dataset(path, limits=COLUMNAR)
    assert again == first and os.stat(first.columnar_cache).st_mtime_ns == parquet_mtime
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("2024-12-31,North,C00001,10.0,0.1\n")
    time.sleep(0.01)
    changed = profile_dataset(path, limits=COLUMNAR)
    assert len(parses) == 2
    assert changed.sha256 != first.sha256 and changed.rows == first.rows + 1
    assert changed.columnar_cache != first.columnar_cache


def test_steps_read_only_their_columns_and_agree_with_the_simple_path(sales, tmp_path):
    path, df = sales
    big, small = profile_dataset(path, limits=COLUMNAR), profile_dataset(path, limits=SIMPLE)
    step = typed_step("t", "aggregate_table", group_by=["region"], value="revenue", aggregate="sum",
                      filters=[{"column": "discount", "op": "gte", "value": 0.1}])
    assert step_columns(step, big) == ["region", "revenue", "discount"]
    plan = ValidatedPlan(steps=[step, typed_step("s", "summary_statistics", columns=[])])
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
        step = typed_step("t", "aggregate_table", group_by=[group], value=value, aggregate="sum")
        a = execute_plan(ValidatedPlan(steps=[step]), big, tmp_path / f"big_{path.stem}")
        c = execute_plan(ValidatedPlan(steps=[step]), small, tmp_path / f"small_{path.stem}")
        assert not a.failed and a.results[0].table == c.results[0].table


def test_grouped_thousands_in_a_decimal_comma_export_read_as_numbers(tmp_path, monkeypatch):
    """'1.234,56' (a German export): polars' decimal_comma alone reads '2.695,94' as 2.69594 or fails on
    it when the first 10,000 rows are all below 1,000; both paths must give the same numbers."""
    monkeypatch.setenv("AUTOVIZ_CACHE_DIR", str(tmp_path / "cache"))
    rows = ["Monat;Stadt;Umsatz;Menge"]
    for i in range(12_000):  # the first 10,000 values below 1,000, then thousands
        cents = (i * 7919) % 90_000 + 1_000 if i < 10_000 else (i * 7919) % 2_000_000 + 100_000
        euros = f"{cents // 100:,}".replace(",", ".") + f",{cents % 100:02d}"
        rows.append(f"2024-0{1 + i % 9}-01;{['Köln', 'Bonn', 'Ulm'][i % 3]};{euros};{i % 50}")
    path = tmp_path / "umsatz.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert re.search(r";\d{1,2}\.\d{3},\d\d;", path.read_text())  # the rows do group thousands (1.079,21)
    big, small = profile_dataset(path, limits=COLUMNAR), profile_dataset(path, limits=SIMPLE)
    assert big.columnar_cache and small.read_options.thousands == "."
    b, s = big.column("Umsatz"), small.column("Umsatz")
    assert (b.role, b.nulls) == ("numeric", 0)
    assert (b.mean, b.min, b.max) == pytest.approx((s.mean, s.min, s.max))
    assert big.column("Menge").dtype == small.column("Menge").dtype == "int64"  # plain integers stay integers
    step = typed_step("t", "aggregate_table", group_by=["Stadt"], value="Umsatz", aggregate="sum")
    a = execute_plan(ValidatedPlan(steps=[step]), big, tmp_path / "big")
    c = execute_plan(ValidatedPlan(steps=[step]), small, tmp_path / "small")
    assert not a.failed and a.results[0].table == c.results[0].table


@pytest.fixture
def shop(tmp_path, monkeypatch):
    """Twelve products (more than a chart's ten colours), some missing; channels with a missing value; dates."""
    monkeypatch.setenv("AUTOVIZ_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(11)
    n = 6000
    df = pd.DataFrame({
        "day": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D"),
        "product": rng.choice([f"P{i:02d}" for i in range(12)], n, p=np.r_[np.full(6, 0.125), np.full(6, 0.125 / 3)]),
        "channel": rng.choice(["web", "store", "phone", None], n),
        "units": rng.integers(1, 9, n),
        "revenue": rng.gamma(2, 40, n).round(2),
    })
    df.loc[rng.random(n) < 0.03, "product"] = None  # missing values are never lumped into "Other"
    path = tmp_path / "shop.csv"
    df.to_csv(path, index=False, date_format="%Y-%m-%d")
    return path


CHART_STEPS = [
    ("bar_chart", {"x": "channel", "y": "revenue", "aggregate": "sum", "color": "product"}),
    ("bar_chart", {"x": "product", "y": "revenue"}),
    ("line_chart", {"x": "day", "y": "revenue", "color": "product"}),
    ("line_chart", {"x": "day", "y": "units", "time_unit": "month", "area": True, "color": "channel"}),
    ("box_plot", {"column": "revenue", "by": "product"}),
    ("pie_chart", {"category": "product", "value": "revenue"}),
    ("histogram", {"column": "revenue", "color": "product"}),
    ("scatter_plot", {"x": "units", "y": "revenue", "color": "product"}),
    ("heatmap", {"x": "product", "y": "channel", "value": "revenue"}),
    ("aggregate_table", {"group_by": ["product", "channel"], "value": "revenue", "aggregate": "mean"}),
]


def test_charts_from_the_columnar_cache_match_the_simple_path(shop, tmp_path):
    """Categories loaded from the cache (lumped into "Other", split by colour, sampled) draw the same charts,
    findings, notes and spec rows as the pandas path, and the steps share one read of their columns."""
    big, small = profile_dataset(shop, limits=COLUMNAR), profile_dataset(shop, limits=SIMPLE)
    plan = ValidatedPlan(steps=[typed_step(f"s{i}", tool, **params)
                                for i, (tool, params) in enumerate(CHART_STEPS)])
    a = execute_plan(plan, big, tmp_path / "big")
    b = execute_plan(plan, small, tmp_path / "small")
    assert not a.failed and not b.failed
    assert any("Other" in str(r.spec) for r in a.results)  # twelve products: some charts lump
    for x, y in zip(a.results, b.results, strict=True):
        assert (x.tool, x.finding, x.notes) == (y.tool, y.finding, y.notes)
        if x.spec is not None:
            assert x.spec["data"] == y.spec["data"], x.step
        assert x.table == y.table, x.step


def test_non_utf8_bytes_past_the_head_are_parsed_again_with_the_scanned_encoding(tmp_path, monkeypatch):
    """The parse starts on the head's guess (UTF-8) while every byte is scanned; cp1252 bytes after the
    first 256 KiB make the scan win: the cache holds the text decoded as cp1252, not replacement marks."""
    from autoviz_pipeline import engine

    monkeypatch.setenv("AUTOVIZ_CACHE_DIR", str(tmp_path / "cache"))
    parses = []
    real = engine._csv_to_parquet
    monkeypatch.setattr(engine, "_csv_to_parquet", lambda p, o, t: parses.append(o.encoding) or real(p, o, t))
    head = "name,v\n" + "".join(f"plain{i % 7},{i}\n" for i in range(30_000))  # > 256 KiB of ASCII
    path = tmp_path / "late.csv"
    path.write_bytes(head.encode() + "Caf\xe9 \u20ac,1\n".encode("cp1252"))
    big = profile_dataset(path, limits=COLUMNAR)
    assert parses == ["utf-8", "cp1252"]
    assert big.read_options.encoding == "cp1252"
    assert "Café €" in big.column("name").values
    assert any("not UTF-8" in n for n in big.notes)
    assert sorted(p.name for p in (tmp_path / "cache").iterdir() if p.name.endswith(".tmp")) == []


def test_nul_bytes_past_the_head_fail_as_the_sniff_says_and_leave_no_cache(tmp_path, monkeypatch):
    from autoviz_pipeline.errors import CsvReadError

    monkeypatch.setenv("AUTOVIZ_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "damaged.csv"
    path.write_bytes(("a,b\n" + "x,1\n" * 100_000).encode() + b"\x00" * 64 + b"\ny,2\n")
    with pytest.raises(CsvReadError, match=r"NUL bytes \(first on line 100,002\)"):
        profile_dataset(path, limits=COLUMNAR)
    assert not any(p.suffix in (".parquet", ".tmp") for p in (tmp_path / "cache").iterdir())


def test_category_counts_are_exact_ordered_and_work_for_a_column_named_n(tmp_path, monkeypatch):
    """One group-by gives a category's distinct count and top values; ties are ordered by value (the same
    every run), and a column called "n" does not collide with the count."""
    monkeypatch.setenv("AUTOVIZ_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "n.csv"
    path.write_text("n,v\n" + "".join(f"{'bca'[i % 3]},{i}\n" for i in range(300)) + "d,1\n,2\n")
    col = profile_dataset(path, limits=COLUMNAR).column("n")
    assert col.role == "categorical" and (col.distinct, col.nulls) == (4, 1)
    assert [(t.value, t.count) for t in col.top_values] == [("a", 100), ("b", 100), ("c", 100), ("d", 1)]
    assert col.values == ["a", "b", "c", "d"]


def test_steps_share_one_read_of_their_columns_unless_it_would_be_too_big(sales, tmp_path, monkeypatch):
    from autoviz_pipeline import engine, execution

    path, df = sales
    big = profile_dataset(path, limits=COLUMNAR)
    reads = []
    real = engine.load_columns
    monkeypatch.setattr(engine, "load_columns", lambda p, cols: reads.append(list(cols)) or real(p, cols))
    plan = ValidatedPlan(steps=[
        typed_step("bar", "bar_chart", x="region", y="revenue"),
        typed_step("box", "box_plot", column="discount", by="region"),
        typed_step("bad", "histogram", column="no_such_column"),
        typed_step("sum", "summary_statistics", columns=[]),
    ])
    shared = execute_plan(plan, big, tmp_path / "shared")
    assert reads == [["region", "revenue", "discount"]]  # once, the union (the unknown column is not read)
    assert [r.step for r in shared.results] == ["bar", "box", "sum"]
    assert [f.step for f in shared.failed] == ["bad"] and "no_such_column" in shared.failed[0].reason

    reads.clear()
    monkeypatch.setattr(execution, "SHARED_FRAME_MAX_BYTES", 1)  # too big to share: each step reads its own
    apart = execute_plan(plan, big, tmp_path / "apart")
    assert reads == [["region", "revenue"], ["discount", "region"], ["no_such_column"], []]
    assert [(r.finding, r.notes) for r in apart.results] == [(r.finding, r.notes) for r in shared.results]
    assert [f.reason for f in apart.failed] == [f.reason for f in shared.failed]
    assert engine.frame_bytes(big, ["revenue", "date"]) == 16 * len(df)
    assert engine.frame_bytes(big, ["region"]) == 4 * len(df)  # category codes, not strings


def test_a_damaged_or_swapped_cache_is_rebuilt_with_a_note(sales):
    """A truncated Parquet, or a valid one swapped in with revenue x10, is not trusted: the next run rebuilds the
    cache from the CSV and says so, and its numbers are the CSV's."""
    import polars as pl

    path, df = sales
    first = profile_dataset(path, limits=COLUMNAR)
    parquet = first.columnar_cache
    data = open(parquet, "rb").read()
    with open(parquet, "wb") as fh:  # truncated (a disk full, a kill mid-copy)
        fh.write(data[: len(data) // 2])
    second = profile_dataset(path, limits=COLUMNAR)
    assert any("could not be verified" in n and "rebuilt" in n for n in second.notes)
    assert second.column("revenue").mean == pytest.approx(df["revenue"].mean(), rel=1e-5)
    tampered = pl.read_parquet(parquet).with_columns(pl.col("revenue") * 10)
    tampered.write_parquet(parquet)  # a valid Parquet, ten times the revenue
    third = profile_dataset(path, limits=COLUMNAR)
    assert any("could not be verified" in n for n in third.notes)
    assert third.column("revenue").mean == pytest.approx(df["revenue"].mean(), rel=1e-5)
    fourth = profile_dataset(path, limits=COLUMNAR)  # the rebuilt cache is trusted again: no note
    assert not any("could not be verified" in n for n in fourth.notes)


def test_temp_files_of_a_killed_parse_are_swept(tmp_path):
    from autoviz_pipeline.engine import sweep_temp_files

    dead = tmp_path / f".{'a' * 64}.999999999.parquet.tmp"  # no such pid
    live = tmp_path / f".{'b' * 64}.{os.getpid()}.parquet.tmp"
    early = tmp_path / ".early.999999998.140.parquet.tmp"
    keep = tmp_path / f"{'c' * 64}.parquet"
    for f in (dead, live, early, keep):
        f.write_bytes(b"x")
    removed = sweep_temp_files(tmp_path)
    assert set(removed) == {dead, early} and live.exists() and keep.exists()


def test_engine_does_not_import_profiling_so_the_two_form_no_cycle():
    """profiling picks the engine (it imports engine); the rules both use are in roles. An import of profiling
    anywhere in engine, at the top or inside a function, would make the two modules depend on each other."""
    import ast

    from autoviz_pipeline import engine, roles

    def imported(module) -> set[str]:
        names = set()
        for node in ast.walk(ast.parse(open(module.__file__, encoding="utf-8").read())):
            if isinstance(node, ast.ImportFrom):
                names |= {f"{node.module or ''}.{a.name}".strip(".") for a in node.names} | {node.module or ""}
            elif isinstance(node, ast.Import):
                names |= {a.name for a in node.names}
        return names

    for module in (engine, roles):
        assert not any("profiling" in name for name in imported(module)), module.__name__
