"""Chart tools: params, a data-free Vega-Lite builder and a matplotlib renderer per chart.

Figures are built with the object-oriented API (``matplotlib.figure.Figure``), never ``pyplot``, so tools
hold no global state and can run in any thread or process. Column names and cell values are untrusted
text: every string that reaches matplotlib goes through :func:`safe_text`, which escapes ``$`` so a name
like ``$x$`` is drawn as typed instead of being parsed as mathtext (or failing to parse).

Each chart follows the same steps, shared through the helpers below: turn the grouping column into keys
(:func:`frame.group_keys`), resolve what is measured (:func:`resolve_measure`), aggregate
(:func:`frame.aggregate_values`), cap what cannot be read (too many categories or series, with a note), and
write a one-sentence finding with numbers. All of that is computed once into the chart's data
(:class:`chartdata.ChartData`: rows in drawing order, category order, colours, statistics); the figure
(``draw_*``) and the inline Vega-Lite spec (:func:`chartdata.inline_spec`, or a chart's own) are both drawn
from it alone (:func:`chart_output`), so they show the same chart.
"""

from __future__ import annotations

import copy
import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib import cbook
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter
from pydantic import Field

from ..contracts import Aggregate, DatasetProfile, Role, TimeUnit
from . import vega
from .caps import CAPS
from .chartdata import MUTED_COLOR, PALETTE, ChartData, Colours, Gradient, explicit_sort, inline_spec
from .downsample import COVER, LTTB, axis_numbers, cover_sample, drawn_note, lttb_indices
from .frame import (
    JSON_ROW_CAP,
    ColumnDataError,
    Keys,
    aggregate_values,
    bin_range,
    bin_starts,
    CYCLIC_UNITS,
    coarse_time_unit,
    column_kind,
    group_arrays,
    group_keys,
    json_records,
    lump_other,
    measure_totals,
    nice_bin_edges,
    numeric_values,
    partial_periods,
    require_columns,
    sample_positions,
    unique_name,
)
from .registry import AnyCol, GroupCol, NumericCol, ToolOutput, ToolParams, ToolSpec

logger = logging.getLogger(__name__)

SortOrder = Literal["ascending", "descending"]

FIGSIZE = (8.0, 4.5)
MAX_LABEL_CHARS = 30
MAX_TICK_LABELS = 30
MAX_SERIES = 10
"""Most colour groups drawn; the rest are lumped into one "Other" series (ten colours stay distinguishable)."""
MAX_CATEGORIES = 60
"""Most bars (or heatmap rows/columns) on a category axis before only the top ones are shown: every US state
or Montreal district still gets its bar; 1,600 restaurants do not."""
BAR_AUTO_DATES = 60
LINE_AUTO_DATES = 200
"""More distinct dates than this on a line and a coarser time unit is picked, so the trend stays readable."""
LINE_MAX_POINTS = 2000
"""A line with more points than this is drawn with this many, chosen by LTTB (numbers on x, or a fine time_unit)."""
BOX_MAX_GROUPS = 20
PIE_DEFAULT_SLICES = 10
PIE_SLICES_NAMED = 5
"""A pie of at most this many slices names each slice's share in its finding."""
NO_ROWS = "No rows to plot"
NO_ROWS_LEFT = "no rows are left after filtering"


# ==================================================================================================
# text and number formatting
# ==================================================================================================
def safe_text(value: Any, *, limit: int | None = None) -> str:
    """Untrusted text made safe for matplotlib: ``$`` escaped (no mathtext), long text shortened."""
    text = str(value)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("$", r"\$")


def format_number(value: Any) -> str:
    """A number for a sentence: thousands separators, no spurious decimals, ``n/a`` for missing."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "n/a"
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    magnitude = abs(number)
    if number.is_integer() and magnitude < 1e15:
        return f"{int(number):,}"
    if magnitude >= 100:
        return f"{number:,.0f}"
    if magnitude >= 1:
        return f"{number:,.2f}"
    return f"{number:.3g}"


def _tick_text(value: float, _pos: Any = None) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}"


NUMBER_FORMATTER = FuncFormatter(_tick_text)

_UNIT_FORMAT: dict[TimeUnit, str] = {
    "year": "%Y",
    "month": "%Y-%m",
    "week": "%Y-%m-%d",
    "day": "%Y-%m-%d",
    "hour": "%Y-%m-%d %H:00",
    "weekday": "%A",
    "month_of_year": "%b",
    "hour_of_day": "%H:00",
}


def key_label(value: Any, keys: Keys | None = None) -> str:
    """A grouping key as text: dates at their unit's precision, bins as ranges, numbers without separators."""
    if value is None or (not isinstance(value, (str, list, tuple)) and pd.isna(value)):
        return "(missing)"
    if isinstance(value, pd.Timestamp):
        unit = keys.time_unit if keys is not None else None
        if unit == "quarter":
            return f"{value.year} Q{value.quarter}"
        if unit == "quarter_of_year":
            return f"Q{value.quarter}"
        if unit is not None:
            return value.strftime(_UNIT_FORMAT[unit])
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.strftime("%Y-%m-%d %H:%M")
    if keys is not None and keys.kind == "binned" and keys.bin_step is not None:
        decimals = max(0, -math.floor(math.log10(keys.bin_step)))
        return f"{value:,.{decimals}f}–{float(value) + keys.bin_step:,.{decimals}f}"
    if isinstance(value, (float, np.floating)):
        return str(int(value)) if float(value).is_integer() else f"{value:.6g}"
    return str(value)


