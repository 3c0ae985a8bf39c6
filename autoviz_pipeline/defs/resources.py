"""Resources: folders and limits (``PipelineSettings``) and the LLM backend switch (``LLMResource``)."""


import dagster as dg
from pydantic import Field

from ..settings import load_config


def _folder(name: str) -> str:
    return str(load_config().path(name))


class PipelineSettings(dg.ConfigurableResource):
    """Folders and limits; defaults come from config/autoviz.yaml, each overridable per run."""

    inbox_dir: str = Field(default=_folder("inbox"), description="watched by the sensor")
    outputs_dir: str = Field(default=_folder("outputs"), description="reports go here")
    settle_seconds: float = Field(
        default=load_config().limits.settle_seconds,
        description="a file must be unchanged this long before the sensor picks it up",
    )
    max_charts: int = Field(default=load_config().limits.max_charts)
    default_question: str = Field(default=load_config().default_question)


class LLMResource(dg.ConfigurableResource):
    """Which backend proposes intents and plan edits. ``offline`` (the default) needs no model."""

    # str, not Literal: dg.EnvVar on a Literal field fails at load
    backend: str = Field(default="offline", description="offline (more backends: see issue #4)")

    def validate_backend(self) -> str:
        if self.backend != "offline":
            raise dg.Failure(
                description=f"LLM backend {self.backend!r} is not available in this version; use 'offline'."
            )
        return self.backend
