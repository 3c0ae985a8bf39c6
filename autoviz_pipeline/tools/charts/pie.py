"""pie_chart: each category's share of a total, largest slice first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from pydantic import Field

from ...contracts import Aggregate, DatasetProfile
from .. import vega
from ..chartdata import ChartData, Colours
from ..frame import aggregate_values, lump_other, measure_totals, numeric_values, require_columns
from ..registry import GroupCol, NumericCol, ToolOutput, ToolParams
from .figures import NO_ROWS_LEFT, chart_output, colour_legend, new_figure
from .labels import format_number, key_label, plural, safe_text, share_text
from .measures import (
    Measure,
    distinct_columns,
    in_drawing_order,
    key_frame,
    measure_encoding,
    resolve_measure,
)

PIE_DEFAULT_SLICES = 10
PIE_SLICES_NAMED = 5
"""A pie of at most this many slices names each slice's share in its finding."""


class PieChartParams(ToolParams):
    """A pie showing each category's share of a total (row counts or a summed numeric column)."""

    category: GroupCol = Field(description="Category column: one slice per value.")
    value: NumericCol | None = Field(None, description="Numeric column giving slice sizes; leave empty to count rows.")
    aggregate: Aggregate | None = Field(None, description="How to combine value per category; empty means sum.")
    top_n: int | None = Field(
        None,
        ge=1,
        le=30,
        description=f"Largest slices kept; the rest become one 'Other' slice (default {PIE_DEFAULT_SLICES}).",
    )


def _pie_spec(
    params: PieChartParams, profile: DatasetProfile, *, measure: Measure, limit: int | None
) -> dict[str, Any]:
    transforms = []
    if limit is not None:
        transforms = vega.top_n_transforms(
            params.category, value=measure.value, aggregate=measure.how, n=limit, other=True
        )
    encoding = {
        "theta": measure_encoding(measure),
        "color": vega.group_channel(params.category, type="nominal"),
    }
    return vega.build_spec(title=f"Share of {measure.total_phrase} by {params.category}", mark="arc", encoding=encoding,
                           filters=params.filters, profile=profile, transforms=transforms)


def _pie_measure(params: PieChartParams) -> Measure:
    aggregate = params.aggregate or ("sum" if params.value else "count")
    return resolve_measure(params.value, aggregate, duplicates=True, taken=[params.category])[0]


@dataclass(kw_only=True)
class PieData(ChartData):
    """A pie: ``sizes`` of the slices drawn, clockwise from twelve o'clock (largest first, "Other" last)."""

    sizes: pd.Series


def pie_data(params: PieChartParams, df: pd.DataFrame, profile: DatasetProfile) -> ChartData:
    """The slices, in order, and their colours; the finding names the largest slice and its share."""
    distinct_columns(category=params.category, value=params.value)
    require_columns(df, {"category": params.category, "value": params.value})
    notes: list[str] = []
    measure = _pie_measure(params)
    columns = {params.category: df[params.category]}
    if params.value:
        columns[params.value] = numeric_values(df, params.value, param="value")
    work = key_frame(df.index, columns).dropna(subset=[params.category])
    totals = measure_totals(work, params.category, measure.value, measure.how)
    limit = params.top_n if params.top_n is not None else PIE_DEFAULT_SLICES
    spec = _pie_spec(params, profile, measure=measure, limit=limit if len(totals) > limit else None)
    title = spec["title"]
    if not measure.additive:
        notes.append(f"Slices show the {measure.how} per {params.category}; their shares are of the sum of those.")
    if work.empty:
        return ChartData(title=title, spec=spec, notes=notes, empty=NO_ROWS_LEFT)

    if len(totals) > limit:
        keep = totals.sort_values(ascending=False, kind="stable").index[:limit]
        work = work.assign(**{params.category: lump_other(work[params.category], keep, total=len(totals))})
        notes.append(f"Showing the {limit} largest of {len(totals):,} {params.category} values; the rest as Other.")
    table = aggregate_values(work, [params.category], measure.value, measure.how, out=measure.field)
    sizes = table.set_index(params.category)[measure.field]
    dropped = sizes[~(sizes > 0)]
    if len(dropped):
        notes.append(
            f"{plural(len(dropped), 'category', 'categories')} with a zero, negative or missing value: no slice."
        )
    sizes = sizes[sizes > 0]
    if sizes.empty:
        return ChartData(title=title, spec=spec, notes=notes, empty=NO_ROWS_LEFT,
                         finding=f"No positive {measure.phrase} to show as slices.")
    others = [k for k in sizes.index if str(k).startswith("Other (")]
    sizes = pd.concat([sizes.drop(others).sort_values(ascending=False), sizes[others]])
    shares = sizes / sizes.sum()

    named = sizes.drop(others)
    top = named.idxmax() if not named.empty else sizes.idxmax()
    finding = (  # one slice is no "largest share": it is the whole
        f"{key_label(top)} makes up the largest share of {measure.total_phrase}: {share_text(shares[top])} "
        f"({format_number(sizes[top])} of {format_number(sizes.sum())})" if len(sizes) > 1 else
        f"{key_label(top)} makes up all of {measure.total_phrase}: {format_number(sizes[top])}"
    )
    if 1 < len(sizes) <= PIE_SLICES_NAMED:  # few slices: each one's share ("what percentage are faults?")
        rest = sizes.drop(top).sort_values(ascending=False, kind="stable")
        finding += "; " + ", ".join(f"{key_label(k)} {share_text(shares[k])} ({format_number(v)})"
                                    for k, v in rest.items())
    finding += "."
    slices = list(sizes.index)
    colours = Colours.ranked(params.category, slices,
                             [f"{key_label(k)} ({share_text(s)})" for k, s in shares.items()])
    rows = in_drawing_order(table[table[params.category].isin(slices)], {params.category: slices})
    return PieData(title=title, spec=spec, rows=rows, finding=finding, notes=notes, count_field=measure.field,
                   colours=colours, stacked=True, sizes=sizes)


def draw_pie_chart(chart: PieData) -> Figure:
    fig, ax = new_figure()
    ax.pie(
        chart.sizes.to_numpy(dtype=float),
        colors=list(chart.colours.colours) if chart.colours else None,
        startangle=90,
        counterclock=False,
        wedgeprops={"edgecolor": "white", "linewidth": 1},
        autopct=lambda pct: f"{pct:.0f}%" if pct >= 4 else "",
        pctdistance=0.75,
    )
    ax.set_aspect("equal")
    if chart.colours is not None:
        colour_legend(ax, chart.colours)
    ax.set_title(safe_text(chart.title, limit=90))
    return fig


def pie_chart(params: PieChartParams, df: pd.DataFrame, profile: DatasetProfile) -> ToolOutput:
    """Render the pie; the finding names the largest slice and its share."""
    return chart_output(pie_data(params, df, profile), draw_pie_chart)
