"""Row-level helpers every tool shares: filters, typed column access, grouping keys, aggregation, JSON rows.

Tools receive a DataFrame that profiling already typed (dates are ``datetime64``, numbers are numbers) and
that the caller already filtered with :func:`apply_filters`. What is left for a tool is to turn columns into
grouping keys (a date floored to a month, a number put in a bin), aggregate a measure over those keys and
hand the plotted rows to Vega-Lite as JSON. Keeping those steps here means a bar chart, a pie chart, a
heatmap and an aggregate table agree on what "sum of revenue by month" is.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..contracts import Aggregate, FilterSpec, Role, Scalar, TimeUnit
from ..errors import ToolParamError, UnknownColumnError
from .caps import CAPS

logger = logging.getLogger(__name__)

JSON_ROW_CAP = CAPS.spec_rows
"""Most rows a Vega-Lite spec carries inline: enough for any aggregated chart, small enough for a report."""

TIME_UNITS: tuple[TimeUnit, ...] = ("hour", "day", "week", "month", "quarter", "year")
"""Finest to coarsest, the order :func:`coarse_time_unit` tries them in."""

# Weeks start on Sunday, as Vega-Lite's ``yearweek`` does, so inline data and spec agree on week starts.
_PERIOD_FREQ: dict[TimeUnit, str] = {
    "year": "Y",
    "quarter": "Q",
    "month": "M",
    "week": "W-SAT",
    "day": "D",
    "hour": "h",
}
_UNIT_DAYS: dict[TimeUnit, float] = {
    "hour": 1 / 24,
    "day": 1.0,
    "week": 7.0,
    "month": 30.44,
    "quarter": 91.31,
    "year": 365.25,
}

ColumnKind = Literal["temporal", "numeric", "boolean", "text"]
AxisKind = Literal["temporal", "binned", "ordinal", "nominal"]


class MissingColumnError(UnknownColumnError, ValueError):
    """A param or filter names a column the DataFrame lacks.

    Also a ``ValueError`` so callers that only know the standard library still catch it.
    """


class ColumnDataError(ToolParamError, ValueError):
    """A column's values don't fit what the param needs (text where numbers are needed, an unparseable date)."""


# --------------------------------------------------------------------------------------------------
# column access
# --------------------------------------------------------------------------------------------------
def require_columns(df: pd.DataFrame, columns: Mapping[str, str | None]) -> None:
    """Fail with one clear message before any work if a param names a column the frame lacks.

    ``columns`` maps param name to column name; ``None`` values (unset optional params) are skipped.
    """
    known = [str(c) for c in df.columns]
    for param, column in columns.items():
        if column is not None and column not in df.columns:
            logger.info("param %s names missing column %r", param, column)
            raise MissingColumnError(column, known)


def column_kind(series: pd.Series) -> ColumnKind:
    """What a column holds, judged from its dtype (profiling already parsed it)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return "temporal"
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_numeric_dtype(series):
        return "numeric"
    return "text"


def numeric_values(df: pd.DataFrame, column: str, *, param: str) -> pd.Series:
    """The column as floats, infinities as NaN; text that is not a number fails loudly.

    A tool given a text column in a numeric param would otherwise plot nonsense or crash deep in matplotlib;
    raising here names the param and the offending value, which execution records as the step's failure.
    """
    series = df[column]
    kind = column_kind(series)
    if kind == "temporal":
        raise ColumnDataError(f"Param {param!r} needs a numeric column, but {column!r} holds dates.")
    if kind in ("numeric", "boolean"):
        values = series.astype("float64")
    else:
        values = pd.to_numeric(series, errors="coerce").astype("float64")
        bad = series.notna() & values.isna()
        if bad.any():
            example = series[bad].iloc[0]
            raise ColumnDataError(
                f"Param {param!r} needs a numeric column, but {column!r} holds text such as {str(example)[:40]!r} "
                f"({int(bad.sum())} of {int(series.notna().sum())} values are not numbers)."
            )
    infinite = np.isinf(values.to_numpy())
    return values.mask(infinite) if infinite.any() else values


