"""box_plot: median, quartiles, whiskers and outliers of a numeric column, overall or per group, computed
over every row and drawn as they are by both renderers.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import cbook
from matplotlib.figure import Figure
from pydantic import Field

from ...contracts import DatasetProfile, TimeUnit
from .. import vega
from ..chartdata import PALETTE, ChartData, explicit_sort
from ..frame import group_arrays, group_keys, json_records, numeric_values, require_columns, unique_name
from ..registry import GroupCol, NumericCol, ToolOutput, ToolParams
from .figures import NO_ROWS_LEFT, category_axis, chart_output, finish_axes, new_figure
from .labels import NUMBER_FORMATTER, axis_title, format_number, key_label
from .measures import axis_channel, role_of, split_column

BOX_MAX_GROUPS = 20


class BoxPlotParams(ToolParams):
    """Box plots of a numeric column (median, quartiles, outliers), overall or per category."""

    column: NumericCol = Field(description="Numeric column summarised by the boxes.")
    by: GroupCol | None = Field(
        None, description=f"Optional category: one box per value (at most {BOX_MAX_GROUPS}, those with most rows)."
    )
    time_unit: TimeUnit | None = Field(
        None, description="Group a date `by` column by this period (month, month_of_year for every January, ...).")


def _box_spec(
    params: BoxPlotParams, profile: DatasetProfile, *, kind: str, time_unit: TimeUnit | None
) -> dict[str, Any]:
    by = params.by if params.by != params.column else None
    encoding = {
        "x": axis_channel(by, kind, profile, bins=None, time_unit=time_unit, discrete=True) if by else None,
        "y": {"field": vega.field_ref(params.column), "type": "quantitative", "title": params.column},
    }
    title = f"{params.column}" + (f" by {by}" if by else " distribution")
    return vega.build_spec(title=title, mark="boxplot", encoding=encoding, filters=params.filters, profile=profile)


MAX_FLIERS_PER_BOX = 200
BOX_STATS = {"whislo": "lower whisker", "q1": "Q1", "med": "median", "q3": "Q3", "whishi": "upper whisker",
             "n": "rows"}
"""A box's statistics (``cbook.boxplot_stats`` keys) and the names of the spec's columns holding them."""
BOX_WIDTH = 0.6
BOX_PIXELS = 14
"""A box's width in the figure (in category steps) and in the spec (in pixels)."""


