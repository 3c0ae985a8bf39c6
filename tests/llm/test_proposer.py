"""The proposer's decisions, with a fake backend at the seam (the real wire is in test_openai_backend)."""

from __future__ import annotations

import json

import pytest

from autoviz_pipeline.llm import LLMError, LLMUnavailable, ModelSettings, OfflineBackend
from autoviz_pipeline.llm.backends import Completion
from autoviz_pipeline.llm.proposer import ReplyError, parse_patch, propose_intent, propose_plan_patch
from autoviz_pipeline.repair import validate_plan
from tests.llm.conftest import offline_context


class FakeBackend:
    """Replays replies (text or an LLMError) and records what it was asked."""

    kind = "openai"
    model = "fake"

    def __init__(self, replies, *, down: str | None = None) -> None:
        self.replies, self.down = list(replies), down
        self.settings = ModelSettings(backend="openai", model_name="fake")
        self.asked: list[tuple[list[dict], dict, int]] = []

    def check(self) -> None:
        if self.down:
            raise LLMUnavailable(self.down)

    def complete(self, messages, schema, *, name, max_tokens):
        self.asked.append((list(messages), dict(schema), max_tokens))
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return Completion(text=reply, prompt_tokens=11, completion_tokens=7)


@pytest.fixture
def december(example_profiles):
    profile = example_profiles["december_revenue.csv"]
    intent, adapted = offline_context(profile, "revenue totals by region and product type in the North")
    return profile, intent, adapted


def test_offline_backend_changes_nothing(december):
    profile, intent, adapted = december
    assert propose_intent(intent, profile, OfflineBackend()) is intent
    assert propose_plan_patch(adapted, intent, profile, OfflineBackend()) is adapted


def test_intent_from_the_model_with_columns_repaired_or_dropped(december):
    profile, intent, _ = december
    reply = {"intent": "ranking", "confidence": 0.8, "columns": ["Revenue", "product_type", "profit_margin"]}
    result = propose_intent(intent, profile, FakeBackend([json.dumps(reply)]))
    assert (result.intent, result.confidence, result.source) == ("ranking", 0.8, "llm")
    assert result.matches == intent.matches and result.chart == intent.chart  # grounding stays offline
    notes = "\n".join(result.notes)
    assert "'Revenue' repaired to 'revenue' (normalized" in notes
    assert "'product_type' repaired to 'product_category' (synonym" in notes
    assert "'profit_margin' dropped: no such column" in notes
    [call] = result.llm_calls
    assert (call.stage, call.outcome, call.fallback_used, call.prompt_tokens) == ("intent", "ok", False, 11)


def test_invalid_reply_is_reasked_once_with_the_error(december):
    profile, intent, _ = december
    backend = FakeBackend(['Sure! {"intent": "trend", "confidence": 2}', '{"intent": "time_series", "confidence": 0.6, "columns": []}'])
    result = propose_intent(intent, profile, backend)
    assert result.intent == "time_series" and result.source == "llm"
    first, second = result.llm_calls
    assert first.outcome.startswith("invalid: intent:") and first.outcome.endswith("(re-asked)") and not first.fallback_used
    assert second.outcome == "ok"
    reask = backend.asked[1][0]
    assert reask[-2] == {"role": "assistant", "content": 'Sure! {"intent": "trend", "confidence": 2}'}
    assert "not valid" in reask[-1]["content"] and "confidence" in reask[-1]["content"]


@pytest.mark.parametrize("replies,outcomes", [
    (["no json here", "still none"], ["invalid: no JSON object in the reply (re-asked)", "invalid: no JSON object in the reply"]),
    ([LLMError("timeout", "no answer within 1 s")], ["timeout: no answer within 1 s"]),
    (["{", LLMError("http_500", "boom")], ["invalid: invalid JSON: Expecting property name enclosed in double quotes at character 1 (re-asked)",
                                          "http_500: boom"]),
    ([LLMError("refusal", "I can't help with that")], ["refusal: I can't help with that"]),
])
def test_failures_fall_back_to_the_offline_intent_visibly(december, replies, outcomes):
    profile, intent, _ = december
    result = propose_intent(intent, profile, FakeBackend(replies))
    assert result.intent == intent.intent and result.source == "offline"
    assert [c.outcome for c in result.llm_calls] == outcomes
    assert [c.fallback_used for c in result.llm_calls] == [False] * (len(outcomes) - 1) + [True]


