"""The chart that answers a question, chosen from its reading alone.

A chart word decides the mark ("pie", "as bars"). Without one the task does, with the defaults of
visualization practice (Mackinlay's effectiveness ranking, as APT and Draco apply it: position on a common
scale first, so bars over pies for comparing groups; a line for a quantity over ordered time; points for
two quantities; a histogram for how one quantity is spread, a box plot per group for its spread across
groups; a pie only for part-of-whole). Each mark has one builder that fills its slots from the question's
columns first, then from the profile (a low-cardinality category, the table's main quantity), never a
column twice and never in place of a measure word that matched nothing (that is counted, and said).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..contracts import Aggregate, ChartSpec, Encoding, Mark, TimeUnit
from .columns import ColumnForms, ColumnIndex
from .lexicon import lemma
from .reading import QuestionReading, Ranking
from .settings import DEFAULT_CHART_SETTINGS, ChartSettings
from .vocabulary import vocabulary

_TIME_HEADS: dict[str, TimeUnit | None] = {"day": None, "date": None, "week": "week", "month": "month",
                                           "year": "year", "quarter": "quarter", "hour": "hour"}
_UNIT_CALENDAR = {"year": "year", "month_of_year": "month", "quarter_of_year": "quarter", "hour_of_day": "hour"}
_TARGET_NAMES = frozenset("target label outcome response class y".split())
_ADDITIVE = frozenset("revenue sale amount quantity unit count total cost profit spend volume visitor signup order "
                      "income expense budget population view click vote death case birth passenger emission "
                      "precipitation rainfall snowfall delay".split())


@dataclass
class Slots:
    """The chart's columns: the question's own by role, then the profile's for what is left open."""

    reading: QuestionReading
    index: ColumnIndex
    settings: ChartSettings
    measures: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    splits: list[str] = field(default_factory=list)
    filtered: list[str] = field(default_factory=list)  # numbers named only to be filtered ("weighing over 3 t")
    cued: set[str] = field(default_factory=set)  # groups said with "by", "per", "for each", or compared
    used: set[str] = field(default_factory=set)

    def col(self, name: str | None) -> ColumnForms | None:
        return self.index.get(name) if name else None

    def take(self, names: list[str]) -> str | None:
        for name in names:
            if name not in self.used:
                self.used.add(name)
                return name
        return None

    def profile_group(self) -> str | None:
        """A category axis from the profile: the fewest-valued category, then keys, dates, text, numbers."""
        cols = self.index.columns
        categorical = sorted((c for c in cols if c.role in ("categorical", "boolean") and c.profile.distinct > 1),
                             key=lambda c: c.profile.distinct)
        texts = sorted((c for c in cols if c.role == "text" and c.profile.distinct > 1),
                       key=lambda c: c.profile.distinct)
        return self.take([c.name for c in categorical] + [c.name for c in cols if c.role == "identifier"]
                         + [c.name for c in cols if c.role == "temporal"] + [c.name for c in texts]
                         + [c.name for c in cols if c.role == "numeric"])

    def label(self) -> str | None:
        """What names the things a question ranks ("which 10 restaurants"): a name/title column, else a key,
        else the category with the most values."""
        cols = [c for c in self.index.columns if c.role in ("categorical", "text", "identifier")]
        named = [c.name for c in cols if {"name", "title", "label"} & set(c.lemmas)]
        keys = [c.name for c in cols if c.role == "identifier"]
        widest = [c.name for c in sorted(cols, key=lambda c: -c.profile.distinct) if c.role != "identifier"]
        return self.take(named + keys + widest)

    def target(self) -> ColumnForms | None:
        """A classifier's or regressor's label column (``target``, ``label``, ``outcome``): where a table
        prepared for learning keeps what its questions are about."""
        found = [c for c in self.index.columns if len(c.words) == 1 and c.words[0] in _TARGET_NAMES
                 and c.name not in self.used]
        return found[0] if len(found) == 1 else None

    def row_key(self) -> str | None:
        """What names one row: a name unique to each row, another unique label, an identifier, a date."""
        cols, rows = self.index.columns, self.index.profile.rows
        unique = [c for c in cols if c.role in ("categorical", "text", "identifier") and c.profile.distinct == rows]
        return self.take([c.name for c in unique if {"name", "title", "label"} & set(c.lemmas)]
                         + [c.name for c in cols if c.role in ("categorical", "text") and c.profile.distinct == rows]
                         + [c.name for c in cols if c.role == "identifier"]
                         + [c.name for c in cols if c.role == "temporal"])

    def quantity(self) -> str | None:
        """The table's main quantity: the first number that adds up (revenue, units), else the first number."""
        numbers = [c.name for c in self.index.columns if c.measure and c.profile.distinct > 1]
        return self.take([c for c in numbers if default_aggregate(self.col(c)) == "sum"] + numbers)

    def number(self) -> str | None:
        return self.take([c.name for c in self.index.columns if c.measure and c.profile.distinct > 1]
                         + [c.name for c in self.index.columns if c.numeric])

    def timeline(self) -> str | None:
        """The time axis: a time column the question names, else the table's first (dates before years)."""
        named = [g for g in self.groups if (c := self.col(g)) is not None and c.timeline]
        if named:
            self.used.add(named[0])
            return named[0]
        return self.take([c.name for c in self.index.timelines])


