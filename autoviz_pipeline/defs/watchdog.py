"""Runs whose process was killed hard (``kill -9``, the OOM killer, a power cut) stay STARTED for ever in
Dagster's records: nothing is left to report their end, and Dagster's run monitoring cannot check the health of
run workers started by the default run launcher. The watchdog sensor is the equivalent check.

Each tick of the watchdog sensor (``sensors.make_watchdog_sensor``) looks at the started runs of this instance. A
run whose worker process (its pid, from Dagster's own engine events) is gone from this machine is marked failed,
with a failure record naming the stage it was in. Under ``dagster dev`` or a code server, Dagster may see the
worker exit first and mark the run failed "from outside the execution context": a failed run that died in the
middle of a stage, with no stage failure, is treated the same (record, one rerun). Runs of other machines
(their host tag differs) are left alone.
"""

import socket
from datetime import datetime, timedelta, timezone

import dagster as dg

from ..fsutil import pid_alive
from .failures import failure_record, write_failure_record

HOST_TAG = "autoviz/host"
CRASHED_TAG = "autoviz/crashed"
SEEN_TAG = "autoviz/watchdog_seen"  # a failed run the watchdog looked at and found failed on its own: not again
RERUN_OF_TAG = "autoviz/rerun_of"
_MAX_RUNS_CHECKED = 200
_FAILED_LOOKBACK_S = 24 * 3600  # failed runs looked at again: those updated in the last day


def this_host() -> str:
    return socket.gethostname()


def worker_pid(instance: dg.DagsterInstance, run_id: str) -> int | None:
    """The run worker's pid: the first engine event that names a pid ("Started process for run (pid: …)" from the
    launcher, "Executing steps in process (pid: …)" in-process). None before the worker has said it."""
    for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        data = record.dagster_event.engine_event_data if record.dagster_event else None
        pid = (data.metadata or {}).get("pid") if data else None
        if pid is not None:
            try:
                return int(getattr(pid, "value", pid))
            except (TypeError, ValueError):
                return None
    return None


def stage_in_progress(instance: dg.DagsterInstance, run_id: str) -> str | None:
    """The last step that started and never finished: where the run was when it died."""
    started: list[str] = []
    done: set[str] = set()
    for record in instance.all_logs(run_id, of_type={dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS,
                                                     dg.DagsterEventType.STEP_FAILURE}):
        event = record.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            started.append(event.step_key)
        else:
            done.add(event.step_key)
    running = [step for step in started if step not in done]
    return running[-1] if running else None


def dead_runs(instance: dg.DagsterInstance) -> list[tuple[dg.DagsterRun, int | None]]:
    """Runs of this machine whose worker process died: started ones whose worker pid no longer exists, and
    failed ones that Dagster itself marked failed from outside (its code server saw the worker exit) while a
    stage was running, with no stage failure: died in the middle, not failed on their input. With the pid
    when known."""
    host = this_host()
    dead: list[tuple[dg.DagsterRun, int | None]] = []
    for run in instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]), limit=_MAX_RUNS_CHECKED):
        if run.tags.get(HOST_TAG, host) != host:
            continue
        pid = worker_pid(instance, run.run_id)
        if pid is not None and not pid_alive(pid):
            dead.append((run, pid))
    since = datetime.now(timezone.utc) - timedelta(seconds=_FAILED_LOOKBACK_S)
    for run in instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.FAILURE], updated_after=since),
                                 limit=_MAX_RUNS_CHECKED):
        if CRASHED_TAG in run.tags or SEEN_TAG in run.tags or run.tags.get(HOST_TAG, host) != host:
            continue
        if stage_in_progress(instance, run.run_id) and not instance.all_logs(
                run.run_id, of_type=dg.DagsterEventType.STEP_FAILURE):
            dead.append((run, worker_pid(instance, run.run_id)))
        else:
            instance.add_run_tags(run.run_id, {SEEN_TAG: "true"})  # its event log is read once, not every tick
    return dead


def mark_dead(instance: dg.DagsterInstance, run: dg.DagsterRun, pid: int | None, outputs_dir: str) -> str:
    """Mark the run failed (unless Dagster already has) and write its failure record; returns the message."""
    stage = stage_in_progress(instance, run.run_id)
    message = (f"the run's process{f' (pid {pid})' if pid else ''} ended without a word"
               + (f" during {stage}" if stage else "")
               + ": killed (kill -9, out of memory) or crashed. Nothing of it is used; the report folder, if any, "
               "is incomplete.")
    instance.add_run_tags(run.run_id, {CRASHED_TAG: "true"})
    write_failure_record(outputs_dir, failure_record(
        run_id=run.run_id, partition=run.tags.get("dagster/partition"), file=run.tags.get("autoviz/file"),
        version=run.tags.get("autoviz/version"), stage=stage, error=message, source="watchdog"))
    if run.status != dg.DagsterRunStatus.FAILURE:
        instance.report_run_failed(run, message)
    return message
