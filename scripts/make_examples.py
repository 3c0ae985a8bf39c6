"""Generate the example datasets in ``data/examples/``.

Deterministic: every file comes from its own ``numpy.random.default_rng`` seed, so re-running the script
reproduces the committed CSVs byte for byte. Run from anywhere::

    python scripts/make_examples.py            # writes into data/examples/
    python scripts/make_examples.py --out DIR  # somewhere else
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "examples"


# --------------------------------------------------------------------------------------------------
# december_revenue.csv: one row per day x region x category, December 2024
# --------------------------------------------------------------------------------------------------
def make_december_revenue(seed: int = 2024) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2024-12-01", "2024-12-31", freq="D")
    regions = {"North": 1.35, "South": 0.80, "East": 1.05, "West": 1.60}
    # mean daily revenue of a category in an average region
    categories = {"Electronics": 5200.0, "Furniture": 2600.0, "Clothing": 3100.0, "Groceries": 1900.0, "Toys": 1500.0}
    # region-specific tastes, so the grouped bar chart is not just a scaled copy per region
    taste = {
        ("North", "Furniture"): 1.30,
        ("South", "Groceries"): 1.45,
        ("East", "Electronics"): 1.25,
        ("West", "Clothing"): 1.35,
        ("West", "Furniture"): 0.75,
        ("South", "Electronics"): 0.70,
    }
    rows = []
    for day in dates:
        weekend = 1.25 if day.day_of_week >= 5 else 1.0
        # the Christmas rush, then the quiet days after, then a New Year's Eve bump
        if day.day <= 23:
            season = 1.0 + 0.035 * day.day
        elif day.day == 24:
            season = 1.6
        elif day.day in (25, 26):
            season = 0.35
        else:
            season = 0.95
        for region, r_mult in regions.items():
            for category, base in categories.items():
                c_season = season
                if category == "Toys" and day.day <= 24:
                    c_season *= 1.0 + 0.06 * day.day  # toys explode before Christmas
                if category == "Groceries":
                    c_season = 0.5 * c_season + 0.5  # groceries are steadier
                mean = base * r_mult * taste.get((region, category), 1.0) * weekend * c_season
                revenue = mean * rng.lognormal(0.0, 0.18)
                rows.append((day.strftime("%Y-%m-%d"), round(max(revenue, 1.0), 2), region, category))
    return pd.DataFrame(rows, columns=["date", "revenue", "region", "product_category"])


# --------------------------------------------------------------------------------------------------
# sensor_readings.csv: 8 machines, ~500 readings, planted outliers and missing pressure values
# --------------------------------------------------------------------------------------------------
def make_sensor_readings(seed: int = 7, n: int = 504) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    machines = [f"M-{i:02d}" for i in range(1, 9)]
    start = pd.Timestamp("2024-11-04 06:00:00")
    # 63 rounds of readings, every 2 hours, one per machine (8 x 63 = 504)
    rounds = n // len(machines)
    machine_temp = dict(zip(machines, rng.normal(62.0, 4.0, len(machines)), strict=True))
    machine_load = dict(zip(machines, rng.uniform(0.7, 1.3, len(machines)), strict=True))
    rows = []
    for r in range(rounds):
        ts = start + pd.Timedelta(hours=2 * r)
        for m in machines:
            load = machine_load[m] * (1.0 + 0.15 * np.sin(2 * np.pi * r / 12))
            power = 18.0 * load + rng.normal(0, 0.8)
            temperature = machine_temp[m] + 6.0 * (load - 1.0) + rng.normal(0, 1.5)
            vibration = 2.2 + 1.4 * (load - 1.0) + abs(rng.normal(0, 0.35))
            pressure = 101.3 + 12.0 * load + rng.normal(0, 1.2)
            rows.append([ts, m, temperature, vibration, pressure, power])
    df = pd.DataFrame(rows, columns=["timestamp", "machine_id", "temperature_c", "vibration_mm_s", "pressure_kpa", "power_kw"])

    # planted outliers: an overheating episode on M-03, vibration spikes on M-06, a power surge on M-08
    hot = df.index[(df["machine_id"] == "M-03")][40:44]
    df.loc[hot, "temperature_c"] = [96.4, 104.8, 118.2, 99.1]
    shaky = df.index[(df["machine_id"] == "M-06")][[10, 27, 51]]
    df.loc[shaky, "vibration_mm_s"] = [14.7, 19.3, 11.8]
    surge = df.index[(df["machine_id"] == "M-08")][33]
    df.loc[surge, "power_kw"] = 61.5
    cold = df.index[(df["machine_id"] == "M-01")][5]
    df.loc[cold, "temperature_c"] = -12.0  # a broken probe

    status = np.where(
        (df["temperature_c"] > 90) | (df["vibration_mm_s"] > 10) | (df["power_kw"] > 50) | (df["temperature_c"] < 0),
        "fault",
        np.where((df["temperature_c"] > 68) | (df["vibration_mm_s"] > 3.2), "warning", "ok"),
    )
    df["status"] = status

    # some missing pressure readings (a flaky gauge), ~5%
    missing = rng.choice(len(df), size=int(0.05 * len(df)), replace=False)
    df.loc[missing, "pressure_kpa"] = np.nan

    df["timestamp"] = df["timestamp"].dt.strftime("%Y-%m-%d %H:%M:%S")
    for col, digits in (("temperature_c", 1), ("vibration_mm_s", 2), ("pressure_kpa", 1), ("power_kw", 2)):
        df[col] = df[col].round(digits)
    return df


# --------------------------------------------------------------------------------------------------
# daily_visitors.csv: two years daily x 3 channels, weekly seasonality and a trend
# --------------------------------------------------------------------------------------------------
def make_daily_visitors(seed: int = 42) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2023-01-01", "2024-12-31", freq="D")
    t = np.arange(len(dates))
    dow = dates.day_of_week.to_numpy()
    channels = {
        # base, growth per day, weekend factor, signup rate
        "organic": (1200.0, 0.9, 0.70, 0.030),
        "paid": (600.0, 0.6, 0.85, 0.045),
        "social": (350.0, 1.1, 1.35, 0.020),
    }
    yearly = 1.0 + 0.12 * np.sin(2 * np.pi * (t - 80) / 365.25)
    frames = []
    for channel, (base, growth, weekend, rate) in channels.items():
        week = np.where(dow >= 5, weekend, 1.0 + 0.05 * (dow == 1))
        mean = (base + growth * t) * week * yearly
        if channel == "paid":
            # a campaign in spring 2024
            campaign = (dates >= "2024-04-08") & (dates <= "2024-05-05")
            mean = np.where(campaign, mean * 1.8, mean)
        visitors = rng.poisson(mean)
        signups = rng.binomial(visitors, rate)
        frames.append(
            pd.DataFrame(
                {"date": dates.strftime("%Y-%m-%d"), "visitors": visitors, "signups": signups, "channel": channel}
            )
        )
    df = pd.concat(frames, ignore_index=True)
    return df.sort_values(["date", "channel"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# european_sales_cp1252.csv: cp1252 bytes, ';' delimiter, decimal commas
# --------------------------------------------------------------------------------------------------
def make_european_sales(seed: int = 1252) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cities = [
        ("Köln", "Deutschland", 1.00),
        ("München", "Deutschland", 1.25),
        ("Düsseldorf", "Deutschland", 0.90),
        ("Zürich", "Schweiz", 1.45),
        ("Genève", "Schweiz", 1.30),
        ("São Paulo", "Brasil", 0.85),
        ("Málaga", "España", 0.70),
        ("Malmö", "Sverige", 0.80),
    ]
    products = {"Café crème": 3.9, "Crêpe": 6.5, "Brötchen": 0.8, "Smørrebrød": 7.2, "Piña colada": 9.5}
    months = pd.date_range("2024-01-01", "2024-12-01", freq="MS")
    rows = []
    for month in months:
        for city, country, mult in cities:
            for product, price in products.items():
                units = int(rng.poisson(140 * mult * (1.2 if month.month in (6, 7, 8) else 1.0)))
                unit_price = round(price * mult * rng.uniform(0.95, 1.05), 2)
                rows.append((month.strftime("%Y-%m-%d"), city, country, product, units, unit_price, round(units * unit_price, 2)))
    return pd.DataFrame(rows, columns=["Monat", "Stadt", "Land", "Produkt", "Menge", "Stückpreis €", "Umsatz €"])


def write_csv(df: pd.DataFrame, path: Path, **kwargs) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # lineterminator fixed so the bytes do not depend on the platform
    df.to_csv(path, index=False, lineterminator="\n", **kwargs)
    logger.info("wrote %s (%d rows, %d bytes)", path, len(df), path.stat().st_size)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: data/examples)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    out: Path = args.out

    write_csv(make_december_revenue(), out / "december_revenue.csv", encoding="utf-8", float_format="%.2f")
    write_csv(make_sensor_readings(), out / "sensor_readings.csv", encoding="utf-8")
    write_csv(make_daily_visitors(), out / "daily_visitors.csv", encoding="utf-8")
    write_csv(
        make_european_sales(),
        out / "european_sales_cp1252.csv",
        encoding="cp1252",
        sep=";",
        decimal=",",
        float_format="%.2f",
    )


if __name__ == "__main__":
    main()
