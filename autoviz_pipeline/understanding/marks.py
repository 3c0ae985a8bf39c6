"""One builder per mark: each fills its encodings from the slots (``slots.py``), the question's columns
first, then the profile's, never a column twice and never in place of a measure word that matched nothing."""

from __future__ import annotations

import re
from functools import lru_cache

from ..contracts import Aggregate, ChartSpec, Encoding, Mark, TimeUnit
from .columns import ColumnForms
from .extractors.periods import part_names
from .lexicon import is_noun, lemma, tokenize
from .reading import QuestionReading
from .settings import ChartSettings
from .vocabulary import vocabulary
from .slots import (TIME_HEADS, Slots, default_aggregate, is_keyed, numeric_groups, one_per_row, ranks_rows,
                    several_a_day, single_rows, spans_periods)


_UNIT_CALENDAR = {"year": "year", "month_of_year": "month", "quarter_of_year": "quarter", "hour_of_day": "hour",
                  "weekday": "weekday"}


def _bar(reading: QuestionReading, slots: Slots, notes: list[str], binned: bool) -> ChartSpec | None:
    if binned:
        return _histogram(reading, slots, notes)
    if ranks_rows(reading, slots):
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
                      timeline=mark in ("line", "area") and (c := slots.col(x)) is not None and c.timeline, notes=notes)
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
    head_unit = TIME_HEADS.get(reading.ranking.head) if reading.ranking and reading.ranking.head else None
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
    if spans_periods(reading) and slots.index.timelines and slots.measures:
        x = slots.timeline()  # "Japan, 1990 to 2010: how did emissions per head move?": over those years
        return x, unit if x is not None and slots.col(x).role == "temporal" else None
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
    if slots.measures and reading.aggregate is None and (label := _each_of_few(reading, slots)) is not None:
        return label, unit  # "among the halogens, compare their melting points": one bar per halogen
    return slots.profile_group(), unit


def _each_of_few(reading: QuestionReading, slots: Slots, most: int = 30) -> str | None:
    """The column that names each row (one value a row), when a value filter keeps few rows (the profile's
    counts of the values kept say how many): a measure with nothing to group by is then shown per row."""
    kept = None
    for said in reading.filters:
        f, col = said.filter, slots.col(said.filter.column)
        if col is None or f.op not in ("eq", "in") or not col.profile.top_values:
            continue
        wanted = {str(v) for v in ([f.value] if f.op == "eq" else f.values)}
        counts = [t.count for t in col.profile.top_values if t.value in wanted]
        if len(counts) == len(wanted):
            kept = min(kept or sum(counts), sum(counts))
    if kept is None or kept > most:
        return None
    names = [c for c in slots.index.columns if c.role in ("categorical", "text", "identifier") and
             c.profile.distinct >= 0.95 * c.profile.count and c.name not in slots.used]
    names.sort(key=lambda c: (not {"name", "title", "label"} & set(c.lemmas), c.role == "identifier"))
    return names[0].name if names else None  # a name or title first, a key last


def _head_is_column(head: str, slots: Slots) -> bool:
    return any(head in c.lemmas or head == c.head for c in slots.index.columns) or head in TIME_HEADS


def _calendar_axis(slots: Slots, unit: TimeUnit, *, said: bool) -> str | None:
    """A column holding the period asked for: ``month`` (1..12) for "by month of the year", or for "monthly"
    when the data lies in one year or has no date column; ``year`` for "per year"; ``hour`` for "by hour" when
    the question names that column (``said``: grouped by the unit, not a resolution like "hour by hour")."""
    part = _UNIT_CALENDAR.get(unit, unit)
    calendar = slots.index.calendar(part)
    if calendar is None:
        if unit in ("weekday", "month_of_year") and (named := part_names(slots.index, part)) is not None:
            return named[0]  # "by day of the week" over a column of day names ("mon", "tue", …)
        return None
    if unit in _UNIT_CALENDAR or (said and calendar.name in slots.groups):
        return calendar.name
    dates = [c for c in slots.index.columns if c.role == "temporal"]
    years = slots.index.calendar("year")
    one_year = years is not None and (years.profile.distinct == 1 or any(  # or filtered to one: "during 2008"
        f.column == years.name and f.op == "eq" for f in slots.reading.filter_specs()))
    if unit in ("month", "quarter") and (one_year or (not dates and (years is None or said))):
        return calendar.name  # "monthly" over a month column folds the years unless they are one (or grouped by)
    return None


