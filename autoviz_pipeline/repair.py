"""Stage 4: validate every step against the profile and the tool registry; repair or drop, never crash.

Whoever proposed a step (the question parser, a template, an LLM), its params are untrusted here:
- an unknown tool is mapped to a registered one by a close name, else the step is dropped;
- an unknown param is removed (logged);
- a column name that does not exist is repaired to the column it most likely means (exact, case,
  stem, synonym, fuzzy — score and method logged), among the columns whose role fits the param;
  below the threshold the step is dropped (a required param) or the param removed (an optional one);
- a column whose role does not fit the param drops the step with the reason;
- finally the tool's params model validates types and bounds, once; a failure drops the step with the message.

What comes in is a :class:`ProposedStep` (params as proposed); what goes out is a typed ``PlanStep``, whose
params are the tool's own model, handed to the tool as they are.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from .contracts import DatasetProfile, DroppedStep, FilterSpec, PlanStep, ProposedStep, Repair, ValidatedPlan
from .understanding.grounding import best_column_for
from .understanding.settings import DEFAULT_SETTINGS, MatchSettings
from .tools import TOOLS, plan_step
from .tools.registry import ColumnParam, ToolSpec, column_params

logger = logging.getLogger(__name__)

TOOL_NAME_CUTOFF = 0.75


class _StepDropped(Exception):
    pass


def validate_plan(
    steps: Sequence[ProposedStep], profile: DatasetProfile, *, settings: MatchSettings = DEFAULT_SETTINGS,
    max_steps: int | None = None,
) -> ValidatedPlan:
    repairs: list[Repair] = []
    dropped: list[DroppedStep] = []
    valid: list[PlanStep] = []
    seen: set[str] = set()
    for step in steps:
        try:
            fixed = validate_step(step, profile, repairs=repairs, settings=settings)
        except _StepDropped as exc:
            dropped.append(DroppedStep(step=step.id, tool=step.tool, reason=str(exc)))
            logger.info("dropped step %s (%s): %s", step.id, step.tool, exc)
            continue
        key = fixed.tool + fixed.params.model_dump_json()
        if key in seen:
            dropped.append(DroppedStep(step=step.id, tool=step.tool, reason="same tool and params as an earlier step"))
            continue
        if max_steps is not None and len(valid) >= max_steps:
            dropped.append(DroppedStep(step=step.id, tool=step.tool, reason=f"over the limit of {max_steps} steps"))
            continue
        seen.add(key)
        valid.append(fixed)
    return ValidatedPlan(steps=_unique_ids(valid), repairs=repairs, dropped=dropped)


def validate_step(step: ProposedStep, profile: DatasetProfile, *, repairs: list[Repair],
                  settings: MatchSettings = DEFAULT_SETTINGS) -> PlanStep:
    spec = _tool(step, repairs)
    model = spec.params
    params: dict[str, Any] = {}
    for name, value in step.params.items():
        if name not in model.model_fields:
            close = difflib.get_close_matches(name, list(model.model_fields), n=1, cutoff=0.8)
            if close and close[0] not in step.params:
                repairs.append(Repair(step=step.id, param=name, original=name, repaired=close[0],
                                      score=_ratio(name, close[0]), method="param_name"))
                params[close[0]] = value
            else:
                repairs.append(Repair(step=step.id, param=name, original=value, repaired=None, score=0.0,
                                      method="removed_unknown_param"))
            continue
        params[name] = value
    columns = column_params(model)
    for name, (kind, is_list) in columns.items():
        if name not in params or params[name] is None:
            continue
        required = model.model_fields[name].is_required()
        if is_list:
            values = params[name] if isinstance(params[name], list) else [params[name]]
            fixed = []
            for v in values:
                col = _column(step, name, v, kind, profile, repairs, settings, required=False)
                if col is not None:
                    fixed.append(col)
            if not fixed and values:
                if required:
                    raise _StepDropped(f"{name}: none of {values!r} is a usable column")
                params.pop(name)
            else:
                params[name] = list(dict.fromkeys(fixed))
        else:
            col = _column(step, name, params[name], kind, profile, repairs, settings, required=required)
            if col is None:
                repairs.append(Repair(step=step.id, param=name, original=params.pop(name), repaired=None, score=0.0,
                                      method="removed_optional_param"))
            else:
                params[name] = col
    if "filters" in params:
        params["filters"] = _filters(step, params["filters"], profile, repairs, settings)
    try:
        validated = model.model_validate(params)
    except ValidationError as exc:
        raise _StepDropped(f"invalid params for {spec.name}: {_short_errors(exc)}") from None
    if spec.precheck is not None and (reason := spec.precheck(validated, profile)):
        raise _StepDropped(reason)
    return plan_step(id=step.id, tool=spec.name, params=validated, title=step.title, origin=step.origin)


def _tool(step: ProposedStep, repairs: list[Repair]) -> ToolSpec:
    if step.tool in TOOLS:
        return TOOLS[step.tool]
    normalized = step.tool.strip().lower().replace(" ", "_").replace("-", "_")
    by_kind = {_tool_kind(name): name for name in TOOLS}
    close = [by_kind[_tool_kind(normalized)]] if _tool_kind(normalized) in by_kind else difflib.get_close_matches(
        normalized, list(TOOLS), n=1, cutoff=TOOL_NAME_CUTOFF)
    if not close:
        raise _StepDropped(f"unknown tool {step.tool!r} (registered: {', '.join(sorted(TOOLS))})")
    repairs.append(Repair(step=step.id, param="tool", original=step.tool, repaired=close[0],
                          score=_ratio(normalized, close[0]), method="tool_name"))
    return TOOLS[close[0]]


def _tool_kind(name: str) -> str:
    """'bar_graph', 'bar chart', 'barplot' → 'bar': the words that name a chart, not which chart, dropped."""
    return re.sub(r"_?(chart|graph|plot|diagram|table)s?$", "", name).strip("_")


def _column(step: ProposedStep, param: str, value: Any, kind: ColumnParam, profile: DatasetProfile,
            repairs: list[Repair], settings: MatchSettings, *, required: bool) -> str | None:
    """The column to use for ``value``, repaired if needed; None removes an optional param."""
    if not isinstance(value, str) or not value.strip():
        return _fail(step, param, f"{value!r} is not a column name", required)
    if value.startswith("auto:"):
        return _fail(step, param, f"no {value[5:].split(':')[0]} column available in the data", required)
    col = profile.column(value)
    if col is None:
        fitting = [c.name for c in profile.columns if kind.fits(c)]
        name, score, method = best_column_for(value, profile, settings=settings, candidates=fitting)
        if name is None or score < settings.min_score:
            any_name, any_score, _ = best_column_for(value, profile, settings=settings)
            extra = f"; closest column {any_name!r} does not fit ({kind.kind})" if any_name and any_score >= settings.min_score else ""
            return _fail(step, param, f"column {value!r} does not exist{extra}", required)
        repairs.append(Repair(step=step.id, param=param, original=value, repaired=name, score=round(score, 3),
                              method=method))
        logger.info("step %s: %s %r → %r (%s %.2f)", step.id, param, value, name, method, score)
        return name
    if not kind.fits(col):
        return _fail(step, param, f"column {value!r} is {col.role}, but {param} needs a {kind.kind} column", required)
    return value


def _fail(step: ProposedStep, param: str, reason: str, required: bool) -> None:
    if required:
        raise _StepDropped(f"{param}: {reason}")
    logger.info("step %s: optional param %s removed: %s", step.id, param, reason)
    return None


def _filters(step: ProposedStep, raw: Any, profile: DatasetProfile, repairs: list[Repair],
             settings: MatchSettings) -> list[FilterSpec]:
    out = []
    for item in raw if isinstance(raw, list) else []:
        try:
            f = FilterSpec.model_validate(item)
        except ValidationError as exc:
            repairs.append(Repair(step=step.id, param="filters", original=item, repaired=None, score=0.0,
                                  method=f"removed_invalid_filter: {_short_errors(exc)}"))
            continue
        column = _column(step, "filters", f.column, ColumnParam("any"), profile, repairs, settings, required=False)
        if column is None:
            repairs.append(Repair(step=step.id, param="filters", original=f.model_dump(), repaired=None, score=0.0,
                                  method="removed_filter_unknown_column"))
            continue
        out.append(f.model_copy(update={"column": column}))
    return out


def _unique_ids(steps: list[PlanStep]) -> list[PlanStep]:
    seen: dict[str, int] = {}
    out = []
    for step in steps:
        n = seen.get(step.id, 0)
        seen[step.id] = n + 1
        out.append(step if n == 0 else step.model_copy(update={"id": f"{step.id}_{n + 1}"}))
    return out


def _ratio(a: str, b: str) -> float:
    return round(difflib.SequenceMatcher(None, a, b).ratio(), 3)


def _short_errors(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3])
