"""Triggers: a sensor on the inbox folder, a daily refresh schedule, a run-failure recorder, a watchdog.

Exactly once per file version: the cursor maps file name → the version handled (its mtime_ns, with its question
sidecar's when it has one: a question saved or changed later is a new version), and every request carries the
run key ``<partition>@<mtime_ns>[+q<sidecar mtime_ns>]``. The daemon never launches a run key twice, and
when the cursor is lost or stale (deleted, reset, restored) the sensor itself asks the instance whether
a version's run already exists before requesting it (one query per new version, none when nothing
changed). A version whose run failed therefore stays failed until the file is saved again (a new
version): the failure record says so. Only a run killed hard is run again, once, by the watchdog.
"""

import json
from pathlib import Path
from typing import Any

import dagster as dg

from ..inbox import (FileVersion, dataset_file, display_name, file_version, find_partition_file, is_utf8_name,
                     scan_inbox, sidecar_question)
from .assets import ASSETS, csv_files
from .failures import RECORDED_BY_TAG, failure_record, first_step_failure, write_failure_record
from .resources import PipelineSettings
from .watchdog import CRASHED_TAG, RERUN_OF_TAG, dead_runs, mark_dead

RUN_KEY_TAG = "dagster/run_key"
SENSOR_NAME_TAG = "dagster/sensor_name"
VERSION_TAG = "autoviz/version"
FILE_TAG = "autoviz/file"
_STARTED = [s for s in dg.DagsterRunStatus if s != dg.DagsterRunStatus.NOT_STARTED]


def run_config_for(path: Path, settings: PipelineSettings) -> dict:
    """The run config for an inbox file: its question (sidecar or default) and, when it can be stored, its path.

    A name with bytes that are not UTF-8 cannot go into run config; the run then finds the file by its
    partition key in the inbox.
    """
    question = sidecar_question(path) or settings.default_question
    config: dict[str, Any] = {"question": question}
    if is_utf8_name(str(path)):
        config["dataset_path"] = str(path)
    return {"ops": {"dataset_profile": {"config": config}}}


def _tags(version: FileVersion) -> dict[str, str]:
    return {FILE_TAG: version.display_name, VERSION_TAG: version.run_key}


def _already_ran(instance: dg.DagsterInstance, sensor_name: str, run_key: str) -> bool:
    """Whether a run for this key was launched before (by this sensor), whatever its outcome."""
    runs = instance.get_runs(dg.RunsFilter(tags={RUN_KEY_TAG: run_key, SENSOR_NAME_TAG: sensor_name},
                                           statuses=_STARTED), limit=1)
    return bool(runs)


