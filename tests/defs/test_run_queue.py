"""Many files in parallel (issue #14, point 4): config/dagster.yaml's run queue limits, kept by Dagster's daemon.

A real SQLite instance loads config/dagster.yaml; the project's code location is loaded (in process) as the daemon
loads it; the real inbox sensor's daemon tick turns the files into queued runs, one partition each; the real run
queue daemon (``QueuedRunCoordinatorDaemon``, what ``dagster-daemon`` runs) starts them. Only the run launcher is
a stand-in: it records each launch and what was in progress then, instead of starting a process per run (each
would spend ~10 s importing here). Runs are finished by the events a run worker reports. Dagster's daemon classes
are internal API (dagster is pinned in pyproject.toml).
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import dagster as dg
import yaml
from dagster._core.events import DagsterEvent, DagsterEventType
from dagster._core.launcher import LaunchRunContext, RunLauncher
from dagster._core.remote_origin import InProcessCodeLocationOrigin
from dagster._core.storage.dagster_run import (
    IN_PROGRESS_RUN_STATUSES,
    DagsterRunStatus,
    RunsFilter,
)
from dagster._core.test_utils import create_test_daemon_workspace_context, freeze_time
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._core.workspace.load_target import InProcessWorkspaceLoadTarget
from dagster._daemon.daemon import get_default_daemon_logger
from dagster._daemon.run_coordinator.queued_run_coordinator_daemon import (
    QueuedRunCoordinatorDaemon,
)
from dagster._daemon.sensor import execute_sensor_iteration
from dagster._serdes import ConfigurableClass
from dagster._time import get_current_datetime

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config" / "dagster.yaml"
PARTITION = "dagster/partition"


class RecordingRunLauncher(RunLauncher, ConfigurableClass):
    """Records every launch: the run's partition and the partitions of the runs in progress at that moment."""

    def __init__(self, inst_data=None):
        self._inst_data = inst_data
        self.launches: list[tuple[str, list[str]]] = []
        super().__init__()

    @property
    def inst_data(self):
        return self._inst_data

    @classmethod
    def config_type(cls):
        return {}

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls(inst_data=inst_data)

    def launch_run(self, context: LaunchRunContext) -> None:
        busy = self._instance.get_runs(RunsFilter(statuses=IN_PROGRESS_RUN_STATUSES))
        self.launches.append((context.dagster_run.tags[PARTITION], sorted(r.tags[PARTITION] for r in busy)))

    def terminate(self, run_id: str) -> bool:
        return False


def _save(path: Path, text: str, age: float) -> None:
    """Write a CSV that looks saved ``age`` seconds ago (older than the sensor's settle time)."""
    path.write_text(text)
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))


def _finish(instance: dg.DagsterInstance, partition: str) -> None:
    """The in-progress run of this file succeeds, as its run worker reports it."""
    runs = instance.get_runs(RunsFilter(statuses=IN_PROGRESS_RUN_STATUSES, tags={PARTITION: partition}))
    assert len(runs) == 1, f"{len(runs)} runs of {partition} in progress, expected 1"
    run = runs[0]
    instance.report_dagster_event(DagsterEvent(DagsterEventType.RUN_SUCCESS.value, job_name=run.job_name),
                                  run_id=run.run_id)


def test_run_queue_starts_files_within_config_dagster_yaml_limits(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, folder in (("INBOX", inbox), ("OUTPUTS", tmp_path / "out"), ("STORAGE", tmp_path / "storage")):
        monkeypatch.setenv(f"AUTOVIZ_{name}_DIR", str(folder))
    limits = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    launcher = {"module": __name__, "class": RecordingRunLauncher.__name__}
    target = InProcessWorkspaceLoadTarget(InProcessCodeLocationOrigin(
        LoadableTargetOrigin(module_name="autoviz_pipeline.definitions", working_directory=str(ROOT)),
        location_name="autoviz"))
    logger = get_default_daemon_logger("SensorDaemon")

    def sensor_tick() -> None:
        list(execute_sensor_iteration(context, logger, threadpool_executor=None, submit_threadpool_executor=None))

    with dg.instance_for_test(overrides={**limits, "run_launcher": launcher}) as instance, \
            create_test_daemon_workspace_context(target, instance) as context:
        queue = instance.get_concurrency_config().run_queue_config
        assert queue.max_concurrent_runs == 2
        assert queue.tag_concurrency_limits == [
            {"key": PARTITION, "value": {"applyLimitPerUniqueValue": True}, "limit": 1}]

        _save(inbox / "a.csv", "x,y\n1,2\n", age=120)
        _save(inbox / "b.csv", "x,y\n3,4\n", age=120)
        sensor_tick()
        _save(inbox / "a.csv", "x,y\n1,5\n", age=60)  # a.csv saved again: a second version of its partition
        _save(inbox / "c.csv", "x,y\n5,6\n", age=60)
        _save(inbox / "d.csv", "x,y\n7,8\n", age=60)
        with freeze_time(get_current_datetime() + timedelta(seconds=30)):  # the sensor's next interval
            sensor_tick()
        queued = instance.get_runs(RunsFilter(statuses=[DagsterRunStatus.QUEUED]), ascending=True)
        # one run per file version, each one partition, all waiting for the queue
        assert [r.tags[PARTITION] for r in queued] == ["a.csv", "b.csv", "a.csv", "c.csv", "d.csv"]
        assert {r.job_name for r in queued} == {"autoviz_job"}

        daemon = QueuedRunCoordinatorDaemon(interval_seconds=1)
        recorder: RecordingRunLauncher = instance.run_launcher
        started = []
        for done in ("b.csv", "c.csv", "a.csv", "d.csv", None):  # a queue tick, then one run ends
            before = len(recorder.launches)
            list(daemon.run_iteration(context))
            started.append([partition for partition, _ in recorder.launches[before:]])
            if done is not None:
                _finish(instance, done)

    # two at once; a.csv's second version waits while its first runs, without holding up the files behind it
    assert started == [["a.csv", "b.csv"], ["c.csv"], ["d.csv"], ["a.csv"], []]
    for partition, in_progress in recorder.launches:  # in progress when it started, itself included
        assert len(in_progress) <= 2 and in_progress.count(partition) == 1, (partition, in_progress)
