"""heatmap: a measure for every combination of two categories, and the grid drawing it shares with the
correlation heatmap.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from pydantic import Field

from ...contracts import Aggregate, DatasetProfile, TimeUnit
from .. import vega
from ..chartdata import ChartData, Gradient, explicit_sort, inline_spec
from ..frame import aggregate_values, group_keys, measure_totals, numeric_values, require_columns
from ..registry import GroupCol, NumericCol, ToolOutput, ToolParams
from .bar import BAR_AUTO_DATES
from .figures import FIGSIZE, NO_ROWS_LEFT, category_axis, chart_output, finish_axes, new_figure
from .labels import NUMBER_FORMATTER, axis_title, format_number, key_label, safe_text
from .measures import (
    Measure,
    axis_channel,
    bin_frame,
    distinct_columns,
    in_drawing_order,
    key_frame,
    measure_encoding,
    resolve_measure,
    role_of,
    select_categories,
)


class HeatmapParams(ToolParams):
    """A grid of two categories coloured by a measure: how often, or how much, each combination occurs."""

    x: GroupCol = Field(description="Category for the columns of the grid.")
    y: GroupCol = Field(description="Category for the rows of the grid.")
    value: NumericCol | None = Field(
        None, description="Numeric column to aggregate per cell; leave empty to count rows."
    )
    aggregate: Aggregate = Field("count", description="How to combine value per cell ('count' counts rows).")
    x_bin: int | None = Field(None, ge=2, le=100, description="Bin a numeric x into at most this many ranges.")
    y_bin: int | None = Field(None, ge=2, le=100, description="Bin a numeric y into at most this many ranges.")
    time_unit: TimeUnit | None = Field(None, description="Group a date x by this period.")


def _heatmap_spec(
    params: HeatmapParams,
    profile: DatasetProfile,
    *,
    measure: Measure,
    x: tuple[str, TimeUnit | None],
    y: tuple[str, TimeUnit | None],
) -> dict[str, Any]:
    """``x``/``y`` are (axis kind, time unit) pairs, from the grouped data."""
    encoding = {
        "x": axis_channel(params.x, x[0], profile, bins=params.x_bin, time_unit=x[1], discrete=True),
        "y": axis_channel(params.y, y[0], profile, bins=params.y_bin, time_unit=y[1], discrete=True),
        "color": measure_encoding(measure),
    }
    return vega.build_spec(title=f"{measure.label} by {params.x} and {params.y}", mark="rect", encoding=encoding,
                           filters=params.filters, profile=profile)


def _heatmap_measure(params: HeatmapParams) -> tuple[Measure, list[str]]:
    return resolve_measure(params.value, params.aggregate, duplicates=True, taken=[params.x, params.y])


@dataclass(kw_only=True)
class HeatmapData(ChartData):
    """A grid of cells: ``grid[i, j]`` is the measure at the i-th row from the top and the j-th column from the
    left (``order``), coloured by ``gradient``."""

    grid: np.ndarray
    y_order: list[Any]
    x_labels: list[str]
    y_labels: list[str]
    x_title: str | None
    y_title: str | None
    gradient: Gradient
    colour_title: str
    decimals: int | None = None


def heatmap_data(params: HeatmapParams, df: pd.DataFrame, profile: DatasetProfile) -> ChartData:
    """The cells, the order of both axes and the colour ramp; the finding names the cell with the largest
    value."""
    distinct_columns(x=params.x, y=params.y, value=params.value)
    require_columns(df, {"x": params.x, "y": params.y, "value": params.value})
    measure, notes = _heatmap_measure(params)
    x_keys = group_keys(
        df[params.x],
        role=role_of(profile, params.x),
        bins=params.x_bin,
        time_unit=params.time_unit,
        auto_max=BAR_AUTO_DATES,
    )
    y_keys = group_keys(df[params.y], role=role_of(profile, params.y), bins=params.y_bin, auto_max=BAR_AUTO_DATES)
    notes += list(x_keys.notes) + list(y_keys.notes)
    columns = {params.x: x_keys.values, params.y: y_keys.values}
    if params.value:
        columns[params.value] = numeric_values(df, params.value, param="value")
    work = key_frame(df.index, columns).dropna(subset=[params.x, params.y])
    spec = _heatmap_spec(
        params, profile, measure=measure, x=(x_keys.kind, x_keys.time_unit), y=(y_keys.kind, y_keys.time_unit)
    )
    title = spec["title"]
    if work.empty:
        return ChartData(title=title, spec=spec, notes=notes, empty=NO_ROWS_LEFT)

    orders = {}
    for column, keys in ((params.x, x_keys), (params.y, y_keys)):
        totals = measure_totals(work, column, measure.value, measure.how)
        orders[column], more = select_categories(totals, keys, column=column, measure=measure)
        notes += more
    # rows top to bottom: categories as ranked, ordered values (dates, bins, numbers) rising upwards
    y_order = orders[params.y][::-1] if y_keys.ordered else orders[params.y]
    work = work[work[params.x].isin(orders[params.x]) & work[params.y].isin(orders[params.y])]
    table = aggregate_values(work, [params.x, params.y], measure.value, measure.how, out=measure.field)
    matrix = table.pivot(index=params.y, columns=params.x, values=measure.field)
    grid = matrix.reindex(index=y_order, columns=orders[params.x]).to_numpy(dtype=float)

    best = table.loc[table[measure.field].idxmax()] if table[measure.field].notna().any() else None
    if best is None:
        finding = f"No {measure.phrase} to compare across {params.x} and {params.y}."
    else:
        at = f"{params.x} = {key_label(best[params.x], x_keys)} and {params.y} = {key_label(best[params.y], y_keys)}"
        value = format_number(best[measure.field])  # one cell is no "highest": its value is the answer
        finding = (f"The highest {measure.phrase} is at {at}: {value}." if table[measure.field].notna().sum() > 1
                   else f"The {measure.phrase} at {at} is {value}.")
    rows = in_drawing_order(table, {params.y: y_order, params.x: orders[params.x]})
    return HeatmapData(
        title=title, spec=spec, rows=bin_frame(bin_frame(rows, x_keys), y_keys), finding=finding, notes=notes,
        count_field=measure.field, order=orders[params.x], grid=grid, y_order=y_order,
        x_labels=[key_label(k, x_keys) for k in orders[params.x]], y_labels=[key_label(k, y_keys) for k in y_order],
        x_title=axis_title(params.x, x_keys), y_title=axis_title(params.y, y_keys),
        gradient=Gradient.over("viridis", grid), colour_title=measure.label,
    )


def draw_heatmap(chart: HeatmapData) -> Figure:
    """The grid, top row first, in its gradient's colours (with a value on each cell when they fit)."""
    rows, columns = chart.grid.shape
    if chart.decimals is None:
        fig, ax = new_figure()
    else:  # a correlation matrix grows with its columns
        fig, ax = new_figure(figsize=(max(FIGSIZE[0], 0.5 * columns + 4), max(FIGSIZE[1], 0.4 * rows + 2.5)))
    image = ax.imshow(np.ma.masked_invalid(chart.grid), aspect="auto", cmap=chart.gradient.cmap,
                      norm=chart.gradient.norm(), interpolation="nearest", origin="upper")
    colorbar = fig.colorbar(image, ax=ax, label=safe_text(chart.colour_title, limit=60))
    colorbar.formatter = NUMBER_FORMATTER if chart.decimals is None else colorbar.formatter
    colorbar.update_ticks()
    if chart.decimals is not None or (rows <= 20 and columns <= 16):
        annotate_cells(ax, chart.grid, image, decimals=chart.decimals)
    category_axis(ax, chart.x_labels)
    category_axis(ax, chart.y_labels, axis="y")
    finish_axes(ax, title=chart.title, xlabel=chart.x_title, ylabel=chart.y_title)
    ax.grid(False)
    return fig