def choose_chart(reading: QuestionReading, index: ColumnIndex, *,
                 settings: ChartSettings = DEFAULT_CHART_SETTINGS) -> tuple[ChartSpec | None, list[str]]:
    """The chart spec for a reading, and notes on what was assumed."""
    notes: list[str] = []
    slots = _slots(reading, index, settings)
    _target_for_unexplained(reading, slots, notes)
    mark, binned = _mark(reading, slots)
    builder = _BUILDERS[mark]
    spec = builder(reading, slots, notes, binned)
    if spec is not None and reading.unmatched:
        words = ", ".join(repr(w) for w in reading.unmatched)
        counted = spec.y is not None and spec.y.aggregate == "count" and spec.y.field is None
        notes.append(f"{words} matched no column; " + ("showing the count of rows" if counted else
                                                      "left out of the chart"))
    return spec, notes


# --------------------------------------------------------------------------------------------------
def _slots(reading: QuestionReading, index: ColumnIndex, settings: ChartSettings) -> Slots:
    slots = Slots(reading=reading, index=index, settings=settings)
    filters = reading.filter_specs()
    single = {f.column for f in filters if f.op == "eq"}
    plain_dims: list[tuple[float, str]] = []
    measures_filtered: list[str] = []
    for m in reading.mentions:
        col = index.get(m.column)
        if col is None or m.counted:
            continue
        if m.cue == "split":
            _add(slots.splits, m.column)
        elif m.cue == "group":
            _add(slots.groups, m.column)
            slots.cued.add(m.column)
        elif m.quantity:
            (measures_filtered if m.filtered else slots.measures).append(m.column)
        elif m.column not in single or not reading.compared_values:
            plain_dims.append((-m.score, m.column))
    slots.filtered = list(dict.fromkeys(measures_filtered))
    # a number named only to filter is measured when nothing else is and rows are not counted ("which
    # countries emitted more than 20 tonnes": their emissions)
    slots.measures = list(dict.fromkeys(slots.measures)) or (
        slots.filtered if reading.aggregate not in (None, "count") or not (reading.counts_rows or
                                                                             reading.task == "share") else [])
    heads = {b.column for a, b in zip(reading.mentions, reading.mentions[1:]) if a.end == b.start}
    for _, name in sorted(plain_dims, key=lambda d: (d[1] not in heads, d[0])):  # "browser versions": versions
        if name not in slots.measures and name not in measures_filtered:  # "average order … an order of 2"
            _add(slots.groups, name)
    if len(slots.groups) > 1:  # "top 5 countries by gold medals": the medal is a filter, countries the axis
        slots.groups = [g for g in slots.groups if g not in single] or slots.groups
    ranking = reading.ranking
    if ranking is not None and ranking.measure and ranking.measure not in slots.measures:
        slots.measures.insert(0, ranking.measure)
    if not slots.measures and len(slots.groups) > 1:
        # "top regions by revenue": a continuous number after "by" is what is measured, not a grouping
        for g in list(slots.groups):
            col = index.get(g)
            if col is not None and col.measure and col.profile.distinct > settings.continuous_distinct:
                slots.groups.remove(g)
                slots.measures.append(g)
                break
    cued_first = [g for g in slots.groups if g in slots.cued]
    for column in reversed(reading.compared_values):  # "Chrome or Firefox": the compared values are groups,
        if column in slots.groups:                     # first unless another is said with "by"
            slots.groups.remove(column)
        if column not in slots.splits:
            slots.groups.insert(len(cued_first) if cued_first else 0, column)
        slots.cued.add(column)
    if ranking is not None and ranking.head:
        # "which 5 education levels have the highest wage": what the question ranks is the axis
        ranked = next((m.column for m in reading.mentions if ranking.head in (index.get(m.column).lemmas +
                       index.get(m.column).core) or lemma(m.phrase.split()[-1]) == ranking.head), None)
        if ranked is not None and ranked in slots.measures and len(slots.measures) > 1:
            slots.measures.remove(ranked)
            slots.groups.insert(0, ranked)
        elif ranked is not None and ranked in slots.groups and not _keyed(index.get(ranked)):
            # "which department has the oldest employees": departments ranked; the employees are its rows
            slots.groups = [ranked, *(g for g in slots.groups if g != ranked and not _keyed(index.get(g)))]
    if ranking is not None and not slots.measures:
        # "top 5 weeks by total volume": the continuous number after "by" is what is ranked by
        by = next((g for g in slots.groups if (c := index.get(g)) is not None and c.measure
                   and c.profile.distinct > settings.continuous_distinct), None)
        if by is not None and (len(slots.groups) > 1 or ranking.head not in (None, *index.get(by).lemmas)):
            slots.groups.remove(by)
            slots.measures.append(by)
    slots.measures = [m for m in slots.measures if not any(f.column == m and f.op == "eq" and f.value is None
                                                           for f in filters)]
    slots.used = {*slots.measures, *slots.groups, *slots.splits}
    return slots


