"""A run killed hard (kill -9) while drawing its charts: real run processes on a real instance, then the real
watchdog and failure-recorder evaluations."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg

from autoviz_pipeline.definitions import autoviz_job
from autoviz_pipeline.defs.resources import PipelineSettings
from autoviz_pipeline.defs.sensors import VERSION_TAG, make_failure_sensor, make_watchdog_sensor
from autoviz_pipeline.defs.watchdog import CRASHED_TAG, RERUN_OF_TAG
from autoviz_pipeline.inbox import file_version
from tests.conftest import EXAMPLES

ROOT = Path(__file__).resolve().parents[2]

# A run worker: the six stages on one inbox file, with the charts stage stalled until the test kills it.
WORKER = r"""
import sys, time, pathlib, json
import dagster as dg
import autoviz_pipeline.defs.assets as assets
from autoviz_pipeline.defs.resources import PipelineSettings
from tests.dagster_support import question_config, run_partition

inbox, storage, marker, tags = sys.argv[1:5]
def stall(*args, **kwargs):
    pathlib.Path(marker).write_text("drawing")
    time.sleep(300)
assets.execute_plan = stall
csv = pathlib.Path(inbox) / "sales.csv"
run_partition(dg.DagsterInstance.get(), "sales.csv", storage=pathlib.Path(storage), tags=json.loads(tags),
              settings=PipelineSettings(inbox_dir=inbox, outputs_dir=str(pathlib.Path(inbox) / "out")),
              run_config=question_config(csv, "revenue by region"))