def make_inbox_sensor(job: Any) -> dg.SensorDefinition:
    name = f"{job.name}_inbox_sensor"

    @dg.sensor(name=name, job=job, minimum_interval_seconds=15,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description="New or modified CSV files in the inbox → their partition and a run, once per version.")
    def inbox_sensor(context: dg.SensorEvaluationContext, settings: PipelineSettings):
        try:
            seen: dict[str, int | str] = json.loads(context.cursor) if context.cursor else {}
            if not isinstance(seen, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            context.log.warning(f"unreadable cursor ({exc}); starting over (run keys still prevent repeats)")
            seen = {}
        found, updated, notes = scan_inbox(settings.inbox_dir, seen, settle_seconds=settings.settle_seconds)
        for note in notes:
            context.log.info(note)
        if len(found) > settings.max_runs_per_tick:  # a tick must end in Dagster's 60 s: the rest wait their turn
            waiting = found[settings.max_runs_per_tick:]
            found = found[:settings.max_runs_per_tick]
            for version in waiting:  # not in the cursor: the next ticks find them again
                if seen.get(version.path.name) is not None:
                    updated[version.path.name] = seen[version.path.name]
                else:
                    updated.pop(version.path.name, None)
            context.log.info(f"{len(waiting):,} more new or modified files wait for the next ticks "
                             f"(limits.max_runs_per_tick = {settings.max_runs_per_tick})")
        requests: list[dg.RunRequest] = []
        for version in found:
            try:
                if _already_ran(context.instance, name, version.run_key):  # lost or stale cursor
                    context.log.info(f"{version.display_name!r}: version {version.run_key} already ran; skipped")
                    continue
                requests.append(dg.RunRequest(run_key=version.run_key, partition_key=version.partition,
                                              run_config=run_config_for(version.path, settings),
                                              tags=_tags(version)))
            except Exception as exc:  # noqa: BLE001 - one bad file must never block the others
                context.log.warning(f"skipped {version.display_name!r}: {type(exc).__name__}: {exc}")
                updated.pop(version.path.name, None)  # try again next tick
        if not requests:
            return dg.SensorResult(skip_reason=dg.SkipReason("no new or modified CSV files"),
                                   cursor=json.dumps(updated))
        existing = set(context.instance.get_dynamic_partitions(csv_files.name))
        new_keys = sorted({r.partition_key for r in requests} - existing)
        return dg.SensorResult(
            run_requests=requests,
            cursor=json.dumps(updated),
            dynamic_partitions_requests=[csv_files.build_add_request(new_keys)] if new_keys else [],
        )

    return inbox_sensor


def make_refresh_schedule(job: Any) -> dg.ScheduleDefinition:
    @dg.schedule(name=f"{job.name}_daily_refresh", cron_schedule="0 6 * * *", job=job, execution_timezone="UTC",
                 description="Re-run every registered dataset still in the inbox, once a day "
                             "(not file versions whose run failed: those wait for a new version).")
    def daily_refresh(context: dg.ScheduleEvaluationContext, settings: PipelineSettings):
        day = context.scheduled_execution_time.strftime("%Y-%m-%d")
        for key in context.instance.get_dynamic_partitions(csv_files.name):
            path = find_partition_file(settings.inbox_dir, key)
            if path is None:
                continue
            try:
                version = file_version(path, key)
                failed = context.instance.get_runs(
                    dg.RunsFilter(tags={VERSION_TAG: version.run_key}, statuses=[dg.DagsterRunStatus.FAILURE]),
                    limit=1)
                if failed:
                    context.log.info(f"{key}: this version failed in run {failed[0].run_id}; "
                                     "not retried until the file is saved again")
                    continue
                yield dg.RunRequest(run_key=f"{key}:{day}", partition_key=key,
                                    run_config=run_config_for(path, settings), tags=_tags(version))
            except Exception as exc:  # noqa: BLE001 - one bad file must never block the others
                context.log.warning(f"skipped {display_name(key)!r}: {type(exc).__name__}: {exc}")

    return daily_refresh


IMPLICIT_ASSET_JOB = "__ASSET_JOB"  # the job Dagster runs for the UI's Materialize and `dagster asset materialize`


def materializes_these_assets(instance: dg.DagsterInstance, run: dg.DagsterRun, job_name: str) -> bool:
    """Whether a run materializes (some of) the six stage assets: by its asset selection, else by the steps of its
    execution plan (one per asset, named after it), else by its job's name."""
    if run.asset_selection:
        return bool(set(run.asset_selection) & {a.key for a in ASSETS})
    if run.execution_plan_snapshot_id:
        snapshot = instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id)
        return bool({s.key for s in snapshot.steps} & {a.key.to_user_string() for a in ASSETS})
    return run.job_name in (job_name, IMPLICIT_ASSET_JOB)


