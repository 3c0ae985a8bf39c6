"""The gpt4all backend with a real (tiny, random-weight) GGUF: it loads and generates noise, which must
go parse-fail → re-ask → offline fallback; bad files are refused before llama.cpp can abort the process."""

from __future__ import annotations

import pytest

from autoviz_pipeline.llm import LLMUnavailable, ModelSettings, propose_intent, propose_plan_patch
from autoviz_pipeline.llm.backends import GPT4AllBackend, _JsonWatcher
from tests.llm.conftest import offline_context, require


@pytest.fixture(scope="module")
def tiny_gguf(tmp_path_factory):
    require("gguf", "writes the tiny GGUF")
    require("gpt4all", "the gpt4all backend")
    from tests.llm.tiny_gguf import write_tiny_gguf

    path = write_tiny_gguf(tmp_path_factory.mktemp("gguf") / "tiny.gguf")
    assert 100_000 < path.stat().st_size < 1_000_000
    return path


def _settings(path, **kw) -> ModelSettings:
    return ModelSettings(**{"backend": "gpt4all", "model_path": str(path), "max_tokens": 40, "context_tokens": 8192,
                            "timeout": 60, "n_threads": 2, **kw})


def test_noise_is_reasked_once_then_the_offline_result_is_used(tiny_gguf, example_profiles):
    profile = example_profiles["december_revenue.csv"]
    intent, adapted = offline_context(profile, "revenue totals by region")
    backend = GPT4AllBackend(_settings(tiny_gguf))
    result = propose_intent(intent, profile, backend)
    assert result.intent == intent.intent and result.source == "offline"
    first, second = result.llm_calls
    assert (first.backend, first.model) == ("gpt4all", "tiny.gguf")
    assert first.outcome.startswith("invalid") and first.outcome.endswith("(re-asked)") and not first.fallback_used
    assert second.outcome.startswith("invalid") and second.fallback_used
    assert 0 < first.completion_tokens <= 40  # the callback counted and the budget held
    plan = propose_plan_patch(adapted, intent, profile, backend)
    assert plan.steps == adapted.steps and [c.fallback_used for c in plan.llm_calls] == [False, True]
    assert plan.llm_raw  # the noise is kept for the manifest reader


def test_prompt_uses_the_configured_chat_format(tiny_gguf):
    backend = GPT4AllBackend(_settings(tiny_gguf))
    text = backend.prompt([{"role": "system", "content": "S"}, {"role": "user", "content": "U"}])
    assert text == "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n"


def test_generation_timeout_falls_back(tiny_gguf, example_profiles):
    profile = example_profiles["december_revenue.csv"]
    intent, _ = offline_context(profile, "revenue by region")
    backend = GPT4AllBackend(_settings(tiny_gguf, timeout=0.001, max_tokens=64))
    result = propose_intent(intent, profile, backend)
    assert result.llm_calls[0].outcome.startswith("timeout") and result.llm_calls[-1].fallback_used


def test_files_that_would_crash_llama_cpp_are_refused(tmp_path, example_profiles):
    require("gpt4all", "the gpt4all backend")
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"<html>not a model</html>")
    with pytest.raises(LLMUnavailable, match="not a GGUF file"):
        GPT4AllBackend(_settings(fake)).check()
    with pytest.raises(LLMUnavailable, match="does not exist.*allow_download"):
        GPT4AllBackend(_settings(tmp_path / "missing.gguf")).check()
    profile = example_profiles["december_revenue.csv"]
    intent, _ = offline_context(profile, "revenue by region")
    result = propose_intent(intent, profile, GPT4AllBackend(_settings(fake)))
    assert result.source == "offline" and result.llm_calls[0].outcome.startswith("unavailable: ")


@pytest.mark.parametrize("pieces,closed_at", [
    (['Sure: {"a": ', '"}{"', '}', " trailing"], 2),  # braces inside strings do not count
    (['{"a": {"b": 1}', "}"], 1),
    (["no json", " at all"], None),
])
def test_json_watcher_stops_when_the_first_object_closes(pieces, closed_at):
    watcher = _JsonWatcher()
    stops = [watcher.feed(p) for p in pieces]
    assert (stops.index(True) if True in stops else None) == closed_at
