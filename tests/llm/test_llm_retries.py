"""Retries for a model server's temporary failures, over real HTTP (a scripted server on 127.0.0.1): a 5xx, a
429 or a timeout runs the LLM stage again (a Dagster step retry); a 4xx or an unusable answer does not; once the
retries are spent the stage falls back to the offline result, as before, and the run succeeds."""

from __future__ import annotations

import json

import pytest

from autoviz_pipeline.defs.retries import TRANSIENT_RETRY
from autoviz_pipeline.errors import TransientError
from autoviz_pipeline.llm import LLMError, ModelSettings, OpenAICompatibleBackend, propose_intent
from tests.conftest import DECEMBER
from tests.dagster_support import run_with_llm_server
from tests.llm.conftest import offline_context
from tests.llm.scripted_server import Reply, ScriptedServer

QUESTION = "revenue totals by region and product type"
INTENT_OK = json.dumps({"intent": "ranking", "confidence": 0.8, "columns": ["revenue", "region"]})
NO_EDITS = json.dumps({"ops": [], "rationale": "the plan fits"})


@pytest.fixture
def server():
    with ScriptedServer(models=["qwen"]) as s:
        yield s


def _backend(server, **kw) -> OpenAICompatibleBackend:
    return OpenAICompatibleBackend(ModelSettings(backend="openai", url=server.url, model_name="qwen", **kw))


def _complete(backend: OpenAICompatibleBackend) -> LLMError:
    with pytest.raises(LLMError) as info:
        backend.complete([{"role": "user", "content": "hi"}], {"type": "object"}, name="intent", max_tokens=16)
    return info.value


@pytest.mark.parametrize("status,transient", [(500, True), (502, True), (503, True), (429, True),
                                              (400, False), (404, False), (422, False)])
def test_which_http_failures_are_temporary(server, status, transient):
    server.script(Reply(status=status, content="no"))
    error = _complete(_backend(server))
    assert error.outcome == f"http_{status}" and error.transient is transient


def test_a_timeout_is_temporary(server):
    server.script(Reply(content=INTENT_OK, delay=1.0))
    error = _complete(_backend(server, timeout=0.2))
    assert error.outcome == "timeout" and error.transient


def test_the_proposer_raises_for_a_retry_only_when_asked(server, example_profiles):
    profile = example_profiles["december_revenue.csv"]
    intent, _ = offline_context(profile, QUESTION)
    server.script(Reply(status=503, content="overloaded"))
    with pytest.raises(TransientError, match="http_503: overloaded"):
        propose_intent(intent, profile, _backend(server), retry_transient=True)
    server.script(Reply(status=503, content="overloaded"))
    fallback = propose_intent(intent, profile, _backend(server))  # the default: fall back at once, as before
    assert fallback.source == "offline" and fallback.llm_calls[0].outcome.startswith("http_503")
    server.script(Reply(status=400, content="bad request"))
    refused = propose_intent(intent, profile, _backend(server), retry_transient=True)  # not temporary
    assert refused.source == "offline" and refused.llm_calls[0].outcome.startswith("http_400")


# --------------------------------------------------------------------------------------------------
# the Dagster job
# --------------------------------------------------------------------------------------------------
def _run(tmp_path, server):
    return run_with_llm_server(tmp_path, server.url, DECEMBER, QUESTION)


def _retries(result, step: str) -> int:
    return sum(1 for e in result.all_events if e.event_type_value == "STEP_UP_FOR_RETRY" and e.step_key == step)


def _asked(server, stage: str) -> int:
    """How many chat requests the server received for a stage (its schema's name is the stage)."""
    return sum(1 for body in server.requests if body["response_format"]["json_schema"]["name"] == stage)


def test_a_503_then_an_answer_is_retried_and_the_answer_used(tmp_path, server):
    server.script(Reply(status=503, content="overloaded"), INTENT_OK, NO_EDITS)
    result, manifest = _run(tmp_path, server)
    assert _retries(result, "question_intent") == 1 and _retries(result, "analysis_plan") == 0
    assert _asked(server, "intent") == 2 and _asked(server, "adapt") == 1
    assert manifest["intent"]["label"] == "ranking" and manifest["intent"]["source"] == "llm"
    assert [(c["stage"], c["outcome"], c["fallback_used"]) for c in manifest["llm_calls"]] == [
        ("intent", "ok", False), ("adapt", "ok", False)]
    # each LLM stage shows its calls in the UI: the last attempt's call, tokens as the server reported them
    # (the scripted server counts a quarter of the characters), latency
    for stage, node, reply, attempt in [("intent", "question_intent", INTENT_OK, 2),
                                        ("adapt", "analysis_plan", NO_EDITS, 1)]:
        [mat] = result.asset_materializations_for_node(node)
        meta = {k: v.value for k, v in mat.metadata.items()}
        last = [b for b in server.requests if b["response_format"]["json_schema"]["name"] == stage][-1]
        prompt_tokens = sum(len(m["content"]) for m in last["messages"]) // 4
        assert meta["llm_calls"] == 1 and meta["attempt"] == attempt and meta["llm_model"] == "openai/qwen"
        assert meta["llm_prompt_tokens"] == prompt_tokens > 100 and meta["llm_completion_tokens"] == len(reply) // 4
        assert 0 < meta["llm_latency_ms"] < 10_000 and meta["llm_fallback"] is False


def test_a_client_error_is_not_retried(tmp_path, server):
    server.script(Reply(status=400, content="maximum context length is 1024 tokens"), NO_EDITS)
    result, manifest = _run(tmp_path, server)
    assert _retries(result, "question_intent") == 0 and _asked(server, "intent") == 1
    assert manifest["intent"]["source"] == "offline"
    assert manifest["llm_calls"][0]["outcome"].startswith("http_400") and manifest["llm_calls"][0]["fallback_used"]


def test_after_the_retries_are_spent_the_stage_falls_back(tmp_path, server):
    attempts = TRANSIENT_RETRY.max_retries + 1
    server.script(*[Reply(status=502, content="bad gateway")] * attempts, NO_EDITS)
    result, manifest = _run(tmp_path, server)
    assert _retries(result, "question_intent") == TRANSIENT_RETRY.max_retries and _asked(server, "intent") == attempts
    assert manifest["intent"]["source"] == "offline" and manifest["charts"]
    [intent_call, adapt_call] = manifest["llm_calls"]
    assert intent_call["outcome"] == "http_502: bad gateway" and intent_call["fallback_used"]
    assert adapt_call["outcome"] == "ok" and not adapt_call["fallback_used"]