def axis_title(column: str, keys: Keys | None = None) -> str:
    """The axis label for a grouping column, naming the time unit it was grouped by."""
    if keys is not None and keys.time_unit is not None:
        return f"{column} (by {keys.time_unit})"
    return column


# ==================================================================================================
# figures
# ==================================================================================================
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


def empty_output(
    title: str,
    *,
    spec: dict[str, Any] | None = None,
    notes: Iterable[str] = (),
    reason: str = "no rows are left after filtering",
) -> ToolOutput:
    """What every chart returns when there is nothing to draw: a figure saying so, never an exception."""
    logger.info("%s: no rows to plot (%s)", title, reason)
    fig, ax = new_figure()
    ax.set_axis_off()
    ax.set_title(safe_text(title, limit=90))
    ax.text(0.5, 0.5, NO_ROWS, ha="center", va="center", fontsize=14, color="#555555", transform=ax.transAxes)
    if spec is not None:
        spec, _ = vega.with_data(spec, pd.DataFrame())
    return ToolOutput(title=title, finding=f"{NO_ROWS}: {reason}.", figure=fig, spec=spec, notes=list(notes))


def chart_output(chart: ChartData, draw: Callable[[Any], Figure],
                 spec: Callable[[Any], tuple[dict[str, Any], list[str]]] = inline_spec) -> ToolOutput:
    """A tool's output drawn from its chart data: the figure by ``draw``, the inline spec by ``spec``."""
    if chart.empty is not None:
        out = empty_output(chart.title, spec=chart.spec, notes=chart.notes, reason=chart.empty)
        out.finding, out.table = chart.finding or out.finding, chart.table
        return out
    figure = draw(chart)
    inline, notes = spec(chart)
    return ToolOutput(title=chart.title, finding=chart.finding, figure=figure, table=chart.table, spec=inline,
                      notes=chart.notes + notes, chart=chart)


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


def in_drawing_order(rows: pd.DataFrame, orders: dict[str, Sequence[Any]]) -> pd.DataFrame:
    """``rows`` sorted by each column's place in its order (the first column first), as they are drawn."""
    places = [pd.Index(list(order)).get_indexer(rows[column]) for column, order in orders.items()]
    return rows.iloc[np.lexsort(places[::-1])] if len(rows) else rows


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 row", "2 rows", "1,204 categories" (``many`` for irregular plurals)."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


# ==================================================================================================
# measures, categories and findings
# ==================================================================================================
@dataclass(frozen=True)
class Measure:
    """What a chart measures per group.

    ``how`` is what is computed, ``aggregate`` what the labels say: ``None`` means the values are shown
    as they are (each group has one row, so summing changes nothing and "Sum of" would mislead).
    """

    value: str | None
    how: Aggregate
    aggregate: Aggregate | None
    field: str

    @property
    def label(self) -> str:
        return vega.measure_title(self.value, self.aggregate)

    @property
    def phrase(self) -> str:
        """The label inside a sentence: "sum of revenue" (the column name keeps its case)."""
        label = self.label
        return label if self.aggregate is None and self.value is not None else label[0].lower() + label[1:]

    @property
    def total_phrase(self) -> str:
        """What shares are shares of: "rows", "total revenue", or the phrase for other aggregates."""
        if self.how == "count":
            return "rows"
        if self.how == "sum":
            return f"total {self.value}"
        return self.phrase

    @property
    def additive(self) -> bool:
        """Whether group values add up to a meaningful total (so shares of it can be quoted)."""
        return self.how in ("sum", "count")


def resolve_measure(
    value: str | None, aggregate: Aggregate | None, *, duplicates: bool, taken: Iterable[str]
) -> tuple[Measure, list[str]]:
    """Decide what is measured: rows counted when there is no value, values as-is unless groups repeat.

    Repeated categories with no aggregate asked for are summed, and a note says so, because silently
    overplotting bars (or picking one row) would show a number that is in no row of the CSV.
    """
    taken = list(taken)
    count_field = unique_name("count", taken)
    if value is None:
        notes = (
            [] if aggregate in (None, "count") else [f"aggregate {aggregate!r} needs a value column; counting rows."]
        )
        return Measure(None, "count", "count", count_field), notes
    if aggregate == "count":
        return Measure(value, "count", "count", count_field), []
    if aggregate is not None:
        return Measure(value, aggregate, aggregate, value), []
    if duplicates:
        group = next(iter(taken), "category")
        return Measure(value, "sum", "sum", value), [
            f"Several rows share each {group} value; showing the sum of {value}."
        ]
    return Measure(value, "sum", None, value), []


