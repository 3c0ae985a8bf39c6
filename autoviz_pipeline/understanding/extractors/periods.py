"""Periods said in the question, tied to the columns that hold time.

A year ("in 2007", "since 1990", "the 1970s", "1939-1945", "2017 onward") filters a date column, or a
column of years (``year``, ``start_year``); a month, weekday or hour said without a year ("in March", "June
through August", "on weekends", "after 10pm") filters that part of every date, or a column holding that part
(``month`` 1..12). A number said as a year never filters a column that holds no time: without one, the
period is left out and a note says so. A column that holds time and is named in the question ("flights by
``time_hour`` in 2013") wins over one that is not.
"""

from __future__ import annotations

import re

import pandas as pd

from ...contracts import FilterSpec, Scalar
from ..columns import ColumnForms, ColumnIndex
from ..reading import Context, SaidFilter
from ..vocabulary import vocabulary
from .dates import MONTHS, SEASONS, WEEKDAYS, CalendarMention, DateMention, last_period_start, mentions, resolve_year

_CALENDAR_OF_PART = {"month": "month", "weekday": None, "hour": "hour", "quarter": "quarter", "year": "year"}
_WEEKDAY_VALUES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def extract(ctx: Context) -> list[SaidFilter]:
    lower = ctx.lower
    dates, calendar = mentions(lower)
    out: list[SaidFilter] = []
    for mention in dates:
        start, end = ctx.token_at(mention.span[0]), ctx.token_at(mention.span[1] - 1) + 1
        if mention.years_only and mention.cue in ("between", "from", "range") and _about_a_quantity(ctx, start, end):
            continue  # "price between 2000 and 2020", "lots over 1900 sq ft": numbers, not years
        if not mention.years_only and mention.last is None and _names_a_column(ctx, start, end):
            continue  # "unemployment in March" over a table with a ``Mar`` column: the column
        specs = _date_filters(ctx, mention, start)
        out += [SaidFilter(filter=f, start=start, end=end, source="period") for f in specs]
        ctx.consumed.append((start, end))
        ctx.periods.append((start, end))
    for mention in calendar:
        start, end = ctx.token_at(mention.span[0]), ctx.token_at(mention.span[1] - 1) + 1
        if not ctx.free(start, end) or _names_a_column(ctx, start, end):
            continue
        spec = _calendar_filter(ctx, mention)
        if spec is not None and not any(f.filter == spec for f in out):
            # on a column of day or month names, days set side by side are values: "Saturday vs Sunday"
            # compares two; "on weekends", "Mon-Fri" only filter
            named = (col := ctx.index.get(spec.column)) is not None and col.role != "temporal" and col.calendar is None
            compared = named and re.search(r"\b(?:vs\.?|versus|or)\b", mention.said) is not None
            out.append(SaidFilter(filter=spec, start=start, end=end, source="value" if compared else "period"))
        ctx.consumed.append((start, end))
    out += _bare_years(ctx)
    return out


# --------------------------------------------------------------------------------------------------
def _timeline(ctx: Context, at: int, *, part: str | None = None) -> ColumnForms | None:
    """The column a period filters: for a part of the date, a column holding that part (``month``); else
    the time column named nearest before (after) word ``at``; else the first date column, then years."""
    index = ctx.index
    if part is not None and (calendar := index.calendar(part)) is not None:
        return calendar
    named = [(m.position or 0, index.get(m.column)) for m in ctx.column_matches()]
    wanted = [(pos, c) for pos, c in named if c is not None and (c.timeline if part in (None, "year") else
                                                                c.role == "temporal")]
    if wanted:
        return min(wanted, key=lambda x: (x[0] > at, abs(at - x[0])))[1]
    years = index.calendar("year")
    if part == "year" and years is not None:
        return years
    dates = [c for c in index.columns if c.role == "temporal"]
    if dates:
        return dates[0]
    return years if part in (None, "year") else None


