"""Figures: the axes, legends and marks every chart shares, and a tool's output drawn from its chart data
(:func:`chart_output`: the figure by the chart's ``draw_*``, the spec by :func:`chartdata.inline_spec` or the
chart's own; :func:`spec_only`: the same spec without the figure).

Figures are built with the object-oriented API (``matplotlib.figure.Figure``), never ``pyplot``, so tools
hold no global state and can run in any thread or process. Column names and cell values are untrusted
text: every string that reaches matplotlib goes through :func:`labels.safe_text`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ...contracts import DatasetProfile, Role
from .. import vega
from ..caps import CAPS
from ..chartdata import ChartData, Colours, inline_spec
from ..frame import column_kind
from ..registry import ToolOutput
from .labels import MAX_LABEL_CHARS, NUMBER_FORMATTER, key_label, safe_text

logger = logging.getLogger(__name__)

FIGSIZE = (8.0, 4.5)
MAX_TICK_LABELS = 30
NO_ROWS = "No rows to plot"
NO_ROWS_LEFT = "no rows are left after filtering"


def new_figure(*, figsize: tuple[float, float] = FIGSIZE) -> tuple[Figure, Axes]:
    """A standalone figure with constrained layout, so rotated labels and outside legends fit."""
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def finish_axes(ax: Axes, *, title: str, xlabel: str | None = None, ylabel: str | None = None) -> None:
    """Title and axis labels, escaped and shortened; light grid behind the marks."""
    ax.set_title(safe_text(title, limit=90))
    if xlabel is not None:
        ax.set_xlabel(safe_text(xlabel, limit=60))
    if ylabel is not None:
        ax.set_ylabel(safe_text(ylabel, limit=60))
    ax.grid(alpha=0.3)
    ax.set_axisbelow(True)


def category_axis(ax: Axes, labels: Sequence[str], *, axis: Literal["x", "y"] = "x") -> None:
    """Ticks at 0..n-1 labelled with categories: at most ``MAX_TICK_LABELS`` shown, rotated when crowded."""
    positions = np.arange(len(labels))
    step = max(1, math.ceil(len(labels) / MAX_TICK_LABELS))
    shown = positions[::step]
    texts = [safe_text(labels[i], limit=MAX_LABEL_CHARS) for i in shown]
    if axis == "y":
        ax.set_yticks(shown, texts)
        return
    ax.set_xticks(shown, texts)
    if len(shown) > 8 or sum(map(len, texts)) > 45:
        for label in ax.get_xticklabels():
            label.set_rotation(45)
            label.set_horizontalalignment("right")
            label.set_rotation_mode("anchor")


def date_axis(ax: Axes, *, axis: Literal["x", "y"] = "x") -> None:
    """Concise date ticks ("2015", "Mar", "04") instead of crowded full timestamps."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    lo, hi = (ax.dataLim.intervalx if axis == "x" else ax.dataLim.intervaly)
    if lo < mdates.date2num(np.datetime64("0002-01-01")) or hi > mdates.date2num(np.datetime64("9998-12-31")):
        # dates at matplotlib's ends (years 0001, 9999): no margin past them, which it cannot draw
        (ax.set_xlim if axis == "x" else ax.set_ylim)(lo, hi)
    locator = mdates.AutoDateLocator()
    target.set_major_locator(locator)
    target.set_major_formatter(mdates.ConciseDateFormatter(locator))


def outside_legend(ax: Axes, *, title: str | None, handles: Sequence[Any], labels: Sequence[str]) -> None:
    """A legend right of the axes (never covering marks); labels escaped."""
    if not handles:
        return
    ax.legend(
        handles,
        [safe_text(label, limit=MAX_LABEL_CHARS) for label in labels],
        title=safe_text(title, limit=MAX_LABEL_CHARS) if title else None,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        borderaxespad=0.0,
        fontsize="small",
        title_fontsize="small",
    )


def empty_output(title: str, *, notes: Iterable[str] = (), reason: str = NO_ROWS_LEFT) -> ToolOutput:
    """What every chart returns when there is nothing to draw: a figure saying so, never an exception."""
    logger.info("%s: no rows to plot (%s)", title, reason)
    fig, ax = new_figure()
    ax.set_axis_off()
    ax.set_title(safe_text(title, limit=90))
    ax.text(0.5, 0.5, NO_ROWS, ha="center", va="center", fontsize=14, color="#555555", transform=ax.transAxes)
    return ToolOutput(title=title, finding=f"{NO_ROWS}: {reason}.", figure=fig, notes=list(notes))


