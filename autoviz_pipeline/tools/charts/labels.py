"""Text and numbers as the charts show them: numbers for sentences and ticks, grouping keys, axis titles.

Column names and cell values are untrusted text: every string that reaches matplotlib goes through
:func:`safe_text`, which escapes ``$`` so a name like ``$x$`` is drawn as typed instead of being parsed as
mathtext (or failing to parse).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from ...contracts import TimeUnit
from ..frame import Keys

MAX_LABEL_CHARS = 30


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


def share_text(fraction: float) -> str:
    """A share for a sentence: whole percents, one decimal near the ends (a day of two years is "0.1%" of the
    total, not "0%"; 99.8% is not "100%"), "<0.1%" and ">99.9%" beyond."""
    if not math.isfinite(fraction) or fraction <= 0 or fraction >= 1:
        return f"{fraction:.0%}" if math.isfinite(fraction) else "n/a"
    near = min(fraction, 1 - fraction)
    if near < 0.001:
        return "<0.1%" if fraction < 0.5 else ">99.9%"
    return f"{fraction:.1%}" if near < 0.01 else f"{fraction:.0%}"


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


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 row", "2 rows", "1,204 categories" (``many`` for irregular plurals)."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"