def _date_filters(ctx: Context, mention: DateMention, at: int) -> list[FilterSpec]:
    said = ctx.question[mention.span[0]:mention.span[1]].strip()
    column = _timeline(ctx, at, part="year" if mention.years_only or mention.last else None)
    months = _months_only(mention)
    if (column is None or column.role != "temporal") and months and \
            (named := _named_part_filter(ctx, "month", months)) is not None:
        return [named]  # "sales in March" over a column of month names (and a year column, if any)
    if column is None:
        ctx.notes.append(f"{said!r}: the table has no date or year column to filter by; not filtered")
        return []
    if mention.last is not None:
        return _last_period(ctx, column, mention.last, said)
    if column.calendar == "year":
        return _year_filters(ctx, column, mention, said)
    years = [resolve_year(d, lambda: _date_range(column)) for d in mention.dates]
    known = [y for y in years if y is not None]
    if known and len(known) < len(years) and any(d.year is not None for d in mention.dates):
        years = [y if y is not None else known[-1] for y in years]  # "from September 1 to September 7, 2016"
    elif all(d.year is None for d in mention.dates) and years:
        years = [years[0]] * len(years)  # "between March and June": one year
    if None in years:
        return _any_year(ctx, column, mention, said)
    values = [d.value(y) for d, y in zip(mention.dates, years, strict=True)]
    if season := next((w for w in SEASONS if w in said.lower().split()), None):
        ctx.notes.append(f"{season!r} read as {values[0]} to {values[-1]} (the northern hemisphere's seasons)")
    if mention.op == "range":
        return [FilterSpec(column=column.name, op="range", values=values)]
    return [FilterSpec(column=column.name, op=mention.op, value=values[0])]


def _months_only(mention: DateMention) -> list[int]:
    """The months of a period that names months and no days or years ("in March", "from March to May")."""
    if mention.years_only or mention.last is not None or any(d.month is None or d.day is not None or d.year
                                                             is not None for d in mention.dates):
        return []
    first, last = mention.dates[0].month, mention.dates[-1].month
    return list(range(first, last + 1)) if mention.op == "range" and first <= last else [first]


def _year_filters(ctx: Context, column: ColumnForms, mention: DateMention, said: str) -> list[FilterSpec]:
    """A period on a column of years (and of months, when the period names months)."""
    years = [d.year for d in mention.dates]
    if None in years:
        return _any_year(ctx, column, mention, said)
    out = []
    if mention.op == "range":
        out.append(FilterSpec(column=column.name, op="range", values=[years[0], years[-1]])
                   if years[0] != years[-1] else FilterSpec(column=column.name, op="eq", value=years[0]))
    else:
        out.append(FilterSpec(column=column.name, op=mention.op, value=years[0]))
    months = [d.month for d in mention.dates if d.month is not None]
    month_column = ctx.index.calendar("month")
    if months and month_column is not None and len(set(years)) == 1:
        lo, hi = months[0], months[-1]
        out.append(FilterSpec(column=month_column.name, op="eq", value=lo) if lo == hi else
                   FilterSpec(column=month_column.name, op="range", values=[lo, hi]))
    elif months and len(set(years)) == 1 and (named := _named_part_filter(
            ctx, "month", list(range(months[0], months[-1] + 1)))) is not None:
        out.append(named)  # "February 2022" over a year column and a column of month names
    elif months:
        ctx.notes.append(f"{said!r}: only the year is filtered ({column.name!r} holds years)")
    return out


def _any_year(ctx: Context, column: ColumnForms, mention: DateMention, said: str) -> list[FilterSpec]:
    """ "in March" over several years: every March (a note says which years that covers)."""
    months = [d.month for d in mention.dates if d.month is not None and d.day is None]
    if not months or len(months) != len(mention.dates) or mention.op not in ("eq", "range"):
        ctx.notes.append(f"{said!r} names no year, and {column.name!r} spans several years: not filtered "
                         "(say the year, e.g. 'May 2024')")
        return []
    values = list(range(months[0], months[-1] + 1)) if months[0] <= months[-1] else \
        [*range(months[0], 13), *range(1, months[-1] + 1)]
    spec = _calendar_filter(ctx, CalendarMention(mention.span, "month", "eq" if len(values) == 1 else "in",
                                                 tuple(values), said))
    if spec is None:
        return []
    first, last = str(column.profile.min or "")[:4], str(column.profile.max or "")[:4]
    if spec.part is not None and first.isdigit() and last.isdigit() and first != last:
        ctx.notes.append(f"{said!r} names no year: kept in every year of {column.name!r} ({first} to {last}); "
                         "say the year to see one (e.g. 'May 2024')")
    return [spec]


