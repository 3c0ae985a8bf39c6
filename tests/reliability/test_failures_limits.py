"""Failures are handled and limits are clear, in real Dagster runs: transient errors are retried with
backoff (others fail at once), a failed stage leaves the downstream assets as they were, earlier reports
are kept, stage timeouts and size limits stop with a message naming the limit, and writes are atomic."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import dagster as dg
import pytest

from autoviz_pipeline.defs import assets as assets_mod
from autoviz_pipeline.defs.failures import first_step_failure
from autoviz_pipeline.defs.resources import PipelineSettings
from tests.dagster_support import question_config, run_partition
from autoviz_pipeline.errors import TransientError
from autoviz_pipeline.fsutil import atomic_write, atomic_write_text

CSV = "region,product,revenue\n" + "".join(f"{'NSEW'[i % 4]},{'ab'[i % 2]},{10 + i}\n" for i in range(24))


@pytest.fixture(scope="module")
def instance():
    with dg.instance_for_test() as inst:
        yield inst


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text(CSV)
    return path


def _run(instance, tmp_path, csv: Path, *, question="revenue by region", **settings):
    return run_partition(
        instance, csv.name, storage=tmp_path / "storage", run_config=question_config(csv, question),
        settings=PipelineSettings(inbox_dir=str(tmp_path), outputs_dir=str(tmp_path / "out"), **settings),
        raise_on_error=False)


def _retries(result, step: str) -> int:
    return sum(1 for e in result.all_events if e.event_type_value == "STEP_UP_FOR_RETRY" and e.step_key == step)


def test_transient_error_is_retried_with_backoff(instance, tmp_path, data, monkeypatch):
    real, calls = assets_mod.classify_intent, []

    def flaky(*args, **kwargs):
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise TransientError("llm", "timed out after 30 s")
        return real(*args, **kwargs)

    monkeypatch.setattr(assets_mod, "classify_intent", flaky)
    result = _run(instance, tmp_path, data)
    assert result.success and len(calls) == 2 and _retries(result, "question_intent") == 1
    assert assets_mod.question_intent.op.retry_policy.backoff == dg.Backoff.EXPONENTIAL
    assert assets_mod.analysis_plan.op.retry_policy.max_retries >= 2


def test_other_errors_fail_at_once_with_their_message(instance, tmp_path, data, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug, not worth retrying")

    monkeypatch.setattr(assets_mod, "classify_intent", broken)
    result = _run(instance, tmp_path, data)
    assert not result.success and _retries(result, "question_intent") == 0
    stage, message = first_step_failure(result.all_events)
    assert stage == "question_intent" and "ValueError: a bug, not worth retrying" in message


def test_failed_stage_leaves_downstream_assets_and_earlier_reports_alone(instance, tmp_path, data, monkeypatch):
    first = _run(instance, tmp_path, data)
    second = _run(instance, tmp_path, data)
    assert first.success and second.success
    reports = [Path(r.output_for_node("analysis_report").html) for r in (first, second)]
    assert reports[0].parent != reports[1].parent and all(p.is_file() for p in reports)  # one folder per run
    stored = {p: p.read_bytes() for a in ("step_results", "analysis_report")
              for p in (tmp_path / "storage" / a / "sales.csv").glob("*.json")}
    assert len(stored) == 4  # one per asset and run

    def crash(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(assets_mod, "execute_plan", crash)
    third = _run(instance, tmp_path, data)
    assert not third.success
    assert not third.asset_materializations_for_node("step_results")
    assert not third.asset_materializations_for_node("analysis_report")
    for path, content in stored.items():  # the good runs' downstream outputs are untouched, none added
        assert path.read_bytes() == content
    assert not list((tmp_path / "storage" / "step_results" / "sales.csv").glob(f"{third.run_id}*"))
    assert all(p.is_file() for p in reports)
    assert not list((tmp_path / "storage").rglob(".tmp-*"))


def test_stage_timeout_in_execution_keeps_a_report(instance, tmp_path, data, monkeypatch):
    from autoviz_pipeline import execution

    def slow(*args, **kwargs):
        time.sleep(5)

    monkeypatch.setattr(execution, "run_step", slow)
    started = time.monotonic()
    result = _run(instance, tmp_path, data, stage_timeout_s=0.5)
    assert time.monotonic() - started < 15 and result.success
    manifest = json.loads(Path(result.output_for_node("analysis_report").manifest).read_text())
    reasons = [d["reason"] for d in manifest["dropped"] if d["stage"] == "execute"]
    assert reasons and all("limits.stage_timeout_s" in r for r in reasons)


def test_stage_timeout_in_profiling_fails_with_the_limit(instance, tmp_path, data, monkeypatch):
    def slow(*args, **kwargs):
        time.sleep(5)

    monkeypatch.setattr(assets_mod, "profile_dataset", slow)
    result = _run(instance, tmp_path, data, stage_timeout_s=0.3)
    stage, message = first_step_failure(result.all_events)
    assert not result.success and stage == "dataset_profile"
    assert "limits.stage_timeout_s" in message and "config/autoviz.yaml" in message


@pytest.mark.parametrize("limits,match", [
    ({"max_file_mb": 0.0001}, r"over the limit of 0\.0001 MB \(limits\.max_file_mb\)"),
    ({"max_columns": 2}, r"3 columns is over the limit of 2 columns \(limits\.max_columns\)"),
])
def test_size_limits_fail_with_the_limit_and_how_to_raise_it(instance, tmp_path, data, limits, match):
    import re

    result = _run(instance, tmp_path, data, **limits)
    stage, message = first_step_failure(result.all_events)
    assert not result.success and stage == "dataset_profile"
    assert re.search(match, message) and "sales.csv" in message and "raise limits." in message


def test_max_charts_caps_the_plan_with_reasons(instance, tmp_path, data):
    result = _run(instance, tmp_path, data, max_charts=2, question="Give an overview of this dataset.")
    manifest = json.loads(Path(result.output_for_node("analysis_report").manifest).read_text())
    assert len(manifest["plan"]["validated"]) == 2
    assert any("limit of 2 steps" in d["reason"] for d in manifest["dropped"])


def test_huge_question_is_shortened_with_a_note(instance, tmp_path, data):
    result = _run(instance, tmp_path, data, question="revenue by region " + "very " * 5000, max_question_chars=500)
    assert result.success
    manifest = json.loads(Path(result.output_for_node("analysis_report").manifest).read_text())
    assert len(manifest["question"]) <= 500
    assert any("shortened" in n for n in manifest["profile"]["notes"])


def test_atomic_write_never_leaves_a_half_written_file(tmp_path):
    target = atomic_write_text(tmp_path / "report.html", "complete old report")

    def crash_halfway(tmp: str) -> None:
        with open(tmp, "w") as fh:
            fh.write("half a rep")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, crash_halfway)
    assert target.read_text() == "complete old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temp file left behind
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask  # readable like any file, not 0600
