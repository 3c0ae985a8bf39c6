"""The real sensor, schedule and failure-sensor evaluations against a temporary instance and inbox."""

import json
import os
import time
from datetime import datetime, timezone

import dagster as dg

from autoviz_pipeline.definitions import autoviz_job, defs
from autoviz_pipeline.defs.assets import csv_files
from autoviz_pipeline.defs.failures import RECORDED_BY_TAG
from autoviz_pipeline.defs.io_managers import PydanticJsonIOManager
from autoviz_pipeline.defs.resources import PipelineSettings
from autoviz_pipeline.defs.sensors import make_failure_sensor, make_inbox_sensor, make_refresh_schedule
from autoviz_pipeline.inbox import register_file


def _settings(tmp_path):
    return PipelineSettings(inbox_dir=str(tmp_path), outputs_dir=str(tmp_path / "out"), settle_seconds=0)


def _write(path, text, age=10.0):
    path.write_text(text)
    t = time.time() - age
    os.utime(path, (t, t))


def test_definitions_load():
    dg.Definitions.validate_loadable(defs)
    assert defs.resolve_job_def("autoviz_job").partitions_def is not None


def test_sensor_new_same_modified(tmp_path):
    sensor = make_inbox_sensor(autoviz_job)
    _write(tmp_path / "sales.csv", "a,b\n1,2\n")
    (tmp_path / "sales.question.txt").write_text("b by a")
    with dg.instance_for_test() as instance:
        with dg.build_sensor_context(instance=instance, cursor=None, resources={"settings": _settings(tmp_path)}) as ctx:
            first = sensor(ctx)
        assert [r.partition_key for r in first.run_requests] == ["sales.csv"]
        assert first.dynamic_partitions_requests[0].partition_keys == ["sales.csv"]
        cfg = first.run_requests[0].run_config["ops"]["dataset_profile"]["config"]
        assert cfg == {"dataset_path": str(tmp_path / "sales.csv"), "question": "b by a"}
        # the same file again: nothing
        instance.add_dynamic_partitions(csv_files.name, ["sales.csv"])
        with dg.build_sensor_context(instance=instance, cursor=first.cursor,
                                     resources={"settings": _settings(tmp_path)}) as ctx2:
            second = sensor(ctx2)
        assert not second.run_requests
        # modified: a new run for the same partition, no new partition
        _write(tmp_path / "sales.csv", "a,b\n1,3\n", age=5.0)
        with dg.build_sensor_context(instance=instance, cursor=second.cursor,
                                     resources={"settings": _settings(tmp_path)}) as ctx3:
            third = sensor(ctx3)
        assert [r.partition_key for r in third.run_requests] == ["sales.csv"]
        assert third.run_requests[0].run_key != first.run_requests[0].run_key
        assert not third.dynamic_partitions_requests


def test_schedule_requests_registered_partitions(tmp_path):
    schedule = make_refresh_schedule(autoviz_job)
    _write(tmp_path / "a.csv", "x\n1\n")
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(csv_files.name, ["a.csv", "gone.csv"])
        with dg.build_schedule_context(instance=instance, resources={"settings": _settings(tmp_path)},
                                       scheduled_execution_time=datetime(2026, 11, 25, 6, tzinfo=timezone.utc)) as ctx:
            requests = list(schedule(ctx))
        assert [(r.partition_key, r.run_key) for r in requests] == [("a.csv", "a.csv:2026-11-25")]


def test_failure_sensor_records_failed_run(tmp_path):
    from autoviz_pipeline.defs.resources import LLMResource
    from tests.dagster_support import question_config, run_partition

    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01binary")
    with dg.instance_for_test() as instance:
        result = run_partition(instance, "bad.csv", settings=_settings(tmp_path), llm=LLMResource(),
                               storage=tmp_path / "storage", run_config=question_config(bad), raise_on_error=False)
        assert not result.success
        failure_event = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
        ctx = dg.build_run_status_sensor_context(
            sensor_name="f", dagster_instance=instance, dagster_run=result.dagster_run,
            dagster_event=failure_event, resources={"settings": _settings(tmp_path)}).for_run_failure()
        make_failure_sensor(autoviz_job)(ctx)
        record = json.loads((tmp_path / "out" / "_failures" / f"{result.run_id}.json").read_text())
        assert record["partition"] == "bad.csv" and record["stage"] == "dataset_profile"
        assert record["file"] == str(bad)  # from the run config (no sensor tag)
        assert "binary" in record["error"] or "failure" in record["error"].lower()