def _calendar_filter(ctx: Context, mention: CalendarMention) -> FilterSpec | None:
    """A month, weekday or hour of every date, on the column holding that part, else on the date column."""
    at = ctx.token_at(mention.span[0])
    column = _timeline(ctx, at, part=_CALENDAR_OF_PART[mention.part])
    values: list[Scalar] = list(mention.values)
    numbers = list(range(mention.values[0], mention.values[-1] + 1)) if mention.op == "range" else \
        [int(v) for v in mention.values]
    if mention.part in ("weekday", "month") and mention.op in ("eq", "in", "range") and \
            (named := _named_part_filter(ctx, mention.part, numbers)) is not None:
        return named  # a column of day or month names says it as the data does
    if column is None:
        ctx.notes.append(f"{mention.said!r}: the table has no date column to filter by; not filtered")
        return None
    part = None if column.calendar is not None else mention.part
    if column.calendar is None and column.role != "temporal":
        return None
    if mention.op == "in":
        return FilterSpec(column=column.name, op="in", values=values, part=part)
    if mention.op == "range":
        return FilterSpec(column=column.name, op="range", values=values, part=part)
    return FilterSpec(column=column.name, op=mention.op, value=values[0], part=part)


_MONTH_VALUES = tuple(MONTHS)  # "jan" … "dec"
_FULL_NAMES = {**{d[:3]: d for d in WEEKDAYS}, "jan": "january", "feb": "february", "mar": "march", "apr": "april",
               "jun": "june", "jul": "july", "aug": "august", "sep": "september", "oct": "october",
               "nov": "november", "dec": "december"}
_LONG_FORMS = {"tues": "tue", "thur": "thu", "thurs": "thu", "weds": "wed", "sept": "sep"}


def part_names(index: ColumnIndex, part: str) -> tuple[str, dict[int, str]] | None:
    """A column of day or month names ("Mon", "Tuesday"; "Jan", "March"): the part's number (Monday = 1,
    January = 1) → the value as the column writes it."""
    prefixes = _WEEKDAY_VALUES if part == "weekday" else _MONTH_VALUES
    for col in index.columns:
        found: dict[int, str] = {}
        for key, value in col.values.items():
            short = _LONG_FORMS.get(key, key[:3])
            if short in prefixes and key in (short, _FULL_NAMES.get(short), short + "s", key if key in _LONG_FORMS
                                             else None, _FULL_NAMES.get(short, "") + "s"):
                found.setdefault(prefixes.index(short) + 1, value)
        if len(found) >= (5 if part == "weekday" else 6):
            return col.name, found
    return None


def _named_part_filter(ctx: Context, part: str, numbers: list[int]) -> FilterSpec | None:
    """ "on Mondays", "in March" against a column of day or month names."""
    named = part_names(ctx.index, part)
    if named is None:
        return None
    column_name, by_number = named
    kept = [by_number[n] for n in numbers if n in by_number]
    if not kept:
        return None
    return FilterSpec(column=column_name, op="eq", value=kept[0]) if len(kept) == 1 else \
        FilterSpec(column=column_name, op="in", values=kept)


def _last_period(ctx: Context, column: ColumnForms, last: tuple[int, str], said: str) -> list[FilterSpec]:
    n, unit = last
    if column.calendar == "year":
        latest = int(column.profile.max)  # type: ignore[arg-type]
        start = latest - n * (10 if unit == "decade" else 1) + 1
        ctx.notes.append(f"{said!r}: counted back from the last year in {column.name!r} ({latest}), from {start}")
        return [FilterSpec(column=column.name, op="gte", value=start)]
    end = _date_range(column)[1]
    if end is None:
        return []
    start_value = last_period_start(n, unit, end)
    ctx.notes.append(f"{said!r}: counted back from the last date in {column.name!r} ({end:%Y-%m-%d}), "
                     f"from {start_value}")
    return [FilterSpec(column=column.name, op="gte", value=start_value)]


def _date_range(column: ColumnForms) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    def stamp(text: object) -> pd.Timestamp | None:
        try:
            ts = pd.Timestamp(str(text))
        except (TypeError, ValueError):
            return None
        return None if pd.isna(ts) else ts.tz_localize(None) if ts.tzinfo is not None else ts

    p = column.profile
    return (stamp(p.min), stamp(p.max)) if p.min is not None else (None, None)


