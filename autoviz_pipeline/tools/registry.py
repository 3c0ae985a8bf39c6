"""The tool registry: typed params, a run function and, per chart, its inline Vega-Lite spec without drawing.

A tool never touches files or pyplot's global state: ``run`` returns a :class:`ToolOutput` holding a
matplotlib ``Figure`` and/or a table, and ``execution.execute_plan`` writes PNG, SVG, spec and CSV in one
place. Column params are annotated with :class:`ColumnParam`, which says which kind of column fits;
``repair`` reads that to validate and repair names, and the LLM schema builder reads it to build enums.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, create_model

from ..contracts import ColumnProfile, DatasetProfile, FilterSpec, Origin, ToolStep
from .caps import bounded_table

ColumnKind = Literal["numeric", "group", "temporal", "any"]
MAX_TEXT_GROUPS = 1000  # tools show the top categories and say so


@dataclass(frozen=True)
class ColumnParam:
    """Marks a param as naming a column, and which kind of column fits it.

    - ``numeric``: numbers (numeric role, or an identifier/boolean column stored as numbers)
    - ``group``: anything that can be a category axis (categorical, boolean, identifier, temporal, numeric)
    - ``temporal``: dates and times
    - ``any``: any column
    """

    kind: ColumnKind

    def fits(self, col: ColumnProfile) -> bool:
        if self.kind == "any":
            return True
        if self.kind == "numeric":
            return col.role == "numeric" or (col.role in ("identifier", "boolean") and _is_numeric_dtype(col.dtype))
        if self.kind == "temporal":
            return col.role == "temporal"
        # group: a text column with many long values makes a useless axis; a few distinct texts are fine
        return col.role != "text" or col.distinct <= MAX_TEXT_GROUPS


def _is_numeric_dtype(dtype: str) -> bool:
    return dtype.startswith(("int", "uint", "float", "Int", "UInt", "Float"))


NumericCol = Annotated[str, ColumnParam("numeric")]
GroupCol = Annotated[str, ColumnParam("group")]
TemporalCol = Annotated[str, ColumnParam("temporal")]
AnyCol = Annotated[str, ColumnParam("any")]


class ToolParams(BaseModel):
    """Base of every tool's params. Every tool accepts row filters, applied before it runs."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    filters: list[FilterSpec] = Field(default_factory=list, description="row filters applied first")


@dataclass
class ToolOutput:
    """What a tool returns; execution writes it to disk. A table whose CSV would outgrow
    ``CAPS.table_csv_bytes`` keeps its first rows, and a note says so."""

    title: str
    finding: str
    figure: Any = None  # matplotlib.figure.Figure
    table: pd.DataFrame | None = None
    spec: dict[str, Any] | None = None  # Vega-Lite, with inline data values
    notes: list[str] = field(default_factory=list)
    chart: Any = None  # chartdata.ChartData: what the figure and the spec were both drawn from

    def __post_init__(self) -> None:
        if self.table is not None:
            self.table, note = bounded_table(self.table)
            if note:
                self.notes.append(note)


@dataclass(frozen=True)
class ToolSpec:
    name: str
    kind: Literal["chart", "table"]
    description: str
    params: type[ToolParams]
    run: Callable[[Any, pd.DataFrame, DatasetProfile], ToolOutput]
    # a chart's Vega-Lite spec with its data inline, as ``run`` computes it from these rows, without drawing the
    # figure: what ``autoviz chart`` and ``api.primary_chart`` return
    chart_spec: Callable[[Any, pd.DataFrame, DatasetProfile], dict[str, Any]] | None = None
    # why this step cannot run on this data at all (None: it can); validation drops it with the reason,
    # instead of planning a step that is sure to fail
    precheck: Callable[[Any, DatasetProfile], str | None] | None = None


def column_params(model: type[BaseModel]) -> dict[str, tuple[ColumnParam, bool]]:
    """``{param: (ColumnParam, is_list)}`` for every column-naming field of a params model."""
    out: dict[str, tuple[ColumnParam, bool]] = {}
    for name, info in model.model_fields.items():
        for meta in info.metadata:
            if isinstance(meta, ColumnParam):
                out[name] = (meta, False)
        ann = info.annotation
        for candidate in _unwrap_optional(ann):
            if get_origin(candidate) is list:
                (item,) = get_args(candidate) or (None,)
                for meta in getattr(item, "__metadata__", ()):
                    if isinstance(meta, ColumnParam):
                        out[name] = (meta, True)
            for meta in getattr(candidate, "__metadata__", ()):
                if isinstance(meta, ColumnParam):
                    out[name] = (meta, False)
    return out


def _unwrap_optional(ann: Any) -> list[Any]:
    args = get_args(ann)
    if args and type(None) in args:
        return [a for a in args if a is not type(None)]
    return [ann]


class UnknownToolError(KeyError):
    def __init__(self, name: str, known: list[str]) -> None:
        self.name, self.known = name, tuple(known)
        super().__init__(f"Unknown tool {name!r}; registered tools: {', '.join(known)}")


def step_models(tools: Iterable[ToolSpec]) -> tuple[type[ToolStep], ...]:
    """One validated-step model per tool: ``{id, tool, params, title, origin}`` (the order the manifest shows),
    where ``tool`` is the tool's name as a literal, the tag of the ``PlanStep`` union, and ``params`` its model."""
    return tuple(
        create_model(
            "".join(part.title() for part in tool.name.split("_")) + "Step",
            __base__=ToolStep,
            __module__=__name__,
            id=(str, ...),
            tool=(Literal[tool.name], ...),  # type: ignore[valid-type]
            params=(tool.params, ...),
            title=(str | None, None),
            origin=(Origin, "template"),
        )
        for tool in tools
    )


def step_union(models: tuple[type[ToolStep], ...]) -> Any:
    """The tagged union of ``models``, told apart by their ``tool``."""
    return Annotated[Union[models], Field(discriminator="tool")]  # noqa: UP007 - a tuple of types, built at run time
