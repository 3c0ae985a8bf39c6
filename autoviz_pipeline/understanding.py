"""Stage 2: understand the question offline — intent, grounded columns, filters and the chart it asks for.

This is the deterministic backend: it always works, needs no model, and is the fallback of every LLM
path. It reads the question as a sequence of cues (chart words, aggregation words, grouping words,
comparisons) around grounded column and value mentions (``grounding``) and turns them into a
:class:`ChartSpec`. When the question names no chart, the chart follows from the data roles.
"""

from __future__ import annotations

import logging
import re

from .contracts import (
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
from .grounding import DEFAULT_SETTINGS, MatchSettings, Token, ground_columns, phrase_position, stem
from .tools.registry import ColumnParam

logger = logging.getLogger(__name__)

DEFAULT_QUESTION = "Give an overview of this dataset."

# cue words → chart mark (checked on stems and on two-word phrases)
CHART_WORDS: dict[str, Mark] = {
    "bar": "bar", "column chart": "bar", "histogram": "bar", "line": "line", "trend": "line",
    "area": "area", "scatter": "point", "scatterplot": "point", "point": "point", "dot": "point",
    "bubble": "point", "pie": "arc", "donut": "arc", "doughnut": "arc", "heatmap": "rect", "heat map": "rect",
    "box": "boxplot", "boxplot": "boxplot", "whisker": "boxplot",
}
AGGREGATE_WORDS: dict[str, Aggregate] = {
    "total": "sum", "sum": "sum", "overall": "sum", "cumulative": "sum",
    "average": "mean", "mean": "mean", "avg": "mean", "typical": "mean",
    "count": "count", "number of": "count", "how many": "count", "frequency": "count", "occurrence": "count",
    "maximum": "max", "max": "max", "highest": "max", "largest": "max", "peak": "max",
    "minimum": "min", "min": "min", "lowest": "min", "smallest": "min",
    "median": "median",
}
TIME_UNIT_WORDS: dict[str, TimeUnit] = {
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
                    "weekly", "yearly", "seasonal", "season", "forecast", "history", "timeline", "change over"),
    "anomaly_detection": ("anomal", "outlier", "unusual", "abnormal", "spike", "odd", "suspicious", "weird",
                          "deviation", "irregular", "fraud", "extreme"),
    "comparative_analysis": ("compare", "comparison", "versus", " vs", "differ", "difference", "breakdown",
                             "broken down", "totals"),
    "distribution": ("distribution", "histogram", "spread", "range of", "variance", "skew", "box plot", "boxplot",
                     "frequency"),
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
_COMPARATORS: tuple[tuple[str, str], ...] = (
    (r"(?:more|greater|higher|larger|bigger|over|above|exceed(?:s|ing)?|later) than|over|above|exceeding|after|since|beyond", "gt"),
    (r"(?:less|fewer|lower|smaller|under|below|earlier) than|under|below|before|prior to", "lt"),
    (r"at least|no less than|not less than|minimum of|or more|and above|and up|from", "gte"),
    (r"at most|no more than|not more than|up to|maximum of|or less|or fewer|and below|until", "lte"),
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
    chart_words = _chart_words(lower)
    aggregate = _aggregate(lower)
    filters, limit, sort = _filters(q, lower, matches, profile, tokens)
    intent, confidence = _intent(lower, matches, profile, chart_words)
    chart = _chart(q, lower, tokens, matches, profile, intent, chart_words, aggregate, filters, limit, sort)
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


def _chart_words(lower: str) -> list[str]:
    found = []
    for word in CHART_WORDS:
        if re.search(rf"\b{re.escape(word)}(s|es)?\b", lower):
            found.append(word)
    return found


def _aggregate(lower: str) -> Aggregate | None:
    best: tuple[int, Aggregate] | None = None
    for word, agg in AGGREGATE_WORDS.items():
        m = re.search(rf"\b{re.escape(word)}s?\b", lower)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), agg)
    return best[1] if best else None


def _intent(lower: str, matches: list[ColumnMatch], profile: DatasetProfile,
            chart_words: list[str]) -> tuple[IntentLabel, float]:
    scores: dict[IntentLabel, float] = {k: 0.0 for k in INTENT_CUES}
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


