"""The one computation behind a chart (issue #13 point 1): rows in drawing order, category order, colours.

A chart tool computes a :class:`ChartData` once from the filtered rows: the plotted rows in the order they
are drawn, the categories of its axis left to right, the colour of each category (:class:`Colours`) or the
colour ramp of a measure (:class:`Gradient`), its statistics, its finding and notes. Its matplotlib figure
and its Vega-Lite spec are both drawn from that object and from nothing else, so they cannot disagree: the
spec states what Vega would otherwise decide for itself (categories alphabetically, the ``tableau10``
colours in that order, stacks in the order of the data), through an explicit ``sort``, ``scale.domain``,
``scale.range`` and ``order`` channel (:func:`inline_spec`).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib import colors as mcolors

from . import vega
from .frame import json_value

Spec = dict[str, Any]

PALETTE: tuple[str, ...] = (
    "#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b",
    "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac",
)  # fmt: skip
"""Vega's ``tableau10``, in its order: the colours a spec without a ``scale.range`` would use too."""
FLAG_COLOR = "#d62728"
MUTED_COLOR = "#9aa5b1"
STACK_FIELD = "__stack"
"""The inline rows' position of each row's category in a stack (0 at the bottom, or the first slice of a pie):
the spec's ``order`` channel, so Vega stacks in the figure's order. A name no CSV column keeps (``__``
names are renamed, see :func:`vega.data_key`)."""


@dataclass(frozen=True)
class Colours:
    """The colour of each category of a split, and the order the figure draws them in.

    ``keys`` are in drawing order: the first is drawn first (the bottom of a stack, the left of a group of
    bars, the first slice of a pie) and gets the first colour. The legend lists them in that order, or top to
    bottom as a stack reads (``stacked``: the first drawn, at the bottom, is listed last).
    """

    field: str
    keys: tuple[Any, ...]
    labels: tuple[str, ...]
    colours: tuple[str, ...]
    stacked: bool = False

    @classmethod
    def ranked(cls, field: str, keys: Sequence[Any], labels: Sequence[str], *, stacked: bool = False) -> Colours:
        """The palette's colours in turn, for ``keys`` in drawing order."""
        colours = tuple(PALETTE[i % len(PALETTE)] for i in range(len(keys)))
        return cls(field, tuple(keys), tuple(labels), colours, stacked)

    def colour(self, key: Any) -> str:
        return self.colours[self.keys.index(key)]

    @property
    def legend(self) -> list[tuple[Any, str, str]]:
        """``(key, label, colour)`` as the legend lists them, top to bottom."""
        entries = list(zip(self.keys, self.labels, self.colours, strict=True))
        return entries[::-1] if self.stacked else entries

    def scale(self) -> Spec:
        """The Vega-Lite ``scale`` stating this legend's order and colours."""
        legend = self.legend
        return {"domain": [json_value(key) for key, _, _ in legend], "range": [c for _, _, c in legend]}

    def positions(self) -> dict[Any, int]:
        """Each category's place in the drawing order, by its value as the inline rows hold it."""
        return {json_value(key): i for i, key in enumerate(self.keys)}


@dataclass(frozen=True)
class Gradient:
    """A measure's colour ramp: a matplotlib colormap stretched over ``[lo, hi]``; Vega gets the same ramp as
    ``STOPS`` colours it interpolates between in RGB, as matplotlib does."""

    cmap: str
    lo: float
    hi: float

    STOPS = 21  # every tenth of the way, so a ramp of 11 colours (RdBu) keeps its own knots

    @classmethod
    def over(cls, cmap: str, values: Any) -> Gradient:
        finite = np.asarray(values, dtype="float64")
        finite = finite[np.isfinite(finite)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        return cls(cmap, lo, hi)

    @property
    def span(self) -> float:
        return self.hi - self.lo or 1.0

    def norm(self) -> mcolors.Normalize:
        return mcolors.Normalize(vmin=self.lo, vmax=self.lo + self.span)

    def scale(self) -> Spec:
        at = np.linspace(0.0, 1.0, self.STOPS)
        ramp = colormaps[self.cmap]
        return {
            "domain": [float(self.lo + t * self.span) for t in at],
            "range": [mcolors.to_hex(ramp(t)) for t in at],
            "interpolate": "rgb",
        }


@dataclass(kw_only=True)
class ChartData:
    """What a chart shows, computed once; the figure and the spec are drawn from it.

    ``spec`` is the chart's data-free Vega-Lite spec (its channels, titles and the transforms the rows went
    through), ``rows`` the plotted rows in drawing order, which the spec carries inline. ``order`` lists the
    categories of a category x axis left to right. ``empty`` says why nothing is drawn (the finding then says
    so too).
    """

    title: str
    spec: Spec
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    finding: str = ""
    notes: list[str] = field(default_factory=list)
    count_field: str = "count"
    order: list[Any] | None = None
    colours: Colours | None = None
    stacked: bool = False
    table: pd.DataFrame | None = None
    empty: str | None = None


def explicit_sort(channel: Spec, order: Sequence[Any]) -> None:
    """Give a discrete channel the drawing order of its categories as an explicit ``sort`` (in place).

    A channel with a time unit or bins keeps its natural order, which is the drawing order too; so does a
    sort by the measure ("-y") on such a channel, where Vega-Lite would compare periods, not the rows' dates.
    """
    if channel.get("type") == "nominal" or (channel.get("type") == "ordinal" and "timeUnit" not in channel):
        channel["sort"] = [json_value(key) for key in order]


def inline_spec(chart: ChartData) -> tuple[Spec, list[str]]:
    """The chart's Vega-Lite spec with its rows inline, stating the order and colours the figure uses."""
    spec = copy.deepcopy(chart.spec)
    encoding = spec.get("encoding", {})
    if chart.order is not None and "x" in encoding:
        explicit_sort(encoding["x"], chart.order)
    if chart.colours is not None and "color" in encoding:
        encoding["color"]["scale"] = chart.colours.scale()
        if "xOffset" in encoding:
            encoding["xOffset"]["sort"] = [json_value(key) for key in chart.colours.keys]
        if chart.stacked:
            encoding["order"] = {"field": STACK_FIELD, "type": "quantitative"}
    out, notes = vega.with_data(spec, chart.rows, count_field=chart.count_field)
    if chart.stacked and chart.colours is not None:
        place, key = chart.colours.positions(), vega.data_key(chart.colours.field)
        for record in out["data"]["values"]:
            record[STACK_FIELD] = place.get(record.get(key), len(place))
    return vega.literal_categories(out), notes