def _keyed(col: ColumnForms | None) -> bool:
    return col is not None and (col.one_per_row or col.role == "identifier")


def _target_for_unexplained(reading: QuestionReading, slots: Slots, notes: list[str]) -> None:
    """A question about something no column names ("disease progression", "heart disease") on a table made
    for learning: its label column is what such a table's questions are about (said in a note)."""
    if not reading.unexplained or (target := slots.target()) is None:
        return
    quantities = len(slots.measures) + len(_numeric_groups(slots))
    needs_quantity = not slots.measures or (reading.task == "relationship" and quantities < 2) or (
        reading.versus and quantities < 2)
    words = " ".join(reading.unexplained)
    if target.measure and needs_quantity and not reading.counts_rows:
        slots.measures.append(target.name)
    elif not target.measure and re.search(r"\b(?:with|without|has|have|had)\b", reading.question.lower()):
        slots.groups.append(target.name) if not slots.groups or reading.versus else slots.splits.append(target.name)
        slots.cued.add(target.name)
    else:
        return
    slots.used.add(target.name)
    notes.append(f"{words!r} matched no column; read as the table's label column {target.name!r}")


def _add(items: list[str], name: str) -> None:
    if name not in items:
        items.append(name)


def _mark(reading: QuestionReading, slots: Slots) -> tuple[Mark, bool]:
    """The mark, and whether a bar's x is binned (a histogram)."""
    for word in reading.chart_words:
        if word.word in ("histogram", "histo"):
            return "bar", True
        return word.mark, word.mark == "bar" and bool(reading.bins) and bool(slots.measures) and not slots.groups
    task = reading.task
    measures, groups = slots.measures, slots.groups
    timeline_group = any((c := slots.col(g)) is not None and c.timeline for g in groups)
    counting = reading.counts_rows and len(measures) < 2
    if _ranks_rows(reading, slots):
        return "bar", False
    if reading.bins and not measures and slots.filtered:
        return "bar", True  # "entries in credit ranges of 10 between 79 and 91 credits": bins of the number said
    if task == "distribution" or (reading.bins and measures):
        said_groups = [g for g in groups if g in slots.cued and not _one_per_row(slots, g)]
        if measures and not said_groups and not slots.splits:
            return "bar", True  # how one quantity is spread: a histogram ("… across all firm-years")
        if measures:
            return "boxplot", False
        return "bar", False
    if (task == "relationship" and not counting and len(measures) + len(_numeric_groups(slots)) >= 2) or (
            len(measures) >= 2 and not counting and (not groups or reading.versus)):
        return "point", False
    if task == "share":
        return "arc", False
    if (reading.ranking is not None and task != "trend") or _which_periods(reading):
        return "bar", False  # "which years had the highest …", "top 10 years": ranked (chosen) periods are bars
    if task == "trend" or reading.time_unit in ("year", "quarter", "month", "week", "day", "hour") or timeline_group:
        numbers = [g for g in groups if (c := slots.col(g)) is not None and c.numeric]
        if not timeline_group and numbers and reading.aggregate is None and measures and \
                (c := slots.col(numbers[0])) is not None and c.profile.distinct > 0.5 * c.profile.count:
            return "point", False  # "how does electronegativity change with atomic number": one row per x
        if reading.time_unit not in ("weekday", "month_of_year", "quarter_of_year", "hour_of_day"):
            return "line", False
    if task is None and measures and not groups and not slots.splits and reading.aggregate is None \
            and not reading.counts_rows and reading.ranking is None and not reading.time_unit:
        if slots.index.timelines and len(measures) == 1:
            return "line", False  # one quantity of a table in time: over time (Mackinlay: time on x)
        return "bar", True  # one quantity, nothing else said: how it is spread
    return "bar", False


