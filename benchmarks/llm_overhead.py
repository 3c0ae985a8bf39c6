"""Overhead of the LLM layer itself, without model time: per stage, schema build + prompt (fitted to the
context) + parsing + validation and applying the answer — with a backend that answers instantly.

    python benchmarks/llm_overhead.py [--repeat 30]

Target (issue #4): < 20 ms per stage on the example datasets. The 1,000-column table is shown too.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autoviz_pipeline.llm import ModelSettings, propose_intent, propose_plan_patch  # noqa: E402
from autoviz_pipeline.llm.backends import Completion  # noqa: E402
from autoviz_pipeline.planning import adapt_plan, select_plan  # noqa: E402
from autoviz_pipeline.profiling import profile_dataset  # noqa: E402
from autoviz_pipeline.understanding import classify_intent  # noqa: E402

QUESTIONS = {
    "december_revenue.csv": "revenue totals by region and product type",
    "daily_visitors.csv": "monthly visitors by channel",
    "sensor_readings.csv": "are there unusual temperature readings per machine?",
    "european_sales_cp1252.csv": "Umsatz by Stadt",
}


class InstantBackend:
    """Answers at once with a fixed reply: what is timed is everything around the model."""

    kind = "openai"
    model = "instant"

    def __init__(self, reply: str, *, context_tokens: int) -> None:
        self.reply = reply
        self.settings = ModelSettings(backend="openai", model_name="instant", context_tokens=context_tokens,
                                      max_tokens=256)

    def check(self) -> None:
        return None

    def complete(self, messages, schema, *, name, max_tokens) -> Completion:
        return Completion(text=self.reply)


def _wide_csv(folder: Path) -> Path:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(7)
    data = {"date": pd.date_range("2024-01-01", periods=40, freq="D").strftime("%Y-%m-%d"),
            "site": rng.choice(["north", "south", "east"], 40)}
    data |= {f"sensor_{i:04d}": rng.normal(size=40).round(3) for i in range(998)}
    path = folder / "wide.csv"
    pd.DataFrame(data).to_csv(path, index=False)
    return path


def measure(path: Path, question: str, repeat: int, context_tokens: int) -> tuple[float, float]:
    profile = profile_dataset(path, name=path.name)
    offline = classify_intent(question, profile)
    plan = adapt_plan(select_plan(offline, profile), offline, profile)
    group = next(c.name for c in profile.columns if c.role in ("categorical", "boolean"))
    numeric = next(c.name for c in profile.columns if c.role == "numeric")
    intent_reply = json.dumps({"intent": offline.intent, "confidence": 0.8, "columns": [group, numeric]})
    template = next(s for s in plan.steps if s.origin == "template")
    patch_reply = json.dumps({"ops": [
        {"op": "add", "tool": "bar_chart", "params": {"x": group, "y": numeric, "aggregate": "mean"}, "title": "t"},
        {"op": "add", "tool": "box_plot", "params": {"column": numeric.upper(), "by": group}, "title": "t"},
        {"op": "modify", "step": template.id, "params": {}},
    ], "rationale": "r"})
    intent_ms, adapt_ms = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        intent = propose_intent(offline, profile, InstantBackend(intent_reply, context_tokens=context_tokens))
        intent_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        adapted = propose_plan_patch(plan, intent, profile, InstantBackend(patch_reply, context_tokens=context_tokens))
        adapt_ms.append((time.perf_counter() - started) * 1000)
        assert intent.source == "llm" and adapted.llm_calls[0].outcome.startswith("ok"), adapted.llm_calls
    return statistics.median(intent_ms), statistics.median(adapt_ms)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    print("| dataset | context tokens | intent ms (median) | adapt ms (median) |")
    print("|---|---|---|---|")
    worst = 0.0
    for name, question in QUESTIONS.items():
        for ctx in (1024, 4096):
            i_ms, a_ms = measure(ROOT / "data" / "examples" / name, question, args.repeat, ctx)
            worst = max(worst, i_ms, a_ms)
            print(f"| {name} | {ctx} | {i_ms:.1f} | {a_ms:.1f} |")
    with tempfile.TemporaryDirectory() as tmp:
        for ctx in (1024, 4096):
            i_ms, a_ms = measure(_wide_csv(Path(tmp)), "average sensor_0420 by site", max(5, args.repeat // 3), ctx)
            print(f"| wide.csv (1,000 columns) | {ctx} | {i_ms:.1f} | {a_ms:.1f} |")
    print(f"\nworst stage on the examples: {worst:.1f} ms (target < 20 ms): {'met' if worst < 20 else 'NOT met'}")
    return 0 if worst < 20 else 1


if __name__ == "__main__":
    sys.exit(main())
