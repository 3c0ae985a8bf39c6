"""The tool registry: every chart and table the planner may call, looked up by name.

``PlanStep`` is the tagged union of one step model per tool (tag: ``tool``, params: that tool's params model),
the type of every validated plan step; ``plan_step`` builds one.

``TOOLS`` is read-only (a ``MappingProxyType``) so no stage can register or swap a tool at run time; the
LLM schema builder enumerates its keys, and ``get_tool`` turns an unknown name into an
``UnknownToolError`` that lists the real ones, which repair and the LLM re-ask can quote.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from pydantic import TypeAdapter

from ..contracts import ToolStep
from .anomaly import ANOMALY_TOOL
from .charts import CHART_TOOLS
from .frame import apply_filters
from .registry import ToolParams, ToolSpec, UnknownToolError, step_models, step_union
from .tables import TABLE_TOOLS

TOOLS: Mapping[str, ToolSpec] = MappingProxyType(
    {tool.name: tool for tool in (*CHART_TOOLS, ANOMALY_TOOL, *TABLE_TOOLS)}
)

STEP_MODELS = step_models(TOOLS.values())
PlanStep = step_union(STEP_MODELS)
_STEP = TypeAdapter(PlanStep)


def plan_step(*, id: str, tool: str, params: ToolParams, title: str | None = None,  # noqa: A002
              origin: str = "template") -> ToolStep:
    """A validated ``PlanStep``: ``params`` must be the model of ``tool`` (a dict or another tool's is refused)."""
    return _STEP.validate_python({"id": id, "tool": tool, "params": params, "title": title, "origin": origin})


def get_tool(name: str) -> ToolSpec:
    """The tool called ``name``; an unknown name raises ``UnknownToolError`` listing the registered ones."""
    try:
        return TOOLS[name]
    except KeyError:
        raise UnknownToolError(name, sorted(TOOLS)) from None


__all__ = ["STEP_MODELS", "TOOLS", "PlanStep", "ToolSpec", "UnknownToolError", "apply_filters", "get_tool",
           "plan_step"]
