"""Registering a file's partition from several processes at once (two `autoviz run`s of one file name, a run
beside the sensor) on a real SQLite-backed instance: every process succeeds and the key is there once."""

import os
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg

from autoviz_pipeline.defs.assets import csv_files

ROOT = Path(__file__).resolve().parents[2]
WORKER = """
import sys, time
import dagster as dg
from autoviz_pipeline.defs.assets import add_partition
instance = dg.DagsterInstance.get()
start = float(sys.argv[1])
while time.time() < start:  # all at the same moment
    pass
add_partition(instance, "sales.csv")
"""


def test_concurrent_registrations_of_one_partition_all_succeed(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    with dg.instance_for_test(temp_dir=str(home)):
        pass  # the instance's storage exists before the workers race to write it
    start = time.time() + 8  # after every worker has imported Dagster
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(start)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(4)]
    errors = [p.stderr.read().decode()[-1500:] for p in procs if p.wait(timeout=120) != 0]
    assert errors == []
    with dg.instance_for_test(temp_dir=str(home)) as instance:
        assert instance.get_dynamic_partitions(csv_files.name) == ["sales.csv"]
