"""One way for tests to run the real Dagster assets on a partition, with resources in a temp folder."""

from __future__ import annotations

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
