"""How long ``primary_chart`` (what ``autoviz chart`` prints) takes on a 500-row file with its profile cached.

    python benchmarks/chart_latency.py [--repeat 7] [--target-ms 300] [--cli]

``primary_chart`` runs the run's stages (intent, plan, repair) and computes the first chart's data and spec
from the file, without drawing it (issue #13 point 3). The file is written here: 500 rows of made-up sales
(dates, regions, products, revenue, units, a temperature), the same each time. Each question is asked once to
warm up (the profile is cached then), then ``--repeat`` times; the script prints each question's median and
the median over the questions, of different intents (bar, line, scatter, histogram, box, pie, heatmap,
anomaly), and exits 1 when that median is over ``--target-ms``. ``--cli`` also times ``autoviz chart`` as a
command (a new process: imports and profiling included, nothing cached).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autoviz_pipeline.api import primary_chart

ROWS = 500
QUESTIONS = [
    ("bar", "revenue by region and product"),
    ("line", "daily revenue over time"),
    ("scatter", "units vs revenue scatter plot"),
    ("histogram", "histogram of revenue"),
    ("box", "box plot of revenue by region"),
    ("pie", "share of units by product as a pie chart"),
    ("heatmap", "heatmap of units by region and product"),
    ("anomaly", "are there unusual temperature readings?"),
]


def write_table(folder: Path) -> Path:
    """500 rows of sales over 2024, the same on every run (a fixed seed)."""
    rng = np.random.default_rng(13)
    table = pd.DataFrame({
        "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 366, ROWS), unit="D"),
        "region": rng.choice(["North", "South", "East", "West"], ROWS),
        "product": rng.choice(["Chairs", "Desks", "Lamps", "Shelves", "Rugs"], ROWS),
        "units": rng.integers(1, 40, ROWS),
        "temperature": rng.normal(21.0, 2.0, ROWS).round(1),
    }).sort_values("date", kind="stable")
    table["revenue"] = (table["units"] * rng.uniform(20, 200, ROWS)).round(2)
    path = folder / "sales_500.csv"
    table.to_csv(path, index=False)
    return path


def mark_of(spec: dict) -> str:
    mark = spec["mark"] if "mark" in spec else spec["layer"][0]["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="timed calls per question (after one warm-up)")
    parser.add_argument("--target-ms", type=float, default=300.0)
    parser.add_argument("--cli", action="store_true", help="also time `autoviz chart` as a command")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_table(Path(tmp))
        t = time.perf_counter()
        primary_chart(path, QUESTIONS[0][1])
        print(f"first call (profile + imports warm-up): {(time.perf_counter() - t) * 1000:.0f} ms")
        medians = []
        for intent, question in QUESTIONS:
            spec = primary_chart(path, question)  # warm-up
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                primary_chart(path, question)
                times.append((time.perf_counter() - t) * 1000)
            medians.append(statistics.median(times))
            rows = len(spec.get("data", {}).get("values", []))
            print(f"  {intent:<10} {mark_of(spec):<6} {rows:>4} rows inline  median {medians[-1]:7.1f} ms  "
                  f"max {max(times):7.1f} ms  {question!r}")
        if args.cli:
            t = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "autoviz_pipeline.cli", "chart", str(path), QUESTIONS[0][1]],
                                  capture_output=True, text=True, cwd=ROOT, check=False)
            print(f"autoviz chart (new process, rc {done.returncode}): {(time.perf_counter() - t) * 1000:.0f} ms")
    overall = statistics.median(medians)
    verdict = "within" if overall <= args.target_ms else "OVER"
    print(f"chart_latency: median {overall:.1f} ms per question over {len(QUESTIONS)} intents "
          f"({ROWS}-row file, profile cached; max of medians {max(medians):.1f} ms) — {verdict} the "
          f"{args.target_ms:g} ms target")
    return 0 if overall <= args.target_ms else 1


if __name__ == "__main__":
    sys.exit(main())
