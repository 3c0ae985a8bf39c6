"""The openai backend over real HTTP against a scripted server on 127.0.0.1: request shapes, health
check messages, and every failure a server without grammar produces — then the whole Dagster job."""

from __future__ import annotations

import json
import socket
import time

import pytest

from autoviz_pipeline.llm import LLMUnavailable, ModelSettings, OpenAICompatibleBackend, propose_intent, propose_plan_patch
from tests.conftest import EXAMPLES
from tests.dagster_support import run_with_llm_server
from tests.llm.conftest import offline_context
from tests.llm.scripted_server import Reply, ScriptedServer

QUESTION = "revenue totals by region and product type"
INTENT_OK = json.dumps({"intent": "comparative_analysis", "confidence": 0.9, "columns": ["revenue", "region"]})


@pytest.fixture
def server():
    with ScriptedServer(models=["qwen", "other"]) as s:
        yield s


@pytest.fixture
def december(example_profiles):
    profile = example_profiles["december_revenue.csv"]
    intent, adapted = offline_context(profile, QUESTION)
    return profile, intent, adapted


def _backend(server, **kw) -> OpenAICompatibleBackend:
    return OpenAICompatibleBackend(ModelSettings(backend="openai", url=server.url, model_name="qwen", **kw))


# --------------------------------------------------------------------------------------------------
# request shapes
# --------------------------------------------------------------------------------------------------
def test_json_schema_response_format_by_default(server, december):
    profile, intent, _ = december
    server.script(INTENT_OK)
    propose_intent(intent, profile, _backend(server))
    [body] = server.requests
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["name"] == "intent" and fmt["json_schema"]["strict"]
    schema = fmt["json_schema"]["schema"]
    assert schema["properties"]["columns"]["items"]["enum"] == ["date", "revenue", "region", "product_category"]
    assert body["model"] == "qwen" and body["temperature"] == 0.0 and "structured_outputs" not in body
    assert body["max_tokens"] <= 384 and body["messages"][0]["role"] == "system"


@pytest.mark.parametrize("fmt,check", [
    ("structured_outputs", lambda b: "response_format" not in b and b["structured_outputs"]["json"]["type"] == "object"),
    ("json_object", lambda b: b["response_format"]["type"] == "json_object" and "schema" in b["response_format"]),
])
def test_other_request_shapes(server, december, fmt, check):
    profile, intent, _ = december
    server.script(INTENT_OK)
    propose_intent(intent, profile, _backend(server, request_format=fmt))
    assert check(server.requests[0])


def test_without_grammar_no_schema_is_sent(server, december):
    profile, intent, _ = december
    server.script(INTENT_OK)
    propose_intent(intent, profile, _backend(server, use_grammar=False, seed=3))
    body = server.requests[0]
    assert "response_format" not in body and "structured_outputs" not in body and body["seed"] == 3


# --------------------------------------------------------------------------------------------------
# health check
# --------------------------------------------------------------------------------------------------
def test_wrong_model_name_says_what_is_served(server):
    backend = OpenAICompatibleBackend(ModelSettings(backend="openai", url=server.url, model_name="Qwen2.5-1.5B"))
    with pytest.raises(LLMUnavailable, match=r"model 'Qwen2.5-1.5B' is not served at .*it serves: qwen, other"):
        backend.check()


def test_server_down_says_how_to_fix_it():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    backend = OpenAICompatibleBackend(ModelSettings(backend="openai", url=f"http://127.0.0.1:{port}/v1", model_name="m"))
    with pytest.raises(LLMUnavailable, match=r"no LLM server answers at http://127.0.0.1:\d+/v1 .*--backend offline"):
        backend.check()


def test_model_name_may_be_left_to_the_server_when_it_serves_one():
    with ScriptedServer(models=["only-one"]) as single:
        single.script(INTENT_OK)
        backend = OpenAICompatibleBackend(ModelSettings(backend="openai", url=single.url))
        backend.check()
        assert backend.model == "only-one"
    with ScriptedServer(models=["a", "b"]) as two:
        with pytest.raises(LLMUnavailable, match="serves 2 models"):
            OpenAICompatibleBackend(ModelSettings(backend="openai", url=two.url)).check()


def test_health_is_checked_once_per_backend(server, december):
    profile, intent, adapted = december
    backend = _backend(server)
    server.script(INTENT_OK, '{"ops": [], "rationale": "fine"}')
    propose_intent(intent, profile, backend)
    propose_plan_patch(adapted, intent, profile, backend)
    assert server.model_listings == 1 and len(server.requests) == 2


# --------------------------------------------------------------------------------------------------
# what a server without grammar sends back
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("replies,outcomes", [
    ([Reply(status=500, content="CUDA out of memory")], ["http_500"]),
    ([Reply(status=400, content="maximum context length is 1024 tokens")], ["http_400"]),
    ([Reply(content="")], ["empty"]),
    ([Reply(content=None, refusal="I cannot help with that.")], ["refusal"]),
    (["{'intent': 'trend'}", "```json\n{\"intent\": \"trend\"}"], ["invalid", "invalid"]),
])
def test_failures_fall_back_with_their_outcome(server, december, replies, outcomes):
    profile, intent, _ = december
    server.script(*replies)
    result = propose_intent(intent, profile, _backend(server))
    assert result.intent == intent.intent and result.source == "offline"
    assert [c.outcome.split(":")[0] for c in result.llm_calls] == outcomes
    assert result.llm_calls[-1].fallback_used


