"""Stage 2: understand the question offline — intent, grounded columns, filters and the chart it asks for.

This is the deterministic backend: it always works, needs no model, and is the fallback of every LLM
path. It reads the question as a sequence of cues (chart words, aggregation words, grouping words,
comparisons) around grounded column and value mentions (``grounding``) and turns them into a
:class:`ChartSpec`. When the question names no chart, the chart follows from the data roles.
"""

from __future__ import annotations

import logging
import re

import pandas as pd

from ..contracts import (
    Aggregate,
    ChartSpec,
    ColumnMatch,
    DatasetProfile,
    Encoding,
    FilterSpec,
    IntentLabel,
    IntentResult,
    Mark,
    TimeUnit,
)
from .extractors.dates import SEASONS, date_mentions, last_period_start, resolve_year
from ..grounding import (
    DEFAULT_SETTINGS,
    MatchSettings,
    Token,
    canonical,
    ground_columns,
    phrase_position,
    split_name,
    stem,
    tokenize,
    word_index,
)
from ..tools.registry import ColumnParam

logger = logging.getLogger(__name__)

DEFAULT_QUESTION = "Give an overview of this dataset."

# cue words → chart mark (checked on stems and on two-word phrases)
CHART_WORDS: dict[str, Mark] = {
    "bar": "bar", "column": "bar", "histogram": "bar", "line": "line", "trend": "line",
    "area": "area", "scatter": "point", "scatterplot": "point", "scattering": "point", "point": "point", "dot": "point",
    "bubble": "point", "pie": "arc", "donut": "arc", "doughnut": "arc", "heatmap": "rect", "heat map": "rect",
    "matrix": "rect", "density": "rect",
    "box": "boxplot", "boxplot": "boxplot", "whisker": "boxplot",
}
_AMBIGUOUS_CHART_WORDS = {"area", "point", "dot", "box", "column", "bubble", "density"}
AGGREGATE_WORDS: dict[str, Aggregate] = {
    "total": "sum", "sum": "sum", "overall": "sum", "cumulative": "sum",
    "average": "mean", "mean": "mean", "avg": "mean", "typical": "mean",
    "count": "count", "number of": "count", "how many": "count", "frequency": "count", "occurrence": "count",
    "maximum": "max", "max": "max", "highest": "max", "largest": "max", "peak": "max",
    "minimum": "min", "min": "min", "lowest": "min", "smallest": "min",
    "median": "median",
}
TIME_UNIT_WORDS: dict[str, TimeUnit] = {  # longer phrases first: "by day of week" is no daily chart
    "day of the week": "weekday", "days of the week": "weekday", "day of week": "weekday", "weekday": "weekday",
    "yearly": "year", "annual": "year", "annually": "year", "year": "year",
    "quarterly": "quarter", "quarter": "quarter",
    "monthly": "month", "month": "month", "weekly": "week", "week": "week",
    "daily": "day", "day": "day", "hourly": "hour", "hour": "hour",
}
GROUP_CUES = {"by", "per", "each", "across", "among", "between", "within"}
COLOR_CUES = ("colored by", "coloured by", "color by", "colour by", "broken down by", "split by", "stacked by",
              "grouped by", "segmented by", "breakdown by")
INTENT_CUES: dict[IntentLabel, tuple[str, ...]] = {
    "time_series": ("trend", "over time", "time series", "evolution", "evolve", "growth", "monthly", "daily",
                    "weekly", "yearly", "seasonal", "season", "forecast", "history", "timeline", "change over",
                    "over the month", "over the year", "over the week", "over the quarter", "over the period",
                    "over the day", "over the last", "over the past", "through the year", "day by day",
                    "week by week", "month by month", "year by year", "year over year"),
    "anomaly_detection": ("anomal", "outlier", "unusual", "abnormal", "spike", "odd", "suspicious", "weird",
                          "deviation", "irregular", "fraud", "extreme"),
    "comparative_analysis": ("compare", "comparison", "versus", " vs", "differ ", "differs", "difference", "breakdown",
                             "broken down", "totals"),
    "distribution": ("distribution", "distributed", "histogram", "spread", "range of", "variance", "skew",
                     "box plot", "boxplot", "frequency"),
    "relationship": ("correlat", "relationship", "relate", "related", "associat", "depend", "impact", "affect",
                     "scatter", "against"),
    "composition": ("share", "proportion", "percentage", "percent", "composition", "makeup", "pie", "part of",
                    "fraction", "breakdown of"),
    "ranking": ("top", "bottom", "highest", "lowest", "best", "worst", "rank", "most", "least", "largest",
                "smallest", "leading"),
    "general_eda": ("overview", "describe", "summary", "summarize", "summarise", "explore", "profile",
                    "tell me about", "what is in", "eda", "insight", "look at"),
}
_NUMERIC = ColumnParam("numeric")
_NUM = r"(?P<n>-?\$?\d[\d,]*(?:\.\d+)?)"
_COMPARISONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), op)
    for pattern, op in (
        # number first: "2 or higher", "19 and older", "1020 or lower"
        (rf"{_NUM}\s*(?:\+|(?:or|and)\s+(?:higher|more|greater|above|over|later|after|older|larger|up|beyond))", "gte"),
        (rf"{_NUM}\s+(?:or|and)\s+(?:lower|less|fewer|below|under|smaller|earlier|before|younger)", "lte"),
        # cue first: "at least 5", "no more than 3", "over 100", "before 2010"
        (rf"\b(?:at least|no less than|not less than|minimum of|on or after|from|starting)\s+(?:the\s+year\s+|year\s+)?{_NUM}", "gte"),
        (rf"\b(?:at most|no more than|not more than|up to|maximum of|on or before|until|through)\s+(?:the\s+year\s+|year\s+)?{_NUM}", "lte"),
        (rf"\b(?:(?:more|greater|higher|larger|bigger|later|older) than|over|above|exceeding|exceeds|after|since|beyond)\s+(?:the\s+year\s+|year\s+)?{_NUM}", "gt"),
        (rf"\b(?:(?:less|fewer|lower|smaller|earlier|younger) than|under|below|before|prior to)\s+(?:the\s+year\s+|year\s+)?{_NUM}", "lt"),
    )
)
# "IDs of 3, 8, or 10", "stores 6 and 4": a list of numbers names values of a key column
_NUMBER_LIST = re.compile(r"(?<![\d.,$])\d+(?:\s*,\s*\d+)*,?\s+(?:or|and)\s+\d+\b(?![.,]\d)(?!\s*(?:%|percent))")
_RANGE = re.compile(
    r"\b(?:between|from|within(?: the range(?: of)?)?|in the range(?: of)?|ranging from)\s+"
    r"(?P<a>-?\$?\d[\d,]*(?:\.\d+)?)\s*(?:and|to|-|–)\s*(?P<b>-?\$?\d[\d,]*(?:\.\d+)?)"
)


