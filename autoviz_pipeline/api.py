"""Plain-Python entry points over the core stages (no Dagster): what the assets call, in order.

``primary_chart`` answers "which chart?" through the same stages as the pipeline — profile,
understand, plan, adapt, validate — and returns the first chart's Vega-Lite spec without rendering.
The whole run (execute + report) is the Dagster job in ``defs/``; ``autoviz run`` starts it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .contracts import AdaptedPlan, DatasetProfile, IntentResult, ValidatedPlan
from .inbox import clean_question
from .planning import adapt_plan, select_plan
from .profiling import profile_dataset
from .repair import validate_plan
from .settings import load_config
from .tools import TOOLS
from .understanding import classify_intent

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
    """The intent and plans for a question; the question is cut to ``limits.max_question_chars`` as ``autoviz
    run`` cuts it (the reading's time grows with the question's length)."""
    question, _ = clean_question(question, max_chars=load_config().limits.max_question_chars)
    intent = classify_intent(question, profile)
    adapted = adapt_plan(select_plan(intent, profile), intent, profile)
    validated = validate_plan(adapted.steps, profile, max_steps=load_config().limits.max_charts)
    return intent, adapted, validated


def primary_chart(csv_path: str | Path, question: str) -> dict[str, Any]:
    """The Vega-Lite spec of the first chart the pipeline would draw for this question (no rendering)."""
    profile = cached_profile(csv_path)
    _, _, validated = plan_for(question, profile)
    for step in validated.steps:
        tool = TOOLS[step.tool]
        if tool.vega_lite is not None:
            return tool.vega_lite(tool.params.model_validate(step.params), profile)
    raise ValueError(f"{csv_path}: no chart could be planned for {question!r}")
