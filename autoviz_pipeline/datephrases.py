"""Dates said in a question ("after December 20", "before 2024-12-10", "in May 2024", "in Q2 2024",
"between March 1 and March 15", "the last 7 days", "in summer 2023") as filter operations on a date
column.

The values are the period forms ``frame.date_interval`` reads: ``YYYY-MM-DD`` (a day, or an instant with
a time), ``YYYY-MM`` (a month), ``YYYY-Qn`` (a quarter) and a bare year. A day or month said without a
year takes the year the date column covers, when only one year fits; otherwise nothing is assumed and
the caller is told why. "The last 7 days" counts back from the column's latest date (the data may end
long before today). Bare years after comparison words ("after 2015") are read by the numeric
comparisons in ``understanding``; here a bare year only counts after "in"/"during" ("in 2024").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
          "nov": 11, "dec": 12}
_QUARTER_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def _month(name: str) -> str:
    return (rf"(?P<{name}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
            rf"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")


_DAY = r"(?:st|nd|rd|th)?\b"
_DATE = (
    r"(?:(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})(?:[ t](?P<it>\d{1,2}:\d{2}(?::\d{2})?))?(?![\d:])"
    r"|(?P<yy>\d{4})[-/](?P<ym>\d{1,2})(?![\d/.-])"
    rf"|{_month('m1')}\s+(?P<d1>\d{{1,2}}){_DAY}(?:,?\s+(?P<y1>\d{{4}})\b)?"
    rf"|(?P<d2>\d{{1,2}}){_DAY}\s+(?:of\s+)?{_month('m2')}(?:,?\s+(?P<y2>\d{{4}})\b)?"
    rf"|{_month('m3')},?\s+(?P<y3>\d{{4}})\b"
    r"|(?:q(?P<q1>[1-4])|(?:the\s+)?(?P<qw>first|1st|second|2nd|third|3rd|fourth|4th)\s+quarter(?:\s+of)?),?\s+"
    r"(?P<qy>\d{4})\b"
    r"|(?P<qy2>\d{4})[- ]?q(?P<q2>[1-4])\b"
    rf"|{_month('m4')}(?![a-z])"
    r"|(?P<year>(?:19|20)\d\d)(?![\d,.])(?!\s*(?:%|percent))"
    r")"
)
_CUES: dict[str, str] = {
    "on or after": "gte", "on or before": "lte", "no later than": "lte", "no earlier than": "gte",
    "later than": "gt", "earlier than": "lt", "prior to": "lt", "starting from": "gte", "starting in": "gte",
    "starting on": "gte", "starting": "gte", "as of": "gte", "since": "gte", "after": "gt", "before": "lt",
    "until": "lte", "till": "lte", "through": "lte", "up to": "lte", "from": "gte", "between": "gte",
    "during": "eq", "in": "eq", "on": "eq", "for": "eq",
}
_MENTION = re.compile(
    rf"\b(?P<cue>{'|'.join(sorted((re.escape(c) for c in _CUES), key=len, reverse=True))})\s+"
    rf"(?:the\s+)?(?:(?:year|month|day|date|quarter)\s+(?:of\s+)?)?{_DATE}"
)
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                 "twelve": 12, "fourteen": 14, "thirty": 30}
_LAST = re.compile(
    rf"\b(?:the\s+)?(?:last|past|previous|final|latest)\s+(?:(?P<n>\d{{1,3}}|{'|'.join(_NUMBER_WORDS)})\s+)?"
    r"(?P<unit>day|week|month|quarter|year)s?\b")
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
"""Meteorological seasons of the northern hemisphere; winter straddles two years, so it is not read."""
_SEASON = re.compile(r"\b(?:in|during|for|over)\s+(?:the\s+)?(?P<season>spring|summer|autumn|fall)\b"
                     r"(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b)?")
_SECOND = re.compile(rf"\s*,?\s*(?:and|to|until|till|through|-|–)\s*(?:the\s+)?{_DATE}")


@dataclass(frozen=True)
class PartialDate:
    """A date as said: a year, a month, a day of a month, a quarter; the year may be left unsaid."""

    year: int | None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None
    time: str | None = None

    @property
    def bare_year(self) -> bool:
        return self.month is None and self.quarter is None

    def value(self, year: int) -> str | int:
        if self.quarter is not None:
            return f"{year}-Q{self.quarter}"
        if self.month is None:
            return year
        if self.day is None:
            return f"{year}-{self.month:02d}"
        text = f"{year}-{self.month:02d}-{self.day:02d}"
        return f"{text} {self.time}" if self.time else text


@dataclass(frozen=True)
class DateMention:
    """``op`` on one date (or ``range`` between two), said at ``span`` of the question; or, with ``last``,
    the last ``(n, unit)`` of the data ("the last 7 days"), which the column's latest date places."""

    span: tuple[int, int]
    op: str
    dates: tuple[PartialDate, ...]
    last: tuple[int, str] | None = None


