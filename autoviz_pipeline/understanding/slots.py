"""The chart's slots: the question's columns by role (measures, groups, splits), and the profile's for
what the question leaves open. ``chart.py`` picks the mark; ``marks.py`` fills it from these slots."""

from __future__ import annotations

import re
from pathlib import Path
from dataclasses import dataclass, field

from ..contracts import Aggregate, ColumnProfile, TimeUnit
from .columns import ColumnForms, ColumnIndex
from .lexicon import lemma, split_name
from .reading import QuestionReading, Ranking
from .settings import ChartSettings
from .vocabulary import vocabulary


TIME_HEADS: dict[str, TimeUnit | None] = {"day": None, "date": None, "week": "week", "month": "month",
                                           "year": "year", "quarter": "quarter", "hour": "hour"}




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
        found = [c for c in self.index.columns if len(c.words) == 1 and c.words[0] in vocabulary().cues["target_names"]
                 and c.name not in self.used]
        return found[0] if len(found) == 1 else None

    def row_key(self) -> str | None:
        return self.take(self.row_keys())

    def row_keys(self) -> list[str]:
        """What can name one row: a name unique to each row, another unique label, an identifier, a date."""
        cols, rows = self.index.columns, self.index.profile.rows
        unique = [c for c in cols if c.role in ("categorical", "text", "identifier") and c.profile.distinct == rows]
        return ([c.name for c in unique if {"name", "title", "label"} & set(c.lemmas)]
                + [c.name for c in cols if c.role in ("categorical", "text") and c.profile.distinct == rows]
                + [c.name for c in cols if c.role == "identifier"]
                + [c.name for c in cols if c.role == "temporal"])

    def quantity(self) -> str | None:
        """The table's main quantity: the one the file is named after ("glucose_monitor.csv": glucose), else
        the first number that adds up (revenue, units), else the first number."""
        numbers = [c.name for c in self.index.columns if c.measure and c.profile.distinct > 1]
        titled = set(lemma(w) for w in split_name(Path(self.index.profile.name).stem))
        return self.take([c for c in numbers if set(self.col(c).core) & titled] +
                         [c for c in numbers if default_aggregate(self.col(c)) == "sum"] + numbers)

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


