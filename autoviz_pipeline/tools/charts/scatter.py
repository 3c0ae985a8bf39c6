"""scatter_plot: how two columns relate, one point per row (a cover of the cloud when there are many)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from pydantic import Field

from ...contracts import Aggregate, DatasetProfile
from .. import vega
from ..chartdata import MUTED_COLOR, PALETTE, ChartData, Colours
from ..downsample import COVER, axis_numbers, cover_sample, drawn_note
from ..frame import aggregate_values, numeric_values, require_columns, sample_positions
from ..registry import AnyCol, GroupCol, NumericCol, ToolOutput, ToolParams
from .figures import (
    NO_ROWS_LEFT,
    chart_output,
    colour_legend,
    draw_points,
    dress_axis,
    finish_axes,
    new_figure,
    outside_legend,
    plot_positions,
)
from .labels import format_number, key_label, plural
from .measures import Measure, key_frame, lump_series, resolve_measure, role_of, split_column

MARKER_AREAS = (15.0, 200.0)
"""The marker areas (pt²) a size column spans, from its smallest value to its largest."""


class ScatterPlotParams(ToolParams):
    """Points showing how two columns relate, optionally coloured by a category and sized by a number."""

    x: AnyCol = Field(description="Column on the horizontal axis (numbers, dates or categories).")
    y: AnyCol = Field(description="Column on the vertical axis (numbers, dates or categories).")
    color: GroupCol | None = Field(None, description="Optional category colouring the points.")
    size: NumericCol | None = Field(None, description="Optional numeric column setting marker size.")
    size_aggregate: Aggregate | None = Field(
        None,
        description="Combine rows sharing the same x and y into one point; 'count' sizes it by the number of rows.",
    )
    max_points: int = Field(
        5000, ge=10, le=5000, description="Most points drawn; above it a fixed random sample is shown."
    )


def _size_measure(params: ScatterPlotParams, taken: Iterable[str]) -> tuple[Measure | None, list[str]]:
    if params.size_aggregate is None:
        return None, []
    return resolve_measure(params.size, params.size_aggregate, duplicates=True, taken=taken)


def _scatter_spec(params: ScatterPlotParams, profile: DatasetProfile, *, size: Measure | None) -> dict[str, Any]:
    color = params.color
    if size is not None:
        size_channel: dict[str, Any] | None = vega.measure_channel(size.value, size.how, title=size.label)
    elif params.size:
        size_channel = {"field": vega.field_ref(params.size), "type": "quantitative", "title": params.size}
    else:
        size_channel = None
    encoding = {
        "x": vega.group_channel(params.x, type=vega.column_type(profile, params.x)),
        "y": vega.group_channel(params.y, type=vega.column_type(profile, params.y)),
        "color": vega.group_channel(color, type="nominal") if color else None,
        "size": size_channel,
    }
    return vega.build_spec(title=f"{params.y} vs {params.x}", mark="point", encoding=encoding, filters=params.filters,
                           profile=profile)


def correlation_words(r: float) -> str:
    """How a correlation coefficient reads in a sentence: "a strong positive", "no clear linear"."""
    strength = abs(r)
    if strength >= 0.7:
        word = "a strong"
    elif strength >= 0.4:
        word = "a moderate"
    elif strength >= 0.2:
        word = "a weak"
    else:
        return "no clear linear"
    return f"{word} {'positive' if r > 0 else 'negative'}"


def _marker_area(value: Any, lo: float, span: float) -> Any:
    smallest, largest = MARKER_AREAS
    return smallest + (largest - smallest) * (value - lo) / span


def _scaled_sizes(values: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Marker areas (:data:`MARKER_AREAS`) spanning the data range; missing sizes get the smallest marker."""
    if not np.isfinite(values).any():
        return np.full(len(values), 30.0), 0.0, 1.0
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    span = hi - lo or 1.0
    return _marker_area(np.nan_to_num(values, nan=lo), lo, span), lo, span


@dataclass(kw_only=True)
class ScatterData(ChartData):
    """A scatter plot: each drawn point's position (categories at 0..n-1, named by ``x_labels``/``y_labels``),
    its area and its colour group; ``size_refs`` are the sizes the legend explains."""

    xs: pd.Series
    ys: pd.Series
    x_labels: list[str] | None
    y_labels: list[str] | None
    x_kind: str
    y_kind: str
    x: str
    y: str
    sizes: np.ndarray
    alpha: float
    groups: np.ndarray | None
    size_refs: list[tuple[float, str]]


