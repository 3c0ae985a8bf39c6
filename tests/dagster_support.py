"""One way for tests to run the real Dagster assets on a partition, with resources in a temp folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import dagster as dg

from autoviz_pipeline.defs.assets import ASSETS, add_partition
from autoviz_pipeline.defs.io_managers import PydanticJsonIOManager
from autoviz_pipeline.defs.resources import LLMResource, PipelineSettings


def question_config(csv: Path | str, question: str | None = None) -> dict[str, Any]:
    """Run config for the first stage: the CSV, and the question when given (else sidecar/default)."""
    config: dict[str, Any] = {"dataset_path": str(csv)}
    if question is not None:
        config["question"] = question
    return {"ops": {"dataset_profile": {"config": config}}}


def run_partition(instance: dg.DagsterInstance, partition: str, *, settings: PipelineSettings, storage: Path,
                  run_config: dict[str, Any], llm: LLMResource | None = None, tags: dict[str, str] | None = None,
                  raise_on_error: bool = True) -> dg.ExecuteInProcessResult:
    """Register the partition and materialize the six stage assets, as the sensor-launched run would."""
    add_partition(instance, partition)
    return dg.materialize(
        ASSETS, partition_key=partition, instance=instance, raise_on_error=raise_on_error, tags=tags,
        resources={"settings": settings, "llm": llm or LLMResource(backend="offline"),
                   "json_io_manager": PydanticJsonIOManager(base_dir=str(storage))},
        run_config=run_config,
    )


def run_with_llm_server(tmp_path: Path, url: str, csv: Path, question: str,
                        model: str = "qwen") -> tuple[dg.ExecuteInProcessResult, dict[str, Any]]:
    """A successful run of ``csv`` whose LLM stages ask the OpenAI-compatible server at ``url``: the result and
    the manifest it wrote."""
    with dg.instance_for_test() as instance:
        result = run_partition(
            instance, csv.name, llm=LLMResource(backend="vllm", url=url, model=model),
            settings=PipelineSettings(inbox_dir=str(tmp_path / "inbox"), outputs_dir=str(tmp_path / "out")),
            storage=tmp_path / "storage", run_config=question_config(csv, question))
    assert result.success
    return result, json.loads(Path(result.output_for_node("analysis_report").manifest).read_text())