"""


def _start(home: Path, inbox: Path, name: str, tags: dict[str, str]) -> tuple[subprocess.Popen, Path]:
    marker = home / f"{name}.drawing"
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-c", WORKER, str(inbox), str(home / "storage"), str(marker),
                             json.dumps(tags)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return proc, marker


def _wait_for(markers: list[Path], procs: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + 240
    while not all(m.exists() for m in markers):
        assert time.monotonic() < deadline, [p.stderr.read().decode()[-2000:] for p in procs if p.poll() is not None]
        time.sleep(0.2)


def test_a_run_killed_during_the_charts_is_failed_recorded_and_its_version_runs_again(tmp_path):
    home, inbox = tmp_path / "home", tmp_path / "inbox"
    home.mkdir()
    inbox.mkdir()
    csv = inbox / "sales.csv"
    csv.write_bytes((EXAMPLES / "december_revenue.csv").read_bytes())
    version = file_version(csv, "sales.csv").run_key
    settings = PipelineSettings(inbox_dir=str(inbox), outputs_dir=str(tmp_path / "out"), settle_seconds=0)
    tags = {VERSION_TAG: version, "autoviz/file": "sales.csv"}
    with dg.instance_for_test(temp_dir=str(home)) as instance:  # its storage exists before the workers start
        started = [_start(home, inbox, "first", tags),  # killed: runs again
                   _start(home, inbox, "rerun", {**tags, RERUN_OF_TAG: "an-earlier-run"}),  # killed, not again
                   _start(home, inbox, "alive", tags)]  # still drawing: left alone
        procs = [p for p, _ in started]
        try:
            _wait_for([m for _, m in started], procs)
            for proc in procs[:2]:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
            _check(instance, tmp_path, csv, version, settings)
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait(timeout=30)


def _check(instance, tmp_path, csv, version, settings):
    runs = instance.get_runs()
    assert len(runs) == 3 and all(r.status == dg.DagsterRunStatus.STARTED for r in runs)  # stuck without a watchdog
    # under `dagster dev` the code server may see the worker exit first and mark the run failed itself
    first = next(r for r in runs if RERUN_OF_TAG not in r.tags and not _alive(instance, r))
    instance.report_run_failed(first, "This run has been marked as failed from outside the execution context.")
    _record_failure(instance, first.run_id, settings)  # the failure recorder, on Dagster's failure event
    assert json.loads((tmp_path / "out" / "_failures" / f"{first.run_id}.json").read_text())["stage"] is None
    sensor = make_watchdog_sensor(autoviz_job)
    with dg.build_sensor_context(instance=instance, resources={"settings": settings}) as ctx:
        result = sensor(ctx)
    requests = list(result) if isinstance(result, list) else []
    dead = [r for r in instance.get_runs() if r.status == dg.DagsterRunStatus.FAILURE]
    alive = [r for r in instance.get_runs() if r.status == dg.DagsterRunStatus.STARTED]
    assert len(dead) == 2 and len(alive) == 1 and alive[0].tags.get(RERUN_OF_TAG) is None
    first = next(r for r in dead if RERUN_OF_TAG not in r.tags)
    # the killed first run runs once more; the killed rerun does not
    assert len(requests) == 1
    assert requests[0].partition_key == "sales.csv" and requests[0].tags[RERUN_OF_TAG] == first.run_id
    assert requests[0].run_key == f"{version}:rerun-of-{first.run_id}"
    assert requests[0].run_config["ops"]["dataset_profile"]["config"]["dataset_path"] == str(csv)
    for run in dead:
        record = json.loads((tmp_path / "out" / "_failures" / f"{run.run_id}.json").read_text())
        assert record["stage"] == "step_results" and record["source"] == "watchdog"
        assert "killed" in record["error"] and record["version"] == version
        assert instance.get_run_by_id(run.run_id).tags[CRASHED_TAG] == "true"
    # the failure recorder, evaluated again after the watchdog, leaves the watchdog's record alone
    _record_failure(instance, first.run_id, settings)
    record = json.loads((tmp_path / "out" / "_failures" / f"{first.run_id}.json").read_text())
    assert record["source"] == "watchdog" and record["stage"] == "step_results"
    # the next tick finds nothing new: the killed runs are failed now, the live one is alive
    with dg.build_sensor_context(instance=instance, resources={"settings": settings}) as ctx:
        again = sensor(ctx)
    assert isinstance(again, dg.SkipReason)


def _alive(instance, run):
    from autoviz_pipeline.defs.watchdog import worker_pid
    from autoviz_pipeline.fsutil import pid_alive

    return pid_alive(worker_pid(instance, run.run_id) or 0)


def _record_failure(instance, run_id, settings):
    failure = next(iter(instance.all_logs(run_id, of_type=dg.DagsterEventType.RUN_FAILURE)))
    ctx = dg.build_run_status_sensor_context(
        sensor_name="f", dagster_instance=instance, dagster_run=instance.get_run_by_id(run_id),
        dagster_event=failure.dagster_event, resources={"settings": settings}).for_run_failure()
    make_failure_sensor(autoviz_job)(ctx)


def test_a_run_that_failed_on_its_input_is_no_crash_and_is_read_once(tmp_path):
    """A run that failed in a stage (a bad file) is not taken for a killed one: no rerun, no watchdog record,
    and its event log is read on one tick only."""
    from autoviz_pipeline.defs.resources import LLMResource
    from autoviz_pipeline.defs.watchdog import SEEN_TAG
    from tests.dagster_support import question_config, run_partition

    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01binary")
    settings = PipelineSettings(inbox_dir=str(tmp_path), outputs_dir=str(tmp_path / "out"), settle_seconds=0)
    with dg.instance_for_test() as instance:
        result = run_partition(instance, "bad.csv", settings=settings, llm=LLMResource(), storage=tmp_path / "s",
                               run_config=question_config(bad), raise_on_error=False,
                               tags={VERSION_TAG: "bad.csv@1", "autoviz/file": "bad.csv"})
        assert not result.success
        sensor = make_watchdog_sensor(autoviz_job)
        with dg.build_sensor_context(instance=instance, resources={"settings": settings}) as ctx:
            assert isinstance(sensor(ctx), dg.SkipReason)
        run = instance.get_run_by_id(result.run_id)
        assert run.tags.get(SEEN_TAG) == "true" and CRASHED_TAG not in run.tags
        assert not (tmp_path / "out" / "_failures" / f"{result.run_id}.json").exists()  # the recorder's, not ours
