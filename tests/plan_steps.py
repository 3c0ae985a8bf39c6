"""Validated plan steps for tests: the tool's params model built from keyword arguments (a dict is refused)."""

from autoviz_pipeline.contracts import ToolStep
from autoviz_pipeline.tools import get_tool, plan_step


def typed_step(id: str, tool: str, *, title: str | None = None, origin: str = "template",  # noqa: A002
               **params) -> ToolStep:
    return plan_step(id=id, tool=tool, params=get_tool(tool).params(**params), title=title, origin=origin)
