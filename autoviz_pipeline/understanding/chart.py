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

from ..contracts import ChartSpec, Mark
from .columns import ColumnIndex
from .marks import BUILDERS, says_people
from .reading import QuestionReading
from .settings import DEFAULT_CHART_SETTINGS, ChartSettings
from .slots import (Slots, build_slots, numeric_groups, one_per_row, ranks_rows, single_rows, spans_periods,
                    target_for_unexplained)


def choose_chart(reading: QuestionReading, index: ColumnIndex, *,
                 settings: ChartSettings = DEFAULT_CHART_SETTINGS) -> tuple[ChartSpec | None, list[str]]:
    """The chart spec for a reading, and notes on what was assumed."""
    notes: list[str] = []
    slots = build_slots(reading, index, settings)
    target_for_unexplained(reading, slots, notes)
    mark, binned = _mark(reading, slots)
    spec = BUILDERS[mark](reading, slots, notes, binned)
    if spec is not None and spec.mark in ("line", "area") and spec.x is not None and not reading.chart_words and \
            (x := index.get(spec.x.field)) is not None and x.role in ("categorical", "text", "boolean") and not x.timeline:
        # a line joins ordered points; "which conference averages the most wins per season" has no order: bars
        slots = build_slots(reading, index, settings)
        target_for_unexplained(reading, slots, [])
        spec = BUILDERS["bar"](reading, slots, notes, False)
    if spec is not None and reading.unmatched:
        words = ", ".join(repr(w) for w in reading.unmatched)
        counted = spec.y is not None and spec.y.aggregate == "count" and spec.y.field is None
        shown = {spec.y.field if spec.y else None, spec.color.field if spec.color else None}
        stands_in = next((c for c in (index.value_column, index.people_column) if c is not None and c in shown), None)
        notes.append(f"{words} matched no column; " + (
            "showing the count of rows" if counted else
            f"read as {stands_in!r}, the one quantity of this long table" if stands_in == index.value_column
            and stands_in is not None else
            f"read as {stands_in!r}, the one count of people in this table" if stands_in is not None else
            "left out of the chart"))
    if spec is not None and (unsaid := missing_quantity(reading, spec)):
        words, guessed = unsaid
        notes.append(", ".join(repr(w) for w in words) + f" matched no column; {guessed!r}, which the question does "
                     "not name, is shown in its place")
    if spec is not None and (left := left_out(reading, spec)):
        notes.append(", ".join(repr(c) for c in left) + " named in the question but not shown: this chart shows one "
                     "quantity" + (f" ({spec.y.field!r})" if spec.y is not None and spec.y.field else ""))
    if spec is not None and (missing := ungrouped(reading, spec)):
        shown = [e.field for e in (spec.x, spec.color) if e is not None and e.field]
        notes.append(", ".join(repr(w) for w in missing) + " matched no column; " + (
            f"grouped by {shown[0]!r} instead" if shown else "not grouped"))
    return spec, notes


def missing_quantity(reading: QuestionReading, spec: ChartSpec | None) -> tuple[list[str], str] | None:
    """A relationship asked between two things of which only one matched a column ("plot household size against
    the area of rice grown"): the words left unexplained, and the column the chart shows in place of the other
    (never silently)."""
    if spec is None or reading.task != "relationship" or not reading.unexplained or reading.unmatched:
        return None
    named = {m.column for m in reading.mentions} | {f.column for f in reading.filter_specs()}
    guessed = [e.field for e in (spec.x, spec.y) if e is not None and e.field and e.field not in named]
    return (list(dict.fromkeys(reading.unexplained)), guessed[0]) if guessed else None


def left_out(reading: QuestionReading, spec: ChartSpec) -> list[str]:
    """Quantities the question names to be measured that a line or bar chart of one quantity leaves out
    ("daily highs and lows over time": a line of the highs; the lows are said to be missing, not dropped)."""
    if spec.mark not in ("line", "area", "bar") or spec.y is None or spec.y.field is None:
        return []
    shown = {e.field for e in (spec.x, spec.y, spec.color, spec.size) if e is not None}
    filtered = {f.column for f in reading.filter_specs()}
    return list(dict.fromkeys(m.column for m in reading.mentions if m.quantity and m.cue == "plain" and not m.filtered
                              and not m.counted and m.column not in shown | filtered))