def classify_intent(
    question: str, profile: DatasetProfile, *, settings: MatchSettings = DEFAULT_SETTINGS
) -> IntentResult:
    """Understand a question against a profile, without a model."""
    q = " ".join((question or "").split())
    notes: list[str] = []
    if not q:
        q = DEFAULT_QUESTION
        notes.append("empty question: using the default overview question")
    matches, alternatives, tokens = ground_columns(q, profile, settings=settings)
    lower = " " + q.lower() + " "
    chart_words = _chart_words(lower, named=_named_words(matches, tokens))
    order, unordered = _order(lower)
    aggregate = _aggregate(unordered)
    if aggregate == "count" and _asks_how_many_of_a_quantity(lower, matches, tokens, profile):
        aggregate = "sum"  # "how many visitors came from paid": the visitors column counts them, add it up
    filters, limit, sort, dated = _filters(lower, matches, profile, tokens, notes=notes)
    sort = sort or order
    intent, confidence = _intent(lower, matches, profile, chart_words)
    chart = _chart(lower, tokens, [m for m in matches if m not in dated], profile, intent, chart_words, aggregate,
                   filters, limit, sort)
    if chart is not None and chart.mark == "arc" and chart.color is not None:
        part = [f for f in filters if f.op == "eq" and f.column == chart.color.field]
        if part:  # "what percentage of readings are faults": the share of faults among all, not of faults alone
            filters = [f for f in filters if f not in part]
            chart = chart.model_copy(update={"filters": filters})
            notes.append(f"{part[0].value!r} is the share asked about: the pie shows it among all "
                         f"{chart.color.field} values, not only those rows")
    if not [m for m in matches if m.method != "value"]:
        notes.append("no column named in the question: chose columns from the data profile")
    for m in matches:
        if m.alternatives:
            alternatives.append(m)
    return IntentResult(
        question=q,
        intent=intent,
        confidence=confidence,
        source="offline",
        matches=matches,
        filters=filters,
        aggregate=aggregate,
        chart_words=chart_words,
        chart=chart,
        alternatives=alternatives,
        notes=notes,
    )


# --------------------------------------------------------------------------------------------------
def _has(lower: str, cue: str) -> bool:
    if " " in cue.strip() or not cue.strip().isalpha():
        return cue in lower
    return re.search(rf"\b{re.escape(cue)}", lower) is not None


_CHART_NOUN = r"(?:s|es)?\s+(?:chart|plot|graph|diagram|map)s?\b"


def _chart_words(lower: str, *, named: frozenset[int] = frozenset()) -> list[str]:
    """Chart words in the order they appear; words with other meanings need a chart word after them.

    ``named``: positions of words that are part of a column's name in the question ("line one addresses"
    names ``line_1``); such a word is no chart word unless a chart noun follows it ("a line chart").
    """
    found: list[tuple[int, str]] = []
    for word in CHART_WORDS:
        needs_noun = word in _AMBIGUOUS_CHART_WORDS
        suffix = _CHART_NOUN if needs_noun else r"(?:s|es)?\b"
        for m in re.finditer(rf"\b{re.escape(word)}{suffix}", lower):
            if needs_noun or word_index(lower, m.start()) not in named or re.match(_CHART_NOUN, lower[m.end():]):
                found.append((m.start(), word))
                break
    return [w for _, w in sorted(found)]


def _named_words(matches: list[ColumnMatch], tokens: list[Token]) -> frozenset[int]:
    """Positions of the words that name a column (or one of its values) in the question."""
    named: set[int] = set()
    for m in matches:
        start = phrase_position(m, tokens)
        named.update(range(start, start + len(m.phrase.split())))
    return frozenset(named)


# superlatives of a quantity a column holds ("the oldest employees": age, descending)
_ROW_SUPERLATIVES = {
    "oldest": "descending", "youngest": "ascending", "hottest": "descending", "warmest": "descending",
    "coldest": "ascending", "cheapest": "ascending", "heaviest": "descending", "tallest": "descending",
    "fastest": "descending", "longest": "descending", "farthest": "descending", "furthest": "descending",
    "windiest": "descending",
}
_SUPERLATIVES = {"highest": "descending", "largest": "descending", "biggest": "descending", "most": "descending",
                 "greatest": "descending", "best": "descending", "lowest": "ascending", "smallest": "ascending",
                 "least": "ascending", "fewest": "ascending", "worst": "ascending", **_ROW_SUPERLATIVES}
