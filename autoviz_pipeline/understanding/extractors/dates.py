"""Dates and periods said in a question, before they are tied to a column (``periods.py`` does that).

Two kinds of mention:
- :class:`DateMention`: an operation on dates ("after December 20", "before 2024-12-10", "in May 2024",
  "in Q2 2024", "between March 1 and March 15", "since 1990", "in the 1970s", "in the eighties", "1939-1945",
  "the last 7 days", "in summer 2023"). Values are the period forms ``frame.date_interval`` reads: ``YYYY-MM-DD``
  (a day, or an instant with a time), ``YYYY-MM`` (a month), ``YYYY-Qn`` (a quarter) and a bare year. A day or month
  said without a year takes the data's year when only one fits (:func:`resolve_year`).
- :class:`CalendarMention`: a part of every date, whatever the year: months ("in March", "June through
  August", "the winter months", "Dec, Jan and Feb"), days of the week ("on Mondays", "weekends") and hours
  ("after 10pm").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
          "nov": 11, "dec": 12}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_QUARTER_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
SEASONS = {"spring": (3, 4, 5), "summer": (6, 7, 8), "autumn": (9, 10, 11), "fall": (9, 10, 11),
           "winter": (12, 1, 2)}
"""Meteorological seasons of the northern hemisphere."""


def _month(name: str) -> str:
    return (rf"(?P<{name}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
            rf"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")


_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?" \
         r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
_DAY = r"(?:st|nd|rd|th)?\b"
_DATE = (
    r"(?:(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})(?:[ t](?P<it>\d{1,2}:\d{2}(?::\d{2})?))?(?![\d:])"
    r"|(?P<yy>\d{4})[-/](?P<ym>\d{1,2})(?![\d/.-])"
    rf"|{_month('m1')}\s+(?P<d1>\d{{1,2}}){_DAY}(?:,?\s+(?P<y1>\d{{4}})\b)?"
    rf"|(?P<d2>\d{{1,2}}){_DAY}\s+(?:of\s+)?{_month('m2')}(?:,?\s+(?P<y2>\d{{4}})\b)?"
    rf"|{_month('m3')},?\s+(?:of\s+)?(?P<y3>\d{{4}})\b"
    r"|(?:q(?P<q1>[1-4])|(?:the\s+)?(?P<qw>first|1st|second|2nd|third|3rd|fourth|4th)\s+quarter(?:\s+of)?),?\s+"
    r"(?P<qy>\d{4})\b"
    r"|(?P<qy2>\d{4})[- ]?q(?P<q2>[1-4])\b"
    rf"|{_month('m4')}(?![a-z])"
    r"|(?P<year>(?:1[89]|20)\d\d)(?![\d]|[,.]\d)(?!\s*(?:%|percent))"
    r")"
)
_CUES: dict[str, str] = {
    "on or after": "gte", "on or before": "lte", "no later than": "lte", "no earlier than": "gte",
    "later than": "gt", "earlier than": "lt", "prior to": "lt", "starting from": "gte", "starting in": "gte",
    "starting on": "gte", "starting": "gte", "as of": "gte", "since": "gte", "after": "gt", "before": "lt",
    "until": "lte", "till": "lte", "through": "lte", "up to": "lte", "up until": "lte", "from": "gte",
    "between": "gte", "during": "eq", "in": "eq", "on": "eq", "for": "eq", "of": "eq", "within": "eq",
    "throughout": "eq",
}
_MENTION = re.compile(
    rf"\b(?P<cue>{'|'.join(sorted((re.escape(c) for c in _CUES), key=len, reverse=True))})\s+"
    rf"(?:the\s+)?(?:(?P<edge>start|beginning|end|middle)\s+of\s+(?:the\s+)?)?"
    rf"(?:(?:year|month|day|date|quarter)\s+(?:of\s+)?)?{_DATE}"
)
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                 "twelve": 12, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30}
_LAST = re.compile(
    rf"\b(?:the\s+)?(?:last|past|previous|final|latest|most recent)\s+(?:(?P<n>\d{{1,3}}|{'|'.join(_NUMBER_WORDS)})\s+)?"
    r"(?P<unit>day|week|month|quarter|year|decade)s?\b"
    r"|\b(?:over|across|during|throughout)\s+the\s+(?P<decade>decade)\b")  # "over the decade": the data's last
_SEASON = re.compile(r"\b(?:(?:in|during|for|over|across|through|throughout)\s+)?(?:the\s+)?"
                     r"(?P<season>spring|summer|autumn|fall|winter)\b(?:\s+(?:months?|season))?"
                     r"(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b)?")
_UP_TO = re.compile(rf"\s*,?\s*(?:up\s+)?(?:to|until|till|through|thru)\s+(?:the\s+)?{_DATE}")
_SECOND = re.compile(rf"\s*,?\s*(?:and|to|until|till|through|thru|-|–)\s*(?:the\s+)?{_DATE}")
_DECADE = re.compile(r"(?:\b(?:the\s+)?(?P<century>1[89]|20)(?P<d>\d)0|(?:\bthe\s+'?|'|(?<=\d0s and )|(?<=\d0s or )"
                     r"|(?<=\d0s, )|(?<=\d0s & ))(?P<d2>\d)0)'?s\b")
"""A decade: "the 1970s", "the '90s", and a short one listed after another ("the 70s and 80s")."""
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7, "eighties": 8,
                 "nineties": 9}
_DECADE_WORD = re.compile(r"\b(?:the\s+|(?<=ies and )|(?<=ies or )|(?<=ies, ))(?P<word>" + "|".join(_DECADE_WORDS)
                          + r")\b")
"""A decade in words: "the eighties", "the sixties and seventies" (of the 1900s)."""
_YEAR_RANGE = re.compile(r"\b(?P<a>(?:1[89]|20)\d\d)\s*(?:-|–|—|to|through|thru|until|till)\s*"
                         r"(?P<b>(?:1[89]|20)\d\d|\d\d)\b(?![-/.]\d)")
_YEAR_ON = re.compile(r"\b(?P<y>(?:1[89]|20)\d\d)\s*(?:\+|(?:or|and)\s+(?P<dir>later|after|onwards?|beyond|more recent"
                      r"|newer|earlier|before|older|prior)\b"
                      r"|(?P<on>onwards?|on)\b(?!\s+(?:average|avg|a|an|the|each|every|which)\b))")
_YEAR_ONLY = re.compile(r"\b(?:(?:only|just)\s+(?:in\s+)?(?P<a>(?:1[89]|20)\d\d)\b"
                        r"|(?P<b>(?:1[89]|20)\d\d)(?:'s|\s+only\b|\s*:))")
_MONTH_SPAN = re.compile(rf"\b(?:(?:from|between)\s+)?(?P<a>{_MONTH})\s*(?:to|through|thru|until|till|and|-|–)\s*"
                         rf"(?P<b>{_MONTH})(?!\s*,?\s*\d)")
_MONTH_SPAN_YEAR = re.compile(rf"\b(?:(?:from|between)\s+)?(?P<a>{_MONTH})\s*(?:to|through|thru|until|till|and|-|–)"
                              rf"\s*(?P<b>{_MONTH}),?\s+(?:of\s+)?(?P<y>(?:1[89]|20)\d\d)\b")
_ANY_DATE = re.compile(rf"\b{_DATE}")
_MONTH_LIST = re.compile(rf"\b(?P<list>{_MONTH}(?:\s*,\s*{_MONTH})+,?\s*(?:and|or|&)\s*{_MONTH})(?!\s*,?\s*\d)")
_MONTH_ONLY = re.compile(rf"\b(?:(?:only|just)\s+(?:(?:in|at|for|during)\s+)?(?P<a>{_MONTH})|(?P<b>{_MONTH})(?:'s\b|\s+only\b))"
                         r"(?!\s*,?\s*\d)")
_FULL_MONTH = r"(?:january|february|april|june|july|august|september|october|november|december)"
"""Month names that are no other word ("march", "may" are verbs too)."""
_MONTH_MODIFIER = re.compile(
    rf"\b(?:(?:each|every)\s+(?P<a>{_FULL_MONTH})\b(?!\s*,?\s*\d)|(?P<b>{_FULL_MONTH})(?=\s+(?!(?:to|through|thru|and|or|"
    rf"vs|versus|until|till)\b)[a-z]))")
"""A month said as a modifier: "December turkey production", "each December", "July temperatures"."""
_WEEKDAY = (r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?s?|(?:monday|tuesday|wednesday|thursday"
            r"|friday|saturday|sunday)s?")
_DAY_LIST = rf"(?:\s*(?:,|and|or|vs\.?|versus|-|–|to|through|thru)\s*(?:{_WEEKDAY})\b(?!'s))*"
_WEEKDAY_FILTER = re.compile(
    rf"\b(?:(?:on|only|during|for|just|in)\s+(?:the\s+)?(?P<a>{_WEEKDAY}|weekends?|weekdays?|week\s?days)\b(?!'s)"
    rf"{_DAY_LIST}|(?P<b>{_WEEKDAY}|weekends?|weekdays?)\s+only\b"
    rf"|(?P<c>{_WEEKDAY})(?=\s*(?:-|–|to|through|thru)\s*(?:{_WEEKDAY})\b){_DAY_LIST}"  # "(mon-fri)"
    r"|(?P<d>weekend|weekday)(?=\s+(?!of\b|and\b|or\b|vs\b|versus\b)[a-z]))")  # "weekend readings": those days
_DAY_RANGE = re.compile(r"\s*(?:-|–|to|through|thru)\s*$")
_HOUR = r"(?P<{}>\d{{1,2}})(?::00)?\s*(?P<{}>am|pm|a\.m\.|p\.m\.)(?![a-z])"  # not "3 PMs" (prime ministers)
_HOUR_FILTER = re.compile(
    r"\b(?:(?P<cue>after|before|from|since|until|till|by|between|at)\s+)?" + _HOUR.format("h1", "p1")
    + r"(?:\s*(?:or|and)\s+(?P<dir>later|after|earlier|before))?"
    + r"(?:\s*(?:and|to|-|–|until|till)\s*" + _HOUR.format("h2", "p2") + ")?")


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
    """``op`` on one date (or ``range`` between two), said at ``span`` (characters) of the question; or, with
    ``last``, the last ``(n, unit)`` of the data ("the last 7 days"), which the column's latest date places.
    ``cue`` is the word before the date ("since", "in", …), ``""`` when none was said."""

    span: tuple[int, int]
    op: str
    dates: tuple[PartialDate, ...]
    last: tuple[int, str] | None = None
    cue: str = ""

    @property
    def years_only(self) -> bool:
        return bool(self.dates) and all(d.bare_year for d in self.dates)


@dataclass(frozen=True)
class CalendarMention:
    """A part of every date: ``part`` (``month``, ``weekday`` 1 = Monday, ``hour``) compared with ``values``
    by ``op`` (``eq``, ``in``, ``range``, ``gte``, ``lte``, ``gt``, ``lt``), said at ``span``."""

    span: tuple[int, int]
    part: str
    op: str
    values: tuple[int, ...]
    said: str = ""


def last_period_start(n: int, unit: str, end: pd.Timestamp) -> str | int:
    """Where the last ``n`` days/weeks/months/quarters/years up to ``end`` (the data's latest date) begin:
    the last 7 days of data ending 2024-12-31 begin on 2024-12-25, the last 2 months in 2024-11."""
    day = end.normalize()
    if unit in ("day", "week"):
        return (day - pd.Timedelta(days=n * (7 if unit == "week" else 1) - 1)).strftime("%Y-%m-%d")
    if unit in ("year", "decade"):
        return end.year - n * (10 if unit == "decade" else 1) + 1
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


_DECADE_BEFORE = re.compile(r"\b(?:(?P<cue>since|from|after|before|until|till)\s+)?(?:the\s+)?"
                            r"(?P<part>early|mid|late)?[\s-]*$")
_DECADE_PARTS = {"early": (0, 4), "mid": (3, 6), "late": (5, 9), None: (0, 9)}
_DECADE_CUES = {"since": ("gte", 0), "from": ("gte", 0), "after": ("gt", 1), "before": ("lt", 0),
                "until": ("lte", 1), "till": ("lte", 1)}


def _decade(lower: str, span: tuple[int, int], start: int) -> DateMention:
    """A decade said at ``span`` with the words before it: "the 1980s" (1980 to 1989), "the late 1980s" (1985 to
    1989), "since the late 1980s" (1985 on), "before the 90s" (until 1989)."""
    m = _DECADE_BEFORE.search(lower[:span[0]])
    lo, hi = (start + a for a in _DECADE_PARTS[m["part"]]) if m else (start, start + 9)
    said = (m.start() if m and (m["cue"] or m["part"]) else span[0], span[1])
    if m and m["cue"]:
        op, edge = _DECADE_CUES[m["cue"]]
        return DateMention(span=said, op=op, dates=(PartialDate((lo, hi)[edge]),), cue="decade")
    return DateMention(span=said, op="range", dates=(PartialDate(lo), PartialDate(hi)), cue="decade")


def _month_number(text: str) -> int:
    return MONTHS[text.strip(". ")[:3]]


def mentions(lower: str) -> tuple[list[DateMention], list[CalendarMention]]:
    """Dates and calendar parts of the (lower-cased) question. Month spans and lists go first, so "June
    through August" is three months, not "through August"."""
    months = _month_spans(lower)
    dates = date_mentions(lower, taken=[m.span for m in months])
    return dates, sorted(months + calendar_mentions(lower, [*(m.span for m in months), *(d.span for d in dates)]),
                         key=lambda x: x.span)


def _month_spans(lower: str) -> list[CalendarMention]:
    out: list[CalendarMention] = []
    for m in _MONTH_LIST.finditer(lower):  # "Dec, Jan and Feb"
        months = tuple(_month_number(x) for x in re.findall(_MONTH, m["list"]))
        out.append(CalendarMention(m.span(), "month", "in", months, m.group(0)))
    for m in _MONTH_SPAN.finditer(lower):  # "June through August", "from March to May"
        if not any(s < m.end() and m.start() < e for s, e in (x.span for x in out)):
            a, b = _month_number(m["a"]), _month_number(m["b"])
            months = tuple(range(a, b + 1)) if a <= b else (*range(a, 13), *range(1, b + 1))
            out.append(CalendarMention(m.span(), "month", "in", months, m.group(0)))
    return out


def date_mentions(lower: str, *, taken: list[tuple[int, int]] = ()) -> list[DateMention]:
    """Every date the (lower-cased) question compares with, in order, without overlaps (nor overlapping the
    ``taken`` character spans)."""
    out: list[DateMention] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in [*taken, *(x.span for x in out)])

    for m in _MONTH_SPAN_YEAR.finditer(lower):  # "June through August 2016"
        if free(*m.span()):
            year = int(m["y"])
            dates = (PartialDate(year, _month_number(m["a"])), PartialDate(year, _month_number(m["b"])))
            out.append(DateMention(span=m.span(), op="range", dates=dates, cue="range"))
    for m in _ANY_DATE.finditer(lower):  # "Jan 2015 to Mar 2016", "2016-09-01 - 2016-09-07"
        second = _SECOND.match(lower, m.end())
        if second is None or not free(m.start(), second.end()):
            continue
        first, other = _partial(m), _partial(second)
        if first.year and other.year and not (first.bare_year and other.bare_year) and _valid(first) \
                and _valid(other):
            out.append(DateMention(span=(m.start(), second.end()), op="range", dates=(first, other), cue="range"))
    for m in _YEAR_RANGE.finditer(lower):  # "1939-1945", "1952 to 2007", "1939–45"
        if not free(*m.span()):
            continue
        a, b = int(m["a"]), int(m["b"]) if len(m["b"]) == 4 else int(m["a"][:2] + m["b"])
        if a < b:
            out.append(DateMention(span=m.span(), op="range", dates=(PartialDate(a), PartialDate(b)), cue="range"))
    for m in _DECADE.finditer(lower):  # "the 1970s", "the '90s", "in the 2000s"
        if not free(*m.span()):
            continue
        if m["century"]:
            start = int(m["century"] + m["d"] + "0")
        else:
            digit = int(m["d2"])
            start = (1900 if digit >= 3 else 2000) + 10 * digit
        out.append(_decade(lower, m.span(), start))
    for m in _DECADE_WORD.finditer(lower):  # "in the eighties"
        if free(*m.span()):
            out.append(_decade(lower, m.span(), 1900 + 10 * _DECADE_WORDS[m["word"]]))
    for m in _YEAR_ON.finditer(lower):  # "2017 onward", "1990 or later", "2000+"
        if free(*m.span()) and not re.search(rf"\b{_MONTH},?\s*$", lower[:m.start()]):  # not "from August 2010 on"
            later = m["on"] or (m["dir"] or "").startswith(("later", "after", "onward", "beyond", "more", "newer")) \
                or lower[m.start():m.end()].rstrip().endswith("+")
            out.append(DateMention(span=m.span(), op="gte" if later else "lte", dates=(PartialDate(int(m["y"])),),
                                   cue="onward"))
    for m in _MENTION.finditer(lower):
        if not free(*m.span()):
            continue
        first = _partial(m)
        cue = m.group("cue")
        op = _CUES[cue]
        if m.group("edge") == "end" and op in ("gte", "gt"):
            op = "gt"  # "since the end of 2016": after it
        if not _valid(first):
            continue
        end = m.end()
        dates: tuple[PartialDate, ...] = (first,)
        second = _SECOND.match(lower, end) if cue in ("between", "from") else _UP_TO.match(lower, end) if cue in (
            "in", "since") else None  # "from Confederation in 1867 up to 2013": one stretch
        if second is not None and _valid(other := _partial(second)):
            op, dates, end = "range", (first, other), second.end()
        if op != "range" and cue == "between":
            continue  # "between" with one date says nothing
        if first.bare_year and cue in ("on", "within"):
            continue  # "on 2024": too loose for a year
        if m.group("m4") and cue in ("for", "on", "of", "within"):
            continue  # "for may", "of march": a verb's or a name's neighbour more often than a month
        out.append(DateMention(span=(m.start(), end), op=op, dates=dates, cue=cue))
    for m in _YEAR_ONLY.finditer(lower):  # "2016 only", "just 2017:", "2007's"
        if free(*m.span()):
            out.append(DateMention(span=m.span(), op="eq", dates=(PartialDate(int(m["a"] or m["b"])),), cue="only"))
    for m in _SEASON.finditer(lower):
        if m["year"] and m["season"] != "winter" and free(*m.span()):
            months = SEASONS[m["season"]]
            year = int(m["year"])
            out.append(DateMention(span=m.span(), op="range",
                                   dates=(PartialDate(year, months[0]), PartialDate(year, months[-1])), cue="season"))
    for m in _LAST.finditer(lower):
        if free(*m.span()):
            n = m.group("n")
            count = 1 if n is None else int(n) if n.isdigit() else _NUMBER_WORDS[n]
            unit = m.group("unit") or m.group("decade")
            if m.group("decade") and any(d.cue == "decade" for d in out):
                continue  # "in the 2010s … over the decade": the one named
            out.append(DateMention(span=m.span(), op="gte", dates=(), last=(count, unit), cue="last"))
    return sorted(out, key=lambda x: x.span)


