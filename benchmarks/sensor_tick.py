"""Time the inbox sensor's ticks with many new files waiting (the real sensor evaluation, a temporary instance).

    python benchmarks/sensor_tick.py [--files 1000,5000,10000] [--cap N]

Prints, per inbox size, the first tick's seconds and runs requested (at most ``limits.max_runs_per_tick``), and the
ticks needed to request every file once. Dagster stops a sensor evaluation after 60 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import dagster as dg  # noqa: E402

from autoviz_pipeline.definitions import autoviz_job  # noqa: E402
from autoviz_pipeline.defs.resources import PipelineSettings  # noqa: E402
from autoviz_pipeline.defs.sensors import make_inbox_sensor  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", default="1000,5000,10000")
    parser.add_argument("--cap", type=int, default=None, help="max_runs_per_tick (default: config/autoviz.yaml)")
    args = parser.parse_args()
    sensor = make_inbox_sensor(autoviz_job)
    for n in (int(x) for x in args.files.split(",")):
        with tempfile.TemporaryDirectory() as inbox, dg.instance_for_test() as instance:
            old = time.time() - 60
            for i in range(n):
                path = Path(inbox) / f"file{i:05d}.csv"
                path.write_text("a,b\n1,2\n")
                os.utime(path, (old, old))
            settings = PipelineSettings(inbox_dir=inbox, outputs_dir=str(Path(inbox) / "out"), settle_seconds=0,
                                        **({"max_runs_per_tick": args.cap} if args.cap else {}))
            cursor, ticks, requested, first = None, 0, 0, None
            while True:
                start = time.perf_counter()
                with dg.build_sensor_context(instance=instance, cursor=cursor, resources={"settings": settings}) as ctx:
                    result = sensor(ctx)
                seconds = time.perf_counter() - start
                got = len(result.run_requests or [])
                if first is None:
                    first = (seconds, got)
                if not got:
                    break
                ticks += 1
                requested += got
                cursor = result.cursor
                if ticks == 3:  # enough to see the steady tick; the rest follow the same way
                    break
            print(f"sensor_tick: files={n} first_tick_s={first[0]:.2f} first_tick_runs={first[1]} "
                  f"cap={settings.resolved().max_runs_per_tick} ticks_timed={ticks} runs_requested={requested}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