_ORDER_PHRASE = re.compile(
    r"\b(?:sorted|ordered|organi[sz]ed|ranked|arranged|listed|from)?\s*(?:from\s+)?"
    r"(?P<first>highest|largest|greatest|most|biggest|high|lowest|smallest|least|fewest|low)\s+to\s+"
    r"(?:the\s+)?(?:highest|largest|greatest|most|biggest|high|lowest|smallest|least|fewest|low)\b"
    r"|\b(?P<dir>descending|decreasing|ascending|increasing)\s+order\b|\bin\s+(?P<dir2>descending|ascending)\b")
# "which region sold the most", "what product has the lowest price": the question asks which group ranks
# first, so the superlative orders the groups; it asks for no max() or min() of single rows. "What is the
# highest temperature per machine" asks for that value: the maximum
_WHICH_SUPERLATIVE = re.compile(
    rf"^\s*(?:which|what|who|where)\b(?!\s*(?:'s|’s|is|was|are|were)\b)[^?.;]*?\b(?:the\s+)?"
    rf"(?P<word>{'|'.join(_SUPERLATIVES)})\b")


def _order(lower: str) -> tuple[str | None, str]:
    """The order the question asks for ("sorted from highest to lowest", "which … the most"), and the
    question without those words, so "highest" there is read as an order, not as ``max``."""
    m = _ORDER_PHRASE.search(lower)
    if m:
        word = m.group("first") or m.group("dir") or m.group("dir2")
        order = "ascending" if word in ("lowest", "smallest", "least", "fewest", "low", "ascending", "increasing") \
            else "descending"
        return order, lower[: m.start()] + " " + lower[m.end():]
    m = _WHICH_SUPERLATIVE.search(lower)
    if m:
        return _SUPERLATIVES[m.group("word")], lower[: m.start("word")] + " " + lower[m.end("word"):]
    return None, lower


def _asks_how_many_of_a_quantity(lower: str, matches: list[ColumnMatch], tokens: list[Token],
                                 profile: DatasetProfile) -> bool:
    """ "How many (total) <a numeric column> …" where the column holds a quantity (its name is a plural or a
    count word: visitors, units, weeks_on_top, number_cities): its values are added up. "How many
    scientists" over a ``scientist`` column of ids, or "how many orders" with no such column, count rows."""
    m = re.search(r"\bhow many\s+(?:total\s+)?", lower)
    if m is None:
        return False
    at = word_index(lower, m.end())
    named = next((x for x in matches if x.method != "value" and phrase_position(x, tokens) == at), None)
    col = profile.column(named.column) if named is not None else None
    if col is None or col.role != "numeric":
        return False
    words = split_name(col.name)
    return any(stem(w) != w or w in _QUANTITY_WORDS for w in words)


_QUANTITY_WORDS = frozenset("number num count total amount quantity qty sum".split())


def _aggregate(lower: str) -> Aggregate | None:
    if re.search(r"\btotal (?:number|count|amount) of (?:entries|records|rows|occurrences)\b|\btotal (?:number|count)\b", lower):
        return "count"  # "the total number of claims" counts rows, it does not sum a column
    best: tuple[int, Aggregate] | None = None
    for word, agg in AGGREGATE_WORDS.items():
        m = re.search(rf"\b{re.escape(word)}s?\b", lower)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), agg)
    return best[1] if best else None


def _intent(lower: str, matches: list[ColumnMatch], profile: DatasetProfile,
            chart_words: list[str]) -> tuple[IntentLabel, float]:
    scores: dict[IntentLabel, float] = {k: 0.0 for k in INTENT_CUES}
    lower = _RANGE.sub(" ", lower)  # "within the range of 4.29 and 5.98" filters; it asks for no spread
    for label, cues in INTENT_CUES.items():
        for cue in cues:
            if _has(lower, cue):
                scores[label] += 1.0
    if any(_has(lower, cue) for cue in (" by ", " per ", " across ", " each ")):
        scores["comparative_analysis"] += 0.5  # grouping words: a weak cue, any specific word beats it
    roles = {m.column: profile.column(m.column).role for m in matches if profile.column(m.column)}
    if any(r == "temporal" for r in roles.values()) and ("line" in chart_words or scores["time_series"]):
        scores["time_series"] += 1.0
    if {"line", "area"} & set(chart_words):
        scores["time_series"] += 0.5
    if {"scatter", "scatterplot"} & set(chart_words):
        scores["relationship"] += 1.0
    if {"pie", "donut", "doughnut"} & set(chart_words):
        scores["composition"] += 1.0
    if {"histogram", "box", "boxplot"} & set(chart_words):
        scores["distribution"] += 1.0
    best = max(scores, key=lambda k: scores[k])
    total = sum(scores.values())
    if scores[best] == 0:
        return "general_eda", 0.5
    margin = scores[best] / total
    return best, round(min(0.99, 0.5 + 0.45 * margin + 0.05 * min(scores[best], 2)), 2)


