"""Settings are read when a run starts, not when the code is imported: the job as `dagster dev` loads it (the
Definitions' own resources, nothing overridden) sees an edit of config/autoviz.yaml and of AUTOVIZ_*_DIR made
after the import, in the next run."""

import json
import shutil
from pathlib import Path

import dagster as dg

from autoviz_pipeline.defs.assets import add_partition
from tests.conftest import DECEMBER, ROOT


def _run(instance: dg.DagsterInstance) -> dict:
    from autoviz_pipeline.definitions import defs

    job = defs.resolve_job_def("autoviz_job")
    result = job.execute_in_process(
        instance=instance, partition_key=DECEMBER.name,
        run_config={"ops": {"dataset_profile": {"config": {"dataset_path": str(DECEMBER)}}}})
    assert result.success
    return json.loads(Path(result.output_for_node("analysis_report").manifest).read_text())


def test_an_edit_after_import_counts_from_the_next_run(tmp_path, monkeypatch):
    import autoviz_pipeline.definitions  # noqa: F401 - imported (and its resources built) before any edit

    config = tmp_path / "config"
    shutil.copytree(ROOT / "config" / "templates", config / "templates")
    yaml_file = config / "autoviz.yaml"
    yaml_file.write_text("limits: {max_charts: 1}\ndefault_question: What is the distribution of revenue?\n")
    monkeypatch.setenv("AUTOVIZ_CONFIG_DIR", str(config))
    monkeypatch.setenv("AUTOVIZ_OUTPUTS_DIR", str(tmp_path / "first"))
    monkeypatch.setenv("AUTOVIZ_STORAGE_DIR", str(tmp_path / "storage"))
    for name in ("AUTOVIZ_LLM_BACKEND", "AUTOVIZ_LLM_URL", "AUTOVIZ_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    with dg.instance_for_test() as instance:
        add_partition(instance, DECEMBER.name)
        first = _run(instance)
        assert first["question"] == "What is the distribution of revenue?"
        assert len(first["charts"]) + len(first["tables"]) == 1  # max_charts: 1
        assert list((tmp_path / "first").rglob("manifest.json"))
        assert list((tmp_path / "storage" / "dataset_profile").rglob("*.json"))

        yaml_file.write_text("limits: {max_charts: 3}\ndefault_question: Compare revenue by region, please.\n")
        monkeypatch.setenv("AUTOVIZ_OUTPUTS_DIR", str(tmp_path / "second"))
        second = _run(instance)
    assert second["question"] == "Compare revenue by region, please."
    assert len(second["charts"]) + len(second["tables"]) == 3
    assert list((tmp_path / "second").rglob("manifest.json"))
