"""The `autoviz` command as a user runs it: a subprocess on real files."""

import json
import os
import subprocess
import sys
from pathlib import Path

from autoviz_pipeline.api import primary_chart
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
    assert spec == primary_chart(DECEMBER, "revenue totals by region and product type")  # the run's, data inline
    assert len(spec["data"]["values"]) == 20  # 4 regions x 5 product types, as pandas counts them
    assert not (tmp_path / "outputs").exists()  # nothing drawn or written


def test_chart_without_a_chart_to_draw_says_why(tmp_path):
    notes = tmp_path / "notes.csv"
    notes.write_text("note\n" + "".join(f"free text number {i}\n" for i in range(1200)), encoding="utf-8")
    p = _autoviz("chart", str(notes), "what do the notes say?", tmp_path=tmp_path)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "notes.csv: the run draws no chart for this question (the plan holds summary_statistics" in p.stderr


def test_bad_input_exits_nonzero_without_traceback(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    p = _autoviz("run", str(empty), "anything", tmp_path=tmp_path)
    assert p.returncode == 1 and "empty" in p.stderr and "Traceback" not in p.stderr
    missing = _autoviz("chart", str(tmp_path / "nope.csv"), "q", tmp_path=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr


def test_out_is_checked_before_any_work_and_never_overwrites_foreign_files(tmp_path):
    """--out at a file is a usage error; at a folder holding a report.html and charts autoviz did not write, the
    run is refused and those files are untouched; a reused autoviz report folder is fine (tested above)."""
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep me")
    p = _autoviz("run", str(DECEMBER), "revenue by region", "--out", str(a_file), tmp_path=tmp_path)
    assert p.returncode == 2 and "is a file, not a folder" in p.stderr and "Traceback" not in p.stderr
    assert a_file.read_text() == "keep me" and not (tmp_path / "storage").exists()  # refused before profiling
    theirs = tmp_path / "theirs"
    (theirs / "charts").mkdir(parents=True)
    (theirs / "report.html").write_text("<p>someone else's report</p>")
    (theirs / "charts" / "01_answer.png").write_bytes(b"not ours")
    p = _autoviz("run", str(DECEMBER), "revenue by region", "--out", str(theirs), tmp_path=tmp_path)
    assert p.returncode == 2 and "autoviz did not write" in p.stderr
    assert (theirs / "report.html").read_text() == "<p>someone else's report</p>"
    assert (theirs / "charts" / "01_answer.png").read_bytes() == b"not ours"


def test_two_runs_into_one_out_folder_are_not_mixed(tmp_path):
    """Two real processes into the same --out at once: one writes its report, the other is refused with a clear
    message (never one report with the other's charts)."""
    out = tmp_path / "shared"
    questions = ("revenue by region", "units by product type")
    results = _at_once(tmp_path, [(q, out) for q in questions])
    codes = sorted(code for code, _, _ in results)
    assert codes in ([0, 2], [0, 0]), results  # refused, or (if one ended before the other began) serialized
    if codes == [0, 2]:
        refused = next(err for code, _, err in results if code == 2)
        assert "another autoviz run is writing" in refused and "Traceback" not in refused
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["question"] in questions
    # every chart file in the folder belongs to the report the manifest describes: no stale charts of the other run
    listed = {c["png"] for c in manifest["charts"]}
    assert {f"charts/{f.name}" for f in (out / "charts").glob("*.png")} == listed, listed
    assert not (out / ".autoviz-run.lock").exists()


def _at_once(tmp_path, runs):
    """Starts one real `autoviz run` process per (question, out folder) at the same time, sharing the storage
    folder; returns (exit code, stdout, stderr) of each."""
    env = {**os.environ, "AUTOVIZ_STORAGE_DIR": str(tmp_path / "storage"), "AUTOVIZ_OUTPUTS_DIR": str(tmp_path / "o")}
    env.pop("DAGSTER_HOME", None)
    procs = [subprocess.Popen([sys.executable, "-m", "autoviz_pipeline.cli", "run", str(DECEMBER), q, "--out", str(out)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
             for q, out in runs]
    return [(p.wait(timeout=300), *p.communicate()) for p in procs]


def test_concurrent_runs_on_one_file_each_get_their_own_report(tmp_path):
    """Three real processes on the same CSV at once, each with its own question and --out: each prints its own
    report, whose manifest holds its own question and whose answer chart answers it (stage outputs are stored per
    run, so no run reads another's upstream output)."""
    asked = {"a": ("revenue by region", "region"), "b": ("revenue by product category", "product_category"),
             "c": ("number of orders per region and product category", "region")}
    results = _at_once(tmp_path, [(q, tmp_path / name) for name, (q, _) in asked.items()])
    for (name, (question, x_field)), (code, stdout, stderr) in zip(asked.items(), results):
        out = tmp_path / name
        assert code == 0, stderr
        assert f"report: {out / 'report.html'}" in stdout, stdout
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["question"] == question
        assert manifest["charts"][0]["spec"]["encoding"]["x"]["field"] == x_field
    assert len(list((tmp_path / "storage" / "analysis_report").glob("*/*.json"))) == 3


_DAGSTER_NOISE = ("Telemetry", "Welcome to Dagster", "dagster.yaml", "usage statistics")


def _dagster_env(tmp_path, home):
    env = {**os.environ, "DAGSTER_HOME": str(home), "AUTOVIZ_INBOX_DIR": str(tmp_path / "inbox"),
           "AUTOVIZ_STORAGE_DIR": str(tmp_path / "storage"), "AUTOVIZ_OUTPUTS_DIR": str(tmp_path / "outputs")}
    env.pop("PYTHONWARNINGS", None)
    return env


def test_run_prints_only_its_own_lines_with_a_bare_dagster_home(tmp_path):
    """A DAGSTER_HOME with no dagster.yaml (what `mkdir` gives): no telemetry banner, no 'Welcome to Dagster', no
    warning about the missing file, from `run` or `register`; the run is still recorded in that instance."""
    home = tmp_path / "home"
    home.mkdir()
    p = subprocess.run([sys.executable, "-m", "autoviz_pipeline.cli", "run", str(DECEMBER), "revenue by region"],
                       capture_output=True, text=True, env=_dagster_env(tmp_path, home), cwd=ROOT, timeout=300)
    assert p.returncode == 0, p.stderr
    noise = [line for line in (p.stdout + p.stderr).splitlines() if any(n in line for n in _DAGSTER_NOISE)]
    assert not noise
    assert all(line.startswith("  ") for line in p.stderr.splitlines())  # only the progress lines
    assert (home / "history").is_dir() and not (home / "dagster.yaml").exists()
    reg = subprocess.run([sys.executable, "-m", "autoviz_pipeline.cli", "register", str(DECEMBER)],
                         capture_output=True, text=True, env=_dagster_env(tmp_path, home), cwd=ROOT, timeout=300)
    assert reg.returncode == 0 and not reg.stderr, reg.stderr


def test_register_then_asset_materialize_as_the_readme_says(tmp_path):
    """`autoviz register FILE` then `dagster asset materialize --select '*' --partition NAME` with no config: the
    run finds the file where it is (never written), asks the sidecar's question and writes a report."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    data = tmp_path / "mine"
    data.mkdir()
    csv = data / "sales.csv"
    csv.write_bytes(DECEMBER.read_bytes())
    (data / "sales.question.txt").write_text("revenue by region")
    env = _dagster_env(tmp_path, home)
    reg = subprocess.run([sys.executable, "-m", "autoviz_pipeline.cli", "register", str(csv)], capture_output=True,
                         text=True, env=env, cwd=ROOT, timeout=300)
    assert reg.returncode == 0 and "registered" in reg.stdout and not reg.stderr, reg.stderr
    dagster = Path(sys.executable).with_name("dagster")
    p = subprocess.run([str(dagster), "asset", "materialize", "-f", "definitions.py", "--select", "*",
                        "--partition", "sales.csv"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    assert not [line for line in p.stderr.splitlines() if any(n in line for n in _DAGSTER_NOISE)]
    manifests = list((tmp_path / "outputs" / "sales").glob("*/manifest.json"))
    assert len(manifests) == 1 and json.loads(manifests[0].read_text())["question"] == "revenue by region"
    assert csv.read_bytes() == DECEMBER.read_bytes() and sorted(p.name for p in data.iterdir()) == [
        "sales.csv", "sales.question.txt"]