def make_failure_sensor(job: Any) -> dg.SensorDefinition:
    """Every failed run that materializes these assets, however it was launched: the UI's Materialize (the implicit
    asset job), the inbox sensor, the schedule, `dagster job execute` / `dagster asset materialize` (runs with no
    code location of their own, hence ``monitor_all_code_locations``). `autoviz run` records its own failures."""

    @dg.run_failure_sensor(name=f"{job.name}_failure_recorder", monitor_all_code_locations=True,
                           default_status=dg.DefaultSensorStatus.RUNNING,
                           description="Writes <outputs>/_failures/<run id>.json for every failed run that "
                                       "materializes the autoviz assets (UI, sensor, schedule, CLI).")
    def failure_recorder(context: dg.RunFailureSensorContext, settings: PipelineSettings):
        run = context.dagster_run
        if CRASHED_TAG in run.tags or RECORDED_BY_TAG in run.tags:  # the watchdog or the CLI wrote its record
            return
        if not materializes_these_assets(context.instance, run, job.name):
            return
        stage, error = first_step_failure(context.get_step_failure_events())
        record = failure_record(
            run_id=run.run_id, partition=run.tags.get("dagster/partition"), file=_run_file(run, settings),
            version=run.tags.get(VERSION_TAG), stage=stage,
            error=error or context.failure_event.message or "the run failed (see the Dagster logs)",
        )
        path = write_failure_record(settings.outputs_dir, record)
        context.log.info(f"failure recorded in {path}")

    return failure_recorder


def _run_file(run: dg.DagsterRun, settings: PipelineSettings) -> str | None:
    """The file a failed run read or was to read: the sensor's tag, else the run config's dataset_path, else the
    partition's file in the inbox or the one `autoviz register` recorded (a run from the UI has no tag)."""
    if run.tags.get(FILE_TAG):
        return run.tags[FILE_TAG]
    ops = (run.run_config or {}).get("ops")
    stage = ops.get("dataset_profile") if isinstance(ops, dict) else None
    config = stage.get("config") if isinstance(stage, dict) else None
    path = config.get("dataset_path") if isinstance(config, dict) else None
    partition = run.tags.get("dagster/partition")
    if not path and partition:
        path = dataset_file(settings.inbox_dir, partition)
    return display_name(str(path), 1000) if path else None


def _still_in_inbox(settings: PipelineSettings, partition: str, version: str) -> Path | None:
    """The inbox file of this partition when it still has this version (same bytes' mtime, same sidecar)."""
    path = find_partition_file(settings.inbox_dir, partition)
    if path is None:
        return None
    try:
        return path if file_version(path, partition).run_key == version else None
    except OSError:
        return None


def make_watchdog_sensor(job: Any) -> dg.SensorDefinition:
    """Runs killed hard → failed with a failure record (``watchdog.py``); a file version the inbox sensor or the
    schedule launched runs once more, if the file is unchanged (a rerun that dies too waits for a new save)."""

    @dg.sensor(name=f"{job.name}_watchdog", job=job, minimum_interval_seconds=30,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description="Runs whose process was killed hard → failed, with a failure record; "
                           "a file version from the inbox runs once more.")
    def watchdog(context: dg.SensorEvaluationContext, settings: PipelineSettings):
        requests = []
        for run, pid in dead_runs(context.instance):
            message = mark_dead(context.instance, run, pid, settings.outputs_dir)
            context.log.warning(f"run {run.run_id}: {message}")
            version, partition = run.tags.get(VERSION_TAG), run.tags.get("dagster/partition")
            if not version or not partition or RERUN_OF_TAG in run.tags:
                continue
            path = _still_in_inbox(settings, partition, version)
            if path is None:
                continue
            context.log.info(f"{display_name(partition)!r}: version {version} runs again")
            requests.append(dg.RunRequest(
                run_key=f"{version}:rerun-of-{run.run_id}", partition_key=partition,
                run_config=run_config_for(path, settings),
                tags={FILE_TAG: run.tags.get(FILE_TAG, display_name(partition)), VERSION_TAG: version,
                      RERUN_OF_TAG: run.run_id}))
        return requests or dg.SkipReason("no run was killed")

    return watchdog