def build_slots(reading: QuestionReading, index: ColumnIndex, settings: ChartSettings) -> Slots:
    slots = Slots(reading=reading, index=index, settings=settings)
    filters = reading.filter_specs()
    single = {f.column for f in filters if f.op == "eq"}
    plain_dims: list[tuple[float, str]] = []
    measures_filtered: list[str] = []
    for m in reading.mentions:
        col = index.get(m.column)
        if col is None or m.counted or (m.filtered and any(f.column == m.column and f.op in ("neq", "not_in")
                                                           for f in filters)):
            continue  # "Region != North": named to leave a value out, not to split by
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
    if not slots.measures and slots.cued and not reading.counts_rows:
        # "line items per order": a small count said before "per"/"by" is what is measured per group
        coded = [n for _, n in plain_dims if (c := index.get(n)) is not None and c.coded and
                 any(m.column == n and m.end <= min(x.start for x in reading.mentions if x.cue == "group")
                     for m in reading.mentions)]
        if coded:
            slots.measures.append(coded[0])
            plain_dims = [d for d in plain_dims if d[1] != coded[0]]
    heads = {b.column for a, b in zip(reading.mentions, reading.mentions[1:]) if a.end == b.start}
    for _, name in sorted(plain_dims, key=lambda d: (d[1] not in heads, d[0])):  # "browser versions": versions
        if name not in slots.measures and name not in measures_filtered:  # "average order … an order of 2"
            _add(slots.groups, name)
    if len(slots.groups) > 1:  # "top 5 countries by gold medals": the medal is a filter, countries the axis
        slots.groups = [g for g in slots.groups if g not in single] or slots.groups
    if re.match(r"\s*(?:who|whose)\b", reading.question.lower()) and not any(
            (c := index.get(g)) is not None and not c.timeline for g in slots.groups):
        # "who closed the most deals": the column of people (rep), not the month
        people = [c.name for c in index.columns if c.role in ("categorical", "text", "identifier") and
                  set(c.lemmas) & set(vocabulary().cues["person_words"])]
        if len(people) == 1:
            slots.groups.insert(0, people[0])
            slots.cued.add(people[0])
    if not slots.measures and re.search(r"\bhow long\b", reading.question.lower()):
        # "how long are books kept out": the one quantity whose name says it is a duration (days_out)
        if len(index.durations) == 1:
            slots.measures.append(index.durations[0])
    ranking = reading.ranking
    if ranking is not None and ranking.measure:
        # "which region sells the most units": what the superlative measures comes first
        slots.measures = [ranking.measure, *(m for m in slots.measures if m != ranking.measure)]
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
        if column in reading.value_splits:
            _add(slots.splits, column)  # "one line for men and another for women"
        if column not in slots.splits:
            slots.groups.insert(len(cued_first) if cued_first else 0, column)
        slots.cued.add(column)
    if ranking is not None and ranking.head:
        # "which 5 education levels have the highest wage": what the question ranks is the axis
        ranked = next((m.column for m in reading.mentions if ranking.head in (index.get(m.column).lemmas +
                       index.get(m.column).core) or ranking.head in [lemma(w) for w in m.phrase.lower().split()]),
                      None)  # "which 5 education levels …": the phrase that names educ holds the head
        if ranked is not None and ranked in slots.measures and len(slots.measures) > 1:
            slots.measures.remove(ranked)
            slots.groups.insert(0, ranked)
        elif ranked is not None and ranked in slots.groups and not is_keyed(index.get(ranked)):
            # "which department has the oldest employees": departments ranked; the employees are its rows
            slots.groups = [ranked, *(g for g in slots.groups if g != ranked and not is_keyed(index.get(g)))]
    if ranking is not None and not slots.measures:
        # "top 5 weeks by total volume": the continuous number after "by" is what is ranked by
        by = next((g for g in slots.groups if (c := index.get(g)) is not None and c.measure
                   and c.profile.distinct > settings.continuous_distinct), None)
        ranked_first = by is not None and ranking.at is not None and any(  # "top 5 ages with the most patients"
            m.column == by and m.cue == "group" and 0 < m.start - ranking.at <= 3 for m in reading.mentions)
        if by is not None and not ranked_first and (len(slots.groups) > 1 or ranking.head not in index.get(by).lemmas):
            slots.groups.remove(by)
            slots.measures.append(by)
    cued = [g for g in slots.groups if g in slots.cued]
    if len(cued) > 1 and any((c := index.get(g)) is not None and not c.numeric for g in cued):
        # "average cost per stay by discharge status": a continuous number after "per" is the measure's unit
        for g in cued:
            if (c := index.get(g)) is not None and c.measure and c.profile.distinct > settings.continuous_distinct:
                slots.groups.remove(g)
    slots.measures = [m for m in slots.measures if not any(f.column == m and f.op == "eq" and f.value is None
                                                           for f in filters)]
    slots.used = {*slots.measures, *slots.groups, *slots.splits}
    return slots


def spans_periods(reading: QuestionReading) -> bool:
    """Does the question filter a stretch of time ("1990 to 2010", "since 1950", "the 2000s")?"""
    return any(f.source == "period" and f.filter.op in ("range", "gte", "gt", "lte", "lt") and f.filter.part is None
               for f in reading.filters)


def is_keyed(col: ColumnForms | None) -> bool:
    return col is not None and (col.one_per_row or col.role == "identifier")


def target_for_unexplained(reading: QuestionReading, slots: Slots, notes: list[str]) -> None:
    """A question about something no column names ("disease progression", "heart disease") on a table made
    for learning: its label column is what such a table's questions are about (said in a note)."""
    if not reading.unexplained or (target := slots.target()) is None:
        return
    quantities = len(slots.measures) + len(numeric_groups(slots))
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


def numeric_groups(slots: Slots) -> list[str]:
    return [g for g in slots.groups if (c := slots.col(g)) is not None and c.measure]


