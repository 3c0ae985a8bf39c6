"""Shared fixtures for the LLM tests: profiles of every bundled dataset, a 1,000-column table, and
``require`` — an optional test dependency is skipped locally but must be there in CI (``CI=true``)."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from tests.conftest import EXAMPLES

IN_CI = os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")
# one question per bundled dataset, naming columns the way people do
QUESTIONS = {
    "december_revenue.csv": "revenue totals by region and product type",
    "daily_visitors.csv": "monthly visitors by channel",
    "sensor_readings.csv": "are there unusual temperature readings per machine?",
    "european_sales_cp1252.csv": "Umsatz by Stadt",
}
WIDE_QUESTION = "average sensor_0420 by site"


def require(module: str, why: str) -> ModuleType:
    """Import ``module``; skip the test when it is missing, except in CI, where that is a failure."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        message = f"{module} is not installed ({why}); .ci/run installs it: pip install -e '.[llm-test]'"
        if IN_CI:
            pytest.fail(f"{message} — {exc}")
        pytest.skip(message)


def write_wide_csv(path: Path, *, columns: int = 1000, rows: int = 40) -> Path:
    """A table with a date, a site, and ``columns - 2`` numeric sensors."""
    rng = np.random.default_rng(7)
    data: dict[str, object] = {
        "date": pd.date_range("2024-01-01", periods=rows, freq="D").strftime("%Y-%m-%d"),
        "site": rng.choice(["north", "south", "east"], rows),
    }
    for i in range(columns - 2):
        data[f"sensor_{i:04d}"] = rng.normal(size=rows).round(3)
    pd.DataFrame(data).to_csv(path, index=False)
    return path


def offline_context(profile, question: str):
    """The offline intent and adapted plan: what the LLM stages start from."""
    from autoviz_pipeline.planning import adapt_plan, select_plan
    from autoviz_pipeline.understanding import classify_intent

    intent = classify_intent(question, profile)
    return intent, adapt_plan(select_plan(intent, profile), intent, profile)


@pytest.fixture(scope="session")
def example_profiles():
    """Every bundled dataset (data/examples/*.csv), so a new example is covered without a test change."""
    from autoviz_pipeline.profiling import profile_dataset

    return {p.name: profile_dataset(p, name=p.name) for p in sorted(EXAMPLES.glob("*.csv"))}


@pytest.fixture(scope="session")
def wide_profile(tmp_path_factory):
    from autoviz_pipeline.profiling import profile_dataset

    path = write_wide_csv(tmp_path_factory.mktemp("wide") / "wide.csv")
    return profile_dataset(path, name="wide.csv")


@pytest.fixture(scope="session")
def all_profiles(example_profiles, wide_profile):
    """(name, profile, question) for every bundled dataset and the wide one."""
    default = "Give an overview of this dataset."
    cases = [(name, profile, QUESTIONS.get(name, default)) for name, profile in example_profiles.items()]
    return cases + [("wide.csv", wide_profile, WIDE_QUESTION)]