def _filters(lower: str, matches: list[ColumnMatch], profile: DatasetProfile, tokens: list[Token], *,
             notes: list[str]) -> tuple[list[FilterSpec], int | None, str | None, list[ColumnMatch]]:
    """Value mentions become equality filters; comparisons next to a numeric/temporal column become ranges;
    dates ("before 2024-12-10", "in May 2024") filter the date column named nearest, else the first one."""
    filters: list[FilterSpec] = []
    by_column: dict[str, list[str]] = {}
    for m in matches:
        if m.method == "value" and m.value is not None:
            by_column.setdefault(m.column, []).append(m.value)
    for column, values in by_column.items():
        if len(values) == 1:
            filters.append(FilterSpec(column=column, op="eq", value=values[0]))
        else:
            filters.append(FilterSpec(column=column, op="in", values=list(dict.fromkeys(values))))
    filters += _missing_filters(matches, tokens, taken={f.column for f in filters})
    limit, sort = None, None
    # "top 5", "the last 3" (but "the last 7 days" is a date range)
    top = re.search(r"\b(top|bottom|first|last|best|worst)\s+(\d{1,3})\b"
                    r"(?!\s+(?:day|week|month|quarter|year|hour)s?\b)", lower)
    if top:
        limit = int(top.group(2))
        sort = "ascending" if top.group(1) in ("bottom", "worst") else "descending"
    # comparisons next to a numeric/temporal column: "over 100", "2 or higher", "between 5 and 9"
    ranged = {c.name for c in profile.columns if c.role in ("temporal",) or _NUMERIC.fits(c)}
    col_mentions = [(phrase_position(m, tokens), m.column) for m in matches if m.method != "value" and m.column in ranged]
    consumed = _date_filters(lower, col_mentions, profile, filters, notes)
    said_in_dates = {i for s, e in consumed for i in range(word_index(lower, s), word_index(lower, e))}
    # "the last 7 days": "days" names the dates to filter, it asks for no axis of dates
    dated = [m for m in matches if m.method != "value" and phrase_position(m, tokens) in said_in_dates]
    for m in _RANGE.finditer(lower):
        if any(s <= m.start() < e for s, e in consumed):
            continue
        column = _nearest_column(lower, m.start(), col_mentions, profile, number=m.group("a"))
        if column:
            lo, hi = _number(m.group("a")), _number(m.group("b"))
            filters.append(FilterSpec(column=column, op="range", values=[min(lo, hi), max(lo, hi)]))
            consumed.append(m.span())
    # a list of numbers ("IDs 5, 7, or 11") filters a column that holds numbers, never an e-mail column
    keyed = {c.name for c in profile.columns if c.role in ("identifier", "numeric", "categorical")
             and (c.role == "numeric" or c.dtype.startswith(("int", "uint", "float")))}
    key_mentions = [(phrase_position(m, tokens), m.column) for m in matches if m.method != "value" and m.column in keyed]
    for m in _NUMBER_LIST.finditer(lower):
        if any(s <= m.start() < e for s, e in consumed):
            continue
        column = _nearest_column(lower, m.start(), key_mentions, profile)
        if column and not any(f.column == column for f in filters):
            values = [_number(v) for v in re.findall(r"-?\d[\d,]*(?:\.\d+)?", m.group(0))]
            filters.append(FilterSpec(column=column, op="in", values=list(dict.fromkeys(values))))
            consumed.append(m.span())
    for regex, op in _COMPARISONS:
        for m in regex.finditer(lower):
            if any(s <= m.start() < e or s < m.end() <= e for s, e in consumed):
                continue
            column = _nearest_column(lower, m.start(), col_mentions, profile, number=m.group("n"))
            if column:
                filters.append(FilterSpec(column=column, op=op, value=_number(m.group("n"))))
                consumed.append(m.span())
    return filters, limit, sort, dated


_MISSING_AFTER = re.compile(r"(?:is|are|was|were)\s+(?P<not>not\s+)?(?:missing|empty|blank|null|unknown)\b")
_MISSING_BEFORE = re.compile(r"(?:\bmissing|\bwithout(?:\s+an?)?|\bwith\s+no|^no|\sno)$")


def _missing_filters(matches: list[ColumnMatch], tokens: list[Token], *, taken: set[str]) -> list[FilterSpec]:
    """ "readings where pressure is missing", "rows with no discount", "… pressure is not missing":
    filters on a missing (``eq None``) or a present (``neq None``) value of the column just named."""
    out: list[FilterSpec] = []
    for m in matches:
        if m.method == "value" or m.column in taken:
            continue
        start = phrase_position(m, tokens)
        end = start + len(m.phrase.split())
        after = " ".join(t.lower for t in tokens[end:end + 3])
        before = " ".join(t.lower for t in tokens[max(0, start - 2):start])
        said = _MISSING_AFTER.match(after)
        if said or _MISSING_BEFORE.search(before):
            out.append(FilterSpec(column=m.column, op="neq" if said and said.group("not") else "eq", value=None))
            taken.add(m.column)
    return out


def _date_filters(lower: str, col_mentions: list[tuple[int, str]], profile: DatasetProfile,
                  filters: list[FilterSpec], notes: list[str]) -> list[tuple[int, int]]:
    """Filters for the dates the question names; returns the spans read, which no number filter reads again."""
    temporal = profile.names_with_role("temporal")
    consumed: list[tuple[int, int]] = []
    if not temporal:
        return consumed
    named = [(pos, c) for pos, c in col_mentions if c in temporal]
    for mention in date_mentions(lower):
        at = word_index(lower, mention.span[0])
        years_only = bool(mention.dates) and all(d.bare_year for d in mention.dates)
        if mention.op != "eq" and years_only and _after_a_number_column(at, col_mentions, temporal):
            continue  # "price between 2000 and 2020": numbers of the column just named, not years
        column = min(named, key=lambda m: (m[0] > at, abs(at - m[0])))[1] if named else temporal[0]
        said = lower[mention.span[0]:mention.span[1]].strip()
        if mention.last is not None:
            end = _date_range(profile, column)[1]
            if end is not None:
                start = last_period_start(*mention.last, end)
                filters.append(FilterSpec(column=column, op="gte", value=start))
                notes.append(f"{said!r}: counted back from the last date in {column!r} ({end:%Y-%m-%d}), "
                             f"from {start}")
            consumed.append(mention.span)
            continue
        years = [resolve_year(d, lambda column=column: _date_range(profile, column)) for d in mention.dates]
        if all(d.year is None for d in mention.dates):  # "between March and June", "in summer": one year
            years = [years[0]] * len(years)
        if None in years:
            notes.append(f"{said!r} names no year, and the dates in {column!r} span several years: not filtered "
                         "(say the year, e.g. 'May 2024')")
            consumed.append(mention.span)
            continue
        values = [d.value(y) for d, y in zip(mention.dates, years, strict=True)]
        if season := next((w for w in SEASONS if re.search(rf"\b{w}\b", said)), None):
            notes.append(f"{season!r} read as {values[0]} to {values[-1]} (the northern hemisphere's months)")
        if mention.op == "range":
            filters.append(FilterSpec(column=column, op="range", values=values))
        else:
            filters.append(FilterSpec(column=column, op=mention.op, value=values[0]))
        consumed.append(mention.span)
    return consumed


