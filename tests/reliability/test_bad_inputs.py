"""The bad-input matrix through the real pipeline: every case ends in a report with notes of what was
assumed, or in a clear error naming the file and what to do — never a crash, never a changed input.

Every case runs through the Dagster assets in-process; a few also run through `autoviz run` as a
subprocess (slow: ~4 s each), which must exit non-zero without a traceback and leave a failure record.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import dagster as dg
import pytest

from tests.conftest import ROOT
from tests.reliability.cases import CASES
from tests.reliability.runner import run_cli, run_dagster
from tests.reliability.test_hostile import assert_inert_html

BY_NAME = {c.name: c for c in CASES}


@pytest.fixture(scope="module")
def instance():
    with dg.instance_for_test() as inst:
        yield inst


def test_matrix_is_broad():
    assert len(CASES) >= 30 and len(BY_NAME) == len(CASES)
    assert {c.expect for c in CASES} == {"report", "error"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_input_through_the_dagster_job(case, instance, tmp_path):
    outcome = run_dagster(case, tmp_path, instance)
    ok, why = outcome.expected(case)
    assert ok, why
    if outcome.status == "report":
        assert_inert_html(outcome.report_html.read_text(encoding="utf-8")) if "<script>" in case.question else None
        assert outcome.manifest["dataset"]["sha256"] == outcome.manifest["profile"]["sha256"]
        assert outcome.report_html.stat().st_size < 3_000_000  # long cells and wide tables stay readable
    else:
        assert case.file in outcome.message


@pytest.mark.parametrize("name", ["excel_xlsx", "mixed_utf8_cp1252"])
def test_bad_input_through_the_cli(name, tmp_path):
    case = BY_NAME[name]
    outcome = run_cli(case, tmp_path)
    ok, why = outcome.expected(case)
    assert ok, why
    assert "Traceback" not in outcome.stderr and "Stack Trace" not in outcome.stderr
    if outcome.status == "error":
        records = list((tmp_path / "out" / "_failures").glob("*.json"))
        assert len(records) == 1, "the CLI leaves a failure record too"
        record = json.loads(records[0].read_text())
        assert record["source"] == "cli" and record["stage"] == "dataset_profile"
        assert case.file in record["error"] and "retry" in record
        assert str(records[0]) in outcome.stderr


def test_cli_debug_flag_shows_the_traceback_anywhere_on_the_line(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    env = {**os.environ, "AUTOVIZ_STORAGE_DIR": str(tmp_path / "s"), "AUTOVIZ_OUTPUTS_DIR": str(tmp_path / "o")}
    env.pop("DAGSTER_HOME", None)
    p = subprocess.run([sys.executable, "-m", "autoviz_pipeline.cli", "run", str(empty), "q", "--debug"],
                       capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert p.returncode == 1 and "Stack Trace" in p.stderr and "empty" in p.stderr