def test_unavailable_backend_is_one_call_and_the_offline_result(december):
    profile, intent, adapted = december
    backend = FakeBackend([], down="no LLM server answers at http://127.0.0.1:9/v1")
    result = propose_plan_patch(adapted, intent, profile, backend)
    assert result.steps == adapted.steps and backend.asked == []
    [call] = result.llm_calls
    assert call.outcome.startswith("unavailable: no LLM server answers") and call.fallback_used


def test_patch_edits_are_applied_or_refused_with_reasons(december):
    profile, intent, adapted = december
    template_step = next(s for s in adapted.steps if s.origin == "template")
    reply = {"ops": [
        {"op": "add", "tool": "line_chart", "params": {"x": "date", "y": "Revenue", "groups": "region"}, "title": "Trend"},
        {"op": "drop", "step": "answer", "reason": "not needed"},
        {"op": "modify", "step": template_step.id, "params": {list(template_step.params)[0]: "customer_age"}},
        {"op": "explode"},
    ], "rationale": "a trend helps"}
    result = propose_plan_patch(adapted, intent, profile, FakeBackend([json.dumps(reply)]))
    ids = [s.id for s in result.steps]
    assert ids[0] == "answer" and ids[-1] == "llm_1" and template_step in result.steps  # kept as it was
    added = result.steps[-1]
    assert added.origin == "llm" and added.title == "Trend"
    assert added.params["filters"] == [f.model_dump() for f in intent.filters] != []  # "in the North" carried
    details = [(c.op, c.step, c.detail) for c in result.changes[len(adapted.changes):]]
    assert ("remove", "answer", "rejected: the step that answers the question stays") in details
    assert any(op == "modify" and step == template_step.id and d.startswith("rejected:") and "customer_age" in d
               for op, step, d in details)
    assert any(step == "llm_op_4" and d.startswith("rejected: more than 3 edits") for _, step, d in details)
    assert result.llm_calls[0].outcome == "ok: 1 of 4 edits applied"
    # the added step is repaired by the same validation as every other step
    validated = validate_plan(result.steps, profile)
    repairs = {(r.step, r.param, r.original, r.repaired, r.method) for r in validated.repairs}
    assert ("llm_1", "y", "Revenue", "revenue", "normalized") in repairs
    assert ("llm_1", "groups", "region", None, "removed_unknown_param") in repairs
    assert "llm_1" in [s.id for s in validated.steps]


def test_drop_and_modify_of_template_steps(december):
    profile, intent, adapted = december
    steps = [s for s in adapted.steps if s.origin == "template"]
    modify = next(s for s in steps if "value" in s.params or "y" in s.params)
    drop = next(s for s in steps if s.id != modify.id)
    key = "value" if "value" in modify.params else "y"
    reply = {"ops": [{"op": "drop", "step": drop.id, "reason": "repeats"},
                     {"op": "modify", "step": modify.id, "params": {key: "revenue", "aggregate": "median"}}],
             "rationale": ""}
    result = propose_plan_patch(adapted, intent, profile, FakeBackend([json.dumps(reply)]))
    assert drop.id not in [s.id for s in result.steps]
    changed = next(s for s in result.steps if s.id == modify.id)
    assert changed.params["aggregate"] == "median" and changed.params[key] == "revenue"
    assert result.llm_raw == json.dumps(reply)


def test_optional_invented_column_is_logged_when_validation_removes_it(december):
    profile, intent, adapted = december
    reply = {"ops": [{"op": "add", "tool": "bar_chart", "params": {"x": "region", "color": "customer_segment"},
                      "title": ""}], "rationale": ""}
    result = propose_plan_patch(adapted, intent, profile, FakeBackend([json.dumps(reply)]))
    validated = validate_plan(result.steps, profile)
    assert ("llm_1", "color", "customer_segment", None, "removed_optional_param") in {
        (r.step, r.param, r.original, r.repaired, r.method) for r in validated.repairs}
    assert next(s for s in validated.steps if s.id == "llm_1").params.color is None


def test_parse_patch_needs_an_ops_list_and_ignores_chatter():
    with pytest.raises(ReplyError, match='"ops" list'):
        parse_patch('{"steps": []}')
    reply = parse_patch('Here you go:\n```json\n{"ops": [{"op": "drop", "step": "summary", "reason": "x"}]}\n```')
    assert reply.ops[0].step == "summary" and reply.rejected == []
