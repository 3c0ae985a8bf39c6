"""The inbox sensor against a real DagsterInstance: exactly once per file version across lost cursors,
half-written files wait, unsafe names are safe, one bad file never blocks the others, a failing file is
not retried forever (and its record says how to retry)."""

from __future__ import annotations

import json
import os
import re
import time
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg
import pytest

from autoviz_pipeline.definitions import autoviz_job
from autoviz_pipeline.defs import sensors as sensors_mod
from autoviz_pipeline.defs.assets import csv_files
from autoviz_pipeline.defs.resources import PipelineSettings
from tests.dagster_support import run_partition
from autoviz_pipeline.defs.sensors import make_failure_sensor, make_inbox_sensor, make_refresh_schedule
from autoviz_pipeline.inbox import VALID_KEY

GOOD = "region,revenue\nNorth,10\nSouth,20\nNorth,30\nEast,5\n"


def _write(path: Path, content: str | bytes, age: float = 60.0) -> Path:
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    t = time.time() - age
    os.utime(path, (t, t))
    return path


def _settings(tmp_path: Path) -> PipelineSettings:
    return PipelineSettings(inbox_dir=str(tmp_path / "inbox"), outputs_dir=str(tmp_path / "out"), settle_seconds=5)


def _tick(instance, tmp_path, cursor=None):
    sensor = make_inbox_sensor(autoviz_job)
    # contexts are closed in order: a dangling one leaves Dagster's instance context variable stale
    with dg.build_sensor_context(instance=instance, cursor=cursor,
                                 resources={"settings": _settings(tmp_path)}) as ctx:
        return sensor, sensor(ctx)


def _launch(instance, tmp_path, sensor, request):
    """What the daemon does with a run request: add the partition, run with the sensor's tags."""
    return run_partition(
        instance, request.partition_key, settings=_settings(tmp_path), storage=tmp_path / "storage",
        run_config=request.run_config, raise_on_error=False,
        tags={**request.tags, "dagster/run_key": request.run_key, "dagster/sensor_name": sensor.name})


