#!/usr/bin/env python3
"""Check the corpus's gold: every item turned into the Vega-Lite spec that implements it literally must score
full with score.py; every column must exist; every filter must keep rows; ids must be unique.

    python benchmarks/realworld_holdout/check_gold.py [--gold questions.jsonl] [--tables tables]

The oracle is the one of ../shared/bench/realworld/selftest.py. Needs only pandas.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import score  # noqa: E402

REQUIRED = ("id", "table", "category", "question", "mark", "mark_ok", "x", "y", "aggregate", "aggregate_ok",
            "color", "color_required", "filter", "time_unit", "time_unit_ok")
CATEGORIES = {"ranking", "trend", "distribution", "relationship", "share", "filtered"}


def first(v):
    return v[0] if isinstance(v, list) else v


def vl_filter(f):
    op, v, fld = f["op"], f["value"], f["field"]
    p = {"field": fld}
    if f.get("time_unit"):
        p["timeUnit"] = f["time_unit"]
    if op == "==":
        p["equal"] = v
    elif op == "in":
        p["oneOf"] = v
    elif op == "between":
        p["range"] = v
    elif op in (">", ">=", "<", "<="):
        p[{">": "gt", ">=": "gte", "<": "lt", "<=": "lte"}[op]] = v
    elif op == "!=":
        return {"filter": {"not": {"field": fld, "equal": v}}}
    elif op == "not in":
        return {"filter": {"not": {"field": fld, "oneOf": v}}}
    else:
        raise ValueError(op)
    return {"filter": p}


def oracle(g, tables):
    _, date_cols, _ = score.load_table(g["table"], tables)
    x, y, agg = first(g["x"]), first(g.get("y")), g.get("aggregate")
    mark = g["mark"]
    tf = [vl_filter(f) for f in g.get("filter") or []]
    enc = {}
    xdef = {"field": x, "type": "quantitative" if g.get("bin") else "nominal"}
    if g.get("bin"):
        xdef["bin"] = True
    if x in date_cols:
        xdef["type"] = "temporal"
        tu = g.get("time_unit") or (g.get("time_unit_ok") or [None])[0]
        if tu:
            xdef["timeUnit"] = tu
    if y is None:
        ydef = {"aggregate": "count", "type": "quantitative"}
    else:
        ydef = {"field": y, "type": "quantitative"}
        if agg:
            ydef["aggregate"] = agg
    if g.get("limit"):
        measure = "__m"
        a = {"op": agg or ("mean" if y is not None else "count"), "as": measure}
        if y is not None:
            a["field"] = y
        if x in date_cols and xdef.get("timeUnit"):
            tf.append({"timeUnit": xdef.pop("timeUnit"), "field": x, "as": x})
        tf += [{"aggregate": [a], "groupby": [x]},
               {"window": [{"op": "rank", "as": "__rank"}],
                "sort": [{"field": measure, "order": "ascending" if g.get("limit_order") == "asc" else "descending"}]},
               {"filter": f"datum.__rank <= {g['limit']}"}]
        ydef = {"field": measure, "type": "quantitative"}
    if mark == "arc":
        enc["theta"] = ydef
        enc["color"] = {"field": x, "type": "nominal"}
    elif mark == "boxplot":
        enc["x"] = xdef
        enc["y"] = {"field": y, "type": "quantitative"}
    else:
        enc["x"] = xdef
        enc["y"] = ydef
    if g.get("color") and g.get("color_required"):
        c = first(g["color"])
        if mark == "rect":
            enc["color"] = {"field": c, "aggregate": agg, "type": "quantitative"}
            enc["y"] = {"field": y, "type": "nominal"}
        else:
            enc["color"] = {"field": c, "type": "nominal"}
    spec = {"mark": mark, "encoding": enc}
    if tf:
        spec["transform"] = tf
    return spec


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=os.path.join(HERE, "questions.jsonl"))
    ap.add_argument("--tables", default=os.path.join(HERE, "tables"))
    args = ap.parse_args()
    ok, seen, n_full = True, set(), 0
    gold = []
    for i, line in enumerate(open(args.gold, encoding="utf-8"), 1):
        if line.strip():
            try:
                gold.append(json.loads(line))
            except json.JSONDecodeError as exc:
                print(f"FAIL line {i}: not JSON ({exc})")
                ok = False
    for g in gold:
        missing = [k for k in REQUIRED if k not in g]
        if missing:
            print(f"FAIL {g.get('id')}: missing keys {missing}")
            ok = False
            continue
        if g["id"] in seen:
            print(f"FAIL {g['id']}: duplicate id")
            ok = False
        seen.add(g["id"])
        if g["category"] not in CATEGORIES:
            print(f"FAIL {g['id']}: category {g['category']!r} not in {sorted(CATEGORIES)}")
            ok = False
        if g["mark"] not in g["mark_ok"] or g["aggregate"] not in g["aggregate_ok"]:
            print(f"FAIL {g['id']}: mark/aggregate not among their own _ok lists")
            ok = False
        r = score.score_item(g, {"id": g["id"], "spec": oracle(g, args.tables)}, args.tables)
        if r["full"]:
            n_full += 1
        else:
            ok = False
            print(f"FAIL oracle {g['id']} {g['question']!r}: {r['why']}")
        df, date_cols, _ = score.load_table(g["table"], args.tables)
        cols = score.as_list(g["x"]) + score.as_list(g.get("y")) + score.as_list(g.get("color"))
        cols += [f["field"] for f in g.get("filter") or []]
        for col in [c for c in cols if c]:
            if col not in df.columns:
                ok = False
                print(f"FAIL {g['id']}: column {col!r} not in {g['table']}")
        if g.get("filter") and score.gold_mask(df, date_cols, g["filter"]).sum() == 0:
            ok = False
            print(f"FAIL {g['id']}: filter keeps no rows")
    print(f"oracle: {n_full}/{len(gold)} full; {'OK' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
