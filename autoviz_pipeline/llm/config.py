"""Which model each stage asks, read from ``config/autoviz.yaml`` and overridden per run.

    default_model: offline            # the model every stage uses unless `stages` names another
    models:
      offline: {backend: offline}
      qwen-1.5b: {backend: openai, url: http://127.0.0.1:8000/v1, model_name: Qwen/Qwen2.5-1.5B-Instruct}
    stages: {intent: qwen-0.5b, adapt: qwen-3b}   # optional, per stage

Precedence, weakest first: the YAML, then the environment (``AUTOVIZ_LLM_BACKEND``, ``AUTOVIZ_LLM_URL``,
``AUTOVIZ_LLM_MODEL``), then run config / ``autoviz run --backend/--llm-url/--model``. An override applies
to every stage: ``--model`` names a configured model, or else the server's model name; ``--backend``
switches the backend of the model in use; ``--llm-url`` points it at another server.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

logger = logging.getLogger(__name__)

Backend = Literal["offline", "openai", "gpt4all"]
BACKEND_ALIASES: Mapping[str, Backend] = {"offline": "offline", "openai": "openai", "vllm": "openai",
                                          "gpt4all": "gpt4all"}
Stage = Literal["intent", "adapt"]
STAGES: tuple[Stage, ...] = ("intent", "adapt")
RequestFormat = Literal["json_schema", "structured_outputs", "json_object"]
ENV_BACKEND, ENV_URL, ENV_MODEL = "AUTOVIZ_LLM_BACKEND", "AUTOVIZ_LLM_URL", "AUTOVIZ_LLM_MODEL"
DEFAULT_URL = "http://127.0.0.1:8000/v1"
# ChatML: Qwen 2.5 and most instruct GGUFs; gpt4all does not read the template stored in the GGUF
CHATML = "<|im_start|>{role}\n{content}<|im_end|>\n"


class LLMConfigError(ValueError):
    """The LLM settings are inconsistent (unknown backend or model name); the message says what to change."""


def normalize_backend(name: str) -> Backend:
    key = (name or "").strip().lower()
    if key not in BACKEND_ALIASES:
        raise LLMConfigError(f"unknown LLM backend {name!r}; use one of: {', '.join(BACKEND_ALIASES)}")
    return BACKEND_ALIASES[key]


def normalize_url(url: str) -> str:
    """A base URL for the openai client: scheme and host required; a bare host gets ``/v1`` appended."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LLMConfigError(f"LLM URL {url!r} is not an http(s) URL; give the server's base URL, e.g. {DEFAULT_URL}")
    return url if parts.path else url + "/v1"


class ModelSettings(BaseModel):
    """One named model. Fields a backend does not use are ignored by it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field("offline", description="the key under `models:`")
    backend: Backend = "offline"
    url: str = Field(DEFAULT_URL, description="openai: base URL ending in /v1")
    model_name: str = Field("", description="openai: the served model name; empty = the only one the server serves")
    api_key_env: str | None = Field(None, description="openai: environment variable holding the API key (never the key)")
    temperature: float = Field(0.0, ge=0, le=2)
    max_tokens: int = Field(384, ge=16, le=8192, description="completion budget per call")
    use_grammar: bool = Field(True, description="openai: send the per-dataset JSON schema for constrained decoding")
    request_format: RequestFormat = Field(
        "json_schema",
        description="json_schema: OpenAI/vLLM/llama-server response_format; structured_outputs: vLLM >= 0.10.2 "
                    "extra_body; json_object: llama-cpp-python's response_format with a schema")
    timeout: float = Field(30.0, gt=0, le=600, description="seconds per request (gpt4all: per generation)")
    seed: int | None = Field(None, description="openai: sampling seed, when the server honours it")
    context_tokens: int = Field(4096, ge=512, le=1_000_000, description="prompt + completion must fit")
    max_columns: int = Field(24, ge=2, le=500, description="at most this many columns in a prompt and schema")
    # gpt4all
    model_path: str = Field("", description="gpt4all: path of the .gguf file (relative: to the project root)")
    allow_download: bool = Field(False, description="gpt4all: let gpt4all download a missing model by name")
    device: str = Field("cpu", description="gpt4all: cpu, gpu, kompute, cuda …")
    n_threads: int | None = Field(None, ge=1, le=256)
    chat_format: str = Field(CHATML, description="gpt4all: one turn, with {role} and {content}")

    @field_validator("backend", mode="before")
    @classmethod
    def _alias(cls, value: Any) -> Any:
        return normalize_backend(value) if isinstance(value, str) else value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return normalize_url(value)

    @field_validator("chat_format")
    @classmethod
    def _format(cls, value: str) -> str:
        if "{content}" not in value:
            raise ValueError("chat_format needs a {content} placeholder (and usually {role})")
        return value

    @property
    def label(self) -> str:
        """``backend/model`` as shown in logs and the manifest."""
        if self.backend == "offline":
            return "offline"
        return f"{self.backend}/{self.model_name or self.model_path or self.name}"


OFFLINE = ModelSettings()


class LLMOverrides(BaseModel):
    """What a run says on top of the YAML: from the environment, run config or the CLI."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    backend: str | None = None
    url: str | None = None
    model: str | None = None

    def __bool__(self) -> bool:
        return any((self.backend, self.url, self.model))

    def over(self, weaker: LLMOverrides) -> LLMOverrides:
        """These overrides where set, else ``weaker``'s."""
        return LLMOverrides(backend=self.backend or weaker.backend, url=self.url or weaker.url,
                            model=self.model or weaker.model)


