"""bar_chart: a measure per category, optionally split by a second one (stacked or side by side)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from pydantic import Field

from ...contracts import Aggregate, DatasetProfile, TimeUnit
from .. import vega
from ..chartdata import PALETTE, ChartData, Colours
from ..frame import aggregate_values
from ..registry import GroupCol, NumericCol, ToolOutput, ToolParams
from .figures import NO_ROWS_LEFT, category_axis, chart_output, colour_legend, finish_axes, new_figure
from .labels import NUMBER_FORMATTER, axis_title, key_label
from .measures import (
    MAX_CATEGORIES,
    Measure,
    SortOrder,
    axis_channel,
    bin_frame,
    grouped_xy,
    in_drawing_order,
    labelled,
    lump_series,
    measure_encoding,
    ranking_sentence,
    select_categories,
    series_order,
    title_scope,
)

BAR_AUTO_DATES = 60


def draw_bars(ax: Axes, rows: pd.DataFrame, *, order: list[Any], x: str, field: str, colours: Colours | None,
              stacked: bool) -> None:
    """Bars at 0..n-1 for ``order``; a colour split in its drawing order, stacked (negatives downwards) or side
    by side, each series in its colour."""
    positions = np.arange(len(order))
    if colours is None:
        heights = rows.set_index(x)[field].reindex(order).fillna(0).to_numpy(dtype=float)
        ax.bar(positions, heights, color=PALETTE[0], width=0.8)
        return
    pivot = rows.pivot(index=x, columns=colours.field, values=field).reindex(order)
    width = 0.8 if stacked else 0.8 / len(colours.keys)
    up, down = np.zeros(len(order)), np.zeros(len(order))
    for i, (name, label, colour) in enumerate(zip(colours.keys, colours.labels, colours.colours, strict=True)):
        heights = pivot[name].fillna(0).to_numpy(dtype=float)
        if stacked:
            bottom = np.where(heights >= 0, up, down)
            ax.bar(positions, heights, width=width, bottom=bottom, color=colour, label=label)
            up, down = up + np.clip(heights, 0, None), down + np.clip(heights, None, 0)
        else:
            offset = (i - (len(colours.keys) - 1) / 2) * width
            ax.bar(positions + offset, heights, width=width, color=colour, label=label)


class BarChartParams(ToolParams):
    """Bars comparing a measure across categories: row counts, or a numeric column aggregated per category."""

    x: GroupCol = Field(description="Category column on the horizontal axis: one bar (or group of bars) per value.")
    y: NumericCol | None = Field(None, description="Numeric column to measure; leave empty to count rows per category.")
    aggregate: Aggregate | None = Field(
        None, description="How to combine y within a category; empty shows values as-is (summed if a category repeats)."
    )
    color: GroupCol | None = Field(
        None, description="Optional second category that splits each bar (stacked or grouped)."
    )
    x_bin: int | None = Field(None, ge=2, le=100, description="Bin a numeric x into at most this many ranges.")
    time_unit: TimeUnit | None = Field(None, description="Group a date x by this period (year, quarter, month, ...).")
    sort: SortOrder | None = Field(
        None, description="Order bars by value; empty ranks categories high to low and keeps dates/bins in order."
    )
    top_n: int | None = Field(
        None, ge=1, le=100, description=f"Show only the N largest bars (the N smallest when sort is ascending: "
        f"'bottom 3'); without it at most {MAX_CATEGORIES} are shown."
    )
    stacked: bool = Field(True, description="Stack the color split (true) or put its bars side by side (false).")


def _bar_title(measure: Measure, x: str, color: str | None) -> str:
    return f"{measure.label} by {x}" + (f" and {color}" if color else "")


def _bar_spec(
    params: BarChartParams,
    profile: DatasetProfile,
    *,
    measure: Measure,
    kind: str,
    time_unit: TimeUnit | None,
    limit: int | None,
) -> dict[str, Any]:
    if params.sort is not None:
        sort: Any = "y" if params.sort == "ascending" else "-y"
    else:
        sort = None if kind in ("temporal", "binned", "ordinal") else "-y"
    transforms = []
    if limit is not None:
        transforms = vega.top_n_transforms(params.x, value=measure.value, aggregate=measure.how, n=limit,
                                           smallest=params.top_n is not None and params.sort == "ascending",
                                           time_unit=time_unit)
    color = params.color if params.color != params.x else None
    encoding: dict[str, Any] = {
        "x": axis_channel(params.x, kind, profile, bins=params.x_bin, time_unit=time_unit, discrete=True, sort=sort),
        "y": measure_encoding(measure),
        "color": vega.group_channel(color, type="nominal") if color else None,
        "xOffset": vega.group_channel(color, type="nominal") if color and not params.stacked else None,
    }
    return vega.build_spec(title=_bar_title(measure, params.x, color), mark="bar", encoding=encoding,
                           filters=params.filters, profile=profile, transforms=transforms,
                           scope=title_scope(time_unit, params.top_n, params.sort))


def _bar_auto_dates(params: BarChartParams) -> int | None:
    """Most dates drawn before a coarser time unit is picked; "the 10 hottest days" keeps its days."""
    return None if params.top_n is not None else BAR_AUTO_DATES


@dataclass(kw_only=True)
class BarData(ChartData):
    """A bar chart: ``rows`` hold one row per bar (x, the colour split, the measure in ``count_field``)."""

    x: str
    x_labels: list[str]
    x_title: str
    y_title: str


def bar_data(params: BarChartParams, df: pd.DataFrame, profile: DatasetProfile) -> ChartData:
    """The bars, their order and colours, and the finding naming the highest and lowest bar."""
    work, keys, color, group, measure, notes = grouped_xy(params, df, profile, auto_max=_bar_auto_dates(params))
    per_x = aggregate_values(work, [params.x], measure.value, measure.how, out=measure.field)
    totals = per_x.set_index(params.x)[measure.field]
    order, more = ([], []) if work.empty else select_categories(
        totals, keys, column=params.x, measure=measure, sort=params.sort, top_n=params.top_n
    )
    hidden = not set(totals.index) <= set(order)  # some categories are not shown: their rows go
    # the spec's transforms cut what the bars cut: the top_n asked for, else the default cap where it left some out
    # (numbers, dates and bins keep every value)
    limit = params.top_n if params.top_n is not None else (MAX_CATEGORIES if hidden else None)
    spec = _bar_spec(params, profile, measure=measure, kind=keys.kind, time_unit=keys.time_unit, limit=limit)
    if work.empty:
        return ChartData(title=spec["title"], spec=spec, notes=notes, empty=NO_ROWS_LEFT)
    notes += more
    colours = None
    if color is None:  # the bars are the totals per x (a group's aggregate does not depend on other rows)
        table = per_x[per_x[params.x].isin(order)].reset_index(drop=True) if hidden else per_x
    else:
        work, more = lump_series(work[work[params.x].isin(order)] if hidden else work, color, measure)
        notes += more
        table = aggregate_values(work, group, measure.value, measure.how, out=measure.field)
        names = series_order(table, color, measure.field)
        colours = Colours.ranked(color, names, [key_label(n) for n in names], stacked=params.stacked)

    # the bars asked for ("the 5 youngest") when a number was asked; else every category, shown or not
    described = totals[order] if params.top_n is not None else totals
    finding = ranking_sentence(labelled(described, keys), phrase=measure.phrase, additive=measure.additive)
    if color:  # "by region and product type": the second grouping gets its sentence too
        per_color = aggregate_values(work, [color], measure.value, measure.how, out=measure.field)
        by_color = per_color.set_index(color)[measure.field]
        if len(by_color) > 1:
            finding += f" By {color}: " + ranking_sentence(labelled(by_color, None), phrase=measure.phrase,
                                                           additive=measure.additive)
    drawn = in_drawing_order(table, {params.x: order, **({color: colours.keys} if colours else {})})
    return BarData(
        title=spec["title"], spec=spec, rows=bin_frame(drawn, keys), finding=finding, notes=notes,
        count_field=measure.field, order=order, colours=colours, stacked=colours is not None and params.stacked,
        x=params.x, x_labels=[key_label(k, keys) for k in order], x_title=axis_title(params.x, keys),
        y_title=measure.label,
    )


def draw_bar_chart(chart: BarData) -> Figure:
    fig, ax = new_figure()
    draw_bars(ax, chart.rows, order=chart.order or [], x=chart.x, field=chart.count_field, colours=chart.colours,
              stacked=chart.stacked)
    category_axis(ax, chart.x_labels)
    ax.yaxis.set_major_formatter(NUMBER_FORMATTER)
    finish_axes(ax, title=chart.title, xlabel=chart.x_title, ylabel=chart.y_title)
    if chart.colours is not None:
        colour_legend(ax, chart.colours)
    return fig


def bar_chart(params: BarChartParams, df: pd.DataFrame, profile: DatasetProfile) -> ToolOutput:
    """Render the bar chart; the finding names the highest and lowest bar."""
    return chart_output(bar_data(params, df, profile), draw_bar_chart)