def test_sensor_ticks_are_capped_and_every_file_runs_once(tmp_path):
    """25 new files with max_runs_per_tick=10: the ticks request 10, 10 and 5 runs, every file exactly once, and
    a fourth tick requests nothing."""
    sensor = make_inbox_sensor(autoviz_job)
    for i in range(25):
        _write(tmp_path / f"f{i:02d}.csv", "a,b\n1,2\n")
    settings = PipelineSettings(inbox_dir=str(tmp_path), outputs_dir=str(tmp_path / "out"), settle_seconds=0,
                                max_runs_per_tick=10)
    cursor, seen_keys, sizes = None, [], []
    with dg.instance_for_test() as instance:
        for _ in range(4):
            with dg.build_sensor_context(instance=instance, cursor=cursor, resources={"settings": settings}) as ctx:
                result = sensor(ctx)
            sizes.append(len(result.run_requests or []))
            seen_keys += [r.partition_key for r in result.run_requests or []]
            cursor = result.cursor
    assert sizes == [10, 10, 5, 0]
    assert sorted(seen_keys) == [f"f{i:02d}.csv" for i in range(25)]


def test_a_sidecar_added_or_changed_after_the_run_makes_a_new_run(tmp_path):
    """The CSV ran with the default question; a question saved next to it afterwards is a new version (a new run
    asking it), once; changing the question again makes another."""
    sensor = make_inbox_sensor(autoviz_job)
    _write(tmp_path / "sales.csv", "a,b\n1,2\n")
    settings = _settings(tmp_path)
    with dg.instance_for_test() as instance:
        def tick(cursor):
            with dg.build_sensor_context(instance=instance, cursor=cursor, resources={"settings": settings}) as ctx:
                return sensor(ctx)

        first = tick(None)
        assert [r.run_config["ops"]["dataset_profile"]["config"]["question"] for r in first.run_requests] == [
            settings.resolved().default_question]
        _write(tmp_path / "sales.question.txt", "b by a")
        second = tick(first.cursor)
        assert [r.run_config["ops"]["dataset_profile"]["config"]["question"] for r in second.run_requests] == ["b by a"]
        assert second.run_requests[0].run_key != first.run_requests[0].run_key
        assert not tick(second.cursor).run_requests  # the same version again: nothing
        _write(tmp_path / "sales.question.txt", "a by b", age=5.0)
        assert [r.run_config["ops"]["dataset_profile"]["config"]["question"]
                for r in tick(second.cursor).run_requests] == ["a by b"]


def _evaluate(sensor_def, instance, cursor, settings):
    with dg.build_sensor_context(instance=instance, cursor=cursor, resources={"settings": settings}) as ctx:
        result = sensor_def.evaluate_tick(ctx)
    return result.cursor


def test_failure_recorder_covers_a_ui_materialization(tmp_path):
    """The UI's Materialize runs the implicit asset job with a partition and no config; here its file is missing, so
    the run fails. The recorder from the real Definitions, evaluated as the daemon does (a tick that starts its
    cursor, then a tick after the run), writes the failure record; a failed run of another job writes none, nor
    one whose launcher (`autoviz run`) records it itself."""
    settings = _settings(tmp_path)
    recorder = defs.resolve_sensor_def("autoviz_job_failure_recorder")

    @dg.op
    def boom():
        raise RuntimeError("not ours")

    @dg.job
    def other_job():
        boom()

    with dg.instance_for_test() as instance:
        cursor = _evaluate(recorder, instance, None, settings)
        instance.add_dynamic_partitions(csv_files.name, ["missing.csv"])
        asset_job = defs.resolve_implicit_global_asset_job_def()
        result = asset_job.execute_in_process(
            instance=instance, partition_key="missing.csv", raise_on_error=False,
            resources={"settings": settings, "json_io_manager": PydanticJsonIOManager(base_dir=str(tmp_path / "s"))})
        assert not result.success and result.dagster_run.job_name == "__ASSET_JOB"
        other = other_job.execute_in_process(instance=instance, raise_on_error=False)
        assert not other.success
        by_cli = asset_job.execute_in_process(  # `autoviz run` writes its own record: not a second one
            instance=instance, partition_key="missing.csv", raise_on_error=False, tags={RECORDED_BY_TAG: "cli"},
            resources={"settings": settings, "json_io_manager": PydanticJsonIOManager(base_dir=str(tmp_path / "s"))})
        assert not by_cli.success
        gone = tmp_path / "moved" / "gone.csv"  # registered with `autoviz register`, then moved away
        register_file(tmp_path, gone)
        instance.add_dynamic_partitions(csv_files.name, ["gone.csv"])
        registered = asset_job.execute_in_process(
            instance=instance, partition_key="gone.csv", raise_on_error=False,
            resources={"settings": settings, "json_io_manager": PydanticJsonIOManager(base_dir=str(tmp_path / "s"))})
        assert not registered.success
        _evaluate(recorder, instance, cursor, settings)
    records = {p.stem: json.loads(p.read_text()) for p in (tmp_path / "out" / "_failures").glob("*.json")}
    assert set(records) == {result.run_id, registered.run_id}
    record = records[result.run_id]
    assert record["partition"] == "missing.csv" and record["stage"] == "dataset_profile" and record["file"] is None
    assert "No file for partition 'missing.csv'" in record["error"]
    # a UI run has no file tag: the record names the file the partition stands for
    assert records[registered.run_id]["file"] == str(gone) and "not found" in records[registered.run_id]["error"]
