"""The model proposes, the code decides: ask a backend, validate, re-ask once, else keep the offline result.

``propose_intent`` and ``propose_plan_patch`` take the offline result of their stage and return it
improved by the model — or unchanged, when the backend is offline, unavailable, slow, failing, or
answers something that does not validate twice in a row. Either way the result carries one ``LLMCall``
per request (latency, tokens, outcome, whether the offline result was used), which the manifest shows.
A temporary failure (a 5xx, a 429, a timeout) raises ``TransientError`` instead when the caller passes
``retry_transient=True``: the Dagster stages do while retries are left (``defs/retries.py``).

What a model answers is checked again here whatever the backend (grammar or not):
- parsing: the first JSON object in the reply, validated by the pydantic contracts (``IntentProposal``,
  ``PlanPatch`` op by op); an unparseable reply is re-asked once, quoting the validator's message;
- intent columns not in the CSV are repaired to the closest column by ``understanding.grounding.best_column_for`` or
  dropped, with a note;
- plan edits go through ``repair.validate_plan`` — the same repair-or-drop as every other step. A
  ``modify`` that would break its step is refused (the step stays as it was), the answer step is never
  dropped, and every refused edit is recorded as a plan change with its reason.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from ..contracts import (
    AdaptedPlan,
    AddStep,
    ColumnProfile,
    DatasetProfile,
    DropStep,
    IntentProposal,
    IntentResult,
    LLMCall,
    ModifyStep,
    PatchOp,
    PlanChange,
    ProposedStep,
)
from ..errors import TransientError
from ..understanding.grounding import best_column_for
from ..understanding.settings import DEFAULT_SETTINGS
from ..repair import validate_plan
from .backends import Backend, LLMError, LLMUnavailable
from .config import Stage
from .prompts import Message, estimate_tokens, fit_prompt, intent_messages, patch_messages, reask_messages
from .schemas import columns_by_name, intent_schema, max_json_bytes, patch_schema, select_columns

logger = logging.getLogger(__name__)

T = TypeVar("T")
_OP = TypeAdapter(PatchOp)
MAX_ATTEMPTS = 2  # the first answer and one re-ask


class ReplyError(ValueError):
    """A reply that cannot be used as it is; the message is quoted back to the model in the re-ask."""


@dataclass
class PatchReply:
    ops: list[AddStep | DropStep | ModifyStep]
    rejected: list[tuple[int, Any, str]] = field(default_factory=list)  # (index, raw op, why)
    rationale: str = ""


@dataclass(frozen=True)
class StageRequest:
    """Everything one stage sends: what the proposer, the CLI's ``schema`` command and benchmarks share."""

    messages: list[Message]
    schema: dict[str, Any]
    columns: list[str]
    max_tokens: int


# --------------------------------------------------------------------------------------------------
# parsing
# --------------------------------------------------------------------------------------------------
def extract_json(text: str) -> Any:
    """The first JSON object in ``text`` (code fences and chatter around it are ignored)."""
    start = text.find("{")
    if start < 0:
        raise ReplyError("no JSON object in the reply")
    try:  # strict=False: xgrammar (so vLLM) lets raw control characters into strings; strict JSON refuses them
        value, _ = json.JSONDecoder(strict=False).raw_decode(text[start:])
    except json.JSONDecodeError as exc:
        raise ReplyError(f"invalid JSON: {exc.msg} at character {exc.pos}") from None
    return value


def parse_intent(text: str) -> IntentProposal:
    try:
        return IntentProposal.model_validate(extract_json(text))
    except ValidationError as exc:
        raise ReplyError(_short(exc)) from None


def parse_patch(text: str) -> PatchReply:
    """Validate op by op: one bad op is refused with its reason, the others still count."""
    raw = extract_json(text)
    if not isinstance(raw, dict) or not isinstance(raw.get("ops"), list):
        raise ReplyError('the reply must be an object with an "ops" list (an empty list means no edits)')
    reply = PatchReply(ops=[], rationale=_clip_text(raw.get("rationale"), 160))
    for i, item in enumerate(raw["ops"][:3]):
        try:
            reply.ops.append(_OP.validate_python(item))
        except ValidationError as exc:
            reply.rejected.append((i, item, _short(exc)))
    for i, item in enumerate(raw["ops"][3:], start=3):
        reply.rejected.append((i, item, "more than 3 edits"))
    return reply