def unique_name(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base_2``, ``base_3``… so a derived column never overwrites a real one."""
    used = set(map(str, taken))
    if base not in used:
        return base
    i = 2
    while f"{base}_{i}" in used:
        i += 1
    return f"{base}_{i}"


# --------------------------------------------------------------------------------------------------
# filters
# --------------------------------------------------------------------------------------------------
def apply_filters(df: pd.DataFrame, filters: Iterable[FilterSpec]) -> pd.DataFrame:
    """Keep the rows every filter accepts (filters are ANDed).

    Comparison follows the column's type, because the filter values come from a question or an LLM as
    loosely typed scalars: numbers compare numerically, strings case-insensitively ("north" finds "North"),
    and a date column compares by the precision of the value given, so ``gte 2015`` means on or after
    2015-01-01 and ``eq 2015-03`` means any time in March 2015. Rows with a missing value match no
    comparison except ``neq`` (a missing region is not "North") and ``eq``/``neq`` against ``None``.
    """
    filters = list(filters)
    if not filters:
        return df
    mask = np.ones(len(df), dtype=bool)
    for spec in filters:
        if spec.column not in df.columns:
            raise MissingColumnError(spec.column, [str(c) for c in df.columns])
        mask &= _filter_mask(df[spec.column], spec)
    logger.debug("filters kept %d of %d rows", int(mask.sum()), len(df))
    return df.loc[mask]


def filter_operands(spec: FilterSpec) -> list[Scalar]:
    """The values a filter compares against, checked for count: ``in`` needs some, ``range`` exactly two."""
    if spec.op in ("in", "not_in"):
        values = list(spec.values) or ([spec.value] if spec.value is not None else [])
        if not values:
            raise ValueError(f"Filter {spec.op!r} on column {spec.column!r} needs a non-empty `values` list.")
        return values
    if spec.op == "range":
        if len(spec.values) != 2:
            raise ValueError(f"Filter 'range' on column {spec.column!r} needs `values` = [low, high].")
        return list(spec.values)
    if spec.value is None and len(spec.values) == 1:
        return [spec.values[0]]
    if spec.value is None and spec.op not in ("eq", "neq"):
        raise ValueError(f"Filter {spec.op!r} on column {spec.column!r} needs a `value`.")
    return [spec.value]


def _filter_mask(series: pd.Series, spec: FilterSpec) -> np.ndarray:
    operands = filter_operands(spec)
    if spec.op in ("eq", "neq") and operands[0] is None:
        hit = series.isna().to_numpy()
        return hit if spec.op == "eq" else ~hit
    kind = column_kind(series)
    if spec.part is not None:
        if kind != "temporal":
            raise ColumnDataError(f"Filter on the {spec.part} of {spec.column!r} needs a date column; "
                                  f"{spec.column!r} holds {kind} values.")
        keys = date_part(series, spec.part)
        result = _scalar_mask(keys, spec.op, [_number_operand(v, spec.column, boolean=False) for v in operands])
    elif kind == "temporal":
        result = _temporal_mask(series, spec, operands)
    else:
        if kind == "text":
            keys = series.astype("string").str.casefold()
            operands = [_text_operand(v) for v in operands]
        else:
            keys = series.astype("float64")
            operands = [_number_operand(v, spec.column, boolean=kind == "boolean") for v in operands]
        result = _scalar_mask(keys, spec.op, operands)
    return np.asarray(result.fillna(False) if isinstance(result, pd.Series) else result, dtype=bool)


def _scalar_mask(keys: pd.Series, op: str, operands: list[Any]) -> pd.Series:
    """Compare already-normalised keys (casefolded text or floats) with normalised operands."""
    first = operands[0]
    if op == "eq":
        return keys == first
    if op == "neq":
        return (keys != first) | keys.isna()
    if op == "in":
        return keys.isin(operands)
    if op == "not_in":
        return ~keys.isin(operands) | keys.isna()
    if op == "gt":
        return keys > first
    if op == "gte":
        return keys >= first
    if op == "lt":
        return keys < first
    if op == "lte":
        return keys <= first
    lo, hi = operands
    return (keys >= lo) & (keys <= hi)


def _text_operand(value: Scalar) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).casefold()


_TRUE = {"true", "yes", "y", "t", "1"}
_FALSE = {"false", "no", "n", "f", "0"}


def _number_operand(value: Scalar, column: str, *, boolean: bool) -> float:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    if boolean and text.casefold() in _TRUE | _FALSE:
        return float(text.casefold() in _TRUE)
    try:
        return float(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise ColumnDataError(f"Filter on column {column!r} compares numbers, but got {value!r}.") from None


_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})[- ]?[Qq]([1-4])$")
_HAS_TIME = re.compile(r"\d[T ]\d{1,2}:\d{2}")


def date_part(series: pd.Series, part: str) -> pd.Series:
    """A part of each date as a number: year, quarter 1-4, month 1-12, weekday 1 (Monday) … 7, hour 0-23."""
    if series.dt.tz is not None:
        series = series.dt.tz_localize(None)
    values = {"year": series.dt.year, "quarter": series.dt.quarter, "month": series.dt.month,
              "weekday": series.dt.day_of_week + 1, "hour": series.dt.hour}[part]
    return values.astype("float64")


def date_interval(value: Scalar, *, column: str) -> tuple[pd.Timestamp, pd.Timestamp | None]:
    """``(start, end)`` of the period a filter value names; ``end`` is exclusive, ``None`` for an instant.

    A bare year names the whole year, ``2015-03`` the month, ``2015-Q2`` the quarter, a date without a time
    the whole day. This is what lets "since 2015" or "in March 2015" filter a column of timestamps.
    """
    if isinstance(value, bool) or value is None:
        raise ColumnDataError(f"Filter on date column {column!r} needs a date, got {value!r}.")
    if isinstance(value, (int, float)) and float(value).is_integer() and 1000 <= value <= 9999:
        text = str(int(value))
    else:
        text = str(value).strip()
    try:
        if _YEAR.match(text):
            start = pd.Timestamp(year=int(text), month=1, day=1)
            return start, start + pd.DateOffset(years=1)
        if m := _YEAR_MONTH.match(text):
            start = pd.Timestamp(year=int(m[1]), month=int(m[2]), day=1)
            return start, start + pd.DateOffset(months=1)
        if m := _QUARTER.match(text):
            start = pd.Timestamp(year=int(m[1]), month=3 * int(m[2]) - 2, day=1)
            return start, start + pd.DateOffset(months=3)
        stamp = pd.Timestamp(text)
    except (ValueError, TypeError):
        raise ColumnDataError(f"Filter on date column {column!r} needs a date, got {value!r}.") from None
    if pd.isna(stamp):
        raise ColumnDataError(f"Filter on date column {column!r} needs a date, got {value!r}.")
    if not _HAS_TIME.search(text) and stamp == stamp.normalize():
        return stamp, stamp + pd.Timedelta(days=1)
    return stamp, None


def _temporal_mask(series: pd.Series, spec: FilterSpec, operands: list[Scalar]) -> pd.Series:
    tz = series.dt.tz

    def localize(ts: pd.Timestamp | None) -> pd.Timestamp | None:
        if ts is None or tz is None:
            return ts
        return ts.tz_localize(tz) if ts.tz is None else ts.tz_convert(tz)

    def interval(value: Scalar) -> tuple[pd.Timestamp, pd.Timestamp | None]:
        start, end = date_interval(value, column=spec.column)
        return localize(start), localize(end)

    def inside(value: Scalar) -> pd.Series:
        start, end = interval(value)
        return series == start if end is None else (series >= start) & (series < end)

    def at_or_after(value: Scalar, *, strictly: bool) -> pd.Series:
        start, end = interval(value)
        if end is None:
            return series > start if strictly else series >= start
        return series >= (end if strictly else start)

    def before(value: Scalar, *, inclusive: bool) -> pd.Series:
        start, end = interval(value)
        if end is None:
            return series <= start if inclusive else series < start
        return series < (end if inclusive else start)

    op, first = spec.op, operands[0]
    if op == "eq":
        return inside(first)
    if op == "neq":
        return ~inside(first) | series.isna()
    if op in ("in", "not_in"):
        hits = pd.Series(False, index=series.index)
        for value in operands:
            hits |= inside(value)
        return hits if op == "in" else ~hits | series.isna()
    if op == "gt":
        return at_or_after(first, strictly=True)
    if op == "gte":
        return at_or_after(first, strictly=False)
    if op == "lt":
        return before(first, inclusive=False)
    if op == "lte":
        return before(first, inclusive=True)
    lo, hi = operands
    return at_or_after(lo, strictly=False) & before(hi, inclusive=True)


# --------------------------------------------------------------------------------------------------
# grouping keys: dates floored to a unit, numbers put in bins
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Keys:
    """One grouping key per row, and how the axis built from them should be read.

    ``kind`` decides sort order and labels: temporal and binned axes keep their natural order, nominal
    axes are ranked by value. ``bin_step`` is set for binned keys (each key is a bin's start).
    """

    values: pd.Series
    kind: AxisKind
    time_unit: TimeUnit | None = None
    bin_step: float | None = None
    notes: tuple[str, ...] = ()

    @property
    def ordered(self) -> bool:
        return self.kind != "nominal"


WEEKDAY_REFERENCE = pd.Timestamp("2024-01-01")
"""A Monday in a leap year: the cyclic units' keys are placed in its week, year and day — the days of the week
from here (Monday … Sunday), the months and quarters of 2024, the hours of 2024-01-01 — so they sort in
calendar order, print as day and month names and read as the right part under Vega-Lite's ``day``,
``month``, ``quarter`` and ``hours`` time units."""

CYCLIC_UNITS: tuple[TimeUnit, ...] = ("weekday", "month_of_year", "quarter_of_year", "hour_of_day")
"""Units that gather the same part of every week, year or day (every Monday, every March) into one key."""


def floor_time(series: pd.Series, unit: TimeUnit) -> pd.Series:
    """Each timestamp moved to the start of its period (month, week starting Sunday, …); for a cyclic unit, to
    that part of the reference week, year or day (every March → 2024-03-01)."""
    if series.dt.tz is not None:
        series = series.dt.tz_localize(None)
    if unit == "weekday":
        return WEEKDAY_REFERENCE + pd.to_timedelta(series.dt.day_of_week, unit="D")
    if unit in ("month_of_year", "quarter_of_year"):
        months = series.dt.month if unit == "month_of_year" else (series.dt.quarter - 1) * 3 + 1
        return pd.to_datetime({"year": WEEKDAY_REFERENCE.year, "month": months, "day": 1}, errors="coerce") \
            .where(series.notna())
    if unit == "hour_of_day":
        return WEEKDAY_REFERENCE + pd.to_timedelta(series.dt.hour, unit="h")
    return series.dt.to_period(_PERIOD_FREQ[unit]).dt.start_time


def period_end(start: pd.Timestamp, unit: TimeUnit) -> pd.Timestamp:
    """The start of the period after the one beginning at ``start``."""
    return (start.to_period(_PERIOD_FREQ[unit]) + 1).start_time


def partial_periods(series: pd.Series, unit: TimeUnit) -> list[pd.Timestamp]:
    """Starts of the first and/or last period when the data covers less than half of it.

    Daily data ending on a Tuesday leaves a last week with 3 days in it; summed, it looks like a collapse.
    Coverage counts one sampling step past the last timestamp, so hourly data ending at 23:00 covers its day.
    """
    if unit not in _PERIOD_FREQ:
        return []  # a day of the week gathers every week: no period is partly covered
    times = series.dropna().drop_duplicates().sort_values()
    if times.dt.tz is not None:
        times = times.dt.tz_localize(None)
    if len(times) < 3:
        return []
    step = times.diff().median()
    first, last = times.iloc[0], times.iloc[-1]
    starts = floor_time(pd.Series([first, last]), unit)
    if starts.iloc[0] == starts.iloc[1]:
        return []
    out = []
    for stamp, start, is_first in ((first, starts.iloc[0], True), (last, starts.iloc[1], False)):
        end = period_end(start, unit)
        covered = end - stamp if is_first else stamp - start + step
        if covered < (end - start) / 2:
            out.append(start)
    return out


def coarse_time_unit(start: Any, end: Any, *, max_points: int) -> TimeUnit:
    """The finest unit that splits ``start..end`` into at most ``max_points`` periods.

    Works from the span alone, so the data-free Vega-Lite builder (from the profile's min and max) and the
    renderer (from the data) pick the same unit.
    """
    try:
        span_days = (pd.Timestamp(end) - pd.Timestamp(start)) / pd.Timedelta(days=1)
    except (ValueError, TypeError):
        return "month"
    for unit in TIME_UNITS:
        if span_days / _UNIT_DAYS[unit] + 1 <= max_points:
            return unit
    return "year"


def nice_bin_edges(values: pd.Series, *, maxbins: int) -> np.ndarray:
    """Bin edges on round numbers (steps of 1, 2 or 5 × 10^k), at most about ``maxbins`` bins.

    This mirrors Vega-Lite's ``bin: {maxbins}``, so the matplotlib figure and the spec bin alike. Whole
    numbers (counts, years) never get fractional bins.
    """
    finite = values.dropna().astype("float64")
    if finite.empty:
        return np.array([0.0, 1.0])
    lo, hi = float(finite.min()), float(finite.max())
    whole = bool(np.all(np.mod(finite.to_numpy(), 1) == 0))
    span = hi - lo
    if span == 0:
        step = 1.0 if whole else _nice_step(max(abs(lo), 1.0) / 10)
        start = math.floor(lo / step) * step
        return np.array([start, start + step])
    step = _nice_step(span / maxbins)
    if whole:
        step = max(step, 1.0)
    start = math.floor(lo / step) * step
    count = max(1, math.ceil((hi - start) / step - 1e-9))
    if start + count * step <= hi:  # the top edge must hold the maximum
        count += 1
    decimals = _step_decimals(step)
    return np.round(start + step * np.arange(count + 1), decimals)


def _nice_step(raw: float) -> float:
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw * (1 - 1e-12):
            return factor * magnitude
    return 10 * magnitude


def _step_decimals(step: float) -> int:
    return max(0, 2 - math.floor(math.log10(step)))


def bin_starts(values: pd.Series, edges: np.ndarray) -> pd.Series:
    """The start edge of the bin each value falls in (the last bin is closed on the right)."""
    step = float(edges[1] - edges[0])
    index = np.floor((values.to_numpy(dtype="float64") - edges[0]) / step + 1e-9)
    index = np.clip(index, 0, len(edges) - 2)
    return pd.Series(np.round(edges[0] + index * step, _step_decimals(step)), index=values.index)


def bin_range(first: float, last: float, step: float) -> list[float]:
    """Every bin start from ``first`` to ``last``, so empty bins keep their place on a binned axis."""
    count = round((last - first) / step)
    return np.round(first + step * np.arange(count + 1), _step_decimals(step)).tolist()


def group_keys(
    series: pd.Series,
    *,
    role: Role | None = None,
    bins: int | None = None,
    time_unit: TimeUnit | None = None,
    auto_max: int | None = None,
) -> Keys:
    """Turn a column into grouping keys, applying the binning or time unit the params asked for.

    Options that do not fit the column are ignored with a note instead of failing, because a planner may
    well ask for monthly bars on a column that turns out to hold plain categories. ``auto_max`` caps the
    distinct dates: above it a coarser time unit is picked (and said), so a line over five years of
    minutes stays readable. ``role`` comes from the profile: a numeric identifier is a category, not a
    quantity.
    """
    name = series.name
    kind = column_kind(series)
    notes: list[str] = []
    if time_unit is not None and kind != "temporal":
        notes.append(f"time_unit {time_unit!r} ignored: {name!r} is not a date column.")
    if bins is not None and (kind != "numeric" or role not in (None, "numeric")):
        notes.append(f"binning ignored: {name!r} is not a numeric column.")
        bins = None
    if kind == "temporal":
        unit = time_unit
        if unit is None and auto_max is not None and series.nunique() > auto_max:
            unit = coarse_time_unit(series.min(), series.max(), max_points=auto_max)
            notes.append(f"{name!r} has {series.nunique():,} distinct dates; grouped by {unit}.")
        values = floor_time(series, unit) if unit else series
        return Keys(values.rename(name), "temporal", time_unit=unit, notes=tuple(notes))
    if bins is not None:
        edges = nice_bin_edges(series, maxbins=bins)
        starts = bin_starts(series.astype("float64"), edges).where(series.notna())
        return Keys(starts.rename(name), "binned", bin_step=float(edges[1] - edges[0]), notes=tuple(notes))
    if kind == "numeric" and role in (None, "numeric"):
        return Keys(series, "ordinal", notes=tuple(notes))
    return Keys(series, "nominal", notes=tuple(notes))


def lump_other(series: pd.Series, keep: Iterable[Any], *, total: int) -> pd.Series:
    """Values outside ``keep`` replaced by one "Other (N more)" label, so shares still add up to 100%.

    A categorical column stays categorical (its categories are relabelled, no row is touched): on ten
    million rows that is a lookup per row instead of ten million Python objects.
    """
    keep = set(keep)
    label = f"Other ({total - len(keep)} more)"
    if isinstance(series.dtype, pd.CategoricalDtype):
        return _lump_categories(series, keep, label)
    lumped = series.astype(object).where(series.isin(keep) | series.isna(), label)
    return lumped


def _lump_categories(series: pd.Series, keep: set[Any], label: str) -> pd.Series:
    old = series.cat.categories
    kept = [c for c in old if c in keep]
    categories = kept if label in kept else [*kept, label]
    position = {c: i for i, c in enumerate(categories)}
    # old code -> new code; the last entry is for code -1 (missing), which stays -1
    recode = np.array([position.get(c, position[label]) for c in old] + [-1], dtype=np.int64)
    old_codes = series.cat.codes.to_numpy()
    used_old = np.bincount(old_codes.astype(np.intp) + 1, minlength=len(old) + 1)[1:] > 0
    used = np.zeros(len(categories), dtype=bool)
    used[recode[:-1][used_old]] = True
    if not used.all():  # drop categories no row has
        recode = np.r_[np.cumsum(used) - 1, -1][recode]
        categories = [c for c, u in zip(categories, used, strict=True) if u]
    codes = recode.astype(old_codes.dtype)[old_codes]  # as small as the old codes: no 80 MB temporaries
    lumped = pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object))
    return pd.Series(lumped, index=series.index, name=series.name)


def sample_positions(count: int, n: int, *, seed: int = 0) -> np.ndarray:
    """``n`` of the positions ``0..count-1`` drawn at random without replacement (the same every run), sorted.

    The draw costs O(n), not O(count): picking 5,000 of ten million rows takes milliseconds.
    """
    if count <= n:
        return np.arange(count)
    return np.sort(np.random.default_rng(seed).choice(count, size=max(n, 0), replace=False))


def sample_rows(frame: pd.DataFrame, n: int, *, seed: int = 0) -> pd.DataFrame:
    """``n`` rows drawn at random without replacement, the same ones every run, kept in frame order."""
    if len(frame) <= n:
        return frame
    return frame.iloc[sample_positions(len(frame), n, seed=seed)]


def group_arrays(keys: pd.Series, values: np.ndarray) -> tuple[list[Any], list[np.ndarray], np.ndarray]:
    """Each group's values: ``(groups, arrays, codes)``, groups in order of first appearance (as
    ``groupby(sort=False)`` gives them), each array in row order, ``codes[i]`` the group of row ``i``.

    One stable sort of the group codes, instead of a copy of the frame per group; ``keys`` has no
    missing values (drop those rows first).
    """
    codes, uniques = pd.factorize(keys, sort=False)
    narrow = codes.astype(np.int16) if len(uniques) <= np.iinfo(np.int16).max else codes
    order = np.argsort(narrow, kind="stable")  # a radix sort on 16-bit codes: 5x faster than on int64
    ends = np.cumsum(np.bincount(codes, minlength=len(uniques)))
    return list(uniques), np.split(np.asarray(values)[order], ends[:-1]), codes


# --------------------------------------------------------------------------------------------------
# aggregation
# --------------------------------------------------------------------------------------------------
def aggregate_values(
    frame: pd.DataFrame, by: Sequence[str], value: str | None, how: Aggregate, *, out: str
) -> pd.DataFrame:
    """One row per distinct ``by`` combination with the aggregated measure in column ``out``, in order of
    first appearance (as ``groupby(sort=False)``), the keys keeping their dtypes.

    ``count`` counts rows (what Vega-Lite's count does), so it works without a value column; rows with a
    missing key are dropped. A group whose values are all missing gets NaN, not a misleading sum of 0.

    The rows are grouped by one integer made of each key's codes (category codes, or ``pd.factorize``'s),
    and counts, sums and means of floats are reduced by ``np.bincount`` in one pass: 20x faster than
    pandas on ten million rows. Text and category keys give the same groups and the same sums (the same
    rows, added in row order); pandas' own group sums compensate rounding, so they may differ in the
    last digits. Other aggregates, and keys with too many combinations for one int64, use pandas.
    """
    by = list(by)
    keys = [_Labels(frame[b]) for b in by]
    sizes = [max(1, len(labels)) for labels in keys]
    combinations = math.prod(sizes)
    if not by or combinations >= 2**62:
        grouped = frame.groupby(by, sort=False, observed=True, dropna=True)
        result = grouped.size() if how == "count" or value is None else _reduce(grouped[value], how)
        return result.rename(out).reset_index()
    combined = keys[0].codes.astype(np.int64)
    for labels, size in zip(keys[1:], sizes[1:], strict=True):
        combined = combined * size + labels.codes
    present = np.logical_and.reduce([labels.codes >= 0 for labels in keys])  # a missing key drops the row
    key = combined if present.all() else combined[present]
    values = None
    if how != "count" and value is not None:
        values = frame[value].to_numpy()
        values = values if present.all() else values[present]
    if how in ("count", "sum", "mean") and combinations <= DENSE_GROUPS_MAX and (
            values is None or values.dtype.kind == "f"):
        combos, reduced = _dense_reduce(key, values, how, size=combinations)
    else:
        if values is None:
            result = pd.Series(key).groupby(key, sort=False).size()
        else:
            result = _reduce(pd.Series(values).groupby(key, sort=False), how)
        combos, reduced = result.index.to_numpy(), result.to_numpy()
    columns: dict[str, Any] = {}
    for b, labels, size in reversed(list(zip(by, keys, sizes, strict=True))):
        columns[b] = labels(combos % size)
        combos = combos // size
    table = pd.DataFrame({b: columns[b] for b in by})
    table[out] = reduced
    return table


def _reduce(grouped: Any, how: Aggregate) -> pd.Series:
    """One group-by's values reduced; a group with no values gets NaN, also for a sum."""
    return grouped.sum(min_count=1) if how == "sum" else grouped.agg(how)


class _Labels:
    """A key column as codes (-1 where missing), and rebuilt from codes in its own dtype (a category stays
    a category)."""

    def __init__(self, series: pd.Series) -> None:
        if isinstance(series.dtype, pd.CategoricalDtype):
            self.codes, self.dtype, self.uniques = series.cat.codes.to_numpy(), series.dtype, None
        else:
            self.codes, self.uniques = pd.factorize(series, sort=False)
            self.dtype = None

    def __len__(self) -> int:
        return len(self.dtype.categories) if self.uniques is None else len(self.uniques)

    def __call__(self, codes: np.ndarray) -> Any:
        return pd.Categorical.from_codes(codes, dtype=self.dtype) if self.uniques is None else self.uniques.take(codes)


DENSE_GROUPS_MAX = 1 << 22
"""Category keys with at most this many combinations are reduced by ``np.bincount`` (one pass, no hashing)."""


def _dense_reduce(key: np.ndarray, values: np.ndarray | None, how: Aggregate, *,
                  size: int) -> tuple[np.ndarray, np.ndarray]:
    """Count, sum or mean per key in ``0..size-1``: the keys that occur, in order of first appearance (as
    ``groupby(sort=False)``), and their values — 20x faster than pandas on ten million rows. Sums add in
    row order without pandas' compensated summation, so they may differ from pandas' in the last digits;
    a group whose values are all missing gets NaN, as ``sum(min_count=1)`` and ``mean`` give."""
    rows = np.bincount(key, minlength=size)
    order = _first_appearance(key, rows > 0)
    if values is None or how == "count":
        return order, rows[order]
    missing = np.isnan(values)
    weights = np.where(missing, 0.0, values) if missing.any() else values
    sums = np.bincount(key, weights=weights, minlength=size)[order].astype(np.float64)
    counted = rows[order] - np.bincount(key[missing], minlength=size)[order]
    with np.errstate(invalid="ignore", divide="ignore"):
        result = sums / counted if how == "mean" else sums
    result[counted == 0] = np.nan
    return order, result


def _first_appearance(key: np.ndarray, present: np.ndarray) -> np.ndarray:
    """The keys marked ``present``, ordered by the row each first appears in: the rows are read in growing
    chunks until every present key has been seen (usually within the first few thousand rows)."""
    first = np.full(len(present), -1, dtype=np.int64)
    missing, start, step = int(present.sum()), 0, 4096
    while missing and start < len(key):
        seen, where = np.unique(key[start:start + step], return_index=True)
        new = first[seen] < 0
        first[seen[new]] = where[new] + start
        missing -= int(new.sum())
        start, step = start + step, step * 2
    found = np.flatnonzero(first >= 0)
    return found[np.argsort(first[found], kind="stable")]


def measure_totals(frame: pd.DataFrame, by: str, value: str | None, how: Aggregate) -> pd.Series:
    """The measure per value of ``by`` alone: what categories are ranked by, whatever splits them further."""
    table = aggregate_values(frame, [by], value, how, out="__measure__")
    return table.set_index(by)["__measure__"]


# --------------------------------------------------------------------------------------------------
# JSON rows for Vega-Lite
# --------------------------------------------------------------------------------------------------
MOST_DECIMALS = 6
"""Most decimals :func:`data_decimals` reports: beyond them a column's values are measurements, not amounts."""


def data_decimals(values: pd.Series | np.ndarray, *, sample: int = 10_000) -> int:
    """How many decimals the column's values are written with: 2 for prices (3.80), 0 for whole counts, at most
    :data:`MOST_DECIMALS`; judged on its first ``sample`` finite values (numbers parsed from text carry binary
    noise, so a value within a few units in the last place of a decimal counts as that decimal)."""
    v = np.asarray(values, dtype="float64")
    v = v[np.isfinite(v)][:sample]
    for decimals in range(MOST_DECIMALS):
        scaled = v * 10.0**decimals
        if np.all(np.abs(scaled - np.round(scaled)) <= np.maximum(np.abs(scaled), 1.0) * 1e-12):
            return decimals
    return MOST_DECIMALS


def round_to_data(values: pd.Series, decimals: int, *, digits: int = 4) -> pd.Series:
    """Statistics of a column rounded to the data's precision: ``decimals`` places (a sum of prices to the cent,
    732952.32 and not 732952.3200000002), or more where a value needs them for ``digits`` significant digits (a
    mean rating of 3.471, not 3)."""
    v = pd.to_numeric(values, errors="coerce").astype("float64")
    finite = np.isfinite(v.to_numpy()) & (v.to_numpy() != 0)
    places = np.full(len(v), decimals)
    magnitude = np.floor(np.log10(np.abs(v.to_numpy()[finite])))
    places[finite] = np.maximum(decimals, digits - 1 - magnitude).clip(max=15)
    out = v.copy()
    for p in np.unique(places):
        at = places == p
        out[at] = np.round(v[at], int(p))
    return out


def json_records(frame: pd.DataFrame, *, cap: int = JSON_ROW_CAP) -> list[dict[str, Any]]:
    """Rows as JSON-safe dicts: ISO strings for dates, ``None`` for NaN/NaT/inf, plain Python numbers."""
    head = frame.head(cap)
    columns = {str(name): [json_value(v) for v in head[name].tolist()] for name in head.columns}
    return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)] if columns else []


def json_value(value: Any) -> Any:
    """One value as JSON holds it in a spec's rows (what a ``sort`` or ``scale.domain`` must name it by)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, str):
        return value
    if isinstance(value, (pd.Timedelta, dt.timedelta)):
        return str(value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)