def _said_days(text: str) -> tuple[int, ...]:
    """The days of a list or a range of day names ("saturday vs sunday" → 6, 7; "mon-fri" → 1..5)."""
    days: list[int] = []
    last = 0
    for m in re.finditer(_WEEKDAY, text):
        day = 1 + next(i for i, d in enumerate(WEEKDAYS) if d.startswith(m.group(0)[:3]))
        if days and _DAY_RANGE.search(text[last:m.start()]):
            days += list(range(days[-1] + 1, day + 1)) if day > days[-1] else []
        elif day not in days:
            days.append(day)
        last = m.end()
    return tuple(days)


_QUARTER_ONLY = re.compile(r"\b(?:q(?P<q>[1-4])|(?:the\s+)?(?P<w>first|1st|second|2nd|third|3rd|fourth|4th)"
                           r"\s+quarters?)\b(?!\s*(?:of\s+)?(?:\d{4}|'\d\d))(?!\s+of\s+(?:the\s+)?(?:century|decade))")


def calendar_mentions(lower: str, taken: list[tuple[int, int]]) -> list[CalendarMention]:
    """Months, quarters, days of the week and hours said without a year ("in March", "Q1 of every year", "on
    weekends", "after 10pm"),
    outside the ``taken`` character spans."""
    out: list[CalendarMention] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in [*taken, *(x.span for x in out)])

    for m in _SEASON.finditer(lower):  # "in the summer", "winter months"
        if not m["year"] and free(*m.span()) and _said_as_period(lower, m):
            out.append(CalendarMention(m.span(), "month", "in", SEASONS[m["season"]], m["season"]))
    for m in _QUARTER_ONLY.finditer(lower):  # "Q1 of every year", "in the fourth quarter" (no year said)
        if free(*m.span()):
            q = int(m["q"]) if m["q"] else _QUARTER_WORDS[m["w"]]
            out.append(CalendarMention(m.span(), "quarter", "eq", (q,), m.group(0)))
    for m in _MONTH_ONLY.finditer(lower):  # "March only", "only in June"
        if free(*m.span()):
            out.append(CalendarMention(m.span(), "month", "eq", (_month_number(m["a"] or m["b"]),), m.group(0)))
    for m in _MONTH_MODIFIER.finditer(lower):  # "December turkey production", "each December"
        if free(*m.span()):
            out.append(CalendarMention(m.span(), "month", "eq", (_month_number(m["a"] or m["b"]),), m.group(0)))
    for m in _WEEKDAY_FILTER.finditer(lower):
        word = (m["a"] or m["b"] or m["c"] or m["d"]).replace(" ", "")
        if not free(*m.span()) or (m["d"] and re.search(r"\bweekends?\b", lower) and re.search(r"\bweekdays?\b", lower)):
            continue  # "weekend and weekday sales": the two compared, neither kept alone
        if word.startswith("weekend"):
            days: tuple[int, ...] = (6, 7)
        elif word.startswith("weekday"):
            days = (1, 2, 3, 4, 5)
        else:
            days = _said_days(m.group(0))  # "on Saturday vs Sunday", "on Mon-Fri"
        out.append(CalendarMention(m.span(), "weekday", "in" if len(days) > 1 else "eq", days, m.group(0)))
    for m in _HOUR_FILTER.finditer(lower):
        if not free(*m.span()):
            continue
        h1 = _hour(m["h1"], m["p1"])
        if m["h2"]:
            out.append(CalendarMention(m.span(), "hour", "range", (h1, _hour(m["h2"], m["p2"])), m.group(0)))
            continue
        cue, direction = m["cue"] or "", m["dir"] or ""
        op = {"after": "gt", "since": "gte", "from": "gte", "before": "lt", "until": "lte", "till": "lte",
              "by": "lte", "at": "eq"}.get(cue, "eq")
        if direction in ("later", "after"):
            op = "gte"
        elif direction in ("earlier", "before"):
            op = "lte"
        out.append(CalendarMention(m.span(), "hour", op, (h1,), m.group(0)))
    return sorted(out, key=lambda x: x.span)


def _said_as_period(lower: str, m: re.Match[str]) -> bool:
    """ "in the summer", "winter months", "during winter": a season said as a time, not a name."""
    text = m.group(0)
    return text.split()[0] in ("in", "during", "for", "over", "across", "through", "throughout") or \
        text.endswith(("month", "months", "season"))


def _hour(hour: str, period: str) -> int:
    h = int(hour) % 12
    return h + 12 if period.startswith("p") else h


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