def _clip_text(value: Any, limit: int) -> str:
    return "".join(ch for ch in str(value or "") if ch.isprintable())[:limit]


def _short(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'reply'}: {e['msg']}" for e in exc.errors()[:3])


# --------------------------------------------------------------------------------------------------
# asking
# --------------------------------------------------------------------------------------------------
def ask(backend: Backend, stage: Stage, request: StageRequest, parse: Callable[[str], T], *,
        retry_transient: bool = False) -> tuple[T | None, list[LLMCall], str | None]:
    """Ask, parse, re-ask once on an unusable reply. Returns (value or None, calls, last raw reply).
    With ``retry_transient``, a temporary failure raises ``TransientError`` (the caller runs the stage again)
    instead of falling back."""
    calls: list[LLMCall] = []
    messages = request.messages
    raw: str | None = None
    for attempt in range(1, MAX_ATTEMPTS + 1):
        started = time.perf_counter()
        try:
            completion = backend.complete(messages, request.schema, name=stage, max_tokens=request.max_tokens)
        except LLMError as exc:
            _raise_if_retrying(exc, backend, stage, retry_transient)
            calls.append(_call(backend, stage, started, f"{exc.outcome}: {exc.message}"[:300], fallback=True))
            logger.warning("%s: %s failed (%s); using the offline result", stage, _label(backend), exc)
            return None, calls, raw
        raw = completion.text
        try:
            value = parse(completion.text)
        except ReplyError as exc:
            last = attempt == MAX_ATTEMPTS
            outcome = f"invalid: {exc}"[:280] + ("" if last else " (re-asked)")
            calls.append(_call(backend, stage, started, outcome, completion, fallback=last))
            logger.warning("%s: %s answered something unusable (%s)%s", stage, _label(backend), exc,
                           "; using the offline result" if last else "; asking once more")
            messages = reask_messages(messages, completion.text, str(exc))
            continue
        calls.append(_call(backend, stage, started, "ok", completion))
        return value, calls, raw
    return None, calls, raw


def _call(backend: Backend, stage: str, started: float, outcome: str, completion: Any = None, *,
          fallback: bool = False) -> LLMCall:
    return LLMCall(stage=stage, backend=backend.kind, model=backend.model,
                   latency_ms=round((time.perf_counter() - started) * 1000, 1),
                   prompt_tokens=getattr(completion, "prompt_tokens", None),
                   completion_tokens=getattr(completion, "completion_tokens", None),
                   outcome=outcome, fallback_used=fallback)


def _label(backend: Backend) -> str:
    return f"{backend.kind}/{backend.model}"


def _raise_if_retrying(exc: LLMError, backend: Backend, stage: Stage, retry_transient: bool) -> None:
    if retry_transient and exc.transient:
        logger.warning("%s: %s failed for now (%s); the stage will run again", stage, _label(backend), exc)
        raise TransientError(f"LLM {stage} stage ({_label(backend)})", f"{exc.outcome}: {exc.message}"[:300]) from exc


def _unavailable(backend: Backend, stage: Stage, retry_transient: bool = False) -> LLMCall | None:
    started = time.perf_counter()
    try:
        backend.check()
    except LLMUnavailable as exc:
        _raise_if_retrying(exc, backend, stage, retry_transient)
        logger.warning("%s: LLM unavailable, using the offline result: %s", stage, exc.message)
        return _call(backend, stage, started, f"unavailable: {exc.message}"[:300], fallback=True)
    return None


def _budget(backend: Backend, schema: dict[str, Any]) -> tuple[int, int]:
    """(completion tokens to ask for, prompt tokens that fit beside them)."""
    s = backend.settings
    max_tokens = min(s.max_tokens, max_json_bytes(schema) + 8)
    return max_tokens, s.context_tokens - max_tokens


# --------------------------------------------------------------------------------------------------
# intent
# --------------------------------------------------------------------------------------------------
def intent_request(offline: IntentResult, profile: DatasetProfile, backend: Backend) -> StageRequest:
    """The prompt and schema for the intent stage, fitted to the model's context."""
    priority = select_columns(profile, intent=offline, cap=backend.settings.max_columns)
    columns = columns_by_name(profile, priority)
    max_tokens, budget = _budget(backend, intent_schema(priority))
    messages, kept = fit_prompt(lambda cols, _detail: intent_messages(offline.question, cols), columns, priority,
                                budget=budget, details=(0,))
    names = [c.name for c in kept]
    schema = intent_schema(names)
    return StageRequest(messages, schema, names, min(max_tokens, max_json_bytes(schema) + 8))