def _which_periods(reading: QuestionReading) -> bool:
    """ "Which years saw unemployment above 8%?": periods picked out, not a trend."""
    return bool(re.search(r"\b(?:which|what)\s+(?:\w+\s+)?(?:years|months|weeks|days|quarters|dates)\b",
                          reading.question.lower()))


def _numeric_groups(slots: Slots) -> list[str]:
    return [g for g in slots.groups if (c := slots.col(g)) is not None and c.measure]


def _ranks_rows(reading: QuestionReading, slots: Slots) -> bool:
    """ "the 5 youngest employees", "the 10 priciest weeks", "top 10 densest elements": single rows ranked by
    a quantity; "which make is the heaviest" ranks makes (groups)."""
    ranking = reading.ranking
    if ranking is None or not slots.measures or slots.splits:
        return False
    if any(w.mark not in ("bar",) for w in reading.chart_words):
        return False
    keyed = [g for g in slots.groups if _keyed(slots.col(g))]
    timed = all((c := slots.col(g)) is not None and c.timeline for g in slots.groups)
    if ranking.head in _TIME_HEADS and slots.index.timelines and timed:
        return True  # "the hottest days": days ranked, even when a date has a row per city
    if slots.groups and not keyed:
        return False
    return bool(ranking.measure or ranking.limit) and (bool(keyed) or _names_rows(ranking, slots))


def _names_rows(ranking: Ranking, slots: Slots) -> bool:
    """Does the superlative qualify the rows ("the densest elements" of an elements table, "the coldest days"
    of daily data) rather than a group?"""
    head = ranking.head
    if head is None:
        return True
    if head in slots.index.entity or head in vocabulary().cues["row_words"]:
        return True
    return not any(lemma(w) == head for c in slots.index.columns for w in c.words)


# --------------------------------------------------------------------------------------------------
# builders, one per mark
# --------------------------------------------------------------------------------------------------
def _bar(reading: QuestionReading, slots: Slots, notes: list[str], binned: bool) -> ChartSpec | None:
    if binned:
        return _histogram(reading, slots, notes)
    if _ranks_rows(reading, slots):
        return _ranked_rows(reading, slots, notes)
    return _grouped(reading, slots, notes, "bar")


def _line(reading: QuestionReading, slots: Slots, notes: list[str], binned: bool) -> ChartSpec | None:
    return _grouped(reading, slots, notes, "line")


def _area(reading: QuestionReading, slots: Slots, notes: list[str], binned: bool) -> ChartSpec | None:
    return _grouped(reading, slots, notes, "area")


