"""The typing and profiling rules, written once for both engines: a small file's pandas frame and a large
file's sample (``engine.columnar_profile``) get their roles, counts and samples here.

Roles decide everything downstream (which chart, which params fit), so the rules are explicit:
- ``boolean``: two distinct values that read as true/false (true/false, yes/no, y/n, 0/1)
- ``temporal``: dates/times (>= 90% of non-null values parse as dates and look like dates)
- ``identifier``: a name ending in id/key/code/number with mostly unique values, or unique strings
- ``numeric``: numbers (also text like "$1,234" or "12%" when >= 95% of values parse)
- ``text``: long, mostly unique strings (free text)
- ``categorical``: everything else

This module imports neither ``profiling`` nor ``engine``: both import it.
"""

from __future__ import annotations

from collections.abc import Iterable
import math
import re

import pandas as pd

from .contracts import ColumnProfile, Role, TopValue
from .dataio import coerce_numeric_text, parse_dates

TOP_VALUES = 10
VALUE_INDEX_MAX = 2000
VALUE_MAX_CHARS = 80
"""Samples and top values are shortened to this many characters; a column's values are listed only when none is
longer (they ground the question's value mentions, they are not data to keep)."""
SAMPLES = 5
_BOOL_WORDS = {"true", "false", "yes", "no", "y", "n", "t", "f", "0", "1"}
_ID_NAME = re.compile(r"(^|[_\s-])(id|key|code|uuid|guid|no|number|num)$|[a-z]I[Dd]$|^id[_\s]|^ID$", re.IGNORECASE)
_OF_NAME = re.compile(r"(^|[_\s-])(of|per)[_\s-]", re.IGNORECASE)
# "authid", "paperid": run-together names ending in "id" — but not English words that end in "id"
_ID_SUFFIX = re.compile(r"^[a-z]{2,}id$", re.IGNORECASE)
_ID_WORDS = frozenset([
    "paid", "unpaid", "prepaid", "valid", "invalid", "void", "avoid", "said", "acid", "fluid", "liquid",
    "solid", "rapid", "humid", "kid", "bid", "grid", "hybrid", "pyramid", "david", "madrid", "rigid", "squid",
    "vivid", "lucid", "hid", "rid", "amid", "orchid", "stupid", "timid", "candid", "splendid", "android",
    "druid", "cupid", "vapid", "torrid", "lipid", "tepid", "morbid", "placid",
])


def looks_like_id_name(name: str) -> bool:
    name = name.strip()
    if _OF_NAME.search(name):
        return False  # "lines_of_code", "number of employees": a quantity of something, not a key
    return bool(_ID_NAME.search(name)) or (bool(_ID_SUFFIX.match(name)) and name.lower() not in _ID_WORDS)
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{4}-\d{2}|\d{1,2}:\d{2}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}")


def profile_column(name: str, series: pd.Series) -> ColumnProfile:
    notes: list[str] = []
    non_null = series.dropna()
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        parsed = coerce_numeric_text(series) if not non_null.empty else None
        if parsed is not None and not pd.api.types.is_numeric_dtype(series):
            notes.append("numbers written as text (currency, thousands separators or %) were parsed")
            series, non_null = parsed, parsed.dropna()
    role, series = infer_role(name, series)
    if role == "temporal" and not pd.api.types.is_datetime64_any_dtype(series):
        series = parse_dates(series)
        notes.append("parsed as dates")
    non_null = series.dropna()
    count = int(non_null.size)
    distinct = int(non_null.nunique())
    stats: dict = {}
    if role in ("numeric", "identifier", "boolean") and pd.api.types.is_numeric_dtype(series) and count:
        num = pd.to_numeric(non_null, errors="coerce").astype(float)
        stats = {
            "min": _clean_number(num.min()),
            "max": _clean_number(num.max()),
            "mean": _clean_number(num.mean()),
            "std": _clean_number(num.std()) if count > 1 else None,
            "median": _clean_number(num.median()),
        }
    elif role == "temporal" and count:
        stats = {"min": non_null.min().isoformat(), "max": non_null.max().isoformat()}
    top: list[TopValue] = []
    if role != "numeric" or distinct <= TOP_VALUES:
        counts = non_null.astype(str).value_counts().head(TOP_VALUES)
        top = [TopValue(value=_short(v), count=int(c)) for v, c in counts.items()]
    samples = [_short(v) for v in _first_distinct_text(non_null, SAMPLES)]
    values: list[str] = []
    if role in ("categorical", "boolean", "identifier", "text") and 0 < distinct <= VALUE_INDEX_MAX:
        uniques = [str(v) for v in non_null.astype(str).unique()]
        if max(map(len, uniques)) <= VALUE_MAX_CHARS:
            values = sorted(uniques)
    notes += count_notes(count, distinct)
    return ColumnProfile(
        name=name,
        dtype=str(series.dtype),
        role=role,
        count=count,
        nulls=int(series.isna().sum()),
        distinct=distinct,
        top_values=top,
        values=values,
        samples=samples,
        notes=notes,
        **stats,
    )


