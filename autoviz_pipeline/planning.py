"""Stage 3: select the template for the intent, then adapt it to the question.

Templates (``config/templates/<intent>.yaml``) hold the context steps an analyst would add for an
intent; params may be ``auto:<kind>`` (``auto:numeric``, ``auto:group``, ``auto:temporal``, with an
optional ``:2`` for the second such column). Adapting puts the chart that answers the question first,
fills ``auto`` params from the question's own columns before falling back to the profile, carries the
question's filters into every step, and removes template steps that repeat the answer. Every change is
recorded in :class:`AdaptedPlan.changes`.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .contracts import AdaptedPlan, ChartSpec, DatasetProfile, IntentResult, Plan, PlanChange, ProposedStep
from .errors import PlanError
from .settings import config_dir
from .tools.registry import ColumnParam

logger = logging.getLogger(__name__)

AUTO = "auto:"


def templates_dir() -> Path:
    return config_dir() / "templates"


@lru_cache(maxsize=32)
def load_template(intent: str, directory: str | None = None) -> Plan:
    path = Path(directory) if directory else templates_dir()
    file = path / f"{intent}.yaml"
    if not file.is_file():
        file = path / "general_eda.yaml"
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
        steps = [ProposedStep(origin="template", **s) for s in raw["steps"]]
        return Plan(intent=raw.get("intent", intent), template=file.stem, steps=steps)
    except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise PlanError(f"template {file} is malformed: {exc}. Fix the YAML (see config/templates/*.yaml).") from exc


def select_plan(intent: IntentResult, profile: DatasetProfile) -> Plan:
    """The template for the intent (general_eda when there is none)."""
    return load_template(intent.intent)


def adapt_plan(plan: Plan, intent: IntentResult, profile: DatasetProfile) -> AdaptedPlan:
    """Offline adaptation: the answer first, ``auto`` params resolved, question filters carried."""
    changes: list[PlanChange] = []
    steps: list[ProposedStep] = []
    answer = answer_step(intent, profile)
    if answer is not None:
        steps.append(answer)
        changes.append(PlanChange(op="add", step=answer.id, detail=f"{answer.tool} answering the question"))
    focus = _focus(intent, profile)
    no_quantity = _unmatched_quantity(intent, profile)
    for step in plan.steps:
        if no_quantity and _asks(step.params, "numeric"):
            # "which machine leaks the most" on a table without leaks: no other quantity stands in for it
            changes.append(PlanChange(op="remove", step=step.id, detail=f"needs a quantity, and {no_quantity} "
                                                                         "matched no column"))
            continue
        params = {k: _resolve_auto(v, focus) for k, v in step.params.items()}
        if intent.filters and "filters" not in params:
            params["filters"] = [f.model_dump() for f in intent.filters]
        resolved = step.model_copy(update={"params": params})
        if answer is not None and _same_chart(resolved, answer):
            changes.append(PlanChange(op="remove", step=step.id, detail=f"repeats the answer ({answer.id})"))
            continue
        if params != step.params:
            detail = ", ".join(f"{k}={params[k]!r}" for k in params if params[k] != step.params.get(k))
            changes.append(PlanChange(op="modify", step=step.id, detail=detail))
        steps.append(resolved)
    return AdaptedPlan(before=plan, steps=steps, changes=changes)


# --------------------------------------------------------------------------------------------------
def answer_step(intent: IntentResult, profile: DatasetProfile) -> ProposedStep | None:
    """The step whose chart answers the question, from the understood chart spec."""
    chart = intent.chart
    if chart is None:
        return None
    if intent.intent == "anomaly_detection" and not intent.chart_words:
        column = (chart.y.field if chart.y and chart.y.field else None) or (
            chart.x.field if chart.x and chart.x.field and _fits("numeric", chart.x.field, profile) else None)
        if column and _fits("numeric", column, profile):
            temporal = profile.names_with_role("temporal")
            params: dict[str, Any] = {"column": column, "filters": _filters(chart)}
            if temporal:
                params["x"] = temporal[0]
            return ProposedStep(id="answer", tool="anomaly_detection", params=params, origin="question",
                            title=f"Unusual values of {column}")
    tool, params = chart_to_tool(chart)
    return ProposedStep(id="answer", tool=tool, params=params, origin="question")


def chart_to_tool(chart: ChartSpec) -> tuple[str, dict[str, Any]]:
    """Map a chart spec onto a registered tool and its params (None values left out)."""
    x, y, color = chart.x, chart.y, chart.color
    common = {"filters": _filters(chart)}
    if chart.mark == "bar" and x is not None and x.bin:
        return "histogram", _clean({"column": x.field, "bins": x.bin, "color": color.field if color else None, **common})
    if chart.mark in ("bar", "line", "area"):
        params = {
            "x": x.field if x else None,
            "y": y.field if y else None,
            "aggregate": y.aggregate if y else "count",
            "color": color.field if color else None,
            "time_unit": x.time_unit if x else None,
            "x_bin": x.bin if x else None,
            **common,
        }
        if chart.mark == "bar":
            params.update(sort=chart.sort, top_n=chart.limit, stacked=chart.stacked)
            return "bar_chart", _clean(params)
        params["area"] = chart.mark == "area"
        return "line_chart", _clean(params)
    if chart.mark == "point":
        size = chart.size
        return "scatter_plot", _clean({"x": x.field if x else None, "y": y.field if y else None,
                                       "color": color.field if color else None,
                                       "size": size.field if size else None,
                                       "size_aggregate": size.aggregate if size else None, **common})
    if chart.mark == "arc":
        return "pie_chart", _clean({"category": color.field if color else None, "value": y.field if y else None,
                                    "aggregate": y.aggregate if y else "count", "top_n": chart.limit, **common})
    if chart.mark == "rect":
        return "heatmap", _clean({"x": x.field if x else None, "y": y.field if y else None,
                                  "value": color.field if color else None,
                                  "aggregate": (color.aggregate if color else None) or "count",
                                  "x_bin": x.bin if x else None, "y_bin": y.bin if y else None,
                                  "time_unit": x.time_unit if x else None, **common})
    if chart.mark == "boxplot":
        return "box_plot", _clean({"column": y.field if y else None, "by": x.field if x else None,
                                   "time_unit": x.time_unit if x else None, **common})
    raise PlanError(f"no tool draws mark {chart.mark!r}")


def _filters(chart: ChartSpec) -> list[dict[str, Any]]:
    return [f.model_dump() for f in chart.filters]


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None and v != []}


def _fits(kind: str, column: str, profile: DatasetProfile) -> bool:
    col = profile.column(column)
    return col is not None and ColumnParam(kind).fits(col)  # type: ignore[arg-type]


def _focus(intent: IntentResult, profile: DatasetProfile) -> dict[str, list[str]]:
    """Columns per kind, the question's own first, then the profile's in a sensible order."""
    mentioned = [m.column for m in intent.matches if m.method != "value"]
    chart_fields: list[str] = []
    if intent.chart:
        for enc in (intent.chart.y, intent.chart.x, intent.chart.color):
            if enc is not None and enc.field:
                chart_fields.append(enc.field)
    ordered = list(dict.fromkeys(chart_fields + mentioned))
    by_variance = sorted(
        (c for c in profile.columns if c.role == "numeric" and c.distinct > 1),
        key=lambda c: -(c.count / max(profile.rows, 1)),
    )
    groups = sorted(
        (c for c in profile.columns if c.role in ("categorical", "boolean") and 1 < c.distinct <= 30),
        key=lambda c: (c.distinct > 12, c.distinct),
    )
    focus: dict[str, list[str]] = {}
    for kind, fallback in (
        ("numeric", [c.name for c in by_variance]),
        ("group", [c.name for c in groups]),
        ("temporal", profile.names_with_role("temporal")),
    ):
        from_question = [c for c in ordered if _fits(kind, c, profile)
                         and (kind != "group" or profile.column(c).role in ("categorical", "boolean"))]
        focus[kind] = list(dict.fromkeys(from_question + fallback))
    return focus


def _unmatched_quantity(intent: IntentResult, profile: DatasetProfile) -> str:
    """The question's words for what to measure that matched no column, when it named no other number."""
    if not intent.unmatched:
        return ""
    named = [m.column for m in intent.matches if m.method != "value"]
    if intent.chart is not None:
        named += [e.field for e in (intent.chart.x, intent.chart.y, intent.chart.color) if e is not None and e.field]
    if any(_fits("numeric", c, profile) for c in named):
        return ""
    return ", ".join(repr(w) for w in intent.unmatched)


def _asks(value: Any, kind: str) -> bool:
    if isinstance(value, dict):
        return any(_asks(v, kind) for v in value.values())
    if isinstance(value, list):
        return any(_asks(v, kind) for v in value)
    return isinstance(value, str) and value.startswith(f"{AUTO}{kind}")


def _resolve_auto(value: Any, focus: dict[str, list[str]]) -> Any:
    if isinstance(value, list):
        return [_resolve_auto(v, focus) for v in value]
    if not (isinstance(value, str) and value.startswith(AUTO)):
        return value
    parts = value[len(AUTO):].split(":")
    kind, index = parts[0], int(parts[1]) - 1 if len(parts) > 1 else 0
    candidates = focus.get(kind, [])
    return candidates[index] if index < len(candidates) else value  # unresolved: validation drops the step


def _same_chart(step: ProposedStep, answer: ProposedStep) -> bool:
    if step.tool != answer.tool:
        return False
    keys = {"x", "y", "column", "category", "by", "color", "value"}
    return {k: step.params.get(k) for k in keys} == {k: answer.params.get(k) for k in keys}