def _date_range(profile: DatasetProfile, column: str) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    col = profile.column(column)

    def stamp(text: object) -> pd.Timestamp | None:
        try:
            ts = pd.Timestamp(str(text))
        except (TypeError, ValueError):
            return None
        return None if pd.isna(ts) else ts.tz_localize(None) if ts.tzinfo is not None else ts

    return (stamp(col.min), stamp(col.max)) if col is not None and col.min is not None else (None, None)


def _number(text: str) -> float | int:
    value = float(text.replace(",", "").replace("$", ""))
    return int(value) if value.is_integer() else value


def _after_a_number_column(at: int, mentions: list[tuple[int, str]], temporal: list[str]) -> bool:
    """Is a column of numbers, not of dates, named right before word ``at`` ("price between 2000 and …")?"""
    before = [(pos, c) for pos, c in mentions if at - 2 <= pos < at]
    return bool(before) and max(before)[1] not in temporal


def _nearest_column(lower: str, pos: int, mentions: list[tuple[int, str]],
                    profile: DatasetProfile, number: str | None = None) -> str | None:
    at = word_index(lower, pos)
    temporal = profile.names_with_role("temporal")
    # "price between 2000 and 2020" compares prices; "visitors after 2023" is a date ("after" says time)
    dated = re.match(r"\s*(?:after|before|since|until|till|prior to|through|on or|as of|starting)\b", lower[pos:])
    if number is not None and re.fullmatch(r"(19|20)\d\d", number) and (
            dated or not _after_a_number_column(at, mentions, temporal)):
        named = [c for _, c in mentions if c in temporal]
        if named or temporal:
            return (named or temporal)[0]
    mentions = [m for m in mentions if m[1] not in temporal]  # a plain number is not a date
    if not mentions:
        return None
    # the column named just before the comparison ("students aged 19 or older"), else just after it
    return min(mentions, key=lambda m: (m[0] > at, abs(at - m[0])))[1]


