"""The tool registry: every chart and table the planner may call, looked up by name.

``TOOLS`` is read-only (a ``MappingProxyType``) so no stage can register or swap a tool at run time; the
LLM schema builder enumerates its keys, and ``get_tool`` turns an unknown name into an
``UnknownToolError`` that lists the real ones, which repair and the LLM re-ask can quote.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .anomaly import ANOMALY_TOOL
from .charts import CHART_TOOLS
from .frame import apply_filters
from .registry import ToolSpec, UnknownToolError
from .tables import TABLE_TOOLS

TOOLS: Mapping[str, ToolSpec] = MappingProxyType(
    {tool.name: tool for tool in (*CHART_TOOLS, ANOMALY_TOOL, *TABLE_TOOLS)}
)


def get_tool(name: str) -> ToolSpec:
    """The tool called ``name``; an unknown name raises ``UnknownToolError`` listing the registered ones."""
    try:
        return TOOLS[name]
    except KeyError:
        raise UnknownToolError(name, sorted(TOOLS)) from None


__all__ = ["TOOLS", "ToolSpec", "UnknownToolError", "apply_filters", "get_tool"]
