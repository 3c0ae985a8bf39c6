"""The golden questions (tests/golden/questions.yaml): one case per question on a bundled example."""

from pathlib import Path

import pytest
import yaml

from autoviz_pipeline.api import cached_profile
from autoviz_pipeline.understanding import classify_intent
from tests.conftest import EXAMPLES

GOLDEN = yaml.safe_load((Path(__file__).parent / "golden" / "questions.yaml").read_text(encoding="utf-8"))
CASES = [(dataset, case) for dataset, cases in GOLDEN.items() for case in cases]


def _said(chart, key):
    channel = {"x": chart.x, "y": chart.y}
    if key in ("x", "y"):
        return channel[key].field if channel[key] else None
    if key == "aggregate":
        return chart.y.aggregate if chart.mark != "rect" else chart.color.aggregate
    if key == "time_unit":
        return chart.x.time_unit
    if key == "bin":
        return chart.x.bin
    if key == "color":
        return chart.color.field if chart.color else None
    return getattr(chart, key)


@pytest.mark.parametrize("dataset,case", CASES, ids=[c["q"] for _, c in CASES])
def test_golden_question(dataset, case):
    r = classify_intent(case["q"], cached_profile(EXAMPLES / dataset))
    for key, expected in case.items():
        if key in ("q", "why"):
            continue
        if key == "filters":
            got = [[f.column, f.op, f.values if f.op in ("in", "range") else f.value, *([f.part] if f.part else [])]
                   for f in r.filters]  # a calendar part ("May" of every year) is a fourth item
            assert sorted(map(repr, got)) == sorted(map(repr, expected)), case.get("why")
        else:
            assert _said(r.chart, key) == expected, f"{key}: {case.get('why', '')}"