InlineSpec = Callable[[Any], tuple[dict[str, Any], list[str]]]
"""A chart's inline Vega-Lite spec and its notes, from its chart data (:func:`chartdata.inline_spec` or its own)."""


def chart_spec(chart: ChartData, spec: InlineSpec = inline_spec) -> tuple[dict[str, Any], list[str]]:
    """The chart's Vega-Lite spec with its rows inline (none when the chart is empty), and notes."""
    if chart.empty is not None:
        return vega.with_data(chart.spec, pd.DataFrame())
    return spec(chart)


def chart_output(chart: ChartData, draw: Callable[[Any], Figure], spec: InlineSpec = inline_spec) -> ToolOutput:
    """A tool's output drawn from its chart data: the inline spec by :func:`chart_spec` (as :func:`spec_only`
    computes it too, before anything is drawn), the figure by ``draw``."""
    inline, notes = chart_spec(chart, spec)
    if chart.empty is not None:
        out = empty_output(chart.title, notes=chart.notes + notes, reason=chart.empty)
        out.finding, out.table, out.spec = chart.finding or out.finding, chart.table, inline
        return out
    return ToolOutput(title=chart.title, finding=chart.finding, figure=draw(chart), table=chart.table, spec=inline,
                      notes=chart.notes + notes, chart=chart)


def spec_only(data: Callable[[Any, pd.DataFrame, DatasetProfile], ChartData],
              spec: InlineSpec = inline_spec) -> Callable[[Any, pd.DataFrame, DatasetProfile], dict[str, Any]]:
    """A chart tool's ``chart_spec``: the inline spec its ``run`` returns for the same rows (the same chart data,
    the same :func:`chart_spec`), with no figure drawn."""

    def chart_spec_of(params: Any, df: pd.DataFrame, profile: DatasetProfile) -> dict[str, Any]:
        return chart_spec(data(params, df, profile), spec)[0]

    return chart_spec_of


def colour_legend(ax: Axes, colours: Colours, *, handle: Literal["patch", "line", "point"] = "patch",
                  extra: Sequence[tuple[Any, str]] = (), titled: bool = True) -> None:
    """The legend of a colour split as its chart data lists it (top to bottom), titled by the split's column,
    plus ``extra`` (handle, label) entries (the scatter's sizes)."""
    make = {
        "patch": lambda c: Patch(facecolor=c),
        "line": lambda c: Line2D([], [], color=c, linewidth=1.6),
        "point": lambda c: Line2D([], [], color=c, marker="o", linestyle="None"),
    }[handle]
    entries = colours.legend
    outside_legend(ax, title=colours.field if titled else None,
                   handles=[make(c) for _, _, c in entries] + [h for h, _ in extra],
                   labels=[label for _, label, _ in entries] + [label for _, label in extra])


def plot_positions(series: pd.Series, *, role: Role | None) -> tuple[pd.Series, list[str] | None, str]:
    """Coordinates for a scatter axis: numbers and dates as they are, categories as 0..n-1 with labels."""
    kind = column_kind(series)
    if kind == "temporal":
        return series, None, "temporal"
    if kind == "numeric" and role in (None, "numeric"):
        return series.astype("float64"), None, "quantitative"
    categories = sorted(series.dropna().unique().tolist(), key=lambda v: (str(type(v)), v))
    codes = series.map({value: i for i, value in enumerate(categories)}).astype("float64")
    return codes, [key_label(c) for c in categories], "nominal"


def draw_points(ax: Axes, xs: Any, ys: Any, *, s: float | np.ndarray, **style: Any) -> Any:
    """``ax.scatter`` that stays small in an SVG: points of one size share one marker shape (a ~100-byte
    ``<use>`` each, where an array of equal sizes writes a ~650-byte path per point), and more than
    ``CAPS.vector_points`` points of their own sizes are drawn as an image inside the SVG."""
    sizes = np.asarray(s, dtype="float64")
    if sizes.ndim and len(sizes) and np.all(sizes == sizes[0]):
        sizes = sizes[:1].reshape(())
    raster = bool(sizes.ndim) and len(sizes) > CAPS.vector_points
    return ax.scatter(xs, ys, s=sizes if sizes.ndim else float(sizes), rasterized=raster, **style)


def dress_axis(ax: Axes, axis: Literal["x", "y"], kind: str, labels: list[str] | None) -> None:
    """Ticks for a scatter-like axis: category labels, concise dates or thousands-separated numbers."""
    if labels is not None:
        category_axis(ax, labels, axis=axis)
    elif kind == "temporal":
        date_axis(ax, axis=axis)
    else:
        (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(NUMBER_FORMATTER)