def test_slow_reply_times_out_and_falls_back(server, december):
    profile, intent, _ = december
    server.script(Reply(content=INTENT_OK, delay=2.0))
    started = time.perf_counter()
    result = propose_intent(intent, profile, _backend(server, timeout=0.3))
    elapsed = time.perf_counter() - started
    [call] = result.llm_calls
    assert call.outcome.startswith("timeout") and call.fallback_used and result.source == "offline"
    assert elapsed < 1.5 and 250 <= call.latency_ms < 1500  # the client gave up; no retries


def test_hallucinated_plan_is_repaired_or_dropped(server, december):
    profile, intent, adapted = december
    server.script(json.dumps({"ops": [
        {"op": "add", "tool": "line_chart", "params": {"x": "date", "y": "revenue_totl", "groups": "product_type"},
         "title": "Revenue over time"},
        {"op": "add", "tool": "barchart", "params": {"x": "Region", "y": "profit_margin"}, "title": "Profit"},
        {"op": "add", "tool": "bar_graph", "params": {"x": "region"}, "title": "Count"},
    ], "rationale": "trend and profit"}))
    result = propose_plan_patch(adapted, intent, profile, _backend(server, use_grammar=False))
    from autoviz_pipeline.repair import validate_plan

    validated = validate_plan(result.steps, profile)
    repairs = {(r.step, r.param, r.original, r.repaired) for r in validated.repairs}
    dropped = {d.step: d.reason for d in validated.dropped}
    assert ("llm_1", "groups", "product_type", None) in repairs  # invented param removed, logged
    assert ("llm_2", "tool", "barchart", "bar_chart") in repairs and ("llm_2", "x", "Region", "region") in repairs
    # "bar_graph" names a bar chart ("graph" = "chart"); repaired, it repeats llm_2 exactly and is dropped as such
    assert ("llm_3", "tool", "bar_graph", "bar_chart") in repairs
    assert dropped["llm_3"] == "same tool and params as an earlier step"
    # inventions in optional params are removed by validation, and logged with what the model said
    assert ("llm_1", "y", "revenue_totl", None) in repairs and ("llm_2", "y", "profit_margin", None) in repairs
    kept = {s.id: s for s in validated.steps}
    assert kept["llm_1"].params.y is None and kept["llm_2"].params.x == "region"


# --------------------------------------------------------------------------------------------------
# the whole Dagster job with an LLM backend
# --------------------------------------------------------------------------------------------------
def _materialize(tmp_path, server, question=QUESTION):
    return run_with_llm_server(tmp_path, server.url, EXAMPLES / "december_revenue.csv", question)[1]


def test_pipeline_records_llm_calls_and_survives_hallucinations(tmp_path, server):
    server.script(
        '{"intent": "comparative_analysis", "confidence": 0.93, "columns": ["Revenue", "product_type"]}',
        json.dumps({"ops": [
            {"op": "add", "tool": "line_chart", "params": {"x": "date", "y": "Revenue", "groups": "region"}, "title": "Trend"},
            {"op": "add", "tool": "box_plot", "params": {"column": "customer_age"}, "title": "Ages"},
            {"op": "drop", "step": "answer", "reason": "x"},
        ], "rationale": "add a trend"}),
    )
    manifest = _materialize(tmp_path, server)
    calls = manifest["llm_calls"]
    assert [(c["stage"], c["backend"], c["model"], c["fallback_used"]) for c in calls] == [
        ("intent", "openai", "qwen", False), ("adapt", "openai", "qwen", False)]
    assert calls[1]["outcome"] == "ok: 2 of 3 edits applied" and calls[0]["prompt_tokens"] > 0
    assert manifest["intent"]["source"] == "llm"
    repairs = {(r["step"], r["param"], r["original"], r["repaired"]) for r in manifest["repairs"]}
    assert ("llm_1", "y", "Revenue", "revenue") in repairs and ("llm_1", "groups", "region", None) in repairs
    dropped = {d["step"]: d["reason"] for d in manifest["dropped"]}
    assert "customer_age" in dropped["llm_2"]
    assert manifest["charts"][0]["id"] == "answer"  # the first chart still answers the question
    assert "llm_1" in [c["id"] for c in manifest["charts"]]


def test_pipeline_falls_back_when_the_server_fails(tmp_path, server):
    server.script(*[Reply(status=503, content="overloaded")] * 3, "not json", "still not json")  # 2 retries, then
    manifest = _materialize(tmp_path, server)
    outcomes = [(c["stage"], c["outcome"].split(":")[0], c["fallback_used"]) for c in manifest["llm_calls"]]
    assert outcomes == [("intent", "http_503", True), ("adapt", "invalid", False), ("adapt", "invalid", True)]
    assert manifest["intent"]["source"] == "offline" and manifest["charts"]
