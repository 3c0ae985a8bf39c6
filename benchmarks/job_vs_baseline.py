"""The whole job (``autoviz run``) on a bundled example, this checkout against an earlier commit, in one run.

    python benchmarks/job_vs_baseline.py [--baseline e40fc91] [--runs 5]
                                         [--file data/examples/december_revenue.csv]
                                         [--question "revenue totals by region and product type"]

The baseline's code is checked out into a temporary git worktree (removed at the end; ``--baseline-dir`` uses
one that exists). Each run is a new process, ``python -m autoviz_pipeline.cli run FILE QUESTION --out DIR``,
with ``PYTHONPATH`` set to the tree under test (so it imports that tree's ``autoviz_pipeline`` and reads its
``config/``) and its own empty storage and output folders, so nothing is cached between runs; the two trees take
turns (baseline, current, baseline, …) so that a busy machine slows both alike. One warm-up run each is not
counted. Two times per run: the process's wall time (imports, Dagster and every stage: what a user waits for)
and the job's own stage time (the sum of ``manifest.json``'s ``timings``). The script prints each run, the
medians, and current / baseline, and exits 1 when the current wall-time median is over ``--max-ratio`` times the
baseline's.
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README_FILE = ROOT / "data" / "examples" / "december_revenue.csv"
README_QUESTION = "revenue totals by region and product type"


def run_job(tree: Path, csv: Path, question: str, work: Path) -> tuple[float, float]:
    """One ``autoviz run`` of ``tree``'s code in a new process: (wall seconds, the stages' seconds)."""
    work.mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(tree), "AUTOVIZ_STORAGE_DIR": str(work / "storage"),
           "AUTOVIZ_OUTPUTS_DIR": str(work / "outputs"), "DAGSTER_HOME": str(work / "dagster_home")}
    (work / "dagster_home").mkdir()
    (work / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    out = work / "report"
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "autoviz_pipeline.cli", "run", str(csv), question, "--out", str(out)],
                          check=False, cwd=tree, env=env, capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{tree}: autoviz run failed ({done.returncode}):\n{done.stderr[-2000:]}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return wall, sum(manifest["timings"].values())


def imported_from(tree: Path) -> Path:
    """Where a process run as :func:`run_job` runs it imports ``autoviz_pipeline`` from (it must be ``tree``: an
    editable install elsewhere must not win over ``PYTHONPATH``)."""
    done = subprocess.run([sys.executable, "-c", "import autoviz_pipeline; print(autoviz_pipeline.__file__)"],
                          cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True, text=True,
                          check=True)
    return Path(done.stdout.strip()).resolve().parent.parent


def checkout(rev: str, folder: Path) -> Path:
    """``rev``'s tree in a new detached worktree at ``folder``."""
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), rev], check=True,
                   capture_output=True, text=True)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="e40fc91", help="the commit to compare with (default e40fc91)")
    parser.add_argument("--baseline-dir", type=Path, help="a checkout of the baseline to use as it is")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each tree (default 5), after a warm-up")
    parser.add_argument("--file", type=Path, default=README_FILE)
    parser.add_argument("--question", default=README_QUESTION)
    parser.add_argument("--max-ratio", type=float, default=1.10,
                        help="exit 1 when current / baseline wall time is over this (default 1.10)")
    args = parser.parse_args(argv)
    csv = args.file.resolve()

    with tempfile.TemporaryDirectory(prefix="autoviz-job-bench-") as tmp:
        scratch = Path(tmp)
        baseline = args.baseline_dir.resolve() if args.baseline_dir else checkout(args.baseline, scratch / "baseline")
        trees = {"baseline": baseline, "current": ROOT}
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
        try:
            for name, tree in trees.items():
                if imported_from(tree) != tree.resolve():
                    raise SystemExit(f"{name}: the process imports autoviz_pipeline from {imported_from(tree)}")
            print(f"{csv.name}: {args.question!r}; baseline {args.baseline} ({baseline}), current {ROOT}")
            for i in range(args.runs + 1):  # run 0 warms the disk cache and the imports' bytecode
                for name, tree in trees.items():
                    wall, stages = run_job(tree, csv, args.question, scratch / f"{name}-{i}")
                    if i:
                        times[name].append((wall, stages))
                    print(f"  {'warm-up' if not i else f'run {i}':>7} {name:>8}: wall {wall:6.2f} s, "
                          f"stages {stages:6.2f} s")
        finally:
            if not args.baseline_dir:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(baseline)],
                               check=False, capture_output=True)
                shutil.rmtree(baseline, ignore_errors=True)

    medians = {name: (statistics.median(w for w, _ in runs), statistics.median(s for _, s in runs))
               for name, runs in times.items()}
    for name, (wall, stages) in medians.items():
        print(f"median {name:>8}: wall {wall:6.2f} s, stages {stages:6.2f} s ({args.runs} runs)")
    wall_ratio = medians["current"][0] / medians["baseline"][0]
    stage_ratio = medians["current"][1] / medians["baseline"][1]
    print(f"current / baseline: wall {wall_ratio:.2f}, stages {stage_ratio:.2f} (target: wall <= {args.max_ratio})")
    return 0 if wall_ratio <= args.max_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