def profile_measure(
    profile: DatasetProfile, value: str | None, aggregate: Aggregate | None, *, group: str, grouped: bool
) -> Measure:
    """The measure the data-free spec shows: categories repeat when the profile says so or when binned."""
    col = profile.column(group)
    duplicates = grouped or col is None or col.distinct < col.count
    return resolve_measure(value, aggregate, duplicates=duplicates, taken=[group])[0]


def measure_encoding(measure: Measure) -> dict[str, Any]:
    """The Vega-Lite channel of a resolved measure.

    Values shown as-is still carry ``sum``: each group has one row, so the sum is the value, and the spec
    stays right should the data hold more rows per group than the profile suggested.
    """
    return vega.measure_channel(measure.value, measure.how, title=measure.label)


@dataclass(frozen=True)
class Grouped:
    """Rows ready to aggregate along a category axis: x keys, an optional colour split, the measure."""

    work: pd.DataFrame
    keys: Keys
    color: str | None
    group: list[str]
    measure: Measure
    notes: list[str]


def prepare_grouped(
    df: pd.DataFrame,
    profile: DatasetProfile,
    *,
    x: str,
    y: str | None,
    aggregate: Aggregate | None,
    color: str | None,
    bins: int | None,
    time_unit: TimeUnit | None,
    auto_max: int,
) -> Grouped:
    """The shared first half of bar and line charts: check columns, build keys, decide the measure."""
    distinct_columns(x=x, y=y)
    require_columns(df, {"x": x, "y": y, "color": color})
    notes: list[str] = []
    color = split_column(color, x, notes=notes)
    keys = group_keys(df[x], role=role_of(profile, x), bins=bins, time_unit=time_unit, auto_max=auto_max)
    notes += keys.notes
    columns = {x: keys.values}
    if color:
        columns[color] = df[color]
    if y:
        columns[y] = numeric_values(df, y, param="y")
    work = key_frame(df.index, columns).dropna(subset=[x])
    group = [x] + ([color] if color else [])
    # whether groups repeat matters only for a value shown as-is (and is a pass over every row)
    duplicates = y is not None and aggregate is None and bool(work.duplicated(group).any())
    measure, more = resolve_measure(y, aggregate, duplicates=duplicates, taken=group)
    return Grouped(work, keys, color, group, measure, notes + more)


def role_of(profile: DatasetProfile, column: str) -> Role | None:
    col = profile.column(column)
    return col.role if col is not None else None


def distinct_columns(**columns: str | None) -> None:
    """Two params naming the same column make no chart (revenue by revenue); say which."""
    seen: dict[str, str] = {}
    for param, column in columns.items():
        if column is None:
            continue
        if column in seen:
            raise ColumnDataError(
                f"Params {seen[column]!r} and {param!r} both name {column!r}; pick different columns."
            )
        seen[column] = param


def split_column(color: str | None, *others: str | None, notes: list[str]) -> str | None:
    """A colour split on a column already on an axis adds nothing; drop it with a note."""
    if color is not None and color in others:
        notes.append(f"color {color!r} is already on an axis; not split by it.")
        return None
    return color


def lump_series(
    work: pd.DataFrame, column: str | None, measure: Measure, *, max_series: int = MAX_SERIES
) -> tuple[pd.DataFrame, list[str]]:
    """Keep the ``max_series - 1`` largest groups of ``column`` and relabel the rest "Other (N more)"."""
    if column is None:
        return work, []
    totals = measure_totals(work, column, measure.value, measure.how)
    if len(totals) <= max_series:
        return work, []
    keep = totals.sort_values(ascending=False, kind="stable").index[: max_series - 1]
    out = work.assign(**{column: lump_other(work[column], keep, total=len(totals))})
    return out, [f"{column!r} has {len(totals):,} values; the {max_series - 1} largest are shown, the rest as Other."]


def select_categories(
    totals: pd.Series,
    keys: Keys,
    *,
    column: str,
    measure: Measure,
    sort: SortOrder | None = None,
    top_n: int | None = None,
    default_cap: int | None = MAX_CATEGORIES,
) -> tuple[list[Any], list[str]]:
    """Which categories to draw and in what order.

    ``top_n`` keeps the largest (the smallest when ``sort`` is ascending: "the bottom 3", "the 5 youngest");
    without it a nominal axis is still capped at ``default_cap`` (a note says "showing top 30 of N") while
    dates and bins keep all their periods. Order: by value when ``sort`` says so, dates and bins in their
    natural order, other categories from largest to smallest.
    """
    notes: list[str] = []
    if keys.kind == "binned" and keys.bin_step is not None and len(totals):
        full = bin_range(min(totals.index), max(totals.index), keys.bin_step)
        totals = totals.reindex(full, fill_value=0 if measure.additive else np.nan)  # empty bins keep their place
    limit = top_n if top_n is not None else (None if keys.kind in ("temporal", "binned", "ordinal") else default_cap)
    chosen = totals
    if limit is not None and len(totals) > limit:
        smallest = top_n is not None and sort == "ascending"
        chosen = totals.sort_values(ascending=smallest, kind="stable", na_position="last").head(limit)
        notes.append(f"Showing {'bottom' if smallest else 'top'} {limit} of {len(totals):,} {column} values by "
                     f"{measure.phrase}.")
    if sort is not None:
        chosen = chosen.sort_values(ascending=sort == "ascending", kind="stable", na_position="last")
    elif keys.ordered:
        chosen = chosen.sort_index()
    else:
        chosen = chosen.sort_values(ascending=False, kind="stable", na_position="last")
    return list(chosen.index), notes