def _names_a_column(ctx: Context, start: int, end: int) -> bool:
    """Do the words of a month or day name a column ("Mar", "Monday"), on a table that has no dates to filter?"""
    if any(c.role == "temporal" or c.calendar in ("month", "day", "hour") for c in ctx.index.columns):
        return False
    return any(start <= (m.position or 0) < end for m in ctx.column_matches())


def _about_a_quantity(ctx: Context, start: int, end: int, *, bare: bool = False) -> bool:
    """Are the years of a mention really amounts of a number column named right before ("price between 2000
    and 2020") or followed by a unit ("over 1900 sq ft")?"""
    for m in ctx.column_matches():
        pos = m.position or 0
        col = ctx.index.get(m.column)
        if col is None or col.timeline:
            continue
        right_before = pos + len(m.phrase.split()) == start and not re.search(
            r"[,;:(]\s*$", ctx.question[:ctx.tokens[start].start])  # "price, 2015 to 2018": a period
        if right_before:  # "price between 2000 and 2020", not "the most executions between 1980 and 1996"
            return col.numeric and _within(col, [int(t.text) for t in ctx.tokens[start:end] if t.text.isdigit()])
        if end <= pos <= end + 1:  # right after: "over 1900 sq ft"; not "trend 2014-2016 (WTI)", a bracket between
            unit = all(w in vocabulary().units or vocabulary().expansions(w) for w in m.phrase.lower().split())
            return col.numeric and not re.search(r"\(\s*$", ctx.question[:ctx.tokens[pos].start]) and (
                unit or not bare)  # a year said alone before a quantity's name: "the combined 2020 population"
    return False


def _within(col: ColumnForms, numbers: list[int]) -> bool:
    """Could the column hold these numbers ("most executions between 1980 and 1996": executions run 0..40, so
    the numbers are years)?"""
    lo, hi = col.profile.min, col.profile.max
    if not numbers or not isinstance(lo, (int, float)) or not isinstance(hi, (int, float)):
        return True
    return any(lo <= n <= hi for n in numbers) or min(numbers) <= lo <= max(numbers)


_YEAR_LIST = re.compile(r"\b(?:1[89]|20)\d\d(?:\s*,\s*(?:1[89]|20)\d\d)*,?\s+(?:and|or|&)\s+(?:1[89]|20)\d\d\b(?!\s*%)")


def _bare_years(ctx: Context) -> list[SaidFilter]:
    """A year said on its own ("2013 flights by carrier", "Use the 2007 data"): the rows of that year, when a
    column holds years or dates covering it, and no comparison or list of numbers claims the number."""
    out = []
    listed = {ctx.token_at(m.start()) + k for m in _YEAR_LIST.finditer(ctx.lower)
              for k in range(ctx.token_at(m.end() - 1) - ctx.token_at(m.start()) + 1)}
    for t in ctx.tokens:
        if not (t.text.isdigit() and len(t.text) == 4 and 1800 <= int(t.text) <= 2100) or not ctx.free(t.index,
                                                                                                  t.index + 1):
            continue
        before = ctx.tokens[t.index - 1].lower if t.index > 0 else ""
        after = ctx.tokens[t.index + 1].lower if t.index + 1 < len(ctx.tokens) else ""
        if t.index in listed:
            pass  # "in 2008, 2009 and 2010": every year of a list of years
        elif before in ("than", "over", "above", "under", "below", "least", "most", "top", "first", "exceeding",
                      "about", "around", "approximately", "or", "and", "no", "number") or after in ("or", "and") or \
                ctx.question[t.end:t.end + 1] in (",", "%"):
            continue
        column = _timeline(ctx, t.index, part="year")
        if column is None or _about_a_quantity(ctx, t.index, t.index + 1, bare=True):
            continue
        lo, hi = _years_covered(column)
        if lo is None or not lo <= int(t.text) <= hi:
            continue
        start = t.index - 1 if before in ("year", "yr") else t.index  # "year 2000"
        out.append(SaidFilter(filter=FilterSpec(column=column.name, op="eq", value=int(t.text)),
                              start=start, end=t.index + 1, source="period"))
        ctx.consumed.append((start, t.index + 1))
    return out


def _years_covered(column: ColumnForms) -> tuple[int | None, int | None]:
    if column.calendar == "year":
        return int(column.profile.min), int(column.profile.max)  # type: ignore[arg-type]
    start, end = _date_range(column)
    return (start.year, end.year) if start is not None and end is not None else (None, None)
