"""Thresholds and weights of the offline reading, in one frozen model passed as an argument.

Overrides build a new model (``MatchSettings(**DEFAULT_SETTINGS.model_dump() | {"min_score": 0.8})``), so a
misspelt key fails loudly instead of being ignored.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class MatchSettings(BaseModel):
    """How sure a phrase → column match is, by how it was made (after NL4DV's ordered weights)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    min_score: float = Field(0.7, ge=0, le=1, description="below this nothing is matched")
    min_related_score: float = Field(0.66, ge=0, le=1, description="WordNet relations: their own, lower bar")
    max_ngram: int = Field(5, ge=1, le=8, description="the longest phrase tried against a column name")
    exact_weight: float = 1.0
    normalized_weight: float = 0.97
    lemma_weight: float = 0.93
    abbreviation_weight: float = 0.88
    synonym_weight: float = 0.85
    initialism_weight: float = 0.84
    partial_weight: float = 0.8
    related_weight: float = Field(0.84, description="times the WordNet relation's strength (1 for an attribute)")
    fuzzy_weight: float = Field(0.85, description="times the similarity of a misspelt name")
    value_weight: float = 0.8
    max_typo_edits_short: int = Field(1, ge=0, description="letters a typo may differ by in words of <= 8 letters")
    max_typo_edits_long: int = Field(2, ge=0, description="… in longer words")
    min_typo_length: int = Field(4, ge=1, description="shorter words are never corrected; words of this length only "
                                                     "for two letters swapped (\"wiat\")")


class ChartSettings(BaseModel):
    """Choices of the chart that have a number in them."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    ranked_rows: int = Field(10, ge=1, description="rows shown for 'the oldest employees' with no number said")
    default_bins: int = Field(10, ge=2, description="bins of a histogram that names no number")
    continuous_distinct: int = Field(20, ge=2, description="a number with more values than this is no category")
    max_year_span: int = Field(300, ge=1, description="a year column's values lie within this many years")


DEFAULT_SETTINGS = MatchSettings()
DEFAULT_CHART_SETTINGS = ChartSettings()
