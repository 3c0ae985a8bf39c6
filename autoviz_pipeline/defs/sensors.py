"""Triggers: a sensor on the inbox folder, a daily refresh schedule, and a run-failure recorder."""


import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import dagster as dg

from ..fsutil import atomic_write_text
from ..inbox import find_partition_file, scan_inbox, sidecar_question
from .assets import csv_files
from .failures import step_failure_message
from .resources import PipelineSettings

FAILURES_FOLDER = "_failures"


def run_config_for(path: Path, settings: PipelineSettings) -> dict:
    question = sidecar_question(path) or settings.default_question
    return {"ops": {"dataset_profile": {"config": {"dataset_path": str(path), "question": question}}}}


def make_inbox_sensor(job: Any) -> dg.SensorDefinition:
    @dg.sensor(name=f"{job.name}_inbox_sensor", job=job, minimum_interval_seconds=15,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description="New or modified CSV files in the inbox → their partition and a run, once per version.")
    def inbox_sensor(context: dg.SensorEvaluationContext, settings: PipelineSettings):
        seen: dict[str, int] = json.loads(context.cursor) if context.cursor else {}
        found, updated, notes = scan_inbox(settings.inbox_dir, seen, settle_seconds=settings.settle_seconds)
        for note in notes:
            context.log.info(note)
        if not found:
            return dg.SensorResult(skip_reason=dg.SkipReason("no new or modified CSV files"),
                                   cursor=json.dumps(updated))
        existing = set(context.instance.get_dynamic_partitions(csv_files.name))
        new_keys = sorted({f.partition for f in found} - existing)
        requests = [
            dg.RunRequest(run_key=f.run_key, partition_key=f.partition, run_config=run_config_for(f.path, settings),
                          tags={"autoviz/file": f.path.name[:200]})
            for f in found
        ]
        return dg.SensorResult(
            run_requests=requests,
            cursor=json.dumps(updated),
            dynamic_partitions_requests=[csv_files.build_add_request(new_keys)] if new_keys else [],
        )

    return inbox_sensor


def make_refresh_schedule(job: Any) -> dg.ScheduleDefinition:
    @dg.schedule(name=f"{job.name}_daily_refresh", cron_schedule="0 6 * * *", job=job, execution_timezone="UTC",
                 description="Re-run every registered dataset that is still in the inbox, once a day.")
    def daily_refresh(context: dg.ScheduleEvaluationContext, settings: PipelineSettings):
        day = context.scheduled_execution_time.strftime("%Y-%m-%d")
        for key in context.instance.get_dynamic_partitions(csv_files.name):
            path = find_partition_file(settings.inbox_dir, key)
            if path is None:
                continue
            yield dg.RunRequest(run_key=f"{key}:{day}", partition_key=key, run_config=run_config_for(path, settings))

    return daily_refresh


def make_failure_sensor(job: Any) -> dg.SensorDefinition:
    @dg.run_failure_sensor(name=f"{job.name}_failure_recorder", monitored_jobs=[job],
                           default_status=dg.DefaultSensorStatus.RUNNING,
                           description="Writes <outputs>/_failures/<run id>.json for every failed run.")
    def failure_recorder(context: dg.RunFailureSensorContext, settings: PipelineSettings):
        run = context.dagster_run
        failed_steps = context.get_step_failure_events()
        step = failed_steps[0].step_key if failed_steps else None
        record = {
            "run_id": run.run_id,
            "partition": run.tags.get("dagster/partition"),
            "file": run.tags.get("autoviz/file"),
            "stage": step,
            "error": step_failure_message(failed_steps[0]) if failed_steps else context.failure_event.message,
            "recorded_at": datetime.now(timezone.utc).isoformat(),
            "retry": "fix the file (see error), then save it again in the inbox: a new version runs once",
        }
        atomic_write_text(Path(settings.outputs_dir) / FAILURES_FOLDER / f"{run.run_id}.json",
                          json.dumps(record, indent=2, ensure_ascii=False))

    return failure_recorder