def env_overrides(environ: Mapping[str, str] | None = None) -> LLMOverrides:
    env = os.environ if environ is None else environ
    return LLMOverrides(backend=env.get(ENV_BACKEND) or None, url=env.get(ENV_URL) or None,
                        model=env.get(ENV_MODEL) or None)


class LLMSettings(BaseModel):
    """The ``default_model``/``models``/``stages`` section of config/autoviz.yaml."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    default_model: str = "offline"
    models: dict[str, ModelSettings] = Field(default_factory=lambda: {"offline": OFFLINE})
    stages: dict[Stage, str] = Field(default_factory=dict)

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> LLMSettings:
        models = {"offline": {"backend": "offline"}} | dict(raw.get("models") or {})
        data = {
            "default_model": raw.get("default_model") or "offline",
            "models": {name: {"name": name, **(spec or {})} for name, spec in models.items()},
            "stages": dict(raw.get("stages") or {}),
        }
        try:
            settings = cls.model_validate(data)
        except ValidationError as exc:
            raise LLMConfigError(f"the LLM section of config/autoviz.yaml is invalid: {exc}") from None
        for where, name in [("default_model", settings.default_model), *settings.stages.items()]:
            if name not in settings.models:
                raise LLMConfigError(f"{where} names model {name!r}, which is not under `models:` "
                                     f"(configured: {', '.join(settings.models)})")
        return settings

    def model_for(self, stage: Stage, overrides: LLMOverrides | None = None) -> ModelSettings:
        """The model that ``stage`` uses after the overrides."""
        o = overrides or LLMOverrides()
        name = self.stages.get(stage, self.default_model)
        server_model = None
        if o.model:
            if o.model in self.models:
                name = o.model
            else:
                server_model = o.model
        model = self.models[name]
        update: dict[str, Any] = {}
        if o.backend:
            update["backend"] = normalize_backend(o.backend)
        if o.url:
            update["url"] = normalize_url(o.url)
        if server_model is not None:
            backend = update.get("backend", model.backend)
            if backend == "offline":
                raise LLMConfigError(f"model {o.model!r} is not configured under `models:` "
                                     f"({', '.join(self.models)}); to use a server's model, also set the backend "
                                     "(--backend openai or AUTOVIZ_LLM_BACKEND=openai)")
            update["model_path" if backend == "gpt4all" else "model_name"] = server_model
        if update and "name" not in update:
            update["name"] = f"{name}+override"
        return model.model_copy(update=update) if update else model


def load_llm_settings(raw: Mapping[str, Any] | None = None) -> LLMSettings:
    """The LLM section of ``raw`` (default: config/autoviz.yaml as loaded by ``settings.load_config``)."""
    if raw is None:
        from ..settings import load_config

        raw = load_config().model_extra or {}
    return LLMSettings.from_mapping(raw)
