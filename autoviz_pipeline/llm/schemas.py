"""Per-dataset JSON schemas: what a model may answer, narrowed to this CSV's real columns.

Built from the profile and the tool registry (``tools.TOOLS`` param models, ``column_params`` and
``ColumnParam.fits``), so a column param's enum holds only the columns whose role fits it, a tool that
no column fits is not offered, and ``modify`` may only name steps that exist. A server that enforces the
schema (vLLM structured outputs with xgrammar, llama.cpp) then cannot emit a column that is not in the
CSV; a server that does not is caught by validation afterwards, the same way.

Only keywords that vLLM's xgrammar backend accepts are used (``ALLOWED_KEYWORDS``): no ``$ref``,
``pattern``, ``format``, ``uniqueItems``, descriptions or titles. Numbers are always bounded and strings
always have a ``maxLength``, so even a random-weight model under the grammar stops in a few hundred
characters.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel

from ..contracts import (
    INTENTS,
    AddStep,
    ColumnProfile,
    DatasetProfile,
    DropStep,
    IntentProposal,
    IntentResult,
    PlanPatch,
    ProposedStep,
)
from ..tools import TOOLS
from ..tools.registry import column_params

ALLOWED_KEYWORDS = frozenset({
    "type", "enum", "const", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
    "minimum", "maximum", "maxLength", "anyOf", "oneOf",
})
MAX_LIST_COLUMNS = 5      # a list-of-columns param (group_by, columns) offers at most this many items
class SchemaError(ValueError):
    """A schema could not be built (a bug, not a data problem: datasets without fitting columns are handled)."""


DEFAULT_INT_RANGE = (0, 10_000)
DEFAULT_NUMBER_RANGE = (-1_000_000, 1_000_000)


def _max_len(model: type[BaseModel], field: str) -> int:
    """The ``max_length`` declared on a contract field, so the schema and the validation never disagree."""
    for m in model.model_fields[field].metadata:
        if isinstance(m, at.MaxLen):
            return m.max_length
    raise SchemaError(f"{model.__name__}.{field} needs a max_length")


PROPOSAL_COLUMNS = _max_len(IntentProposal, "columns")
TITLE_CHARS = _max_len(AddStep, "title")
REASON_CHARS = _max_len(DropStep, "reason")
RATIONALE_CHARS = _max_len(PlanPatch, "rationale")
MAX_OPS = _max_len(PlanPatch, "ops")


# --------------------------------------------------------------------------------------------------
# which columns go into the prompt and the schema
# --------------------------------------------------------------------------------------------------
def select_columns(profile: DatasetProfile, *, intent: IntentResult | None = None,
                   steps: Sequence[ProposedStep] = (), cap: int = 24) -> list[str]:
    """Up to ``cap`` column names, most relevant first.

    Priority: the columns of the question's chart, then the columns it mentions or filters on, then the
    columns the plan already uses, then the rest round-robin over numeric / group / temporal so every
    kind of param has candidates. A 1,000-column table therefore reaches the model as its relevant dozen.
    """
    names = set(profile.column_names)
    ordered: list[str] = []
    if intent is not None:
        if intent.chart is not None:
            for enc in (intent.chart.x, intent.chart.y, intent.chart.color):
                if enc is not None and enc.field:
                    ordered.append(enc.field)
        ordered += [m.column for m in intent.matches]
        ordered += [f.column for f in intent.filters]
    for step in steps:
        ordered += [v for v in _column_values(step) if v in names]
    ordered = [c for c in dict.fromkeys(ordered) if c in names]
    if len(ordered) < cap:
        ordered += [c for c in _round_robin(profile) if c not in ordered]
    return ordered[:cap]


def _column_values(step: ProposedStep) -> Iterable[str]:
    spec = TOOLS.get(step.tool)
    if spec is None:
        return
    for name in column_params(spec.params):
        value = step.params.get(name)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str):
                yield v


def _round_robin(profile: DatasetProfile) -> list[str]:
    numeric = sorted((c for c in profile.columns if c.role == "numeric" and c.distinct > 1),
                     key=lambda c: -(c.count / max(profile.rows, 1)))
    groups = sorted((c for c in profile.columns if c.role in ("categorical", "boolean") and c.distinct > 1),
                    key=lambda c: (c.distinct > 30, c.distinct))
    temporal = [c for c in profile.columns if c.role == "temporal"]
    queues = [list(numeric), list(groups), list(temporal)]
    out: list[str] = []
    while any(queues):
        for queue in queues:
            if queue:
                out.append(queue.pop(0).name)
    seen = set(out)
    return out + [c.name for c in profile.columns if c.name not in seen]


def columns_by_name(profile: DatasetProfile, names: Iterable[str]) -> list[ColumnProfile]:
    """The profiles of ``names``, in the CSV's column order."""
    wanted = set(names)
    return [c for c in profile.columns if c.name in wanted]