def test_each_version_runs_once_across_lost_cursors_and_failures_are_not_retried(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _write(inbox / "good.csv", GOOD)
    bad = _write(inbox / "bad.csv", b"")
    with dg.instance_for_test() as instance:
        sensor, first = _tick(instance, tmp_path)
        assert sorted(r.partition_key for r in first.run_requests) == ["bad.csv", "good.csv"]
        results = {r.partition_key: _launch(instance, tmp_path, sensor, r) for r in first.run_requests}
        assert results["good.csv"].success and not results["bad.csv"].success

        # the cursor is lost (deleted, reset, sensor renamed back): nothing runs twice
        _, again = _tick(instance, tmp_path, cursor=None)
        assert not again.run_requests
        assert set(json.loads(again.cursor)) == {"bad.csv", "good.csv"}
        # an unreadable cursor: same
        _, garbage = _tick(instance, tmp_path, cursor="{not json")
        assert not garbage.run_requests

        # the failure is recorded where a user finds it, with how to retry
        failed = results["bad.csv"]
        event = next(e for e in failed.all_events if e.event_type_value == "PIPELINE_FAILURE")
        ctx = dg.build_run_status_sensor_context(
            sensor_name="f", dagster_instance=instance, dagster_run=failed.dagster_run, dagster_event=event,
            resources={"settings": _settings(tmp_path)}).for_run_failure()
        make_failure_sensor(autoviz_job)(ctx)
        record = json.loads((tmp_path / "out" / "_failures" / f"{failed.run_id}.json").read_text())
        assert record["file"] == "bad.csv" and record["stage"] == "dataset_profile"
        assert "empty" in record["error"] and "bad.csv" in record["error"]
        assert record["version"] == next(r.run_key for r in first.run_requests if r.partition_key == "bad.csv")
        assert "save the file again" in record["retry"]

        # the daily refresh does not retry the failed version either; the good one is refreshed
        schedule = make_refresh_schedule(autoviz_job)

        def refresh():
            with dg.build_schedule_context(instance=instance, resources={"settings": _settings(tmp_path)},
                                           scheduled_execution_time=datetime(2026, 11, 26, 6,
                                                                             tzinfo=timezone.utc)) as sctx:
                return sorted(r.partition_key for r in schedule(sctx))

        assert refresh() == ["good.csv"]

        # saving the file again (fixed) is a new version: it runs once
        _write(bad, GOOD, age=30.0)
        _, fixed = _tick(instance, tmp_path, cursor=again.cursor)
        assert [r.partition_key for r in fixed.run_requests] == ["bad.csv"]
        assert fixed.run_requests[0].run_key != next(r.run_key for r in first.run_requests
                                                    if r.partition_key == "bad.csv")
        assert refresh() == ["bad.csv", "good.csv"]


def test_half_written_and_temporary_files_wait(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    growing = _write(inbox / "growing.csv", GOOD[:20], age=0.0)  # still being copied
    for name in ("upload.csv.part", "big.csv.crdownload", "~$sheet.csv", ".~lock.sheet.csv#", ".tmp-x1.csv",
                 "sheet.csv.tmp", "notes.txt"):
        _write(inbox / name, GOOD)
    with dg.instance_for_test() as instance:
        _, first = _tick(instance, tmp_path)
        assert not first.run_requests and json.loads(first.cursor) == {}
        with open(growing, "a") as fh:  # the copy finishes; a few seconds later it has settled
            fh.write(GOOD[20:])
        t = time.time() - 10
        os.utime(growing, (t, t))
        _, second = _tick(instance, tmp_path, cursor=first.cursor)
        assert [r.partition_key for r in second.run_requests] == ["growing.csv"]


def test_unsafe_names_get_safe_keys_and_serializable_runs(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    names = ["new\nline.csv", "v1...final.csv", "a..b.csv", "x" * 240 + ".csv", "\u202egnp.csv",
             "<script>alert(1)<script>.csv", "$(rm -rf ~).csv", "tab\there.csv"]
    for name in names:
        _write(inbox / name, GOOD)
    raw = os.path.join(os.fsencode(inbox), b"caf\xe9.csv")  # a name that is not UTF-8
    with open(raw, "wb") as fh:
        fh.write(GOOD.encode())
    t = time.time() - 60
    os.utime(raw, (t, t))
    with dg.instance_for_test() as instance:
        sensor, tick = _tick(instance, tmp_path)
        keys = [r.partition_key for r in tick.run_requests]
        assert len(keys) == len(set(keys)) == len(names) + 1
        for request in tick.run_requests:
            assert VALID_KEY.fullmatch(request.partition_key) and ".." not in request.partition_key
            for value in request.tags.values():
                value.encode("utf-8")  # storable
                assert not re.search(r"[\x00-\x1f\u202e]", value)
            json.dumps(request.run_config).encode("utf-8")
        instance.add_dynamic_partitions(csv_files.name, keys)  # what the daemon does: accepted
        # the non-UTF-8 name fails with a clear message (rename it), and nothing else breaks
        caf = next(r for r in tick.run_requests if r.partition_key.startswith("caf-"))
        assert "dataset_path" not in caf.run_config["ops"]["dataset_profile"]["config"]
        result = _launch(instance, tmp_path, sensor, caf)
        assert not result.success
        from autoviz_pipeline.defs.failures import first_step_failure

        stage, message = first_step_failure(result.all_events)
        assert stage == "dataset_profile" and "not UTF-8" in message and "Rename the file" in message
        # one with HTML in its name runs fine, into a folder with a safe name
        html = next(r for r in tick.run_requests if r.tags["autoviz/file"].startswith("<script>"))
        ok = _launch(instance, tmp_path, sensor, html)
        assert ok.success
        out = Path(ok.output_for_node("analysis_report").out_dir)
        assert out.is_relative_to(tmp_path / "out") and re.fullmatch(r"[A-Za-z0-9_-]+", out.parent.name)


def test_one_bad_file_never_blocks_the_others(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("a.csv", "b.csv", "c.csv"):
        _write(inbox / name, GOOD)
    (inbox / "c.question.txt").mkdir()  # a sidecar that cannot be read: the default question is used
    real = sensors_mod.run_config_for

    def flaky(path, settings):
        if path.name == "b.csv":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, settings)

    monkeypatch.setattr(sensors_mod, "run_config_for", flaky)
    with dg.instance_for_test() as instance:
        _, tick = _tick(instance, tmp_path)
        assert [r.partition_key for r in tick.run_requests] == ["a.csv", "c.csv"]
        assert "b.csv" not in json.loads(tick.cursor)  # tried again next tick
        c = tick.run_requests[1].run_config["ops"]["dataset_profile"]["config"]
        assert c["question"] == _settings(tmp_path).resolved().default_question
        monkeypatch.setattr(sensors_mod, "run_config_for", real)
        _, later = _tick(instance, tmp_path, cursor=tick.cursor)
        assert [r.partition_key for r in later.run_requests] == ["b.csv"]


def test_cursor_forgets_files_that_left_the_inbox(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    gone = _write(inbox / "gone.csv", GOOD)
    _write(inbox / "stays.csv", GOOD)
    with dg.instance_for_test() as instance:
        _, first = _tick(instance, tmp_path)
        gone.unlink()
        _, second = _tick(instance, tmp_path, cursor=first.cursor)
        assert json.loads(second.cursor) == {"stays.csv": json.loads(first.cursor)["stays.csv"]}


@pytest.mark.parametrize("question", ["", "x" * 10_000])
def test_sidecar_question_is_one_bounded_line(tmp_path, question):
    from autoviz_pipeline.inbox import sidecar_question

    csv = _write(tmp_path / "s.csv", GOOD)
    (tmp_path / "s.question.txt").write_bytes(b"\xef\xbb\xbfrevenue\r\nby\x00 region\x1b[2J " + question.encode())
    q = sidecar_question(csv)
    assert q.startswith("revenue by region [2J") and len(q) <= 2000 and "\x00" not in q and "\ufeff" not in q