def _grouped(reading: QuestionReading, slots: Slots, notes: list[str], mark: Mark) -> ChartSpec | None:
    """Bars, lines or areas: a measure per group (per period on a time axis)."""
    unit = reading.time_unit
    x, unit = _x_axis(reading, slots, mark, unit)
    if x is None:
        return None
    color = _color(reading, slots, exclude={x}, mark=mark)
    y, agg = _measure(reading, slots, exclude={x, color},
                      timeline=mark in ("line", "area") and (c := slots.col(x)) is not None and c.timeline)
    ranking = reading.ranking
    sort = ranking.order if ranking is not None and mark == "bar" else None
    limit = ranking.limit if ranking is not None and mark == "bar" else None
    stacked = None
    if color and mark == "bar" and any(w in reading.question.lower() for w in ("side by side", "side-by-side",
                                                                               "grouped", "clustered", "dodged")):
        stacked = False
    elif color and "stacked" in reading.question.lower():
        stacked = True
    return ChartSpec(mark=mark, x=Encoding(field=x, time_unit=unit if slots.col(x).role == "temporal" else None),
                     y=Encoding(field=y, aggregate=agg), color=_enc(color), filters=reading.filter_specs(),
                     sort=sort or ("descending" if limit else None), limit=limit, stacked=stacked)


def _x_axis(reading: QuestionReading, slots: Slots, mark: Mark, unit: TimeUnit | None) -> tuple[str | None,
                                                                                               TimeUnit | None]:
    """The category or time axis. A period unit said ("monthly", "by month of the year") takes a column
    holding that part (``month``) if the table has one, else the date column with that unit."""
    if unit is not None:
        calendar = _calendar_axis(slots, unit, said=not reading.time_resolution)
        if calendar is not None:
            slots.used.add(calendar)
            return calendar, None
    head_unit = _TIME_HEADS.get(reading.ranking.head) if reading.ranking and reading.ranking.head else None
    if head_unit is not None and (calendar := slots.index.calendar(head_unit)) is not None and \
            calendar.name in slots.groups:
        return calendar.name, None  # "the 5 windiest months" over a ``month`` column the question names
    wants_time = mark in ("line", "area") or unit is not None or head_unit is not None
    if wants_time:
        named = [g for g in slots.groups if (c := slots.col(g)) is not None and c.timeline]
        x = named[0] if named else None
        if x is None and (mark in ("line", "area") and not _ordered_groups(slots) or unit or head_unit):
            x = slots.timeline()
        if x is not None:
            slots.used.add(x)
            return x, unit or (head_unit if slots.col(x).role == "temporal" else None)
        ordered = _ordered_groups(slots)
        if ordered:
            return ordered[0], None
    if slots.groups:
        return slots.groups[0], unit
    if slots.splits:
        return slots.splits.pop(0), unit  # "revenue broken down by category": the categories are the bars
    if mark in ("line", "area") and len(slots.measures) >= 2:
        aggregated = reading.aggregate_at is not None and [m for m in reading.mentions if m.column in slots.measures
                                                           and m.start > reading.aggregate_at]
        x = next((m for m in slots.measures if not aggregated or m != aggregated[0].column), slots.measures[0])
        slots.measures.remove(x)
        return x, unit  # "the average price climbs as you add bedrooms": bedrooms along x
    if len(slots.measures) >= 2 and reading.aggregate is None or (slots.measures and reading.counts_rows):
        return slots.measures.pop(0), unit  # a count per value of the number the question names
    few = [f for f in slots.filtered if (c := slots.col(f)) is not None and c.profile.distinct <= 20]
    if reading.counts_rows and few:
        return few[0], unit  # "how many cars for the maker within 2 and 5": per maker (a few values)
    if reading.group_size is not None:
        sized = [c.name for c in slots.index.columns if c.profile.distinct == reading.group_size
                 and c.role in ("categorical", "boolean", "text") and c.name not in slots.used]
        if sized:  # "which of the three airports": the category with three values
            slots.used.add(sized[0])
            return sized[0], unit
    if reading.ranking is not None and reading.ranking.head and not _head_is_column(reading.ranking.head, slots):
        return slots.label() or slots.profile_group(), unit  # "which 10 restaurants …": the things ranked
    return slots.profile_group(), unit


def _head_is_column(head: str, slots: Slots) -> bool:
    return any(head in c.lemmas or head == c.head for c in slots.index.columns) or head in _TIME_HEADS


def _calendar_axis(slots: Slots, unit: TimeUnit, *, said: bool) -> str | None:
    """A column holding the period asked for: ``month`` (1..12) for "by month of the year", or for "monthly"
    when the data lies in one year or has no date column; ``year`` for "per year"; ``hour`` for "by hour" when
    the question names that column (``said``: grouped by the unit, not a resolution like "hour by hour")."""
    part = _UNIT_CALENDAR.get(unit, unit)
    calendar = slots.index.calendar(part)
    if calendar is None:
        return None
    if unit in _UNIT_CALENDAR or (said and calendar.name in slots.groups):
        return calendar.name
    dates = [c for c in slots.index.columns if c.role == "temporal"]
    years = slots.index.calendar("year")
    one_year = years is not None and years.profile.distinct == 1
    if unit in ("month", "quarter") and (not dates or one_year):
        return calendar.name
    return None