def propose_intent(offline: IntentResult, profile: DatasetProfile, backend: Backend, *,
                   retry_transient: bool = False) -> IntentResult:
    """The offline intent, with the model's intent label when it gives a valid one. ``retry_transient``: a
    temporary failure (5xx, 429, timeout) raises ``TransientError`` instead of falling back (see ``ask``)."""
    if backend.kind == "offline":
        return offline
    down = _unavailable(backend, "intent", retry_transient)
    if down is not None:
        note = f"LLM unavailable; offline intent used: {down.outcome}"
        return offline.model_copy(update={"llm_calls": [down], "notes": [*offline.notes, note]})
    request = intent_request(offline, profile, backend)
    proposal, calls, _raw = ask(backend, "intent", request, parse_intent, retry_transient=retry_transient)
    if proposal is None:
        return offline.model_copy(update={"llm_calls": calls,
                                          "notes": [*offline.notes, "LLM answer unusable; offline intent used"]})
    columns, notes = ground_proposed_columns(proposal.columns, profile)
    notes.insert(0, f"intent from {_label(backend)}: {proposal.intent} ({proposal.confidence:.2f}); "
                    f"offline said {offline.intent} ({offline.confidence:.2f})")
    if columns:
        notes.append("model: the question is about " + ", ".join(repr(c) for c in columns))
    return offline.model_copy(update={
        "intent": proposal.intent, "confidence": round(proposal.confidence, 3), "source": "llm",
        "notes": [*offline.notes, *notes], "llm_calls": calls,
    })


def ground_proposed_columns(names: Sequence[str], profile: DatasetProfile) -> tuple[list[str], list[str]]:
    """Real column names for ``names``: kept, repaired to the closest column, or dropped — each noted."""
    kept: list[str] = []
    notes: list[str] = []
    for name in names:
        if profile.column(name) is not None:
            kept.append(name)
            continue
        repaired, score, method = best_column_for(name, profile)
        if repaired is not None and score >= DEFAULT_SETTINGS.min_score:
            kept.append(repaired)
            notes.append(f"model column {name!r} repaired to {repaired!r} ({method}, {score:.2f})")
        else:
            notes.append(f"model column {name!r} dropped: no such column")
    return list(dict.fromkeys(kept)), notes


# --------------------------------------------------------------------------------------------------
# plan adaptation
# --------------------------------------------------------------------------------------------------
def patch_request(intent: IntentResult, profile: DatasetProfile, steps: Sequence[ProposedStep],
                  backend: Backend) -> StageRequest:
    priority = select_columns(profile, intent=intent, steps=steps, cap=backend.settings.max_columns)
    columns = columns_by_name(profile, priority)
    max_tokens, budget = _budget(backend, patch_schema(columns, steps))
    def build(cols: list[ColumnProfile], detail: int) -> list[Message]:
        return patch_messages(intent.question, intent, cols, steps, detail=detail)

    messages, kept = fit_prompt(build, columns, priority, budget=budget,
                                min_columns=_question_columns(intent, profile))
    schema = patch_schema(kept, steps)
    return StageRequest(messages, schema, [c.name for c in kept], min(max_tokens, max_json_bytes(schema) + 8))


def _question_columns(intent: IntentResult, profile: DatasetProfile, cap: int = 6) -> int:
    """How many columns the prompt keeps however tight the context: those the question itself names."""
    named = {m.column for m in intent.matches if m.method != "value"}
    if intent.chart is not None:
        named |= {e.field for e in (intent.chart.x, intent.chart.y, intent.chart.color) if e is not None and e.field}
    return max(2, min(cap, len(named & set(profile.column_names))))