def drawn_fliers(stats: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """The boxes' statistics with the outliers drawn: beyond 200 outliers a box shows the most extreme ones and
    an even sample of the rest, so a 10-million-row column never becomes half a million SVG markers."""
    hidden = 0
    stats = [dict(st) for st in stats]  # the caller's statistics keep every outlier
    for st in stats:
        fliers = np.sort(np.asarray(st["fliers"]))
        if len(fliers) > MAX_FLIERS_PER_BOX:
            keep = np.unique(np.r_[np.arange(10), np.arange(len(fliers) - 10, len(fliers)),
                                   np.linspace(0, len(fliers) - 1, MAX_FLIERS_PER_BOX - 20).astype(int)])
            hidden += len(fliers) - len(keep)
            fliers = fliers[keep]
        st["fliers"] = fliers
    if not hidden:
        return stats, []
    return stats, [f"{hidden:,} outlier points are not drawn (each box shows its {MAX_FLIERS_PER_BOX} most telling: "
                   "the extremes and an even sample); the whiskers and boxes use every value."]


@dataclass(kw_only=True)
class BoxData(ChartData):
    """Box plots: ``stats`` per box in drawing order (``cbook.boxplot_stats`` over every row, with the outliers
    drawn), ``rows`` the same statistics one row per box (the spec draws them as they are, computing
    nothing), ``fliers`` the drawn outliers."""

    column: str
    by: str | None
    stats: list[dict[str, Any]]
    x_labels: list[str]
    x_title: str | None
    fields: dict[str, str]
    fliers: pd.DataFrame


def box_data(params: BoxPlotParams, df: pd.DataFrame, profile: DatasetProfile) -> ChartData:
    """The boxes' statistics over every row; the finding gives the median and spread (per group: highest and
    lowest median)."""
    require_columns(df, {"column": params.column, "by": params.by})
    notes: list[str] = []
    by = split_column(params.by, params.column, notes=notes)
    values = numeric_values(df, params.column, param="column")
    keys = group_keys(df[by], role=role_of(profile, by), time_unit=params.time_unit,
                      auto_max=BOX_MAX_GROUPS) if by else None
    if keys is not None:
        notes += keys.notes
    spec = _box_spec(params, profile, kind=keys.kind if keys else "nominal", time_unit=keys.time_unit if keys else None)
    title = spec["title"]
    present = values.notna().to_numpy() & (keys.values.notna().to_numpy() if by and keys else True)
    if not present.any():
        return ChartData(title=title, spec=spec, notes=notes, empty=NO_ROWS_LEFT)

    if by and keys:
        rows = np.flatnonzero(present)
        names, arrays, _ = group_arrays(keys.values.iloc[rows], values.to_numpy()[rows])
        groups = dict(zip(names, arrays, strict=True))
        sizes = pd.Series({k: len(v) for k, v in groups.items()})
        order = list(sizes.index)
        if len(order) > BOX_MAX_GROUPS:
            order = list(sizes.sort_values(ascending=False, kind="stable").index[:BOX_MAX_GROUPS])
            notes.append(f"Showing {BOX_MAX_GROUPS} of {len(sizes):,} {by} groups (those with the most rows).")
        stats = dict(zip(order, cbook.boxplot_stats([groups[k] for k in order]), strict=True))
        for k in order:
            stats[k]["n"] = len(groups[k])
        shown = pd.Series({k: stats[k]["med"] for k in order})
        order = sorted(order) if keys.ordered else sorted(order, key=lambda k: -shown[k])
        top, low = shown.idxmax(), shown.idxmin()
        iqr = f"(IQR {format_number(stats[top]['q1'])}–{format_number(stats[top]['q3'])})"
        finding = (  # one group is no "highest": its median is the answer
            f"{key_label(top, keys)} has the highest median {params.column}: {format_number(stats[top]['med'])} {iqr}"
            if len(order) > 1 else
            f"The median {params.column} for {key_label(top, keys)} is {format_number(stats[top]['med'])} {iqr}"
        )
        if len(order) > 1:
            finding += f"; {key_label(low, keys)} the lowest: {format_number(shown[low])}"
        finding += "."
        box_stats, labels = [stats[k] for k in order], [key_label(k, keys) for k in order]
    else:
        column = values.dropna()
        (only,) = cbook.boxplot_stats([column.to_numpy()])
        only["n"] = len(column)
        finding = (
            f"Median {params.column} is {format_number(only['med'])} (IQR {format_number(only['q1'])}–"
            f"{format_number(only['q3'])}, range {format_number(column.min())}–{format_number(column.max())}); "
            f"{len(only['fliers']):,} of {len(column):,} values lie beyond the 1.5×IQR whiskers."
        )
        order, box_stats, labels = [params.column], [only], [params.column]
    box_stats, more = drawn_fliers(box_stats)
    notes += more
    fields = {stat: unique_name(name, [params.column, by or ""]) for stat, name in BOX_STATS.items()}
    table = pd.DataFrame({field: [st[stat] for st in box_stats] for stat, field in fields.items()})
    fliers = pd.DataFrame({params.column: np.concatenate([st["fliers"] for st in box_stats])})
    if by:
        table.insert(0, by, order)
        fliers.insert(0, by, np.repeat(np.array(order, dtype=object), [len(st["fliers"]) for st in box_stats]))
    return BoxData(
        title=title, spec=spec, rows=table, finding=finding, notes=notes, order=order, column=params.column, by=by,
        stats=box_stats, x_labels=labels, x_title=axis_title(by, keys) if by else None, fields=fields, fliers=fliers,
    )


def draw_box_plot(chart: BoxData) -> Figure:
    fig, ax = new_figure()
    ax.bxp(chart.stats, positions=np.arange(len(chart.stats)), widths=BOX_WIDTH, patch_artist=True,
           boxprops={"facecolor": PALETTE[0], "alpha": 0.6}, medianprops={"color": "black"},
           flierprops={"markersize": 3}, manage_ticks=False)
    category_axis(ax, chart.x_labels)
    ax.yaxis.set_major_formatter(NUMBER_FORMATTER)
    finish_axes(ax, title=chart.title, xlabel=chart.x_title, ylabel=chart.column)
    return fig


def box_inline_spec(chart: BoxData) -> tuple[dict[str, Any], list[str]]:
    """The boxes as layers over their statistics (whiskers, box, median, outliers): Vega draws the numbers
    computed over every row instead of recomputing them from the rows a spec can carry."""
    spec = copy.deepcopy(chart.spec)
    encoding = spec.pop("encoding")
    del spec["mark"]
    if "x" in encoding:
        explicit_sort(encoding["x"], chart.order or [])
        spec["encoding"] = {"x": encoding["x"]}
    fields = chart.fields

    def y(stat: str, **more: Any) -> dict[str, Any]:
        return {"field": vega.field_ref(fields[stat]), "type": "quantitative", **more}

    def y2(stat: str) -> dict[str, Any]:
        return {"field": vega.field_ref(fields[stat])}

    tooltip = [y(stat, title=name) for stat, name in BOX_STATS.items()]
    spec["layer"] = [
        {"mark": {"type": "rule"}, "encoding": {"y": y("whislo", title=encoding["y"]["title"]), "y2": y2("q1")}},
        {"mark": {"type": "rule"}, "encoding": {"y": y("q3"), "y2": y2("whishi")}},
        {"mark": {"type": "bar", "size": BOX_PIXELS, "color": PALETTE[0], "opacity": 0.6,
                  "ariaRoleDescription": "box"},
         "encoding": {"y": y("q1"), "y2": y2("q3"), "tooltip": tooltip}},
        {"mark": {"type": "tick", "size": BOX_PIXELS, "color": "black"}, "encoding": {"y": y("med")}},
    ]
    if len(chart.fliers):
        spec["layer"].append({
            "data": {"values": json_records(chart.fliers.rename(columns=vega.data_key), cap=len(chart.fliers))},
            "mark": {"type": "point", "color": PALETTE[0]},
            "encoding": {"y": {"field": vega.field_ref(chart.column), "type": "quantitative"}},
        })
    inline, notes = vega.with_data(spec, chart.rows)
    return vega.literal_categories(inline), notes


def box_plot(params: BoxPlotParams, df: pd.DataFrame, profile: DatasetProfile) -> ToolOutput:
    """Render the box plot; the finding gives the median and spread (per group: highest and lowest median)."""
    return chart_output(box_data(params, df, profile), draw_box_plot, box_inline_spec)
