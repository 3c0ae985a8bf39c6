"""What a chart measures, which categories it shows and in what order, and the sentences that rank them;
shared by the chart tools and the table tools.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from ...contracts import Aggregate, DatasetProfile, Role, TimeUnit
from .. import vega
from ..frame import (
    ColumnDataError,
    Keys,
    bin_range,
    group_keys,
    lump_other,
    measure_totals,
    numeric_values,
    require_columns,
    unique_name,
)
from .labels import format_number, key_label, share_text

SortOrder = Literal["ascending", "descending"]

MAX_SERIES = 10
"""Most colour groups drawn; the rest are lumped into one "Other" series (ten colours stay distinguishable)."""
MAX_CATEGORIES = 60
"""Most bars (or heatmap rows/columns) on a category axis before only the top ones are shown: every US state
or Montreal district still gets its bar; 1,600 restaurants do not."""


def in_drawing_order(rows: pd.DataFrame, orders: dict[str, Sequence[Any]]) -> pd.DataFrame:
    """``rows`` sorted by each column's place in its order (the first column first), as they are drawn."""
    places = [pd.Index(list(order)).get_indexer(rows[column]) for column, order in orders.items()]
    return rows.iloc[np.lexsort(places[::-1])] if len(rows) else rows


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
    share = f" ({share_text(top / total)} of total)" if additive and (values >= 0).all() and total > 0 else ""
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


def series_order(rows: pd.DataFrame, column: str, field: str) -> list[Any]:
    """A split's series, largest total first, the lumped "Other (N more)" last: the order they are drawn in."""
    totals = rows.groupby(column, observed=True, sort=True)[field].sum().sort_values(ascending=False, kind="stable")
    names = totals.index.tolist()
    return [s for s in names if not str(s).startswith("Other (")] + [s for s in names if str(s).startswith("Other (")]


def title_scope(time_unit: TimeUnit | None, top_n: int | None = None, sort: str | None = None) -> list[str]:
    """What a title says the chart is limited to, besides its filters: "per month", "top 5", "bottom 3"."""
    out = [f"per {time_unit.replace('_', ' ')}"] if time_unit else []
    if top_n is not None:
        out.append(f"{'bottom' if sort == 'ascending' else 'top'} {top_n}")
    return out


def grouped_xy(params: Any, df: pd.DataFrame, profile: DatasetProfile, *,
                auto_max: int) -> tuple:
    """Bar and line charts group the same way: x (binned or by time unit), an optional colour, a measure."""
    g = prepare_grouped(df, profile, x=params.x, y=params.y, aggregate=params.aggregate, color=params.color,
                        bins=params.x_bin, time_unit=params.time_unit, auto_max=auto_max)
    return g.work, g.keys, g.color, g.group, g.measure, g.notes
