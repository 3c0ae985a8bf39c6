"""line_chart: how a measure changes along an ordered axis, one line (or stacked area) per series."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from pydantic import Field

from ...contracts import Aggregate, DatasetProfile, TimeUnit
from .. import vega
from ..chartdata import PALETTE, ChartData, Colours
from ..downsample import LTTB, drawn_note, lttb_indices
from ..frame import CYCLIC_UNITS, JSON_ROW_CAP, Keys, aggregate_values, partial_periods
from ..registry import GroupCol, NumericCol, ToolOutput, ToolParams
from .figures import NO_ROWS_LEFT, category_axis, chart_output, colour_legend, date_axis, finish_axes, new_figure
from .labels import NUMBER_FORMATTER, axis_title, format_number, key_label, plural
from .measures import (
    Measure,
    axis_channel,
    bin_frame,
    grouped_xy,
    in_drawing_order,
    lump_series,
    measure_encoding,
    series_order,
    title_scope,
)

LINE_AUTO_DATES = 200
"""More distinct dates than this on a line and a coarser time unit is picked, so the trend stays readable."""
LINE_MAX_POINTS = 2000
"""A line with more points than this is drawn with this many, chosen by LTTB (numbers on x, or a fine time_unit)."""


class LineChartParams(ToolParams):
    """A line showing how a measure changes along an ordered axis, usually time."""

    x: GroupCol = Field(
        description="Horizontal axis, preferably a date column; numbers and ordered categories also work."
    )
    y: NumericCol | None = Field(None, description="Numeric column to plot; leave empty to count rows per x value.")
    aggregate: Aggregate | None = Field(
        None, description="How to combine y per x value (or period); empty sums values when x repeats."
    )
    color: GroupCol | None = Field(None, description="Optional category: one line per value.")
    x_bin: int | None = Field(None, ge=2, le=100, description="Bin a numeric x into at most this many ranges.")
    time_unit: TimeUnit | None = Field(
        None,
        description=(
            f"Resample a date x by this period; empty picks a coarser one automatically above {LINE_AUTO_DATES} dates."
        ),
    )
    area: bool = Field(False, description="Fill the area under the line (stacked areas when split by color).")


def _line_spec(
    params: LineChartParams, profile: DatasetProfile, *, measure: Measure, kind: str, time_unit: TimeUnit | None
) -> dict[str, Any]:
    color = params.color if params.color != params.x else None
    encoding = {
        "x": axis_channel(params.x, kind, profile, bins=params.x_bin, time_unit=time_unit, discrete=False),
        "y": measure_encoding(measure),
        "color": vega.group_channel(color, type="nominal") if color else None,
    }
    title = f"{measure.label} over {params.x}" + (f" by {color}" if color else "")
    return vega.build_spec(title=title, mark="area" if params.area else "line", encoding=encoding,
                           filters=params.filters, profile=profile, scope=title_scope(time_unit))


def _trend_sentence(series: pd.Series, keys: Keys, *, phrase: str, x: str) -> str:
    """ "sum of revenue went from 1,000 (2015-01) to 2,000 (2015-12), +100%; the peak was 2,500 in 2015-11";
    a single period has no change to tell: "sum of revenue was 1,000 (2015-01), the only month in the data"."""
    series = series.dropna()
    first, last = series.iloc[0], series.iloc[-1]
    if len(series) == 1:
        period = keys.time_unit.replace("_", " ") if keys.time_unit else f"{x} value"
        return (f"{phrase} was {format_number(first)} ({key_label(series.index[0], keys)}), "
                f"the only {period} in the data")
    rate = (last - first) / abs(first) if first != 0 else math.nan
    change = "" if math.isnan(rate) else f", {rate:+.1%}" if 0 < abs(rate) < 0.01 else f", {rate:+.0%}"  # not +0%
    return (
        f"{phrase} went from {format_number(first)} ({key_label(series.index[0], keys)}) to "
        f"{format_number(last)} ({key_label(series.index[-1], keys)}){change}; the peak was "
        f"{format_number(series.max())} in {key_label(series.idxmax(), keys)}"
    )


@dataclass(kw_only=True)
class LineData(ChartData):
    """A line chart: each series' values along x (``values``: x in drawing order by series), the positions of
    each drawn (``shown``; every one when absent), and where x stands (0..n-1 for categories)."""

    values: pd.DataFrame
    names: list[Any]
    xs: Any
    shown: dict[Any, np.ndarray]
    x_labels: list[str] | None
    x_kind: str
    x_title: str
    y_title: str
    area: bool


def line_data(params: LineChartParams, df: pd.DataFrame, profile: DatasetProfile) -> ChartData:
    """The lines, their colours and the points drawn; the finding gives the first and last values, the change
    and the peak."""
    work, keys, color, group, measure, notes = grouped_xy(params, df, profile, auto_max=LINE_AUTO_DATES)
    spec = _line_spec(params, profile, measure=measure, kind=keys.kind, time_unit=keys.time_unit)
    title = spec["title"]
    if work.empty:
        return ChartData(title=title, spec=spec, notes=notes, empty=NO_ROWS_LEFT)

    work, more = lump_series(work, color, measure)
    notes += more
    table = aggregate_values(work, group, measure.value, measure.how, out=measure.field)
    distinct = table[params.x].drop_duplicates()
    order = distinct.sort_values().tolist() if keys.ordered else sorted(distinct.tolist(), key=key_label)
    nominal = keys.kind == "nominal"
    values = (
        table.pivot(index=params.x, columns=color, values=measure.field)
        if color
        else (table.set_index(params.x)[[measure.field]])
    ).reindex(order)
    names = series_order(table, color, measure.field) if color else [measure.field]
    xs = np.arange(len(order)) if nominal else pd.Index(order)
    stacked = params.area and bool(color)
    shown, more = line_points(values, names, xs, stacked=stacked)
    notes += more

    main = names[0]
    trend_values = values[main]
    if keys.time_unit is not None and measure.additive:
        partial = partial_periods(df[params.x], keys.time_unit)
        if len(trend_values.drop(partial, errors="ignore").dropna()):  # else every period is partial: all stay
            trend_values = trend_values.drop(partial, errors="ignore")
            notes += [f"The {keys.time_unit} of {key_label(start, keys)} is only partly covered by the data; "
                      "the finding leaves it out." for start in partial]
    if len(names) > 1:
        trend = _trend_sentence(trend_values, keys, phrase=measure.phrase, x=params.x)
        finding = f"Of {plural(len(names), color + ' line')}, {key_label(main)} is largest overall: its {trend}."
    else:  # one line (no split, or a split with one value left) is no "largest": its trend is the answer
        finding = _trend_sentence(trend_values, keys, phrase=measure.label, x=params.x) + "."
    colours = Colours.ranked(color, names, [key_label(n) for n in names], stacked=stacked) if color else None
    rows = drawn_rows(table, shown, order, x=params.x, color=color) if shown else table
    rows = in_drawing_order(rows, {**({color: names} if color else {}), params.x: order})
    cyclic = keys.time_unit in CYCLIC_UNITS
    return LineData(
        title=title, spec=spec, rows=bin_frame(rows, keys), finding=finding, notes=notes,
        count_field=measure.field, order=order, colours=colours, stacked=stacked, values=values, names=names,
        xs=xs, shown=shown, x_labels=[key_label(k, keys) for k in order] if nominal or cyclic else None,
        x_kind="nominal" if nominal else ("cyclic" if cyclic else keys.kind), x_title=axis_title(params.x, keys),
        y_title=measure.label, area=params.area,
    )


def draw_line_chart(chart: LineData) -> Figure:
    fig, ax = new_figure()
    values, xs, names = chart.values, chart.xs, chart.names
    colours = [chart.colours.colour(n) for n in names] if chart.colours else [PALETTE[0]]
    if chart.stacked:
        shown = chart.shown[names[0]] if chart.shown else slice(None)
        ax.stackplot(xs[shown], *[values[n].fillna(0).to_numpy(dtype=float)[shown] for n in names],
                     colors=colours, alpha=0.85)
    else:
        marker = "o" if len(xs) <= 40 else None
        for name, colour in zip(names, colours, strict=True):
            shown = chart.shown.get(name, slice(None))
            ys = values[name].to_numpy(dtype=float)[shown]
            ax.plot(xs[shown], ys, color=colour, marker=marker, markersize=3, linewidth=1.6)
            if chart.area:
                ax.fill_between(xs[shown], np.nan_to_num(ys), alpha=0.3, color=colour)
    if chart.x_kind == "nominal":
        category_axis(ax, chart.x_labels or [])
    elif chart.x_kind == "cyclic":
        ax.set_xticks(list(xs), chart.x_labels or [])
    elif chart.x_kind == "temporal":
        date_axis(ax)
    else:
        ax.xaxis.set_major_formatter(NUMBER_FORMATTER)
    ax.yaxis.set_major_formatter(NUMBER_FORMATTER)
    finish_axes(ax, title=chart.title, xlabel=chart.x_title, ylabel=chart.y_title)
    if chart.colours is not None:
        colour_legend(ax, chart.colours, handle="patch" if chart.stacked else "line")
    return fig


def line_chart(params: LineChartParams, df: pd.DataFrame, profile: DatasetProfile) -> ToolOutput:
    """Render the line chart; the finding gives the first and last values, the change and the peak."""
    return chart_output(line_data(params, df, profile), draw_line_chart)


def line_points(
    pivot: pd.DataFrame, names: list[Any], xs: pd.Index | np.ndarray, *, stacked: bool
) -> tuple[dict[Any, np.ndarray], list[str]]:
    """Which positions of each line to draw when a line has more than ``LINE_MAX_POINTS``; ``{}``: all of them.

    Each line keeps at most ``LINE_MAX_POINTS`` (fewer when several lines would overflow the spec's
    ``JSON_ROW_CAP`` rows), chosen by LTTB among its present values; stacked areas share one set of x
    positions, chosen on the stacked total. The findings are computed from ``pivot`` itself, every point.
    """
    values = {name: pivot[name].to_numpy(dtype=float) for name in names}
    counts = {name: int(np.isfinite(v).sum()) for name, v in values.items()}
    if not names or (len(xs) if stacked else max(counts.values())) <= LINE_MAX_POINTS:
        return {}, []
    limit = min(LINE_MAX_POINTS, max(JSON_ROW_CAP // len(names), 3))
    x = np.asarray(xs.asi8 if isinstance(xs, pd.DatetimeIndex) else xs, dtype="float64")
    if stacked:
        total = np.nansum(np.column_stack(list(values.values())), axis=1)
        kept = lttb_indices(x, total, limit)
        drawn = dict.fromkeys(names, kept)
        shown, of = len(kept), len(x)
    else:
        drawn = {}
        for name, v in values.items():
            present = np.flatnonzero(np.isfinite(v))
            drawn[name] = present[lttb_indices(x[present], v[present], limit)]
        shown, of = sum(len(d) for d in drawn.values()), sum(counts.values())
    if stacked:
        how = f"{LTTB} of the stacked total"
    else:
        how = LTTB + (f", at most {limit:,} a line" if len(names) > 1 else "")
    return drawn, [drawn_note(shown, of, how, unit="at {} x values" if stacked else "with {} points")]


def drawn_rows(table: pd.DataFrame, drawn: dict[Any, np.ndarray], order: list[Any], *, x: str,
               color: str | None) -> pd.DataFrame:
    """The rows of ``table`` behind the drawn points (``drawn``: positions in ``order`` per line)."""
    order_index = pd.Index(order)
    if color is None:
        ((_, positions),) = drawn.items()
        return table[table[x].isin(order_index[positions])]
    keep = np.zeros(len(table), dtype=bool)
    for name, positions in drawn.items():
        keep |= ((table[color] == name) & table[x].isin(order_index[positions])).to_numpy()
    return table[keep]