def _ordered_groups(slots: Slots) -> list[str]:
    """Groups with an order a line can follow: time, then numbers (age, years of education); no keys."""
    return [g for g in slots.groups if (c := slots.col(g)) is not None and (c.timeline or c.role == "numeric")
            and not c.entity_code]  # state 5, county 17: codes, no order


def _few(slots: Slots, name: str) -> bool:
    """Few enough values to be told apart by colour (no more than a category's, ``continuous_distinct``)."""
    return (c := slots.col(name)) is not None and c.profile.distinct <= slots.settings.continuous_distinct


def _color(reading: QuestionReading, slots: Slots, *, exclude: set[str | None], mark: Mark = "bar") -> str | None:
    """The colour split: one said ("colored by", "one line per"), a second grouping said with "by"/"for
    each" or compared values; a second named category only on bars (a line needs a reason to split)."""
    single = {f.column for f in reading.filter_specs() if f.op == "eq"}
    across = {m.column for m in reading.mentions if m.across} - set(reading.compared_values)
    loose = {m.column for m in reading.mentions if m.method in ("related", "fuzzy")}  # "heads of government"
    # a grouping said, or on bars one of few values ("Teams that won …": 84 teams, no colours)
    colourable = [g for g in slots.groups if g in slots.cued or (mark in ("bar", "rect") and g not in loose
                                                                   and _few(slots, g))]
    candidates = [*slots.splits, *[g for g in colourable if g not in across]]
    for name in candidates:
        if name not in exclude and name not in single and not one_per_row(slots, name):
            slots.used.add(name)
            return name
    return None


def _measure(reading: QuestionReading, slots: Slots, *, exclude: set[str | None],
             timeline: bool = False, notes: list[str] | None = None) -> tuple[str | None, Aggregate]:
    """The y field and its aggregate: a count needs no field; a named measure gets the asked-for aggregate,
    else its natural one (sum of what adds up, mean of the rest)."""
    aggregate = reading.aggregate
    measures = [m for m in slots.measures if m not in exclude]
    value = slots.index.value_column or (slots.index.people_column if says_people(reading, slots) else None)
    if value is not None and not measures and value not in exclude and not _says_rows(reading):
        slots.used.add(value)  # "population", "how many men" of a long table are its Value; riders its bikers
        return value, aggregate if aggregate not in (None, "count") else "sum"
    if reading.counts_rows and aggregate in (None, "count") and not (reading.ranking and reading.ranking.measure):
        return None, "count"
    if not measures and not reading.unmatched and (aggregate not in (None, "count") or reading.task == "ranking"
                                                    or "how much" in reading.question.lower()):
        measures = [m] if (m := slots.quantity()) else []
    names_rows = any((c := slots.col(m.column)) is not None and (c.role == "identifier" or c.one_per_row) and
                     not c.measure and m.phrase.lower().endswith("s")
                     for m in reading.mentions) or any(  # "urgent tickets per month": the tickets are counted
        t.lemma in slots.index.entity and t.lower != t.lemma for t in _tokens(reading.question))
    if timeline and not measures and not reading.counts_rows and not reading.unmatched and aggregate is None and \
            not names_rows and \
            len(only := [c.name for c in slots.index.columns if c.measure and c.name not in slots.used]) == 1:
        measures = only  # "Keeling curve as an area chart": a time series' one quantity
    elif timeline and not measures and not reading.counts_rows and not reading.unmatched and aggregate is None and \
            not names_rows and not _things_said(reading) and reading.task == "trend" and \
            any(f.source == "value" for f in reading.filters) and \
            (main := slots.quantity()) is not None:
        # "how has coal declined in Poland" on a long table (a row per year, country and source): the rows are
        # one a year, so their count says nothing; the table's main quantity, said in a note
        measures = [main]
        if notes is not None:
            notes.append(f"no quantity named: showing {main!r}, the table's main quantity")
    if not measures or aggregate == "count":
        return None, "count"
    y = measures[0]
    slots.used.add(y)
    said = [m.phrase for m in reading.mentions if m.column == y]
    return y, aggregate or default_aggregate(slots.col(y), said=said[0] if said else None)