def ranks_rows(reading: QuestionReading, slots: Slots) -> bool:
    """ "the 5 youngest employees", "the 10 priciest weeks", "top 10 densest elements": single rows ranked by
    a quantity; "which make is the heaviest" ranks makes (groups)."""
    ranking = reading.ranking
    if ranking is None or not slots.measures or slots.splits:
        return False
    if any(w.mark not in ("bar",) for w in reading.chart_words):
        return False
    keyed = [g for g in slots.groups if is_keyed(slots.col(g))]
    timed = all((c := slots.col(g)) is not None and c.timeline for g in slots.groups)
    if ranking.head in TIME_HEADS and slots.index.timelines and timed:
        return True  # "the hottest days": days ranked, even when a date has a row per city
    if slots.groups and not keyed:
        return False
    if reading.group_size is not None and any(c.profile.distinct == reading.group_size for c in slots.index.columns
                                              if c.role in ("categorical", "boolean", "text")):
        return False  # "which of the three airports is the windiest": the three groups ranked, not single rows
    return bool(ranking.measure or ranking.limit) and (bool(keyed) or _names_rows(ranking, slots))


def _names_rows(ranking: Ranking, slots: Slots) -> bool:
    """Does the superlative qualify the rows ("the densest elements" of an elements table, "the coldest days"
    of daily data) rather than a group?"""
    head = ranking.head
    if not slots.row_keys():
        return False  # no column names a row: "the 10 worst restaurants" of an inspections table are groups
    if head is None:
        return True
    if head in slots.index.entity or head in vocabulary().cues["row_nouns"]:
        return True
    return not any(lemma(w) == head for c in slots.index.columns for w in c.words)


def one_per_row(slots: Slots, name: str) -> bool:
    """A column with a value per row ("one dot per state") names the marks; as a colour it splits nothing."""
    col = slots.col(name)
    return col is not None and col.one_per_row and col.role != "temporal" and slots.index.profile.rows > 12


def several_a_day(col: ColumnProfile) -> bool:
    """Does a time line hold several distinct times a day (readings every few minutes), from its profile: more
    distinct values than the days between its first and last?"""
    import pandas as pd

    try:
        days = (pd.Timestamp(str(col.max)) - pd.Timestamp(str(col.min))).days + 1
    except (TypeError, ValueError):
        return False
    return days > 0 and col.distinct > days


def single_rows(slots: Slots, name: str) -> bool:
    """Does each value of the column hold about one row once the question's one-value filters apply? ("AIDS
    deaths across the states in 1995" on a state × year table: one row per state, so a box per state would be
    a line of one point; the spread across states is a histogram.) Estimated from the profile: the rows over
    the column's values and over the values of each column filtered to one."""
    col = slots.col(name)
    if col is None or col.profile.distinct <= 1:
        return False
    rows = float(slots.index.profile.rows)
    for f in slots.reading.filter_specs():
        other = slots.col(f.column)
        if f.op == "eq" and f.column != name and other is not None and other.profile.distinct > 1:
            rows /= other.profile.distinct
    return rows / col.profile.distinct < 1.5


def default_aggregate(col: ColumnForms | None, *, said: str | None = None) -> Aggregate:
    """Sum what adds up (revenue, quantities, counts, votes, a count of events named by them: murders, or by
    the word the question ``said`` for it: "executions" for ``execs``); average what does not (prices, rates,
    temperatures). The column's words are read as the grounding reads them, so "Umsatz €" (revenue) and
    "Menge" (quantity) add up and "Stückpreis €" (unit price) is averaged."""
    if col is None:
        return "mean"
    voc = vocabulary()
    words = set(col.lemmas) | set(col.core) | {w[:-1] for w in [*col.words, col.joined] if w.endswith("s")}
    words.add(col.joined)  # "signups" (cut into "sign ups" to be matched) adds up
    if any(w in voc.cues["additive_words"] or any(voc.synonyms(w, a) for a in ("revenue", "amount", "quantity", "profit"))
           for w in words) and not any(voc.synonyms(w, "price") or w in voc.cues["non_additive_words"]
                                       for w in col.words):
        return "sum"
    p = col.profile
    counts = col.whole_numbers and p.min >= 0 and (p.dtype.startswith(("int", "uint", "Int")) or (
        isinstance(p.median, (int, float)) and float(p.median).is_integer()))  # floats because of gaps
    named = [col.words[0]] if len(col.words) == 1 else []
    named += [said.lower()] if said and " " not in said.strip() else []
    if counts and any(voc.names_events(w) for w in named):
        return "sum"  # "murders", "arrests", "visits": counts of things that happened add up
    return "mean"
