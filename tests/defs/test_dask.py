"""Two datasets at once on a real dask.distributed cluster (a local one), through `dagster job execute`."""

import json
import os
import subprocess
import sys

import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT

distributed = pytest.importorskip("distributed")


def test_two_datasets_at_once_on_a_shared_dask_cluster(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "DAGSTER_HOME": str(home), "AUTOVIZ_STORAGE_DIR": str(tmp_path / "storage"),
           "AUTOVIZ_OUTPUTS_DIR": str(tmp_path / "outputs")}
    cases = {"december_revenue.csv": "revenue totals by region", "sensor_readings.csv": "unusual temperature readings"}
    subprocess.run([sys.executable, "-m", "autoviz_pipeline.cli", "register", *(str(EXAMPLES / c) for c in cases)],
                   env=env, check=True, capture_output=True, cwd=ROOT)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster:
        procs = {}
        for csv, question in cases.items():
            config = {"ops": {"dataset_profile": {"config": {
                          "dataset_path": str(EXAMPLES / csv), "question": question,
                          "out_dir": str(tmp_path / "reports" / csv)}}},
                      "execution": {"config": {"dask": {"cluster": {"existing": {"address": cluster.scheduler_address}}}}}}
            cfg = tmp_path / f"{csv}.yaml"
            cfg.write_text(yaml.safe_dump(config))
            procs[csv] = subprocess.Popen(
                [sys.executable, "-m", "dagster", "job", "execute", "-f", "definitions.py", "-j", "autoviz_job",
                 "-c", str(cfg), "--tags", json.dumps({"dagster/partition": csv})],
                env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        outputs = {csv: p.communicate(timeout=480)[0] for csv, p in procs.items()}
        # the steps really went through the cluster: 2 runs x 6 steps, each task released→waiting→processing→memory
        transitions = cluster.scheduler.transition_counter
    for csv, p in procs.items():
        assert p.returncode == 0, outputs[csv][-3000:]
    intents = {}
    for csv in cases:
        manifest = json.loads((tmp_path / "reports" / csv / "manifest.json").read_text())
        assert manifest["dataset"]["name"] == csv and manifest["charts"]
        intents[csv] = manifest["intent"]["label"]
    # each run got its own results (task keys carry the run id: no cross-talk between the two runs)
    assert intents == {"december_revenue.csv": "comparative_analysis", "sensor_readings.csv": "anomaly_detection"}
    assert transitions >= 2 * 6 * 3