def says_people(reading: QuestionReading, slots: Slots) -> bool:
    """Does the question count people ("how many riders", "the number of people") that no column is named by,
    on a table whose rows are not those people (no entity word, no key column)?"""
    people = slots.index.people_column
    if people is None or any(f.column == people for f in reading.filter_specs()) or any(
            m.column == people for m in reading.matches):
        return False  # "days with more than 1000 visitors": the visitors named are filtered; the days counted
    named = {w for m in reading.mentions for w in m.phrase.lower().split()}
    voc = vocabulary()
    return any(t.lower not in named and t.lemma not in slots.index.entity and voc.names_people(t.lower)
               for t in _tokens(reading.question)) and not any(
        c.profile.role == "identifier" or (c.one_per_row and c.profile.role != "temporal") for c in slots.index.columns)


def _says_rows(reading: QuestionReading) -> bool:
    """ "how many records", "number of rows": the rows themselves are counted."""
    return bool({t.lower for t in _tokens(reading.question)} & set(vocabulary().cues["row_words"]))


def _ranked_rows(reading: QuestionReading, slots: Slots, notes: list[str]) -> ChartSpec | None:
    ranking = reading.ranking
    assert ranking is not None
    measure = ranking.measure or slots.measures[0]
    head_unit = TIME_HEADS.get(ranking.head or "")
    keyed = [g for g in slots.groups if (c := slots.col(g)) is not None and (c.one_per_row or c.role == "identifier"
                                                                              or c.timeline)]
    key = keyed[0] if keyed else (slots.timeline() if ranking.head in TIME_HEADS else None) or slots.row_key()
    if key is None:
        return None
    col = slots.col(key)
    unit = _ranked_unit(reading, col, head_unit) if col is not None and col.role == "temporal" else None
    one_per_row = col is not None and col.one_per_row and unit is None
    amount = ranking.word.split()[0] in ("most", "least", "fewest") and " " in ranking.word and \
        default_aggregate(slots.col(measure)) == "sum"  # "which year had the most rain": the year's total
    # a city's hottest day is its max; a year's "most rain" its total
    agg: Aggregate | None = reading.aggregate if reading.aggregate not in (None, "count") else (
        None if one_per_row else "sum" if amount else "max" if ranking.order == "descending" else "min")
    coarse = ranking.head in ("month", "quarter", "year")  # "which month was the warmest": every month, ranked
    limit = ranking.limit or (None if coarse else slots.settings.ranked_rows)
    return ChartSpec(mark="bar", x=Encoding(field=key, time_unit=unit), y=Encoding(field=measure, aggregate=agg),
                     sort=ranking.order, limit=limit, filters=reading.filter_specs())


_CYCLIC = ("weekday", "month_of_year", "quarter_of_year", "hour_of_day")


def _ranked_unit(reading: QuestionReading, col: ColumnForms, head_unit: TimeUnit | None) -> TimeUnit | None:
    """The period ranked: a cyclic one said ("which 5 hours of the day") over the head's; "which 5 days" ranks
    calendar days when the time line has several rows a day (readings every 5 minutes), the rows when one."""
    if reading.time_unit in _CYCLIC:
        return reading.time_unit
    if head_unit is None and reading.ranking is not None and reading.ranking.head in ("day", "date") and \
            several_a_day(col.profile):
        return "day"
    return head_unit


