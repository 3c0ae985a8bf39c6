"""The question, read once into one typed reading: what it names and where, before any chart is chosen.

``read_question`` runs small extractors in turn over the tokens (each in ``extractors/``): column and value
mentions (``grounding``), chart words, periods, number comparisons and top-N, value filters, the measure's
aggregate and the row ranking, the grouping structure, the task. Each finding keeps where it was said
(token positions), so a later extractor can tell "in March" (a period) from "March" (a column), and the
chart choice (``chart.py``) dispatches on this reading alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field

from ..contracts import Aggregate, ColumnMatch, DatasetProfile, FilterSpec, Frozen, Mark, TimeUnit
from .columns import ColumnIndex, column_index
from .lexicon import Token, tokenize
from .settings import DEFAULT_CHART_SETTINGS, DEFAULT_SETTINGS, ChartSettings, MatchSettings

Task = Literal["trend", "distribution", "relationship", "share", "ranking", "comparison", "anomaly", "overview"]
Cue = Literal["group", "split", "plain"]


class Mention(Frozen):
    """A column named in the question."""

    column: str
    phrase: str
    start: int = Field(description="index of the phrase's first word")
    end: int = Field(description="index after its last word")
    method: str
    score: float
    cue: Cue = Field("plain", description="after by/per/each: a grouping; after 'colored by': a split")
    counted: bool = Field(False, description="'number of students': the rows are counted, the column is no field")
    filtered: bool = Field(False, description="named only to be filtered ('houses with 4 bedrooms')")
    quantity: bool = Field(False, description="measured: a number, or a coded one an aggregate is asked of")
    across: bool = Field(False, description="grouped by 'across' alone: the groups an aggregate runs over")


class SaidFilter(Frozen):
    """A filter, with the words that said it."""

    filter: FilterSpec
    start: int
    end: int
    source: Literal["value", "period", "number", "missing"]


class ChartWord(Frozen):
    word: str
    mark: Mark
    at: int


class Ranking(Frozen):
    """An order asked for: "top 5", "the 3 lowest", "sorted from highest to lowest", "the oldest employees"."""

    order: Literal["ascending", "descending"]
    limit: int | None = None
    word: str = ""
    at: int = 0
    measure: str | None = Field(None, description="the column a superlative adjective measures ('heaviest')")
    head: str | None = Field(None, description="the noun the superlative qualifies ('which make is the heaviest')")


class QuestionReading(Frozen):
    question: str
    matches: list[ColumnMatch] = Field(default_factory=list, description="grounding, columns and values")
    alternatives: list[ColumnMatch] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list, description="columns named (not as values)")
    filters: list[SaidFilter] = Field(default_factory=list)
    chart_words: list[ChartWord] = Field(default_factory=list)
    aggregate: Aggregate | None = None
    aggregate_at: int | None = None
    time_unit: TimeUnit | None = None
    ranking: Ranking | None = None
    bins: int | None = Field(None, description="bins asked for ('20 bins'), or the default when binning is asked")
    bins_at: int | None = Field(None, description="index of the bin word ('weight ranges of 10': 'ranges')")
    time_resolution: bool = Field(False, description="the unit is the time line's resolution ('hourly', 'hour by "
                                                     "hour'), not a grouping ('by hour')")
    group_size: int | None = Field(None, description="how many groups the question says ('the three airports')")
    task: Task | None = None
    task_scores: dict[str, float] = Field(default_factory=dict)
    versus: bool = Field(False, description="'A vs B', 'against': two things set against each other")
    compared_values: list[str] = Field(default_factory=list, description="columns whose values are compared")
    value_splits: list[str] = Field(default_factory=list, description="columns whose values are said after 'one "
                                                                       "line for' ('… men and another for women')")
    counts_rows: bool = Field(False, description="'how many', 'number of flights': a count of rows")
    unmatched: list[str] = Field(default_factory=list, description="words naming a measure that matched no column")
    ungrouped: list[str] = Field(default_factory=list, description="what a 'by'/'for each' names that matched no "
                                                                   "column ('by birth order')")
    unexplained: list[str] = Field(default_factory=list, description="nouns no column, value or cue word explains")
    notes: list[str] = Field(default_factory=list)

    def filter_specs(self) -> list[FilterSpec]:
        return [f.filter for f in self.filters]


@dataclass
class Context:
    """What every extractor reads: the question, its tokens, the column index, the settings, and the
    findings so far (each extractor adds its own)."""

    question: str
    tokens: list[Token]
    index: ColumnIndex
    settings: MatchSettings = DEFAULT_SETTINGS
    chart_settings: ChartSettings = DEFAULT_CHART_SETTINGS
    matches: list[ColumnMatch] = field(default_factory=list)
    alternatives: list[ColumnMatch] = field(default_factory=list)
    consumed: list[tuple[int, int]] = field(default_factory=list)  # token spans a filter already read
    periods: list[tuple[int, int]] = field(default_factory=list)  # of those, the periods ("the last decade")
    rates: list[int] = field(default_factory=list)  # period words said as a measure's rate ("riders per hour")
    notes: list[str] = field(default_factory=list)
    unexplained: list[str] = field(default_factory=list)  # content nouns no column, value or cue explains
    examples: list[str] = field(default_factory=list)  # columns whose values are given as examples ("… etc.")

    @property
    def lower(self) -> str:
        return self.question.lower()

    @property
    def profile(self) -> DatasetProfile:
        return self.index.profile

    def free(self, start: int, end: int) -> bool:
        """Has no filter read any of the tokens start..end yet?"""
        return not any(s < end and start < e for s, e in self.consumed)

    def matched_words(self) -> set[int]:
        """The tokens a column or value match covers."""
        return {i for m in self.matches for i in range(m.position or 0, (m.position or 0) + len(m.phrase.split()))}

    def drop_matches_in(self, words: set[int]) -> None:
        """Forget the matches that cover any of these tokens (a chart word's, an order phrase's)."""
        self.matches = [m for m in self.matches if not words & set(range(m.position or 0, (m.position or 0)
                                                                          + len(m.phrase.split())))]

    def in_period(self, at: int) -> bool:
        """Was the token read as part of a period ("the last decade", "since 2014")?"""
        return any(s <= at < e for s, e in self.periods)

    def token_at(self, char: int) -> int:
        """The index of the token at (or right after) a character position of the question."""
        for t in self.tokens:
            if t.end > char:
                return t.index
        return len(self.tokens)

    def column_matches(self) -> list[ColumnMatch]:
        return [m for m in self.matches if m.method != "value"]


def read_question(question: str, profile: DatasetProfile, *, settings: MatchSettings = DEFAULT_SETTINGS,
                  chart_settings: ChartSettings = DEFAULT_CHART_SETTINGS) -> QuestionReading:
    """Read a question against a profile, without a model. The extractors run in a fixed order, each on
    what the earlier ones left (a period's words are no number filter; a value's words no column)."""
    from .extractors import chart_words, measures, numbers, periods, spelling, structure, tasks, values
    from .grounding import ground

    index = column_index(profile, settings=chart_settings)
    text, notes = spelling.correct(question, index, settings)
    ctx = Context(question=text, tokens=tokenize(text), index=index, settings=settings,
                  chart_settings=chart_settings, notes=notes)
    ctx.matches, ctx.alternatives = ground(ctx.tokens, index, settings=settings, text=text)
    found_chart_words = chart_words.extract(ctx)
    charted = {i for w in found_chart_words for i in range(w.at, w.at + len(w.word.split()))}
    ctx.drop_matches_in(charted)  # "bar chart of covers by shift": the "bar" of a chart phrase names no bar_staff
    said_filters = periods.extract(ctx)
    limit_ranking = numbers.top_n(ctx)
    said_filters += numbers.extract(ctx)
    said_filters = _merged(said_filters + values.extract(ctx), [t.lower for t in ctx.tokens],
                           {c.name for c in index.columns if c.calendar == "year"})
    aggregate, aggregate_at = measures.aggregate(ctx)
    ranking = measures.ranking(ctx, limit_ranking, aggregate)
    if ranking is not None and ranking.measure is None and ranking.at is not None and " " in ranking.word:
        # "sorted from most to fewest": an order said in words names no column ("sorted" ~ group), and no value
        # ("highest first" is no ship mode "First")
        said = set(range(ranking.at, ranking.at + len(ranking.word.split())))
        ctx.drop_matches_in(said)
        said_filters = [f for f in said_filters if f.source != "value" or not said & set(range(f.start, f.end))]
    mentions = structure.mentions(ctx, said_filters, aggregate)
    task, scores = tasks.classify(ctx, found_chart_words, mentions)
    counts_rows = measures.counts_rows(ctx, mentions, aggregate)
    unmatched = [w for w in measures.unmatched(ctx, mentions, said_filters, counts_rows)
                 if not (ranking is not None and ranking.measure and w.lower() == ranking.word)]  # "slowest": a duration
    if unmatched and aggregate is None and not counts_rows and not any(m.cue == "plain" for m in mentions
                                                                        if index.get(m.column).measure):
        counts_rows = True
    unit, resolution = structure.time_unit_said(ctx)
    bins, bins_at = structure.bins(ctx, found_chart_words)
    return QuestionReading(
        question=text,
        matches=ctx.matches,
        alternatives=ctx.alternatives,
        mentions=mentions,
        filters=said_filters,
        chart_words=found_chart_words,
        aggregate=aggregate,
        aggregate_at=aggregate_at,
        time_unit=unit,
        time_resolution=resolution,
        group_size=structure.group_size(ctx),
        ranking=ranking,
        bins=bins,
        bins_at=bins_at,
        task=task,
        task_scores=scores,
        versus=structure.versus(ctx),
        compared_values=list(dict.fromkeys(structure.compared_values(ctx, said_filters) + ctx.examples)),
        value_splits=structure.value_splits(ctx),
        counts_rows=counts_rows,
        unmatched=unmatched,
        ungrouped=structure.ungrouped(ctx, found_chart_words),
        unexplained=list(dict.fromkeys(ctx.unexplained)),
        notes=ctx.notes,
    )


def _merged(filters: list[SaidFilter], words: list[str], years_columns: set[str]) -> list[SaidFilter]:
    """Equalities on one column said apart ("sex 1 vs sex 2", "Jersey … and Holstein") are one `in`; years
    said apart on one time column ("the 90s vs the 2010s", "2019 and 2021") are the stretch that holds them,
    never two periods that no row is in at once, unless they are years of a column of years set against each
    other ("1987 vs 1990"): both, side by side."""
    filters = _years_spanned(filters, words, years_columns)
    out: list[SaidFilter] = []
    for f in filters:
        if any(o.filter == f.filter for o in out):
            continue  # "leaving out North America (Region != North)": one filter said twice
        same = next((o for o in out if o.filter.column == f.filter.column and o.filter.part == f.filter.part
                     and o.filter.op in ("eq", "in") and f.filter.op in ("eq", "in") and o.source != "period"
                     and f.source != "period" and o.filter.value is not None or False), None)
        if same is None or f.filter.value is None and f.filter.op == "eq":
            out.append(f)
            continue
        values = [*(same.filter.values or [same.filter.value]), *(f.filter.values or [f.filter.value])]
        merged = FilterSpec(column=f.filter.column, op="in", values=list(dict.fromkeys(values)), part=f.filter.part)
        out[out.index(same)] = SaidFilter(filter=merged, start=min(same.start, f.start), end=max(same.end, f.end),
                                          source=same.source)
    return out


_VERSUS = frozenset("vs versus against compared".split())


def _year_bounds(f: SaidFilter) -> list:
    return [f.filter.value] if f.filter.op == "eq" else list(f.filter.values) if f.filter.op == "range" else []


def _years_spanned(filters: list[SaidFilter], words: list[str], years_columns: set[str]) -> list[SaidFilter]:
    years: dict[str, list[SaidFilter]] = {}
    for f in filters:
        bounds = _year_bounds(f)
        if f.source == "period" and f.filter.part is None and bounds and all(isinstance(b, int) for b in bounds):
            years.setdefault(f.filter.column, []).append(f)
    out = [f for f in filters if not (f.filter.column in years and len(years[f.filter.column]) > 1
                                      and f in years[f.filter.column])]
    for column, said in years.items():
        if len(said) < 2:
            continue
        bounds = [b for f in said for b in _year_bounds(f)]
        ordered = sorted(said, key=lambda f: f.start)
        between = {w for a, b in zip(ordered, ordered[1:]) for w in words[a.end:b.start]}
        if between & _VERSUS and column in years_columns and all(f.filter.op == "eq" for f in said):
            # "1987 vs 1990" on a column of years: compared side by side (a date column keeps the stretch)
            out.append(SaidFilter(filter=FilterSpec(column=column, op="in", values=list(dict.fromkeys(bounds))),
                                  start=min(f.start for f in said), end=max(f.end for f in said), source="value"))
            continue
        if column in years_columns and all(f.filter.op == "eq" for f in said):
            # "in 2008, 2009 and 2011" on a column of years: those years, no stretch between them
            out.append(SaidFilter(filter=FilterSpec(column=column, op="in", values=list(dict.fromkeys(bounds))),
                                  start=min(f.start for f in said), end=max(f.end for f in said), source="period"))
            continue
        out.append(SaidFilter(filter=FilterSpec(column=column, op="range", values=[min(bounds), max(bounds)]),
                              start=min(f.start for f in said), end=max(f.end for f in said), source="period"))
    return out
