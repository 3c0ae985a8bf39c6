"""Scale benchmark (issue #14, "Measured"): one question per intent on large CSVs, against the parse floor.

    python benchmarks/scale.py                                  # 1e6 and 1e7 rows, all eight intents, ~25 min
    python benchmarks/scale.py --sizes 1000000 --intent anomaly # one intent, one size
    python benchmarks/scale.py --sizes 1000000,10000000,30000000 --repeat 3   # the median of three per cell

Every number is one fresh Python process, measured from outside (``os.wait4``): its whole wall time
(interpreter start and imports included) and its peak RSS. Per file size:

- **pandas**: ``pandas.read_csv`` of the file (the RSS reference);
- **F**, the parse floor: the faster of polars ``scan_csv(...).sink_parquet(...)`` and DuckDB
  ``COPY (FROM read_csv(...)) TO ... (FORMAT parquet)`` of the same file;
- per intent, **cold** (the job with no columnar cache: a new file) and **warm** (the job again on the cached
  file with a new question of the same intent).

**E**, the fixed cost, is the whole job on the bundled 620-row example (data/examples/december_revenue.csv),
per intent with that intent's cold question (the median of --e-repeat runs: every target is a ratio to it). Targets, printed as ratios (``ok`` or ``MISS``):
cold <= E + 1.5 F, warm <= 2 E, peak RSS <= 0.5 x the pandas read's; from one size to the next, cold time grows
at most as the rows do, warm time and peak RSS by at most 1.3x; every file of every cell within the artifact
caps (autoviz_pipeline/tools/caps.py). Each cell also prints its stages' seconds (where the time goes) and the
intent the question was read as, so a question that lands on another intent shows.

Files are generated deterministically by scale_data.py under --data (default /tmp/autoviz-scale; never
committed); --clean removes them at the end. A 1e7-row file is ~0.9 GB, its cache ~0.35 GB.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from autoviz_pipeline.tools.caps import artifact_violations

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "examples" / "december_revenue.csv"
GROWTH = 1.3
"""Warm time and peak RSS may grow this much from one size to the next (issue #14: "flat")."""

QUESTIONS: dict[str, tuple[str, str]] = {
    # intent: (cold question, warm question: new wording, same intent)
    "comparative_analysis": ("compare revenue across regions", "how does revenue differ between categories"),
    "time_series": ("monthly revenue trend by region", "how did units change over time"),
    "distribution": ("distribution of revenue", "histogram of units"),
    "relationship": ("relationship between units and revenue", "correlation between discount and revenue"),
    "composition": ("share of revenue by channel", "what proportion of revenue comes from each region"),
    "ranking": ("top 10 categories by revenue", "rank regions by total units"),
    "anomaly_detection": ("any unusual values in revenue", "outliers in units"),
    "general_eda": ("overview", "give me a summary of this dataset"),
}

STAGES = {"dataset_profile": "profile", "question_intent": "intent", "analysis_plan": "plan",
          "validated_plan": "repair", "step_results": "steps", "analysis_report": "report"}

_PANDAS = """
import sys
import pandas as pd
print(len(pd.read_csv(sys.argv[1])))
"""

_POLARS = """
import sys
import polars as pl
pl.scan_csv(sys.argv[1]).sink_parquet(sys.argv[2], compression="lz4")
"""

_DUCKDB = """
import sys
import duckdb
src, dst = (a.replace("'", "''") for a in sys.argv[1:3])
duckdb.sql(f"COPY (FROM read_csv('{src}')) TO '{dst}' (FORMAT parquet)")
"""

_JOB = """
import json, sys
from autoviz_pipeline.definitions import autoviz_job, defs
from autoviz_pipeline.defs.assets import csv_files
from autoviz_pipeline.inbox import partition_key_for
from dagster import DagsterInstance
path, question, out = sys.argv[1], sys.argv[2], sys.argv[3]
instance = DagsterInstance.ephemeral()
key = partition_key_for(path.rsplit("/", 1)[-1])
instance.add_dynamic_partitions(csv_files.name, [key])
result = defs.resolve_job_def(autoviz_job.name).execute_in_process(
    instance=instance, partition_key=key, raise_on_error=False, run_config={
        "ops": {"dataset_profile": {"config": {"dataset_path": path, "question": question, "out_dir": out}}},
        "loggers": {"console": {"config": {"log_level": "ERROR"}}}})
stages = {e.step_key: round(e.event_specific_data.duration_ms / 1000, 2)
          for e in result.all_events if e.event_type_value == "STEP_SUCCESS"}
report = result.output_for_node("step_results") if result.success else None
intent = result.output_for_node("question_intent").intent if "question_intent" in stages else None
print(json.dumps({"success": result.success, "stages": stages, "intent": intent,
                  "charts": sum(r.kind == "chart" for r in report.results) if report else 0,
                  "failed_steps": len(report.failed) if report else None}))
"""


@dataclass
class Measured:
    wall: float
    rss_mb: float
    info: dict
    cpu: float = 0.0
    """user + system CPU seconds: steadier than the wall time when other work shares the cores"""


def measure(code: str, *args: str, env: dict[str, str]) -> Measured:
    """Run ``code`` in a fresh interpreter: its whole wall time and peak RSS (from the kernel, via wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"exit {proc.returncode}: {stderr[-3000:]}")
    last = stdout.strip().splitlines()[-1] if stdout.strip() else "{}"
    info = json.loads(last) if last.startswith("{") else {}
    return Measured(wall, usage.ru_maxrss / 1024, info, usage.ru_utime + usage.ru_stime)


def median(runs: list[Measured]) -> Measured:
    """The median wall time and peak RSS over the runs (the rest from the first run)."""
    return Measured(statistics.median(r.wall for r in runs), statistics.median(r.rss_mb for r in runs), runs[0].info,
                    statistics.median(r.cpu for r in runs))


def ensure(path: Path, rows: int) -> Path:
    if not path.is_file():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scale_data.py"), "--rows", str(rows),
                        "--out", str(path)], check=True)
    return path


def verdict(value: float, limit: float) -> str:
    return f"{value / limit:5.2f} {'ok' if value <= limit else 'MISS'}"


class Bench:
    def __init__(self, work: Path, repeat: int):
        self.work, self.repeat = work, max(repeat, 1)
        self.env = {**os.environ, "AUTOVIZ_STORAGE_DIR": str(work / "storage"),
                    "AUTOVIZ_OUTPUTS_DIR": str(work / "outputs"), "AUTOVIZ_CACHE_DIR": str(work / "cache")}
        self.env.pop("DAGSTER_HOME", None)
        self.over: list[str] = []

    def run(self, code: str, *args: str, before=None) -> Measured:
        runs = []
        for _ in range(self.repeat):
            if before is not None:
                before()
            runs.append(measure(code, *args, env=self.env))
        return median(runs)

    def floor(self, csv: Path) -> tuple[Measured, Measured]:
        target = self.work / "floor.parquet"
        try:
            polars = self.run(_POLARS, str(csv), str(target), before=lambda: target.unlink(missing_ok=True))
            if importlib.util.find_spec("duckdb") is None:  # pip install -e '.[bench]'
                print("duckdb is not installed (the [bench] extra): the floor is polars' alone")
                return polars, Measured(math.inf, math.nan, {})
            return polars, self.run(_DUCKDB, str(csv), str(target), before=lambda: target.unlink(missing_ok=True))
        finally:
            target.unlink(missing_ok=True)

    def job(self, csv: Path, question: str, label: str, *, cold: bool) -> Measured:
        out = self.work / "reports" / label

        def fresh() -> None:
            shutil.rmtree(out, ignore_errors=True)
            if cold:
                shutil.rmtree(self.work / "cache", ignore_errors=True)

        result = self.run(_JOB, str(csv), question, str(out), before=fresh)
        self.over += [f"{label}: {line}" for line in artifact_violations(out)]
        shutil.rmtree(out, ignore_errors=True)
        return result


def describe(m: Measured) -> str:
    info = m.info
    stages = " ".join(f"{STAGES.get(k, k)}={v:g}" for k, v in info.get("stages", {}).items())
    failed = "" if info.get("success") else " FAILED"
    return (f"cpu={m.cpu:.1f}s intent={info.get('intent')} charts={info.get('charts')} "
            f"failed_steps={info.get('failed_steps')} [{stages}]{failed}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000000,10000000", help="rows of each generated file, comma-separated")
    parser.add_argument("--intent", action="append", choices=sorted(QUESTIONS),
                        help="only this intent (repeat for several; default: all eight)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure each cell this many times and show the median (timings on a shared 2-core VM "
                             "vary by 20%% run to run)")
    parser.add_argument("--e-repeat", type=int, default=3,
                        help="measure E (a few seconds a run) at least this many times: every target is a ratio to "
                             "it, and one run on a shared VM varied 7.7-12.2 s")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "autoviz-scale",
                        help="where the generated CSVs are kept between runs")
    parser.add_argument("--clean", action="store_true", help="delete the generated CSVs at the end")
    args = parser.parse_args()
    intents = args.intent or list(QUESTIONS)
    sizes = [int(float(n)) for n in args.sizes.split(",") if n]
    work = Path(tempfile.mkdtemp(prefix="autoviz-scale-"))
    bench = Bench(work, args.repeat)
    try:
        fixed = {}
        print(f"E: the job on {EXAMPLE.name} (620 rows), per intent, fresh process, whole wall time and peak RSS "
              f"(median of {max(args.repeat, args.e_repeat)})")
        e_bench = Bench(work, max(args.repeat, args.e_repeat))
        for intent in intents:
            fixed[intent] = e_bench.job(EXAMPLE, QUESTIONS[intent][0], f"E-{intent}", cold=True)
            print(f"  {intent:>20} E={fixed[intent].wall:6.2f} s {fixed[intent].rss_mb:6.0f} MB  "
                  f"{describe(fixed[intent])}", flush=True)
        previous: tuple[int, dict] | None = None
        for rows in sizes:
            csv = ensure(args.data / f"sales_{rows}.csv", rows)
            ref = bench.run(_PANDAS, str(csv))
            polars, duck = bench.floor(csv)
            floor = min(polars.wall, duck.wall)
            print(f"\n{rows:,} rows, {csv.stat().st_size / 1e6:,.0f} MB: pandas.read_csv {ref.wall:.2f} s "
                  f"{ref.rss_mb:,.0f} MB | floor F={floor:.2f} s (polars sink_parquet {polars.wall:.2f} s "
                  f"cpu={polars.cpu:.1f}s {polars.rss_mb:,.0f} MB; duckdb COPY {duck.wall:.2f} s cpu={duck.cpu:.1f}s "
                  f"{duck.rss_mb:,.0f} MB)", flush=True)
            header = (f"{'intent':>20} | {'cold s':>7} {'/(E+1.5F)':>10} | {'warm s':>6} {'/2E':>8} | "
                      f"{'peak MB':>7} {'/0.5pd':>9}")
            print(header + "\n" + "-" * len(header))
            cells = {}
            for intent in intents:
                cold_q, warm_q = QUESTIONS[intent]
                cold = bench.job(csv, cold_q, f"{rows}-{intent}-cold", cold=True)
                warm = bench.job(csv, warm_q, f"{rows}-{intent}-warm", cold=False)
                e = fixed[intent].wall
                peak = max(cold.rss_mb, warm.rss_mb)
                cells[intent] = (cold, warm, peak)
                print(f"{intent:>20} | {cold.wall:7.2f} {verdict(cold.wall, e + 1.5 * floor):>10} | "
                      f"{warm.wall:6.2f} {verdict(warm.wall, 2 * e):>8} | {peak:7.0f} "
                      f"{verdict(peak, 0.5 * ref.rss_mb):>9}", flush=True)
                print(f"{'':>20}   cold: {describe(cold)}\n{'':>20}   warm: {describe(warm)}", flush=True)
            if previous is not None:
                growth(previous, (rows, cells))
            previous = (rows, cells)
        over = e_bench.over + bench.over
        print(f"\nartifact caps: {'every file of every cell within its cap' if not over else ''}")
        for line in over:
            print(f"  over its cap: {line}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if args.clean:
            shutil.rmtree(args.data, ignore_errors=True)
    return 0


def growth(before: tuple[int, dict], after: tuple[int, dict]) -> None:
    """Cold time may grow as the rows do; warm time and peak RSS by at most GROWTH."""
    (n0, a), (n1, b) = before, after
    rows = n1 / n0
    print(f"\ngrowth {n0:,} -> {n1:,} rows (x{rows:g}): cold <= x{rows:g}, warm and peak RSS <= x{GROWTH:g}")
    for intent in [i for i in a if i in b]:
        (c0, w0, p0), (c1, w1, p1) = a[intent], b[intent]
        print(f"{intent:>20} | cold x{c1.wall / c0.wall:5.2f} {'ok' if c1.wall / c0.wall <= rows else 'MISS'} | "
              f"warm x{w1.wall / w0.wall:5.2f} {'ok' if w1.wall / w0.wall <= GROWTH else 'MISS'} | "
              f"peak x{p1 / p0:5.2f} {'ok' if p1 / p0 <= GROWTH else 'MISS'}")


if __name__ == "__main__":
    sys.exit(main())