# --------------------------------------------------------------------------------------------------
def _chart(lower: str, tokens: list[Token], matches: list[ColumnMatch], profile: DatasetProfile,
           intent: IntentLabel, chart_words: list[str], aggregate: Aggregate | None,
           filters: list[FilterSpec], limit: int | None, sort: str | None) -> ChartSpec | None:
    """Fill the chart's slots: the question's own columns first, then the profile's, never a column twice."""
    counted_flags = [(m, _counted_entity(m, tokens, profile)) for m in matches if m.method != "value"]
    named = {m.column for m, is_counted in counted_flags if not is_counted}
    counted = [m.column for m, is_counted in counted_flags if is_counted and m.column not in named]
    mentioned = [m for m, _ in counted_flags if m.column not in counted]
    groups, measures, color = _roles_of_mentions(tokens, mentioned, profile)
    # a column filtered to several values splits the chart by them ("Electronics and Clothing by region");
    # one filtered to a single value ("in the West") would split it into one group, so it only fills an
    # axis nothing else can; a date filter ("in May 2024") restricts the rows and names no groups
    temporal = profile.names_with_role("temporal")
    range_cols = [f.column for f in filters if f.op not in ("eq", "in")]
    # a column mentioned only to filter on ("authors with an order of 2 or higher") measures only if nothing else does
    named_numbers = list(measures)  # a binned axis may be the filtered one ("weight ranges … weighing between")
    if len(measures) > 1:
        measures = [c for c in measures if c not in range_cols] or measures
    # "readings where pressure is missing": rows without pressure have no pressure to measure
    measures = [c for c in measures if not any(f.column == c and f.op == "eq" and f.value is None for f in filters)]
    slots = _Slots(profile, used=[*groups, *measures, *([color] if color else [])])
    group_pool = list(groups)
    time_unit = _time_unit(lower)
    if time_unit and temporal and not any(g in temporal for g in group_pool):
        group_pool.insert(0, slots.take_named(temporal[0]))  # "visitors by year": the date, per year
    value_cols = [f.column for f in filters if f.op == "in" and f.column not in temporal]
    value_cols += [f.column for f in filters if f.op == "eq" and not group_pool and f.column not in value_cols
                   and f.column not in temporal and f.value is not None]
    group_pool += [c for c in value_cols if c not in group_pool]
    one_valued = {f.column for f in filters if f.op == "eq"}  # as a colour: one colour, no split
    if color and not group_pool:  # "revenue broken down by category": the categories are the bars
        group_pool, color = [color], None
    # "the oldest employees", "the 5 most expensive products", "the hottest days": rows ranked by a quantity
    keyed = len(groups) == 1 and profile.column(groups[0]).role in ("temporal", "identifier")
    ranked = _ranked_rows(tokens, mentioned, measures) if (not groups or keyed) and not color else None
    if ranked and set(chart_words) <= {"bar", "column"} and (key := groups[0] if keyed else slots.row_key()):
        measure, order, count = ranked
        # one row per key: its value as it is; several (a date per city): the day's highest (lowest) value
        agg: Aggregate | None = None if profile.column(key).distinct == profile.rows else (
            "max" if order == "descending" else "min")
        return ChartSpec(mark="bar", x=Encoding(field=key), y=Encoding(field=measure, aggregate=agg),
                         sort=order, limit=limit or count or RANKED_ROWS, filters=filters)
    mark = _mark(chart_words, intent, group_pool, measures, profile, aggregate=aggregate,
                 bin_words=bool(_BIN_WORDS.search(lower)), versus=bool(re.search(r"\b(?:vs|versus|against)\b", lower)),
                 weekly=time_unit == "weekday")
    binned = "histogram" in chart_words or (mark == "bar" and bool(_BIN_WORDS.search(lower)))
    common = {"filters": filters}

    if mark in ("line", "area"):
        x = next((g for g in group_pool if g in temporal), None)
        if x is None and temporal and (time_unit or intent == "time_series" or not group_pool):
            x = slots.take_named(temporal[0])
        x = x or (group_pool[0] if group_pool else None) or slots.group()
        if x is None:
            return None
        rest = [g for g in group_pool if g != x]
        color = color or next((g for g in rest if g not in one_valued), None)
        y, agg = _measure([m for m in measures if m != x], aggregate)
        return ChartSpec(mark=mark, x=Encoding(field=x, time_unit=time_unit if x in temporal else None),
                         y=Encoding(field=y, aggregate=agg), color=_enc(color), **common)
    if mark == "point":
        size = None
        if aggregate == "count":
            size = Encoding(aggregate="count")
        elif aggregate and measures:
            # "the total price for each code": the aggregated measure is the marker size, x/y are the others
            measured = measures.pop(0)
            size = Encoding(field=measured, aggregate=aggregate)
        cols = [*measures, *[g for g in group_pool if g not in measures]]
        # a scatter plot's axes are quantities; a category it names ("mountains with their names") colours
        # the points, and the profile supplies the missing number
        quantities = [c for c in cols if _quantitative(profile.column(c))]
        nominal = [c for c in cols if c not in quantities]
        if len(quantities) < 2 and nominal and not color:
            color = nominal.pop(0)
        cols = [*quantities, *nominal]
        while len(cols) < 2 and (extra := slots.numeric() or slots.group()):
            cols.append(extra)
        if len(cols) < 2:
            return None
        color = color or next((g for g in group_pool if g not in cols[:2] and g not in one_valued), None)
        return ChartSpec(mark="point", x=Encoding(field=cols[0]), y=Encoding(field=cols[1]), color=_enc(color),
                         size=size, **common)
    if mark == "boxplot":
        # the measured number; a numeric key the question names ("box plot of institution IDs") will do
        y = measures[0] if measures else next(
            (g for g in group_pool if _NUMERIC.fits(profile.column(g))), None) or slots.numeric()
        x = next((g for g in group_pool if g != y), None) or slots.group()
        if y is None:
            return None
        return ChartSpec(mark="boxplot", x=_enc(x), y=Encoding(field=y), **common)
    if mark == "arc":
        cat = color or next(iter(group_pool), None) or slots.group()
        if cat is None:
            return None
        y, agg = _measure(measures, aggregate, default="sum")
        return ChartSpec(mark="arc", color=Encoding(field=cat), y=Encoding(field=y, aggregate=agg), limit=limit, **common)
    if mark == "rect":
        # a heat map needs two axes: the counted entity's key ("number of customer IDs by date") is one
        axes = [*group_pool, *[m for m in measures if m not in group_pool], *[c for c in counted if c not in group_pool]]
        if color and color not in axes:
            axes.append(color)
        axes = list(dict.fromkeys(axes))
        slots.used.update(axes)
        while len(axes) < 2 and (extra := slots.group() or slots.numeric()):
            axes.append(extra)
        if len(axes) < 2:
            return None
        value = next((m for m in measures if m not in axes[:2]), None)
        agg = aggregate if value and aggregate and aggregate != "count" else "count"
        # a continuous number as a heat-map axis needs bins, or every value gets its own row
        return ChartSpec(mark="rect", x=Encoding(field=axes[0], bin=_axis_bins(axes[0], profile)),
                         y=Encoding(field=axes[1], bin=_axis_bins(axes[1], profile)),
                         color=Encoding(field=value if agg != "count" else None, aggregate=agg), **common)
    if binned:
        numbers = list(dict.fromkeys([*named_numbers, *[g for g in group_pool if _NUMERIC.fits(profile.column(g))]]))
        col = _binned_measure(lower, tokens, matches, numbers) or slots.numeric()
        if col is None:
            return None
        # a second number is measured per bin ("weight and mpg in weight ranges of 10": mean mpg per range)
        y, agg = _measure([m for m in measures if m != col], aggregate)
        split = next((g for g in group_pool if g != col), None)
        return ChartSpec(mark="bar", x=Encoding(field=col, bin=_bins(lower)), y=Encoding(field=y, aggregate=agg),
                         color=_enc(split), **common)
    # bar
    x = group_pool[0] if group_pool else None
    if x is None and measures and (aggregate is None and len(measures) >= 2 or aggregate == "count"):
        x = measures.pop(0)  # a count measures no column: the number the question names is what it counts by
    x = x or slots.group()
    if x is None and measures:
        x = measures.pop(0)
    if x is None:
        return None
    color = color or next((g for g in group_pool[1:] if g not in one_valued), None)
    measured = [m for m in measures if m != x]
    if not measured and (aggregate not in (None, "count") or aggregate is None and (
            intent == "ranking" or re.search(r"\bhow much\b", lower))):
        # "top 2 regions", "how much did we make in total per category", "the average per region": a
        # total or an average of something, and no number named: the table's main quantity
        measured = [m] if (m := slots.quantity()) else []
    y, agg = _measure(measured, aggregate)
    stacked = None
    if color and re.search(r"\b(grouped|side[ -]by[ -]side|clustered|dodged)\b", lower):
        stacked = False
    elif color and re.search(r"\bstacked\b", lower):
        stacked = True
    return ChartSpec(mark="bar", x=Encoding(field=x, time_unit=time_unit if x in temporal else None),
                     y=Encoding(field=y, aggregate=agg), color=_enc(color), limit=limit,
                     sort=sort or ("descending" if limit else None), stacked=stacked, **common)