def propose_plan_patch(adapted: AdaptedPlan, intent: IntentResult, profile: DatasetProfile,
                       backend: Backend, *, retry_transient: bool = False) -> AdaptedPlan:
    """The offline adapted plan with the model's edits applied — those that survive validation.
    ``retry_transient`` as in ``propose_intent``."""
    if backend.kind == "offline":
        return adapted
    down = _unavailable(backend, "adapt", retry_transient)
    if down is not None:
        return adapted.model_copy(update={"llm_calls": [down]})
    request = patch_request(intent, profile, adapted.steps, backend)
    reply, calls, raw = ask(backend, "adapt", request, parse_patch, retry_transient=retry_transient)
    if reply is None:
        return adapted.model_copy(update={"llm_calls": calls, "llm_raw": raw})
    steps, changes = apply_patch(adapted.steps, reply, intent, profile)
    applied = sum(1 for c in changes if c.detail.startswith("llm:"))
    proposed = len(reply.ops) + len(reply.rejected)
    if proposed:
        calls[-1] = calls[-1].model_copy(update={"outcome": f"ok: {applied} of {proposed} edits applied"})
    return adapted.model_copy(update={"steps": steps, "changes": [*adapted.changes, *changes],
                                      "llm_raw": raw, "llm_calls": calls})


def apply_patch(steps: Sequence[ProposedStep], reply: PatchReply, intent: IntentResult,
                profile: DatasetProfile) -> tuple[list[ProposedStep], list[PlanChange]]:
    """Apply the valid edits; refuse the others with a reason. Column, tool and param names are not
    judged here: added steps go through ``validate_plan`` with the rest of the plan (repaired or dropped
    there, with the reason in the manifest)."""
    out = list(steps)
    changes: list[PlanChange] = []
    for index, raw, why in reply.rejected:
        op = raw.get("op") if isinstance(raw, dict) else None
        changes.append(PlanChange(op={"add": "add", "drop": "remove"}.get(op, "modify"),
                                  step=f"llm_op_{index + 1}", detail=f"rejected: {why}"[:300]))
    taken = {s.id for s in out}
    for n, op in enumerate(reply.ops, start=1):
        if isinstance(op, AddStep):
            step_id = _free_id(f"llm_{n}", taken)
            params = dict(op.params)
            if intent.filters and "filters" not in params:  # the question's filters apply to every step
                params["filters"] = [f.model_dump() for f in intent.filters]
            step = ProposedStep(id=step_id, tool=op.tool, params=params, title=op.title or None, origin="llm")
            out.append(step)
            changes.append(PlanChange(op="add", step=step_id, detail=f"llm: {op.tool} {_show(op.params)}"[:300]))
            continue
        target = next((s for s in out if s.id == op.step), None)
        if target is None:
            kind = "remove" if isinstance(op, DropStep) else "modify"
            changes.append(PlanChange(op=kind, step=op.step[:60], detail=f"rejected: no step {op.step!r} in the plan"))
        elif isinstance(op, DropStep):
            if target.origin == "question":
                changes.append(PlanChange(op="remove", step=target.id,
                                          detail="rejected: the step that answers the question stays"))
            else:
                out.remove(target)
                changes.append(PlanChange(op="remove", step=target.id, detail=f"llm: {op.reason or 'no reason given'}"))
        else:
            candidate = target.model_copy(update={"params": {**target.params, **op.params}})
            if candidate.params == target.params:
                changes.append(PlanChange(op="modify", step=target.id, detail="llm: no change"))
                continue
            check = validate_plan([candidate], profile)
            if check.dropped:
                changes.append(PlanChange(op="modify", step=target.id,
                                          detail=f"rejected: {check.dropped[0].reason}; step kept as it was"[:300]))
                continue
            out[out.index(target)] = candidate
            changes.append(PlanChange(op="modify", step=target.id, detail=f"llm: {_show(op.params)}"[:300]))
    return out, changes


def _free_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}_{n}"
    taken.add(candidate)
    return candidate


def _show(params: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in params.items() if k != "filters"}, ensure_ascii=False, default=str)


def stage_request(stage: Stage, question: str, profile: DatasetProfile, backend: Backend) -> StageRequest:
    """The request a stage would send for ``question`` (offline understanding and plan as its context)."""
    from ..planning import adapt_plan, select_plan
    from ..understanding import classify_intent

    intent = classify_intent(question, profile)
    if stage == "intent":
        return intent_request(intent, profile, backend)
    adapted = adapt_plan(select_plan(intent, profile), intent, profile)
    return patch_request(intent, profile, adapted.steps, backend)


__all__ = [
    "PatchReply", "ReplyError", "StageRequest", "apply_patch", "ask", "estimate_tokens", "extract_json",
    "ground_proposed_columns", "intent_request", "parse_intent", "parse_patch", "patch_request",
    "propose_intent", "propose_plan_patch", "stage_request",
]
