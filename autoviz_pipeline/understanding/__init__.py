"""Stage 2: understand the question offline — intent, grounded columns, filters and the chart it asks for.

This is the deterministic backend: it always works, needs no model, and is the fallback of every LLM path.
The question is read once into a typed :class:`~.reading.QuestionReading` by small extractors
(``extractors/``: spelling, chart words, periods, numbers, values, measures, structure, tasks) over the
grounded columns and values (``grounding``, ``columns``, with the vocabulary of ``data/``); the chart is
chosen from that reading alone (``chart``).
"""

from __future__ import annotations

from ..contracts import ChartSpec, DatasetProfile, IntentLabel, IntentResult
from .chart import choose_chart, missing_quantity, ungrouped
from .columns import column_index
from .reading import QuestionReading, read_question
from .settings import DEFAULT_CHART_SETTINGS, DEFAULT_SETTINGS, ChartSettings, MatchSettings

DEFAULT_QUESTION = "Give an overview of this dataset."

_INTENTS: dict[str, IntentLabel] = {
    "trend": "time_series", "distribution": "distribution", "relationship": "relationship", "share": "composition",
    "ranking": "ranking", "comparison": "comparative_analysis", "anomaly": "anomaly_detection",
    "overview": "general_eda",
}

__all__ = ["DEFAULT_QUESTION", "QuestionReading", "classify_intent", "read_question"]


def classify_intent(question: str, profile: DatasetProfile, *, settings: MatchSettings = DEFAULT_SETTINGS,
                    chart_settings: ChartSettings = DEFAULT_CHART_SETTINGS) -> IntentResult:
    """Understand a question against a profile, without a model."""
    q = " ".join((question or "").split())
    notes: list[str] = []
    if not q:
        q = DEFAULT_QUESTION
        notes.append("empty question: using the default overview question")
    reading = read_question(q, profile, settings=settings, chart_settings=chart_settings)
    chart, chart_notes = choose_chart(reading, column_index(profile, settings=chart_settings),
                                      settings=chart_settings)
    notes += reading.notes + chart_notes
    if not reading.mentions and not any(m.method == "value" for m in reading.matches):
        notes.append("no column named in the question: chose columns from the data profile")
    intent, confidence = _intent(reading, chart)
    alternatives = list(reading.alternatives) + [m for m in reading.matches if m.alternatives]
    return IntentResult(
        question=q,
        intent=intent,
        confidence=confidence,
        source="offline",
        matches=reading.matches,
        filters=chart.filters if chart is not None else reading.filter_specs(),
        aggregate=reading.aggregate,
        chart_words=[w.word for w in reading.chart_words],
        chart=chart,
        alternatives=alternatives,
        unmatched=reading.unmatched + (unsaid[0] if (unsaid := missing_quantity(reading, chart)) else []),
        ungrouped=ungrouped(reading, chart),
        notes=list(dict.fromkeys(notes)),
    )


def _intent(reading: QuestionReading, chart: ChartSpec | None) -> tuple[IntentLabel, float]:
    """The analysis the chart answers: a line over time is a time series even when "by channel" scored a
    comparison; a bar chart keeps the task said (ranking, comparison)."""
    scores = reading.task_scores
    shown = _chart_intent(chart)
    task = _INTENTS[reading.task] if reading.task is not None else None
    if task is None or (shown is not None and shown != task):
        if shown is not None:
            return shown, 0.6
        return ("ranking", 0.6) if reading.ranking is not None else ("general_eda", 0.5)
    best = scores[reading.task]
    total = sum(scores.values())
    margin = best / total if total else 1.0
    return task, round(min(0.99, 0.5 + 0.45 * margin + 0.05 * min(best, 2)), 2)


def _chart_intent(chart: ChartSpec | None) -> IntentLabel | None:
    if chart is None:
        return None
    if chart.mark in ("line", "area"):
        return "time_series"
    if chart.mark == "point":
        return "relationship"
    if chart.mark == "arc":
        return "composition"
    if chart.mark == "boxplot" or (chart.mark == "bar" and chart.x is not None and chart.x.bin):
        return "distribution"
    return None