def ungrouped(reading: QuestionReading, spec: ChartSpec | None) -> list[str]:
    """What the question asked to group by ("by birth order") when no column matched it and the chart's
    grouping came from the profile instead of from anything the question said (reported, never silent)."""
    if spec is None or not reading.ungrouped or reading.ranking is not None:
        return []
    said = {m.column for m in reading.mentions} | {f.filter.column for f in reading.filters}
    shown = {e.field for e in (spec.x, spec.color) if e is not None and e.field}
    return [] if shown & said else list(reading.ungrouped)


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
    counted_people = task == "relationship" and counting and says_people(reading, slots)
    if counted_people:
        counting = False  # "a link between humidity and the number of riders": the riders are a column (bikers)
    if ranks_rows(reading, slots):
        return "bar", False
    if reading.bins and not measures and slots.filtered:
        return "bar", True  # "entries in credit ranges of 10 between 79 and 91 credits": bins of the number said
    if task == "distribution" or (reading.bins and measures):
        said_groups = [g for g in groups if g in slots.cued and not one_per_row(slots, g) and not single_rows(slots, g)]
        if measures and not said_groups and not slots.splits:
            return "bar", True  # how one quantity is spread: a histogram ("… across all firm-years")
        if measures:
            return "boxplot", False
        return "bar", False
    # "is there a relationship between the year a plane was made and its seats": a year is a number too
    years = [m.column for m in reading.mentions if (c := slots.col(m.column)) is not None and c.calendar == "year"
             and m.column not in measures] if task == "relationship" and not reading.time_unit else []
    # "as the atomic number goes up": a number column with many values, not a measure, is an axis of its own
    scales = [g for g in groups if (c := slots.col(g)) is not None and c.numeric and not c.measure and
              c.calendar is None and c.profile.distinct > slots.settings.continuous_distinct] \
        if task == "relationship" else []
    if (task == "relationship" and not counting and len(measures) + len(numeric_groups(slots)) + len(years[:1])
            + len(scales[:1]) + counted_people >= 2) or (
            len(measures) >= 2 and not counting and (not groups or reading.versus) and reading.ranking is None
            and not ((task == "trend" or reading.time_unit in ("year", "quarter", "month", "week", "day")) and
                     slots.index.timelines and not reading.versus)):  # "highs and lows over time", "monthly …"
        return "point", False
    many_periods = any((c := slots.col(g)) is not None and c.timeline and c.profile.distinct > 12 for g in groups
                       if g in slots.cued)
    if task == "share" and not (many_periods and reading.time_unit in (None, "year")):
        return "arc", False  # a share "each year" over decades is a line of it, not a pie of 40 years
    if (reading.ranking is not None and task != "trend") or _which_periods(reading):
        return "bar", False  # "which years had the highest …", "top 10 years": ranked (chosen) periods are bars
    if task == "trend" or reading.time_unit in ("year", "quarter", "month", "week", "day", "hour") or timeline_group:
        numbers = [g for g in groups if (c := slots.col(g)) is not None and c.numeric]
        if not timeline_group and numbers and reading.aggregate is None and measures and \
                (c := slots.col(numbers[0])) is not None and c.profile.distinct > 0.5 * c.profile.count:
            return "point", False  # "how does electronegativity change with atomic number": one row per x
        # a line follows an order: time or a number. "units since 2015" on a table without time gives bars per
        # shop; "plot the trend … over time" said outright keeps the line it asks for
        ordered = slots.index.timelines or any((c := slots.col(g)) is not None and c.numeric for g in groups)
        cyclic = ("weekday", "month_of_year", "quarter_of_year") + (() if task == "trend" else ("hour_of_day",))
        if reading.time_unit not in cyclic and (ordered or reading.task_scores.get("trend", 0) >= 1):
            # "how does ridership change over the course of the day": a day's profile is a line of its hours
            return "line", False
    if not groups and not slots.splits and measures and slots.index.timelines and spans_periods(reading) and \
            reading.ranking is None and task in (None, "trend", "comparison"):
        return "line", False  # a stretch of years said, nothing to group by: the quantity over those years
    if groups and set(groups) <= set(reading.compared_values) and not slots.splits and measures and \
            slots.index.timelines and spans_periods(reading) and reading.ranking is None and reading.aggregate is None \
            and task in (None, "trend", "comparison"):
        return "line", False  # "compare the emissions of the UK, Germany and France from 1970 on": a line each
    if task is None and measures and not groups and not slots.splits and reading.aggregate is None \
            and not reading.counts_rows and reading.ranking is None and not reading.time_unit:
        if slots.index.timelines and len(measures) == 1:
            return "line", False  # one quantity of a table in time: over time (Mackinlay: time on x)
        return "bar", True  # one quantity, nothing else said: how it is spread
    return "bar", False


def _which_periods(reading: QuestionReading) -> bool:
    """ "Which years saw unemployment above 8%?": periods picked out, not a trend."""
    return bool(re.search(r"\b(?:which|what)\s+(?:\w+\s+)?(?:years|months|weeks|days|quarters|dates)\b|"
                          r"\b(?:which|what)\s+(?:year|month|week|day|quarter|date)\s+(?:had|has|was|saw|did|were)\b",
                          reading.question.lower()))  # "which year had the highest …"