RANKED_ROWS = 10
"""Rows shown for "the oldest employees" when the question says no number ("the 5 oldest …" shows 5)."""


def _ranked_rows(tokens: list[Token], mentioned: list[ColumnMatch],
                 measures: list[str]) -> tuple[str, str, int | None] | None:
    """(measure, order, how many) when a superlative names the quantity rows are ranked by: "the oldest
    employees" (age), "the 5 most expensive products" (price, after "most"), "the least windy days"."""
    for m in mentioned:
        if m.column not in measures or len(m.phrase.split()) != 1:
            continue
        at = phrase_position(m, tokens)
        word, before = m.phrase.lower(), tokens[at - 1].lower if at > 0 else ""
        if word in _ROW_SUPERLATIVES:
            order, start = _ROW_SUPERLATIVES[word], at
        elif before in ("most", "least"):
            order, start = ("descending" if before == "most" else "ascending"), at - 1
        else:
            continue
        said = tokens[start - 1].text if start > 0 else ""
        return m.column, order, int(said) if said.isdigit() and 0 < int(said) <= 100 else None
    return None


def _binned_measure(lower: str, tokens: list[Token], matches: list[ColumnMatch], measures: list[str]) -> str | None:
    """The number the bins are on: the measure named last before the bin words ("weight ranges of 10")."""
    if len(measures) < 2:
        return measures[0] if measures else None
    m = _BIN_WORDS.search(lower)
    before = len(tokenize(lower[: m.start()])) if m else len(tokens)
    named = [(phrase_position(x, tokens), x.column) for x in matches if x.column in measures and x.method != "value"]
    named = [c for pos, c in sorted(named) if pos <= before]
    return named[-1] if named else measures[0]


def _quantitative(col) -> bool:
    """Can the column be a scatter axis: a number (numeric ids too) or a date."""
    return col is not None and (col.role == "temporal" or _NUMERIC.fits(col))


def _counted_entity(m: ColumnMatch, tokens: list[Token], profile: DatasetProfile) -> bool:
    """ "number of students" counts rows: the student_id column it loosely names is not a field."""
    col = profile.column(m.column)
    if col is None or col.role == "numeric":
        return False
    plural_noun = m.phrase.lower().endswith("s") and m.score >= 0.9  # "how many players": rows of players
    if not plural_noun and (m.score >= 0.9 or (col.role != "identifier" and m.method not in ("stem", "synonym"))):
        return False
    pos = phrase_position(m, tokens)
    before = " ".join(t.lower for t in tokens[max(0, pos - 3):pos])
    return bool(re.search(r"(number of|count of|how many|many|total of)$", before))


def _axis_bins(column: str, profile: DatasetProfile) -> int | None:
    col = profile.column(column)
    continuous = col is not None and col.role == "numeric" and col.distinct > 20 and col.dtype.startswith("float")
    return 10 if continuous else None


def _enc(field: str | None) -> Encoding | None:
    return Encoding(field=field) if field else None


def _measure(measures: list[str], aggregate: Aggregate | None, *,
             default: Aggregate | None = None) -> tuple[str | None, Aggregate]:
    """The y field and its aggregate: a count needs no field; a named measure gets the asked-for aggregate."""
    if not measures or aggregate == "count":
        return None, "count"
    y = measures[0]
    return y, aggregate or default or _default_aggregate(y)


class _Slots:
    """Columns from the profile for slots the question left open, in table order, each used once."""

    def __init__(self, profile: DatasetProfile, used: list[str]) -> None:
        self.profile, self.used = profile, set(used)

    def _take(self, names: list[str]) -> str | None:
        for name in names:
            if name not in self.used:
                self.used.add(name)
                return name
        return None

    def take_named(self, name: str) -> str:
        self.used.add(name)
        return name

    def group(self) -> str | None:
        """A category axis: a low-cardinality categorical column, else an identifier, a date, text, a number."""
        cols = self.profile.columns
        categorical = sorted((c for c in cols if c.role in ("categorical", "boolean") and c.distinct > 1),
                             key=lambda c: c.distinct)
        texts = sorted((c for c in cols if c.role == "text" and c.distinct > 1), key=lambda c: c.distinct)
        return self._take([c.name for c in categorical] + [c.name for c in cols if c.role == "identifier"]
                          + [c.name for c in cols if c.role == "temporal"] + [c.name for c in texts]
                          + [c.name for c in cols if c.role == "numeric"])

    def row_key(self) -> str | None:
        """What names one row: a label unique to each row, else an identifier, else a date."""
        cols, rows = self.profile.columns, self.profile.rows
        return self._take([c.name for c in cols if c.role in ("categorical", "text") and c.distinct == rows]
                          + [c.name for c in cols if c.role == "identifier"]
                          + [c.name for c in cols if c.role == "temporal"])

    def quantity(self) -> str | None:
        """The table's main quantity: the first number that adds up (revenue, units), else the first number."""
        numbers = [c.name for c in self.profile.columns if c.role == "numeric" and c.distinct > 1]
        return self._take([c for c in numbers if _default_aggregate(c) == "sum"] + numbers)

    def numeric(self) -> str | None:
        cols = self.profile.columns
        return self._take([c.name for c in cols if c.role == "numeric" and c.distinct > 1]
                          + [c.name for c in cols if _NUMERIC.fits(c)])