def scatter_data(params: ScatterPlotParams, df: pd.DataFrame, profile: DatasetProfile) -> ChartData:
    """The points drawn (every one, or a cover of the cloud), their colours and sizes; the finding gives the
    correlation when both axes are numeric."""
    require_columns(df, {"x": params.x, "y": params.y, "color": params.color, "size": params.size})
    notes: list[str] = []
    color = split_column(params.color, params.x, params.y, notes=notes)
    columns: dict[str, pd.Series] = {params.x: df[params.x], params.y: df[params.y]}
    if color:
        columns[color] = df[color]
    if params.size:
        columns[params.size] = numeric_values(df, params.size, param="size")
    work = key_frame(df.index, columns).dropna(subset=[params.x, params.y])
    group = list(dict.fromkeys([params.x, params.y] + ([color] if color else [])))
    size, more = _size_measure(params, group)
    notes += more
    spec = _scatter_spec(params, profile, size=size)
    title = spec["title"]
    if work.empty:
        return ChartData(title=title, spec=spec, notes=notes, empty=NO_ROWS_LEFT)

    if size is not None:
        work = aggregate_values(work, group, size.value, size.how, out=size.field)
    total = len(work)
    every_x, _, x_kind = plot_positions(work[params.x], role=role_of(profile, params.x))
    every_y, _, y_kind = plot_positions(work[params.y], role=role_of(profile, params.y))
    r = None  # over every point, not the drawn ones (those over-represent the sparse regions)
    if x_kind == "quantitative" and y_kind == "quantitative" and total >= 3:
        r = float(np.corrcoef(every_x, every_y)[0, 1]) if every_x.std() > 0 and every_y.std() > 0 else float("nan")
    budget = vega.rows_that_fit(spec, work.iloc[sample_positions(total, 500)], params.max_points)
    if total > budget:
        keep = cover_sample(axis_numbers(every_x), axis_numbers(every_y), budget)
        notes.append(drawn_note(len(keep), total, COVER))
        work = work.iloc[keep]
    work, more = lump_series(work, color, Measure(None, "count", "count", "count"))
    notes += more
    work = work.reset_index(drop=True)

    xs, x_labels, x_kind = plot_positions(work[params.x], role=role_of(profile, params.x))
    ys, y_labels, y_kind = plot_positions(work[params.y], role=role_of(profile, params.y))
    size_column = size.field if size is not None else params.size
    size_refs: list[tuple[float, str]] = []
    if size_column is not None:
        sizes, lo, span = _scaled_sizes(work[size_column].to_numpy(dtype=float))
        raw = work[size_column].dropna()
        for ref in [] if raw.empty else sorted({raw.min(), raw.median(), raw.max()}):
            size_refs.append((_marker_area(ref, lo, span),
                              f"{size.label if size else size_column}: {format_number(ref)}"))
    else:
        sizes = np.full(len(work), 18.0 if len(work) > 1000 else 30.0)
    colours, groups = None, None
    if color:
        codes, names = pd.factorize(work[color], sort=True)
        names = names.tolist()
        colours, groups = Colours.ranked(color, names, [key_label(n) for n in names]), codes

    if r is not None:
        if math.isfinite(r):
            finding = (
                f"{params.y} and {params.x} show {correlation_words(r)} relationship "
                f"(Pearson r = {r:.2f} over {total:,} points)."
            )
        else:
            finding = f"One of {params.x} or {params.y} is constant over the {total:,} points plotted."
    else:
        finding = f"Plotted {plural(len(work), 'point')} of {params.y} against {params.x}."
    return ScatterData(
        title=title, spec=spec, rows=work, finding=finding, notes=notes, count_field=size.field if size else "count",
        colours=colours, xs=xs, ys=ys, x_labels=x_labels, y_labels=y_labels, x_kind=x_kind, y_kind=y_kind,
        x=params.x, y=params.y, sizes=sizes, alpha=0.5 if len(work) > 1000 else 0.8, groups=groups,
        size_refs=size_refs,
    )


def draw_scatter_plot(chart: ScatterData) -> Figure:
    fig, ax = new_figure()
    xs, ys, sizes = chart.xs, chart.ys, chart.sizes
    if chart.colours is not None and chart.groups is not None:
        for i, colour in enumerate(chart.colours.colours):
            rows = np.flatnonzero(chart.groups == i)
            draw_points(ax, xs.iloc[rows], ys.iloc[rows], s=sizes[rows], color=colour, alpha=chart.alpha,
                        linewidths=0)
    else:
        draw_points(ax, xs, ys, s=sizes, color=PALETTE[0], alpha=chart.alpha, linewidths=0)
    dress_axis(ax, "x", chart.x_kind, chart.x_labels)
    dress_axis(ax, "y", chart.y_kind, chart.y_labels)
    finish_axes(ax, title=chart.title, xlabel=chart.x, ylabel=chart.y)
    sized = [(ax.scatter([], [], s=area, color=MUTED_COLOR), label) for area, label in chart.size_refs]
    if chart.colours is not None:
        colour_legend(ax, chart.colours, handle="point", extra=sized)
    elif sized:
        outside_legend(ax, title=None, handles=[h for h, _ in sized], labels=[label for _, label in sized])
    return fig


def scatter_plot(params: ScatterPlotParams, df: pd.DataFrame, profile: DatasetProfile) -> ToolOutput:
    """Render the scatter plot; the finding gives the correlation when both axes are numeric."""
    return chart_output(scatter_data(params, df, profile), draw_scatter_plot)