def _histogram(reading: QuestionReading, slots: Slots, notes: list[str]) -> ChartSpec | None:
    """Bins of one number, counted; with a second number named, that number per bin ("mpg in weight ranges
    of 10": the mean mpg of each weight range). The binned number is the one said just before the bin word
    ("weight ranges") or after "by", else the first named."""
    numbers = [*slots.measures, *numeric_groups(slots), *slots.filtered]  # "credits in ranges of 10 between …"
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
                  and not one_per_row(slots, s) and not single_rows(slots, s)), None)
    return ChartSpec(mark="bar", x=Encoding(field=column, bin=reading.bins or slots.settings.default_bins),
                     y=Encoding(field=y, aggregate=aggregate), color=_enc(split), filters=reading.filter_specs())


def _point(reading: QuestionReading, slots: Slots, notes: list[str], binned: bool) -> ChartSpec | None:
    size = None
    measures = list(slots.measures)
    if reading.aggregate == "count":
        size = Encoding(aggregate="count")
    elif reading.aggregate and measures and not reading.versus and reading.aggregate_at is not None and (
            aggregated := [m.column for m in reading.mentions if m.column in measures and
                           0 < m.start - reading.aggregate_at <= 2 and not _named_statistic(slots, m.column)]) and \
            _tokens(reading.question)[reading.aggregate_at].lower not in ("how", "many") and \
            len(measures) + len(numeric_groups(slots)) >= 3:  # two axes named besides: not "how many seats it has"
        measured = aggregated[0]  # "the total price for each code": the aggregated measure is the size
        measures.remove(measured)
        size = Encoding(field=measured, aggregate=reading.aggregate)
    # "every flight's …", "one dot per flight" in a table of flights: the dots are the rows, not a column
    rows = {m.column for m in reading.mentions if lemma(m.phrase.split()[-1]) in slots.index.entity
            and m.column not in measures}
    cols = [*measures, *[g for g in slots.groups if g not in measures and g not in rows]]
    if reading.task == "relationship" and len(cols) < 2:  # "between the year it was made and its seats"
        cols += [m.column for m in reading.mentions if (c := slots.col(m.column)) is not None and c.calendar == "year"
                 and m.column not in cols][:1]
    quantities = [c for c in cols if (f := slots.col(c)) is not None and (f.numeric or f.role == "temporal"
                                                                           or f.calendar == "year")]
    nominal = [c for c in cols if c not in quantities]
    color = slots.splits[0] if slots.splits else None
    if len(quantities) < 2 and nominal and not color:
        color = nominal.pop(0)
    axes = [*quantities, *nominal]
    if len(axes) < 2 and slots.index.timelines and re.search(r"\b(?:over|across|through)\s+time\b|\bover the "
                                                             r"(?:years|months|days|period)\b", reading.question.lower()):
        if (timeline := slots.timeline()) is not None and timeline not in axes:
            axes.insert(0, timeline)  # "every reading under 70 as dots over time": time on x
    people = slots.index.people_column
    if len(axes) < 2 and people is not None and people not in axes and says_people(reading, slots):
        axes.append(people)  # "does temperature affect how many people rent bikes": the count of people, bikers
        slots.used.add(people)
        size = size if size is None or size.field is not None else None
    numbers_filtered = [c for c in [*slots.filtered, *(f.filter.column for f in reading.filters if f.source == "number")]
                        if (f := slots.col(c)) is not None and f.measure and c not in axes]
    while len(axes) < 2 and (extra := slots.take(numbers_filtered) or slots.number() or slots.profile_group()):
        axes.append(extra)
    if len(axes) < 2:
        return None
    single = {f.column for f in reading.filter_specs() if f.op == "eq"}
    # "by county" with a county a dot: the dots, not colours
    color = color or next((g for g in slots.groups if g not in axes[:2] and g not in single and g in slots.cued
                           and g not in rows and not one_per_row(slots, g) and _few(slots, g)), None)
    x, y = (axes[1], axes[0]) if _said_against(reading, axes) else (axes[0], axes[1])
    return ChartSpec(mark="point", x=Encoding(field=x), y=Encoding(field=y), color=_enc(color), size=size,
                     filters=reading.filter_specs())


