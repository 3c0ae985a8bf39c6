"""Any executor gives the same result: nothing passes between the stages in memory.

The job from ``definitions.py`` runs on one small file and one question on a real (temporary, persistent)
instance with the in-process executor, the multiprocess executor (a process per stage) and dask (a local
cluster of worker processes); the three ``manifest.json`` files must be the same. Then the CSV is removed and
the last two stages run again in a new run: they read the parsed table from the columnar cache (the hand-off),
not the CSV.
"""

import json
import shutil

import dagster as dg
import pytest
from dagster._core.definitions.reconstruct import ReconstructableRepository

from autoviz_pipeline.defs.assets import add_partition
from tests.conftest import EXAMPLES, ROOT

distributed = pytest.importorskip("distributed")

CSV = "december_revenue.csv"
QUESTION = "revenue totals by region and product type"
VARYING = {
    "timings": "seconds each stage took: wall-clock time, different on every run",
    "created_at": "when the manifest was written",
}
"""The manifest keys left out of the comparison, and why. Everything else (the profile, the intent, the plans,
the repairs, every chart's spec, finding and file names, the tables' rows, the LLM calls) must be equal. The
run id is not in the manifest: each run's folder is given by ``out_dir``, and the manifest's paths are
relative to it."""
EXECUTORS = {
    "in_process": {"in_process": {}},
    # a new process per stage, forked from a server that imported the pipeline once (spawn: ~4-8 s per stage)
    "multiprocess": {"multiprocess": {"max_concurrent": 2, "start_method": {"forkserver": {
        "preload_modules": ["autoviz_pipeline.definitions"]}}}},
    "dask": {"dask": {"cluster": {"local": {"n_workers": 1, "threads_per_worker": 1, "processes": True,
                                           "dashboard_address": None, "host": "127.0.0.1"}}}},
}


def _run(instance, tmp_path, csv, executor: str, out: str, selection=None) -> dict:
    repo = ReconstructableRepository.for_file(str(ROOT / "definitions.py"), "defs", working_directory=str(ROOT))
    config = {
        "ops": {"dataset_profile": {"config": {"dataset_path": str(csv), "question": QUESTION,
                                               "out_dir": str(tmp_path / out)}}},
        "resources": {"json_io_manager": {"config": {"base_dir": str(tmp_path / "storage")}}},
        "execution": {"config": EXECUTORS[executor]},
    }
    with dg.execute_job(repo.get_reconstructable_job("autoviz_job"), instance=instance, run_config=config,
                        tags={"dagster/partition": CSV}, asset_selection=selection) as result:
        assert result.success, [e.message for e in result.all_events if e.is_failure]
    manifest = json.loads((tmp_path / out / "manifest.json").read_text())
    assert manifest["charts"] and all((tmp_path / out / c["png"]).is_file() for c in manifest["charts"])
    return {k: v for k, v in manifest.items() if k not in VARYING}


def test_in_process_multiprocess_and_dask_give_the_same_manifest(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOVIZ_CACHE_DIR", str(tmp_path / "cache"))  # child processes inherit it
    csv = tmp_path / "data" / CSV
    csv.parent.mkdir()
    shutil.copyfile(EXAMPLES / CSV, csv)
    (tmp_path / "home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "home")) as instance:
        add_partition(instance, CSV)
        manifests = {name: _run(instance, tmp_path, csv, name, name) for name in EXECUTORS}
        assert manifests["in_process"]["intent"]["label"] == "comparative_analysis"
        assert manifests["multiprocess"] == manifests["in_process"]
        assert manifests["dask"] == manifests["in_process"]

        # the execute and report stages of a new run, with the CSV gone: the parsed table comes from the cache
        csv.unlink()
        again = _run(instance, tmp_path, csv, "in_process", "dask",
                     selection=[dg.AssetKey("step_results"), dg.AssetKey("analysis_report")])
    assert again == manifests["in_process"]


def test_a_real_run_reads_and_parses_a_small_file_once(tmp_path, monkeypatch):
    """Every stage of one in-process run, counted: the CSV is opened once (sniff, hash, record scan and the
    pandas parse share those bytes) and parsed once; the execute stage reads the parsed table from the cache."""
    import builtins

    from autoviz_pipeline import dataio
    from autoviz_pipeline.defs.resources import PipelineSettings
    from tests.dagster_support import question_config, run_partition

    monkeypatch.setenv("AUTOVIZ_CACHE_DIR", str(tmp_path / "cache"))
    csv = tmp_path / CSV
    shutil.copyfile(EXAMPLES / CSV, csv)
    parses, real_parse = [], dataio._parse_table
    monkeypatch.setattr(dataio, "_parse_table", lambda *a, **k: parses.append(a[0]) or real_parse(*a, **k))
    opens, real_open = [], builtins.open
    monkeypatch.setattr(builtins, "open", lambda f, *a, **k: opens.append(str(f)) or real_open(f, *a, **k))
    with dg.instance_for_test() as instance:
        result = run_partition(instance, CSV, storage=tmp_path / "storage", run_config=question_config(csv, QUESTION),
                               settings=PipelineSettings(inbox_dir=str(tmp_path / "in"), outputs_dir=str(tmp_path)))
    monkeypatch.undo()
    assert result.success and len(result.output_for_node("step_results").results) >= 2
    assert parses == [csv] and opens.count(str(csv)) == 1
