"""Deterministic large sales CSVs for the scale benchmark (never committed: written under benchmarks/out/).

    python benchmarks/scale_data.py --rows 10000000 --out benchmarks/out/sales_10m.csv
    python benchmarks/scale_data.py --wide 1000 --rows 2000 --out benchmarks/out/wide_1000.csv

Columns of the sales file: date, region (8), category (30), customer_id (high cardinality), revenue,
units, discount (with nulls), channel, note (free text). ~100 bytes a row: 10 M rows ≈ 1 GB.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import polars as pl

REGIONS = ["North", "South", "East", "West", "Central", "Northeast", "Southwest", "Islands"]
CATEGORIES = [f"Category {i:02d}" for i in range(30)]
CHANNELS = ["online", "store", "phone", "partner"]
WORDS = ["fast", "delivery", "great", "price", "damaged", "box", "late", "refund", "asked", "again", "happy",
         "customer", "would", "buy"]
CHUNK = 1_000_000


def sales_chunk(rng: np.random.Generator, n: int) -> pl.DataFrame:
    day = rng.integers(0, 3 * 365, n)
    region = rng.integers(0, len(REGIONS), n)
    category = rng.integers(0, len(CATEGORIES), n)
    units = rng.integers(1, 20, n)
    price = rng.gamma(2.0, 20.0, n) * (1 + region / 10)
    discount = np.round(rng.uniform(0, 0.3, n), 3)
    discount_null = rng.random(n) < 0.1
    words = rng.integers(0, len(WORDS), (n, 5))
    note = [" ".join(WORDS[w] for w in row) for row in words]
    return pl.DataFrame({
        "date": pl.Series(np.datetime64("2022-01-01") + day.astype("timedelta64[D]")),
        "region": pl.Series([REGIONS[i] for i in region]),
        "category": pl.Series([CATEGORIES[i] for i in category]),
        "customer_id": pl.Series([f"C{c:07d}" for c in rng.integers(1, 2_000_000, n)]),
        "revenue": np.round(price * units * (1 - discount), 2),
        "units": units,
        "discount": pl.Series(np.where(discount_null, np.nan, discount)).fill_nan(None),
        "channel": pl.Series([CHANNELS[i] for i in rng.integers(0, len(CHANNELS), n)]),
        "note": note,
    })


def write_sales(path: Path, rows: int, seed: int = 7) -> Path:
    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.part")
    with open(tmp, "wb") as fh:
        for start in range(0, rows, CHUNK):
            chunk = sales_chunk(rng, min(CHUNK, rows - start))
            chunk.write_csv(fh, include_header=start == 0)
    tmp.replace(path)
    return path


def write_wide(path: Path, columns: int, rows: int, seed: int = 7) -> Path:
    rng = np.random.default_rng(seed)
    data = {f"m_{i:04d}": np.round(rng.normal(100, 15, rows), 3) for i in range(columns - 2)}
    data["segment"] = [f"S{i % 5}" for i in range(rows)]
    data["day"] = np.datetime64("2024-01-01") + (np.arange(rows) % 365).astype("timedelta64[D]")
    path.parent.mkdir(parents=True, exist_ok=True)
    pl.DataFrame(data).write_csv(path)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--wide", type=int, default=0, help="write a table with this many columns instead")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.wide:
        write_wide(args.out, args.wide, args.rows)
    else:
        write_sales(args.out, args.rows)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