def _roles_of_mentions(tokens: list[Token], mentioned: list[ColumnMatch],
                       profile: DatasetProfile) -> tuple[list[str], list[str], str | None]:
    """Split mentioned columns into groups (after by/per/each …), measures (numeric) and a colour split."""
    groups: list[str] = []  # categories named without a grouping word ("players by school": players)
    cued: list[str] = []  # categories after by/per/each ("players by school": school) — these lead
    measures: list[str] = []
    color: str | None = None
    in_group = False
    last_end = -1
    for m in mentioned:
        pos = phrase_position(m, tokens)
        before = [t.lower for t in tokens[max(0, last_end + 1 if last_end >= 0 else 0):pos]]
        window = " ".join(t.lower for t in tokens[max(0, pos - 3):pos])
        if any(cue in " " + window + " " for cue in (" " + c + " " for c in COLOR_CUES)) or re.search(
            r"\b(colou?red|split|broken down|stacked|segmented)\s+by\s*$", window):
            color = color or m.column
            in_group = True
        elif any(w in GROUP_CUES for w in before[-3:]) or (in_group and before and set(before) <= {"and", "or", ","}):
            if m.column not in cued:
                cued.append(m.column)
            in_group = True
        else:
            in_group = False
            col = profile.column(m.column)
            if col is not None and _NUMERIC.fits(col) and col.role != "identifier" or (
                col is not None and col.role == "identifier" and any(stem(w) in ("average", "total", "sum", "mean")
                                                                     for w in before[-3:])):
                if m.column not in measures:  # "tries … 3 or fewer tries": one column, said twice
                    measures.append(m.column)
            elif m.column not in groups:
                groups.append(m.column)
        last_end = pos + len(m.phrase.split()) - 1
    score = {m.column: max(x.score for x in mentioned if x.column == m.column) for m in mentioned}
    # named categories: the surest match leads (a loose "customer" → customer_id trails "full name")
    groups = [*cued, *sorted((g for g in groups if g not in cued), key=lambda g: -score.get(g, 0))]
    if color in groups:
        groups.remove(color)
    if not measures and len(groups) > 1:
        # "top regions by revenue": a continuous number after "by" is what is measured, not a grouping
        for g in list(groups):
            col = profile.column(g)
            if col is not None and col.role == "numeric" and col.distinct > 20:
                groups.remove(g)
                measures.append(g)
                break
    return groups, measures, color


def _mark(chart_words: list[str], intent: IntentLabel, groups: list[str], measures: list[str],
          profile: DatasetProfile, *, aggregate: Aggregate | None = None, bin_words: bool = False,
          versus: bool = False, weekly: bool = False) -> Mark:
    for word in chart_words:
        if word not in ("trend",):
            return CHART_WORDS[word]
    temporal = set(profile.names_with_role("temporal"))
    if "trend" in chart_words or intent == "time_series":
        return "line"
    if any(g in temporal for g in groups) and not weekly:  # days of the week compare, they make no trend
        return "line"
    if bin_words and measures:
        return "bar"  # "weight ranges of 10": values counted or averaged per bin, not a point per row
    counts_keys = aggregate == "count" and len(measures) < 2
    # "temperature vs vibration for M-03 and M-06": two numbers against each other, whatever else is named
    if (intent == "relationship" and not counts_keys) or (len(measures) >= 2 and (not groups or versus)):
        # a scatter plot relates quantities; "how many records relate to address ids 5, 12 or 14"
        # counts rows per key, which bars show
        return "point"
    if intent == "composition":
        return "arc"
    if intent == "distribution":
        # the spread of a number: a box plot (median, quartiles, outliers); how a category splits: a pie
        if measures:
            return "boxplot"
        if groups:
            return "arc"
    return "bar"


def _time_unit(lower: str) -> TimeUnit | None:
    for word, unit in TIME_UNIT_WORDS.items():
        if word.endswith("ly") and re.search(rf"\b{word}\b", lower) or re.search(
                rf"\b(by|per|each|every|across)\s+(?:the\s+)?{word}s?\b", lower):
            return unit
    return None


_BIN_WORDS = re.compile(r"\b(bins?|binned|buckets?|intervals?|(?:groups|ranges|brackets) of \d+)\b")


def _bins(lower: str) -> int:
    m = re.search(r"\b(\d{1,3})\s+(bins|buckets|groups|intervals)\b", lower)
    return int(m.group(1)) if m else 10


def _default_aggregate(column: str) -> Aggregate:
    """Sum what adds up (revenue, quantities, counts); average what does not (prices, rates, temperatures).

    The column's words are read as the grounding reads them, so "Umsatz €" (revenue) and "Menge" (quantity)
    add up and "Stückpreis €" (unit price) is averaged."""
    words = split_name(column)
    stems = {stem(w) for w in words}
    additive = {"revenue", "sale", "amount", "quantity", "unit", "count", "total", "cost", "profit", "spend",
                "volume", "visitor", "signup", "order", "income", "expense", "budget", "population", "view", "click"}
    return "sum" if stems & additive or {canonical(w) for w in words} & {
        "revenue", "amount", "quantity", "profit", "precipitation"} else "mean"
