"""Plain-Python entry points over the core stages (no Dagster): what the assets call, in order.

``primary_chart`` answers "which chart?" through the same stages as the pipeline — profile (cached),
understand, plan, adapt, validate, then the first chart step's tool on the data — and returns the spec the run
writes for its first chart, data inline, without drawing it or writing a report. The whole run (execute +
report) is the Dagster job in ``defs/``; ``autoviz run`` starts it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .contracts import (
    AdaptedPlan,
    DatasetProfile,
    DroppedStep,
    IntentResult,
    ValidatedPlan,
)
from .errors import AutovizError
from .execution import first_chart_spec
from .inbox import clean_question
from .planning import adapt_plan, select_plan
from .profiling import profile_dataset
from .repair import validate_plan
from .settings import load_config
from .understanding import classify_intent


class NoChartError(AutovizError):
    """The run would draw no chart for this question: its plan has only tables, or every chart step fails."""


_PROFILE_CACHE: dict[tuple[str, int, int], DatasetProfile] = {}


def cached_profile(csv_path: str | Path) -> DatasetProfile:
    """Profile once per file version (path, size, mtime): repeated questions on a table skip the read."""
    path = Path(csv_path)
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _PROFILE_CACHE:
        if len(_PROFILE_CACHE) > 256:
            _PROFILE_CACHE.clear()
        _PROFILE_CACHE[key] = profile_dataset(path)
    return _PROFILE_CACHE[key]


def plan_for(question: str, profile: DatasetProfile) -> tuple[IntentResult, AdaptedPlan, ValidatedPlan]:
    """The intent and plans for a question, as the run's offline stages make them: the question is cut to
    ``limits.max_question_chars`` as ``autoviz run`` cuts it (the reading's time grows with the question's
    length), and an empty one is the configured default question."""
    config = load_config()
    question, _ = clean_question(question, max_chars=config.limits.max_question_chars)
    intent = classify_intent(question or config.default_question, profile)
    adapted = adapt_plan(select_plan(intent, profile), intent, profile)
    validated = validate_plan(adapted.steps, profile, max_steps=config.limits.max_charts)
    return intent, adapted, validated


def primary_chart(csv_path: str | Path, question: str) -> dict[str, Any]:
    """The Vega-Lite spec of the first chart the run draws for this question, as its ``.vl.json`` holds it: the
    same stages on the same file, then the first chart step's tool on the data, without drawing or writing.

    The intent and plan are the offline ones (no model is asked), which is what ``autoviz run`` uses unless a
    model is configured.
    """
    profile = cached_profile(csv_path)
    _, _, validated = plan_for(question, profile)
    failed: list[DroppedStep] = []
    spec = first_chart_spec(validated, profile, failed=failed)
    if spec is None:
        planned = ", ".join(step.tool for step in validated.steps) or "no step"
        why = "; ".join(f"{f.tool} failed: {f.reason}" for f in failed) or f"the plan holds {planned}, no chart"
        raise NoChartError(f"{Path(csv_path).name}: the run draws no chart for this question ({why}). "
                           "Ask for a chart of some columns, e.g. \"<measure> by <category>\".")
    return spec
