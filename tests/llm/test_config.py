"""Which model a stage uses: YAML < environment < run config / CLI, per-stage models, clear errors."""

from __future__ import annotations

import pytest

from autoviz_pipeline.llm.config import LLMConfigError, LLMOverrides, LLMSettings, env_overrides, load_llm_settings

YAML = {
    "default_model": "small",
    "models": {
        "small": {"backend": "vllm", "url": "http://127.0.0.1:8000/v1", "model_name": "Qwen/Qwen2.5-0.5B-Instruct",
                  "max_tokens": 128, "timeout": 5},
        "big": {"backend": "openai", "url": "http://127.0.0.1:8001", "model_name": "Qwen/Qwen2.5-3B-Instruct"},
        "local": {"backend": "gpt4all", "model_path": "models/q.gguf"},
    },
    "stages": {"adapt": "big"},
}


def test_yaml_models_and_stages():
    s = LLMSettings.from_mapping(YAML)
    intent, adapt = s.model_for("intent"), s.model_for("adapt")
    assert (intent.name, intent.backend, intent.max_tokens, intent.timeout) == ("small", "openai", 128, 5)  # vllm → openai
    assert (adapt.name, adapt.model_name) == ("big", "Qwen/Qwen2.5-3B-Instruct")
    assert adapt.url == "http://127.0.0.1:8001/v1"  # a bare host gets /v1
    assert "offline" in s.models  # always there, even if the YAML does not list it


def test_overrides_apply_to_every_stage():
    s = LLMSettings.from_mapping(YAML)
    named = LLMOverrides(model="local")
    assert s.model_for("intent", named).backend == s.model_for("adapt", named).backend == "gpt4all"
    served = s.model_for("adapt", LLMOverrides(url="http://10.0.0.5:9000/v1", model="llama3.2"))
    assert (served.backend, served.url, served.model_name) == ("openai", "http://10.0.0.5:9000/v1", "llama3.2")
    off = s.model_for("intent", LLMOverrides(backend="offline"))
    assert off.backend == "offline"


def test_run_config_beats_environment_beats_yaml(monkeypatch):
    monkeypatch.setenv("AUTOVIZ_LLM_BACKEND", "openai")
    monkeypatch.setenv("AUTOVIZ_LLM_URL", "http://127.0.0.1:1234/v1")
    monkeypatch.setenv("AUTOVIZ_LLM_MODEL", "from-env")
    env = env_overrides()
    s = LLMSettings.from_mapping({})
    assert s.model_for("intent", env).model_name == "from-env"
    run = LLMOverrides(model="from-run").over(env)
    chosen = s.model_for("intent", run)
    assert (chosen.model_name, chosen.url) == ("from-run", "http://127.0.0.1:1234/v1")


def test_resource_reads_env_and_its_own_fields(monkeypatch):
    from autoviz_pipeline.defs.resources import LLMResource

    monkeypatch.setenv("AUTOVIZ_LLM_BACKEND", "vllm")
    monkeypatch.setenv("AUTOVIZ_LLM_URL", "http://127.0.0.1:8765/v1")
    monkeypatch.delenv("AUTOVIZ_LLM_MODEL", raising=False)
    assert LLMResource().model_for("intent").url == "http://127.0.0.1:8765/v1"
    assert LLMResource().build("intent").kind == "openai"
    assert LLMResource(backend="offline").build("adapt").kind == "offline"


def test_default_config_is_offline(monkeypatch):
    for var in ("AUTOVIZ_LLM_BACKEND", "AUTOVIZ_LLM_URL", "AUTOVIZ_LLM_MODEL"):
        monkeypatch.delenv(var, raising=False)
    s = load_llm_settings()
    assert s.default_model == "offline" and s.model_for("intent").backend == "offline"
    assert all(m.backend in ("offline", "openai", "gpt4all") for m in s.models.values())


@pytest.mark.parametrize("raw,overrides,message", [
    ({"default_model": "nope"}, None, "not under `models:`"),
    ({"stages": {"intent": "ghost"}}, None, "ghost"),
    ({"models": {"x": {"backend": "ollama"}}}, None, "unknown LLM backend"),
    ({"models": {"x": {"backend": "openai", "temprature": 0}}}, None, "temprature"),  # misspelt key fails loudly
    ({}, LLMOverrides(model="qwen"), "also set the backend"),
    ({}, LLMOverrides(backend="openai", url="localhost:8000"), "not an http"),
])
def test_mistakes_say_what_to_change(raw, overrides, message):
    with pytest.raises(LLMConfigError, match=message):
        LLMSettings.from_mapping(raw).model_for("intent", overrides)


def test_bad_run_config_fails_the_run_with_the_message():
    import dagster as dg

    from autoviz_pipeline.defs.resources import LLMResource

    with pytest.raises(dg.Failure, match="unknown LLM backend"):
        LLMResource(backend="llamafile").build("intent")