# --------------------------------------------------------------------------------------------------
# the intent schema
# --------------------------------------------------------------------------------------------------
def intent_schema(columns: Sequence[str]) -> dict[str, Any]:
    """``IntentProposal`` for one dataset: an intent of ``INTENTS``, a bounded confidence, real columns."""
    return _object({
        "intent": {"type": "string", "enum": list(INTENTS)},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "columns": _column_array(list(dict.fromkeys(columns)), min_items=0, max_items=PROPOSAL_COLUMNS),
    }, required=["intent", "confidence", "columns"])


# --------------------------------------------------------------------------------------------------
# the plan patch schema
# --------------------------------------------------------------------------------------------------
def params_schema(tool: str, columns: Sequence[ColumnProfile], *, partial: bool = False) -> dict[str, Any] | None:
    """The params object of ``tool`` for these columns; None when a required column param has no fitting column.

    ``partial`` (for ``modify``): every param optional. Row filters are left out: they come from the
    question parser and are carried into every step by the code, never chosen by the model.
    """
    spec = TOOLS[tool]
    model: type[BaseModel] = spec.params
    col_params = column_params(model)
    props: dict[str, Any] = {}
    required: list[str] = []
    for name, info in model.model_fields.items():
        if name == "filters":
            continue
        is_required = info.is_required() and not partial
        if name in col_params:
            kind, is_list = col_params[name]
            fitting = [c.name for c in columns if kind.fits(c)]
            if not fitting:
                if is_required:
                    return None
                continue
            if is_list:
                min_len, max_len = _length_bounds(info.metadata)
                min_items = max(min_len or 0, 1 if is_required else 0)
                max_items = min(max_len or MAX_LIST_COLUMNS, MAX_LIST_COLUMNS, len(fitting))
                if min_items > max_items:
                    if is_required:
                        return None
                    continue
                props[name] = _column_array(fitting, min_items=min_items, max_items=max_items)
            else:
                props[name] = {"type": "string", "enum": fitting}
        else:
            props[name] = value_schema(info.annotation, info.metadata)
        if is_required:
            required.append(name)
    return _object(props, required=required)


def patch_schema(columns: Sequence[ColumnProfile], steps: Sequence[ProposedStep]) -> dict[str, Any]:
    """``PlanPatch`` for one dataset and plan: ``add`` a registered tool with fitting columns, ``drop`` a
    step of the plan (not the answer), ``modify`` a step's params; ``anyOf`` branches told apart by
    ``const`` values of ``op`` and ``tool``/``step``."""
    branches: list[dict[str, Any]] = []
    for tool in TOOLS:
        params = params_schema(tool, columns)
        if params is None:
            continue
        branches.append(_object({
            "op": {"type": "string", "const": "add"},
            "tool": {"type": "string", "const": tool},
            "params": params,
            "title": {"type": "string", "maxLength": TITLE_CHARS},
        }, required=["op", "tool", "params", "title"]))
    droppable = [s.id for s in steps if s.origin != "question"]
    if droppable:
        branches.append(_object({
            "op": {"type": "string", "const": "drop"},
            "step": {"type": "string", "enum": droppable},
            "reason": {"type": "string", "maxLength": REASON_CHARS},
        }, required=["op", "step", "reason"]))
    for step in steps:
        if step.tool not in TOOLS:
            continue
        params = params_schema(step.tool, columns, partial=True)
        if params is None or not params["properties"]:
            continue
        branches.append(_object({
            "op": {"type": "string", "const": "modify"},
            "step": {"type": "string", "const": step.id},
            "params": params,
        }, required=["op", "step", "params"]))
    ops: dict[str, Any] = {"type": "array", "maxItems": MAX_OPS}
    if branches:
        ops["items"] = {"anyOf": branches}
    else:
        ops["maxItems"] = 0
    rationale = {"type": "string", "maxLength": RATIONALE_CHARS}
    return _object({"ops": ops, "rationale": rationale}, required=["ops", "rationale"])