def _filters(q: str, lower: str, matches: list[ColumnMatch], profile: DatasetProfile,
             tokens: list[Token]) -> tuple[list[FilterSpec], int | None, str | None]:
    """Value mentions become equality filters; comparisons next to a numeric/temporal column become ranges."""
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
    limit, sort = None, None
    top = re.search(r"\b(top|bottom|first|last|best|worst)\s+(\d{1,3})\b", lower)
    if top:
        limit = int(top.group(2))
        sort = "ascending" if top.group(1) in ("bottom", "worst") else "descending"
    # numeric comparisons: "<cue> <number>", attached to the nearest numeric/temporal column mentioned
    ranged = {c.name for c in profile.columns if c.role in ("temporal",) or _NUMERIC.fits(c)}
    col_mentions = [(phrase_position(m, tokens), m.column) for m in matches if m.method != "value" and m.column in ranged]
    between = re.finditer(r"\bbetween\s+(-?\d[\d,]*(?:\.\d+)?)\s+and\s+(-?\d[\d,]*(?:\.\d+)?)", lower)
    consumed: list[tuple[int, int]] = []
    for b in between:
        column = _nearest_column(lower, b.start(), col_mentions, tokens, profile)
        if column:
            lo, hi = _number(b.group(1)), _number(b.group(2))
            filters.append(FilterSpec(column=column, op="range", values=[min(lo, hi), max(lo, hi)]))
            consumed.append(b.span())
    for pattern, op in _COMPARATORS:
        for m in re.finditer(rf"\b(?:{pattern})\s+(?:the\s+year\s+|year\s+)?\$?(-?\d[\d,]*(?:\.\d+)?)", lower):
            if any(s <= m.start() < e for s, e in consumed):
                continue
            column = _nearest_column(lower, m.start(), col_mentions, tokens, profile, number=m.group(1))
            if column:
                filters.append(FilterSpec(column=column, op=op, value=_number(m.group(1))))
                consumed.append(m.span())
    return filters, limit, sort


def _number(text: str) -> float | int:
    value = float(text.replace(",", ""))
    return int(value) if value.is_integer() else value


def _nearest_column(lower: str, pos: int, mentions: list[tuple[int, str]], tokens: list[Token],
                    profile: DatasetProfile, number: str | None = None) -> str | None:
    if number is not None and re.fullmatch(r"(19|20)\d\d", number):
        temporal = profile.names_with_role("temporal")
        named = [c for _, c in mentions if c in temporal]
        if named or temporal:
            return (named or temporal)[0]
    if not mentions:
        return None
    word_index = len(re.findall(r"[A-Za-z\u00c0-\u024f]+|\d+(?:\.\d+)?", lower[:pos]))
    return min(mentions, key=lambda m: (abs(m[0] - word_index), m[0] > word_index))[1]


# --------------------------------------------------------------------------------------------------
def _chart(q: str, lower: str, tokens: list[Token], matches: list[ColumnMatch], profile: DatasetProfile,
           intent: IntentLabel, chart_words: list[str], aggregate: Aggregate | None,
           filters: list[FilterSpec], limit: int | None, sort: str | None) -> ChartSpec | None:
    mentioned = [m for m in matches if m.method != "value"]
    filter_only = {f.column for f in filters if f.op in ("eq", "in")} - {m.column for m in mentioned}
    groups, measures, color = _roles_of_mentions(lower, tokens, mentioned, profile)
    filtered_cols = {f.column for f in filters if f.op not in ("eq", "in")}
    # a column mentioned only to filter on ("authors with an order of 2 or higher") is not a measure
    measures = [c for c in measures if c not in filtered_cols or len(measures) == 1 and not groups]
    time_unit = _time_unit(lower)
    mark = _mark(chart_words, intent, groups, measures, profile)
    temporal = profile.names_with_role("temporal")
    numeric = [c.name for c in profile.columns if c.role == "numeric"]
    categorical = [c.name for c in sorted(profile.columns, key=lambda c: c.distinct)
                   if c.role in ("categorical", "boolean") and c.distinct > 1]
    binned = "histogram" in chart_words or (mark == "bar" and intent == "distribution" and not groups and measures)
    if mark in ("line", "area"):
        x = next((g for g in groups if g in temporal), None)
        if x is None and temporal and (time_unit or intent == "time_series" or not groups):
            x = temporal[0]
        x = x or (groups[0] if groups else None)
        if x is None:
            x = (categorical[:1] or [None])[0]
        rest = [g for g in groups if g != x]
        color = color or (rest[0] if rest else None)
        y = measures[0] if measures else None
        if x is None:
            return None
        agg = aggregate if y else "count"
        if y and agg is None:
            agg = _default_aggregate(y)
        return ChartSpec(mark=mark, x=Encoding(field=x, time_unit=time_unit if x in temporal else None),
                         y=Encoding(field=y if agg != "count" else None, aggregate=agg),
                         color=Encoding(field=color) if color else None, filters=filters, limit=limit, sort=sort)
    if mark == "point":
        cols = measures + [g for g in groups if g not in measures]
        if len(cols) < 2:
            cols += [n for n in numeric if n not in cols][: 2 - len(cols)]
        if len(cols) < 2:
            return None
        color = color or next((g for g in groups if g not in cols[:2]), None)
        return ChartSpec(mark="point", x=Encoding(field=cols[0]), y=Encoding(field=cols[1]),
                         color=Encoding(field=color) if color else None, filters=filters)
    if mark == "boxplot":
        y = measures[0] if measures else (numeric[:1] or [None])[0]
        if y is None:
            return None
        x = groups[0] if groups else None
        return ChartSpec(mark="boxplot", x=Encoding(field=x) if x else None, y=Encoding(field=y), filters=filters)
    if mark == "arc":
        cat = (groups or [c for c in filter_only] or categorical[:1] or [None])[0]
        if cat is None:
            return None
        y = measures[0] if measures else None
        agg = aggregate if y and aggregate and aggregate != "count" else ("sum" if y else "count")
        return ChartSpec(mark="arc", color=Encoding(field=cat),
                         y=Encoding(field=y if agg != "count" else None, aggregate=agg), filters=filters, limit=limit)
    if mark == "rect":
        axes = groups + [m for m in measures if m not in groups]
        if len(axes) < 2:
            axes += [c for c in categorical if c not in axes][: 2 - len(axes)]
        if len(axes) < 2:
            return None
        value = next((m for m in measures if m not in axes[:2]), None)
        agg = aggregate if value and aggregate and aggregate != "count" else "count"
        return ChartSpec(mark="rect", x=Encoding(field=axes[0]), y=Encoding(field=axes[1]),
                         color=Encoding(field=value if agg != "count" else None, aggregate=agg), filters=filters)
    # bar (also histograms: a binned numeric x with a count)
    if binned:
        col = (measures or numeric[:1] or [None])[0]
        if col is None:
            return None
        return ChartSpec(mark="bar", x=Encoding(field=col, bin=_bins(lower)), y=Encoding(aggregate="count"),
                         color=Encoding(field=groups[0]) if groups else None, filters=filters)
    x = groups[0] if groups else None
    if x is None and not measures:
        x = (categorical[:1] or temporal[:1] or [None])[0]
    if x is None:
        x = next((c for c in categorical if c not in measures), None) or next(
            (c.name for c in profile.columns if c.role in ("identifier", "temporal") and c.name not in measures), None)
    if x is None:
        return None
    color = color or (groups[1] if len(groups) > 1 else None)
    y = measures[0] if measures else None
    agg = aggregate if (y and aggregate) else ("count" if not y else _default_aggregate(y))
    if agg == "count":
        y = None
    return ChartSpec(mark="bar", x=Encoding(field=x, time_unit=time_unit if x in temporal else None),
                     y=Encoding(field=y, aggregate=agg), color=Encoding(field=color) if color else None,
                     filters=filters, limit=limit, sort=sort or ("descending" if limit else None))