def _ordered_groups(slots: Slots) -> list[str]:
    """Groups with an order a line can follow: time, then numbers (age, years of education); no keys."""
    return [g for g in slots.groups if (c := slots.col(g)) is not None and (c.timeline or c.role == "numeric")]


def _color(reading: QuestionReading, slots: Slots, *, exclude: set[str | None], mark: Mark = "bar") -> str | None:
    """The colour split: one said ("colored by", "one line per"), a second grouping said with "by"/"for
    each" or compared values; a second named category only on bars (a line needs a reason to split)."""
    single = {f.column for f in reading.filter_specs() if f.op == "eq"}
    across = {m.column for m in reading.mentions if m.across} - set(reading.compared_values)
    candidates = [*slots.splits, *[g for g in slots.groups if (g in slots.cued or mark in ("bar", "rect"))
                                   and g not in across]]
    for name in candidates:
        if name not in exclude and name not in single and not _one_per_row(slots, name):
            slots.used.add(name)
            return name
    return None


def _one_per_row(slots: Slots, name: str) -> bool:
    """A column with a value per row ("one dot per state") names the marks; as a colour it splits nothing."""
    col = slots.col(name)
    return col is not None and col.one_per_row and col.role != "temporal" and slots.index.profile.rows > 12


def _measure(reading: QuestionReading, slots: Slots, *, exclude: set[str | None],
             timeline: bool = False) -> tuple[str | None, Aggregate]:
    """The y field and its aggregate: a count needs no field; a named measure gets the asked-for aggregate,
    else its natural one (sum of what adds up, mean of the rest)."""
    aggregate = reading.aggregate
    measures = [m for m in slots.measures if m not in exclude]
    if reading.counts_rows and aggregate in (None, "count") and not (reading.ranking and reading.ranking.measure):
        return None, "count"
    if not measures and not reading.unmatched and (aggregate not in (None, "count") or reading.task == "ranking"
                                                    or "how much" in reading.question.lower()):
        measures = [m] if (m := slots.quantity()) else []
    if timeline and not measures and not reading.counts_rows and not reading.unmatched and aggregate is None and \
            len(only := [c.name for c in slots.index.columns if c.measure and c.name not in slots.used]) == 1:
        measures = only  # "Keeling curve as an area chart": a time series' one quantity
    if not measures or aggregate == "count":
        return None, "count"
    y = measures[0]
    slots.used.add(y)
    return y, aggregate or default_aggregate(slots.col(y))


def _ranked_rows(reading: QuestionReading, slots: Slots, notes: list[str]) -> ChartSpec | None:
    ranking = reading.ranking
    assert ranking is not None
    measure = ranking.measure or slots.measures[0]
    head_unit = _TIME_HEADS.get(ranking.head or "")
    keyed = [g for g in slots.groups if (c := slots.col(g)) is not None and (c.one_per_row or c.role == "identifier"
                                                                              or c.timeline)]
    key = keyed[0] if keyed else (slots.timeline() if ranking.head in _TIME_HEADS else None) or slots.row_key()
    if key is None:
        return None
    col = slots.col(key)
    unit = head_unit if col is not None and col.role == "temporal" else None
    one_per_row = col is not None and col.one_per_row and unit is None
    agg: Aggregate | None = reading.aggregate if reading.aggregate not in (None, "count") else (
        None if one_per_row else "max" if ranking.order == "descending" else "min")  # a city's hottest day
    coarse = ranking.head in ("month", "quarter", "year")  # "which month was the warmest": every month, ranked
    limit = ranking.limit or (None if coarse else slots.settings.ranked_rows)
    return ChartSpec(mark="bar", x=Encoding(field=key, time_unit=unit), y=Encoding(field=measure, aggregate=agg),
                     sort=ranking.order, limit=limit, filters=reading.filter_specs())