def count_notes(count: int, distinct: int) -> list[str]:
    """What a column's counts say about it, whichever engine counted (a large file's are over every row)."""
    if count == 0:
        return ["all values are missing"]
    return ["constant column (one distinct value)"] if distinct == 1 else []


COUNT_NOTES = frozenset([*count_notes(0, 0), *count_notes(1, 1)])


def _first_distinct_text(values: pd.Series, n: int, *, prefix: int = 1000) -> list[str]:
    """The first ``n`` distinct values as text, in order; only a prefix is converted when it has ``n``."""
    head = values.iloc[:prefix].drop_duplicates()  # raw values hash fast; only the few kept become text
    if len(head) < n and len(values) > prefix:
        head = values.drop_duplicates()
    return head.head(4 * n).astype(str).drop_duplicates().head(n).tolist()


def infer_role(name: str, series: pd.Series) -> tuple[Role, pd.Series]:
    non_null = series.dropna()
    if non_null.empty:
        return "categorical", series
    distinct = non_null.nunique()
    if pd.api.types.is_bool_dtype(series):
        return "boolean", series
    # 0/1 flags, yes/no answers; a 2-valued numeric column named like a measure stays numeric
    if (distinct <= 2 and {str(v).strip().lower() for v in non_null.unique()} <= _BOOL_WORDS
            and (not pd.api.types.is_numeric_dtype(series) or set(non_null.unique()) <= {0, 1})):
        return "boolean", series
    if pd.api.types.is_datetime64_any_dtype(series):
        return "temporal", series
    unique_ratio = distinct / len(non_null)
    if pd.api.types.is_numeric_dtype(series):
        if looks_like_id_name(name) and _all_integers(non_null):  # keys, foreign keys too
            return "identifier", series
        return "numeric", series
    text = non_null.astype(str)
    if _looks_temporal(text):
        return "temporal", parse_dates(series)
    if looks_like_id_name(name) and unique_ratio > 0.5:
        return "identifier", series
    mean_len = float(text.str.len().mean())
    if unique_ratio > 0.5 and (mean_len > 30 or text.str.contains(r"\s\S+\s\S+\s", regex=True).mean() > 0.5):
        return "text", series
    if unique_ratio == 1.0 and len(non_null) > 20 and mean_len <= 30 and not text.str.contains(" ").any():
        return "identifier", series
    return "categorical", series


_SPAN_OF_YEARS = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*$")


def season_labels(values: Iterable[object]) -> bool:
    """ "2009-10", "2018/19", "1999-2000": seasons or fiscal years that span two years, labels (in order
    as text), not months: nearly every distinct value's second part is the year after its first. A monthly
    column ("2009-10", "2009-11", …) has that at most once a year."""
    distinct = {str(v) for v in values}
    if len(distinct) < 2:
        return False
    spans = [m for v in distinct if (m := _SPAN_OF_YEARS.match(v))]
    if len(spans) < 0.9 * len(distinct):
        return False
    following = sum(int(m[2]) == ((int(m[1]) + 1) % 100 if len(m[2]) == 2 else int(m[1]) + 1) for m in spans)
    return following >= 0.9 * len(spans)


def _looks_temporal(text: pd.Series) -> bool:
    head = text.head(500)
    if not head.str.contains(_DATE_LIKE).mean() >= 0.9 or season_labels(text.iloc[:: max(1, len(text) // 5000)].unique()):  # spread over the file
        return False
    parsed = parse_dates(head)
    return bool(parsed.notna().mean() >= 0.9)


def _all_integers(values: pd.Series) -> bool:
    try:
        num = pd.to_numeric(values).astype(float)
    except (TypeError, ValueError):
        return False
    return bool(((num % 1) == 0).all())


def _clean_number(value: float) -> float | None:
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else round(value, 6)


def _short(value: object, limit: int = VALUE_MAX_CHARS) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