def ranking_sentence(values: pd.Series, *, phrase: str, additive: bool) -> str:
    """ "North has the highest sum of revenue: 12,345 (34% of total); South the lowest: 2,000." Groups whose
    value is infinite (the column holds ±inf, or values too large to add) are named apart, not ranked."""
    values = values.dropna()
    infinite = values[~np.isfinite(values.astype(float))]
    values = values[np.isfinite(values.astype(float))]
    aside = ""
    if len(infinite):
        names = ", ".join(str(k) for k in list(infinite.index)[:5]) + (" …" if len(infinite) > 5 else "")
        aside = (f" {names}: {'an infinite' if len(infinite) == 1 else 'infinite'} {phrase} (the column holds "
                 "infinite values or values too large to add), left out of the comparison.")
    if values.empty:
        return f"No finite {phrase} to compare.{aside}" if aside else f"No {phrase} to compare."
    return _ranked(values, phrase=phrase, additive=additive) + aside


def _ranked(values: pd.Series, *, phrase: str, additive: bool) -> str:
    top_label, top = values.idxmax(), values.max()
    if len(values) == 1:  # "visitors from paid in May 2024": one group, its number is the answer
        return f"The {phrase} for {top_label} is {format_number(top)}."
    if len(values) > 1 and top == values.min():
        return f"All {len(values):,} groups have the same {phrase}: {format_number(top)}."
    total = values.sum()
    share = f" ({top / total:.0%} of total)" if additive and (values >= 0).all() and total > 0 else ""
    sentence = f"{top_label} has the highest {phrase}: {format_number(top)}{share}"
    if len(values) > 1:
        sentence += f"; {values.idxmin()} the lowest: {format_number(values.min())}"
    return sentence + "."


def labelled(series: pd.Series, keys: Keys | None) -> pd.Series:
    """The same values indexed by readable key labels, for sentences."""
    return pd.Series(series.to_numpy(), index=[key_label(k, keys) for k in series.index])


def key_frame(index: pd.Index, columns: dict[str, pd.Series]) -> pd.DataFrame:
    """The working frame: one column per grouping key or measure, named after its source column.

    Columns are aligned by position, not label, because a filtered CSV may carry duplicate index labels.
    """
    frame = pd.DataFrame({name: series.reset_index(drop=True) for name, series in columns.items()})
    return frame.set_axis(index)


def bin_frame(table: pd.DataFrame, keys: Keys) -> pd.DataFrame:
    """Add the ``<field>_end`` column Vega-Lite's ``bin: "binned"`` reads as ``x2``."""
    if keys.kind != "binned" or keys.bin_step is None:
        return table
    out = table.copy()
    name = str(keys.values.name)
    out[vega.bin_end_field(name)] = out[name] + keys.bin_step
    return out


def axis_channel(
    field: str,
    keys_kind: str,
    profile: DatasetProfile,
    *,
    bins: int | None,
    time_unit: TimeUnit | None,
    discrete: bool,
    sort: Any = None,
    title: str | None = None,
) -> dict[str, Any]:
    """A grouping axis in Vega-Lite: binned → quantitative, dates → temporal (ordinal for discrete marks)."""
    if keys_kind == "binned":
        return vega.group_channel(field, type="quantitative", bins=bins, sort=sort, title=title)
    if keys_kind == "temporal":
        kind = "ordinal" if discrete else "temporal"
        return vega.group_channel(field, type=kind, time_unit=time_unit, sort=sort, title=title)
    if keys_kind == "ordinal":
        return vega.group_channel(field, type="ordinal" if discrete else "quantitative", sort=sort, title=title)
    return vega.group_channel(field, type="nominal", sort=sort, title=title)


def profile_axis_kind(profile: DatasetProfile, column: str, *, bins: int | None) -> str:
    """The axis kind :func:`frame.group_keys` would produce, judged from the profile alone."""
    role = role_of(profile, column)
    col = profile.column(column)
    if role == "temporal":
        return "temporal"
    numeric = role == "numeric"
    if bins is not None and numeric:
        return "binned"
    if numeric and col is not None and not col.dtype.startswith("bool"):
        return "ordinal"
    return "nominal"


