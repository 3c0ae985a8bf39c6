"""anomaly_detection: planted outliers are found, clean data is left alone, degenerate spreads are handled."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from autoviz_pipeline.tools import get_tool
from autoviz_pipeline.tools.anomaly import score_anomalies

from .test_support import assert_valid_vega_lite, make_profile, save_figure


def detect(df: pd.DataFrame, tmp_path=None, **params):
    tool = get_tool("anomaly_detection")
    model = tool.params(**params)
    profile = make_profile(df)
    out = tool.run(model, df, profile)
    if tmp_path is not None:
        save_figure(out, tmp_path, "anomaly")
    if out.chart is not None:
        assert_valid_vega_lite(out.chart.spec)
    assert_valid_vega_lite(out.spec)
    return out


@pytest.fixture
def readings() -> pd.DataFrame:
    """200 normal readings (mean 50, sd 2) with two planted outliers at rows 37 and 150."""
    rng = np.random.default_rng(42)
    values = rng.normal(50, 2, size=200).round(2)
    values[37], values[150] = 95.0, 10.0
    return pd.DataFrame(
        {
            "when": pd.date_range("2024-01-01", periods=200, freq="h"),
            "machine": [f"M{i % 4}" for i in range(200)],
            "temp": values,
        }
    )


def test_robust_z_flags_exactly_the_planted_outliers(readings, tmp_path):
    out = detect(readings, tmp_path, column="temp", x="when")
    assert sorted(out.table.index) == [37, 150]
    assert list(out.table.columns) == ["when", "machine", "temp", "score"]  # all columns plus the score
    assert out.table.iloc[0]["temp"] == 95.0  # most extreme first
    assert out.finding.startswith(
        "2 of 200 rows flagged in temp (|robust z| > 3.5); the most extreme is 95 at when = 2024-01-02 13:00 "
    )
    flags = {r["when"]: r["anomaly"] for r in out.spec["data"]["values"]}
    assert sum(v == "flagged" for v in flags.values()) == 2


def test_robust_z_score_matches_the_formula():
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 100.0])
    # by hand: median 3, |deviations| 2, 1, 0, 1, 97 → MAD 1; z(100) = 0.6745 × 97 / 1
    result = score_anomalies(values, method="robust_z", threshold=3.5)
    assert result.scores.iloc[-1] == pytest.approx(0.6745 * 97)
    assert result.flagged.tolist() == [False, False, False, False, True]
    assert result.lower == pytest.approx(3 - 3.5 / 0.6745) and result.upper == pytest.approx(3 + 3.5 / 0.6745)


def test_clean_data_flags_nothing(readings, tmp_path):
    clean = readings.drop(index=[37, 150])
    out = detect(clean, tmp_path, column="temp")
    assert out.table.empty
    assert out.finding == "0 of 198 rows flagged in temp (|robust z| > 3.5)."


def test_iqr_rule_uses_the_fences():
    df = pd.DataFrame({"value": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100]})
    # by hand: Q1 = 3.5, Q3 = 8.5, IQR = 5 → fences 3.5 − 7.5 = −4 and 8.5 + 7.5 = 16
    out = detect(df, column="value", method="iqr")
    assert out.table["value"].tolist() == [100.0]
    assert out.finding.startswith("1 of 11 rows flagged in value (outside the 1.5×IQR fences -4 to 16)")
    strict = detect(df, column="value", method="iqr", iqr_k=20)  # upper fence 108.5
    assert strict.table.empty


def test_mad_zero_falls_back_to_mean_absolute_deviation(tmp_path):
    df = pd.DataFrame({"value": [10.0] * 20 + [50.0]})
    out = detect(df, tmp_path, column="value")
    # by hand: median 10, MAD 0; mean |dev| = 40 / 21; z(50) = 40 / (1.2533 × 40 / 21) ≈ 16.8
    assert out.table["value"].tolist() == [50.0]
    assert out.table["score"].iloc[0] == pytest.approx(21 / 1.2533, rel=1e-3)
    assert any("MAD is 0" in n for n in out.notes)


def test_constant_column_flags_nothing_with_a_note(tmp_path):
    out = detect(pd.DataFrame({"value": [7.0] * 10}), tmp_path, column="value")
    assert out.table.empty
    assert any("All 10 values equal 7" in n for n in out.notes)
    iqr = detect(pd.DataFrame({"value": [7.0] * 10 + [9.0]}), column="value", method="iqr")
    assert iqr.table.empty and any("IQR is 0" in n for n in iqr.notes)


def test_categorical_x_and_missing_values(readings, tmp_path):
    readings = readings.astype({"temp": "float64"})
    readings.loc[5, "temp"] = np.nan
    out = detect(readings, tmp_path, column="temp", x="machine")
    assert sorted(out.table.index) == [37, 150]
    assert out.finding.startswith("2 of 199 rows flagged")
    assert any("1 row with no temp" in n for n in out.notes)


def test_text_column_is_rejected():
    df = pd.DataFrame({"name": ["a", "b"]})
    tool = get_tool("anomaly_detection")
    with pytest.raises(ValueError, match="'column'.*'name'"):
        tool.run(tool.params(column="name"), df, make_profile(df))


def test_data_free_spec_computes_the_same_rule():
    df = pd.DataFrame({"value": [1.0, 2.0]})
    tool = get_tool("anomaly_detection")
    spec = tool.run(tool.params(column="value"), df, make_profile(df)).chart.spec  # before the rows are inline
    assert spec["transform"][0] == {"window": [{"op": "row_number", "as": "row"}]}
    assert any("0.6745" in t.get("calculate", "") for t in spec["transform"])
    assert spec["encoding"]["color"]["scale"]["domain"] == ["normal", "flagged"]


def _drawn(out) -> np.ndarray:
    """Every point the figure draws as a marker."""
    return np.concatenate([c.get_offsets() for c in out.figure.axes[0].collections if len(c.get_offsets())])


@pytest.mark.parametrize("repeats", [1, 200], ids=["a line of raw values", "a cloud (200 rows a day)"])
def test_a_large_column_draws_a_bounded_chart_with_every_flagged_point(tmp_path, repeats):
    """200,000 rows, 300 planted outliers: at most CAPS.spec_rows points drawn and carried, every flagged one among
    them, the trace thinned too, the SVG and the spec within their caps, and the notes say what was drawn."""
    from autoviz_pipeline.tools import vega
    from autoviz_pipeline.tools.caps import CAPS

    n = 200_000
    rng = np.random.default_rng(5)
    days = pd.date_range("2020-01-01", periods=n // repeats, freq="min" if repeats == 1 else "D")
    df = pd.DataFrame({"when": np.repeat(days, repeats), "v": rng.normal(50, 2, n).round(3)})
    planted = rng.choice(n, 300, replace=False)
    df.loc[planted, "v"] = 100 + np.arange(300)
    out = detect(df, column="v", x="when")
    flagged = set(out.table.index)
    assert set(planted) <= flagged and len(flagged) < 400

    drawn = _drawn(out)
    assert len(drawn) <= CAPS.spec_rows
    assert sorted(drawn[:, 1][drawn[:, 1] >= 100]) == list(100.0 + np.arange(300))
    trace = [line for line in out.figure.axes[0].get_lines() if line.get_linestyle() != "--"]  # not thresholds
    assert (len(trace) == 1 and len(trace[0].get_xdata()) <= CAPS.spec_rows) if repeats == 1 else not trace
    values = out.spec["data"]["values"]
    assert len(values) <= CAPS.spec_rows
    assert sum(r["anomaly"] == "flagged" for r in values) == len(flagged)
    assert vega.spec_bytes(out.spec) <= CAPS.spec_bytes
    how = "LTTB downsampling" if repeats == 1 else "the extremes, one point per occupied grid cell"
    note = next(n for n in out.notes if n.startswith("Drawn with "))
    assert note.startswith(f"Drawn with {len(drawn):,} of 200,000 points (all {len(flagged):,} flagged; "
                           f"the others by {how}")
    assert note.endswith("; the finding and the table use every row.")
    assert out.finding.startswith(f"{len(flagged):,} of 200,000 rows flagged in v")
    out.figure.savefig(tmp_path / "a.svg", format="svg", dpi=110)
    assert (tmp_path / "a.svg").stat().st_size <= CAPS.svg_bytes
