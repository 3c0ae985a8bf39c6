"""The `autoviz` command as a user runs it: a subprocess on real files."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import DECEMBER, ROOT


def _autoviz(*args, tmp_path, **kw):
    env = {**os.environ, "AUTOVIZ_STORAGE_DIR": str(tmp_path / "storage"),
           "AUTOVIZ_OUTPUTS_DIR": str(tmp_path / "outputs")}
    env.pop("DAGSTER_HOME", None)
    return subprocess.run([sys.executable, "-m", "autoviz_pipeline.cli", *args], capture_output=True, text=True,
                          env=env, cwd=kw.get("cwd", ROOT), timeout=300)


def test_run_writes_report_to_out(tmp_path):
    out = tmp_path / "report"
    p = _autoviz("run", str(DECEMBER), "revenue totals by region and product type", "--out", str(out),
                 tmp_path=tmp_path)
    assert p.returncode == 0, p.stderr
    assert f"report: {out / 'report.html'}" in p.stdout
    # progress, one line per stage message, on stderr
    assert "dataset_profile: 620 rows × 4 columns profiled" in p.stderr and "step_results: step 1/" in p.stderr
    for name in ("report.md", "report.html", "manifest.json"):
        assert (out / name).is_file()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["charts"][0]["spec"]["encoding"]["x"]["field"] == "region"
    assert list(out.glob("charts/*.png")) and list(out.glob("charts/*.svg"))
    assert (tmp_path / "storage" / "analysis_report").is_dir()


def test_chart_prints_the_same_first_chart(tmp_path):
    p = _autoviz("chart", str(DECEMBER), "revenue totals by region and product type", tmp_path=tmp_path)
    assert p.returncode == 0, p.stderr
    spec = json.loads(p.stdout)
    assert spec["encoding"]["y"] == {**spec["encoding"]["y"], "field": "revenue", "aggregate": "sum"}
    assert spec["encoding"]["color"]["field"] == "product_category"
    assert "values" not in spec.get("data", {})  # no rendering, no inline data


def test_bad_input_exits_nonzero_without_traceback(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    p = _autoviz("run", str(empty), "anything", tmp_path=tmp_path)
    assert p.returncode == 1 and "empty" in p.stderr and "Traceback" not in p.stderr
    missing = _autoviz("chart", str(tmp_path / "nope.csv"), "q", tmp_path=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