def profile_time_unit(
    profile: DatasetProfile, column: str, time_unit: TimeUnit | None, *, auto_max: int | None
) -> TimeUnit | None:
    """The time unit a temporal axis will use: the one asked for, or the automatic one for many dates."""
    col = profile.column(column)
    if col is None or col.role != "temporal":
        return None
    if time_unit is not None or auto_max is None or col.distinct <= auto_max:
        return time_unit
    return coarse_time_unit(col.min, col.max, max_points=auto_max)


def profile_limit(profile: DatasetProfile, column: str, kind: str, top_n: int | None, cap: int) -> int | None:
    """The category cap a spec should express: ``top_n``, or the default cap when there are more categories."""
    if top_n is not None:
        return top_n
    col = profile.column(column)
    if kind == "nominal" and (col is None or col.distinct > cap):
        return cap  # numbers keep every value, in order, as the drawing does (select_categories)
    return None


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


def series_order(rows: pd.DataFrame, column: str, field: str) -> list[Any]:
    """A split's series, largest total first, the lumped "Other (N more)" last: the order they are drawn in."""
    totals = rows.groupby(column, observed=True, sort=True)[field].sum().sort_values(ascending=False, kind="stable")
    names = totals.index.tolist()
    return [s for s in names if not str(s).startswith("Other (")] + [s for s in names if str(s).startswith("Other (")]


# ==================================================================================================
# bar_chart
# ==================================================================================================
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


def _scope(time_unit: TimeUnit | None, top_n: int | None = None, sort: str | None = None) -> list[str]:
    """What a title says the chart is limited to, besides its filters: "per month", "top 5", "bottom 3"."""
    out = [f"per {time_unit.replace('_', ' ')}"] if time_unit else []
    if top_n is not None:
        out.append(f"{'bottom' if sort == 'ascending' else 'top'} {top_n}")
    return out


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
    return vega.build_spec(
        title=_bar_title(measure, params.x, color),
        mark="bar",
        encoding=encoding,
        filters=params.filters,
        profile=profile,
        transforms=transforms,
        scope=_scope(time_unit, params.top_n, params.sort),
    )


def bar_chart_spec(params: BarChartParams, profile: DatasetProfile) -> dict[str, Any]:
    """The bar chart's Vega-Lite spec, without data."""
    kind = profile_axis_kind(profile, params.x, bins=params.x_bin)
    grouped = params.x_bin is not None or params.time_unit is not None
    measure = profile_measure(profile, params.y, params.aggregate, group=params.x, grouped=grouped)
    unit = profile_time_unit(profile, params.x, params.time_unit, auto_max=_bar_auto_dates(params))
    limit = profile_limit(profile, params.x, kind, params.top_n, MAX_CATEGORIES)
    return _bar_spec(params, profile, measure=measure, kind=kind, time_unit=unit, limit=limit)


def _bar_auto_dates(params: BarChartParams) -> int | None:
    """Most dates drawn before a coarser time unit is picked; "the 10 hottest days" keeps its days."""
    return None if params.top_n is not None else BAR_AUTO_DATES


def _grouped_xy(params: BarChartParams | LineChartParams, df: pd.DataFrame, profile: DatasetProfile, *,
                auto_max: int) -> tuple:
    """Bar and line charts group the same way: x (binned or by time unit), an optional colour, a measure."""
    g = prepare_grouped(df, profile, x=params.x, y=params.y, aggregate=params.aggregate, color=params.color,
                        bins=params.x_bin, time_unit=params.time_unit, auto_max=auto_max)
    return g.work, g.keys, g.color, g.group, g.measure, g.notes


@dataclass(kw_only=True)
class BarData(ChartData):
    """A bar chart: ``rows`` hold one row per bar (x, the colour split, the measure in ``count_field``)."""

    x: str
    x_labels: list[str]
    x_title: str
    y_title: str


def bar_data(params: BarChartParams, df: pd.DataFrame, profile: DatasetProfile) -> ChartData:
    """The bars, their order and colours, and the finding naming the highest and lowest bar."""
    work, keys, color, group, measure, notes = _grouped_xy(params, df, profile, auto_max=_bar_auto_dates(params))
    per_x = aggregate_values(work, [params.x], measure.value, measure.how, out=measure.field)
    totals = per_x.set_index(params.x)[measure.field]
    limit = (
        params.top_n
        if params.top_n is not None
        else (MAX_CATEGORIES if keys.kind in ("nominal", "ordinal") and len(totals) > MAX_CATEGORIES else None)
    )
    spec = _bar_spec(params, profile, measure=measure, kind=keys.kind, time_unit=keys.time_unit, limit=limit)
    if work.empty:
        return ChartData(title=spec["title"], spec=spec, notes=notes, empty=NO_ROWS_LEFT)

    order, more = select_categories(
        totals, keys, column=params.x, measure=measure, sort=params.sort, top_n=params.top_n
    )
    notes += more
    hidden = not set(totals.index) <= set(order)  # some categories are not shown: their rows go
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


