"""The benchmarks score the run's first chart right: ``benchmarks/scored_spec.py`` states the inline spec
``primary_chart`` returns as the realworld scorer reads a spec, so a right chart scores as right. Golds are
written here by hand for the bundled example; the raw inline spec is misread on each of them."""

import importlib.util

import pytest

from autoviz_pipeline.api import cached_profile, primary_chart
from tests.conftest import DECEMBER, ROOT

CASES = [  # question, gold (the realworld kit's format), what the raw inline spec gets wrong
    ("box plot of revenue by region", {"mark_ok": ["boxplot"], "x": "region", "y": "revenue"}, "mark"),
    ("histogram of revenue", {"mark_ok": ["bar"], "x": "revenue", "y": None, "bin": True, "aggregate": "count"},
     "agg"),
    ("number of rows per region", {"mark_ok": ["bar"], "x": "region", "y": None, "aggregate": "count"}, "agg"),
    ("total revenue by region for Electronics only",
     {"mark_ok": ["bar"], "x": "region", "y": "revenue", "aggregate": "sum",
      "filter": [{"field": "product_category", "op": "==", "value": "Electronics"}]}, "filter"),
    ("top 2 regions by total revenue",
     {"mark_ok": ["bar"], "x": "region", "y": "revenue", "aggregate": "sum", "limit": 2}, "filter"),
]


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def score():
    return _load("realworld_score", ROOT / "benchmarks" / "realworld" / "score.py")


@pytest.fixture(scope="module")
def scored_view():
    return _load("scored_spec", ROOT / "benchmarks" / "scored_spec.py").scored_view


@pytest.mark.parametrize("question,gold,misread", CASES, ids=[c[0] for c in CASES])
def test_the_runs_first_chart_scores_as_the_chart_it_is(score, scored_view, question, gold, misread):
    gold = {"id": "t", "table": DECEMBER.name, **gold}
    spec = primary_chart(DECEMBER, question)
    scored = score.score_item(gold, {"spec": scored_view(spec, cached_profile(DECEMBER).column_names)},
                              str(DECEMBER.parent))
    assert scored["full"], scored["why"]
    raw = score.score_item(gold, {"spec": spec}, str(DECEMBER.parent))
    assert not raw[misread]
