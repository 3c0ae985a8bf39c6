"""The real Dagster job, materialized in a temporary instance on the bundled examples."""

import base64
import json
from pathlib import Path

import dagster as dg
import pytest

from autoviz_pipeline.defs.assets import ASSETS
from autoviz_pipeline.defs.io_managers import PydanticJsonIOManager
from autoviz_pipeline.defs.resources import LLMResource, PipelineSettings
from tests.conftest import EXAMPLES
from tests.dagster_support import question_config, run_partition
from tests.test_report_interactive import only_our_scripts

REQUIRED = {"question", "dataset", "intent", "charts", "repairs", "dropped", "llm_calls", "timings"}


def _materialize(instance, tmp_path, csv: Path, question: str, key: str | None = None):
    return run_partition(
        instance, key or csv.name, llm=LLMResource(), storage=tmp_path / "storage",
        settings=PipelineSettings(inbox_dir=str(tmp_path / "inbox"), outputs_dir=str(tmp_path / "out")),
        run_config=question_config(csv, question))


def _report(instance, tmp_path, csv: Path, question: str):
    """A successful run's report and its manifest, read back from disk."""
    result = _materialize(instance, tmp_path, csv, question)
    assert result.success
    report = result.output_for_node("analysis_report")
    return report, json.loads(Path(report.manifest).read_text())


@pytest.fixture(scope="module")
def instance():
    with dg.instance_for_test() as inst:
        yield inst