def last_period_start(n: int, unit: str, end: pd.Timestamp) -> str | int:
    """Where the last ``n`` days/weeks/months/quarters/years up to ``end`` (the data's latest date) begin:
    the last 7 days of data ending 2024-12-31 begin on 2024-12-25, the last 2 months in 2024-11."""
    day = end.normalize()
    if unit in ("day", "week"):
        return (day - pd.Timedelta(days=n * (7 if unit == "week" else 1) - 1)).strftime("%Y-%m-%d")
    if unit == "year":
        return end.year - n + 1
    months = n * (3 if unit == "quarter" else 1)
    first = (day.replace(day=1) - pd.DateOffset(months=months - 1))
    return first.strftime("%Y-%m")


def _partial(m: re.Match[str]) -> PartialDate:
    g = m.groupdict()
    if g["iy"]:
        return PartialDate(int(g["iy"]), int(g["im"]), int(g["id"]), time=g["it"])
    if g["yy"]:
        return PartialDate(int(g["yy"]), int(g["ym"]))
    for mon, day, year in (("m1", "d1", "y1"), ("m2", "d2", "y2")):
        if g[mon]:
            return PartialDate(int(g[year]) if g[year] else None, MONTHS[g[mon][:3]], int(g[day]))
    if g["m3"]:
        return PartialDate(int(g["y3"]), MONTHS[g["m3"][:3]])
    if g["qy"]:
        return PartialDate(int(g["qy"]), quarter=int(g["q1"]) if g["q1"] else _QUARTER_WORDS[g["qw"]])
    if g["qy2"]:
        return PartialDate(int(g["qy2"]), quarter=int(g["q2"]))
    if g["m4"]:
        return PartialDate(None, MONTHS[g["m4"][:3]])
    return PartialDate(int(g["year"]))


def _valid(d: PartialDate) -> bool:
    if d.month is not None and not 1 <= d.month <= 12:
        return False
    if d.day is not None:
        try:
            pd.Timestamp(year=d.year or 2000, month=d.month, day=d.day)  # 2000: a leap year, Feb 29 is fine
        except ValueError:
            return False
    return True


def date_mentions(lower: str) -> list[DateMention]:
    """Every date the (lower-cased) question compares with, in order, without overlaps."""
    out: list[DateMention] = []
    for m in _MENTION.finditer(lower):
        if out and m.start() < out[-1].span[1]:
            continue
        first = _partial(m)
        op = _CUES[m.group("cue")]
        if not _valid(first):
            continue
        end = m.end()
        dates: tuple[PartialDate, ...] = (first,)
        second = _SECOND.match(lower, end) if m.group("cue") in ("between", "from") else None
        if second is not None and _valid(other := _partial(second)):
            op, dates, end = "range", (first, other), second.end()
        if op != "range" and m.group("cue") == "between":
            continue  # "between" with one date says nothing
        if op != "range" and first.bare_year and op != "eq":
            continue  # "after 2015": the numeric comparisons read bare years
        if first.bare_year and m.group("cue") in ("for", "on"):
            continue  # "for 2024 customers", "on 2024": too loose for a year
        if m.group("m4") == "may" and m.group("cue") in ("for", "on"):
            continue  # "for May" is rare, "for may" often the verb's neighbour: not a date without a year
        out.append(DateMention(span=(m.start(), end), op=op, dates=dates))
    for m in _SEASON.finditer(lower):
        if not any(s <= m.start() < e for s, e in (x.span for x in out)):
            first, last = SEASONS[m.group("season")]
            year = int(m.group("year")) if m.group("year") else None
            dates = (PartialDate(year, first), PartialDate(year, last))
            out.append(DateMention(span=m.span(), op="range", dates=dates))
    for m in _LAST.finditer(lower):
        if not any(s <= m.start() < e for s, e in (x.span for x in out)):
            n = m.group("n")
            count = 1 if n is None else int(n) if n.isdigit() else _NUMBER_WORDS[n]
            out.append(DateMention(span=m.span(), op="gte", dates=(), last=(count, m.group("unit"))))
    return sorted(out, key=lambda x: x.span)


def resolve_year(date: PartialDate, covered: Callable[[], tuple[pd.Timestamp | None, pd.Timestamp | None]],
                 ) -> int | None:
    """The year of a date said without one: the column's year when its dates lie in one year, else the only
    year of its range in which the date falls (None when several or none do)."""
    if date.year is not None:
        return date.year
    start, end = covered()
    if start is None or end is None:
        return None
    if start.year == end.year:
        return start.year
    fits = []
    for year in range(start.year, end.year + 1):
        first = pd.Timestamp(year=year, month=date.month, day=date.day or 1)
        last = first if date.day else first + pd.offsets.MonthEnd(0)
        if last >= start.normalize() and first <= end:
            fits.append(year)
    return fits[0] if len(fits) == 1 else None