def heatmap_inline_spec(chart: HeatmapData) -> tuple[dict[str, Any], list[str]]:
    """The cells with both axes' order and the colour ramp stated."""
    spec = copy.deepcopy(chart.spec)
    encoding = spec["encoding"]
    y = encoding["y"]
    if y.get("type") == "ordinal" and "timeUnit" in y:
        y["sort"] = "descending"  # periods rising upwards, as drawn
    explicit_sort(y, chart.y_order)
    encoding["color"]["scale"] = chart.gradient.scale()
    return inline_spec(replace(chart, spec=spec))


def heatmap(params: HeatmapParams, df: pd.DataFrame, profile: DatasetProfile) -> ToolOutput:
    """Render the heatmap; the finding names the cell with the largest value."""
    return chart_output(heatmap_data(params, df, profile), draw_heatmap, heatmap_inline_spec)


def annotate_cells(ax: Axes, grid: np.ndarray, image: Any, *, decimals: int | None = None) -> None:
    """Write each cell's value on it, dark on light cells and light on dark ones."""
    for (row, col), value in np.ndenumerate(grid):
        if not math.isfinite(value):
            continue
        r, g, b, _ = image.cmap(image.norm(value))
        ink = "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"
        text = f"{value:.{decimals}f}" if decimals is not None else format_number(value)
        ax.text(col, row, text, ha="center", va="center", fontsize=7, color=ink)
