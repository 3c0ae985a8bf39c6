"""The task the question asks for — a trend, a distribution, a relationship, a share, a ranking, a comparison,
anomalies or an overview — scored from cue words (``data/cues.yaml``), chart words and what is named."""

from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon import degree
from ..reading import ChartWord, Context, Mention, Task
from ..vocabulary import vocabulary
from .numbers import RANGE

_SPECIFIC = {"distribution": 1.25, "relationship": 1.25, "share": 1.25, "anomaly": 1.25}
"""Tasks whose words say more than a trend's or a ranking's: "the distribution of X since 1980" is a
distribution (a tie goes to the specific task)."""
_CHART_TASK = {"line": ("trend", 0.5), "area": ("trend", 0.5), "point": ("relationship", 1.0),
               "arc": ("share", 1.0), "boxplot": ("distribution", 1.0)}


@lru_cache(maxsize=1)
def _cue_patterns() -> list[tuple[str, float, frozenset[str], re.Pattern[str] | None]]:
    out = []
    cues = vocabulary().cues
    for key, weight in (("task_cues", 1.0), ("weak_task_cues", 0.5)):
        for task, said in cues[key].items():
            words = frozenset(c for c in said if " " not in c)
            phrases = [re.escape(c) for c in said if " " in c]
            out.append((task, weight, words, re.compile(rf"\b(?:{'|'.join(phrases)})\b") if phrases else None))
    return out


@lru_cache(maxsize=1)
def _as_it_changes() -> re.Pattern[str]:
    verbs = "|".join(re.escape(v) for v in vocabulary().cues["as_it_changes"])
    return re.compile(rf"\bas\s+(?:the\s+|its\s+|their\s+|a\s+)?[a-z][\w'-]*(?:\s+[a-z][\w'-]*){{0,3}}?"
                      rf"\s+(?:{verbs})\b")


def classify(ctx: Context, chart_words: list[ChartWord], mentions: list[Mention]) -> tuple[Task | None, dict[str, float]]:
    lower = RANGE.sub(" ", ctx.lower)  # "within the range of 4.29 and 5.98" filters; it asks for no spread
    named = {i for m in ctx.matches for i in range(m.position or 0, (m.position or 0) + len(m.phrase.split()))
             if not _filler(ctx, m.column, i)}
    free = [t for t in ctx.tokens if t.index not in named]  # "share by version" over a ``Share`` column, "history
    # books" (a genre): no cue
    said = {t.lower for t in free} | {t.lemma for t in free}
    # a period's words ("the last decade", "since 1980") cue a trend, never a ranking ("last")
    timeless = {t.lower for t in free if not ctx.in_period(t.index)} | {t.lemma for t in free
                                                                          if not ctx.in_period(t.index)}
    scores: dict[str, float] = {}
    for task, weight, words, phrases in _cue_patterns():
        hits = len(words & (said if task == "trend" else timeless)) + (len(phrases.findall(lower)) if phrases else 0)
        if hits:
            scores[task] = scores.get(task, 0.0) + hits * weight * _SPECIFIC.get(task, 1.0)
    if _as_it_changes().search(lower):  # "… shrink as the atomic number goes up": one quantity against another
        scores["relationship"] = scores.get("relationship", 0.0) + 1.0 * _SPECIFIC["relationship"]
    if _paired_comparatives(ctx, mentions):
        scores["relationship"] = scores.get("relationship", 0.0) + 1.0 * _SPECIFIC["relationship"]
    if any(m.cue == "group" for m in mentions) or re.search(r"\b(?:by|per|across|each)\b", lower):
        scores["comparison"] = scores.get("comparison", 0.0) + 0.5  # grouping words: a weak cue
    timeline = any(ctx.index.get(m.column).timeline for m in mentions if ctx.index.get(m.column))
    if timeline and scores.get("trend"):
        scores["trend"] += 1.0
    for word in chart_words:
        if word.word in ("histogram", "histo"):
            scores["distribution"] = scores.get("distribution", 0.0) + 1.0
        elif word.mark in _CHART_TASK:
            task, weight = _CHART_TASK[word.mark]
            scores[task] = scores.get(task, 0.0) + weight
    if not scores:
        return None, {}
    best = max(scores, key=lambda k: scores[k])
    if best == "comparison" and scores.get("distribution", 0.0) >= _SPECIFIC["distribution"]:
        best = "distribution"  # "compare the spread of earnings across school types": spreads, side by side
    if best == "distribution" and _AVERAGE_SAID.search(lower) and not _SPREAD_SAID.search(lower) and \
            not any(w.mark == "boxplot" or w.word in ("histogram", "histo") for w in chart_words):
        best = "comparison"  # "how do casual riders vary by hour? Show the average.": the mean per hour
        scores[best] = max(scores.get(best, 0.0), scores["distribution"])
    return best, scores  # type: ignore[return-value]


_AVERAGE_SAID = re.compile(r"\b(?:average|averages|avg|mean|median)\b")
_SPREAD_SAID = re.compile(r"\b(?:distribution|distributed|histogram|spread|box ?plot|dispersion|skew(?:ed)?)\b")


_COMPARATIVES = frozenset("more less fewer".split())


def _paired_comparatives(ctx: Context, mentions: list[Mention]) -> bool:
    """ "Do schools with more working alumni also report higher earnings?", "are longer films rated better?":
    a yes/no question that sets one "more …" against another asks whether two quantities go together."""
    if not re.match(r"\s*(?:do|does|did|are|is|were|was|will|can)\b", ctx.lower):
        return False
    comparatives = [t for t in ctx.tokens if t.lower in _COMPARATIVES or degree(t.lower) == "comparative"]
    quantities = {m.column for m in mentions if m.quantity}
    return len(comparatives) >= 2 and len(quantities) >= 1


def _filler(ctx: Context, column: str, at: int) -> bool:
    """Is the word at ``at`` a trailing measure word a column's phrase took in without naming it ("area
    share" → area_ha: the "share" still asks for part of a whole)?"""
    col = ctx.index.get(column)
    if col is None or at >= len(ctx.tokens):
        return False
    word = ctx.tokens[at]
    return word.lemma in ("share", "distribution", "trend") and word.lemma not in col.lemmas and \
        word.lower not in col.words and not set(col.words) & set(vocabulary().cues["rate_words"])  # perc1519's own
