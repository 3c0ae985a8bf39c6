"""histogram: how one numeric column is distributed, as counts per round-edged bin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from pydantic import Field

from ...contracts import DatasetProfile
from .. import vega
from ..chartdata import PALETTE, ChartData, Colours
from ..frame import Keys, aggregate_values, bin_starts, nice_bin_edges, numeric_values, require_columns, unique_name
from ..registry import GroupCol, NumericCol, ToolOutput, ToolParams
from .figures import NO_ROWS_LEFT, chart_output, colour_legend, finish_axes, new_figure
from .labels import NUMBER_FORMATTER, format_number, key_label, plural, share_text
from .measures import Measure, bin_frame, in_drawing_order, key_frame, lump_series, series_order, split_column


class HistogramParams(ToolParams):
    """How the values of one numeric column are distributed, as counts per range."""

    column: NumericCol = Field(description="Numeric column whose distribution is shown.")
    bins: int = Field(20, ge=2, le=200, description="Most bins (ranges); edges fall on round numbers.")
    color: GroupCol | None = Field(None, description="Optional category stacking each bin's count.")


def _histogram_spec(params: HistogramParams, profile: DatasetProfile) -> dict[str, Any]:
    color = params.color if params.color != params.column else None
    encoding = {
        "x": vega.group_channel(params.column, type="quantitative", bins=params.bins),
        "y": vega.measure_channel(None, "count"),
        "color": vega.group_channel(color, type="nominal") if color else None,
    }
    return vega.build_spec(title=f"Distribution of {params.column}", mark="bar", encoding=encoding,
                           filters=params.filters, profile=profile)


@dataclass(kw_only=True)
class HistogramData(ChartData):
    """A histogram: ``rows`` hold the count per bin start (and colour), ``edges`` the bins' edges."""

    column: str
    edges: np.ndarray


def histogram_data(params: HistogramParams, df: pd.DataFrame, profile: DatasetProfile) -> ChartData:
    """The counts per bin (per colour, stacked largest first); the finding names the most common range and the
    median."""
    require_columns(df, {"column": params.column, "color": params.color})
    notes: list[str] = []
    color = split_column(params.color, params.column, notes=notes)
    values = numeric_values(df, params.column, param="column")
    spec = _histogram_spec(params, profile)
    title = spec["title"]
    missing = int(values.isna().sum())
    if missing:
        notes.append(f"{plural(missing, 'row')} with no {params.column} left out.")
    present = values.notna().to_numpy()
    values = values[present]
    if values.empty:
        reason = f"{params.column} has no values" if len(df) else NO_ROWS_LEFT
        return ChartData(title=title, spec=spec, notes=notes, empty=reason)

    edges = nice_bin_edges(values, maxbins=params.bins)
    keys = Keys(bin_starts(values, edges).rename(params.column), "binned", bin_step=float(edges[1] - edges[0]))
    columns = {params.column: keys.values}
    if color:
        columns[color] = df[color][present]
    group = [params.column] + ([color] if color else [])
    count = Measure(None, "count", "count", unique_name("count", group))
    work, more = lump_series(key_frame(values.index, columns), color, count)
    notes += more
    table = aggregate_values(work, group, None, "count", out=count.field)
    totals = table.groupby(params.column)[count.field].sum()
    colours = None
    if color:
        names = series_order(table, color, count.field)
        colours = Colours.ranked(color, names, [key_label(n) for n in names], stacked=True)

    top = totals.idxmax()
    finding = (
        f"The most common range of {params.column} is {key_label(top, keys)} "
        f"({format_number(totals[top])} of {len(values):,} rows, {share_text(totals[top] / len(values))}); "
        f"median {format_number(values.median())}, mean {format_number(values.mean())}."
    )
    rows = in_drawing_order(table, {params.column: sorted(totals.index), **({color: colours.keys} if colours else {})})
    return HistogramData(title=title, spec=spec, rows=bin_frame(rows, keys), finding=finding, notes=notes,
                         count_field=count.field, colours=colours, stacked=colours is not None,
                         column=params.column, edges=edges)


def draw_histogram(chart: HistogramData) -> Figure:
    fig, ax = new_figure()
    edges, column, field = chart.edges, chart.column, chart.count_field
    style = {"width": float(edges[1] - edges[0]), "align": "edge", "edgecolor": "white", "linewidth": 0.5}
    if chart.colours is not None:
        pivot = chart.rows.pivot(index=column, columns=chart.colours.field, values=field).fillna(0).sort_index()
        bottom = np.zeros(len(pivot))
        for name, colour in zip(chart.colours.keys, chart.colours.colours, strict=True):
            heights = pivot[name].to_numpy(dtype=float)
            ax.bar(pivot.index, heights, bottom=bottom, color=colour, **style)
            bottom += heights
        colour_legend(ax, chart.colours)
    else:
        ax.bar(chart.rows[column], chart.rows[field].to_numpy(dtype=float), color=PALETTE[0], **style)
    ax.set_xlim(edges[0], edges[-1])
    ax.xaxis.set_major_formatter(NUMBER_FORMATTER)
    ax.yaxis.set_major_formatter(NUMBER_FORMATTER)
    finish_axes(ax, title=chart.title, xlabel=column, ylabel=vega.measure_title(None, "count"))
    return fig


def histogram(params: HistogramParams, df: pd.DataFrame, profile: DatasetProfile) -> ToolOutput:
    """Render the histogram; the finding names the most common range and the median."""
    return chart_output(histogram_data(params, df, profile), draw_histogram)