# ==================================================================================================
# line_chart
# ==================================================================================================
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
    return vega.build_spec(
        title=title,
        mark="area" if params.area else "line",
        encoding=encoding,
        filters=params.filters,
        profile=profile,
        scope=_scope(time_unit),
    )


def line_chart_spec(params: LineChartParams, profile: DatasetProfile) -> dict[str, Any]:
    """The line chart's Vega-Lite spec, without data."""
    kind = profile_axis_kind(profile, params.x, bins=params.x_bin)
    unit = profile_time_unit(profile, params.x, params.time_unit, auto_max=LINE_AUTO_DATES)
    grouped = params.x_bin is not None or unit is not None
    measure = profile_measure(profile, params.y, params.aggregate, group=params.x, grouped=grouped)
    return _line_spec(params, profile, measure=measure, kind=kind, time_unit=unit)


def _trend_sentence(series: pd.Series, keys: Keys, *, phrase: str) -> str:
    """ "sum of revenue went from 1,000 (2015-01) to 2,000 (2015-12), +100%; the peak was 2,500 in 2015-11." """
    series = series.dropna()
    first, last = series.iloc[0], series.iloc[-1]
    change = f", {(last - first) / abs(first):+.0%}" if first != 0 else ""
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
    work, keys, color, group, measure, notes = _grouped_xy(params, df, profile, auto_max=LINE_AUTO_DATES)
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
        for start in partial:
            notes.append(
                f"The {keys.time_unit} of {key_label(start, keys)} is only partly covered by the data; "
                "the finding leaves it out."
            )
        if len(trend_values.drop(partial, errors="ignore").dropna()):
            trend_values = trend_values.drop(partial, errors="ignore")
    if color:
        trend = _trend_sentence(trend_values, keys, phrase=measure.phrase)
        finding = f"Of {plural(len(names), color + ' line')}, {key_label(main)} is largest overall: its {trend}."
    else:
        finding = _trend_sentence(trend_values, keys, phrase=measure.label) + "."
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


# ==================================================================================================
# scatter_plot
# ==================================================================================================
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
    return vega.build_spec(
        title=f"{params.y} vs {params.x}",
        mark="point",
        encoding=encoding,
        filters=params.filters,
        profile=profile,
    )


def scatter_plot_spec(params: ScatterPlotParams, profile: DatasetProfile) -> dict[str, Any]:
    """The scatter plot's Vega-Lite spec, without data."""
    size, _ = _size_measure(params, [params.x, params.y, params.color or ""])
    return _scatter_spec(params, profile, size=size)


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