def _histogram(reading: QuestionReading, slots: Slots, notes: list[str]) -> ChartSpec | None:
    """Bins of one number, counted; with a second number named, that number per bin ("mpg in weight ranges
    of 10": the mean mpg of each weight range). The binned number is the one said just before the bin word
    ("weight ranges") or after "by", else the first named."""
    numbers = [*slots.measures, *_numeric_groups(slots), *slots.filtered]  # "credits in ranges of 10 between …"
    before = [m.column for m in reading.mentions if reading.bins_at is not None and m.end == reading.bins_at]
    by = [m.column for m in reading.mentions if m.cue == "group" and m.column in numbers]
    numbers = list(dict.fromkeys([*[b for b in before if b in numbers], *by, *numbers]))
    column = numbers[0] if numbers else slots.number()
    if column is None:
        return None
    slots.used.add(column)
    y: str | None = None
    aggregate: Aggregate = "count"
    others = [m for m in slots.measures if m != column]
    if others and not reading.counts_rows and reading.aggregate != "count":
        y = others[0]
        aggregate = reading.aggregate or "mean"  # a sum per bin grows with the bin's rows; the mean compares
        slots.used.add(y)
    split = next((s for s in [*slots.splits, *[g for g in slots.groups if g in slots.cued]] if s not in
                  {column, y} and s not in {f.column for f in reading.filter_specs() if f.op == "eq"}
                  and not _one_per_row(slots, s)), None)
    return ChartSpec(mark="bar", x=Encoding(field=column, bin=reading.bins or slots.settings.default_bins),
                     y=Encoding(field=y, aggregate=aggregate), color=_enc(split), filters=reading.filter_specs())


def _point(reading: QuestionReading, slots: Slots, notes: list[str], binned: bool) -> ChartSpec | None:
    size = None
    measures = list(slots.measures)
    if reading.aggregate == "count":
        size = Encoding(aggregate="count")
    elif reading.aggregate and measures and not reading.versus and reading.aggregate_at is not None and (
            aggregated := [m.column for m in reading.mentions if m.column in measures and
                           0 < m.start - reading.aggregate_at <= 2]):
        measured = aggregated[0]  # "the total price for each code": the aggregated measure is the size
        measures.remove(measured)
        size = Encoding(field=measured, aggregate=reading.aggregate)
    cols = [*measures, *[g for g in slots.groups if g not in measures]]
    quantities = [c for c in cols if (f := slots.col(c)) is not None and (f.numeric or f.role == "temporal")]
    nominal = [c for c in cols if c not in quantities]
    color = slots.splits[0] if slots.splits else None
    if len(quantities) < 2 and nominal and not color:
        color = nominal.pop(0)
    axes = [*quantities, *nominal]
    while len(axes) < 2 and (extra := slots.number() or slots.profile_group()):
        axes.append(extra)
    if len(axes) < 2:
        return None
    single = {f.column for f in reading.filter_specs() if f.op == "eq"}
    color = color or next((g for g in slots.groups if g not in axes[:2] and g not in single and g in slots.cued
                           and not _one_per_row(slots, g)), None)
    x, y = (axes[1], axes[0]) if _said_against(reading, axes) else (axes[0], axes[1])
    return ChartSpec(mark="point", x=Encoding(field=x), y=Encoding(field=y), color=_enc(color), size=size,
                     filters=reading.filter_specs())


def _said_against(reading: QuestionReading, axes: list[str]) -> bool:
    """ "plot A against B": B on x. Scorers and readers accept either; this keeps the convention."""
    return " against " in f" {reading.question.lower()} "


def _boxplot(reading: QuestionReading, slots: Slots, notes: list[str], binned: bool) -> ChartSpec | None:
    continuous = [g for g in slots.groups if (c := slots.col(g)) is not None and c.numeric
                  and c.profile.distinct > slots.settings.continuous_distinct]
    named = [g for g in slots.groups if (c := slots.col(g)) is not None and c.numeric and g not in continuous]
    numbers = [*slots.measures, *continuous] or named[-1:] or slots.filtered  # "box plot of institution IDs"
    y = numbers[0] if numbers else slots.number()
    if y is None:
        return None
    slots.used.add(y)
    unit = reading.time_unit
    groups = [g for g in [*slots.groups, *slots.splits] if g != y]
    if unit is not None and not groups:
        x, unit = _x_axis(reading, slots, "boxplot", unit)
    else:
        x = groups[0] if groups else slots.profile_group()
        unit = unit if x is not None and (c := slots.col(x)) is not None and c.role == "temporal" else None
    return ChartSpec(mark="boxplot", x=Encoding(field=x, time_unit=unit) if x else None, y=Encoding(field=y),
                     filters=reading.filter_specs())


