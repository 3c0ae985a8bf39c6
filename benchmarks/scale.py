"""Scale benchmark: the whole pipeline on large CSVs against pandas.read_csv of the same file, in one run.

    python benchmarks/scale.py                       # 1e5, 1e6, 1e7 rows (~0.9 GB) and a 1,000-column file
    python benchmarks/scale.py --sizes 100000        # quicker
    python benchmarks/scale.py --repeat 3            # the median of three measurements per cell
    python benchmarks/scale.py --sizes 3000000 --question "any unusual days in daily revenue" --question overview

Files are generated deterministically under benchmarks/out/ (never committed) by scale_data.py. Every
measurement runs in a fresh Python process that reports its own wall time and peak RSS, so one
measurement's memory never counts against another. "pipeline" is the Dagster job executed in-process
(every stage: profile, intent, plan, repair, tools, report), timed after the imports; "cold" starts with
no columnar cache for the file, "warm" is the second run on the same file.
Targets (issue #6): pipeline <= 2.5x the pandas read time, peak RSS <= 0.5x the pandas read peak,
warm <= 0.5x the pandas read time.
Every file each cell writes (cold and warm) is checked against the artifact caps (issue #14:
autoviz_pipeline/tools/caps.py): a row ends in caps=ok, or caps=N over with one line per file over its cap
below it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from autoviz_pipeline.tools.caps import artifact_violations

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"

_PANDAS = """
import json, resource, sys, time
import pandas as pd
t = time.perf_counter()
df = pd.read_csv(sys.argv[1])
print(json.dumps({"wall": time.perf_counter() - t, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rows": len(df)}))
"""

_PIPELINE = """
import json, resource, sys, time
from autoviz_pipeline.definitions import autoviz_job, defs
from autoviz_pipeline.defs.assets import csv_files
from autoviz_pipeline.inbox import partition_key_for
from dagster import DagsterInstance
path, question, out = sys.argv[1], sys.argv[2], sys.argv[3]
instance = DagsterInstance.ephemeral()
key = partition_key_for(path.rsplit("/", 1)[-1])
instance.add_dynamic_partitions(csv_files.name, [key])
job = defs.resolve_job_def(autoviz_job.name)
t = time.perf_counter()
result = job.execute_in_process(instance=instance, partition_key=key, run_config={
    "ops": {"dataset_profile": {"config": {"dataset_path": path, "question": question, "out_dir": out}}},
    "loggers": {"console": {"config": {"log_level": "ERROR"}}}})
wall = time.perf_counter() - t
report = result.output_for_node("step_results") if result.success else None
print(json.dumps({"wall": wall, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "success": result.success, "charts": sum(r.kind == "chart" for r in report.results) if report else 0,
                  "failed_steps": len(report.failed) if report else None}))
"""


def measure(code: str, *args: str, env: dict[str, str]) -> dict:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT,
                          check=False)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def median_run(runs: list[dict]) -> dict:
    """Each measured number's median over the runs (the other fields from the first run)."""
    out = dict(runs[0])
    for key in ("wall", "rss_mb"):
        out[key] = statistics.median(r[key] for r in runs)
    if "success" in out:
        out["success"] = all(r["success"] for r in runs)
    return out


def ensure(path: Path, args: list[str]) -> Path:
    if not path.is_file():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scale_data.py"), *args, "--out", str(path)], check=True)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    parser.add_argument("--wide", type=int, default=1000, help="columns of the wide file (0: skip)")
    parser.add_argument("--question", action="append",
                        help="the question of every cell; repeat it for a row per question and file "
                             "(default: 'revenue by region and category')")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure each cell this many times and show the median (timings on a shared 2-core VM "
                             "vary by 20%% run to run)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    questions = args.question or ["revenue by region and category"]
    files = [(f"{int(n):,} rows", ensure(OUT / f"sales_{int(n)}.csv", ["--rows", str(int(n))]), question)
             for n in args.sizes.split(",") if n for question in questions]
    if args.wide:
        files.append((f"{args.wide} columns", ensure(OUT / f"wide_{args.wide}.csv", ["--wide", str(args.wide), "--rows", "2000"]),
                      "overview"))
    work = Path(tempfile.mkdtemp(prefix="autoviz-scale-"))
    env = {**os.environ, "AUTOVIZ_STORAGE_DIR": str(work / "storage"), "AUTOVIZ_OUTPUTS_DIR": str(work / "outputs"),
           "AUTOVIZ_CACHE_DIR": str(work / "cache")}
    env.pop("DAGSTER_HOME", None)
    header = f"{'file':>16} {'MB':>6} | {'pandas s':>8} {'pandas MB':>9} | {'cold s':>7} {'x':>5} {'MB':>6} {'x':>5} | {'warm s':>6} {'x':>5}"
    print(header)
    print("-" * len(header))
    try:
        for label, path, question in files:
            runs, over = [], {}
            for _ in range(max(args.repeat, 1)):
                ref = measure(_PANDAS, str(path), env=env)
                shutil.rmtree(work / "cache", ignore_errors=True)
                cold = measure(_PIPELINE, str(path), question, str(work / "r1"), env=env)
                over.update((f"cold {line}", None) for line in artifact_violations(work / "r1"))
                warm = measure(_PIPELINE, str(path), question, str(work / "r2"), env=env)
                over.update((f"warm {line}", None) for line in artifact_violations(work / "r2"))
                runs.append((ref, cold, warm))
            ref, cold, warm = (median_run([r[i] for r in runs]) for i in range(3))
            ok = "" if cold["success"] and warm["success"] else "  FAILED"
            caps = f"caps={len(over)} over" if over else "caps=ok"
            asked = f"  question={question!r}" if len(questions) > 1 else ""
            print(f"{label:>16} {path.stat().st_size / 1e6:6.0f} | {ref['wall']:8.2f} {ref['rss_mb']:9.0f} | "
                  f"{cold['wall']:7.2f} {cold['wall'] / ref['wall']:5.2f} {cold['rss_mb']:6.0f} "
                  f"{cold['rss_mb'] / ref['rss_mb']:5.2f} | {warm['wall']:6.2f} {warm['wall'] / ref['wall']:5.2f}"
                  f"  charts={cold['charts']} failed_steps={cold['failed_steps']} {caps}{ok}{asked}", flush=True)
            for line in over:
                print(f"{'':>16}   over its cap ({line})", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