def _scaled_sizes(values: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Marker areas 15..200 pt² spanning the data range; missing sizes get the smallest marker."""
    if not np.isfinite(values).any():
        return np.full(len(values), 30.0), 0.0, 1.0
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    span = hi - lo or 1.0
    return 15 + 185 * (np.nan_to_num(values, nan=lo) - lo) / span, lo, span


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
            size_refs.append((15 + 185 * (ref - lo) / span, f"{size.label if size else size_column}: "
                                                            f"{format_number(ref)}"))
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


# ==================================================================================================
# histogram
# ==================================================================================================
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
    return vega.build_spec(
        title=f"Distribution of {params.column}",
        mark="bar",
        encoding=encoding,
        filters=params.filters,
        profile=profile,
    )


def histogram_spec(params: HistogramParams, profile: DatasetProfile) -> dict[str, Any]:
    """The histogram's Vega-Lite spec, without data."""
    return _histogram_spec(params, profile)


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
        f"({format_number(totals[top])} of {len(values):,} rows, {totals[top] / len(values):.0%}); "
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


# ==================================================================================================
# box_plot
# ==================================================================================================
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
    return vega.build_spec(
        title=title,
        mark="boxplot",
        encoding=encoding,
        filters=params.filters,
        profile=profile,
    )


def box_plot_spec(params: BoxPlotParams, profile: DatasetProfile) -> dict[str, Any]:
    """The box plot's Vega-Lite spec, without data."""
    if params.by is None:
        return _box_spec(params, profile, kind="nominal", time_unit=None)
    kind = profile_axis_kind(profile, params.by, bins=None)
    unit = profile_time_unit(profile, params.by, params.time_unit, auto_max=BOX_MAX_GROUPS)
    return _box_spec(params, profile, kind=kind, time_unit=unit)


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


# ==================================================================================================
# pie_chart
# ==================================================================================================
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
    return vega.build_spec(
        title=f"Share of {measure.total_phrase} by {params.category}",
        mark="arc",
        encoding=encoding,
        filters=params.filters,
        profile=profile,
        transforms=transforms,
    )


def _pie_measure(params: PieChartParams) -> Measure:
    aggregate = params.aggregate or ("sum" if params.value else "count")
    return resolve_measure(params.value, aggregate, duplicates=True, taken=[params.category])[0]


def pie_chart_spec(params: PieChartParams, profile: DatasetProfile) -> dict[str, Any]:
    """The pie chart's Vega-Lite spec, without data."""
    limit = profile_limit(profile, params.category, "nominal", params.top_n, PIE_DEFAULT_SLICES)
    return _pie_spec(params, profile, measure=_pie_measure(params), limit=limit)


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
    finding = (
        f"{key_label(top)} makes up the largest share of {measure.total_phrase}: {shares[top]:.0%} "
        f"({format_number(sizes[top])} of {format_number(sizes.sum())})"
    )
    if 1 < len(sizes) <= PIE_SLICES_NAMED:  # few slices: each one's share ("what percentage are faults?")
        rest = sizes.drop(top).sort_values(ascending=False, kind="stable")
        finding += "; " + ", ".join(f"{key_label(k)} {shares[k]:.0%} ({format_number(v)})" for k, v in rest.items())
    finding += "."
    slices = list(sizes.index)
    colours = Colours.ranked(params.category, slices, [f"{key_label(k)} ({s:.0%})" for k, s in shares.items()])
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


# ==================================================================================================
# heatmap
# ==================================================================================================
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
    """``x``/``y`` are (axis kind, time unit) pairs, from the profile or from the grouped data."""
    encoding = {
        "x": axis_channel(params.x, x[0], profile, bins=params.x_bin, time_unit=x[1], discrete=True),
        "y": axis_channel(params.y, y[0], profile, bins=params.y_bin, time_unit=y[1], discrete=True),
        "color": measure_encoding(measure),
    }
    return vega.build_spec(
        title=f"{measure.label} by {params.x} and {params.y}",
        mark="rect",
        encoding=encoding,
        filters=params.filters,
        profile=profile,
    )


def _heatmap_measure(params: HeatmapParams) -> tuple[Measure, list[str]]:
    return resolve_measure(params.value, params.aggregate, duplicates=True, taken=[params.x, params.y])


def heatmap_spec(params: HeatmapParams, profile: DatasetProfile) -> dict[str, Any]:
    """The heatmap's Vega-Lite spec, without data."""
    measure, _ = _heatmap_measure(params)
    x = (
        profile_axis_kind(profile, params.x, bins=params.x_bin),
        profile_time_unit(profile, params.x, params.time_unit, auto_max=BAR_AUTO_DATES),
    )
    y = (
        profile_axis_kind(profile, params.y, bins=params.y_bin),
        profile_time_unit(profile, params.y, None, auto_max=BAR_AUTO_DATES),
    )
    return _heatmap_spec(params, profile, measure=measure, x=x, y=y)


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
        finding = (
            f"The highest {measure.phrase} is at {params.x} = {key_label(best[params.x], x_keys)} and "
            f"{params.y} = {key_label(best[params.y], y_keys)}: {format_number(best[measure.field])}."
        )
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


# ==================================================================================================
# correlation_heatmap
# ==================================================================================================
class CorrelationHeatmapParams(ToolParams):
    """Correlation coefficients between numeric columns, to spot which move together."""

    columns: list[NumericCol] = Field(
        default_factory=list,
        max_length=15,
        description="Numeric columns to correlate; leave empty for every numeric column (up to 15).",
    )
    method: Literal["pearson", "spearman"] = Field(
        "pearson", description="pearson for linear relationships, spearman for monotonic ones (robust to outliers)."
    )


CORRELATION_FIELDS = ("column_x", "column_y", "correlation")


def correlation_heatmap_spec(params: CorrelationHeatmapParams, profile: DatasetProfile) -> dict[str, Any]:
    """The correlation heatmap's Vega-Lite spec, without data; its fields are those of the correlation matrix."""
    x, y, r = CORRELATION_FIELDS
    encoding = {
        "x": {"field": x, "type": "nominal", "title": None, "sort": None},
        "y": {"field": y, "type": "nominal", "title": None, "sort": None},
        "color": {
            "field": r,
            "type": "quantitative",
            "title": f"{params.method.capitalize()} correlation",
            "scale": {"domain": [-1, 1], "scheme": "redblue", "reverse": True},
        },
    }
    spec = vega.build_spec(
        title=f"{params.method.capitalize()} correlation between numeric columns",
        mark="rect",
        encoding=encoding,
        profile=profile,
    )
    spec["usermeta"] = {"data": "one row per pair of columns: column_x, column_y, correlation"}
    if params.filters:
        spec["usermeta"]["filters"] = [f.model_dump() for f in params.filters]
    return spec


def _numeric_columns(
    params: CorrelationHeatmapParams, df: pd.DataFrame, profile: DatasetProfile
) -> tuple[list[str], list[str]]:
    notes: list[str] = []
    if params.columns:
        columns = list(dict.fromkeys(params.columns))
    else:
        known = [c for c in profile.names_with_role("numeric") if c in df.columns]
        columns = known or [str(c) for c in df.columns if column_kind(df[c]) == "numeric"]
        if len(columns) > 15:
            notes.append(f"Using the first 15 of {len(columns)} numeric columns.")
            columns = columns[:15]
    if len(columns) < 2:
        raise ColumnDataError(f"correlation_heatmap needs at least two numeric columns; got {columns or 'none'}.")
    return columns, notes


def correlation_precheck(params: CorrelationHeatmapParams, profile: DatasetProfile) -> str | None:
    numeric = list(dict.fromkeys(params.columns)) or profile.names_with_role("numeric")
    if len(numeric) < 2:
        return f"a correlation needs at least two numeric columns; the data has {len(numeric) or 'none'}"
    return None


def correlation_data(params: CorrelationHeatmapParams, df: pd.DataFrame, profile: DatasetProfile) -> ChartData:
    """The correlation matrix; the finding names the most strongly correlated pair."""
    require_columns(df, {f"columns[{i}]": c for i, c in enumerate(params.columns)})
    columns, notes = _numeric_columns(params, df, profile)
    spec = correlation_heatmap_spec(params, profile)
    title = spec["title"]
    frame = pd.DataFrame({c: numeric_values(df, c, param="columns") for c in columns}, index=df.index)
    if len(frame.dropna(how="all")) < 2:
        reason = "fewer than 2 rows have values" if len(df) else NO_ROWS_LEFT
        return ChartData(title=title, spec=spec, notes=notes, empty=reason)
    corr = frame.corr(method=params.method, min_periods=3)
    constant = [c for c in columns if corr[c].isna().all()]
    if constant:
        notes.append(f"No correlation for {', '.join(constant)} (constant or too few values).")

    rows = pd.DataFrame(
        [(cx, cy, corr.loc[cy, cx]) for cy in columns for cx in columns], columns=list(CORRELATION_FIELDS)
    )
    pairs = rows[rows[CORRELATION_FIELDS[0]] != rows[CORRELATION_FIELDS[1]]].dropna()
    if pairs.empty:
        finding = "No pair of columns has a computable correlation."
    else:
        best = pairs.loc[pairs[CORRELATION_FIELDS[2]].abs().idxmax()]
        r = float(best[CORRELATION_FIELDS[2]])
        finding = (
            f"The strongest correlation is between {best[CORRELATION_FIELDS[1]]} and {best[CORRELATION_FIELDS[0]]}: "
            f"{params.method} r = {r:.2f} ({correlation_words(r).removeprefix('a ')})."
        )
    return HeatmapData(
        title=title, spec=spec, rows=rows, finding=finding, notes=notes, order=columns,
        grid=corr.loc[columns, columns].to_numpy(dtype=float), y_order=columns, x_labels=columns, y_labels=columns,
        x_title=None, y_title=None, gradient=Gradient("RdBu_r", -1.0, 1.0),
        colour_title=f"{params.method.capitalize()} correlation", decimals=2,
    )


def correlation_heatmap(params: CorrelationHeatmapParams, df: pd.DataFrame, profile: DatasetProfile) -> ToolOutput:
    """Render the correlation matrix; the finding names the most strongly correlated pair."""
    return chart_output(correlation_data(params, df, profile), draw_heatmap, heatmap_inline_spec)


# ==================================================================================================
# registry entries
# ==================================================================================================
CHART_TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        name="bar_chart",
        kind="chart",
        params=BarChartParams,
        run=bar_chart,
        vega_lite=bar_chart_spec,
        description="Compare a count or an aggregated number across categories (optionally split by a second one).",
    ),
    ToolSpec(
        name="line_chart",
        kind="chart",
        params=LineChartParams,
        run=line_chart,
        vega_lite=line_chart_spec,
        description="Show how a count or a number changes over time (or another ordered axis).",
    ),
    ToolSpec(
        name="scatter_plot",
        kind="chart",
        params=ScatterPlotParams,
        run=scatter_plot,
        vega_lite=scatter_plot_spec,
        description="Show the relationship between two columns, one point per row.",
    ),
    ToolSpec(
        name="histogram",
        kind="chart",
        params=HistogramParams,
        run=histogram,
        vega_lite=histogram_spec,
        description="Show the distribution of one numeric column as counts per range.",
    ),
    ToolSpec(
        name="box_plot",
        kind="chart",
        params=BoxPlotParams,
        run=box_plot,
        vega_lite=box_plot_spec,
        description="Compare the spread (median, quartiles, outliers) of a numeric column, overall or per category.",
    ),
    ToolSpec(
        name="pie_chart",
        kind="chart",
        params=PieChartParams,
        run=pie_chart,
        vega_lite=pie_chart_spec,
        description="Show each category's share of a total (few categories).",
    ),
    ToolSpec(
        name="heatmap",
        kind="chart",
        params=HeatmapParams,
        run=heatmap,
        vega_lite=heatmap_spec,
        description="Show a count or aggregated number for every combination of two categories.",
    ),
    ToolSpec(
        name="correlation_heatmap",
        kind="chart",
        params=CorrelationHeatmapParams,
        run=correlation_heatmap,
        vega_lite=correlation_heatmap_spec,
        precheck=correlation_precheck,
        description="Show correlations between numeric columns and name the strongest pair.",
    ),
)
