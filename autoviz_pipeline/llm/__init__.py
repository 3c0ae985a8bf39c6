"""LLM backends, prompts and per-dataset JSON schemas. The model proposes, the code decides.

    config     which model each stage asks (config/autoviz.yaml, env, run config, CLI)
    schemas    per-dataset JSON schemas (real column names, registered tools) for constrained decoding
    prompts    compact prompts that quote every name and value as data
    backends   offline | openai-compatible (vLLM, llama.cpp, Ollama, OpenAI) | gpt4all, one protocol
    proposer   ask, validate, re-ask once, fall back to the offline result; LLMCall records

No dagster here (``defs/resources.py`` wraps this); ``openai`` and ``gpt4all`` are imported lazily.
"""

from .backends import (
    Backend,
    GPT4AllBackend,
    LLMError,
    LLMUnavailable,
    OfflineBackend,
    OpenAICompatibleBackend,
    make_backend,
)
from .config import LLMConfigError, LLMOverrides, LLMSettings, ModelSettings, env_overrides, load_llm_settings
from .proposer import propose_intent, propose_plan_patch, stage_request

__all__ = [
    "Backend", "GPT4AllBackend", "LLMConfigError", "LLMError", "LLMOverrides", "LLMSettings", "LLMUnavailable",
    "ModelSettings", "OfflineBackend", "OpenAICompatibleBackend", "env_overrides", "load_llm_settings",
    "make_backend", "propose_intent", "propose_plan_patch", "stage_request",
]