def _roles_of_mentions(lower: str, tokens: list[Token], mentioned: list[ColumnMatch],
                       profile: DatasetProfile) -> tuple[list[str], list[str], str | None]:
    """Split mentioned columns into groups (after by/per/each …), measures (numeric) and a colour split."""
    groups: list[str] = []
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
            if m.column not in groups:
                groups.append(m.column)
            in_group = True
        else:
            in_group = False
            col = profile.column(m.column)
            if col is not None and _NUMERIC.fits(col) and col.role != "identifier" or (
                col is not None and col.role == "identifier" and any(stem(w) in ("average", "total", "sum", "mean")
                                                                     for w in before[-3:])):
                measures.append(m.column)
            elif m.column not in groups:
                groups.append(m.column)
        last_end = pos + len(m.phrase.split()) - 1
    if color in groups:
        groups.remove(color)
    if not measures and len(groups) > 1:
        # "top regions by revenue": a continuous number after "by" is what is measured, not a grouping
        for g in groups[1:]:
            col = profile.column(g)
            if col is not None and col.role == "numeric" and col.distinct > 20:
                groups.remove(g)
                measures.append(g)
                break
    return groups, measures, color


def _mark(chart_words: list[str], intent: IntentLabel, groups: list[str], measures: list[str],
          profile: DatasetProfile) -> Mark:
    for word in chart_words:
        if word not in ("trend",):
            return CHART_WORDS[word]
    temporal = set(profile.names_with_role("temporal"))
    if "trend" in chart_words or intent == "time_series":
        return "line"
    if any(g in temporal for g in groups):
        return "line"
    if intent == "relationship" or (len(measures) >= 2 and not groups):
        return "point"
    if intent == "composition":
        return "arc"
    if intent == "distribution":
        return "bar"
    return "bar"


def _time_unit(lower: str) -> TimeUnit | None:
    for word, unit in TIME_UNIT_WORDS.items():
        if re.search(rf"\b(by|per|each|every)\s+{word}\b|\b{word}ly\b|\b{word}\b", lower) and (
            word.endswith("ly") or re.search(rf"\b(by|per|each|every)\s+{word}\b", lower)
        ):
            return unit
    return None


def _bins(lower: str) -> int:
    m = re.search(r"\b(\d{1,3})\s+(bins|buckets|groups|intervals)\b", lower)
    return int(m.group(1)) if m else 10


def _default_aggregate(column: str) -> Aggregate:
    """Sum what adds up (revenue, quantities, counts); average what does not (prices, rates, temperatures)."""
    words = {stem(w) for w in re.findall(r"[a-z]+", column.lower())}
    additive = {"revenue", "sale", "amount", "quantity", "unit", "count", "total", "cost", "profit", "spend",
                "volume", "visitor", "signup", "order", "income", "expense", "budget", "population", "view", "click"}
    return "sum" if words & additive else "mean"