def _things_said(reading: QuestionReading) -> bool:
    """Does the question name things in the plural that no column or value is ("Airbus deliveries per year"):
    those are the rows, to be counted?"""
    named = {w for m in reading.matches for w in m.phrase.lower().split()}
    stop = vocabulary().stopwords | set(vocabulary().cues["time_unit_words"])
    return any(t.lower != t.lemma and is_noun(t.lower) and t.lower not in named and t.lower not in stop
               and t.lower.isalpha() for t in _tokens(reading.question))


@lru_cache(maxsize=64)
def _tokens(question: str) -> tuple:
    """The question's tokens, once per question for all the builders that look at its words."""
    return tuple(tokenize(question))


def _named_statistic(slots: Slots, column: str) -> bool:
    """Is the column itself a statistic its name says ("earnings_med", "avg_price")? "higher median earnings"
    then names the column; it asks for no aggregate of it."""
    col = slots.col(column)
    return col is not None and bool(set(col.words) & {"med", "median", "avg", "average", "mean", "max", "min"})


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
    box = next((w for w in reading.chart_words if w.mark == "boxplot"), None)
    after_box = [t.lower for t in _tokens(reading.question)][box.at + 1:box.at + 2] if box is not None else []
    per_box = [m.column for m in reading.mentions if box is not None and m.column in groups and 0 < m.start - box.at <= 3
               and after_box in (["per"], ["for"])]
    groups = per_box[:1] + [g for g in groups if g not in per_box[:1]]  # "one box per year": year on x
    if unit is not None and all((c := slots.col(g)) is not None and c.role == "temporal" for g in groups):
        x, unit = _x_axis(reading, slots, "boxplot", unit)  # "for each day of the week": a weekday column first
    else:
        x = groups[0] if groups else slots.profile_group()
        unit = unit if x is not None and (c := slots.col(x)) is not None and c.role == "temporal" else None
    return ChartSpec(mark="boxplot", x=Encoding(field=x, time_unit=unit) if x else None, y=Encoding(field=y),
                     filters=reading.filter_specs())


def _arc(reading: QuestionReading, slots: Slots, notes: list[str], binned: bool) -> ChartSpec | None:
    filters = reading.filter_specs()
    parts = [*slots.splits, *slots.groups]
    # "what percentage of staff work remotely": the staff are the rows (a key a row), the parts are remote's
    category = next(iter([g for g in parts if not is_keyed(slots.col(g))] or parts), None)
    coded = [m for m in slots.measures if (c := slots.col(m)) is not None and c.whole_numbers and
             c.profile.distinct <= 10 and reading.aggregate is None]
    if category is None and coded and len(slots.measures) == 1:
        category = coded[0]  # "breakdown of the HIV test outcomes" (-1/0/1): the share of each code, not their sum
        slots.measures.remove(category)
    if category is None and reading.time_unit is not None:  # "split across the days of the week": a weekday column
        category = _calendar_axis(slots, reading.time_unit, said=not reading.time_resolution)
    if category is None and reading.time_unit in ("year", "quarter", "month", "weekday", "month_of_year") and \
            slots.index.timelines and not reading.chart_words:
        # "what share of the commits was made in each year": each period's part, as bars of the periods (the
        # pie tool groups no dates into periods, and periods read better in their order)
        return _bar(reading, slots, notes, False)
    category = category or (
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
    return settings.default_bins if continuous else None


BUILDERS = {"bar": _bar, "line": _line, "area": _area, "point": _point, "boxplot": _boxplot, "arc": _arc,
             "rect": _rect}


def _enc(name: str | None) -> Encoding | None:
    return Encoding(field=name) if name else None