# --------------------------------------------------------------------------------------------------
def _object(props: dict[str, Any], *, required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": required, "additionalProperties": False}


def _column_array(names: list[str], *, min_items: int, max_items: int) -> dict[str, Any]:
    if not names or max_items == 0:
        return {"type": "array", "maxItems": 0}  # xgrammar rejects an empty enum
    schema: dict[str, Any] = {"type": "array", "items": {"type": "string", "enum": names}, "maxItems": max_items}
    if min_items:
        schema["minItems"] = min_items
    return schema


def _length_bounds(metadata: Sequence[Any]) -> tuple[int | None, int | None]:
    lo = hi = None
    for m in metadata:
        if isinstance(m, at.MinLen):
            lo = m.min_length
        elif isinstance(m, at.MaxLen):
            hi = m.max_length
    return lo, hi


def value_schema(annotation: Any, metadata: Sequence[Any]) -> dict[str, Any]:
    """JSON schema of a non-column param: Literal → enum, bool, bounded int/number, short string."""
    args = [a for a in get_args(annotation) if a is not type(None)] if get_origin(annotation) is not Literal else []
    base = args[0] if len(args) == 1 else annotation
    if get_origin(base) is Literal:
        return {"type": "string", "enum": [str(v) for v in get_args(base)]}
    if base is bool:
        return {"type": "boolean"}
    if base is int:
        lo, hi = _bounds(metadata, DEFAULT_INT_RANGE, integer=True)
        return {"type": "integer", "minimum": lo, "maximum": hi}
    if base is float:
        lo, hi = _bounds(metadata, DEFAULT_NUMBER_RANGE, integer=False)
        return {"type": "number", "minimum": lo, "maximum": hi}
    if base is str:
        return {"type": "string", "maxLength": 60}
    raise SchemaError(f"no JSON schema mapping for param type {annotation!r}; add one in llm/schemas.py")


def _bounds(metadata: Sequence[Any], default: tuple[float, float], *, integer: bool) -> tuple[float, float]:
    lo, hi = default
    step = 1 if integer else 0.001  # exclusive bounds become inclusive ones just inside
    for m in metadata:
        if isinstance(m, at.Ge):
            lo = m.ge
        elif isinstance(m, at.Gt):
            lo = m.gt + step
        elif isinstance(m, at.Le):
            hi = m.le
        elif isinstance(m, at.Lt):
            hi = m.lt - step
    return lo, hi


def schema_keywords(schema: Any) -> set[str]:
    """Every JSON-schema keyword used in ``schema`` (property names under ``properties`` are not keywords)."""
    found: set[str] = set()
    if isinstance(schema, Mapping):
        for key, value in schema.items():
            found.add(key)
            if key == "properties":
                for sub in value.values():
                    found |= schema_keywords(sub)
            elif key in ("items", "additionalProperties") and isinstance(value, Mapping):
                found |= schema_keywords(value)
            elif key in ("anyOf", "oneOf"):
                for sub in value:
                    found |= schema_keywords(sub)
    return found


def max_json_bytes(schema: Mapping[str, Any]) -> int:
    """An upper bound on the UTF-8 bytes of compact JSON that ``schema`` allows.

    Every token covers at least one byte, so this also bounds the completion tokens a grammar-constrained
    answer can need: a ``max_tokens`` at least this large can never cut a constrained answer short.
    Strings count 6 bytes a character (a ``\\uXXXX`` escape is the longest form).
    """
    if "const" in schema:
        return len(json.dumps(schema["const"], ensure_ascii=False).encode("utf-8"))
    if "enum" in schema:
        return max(len(json.dumps(v, ensure_ascii=False).encode("utf-8")) for v in schema["enum"])
    if "anyOf" in schema or "oneOf" in schema:
        return max(max_json_bytes(s) for s in schema.get("anyOf") or schema["oneOf"])
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        body = sum(len(json.dumps(k).encode("utf-8")) + 1 + max_json_bytes(v) for k, v in props.items())
        return 2 + body + max(len(props) - 1, 0)
    if kind == "array":
        n = schema.get("maxItems", 0)
        item = max_json_bytes(schema["items"]) if n and "items" in schema else 0
        return 2 + n * item + max(n - 1, 0)
    if kind == "string":
        return 2 + 6 * schema.get("maxLength", 0)
    if kind == "boolean":
        return 5
    if kind == "integer":
        return max(len(str(int(schema["minimum"]))), len(str(int(schema["maximum"]))))
    if kind == "number":  # xgrammar: bounded numbers have at most 6 fractional digits, no exponent
        return max(len(str(int(schema["minimum"]))), len(str(int(schema["maximum"])))) + 7
    raise SchemaError(f"cannot bound the size of {schema!r}")
