"""Hallucination suite: scripted model answers full of wrong names, through the real pipeline stages.

For each bundled dataset, a model without grammar "answers" the intent and plan stages with column names
that are near misses (typos, case, plurals), synonyms, decorated names ("revenue_total", the seed's own
hallucination) and inventions, wrong tool names and invented params. The answers go through the LLM
layer (parse, validate, apply) and ``repair.validate_plan``, then the tools run and the report renders.
Each planted mistake has an expected outcome, checked by hand against the dataset's columns:

    near_miss / synonym / decorated / tool_near_miss / param_near_miss   → repaired to the named column/tool/param
    invention / tool_invention / param_invention                          → dropped, with a reason on record

    python benchmarks/hallucination.py [--json benchmarks/out/hallucination.json]

Targets (issue #4): 0 crashes, every near miss and synonym repaired, every invention dropped with a
reason, and the report still answers the question (its first result is the answer step).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autoviz_pipeline.contracts import ValidatedPlan  # noqa: E402
from autoviz_pipeline.execution import execute_plan  # noqa: E402
from autoviz_pipeline.llm import ModelSettings, propose_intent, propose_plan_patch  # noqa: E402
from autoviz_pipeline.llm.backends import Completion  # noqa: E402
from autoviz_pipeline.planning import adapt_plan, select_plan  # noqa: E402
from autoviz_pipeline.profiling import profile_dataset  # noqa: E402
from autoviz_pipeline.repair import validate_plan  # noqa: E402
from autoviz_pipeline.report import render_report  # noqa: E402
from autoviz_pipeline.understanding import classify_intent  # noqa: E402

EXAMPLES = ROOT / "data" / "examples"
REPAIR = {"near_miss", "synonym", "decorated", "tool_near_miss", "param_near_miss"}
DROP = {"invention", "tool_invention", "param_invention"}


@dataclass(frozen=True)
class Plant:
    """One planted mistake: where it is, what it is, what it should become (None: dropped)."""

    step: str        # llm_<n> for added steps, a template step id for modify, "intent" for the intent stage
    param: str       # a param name, "tool", or "columns" (intent)
    wrong: str
    category: str
    expected: str | None


@dataclass(frozen=True)
class Round:
    ops: list[dict[str, Any]]
    plants: list[Plant]


def add(tool: str, params: dict[str, Any], title: str = "") -> dict[str, Any]:
    return {"op": "add", "tool": tool, "params": params, "title": title}


# --------------------------------------------------------------------------------------------------
# the scripts: per dataset, an intent answer and rounds of at most 3 plan edits (a PlanPatch's limit)
# --------------------------------------------------------------------------------------------------
CASES: dict[str, dict[str, Any]] = {
    "december_revenue.csv": {
        "question": "revenue totals by region and product type",
        "intent": (["Revenue", "product_type", "profit_margin"],
                   [Plant("intent", "columns", "Revenue", "near_miss", "revenue"),
                    Plant("intent", "columns", "product_type", "synonym", "product_category"),
                    Plant("intent", "columns", "profit_margin", "invention", None)]),
        "rounds": [
            Round([add("bar_chart", {"x": "regions", "y": "Revenue", "color": "product_type"}, "Revenue by region"),
                   add("line_chart", {"x": "date", "y": "revenu", "groups": "region"}, "Daily revenue"),
                   add("box_plot", {"column": "revenue", "by": "Product Category"}, "Spread")],
                  [Plant("llm_1", "x", "regions", "near_miss", "region"),
                   Plant("llm_1", "y", "Revenue", "near_miss", "revenue"),
                   Plant("llm_1", "color", "product_type", "synonym", "product_category"),
                   Plant("llm_2", "y", "revenu", "near_miss", "revenue"),
                   Plant("llm_2", "groups", "groups", "param_invention", None),
                   Plant("llm_3", "by", "Product Category", "near_miss", "product_category")]),
            Round([add("barchart", {"x": "region", "y": "sales", "colour": "product_category"}, "Sales"),
                   add("histogram", {"column": "customer_age"}, "Ages"),
                   add("forecast", {"column": "revenue"}, "Next month")],
                  [Plant("llm_1", "tool", "barchart", "tool_near_miss", "bar_chart"),
                   Plant("llm_1", "y", "sales", "synonym", "revenue"),
                   Plant("llm_1", "colour", "colour", "param_near_miss", "color"),
                   Plant("llm_2", "column", "customer_age", "invention", None),
                   Plant("llm_3", "tool", "forecast", "tool_invention", None)]),
            Round([add("pie_chart", {"category": "region", "value": "profit_margin"}, "Profit share"),
                   add("scatter_plot", {"x": "turnover", "y": "date"}, "Turnover over time"),
                   add("histogram", {"column": "revenue_total"}, "Revenue spread")],
                  [Plant("llm_1", "value", "profit_margin", "invention", None),
                   Plant("llm_2", "x", "turnover", "synonym", "revenue"),
                   Plant("llm_3", "column", "revenue_total", "decorated", "revenue")]),
        ],
    },
    "daily_visitors.csv": {
        "question": "monthly visitors by channel",
        "intent": (["Visitors", "channels", "bounce_rate"],
                   [Plant("intent", "columns", "Visitors", "near_miss", "visitors"),
                    Plant("intent", "columns", "channels", "near_miss", "channel"),
                    Plant("intent", "columns", "bounce_rate", "invention", None)]),
        "rounds": [
            Round([add("line_chart", {"x": "day", "y": "vistors", "color": "Channel"}, "Visitors per day"),
                   add("bar_chart", {"x": "channels", "y": "sign_ups", "aggregate": "sum"}, "Sign-ups"),
                   add("histogram", {"column": "page_views"}, "Page views")],
                  [Plant("llm_1", "x", "day", "synonym", "date"),
                   Plant("llm_1", "y", "vistors", "near_miss", "visitors"),
                   Plant("llm_1", "color", "Channel", "near_miss", "channel"),
                   Plant("llm_2", "x", "channels", "near_miss", "channel"),
                   Plant("llm_2", "y", "sign_ups", "near_miss", "signups"),
                   Plant("llm_3", "column", "page_views", "invention", None)]),
            Round([add("boxplot", {"column": "signup", "by": "source"}, "Sign-up spread"),
                   add("sankey", {"source": "channel"}, "Flows")],
                  [Plant("llm_1", "tool", "boxplot", "tool_near_miss", "box_plot"),
                   Plant("llm_1", "column", "signup", "near_miss", "signups"),
                   Plant("llm_1", "by", "source", "invention", None),
                   Plant("llm_2", "tool", "sankey", "tool_invention", None)]),
        ],
    },
    "sensor_readings.csv": {
        "question": "are there unusual temperature readings per machine?",
        "intent": (["temperature", "machineid", "humidity"],
                   [Plant("intent", "columns", "temperature", "synonym", "temperature_c"),
                    Plant("intent", "columns", "machineid", "near_miss", "machine_id"),
                    Plant("intent", "columns", "humidity", "invention", None)]),
        "rounds": [
            Round([add("anomaly_detection", {"column": "Temperature_C", "x": "time"}, "Temperature outliers"),
                   add("box_plot", {"column": "temp_c", "by": "machineid"}, "Temperature per machine"),
                   add("line_chart", {"x": "timestamp", "y": "rpm"}, "RPM")],
                  [Plant("llm_1", "column", "Temperature_C", "near_miss", "temperature_c"),
                   Plant("llm_1", "x", "time", "synonym", "timestamp"),
                   Plant("llm_2", "column", "temp_c", "near_miss", "temperature_c"),
                   Plant("llm_2", "by", "machineid", "near_miss", "machine_id"),
                   Plant("llm_3", "y", "rpm", "invention", None)]),
            Round([add("scatter_plot", {"x": "vibration", "y": "power", "color": "state"}, "Vibration vs power"),
                   add("heat_map", {"x": "machine_id", "y": "status"}, "Status per machine"),
                   add("histogram", {"column": "humidity"}, "Humidity")],
                  [Plant("llm_1", "x", "vibration", "synonym", "vibration_mm_s"),
                   Plant("llm_1", "y", "power", "synonym", "power_kw"),
                   Plant("llm_1", "color", "state", "invention", None),
                   Plant("llm_2", "tool", "heat_map", "tool_near_miss", "heatmap"),
                   Plant("llm_3", "column", "humidity", "invention", None)]),
        ],
    },
    "european_sales_cp1252.csv": {
        "question": "Umsatz by Stadt",
        "intent": (["umsatz", "stadt", "Rabatt"],
                   [Plant("intent", "columns", "umsatz", "near_miss", "Umsatz €"),
                    Plant("intent", "columns", "stadt", "near_miss", "Stadt"),
                    Plant("intent", "columns", "Rabatt", "invention", None)]),
        "rounds": [
            Round([add("bar_chart", {"x": "stadt", "y": "umsatz", "color": "Produkt"}, "Umsatz je Stadt"),
                   add("box_plot", {"column": "Stueckpreis", "by": "Land"}, "Preise"),
                   add("histogram", {"column": "Rabatt"}, "Rabatt")],
                  [Plant("llm_1", "x", "stadt", "near_miss", "Stadt"),
                   Plant("llm_1", "y", "umsatz", "near_miss", "Umsatz €"),
                   Plant("llm_2", "column", "Stueckpreis", "near_miss", "Stückpreis €"),
                   Plant("llm_3", "column", "Rabatt", "invention", None)]),
            Round([add("pie_chart", {"category": "product", "value": "Umsatz €"}, "Anteile"),
                   add("bar_chart", {"x": "Stadt", "y": "discount"}, "Discount"),
                   add("box_plot", {"column": "Menge", "by": "land"}, "Menge je Land")],
                  [Plant("llm_1", "category", "product", "synonym", "Produkt"),
                   Plant("llm_2", "y", "discount", "invention", None),
                   Plant("llm_3", "by", "land", "near_miss", "Land")]),
        ],
    },
}


class ScriptedBackend:
    """A model that answers from a script (no grammar), at the backend seam."""

    kind = "openai"
    model = "scripted"

    def __init__(self, replies: list[str]) -> None:
        self.replies = list(replies)
        self.settings = ModelSettings(backend="openai", model_name="scripted", use_grammar=False)

    def check(self) -> None:
        return None

    def complete(self, messages, schema, *, name, max_tokens) -> Completion:
        return Completion(text=self.replies.pop(0))


# --------------------------------------------------------------------------------------------------
def judge(plant: Plant, *, validated: ValidatedPlan, notes: list[str]) -> str:
    """'repaired', 'wrong_repair', 'dropped' (with a reason on record) or 'missed'."""
    if plant.step == "intent":
        for note in notes:
            if note.startswith(f"model column {plant.wrong!r} repaired to "):
                return "repaired" if f"repaired to {plant.expected!r}" in note else "wrong_repair"
            if note.startswith(f"model column {plant.wrong!r} dropped"):
                return "dropped"
        return "missed"
    for r in validated.repairs:
        if r.step != plant.step:
            continue
        if r.method in ("removed_unknown_param", "param_name") and r.param == plant.param:
            if r.repaired is None:
                return "dropped"  # removed, logged with the original value
            return "repaired" if r.repaired == plant.expected else "wrong_repair"
        if r.original == plant.wrong and (r.param == plant.param or plant.param == "tool" == r.param):
            if r.repaired is None:
                return "dropped"  # an optional param naming no column: removed, logged with the original
            return "repaired" if r.repaired == plant.expected else "wrong_repair"
    for d in validated.dropped:
        if d.step == plant.step and d.reason:
            return "dropped"
    step = next((s for s in validated.steps if s.id == plant.step), None)
    if step is not None and getattr(step.params, plant.param, None) == plant.wrong:
        return "missed"
    return "missed"


def run_case(name: str, case: dict[str, Any], out_root: Path) -> dict[str, Any]:
    profile = profile_dataset(EXAMPLES / name, name=name)
    question = case["question"]
    offline = classify_intent(question, profile)
    columns, intent_plants = case["intent"]
    intent_reply = json.dumps({"intent": offline.intent, "confidence": 0.9, "columns": columns})
    intent = propose_intent(offline, profile, ScriptedBackend([intent_reply]))
    verdicts = [(p, judge(p, validated=ValidatedPlan(steps=[]), notes=intent.notes)) for p in intent_plants]
    plan = adapt_plan(select_plan(intent, profile), intent, profile)
    row = {"dataset": name, "proposed": 0, "repaired": 0, "dropped": 0, "executed": 0, "crashes": 0,
           "answer_first": True, "reports": 0}
    for i, rnd in enumerate(case["rounds"], start=1):
        try:
            reply = json.dumps({"ops": rnd.ops, "rationale": "scripted"})
            adapted = propose_plan_patch(plan, intent, profile, ScriptedBackend([reply]))
            validated = validate_plan(adapted.steps, profile, max_steps=12)
            out = out_root / f"{Path(name).stem}_{i}"
            execution = execute_plan(validated, profile, out)
            render_report(question=question, profile=profile, intent=intent, adapted=adapted, validated=validated,
                          execution=execution, llm_calls=[*intent.llm_calls, *adapted.llm_calls], timings={},
                          out_dir=out)
        except Exception:  # noqa: BLE001 - a crash is what this suite counts
            row["crashes"] += 1
            traceback.print_exc()
            continue
        row["reports"] += 1
        llm_ids = {s.id for s in adapted.steps if s.origin == "llm"}
        row["proposed"] += len(rnd.ops)
        row["executed"] += sum(1 for r in execution.results if r.step in llm_ids)
        row["answer_first"] &= bool(execution.results) and execution.results[0].step == "answer"
        verdicts += [(p, judge(p, validated=validated, notes=[])) for p in rnd.plants]
    row["repaired"] = sum(v == "repaired" for _, v in verdicts)
    row["dropped"] = sum(v == "dropped" for _, v in verdicts)
    row["plants"] = [{"step": p.step, "param": p.param, "wrong": p.wrong, "category": p.category,
                      "expected": p.expected, "verdict": v,
                      "ok": (v == "repaired") if p.category in REPAIR else (v == "dropped")} for p, v in verdicts]
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "out" / "hallucination.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = [run_case(name, case, Path(tmp)) for name, case in CASES.items()]
    print("| dataset | steps proposed | mistakes planted | repaired | dropped | LLM steps executed | crashes | answer first |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['dataset']} | {r['proposed']} | {len(r['plants'])} | {r['repaired']} | {r['dropped']} | "
              f"{r['executed']} | {r['crashes']} | {'yes' if r['answer_first'] else 'NO'} |")
    plants = [p for r in rows for p in r["plants"]]
    print("\n| category | planted | as expected | misses |")
    print("|---|---|---|---|")
    for category in sorted({p["category"] for p in plants}):
        group = [p for p in plants if p["category"] == category]
        misses = [f"{p['wrong']}→{p['verdict']}" for p in group if not p["ok"]]
        print(f"| {category} | {len(group)} | {sum(p['ok'] for p in group)} | {', '.join(misses) or '-'} |")
    must = [p for p in plants if p["category"] in {"near_miss", "synonym"} | DROP]
    target = (all(r["crashes"] == 0 and r["answer_first"] for r in rows) and all(p["ok"] for p in must))
    print(f"\ntarget (0 crashes, near misses and synonyms repaired, inventions dropped, answer first): "
          f"{'met' if target else 'NOT met'}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False))
    return 0 if target else 1


if __name__ == "__main__":
    sys.exit(main())