def _arc(reading: QuestionReading, slots: Slots, notes: list[str], binned: bool) -> ChartSpec | None:
    filters = reading.filter_specs()
    category = next(iter([*slots.splits, *slots.groups]), None) or (
        slots.label() if reading.ranking and reading.ranking.head and not _head_is_column(reading.ranking.head, slots)
        else slots.profile_group())
    if category is None:
        return None
    slots.used.add(category)
    y, agg = _measure(reading, slots, exclude={category})
    if agg not in ("count", "sum") and y is not None and reading.aggregate is None:
        agg = "sum"
    part = [f for f in filters if f.op == "eq" and f.column == category]
    if part:  # "what percentage of readings are faults": the share of faults among all, not of faults alone
        filters = [f for f in filters if f not in part]
        notes.append(f"{part[0].value!r} is the share asked about: the pie shows it among all {category} values, "
                     "not only those rows")
    unit = reading.time_unit if (c := slots.col(category)) is not None and c.role == "temporal" else None
    ranking = reading.ranking
    return ChartSpec(mark="arc", color=Encoding(field=category, time_unit=unit), y=Encoding(field=y, aggregate=agg),
                     limit=ranking.limit if ranking else None, filters=filters)


def _rect(reading: QuestionReading, slots: Slots, notes: list[str], binned: bool) -> ChartSpec | None:
    counted = [m.column for m in reading.mentions if m.counted]  # "number of customer IDs by date"
    axes = [*slots.groups, *[m for m in slots.measures if m not in slots.groups], *slots.splits, *counted]
    axes = list(dict.fromkeys(axes))
    slots.used.update(axes)
    while len(axes) < 2 and (extra := slots.profile_group() or slots.number()):
        axes.append(extra)
    if len(axes) < 2:
        return None
    value = next((m for m in slots.measures if m not in axes[:2]), None)
    agg: Aggregate = reading.aggregate if value and reading.aggregate and reading.aggregate != "count" else "count"
    return ChartSpec(mark="rect", x=Encoding(field=axes[0], bin=_axis_bins(slots.col(axes[0]), slots.settings),
                                             time_unit=reading.time_unit if slots.col(axes[0]).role == "temporal"
                                             else None),
                     y=Encoding(field=axes[1], bin=_axis_bins(slots.col(axes[1]), slots.settings)),
                     color=Encoding(field=value if agg != "count" else None, aggregate=agg),
                     filters=reading.filter_specs())


def _axis_bins(col: ColumnForms | None, settings: ChartSettings) -> int | None:
    """A continuous number as a heat-map axis needs bins, or every value gets its own row."""
    continuous = col is not None and col.role == "numeric" and col.profile.distinct > settings.continuous_distinct \
        and col.profile.dtype.startswith("float")
    return 10 if continuous else None


_BUILDERS = {"bar": _bar, "line": _line, "area": _area, "point": _point, "boxplot": _boxplot, "arc": _arc,
             "rect": _rect}


def _enc(name: str | None) -> Encoding | None:
    return Encoding(field=name) if name else None


def default_aggregate(col: ColumnForms | None) -> Aggregate:
    """Sum what adds up (revenue, quantities, counts, votes); average what does not (prices, rates,
    temperatures). The column's words are read as the grounding reads them, so "Umsatz €" (revenue) and
    "Menge" (quantity) add up and "Stückpreis €" (unit price) is averaged."""
    if col is None:
        return "mean"
    voc = vocabulary()
    words = set(col.lemmas) | set(col.core) | {w[:-1] for w in [*col.words, col.joined] if w.endswith("s")}
    words.add(col.joined)  # "signups" (cut into "sign ups" to be matched) adds up
    if any(w in _ADDITIVE or any(voc.synonyms(w, a) for a in ("revenue", "amount", "quantity", "profit"))
           for w in words) and not any(voc.synonyms(w, "price") or w in ("rate", "average", "mean", "per", "pct",
                                                                          "percent", "percentage", "ratio")
                                       for w in col.words):
        return "sum"
    return "mean"
