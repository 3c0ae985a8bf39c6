"""Resources: folders and limits (``PipelineSettings``) and the LLM backend switch (``LLMResource``)."""


import dagster as dg
from pydantic import Field

from ..llm import Backend, LLMConfigError, LLMOverrides, ModelSettings, env_overrides, load_llm_settings, make_backend
from ..llm.config import Stage
from ..settings import Limits, load_config


_FROM_CONFIG = " (default: config/autoviz.yaml, read when the run or tick starts)"
_FOLDERS = {"inbox_dir": "inbox", "outputs_dir": "outputs"}


class PipelineSettings(dg.ConfigurableResource):
    """Folders and limits, each overridable per run. A field left unset (None) takes its value from
    config/autoviz.yaml and the ``AUTOVIZ_*_DIR`` variables when a run, a sensor tick or a schedule tick starts,
    not when the code is imported: an edit counts from the next run on, with no restart of ``dagster dev``.
    Code running in Dagster receives the resolved settings (every field set); see :meth:`resolved`."""

    inbox_dir: str | None = Field(default=None, description="watched by the sensor" + _FROM_CONFIG)
    outputs_dir: str | None = Field(default=None, description="reports go here" + _FROM_CONFIG)
    settle_seconds: float | None = Field(
        default=None, description="a file must be unchanged this long before the sensor picks it up" + _FROM_CONFIG)
    max_charts: int | None = Field(default=None, description="most steps in one report" + _FROM_CONFIG)
    max_file_mb: float | None = Field(default=None, description="larger CSVs fail at once" + _FROM_CONFIG)
    max_columns: int | None = Field(default=None, description="wider CSVs fail at once" + _FROM_CONFIG)
    max_line_kb: float | None = Field(default=None, description="CSVs with a longer line (or quoted cell) fail at "
                                                                "once" + _FROM_CONFIG)
    stage_timeout_s: float | None = Field(default=None, description="a stage running longer is stopped; 0 turns it "
                                                                    "off" + _FROM_CONFIG)
    max_question_chars: int | None = Field(default=None, description="longer questions are shortened, with a note"
                                                                     + _FROM_CONFIG)
    max_runs_per_tick: int | None = Field(default=None, description="most new runs one inbox-sensor tick requests; "
                                                                    "the rest wait" + _FROM_CONFIG)
    default_question: str | None = Field(default=None, description="asked when a run has no question"
                                                                   + _FROM_CONFIG)

    def create_resource(self, context: dg.InitResourceContext) -> "PipelineSettings":
        """Dagster calls this when a run or a tick starts: that is when the configuration is read."""
        return self.resolved()

    def resolved(self) -> "PipelineSettings":
        """These settings with every unset field filled from the configuration as it is now."""
        config = load_config()
        defaults: dict[str, object] = {
            **{field: str(config.path(folder)) for field, folder in _FOLDERS.items()},
            **config.limits.model_dump(),
            "default_question": config.default_question,
        }
        values = {name: getattr(self, name) for name in type(self).model_fields}
        return PipelineSettings(**{name: defaults[name] if value is None else value for name, value in values.items()})

    def limits(self) -> Limits:
        """These settings as the core's ``Limits`` (what ``profile_dataset`` and the stages check); a limit that
        is not a field here (columnar_min_mb) and unset fields come from the configuration as it is now."""
        settings = self.resolved()
        mine = {name: getattr(settings, name) for name in Limits.model_fields if name in type(self).model_fields}
        return Limits(**{**load_config().limits.model_dump(), **mine})


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
