"""Resources: folders and limits (``PipelineSettings``) and the LLM backend switch (``LLMResource``)."""


import dagster as dg
from pydantic import Field

from ..llm import Backend, LLMConfigError, LLMOverrides, ModelSettings, env_overrides, load_llm_settings, make_backend
from ..llm.config import Stage
from ..settings import Limits, load_config


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
    max_file_mb: float = Field(default=load_config().limits.max_file_mb, description="larger CSVs fail at once")
    max_columns: int = Field(default=load_config().limits.max_columns, description="wider CSVs fail at once")
    max_line_kb: float = Field(default=load_config().limits.max_line_kb,
                               description="CSVs with a longer line (or quoted cell) fail at once")
    stage_timeout_s: float = Field(default=load_config().limits.stage_timeout_s,
                                   description="a stage running longer is stopped; 0 turns it off")
    max_question_chars: int = Field(default=load_config().limits.max_question_chars,
                                    description="longer questions are shortened, with a note")
    max_runs_per_tick: int = Field(default=load_config().limits.max_runs_per_tick,
                                   description="most new runs one inbox-sensor tick requests; the rest wait")
    default_question: str = Field(default=load_config().default_question)

    def limits(self) -> Limits:
        """These settings as the core's ``Limits`` (what ``profile_dataset`` and the stages check)."""
        return Limits(settle_seconds=self.settle_seconds, max_charts=self.max_charts, max_file_mb=self.max_file_mb,
                      max_columns=self.max_columns, max_line_kb=self.max_line_kb,
                      stage_timeout_s=self.stage_timeout_s,
                      max_question_chars=self.max_question_chars, max_runs_per_tick=self.max_runs_per_tick)


class LLMResource(dg.ConfigurableResource):
    """Which model proposes intents and plan edits; settings from config/autoviz.yaml (``default_model``,
    ``models``, ``stages``). Each field, when set, overrides the YAML and the ``AUTOVIZ_LLM_*`` variables
    for this run (``autoviz run --backend/--llm-url/--model`` sets them)."""

    # str, not Literal: dg.EnvVar on a Literal field fails at load
    backend: str | None = Field(default=None, description="offline | openai (alias vllm) | gpt4all; "
                                                           "default: the configured model's backend")
    url: str | None = Field(default=None, description="openai: base URL ending in /v1")
    model: str | None = Field(default=None, description="a model configured under `models:`, else the server's "
                                                        "model name (gpt4all: the .gguf path)")

    def overrides(self) -> LLMOverrides:
        return LLMOverrides(backend=self.backend, url=self.url, model=self.model).over(env_overrides())

    def model_for(self, stage: Stage) -> ModelSettings:
        """The model ``stage`` uses; a config mistake fails the run with what to change."""
        try:
            return load_llm_settings().model_for(stage, self.overrides())
        except LLMConfigError as exc:
            raise dg.Failure(description=f"LLM settings: {exc}") from None

    def build(self, stage: Stage) -> Backend:
        """The backend for ``stage``: what ``propose_intent``/``propose_plan_patch`` call."""
        return make_backend(self.model_for(stage))