def test_headline_question_end_to_end(instance, tmp_path):
    result = _materialize(instance, tmp_path, EXAMPLES / "december_revenue.csv",
                          "revenue totals by region and product type")
    assert result.success
    report = result.output_for_node("analysis_report")
    out = Path(report.out_dir)
    assert out.parent.parent == tmp_path / "out"  # <outputs>/<dataset>/<run>
    manifest = json.loads(Path(report.manifest).read_text())
    assert REQUIRED <= set(manifest)
    assert manifest["dataset"]["rows"] == 620 and manifest["dataset"]["columns"] == [
        "date", "revenue", "region", "product_category"]
    assert manifest["intent"]["label"] == "comparative_analysis" and manifest["intent"]["source"] == "offline"
    first = manifest["charts"][0]
    enc = first["spec"]["encoding"]
    assert first["spec"]["mark"] in ("bar", {"type": "bar"}) or first["spec"]["mark"].get("type") == "bar"
    assert enc["x"]["field"] == "region" and enc["color"]["field"] == "product_category"
    assert enc["y"]["field"] == "revenue" and enc["y"]["aggregate"] == "sum"
    for chart in manifest["charts"]:
        assert (out / chart["png"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert b"<svg" in (out / chart["svg"]).read_bytes()[:500]
    html = Path(report.html).read_text()
    assert "data:image/png;base64," in html and "<script" not in only_our_scripts(html)
    # intermediate outputs are readable JSON per asset, partition and run
    stored = tmp_path / "storage" / "question_intent" / "december_revenue.csv" / f"{result.run_id}.json"
    assert json.loads(stored.read_text())["intent"] == "comparative_analysis"
    # the UI shows the report with every chart inlined where the report has it, and no link it cannot follow
    shown = result.asset_materializations_for_node("analysis_report")[0].metadata["report"].value
    pngs = [base64.b64encode((out / chart["png"]).read_bytes()).decode("ascii") for chart in manifest["charts"]]
    assert len(pngs) == 3 and all(f"(data:image/png;base64,{png})" in shown for png in pngs)
    assert shown.index(pngs[0]) < shown.index("## Totals by group") < shown.index(pngs[1])
    assert "](charts/" not in shown and "](tables/" not in shown and "Full table: tables/" in shown
    assert set(manifest["timings"]) >= {"dataset_profile", "question_intent", "step_results"}


@pytest.mark.parametrize("csv,question,intent", [
    ("sensor_readings.csv", "are there unusual temperature readings?", "anomaly_detection"),
    ("daily_visitors.csv", "monthly visitors by channel", "time_series"),
    ("european_sales_cp1252.csv", "Umsatz by Stadt", "comparative_analysis"),
])
def test_other_examples(instance, tmp_path, csv, question, intent):
    result = _materialize(instance, tmp_path, EXAMPLES / csv, question)
    assert result.success
    manifest = json.loads(Path(result.output_for_node("analysis_report").manifest).read_text())
    assert manifest["intent"]["label"] == intent and manifest["charts"]


def test_a_word_that_matched_no_column_is_said_in_the_report_and_the_manifest(instance, tmp_path):
    # the sensor table has temperature, vibration, pressure and power: nothing that leaks
    report, manifest = _report(instance, tmp_path, EXAMPLES / "sensor_readings.csv", "which machine leaks the most?")
    assert manifest["understanding"]["unmatched"] == ["leaks"]
    enc = manifest["charts"][0]["spec"]["encoding"]
    # rows counted per machine (the spec carries the counts as a "count" field), no other quantity swapped in
    assert enc["x"]["field"] == "machine_id" and (enc["y"]["field"], enc["y"]["title"]) == ("count", "Count of rows")
    assert all(c["spec"]["encoding"].get("y", {}).get("field") in (None, "count") for c in manifest["charts"])
    note = "'leaks' matched no column; showing the count of rows"
    assert note in Path(report.markdown).read_text() and note.replace("'", "&#x27;") in Path(report.html).read_text()


def test_a_grouping_that_matched_no_column_is_said_not_swapped_silently(instance, tmp_path):
    # the sensor table has no shift: the chart groups by a column from the profile, and says so
    report, manifest = _report(instance, tmp_path, EXAMPLES / "sensor_readings.csv", "average temperature by shift")
    assert manifest["understanding"]["unmatched"] == ["shift"]
    x = manifest["charts"][0]["spec"]["encoding"]["x"]["field"]
    note = f"'shift' matched no column; grouped by '{x}' instead"
    assert note in Path(report.markdown).read_text()


def test_bad_file_fails_the_run_with_a_clear_message(instance, tmp_path):
    bad = tmp_path / "empty.csv"
    bad.write_bytes(b"")
    with pytest.raises(dg.Failure, match="empty"):
        _materialize(instance, tmp_path, bad, "anything")
    assert bad.read_bytes() == b""  # input untouched


def test_a_partition_key_that_climbs_out_is_refused_and_writes_nothing_outside(instance, tmp_path):
    """The UI or API can add any dynamic partition key; "../../../escaped_key" fails the run with a clear
    message, and no stage writes above the storage folder."""
    root = tmp_path / "deep" / "er"
    root.mkdir(parents=True)
    before = set(tmp_path.rglob("*"))
    with pytest.raises(dg.Failure, match="not a dataset key"):
        _materialize(instance, root, EXAMPLES / "december_revenue.csv", "revenue by region",
                     key="../../../escaped_key")
    written = {p for p in set(tmp_path.rglob("*")) - before if p.is_file()}
    assert not written, written


def test_each_run_keeps_its_own_stage_outputs_and_a_partial_run_reads_the_latest(instance, tmp_path):
    """Stage outputs are stored per run: a second run on the same file does not replace what the first run's
    stages read or returned. Materializing only the report (as the UI can) reads the latest upstream outputs of
    that partition."""
    csv = EXAMPLES / "december_revenue.csv"
    first = _materialize(instance, tmp_path, csv, "revenue by region")
    second = _materialize(instance, tmp_path, csv, "revenue by product category")
    for run in (first, second):
        stored = tmp_path / "storage" / "question_intent" / csv.name / f"{run.run_id}.json"
        assert json.loads(stored.read_text())["question"] == run.output_for_node("question_intent").question

    report_only = dg.materialize(
        [*ASSETS], selection=["analysis_report"], partition_key=csv.name, instance=instance,
        resources={"settings": PipelineSettings(inbox_dir=str(tmp_path / "inbox"), outputs_dir=str(tmp_path / "out")),
                   "llm": LLMResource(), "json_io_manager": PydanticJsonIOManager(base_dir=str(tmp_path / "storage"))})
    again = json.loads(Path(report_only.output_for_node("analysis_report").manifest).read_text())
    assert again["question"] == "revenue by product category"
    assert again["charts"][0]["spec"]["encoding"]["x"]["field"] == "product_category"


def test_the_ui_way_a_registered_file_with_no_config(instance, tmp_path):
    """What the UI's Materialize launches: the implicit asset job, one partition, no run config. The file was
    registered where it lives (not in the inbox): the run reads it there, asks its sidecar's question, writes a
    report, and leaves the file and its folder as they were."""
    from autoviz_pipeline.definitions import defs
    from autoviz_pipeline.inbox import register_file

    home = tmp_path / "elsewhere"
    home.mkdir()
    csv = home / "december_revenue.csv"
    csv.write_bytes((EXAMPLES / "december_revenue.csv").read_bytes())
    (home / "december_revenue.question.txt").write_text("revenue by region")
    before = {p.name: p.read_bytes() for p in home.iterdir()}
    inbox = tmp_path / "inbox"
    key, _ = register_file(inbox, csv)
    instance.add_dynamic_partitions("csv_files", [key])
    settings = PipelineSettings(inbox_dir=str(inbox), outputs_dir=str(tmp_path / "out"))
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process(
        instance=instance, partition_key=key,
        resources={"settings": settings, "json_io_manager": PydanticJsonIOManager(base_dir=str(tmp_path / "s"))})
    assert result.success and result.dagster_run.job_name == "__ASSET_JOB"
    profiled = result.output_for_node("dataset_profile")
    assert profiled.request.dataset_path == str(csv) and profiled.request.question == "revenue by region"
    report = result.output_for_node("analysis_report")
    assert Path(report.html).is_file() and Path(report.out_dir).parent.parent == tmp_path / "out"
    assert {p.name: p.read_bytes() for p in home.iterdir()} == before
    # without the registry the same launch fails and says how to give the file
    (inbox / ".registered.json").unlink()
    failed = defs.resolve_implicit_global_asset_job_def().execute_in_process(
        instance=instance, partition_key=key, raise_on_error=False,
        resources={"settings": settings, "json_io_manager": PydanticJsonIOManager(base_dir=str(tmp_path / "s"))})
    assert not failed.success
